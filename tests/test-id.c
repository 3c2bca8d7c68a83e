/* test-id.c: tests for ids in the server's scheme
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "ek-id.h"

/* 2^36 ms: the period after which the 48-bit field wraps */
#define PERIOD_MS (G_GINT64_CONSTANT (1) << 36)

static const char * const scenarios[] = {
  "abort", "error", "explore", "long", "permission",
  "question", "reject", "subagent", "tools",
};

static gboolean
has_format (const char *id,
            const char *prefix)
{
  gsize plen = strlen (prefix);
  const char *p;

  if (strncmp (id, prefix, plen) != 0 || id[plen] != '_')
    return FALSE;
  p = id + plen + 1;
  for (int i = 0; i < 12; i++, p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  for (int i = 0; i < 14; i++, p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return *p == '\0';
}

/* the sortable head: prefix, underscore and the 12 hex digits */
static int
compare_heads (const char *a,
               const char *b)
{
  return strncmp (a, b, 16);
}

static void
test_format (void)
{
  for (int i = 0; i < 100; i++)
    {
      g_autofree char *msg = ek_id_ascending ("msg");
      g_autofree char *prt = ek_id_ascending ("prt");
      g_autofree char *ses = ek_id_descending ("ses");
      g_autofree char *prefix = NULL;
      guint64 field;

      g_assert_true (has_format (msg, "msg"));
      g_assert_true (has_format (prt, "prt"));
      g_assert_true (has_format (ses, "ses"));
      g_assert_cmpuint (strlen (msg), ==, 30);

      g_assert_true (ek_id_parse (msg, FALSE, &prefix, &field));
      g_assert_cmpstr (prefix, ==, "msg");
      g_assert_cmpuint (field & 0xfff, >=, 1);
    }

  g_assert_false (ek_id_parse ("msg_20ffd2b6e001lmj1rbZUiGW", FALSE, NULL, NULL));  /* short */
  g_assert_false (ek_id_parse ("msg_20FFD2B6E001lmj1rbZUiGWmgV", FALSE, NULL, NULL)); /* upper hex */
  g_assert_false (ek_id_parse ("msg_20ffd2b6e001lmj1rbZUiGWmg-", FALSE, NULL, NULL));
  g_assert_false (ek_id_parse ("_20ffd2b6e001lmj1rbZUiGWmgV", FALSE, NULL, NULL));
  g_assert_false (ek_id_parse ("msg20ffd2b6e001lmj1rbZUiGWmgV", FALSE, NULL, NULL));
  g_assert_false (ek_id_parse (NULL, FALSE, NULL, NULL));
  g_assert_true (ek_id_parse ("msg_20ffd2b6e001lmj1rbZUiGWmgV", FALSE, NULL, NULL));
}

/* The field is exactly what the server makes from the same time. */
static void
test_known_values (void)
{
  g_autofree char *msg = ek_id_new_for_time ("msg", FALSE, G_GINT64_CONSTANT (1795564579694), 1);
  g_autofree char *ses = ek_id_new_for_time ("ses", TRUE, G_GINT64_CONSTANT (1795564579568), 1);
  g_autofree char *third = ek_id_new_for_time ("prt", FALSE, G_GINT64_CONSTANT (1795564579694), 3);

  /* from tests/fixtures/tools: msg_20ffd2b6e001…, ses_df002d50fffe… */
  g_assert_cmpint (strncmp (msg, "msg_20ffd2b6e001", 16), ==, 0);
  g_assert_cmpint (strncmp (ses, "ses_df002d50fffe", 16), ==, 0);
  g_assert_cmpint (strncmp (third, "prt_20ffd2b6e003", 16), ==, 0);

  g_assert_cmpint (ek_id_get_timestamp (msg, FALSE, G_GINT64_CONSTANT (1795564579694)),
                   ==, G_GINT64_CONSTANT (1795564579694));
  g_assert_cmpint (ek_id_get_timestamp (ses, TRUE, G_GINT64_CONSTANT (1795564000000)),
                   ==, G_GINT64_CONSTANT (1795564579568));
  g_assert_cmpint (ek_id_get_timestamp ("bad", FALSE, 0), ==, -1);
}

/* The field keeps only the low 48 bits: it wraps every 2^36 ms. */
static void
test_wrap (void)
{
  gint64 wrap = 27 * PERIOD_MS; /* 2028-10-17 */
  g_autofree char *before = ek_id_new_for_time ("msg", FALSE, wrap - 1, 1);
  g_autofree char *after = ek_id_new_for_time ("msg", FALSE, wrap, 1);
  g_autofree char *ses_before = ek_id_new_for_time ("ses", TRUE, wrap - 1, 1);
  g_autofree char *ses_after = ek_id_new_for_time ("ses", TRUE, wrap, 1);

  g_assert_cmpint (strncmp (before, "msg_fffffffff001", 16), ==, 0);
  g_assert_cmpint (strncmp (after, "msg_000000000001", 16), ==, 0);
  g_assert_cmpint (strncmp (ses_after, "ses_fffffffffffe", 16), ==, 0);
  /* across a wrap the order of ids is not the order of time */
  g_assert_cmpint (compare_heads (after, before), <, 0);
  g_assert_cmpint (compare_heads (ses_after, ses_before), >, 0);

  /* a reference time recovers the whole time on both sides */
  g_assert_cmpint (ek_id_get_timestamp (before, FALSE, wrap), ==, wrap - 1);
  g_assert_cmpint (ek_id_get_timestamp (after, FALSE, wrap - 1), ==, wrap);
  g_assert_cmpint (ek_id_get_timestamp (after, FALSE, wrap + 300 * G_GINT64_CONSTANT (86400000)),
                   ==, wrap);
}

static void
test_monotonic (void)
{
  g_autofree char *prev_asc = ek_id_ascending ("msg");
  g_autofree char *prev_desc = ek_id_descending ("ses");
  guint same_ms = 0;

  /* far more than one millisecond's worth, so many share one */
  for (int i = 0; i < 200000; i++)
    {
      char *asc = ek_id_ascending ("msg");
      char *desc = ek_id_descending ("ses");
      guint64 a, b;

      g_assert_cmpint (compare_heads (asc, prev_asc), >, 0);
      g_assert_cmpint (compare_heads (desc, prev_desc), <, 0);

      g_assert_true (ek_id_parse (asc, FALSE, NULL, &a));
      g_assert_true (ek_id_parse (prev_asc, FALSE, NULL, &b));
      if ((a >> 12) == (b >> 12))
        same_ms++;

      g_free (prev_asc);
      g_free (prev_desc);
      prev_asc = asc;
      prev_desc = desc;
    }
  g_test_message ("%u ids shared a millisecond with the one before", same_ms);
  g_assert_cmpuint (same_ms, >, 0);
}

typedef struct
{
  GPtrArray *ids;
} Worker;

static gpointer
make_ids (gpointer data)
{
  Worker *worker = data;

  for (int i = 0; i < 20000; i++)
    g_ptr_array_add (worker->ids, i % 2 ? ek_id_ascending ("prt") : ek_id_ascending ("msg"));
  return NULL;
}

static void
test_threads (void)
{
  Worker workers[4];
  GThread *threads[4];
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int t = 0; t < 4; t++)
    {
      workers[t].ids = g_ptr_array_new_with_free_func (g_free);
      threads[t] = g_thread_new ("ids", make_ids, &workers[t]);
    }
  for (int t = 0; t < 4; t++)
    {
      g_thread_join (threads[t]);
      for (guint i = 0; i < workers[t].ids->len; i++)
        {
          const char *id = g_ptr_array_index (workers[t].ids, i);
          /* the time field alone is unique across kinds and threads */
          char *head = g_strndup (id + 4, 12);

          g_assert_true (g_hash_table_add (seen, head));
          if (i > 0)
            g_assert_cmpint (strcmp (id + 4, (char *) g_ptr_array_index (workers[t].ids, i - 1) + 4),
                             >, 0);
        }
      g_ptr_array_unref (workers[t].ids);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4 * 20000);
}

static JsonNode *
load_fixture (const char *scenario,
              const char *file)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", scenario, file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  return json_node_get_string (node);
}

static gint64
created_of (JsonObject *object)
{
  JsonObject *time = json_object_get_object_member (object, "time");

  return json_object_get_int_member (time, "created");
}

/* The real server's ids follow the scheme, and ids made now sort right
 * against them. */
static void
test_fixtures (void)
{
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *new_msg = ek_id_ascending ("msg");
  g_autofree char *new_prt = ek_id_ascending ("prt");
  g_autofree char *new_ses = ek_id_descending ("ses");
  guint n_messages = 0;

  for (guint s = 0; s < G_N_ELEMENTS (scenarios); s++)
    {
      g_autoptr(JsonNode) messages = load_fixture (scenarios[s], "messages.json");
      g_autoptr(JsonNode) session = load_fixture (scenarios[s], "session.json");
      JsonObject *session_object = json_node_get_object (session);
      const char *session_id = member_string (session_object, "id");
      gint64 session_created = created_of (session_object);
      JsonArray *array = json_node_get_array (messages);
      const char *prev_id = NULL;
      gint64 prev_created = 0;
      gboolean same_period;

      g_assert_true (has_format (session_id, "ses"));
      g_assert_cmpint (llabs (ek_id_get_timestamp (session_id, TRUE, session_created) -
                              session_created), <=, 1000);

      same_period = now / PERIOD_MS == session_created / PERIOD_MS;
      if (same_period)
        g_assert_cmpint (compare_heads (new_ses, session_id), <, 0);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *entry = json_array_get_object_element (array, i);
          JsonObject *info = json_object_get_object_member (entry, "info");
          JsonArray *parts = json_object_get_array_member (entry, "parts");
          const char *id = member_string (info, "id");
          gint64 created = created_of (info);
          const char *prev_part = NULL;

          g_assert_true (has_format (id, "msg"));
          /* the id carries its creation time, to within a few ms */
          g_assert_cmpint (llabs (ek_id_get_timestamp (id, FALSE, created) - created), <=, 1000);
          /* within one period, id order is time order */
          if (prev_id != NULL && prev_created / PERIOD_MS == created / PERIOD_MS)
            g_assert_cmpint (compare_heads (prev_id, id), <, 0);
          if (same_period)
            g_assert_cmpint (compare_heads (new_msg, id), >, 0);

          for (guint j = 0; j < json_array_get_length (parts); j++)
            {
              const char *part_id =
                member_string (json_array_get_object_element (parts, j), "id");

              g_assert_true (has_format (part_id, "prt"));
              if (prev_part != NULL)
                g_assert_cmpint (compare_heads (prev_part, part_id), <, 0);
              if (same_period)
                g_assert_cmpint (compare_heads (new_prt, part_id), >, 0);
              prev_part = part_id;
            }

          prev_id = id;
          prev_created = created;
          n_messages++;
        }

      if (!same_period)
        g_test_message ("%s was recorded before the 48-bit field last wrapped: "
                        "new ids need not sort after it", scenarios[s]);
    }
  g_assert_cmpuint (n_messages, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/id/format", test_format);
  g_test_add_func ("/id/known-values", test_known_values);
  g_test_add_func ("/id/wrap", test_wrap);
  g_test_add_func ("/id/monotonic", test_monotonic);
  g_test_add_func ("/id/threads", test_threads);
  g_test_add_func ("/id/fixtures", test_fixtures);

  return g_test_run ();
}
