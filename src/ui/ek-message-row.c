/* ek-message-row.c: one message in the chat, a box of part widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The row keeps one slot per part of its message (NULL for kinds that are
 * not shown) in step with the message's parts model.  The chat list view
 * recycles rows: when a row is given another message, part widgets whose
 * type fits a new part are re-bound to it instead of being rebuilt.
 *
 * A user message is a bubble at the end of the line; an assistant message
 * is plain, with a small header only on the first assistant message of a
 * turn (the chat view decides, see ek_message_row_set_show_header()).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-message-row.h"
#include "ek-part-registry.h"
#include "ek-part-widget.h"
#include "ek-ui-util.h"

struct _EkMessageRow
{
  GtkWidget   parent_instance;

  EkMessage  *message;
  EkStreamClock *clock;
  GPtrArray  *widgets;       /* one slot per part, owning, NULL for hidden kinds */
  gulong      parts_id;
  gulong      data_id;
  gboolean    show_header;

  GtkWidget  *clamp;
  GtkWidget  *box;
  GtkWidget  *header;
  GtkLabel   *meta_label;
  GtkWidget  *parts_box;
  GtkWidget  *error_box;
  GtkImage   *error_icon;
  GtkLabel   *error_label;
};

G_DEFINE_FINAL_TYPE (EkMessageRow, ek_message_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_SHOW_HEADER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_slot (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static gboolean
is_user (EkMessageRow *self)
{
  return self->message != NULL &&
         g_strcmp0 (ek_message_get_role (self->message), "user") == 0;
}

static const char *
data_get_string (JsonObject *data,
                 const char *member)
{
  JsonNode *node = data ? json_object_get_member (data, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
update_header (EkMessageRow *self)
{
  JsonObject *data = self->message ? ek_message_get_data (self->message) : NULL;
  const char *agent = data_get_string (data, "agent");
  const char *model = data_get_string (data, "modelID");
  g_autofree char *meta = NULL;

  gtk_widget_set_visible (self->header, self->show_header && self->message != NULL && !is_user (self));

  if (agent != NULL && model != NULL)
    /* TRANSLATORS: agent and model of an answer, e.g. “build · gpt-5” */
    meta = g_strdup_printf (_("%s · %s"), agent, model);
  else
    meta = g_strdup (agent ? agent : model);
  gtk_label_set_label (self->meta_label, meta);
}

static void
note_times (EkMessageRow *self)
{
  if (self->clock == NULL || self->message == NULL)
    return;
  ek_stream_clock_note (self->clock, ek_message_get_time_created (self->message));
  ek_stream_clock_note (self->clock, ek_message_get_time_completed (self->message));
}

static void
update_error (EkMessageRow *self)
{
  JsonObject *error = self->message ? ek_message_get_error (self->message) : NULL;
  g_autofree char *text = NULL;

  if (error == NULL)
    {
      gtk_widget_set_visible (self->error_box, FALSE);
      gtk_label_set_label (self->error_label, NULL);
      return;
    }

  text = ek_describe_error (error);
  gtk_label_set_label (self->error_label, text);
  if (ek_error_is_abort (error))
    {
      gtk_image_set_from_icon_name (self->error_icon, "media-playback-stop-symbolic");
      gtk_widget_remove_css_class (self->error_box, "error");
      gtk_widget_add_css_class (self->error_box, "dim-label");
    }
  else
    {
      gtk_image_set_from_icon_name (self->error_icon, "dialog-error-symbolic");
      gtk_widget_remove_css_class (self->error_box, "dim-label");
      gtk_widget_add_css_class (self->error_box, "error");
    }
  gtk_widget_set_visible (self->error_box, TRUE);
}

static void
update_role (EkMessageRow *self)
{
  gboolean user = is_user (self);
  const char *role = self->message ? ek_message_get_role (self->message) : NULL;

  for (guint i = 0; i < self->widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->widgets, i);

      if (widget != NULL && EK_IS_PART_WIDGET (widget))
        ek_part_widget_set_role (EK_PART_WIDGET (widget), role);
    }

  if (user)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "user");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "assistant");
      gtk_widget_add_css_class (self->parts_box, "user-bubble");
      gtk_widget_set_halign (self->parts_box, GTK_ALIGN_END);
      gtk_widget_set_margin_start (self->parts_box, 64);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "assistant");
      gtk_widget_remove_css_class (GTK_WIDGET (self), "user");
      gtk_widget_remove_css_class (self->parts_box, "user-bubble");
      gtk_widget_set_halign (self->parts_box, GTK_ALIGN_FILL);
      gtk_widget_set_margin_start (self->parts_box, 0);
    }
}

static void
update_parts_visibility (EkMessageRow *self)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->widgets->len && !any; i++)
    any = g_ptr_array_index (self->widgets, i) != NULL;
  gtk_widget_set_visible (self->parts_box, any);
}

/* A widget for @part: one of @pool's if its type fits (re-bound), else a
 * new one; NULL for kinds that are not shown.  Returns a reference. */
static GtkWidget *
make_part_widget (EkPart        *part,
                  const char    *role,
                  EkStreamClock *clock,
                  GPtrArray     *pool)
{
  GType type = ek_part_registry_lookup (part);
  GtkWidget *widget;

  if (type == G_TYPE_NONE || type == G_TYPE_INVALID)
    return NULL;

  for (guint i = 0; pool != NULL && i < pool->len; i++)
    {
      widget = g_ptr_array_index (pool, i);
      if (G_OBJECT_TYPE (widget) == type)
        {
          g_ptr_array_steal_index (pool, i);
          ek_part_widget_set_role (EK_PART_WIDGET (widget), role);
          ek_part_widget_set_clock (EK_PART_WIDGET (widget), clock);
          ek_part_widget_set_part (EK_PART_WIDGET (widget), part);
          return widget;
        }
    }

  widget = ek_part_registry_create_widget (part);
  if (widget == NULL)
    return NULL;
  g_object_ref_sink (widget);
  if (EK_IS_PART_WIDGET (widget))
    {
      ek_part_widget_set_role (EK_PART_WIDGET (widget), role);
      ek_part_widget_set_clock (EK_PART_WIDGET (widget), clock);
    }
  return widget;
}

static GtkWidget *
previous_widget (EkMessageRow *self,
                 guint         position)
{
  while (position > 0)
    {
      GtkWidget *widget = g_ptr_array_index (self->widgets, position - 1);

      if (widget != NULL)
        return widget;
      position--;
    }
  return NULL;
}

static void
insert_parts (EkMessageRow *self,
              GListModel   *parts,
              guint         position,
              guint         n,
              GPtrArray    *pool)
{
  for (guint i = position; i < position + n; i++)
    {
      g_autoptr(EkPart) part = g_list_model_get_item (parts, i);
      GtkWidget *widget = make_part_widget (part, ek_message_get_role (self->message),
                                            self->clock, pool);

      g_ptr_array_insert (self->widgets, i, widget);
      if (widget != NULL)
        gtk_box_insert_child_after (GTK_BOX (self->parts_box), widget, previous_widget (self, i));
    }
}

/* Takes the widgets of slots [position, position + n) out of the box and
 * the slots away; the widgets go to @pool when given. */
static void
remove_parts (EkMessageRow *self,
              guint         position,
              guint         n,
              GPtrArray    *pool)
{
  for (guint i = position; i < position + n; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->widgets, i);

      if (widget == NULL)
        continue;
      gtk_box_remove (GTK_BOX (self->parts_box), widget);
      if (pool != NULL)
        g_ptr_array_add (pool, g_object_ref (widget));
    }
  g_ptr_array_remove_range (self->widgets, position, n);
}

static void
on_parts_changed (GListModel   *parts,
                  guint         position,
                  guint         removed,
                  guint         added,
                  EkMessageRow *self)
{
  g_autoptr(GPtrArray) pool = g_ptr_array_new_with_free_func (g_object_unref);

  remove_parts (self, position, removed, pool);
  insert_parts (self, parts, position, added, pool);
  update_parts_visibility (self);
}

static void
on_data_changed (EkMessage    *message,
                 GParamSpec   *pspec,
                 EkMessageRow *self)
{
  note_times (self);
  update_role (self);
  update_header (self);
  update_error (self);
}

static void
ek_message_row_dispose (GObject *object)
{
  EkMessageRow *self = EK_MESSAGE_ROW (object);

  if (self->message != NULL)
    {
      g_clear_signal_handler (&self->parts_id, ek_message_get_parts (self->message));
      g_clear_signal_handler (&self->data_id, self->message);
      g_clear_object (&self->message);
    }
  if (self->widgets != NULL)
    remove_parts (self, 0, self->widgets->len, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_MESSAGE_ROW);

  G_OBJECT_CLASS (ek_message_row_parent_class)->dispose (object);
}

static void
ek_message_row_finalize (GObject *object)
{
  EkMessageRow *self = EK_MESSAGE_ROW (object);

  g_clear_pointer (&self->widgets, g_ptr_array_unref);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (ek_message_row_parent_class)->finalize (object);
}

static void
ek_message_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EkMessageRow *self = EK_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;
    case PROP_SHOW_HEADER:
      g_value_set_boolean (value, self->show_header);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_message_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EkMessageRow *self = EK_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      ek_message_row_set_message (self, g_value_get_object (value));
      break;
    case PROP_SHOW_HEADER:
      ek_message_row_set_show_header (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_message_row_class_init (EkMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_message_row_dispose;
  object_class->finalize = ek_message_row_finalize;
  object_class->get_property = ek_message_row_get_property;
  object_class->set_property = ek_message_row_set_property;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, EK_TYPE_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkMessageRow:show-header:
   *
   * Whether an assistant message shows the “Assistant · model” header
   * (the first one of a turn does).
   */
  properties[PROP_SHOW_HEADER] =
    g_param_spec_boolean ("show-header", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, clamp);
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, box);
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, header);
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, parts_box);
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, error_box);
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, error_icon);
  gtk_widget_class_bind_template_child (widget_class, EkMessageRow, error_label);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
}

static void
ek_message_row_init (EkMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->widgets = g_ptr_array_new_with_free_func (clear_slot);
}

GtkWidget *
ek_message_row_new (void)
{
  return g_object_new (EK_TYPE_MESSAGE_ROW, NULL);
}

EkMessage *
ek_message_row_get_message (EkMessageRow *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE_ROW (self), NULL);
  return self->message;
}

/**
 * ek_message_row_set_message:
 *
 * Shows @message, re-using the part widgets of the previous message whose
 * types fit.
 */
void
ek_message_row_set_message (EkMessageRow *self,
                            EkMessage    *message)
{
  g_autoptr(GPtrArray) pool = NULL;

  g_return_if_fail (EK_IS_MESSAGE_ROW (self));
  g_return_if_fail (message == NULL || EK_IS_MESSAGE (message));

  if (self->message == message)
    return;

  pool = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->message != NULL)
    {
      g_clear_signal_handler (&self->parts_id, ek_message_get_parts (self->message));
      g_clear_signal_handler (&self->data_id, self->message);
      g_clear_object (&self->message);
    }
  remove_parts (self, 0, self->widgets->len, message ? pool : NULL);

  if (message != NULL)
    {
      GListModel *parts = ek_message_get_parts (message);

      self->message = g_object_ref (message);
      self->parts_id = g_signal_connect (parts, "items-changed", G_CALLBACK (on_parts_changed), self);
      self->data_id = g_signal_connect (message, "notify::data", G_CALLBACK (on_data_changed), self);
      note_times (self);
      insert_parts (self, parts, 0, g_list_model_get_n_items (parts), pool);
    }

  update_parts_visibility (self);
  update_role (self);
  update_header (self);
  update_error (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

gboolean
ek_message_row_get_show_header (EkMessageRow *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE_ROW (self), FALSE);
  return self->show_header;
}

void
ek_message_row_set_show_header (EkMessageRow *self,
                                gboolean      show_header)
{
  g_return_if_fail (EK_IS_MESSAGE_ROW (self));

  show_header = !!show_header;
  if (self->show_header == show_header)
    return;
  self->show_header = show_header;
  if (show_header)
    gtk_widget_add_css_class (GTK_WIDGET (self), "first");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "first");
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HEADER]);
}

/**
 * ek_message_row_get_n_part_widgets:
 *
 * Returns: how many part widgets the row shows
 */
guint
ek_message_row_get_n_part_widgets (EkMessageRow *self)
{
  guint n = 0;

  g_return_val_if_fail (EK_IS_MESSAGE_ROW (self), 0);

  for (guint i = 0; i < self->widgets->len; i++)
    if (g_ptr_array_index (self->widgets, i) != NULL)
      n++;
  return n;
}

/**
 * ek_message_row_get_part_widget:
 * @position: a position in the message's parts model
 *
 * Returns: (transfer none) (nullable): the widget of that part, %NULL for
 *   a kind that is not shown
 */
GtkWidget *
ek_message_row_get_part_widget (EkMessageRow *self,
                                guint         position)
{
  g_return_val_if_fail (EK_IS_MESSAGE_ROW (self), NULL);

  if (position >= self->widgets->len)
    return NULL;
  return g_ptr_array_index (self->widgets, position);
}

const char *
ek_message_row_get_error_text (EkMessageRow *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->error_box))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

void
ek_message_row_set_clock (EkMessageRow  *self,
                          EkStreamClock *clock)
{
  g_return_if_fail (EK_IS_MESSAGE_ROW (self));
  g_return_if_fail (clock == NULL || EK_IS_STREAM_CLOCK (clock));

  if (!g_set_object (&self->clock, clock))
    return;
  note_times (self);
  for (guint i = 0; i < self->widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (self->widgets, i);

      if (widget != NULL && EK_IS_PART_WIDGET (widget))
        ek_part_widget_set_clock (EK_PART_WIDGET (widget), clock);
    }
}
