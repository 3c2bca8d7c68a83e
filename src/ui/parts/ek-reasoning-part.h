/* ek-reasoning-part.h: the model's reasoning, folded away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_REASONING_PART (ek_reasoning_part_get_type ())

G_DECLARE_FINAL_TYPE (EkReasoningPart, ek_reasoning_part, EK, REASONING_PART, EkPartWidget)

gboolean    ek_reasoning_part_get_expanded (EkReasoningPart *self);
void        ek_reasoning_part_set_expanded (EkReasoningPart *self,
                                            gboolean         expanded);
/* "Thinking" or "Thought for 3 s" */
const char *ek_reasoning_part_get_title    (EkReasoningPart *self);
/* The one-line preview shown while folded and streaming ("" else). */
const char *ek_reasoning_part_get_preview  (EkReasoningPart *self);
/* The full text's view (an EkMarkdownView; NULL until first unfolded). */
GtkWidget  *ek_reasoning_part_get_body     (EkReasoningPart *self);
guint       ek_reasoning_part_get_n_redraws (EkReasoningPart *self);
gboolean    ek_reasoning_part_get_pending  (EkReasoningPart *self);

G_END_DECLS
