/* ek-chat-view.c: a session's messages, as a list that follows the end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListView over ek_session_get_messages(): one EkMessageRow per
 * message, made once per list item in setup and bound to the item's
 * message; GtkListView recycles the rows.  Whether an assistant row shows
 * its header depends on the message before it, so it is recomputed when a
 * list item's position or item changes.
 *
 * While the user is at the end, the list follows new content
 * (EkStickyScroll); scrolled up, it stays put and “Jump to latest” shows.
 * Near the top, older history is asked of the source (the load-older
 * hook; a recording has it all already).
 *
 * The view's EkStreamClock tells the rows' part widgets what "now" is:
 * the local clock for a live source, the newest time seen for a
 * recording (its running calls would otherwise have run for days).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-chat-view.h"
#include "ek-message-row.h"

struct _EkChatView
{
  GtkWidget                 parent_instance;

  EkSession                *session;
  EkSource                 *source;
  EkStreamClock            *clock;
  GtkNoSelection           *selection;
  EkStickyScroll           *sticky;
  GHashTable               *items;       /* GtkListItem set, those with a row */
  GCancellable             *older_cancellable;
  guint                     headers_id;
  guint                     loading_older : 1;
  guint                     older_exhausted : 1;

  GtkStack                 *stack;
  GtkScrolledWindow        *scroller;
  GtkListView              *list_view;
  GtkSignalListItemFactory *factory;
  GtkRevealer              *jump_revealer;
};

G_DEFINE_FINAL_TYPE (EkChatView, ek_chat_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_assistant (EkMessage *message)
{
  return message != NULL && g_strcmp0 (ek_message_get_role (message), "assistant") == 0;
}

static void
update_item_header (EkChatView  *self,
                    GtkListItem *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  EkMessage *message = gtk_list_item_get_item (item);
  guint position = gtk_list_item_get_position (item);
  gboolean show = TRUE;

  if (row == NULL || message == NULL || position == GTK_INVALID_LIST_POSITION)
    return;

  if (is_assistant (message) && position > 0)
    {
      g_autoptr(EkMessage) previous = g_list_model_get_item (G_LIST_MODEL (self->selection), position - 1);

      show = !is_assistant (previous);
    }
  ek_message_row_set_show_header (EK_MESSAGE_ROW (row), show);
}

static gboolean
update_headers_cb (gpointer user_data)
{
  EkChatView *self = user_data;
  GHashTableIter iter;
  gpointer item;

  self->headers_id = 0;
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    update_item_header (self, item);
  return G_SOURCE_REMOVE;
}

static void
on_item_changed (GtkListItem *item,
                 GParamSpec  *pspec,
                 EkChatView  *self)
{
  update_item_header (self, item);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           EkChatView               *self)
{
  GtkWidget *row = ek_message_row_new ();

  ek_message_row_set_clock (EK_MESSAGE_ROW (row), self->clock);
  gtk_list_item_set_child (item, row);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  g_object_bind_property (item, "item", row, "message", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (item, "notify::position", G_CALLBACK (on_item_changed), self, 0);
  g_signal_connect_object (item, "notify::item", G_CALLBACK (on_item_changed), self, 0);
  g_hash_table_add (self->items, item);
}

static void
teardown_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              EkChatView               *self)
{
  g_signal_handlers_disconnect_by_data (item, self);
  g_hash_table_remove (self->items, item);
}

/* What shows: no session, its history on the way, no messages, or the
 * messages.  A live source loads a session's history after it is opened:
 * until then an empty list says nothing about the session. */
static const char *
get_page (EkChatView *self)
{
  if (self->session == NULL)
    return "no-session";
  if (g_list_model_get_n_items (G_LIST_MODEL (self->selection)) > 0)
    return "messages";
  if (self->source != NULL && !ek_source_is_session_loaded (self->source, self->session))
    return "loading";
  return "empty";
}

static void
update_page (EkChatView *self)
{
  const char *page = get_page (self);

  /* The status pages cross-fade; the conversation shows at once: fading a
   * page of text costs a whole-window blend a frame (with the cairo
   * renderer, 15 to 50 ms each), just when its first layout is due. */
  if (g_strcmp0 (page, "messages") == 0 ||
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "messages") == 0)
    gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
on_messages_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     EkChatView *self)
{
  update_page (self);
  if (self->headers_id == 0)
    self->headers_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_headers_cb, self, NULL);
}

static void
on_scroll_to_end (EkStickyScroll *sticky,
                  EkChatView     *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
}

static void
on_sticky_changed (EkStickyScroll *sticky,
                   GParamSpec     *pspec,
                   EkChatView     *self)
{
  gtk_revealer_set_reveal_child (self->jump_revealer, !ek_sticky_scroll_get_sticky (sticky));
}

static void
load_older_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(EkChatView) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean more;

  more = ek_source_finish (EK_SOURCE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading_older = FALSE;
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        g_debug ("Could not load older messages: %s", error->message);
      self->older_exhausted = TRUE;
      return;
    }
  self->older_exhausted = !more;
}

/* Older history is wanted once the view is within five screens of the
 * top: the page then lands well above what is shown, where the list
 * builds fewer of its rows at once, and is there before it is reached. */
static void
maybe_load_older (EkChatView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  if (self->session == NULL || self->source == NULL ||
      self->loading_older || self->older_exhausted)
    return;
  if (gtk_adjustment_get_value (adjustment) > 5 * gtk_adjustment_get_page_size (adjustment))
    return;

  self->loading_older = TRUE;
  ek_source_load_older_async (self->source, self->session, self->older_cancellable,
                              load_older_cb, g_object_ref (self));
}

static void
on_value_changed (GtkAdjustment *adjustment,
                  EkChatView    *self)
{
  maybe_load_older (self);
}

static void
reset_older (EkChatView *self)
{
  g_cancellable_cancel (self->older_cancellable);
  g_clear_object (&self->older_cancellable);
  self->older_cancellable = g_cancellable_new ();
  self->loading_older = FALSE;
  self->older_exhausted = FALSE;
}

static void
on_source_state (EkSource   *source,
                 GParamSpec *pspec,
                 EkChatView *self)
{
  EkSourceState state = ek_source_get_state (source);

  ek_stream_clock_set_recorded (self->clock,
                                state == EK_SOURCE_STATE_REPLAYING ||
                                state == EK_SOURCE_STATE_REPLAYED);
}

static void
on_session_loaded (EkSource   *source,
                   EkSession  *session,
                   EkChatView *self)
{
  if (session == self->session)
    update_page (self);
}

static void
on_session_updated (EkSession  *session,
                    GParamSpec *pspec,
                    EkChatView *self)
{
  ek_stream_clock_note (self->clock, ek_session_get_time_updated (session));
}

static void
jump_to_latest (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EkChatView *self = EK_CHAT_VIEW (widget);

  ek_sticky_scroll_scroll_to_end (self->sticky);
}

static void
ek_chat_view_dispose (GObject *object)
{
  EkChatView *self = EK_CHAT_VIEW (object);

  g_clear_handle_id (&self->headers_id, g_source_remove);
  if (self->older_cancellable != NULL)
    g_cancellable_cancel (self->older_cancellable);
  g_clear_object (&self->older_cancellable);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->sticky);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_CHAT_VIEW);
  g_clear_object (&self->selection);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->session);
  g_clear_object (&self->source);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (ek_chat_view_parent_class)->dispose (object);
}

static void
ek_chat_view_finalize (GObject *object)
{
  EkChatView *self = EK_CHAT_VIEW (object);

  g_clear_pointer (&self->items, g_hash_table_unref);

  G_OBJECT_CLASS (ek_chat_view_parent_class)->finalize (object);
}

static void
ek_chat_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  EkChatView *self = EK_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_chat_view_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  EkChatView *self = EK_CHAT_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      ek_chat_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_SOURCE:
      ek_chat_view_set_source (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_chat_view_class_init (EkChatViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_chat_view_dispose;
  object_class->finalize = ek_chat_view_finalize;
  object_class->get_property = ek_chat_view_get_property;
  object_class->set_property = ek_chat_view_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, EK_TYPE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-chat-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EkChatView, stack);
  gtk_widget_class_bind_template_child (widget_class, EkChatView, scroller);
  gtk_widget_class_bind_template_child (widget_class, EkChatView, list_view);
  gtk_widget_class_bind_template_child (widget_class, EkChatView, factory);
  gtk_widget_class_bind_template_child (widget_class, EkChatView, jump_revealer);

  gtk_widget_class_install_action (widget_class, "chat.jump-to-latest", NULL, jump_to_latest);
}

static void
ek_chat_view_init (EkChatView *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_hash_table_new (NULL, NULL);
  self->clock = ek_stream_clock_new ();
  self->older_cancellable = g_cancellable_new ();
  self->selection = gtk_no_selection_new (NULL);
  g_signal_connect_after (self->selection, "items-changed", G_CALLBACK (on_messages_changed), self);
  g_signal_connect (self->factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (self->factory, "teardown", G_CALLBACK (teardown_row), self);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  self->sticky = ek_sticky_scroll_new (GTK_WIDGET (self->list_view), adjustment);
  g_signal_connect (self->sticky, "scroll-to-end", G_CALLBACK (on_scroll_to_end), self);
  g_signal_connect (self->sticky, "notify::sticky", G_CALLBACK (on_sticky_changed), self);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_value_changed), self);

  update_page (self);
}

GtkWidget *
ek_chat_view_new (void)
{
  return g_object_new (EK_TYPE_CHAT_VIEW, NULL);
}

EkSession *
ek_chat_view_get_session (EkChatView *self)
{
  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), NULL);
  return self->session;
}

void
ek_chat_view_set_session (EkChatView *self,
                          EkSession  *session)
{
  g_return_if_fail (EK_IS_CHAT_VIEW (self));
  g_return_if_fail (session == NULL || EK_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  ek_stream_clock_reset (self->clock);
  if (session != NULL)
    {
      g_signal_connect (session, "notify::time-updated", G_CALLBACK (on_session_updated), self);
      on_session_updated (session, NULL, self);
    }

  reset_older (self);
  gtk_no_selection_set_model (self->selection, session ? ek_session_get_messages (session) : NULL);
  update_page (self);
  ek_sticky_scroll_scroll_to_end (self->sticky);
  /* a short history does not scroll, so ask for older pages now */
  maybe_load_older (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EkSource *
ek_chat_view_get_source (EkChatView *self)
{
  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), NULL);
  return self->source;
}

void
ek_chat_view_set_source (EkChatView *self,
                         EkSource   *source)
{
  g_return_if_fail (EK_IS_CHAT_VIEW (self));
  g_return_if_fail (source == NULL || EK_IS_SOURCE (source));

  if (self->source == source)
    return;
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    {
      g_signal_connect (source, "notify::state", G_CALLBACK (on_source_state), self);
      g_signal_connect (source, "session-loaded", G_CALLBACK (on_session_loaded), self);
      on_source_state (source, NULL, self);
    }
  else
    ek_stream_clock_set_recorded (self->clock, FALSE);
  reset_older (self);
  update_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

/**
 * ek_chat_view_get_page:
 *
 * Returns: what the view shows: "no-session", "loading" (the session's
 *   history is on its way), "empty" or "messages"
 */
const char *
ek_chat_view_get_page (EkChatView *self)
{
  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkListView *
ek_chat_view_get_list_view (EkChatView *self)
{
  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), NULL);
  return self->list_view;
}

EkStickyScroll *
ek_chat_view_get_sticky_scroll (EkChatView *self)
{
  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), NULL);
  return self->sticky;
}

GtkAdjustment *
ek_chat_view_get_vadjustment (EkChatView *self)
{
  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), NULL);
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (EK_IS_MESSAGE_ROW (child))
        {
          if (ek_message_row_get_message (EK_MESSAGE_ROW (child)) != NULL)
            g_ptr_array_add (rows, child);
        }
      else
        collect_rows (child, rows);
    }
}

/**
 * ek_chat_view_get_rows:
 *
 * Returns: (transfer container) (element-type EkMessageRow): the rows the
 *   list view has made and bound now (those near the visible part)
 */
GPtrArray *
ek_chat_view_get_rows (EkChatView *self)
{
  GPtrArray *rows = g_ptr_array_new ();

  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), rows);

  collect_rows (GTK_WIDGET (self->list_view), rows);
  return rows;
}

/**
 * ek_chat_view_get_clock:
 *
 * Returns: (transfer none): what "now" is for the rows' elapsed times
 */
EkStreamClock *
ek_chat_view_get_clock (EkChatView *self)
{
  g_return_val_if_fail (EK_IS_CHAT_VIEW (self), NULL);
  return self->clock;
}
