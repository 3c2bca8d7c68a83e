/* ek-store-private.h: what only the store (the single writer) may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-json.h"
#include "ek-store.h"

G_BEGIN_DECLS


EkPart     *ek_part_new            (JsonObject *data);
void        ek_part_update         (EkPart     *self,
                                    JsonObject *data);
void        ek_part_append         (EkPart     *self,
                                    const char *field,
                                    const char *delta,
                                    gsize       len);

EkMessage  *ek_message_new         (JsonObject *info);
void        ek_message_update      (EkMessage  *self,
                                    JsonObject *info);
EkPart     *ek_message_upsert_part (EkMessage  *self,
                                    JsonObject *part);
EkPart     *ek_message_append      (EkMessage  *self,
                                    const char *part_id,
                                    const char *field,
                                    const char *delta,
                                    gsize       len);
gboolean    ek_message_remove_part (EkMessage  *self,
                                    const char *part_id);

EkSession  *ek_session_new             (const char *id);
void        ek_session_update          (EkSession  *self,
                                        JsonObject *info);
void        ek_session_set_status      (EkSession  *self,
                                        JsonObject *status);
void        ek_session_set_error       (EkSession  *self,
                                        JsonObject *error);
void        ek_session_set_diff        (EkSession  *self,
                                        JsonArray  *diff);
void        ek_session_set_todos       (EkSession  *self,
                                        JsonArray  *todos);
void        ek_session_add_request     (EkSession  *self,
                                        EkRequest  *request);
gboolean    ek_session_remove_request  (EkSession  *self,
                                        EkRequestKind kind,
                                        const char *request_id);
EkMessage  *ek_session_upsert_message  (EkSession  *self,
                                        JsonObject *info);
gboolean    ek_session_remove_message  (EkSession  *self,
                                        const char *message_id);
void        ek_session_release_history (EkSession  *self);
void        ek_session_hold_messages   (EkSession  *self);
void        ek_session_release_messages (EkSession *self);
EkPart     *ek_session_upsert_part     (EkSession  *self,
                                        const char *message_id,
                                        JsonObject *part);
EkPart     *ek_session_append          (EkSession  *self,
                                        const char *message_id,
                                        const char *part_id,
                                        const char *field,
                                        const char *delta,
                                        gsize       len);
gboolean    ek_session_remove_part     (EkSession  *self,
                                        const char *message_id,
                                        const char *part_id);

/* Stamps for merging a refetch with live events: each object remembers the
 * store sequence number of the last event that changed it. */
typedef struct
{
  guint64 own;      /* the object's own data (info, part, status) */
  guint64 touched;  /* it or anything in it */
} EkStamp;

EkStamp    *ek_session_get_stamp        (EkSession  *self);
EkStamp    *ek_session_get_status_stamp (EkSession  *self);
EkStamp    *ek_message_get_stamp        (EkMessage  *self);
EkStamp    *ek_part_get_stamp           (EkPart     *self);
EkRequest  *ek_session_lookup_request   (EkSession  *self,
                                         EkRequestKind kind,
                                         const char *request_id);
GPtrArray  *ek_session_dup_requests     (EkSession  *self,
                                         EkRequestKind kind);
guint64     ek_request_get_seq          (EkRequest  *self);
void        ek_request_set_seq          (EkRequest  *self,
                                         guint64     seq);

G_END_DECLS
