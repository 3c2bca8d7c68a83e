/* ek-file-part.c: an attached file, as a chip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pill with an icon for the file's type and its name.  Nothing is
 * opened unless the user clicks, and only local files (file:// URLs)
 * can be: a data: or web URL from the server is never launched.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-file-part.h"
#include "ek-part-util.h"
#include "ek-ui-util.h"

#define TOOLTIP_MAX_CHARS 200

struct _EkFilePart
{
  EkPartWidget  parent_instance;

  GtkWidget    *button;
  GtkWidget    *icon;
  GtkWidget    *label;
  char         *name;
  char         *uri;
  gboolean      openable;
};

G_DEFINE_FINAL_TYPE (EkFilePart, ek_file_part, EK_TYPE_PART_WIDGET)

enum {
  OPEN_URI,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
ek_file_part_real_open_uri (EkFilePart *self,
                            const char *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
  return TRUE;
}

static void
ek_file_part_update (EkPartWidget *widget)
{
  EkFilePart *self = EK_FILE_PART (widget);
  JsonObject *data = ek_part_widget_get_data (widget);
  const char *url = ek_part_json_string (data, "url");
  const char *filename = ek_part_json_string (data, "filename");
  const char *mime = ek_part_json_string (data, "mime");
  g_autofree char *content_type = NULL;
  g_autofree char *tooltip = NULL;
  g_autoptr(GIcon) icon = NULL;

  g_clear_pointer (&self->name, g_free);
  if (filename != NULL && *filename != '\0')
    self->name = g_strdup (filename);
  else if (url != NULL)
    self->name = ek_part_basename (url);
  if (self->name == NULL || *self->name == '\0')
    {
      g_free (self->name);
      self->name = g_strdup (mime != NULL ? mime : _("File"));
    }
  gtk_label_set_text (GTK_LABEL (self->label), self->name);

  if (mime != NULL)
    content_type = g_content_type_from_mime_type (mime);
  icon = content_type != NULL ? g_content_type_get_symbolic_icon (content_type) : NULL;
  if (icon != NULL)
    gtk_image_set_from_gicon (GTK_IMAGE (self->icon), icon);
  else
    gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), "text-x-generic-symbolic");

  g_free (self->uri);
  self->uri = g_strdup (url);
  self->openable = url != NULL && g_str_has_prefix (url, "file://");

  if (self->openable)
    {
      g_autofree char *path = g_filename_from_uri (url, NULL, NULL);

      tooltip = g_strdup (path != NULL ? path : url);
    }
  else if (url != NULL && !g_str_has_prefix (url, "data:"))
    tooltip = ek_part_first_line (url, TOOLTIP_MAX_CHARS);
  else
    tooltip = g_strdup (mime);

  ek_widget_set_tooltip (self->button, tooltip);
  gtk_widget_set_can_target (self->button, self->openable);
  gtk_widget_set_focusable (self->button, self->openable);
  if (self->openable)
    gtk_widget_remove_css_class (self->button, "inert");
  else
    gtk_widget_add_css_class (self->button, "inert");
}

static void
on_clicked (EkFilePart *self)
{
  ek_file_part_open (self);
}

static void
ek_file_part_dispose (GObject *object)
{
  EkFilePart *self = EK_FILE_PART (object);

  ek_part_widget_set_part (EK_PART_WIDGET (self), NULL);
  g_clear_pointer (&self->button, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_file_part_parent_class)->dispose (object);
}

static void
ek_file_part_finalize (GObject *object)
{
  EkFilePart *self = EK_FILE_PART (object);

  g_free (self->name);
  g_free (self->uri);

  G_OBJECT_CLASS (ek_file_part_parent_class)->finalize (object);
}

static void
ek_file_part_class_init (EkFilePartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_file_part_dispose;
  object_class->finalize = ek_file_part_finalize;
  part_class->update = ek_file_part_update;

  /**
   * EkFilePart::open-uri:
   * @uri: a file:// URI
   *
   * The user asked to open the file.  The default handler shows it with
   * gtk_show_uri(); return %TRUE from a handler to do it another way.
   */
  signals[OPEN_URI] =
    g_signal_new_class_handler ("open-uri",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (ek_file_part_real_open_uri),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

static void
ek_file_part_init (EkFilePart *self)
{
  GtkWidget *box;

  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);

  self->button = gtk_button_new ();
  gtk_widget_add_css_class (self->button, "ek-file-chip");
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (on_clicked), self);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_button_set_child (GTK_BUTTON (self->button), box);

  self->icon = gtk_image_new ();
  gtk_box_append (GTK_BOX (box), self->icon);

  self->label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->label), 40);
  gtk_label_set_single_line_mode (GTK_LABEL (self->label), TRUE);
  gtk_box_append (GTK_BOX (box), self->label);
}

const char *
ek_file_part_get_name (EkFilePart *self)
{
  g_return_val_if_fail (EK_IS_FILE_PART (self), NULL);
  return self->name;
}

gboolean
ek_file_part_get_openable (EkFilePart *self)
{
  g_return_val_if_fail (EK_IS_FILE_PART (self), FALSE);
  return self->openable;
}

void
ek_file_part_open (EkFilePart *self)
{
  gboolean handled = FALSE;

  g_return_if_fail (EK_IS_FILE_PART (self));

  if (!self->openable)
    return;
  g_signal_emit (self, signals[OPEN_URI], 0, self->uri, &handled);
}
