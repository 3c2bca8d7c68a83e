/* ek-event-stream.h: the server's /event stream, kept alive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ek-client.h"

G_BEGIN_DECLS

typedef enum
{
  EK_STREAM_STATE_IDLE,          /* not started, or stopped */
  EK_STREAM_STATE_CONNECTING,    /* the first attempt */
  EK_STREAM_STATE_CONNECTED,
  EK_STREAM_STATE_RECONNECTING,  /* lost; trying again with backoff */
  EK_STREAM_STATE_UNAUTHORIZED,  /* 401: no retry until credentials change */
  EK_STREAM_STATE_FAILED,        /* the server answered, but not a stream */
} EkStreamState;

#define EK_TYPE_STREAM_STATE (ek_stream_state_get_type ())
GType ek_stream_state_get_type (void) G_GNUC_CONST;

#define EK_STREAM_MIN_BACKOFF_MS   250
#define EK_STREAM_MAX_BACKOFF_MS   5000
#define EK_STREAM_DEAD_AFTER_MS    25000

#define EK_TYPE_EVENT_STREAM (ek_event_stream_get_type ())

G_DECLARE_FINAL_TYPE (EkEventStream, ek_event_stream, EK, EVENT_STREAM, GObject)

EkEventStream *ek_event_stream_new            (EkClient      *client);
void           ek_event_stream_start          (EkEventStream *self);
void           ek_event_stream_stop           (EkEventStream *self);
void           ek_event_stream_reconnect      (EkEventStream *self);
EkStreamState  ek_event_stream_get_state      (EkEventStream *self);
const char    *ek_event_stream_get_last_error (EkEventStream *self);
guint64        ek_event_stream_get_n_events   (EkEventStream *self);
guint64        ek_event_stream_get_n_reads    (EkEventStream *self);
guint          ek_event_stream_get_n_connects (EkEventStream *self);
void           ek_event_stream_set_dead_after (EkEventStream *self,
                                               guint          ms);

G_END_DECLS
