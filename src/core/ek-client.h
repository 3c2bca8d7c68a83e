/* ek-client.h: the asynchronous REST client of an opencode-protocol server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define EK_CLIENT_ERROR (ek_client_error_quark ())

/**
 * EkClientError:
 * @EK_CLIENT_ERROR_FAILED: an HTTP error status not listed below (403,
 *   405, ...), or a `false` where the server answers `true`
 * @EK_CLIENT_ERROR_UNAUTHORIZED: 401; the server wants a password, or
 *   refused the one sent
 * @EK_CLIENT_ERROR_NOT_FOUND: 404
 * @EK_CLIENT_ERROR_BAD_REQUEST: 400 or 422
 * @EK_CLIENT_ERROR_BUSY: 409 (`SessionBusyError`)
 * @EK_CLIENT_ERROR_SERVER: 5xx
 * @EK_CLIENT_ERROR_UNREACHABLE: no answer at all: connection refused or
 *   lost, name lookup, TLS, timeout
 * @EK_CLIENT_ERROR_PROTOCOL: an answer that is not the JSON expected, or
 *   not HTTP that libsoup can read
 * @EK_CLIENT_ERROR_INVALID: the client's own settings are unusable (a base
 *   URL that is not `http(s)://host[:port]`, an unset password variable)
 *
 * When the server answered, the error keeps the HTTP status and the
 * server's own error name: see ek_client_error_get_status() and
 * ek_client_error_get_name().  The message is the server's own
 * (`data.message` or `message` of its JSON error body) when it sent one.
 */
typedef enum
{
  EK_CLIENT_ERROR_FAILED,
  EK_CLIENT_ERROR_UNAUTHORIZED,
  EK_CLIENT_ERROR_NOT_FOUND,
  EK_CLIENT_ERROR_BAD_REQUEST,
  EK_CLIENT_ERROR_BUSY,
  EK_CLIENT_ERROR_SERVER,
  EK_CLIENT_ERROR_UNREACHABLE,
  EK_CLIENT_ERROR_PROTOCOL,
  EK_CLIENT_ERROR_INVALID,
} EkClientError;

GQuark      ek_client_error_quark      (void);
guint       ek_client_error_get_status (const GError *error);
const char *ek_client_error_get_name   (const GError *error);

typedef enum
{
  EK_PERMISSION_REPLY_ONCE,
  EK_PERMISSION_REPLY_ALWAYS,
  EK_PERMISSION_REPLY_REJECT,
} EkPermissionReply;

#define EK_CLIENT_DEFAULT_USERNAME     "opencode"
#define EK_CLIENT_PASSWORD_ENV         "OPENCODE_SERVER_PASSWORD"

#define EK_TYPE_CLIENT (ek_client_get_type ())

G_DECLARE_FINAL_TYPE (EkClient, ek_client, EK, CLIENT, GObject)

EkClient    *ek_client_new                   (const char   *base_url,
                                              const char   *directory);

const char  *ek_client_get_base_url          (EkClient     *self);
const char  *ek_client_get_directory         (EkClient     *self);
void         ek_client_set_directory         (EkClient     *self,
                                              const char   *directory);
const char  *ek_client_get_username          (EkClient     *self);
void         ek_client_set_username          (EkClient     *self,
                                              const char   *username);
void         ek_client_set_password          (EkClient     *self,
                                              const char   *password);
gboolean     ek_client_has_password          (EkClient     *self);
gboolean     ek_client_set_password_from_env (EkClient     *self,
                                              const char   *variable,
                                              GError      **error);

SoupSession *ek_client_get_session           (EkClient     *self);
SoupMessage *ek_client_new_message           (EkClient     *self,
                                              const char   *method,
                                              const char   *path,
                                              const char * const *query,
                                              GError      **error);
void         ek_client_cancel_all            (EkClient     *self);
guint        ek_client_get_timeout           (EkClient     *self);
void         ek_client_set_timeout           (EkClient     *self,
                                              guint         seconds);

/* Building a PromptBody; the caller chooses the ids (see ek-id.h). */
JsonObject  *ek_client_prompt_body_new       (const char   *text,
                                              const char   *message_id,
                                              const char   *part_id);
void         ek_client_prompt_body_set_model (JsonObject   *body,
                                              const char   *provider_id,
                                              const char   *model_id);
void         ek_client_prompt_body_set_agent (JsonObject   *body,
                                              const char   *agent);
void         ek_client_prompt_body_add_file  (JsonObject   *body,
                                              const char   *part_id,
                                              const char   *mime,
                                              const char   *url,
                                              const char   *filename);

/* Sessions */
void         ek_client_list_sessions_async   (EkClient            *self,
                                              gboolean             roots,
                                              int                  limit,
                                              const char          *search,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray   *ek_client_list_sessions_finish  (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_create_session_async  (EkClient            *self,
                                              const char          *title,
                                              const char          *parent_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_create_session_finish (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_fetch_session_async   (EkClient            *self,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_fetch_session_finish  (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_rename_session_async  (EkClient            *self,
                                              const char          *session_id,
                                              const char          *title,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_rename_session_finish (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_archive_session_async (EkClient            *self,
                                              const char          *session_id,
                                              gint64               archived_ms,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_archive_session_finish (EkClient           *self,
                                               GAsyncResult       *result,
                                               GError            **error);
void         ek_client_delete_session_async  (EkClient            *self,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     ek_client_delete_session_finish (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_get_statuses_async    (EkClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_get_statuses_finish   (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_get_children_async    (EkClient            *self,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray   *ek_client_get_children_finish   (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_get_todos_async       (EkClient            *self,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray   *ek_client_get_todos_finish      (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_get_history_async     (EkClient            *self,
                                              const char          *session_id,
                                              int                  limit,
                                              const char          *before,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray   *ek_client_get_history_finish    (EkClient            *self,
                                              GAsyncResult        *result,
                                              char               **next_cursor,
                                              GError             **error);

/* Prompting and steering a session */
void         ek_client_prompt_async          (EkClient            *self,
                                              const char          *session_id,
                                              JsonObject          *body,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     ek_client_prompt_finish         (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_prompt_and_wait_async (EkClient            *self,
                                              const char          *session_id,
                                              JsonObject          *body,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_prompt_and_wait_finish (EkClient           *self,
                                               GAsyncResult       *result,
                                               GError            **error);
void         ek_client_abort_async           (EkClient            *self,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     ek_client_abort_finish          (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_run_command_async     (EkClient            *self,
                                              const char          *session_id,
                                              const char          *command,
                                              const char          *arguments,
                                              const char          *message_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_run_command_finish    (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_revert_async          (EkClient            *self,
                                              const char          *session_id,
                                              const char          *message_id,
                                              const char          *part_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_revert_finish         (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_unrevert_async        (EkClient            *self,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_unrevert_finish       (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Permissions and questions */
void         ek_client_reply_permission_async  (EkClient            *self,
                                                const char          *request_id,
                                                EkPermissionReply    reply,
                                                const char          *message,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     ek_client_reply_permission_finish (EkClient            *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void         ek_client_list_permissions_async  (EkClient            *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonArray   *ek_client_list_permissions_finish (EkClient            *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void         ek_client_reply_question_async    (EkClient            *self,
                                                const char          *request_id,
                                                GPtrArray           *answers,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     ek_client_reply_question_finish   (EkClient            *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void         ek_client_reject_question_async   (EkClient            *self,
                                                const char          *request_id,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     ek_client_reject_question_finish  (EkClient            *self,
                                                GAsyncResult        *result,
                                                GError             **error);
void         ek_client_list_questions_async    (EkClient            *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonArray   *ek_client_list_questions_finish   (EkClient            *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* The server and its configuration */
void         ek_client_get_providers_async   (EkClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_get_providers_finish  (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_list_agents_async     (EkClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray   *ek_client_list_agents_finish    (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_list_commands_async   (EkClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray   *ek_client_list_commands_finish  (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_get_paths_async       (EkClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_get_paths_finish      (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_find_files_async      (EkClient            *self,
                                              const char          *query,
                                              int                  limit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonArray   *ek_client_find_files_finish     (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void         ek_client_health_async          (EkClient            *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
JsonObject  *ek_client_health_finish         (EkClient            *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
