/* ek-window.c: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Without a source, the welcome page.  With one: a leaflet with the
 * session list on the side and the selected session's chat, docks and
 * composer; a banner under the header bar says what the source is
 * (“Replaying a recording — read only”, “Offline: …” with Retry).  The
 * window knows its source through the EkSource interface; a live server
 * (EkLiveSource) is also made here, from the welcome page's Connect, and
 * asks for a password when the server wants one.  The settings remember
 * a server once it has connected; a password never goes there.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ek-application.h"
#include "ek-live-source.h"
#include "ek-ui-util.h"
#include "ek-window.h"

struct _EkWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  EkSource             *source;
  EkSession            *session;
  GCancellable         *cancellable;
  gulong                title_id;

  /* a live source */
  EkSourceState         last_state;
  char                 *save_password_env; /* remembered on connect */
  guint                 save_on_connect : 1;
  guint                 have_connected : 1;
  char                 *preferred_id;      /* until it is in the store */
  guint                 preferred_explicit : 1;
  GtkWidget            *password_dialog;   /* weak */

  /* the welcome page's attempt, shown once connected */
  EkSource             *pending_source;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  EkWelcomePage        *welcome_page;
  AdwLeaflet           *leaflet;
  EkSessionList        *session_list;
  GtkWidget            *new_session_button;
  AdwWindowTitle       *content_title;
  GtkWidget            *session_menu_button;
  GtkRevealer          *banner_revealer;
  GtkSpinner           *banner_spinner;
  GtkWidget            *banner_icon;
  GtkLabel             *banner_label;
  GtkWidget            *banner_button;
  EkChatView           *chat_view;
  GtkWidget            *bottom_box;
  EkPermissionDock     *permission_dock;
  EkQuestionDock       *question_dock;
  EkComposer           *composer;
};

G_DEFINE_FINAL_TYPE (EkWindow, ek_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void drop_pending (EkWindow *self);
static void close_password_dialog (EkWindow *self);

static void
set_action_enabled (EkWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

gboolean
ek_window_can_create_session (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), FALSE);
  return self->source != NULL && !ek_source_is_read_only (self->source);
}

static void
update_actions (EkWindow *self)
{
  gboolean writable = ek_window_can_create_session (self);
  const char *reason = self->source ? ek_source_get_read_only_reason (self->source) : NULL;
  g_autofree char *new_tooltip = NULL;
  g_autofree char *menu_tooltip = NULL;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  set_action_enabled (self, "rename-session", writable && self->session != NULL);
  set_action_enabled (self, "delete-session", writable && self->session != NULL);

  /* app.new-session follows the active window */
  if (app != NULL && gtk_application_get_active_window (app) == GTK_WINDOW (self))
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (app), "new-session");

      if (action != NULL)
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), writable);
    }

  if (reason != NULL)
    {
      /* TRANSLATORS: a button's tooltip, then why it is disabled */
      new_tooltip = g_strdup_printf (_("New Session — %s"), reason);
      menu_tooltip = g_strdup_printf (_("Session Menu — %s"), reason);
    }
  gtk_widget_set_tooltip_text (self->new_session_button, new_tooltip ? new_tooltip : _("New Session"));
  gtk_widget_set_tooltip_text (self->session_menu_button, menu_tooltip ? menu_tooltip : _("Session Menu"));
  gtk_widget_set_sensitive (self->session_menu_button, writable && self->session != NULL);

  set_action_enabled (self, "retry-connection",
                      self->source != NULL && ek_source_can_reconnect (self->source) &&
                      ek_source_get_state (self->source) == EK_SOURCE_STATE_OFFLINE);
  set_action_enabled (self, "enter-password",
                      self->source != NULL &&
                      ek_source_get_state (self->source) == EK_SOURCE_STATE_UNAUTHORIZED);
  set_action_enabled (self, "change-server", self->source != NULL);
}

static void
update_banner (EkWindow *self)
{
  const char *description = self->source ? ek_source_get_description (self->source) : NULL;
  EkSourceState state = self->source ? ek_source_get_state (self->source) : EK_SOURCE_STATE_OFFLINE;
  gboolean working = state == EK_SOURCE_STATE_REPLAYING ||
                     state == EK_SOURCE_STATE_CONNECTING ||
                     state == EK_SOURCE_STATE_RECONNECTING;

  const char *icon = "media-playback-start-symbolic";
  const char *button_label = NULL;
  const char *button_action = NULL;
  const char *button_tooltip = NULL;

  switch (state)
    {
    case EK_SOURCE_STATE_OFFLINE:
      icon = "network-offline-symbolic";
      if (self->source != NULL && ek_source_can_reconnect (self->source))
        {
          button_label = _("_Retry");
          button_action = "win.retry-connection";
          button_tooltip = _("Connect to the server again now");
        }
      break;
    case EK_SOURCE_STATE_UNAUTHORIZED:
      icon = "dialog-password-symbolic";
      button_label = _("Enter _Password…");
      button_action = "win.enter-password";
      button_tooltip = _("Give the password the server asks for");
      break;
    case EK_SOURCE_STATE_CONNECTED:
      icon = "network-transmit-receive-symbolic";
      break;
    case EK_SOURCE_STATE_CONNECTING:
    case EK_SOURCE_STATE_RECONNECTING:
    case EK_SOURCE_STATE_REPLAYING:
    case EK_SOURCE_STATE_REPLAYED:
    default:
      break;
    }

  gtk_label_set_label (self->banner_label, description);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_spinner), working);
  gtk_spinner_set_spinning (self->banner_spinner, working);
  if (working)
    {
      gboolean replaying = state == EK_SOURCE_STATE_REPLAYING;

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->banner_spinner),
                                   replaying ? _("Replaying") : _("Connecting"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->banner_spinner),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      replaying ? _("The recording is still being replayed")
                                                : _("Connecting to the server"),
                                      -1);
    }
  gtk_image_set_from_icon_name (GTK_IMAGE (self->banner_icon), icon);
  gtk_widget_set_visible (self->banner_icon, !working);

  gtk_widget_set_visible (self->banner_button, button_label != NULL);
  if (button_label != NULL)
    {
      gtk_button_set_label (GTK_BUTTON (self->banner_button), button_label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner_button), button_action);
      gtk_widget_set_tooltip_text (self->banner_button, button_tooltip);
    }
  else
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->banner_button), NULL);

  if (state == EK_SOURCE_STATE_OFFLINE || state == EK_SOURCE_STATE_UNAUTHORIZED)
    gtk_widget_add_css_class (GTK_WIDGET (self->banner_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->banner_label), "warning");

  gtk_revealer_set_reveal_child (self->banner_revealer, description != NULL && *description != '\0');
}

static void
update_title (EkWindow *self)
{
  if (self->session == NULL)
    {
      adw_window_title_set_title (self->content_title, _("Ekacode"));
      adw_window_title_set_subtitle (self->content_title, NULL);
      return;
    }
  adw_window_title_set_title (self->content_title, ek_session_display_title (self->session));
  adw_window_title_set_subtitle (self->content_title, ek_session_get_directory (self->session));
}

static void
on_session_data (EkSession  *session,
                 GParamSpec *pspec,
                 EkWindow   *self)
{
  update_title (self);
}

static void
set_session (EkWindow  *self,
             EkSession *session)
{
  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->title_id, self->session);
      if (self->source != NULL)
        ek_source_leave_session (self->source, self->session);
    }
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      self->title_id = g_signal_connect (session, "notify::data", G_CALLBACK (on_session_data), self);
      /* before the chat asks for its history */
      if (self->source != NULL)
        ek_source_open_session (self->source, session);
      if (g_strcmp0 (self->preferred_id, ek_session_get_id (session)) == 0)
        g_clear_pointer (&self->preferred_id, g_free);
    }

  ek_chat_view_set_session (self->chat_view, session);
  ek_composer_set_session (self->composer, session);
  ek_permission_dock_set_session (self->permission_dock, session);
  ek_question_dock_set_session (self->question_dock, session);
  gtk_widget_set_visible (self->bottom_box, session != NULL);

  /* reopened the next time the same server is */
  if (session != NULL && self->settings != NULL && self->save_on_connect)
    g_settings_set_string (self->settings, "last-session", ek_session_get_id (session));

  update_title (self);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
on_list_session (EkSessionList *list,
                 GParamSpec    *pspec,
                 EkWindow      *self)
{
  EkSession *session = ek_session_list_get_session (list);

  set_session (self, session);
  if (session != NULL && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
  if (session != NULL && ek_composer_get_disabled_reason (self->composer) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->composer));
}

static void
on_source_notify (EkSource   *source,
                  GParamSpec *pspec,
                  EkWindow   *self)
{
  update_banner (self);
  update_actions (self);
}

static void
on_session_error (EkStore    *store,
                  EkSession  *session,
                  JsonObject *error,
                  EkWindow   *self)
{
  g_autofree char *text = NULL;

  /* a session's errors show in place, on its messages, once it is open */
  if (ek_error_is_abort (error) ||
      (session != NULL && (session == self->session || self->session == NULL)))
    return;
  text = ek_describe_error (error);
  ek_window_add_toast (self, text);
}

static void
toast_error (EkWindow     *self,
             const char   *what,
             const GError *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* TRANSLATORS: what failed, then why (the server's words) */
  text = g_strdup_printf (_("%s: %s"), what, error->message);
  ek_window_add_toast (self, text);
}

/* ---- a live server ---- */

static const char *
server_url (EkWindow *self,
            EkSource *source)
{
  if (!EK_IS_LIVE_SOURCE (source))
    return NULL;
  return ek_client_get_base_url (ek_live_source_get_client (EK_LIVE_SOURCE (source)));
}

/* The server answered: keep it for the next start (the password stays in
 * memory; at most the name of a variable that holds it is kept). */
static void
remember_server (EkWindow *self)
{
  EkClient *client;

  if (self->settings == NULL || !self->save_on_connect || !EK_IS_LIVE_SOURCE (self->source))
    return;
  client = ek_live_source_get_client (EK_LIVE_SOURCE (self->source));
  g_settings_set_string (self->settings, "server-url", ek_client_get_base_url (client));
  g_settings_set_string (self->settings, "directory",
                         ek_client_get_directory (client) ? ek_client_get_directory (client) : "");
  g_settings_set_string (self->settings, "username", ek_client_get_username (client));
  if (self->save_password_env != NULL)
    g_settings_set_string (self->settings, "password-env", self->save_password_env);
  if (self->session != NULL)
    g_settings_set_string (self->settings, "last-session", ek_session_get_id (self->session));
}

/* After the first sync the store has every session: a preferred one that
 * is not there never will be, so let the list pick the newest. */
static void
check_preferred (EkWindow *self)
{
  g_autofree char *missing = NULL;

  if (self->preferred_id == NULL)
    return;
  if (self->session != NULL && g_strcmp0 (ek_session_get_id (self->session), self->preferred_id) == 0)
    {
      g_clear_pointer (&self->preferred_id, g_free);
      return;
    }
  missing = g_steal_pointer (&self->preferred_id);
  ek_session_list_set_preferred_id (self->session_list, NULL);
  if (self->preferred_explicit)
    {
      g_autofree char *text = g_strdup_printf (_("There is no session “%s” on this server"), missing);

      ek_window_add_toast (self, text);
    }
}

static GtkEditable *
password_entry_of (AdwMessageDialog *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "ek-password-entry");
}

static void
on_password_changed (GtkEditable      *entry,
                     AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "connect", *gtk_editable_get_text (entry) != '\0');
}

static void
on_password_response (AdwMessageDialog *dialog,
                      const char       *response,
                      EkWindow         *self)
{
  GtkEditable *entry = password_entry_of (dialog);
  g_autofree char *password = g_strdup (gtk_editable_get_text (entry));

  /* the entry need not keep it */
  gtk_editable_set_text (entry, "");
  if (g_strcmp0 (response, "connect") == 0 && *password != '\0' && self->source != NULL)
    ek_source_authenticate (self->source, password);
  memset (password, 0, strlen (password));
}

static void
show_password_dialog (EkWindow *self)
{
  const char *url = server_url (self, self->source);
  gboolean refused = self->source != NULL && EK_IS_LIVE_SOURCE (self->source) &&
                     ek_client_has_password (ek_live_source_get_client (EK_LIVE_SOURCE (self->source)));
  GtkWidget *dialog;
  GtkWidget *list;
  GtkWidget *entry;

  if (self->password_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->password_dialog));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Password Needed"), NULL);
  if (refused)
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("The server at %s refused the password. Try again."),
                                    url ? url : _("this address"));
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("The server at %s wants a password. It is kept only while Ekacode runs."),
                                    url ? url : _("this address"));

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  entry = adw_password_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Password"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (entry), TRUE);
  gtk_list_box_append (GTK_LIST_BOX (list), entry);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  g_object_set_data (G_OBJECT (dialog), "ek-password-entry", entry);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "connect", _("C_onnect"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "connect",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "connect");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_signal_connect (entry, "changed", G_CALLBACK (on_password_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_password_response), self, 0);

  self->password_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->password_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
close_password_dialog (EkWindow *self)
{
  if (self->password_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->password_dialog));
}

static void
on_source_state (EkSource   *source,
                 GParamSpec *pspec,
                 EkWindow   *self)
{
  EkSourceState state = ek_source_get_state (source);

  if (state == self->last_state)
    return;
  self->last_state = state;

  if (state == EK_SOURCE_STATE_UNAUTHORIZED)
    show_password_dialog (self);
  else if (state == EK_SOURCE_STATE_CONNECTED)
    {
      close_password_dialog (self);
      if (!self->have_connected)
        {
          self->have_connected = TRUE;
          check_preferred (self);
          remember_server (self);
        }
    }
}

/* ---- actions ---- */

static void
toast_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  ek_window_add_toast (EK_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
show_sessions_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  EkWindow *self = EK_WINDOW (user_data);

  adw_leaflet_set_visible_child_name (self->leaflet, "sidebar");
}

static void
retry_connection_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  EkWindow *self = EK_WINDOW (user_data);

  if (self->source != NULL)
    ek_source_reconnect (self->source);
}

static void
enter_password_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  show_password_dialog (EK_WINDOW (user_data));
}

static void
change_server_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ek_window_show_welcome (EK_WINDOW (user_data), NULL);
}

static void
rename_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ek_source_finish (EK_SOURCE (object), result, &error))
    toast_error (self, _("Could not rename the session"), error);
}

static void
on_rename_response (AdwMessageDialog *dialog,
                    const char       *response,
                    EkWindow         *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  EkSession *session = g_object_get_data (G_OBJECT (dialog), "ek-session");
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "rename") != 0 || *title == '\0' || self->source == NULL)
    return;
  ek_source_rename_session_async (self->source, session, title, self->cancellable,
                                  rename_cb, g_object_ref (self));
}

static void
rename_session_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EkWindow *self = EK_WINDOW (user_data);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (self->session == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Rename Session"), NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), ek_session_display_title (self->session));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Session title"),
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "rename", _("_Rename"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "ek-session", g_object_ref (self->session), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(EkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ek_source_finish (EK_SOURCE (object), result, &error))
    toast_error (self, _("Could not delete the session"), error);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    EkWindow         *self)
{
  EkSession *session = g_object_get_data (G_OBJECT (dialog), "ek-session");

  if (g_strcmp0 (response, "delete") != 0 || self->source == NULL)
    return;
  ek_source_delete_session_async (self->source, session, self->cancellable,
                                  delete_cb, g_object_ref (self));
}

static void
delete_session_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  EkWindow *self = EK_WINDOW (user_data);
  GtkWidget *dialog;

  if (self->session == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete Session?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” and its messages will be deleted on the server."),
                                  ek_session_display_title (self->session));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "ek-session", g_object_ref (self->session), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry window_actions[] = {
  { "toast", toast_action, "s" },
  { "show-sessions", show_sessions_action },
  { "rename-session", rename_session_action },
  { "delete-session", delete_session_action },
  { "retry-connection", retry_connection_action },
  { "enter-password", enter_password_action },
  { "change-server", change_server_action },
};

static void
create_session_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(EkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = ek_source_create_session_finish (EK_SOURCE (object), result, &error);
  if (id == NULL)
    {
      toast_error (self, _("Could not create a session"), error);
      return;
    }
  ek_session_list_set_preferred_id (self->session_list, id);
}

/**
 * ek_window_new_session:
 *
 * Asks the source for a new session and selects it when it arrives.
 */
void
ek_window_new_session (EkWindow *self)
{
  g_return_if_fail (EK_IS_WINDOW (self));

  if (self->source == NULL)
    return;
  ek_source_create_session_async (self->source, self->cancellable,
                                  create_session_cb, g_object_ref (self));
}

/* The last session, when this is the server it was on. */
static char *
last_session_for (EkWindow *self,
                  EkClient *client)
{
  g_autofree char *url = NULL;
  g_autofree char *directory = NULL;

  if (self->settings == NULL)
    return NULL;
  url = g_settings_get_string (self->settings, "server-url");
  directory = g_settings_get_string (self->settings, "directory");
  if (g_strcmp0 (url, ek_client_get_base_url (client)) != 0 ||
      g_strcmp0 (directory, ek_client_get_directory (client) ? ek_client_get_directory (client) : "") != 0)
    return NULL;
  return g_settings_get_string (self->settings, "last-session");
}

static void
prefer (EkWindow   *self,
        const char *session_id,
        gboolean    explicit)
{
  g_free (self->preferred_id);
  self->preferred_id = g_strdup (session_id && *session_id ? session_id : NULL);
  self->preferred_explicit = explicit;
  ek_session_list_set_preferred_id (self->session_list, self->preferred_id);
}

/* ---- welcome ---- */

static void
drop_pending (EkWindow *self)
{
  if (self->pending_source == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->pending_source, self);
  if (EK_IS_LIVE_SOURCE (self->pending_source))
    ek_live_source_stop (EK_LIVE_SOURCE (self->pending_source));
  g_clear_object (&self->pending_source);
}

static void
on_pending_state (EkSource   *source,
                  GParamSpec *pspec,
                  EkWindow   *self)
{
  g_autoptr(EkSource) pending = NULL;
  g_autofree char *notice = NULL;

  switch (ek_source_get_state (source))
    {
    case EK_SOURCE_STATE_CONNECTED:
      pending = g_object_ref (source);
      g_signal_handlers_disconnect_by_data (source, self);
      g_clear_object (&self->pending_source);
      ek_welcome_page_set_busy (self->welcome_page, FALSE);
      ek_welcome_page_set_notice (self->welcome_page, NULL);
      /* the client has it now; the entry need not */
      ek_welcome_page_set_password (self->welcome_page, NULL);
      self->save_on_connect = TRUE;
      g_clear_pointer (&self->save_password_env, g_free);
      {
        g_autofree char *last = last_session_for (self, ek_live_source_get_client (EK_LIVE_SOURCE (pending)));

        prefer (self, last, FALSE);
      }
      ek_window_set_source (self, pending);
      break;

    case EK_SOURCE_STATE_OFFLINE:
      notice = g_strdup (ek_source_get_description (source));
      drop_pending (self);
      ek_welcome_page_set_busy (self->welcome_page, FALSE);
      ek_welcome_page_set_notice (self->welcome_page, notice);
      break;

    case EK_SOURCE_STATE_UNAUTHORIZED:
      notice = g_strdup_printf (_("%s. Enter it above and connect again."),
                                ek_source_get_description (source));
      drop_pending (self);
      ek_welcome_page_set_busy (self->welcome_page, FALSE);
      ek_welcome_page_set_notice (self->welcome_page, notice);
      ek_welcome_page_focus_password (self->welcome_page);
      break;

    case EK_SOURCE_STATE_CONNECTING:
    case EK_SOURCE_STATE_RECONNECTING:
    case EK_SOURCE_STATE_REPLAYING:
    case EK_SOURCE_STATE_REPLAYED:
    default:
      break;
    }
}

/* “127.0.0.1:4096” means http://127.0.0.1:4096 */
static char *
normalize_url (const char *text)
{
  g_autofree char *url = g_strstrip (g_strdup (text));
  gsize len;

  if (strstr (url, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("http://", url, NULL);

      g_free (url);
      url = with_scheme;
    }
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return g_steal_pointer (&url);
}

static void
on_welcome_connect (EkWelcomePage *page,
                    EkWindow      *self)
{
  g_autofree char *url = normalize_url (ek_welcome_page_get_url (page));
  g_autofree char *directory = g_strstrip (g_strdup (ek_welcome_page_get_directory (page)));
  const char *password = ek_welcome_page_get_password (page);
  g_autoptr(EkClient) client = NULL;
  g_autoptr(EkLiveSource) source = NULL;
  g_autofree char *notice = NULL;

  if (*directory == '\0')
    {
      g_free (directory);
      directory = g_get_current_dir ();
    }

  client = ek_client_new (url, directory);
  if (self->settings != NULL)
    {
      g_autofree char *username = g_settings_get_string (self->settings, "username");
      g_autofree char *password_env = g_settings_get_string (self->settings, "password-env");

      if (*username != '\0')
        ek_client_set_username (client, username);
      if (*password_env != '\0')
        ek_client_set_password_from_env (client, password_env, NULL);
    }
  if (password != NULL && *password != '\0')
    ek_client_set_password (client, password);

  drop_pending (self);
  source = ek_live_source_new (client, NULL);
  self->pending_source = EK_SOURCE (g_object_ref (source));
  g_signal_connect (source, "notify::state", G_CALLBACK (on_pending_state), self);

  notice = g_strdup_printf (_("Connecting to %s…"), url);
  ek_welcome_page_set_notice (page, notice);
  ek_welcome_page_set_busy (page, TRUE);
  ek_live_source_start (source);
}

/* ---- window ---- */

static gboolean
ek_window_close_request (GtkWindow *window)
{
  EkWindow *self = EK_WINDOW (window);

  if (self->settings != NULL)
    {
      gboolean maximized = gtk_window_is_maximized (window);

      g_settings_set_boolean (self->settings, "window-maximized", maximized);
      if (!maximized)
        {
          int width, height;

          gtk_window_get_default_size (window, &width, &height);
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  return GTK_WINDOW_CLASS (ek_window_parent_class)->close_request (window);
}

static void
on_active_changed (EkWindow   *self,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    update_actions (self);
}

/* GtkWindow:application is not a construct property: it is set after
 * constructed(), so the settings are picked up when it is. */
static void
on_application_changed (EkWindow   *self,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autofree char *url = NULL;
  g_autofree char *directory = NULL;

  if (self->settings != NULL || !EK_IS_APPLICATION (app) ||
      ek_application_get_settings (EK_APPLICATION (app)) == NULL)
    return;
  self->settings = g_object_ref (ek_application_get_settings (EK_APPLICATION (app)));

  url = g_settings_get_string (self->settings, "server-url");
  directory = g_settings_get_string (self->settings, "directory");
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  ek_welcome_page_set_url (self->welcome_page, url);
  ek_welcome_page_set_directory (self->welcome_page, directory);
}

static void
ek_window_dispose (GObject *object)
{
  EkWindow *self = EK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  drop_pending (self);
  close_password_dialog (self);
  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      g_signal_handlers_disconnect_by_data (ek_source_get_store (self->source), self);
      /* a live connection is this window's own */
      if (EK_IS_LIVE_SOURCE (self->source))
        ek_live_source_stop (EK_LIVE_SOURCE (self->source));
    }
  if (self->session != NULL)
    g_clear_signal_handler (&self->title_id, self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_object (&self->source);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->preferred_id, g_free);
  g_clear_pointer (&self->save_password_env, g_free);

  G_OBJECT_CLASS (ek_window_parent_class)->dispose (object);
}

static void
ek_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EkWindow *self = EK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EkWindow *self = EK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      ek_window_set_source (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_window_class_init (EkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ek_window_dispose;
  object_class->get_property = ek_window_get_property;
  object_class->set_property = ek_window_set_property;

  window_class->close_request = ek_window_close_request;

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, EK_TYPE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EK_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (EK_TYPE_WELCOME_PAGE);
  g_type_ensure (EK_TYPE_SESSION_LIST);
  g_type_ensure (EK_TYPE_CHAT_VIEW);
  g_type_ensure (EK_TYPE_PERMISSION_DOCK);
  g_type_ensure (EK_TYPE_QUESTION_DOCK);
  g_type_ensure (EK_TYPE_COMPOSER);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-window.ui");
  gtk_widget_class_bind_template_child (widget_class, EkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, session_list);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, new_session_button);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, session_menu_button);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, banner_spinner);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, chat_view);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, bottom_box);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, permission_dock);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, question_dock);
  gtk_widget_class_bind_template_child (widget_class, EkWindow, composer);
}

static void
ek_window_init (EkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), window_actions,
                                   G_N_ELEMENTS (window_actions), self);

  g_signal_connect (self->session_list, "notify::session", G_CALLBACK (on_list_session), self);
  g_signal_connect (self->welcome_page, "connect", G_CALLBACK (on_welcome_connect), self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active_changed), NULL);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed), NULL);

  gtk_widget_set_visible (self->bottom_box, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
  update_title (self);
  update_banner (self);
  update_actions (self);
}

EkWindow *
ek_window_new (GtkApplication *application)
{
  return g_object_new (EK_TYPE_WINDOW, "application", application, NULL);
}

EkSource *
ek_window_get_source (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->source;
}

/**
 * ek_window_set_source:
 *
 * Shows @source's store and sends commands to it; %NULL shows the welcome
 * page.
 */
void
ek_window_set_source (EkWindow *self,
                      EkSource *source)
{
  EkStore *store;

  g_return_if_fail (EK_IS_WINDOW (self));
  g_return_if_fail (source == NULL || EK_IS_SOURCE (source));

  if (self->source == source)
    return;

  set_session (self, NULL);
  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      g_signal_handlers_disconnect_by_data (ek_source_get_store (self->source), self);
      if (EK_IS_LIVE_SOURCE (self->source))
        ek_live_source_stop (EK_LIVE_SOURCE (self->source));
    }
  close_password_dialog (self);
  g_set_object (&self->source, source);
  self->have_connected = FALSE;
  self->last_state = (EkSourceState) -1;
  if (source == NULL)
    {
      self->save_on_connect = FALSE;
      g_clear_pointer (&self->save_password_env, g_free);
      g_clear_pointer (&self->preferred_id, g_free);
    }

  store = source ? ek_source_get_store (source) : NULL;
  if (source != NULL)
    {
      g_signal_connect (source, "notify::state", G_CALLBACK (on_source_notify), self);
      g_signal_connect (source, "notify::state", G_CALLBACK (on_source_state), self);
      g_signal_connect (source, "notify::description", G_CALLBACK (on_source_notify), self);
      g_signal_connect (source, "notify::read-only-reason", G_CALLBACK (on_source_notify), self);
      g_signal_connect (store, "session-error", G_CALLBACK (on_session_error), self);
    }

  ek_chat_view_set_source (self->chat_view, source);
  ek_composer_set_source (self->composer, source);
  ek_permission_dock_set_source (self->permission_dock, source);
  ek_question_dock_set_source (self->question_dock, source);
  ek_session_list_set_store (self->session_list, store);

  gtk_stack_set_visible_child_name (self->main_stack, source ? "sessions" : "welcome");
  update_banner (self);
  update_actions (self);
  if (source != NULL)
    on_source_state (source, NULL, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

/**
 * ek_window_open_server:
 * @client: the server, its directory and credentials
 * @password_env: (nullable): the variable the password came from, to
 *   remember with the server
 * @session_id: (nullable): the session to select (else the last one on
 *   this server, else the newest)
 *
 * Connects to a live server in this window: the sessions page shows at
 * once, the banner says how the connection goes, a password is asked for
 * when the server wants one, and the server is remembered in the
 * settings once it has answered.
 *
 * Returns: (transfer none): the live source
 */
EkSource *
ek_window_open_server (EkWindow   *self,
                       EkClient   *client,
                       const char *password_env,
                       const char *session_id)
{
  g_autoptr(EkLiveSource) source = NULL;
  g_autofree char *last = NULL;

  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  g_return_val_if_fail (EK_IS_CLIENT (client), NULL);

  drop_pending (self);
  ek_window_set_source (self, NULL);
  source = ek_live_source_new (client, NULL);
  self->save_on_connect = TRUE;
  self->save_password_env = g_strdup (password_env);
  if (session_id != NULL)
    prefer (self, session_id, TRUE);
  else if ((last = last_session_for (self, client)) != NULL)
    prefer (self, last, FALSE);
  ek_window_set_source (self, EK_SOURCE (source));
  ek_live_source_start (source);
  return self->source;
}

EkSession *
ek_window_get_session (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->session;
}

/**
 * ek_window_set_preferred_session:
 *
 * Selects the session with this id as soon as the store has it.
 */
void
ek_window_set_preferred_session (EkWindow   *self,
                                 const char *session_id)
{
  g_return_if_fail (EK_IS_WINDOW (self));

  prefer (self, session_id, TRUE);
}

/**
 * ek_window_show_welcome:
 * @notice: (nullable): a line to show under the entries
 */
void
ek_window_show_welcome (EkWindow   *self,
                        const char *notice)
{
  g_return_if_fail (EK_IS_WINDOW (self));

  drop_pending (self);
  ek_window_set_source (self, NULL);
  ek_welcome_page_set_busy (self->welcome_page, FALSE);
  ek_welcome_page_set_notice (self->welcome_page, notice);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

void
ek_window_add_toast (EkWindow   *self,
                     const char *text)
{
  AdwToast *toast;

  g_return_if_fail (EK_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * ek_window_is_settled:
 *
 * Whether nothing more is coming: a replay has finished; a live source is
 * connected and the selected session's history is in and idle (without
 * a selected session: every session is idle), or it cannot connect (the
 * banner says why).  The welcome page is settled.
 */
gboolean
ek_window_is_settled (EkWindow *self)
{
  EkSourceState state;
  GListModel *sessions;
  guint n;

  g_return_val_if_fail (EK_IS_WINDOW (self), FALSE);

  if (self->source == NULL)
    return TRUE;

  state = ek_source_get_state (self->source);
  if (state == EK_SOURCE_STATE_REPLAYED)
    return TRUE;
  if ((state == EK_SOURCE_STATE_OFFLINE || state == EK_SOURCE_STATE_UNAUTHORIZED) &&
      ek_source_can_reconnect (self->source))
    return TRUE;
  if (state != EK_SOURCE_STATE_CONNECTED || self->preferred_id != NULL)
    return FALSE;

  if (self->session != NULL)
    return ek_session_get_status (self->session) == EK_SESSION_STATUS_IDLE &&
           ek_source_is_session_loaded (self->source, self->session);

  sessions = ek_store_get_sessions (ek_source_get_store (self->source));
  n = g_list_model_get_n_items (sessions);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);

      if (ek_session_get_status (session) != EK_SESSION_STATUS_IDLE)
        return FALSE;
    }
  return TRUE;
}

const char *
ek_window_get_banner_text (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;
  return gtk_label_get_label (self->banner_label);
}

EkSessionList *
ek_window_get_session_list (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->session_list;
}

EkChatView *
ek_window_get_chat_view (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->chat_view;
}

EkComposer *
ek_window_get_composer (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->composer;
}

EkPermissionDock *
ek_window_get_permission_dock (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->permission_dock;
}

EkQuestionDock *
ek_window_get_question_dock (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->question_dock;
}

EkWelcomePage *
ek_window_get_welcome_page (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->welcome_page;
}

/**
 * ek_window_get_visible_page:
 *
 * Returns: "welcome" or "sessions"
 */
const char *
ek_window_get_visible_page (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

/**
 * ek_window_get_password_dialog:
 *
 * Returns: (transfer none) (nullable): the dialog asking for the server's
 *   password, while it is open
 */
GtkWidget *
ek_window_get_password_dialog (EkWindow *self)
{
  g_return_val_if_fail (EK_IS_WINDOW (self), NULL);
  return self->password_dialog;
}
