/* test-part-throttle.c: streamed text is redrawn at most every 100 ms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A 3 s burst of deltas, one every millisecond, goes through the store
 * to a shown text (and reasoning) part while the main loop runs: the
 * view may be redrawn at most 31 times (once at the start and once per
 * 100 ms), it must keep up while the burst lasts, and the last text must
 * be exact with no timer left behind.  A long text that completes at once
 * is laid out over a few frames and then shown whole.
 */

#include "config.h"

#include "ek-markdown-view.h"
#include "ek-part-registry.h"
#include "ek-reasoning-part.h"
#include "ek-text-part.h"
#include "parts-test-util.h"

#define BURST_US (3 * G_USEC_PER_SEC)
#define MAX_REDRAWS 31

typedef struct
{
  EkStore *store;
  EkPart  *part;
  GString *expected;
  gint64   start;
  guint    n_deltas;
  gboolean done;
} Burst;

static gboolean
burst_tick (gpointer user_data)
{
  Burst *burst = user_data;
  char delta[32];

  if (g_get_monotonic_time () - burst->start >= BURST_US)
    {
      burst->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  g_snprintf (delta, sizeof delta, burst->n_deltas % 40 == 39 ? "w%u\n\n" : "w%u ", burst->n_deltas);
  g_string_append (burst->expected, delta);
  parts_test_append (burst->store, burst->part, "text", delta);
  burst->n_deltas++;
  return G_SOURCE_CONTINUE;
}

static gboolean
burst_done (gpointer data)
{
  return ((Burst *) data)->done;
}

static gboolean
text_idle (gpointer data)
{
  return !ek_text_part_get_pending (data);
}

static gboolean
reasoning_idle (gpointer data)
{
  return !ek_reasoning_part_get_pending (data);
}

static void
run_burst (Burst *burst)
{
  burst->expected = g_string_new (NULL);
  burst->start = g_get_monotonic_time ();
  g_timeout_add (1, burst_tick, burst);
  g_assert_true (parts_test_wait (burst_done, burst, 10000));
  g_test_message ("%u deltas in %.2f s", burst->n_deltas,
                  (g_get_monotonic_time () - burst->start) / (double) G_USEC_PER_SEC);
  /* the main loop really ran the burst */
  g_assert_cmpuint (burst->n_deltas, >, 300);
}

/* The last redraw comes within a period of the burst's end, but the
 * frame after a 1 ms source stops may take a while under Xvfb. */
static void
wait_idle (gboolean (*idle) (gpointer),
           gpointer   widget)
{
  gint64 start = g_get_monotonic_time ();

  g_assert_true (parts_test_wait (idle, widget, 5000));
  g_test_message ("idle %.3f s after the burst", (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

static void
test_text_throttle (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_parse_object (
    "{\"id\":\"prt_burst\",\"sessionID\":\"ses_t\",\"messageID\":\"msg_t\",\"type\":\"text\","
    "\"text\":\"\",\"time\":{\"start\":1795568483286}}");
  Burst burst = { 0, };
  GtkWidget *widget, *window, *view;
  EkTextPart *text;
  guint before, redraws;

  burst.store = store;
  burst.part = parts_test_add_part (store, data, "assistant");
  widget = ek_part_registry_create_widget (burst.part);
  window = parts_test_show (widget);
  text = EK_TEXT_PART (widget);
  view = ek_text_part_get_view (text);
  before = ek_text_part_get_n_redraws (text);

  run_burst (&burst);
  wait_idle (text_idle, text);
  parts_test_iterate ();

  redraws = ek_text_part_get_n_redraws (text) - before;
  g_test_message ("%u redraws", redraws);
  g_assert_cmpuint (redraws, <=, MAX_REDRAWS);
  /* it kept up while streaming, not only at the end */
  g_assert_cmpuint (redraws, >=, 10);
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, burst.expected->str);
  g_assert_cmpstr (ek_part_get_text (burst.part), ==, burst.expected->str);
  g_assert_false (ek_text_part_get_pending (text));

  gtk_window_destroy (GTK_WINDOW (window));
  parts_test_iterate ();
  g_string_free (burst.expected, TRUE);
}

static void
test_reasoning_throttle (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) data = parts_test_parse_object (
    "{\"id\":\"prt_think\",\"sessionID\":\"ses_t\",\"messageID\":\"msg_t\",\"type\":\"reasoning\","
    "\"text\":\"\",\"time\":{\"start\":1795568483286}}");
  Burst burst = { 0, };
  GtkWidget *widget, *window;
  EkReasoningPart *reasoning;
  guint before, redraws;

  burst.store = store;
  burst.part = parts_test_add_part (store, data, "assistant");
  widget = ek_part_registry_create_widget (burst.part);
  window = parts_test_show (widget);
  reasoning = EK_REASONING_PART (widget);
  ek_reasoning_part_set_expanded (reasoning, TRUE);
  before = ek_reasoning_part_get_n_redraws (reasoning);

  run_burst (&burst);
  wait_idle (reasoning_idle, reasoning);
  parts_test_iterate ();

  redraws = ek_reasoning_part_get_n_redraws (reasoning) - before;
  g_test_message ("%u redraws", redraws);
  g_assert_cmpuint (redraws, <=, MAX_REDRAWS);
  g_assert_cmpuint (redraws, >=, 10);
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (ek_reasoning_part_get_body (reasoning))),
                   ==, burst.expected->str);
  g_assert_false (ek_reasoning_part_get_pending (reasoning));

  gtk_window_destroy (GTK_WINDOW (window));
  parts_test_iterate ();
  g_string_free (burst.expected, TRUE);
}

/* A long text arriving complete in one update (a replay at full speed, a
 * history): the view has all of it at once, lays it out over the next
 * frames, the part counting as pending meanwhile, and then shows every
 * block, as a one-shot render does. */
static void
test_text_complete_long (void)
{
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(JsonObject) start = parts_test_parse_object (
    "{\"id\":\"prt_long\",\"sessionID\":\"ses_t\",\"messageID\":\"msg_t\",\"type\":\"text\","
    "\"text\":\"\",\"time\":{\"start\":1795568483286}}");
  g_autoptr(JsonObject) end = NULL;
  g_autoptr(GString) text = g_string_new ("# Long answer\n\n");
  g_autofree char *expected = NULL;
  g_autofree char *structure = NULL;
  GtkWidget *widget, *window, *view;
  EkTextPart *text_part;
  EkPart *part;
  gint64 begin;

  for (guint i = 0; i < 60; i++)
    g_string_append_printf (text, "%u. Streaming text arrives in many small deltas; the client must "
                            "keep up without jank. Streaming text arrives in many small deltas.\n\n", i);

  part = parts_test_add_part (store, start, "assistant");
  widget = ek_part_registry_create_widget (part);
  window = parts_test_show (widget);
  text_part = EK_TEXT_PART (widget);
  view = ek_text_part_get_view (text_part);
  parts_test_iterate ();

  end = parts_test_parse_object (
    "{\"id\":\"prt_long\",\"sessionID\":\"ses_t\",\"messageID\":\"msg_t\",\"type\":\"text\","
    "\"text\":\"\",\"time\":{\"start\":1795568483286,\"end\":1795568490000}}");
  json_object_set_string_member (end, "text", text->str);
  parts_test_update_part (store, end);

  /* the text is all there at once; its blocks come over the next frames */
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, text->str);
  g_assert_cmpuint (ek_markdown_view_get_n_pending (EK_MARKDOWN_VIEW (view)), >, 0);
  g_assert_true (ek_text_part_get_pending (text_part));

  begin = g_get_monotonic_time ();
  wait_idle (text_idle, text_part);
  g_test_message ("laid out in %.3f s", (g_get_monotonic_time () - begin) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (ek_markdown_view_get_n_pending (EK_MARKDOWN_VIEW (view)), ==, 0);

  expected = ek_markdown_dup_reference_structure (text->str);
  structure = ek_markdown_view_dup_structure (EK_MARKDOWN_VIEW (view));
  g_assert_cmpstr (structure, ==, expected);
  g_assert_cmpstr (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (view)), ==, text->str);

  gtk_window_destroy (GTK_WINDOW (window));
  parts_test_iterate ();
}

int
main (int   argc,
      char *argv[])
{
  parts_test_init (&argc, &argv);

  g_test_add_func ("/parts/throttle/text", test_text_throttle);
  g_test_add_func ("/parts/throttle/reasoning", test_reasoning_throttle);
  g_test_add_func ("/parts/throttle/text-complete-long", test_text_complete_long);

  return g_test_run ();
}
