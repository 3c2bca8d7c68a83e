/* ek-cli-run.c: `ekacode-cli run PROMPT`, in the manner of `opencode run`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Subscribes to the server's events (and refetches, as the app does),
 * sends the prompt, prints the turn as it streams — text as it arrives,
 * one line per tool state change — answers permission requests and
 * questions as told, and waits until the session is idle again.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include "ek-cli.h"
#include "ek-connection.h"
#include "ek-json.h"

typedef enum
{
  PERMISSION_ASK,
  PERMISSION_ONCE,
  PERMISSION_ALWAYS,
  PERMISSION_REJECT,
} PermissionMode;

typedef struct
{
  EkClient         *client;
  EkStore          *store;
  EkConnection     *connection;
  GMainLoop        *loop;
  char             *session_id;
  char             *message_id;     /* the user's message, once sent */
  PermissionMode    permission;
  guint             settle_id;
  gboolean          done;
  int               exit_code;
  char             *session_error;  /* the last session.error, in words */

  GHashTable       *printed;        /* part id → bytes of text printed */
  GHashTable       *tool_states;    /* part id → last status printed */
  GHashTable       *handled;        /* request ids answered or being asked */
  gboolean          at_line_start;

  GDataInputStream *terminal;       /* stdin, for `ask` */
  GCancellable     *cancellable;
  GQueue            asks;           /* EkRequest waiting for the terminal */
  EkRequest        *asking;
} Run;

/* how long the stream must stay quiet once the session is idle */
#define SETTLE_MS 400

static void check_turn (Run *run);
static gboolean turn_looks_over (Run *run, EkSession *session, GPtrArray *answers);
static gboolean on_settled (gpointer user_data);

static void
quit (Run *run,
      int  exit_code)
{
  run->exit_code = exit_code;
  run->done = TRUE;
  g_main_loop_quit (run->loop);
}

static void
ensure_newline (Run *run)
{
  if (!run->at_line_start)
    {
      g_print ("\n");
      run->at_line_start = TRUE;
    }
}

/* What a tool line names: the command, the path, the pattern… */
static char *
tool_subject (EkPart *part)
{
  JsonObject *state = ek_json_get_object (ek_part_get_data (part), "state");
  JsonObject *input = ek_json_get_object (state, "input");
  static const char * const keys[] = {
    "command", "filePath", "pattern", "description", "url", "path", NULL
  };
  const char *subject = NULL;

  for (guint i = 0; keys[i] != NULL && subject == NULL; i++)
    subject = ek_json_get_string (input, keys[i]);
  if (subject == NULL)
    subject = ek_json_get_string (state, "title");
  if (subject == NULL)
    return g_strdup ("");

  /* one line */
  return g_strndup (subject, strcspn (subject, "\n"));
}

static void
print_part (Run    *run,
            EkPart *part)
{
  const char *type = ek_part_get_part_type (part);
  const char *id = ek_part_get_id (part);

  if (g_strcmp0 (type, "text") == 0 || g_strcmp0 (type, "reasoning") == 0)
    {
      gsize printed = GPOINTER_TO_SIZE (g_hash_table_lookup (run->printed, id));
      gsize len = ek_part_get_text_length (part);
      const char *text = ek_part_get_text (part);

      if (len <= printed)
        return;
      if (printed == 0 && g_strcmp0 (type, "reasoning") == 0)
        {
          ensure_newline (run);
          g_print ("[thinking] ");
        }
      fwrite (text + printed, 1, len - printed, stdout);
      fflush (stdout);
      run->at_line_start = text[len - 1] == '\n';
      g_hash_table_replace (run->printed, g_strdup (id), GSIZE_TO_POINTER (len));
      if (g_strcmp0 (type, "reasoning") == 0)
        ensure_newline (run);
    }
  else if (g_strcmp0 (type, "tool") == 0)
    {
      const char *status = ek_part_get_tool_status (part);
      g_autofree char *subject = NULL;

      if (status == NULL || g_strcmp0 (g_hash_table_lookup (run->tool_states, id), status) == 0)
        return;
      g_hash_table_replace (run->tool_states, g_strdup (id), g_strdup (status));

      subject = tool_subject (part);
      ensure_newline (run);
      if (g_strcmp0 (status, "error") == 0)
        {
          const char *error = ek_json_get_string (ek_json_get_object (ek_part_get_data (part), "state"), "error");
          g_print ("[%s] error: %s%s%s\n", ek_part_get_tool (part), subject,
                   error ? " — " : "", error ? error : "");
        }
      else
        g_print ("[%s] %s: %s\n", ek_part_get_tool (part), status, subject);
    }
}

/* The replies to our prompt, in order. */
static GPtrArray *
replies (Run *run)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  EkSession *session = ek_store_lookup_session (run->store, run->session_id);
  GListModel *messages;

  if (session == NULL || run->message_id == NULL)
    return out;
  messages = ek_session_get_messages (session);
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(EkMessage) message = g_list_model_get_item (messages, i);

      if (g_strcmp0 (ek_message_get_role (message), "assistant") == 0 &&
          g_strcmp0 (ek_message_get_parent_id (message), run->message_id) == 0)
        g_ptr_array_add (out, g_steal_pointer (&message));
    }
  return out;
}

static char *
error_in_words (JsonObject *error)
{
  const char *name = ek_json_get_string (error, "name");
  const char *message = ek_json_get_string (ek_json_get_object (error, "data"), "message");

  if (g_strcmp0 (name, "MessageAbortedError") == 0)
    return g_strdup ("The turn was interrupted");
  if (message != NULL && name != NULL)
    return g_strdup_printf ("%s (%s)", message, name);
  return g_strdup (message ? message : name ? name : "Unknown error");
}

/* ---- permission requests and questions ---- */

static gboolean
concerns_us (Run       *run,
             EkSession *session)
{
  /* our session, or a subagent's session under it */
  for (guint depth = 0; session != NULL && depth < 16; depth++)
    {
      const char *parent;

      if (g_strcmp0 (ek_session_get_id (session), run->session_id) == 0)
        return TRUE;
      parent = ek_session_get_parent_id (session);
      session = parent ? ek_store_lookup_session (run->store, parent) : NULL;
    }
  return FALSE;
}

static void
on_replied (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == ek_client_reply_question_async)
    ok = ek_client_reply_question_finish (EK_CLIENT (source), result, &error);
  else
    ok = ek_client_reply_permission_finish (EK_CLIENT (source), result, &error);
  if (!ok)
    g_printerr ("ekacode-cli run: the server did not take the answer: %s\n", error->message);
}

static void
reply_permission (Run               *run,
                  EkRequest         *request,
                  EkPermissionReply  reply)
{
  static const char * const words[] = { "allowed once", "allowed always", "rejected" };

  ensure_newline (run);
  g_print ("[permission] %s: %s\n", ek_json_get_string (ek_request_get_data (request), "permission"),
           words[reply]);
  ek_client_reply_permission_async (run->client, ek_request_get_id (request), reply, NULL,
                                    NULL, on_replied, run);
}

static JsonArray *
questions_of (EkRequest *request)
{
  JsonNode *node = json_object_get_member (ek_request_get_data (request), "questions");

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_ARRAY)
    return NULL;
  return json_node_get_array (node);
}

/* Every question answered with its first option. */
static void
answer_first_options (Run       *run,
                      EkRequest *request)
{
  JsonArray *questions = questions_of (request);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; questions != NULL && i < json_array_get_length (questions); i++)
    {
      JsonNode *q = json_array_get_element (questions, i);
      JsonObject *question = JSON_NODE_HOLDS_OBJECT (q) ? json_node_get_object (q) : NULL;
      JsonNode *options = question ? json_object_get_member (question, "options") : NULL;
      g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();

      if (options != NULL && JSON_NODE_HOLDS_ARRAY (options) &&
          json_array_get_length (json_node_get_array (options)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (options), 0);
          const char *label = JSON_NODE_HOLDS_OBJECT (first)
                              ? ek_json_get_string (json_node_get_object (first), "label") : NULL;
          if (label != NULL)
            g_strv_builder_add (labels, label);
        }
      ensure_newline (run);
      g_print ("[question] %s → %s\n", question ? ek_json_get_string (question, "question") : "?",
               g_strv_length ((GStrv) labels) > 0 ? "first option" : "no answer");
      g_ptr_array_add (answers, g_strv_builder_end (labels));
    }

  ek_client_reply_question_async (run->client, ek_request_get_id (request), answers,
                                  NULL, on_replied, run);
}

static void ask_next (Run *run);

static void
on_terminal_line (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(EkRequest) request = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  request = g_steal_pointer (&run->asking);
  if (request == NULL || run->done)
    return;

  if (ek_request_get_kind (request) == EK_REQUEST_PERMISSION)
    {
      char c = line ? g_ascii_tolower (line[strspn (line, " ")]) : 'r';

      reply_permission (run, request,
                        c == 'a' ? EK_PERMISSION_REPLY_ALWAYS
                        : c == 'o' || c == 'y' ? EK_PERMISSION_REPLY_ONCE
                        : EK_PERMISSION_REPLY_REJECT);
    }
  else
    answer_first_options (run, request);

  ask_next (run);
}

static void
ask_next (Run *run)
{
  EkRequest *request;
  JsonObject *data;

  if (run->asking != NULL || g_queue_is_empty (&run->asks))
    return;

  request = g_queue_pop_head (&run->asks);
  data = ek_request_get_data (request);
  run->asking = request;
  ensure_newline (run);
  if (ek_request_get_kind (request) == EK_REQUEST_PERMISSION)
    {
      JsonNode *patterns = json_object_get_member (data, "patterns");
      g_autofree char *what = NULL;

      if (patterns != NULL && JSON_NODE_HOLDS_ARRAY (patterns) &&
          json_array_get_length (json_node_get_array (patterns)) > 0)
        what = g_strdup (json_array_get_string_element (json_node_get_array (patterns), 0));
      g_print ("Allow %s %s? [o]nce, [a]lways, [r]eject: ",
               ek_json_get_string (data, "permission"), what ? what : "");
    }
  else
    g_print ("Answer with the first option? [Enter]: ");
  fflush (stdout);
  run->at_line_start = TRUE;

  g_data_input_stream_read_line_async (run->terminal, G_PRIORITY_DEFAULT, run->cancellable,
                                       on_terminal_line, run);
}

static void
handle_request (Run       *run,
                EkRequest *request)
{
  const char *id = ek_request_get_id (request);

  if (id == NULL || g_hash_table_contains (run->handled, id))
    return;
  g_hash_table_add (run->handled, g_strdup (id));

  if (ek_request_get_kind (request) == EK_REQUEST_PERMISSION)
    {
      switch (run->permission)
        {
        case PERMISSION_ONCE:
          reply_permission (run, request, EK_PERMISSION_REPLY_ONCE);
          return;
        case PERMISSION_ALWAYS:
          reply_permission (run, request, EK_PERMISSION_REPLY_ALWAYS);
          return;
        case PERMISSION_REJECT:
          reply_permission (run, request, EK_PERMISSION_REPLY_REJECT);
          return;
        case PERMISSION_ASK:
        default:
          break;
        }
    }
  else if (run->permission != PERMISSION_ASK || !isatty (STDIN_FILENO))
    {
      answer_first_options (run, request);
      return;
    }

  g_queue_push_tail (&run->asks, g_object_ref (request));
  ask_next (run);
}

static void
handle_requests (Run *run)
{
  GListModel *sessions = ek_store_get_sessions (run->store);

  for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);
      GListModel *lists[] = { ek_session_get_permissions (session), ek_session_get_questions (session) };

      if (!concerns_us (run, session))
        continue;
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint j = 0; j < g_list_model_get_n_items (lists[l]); j++)
          {
            g_autoptr(EkRequest) request = g_list_model_get_item (lists[l], j);
            handle_request (run, request);
          }
    }
}

/* ---- following the turn ---- */

static void
check_turn (Run *run)
{
  g_autoptr(GPtrArray) answers = replies (run);
  EkSession *session = ek_store_lookup_session (run->store, run->session_id);

  for (guint i = 0; i < answers->len; i++)
    {
      GListModel *parts = ek_message_get_parts (g_ptr_array_index (answers, i));

      for (guint j = 0; j < g_list_model_get_n_items (parts); j++)
        {
          g_autoptr(EkPart) part = g_list_model_get_item (parts, j);
          print_part (run, part);
        }
    }

  handle_requests (run);

  if (run->done)
    return;

  /* The turn looks over: wait for the stream to settle before saying so.
   * An abort, for one, sends idle before the reply's last update. */
  g_clear_handle_id (&run->settle_id, g_source_remove);
  if (turn_looks_over (run, session, answers))
    run->settle_id = g_timeout_add (SETTLE_MS, on_settled, run);
}

static gboolean
turn_looks_over (Run       *run,
                 EkSession *session,
                 GPtrArray *answers)
{
  if (run->message_id == NULL || session == NULL)
    return FALSE;
  if (ek_session_get_status (session) != EK_SESSION_STATUS_IDLE ||
      !ek_connection_get_synced (run->connection))
    return FALSE;
  /* idle with no reply at all: over only if the server failed the turn */
  return answers->len > 0 || run->session_error != NULL;
}

static gboolean
on_settled (gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GPtrArray) answers = replies (run);
  EkSession *session = ek_store_lookup_session (run->store, run->session_id);
  EkMessage *last;

  run->settle_id = 0;
  if (!turn_looks_over (run, session, answers))
    return G_SOURCE_REMOVE;

  ensure_newline (run);
  if (answers->len == 0)
    {
      g_printerr ("ekacode-cli run: %s\n", run->session_error);
      quit (run, EK_CLI_EXIT_FAILED);
      return G_SOURCE_REMOVE;
    }

  last = g_ptr_array_index (answers, answers->len - 1);
  if (ek_message_get_error (last) != NULL)
    {
      g_autofree char *words = error_in_words (ek_message_get_error (last));
      g_printerr ("ekacode-cli run: %s\n", words);
      quit (run, EK_CLI_EXIT_FAILED);
      return G_SOURCE_REMOVE;
    }
  if (ek_message_get_time_completed (last) == 0)
    {
      g_printerr ("ekacode-cli run: the turn stopped before it finished (did the server restart?)\n");
      quit (run, EK_CLI_EXIT_FAILED);
      return G_SOURCE_REMOVE;
    }

  quit (run, EK_CLI_EXIT_OK);
  return G_SOURCE_REMOVE;
}

static void
on_batch (EkEventStream *stream,
          GPtrArray     *batch,
          Run           *run)
{
  check_turn (run);
}

static void
on_synced (EkConnection *connection,
           GParamSpec   *pspec,
           Run          *run)
{
  check_turn (run);
}

static void
on_stream_state (EkEventStream *stream,
                 GParamSpec    *pspec,
                 Run           *run)
{
  EkStreamState state = ek_event_stream_get_state (stream);

  if (state == EK_STREAM_STATE_UNAUTHORIZED || state == EK_STREAM_STATE_FAILED)
    {
      ensure_newline (run);
      g_printerr ("ekacode-cli run: %s\n", ek_event_stream_get_last_error (stream));
      quit (run, EK_CLI_EXIT_USAGE);
    }
}

static void
on_session_error (EkStore    *store,
                  EkSession  *session,
                  JsonObject *error,
                  Run        *run)
{
  if (session == NULL || g_strcmp0 (ek_session_get_id (session), run->session_id) != 0)
    return;
  g_free (run->session_error);
  run->session_error = error_in_words (error);
}

static void
on_prompt_sent (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  run->message_id = ek_connection_send_prompt_finish (EK_CONNECTION (source), result, &error);
  if (run->message_id == NULL)
    {
      g_printerr ("ekacode-cli run: the server did not take the prompt: %s\n", error->message);
      quit (run, EK_CLI_EXIT_FAILED);
      return;
    }
  check_turn (run);
}

static void
send_when_synced (Run        *run,
                  const char *prompt)
{
  /* subscribe first, send second: nothing of the turn is missed */
  while (!ek_connection_get_synced (run->connection) && !run->done)
    g_main_context_iteration (NULL, TRUE);
  if (run->done)
    return;

  ek_connection_open_session (run->connection, run->session_id);
  ek_connection_send_prompt_async (run->connection, run->session_id, prompt, NULL, NULL, NULL,
                                   NULL, on_prompt_sent, run);
}

typedef struct
{
  GMainLoop  *loop;
  JsonObject *session;
  GError     *error;
} Created;

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Created *created = user_data;

  created->session = ek_client_create_session_finish (EK_CLIENT (source), result, &created->error);
  g_main_loop_quit (created->loop);
}

static gboolean
parse_permission (const char     *value,
                  PermissionMode *mode)
{
  static const char * const names[] = { "ask", "once", "always", "reject" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (value, names[i]) == 0)
      {
        *mode = i;
        return TRUE;
      }
  return FALSE;
}

int
ek_cli_run (int    argc,
            char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *password_env = NULL;
  g_autofree char *permission = NULL;
  g_autofree char *dump_path = NULL;
  g_auto(GStrv) words = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("The server, http://HOST:PORT"), N_("URL") },
    { "directory", 0, 0, G_OPTION_ARG_FILENAME, &directory, N_("The project directory on the server (default: this one)"), N_("DIR") },
    { "session", 0, 0, G_OPTION_ARG_STRING, &session_id, N_("Continue this session instead of making one"), N_("ID") },
    { "password-env", 0, 0, G_OPTION_ARG_STRING, &password_env, N_("Read the server's password from this environment variable"), N_("VAR") },
    { "permission", 0, 0, G_OPTION_ARG_STRING, &permission, N_("Answer permission requests: ask (default), once, always or reject"), N_("MODE") },
    { "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump_path, N_("Write the session's messages as JSON when the turn ends (“-” for stdout)"), N_("OUT.json") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &words, NULL, N_("PROMPT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("PROMPT — send a prompt and follow the turn"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(EkClient) client = NULL;
  g_autoptr(EkStore) store = NULL;
  g_autoptr(EkConnection) connection = NULL;
  g_autofree char *prompt = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  PermissionMode mode = PERMISSION_ASK;
  Run run = { NULL, };
  int exit_code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ekacode-cli run: %s\n", error->message);
      return EK_CLI_EXIT_USAGE;
    }
  if (permission != NULL && !parse_permission (permission, &mode))
    {
      g_printerr ("ekacode-cli run: --permission takes ask, once, always or reject, not “%s”\n", permission);
      return EK_CLI_EXIT_USAGE;
    }
  if (words == NULL || words[0] == NULL)
    {
      g_printerr ("ekacode-cli run: give the prompt to send\n");
      return EK_CLI_EXIT_USAGE;
    }
  prompt = g_strjoinv (" ", words);

  client = ek_cli_connect ("run", server, directory, password_env, &exit_code);
  if (client == NULL)
    return exit_code;

  loop = g_main_loop_new (NULL, FALSE);
  if (session_id == NULL)
    {
      Created created = { loop, NULL, NULL };

      ek_client_create_session_async (client, NULL, NULL, NULL, on_created, &created);
      g_main_loop_run (loop);
      if (created.session == NULL)
        {
          g_printerr ("ekacode-cli run: cannot make a session: %s\n", created.error->message);
          g_clear_error (&created.error);
          return EK_CLI_EXIT_FAILED;
        }
      session_id = g_strdup (ek_json_get_string (created.session, "id"));
      json_object_unref (created.session);
    }

  store = ek_store_new ();
  connection = ek_connection_new (client, store);
  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);

  run.client = client;
  run.store = store;
  run.connection = connection;
  run.loop = loop;
  run.session_id = session_id;
  run.permission = mode;
  run.printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.tool_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run.handled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run.at_line_start = TRUE;
  run.terminal = g_data_input_stream_new (stdin_stream);
  run.cancellable = g_cancellable_new ();
  g_queue_init (&run.asks);

  g_signal_connect_after (ek_connection_get_stream (connection), "batch", G_CALLBACK (on_batch), &run);
  g_signal_connect (ek_connection_get_stream (connection), "notify::state", G_CALLBACK (on_stream_state), &run);
  g_signal_connect (connection, "notify::synced", G_CALLBACK (on_synced), &run);
  g_signal_connect (store, "session-error", G_CALLBACK (on_session_error), &run);

  ek_connection_start (connection);
  send_when_synced (&run, prompt);
  if (!run.done)
    g_main_loop_run (loop);

  if (dump_path != NULL && run.message_id != NULL)
    {
      EkSession *session = ek_store_lookup_session (store, session_id);

      if (session == NULL || !ek_cli_write_dump (session, dump_path, &error))
        {
          g_printerr ("ekacode-cli run: cannot write %s: %s\n", dump_path,
                      error ? error->message : "no such session");
          run.exit_code = MAX (run.exit_code, EK_CLI_EXIT_FAILED);
        }
    }

  g_signal_handlers_disconnect_by_data (ek_connection_get_stream (connection), &run);
  g_signal_handlers_disconnect_by_data (connection, &run);
  g_signal_handlers_disconnect_by_data (store, &run);
  ek_connection_stop (connection);
  g_clear_handle_id (&run.settle_id, g_source_remove);
  g_cancellable_cancel (run.cancellable);
  g_clear_object (&run.cancellable);
  g_queue_clear_full (&run.asks, g_object_unref);
  g_clear_object (&run.asking);
  g_clear_object (&run.terminal);
  g_hash_table_unref (run.printed);
  g_hash_table_unref (run.tool_states);
  g_hash_table_unref (run.handled);
  g_free (run.message_id);
  g_free (run.session_error);
  return run.exit_code;
}
