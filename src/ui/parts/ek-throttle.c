/* ek-throttle.c: run a redraw at most once per period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first change after a quiet period runs at once; later ones within
 * the period set a pending flag and one timeout that fires when the
 * period since the last run is over.  When nothing changes no timer is
 * left.  Runs are spaced by at least the period on the monotonic clock:
 * a timeout that fires early (the main loop's cached time is older than
 * the change) waits for the rest.
 */

#include "config.h"

#include "ek-throttle.h"

struct _EkThrottle
{
  guint          period_ms;
  EkThrottleFunc func;
  gpointer       user_data;
  gint64         last_run_us; /* monotonic; 0: never */
  guint          timeout_id;
  gboolean       pending;
};

EkThrottle *
ek_throttle_new (guint          period_ms,
                 EkThrottleFunc func,
                 gpointer       user_data)
{
  EkThrottle *self = g_new0 (EkThrottle, 1);

  self->period_ms = period_ms;
  self->func = func;
  self->user_data = user_data;
  return self;
}

void
ek_throttle_free (EkThrottle *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_free (self);
}

static void
run (EkThrottle *self)
{
  gint64 now_us = g_get_monotonic_time ();

  self->pending = FALSE;
  if (self->func (self->user_data))
    self->last_run_us = now_us;
}

static gboolean on_timeout (gpointer user_data);

static void
schedule (EkThrottle *self,
          gint64      now_us)
{
  gint64 wait_us = self->last_run_us + (gint64) self->period_ms * 1000 - now_us;
  guint wait_ms = (guint) MAX ((wait_us + 999) / 1000, 1);

  self->timeout_id = g_timeout_add (wait_ms, on_timeout, self);
  g_source_set_name_by_id (self->timeout_id, "[ekacode] throttle");
}

static gboolean
on_timeout (gpointer user_data)
{
  EkThrottle *self = user_data;
  gint64 now_us = g_get_monotonic_time ();

  self->timeout_id = 0;
  if (!self->pending)
    return G_SOURCE_REMOVE;

  if (now_us - self->last_run_us < (gint64) self->period_ms * 1000)
    schedule (self, now_us);
  else
    run (self);
  return G_SOURCE_REMOVE;
}

void
ek_throttle_queue (EkThrottle *self)
{
  gint64 now_us;

  g_return_if_fail (self != NULL);

  self->pending = TRUE;
  if (self->timeout_id != 0)
    return;

  now_us = g_get_monotonic_time ();
  if (self->last_run_us == 0 ||
      now_us - self->last_run_us >= (gint64) self->period_ms * 1000)
    run (self);
  else
    schedule (self, now_us);
}

void
ek_throttle_flush (EkThrottle *self)
{
  g_return_if_fail (self != NULL);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->pending)
    run (self);
}

void
ek_throttle_cancel (EkThrottle *self)
{
  g_return_if_fail (self != NULL);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->pending = FALSE;
}

gboolean
ek_throttle_is_pending (EkThrottle *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->timeout_id != 0;
}

void
ek_throttle_reset (EkThrottle *self)
{
  g_return_if_fail (self != NULL);

  ek_throttle_cancel (self);
  self->last_run_us = 0;
}
