/* ek-store-private.h: what only the store (the single writer) may call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-store.h"

G_BEGIN_DECLS

/* helpers shared by the store's types */
const char *ek_json_get_string (JsonObject *object,
                                const char *member);
JsonObject *ek_json_get_object (JsonObject *object,
                                const char *member);
gint64      ek_json_get_int    (JsonObject *object,
                                const char *member,
                                gint64      fallback);

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
void        ek_message_upsert_part (EkMessage  *self,
                                    JsonObject *part);
gboolean    ek_message_append      (EkMessage  *self,
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
void        ek_session_upsert_message  (EkSession  *self,
                                        JsonObject *info);
gboolean    ek_session_remove_message  (EkSession  *self,
                                        const char *message_id);
void        ek_session_upsert_part     (EkSession  *self,
                                        const char *message_id,
                                        JsonObject *part);
gboolean    ek_session_append          (EkSession  *self,
                                        const char *message_id,
                                        const char *part_id,
                                        const char *field,
                                        const char *delta,
                                        gsize       len);
gboolean    ek_session_remove_part     (EkSession  *self,
                                        const char *message_id,
                                        const char *part_id);

G_END_DECLS
