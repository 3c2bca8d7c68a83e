/* ek-connection.c: a live server, folded into a store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server replays nothing after a disconnect, so on every
 * `server.connected` (the first and each reconnect) this refetches the
 * sessions, their statuses, the pending permissions and questions, and
 * the history of every session the user has open, and merges each answer
 * with the store at the mark taken when its request left: what live
 * events changed meanwhile wins, what the server no longer has goes.
 *
 * Prompts are shown at once: the user's message and its text part are
 * applied to the store as events with ids made here, before the POST; the
 * server's echo replaces them, and a failed POST takes them out again.
 */

#include "config.h"

#include "ek-connection.h"
#include "ek-id.h"
#include "ek-store-private.h"

/* Older history comes in pages of this many messages: a page is merged
 * in one frame, in which the chat builds the rows it lands near; pages of
 * 50 made frames of 50–90 ms while scrolling back, pages of 10 (fetched
 * five screens ahead, see EkChatView) stay under 45 ms. */
#define OLDER_PAGE_SIZE 10

struct _EkConnection
{
  GObject        parent_instance;

  EkClient      *client;
  EkStore       *store;
  EkEventStream *stream;
  GCancellable  *cancellable;

  GHashTable    *open_sessions;   /* id → next-cursor (char*, NULL at the end) */
  GQueue         closed;          /* ids of sessions closed but still held, latest first */
  GHashTable    *idle_fetches;    /* ids of sessions fetched again as they went idle */
  guint          keep_closed;
  int            history_limit;   /* 0: whole histories */
  guint          pending;         /* fetches of the current resync */
  guint          generation;      /* bumped by each resync */
  gboolean       fetch_failed;    /* one of them failed: resync again */
  guint          retry_id;
  gboolean       synced;
};

G_DEFINE_FINAL_TYPE (EkConnection, ek_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SYNCED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SYNC_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One fetch of a resync: what to merge, and where the store stood. */
typedef struct
{
  EkConnection *self;
  guint64       mark;
  guint         generation;
  char         *session_id;
  gboolean      on_idle;
} Fetch;

static Fetch *
fetch_new (EkConnection *self,
           const char   *session_id)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->mark = ek_store_get_mark (self->store);
  fetch->generation = self->generation;
  fetch->session_id = g_strdup (session_id);
  self->pending++;
  return fetch;
}

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_free (fetch->session_id);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void
set_synced (EkConnection *self,
            gboolean      synced)
{
  if (self->synced == synced)
    return;
  self->synced = synced;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED]);
}

#define RESYNC_RETRY_MS 1000

static void resync (EkConnection *self);

static gboolean
on_resync_retry (gpointer user_data)
{
  EkConnection *self = user_data;

  self->retry_id = 0;
  if (ek_event_stream_get_state (self->stream) == EK_STREAM_STATE_CONNECTED)
    resync (self);
  return G_SOURCE_REMOVE;
}

/* Ends a fetch: reports its error, and says synced after the last. */
static gboolean
fetch_done (Fetch        *fetch,
            const GError *error)
{
  EkConnection *self = fetch->self;

  g_assert (self->pending > 0);
  self->pending--;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  if (error != NULL)
    {
      g_debug ("Refetch failed: %s", error->message);
      if (fetch->generation == self->generation)
        self->fetch_failed = TRUE;
      g_signal_emit (self, signals[SYNC_ERROR], 0, error);
    }

  if (self->pending == 0 && fetch->generation == self->generation &&
      ek_event_stream_get_state (self->stream) == EK_STREAM_STATE_CONNECTED)
    {
      /* synced means every fetch merged: a failed one is tried again */
      if (self->fetch_failed)
        {
          g_clear_handle_id (&self->retry_id, g_source_remove);
          self->retry_id = g_timeout_add (RESYNC_RETRY_MS, on_resync_retry, self);
        }
      else
        set_synced (self, TRUE);
    }

  return error == NULL;
}

static void
on_sessions (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) sessions = ek_client_list_sessions_finish (EK_CLIENT (source), result, &error);

  if (sessions != NULL)
    ek_store_sync_sessions (fetch->self->store, sessions, fetch->mark, TRUE);
  fetch_done (fetch, error);
}

static void
on_statuses (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) statuses = ek_client_get_statuses_finish (EK_CLIENT (source), result, &error);

  if (statuses != NULL)
    ek_store_sync_statuses (fetch->self->store, statuses, fetch->mark);
  fetch_done (fetch, error);
}

static void
on_permissions (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = ek_client_list_permissions_finish (EK_CLIENT (source), result, &error);

  if (requests != NULL)
    ek_store_sync_requests (fetch->self->store, EK_REQUEST_PERMISSION, requests, fetch->mark);
  fetch_done (fetch, error);
}

static void
on_questions (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = ek_client_list_questions_finish (EK_CLIENT (source), result, &error);

  if (requests != NULL)
    ek_store_sync_requests (fetch->self->store, EK_REQUEST_QUESTION, requests, fetch->mark);
  fetch_done (fetch, error);
}

static void
on_history (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonArray) messages = NULL;
  EkConnection *self = fetch->self;

  messages = ek_client_get_history_finish (EK_CLIENT (source), result, &cursor, &error);
  if (fetch->on_idle)
    g_hash_table_remove (self->idle_fetches, fetch->session_id);
  if (messages != NULL && g_hash_table_contains (self->open_sessions, fetch->session_id))
    {
      EkSyncRange range = self->history_limit <= 0 || cursor == NULL ? EK_SYNC_WHOLE : EK_SYNC_NEWEST;

      ek_store_sync_history (self->store, fetch->session_id, messages, fetch->mark, range);
      /* after an idle refetch, older pages go on from where they were */
      if (!fetch->on_idle)
        g_hash_table_replace (self->open_sessions, g_strdup (fetch->session_id),
                              g_steal_pointer (&cursor));
    }
  fetch_done (fetch, error);
}

static void
fetch_history (EkConnection *self,
               const char   *session_id,
               gboolean      on_idle)
{
  Fetch *fetch = fetch_new (self, session_id);

  fetch->on_idle = on_idle;
  if (on_idle)
    g_hash_table_add (self->idle_fetches, g_strdup (session_id));
  ek_client_get_history_async (self->client, session_id, self->history_limit, NULL,
                               self->cancellable, on_history, fetch);
}

static void
resync (EkConnection *self)
{
  GHashTableIter iter;
  gpointer key;

  self->generation++;
  self->fetch_failed = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_synced (self, FALSE);

  ek_client_list_sessions_async (self->client, FALSE, 0, NULL, self->cancellable,
                                 on_sessions, fetch_new (self, NULL));
  ek_client_get_statuses_async (self->client, self->cancellable, on_statuses, fetch_new (self, NULL));
  ek_client_list_permissions_async (self->client, self->cancellable, on_permissions, fetch_new (self, NULL));
  ek_client_list_questions_async (self->client, self->cancellable, on_questions, fetch_new (self, NULL));

  g_hash_table_iter_init (&iter, self->open_sessions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    fetch_history (self, key, FALSE);
}

static void
on_batch (EkEventStream *stream,
          GPtrArray     *batch,
          EkConnection  *self)
{
  ek_store_apply_batch (self->store, batch);

  /* An open session that went idle is fetched once more: whatever the
   * stream may have missed of the turn (a server too busy to send even
   * heartbeats looks dead, and a reconnection loses what was sent in
   * between) the store then has, as the server holds it. */
  for (guint i = 0; i < batch->len; i++)
    {
      EkEvent *event = g_ptr_array_index (batch, i);
      EkEventKind kind = ek_event_get_kind (event);
      const char *session_id = ek_event_get_session_id (event);
      EkSession *session;

      if (kind != EK_EVENT_SESSION_IDLE && kind != EK_EVENT_SESSION_STATUS)
        continue;
      if (session_id == NULL || !g_hash_table_contains (self->open_sessions, session_id) ||
          g_hash_table_contains (self->idle_fetches, session_id))
        continue;
      session = ek_store_lookup_session (self->store, session_id);
      if (session != NULL && ek_session_get_status (session) == EK_SESSION_STATUS_IDLE)
        fetch_history (self, session_id, TRUE);
    }
}

static void
on_server_connected (EkEventStream *stream,
                     EkConnection  *self)
{
  resync (self);
}

static void
on_stream_state (EkEventStream *stream,
                 GParamSpec    *pspec,
                 EkConnection  *self)
{
  if (ek_event_stream_get_state (stream) != EK_STREAM_STATE_CONNECTED)
    set_synced (self, FALSE);
}

static void
ek_connection_dispose (GObject *object)
{
  EkConnection *self = EK_CONNECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      ek_event_stream_stop (self->stream);
    }
  g_clear_object (&self->stream);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ek_connection_parent_class)->dispose (object);
}

static void
ek_connection_finalize (GObject *object)
{
  EkConnection *self = EK_CONNECTION (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->open_sessions);
  g_queue_clear_full (&self->closed, g_free);
  g_hash_table_unref (self->idle_fetches);

  G_OBJECT_CLASS (ek_connection_parent_class)->finalize (object);
}

static void
ek_connection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  EkConnection *self = EK_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_SYNCED:
      g_value_set_boolean (value, self->synced);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_connection_class_init (EkConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_connection_dispose;
  object_class->finalize = ek_connection_finalize;
  object_class->get_property = ek_connection_get_property;

  /**
   * EkConnection:synced:
   *
   * Connected, and every refetch since the last connect has merged.
   */
  properties[PROP_SYNCED] =
    g_param_spec_boolean ("synced", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EkConnection::sync-error:
   * @error: why a refetch failed (it is tried again on the next connect)
   */
  signals[SYNC_ERROR] =
    g_signal_new ("sync-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ek_connection_init (EkConnection *self)
{
  self->cancellable = g_cancellable_new ();
  self->open_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->closed);
  self->idle_fetches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->keep_closed = EK_CONNECTION_KEEP_CLOSED;
}

EkConnection *
ek_connection_new (EkClient *client,
                   EkStore  *store)
{
  EkConnection *self;

  g_return_val_if_fail (EK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (EK_IS_STORE (store), NULL);

  self = g_object_new (EK_TYPE_CONNECTION, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  self->stream = ek_event_stream_new (client);
  g_signal_connect (self->stream, "batch", G_CALLBACK (on_batch), self);
  g_signal_connect (self->stream, "server-connected", G_CALLBACK (on_server_connected), self);
  g_signal_connect (self->stream, "notify::state", G_CALLBACK (on_stream_state), self);
  return self;
}

EkClient *
ek_connection_get_client (EkConnection *self)
{
  g_return_val_if_fail (EK_IS_CONNECTION (self), NULL);
  return self->client;
}

EkStore *
ek_connection_get_store (EkConnection *self)
{
  g_return_val_if_fail (EK_IS_CONNECTION (self), NULL);
  return self->store;
}

EkEventStream *
ek_connection_get_stream (EkConnection *self)
{
  g_return_val_if_fail (EK_IS_CONNECTION (self), NULL);
  return self->stream;
}

void
ek_connection_start (EkConnection *self)
{
  g_return_if_fail (EK_IS_CONNECTION (self));
  ek_event_stream_start (self->stream);
}

void
ek_connection_stop (EkConnection *self)
{
  g_return_if_fail (EK_IS_CONNECTION (self));
  ek_event_stream_stop (self->stream);
}

gboolean
ek_connection_get_synced (EkConnection *self)
{
  g_return_val_if_fail (EK_IS_CONNECTION (self), FALSE);
  return self->synced;
}

/**
 * ek_connection_set_history_limit:
 * @limit: how many of the newest messages an open session loads (0: all)
 */
void
ek_connection_set_history_limit (EkConnection *self,
                                 int           limit)
{
  g_return_if_fail (EK_IS_CONNECTION (self));
  self->history_limit = MAX (limit, 0);
}

static void
forget_closed (EkConnection *self,
               const char   *session_id)
{
  GList *link = g_queue_find_custom (&self->closed, session_id, (GCompareFunc) g_strcmp0);

  if (link != NULL)
    {
      g_free (link->data);
      g_queue_delete_link (&self->closed, link);
    }
}

/* Lets go of the histories of the sessions left longest ago. */
static void
release_closed (EkConnection *self)
{
  while (self->closed.length > self->keep_closed)
    {
      g_autofree char *session_id = g_queue_pop_tail (&self->closed);
      EkSession *session = ek_store_lookup_session (self->store, session_id);

      if (session != NULL)
        ek_session_release_history (session);
    }
}

/**
 * ek_connection_open_session:
 *
 * The user looks at this session: its history is fetched now and after
 * every reconnect.
 */
void
ek_connection_open_session (EkConnection *self,
                            const char   *session_id)
{
  g_return_if_fail (EK_IS_CONNECTION (self));
  g_return_if_fail (session_id != NULL);

  if (g_hash_table_contains (self->open_sessions, session_id))
    return;
  forget_closed (self, session_id);
  g_hash_table_insert (self->open_sessions, g_strdup (session_id), NULL);
  if (ek_event_stream_get_state (self->stream) == EK_STREAM_STATE_CONNECTED)
    fetch_history (self, session_id, FALSE);
}

/**
 * ek_connection_close_session:
 *
 * The user left this session.  Its history is no longer refetched, and
 * once more than the last few sessions left (see
 * ek_connection_set_keep_closed()) its messages are let go; opening it
 * again fetches them anew.
 */
void
ek_connection_close_session (EkConnection *self,
                             const char   *session_id)
{
  g_return_if_fail (EK_IS_CONNECTION (self));
  g_return_if_fail (session_id != NULL);

  if (!g_hash_table_remove (self->open_sessions, session_id))
    return;
  g_queue_push_head (&self->closed, g_strdup (session_id));
  release_closed (self);
}

/**
 * ek_connection_set_keep_closed:
 * @n: how many sessions the user left are kept in memory
 *
 * The default is %EK_CONNECTION_KEEP_CLOSED.
 */
void
ek_connection_set_keep_closed (EkConnection *self,
                               guint         n)
{
  g_return_if_fail (EK_IS_CONNECTION (self));
  self->keep_closed = n;
  release_closed (self);
}

static void
on_older (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EkConnection *self = g_task_get_source_object (task);
  const char *session_id = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonArray) messages = NULL;
  guint64 mark = ek_store_get_mark (self->store);

  messages = ek_client_get_history_finish (EK_CLIENT (source), result, &cursor, &error);
  if (messages == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ek_store_sync_history (self->store, session_id, messages, mark, EK_SYNC_PAGE);

  if (g_hash_table_contains (self->open_sessions, session_id))
    g_hash_table_replace (self->open_sessions, g_strdup (session_id), g_strdup (cursor));
  g_task_return_boolean (task, cursor != NULL);
}

/**
 * ek_connection_load_older_async:
 *
 * Fetches the page of history before the oldest message loaded, when the
 * session was opened with a history limit.  Completes with %TRUE while
 * older pages remain.
 */
void
ek_connection_load_older_async (EkConnection        *self,
                                const char          *session_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *cursor;

  g_return_if_fail (EK_IS_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ek_connection_load_older_async);
  g_task_set_task_data (task, g_strdup (session_id), g_free);

  cursor = g_hash_table_lookup (self->open_sessions, session_id);
  if (cursor == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  ek_client_get_history_async (self->client, session_id, OLDER_PAGE_SIZE, cursor,
                               cancellable, on_older, g_steal_pointer (&task));
}

gboolean
ek_connection_load_older_finish (EkConnection  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sending ---- */

typedef struct
{
  char *session_id;
  char *message_id;
} Prompt;

static void
prompt_free (gpointer data)
{
  Prompt *prompt = data;

  g_free (prompt->session_id);
  g_free (prompt->message_id);
  g_free (prompt);
}

static void
apply_local (EkConnection *self,
             const char   *type_name,
             JsonObject   *props)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) event = ek_event_new (type_name, props, &error);

  if (event == NULL)
    g_critical ("Cannot make a local %s event: %s", type_name, error->message);
  else
    ek_store_apply (self->store, event);
}

static void
on_prompt_sent (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EkConnection *self = g_task_get_source_object (task);
  Prompt *prompt = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!ek_client_prompt_finish (EK_CLIENT (source), result, &error))
    {
      g_autoptr(JsonObject) props = json_object_new ();

      /* the server does not have it: take the shown message back */
      json_object_set_string_member (props, "sessionID", prompt->session_id);
      json_object_set_string_member (props, "messageID", prompt->message_id);
      apply_local (self, "message.removed", props);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_strdup (prompt->message_id), g_free);
}

/**
 * ek_connection_send_prompt_async:
 * @agent: (nullable): the agent, or %NULL for the server's default
 * @provider_id: (nullable): with @model_id, the model, or %NULL
 *
 * Sends a text prompt with `prompt_async`.  The user's message is in the
 * store at once, with ids made here; the server's echo confirms it and a
 * failed request removes it again.  Completes with the message id.
 */
void
ek_connection_send_prompt_async (EkConnection        *self,
                                 const char          *session_id,
                                 const char          *text,
                                 const char          *agent,
                                 const char          *provider_id,
                                 const char          *model_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) info = json_object_new ();
  g_autoptr(JsonObject) time = json_object_new ();
  g_autoptr(JsonObject) part = json_object_new ();
  g_autoptr(JsonObject) props = NULL;
  g_autofree char *message_id = ek_id_ascending ("msg");
  g_autofree char *part_id = ek_id_ascending ("prt");
  Prompt *prompt;

  g_return_if_fail (EK_IS_CONNECTION (self));
  g_return_if_fail (session_id != NULL && text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ek_connection_send_prompt_async);
  prompt = g_new0 (Prompt, 1);
  prompt->session_id = g_strdup (session_id);
  prompt->message_id = g_strdup (message_id);
  g_task_set_task_data (task, prompt, prompt_free);

  /* shown now, as the server will echo it */
  json_object_set_string_member (info, "id", message_id);
  json_object_set_string_member (info, "sessionID", session_id);
  json_object_set_string_member (info, "role", "user");
  json_object_set_int_member (time, "created", g_get_real_time () / 1000);
  json_object_set_object_member (info, "time", g_steal_pointer (&time));
  if (agent != NULL)
    json_object_set_string_member (info, "agent", agent);
  props = json_object_new ();
  json_object_set_string_member (props, "sessionID", session_id);
  json_object_set_object_member (props, "info", g_steal_pointer (&info));
  apply_local (self, "message.updated", props);

  json_object_set_string_member (part, "id", part_id);
  json_object_set_string_member (part, "sessionID", session_id);
  json_object_set_string_member (part, "messageID", message_id);
  json_object_set_string_member (part, "type", "text");
  json_object_set_string_member (part, "text", text);
  g_clear_pointer (&props, json_object_unref);
  props = json_object_new ();
  json_object_set_string_member (props, "sessionID", session_id);
  json_object_set_object_member (props, "part", g_steal_pointer (&part));
  apply_local (self, "message.part.updated", props);

  body = ek_client_prompt_body_new (text, message_id, part_id);
  if (agent != NULL)
    ek_client_prompt_body_set_agent (body, agent);
  if (provider_id != NULL && model_id != NULL)
    ek_client_prompt_body_set_model (body, provider_id, model_id);

  ek_client_prompt_async (self->client, session_id, body, cancellable,
                          on_prompt_sent, g_steal_pointer (&task));
}

/**
 * ek_connection_send_prompt_finish:
 *
 * Returns: (transfer full): the id of the user's message, or %NULL
 */
char *
ek_connection_send_prompt_finish (EkConnection  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
