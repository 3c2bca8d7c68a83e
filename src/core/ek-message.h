/* ek-message.h: one message of a session, with its parts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ek-part.h"

G_BEGIN_DECLS

#define EK_TYPE_MESSAGE (ek_message_get_type ())

G_DECLARE_FINAL_TYPE (EkMessage, ek_message, EK, MESSAGE, GObject)

const char *ek_message_get_id             (EkMessage  *self);
const char *ek_message_get_session_id     (EkMessage  *self);
const char *ek_message_get_role           (EkMessage  *self);
const char *ek_message_get_parent_id      (EkMessage  *self);
gint64      ek_message_get_time_created   (EkMessage  *self);
gint64      ek_message_get_time_completed (EkMessage  *self);
JsonObject *ek_message_get_data           (EkMessage  *self);
JsonObject *ek_message_get_error          (EkMessage  *self);
GListModel *ek_message_get_parts          (EkMessage  *self);
EkPart     *ek_message_lookup_part        (EkMessage  *self,
                                           const char *part_id);
JsonNode   *ek_message_to_json            (EkMessage  *self);

int         ek_message_compare            (gconstpointer a,
                                           gconstpointer b,
                                           gpointer      user_data);

G_END_DECLS
