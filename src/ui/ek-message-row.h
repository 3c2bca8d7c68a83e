/* ek-message-row.h: one message in the chat, a box of part widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-message.h"
#include "ek-stream-clock.h"

G_BEGIN_DECLS

#define EK_TYPE_MESSAGE_ROW (ek_message_row_get_type ())

G_DECLARE_FINAL_TYPE (EkMessageRow, ek_message_row, EK, MESSAGE_ROW, GtkWidget)

GtkWidget  *ek_message_row_new               (void);
EkMessage  *ek_message_row_get_message       (EkMessageRow *self);
void        ek_message_row_set_message       (EkMessageRow *self,
                                              EkMessage    *message);
gboolean    ek_message_row_get_show_header   (EkMessageRow *self);
void        ek_message_row_set_show_header   (EkMessageRow *self,
                                              gboolean      show_header);
guint       ek_message_row_get_n_part_widgets (EkMessageRow *self);
GtkWidget  *ek_message_row_get_part_widget   (EkMessageRow *self,
                                              guint         position);
const char *ek_message_row_get_error_text    (EkMessageRow *self);
/* The conversation's clock, handed to the part widgets (NULL: the local
 * clock); the row notes its message's times in it. */
void        ek_message_row_set_clock         (EkMessageRow  *self,
                                              EkStreamClock *clock);

G_END_DECLS
