/* ek-markdown-placeholder.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_MARKDOWN_PLACEHOLDER (ek_markdown_placeholder_get_type ())

G_DECLARE_FINAL_TYPE (EkMarkdownPlaceholder, ek_markdown_placeholder, EK, MARKDOWN_PLACEHOLDER, GtkWidget)

GtkWidget *ek_markdown_placeholder_new          (void);
void       ek_markdown_placeholder_set_text     (EkMarkdownPlaceholder *self,
                                                 const char            *text,
                                                 gsize                  len);
int        ek_markdown_placeholder_estimate     (EkMarkdownPlaceholder *self,
                                                 int                    width);

G_END_DECLS
