/* fuzz-event-stream.c: libFuzzer target for the event pipeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a text/event-stream.  It is fed to the SSE parser in a few
 * chunks (where it is cut is chosen from its first bytes), every event is
 * decoded, and the decoded events are folded into two stores: one event
 * at a time, and through the coalescer in batches (one batch per chunk),
 * fed as the ingest worker feeds it.
 * Both stores are then read back whole.
 *
 * With EK_FUZZ_DIFFERENTIAL=1 in the environment, the two stores must
 * also be equal (the coalescer's promise), or the input is a crash.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ek-coalescer.h"
#include "ek-event.h"
#include "ek-sse-parser.h"
#include "ek-store.h"
#include "ek-test-util.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define MAX_CUTS 4

static gboolean differential;

typedef struct
{
  EkStore     *raw;
  EkStore     *coalesced;
  EkCoalescer *coalescer;
  gboolean     scanned;
} Fold;

static void
touch_event (EkEvent *event)
{
  gsize len = 0;
  const char *delta = ek_event_get_delta (event, &len);

  g_assert (ek_event_get_kind (event) < EK_EVENT_N_KINDS);
  g_assert (ek_event_get_type_name (event) != NULL);
  (void) ek_event_kind_to_string (ek_event_get_kind (event));
  (void) ek_event_get_id (event);
  (void) ek_event_get_directory (event);
  (void) ek_event_get_field (event);
  (void) ek_event_get_properties (event);

  if (ek_event_get_kind (event) == EK_EVENT_PART_DELTA)
    {
      g_assert (delta != NULL);
      g_assert (delta[len] == '\0');
      g_assert (ek_event_get_session_id (event) != NULL);
      g_assert (ek_event_get_message_id (event) != NULL);
      g_assert (ek_event_get_part_id (event) != NULL);
      g_assert (ek_event_get_field (event) != NULL);
    }
}

static void
on_event (const char *event_type,
          const char *data,
          gsize       data_len,
          const char *last_event_id,
          gpointer    user_data)
{
  Fold *fold = user_data;
  GError *error = NULL;
  EkEvent *event;
  EkEvent *again;

  event = ek_event_decode (data, data_len, &error);
  if (event == NULL)
    {
      /* every failure says what was wrong */
      g_assert (error != NULL);
      g_assert (error->domain == EK_EVENT_ERROR);
      g_assert (error->message != NULL && error->message[0] != '\0');
      g_error_free (error);
      return;
    }
  g_assert (error == NULL);
  touch_event (event);
  ek_store_apply (fold->raw, event);
  ek_event_unref (event);

  /* for the coalescer, as the ingest worker does it (deltas scanned in
   * place and merged into the batch), or decoded again; either way it
   * must take what the decoder took */
  if (fold->scanned)
    g_assert (ek_test_coalesce_scanned (fold->coalescer, data, data_len, NULL));
  else
    {
      again = ek_event_decode (data, data_len, NULL);
      g_assert (again != NULL);
      ek_coalescer_add (fold->coalescer, again);
    }
}

static void
on_error (const GError *error,
          gpointer      user_data)
{
  g_assert (error != NULL);
  g_assert (error->domain == EK_SSE_ERROR);
}

static void
flush (Fold *fold)
{
  GPtrArray *batch = ek_coalescer_take (fold->coalescer);

  g_assert (ek_coalescer_get_n_pending (fold->coalescer) == 0);
  for (guint i = 0; i < batch->len; i++)
    g_assert (g_ptr_array_index (batch, i) != NULL);
  ek_store_apply_batch (fold->coalesced, batch);
  g_ptr_array_unref (batch);
}

/* Reads everything a view would read. */
static void
read_back (EkStore *store)
{
  GListModel *sessions = ek_store_get_sessions (store);

  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);
      GListModel *messages = ek_session_get_messages (session);
      g_autoptr(JsonNode) dump = ek_session_to_json (session);
      g_autofree char *text = ek_test_json_to_string (dump, FALSE);

      g_assert (text != NULL);
      g_assert (ek_store_lookup_session (store, ek_session_get_id (session)) == session);
      (void) ek_session_get_title (session);
      (void) ek_session_get_time_updated (session);
      (void) ek_session_get_status (session);

      for (guint m = 0; m < g_list_model_get_n_items (messages); m++)
        {
          g_autoptr(EkMessage) message = g_list_model_get_item (messages, m);
          GListModel *parts = ek_message_get_parts (message);

          g_assert (ek_session_lookup_message (session, ek_message_get_id (message)) == message);
          (void) ek_message_get_role (message);
          (void) ek_message_get_error (message);
          for (guint p = 0; p < g_list_model_get_n_items (parts); p++)
            {
              g_autoptr(EkPart) part = g_list_model_get_item (parts, p);
              const char *part_text = ek_part_get_text (part);

              g_assert (ek_message_lookup_part (message, ek_part_get_id (part)) == part);
              g_assert (strlen (part_text) <= ek_part_get_text_length (part));
              (void) ek_part_get_tool_status (part);
            }
        }
    }

  {
    g_autoptr(JsonNode) snapshot = ek_test_store_snapshot (store);

    g_assert (snapshot != NULL);
  }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  const char *mode = g_getenv ("EK_FUZZ_DIFFERENTIAL");

  differential = mode != NULL && strcmp (mode, "1") == 0;
  /* a critical or a warning is a bug */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Fold fold;
  EkSseParser *parser;
  gsize cuts[MAX_CUTS + 2];
  guint n_cuts = 0;

  fold.raw = ek_store_new ();
  fold.coalesced = ek_store_new ();
  fold.coalescer = ek_coalescer_new ();
  parser = ek_sse_parser_new (on_event, on_error, &fold);

  /* the first bytes choose a size limit, how the coalescer is fed and
   * where the chunks end */
  fold.scanned = size == 0 || (data[0] & 0x80) == 0;
  if (size > 0)
    ek_sse_parser_set_max_event_size (parser, (gsize) 1 << (6 + data[0] % 16));
  cuts[n_cuts++] = 0;
  for (guint i = 1; i <= MAX_CUTS && i < size; i++)
    cuts[n_cuts++] = (gsize) data[i] * size / 256;
  cuts[n_cuts++] = size;
  for (guint i = 1; i < n_cuts; i++)
    for (guint j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
      {
        gsize tmp = cuts[j];

        cuts[j] = cuts[j - 1];
        cuts[j - 1] = tmp;
      }

  for (guint i = 1; i < n_cuts; i++)
    {
      ek_sse_parser_feed (parser, (const char *) data + cuts[i - 1], cuts[i] - cuts[i - 1]);
      flush (&fold);
    }
  ek_sse_parser_finish (parser);
  flush (&fold);

  read_back (fold.raw);
  read_back (fold.coalesced);

  if (differential)
    {
      g_autofree char *where = NULL;

      if (!ek_test_stores_equal (fold.raw, fold.coalesced, &where))
        g_error ("Raw and coalesced folding differ: %s", where);
    }

  ek_sse_parser_free (parser);
  ek_coalescer_free (fold.coalescer);
  g_object_unref (fold.raw);
  g_object_unref (fold.coalesced);
  return 0;
}
