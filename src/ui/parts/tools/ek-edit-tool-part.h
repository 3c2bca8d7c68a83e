/* ek-edit-tool-part.h: a file edit, as a coloured diff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-diff-view.h"
#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_EDIT_TOOL_PART (ek_edit_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkEditToolPart, ek_edit_tool_part, EK, EDIT_TOOL_PART, EkToolPart)

/* NULL until the body is first shown. */
EkDiffView *ek_edit_tool_part_get_diff_view (EkEditToolPart *self);
/* The header's line counts, "+1 −1" (NULL before the edit is made). */
char       *ek_edit_tool_part_dup_stats     (EkEditToolPart *self);

G_END_DECLS
