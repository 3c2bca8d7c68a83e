/* ek-markdown-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_MARKDOWN_VIEW (ek_markdown_view_get_type ())

G_DECLARE_FINAL_TYPE (EkMarkdownView, ek_markdown_view, EK, MARKDOWN_VIEW, GtkWidget)

/**
 * EkMarkdownBlockKind:
 * @EK_MARKDOWN_BLOCK_PARAGRAPH: a paragraph (a #GtkLabel)
 * @EK_MARKDOWN_BLOCK_HEADING: an ATX or setext heading (a #GtkLabel)
 * @EK_MARKDOWN_BLOCK_CODE: a fenced or indented code block (an #EkCodeBlock)
 * @EK_MARKDOWN_BLOCK_QUOTE: a block quote (a #GtkBox)
 * @EK_MARKDOWN_BLOCK_LIST: a list (a #GtkBox of items); consecutive items
 *   of one top-level list may be separate blocks
 * @EK_MARKDOWN_BLOCK_TABLE: a table (a #GtkGrid)
 * @EK_MARKDOWN_BLOCK_RULE: a thematic break (a #GtkSeparator)
 *
 * The kind of a top-level block of an #EkMarkdownView.
 */
typedef enum {
  EK_MARKDOWN_BLOCK_PARAGRAPH,
  EK_MARKDOWN_BLOCK_HEADING,
  EK_MARKDOWN_BLOCK_CODE,
  EK_MARKDOWN_BLOCK_QUOTE,
  EK_MARKDOWN_BLOCK_LIST,
  EK_MARKDOWN_BLOCK_TABLE,
  EK_MARKDOWN_BLOCK_RULE,
} EkMarkdownBlockKind;

GtkWidget           *ek_markdown_view_new                  (void);
void                 ek_markdown_view_set_text             (EkMarkdownView *self,
                                                            const char     *text);
const char          *ek_markdown_view_get_text             (EkMarkdownView *self);
guint                ek_markdown_view_get_n_pending        (EkMarkdownView *self);
gboolean             ek_markdown_view_any_pending          (void);

/* Introspection, mostly for tests. */
guint                ek_markdown_view_get_n_blocks         (EkMarkdownView *self);
GtkWidget           *ek_markdown_view_get_block_widget     (EkMarkdownView *self,
                                                            guint           index);
EkMarkdownBlockKind  ek_markdown_view_get_block_kind       (EkMarkdownView *self,
                                                            guint           index);
char                *ek_markdown_view_dup_block_text       (EkMarkdownView *self,
                                                            guint           index);
guint                ek_markdown_view_get_n_blocks_built   (EkMarkdownView *self);
guint                ek_markdown_view_get_n_blocks_updated (EkMarkdownView *self);
char                *ek_markdown_view_dup_structure        (EkMarkdownView *self);

char                *ek_markdown_dup_reference_structure   (const char     *text);
gsize                ek_markdown_find_chunk_end            (const char     *text,
                                                            gsize           len,
                                                            gsize           start,
                                                            gsize           min_bytes);
const char          *ek_markdown_view_get_css              (void);
gboolean             ek_markdown_uri_is_allowed            (const char     *uri);

G_END_DECLS
