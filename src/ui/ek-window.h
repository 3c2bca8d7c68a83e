/* ek-window.h: the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ek-chat-view.h"
#include "ek-client.h"
#include "ek-composer.h"
#include "ek-permission-dock.h"
#include "ek-question-dock.h"
#include "ek-session-list.h"
#include "ek-source.h"
#include "ek-welcome-page.h"

G_BEGIN_DECLS

#define EK_TYPE_WINDOW (ek_window_get_type ())

G_DECLARE_FINAL_TYPE (EkWindow, ek_window, EK, WINDOW, AdwApplicationWindow)

EkWindow         *ek_window_new                   (GtkApplication *application);
EkSource         *ek_window_get_source            (EkWindow       *self);
void              ek_window_set_source            (EkWindow       *self,
                                                   EkSource       *source);
EkSession        *ek_window_get_session           (EkWindow       *self);
void              ek_window_set_preferred_session (EkWindow       *self,
                                                   const char     *session_id);
void              ek_window_show_welcome          (EkWindow       *self,
                                                   const char     *notice);
EkSource         *ek_window_open_server           (EkWindow       *self,
                                                   EkClient       *client,
                                                   const char     *password_env,
                                                   const char     *session_id);
GtkWidget        *ek_window_get_password_dialog   (EkWindow       *self);
void              ek_window_add_toast             (EkWindow       *self,
                                                   const char     *text);
gboolean          ek_window_is_settled            (EkWindow       *self);
void              ek_window_new_session           (EkWindow       *self);
gboolean          ek_window_can_create_session    (EkWindow       *self);
const char       *ek_window_get_banner_text       (EkWindow       *self);

EkSessionList    *ek_window_get_session_list      (EkWindow       *self);
EkChatView       *ek_window_get_chat_view         (EkWindow       *self);
EkComposer       *ek_window_get_composer          (EkWindow       *self);
EkPermissionDock *ek_window_get_permission_dock   (EkWindow       *self);
EkQuestionDock   *ek_window_get_question_dock     (EkWindow       *self);
EkWelcomePage    *ek_window_get_welcome_page      (EkWindow       *self);
const char       *ek_window_get_visible_page      (EkWindow       *self);

G_END_DECLS
