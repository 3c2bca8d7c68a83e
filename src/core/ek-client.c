/* ek-client.c: the asynchronous REST client of an opencode-protocol server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupSession per client.  Every request goes the same way:
 *
 *   start_call()   builds the message (base URL, path, `?directory=`, other
 *                  query parameters, Basic auth), sends it and reads the
 *                  whole body with soup_session_send_and_read_async();
 *   on_read()      (main context) keeps the status, the `X-Next-Cursor`
 *                  header and the body, and hands the call to a worker;
 *   parse_answer() (worker thread) turns status and body into a JsonNode
 *                  or a GError, so that a history of many megabytes is
 *                  never parsed on the main thread;
 *   complete_call() (the caller's context again) returns the GTask.
 *
 * The GTask is only ever referenced and released in the caller's context,
 * so the client (its source object) is never finalized in a worker.
 *
 * REST calls get a deadline (the "timeout" property, 60 s by default)
 * that covers connecting and the whole answer; the session itself has no
 * I/O timeout, so an event stream made with ek_client_new_message() on
 * the same session is not cut by it.  Calls that wait for a model to
 * finish (prompt and wait, run command) have no deadline.
 */

#include "config.h"

#include <string.h>

#include "ek-client.h"
#include "ek-json-reader.h"
#include "ek-store-private.h"

#define DEFAULT_TIMEOUT_SECONDS 60
#define IDLE_CONNECTION_SECONDS 60
#define MAX_CONNS_PER_HOST      6
#define N_PARSE_THREADS         4

/* ------------------------------------------------------------------ */
/* Errors                                                             */

typedef struct
{
  guint  status;
  char  *name;
} EkClientErrorPrivate;

static void
ek_client_error_private_init (EkClientErrorPrivate *priv)
{
  priv->status = 0;
  priv->name = NULL;
}

static void
ek_client_error_private_copy (const EkClientErrorPrivate *src,
                              EkClientErrorPrivate       *dest)
{
  dest->status = src->status;
  dest->name = g_strdup (src->name);
}

static void
ek_client_error_private_clear (EkClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->name, g_free);
}

G_DEFINE_EXTENDED_ERROR (EkClientError, ek_client_error)

/**
 * ek_client_error_get_status:
 * @error: an error from an #EkClient call
 *
 * Returns: the HTTP status the server answered with, or 0 when @error is
 *   not an %EK_CLIENT_ERROR or there was no answer (unreachable, or a
 *   setting of the client's own)
 */
guint
ek_client_error_get_status (const GError *error)
{
  if (error == NULL || error->domain != EK_CLIENT_ERROR)
    return 0;
  return ek_client_error_get_private (error)->status;
}

/**
 * ek_client_error_get_name:
 * @error: an error from an #EkClient call
 *
 * Returns: (nullable): the server's name for the error, from its JSON body
 *   (`name`, e.g. "NotFoundError", or `_tag`, e.g. "SessionBusyError"), or
 *   %NULL
 */
const char *
ek_client_error_get_name (const GError *error)
{
  if (error == NULL || error->domain != EK_CLIENT_ERROR)
    return NULL;
  return ek_client_error_get_private (error)->name;
}

static GError *
make_error (EkClientError  code,
            guint          status,
            const char    *name,
            const char    *message)
{
  GError *error = g_error_new_literal (EK_CLIENT_ERROR, code, message);
  EkClientErrorPrivate *priv = ek_client_error_get_private (error);

  priv->status = status;
  priv->name = g_strdup (name);
  return error;
}

static EkClientError
code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return EK_CLIENT_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_NOT_FOUND:
      return EK_CLIENT_ERROR_NOT_FOUND;
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      return EK_CLIENT_ERROR_BAD_REQUEST;
    case SOUP_STATUS_CONFLICT:
      return EK_CLIENT_ERROR_BUSY;
    default:
      if (status >= 500)
        return EK_CLIENT_ERROR_SERVER;
      if (status < 200 || (status >= 300 && status < 400))
        return EK_CLIENT_ERROR_PROTOCOL;
      return EK_CLIENT_ERROR_FAILED;
    }
}

/* ------------------------------------------------------------------ */
/* The client                                                         */

struct _EkClient
{
  GObject       parent_instance;

  char         *base_url;     /* as given, less surrounding space and trailing slashes */
  char         *directory;
  char         *username;
  char         *password;
  guint         timeout;
  SoupSession  *session;
  GCancellable *cancellable;  /* every call follows it; replaced by cancel_all */
};

G_DEFINE_FINAL_TYPE (EkClient, ek_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_DIRECTORY,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ek_client_dispose (GObject *object)
{
  EkClient *self = EK_CLIENT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ek_client_parent_class)->dispose (object);
}

static void
ek_client_finalize (GObject *object)
{
  EkClient *self = EK_CLIENT (object);

  g_free (self->base_url);
  g_free (self->directory);
  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);

  G_OBJECT_CLASS (ek_client_parent_class)->finalize (object);
}

static void
ek_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  EkClient *self = EK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_base_url (EkClient   *self,
              const char *base_url)
{
  g_autofree char *url = g_strstrip (g_strdup (base_url != NULL ? base_url : ""));
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  self->base_url = g_steal_pointer (&url);
}

static void
ek_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  EkClient *self = EK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      set_base_url (self, g_value_get_string (value));
      break;
    case PROP_DIRECTORY:
      ek_client_set_directory (self, g_value_get_string (value));
      break;
    case PROP_USERNAME:
      ek_client_set_username (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      ek_client_set_password (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      ek_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_client_class_init (EkClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_client_dispose;
  object_class->finalize = ek_client_finalize;
  object_class->get_property = ek_client_get_property;
  object_class->set_property = ek_client_set_property;

  /**
   * EkClient:base-url:
   *
   * `http://host:port` (a trailing slash is dropped; a path prefix is
   * kept).
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * EkClient:directory:
   *
   * The project directory, sent as `?directory=` with every request; %NULL
   * for the server's own.
   */
  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL,
                         EK_CLIENT_DEFAULT_USERNAME,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * EkClient:password:
   *
   * The server's password (HTTP Basic auth is sent when it is set and not
   * empty).  Write-only: see ek_client_has_password().
   */
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL,
                         NULL,
                         G_PARAM_WRITABLE | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  /**
   * EkClient:timeout:
   *
   * Seconds a REST call may take, from connecting to the last byte of the
   * answer; 0 for none.  Not applied to messages made with
   * ek_client_new_message() and sent by others.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ek_client_init (EkClient *self)
{
  self->username = g_strdup (EK_CLIENT_DEFAULT_USERNAME);
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->cancellable = g_cancellable_new ();
  self->session = soup_session_new_with_options ("user-agent", "ekacode/" PACKAGE_VERSION,
                                                 "timeout", 0,
                                                 "idle-timeout", IDLE_CONNECTION_SECONDS,
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST,
                                                 NULL);
}

/**
 * ek_client_new:
 * @base_url: `http://host:port` of the server
 * @directory: (nullable): the project directory to work in
 *
 * Returns: (transfer full): a new client; it does not connect until the
 *   first request
 */
EkClient *
ek_client_new (const char *base_url,
               const char *directory)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (EK_TYPE_CLIENT,
                       "base-url", base_url,
                       "directory", directory,
                       NULL);
}

const char *
ek_client_get_base_url (EkClient *self)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), NULL);

  return self->base_url;
}

const char *
ek_client_get_directory (EkClient *self)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), NULL);

  return self->directory;
}

void
ek_client_set_directory (EkClient   *self,
                         const char *directory)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  if (directory != NULL && *directory == '\0')
    directory = NULL;
  if (g_strcmp0 (self->directory, directory) == 0)
    return;
  g_free (self->directory);
  self->directory = g_strdup (directory);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTORY]);
}

const char *
ek_client_get_username (EkClient *self)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), NULL);

  return self->username;
}

/**
 * ek_client_set_username:
 * @username: (nullable): the user name; %NULL or "" for the default,
 *   "opencode"
 */
void
ek_client_set_username (EkClient   *self,
                        const char *username)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  if (username == NULL || *username == '\0')
    username = EK_CLIENT_DEFAULT_USERNAME;
  if (g_strcmp0 (self->username, username) == 0)
    return;
  g_free (self->username);
  self->username = g_strdup (username);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

/**
 * ek_client_set_password:
 * @password: (nullable): the password; %NULL or "" for none
 */
void
ek_client_set_password (EkClient   *self,
                        const char *password)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  if (password != NULL && *password == '\0')
    password = NULL;
  if (g_strcmp0 (self->password, password) == 0)
    return;
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

gboolean
ek_client_has_password (EkClient *self)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), FALSE);

  return self->password != NULL;
}

/**
 * ek_client_set_password_from_env:
 * @variable: (nullable): the environment variable's name; %NULL for
 *   `OPENCODE_SERVER_PASSWORD`, the one the server reads
 *
 * Returns: %TRUE if the variable is set (and not empty) and its value is
 *   now the password; otherwise %FALSE with an %EK_CLIENT_ERROR_INVALID
 *   error, and the password is unchanged
 */
gboolean
ek_client_set_password_from_env (EkClient    *self,
                                 const char  *variable,
                                 GError     **error)
{
  const char *value;

  g_return_val_if_fail (EK_IS_CLIENT (self), FALSE);

  if (variable == NULL)
    variable = EK_CLIENT_PASSWORD_ENV;
  value = g_getenv (variable);
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_INVALID,
                   "The environment variable %s is not set, so there is no password to send",
                   variable);
      return FALSE;
    }
  ek_client_set_password (self, value);
  return TRUE;
}

guint
ek_client_get_timeout (EkClient *self)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), 0);

  return self->timeout;
}

/**
 * ek_client_set_timeout:
 * @seconds: how long a REST call may take; 0 for no limit
 *
 * Applies to calls started afterwards.
 */
void
ek_client_set_timeout (EkClient *self,
                       guint     seconds)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * ek_client_get_session:
 *
 * The client's HTTP session, for requests the client does not make itself
 * (the event stream).  It has no I/O timeout of its own.
 *
 * Returns: (transfer none) (nullable): the session; %NULL once the client
 *   is disposed
 */
SoupSession *
ek_client_get_session (EkClient *self)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), NULL);

  return self->session;
}

/**
 * ek_client_cancel_all:
 *
 * Cancels every call in flight; they finish with %G_IO_ERROR_CANCELLED.
 * Calls started afterwards are not affected.  Disposing the client does
 * the same.
 */
void
ek_client_cancel_all (EkClient *self)
{
  g_autoptr(GCancellable) old = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));

  if (self->cancellable == NULL)
    return;
  old = g_steal_pointer (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (old);
}

static void
append_param (GString    *uri,
              gboolean   *first,
              const char *name,
              const char *value)
{
  g_string_append_c (uri, *first ? '?' : '&');
  g_string_append_uri_escaped (uri, name, NULL, FALSE);
  g_string_append_c (uri, '=');
  g_string_append_uri_escaped (uri, value, NULL, FALSE);
  *first = FALSE;
}

/**
 * ek_client_new_message:
 * @method: "GET", "POST", ...
 * @path: the route, starting with `/`, its segments already escaped
 *   (e.g. "/event"); it may carry a query of its own
 * @query: (nullable) (array zero-terminated=1): name, value, name,
 *   value, ..., %NULL; the values are escaped here.  `directory` is added
 *   by the client
 *
 * Makes a message to the server with the client's base URL, directory
 * and credentials, for callers that send it themselves (the event
 * stream) on ek_client_get_session().
 *
 * Returns: (transfer full): the message, or %NULL with an
 *   %EK_CLIENT_ERROR_INVALID error when the base URL is not an http(s)
 *   server address
 */
SoupMessage *
ek_client_new_message (EkClient            *self,
                       const char          *method,
                       const char          *path,
                       const char * const  *query,
                       GError             **error)
{
  g_autoptr(GString) text = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  gboolean first;
  SoupMessage *message;

  g_return_val_if_fail (EK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  text = g_string_new (self->base_url);
  g_string_append (text, path);
  first = strchr (path, '?') == NULL;
  if (self->directory != NULL)
    append_param (text, &first, "directory", self->directory);
  for (guint i = 0; query != NULL && query[i] != NULL; i += 2)
    {
      g_return_val_if_fail (query[i + 1] != NULL, NULL);
      append_param (text, &first, query[i], query[i + 1]);
    }

  uri = g_uri_parse (text->str, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, EK_CLIENT_ERROR, EK_CLIENT_ERROR_INVALID,
                   "“%s” is not a server address like http://127.0.0.1:4096",
                   self->base_url);
      return NULL;
    }

  message = soup_message_new_from_uri (method, uri);
  if (self->password != NULL)
    {
      g_autofree char *pair = g_strconcat (self->username, ":", self->password, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", header);
      memset (pair, 0, strlen (pair));
    }
  return message;
}

/* ------------------------------------------------------------------ */
/* One call                                                           */

typedef enum
{
  EXPECT_OBJECT,
  EXPECT_ARRAY,
  EXPECT_TRUE,      /* `true`, or an empty 2xx answer */
  EXPECT_NOTHING,   /* any 2xx answer (a 204); a body is ignored */
} Expect;

typedef struct
{
  SoupMessage  *message;
  char         *what;           /* "GET /session", for messages */
  char         *server;         /* the base URL, for messages */
  Expect        expect;
  gboolean      sent_password;

  /* the answer, kept on the main thread before parsing */
  guint         status;
  char         *reason;
  GBytes       *body;
  char         *next_cursor;

  /* the outcome, made by the worker */
  JsonNode     *node;
  GError       *error;

  /* the call's own cancellable follows the caller's and the client's */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong        caller_handler;
  GCancellable *client_cancellable;
  gulong        client_handler;

  GSource      *deadline;
  gboolean      timed_out;
  guint         timeout;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  if (call->deadline != NULL)
    {
      g_source_destroy (call->deadline);
      g_source_unref (call->deadline);
    }
  if (call->caller_handler != 0)
    g_cancellable_disconnect (call->caller_cancellable, call->caller_handler);
  if (call->client_handler != 0)
    g_cancellable_disconnect (call->client_cancellable, call->client_handler);
  g_clear_object (&call->caller_cancellable);
  g_clear_object (&call->client_cancellable);
  g_clear_object (&call->cancellable);
  g_clear_object (&call->message);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->node, json_node_unref);
  g_clear_error (&call->error);
  g_free (call->what);
  g_free (call->server);
  g_free (call->reason);
  g_free (call->next_cursor);
  g_free (call);
}

static void
follow_cancel (GCancellable *source,
               gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gulong
link_cancellable (GCancellable *from,
                  GCancellable *to)
{
  return g_cancellable_connect (from, G_CALLBACK (follow_cancel),
                                g_object_ref (to), g_object_unref);
}

static gboolean
on_deadline (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  g_clear_pointer (&call->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
is_blank (const char *data,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;
  return TRUE;
}

/* worker thread */
static GError *
status_error (Call       *call,
              const char *data,
              gsize       len)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *fallback = NULL;
  const char *name = NULL;
  const char *message = NULL;

  if (len > 0 && !is_blank (data, len))
    node = ek_json_parse (data, len, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);

      name = ek_json_get_string (object, "name");
      if (name == NULL)
        name = ek_json_get_string (object, "_tag");
      message = ek_json_get_string (ek_json_get_object (object, "data"), "message");
      if (message == NULL || *message == '\0')
        message = ek_json_get_string (object, "message");
    }

  if (call->status == SOUP_STATUS_UNAUTHORIZED)
    message = call->sent_password ? "The password was refused" : "The server wants a password";
  else if (message == NULL || *message == '\0')
    {
      if (name != NULL)
        fallback = g_strdup_printf ("%s (HTTP %u)", name, call->status);
      else
        fallback = g_strdup_printf ("The server answered %u %s to %s", call->status,
                                    call->reason != NULL && *call->reason != '\0' ?
                                      call->reason : soup_status_get_phrase (call->status),
                                    call->what);
      message = fallback;
    }

  return make_error (code_for_status (call->status), call->status, name, message);
}

/* worker thread */
static void
evaluate_answer (Call *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *data = NULL;
  gsize len = 0;

  if (call->body != NULL)
    data = g_bytes_get_data (call->body, &len);
  if (data == NULL)
    data = "";

  if (!SOUP_STATUS_IS_SUCCESSFUL (call->status))
    {
      call->error = status_error (call, data, len);
      return;
    }

  if (call->expect == EXPECT_NOTHING)
    return;
  if (call->expect == EXPECT_TRUE && is_blank (data, len))
    return;

  node = ek_json_parse (data, len, &error);
  if (node == NULL)
    {
      g_autofree char *message =
        g_strdup_printf ("The server's answer to %s is not JSON: %s", call->what, error->message);

      call->error = make_error (EK_CLIENT_ERROR_PROTOCOL, call->status, NULL, message);
      return;
    }

  switch (call->expect)
    {
    case EXPECT_OBJECT:
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          call->node = g_steal_pointer (&node);
          return;
        }
      break;

    case EXPECT_ARRAY:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          call->node = g_steal_pointer (&node);
          return;
        }
      break;

    case EXPECT_TRUE:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        {
          if (!json_node_get_boolean (node))
            {
              g_autofree char *message =
                g_strdup_printf ("The server answered “false” to %s", call->what);

              call->error = make_error (EK_CLIENT_ERROR_FAILED, call->status, NULL, message);
            }
          return;
        }
      break;

    case EXPECT_NOTHING:
    default:
      g_assert_not_reached ();
    }

  {
    static const char * const shapes[] = {
      [EXPECT_OBJECT] = "an object",
      [EXPECT_ARRAY] = "a list",
      [EXPECT_TRUE] = "true or false",
    };
    g_autofree char *message =
      g_strdup_printf ("The server's answer to %s is not %s", call->what, shapes[call->expect]);

    call->error = make_error (EK_CLIENT_ERROR_PROTOCOL, call->status, NULL, message);
  }
}

/* the task's context */
static gboolean
complete_call (gpointer user_data)
{
  GTask *task = user_data;
  Call *call = g_task_get_task_data (task);

  /* cancelled while the answer was parsed (the deadline cannot fire then) */
  if (g_cancellable_is_cancelled (call->cancellable))
    {
      g_clear_pointer (&call->node, json_node_unref);
      g_clear_error (&call->error);
      g_cancellable_set_error_if_cancelled (call->cancellable, &call->error);
    }

  if (call->error != NULL)
    g_task_return_error (task, g_steal_pointer (&call->error));
  else if (call->node != NULL)
    g_task_return_pointer (task, g_steal_pointer (&call->node), (GDestroyNotify) json_node_unref);
  else
    g_task_return_boolean (task, TRUE);

  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* worker thread: owns a reference on the task, handed back to its context */
static void
parse_answer (gpointer data,
              gpointer pool_data)
{
  GTask *task = data;
  GSource *source;

  evaluate_answer (g_task_get_task_data (task));

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, complete_call, task, NULL);
  g_source_set_static_name (source, "[ekacode] client answer");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static GThreadPool *
get_parse_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *new_pool = g_thread_pool_new (parse_answer, NULL, N_PARSE_THREADS,
                                                 FALSE, NULL);

      g_once_init_leave (&pool, new_pool);
    }
  return pool;
}

static GError *
transport_error (Call   *call,
                 GError *error)
{
  g_autofree char *message = NULL;

  if (call->timed_out)
    {
      message = g_strdup_printf ("The server at %s did not answer %s in time (%u s)",
                                 call->server, call->what, call->timeout);
      return make_error (EK_CLIENT_ERROR_UNREACHABLE, 0, NULL, message);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (error->domain == SOUP_SESSION_ERROR)
    {
      message = g_strdup_printf ("The answer of the server at %s to %s cannot be read: %s",
                                 call->server, call->what, error->message);
      return make_error (EK_CLIENT_ERROR_PROTOCOL, 0, NULL, message);
    }
  message = g_strdup_printf ("Cannot reach the server at %s: %s", call->server, error->message);
  return make_error (EK_CLIENT_ERROR_UNREACHABLE, 0, NULL, message);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (call->deadline != NULL)
    {
      g_source_destroy (call->deadline);
      g_clear_pointer (&call->deadline, g_source_unref);
    }

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, transport_error (call, error));
      return;
    }

  call->body = body;
  call->status = soup_message_get_status (call->message);
  call->reason = g_strdup (soup_message_get_reason_phrase (call->message));
  call->next_cursor =
    g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (call->message),
                                            "X-Next-Cursor"));

  g_thread_pool_push (get_parse_pool (), g_steal_pointer (&task), NULL);
}

/*
 * start_call:
 * @body: (nullable) (transfer none): the JSON body to send
 * @long_call: the call waits for a model, so no deadline applies
 * @source_tag: the public _async function
 */
static void
start_call (EkClient            *self,
            const char          *method,
            const char          *path,
            const char * const  *query,
            JsonNode            *body,
            Expect               expect,
            gboolean             long_call,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Call *call;

  call = g_new0 (Call, 1);
  call->what = g_strdup_printf ("%s %s", method, path);
  call->server = g_strdup (self->base_url);
  call->expect = expect;
  call->sent_password = self->password != NULL;
  call->cancellable = g_cancellable_new ();

  task = g_task_new (self, call->cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* a deadline cancels the call too, and must not turn into CANCELLED:
   * complete_call() and transport_error() tell them apart */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, call, call_free);

  if (cancellable != NULL)
    {
      call->caller_cancellable = g_object_ref (cancellable);
      call->caller_handler = link_cancellable (cancellable, call->cancellable);
    }

  if (self->session == NULL || self->cancellable == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "The connection to the server was closed");
      return;
    }
  call->client_cancellable = g_object_ref (self->cancellable);
  call->client_handler = link_cancellable (self->cancellable, call->cancellable);

  call->message = ek_client_new_message (self, method, path, query, &error);
  if (call->message == NULL)
    {
      if (error == NULL)
        error = g_error_new (EK_CLIENT_ERROR, EK_CLIENT_ERROR_INVALID,
                             "Cannot make the request %s", call->what);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  soup_message_headers_replace (soup_message_get_request_headers (call->message),
                                "Accept", "application/json");
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (call->message, "application/json", bytes);
    }

  if (!long_call && self->timeout > 0)
    {
      call->timeout = self->timeout;
      call->deadline = g_timeout_source_new_seconds (self->timeout);
      g_source_set_callback (call->deadline, on_deadline, call, NULL);
      g_source_set_static_name (call->deadline, "[ekacode] client deadline");
      g_source_attach (call->deadline, g_task_get_context (task));
    }

  soup_session_send_and_read_async (self->session, call->message, G_PRIORITY_DEFAULT,
                                    call->cancellable, on_read, g_steal_pointer (&task));
}

static JsonNode *
object_node (JsonObject *object)
{
  return json_node_init_object (json_node_alloc (), object);
}

/* "/session/<escaped id><suffix>" */
static char *
session_path (const char *session_id,
              const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (session_id, NULL, FALSE);

  return g_strconcat ("/session/", escaped, suffix, NULL);
}

static char *
request_path (const char *kind,
              const char *request_id,
              const char *action)
{
  g_autofree char *escaped = g_uri_escape_string (request_id, NULL, FALSE);

  return g_strconcat ("/", kind, "/", escaped, "/", action, NULL);
}

static JsonNode *
finish_node (EkClient      *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static JsonObject *
finish_object (EkClient      *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_autoptr(JsonNode) node = finish_node (self, result, source_tag, error);

  if (node == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static JsonArray *
finish_array (EkClient      *self,
              GAsyncResult  *result,
              gpointer       source_tag,
              GError       **error)
{
  g_autoptr(JsonNode) node = finish_node (self, result, source_tag, error);

  if (node == NULL)
    return NULL;
  return json_array_ref (json_node_get_array (node));
}

static gboolean
finish_boolean (EkClient      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (EK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------ */
/* PromptBody                                                         */

/**
 * ek_client_prompt_body_new:
 * @text: (nullable): the text of the prompt, or %NULL for no text part
 * @message_id: (nullable): the user message's id (`msg_…`), or %NULL to
 *   let the server choose
 * @part_id: (nullable): the text part's id (`prt_…`), or %NULL
 *
 * Returns: (transfer full): `{"parts":[{"type":"text","text":…}], …}`
 */
JsonObject *
ek_client_prompt_body_new (const char *text,
                           const char *message_id,
                           const char *part_id)
{
  JsonObject *body = json_object_new ();
  JsonArray *parts = json_array_new ();

  if (text != NULL)
    {
      JsonObject *part = json_object_new ();

      if (part_id != NULL)
        json_object_set_string_member (part, "id", part_id);
      json_object_set_string_member (part, "type", "text");
      json_object_set_string_member (part, "text", text);
      json_array_add_object_element (parts, part);
    }
  if (message_id != NULL)
    json_object_set_string_member (body, "messageID", message_id);
  json_object_set_array_member (body, "parts", parts);
  return body;
}

void
ek_client_prompt_body_set_model (JsonObject *body,
                                 const char *provider_id,
                                 const char *model_id)
{
  JsonObject *model;

  g_return_if_fail (body != NULL);
  g_return_if_fail (provider_id != NULL && model_id != NULL);

  model = json_object_new ();
  json_object_set_string_member (model, "providerID", provider_id);
  json_object_set_string_member (model, "modelID", model_id);
  json_object_set_object_member (body, "model", model);
}

void
ek_client_prompt_body_set_agent (JsonObject *body,
                                 const char *agent)
{
  g_return_if_fail (body != NULL);

  if (agent != NULL)
    json_object_set_string_member (body, "agent", agent);
  else if (json_object_has_member (body, "agent"))
    json_object_remove_member (body, "agent");
}

/**
 * ek_client_prompt_body_add_file:
 * @part_id: (nullable): the part's id, or %NULL
 * @mime: e.g. "text/plain", "image/png"
 * @url: `file:///abs/path`, or a `data:` URL
 * @filename: (nullable): the name to show
 *
 * Appends a file part to the body's parts.
 */
void
ek_client_prompt_body_add_file (JsonObject *body,
                                const char *part_id,
                                const char *mime,
                                const char *url,
                                const char *filename)
{
  JsonNode *parts_node;
  JsonObject *part;

  g_return_if_fail (body != NULL);
  g_return_if_fail (mime != NULL && url != NULL);

  parts_node = json_object_get_member (body, "parts");
  if (parts_node == NULL || !JSON_NODE_HOLDS_ARRAY (parts_node))
    {
      json_object_set_array_member (body, "parts", json_array_new ());
      parts_node = json_object_get_member (body, "parts");
    }

  part = json_object_new ();
  if (part_id != NULL)
    json_object_set_string_member (part, "id", part_id);
  json_object_set_string_member (part, "type", "file");
  json_object_set_string_member (part, "mime", mime);
  json_object_set_string_member (part, "url", url);
  if (filename != NULL)
    json_object_set_string_member (part, "filename", filename);
  json_array_add_object_element (json_node_get_array (parts_node), part);
}

/* ------------------------------------------------------------------ */
/* Sessions                                                           */

/**
 * ek_client_list_sessions_async:
 * @roots: only sessions without a parent (no subagent sessions)
 * @limit: at most this many, or 0 for all
 * @search: (nullable): only sessions whose title matches
 *
 * `GET /session`: most recently updated first.
 */
void
ek_client_list_sessions_async (EkClient            *self,
                               gboolean             roots,
                               int                  limit,
                               const char          *search,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *limit_text = NULL;
  const char *query[7];
  guint n = 0;

  g_return_if_fail (EK_IS_CLIENT (self));

  if (roots)
    {
      query[n++] = "roots";
      query[n++] = "true";
    }
  if (limit > 0)
    {
      limit_text = g_strdup_printf ("%d", limit);
      query[n++] = "limit";
      query[n++] = limit_text;
    }
  if (search != NULL && *search != '\0')
    {
      query[n++] = "search";
      query[n++] = search;
    }
  query[n] = NULL;

  start_call (self, "GET", "/session", query, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_list_sessions_async);
}

/**
 * ek_client_list_sessions_finish:
 *
 * Returns: (transfer full): `Session[]`, or %NULL with @error set
 */
JsonArray *
ek_client_list_sessions_finish (EkClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_array (self, result, ek_client_list_sessions_async, error);
}

/**
 * ek_client_create_session_async:
 * @title: (nullable): the title, or %NULL for the server's default
 * @parent_id: (nullable): the parent session, or %NULL
 */
void
ek_client_create_session_async (EkClient            *self,
                                const char          *title,
                                const char          *parent_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));

  if (title != NULL)
    json_object_set_string_member (body, "title", title);
  if (parent_id != NULL)
    json_object_set_string_member (body, "parentID", parent_id);
  node = object_node (body);

  start_call (self, "POST", "/session", NULL, node, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_create_session_async);
}

/**
 * ek_client_create_session_finish:
 *
 * Returns: (transfer full): the new `Session`, or %NULL with @error set
 */
JsonObject *
ek_client_create_session_finish (EkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_object (self, result, ek_client_create_session_async, error);
}

void
ek_client_fetch_session_async (EkClient            *self,
                               const char          *session_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  path = session_path (session_id, "");
  start_call (self, "GET", path, NULL, NULL, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_fetch_session_async);
}

/**
 * ek_client_fetch_session_finish:
 *
 * Returns: (transfer full): the `Session`, or %NULL with @error set
 */
JsonObject *
ek_client_fetch_session_finish (EkClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_object (self, result, ek_client_fetch_session_async, error);
}

static void
patch_session (EkClient            *self,
               const char          *session_id,
               JsonObject          *body,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autofree char *path = session_path (session_id, "");
  g_autoptr(JsonNode) node = object_node (body);

  start_call (self, "PATCH", path, NULL, node, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, source_tag);
}

void
ek_client_rename_session_async (EkClient            *self,
                                const char          *session_id,
                                const char          *title,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (title != NULL);

  body = json_object_new ();
  json_object_set_string_member (body, "title", title);
  patch_session (self, session_id, body, cancellable, callback, user_data,
                 ek_client_rename_session_async);
}

/**
 * ek_client_rename_session_finish:
 *
 * Returns: (transfer full): the updated `Session`, or %NULL with @error set
 */
JsonObject *
ek_client_rename_session_finish (EkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_object (self, result, ek_client_rename_session_async, error);
}

/**
 * ek_client_archive_session_async:
 * @archived_ms: the archive time in ms since the epoch, or 0 for now
 */
void
ek_client_archive_session_async (EkClient            *self,
                                 const char          *session_id,
                                 gint64               archived_ms,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) body = NULL;
  JsonObject *time;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  if (archived_ms <= 0)
    archived_ms = g_get_real_time () / 1000;

  body = json_object_new ();
  time = json_object_new ();
  json_object_set_int_member (time, "archived", archived_ms);
  json_object_set_object_member (body, "time", time);
  patch_session (self, session_id, body, cancellable, callback, user_data,
                 ek_client_archive_session_async);
}

/**
 * ek_client_archive_session_finish:
 *
 * Returns: (transfer full): the updated `Session`, or %NULL with @error set
 */
JsonObject *
ek_client_archive_session_finish (EkClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_object (self, result, ek_client_archive_session_async, error);
}

void
ek_client_delete_session_async (EkClient            *self,
                                const char          *session_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  path = session_path (session_id, "");
  start_call (self, "DELETE", path, NULL, NULL, EXPECT_TRUE, FALSE,
              cancellable, callback, user_data, ek_client_delete_session_async);
}

gboolean
ek_client_delete_session_finish (EkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_boolean (self, result, ek_client_delete_session_async, error);
}

/**
 * ek_client_get_statuses_async:
 *
 * `GET /session/status`: the status of every session that is not idle.
 */
void
ek_client_get_statuses_async (EkClient            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/session/status", NULL, NULL, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_get_statuses_async);
}

/**
 * ek_client_get_statuses_finish:
 *
 * Returns: (transfer full): `{sessionID: status}`, or %NULL with @error set
 */
JsonObject *
ek_client_get_statuses_finish (EkClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_object (self, result, ek_client_get_statuses_async, error);
}

void
ek_client_get_children_async (EkClient            *self,
                              const char          *session_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  path = session_path (session_id, "/children");
  start_call (self, "GET", path, NULL, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_get_children_async);
}

/**
 * ek_client_get_children_finish:
 *
 * Returns: (transfer full): `Session[]` (subagent sessions), or %NULL with
 *   @error set
 */
JsonArray *
ek_client_get_children_finish (EkClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_array (self, result, ek_client_get_children_async, error);
}

void
ek_client_get_todos_async (EkClient            *self,
                           const char          *session_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  path = session_path (session_id, "/todo");
  start_call (self, "GET", path, NULL, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_get_todos_async);
}

/**
 * ek_client_get_todos_finish:
 *
 * Returns: (transfer full): `Todo[]`, or %NULL with @error set
 */
JsonArray *
ek_client_get_todos_finish (EkClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_array (self, result, ek_client_get_todos_async, error);
}

/**
 * ek_client_get_history_async:
 * @limit: the newest @limit messages, or 0 for all
 * @before: (nullable): a cursor from an earlier page's @next_cursor, to get
 *   the messages before that page
 *
 * `GET /session/{id}/message`.  The answer is parsed in a worker thread.
 */
void
ek_client_get_history_async (EkClient            *self,
                             const char          *session_id,
                             int                  limit,
                             const char          *before,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *limit_text = NULL;
  const char *query[5];
  guint n = 0;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  if (limit > 0)
    {
      limit_text = g_strdup_printf ("%d", limit);
      query[n++] = "limit";
      query[n++] = limit_text;
    }
  if (before != NULL && *before != '\0')
    {
      query[n++] = "before";
      query[n++] = before;
    }
  query[n] = NULL;

  path = session_path (session_id, "/message");
  start_call (self, "GET", path, query, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_get_history_async);
}

/**
 * ek_client_get_history_finish:
 * @next_cursor: (out) (optional) (transfer full) (nullable): the
 *   `X-Next-Cursor` header: pass it as @before to get the page of older
 *   messages; %NULL when there are none
 *
 * Returns: (transfer full): `[{info, parts}]`, oldest first, or %NULL
 *   with @error set
 */
JsonArray *
ek_client_get_history_finish (EkClient      *self,
                              GAsyncResult  *result,
                              char         **next_cursor,
                              GError       **error)
{
  JsonArray *messages = finish_array (self, result, ek_client_get_history_async, error);

  if (next_cursor != NULL)
    {
      Call *call = g_task_get_task_data (G_TASK (result));

      *next_cursor = messages != NULL ? g_strdup (call->next_cursor) : NULL;
    }
  return messages;
}

/* ------------------------------------------------------------------ */
/* Prompting and steering                                             */

/**
 * ek_client_prompt_async:
 * @body: a `PromptBody` (see ek_client_prompt_body_new())
 *
 * `POST /session/{id}/prompt_async`: the server answers at once (204);
 * the reply arrives as events.  A busy session queues the message.
 */
void
ek_client_prompt_async (EkClient            *self,
                        const char          *session_id,
                        JsonObject          *body,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (body != NULL);

  path = session_path (session_id, "/prompt_async");
  node = object_node (body);
  start_call (self, "POST", path, NULL, node, EXPECT_NOTHING, FALSE,
              cancellable, callback, user_data, ek_client_prompt_async);
}

gboolean
ek_client_prompt_finish (EkClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_boolean (self, result, ek_client_prompt_async, error);
}

/**
 * ek_client_prompt_and_wait_async:
 * @body: a `PromptBody`
 *
 * `POST /session/{id}/message`: answers when the model has finished, so
 * no deadline applies; cancel it to stop waiting (that does not stop the
 * model: see ek_client_abort_async()).
 */
void
ek_client_prompt_and_wait_async (EkClient            *self,
                                 const char          *session_id,
                                 JsonObject          *body,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (body != NULL);

  path = session_path (session_id, "/message");
  node = object_node (body);
  start_call (self, "POST", path, NULL, node, EXPECT_OBJECT, TRUE,
              cancellable, callback, user_data, ek_client_prompt_and_wait_async);
}

/**
 * ek_client_prompt_and_wait_finish:
 *
 * Returns: (transfer full): `{info, parts}` of the last assistant message,
 *   or %NULL with @error set
 */
JsonObject *
ek_client_prompt_and_wait_finish (EkClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_object (self, result, ek_client_prompt_and_wait_async, error);
}

void
ek_client_abort_async (EkClient            *self,
                       const char          *session_id,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  path = session_path (session_id, "/abort");
  start_call (self, "POST", path, NULL, NULL, EXPECT_TRUE, FALSE,
              cancellable, callback, user_data, ek_client_abort_async);
}

gboolean
ek_client_abort_finish (EkClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return finish_boolean (self, result, ek_client_abort_async, error);
}

/**
 * ek_client_run_command_async:
 * @command: the slash command's name, without the slash
 * @arguments: (nullable): the rest of the line
 * @message_id: (nullable): the user message's id, or %NULL
 *
 * `POST /session/{id}/command`: answers when the model has finished, so
 * no deadline applies.
 */
void
ek_client_run_command_async (EkClient            *self,
                             const char          *session_id,
                             const char          *command,
                             const char          *arguments,
                             const char          *message_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (command != NULL);

  body = json_object_new ();
  if (message_id != NULL)
    json_object_set_string_member (body, "messageID", message_id);
  json_object_set_string_member (body, "command", command);
  json_object_set_string_member (body, "arguments", arguments != NULL ? arguments : "");
  node = object_node (body);

  path = session_path (session_id, "/command");
  start_call (self, "POST", path, NULL, node, EXPECT_OBJECT, TRUE,
              cancellable, callback, user_data, ek_client_run_command_async);
}

/**
 * ek_client_run_command_finish:
 *
 * Returns: (transfer full): `{info, parts}` of the assistant's message, or
 *   %NULL with @error set
 */
JsonObject *
ek_client_run_command_finish (EkClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_object (self, result, ek_client_run_command_async, error);
}

/**
 * ek_client_revert_async:
 * @message_id: the message to revert to (it and all after it are undone)
 * @part_id: (nullable): a part of it to revert from, or %NULL
 */
void
ek_client_revert_async (EkClient            *self,
                        const char          *session_id,
                        const char          *message_id,
                        const char          *part_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);
  g_return_if_fail (message_id != NULL);

  body = json_object_new ();
  json_object_set_string_member (body, "messageID", message_id);
  if (part_id != NULL)
    json_object_set_string_member (body, "partID", part_id);
  node = object_node (body);

  path = session_path (session_id, "/revert");
  start_call (self, "POST", path, NULL, node, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_revert_async);
}

/**
 * ek_client_revert_finish:
 *
 * Returns: (transfer full): the updated `Session`, or %NULL with @error set
 */
JsonObject *
ek_client_revert_finish (EkClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_object (self, result, ek_client_revert_async, error);
}

void
ek_client_unrevert_async (EkClient            *self,
                          const char          *session_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  path = session_path (session_id, "/unrevert");
  start_call (self, "POST", path, NULL, NULL, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_unrevert_async);
}

/**
 * ek_client_unrevert_finish:
 *
 * Returns: (transfer full): the updated `Session`, or %NULL with @error set
 */
JsonObject *
ek_client_unrevert_finish (EkClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  return finish_object (self, result, ek_client_unrevert_async, error);
}

/* ------------------------------------------------------------------ */
/* Permissions and questions                                          */

/**
 * ek_client_reply_permission_async:
 * @request_id: the `per_…` id of the `permission.asked` event
 * @message: (nullable): a note for the model with a rejection, or %NULL
 */
void
ek_client_reply_permission_async (EkClient            *self,
                                  const char          *request_id,
                                  EkPermissionReply    reply,
                                  const char          *message,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  static const char * const replies[] = {
    [EK_PERMISSION_REPLY_ONCE] = "once",
    [EK_PERMISSION_REPLY_ALWAYS] = "always",
    [EK_PERMISSION_REPLY_REJECT] = "reject",
  };
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (request_id != NULL);
  g_return_if_fail ((guint) reply < G_N_ELEMENTS (replies));

  body = json_object_new ();
  json_object_set_string_member (body, "reply", replies[reply]);
  if (message != NULL)
    json_object_set_string_member (body, "message", message);
  node = object_node (body);

  path = request_path ("permission", request_id, "reply");
  start_call (self, "POST", path, NULL, node, EXPECT_TRUE, FALSE,
              cancellable, callback, user_data, ek_client_reply_permission_async);
}

gboolean
ek_client_reply_permission_finish (EkClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_boolean (self, result, ek_client_reply_permission_async, error);
}

void
ek_client_list_permissions_async (EkClient            *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/permission", NULL, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_list_permissions_async);
}

/**
 * ek_client_list_permissions_finish:
 *
 * Returns: (transfer full): `PermissionRequest[]`, or %NULL with @error set
 */
JsonArray *
ek_client_list_permissions_finish (EkClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_array (self, result, ek_client_list_permissions_async, error);
}

/**
 * ek_client_reply_question_async:
 * @request_id: the `que_…` id of the `question.asked` event
 * @answers: (element-type GStrv): one answer per question, in order: the
 *   labels chosen (a custom answer is its text as a label)
 */
void
ek_client_reply_question_async (EkClient            *self,
                                const char          *request_id,
                                GPtrArray           *answers,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *list;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (request_id != NULL);
  g_return_if_fail (answers != NULL);

  list = json_array_new ();
  for (guint i = 0; i < answers->len; i++)
    {
      const char * const *labels = g_ptr_array_index (answers, i);
      JsonArray *answer = json_array_new ();

      for (guint j = 0; labels != NULL && labels[j] != NULL; j++)
        json_array_add_string_element (answer, labels[j]);
      json_array_add_array_element (list, answer);
    }
  body = json_object_new ();
  json_object_set_array_member (body, "answers", list);
  node = object_node (body);

  path = request_path ("question", request_id, "reply");
  start_call (self, "POST", path, NULL, node, EXPECT_TRUE, FALSE,
              cancellable, callback, user_data, ek_client_reply_question_async);
}

gboolean
ek_client_reply_question_finish (EkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_boolean (self, result, ek_client_reply_question_async, error);
}

void
ek_client_reject_question_async (EkClient            *self,
                                 const char          *request_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (request_id != NULL);

  path = request_path ("question", request_id, "reject");
  start_call (self, "POST", path, NULL, NULL, EXPECT_TRUE, FALSE,
              cancellable, callback, user_data, ek_client_reject_question_async);
}

gboolean
ek_client_reject_question_finish (EkClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_boolean (self, result, ek_client_reject_question_async, error);
}

void
ek_client_list_questions_async (EkClient            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/question", NULL, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_list_questions_async);
}

/**
 * ek_client_list_questions_finish:
 *
 * Returns: (transfer full): `QuestionRequest[]`, or %NULL with @error set
 */
JsonArray *
ek_client_list_questions_finish (EkClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_array (self, result, ek_client_list_questions_async, error);
}

/* ------------------------------------------------------------------ */
/* The server and its configuration                                   */

/**
 * ek_client_get_providers_async:
 *
 * `GET /config/providers` (small; not `GET /provider`, which is MBs).
 */
void
ek_client_get_providers_async (EkClient            *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/config/providers", NULL, NULL, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_get_providers_async);
}

/**
 * ek_client_get_providers_finish:
 *
 * Returns: (transfer full): `{providers: [...], default: {providerID:
 *   modelID}}`, or %NULL with @error set
 */
JsonObject *
ek_client_get_providers_finish (EkClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_object (self, result, ek_client_get_providers_async, error);
}

void
ek_client_list_agents_async (EkClient            *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/agent", NULL, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_list_agents_async);
}

/**
 * ek_client_list_agents_finish:
 *
 * Returns: (transfer full): `Agent[]`, or %NULL with @error set
 */
JsonArray *
ek_client_list_agents_finish (EkClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_array (self, result, ek_client_list_agents_async, error);
}

void
ek_client_list_commands_async (EkClient            *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/command", NULL, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_list_commands_async);
}

/**
 * ek_client_list_commands_finish:
 *
 * Returns: (transfer full): the slash commands, or %NULL with @error set
 */
JsonArray *
ek_client_list_commands_finish (EkClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_array (self, result, ek_client_list_commands_async, error);
}

void
ek_client_get_paths_async (EkClient            *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/path", NULL, NULL, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_get_paths_async);
}

/**
 * ek_client_get_paths_finish:
 *
 * Returns: (transfer full): `{home, state, config, worktree, directory}`,
 *   or %NULL with @error set
 */
JsonObject *
ek_client_get_paths_finish (EkClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return finish_object (self, result, ek_client_get_paths_async, error);
}

/**
 * ek_client_find_files_async:
 * @query: what the user typed after `@`
 * @limit: at most this many (the server allows 1 to 200), or 0 for the
 *   server's default
 */
void
ek_client_find_files_async (EkClient            *self,
                            const char          *query,
                            int                  limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *limit_text = NULL;
  const char *params[5];
  guint n = 0;

  g_return_if_fail (EK_IS_CLIENT (self));
  g_return_if_fail (query != NULL);

  params[n++] = "query";
  params[n++] = query;
  if (limit > 0)
    {
      limit_text = g_strdup_printf ("%d", limit);
      params[n++] = "limit";
      params[n++] = limit_text;
    }
  params[n] = NULL;

  start_call (self, "GET", "/find/file", params, NULL, EXPECT_ARRAY, FALSE,
              cancellable, callback, user_data, ek_client_find_files_async);
}

/**
 * ek_client_find_files_finish:
 *
 * Returns: (transfer full): paths (strings), or %NULL with @error set
 */
JsonArray *
ek_client_find_files_finish (EkClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_array (self, result, ek_client_find_files_async, error);
}

/**
 * ek_client_health_async:
 *
 * `GET /global/health`: a cheap way to check the address and password.
 */
void
ek_client_health_async (EkClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (EK_IS_CLIENT (self));

  start_call (self, "GET", "/global/health", NULL, NULL, EXPECT_OBJECT, FALSE,
              cancellable, callback, user_data, ek_client_health_async);
}

/**
 * ek_client_health_finish:
 *
 * Returns: (transfer full): `{healthy, version}`, or %NULL with @error set
 */
JsonObject *
ek_client_health_finish (EkClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return finish_object (self, result, ek_client_health_async, error);
}
