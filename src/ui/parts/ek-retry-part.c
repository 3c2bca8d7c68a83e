/* ek-retry-part.c: a failed model request that is being retried
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Retrying (attempt 2) in 5 s", counting down once a second while the
 * retry time (`next`, when the server sends it) is ahead, then
 * "Retried (attempt 2)"; the error's message below, dim.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-part-util.h"
#include "ek-retry-part.h"

struct _EkRetryPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *box;
  GtkWidget    *label;
  GtkWidget    *message;
  guint         tick_id;
};

G_DEFINE_FINAL_TYPE (EkRetryPart, ek_retry_part, EK_TYPE_PART_WIDGET)

static gboolean on_tick (gpointer user_data);

static void
refresh (EkRetryPart *self)
{
  JsonObject *data = ek_part_widget_get_data (EK_PART_WIDGET (self));
  gint64 attempt = ek_part_json_int (data, "attempt", 0);
  gint64 next = ek_part_json_int (data, "next", 0);
  gint64 now = ek_part_widget_now_ms (EK_PART_WIDGET (self));
  const char *message = ek_part_json_string (data, "error.data.message");
  g_autofree char *text = NULL;

  if (message == NULL)
    message = ek_part_json_string (data, "error.message");
  if (message == NULL)
    message = ek_part_json_string (data, "error.name");

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (next > now)
    {
      gint64 left = next - now;
      /* round up: "in 1 s" until it is due */
      g_autofree char *duration = ek_part_format_duration ((left + 999) / 1000 * 1000, FALSE);

      /* Translators: "Retrying (attempt 2) in 5 s" */
      text = g_strdup_printf (_("Retrying (attempt %d) in %s"), (int) attempt, duration);
      self->tick_id = g_timeout_add ((guint) (left % 1000 ? left % 1000 : 1000), on_tick, self);
      g_source_set_name_by_id (self->tick_id, "[ekacode] retry countdown");
    }
  else
    /* Translators: "Retried (attempt 2)" */
    text = g_strdup_printf (_("Retried (attempt %d)"), (int) attempt);

  gtk_label_set_text (GTK_LABEL (self->label), text);
  gtk_label_set_text (GTK_LABEL (self->message), message != NULL ? message : "");
  gtk_widget_set_visible (self->message, message != NULL && *message != '\0');
}

static gboolean
on_tick (gpointer user_data)
{
  EkRetryPart *self = user_data;

  self->tick_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_clock_changed (EkRetryPart *self)
{
  if (ek_part_widget_get_part (EK_PART_WIDGET (self)) != NULL)
    refresh (self);
}

static void
ek_retry_part_update (EkPartWidget *widget)
{
  refresh (EK_RETRY_PART (widget));
}

static void
ek_retry_part_unbind (EkPartWidget *widget,
                      EkPart       *part)
{
  EkRetryPart *self = EK_RETRY_PART (widget);

  g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
ek_retry_part_dispose (GObject *object)
{
  EkRetryPart *self = EK_RETRY_PART (object);

  ek_part_widget_set_part (EK_PART_WIDGET (self), NULL);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_retry_part_parent_class)->dispose (object);
}

static void
ek_retry_part_class_init (EkRetryPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_retry_part_dispose;
  part_class->update = ek_retry_part_update;
  part_class->unbind = ek_retry_part_unbind;
}

static void
ek_retry_part_init (EkRetryPart *self)
{
  GtkWidget *row, *icon;

  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-retry");
  g_signal_connect (self, "notify::clock", G_CALLBACK (on_clock_changed), NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (row, "warning");
  icon = gtk_image_new_from_icon_name ("view-refresh-symbolic");
  gtk_box_append (GTK_BOX (row), icon);
  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0.0);
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_box_append (GTK_BOX (row), self->label);
  gtk_box_append (GTK_BOX (self->box), row);

  self->message = ek_part_label_new (NULL, "dim-label");
  gtk_widget_add_css_class (self->message, "caption");
  gtk_box_append (GTK_BOX (self->box), self->message);
}

const char *
ek_retry_part_get_text (EkRetryPart *self)
{
  g_return_val_if_fail (EK_IS_RETRY_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}

const char *
ek_retry_part_get_message (EkRetryPart *self)
{
  g_return_val_if_fail (EK_IS_RETRY_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->message));
}

gboolean
ek_retry_part_get_ticking (EkRetryPart *self)
{
  g_return_val_if_fail (EK_IS_RETRY_PART (self), FALSE);
  return self->tick_id != 0;
}
