/* ek-live-source.c: a live server as a window's source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An EkConnection (the server's /event stream folded into an EkStore,
 * refetched on every connect) behind the EkSource interface: the stream's
 * state becomes the banner's words and the read-only reason, and every
 * command goes to the server through the EkClient.
 *
 * A session the user opens is handed to the connection, which keeps its
 * newest EK_LIVE_SOURCE_HISTORY_LIMIT messages in sync across reconnects.
 * The connection does not say when that first page has arrived, so the
 * source fetches it once more itself: its answer is what tells the chat
 * (and a screenshot) that the history is there, and whether older pages
 * exist.  Older pages come through ek_connection_load_older_async().  A
 * session left alone for a while (not viewed, not busy) is closed again.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "ek-live-source.h"

#define DEFAULT_OFFLINE_AFTER_MS  10000  /* lost this long: say offline */
#define DEFAULT_CLOSE_AFTER_S     600    /* left this long: close it */
#define FIRST_PAGE_RETRY_MS       2000
#define OLDER_RETRY_MS            300
#define OLDER_RETRIES             10

struct _EkLiveSource
{
  GObject        parent_instance;

  EkClient      *client;
  EkStore       *store;
  EkConnection  *connection;
  EkEventStream *stream;
  GCancellable  *cancellable;

  EkSourceState  state;
  char          *description;
  char          *read_only_reason;

  GListStore    *agents;         /* GtkStringObject */
  GListStore    *models;         /* GtkStringObject "provider/model" */
  guint          config_pending; /* requests of the current config fetch */
  JsonArray     *agents_json;
  JsonObject    *providers_json;
  JsonObject    *config_json;

  GHashTable    *opened;         /* session id → Opened */
  guint          close_timer_id;
  guint          close_after_s;

  gint64         lost_at;        /* monotonic µs the stream was lost, 0 */
  guint          offline_after_ms;
  guint          offline_id;

  guint          running : 1;
  guint          restarting : 1;
  guint          ever_synced : 1;
};

static void ek_live_source_iface_init (EkSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EkLiveSource, ek_live_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (EK_TYPE_SOURCE, ek_live_source_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SYNCED,
  N_PROPS,
  /* EkSource */
  PROP_STORE = N_PROPS,
  PROP_STATE,
  PROP_DESCRIPTION,
  PROP_READ_ONLY_REASON,
};

static GParamSpec *properties[N_PROPS];

/* A load_older request. */
typedef struct
{
  char   *session_id;
  guint   retries;
  gulong  cancel_id;   /* while it waits for the first page */
} Older;

static void
older_free (gpointer data)
{
  Older *older = data;

  g_free (older->session_id);
  g_free (older);
}

/* Takes a waiting load_older request off its cancellable. */
static void
unwatch_waiting (GTask *task)
{
  Older *older = g_task_get_task_data (task);

  if (older->cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), older->cancel_id);
  older->cancel_id = 0;
}

/* A session the user has opened. */
typedef struct
{
  char      *id;
  GPtrArray *waiting;     /* GTask of load_older, until the first page */
  gint64     left_at;     /* monotonic µs; 0 while it is viewed */
  guint      retry_id;
  guint      n_pages;     /* older pages loaded */
  guint      loaded : 1;
  guint      loading : 1;
  guint      has_older : 1;
} Opened;

static void
opened_free (gpointer data)
{
  Opened *opened = data;

  g_clear_handle_id (&opened->retry_id, g_source_remove);
  for (guint i = 0; i < opened->waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (opened->waiting, i);

      unwatch_waiting (task);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The session was closed");
    }
  g_ptr_array_unref (opened->waiting);
  g_free (opened->id);
  g_free (opened);
}

/* ---- state ---- */

static const char *
server_name (EkLiveSource *self)
{
  return ek_client_get_base_url (self->client);
}

static gboolean
on_offline_timeout (gpointer user_data);

static void
update_state (EkLiveSource *self)
{
  EkStreamState stream_state = ek_event_stream_get_state (self->stream);
  const char *error = ek_event_stream_get_last_error (self->stream);
  EkSourceState state;
  g_autofree char *description = NULL;
  const char *reason = NULL;
  gboolean state_changed, description_changed, reason_changed;

  if (self->restarting)
    return;

  switch (stream_state)
    {
    case EK_STREAM_STATE_CONNECTED:
      if (ek_connection_get_synced (self->connection))
        state = EK_SOURCE_STATE_CONNECTED;
      else if (self->ever_synced)
        {
          state = EK_SOURCE_STATE_RECONNECTING;
          description = g_strdup (_("Reconnected — catching up with the server…"));
          reason = _("Catching up with the server…");
        }
      else
        {
          state = EK_SOURCE_STATE_CONNECTING;
          description = g_strdup_printf (_("Connecting to %s…"), server_name (self));
          reason = _("Connecting to the server…");
        }
      break;

    case EK_STREAM_STATE_CONNECTING:
      state = EK_SOURCE_STATE_CONNECTING;
      description = g_strdup_printf (_("Connecting to %s…"), server_name (self));
      reason = _("Connecting to the server…");
      break;

    case EK_STREAM_STATE_RECONNECTING:
      /* never connected, or lost for long: offline (while the stream
       * keeps trying in the background) */
      if (ek_event_stream_get_n_connects (self->stream) == 0 ||
          (self->lost_at != 0 &&
           g_get_monotonic_time () - self->lost_at >= (gint64) self->offline_after_ms * 1000))
        {
          state = EK_SOURCE_STATE_OFFLINE;
          description = g_strdup_printf (_("Offline: %s"), error ? error : _("the server cannot be reached"));
          reason = _("Offline — the server cannot be reached");
        }
      else
        {
          state = EK_SOURCE_STATE_RECONNECTING;
          description = g_strdup (_("Connection lost — reconnecting…"));
          reason = _("Reconnecting to the server…");
        }
      break;

    case EK_STREAM_STATE_UNAUTHORIZED:
      state = EK_SOURCE_STATE_UNAUTHORIZED;
      if (ek_client_has_password (self->client))
        {
          description = g_strdup (_("The server refused the password"));
          reason = _("The server refused the password");
        }
      else
        {
          description = g_strdup (_("The server wants a password"));
          reason = _("The server wants a password");
        }
      break;

    case EK_STREAM_STATE_FAILED:
      state = EK_SOURCE_STATE_OFFLINE;
      description = g_strdup_printf (_("Offline: %s"), error ? error : _("the server cannot be reached"));
      reason = _("Offline — the server cannot be reached");
      break;

    case EK_STREAM_STATE_IDLE:
    default:
      if (self->running)
        {
          state = EK_SOURCE_STATE_CONNECTING;
          description = g_strdup_printf (_("Connecting to %s…"), server_name (self));
          reason = _("Connecting to the server…");
        }
      else
        {
          state = EK_SOURCE_STATE_OFFLINE;
          description = g_strdup (_("Offline: disconnected"));
          reason = _("Not connected to the server");
        }
      break;
    }

  state_changed = self->state != state;
  description_changed = g_strcmp0 (self->description, description) != 0;
  reason_changed = g_strcmp0 (self->read_only_reason, reason) != 0;

  self->state = state;
  if (description_changed)
    {
      g_free (self->description);
      self->description = g_steal_pointer (&description);
    }
  if (reason_changed)
    {
      g_free (self->read_only_reason);
      self->read_only_reason = g_strdup (reason);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (state_changed)
    g_object_notify (G_OBJECT (self), "state");
  if (description_changed)
    g_object_notify (G_OBJECT (self), "description");
  if (reason_changed)
    g_object_notify (G_OBJECT (self), "read-only-reason");
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
on_offline_timeout (gpointer user_data)
{
  EkLiveSource *self = user_data;

  self->offline_id = 0;
  update_state (self);
  return G_SOURCE_REMOVE;
}

/* ---- agents and models ---- */

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
member_true (JsonObject *object,
             const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* Puts @names into @store unless it holds them already (a refetch after
 * a reconnect must not reset what the user picked), @first first. */
static void
set_string_list (GListStore *store,
                 GPtrArray  *names,
                 const char *first)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  gboolean same;

  if (first != NULL)
    g_ptr_array_add (items, gtk_string_object_new (first));
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), first) != 0)
      g_ptr_array_add (items, gtk_string_object_new (g_ptr_array_index (names, i)));

  same = n == items->len;
  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      same = g_strcmp0 (gtk_string_object_get_string (item),
                        gtk_string_object_get_string (g_ptr_array_index (items, i))) == 0;
    }
  if (!same)
    g_list_store_splice (store, 0, n, items->pdata, items->len);
}

static gboolean
contains_string (GPtrArray  *names,
                 const char *name)
{
  for (guint i = 0; name != NULL && i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

/* The picker's agents: `mode != "subagent" && !hidden`, the configured
 * default agent (else build) first. */
static void
update_agents (EkLiveSource *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *first = member_string (self->config_json, "default_agent");

  for (guint i = 0; self->agents_json != NULL && i < json_array_get_length (self->agents_json); i++)
    {
      JsonNode *node = json_array_get_element (self->agents_json, i);
      JsonObject *agent = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = member_string (agent, "name");

      if (name == NULL || g_strcmp0 (member_string (agent, "mode"), "subagent") == 0 ||
          member_true (agent, "hidden"))
        continue;
      g_ptr_array_add (names, (gpointer) name);
    }
  if (!contains_string (names, first))
    first = contains_string (names, "build") ? "build" : NULL;
  set_string_list (self->agents, names, first);
}

/* "provider/model" for every model of every provider, the configured
 * model (else the first provider default) first. */
static void
update_models (EkLiveSource *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  JsonNode *providers = self->providers_json ? json_object_get_member (self->providers_json, "providers") : NULL;
  JsonObject *defaults = member_object (self->providers_json, "default");
  g_autofree char *first = g_strdup (member_string (self->config_json, "model"));
  g_autofree char *provider_default = NULL;

  if (providers != NULL && JSON_NODE_HOLDS_ARRAY (providers))
    {
      JsonArray *array = json_node_get_array (providers);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *provider = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *provider_id = member_string (provider, "id");
          JsonObject *models = member_object (provider, "models");
          const char *default_model = member_string (defaults, provider_id ? provider_id : "");
          g_autoptr(GList) model_ids = NULL;

          if (provider_id == NULL || models == NULL)
            continue;
          model_ids = json_object_get_members (models);
          for (GList *l = model_ids; l != NULL; l = l->next)
            {
              char *name = g_strdup_printf ("%s/%s", provider_id, (const char *) l->data);

              if (provider_default == NULL && g_strcmp0 (l->data, default_model) == 0)
                provider_default = g_strdup (name);
              g_ptr_array_add (names, name);
            }
        }
    }

  if (!contains_string (names, first))
    {
      g_free (first);
      first = g_steal_pointer (&provider_default);
    }
  set_string_list (self->models, names, first);
}

typedef struct
{
  EkLiveSource *self;
  const char   *what;
} ConfigFetch;

static void
config_done (ConfigFetch  *fetch,
             const GError *error)
{
  EkLiveSource *self = fetch->self;

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not fetch %s: %s", fetch->what, error->message);

  g_assert (self->config_pending > 0);
  if (--self->config_pending == 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      update_agents (self);
      update_models (self);
    }
  g_object_unref (self);
  g_free (fetch);
}

static void
on_agents (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ConfigFetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  JsonArray *agents = ek_client_list_agents_finish (EK_CLIENT (source), result, &error);

  if (agents != NULL)
    {
      g_clear_pointer (&fetch->self->agents_json, json_array_unref);
      fetch->self->agents_json = agents;
    }
  config_done (fetch, error);
}

static void
on_providers (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConfigFetch *fetch = user_data;
  g_autoptr(GError) error = NULL;
  JsonObject *providers = ek_client_get_providers_finish (EK_CLIENT (source), result, &error);

  if (providers != NULL)
    {
      g_clear_pointer (&fetch->self->providers_json, json_object_unref);
      fetch->self->providers_json = providers;
    }
  config_done (fetch, error);
}

/* `GET /config` (which the client has no call for): the configured model
 * and default agent, so that the pickers start on them. */
static void
on_config (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ConfigFetch *fetch = user_data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body != NULL && soup_message_get_status (message) == SOUP_STATUS_OK)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      if (json_parser_load_from_data (parser, data, size, &error) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_clear_pointer (&fetch->self->config_json, json_object_unref);
          fetch->self->config_json = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
        }
    }
  config_done (fetch, error);
}

static ConfigFetch *
config_fetch_new (EkLiveSource *self,
                  const char   *what)
{
  ConfigFetch *fetch = g_new0 (ConfigFetch, 1);

  fetch->self = g_object_ref (self);
  fetch->what = what;
  self->config_pending++;
  return fetch;
}

static void
fetch_config (EkLiveSource *self)
{
  g_autoptr(SoupMessage) message = NULL;

  if (self->config_pending > 0)
    return;

  ek_client_list_agents_async (self->client, self->cancellable, on_agents,
                               config_fetch_new (self, "the agents"));
  ek_client_get_providers_async (self->client, self->cancellable, on_providers,
                                 config_fetch_new (self, "the models"));
  message = ek_client_new_message (self->client, "GET", "/config", NULL, NULL);
  if (message != NULL)
    {
      soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
      soup_session_send_and_read_async (ek_client_get_session (self->client), message,
                                        G_PRIORITY_DEFAULT, self->cancellable, on_config,
                                        config_fetch_new (self, "the configuration"));
    }
}

/* ---- opened sessions ---- */

typedef struct
{
  EkLiveSource *self;
  char         *session_id;
  guint64       mark;
} Page;

static void
page_free (Page *page)
{
  g_object_unref (page->self);
  g_free (page->session_id);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static void fetch_first_page (EkLiveSource *self, Opened *opened);

static gboolean
on_first_page_retry (gpointer user_data)
{
  Page *page = user_data;
  Opened *opened = g_hash_table_lookup (page->self->opened, page->session_id);

  if (opened != NULL)
    {
      opened->retry_id = 0;
      if (!opened->loaded && !opened->loading &&
          ek_event_stream_get_state (page->self->stream) == EK_STREAM_STATE_CONNECTED)
        fetch_first_page (page->self, opened);
    }
  return G_SOURCE_REMOVE;
}

static void
on_first_page (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Page) page = user_data;
  EkLiveSource *self = page->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonArray) messages = NULL;
  Opened *opened;

  messages = ek_client_get_history_finish (EK_CLIENT (source), result, &cursor, &error);
  opened = g_hash_table_lookup (self->opened, page->session_id);
  if (opened == NULL)
    return; /* closed meanwhile */
  opened->loading = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* stopped: again at the next sync */

  if (messages == NULL)
    {
      g_debug ("Could not load the history of %s: %s", page->session_id, error->message);
      /* again shortly, or at the next sync */
      if (ek_event_stream_get_state (self->stream) == EK_STREAM_STATE_CONNECTED)
        {
          Page *retry = g_new0 (Page, 1);

          retry->self = g_object_ref (self);
          retry->session_id = g_strdup (page->session_id);
          g_clear_handle_id (&opened->retry_id, g_source_remove);
          opened->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, FIRST_PAGE_RETRY_MS,
                                                 on_first_page_retry, retry,
                                                 (GDestroyNotify) page_free);
        }
      return;
    }

  ek_store_sync_history (self->store, page->session_id, messages, page->mark,
                         cursor != NULL ? EK_SYNC_NEWEST : EK_SYNC_WHOLE);
  opened->loaded = TRUE;
  opened->has_older = cursor != NULL;

  for (guint i = 0; i < opened->waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (opened->waiting, i);

      unwatch_waiting (task);
      g_task_return_boolean (task, opened->has_older);
    }
  g_ptr_array_set_size (opened->waiting, 0);

  {
    EkSession *session = ek_store_lookup_session (self->store, page->session_id);

    if (session != NULL)
      g_signal_emit_by_name (self, "session-loaded", session);
  }
}

static void
fetch_first_page (EkLiveSource *self,
                  Opened       *opened)
{
  Page *page = g_new0 (Page, 1);

  page->self = g_object_ref (self);
  page->session_id = g_strdup (opened->id);
  page->mark = ek_store_get_mark (self->store);
  opened->loading = TRUE;
  ek_client_get_history_async (self->client, opened->id, EK_LIVE_SOURCE_HISTORY_LIMIT, NULL,
                               self->cancellable, on_first_page, page);
}

static Opened *
open_session (EkLiveSource *self,
              const char   *session_id)
{
  Opened *opened = g_hash_table_lookup (self->opened, session_id);

  if (opened == NULL)
    {
      opened = g_new0 (Opened, 1);
      opened->id = g_strdup (session_id);
      opened->waiting = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->opened, opened->id, opened);
    }
  ek_connection_open_session (self->connection, session_id);
  if (!opened->loaded && !opened->loading &&
      ek_event_stream_get_state (self->stream) == EK_STREAM_STATE_CONNECTED)
    fetch_first_page (self, opened);
  return opened;
}

/* Closes the sessions not viewed for a while and not busy. */
static gboolean
on_close_timer (gpointer user_data)
{
  EkLiveSource *self = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GPtrArray) closing = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer value;

  if (self->close_after_s == 0)
    return G_SOURCE_CONTINUE;

  g_hash_table_iter_init (&iter, self->opened);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Opened *opened = value;
      EkSession *session = ek_store_lookup_session (self->store, opened->id);

      if (opened->left_at == 0 || opened->waiting->len > 0 ||
          now - opened->left_at < (gint64) self->close_after_s * G_USEC_PER_SEC)
        continue;
      if (session != NULL && ek_session_get_status (session) != EK_SESSION_STATUS_IDLE)
        continue;
      g_ptr_array_add (closing, g_strdup (opened->id));
    }
  for (guint i = 0; i < closing->len; i++)
    {
      const char *id = g_ptr_array_index (closing, i);

      g_debug ("Closing session %s, unseen for a while", id);
      ek_connection_close_session (self->connection, id);
      g_hash_table_remove (self->opened, id);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- the connection ---- */

static void
on_synced (EkConnection *connection,
           GParamSpec   *pspec,
           EkLiveSource *self)
{
  if (ek_connection_get_synced (connection))
    {
      GHashTableIter iter;
      gpointer value;

      self->ever_synced = TRUE;
      fetch_config (self);
      /* histories whose first page failed or came before the connect */
      g_hash_table_iter_init (&iter, self->opened);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Opened *opened = value;

          if (!opened->loaded && !opened->loading)
            fetch_first_page (self, opened);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCED]);
  update_state (self);
}

static void
on_stream_state (EkEventStream *stream,
                 GParamSpec    *pspec,
                 EkLiveSource  *self)
{
  EkStreamState state = ek_event_stream_get_state (stream);

  if (state == EK_STREAM_STATE_CONNECTED)
    {
      self->lost_at = 0;
      g_clear_handle_id (&self->offline_id, g_source_remove);
    }
  else if (state == EK_STREAM_STATE_RECONNECTING && self->lost_at == 0)
    {
      self->lost_at = g_get_monotonic_time ();
      g_clear_handle_id (&self->offline_id, g_source_remove);
      self->offline_id = g_timeout_add (self->offline_after_ms + 1, on_offline_timeout, self);
    }
  update_state (self);
}

static void
on_stream_error (EkEventStream *stream,
                 GParamSpec    *pspec,
                 EkLiveSource  *self)
{
  update_state (self);
}

/* Stops and starts the stream: "Connecting…" shows at once, and every
 * attempt that fails is seen as a change of state. */
static void
restart (EkLiveSource *self)
{
  self->running = TRUE;
  self->restarting = TRUE;
  ek_connection_stop (self->connection);
  self->restarting = FALSE;
  ek_connection_start (self->connection);
  update_state (self);
}

/* ---- GObject ---- */

static void
ek_live_source_dispose (GObject *object)
{
  EkLiveSource *self = EK_LIVE_SOURCE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->offline_id, g_source_remove);
  g_clear_handle_id (&self->close_timer_id, g_source_remove);
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      ek_connection_stop (self->connection);
    }
  if (self->opened != NULL)
    g_hash_table_remove_all (self->opened);
  g_clear_object (&self->stream);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (ek_live_source_parent_class)->dispose (object);
}

static void
ek_live_source_finalize (GObject *object)
{
  EkLiveSource *self = EK_LIVE_SOURCE (object);

  g_clear_pointer (&self->opened, g_hash_table_unref);
  g_clear_pointer (&self->agents_json, json_array_unref);
  g_clear_pointer (&self->providers_json, json_object_unref);
  g_clear_pointer (&self->config_json, json_object_unref);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->read_only_reason, g_free);
  g_clear_object (&self->agents);
  g_clear_object (&self->models);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ek_live_source_parent_class)->finalize (object);
}

static void
ek_live_source_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EkLiveSource *self = EK_LIVE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SYNCED:
      g_value_set_boolean (value, ek_live_source_get_synced (self));
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_READ_ONLY_REASON:
      g_value_set_string (value, self->read_only_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_live_source_class_init (EkLiveSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ek_live_source_dispose;
  object_class->finalize = ek_live_source_finalize;
  object_class->get_property = ek_live_source_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EK_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * EkLiveSource:synced:
   *
   * Connected, and the store has caught up with the server.
   */
  properties[PROP_SYNCED] =
    g_param_spec_boolean ("synced", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_object_class_override_property (object_class, PROP_STORE, "store");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_DESCRIPTION, "description");
  g_object_class_override_property (object_class, PROP_READ_ONLY_REASON, "read-only-reason");
}

static void
ek_live_source_init (EkLiveSource *self)
{
  self->cancellable = g_cancellable_new ();
  self->store = ek_store_new ();
  self->agents = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->models = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  self->opened = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, opened_free);
  self->offline_after_ms = DEFAULT_OFFLINE_AFTER_MS;
  self->close_after_s = DEFAULT_CLOSE_AFTER_S;
  self->state = EK_SOURCE_STATE_CONNECTING;
}

/* ---- EkSource ---- */

static EkStore *
ek_live_source_get_store (EkSource *source)
{
  return EK_LIVE_SOURCE (source)->store;
}

static EkSourceState
ek_live_source_get_state (EkSource *source)
{
  return EK_LIVE_SOURCE (source)->state;
}

static const char *
ek_live_source_get_description (EkSource *source)
{
  return EK_LIVE_SOURCE (source)->description;
}

static const char *
ek_live_source_get_read_only_reason (EkSource *source)
{
  return EK_LIVE_SOURCE (source)->read_only_reason;
}

static GListModel *
ek_live_source_get_agents (EkSource *source)
{
  return G_LIST_MODEL (EK_LIVE_SOURCE (source)->agents);
}

static GListModel *
ek_live_source_get_models (EkSource *source)
{
  return G_LIST_MODEL (EK_LIVE_SOURCE (source)->models);
}

static GTask *
command_task (EkLiveSource        *self,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static void
on_prompt_sent (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message_id = ek_connection_send_prompt_finish (EK_CONNECTION (source), result, &error);

  if (message_id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
ek_live_source_send_prompt (EkSource            *source,
                            EkSession           *session,
                            const char          *text,
                            const char          *agent,
                            const char          *model,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  g_autofree char *provider_id = NULL;
  const char *model_id = NULL;
  const char *slash = model ? strchr (model, '/') : NULL;

  /* provider ids have no slash; model ids may */
  if (slash != NULL && slash != model && slash[1] != '\0')
    {
      provider_id = g_strndup (model, slash - model);
      model_id = slash + 1;
    }
  open_session (self, ek_session_get_id (session));
  ek_connection_send_prompt_async (self->connection, ek_session_get_id (session), text, agent,
                                   provider_id, model_id, cancellable, on_prompt_sent,
                                   command_task (self, cancellable, callback, user_data,
                                                 ek_source_send_prompt_async));
}

static void
on_aborted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (ek_client_abort_finish (EK_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
ek_live_source_abort (EkSource            *source,
                      EkSession           *session,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);

  ek_client_abort_async (self->client, ek_session_get_id (session), cancellable, on_aborted,
                         command_task (self, cancellable, callback, user_data, ek_source_abort_async));
}

static void
on_permission_replied (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (ek_client_reply_permission_finish (EK_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
ek_live_source_reply_permission (EkSource            *source,
                                 EkRequest           *request,
                                 EkPermissionReply    reply,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);

  ek_client_reply_permission_async (self->client, ek_request_get_id (request), reply, NULL,
                                    cancellable, on_permission_replied,
                                    command_task (self, cancellable, callback, user_data,
                                                  ek_source_reply_permission_async));
}

static void
on_question_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == ek_source_reply_question_async)
    ok = ek_client_reply_question_finish (EK_CLIENT (source), result, &error);
  else
    ok = ek_client_reject_question_finish (EK_CLIENT (source), result, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
ek_live_source_reply_question (EkSource            *source,
                               EkRequest           *request,
                               JsonArray           *answers,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  /* one array of labels per question */
  for (guint i = 0; i < json_array_get_length (answers); i++)
    {
      JsonNode *node = json_array_get_element (answers, i);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *chosen = json_node_get_array (node);

          for (guint j = 0; j < json_array_get_length (chosen); j++)
            {
              JsonNode *label = json_array_get_element (chosen, j);

              if (JSON_NODE_HOLDS_VALUE (label) && json_node_get_value_type (label) == G_TYPE_STRING)
                g_strv_builder_add (builder, json_node_get_string (label));
            }
        }
      g_ptr_array_add (labels, g_strv_builder_end (builder));
    }

  ek_client_reply_question_async (self->client, ek_request_get_id (request), labels,
                                  cancellable, on_question_done,
                                  command_task (self, cancellable, callback, user_data,
                                                ek_source_reply_question_async));
}

static void
ek_live_source_reject_question (EkSource            *source,
                                EkRequest           *request,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);

  ek_client_reject_question_async (self->client, ek_request_get_id (request),
                                   cancellable, on_question_done,
                                   command_task (self, cancellable, callback, user_data,
                                                 ek_source_reject_question_async));
}

/* A session the server answered with: into the store now, rather than
 * when its event arrives. */
static void
store_session (EkLiveSource *self,
               JsonObject   *info,
               guint64       mark)
{
  g_autoptr(JsonArray) array = json_array_new ();

  json_array_add_object_element (array, json_object_ref (info));
  ek_store_sync_sessions (self->store, array, mark, FALSE);
}

static void
on_session_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EkLiveSource *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(JsonObject) info = ek_client_create_session_finish (EK_CLIENT (source), result, &error);
  const char *id = info ? member_string (info, "id") : NULL;

  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (id == NULL)
    {
      g_task_return_new_error (task, EK_CLIENT_ERROR, EK_CLIENT_ERROR_PROTOCOL,
                               _("The server answered without a session id"));
      return;
    }
  store_session (self, info, GPOINTER_TO_SIZE (g_task_get_task_data (task)));
  g_task_return_pointer (task, g_strdup (id), g_free);
}

static void
ek_live_source_create_session (EkSource            *source,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  GTask *task = command_task (self, cancellable, callback, user_data, ek_source_create_session_async);

  g_task_set_task_data (task, GSIZE_TO_POINTER ((gsize) ek_store_get_mark (self->store)), NULL);
  ek_client_create_session_async (self->client, NULL, NULL, cancellable, on_session_created, task);
}

static void
on_session_renamed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  EkLiveSource *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(JsonObject) info = ek_client_rename_session_finish (EK_CLIENT (source), result, &error);

  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  store_session (self, info, GPOINTER_TO_SIZE (g_task_get_task_data (task)));
  g_task_return_boolean (task, TRUE);
}

static void
ek_live_source_rename_session (EkSource            *source,
                               EkSession           *session,
                               const char          *title,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  GTask *task = command_task (self, cancellable, callback, user_data, ek_source_rename_session_async);

  g_task_set_task_data (task, GSIZE_TO_POINTER ((gsize) ek_store_get_mark (self->store)), NULL);
  ek_client_rename_session_async (self->client, ek_session_get_id (session), title,
                                  cancellable, on_session_renamed, task);
}

static void
on_session_deleted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (ek_client_delete_session_finish (EK_CLIENT (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
ek_live_source_delete_session (EkSource            *source,
                               EkSession           *session,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);

  ek_client_delete_session_async (self->client, ek_session_get_id (session), cancellable,
                                  on_session_deleted,
                                  command_task (self, cancellable, callback, user_data,
                                                ek_source_delete_session_async));
}

static void load_older_now (GTask *task);

static gboolean
on_older_retry (gpointer user_data)
{
  load_older_now (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_older (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  EkLiveSource *self = g_task_get_source_object (task);
  Older *older = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean more = ek_connection_load_older_finish (EK_CONNECTION (source), result, &error);
  Opened *opened = g_hash_table_lookup (self->opened, older->session_id);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* The first page said there is more, but the connection has no cursor
   * yet: its own fetch of that page has not come back.  Ask again. */
  if (!more && opened != NULL && opened->has_older && opened->n_pages == 0 &&
      older->retries < OLDER_RETRIES)
    {
      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          return;
        }
      older->retries++;
      g_timeout_add (OLDER_RETRY_MS, on_older_retry, task);
      return;
    }

  if (opened != NULL)
    {
      opened->n_pages++;
      opened->has_older = more;
    }
  g_task_return_boolean (task, more);
  g_object_unref (task);
}

static void
load_older_now (GTask *task)
{
  EkLiveSource *self = g_task_get_source_object (task);
  Older *older = g_task_get_task_data (task);

  ek_connection_load_older_async (self->connection, older->session_id,
                                  g_task_get_cancellable (task), on_older, task);
}

static gboolean
drop_cancelled (gpointer user_data)
{
  GTask *task = user_data;
  EkLiveSource *self = g_task_get_source_object (task);
  Older *older = g_task_get_task_data (task);
  Opened *opened = g_hash_table_lookup (self->opened, older->session_id);

  if (opened != NULL && g_ptr_array_find (opened->waiting, task, NULL))
    {
      unwatch_waiting (task);
      g_task_return_error_if_cancelled (task);
      g_ptr_array_remove (opened->waiting, task);
    }
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
on_waiting_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  /* not from inside the handler: that would disconnect it */
  g_idle_add (drop_cancelled, g_object_ref (user_data));
}

static void
ek_live_source_load_older (EkSource            *source,
                           EkSession           *session,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  GTask *task = command_task (self, cancellable, callback, user_data, ek_source_load_older_async);
  Older *older = g_new0 (Older, 1);
  Opened *opened;

  older->session_id = g_strdup (ek_session_get_id (session));
  g_task_set_task_data (task, older, older_free);

  opened = g_hash_table_lookup (self->opened, older->session_id);
  if (opened == NULL)
    opened = open_session (self, older->session_id);

  if (!opened->loaded)
    {
      /* the newest page first; it answers this request */
      g_ptr_array_add (opened->waiting, task);
      if (cancellable != NULL)
        older->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_waiting_cancelled),
                                                  task, NULL);
      return;
    }
  if (!opened->has_older)
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }
  load_older_now (task);
}

static void
ek_live_source_open_session (EkSource  *source,
                             EkSession *session)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  Opened *opened = open_session (self, ek_session_get_id (session));

  opened->left_at = 0;
}

static void
ek_live_source_leave_session (EkSource  *source,
                              EkSession *session)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  Opened *opened = g_hash_table_lookup (self->opened, ek_session_get_id (session));

  if (opened != NULL)
    opened->left_at = g_get_monotonic_time ();
}

static gboolean
ek_live_source_is_session_loaded (EkSource  *source,
                                  EkSession *session)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);
  Opened *opened = g_hash_table_lookup (self->opened, ek_session_get_id (session));

  return opened != NULL && opened->loaded;
}

static void
ek_live_source_reconnect (EkSource *source)
{
  restart (EK_LIVE_SOURCE (source));
}

static void
ek_live_source_authenticate (EkSource   *source,
                             const char *password)
{
  EkLiveSource *self = EK_LIVE_SOURCE (source);

  ek_client_set_password (self->client, password);
  restart (self);
}

static void
ek_live_source_iface_init (EkSourceInterface *iface)
{
  iface->get_store = ek_live_source_get_store;
  iface->get_state = ek_live_source_get_state;
  iface->get_description = ek_live_source_get_description;
  iface->get_read_only_reason = ek_live_source_get_read_only_reason;
  iface->get_agents = ek_live_source_get_agents;
  iface->get_models = ek_live_source_get_models;
  iface->send_prompt = ek_live_source_send_prompt;
  iface->abort = ek_live_source_abort;
  iface->reply_permission = ek_live_source_reply_permission;
  iface->reply_question = ek_live_source_reply_question;
  iface->reject_question = ek_live_source_reject_question;
  iface->create_session = ek_live_source_create_session;
  iface->rename_session = ek_live_source_rename_session;
  iface->delete_session = ek_live_source_delete_session;
  iface->load_older = ek_live_source_load_older;
  iface->open_session = ek_live_source_open_session;
  iface->leave_session = ek_live_source_leave_session;
  iface->is_session_loaded = ek_live_source_is_session_loaded;
  iface->reconnect = ek_live_source_reconnect;
  iface->authenticate = ek_live_source_authenticate;
}

/* ---- public ---- */

/**
 * ek_live_source_new:
 * @client: the server, with its credentials
 * @directory: (nullable): the project directory, if not the client's
 *
 * Returns: (transfer full): a source that connects once started
 */
EkLiveSource *
ek_live_source_new (EkClient   *client,
                    const char *directory)
{
  EkLiveSource *self;

  g_return_val_if_fail (EK_IS_CLIENT (client), NULL);

  self = g_object_new (EK_TYPE_LIVE_SOURCE, NULL);
  self->client = g_object_ref (client);
  if (directory != NULL)
    ek_client_set_directory (client, directory);

  self->connection = ek_connection_new (client, self->store);
  ek_connection_set_history_limit (self->connection, EK_LIVE_SOURCE_HISTORY_LIMIT);
  self->stream = g_object_ref (ek_connection_get_stream (self->connection));
  g_signal_connect (self->connection, "notify::synced", G_CALLBACK (on_synced), self);
  g_signal_connect (self->stream, "notify::state", G_CALLBACK (on_stream_state), self);
  g_signal_connect (self->stream, "notify::last-error", G_CALLBACK (on_stream_error), self);

  self->running = FALSE;
  self->description = g_strdup_printf (_("Connecting to %s…"), server_name (self));
  self->read_only_reason = g_strdup (_("Connecting to the server…"));
  return self;
}

EkClient *
ek_live_source_get_client (EkLiveSource *self)
{
  g_return_val_if_fail (EK_IS_LIVE_SOURCE (self), NULL);
  return self->client;
}

EkConnection *
ek_live_source_get_connection (EkLiveSource *self)
{
  g_return_val_if_fail (EK_IS_LIVE_SOURCE (self), NULL);
  return self->connection;
}

/**
 * ek_live_source_start:
 *
 * Connects, and keeps connecting until stopped.
 */
void
ek_live_source_start (EkLiveSource *self)
{
  g_return_if_fail (EK_IS_LIVE_SOURCE (self));

  if (self->running)
    return;
  self->running = TRUE;
  if (self->close_timer_id == 0)
    self->close_timer_id = g_timeout_add_seconds (60, on_close_timer, self);
  ek_connection_start (self->connection);
  update_state (self);
}

void
ek_live_source_stop (EkLiveSource *self)
{
  g_return_if_fail (EK_IS_LIVE_SOURCE (self));

  self->running = FALSE;
  g_clear_handle_id (&self->close_timer_id, g_source_remove);
  ek_connection_stop (self->connection);
  /* what is under way is for nobody now */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  update_state (self);
}

gboolean
ek_live_source_get_synced (EkLiveSource *self)
{
  g_return_val_if_fail (EK_IS_LIVE_SOURCE (self), FALSE);
  return ek_connection_get_synced (self->connection);
}

/**
 * ek_live_source_set_offline_after:
 * @ms: how long a lost connection says “reconnecting” before it says
 *   “offline” (10 s by default)
 */
void
ek_live_source_set_offline_after (EkLiveSource *self,
                                  guint         ms)
{
  g_return_if_fail (EK_IS_LIVE_SOURCE (self));
  self->offline_after_ms = ms;
}

/**
 * ek_live_source_set_close_after:
 * @seconds: how long a session nobody looks at (and that is idle) keeps
 *   its history in sync; 0 for ever (10 minutes by default)
 */
void
ek_live_source_set_close_after (EkLiveSource *self,
                                guint         seconds)
{
  g_return_if_fail (EK_IS_LIVE_SOURCE (self));
  self->close_after_s = seconds;
}
