/* main.c: the ekacode application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <malloc.h>

#include <glib/gi18n.h>

#include "ek-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(EkApplication) app = NULL;
  int status;

  /* the event pipeline allocates on its threads and frees on this one at
   * a high rate: keep glibc from trimming and re-faulting the heap */
  mallopt (M_TRIM_THRESHOLD, 128 * 1024 * 1024);
  mallopt (M_TOP_PAD, 16 * 1024 * 1024);
  mallopt (M_MMAP_THRESHOLD, 4 * 1024 * 1024);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ek_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  if (status == 0)
    status = ek_application_get_exit_status (app);
  return status;
}
