/* ek-composer.c: where prompts are written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A multi-line text view in a rounded frame: Enter sends, Shift+Enter
 * starts a new line.  Send and Stop are the actions composer.send and
 * composer.stop; Stop shows while the session is busy.  Without a live
 * connection the composer is disabled and says why in place of the
 * placeholder.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-composer.h"

struct _EkComposer
{
  GtkWidget      parent_instance;

  EkSession     *session;
  EkSource      *source;
  GCancellable  *cancellable;
  char          *disabled_reason;

  GtkWidget     *clamp;
  GtkLabel      *status_label;
  GtkWidget     *frame;
  GtkTextView   *text_view;
  GtkLabel      *placeholder;
  GtkDropDown   *agent_dropdown;
  GtkDropDown   *model_dropdown;
  GtkWidget     *toolbar;
  GtkWidget     *hint_label;
  GtkWidget     *stop_button;
  GtkWidget     *send_button;
};

G_DEFINE_FINAL_TYPE (EkComposer, ek_composer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_busy (EkComposer *self)
{
  return self->session != NULL && ek_session_get_status (self->session) != EK_SESSION_STATUS_IDLE;
}

static gboolean
has_text (EkComposer *self)
{
  g_autofree char *text = ek_composer_dup_text (self);

  return *g_strstrip (text) != '\0';
}

static void
update_state (EkComposer *self)
{
  const char *reason = NULL;
  gboolean enabled;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  if (self->source == NULL)
    reason = _("Not connected to a server");
  else if (ek_source_is_read_only (self->source))
    reason = ek_source_get_read_only_reason (self->source);
  else if (self->session == NULL)
    reason = _("Choose a session to write in it");

  g_free (self->disabled_reason);
  self->disabled_reason = g_strdup (reason);
  enabled = reason == NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->text_view), enabled);
  gtk_widget_set_tooltip_text (self->frame, reason);
  gtk_label_set_label (self->placeholder, enabled ? _("Ask the agent…") : reason);
  gtk_widget_set_visible (GTK_WIDGET (self->placeholder), gtk_text_buffer_get_char_count (buffer) == 0);
  gtk_label_set_label (GTK_LABEL (self->hint_label),
                       enabled ? _("Enter to send · Shift+Enter for a new line") : NULL);
  if (enabled)
    gtk_widget_remove_css_class (self->frame, "disabled");
  else
    gtk_widget_add_css_class (self->frame, "disabled");

  gtk_widget_set_visible (self->stop_button, is_busy (self));
  /* read only and nothing to stop: just the line that says why */
  gtk_widget_set_visible (self->toolbar, enabled || is_busy (self));
  gtk_text_view_set_bottom_margin (self->text_view, enabled || is_busy (self) ? 6 : 10);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.send", enabled && has_text (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.stop", enabled && is_busy (self));
}

static void
update_status (EkComposer *self)
{
  JsonObject *status = self->session ? ek_session_get_status_data (self->session) : NULL;
  g_autofree char *text = NULL;

  if (self->session != NULL && ek_session_get_status (self->session) == EK_SESSION_STATUS_RETRY)
    {
      JsonNode *attempt = status ? json_object_get_member (status, "attempt") : NULL;
      JsonNode *message = status ? json_object_get_member (status, "message") : NULL;
      const char *message_text = NULL;

      if (message != NULL && JSON_NODE_HOLDS_VALUE (message) &&
          json_node_get_value_type (message) == G_TYPE_STRING)
        message_text = json_node_get_string (message);
      if (attempt != NULL && JSON_NODE_HOLDS_VALUE (attempt) &&
          json_node_get_value_type (attempt) == G_TYPE_INT64)
        text = g_strdup_printf (_("Retrying, attempt %d: %s"),
                                (int) json_node_get_int (attempt),
                                message_text ? message_text : _("the provider failed"));
      else
        text = g_strdup_printf (_("Retrying: %s"), message_text ? message_text : _("the provider failed"));
    }
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
on_session_status (EkSession  *session,
                   GParamSpec *pspec,
                   EkComposer *self)
{
  update_status (self);
  update_state (self);
}

static void
on_source_changed (EkSource   *source,
                   GParamSpec *pspec,
                   EkComposer *self)
{
  update_state (self);
}

static void
on_buffer_changed (GtkTextBuffer *buffer,
                   EkComposer    *self)
{
  update_state (self);
}

static void
update_dropdown (GtkDropDown *dropdown)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  gtk_widget_set_visible (GTK_WIDGET (dropdown), model != NULL && g_list_model_get_n_items (model) > 0);
}

static void
on_choices_changed (GListModel  *model,
                    guint        position,
                    guint        removed,
                    guint        added,
                    GtkDropDown *dropdown)
{
  update_dropdown (dropdown);
}

/* A live source fills its agents and models once connected. */
static void
set_dropdown_model (GtkDropDown *dropdown,
                    GListModel  *model)
{
  GListModel *old = gtk_drop_down_get_model (dropdown);

  if (old != NULL)
    g_signal_handlers_disconnect_by_func (old, on_choices_changed, dropdown);
  gtk_drop_down_set_model (dropdown, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (on_choices_changed), dropdown, 0);
  update_dropdown (dropdown);
}

static const char *
selected_string (GtkDropDown *dropdown)
{
  gpointer item = gtk_drop_down_get_selected_item (dropdown);

  if (item == NULL || !GTK_IS_STRING_OBJECT (item))
    return NULL;
  return gtk_string_object_get_string (item);
}

typedef struct
{
  EkComposer *self;
  char       *text;
} SendData;

static void
send_data_free (SendData *data)
{
  g_object_unref (data->self);
  g_free (data->text);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendData, send_data_free)

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (ek_source_finish (EK_SOURCE (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* give the prompt back rather than lose it */
  if (!has_text (data->self))
    ek_composer_set_text (data->self, data->text);
  message = g_strdup_printf (_("Could not send the prompt: %s"), error->message);
  gtk_widget_activate_action (GTK_WIDGET (data->self), "win.toast", "s", message);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EkComposer *self = EK_COMPOSER (widget);
  g_autofree char *text = ek_composer_dup_text (self);
  SendData *data;

  g_strstrip (text);
  if (*text == '\0' || self->session == NULL || self->source == NULL)
    return;

  data = g_new0 (SendData, 1);
  data->self = g_object_ref (self);
  data->text = g_strdup (text);
  ek_composer_set_text (self, "");
  ek_source_send_prompt_async (self->source, self->session, text,
                               selected_string (self->agent_dropdown),
                               selected_string (self->model_dropdown),
                               self->cancellable, send_cb, data);
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!ek_source_finish (EK_SOURCE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not stop the agent: %s"), error->message);

      gtk_widget_activate_action (widget, "win.toast", "s", message);
    }
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  EkComposer *self = EK_COMPOSER (widget);

  if (self->session == NULL || self->source == NULL)
    return;
  ek_source_abort_async (self->source, self->session, self->cancellable,
                         stop_cb, g_object_ref (self));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                EkComposer            *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;
  if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;

  gtk_widget_activate_action (GTK_WIDGET (self), "composer.send", NULL);
  return GDK_EVENT_STOP;
}

static gboolean
ek_composer_grab_focus (GtkWidget *widget)
{
  EkComposer *self = EK_COMPOSER (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
ek_composer_dispose (GObject *object)
{
  EkComposer *self = EK_COMPOSER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  if (self->agent_dropdown != NULL)
    set_dropdown_model (self->agent_dropdown, NULL);
  if (self->model_dropdown != NULL)
    set_dropdown_model (self->model_dropdown, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_COMPOSER);

  G_OBJECT_CLASS (ek_composer_parent_class)->dispose (object);
}

static void
ek_composer_finalize (GObject *object)
{
  EkComposer *self = EK_COMPOSER (object);

  g_clear_pointer (&self->disabled_reason, g_free);

  G_OBJECT_CLASS (ek_composer_parent_class)->finalize (object);
}

static void
ek_composer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  EkComposer *self = EK_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_composer_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  EkComposer *self = EK_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      ek_composer_set_session (self, g_value_get_object (value));
      break;
    case PROP_SOURCE:
      ek_composer_set_source (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_composer_class_init (EkComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_composer_dispose;
  object_class->finalize = ek_composer_finalize;
  object_class->get_property = ek_composer_get_property;
  object_class->set_property = ek_composer_set_property;

  widget_class->grab_focus = ek_composer_grab_focus;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, EK_TYPE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, EkComposer, clamp);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, status_label);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, frame);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, placeholder);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, agent_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, model_dropdown);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, toolbar);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, hint_label);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, stop_button);
  gtk_widget_class_bind_template_child (widget_class, EkComposer, send_button);
  gtk_widget_class_set_css_name (widget_class, "composer");

  gtk_widget_class_install_action (widget_class, "composer.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "composer.stop", NULL, stop_action);
}

static void
ek_composer_init (EkComposer *self)
{
  GtkEventController *keys;
  g_autoptr(GtkExpression) agent_expression = NULL;
  g_autoptr(GtkExpression) model_expression = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);

  g_signal_connect (gtk_text_view_get_buffer (self->text_view), "changed",
                    G_CALLBACK (on_buffer_changed), self);

  agent_expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  model_expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->agent_dropdown, agent_expression);
  gtk_drop_down_set_expression (self->model_dropdown, model_expression);

  update_state (self);
}

GtkWidget *
ek_composer_new (void)
{
  return g_object_new (EK_TYPE_COMPOSER, NULL);
}

EkSession *
ek_composer_get_session (EkComposer *self)
{
  g_return_val_if_fail (EK_IS_COMPOSER (self), NULL);
  return self->session;
}

void
ek_composer_set_session (EkComposer *self,
                         EkSession  *session)
{
  g_return_if_fail (EK_IS_COMPOSER (self));
  g_return_if_fail (session == NULL || EK_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect (session, "notify::status", G_CALLBACK (on_session_status), self);
      g_signal_connect (session, "notify::status-data", G_CALLBACK (on_session_status), self);
    }
  update_status (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EkSource *
ek_composer_get_source (EkComposer *self)
{
  g_return_val_if_fail (EK_IS_COMPOSER (self), NULL);
  return self->source;
}

void
ek_composer_set_source (EkComposer *self,
                        EkSource   *source)
{
  g_return_if_fail (EK_IS_COMPOSER (self));
  g_return_if_fail (source == NULL || EK_IS_SOURCE (source));

  if (self->source == source)
    return;
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    g_signal_connect (source, "notify::read-only-reason", G_CALLBACK (on_source_changed), self);
  set_dropdown_model (self->agent_dropdown, source ? ek_source_get_agents (source) : NULL);
  set_dropdown_model (self->model_dropdown, source ? ek_source_get_models (source) : NULL);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

char *
ek_composer_dup_text (EkComposer *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (EK_IS_COMPOSER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
ek_composer_set_text (EkComposer *self,
                      const char *text)
{
  g_return_if_fail (EK_IS_COMPOSER (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
}

/**
 * ek_composer_get_disabled_reason:
 *
 * Returns: (nullable): why nothing can be sent, %NULL when it can
 */
const char *
ek_composer_get_disabled_reason (EkComposer *self)
{
  g_return_val_if_fail (EK_IS_COMPOSER (self), NULL);
  return self->disabled_reason;
}

GtkWidget *
ek_composer_get_text_view (EkComposer *self)
{
  g_return_val_if_fail (EK_IS_COMPOSER (self), NULL);
  return GTK_WIDGET (self->text_view);
}
