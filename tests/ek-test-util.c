/* ek-test-util.c: helpers shared by the core's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ek-coalescer.h"
#include "ek-event-private.h"
#include "ek-sse-parser.h"
#include "ek-test-util.h"

/* ------------------------------------------------------------------ */
/* JSON values                                                        */

static void
describe (GString  *out,
          JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    {
      g_string_append (out, "(missing)");
      return;
    }
  text = ek_test_json_to_string (node, FALSE);
  if (strlen (text) > 200)
    {
      g_string_append_len (out, text, 200);
      g_string_append (out, "…");
    }
  else
    g_string_append (out, text);
}

static gboolean
numbers_equal (JsonNode *a,
               JsonNode *b)
{
  GType ta = json_node_get_value_type (a);
  GType tb = json_node_get_value_type (b);

  if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
    return json_node_get_int (a) == json_node_get_int (b);
  return json_node_get_double (a) == json_node_get_double (b);
}

static gboolean
is_number (JsonNode *node)
{
  GType type = json_node_get_value_type (node);

  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
json_equal_at (JsonNode *a,
               JsonNode *b,
               GString  *path,
               GString  *why)
{
  JsonNodeType type_a, type_b;

  if (a == NULL || b == NULL)
    {
      if (a == b)
        return TRUE;
      goto differ;
    }

  type_a = JSON_NODE_TYPE (a);
  type_b = JSON_NODE_TYPE (b);
  if (type_a != type_b)
    goto differ;

  switch (type_a)
    {
    case JSON_NODE_NULL:
      return TRUE;

    case JSON_NODE_VALUE:
      if (is_number (a) && is_number (b))
        {
          if (!numbers_equal (a, b))
            goto differ;
          return TRUE;
        }
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        goto differ;
      if (json_node_get_value_type (a) == G_TYPE_STRING)
        {
          if (g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) != 0)
            goto differ;
          return TRUE;
        }
      if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
        {
          if (json_node_get_boolean (a) != json_node_get_boolean (b))
            goto differ;
          return TRUE;
        }
      goto differ;

    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);
        guint n_a = json_array_get_length (aa);
        guint n_b = json_array_get_length (ab);
        gsize path_len = path->len;

        for (guint i = 0; i < MIN (n_a, n_b); i++)
          {
            g_string_append_printf (path, "[%u]", i);
            if (!json_equal_at (json_array_get_element (aa, i),
                                json_array_get_element (ab, i), path, why))
              return FALSE;
            g_string_truncate (path, path_len);
          }
        if (n_a != n_b)
          {
            g_string_append_printf (why, "%s: arrays of %u and %u elements", path->str, n_a, n_b);
            return FALSE;
          }
        return TRUE;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) members_a = json_object_get_members (oa);
        g_autoptr(GList) members_b = json_object_get_members (ob);
        gsize path_len = path->len;

        members_a = g_list_sort (members_a, (GCompareFunc) strcmp);
        for (GList *l = members_a; l != NULL; l = l->next)
          {
            g_string_append_printf (path, ".%s", (const char *) l->data);
            if (!json_equal_at (json_object_get_member (oa, l->data),
                                json_object_get_member (ob, l->data), path, why))
              return FALSE;
            g_string_truncate (path, path_len);
          }
        for (GList *l = members_b; l != NULL; l = l->next)
          if (!json_object_has_member (oa, l->data))
            {
              g_string_append_printf (path, ".%s", (const char *) l->data);
              return json_equal_at (NULL, json_object_get_member (ob, l->data), path, why);
            }
        return TRUE;
      }

    default:
      break;
    }

differ:
  g_string_append_printf (why, "%s: ", path->len ? path->str : "(root)");
  describe (why, a);
  g_string_append (why, " != ");
  describe (why, b);
  return FALSE;
}

gboolean
ek_test_json_equal (JsonNode  *a,
                    JsonNode  *b,
                    char     **where)
{
  g_autoptr(GString) path = g_string_new ("$");
  g_autoptr(GString) why = g_string_new ("JSON values differ at ");

  if (json_equal_at (a, b, path, why))
    return TRUE;
  if (where != NULL)
    *where = g_strdup (why->str);
  return FALSE;
}

char *
ek_test_json_to_string (JsonNode *node,
                        gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

JsonNode *
ek_test_json_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

/* ------------------------------------------------------------------ */
/* Fixtures                                                           */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
ek_test_list_fixtures (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *events = g_build_filename (dir_path, name, "events.sse", NULL);

      if (g_file_test (events, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (char **) g_ptr_array_steal (names, NULL);
}

char *
ek_test_fixture_path (const char *name,
                      const char *file)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, file, NULL);
}

GBytes *
ek_test_load_fixture (const char *name,
                      const char *file)
{
  g_autofree char *path = ek_test_fixture_path (name, file);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

JsonNode *
ek_test_load_fixture_json (const char *name,
                           const char *file)
{
  g_autofree char *path = ek_test_fixture_path (name, file);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

char *
ek_test_fixture_session_id (const char *name)
{
  g_autoptr(JsonNode) root = ek_test_load_fixture_json (name, "session.json");
  JsonNode *id;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  id = json_object_get_member (json_node_get_object (root), "id");
  g_assert_nonnull (id);
  g_assert_cmpint (json_node_get_value_type (id), ==, G_TYPE_STRING);
  return g_strdup (json_node_get_string (id));
}

/* ------------------------------------------------------------------ */
/* Streams and folding                                                */

static void
collect_event (const char *event_type,
               const char *data,
               gsize       data_len,
               const char *last_event_id,
               gpointer    user_data)
{
  g_ptr_array_add (user_data, g_bytes_new (data, data_len));
}

static void
fail_on_error (const GError *error,
               gpointer      user_data)
{
  g_error ("The SSE parser reported an error: %s", error->message);
}

GPtrArray *
ek_test_split_events (GBytes *stream)
{
  GPtrArray *datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(EkSseParser) parser = ek_sse_parser_new (collect_event, fail_on_error, datas);
  gsize len;
  const char *data = g_bytes_get_data (stream, &len);

  ek_sse_parser_feed (parser, data, len);
  ek_sse_parser_finish (parser);
  return datas;
}

EkEvent *
ek_test_decode (const char *json)
{
  g_autoptr(GError) error = NULL;
  EkEvent *event = ek_event_decode (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
  return event;
}

EkEvent *
ek_test_decode_bytes (GBytes *data)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *text = g_bytes_get_data (data, &len);
  EkEvent *event = ek_event_decode (text, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (event);
  return event;
}

EkStore *
ek_test_fold_raw (GPtrArray *datas)
{
  EkStore *store = ek_store_new ();

  for (guint i = 0; i < datas->len; i++)
    {
      g_autoptr(EkEvent) event = ek_test_decode_bytes (g_ptr_array_index (datas, i));

      ek_store_apply (store, event);
    }
  return store;
}

static void
apply_taken (EkStore     *store,
             EkCoalescer *coalescer)
{
  g_autoptr(GPtrArray) batch = ek_coalescer_take (coalescer);

  g_assert_cmpuint (ek_coalescer_get_n_pending (coalescer), ==, 0);
  ek_store_apply_batch (store, batch);
}

gboolean
ek_test_coalesce_scanned (EkCoalescer  *coalescer,
                          const char   *data,
                          gsize         len,
                          GError      **error)
{
  EkDeltaScan scan;
  EkEvent *event;

  if (ek_event_scan_delta (data, len, &scan))
    {
      if (!ek_coalescer_merge_delta (coalescer, &scan))
        ek_coalescer_add (coalescer, ek_event_new_from_scan (&scan));
      return TRUE;
    }

  event = ek_event_decode_json (data, len, error);
  if (event == NULL)
    return FALSE;
  ek_coalescer_add (coalescer, event);
  return TRUE;
}

EkStore *
ek_test_fold_coalesced_full (GPtrArray  *datas,
                             guint       batch_size,
                             EkTestFold  how)
{
  EkStore *store = ek_store_new ();
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();

  for (guint i = 0; i < datas->len; i++)
    {
      GBytes *data = g_ptr_array_index (datas, i);

      if (how == EK_TEST_FOLD_SCANNED)
        {
          g_autoptr(GError) error = NULL;
          gsize len;
          const char *text = g_bytes_get_data (data, &len);

          ek_test_coalesce_scanned (coalescer, text, len, &error);
          g_assert_no_error (error);
        }
      else
        {
          /* decoded afresh: the coalescer only merges into events nobody
           * else holds */
          ek_coalescer_add (coalescer, ek_test_decode_bytes (data));
        }
      if (batch_size > 0 && (i + 1) % batch_size == 0)
        apply_taken (store, coalescer);
    }
  apply_taken (store, coalescer);
  g_assert_cmpuint (ek_coalescer_get_n_added (coalescer), ==, datas->len);
  return store;
}

EkStore *
ek_test_fold_coalesced (GPtrArray *datas,
                        guint      batch_size)
{
  return ek_test_fold_coalesced_full (datas, batch_size, EK_TEST_FOLD_DECODED);
}

static JsonNode *
object_or_null (JsonObject *object)
{
  if (object == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_init_object (json_node_alloc (), object);
}

static JsonNode *
array_or_null (JsonArray *array)
{
  if (array == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_init_array (json_node_alloc (), array);
}

static JsonNode *
take_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

static JsonNode *
take_object (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
requests_to_json (GListModel *requests)
{
  JsonArray *array = json_array_new ();
  guint n = g_list_model_get_n_items (requests);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkRequest) request = g_list_model_get_item (requests, i);

      json_array_add_element (array, object_or_null (ek_request_get_data (request)));
    }
  return take_array (array);
}

static const char *
status_name (EkSessionStatus status)
{
  GEnumClass *klass = g_type_class_ref (EK_TYPE_SESSION_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_type_class_unref (klass);
  g_assert_nonnull (value);
  return value->value_nick;
}

JsonNode *
ek_test_store_snapshot (EkStore *store)
{
  GListModel *sessions = ek_store_get_sessions (store);
  guint n = g_list_model_get_n_items (sessions);
  JsonObject *root = json_object_new ();
  JsonArray *order = json_array_new ();
  JsonObject *by_id = json_object_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);
      JsonObject *object = json_object_new ();
      const char *id = ek_session_get_id (session);

      g_assert_true (ek_store_lookup_session (store, id) == session);
      json_array_add_string_element (order, id);

      json_object_set_member (object, "info", object_or_null (ek_session_get_data (session)));
      json_object_set_member (object, "messages", ek_session_to_json (session));
      json_object_set_string_member (object, "status", status_name (ek_session_get_status (session)));
      json_object_set_member (object, "status_data", object_or_null (ek_session_get_status_data (session)));
      json_object_set_member (object, "error", object_or_null (ek_session_get_error (session)));
      json_object_set_member (object, "diff", array_or_null (ek_session_get_diff (session)));
      json_object_set_member (object, "todos", array_or_null (ek_session_get_todos (session)));
      json_object_set_member (object, "permissions", requests_to_json (ek_session_get_permissions (session)));
      json_object_set_member (object, "questions", requests_to_json (ek_session_get_questions (session)));
      json_object_set_object_member (by_id, id, object);
    }

  json_object_set_array_member (root, "order", order);
  json_object_set_object_member (root, "sessions", by_id);
  return take_object (root);
}

gboolean
ek_test_stores_equal (EkStore  *a,
                      EkStore  *b,
                      char    **where)
{
  g_autoptr(JsonNode) snap_a = ek_test_store_snapshot (a);
  g_autoptr(JsonNode) snap_b = ek_test_store_snapshot (b);

  return ek_test_json_equal (snap_a, snap_b, where);
}

/* ------------------------------------------------------------------ */
/* Streams with duplicated and reordered events                       */

/* Full updates (and everything else that is not a delta) twice. */
GPtrArray *
ek_test_duplicate_full_updates (GPtrArray *datas)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < datas->len; i++)
    {
      GBytes *data = g_ptr_array_index (datas, i);
      g_autoptr(EkEvent) event = ek_test_decode_bytes (data);

      g_ptr_array_add (out, g_bytes_ref (data));
      if (ek_event_get_kind (event) != EK_EVENT_PART_DELTA)
        g_ptr_array_add (out, g_bytes_ref (data));
    }
  return out;
}

/* The entity a full update replaces, or NULL for other events. */
static char *
entity_of (EkEvent *event)
{
  switch (ek_event_get_kind (event))
    {
    case EK_EVENT_MESSAGE_UPDATED:
      return g_strconcat ("message ", ek_event_get_message_id (event), NULL);
    case EK_EVENT_PART_UPDATED:
      return g_strconcat ("part ", ek_event_get_part_id (event), NULL);
    case EK_EVENT_SESSION_UPDATED:
      return g_strconcat ("session ", ek_event_get_session_id (event), NULL);
    default:
      return NULL;
    }
}

/* Stale full updates arrive out of order, before the last update of the
 * same thing: for each message, part and session updated three times or
 * more, the first two swap places; and a stale copy of the first comes
 * again just before the last. */
GPtrArray *
ek_test_reorder_full_updates (GPtrArray *datas,
                              guint     *n_moved)
{
  g_autoptr(GHashTable) updates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_array_unref);
  g_autoptr(GPtrArray) order = g_ptr_array_new_full (datas->len, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GHashTable) stale_before = g_hash_table_new (NULL, NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GHashTableIter iter;
  GArray *indices;

  for (guint i = 0; i < datas->len; i++)
    {
      g_autoptr(EkEvent) event = ek_test_decode_bytes (g_ptr_array_index (datas, i));
      char *entity = entity_of (event);

      g_ptr_array_add (order, g_bytes_ref (g_ptr_array_index (datas, i)));
      if (entity == NULL)
        continue;
      indices = g_hash_table_lookup (updates, entity);
      if (indices == NULL)
        {
          indices = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (updates, entity, indices);
        }
      else
        g_free (entity);
      g_array_append_val (indices, i);
    }

  *n_moved = 0;
  g_hash_table_iter_init (&iter, updates);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &indices))
    {
      guint first, second, last;

      if (indices->len < 2)
        continue;
      first = g_array_index (indices, guint, 0);
      second = g_array_index (indices, guint, 1);
      last = g_array_index (indices, guint, indices->len - 1);
      g_hash_table_insert (stale_before, GUINT_TO_POINTER (last + 1),
                           g_ptr_array_index (datas, first));
      (*n_moved)++;
      if (indices->len >= 3)
        {
          gpointer tmp = order->pdata[first];

          order->pdata[first] = order->pdata[second];
          order->pdata[second] = tmp;
          (*n_moved)++;
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      GBytes *stale = g_hash_table_lookup (stale_before, GUINT_TO_POINTER (i + 1));

      if (stale != NULL)
        g_ptr_array_add (out, g_bytes_ref (stale));
      g_ptr_array_add (out, g_bytes_ref (g_ptr_array_index (order, i)));
    }
  return out;
}

GBytes *
ek_test_sse_frame (const char *json)
{
  g_autofree char *frame = g_strdup_printf ("data: %s\n\n", json);
  gsize len = strlen (frame);

  return g_bytes_new_take (g_steal_pointer (&frame), len);
}
