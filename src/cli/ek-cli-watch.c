/* ek-cli-watch.c: `ekacode-cli watch` and `ekacode-cli sessions`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "ek-cli.h"
#include "ek-connection.h"

typedef struct
{
  EkConnection *connection;
  GMainLoop    *loop;
  guint64       count;
  gboolean      quiet;
  const char   *session_id;
  int           exit_code;
} Watch;

static void
on_batch (EkEventStream *stream,
          GPtrArray     *batch,
          Watch         *watch)
{
  if (!watch->quiet)
    for (guint i = 0; i < batch->len; i++)
      {
        EkEvent *event = g_ptr_array_index (batch, i);
        const char *session_id = ek_event_get_session_id (event);

        if (watch->session_id != NULL && g_strcmp0 (session_id, watch->session_id) != 0)
          continue;
        g_print ("%s%s%s%s%s\n", ek_event_get_type_name (event),
                 session_id ? " " : "", session_id ? session_id : "",
                 ek_event_get_part_id (event) ? " " : "",
                 ek_event_get_part_id (event) ? ek_event_get_part_id (event) : "");
      }

  if (watch->count > 0 && ek_event_stream_get_n_events (stream) >= watch->count)
    g_main_loop_quit (watch->loop);
}

static void
on_stream_state (EkEventStream *stream,
                 GParamSpec    *pspec,
                 Watch         *watch)
{
  EkStreamState state = ek_event_stream_get_state (stream);

  if (state == EK_STREAM_STATE_UNAUTHORIZED || state == EK_STREAM_STATE_FAILED)
    {
      g_printerr ("ekacode-cli watch: %s\n", ek_event_stream_get_last_error (stream));
      watch->exit_code = EK_CLI_EXIT_USAGE;
      g_main_loop_quit (watch->loop);
    }
}

static gboolean
on_interrupt (gpointer user_data)
{
  Watch *watch = user_data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_CONTINUE;
}

int
ek_cli_watch (int    argc,
              char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *password_env = NULL;
  g_autofree char *dump_path = NULL;
  gint64 count = 0;
  gboolean stats = FALSE;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server, http://HOST:PORT"), N_("URL") },
    { "directory", 0, 0, G_OPTION_ARG_FILENAME, &directory, N_("The project directory on the server (default: this one)"), N_("DIR") },
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_id, N_("Only this session's events; its history is fetched too"), N_("ID") },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env, N_("Read the server's password from this environment variable"), N_("VAR") },
    { "count", 0, 0, G_OPTION_ARG_INT64, &count, N_("Stop after N events"), N_("N") },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &stats, N_("Print one JSON line of figures at the end (and no events)"), NULL },
    { "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump_path, N_("At the end, write the session's messages as JSON"), N_("OUT.json") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("— follow a server's event stream"));
  g_autoptr(GError) error = NULL;
  g_autoptr(EkClient) client = NULL;
  g_autoptr(EkStore) store = NULL;
  g_autoptr(EkConnection) connection = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  EkEventStream *stream;
  Watch watch = { NULL, };
  gint64 start;
  guint sigint;
  int exit_code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ekacode-cli watch: %s\n", error->message);
      return EK_CLI_EXIT_USAGE;
    }
  if (count < 0)
    {
      g_printerr ("ekacode-cli watch: --count takes a positive number\n");
      return EK_CLI_EXIT_USAGE;
    }
  if (dump_path != NULL && session_id == NULL)
    {
      g_printerr ("ekacode-cli watch: --dump needs --session ID\n");
      return EK_CLI_EXIT_USAGE;
    }

  client = ek_cli_connect ("watch", server, directory, password_env, &exit_code);
  if (client == NULL)
    return exit_code;

  loop = g_main_loop_new (NULL, FALSE);
  store = ek_store_new ();
  connection = ek_connection_new (client, store);
  stream = ek_connection_get_stream (connection);
  watch.connection = connection;
  watch.loop = loop;
  watch.count = count;
  watch.quiet = stats;
  watch.session_id = session_id;

  g_signal_connect_after (stream, "batch", G_CALLBACK (on_batch), &watch);
  g_signal_connect (stream, "notify::state", G_CALLBACK (on_stream_state), &watch);
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &watch);
  if (session_id != NULL)
    ek_connection_open_session (connection, session_id);

  ek_cli_busy_monitor_start ();
  start = g_get_monotonic_time ();
  ek_connection_start (connection);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_signal_handlers_disconnect_by_data (stream, &watch);

  if (stats)
    ek_cli_print_stats (ek_event_stream_get_n_events (stream),
                        (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  if (dump_path != NULL)
    {
      EkSession *session = ek_store_lookup_session (store, session_id);

      if (session == NULL)
        {
          g_printerr ("ekacode-cli watch: no session %s on the server\n", session_id);
          return EK_CLI_EXIT_FAILED;
        }
      if (!ek_cli_write_dump (session, dump_path, &error))
        {
          g_printerr ("ekacode-cli watch: cannot write %s: %s\n", dump_path, error->message);
          return EK_CLI_EXIT_FAILED;
        }
    }

  ek_connection_stop (connection);
  return watch.exit_code;
}

/* ---- sessions ---- */

typedef struct
{
  GMainLoop  *loop;
  JsonArray  *sessions;
  JsonObject *statuses;
  GError     *error;
  guint       pending;
} Listing;

static void
on_sessions (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Listing *listing = user_data;

  listing->sessions = ek_client_list_sessions_finish (EK_CLIENT (source), result,
                                                      listing->error ? NULL : &listing->error);
  if (--listing->pending == 0)
    g_main_loop_quit (listing->loop);
}

static void
on_statuses (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Listing *listing = user_data;

  listing->statuses = ek_client_get_statuses_finish (EK_CLIENT (source), result,
                                                     listing->error ? NULL : &listing->error);
  if (--listing->pending == 0)
    g_main_loop_quit (listing->loop);
}

int
ek_cli_sessions (int    argc,
                 char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *password_env = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server, http://HOST:PORT"), N_("URL") },
    { "directory", 0, 0, G_OPTION_ARG_FILENAME, &directory, N_("The project directory on the server (default: this one)"), N_("DIR") },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env, N_("Read the server's password from this environment variable"), N_("VAR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("— list the server's sessions"));
  g_autoptr(GError) error = NULL;
  g_autoptr(EkClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Listing listing = { NULL, };
  int exit_code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ekacode-cli sessions: %s\n", error->message);
      return EK_CLI_EXIT_USAGE;
    }

  client = ek_cli_connect ("sessions", server, directory, password_env, &exit_code);
  if (client == NULL)
    return exit_code;

  loop = g_main_loop_new (NULL, FALSE);
  listing.loop = loop;
  listing.pending = 2;
  ek_client_list_sessions_async (client, FALSE, 0, NULL, NULL, on_sessions, &listing);
  ek_client_get_statuses_async (client, NULL, on_statuses, &listing);
  g_main_loop_run (loop);

  if (listing.error != NULL)
    {
      g_printerr ("ekacode-cli sessions: %s\n", listing.error->message);
      g_clear_error (&listing.error);
      g_clear_pointer (&listing.sessions, json_array_unref);
      g_clear_pointer (&listing.statuses, json_object_unref);
      return EK_CLI_EXIT_FAILED;
    }

  for (guint i = 0; i < json_array_get_length (listing.sessions); i++)
    {
      JsonNode *node = json_array_get_element (listing.sessions, i);
      JsonObject *info = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *time = info && json_object_has_member (info, "time") &&
                         JSON_NODE_HOLDS_OBJECT (json_object_get_member (info, "time"))
                         ? json_object_get_object_member (info, "time") : NULL;
      const char *id = info && json_object_has_member (info, "id") ? json_object_get_string_member (info, "id") : NULL;
      const char *title = info && json_object_has_member (info, "title") ? json_object_get_string_member (info, "title") : "";
      gint64 updated = time && json_object_has_member (time, "updated") ? json_object_get_int_member (time, "updated") : 0;
      JsonNode *status_node = id && listing.statuses ? json_object_get_member (listing.statuses, id) : NULL;
      const char *status = "idle";
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (updated / 1000);
      g_autofree char *when_text = when ? g_date_time_format (when, "%Y-%m-%d %H:%M") : g_strdup ("-");

      if (id == NULL)
        continue;
      if (status_node != NULL && JSON_NODE_HOLDS_OBJECT (status_node) &&
          json_object_has_member (json_node_get_object (status_node), "type"))
        status = json_object_get_string_member (json_node_get_object (status_node), "type");

      g_print ("%s\t%s\t%s\t%s\n", id, title ? title : "", when_text, status);
    }

  g_clear_pointer (&listing.sessions, json_array_unref);
  g_clear_pointer (&listing.statuses, json_object_unref);
  return EK_CLI_EXIT_OK;
}
