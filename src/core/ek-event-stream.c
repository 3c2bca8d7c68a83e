/* ek-event-stream.c: the server's /event stream, kept alive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads `GET /event?directory=D` with libsoup and hands the bytes to an
 * EkIngest, whose worker parses, decodes and coalesces them; batches come
 * back on this thread as ::batch.  The stream never gives up by itself:
 * after an end, an error, 25 s without a byte, or the server saying the
 * instance is disposed, it connects again after a backoff (250 ms,
 * doubling to 5 s, reset once connected); after a connection attempt the
 * server did not answer in 10 s, at once.  Only a 401 stops it, until
 * the credentials change and ek_event_stream_start() is called again.
 *
 * The server replays nothing after a disconnect: whoever owns the store
 * refetches on every ::server-connected (see EkConnection).
 */

#include "config.h"

#include "ek-event-private.h"
#include "ek-event-stream.h"
#include "ek-ingest.h"

#define READ_SIZE (64 * 1024)

/* Reads wait for the frames GTK draws (its redraw is G_PRIORITY_HIGH_IDLE
 * + 20): a stream that never pauses must not hold the window back. */
#define READ_PRIORITY G_PRIORITY_DEFAULT_IDLE

/* Read buffers go round: filled on this thread, parsed on the ingest's
 * worker, then handed back for the next read.  So following a fast
 * stream allocates nothing and touches no fresh memory on this thread
 * (a fresh 64 KiB malloc costs more here than reading into it). */
typedef struct _BlockPool BlockPool;

typedef struct
{
  BlockPool *pool;
  guint8     data[READ_SIZE];
} Block;

struct _BlockPool
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  GPtrArray       *spare;   /* of Block */
};

/* enough for the reads the worker may be behind by; more are freed */
#define MAX_SPARE_BLOCKS 16

static BlockPool *
block_pool_new (void)
{
  BlockPool *pool = g_new0 (BlockPool, 1);

  g_atomic_ref_count_init (&pool->ref_count);
  g_mutex_init (&pool->lock);
  pool->spare = g_ptr_array_new_with_free_func (g_free);
  return pool;
}

static void
block_pool_unref (BlockPool *pool)
{
  if (!g_atomic_ref_count_dec (&pool->ref_count))
    return;
  g_ptr_array_unref (pool->spare);
  g_mutex_clear (&pool->lock);
  g_free (pool);
}

static Block *
block_take (BlockPool *pool)
{
  Block *block = NULL;

  g_mutex_lock (&pool->lock);
  if (pool->spare->len > 0)
    block = g_ptr_array_steal_index_fast (pool->spare, pool->spare->len - 1);
  g_mutex_unlock (&pool->lock);

  if (block == NULL)
    block = g_new (Block, 1);
  g_atomic_ref_count_inc (&pool->ref_count);
  block->pool = pool;
  return block;
}

/* From any thread, as the GBytes over a block is let go. */
static void
block_release (gpointer data)
{
  Block *block = data;
  BlockPool *pool = block->pool;

  g_mutex_lock (&pool->lock);
  if (pool->spare->len < MAX_SPARE_BLOCKS)
    g_ptr_array_add (pool->spare, g_steal_pointer (&block));
  g_mutex_unlock (&pool->lock);

  g_free (block);
  block_pool_unref (pool);
}

/* a server that accepts the connection but never answers (opencode does
 * that for a moment while it starts, and for minutes while it turns a
 * flood of model output into events) counts as down after this long, or
 * after the dead-stream time if that is shorter */
#define CONNECT_TIMEOUT_MS 10000

struct _EkEventStream
{
  GObject        parent_instance;

  EkClient      *client;
  SoupSession   *soup;
  EkIngest      *ingest;
  BlockPool     *blocks;

  EkStreamState  state;
  char          *last_error;
  gboolean       running;

  /* the current connection */
  GCancellable  *cancellable;
  SoupMessage   *message;
  GInputStream  *body;
  gint64         last_byte;     /* monotonic µs */
  guint          watchdog_id;
  guint          connect_timeout_id;
  guint          retry_id;
  guint          backoff_ms;
  guint64        n_reads;
  guint          dead_after_ms;
  guint          n_connects;
};

G_DEFINE_FINAL_TYPE (EkEventStream, ek_event_stream, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (EkStreamState, ek_stream_state,
  G_DEFINE_ENUM_VALUE (EK_STREAM_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (EK_STREAM_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (EK_STREAM_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (EK_STREAM_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (EK_STREAM_STATE_UNAUTHORIZED, "unauthorized"),
  G_DEFINE_ENUM_VALUE (EK_STREAM_STATE_FAILED, "failed"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  BATCH,
  SERVER_CONNECTED,
  EVENT_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void connect_now (EkEventStream *self);

static void
set_state (EkEventStream *self,
           EkStreamState  state,
           const char    *error)
{
  if (g_strcmp0 (self->last_error, error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/* Drops the current connection, if any, without touching the state. */
static void
drop_connection (EkEventStream *self)
{
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->message);
  g_clear_object (&self->body);
}

static gboolean
on_retry (gpointer user_data)
{
  EkEventStream *self = user_data;

  self->retry_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

/* The connection ended or failed: try again after the backoff, or at
 * once when the failure itself took its time (a server that said nothing
 * for as long as we wait): a server that is stuck for a while is asked
 * again all along, so the stream comes back as soon as it is free again,
 * not up to a backoff later. */
static void
reconnect (EkEventStream *self,
           const char    *why,
           gboolean       waited)
{
  guint delay = waited ? 0 : self->backoff_ms;

  drop_connection (self);
  if (!self->running)
    return;

  g_debug ("Event stream lost (%s); reconnecting in %u ms", why, delay);
  set_state (self, EK_STREAM_STATE_RECONNECTING, why);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (delay, on_retry, self);
  if (!waited)
    self->backoff_ms = MIN (self->backoff_ms * 2, EK_STREAM_MAX_BACKOFF_MS);
}

static void
schedule_reconnect (EkEventStream *self,
                    const char    *why)
{
  reconnect (self, why, FALSE);
}

static gboolean
on_watchdog (gpointer user_data)
{
  EkEventStream *self = user_data;
  gint64 silent_ms = (g_get_monotonic_time () - self->last_byte) / 1000;

  if (silent_ms < self->dead_after_ms)
    return G_SOURCE_CONTINUE;

  self->watchdog_id = 0;
  schedule_reconnect (self, "no data for too long");
  return G_SOURCE_REMOVE;
}

static void read_next (EkEventStream *self);

static gboolean
on_connect_timeout (gpointer user_data)
{
  EkEventStream *self = user_data;

  self->connect_timeout_id = 0;
  reconnect (self, "the server did not answer", TRUE);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  EkEventStream *self;
  Block         *block;
} Read;

/* Reads on, without waiting, what the socket already has, into @data:
 * opencode writes every event on its own, and a read per event (each a
 * GTask and a main loop dispatch) costs more than the parsing.  An error
 * or the end is left for the next read to report. */
static gsize
drain (EkEventStream *self,
       guint8        *data,
       gsize          size)
{
  GPollableInputStream *pollable;
  gsize total = 0;

  if (!G_IS_POLLABLE_INPUT_STREAM (self->body))
    return 0;
  pollable = G_POLLABLE_INPUT_STREAM (self->body);
  if (!g_pollable_input_stream_can_poll (pollable))
    return 0;

  while (total < size)
    {
      gssize n = g_pollable_input_stream_read_nonblocking (pollable, data + total, size - total,
                                                           NULL, NULL);
      if (n <= 0)
        break;
      total += n;
    }
  return total;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(EkEventStream) self = read->self;
  Block *block = read->block;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gssize n;

  g_free (read);
  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0 || (GInputStream *) source != self->body)
    {
      block_release (block);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          (GInputStream *) source != self->body)
        return; /* a connection we already dropped */
      schedule_reconnect (self, n < 0 ? error->message : "the server ended the stream");
      return;
    }

  self->last_byte = g_get_monotonic_time ();
  self->n_reads++;
  n += drain (self, block->data + n, READ_SIZE - n);
  bytes = g_bytes_new_with_free_func (block->data, n, block_release, block);
  ek_ingest_push (self->ingest, bytes);
  read_next (self);
}

static void
read_next (EkEventStream *self)
{
  Read *read = g_new (Read, 1);

  read->self = g_object_ref (self);
  read->block = block_take (self->blocks);
  g_input_stream_read_async (self->body, read->block->data, READ_SIZE, READ_PRIORITY,
                             self->cancellable, on_read, read);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(EkEventStream) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) body = NULL;
  SoupMessage *message;
  guint status;

  body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  if (message != self->message)
    return;
  g_clear_handle_id (&self->connect_timeout_id, g_source_remove);

  if (body == NULL)
    {
      schedule_reconnect (self, error->message);
      return;
    }

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      drop_connection (self);
      self->running = FALSE;
      set_state (self, EK_STREAM_STATE_UNAUTHORIZED,
                 ek_client_has_password (self->client)
                 ? "The server refused the password"
                 : "The server wants a password");
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      g_autofree char *why = g_strdup_printf ("The server answered %u %s to the event stream",
                                              status, soup_message_get_reason_phrase (message));
      /* a server that is starting or restarting answers 5xx for a moment */
      if (SOUP_STATUS_IS_SERVER_ERROR (status))
        schedule_reconnect (self, why);
      else
        {
          drop_connection (self);
          self->running = FALSE;
          set_state (self, EK_STREAM_STATE_FAILED, why);
        }
      return;
    }

  /* connected: a fresh stream for the parser, and the backoff starts over */
  self->n_connects++;
  self->backoff_ms = EK_STREAM_MIN_BACKOFF_MS;
  self->body = g_steal_pointer (&body);
  self->last_byte = g_get_monotonic_time ();
  ek_ingest_reset (self->ingest);
  set_state (self, EK_STREAM_STATE_CONNECTED, NULL);

  self->watchdog_id = g_timeout_add (MIN (1000, MAX (self->dead_after_ms / 4, 10)), on_watchdog, self);
  read_next (self);
}

static void
connect_now (EkEventStream *self)
{
  g_autoptr(GError) error = NULL;

  drop_connection (self);

  self->message = ek_client_new_message (self->client, "GET", "/event", NULL, &error);
  if (self->message == NULL)
    {
      self->running = FALSE;
      set_state (self, EK_STREAM_STATE_FAILED, error->message);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (self->message),
                                "Accept", "text/event-stream");

  if (self->state != EK_STREAM_STATE_RECONNECTING)
    set_state (self, EK_STREAM_STATE_CONNECTING, NULL);

  self->cancellable = g_cancellable_new ();
  self->connect_timeout_id = g_timeout_add (MIN (CONNECT_TIMEOUT_MS, self->dead_after_ms),
                                            on_connect_timeout, self);
  soup_session_send_async (self->soup, self->message, G_PRIORITY_DEFAULT,
                           self->cancellable, on_sent, g_object_ref (self));
}

static void
on_batch (EkIngest      *ingest,
          GPtrArray     *batch,
          EkEventStream *self)
{
  gboolean connected = FALSE;
  gboolean disposed = FALSE;

  for (guint i = 0; i < batch->len; i++)
    {
      EkEvent *event = g_ptr_array_index (batch, i);

      if (event->kind == EK_EVENT_SERVER_CONNECTED)
        connected = TRUE;
      else if (event->kind == EK_EVENT_SERVER_INSTANCE_DISPOSED)
        disposed = TRUE;
    }

  g_signal_emit (self, signals[BATCH], 0, batch);

  if (connected)
    g_signal_emit (self, signals[SERVER_CONNECTED], 0);
  if (disposed && self->running)
    {
      /* the server closes the stream next; don't wait for it */
      self->backoff_ms = EK_STREAM_MIN_BACKOFF_MS;
      schedule_reconnect (self, "the server disposed of the instance");
    }
}

static void
on_ingest_error (EkIngest      *ingest,
                 const GError  *error,
                 EkEventStream *self)
{
  g_signal_emit (self, signals[EVENT_ERROR], 0, error);
}

static void
ek_event_stream_dispose (GObject *object)
{
  EkEventStream *self = EK_EVENT_STREAM (object);

  self->running = FALSE;
  drop_connection (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->ingest != NULL)
    g_signal_handlers_disconnect_by_data (self->ingest, self);
  g_clear_object (&self->ingest);
  g_clear_object (&self->soup);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ek_event_stream_parent_class)->dispose (object);
}

static void
ek_event_stream_finalize (GObject *object)
{
  EkEventStream *self = EK_EVENT_STREAM (object);

  g_free (self->last_error);
  g_clear_pointer (&self->blocks, block_pool_unref);

  G_OBJECT_CLASS (ek_event_stream_parent_class)->finalize (object);
}

static void
ek_event_stream_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EkEventStream *self = EK_EVENT_STREAM (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_event_stream_class_init (EkEventStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_event_stream_dispose;
  object_class->finalize = ek_event_stream_finalize;
  object_class->get_property = ek_event_stream_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, EK_TYPE_STREAM_STATE, EK_STREAM_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkEventStream:last-error:
   *
   * Why the stream is not connected, in words; %NULL while connected.
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EkEventStream::batch:
   * @batch: (element-type EkEvent): coalesced events, in order
   */
  signals[BATCH] =
    g_signal_new ("batch",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * EkEventStream::server-connected:
   *
   * A `server.connected` event was delivered (after its ::batch): the
   * first of a new connection.  Nothing before it was replayed, so this
   * is when to refetch.
   */
  signals[SERVER_CONNECTED] =
    g_signal_new ("server-connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * EkEventStream::event-error:
   * @error: why an event was skipped
   */
  signals[EVENT_ERROR] =
    g_signal_new ("event-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ek_event_stream_init (EkEventStream *self)
{
  self->backoff_ms = EK_STREAM_MIN_BACKOFF_MS;
  self->dead_after_ms = EK_STREAM_DEAD_AFTER_MS;
  /* its own session: the REST client's timeouts would cut a long stream;
   * liveness is the watchdog's job here */
  self->soup = soup_session_new_with_options ("timeout", 0, "idle-timeout", 0,
                                              "user-agent", "ekacode/" PACKAGE_VERSION,
                                              NULL);
  self->ingest = ek_ingest_new ();
  self->blocks = block_pool_new ();
  g_signal_connect (self->ingest, "batch", G_CALLBACK (on_batch), self);
  g_signal_connect (self->ingest, "error", G_CALLBACK (on_ingest_error), self);
}

EkEventStream *
ek_event_stream_new (EkClient *client)
{
  EkEventStream *self;

  g_return_val_if_fail (EK_IS_CLIENT (client), NULL);

  self = g_object_new (EK_TYPE_EVENT_STREAM, NULL);
  self->client = g_object_ref (client);
  return self;
}

/**
 * ek_event_stream_start:
 *
 * Connects, and keeps connecting until stopped (or refused with 401).
 */
void
ek_event_stream_start (EkEventStream *self)
{
  g_return_if_fail (EK_IS_EVENT_STREAM (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->backoff_ms = EK_STREAM_MIN_BACKOFF_MS;
  set_state (self, EK_STREAM_STATE_CONNECTING, NULL);
  connect_now (self);
}

void
ek_event_stream_stop (EkEventStream *self)
{
  g_return_if_fail (EK_IS_EVENT_STREAM (self));

  self->running = FALSE;
  drop_connection (self);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_state (self, EK_STREAM_STATE_IDLE, NULL);
}

/**
 * ek_event_stream_reconnect:
 *
 * Drops the connection and connects again now (a "Retry" button).
 */
void
ek_event_stream_reconnect (EkEventStream *self)
{
  g_return_if_fail (EK_IS_EVENT_STREAM (self));

  self->running = TRUE;
  self->backoff_ms = EK_STREAM_MIN_BACKOFF_MS;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  connect_now (self);
}

EkStreamState
ek_event_stream_get_state (EkEventStream *self)
{
  g_return_val_if_fail (EK_IS_EVENT_STREAM (self), EK_STREAM_STATE_IDLE);
  return self->state;
}

const char *
ek_event_stream_get_last_error (EkEventStream *self)
{
  g_return_val_if_fail (EK_IS_EVENT_STREAM (self), NULL);
  return self->last_error;
}

guint64
ek_event_stream_get_n_events (EkEventStream *self)
{
  g_return_val_if_fail (EK_IS_EVENT_STREAM (self), 0);
  return ek_ingest_get_n_events (self->ingest);
}

guint
ek_event_stream_get_n_connects (EkEventStream *self)
{
  g_return_val_if_fail (EK_IS_EVENT_STREAM (self), 0);
  return self->n_connects;
}

/**
 * ek_event_stream_set_dead_after:
 * @ms: how long a silent stream counts as alive (25 s by default; the
 *   server sends a heartbeat every 10 s)
 */
void
ek_event_stream_set_dead_after (EkEventStream *self,
                                guint          ms)
{
  g_return_if_fail (EK_IS_EVENT_STREAM (self));
  self->dead_after_ms = ms;
}

/**
 * ek_event_stream_get_n_reads:
 *
 * Returns: how many times the stream was read from the main loop since it
 *   was created (each takes what the socket has, up to 64 KiB)
 */
guint64
ek_event_stream_get_n_reads (EkEventStream *self)
{
  g_return_val_if_fail (EK_IS_EVENT_STREAM (self), 0);
  return self->n_reads;
}
