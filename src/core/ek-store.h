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

/* Merging what a refetch brought with what live events did meanwhile:
 * take a mark before the request, pass it with the answer.  Whatever a
 * live event changed after the mark wins over the fetched data; whatever
 * it removed stays removed. */
guint64     ek_store_get_mark        (EkStore    *self);
void        ek_store_sync_sessions   (EkStore    *self,
                                      JsonArray  *sessions,
                                      guint64     mark,
                                      gboolean    complete);
void        ek_store_sync_statuses   (EkStore    *self,
                                      JsonObject *statuses,
                                      guint64     mark);
void        ek_store_sync_requests   (EkStore    *self,
                                      EkRequestKind kind,
                                      JsonArray  *requests,
                                      guint64     mark);
/* what a fetched history covers: messages of the store missing from it
 * are removed only within that range */
typedef enum
{
  EK_SYNC_WHOLE,   /* the whole history */
  EK_SYNC_NEWEST,  /* a page of the newest: everything from its oldest on */
  EK_SYNC_PAGE,    /* an older page: from its oldest to its newest */
} EkSyncRange;

void        ek_store_sync_history    (EkStore    *self,
                                      const char *session_id,
                                      JsonArray  *messages,
                                      guint64     mark,
                                      EkSyncRange range);
guint64     ek_store_get_n_skipped   (EkStore   *self);

G_END_DECLS
