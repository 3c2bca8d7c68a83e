/* ek-cli-replay.c: `ekacode-cli replay FILE.sse`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Folds a recorded stream through the same path the live client uses:
 * SSE parser → event decoder → coalescer (on the ingest worker) → store
 * (on this thread).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ek-cli.h"
#include "ek-ingest.h"
#include "ek-store.h"

#define CHUNK_SIZE (64 * 1024)

typedef struct
{
  EkStore   *store;
  GMainLoop *loop;
} Replay;

static void
on_batch (EkIngest  *ingest,
          GPtrArray *batch,
          Replay    *replay)
{
  ek_store_apply_batch (replay->store, batch);
}

static void
on_finished (EkIngest *ingest,
             Replay   *replay)
{
  g_main_loop_quit (replay->loop);
}

/* Without --session: the oldest top-level session that has messages (a
 * recording of one prompt has its session first, children after). */
static EkSession *
pick_session (EkStore *store)
{
  GListModel *sessions = ek_store_get_sessions (store);
  guint n = g_list_model_get_n_items (sessions);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i - 1);

      if (ek_session_get_parent_id (session) == NULL &&
          g_list_model_get_n_items (ek_session_get_messages (session)) > 0)
        return session;
    }
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i - 1);

      if (g_list_model_get_n_items (ek_session_get_messages (session)) > 0)
        return session;
    }
  return NULL;
}

int
ek_cli_replay (int    argc,
               char **argv)
{
  g_autofree char *session_id = NULL;
  g_autofree char *dump_path = NULL;
  gboolean stats = FALSE;
  g_auto(GStrv) files = NULL;
  const GOptionEntry entries[] = {
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_id, N_("Session to dump (default: the recorded one)"), N_("ID") },
    { "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump_path, N_("Write the session's messages as JSON (“-” for stdout)"), N_("OUT.json") },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats, N_("Print one JSON line of figures"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE.sse") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("FILE.sse — fold a recorded event stream"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(EkIngest) ingest = NULL;
  g_autoptr(EkStore) store = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Replay replay;
  gsize size;
  gint64 start;
  double seconds;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ekacode-cli replay: %s\n", error->message);
      return EK_CLI_EXIT_USAGE;
    }
  if (files == NULL || g_strv_length (files) != 1)
    {
      g_printerr ("ekacode-cli replay: give exactly one recorded stream (FILE.sse)\n");
      return EK_CLI_EXIT_USAGE;
    }

  mapped = g_mapped_file_new (files[0], FALSE, &error);
  if (mapped == NULL)
    {
      g_printerr ("ekacode-cli replay: cannot read %s: %s\n", files[0], error->message);
      return EK_CLI_EXIT_USAGE;
    }
  contents = g_mapped_file_get_bytes (mapped);
  size = g_bytes_get_size (contents);

  store = ek_store_new ();
  ingest = ek_ingest_new ();
  loop = g_main_loop_new (NULL, FALSE);
  replay.store = store;
  replay.loop = loop;
  g_signal_connect (ingest, "batch", G_CALLBACK (on_batch), &replay);
  g_signal_connect (ingest, "finished", G_CALLBACK (on_finished), &replay);

  ek_cli_busy_monitor_start ();
  start = g_get_monotonic_time ();
  for (gsize offset = 0; offset < size; offset += CHUNK_SIZE)
    {
      g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (contents, offset, MIN (CHUNK_SIZE, size - offset));
      ek_ingest_push (ingest, chunk);
    }
  ek_ingest_close (ingest);
  g_main_loop_run (loop);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (ek_ingest_get_n_errors (ingest) > 0)
    g_printerr ("ekacode-cli replay: %" G_GUINT64_FORMAT " malformed event(s) skipped\n",
                ek_ingest_get_n_errors (ingest));

  if (dump_path != NULL)
    {
      EkSession *session = session_id ? ek_store_lookup_session (store, session_id) : pick_session (store);

      if (session == NULL)
        {
          if (session_id != NULL)
            g_printerr ("ekacode-cli replay: no session %s in %s\n", session_id, files[0]);
          else
            g_printerr ("ekacode-cli replay: no session with messages in %s\n", files[0]);
          return EK_CLI_EXIT_FAILED;
        }
      if (!ek_cli_write_dump (session, dump_path, &error))
        {
          g_printerr ("ekacode-cli replay: cannot write %s: %s\n", dump_path, error->message);
          return EK_CLI_EXIT_USAGE;
        }
    }

  if (stats)
    ek_cli_print_stats (ek_ingest_get_n_events (ingest), seconds);
  else if (dump_path == NULL)
    g_print ("%" G_GUINT64_FORMAT " events, %u sessions\n",
             ek_ingest_get_n_events (ingest),
             g_list_model_get_n_items (ek_store_get_sessions (store)));

  return EK_CLI_EXIT_OK;
}
