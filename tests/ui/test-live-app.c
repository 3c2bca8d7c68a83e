/* test-live-app.c: the application against the real `opencode serve`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the live harness (tests/live/opencode-server.py: opencode serve
 * 1.18.33 with a scripted model, all on loopback) and runs EkApplication
 * in this process with --server, driving it the way a user would: New
 * Session, text in the composer and composer.send, the permission dock's
 * Allow Once, the password dialog, the banner's Retry.  After each turn
 * the chat's rows must be the store's messages and the store must equal
 * the server's own GET /session/{id}/message.
 *
 * Needs EK_LIVE_HARNESS (the harness script), EK_OPENCODE_CACHE (where
 * opencode-ai is installed with npm, once) and EK_EKACODE_BIN; runs under
 * a private session bus and Xvfb with the memory settings backend.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ek-application.h"
#include "ek-chat-view.h"
#include "ek-client.h"
#include "ek-composer.h"
#include "ek-live-source.h"
#include "ek-markdown-view.h"
#include "ek-message-row.h"
#include "ek-part-registry.h"
#include "ek-permission-dock.h"
#include "ek-question-dock.h"
#include "ek-session-list.h"
#include "ek-sticky-scroll.h"
#include "ek-ui-util.h"
#include "ek-welcome-page.h"
#include "ek-window.h"
#include "ek-ui-test-util.h"

#define PASSWORD "sesame-4096"

/* ---- waiting ---- */

static char *
output_path (const char *name)
{
  const char *dir = g_getenv ("G_TEST_BUILDDIR");

  return g_build_filename (dir ? dir : g_get_tmp_dir (), name, NULL);
}

/* ---- the harness ---- */

typedef struct
{
  GSubprocess *process;
  GDataInputStream *lines;  /* its state changes, one JSON line each */
  char        *root;
  char        *url;
  char        *directory;
} Harness;

static gboolean
have_harness (void)
{
  if (g_getenv ("EK_LIVE_HARNESS") == NULL || g_getenv ("EK_OPENCODE_CACHE") == NULL)
    {
      g_test_skip ("EK_LIVE_HARNESS and EK_OPENCODE_CACHE are not set");
      return FALSE;
    }
  return TRUE;
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, NULL, NULL);
}

/* In the harness, before exec: it goes when this test goes, even when
 * the test aborts (the harness takes its server and model with it). */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static Harness *
harness_start (const char *password)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *log = NULL;
  Harness *harness = g_new0 (Harness, 1);
  JsonObject *ready;

  harness->root = g_dir_make_tmp ("ekacode-live-app-XXXXXX", &error);
  g_assert_no_error (error);
  log = g_strconcat (harness->root, ".log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  /* the harness keeps the server away from the developer's settings */
  g_subprocess_launcher_unsetenv (launcher, "OPENCODE_SERVER_PASSWORD");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);

  g_ptr_array_add (argv, g_strdup ("python3"));
  g_ptr_array_add (argv, g_strdup (g_getenv ("EK_LIVE_HARNESS")));
  g_ptr_array_add (argv, g_strdup ("run"));
  g_ptr_array_add (argv, g_strdup ("--root"));
  g_ptr_array_add (argv, g_build_filename (harness->root, "stack", NULL));
  g_ptr_array_add (argv, g_strdup ("--cache"));
  g_ptr_array_add (argv, g_strdup (g_getenv ("EK_OPENCODE_CACHE")));
  g_ptr_array_add (argv, g_strdup ("--delay"));
  g_ptr_array_add (argv, g_strdup ("0.02"));
  if (password != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--password"));
      g_ptr_array_add (argv, g_strdup (password));
    }
  g_ptr_array_add (argv, NULL);

  harness->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* one JSON line once the server answers (after an npm install the
   * first time) */
  harness->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (harness->process));
  line = g_data_input_stream_read_line_utf8 (harness->lines, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("the harness ended before the server was ready; see %s", log);
  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  ready = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (ready, "event"), ==, "ready");
  harness->url = g_strdup (json_object_get_string_member (ready, "url"));
  harness->directory = g_strdup (json_object_get_string_member (ready, "directory"));
  g_test_message ("opencode serve at %s, project %s", harness->url, harness->directory);
  return harness;
}

static void
harness_signal (Harness *harness,
                int      signum)
{
  g_subprocess_send_signal (harness->process, signum);
}

typedef struct
{
  char     *line;
  gboolean  done;
} Line;

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Line *line = user_data;

  line->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  line->done = TRUE;
}

/* Waits, with the main loop running, for the harness to report @event. */
static void
harness_wait_event (Harness    *harness,
                    const char *event,
                    guint       seconds)
{
  for (;;)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      Line line = { NULL, FALSE };
      JsonObject *object;

      g_data_input_stream_read_line_async (harness->lines, G_PRIORITY_DEFAULT, NULL, on_line, &line);
      ek_ui_test_wait_until (ek_ui_test_flag_is_set, &line.done, seconds, event);
      if (line.line == NULL)
        g_error ("the harness ended while waiting for “%s”", event);
      if (json_parser_load_from_data (parser, line.line, -1, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          object = json_node_get_object (json_parser_get_root (parser));
          if (g_strcmp0 (json_object_get_string_member_with_default (object, "event", ""), event) == 0)
            {
              g_free (line.line);
              return;
            }
        }
      g_free (line.line);
    }
}

static void
harness_stop (Harness *harness)
{
  g_autofree char *log = NULL;

  if (harness == NULL)
    return;
  harness_signal (harness, SIGTERM);
  g_subprocess_wait (harness->process, NULL, NULL);
  remove_tree (harness->root);
  log = g_strconcat (harness->root, ".log", NULL);
  g_unlink (log);
  g_object_unref (harness->lines);
  g_object_unref (harness->process);
  g_free (harness->root);
  g_free (harness->url);
  g_free (harness->directory);
  g_free (harness);
}

static Harness *shared_harness;

static Harness *
get_harness (void)
{
  if (shared_harness == NULL)
    shared_harness = harness_start (NULL);
  return shared_harness;
}

/* ---- the application, in this process ---- */

typedef void (*AppBody) (EkApplication *app,
                         EkWindow      *window,
                         gpointer       data);

typedef struct
{
  EkApplication *app;
  AppBody        body;
  gpointer       data;
  gboolean       ran;
} AppRun;

static gboolean
app_body_cb (gpointer user_data)
{
  AppRun *run = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  g_autoptr(GList) windows = NULL;

  if (!EK_IS_WINDOW (window) || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;

  run->body (run->app, EK_WINDOW (window), run->data);
  run->ran = TRUE;

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (run->app)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_application_quit (G_APPLICATION (run->app));
  return G_SOURCE_REMOVE;
}

/* Runs EkApplication with @args (after the program name) and @body once
 * its window is up. */
static void
run_app (const char * const *args,
         AppBody             body,
         gpointer            data)
{
  g_autoptr(EkApplication) app = ek_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  AppRun run = { app, body, data, FALSE };
  int status;

  g_ptr_array_add (argv, (gpointer) "ekacode");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_timeout_add (50, app_body_cb, &run);
  status = g_application_run (G_APPLICATION (app), argv->len - 1, (char **) argv->pdata);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.ran);
}

static EkSourceState
window_state (EkWindow *window)
{
  EkSource *source = ek_window_get_source (window);

  return source ? ek_source_get_state (source) : EK_SOURCE_STATE_OFFLINE;
}

static gboolean
window_connected (gpointer data)
{
  return window_state (data) == EK_SOURCE_STATE_CONNECTED;
}

static gboolean
window_has_session (gpointer data)
{
  return ek_window_get_session (data) != NULL;
}

/* a session, and not the one of "test-previous-session" */
static gboolean
window_has_new_session (gpointer data)
{
  EkSession *session = ek_window_get_session (data);

  return session != NULL && session != g_object_get_data (G_OBJECT (data), "test-previous-session");
}

static gboolean
list_not_empty (gpointer data)
{
  return g_list_model_get_n_items (data) > 0;
}

static gboolean
window_settled (gpointer data)
{
  return ek_window_is_settled (data);
}

static gboolean
composer_ready (gpointer data)
{
  return ek_composer_get_disabled_reason (ek_window_get_composer (data)) == NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)
        return child;
      if ((found = find_button (child, action_name)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button_labelled (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_editable (GtkWidget *widget)
{
  if (GTK_IS_EDITABLE (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_editable (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- comparing with the server ---- */

static JsonArray *history_result;
static GError *history_error;

static void
on_history (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  history_result = ek_client_get_history_finish (EK_CLIENT (source), result, NULL, &history_error);
  *(gboolean *) user_data = TRUE;
}

/* The server's GET /session/{id}/message, whole. */
static JsonArray *
fetch_history (EkClient   *client,
               const char *session_id)
{
  gboolean done = FALSE;

  history_result = NULL;
  g_clear_error (&history_error);
  ek_client_get_history_async (client, session_id, 0, NULL, NULL, on_history, &done);
  ek_ui_test_wait_until (ek_ui_test_flag_is_set, &done, 60, "GET /session/{id}/message");
  g_assert_no_error (history_error);
  return history_result;
}

/* The first place where @a and @b differ (numbers of either kind alike),
 * or %NULL. */
static char *
first_difference (JsonNode   *a,
                  JsonNode   *b,
                  const char *where)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return g_strdup_printf ("%s: a %s and a %s", where, json_node_type_name (a), json_node_type_name (b));

  switch (JSON_NODE_TYPE (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) members = json_object_get_members (oa);
        g_autoptr(GList) others = json_object_get_members (ob);

        for (GList *l = others; l != NULL; l = l->next)
          if (!json_object_has_member (oa, l->data))
            return g_strdup_printf ("%s.%s: only on the server", where, (char *) l->data);
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_autofree char *path = g_strdup_printf ("%s.%s", where, (char *) l->data);
            char *diff;

            if (!json_object_has_member (ob, l->data))
              return g_strdup_printf ("%s: only in the store", path);
            diff = first_difference (json_object_get_member (oa, l->data),
                                     json_object_get_member (ob, l->data), path);
            if (diff != NULL)
              return diff;
          }
        return NULL;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);

        if (json_array_get_length (aa) != json_array_get_length (ab))
          return g_strdup_printf ("%s: %u items and %u items", where,
                                  json_array_get_length (aa), json_array_get_length (ab));
        for (guint i = 0; i < json_array_get_length (aa); i++)
          {
            g_autofree char *path = g_strdup_printf ("%s[%u]", where, i);
            char *diff = first_difference (json_array_get_element (aa, i),
                                           json_array_get_element (ab, i), path);

            if (diff != NULL)
              return diff;
          }
        return NULL;
      }
    case JSON_NODE_VALUE:
      {
        GType ta = json_node_get_value_type (a);
        GType tb = json_node_get_value_type (b);

        if ((ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE) && (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE))
          return json_node_get_double (a) == json_node_get_double (b)
                 ? NULL : g_strdup_printf ("%s: %g and %g", where,
                                           json_node_get_double (a), json_node_get_double (b));
        if (ta == G_TYPE_STRING && tb == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0
                 ? NULL : g_strdup_printf ("%s: “%.60s” and “%.60s”", where,
                                           json_node_get_string (a), json_node_get_string (b));
        if (ta == G_TYPE_BOOLEAN && tb == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b)
                 ? NULL : g_strdup_printf ("%s: booleans differ", where);
        return g_strdup_printf ("%s: values of different types", where);
      }
    case JSON_NODE_NULL:
    default:
      return NULL;
    }
}

/* The store's copy of the session equals the server's, field for field
 * (the server may still be writing its last update: a few tries). */
static void
assert_store_equals_server (EkWindow  *window,
                            EkSession *session)
{
  EkClient *client = ek_live_source_get_client (EK_LIVE_SOURCE (ek_window_get_source (window)));
  g_autofree char *diff = NULL;

  for (guint attempt = 0; attempt < 40; attempt++)
    {
      g_autoptr(JsonArray) theirs = fetch_history (client, ek_session_get_id (session));
      g_autoptr(JsonNode) theirs_node = json_node_init_array (json_node_alloc (), theirs);
      g_autoptr(JsonNode) mine = ek_session_to_json (session);

      g_clear_pointer (&diff, g_free);
      diff = first_difference (mine, theirs_node, "$");
      if (diff == NULL)
        return;
      ek_ui_test_spin (250);
    }
  g_error ("the store differs from GET /session/%s/message at %s", ek_session_get_id (session), diff);
}

/* Every message of the session has its row in the chat, in order. */
static void
assert_rows_are_messages (EkWindow  *window,
                          EkSession *session)
{
  GListModel *messages = ek_session_get_messages (session);
  g_autoptr(GPtrArray) rows = ek_chat_view_get_rows (ek_window_get_chat_view (window));

  g_assert_cmpuint (rows->len, ==, g_list_model_get_n_items (messages));
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (messages, i);

      g_assert_true (ek_message_row_get_message (g_ptr_array_index (rows, i)) == message);
    }
}

/* ---- one turn ---- */

typedef struct
{
  EkWindow  *window;
  EkSession *session;
  gboolean   seen_busy;
  gboolean   seen_stop;
  guint      n_permissions;  /* answered with Allow Once */
  guint      n_questions;    /* answered with “Rust” */
} Turn;

static void
on_turn_status (EkSession  *session,
                GParamSpec *pspec,
                Turn       *turn)
{
  if (ek_session_get_status (session) != EK_SESSION_STATUS_IDLE)
    turn->seen_busy = TRUE;
}

static GtkWidget *
find_option (GtkWidget  *widget,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_CHECK_BUTTON (child) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "ek-label"), label) == 0)
        return child;
      if ((found = find_option (child, label)) != NULL)
        return found;
    }
  return NULL;
}

/* A question shows: tick “Rust” and submit, as a user would. */
static void
answer_question (Turn *turn)
{
  EkQuestionDock *dock = ek_window_get_question_dock (turn->window);
  GListModel *requests = ek_question_dock_get_requests (dock);
  g_autoptr(EkRequest) request = NULL;
  static char *answered;
  GtkWidget *option;

  if (g_list_model_get_n_items (requests) == 0)
    return;
  request = g_list_model_get_item (requests, 0);
  if (g_strcmp0 (answered, ek_request_get_id (request)) == 0)
    return;
  g_free (answered);
  answered = g_strdup (ek_request_get_id (request));

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dock)));
  option = find_option (GTK_WIDGET (dock), "Rust");
  g_assert_nonnull (option);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (option), TRUE);
  turn->n_questions++;
  gtk_widget_activate_action (GTK_WIDGET (dock), "question.submit", "s", ek_request_get_id (request));
}

static gboolean
turn_over (gpointer data)
{
  Turn *turn = data;
  GtkWidget *stop = find_button (GTK_WIDGET (ek_window_get_composer (turn->window)), "composer.stop");
  EkPermissionDock *dock = ek_window_get_permission_dock (turn->window);
  GListModel *requests = ek_permission_dock_get_requests (dock);

  if (ek_session_get_status (turn->session) != EK_SESSION_STATUS_IDLE && stop != NULL &&
      gtk_widget_get_visible (stop))
    turn->seen_stop = TRUE;

  /* a permission request shows: Allow Once, as a user would */
  if (g_list_model_get_n_items (requests) > 0)
    {
      g_autoptr(EkRequest) request = g_list_model_get_item (requests, 0);
      static char *answered;

      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dock)));
      if (g_strcmp0 (answered, ek_request_get_id (request)) != 0)
        {
          g_free (answered);
          answered = g_strdup (ek_request_get_id (request));
          turn->n_permissions++;
          gtk_widget_activate_action (GTK_WIDGET (dock), "permission.reply", "(ss)",
                                      ek_request_get_id (request), "once");
        }
    }

  answer_question (turn);

  return turn->seen_busy &&
         ek_session_get_status (turn->session) == EK_SESSION_STATUS_IDLE &&
         g_list_model_get_n_items (requests) == 0 &&
         g_list_model_get_n_items (ek_question_dock_get_requests (ek_window_get_question_dock (turn->window))) == 0;
}

static gboolean
markdown_laid_out (gpointer data)
{
  return !ek_markdown_view_any_pending ();
}

static void
send_and_wait (EkWindow   *window,
               const char *prompt,
               Turn       *turn)
{
  EkComposer *composer = ek_window_get_composer (window);
  EkSession *session = ek_window_get_session (window);
  g_autofree char *left = NULL;
  gulong id;

  memset (turn, 0, sizeof *turn);
  turn->window = window;
  turn->session = session;
  id = g_signal_connect (session, "notify::status", G_CALLBACK (on_turn_status), turn);

  ek_ui_test_wait_until (composer_ready, window, 30, "the composer to be enabled");
  ek_composer_set_text (composer, prompt);
  gtk_widget_activate_action (GTK_WIDGET (composer), "composer.send", NULL);
  left = ek_composer_dup_text (composer);
  g_assert_cmpstr (left, ==, "");

  ek_ui_test_wait_until (turn_over, turn, 240, prompt);
  g_signal_handler_disconnect (session, id);
  g_assert_true (turn->seen_stop);

  /* a long answer is laid out over several frames (slowly in a
   * sanitizer build); then the throttled redraws and the last scroll */
  ek_ui_test_wait_until (markdown_laid_out, NULL, 60, "the answer's layout");
  ek_ui_test_spin (300);
}

static gboolean
parts_have_tool (EkSession  *session,
                 const char *tool,
                 const char *status)
{
  g_autoptr(JsonNode) dump = ek_session_to_json (session);
  JsonArray *messages = json_node_get_array (dump);

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      JsonArray *parts = json_object_get_array_member (message, "parts");

      for (guint j = 0; j < json_array_get_length (parts); j++)
        {
          JsonObject *part = json_array_get_object_element (parts, j);
          JsonObject *state;

          if (g_strcmp0 (json_object_get_string_member_with_default (part, "tool", ""), tool) != 0)
            continue;
          state = json_object_get_object_member (part, "state");
          if (g_strcmp0 (json_object_get_string_member_with_default (state, "status", ""), status) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The message dialog over @window with this heading. */
static GtkWidget *
find_dialog (EkWindow   *window,
             const char *heading)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window) &&
        gtk_widget_get_visible (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) == 0)
      return l->data;
  return NULL;
}

/* Clicks the dialog's button for @label. */
static void
click_response (GtkWidget  *dialog,
                const char *label)
{
  GtkWidget *button = find_button_labelled (dialog, label);

  g_assert_nonnull (button);
  gtk_widget_activate (button);
}

typedef struct
{
  EkSession  *session;
  const char *title;
} Titled;

static gboolean
has_title (gpointer data)
{
  Titled *titled = data;

  return g_strcmp0 (ek_session_get_title (titled->session), titled->title) == 0;
}

static gboolean
session_gone (gpointer data)
{
  EkWindow *window = data;
  const char *id = g_object_get_data (G_OBJECT (window), "test-deleted-id");

  return ek_store_lookup_session (ek_source_get_store (ek_window_get_source (window)), id) == NULL;
}

/* Session menu → Rename… and Delete…, through their dialogs. */
static void
rename_and_delete (EkApplication *app,
                   EkWindow      *window,
                   EkSession     *session)
{
  GtkWidget *dialog;
  GtkWidget *entry;
  Titled titled = { session, "Renamed by the live test" };
  g_autofree char *doomed = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (window), "rename-session", NULL);
  dialog = find_dialog (window, "Rename Session");
  g_assert_nonnull (dialog);
  entry = find_editable (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)));
  gtk_editable_set_text (GTK_EDITABLE (entry), titled.title);
  click_response (dialog, "_Rename");
  ek_ui_test_wait_until (has_title, &titled, 30, "the new title");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (
                     adw_header_bar_get_title_widget (ADW_HEADER_BAR (
                       gtk_widget_get_ancestor (GTK_WIDGET (find_button (GTK_WIDGET (window), "win.show-sessions")),
                                                ADW_TYPE_HEADER_BAR))))), ==, titled.title);

  /* a second session, deleted; the first one is selected again */
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-session", NULL);
  ek_ui_test_wait_until (window_has_session, window, 5, "a session");
  {
    gboolean other = FALSE;
    guint id = g_timeout_add_seconds (30, ek_ui_test_set_flag, &other);

    while (ek_window_get_session (window) == session && !other)
      g_main_context_iteration (NULL, TRUE);
    g_assert_false (other);
    g_source_remove (id);
  }
  doomed = g_strdup (ek_session_get_id (ek_window_get_session (window)));
  g_object_set_data_full (G_OBJECT (window), "test-deleted-id", g_strdup (doomed), g_free);
  g_action_group_activate_action (G_ACTION_GROUP (window), "delete-session", NULL);
  dialog = find_dialog (window, "Delete Session?");
  g_assert_nonnull (dialog);
  /* from the empty session's chat to one with messages: warnings stay
   * fatal (the list view's "failed to scroll to given position" was one) */
  click_response (dialog, "_Delete");
  ek_ui_test_wait_until (session_gone, window, 30, "the session to go");
  g_assert_true (ek_window_get_session (window) == session);
  ek_ui_test_wait_until (window_settled, window, 30, "the chat");
  ek_ui_test_spin (300);
}

/* ---- tests ---- */

static char *turns_session_id;
static guint turns_lost_end;    /* times the chat stopped following */

static void
on_sticky (EkStickyScroll *sticky,
           GParamSpec     *pspec,
           gpointer        user_data)
{
  /* nobody scrolls here: the chat should follow every turn to its end */
  if (!ek_sticky_scroll_get_sticky (sticky))
    turns_lost_end++;
}

/* New Session, then two turns through the composer: tools, and a bash
 * command that asks for permission, allowed from the dock. */
static void
turns_body (EkApplication *app,
            EkWindow      *window,
            gpointer       data)
{
  EkPermissionDock *dock = ek_window_get_permission_dock (window);
  g_autofree char *png = output_path ("test-live-app-session.png");
  g_autoptr(GError) error = NULL;
  GSettings *settings = ek_application_get_settings (app);
  EkSession *session;
  Turn turn;

  g_assert_true (EK_IS_LIVE_SOURCE (ek_window_get_source (window)));
  ek_ui_test_wait_until (window_connected, window, 120, "the connection");
  g_assert_null (ek_window_get_banner_text (window));
  g_assert_true (ek_window_can_create_session (window));

  /* the server answered: it is remembered, without a password */
  g_assert_nonnull (settings);
  {
    g_autofree char *url = g_settings_get_string (settings, "server-url");
    g_autofree char *directory = g_settings_get_string (settings, "directory");

    g_assert_cmpstr (url, ==, get_harness ()->url);
    g_assert_cmpstr (directory, ==, get_harness ()->directory);
  }

  /* agents and models from the server, the configured ones first */
  {
    EkSource *source = ek_window_get_source (window);
    g_autoptr(GtkStringObject) agent = NULL;
    g_autoptr(GtkStringObject) model = NULL;

    ek_ui_test_wait_until (list_not_empty, ek_source_get_models (source), 30, "the models");
    ek_ui_test_wait_until (list_not_empty, ek_source_get_agents (source), 30, "the agents");
    agent = g_list_model_get_item (ek_source_get_agents (source), 0);
    model = g_list_model_get_item (ek_source_get_models (source), 0);
    g_assert_cmpstr (gtk_string_object_get_string (agent), ==, "build");
    g_assert_cmpstr (gtk_string_object_get_string (model), ==, "fake/fake");
  }

  g_signal_connect (ek_chat_view_get_sticky_scroll (ek_window_get_chat_view (window)),
                    "notify::sticky", G_CALLBACK (on_sticky), NULL);
  /* /live-app/follows left its session to reopen: a new one after it */
  ek_ui_test_wait_until (window_settled, window, 60, "the last session");
  g_object_set_data (G_OBJECT (window), "test-previous-session", ek_window_get_session (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-session", NULL);
  ek_ui_test_wait_until (window_has_new_session, window, 30, "the new session");
  session = ek_window_get_session (window);
  turns_session_id = g_strdup (ek_session_get_id (session));
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_messages (session)), ==, 0);

  send_and_wait (window, "scenario:tools", &turn);
  g_assert_cmpuint (turn.n_permissions, ==, 0);
  g_assert_true (ek_window_get_session (window) == session);
  assert_store_equals_server (window, session);
  assert_rows_are_messages (window, session);
  g_assert_true (parts_have_tool (session, "write", "completed"));
  g_assert_true (parts_have_tool (session, "todowrite", "completed"));

  send_and_wait (window, "scenario:permission", &turn);
  g_assert_cmpuint (turn.n_permissions, ==, 1);
  /* replied, and the request went with `permission.replied` */
  g_assert_cmpuint (g_list_model_get_n_items (ek_permission_dock_get_requests (dock)), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dock)));
  assert_store_equals_server (window, session);
  assert_rows_are_messages (window, session);
  g_assert_true (parts_have_tool (session, "bash", "completed"));

  send_and_wait (window, "scenario:question", &turn);
  g_assert_cmpuint (turn.n_questions, ==, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ek_window_get_question_dock (window))));
  assert_store_equals_server (window, session);
  assert_rows_are_messages (window, session);
  g_assert_true (parts_have_tool (session, "question", "completed"));
  {
    g_autoptr(JsonNode) dump = ek_session_to_json (session);
    g_autofree char *text = json_to_string (dump, FALSE);

    /* the final text quotes the answer */
    g_assert_nonnull (strstr (text, "Rust"));
  }

  g_assert_true (ek_window_is_settled (window));
  g_assert_true (ek_widget_save_png (GTK_WIDGET (window), png, &error));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", png);
  g_signal_handlers_disconnect_by_func (ek_chat_view_get_sticky_scroll (ek_window_get_chat_view (window)),
                                        on_sticky, NULL);
  /* nobody scrolled: the chat followed every turn */
  g_assert_cmpuint (turns_lost_end, ==, 0);

  rename_and_delete (app, window, session);
}

static void
test_turns (void)
{
  Harness *harness;
  const char *args[5];

  if (!have_harness ())
    return;
  harness = get_harness ();
  args[0] = "--server";
  args[1] = harness->url;
  args[2] = "--directory";
  args[3] = harness->directory;
  args[4] = NULL;
  run_app (args, turns_body, NULL);
}

/* Tool calls, then a long answer stream in a new session; nobody
 * scrolls.  After every frame the view is at the end of the
 * conversation, or on its way there (a scroll of EkStickyScroll
 * pending): GtkListView moving the value itself, as it learns the real
 * heights of rows it had estimated, must not make the chat stop
 * following. */
typedef struct
{
  EkChatView *chat;
  guint       frames;
  guint       off_end;    /* frames left away from the end, nothing pending */
  guint       lost_end;   /* times "sticky" went */
  double      max_upper;
} Follow;

static void
on_follow_paint (GdkFrameClock *clock,
                 Follow        *follow)
{
  EkStickyScroll *sticky = ek_chat_view_get_sticky_scroll (follow->chat);
  GtkAdjustment *adjustment = ek_chat_view_get_vadjustment (follow->chat);
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  if (g_strcmp0 (ek_chat_view_get_page (follow->chat), "messages") != 0)
    return;
  follow->frames++;
  follow->max_upper = MAX (follow->max_upper, gtk_adjustment_get_upper (adjustment));
  if (!ek_sticky_scroll_get_pending (sticky) && gtk_adjustment_get_value (adjustment) < end - 1)
    follow->off_end++;
}

static void
on_follow_sticky (EkStickyScroll *sticky,
                  GParamSpec     *pspec,
                  Follow         *follow)
{
  if (!ek_sticky_scroll_get_sticky (sticky))
    follow->lost_end++;
}

static void
follows_body (EkApplication *app,
              EkWindow      *window,
              gpointer       data)
{
  Follow follow = { ek_window_get_chat_view (window), 0, 0, 0, 0 };
  EkStickyScroll *sticky = ek_chat_view_get_sticky_scroll (follow.chat);
  GtkAdjustment *adjustment = ek_chat_view_get_vadjustment (follow.chat);
  GdkFrameClock *clock;
  Turn turn;

  ek_ui_test_wait_until (window_connected, window, 120, "the connection");
  ek_ui_test_wait_until (window_settled, window, 60, "the last session");
  g_object_set_data (G_OBJECT (window), "test-previous-session", ek_window_get_session (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-session", NULL);
  ek_ui_test_wait_until (window_has_new_session, window, 30, "the new session");
  ek_ui_test_wait_until (window_settled, window, 30, "the new session's history");
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_messages (ek_window_get_session (window))), ==, 0);

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_follow_paint), &follow);
  g_signal_connect (sticky, "notify::sticky", G_CALLBACK (on_follow_sticky), &follow);
  /* tool cards first (rows of many heights, folded once done), then a
   * long answer below them */
  send_and_wait (window, "scenario:tools", &turn);
  send_and_wait (window, "scenario:long count=4000", &turn);
  g_signal_handlers_disconnect_by_func (clock, on_follow_paint, &follow);
  g_signal_handlers_disconnect_by_func (sticky, on_follow_sticky, &follow);

  g_test_message ("%u frames, %u away from the end with no scroll pending, "
                  "%u times not sticky; %.0f px of %.0f px pages",
                  follow.frames, follow.off_end, follow.lost_end,
                  follow.max_upper, gtk_adjustment_get_page_size (adjustment));
  /* the answer was many pages long, and streamed over many frames */
  g_assert_cmpfloat (follow.max_upper, >, 4 * gtk_adjustment_get_page_size (adjustment));
  g_assert_cmpuint (follow.frames, >, 20);
  g_assert_cmpuint (follow.lost_end, ==, 0);
  g_assert_cmpuint (follow.off_end, ==, 0);
  g_assert_true (ek_sticky_scroll_get_sticky (sticky));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >=,
                     gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1);
}

static void
test_follows (void)
{
  Harness *harness;
  const char *args[5];

  if (!have_harness ())
    return;
  harness = get_harness ();
  args[0] = "--server";
  args[1] = harness->url;
  args[2] = "--directory";
  args[3] = harness->directory;
  args[4] = NULL;
  run_app (args, follows_body, NULL);
}

static void
on_page_paint (GdkFrameClock *clock,
               GHashTable    *pages)
{
  EkWindow *window = g_object_get_data (G_OBJECT (clock), "test-window");

  g_hash_table_add (pages, g_strdup (ek_chat_view_get_page (ek_window_get_chat_view (window))));
}

/* No arguments: the server that answered last time, and its last session. */
static void
remembered_body (EkApplication *app,
                 EkWindow      *window,
                 gpointer       data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_autoptr(GHashTable) pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* every page the chat showed, frame by frame */
  g_object_set_data (G_OBJECT (clock), "test-window", window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_page_paint), pages);

  g_assert_true (EK_IS_LIVE_SOURCE (ek_window_get_source (window)));
  ek_ui_test_wait_until (window_connected, window, 120, "the connection");
  ek_ui_test_wait_until (window_has_session, window, 30, "a session");
  g_assert_cmpstr (ek_session_get_id (ek_window_get_session (window)), ==, turns_session_id);
  ek_ui_test_wait_until (window_settled, window, 60, "the history");
  ek_ui_test_spin (300);
  g_signal_handlers_disconnect_by_func (clock, on_page_paint, pages);
  g_object_set_data (G_OBJECT (clock), "test-window", NULL);
  /* the session has messages: while they loaded the chat said so, and
   * never "No Messages Yet" */
  g_assert_false (g_hash_table_contains (pages, "empty"));
  g_assert_true (g_hash_table_contains (pages, "messages"));
  assert_rows_are_messages (window, ek_window_get_session (window));
  assert_store_equals_server (window, ek_window_get_session (window));
}

static void
test_remembered (void)
{
  const char *args[] = { NULL };

  if (!have_harness ())
    return;
  if (turns_session_id == NULL)
    {
      g_test_skip ("needs /live-app/turns");
      return;
    }
  run_app (args, remembered_body, NULL);
}

/* The real binary follows a live session and saves it once it is idle. */
static void
test_binary_screenshot (void)
{
  const char *binary = g_getenv ("EK_EKACODE_BIN");
  g_autofree char *png = output_path ("test-live-app-ekacode.png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  Harness *harness;

  if (!have_harness ())
    return;
  if (binary == NULL || turns_session_id == NULL)
    {
      g_test_skip ("needs EK_EKACODE_BIN and /live-app/turns");
      return;
    }
  harness = get_harness ();
  {
    const char *argv[] = { binary, "--server", harness->url, "--directory", harness->directory,
                           "--session", turns_session_id, "--screenshot", png,
                           "--quit-after-idle", NULL };

    g_unlink (png);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                  NULL, &err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_printerr ("# ekacode said: %s\n", err);
  g_assert_no_error (error);

  file = g_file_new_for_path (png);
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >=, 360);
  g_test_message ("screenshot: %s", png);
}

/* ---- history in pages ---- */

#define N_HISTORY 60

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* A session of N_HISTORY user messages (`noReply`: no model turn). */
static char *
make_long_session (Harness *harness)
{
  g_autoptr(EkClient) client = ek_client_new (harness->url, harness->directory);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) session = NULL;
  g_autoptr(GError) error = NULL;
  char *id;

  ek_client_create_session_async (client, "Long history", NULL, NULL, on_result, &result);
  ek_ui_test_wait_until (have_result, &result, 60, "POST /session");
  session = ek_client_create_session_finish (client, result, &error);
  g_assert_no_error (error);
  id = g_strdup (json_object_get_string_member (session, "id"));

  for (guint i = 0; i < N_HISTORY; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u of the long history", i + 1);
      g_autoptr(JsonObject) body = ek_client_prompt_body_new (text, NULL, NULL);
      g_autoptr(JsonObject) answer = NULL;

      json_object_set_boolean_member (body, "noReply", TRUE);
      g_clear_object (&result);
      ek_client_prompt_and_wait_async (client, id, body, NULL, on_result, &result);
      ek_ui_test_wait_until (have_result, &result, 60, "POST /session/{id}/message");
      answer = ek_client_prompt_and_wait_finish (client, result, &error);
      g_assert_no_error (error);
    }
  return id;
}

static gboolean
session_loaded (gpointer data)
{
  EkWindow *window = data;
  EkSession *session = ek_window_get_session (window);

  return session != NULL && ek_source_is_session_loaded (ek_window_get_source (window), session);
}

static gboolean
all_history_loaded (gpointer data)
{
  EkSession *session = ek_window_get_session (data);

  return g_list_model_get_n_items (ek_session_get_messages (session)) == N_HISTORY;
}

static void
on_session_loaded (EkSource  *source,
                   EkSession *session,
                   gpointer   user_data)
{
  *(guint *) user_data = g_list_model_get_n_items (ek_session_get_messages (session));
}

static void
pages_body (EkApplication *app,
            EkWindow      *window,
            gpointer       data)
{
  const char *session_id = data;
  EkSession *session;
  GtkAdjustment *adjustment;
  guint loaded_with = 0;

  g_signal_connect (ek_window_get_source (window), "session-loaded", G_CALLBACK (on_session_loaded), &loaded_with);
  ek_ui_test_wait_until (window_connected, window, 120, "the connection");
  ek_ui_test_wait_until (session_loaded, window, 60, "the newest page");
  /* ::session-loaded said so, with the page in the store */
  g_assert_cmpuint (loaded_with, ==, EK_LIVE_SOURCE_HISTORY_LIMIT);
  g_signal_handlers_disconnect_by_func (ek_window_get_source (window), on_session_loaded, &loaded_with);
  session = ek_window_get_session (window);
  g_assert_cmpstr (ek_session_get_id (session), ==, session_id);
  /* the newest EK_LIVE_SOURCE_HISTORY_LIMIT first */
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_messages (session)), ==,
                    EK_LIVE_SOURCE_HISTORY_LIMIT);
  {
    g_autoptr(EkMessage) last = g_list_model_get_item (ek_session_get_messages (session),
                                                       EK_LIVE_SOURCE_HISTORY_LIMIT - 1);
    g_autoptr(JsonNode) dump = ek_session_to_json (session);
    JsonObject *first_message = json_array_get_object_element (json_node_get_array (dump), 0);
    JsonArray *parts = json_object_get_array_member (first_message, "parts");
    g_autofree char *expected = g_strdup_printf ("Message %u of the long history",
                                                 N_HISTORY - EK_LIVE_SOURCE_HISTORY_LIMIT + 1);

    g_assert_cmpstr (ek_message_get_role (last), ==, "user");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (parts, 0), "text"),
                     ==, expected);
  }

  /* scrolled to the top, the chat asks for the page before */
  ek_ui_test_wait_until (window_settled, window, 60, "the view");
  ek_ui_test_spin (300);
  adjustment = ek_chat_view_get_vadjustment (ek_window_get_chat_view (window));
  gtk_adjustment_set_value (adjustment, 0);
  ek_ui_test_wait_until (all_history_loaded, window, 60, "the older page");
  assert_store_equals_server (window, session);
  ek_ui_test_spin (300);
  assert_rows_are_messages (window, session);
}

static void
test_pages (void)
{
  g_autofree char *session_id = NULL;
  Harness *harness;
  const char *args[7];

  if (!have_harness ())
    return;
  harness = get_harness ();
  session_id = make_long_session (harness);
  args[0] = "--server";
  args[1] = harness->url;
  args[2] = "--directory";
  args[3] = harness->directory;
  args[4] = "--session";
  args[5] = session_id;
  args[6] = NULL;
  run_app (args, pages_body, session_id);
}

/* ---- the server goes away and comes back ---- */

static gboolean
window_reconnecting (gpointer data)
{
  return g_strcmp0 (ek_window_get_banner_text (data), "Connection lost — reconnecting…") == 0;
}

static gboolean window_offline (gpointer data);

static void
reconnect_body (EkApplication *app,
                EkWindow      *window,
                gpointer       data)
{
  Harness *harness = data;
  EkSession *session;
  Turn turn;

  ek_ui_test_wait_until (window_connected, window, 120, "the connection");
  ek_ui_test_wait_until (window_settled, window, 60, "the history");
  session = ek_window_get_session (window);
  g_assert_cmpstr (ek_session_get_id (session), ==, turns_session_id);
  ek_live_source_set_offline_after (EK_LIVE_SOURCE (ek_window_get_source (window)), 1500);

  /* the server stops: reconnecting, then offline */
  harness_signal (harness, SIGUSR2);
  ek_ui_test_wait_until (window_reconnecting, window, 60, "the reconnecting banner");
  g_assert_nonnull (ek_composer_get_disabled_reason (ek_window_get_composer (window)));
  ek_ui_test_wait_until (window_offline, window, 30, "the offline banner");

  /* it comes back: connected again on its own, and in sync */
  harness_signal (harness, SIGUSR1);
  harness_wait_event (harness, "ready", 180);
  ek_ui_test_wait_until (window_connected, window, 60, "the connection again");
  g_assert_null (ek_window_get_banner_text (window));
  g_assert_true (ek_window_get_session (window) == session);
  assert_store_equals_server (window, session);
  ek_ui_test_spin (300);
  assert_rows_are_messages (window, session);

  /* and works */
  send_and_wait (window, "scenario:text", &turn);
  assert_store_equals_server (window, session);
  assert_rows_are_messages (window, session);
}

static void
test_reconnect (void)
{
  Harness *harness;
  const char *args[7];

  if (!have_harness ())
    return;
  if (turns_session_id == NULL)
    {
      g_test_skip ("needs /live-app/turns");
      return;
    }
  harness = get_harness ();
  args[0] = "--server";
  args[1] = harness->url;
  args[2] = "--directory";
  args[3] = harness->directory;
  args[4] = "--session";
  args[5] = turns_session_id;
  args[6] = NULL;
  run_app (args, reconnect_body, harness);
}

/* ---- a password ---- */

static gboolean
has_password_dialog (gpointer data)
{
  return ek_window_get_password_dialog (data) != NULL;
}

static gboolean
no_password_dialog (gpointer data)
{
  return ek_window_get_password_dialog (data) == NULL;
}

static void
answer_password_dialog (EkWindow   *window,
                        const char *password)
{
  GtkWidget *dialog = ek_window_get_password_dialog (window);
  GtkWidget *entry;
  GtkWidget *button;

  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (gtk_widget_get_visible (dialog));
  entry = find_editable (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (entry));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
  gtk_editable_set_text (GTK_EDITABLE (entry), password);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "connect"));
  /* the dialog's Connect button, as a click */
  button = find_button_labelled (dialog, "C_onnect");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  ek_ui_test_wait_until (no_password_dialog, window, 10, "the dialog to close");
}

static void
password_body (EkApplication *app,
               EkWindow      *window,
               gpointer       data)
{
  Harness *harness = data;
  GSettings *settings = ek_application_get_settings (app);
  g_auto(GStrv) keys = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  /* no password yet: the dialog asks */
  ek_ui_test_wait_until (has_password_dialog, window, 120, "the password dialog");
  g_assert_cmpint (window_state (window), ==, EK_SOURCE_STATE_UNAUTHORIZED);
  g_assert_cmpstr (ek_window_get_banner_text (window), ==, "The server wants a password");
  g_assert_nonnull (ek_composer_get_disabled_reason (ek_window_get_composer (window)));
  {
    g_autofree char *png = output_path ("test-live-app-password.png");
    g_autoptr(GError) error = NULL;

    ek_ui_test_spin (300);
    g_assert_true (ek_widget_save_png (ek_window_get_password_dialog (window), png, &error));
    g_assert_no_error (error);
  }

  /* a wrong one: asked again */
  answer_password_dialog (window, "not-the-password");
  ek_ui_test_wait_until (has_password_dialog, window, 60, "the password dialog again");
  g_assert_cmpstr (ek_window_get_banner_text (window), ==, "The server refused the password");

  answer_password_dialog (window, PASSWORD);
  ek_ui_test_wait_until (window_connected, window, 60, "the connection with the password");
  g_assert_null (ek_window_get_password_dialog (window));
  g_assert_true (ek_window_can_create_session (window));

  /* remembered, but never the password */
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, PASSWORD));
    }
  {
    g_autofree char *url = g_settings_get_string (settings, "server-url");

    g_assert_cmpstr (url, ==, harness->url);
  }
}

static void
test_password (void)
{
  Harness *harness;
  const char *args[5];

  if (!have_harness ())
    return;
  g_unsetenv ("OPENCODE_SERVER_PASSWORD");
  harness = harness_start (PASSWORD);
  args[0] = "--server";
  args[1] = harness->url;
  args[2] = "--directory";
  args[3] = harness->directory;
  args[4] = NULL;
  run_app (args, password_body, harness);
  harness_stop (harness);
}

/* ---- offline ---- */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
window_offline (gpointer data)
{
  const char *banner = ek_window_get_banner_text (data);

  return window_state (data) == EK_SOURCE_STATE_OFFLINE &&
         banner != NULL && g_str_has_prefix (banner, "Offline: ");
}

static void
on_offline_state (EkSource   *source,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  if (ek_source_get_state (source) == EK_SOURCE_STATE_CONNECTING)
    *(gboolean *) user_data = TRUE;
}

static void
offline_body (EkApplication *app,
              EkWindow      *window,
              gpointer       data)
{
  GtkWidget *retry;
  gboolean tried = FALSE;
  gulong id;

  ek_ui_test_wait_until (window_offline, window, 60, "the offline banner");
  g_assert_nonnull (strstr (ek_window_get_banner_text (window), "127.0.0.1"));
  retry = find_button (GTK_WIDGET (window), "win.retry-connection");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_is_visible (retry));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (retry)), ==, "_Retry");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "retry-connection"));
  g_assert_nonnull (ek_composer_get_disabled_reason (ek_window_get_composer (window)));
  g_assert_false (ek_window_can_create_session (window));
  g_assert_true (ek_window_is_settled (window));
  {
    g_autofree char *png = output_path ("test-live-app-offline.png");
    g_autoptr(GError) error = NULL;

    ek_ui_test_spin (300);
    g_assert_true (ek_widget_save_png (GTK_WIDGET (window), png, &error));
    g_assert_no_error (error);
  }

  /* Retry: a new attempt (“Connecting…”), offline again */
  id = g_signal_connect (ek_window_get_source (window), "notify::state", G_CALLBACK (on_offline_state), &tried);
  gtk_widget_activate (retry);
  ek_ui_test_wait_until (ek_ui_test_flag_is_set, &tried, 10, "a new attempt");
  ek_ui_test_wait_until (window_offline, window, 60, "the offline banner again");
  g_signal_handler_disconnect (ek_window_get_source (window), id);
}

static void
test_offline (void)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", free_port ());
  g_autofree char *cwd = g_get_current_dir ();
  const char *args[] = { "--server", url, "--directory", cwd, NULL };

  run_app (args, offline_body, NULL);
}

/* ---- the welcome page ---- */

static guint free_port (void);

static gboolean
welcome_idle (gpointer data)
{
  return !ek_welcome_page_get_busy (data);
}

static gboolean
showing_sessions (gpointer data)
{
  return g_strcmp0 (ek_window_get_visible_page (data), "sessions") == 0;
}

static void
welcome_body (EkApplication *app,
              EkWindow      *window,
              gpointer       data)
{
  Harness *harness = data;
  EkWelcomePage *page = ek_window_get_welcome_page (window);
  GSettings *settings = ek_application_get_settings (app);
  g_autofree char *nowhere = g_strdup_printf ("127.0.0.1:%u", free_port ());
  g_autofree char *url = NULL;
  const char *notice;

  g_assert_cmpstr (ek_window_get_visible_page (window), ==, "welcome");
  g_assert_null (ek_window_get_source (window));

  /* nobody there: the page says so and stays */
  ek_welcome_page_set_url (page, nowhere);
  ek_welcome_page_set_directory (page, harness->directory);
  gtk_widget_activate_action (GTK_WIDGET (page), "welcome.connect", NULL);
  g_assert_true (ek_welcome_page_get_busy (page));
  ek_ui_test_wait_until (welcome_idle, page, 60, "the attempt to fail");
  notice = ek_welcome_page_get_notice (page);
  g_assert_nonnull (notice);
  g_assert_true (g_str_has_prefix (notice, "Offline: "));
  g_assert_cmpstr (ek_window_get_visible_page (window), ==, "welcome");
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "");
  g_clear_pointer (&url, g_free);

  /* the server: connected, shown, remembered */
  ek_welcome_page_set_url (page, harness->url);
  gtk_widget_activate_action (GTK_WIDGET (page), "welcome.connect", NULL);
  ek_ui_test_wait_until (showing_sessions, window, 120, "the sessions page");
  g_assert_true (EK_IS_LIVE_SOURCE (ek_window_get_source (window)));
  g_assert_cmpint (window_state (window), ==, EK_SOURCE_STATE_CONNECTED);
  g_assert_true (ek_window_can_create_session (window));
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, harness->url);

  /* and back: “Connect to a Server…” */
  g_action_group_activate_action (G_ACTION_GROUP (window), "change-server", NULL);
  g_assert_cmpstr (ek_window_get_visible_page (window), ==, "welcome");
  g_assert_null (ek_window_get_source (window));
}

static void
test_welcome (void)
{
  const char *args[] = { NULL };
  GSettings *settings;

  if (!have_harness ())
    return;
  /* empty settings: the welcome page */
  settings = g_settings_new ("dev.ekacode.Ekacode");
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "directory");
  g_object_unref (settings);
  run_app (args, welcome_body, get_harness ());
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/dev/ekacode/Ekacode/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/dev/ekacode/Ekacode/icons");
  g_setenv ("LANGUAGE", "C", TRUE);
  ek_part_registry_ensure_defaults ();

  g_test_add_func ("/live-app/offline", test_offline);
  g_test_add_func ("/live-app/welcome", test_welcome);
  /* before turns: /live-app/remembered wants turns' session the last */
  g_test_add_func ("/live-app/follows", test_follows);
  g_test_add_func ("/live-app/turns", test_turns);
  g_test_add_func ("/live-app/remembered", test_remembered);
  g_test_add_func ("/live-app/binary-screenshot", test_binary_screenshot);
  g_test_add_func ("/live-app/history-pages", test_pages);
  g_test_add_func ("/live-app/reconnect", test_reconnect);
  g_test_add_func ("/live-app/password", test_password);

  status = g_test_run ();
  harness_stop (shared_harness);
  return status;
}
