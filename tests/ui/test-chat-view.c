/* test-chat-view.c: the chat view on its own: following the end, switching
 * sessions, the loading page, the tool cards' icons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sessions come from the recorded fixtures (session.json and
 * messages.json) through a source of the test's own, whose histories
 * arrive when the test says so.  Runs under a private session bus and
 * Xvfb (see meson.build); warnings are fatal (gtk_test_init).
 */

#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "ek-chat-view.h"
#include "ek-source.h"
#include "ek-sticky-scroll.h"
#include "ek-tool-part.h"
#include "ek-ui-util.h"
#include "ek-ui-test-util.h"

/* ---- a source whose histories arrive when the test says so ---- */

#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, GObject)

struct _TestSource
{
  GObject     parent_instance;

  EkStore    *store;
  GHashTable *loaded;  /* session ids */
};

static void test_source_iface_init (EkSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSource, test_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EK_TYPE_SOURCE, test_source_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATE,
  PROP_DESCRIPTION,
  PROP_READ_ONLY_REASON,
};

static EkStore *
test_source_get_store (EkSource *source)
{
  return TEST_SOURCE (source)->store;
}

static EkSourceState
test_source_get_state (EkSource *source)
{
  return EK_SOURCE_STATE_CONNECTED;
}

static gboolean
test_source_is_session_loaded (EkSource  *source,
                               EkSession *session)
{
  return g_hash_table_contains (TEST_SOURCE (source)->loaded, ek_session_get_id (session));
}

static void
test_source_iface_init (EkSourceInterface *iface)
{
  iface->get_store = test_source_get_store;
  iface->get_state = test_source_get_state;
  iface->is_session_loaded = test_source_is_session_loaded;
}

static void
test_source_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TestSource *self = TEST_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, EK_SOURCE_STATE_CONNECTED);
      break;
    case PROP_DESCRIPTION:
    case PROP_READ_ONLY_REASON:
      g_value_set_string (value, NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_source_finalize (GObject *object)
{
  TestSource *self = TEST_SOURCE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->loaded, g_hash_table_unref);

  G_OBJECT_CLASS (test_source_parent_class)->finalize (object);
}

static void
test_source_class_init (TestSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = test_source_finalize;
  object_class->get_property = test_source_get_property;
  g_object_class_override_property (object_class, PROP_STORE, "store");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_DESCRIPTION, "description");
  g_object_class_override_property (object_class, PROP_READ_ONLY_REASON, "read-only-reason");
}

static void
test_source_init (TestSource *self)
{
  self->store = ek_store_new ();
  self->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* The history of @session_id has arrived: ::session-loaded. */
static void
test_source_set_loaded (TestSource *self,
                        const char *session_id)
{
  EkSession *session = ek_store_lookup_session (self->store, session_id);

  g_hash_table_add (self->loaded, g_strdup (session_id));
  g_assert_nonnull (session);
  g_signal_emit_by_name (self, "session-loaded", session);
}

/* ---- helpers ---- */

static JsonNode *
load_json (const char *fixture,
           const char *file)
{
  const char *dir = g_getenv ("EK_FIXTURES_DIR");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (dir != NULL)
    path = g_build_filename (dir, fixture, file, NULL);
  else
    path = g_test_build_filename (G_TEST_DIST, "..", "fixtures", fixture, file, NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* Adds the fixture's session to @self's store, with its messages when
 * @with_messages, or under another @id without them.  Returns the
 * session's id. */
static char *
add_session (TestSource *self,
             const char *fixture,
             const char *id,
             gboolean    with_messages)
{
  g_autoptr(JsonNode) session = load_json (fixture, "session.json");
  g_autoptr(JsonArray) sessions = json_array_new ();
  JsonObject *object = json_node_get_object (session);

  if (id != NULL)
    json_object_set_string_member (object, "id", id);
  json_array_add_element (sessions, json_node_copy (session));
  ek_store_sync_sessions (self->store, sessions, ek_store_get_mark (self->store), FALSE);
  if (with_messages)
    {
      g_autoptr(JsonNode) messages = load_json (fixture, "messages.json");

      g_assert_null (id); /* the messages name their session */
      ek_store_sync_history (self->store, json_object_get_string_member (object, "id"),
                             json_node_get_array (messages),
                             ek_store_get_mark (self->store), EK_SYNC_WHOLE);
    }
  return g_strdup (json_object_get_string_member (object, "id"));
}

/* Runs @n frames of @widget's frame clock. */
static void
frames (GtkWidget *widget,
        guint      n)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gint64 start;

  g_assert_nonnull (clock);
  start = gdk_frame_clock_get_frame_counter (clock);
  while (gdk_frame_clock_get_frame_counter (clock) < start + n)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
adjustment_at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1;
}

static gboolean
settled (gpointer data)
{
  EkChatView *chat = data;

  return !ek_sticky_scroll_get_pending (ek_chat_view_get_sticky_scroll (chat));
}

typedef struct
{
  GtkWidget  *window;
  EkChatView *chat;
  TestSource *source;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->source = g_object_new (TEST_TYPE_SOURCE, NULL);
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  fixture->chat = EK_CHAT_VIEW (ek_chat_view_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->chat));
  ek_chat_view_set_source (fixture->chat, EK_SOURCE (fixture->source));
  gtk_window_present (GTK_WINDOW (fixture->window));
  frames (fixture->window, 2);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  ek_ui_test_spin (20);
  g_clear_object (&fixture->source);
}

static void
show_session (Fixture    *fixture,
              const char *id)
{
  EkSession *session = ek_store_lookup_session (fixture->source->store, id);

  g_assert_nonnull (session);
  ek_source_open_session (EK_SOURCE (fixture->source), session);
  ek_chat_view_set_session (fixture->chat, session);
}

/* ---- following the end ---- */

/* The list view moves the value itself (it learned a row's real height):
 * not the user, so the view stays sticky and goes back to the end. */
static void
test_sticky_list_moves (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *id = add_session (fixture->source, "long", NULL, TRUE);
  EkStickyScroll *sticky = ek_chat_view_get_sticky_scroll (fixture->chat);
  GtkAdjustment *adjustment = ek_chat_view_get_vadjustment (fixture->chat);

  test_source_set_loaded (fixture->source, id);
  show_session (fixture, id);
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
  frames (fixture->window, 3);
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, 2 * gtk_adjustment_get_page_size (adjustment));
  g_assert_true (adjustment_at_end (adjustment));
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));

  /* what GtkListView does on its own: not the user */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 300);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the way back to the end");
  frames (fixture->window, 2);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  g_assert_true (adjustment_at_end (adjustment));

  /* growing the page (the composer shrank) neither */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 1);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the way back to the end");
}

static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        return controller;
    }
  return NULL;
}

/* The user's wheel, touchpad and keys take the view away from the end;
 * back at the end it follows again. */
static void
test_sticky_user_input (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *id = add_session (fixture->source, "long", NULL, TRUE);
  EkStickyScroll *sticky = ek_chat_view_get_sticky_scroll (fixture->chat);
  GtkAdjustment *adjustment = ek_chat_view_get_vadjustment (fixture->chat);
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (ek_chat_view_get_list_view (fixture->chat)),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkEventController *controller;
  gboolean handled = TRUE;

  test_source_set_loaded (fixture->source, id);
  show_session (fixture, id);
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
  frames (fixture->window, 3);
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
  g_assert_true (adjustment_at_end (adjustment));

  /* the wheel, downwards at the end: the list's own move meanwhile is
   * still not the user's */
  controller = find_controller (scroller, GTK_TYPE_EVENT_CONTROLLER_SCROLL);
  g_assert_nonnull (controller);
  g_signal_emit_by_name (controller, "scroll", 0.0, 1.0, &handled);
  g_assert_false (handled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 200);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the way back to the end");

  /* the wheel, upwards: the user leaves the end */
  handled = TRUE;
  g_signal_emit_by_name (controller, "scroll", 0.0, -1.0, &handled);
  g_assert_false (handled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 200);
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_spin (400);
  frames (fixture->window, 2);
  g_assert_false (adjustment_at_end (adjustment));
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));

  /* a long while after, the list's moves are its own again: nothing
   * brings the view back, as it is not sticky */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 50);
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));

  /* back at the end (the user scrolled down): sticky */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));

  /* Page Up in the list */
  controller = find_controller (scroller, GTK_TYPE_EVENT_CONTROLLER_KEY);
  g_assert_nonnull (controller);
  handled = TRUE;
  g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Page_Up, 0, 0, &handled);
  g_assert_false (handled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) - 400);
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));

  /* Jump to Latest */
  gtk_widget_activate_action (GTK_WIDGET (fixture->chat), "chat.jump-to-latest", NULL);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_wait_until (settled, fixture->chat, 10, "the jump");
  g_assert_true (adjustment_at_end (adjustment));
}

/* EkStickyScroll on a plain adjustment: what the chat view builds on. */
static int n_scrolls;

static void
on_scroll_to_end (EkStickyScroll *sticky,
                  gpointer        data)
{
  n_scrolls++;
}

static gboolean
not_pending (gpointer data)
{
  return !ek_sticky_scroll_get_pending (data);
}

static void
test_sticky_flags (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *label = gtk_label_new ("sticky");
  GtkAdjustment *adjustment = g_object_ref_sink (gtk_adjustment_new (0, 0, 100, 1, 10, 100));
  g_autoptr(EkStickyScroll) sticky = NULL;

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));
  sticky = ek_sticky_scroll_new (label, adjustment);
  g_signal_connect (sticky, "scroll-to-end", G_CALLBACK (on_scroll_to_end), NULL);
  n_scrolls = 0;

  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  g_assert_false (ek_sticky_scroll_get_pending (sticky));
  g_assert_false (ek_sticky_scroll_get_auto_scrolling (sticky));

  /* growing while sticky: scrolls, from a tick */
  gtk_adjustment_set_upper (adjustment, 1000);
  g_assert_true (ek_sticky_scroll_get_pending (sticky));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  ek_ui_test_wait_until (not_pending, sticky, 10, "the scroll");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 900);
  g_assert_cmpuint (n_scrolls, ==, 1);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  g_assert_false (ek_sticky_scroll_get_auto_scrolling (sticky));

  /* the value goes up without the user: still sticky, back to the end */
  gtk_adjustment_set_value (adjustment, 500);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  g_assert_true (ek_sticky_scroll_get_pending (sticky));
  ek_ui_test_wait_until (not_pending, sticky, 10, "the scroll back");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 900);

  /* the user scrolls up: not sticky, growth leaves the view alone */
  ek_sticky_scroll_note_user_scroll (sticky, -1);
  gtk_adjustment_set_value (adjustment, 500);
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));
  gtk_adjustment_set_upper (adjustment, 2000);
  g_assert_false (ek_sticky_scroll_get_pending (sticky));
  ek_ui_test_spin (50);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 500);

  /* scrolling down a little is still not the end */
  gtk_adjustment_set_value (adjustment, 800);
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));

  /* back at the end: sticky again */
  gtk_adjustment_set_value (adjustment, 1900);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  gtk_adjustment_set_upper (adjustment, 3000);
  ek_ui_test_wait_until (not_pending, sticky, 10, "the scroll");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 2900);

  /* a smaller page (the composer grew) while sticky stays at the end */
  gtk_adjustment_set_page_size (adjustment, 50);
  g_assert_true (ek_sticky_scroll_get_pending (sticky));
  ek_ui_test_wait_until (not_pending, sticky, 10, "the scroll");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 2950);

  /* jump to latest */
  ek_sticky_scroll_note_user_scroll (sticky, -1);
  gtk_adjustment_set_value (adjustment, 100);
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));
  ek_sticky_scroll_scroll_to_end (sticky);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_wait_until (not_pending, sticky, 10, "the jump");
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 2950);

  g_object_unref (adjustment);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- switching sessions ---- */

/* From an empty session to one with messages, and back and forth: no
 * warning from the list view (warnings are fatal here), and the view
 * ends at the end of the conversation. */
static void
test_switch_sessions (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *full = add_session (fixture->source, "long", NULL, TRUE);
  g_autofree char *empty = add_session (fixture->source, "tools", "ses_empty_for_the_test", FALSE);
  g_autofree char *other = add_session (fixture->source, "tools", NULL, TRUE);
  GtkAdjustment *adjustment = ek_chat_view_get_vadjustment (fixture->chat);

  test_source_set_loaded (fixture->source, full);
  test_source_set_loaded (fixture->source, empty);
  test_source_set_loaded (fixture->source, other);

  for (guint round = 0; round < 3; round++)
    {
      show_session (fixture, empty);
      frames (fixture->window, 3);
      g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "empty");

      show_session (fixture, full);
      frames (fixture->window, 3);
      ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
      g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "messages");
      g_assert_true (adjustment_at_end (adjustment));

      /* scrolled up by the user, then to the empty session and back: the
       * list view has no rows then, or rows it has not laid out yet */
      ek_sticky_scroll_note_user_scroll (ek_chat_view_get_sticky_scroll (fixture->chat), -1);
      gtk_adjustment_set_value (adjustment, 0);
      frames (fixture->window, 2);
      g_assert_false (ek_sticky_scroll_get_sticky (ek_chat_view_get_sticky_scroll (fixture->chat)));
      show_session (fixture, empty);
      frames (fixture->window, 3);
      show_session (fixture, full);
      frames (fixture->window, 3);
      ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
      g_assert_true (adjustment_at_end (adjustment));

      /* scrolled up, then straight to another conversation */
      ek_sticky_scroll_note_user_scroll (ek_chat_view_get_sticky_scroll (fixture->chat), -1);
      gtk_adjustment_set_value (adjustment, 0);
      frames (fixture->window, 2);
      show_session (fixture, other);
      frames (fixture->window, 3);
      ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
      g_assert_true (adjustment_at_end (adjustment));

      /* from one conversation to another, and without a frame between */
      show_session (fixture, other);
      show_session (fixture, empty);
      show_session (fixture, full);
      frames (fixture->window, 3);
      ek_ui_test_wait_until (settled, fixture->chat, 10, "the scroll to the end");
      g_assert_true (adjustment_at_end (adjustment));

      ek_chat_view_set_session (fixture->chat, NULL);
      frames (fixture->window, 2);
      g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "no-session");
    }
}

/* ---- loading ---- */

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Until the history has arrived the view says it is loading, not that
 * there are no messages. */
static void
test_loading (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *empty = add_session (fixture->source, "tools", "ses_empty_for_the_test", FALSE);
  g_autofree char *full = add_session (fixture->source, "tools", NULL, FALSE);
  GtkStack *stack = GTK_STACK (find_widget (GTK_WIDGET (fixture->chat), GTK_TYPE_STACK));
  GtkWidget *page, *spinner;

  show_session (fixture, empty);
  frames (fixture->window, 2);
  g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "loading");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "loading");
  page = gtk_stack_get_visible_child (stack);
  spinner = find_widget (page, GTK_TYPE_SPINNER);
  g_assert_nonnull (spinner);
  g_assert_true (gtk_widget_get_mapped (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_nonnull (find_widget (page, GTK_TYPE_LABEL));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_widget (page, GTK_TYPE_LABEL))), ==,
                   "Loading messages…");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (page)), ==, GTK_ACCESSIBLE_ROLE_STATUS);
  {
    const char *dir = g_getenv ("G_TEST_BUILDDIR");
    g_autofree char *png = g_build_filename (dir ? dir : g_get_tmp_dir (), "test-chat-view-loading.png", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (ek_widget_save_png (fixture->window, png, &error));
    g_assert_no_error (error);
    g_test_message ("screenshot: %s", png);
  }

  /* another session's history is no news for this one */
  test_source_set_loaded (fixture->source, full);
  g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "loading");

  /* it arrived, and it is empty */
  test_source_set_loaded (fixture->source, empty);
  g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "empty");
  frames (fixture->window, 2);
  g_assert_false (gtk_widget_get_mapped (spinner));

  /* a session loaded before is shown at once */
  show_session (fixture, full);
  g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "empty");

  /* messages shown while loading (live events came first) are shown */
  {
    g_autofree char *busy = add_session (fixture->source, "question", NULL, TRUE);

    show_session (fixture, busy);
    g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "messages");
  }

  /* without a source (nothing to wait for): the empty page */
  ek_chat_view_set_source (fixture->chat, NULL);
  show_session (fixture, empty);
  g_assert_cmpstr (ek_chat_view_get_page (fixture->chat), ==, "empty");
}

/* ---- the tool cards' icons ---- */

/* Every tool's card has an icon the icon theme has (Adwaita or ours):
 * a missing one draws as a broken image. */
static void
test_tool_icons (void)
{
  static const char * const tools[] = {
    "bash", "read", "write", "edit", "multiedit", "apply_patch", "patch",
    "glob", "grep", "list", "ls", "todowrite", "todoread", "task",
    "webfetch", "websearch", "codesearch", "question", "skill",
    "no-such-tool", NULL
  };
  /* the icons the cards' bodies use */
  static const char * const others[] = {
    "object-select-symbolic", "radio-symbolic", "go-next-symbolic",
    "checkbox-checked-symbolic", "checkbox-symbolic", "media-playback-start-symbolic",
    "window-close-symbolic", "go-bottom-symbolic", NULL
  };
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

  for (guint i = 0; tools[i] != NULL; i++)
    {
      const char *icon = ek_tool_part_icon_for_tool (tools[i]);

      g_test_message ("%s: %s", tools[i], icon);
      g_assert_nonnull (icon);
      if (!gtk_icon_theme_has_icon (theme, icon))
        g_error ("the icon of the %s tool, %s, is not in the icon theme", tools[i], icon);
    }
  for (guint i = 0; others[i] != NULL; i++)
    if (!gtk_icon_theme_has_icon (theme, others[i]))
      g_error ("%s is not in the icon theme", others[i]);

  /* Adwaita's dialog-question is a “?” in a diamond: the very look of
   * U+FFFD, a glyph the font lacks.  The question card has its own. */
  g_assert_cmpstr (ek_tool_part_icon_for_tool ("question"), !=, "dialog-question-symbolic");
  g_assert_true (gtk_icon_theme_has_icon (theme, "ekacode-question-symbolic"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  /* accessibility through AT-SPI would write into the TAP stream; the
   * accessible roles and names are read back from the widgets */
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* what AdwApplication does for the app: its style sheet */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/dev/ekacode/Ekacode/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* and what GtkApplication does for the app: its resources' icons */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/dev/ekacode/Ekacode/icons");

  g_test_add_func ("/chat-view/sticky/flags", test_sticky_flags);
  g_test_add ("/chat-view/sticky/list-moves", Fixture, NULL,
              fixture_set_up, test_sticky_list_moves, fixture_tear_down);
  g_test_add ("/chat-view/sticky/user-input", Fixture, NULL,
              fixture_set_up, test_sticky_user_input, fixture_tear_down);
  g_test_add ("/chat-view/switch-sessions", Fixture, NULL,
              fixture_set_up, test_switch_sessions, fixture_tear_down);
  g_test_add ("/chat-view/loading", Fixture, NULL,
              fixture_set_up, test_loading, fixture_tear_down);
  g_test_add_func ("/chat-view/tool-icons", test_tool_icons);

  return g_test_run ();
}
