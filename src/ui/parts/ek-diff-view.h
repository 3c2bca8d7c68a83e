/* ek-diff-view.h: a unified diff, coloured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_DIFF_VIEW (ek_diff_view_get_type ())

G_DECLARE_FINAL_TYPE (EkDiffView, ek_diff_view, EK, DIFF_VIEW, GtkWidget)

typedef enum
{
  EK_DIFF_LINE_CONTEXT,
  EK_DIFF_LINE_ADDED,
  EK_DIFF_LINE_REMOVED,
  EK_DIFF_LINE_HUNK,
  EK_DIFF_LINE_FILE,
} EkDiffLineKind;

GtkWidget      *ek_diff_view_new            (void);
void            ek_diff_view_set_diff       (EkDiffView *self,
                                             const char *diff);
const char     *ek_diff_view_get_diff       (EkDiffView *self);
/* What the view shows, line by line (for tests). */
guint           ek_diff_view_get_n_lines    (EkDiffView *self);
EkDiffLineKind  ek_diff_view_get_line_kind  (EkDiffView *self,
                                             guint       line);
char           *ek_diff_view_dup_line       (EkDiffView *self,
                                             guint       line);
GtkTextView    *ek_diff_view_get_text_view  (EkDiffView *self);

G_END_DECLS
