/* ek-text-part.h: a text part: Markdown, or the user's prompt as typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_TEXT_PART (ek_text_part_get_type ())

G_DECLARE_FINAL_TYPE (EkTextPart, ek_text_part, EK, TEXT_PART, EkPartWidget)

/* How many times the text was handed to the view (for tests). */
guint      ek_text_part_get_n_redraws  (EkTextPart *self);
/* Whether a throttled redraw is waiting. */
gboolean   ek_text_part_get_pending    (EkTextPart *self);
/* The EkMarkdownView (assistant text) or GtkLabel (prompt, synthetic
 * text) that shows the text. */
GtkWidget *ek_text_part_get_view       (EkTextPart *self);

G_END_DECLS
