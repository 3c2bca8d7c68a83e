/* ekacode-cli.c: the headless client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ek-cli.h"

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "replay", ek_cli_replay, "Fold a recorded event stream into the store" },
};

/**
 * ek_cli_print_stats:
 *
 * Prints the `--stats` line, a contract scripts rely on:
 * `{"events":N,"seconds":S,"events_per_s":R,"max_rss_mb":M}`
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

  if (getrusage (RUSAGE_SELF, &usage) == 0)
    max_rss_mb = usage.ru_maxrss / 1024.0;

  g_print ("{\"events\":%" G_GUINT64_FORMAT ",\"seconds\":%s,\"events_per_s\":%s,\"max_rss_mb\":%s}\n",
           n_events,
           g_ascii_formatd (seconds_buf, sizeof seconds_buf, "%.6f", seconds),
           g_ascii_formatd (rate_buf, sizeof rate_buf, "%.0f", seconds > 0 ? n_events / seconds : 0.0),
           g_ascii_formatd (rss_buf, sizeof rss_buf, "%.1f", max_rss_mb));
}

static void
usage (FILE *out)
{
  fprintf (out, "Usage: ekacode-cli COMMAND [OPTION…]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “ekacode-cli COMMAND --help” for a command's options.\n");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      usage (stderr);
      return EK_CLI_EXIT_USAGE;
    }

  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return EK_CLI_EXIT_OK;
    }

  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("ekacode-cli %s\n", PACKAGE_VERSION);
      return EK_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("ekacode-cli: unknown command “%s”\n", argv[1]);
  usage (stderr);
  return EK_CLI_EXIT_USAGE;
}
