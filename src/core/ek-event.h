/* ek-event.h: one decoded server event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EK_EVENT_ERROR (ek_event_error_quark ())

typedef enum
{
  EK_EVENT_ERROR_SYNTAX,     /* not JSON at all, or truncated */
  EK_EVENT_ERROR_ENVELOPE,   /* JSON, but not {type, properties} */
  EK_EVENT_ERROR_PROPERTIES, /* a known type whose properties lack what it needs */
} EkEventError;

GQuark ek_event_error_quark (void);

typedef enum
{
  EK_EVENT_UNKNOWN,
  EK_EVENT_SERVER_CONNECTED,
  EK_EVENT_SERVER_HEARTBEAT,
  EK_EVENT_SERVER_INSTANCE_DISPOSED,
  EK_EVENT_SESSION_CREATED,
  EK_EVENT_SESSION_UPDATED,
  EK_EVENT_SESSION_DELETED,
  EK_EVENT_SESSION_STATUS,
  EK_EVENT_SESSION_IDLE,
  EK_EVENT_SESSION_ERROR,
  EK_EVENT_SESSION_DIFF,
  EK_EVENT_MESSAGE_UPDATED,
  EK_EVENT_MESSAGE_REMOVED,
  EK_EVENT_PART_UPDATED,
  EK_EVENT_PART_DELTA,
  EK_EVENT_PART_REMOVED,
  EK_EVENT_PERMISSION_ASKED,
  EK_EVENT_PERMISSION_REPLIED,
  EK_EVENT_QUESTION_ASKED,
  EK_EVENT_QUESTION_REPLIED,
  EK_EVENT_QUESTION_REJECTED,
  EK_EVENT_TODO_UPDATED,
  EK_EVENT_FILE_EDITED,
  EK_EVENT_FILE_WATCHER_UPDATED,
  EK_EVENT_VCS_BRANCH_UPDATED,
  EK_EVENT_PROJECT_UPDATED,
  EK_EVENT_LSP,
  EK_EVENT_PLUGIN_ADDED,
  EK_EVENT_CATALOG_UPDATED,
  EK_EVENT_N_KINDS
} EkEventKind;

#define EK_TYPE_EVENT (ek_event_get_type ())

typedef struct _EkEvent EkEvent;

GType        ek_event_get_type            (void) G_GNUC_CONST;

EkEvent     *ek_event_decode              (const char  *data,
                                           gsize        len,
                                           GError     **error);
EkEvent     *ek_event_decode_node         (JsonNode    *node,
                                           GError     **error);

EkEvent     *ek_event_new                 (const char  *type_name,
                                           JsonObject  *properties,
                                           GError     **error);

EkEvent     *ek_event_ref                 (EkEvent     *self);
void         ek_event_unref               (EkEvent     *self);

EkEventKind  ek_event_get_kind            (const EkEvent *self);
const char  *ek_event_get_type_name       (const EkEvent *self);
const char  *ek_event_get_id              (const EkEvent *self);
const char  *ek_event_get_directory       (const EkEvent *self);
const char  *ek_event_get_session_id      (const EkEvent *self);
const char  *ek_event_get_message_id      (const EkEvent *self);
const char  *ek_event_get_part_id         (const EkEvent *self);
const char  *ek_event_get_field           (const EkEvent *self);
const char  *ek_event_get_delta           (const EkEvent *self,
                                           gsize         *len);
JsonObject  *ek_event_get_properties      (const EkEvent *self);

const char  *ek_event_kind_to_string      (EkEventKind  kind);
EkEventKind  ek_event_kind_from_string    (const char  *type_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EkEvent, ek_event_unref)

G_END_DECLS
