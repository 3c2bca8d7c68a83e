/* ek-cli.h: the subcommands of ekacode-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* exit codes shared by every command */
#define EK_CLI_EXIT_OK      0
#define EK_CLI_EXIT_FAILED  1  /* the work ended in an error */
#define EK_CLI_EXIT_USAGE   2  /* bad options, unreadable input, no server */

int ek_cli_replay (int argc, char **argv);

void ek_cli_print_stats (guint64 n_events,
                         double  seconds);

G_END_DECLS
