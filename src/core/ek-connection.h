/* ek-connection.h: a live server: its event stream folded into a store,
 * refetched on every (re)connect, and the commands that go back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ek-client.h"
#include "ek-event-stream.h"
#include "ek-store.h"

G_BEGIN_DECLS

#define EK_TYPE_CONNECTION (ek_connection_get_type ())

G_DECLARE_FINAL_TYPE (EkConnection, ek_connection, EK, CONNECTION, GObject)

/* sessions the user left whose messages stay in memory */
#define EK_CONNECTION_KEEP_CLOSED 4

EkConnection  *ek_connection_new                (EkClient      *client,
                                                 EkStore       *store);
EkClient      *ek_connection_get_client         (EkConnection  *self);
EkStore       *ek_connection_get_store          (EkConnection  *self);
EkEventStream *ek_connection_get_stream         (EkConnection  *self);
void           ek_connection_start              (EkConnection  *self);
void           ek_connection_stop               (EkConnection  *self);
gboolean       ek_connection_get_synced         (EkConnection  *self);
void           ek_connection_set_history_limit  (EkConnection  *self,
                                                 int            limit);
void           ek_connection_open_session       (EkConnection  *self,
                                                 const char    *session_id);
void           ek_connection_close_session      (EkConnection  *self,
                                                 const char    *session_id);
void           ek_connection_set_keep_closed    (EkConnection  *self,
                                                 guint          n);
void           ek_connection_load_older_async   (EkConnection  *self,
                                                 const char    *session_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
gboolean       ek_connection_load_older_finish  (EkConnection  *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

void           ek_connection_send_prompt_async  (EkConnection  *self,
                                                 const char    *session_id,
                                                 const char    *text,
                                                 const char    *agent,
                                                 const char    *provider_id,
                                                 const char    *model_id,
                                                 GCancellable  *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer       user_data);
char          *ek_connection_send_prompt_finish (EkConnection  *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

G_END_DECLS
