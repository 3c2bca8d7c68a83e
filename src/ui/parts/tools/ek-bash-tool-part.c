/* ek-bash-tool-part.c: a shell command and its output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header shows the command's first line (and the model's
 * description of it, dim); the body the whole command when it does not
 * fit there, the output as a terminal would show it (colours kept,
 * other escape sequences dropped, the last lines first), live from
 * `metadata.output` while the command runs, and the exit code when it is
 * not zero.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "../ek-part-util.h"
#include "ek-bash-tool-part.h"

#define OUTPUT_LINES 16
#define LONG_COMMAND_CHARS 80

struct _EkBashToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *command;
  GtkWidget  *output;
  GtkWidget  *exit_label;
};

G_DEFINE_FINAL_TYPE (EkBashToolPart, ek_bash_tool_part, EK_TYPE_TOOL_PART)

static const char *
get_output (EkToolPart *self,
            JsonObject *state)
{
  const char *output = NULL;

  if (g_strcmp0 (ek_part_json_string (state, "status"), "running") != 0)
    output = ek_part_json_string (state, "output");
  if (output == NULL)
    output = ek_part_json_string (state, "metadata.output");
  return output;
}

static char *
ek_bash_tool_part_dup_subtitle (EkToolPart *self)
{
  const char *description = ek_part_json_string (ek_tool_part_get_input (self), "description");

  return ek_part_first_line (description, 120);
}

/* The title shows the first line; a longer command is shown whole. */
static gboolean
is_long_command (const char *command)
{
  return command != NULL &&
         (strchr (command, '\n') != NULL || g_utf8_strlen (command, -1) > LONG_COMMAND_CHARS);
}

static gboolean
ek_bash_tool_part_has_body (EkToolPart *self)
{
  JsonObject *state = ek_tool_part_get_state (self);
  const char *output = get_output (self, state);

  return is_long_command (ek_part_json_string (state, "input.command")) ||
         (output != NULL && *output != '\0') ||
         ek_part_json_int (state, "metadata.exit", 0) != 0;
}

static void
ek_bash_tool_part_update_body (EkToolPart *tool,
                               GtkBox     *content,
                               JsonObject *state)
{
  EkBashToolPart *self = EK_BASH_TOOL_PART (tool);
  const char *command = ek_part_json_string (state, "input.command");
  const char *output = get_output (tool, state);
  gint64 exit_code = ek_part_json_int (state, "metadata.exit", 0);
  gboolean long_command;

  if (self->output == NULL)
    {
      self->command = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->command), 0.0);
      gtk_label_set_wrap (GTK_LABEL (self->command), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (self->command), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (self->command), TRUE);
      ek_part_focus_on_click (self->command);
      gtk_widget_add_css_class (self->command, "monospace");
      gtk_widget_add_css_class (self->command, "ek-command");
      gtk_box_append (content, self->command);

      self->output = ek_output_view_new ();
      ek_output_view_set_ansi (EK_OUTPUT_VIEW (self->output), TRUE);
      ek_output_view_set_tail (EK_OUTPUT_VIEW (self->output), TRUE);
      ek_output_view_set_max_lines (EK_OUTPUT_VIEW (self->output), OUTPUT_LINES);
      gtk_box_append (content, self->output);

      self->exit_label = gtk_label_new (NULL);
      gtk_label_set_xalign (GTK_LABEL (self->exit_label), 0.0);
      gtk_widget_add_css_class (self->exit_label, "caption");
      gtk_widget_add_css_class (self->exit_label, "error");
      gtk_box_append (content, self->exit_label);
    }

  long_command = is_long_command (command);
  if (long_command)
    {
      g_autofree char *prompt = g_strconcat ("$ ", command, NULL);

      gtk_label_set_text (GTK_LABEL (self->command), prompt);
    }
  gtk_widget_set_visible (self->command, long_command);

  ek_output_view_set_text (EK_OUTPUT_VIEW (self->output), output);
  gtk_widget_set_visible (self->output, output != NULL && *output != '\0');

  if (exit_code != 0)
    {
      /* Translators: a command's exit status */
      g_autofree char *text = g_strdup_printf (_("Exit code %d"), (int) exit_code);

      gtk_label_set_text (GTK_LABEL (self->exit_label), text);
    }
  else
    gtk_label_set_text (GTK_LABEL (self->exit_label), "");
  gtk_widget_set_visible (self->exit_label, exit_code != 0);
}

static void
ek_bash_tool_part_dispose (GObject *object)
{
  EkBashToolPart *self = EK_BASH_TOOL_PART (object);

  self->command = self->output = self->exit_label = NULL;

  G_OBJECT_CLASS (ek_bash_tool_part_parent_class)->dispose (object);
}

static void
ek_bash_tool_part_class_init (EkBashToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_bash_tool_part_dispose;
  tool_class->dup_subtitle = ek_bash_tool_part_dup_subtitle;
  tool_class->has_body = ek_bash_tool_part_has_body;
  tool_class->update_body = ek_bash_tool_part_update_body;
}

static void
ek_bash_tool_part_init (EkBashToolPart *self)
{
  ek_tool_part_set_title_monospace (EK_TOOL_PART (self), TRUE);
}

EkOutputView *
ek_bash_tool_part_get_output (EkBashToolPart *self)
{
  g_return_val_if_fail (EK_IS_BASH_TOOL_PART (self), NULL);
  return self->output != NULL ? EK_OUTPUT_VIEW (self->output) : NULL;
}

const char *
ek_bash_tool_part_get_exit_text (EkBashToolPart *self)
{
  g_return_val_if_fail (EK_IS_BASH_TOOL_PART (self), NULL);
  return self->exit_label != NULL ? gtk_label_get_text (GTK_LABEL (self->exit_label)) : "";
}
