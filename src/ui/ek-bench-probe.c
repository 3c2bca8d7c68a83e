/* ek-bench-probe.c: timings of one prompt or one history, for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What build-aux/bench-live needs to know from inside the app, written as
 * JSON lines (one object per event, flushed at once) with the monotonic
 * time `t_us` (CLOCK_MONOTONIC, as Python's time.monotonic()):
 *
 *   start          the probe exists; `pid`
 *   connected      the live source is connected
 *   session        a new session was created for the prompt; `id`
 *   prompt         the prompt is being sent
 *   prompt-sent    the server took it (or `error`)
 *   busy           the session went busy
 *   idle           the session went idle after the prompt's answer
 *                  completed (again, if it went busy once more)
 *   text-on-screen the first frame after idle whose layout had, in every
 *                  text part of the last assistant message, the text the
 *                  store has: `chars`, `after_idle_us`, and
 *                  `after_completed_us` (from the message's
 *                  `time.completed`, on the real-time clock)
 *   history-loaded the selected session's history has arrived
 *   chat-drawn     the first frame that drew rows of that history;
 *                  `messages`, `rows`
 *   scroll-start, scroll-done
 *                  scrolling back through the history (a simulated wheel,
 *                  SCROLL_SPEED pixels a second); `messages` loaded so far
 *   frames         at the end: `start_us` and `before_paint_us`, the start
 *                  of every frame (before-paint) in µs after `start_us`
 *
 * While it runs, a tick callback keeps the frame clock going, as
 * EkFrameStats does, so a long interval between frames is a busy main
 * loop.  With a prompt, the probe is done once the text is on screen and
 * the session has been idle for LINGER_US; with a history only, once the
 * chat was drawn (and the scrolling is over).
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ek-bench-probe.h"
#include "ek-markdown-view.h"
#include "ek-message-row.h"
#include "ek-text-part.h"

/* how long the session stays idle before a prompt run is done */
#define LINGER_US (1000 * G_TIME_SPAN_MILLISECOND)

/* pixels a second when scrolling back, a brisk wheel */
#define SCROLL_SPEED 2500.0

struct _EkBenchProbe
{
  GObject        parent_instance;

  EkWindow      *window;        /* weak */
  FILE          *out;
  gboolean       own_out;
  guint          poll_id;

  /* frames */
  GdkFrameClock *frame_clock;
  gulong         before_id;
  gulong         after_id;
  gulong         realize_id;
  guint          tick_id;
  gint64         start;
  GArray        *frames;        /* gint64, before-paint times */

  /* a prompt */
  char          *prompt;
  GCancellable  *cancellable;
  char          *session_id;
  EkSession     *session;
  gulong         status_id;
  gboolean       connected;
  gboolean       creating;
  gboolean       sent;
  gboolean       busy_seen;
  gint64         idle_at;
  gboolean       check_text;
  gint64         on_screen_at;

  /* a history */
  gboolean       loaded;
  gboolean       check_chat;
  gint64         chat_drawn_at;

  /* scrolling back */
  double         scroll_seconds;
  gint64         scroll_start;
  gint64         scroll_last;
  guint          scroll_tick_id;
  gboolean       scroll_done;
};

G_DEFINE_FINAL_TYPE (EkBenchProbe, ek_bench_probe, G_TYPE_OBJECT)

/* ---- the report ---- */

static JsonBuilder *
begin_event (const char *event,
             gint64      now)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "t_us");
  json_builder_add_int_value (builder, now);
  return builder;
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
end_event (EkBenchProbe *self,
           JsonBuilder  *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  g_object_unref (builder);
  if (self->out == NULL)
    return;
  json_generator_set_root (generator, root);
  line = json_generator_to_data (generator, NULL);
  fprintf (self->out, "%s\n", line);
  fflush (self->out);
}

static void
emit (EkBenchProbe *self,
      const char   *event)
{
  end_event (self, begin_event (event, g_get_monotonic_time ()));
}

/* ---- what is on screen ---- */

static EkMessage *
last_assistant_message (EkSession *session)
{
  GListModel *messages = ek_session_get_messages (session);

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (messages, i - 1);

      if (g_strcmp0 (ek_message_get_role (message), "assistant") == 0)
        return g_steal_pointer (&message);
    }
  return NULL;
}

static gboolean
message_is_over (EkMessage *message)
{
  return message != NULL &&
         (ek_message_get_time_completed (message) > 0 || ek_message_get_error (message) != NULL);
}

static EkMessageRow *
row_of (EkBenchProbe *self,
        EkMessage    *message)
{
  EkChatView *chat_view = ek_window_get_chat_view (self->window);
  g_autoptr(GPtrArray) rows = ek_chat_view_get_rows (chat_view);

  for (guint i = 0; i < rows->len; i++)
    {
      EkMessageRow *row = g_ptr_array_index (rows, i);

      if (ek_message_row_get_message (row) == message)
        return row;
    }
  return NULL;
}

static EkTextPart *
text_part_of (EkMessageRow *row,
              EkPart       *part)
{
  guint n = ek_message_row_get_n_part_widgets (row);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *widget = ek_message_row_get_part_widget (row, i);

      if (EK_IS_TEXT_PART (widget) && ek_part_widget_get_part (EK_PART_WIDGET (widget)) == part)
        return EK_TEXT_PART (widget);
    }
  return NULL;
}

static const char *
shown_text (EkTextPart *text_part)
{
  GtkWidget *view = ek_text_part_get_view (text_part);

  if (EK_IS_MARKDOWN_VIEW (view))
    return ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view));
  if (GTK_IS_LABEL (view))
    return gtk_label_get_text (GTK_LABEL (view));
  return NULL;
}

/* Whether @message is over and every text part of it has its store text
 * in its view, none waits for a throttled redraw or for the layout of
 * what is visible of it, and the chat is not about to scroll; *chars:
 * the length of that text. */
static gboolean
text_is_shown (EkBenchProbe *self,
               EkMessage    *message,
               gsize        *chars)
{
  EkMessageRow *row = row_of (self, message);
  GListModel *parts = ek_message_get_parts (message);
  guint n = g_list_model_get_n_items (parts);
  EkChatView *chat_view = ek_window_get_chat_view (self->window);

  *chars = 0;
  /* the final text: a stream that was cut leaves the message unfinished
   * until the session is fetched again */
  if (row == NULL || !message_is_over (message))
    return FALSE;
  if (ek_sticky_scroll_get_pending (ek_chat_view_get_sticky_scroll (chat_view)))
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkPart) part = g_list_model_get_item (parts, i);
      EkTextPart *text_part;
      const char *want;
      const char *shown;

      if (g_strcmp0 (ek_part_get_part_type (part), "text") != 0)
        continue;
      want = ek_part_get_text (part);
      if (want == NULL || *want == '\0')
        continue;
      text_part = text_part_of (row, part);
      if (text_part == NULL || ek_text_part_get_pending (text_part))
        return FALSE;
      shown = shown_text (text_part);
      if (g_strcmp0 (shown, want) != 0)
        return FALSE;
      *chars += ek_part_get_text_length (part);
    }
  return TRUE;
}

/* ---- the frame clock ---- */

static gboolean
keep_ticking (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
on_before_paint (GdkFrameClock *clock,
                 EkBenchProbe  *self)
{
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (self->frames, now);
  if (self->window == NULL)
    return;

  /* what this frame will lay out and draw */
  if (self->idle_at != 0 && self->on_screen_at == 0 && self->session != NULL)
    {
      g_autoptr(EkMessage) message = last_assistant_message (self->session);
      gsize chars;

      self->check_text = message != NULL && text_is_shown (self, message, &chars);
    }

  if (self->prompt == NULL && self->chat_drawn_at == 0)
    {
      EkSession *session = ek_window_get_session (self->window);
      EkSource *source = ek_window_get_source (self->window);

      if (session != NULL && source != NULL && !self->loaded &&
          ek_source_is_session_loaded (source, session))
        {
          self->loaded = TRUE;
          emit (self, "history-loaded");
        }
      self->check_chat = self->loaded && session != NULL &&
                         g_list_model_get_n_items (ek_session_get_messages (session)) > 0;
    }
}

static void
on_after_paint (GdkFrameClock *clock,
                EkBenchProbe  *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->window == NULL)
    return;

  if (self->check_text && self->on_screen_at == 0)
    {
      g_autoptr(EkMessage) message = last_assistant_message (self->session);
      gsize chars = 0;
      JsonBuilder *builder;

      self->check_text = FALSE;
      if (message == NULL || !text_is_shown (self, message, &chars))
        return;
      self->on_screen_at = now;
      builder = begin_event ("text-on-screen", now);
      add_string (builder, "message", ek_message_get_id (message));
      add_int (builder, "parts", g_list_model_get_n_items (ek_message_get_parts (message)));
      add_int (builder, "chars", chars);
      add_int (builder, "after_idle_us", now - self->idle_at);
      if (ek_message_get_time_completed (message) > 0)
        add_int (builder, "after_completed_us",
                 g_get_real_time () - ek_message_get_time_completed (message) * 1000);
      end_event (self, builder);
    }

  if (self->check_chat && self->chat_drawn_at == 0)
    {
      EkSession *session = ek_window_get_session (self->window);
      g_autoptr(GPtrArray) rows = ek_chat_view_get_rows (ek_window_get_chat_view (self->window));
      JsonBuilder *builder;

      self->check_chat = FALSE;
      if (session == NULL || rows->len == 0)
        return;
      self->chat_drawn_at = now;
      builder = begin_event ("chat-drawn", now);
      add_int (builder, "messages", g_list_model_get_n_items (ek_session_get_messages (session)));
      add_int (builder, "rows", rows->len);
      end_event (self, builder);
    }
}

static void
attach (EkBenchProbe *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->window));

  if (clock == NULL || clock == self->frame_clock)
    return;
  if (self->frame_clock != NULL)
    {
      g_clear_signal_handler (&self->before_id, self->frame_clock);
      g_clear_signal_handler (&self->after_id, self->frame_clock);
      g_clear_object (&self->frame_clock);
    }
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->window), keep_ticking, NULL, NULL);
  self->frame_clock = g_object_ref (clock);
  self->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), self);
  self->after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

static void
on_realize (GtkWidget    *widget,
            EkBenchProbe *self)
{
  attach (self);
}

/* ---- scrolling back ---- */

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  EkBenchProbe *self = user_data;
  EkChatView *chat_view = EK_CHAT_VIEW (widget);
  GtkAdjustment *adjustment = ek_chat_view_get_vadjustment (chat_view);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double value;

  if (self->scroll_last == 0)
    self->scroll_last = now;
  if (g_get_monotonic_time () - self->scroll_start >= (gint64) (self->scroll_seconds * G_USEC_PER_SEC))
    {
      EkSession *session = self->window ? ek_window_get_session (self->window) : NULL;
      JsonBuilder *builder = begin_event ("scroll-done", g_get_monotonic_time ());

      if (session != NULL)
        add_int (builder, "messages", g_list_model_get_n_items (ek_session_get_messages (session)));
      add_double (builder, "value", gtk_adjustment_get_value (adjustment));
      add_double (builder, "upper", gtk_adjustment_get_upper (adjustment));
      end_event (self, builder);
      self->scroll_done = TRUE;
      self->scroll_tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* as a wheel would: the sticky scroll hears of the user's input first */
  ek_sticky_scroll_note_user_scroll (ek_chat_view_get_sticky_scroll (chat_view), -1);
  value = gtk_adjustment_get_value (adjustment) - SCROLL_SPEED * (now - self->scroll_last) / G_USEC_PER_SEC;
  gtk_adjustment_set_value (adjustment, MAX (value, gtk_adjustment_get_lower (adjustment)));
  self->scroll_last = now;
  return G_SOURCE_CONTINUE;
}

static void
start_scrolling (EkBenchProbe *self)
{
  EkSession *session = ek_window_get_session (self->window);
  JsonBuilder *builder;

  self->scroll_start = g_get_monotonic_time ();
  builder = begin_event ("scroll-start", self->scroll_start);
  if (session != NULL)
    add_int (builder, "messages", g_list_model_get_n_items (ek_session_get_messages (session)));
  end_event (self, builder);
  self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (ek_window_get_chat_view (self->window)),
                                                       scroll_tick, self, NULL);
}

/* ---- the prompt ---- */

static void
check_idle (EkBenchProbe *self)
{
  EkSessionStatus status;
  g_autoptr(EkMessage) message = NULL;

  if (self->session == NULL || !self->sent)
    return;
  status = ek_session_get_status (self->session);
  if (status != EK_SESSION_STATUS_IDLE)
    {
      if (!self->busy_seen)
        emit (self, "busy");
      self->busy_seen = TRUE;
      self->idle_at = 0;
      return;
    }
  if (self->idle_at != 0)
    return;
  /* idle once the answer is over (a quick answer may never show busy) */
  message = last_assistant_message (self->session);
  if (!self->busy_seen && !message_is_over (message))
    return;
  if (message == NULL)
    return;
  self->idle_at = g_get_monotonic_time ();
  {
    JsonBuilder *builder = begin_event ("idle", self->idle_at);
    GListModel *parts = ek_message_get_parts (message);

    /* what the answer holds: [type, text length] per part */
    add_string (builder, "message", ek_message_get_id (message));
    json_builder_set_member_name (builder, "parts");
    json_builder_begin_array (builder);
    for (guint i = 0; i < g_list_model_get_n_items (parts); i++)
      {
        g_autoptr(EkPart) part = g_list_model_get_item (parts, i);

        json_builder_begin_array (builder);
        json_builder_add_string_value (builder, ek_part_get_part_type (part));
        json_builder_add_int_value (builder, ek_part_get_text_length (part));
        json_builder_end_array (builder);
      }
    json_builder_end_array (builder);
    end_event (self, builder);
  }
}

static void
on_status (EkSession    *session,
           GParamSpec   *pspec,
           EkBenchProbe *self)
{
  check_idle (self);
}

static void
prompt_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(EkBenchProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  JsonBuilder *builder;

  ek_source_finish (EK_SOURCE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  builder = begin_event ("prompt-sent", g_get_monotonic_time ());
  if (error != NULL)
    add_string (builder, "error", error->message);
  end_event (self, builder);
}

static void
session_created_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(EkBenchProbe) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = ek_source_create_session_finish (EK_SOURCE (object), result, &error);
  JsonBuilder *builder;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->creating = FALSE;
  builder = begin_event ("session", g_get_monotonic_time ());
  if (id != NULL)
    add_string (builder, "id", id);
  else
    add_string (builder, "error", error->message);
  end_event (self, builder);
  if (id == NULL || self->window == NULL)
    return;
  self->session_id = g_steal_pointer (&id);
  ek_window_set_preferred_session (self->window, self->session_id);
}

static gboolean
poll_cb (gpointer user_data)
{
  EkBenchProbe *self = user_data;
  EkSource *source;
  EkSession *session;

  if (self->window == NULL)
    {
      self->poll_id = 0;
      return G_SOURCE_REMOVE;
    }
  source = ek_window_get_source (self->window);

  if (!self->connected && source != NULL && ek_source_get_state (source) == EK_SOURCE_STATE_CONNECTED)
    {
      self->connected = TRUE;
      emit (self, "connected");
    }

  if (self->prompt != NULL)
    {
      if (self->connected && self->session_id == NULL && !self->creating && source != NULL)
        {
          self->creating = TRUE;
          ek_source_create_session_async (source, self->cancellable, session_created_cb, g_object_ref (self));
        }

      session = ek_window_get_session (self->window);
      if (!self->sent && self->session_id != NULL && session != NULL &&
          g_strcmp0 (ek_session_get_id (session), self->session_id) == 0 &&
          ek_source_is_session_loaded (source, session))
        {
          self->session = g_object_ref (session);
          self->status_id = g_signal_connect (session, "notify::status", G_CALLBACK (on_status), self);
          self->sent = TRUE;
          emit (self, "prompt");
          ek_source_send_prompt_async (source, session, self->prompt, NULL, NULL,
                                       self->cancellable, prompt_sent_cb, g_object_ref (self));
        }
      check_idle (self);
    }
  else if (self->scroll_seconds > 0 && self->chat_drawn_at != 0 && self->scroll_start == 0 &&
           ek_window_is_settled (self->window))
    start_scrolling (self);

  return G_SOURCE_CONTINUE;
}

/* ---- GObject ---- */

static void
ek_bench_probe_dispose (GObject *object)
{
  EkBenchProbe *self = EK_BENCH_PROBE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->frame_clock != NULL)
    {
      g_clear_signal_handler (&self->before_id, self->frame_clock);
      g_clear_signal_handler (&self->after_id, self->frame_clock);
      g_clear_object (&self->frame_clock);
    }
  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->status_id, self->session);
      g_clear_object (&self->session);
    }
  if (self->window != NULL)
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (self->window), self->tick_id);
      self->tick_id = 0;
      if (self->scroll_tick_id != 0)
        gtk_widget_remove_tick_callback (GTK_WIDGET (ek_window_get_chat_view (self->window)),
                                         self->scroll_tick_id);
      self->scroll_tick_id = 0;
      g_clear_signal_handler (&self->realize_id, self->window);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }

  G_OBJECT_CLASS (ek_bench_probe_parent_class)->dispose (object);
}

static void
ek_bench_probe_finalize (GObject *object)
{
  EkBenchProbe *self = EK_BENCH_PROBE (object);

  if (self->own_out && self->out != NULL)
    fclose (self->out);
  self->out = NULL;
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->session_id, g_free);

  G_OBJECT_CLASS (ek_bench_probe_parent_class)->finalize (object);
}

static void
ek_bench_probe_class_init (EkBenchProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_bench_probe_dispose;
  object_class->finalize = ek_bench_probe_finalize;
}

static void
ek_bench_probe_init (EkBenchProbe *self)
{
  self->frames = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();
}

/**
 * ek_bench_probe_new:
 * @window: the window to watch
 * @path: (nullable): where the JSON lines go, "-" for standard output,
 *   %NULL for nowhere
 *
 * Returns: (transfer full): the probe, or %NULL with @error set when
 *   @path cannot be opened
 */
EkBenchProbe *
ek_bench_probe_new (EkWindow    *window,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(EkBenchProbe) self = NULL;
  JsonBuilder *builder;

  g_return_val_if_fail (EK_IS_WINDOW (window), NULL);

  self = g_object_new (EK_TYPE_BENCH_PROBE, NULL);
  if (path == NULL)
    self->out = NULL;
  else if (g_strcmp0 (path, "-") == 0)
    self->out = stdout;
  else
    {
      self->out = g_fopen (path, "w");
      if (self->out == NULL)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       "%s: %s", path, g_strerror (saved));
          return NULL;
        }
      self->own_out = TRUE;
    }

  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->realize_id = g_signal_connect (window, "realize", G_CALLBACK (on_realize), self);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    attach (self);

  self->start = g_get_monotonic_time ();
  builder = begin_event ("start", self->start);
  add_int (builder, "pid", getpid ());
  end_event (self, builder);

  self->poll_id = g_timeout_add (50, poll_cb, self);
  return g_steal_pointer (&self);
}

/**
 * ek_bench_probe_set_prompt:
 *
 * Once the window's source is connected: create a session, open it and
 * send @prompt to it.
 */
void
ek_bench_probe_set_prompt (EkBenchProbe *self,
                           const char   *prompt)
{
  g_return_if_fail (EK_IS_BENCH_PROBE (self));

  g_free (self->prompt);
  self->prompt = g_strdup (prompt);
}

/**
 * ek_bench_probe_set_scroll_back:
 *
 * Without a prompt: once the history is drawn and the window settled,
 * scroll back through it for @seconds.
 */
void
ek_bench_probe_set_scroll_back (EkBenchProbe *self,
                                double        seconds)
{
  g_return_if_fail (EK_IS_BENCH_PROBE (self));

  self->scroll_seconds = MAX (seconds, 0);
}

/**
 * ek_bench_probe_is_done:
 *
 * Returns: whether everything to measure has happened: with a prompt,
 *   the answer's text is on screen and the session has been idle for a
 *   second; else the chat has been drawn and scrolled back
 */
gboolean
ek_bench_probe_is_done (EkBenchProbe *self)
{
  g_return_val_if_fail (EK_IS_BENCH_PROBE (self), TRUE);

  if (self->window == NULL)
    return TRUE;
  if (self->prompt != NULL)
    return self->on_screen_at != 0 && self->idle_at != 0 &&
           g_get_monotonic_time () - self->idle_at >= LINGER_US;
  return self->chat_drawn_at != 0 && (self->scroll_seconds <= 0 || self->scroll_done);
}

/**
 * ek_bench_probe_finish:
 *
 * Writes the `frames` line and stops watching.
 */
void
ek_bench_probe_finish (EkBenchProbe *self)
{
  JsonBuilder *builder;

  g_return_if_fail (EK_IS_BENCH_PROBE (self));

  if (self->out == NULL)
    return;
  builder = begin_event ("frames", g_get_monotonic_time ());
  add_int (builder, "start_us", self->start);
  json_builder_set_member_name (builder, "before_paint_us");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->frames->len; i++)
    json_builder_add_int_value (builder, g_array_index (self->frames, gint64, i) - self->start);
  json_builder_end_array (builder);
  end_event (self, builder);

  if (self->own_out)
    fclose (self->out);
  self->out = NULL;
  g_clear_handle_id (&self->poll_id, g_source_remove);
}
