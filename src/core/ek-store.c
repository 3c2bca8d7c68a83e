/* ek-store.c: the client's normalized copy of the server's state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store has one writer: events applied in order, on the thread that
 * owns it (the main thread in the app).  Everything the views show is a
 * property or a list model of the objects here, so applying an event is
 * all it takes to update the screen.
 */

#include "config.h"

#include <string.h>

#include "ek-event-private.h"
#include "ek-sorted-list.h"
#include "ek-store-private.h"

struct _EkStore
{
  GObject       parent_instance;

  EkSortedList *sessions;
  GHashTable   *sessions_by_id; /* id → EkSession (owned by the list) */
  guint64       n_applied;
  guint64       n_skipped;
  guint64       seq;            /* events applied so far: the stamp clock */
  /* what live events removed, and when: "kind:id" → seq; a refetch that
   * started before the removal must not bring the thing back */
  GHashTable   *tombstones;
};

G_DEFINE_FINAL_TYPE (EkStore, ek_store, G_TYPE_OBJECT)

enum {
  SESSION_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
compare_sessions (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  /* session ids descend with time: this puts the newest first */
  return strcmp (ek_session_get_id ((EkSession *) a), ek_session_get_id ((EkSession *) b));
}

static void
ek_store_finalize (GObject *object)
{
  EkStore *self = EK_STORE (object);

  g_clear_pointer (&self->sessions_by_id, g_hash_table_unref);
  g_clear_pointer (&self->tombstones, g_hash_table_unref);
  g_clear_object (&self->sessions);

  G_OBJECT_CLASS (ek_store_parent_class)->finalize (object);
}

static void
ek_store_class_init (EkStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ek_store_finalize;

  /**
   * EkStore::session-error:
   * @session: (nullable): the session it concerns, if any
   * @error: the error object, `{name, data:{message,…}}`
   *
   * A `session.error` event arrived; the UI tells the user.
   */
  signals[SESSION_ERROR] =
    g_signal_new ("session-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, EK_TYPE_SESSION, JSON_TYPE_OBJECT);
}

static void
ek_store_init (EkStore *self)
{
  self->sessions = ek_sorted_list_new (EK_TYPE_SESSION, compare_sessions, NULL);
  self->sessions_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->tombstones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

EkStore *
ek_store_new (void)
{
  return g_object_new (EK_TYPE_STORE, NULL);
}

/**
 * ek_store_get_sessions:
 *
 * Returns: (transfer none): every known #EkSession, newest first
 */
GListModel *
ek_store_get_sessions (EkStore *self)
{
  g_return_val_if_fail (EK_IS_STORE (self), NULL);
  return G_LIST_MODEL (self->sessions);
}

/**
 * ek_store_lookup_session:
 *
 * Returns: (transfer none) (nullable): the session
 */
EkSession *
ek_store_lookup_session (EkStore    *self,
                         const char *session_id)
{
  g_return_val_if_fail (EK_IS_STORE (self), NULL);

  if (session_id == NULL)
    return NULL;
  return g_hash_table_lookup (self->sessions_by_id, session_id);
}

/* Events may speak of a session before its info arrived (a stream joined
 * mid-way): it gets a place, and its info when it comes. */
static EkSession *
ensure_session (EkStore    *self,
                const char *session_id)
{
  EkSession *session = g_hash_table_lookup (self->sessions_by_id, session_id);
  g_autoptr(EkSession) created = NULL;

  if (session != NULL)
    return session;

  created = ek_session_new (session_id);
  g_hash_table_insert (self->sessions_by_id, (gpointer) ek_session_get_id (created), created);
  ek_sorted_list_insert (self->sessions, created);
  return created;
}

static void
remove_session (EkStore    *self,
                const char *session_id)
{
  EkSession *session = g_hash_table_lookup (self->sessions_by_id, session_id);

  if (session == NULL)
    return;
  g_hash_table_remove (self->sessions_by_id, session_id);
  ek_sorted_list_remove (self->sessions, session);
}

static void
stamp (EkStamp *stamp,
       guint64  seq,
       gboolean own)
{
  stamp->touched = seq;
  if (own)
    stamp->own = seq;
}

static void
bury (EkStore    *self,
      const char *kind,
      const char *id)
{
  g_hash_table_replace (self->tombstones, g_strconcat (kind, ":", id, NULL),
                        GSIZE_TO_POINTER ((gsize) self->seq));
}

/* Was it removed by a live event after @mark? */
static gboolean
buried_since (EkStore    *self,
              const char *kind,
              const char *id,
              guint64     mark)
{
  g_autofree char *key = g_strconcat (kind, ":", id, NULL);
  gpointer value;

  if (!g_hash_table_lookup_extended (self->tombstones, key, NULL, &value))
    return FALSE;
  return (guint64) GPOINTER_TO_SIZE (value) > mark;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_ARRAY)
    return NULL;
  return json_node_get_array (node);
}

static void
skipped (EkStore *self,
         EkEvent *event,
         const char *why)
{
  self->n_skipped++;
  g_debug ("Skipped %s for %s/%s: %s", event->type_name,
           event->message_id ? event->message_id : "-",
           event->part_id ? event->part_id : "-", why);
}

/**
 * ek_store_apply:
 * @event: a decoded event
 *
 * Folds one event into the store.  Unknown and irrelevant events are
 * ignored; events about things the store does not hold (a delta for an
 * unknown part) are counted as skipped and logged at debug level.
 */
void
ek_store_apply (EkStore *self,
                EkEvent *event)
{
  JsonObject *props = event->properties;
  EkSession *session;
  EkMessage *message;
  EkPart *part;
  guint64 seq;

  g_return_if_fail (EK_IS_STORE (self));

  self->n_applied++;
  seq = ++self->seq;

  switch (event->kind)
    {
    case EK_EVENT_PART_DELTA:
      session = g_hash_table_lookup (self->sessions_by_id, event->session_id);
      part = session ? ek_session_append (session, event->message_id, event->part_id, event->field,
                                          event->delta, event->delta_len)
                     : NULL;
      if (part == NULL)
        {
          skipped (self, event, "no such part");
          break;
        }
      stamp (ek_part_get_stamp (part), seq, TRUE);
      stamp (ek_message_get_stamp (ek_session_lookup_message (session, event->message_id)), seq, FALSE);
      stamp (ek_session_get_stamp (session), seq, FALSE);
      break;

    case EK_EVENT_PART_UPDATED:
      session = ensure_session (self, event->session_id);
      part = ek_session_upsert_part (session, event->message_id, ek_json_get_object (props, "part"));
      if (part != NULL)
        {
          stamp (ek_part_get_stamp (part), seq, TRUE);
          stamp (ek_message_get_stamp (ek_session_lookup_message (session, event->message_id)), seq, FALSE);
        }
      stamp (ek_session_get_stamp (session), seq, FALSE);
      break;

    case EK_EVENT_PART_REMOVED:
      bury (self, "part", event->part_id);
      session = g_hash_table_lookup (self->sessions_by_id, event->session_id);
      if (session == NULL || !ek_session_remove_part (session, event->message_id, event->part_id))
        skipped (self, event, "no such part");
      break;

    case EK_EVENT_MESSAGE_UPDATED:
      session = ensure_session (self, event->session_id);
      message = ek_session_upsert_message (session, ek_json_get_object (props, "info"));
      stamp (ek_message_get_stamp (message), seq, TRUE);
      stamp (ek_session_get_stamp (session), seq, FALSE);
      break;

    case EK_EVENT_MESSAGE_REMOVED:
      bury (self, "message", event->message_id);
      session = g_hash_table_lookup (self->sessions_by_id, event->session_id);
      if (session == NULL || !ek_session_remove_message (session, event->message_id))
        skipped (self, event, "no such message");
      break;

    case EK_EVENT_SESSION_CREATED:
    case EK_EVENT_SESSION_UPDATED:
      session = ensure_session (self, event->session_id);
      ek_session_update (session, ek_json_get_object (props, "info"));
      stamp (ek_session_get_stamp (session), seq, TRUE);
      break;

    case EK_EVENT_SESSION_DELETED:
      bury (self, "session", event->session_id);
      remove_session (self, event->session_id);
      break;

    case EK_EVENT_SESSION_STATUS:
      session = ensure_session (self, event->session_id);
      ek_session_set_status (session, ek_json_get_object (props, "status"));
      stamp (ek_session_get_status_stamp (session), seq, TRUE);
      break;

    case EK_EVENT_SESSION_IDLE:
      session = ensure_session (self, event->session_id);
      if (ek_session_get_status (session) != EK_SESSION_STATUS_IDLE)
        ek_session_set_status (session, NULL);
      stamp (ek_session_get_status_stamp (session), seq, TRUE);
      break;

    case EK_EVENT_SESSION_ERROR:
      {
        JsonObject *error = ek_json_get_object (props, "error");

        session = event->session_id ? ensure_session (self, event->session_id) : NULL;
        if (session != NULL)
          ek_session_set_error (session, error);
        if (error != NULL)
          g_signal_emit (self, signals[SESSION_ERROR], 0, session, error);
      }
      break;

    case EK_EVENT_SESSION_DIFF:
      session = ensure_session (self, event->session_id);
      ek_session_set_diff (session, get_array (props, "diff"));
      break;

    case EK_EVENT_TODO_UPDATED:
      session = ensure_session (self, event->session_id);
      ek_session_set_todos (session, get_array (props, "todos"));
      break;

    case EK_EVENT_PERMISSION_ASKED:
    case EK_EVENT_QUESTION_ASKED:
      {
        EkRequestKind kind = event->kind == EK_EVENT_PERMISSION_ASKED
                             ? EK_REQUEST_PERMISSION : EK_REQUEST_QUESTION;
        g_autoptr(EkRequest) request = ek_request_new (kind, props);

        ek_request_set_seq (request, seq);
        session = ensure_session (self, event->session_id);
        ek_session_add_request (session, request);
      }
      break;

    case EK_EVENT_PERMISSION_REPLIED:
    case EK_EVENT_QUESTION_REPLIED:
    case EK_EVENT_QUESTION_REJECTED:
      bury (self, "request", event->part_id);
      session = g_hash_table_lookup (self->sessions_by_id, event->session_id);
      if (session != NULL)
        ek_session_remove_request (session,
                                   event->kind == EK_EVENT_PERMISSION_REPLIED
                                   ? EK_REQUEST_PERMISSION : EK_REQUEST_QUESTION,
                                   event->part_id);
      break;

    case EK_EVENT_UNKNOWN:
    case EK_EVENT_SERVER_CONNECTED:
    case EK_EVENT_SERVER_HEARTBEAT:
    case EK_EVENT_SERVER_INSTANCE_DISPOSED:
    case EK_EVENT_FILE_EDITED:
    case EK_EVENT_FILE_WATCHER_UPDATED:
    case EK_EVENT_VCS_BRANCH_UPDATED:
    case EK_EVENT_PROJECT_UPDATED:
    case EK_EVENT_LSP:
    case EK_EVENT_PLUGIN_ADDED:
    case EK_EVENT_CATALOG_UPDATED:
    case EK_EVENT_N_KINDS:
    default:
      break;
    }
}

/**
 * ek_store_apply_batch:
 * @events: (element-type EkEvent): events in arrival order (a coalesced
 *   batch or raw events)
 */
void
ek_store_apply_batch (EkStore   *self,
                      GPtrArray *events)
{
  g_return_if_fail (EK_IS_STORE (self));

  for (guint i = 0; i < events->len; i++)
    ek_store_apply (self, g_ptr_array_index (events, i));
}

guint64
ek_store_get_n_applied (EkStore *self)
{
  g_return_val_if_fail (EK_IS_STORE (self), 0);
  return self->n_applied;
}

guint64
ek_store_get_n_skipped (EkStore *self)
{
  g_return_val_if_fail (EK_IS_STORE (self), 0);
  return self->n_skipped;
}

/* ---- merging a refetch ---- */

guint64
ek_store_get_mark (EkStore *self)
{
  g_return_val_if_fail (EK_IS_STORE (self), 0);
  return self->seq;
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return NULL;
  return json_node_get_object (node);
}

/**
 * ek_store_sync_sessions:
 * @sessions: `GET /session`'s answer
 * @complete: whether @sessions is every session (no filter, no limit):
 *   then sessions missing from it are removed
 */
void
ek_store_sync_sessions (EkStore   *self,
                        JsonArray *sessions,
                        guint64    mark,
                        gboolean   complete)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (EK_IS_STORE (self));

  for (guint i = 0; i < json_array_get_length (sessions); i++)
    {
      JsonObject *info = element_object (sessions, i);
      const char *id = ek_json_get_string (info, "id");
      EkSession *session;

      if (id == NULL || buried_since (self, "session", id, mark))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      session = ensure_session (self, id);
      if (ek_session_get_stamp (session)->own <= mark)
        ek_session_update (session, info);
    }

  if (!complete)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sessions)); i++)
    {
      EkSession *session = ek_sorted_list_peek (self->sessions, i);

      if (!g_hash_table_contains (seen, ek_session_get_id (session)) &&
          ek_session_get_stamp (session)->touched <= mark)
        g_ptr_array_add (gone, g_strdup (ek_session_get_id (session)));
    }
  for (guint i = 0; i < gone->len; i++)
    remove_session (self, g_ptr_array_index (gone, i));
}

/**
 * ek_store_sync_statuses:
 * @statuses: `GET /session/status`'s answer: only the sessions that are
 *   not idle
 */
void
ek_store_sync_statuses (EkStore    *self,
                        JsonObject *statuses,
                        guint64     mark)
{
  g_autoptr(GList) members = NULL;

  g_return_if_fail (EK_IS_STORE (self));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sessions)); i++)
    {
      EkSession *session = ek_sorted_list_peek (self->sessions, i);

      if (ek_session_get_status_stamp (session)->own <= mark)
        ek_session_set_status (session, ek_json_get_object (statuses, ek_session_get_id (session)));
    }

  /* busy sessions the store has not seen yet */
  members = statuses ? json_object_get_members (statuses) : NULL;
  for (GList *l = members; l != NULL; l = l->next)
    if (!buried_since (self, "session", l->data, mark) &&
        g_hash_table_lookup (self->sessions_by_id, l->data) == NULL)
      ek_session_set_status (ensure_session (self, l->data), ek_json_get_object (statuses, l->data));
}

/**
 * ek_store_sync_requests:
 * @requests: `GET /permission`'s or `GET /question`'s answer
 */
void
ek_store_sync_requests (EkStore       *self,
                        EkRequestKind  kind,
                        JsonArray     *requests,
                        guint64        mark)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_if_fail (EK_IS_STORE (self));

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *data = element_object (requests, i);
      const char *id = ek_json_get_string (data, "id");
      const char *session_id = ek_json_get_string (data, "sessionID");
      EkSession *session;
      EkRequest *existing;

      if (id == NULL || session_id == NULL || buried_since (self, "request", id, mark))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      session = ensure_session (self, session_id);
      existing = ek_session_lookup_request (session, kind, id);
      if (existing == NULL || ek_request_get_seq (existing) <= mark)
        {
          g_autoptr(EkRequest) request = ek_request_new (kind, data);
          ek_session_add_request (session, request);
        }
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->sessions)); i++)
    {
      EkSession *session = ek_sorted_list_peek (self->sessions, i);
      g_autoptr(GPtrArray) pending = ek_session_dup_requests (session, kind);

      for (guint j = 0; j < pending->len; j++)
        {
          EkRequest *request = g_ptr_array_index (pending, j);

          if (!g_hash_table_contains (seen, ek_request_get_id (request)) &&
              ek_request_get_seq (request) <= mark)
            ek_session_remove_request (session, kind, ek_request_get_id (request));
        }
    }
}

static void
sync_parts (EkStore   *self,
            EkMessage *message,
            JsonArray *parts,
            guint64    mark)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GListModel *list = ek_message_get_parts (message);

  for (guint i = 0; parts != NULL && i < json_array_get_length (parts); i++)
    {
      JsonObject *data = element_object (parts, i);
      const char *id = ek_json_get_string (data, "id");
      EkPart *part;

      if (id == NULL || ek_json_get_string (data, "type") == NULL ||
          buried_since (self, "part", id, mark))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      part = ek_message_lookup_part (message, id);
      if (part == NULL || ek_part_get_stamp (part)->own <= mark)
        ek_message_upsert_part (message, data);
    }

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(EkPart) part = g_list_model_get_item (list, i);

      if (!g_hash_table_contains (seen, ek_part_get_id (part)) &&
          ek_part_get_stamp (part)->touched <= mark)
        g_ptr_array_add (gone, g_strdup (ek_part_get_id (part)));
    }
  for (guint i = 0; i < gone->len; i++)
    ek_message_remove_part (message, g_ptr_array_index (gone, i));
}

/**
 * ek_store_sync_history:
 * @messages: `GET /session/{id}/message`'s answer, `[{info, parts}]`
 *   oldest first
 * @range: what @messages covers: store messages missing from it are
 *   removed only within that range
 */
void
ek_store_sync_history (EkStore     *self,
                       const char  *session_id,
                       JsonArray   *messages,
                       guint64      mark,
                       EkSyncRange  range)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  EkMessage *oldest = NULL;
  EkMessage *newest = NULL;
  EkSession *session;
  GListModel *list;

  g_return_if_fail (EK_IS_STORE (self));

  if (buried_since (self, "session", session_id, mark))
    return;
  session = ensure_session (self, session_id);
  list = ek_session_get_messages (session);

  /* new messages are shown once they are whole */
  ek_session_hold_messages (session);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *element = element_object (messages, i);
      JsonObject *info = ek_json_get_object (element, "info");
      const char *id = ek_json_get_string (info, "id");
      JsonNode *parts_node = element ? json_object_get_member (element, "parts") : NULL;
      EkMessage *message;

      if (id == NULL || buried_since (self, "message", id, mark))
        continue;
      g_hash_table_add (seen, (gpointer) id);

      message = ek_session_lookup_message (session, id);
      if (message == NULL || ek_message_get_stamp (message)->own <= mark)
        message = ek_session_upsert_message (session, info);
      sync_parts (self, message,
                  parts_node && JSON_NODE_TYPE (parts_node) == JSON_NODE_ARRAY
                  ? json_node_get_array (parts_node) : NULL,
                  mark);
      if (oldest == NULL || ek_message_compare (message, oldest, NULL) < 0)
        oldest = message;
      if (newest == NULL || ek_message_compare (message, newest, NULL) > 0)
        newest = message;
    }
  ek_session_release_messages (session);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (list, i);

      if (g_hash_table_contains (seen, ek_message_get_id (message)) ||
          ek_message_get_stamp (message)->touched > mark)
        continue;
      if (range != EK_SYNC_WHOLE && (oldest == NULL || ek_message_compare (message, oldest, NULL) < 0))
        continue;
      if (range == EK_SYNC_PAGE && ek_message_compare (message, newest, NULL) > 0)
        continue;
      g_ptr_array_add (gone, g_strdup (ek_message_get_id (message)));
    }
  for (guint i = 0; i < gone->len; i++)
    ek_session_remove_message (session, g_ptr_array_index (gone, i));
}
