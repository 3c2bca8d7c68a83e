/* mock-server.c: an in-process HTTP server on 127.0.0.1 for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer on the loopback address and an ephemeral port, answering
 * from a table of canned routes ("METHOD /path" → status, body, one extra
 * header) and recording every request it sees.  It runs in the thread
 * default main context of whoever made it, so the test drives both ends
 * by iterating that context.  An unknown route gets a 404 with the body
 * the real server sends.
 */

#include <string.h>

#include "mock-server.h"

/*
 * libsoup 3.2's SoupServer leaks every accepted GSocket (its listener
 * never drops its reference) and the address of a local listener.  Tell
 * LeakSanitizer, in builds with it, and make it walk whole stacks so that
 * it sees the frames named here (the default fast unwinder stops in
 * libraries built without frame pointers).  Under other builds these two
 * functions are never called.
 */
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:g_socket_accept\n"
         "leak:soup_server_listen_local\n";
}

typedef struct
{
  guint          status;
  GBytes        *body;
  char          *header_name;
  char          *header_value;
  gboolean       hang;
  EkMockHandler  handler;
  gpointer       user_data;
} Route;

struct _EkMockServer
{
  SoupServer *server;
  char       *url;
  guint       port;
  GHashTable *routes;      /* "METHOD /path" → Route */
  GPtrArray  *requests;    /* EkMockRequest */
  GPtrArray  *paused;      /* SoupServerMessage, answered at free */
  char       *expected_authorization;
};

static void
route_free (gpointer data)
{
  Route *route = data;

  g_clear_pointer (&route->body, g_bytes_unref);
  g_free (route->header_name);
  g_free (route->header_value);
  g_free (route);
}

static void
request_free (gpointer data)
{
  EkMockRequest *request = data;

  g_free (request->method);
  g_free (request->path);
  g_free (request->raw_query);
  g_hash_table_unref (request->query);
  g_free (request->authorization);
  g_free (request->user_agent);
  g_free (request->content_type);
  g_bytes_unref (request->body);
  g_free (request);
}

static void
record_request (EkMockServer      *self,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query)
{
  EkMockRequest *request = g_new0 (EkMockRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  GUri *uri = soup_server_message_get_uri (message);
  GHashTableIter iter;
  gpointer key, value;

  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_strdup (path);
  request->raw_query = g_strdup (g_uri_get_query (uri));
  request->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (request->query, g_strdup (key), g_strdup (value));
    }
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  request->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (message));

  g_ptr_array_add (self->requests, request);
}

static void
set_json (SoupServerMessage *message,
          guint              status,
          const char        *json)
{
  soup_server_message_set_status (message, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (message, "application/json",
                                      SOUP_MEMORY_COPY, json, strlen (json));
}

static void
handle (SoupServer        *server,
        SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  EkMockServer *self = user_data;
  g_autofree char *key = NULL;
  const char *authorization;
  Route *route;

  record_request (self, message, path, query);

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                "Authorization");
  if (self->expected_authorization != NULL &&
      g_strcmp0 (authorization, self->expected_authorization) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "WWW-Authenticate", "Basic realm=\"Secure Area\"");
      soup_server_message_set_status (message, SOUP_STATUS_UNAUTHORIZED, NULL);
      soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_STATIC,
                                        "Unauthorized", strlen ("Unauthorized"));
      return;
    }

  key = g_strdup_printf ("%s %s", soup_server_message_get_method (message), path);
  route = g_hash_table_lookup (self->routes, key);
  if (route == NULL)
    {
      g_autofree char *json =
        g_strdup_printf ("{\"name\":\"NotFoundError\",\"data\":{\"message\":\"No route %s\"}}", key);

      set_json (message, SOUP_STATUS_NOT_FOUND, json);
      return;
    }

  if (route->handler != NULL)
    {
      route->handler (self, message, route->user_data);
      return;
    }

  if (route->hang)
    {
      soup_server_message_pause (message);
      g_ptr_array_add (self->paused, g_object_ref (message));
      return;
    }

  soup_server_message_set_status (message, route->status, NULL);
  if (route->header_name != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  route->header_name, route->header_value);
  if (route->body != NULL)
    {
      if (g_bytes_get_size (route->body) == 0)
        return;
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (message),
                                             "application/json", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (message),
                                      route->body);
    }
}

/**
 * ek_mock_server_new:
 *
 * Starts listening on 127.0.0.1 at an ephemeral port.  Aborts the test if
 * it cannot.
 */
EkMockServer *
ek_mock_server_new (void)
{
  EkMockServer *self = g_new0 (EkMockServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, route_free);
  self->requests = g_ptr_array_new_with_free_func (request_free);
  self->paused = g_ptr_array_new_with_free_func (g_object_unref);

  self->server = soup_server_new ("server-header", "ekacode-mock ", NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("Cannot listen on 127.0.0.1: %s", error->message);

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = (guint) g_uri_get_port (uris->data);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

void
ek_mock_server_free (EkMockServer *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->paused->len; i++)
    {
      SoupServerMessage *message = g_ptr_array_index (self->paused, i);

      set_json (message, SOUP_STATUS_SERVICE_UNAVAILABLE, "{}");
      soup_server_message_unpause (message);
    }
  g_ptr_array_unref (self->paused);

  soup_server_disconnect (self->server);
  g_object_unref (self->server);
  g_hash_table_unref (self->routes);
  g_ptr_array_unref (self->requests);
  g_free (self->expected_authorization);
  g_free (self->url);
  g_free (self);
}

/* "http://127.0.0.1:PORT", without a trailing slash */
const char *
ek_mock_server_get_url (EkMockServer *self)
{
  return self->url;
}

guint
ek_mock_server_get_port (EkMockServer *self)
{
  return self->port;
}

static Route *
add_route (EkMockServer *self,
           const char   *method,
           const char   *path)
{
  Route *route = g_new0 (Route, 1);

  g_hash_table_replace (self->routes, g_strdup_printf ("%s %s", method, path), route);
  return route;
}

/**
 * ek_mock_server_respond:
 * @json: (nullable): the body, sent as application/json; %NULL for none
 *
 * Answers every later "METHOD path" request (any query) this way.
 */
void
ek_mock_server_respond (EkMockServer *self,
                        const char   *method,
                        const char   *path,
                        guint         status,
                        const char   *json)
{
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;

  ek_mock_server_respond_bytes (self, method, path, status, body, NULL, NULL);
}

/**
 * ek_mock_server_respond_bytes:
 * @body: (nullable): the body, sent as application/json
 * @header_name: (nullable): one more response header
 */
void
ek_mock_server_respond_bytes (EkMockServer *self,
                              const char   *method,
                              const char   *path,
                              guint         status,
                              GBytes       *body,
                              const char   *header_name,
                              const char   *header_value)
{
  Route *route = add_route (self, method, path);

  route->status = status;
  route->body = body != NULL ? g_bytes_ref (body) : NULL;
  route->header_name = g_strdup (header_name);
  route->header_value = g_strdup (header_value);
}

/* Never answers "METHOD path" (until the server is freed). */
void
ek_mock_server_hang (EkMockServer *self,
                     const char   *method,
                     const char   *path)
{
  add_route (self, method, path)->hang = TRUE;
}

void
ek_mock_server_set_handler (EkMockServer  *self,
                            const char    *method,
                            const char    *path,
                            EkMockHandler  handler,
                            gpointer       user_data)
{
  Route *route = add_route (self, method, path);

  route->handler = handler;
  route->user_data = user_data;
}

/* Every later request without these credentials gets 401, like a server
 * run with OPENCODE_SERVER_PASSWORD. */
void
ek_mock_server_require_password (EkMockServer *self,
                                 const char   *username,
                                 const char   *password)
{
  g_autofree char *pair = g_strconcat (username, ":", password, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  g_free (self->expected_authorization);
  self->expected_authorization = g_strconcat ("Basic ", encoded, NULL);
}

guint
ek_mock_server_get_n_requests (EkMockServer *self)
{
  return self->requests->len;
}

const EkMockRequest *
ek_mock_server_get_request (EkMockServer *self,
                            guint         index)
{
  g_assert (index < self->requests->len);
  return g_ptr_array_index (self->requests, index);
}

const EkMockRequest *
ek_mock_server_get_last_request (EkMockServer *self)
{
  g_assert (self->requests->len > 0);
  return g_ptr_array_index (self->requests, self->requests->len - 1);
}

/* How many hanging requests are waiting. */
guint
ek_mock_server_get_n_paused (EkMockServer *self)
{
  return self->paused->len;
}
