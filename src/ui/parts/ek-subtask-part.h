/* ek-subtask-part.h: a task handed to a subagent by the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_SUBTASK_PART (ek_subtask_part_get_type ())

G_DECLARE_FINAL_TYPE (EkSubtaskPart, ek_subtask_part, EK, SUBTASK_PART, EkPartWidget)

const char *ek_subtask_part_get_description (EkSubtaskPart *self);
const char *ek_subtask_part_get_agent       (EkSubtaskPart *self);
const char *ek_subtask_part_get_prompt      (EkSubtaskPart *self);

G_END_DECLS
