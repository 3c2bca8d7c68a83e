/* ek-replay-source.h: a recorded event stream as a read-only source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-source.h"

G_BEGIN_DECLS

#define EK_TYPE_REPLAY_SOURCE (ek_replay_source_get_type ())

G_DECLARE_FINAL_TYPE (EkReplaySource, ek_replay_source, EK, REPLAY_SOURCE, GObject)

EkReplaySource *ek_replay_source_new         (GBytes         *contents,
                                              const char     *name);
EkReplaySource *ek_replay_source_new_for_file (GFile         *file,
                                               GError       **error);
void            ek_replay_source_set_speed   (EkReplaySource *self,
                                              double          speed);
double          ek_replay_source_get_speed   (EkReplaySource *self);
void            ek_replay_source_start       (EkReplaySource *self);
gboolean        ek_replay_source_is_finished (EkReplaySource *self);

gboolean        ek_replay_parse_event_time   (const char     *event,
                                              gsize           len,
                                              guint64        *stamp);

G_END_DECLS
