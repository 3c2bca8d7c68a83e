/* ek-ui-test-util.h: waiting on the main loop, for the window's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*EkUiTestCondition) (gpointer data);

void ek_ui_test_wait_until (EkUiTestCondition  condition,
                            gpointer           data,
                            guint              seconds,
                            const char        *what);
void ek_ui_test_spin       (guint              ms);

gboolean ek_ui_test_set_flag    (gpointer data);
gboolean ek_ui_test_flag_is_set (gpointer data);

G_END_DECLS
