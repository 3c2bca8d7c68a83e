/* ek-stream-clock.c: what "now" is for the conversation on screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A running tool call shows how long it has been running: now minus its
 * recorded `time.start`.  For a live server, now is the local clock.  A
 * recording replayed days later has its own now: the newest time its
 * events carry, so a call that ran for a second is never shown as
 * running for hours; the times only move on as the replay does.
 *
 * The chat view owns one clock, says whether its source is a recording,
 * and hands it to the rows; the part widgets and rows note the times
 * they see.
 */

#include "config.h"

#include "ek-part-util.h"
#include "ek-stream-clock.h"

struct _EkStreamClock
{
  GObject  parent_instance;

  gint64   newest_ms;
  gboolean recorded;
};

G_DEFINE_FINAL_TYPE (EkStreamClock, ek_stream_clock, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ek_stream_clock_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EkStreamClock *self = EK_STREAM_CLOCK (object);

  switch (prop_id)
    {
    case PROP_RECORDED:
      g_value_set_boolean (value, self->recorded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_stream_clock_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EkStreamClock *self = EK_STREAM_CLOCK (object);

  switch (prop_id)
    {
    case PROP_RECORDED:
      ek_stream_clock_set_recorded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_stream_clock_class_init (EkStreamClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = ek_stream_clock_get_property;
  object_class->set_property = ek_stream_clock_set_property;

  /**
   * EkStreamClock:recorded:
   *
   * Whether the stream is a recording: now is then the newest time seen
   * in it, not the local clock.
   */
  properties[PROP_RECORDED] =
    g_param_spec_boolean ("recorded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ek_stream_clock_init (EkStreamClock *self)
{
}

EkStreamClock *
ek_stream_clock_new (void)
{
  return g_object_new (EK_TYPE_STREAM_CLOCK, NULL);
}

gboolean
ek_stream_clock_get_recorded (EkStreamClock *self)
{
  g_return_val_if_fail (EK_IS_STREAM_CLOCK (self), FALSE);
  return self->recorded;
}

void
ek_stream_clock_set_recorded (EkStreamClock *self,
                              gboolean       recorded)
{
  g_return_if_fail (EK_IS_STREAM_CLOCK (self));

  recorded = !!recorded;
  if (self->recorded == recorded)
    return;
  self->recorded = recorded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDED]);
}

void
ek_stream_clock_note (EkStreamClock *self,
                      gint64         time_ms)
{
  g_return_if_fail (EK_IS_STREAM_CLOCK (self));

  if (time_ms > self->newest_ms)
    self->newest_ms = time_ms;
}

gint64
ek_stream_clock_get_newest_ms (EkStreamClock *self)
{
  g_return_val_if_fail (EK_IS_STREAM_CLOCK (self), 0);
  return self->newest_ms;
}

void
ek_stream_clock_reset (EkStreamClock *self)
{
  g_return_if_fail (EK_IS_STREAM_CLOCK (self));
  self->newest_ms = 0;
}

gint64
ek_stream_clock_now_ms (EkStreamClock *self)
{
  g_return_val_if_fail (self == NULL || EK_IS_STREAM_CLOCK (self), 0);

  if (self == NULL || !self->recorded || self->newest_ms == 0)
    return ek_part_now_ms ();
  return self->newest_ms;
}
