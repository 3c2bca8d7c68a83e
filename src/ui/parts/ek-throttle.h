/* ek-throttle.h: run a redraw at most once per period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EkThrottle EkThrottle;

/* Returns whether it redrew anything: a run that found nothing to do
 * does not start a period. */
typedef gboolean (*EkThrottleFunc) (gpointer user_data);

#define EK_THROTTLE_PERIOD_MS 100

EkThrottle *ek_throttle_new        (guint           period_ms,
                                    EkThrottleFunc  func,
                                    gpointer        user_data);
void        ek_throttle_free       (EkThrottle     *self);
/* Something changed: run now when the last run is a period old, else
 * once when the period is over (changes in between coalesce). */
void        ek_throttle_queue      (EkThrottle     *self);
/* Run now if a change is waiting; the timer goes. */
void        ek_throttle_flush      (EkThrottle     *self);
/* Forget a waiting change; the timer goes. */
void        ek_throttle_cancel     (EkThrottle     *self);
gboolean    ek_throttle_is_pending (EkThrottle     *self);
/* Forget when it last ran, so the next change runs at once. */
void        ek_throttle_reset      (EkThrottle     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EkThrottle, ek_throttle_free)

G_END_DECLS
