/* ek-session-list.c: the sidebar of sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's sessions, without subagent (child) and archived ones, most
 * recently active first.  The filter and sorter are custom ones, so they
 * are told to run again when a session's info or time changes.  The
 * selected session is the list's “session” property; it survives
 * re-sorting, and a preferred id (the last session, `--session`) is
 * selected when it shows up.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-session-list.h"
#include "ek-session-row.h"

struct _EkSessionList
{
  GtkWidget           parent_instance;

  EkStore            *store;
  EkSession          *session;
  char               *preferred_id;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkSingleSelection *selection;
  GtkCustomFilter    *filter;
  GtkCustomSorter    *sorter;
  GHashTable         *rows;          /* EkSessionRow set, the bound ones */
  guint               resort_id;
  guint               clock_id;
  guint               selecting : 1;

  GtkStack           *stack;
  GtkListView        *list_view;
  GtkSignalListItemFactory *factory;
};

G_DEFINE_FINAL_TYPE (EkSessionList, ek_session_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark watched_quark;

static gboolean
filter_session (gpointer item,
                gpointer user_data)
{
  EkSession *session = item;

  return ek_session_get_data (session) != NULL &&
         ek_session_get_parent_id (session) == NULL &&
         !ek_session_get_archived (session);
}

static int
compare_sessions (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  gint64 ta = ek_session_get_time_updated ((EkSession *) a);
  gint64 tb = ek_session_get_time_updated ((EkSession *) b);

  if (ta != tb)
    return ta > tb ? -1 : 1;
  /* session ids descend with time: the newer one first */
  return g_strcmp0 (ek_session_get_id ((EkSession *) a), ek_session_get_id ((EkSession *) b));
}

static gboolean
resort_cb (gpointer user_data)
{
  EkSessionList *self = user_data;

  self->resort_id = 0;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
  return G_SOURCE_REMOVE;
}

static void
on_session_changed (EkSession     *session,
                    GParamSpec    *pspec,
                    EkSessionList *self)
{
  if (self->resort_id == 0)
    self->resort_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, resort_cb, self, NULL);
}

static void
watch_sessions (EkSessionList *self,
                guint          position,
                guint          n)
{
  GListModel *sessions = ek_store_get_sessions (self->store);

  for (guint i = position; i < position + n; i++)
    {
      g_autoptr(EkSession) session = g_list_model_get_item (sessions, i);

      if (g_object_get_qdata (G_OBJECT (session), watched_quark) == self)
        continue;
      g_object_set_qdata (G_OBJECT (session), watched_quark, self);
      g_signal_connect_object (session, "notify::data", G_CALLBACK (on_session_changed), self, 0);
    }
}

static void
on_store_items_changed (GListModel    *model,
                        guint          position,
                        guint          removed,
                        guint          added,
                        EkSessionList *self)
{
  watch_sessions (self, position, added);
  if (added > 0)
    on_session_changed (NULL, NULL, self);
}

static gboolean
find_session (EkSessionList *self,
              EkSession     *session,
              guint         *position)
{
  GListModel *model = G_LIST_MODEL (self->sort_model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkSession) item = g_list_model_get_item (model, i);

      if (item == session)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
select_position (EkSessionList *self,
                 guint          position)
{
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
}

static void
set_session_internal (EkSessionList *self,
                      EkSession     *session)
{
  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/* Keeps the selection on self->session, or picks one when there is none:
 * the preferred id if it is there, else the newest session. */
static void
sync_selection (EkSessionList *self)
{
  GListModel *model = G_LIST_MODEL (self->sort_model);
  guint n = g_list_model_get_n_items (model);
  guint position;

  /* the list shows at once: a cross-fade repaints the whole sidebar every
   * frame (40 to 90 ms for the first one with the cairo renderer), just
   * when the chat's first layout is due */
  gtk_stack_set_visible_child_full (self->stack, n > 0 ? "list" : "empty",
                                    n > 0 ? GTK_STACK_TRANSITION_TYPE_NONE
                                          : GTK_STACK_TRANSITION_TYPE_CROSSFADE);

  if (self->preferred_id != NULL && self->store != NULL)
    {
      EkSession *preferred = ek_store_lookup_session (self->store, self->preferred_id);

      if (preferred != NULL && find_session (self, preferred, &position))
        {
          g_clear_pointer (&self->preferred_id, g_free);
          select_position (self, position);
          set_session_internal (self, preferred);
          return;
        }
    }

  if (self->session != NULL && find_session (self, self->session, &position))
    {
      if (gtk_single_selection_get_selected (self->selection) != position)
        select_position (self, position);
      return;
    }

  if (self->session != NULL)
    set_session_internal (self, NULL);

  if (n > 0 && self->preferred_id == NULL)
    {
      g_autoptr(EkSession) first = g_list_model_get_item (model, 0);

      select_position (self, 0);
      set_session_internal (self, first);
    }
}

static void
on_selection_changed (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      EkSessionList      *self)
{
  EkSession *selected = gtk_single_selection_get_selected_item (selection);

  if (self->selecting)
    return;
  if (selected == NULL)
    {
      /* the model moved under the selection: put it back */
      sync_selection (self);
      return;
    }
  /* the same session at another place (a re-sort): not the user's pick,
   * so a preferred session still waiting keeps waiting */
  if (selected == (gpointer) self->session)
    return;
  g_clear_pointer (&self->preferred_id, g_free);
  set_session_internal (self, selected);
}

static void
on_model_items_changed (GListModel    *model,
                        guint          position,
                        guint          removed,
                        guint          added,
                        EkSessionList *self)
{
  sync_selection (self);
}

/* A row can go without a teardown (its list item destroyed with the
 * list view): it leaves the set as it is finalized. */
static void
forget_row (gpointer  data,
            GObject  *where_the_row_was)
{
  EkSessionList *self = data;

  g_hash_table_remove (self->rows, where_the_row_was);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           EkSessionList            *self)
{
  GtkWidget *row = ek_session_row_new ();

  gtk_list_item_set_child (item, row);
  g_object_bind_property (item, "item", row, "session", G_BINDING_SYNC_CREATE);
  g_hash_table_add (self->rows, row);
  g_object_weak_ref (G_OBJECT (row), forget_row, self);
}

static void
teardown_row (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              EkSessionList            *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  if (row != NULL && g_hash_table_remove (self->rows, row))
    g_object_weak_unref (G_OBJECT (row), forget_row, self);
}

static gboolean
clock_cb (gpointer user_data)
{
  ek_session_list_refresh_times (EK_SESSION_LIST (user_data));
  return G_SOURCE_CONTINUE;
}

static void
ek_session_list_map (GtkWidget *widget)
{
  EkSessionList *self = EK_SESSION_LIST (widget);

  GTK_WIDGET_CLASS (ek_session_list_parent_class)->map (widget);

  ek_session_list_refresh_times (self);
  if (self->clock_id == 0)
    self->clock_id = g_timeout_add_seconds (60, clock_cb, self);
}

static void
ek_session_list_unmap (GtkWidget *widget)
{
  EkSessionList *self = EK_SESSION_LIST (widget);

  g_clear_handle_id (&self->clock_id, g_source_remove);

  GTK_WIDGET_CLASS (ek_session_list_parent_class)->unmap (widget);
}

static void
ek_session_list_dispose (GObject *object)
{
  EkSessionList *self = EK_SESSION_LIST (object);

  g_clear_handle_id (&self->resort_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (ek_store_get_sessions (self->store), self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->sort_model != NULL)
    g_signal_handlers_disconnect_by_data (self->sort_model, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_SESSION_LIST);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ek_session_list_parent_class)->dispose (object);
}

static void
ek_session_list_finalize (GObject *object)
{
  EkSessionList *self = EK_SESSION_LIST (object);
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    g_object_weak_unref (row, forget_row, self);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->preferred_id, g_free);

  G_OBJECT_CLASS (ek_session_list_parent_class)->finalize (object);
}

static void
ek_session_list_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  EkSessionList *self = EK_SESSION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_session_list_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  EkSessionList *self = EK_SESSION_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      ek_session_list_set_store (self, g_value_get_object (value));
      break;
    case PROP_SESSION:
      ek_session_list_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_session_list_class_init (EkSessionListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_session_list_dispose;
  object_class->finalize = ek_session_list_finalize;
  object_class->get_property = ek_session_list_get_property;
  object_class->set_property = ek_session_list_set_property;

  widget_class->map = ek_session_list_map;
  widget_class->unmap = ek_session_list_unmap;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, EK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkSessionList:session:
   *
   * The selected session.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-session-list.ui");
  gtk_widget_class_bind_template_child (widget_class, EkSessionList, stack);
  gtk_widget_class_bind_template_child (widget_class, EkSessionList, list_view);
  gtk_widget_class_bind_template_child (widget_class, EkSessionList, factory);

  watched_quark = g_quark_from_static_string ("ek-session-list-watched");
}

static void
ek_session_list_init (EkSessionList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_hash_table_new (NULL, NULL);
  self->filter = gtk_custom_filter_new (filter_session, NULL, NULL);
  self->sorter = gtk_custom_sorter_new (compare_sessions, NULL, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              g_object_ref (GTK_SORTER (self->sorter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect (self->factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (self->factory, "teardown", G_CALLBACK (teardown_row), self);
  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_after (self->sort_model, "items-changed", G_CALLBACK (on_model_items_changed), self);

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
ek_session_list_new (void)
{
  return g_object_new (EK_TYPE_SESSION_LIST, NULL);
}

EkStore *
ek_session_list_get_store (EkSessionList *self)
{
  g_return_val_if_fail (EK_IS_SESSION_LIST (self), NULL);
  return self->store;
}

void
ek_session_list_set_store (EkSessionList *self,
                           EkStore       *store)
{
  GListModel *sessions;

  g_return_if_fail (EK_IS_SESSION_LIST (self));
  g_return_if_fail (store == NULL || EK_IS_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (ek_store_get_sessions (self->store), self);
  g_set_object (&self->store, store);
  set_session_internal (self, NULL);

  sessions = store ? ek_store_get_sessions (store) : NULL;
  if (sessions != NULL)
    {
      watch_sessions (self, 0, g_list_model_get_n_items (sessions));
      g_signal_connect (sessions, "items-changed", G_CALLBACK (on_store_items_changed), self);
    }
  gtk_filter_list_model_set_model (self->filter_model, sessions);
  sync_selection (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

EkSession *
ek_session_list_get_session (EkSessionList *self)
{
  g_return_val_if_fail (EK_IS_SESSION_LIST (self), NULL);
  return self->session;
}

void
ek_session_list_set_session (EkSessionList *self,
                             EkSession     *session)
{
  guint position;

  g_return_if_fail (EK_IS_SESSION_LIST (self));
  g_return_if_fail (session == NULL || EK_IS_SESSION (session));

  if (session == NULL)
    {
      select_position (self, GTK_INVALID_LIST_POSITION);
      set_session_internal (self, NULL);
      return;
    }
  if (!find_session (self, session, &position))
    return;
  select_position (self, position);
  set_session_internal (self, session);
}

/**
 * ek_session_list_set_preferred_id:
 *
 * Selects the session with this id when it appears (instead of the
 * newest one), unless the user picks another first.
 */
void
ek_session_list_set_preferred_id (EkSessionList *self,
                                  const char    *session_id)
{
  g_return_if_fail (EK_IS_SESSION_LIST (self));

  g_free (self->preferred_id);
  self->preferred_id = g_strdup (session_id && *session_id ? session_id : NULL);
  sync_selection (self);
}

/**
 * ek_session_list_get_model:
 *
 * Returns: (transfer none): the sessions shown, in order
 */
GListModel *
ek_session_list_get_model (EkSessionList *self)
{
  g_return_val_if_fail (EK_IS_SESSION_LIST (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}

GtkListView *
ek_session_list_get_list_view (EkSessionList *self)
{
  g_return_val_if_fail (EK_IS_SESSION_LIST (self), NULL);
  return self->list_view;
}

void
ek_session_list_refresh_times (EkSessionList *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GHashTableIter iter;
  gpointer row;

  g_return_if_fail (EK_IS_SESSION_LIST (self));

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    ek_session_row_refresh_time (row, now);
}
