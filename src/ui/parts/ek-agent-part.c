/* ek-agent-part.c: a switch to another agent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Switched to agent plan", dim, with an agent icon.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-agent-part.h"
#include "ek-part-util.h"

struct _EkAgentPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *box;
  GtkWidget    *label;
};

G_DEFINE_FINAL_TYPE (EkAgentPart, ek_agent_part, EK_TYPE_PART_WIDGET)

static void
ek_agent_part_update (EkPartWidget *widget)
{
  EkAgentPart *self = EK_AGENT_PART (widget);
  const char *name = ek_part_json_string (ek_part_widget_get_data (widget), "name");
  /* Translators: %s is an agent's name */
  g_autofree char *text = g_strdup_printf (_("Switched to agent %s"), name != NULL ? name : "?");

  gtk_label_set_text (GTK_LABEL (self->label), text);
}

static void
ek_agent_part_dispose (GObject *object)
{
  EkAgentPart *self = EK_AGENT_PART (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_agent_part_parent_class)->dispose (object);
}

static void
ek_agent_part_class_init (EkAgentPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_agent_part_dispose;
  part_class->update = ek_agent_part_update;
}

static void
ek_agent_part_init (EkAgentPart *self)
{
  GtkWidget *icon;

  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-agent");

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->box, "dim-label");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  icon = gtk_image_new_from_icon_name ("avatar-default-symbolic");
  gtk_box_append (GTK_BOX (self->box), icon);

  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (self->label, "caption");
  gtk_box_append (GTK_BOX (self->box), self->label);
}

const char *
ek_agent_part_get_text (EkAgentPart *self)
{
  g_return_val_if_fail (EK_IS_AGENT_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}
