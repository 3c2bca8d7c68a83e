/* ek-session-row.c: one session in the sidebar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Title, when it was last active (“2 min ago”, refreshed by the list every
 * minute) and a spinner while the agent works in it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-session-row.h"
#include "ek-ui-util.h"

struct _EkSessionRow
{
  GtkWidget       parent_instance;

  EkSession      *session;
  gulong          title_id;
  gulong          status_id;
  gulong          updated_id;

  GtkWidget      *box;
  GtkInscription *title_label;
  GtkLabel       *time_label;
  GtkSpinner     *spinner;
};

G_DEFINE_FINAL_TYPE (EkSessionRow, ek_session_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_title (EkSessionRow *self)
{
  const char *title = ek_session_display_title (self->session);

  gtk_inscription_set_text (self->title_label, self->session ? title : NULL);
  ek_widget_set_tooltip (GTK_WIDGET (self->title_label), self->session ? title : NULL);
}

static void
update_status (EkSessionRow *self)
{
  gboolean busy = self->session != NULL &&
                  ek_session_get_status (self->session) != EK_SESSION_STATUS_IDLE;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

/**
 * ek_session_row_refresh_time:
 * @now: (nullable): the time to count from (default: now)
 */
void
ek_session_row_refresh_time (EkSessionRow *self,
                             GDateTime    *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (EK_IS_SESSION_ROW (self));

  if (self->session == NULL)
    {
      gtk_label_set_label (self->time_label, NULL);
      return;
    }
  local_now = now ? g_date_time_ref (now) : g_date_time_new_now_local ();
  text = ek_format_relative_time (ek_session_get_time_updated (self->session), local_now);
  gtk_label_set_label (self->time_label, text);
}

static void
on_title_changed (EkSession    *session,
                  GParamSpec   *pspec,
                  EkSessionRow *self)
{
  update_title (self);
}

static void
on_status_changed (EkSession    *session,
                   GParamSpec   *pspec,
                   EkSessionRow *self)
{
  update_status (self);
}

static void
on_updated_changed (EkSession    *session,
                    GParamSpec   *pspec,
                    EkSessionRow *self)
{
  ek_session_row_refresh_time (self, NULL);
}

static void
disconnect_session (EkSessionRow *self)
{
  if (self->session == NULL)
    return;
  g_clear_signal_handler (&self->title_id, self->session);
  g_clear_signal_handler (&self->status_id, self->session);
  g_clear_signal_handler (&self->updated_id, self->session);
  g_clear_object (&self->session);
}

static void
ek_session_row_dispose (GObject *object)
{
  EkSessionRow *self = EK_SESSION_ROW (object);

  disconnect_session (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_SESSION_ROW);

  G_OBJECT_CLASS (ek_session_row_parent_class)->dispose (object);
}

static void
ek_session_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  EkSessionRow *self = EK_SESSION_ROW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_session_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  EkSessionRow *self = EK_SESSION_ROW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      ek_session_row_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_session_row_class_init (EkSessionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_session_row_dispose;
  object_class->get_property = ek_session_row_get_property;
  object_class->set_property = ek_session_row_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-session-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EkSessionRow, box);
  gtk_widget_class_bind_template_child (widget_class, EkSessionRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, EkSessionRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, EkSessionRow, spinner);
}

static void
ek_session_row_init (EkSessionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ek_session_row_new (void)
{
  return g_object_new (EK_TYPE_SESSION_ROW, NULL);
}

EkSession *
ek_session_row_get_session (EkSessionRow *self)
{
  g_return_val_if_fail (EK_IS_SESSION_ROW (self), NULL);
  return self->session;
}

void
ek_session_row_set_session (EkSessionRow *self,
                            EkSession    *session)
{
  g_return_if_fail (EK_IS_SESSION_ROW (self));
  g_return_if_fail (session == NULL || EK_IS_SESSION (session));

  if (self->session == session)
    return;

  disconnect_session (self);
  if (session != NULL)
    {
      self->session = g_object_ref (session);
      self->title_id = g_signal_connect (session, "notify::title", G_CALLBACK (on_title_changed), self);
      self->status_id = g_signal_connect (session, "notify::status", G_CALLBACK (on_status_changed), self);
      self->updated_id = g_signal_connect (session, "notify::time-updated", G_CALLBACK (on_updated_changed), self);
    }
  update_title (self);
  update_status (self);
  ek_session_row_refresh_time (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const char *
ek_session_row_get_title (EkSessionRow *self)
{
  g_return_val_if_fail (EK_IS_SESSION_ROW (self), NULL);
  return gtk_inscription_get_text (self->title_label);
}

const char *
ek_session_row_get_time_text (EkSessionRow *self)
{
  g_return_val_if_fail (EK_IS_SESSION_ROW (self), NULL);
  return gtk_label_get_label (self->time_label);
}

gboolean
ek_session_row_get_busy (EkSessionRow *self)
{
  g_return_val_if_fail (EK_IS_SESSION_ROW (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->spinner));
}
