/* ek-pending-requests.h: the permissions or questions pending in a session
 * and the subagent sessions under it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ek-request.h"
#include "ek-store.h"

G_BEGIN_DECLS

#define EK_TYPE_PENDING_REQUESTS (ek_pending_requests_get_type ())

G_DECLARE_FINAL_TYPE (EkPendingRequests, ek_pending_requests, EK, PENDING_REQUESTS, GObject)

EkPendingRequests *ek_pending_requests_new         (EkRequestKind      kind);
void               ek_pending_requests_set_store   (EkPendingRequests *self,
                                                    EkStore           *store);
void               ek_pending_requests_set_session (EkPendingRequests *self,
                                                    EkSession         *session);
EkSession         *ek_pending_requests_get_session (EkPendingRequests *self);
GListModel        *ek_pending_requests_get_model   (EkPendingRequests *self);
EkRequest         *ek_pending_requests_lookup      (EkPendingRequests *self,
                                                    const char        *request_id);
void               ek_pending_requests_refresh     (EkPendingRequests *self);

G_END_DECLS
