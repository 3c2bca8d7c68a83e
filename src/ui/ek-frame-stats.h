/* ek-frame-stats.h: how long frames take, measured on the frame clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_FRAME_STATS (ek_frame_stats_get_type ())

G_DECLARE_FINAL_TYPE (EkFrameStats, ek_frame_stats, EK, FRAME_STATS, GObject)

EkFrameStats *ek_frame_stats_new        (GtkWidget     *widget);
guint         ek_frame_stats_get_n_frames (EkFrameStats *self);
char         *ek_frame_stats_to_json    (EkFrameStats  *self);
gboolean      ek_frame_stats_write      (EkFrameStats  *self,
                                         const char    *path,
                                         GError       **error);

G_END_DECLS
