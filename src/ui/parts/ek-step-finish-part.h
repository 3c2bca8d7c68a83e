/* ek-step-finish-part.h: a model step's token count and cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_STEP_FINISH_PART (ek_step_finish_part_get_type ())

G_DECLARE_FINAL_TYPE (EkStepFinishPart, ek_step_finish_part, EK, STEP_FINISH_PART, EkPartWidget)

const char *ek_step_finish_part_get_text (EkStepFinishPart *self);

G_END_DECLS
