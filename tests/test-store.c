/* test-store.c: tests for the store (sessions, messages, parts)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ek-sorted-list.h"
#include "ek-test-util.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static void apply (EkStore    *store,
                   const char *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
apply (EkStore    *store,
       const char *format,
       ...)
{
  g_autofree char *json = NULL;
  g_autoptr(EkEvent) event = NULL;
  va_list args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);

  event = ek_test_decode (json);
  ek_store_apply (store, event);
}

static void
apply_message (EkStore    *store,
               const char *session_id,
               const char *message_id,
               gint64      created)
{
  apply (store,
         "{\"type\":\"message.updated\",\"properties\":{\"sessionID\":\"%s\",\"info\":{\"id\":\"%s\","
         "\"sessionID\":\"%s\",\"role\":\"assistant\",\"time\":{\"created\":%" G_GINT64_FORMAT "}}}}",
         session_id, message_id, session_id, created);
}

static void
apply_part (EkStore    *store,
            const char *message_id,
            const char *part_id,
            const char *text)
{
  apply (store,
         "{\"type\":\"message.part.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"part\":{\"id\":\"%s\","
         "\"sessionID\":\"ses_1\",\"messageID\":\"%s\",\"type\":\"text\",\"text\":\"%s\"},\"time\":1}}",
         part_id, message_id, text);
}

static void
apply_delta (EkStore    *store,
             const char *session_id,
             const char *message_id,
             const char *part_id,
             const char *field,
             const char *text)
{
  apply (store,
         "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"%s\",\"messageID\":\"%s\","
         "\"partID\":\"%s\",\"field\":\"%s\",\"delta\":\"%s\"}}",
         session_id, message_id, part_id, field, text);
}

static EkSession *
session (EkStore    *store,
         const char *session_id)
{
  EkSession *found = ek_store_lookup_session (store, session_id);

  g_assert_nonnull (found);
  return found;
}

static EkMessage *
message (EkStore    *store,
         const char *message_id)
{
  EkMessage *found = ek_session_lookup_message (session (store, "ses_1"), message_id);

  g_assert_nonnull (found);
  return found;
}

static EkPart *
part (EkStore    *store,
      const char *message_id,
      const char *part_id)
{
  EkPart *found = ek_message_lookup_part (message (store, message_id), part_id);

  g_assert_nonnull (found);
  return found;
}

/* "id,id,id" of a list of messages, parts or sessions */
static char *
ids_of (GListModel *model)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      g_autofree char *id = NULL;

      g_object_get (item, "id", &id, NULL);
      g_string_append_printf (out, "%s%s", i ? "," : "", id);
    }
  return g_strdup (out->str);
}

#define assert_ids(model, expected)                \
  G_STMT_START {                                   \
    g_autofree char *ek__ids = ids_of (model);     \
    g_assert_cmpstr (ek__ids, ==, (expected));     \
  } G_STMT_END

typedef struct
{
  guint n;
  guint position;
  guint removed;
  guint added;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->n++;
  changes->position = position;
  changes->removed = removed;
  changes->added = added;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static JsonNode *
part_json (EkPart *p)
{
  return ek_part_to_json (p);
}

/* ------------------------------------------------------------------ */
/* Order                                                              */

static void
test_messages_sorted (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  GListModel *messages;

  apply_message (store, "ses_1", "msg_b", 200);
  apply_message (store, "ses_1", "msg_a", 300);
  /* earlier, but with the larger id: time comes first */
  apply_message (store, "ses_1", "msg_z", 100);
  /* the same time: then by id */
  apply_message (store, "ses_1", "msg_c", 100);

  messages = ek_session_get_messages (session (store, "ses_1"));
  assert_ids (messages, "msg_c,msg_z,msg_b,msg_a");
}

static void
test_message_moves_when_time_changes (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  GListModel *messages;
  EkMessage *moving;
  Changes changes = { 0, };
  guint notified = 0;

  apply_message (store, "ses_1", "msg_1", 100);
  apply_message (store, "ses_1", "msg_2", 200);
  apply_message (store, "ses_1", "msg_3", 300);
  apply_part (store, "msg_3", "prt_1", "kept");
  messages = ek_session_get_messages (session (store, "ses_1"));
  moving = message (store, "msg_3");
  g_signal_connect (messages, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_signal_connect (moving, "notify::time-created", G_CALLBACK (count_notify), &notified);

  apply_message (store, "ses_1", "msg_3", 150);
  assert_ids (messages, "msg_1,msg_3,msg_2");
  g_assert_true (message (store, "msg_3") == moving);
  g_assert_cmpint (ek_message_get_time_created (moving), ==, 150);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (changes.n, >=, 1);
  /* the parts came along */
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_3", "prt_1")), ==, "kept");

  apply_message (store, "ses_1", "msg_1", 400);
  assert_ids (messages, "msg_3,msg_2,msg_1");

  /* an update that does not move it changes nothing in the list */
  changes.n = 0;
  apply_message (store, "ses_1", "msg_2", 200);
  g_assert_cmpuint (changes.n, ==, 0);
  assert_ids (messages, "msg_3,msg_2,msg_1");
}

static void
test_times_beyond_int64 (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  GListModel *messages;

  /* a time that is a double too large for 64 bits (or infinite: 1e400
   * reads as inf) is as late, or as early, as can be; converting it
   * to an integer as is would be undefined */
  apply_message (store, "ses_1", "msg_1", 100);
  apply (store, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_late\","
                "\"sessionID\":\"ses_1\",\"time\":{\"created\":1e300}}}}");
  apply (store, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_early\","
                "\"sessionID\":\"ses_1\",\"time\":{\"created\":-1e300}}}}");
  apply (store, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_later\","
                "\"sessionID\":\"ses_1\",\"time\":{\"created\":1e400}}}}");
  apply (store, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_2\","
                "\"sessionID\":\"ses_1\",\"time\":{\"created\":2.5e2}}}}");

  messages = ek_session_get_messages (session (store, "ses_1"));
  assert_ids (messages, "msg_early,msg_1,msg_2,msg_late,msg_later");
  g_assert_cmpint (ek_message_get_time_created (message (store, "msg_2")), ==, 250);
  g_assert_cmpint (ek_message_get_time_created (message (store, "msg_late")), ==, G_MAXINT64);
  g_assert_cmpint (ek_message_get_time_created (message (store, "msg_early")), ==, G_MININT64);
}

static void
test_parts_sorted_by_id (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_c", "c");
  apply_part (store, "msg_1", "prt_a", "a");
  apply_part (store, "msg_1", "prt_d", "d");
  apply_part (store, "msg_1", "prt_b", "b");

  assert_ids (ek_message_get_parts (message (store, "msg_1")), "prt_a,prt_b,prt_c,prt_d");
}

static void
test_sessions_sorted_by_id (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_b\"}}}");
  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_c\"}}}");
  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_a\"}}}");

  assert_ids (ek_store_get_sessions (store), "ses_a,ses_b,ses_c");
}

/* ------------------------------------------------------------------ */
/* items-changed                                                      */

static void
test_items_changed_only_for_real_changes (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  GListModel *parts;
  GListModel *messages;
  Changes part_changes = { 0, };
  Changes message_changes = { 0, };
  Changes session_changes = { 0, };

  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_1\",\"title\":\"t\"}}}");
  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_1", "one");
  apply_part (store, "msg_1", "prt_3", "three");

  parts = ek_message_get_parts (message (store, "msg_1"));
  messages = ek_session_get_messages (session (store, "ses_1"));
  g_signal_connect (parts, "items-changed", G_CALLBACK (on_items_changed), &part_changes);
  g_signal_connect (messages, "items-changed", G_CALLBACK (on_items_changed), &message_changes);
  g_signal_connect (ek_store_get_sessions (store), "items-changed", G_CALLBACK (on_items_changed),
                    &session_changes);

  /* the same events again: nothing moves */
  apply_part (store, "msg_1", "prt_1", "one");
  apply_part (store, "msg_1", "prt_1", "one, changed");
  apply_message (store, "ses_1", "msg_1", 100);
  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"info\":{\"id\":\"ses_1\",\"title\":\"t2\"}}}");
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "!");
  g_assert_cmpuint (part_changes.n, ==, 0);
  g_assert_cmpuint (message_changes.n, ==, 0);
  g_assert_cmpuint (session_changes.n, ==, 0);

  /* a new part: exactly one (position, 0, 1) */
  apply_part (store, "msg_1", "prt_2", "two");
  g_assert_cmpuint (part_changes.n, ==, 1);
  g_assert_cmpuint (part_changes.position, ==, 1);
  g_assert_cmpuint (part_changes.removed, ==, 0);
  g_assert_cmpuint (part_changes.added, ==, 1);

  /* a new message: one (position, 0, 1) */
  apply_message (store, "ses_1", "msg_0", 50);
  g_assert_cmpuint (message_changes.n, ==, 1);
  g_assert_cmpuint (message_changes.position, ==, 0);
  g_assert_cmpuint (message_changes.removed, ==, 0);
  g_assert_cmpuint (message_changes.added, ==, 1);

  /* a removed part: one (position, 1, 0) */
  part_changes.n = 0;
  apply (store, "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_1\",\"partID\":\"prt_2\"}}");
  g_assert_cmpuint (part_changes.n, ==, 1);
  g_assert_cmpuint (part_changes.position, ==, 1);
  g_assert_cmpuint (part_changes.removed, ==, 1);
  g_assert_cmpuint (part_changes.added, ==, 0);

  /* a new session */
  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_0\"}}}");
  g_assert_cmpuint (session_changes.n, ==, 1);
  g_assert_cmpuint (session_changes.position, ==, 0);
  g_assert_cmpuint (session_changes.added, ==, 1);
}

/* ------------------------------------------------------------------ */
/* Deltas and full updates                                            */

static void
test_delta_appends (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  EkPart *p;
  guint text_notified = 0;
  guint data_notified = 0;

  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_1", "Hel");
  p = part (store, "msg_1", "prt_1");
  g_signal_connect (p, "notify::text", G_CALLBACK (count_notify), &text_notified);
  g_signal_connect (p, "notify::data", G_CALLBACK (count_notify), &data_notified);

  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "lo");
  g_assert_cmpuint (text_notified, ==, 1);
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", ", w\\u00f6rld");
  g_assert_cmpuint (text_notified, ==, 2);
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "\\n");
  g_assert_cmpuint (text_notified, ==, 3);

  g_assert_cmpstr (ek_part_get_text (p), ==, "Hello, w\xc3\xb6rld\n");
  g_assert_cmpuint (ek_part_get_text_length (p), ==, strlen ("Hello, w\xc3\xb6rld\n"));
  g_assert_cmpstr (ek_part_get_string (p, "text"), ==, "Hello, w\xc3\xb6rld\n");
  /* the server's object is left alone; to_json has the text so far */
  g_assert_cmpstr (json_object_get_string_member (ek_part_get_data (p), "text"), ==, "Hel");
  {
    g_autoptr(JsonNode) node = part_json (p);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "text"), ==,
                     "Hello, w\xc3\xb6rld\n");
  }

  /* a delta of another field notifies data, not text */
  apply_delta (store, "ses_1", "msg_1", "prt_1", "metadata_note", "x");
  g_assert_cmpuint (text_notified, ==, 3);
  g_assert_cmpuint (data_notified, ==, 1);
  g_assert_cmpstr (ek_part_get_string (p, "metadata_note"), ==, "x");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 0);
}

static void
test_delta_on_empty_part (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  EkPart *p;

  apply_message (store, "ses_1", "msg_1", 100);
  /* a reasoning part starts with no text member at all */
  apply (store, "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_1\","
                "\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\",\"type\":\"reasoning\"}}}");
  p = part (store, "msg_1", "prt_1");
  g_assert_cmpstr (ek_part_get_text (p), ==, "");
  g_assert_cmpuint (ek_part_get_text_length (p), ==, 0);

  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "thinking");
  g_assert_cmpstr (ek_part_get_text (p), ==, "thinking");
  {
    g_autoptr(JsonNode) node = part_json (p);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "thinking");
    g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "reasoning");
  }
}

static void
test_update_after_deltas_replaces (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  EkPart *p;
  guint text_notified = 0;

  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_1", "");
  p = part (store, "msg_1", "prt_1");
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "draft ");
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "text");
  apply_delta (store, "ses_1", "msg_1", "prt_1", "note", "n");
  g_signal_connect (p, "notify::text", G_CALLBACK (count_notify), &text_notified);

  apply_part (store, "msg_1", "prt_1", "final text");
  g_assert_true (part (store, "msg_1", "prt_1") == p);
  g_assert_cmpstr (ek_part_get_text (p), ==, "final text");
  g_assert_cmpuint (text_notified, ==, 1);
  /* the streamed field that is not in the full part is gone too */
  g_assert_null (ek_part_get_string (p, "note"));
  {
    g_autoptr(JsonNode) node = part_json (p);

    g_assert_false (json_object_has_member (json_node_get_object (node), "note"));
  }

  /* the same text again: no text notification */
  apply_part (store, "msg_1", "prt_1", "final text");
  g_assert_cmpuint (text_notified, ==, 1);

  /* and deltas after it append to the new text */
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "!");
  g_assert_cmpstr (ek_part_get_text (p), ==, "final text!");
}

static void
test_tool_part_properties (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  EkPart *p;
  guint status_notified = 0;

  apply_message (store, "ses_1", "msg_1", 100);
  apply (store, "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_1\",\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_1\",\"type\":\"tool\",\"callID\":\"c\",\"tool\":\"bash\","
                "\"state\":{\"status\":\"pending\",\"input\":{},\"raw\":\"\"}}}}");
  p = part (store, "msg_1", "prt_1");
  g_assert_cmpstr (ek_part_get_part_type (p), ==, "tool");
  g_assert_cmpstr (ek_part_get_tool (p), ==, "bash");
  g_assert_cmpstr (ek_part_get_tool_status (p), ==, "pending");
  g_assert_cmpstr (ek_part_get_message_id (p), ==, "msg_1");
  g_assert_cmpstr (ek_part_get_session_id (p), ==, "ses_1");
  g_signal_connect (p, "notify::tool-status", G_CALLBACK (count_notify), &status_notified);

  apply (store, "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_1\",\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_1\",\"type\":\"tool\",\"callID\":\"c\",\"tool\":\"bash\","
                "\"state\":{\"status\":\"completed\",\"input\":{\"command\":\"ls\"},\"output\":\"a\\nb\"}}}}");
  g_assert_cmpstr (ek_part_get_tool_status (p), ==, "completed");
  g_assert_cmpuint (status_notified, ==, 1);
}

/* ------------------------------------------------------------------ */
/* Unknown things are kept                                            */

static void
test_unknown_part_types_kept (void)
{
  const char *unknown_part =
    "{\"id\":\"prt_1\",\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\",\"type\":\"hologram\","
    "\"sparkle\":{\"level\":3,\"colours\":[\"red\",null,true,1.5],\"deep\":{\"deeper\":{}}},"
    "\"text\":\"t\",\"count\":9007199254740993}";
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonNode) expected = ek_test_json_parse (unknown_part);
  EkPart *p;

  apply_message (store, "ses_1", "msg_1", 100);
  apply (store, "{\"type\":\"message.part.updated\",\"properties\":{\"part\":%s,\"time\":1}}", unknown_part);
  p = part (store, "msg_1", "prt_1");
  g_assert_cmpstr (ek_part_get_part_type (p), ==, "hologram");

  {
    g_autoptr(JsonNode) out = part_json (p);

    ek_test_assert_json_equal (out, expected);
  }

  /* with a streamed field, the other members are still all there */
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "+");
  {
    g_autoptr(JsonNode) out = part_json (p);
    JsonObject *object = json_node_get_object (out);

    json_object_set_string_member (json_node_get_object (expected), "text", "t+");
    ek_test_assert_json_equal (out, expected);
    /* numbers keep their type */
    g_assert_cmpint (json_object_get_int_member (object, "count"), ==, G_GINT64_CONSTANT (9007199254740993));
  }
}

static void
test_unknown_fields_kept (void)
{
  const char *info =
    "{\"id\":\"msg_1\",\"sessionID\":\"ses_1\",\"role\":\"assistant\",\"time\":{\"created\":100,\"future\":1},"
    "\"newField\":{\"a\":[1,2,3]},\"anotherOne\":\"x\"}";
  const char *session_info =
    "{\"id\":\"ses_1\",\"title\":\"T\",\"time\":{\"created\":1,\"updated\":2},\"brandNew\":[{\"k\":\"v\"}]}";
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonNode) expected_info = ek_test_json_parse (info);
  g_autoptr(JsonNode) expected_session = ek_test_json_parse (session_info);
  g_autoptr(JsonNode) dump = NULL;
  JsonObject *first;

  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"info\":%s}}", session_info);
  apply (store, "{\"type\":\"message.updated\",\"properties\":{\"info\":%s}}", info);
  apply_part (store, "msg_1", "prt_1", "p");

  dump = ek_session_to_json (session (store, "ses_1"));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (dump)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (dump), 0);
  ek_test_assert_json_equal (json_object_get_member (first, "info"), expected_info);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "parts")), ==, 1);

  {
    g_autoptr(JsonNode) data = json_node_init_object (json_node_alloc (),
                                                      ek_session_get_data (session (store, "ses_1")));

    ek_test_assert_json_equal (data, expected_session);
  }
  g_assert_cmpstr (ek_session_get_title (session (store, "ses_1")), ==, "T");
  g_assert_cmpint (ek_session_get_time_updated (session (store, "ses_1")), ==, 2);
}

/* ------------------------------------------------------------------ */
/* Parts before their message                                         */

static void
test_orphan_parts_adopted (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  apply_part (store, "msg_1", "prt_2", "second");
  apply_part (store, "msg_1", "prt_1", "first");
  apply_part (store, "msg_1", "prt_1", "first, updated");
  g_assert_null (ek_session_lookup_message (session (store, "ses_1"), "msg_1"));
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_messages (session (store, "ses_1"))), ==, 0);

  /* a delta cannot land yet: skipped */
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "lost");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 1);

  apply_message (store, "ses_1", "msg_1", 100);
  assert_ids (ek_message_get_parts (message (store, "msg_1")), "prt_1,prt_2");
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_1", "prt_1")), ==, "first, updated");
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_1", "prt_2")), ==, "second");

  /* now deltas land */
  apply_delta (store, "ses_1", "msg_1", "prt_2", "text", "!");
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_1", "prt_2")), ==, "second!");
}

static void
test_orphan_part_removed_before_message (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  apply_part (store, "msg_1", "prt_1", "gone");
  apply_part (store, "msg_1", "prt_2", "stays");
  apply (store, "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_1\",\"partID\":\"prt_1\"}}");
  apply_message (store, "ses_1", "msg_1", 100);
  assert_ids (ek_message_get_parts (message (store, "msg_1")), "prt_2");
}

static void
test_orphan_parts_of_removed_message (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  apply_part (store, "msg_1", "prt_1", "gone");
  apply (store, "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\"}}");
  apply_message (store, "ses_1", "msg_1", 100);
  g_assert_cmpuint (g_list_model_get_n_items (ek_message_get_parts (message (store, "msg_1"))), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Removals                                                           */

static void
test_message_removed (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  GListModel *messages;
  Changes changes = { 0, };

  apply_message (store, "ses_1", "msg_1", 100);
  apply_message (store, "ses_1", "msg_2", 200);
  apply_part (store, "msg_1", "prt_1", "a");
  messages = ek_session_get_messages (session (store, "ses_1"));
  g_signal_connect (messages, "items-changed", G_CALLBACK (on_items_changed), &changes);

  apply (store, "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\"}}");
  assert_ids (messages, "msg_2");
  g_assert_null (ek_session_lookup_message (session (store, "ses_1"), "msg_1"));
  g_assert_cmpuint (changes.n, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 0);

  /* its parts went with it: deltas to them are skipped */
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "x");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 1);

  /* removing it again is skipped, not a crash */
  apply (store, "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\"}}");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 2);

  /* it may come back, empty */
  apply_message (store, "ses_1", "msg_1", 100);
  assert_ids (messages, "msg_1,msg_2");
  g_assert_cmpuint (g_list_model_get_n_items (ek_message_get_parts (message (store, "msg_1"))), ==, 0);
}

static void
test_part_removed (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_1", "a");
  apply_part (store, "msg_1", "prt_2", "b");
  apply (store, "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_1\",\"partID\":\"prt_1\"}}");
  assert_ids (ek_message_get_parts (message (store, "msg_1")), "prt_2");
  g_assert_null (ek_message_lookup_part (message (store, "msg_1"), "prt_1"));

  apply (store, "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_1\",\"partID\":\"prt_1\"}}");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 1);

  /* a part may come back after removal */
  apply_part (store, "msg_1", "prt_1", "again");
  assert_ids (ek_message_get_parts (message (store, "msg_1")), "prt_1,prt_2");
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_1", "prt_1")), ==, "again");
}

static void
test_session_deleted (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  Changes changes = { 0, };
  g_autoptr(EkSession) held = NULL;

  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_1\",\"title\":\"a\"}}}");
  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_2\",\"title\":\"b\"}}}");
  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_1", "a");
  held = g_object_ref (session (store, "ses_1"));
  g_signal_connect (ek_store_get_sessions (store), "items-changed", G_CALLBACK (on_items_changed), &changes);

  apply (store, "{\"type\":\"session.deleted\",\"properties\":{\"sessionID\":\"ses_1\",\"info\":{\"id\":\"ses_1\"}}}");
  g_assert_null (ek_store_lookup_session (store, "ses_1"));
  assert_ids (ek_store_get_sessions (store), "ses_2");
  g_assert_cmpuint (changes.n, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 1);

  /* whoever still holds it sees what it was */
  g_assert_cmpstr (ek_session_get_title (held), ==, "a");

  /* events for it now are skipped or start it afresh; no crash */
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "x");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 1);
  apply (store, "{\"type\":\"session.deleted\",\"properties\":{\"sessionID\":\"ses_1\"}}");
  assert_ids (ek_store_get_sessions (store), "ses_2");
}

/* ------------------------------------------------------------------ */
/* Status, error, todos, diff                                         */

static void
test_session_status (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  EkSession *s;
  guint notified = 0;
  JsonObject *data;

  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_1\"}}}");
  s = session (store, "ses_1");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_IDLE);
  g_assert_null (ek_session_get_status_data (s));
  g_signal_connect (s, "notify::status", G_CALLBACK (count_notify), &notified);

  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_BUSY);
  g_assert_cmpuint (notified, ==, 1);

  /* busy again: no notification of status */
  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}");
  g_assert_cmpuint (notified, ==, 1);

  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"retry\","
                "\"attempt\":2,\"message\":\"Rate limited\",\"next\":1795564826707}}}");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_RETRY);
  data = ek_session_get_status_data (s);
  g_assert_nonnull (data);
  g_assert_cmpint (json_object_get_int_member (data, "attempt"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (data, "message"), ==, "Rate limited");
  g_assert_cmpuint (notified, ==, 2);

  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"idle\"}}}");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_IDLE);
  g_assert_cmpuint (notified, ==, 3);

  /* an unknown status type reads as idle */
  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}");
  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"pondering\"}}}");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_IDLE);
}

static void
test_session_idle (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  EkSession *s;

  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}");
  s = session (store, "ses_1");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_BUSY);

  apply (store, "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_IDLE);

  /* idle twice is fine */
  apply (store, "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}");
  g_assert_cmpint (ek_session_get_status (s), ==, EK_SESSION_STATUS_IDLE);

  /* and the session's info may come after */
  g_assert_null (ek_session_get_title (s));
  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"info\":{\"id\":\"ses_1\",\"title\":\"Later\"}}}");
  g_assert_true (session (store, "ses_1") == s);
  g_assert_cmpstr (ek_session_get_title (s), ==, "Later");
}

static void
on_session_error (EkStore    *store,
                  EkSession  *s,
                  JsonObject *error,
                  guint      *count)
{
  g_assert_nonnull (error);
  (*count)++;
}

static void
test_session_error (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  guint emitted = 0;
  JsonObject *error;

  g_signal_connect (store, "session-error", G_CALLBACK (on_session_error), &emitted);
  apply (store, "{\"type\":\"session.error\",\"properties\":{\"sessionID\":\"ses_1\",\"error\":{\"name\":\"APIError\","
                "\"data\":{\"message\":\"Bad gateway\",\"statusCode\":502}}}}");
  g_assert_cmpuint (emitted, ==, 1);
  error = ek_session_get_error (session (store, "ses_1"));
  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "name"), ==, "APIError");

  /* an error for no session is still signalled */
  apply (store, "{\"type\":\"session.error\",\"properties\":{\"error\":{\"name\":\"ProviderAuthError\","
                "\"data\":{\"message\":\"no key\"}}}}");
  g_assert_cmpuint (emitted, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (ek_store_get_sessions (store)), ==, 1);

  /* and one without an error object is not */
  apply (store, "{\"type\":\"session.error\",\"properties\":{}}");
  g_assert_cmpuint (emitted, ==, 2);
}

static void
test_todos_and_diff (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  EkSession *s;
  guint todos_notified = 0;
  guint diff_notified = 0;

  apply (store, "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_1\"}}}");
  s = session (store, "ses_1");
  g_assert_null (ek_session_get_todos (s));
  g_assert_null (ek_session_get_diff (s));
  g_signal_connect (s, "notify::todos", G_CALLBACK (count_notify), &todos_notified);
  g_signal_connect (s, "notify::diff", G_CALLBACK (count_notify), &diff_notified);

  apply (store, "{\"type\":\"todo.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"todos\":["
                "{\"content\":\"a\",\"status\":\"pending\",\"priority\":\"high\"},"
                "{\"content\":\"b\",\"status\":\"completed\",\"priority\":\"low\"}]}}");
  g_assert_cmpuint (json_array_get_length (ek_session_get_todos (s)), ==, 2);
  g_assert_cmpuint (todos_notified, ==, 1);

  apply (store, "{\"type\":\"todo.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"todos\":[]}}");
  g_assert_cmpuint (json_array_get_length (ek_session_get_todos (s)), ==, 0);
  g_assert_cmpuint (todos_notified, ==, 2);

  apply (store, "{\"type\":\"session.diff\",\"properties\":{\"sessionID\":\"ses_1\",\"diff\":["
                "{\"file\":\"a.c\",\"patch\":\"@@\",\"additions\":1,\"deletions\":0,\"status\":\"modified\"}]}}");
  g_assert_cmpuint (json_array_get_length (ek_session_get_diff (s)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ek_session_get_diff (s), 0), "file"),
                   ==, "a.c");
  g_assert_cmpuint (diff_notified, ==, 1);

  /* a diff that is not an array clears it rather than crash */
  apply (store, "{\"type\":\"session.diff\",\"properties\":{\"sessionID\":\"ses_1\",\"diff\":\"nope\"}}");
  g_assert_null (ek_session_get_diff (s));
}

/* ------------------------------------------------------------------ */
/* Pending requests                                                   */

static const char *
request_id_at (GListModel *list,
               guint       i)
{
  g_autoptr(EkRequest) request = g_list_model_get_item (list, i);

  g_assert_nonnull (request);
  return ek_request_get_id (request);
}

static void
test_permissions (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  GListModel *pending;

  apply (store, "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_1\",\"sessionID\":\"ses_1\","
                "\"permission\":\"bash\",\"patterns\":[\"ls\"],\"metadata\":{},\"always\":[]}}");
  pending = ek_session_get_permissions (session (store, "ses_1"));
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  {
    g_autoptr(EkRequest) request = g_list_model_get_item (pending, 0);

    g_assert_cmpint (ek_request_get_kind (request), ==, EK_REQUEST_PERMISSION);
    g_assert_cmpstr (ek_request_get_id (request), ==, "per_1");
    g_assert_cmpstr (ek_request_get_session_id (request), ==, "ses_1");
    g_assert_cmpstr (json_object_get_string_member (ek_request_get_data (request), "permission"), ==, "bash");
  }

  /* asked again (a resync): replaced, not doubled */
  apply (store, "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_1\",\"sessionID\":\"ses_1\","
                "\"permission\":\"edit\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  {
    g_autoptr(EkRequest) request = g_list_model_get_item (pending, 0);

    g_assert_cmpstr (json_object_get_string_member (ek_request_get_data (request), "permission"), ==, "edit");
  }

  apply (store, "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_2\",\"sessionID\":\"ses_1\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 2);
  g_assert_cmpstr (request_id_at (pending, 0), ==, "per_1");
  g_assert_cmpstr (request_id_at (pending, 1), ==, "per_2");

  apply (store, "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"per_1\","
                "\"reply\":\"once\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  g_assert_cmpstr (request_id_at (pending, 0), ==, "per_2");

  /* replies to unknown requests or sessions change nothing */
  apply (store, "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"per_1\","
                "\"reply\":\"once\"}}");
  apply (store, "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_9\",\"requestID\":\"per_2\","
                "\"reply\":\"once\"}}");
  /* a question reply does not settle a permission of the same id */
  apply (store, "{\"type\":\"question.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"per_2\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);

  apply (store, "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"per_2\","
                "\"reply\":\"reject\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);
  g_assert_null (ek_store_lookup_session (store, "ses_9"));
}

static void
test_questions (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  GListModel *pending;

  apply (store, "{\"type\":\"question.asked\",\"properties\":{\"id\":\"que_1\",\"sessionID\":\"ses_1\","
                "\"questions\":[{\"question\":\"Which?\",\"header\":\"H\",\"options\":[{\"label\":\"C\","
                "\"description\":\"d\"}]}]}}");
  apply (store, "{\"type\":\"question.asked\",\"properties\":{\"id\":\"que_2\",\"sessionID\":\"ses_1\",\"questions\":[]}}");
  apply (store, "{\"type\":\"question.asked\",\"properties\":{\"id\":\"que_3\",\"sessionID\":\"ses_1\",\"questions\":[]}}");
  pending = ek_session_get_questions (session (store, "ses_1"));
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_permissions (session (store, "ses_1"))), ==, 0);
  {
    g_autoptr(EkRequest) request = g_list_model_get_item (pending, 0);

    g_assert_cmpint (ek_request_get_kind (request), ==, EK_REQUEST_QUESTION);
  }

  apply (store, "{\"type\":\"question.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"que_2\","
                "\"answers\":[[\"C\"]]}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 2);
  g_assert_cmpstr (request_id_at (pending, 0), ==, "que_1");
  g_assert_cmpstr (request_id_at (pending, 1), ==, "que_3");

  apply (store, "{\"type\":\"question.rejected\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"que_1\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  g_assert_cmpstr (request_id_at (pending, 0), ==, "que_3");

  /* a permission reply does not settle a question */
  apply (store, "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"que_3\","
                "\"reply\":\"once\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);

  apply (store, "{\"type\":\"question.rejected\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"que_3\"}}");
  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 0);
}

/* ------------------------------------------------------------------ */
/* What cannot be applied                                             */

static void
test_skipped_counted (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_1", "a");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 0);

  /* unknown part, unknown message, unknown session */
  apply_delta (store, "ses_1", "msg_1", "prt_404", "text", "x");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 1);
  apply_delta (store, "ses_1", "msg_404", "prt_1", "text", "x");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 2);
  apply_delta (store, "ses_404", "msg_1", "prt_1", "text", "x");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 3);
  apply (store, "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_404\","
                "\"messageID\":\"msg_1\",\"partID\":\"prt_1\"}}");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 4);
  apply (store, "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"ses_404\",\"messageID\":\"msg_1\"}}");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 5);

  /* none of it touched what is there, or made a session */
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_1", "prt_1")), ==, "a");
  g_assert_null (ek_store_lookup_session (store, "ses_404"));
  g_assert_cmpuint (g_list_model_get_n_items (ek_store_get_sessions (store)), ==, 1);

  /* ignored kinds are applied (counted), never skipped */
  apply (store, "{\"type\":\"server.heartbeat\",\"properties\":{}}");
  apply (store, "{\"type\":\"something.new\",\"properties\":{\"sessionID\":\"ses_1\"}}");
  apply (store, "{\"type\":\"file.edited\",\"properties\":{\"file\":\"x\"}}");
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 5);
  g_assert_cmpuint (ek_store_get_n_applied (store), ==, 10);
}

static void
test_odd_but_valid_payloads (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  /* members of the wrong type where the store reads them: no crash, no
   * critical (which would abort this test) */
  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"info\":{\"id\":\"ses_1\",\"title\":5,"
                "\"time\":\"yesterday\",\"parentID\":[]}}}");
  g_assert_null (ek_session_get_title (session (store, "ses_1")));
  g_assert_cmpint (ek_session_get_time_updated (session (store, "ses_1")), ==, 0);
  apply (store, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_1\",\"sessionID\":\"ses_1\","
                "\"role\":7,\"time\":{\"created\":\"soon\"}}}}");
  g_assert_null (ek_message_get_role (message (store, "msg_1")));
  g_assert_cmpint (ek_message_get_time_created (message (store, "msg_1")), ==, 0);
  apply (store, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_2\",\"sessionID\":\"ses_1\","
                "\"time\":{\"created\":1.5e2}}}}");
  g_assert_cmpint (ek_message_get_time_created (message (store, "msg_2")), ==, 150);
  apply (store, "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_1\",\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_1\",\"type\":\"tool\",\"text\":[1],\"state\":\"done\",\"tool\":{}}}}");
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_1", "prt_1")), ==, "");
  g_assert_null (ek_part_get_tool_status (part (store, "msg_1", "prt_1")));
  /* a delta to a member that is not a string replaces it with the text */
  apply_delta (store, "ses_1", "msg_1", "prt_1", "text", "now");
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_1", "prt_1")), ==, "now");
  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\","
                "\"attempt\":\"x\"}}}");
  apply (store, "{\"type\":\"todo.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"todos\":{}}}");
  g_assert_null (ek_session_get_todos (session (store, "ses_1")));
  apply (store, "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_1\",\"sessionID\":\"ses_1\","
                "\"metadata\":null}}");
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_permissions (session (store, "ses_1"))), ==, 1);
}

/* ------------------------------------------------------------------ */
/* Duplicated and reordered full updates                              */

static void
build_history (EkStore  *store,
               gboolean  twice)
{
  const char *events[] = {
    "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_1\",\"title\":\"New\"}}}",
    "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_1\",\"sessionID\":\"ses_1\","
    "\"role\":\"user\",\"time\":{\"created\":100}}}}",
    "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_1\",\"sessionID\":\"ses_1\","
    "\"messageID\":\"msg_1\",\"type\":\"text\",\"text\":\"Hi\"}}}",
    "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}",
    "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_2\",\"sessionID\":\"ses_1\","
    "\"role\":\"assistant\",\"time\":{\"created\":200}}}}",
    "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_2\",\"sessionID\":\"ses_1\","
    "\"messageID\":\"msg_2\",\"type\":\"text\",\"text\":\"\"}}}",
    "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_1\",\"sessionID\":\"ses_1\"}}",
    "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"per_1\",\"reply\":\"once\"}}",
    "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_2\",\"sessionID\":\"ses_1\","
    "\"messageID\":\"msg_2\",\"type\":\"text\",\"text\":\"Hello there\"}}}",
    "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_3\",\"sessionID\":\"ses_1\","
    "\"messageID\":\"msg_2\",\"type\":\"tool\",\"tool\":\"bash\",\"state\":{\"status\":\"completed\"}}}}",
    "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_2\","
    "\"partID\":\"prt_3\"}}",
    "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_2\",\"sessionID\":\"ses_1\","
    "\"role\":\"assistant\",\"time\":{\"created\":200,\"completed\":300}}}}",
    "{\"type\":\"todo.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"todos\":[{\"content\":\"x\"}]}}",
    "{\"type\":\"session.diff\",\"properties\":{\"sessionID\":\"ses_1\",\"diff\":[]}}",
    "{\"type\":\"session.updated\",\"properties\":{\"info\":{\"id\":\"ses_1\",\"title\":\"Greeting\"}}}",
    "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"idle\"}}}",
    "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    for (guint k = 0; k < (twice ? 2 : 1); k++)
      apply (store, "%s", events[i]);
}

static void
test_duplicated_full_updates (void)
{
  g_autoptr(EkStore) once = ek_store_new ();
  g_autoptr(EkStore) twice = ek_store_new ();

  build_history (once, FALSE);
  build_history (twice, TRUE);
  ek_test_assert_stores_equal (once, twice);

  g_assert_cmpstr (ek_session_get_title (session (once, "ses_1")), ==, "Greeting");
  assert_ids (ek_session_get_messages (session (once, "ses_1")), "msg_1,msg_2");
  assert_ids (ek_message_get_parts (message (once, "msg_2")), "prt_2");
  g_assert_cmpstr (ek_part_get_text (part (once, "msg_2", "prt_2")), ==, "Hello there");
  g_assert_cmpint (ek_message_get_time_completed (message (once, "msg_2")), ==, 300);
}

static void
test_reordered_full_updates (void)
{
  g_autoptr(EkStore) store = ek_store_new ();

  /* stale full updates arriving after newer ones are taken as they come;
   * what counts is that the last one wins, and that the list is right */
  apply_message (store, "ses_1", "msg_2", 200);
  apply_part (store, "msg_2", "prt_2", "v2");
  apply_part (store, "msg_2", "prt_1", "v1");
  apply_message (store, "ses_1", "msg_1", 100);
  apply_part (store, "msg_1", "prt_0", "zero");
  apply_part (store, "msg_2", "prt_2", "v1 (stale)");
  apply_message (store, "ses_1", "msg_2", 50);
  apply_part (store, "msg_2", "prt_2", "v3");
  apply_message (store, "ses_1", "msg_2", 200);

  assert_ids (ek_session_get_messages (session (store, "ses_1")), "msg_1,msg_2");
  assert_ids (ek_message_get_parts (message (store, "msg_2")), "prt_1,prt_2");
  g_assert_cmpstr (ek_part_get_text (part (store, "msg_2", "prt_2")), ==, "v3");
  g_assert_cmpint (ek_message_get_time_created (message (store, "msg_2")), ==, 200);

  {
    g_autoptr(EkStore) in_order = ek_store_new ();

    apply_message (in_order, "ses_1", "msg_1", 100);
    apply_message (in_order, "ses_1", "msg_2", 200);
    apply_part (in_order, "msg_1", "prt_0", "zero");
    apply_part (in_order, "msg_2", "prt_1", "v1");
    apply_part (in_order, "msg_2", "prt_2", "v3");
    ek_test_assert_stores_equal (store, in_order);
  }
}

static void
test_batch_apply (void)
{
  g_autoptr(EkStore) counted = ek_store_new ();
  g_autoptr(EkStore) batched = ek_store_new ();
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) ek_event_unref);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();

  build_history (counted, FALSE);
  g_assert_cmpuint (ek_store_get_n_applied (counted), ==, 17);

  g_ptr_array_add (batch, ek_test_decode ("{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_2\"}}}"));
  g_ptr_array_add (batch, ek_test_decode ("{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_2\","
                                          "\"status\":{\"type\":\"busy\"}}}"));
  ek_store_apply_batch (batched, batch);
  ek_store_apply_batch (batched, empty);
  g_assert_cmpuint (ek_store_get_n_applied (batched), ==, 2);
  g_assert_cmpint (ek_session_get_status (session (batched, "ses_2")), ==, EK_SESSION_STATUS_BUSY);
}

static int
compare_ints (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  int x = GPOINTER_TO_INT (g_object_get_data ((GObject *) a, "n"));
  int y = GPOINTER_TO_INT (g_object_get_data ((GObject *) b, "n"));

  return (x > y) - (x < y);
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *n)
{
  (*n)++;
}

static GObject *
numbered (int n)
{
  GObject *object = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (object, "n", GINT_TO_POINTER (n));
  return object;
}

/* Items inserted together land where one by one they would, with one
 * ::items-changed per run that goes between the same two items. */
static void
test_sorted_list_insert_many (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(EkSortedList) list = ek_sorted_list_new (G_TYPE_OBJECT, compare_ints, NULL);
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      guint n_before = g_rand_int_range (rand, 0, 20);
      guint n_signals = 0;
      guint runs = 0;
      int previous;

      for (guint i = 0; i < n_before; i++)
        {
          g_autoptr(GObject) item = numbered (g_rand_int_range (rand, 0, 100));

          ek_sorted_list_insert (list, item);
        }
      for (guint i = g_rand_int_range (rand, 0, 30); i > 0; i--)
        g_ptr_array_add (batch, numbered (g_rand_int_range (rand, 0, 100)));

      /* how many gaps between the list's items the batch falls into */
      for (guint i = 0; i < batch->len; i++)
        {
          int n = GPOINTER_TO_INT (g_object_get_data (g_ptr_array_index (batch, i), "n"));
          gboolean first_in_gap = TRUE;

          for (guint j = 0; j < batch->len && first_in_gap; j++)
            {
              int m = GPOINTER_TO_INT (g_object_get_data (g_ptr_array_index (batch, j), "n"));
              gboolean between = FALSE;

              if (m > n || (m == n && j >= i))
                continue;
              /* m < n (or an equal one before): same gap unless a list item lies in [m, n) */
              between = TRUE;
              for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (list)); k++)
                {
                  int l = GPOINTER_TO_INT (g_object_get_data (ek_sorted_list_peek (list, k), "n"));

                  if (l >= m && l < n)
                    between = FALSE;
                }
              if (between)
                first_in_gap = FALSE;
            }
          runs += first_in_gap;
        }

      g_signal_connect (list, "items-changed", G_CALLBACK (count_changes), &n_signals);
      ek_sorted_list_insert_many (list, batch);
      g_assert_cmpuint (n_signals, ==, runs);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n_before + batch->len);
      previous = G_MININT;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (list)); k++)
        {
          int l = GPOINTER_TO_INT (g_object_get_data (ek_sorted_list_peek (list, k), "n"));

          g_assert_cmpint (l, >=, previous);
          previous = l;
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/order/messages", test_messages_sorted);
  g_test_add_func ("/store/order/insert-many", test_sorted_list_insert_many);
  g_test_add_func ("/store/order/message-moves-with-time", test_message_moves_when_time_changes);
  g_test_add_func ("/store/order/times-beyond-int64", test_times_beyond_int64);
  g_test_add_func ("/store/order/parts", test_parts_sorted_by_id);
  g_test_add_func ("/store/order/sessions", test_sessions_sorted_by_id);
  g_test_add_func ("/store/items-changed/only-real-changes", test_items_changed_only_for_real_changes);
  g_test_add_func ("/store/delta/appends", test_delta_appends);
  g_test_add_func ("/store/delta/on-empty-part", test_delta_on_empty_part);
  g_test_add_func ("/store/update/replaces-after-deltas", test_update_after_deltas_replaces);
  g_test_add_func ("/store/update/tool-part", test_tool_part_properties);
  g_test_add_func ("/store/unknown/part-types", test_unknown_part_types_kept);
  g_test_add_func ("/store/unknown/fields", test_unknown_fields_kept);
  g_test_add_func ("/store/orphans/adopted", test_orphan_parts_adopted);
  g_test_add_func ("/store/orphans/removed-before-message", test_orphan_part_removed_before_message);
  g_test_add_func ("/store/orphans/message-removed", test_orphan_parts_of_removed_message);
  g_test_add_func ("/store/removed/message", test_message_removed);
  g_test_add_func ("/store/removed/part", test_part_removed);
  g_test_add_func ("/store/removed/session", test_session_deleted);
  g_test_add_func ("/store/session/status", test_session_status);
  g_test_add_func ("/store/session/idle", test_session_idle);
  g_test_add_func ("/store/session/error", test_session_error);
  g_test_add_func ("/store/session/todos-and-diff", test_todos_and_diff);
  g_test_add_func ("/store/requests/permissions", test_permissions);
  g_test_add_func ("/store/requests/questions", test_questions);
  g_test_add_func ("/store/skipped", test_skipped_counted);
  g_test_add_func ("/store/odd-payloads", test_odd_but_valid_payloads);
  g_test_add_func ("/store/duplicated-full-updates", test_duplicated_full_updates);
  g_test_add_func ("/store/reordered-full-updates", test_reordered_full_updates);
  g_test_add_func ("/store/apply-batch", test_batch_apply);

  return g_test_run ();
}
