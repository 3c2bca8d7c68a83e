/* ek-pending-requests.c: the permissions or questions pending in a session
 * and the subagent sessions under it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A subagent asks through its own (child) session, but the user is looking
 * at the parent: the docks show the requests of the whole tree.  The model
 * flattens the request lists of the session and its descendants; the set
 * of sessions is collected again (from an idle, once a batch is applied)
 * when the store's sessions change.
 */

#include "config.h"

#include <gtk/gtk.h>

#include "ek-pending-requests.h"

#define MAX_DEPTH 16

struct _EkPendingRequests
{
  GObject             parent_instance;

  EkRequestKind       kind;
  EkStore            *store;
  EkSession          *session;
  GListStore         *lists;     /* GListModel of EkRequest, one per session */
  GtkFlattenListModel *flat;
  guint               refresh_id;
};

G_DEFINE_FINAL_TYPE (EkPendingRequests, ek_pending_requests, G_TYPE_OBJECT)

static gboolean
descends_from (EkStore    *store,
               EkSession  *session,
               const char *ancestor_id)
{
  const char *parent_id = ek_session_get_parent_id (session);

  for (guint depth = 0; parent_id != NULL && depth < MAX_DEPTH; depth++)
    {
      EkSession *parent;

      if (g_strcmp0 (parent_id, ancestor_id) == 0)
        return TRUE;
      parent = ek_store_lookup_session (store, parent_id);
      if (parent == NULL)
        return FALSE;
      parent_id = ek_session_get_parent_id (parent);
    }
  return FALSE;
}

static GListModel *
requests_of (EkPendingRequests *self,
             EkSession         *session)
{
  return self->kind == EK_REQUEST_PERMISSION ? ek_session_get_permissions (session)
                                             : ek_session_get_questions (session);
}

/**
 * ek_pending_requests_refresh:
 *
 * Collects the session tree again now.
 */
void
ek_pending_requests_refresh (EkPendingRequests *self)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new ();
  guint n_current;
  gboolean same;

  g_return_if_fail (EK_IS_PENDING_REQUESTS (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  if (self->session != NULL)
    {
      g_ptr_array_add (wanted, requests_of (self, self->session));
      if (self->store != NULL)
        {
          GListModel *sessions = ek_store_get_sessions (self->store);
          guint n = g_list_model_get_n_items (sessions);

          for (guint i = 0; i < n; i++)
            {
              g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);

              if (session != self->session &&
                  descends_from (self->store, session, ek_session_get_id (self->session)))
                g_ptr_array_add (wanted, requests_of (self, session));
            }
        }
    }

  n_current = g_list_model_get_n_items (G_LIST_MODEL (self->lists));
  same = n_current == wanted->len;
  for (guint i = 0; same && i < n_current; i++)
    {
      g_autoptr(GListModel) current = g_list_model_get_item (G_LIST_MODEL (self->lists), i);

      same = current == g_ptr_array_index (wanted, i);
    }
  if (same)
    return;

  g_list_store_splice (self->lists, 0, n_current, wanted->pdata, wanted->len);
}

static gboolean
refresh_cb (gpointer user_data)
{
  EkPendingRequests *self = user_data;

  self->refresh_id = 0;
  ek_pending_requests_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_sessions_changed (GListModel        *sessions,
                     guint              position,
                     guint              removed,
                     guint              added,
                     EkPendingRequests *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_cb, self, NULL);
}

static void
ek_pending_requests_dispose (GObject *object)
{
  EkPendingRequests *self = EK_PENDING_REQUESTS (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (ek_store_get_sessions (self->store), self);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_object (&self->flat);
  g_clear_object (&self->lists);

  G_OBJECT_CLASS (ek_pending_requests_parent_class)->dispose (object);
}

static void
ek_pending_requests_class_init (EkPendingRequestsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ek_pending_requests_dispose;
}

static void
ek_pending_requests_init (EkPendingRequests *self)
{
  self->lists = g_list_store_new (G_TYPE_LIST_MODEL);
  self->flat = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->lists)));
}

EkPendingRequests *
ek_pending_requests_new (EkRequestKind kind)
{
  EkPendingRequests *self = g_object_new (EK_TYPE_PENDING_REQUESTS, NULL);

  self->kind = kind;
  return self;
}

void
ek_pending_requests_set_store (EkPendingRequests *self,
                               EkStore           *store)
{
  g_return_if_fail (EK_IS_PENDING_REQUESTS (self));
  g_return_if_fail (store == NULL || EK_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (ek_store_get_sessions (self->store), self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect (ek_store_get_sessions (store), "items-changed",
                      G_CALLBACK (on_sessions_changed), self);
  ek_pending_requests_refresh (self);
}

void
ek_pending_requests_set_session (EkPendingRequests *self,
                                 EkSession         *session)
{
  g_return_if_fail (EK_IS_PENDING_REQUESTS (self));
  g_return_if_fail (session == NULL || EK_IS_SESSION (session));

  if (g_set_object (&self->session, session))
    ek_pending_requests_refresh (self);
}

EkSession *
ek_pending_requests_get_session (EkPendingRequests *self)
{
  g_return_val_if_fail (EK_IS_PENDING_REQUESTS (self), NULL);
  return self->session;
}

/**
 * ek_pending_requests_get_model:
 *
 * Returns: (transfer none): the #EkRequest objects pending in the tree,
 *   the session's own first
 */
GListModel *
ek_pending_requests_get_model (EkPendingRequests *self)
{
  g_return_val_if_fail (EK_IS_PENDING_REQUESTS (self), NULL);
  return G_LIST_MODEL (self->flat);
}

/**
 * ek_pending_requests_lookup:
 *
 * Returns: (transfer none) (nullable): the pending request with this id
 */
EkRequest *
ek_pending_requests_lookup (EkPendingRequests *self,
                            const char        *request_id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (EK_IS_PENDING_REQUESTS (self), NULL);

  model = G_LIST_MODEL (self->flat);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkRequest) request = g_list_model_get_item (model, i);

      if (g_strcmp0 (ek_request_get_id (request), request_id) == 0)
        return request; /* the session's list keeps it alive */
    }
  return NULL;
}
