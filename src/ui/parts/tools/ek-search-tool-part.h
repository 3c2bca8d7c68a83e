/* ek-search-tool-part.h: a file search (glob) or a text search (grep)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-output-view.h"
#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_SEARCH_TOOL_PART (ek_search_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkSearchToolPart, ek_search_tool_part, EK, SEARCH_TOOL_PART, EkToolPart)

EkOutputView *ek_search_tool_part_get_output (EkSearchToolPart *self);

G_END_DECLS
