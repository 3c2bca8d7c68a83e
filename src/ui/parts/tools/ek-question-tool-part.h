/* ek-question-tool-part.h: questions the model asked and the answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_QUESTION_TOOL_PART (ek_question_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkQuestionToolPart, ek_question_tool_part, EK, QUESTION_TOOL_PART, EkToolPart)

/* The answers to question @index joined with ", " (NULL: unanswered). */
char *ek_question_tool_part_dup_answer (EkQuestionToolPart *self,
                                        guint               index);

G_END_DECLS
