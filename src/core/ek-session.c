/* ek-session.c: one session, its messages and what is pending in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ek-sorted-list.h"
#include "ek-store-private.h"

struct _EkSession
{
  GObject          parent_instance;

  char            *id;
  JsonObject      *data;        /* NULL until the session's info arrives */
  EkSessionStatus  status;
  JsonObject      *status_data;
  JsonObject      *error;
  JsonArray       *diff;
  JsonArray       *todos;
  EkSortedList    *messages;
  GHashTable      *messages_by_id;  /* id → EkMessage (owned by the list,
                                     * or by held) */
  GPtrArray       *held;        /* new messages, while holding */
  /* parts that arrived before their message: message id → (part id → JsonObject) */
  GHashTable      *orphans;
  GListStore      *permissions;
  GListStore      *questions;
  EkStamp          stamp;
  EkStamp          status_stamp;
};

G_DEFINE_FINAL_TYPE (EkSession, ek_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (EkSessionStatus, ek_session_status,
  G_DEFINE_ENUM_VALUE (EK_SESSION_STATUS_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (EK_SESSION_STATUS_BUSY, "busy"),
  G_DEFINE_ENUM_VALUE (EK_SESSION_STATUS_RETRY, "retry"))

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_TIME_UPDATED,
  PROP_DATA,
  PROP_STATUS,
  PROP_STATUS_DATA,
  PROP_ERROR,
  PROP_DIFF,
  PROP_TODOS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ek_session_finalize (GObject *object)
{
  EkSession *self = EK_SESSION (object);

  g_free (self->id);
  g_clear_pointer (&self->data, json_object_unref);
  g_clear_pointer (&self->status_data, json_object_unref);
  g_clear_pointer (&self->error, json_object_unref);
  g_clear_pointer (&self->diff, json_array_unref);
  g_clear_pointer (&self->todos, json_array_unref);
  g_clear_pointer (&self->messages_by_id, g_hash_table_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->orphans, g_hash_table_unref);
  g_clear_object (&self->messages);
  g_clear_object (&self->permissions);
  g_clear_object (&self->questions);

  G_OBJECT_CLASS (ek_session_parent_class)->finalize (object);
}

static void
ek_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EkSession *self = EK_SESSION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, ek_session_get_title (self));
      break;
    case PROP_TIME_UPDATED:
      g_value_set_int64 (value, ek_session_get_time_updated (self));
      break;
    case PROP_DATA:
      g_value_set_boxed (value, self->data);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_DATA:
      g_value_set_boxed (value, self->status_data);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_DIFF:
      g_value_set_boxed (value, self->diff);
      break;
    case PROP_TODOS:
      g_value_set_boxed (value, self->todos);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_session_class_init (EkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ek_session_finalize;
  object_class->get_property = ek_session_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_UPDATED] =
    g_param_spec_int64 ("time-updated", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, EK_TYPE_SESSION_STATUS, EK_SESSION_STATUS_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkSession:status-data:
   *
   * The last `session.status` status object: for retry, `attempt`,
   * `message` and `next` (ms since the epoch).
   */
  properties[PROP_STATUS_DATA] =
    g_param_spec_boxed ("status-data", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkSession:error:
   *
   * The last `session.error`'s error (`{name, data:{message}}`), or %NULL.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIFF] =
    g_param_spec_boxed ("diff", NULL, NULL, JSON_TYPE_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TODOS] =
    g_param_spec_boxed ("todos", NULL, NULL, JSON_TYPE_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ek_session_init (EkSession *self)
{
  self->messages = ek_sorted_list_new (EK_TYPE_MESSAGE, ek_message_compare, NULL);
  self->messages_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->orphans = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  self->permissions = g_list_store_new (EK_TYPE_REQUEST);
  self->questions = g_list_store_new (EK_TYPE_REQUEST);
}

EkSession *
ek_session_new (const char *id)
{
  EkSession *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (EK_TYPE_SESSION, NULL);
  self->id = g_strdup (id);
  return self;
}

void
ek_session_update (EkSession  *self,
                   JsonObject *info)
{
  g_autofree char *old_title = NULL;
  gint64 old_updated;

  g_return_if_fail (EK_IS_SESSION (self));

  if (info == self->data)
    return;

  old_title = g_strdup (ek_session_get_title (self));
  old_updated = ek_session_get_time_updated (self);

  g_clear_pointer (&self->data, json_object_unref);
  self->data = json_object_ref (info);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (old_title, ek_session_get_title (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  if (old_updated != ek_session_get_time_updated (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_UPDATED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
ek_session_set_status (EkSession  *self,
                       JsonObject *status)
{
  const char *type = ek_json_get_string (status, "type");
  EkSessionStatus value = EK_SESSION_STATUS_IDLE;

  g_return_if_fail (EK_IS_SESSION (self));

  if (g_strcmp0 (type, "busy") == 0)
    value = EK_SESSION_STATUS_BUSY;
  else if (g_strcmp0 (type, "retry") == 0)
    value = EK_SESSION_STATUS_RETRY;

  g_object_freeze_notify (G_OBJECT (self));
  if (status != self->status_data)
    {
      g_clear_pointer (&self->status_data, json_object_unref);
      self->status_data = status ? json_object_ref (status) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_DATA]);
    }
  if (value != self->status)
    {
      self->status = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
ek_session_set_error (EkSession  *self,
                      JsonObject *error)
{
  g_return_if_fail (EK_IS_SESSION (self));

  if (error == self->error)
    return;
  g_clear_pointer (&self->error, json_object_unref);
  self->error = error ? json_object_ref (error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

void
ek_session_set_diff (EkSession *self,
                     JsonArray *diff)
{
  g_return_if_fail (EK_IS_SESSION (self));

  if (diff == self->diff)
    return;
  g_clear_pointer (&self->diff, json_array_unref);
  self->diff = diff ? json_array_ref (diff) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIFF]);
}

void
ek_session_set_todos (EkSession *self,
                      JsonArray *todos)
{
  g_return_if_fail (EK_IS_SESSION (self));

  if (todos == self->todos)
    return;
  g_clear_pointer (&self->todos, json_array_unref);
  self->todos = todos ? json_array_ref (todos) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TODOS]);
}

static GListStore *
requests_of_kind (EkSession     *self,
                  EkRequestKind  kind)
{
  return kind == EK_REQUEST_PERMISSION ? self->permissions : self->questions;
}

EkRequest *
ek_session_lookup_request (EkSession     *self,
                           EkRequestKind  kind,
                           const char    *request_id)
{
  GListModel *list = G_LIST_MODEL (requests_of_kind (self, kind));
  guint n = g_list_model_get_n_items (list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkRequest) request = g_list_model_get_item (list, i);

      if (g_strcmp0 (ek_request_get_id (request), request_id) == 0)
        return request;
    }
  return NULL;
}

/* Returns: (transfer container): the pending requests of @kind */
GPtrArray *
ek_session_dup_requests (EkSession     *self,
                         EkRequestKind  kind)
{
  GListModel *list = G_LIST_MODEL (requests_of_kind (self, kind));
  guint n = g_list_model_get_n_items (list);
  GPtrArray *out = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, g_list_model_get_item (list, i));
  return out;
}

static gboolean
find_request (GListStore *list,
              const char *request_id,
              guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkRequest) request = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_strcmp0 (ek_request_get_id (request), request_id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* Adds a pending request, or replaces the one with the same id. */
void
ek_session_add_request (EkSession *self,
                        EkRequest *request)
{
  GListStore *list;
  guint position;

  g_return_if_fail (EK_IS_SESSION (self));

  list = requests_of_kind (self, ek_request_get_kind (request));
  if (find_request (list, ek_request_get_id (request), &position))
    g_list_store_splice (list, position, 1, (gpointer *) &request, 1);
  else
    g_list_store_append (list, request);
}

gboolean
ek_session_remove_request (EkSession     *self,
                           EkRequestKind  kind,
                           const char    *request_id)
{
  GListStore *list;
  guint position;

  g_return_val_if_fail (EK_IS_SESSION (self), FALSE);

  list = requests_of_kind (self, kind);
  if (!find_request (list, request_id, &position))
    return FALSE;
  g_list_store_remove (list, position);
  return TRUE;
}

static void
adopt_orphans (EkSession *self,
               EkMessage *message)
{
  GHashTable *parts = g_hash_table_lookup (self->orphans, ek_message_get_id (message));
  g_autoptr(GList) values = NULL;

  if (parts == NULL)
    return;

  values = g_hash_table_get_values (parts);
  for (GList *l = values; l != NULL; l = l->next)
    ek_message_upsert_part (message, l->data);
  g_hash_table_remove (self->orphans, ek_message_get_id (message));
}

static gboolean
is_held (EkSession *self,
         EkMessage *message)
{
  return self->held != NULL && g_ptr_array_find (self->held, message, NULL);
}

EkMessage *
ek_session_upsert_message (EkSession  *self,
                           JsonObject *info)
{
  const char *id = ek_json_get_string (info, "id");
  EkMessage *existing;
  g_autoptr(EkMessage) created = NULL;

  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  existing = g_hash_table_lookup (self->messages_by_id, id);
  if (existing != NULL)
    {
      gint64 created_at = ek_json_get_int (ek_json_get_object (info, "time"), "created", 0);

      if (created_at != ek_message_get_time_created (existing) && !is_held (self, existing))
        {
          /* the sort key moves: take it out under the old key */
          g_autoptr(EkMessage) keep = g_object_ref (existing);

          ek_sorted_list_remove (self->messages, keep);
          ek_message_update (keep, info);
          ek_sorted_list_insert (self->messages, keep);
        }
      else
        ek_message_update (existing, info);
      return existing;
    }

  created = ek_message_new (info);
  g_hash_table_insert (self->messages_by_id, (gpointer) ek_message_get_id (created), created);
  adopt_orphans (self, created);
  if (self->held != NULL)
    g_ptr_array_add (self->held, g_object_ref (created));
  else
    ek_sorted_list_insert (self->messages, created);
  return created;
}

/**
 * ek_session_hold_messages:
 *
 * Until ek_session_release_messages(), new messages are not put in the
 * list yet: a page of history is built whole, parts included, and then
 * shown with one ::items-changed (a view then binds each row once, to a
 * complete message, instead of once per message and again per part).
 * Lookups find held messages.
 */
void
ek_session_hold_messages (EkSession *self)
{
  g_return_if_fail (EK_IS_SESSION (self));
  g_return_if_fail (self->held == NULL);

  self->held = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * ek_session_release_messages:
 *
 * Puts the messages held since ek_session_hold_messages() in the list.
 */
void
ek_session_release_messages (EkSession *self)
{
  g_autoptr(GPtrArray) held = NULL;

  g_return_if_fail (EK_IS_SESSION (self));
  g_return_if_fail (self->held != NULL);

  held = g_steal_pointer (&self->held);
  if (held->len > 0)
    ek_sorted_list_insert_many (self->messages, held);
}

/**
 * ek_session_release_history:
 *
 * Lets go of the session's messages and parts, to save memory while
 * nobody looks at it; its info, status and requests stay.  Fetching the
 * history again brings them back.
 */
void
ek_session_release_history (EkSession *self)
{
  g_return_if_fail (EK_IS_SESSION (self));

  g_hash_table_remove_all (self->orphans);
  g_hash_table_remove_all (self->messages_by_id);
  ek_sorted_list_remove_all (self->messages);
}

gboolean
ek_session_remove_message (EkSession  *self,
                           const char *message_id)
{
  EkMessage *message;

  g_return_val_if_fail (EK_IS_SESSION (self), FALSE);

  g_hash_table_remove (self->orphans, message_id);
  message = g_hash_table_lookup (self->messages_by_id, message_id);
  if (message == NULL)
    return FALSE;
  g_hash_table_remove (self->messages_by_id, message_id);
  if (is_held (self, message))
    g_ptr_array_remove (self->held, message);
  else
    ek_sorted_list_remove (self->messages, message);
  return TRUE;
}

/* A part for a message we do not have yet is kept aside until the
 * message arrives, so a reordered stream still ends up complete. */
EkPart *
ek_session_upsert_part (EkSession  *self,
                        const char *message_id,
                        JsonObject *part)
{
  EkMessage *message;
  GHashTable *parts;

  g_return_val_if_fail (EK_IS_SESSION (self), NULL);

  message = g_hash_table_lookup (self->messages_by_id, message_id);
  if (message != NULL)
    return ek_message_upsert_part (message, part);

  parts = g_hash_table_lookup (self->orphans, message_id);
  if (parts == NULL)
    {
      parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) json_object_unref);
      g_hash_table_insert (self->orphans, g_strdup (message_id), parts);
    }
  g_hash_table_replace (parts, g_strdup (ek_json_get_string (part, "id")), json_object_ref (part));
  return NULL;
}

EkPart *
ek_session_append (EkSession  *self,
                   const char *message_id,
                   const char *part_id,
                   const char *field,
                   const char *delta,
                   gsize       len)
{
  EkMessage *message = g_hash_table_lookup (self->messages_by_id, message_id);

  if (message == NULL)
    return NULL;
  return ek_message_append (message, part_id, field, delta, len);
}

gboolean
ek_session_remove_part (EkSession  *self,
                        const char *message_id,
                        const char *part_id)
{
  EkMessage *message = g_hash_table_lookup (self->messages_by_id, message_id);
  GHashTable *parts = g_hash_table_lookup (self->orphans, message_id);

  if (parts != NULL)
    g_hash_table_remove (parts, part_id);
  if (message == NULL)
    return FALSE;
  return ek_message_remove_part (message, part_id);
}

const char *
ek_session_get_id (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return self->id;
}

/**
 * ek_session_get_title:
 *
 * Returns: (nullable): the title, %NULL until the session's info arrived
 */
const char *
ek_session_get_title (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return ek_json_get_string (self->data, "title");
}

const char *
ek_session_get_parent_id (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return ek_json_get_string (self->data, "parentID");
}

const char *
ek_session_get_directory (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return ek_json_get_string (self->data, "directory");
}

gint64
ek_session_get_time_created (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), 0);
  return ek_json_get_int (ek_json_get_object (self->data, "time"), "created", 0);
}

gint64
ek_session_get_time_updated (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), 0);
  return ek_json_get_int (ek_json_get_object (self->data, "time"), "updated", 0);
}

gboolean
ek_session_get_archived (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), FALSE);
  return ek_json_get_int (ek_json_get_object (self->data, "time"), "archived", 0) != 0;
}

JsonObject *
ek_session_get_data (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return self->data;
}

EkSessionStatus
ek_session_get_status (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), EK_SESSION_STATUS_IDLE);
  return self->status;
}

JsonObject *
ek_session_get_status_data (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return self->status_data;
}

JsonObject *
ek_session_get_error (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return self->error;
}

JsonArray *
ek_session_get_diff (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return self->diff;
}

JsonArray *
ek_session_get_todos (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return self->todos;
}

/**
 * ek_session_get_messages:
 *
 * Returns: (transfer none): the messages, sorted by (time.created, id)
 */
GListModel *
ek_session_get_messages (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->messages);
}

/**
 * ek_session_get_permissions:
 *
 * Returns: (transfer none): pending #EkRequest permission requests
 */
GListModel *
ek_session_get_permissions (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->permissions);
}

/**
 * ek_session_get_questions:
 *
 * Returns: (transfer none): pending #EkRequest questions
 */
GListModel *
ek_session_get_questions (EkSession *self)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return G_LIST_MODEL (self->questions);
}

EkMessage *
ek_session_lookup_message (EkSession  *self,
                           const char *message_id)
{
  g_return_val_if_fail (EK_IS_SESSION (self), NULL);
  return g_hash_table_lookup (self->messages_by_id, message_id);
}

/**
 * ek_session_to_json:
 *
 * Returns: (transfer full): the messages as `[{info, parts}, …]`, the shape
 *   of the server's `GET /session/{id}/message`
 */
JsonNode *
ek_session_to_json (EkSession *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  JsonArray *array = json_array_sized_new (n);
  JsonNode *node;

  for (guint i = 0; i < n; i++)
    json_array_add_element (array, ek_message_to_json (ek_sorted_list_peek (self->messages, i)));

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

EkStamp *
ek_session_get_stamp (EkSession *self)
{
  return &self->stamp;
}

EkStamp *
ek_session_get_status_stamp (EkSession *self)
{
  return &self->status_stamp;
}
