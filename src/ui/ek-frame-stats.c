/* ek-frame-stats.c: how long frames take, measured on the frame clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every frame of the widget's frame clock: the interval since the previous
 * frame began (before-paint to before-paint) and the work it did (update,
 * layout and paint: before-paint to after-paint), on the monotonic clock.
 * The window's first paint is the application starting up: the first
 * interval runs from its end.
 * Debian's GTK has no GDK_DEBUG=frames and Xvfb reports no presentation
 * times, so this is what can be measured there.
 *
 * While it records, a tick callback keeps the frame clock running, as an
 * animation would: a frame is then due every refresh period and a long
 * interval means the main loop was busy (jank), not that nothing needed
 * drawing.
 */

#include "config.h"

#include <math.h>

#include <json-glib/json-glib.h>

#include "ek-frame-stats.h"

struct _EkFrameStats
{
  GObject        parent_instance;

  GtkWidget     *widget;       /* weak */
  GdkFrameClock *frame_clock;
  gulong         before_id;
  gulong         after_id;
  gulong         realize_id;
  guint          tick_id;

  gint64         frame_start;  /* µs, of the frame in progress */
  guint          n_frames;
  gint64         last_start;
  GArray        *intervals;    /* double, ms */
  GArray        *work;         /* double, ms */
};

G_DEFINE_FINAL_TYPE (EkFrameStats, ek_frame_stats, G_TYPE_OBJECT)

static void
on_before_paint (GdkFrameClock *clock,
                 EkFrameStats  *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_start != 0)
    {
      double interval = (now - self->last_start) / 1000.0;

      g_array_append_val (self->intervals, interval);
    }
  /* the first interval is counted from the end of the window's first
   * paint, which is the application starting, not a frame late */
  self->last_start = self->n_frames > 0 ? now : 0;
  self->frame_start = now;
}

static void
on_after_paint (GdkFrameClock *clock,
                EkFrameStats  *self)
{
  double work;

  if (self->frame_start == 0)
    return;
  work = (g_get_monotonic_time () - self->frame_start) / 1000.0;
  g_array_append_val (self->work, work);
  if (self->n_frames++ == 0)
    self->last_start = g_get_monotonic_time ();
  self->frame_start = 0;
}

static gboolean
keep_ticking (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
attach (EkFrameStats *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (self->widget);

  if (clock == NULL || clock == self->frame_clock)
    return;
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (self->widget, keep_ticking, NULL, NULL);
  self->frame_clock = g_object_ref (clock);
  self->before_id = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), self);
  self->after_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

static void
on_realize (GtkWidget    *widget,
            EkFrameStats *self)
{
  attach (self);
}

static void
ek_frame_stats_dispose (GObject *object)
{
  EkFrameStats *self = EK_FRAME_STATS (object);

  if (self->frame_clock != NULL)
    {
      g_clear_signal_handler (&self->before_id, self->frame_clock);
      g_clear_signal_handler (&self->after_id, self->frame_clock);
      g_clear_object (&self->frame_clock);
    }
  if (self->widget != NULL)
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (self->widget, self->tick_id);
      self->tick_id = 0;
      g_clear_signal_handler (&self->realize_id, self->widget);
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      self->widget = NULL;
    }

  G_OBJECT_CLASS (ek_frame_stats_parent_class)->dispose (object);
}

static void
ek_frame_stats_finalize (GObject *object)
{
  EkFrameStats *self = EK_FRAME_STATS (object);

  g_clear_pointer (&self->intervals, g_array_unref);
  g_clear_pointer (&self->work, g_array_unref);

  G_OBJECT_CLASS (ek_frame_stats_parent_class)->finalize (object);
}

static void
ek_frame_stats_class_init (EkFrameStatsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_frame_stats_dispose;
  object_class->finalize = ek_frame_stats_finalize;
}

static void
ek_frame_stats_init (EkFrameStats *self)
{
  self->intervals = g_array_new (FALSE, FALSE, sizeof (double));
  self->work = g_array_new (FALSE, FALSE, sizeof (double));
}

/**
 * ek_frame_stats_new:
 * @widget: a widget (the window) whose frame clock to watch, from when it
 *   is realized
 */
EkFrameStats *
ek_frame_stats_new (GtkWidget *widget)
{
  EkFrameStats *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (EK_TYPE_FRAME_STATS, NULL);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  self->realize_id = g_signal_connect (widget, "realize", G_CALLBACK (on_realize), self);
  if (gtk_widget_get_realized (widget))
    attach (self);
  return self;
}

guint
ek_frame_stats_get_n_frames (EkFrameStats *self)
{
  g_return_val_if_fail (EK_IS_FRAME_STATS (self), 0);
  return self->work->len;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* nearest-rank percentile of sorted values */
static double
percentile (GArray *sorted,
            double  p)
{
  guint rank;

  if (sorted->len == 0)
    return 0;
  rank = (guint) ceil (p * sorted->len);
  rank = CLAMP (rank, 1, sorted->len);
  return g_array_index (sorted, double, rank - 1);
}

static double
round_ms (double value)
{
  return round (value * 1000.0) / 1000.0;
}

static void
add_series (JsonBuilder *builder,
            const char  *name,
            GArray      *values)
{
  g_autoptr(GArray) sorted = g_array_copy (values);
  g_autofree char *member = NULL;

  g_array_sort (sorted, compare_doubles);

  member = g_strdup_printf ("%s_ms", name);
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < values->len; i++)
    json_builder_add_double_value (builder, round_ms (g_array_index (values, double, i)));
  json_builder_end_array (builder);

  g_free (member);
  member = g_strdup_printf ("%s_p50_ms", name);
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, round_ms (percentile (sorted, 0.50)));

  g_free (member);
  member = g_strdup_printf ("%s_p99_ms", name);
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, round_ms (percentile (sorted, 0.99)));

  g_free (member);
  member = g_strdup_printf ("%s_max_ms", name);
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, round_ms (sorted->len ? g_array_index (sorted, double, sorted->len - 1) : 0));
}

/**
 * ek_frame_stats_to_json:
 *
 * Returns: `{"frames":N, "interval_ms":[…], "interval_p50_ms":…,
 *   "interval_p99_ms":…, "interval_max_ms":…, "work_ms":[…],
 *   "work_p50_ms":…, "work_p99_ms":…, "work_max_ms":…}`
 */
char *
ek_frame_stats_to_json (EkFrameStats *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (EK_IS_FRAME_STATS (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "frames");
  json_builder_add_int_value (builder, self->work->len);
  add_series (builder, "interval", self->intervals);
  add_series (builder, "work", self->work);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

gboolean
ek_frame_stats_write (EkFrameStats  *self,
                      const char    *path,
                      GError       **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (EK_IS_FRAME_STATS (self), FALSE);

  text = ek_frame_stats_to_json (self);
  return g_file_set_contents (path, text, -1, error);
}
