/* test-part-widgets.c: every part widget, built from recorded parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parts come from the fixtures' messages.json and events.sse (real
 * server JSON) and reach the widgets through the store, as in the app.
 * Kinds the fixtures do not hold (file, retry, compaction, agent,
 * subtask, unknown types) are written after the server's schema.
 */

#include "config.h"

#include <string.h>

#include "ek-agent-part.h"
#include "ek-code-block.h"
#include "ek-compaction-part.h"
#include "ek-file-part.h"
#include "ek-generic-part.h"
#include "ek-markdown-view.h"
#include "ek-part-registry.h"
#include "ek-part-util.h"
#include "ek-ui-util.h"
#include "ek-patch-part.h"
#include "ek-reasoning-part.h"
#include "ek-retry-part.h"
#include "ek-step-finish-part.h"
#include "ek-stream-clock.h"
#include "ek-subtask-part.h"
#include "ek-text-part.h"
#include "ek-tool-part.h"
#include "parts-test-util.h"
#include "tools/ek-bash-tool-part.h"
#include "tools/ek-edit-tool-part.h"
#include "tools/ek-question-tool-part.h"
#include "tools/ek-read-tool-part.h"
#include "tools/ek-search-tool-part.h"
#include "tools/ek-task-tool-part.h"
#include "tools/ek-todo-tool-part.h"
#include "tools/ek-write-tool-part.h"

#define MARKUP "<b>bold</b> &amp; <span foreground=\"red\">x</span>"
/* the same inside a JSON string */
#define MARKUP_JSON "<b>bold</b> &amp; <span foreground=\\\"red\\\">x</span>"

/* A part of @type with extra members (JSON without braces). */
static JsonObject *
make_part (const char *id,
           const char *type,
           const char *members)
{
  g_autofree char *json =
    g_strdup_printf ("{\"id\":\"%s\",\"sessionID\":\"ses_test\",\"messageID\":\"msg_test\","
                     "\"type\":\"%s\"%s%s}",
                     id, type, members && *members ? "," : "", members ? members : "");

  return parts_test_parse_object (json);
}

static GtkWidget *
create (EkPart *part)
{
  GtkWidget *widget = ek_part_registry_create_widget (part);

  g_assert_nonnull (widget);
  return g_object_ref_sink (widget);
}

static void
destroy_window (GtkWidget *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  parts_test_iterate ();
}

static void
test_registry (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) text = parts_test_find_part ("explore", "text", NULL, NULL);
  g_autoptr(JsonObject) bash = parts_test_find_part ("explore", "tool", "bash", NULL);
  g_autoptr(JsonObject) step_start = parts_test_find_part ("explore", "step-start", NULL, NULL);
  g_autoptr(JsonObject) mcp = make_part ("prt_mcp", "tool",
                                         "\"callID\":\"c\",\"tool\":\"github_search\","
                                         "\"state\":{\"status\":\"pending\",\"input\":{},\"raw\":\"\"}");
  g_autoptr(JsonObject) unknown = make_part ("prt_new", "hologram", "\"caption\":\"a new kind\"");
  g_autoptr(JsonObject) snapshot = make_part ("prt_snap", "snapshot", "\"snapshot\":\"abc\"");
  g_autoptr(JsonObject) custom = make_part ("prt_custom", "tool",
                                            "\"callID\":\"c\",\"tool\":\"shell2\","
                                            "\"state\":{\"status\":\"pending\",\"input\":{},\"raw\":\"\"}");
  static const struct {
    const char *type;
    const char *tool;
    const char *widget;
  } expected[] = {
    { "reasoning", NULL, "EkReasoningPart" },
    { "tool", "write", "EkWriteToolPart" },
    { "tool", "todowrite", "EkTodoToolPart" },
    { "tool", "read", "EkReadToolPart" },
    { "tool", "glob", "EkSearchToolPart" },
    { "tool", "grep", "EkSearchToolPart" },
    { "tool", "edit", "EkEditToolPart" },
    { "step-finish", NULL, "EkStepFinishPart" },
    { "patch", NULL, "EkPatchPart" },
  };
  EkPart *part;

  part = parts_test_add_part (store, text, "user");
  g_assert_true (ek_part_registry_lookup (part) == EK_TYPE_TEXT_PART);
  part = parts_test_add_part (store, bash, NULL);
  g_assert_true (ek_part_registry_lookup (part) == EK_TYPE_BASH_TOOL_PART);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(JsonObject) data = parts_test_find_part ("explore", expected[i].type,
                                                         expected[i].tool, NULL);

      part = parts_test_add_part (store, data, NULL);
      g_assert_cmpstr (g_type_name (ek_part_registry_lookup (part)), ==, expected[i].widget);
    }

  /* a tool without its own widget: the generic card */
  part = parts_test_add_part (store, mcp, NULL);
  g_assert_true (ek_part_registry_lookup (part) == EK_TYPE_TOOL_PART);

  /* an unknown kind of part: the generic widget, never dropped */
  part = parts_test_add_part (store, unknown, NULL);
  g_assert_true (ek_part_registry_lookup (part) == EK_TYPE_GENERIC_PART);
  {
    g_autoptr(GtkWidget) widget = create (part);

    g_assert_true (EK_IS_GENERIC_PART (widget));
  }

  /* hidden kinds */
  part = parts_test_add_part (store, step_start, NULL);
  g_assert_true (ek_part_registry_lookup (part) == G_TYPE_NONE);
  g_assert_null (ek_part_registry_create_widget (part));
  part = parts_test_add_part (store, snapshot, NULL);
  g_assert_true (ek_part_registry_lookup (part) == G_TYPE_NONE);
  g_assert_null (ek_part_registry_create_widget (part));

  /* a new tool is one registration */
  part = parts_test_add_part (store, custom, NULL);
  g_assert_true (ek_part_registry_lookup (part) == EK_TYPE_TOOL_PART);
  ek_part_registry_register ("tool", "shell2", EK_TYPE_BASH_TOOL_PART);
  g_assert_true (ek_part_registry_lookup (part) == EK_TYPE_BASH_TOOL_PART);
  ek_part_registry_register ("tool", "shell2", G_TYPE_NONE);
  g_assert_null (ek_part_registry_create_widget (part));
}

static void
test_text_assistant (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(GPtrArray) parts = parts_test_fixture_parts ("explore");
  JsonObject *data = NULL;
  g_autoptr(GtkWidget) widget = NULL;
  EkPart *part;
  GtkWidget *view;

  /* the last text part: Markdown with a list, code and a table */
  for (guint i = 0; i < parts->len; i++)
    if (g_strcmp0 (json_object_get_string_member (parts->pdata[i], "type"), "text") == 0)
      data = parts->pdata[i];
  g_assert_nonnull (data);

  part = parts_test_add_part (store, data, "assistant");
  widget = create (part);
  ek_part_widget_set_role (EK_PART_WIDGET (widget), "assistant");
  g_assert_true (EK_IS_TEXT_PART (widget));

  view = ek_text_part_get_view (EK_TEXT_PART (widget));
  g_assert_true (EK_IS_MARKDOWN_VIEW (view));
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==,
                   json_object_get_string_member (data, "text"));
  g_assert_cmpuint (ek_markdown_view_get_n_blocks (EK_MARKDOWN_VIEW (view)), >=, 4);
  g_assert_cmpuint (ek_text_part_get_n_redraws (EK_TEXT_PART (widget)), ==, 1);
  /* complete: nothing waits */
  g_assert_false (ek_text_part_get_pending (EK_TEXT_PART (widget)));
}

static void
test_text_user (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "text", NULL, NULL);
  g_autoptr(GtkWidget) widget = NULL;
  EkPart *part;
  GtkWidget *view;

  part = parts_test_add_part (store, data, "user");
  widget = g_object_ref_sink (ek_part_registry_create_widget_for_role (part, "user"));
  g_assert_cmpstr (ek_part_widget_get_role (EK_PART_WIDGET (widget)), ==, "user");
  /* a prompt is never parsed as Markdown, not even once */
  g_assert_cmpuint (ek_text_part_get_n_redraws (EK_TEXT_PART (widget)), ==, 1);

  view = ek_text_part_get_view (EK_TEXT_PART (widget));
  g_assert_true (GTK_IS_LABEL (view));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (view)), ==, "Please do the scripted task.");
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (view)));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (view)));

  /* the role set after creation, as a recycled row does */
  ek_part_widget_set_role (EK_PART_WIDGET (widget), "assistant");
  g_assert_true (EK_IS_MARKDOWN_VIEW (ek_text_part_get_view (EK_TEXT_PART (widget))));
  ek_part_widget_set_role (EK_PART_WIDGET (widget), "user");
  g_assert_true (GTK_IS_LABEL (ek_text_part_get_view (EK_TEXT_PART (widget))));
}

static void
test_text_markup_literal (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autofree char *members = g_strdup_printf ("\"text\":\"%s\"", MARKUP_JSON);
  g_autoptr(JsonObject) data = make_part ("prt_markup", "text", members);
  g_autoptr(GtkWidget) user = NULL;
  g_autoptr(GtkWidget) assistant = NULL;
  EkPart *part;
  GtkWidget *view;
  g_autofree char *block = NULL;

  part = parts_test_add_part (store, data, "user");
  g_assert_cmpstr (ek_part_get_text (part), ==, MARKUP);

  user = g_object_ref_sink (g_object_new (EK_TYPE_TEXT_PART, "role", "user", "part", part, NULL));
  view = ek_text_part_get_view (EK_TEXT_PART (user));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (view)), ==, MARKUP);

  assistant = create (part);
  view = ek_text_part_get_view (EK_TEXT_PART (assistant));
  g_assert_true (EK_IS_MARKDOWN_VIEW (view));
  block = ek_markdown_view_dup_block_text (EK_MARKDOWN_VIEW (view), 0);
  g_assert_cmpstr (block, ==, MARKUP);
}

static void
test_text_synthetic (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) synthetic = make_part ("prt_syn", "text",
                                               "\"text\":\"Called the Read tool\",\"synthetic\":true");
  g_autoptr(JsonObject) ignored = make_part ("prt_ign", "text",
                                             "\"text\":\"not for the user\",\"ignored\":true");
  g_autoptr(GtkWidget) w1 = NULL;
  g_autoptr(GtkWidget) w2 = NULL;
  GtkWidget *view;

  w1 = create (parts_test_add_part (store, synthetic, "user"));
  view = ek_text_part_get_view (EK_TEXT_PART (w1));
  g_assert_true (GTK_IS_LABEL (view));
  g_assert_true (gtk_widget_has_css_class (view, "dim-label"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (view)), ==, "Called the Read tool");
  g_assert_true (gtk_widget_get_visible (w1));

  w2 = create (parts_test_add_part (store, ignored, "user"));
  g_assert_false (gtk_widget_get_visible (w2));
}

/* Streaming: the first delta draws at once, the next ones wait for the
 * period, the part's end draws at once; unbinding stops the timer. */
static void
test_text_streaming (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = make_part ("prt_stream", "text",
                                          "\"text\":\"\",\"time\":{\"start\":1795568483286}");
  g_autoptr(JsonObject) done = make_part ("prt_stream", "text",
                                          "\"text\":\"Hello, world\","
                                          "\"time\":{\"start\":1795568483286,\"end\":1795568483512}");
  g_autoptr(GtkWidget) widget = NULL;
  EkTextPart *text;
  GtkWidget *view;
  EkPart *part;
  guint drawn;

  part = parts_test_add_part (store, data, "assistant");
  widget = create (part);
  text = EK_TEXT_PART (widget);
  view = ek_text_part_get_view (text);
  drawn = ek_text_part_get_n_redraws (text);

  parts_test_append (store, part, "text", "Hello");
  g_assert_cmpuint (ek_text_part_get_n_redraws (text), ==, drawn + 1);
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, "Hello");

  parts_test_append (store, part, "text", ", ");
  parts_test_append (store, part, "text", "world");
  g_assert_cmpuint (ek_text_part_get_n_redraws (text), ==, drawn + 1);
  g_assert_true (ek_text_part_get_pending (text));

  /* the part ends: the whole text now, no timer left */
  parts_test_update_part (store, done);
  g_assert_false (ek_text_part_get_pending (text));
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, "Hello, world");
  g_assert_cmpuint (ek_text_part_get_n_redraws (text), ==, drawn + 2);

  /* a waiting redraw goes with the part */
  g_usleep (110 * 1000);
  parts_test_append (store, part, "text", "!");
  parts_test_append (store, part, "text", "?");
  g_assert_true (ek_text_part_get_pending (text));
  ek_part_widget_set_part (EK_PART_WIDGET (widget), NULL);
  g_assert_false (ek_text_part_get_pending (text));
}

/* A recycled widget shows the next part of its kind. */
static void
test_text_recycle (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) a = make_part ("prt_a", "text", "\"text\":\"first\"");
  g_autoptr(JsonObject) b = make_part ("prt_b", "text", "\"text\":\"second\"");
  EkPart *part_a = parts_test_add_part (store, a, "assistant");
  EkPart *part_b = parts_test_add_part (store, b, "assistant");
  g_autoptr(GtkWidget) widget = create (part_a);
  GtkWidget *view = ek_text_part_get_view (EK_TEXT_PART (widget));

  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, "first");
  ek_part_widget_set_part (EK_PART_WIDGET (widget), part_b);
  g_assert_true (ek_part_widget_get_part (EK_PART_WIDGET (widget)) == part_b);
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, "second");

  /* the old part's changes no longer reach it */
  parts_test_append (store, part_a, "text", " more");
  parts_test_iterate ();
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, "second");
}

static void
test_reasoning (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "reasoning", NULL, NULL);
  g_autoptr(JsonObject) streaming = make_part ("prt_think", "reasoning",
                                               "\"text\":\"\",\"time\":{\"start\":1795568483196}");
  g_autoptr(GtkWidget) widget = NULL;
  g_autoptr(GtkWidget) live = NULL;
  EkReasoningPart *reasoning;
  GtkWidget *body;
  EkPart *part;
  int folded, height;

  part = parts_test_add_part (store, data, NULL);
  widget = create (part);
  g_assert_true (EK_IS_REASONING_PART (widget));
  reasoning = EK_REASONING_PART (widget);

  /* folded, with its duration */
  g_assert_false (ek_reasoning_part_get_expanded (reasoning));
  g_assert_cmpstr (ek_reasoning_part_get_title (reasoning), ==, "Thought for 87 ms");
  g_assert_cmpstr (ek_reasoning_part_get_preview (reasoning), ==, "");
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, 500, NULL, &folded, NULL, NULL);

  ek_reasoning_part_set_expanded (reasoning, TRUE);
  body = ek_reasoning_part_get_body (reasoning);
  g_assert_true (EK_IS_MARKDOWN_VIEW (body));
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (body)), ==,
                   json_object_get_string_member (data, "text"));
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, 500, NULL, &height, NULL, NULL);
  g_assert_cmpint (height, >, folded);

  /* folded again, no room stays for the body */
  ek_reasoning_part_set_expanded (reasoning, FALSE);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, 500, NULL, &height, NULL, NULL);
  g_assert_cmpint (height, ==, folded);
  ek_reasoning_part_set_expanded (reasoning, TRUE);

  /* streaming: "Thinking" and the latest line */
  part = parts_test_add_part (store, streaming, NULL);
  live = create (part);
  reasoning = EK_REASONING_PART (live);
  g_assert_cmpstr (ek_reasoning_part_get_title (reasoning), ==, "Thinking");
  parts_test_append (store, part, "text", "First I look at the files.\n");
  g_assert_cmpstr (ek_reasoning_part_get_preview (reasoning), ==, "First I look at the files.");
  g_usleep (110 * 1000);
  parts_test_append (store, part, "text", "Then <b>edit</b> &amp; build");
  g_assert_cmpstr (ek_reasoning_part_get_preview (reasoning), ==, "Then <b>edit</b> &amp; build");
  parts_test_append (store, part, "text", " it");
  g_assert_true (ek_reasoning_part_get_pending (reasoning));
  ek_part_widget_set_part (EK_PART_WIDGET (live), NULL);
  g_assert_false (ek_reasoning_part_get_pending (reasoning));
}

typedef struct
{
  const char *status;
  const char *text;
  const char *accessible;
} BadgeCase;

static void
check_badge (EkToolPart      *tool,
             const BadgeCase *expected)
{
  EkToolBadge *badge = ek_tool_part_get_badge (tool);
  g_autofree char *problem = NULL;

  g_assert_cmpstr (ek_tool_badge_get_status (badge), ==, expected->status);
  g_assert_cmpstr (ek_tool_badge_get_text (badge), ==, expected->text);
  g_assert_cmpstr (ek_tool_badge_get_accessible_text (badge), ==, expected->accessible);
  problem = gtk_test_accessible_check_property (GTK_ACCESSIBLE (badge),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                expected->accessible);
  if (problem != NULL)
    g_error ("badge accessible label: %s", problem);
}

/* Every state of one bash call as it streamed (permission fixture), and
 * a failed one (reject fixture). */
static void
test_tool_states (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) pending = parts_test_find_streamed ("permission", "bash", "pending");
  g_autoptr(JsonObject) running = parts_test_find_streamed ("permission", "bash", "running");
  g_autoptr(JsonObject) completed = parts_test_find_streamed ("permission", "bash", "completed");
  g_autoptr(JsonObject) failed = parts_test_find_part ("reject", "tool", "bash", "error");
  static const BadgeCase cases[] = {
    { "pending", "Pending", "Pending" },
    { "running", "3 s", "Running, 3 seconds" },
    { "completed", "0.4 s", "Completed in 0.4 seconds" },
    { "error", "Failed", "Failed" },
  };
  gint64 start = 1795564622878; /* the running state's time.start */
  EkPart *part;
  GtkWidget *widget, *window;
  EkToolPart *tool;
  EkToolBadge *badge;

  ek_part_set_now_ms_for_testing (start + 3200);

  part = parts_test_add_part (store, pending, NULL);
  widget = ek_part_registry_create_widget (part);
  window = parts_test_show (widget);
  tool = EK_TOOL_PART (widget);
  badge = ek_tool_part_get_badge (tool);

  check_badge (tool, &cases[0]);
  g_assert_cmpstr (ek_tool_part_get_title (tool), ==, "Run command");
  g_assert_false (ek_tool_part_get_expanded (tool));
  g_assert_false (ek_tool_badge_get_ticking (badge));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), "pending"));

  parts_test_update_part (store, running);
  check_badge (tool, &cases[1]);
  g_assert_cmpstr (ek_tool_part_get_title (tool), ==, "echo permitted");
  g_assert_cmpstr (ek_tool_part_get_subtitle (tool), ==, "Echo");
  g_assert_true (ek_tool_badge_get_ticking (badge));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), "running"));

  /* the elapsed time counts up while running */
  ek_part_set_now_ms_for_testing (start + 65000);
  ek_tool_badge_set_state (badge, "running", start, 0);
  g_assert_cmpstr (ek_tool_badge_get_text (badge), ==, "1 min 5 s");
  g_assert_cmpstr (ek_tool_badge_get_accessible_text (badge), ==, "Running, 1 minute 5 seconds");

  parts_test_update_part (store, completed);
  check_badge (tool, &cases[2]);
  g_assert_false (ek_tool_badge_get_ticking (badge));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), "completed"));
  /* finished calls fold away */
  g_assert_false (ek_tool_part_get_expanded (tool));

  /* a failed call, in a recycled card */
  part = parts_test_add_part (store, failed, NULL);
  ek_part_widget_set_part (EK_PART_WIDGET (widget), part);
  check_badge (tool, &cases[3]);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (badge), "failed"));
  g_assert_true (ek_tool_part_get_expanded (tool));
  g_assert_cmpstr (ek_tool_part_get_error (tool), ==,
                   "The user rejected permission to use this specific tool call.");
  g_assert_false (ek_tool_badge_get_ticking (badge));

  /* no timer survives the window */
  parts_test_update_part (store, running);
  ek_part_widget_set_part (EK_PART_WIDGET (widget), part);
  destroy_window (window);
  ek_part_set_now_ms_for_testing (0);
}

static int
measured_height (GtkWidget *widget)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (widget),
                      &min, &nat, NULL, NULL);
  return nat;
}

static gboolean
is_folded (gpointer data)
{
  GtkWidget *widget = data;
  int height = measured_height (ek_tool_part_get_header (EK_TOOL_PART (widget)));

  return measured_height (widget) == height && gtk_widget_get_height (widget) == height;
}

/* A call that streamed open (running, with output) and then finished
 * folds to its header: no room is kept for the hidden body, on screen
 * or not, and it opens and closes again on demand. */
static void
test_tool_collapse_height (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) running = make_part ("prt_fold", "tool",
                                             "\"callID\":\"c\",\"tool\":\"bash\","
                                             "\"state\":{\"status\":\"running\","
                                             "\"input\":{\"command\":\"seq 1 8\",\"description\":\"Count\"},"
                                             "\"metadata\":{\"output\":\"1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n\"},"
                                             "\"time\":{\"start\":1000}}");
  g_autoptr(JsonObject) completed = make_part ("prt_fold", "tool",
                                               "\"callID\":\"c\",\"tool\":\"bash\","
                                               "\"state\":{\"status\":\"completed\","
                                               "\"input\":{\"command\":\"seq 1 8\",\"description\":\"Count\"},"
                                               "\"output\":\"1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n\",\"title\":\"seq\","
                                               "\"metadata\":{\"output\":\"1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n\",\"exit\":0},"
                                               "\"time\":{\"start\":1000,\"end\":1400}}");
  EkPart *part;
  GtkWidget *widget, *window, *header;
  EkToolPart *tool;
  int collapsed, expanded;

  ek_part_set_now_ms_for_testing (2000);
  part = parts_test_add_part (store, running, NULL);
  widget = ek_part_registry_create_widget (part);
  /* allocated its own height, not the window's */
  gtk_widget_set_valign (widget, GTK_ALIGN_START);
  window = parts_test_show (widget);
  tool = EK_TOOL_PART (widget);
  header = ek_tool_part_get_header (tool);
  parts_test_iterate ();
  g_assert_true (ek_tool_part_get_expanded (tool));
  expanded = measured_height (widget);
  g_assert_cmpint (expanded, >, measured_height (header) + 60);

  /* finished: folded to the header alone (the card draws no border of
   * its own around it) */
  parts_test_update_part (store, completed);
  parts_test_iterate ();
  g_assert_false (ek_tool_part_get_expanded (tool));
  collapsed = measured_height (widget);
  g_assert_cmpint (collapsed, ==, measured_height (header));
  g_assert_true (parts_test_wait (is_folded, tool, 2000));

  /* opened and closed by hand (animated), it ends at the same height */
  g_signal_emit_by_name (header, "clicked");
  g_assert_true (ek_tool_part_get_expanded (tool));
  g_signal_emit_by_name (header, "clicked");
  g_assert_false (ek_tool_part_get_expanded (tool));
  g_assert_true (parts_test_wait (is_folded, tool, 2000));
  destroy_window (window);
  ek_part_set_now_ms_for_testing (0);
}

static gboolean
window_has_focus_widget (gpointer data)
{
  return gtk_window_get_focus (GTK_WINDOW (data)) != NULL ||
         gtk_window_is_active (GTK_WINDOW (data));
}

/* Presenting a window puts focus nowhere in the parts: not on a prompt's
 * selectable label (which would show all of it selected), nor an error,
 * a command or an output view; they become focusable when clicked. */
static void
test_focus_on_present (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) prompt = parts_test_find_part ("explore", "text", NULL, NULL);
  g_autoptr(JsonObject) failed = parts_test_find_part ("reject", "tool", "bash", "error");
  g_autoptr(JsonObject) running = make_part ("prt_run", "tool",
                                             "\"callID\":\"c\",\"tool\":\"bash\","
                                             "\"state\":{\"status\":\"running\","
                                             "\"input\":{\"command\":\"make\"},"
                                             "\"metadata\":{\"output\":\"cc -c a.c\\n\"},"
                                             "\"time\":{\"start\":1000}}");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *user, *window, *label, *focus;
  EkPart *part;
  GtkWidget *parts[3];

  ek_part_set_now_ms_for_testing (2000);
  part = parts_test_add_part (store, prompt, "user");
  user = ek_part_registry_create_widget_for_role (part, "user");
  parts[0] = user;
  parts[1] = ek_part_registry_create_widget (parts_test_add_part (store, failed, NULL));
  parts[2] = ek_part_registry_create_widget (parts_test_add_part (store, running, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    gtk_box_append (GTK_BOX (box), parts[i]);
  /* something that may take focus, after the parts */
  gtk_box_append (GTK_BOX (box), gtk_entry_new ());

  window = parts_test_show (box);
  parts_test_wait (window_has_focus_widget, window, 2000);
  parts_test_iterate ();

  label = ek_text_part_get_view (EK_TEXT_PART (user));
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    g_assert_false (focus != NULL && (focus == parts[i] || gtk_widget_is_ancestor (focus, parts[i])) &&
                    !GTK_IS_BUTTON (focus));
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (label), NULL, NULL));
  g_assert_false (gtk_widget_get_focusable (label));

  /* new text keeps it out of the focus chain */
  parts_test_append (store, part, "text", " More.");
  parts_test_iterate ();
  g_assert_false (gtk_widget_get_focusable (label));

  destroy_window (window);
  ek_part_set_now_ms_for_testing (0);
}

/* A running call's elapsed time: by the local clock for a live stream;
 * for a recording replayed hours later, up to the newest time the
 * conversation carries, never the hours since it was recorded. */
static void
test_tool_clock (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkStreamClock) clock = ek_stream_clock_new ();
  g_autoptr(JsonObject) running = parts_test_find_streamed ("permission", "bash", "running");
  g_autoptr(GtkWidget) widget = NULL;
  gint64 start = 1795564622878; /* the running state's time.start */
  EkToolBadge *badge;
  EkPart *part;

  /* played back 2 h 23 min later */
  ek_part_set_now_ms_for_testing (start + (2 * 60 + 23) * 60 * 1000);
  part = parts_test_add_part (store, running, NULL);
  widget = create (part);
  badge = ek_tool_part_get_badge (EK_TOOL_PART (widget));

  /* live (no clock, or a live one): the local clock */
  g_assert_cmpstr (ek_tool_badge_get_text (badge), ==, "2 h 23 min");
  ek_part_widget_set_clock (EK_PART_WIDGET (widget), clock);
  g_assert_cmpstr (ek_tool_badge_get_text (badge), ==, "2 h 23 min");
  /* the widget noted its part's start */
  g_assert_cmpint (ek_stream_clock_get_newest_ms (clock), ==, start);

  /* a recording: the newest time seen */
  ek_stream_clock_set_recorded (clock, TRUE);
  ek_part_widget_set_clock (EK_PART_WIDGET (widget), NULL);
  ek_part_widget_set_clock (EK_PART_WIDGET (widget), clock);
  g_assert_cmpstr (ek_tool_badge_get_text (badge), ==, "0 s");
  ek_stream_clock_note (clock, start + 2400);
  ek_stream_clock_note (clock, start + 1000); /* older: ignored */
  ek_tool_badge_set_state (badge, "running", start, 0);
  g_assert_cmpstr (ek_tool_badge_get_text (badge), ==, "2 s");
  g_assert_cmpstr (ek_tool_badge_get_accessible_text (badge), ==, "Running, 2 seconds");

  /* a server clock ahead of ours: not a negative time */
  ek_stream_clock_set_recorded (clock, FALSE);
  ek_part_set_now_ms_for_testing (start - 5000);
  ek_tool_badge_set_state (badge, "running", start, 0);
  g_assert_cmpstr (ek_tool_badge_get_text (badge), ==, "0 s");

  ek_part_set_now_ms_for_testing (0);
}

/* The generic card for any other tool gives the same states. */
static void
test_tool_generic (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) running = make_part ("prt_mcp", "tool",
                                             "\"callID\":\"c1\",\"tool\":\"github_search\","
                                             "\"state\":{\"status\":\"running\",\"input\":{\"q\":\"gtk\"},"
                                             "\"time\":{\"start\":1000}}");
  g_autoptr(JsonObject) completed = make_part ("prt_mcp", "tool",
                                               "\"callID\":\"c1\",\"tool\":\"github_search\","
                                               "\"state\":{\"status\":\"completed\",\"input\":{\"q\":\"gtk\"},"
                                               "\"output\":\"3 results: " MARKUP_JSON "\",\"title\":\"Search GitHub\","
                                               "\"metadata\":{},\"time\":{\"start\":1000,\"end\":2500}}");
  g_autoptr(GtkWidget) widget = NULL;
  EkToolPart *tool;
  EkPart *part;

  ek_part_set_now_ms_for_testing (43000);
  part = parts_test_add_part (store, running, NULL);
  widget = create (part);
  tool = EK_TOOL_PART (widget);
  g_assert_true (G_OBJECT_TYPE (widget) == EK_TYPE_TOOL_PART);
  check_badge (tool, &(BadgeCase) { "running", "42 s", "Running, 42 seconds" });
  g_assert_cmpstr (ek_tool_part_get_title (tool), ==, "github_search");
  g_assert_cmpstr (ek_tool_part_get_icon_name (tool), ==, "applications-engineering-symbolic");
  g_assert_true (ek_tool_part_get_expanded (tool));
  g_assert_true (parts_test_has_text (widget, "{\n  \"q\" : \"gtk\"\n}"));

  parts_test_update_part (store, completed);
  check_badge (tool, &(BadgeCase) { "completed", "1.5 s", "Completed in 1.5 seconds" });
  g_assert_cmpstr (ek_tool_part_get_title (tool), ==, "Search GitHub");
  g_assert_cmpstr (ek_tool_part_get_subtitle (tool), ==, "github_search");
  g_assert_false (ek_tool_part_get_expanded (tool));
  ek_tool_part_set_expanded (tool, TRUE);
  g_assert_true (parts_test_has_text (widget, "3 results: " MARKUP));
  ek_part_set_now_ms_for_testing (0);
}

static void
test_tool_bash (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) completed = parts_test_find_part ("explore", "tool", "bash", "completed");
  g_autoptr(JsonObject) live = make_part ("prt_bash", "tool",
                                          "\"callID\":\"c\",\"tool\":\"bash\","
                                          "\"state\":{\"status\":\"running\","
                                          "\"input\":{\"command\":\"make <b>all</b> &amp;\",\"description\":\"Build\"},"
                                          "\"metadata\":{\"output\":\"\\u001b[1;31merror:\\u001b[0m <b>bad</b>\\r\\n"
                                          "\\u001b]0;title\\u0007progress 10%\\rprogress 100%\\n\\u001b[?25h\"},"
                                          "\"time\":{\"start\":1795568485883}}");
  g_autoptr(JsonObject) failed = make_part ("prt_bash", "tool",
                                            "\"callID\":\"c\",\"tool\":\"bash\","
                                            "\"state\":{\"status\":\"completed\","
                                            "\"input\":{\"command\":\"make <b>all</b> &amp;\",\"description\":\"Build\"},"
                                            "\"output\":\"make: *** [all] Error 2\\n\",\"title\":\"make\","
                                            "\"metadata\":{\"output\":\"make: *** [all] Error 2\\n\",\"exit\":2},"
                                            "\"time\":{\"start\":1795568485883,\"end\":1795568486184}}");
  g_autoptr(GtkWidget) widget = NULL;
  g_autofree char *shown = NULL;
  EkBashToolPart *bash;
  EkOutputView *output;
  EkPart *part;

  part = parts_test_add_part (store, completed, NULL);
  widget = create (part);
  bash = EK_BASH_TOOL_PART (widget);
  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (bash)), ==, "cat hello.c | wc -l && echo built");
  g_assert_cmpstr (ek_tool_part_get_subtitle (EK_TOOL_PART (bash)), ==, "Count lines");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (bash)), ==, "utilities-terminal-symbolic");
  g_assert_false (ek_tool_part_get_expanded (EK_TOOL_PART (bash)));
  /* the body is made when first shown */
  g_assert_null (ek_bash_tool_part_get_output (bash));
  ek_tool_part_set_expanded (EK_TOOL_PART (bash), TRUE);
  output = ek_bash_tool_part_get_output (bash);
  shown = ek_output_view_dup_shown_text (output);
  g_assert_cmpstr (shown, ==, "7\nbuilt");
  g_assert_cmpstr (ek_bash_tool_part_get_exit_text (bash), ==, "");
  g_clear_pointer (&shown, g_free);

  /* live output while running, escape sequences gone, markup literal */
  part = parts_test_add_part (store, live, NULL);
  ek_part_widget_set_part (EK_PART_WIDGET (widget), part);
  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (bash)), ==, "make <b>all</b> &amp;");
  g_assert_true (ek_tool_part_get_expanded (EK_TOOL_PART (bash)));
  output = ek_bash_tool_part_get_output (bash);
  shown = ek_output_view_dup_shown_text (output);
  g_assert_cmpstr (shown, ==, "error: <b>bad</b>\nprogress 100%");
  g_assert_null (strstr (shown, "\x1b"));
  g_assert_null (strstr (shown, "[0m"));
  {
    /* the red, bold "error:" is coloured, not dropped */
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (ek_output_view_get_text_view (output));
    GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
    GtkTextTag *red = gtk_text_tag_table_lookup (table, "ansi-fg-e01b24");
    GtkTextIter iter;

    g_assert_nonnull (red);
    gtk_text_buffer_get_start_iter (buffer, &iter);
    g_assert_true (gtk_text_iter_has_tag (&iter, red));
    gtk_text_iter_forward_chars (&iter, 7);
    g_assert_false (gtk_text_iter_has_tag (&iter, red));
  }
  g_clear_pointer (&shown, g_free);

  /* finished, it folds; a non-zero exit code is said */
  parts_test_update_part (store, failed);
  g_assert_false (ek_tool_part_get_expanded (EK_TOOL_PART (bash)));
  ek_tool_part_set_expanded (EK_TOOL_PART (bash), TRUE);
  g_assert_cmpstr (ek_bash_tool_part_get_exit_text (bash), ==, "Exit code 2");
  shown = ek_output_view_dup_shown_text (output);
  g_assert_cmpstr (shown, ==, "make: *** [all] Error 2");
}

/* Long output is shortened to its last lines, "Show More" shows all. */
static void
test_tool_bash_long_output (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(GString) members = g_string_new ("\"callID\":\"c\",\"tool\":\"bash\","
                                             "\"state\":{\"status\":\"running\","
                                             "\"input\":{\"command\":\"seq 1 500\"},"
                                             "\"metadata\":{\"output\":\"");
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GtkWidget) widget = NULL;
  g_autofree char *shown = NULL;
  EkOutputView *output;

  for (guint i = 1; i <= 500; i++)
    g_string_append_printf (members, "%u\\n", i);
  g_string_append (members, "\"},\"time\":{\"start\":1}}");
  data = make_part ("prt_seq", "tool", members->str);

  widget = create (parts_test_add_part (store, data, NULL));
  output = ek_bash_tool_part_get_output (EK_BASH_TOOL_PART (widget));
  g_assert_true (ek_output_view_get_truncated (output));
  shown = ek_output_view_dup_shown_text (output);
  g_assert_true (g_str_has_prefix (shown, "485\n"));
  g_assert_true (g_str_has_suffix (shown, "\n500"));
  g_clear_pointer (&shown, g_free);

  g_signal_emit_by_name (ek_output_view_get_more_button (output), "clicked");
  g_assert_true (ek_output_view_get_expanded (output));
  shown = ek_output_view_dup_shown_text (output);
  g_assert_true (g_str_has_prefix (shown, "1\n2\n"));
  g_assert_true (g_str_has_suffix (shown, "\n500"));
}

static void
test_tool_edit (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "tool", "edit", "completed");
  g_autoptr(JsonObject) asked = make_part ("prt_edit", "tool",
                                           "\"callID\":\"c\",\"tool\":\"edit\","
                                           "\"state\":{\"status\":\"running\","
                                           "\"input\":{\"filePath\":\"src/a.c\",\"oldString\":\"int a;\",\"newString\":\"long a;\\nlong b;\"},"
                                           "\"time\":{\"start\":1}}");
  g_autoptr(GtkWidget) widget = NULL;
  g_autofree char *stats = NULL;
  EkEditToolPart *edit;
  EkDiffView *diff;
  gboolean found_removed = FALSE, found_added = FALSE;

  widget = create (parts_test_add_part (store, data, NULL));
  edit = EK_EDIT_TOOL_PART (widget);
  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (edit)), ==, "hello.c");
  stats = ek_edit_tool_part_dup_stats (edit);
  g_assert_cmpstr (stats, ==, "+1 −1");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (edit)), ==, "document-edit-symbolic");
  check_badge (EK_TOOL_PART (edit), &(BadgeCase) { "completed", "34 ms", "Completed in 34 milliseconds" });

  ek_tool_part_set_expanded (EK_TOOL_PART (edit), TRUE);
  diff = ek_edit_tool_part_get_diff_view (edit);
  g_assert_nonnull (diff);
  /* the hunk header first: the "Index:" and file headers are left out */
  g_assert_cmpuint (ek_diff_view_get_n_lines (diff), ==, 9);
  g_assert_cmpint (ek_diff_view_get_line_kind (diff, 0), ==, EK_DIFF_LINE_HUNK);
  for (guint i = 0; i < ek_diff_view_get_n_lines (diff); i++)
    {
      g_autofree char *line = ek_diff_view_dup_line (diff, i);

      g_assert_null (strstr (line, "Index:"));
      g_assert_null (strstr (line, "===="));
      if (strstr (line, "-  puts(\"hello\");") != NULL)
        {
          g_assert_cmpint (ek_diff_view_get_line_kind (diff, i), ==, EK_DIFF_LINE_REMOVED);
          g_assert_true (g_str_has_prefix (line, "   5 "));
          found_removed = TRUE;
        }
      if (strstr (line, "+  puts(\"hello, world\");") != NULL)
        {
          g_assert_cmpint (ek_diff_view_get_line_kind (diff, i), ==, EK_DIFF_LINE_ADDED);
          found_added = TRUE;
        }
    }
  g_assert_true (found_removed && found_added);
  {
    /* coloured: the added line carries the "added" tag */
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (ek_diff_view_get_text_view (diff));
    GtkTextTag *added = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "added");
    GtkTextIter iter;

    for (guint i = 0; i < ek_diff_view_get_n_lines (diff); i++)
      {
        gtk_text_buffer_get_iter_at_line (buffer, &iter, i);
        gtk_text_iter_forward_chars (&iter, 6);
        g_assert_true (gtk_text_iter_has_tag (&iter, added) ==
                       (ek_diff_view_get_line_kind (diff, i) == EK_DIFF_LINE_ADDED));
      }
  }

  /* before it is made: the requested replacement */
  ek_part_widget_set_part (EK_PART_WIDGET (widget), parts_test_add_part (store, asked, NULL));
  g_assert_null (ek_edit_tool_part_dup_stats (edit));
  g_assert_true (ek_tool_part_get_expanded (EK_TOOL_PART (edit)));
  diff = ek_edit_tool_part_get_diff_view (edit);
  g_assert_cmpuint (ek_diff_view_get_n_lines (diff), ==, 4);
  g_assert_cmpint (ek_diff_view_get_line_kind (diff, 1), ==, EK_DIFF_LINE_REMOVED);
  g_assert_cmpint (ek_diff_view_get_line_kind (diff, 2), ==, EK_DIFF_LINE_ADDED);
  g_assert_cmpint (ek_diff_view_get_line_kind (diff, 3), ==, EK_DIFF_LINE_ADDED);
}

static void
test_tool_write (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "tool", "write", "completed");
  g_autoptr(GtkWidget) widget = NULL;
  EkWriteToolPart *write;
  GtkWidget *code;

  widget = create (parts_test_add_part (store, data, NULL));
  write = EK_WRITE_TOOL_PART (widget);
  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (write)), ==, "hello.c");
  g_assert_cmpstr (ek_tool_part_get_subtitle (EK_TOOL_PART (write)), ==, "7 lines");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (write)), ==, "document-new-symbolic");
  ek_tool_part_set_expanded (EK_TOOL_PART (write), TRUE);
  code = ek_write_tool_part_get_code_block (write);
  g_assert_nonnull (code);
  g_assert_cmpstr (ek_write_tool_part_get_language (write), ==, "c");
  /* the code block drops the last line end */
  g_assert_cmpstr (ek_code_block_get_code (EK_CODE_BLOCK (code)), ==,
                   "#include <stdio.h>\n\nint main(void)\n{\n  puts(\"hello\");\n  return 0;\n}");
}

static void
test_tool_read (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "tool", "read", "completed");
  g_autoptr(JsonObject) failed = parts_test_find_part ("explore", "tool", "read", "error");
  g_autoptr(GtkWidget) widget = NULL;
  g_autoptr(GtkWidget) error_widget = NULL;
  g_autofree char *shown = NULL;
  EkReadToolPart *read;

  widget = create (parts_test_add_part (store, data, NULL));
  read = EK_READ_TOOL_PART (widget);
  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (read)), ==, "hello.c");
  g_assert_cmpstr (ek_tool_part_get_subtitle (EK_TOOL_PART (read)), ==, "7 lines");
  ek_tool_part_set_expanded (EK_TOOL_PART (read), TRUE);
  g_assert_cmpstr (ek_read_tool_part_get_path (read), ==, "/home/dev/project/hello.c");
  shown = ek_output_view_dup_shown_text (ek_read_tool_part_get_output (read));
  /* 13 lines: one over the 12 shown would not be worth a "Show More" */
  g_assert_true (g_str_has_prefix (shown, "<path>/home/dev/project/hello.c</path>\n"));
  g_assert_true (g_str_has_suffix (shown, "(End of file - total 7 lines)\n</content>"));
  g_assert_false (ek_output_view_get_truncated (ek_read_tool_part_get_output (read)));

  error_widget = create (parts_test_add_part (store, failed, NULL));
  g_assert_true (ek_tool_part_get_expanded (EK_TOOL_PART (error_widget)));
  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (error_widget)), ==, "does-not-exist.c");
  g_assert_cmpstr (ek_tool_part_get_error (EK_TOOL_PART (error_widget)), ==,
                   "File not found: /home/dev/project/does-not-exist.c");
  g_assert_true (parts_test_has_text (error_widget, "File not found: /home/dev/project/does-not-exist.c"));
}

static void
test_tool_error_markup (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = make_part ("prt_err", "tool",
                                          "\"callID\":\"c\",\"tool\":\"webfetch\","
                                          "\"state\":{\"status\":\"error\",\"input\":{\"url\":\"https://x.test/<b>\"},"
                                          "\"error\":\"" MARKUP_JSON "\","
                                          "\"time\":{\"start\":1,\"end\":2}}");
  g_autoptr(GtkWidget) widget = create (parts_test_add_part (store, data, NULL));
  GtkWidget *label;

  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (widget)), ==, "https://x.test/<b>");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (widget)), ==, "web-browser-symbolic");
  g_assert_cmpstr (ek_tool_part_get_error (EK_TOOL_PART (widget)), ==, MARKUP);
  label = parts_test_find_label (widget, MARKUP);
  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  g_assert_true (gtk_widget_has_css_class (label, "error"));
}

static void
test_tool_todo (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "tool", "todowrite", "completed");
  g_autoptr(GtkWidget) widget = create (parts_test_add_part (store, data, NULL));
  EkTodoToolPart *todo = EK_TODO_TOOL_PART (widget);

  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (todo)), ==, "2 todos");
  g_assert_cmpstr (ek_tool_part_get_subtitle (EK_TOOL_PART (todo)), ==, "1 of 3 done");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (todo)), ==, "checkbox-checked-symbolic");
  ek_tool_part_set_expanded (EK_TOOL_PART (todo), TRUE);

  g_assert_cmpuint (ek_todo_tool_part_get_n_items (todo), ==, 3);
  g_assert_cmpstr (ek_todo_tool_part_get_item_text (todo, 0), ==, "Write hello.c");
  g_assert_cmpstr (ek_todo_tool_part_get_item_icon (todo, 0), ==, "checkbox-checked-symbolic");
  g_assert_cmpstr (ek_todo_tool_part_get_item_priority (todo, 0), ==, "High");
  g_assert_cmpstr (ek_todo_tool_part_get_item_text (todo, 1), ==, "Change greeting");
  g_assert_cmpstr (ek_todo_tool_part_get_item_icon (todo, 1), ==, "media-playback-start-symbolic");
  g_assert_cmpstr (ek_todo_tool_part_get_item_priority (todo, 1), ==, "Medium");
  g_assert_cmpstr (ek_todo_tool_part_get_item_icon (todo, 2), ==, "checkbox-symbolic");
  g_assert_cmpstr (ek_todo_tool_part_get_item_priority (todo, 2), ==, "Low");
}

static void
on_open_session (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  char **opened = user_data;

  g_free (*opened);
  *opened = g_variant_dup_string (parameter, NULL);
}

static gboolean
is_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_tool_task (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("subagent", "tool", "task", "completed");
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("open-session", G_VARIANT_TYPE_STRING);
  g_autofree char *opened = NULL;
  GtkWidget *widget, *window, *button;
  EkTaskToolPart *task;

  g_signal_connect (action, "activate", G_CALLBACK (on_open_session), &opened);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));

  widget = ek_part_registry_create_widget (parts_test_add_part (store, data, NULL));
  window = parts_test_show (widget);
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  task = EK_TASK_TOOL_PART (widget);

  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (task)), ==, "Find greeting files");
  g_assert_cmpstr (ek_tool_part_get_subtitle (EK_TOOL_PART (task)), ==, "general agent");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (task)), ==, "system-run-symbolic");
  g_assert_cmpstr (ek_task_tool_part_get_session_id (task), ==, "ses_deff7fa25ffeHg1wmnJFKpZQiI");

  ek_tool_part_set_expanded (EK_TOOL_PART (task), TRUE);
  button = ek_task_tool_part_get_open_button (task);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  /* nothing opens by itself */
  parts_test_iterate ();
  g_assert_null (opened);

  gtk_widget_activate (button);
  g_assert_true (parts_test_wait (is_set, &opened, 2000));
  g_assert_cmpstr (opened, ==, "ses_deff7fa25ffeHg1wmnJFKpZQiI");
  g_assert_true (parts_test_has_text (widget,
                                      "<task id=\"ses_deff7fa25ffeHg1wmnJFKpZQiI\" state=\"completed\">\n"
                                      "<task_result>\nChild report: README.md is the only file.\n"
                                      "</task_result>\n</task>"));
  destroy_window (window);
}

static void
test_tool_question (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("question", "tool", "question", "completed");
  g_autoptr(GtkWidget) widget = create (parts_test_add_part (store, data, NULL));
  g_autofree char *answer = NULL;
  GtkWidget *chosen, *other;

  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (widget)), ==, "Asked 1 question");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (widget)), ==, "ekacode-question-symbolic");
  answer = ek_question_tool_part_dup_answer (EK_QUESTION_TOOL_PART (widget), 0);
  g_assert_cmpstr (answer, ==, "C");

  ek_tool_part_set_expanded (EK_TOOL_PART (widget), TRUE);
  g_assert_true (parts_test_has_text (widget, "Language"));
  g_assert_true (parts_test_has_text (widget, "Which language should the example use?"));
  g_assert_true (parts_test_has_text (widget, "Safe systems language"));
  chosen = parts_test_find_label (widget, "C");
  other = parts_test_find_label (widget, "Rust");
  g_assert_nonnull (chosen);
  g_assert_nonnull (other);
  /* the chosen option's row is marked */
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (gtk_widget_get_parent (chosen)), "chosen"));
  g_assert_false (gtk_widget_has_css_class (gtk_widget_get_parent (gtk_widget_get_parent (other)), "chosen"));
}

static void
test_tool_search (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) glob = parts_test_find_part ("explore", "tool", "glob", "completed");
  g_autoptr(JsonObject) grep = parts_test_find_part ("explore", "tool", "grep", "completed");
  g_autoptr(JsonObject) failed = parts_test_find_part ("tools", "tool", "grep", "error");
  g_autoptr(GtkWidget) w1 = create (parts_test_add_part (store, glob, NULL));
  g_autoptr(GtkWidget) w2 = create (parts_test_add_part (store, grep, NULL));
  g_autoptr(GtkWidget) w3 = create (parts_test_add_part (store, failed, NULL));
  g_autofree char *shown = NULL;

  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (w1)), ==, "**/*.c");
  g_assert_cmpstr (ek_tool_part_get_subtitle (EK_TOOL_PART (w1)), ==, "1 file");
  g_assert_cmpstr (ek_tool_part_get_icon_name (EK_TOOL_PART (w1)), ==, "system-search-symbolic");
  ek_tool_part_set_expanded (EK_TOOL_PART (w1), TRUE);
  shown = ek_output_view_dup_shown_text (ek_search_tool_part_get_output (EK_SEARCH_TOOL_PART (w1)));
  g_assert_cmpstr (shown, ==, "/home/dev/project/hello.c");

  g_assert_cmpstr (ek_tool_part_get_title (EK_TOOL_PART (w2)), ==, "puts");
  g_assert_cmpstr (ek_tool_part_get_subtitle (EK_TOOL_PART (w2)), ==, "in *.c · 1 match");

  g_assert_true (ek_tool_part_get_expanded (EK_TOOL_PART (w3)));
  g_assert_cmpstr (ek_tool_part_get_error (EK_TOOL_PART (w3)), ==, "ripgrep execution failed");
}

static gboolean
on_open_uri (EkFilePart *part,
             const char *uri,
             gpointer    user_data)
{
  GPtrArray *opened = user_data;

  g_ptr_array_add (opened, g_strdup (uri));
  return TRUE;
}

static gboolean
has_one (gpointer data)
{
  return ((GPtrArray *) data)->len == 1;
}

static void
test_file (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) local = make_part ("prt_f1", "file",
                                           "\"mime\":\"text/x-csrc\",\"url\":\"file:///srv/project/%3Cb%3Ex.c\","
                                           "\"filename\":\"<b>x</b> &amp;.c\"");
  g_autoptr(JsonObject) remote = make_part ("prt_f2", "file",
                                            "\"mime\":\"image/png\",\"url\":\"https://example.test/img/logo.png?x=1\"");
  g_autoptr(JsonObject) inline_data = make_part ("prt_f3", "file",
                                                 "\"mime\":\"image/png\",\"url\":\"data:image/png;base64,iVBORw0KGgo=\"");
  g_autoptr(GPtrArray) opened = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *chips[3], *w1, *w2, *w3, *box, *window;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  chips[0] = w1 = ek_part_registry_create_widget (parts_test_add_part (store, local, "user"));
  chips[1] = w2 = ek_part_registry_create_widget (parts_test_add_part (store, remote, "user"));
  chips[2] = w3 = ek_part_registry_create_widget (parts_test_add_part (store, inline_data, "user"));
  for (guint i = 0; i < G_N_ELEMENTS (chips); i++)
    {
      g_assert_true (EK_IS_FILE_PART (chips[i]));
      g_signal_connect (chips[i], "open-uri", G_CALLBACK (on_open_uri), opened);
      gtk_box_append (GTK_BOX (box), chips[i]);
    }
  window = parts_test_show (box);
  parts_test_iterate ();

  /* names literal; nothing opened by being shown */
  g_assert_cmpstr (ek_file_part_get_name (EK_FILE_PART (w1)), ==, "<b>x</b> &amp;.c");
  g_assert_true (parts_test_has_text (w1, "<b>x</b> &amp;.c"));
  g_assert_cmpstr (ek_file_part_get_name (EK_FILE_PART (w2)), ==, "logo.png");
  g_assert_cmpstr (ek_file_part_get_name (EK_FILE_PART (w3)), ==, "image/png");
  g_assert_cmpuint (opened->len, ==, 0);

  /* only a local file opens, and only when asked */
  g_assert_true (ek_file_part_get_openable (EK_FILE_PART (w1)));
  g_assert_false (ek_file_part_get_openable (EK_FILE_PART (w2)));
  g_assert_false (ek_file_part_get_openable (EK_FILE_PART (w3)));
  ek_file_part_open (EK_FILE_PART (w2));
  ek_file_part_open (EK_FILE_PART (w3));
  g_assert_cmpuint (opened->len, ==, 0);
  /* a button's activation clicks it after a short press animation */
  gtk_widget_activate (gtk_widget_get_first_child (w1));
  g_assert_true (parts_test_wait (has_one, opened, 2000));
  g_assert_cmpuint (opened->len, ==, 1);
  g_assert_cmpstr (opened->pdata[0], ==, "file:///srv/project/%3Cb%3Ex.c");

  destroy_window (window);
}

static void
test_step_finish (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "step-finish", NULL, NULL);
  g_autoptr(JsonObject) costly = make_part ("prt_sf", "step-finish",
                                            "\"reason\":\"stop\",\"cost\":0.0123,"
                                            "\"tokens\":{\"input\":1000,\"output\":200,\"reasoning\":30,"
                                            "\"cache\":{\"read\":4,\"write\":0}}");
  g_autoptr(GtkWidget) w1 = create (parts_test_add_part (store, data, NULL));
  g_autoptr(GtkWidget) w2 = create (parts_test_add_part (store, costly, NULL));

  g_assert_cmpstr (ek_step_finish_part_get_text (EK_STEP_FINISH_PART (w1)), ==, "150 tokens");
  g_assert_cmpstr (ek_step_finish_part_get_text (EK_STEP_FINISH_PART (w2)), ==, "1,234 tokens · $0.0123");
}

static void
test_patch (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_find_part ("explore", "patch", NULL, NULL);
  g_autoptr(JsonObject) two = make_part ("prt_p2", "patch",
                                         "\"hash\":\"abc\",\"files\":[\"/p/a.c\",\"/p/<b>.c\"]");
  g_autoptr(GtkWidget) w1 = create (parts_test_add_part (store, data, NULL));
  g_autoptr(GtkWidget) w2 = create (parts_test_add_part (store, two, NULL));

  g_assert_cmpstr (ek_patch_part_get_text (EK_PATCH_PART (w1)), ==, "1 file changed");
  g_assert_cmpstr (ek_patch_part_get_text (EK_PATCH_PART (w2)), ==, "2 files changed");
  /* the list opens below */
  gtk_expander_set_expanded (GTK_EXPANDER (gtk_widget_get_first_child (w2)), TRUE);
  g_assert_true (parts_test_has_text (w2, "/p/<b>.c"));
  g_assert_cmpstr (ek_widget_get_tooltip (gtk_widget_get_first_child (w2)), ==, "/p/a.c\n/p/<b>.c");
}

static void
test_retry (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) waiting = make_part ("prt_r1", "retry",
                                             "\"attempt\":2,\"next\":1000000005000,"
                                             "\"error\":{\"name\":\"APIError\",\"data\":{\"message\":\"Overloaded <b>now</b>\","
                                             "\"isRetryable\":true}},\"time\":{\"created\":1000000000000}");
  g_autoptr(JsonObject) past = make_part ("prt_r2", "retry",
                                          "\"attempt\":3,"
                                          "\"error\":{\"name\":\"APIError\",\"data\":{\"message\":\"Rate limited\","
                                          "\"isRetryable\":true}},\"time\":{\"created\":1000000000000}");
  g_autoptr(GtkWidget) w1 = NULL;
  g_autoptr(GtkWidget) w2 = NULL;

  ek_part_set_now_ms_for_testing (1000000000000);
  w1 = create (parts_test_add_part (store, waiting, NULL));
  g_assert_cmpstr (ek_retry_part_get_text (EK_RETRY_PART (w1)), ==, "Retrying (attempt 2) in 5 s");
  g_assert_cmpstr (ek_retry_part_get_message (EK_RETRY_PART (w1)), ==, "Overloaded <b>now</b>");
  g_assert_true (ek_retry_part_get_ticking (EK_RETRY_PART (w1)));

  /* the countdown moves on, then stops */
  ek_part_set_now_ms_for_testing (1000000002500);
  ek_part_widget_set_part (EK_PART_WIDGET (w1), NULL);
  g_assert_false (ek_retry_part_get_ticking (EK_RETRY_PART (w1)));
  ek_part_widget_set_part (EK_PART_WIDGET (w1), parts_test_add_part (store, waiting, NULL));
  g_assert_cmpstr (ek_retry_part_get_text (EK_RETRY_PART (w1)), ==, "Retrying (attempt 2) in 3 s");
  ek_part_set_now_ms_for_testing (1000000006000);
  ek_part_widget_set_part (EK_PART_WIDGET (w1), NULL);
  ek_part_widget_set_part (EK_PART_WIDGET (w1), parts_test_add_part (store, waiting, NULL));
  g_assert_cmpstr (ek_retry_part_get_text (EK_RETRY_PART (w1)), ==, "Retried (attempt 2)");
  g_assert_false (ek_retry_part_get_ticking (EK_RETRY_PART (w1)));

  w2 = create (parts_test_add_part (store, past, NULL));
  g_assert_cmpstr (ek_retry_part_get_text (EK_RETRY_PART (w2)), ==, "Retried (attempt 3)");
  g_assert_false (ek_retry_part_get_ticking (EK_RETRY_PART (w2)));
  ek_part_set_now_ms_for_testing (0);
}

static void
test_small_parts (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) compaction = make_part ("prt_c", "compaction", "\"auto\":false");
  g_autoptr(JsonObject) compaction_auto = make_part ("prt_ca", "compaction", "\"auto\":true");
  g_autoptr(JsonObject) agent = make_part ("prt_a", "agent", "\"name\":\"<b>plan</b>\"");
  g_autoptr(JsonObject) subtask = make_part ("prt_s", "subtask",
                                             "\"prompt\":\"Look for <i>files</i>\",\"description\":\"Find files\","
                                             "\"agent\":\"explore\"");
  g_autoptr(GtkWidget) w1 = create (parts_test_add_part (store, compaction, NULL));
  g_autoptr(GtkWidget) w2 = create (parts_test_add_part (store, compaction_auto, NULL));
  g_autoptr(GtkWidget) w3 = create (parts_test_add_part (store, agent, "user"));
  g_autoptr(GtkWidget) w4 = create (parts_test_add_part (store, subtask, "user"));

  g_assert_cmpstr (ek_compaction_part_get_text (EK_COMPACTION_PART (w1)), ==, "Conversation compacted");
  g_assert_cmpstr (ek_compaction_part_get_text (EK_COMPACTION_PART (w2)), ==,
                   "Conversation compacted automatically");
  g_assert_cmpstr (ek_agent_part_get_text (EK_AGENT_PART (w3)), ==, "Switched to agent <b>plan</b>");
  g_assert_cmpstr (ek_subtask_part_get_description (EK_SUBTASK_PART (w4)), ==, "Find files");
  g_assert_cmpstr (ek_subtask_part_get_agent (EK_SUBTASK_PART (w4)), ==, "explore");
  g_assert_cmpstr (ek_subtask_part_get_prompt (EK_SUBTASK_PART (w4)), ==, "Look for <i>files</i>");
}

static void
test_generic (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = make_part ("prt_g", "hologram",
                                          "\"depth\":3,\"caption\":\"A <b>new</b> kind of part\\nsecond line\","
                                          "\"other\":\"later\"");
  g_autoptr(JsonObject) nested = make_part ("prt_n", "hologram2", "\"depth\":3,\"inner\":{\"label\":\"inside\"}");
  g_autoptr(GtkWidget) widget = create (parts_test_add_part (store, data, NULL));
  g_autoptr(GtkWidget) w2 = create (parts_test_add_part (store, nested, NULL));

  g_assert_cmpstr (ek_generic_part_get_type_text (EK_GENERIC_PART (widget)), ==, "hologram");
  g_assert_cmpstr (ek_generic_part_get_summary (EK_GENERIC_PART (widget)), ==, "A <b>new</b> kind of part");
  g_assert_cmpstr (ek_generic_part_get_summary (EK_GENERIC_PART (w2)), ==, "inside");
}

/* Helpers with rules of their own. */
static void
test_util (void)
{
  g_autofree char *a = ek_part_format_count (1234567);
  g_autofree char *b = ek_part_format_duration (300, TRUE);
  g_autofree char *c = ek_part_format_duration_words (1000, TRUE);
  g_autofree char *d = ek_part_last_line ("one\ntwo  \n\n", 0);
  g_autofree char *e = ek_part_first_line ("\n\nfirst\nsecond", 0);
  g_autofree char *f = ek_part_basename ("https://x.test/a/b%20c.txt?q=1#f");
  g_autofree char *g = ek_part_short_path ("/srv/p/src/a.c", "/srv/p");
  g_autofree char *h = ek_part_first_line ("abcdefghij", 5);

  g_assert_cmpstr (a, ==, "1,234,567");
  g_assert_cmpstr (b, ==, "0.3 s");
  g_assert_cmpstr (c, ==, "1 second");
  g_assert_cmpstr (d, ==, "two");
  g_assert_cmpstr (e, ==, "first");
  g_assert_cmpstr (f, ==, "b c.txt");
  g_assert_cmpstr (g, ==, "src/a.c");
  g_assert_cmpstr (h, ==, "abcd…");
}

/* A tooltip given with ek_widget_set_tooltip() is there for GTK to ask
 * for (has-tooltip), can be taken away, and is not GTK's own tooltip
 * text, whose setter asks the display where the pointer is. */
static void
test_lazy_tooltip (void)
{
  GtkWidget *label = g_object_ref_sink (gtk_label_new ("x"));

  g_assert_false (gtk_widget_get_has_tooltip (label));
  ek_widget_set_tooltip (label, "Tokens: 12");
  g_assert_true (gtk_widget_get_has_tooltip (label));
  g_assert_cmpstr (ek_widget_get_tooltip (label), ==, "Tokens: 12");
  g_assert_null (gtk_widget_get_tooltip_text (label));

  ek_widget_set_tooltip (label, "");
  g_assert_false (gtk_widget_get_has_tooltip (label));
  g_assert_null (ek_widget_get_tooltip (label));
  g_object_unref (label);
}

int
main (int   argc,
      char *argv[])
{
  parts_test_init (&argc, &argv);

  g_test_add_func ("/parts/registry", test_registry);
  g_test_add_func ("/parts/util", test_util);
  g_test_add_func ("/parts/text/assistant", test_text_assistant);
  g_test_add_func ("/parts/text/user", test_text_user);
  g_test_add_func ("/parts/text/markup-literal", test_text_markup_literal);
  g_test_add_func ("/parts/text/synthetic", test_text_synthetic);
  g_test_add_func ("/parts/text/streaming", test_text_streaming);
  g_test_add_func ("/parts/text/recycle", test_text_recycle);
  g_test_add_func ("/parts/reasoning", test_reasoning);
  g_test_add_func ("/parts/tool/states", test_tool_states);
  g_test_add_func ("/parts/tool/collapse-height", test_tool_collapse_height);
  g_test_add_func ("/parts/tool/clock", test_tool_clock);
  g_test_add_func ("/parts/focus-on-present", test_focus_on_present);
  g_test_add_func ("/parts/tool/generic", test_tool_generic);
  g_test_add_func ("/parts/tool/bash", test_tool_bash);
  g_test_add_func ("/parts/tool/bash-long-output", test_tool_bash_long_output);
  g_test_add_func ("/parts/tool/edit", test_tool_edit);
  g_test_add_func ("/parts/tool/write", test_tool_write);
  g_test_add_func ("/parts/tool/read", test_tool_read);
  g_test_add_func ("/parts/tool/error-markup", test_tool_error_markup);
  g_test_add_func ("/parts/tool/todo", test_tool_todo);
  g_test_add_func ("/parts/tool/task", test_tool_task);
  g_test_add_func ("/parts/tool/question", test_tool_question);
  g_test_add_func ("/parts/tool/search", test_tool_search);
  g_test_add_func ("/parts/file", test_file);
  g_test_add_func ("/parts/step-finish", test_step_finish);
  g_test_add_func ("/parts/patch", test_patch);
  g_test_add_func ("/parts/retry", test_retry);
  g_test_add_func ("/parts/small", test_small_parts);
  g_test_add_func ("/parts/generic", test_generic);
  g_test_add_func ("/parts/lazy-tooltip", test_lazy_tooltip);

  return g_test_run ();
}
