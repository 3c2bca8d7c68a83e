/* test-app.c: the application shell, window, session list, chat view,
 * composer and docks, driven by the recorded fixtures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under a private session bus and Xvfb (see meson.build) with the
 * cairo renderer and the memory settings backend.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ek-application.h"
#include "ek-chat-view.h"
#include "ek-composer.h"
#include "ek-message-row.h"
#include "ek-part-registry.h"
#include "ek-part-widget.h"
#include "ek-permission-dock.h"
#include "ek-question-dock.h"
#include "ek-replay-source.h"
#include "ek-session-list.h"
#include "ek-session-row.h"
#include "ek-sticky-scroll.h"
#include "ek-ui-util.h"
#include "ek-welcome-page.h"
#include "ek-window.h"
#include "ek-ui-test-util.h"

static const char * const fixtures[] = {
  "abort", "error", "explore", "long", "permission",
  "question", "reject", "subagent", "tools", NULL
};

/* ---- helpers ---- */

static char *
fixture_path (const char *name,
              const char *file)
{
  const char *dir = g_getenv ("EK_FIXTURES_DIR");

  if (dir != NULL)
    return g_build_filename (dir, name, file, NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "fixtures", name, file, NULL);
}

static JsonNode *
load_json (const char *name,
           const char *file)
{
  g_autofree char *path = fixture_path (name, file);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

static gboolean
window_settled (gpointer data)
{
  EkWindow *window = data;

  return ek_window_is_settled (window) &&
         !ek_sticky_scroll_get_pending (ek_chat_view_get_sticky_scroll (ek_window_get_chat_view (window)));
}

static EkWindow *
replay_window (GBytes     *contents,
               const char *name)
{
  g_autoptr(EkReplaySource) source = ek_replay_source_new (contents, name);
  EkWindow *window = ek_window_new (NULL);

  ek_window_set_source (window, EK_SOURCE (source));
  gtk_window_present (GTK_WINDOW (window));
  ek_replay_source_start (source);
  ek_ui_test_wait_until (window_settled, window, 60, "the replay to settle");
  /* throttled redraws and the last scroll */
  ek_ui_test_spin (300);
  ek_ui_test_wait_until (window_settled, window, 10, "the view to settle");
  return window;
}

static GBytes *
fixture_bytes (const char *name)
{
  g_autofree char *path = fixture_path (name, "events.sse");
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

/* The recording up to and including the first event that contains
 * @needle: a stream cut while something was pending. */
static GBytes *
fixture_bytes_until (const char *name,
                     const char *needle)
{
  g_autoptr(GBytes) all = fixture_bytes (name);
  gsize len;
  const char *data = g_bytes_get_data (all, &len);
  const char *found = g_strstr_len (data, len, needle);
  const char *end;

  g_assert_nonnull (found);
  end = g_strstr_len (found, len - (found - data), "\n\n");
  g_assert_nonnull (end);
  return g_bytes_new_from_bytes (all, 0, (end + 2) - data);
}

static void
destroy_window (EkWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ek_ui_test_spin (20);
}

static void
assert_png (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 1000);
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 360);
  g_assert_cmpint (gdk_texture_get_height (texture), >=, 360);
}

static char *
output_path (const char *name)
{
  const char *dir = g_getenv ("G_TEST_BUILDDIR");

  return g_build_filename (dir ? dir : g_get_tmp_dir (), name, NULL);
}

/* ---- accessibility: every button says what it does ---- */

static gboolean
has_label_text (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), "") > 0)
        return TRUE;
      if (has_label_text (child))
        return TRUE;
    }
  return FALSE;
}

static gboolean
button_is_described (GtkWidget *button)
{
  GtkWidget *widget = button;

  if (GTK_IS_BUTTON (button) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), "") > 0)
    return TRUE;
  if (has_label_text (button))
    return TRUE;
  /* the button itself, or the menu button / drop-down it is part of */
  for (guint i = 0; widget != NULL && i < 3; i++, widget = gtk_widget_get_parent (widget))
    if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), "") > 0 ||
        g_strcmp0 (ek_widget_get_tooltip (widget), "") > 0)
      return TRUE;
  return FALSE;
}

static gboolean
skip_subtree (GtkWidget *widget)
{
  const char *name = G_OBJECT_TYPE_NAME (widget);

  /* other engineers' widgets and GTK's own window controls */
  return EK_IS_PART_WIDGET (widget) ||
         g_strcmp0 (name, "EkMarkdownView") == 0 ||
         g_strcmp0 (name, "GtkWindowControls") == 0 ||
         GTK_IS_POPOVER (widget);
}

static void
collect_undescribed (GtkWidget *widget,
                     GPtrArray *bad)
{
  if (skip_subtree (widget))
    return;
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) && !button_is_described (widget))
    g_ptr_array_add (bad, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_undescribed (child, bad);
}

static void
assert_buttons_described (GtkWidget *root)
{
  g_autoptr(GPtrArray) bad = g_ptr_array_new ();

  collect_undescribed (root, bad);
  for (guint i = 0; i < bad->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (bad, i);
      GtkWidget *parent = gtk_widget_get_parent (widget);

      g_printerr ("# button without a label or tooltip: %s in %s\n",
                  G_OBJECT_TYPE_NAME (widget), parent ? G_OBJECT_TYPE_NAME (parent) : "-");
    }
  g_assert_cmpuint (bad->len, ==, 0);
}

/* ---- tests ---- */

static void
test_templates (void)
{
  const GType types[] = {
    EK_TYPE_WELCOME_PAGE, EK_TYPE_SESSION_LIST, EK_TYPE_SESSION_ROW,
    EK_TYPE_CHAT_VIEW, EK_TYPE_MESSAGE_ROW, EK_TYPE_COMPOSER,
    EK_TYPE_PERMISSION_DOCK, EK_TYPE_QUESTION_DOCK,
  };
  g_autoptr(GtkBuilder) builder = NULL;
  EkWindow *window;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      GtkWidget *widget = g_object_new (types[i], NULL);

      g_assert_true (GTK_IS_WIDGET (widget));
      g_assert_nonnull (gtk_widget_get_first_child (widget));
      g_object_ref_sink (widget);
      g_object_unref (widget);
    }

  window = ek_window_new (NULL);
  g_assert_nonnull (ek_window_get_chat_view (window));
  g_assert_nonnull (ek_window_get_session_list (window));
  g_assert_cmpstr (ek_window_get_visible_page (window), ==, "welcome");
  gtk_window_destroy (GTK_WINDOW (window));

  builder = gtk_builder_new_from_resource ("/dev/ekacode/Ekacode/gtk/help-overlay.ui");
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  gtk_window_destroy (GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

static void
test_relative_time (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 25, 15, 30, 0);
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  struct {
    gint64      ago_s;
    const char *expected;
  } cases[] = {
    { 0, "Just now" },
    { 30, "Just now" },
    { -30, "Just now" },
    { 120, "2 min ago" },
    { 59 * 60, "59 min ago" },
    { 60 * 60, "1 hour ago" },
    { 3 * 60 * 60, "3 hours ago" },
    { 16 * 60 * 60, "Yesterday" },
    { 2 * 24 * 60 * 60, "Monday" },
    { 20 * 24 * 60 * 60, "5 Nov" },
    { 400 * 24 * 60 * 60, "21 Oct 2025" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ek_format_relative_time (now_ms - cases[i].ago_s * 1000, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_describe_error (void)
{
  static const struct {
    const char *json;
    const char *expected;
  } cases[] = {
    { "{\"name\":\"MessageAbortedError\",\"data\":{\"message\":\"Aborted\"}}", "Interrupted" },
    { "{\"name\":\"APIError\",\"data\":{\"message\":\"invalid api key\",\"statusCode\":401}}",
      "Provider error 401: invalid api key" },
    { "{\"name\":\"ProviderAuthError\",\"data\":{\"message\":\"no key\"}}", "Authentication failed: no key" },
    { "{\"name\":\"SomethingNew\",\"data\":{}}", "SomethingNew" },
    { "{\"data\":\"odd\"}", "Error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autofree char *text = ek_describe_error (json_node_get_object (node));

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_event_time (void)
{
  const char *event = "data: {\"id\":\"evt_20ffd2a3e001FYgbYAczZNwOn8\",\"type\":\"server.connected\"}\n\n";
  guint64 stamp = 0;

  g_assert_true (ek_replay_parse_event_time (event, strlen (event), &stamp));
  g_assert_cmphex (stamp, ==, G_GUINT64_CONSTANT (0x20ffd2a3e001));
  g_assert_false (ek_replay_parse_event_time ("data: {}\n\n", 10, &stamp));
  g_assert_false (ek_replay_parse_event_time ("data: {\"id\":\"evt_12\"}", 20, &stamp));
}

static gboolean
source_finished (gpointer data)
{
  return ek_replay_source_is_finished (data);
}

/* --speed 1 keeps the recorded pace; --speed 10 a tenth of it */
static void
test_replay_pacing (void)
{
  g_autoptr(GBytes) contents = fixture_bytes ("question");
  g_autoptr(EkReplaySource) fast = ek_replay_source_new (contents, "question");
  g_autoptr(EkReplaySource) paced = ek_replay_source_new (contents, "question");
  gint64 start;
  double seconds;

  start = g_get_monotonic_time ();
  ek_replay_source_start (fast);
  ek_ui_test_wait_until (source_finished, fast, 30, "the fast replay");
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpfloat (seconds, <, 2.0);

  /* the recording spans 5.3 s */
  ek_replay_source_set_speed (paced, 10);
  start = g_get_monotonic_time ();
  ek_replay_source_start (paced);
  ek_ui_test_wait_until (source_finished, paced, 30, "the paced replay");
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpfloat (seconds, >, 0.45);
  g_assert_cmpfloat (seconds, <, 5.0);

  g_assert_cmpuint (g_list_model_get_n_items (ek_store_get_sessions (ek_source_get_store (EK_SOURCE (fast)))),
                    ==,
                    g_list_model_get_n_items (ek_store_get_sessions (ek_source_get_store (EK_SOURCE (paced)))));
}

static gboolean
list_has_title (EkSessionList *list,
                const char    *title)
{
  GListModel *model = ek_session_list_get_model (list);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (model, i);

      if (g_strcmp0 (ek_session_get_title (session), title) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
collect_session_rows (GtkWidget *widget,
                      GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (EK_IS_SESSION_ROW (child))
        g_ptr_array_add (rows, child);
      else
        collect_session_rows (child, rows);
    }
}

static void
test_replay_fixture (gconstpointer data)
{
  const char *name = data;
  g_autoptr(GBytes) contents = fixture_bytes (name);
  g_autoptr(JsonNode) session_json = load_json (name, "session.json");
  g_autoptr(JsonNode) messages_json = load_json (name, "messages.json");
  const char *title = json_object_get_string_member (json_node_get_object (session_json), "title");
  const char *session_id = json_object_get_string_member (json_node_get_object (session_json), "id");
  guint n_messages = json_array_get_length (json_node_get_array (messages_json));
  g_autofree char *png_name = g_strdup_printf ("test-app-%s.png", name);
  g_autofree char *png = output_path (png_name);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) session_rows = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  EkWindow *window;
  EkSession *session;
  gboolean row_has_title = FALSE;

  window = replay_window (contents, name);

  /* the sidebar shows the recorded session, and it is the one open */
  g_assert_true (list_has_title (ek_window_get_session_list (window), title));
  session = ek_window_get_session (window);
  g_assert_nonnull (session);
  g_assert_cmpstr (ek_session_get_id (session), ==, session_id);
  collect_session_rows (GTK_WIDGET (ek_session_list_get_list_view (ek_window_get_session_list (window))),
                        session_rows);
  for (guint i = 0; i < session_rows->len; i++)
    row_has_title |= g_strcmp0 (ek_session_row_get_title (g_ptr_array_index (session_rows, i)), title) == 0;
  g_assert_true (row_has_title);

  /* one row per message */
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_messages (session)), ==, n_messages);
  rows = ek_chat_view_get_rows (ek_window_get_chat_view (window));
  g_assert_cmpuint (rows->len, ==, n_messages);
  for (guint i = 0; i < rows->len; i++)
    g_assert_nonnull (ek_message_row_get_message (g_ptr_array_index (rows, i)));

  /* a replay is read only, and says so */
  g_assert_nonnull (ek_window_get_banner_text (window));
  g_assert_nonnull (ek_composer_get_disabled_reason (ek_window_get_composer (window)));
  g_assert_false (ek_window_can_create_session (window));

  g_assert_true (ek_widget_save_png (GTK_WIDGET (window), png, &error));
  g_assert_no_error (error);
  assert_png (png);

  assert_buttons_described (GTK_WIDGET (window));
  destroy_window (window);
}

/* turns: a header on the first assistant message after a prompt only */
static void
test_turn_headers (void)
{
  g_autoptr(GBytes) contents = fixture_bytes ("tools");
  EkWindow *window = replay_window (contents, "tools");
  g_autoptr(GPtrArray) rows = ek_chat_view_get_rows (ek_window_get_chat_view (window));
  const char *previous_role = NULL;
  guint n_headers = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      EkMessageRow *row = g_ptr_array_index (rows, i);
      const char *role = ek_message_get_role (ek_message_row_get_message (row));

      if (g_strcmp0 (role, "assistant") == 0)
        {
          g_assert_cmpint (ek_message_row_get_show_header (row), ==,
                           g_strcmp0 (previous_role, "assistant") != 0);
          n_headers += ek_message_row_get_show_header (row);
        }
      previous_role = role;
    }
  g_assert_cmpuint (n_headers, ==, 1);
  destroy_window (window);
}

static void
test_interrupted (void)
{
  g_autoptr(GBytes) contents = fixture_bytes ("abort");
  EkWindow *window = replay_window (contents, "abort");
  g_autoptr(GPtrArray) rows = ek_chat_view_get_rows (ek_window_get_chat_view (window));
  gboolean found = FALSE;

  for (guint i = 0; i < rows->len; i++)
    found |= g_strcmp0 (ek_message_row_get_error_text (g_ptr_array_index (rows, i)), "Interrupted") == 0;
  g_assert_true (found);
  destroy_window (window);
}

static gboolean
adjustment_at_end (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1;
}

/* The chat follows the end; scrolled up it stays, and Jump to Latest
 * brings it back. */
static void
test_chat_sticky (void)
{
  g_autoptr(GBytes) contents = fixture_bytes ("long");
  EkWindow *window = replay_window (contents, "long");
  EkChatView *chat = ek_window_get_chat_view (window);
  EkStickyScroll *sticky = ek_chat_view_get_sticky_scroll (chat);
  GtkAdjustment *adjustment = ek_chat_view_get_vadjustment (chat);

  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  g_assert_true (adjustment_at_end (adjustment));

  /* the user scrolls to the top (a value change alone is not the user) */
  ek_sticky_scroll_note_user_scroll (sticky, -1);
  gtk_adjustment_set_value (adjustment, 0);
  g_assert_false (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, 1);

  gtk_widget_activate_action (GTK_WIDGET (chat), "chat.jump-to-latest", NULL);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  ek_ui_test_wait_until (window_settled, window, 10, "the jump");
  g_assert_true (adjustment_at_end (adjustment));
  destroy_window (window);
}

static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *buttons)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_widget_is_visible (child))
        g_ptr_array_add (buttons, child);
      collect_buttons (child, buttons);
    }
}

/* A recording cut while a permission was pending: the dock shows it, with
 * its command, and read-only buttons. */
static void
test_permission_dock (void)
{
  g_autoptr(GBytes) contents = fixture_bytes_until ("permission", "\"type\":\"permission.asked\"");
  EkWindow *window = replay_window (contents, "permission");
  EkPermissionDock *dock = ek_window_get_permission_dock (window);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  g_assert_cmpuint (g_list_model_get_n_items (ek_permission_dock_get_requests (dock)), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dock)));
  collect_buttons (GTK_WIDGET (dock), buttons);
  g_assert_cmpuint (buttons->len, ==, 3);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      g_assert_nonnull (gtk_widget_get_tooltip_text (button));
      g_assert_false (gtk_widget_is_sensitive (button));
    }
  assert_buttons_described (GTK_WIDGET (window));

  {
    g_autofree char *png = output_path ("test-app-permission-pending.png");
    g_autoptr(GError) error = NULL;

    g_assert_true (ek_widget_save_png (GTK_WIDGET (window), png, &error));
    assert_png (png);
  }
  destroy_window (window);

  /* the whole recording: it was answered, the dock is gone */
  {
    g_autoptr(GBytes) all = fixture_bytes ("permission");

    window = replay_window (all, "permission");
    dock = ek_window_get_permission_dock (window);
    g_assert_cmpuint (g_list_model_get_n_items (ek_permission_dock_get_requests (dock)), ==, 0);
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dock)));
    destroy_window (window);
  }
}

static void
test_question_dock (void)
{
  g_autoptr(GBytes) contents = fixture_bytes_until ("question", "\"type\":\"question.asked\"");
  EkWindow *window = replay_window (contents, "question");
  EkQuestionDock *dock = ek_window_get_question_dock (window);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(JsonArray) answers = NULL;
  g_autoptr(EkRequest) request = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (ek_question_dock_get_requests (dock)), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dock)));
  collect_buttons (GTK_WIDGET (dock), buttons);
  g_assert_cmpuint (buttons->len, ==, 2);
  for (guint i = 0; i < buttons->len; i++)
    g_assert_false (gtk_widget_is_sensitive (g_ptr_array_index (buttons, i)));

  /* nothing chosen yet: one empty answer for the one question */
  request = g_list_model_get_item (ek_question_dock_get_requests (dock), 0);
  answers = ek_question_dock_dup_answers (dock, ek_request_get_id (request));
  g_assert_nonnull (answers);
  g_assert_cmpuint (json_array_get_length (answers), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_array_get_array_element (answers, 0)), ==, 0);

  assert_buttons_described (GTK_WIDGET (window));
  {
    g_autofree char *png = output_path ("test-app-question-pending.png");
    g_autoptr(GError) error = NULL;

    g_assert_true (ek_widget_save_png (GTK_WIDGET (window), png, &error));
    assert_png (png);
  }
  destroy_window (window);
}

/* A recycled row re-binds part widgets whose type fits. */
static void
test_row_reuse (void)
{
  g_autoptr(GBytes) contents = fixture_bytes ("question");
  g_autoptr(EkReplaySource) source = ek_replay_source_new (contents, "question");
  GListModel *sessions;
  g_autoptr(EkSession) session = NULL;
  GListModel *messages;
  g_autoptr(EkMessage) first = NULL;
  g_autoptr(EkMessage) last = NULL;
  GtkWidget *row = g_object_ref_sink (ek_message_row_new ());
  GtkWidget *before;
  guint n_before;

  ek_replay_source_start (source);
  ek_ui_test_wait_until (source_finished, source, 30, "the replay");
  sessions = ek_store_get_sessions (ek_source_get_store (EK_SOURCE (source)));
  session = g_list_model_get_item (sessions, 0);
  messages = ek_session_get_messages (session);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, 3);
  first = g_list_model_get_item (messages, 1);
  last = g_list_model_get_item (messages, 2);

  ek_message_row_set_message (EK_MESSAGE_ROW (row), first);
  n_before = ek_message_row_get_n_part_widgets (EK_MESSAGE_ROW (row));
  g_assert_cmpuint (n_before, >, 0);
  /* the first shown part of both answers is their text */
  before = NULL;
  for (guint i = 0; before == NULL; i++)
    before = ek_message_row_get_part_widget (EK_MESSAGE_ROW (row), i);

  ek_message_row_set_message (EK_MESSAGE_ROW (row), last);
  g_assert_true (ek_message_row_get_message (EK_MESSAGE_ROW (row)) == last);
  {
    GtkWidget *after = NULL;

    for (guint i = 0; after == NULL; i++)
      after = ek_message_row_get_part_widget (EK_MESSAGE_ROW (row), i);
    g_assert_true (after == before);
    g_assert_true (ek_part_widget_get_part (EK_PART_WIDGET (after)) != NULL);
  }

  ek_message_row_set_message (EK_MESSAGE_ROW (row), NULL);
  g_assert_cmpuint (ek_message_row_get_n_part_widgets (EK_MESSAGE_ROW (row)), ==, 0);
  g_object_unref (row);
}

/* ---- the application ---- */

static void
check_welcome (GtkApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (app);

  g_assert_true (EK_IS_WINDOW (window));
  g_assert_cmpstr (ek_window_get_visible_page (EK_WINDOW (window)), ==, "welcome");
  g_assert_null (ek_window_get_source (EK_WINDOW (window)));
  assert_buttons_described (GTK_WIDGET (window));
  {
    g_autofree char *png = output_path ("test-app-welcome.png");
    g_autoptr(GError) error = NULL;

    ek_widget_save_png (GTK_WIDGET (window), png, &error);
    g_assert_no_error (error);
    assert_png (png);
  }
  g_application_quit (G_APPLICATION (app));
}

static gboolean
check_welcome_cb (gpointer data)
{
  GtkApplication *app = data;
  GtkWindow *window = gtk_application_get_active_window (app);

  GdkFrameClock *clock = window ? gtk_widget_get_frame_clock (GTK_WIDGET (window)) : NULL;

  /* shown, and drawn: a window mapped but not yet painted has nothing to
   * take a picture of */
  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)) ||
      gtk_widget_get_width (GTK_WIDGET (window)) == 0 ||
      clock == NULL || gdk_frame_clock_get_frame_counter (clock) < 2)
    return G_SOURCE_CONTINUE;
  check_welcome (app);
  return G_SOURCE_REMOVE;
}

/* No arguments and empty settings: the welcome page. */
static void
test_app_welcome (void)
{
  g_autoptr(EkApplication) app = ek_application_new ();
  char *argv[] = { (char *) "ekacode", NULL };
  int status;

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (100, check_welcome_cb, app);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (ek_application_get_exit_status (app), ==, 0);
}

static void
test_demo_resource (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) demo = ek_application_load_demo (&error);
  g_autoptr(GBytes) tools = fixture_bytes ("tools");

  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (demo, tools));
}

/* The real binary: --replay … --screenshot … --quit-after-idle */
static void
run_ekacode (const char * const *args)
{
  const char *binary = g_getenv ("EK_EKACODE_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_printerr ("# ekacode said: %s\n", err);
  g_assert_no_error (error);
}

static void
test_binary_replay (gconstpointer data)
{
  const char *name = data;
  g_autofree char *events = fixture_path (name, "events.sse");
  g_autofree char *png_name = g_strdup_printf ("ekacode-%s.png", name);
  g_autofree char *png = output_path (png_name);
  const char *args[] = { "--replay", events, "--screenshot", png, "--quit-after-idle", NULL };

  g_unlink (png);
  run_ekacode (args);
  assert_png (png);
}

static void
test_binary_demo_frame_stats (void)
{
  g_autofree char *png = output_path ("ekacode-demo.png");
  g_autofree char *stats = output_path ("ekacode-demo-frames.json");
  const char *args[] = { "--demo", "--speed", "0", "--screenshot", png,
                         "--frame-stats", stats, "--quit-after-idle", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_unlink (png);
  g_unlink (stats);
  run_ekacode (args);
  assert_png (png);

  json_parser_load_from_file (parser, stats, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "frames"), >, 0);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "interval_ms")));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "work_ms")));
  g_assert_cmpfloat (json_object_get_double_member (root, "interval_max_ms"), >=,
                     json_object_get_double_member (root, "interval_p50_ms"));
  g_assert_cmpfloat (json_object_get_double_member (root, "work_p99_ms"), >=,
                     json_object_get_double_member (root, "work_p50_ms"));
}

static void
test_binary_bad_file (void)
{
  const char *binary = g_getenv ("EK_EKACODE_BIN");
  const char *argv[] = { binary, "--replay", "/nonexistent/ekacode-test.sse", "--quit-after-idle", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* what AdwApplication does for the real app; and no transitions caught
   * half-way in the screenshots */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/dev/ekacode/Ekacode/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/dev/ekacode/Ekacode/icons");
  /* the tests compare English strings */
  g_setenv ("LANGUAGE", "C", TRUE);
  ek_part_registry_ensure_defaults ();

  g_test_add_func ("/ui/templates", test_templates);
  g_test_add_func ("/ui/relative-time", test_relative_time);
  g_test_add_func ("/ui/describe-error", test_describe_error);
  g_test_add_func ("/ui/replay/event-time", test_event_time);
  g_test_add_func ("/ui/replay/pacing", test_replay_pacing);
  g_test_add_func ("/ui/message-row/reuse", test_row_reuse);
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/ui/window/replay/%s", fixtures[i]);

      g_test_add_data_func (path, fixtures[i], test_replay_fixture);
    }
  g_test_add_func ("/ui/window/turn-headers", test_turn_headers);
  g_test_add_func ("/ui/window/interrupted", test_interrupted);
  g_test_add_func ("/ui/window/sticky", test_chat_sticky);
  g_test_add_func ("/ui/window/permission-dock", test_permission_dock);
  g_test_add_func ("/ui/window/question-dock", test_question_dock);
  g_test_add_func ("/ui/app/welcome", test_app_welcome);
  g_test_add_func ("/ui/app/demo-resource", test_demo_resource);
  if (g_getenv ("EK_EKACODE_BIN") != NULL)
    {
      for (guint i = 0; fixtures[i] != NULL; i++)
        {
          g_autofree char *path = g_strdup_printf ("/ui/ekacode/replay/%s", fixtures[i]);

          g_test_add_data_func (path, fixtures[i], test_binary_replay);
        }
      g_test_add_func ("/ui/ekacode/demo-frame-stats", test_binary_demo_frame_stats);
      g_test_add_func ("/ui/ekacode/bad-file", test_binary_bad_file);
    }

  return g_test_run ();
}
