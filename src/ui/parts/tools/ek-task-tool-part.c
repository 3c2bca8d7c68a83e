/* ek-task-tool-part.c: a task run by a subagent in a child session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header: the task's description and the subagent that runs it.
 * The body: a button that opens the child session — it activates the
 * action `win.open-session` with the session id as its string parameter
 * (the window provides it) — and the subagent's report.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "../ek-part-util.h"
#include "ek-task-tool-part.h"

#define OUTPUT_LINES 12

struct _EkTaskToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *open_button;
  GtkWidget  *output;
};

G_DEFINE_FINAL_TYPE (EkTaskToolPart, ek_task_tool_part, EK_TYPE_TOOL_PART)

static char *
ek_task_tool_part_dup_subtitle (EkToolPart *self)
{
  const char *agent = ek_part_json_string (ek_tool_part_get_input (self), "subagent_type");

  if (agent == NULL || *agent == '\0')
    return NULL;
  /* Translators: which subagent runs a task, "general agent" */
  return g_strdup_printf (_("%s agent"), agent);
}

static gboolean
ek_task_tool_part_has_body (EkToolPart *self)
{
  JsonObject *state = ek_tool_part_get_state (self);
  const char *output = ek_part_json_string (state, "output");

  return ek_part_json_string (state, "metadata.sessionId") != NULL ||
         (output != NULL && *output != '\0');
}

static void
ek_task_tool_part_update_body (EkToolPart *tool,
                               GtkBox     *content,
                               JsonObject *state)
{
  EkTaskToolPart *self = EK_TASK_TOOL_PART (tool);
  const char *session_id = ek_part_json_string (state, "metadata.sessionId");
  const char *output = ek_part_json_string (state, "output");

  if (self->open_button == NULL)
    {
      GtkWidget *box, *label, *icon;

      self->open_button = gtk_button_new ();
      gtk_widget_set_halign (self->open_button, GTK_ALIGN_START);
      gtk_widget_add_css_class (self->open_button, "ek-open-session");
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      label = gtk_label_new (_("Open Subagent Session"));
      icon = gtk_image_new_from_icon_name ("go-next-symbolic");
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), icon);
      gtk_button_set_child (GTK_BUTTON (self->open_button), box);
      gtk_box_append (content, self->open_button);

      self->output = ek_output_view_new ();
      ek_output_view_set_max_lines (EK_OUTPUT_VIEW (self->output), OUTPUT_LINES);
      gtk_box_append (content, self->output);
    }

  /* the target first: an action with a parameter and no target yet
   * would be a type mismatch */
  if (session_id != NULL)
    {
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->open_button),
                                              g_variant_new_string (session_id));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->open_button), "win.open-session");
    }
  gtk_widget_set_visible (self->open_button, session_id != NULL);

  ek_output_view_set_text (EK_OUTPUT_VIEW (self->output), output);
  gtk_widget_set_visible (self->output, output != NULL && *output != '\0');
}

static void
ek_task_tool_part_dispose (GObject *object)
{
  EkTaskToolPart *self = EK_TASK_TOOL_PART (object);

  self->open_button = self->output = NULL;

  G_OBJECT_CLASS (ek_task_tool_part_parent_class)->dispose (object);
}

static void
ek_task_tool_part_class_init (EkTaskToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_task_tool_part_dispose;
  tool_class->dup_subtitle = ek_task_tool_part_dup_subtitle;
  tool_class->has_body = ek_task_tool_part_has_body;
  tool_class->update_body = ek_task_tool_part_update_body;
}

static void
ek_task_tool_part_init (EkTaskToolPart *self)
{
}

const char *
ek_task_tool_part_get_session_id (EkTaskToolPart *self)
{
  g_return_val_if_fail (EK_IS_TASK_TOOL_PART (self), NULL);
  return ek_part_json_string (ek_tool_part_get_metadata (EK_TOOL_PART (self)), "sessionId");
}

GtkWidget *
ek_task_tool_part_get_open_button (EkTaskToolPart *self)
{
  g_return_val_if_fail (EK_IS_TASK_TOOL_PART (self), NULL);
  return self->open_button;
}

EkOutputView *
ek_task_tool_part_get_output (EkTaskToolPart *self)
{
  g_return_val_if_fail (EK_IS_TASK_TOOL_PART (self), NULL);
  return self->output != NULL ? EK_OUTPUT_VIEW (self->output) : NULL;
}
