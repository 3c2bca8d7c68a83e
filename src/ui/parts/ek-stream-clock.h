/* ek-stream-clock.h: what "now" is for the conversation on screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EK_TYPE_STREAM_CLOCK (ek_stream_clock_get_type ())

G_DECLARE_FINAL_TYPE (EkStreamClock, ek_stream_clock, EK, STREAM_CLOCK, GObject)

EkStreamClock *ek_stream_clock_new           (void);
gboolean       ek_stream_clock_get_recorded  (EkStreamClock *self);
void           ek_stream_clock_set_recorded  (EkStreamClock *self,
                                              gboolean       recorded);
/* A time (milliseconds since the epoch, the server's clock) found in
 * the stream: a part's or message's start, end, creation... */
void           ek_stream_clock_note          (EkStreamClock *self,
                                              gint64         time_ms);
gint64         ek_stream_clock_get_newest_ms (EkStreamClock *self);
/* Forgets the times seen (another conversation is shown). */
void           ek_stream_clock_reset         (EkStreamClock *self);
/* Now, in the server's milliseconds: the local clock for a live stream,
 * the newest time seen for a recording.  @self may be NULL: the local
 * clock. */
gint64         ek_stream_clock_now_ms        (EkStreamClock *self);

G_END_DECLS
