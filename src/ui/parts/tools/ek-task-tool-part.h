/* ek-task-tool-part.h: a task run by a subagent in a child session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-output-view.h"
#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_TASK_TOOL_PART (ek_task_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkTaskToolPart, ek_task_tool_part, EK, TASK_TOOL_PART, EkToolPart)

/* The child session (`metadata.sessionId`), or NULL. */
const char   *ek_task_tool_part_get_session_id  (EkTaskToolPart *self);
/* The button that activates `win.open-session` with the session id
 * (NULL until the body is first shown). */
GtkWidget    *ek_task_tool_part_get_open_button (EkTaskToolPart *self);
EkOutputView *ek_task_tool_part_get_output      (EkTaskToolPart *self);

G_END_DECLS
