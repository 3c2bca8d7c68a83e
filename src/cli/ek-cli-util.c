/* ek-cli-util.c: what the commands of ekacode-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/resource.h>
#include <time.h>

#include <json-glib/json-glib.h>

#include "ek-cli.h"

/* The longest stretch the main thread (the one that owns the store) spent
 * working between two polls: how long a window would have been frozen.
 * Counted in the thread's CPU time, so that time the scheduler gave the
 * worker threads (two cores, three threads) is not taken for work. */
static GPollFunc real_poll;
static gint64 poll_returned;
static gint64 max_busy_us;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gint
monitored_poll (GPollFD *fds,
                guint    n_fds,
                gint     timeout)
{
  gint64 now = thread_cpu_us ();
  gint result;

  if (poll_returned != 0)
    max_busy_us = MAX (max_busy_us, now - poll_returned);
  result = real_poll (fds, n_fds, timeout);
  poll_returned = thread_cpu_us ();
  return result;
}

void
ek_cli_busy_monitor_start (void)
{
  GMainContext *context = g_main_context_default ();

  if (real_poll != NULL)
    return;
  real_poll = g_main_context_get_poll_func (context);
  g_main_context_set_poll_func (context, monitored_poll);
}

double
ek_cli_busy_monitor_max_ms (void)
{
  return max_busy_us / 1000.0;
}

/**
 * ek_cli_print_stats:
 *
 * Prints the `--stats` line, a contract scripts rely on:
 * `{"events":N,"seconds":S,"events_per_s":R,"max_rss_mb":M}`, plus
 * `max_busy_ms`, the longest stretch the main thread was busy (when the
 * busy monitor runs).
 */
void
ek_cli_print_stats (guint64 n_events,
                    double  seconds)
{
  struct rusage usage;
  double max_rss_mb = 0;
  char seconds_buf[G_ASCII_DTOSTR_BUF_SIZE];
  char rate_buf[G_ASCII_DTOSTR_BUF_SIZE];
  char rss_buf[G_ASCII_DTOSTR_BUF_SIZE];
  char busy_buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    max_rss_mb = usage.ru_maxrss / 1024.0;

  g_print ("{\"events\":%" G_GUINT64_FORMAT ",\"seconds\":%s,\"events_per_s\":%s,\"max_rss_mb\":%s,\"max_busy_ms\":%s}\n",
           n_events,
           g_ascii_formatd (seconds_buf, sizeof seconds_buf, "%.6f", seconds),
           g_ascii_formatd (rate_buf, sizeof rate_buf, "%.0f", seconds > 0 ? n_events / seconds : 0.0),
           g_ascii_formatd (rss_buf, sizeof rss_buf, "%.1f", max_rss_mb),
           g_ascii_formatd (busy_buf, sizeof busy_buf, "%.1f", ek_cli_busy_monitor_max_ms ()));
}

/**
 * ek_cli_write_dump:
 * @path: a file, or "-" for stdout
 *
 * Writes the session's messages as `GET /session/{id}/message` gives them.
 */
gboolean
ek_cli_write_dump (EkSession   *session,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = ek_session_to_json (session);
  g_autofree char *text = NULL;
  gsize len;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  if (g_strcmp0 (path, "-") == 0)
    {
      fwrite (text, 1, len, stdout);
      fputc ('\n', stdout);
      fflush (stdout);
      return TRUE;
    }
  return g_file_set_contents (path, text, len, error);
}

typedef struct
{
  GMainLoop  *loop;
  JsonObject *health;
  GError     *error;
} Health;

static void
on_health (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Health *health = user_data;

  health->health = ek_client_health_finish (EK_CLIENT (source), result, &health->error);
  g_main_loop_quit (health->loop);
}

/**
 * ek_cli_connect:
 * @exit_code: (out): %EK_CLI_EXIT_USAGE when it fails
 *
 * Makes a client for the server and checks that it answers and accepts
 * the credentials, saying what is wrong in words when not.
 *
 * Returns: (transfer full) (nullable): the client
 */
EkClient *
ek_cli_connect (const char *command,
                const char *server,
                const char *directory,
                const char *password_env,
                int        *exit_code)
{
  g_autoptr(EkClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *cwd = NULL;
  Health health = { NULL, };

  *exit_code = EK_CLI_EXIT_USAGE;

  if (server == NULL)
    {
      g_printerr ("ekacode-cli %s: --server URL is required\n", command);
      return NULL;
    }
  if (directory == NULL)
    directory = cwd = g_get_current_dir ();

  client = ek_client_new (server, directory);
  if (client == NULL)
    {
      g_printerr ("ekacode-cli %s: “%s” is not a server address (http://HOST:PORT)\n", command, server);
      return NULL;
    }
  if (password_env != NULL && !ek_client_set_password_from_env (client, password_env, &error))
    {
      g_printerr ("ekacode-cli %s: %s\n", command, error->message);
      return NULL;
    }

  loop = g_main_loop_new (NULL, FALSE);
  health.loop = loop;
  ek_client_health_async (client, NULL, on_health, &health);
  g_main_loop_run (loop);

  if (health.health == NULL)
    {
      if (g_error_matches (health.error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_UNAUTHORIZED))
        g_printerr ("ekacode-cli %s: %s%s\n", command, health.error->message,
                    ek_client_has_password (client) ? "" : " (give one with --password-env VAR)");
      else if (g_error_matches (health.error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_UNREACHABLE))
        g_printerr ("ekacode-cli %s: cannot reach %s: %s\n", command, server, health.error->message);
      else
        g_printerr ("ekacode-cli %s: %s does not answer like an opencode server: %s\n",
                    command, server, health.error->message);
      g_clear_error (&health.error);
      return NULL;
    }

  json_object_unref (health.health);
  *exit_code = EK_CLI_EXIT_OK;
  return g_steal_pointer (&client);
}
