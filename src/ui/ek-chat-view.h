/* ek-chat-view.h: a session's messages, as a list that follows the end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-session.h"
#include "ek-source.h"
#include "ek-sticky-scroll.h"
#include "ek-stream-clock.h"

G_BEGIN_DECLS

#define EK_TYPE_CHAT_VIEW (ek_chat_view_get_type ())

G_DECLARE_FINAL_TYPE (EkChatView, ek_chat_view, EK, CHAT_VIEW, GtkWidget)

GtkWidget      *ek_chat_view_new               (void);
EkSession      *ek_chat_view_get_session       (EkChatView *self);
void            ek_chat_view_set_session       (EkChatView *self,
                                                EkSession  *session);
EkSource       *ek_chat_view_get_source        (EkChatView *self);
void            ek_chat_view_set_source        (EkChatView *self,
                                                EkSource   *source);
const char     *ek_chat_view_get_page          (EkChatView *self);
GtkListView    *ek_chat_view_get_list_view     (EkChatView *self);
EkStickyScroll *ek_chat_view_get_sticky_scroll (EkChatView *self);
GtkAdjustment  *ek_chat_view_get_vadjustment   (EkChatView *self);
GPtrArray      *ek_chat_view_get_rows          (EkChatView *self);
EkStreamClock  *ek_chat_view_get_clock         (EkChatView *self);

G_END_DECLS
