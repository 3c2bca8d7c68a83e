/* ek-ingest.c: bytes in, batches of events out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first half of the pipeline, on two worker threads of its own:
 *
 *   bytes ─▶ SSE parser ─▶ delta scanner ─┬─▶ JSON decoder ─▶ coalescer
 *            (the "sse" thread)            │   (the "decode" thread)
 *                                          └─ deltas, already merged ──▶
 *
 * Chunks of bytes are pushed from any thread.  The sse thread splits them
 * into events, reads the deltas (most of a stream) on the fast path and
 * merges runs of them; the decode thread reads every other event as JSON
 * and coalesces all of them, in order, into the current batch.  At most
 * once per interval (16 ms, a frame) the batch is handed to the thread
 * that made the EkIngest, as the ::batch signal; that thread only applies
 * it.  So a 10 MB event or a burst of deltas costs the main thread nothing
 * but the apply.
 */

#include "config.h"

#include <string.h>

#include "ek-coalescer.h"
#include "ek-event-private.h"
#include "ek-ingest.h"
#include "ek-sse-parser.h"

#define G_LOG_DOMAIN_INGEST "ekacode-ingest"

typedef enum
{
  ITEM_BYTES,
  ITEM_RESET,
  ITEM_CLOSE,
  ITEM_STOP,
} ItemKind;

typedef struct
{
  ItemKind  kind;
  GBytes   *bytes;
} Item;

/* What the sse thread hands the decode thread: one per event, in order */
typedef enum
{
  ELEMENT_EVENT,  /* decoded already (merged deltas) */
  ELEMENT_JSON,   /* to decode */
  ELEMENT_ERROR,  /* an event the parser skipped */
} ElementKind;

typedef struct
{
  ElementKind  kind;
  EkEvent     *event;
  GBytes      *json;
  GError      *error;
} Element;

typedef struct
{
  GArray   *elements;   /* of Element */
  guint64   n_events;   /* events of the stream they stand for */
  ItemKind  control;    /* ITEM_BYTES, or what to do after them */
} Chunk;

struct _EkIngest
{
  GObject       parent_instance;

  GMainContext *owner;
  GAsyncQueue  *queue;        /* Item, to the sse thread */
  GAsyncQueue  *decode_queue; /* Chunk, to the decode thread */
  GThread      *worker;
  GThread      *decoder;
  gsize         max_event_size;
  guint         interval_ms;

  /* sse thread only */
  EkSseParser  *parser;
  GArray       *out;          /* Element, of the chunk being parsed */
  EkEvent      *open_delta;   /* the run of deltas being merged */
  guint64       out_events;
  gboolean      decode_here;  /* the decode thread is behind: help it */

  /* shared, under lock */
  GMutex        lock;
  EkCoalescer  *coalescer;
  GPtrArray    *pending_errors;
  GSource      *delivery;      /* scheduled on owner, or NULL */
  gint64        last_delivery; /* monotonic µs */
  gboolean      closed;        /* the worker has seen the end */
  guint64       n_events;
  guint64       n_errors;

  /* owner-only */
  GPtrArray    *carry;         /* the rest of a large batch */
  guint         carry_pos;
  guint64       n_batches;
  gboolean      finished;
};

G_DEFINE_FINAL_TYPE (EkIngest, ek_ingest, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  BATCH,
  ERROR,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_pointer (&item->bytes, g_bytes_unref);
  g_free (item);
}

static void
enqueue (EkIngest *self,
         ItemKind  kind,
         GBytes   *bytes)
{
  Item *item = g_new0 (Item, 1);

  item->kind = kind;
  item->bytes = bytes;
  g_async_queue_push (self->queue, item);
}

/* A batch larger than this is applied in slices, one per main loop
 * dispatch, so that no single dispatch keeps the owner thread busy for
 * long (the order of events is kept, and so is the result). */
#define MAX_PER_DISPATCH 500

static void schedule_delivery_locked (EkIngest *self,
                                      gboolean  now);

/* ---- the sse thread ---- */

static void
element_clear (gpointer data)
{
  Element *element = data;

  g_clear_pointer (&element->event, ek_event_unref);
  g_clear_pointer (&element->json, g_bytes_unref);
  g_clear_error (&element->error);
}

static void
chunk_free (Chunk *chunk)
{
  g_clear_pointer (&chunk->elements, g_array_unref);
  g_free (chunk);
}

static void
push_element (EkIngest    *self,
              ElementKind  kind,
              EkEvent     *event,
              GBytes      *json,
              GError      *error)
{
  Element element = { kind, event, json, error };

  g_array_append_val (self->out, element);
}

static void
close_open_delta (EkIngest *self)
{
  if (self->open_delta != NULL)
    push_element (self, ELEMENT_EVENT, g_steal_pointer (&self->open_delta), NULL, NULL);
}

static void
on_sse_event (const char *event_type,
              const char *data,
              gsize       data_len,
              const char *last_event_id,
              gpointer    user_data)
{
  EkIngest *self = user_data;
  EkDeltaScan scan;

  self->out_events++;

  /* most events: a delta, often continuing the one before */
  if (ek_event_scan_delta (data, data_len, &scan))
    {
      EkEvent *open = self->open_delta;

      if (open != NULL && ek_event_continues_delta (open, &scan))
        {
          ek_event_append_delta (open, scan.delta, scan.delta_len);
          return;
        }
      close_open_delta (self);
      self->open_delta = ek_event_new_from_scan (&scan);
      return;
    }

  close_open_delta (self);
  if (self->decode_here)
    {
      GError *error = NULL;
      EkEvent *event = ek_event_decode_json (data, data_len, &error);

      if (event != NULL)
        push_element (self, ELEMENT_EVENT, event, NULL, NULL);
      else
        push_element (self, ELEMENT_ERROR, NULL, NULL, error);
      return;
    }
  push_element (self, ELEMENT_JSON, NULL, g_bytes_new (data, data_len), NULL);
}

static void
on_sse_error (const GError *error,
              gpointer      user_data)
{
  EkIngest *self = user_data;

  /* not counted as an event: it never was one */
  close_open_delta (self);
  push_element (self, ELEMENT_ERROR, NULL, NULL, g_error_copy (error));
}

/* Hands what the last item gave to the decode thread. */
static void
hand_over (EkIngest *self,
           ItemKind  control)
{
  Chunk *chunk;

  close_open_delta (self);
  if (self->out->len == 0 && control == ITEM_BYTES)
    return;

  chunk = g_new0 (Chunk, 1);
  chunk->elements = g_steal_pointer (&self->out);
  chunk->n_events = self->out_events;
  chunk->control = control;
  self->out_events = 0;
  self->out = g_array_sized_new (FALSE, FALSE, sizeof (Element), 256);
  g_array_set_clear_func (self->out, element_clear);
  g_async_queue_push (self->decode_queue, chunk);
}

static gpointer
sse_thread_main (gpointer data)
{
  EkIngest *self = data;

  for (;;)
    {
      Item *item = g_async_queue_pop (self->queue);
      ItemKind kind = item->kind;

      switch (kind)
        {
        case ITEM_BYTES:
          {
            gsize len;
            const char *buf = g_bytes_get_data (item->bytes, &len);

            /* the JSON decoding is the heavier half: when the decode
             * thread has chunks waiting, this one decodes too */
            self->decode_here = g_async_queue_length (self->decode_queue) > 0;
            ek_sse_parser_feed (self->parser, buf, len);
          }
          break;
        case ITEM_RESET:
          ek_sse_parser_reset (self->parser);
          break;
        case ITEM_CLOSE:
          ek_sse_parser_finish (self->parser);
          break;
        case ITEM_STOP:
        default:
          break;
        }
      item_free (item);

      hand_over (self, kind);
      if (kind == ITEM_STOP)
        break;
    }

  return NULL;
}

/* ---- the decode thread ---- */

static gpointer
decode_thread_main (gpointer data)
{
  EkIngest *self = data;

  for (;;)
    {
      Chunk *chunk = g_async_queue_pop (self->decode_queue);
      ItemKind control = chunk->control;
      GArray *elements = chunk->elements;

      /* decode outside the lock: the owner may be taking a batch */
      for (guint i = 0; i < elements->len; i++)
        {
          Element *element = &g_array_index (elements, Element, i);

          if (element->kind != ELEMENT_JSON)
            continue;
          {
            gsize len;
            const char *json = g_bytes_get_data (element->json, &len);

            element->event = ek_event_decode_json (json, len, &element->error);
            element->kind = element->event != NULL ? ELEMENT_EVENT : ELEMENT_ERROR;
            if (element->error != NULL)
              g_log (G_LOG_DOMAIN_INGEST, G_LOG_LEVEL_MESSAGE,
                     "Skipped a malformed event: %s", element->error->message);
          }
        }

      g_mutex_lock (&self->lock);
      for (guint i = 0; i < elements->len; i++)
        {
          Element *element = &g_array_index (elements, Element, i);

          if (element->kind == ELEMENT_EVENT)
            ek_coalescer_add (self->coalescer, g_steal_pointer (&element->event));
          else if (element->kind == ELEMENT_ERROR)
            {
              if (element->json == NULL)
                g_log (G_LOG_DOMAIN_INGEST, G_LOG_LEVEL_MESSAGE,
                       "Skipped an event: %s", element->error->message);
              g_ptr_array_add (self->pending_errors, g_steal_pointer (&element->error));
              self->n_errors++;
            }
        }
      self->n_events += chunk->n_events;
      if (control == ITEM_CLOSE)
        self->closed = TRUE;
      if (control == ITEM_CLOSE || ek_coalescer_get_n_pending (self->coalescer) > 0 ||
          self->pending_errors->len > 0)
        schedule_delivery_locked (self, FALSE);
      g_mutex_unlock (&self->lock);

      chunk_free (chunk);
      if (control == ITEM_STOP)
        break;
    }

  return NULL;
}

static gboolean deliver (gpointer user_data);

static gboolean
delivery_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs delivery_funcs = {
  .dispatch = delivery_dispatch,
};

/* Called with the lock held. */
static void
schedule_delivery_locked (EkIngest *self,
                          gboolean  now)
{
  if (self->delivery != NULL)
    {
      if (now)
        g_source_set_ready_time (self->delivery, 0);
      return;
    }

  self->delivery = g_source_new (&delivery_funcs, sizeof (GSource));
  g_source_set_name (self->delivery, "[ekacode] ingest batch");
  g_source_set_priority (self->delivery, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->delivery, deliver, g_object_ref (self), g_object_unref);
  g_source_set_ready_time (self->delivery,
                           now ? 0 : self->last_delivery + (gint64) self->interval_ms * 1000);
  g_source_attach (self->delivery, self->owner);
}

/* ---- owner side ---- */

static gboolean
deliver (gpointer user_data)
{
  EkIngest *self = user_data;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GPtrArray) slice = NULL;
  gboolean closed;
  guint end;

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->delivery, g_source_unref);
  if (self->carry == NULL)
    {
      self->carry = ek_coalescer_take (self->coalescer);
      self->carry_pos = 0;
      self->last_delivery = g_get_monotonic_time ();
    }
  errors = g_steal_pointer (&self->pending_errors);
  self->pending_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  closed = self->closed;
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < errors->len; i++)
    g_signal_emit (self, signals[ERROR], 0, g_ptr_array_index (errors, i));

  end = MIN (self->carry->len, self->carry_pos + MAX_PER_DISPATCH);
  if (self->carry_pos == 0 && end == self->carry->len)
    slice = g_steal_pointer (&self->carry);
  else
    {
      slice = g_ptr_array_new_full (end - self->carry_pos, (GDestroyNotify) ek_event_unref);
      for (guint i = self->carry_pos; i < end; i++)
        g_ptr_array_add (slice, ek_event_ref (g_ptr_array_index (self->carry, i)));
      self->carry_pos = end;
      if (self->carry_pos == self->carry->len)
        g_clear_pointer (&self->carry, g_ptr_array_unref);
    }

  if (slice->len > 0)
    {
      self->n_batches++;
      g_signal_emit (self, signals[BATCH], 0, slice);
    }

  g_mutex_lock (&self->lock);
  if (self->carry != NULL)
    schedule_delivery_locked (self, TRUE);
  else if (ek_coalescer_get_n_pending (self->coalescer) > 0 || self->pending_errors->len > 0)
    {
      /* what came in while a carried batch went out: the worker saw a
       * delivery scheduled and did not schedule another */
      schedule_delivery_locked (self, FALSE);
      closed = FALSE;
    }
  else if (closed && !self->finished && self->delivery == NULL)
    self->finished = TRUE;
  else
    closed = FALSE;
  g_mutex_unlock (&self->lock);

  if (closed && self->finished && self->carry == NULL)
    g_signal_emit (self, signals[FINISHED], 0);

  return G_SOURCE_REMOVE;
}

static void
ensure_worker (EkIngest *self)
{
  if (self->worker != NULL)
    return;

  ek_sse_parser_set_max_event_size (self->parser, self->max_event_size);
  self->decoder = g_thread_new ("ekacode-decode", decode_thread_main, self);
  self->worker = g_thread_new ("ekacode-sse", sse_thread_main, self);
}

static void
ek_ingest_dispose (GObject *object)
{
  EkIngest *self = EK_INGEST (object);

  if (self->worker != NULL)
    {
      /* the stop passes through both threads */
      enqueue (self, ITEM_STOP, NULL);
      g_thread_join (g_steal_pointer (&self->worker));
      g_thread_join (g_steal_pointer (&self->decoder));
    }

  g_mutex_lock (&self->lock);
  if (self->delivery != NULL)
    {
      g_source_destroy (self->delivery);
      g_clear_pointer (&self->delivery, g_source_unref);
    }
  g_mutex_unlock (&self->lock);

  G_OBJECT_CLASS (ek_ingest_parent_class)->dispose (object);
}

static void
ek_ingest_finalize (GObject *object)
{
  EkIngest *self = EK_INGEST (object);

  g_clear_pointer (&self->parser, ek_sse_parser_free);
  g_clear_pointer (&self->carry, g_ptr_array_unref);
  g_clear_pointer (&self->coalescer, ek_coalescer_free);
  g_clear_pointer (&self->pending_errors, g_ptr_array_unref);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->decode_queue, g_async_queue_unref);
  g_clear_pointer (&self->out, g_array_unref);
  g_clear_pointer (&self->open_delta, ek_event_unref);
  g_clear_pointer (&self->owner, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ek_ingest_parent_class)->finalize (object);
}

static void
ek_ingest_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EkIngest *self = EK_INGEST (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_ingest_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EkIngest *self = EK_INGEST (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      ek_ingest_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_ingest_class_init (EkIngestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_ingest_dispose;
  object_class->finalize = ek_ingest_finalize;
  object_class->get_property = ek_ingest_get_property;
  object_class->set_property = ek_ingest_set_property;

  /**
   * EkIngest:interval:
   *
   * The shortest time between two batches, in ms (a frame).
   */
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 0, 1000, EK_INGEST_DEFAULT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EkIngest::batch:
   * @batch: (element-type EkEvent): coalesced events, in order
   *
   * Emitted on the thread that made the object, at most once per
   * interval.  Apply it with ek_store_apply_batch().
   */
  signals[BATCH] =
    g_signal_new ("batch",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * EkIngest::error:
   * @error: what was wrong with an event that was skipped
   */
  signals[ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * EkIngest::finished:
   *
   * The input was closed and its last batch delivered.
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ek_ingest_init (EkIngest *self)
{
  g_mutex_init (&self->lock);
  self->owner = g_main_context_ref_thread_default ();
  self->queue = g_async_queue_new_full (item_free);
  self->decode_queue = g_async_queue_new_full ((GDestroyNotify) chunk_free);
  self->out = g_array_sized_new (FALSE, FALSE, sizeof (Element), 256);
  g_array_set_clear_func (self->out, element_clear);
  self->interval_ms = EK_INGEST_DEFAULT_INTERVAL_MS;
  self->max_event_size = EK_SSE_DEFAULT_MAX_EVENT_SIZE;
  self->parser = ek_sse_parser_new (on_sse_event, on_sse_error, self);
  self->pending_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  self->coalescer = ek_coalescer_new ();
}

/**
 * ek_ingest_new:
 *
 * Batches will be delivered on the thread-default main context of the
 * caller.
 */
EkIngest *
ek_ingest_new (void)
{
  return g_object_new (EK_TYPE_INGEST, NULL);
}

void
ek_ingest_set_interval (EkIngest *self,
                        guint     interval_ms)
{
  g_return_if_fail (EK_IS_INGEST (self));

  g_mutex_lock (&self->lock);
  if (self->interval_ms == interval_ms)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->interval_ms = interval_ms;
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
ek_ingest_get_interval (EkIngest *self)
{
  g_return_val_if_fail (EK_IS_INGEST (self), 0);
  return self->interval_ms;
}

/**
 * ek_ingest_set_max_event_size:
 *
 * Events larger than this are reported as errors and skipped.  Set it
 * before the first push.
 */
void
ek_ingest_set_max_event_size (EkIngest *self,
                              gsize     max_size)
{
  g_return_if_fail (EK_IS_INGEST (self));
  g_return_if_fail (self->worker == NULL);

  self->max_event_size = max_size;
}

/**
 * ek_ingest_push:
 * @bytes: the next chunk of the stream
 *
 * May be called from any thread.
 */
void
ek_ingest_push (EkIngest *self,
                GBytes   *bytes)
{
  g_return_if_fail (EK_IS_INGEST (self));
  g_return_if_fail (bytes != NULL);

  ensure_worker (self);
  enqueue (self, ITEM_BYTES, g_bytes_ref (bytes));
}

void
ek_ingest_push_data (EkIngest   *self,
                     const char *data,
                     gsize       len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  ek_ingest_push (self, bytes);
}

/**
 * ek_ingest_reset:
 *
 * The connection was lost: forget any partial event (a new connection
 * starts a new stream).  Events already decoded are still delivered.
 */
void
ek_ingest_reset (EkIngest *self)
{
  g_return_if_fail (EK_IS_INGEST (self));

  ensure_worker (self);
  enqueue (self, ITEM_RESET, NULL);
}

/**
 * ek_ingest_close:
 *
 * The input has ended; ::finished follows the last batch.
 */
void
ek_ingest_close (EkIngest *self)
{
  g_return_if_fail (EK_IS_INGEST (self));

  ensure_worker (self);
  enqueue (self, ITEM_CLOSE, NULL);
}

gboolean
ek_ingest_is_finished (EkIngest *self)
{
  g_return_val_if_fail (EK_IS_INGEST (self), FALSE);
  return self->finished;
}

guint64
ek_ingest_get_n_events (EkIngest *self)
{
  guint64 n;

  g_return_val_if_fail (EK_IS_INGEST (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_events;
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
ek_ingest_get_n_errors (EkIngest *self)
{
  guint64 n;

  g_return_val_if_fail (EK_IS_INGEST (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_errors;
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
ek_ingest_get_n_batches (EkIngest *self)
{
  g_return_val_if_fail (EK_IS_INGEST (self), 0);
  return self->n_batches;
}
