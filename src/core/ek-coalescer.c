/* ek-coalescer.c: folds a frame's worth of events into one batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Within one batch:
 *  - a full `message.part.updated` replaces the earlier ones for that part
 *    and drops the deltas before it, which it supersedes;
 *  - consecutive deltas of one part and field merge into one (appended to
 *    the first, which keeps its place);
 *  - the latest `session.status` of a session wins, in its own place;
 *  - everything else, and the order between different parts, is kept.
 * Applying the batch gives the same store as applying the events one by
 * one (the fixture tests check it); only the number of notifications
 * shrinks.
 */

#include "config.h"

#include <string.h>

#include "ek-coalescer.h"
#include "ek-event-private.h"

typedef struct
{
  int      last_update;  /* index of the part's latest full update, or -1 */
  int      open_delta;   /* index of the delta later deltas may merge into */
  guint    open_epoch;   /* open_delta counts only in this epoch */
  GArray  *deltas;       /* indices of the part's delta events */
} PartState;

struct _EkCoalescer
{
  GPtrArray  *batch;     /* EkEvent, NULL where one was dropped */
  guint       n_dropped;
  GHashTable *parts;     /* part id → PartState */
  GHashTable *statuses;  /* session id → index of its latest status */
  guint       epoch;     /* bumped by removals: no delta merges across one */
  guint64     n_added;
};

/* the batch has holes where events were dropped */
static void
event_unref0 (gpointer event)
{
  if (event != NULL)
    ek_event_unref (event);
}

static void
part_state_free (gpointer data)
{
  PartState *state = data;

  g_array_unref (state->deltas);
  g_free (state);
}

EkCoalescer *
ek_coalescer_new (void)
{
  EkCoalescer *self = g_new0 (EkCoalescer, 1);

  self->batch = g_ptr_array_new_with_free_func (event_unref0);
  self->parts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, part_state_free);
  self->statuses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
ek_coalescer_free (EkCoalescer *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->batch);
  g_hash_table_unref (self->parts);
  g_hash_table_unref (self->statuses);
  g_free (self);
}

static PartState *
part_state (EkCoalescer *self,
            const char  *part_id)
{
  PartState *state = g_hash_table_lookup (self->parts, part_id);

  if (state == NULL)
    {
      state = g_new0 (PartState, 1);
      state->last_update = -1;
      state->open_delta = -1;
      state->deltas = g_array_new (FALSE, FALSE, sizeof (int));
      g_hash_table_insert (self->parts, g_strdup (part_id), state);
    }
  return state;
}

static void
drop (EkCoalescer *self,
      int          index)
{
  EkEvent *event = g_ptr_array_index (self->batch, index);

  if (event == NULL)
    return;
  self->batch->pdata[index] = NULL;
  ek_event_unref (event);
  self->n_dropped++;
}

static int
push (EkCoalescer *self,
      EkEvent     *event)
{
  g_ptr_array_add (self->batch, event);
  return (int) self->batch->len - 1;
}

static gboolean
same_part (EkEvent *a,
           EkEvent *b)
{
  return strcmp (a->message_id, b->message_id) == 0 &&
         strcmp (a->session_id, b->session_id) == 0;
}

static void
add_delta (EkCoalescer *self,
           EkEvent     *event)
{
  PartState *state = part_state (self, event->part_id);

  if (state->open_delta >= 0 && state->open_epoch == self->epoch)
    {
      EkEvent *open = g_ptr_array_index (self->batch, state->open_delta);

      if (open != NULL && same_part (open, event) && strcmp (open->field, event->field) == 0 &&
          g_atomic_ref_count_compare (&open->ref_count, 1))
        {
          ek_event_append_delta (open, event->delta, event->delta_len);
          ek_event_unref (event);
          return;
        }
    }

  state->open_delta = push (self, event);
  state->open_epoch = self->epoch;
  g_array_append_val (state->deltas, state->open_delta);
}

static void
add_part_update (EkCoalescer *self,
                 EkEvent     *event)
{
  PartState *state = part_state (self, event->part_id);
  guint kept = 0;

  /* the full part supersedes earlier updates and deltas of the same part */
  if (state->last_update >= 0)
    {
      EkEvent *previous = g_ptr_array_index (self->batch, state->last_update);

      if (previous != NULL && same_part (previous, event))
        drop (self, state->last_update);
    }
  for (guint i = 0; i < state->deltas->len; i++)
    {
      int index = g_array_index (state->deltas, int, i);
      EkEvent *delta = g_ptr_array_index (self->batch, index);

      if (delta != NULL && same_part (delta, event))
        drop (self, index);
      else if (delta != NULL)
        g_array_index (state->deltas, int, kept++) = index;
    }
  g_array_set_size (state->deltas, kept);

  state->last_update = push (self, event);
  state->open_delta = -1;
}

static void
add_status (EkCoalescer *self,
            EkEvent     *event)
{
  gpointer index;

  if (g_hash_table_lookup_extended (self->statuses, event->session_id, NULL, &index))
    drop (self, GPOINTER_TO_INT (index));
  g_hash_table_replace (self->statuses, g_strdup (event->session_id),
                        GINT_TO_POINTER (push (self, event)));
}

/**
 * ek_coalescer_add:
 * @event: (transfer full): the next event
 */
void
ek_coalescer_add (EkCoalescer *self,
                  EkEvent     *event)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (event != NULL);

  self->n_added++;

  switch (event->kind)
    {
    case EK_EVENT_PART_DELTA:
      add_delta (self, event);
      break;

    case EK_EVENT_PART_UPDATED:
      add_part_update (self, event);
      break;

    case EK_EVENT_SESSION_STATUS:
      add_status (self, event);
      break;

    case EK_EVENT_PART_REMOVED:
    case EK_EVENT_MESSAGE_REMOVED:
    case EK_EVENT_SESSION_DELETED:
    case EK_EVENT_MESSAGE_UPDATED:
      /* nothing merges across a removal, nor across a message update: it
       * may adopt parts that arrived early, so a delta before it may be
       * skipped where one after it lands */
      self->epoch++;
      push (self, event);
      break;

    default:
      push (self, event);
      break;
    }
}

/**
 * ek_coalescer_merge_delta:
 * @scan: a delta read by the fast path
 *
 * The common case of a stream, made cheap: when the batch so far ends with
 * a delta of the same part and field, @scan is appended to it and no
 * event is made at all.
 *
 * Returns: %TRUE if merged; otherwise add an event for it
 */
gboolean
ek_coalescer_merge_delta (EkCoalescer       *self,
                          const EkDeltaScan *scan)
{
  EkEvent *tail;

  if (self->batch->len == 0)
    return FALSE;
  tail = g_ptr_array_index (self->batch, self->batch->len - 1);
  if (tail == NULL || !ek_event_continues_delta (tail, scan) ||
      !g_atomic_ref_count_compare (&tail->ref_count, 1))
    return FALSE;

  /* the tail delta is its part's open one: nothing came after it */
  ek_event_append_delta (tail, scan->delta, scan->delta_len);
  self->n_added++;
  return TRUE;
}

/**
 * ek_coalescer_take:
 *
 * Returns: (transfer full) (element-type EkEvent): the batch so far, in
 *   order; the coalescer starts a new one
 */
GPtrArray *
ek_coalescer_take (EkCoalescer *self)
{
  GPtrArray *batch;
  guint kept = 0;

  g_return_val_if_fail (self != NULL, NULL);

  batch = g_steal_pointer (&self->batch);
  self->batch = g_ptr_array_new_with_free_func (event_unref0);

  if (self->n_dropped > 0)
    {
      for (guint i = 0; i < batch->len; i++)
        if (g_ptr_array_index (batch, i) != NULL)
          batch->pdata[kept++] = batch->pdata[i];
      /* the tail holds moved pointers: cut it off without freeing them */
      batch->len = kept;
    }

  self->n_dropped = 0;
  g_hash_table_remove_all (self->parts);
  g_hash_table_remove_all (self->statuses);
  return batch;
}

guint
ek_coalescer_get_n_pending (EkCoalescer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->batch->len - self->n_dropped;
}

/**
 * ek_coalescer_get_n_added:
 *
 * Returns: how many events were added since the coalescer was made
 */
guint64
ek_coalescer_get_n_added (EkCoalescer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_added;
}
