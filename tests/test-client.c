/* test-client.c: tests for the REST client against a loopback mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "ek-client.h"
#include "ek-json-reader.h"
#include "mock-server.h"

#define DIRECTORY "/tmp/a dir/ünï&x=1?#"
#define DIRECTORY_ESCAPED "directory=%2Ftmp%2Fa%20dir%2F%C3%BCn%C3%AF%26x%3D1%3F%23"

typedef struct
{
  EkMockServer *mock;
  EkClient     *client;
  GQueue        results;  /* GAsyncResult, as they arrive */
  GAsyncResult *last;     /* the one wait_result() returned last */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->mock = ek_mock_server_new ();
  f->client = ek_client_new (ek_mock_server_get_url (f->mock), DIRECTORY);
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for a while, so that both ends see connections
 * close. */
static void
drain (void)
{
  gboolean done = FALSE;

  g_timeout_add (20, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->last);
  g_queue_clear_full (&f->results, g_object_unref);
  g_clear_object (&f->client);
  drain ();
  ek_mock_server_free (f->mock);
  drain ();
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;

  g_queue_push_tail (&f->results, g_object_ref (result));
}

/* Waits for the next result; it stays valid until the next call. */
static GAsyncResult *
wait_result (Fixture *f)
{
  g_clear_object (&f->last);
  while (g_queue_is_empty (&f->results))
    g_main_context_iteration (NULL, TRUE);
  f->last = g_queue_pop_head (&f->results);
  return f->last;
}

static const char *
query_value (const EkMockRequest *request,
             const char          *name)
{
  return g_hash_table_lookup (request->query, name);
}

static JsonObject *
request_body (const EkMockRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);

  g_assert_cmpstr (request->content_type, ==, "application/json");
  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
body_text (const EkMockRequest *request)
{
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);

  return g_strndup (data, len);
}

/* ------------------------------------------------------------------ */

static void
test_construct (void)
{
  g_autoptr(EkClient) client = ek_client_new ("http://127.0.0.1:4096/", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *uri = NULL;
  const char *query[] = { "a", "1 2", "b", "x/y", NULL };

  g_assert_cmpstr (ek_client_get_base_url (client), ==, "http://127.0.0.1:4096");
  g_assert_null (ek_client_get_directory (client));
  g_assert_cmpstr (ek_client_get_username (client), ==, "opencode");
  g_assert_false (ek_client_has_password (client));
  g_assert_cmpuint (ek_client_get_timeout (client), ==, 60);
  g_assert_nonnull (ek_client_get_session (client));

  /* no directory: only the caller's parameters */
  message = ek_client_new_message (client, "GET", "/event", query, &error);
  g_assert_no_error (error);
  uri = g_uri_to_string (soup_message_get_uri (message));
  g_assert_cmpstr (uri, ==, "http://127.0.0.1:4096/event?a=1%202&b=x%2Fy");
  g_assert_null (soup_message_headers_get_one (soup_message_get_request_headers (message),
                                               "Authorization"));
  g_clear_object (&message);
  g_clear_pointer (&uri, g_free);

  /* a directory, and a path with a query of its own */
  ek_client_set_directory (client, "/srv/p");
  ek_client_set_username (client, "me");
  ek_client_set_password (client, "pw");
  message = ek_client_new_message (client, "GET", "/global/event?x=1", NULL, &error);
  g_assert_no_error (error);
  uri = g_uri_to_string (soup_message_get_uri (message));
  g_assert_cmpstr (uri, ==, "http://127.0.0.1:4096/global/event?x=1&directory=%2Fsrv%2Fp");
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_request_headers (message),
                                                 "Authorization"), ==, "Basic bWU6cHc=");
  g_clear_object (&message);

  /* the default user comes back with NULL */
  ek_client_set_username (client, NULL);
  g_assert_cmpstr (ek_client_get_username (client), ==, "opencode");
  ek_client_set_password (client, "");
  g_assert_false (ek_client_has_password (client));

  /* not a server address */
  g_clear_object (&client);
  client = ek_client_new ("localhost:4096", NULL);
  message = ek_client_new_message (client, "GET", "/session", NULL, &error);
  g_assert_null (message);
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_INVALID);
  g_assert_cmpuint (ek_client_error_get_status (error), ==, 0);
}

static void
test_password_from_env (void)
{
  g_autoptr(EkClient) client = ek_client_new ("http://127.0.0.1:1", NULL);
  g_autoptr(GError) error = NULL;

  g_unsetenv ("EK_TEST_UNSET_PASSWORD");
  g_assert_false (ek_client_set_password_from_env (client, "EK_TEST_UNSET_PASSWORD", &error));
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "EK_TEST_UNSET_PASSWORD"));
  g_assert_false (ek_client_has_password (client));
  g_clear_error (&error);

  g_setenv ("EK_TEST_PASSWORD", "from-env", TRUE);
  g_assert_true (ek_client_set_password_from_env (client, "EK_TEST_PASSWORD", &error));
  g_assert_no_error (error);
  g_assert_true (ek_client_has_password (client));
  g_unsetenv ("EK_TEST_PASSWORD");
}

/* Every request carries the directory, escaped, beside its own parameters. */
static void
test_directory (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) sessions = NULL;
  g_autoptr(JsonObject) health = NULL;
  g_autoptr(JsonArray) files = NULL;
  g_autoptr(JsonArray) history = NULL;
  g_autoptr(EkClient) slash = NULL;
  const EkMockRequest *request;

  ek_mock_server_respond (f->mock, "GET", "/session", 200, "[]");
  ek_mock_server_respond (f->mock, "GET", "/global/health", 200,
                          "{\"healthy\":true,\"version\":\"1.18.33\"}");
  ek_mock_server_respond (f->mock, "GET", "/find/file", 200, "[\"src/a.c\"]");
  ek_mock_server_respond (f->mock, "GET", "/session/ses_1/message", 200, "[]");

  ek_client_list_sessions_async (f->client, TRUE, 5, "a b&c=d", NULL, store_result, f);
  sessions = ek_client_list_sessions_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (sessions), ==, 0);
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/session");
  g_assert_cmpstr (query_value (request, "directory"), ==, DIRECTORY);
  g_assert_cmpstr (query_value (request, "roots"), ==, "true");
  g_assert_cmpstr (query_value (request, "limit"), ==, "5");
  g_assert_cmpstr (query_value (request, "search"), ==, "a b&c=d");
  g_assert_cmpuint (g_hash_table_size (request->query), ==, 4);
  g_assert_true (g_str_has_prefix (request->raw_query, DIRECTORY_ESCAPED "&"));
  g_assert_true (g_str_has_prefix (request->user_agent, "ekacode/"));
  g_assert_null (request->authorization);

  /* no options: the directory alone */
  ek_client_list_sessions_async (f->client, FALSE, 0, NULL, NULL, store_result, f);
  g_clear_pointer (&sessions, json_array_unref);
  sessions = ek_client_list_sessions_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->raw_query, ==, DIRECTORY_ESCAPED);

  ek_client_health_async (f->client, NULL, store_result, f);
  health = ek_client_health_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (health, "healthy"));
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->raw_query, ==, DIRECTORY_ESCAPED);

  ek_client_find_files_async (f->client, "ma in.c", 10, NULL, store_result, f);
  files = ek_client_find_files_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (files, 0), ==, "src/a.c");
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->path, ==, "/find/file");
  g_assert_cmpstr (query_value (request, "directory"), ==, DIRECTORY);
  g_assert_cmpstr (query_value (request, "query"), ==, "ma in.c");
  g_assert_cmpstr (query_value (request, "limit"), ==, "10");

  ek_client_get_history_async (f->client, "ses_1", 0, NULL, NULL, store_result, f);
  history = ek_client_get_history_finish (f->client, wait_result (f), NULL, &error);
  g_assert_no_error (error);
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->raw_query, ==, DIRECTORY_ESCAPED);

  /* a base URL with a trailing slash makes the same paths */
  {
    g_autofree char *url = g_strconcat (ek_mock_server_get_url (f->mock), "/", NULL);

    slash = g_object_new (EK_TYPE_CLIENT, "base-url", url, "directory", "/x", NULL);
  }
  ek_client_health_async (slash, NULL, store_result, f);
  g_clear_pointer (&health, json_object_unref);
  health = ek_client_health_finish (slash, wait_result (f), &error);
  g_assert_no_error (error);
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->path, ==, "/global/health");
  g_assert_cmpstr (request->raw_query, ==, "directory=%2Fx");
}

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) health = NULL;
  const EkMockRequest *request;

  ek_mock_server_require_password (f->mock, "opencode", "s3cret");
  ek_mock_server_respond (f->mock, "GET", "/global/health", 200, "{\"healthy\":true}");

  /* no password */
  ek_client_health_async (f->client, NULL, store_result, f);
  health = ek_client_health_finish (f->client, wait_result (f), &error);
  g_assert_null (health);
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "The server wants a password");
  g_assert_cmpuint (ek_client_error_get_status (error), ==, 401);
  g_clear_error (&error);

  /* a wrong one */
  ek_client_set_password (f->client, "guess");
  ek_client_health_async (f->client, NULL, store_result, f);
  health = ek_client_health_finish (f->client, wait_result (f), &error);
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (error->message, ==, "The password was refused");
  g_clear_error (&error);

  /* the right one, from the environment */
  g_setenv ("EK_TEST_SERVER_PASSWORD", "s3cret", TRUE);
  g_assert_true (ek_client_set_password_from_env (f->client, "EK_TEST_SERVER_PASSWORD", &error));
  g_assert_no_error (error);
  ek_client_health_async (f->client, NULL, store_result, f);
  health = ek_client_health_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (health);
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->authorization, ==, "Basic b3BlbmNvZGU6czNjcmV0");
  g_unsetenv ("EK_TEST_SERVER_PASSWORD");

  /* another user name */
  g_clear_pointer (&health, json_object_unref);
  ek_mock_server_require_password (f->mock, "alice", "s3cret");
  ek_client_set_username (f->client, "alice");
  ek_client_health_async (f->client, NULL, store_result, f);
  health = ek_client_health_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->authorization, ==, "Basic YWxpY2U6czNjcmV0");
}

typedef struct
{
  guint          status;
  const char    *body;
  EkClientError  code;
  const char    *message;
  const char    *name;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { 404, "{\"name\":\"NotFoundError\",\"data\":{\"message\":\"Session not found: ses_x\"}}",
    EK_CLIENT_ERROR_NOT_FOUND, "Session not found: ses_x", "NotFoundError" },
  { 400, "{\"name\":\"BadRequest\",\"data\":{\"message\":\"Expected string at title\",\"kind\":\"Body\"}}",
    EK_CLIENT_ERROR_BAD_REQUEST, "Expected string at title", "BadRequest" },
  { 400, "{\"_tag\":\"InvalidRequestError\",\"message\":\"bad cursor\"}",
    EK_CLIENT_ERROR_BAD_REQUEST, "bad cursor", "InvalidRequestError" },
  { 400, "{\"_tag\":\"BadRequest\"}",
    EK_CLIENT_ERROR_BAD_REQUEST, "BadRequest (HTTP 400)", "BadRequest" },
  { 409, "{\"_tag\":\"SessionBusyError\",\"sessionID\":\"ses_x\",\"message\":\"Session ses_x is busy\"}",
    EK_CLIENT_ERROR_BUSY, "Session ses_x is busy", "SessionBusyError" },
  { 500, "{\"name\":\"UnknownError\",\"data\":{\"message\":\"disk full\"}}",
    EK_CLIENT_ERROR_SERVER, "disk full", "UnknownError" },
  { 500, "{\"_tag\":\"InternalServerError\"}",
    EK_CLIENT_ERROR_SERVER, "InternalServerError (HTTP 500)", "InternalServerError" },
  { 502, "<html>bad gateway</html>",
    EK_CLIENT_ERROR_SERVER, "The server answered 502 Bad Gateway to GET /session/ses_x", NULL },
  { 503, NULL,
    EK_CLIENT_ERROR_SERVER, "The server answered 503 Service Unavailable to GET /session/ses_x", NULL },
  { 403, "{\"_tag\":\"ForbiddenError\",\"message\":\"no\"}",
    EK_CLIENT_ERROR_FAILED, "no", "ForbiddenError" },
  /* a 2xx answer that is not what was asked for */
  { 200, "not json", EK_CLIENT_ERROR_PROTOCOL, NULL, NULL },
  { 200, "[1,2]", EK_CLIENT_ERROR_PROTOCOL,
    "The server's answer to GET /session/ses_x is not an object", NULL },
  { 200, "", EK_CLIENT_ERROR_PROTOCOL, NULL, NULL },
};

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) copy = NULL;
      g_autoptr(JsonObject) session = NULL;

      g_test_message ("case %u: %u %s", i, c->status, c->body ? c->body : "(no body)");
      ek_mock_server_respond (f->mock, "GET", "/session/ses_x", c->status, c->body);
      ek_client_fetch_session_async (f->client, "ses_x", NULL, store_result, f);
      session = ek_client_fetch_session_finish (f->client, wait_result (f), &error);
      g_assert_null (session);
      g_assert_error (error, EK_CLIENT_ERROR, (int) c->code);
      if (c->message != NULL)
        g_assert_cmpstr (error->message, ==, c->message);
      g_assert_cmpstr (ek_client_error_get_name (error), ==, c->name);
      g_assert_cmpuint (ek_client_error_get_status (error), ==, c->status);

      /* the status and name survive a copy */
      copy = g_error_copy (error);
      g_assert_cmpuint (ek_client_error_get_status (copy), ==, c->status);
      g_assert_cmpstr (ek_client_error_get_name (copy), ==, c->name);
    }

  /* a `false` where `true` is the answer */
  {
    g_autoptr(GError) error = NULL;

    ek_mock_server_respond (f->mock, "POST", "/session/ses_x/abort", 200, "false");
    ek_client_abort_async (f->client, "ses_x", NULL, store_result, f);
    g_assert_false (ek_client_abort_finish (f->client, wait_result (f), &error));
    g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_FAILED);
  }

  /* not a list where a list is the answer */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) list = NULL;

    ek_mock_server_respond (f->mock, "GET", "/agent", 200, "{\"build\":{}}");
    ek_client_list_agents_async (f->client, NULL, store_result, f);
    list = ek_client_list_agents_finish (f->client, wait_result (f), &error);
    g_assert_null (list);
    g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_PROTOCOL);
    g_assert_cmpstr (error->message, ==, "The server's answer to GET /agent is not a list");
  }

  /* errors of other domains have neither status nor name */
  {
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_cmpuint (ek_client_error_get_status (other), ==, 0);
    g_assert_null (ek_client_error_get_name (other));
    g_assert_cmpuint (ek_client_error_get_status (NULL), ==, 0);
  }
}

static guint
closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint port;

  /* bound but never listening: connecting is refused */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(EkClient) client = ek_client_new (url, "/x");
  g_autoptr(EkClient) invalid = ek_client_new ("ftp://127.0.0.1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) health = NULL;

  ek_client_health_async (client, NULL, store_result, f);
  health = ek_client_health_finish (client, wait_result (f), &error);
  g_assert_null (health);
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, url));
  g_assert_cmpuint (ek_client_error_get_status (error), ==, 0);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  ek_client_health_async (invalid, NULL, store_result, f);
  health = ek_client_health_finish (invalid, wait_result (f), &error);
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_INVALID);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
cancel_all_later (gpointer user_data)
{
  ek_client_cancel_all (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
dispose_later (gpointer user_data)
{
  g_object_run_dispose (user_data);
  return G_SOURCE_REMOVE;
}

static void
wait_for_paused (Fixture *f,
                 guint    n)
{
  while (ek_mock_server_get_n_paused (f->mock) < n)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) list = NULL;

  ek_mock_server_hang (f->mock, "GET", "/session");
  ek_mock_server_respond (f->mock, "GET", "/agent", 200, "[]");

  /* the caller's cancellable, while the server has not answered */
  ek_client_list_sessions_async (f->client, FALSE, 0, NULL, cancellable, store_result, f);
  wait_for_paused (f, 1);
  g_idle_add (cancel_later, cancellable);
  list = ek_client_list_sessions_finish (f->client, wait_result (f), &error);
  g_assert_null (list);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* already cancelled before it starts */
  g_cancellable_cancel (cancelled);
  ek_client_list_agents_async (f->client, cancelled, store_result, f);
  list = ek_client_list_agents_finish (f->client, wait_result (f), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* cancel everything in flight; later calls still work */
  ek_client_list_sessions_async (f->client, FALSE, 0, NULL, NULL, store_result, f);
  wait_for_paused (f, 2);
  g_idle_add (cancel_all_later, f->client);
  list = ek_client_list_sessions_finish (f->client, wait_result (f), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  ek_client_list_agents_async (f->client, NULL, store_result, f);
  list = ek_client_list_agents_finish (f->client, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (list);
  g_clear_pointer (&list, json_array_unref);

  /* the deadline */
  ek_client_set_timeout (f->client, 1);
  ek_client_list_sessions_async (f->client, FALSE, 0, NULL, NULL, store_result, f);
  list = ek_client_list_sessions_finish (f->client, wait_result (f), &error);
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "did not answer"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* disposing the client cancels what it has in flight */
  ek_client_set_timeout (f->client, 0);
  ek_client_list_sessions_async (f->client, FALSE, 0, NULL, NULL, store_result, f);
  wait_for_paused (f, 4);
  g_idle_add (dispose_later, f->client);
  list = ek_client_list_sessions_finish (f->client, wait_result (f), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* and a disposed client refuses politely */
  ek_client_list_agents_async (f->client, NULL, store_result, f);
  list = ek_client_list_agents_finish (f->client, wait_result (f), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

/* A history of about 5 MB, with escapes and non-ASCII text. */
static char *
make_history (guint      n_messages,
              char     **expected_last_text)
{
  GString *json = g_string_new ("[");
  const char *chunk = "Ünïcödé \\\"quoted\\\" \\\\ back\\tslash\\n new line \\u00e9\\ud83d\\ude00 ";
  const char *decoded = "Ünïcödé \"quoted\" \\ back\tslash\n new line é😀 ";
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_messages; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json,
                              "{\"info\":{\"id\":\"msg_%012x\",\"sessionID\":\"ses_1\",\"role\":\"%s\","
                              "\"time\":{\"created\":%u},\"cost\":0.125,\"tokens\":{\"input\":%u}},"
                              "\"parts\":[{\"id\":\"prt_%012x\",\"type\":\"text\",\"text\":\"",
                              i, i % 2 ? "assistant" : "user", 1000 + i, i * 7, i);
      g_string_truncate (text, 0);
      for (guint j = 0; j < 30; j++)
        {
          g_string_append (json, chunk);
          g_string_append (text, decoded);
        }
      g_string_append_printf (json, "%u\"}]}", i);
      g_string_append_printf (text, "%u", i);
    }
  g_string_append_c (json, ']');

  *expected_last_text = g_string_free (text, FALSE);
  return g_string_free (json, FALSE);
}

static void
test_big_history (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *expected_text = NULL;
  char *json = make_history (2300, &expected_text);
  g_autoptr(GBytes) body = g_bytes_new_take (json, strlen (json));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) history = NULL;
  g_autofree char *cursor = NULL;
  const EkMockRequest *request;
  JsonObject *last;
  JsonObject *part;
  gint64 start;

  g_test_message ("history: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (body));
  g_assert_cmpuint (g_bytes_get_size (body), >=, 5 * 1000 * 1000);

  ek_mock_server_respond_bytes (f->mock, "GET", "/session/ses_1/message", 200, body,
                                "X-Next-Cursor", "cursor-older-1");

  start = g_get_monotonic_time ();
  ek_client_get_history_async (f->client, "ses_1", 2300, "cursor-0", NULL, store_result, f);
  history = ek_client_get_history_finish (f->client, wait_result (f), &cursor, &error);
  g_test_message ("fetched and parsed in %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_no_error (error);
  g_assert_cmpstr (cursor, ==, "cursor-older-1");

  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->path, ==, "/session/ses_1/message");
  g_assert_cmpstr (query_value (request, "limit"), ==, "2300");
  g_assert_cmpstr (query_value (request, "before"), ==, "cursor-0");
  g_assert_cmpstr (query_value (request, "directory"), ==, DIRECTORY);

  g_assert_cmpuint (json_array_get_length (history), ==, 2300);
  last = json_array_get_object_element (history, 2299);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (last, "info"), "id"),
                   ==, "msg_0000000008fb");
  part = json_array_get_object_element (json_object_get_array_member (last, "parts"), 0);
  g_assert_cmpstr (json_object_get_string_member (part, "text"), ==, expected_text);

  /* no header: no cursor */
  g_clear_pointer (&history, json_array_unref);
  g_clear_pointer (&cursor, g_free);
  ek_mock_server_respond (f->mock, "GET", "/session/ses_1/message", 200, "[]");
  ek_client_get_history_async (f->client, "ses_1", 0, NULL, NULL, store_result, f);
  history = ek_client_get_history_finish (f->client, wait_result (f), &cursor, &error);
  g_assert_no_error (error);
  g_assert_null (cursor);
}

static void
test_prompt (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const EkMockRequest *request;
  JsonArray *parts;
  JsonObject *part;
  JsonObject *model;

  ek_mock_server_respond (f->mock, "POST", "/session/ses_1/prompt_async", 204, NULL);

  body = ek_client_prompt_body_new ("Fix the \"bug\"\nplease", "msg_0123456789abABCDEFGHIJKLMN",
                                    "prt_0123456789acABCDEFGHIJKLMN");
  ek_client_prompt_body_set_model (body, "anthropic", "claude-x");
  ek_client_prompt_body_set_agent (body, "build");
  ek_client_prompt_body_add_file (body, NULL, "text/plain", "file:///src/a.c", "a.c");

  ek_client_prompt_async (f->client, "ses_1", body, NULL, store_result, f);
  g_assert_true (ek_client_prompt_finish (f->client, wait_result (f), &error));
  g_assert_no_error (error);

  request = ek_mock_server_get_last_request (f->mock);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/session/ses_1/prompt_async");
  g_assert_cmpstr (query_value (request, "directory"), ==, DIRECTORY);
  text = body_text (request);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==,
                   "{\"messageID\":\"msg_0123456789abABCDEFGHIJKLMN\","
                   "\"parts\":[{\"id\":\"prt_0123456789acABCDEFGHIJKLMN\",\"type\":\"text\","
                   "\"text\":\"Fix the \\\"bug\\\"\\nplease\"},"
                   "{\"type\":\"file\",\"mime\":\"text/plain\",\"url\":\"file:///src/a.c\",\"filename\":\"a.c\"}],"
                   "\"model\":{\"providerID\":\"anthropic\",\"modelID\":\"claude-x\"},"
                   "\"agent\":\"build\"}");

  sent = request_body (request);
  parts = json_object_get_array_member (sent, "parts");
  g_assert_cmpuint (json_array_get_length (parts), ==, 2);
  part = json_array_get_object_element (parts, 0);
  g_assert_cmpstr (json_object_get_string_member (part, "text"), ==, "Fix the \"bug\"\nplease");
  model = json_object_get_object_member (sent, "model");
  g_assert_cmpstr (json_object_get_string_member (model, "modelID"), ==, "claude-x");

  /* the smallest body, and an agent set and unset */
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&text, g_free);
  body = ek_client_prompt_body_new ("hi", NULL, NULL);
  ek_client_prompt_body_set_agent (body, "plan");
  ek_client_prompt_body_set_agent (body, NULL);
  ek_client_prompt_async (f->client, "ses_1", body, NULL, store_result, f);
  g_assert_true (ek_client_prompt_finish (f->client, wait_result (f), &error));
  text = body_text (ek_mock_server_get_last_request (f->mock));
  g_assert_cmpstr (text, ==, "{\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}");

  /* busy is allowed by the real server, but a 409 must still come back as BUSY */
  ek_mock_server_respond (f->mock, "POST", "/session/ses_1/prompt_async", 409,
                          "{\"_tag\":\"SessionBusyError\",\"sessionID\":\"ses_1\",\"message\":\"busy\"}");
  ek_client_prompt_async (f->client, "ses_1", body, NULL, store_result, f);
  g_assert_false (ek_client_prompt_finish (f->client, wait_result (f), &error));
  g_assert_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_BUSY);
}

static const char *session_json =
  "{\"id\":\"ses_1\",\"title\":\"T\",\"time\":{\"created\":1,\"updated\":2}}";

/* Each remaining request: its method, path and body. */
static void
test_requests (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const EkMockRequest *request;

  ek_mock_server_respond (f->mock, "POST", "/session", 200, session_json);
  ek_mock_server_respond (f->mock, "PATCH", "/session/ses_1", 200, session_json);
  ek_mock_server_respond (f->mock, "DELETE", "/session/ses_1", 200, "true");
  ek_mock_server_respond (f->mock, "GET", "/session/status", 200, "{\"ses_1\":{\"type\":\"busy\"}}");
  ek_mock_server_respond (f->mock, "GET", "/session/ses_1/children", 200, "[]");
  ek_mock_server_respond (f->mock, "GET", "/session/ses_1/todo", 200,
                          "[{\"content\":\"x\",\"status\":\"pending\",\"priority\":\"high\"}]");
  ek_mock_server_respond (f->mock, "POST", "/session/ses_1/abort", 200, "true");
  ek_mock_server_respond (f->mock, "POST", "/session/ses_1/revert", 200, session_json);
  ek_mock_server_respond (f->mock, "POST", "/session/ses_1/unrevert", 200, session_json);
  ek_mock_server_respond (f->mock, "POST", "/session/ses_1/command", 200, "{\"info\":{},\"parts\":[]}");
  ek_mock_server_respond (f->mock, "POST", "/session/ses_1/message", 200, "{\"info\":{},\"parts\":[]}");
  ek_mock_server_respond (f->mock, "POST", "/permission/per_1/reply", 200, "true");
  ek_mock_server_respond (f->mock, "GET", "/permission", 200, "[]");
  ek_mock_server_respond (f->mock, "POST", "/question/que_1/reply", 200, "true");
  ek_mock_server_respond (f->mock, "POST", "/question/que_1/reject", 200, "true");
  ek_mock_server_respond (f->mock, "GET", "/question", 200, "[]");
  ek_mock_server_respond (f->mock, "GET", "/config/providers", 200, "{\"providers\":[],\"default\":{}}");
  ek_mock_server_respond (f->mock, "GET", "/agent", 200, "[{\"name\":\"build\"}]");
  ek_mock_server_respond (f->mock, "GET", "/command", 200, "[]");
  ek_mock_server_respond (f->mock, "GET", "/path", 200, "{\"home\":\"/h\",\"directory\":\"/d\"}");

  {
    g_autoptr(JsonObject) session = NULL;
    g_autoptr(JsonObject) sent = NULL;

    ek_client_create_session_async (f->client, "New", "ses_parent", NULL, store_result, f);
    session = ek_client_create_session_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (session, "id"), ==, "ses_1");
    request = ek_mock_server_get_last_request (f->mock);
    sent = request_body (request);
    g_assert_cmpstr (json_object_get_string_member (sent, "title"), ==, "New");
    g_assert_cmpstr (json_object_get_string_member (sent, "parentID"), ==, "ses_parent");
  }
  {
    g_autoptr(JsonObject) session = NULL;
    g_autofree char *text = NULL;

    ek_client_create_session_async (f->client, NULL, NULL, NULL, store_result, f);
    session = ek_client_create_session_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    text = body_text (ek_mock_server_get_last_request (f->mock));
    g_assert_cmpstr (text, ==, "{}");
  }
  {
    g_autoptr(JsonObject) session = NULL;
    g_autofree char *text = NULL;

    ek_client_rename_session_async (f->client, "ses_1", "Renamed", NULL, store_result, f);
    session = ek_client_rename_session_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    request = ek_mock_server_get_last_request (f->mock);
    g_assert_cmpstr (request->method, ==, "PATCH");
    text = body_text (request);
    g_assert_cmpstr (text, ==, "{\"title\":\"Renamed\"}");
  }
  {
    g_autoptr(JsonObject) session = NULL;
    g_autofree char *text = NULL;

    ek_client_archive_session_async (f->client, "ses_1", 1234567, NULL, store_result, f);
    session = ek_client_archive_session_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    text = body_text (ek_mock_server_get_last_request (f->mock));
    g_assert_cmpstr (text, ==, "{\"time\":{\"archived\":1234567}}");
  }
  {
    ek_client_delete_session_async (f->client, "ses_1", NULL, store_result, f);
    g_assert_true (ek_client_delete_session_finish (f->client, wait_result (f), &error));
    g_assert_no_error (error);
    g_assert_cmpstr (ek_mock_server_get_last_request (f->mock)->method, ==, "DELETE");
  }
  {
    g_autoptr(JsonObject) statuses = NULL;

    ek_client_get_statuses_async (f->client, NULL, store_result, f);
    statuses = ek_client_get_statuses_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (statuses, "ses_1"));
  }
  {
    g_autoptr(JsonArray) children = NULL;
    g_autoptr(JsonArray) todos = NULL;

    ek_client_get_children_async (f->client, "ses_1", NULL, store_result, f);
    children = ek_client_get_children_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_nonnull (children);

    ek_client_get_todos_async (f->client, "ses_1", NULL, store_result, f);
    todos = ek_client_get_todos_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (todos), ==, 1);
  }
  {
    ek_client_abort_async (f->client, "ses_1", NULL, store_result, f);
    g_assert_true (ek_client_abort_finish (f->client, wait_result (f), &error));
    g_assert_no_error (error);
    request = ek_mock_server_get_last_request (f->mock);
    g_assert_cmpstr (request->method, ==, "POST");
    g_assert_cmpstr (request->path, ==, "/session/ses_1/abort");
    g_assert_cmpuint (g_bytes_get_size (request->body), ==, 0);
  }
  {
    g_autoptr(JsonObject) session = NULL;
    g_autofree char *text = NULL;

    ek_client_revert_async (f->client, "ses_1", "msg_1", "prt_1", NULL, store_result, f);
    session = ek_client_revert_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    text = body_text (ek_mock_server_get_last_request (f->mock));
    g_assert_cmpstr (text, ==, "{\"messageID\":\"msg_1\",\"partID\":\"prt_1\"}");
    g_clear_pointer (&session, json_object_unref);

    ek_client_unrevert_async (f->client, "ses_1", NULL, store_result, f);
    session = ek_client_unrevert_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(JsonObject) reply = NULL;
    g_autoptr(JsonObject) body = ek_client_prompt_body_new ("x", NULL, NULL);
    g_autofree char *text = NULL;

    ek_client_run_command_async (f->client, "ses_1", "init", "now", "msg_2", NULL, store_result, f);
    reply = ek_client_run_command_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    text = body_text (ek_mock_server_get_last_request (f->mock));
    g_assert_cmpstr (text, ==, "{\"messageID\":\"msg_2\",\"command\":\"init\",\"arguments\":\"now\"}");
    g_clear_pointer (&reply, json_object_unref);

    ek_client_prompt_and_wait_async (f->client, "ses_1", body, NULL, store_result, f);
    reply = ek_client_prompt_and_wait_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (reply, "parts"));
  }
  {
    g_autoptr(JsonArray) pending = NULL;
    g_autofree char *text = NULL;

    ek_client_reply_permission_async (f->client, "per_1", EK_PERMISSION_REPLY_ALWAYS, NULL,
                                      NULL, store_result, f);
    g_assert_true (ek_client_reply_permission_finish (f->client, wait_result (f), &error));
    g_assert_no_error (error);
    text = body_text (ek_mock_server_get_last_request (f->mock));
    g_assert_cmpstr (text, ==, "{\"reply\":\"always\"}");
    g_clear_pointer (&text, g_free);

    ek_client_reply_permission_async (f->client, "per_1", EK_PERMISSION_REPLY_REJECT, "not that",
                                      NULL, store_result, f);
    g_assert_true (ek_client_reply_permission_finish (f->client, wait_result (f), &error));
    text = body_text (ek_mock_server_get_last_request (f->mock));
    g_assert_cmpstr (text, ==, "{\"reply\":\"reject\",\"message\":\"not that\"}");

    ek_client_list_permissions_async (f->client, NULL, store_result, f);
    pending = ek_client_list_permissions_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_nonnull (pending);
  }
  {
    g_autoptr(GPtrArray) answers = g_ptr_array_new ();
    const char *first[] = { "Red", "Blue", NULL };
    const char *second[] = { "my own", NULL };
    const char *third[] = { NULL };
    g_autoptr(JsonArray) pending = NULL;
    g_autofree char *text = NULL;

    g_ptr_array_add (answers, first);
    g_ptr_array_add (answers, second);
    g_ptr_array_add (answers, third);
    ek_client_reply_question_async (f->client, "que_1", answers, NULL, store_result, f);
    g_assert_true (ek_client_reply_question_finish (f->client, wait_result (f), &error));
    g_assert_no_error (error);
    text = body_text (ek_mock_server_get_last_request (f->mock));
    g_assert_cmpstr (text, ==, "{\"answers\":[[\"Red\",\"Blue\"],[\"my own\"],[]]}");

    ek_client_reject_question_async (f->client, "que_1", NULL, store_result, f);
    g_assert_true (ek_client_reject_question_finish (f->client, wait_result (f), &error));
    g_assert_no_error (error);

    ek_client_list_questions_async (f->client, NULL, store_result, f);
    pending = ek_client_list_questions_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
  }
  {
    g_autoptr(JsonObject) providers = NULL;
    g_autoptr(JsonArray) agents = NULL;
    g_autoptr(JsonArray) commands = NULL;
    g_autoptr(JsonObject) paths = NULL;

    ek_client_get_providers_async (f->client, NULL, store_result, f);
    providers = ek_client_get_providers_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_true (json_object_has_member (providers, "default"));

    ek_client_list_agents_async (f->client, NULL, store_result, f);
    agents = ek_client_list_agents_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (agents), ==, 1);

    ek_client_list_commands_async (f->client, NULL, store_result, f);
    commands = ek_client_list_commands_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);

    ek_client_get_paths_async (f->client, NULL, store_result, f);
    paths = ek_client_get_paths_finish (f->client, wait_result (f), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (paths, "home"), ==, "/h");
  }

  /* every request carried the directory */
  for (guint i = 0; i < ek_mock_server_get_n_requests (f->mock); i++)
    g_assert_cmpstr (query_value (ek_mock_server_get_request (f->mock, i), "directory"),
                     ==, DIRECTORY);
}

/* Several calls in flight at once each get their own answer. */
static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  enum { N = 24 };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint done = 0;

  for (guint i = 0; i < N; i++)
    {
      g_autofree char *path = g_strdup_printf ("/session/ses_%u", i);
      g_autofree char *json = g_strdup_printf ("{\"id\":\"ses_%u\"}", i);

      ek_mock_server_respond (f->mock, "GET", path, 200, json);
    }
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *id = g_strdup_printf ("ses_%u", i);

      ek_client_fetch_session_async (f->client, id, NULL, store_result, f);
    }

  while (done < N)
    {
      GAsyncResult *result = wait_result (f);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) session = ek_client_fetch_session_finish (f->client, result, &error);

      g_assert_no_error (error);
      g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (session, "id"))));
      done++;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N);
}

/* ------------------------------------------------------------------ */
/* The JSON reader the client parses answers with                     */

static char *
to_compact (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

static void
test_json_strict (void)
{
  static const char *docs[] = {
    "{\"a\":[1,-2,3.5,1e3,true,false,null,\"x\\u00e9\\ud83d\\ude00\\n\"],\"b\":{},\"c\":[]}",
    " [ ] ",
    "\"just a string\"",
    "42",
    "{\"dup\":1,\"dup\":2}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) fast = ek_json_read_strict (docs[i], strlen (docs[i]));
      g_autofree char *ours = NULL;
      g_autofree char *theirs = NULL;

      g_assert_nonnull (fast);
      g_assert_true (json_parser_load_from_data (parser, docs[i], -1, NULL));
      ours = to_compact (fast);
      theirs = to_compact (json_parser_get_root (parser));
      g_assert_cmpstr (ours, ==, theirs);
    }

  /* integers beyond 64 bits become doubles, as in json-glib */
  {
    g_autoptr(JsonNode) big = ek_json_read_strict ("123456789012345678901234", 24);

    g_assert_cmpint (json_node_get_value_type (big), ==, G_TYPE_DOUBLE);
  }

  /* \u0000 is JSON; json-glib keeps strings nul-terminated, so it ends
   * the string there */
  {
    g_autoptr(JsonNode) nul = ek_json_read_strict ("[\"a\\u0000b\"]", 12);

    g_assert_nonnull (nul);
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (nul), 0), ==, "a");
  }

  /* not strict JSON: no node, and no error either */
  g_assert_null (ek_json_read_strict ("[1,]", 4));
  g_assert_null (ek_json_read_strict ("{'a':1}", 7));
  g_assert_null (ek_json_read_strict ("[1] x", 5));
  g_assert_null (ek_json_read_strict ("\"\xff\"", 3));
  g_assert_null (ek_json_read_strict ("", 0));
}

static void
test_json_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);

  node = ek_json_parse ("{\"a\":1}", 7, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_clear_pointer (&node, json_node_unref);

  /* json-glib says what is wrong */
  node = ek_json_parse ("[1,", 3, &error);
  g_assert_null (node);
  g_assert_error (error, JSON_PARSER_ERROR, error->code);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  node = ek_json_parse ("  ", 2, &error);
  g_assert_null (node);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* too deep for the fast path and refused before json-glib recurses */
  for (int i = 0; i < EK_JSON_MAX_DEPTH + 10; i++)
    g_string_append_c (deep, '[');
  node = ek_json_parse (deep->str, deep->len, &error);
  g_assert_null (node);
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* deep but within the limit */
  g_string_truncate (deep, 0);
  for (int i = 0; i < EK_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < EK_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  node = ek_json_parse (deep->str, deep->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/strict", test_json_strict);
  g_test_add_func ("/json/parse", test_json_parse);

  g_test_add_func ("/client/construct", test_construct);
  g_test_add_func ("/client/password-from-env", test_password_from_env);
  g_test_add ("/client/directory", Fixture, NULL, fixture_setup, test_directory, fixture_teardown);
  g_test_add ("/client/auth", Fixture, NULL, fixture_setup, test_auth, fixture_teardown);
  g_test_add ("/client/errors", Fixture, NULL, fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/client/unreachable", Fixture, NULL, fixture_setup, test_unreachable, fixture_teardown);
  g_test_add ("/client/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/client/big-history", Fixture, NULL, fixture_setup, test_big_history, fixture_teardown);
  g_test_add ("/client/prompt", Fixture, NULL, fixture_setup, test_prompt, fixture_teardown);
  g_test_add ("/client/requests", Fixture, NULL, fixture_setup, test_requests, fixture_teardown);
  g_test_add ("/client/concurrent", Fixture, NULL, fixture_setup, test_concurrent, fixture_teardown);

  return g_test_run ();
}
