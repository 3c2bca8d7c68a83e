/* test-chat-rows.c: recorded sessions replayed into a chat view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The part widgets as the app shows them: rows of a GtkListView, bound
 * and recycled by the chat view, fed by a replay of a fixture.  Checks
 * the layout after a whole stream (folded cards, code blocks) and what
 * a recording's running call says.
 */

#include "config.h"

#include <string.h>

#include "ek-chat-view.h"
#include "ek-code-block.h"
#include "ek-markdown-view.h"
#include "ek-message-row.h"
#include "ek-replay-source.h"
#include "ek-text-part.h"
#include "ek-tool-part.h"
#include "parts-test-util.h"

typedef struct
{
  GtkWidget      *window;
  EkChatView     *view;
  EkReplaySource *source;
} Chat;

static gboolean
is_finished (gpointer data)
{
  return ek_replay_source_is_finished (EK_REPLAY_SOURCE (data));
}

static gboolean
has_session (gpointer data)
{
  EkStore *store = ek_source_get_store (EK_SOURCE (data));

  return g_list_model_get_n_items (ek_store_get_sessions (store)) > 0;
}

static gboolean
is_settled (gpointer data)
{
  EkChatView *view = data;

  return !ek_sticky_scroll_get_pending (ek_chat_view_get_sticky_scroll (view));
}

static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* The first @n_lines lines of a fixture's events.sse (all with 0). */
static GBytes *
load_stream (const char *name,
             guint       n_lines)
{
  g_autofree char *path = parts_test_fixture_path (name, "events.sse");
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  if (n_lines > 0)
    {
      const char *p = contents;

      for (guint i = 0; i < n_lines && p != NULL; i++)
        {
          p = strchr (p, '\n');
          if (p != NULL)
            p++;
        }
      if (p != NULL)
        len = p - contents;
    }
  return g_bytes_new_take (contents, len);
}

/* Replays @stream at full speed into a chat view in a window, showing
 * the recording's first session. */
static void
chat_replay (Chat   *chat,
             GBytes *stream)
{
  g_autoptr(EkSession) session = NULL;
  GListModel *sessions;

  chat->source = ek_replay_source_new (stream, "test.sse");
  ek_replay_source_set_speed (chat->source, 0);
  chat->view = EK_CHAT_VIEW (ek_chat_view_new ());
  ek_chat_view_set_source (chat->view, EK_SOURCE (chat->source));
  chat->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (chat->window), 780, 700);
  gtk_window_set_child (GTK_WINDOW (chat->window), GTK_WIDGET (chat->view));
  gtk_window_present (GTK_WINDOW (chat->window));

  ek_replay_source_start (chat->source);
  g_assert_true (parts_test_wait (has_session, chat->source, 10000));
  sessions = ek_store_get_sessions (ek_source_get_store (EK_SOURCE (chat->source)));
  session = g_list_model_get_item (sessions, 0);
  ek_chat_view_set_session (chat->view, session);
  g_assert_true (parts_test_wait (is_finished, chat->source, 20000));
  /* the throttled redraws, the list's layout and the sticky scroll
   * (slower under a sanitizer) */
  run_for (600);
  g_assert_true (parts_test_wait (is_settled, chat->view, 10000));
  run_for (200);
}

static void
chat_clear (Chat *chat)
{
  gtk_window_destroy (GTK_WINDOW (chat->window));
  parts_test_iterate ();
  g_clear_object (&chat->source);
}

/* Every part widget of the rows the list view has bound now. */
static GPtrArray *
collect_parts (Chat *chat)
{
  g_autoptr(GPtrArray) rows = ek_chat_view_get_rows (chat->view);
  GPtrArray *parts = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      EkMessageRow *row = g_ptr_array_index (rows, i);
      EkMessage *message = ek_message_row_get_message (row);
      guint n = g_list_model_get_n_items (ek_message_get_parts (message));

      for (guint j = 0; j < n; j++)
        {
          GtkWidget *widget = ek_message_row_get_part_widget (row, j);

          if (widget != NULL)
            g_ptr_array_add (parts, widget);
        }
    }
  return parts;
}

static int
measure_height (GtkWidget *widget)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (widget),
                      &min, &nat, NULL, NULL);
  return nat;
}

static GPtrArray *collect_parts (Chat *chat);

/* The fixture's last message, with its code block, is on screen. */
static gboolean
shows_code_block (gpointer data)
{
  g_autoptr(GPtrArray) parts = collect_parts (data);

  for (guint i = 0; i < parts->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (parts, i);
      EkMarkdownView *markdown;

      if (!EK_IS_TEXT_PART (widget) ||
          !EK_IS_MARKDOWN_VIEW (ek_text_part_get_view (EK_TEXT_PART (widget))))
        continue;
      markdown = EK_MARKDOWN_VIEW (ek_text_part_get_view (EK_TEXT_PART (widget)));
      for (guint j = 0; j < ek_markdown_view_get_n_blocks (markdown); j++)
        if (EK_IS_CODE_BLOCK (ek_markdown_view_get_block_widget (markdown, j)) &&
            gtk_widget_get_mapped (ek_markdown_view_get_block_widget (markdown, j)))
          return TRUE;
    }
  return FALSE;
}

/* After a whole session, folded cards are as tall as their headers and
 * code blocks show every line. */
static void
test_replay_layout (void)
{
  g_autoptr(GBytes) stream = load_stream ("tools", 0);
  g_autoptr(GPtrArray) parts = NULL;
  Chat chat = { NULL, };
  guint n_folded = 0, n_code = 0;

  chat_replay (&chat, stream);
  g_assert_true (ek_stream_clock_get_recorded (ek_chat_view_get_clock (chat.view)));
  g_assert_true (parts_test_wait (shows_code_block, &chat, 10000));
  run_for (300);

  parts = collect_parts (&chat);
  g_assert_cmpuint (parts->len, >, 0);
  for (guint i = 0; i < parts->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (parts, i);

      if (EK_IS_TOOL_PART (widget) && !ek_tool_part_get_expanded (EK_TOOL_PART (widget)))
        {
          GtkWidget *header = ek_tool_part_get_header (EK_TOOL_PART (widget));

          g_assert_cmpint (measure_height (widget), ==, measure_height (header));
          if (gtk_widget_get_mapped (widget))
            g_assert_cmpint (gtk_widget_get_height (widget), ==, measure_height (header));
          n_folded++;
        }
      else if (EK_IS_TEXT_PART (widget) &&
               EK_IS_MARKDOWN_VIEW (ek_text_part_get_view (EK_TEXT_PART (widget))))
        {
          EkMarkdownView *markdown = EK_MARKDOWN_VIEW (ek_text_part_get_view (EK_TEXT_PART (widget)));

          for (guint j = 0; j < ek_markdown_view_get_n_blocks (markdown); j++)
            {
              GtkWidget *block = ek_markdown_view_get_block_widget (markdown, j);
              GtkWidget *source_view;

              if (!EK_IS_CODE_BLOCK (block) || !gtk_widget_get_mapped (block))
                continue;
              source_view = ek_code_block_get_view (EK_CODE_BLOCK (block));
              g_assert_cmpint (gtk_widget_get_height (source_view), ==, measure_height (source_view));
              n_code++;
            }
        }
    }
  /* the fixture's last message has one fenced block, and folded calls */
  g_assert_cmpuint (n_folded, >, 0);
  g_assert_cmpuint (n_code, ==, 1);

  chat_clear (&chat);
}

/* A recording cut while its bash call runs: the badge counts from the
 * recording's own times, not the hours since it was made. */
static void
test_replay_running (void)
{
  g_autoptr(GPtrArray) events = parts_test_fixture_events ("tools");
  g_autoptr(GBytes) stream = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  Chat chat = { NULL, };
  EkToolBadge *badge = NULL;
  guint n_events = 0;
  const char *text;

  /* up to the bash call's first running update; two lines an event */
  for (guint i = 0; i < events->len && n_events == 0; i++)
    {
      JsonObject *event = g_ptr_array_index (events, i);
      JsonObject *properties = json_object_has_member (event, "properties")
                               ? json_object_get_object_member (event, "properties") : NULL;
      JsonObject *part = properties && json_object_has_member (properties, "part")
                         ? json_object_get_object_member (properties, "part") : NULL;

      if (part != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (part, "tool", ""), "bash") == 0 &&
          json_object_has_member (part, "state") &&
          g_strcmp0 (json_object_get_string_member_with_default (json_object_get_object_member (part, "state"),
                                                                 "status", ""), "running") == 0)
        n_events = i + 1;
    }
  g_assert_cmpuint (n_events, >, 0);
  stream = load_stream ("tools", n_events * 2);

  chat_replay (&chat, stream);
  parts = collect_parts (&chat);
  for (guint i = 0; i < parts->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (parts, i);

      if (EK_IS_TOOL_PART (widget) &&
          g_strcmp0 (ek_tool_badge_get_status (ek_tool_part_get_badge (EK_TOOL_PART (widget))), "running") == 0)
        badge = ek_tool_part_get_badge (EK_TOOL_PART (widget));
    }
  g_assert_nonnull (badge);
  text = ek_tool_badge_get_text (badge);
  g_assert_true (g_str_has_suffix (text, " s"));
  g_assert_null (strstr (text, "min"));
  g_assert_null (strstr (text, "h"));

  chat_clear (&chat);
}

int
main (int   argc,
      char *argv[])
{
  parts_test_init (&argc, &argv);

  g_test_add_func ("/chat-rows/replay-layout", test_replay_layout);
  g_test_add_func ("/chat-rows/replay-running", test_replay_running);

  return g_test_run ();
}
