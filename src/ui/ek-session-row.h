/* ek-session-row.h: one session in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-session.h"

G_BEGIN_DECLS

#define EK_TYPE_SESSION_ROW (ek_session_row_get_type ())

G_DECLARE_FINAL_TYPE (EkSessionRow, ek_session_row, EK, SESSION_ROW, GtkWidget)

GtkWidget  *ek_session_row_new          (void);
EkSession  *ek_session_row_get_session  (EkSessionRow *self);
void        ek_session_row_set_session  (EkSessionRow *self,
                                         EkSession    *session);
void        ek_session_row_refresh_time (EkSessionRow *self,
                                         GDateTime    *now);
const char *ek_session_row_get_title    (EkSessionRow *self);
const char *ek_session_row_get_time_text (EkSessionRow *self);
gboolean    ek_session_row_get_busy     (EkSessionRow *self);

G_END_DECLS
