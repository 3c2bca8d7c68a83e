/* ek-generic-part.c: a part of a kind this client does not know
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Newer servers add part types.  They are not dropped: a dim line shows
 * the type and the first string field (shortened), the whole part as
 * JSON in the tooltip.
 */

#include "config.h"

#include <string.h>

#include "ek-generic-part.h"
#include "ek-part-util.h"
#include "ek-throttle.h"
#include "ek-ui-util.h"

#define SUMMARY_MAX_CHARS 120
#define TOOLTIP_MAX_CHARS 600

struct _EkGenericPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *box;
  GtkWidget    *type_label;
  GtkWidget    *summary;
  EkThrottle   *throttle;
  gulong        text_handler;
};

G_DEFINE_FINAL_TYPE (EkGenericPart, ek_generic_part, EK_TYPE_PART_WIDGET)

static gboolean
is_bookkeeping (const char *member)
{
  return strcmp (member, "id") == 0 || strcmp (member, "sessionID") == 0 ||
         strcmp (member, "messageID") == 0 || strcmp (member, "type") == 0;
}

/* The first non-empty string, at the top level first, then one level
 * down. */
static const char *
find_summary (EkPart     *part,
              JsonObject *data)
{
  g_autoptr(GList) members = json_object_get_members (data);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *value;

      if (is_bookkeeping (l->data))
        continue;
      value = ek_part_get_string (part, l->data);
      if (value != NULL && *value != '\0')
        return value;
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *inner = ek_part_json_object (data, l->data);
      g_autoptr(GList) inner_members = NULL;

      if (inner == NULL)
        continue;
      inner_members = json_object_get_members (inner);
      for (GList *m = inner_members; m != NULL; m = m->next)
        {
          const char *value = ek_part_json_string (inner, m->data);

          if (value != NULL && *value != '\0')
            return value;
        }
    }
  return NULL;
}

static void
ek_generic_part_update (EkPartWidget *widget)
{
  EkGenericPart *self = EK_GENERIC_PART (widget);
  EkPart *part = ek_part_widget_get_part (widget);
  JsonObject *data = ek_part_widget_get_data (widget);
  const char *type = ek_part_get_part_type (part);
  g_autofree char *summary = ek_part_first_line (find_summary (part, data), SUMMARY_MAX_CHARS);
  g_autoptr(JsonNode) node = ek_part_to_json (part);
  g_autofree char *json = json_to_string (node, TRUE);
  g_autofree char *tooltip = NULL;

  gtk_label_set_text (GTK_LABEL (self->type_label), type != NULL ? type : "?");
  gtk_label_set_text (GTK_LABEL (self->summary), summary != NULL ? summary : "");
  gtk_widget_set_visible (self->summary, summary != NULL);

  if (g_utf8_strlen (json, -1) > TOOLTIP_MAX_CHARS)
    {
      char *cut = g_utf8_offset_to_pointer (json, TOOLTIP_MAX_CHARS);

      tooltip = g_strndup (json, cut - json);
      ek_widget_set_tooltip (self->box, tooltip);
    }
  else
    ek_widget_set_tooltip (self->box, json);
}

static gboolean
redraw (gpointer user_data)
{
  EkPartWidget *widget = user_data;

  if (ek_part_widget_get_part (widget) == NULL)
    return FALSE;
  ek_generic_part_update (widget);
  return TRUE;
}

static void
on_text_changed (EkPart        *part,
                 GParamSpec    *pspec,
                 EkGenericPart *self)
{
  ek_throttle_queue (self->throttle);
}

static void
ek_generic_part_bind (EkPartWidget *widget,
                      EkPart       *part)
{
  EkGenericPart *self = EK_GENERIC_PART (widget);

  self->text_handler = g_signal_connect (part, "notify::text",
                                         G_CALLBACK (on_text_changed), self);
}

static void
ek_generic_part_unbind (EkPartWidget *widget,
                        EkPart       *part)
{
  EkGenericPart *self = EK_GENERIC_PART (widget);

  g_clear_signal_handler (&self->text_handler, part);
  ek_throttle_cancel (self->throttle);
}

static void
ek_generic_part_finalize (GObject *object)
{
  EkGenericPart *self = EK_GENERIC_PART (object);

  g_clear_pointer (&self->throttle, ek_throttle_free);

  G_OBJECT_CLASS (ek_generic_part_parent_class)->finalize (object);
}

static void
ek_generic_part_dispose (GObject *object)
{
  EkGenericPart *self = EK_GENERIC_PART (object);

  ek_part_widget_set_part (EK_PART_WIDGET (self), NULL);
  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_generic_part_parent_class)->dispose (object);
}

static void
ek_generic_part_class_init (EkGenericPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_generic_part_dispose;
  object_class->finalize = ek_generic_part_finalize;
  part_class->bind = ek_generic_part_bind;
  part_class->unbind = ek_generic_part_unbind;
  part_class->update = ek_generic_part_update;
}

static void
ek_generic_part_init (EkGenericPart *self)
{
  GtkWidget *icon;

  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-generic");
  self->throttle = ek_throttle_new (EK_THROTTLE_PERIOD_MS, redraw, self);

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  icon = gtk_image_new_from_icon_name ("dialog-question-symbolic");
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_box_append (GTK_BOX (self->box), icon);

  self->type_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->type_label, "ek-pill");
  gtk_widget_add_css_class (self->type_label, "caption");
  gtk_widget_add_css_class (self->type_label, "monospace");
  gtk_widget_set_valign (self->type_label, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->box), self->type_label);

  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (self->summary), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (self->summary), TRUE);
  gtk_widget_set_hexpand (self->summary, TRUE);
  gtk_widget_add_css_class (self->summary, "dim-label");
  gtk_box_append (GTK_BOX (self->box), self->summary);
}

const char *
ek_generic_part_get_type_text (EkGenericPart *self)
{
  g_return_val_if_fail (EK_IS_GENERIC_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->type_label));
}

const char *
ek_generic_part_get_summary (EkGenericPart *self)
{
  g_return_val_if_fail (EK_IS_GENERIC_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->summary));
}
