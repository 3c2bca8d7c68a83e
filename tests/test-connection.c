/* test-connection.c: EkConnection and EkEventStream against a mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ek-connection.h"
#include "mock-server.h"

static void
iterate_until (gboolean   *flag,
               guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!*flag && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_assert_true (*flag);
}

typedef struct
{
  gboolean  done;
  char     *message_id;
  GError   *error;
} Sent;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Sent *sent = user_data;

  sent->message_id = ek_connection_send_prompt_finish (EK_CONNECTION (source), result, &sent->error);
  sent->done = TRUE;
}

static guint
n_session_messages (EkStore    *store,
                    const char *session_id)
{
  EkSession *session = ek_store_lookup_session (store, session_id);

  return session ? g_list_model_get_n_items (ek_session_get_messages (session)) : 0;
}

static guint
n_messages (EkStore *store)
{
  return n_session_messages (store, "ses_1");
}

/* What a connection fetches as it syncs: the session list as given,
 * and no statuses, permissions or questions. */
static void
respond_sync (EkMockServer *server,
              const char   *sessions,
              const char   *statuses)
{
  ek_mock_server_respond (server, "GET", "/session", 200, sessions);
  ek_mock_server_respond (server, "GET", "/session/status", 200, statuses);
  ek_mock_server_respond (server, "GET", "/permission", 200, "[]");
  ek_mock_server_respond (server, "GET", "/question", 200, "[]");
}

/* The user's message is shown at once and taken back when the server
 * refuses the prompt; the error says what the server said. */
static void
test_prompt_refused (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkConnection) connection = ek_connection_new (client, store);
  Sent sent = { FALSE, };

  ek_mock_server_respond (server, "POST", "/session/ses_1/prompt_async", 400,
                          "{\"name\":\"BadRequest\",\"data\":{\"message\":\"no such agent\"}}");

  ek_connection_send_prompt_async (connection, "ses_1", "hello <b>", "nobody", NULL, NULL,
                                   NULL, on_sent, &sent);
  /* shown before the server answered */
  g_assert_cmpuint (n_messages (store), ==, 1);
  {
    EkSession *session = ek_store_lookup_session (store, "ses_1");
    g_autoptr(EkMessage) message = g_list_model_get_item (ek_session_get_messages (session), 0);
    g_autoptr(EkPart) part = g_list_model_get_item (ek_message_get_parts (message), 0);

    g_assert_cmpstr (ek_message_get_role (message), ==, "user");
    g_assert_cmpstr (ek_part_get_text (part), ==, "hello <b>");
  }

  iterate_until (&sent.done, 30000);
  g_assert_null (sent.message_id);
  g_assert_error (sent.error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_BAD_REQUEST);
  g_assert_nonnull (strstr (sent.error->message, "no such agent"));
  g_assert_cmpuint (n_messages (store), ==, 0);
  g_clear_error (&sent.error);
}

/* Taken: the ids the store shows are the ones the server was sent. */
static void
test_prompt_taken (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkConnection) connection = ek_connection_new (client, store);
  g_autoptr(JsonNode) body = NULL;
  const EkMockRequest *request;
  JsonObject *object;
  JsonObject *part;
  Sent sent = { FALSE, };

  ek_mock_server_respond (server, "POST", "/session/ses_1/prompt_async", 204, NULL);
  ek_connection_send_prompt_async (connection, "ses_1", "hi", "build", "fake", "model-1",
                                   NULL, on_sent, &sent);
  iterate_until (&sent.done, 30000);
  g_assert_no_error (sent.error);
  g_assert_nonnull (sent.message_id);
  g_assert_true (g_str_has_prefix (sent.message_id, "msg_"));
  g_assert_cmpuint (n_messages (store), ==, 1);

  request = ek_mock_server_get_last_request (server);
  body = json_from_string (g_bytes_get_data (request->body, NULL), NULL);
  g_assert_nonnull (body);
  object = json_node_get_object (body);
  g_assert_cmpstr (json_object_get_string_member (object, "messageID"), ==, sent.message_id);
  g_assert_cmpstr (json_object_get_string_member (object, "agent"), ==, "build");
  part = json_array_get_object_element (json_object_get_array_member (object, "parts"), 0);
  g_assert_cmpstr (json_object_get_string_member (part, "text"), ==, "hi");
  g_assert_nonnull (ek_message_lookup_part (ek_session_lookup_message (ek_store_lookup_session (store, "ses_1"),
                                                                       sent.message_id),
                                            json_object_get_string_member (part, "id")));
  g_free (sent.message_id);
}

static void
on_synced (EkConnection *connection,
           GParamSpec   *pspec,
           gboolean     *synced)
{
  if (ek_connection_get_synced (connection))
    *synced = TRUE;
}

/* An event stream that stays open, as a server's does. */
static void
serve_open_stream (EkMockServer      *server,
                   SoupServerMessage *message,
                   gpointer           user_data)
{
  const char *events = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  soup_server_message_set_status (message, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_append (soup_server_message_get_response_body (message),
                            SOUP_MEMORY_STATIC, events, strlen (events));
}

/* Connected: the stream's events land, and the refetch merges the
 * server's sessions, statuses and pending requests. */
static void
test_stream_and_resync (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkConnection) connection = ek_connection_new (client, store);
  const char *events =
    "data: {\"type\":\"server.connected\",\"properties\":{}}\n\n"
    "data: {\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_live\",\"status\":{\"type\":\"busy\"}}}\n\n";
  gboolean synced = FALSE;
  EkSession *session;

  ek_mock_server_set_handler (server, "GET", "/event", serve_open_stream, (gpointer) events);
  ek_mock_server_respond (server, "GET", "/session", 200,
                          "[{\"id\":\"ses_old\",\"title\":\"from the refetch\",\"time\":{\"created\":1,\"updated\":2}},"
                          "{\"id\":\"ses_live\",\"title\":\"live\",\"time\":{\"created\":1,\"updated\":3}}]");
  ek_mock_server_respond (server, "GET", "/session/status", 200, "{}");
  ek_mock_server_respond (server, "GET", "/permission", 200,
                          "[{\"id\":\"per_1\",\"sessionID\":\"ses_old\",\"permission\":\"bash\",\"patterns\":[\"ls\"]}]");
  ek_mock_server_respond (server, "GET", "/question", 200, "[]");

  g_signal_connect (connection, "notify::synced", G_CALLBACK (on_synced), &synced);
  ek_connection_start (connection);
  iterate_until (&synced, 30000);

  session = ek_store_lookup_session (store, "ses_old");
  g_assert_nonnull (session);
  g_assert_cmpstr (ek_session_get_title (session), ==, "from the refetch");
  g_assert_cmpuint (g_list_model_get_n_items (ek_session_get_permissions (session)), ==, 1);
  /* busy on the stream before the refetch; the refetch, later, says idle */
  session = ek_store_lookup_session (store, "ses_live");
  g_assert_nonnull (session);
  g_assert_cmpstr (ek_session_get_title (session), ==, "live");
  g_assert_cmpint (ek_session_get_status (session), ==, EK_SESSION_STATUS_IDLE);

  ek_connection_stop (connection);
  g_assert_cmpint (ek_event_stream_get_state (ek_connection_get_stream (connection)), ==, EK_STREAM_STATE_IDLE);
}

/* An event stream that ends after its events, as a dropped one does. */
static void
serve_ending_stream (EkMockServer      *server,
                     SoupServerMessage *message,
                     gpointer           user_data)
{
  const char *events = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);

  soup_server_message_set_status (message, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_server_message_set_response (message, "text/event-stream", SOUP_MEMORY_STATIC,
                                    events, strlen (events));
}

static guint
n_requests_to (EkMockServer *server,
               const char   *path)
{
  guint n = 0;

  for (guint i = 0; i < ek_mock_server_get_n_requests (server); i++)
    if (g_strcmp0 (ek_mock_server_get_request (server, i)->path, path) == 0)
      n++;
  return n;
}

/* A stream that ends is taken up again, again and again, and what each
 * connection brings lands in the store. */
static void
test_stream_reconnects (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkConnection) connection = ek_connection_new (client, store);
  EkEventStream *stream = ek_connection_get_stream (connection);
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  ek_mock_server_set_handler (server, "GET", "/event", serve_ending_stream, (gpointer)
    "data: {\"type\":\"server.connected\",\"properties\":{}}\n\n"
    "data: {\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}\n\n");
  /* (the session is in the list too: a resync that lands after the
   * stream's event would rightly take a session the server does not list
   * for one that is gone) */
  respond_sync (server,
                "[{\"id\":\"ses_1\",\"title\":\"Busy\",\"time\":{\"created\":1,\"updated\":1}}]",
                "{\"ses_1\":{\"type\":\"busy\"}}");

  ek_connection_start (connection);
  while (n_requests_to (server, "/event") < 3 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (n_requests_to (server, "/event"), >=, 3);
  g_assert_cmpuint (ek_event_stream_get_n_events (stream), >=, 4);
  g_assert_nonnull (ek_store_lookup_session (store, "ses_1"));
  g_assert_cmpint (ek_session_get_status (ek_store_lookup_session (store, "ses_1")), ==,
                   EK_SESSION_STATUS_BUSY);
  ek_connection_stop (connection);
}

/* An open session that goes idle is fetched once more, so that what the
 * stream missed of the turn is in the store. */
static void
test_refetch_on_idle (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkConnection) connection = ek_connection_new (client, store);
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  ek_mock_server_set_handler (server, "GET", "/event", serve_open_stream, (gpointer)
    "data: {\"type\":\"server.connected\",\"properties\":{}}\n\n"
    "data: {\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_1\",\"status\":{\"type\":\"busy\"}}}\n\n"
    "data: {\"type\":\"session.status\",\"properties\":{\"sessionID\":\"ses_2\",\"status\":{\"type\":\"idle\"}}}\n\n"
    "data: {\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"ses_1\"}}\n\n");
  respond_sync (server, "[]", "{}");
  ek_mock_server_respond (server, "GET", "/session/ses_1/message", 200,
                          "[{\"info\":{\"id\":\"msg_1\",\"sessionID\":\"ses_1\",\"role\":\"user\",\"time\":{\"created\":1}},"
                          "\"parts\":[]}]");
  ek_mock_server_respond (server, "GET", "/session/ses_2/message", 200, "[]");

  ek_connection_open_session (connection, "ses_1");
  ek_connection_start (connection);
  /* once as the connection syncs, once as the session goes idle */
  while ((n_requests_to (server, "/session/ses_1/message") < 2 ||
          n_session_messages (store, "ses_1") == 0) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_requests_to (server, "/session/ses_1/message"), ==, 2);
  /* a session nobody has open is not fetched */
  g_assert_cmpuint (n_requests_to (server, "/session/ses_2/message"), ==, 0);
  g_assert_cmpuint (n_session_messages (store, "ses_1"), ==, 1);

  ek_connection_stop (connection);
}

/* A history page whose cursor to older pages changes with each fetch. */
static void
serve_history_page (EkMockServer      *server,
                    SoupServerMessage *message,
                    gpointer           user_data)
{
  guint *n_served = user_data;
  g_autofree char *cursor = g_strdup_printf ("cursor_%u", ++*n_served);
  static const char body[] =
    "[{\"info\":{\"id\":\"msg_2\",\"sessionID\":\"ses_1\",\"role\":\"user\",\"time\":{\"created\":2}},"
    "\"parts\":[]}]";

  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "X-Next-Cursor", cursor);
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                    body, strlen (body));
}

/* The refetch as a session goes idle leaves the paging alone: older
 * pages go on from the cursor the open gave. */
static void
test_refetch_on_idle_keeps_paging (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkConnection) connection = ek_connection_new (client, store);
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  const EkMockRequest *older = NULL;
  guint n_served = 0;

  ek_mock_server_set_handler (server, "GET", "/event", serve_open_stream, (gpointer)
    "data: {\"type\":\"server.connected\",\"properties\":{}}\n\n");
  respond_sync (server, "[]", "{}");
  ek_mock_server_set_handler (server, "GET", "/session/ses_1/message", serve_history_page, &n_served);

  ek_connection_set_history_limit (connection, 1);
  ek_connection_open_session (connection, "ses_1");
  ek_connection_start (connection);
  while (n_session_messages (store, "ses_1") == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_served, ==, 1);

  /* the turn ends: fetched again, with another cursor */
  {
    g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) ek_event_unref);
    g_autoptr(JsonObject) props = json_object_new ();

    json_object_set_string_member (props, "sessionID", "ses_1");
    g_ptr_array_add (batch, ek_event_new ("session.idle", props, NULL));
    g_signal_emit_by_name (ek_connection_get_stream (connection), "batch", batch);
  }
  while (n_served < 2 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_served, ==, 2);
  while (ek_mock_server_get_n_paused (server) > 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  /* older pages: from the first cursor */
  ek_connection_load_older_async (connection, "ses_1", NULL, NULL, NULL);
  while (n_served < 3 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  older = ek_mock_server_get_last_request (server);
  g_assert_cmpstr (older->path, ==, "/session/ses_1/message");
  g_assert_cmpstr (g_hash_table_lookup (older->query, "before"), ==, "cursor_1");
  /* in small pages: each is merged in one frame */
  g_assert_cmpstr (g_hash_table_lookup (older->query, "limit"), ==, "10");

  ek_connection_stop (connection);
}

/* Sessions the user left long ago (more than the last few) let go of
 * their messages; opening one again fetches them anew. */
static void
test_release_closed_sessions (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkStore) store = ek_store_new ();
  g_autoptr(EkConnection) connection = ek_connection_new (client, store);
  const char *ids[] = { "ses_a", "ses_b", "ses_c" };
  gboolean synced = FALSE;

  ek_mock_server_set_handler (server, "GET", "/event", serve_open_stream,
                              (gpointer) "data: {\"type\":\"server.connected\",\"properties\":{}}\n\n");
  respond_sync (server,
                "[{\"id\":\"ses_a\",\"time\":{\"created\":1,\"updated\":1}},"
                "{\"id\":\"ses_b\",\"time\":{\"created\":1,\"updated\":2}},"
                "{\"id\":\"ses_c\",\"time\":{\"created\":1,\"updated\":3}}]",
                "{}");
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *path = g_strdup_printf ("/session/%s/message", ids[i]);
      g_autofree char *body = g_strdup_printf (
        "[{\"info\":{\"id\":\"msg_1\",\"sessionID\":\"%s\",\"role\":\"user\",\"time\":{\"created\":1}},"
        "\"parts\":[{\"id\":\"prt_1\",\"sessionID\":\"%s\",\"messageID\":\"msg_1\",\"type\":\"text\",\"text\":\"hi\"}]}]",
        ids[i], ids[i]);

      ek_mock_server_respond (server, "GET", path, 200, body);
    }

  ek_connection_set_keep_closed (connection, 1);
  g_signal_connect (connection, "notify::synced", G_CALLBACK (on_synced), &synced);
  ek_connection_start (connection);
  iterate_until (&synced, 30000);

  /* each opened in turn, then left */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      ek_connection_open_session (connection, ids[i]);
      while (n_session_messages (store, ids[i]) == 0 && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (n_session_messages (store, ids[i]), ==, 1);
      ek_connection_close_session (connection, ids[i]);
    }

  /* one left session is kept: the last; the others are let go */
  g_assert_cmpuint (n_session_messages (store, "ses_a"), ==, 0);
  g_assert_cmpuint (n_session_messages (store, "ses_b"), ==, 0);
  g_assert_cmpuint (n_session_messages (store, "ses_c"), ==, 1);
  /* but the sessions themselves stay, for the sidebar */
  g_assert_nonnull (ek_store_lookup_session (store, "ses_a"));

  /* opening a released one fetches it again */
  g_assert_cmpuint (n_requests_to (server, "/session/ses_a/message"), ==, 1);
  ek_connection_open_session (connection, "ses_a");
  {
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (n_session_messages (store, "ses_a") == 0 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  g_assert_cmpuint (n_session_messages (store, "ses_a"), ==, 1);
  g_assert_cmpuint (n_requests_to (server, "/session/ses_a/message"), ==, 2);

  /* keeping more brings nothing back, keeping none lets go of the rest */
  ek_connection_set_keep_closed (connection, 0);
  g_assert_cmpuint (n_session_messages (store, "ses_c"), ==, 0);
  g_assert_cmpuint (n_session_messages (store, "ses_a"), ==, 1);

  ek_connection_stop (connection);
}

static void
on_state (EkEventStream *stream,
          GParamSpec    *pspec,
          gboolean      *refused)
{
  if (ek_event_stream_get_state (stream) == EK_STREAM_STATE_UNAUTHORIZED)
    *refused = TRUE;
}

/* A 401 stops the stream, in words. */
static void
test_stream_unauthorized (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkEventStream) stream = ek_event_stream_new (client);
  gboolean refused = FALSE;

  ek_mock_server_require_password (server, "opencode", "secret");
  g_signal_connect (stream, "notify::state", G_CALLBACK (on_state), &refused);
  ek_event_stream_start (stream);
  iterate_until (&refused, 30000);
  g_assert_nonnull (strstr (ek_event_stream_get_last_error (stream), "password"));
}

/* A server that takes the connection but says nothing (opencode while
 * it turns a flood of model output into events) is asked again at once
 * after each attempt times out, not after a growing backoff: the stream is
 * back as soon as the server is. */
static void
test_stream_retries_stuck_server (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkEventStream) stream = ek_event_stream_new (client);
  gint64 end;

  ek_mock_server_hang (server, "GET", "/event");
  /* the attempts time out after the dead-stream time, here 100 ms */
  ek_event_stream_set_dead_after (stream, 100);
  ek_event_stream_start (stream);

  end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  /* with a doubling backoff it would be 5 (0, 0.35, 0.95, 2.05 s…) */
  g_test_message ("%u attempts in 2 s", n_requests_to (server, "/event"));
  g_assert_cmpuint (n_requests_to (server, "/event"), >=, 10);
  g_assert_cmpint (ek_event_stream_get_state (stream), ==, EK_STREAM_STATE_RECONNECTING);
  g_assert_nonnull (strstr (ek_event_stream_get_last_error (stream), "did not answer"));
  ek_event_stream_stop (stream);
}

static void
serve_chunked_stream (EkMockServer      *server,
                      SoupServerMessage *message,
                      gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  SoupMessageBody *body = soup_server_message_get_response_body (message);

  soup_server_message_set_status (message, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  /* every event a chunk of its own, as opencode writes them */
  soup_message_body_append (body, SOUP_MEMORY_STATIC,
                            "data: {\"type\":\"server.connected\",\"properties\":{}}\n\n", 52);
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *event = g_strdup_printf ("data: {\"type\":\"server.heartbeat\",\"properties\":{\"n\":%u}}\n\n", i);

      soup_message_body_append (body, SOUP_MEMORY_COPY, event, strlen (event));
    }
  soup_message_body_complete (body);
}

/* A stream written an event at a time is read many events at a time:
 * a read per chunk (a GTask and a main loop dispatch each) cost more
 * than parsing, and kept the window from drawing while a turn streamed. */
static void
test_stream_reads_in_bulk (void)
{
  g_autoptr(EkMockServer) server = ek_mock_server_new ();
  g_autoptr(EkClient) client = ek_client_new (ek_mock_server_get_url (server), "/tmp");
  g_autoptr(EkEventStream) stream = ek_event_stream_new (client);
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  ek_mock_server_set_handler (server, "GET", "/event", serve_chunked_stream, NULL);
  ek_event_stream_start (stream);
  while (ek_event_stream_get_n_events (stream) < 2001 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  ek_event_stream_stop (stream);

  g_test_message ("%" G_GUINT64_FORMAT " events in %" G_GUINT64_FORMAT " reads",
                  ek_event_stream_get_n_events (stream), ek_event_stream_get_n_reads (stream));
  g_assert_cmpuint (ek_event_stream_get_n_events (stream), >=, 2001);
  g_assert_cmpuint (ek_event_stream_get_n_reads (stream), <, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection/prompt/refused", test_prompt_refused);
  g_test_add_func ("/connection/prompt/taken", test_prompt_taken);
  g_test_add_func ("/connection/stream-and-resync", test_stream_and_resync);
  g_test_add_func ("/connection/stream-unauthorized", test_stream_unauthorized);
  g_test_add_func ("/connection/release-closed-sessions", test_release_closed_sessions);
  g_test_add_func ("/connection/stream-reconnects", test_stream_reconnects);
  g_test_add_func ("/connection/stream-retries-stuck-server", test_stream_retries_stuck_server);
  g_test_add_func ("/connection/stream-reads-in-bulk", test_stream_reads_in_bulk);
  g_test_add_func ("/connection/refetch-on-idle", test_refetch_on_idle);
  g_test_add_func ("/connection/refetch-on-idle-keeps-paging", test_refetch_on_idle_keeps_paging);

  return g_test_run ();
}
