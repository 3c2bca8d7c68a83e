/* ek-source.h: where a window's store comes from, and where its commands go
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window shows one EkStore and sends commands (prompt, abort, permission
 * and question replies, session management) to one EkSource.  A recording
 * (EkReplaySource) is a read-only source; a live server (EkLiveSource) is
 * the other implementation: it also loads the history of the sessions the
 * window opens, connects again on “Retry” and takes a password.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ek-client.h"
#include "ek-request.h"
#include "ek-session.h"
#include "ek-store.h"

G_BEGIN_DECLS

typedef enum
{
  EK_SOURCE_STATE_OFFLINE,
  EK_SOURCE_STATE_CONNECTING,
  EK_SOURCE_STATE_CONNECTED,
  EK_SOURCE_STATE_RECONNECTING,
  EK_SOURCE_STATE_REPLAYING,
  EK_SOURCE_STATE_REPLAYED,
  EK_SOURCE_STATE_UNAUTHORIZED,
} EkSourceState;

#define EK_TYPE_SOURCE_STATE (ek_source_state_get_type ())
GType ek_source_state_get_type (void) G_GNUC_CONST;

/* EkPermissionReply is the core's (ek-client.h); the UI registers a GType
 * for it, under its own name, to map the nicks "once", "always" and
 * "reject" of the docks' actions. */
#define EK_TYPE_UI_PERMISSION_REPLY (ek_ui_permission_reply_get_type ())
GType ek_ui_permission_reply_get_type (void) G_GNUC_CONST;
#ifndef EK_TYPE_PERMISSION_REPLY
#define EK_TYPE_PERMISSION_REPLY EK_TYPE_UI_PERMISSION_REPLY
#endif

#define EK_TYPE_SOURCE (ek_source_get_type ())

G_DECLARE_INTERFACE (EkSource, ek_source, EK, SOURCE, GObject)

/**
 * EkSourceInterface:
 * @get_store: the store this source writes into (never %NULL)
 * @get_state: what the banner says
 * @get_description: one line for the banner, e.g. “Replaying tools.sse”
 * @get_read_only_reason: why commands are unavailable, or %NULL when
 *   they work
 * @get_agents: a #GListModel of #GtkStringObject agent names (may be empty)
 * @get_models: a #GListModel of #GtkStringObject “provider/model” names
 * @send_prompt: `POST /session/{id}/prompt_async`
 * @abort: `POST /session/{id}/abort`
 * @reply_permission: `POST /permission/{id}/reply`
 * @reply_question: `POST /question/{id}/reply`, @answers an array (one
 *   per question) of arrays of labels
 * @reject_question: `POST /question/{id}/reject`
 * @create_session: `POST /session`; completes with the new session's id
 * @rename_session: `PATCH /session/{id}`
 * @delete_session: `DELETE /session/{id}`
 * @load_older: fetch the page of @session's history before its oldest
 *   message into the store (`GET /session/{id}/message?before=`);
 *   completes with %TRUE while older pages remain
 * @finish: completes every command above but @create_session
 * @create_session_finish: completes @create_session
 * @open_session: the user looks at @session now: keep its history loaded
 *   and in sync (optional)
 * @leave_session: the user looks elsewhere; the source may forget the
 *   history later (optional)
 * @is_session_loaded: whether @session's history has arrived since it was
 *   opened (the default says %TRUE: a recording has everything)
 * @reconnect: connect again now, a banner's “Retry” (%NULL: no such thing)
 * @authenticate: use this password from now on, and connect again
 *
 * Results come back through the store (the event stream), so a command's
 * completion only says whether the server took it.  Every command has a
 * default that fails with %G_IO_ERROR_NOT_SUPPORTED and the read-only
 * reason, so a read-only source implements none of them.
 */
struct _EkSourceInterface
{
  GTypeInterface parent_iface;

  EkStore       *(*get_store)            (EkSource            *self);
  EkSourceState  (*get_state)            (EkSource            *self);
  const char    *(*get_description)      (EkSource            *self);
  const char    *(*get_read_only_reason) (EkSource            *self);
  GListModel    *(*get_agents)           (EkSource            *self);
  GListModel    *(*get_models)           (EkSource            *self);

  void           (*send_prompt)          (EkSource            *self,
                                          EkSession           *session,
                                          const char          *text,
                                          const char          *agent,
                                          const char          *model,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*abort)                (EkSource            *self,
                                          EkSession           *session,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*reply_permission)     (EkSource            *self,
                                          EkRequest           *request,
                                          EkPermissionReply    reply,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*reply_question)       (EkSource            *self,
                                          EkRequest           *request,
                                          JsonArray           *answers,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*reject_question)      (EkSource            *self,
                                          EkRequest           *request,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*create_session)       (EkSource            *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*rename_session)       (EkSource            *self,
                                          EkSession           *session,
                                          const char          *title,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*delete_session)       (EkSource            *self,
                                          EkSession           *session,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  void           (*load_older)           (EkSource            *self,
                                          EkSession           *session,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
  gboolean       (*finish)               (EkSource            *self,
                                          GAsyncResult        *result,
                                          GError             **error);
  char          *(*create_session_finish) (EkSource           *self,
                                           GAsyncResult       *result,
                                           GError            **error);

  void           (*open_session)         (EkSource            *self,
                                          EkSession           *session);
  void           (*leave_session)        (EkSource            *self,
                                          EkSession           *session);
  gboolean       (*is_session_loaded)    (EkSource            *self,
                                          EkSession           *session);
  void           (*reconnect)            (EkSource            *self);
  void           (*authenticate)         (EkSource            *self,
                                          const char          *password);
};

EkStore       *ek_source_get_store              (EkSource            *self);
EkSourceState  ek_source_get_state              (EkSource            *self);
const char    *ek_source_get_description        (EkSource            *self);
const char    *ek_source_get_read_only_reason   (EkSource            *self);
gboolean       ek_source_is_read_only           (EkSource            *self);
GListModel    *ek_source_get_agents             (EkSource            *self);
GListModel    *ek_source_get_models             (EkSource            *self);

void           ek_source_send_prompt_async      (EkSource            *self,
                                                 EkSession           *session,
                                                 const char          *text,
                                                 const char          *agent,
                                                 const char          *model,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void           ek_source_abort_async            (EkSource            *self,
                                                 EkSession           *session,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void           ek_source_reply_permission_async (EkSource            *self,
                                                 EkRequest           *request,
                                                 EkPermissionReply    reply,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void           ek_source_reply_question_async   (EkSource            *self,
                                                 EkRequest           *request,
                                                 JsonArray           *answers,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void           ek_source_reject_question_async  (EkSource            *self,
                                                 EkRequest           *request,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void           ek_source_create_session_async   (EkSource            *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char          *ek_source_create_session_finish  (EkSource            *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void           ek_source_rename_session_async   (EkSource            *self,
                                                 EkSession           *session,
                                                 const char          *title,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void           ek_source_delete_session_async   (EkSource            *self,
                                                 EkSession           *session,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
void           ek_source_load_older_async       (EkSource            *self,
                                                 EkSession           *session,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       ek_source_finish                 (EkSource            *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

void           ek_source_open_session           (EkSource            *self,
                                                 EkSession           *session);
void           ek_source_leave_session          (EkSource            *self,
                                                 EkSession           *session);
gboolean       ek_source_is_session_loaded      (EkSource            *self,
                                                 EkSession           *session);
gboolean       ek_source_can_reconnect          (EkSource            *self);
void           ek_source_reconnect              (EkSource            *self);
void           ek_source_authenticate           (EkSource            *self,
                                                 const char          *password);

G_END_DECLS
