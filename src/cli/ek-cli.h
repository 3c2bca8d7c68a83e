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

#include "ek-client.h"
#include "ek-session.h"

int ek_cli_replay   (int argc, char **argv);
int ek_cli_run      (int argc, char **argv);
int ek_cli_watch    (int argc, char **argv);
int ek_cli_sessions (int argc, char **argv);

void      ek_cli_busy_monitor_start (void);
double    ek_cli_busy_monitor_max_ms (void);
void      ek_cli_print_stats  (guint64      n_events,
                               double       seconds);
gboolean  ek_cli_write_dump   (EkSession   *session,
                               const char  *path,
                               GError     **error);
EkClient *ek_cli_connect      (const char  *command,
                               const char  *server,
                               const char  *directory,
                               const char  *password_env,
                               int         *exit_code);

G_END_DECLS
