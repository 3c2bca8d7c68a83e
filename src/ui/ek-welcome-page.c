/* ek-welcome-page.c: the first page, before there is a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Server URL, project folder and password, Connect (the ::connect signal;
 * the window connects, and marks the page busy meanwhile), and “Try the
 * Demo” (app.demo).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ek-welcome-page.h"

struct _EkWelcomePage
{
  GtkWidget  parent_instance;

  GtkWidget *status_page;
  GtkWidget *url_row;
  GtkWidget *directory_row;
  GtkWidget *password_row;
  GtkLabel  *notice_label;
  GtkWidget *connect_button;
  GtkWidget *spinner;
  gboolean   busy;
};

G_DEFINE_FINAL_TYPE (EkWelcomePage, ek_welcome_page, GTK_TYPE_WIDGET)

enum {
  CONNECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (EkWelcomePage *self)
{
  g_autofree char *url = g_strstrip (g_strdup (ek_welcome_page_get_url (self)));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "welcome.connect", *url != '\0' && !self->busy);
}

static void
on_url_changed (GtkEditable   *editable,
                EkWelcomePage *self)
{
  update_actions (self);
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[CONNECT], 0);
}

static void
ek_welcome_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), EK_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (ek_welcome_page_parent_class)->dispose (object);
}

static void
ek_welcome_page_class_init (EkWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_welcome_page_dispose;

  /**
   * EkWelcomePage::connect:
   *
   * The user asked to connect to the server entered.
   */
  signals[CONNECT] =
    g_signal_new ("connect",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EkWelcomePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, EkWelcomePage, url_row);
  gtk_widget_class_bind_template_child (widget_class, EkWelcomePage, directory_row);
  gtk_widget_class_bind_template_child (widget_class, EkWelcomePage, password_row);
  gtk_widget_class_bind_template_child (widget_class, EkWelcomePage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, EkWelcomePage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, EkWelcomePage, spinner);

  gtk_widget_class_install_action (widget_class, "welcome.connect", NULL, connect_action);
}

static void
ek_welcome_page_init (EkWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (self->url_row, "changed", G_CALLBACK (on_url_changed), self);
  update_actions (self);
}

GtkWidget *
ek_welcome_page_new (void)
{
  return g_object_new (EK_TYPE_WELCOME_PAGE, NULL);
}

const char *
ek_welcome_page_get_url (EkWelcomePage *self)
{
  g_return_val_if_fail (EK_IS_WELCOME_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->url_row));
}

void
ek_welcome_page_set_url (EkWelcomePage *self,
                         const char    *url)
{
  g_return_if_fail (EK_IS_WELCOME_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
}

const char *
ek_welcome_page_get_directory (EkWelcomePage *self)
{
  g_return_val_if_fail (EK_IS_WELCOME_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->directory_row));
}

void
ek_welcome_page_set_directory (EkWelcomePage *self,
                               const char    *directory)
{
  g_return_if_fail (EK_IS_WELCOME_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->directory_row), directory ? directory : "");
}

/**
 * ek_welcome_page_get_password:
 *
 * The password typed, kept only in memory (settings hold at most the name
 * of an environment variable).
 */
const char *
ek_welcome_page_get_password (EkWelcomePage *self)
{
  g_return_val_if_fail (EK_IS_WELCOME_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}

/**
 * ek_welcome_page_set_notice:
 *
 * A line under the entries (%NULL hides it).
 */
void
ek_welcome_page_set_notice (EkWelcomePage *self,
                            const char    *notice)
{
  g_return_if_fail (EK_IS_WELCOME_PAGE (self));

  gtk_label_set_label (self->notice_label, notice);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), notice != NULL && *notice != '\0');
}

/**
 * ek_welcome_page_set_busy:
 *
 * While a connection is being tried: the entries and Connect are
 * insensitive and a spinner turns.
 */
void
ek_welcome_page_set_busy (EkWelcomePage *self,
                          gboolean       busy)
{
  g_return_if_fail (EK_IS_WELCOME_PAGE (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_set_sensitive (self->url_row, !busy);
  gtk_widget_set_sensitive (self->directory_row, !busy);
  gtk_widget_set_sensitive (self->password_row, !busy);
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  update_actions (self);
}

gboolean
ek_welcome_page_get_busy (EkWelcomePage *self)
{
  g_return_val_if_fail (EK_IS_WELCOME_PAGE (self), FALSE);
  return self->busy;
}

/**
 * ek_welcome_page_focus_password:
 *
 * Puts the focus in the password entry (the server wants one).
 */
void
ek_welcome_page_focus_password (EkWelcomePage *self)
{
  g_return_if_fail (EK_IS_WELCOME_PAGE (self));
  gtk_widget_grab_focus (self->password_row);
}

/**
 * ek_welcome_page_set_password:
 *
 * For tests; the password is kept in memory only.
 */
void
ek_welcome_page_set_password (EkWelcomePage *self,
                              const char    *password)
{
  g_return_if_fail (EK_IS_WELCOME_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
}

const char *
ek_welcome_page_get_notice (EkWelcomePage *self)
{
  g_return_val_if_fail (EK_IS_WELCOME_PAGE (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->notice_label)))
    return NULL;
  return gtk_label_get_label (self->notice_label);
}
