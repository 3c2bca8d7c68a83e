/* ek-welcome-page.h: the first page, before there is a server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_WELCOME_PAGE (ek_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (EkWelcomePage, ek_welcome_page, EK, WELCOME_PAGE, GtkWidget)

GtkWidget  *ek_welcome_page_new           (void);
const char *ek_welcome_page_get_url       (EkWelcomePage *self);
void        ek_welcome_page_set_url       (EkWelcomePage *self,
                                           const char    *url);
const char *ek_welcome_page_get_directory (EkWelcomePage *self);
void        ek_welcome_page_set_directory (EkWelcomePage *self,
                                           const char    *directory);
const char *ek_welcome_page_get_password  (EkWelcomePage *self);
void        ek_welcome_page_set_password  (EkWelcomePage *self,
                                           const char    *password);
void        ek_welcome_page_set_notice    (EkWelcomePage *self,
                                           const char    *notice);
const char *ek_welcome_page_get_notice    (EkWelcomePage *self);
void        ek_welcome_page_set_busy      (EkWelcomePage *self,
                                           gboolean       busy);
gboolean    ek_welcome_page_get_busy      (EkWelcomePage *self);
void        ek_welcome_page_focus_password (EkWelcomePage *self);

G_END_DECLS
