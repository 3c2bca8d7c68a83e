/* ek-write-tool-part.h: a file written whole, highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_WRITE_TOOL_PART (ek_write_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkWriteToolPart, ek_write_tool_part, EK, WRITE_TOOL_PART, EkToolPart)

/* The EkCodeBlock showing the content (NULL until first shown). */
GtkWidget  *ek_write_tool_part_get_code_block (EkWriteToolPart *self);
/* The GtkSourceView language id guessed from the file name, or NULL. */
const char *ek_write_tool_part_get_language   (EkWriteToolPart *self);

G_END_DECLS
