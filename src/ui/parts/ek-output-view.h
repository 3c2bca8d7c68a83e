/* ek-output-view.h: a tool's text output, monospace, shortened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_OUTPUT_VIEW (ek_output_view_get_type ())

G_DECLARE_FINAL_TYPE (EkOutputView, ek_output_view, EK, OUTPUT_VIEW, GtkWidget)

GtkWidget   *ek_output_view_new             (void);
void         ek_output_view_set_text        (EkOutputView *self,
                                             const char   *text);
const char  *ek_output_view_get_text        (EkOutputView *self);
/* Colour SGR escapes instead of only dropping them. */
void         ek_output_view_set_ansi        (EkOutputView *self,
                                             gboolean      ansi);
/* Shortened output keeps its end (live output) instead of its start. */
void         ek_output_view_set_tail        (EkOutputView *self,
                                             gboolean      tail);
/* Lines shown before "Show more" (0: all). */
void         ek_output_view_set_max_lines   (EkOutputView *self,
                                             guint         max_lines);
void         ek_output_view_set_expanded    (EkOutputView *self,
                                             gboolean      expanded);
gboolean     ek_output_view_get_expanded    (EkOutputView *self);
gboolean     ek_output_view_get_truncated   (EkOutputView *self);
/* What is on screen (escape sequences gone). */
char        *ek_output_view_dup_shown_text  (EkOutputView *self);
GtkTextView *ek_output_view_get_text_view   (EkOutputView *self);
GtkWidget   *ek_output_view_get_more_button (EkOutputView *self);

G_END_DECLS
