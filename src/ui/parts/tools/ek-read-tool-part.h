/* ek-read-tool-part.h: a file the model read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-output-view.h"
#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_READ_TOOL_PART (ek_read_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkReadToolPart, ek_read_tool_part, EK, READ_TOOL_PART, EkToolPart)

EkOutputView *ek_read_tool_part_get_output (EkReadToolPart *self);
const char   *ek_read_tool_part_get_path   (EkReadToolPart *self);

G_END_DECLS
