/* ek-ui-test-util.c: waiting on the main loop, for the window's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ek-ui-test-util.h"

/**
 * ek_ui_test_set_flag:
 * @data: a gboolean
 *
 * A #GSourceFunc that sets the flag once.
 */
gboolean
ek_ui_test_set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * ek_ui_test_flag_is_set:
 * @data: a gboolean
 *
 * An #EkUiTestCondition: is the flag set?
 */
gboolean
ek_ui_test_flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/**
 * ek_ui_test_wait_until:
 * @what: what is waited for, for the failure message
 *
 * Runs the main loop until @condition holds; fails the test after
 * @seconds.
 */
void
ek_ui_test_wait_until (EkUiTestCondition  condition,
                       gpointer           data,
                       guint              seconds,
                       const char        *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, ek_ui_test_set_flag, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out after %u s waiting for %s", seconds, what);
  g_source_remove (id);
}

/**
 * ek_ui_test_spin:
 *
 * Runs the main loop for @ms milliseconds.
 */
void
ek_ui_test_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, ek_ui_test_set_flag, &done);
  ek_ui_test_wait_until (ek_ui_test_flag_is_set, &done, ms / 1000 + 10, "a delay");
}
