/* ek-sticky-scroll.c: keep a scrolled list at its end while it grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two flags.  “sticky”: the user is at the end, so growth scrolls with
 * it; the user scrolling up clears it, coming back to the end sets it
 * again.  “auto-scrolling”: the value is being moved by us, so value
 * changes in that window say nothing about the user.
 *
 * Only the user's input clears “sticky”.  GtkListView moves the value
 * itself when it learns the real height of rows it had estimated, often
 * downwards while a turn streams; such a move, seen while sticky, is
 * answered with another scroll to the end.  The user's input is seen by
 * controllers in the capture phase of the scrolled window (wheel and
 * touchpad, keys, touch) and of its vertical scrollbar (dragging, a click
 * in the trough): a value that goes down during such input, or within
 * USER_INPUT_US after it, is the user's (scroll animations and kinetic
 * scrolling move it a little later).
 *
 * On GTK 4.8, setting the adjustment from notify::upper (which fires
 * during allocation) leaves the list view drawing its top rows, so the
 * scroll happens from a tick callback: the ::scroll-to-end signal lets the
 * owner bring the last row in (`list.scroll-to-item`), then the value goes
 * to upper − page-size; one frame later it is checked again, as the row
 * that came in may have grown the list.
 *
 * The value is only set on a list view that has laid out its rows: on
 * GTK 4.8 a value change finding no row there (the list is empty, hidden
 * in a stack, or its model was just replaced) warns "failed to scroll to
 * given position".  So nothing is set while the widget is unmapped (the
 * scroll waits for ::map), and after ek_sticky_scroll_scroll_to_end() (a
 * new session) only the last row is anchored at first; the value follows
 * a frame later, after a layout.
 */

#include "config.h"

#include "ek-sticky-scroll.h"

/* how close to the end still counts as at the end, in pixels */
#define END_SLACK 24.0

/* how long after the user's input a value change is still theirs */
#define USER_INPUT_US (300 * G_TIME_SPAN_MILLISECOND)

typedef enum
{
  PHASE_NONE,
  PHASE_SCROLL,
  PHASE_SETTLE,
} Phase;

struct _EkStickyScroll
{
  GObject        parent_instance;

  GtkWidget     *widget;      /* weak */
  GtkAdjustment *adjustment;
  GPtrArray     *controllers; /* ours, on the scrolled window and scrollbar */
  guint          tick_id;
  Phase          phase;
  double         last_value;
  gint64         user_until;  /* monotonic time; 0: no recent input */

  guint          sticky : 1;
  guint          auto_scrolling : 1;
  guint          pressed : 1;      /* a button or finger is down on the scroller */
  guint          after_layout : 1; /* set the value after the next layout only */
  guint          on_map : 1;       /* scroll once the widget is mapped */
};

G_DEFINE_FINAL_TYPE (EkStickyScroll, ek_sticky_scroll, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STICKY,
  PROP_AUTO_SCROLLING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SCROLL_TO_END,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_sticky (EkStickyScroll *self,
            gboolean        sticky)
{
  sticky = !!sticky;
  if (self->sticky == sticky)
    return;
  self->sticky = sticky;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STICKY]);
}

static void
set_auto_scrolling (EkStickyScroll *self,
                    gboolean        auto_scrolling)
{
  auto_scrolling = !!auto_scrolling;
  if (self->auto_scrolling == auto_scrolling)
    return;
  self->auto_scrolling = auto_scrolling;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_SCROLLING]);
}

static double
end_value (GtkAdjustment *adjustment)
{
  return MAX (gtk_adjustment_get_lower (adjustment),
              gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
}

static gboolean
is_at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) >= end_value (adjustment) - END_SLACK;
}

static void
stop_ticking (EkStickyScroll *self)
{
  self->phase = PHASE_NONE;
  self->tick_id = 0;
  set_auto_scrolling (self, FALSE);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  EkStickyScroll *self = user_data;

  if (!gtk_widget_get_mapped (widget))
    {
      /* not laid out: again from the start once it shows */
      self->on_map = TRUE;
      self->after_layout = TRUE;
      stop_ticking (self);
      return G_SOURCE_REMOVE;
    }

  if (self->phase == PHASE_SCROLL)
    {
      set_auto_scrolling (self, TRUE);
      g_signal_emit (self, signals[SCROLL_TO_END], 0);
      if (!self->after_layout)
        gtk_adjustment_set_value (self->adjustment, end_value (self->adjustment));
      self->after_layout = FALSE;
      self->last_value = gtk_adjustment_get_value (self->adjustment);
      self->phase = PHASE_SETTLE;
      return G_SOURCE_CONTINUE;
    }

  /* PHASE_SETTLE: the frame after; the list may have moved the value */
  if (self->sticky && !is_at_end (self->adjustment))
    gtk_adjustment_set_value (self->adjustment, end_value (self->adjustment));
  self->last_value = gtk_adjustment_get_value (self->adjustment);
  stop_ticking (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_scroll (EkStickyScroll *self)
{
  self->phase = PHASE_SCROLL;
  if (self->tick_id != 0 || self->widget == NULL)
    return;
  if (!gtk_widget_get_mapped (self->widget))
    {
      self->on_map = TRUE;
      self->after_layout = TRUE;
      self->phase = PHASE_NONE;
      return;
    }
  self->tick_id = gtk_widget_add_tick_callback (self->widget, tick_cb, self, NULL);
}

static void
on_map (GtkWidget      *widget,
        EkStickyScroll *self)
{
  if (!self->on_map)
    return;
  self->on_map = FALSE;
  if (self->sticky)
    {
      self->after_layout = TRUE;
      schedule_scroll (self);
    }
}

static gboolean
is_user_input (EkStickyScroll *self)
{
  return self->pressed ||
         (self->user_until != 0 && g_get_monotonic_time () <= self->user_until);
}

static void
on_value_changed (GtkAdjustment  *adjustment,
                  EkStickyScroll *self)
{
  double value = gtk_adjustment_get_value (adjustment);

  if (!self->auto_scrolling)
    {
      if (is_at_end (adjustment))
        set_sticky (self, TRUE);
      else if (is_user_input (self))
        {
          if (value < self->last_value - 0.5)
            set_sticky (self, FALSE);
        }
      else if (self->sticky)
        /* the list view moved it (new row heights): back to the end */
        schedule_scroll (self);
    }
  self->last_value = value;
}

static void
on_size_changed (GtkAdjustment  *adjustment,
                 GParamSpec     *pspec,
                 EkStickyScroll *self)
{
  if (self->sticky &&
      (self->phase != PHASE_NONE ||
       gtk_adjustment_get_value (adjustment) < end_value (adjustment) - 0.5))
    schedule_scroll (self);
}

/* ---- the user's input ---- */

static void
note_input (EkStickyScroll *self)
{
  self->user_until = g_get_monotonic_time () + USER_INPUT_US;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           EkStickyScroll           *self)
{
  /* downwards scrolling cannot leave the end; at the end, the list's own
   * moves meanwhile must not count */
  if (dy < 0)
    ek_sticky_scroll_note_user_scroll (self, dy);
  return GDK_EVENT_PROPAGATE;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                EkStickyScroll        *self)
{
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      ek_sticky_scroll_note_user_scroll (self, -1);
      break;
    case GDK_KEY_space:
      if (state & GDK_SHIFT_MASK)
        ek_sticky_scroll_note_user_scroll (self, -1);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

/* A button on the scrollbar (dragging the slider, a click in the
 * trough), or a finger on the list: every move meanwhile is the user's. */
static gboolean
on_pointer_event (GtkEventControllerLegacy *controller,
                  GdkEvent                 *event,
                  EkStickyScroll           *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  gboolean on_scrollbar = GTK_IS_SCROLLBAR (widget);

  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
      if (on_scrollbar)
        self->pressed = TRUE;
      break;
    case GDK_TOUCH_BEGIN:
      self->pressed = TRUE;
      break;
    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_END:
    case GDK_TOUCH_CANCEL:
      if (self->pressed)
        note_input (self);
      self->pressed = FALSE;
      break;
    case GDK_MOTION_NOTIFY:
    case GDK_TOUCH_UPDATE:
      if (self->pressed)
        note_input (self);
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
add_controller (EkStickyScroll     *self,
                GtkWidget          *widget,
                GtkEventController *controller)
{
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (widget, controller);
  g_ptr_array_add (self->controllers, g_object_ref (controller));
}

static void
watch_input (EkStickyScroll *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (self->widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *target = scroller != NULL ? scroller : self->widget;
  GtkEventController *controller;

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  add_controller (self, target, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  add_controller (self, target, controller);

  controller = gtk_event_controller_legacy_new ();
  g_signal_connect (controller, "event", G_CALLBACK (on_pointer_event), self);
  add_controller (self, target, controller);

  if (scroller != NULL)
    {
      GtkWidget *scrollbar = gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (scroller));

      controller = gtk_event_controller_legacy_new ();
      g_signal_connect (controller, "event", G_CALLBACK (on_pointer_event), self);
      add_controller (self, scrollbar, controller);
    }
}

static void
unwatch_input (EkStickyScroll *self)
{
  for (guint i = 0; self->controllers != NULL && i < self->controllers->len; i++)
    {
      GtkEventController *controller = g_ptr_array_index (self->controllers, i);
      GtkWidget *widget = gtk_event_controller_get_widget (controller);

      g_signal_handlers_disconnect_by_data (controller, self);
      if (widget != NULL)
        gtk_widget_remove_controller (widget, controller);
    }
  g_clear_pointer (&self->controllers, g_ptr_array_unref);
}

static void
ek_sticky_scroll_dispose (GObject *object)
{
  EkStickyScroll *self = EK_STICKY_SCROLL (object);

  unwatch_input (self);
  if (self->tick_id != 0 && self->widget != NULL)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
  if (self->widget != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->widget, self);
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
    }
  self->widget = NULL;
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  g_clear_object (&self->adjustment);

  G_OBJECT_CLASS (ek_sticky_scroll_parent_class)->dispose (object);
}

static void
ek_sticky_scroll_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EkStickyScroll *self = EK_STICKY_SCROLL (object);

  switch (prop_id)
    {
    case PROP_STICKY:
      g_value_set_boolean (value, self->sticky);
      break;
    case PROP_AUTO_SCROLLING:
      g_value_set_boolean (value, self->auto_scrolling);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_sticky_scroll_class_init (EkStickyScrollClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_sticky_scroll_dispose;
  object_class->get_property = ek_sticky_scroll_get_property;

  /**
   * EkStickyScroll:sticky:
   *
   * Whether the view follows the end as it grows.
   */
  properties[PROP_STICKY] =
    g_param_spec_boolean ("sticky", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkStickyScroll:auto-scrolling:
   *
   * Whether a scroll of ours is under way.
   */
  properties[PROP_AUTO_SCROLLING] =
    g_param_spec_boolean ("auto-scrolling", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * EkStickyScroll::scroll-to-end:
   *
   * Emitted from a tick callback before the value goes to the end: bring
   * the last row into the view here (`list.scroll-to-item`).
   */
  signals[SCROLL_TO_END] =
    g_signal_new ("scroll-to-end",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ek_sticky_scroll_init (EkStickyScroll *self)
{
  self->sticky = TRUE;
  self->controllers = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * ek_sticky_scroll_new:
 * @widget: the scrolled widget, whose frame clock drives the scrolling;
 *   the user's input is watched on its GtkScrolledWindow (put it in one
 *   first), else on @widget itself
 * @adjustment: its vertical adjustment
 */
EkStickyScroll *
ek_sticky_scroll_new (GtkWidget     *widget,
                      GtkAdjustment *adjustment)
{
  EkStickyScroll *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (GTK_IS_ADJUSTMENT (adjustment), NULL);

  self = g_object_new (EK_TYPE_STICKY_SCROLL, NULL);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  self->adjustment = g_object_ref (adjustment);
  self->last_value = gtk_adjustment_get_value (adjustment);
  watch_input (self);
  g_signal_connect (widget, "map", G_CALLBACK (on_map), self);

  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_value_changed), self);
  g_signal_connect (adjustment, "notify::upper", G_CALLBACK (on_size_changed), self);
  g_signal_connect (adjustment, "notify::page-size", G_CALLBACK (on_size_changed), self);
  return self;
}

gboolean
ek_sticky_scroll_get_sticky (EkStickyScroll *self)
{
  g_return_val_if_fail (EK_IS_STICKY_SCROLL (self), FALSE);
  return self->sticky;
}

gboolean
ek_sticky_scroll_get_auto_scrolling (EkStickyScroll *self)
{
  g_return_val_if_fail (EK_IS_STICKY_SCROLL (self), FALSE);
  return self->auto_scrolling;
}

/**
 * ek_sticky_scroll_get_pending:
 *
 * Returns: whether a scroll to the end is scheduled or settling
 */
gboolean
ek_sticky_scroll_get_pending (EkStickyScroll *self)
{
  g_return_val_if_fail (EK_IS_STICKY_SCROLL (self), FALSE);
  return self->tick_id != 0;
}

/**
 * ek_sticky_scroll_scroll_to_end:
 *
 * Goes to the end and follows it from now on (“Jump to latest”, a newly
 * shown session).
 */
void
ek_sticky_scroll_scroll_to_end (EkStickyScroll *self)
{
  g_return_if_fail (EK_IS_STICKY_SCROLL (self));

  set_sticky (self, TRUE);
  /* the content may be new: no value before the list lays it out */
  self->after_layout = TRUE;
  schedule_scroll (self);
}

/**
 * ek_sticky_scroll_note_user_scroll:
 * @dy: the direction asked for: negative towards the start
 *
 * The user asks to scroll (the controllers call this for wheel, touchpad
 * and keys): a value that goes down in the next moment is theirs, and
 * leaves the end.
 */
void
ek_sticky_scroll_note_user_scroll (EkStickyScroll *self,
                                   double          dy)
{
  g_return_if_fail (EK_IS_STICKY_SCROLL (self));

  if (dy < 0)
    note_input (self);
}
