/* test-event.c: tests for the event decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The decoder has three ways in: the strict fast path for deltas, the
 * direct JSON reader, and json-glib for whatever the reader gives up on.
 * These tests hold them to the same events and the same errors.
 */

#include <string.h>

#include "ek-event-private.h"
#include "ek-test-util.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

/* Decodes through json-glib's parser and ek_event_decode_node(): the
 * general path, whatever the fast path and the reader would do. */
static EkEvent *
decode_with_json_glib (const char  *json,
                       gssize       len,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, json, len, error))
    return NULL;
  return ek_event_decode_node (json_parser_get_root (parser), error);
}

static void
assert_decode_fails (const char  *data,
                     gsize        len,
                     int          code,
                     const char  *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) event = ek_event_decode (data, len, &error);

  g_assert_null (event);
  g_assert_error (error, EK_EVENT_ERROR, code);
  g_assert_nonnull (error->message);
  if (what != NULL && strstr (error->message, what) == NULL)
    g_error ("Error message “%s” does not mention “%s”", error->message, what);
}

static void
assert_events_equal (EkEvent *a,
                     EkEvent *b)
{
  gsize len_a, len_b;
  const char *delta_a = ek_event_get_delta (a, &len_a);
  const char *delta_b = ek_event_get_delta (b, &len_b);

  g_assert_cmpint (ek_event_get_kind (a), ==, ek_event_get_kind (b));
  g_assert_cmpstr (ek_event_get_type_name (a), ==, ek_event_get_type_name (b));
  g_assert_cmpstr (ek_event_get_id (a), ==, ek_event_get_id (b));
  g_assert_cmpstr (ek_event_get_directory (a), ==, ek_event_get_directory (b));
  g_assert_cmpstr (ek_event_get_session_id (a), ==, ek_event_get_session_id (b));
  g_assert_cmpstr (ek_event_get_message_id (a), ==, ek_event_get_message_id (b));
  g_assert_cmpstr (ek_event_get_part_id (a), ==, ek_event_get_part_id (b));
  g_assert_cmpstr (ek_event_get_field (a), ==, ek_event_get_field (b));
  g_assert_cmpmem (delta_a, len_a, delta_b, len_b);

  if (ek_event_get_properties (a) != NULL || ek_event_get_properties (b) != NULL)
    {
      g_autoptr(JsonNode) pa = json_node_init_object (json_node_alloc (), ek_event_get_properties (a));
      g_autoptr(JsonNode) pb = json_node_init_object (json_node_alloc (), ek_event_get_properties (b));

      ek_test_assert_json_equal (pa, pb);
    }
}

/* Every way in gives the same event for @json. */
static EkEvent *
decode_all_ways (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) general = decode_with_json_glib (json, -1, &error);
  EkEvent *event;

  g_assert_no_error (error);
  event = ek_test_decode (json);
  assert_events_equal (event, general);
  return event;
}

/* ------------------------------------------------------------------ */
/* Every kind                                                         */

typedef struct
{
  EkEventKind  kind;
  const char  *json;
  const char  *session_id;
  const char  *message_id;
  const char  *part_id;
  const char  *directory;
} KindCase;

static const KindCase kind_cases[] = {
  { EK_EVENT_UNKNOWN,
    "{\"type\":\"reference.updated\",\"properties\":{}}" },
  { EK_EVENT_SERVER_CONNECTED,
    "{\"type\":\"server.connected\",\"properties\":{}}" },
  { EK_EVENT_SERVER_HEARTBEAT,
    "{\"type\":\"server.heartbeat\",\"properties\":{}}" },
  { EK_EVENT_SERVER_INSTANCE_DISPOSED,
    "{\"type\":\"server.instance.disposed\",\"properties\":{\"directory\":\"/p\"}}",
    NULL, NULL, NULL, "/p" },
  { EK_EVENT_SESSION_CREATED,
    "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_1\"}}}",
    "ses_1" },
  { EK_EVENT_SESSION_UPDATED,
    "{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"info\":{\"id\":\"ses_1\"}}}",
    "ses_1" },
  { EK_EVENT_SESSION_DELETED,
    "{\"type\":\"session.deleted\",\"properties\":{\"sessionID\":\"ses_1\"}}",
    "ses_1" },
  { EK_EVENT_SESSION_STATUS,
    "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}",
    "ses_1" },
  { EK_EVENT_SESSION_IDLE,
    "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}",
    "ses_1" },
  { EK_EVENT_SESSION_ERROR,
    "{\"type\":\"session.error\",\"properties\":{\"error\":{\"name\":\"APIError\",\"data\":{\"message\":\"m\"}}}}" },
  { EK_EVENT_SESSION_DIFF,
    "{\"type\":\"session.diff\",\"properties\":{\"sessionID\":\"ses_1\",\"diff\":[]}}",
    "ses_1" },
  { EK_EVENT_MESSAGE_UPDATED,
    "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_1\",\"sessionID\":\"ses_1\"}}}",
    "ses_1", "msg_1" },
  { EK_EVENT_MESSAGE_REMOVED,
    "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\"}}",
    "ses_1", "msg_1" },
  { EK_EVENT_PART_UPDATED,
    "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_1\",\"messageID\":\"msg_1\","
    "\"sessionID\":\"ses_1\",\"type\":\"text\"}}}",
    "ses_1", "msg_1", "prt_1" },
  { EK_EVENT_PART_DELTA,
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\","
    "\"partID\":\"prt_1\",\"field\":\"text\",\"delta\":\"x\"}}",
    "ses_1", "msg_1", "prt_1" },
  { EK_EVENT_PART_REMOVED,
    "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\","
    "\"partID\":\"prt_1\"}}",
    "ses_1", "msg_1", "prt_1" },
  { EK_EVENT_PERMISSION_ASKED,
    "{\"type\":\"permission.asked\",\"properties\":{\"id\":\"per_1\",\"sessionID\":\"ses_1\"}}",
    "ses_1", NULL, "per_1" },
  { EK_EVENT_PERMISSION_REPLIED,
    "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"per_1\","
    "\"reply\":\"once\"}}",
    "ses_1", NULL, "per_1" },
  { EK_EVENT_QUESTION_ASKED,
    "{\"type\":\"question.asked\",\"properties\":{\"id\":\"que_1\",\"sessionID\":\"ses_1\",\"questions\":[]}}",
    "ses_1", NULL, "que_1" },
  { EK_EVENT_QUESTION_REPLIED,
    "{\"type\":\"question.replied\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"que_1\"}}",
    "ses_1", NULL, "que_1" },
  { EK_EVENT_QUESTION_REJECTED,
    "{\"type\":\"question.rejected\",\"properties\":{\"sessionID\":\"ses_1\",\"requestID\":\"que_1\"}}",
    "ses_1", NULL, "que_1" },
  { EK_EVENT_TODO_UPDATED,
    "{\"type\":\"todo.updated\",\"properties\":{\"sessionID\":\"ses_1\",\"todos\":[]}}",
    "ses_1" },
  { EK_EVENT_FILE_EDITED,
    "{\"type\":\"file.edited\",\"properties\":{\"file\":\"a.c\"}}" },
  { EK_EVENT_FILE_WATCHER_UPDATED,
    "{\"type\":\"file.watcher.updated\",\"properties\":{\"file\":\"a.c\",\"event\":\"change\"}}" },
  { EK_EVENT_VCS_BRANCH_UPDATED,
    "{\"type\":\"vcs.branch.updated\",\"properties\":{\"branch\":\"main\"}}" },
  { EK_EVENT_PROJECT_UPDATED,
    "{\"type\":\"project.updated\",\"properties\":{}}" },
  { EK_EVENT_LSP,
    "{\"type\":\"lsp.client.diagnostics\",\"properties\":{}}" },
  { EK_EVENT_PLUGIN_ADDED,
    "{\"type\":\"plugin.added\",\"properties\":{}}" },
  { EK_EVENT_CATALOG_UPDATED,
    "{\"type\":\"catalog.updated\",\"properties\":{}}" },
};

static void
test_kind (gconstpointer data)
{
  const KindCase *c = data;
  g_autoptr(EkEvent) event = decode_all_ways (c->json);

  g_assert_cmpint (ek_event_get_kind (event), ==, c->kind);
  g_assert_cmpstr (ek_event_get_session_id (event), ==, c->session_id);
  g_assert_cmpstr (ek_event_get_message_id (event), ==, c->message_id);
  g_assert_cmpstr (ek_event_get_part_id (event), ==, c->part_id);
  g_assert_cmpstr (ek_event_get_directory (event), ==, c->directory);
  g_assert_nonnull (ek_event_get_type_name (event));

  /* the name round-trips (lsp.* stands for a family) */
  if (c->kind != EK_EVENT_LSP)
    {
      const char *name = ek_event_kind_to_string (c->kind);

      g_assert_cmpint (ek_event_kind_from_string (name), ==, c->kind);
      if (c->kind != EK_EVENT_UNKNOWN)
        g_assert_cmpstr (name, ==, ek_event_get_type_name (event));
    }

  /* deltas keep only their strings; every other kind its properties */
  if (c->kind == EK_EVENT_PART_DELTA)
    {
      gsize len;

      g_assert_null (ek_event_get_properties (event));
      g_assert_cmpstr (ek_event_get_field (event), ==, "text");
      g_assert_cmpstr (ek_event_get_delta (event, &len), ==, "x");
      g_assert_cmpuint (len, ==, 1);
    }
  else
    g_assert_nonnull (ek_event_get_properties (event));
}

static void
test_kinds_covered (void)
{
  gboolean seen[EK_EVENT_N_KINDS] = { FALSE, };

  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    seen[kind_cases[i].kind] = TRUE;
  for (int k = 0; k < EK_EVENT_N_KINDS; k++)
    if (!seen[k])
      g_error ("No test for event kind %d", k);
}

static void
test_lsp_family (void)
{
  g_autoptr(EkEvent) a = ek_test_decode ("{\"type\":\"lsp.updated\",\"properties\":{}}");
  g_autoptr(EkEvent) b = ek_test_decode ("{\"type\":\"lspx\",\"properties\":{}}");

  g_assert_cmpint (ek_event_get_kind (a), ==, EK_EVENT_LSP);
  g_assert_cmpstr (ek_event_get_type_name (a), ==, "lsp.updated");
  g_assert_cmpint (ek_event_get_kind (b), ==, EK_EVENT_UNKNOWN);
}

static void
test_session_error_with_session (void)
{
  g_autoptr(EkEvent) event = decode_all_ways (
    "{\"type\":\"session.error\",\"properties\":{\"sessionID\":\"ses_1\","
    "\"error\":{\"name\":\"MessageAbortedError\",\"data\":{\"message\":\"Aborted\"}}}}");

  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_SESSION_ERROR);
  g_assert_cmpstr (ek_event_get_session_id (event), ==, "ses_1");
}

static void
test_ids_from_info (void)
{
  /* message.updated without a top-level sessionID takes info's */
  g_autoptr(EkEvent) message = decode_all_ways (
    "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_9\",\"sessionID\":\"ses_9\"}}}");
  /* part.updated's part ids win over the envelope's */
  g_autoptr(EkEvent) part = decode_all_ways (
    "{\"type\":\"message.part.updated\",\"properties\":{\"sessionID\":\"ses_other\",\"part\":{\"id\":\"prt_9\","
    "\"messageID\":\"msg_9\",\"sessionID\":\"ses_9\",\"type\":\"tool\"},\"time\":5}}");

  g_assert_cmpstr (ek_event_get_session_id (message), ==, "ses_9");
  g_assert_cmpstr (ek_event_get_message_id (message), ==, "msg_9");
  g_assert_cmpstr (ek_event_get_session_id (part), ==, "ses_9");
  g_assert_cmpstr (ek_event_get_part_id (part), ==, "prt_9");
}

static void
test_properties_missing_or_null (void)
{
  /* kinds that need nothing accept a missing or null `properties` */
  g_autoptr(EkEvent) missing = decode_all_ways ("{\"type\":\"server.heartbeat\"}");
  g_autoptr(EkEvent) null_props = decode_all_ways ("{\"type\":\"server.heartbeat\",\"properties\":null}");

  g_assert_cmpint (ek_event_get_kind (missing), ==, EK_EVENT_SERVER_HEARTBEAT);
  g_assert_cmpint (ek_event_get_kind (null_props), ==, EK_EVENT_SERVER_HEARTBEAT);
  g_assert_nonnull (ek_event_get_properties (missing));
  g_assert_cmpuint (json_object_get_size (ek_event_get_properties (missing)), ==, 0);
}

/* ------------------------------------------------------------------ */
/* Deltas: the fast path and the general path agree                   */

/* @props_delta is the JSON text of the delta string, quotes included */
static void
check_delta (const char *props_delta,
             const char *expected,
             gsize       expected_len)
{
  g_autofree char *fast = g_strdup_printf (
    "{\"id\":\"evt_1\",\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_1\","
    "\"messageID\":\"msg_1\",\"partID\":\"prt_1\",\"field\":\"text\",\"delta\":%s}}", props_delta);
  /* an unknown envelope member keeps it off the fast path */
  g_autofree char *reader = g_strdup_printf (
    "{\"id\":\"evt_1\",\"type\":\"message.part.delta\",\"extra\":[1,{}],\"properties\":{\"sessionID\":\"ses_1\","
    "\"messageID\":\"msg_1\",\"partID\":\"prt_1\",\"field\":\"text\",\"delta\":%s}}", props_delta);
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) a = ek_test_decode (fast);
  g_autoptr(EkEvent) b = ek_test_decode (reader);
  g_autoptr(EkEvent) c = decode_with_json_glib (fast, -1, &error);
  gsize len;
  const char *delta;

  g_assert_no_error (error);
  assert_events_equal (a, b);
  assert_events_equal (a, c);

  delta = ek_event_get_delta (a, &len);
  g_assert_cmpmem (delta, len, expected, expected_len);
  g_assert_cmpint (delta[len], ==, '\0');
  g_assert_true (g_utf8_validate (delta, len, NULL));
  g_assert_cmpstr (ek_event_get_id (a), ==, "evt_1");
}

static void
test_delta_plain (void)
{
  check_delta ("\"Hello, world\"", "Hello, world", 12);
  check_delta ("\"\"", "", 0);
}

static void
test_delta_escapes (void)
{
  check_delta ("\"a\\nb\"", "a\nb", 3);
  check_delta ("\"say \\\"hi\\\"\"", "say \"hi\"", 8);
  check_delta ("\"back\\\\slash\"", "back\\slash", 10);
  check_delta ("\"a\\/b\"", "a/b", 3);
  check_delta ("\"\\b\\f\\r\\t\"", "\b\f\r\t", 4);
  check_delta ("\"caf\\u00e9\"", "caf\xc3\xa9", 5);
  check_delta ("\"caf\\u00E9\"", "caf\xc3\xa9", 5);
  check_delta ("\"\\u20ac\"", "\xe2\x82\xac", 3);
  check_delta ("\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!", 5);
  check_delta ("\"\\\\n is not a newline\"", "\\n is not a newline", 19);
}

static void
test_delta_raw_utf8 (void)
{
  check_delta ("\"café 😀 日本\"", "café 😀 日本", strlen ("café 😀 日本"));
}

static void
test_delta_whitespace (void)
{
  g_autoptr(EkEvent) spaced = ek_test_decode (
    " { \"type\" : \"message.part.delta\" ,\n\t\"properties\" : { \"delta\" : \"x\" , \"field\" : \"text\" ,"
    " \"partID\" : \"p\" , \"messageID\" : \"m\" , \"sessionID\" : \"s\" } } \r\n");
  g_autoptr(EkEvent) compact = ek_test_decode (
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"x\"}}");

  assert_events_equal (spaced, compact);
  g_assert_null (ek_event_get_id (spaced));
}

static void
test_delta_extra_properties (void)
{
  /* a newer server may add members: they go the general way, same event */
  g_autoptr(EkEvent) event = decode_all_ways (
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"reasoning\",\"delta\":\"y\",\"index\":3,\"new\":{\"a\":[true,null]}}}");

  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_PART_DELTA);
  g_assert_cmpstr (ek_event_get_field (event), ==, "reasoning");
  g_assert_cmpstr (ek_event_get_delta (event, NULL), ==, "y");
}

static void
test_delta_duplicate_member (void)
{
  /* json-glib keeps the last of duplicated members; so must we */
  g_autoptr(EkEvent) event = decode_all_ways (
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"first\",\"delta\":\"second\"}}");

  g_assert_cmpstr (ek_event_get_delta (event, NULL), ==, "second");
}

static void
test_delta_large (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GString) escaped = g_string_new (NULL);
  g_autoptr(EkEvent) event = NULL;
  gsize len;

  for (guint i = 0; i < 100000; i++)
    {
      g_string_append_printf (text, "line %u é\n", i);
      g_string_append_printf (escaped, "line %u \\u00e9\\n", i);
    }
  g_string_append_printf (json,
                          "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\","
                          "\"messageID\":\"m\",\"partID\":\"p\",\"field\":\"text\",\"delta\":\"%s\"}}",
                          escaped->str);
  event = decode_all_ways (json->str);
  g_assert_cmpmem (ek_event_get_delta (event, &len), len, text->str, text->len);
}

/* ------------------------------------------------------------------ */
/* Envelopes                                                          */

static void
test_envelope_extra_fields (void)
{
  const char *delta_props =
    "\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\",\"field\":\"text\",\"delta\":\"d\"}";
  const char *idle_props = "\"properties\":{\"sessionID\":\"s\"}";
  const char *extras[] = {
    "\"id\":\"evt_1\",",
    "\"eventId\":\"evt_1\",",
    "\"id\":\"evt_1\",\"eventId\":\"evt_1\",\"sequence\":42,\"timestamp\":1795564768789,",
    "\"sequence\":42,\"timestamp\":\"2026-11-24T23:59:28.789Z\",\"eventId\":\"evt_1\",",
    "\"sequence\":1.5e3,\"timestamp\":-1,",
  };

  for (guint i = 0; i < G_N_ELEMENTS (extras); i++)
    {
      g_autofree char *delta = g_strdup_printf ("{%s\"type\":\"message.part.delta\",%s}", extras[i], delta_props);
      g_autofree char *delta_after = g_strdup_printf ("{\"type\":\"message.part.delta\",%s,%.*s}",
                                                      delta_props, (int) strlen (extras[i]) - 1, extras[i]);
      g_autofree char *idle = g_strdup_printf ("{%s\"type\":\"session.idle\",%s}", extras[i], idle_props);
      g_autoptr(EkEvent) e1 = decode_all_ways (delta);
      g_autoptr(EkEvent) e2 = decode_all_ways (delta_after);
      g_autoptr(EkEvent) e3 = decode_all_ways (idle);

      g_assert_cmpint (ek_event_get_kind (e1), ==, EK_EVENT_PART_DELTA);
      g_assert_cmpint (ek_event_get_kind (e2), ==, EK_EVENT_PART_DELTA);
      g_assert_cmpint (ek_event_get_kind (e3), ==, EK_EVENT_SESSION_IDLE);
      g_assert_cmpstr (ek_event_get_delta (e1, NULL), ==, "d");
      g_assert_cmpstr (ek_event_get_session_id (e3), ==, "s");
      if (i != G_N_ELEMENTS (extras) - 1)
        {
          g_assert_cmpstr (ek_event_get_id (e1), ==, "evt_1");
          g_assert_cmpstr (ek_event_get_id (e2), ==, "evt_1");
          g_assert_cmpstr (ek_event_get_id (e3), ==, "evt_1");
        }
      else
        g_assert_null (ek_event_get_id (e1));
    }
}

/* The envelope is read without json-glib: member order, repeats, and
 * properties that only become a tree when asked for must not change the
 * event. */
static void
test_envelope_member_order (void)
{
  const char *cases[] = {
    /* properties before the type, for a kind whose properties are read */
    "{\"properties\":{\"sessionID\":\"s\",\"info\":{\"id\":\"m\",\"sessionID\":\"s\"}},\"type\":\"message.updated\",\"id\":\"e\"}",
    /* and after it */
    "{\"id\":\"e\",\"type\":\"message.updated\",\"properties\":{\"sessionID\":\"s\",\"info\":{\"id\":\"m\",\"sessionID\":\"s\"}}}",
    /* a repeated member: the last one counts, as in json-glib */
    "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"a\"},\"properties\":{\"sessionID\":\"b\"}}",
    "{\"type\":\"plugin.added\",\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"s\"}}",
    "{\"id\":\"a\",\"id\":\"b\",\"type\":\"server.heartbeat\",\"properties\":{}}",
    /* members nobody reads, of every shape */
    "{\"type\":\"session.idle\",\"x\":[1,{\"y\":[true,false,null]},\"\\u00e9\"],\"properties\":{\"sessionID\":\"s\"}}",
    /* properties that are null, or missing */
    "{\"type\":\"server.connected\",\"properties\":null}",
    "{\"type\":\"server.connected\"}",
    /* an id that is not a string */
    "{\"id\":7,\"type\":\"server.heartbeat\",\"properties\":{}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(EkEvent) event = decode_all_ways (cases[i]);

      g_assert_nonnull (ek_event_get_properties (event));
    }
}

/* Properties of kinds the client ignores are checked at once but made
 * into a tree only when asked for; asking gives what json-glib reads. */
static void
test_envelope_ignored_properties (void)
{
  const char *json =
    "{\"id\":\"evt_1\",\"type\":\"plugin.added\",\"properties\":{\"id\":\"core/x\",\"n\":[1,2.5,-3e2],\"t\":\"a\\\"b\\u00e9\"}}";
  g_autoptr(EkEvent) event = ek_test_decode (json);
  g_autoptr(EkEvent) general = decode_with_json_glib (json, -1, NULL);
  JsonObject *props = ek_event_get_properties (event);

  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_PLUGIN_ADDED);
  g_assert_nonnull (props);
  /* made once, then the same object */
  g_assert_true (ek_event_get_properties (event) == props);
  g_assert_cmpstr (json_object_get_string_member (props, "id"), ==, "core/x");
  g_assert_cmpstr (json_object_get_string_member (props, "t"), ==, "a\"b\u00e9");
  assert_events_equal (event, general);

  /* not strict JSON inside them is still an error, as for any kind */
  {
    const char *bad[] = {
      "{\"type\":\"plugin.added\",\"properties\":{\"id\":01}}",
      "{\"type\":\"plugin.added\",\"properties\":{\"id\":\"\\x\"}}",
      "{\"type\":\"reference.updated\",\"properties\":{\"a\":[1,]}}",
      "{\"properties\":{\"a\":tru},\"type\":\"server.heartbeat\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      assert_decode_fails (bad[i], strlen (bad[i]), EK_EVENT_ERROR_SYNTAX, "not valid JSON");
  }
}

static void
test_envelope_global (void)
{
  g_autoptr(EkEvent) delta = decode_all_ways (
    "{\"directory\":\"/home/dev/project\",\"payload\":{\"id\":\"evt_1\",\"type\":\"message.part.delta\","
    "\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\",\"field\":\"text\",\"delta\":\"d\"}}}");
  g_autoptr(EkEvent) status = decode_all_ways (
    "{\"payload\":{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"s\",\"status\":{\"type\":\"idle\"}}},"
    "\"directory\":\"/d\"}");
  g_autoptr(EkEvent) disposed = decode_all_ways (
    "{\"directory\":\"/d\",\"payload\":{\"type\":\"server.instance.disposed\",\"properties\":{\"directory\":\"/x\"}}}");

  g_assert_cmpint (ek_event_get_kind (delta), ==, EK_EVENT_PART_DELTA);
  g_assert_cmpstr (ek_event_get_directory (delta), ==, "/home/dev/project");
  g_assert_cmpstr (ek_event_get_id (delta), ==, "evt_1");
  g_assert_cmpstr (ek_event_get_delta (delta, NULL), ==, "d");
  g_assert_cmpint (ek_event_get_kind (status), ==, EK_EVENT_SESSION_STATUS);
  g_assert_cmpstr (ek_event_get_directory (status), ==, "/d");
  g_assert_cmpstr (ek_event_get_session_id (status), ==, "s");
  /* the envelope's directory is where the event comes from */
  g_assert_cmpstr (ek_event_get_directory (disposed), ==, "/d");
}

static void
test_envelope_global_sync (void)
{
  g_autoptr(EkEvent) sync = decode_all_ways (
    "{\"directory\":\"/d\",\"payload\":{\"type\":\"sync\",\"properties\":{\"type\":\"message.updated\","
    "\"properties\":{\"info\":{\"id\":\"msg_1\",\"sessionID\":\"s\"}}}}}");

  g_assert_cmpint (ek_event_get_kind (sync), ==, EK_EVENT_UNKNOWN);
  g_assert_cmpstr (ek_event_get_type_name (sync), ==, "sync");
  g_assert_null (ek_event_get_session_id (sync));
  g_assert_null (ek_event_get_message_id (sync));
}

static void
test_unknown_type (void)
{
  g_autoptr(EkEvent) event = decode_all_ways (
    "{\"type\":\"something.new\",\"properties\":{\"sessionID\":\"s\",\"deep\":{\"a\":[1,2,{\"b\":null}]}}}");
  g_autoptr(EkEvent) empty = decode_all_ways ("{\"type\":\"\",\"properties\":{}}");

  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_UNKNOWN);
  g_assert_cmpstr (ek_event_get_type_name (event), ==, "something.new");
  g_assert_cmpint (ek_event_get_kind (empty), ==, EK_EVENT_UNKNOWN);
}

/* ------------------------------------------------------------------ */
/* Malformed events                                                   */

static void
test_malformed_truncated (void)
{
  const char *whole =
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"d\\u00e9\"}}";
  gsize len = strlen (whole);

  /* every proper prefix fails, as a syntax error */
  for (gsize cut = 1; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EkEvent) event = NULL;
      /* an exact copy, no nul after it, so reading past the end shows */
      char *exact = g_memdup2 (whole, cut);

      event = ek_event_decode (exact, cut, &error);
      g_free (exact);
      g_assert_null (event);
      g_assert_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_SYNTAX);
      g_assert_true (g_str_has_prefix (error->message, "Event is not valid JSON"));
    }
}

static void
test_malformed_garbage (void)
{
  const char garbage[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80{[\"";
  GRand *rand = g_rand_new_with_seed (7);

  assert_decode_fails (garbage, sizeof garbage - 1, EK_EVENT_ERROR_SYNTAX, "not valid JSON");
  assert_decode_fails ("not json", 8, EK_EVENT_ERROR_SYNTAX, "not valid JSON");
  assert_decode_fails ("{\"type\":\"x\",}", 13, EK_EVENT_ERROR_SYNTAX, "not valid JSON");

  /* random bytes never crash and never decode to a known kind */
  for (guint round = 0; round < 2000; round++)
    {
      char buf[64];
      gsize len = g_rand_int_range (rand, 0, sizeof buf);
      g_autoptr(GError) error = NULL;
      g_autoptr(EkEvent) event = NULL;

      for (gsize i = 0; i < len; i++)
        buf[i] = (char) g_rand_int_range (rand, 0, 256);
      event = ek_event_decode (buf, len, &error);
      g_assert_true ((event == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (error->domain == EK_EVENT_ERROR);
    }
  g_rand_free (rand);
}

static void
test_malformed_empty (void)
{
  assert_decode_fails ("", 0, EK_EVENT_ERROR_SYNTAX, "no data");
  assert_decode_fails (NULL, 0, EK_EVENT_ERROR_SYNTAX, NULL);
}

static void
test_malformed_whitespace_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) event = ek_event_decode (" \n\t ", 4, &error);

  g_assert_null (event);
  g_assert_nonnull (error);
  g_assert_true (error->domain == EK_EVENT_ERROR);
}

static void
test_malformed_not_object (void)
{
  const char *cases[] = { "[1,2]", "\"message.part.delta\"", "42", "null", "true", "[]" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_decode_fails (cases[i], strlen (cases[i]), EK_EVENT_ERROR_ENVELOPE, "not a JSON object");
}

static void
test_malformed_no_type (void)
{
  const char *cases[] = {
    "{}",
    "{\"properties\":{}}",
    "{\"type\":7,\"properties\":{}}",
    "{\"type\":null,\"properties\":{}}",
    "{\"type\":{\"name\":\"session.idle\"},\"properties\":{}}",
    /* a global envelope whose payload has no type */
    "{\"directory\":\"/d\",\"payload\":{\"properties\":{}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_decode_fails (cases[i], strlen (cases[i]), EK_EVENT_ERROR_ENVELOPE, "“type”");
}

static void
test_malformed_properties_not_object (void)
{
  const char *cases[] = {
    "{\"type\":\"session.idle\",\"properties\":[]}",
    "{\"type\":\"session.idle\",\"properties\":\"ses_1\"}",
    "{\"type\":\"message.part.delta\",\"properties\":42}",
    "{\"type\":\"server.heartbeat\",\"properties\":true}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_decode_fails (cases[i], strlen (cases[i]), EK_EVENT_ERROR_ENVELOPE, "“properties”");
}

static void
test_malformed_missing_ids (void)
{
  const struct {
    const char *json;
    const char *member;
  } cases[] = {
    { "{\"type\":\"session.updated\",\"properties\":{}}", "sessionID" },
    { "{\"type\":\"session.updated\",\"properties\":{\"sessionID\":\"s\"}}", "info.id" },
    { "{\"type\":\"session.deleted\",\"properties\":{}}", "sessionID" },
    { "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"s\"}}", "status.type" },
    { "{\"type\":\"session.status\",\"properties\":{\"sessionID\":\"s\",\"status\":\"busy\"}}", "status.type" },
    { "{\"type\":\"session.status\",\"properties\":{\"status\":{\"type\":\"busy\"}}}", "sessionID" },
    { "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":5}}", "sessionID" },
    { "{\"type\":\"session.diff\",\"properties\":{}}", "sessionID" },
    { "{\"type\":\"todo.updated\",\"properties\":{\"todos\":[]}}", "sessionID" },
    { "{\"type\":\"message.updated\",\"properties\":{\"sessionID\":\"s\"}}", "info.id" },
    { "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"m\"}}}", "sessionID" },
    { "{\"type\":\"message.removed\",\"properties\":{\"sessionID\":\"s\"}}", "messageID" },
    { "{\"type\":\"message.part.updated\",\"properties\":{\"sessionID\":\"s\"}}", "part.id" },
    { "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"p\",\"sessionID\":\"s\",\"type\":\"text\"}}}",
      "part.messageID" },
    { "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"p\",\"messageID\":\"m\",\"type\":\"text\"}}}",
      "sessionID" },
    { "{\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"p\",\"messageID\":\"m\",\"sessionID\":\"s\"}}}",
      "part.type" },
    { "{\"type\":\"message.part.delta\",\"properties\":{\"messageID\":\"m\",\"partID\":\"p\",\"field\":\"text\","
      "\"delta\":\"d\"}}", "sessionID" },
    { "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"partID\":\"p\",\"field\":\"text\","
      "\"delta\":\"d\"}}", "messageID" },
    { "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"field\":\"text\","
      "\"delta\":\"d\"}}", "partID" },
    { "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
      "\"delta\":\"d\"}}", "field" },
    { "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
      "\"field\":\"text\"}}", "delta" },
    { "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
      "\"field\":\"text\",\"delta\":null}}", "delta" },
    { "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
      "\"field\":\"text\",\"delta\":12}}", "delta" },
    { "{\"type\":\"message.part.removed\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\"}}", "partID" },
    { "{\"type\":\"permission.asked\",\"properties\":{\"sessionID\":\"s\"}}", "id" },
    { "{\"type\":\"permission.replied\",\"properties\":{\"sessionID\":\"s\"}}", "requestID" },
    { "{\"type\":\"question.asked\",\"properties\":{\"id\":\"q\"}}", "sessionID" },
    { "{\"type\":\"question.replied\",\"properties\":{\"sessionID\":\"s\"}}", "requestID" },
    { "{\"type\":\"question.rejected\",\"properties\":{\"requestID\":\"q\"}}", "sessionID" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = strlen (cases[i].json);
      const char *type = cases[i].json + strlen ("{\"type\":\"");
      g_autofree char *expected = g_strdup_printf ("Event “%.*s” has no string “%s”",
                                                   (int) (strchr (type, '"') - type), type,
                                                   cases[i].member);
      /* exactly the event's bytes, no NUL after them: the message must
       * not read past the type's closing quote */
      g_autofree char *exact = g_memdup2 (cases[i].json, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) scanned_error = NULL;
      g_autoptr(EkEvent) scanned = ek_event_decode (exact, len, &scanned_error);
      g_autoptr(EkEvent) general = NULL;

      g_assert_null (scanned);
      g_assert_error (scanned_error, EK_EVENT_ERROR, EK_EVENT_ERROR_PROPERTIES);
      g_assert_cmpstr (scanned_error->message, ==, expected);

      /* the general path says the same */
      general = decode_with_json_glib (cases[i].json, -1, &error);
      g_assert_null (general);
      g_assert_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_PROPERTIES);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_malformed_deep_nesting (void)
{
  const gsize depth = 100000;
  g_autoptr(GString) open = g_string_sized_new (depth * 2 + 64);
  g_autoptr(GString) valid = g_string_sized_new (depth * 2 + 64);
  g_autoptr(GString) in_props = g_string_new ("{\"type\":\"x\",\"properties\":{\"a\":");

  /* unbalanced */
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (open, '[');
  assert_decode_fails (open->str, open->len, EK_EVENT_ERROR_SYNTAX, "deeper");

  /* balanced and otherwise valid JSON, but far too deep */
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (valid, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (valid, ']');
  assert_decode_fails (valid->str, valid->len, EK_EVENT_ERROR_SYNTAX, "deeper");

  /* deep inside an event's properties, objects this time */
  for (gsize i = 0; i < depth; i++)
    g_string_append (in_props, "{\"a\":");
  g_string_append (in_props, "1");
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (in_props, '}');
  g_string_append (in_props, "}}");
  assert_decode_fails (in_props->str, in_props->len, EK_EVENT_ERROR_SYNTAX, "deeper");
}

static void
test_nesting_within_limit (void)
{
  g_autoptr(GString) json = g_string_new ("{\"type\":\"x\",\"properties\":{\"a\":");
  g_autoptr(GString) brackets_in_string = g_string_new ("{\"type\":\"x\",\"properties\":{\"a\":\"");
  g_autoptr(EkEvent) event = NULL;
  g_autoptr(EkEvent) stringy = NULL;

  /* 100 levels is fine */
  for (guint i = 0; i < 100; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 100; i++)
    g_string_append_c (json, ']');
  g_string_append (json, "}}");
  event = decode_all_ways (json->str);
  g_assert_cmpint (ek_event_get_kind (event), ==, EK_EVENT_UNKNOWN);

  /* brackets inside a string are not nesting */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (brackets_in_string, '[');
  g_string_append (brackets_in_string, "\"}}");
  stringy = ek_test_decode (brackets_in_string->str);
  g_assert_cmpint (ek_event_get_kind (stringy), ==, EK_EVENT_UNKNOWN);
}

static void
test_malformed_invalid_utf8 (void)
{
  const char *cases[] = {
    /* on the delta fast path */
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"caf\xe9\"}}",
    /* a truncated sequence */
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"\xe2\x82\"}}",
    /* an overlong encoding of '/' */
    "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"s\xc0\xaf\"}}",
    /* in a key */
    "{\"type\":\"session.idle\",\"properties\":{\"session\xffID\":\"s\"}}",
    /* a UTF-16 surrogate encoded as UTF-8 (CESU-8) */
    "{\"type\":\"x\",\"properties\":{\"a\":\"\xed\xa0\x80\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_decode_fails (cases[i], strlen (cases[i]), EK_EVENT_ERROR_SYNTAX, "UTF-8");
}

static void
test_lone_surrogates (void)
{
  const char *cases[] = {
    "\"\\ud83d\"",
    "\"\\ud83dx\"",
    "\"\\ud83d\\u0041\"",
    "\"\\ude00\"",
    "\"a\\ude00b\"",
    "\"\\ude00\\ud83d\"",
  };

  /* either an error, or exactly what json-glib makes of it */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (
        "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\","
        "\"partID\":\"p\",\"field\":\"text\",\"delta\":%s}}", cases[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) glib_error = NULL;
      g_autoptr(EkEvent) event = ek_event_decode (json, strlen (json), &error);
      g_autoptr(EkEvent) general = decode_with_json_glib (json, -1, &glib_error);

      if (event == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == EK_EVENT_ERROR);
          continue;
        }
      g_assert_no_error (error);
      g_assert_no_error (glib_error);
      assert_events_equal (event, general);
      if (!g_utf8_validate (ek_event_get_delta (event, NULL), -1, NULL))
        g_test_message ("%s decodes to invalid UTF-8 (as json-glib does)", cases[i]);
    }
}

/* Strings made of runs of plain text, escapes and multi-byte characters
 * at every alignment read as json-glib reads them. */
static void
test_strings_random (void)
{
  const char *pieces[] = {
    "a", "bcdefgh", "ijklmnopqrstuvw", " ", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
    "\\n", "\\\"", "\\\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "'", "~", "0",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GString) json = g_string_new ("{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"");
      guint n = g_rand_int_range (rand, 0, 24);
      g_autoptr(EkEvent) event = NULL;

      for (guint i = 0; i < n; i++)
        g_string_append (json, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      g_string_append (json, "\"}}");
      event = decode_all_ways (json->str);
      g_assert_nonnull (ek_event_get_session_id (event));
    }
}

static void
test_nul_escape (void)
{
  /* \u0000 cannot live in a C string: same as json-glib, no crash */
  const char *json =
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"a\\u0000b\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) event = ek_event_decode (json, strlen (json), &error);
  g_autoptr(EkEvent) general = decode_with_json_glib (json, -1, NULL);

  if (event != NULL)
    {
      gsize len;
      const char *delta = ek_event_get_delta (event, &len);

      g_assert_nonnull (general);
      assert_events_equal (event, general);
      g_assert_cmpuint (len, ==, strlen (delta));
    }
  else
    g_assert_nonnull (error);
}

static void
test_embedded_nul_byte (void)
{
  /* a raw NUL inside the data is not JSON */
  const char json[] = "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"s\0t\"}}";

  assert_decode_fails (json, sizeof json - 1, EK_EVENT_ERROR_SYNTAX, NULL);
}

static void
test_malformed_not_strict (void)
{
  /* json-glib reads all of these (it is lenient: single quotes, C
   * comments, hex numbers, unknown escapes, raw control characters,
   * trailing values); none of them is JSON, and a server never sends
   * them.  json-glib is only there to say what is wrong. */
  const char *cases[] = {
    "{\"type\":'session.idle',\"properties\":{\"sessionID\":\"s\"}}",
    "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"s\"}}{\"type\":\"x\"}",
    "{\"type\":\"x\",\"properties\":{\"a\":/* comment */1}}",
    "{\"type\":\"x\",\"properties\":{\"a\":0x10}}",
    "{\"type\":\"x\",\"properties\":{\"a\":.5}}",
    "{\"type\":\"x\",\"properties\":{\"a\":1.}}",
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"a\\qb\"}}",
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"\\x41\"}}",
    "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"s\",\"messageID\":\"m\",\"partID\":\"p\","
    "\"field\":\"text\",\"delta\":\"tab\there\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(EkEvent) event = ek_event_decode (cases[i], strlen (cases[i]), &error);

      if (event != NULL)
        g_error ("Decoded non-JSON as a %s event: %s", ek_event_get_type_name (event), cases[i]);
      g_assert_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_SYNTAX);
    }
}

/* ------------------------------------------------------------------ */
/* Numbers                                                            */

static JsonNode *
decoded_member (EkEvent    *event,
                const char *name)
{
  JsonObject *props = ek_event_get_properties (event);

  g_assert_nonnull (props);
  g_assert_true (json_object_has_member (props, name));
  return json_object_get_member (props, name);
}

static void
test_numbers (void)
{
  const char *numbers[] = {
    "0", "-0", "1", "-1", "42", "1795564768789", "-1795564768789",
    "9007199254740993", "9223372036854775807", "-9223372036854775808",
    "1.5", "-1.5", "0.0", "-0.0", "0.1", "1e3", "1E3", "1e+3", "1e-3", "2.5E-3",
    "123456789.123456789", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308",
    "3.141592653589793", "100000000000000000000000000000.0",
  };
  g_autoptr(GString) json = g_string_new ("{\"type\":\"x\",\"properties\":{\"n\":[");

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *single = g_strdup_printf ("{\"type\":\"x\",\"properties\":{\"n\":%s}}", numbers[i]);
      g_autoptr(EkEvent) mine = ek_test_decode (single);
      g_autoptr(EkEvent) theirs = decode_with_json_glib (single, -1, NULL);
      JsonNode *a = decoded_member (mine, "n");
      JsonNode *b = decoded_member (theirs, "n");

      g_assert_cmpint (JSON_NODE_TYPE (a), ==, JSON_NODE_VALUE);
      if (json_node_get_value_type (a) != json_node_get_value_type (b))
        g_error ("%s reads as %s, json-glib reads it as %s", numbers[i],
                 g_type_name (json_node_get_value_type (a)), g_type_name (json_node_get_value_type (b)));
      if (json_node_get_value_type (a) == G_TYPE_INT64)
        g_assert_cmpint (json_node_get_int (a), ==, json_node_get_int (b));
      else
        {
          double da = json_node_get_double (a), db = json_node_get_double (b);

          /* bit for bit, so -0.0 and the last digit count */
          g_assert_cmpmem (&da, sizeof da, &db, sizeof db);
        }

      g_string_append_printf (json, "%s%s", i ? "," : "", numbers[i]);
    }
  g_string_append (json, "]}}");

  {
    g_autoptr(EkEvent) event = decode_all_ways (json->str);
    JsonArray *array = json_node_get_array (decoded_member (event, "n"));

    g_assert_cmpuint (json_array_get_length (array), ==, G_N_ELEMENTS (numbers));
    /* ints stay ints, doubles stay doubles */
    g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 5)), ==, G_TYPE_INT64);
    g_assert_cmpint (json_array_get_int_element (array, 5), ==, G_GINT64_CONSTANT (1795564768789));
    g_assert_cmpint (json_array_get_int_element (array, 7), ==, G_GINT64_CONSTANT (9007199254740993));
    g_assert_cmpint (json_array_get_int_element (array, 8), ==, G_MAXINT64);
    g_assert_cmpint (json_array_get_int_element (array, 9), ==, G_MININT64);
    g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 10)), ==, G_TYPE_DOUBLE);
    g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 12)), ==, G_TYPE_DOUBLE);
    g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 15)), ==, G_TYPE_DOUBLE);
  }
}

static void
test_numbers_out_of_range (void)
{
  /* json-glib wraps integers past 64 bits around (9223372036854775808
   * reads as G_MININT64); the decoder must at least not make up a
   * different integer: it keeps the magnitude, as a double */
  g_autoptr(EkEvent) event = ek_test_decode (
    "{\"type\":\"x\",\"properties\":{\"big\":9223372036854775808,\"huge\":18446744073709551616,"
    "\"neg\":-9223372036854775809}}");
  JsonNode *big = decoded_member (event, "big");
  JsonNode *huge = decoded_member (event, "huge");
  JsonNode *neg = decoded_member (event, "neg");

  g_assert_cmpint (json_node_get_value_type (big), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (big), ==, 9223372036854775808.0);
  g_assert_cmpint (json_node_get_value_type (huge), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (huge), ==, 18446744073709551616.0);
  g_assert_cmpint (json_node_get_value_type (neg), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (neg), <, 0);
}

static void
test_literals_and_structure (void)
{
  /* the direct reader and json-glib build the same tree */
  g_autoptr(EkEvent) event = decode_all_ways (
    "{\"type\":\"x\",\"properties\":{\"t\":true,\"f\":false,\"n\":null,\"s\":\"\",\"o\":{},\"a\":[],"
    "\"nested\":{\"list\":[1,\"two\",3.0,[null],{\"k\":\"v\"}]},\"dup\":1,\"dup\":2}}");
  JsonObject *props = ek_event_get_properties (event);

  g_assert_true (json_object_get_boolean_member (props, "t"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (props, "n")));
  g_assert_cmpint (json_object_get_int_member (props, "dup"), ==, 2);
}

/* ------------------------------------------------------------------ */
/* The recordings                                                     */

static void
test_fixture_events_all_ways (void)
{
  g_auto(GStrv) names = ek_test_list_fixtures ();

  g_assert_nonnull (names[0]);
  for (guint f = 0; names[f] != NULL; f++)
    {
      g_autoptr(GBytes) stream = ek_test_load_fixture (names[f], "events.sse");
      g_autoptr(GPtrArray) datas = ek_test_split_events (stream);

      g_assert_cmpuint (datas->len, >, 0);
      for (guint i = 0; i < datas->len; i++)
        {
          gsize len;
          const char *data = g_bytes_get_data (g_ptr_array_index (datas, i), &len);
          g_autoptr(GError) error = NULL;
          g_autoptr(EkEvent) event = ek_test_decode_bytes (g_ptr_array_index (datas, i));
          g_autoptr(EkEvent) general = decode_with_json_glib (data, len, &error);

          g_assert_no_error (error);
          assert_events_equal (event, general);
          g_assert_nonnull (ek_event_get_id (event));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/event/kind/%s",
                                               kind_cases[i].kind == EK_EVENT_UNKNOWN
                                               ? "unknown" : ek_event_kind_to_string (kind_cases[i].kind));
      g_test_add_data_func (path, &kind_cases[i], test_kind);
    }
  g_test_add_func ("/event/kind/all-covered", test_kinds_covered);
  g_test_add_func ("/event/kind/lsp-family", test_lsp_family);
  g_test_add_func ("/event/kind/session-error-with-session", test_session_error_with_session);
  g_test_add_func ("/event/ids-from-info", test_ids_from_info);
  g_test_add_func ("/event/properties-missing-or-null", test_properties_missing_or_null);

  g_test_add_func ("/event/delta/plain", test_delta_plain);
  g_test_add_func ("/event/delta/escapes", test_delta_escapes);
  g_test_add_func ("/event/delta/raw-utf8", test_delta_raw_utf8);
  g_test_add_func ("/event/delta/whitespace", test_delta_whitespace);
  g_test_add_func ("/event/delta/extra-properties", test_delta_extra_properties);
  g_test_add_func ("/event/delta/duplicate-member", test_delta_duplicate_member);
  g_test_add_func ("/event/delta/large", test_delta_large);

  g_test_add_func ("/event/envelope/extra-fields", test_envelope_extra_fields);
  g_test_add_func ("/event/envelope/member-order", test_envelope_member_order);
  g_test_add_func ("/event/envelope/ignored-properties", test_envelope_ignored_properties);
  g_test_add_func ("/event/envelope/global", test_envelope_global);
  g_test_add_func ("/event/envelope/global-sync", test_envelope_global_sync);
  g_test_add_func ("/event/envelope/unknown-type", test_unknown_type);

  g_test_add_func ("/event/malformed/truncated", test_malformed_truncated);
  g_test_add_func ("/event/malformed/garbage", test_malformed_garbage);
  g_test_add_func ("/event/malformed/empty", test_malformed_empty);
  g_test_add_func ("/event/malformed/whitespace-only", test_malformed_whitespace_only);
  g_test_add_func ("/event/malformed/not-an-object", test_malformed_not_object);
  g_test_add_func ("/event/malformed/no-type", test_malformed_no_type);
  g_test_add_func ("/event/malformed/properties-not-object", test_malformed_properties_not_object);
  g_test_add_func ("/event/malformed/missing-ids", test_malformed_missing_ids);
  g_test_add_func ("/event/malformed/deep-nesting", test_malformed_deep_nesting);
  g_test_add_func ("/event/malformed/invalid-utf8", test_malformed_invalid_utf8);
  g_test_add_func ("/event/malformed/embedded-nul", test_embedded_nul_byte);
  g_test_add_func ("/event/malformed/not-strict-json", test_malformed_not_strict);
  g_test_add_func ("/event/nesting-within-limit", test_nesting_within_limit);
  g_test_add_func ("/event/strings/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/event/strings/nul-escape", test_nul_escape);
  g_test_add_func ("/event/strings/random", test_strings_random);

  g_test_add_func ("/event/numbers/like-json-glib", test_numbers);
  g_test_add_func ("/event/numbers/out-of-range", test_numbers_out_of_range);
  g_test_add_func ("/event/literals-and-structure", test_literals_and_structure);

  g_test_add_func ("/event/fixtures/all-ways", test_fixture_events_all_ways);

  return g_test_run ();
}
