/* ek-session.h: one session, its messages and what is pending in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ek-message.h"
#include "ek-request.h"

G_BEGIN_DECLS

typedef enum
{
  EK_SESSION_STATUS_IDLE,
  EK_SESSION_STATUS_BUSY,
  EK_SESSION_STATUS_RETRY,
} EkSessionStatus;

#define EK_TYPE_SESSION_STATUS (ek_session_status_get_type ())
GType ek_session_status_get_type (void) G_GNUC_CONST;

#define EK_TYPE_SESSION (ek_session_get_type ())

G_DECLARE_FINAL_TYPE (EkSession, ek_session, EK, SESSION, GObject)

const char      *ek_session_get_id            (EkSession  *self);
const char      *ek_session_get_title         (EkSession  *self);
const char      *ek_session_get_parent_id     (EkSession  *self);
const char      *ek_session_get_directory     (EkSession  *self);
gint64           ek_session_get_time_created  (EkSession  *self);
gint64           ek_session_get_time_updated  (EkSession  *self);
gboolean         ek_session_get_archived      (EkSession  *self);
JsonObject      *ek_session_get_data          (EkSession  *self);
EkSessionStatus  ek_session_get_status        (EkSession  *self);
JsonObject      *ek_session_get_status_data   (EkSession  *self);
JsonObject      *ek_session_get_error         (EkSession  *self);
JsonArray       *ek_session_get_diff          (EkSession  *self);
JsonArray       *ek_session_get_todos         (EkSession  *self);
GListModel      *ek_session_get_messages      (EkSession  *self);
GListModel      *ek_session_get_permissions   (EkSession  *self);
GListModel      *ek_session_get_questions     (EkSession  *self);
EkMessage       *ek_session_lookup_message    (EkSession  *self,
                                               const char *message_id);
JsonNode        *ek_session_to_json           (EkSession  *self);

G_END_DECLS
