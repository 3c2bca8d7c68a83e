/* test-ingest.c: tests for the ingest worker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bytes go in on any thread; batches come out on the thread (and main
 * context) that made the EkIngest.  These tests run that context
 * themselves, so nothing depends on how long anything takes.
 */

#include <string.h>

#include "ek-ingest.h"
#include "ek-sse-parser.h"
#include "ek-test-util.h"

/* ------------------------------------------------------------------ */
/* Running an ingest to the end                                       */

typedef struct
{
  GMainContext *context;
  GThread      *owner;
  EkIngest     *ingest;
  EkStore      *store;
  guint         n_batches;
  guint         n_finished;
  guint         n_wrong_context;
  guint64       n_events_in_batches;
  guint         max_batch_len;
  GPtrArray    *errors;         /* GError copies, in order */
} Run;

static gint n_logged;           /* messages logged by the worker */

static void
on_batch (EkIngest  *ingest,
          GPtrArray *batch,
          Run       *run)
{
  if (g_thread_self () != run->owner || !g_main_context_is_owner (run->context))
    run->n_wrong_context++;
  g_assert_cmpuint (batch->len, >, 0);
  g_assert_cmpuint (run->n_finished, ==, 0);

  run->n_batches++;
  run->n_events_in_batches += batch->len;
  run->max_batch_len = MAX (run->max_batch_len, batch->len);
  ek_store_apply_batch (run->store, batch);
}

static void
on_error (EkIngest *ingest,
          GError   *error,
          Run      *run)
{
  if (g_thread_self () != run->owner || !g_main_context_is_owner (run->context))
    run->n_wrong_context++;
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  g_ptr_array_add (run->errors, g_error_copy (error));
}

static void
on_finished (EkIngest *ingest,
             Run      *run)
{
  if (g_thread_self () != run->owner || !g_main_context_is_owner (run->context))
    run->n_wrong_context++;
  run->n_finished++;
}

static void
count_log (const char     *log_domain,
           GLogLevelFlags  log_level,
           const char     *message,
           gpointer        user_data)
{
  g_atomic_int_inc (&n_logged);
}

/* Starts a run: a main context of its own, pushed as the thread
 * default, so batches must come to it and nowhere else. */
static void
run_init (Run *run)
{
  memset (run, 0, sizeof *run);
  run->context = g_main_context_new ();
  run->owner = g_thread_self ();
  g_main_context_push_thread_default (run->context);
  run->ingest = ek_ingest_new ();
  run->store = ek_store_new ();
  run->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_signal_connect (run->ingest, "batch", G_CALLBACK (on_batch), run);
  g_signal_connect (run->ingest, "error", G_CALLBACK (on_error), run);
  g_signal_connect (run->ingest, "finished", G_CALLBACK (on_finished), run);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the owner's context until ::finished, then a little longer to
 * see nothing else arrives. */
static void
run_until_finished (Run *run)
{
  GSource *tick = g_timeout_source_new (50);
  guint extra = 0;

  g_source_set_callback (tick, wake_up, NULL, NULL);
  g_source_attach (tick, run->context);

  while (run->n_finished == 0)
    g_main_context_iteration (run->context, TRUE);

  /* a few more wake-ups: no late batch, no second ::finished */
  while (extra++ < 3)
    g_main_context_iteration (run->context, TRUE);

  g_source_destroy (tick);
  g_source_unref (tick);

  g_assert_cmpuint (run->n_finished, ==, 1);
  g_assert_true (ek_ingest_is_finished (run->ingest));
  g_assert_cmpuint (run->n_wrong_context, ==, 0);
  g_assert_cmpuint (ek_ingest_get_n_batches (run->ingest), ==, run->n_batches);
  g_assert_cmpuint (ek_ingest_get_n_errors (run->ingest), ==, run->errors->len);
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->ingest);
  /* let go of anything still attached for the ingest */
  while (g_main_context_iteration (run->context, FALSE))
    ;
  g_main_context_pop_thread_default (run->context);
  g_main_context_unref (run->context);
  g_clear_object (&run->store);
  g_ptr_array_unref (run->errors);
}

static void
push_in_chunks (EkIngest *ingest,
                GBytes   *stream,
                GRand    *rand,
                gsize     fixed)
{
  gsize len = g_bytes_get_size (stream);
  gsize offset = 0;

  while (offset < len)
    {
      gsize n = fixed > 0 ? fixed : (gsize) g_rand_int_range (rand, 1, 4097);
      g_autoptr(GBytes) chunk = NULL;

      n = MIN (n, len - offset);
      chunk = g_bytes_new_from_bytes (stream, offset, n);
      ek_ingest_push (ingest, chunk);
      offset += n;
    }
}

static void
assert_session_matches (EkStore    *store,
                        const char *fixture)
{
  g_autofree char *session_id = ek_test_fixture_session_id (fixture);
  g_autoptr(JsonNode) expected = ek_test_load_fixture_json (fixture, "messages.json");
  g_autoptr(JsonNode) dump = NULL;
  EkSession *session = ek_store_lookup_session (store, session_id);

  g_assert_nonnull (session);
  dump = ek_session_to_json (session);
  ek_test_assert_json_equal (dump, expected);
}

/* ------------------------------------------------------------------ */
/* Chunking does not matter                                           */

typedef enum
{
  CHUNKS_ONE,
  CHUNKS_ONE_BYTE,
  CHUNKS_RANDOM,
} Chunking;

static JsonNode *
ingest_long (Chunking  chunking,
             guint     interval)
{
  g_autoptr(GBytes) stream = ek_test_load_fixture ("long", "events.sse");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  Run run;
  JsonNode *snapshot;

  run_init (&run);
  ek_ingest_set_interval (run.ingest, interval);
  switch (chunking)
    {
    case CHUNKS_ONE:
      ek_ingest_push (run.ingest, stream);
      break;
    case CHUNKS_ONE_BYTE:
      push_in_chunks (run.ingest, stream, rand, 1);
      break;
    case CHUNKS_RANDOM:
      push_in_chunks (run.ingest, stream, rand, 0);
      break;
    default:
      g_assert_not_reached ();
    }
  ek_ingest_close (run.ingest);
  run_until_finished (&run);

  g_assert_cmpuint (run.errors->len, ==, 0);
  g_assert_cmpuint (ek_ingest_get_n_events (run.ingest), ==, 5177);
  g_assert_cmpuint (run.n_batches, >=, 1);
  g_assert_cmpuint (run.n_events_in_batches, <=, 5177);
  assert_session_matches (run.store, "long");

  snapshot = ek_test_store_snapshot (run.store);
  run_clear (&run);
  return snapshot;
}

static void
test_chunking (void)
{
  g_autoptr(GPtrArray) datas = NULL;
  g_autoptr(GBytes) stream = ek_test_load_fixture ("long", "events.sse");
  g_autoptr(EkStore) raw = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) one = ingest_long (CHUNKS_ONE, EK_INGEST_DEFAULT_INTERVAL_MS);
  g_autoptr(JsonNode) bytes = ingest_long (CHUNKS_ONE_BYTE, EK_INGEST_DEFAULT_INTERVAL_MS);
  g_autoptr(JsonNode) random = ingest_long (CHUNKS_RANDOM, EK_INGEST_DEFAULT_INTERVAL_MS);
  g_autoptr(JsonNode) no_wait = ingest_long (CHUNKS_RANDOM, 0);

  datas = ek_test_split_events (stream);
  raw = ek_test_fold_raw (datas);
  expected = ek_test_store_snapshot (raw);

  ek_test_assert_json_equal (one, expected);
  ek_test_assert_json_equal (bytes, expected);
  ek_test_assert_json_equal (random, expected);
  ek_test_assert_json_equal (no_wait, expected);
}

static void
test_every_fixture (void)
{
  g_auto(GStrv) names = ek_test_list_fixtures ();

  for (guint f = 0; names[f] != NULL; f++)
    {
      g_autoptr(GBytes) stream = ek_test_load_fixture (names[f], "events.sse");
      g_autoptr(GRand) rand = g_rand_new_with_seed (f);
      Run run;

      run_init (&run);
      push_in_chunks (run.ingest, stream, rand, 0);
      ek_ingest_close (run.ingest);
      run_until_finished (&run);
      g_assert_cmpuint (run.errors->len, ==, 0);
      assert_session_matches (run.store, names[f]);
      run_clear (&run);
    }
}

/* ------------------------------------------------------------------ */
/* Threads and contexts                                               */

typedef struct
{
  EkIngest *ingest;
  GBytes   *stream;
} Pusher;

static gpointer
push_from_thread (gpointer data)
{
  Pusher *pusher = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);

  push_in_chunks (pusher->ingest, pusher->stream, rand, 0);
  ek_ingest_close (pusher->ingest);
  return NULL;
}

static void
test_push_from_thread (void)
{
  g_autoptr(GBytes) stream = ek_test_load_fixture ("tools", "events.sse");
  Pusher pusher;
  GThread *thread;
  Run run;

  run_init (&run);
  pusher.ingest = run.ingest;
  pusher.stream = stream;
  thread = g_thread_new ("pusher", push_from_thread, &pusher);

  run_until_finished (&run);
  g_thread_join (thread);

  g_assert_cmpuint (run.errors->len, ==, 0);
  assert_session_matches (run.store, "tools");
  run_clear (&run);
}

static void
test_batches_on_owner_context (void)
{
  g_autoptr(GBytes) stream = ek_test_load_fixture ("explore", "events.sse");
  Run run;

  run_init (&run);
  ek_ingest_push (run.ingest, stream);
  ek_ingest_close (run.ingest);

  /* the thread's global default context never sees the batches: only
   * iterating the owner's context delivers them */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (run.n_batches, ==, 0);

  run_until_finished (&run);
  g_assert_cmpuint (run.n_batches, >=, 1);
  run_clear (&run);
}

static void
test_finished_once (void)
{
  g_autoptr(GBytes) stream = ek_test_load_fixture ("error", "events.sse");
  Run run;

  run_init (&run);
  g_assert_false (ek_ingest_is_finished (run.ingest));
  ek_ingest_push (run.ingest, stream);
  ek_ingest_close (run.ingest);
  run_until_finished (&run);

  /* checked in run_until_finished: exactly once, after the last batch */
  g_assert_cmpuint (run.n_finished, ==, 1);
  run_clear (&run);
}

static void
test_finished_without_data (void)
{
  Run run;

  run_init (&run);
  ek_ingest_close (run.ingest);
  run_until_finished (&run);
  g_assert_cmpuint (run.n_batches, ==, 0);
  g_assert_cmpuint (ek_ingest_get_n_events (run.ingest), ==, 0);
  run_clear (&run);
}

static void
test_reset_drops_partial_event (void)
{
  const char *partial = "data: {\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_lost\"}";
  const char *whole = "data: {\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_kept\"}}}\n\n";
  Run run;

  run_init (&run);
  ek_ingest_push_data (run.ingest, partial, strlen (partial));
  ek_ingest_reset (run.ingest);
  ek_ingest_push_data (run.ingest, whole, strlen (whole));
  ek_ingest_close (run.ingest);
  run_until_finished (&run);

  g_assert_cmpuint (run.errors->len, ==, 0);
  g_assert_nonnull (ek_store_lookup_session (run.store, "ses_kept"));
  g_assert_null (ek_store_lookup_session (run.store, "ses_lost"));
  g_assert_cmpuint (ek_ingest_get_n_events (run.ingest), ==, 1);
  run_clear (&run);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_interval_property (void)
{
  g_autoptr(EkIngest) ingest = ek_ingest_new ();
  guint notified = 0;
  guint value = 0;

  g_assert_cmpuint (ek_ingest_get_interval (ingest), ==, EK_INGEST_DEFAULT_INTERVAL_MS);
  g_signal_connect (ingest, "notify::interval", G_CALLBACK (count_notify), &notified);
  ek_ingest_set_interval (ingest, 100);
  ek_ingest_set_interval (ingest, 100);
  g_object_get (ingest, "interval", &value, NULL);
  g_assert_cmpuint (value, ==, 100);
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (ingest, "interval", 5, NULL);
  g_assert_cmpuint (ek_ingest_get_interval (ingest), ==, 5);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_dispose_mid_stream (void)
{
  g_autoptr(GBytes) stream = ek_test_load_fixture ("long", "events.sse");
  g_autoptr(GMainContext) context = g_main_context_new ();
  GSource *tick = g_timeout_source_new (10);
  EkIngest *ingest;
  gint64 deadline;

  g_main_context_push_thread_default (context);
  g_source_set_callback (tick, wake_up, NULL, NULL);
  g_source_attach (tick, context);

  /* dropped while it works, never closed: the object (and its thread)
   * must still go away once the owner's context has run */
  ingest = ek_ingest_new ();
  g_object_add_weak_pointer (G_OBJECT (ingest), (gpointer *) &ingest);
  push_in_chunks (ingest, stream, NULL, 4096);
  g_object_unref (ingest);

  /* a bound so a leak fails instead of hanging */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (ingest != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_assert_null (ingest);

  g_source_destroy (tick);
  g_source_unref (tick);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
}

/* ------------------------------------------------------------------ */
/* Malformed events                                                   */

static void
append_frame (GByteArray *out,
              const char *data,
              gsize       len)
{
  g_byte_array_append (out, (const guint8 *) "data: ", 6);
  g_byte_array_append (out, (const guint8 *) data, len);
  g_byte_array_append (out, (const guint8 *) "\n\n", 2);
}

static void
append_json (GByteArray *out,
             const char *json)
{
  append_frame (out, json, strlen (json));
}

/* A 10 MB text for one part, with escapes in it, and what it reads as. */
static void
big_part_event (GString *json,
                GString *text)
{
  g_string_append (json,
                   "{\"id\":\"evt_big\",\"type\":\"message.part.updated\",\"properties\":{\"sessionID\":\"ses_big\","
                   "\"part\":{\"id\":\"prt_big\",\"sessionID\":\"ses_big\",\"messageID\":\"msg_big\","
                   "\"type\":\"text\",\"text\":\"");
  for (guint i = 0; text->len < 10 * 1024 * 1024; i++)
    {
      g_string_append_printf (json, "line %u: caf\\u00e9 \\\"quoted\\\" \\\\ tab\\t\\n", i);
      g_string_append_printf (text, "line %u: caf\xc3\xa9 \"quoted\" \\ tab\t\n", i);
    }
  g_string_append (json, "\"},\"time\":1}}");
}

static void
test_malformed_stream (void)
{
  const char *fixture = "explore";
  g_autoptr(GBytes) stream = ek_test_load_fixture (fixture, "events.sse");
  g_autoptr(GPtrArray) datas = ek_test_split_events (stream);
  guint n_moved = 0;
  g_autoptr(GPtrArray) reordered = ek_test_reorder_full_updates (datas, &n_moved);
  g_autoptr(GPtrArray) noisy = ek_test_duplicate_full_updates (reordered);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GString) big_json = g_string_new (NULL);
  g_autoptr(GString) big_text = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  guint expected_errors = 0;
  guint handler;
  Run run;
  EkSession *big_session;
  EkPart *big_part;

  big_part_event (big_json, big_text);
  g_assert_cmpuint (n_moved, >, 0);

  for (guint i = 0; i < noisy->len; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (noisy, i), &len);

      append_frame (bytes, data, len);

      switch (i % 40)
        {
        case 3:
          /* truncated JSON */
          append_json (bytes, "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_");
          expected_errors++;
          break;
        case 8:
          {
            /* binary garbage (no line ends in it, so one event) */
            guint8 garbage[512];

            for (guint k = 0; k < sizeof garbage; k++)
              {
                garbage[k] = (guint8) g_rand_int_range (rand, 0, 256);
                if (garbage[k] == '\n' || garbage[k] == '\r')
                  garbage[k] = 0xff;
              }
            append_frame (bytes, (const char *) garbage, sizeof garbage);
            expected_errors++;
          }
          break;
        case 13:
          /* an event of a type from the future */
          append_json (bytes, "{\"type\":\"hologram.projected\",\"properties\":{\"sessionID\":\"ses_x\",\"n\":[1,2]}}");
          break;
        case 17:
          /* deltas for things that do not exist */
          append_json (bytes, "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_nope\","
                              "\"messageID\":\"msg_nope\",\"partID\":\"prt_nope\",\"field\":\"text\",\"delta\":\"x\"}}");
          append_json (bytes, "{\"type\":\"message.part.delta\",\"properties\":{\"sessionID\":\"ses_x\","
                              "\"messageID\":\"msg_nope\",\"partID\":\"prt_nope\",\"field\":\"text\",\"delta\":\"x\"}}");
          break;
        case 21:
          /* a known type without what it needs */
          append_json (bytes, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"role\":\"user\"}}}");
          expected_errors++;
          break;
        case 25:
          /* an event with no data at all */
          g_byte_array_append (bytes, (const guint8 *) "data:\n\n", 7);
          expected_errors++;
          break;
        case 29:
          /* not an object */
          append_json (bytes, "[\"message.part.delta\"]");
          expected_errors++;
          break;
        case 33:
          /* SSE noise that is not an event */
          append_json (bytes, "{\"type\":\"server.heartbeat\",\"properties\":{}}");
          {
            const char *noise = ": comment\nretry: 100\nid: 7\n\n";

            g_byte_array_append (bytes, (const guint8 *) noise, strlen (noise));
          }
          break;
        default:
          break;
        }

      if (i == noisy->len / 2)
        {
          /* a 10 MB event, that must land whole */
          append_json (bytes, "{\"type\":\"message.updated\",\"properties\":{\"info\":{\"id\":\"msg_big\","
                              "\"sessionID\":\"ses_big\",\"role\":\"assistant\",\"time\":{\"created\":1}}}}");
          append_frame (bytes, big_json->str, big_json->len);
        }
    }
  input = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));

  g_atomic_int_set (&n_logged, 0);
  handler = g_log_set_handler ("ekacode-ingest", G_LOG_LEVEL_MESSAGE, count_log, NULL);

  run_init (&run);
  push_in_chunks (run.ingest, input, rand, 0);
  ek_ingest_close (run.ingest);
  run_until_finished (&run);

  g_log_remove_handler ("ekacode-ingest", handler);

  /* every malformed event was reported, once, with words */
  g_assert_cmpuint (run.errors->len, ==, expected_errors);
  g_assert_cmpuint (ek_ingest_get_n_errors (run.ingest), ==, expected_errors);
  g_assert_cmpint (g_atomic_int_get (&n_logged), ==, (gint) expected_errors);
  for (guint i = 0; i < run.errors->len; i++)
    {
      GError *error = g_ptr_array_index (run.errors, i);

      g_assert_true (error->domain == EK_EVENT_ERROR);
      g_test_message ("error %u: %s", i, error->message);
    }

  /* the rest landed: the recorded session is exactly what the server
   * said, and the 10 MB part is whole */
  assert_session_matches (run.store, fixture);
  big_session = ek_store_lookup_session (run.store, "ses_big");
  g_assert_nonnull (big_session);
  big_part = ek_message_lookup_part (ek_session_lookup_message (big_session, "msg_big"), "prt_big");
  g_assert_nonnull (big_part);
  g_assert_cmpuint (ek_part_get_text_length (big_part), ==, big_text->len);
  g_assert_true (memcmp (ek_part_get_text (big_part), big_text->str, big_text->len) == 0);

  /* what could not land was counted */
  g_assert_cmpuint (ek_store_get_n_skipped (run.store), >=, 2);
  g_assert_null (ek_store_lookup_session (run.store, "ses_nope"));

  run_clear (&run);
}

static void
test_max_event_size (void)
{
  const char *fixture = "explore";
  g_autoptr(GBytes) stream = ek_test_load_fixture (fixture, "events.sse");
  g_autoptr(GPtrArray) datas = ek_test_split_events (stream);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GBytes) input = NULL;
  g_autoptr(GString) large = g_string_new (
    "{\"type\":\"session.created\",\"properties\":{\"info\":{\"id\":\"ses_large\",\"title\":\"");
  gsize max_len = 0;
  guint handler;
  Run run;

  for (guint i = 0; i < datas->len; i++)
    max_len = MAX (max_len, g_bytes_get_size (g_ptr_array_index (datas, i)));
  /* comfortably above every real event, far below the large one */
  max_len += 256;
  while (large->len < max_len * 2)
    g_string_append (large, "0123456789");
  g_string_append (large, "\"}}}");

  for (guint i = 0; i < datas->len; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (datas, i), &len);

      append_frame (bytes, data, len);
      if (i == datas->len / 3)
        append_frame (bytes, large->str, large->len);
    }
  input = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));

  g_atomic_int_set (&n_logged, 0);
  handler = g_log_set_handler ("ekacode-ingest", G_LOG_LEVEL_MESSAGE, count_log, NULL);

  run_init (&run);
  ek_ingest_set_max_event_size (run.ingest, max_len);
  push_in_chunks (run.ingest, input, NULL, 1000);
  ek_ingest_close (run.ingest);
  run_until_finished (&run);

  g_log_remove_handler ("ekacode-ingest", handler);

  g_assert_cmpuint (run.errors->len, ==, 1);
  {
    GError *error = g_ptr_array_index (run.errors, 0);

    g_assert_error (error, EK_SSE_ERROR, EK_SSE_ERROR_TOO_LARGE);
  }
  g_assert_cmpint (g_atomic_int_get (&n_logged), ==, 1);
  g_assert_null (ek_store_lookup_session (run.store, "ses_large"));
  g_assert_cmpuint (ek_ingest_get_n_events (run.ingest), ==, datas->len);
  assert_session_matches (run.store, fixture);
  run_clear (&run);
}

/* Thousands of distinct parts at once: the batch goes out in slices
 * (so no dispatch keeps the owner busy for long), events keep arriving
 * while a slice is out, and every one lands, then ::finished, once. */
static void
test_large_batches_in_slices (void)
{
  for (guint round = 0; round < 5; round++)
    {
      Run run;
      EkSession *session;
      EkMessage *message;
      const guint n_parts = 4000;

      run_init (&run);
      {
        const char *msg = "data: {\"type\":\"message.updated\",\"properties\":{\"sessionID\":\"ses_1\","
                          "\"info\":{\"id\":\"msg_1\",\"sessionID\":\"ses_1\",\"role\":\"assistant\","
                          "\"time\":{\"created\":1}}}}\n\n";
        ek_ingest_push_data (run.ingest, msg, strlen (msg));
      }
      for (guint i = 0; i < n_parts; i++)
        {
          g_autofree char *event = g_strdup_printf (
              "data: {\"type\":\"message.part.updated\",\"properties\":{\"part\":{\"id\":\"prt_%06u\","
              "\"sessionID\":\"ses_1\",\"messageID\":\"msg_1\",\"type\":\"text\",\"text\":\"%u\"}}}\n\n",
              i, i);

          ek_ingest_push_data (run.ingest, event, strlen (event));
          /* let the owner apply slices while more arrive */
          if (i % 97 == 0)
            while (g_main_context_iteration (run.context, FALSE))
              ;
        }
      ek_ingest_close (run.ingest);
      run_until_finished (&run);

      session = ek_store_lookup_session (run.store, "ses_1");
      g_assert_nonnull (session);
      message = ek_session_lookup_message (session, "msg_1");
      g_assert_nonnull (message);
      g_assert_cmpuint (g_list_model_get_n_items (ek_message_get_parts (message)), ==, n_parts);
      g_assert_cmpuint (run.max_batch_len, <=, 500);
      run_clear (&run);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ingest/chunking", test_chunking);
  g_test_add_func ("/ingest/every-fixture", test_every_fixture);
  g_test_add_func ("/ingest/push-from-thread", test_push_from_thread);
  g_test_add_func ("/ingest/owner-context", test_batches_on_owner_context);
  g_test_add_func ("/ingest/finished-once", test_finished_once);
  g_test_add_func ("/ingest/finished-without-data", test_finished_without_data);
  g_test_add_func ("/ingest/reset", test_reset_drops_partial_event);
  g_test_add_func ("/ingest/interval-property", test_interval_property);
  g_test_add_func ("/ingest/dispose-mid-stream", test_dispose_mid_stream);
  g_test_add_func ("/ingest/malformed-stream", test_malformed_stream);
  g_test_add_func ("/ingest/max-event-size", test_max_event_size);
  g_test_add_func ("/ingest/large-batches-in-slices", test_large_batches_in_slices);

  return g_test_run ();
}
