/* ek-code-block.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_CODE_BLOCK (ek_code_block_get_type ())

G_DECLARE_FINAL_TYPE (EkCodeBlock, ek_code_block, EK, CODE_BLOCK, GtkWidget)

GtkWidget  *ek_code_block_new          (const char  *language,
                                        const char  *code);
const char *ek_code_block_get_language (EkCodeBlock *self);
const char *ek_code_block_get_code     (EkCodeBlock *self);
void        ek_code_block_set_code     (EkCodeBlock *self,
                                        const char  *code);
GtkWidget  *ek_code_block_get_view     (EkCodeBlock *self);
const char *ek_code_block_get_scheme_id (EkCodeBlock *self);

G_END_DECLS
