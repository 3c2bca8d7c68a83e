/* ek-compaction-part.c: where the conversation was summarised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A divider across the conversation: "Conversation compacted".
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-compaction-part.h"
#include "ek-part-util.h"

struct _EkCompactionPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *box;
  GtkWidget    *label;
};

G_DEFINE_FINAL_TYPE (EkCompactionPart, ek_compaction_part, EK_TYPE_PART_WIDGET)

static void
ek_compaction_part_update (EkPartWidget *widget)
{
  EkCompactionPart *self = EK_COMPACTION_PART (widget);
  JsonObject *data = ek_part_widget_get_data (widget);

  gtk_label_set_text (GTK_LABEL (self->label),
                      ek_part_json_bool (data, "auto")
                      ? _("Conversation compacted automatically")
                      : _("Conversation compacted"));
}

static void
ek_compaction_part_dispose (GObject *object)
{
  EkCompactionPart *self = EK_COMPACTION_PART (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_compaction_part_parent_class)->dispose (object);
}

static void
ek_compaction_part_class_init (EkCompactionPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_compaction_part_dispose;
  part_class->update = ek_compaction_part_update;
}

static void
ek_compaction_part_init (EkCompactionPart *self)
{
  GtkWidget *left, *right;

  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-compaction");

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  left = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (left, TRUE);
  gtk_widget_set_valign (left, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), left);

  self->label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_add_css_class (self->label, "caption");
  gtk_box_append (GTK_BOX (self->box), self->label);

  right = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_hexpand (right, TRUE);
  gtk_widget_set_valign (right, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), right);
}

const char *
ek_compaction_part_get_text (EkCompactionPart *self)
{
  g_return_val_if_fail (EK_IS_COMPACTION_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}
