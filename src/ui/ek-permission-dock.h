/* ek-permission-dock.h: pending permission requests, above the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-session.h"
#include "ek-source.h"

G_BEGIN_DECLS

#define EK_TYPE_PERMISSION_DOCK (ek_permission_dock_get_type ())

G_DECLARE_FINAL_TYPE (EkPermissionDock, ek_permission_dock, EK, PERMISSION_DOCK, GtkWidget)

GtkWidget  *ek_permission_dock_new         (void);
void        ek_permission_dock_set_source  (EkPermissionDock *self,
                                            EkSource         *source);
void        ek_permission_dock_set_session (EkPermissionDock *self,
                                            EkSession        *session);
GListModel *ek_permission_dock_get_requests (EkPermissionDock *self);

G_END_DECLS
