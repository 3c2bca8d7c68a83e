/* ekacode-cli.c: the headless client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <malloc.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ek-cli.h"

static const struct
{
  const char *name;
  int (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "run", ek_cli_run, "Send a prompt to a server and follow the turn" },
  { "watch", ek_cli_watch, "Follow a server's event stream" },
  { "sessions", ek_cli_sessions, "List a server's sessions" },
  { "replay", ek_cli_replay, "Fold a recorded event stream into the store" },
};

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
  /* The pipeline allocates on one thread and frees on another, hundreds
   * of thousands of times a second: glibc's default trimming gives the
   * heap's top back to the system and faults the same pages in again. */
  mallopt (M_TRIM_THRESHOLD, 128 * 1024 * 1024);
  mallopt (M_TOP_PAD, 16 * 1024 * 1024);
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);

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
