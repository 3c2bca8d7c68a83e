/* ek-todo-tool-part.h: the agent's todo list, as a checklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "../ek-tool-part.h"

G_BEGIN_DECLS

#define EK_TYPE_TODO_TOOL_PART (ek_todo_tool_part_get_type ())

G_DECLARE_FINAL_TYPE (EkTodoToolPart, ek_todo_tool_part, EK, TODO_TOOL_PART, EkToolPart)

/* The shown items (after the body was first shown). */
guint       ek_todo_tool_part_get_n_items        (EkTodoToolPart *self);
const char *ek_todo_tool_part_get_item_text      (EkTodoToolPart *self,
                                                  guint           index);
const char *ek_todo_tool_part_get_item_icon      (EkTodoToolPart *self,
                                                  guint           index);
const char *ek_todo_tool_part_get_item_priority  (EkTodoToolPart *self,
                                                  guint           index);

G_END_DECLS
