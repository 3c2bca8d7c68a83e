/* ek-tool-badge.h: a tool call's state, as a small pill
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-stream-clock.h"

G_BEGIN_DECLS

#define EK_TYPE_TOOL_BADGE (ek_tool_badge_get_type ())

G_DECLARE_FINAL_TYPE (EkToolBadge, ek_tool_badge, EK, TOOL_BADGE, GtkWidget)

GtkWidget  *ek_tool_badge_new                 (void);
/* @status is the tool state's `status`; @start_ms and @end_ms its
 * `time.start`/`time.end` (0 when missing). */
void        ek_tool_badge_set_state           (EkToolBadge *self,
                                               const char  *status,
                                               gint64       start_ms,
                                               gint64       end_ms);
const char *ek_tool_badge_get_status          (EkToolBadge *self);
/* The visible text ("Pending", "3 s", "0.3 s", "Failed"). */
const char *ek_tool_badge_get_text            (EkToolBadge *self);
/* The accessible name ("Running, 3 seconds", "Completed in 0.3 seconds"). */
const char *ek_tool_badge_get_accessible_text (EkToolBadge *self);
/* The clock a running call's elapsed time is read from (NULL: the
 * local clock). */
void        ek_tool_badge_set_clock           (EkToolBadge   *self,
                                               EkStreamClock *clock);
/* Whether the once-a-second timer of a running call is on. */
gboolean    ek_tool_badge_get_ticking         (EkToolBadge *self);

G_END_DECLS
