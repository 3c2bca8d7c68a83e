/* ek-store.h: the client's normalized copy of the server's state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ek-event.h"
#include "ek-session.h"

G_BEGIN_DECLS

#define EK_TYPE_STORE (ek_store_get_type ())

G_DECLARE_FINAL_TYPE (EkStore, ek_store, EK, STORE, GObject)

EkStore    *ek_store_new             (void);
GListModel *ek_store_get_sessions    (EkStore   *self);
EkSession  *ek_store_lookup_session  (EkStore   *self,
                                      const char *session_id);
void        ek_store_apply           (EkStore   *self,
                                      EkEvent   *event);
void        ek_store_apply_batch     (EkStore   *self,
                                      GPtrArray *events);
guint64     ek_store_get_n_applied   (EkStore   *self);
guint64     ek_store_get_n_skipped   (EkStore   *self);

G_END_DECLS
