/* ek-session-list.h: the sidebar of sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-store.h"

G_BEGIN_DECLS

#define EK_TYPE_SESSION_LIST (ek_session_list_get_type ())

G_DECLARE_FINAL_TYPE (EkSessionList, ek_session_list, EK, SESSION_LIST, GtkWidget)

GtkWidget  *ek_session_list_new                  (void);
EkStore    *ek_session_list_get_store            (EkSessionList *self);
void        ek_session_list_set_store            (EkSessionList *self,
                                                  EkStore       *store);
EkSession  *ek_session_list_get_session          (EkSessionList *self);
void        ek_session_list_set_session          (EkSessionList *self,
                                                  EkSession     *session);
void        ek_session_list_set_preferred_id     (EkSessionList *self,
                                                  const char    *session_id);
GListModel *ek_session_list_get_model            (EkSessionList *self);
GtkListView *ek_session_list_get_list_view       (EkSessionList *self);
void        ek_session_list_refresh_times        (EkSessionList *self);

G_END_DECLS
