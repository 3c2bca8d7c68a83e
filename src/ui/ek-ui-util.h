/* ek-ui-util.h: small helpers the views share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "ek-session.h"

G_BEGIN_DECLS

char       *ek_format_relative_time      (gint64       time_ms,
                                          GDateTime   *now);
char       *ek_describe_error            (JsonObject  *error);
gboolean    ek_error_is_abort            (JsonObject  *error);
const char *ek_session_display_title     (EkSession   *session);
gboolean    ek_widget_save_png           (GtkWidget   *widget,
                                          const char  *path,
                                          GError     **error);
void        ek_widget_set_tooltip        (GtkWidget   *widget,
                                          const char  *text);
const char *ek_widget_get_tooltip        (GtkWidget   *widget);

G_END_DECLS
