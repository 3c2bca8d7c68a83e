/* ek-subtask-part.c: a task handed to a subagent by the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card: the task's description and the agent that gets it, the
 * prompt below, dim and cut after a few lines.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-part-util.h"
#include "ek-subtask-part.h"

struct _EkSubtaskPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *card;
  GtkWidget    *description;
  GtkWidget    *agent;
  GtkWidget    *prompt;
};

G_DEFINE_FINAL_TYPE (EkSubtaskPart, ek_subtask_part, EK_TYPE_PART_WIDGET)

static void
ek_subtask_part_update (EkPartWidget *widget)
{
  EkSubtaskPart *self = EK_SUBTASK_PART (widget);
  JsonObject *data = ek_part_widget_get_data (widget);
  const char *description = ek_part_json_string (data, "description");
  const char *agent = ek_part_json_string (data, "agent");
  const char *prompt = ek_part_json_string (data, "prompt");

  gtk_label_set_text (GTK_LABEL (self->description),
                      description != NULL && *description != '\0' ? description : _("Subtask"));
  gtk_label_set_text (GTK_LABEL (self->agent), agent != NULL ? agent : "");
  gtk_widget_set_visible (self->agent, agent != NULL && *agent != '\0');
  gtk_label_set_text (GTK_LABEL (self->prompt), prompt != NULL ? prompt : "");
  gtk_widget_set_visible (self->prompt, prompt != NULL && *prompt != '\0');
}

static void
ek_subtask_part_dispose (GObject *object)
{
  EkSubtaskPart *self = EK_SUBTASK_PART (object);

  g_clear_pointer (&self->card, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_subtask_part_parent_class)->dispose (object);
}

static void
ek_subtask_part_class_init (EkSubtaskPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_subtask_part_dispose;
  part_class->update = ek_subtask_part_update;
}

static void
ek_subtask_part_init (EkSubtaskPart *self)
{
  GtkWidget *header, *icon;

  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-subtask");

  self->card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (self->card, "card");
  gtk_widget_add_css_class (self->card, "ek-subtask-card");
  gtk_widget_set_parent (self->card, GTK_WIDGET (self));

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (self->card), header);

  icon = gtk_image_new_from_icon_name ("system-run-symbolic");
  gtk_box_append (GTK_BOX (header), icon);

  self->description = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->description), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (self->description), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->description, TRUE);
  gtk_widget_add_css_class (self->description, "heading");
  gtk_box_append (GTK_BOX (header), self->description);

  self->agent = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->agent, "ek-pill");
  gtk_widget_add_css_class (self->agent, "accent");
  gtk_widget_add_css_class (self->agent, "caption");
  gtk_widget_set_valign (self->agent, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), self->agent);

  self->prompt = ek_part_label_new (NULL, "dim-label");
  gtk_label_set_lines (GTK_LABEL (self->prompt), 4);
  gtk_label_set_ellipsize (GTK_LABEL (self->prompt), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (self->prompt), FALSE);
  gtk_box_append (GTK_BOX (self->card), self->prompt);
}

const char *
ek_subtask_part_get_description (EkSubtaskPart *self)
{
  g_return_val_if_fail (EK_IS_SUBTASK_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->description));
}

const char *
ek_subtask_part_get_agent (EkSubtaskPart *self)
{
  g_return_val_if_fail (EK_IS_SUBTASK_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->agent));
}

const char *
ek_subtask_part_get_prompt (EkSubtaskPart *self)
{
  g_return_val_if_fail (EK_IS_SUBTASK_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->prompt));
}
