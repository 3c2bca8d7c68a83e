/* test-sync.c: merging a refetch with live events (ek_store_sync_*)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server replays nothing after a disconnect: the client refetches,
 * and the answer may be older than events that arrived while it was in
 * flight.  These tests take a mark, apply "live" events after it, then
 * merge a fetched answer taken at the mark, and check who wins.
 */

#include "config.h"

#include <string.h>

#include "ek-store.h"

static void
apply (EkStore    *store,
       const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) event = ek_event_decode (json, strlen (json), &error);

  g_assert_no_error (error);
  ek_store_apply (store, event);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static char *
message_json (const char *id,
              gint64      created,
              const char *extra)
{
  return g_strdup_printf ("{\"id\":\"%s\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                          "\"time\":{\"created\":%" G_GINT64_FORMAT "}%s}",
                          id, created, extra ? extra : "");
}

static void
apply_message (EkStore    *store,
               const char *id,
               gint64      created,
               const char *extra)
{
  g_autofree char *info = message_json (id, created, extra);
  g_autofree char *event = g_strdup_printf ("{\"type\":\"message.updated\",\"properties\":"
                                            "{\"sessionID\":\"ses_1\",\"info\":%s}}", info);
  apply (store, event);
}

static void
apply_part (EkStore    *store,
            const char *message_id,
            const char *part_id,
            const char *text)
{
  g_autofree char *event = g_strdup_printf (
      "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"%s\","
      "\"sessionID\":\"ses_1\",\"messageID\":\"%s\",\"type\":\"text\",\"text\":\"%s\"}}}",
      part_id, message_id, text);
  apply (store, event);
}

/* What the store holds for ses_1: "id:created:flag,…" plus part texts. */
static char *
describe (EkStore *store)
{
  EkSession *session = ek_store_lookup_session (store, "ses_1");
  GListModel *messages = session ? ek_session_get_messages (session) : NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; messages != NULL && i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (messages, i);
      JsonObject *data = ek_message_get_data (message);
      GListModel *parts = ek_message_get_parts (message);

      if (out->len > 0)
        g_string_append_c (out, ',');
      g_string_append (out, ek_message_get_id (message));
      if (json_object_has_member (data, "mark"))
        g_string_append_printf (out, "(%s)", json_object_get_string_member (data, "mark"));
      for (guint j = 0; j < g_list_model_get_n_items (parts); j++)
        {
          g_autoptr(EkPart) part = g_list_model_get_item (parts, j);
          g_string_append_printf (out, "[%s]", ek_part_get_text (part));
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonArray *
history (const char *json)
{
  g_autoptr(JsonNode) node = parse (json);

  return json_array_ref (json_node_get_array (node));
}

static void
test_history_whole (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonArray) fetched = NULL;
  g_autofree char *state = NULL;
  guint64 mark;

  apply_message (store, "msg_a", 1, NULL);
  apply_part (store, "msg_a", "prt_a", "old");
  apply_message (store, "msg_b", 2, NULL);
  mark = ek_store_get_mark (store);

  /* the server changed a, dropped b, and has c */
  fetched = history ("[{\"info\":{\"id\":\"msg_a\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                     "\"time\":{\"created\":1},\"mark\":\"fetched\"},\"parts\":[{\"id\":\"prt_a\","
                     "\"sessionID\":\"ses_1\",\"messageID\":\"msg_a\",\"type\":\"text\",\"text\":\"new\"}]},"
                     "{\"info\":{\"id\":\"msg_c\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                     "\"time\":{\"created\":3}},\"parts\":[]}]");
  ek_store_sync_history (store, "ses_1", fetched, mark, EK_SYNC_WHOLE);

  state = describe (store);
  g_assert_cmpstr (state, ==, "msg_a(fetched)[new],msg_c");
}

typedef struct
{
  guint n_signals;
  guint added;
  guint parts_at_signal;
} ItemsSeen;

static void
on_messages_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     ItemsSeen  *seen)
{
  seen->n_signals++;
  seen->added += added;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (model, i);

      seen->parts_at_signal += g_list_model_get_n_items (ek_message_get_parts (message));
    }
}

/* A page of older history goes into the list with one ::items-changed,
 * each message with its parts already: a view binds each row once. */
static void
test_history_page_whole (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(JsonArray) fetched = NULL;
  ItemsSeen seen = { 0, };
  GListModel *messages;

  apply_message (store, "msg_900", 900, NULL);
  apply_message (store, "msg_901", 901, NULL);
  messages = ek_session_get_messages (ek_store_lookup_session (store, "ses_1"));
  g_signal_connect (messages, "items-changed", G_CALLBACK (on_messages_changed), &seen);

  /* fifty older messages, newest first as a page may come, two parts each */
  for (guint i = 50; i > 0; i--)
    g_string_append_printf (json,
                            "%s{\"info\":{\"id\":\"msg_%03u\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                            "\"time\":{\"created\":%u}},\"parts\":["
                            "{\"id\":\"prt_%03ua\",\"sessionID\":\"ses_1\",\"messageID\":\"msg_%03u\",\"type\":\"text\",\"text\":\"a\"},"
                            "{\"id\":\"prt_%03ub\",\"sessionID\":\"ses_1\",\"messageID\":\"msg_%03u\",\"type\":\"text\",\"text\":\"b\"}]}",
                            i == 50 ? "" : ",", i, i, i, i, i, i);
  g_string_append (json, "]");
  fetched = history (json->str);
  ek_store_sync_history (store, "ses_1", fetched, ek_store_get_mark (store), EK_SYNC_PAGE);

  g_assert_cmpuint (seen.n_signals, ==, 1);
  g_assert_cmpuint (seen.added, ==, 50);
  g_assert_cmpuint (seen.parts_at_signal, ==, 100);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 52);
  for (guint i = 0; i < 52; i++)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (messages, i);
      g_autofree char *id = g_strdup_printf ("msg_%03u", i < 50 ? i + 1 : 900 + i - 50);

      g_assert_cmpstr (ek_message_get_id (message), ==, id);
    }

  g_signal_handlers_disconnect_by_func (messages, on_messages_changed, &seen);
}

static void
test_history_live_wins (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonArray) fetched = NULL;
  g_autofree char *state = NULL;
  guint64 mark;

  apply_message (store, "msg_a", 1, NULL);
  apply_part (store, "msg_a", "prt_a", "before");
  apply_message (store, "msg_b", 2, NULL);
  mark = ek_store_get_mark (store);

  /* while the fetch is in flight: a is updated, b removed, d created */
  apply_message (store, "msg_a", 1, ",\"mark\":\"live\"");
  apply_part (store, "msg_a", "prt_a", "live");
  apply (store, "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_b\"}}");
  apply_message (store, "msg_d", 4, NULL);

  /* the answer, taken before all that */
  fetched = history ("[{\"info\":{\"id\":\"msg_a\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                     "\"time\":{\"created\":1},\"mark\":\"stale\"},\"parts\":[{\"id\":\"prt_a\","
                     "\"sessionID\":\"ses_1\",\"messageID\":\"msg_a\",\"type\":\"text\",\"text\":\"stale\"}]},"
                     "{\"info\":{\"id\":\"msg_b\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                     "\"time\":{\"created\":2}},\"parts\":[]}]");
  ek_store_sync_history (store, "ses_1", fetched, mark, EK_SYNC_WHOLE);

  state = describe (store);
  g_assert_cmpstr (state, ==, "msg_a(live)[live],msg_d");
}

static void
test_history_delta_after_mark (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonArray) fetched = NULL;
  g_autofree char *state = NULL;
  guint64 mark;

  apply_message (store, "msg_a", 1, NULL);
  apply_part (store, "msg_a", "prt_a", "ab");
  mark = ek_store_get_mark (store);
  apply (store, "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_1\","
                "\"messageID\":\"msg_a\",\"partID\":\"prt_a\",\"field\":\"text\",\"delta\":\"c\"}}");

  fetched = history ("[{\"info\":{\"id\":\"msg_a\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                     "\"time\":{\"created\":1}},\"parts\":[{\"id\":\"prt_a\",\"sessionID\":\"ses_1\","
                     "\"messageID\":\"msg_a\",\"type\":\"text\",\"text\":\"ab\"}]}]");
  ek_store_sync_history (store, "ses_1", fetched, mark, EK_SYNC_WHOLE);

  state = describe (store);
  g_assert_cmpstr (state, ==, "msg_a[abc]");
}

static void
test_history_ranges (void)
{
  const char *page = "[{\"info\":{\"id\":\"msg_c\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                     "\"time\":{\"created\":3}},\"parts\":[]},"
                     "{\"info\":{\"id\":\"msg_e\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                     "\"time\":{\"created\":5}},\"parts\":[]}]";
  struct {
    EkSyncRange  range;
    const char  *expected;
  } cases[] = {
    /* the page covers c..e: b (before) and f (after) are outside it */
    { EK_SYNC_WHOLE, "msg_c,msg_e" },
    { EK_SYNC_NEWEST, "msg_a,msg_b,msg_c,msg_e" },
    { EK_SYNC_PAGE, "msg_a,msg_b,msg_c,msg_e,msg_f" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EkStore) store = ek_store_new ();
      g_autoptr(JsonArray) fetched = history (page);
      g_autofree char *state = NULL;
      guint64 mark;

      apply_message (store, "msg_a", 1, NULL);
      apply_message (store, "msg_b", 2, NULL);
      apply_message (store, "msg_d", 4, NULL);
      if (cases[i].range == EK_SYNC_PAGE)
        apply_message (store, "msg_f", 6, NULL);
      mark = ek_store_get_mark (store);

      ek_store_sync_history (store, "ses_1", fetched, mark, cases[i].range);
      state = describe (store);
      g_assert_cmpstr (state, ==, cases[i].expected);
    }
}

static void
test_requests (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonNode) node = NULL;
  EkSession *session;
  guint64 mark;

  apply (store, "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_old\",\"sessionID\":\"ses_1\","
                "\"permission\":\"bash\",\"patterns\":[\"ls\"]}}");
  apply (store, "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_gone\",\"sessionID\":\"ses_1\","
                "\"permission\":\"bash\",\"patterns\":[\"rm\"]}}");
  mark = ek_store_get_mark (store);
  /* live: per_old is answered, per_new asked */
  apply (store, "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_1\","
                "\"requestID\":\"per_old\",\"reply\":\"once\"}}");
  apply (store, "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_new\",\"sessionID\":\"ses_1\","
                "\"permission\":\"edit\",\"patterns\":[\"a.c\"]}}");

  /* fetched at the mark: per_old still pending, per_gone no longer,
   * per_other asked meanwhile in another session */
  node = parse ("[{\"id\":\"per_old\",\"sessionID\":\"ses_1\",\"permission\":\"bash\"},"
                "{\"id\":\"per_other\",\"sessionID\":\"ses_2\",\"permission\":\"read\"}]");
  ek_store_sync_requests (store, EK_REQUEST_PERMISSION, json_node_get_array (node), mark);

  session = ek_store_lookup_session (store, "ses_1");
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_permissions (session)), ==, 1);
  {
    g_autoptr(EkRequest) request = g_list_model_get_item (ek_session_get_permissions (session), 0);
    g_assert_cmpstr (ek_request_get_id (request), ==, "per_new");
  }
  session = ek_store_lookup_session (store, "ses_2");
  g_assert_nonnull (session);
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_permissions (session)), ==, 1);
}

static void
test_statuses (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonNode) node = NULL;
  guint64 mark;

  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}");
  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_2\",\"status\":{\"type\":\"busy\"}}}");
  mark = ek_store_get_mark (store);
  /* live: ses_3 became busy after the mark */
  apply (store, "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_3\",\"status\":{\"type\":\"busy\"}}}");

  /* fetched: only ses_2 busy (ses_1 went idle while we were away) */
  node = parse ("{\"ses_2\":{\"type\":\"busy\"}}");
  ek_store_sync_statuses (store, json_node_get_object (node), mark);

  g_assert_cmpint (ek_session_get_status (ek_store_lookup_session (store, "ses_1")), ==, EK_SESSION_STATUS_IDLE);
  g_assert_cmpint (ek_session_get_status (ek_store_lookup_session (store, "ses_2")), ==, EK_SESSION_STATUS_BUSY);
  g_assert_cmpint (ek_session_get_status (ek_store_lookup_session (store, "ses_3")), ==, EK_SESSION_STATUS_BUSY);
}

static void
test_sessions (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonNode) node = NULL;
  guint64 mark;

  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"info\":{\"id\":\"ses_1\",\"title\":\"one\"}}}");
  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"ses_2\",\"info\":{\"id\":\"ses_2\",\"title\":\"two\"}}}");
  mark = ek_store_get_mark (store);
  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"ses_3\",\"info\":{\"id\":\"ses_3\",\"title\":\"three\"}}}");
  apply (store, "{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"info\":{\"id\":\"ses_1\",\"title\":\"one, live\"}}}");

  /* fetched at the mark: ses_1 with its old title, ses_2 deleted, ses_4 new */
  node = parse ("[{\"id\":\"ses_1\",\"title\":\"one\"},{\"id\":\"ses_4\",\"title\":\"four\"}]");
  ek_store_sync_sessions (store, json_node_get_array (node), mark, TRUE);

  g_assert_cmpstr (ek_session_get_title (ek_store_lookup_session (store, "ses_1")), ==, "one, live");
  g_assert_null (ek_store_lookup_session (store, "ses_2"));
  g_assert_nonnull (ek_store_lookup_session (store, "ses_3"));
  g_assert_cmpstr (ek_session_get_title (ek_store_lookup_session (store, "ses_4")), ==, "four");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/history/whole", test_history_whole);
  g_test_add_func ("/sync/history/live-wins", test_history_live_wins);
  g_test_add_func ("/sync/history/delta-after-mark", test_history_delta_after_mark);
  g_test_add_func ("/sync/history/ranges", test_history_ranges);
  g_test_add_func ("/sync/history/page-whole", test_history_page_whole);
  g_test_add_func ("/sync/requests", test_requests);
  g_test_add_func ("/sync/statuses", test_statuses);
  g_test_add_func ("/sync/sessions", test_sessions);

  return g_test_run ();
}
