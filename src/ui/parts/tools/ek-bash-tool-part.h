/* ek-bash-tool-part.h: a shell command and its output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-output-view.h"
#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_BASH_TOOL_PART (ek_bash_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkBashToolPart, ek_bash_tool_part, EK, BASH_TOOL_PART, EkToolPart)

/* NULL until the body is first shown. */
EkOutputView *ek_bash_tool_part_get_output    (EkBashToolPart *self);
/* "Exit code 2" ("" for success). */
const char   *ek_bash_tool_part_get_exit_text (EkBashToolPart *self);

G_END_DECLS
