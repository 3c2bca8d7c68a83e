/* ek-replay-source.c: a recorded event stream as a read-only source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recording goes through the same pipe as a live stream (EkIngest:
 * parser, decoder and coalescer on a worker, batches applied here), either
 * as fast as it goes or paced by the times in the event ids: `evt_` and 12
 * hex digits of (ms × 4096 + counter), a 48-bit field that wraps.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ek-ingest.h"
#include "ek-replay-source.h"

#define CHUNK_SIZE (64 * 1024)
#define STAMP_MASK ((G_GUINT64_CONSTANT (1) << 48) - 1)

struct _EkReplaySource
{
  GObject        parent_instance;

  GBytes        *contents;
  char          *name;
  double         speed;
  EkStore       *store;
  EkIngest      *ingest;
  EkSourceState  state;
  char          *description;

  /* pacing */
  gsize          offset;      /* bytes handed to the ingest so far */
  gboolean       have_stamp;
  guint64        last_stamp;  /* of the last stamped event pushed */
  double         last_ms;     /* its time on the recording's clock, from 0 */
  gint64         start_us;
  guint          timeout_id;

  guint          started : 1;
};

static void ek_replay_source_iface_init (EkSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EkReplaySource, ek_replay_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EK_TYPE_SOURCE, ek_replay_source_iface_init))

enum {
  PROP_0,
  PROP_SPEED,
  /* EkSource */
  PROP_STORE,
  PROP_STATE,
  PROP_DESCRIPTION,
  PROP_READ_ONLY_REASON,
};

static GParamSpec *properties[PROP_STORE];

static void
set_state (EkReplaySource *self,
           EkSourceState   state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_clear_pointer (&self->description, g_free);
  if (state == EK_SOURCE_STATE_REPLAYED)
    self->description = g_strdup_printf (_("Replayed the recording “%s” — read only"), self->name);
  else
    self->description = g_strdup_printf (_("Replaying the recording “%s” — read only"), self->name);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify (G_OBJECT (self), "state");
  g_object_notify (G_OBJECT (self), "description");
  g_object_thaw_notify (G_OBJECT (self));
}

static void
on_batch (EkIngest       *ingest,
          GPtrArray      *batch,
          EkReplaySource *self)
{
  ek_store_apply_batch (self->store, batch);
}

static void
on_error (EkIngest       *ingest,
          const GError   *error,
          EkReplaySource *self)
{
  g_debug ("Skipped an event of %s: %s", self->name, error->message);
}

static void
on_finished (EkIngest       *ingest,
             EkReplaySource *self)
{
  set_state (self, EK_SOURCE_STATE_REPLAYED);
}

static void
ek_replay_source_dispose (GObject *object)
{
  EkReplaySource *self = EK_REPLAY_SOURCE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->ingest != NULL)
    g_signal_handlers_disconnect_by_data (self->ingest, self);
  g_clear_object (&self->ingest);

  G_OBJECT_CLASS (ek_replay_source_parent_class)->dispose (object);
}

static void
ek_replay_source_finalize (GObject *object)
{
  EkReplaySource *self = EK_REPLAY_SOURCE (object);

  g_clear_pointer (&self->contents, g_bytes_unref);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ek_replay_source_parent_class)->finalize (object);
}

static void
ek_replay_source_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EkReplaySource *self = EK_REPLAY_SOURCE (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_READ_ONLY_REASON:
      g_value_set_string (value, ek_source_get_read_only_reason (EK_SOURCE (self)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_replay_source_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EkReplaySource *self = EK_REPLAY_SOURCE (object);

  switch (prop_id)
    {
    case PROP_SPEED:
      ek_replay_source_set_speed (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_replay_source_class_init (EkReplaySourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_replay_source_dispose;
  object_class->finalize = ek_replay_source_finalize;
  object_class->get_property = ek_replay_source_get_property;
  object_class->set_property = ek_replay_source_set_property;

  /**
   * EkReplaySource:speed:
   *
   * 1 replays at the recorded pace, 2 twice as fast; 0 as fast as it goes.
   */
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, G_N_ELEMENTS (properties), properties);

  g_object_class_override_property (object_class, PROP_STORE, "store");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_DESCRIPTION, "description");
  g_object_class_override_property (object_class, PROP_READ_ONLY_REASON, "read-only-reason");
}

static void
ek_replay_source_init (EkReplaySource *self)
{
  self->store = ek_store_new ();
  self->state = EK_SOURCE_STATE_OFFLINE;
  self->ingest = ek_ingest_new ();
  g_signal_connect (self->ingest, "batch", G_CALLBACK (on_batch), self);
  g_signal_connect (self->ingest, "error", G_CALLBACK (on_error), self);
  g_signal_connect (self->ingest, "finished", G_CALLBACK (on_finished), self);
}

static EkStore *
ek_replay_source_get_store (EkSource *source)
{
  return EK_REPLAY_SOURCE (source)->store;
}

static EkSourceState
ek_replay_source_get_state (EkSource *source)
{
  return EK_REPLAY_SOURCE (source)->state;
}

static const char *
ek_replay_source_get_description (EkSource *source)
{
  return EK_REPLAY_SOURCE (source)->description;
}

static const char *
ek_replay_source_get_read_only_reason (EkSource *source)
{
  return _("Replaying a recording — read only");
}

static void
ek_replay_source_iface_init (EkSourceInterface *iface)
{
  iface->get_store = ek_replay_source_get_store;
  iface->get_state = ek_replay_source_get_state;
  iface->get_description = ek_replay_source_get_description;
  iface->get_read_only_reason = ek_replay_source_get_read_only_reason;
}

/**
 * ek_replay_source_new:
 * @contents: a recorded `text/event-stream`
 * @name: what to call it in the banner (a file name)
 */
EkReplaySource *
ek_replay_source_new (GBytes     *contents,
                      const char *name)
{
  EkReplaySource *self;

  g_return_val_if_fail (contents != NULL, NULL);

  self = g_object_new (EK_TYPE_REPLAY_SOURCE, NULL);
  self->contents = g_bytes_ref (contents);
  self->name = g_strdup (name ? name : _("Recording"));
  self->description = g_strdup_printf (_("Replaying the recording “%s” — read only"), self->name);
  return self;
}

EkReplaySource *
ek_replay_source_new_for_file (GFile   *file,
                               GError **error)
{
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  contents = g_file_load_bytes (file, NULL, NULL, error);
  if (contents == NULL)
    return NULL;
  name = g_file_get_basename (file);
  return ek_replay_source_new (contents, name);
}

void
ek_replay_source_set_speed (EkReplaySource *self,
                            double          speed)
{
  g_return_if_fail (EK_IS_REPLAY_SOURCE (self));

  speed = MAX (speed, 0);
  if (self->speed == speed)
    return;
  self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
ek_replay_source_get_speed (EkReplaySource *self)
{
  g_return_val_if_fail (EK_IS_REPLAY_SOURCE (self), 0);
  return self->speed;
}

gboolean
ek_replay_source_is_finished (EkReplaySource *self)
{
  g_return_val_if_fail (EK_IS_REPLAY_SOURCE (self), FALSE);
  return self->state == EK_SOURCE_STATE_REPLAYED;
}

/**
 * ek_replay_parse_event_time:
 * @event: the bytes of one SSE event
 * @stamp: (out): the 48-bit time field of its `evt_` id (ms × 4096 + counter)
 *
 * Returns: whether the event carries an `evt_` id
 */
gboolean
ek_replay_parse_event_time (const char *event,
                            gsize       len,
                            guint64    *stamp)
{
  static const char needle[] = "\"id\":\"evt_";
  const gsize needle_len = sizeof needle - 1;
  const char *found;
  guint64 value = 0;

  g_return_val_if_fail (stamp != NULL, FALSE);

  found = g_strstr_len (event, len, needle);
  if (found == NULL)
    return FALSE;
  found += needle_len;
  if ((gsize) (found - event) + 12 > len)
    return FALSE;
  for (guint i = 0; i < 12; i++)
    {
      int digit = g_ascii_xdigit_value (found[i]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (guint64) digit;
    }
  *stamp = value;
  return TRUE;
}

/* The end of the SSE event starting at @start: just past the empty line
 * that ends it (any of the three line ends), or @size. */
static gsize
find_event_end (const char *data,
                gsize       start,
                gsize       size)
{
  gsize line_start = start;
  gsize i = start;

  while (i < size)
    {
      if (data[i] == '\n' || data[i] == '\r')
        {
          gboolean empty = i == line_start;

          if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
            i++;
          i++;
          if (empty)
            return i;
          line_start = i;
        }
      else
        i++;
    }
  return size;
}

/* The time of an event on the recording's clock (ms from the first stamp);
 * an event without a stamp goes with the one before it. */
static double
event_time (EkReplaySource *self,
            const char     *event,
            gsize           len,
            guint64        *stamp_out)
{
  guint64 stamp;
  guint64 diff;

  if (!ek_replay_parse_event_time (event, len, &stamp))
    {
      *stamp_out = self->last_stamp;
      return self->last_ms;
    }
  *stamp_out = stamp;
  if (!self->have_stamp)
    return 0;
  diff = (stamp - self->last_stamp) & STAMP_MASK;
  if (diff > (STAMP_MASK >> 1))
    diff = 0; /* a little out of order: no waiting backwards */
  return self->last_ms + diff / 4096.0;
}

static gboolean
push_due_events (gpointer user_data)
{
  EkReplaySource *self = user_data;
  gsize size;
  const char *data = g_bytes_get_data (self->contents, &size);
  double now_ms = (g_get_monotonic_time () - self->start_us) / 1000.0 * self->speed;
  gsize end = self->offset;
  double next_ms = 0;

  self->timeout_id = 0;

  while (end < size)
    {
      gsize event_end = find_event_end (data, end, size);
      guint64 stamp;
      double at = event_time (self, data + end, event_end - end, &stamp);

      if (self->have_stamp && at > now_ms)
        {
          next_ms = at;
          break;
        }
      self->last_ms = at;
      self->last_stamp = stamp;
      self->have_stamp = self->have_stamp || stamp != 0;
      end = event_end;
    }

  if (end > self->offset)
    {
      g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (self->contents, self->offset, end - self->offset);

      ek_ingest_push (self->ingest, chunk);
      self->offset = end;
    }

  if (self->offset >= size)
    {
      ek_ingest_close (self->ingest);
      return G_SOURCE_REMOVE;
    }

  self->timeout_id = g_timeout_add (MAX (1, (guint) ((next_ms - now_ms) / self->speed)),
                                    push_due_events, self);
  return G_SOURCE_REMOVE;
}

/**
 * ek_replay_source_start:
 *
 * Starts feeding the recording into the store (once).
 */
void
ek_replay_source_start (EkReplaySource *self)
{
  gsize size;

  g_return_if_fail (EK_IS_REPLAY_SOURCE (self));

  if (self->started)
    return;
  self->started = TRUE;
  set_state (self, EK_SOURCE_STATE_REPLAYING);

  size = g_bytes_get_size (self->contents);
  if (self->speed <= 0)
    {
      for (gsize offset = 0; offset < size; offset += CHUNK_SIZE)
        {
          g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (self->contents, offset,
                                                            MIN (CHUNK_SIZE, size - offset));

          ek_ingest_push (self->ingest, chunk);
        }
      self->offset = size;
      ek_ingest_close (self->ingest);
      return;
    }

  self->start_us = g_get_monotonic_time ();
  push_due_events (self);
}
