/* ek-source.c: where a window's store comes from, and where its commands go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-source.h"

G_DEFINE_ENUM_TYPE (EkSourceState, ek_source_state,
  G_DEFINE_ENUM_VALUE (EK_SOURCE_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (EK_SOURCE_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (EK_SOURCE_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (EK_SOURCE_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (EK_SOURCE_STATE_REPLAYING, "replaying"),
  G_DEFINE_ENUM_VALUE (EK_SOURCE_STATE_REPLAYED, "replayed"),
  G_DEFINE_ENUM_VALUE (EK_SOURCE_STATE_UNAUTHORIZED, "unauthorized"))

/* the core's enum, under a name of the UI's own */
typedef EkPermissionReply EkUiPermissionReply;

G_DEFINE_ENUM_TYPE (EkUiPermissionReply, ek_ui_permission_reply,
  G_DEFINE_ENUM_VALUE (EK_PERMISSION_REPLY_ONCE, "once"),
  G_DEFINE_ENUM_VALUE (EK_PERMISSION_REPLY_ALWAYS, "always"),
  G_DEFINE_ENUM_VALUE (EK_PERMISSION_REPLY_REJECT, "reject"))

G_DEFINE_INTERFACE (EkSource, ek_source, G_TYPE_OBJECT)

static void
report_not_supported (EkSource            *self,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  const char *reason = ek_source_get_read_only_reason (self);

  g_task_report_new_error (self, callback, user_data, source_tag,
                           G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "%s", reason ? reason : _("Not available for this connection"));
}

static void
default_send_prompt (EkSource            *self,
                     EkSession           *session,
                     const char          *text,
                     const char          *agent,
                     const char          *model,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_send_prompt_async);
}

static void
default_abort (EkSource            *self,
               EkSession           *session,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_abort_async);
}

static void
default_reply_permission (EkSource            *self,
                          EkRequest           *request,
                          EkPermissionReply    reply,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_reply_permission_async);
}

static void
default_reply_question (EkSource            *self,
                        EkRequest           *request,
                        JsonArray           *answers,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_reply_question_async);
}

static void
default_reject_question (EkSource            *self,
                         EkRequest           *request,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_reject_question_async);
}

static void
default_create_session (EkSource            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_create_session_async);
}

static void
default_rename_session (EkSource            *self,
                        EkSession           *session,
                        const char          *title,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_rename_session_async);
}

static void
default_delete_session (EkSource            *self,
                        EkSession           *session,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_delete_session_async);
}

static void
default_load_older (EkSource            *self,
                    EkSession           *session,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  report_not_supported (self, callback, user_data, ek_source_load_older_async);
}

static gboolean
default_finish (EkSource      *self,
                GAsyncResult  *result,
                GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static char *
default_create_session_finish (EkSource      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GListModel *
default_get_empty_list (EkSource *self)
{
  return NULL;
}

static const char *
default_get_read_only_reason (EkSource *self)
{
  return NULL;
}

static const char *
default_get_description (EkSource *self)
{
  return NULL;
}

static void
default_open_session (EkSource  *self,
                      EkSession *session)
{
}

static gboolean
default_is_session_loaded (EkSource  *self,
                           EkSession *session)
{
  return TRUE;
}

static void
default_authenticate (EkSource   *self,
                      const char *password)
{
}

static void
ek_source_default_init (EkSourceInterface *iface)
{
  iface->get_description = default_get_description;
  iface->get_read_only_reason = default_get_read_only_reason;
  iface->get_agents = default_get_empty_list;
  iface->get_models = default_get_empty_list;
  iface->send_prompt = default_send_prompt;
  iface->abort = default_abort;
  iface->reply_permission = default_reply_permission;
  iface->reply_question = default_reply_question;
  iface->reject_question = default_reject_question;
  iface->create_session = default_create_session;
  iface->rename_session = default_rename_session;
  iface->delete_session = default_delete_session;
  iface->load_older = default_load_older;
  iface->finish = default_finish;
  iface->create_session_finish = default_create_session_finish;
  iface->open_session = default_open_session;
  iface->leave_session = default_open_session;
  iface->is_session_loaded = default_is_session_loaded;
  iface->reconnect = NULL;
  iface->authenticate = default_authenticate;

  /**
   * EkSource::session-loaded:
   * @session: an opened session whose history has now arrived
   *
   * After ek_source_open_session(), once ek_source_is_session_loaded()
   * turns %TRUE (a loading page can go then).  A recording never emits it.
   */
  g_signal_new ("session-loaded",
                G_TYPE_FROM_INTERFACE (iface),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, EK_TYPE_SESSION);

  /**
   * EkSource:store:
   *
   * The store the source writes into.
   */
  g_object_interface_install_property (iface,
    g_param_spec_object ("store", NULL, NULL, EK_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * EkSource:state:
   *
   * Connected, replaying, …; notified when it changes.
   */
  g_object_interface_install_property (iface,
    g_param_spec_enum ("state", NULL, NULL, EK_TYPE_SOURCE_STATE, EK_SOURCE_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * EkSource:description:
   *
   * One line about the source for the banner; notified when it changes.
   */
  g_object_interface_install_property (iface,
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * EkSource:read-only-reason:
   *
   * Why commands are unavailable, %NULL when they work.
   */
  g_object_interface_install_property (iface,
    g_param_spec_string ("read-only-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

EkStore *
ek_source_get_store (EkSource *self)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), NULL);
  return EK_SOURCE_GET_IFACE (self)->get_store (self);
}

EkSourceState
ek_source_get_state (EkSource *self)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), EK_SOURCE_STATE_OFFLINE);
  return EK_SOURCE_GET_IFACE (self)->get_state (self);
}

const char *
ek_source_get_description (EkSource *self)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), NULL);
  return EK_SOURCE_GET_IFACE (self)->get_description (self);
}

const char *
ek_source_get_read_only_reason (EkSource *self)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), NULL);
  return EK_SOURCE_GET_IFACE (self)->get_read_only_reason (self);
}

gboolean
ek_source_is_read_only (EkSource *self)
{
  return ek_source_get_read_only_reason (self) != NULL;
}

/**
 * ek_source_get_agents:
 *
 * Returns: (transfer none) (nullable): #GtkStringObject agent names
 */
GListModel *
ek_source_get_agents (EkSource *self)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), NULL);
  return EK_SOURCE_GET_IFACE (self)->get_agents (self);
}

/**
 * ek_source_get_models:
 *
 * Returns: (transfer none) (nullable): #GtkStringObject model names
 */
GListModel *
ek_source_get_models (EkSource *self)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), NULL);
  return EK_SOURCE_GET_IFACE (self)->get_models (self);
}

void
ek_source_send_prompt_async (EkSource            *self,
                             EkSession           *session,
                             const char          *text,
                             const char          *agent,
                             const char          *model,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_SESSION (session));
  g_return_if_fail (text != NULL);

  EK_SOURCE_GET_IFACE (self)->send_prompt (self, session, text, agent, model,
                                           cancellable, callback, user_data);
}

void
ek_source_abort_async (EkSource            *self,
                       EkSession           *session,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_SESSION (session));

  EK_SOURCE_GET_IFACE (self)->abort (self, session, cancellable, callback, user_data);
}

void
ek_source_reply_permission_async (EkSource            *self,
                                  EkRequest           *request,
                                  EkPermissionReply    reply,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_REQUEST (request));

  EK_SOURCE_GET_IFACE (self)->reply_permission (self, request, reply,
                                                cancellable, callback, user_data);
}

void
ek_source_reply_question_async (EkSource            *self,
                                EkRequest           *request,
                                JsonArray           *answers,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_REQUEST (request));
  g_return_if_fail (answers != NULL);

  EK_SOURCE_GET_IFACE (self)->reply_question (self, request, answers,
                                              cancellable, callback, user_data);
}

void
ek_source_reject_question_async (EkSource            *self,
                                 EkRequest           *request,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_REQUEST (request));

  EK_SOURCE_GET_IFACE (self)->reject_question (self, request, cancellable, callback, user_data);
}

void
ek_source_create_session_async (EkSource            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));

  EK_SOURCE_GET_IFACE (self)->create_session (self, cancellable, callback, user_data);
}

/**
 * ek_source_create_session_finish:
 *
 * Returns: (transfer full): the new session's id, %NULL on error
 */
char *
ek_source_create_session_finish (EkSource      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), NULL);

  return EK_SOURCE_GET_IFACE (self)->create_session_finish (self, result, error);
}

void
ek_source_rename_session_async (EkSource            *self,
                                EkSession           *session,
                                const char          *title,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_SESSION (session));
  g_return_if_fail (title != NULL);

  EK_SOURCE_GET_IFACE (self)->rename_session (self, session, title, cancellable, callback, user_data);
}

void
ek_source_delete_session_async (EkSource            *self,
                                EkSession           *session,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_SESSION (session));

  EK_SOURCE_GET_IFACE (self)->delete_session (self, session, cancellable, callback, user_data);
}

/**
 * ek_source_load_older_async:
 *
 * The hook for paging history: asks for the page of @session's messages
 * before its oldest one.  Complete with ek_source_finish(), which returns
 * %TRUE while older pages remain, %FALSE with no error at the beginning
 * of the session, and %G_IO_ERROR_NOT_SUPPORTED where paging does not
 * apply (a recording holds everything already).
 */
void
ek_source_load_older_async (EkSource            *self,
                            EkSession           *session,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_SESSION (session));

  EK_SOURCE_GET_IFACE (self)->load_older (self, session, cancellable, callback, user_data);
}

/**
 * ek_source_finish:
 *
 * Completes any command but ek_source_create_session_async().
 */
gboolean
ek_source_finish (EkSource      *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), FALSE);

  return EK_SOURCE_GET_IFACE (self)->finish (self, result, error);
}

/**
 * ek_source_open_session:
 *
 * The user looks at @session now: a live source loads its history and
 * keeps it in sync across reconnects.
 */
void
ek_source_open_session (EkSource  *self,
                        EkSession *session)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_SESSION (session));

  EK_SOURCE_GET_IFACE (self)->open_session (self, session);
}

/**
 * ek_source_leave_session:
 *
 * The user no longer looks at @session (another one is selected).
 */
void
ek_source_leave_session (EkSource  *self,
                         EkSession *session)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (EK_IS_SESSION (session));

  EK_SOURCE_GET_IFACE (self)->leave_session (self, session);
}

/**
 * ek_source_is_session_loaded:
 *
 * Returns: whether the history of @session, opened with
 *   ek_source_open_session(), has arrived
 */
gboolean
ek_source_is_session_loaded (EkSource  *self,
                             EkSession *session)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (EK_IS_SESSION (session), FALSE);

  return EK_SOURCE_GET_IFACE (self)->is_session_loaded (self, session);
}

/**
 * ek_source_can_reconnect:
 *
 * Returns: whether ek_source_reconnect() means something (a banner's
 *   “Retry”)
 */
gboolean
ek_source_can_reconnect (EkSource *self)
{
  g_return_val_if_fail (EK_IS_SOURCE (self), FALSE);

  return EK_SOURCE_GET_IFACE (self)->reconnect != NULL;
}

/**
 * ek_source_reconnect:
 *
 * Connects again now instead of waiting for the next attempt.
 */
void
ek_source_reconnect (EkSource *self)
{
  g_return_if_fail (EK_IS_SOURCE (self));

  if (EK_SOURCE_GET_IFACE (self)->reconnect != NULL)
    EK_SOURCE_GET_IFACE (self)->reconnect (self);
}

/**
 * ek_source_authenticate:
 * @password: kept in memory only
 *
 * Sends @password from now on and connects again (after
 * %EK_SOURCE_STATE_UNAUTHORIZED).
 */
void
ek_source_authenticate (EkSource   *self,
                        const char *password)
{
  g_return_if_fail (EK_IS_SOURCE (self));
  g_return_if_fail (password != NULL);

  EK_SOURCE_GET_IFACE (self)->authenticate (self, password);
}
