/* ek-message.c: one message of a session, with its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ek-sorted-list.h"
#include "ek-store-private.h"

struct _EkMessage
{
  GObject       parent_instance;

  char         *id;
  char         *session_id;
  gint64        time_created;
  JsonObject   *data;
  EkSortedList *parts;
  GHashTable   *parts_by_id; /* id → EkPart (owned by the list) */
  EkStamp       stamp;
};

G_DEFINE_FINAL_TYPE (EkMessage, ek_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SESSION_ID,
  PROP_ROLE,
  PROP_TIME_CREATED,
  PROP_DATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_parts (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (ek_part_get_id ((EkPart *) a), ek_part_get_id ((EkPart *) b));
}

/**
 * ek_message_compare:
 *
 * The order of a session's messages: by `time.created`, then by id (ids
 * alone wrap around every ~795 days).
 */
int
ek_message_compare (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const EkMessage *ma = a, *mb = b;

  if (ma->time_created != mb->time_created)
    return ma->time_created < mb->time_created ? -1 : 1;
  return strcmp (ma->id, mb->id);
}

static void
ek_message_finalize (GObject *object)
{
  EkMessage *self = EK_MESSAGE (object);

  g_free (self->id);
  g_free (self->session_id);
  g_clear_pointer (&self->data, json_object_unref);
  g_clear_pointer (&self->parts_by_id, g_hash_table_unref);
  g_clear_object (&self->parts);

  G_OBJECT_CLASS (ek_message_parent_class)->finalize (object);
}

static void
ek_message_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  EkMessage *self = EK_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SESSION_ID:
      g_value_set_string (value, self->session_id);
      break;
    case PROP_ROLE:
      g_value_set_string (value, ek_message_get_role (self));
      break;
    case PROP_TIME_CREATED:
      g_value_set_int64 (value, self->time_created);
      break;
    case PROP_DATA:
      g_value_set_boxed (value, self->data);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_message_class_init (EkMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ek_message_finalize;
  object_class->get_property = ek_message_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION_ID] =
    g_param_spec_string ("session-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_string ("role", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_CREATED] =
    g_param_spec_int64 ("time-created", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkMessage:data:
   *
   * The message's `info` as the server last sent it; notified on every
   * update.
   */
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ek_message_init (EkMessage *self)
{
  self->parts = ek_sorted_list_new (EK_TYPE_PART, compare_parts, NULL);
  self->parts_by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

EkMessage *
ek_message_new (JsonObject *info)
{
  EkMessage *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (EK_TYPE_MESSAGE, NULL);
  self->id = g_strdup (ek_json_get_string (info, "id"));
  self->session_id = g_strdup (ek_json_get_string (info, "sessionID"));
  self->data = json_object_ref (info);
  self->time_created = ek_json_get_int (ek_json_get_object (info, "time"), "created", 0);
  return self;
}

/**
 * ek_message_update:
 *
 * Replaces the info.  The caller (the session) takes the message out of
 * its sorted list first when `time.created` changes.
 */
void
ek_message_update (EkMessage  *self,
                   JsonObject *info)
{
  gint64 time_created;
  gboolean role_changed;

  g_return_if_fail (EK_IS_MESSAGE (self));

  if (info == self->data)
    return;

  time_created = ek_json_get_int (ek_json_get_object (info, "time"), "created", 0);
  role_changed = g_strcmp0 (ek_json_get_string (info, "role"), ek_message_get_role (self)) != 0;

  g_clear_pointer (&self->data, json_object_unref);
  self->data = json_object_ref (info);

  g_object_freeze_notify (G_OBJECT (self));
  if (time_created != self->time_created)
    {
      self->time_created = time_created;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_CREATED]);
    }
  if (role_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
  g_object_thaw_notify (G_OBJECT (self));
}

EkPart *
ek_message_upsert_part (EkMessage  *self,
                        JsonObject *part)
{
  const char *id = ek_json_get_string (part, "id");
  EkPart *existing;
  g_autoptr(EkPart) created = NULL;

  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  existing = g_hash_table_lookup (self->parts_by_id, id);
  if (existing != NULL)
    {
      ek_part_update (existing, part);
      return existing;
    }

  created = ek_part_new (part);
  g_hash_table_insert (self->parts_by_id, (gpointer) ek_part_get_id (created), created);
  ek_sorted_list_insert (self->parts, created);
  return created;
}

EkPart *
ek_message_append (EkMessage  *self,
                   const char *part_id,
                   const char *field,
                   const char *delta,
                   gsize       len)
{
  EkPart *part = g_hash_table_lookup (self->parts_by_id, part_id);

  if (part == NULL)
    return NULL;
  ek_part_append (part, field, delta, len);
  return part;
}

gboolean
ek_message_remove_part (EkMessage  *self,
                        const char *part_id)
{
  EkPart *part = g_hash_table_lookup (self->parts_by_id, part_id);

  if (part == NULL)
    return FALSE;
  g_hash_table_remove (self->parts_by_id, part_id);
  ek_sorted_list_remove (self->parts, part);
  return TRUE;
}

const char *
ek_message_get_id (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return self->id;
}

const char *
ek_message_get_session_id (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return self->session_id;
}

/**
 * ek_message_get_role:
 *
 * Returns: (nullable): "user" or "assistant"
 */
const char *
ek_message_get_role (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return ek_json_get_string (self->data, "role");
}

const char *
ek_message_get_parent_id (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return ek_json_get_string (self->data, "parentID");
}

gint64
ek_message_get_time_created (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), 0);
  return self->time_created;
}

/**
 * ek_message_get_time_completed:
 *
 * Returns: `time.completed` in ms since the epoch, or 0 while the message
 *   is still being written
 */
gint64
ek_message_get_time_completed (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), 0);
  return ek_json_get_int (ek_json_get_object (self->data, "time"), "completed", 0);
}

JsonObject *
ek_message_get_data (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return self->data;
}

/**
 * ek_message_get_error:
 *
 * Returns: (transfer none) (nullable): the assistant message's `error`
 *   (`{name, data:{message,…}}`), e.g. `MessageAbortedError`
 */
JsonObject *
ek_message_get_error (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return ek_json_get_object (self->data, "error");
}

/**
 * ek_message_get_parts:
 *
 * Returns: (transfer none): the parts, sorted by id
 */
GListModel *
ek_message_get_parts (EkMessage *self)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return G_LIST_MODEL (self->parts);
}

/**
 * ek_message_lookup_part:
 *
 * Returns: (transfer none) (nullable): the part
 */
EkPart *
ek_message_lookup_part (EkMessage  *self,
                        const char *part_id)
{
  g_return_val_if_fail (EK_IS_MESSAGE (self), NULL);
  return g_hash_table_lookup (self->parts_by_id, part_id);
}

/**
 * ek_message_to_json:
 *
 * Returns: (transfer full): `{info, parts}`, as one element of the
 *   server's `GET /session/{id}/message`
 */
JsonNode *
ek_message_to_json (EkMessage *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *parts = json_array_sized_new (g_list_model_get_n_items (G_LIST_MODEL (self->parts)));
  JsonNode *node;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->parts)); i++)
    json_array_add_element (parts, ek_part_to_json (ek_sorted_list_peek (self->parts, i)));

  json_object_set_object_member (object, "info", json_object_ref (self->data));
  json_object_set_array_member (object, "parts", parts);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

EkStamp *
ek_message_get_stamp (EkMessage *self)
{
  return &self->stamp;
}
