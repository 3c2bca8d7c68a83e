/* test-fixtures.c: the recorded streams fold to what the server says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every fixture under fixtures/ holds a real stream (events.sse), the
 * session's messages as `GET /session/{id}/message` returned them after
 * the stream (messages.json), and the session (session.json).  The
 * central property of the core: folding the events one by one, or
 * coalesced in batches of any size, gives the same store, and the
 * recorded session in it is exactly messages.json.
 */

#include <string.h>

#include "ek-coalescer.h"
#include "ek-test-util.h"

typedef struct
{
  char  *name;
  guint  batch_size;  /* for the coalesced tests; 0: all in one */
} FixtureCase;

static void
fixture_case_free (gpointer data)
{
  FixtureCase *c = data;

  g_free (c->name);
  g_free (c);
}

static GPtrArray *
load_events (const char *name)
{
  g_autoptr(GBytes) stream = ek_test_load_fixture (name, "events.sse");

  return ek_test_split_events (stream);
}

/* The recorded session in @store is messages.json and session.json. */
static void
assert_matches_recording (EkStore    *store,
                          const char *name)
{
  g_autofree char *session_id = ek_test_fixture_session_id (name);
  g_autoptr(JsonNode) expected = ek_test_load_fixture_json (name, "messages.json");
  g_autoptr(JsonNode) expected_info = ek_test_load_fixture_json (name, "session.json");
  g_autoptr(JsonNode) dump = NULL;
  g_autoptr(JsonNode) info = NULL;
  EkSession *session = ek_store_lookup_session (store, session_id);

  g_assert_nonnull (session);
  dump = ek_session_to_json (session);
  ek_test_assert_json_equal (dump, expected);

  g_assert_nonnull (ek_session_get_data (session));
  info = json_node_init_object (json_node_alloc (), ek_session_get_data (session));
  ek_test_assert_json_equal (info, expected_info);
}

/* ------------------------------------------------------------------ */

static void
test_raw (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autoptr(GPtrArray) datas = load_events (c->name);
  g_autoptr(EkStore) store = ek_test_fold_raw (datas);
  GListModel *sessions = ek_store_get_sessions (store);

  assert_matches_recording (store, c->name);

  /* a recording joins at the start: nothing in it is out of place */
  g_assert_cmpuint (ek_store_get_n_skipped (store), ==, 0);
  g_assert_cmpuint (ek_store_get_n_applied (store), ==, datas->len);

  /* every recording ends with its sessions settled */
  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);

      g_assert_cmpint (ek_session_get_status (session), ==, EK_SESSION_STATUS_IDLE);
      g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_permissions (session)), ==, 0);
      g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_questions (session)), ==, 0);
    }
}

static void
test_coalesced (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autoptr(GPtrArray) datas = load_events (c->name);
  g_autoptr(EkStore) raw = ek_test_fold_raw (datas);
  g_autoptr(EkStore) coalesced = ek_test_fold_coalesced (datas, c->batch_size);
  /* and as the ingest worker does it: deltas merged as they are scanned */
  g_autoptr(EkStore) scanned = ek_test_fold_coalesced_full (datas, c->batch_size, EK_TEST_FOLD_SCANNED);

  ek_test_assert_stores_equal (raw, coalesced);
  ek_test_assert_stores_equal (raw, scanned);
  assert_matches_recording (coalesced, c->name);
}

static void
test_coalescing_shrinks (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autoptr(GPtrArray) datas = load_events (c->name);
  g_autoptr(EkCoalescer) coalescer = ek_coalescer_new ();
  g_autoptr(GPtrArray) batch = NULL;
  guint n_deltas = 0;

  for (guint i = 0; i < datas->len; i++)
    {
      EkEvent *event = ek_test_decode_bytes (g_ptr_array_index (datas, i));

      if (ek_event_get_kind (event) == EK_EVENT_PART_DELTA)
        n_deltas++;
      ek_coalescer_add (coalescer, event);
    }
  batch = ek_coalescer_take (coalescer);

  /* with every delta of a part superseded or merged, a whole recording
   * in one batch has fewer deltas than it streamed (if it had two) */
  g_assert_cmpuint (batch->len, <=, datas->len);
  if (n_deltas > 1)
    g_assert_cmpuint (batch->len, <, datas->len);
}

static void
test_duplicated (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autoptr(GPtrArray) datas = load_events (c->name);
  g_autoptr(GPtrArray) doubled = ek_test_duplicate_full_updates (datas);
  g_autoptr(EkStore) raw = ek_test_fold_raw (datas);
  g_autoptr(EkStore) raw_doubled = ek_test_fold_raw (doubled);
  g_autoptr(EkStore) coalesced_doubled = ek_test_fold_coalesced (doubled, 7);
  g_autoptr(EkStore) scanned_doubled = ek_test_fold_coalesced_full (doubled, 0, EK_TEST_FOLD_SCANNED);

  g_assert_cmpuint (doubled->len, >, datas->len);
  ek_test_assert_stores_equal (raw, raw_doubled);
  ek_test_assert_stores_equal (raw, coalesced_doubled);
  ek_test_assert_stores_equal (raw, scanned_doubled);
  assert_matches_recording (raw_doubled, c->name);
}

static void
test_reordered (gconstpointer data)
{
  const FixtureCase *c = data;
  g_autoptr(GPtrArray) datas = load_events (c->name);
  guint n_moved = 0;
  g_autoptr(GPtrArray) reordered = ek_test_reorder_full_updates (datas, &n_moved);
  g_autoptr(EkStore) raw = ek_test_fold_raw (datas);
  g_autoptr(EkStore) raw_reordered = ek_test_fold_raw (reordered);
  g_autoptr(EkStore) coalesced_reordered = ek_test_fold_coalesced (reordered, 0);
  g_autoptr(EkStore) scanned_reordered = ek_test_fold_coalesced_full (reordered, 3, EK_TEST_FOLD_SCANNED);

  g_test_message ("%s: %u stale updates moved", c->name, n_moved);
  g_assert_cmpuint (n_moved, >, 0);
  ek_test_assert_stores_equal (raw, raw_reordered);
  ek_test_assert_stores_equal (raw, coalesced_reordered);
  ek_test_assert_stores_equal (raw, scanned_reordered);
  assert_matches_recording (raw_reordered, c->name);
}

/* ------------------------------------------------------------------ */
/* What particular recordings show                                    */

/* Folds events up to the first of @type, and checks @check there. */
static EkStore *
fold_until (GPtrArray   *datas,
            EkEventKind  kind)
{
  EkStore *store = ek_store_new ();

  for (guint i = 0; i < datas->len; i++)
    {
      g_autoptr(EkEvent) event = ek_test_decode_bytes (g_ptr_array_index (datas, i));

      ek_store_apply (store, event);
      if (ek_event_get_kind (event) == kind)
        return store;
    }
  g_error ("No %s event in the recording", ek_event_kind_to_string (kind));
  return store;
}

static void
test_permission_pending (void)
{
  g_autoptr(GPtrArray) datas = load_events ("permission");
  g_autofree char *session_id = ek_test_fixture_session_id ("permission");
  g_autoptr(EkStore) store = fold_until (datas, EK_EVENT_PERMISSION_ASKED);
  GListModel *pending = ek_session_get_permissions (ek_store_lookup_session (store, session_id));
  g_autoptr(EkRequest) request = g_list_model_get_item (pending, 0);

  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
  g_assert_true (g_str_has_prefix (ek_request_get_id (request), "per_"));
  g_assert_cmpstr (ek_request_get_session_id (request), ==, session_id);
}

static void
test_question_pending (void)
{
  g_autoptr(GPtrArray) datas = load_events ("question");
  g_autofree char *session_id = ek_test_fixture_session_id ("question");
  g_autoptr(EkStore) store = fold_until (datas, EK_EVENT_QUESTION_ASKED);
  GListModel *pending = ek_session_get_questions (ek_store_lookup_session (store, session_id));

  g_assert_cmpuint (g_list_model_get_n_items (pending), ==, 1);
}

static void
test_subagent_child (void)
{
  g_autoptr(GPtrArray) datas = load_events ("subagent");
  g_autofree char *session_id = ek_test_fixture_session_id ("subagent");
  g_autoptr(EkStore) store = ek_test_fold_raw (datas);
  GListModel *sessions = ek_store_get_sessions (store);
  EkSession *child = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (sessions), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);

      if (g_strcmp0 (ek_session_get_id (session), session_id) != 0)
        child = session;
    }
  g_assert_nonnull (child);
  g_assert_cmpstr (ek_session_get_parent_id (child), ==, session_id);
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_messages (child)), >, 0);

  /* every message of the child is the child's */
  for (guint i = 0; i < g_list_model_get_n_items (ek_session_get_messages (child)); i++)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (ek_session_get_messages (child), i);

      g_assert_cmpstr (ek_message_get_session_id (message), ==, ek_session_get_id (child));
    }
}

static void
test_abort_error (void)
{
  g_autoptr(GPtrArray) datas = load_events ("abort");
  g_autofree char *session_id = ek_test_fixture_session_id ("abort");
  g_autoptr(EkStore) store = ek_test_fold_raw (datas);
  EkSession *session = ek_store_lookup_session (store, session_id);
  GListModel *messages = ek_session_get_messages (session);
  g_autoptr(EkMessage) last = g_list_model_get_item (messages, g_list_model_get_n_items (messages) - 1);
  JsonObject *error = ek_message_get_error (last);

  g_assert_nonnull (error);
  g_assert_cmpstr (json_object_get_string_member (error, "name"), ==, "MessageAbortedError");
  g_assert_nonnull (ek_session_get_error (session));
}

static FixtureCase *
fixture_case (GPtrArray  *cases,
              const char *name,
              guint       batch_size)
{
  FixtureCase *c = g_new0 (FixtureCase, 1);

  c->name = g_strdup (name);
  c->batch_size = batch_size;
  g_ptr_array_add (cases, c);
  return c;
}

int
main (int   argc,
      char *argv[])
{
  const guint batch_sizes[] = { 1, 2, 7, 64, 1000, 0 };
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (fixture_case_free);
  g_auto(GStrv) names = NULL;

  g_test_init (&argc, &argv, NULL);

  names = ek_test_list_fixtures ();
  g_assert_nonnull (names[0]);

  for (guint f = 0; names[f] != NULL; f++)
    {
      const char *name = names[f];
      g_autofree char *raw = g_strdup_printf ("/fixtures/%s/raw", name);
      g_autofree char *shrinks = g_strdup_printf ("/fixtures/%s/coalescing-shrinks", name);
      g_autofree char *duplicated = g_strdup_printf ("/fixtures/%s/duplicated", name);
      g_autofree char *reordered = g_strdup_printf ("/fixtures/%s/reordered", name);

      g_test_add_data_func (raw, fixture_case (cases, name, 0), test_raw);
      for (guint b = 0; b < G_N_ELEMENTS (batch_sizes); b++)
        {
          g_autofree char *path = NULL;

          if (batch_sizes[b] == 0)
            path = g_strdup_printf ("/fixtures/%s/coalesced/all-in-one", name);
          else
            path = g_strdup_printf ("/fixtures/%s/coalesced/%u", name, batch_sizes[b]);
          g_test_add_data_func (path, fixture_case (cases, name, batch_sizes[b]), test_coalesced);
        }
      g_test_add_data_func (shrinks, fixture_case (cases, name, 0), test_coalescing_shrinks);
      g_test_add_data_func (duplicated, fixture_case (cases, name, 0), test_duplicated);
      g_test_add_data_func (reordered, fixture_case (cases, name, 0), test_reordered);
    }

  g_test_add_func ("/fixtures-detail/permission/pending", test_permission_pending);
  g_test_add_func ("/fixtures-detail/question/pending", test_question_pending);
  g_test_add_func ("/fixtures-detail/subagent/child", test_subagent_child);
  g_test_add_func ("/fixtures-detail/abort/error", test_abort_error);

  return g_test_run ();
}
