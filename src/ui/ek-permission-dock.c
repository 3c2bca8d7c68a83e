/* ek-permission-dock.c: pending permission requests, above the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One card per pending `permission.asked` of the session and its
 * subagents: what the agent wants to do (the command, file or page from
 * the request's metadata) and Deny / Allow Always / Allow Once, which go
 * to the source.  The card goes away when the store drops the request
 * (`permission.replied`), not when a button is pressed.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-pending-requests.h"
#include "ek-permission-dock.h"

struct _EkPermissionDock
{
  GtkWidget          parent_instance;

  EkSource          *source;
  EkPendingRequests *pending;
  GCancellable      *cancellable;

  GtkWidget         *clamp;
  GtkWidget         *cards;
};

G_DEFINE_FINAL_TYPE (EkPermissionDock, ek_permission_dock, GTK_TYPE_WIDGET)

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
join_strings (JsonObject *object,
              const char *member,
              const char *separator)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        continue;
      if (text->len > 0)
        g_string_append (text, separator);
      g_string_append (text, json_node_get_string (element));
    }
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
describe_permission (const char *permission)
{
  if (g_strcmp0 (permission, "bash") == 0)
    return g_strdup (_("Run this command?"));
  if (g_strcmp0 (permission, "edit") == 0)
    return g_strdup (_("Change this file?"));
  if (g_strcmp0 (permission, "write") == 0)
    return g_strdup (_("Write this file?"));
  if (g_strcmp0 (permission, "read") == 0)
    return g_strdup (_("Read this file?"));
  if (g_strcmp0 (permission, "webfetch") == 0)
    return g_strdup (_("Fetch this page?"));
  if (g_strcmp0 (permission, "external_directory") == 0)
    return g_strdup (_("Work outside the project folder?"));
  if (g_strcmp0 (permission, "task") == 0)
    return g_strdup (_("Start a subagent?"));
  if (g_strcmp0 (permission, "doom_loop") == 0)
    return g_strdup (_("Keep repeating the same tool call?"));
  return g_strdup_printf (_("Use “%s”?"), permission ? permission : _("a tool"));
}

/* The command, file or page the request is about, else its patterns. */
static char *
request_detail (JsonObject *data)
{
  static const char * const keys[] = { "command", "filepath", "filePath", "path", "url", "pattern", NULL };
  JsonObject *metadata = get_object (data, "metadata");

  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *value = get_string (metadata, keys[i]);

      if (value != NULL && *value != '\0')
        return g_strdup (value);
    }
  return join_strings (data, "patterns", "\n");
}

static GtkWidget *
make_button (const char *label,
             const char *tooltip,
             const char *request_id,
             const char *reply,
             const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "permission.reply");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new ("(ss)", request_id, reply));
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  return button;
}

static GtkWidget *
make_card (EkPermissionDock *self,
           EkRequest        *request)
{
  JsonObject *data = ek_request_get_data (request);
  const char *id = ek_request_get_id (request);
  const char *permission = get_string (data, "permission");
  g_autofree char *title = describe_permission (permission);
  g_autofree char *detail = request_detail (data);
  g_autofree char *always = join_strings (data, "always", ", ");
  g_autofree char *subtitle = NULL;
  g_autofree char *always_tooltip = NULL;
  EkSession *root = ek_pending_requests_get_session (self->pending);
  const char *reason = self->source ? ek_source_get_read_only_reason (self->source) : NULL;
  GtkWidget *card, *top, *icon, *texts, *label, *buttons;

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "dock-card");
  gtk_widget_add_css_class (card, "permission");

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "dock-icon");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Permission request"),
                                  -1);
  gtk_box_append (GTK_BOX (top), icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (texts), label);

  if (root != NULL && g_strcmp0 (ek_request_get_session_id (request), ek_session_get_id (root)) != 0)
    subtitle = g_strdup (_("A subagent asks for permission"));
  else if (permission != NULL)
    subtitle = g_strdup_printf (_("The agent asks for permission to use “%s”"), permission);
  else
    subtitle = g_strdup (_("The agent asks for permission"));
  label = gtk_label_new (subtitle);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (texts), label);
  gtk_box_append (GTK_BOX (top), texts);
  gtk_box_append (GTK_BOX (card), top);

  if (detail != NULL)
    {
      label = gtk_label_new (detail);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "monospace");
      gtk_widget_add_css_class (label, "dock-detail");
      gtk_box_append (GTK_BOX (card), label);
    }

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  if (reason != NULL)
    {
      label = gtk_label_new (reason);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (buttons), label);
    }
  else
    {
      GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_set_hexpand (spacer, TRUE);
      gtk_box_append (GTK_BOX (buttons), spacer);
    }
  if (always != NULL)
    always_tooltip = g_strdup_printf (_("Allow now and from now on for: %s"), always);
  gtk_box_append (GTK_BOX (buttons),
                  make_button (_("_Deny"), _("Refuse this request"), id, "reject", "destructive-action"));
  gtk_box_append (GTK_BOX (buttons),
                  make_button (_("Allow _Always"),
                               always_tooltip ? always_tooltip : _("Allow now and from now on"),
                               id, "always", NULL));
  gtk_box_append (GTK_BOX (buttons),
                  make_button (_("Allow _Once"), _("Allow this request only"), id, "once", "suggested-action"));
  gtk_box_append (GTK_BOX (card), buttons);

  return card;
}

static void
rebuild (EkPermissionDock *self)
{
  GListModel *model = ek_pending_requests_get_model (self->pending);
  guint n = g_list_model_get_n_items (model);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->cards)) != NULL)
    gtk_box_remove (GTK_BOX (self->cards), child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkRequest) request = g_list_model_get_item (model, i);

      gtk_box_append (GTK_BOX (self->cards), make_card (self, request));
    }
  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
}

static void
on_requests_changed (GListModel       *model,
                     guint             position,
                     guint             removed,
                     guint             added,
                     EkPermissionDock *self)
{
  rebuild (self);
}

static void
update_actions (EkPermissionDock *self)
{
  gboolean enabled = self->source != NULL && !ek_source_is_read_only (self->source);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "permission.reply", enabled);
}

static void
on_read_only_changed (EkSource         *source,
                      GParamSpec       *pspec,
                      EkPermissionDock *self)
{
  update_actions (self);
  rebuild (self);
}

static void
reply_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!ek_source_finish (EK_SOURCE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not answer the permission request: %s"), error->message);

      gtk_widget_activate_action (widget, "win.toast", "s", text);
    }
}

static void
reply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  EkPermissionDock *self = EK_PERMISSION_DOCK (widget);
  const char *request_id;
  const char *reply_nick;
  EkRequest *request;
  GEnumClass *enum_class;
  GEnumValue *value;

  g_variant_get (parameter, "(&s&s)", &request_id, &reply_nick);
  request = ek_pending_requests_lookup (self->pending, request_id);
  if (request == NULL || self->source == NULL)
    return;

  enum_class = g_type_class_ref (EK_TYPE_PERMISSION_REPLY);
  value = g_enum_get_value_by_nick (enum_class, reply_nick);
  if (value != NULL)
    ek_source_reply_permission_async (self->source, request, value->value, self->cancellable,
                                      reply_cb, g_object_ref (self));
  g_type_class_unref (enum_class);
}

static void
ek_permission_dock_dispose (GObject *object)
{
  EkPermissionDock *self = EK_PERMISSION_DOCK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  if (self->pending != NULL)
    g_signal_handlers_disconnect_by_data (ek_pending_requests_get_model (self->pending), self);
  g_clear_object (&self->pending);
  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_PERMISSION_DOCK);

  G_OBJECT_CLASS (ek_permission_dock_parent_class)->dispose (object);
}

static void
ek_permission_dock_class_init (EkPermissionDockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_permission_dock_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-permission-dock.ui");
  gtk_widget_class_bind_template_child (widget_class, EkPermissionDock, clamp);
  gtk_widget_class_bind_template_child (widget_class, EkPermissionDock, cards);
  gtk_widget_class_set_css_name (widget_class, "permissiondock");

  /**
   * EkPermissionDock|permission.reply:
   * @parameter: (request id, "once" | "always" | "reject")
   */
  gtk_widget_class_install_action (widget_class, "permission.reply", "(ss)", reply_action);
}

static void
ek_permission_dock_init (EkPermissionDock *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->pending = ek_pending_requests_new (EK_REQUEST_PERMISSION);
  g_signal_connect (ek_pending_requests_get_model (self->pending), "items-changed",
                    G_CALLBACK (on_requests_changed), self);
  update_actions (self);
}

GtkWidget *
ek_permission_dock_new (void)
{
  return g_object_new (EK_TYPE_PERMISSION_DOCK, NULL);
}

void
ek_permission_dock_set_source (EkPermissionDock *self,
                               EkSource         *source)
{
  g_return_if_fail (EK_IS_PERMISSION_DOCK (self));
  g_return_if_fail (source == NULL || EK_IS_SOURCE (source));

  if (self->source == source)
    return;
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    g_signal_connect (source, "notify::read-only-reason", G_CALLBACK (on_read_only_changed), self);
  ek_pending_requests_set_store (self->pending, source ? ek_source_get_store (source) : NULL);
  update_actions (self);
  rebuild (self);
}

void
ek_permission_dock_set_session (EkPermissionDock *self,
                                EkSession        *session)
{
  g_return_if_fail (EK_IS_PERMISSION_DOCK (self));

  ek_pending_requests_set_session (self->pending, session);
}

/**
 * ek_permission_dock_get_requests:
 *
 * Returns: (transfer none): the #EkRequest objects shown
 */
GListModel *
ek_permission_dock_get_requests (EkPermissionDock *self)
{
  g_return_val_if_fail (EK_IS_PERMISSION_DOCK (self), NULL);
  return ek_pending_requests_get_model (self->pending);
}
