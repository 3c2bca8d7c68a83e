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

  g_return_if_fail (EK_IS_STORE (self));

  self->n_applied++;

  switch (event->kind)
    {
    case EK_EVENT_PART_DELTA:
      session = g_hash_table_lookup (self->sessions_by_id, event->session_id);
      if (session == NULL ||
          !ek_session_append (session, event->message_id, event->part_id, event->field,
                              event->delta, event->delta_len))
        skipped (self, event, "no such part");
      break;

    case EK_EVENT_PART_UPDATED:
      session = ensure_session (self, event->session_id);
      ek_session_upsert_part (session, event->message_id, ek_json_get_object (props, "part"));
      break;

    case EK_EVENT_PART_REMOVED:
      session = g_hash_table_lookup (self->sessions_by_id, event->session_id);
      if (session == NULL || !ek_session_remove_part (session, event->message_id, event->part_id))
        skipped (self, event, "no such part");
      break;

    case EK_EVENT_MESSAGE_UPDATED:
      session = ensure_session (self, event->session_id);
      ek_session_upsert_message (session, ek_json_get_object (props, "info"));
      break;

    case EK_EVENT_MESSAGE_REMOVED:
      session = g_hash_table_lookup (self->sessions_by_id, event->session_id);
      if (session == NULL || !ek_session_remove_message (session, event->message_id))
        skipped (self, event, "no such message");
      break;

    case EK_EVENT_SESSION_CREATED:
    case EK_EVENT_SESSION_UPDATED:
      session = ensure_session (self, event->session_id);
      ek_session_update (session, ek_json_get_object (props, "info"));
      break;

    case EK_EVENT_SESSION_DELETED:
      remove_session (self, event->session_id);
      break;

    case EK_EVENT_SESSION_STATUS:
      session = ensure_session (self, event->session_id);
      ek_session_set_status (session, ek_json_get_object (props, "status"));
      break;

    case EK_EVENT_SESSION_IDLE:
      session = ensure_session (self, event->session_id);
      if (ek_session_get_status (session) != EK_SESSION_STATUS_IDLE)
        ek_session_set_status (session, NULL);
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

        session = ensure_session (self, event->session_id);
        ek_session_add_request (session, request);
      }
      break;

    case EK_EVENT_PERMISSION_REPLIED:
    case EK_EVENT_QUESTION_REPLIED:
    case EK_EVENT_QUESTION_REJECTED:
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
