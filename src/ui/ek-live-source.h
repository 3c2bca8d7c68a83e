/* ek-live-source.h: a live server as a window's source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-connection.h"
#include "ek-source.h"

G_BEGIN_DECLS

/* how many of a session's newest messages load first; older ones come in
 * pages of the same size as the chat is scrolled up */
#define EK_LIVE_SOURCE_HISTORY_LIMIT 50

#define EK_TYPE_LIVE_SOURCE (ek_live_source_get_type ())

G_DECLARE_FINAL_TYPE (EkLiveSource, ek_live_source, EK, LIVE_SOURCE, GObject)

EkLiveSource *ek_live_source_new            (EkClient     *client,
                                             const char   *directory);
EkClient     *ek_live_source_get_client     (EkLiveSource *self);
EkConnection *ek_live_source_get_connection (EkLiveSource *self);
void          ek_live_source_start          (EkLiveSource *self);
void          ek_live_source_stop           (EkLiveSource *self);
gboolean      ek_live_source_get_synced     (EkLiveSource *self);
void          ek_live_source_set_offline_after (EkLiveSource *self,
                                                guint         ms);
void          ek_live_source_set_close_after (EkLiveSource *self,
                                              guint         seconds);

G_END_DECLS
