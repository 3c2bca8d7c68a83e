/* ek-patch-part.c: the files a step changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "2 files changed", dim; an expander lists the files (also in the
 * tooltip).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-part-util.h"
#include "ek-patch-part.h"
#include "ek-ui-util.h"

#define TOOLTIP_MAX_FILES 20

struct _EkPatchPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *expander;
  GtkWidget    *label;
  GtkWidget    *list;
  guint         n_files;
};

G_DEFINE_FINAL_TYPE (EkPatchPart, ek_patch_part, EK_TYPE_PART_WIDGET)

static void
ek_patch_part_update (EkPartWidget *widget)
{
  EkPatchPart *self = EK_PATCH_PART (widget);
  JsonArray *files = ek_part_json_array (ek_part_widget_get_data (widget), "files");
  guint n = files != NULL ? json_array_get_length (files) : 0;
  g_autoptr(GString) tooltip = g_string_new (NULL);
  g_autofree char *text = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);

  self->n_files = 0;
  for (guint i = 0; i < n; i++)
    {
      const char *file = ek_part_json_array_string (files, i);
      g_autofree char *shown = NULL;
      GtkWidget *row;

      if (file == NULL)
        continue;
      self->n_files++;
      shown = ek_part_short_path (file, NULL);
      row = ek_part_label_new (shown, "caption");
      gtk_widget_add_css_class (row, "monospace");
      gtk_box_append (GTK_BOX (self->list), row);

      if (self->n_files <= TOOLTIP_MAX_FILES)
        g_string_append_printf (tooltip, "%s%s", tooltip->len ? "\n" : "", shown);
      else if (self->n_files == TOOLTIP_MAX_FILES + 1)
        g_string_append (tooltip, "\n…");
    }

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file changed", "%u files changed",
                                       self->n_files),
                          self->n_files);
  gtk_label_set_text (GTK_LABEL (self->label), text);
  ek_widget_set_tooltip (self->expander, tooltip->len ? tooltip->str : NULL);
}

static void
ek_patch_part_dispose (GObject *object)
{
  EkPatchPart *self = EK_PATCH_PART (object);

  g_clear_pointer (&self->expander, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_patch_part_parent_class)->dispose (object);
}

static void
ek_patch_part_class_init (EkPatchPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_patch_part_dispose;
  part_class->update = ek_patch_part_update;
}

static void
ek_patch_part_init (EkPatchPart *self)
{
  GtkWidget *box, *icon;

  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-patch");

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  icon = gtk_image_new_from_icon_name ("document-edit-symbolic");
  gtk_box_append (GTK_BOX (box), icon);
  self->label = gtk_label_new (NULL);
  gtk_box_append (GTK_BOX (box), self->label);
  gtk_widget_add_css_class (box, "caption");

  self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (self->list, "ek-patch-files");

  self->expander = gtk_expander_new (NULL);
  gtk_widget_add_css_class (self->expander, "dim-label");
  gtk_expander_set_label_widget (GTK_EXPANDER (self->expander), box);
  gtk_expander_set_child (GTK_EXPANDER (self->expander), self->list);
  gtk_widget_set_parent (self->expander, GTK_WIDGET (self));
}

const char *
ek_patch_part_get_text (EkPatchPart *self)
{
  g_return_val_if_fail (EK_IS_PATCH_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}

guint
ek_patch_part_get_n_files (EkPatchPart *self)
{
  g_return_val_if_fail (EK_IS_PATCH_PART (self), 0);
  return self->n_files;
}
