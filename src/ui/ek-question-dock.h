/* ek-question-dock.h: pending questions from the agent, above the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-session.h"
#include "ek-source.h"

G_BEGIN_DECLS

#define EK_TYPE_QUESTION_DOCK (ek_question_dock_get_type ())

G_DECLARE_FINAL_TYPE (EkQuestionDock, ek_question_dock, EK, QUESTION_DOCK, GtkWidget)

GtkWidget  *ek_question_dock_new           (void);
void        ek_question_dock_set_source    (EkQuestionDock *self,
                                            EkSource       *source);
void        ek_question_dock_set_session   (EkQuestionDock *self,
                                            EkSession      *session);
GListModel *ek_question_dock_get_requests  (EkQuestionDock *self);
JsonArray  *ek_question_dock_dup_answers   (EkQuestionDock *self,
                                            const char     *request_id);

G_END_DECLS
