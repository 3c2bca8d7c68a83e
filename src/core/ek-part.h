/* ek-part.h: one part of a message (text, reasoning, tool call, …)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EK_TYPE_PART (ek_part_get_type ())

G_DECLARE_FINAL_TYPE (EkPart, ek_part, EK, PART, GObject)

const char *ek_part_get_id           (EkPart     *self);
const char *ek_part_get_session_id   (EkPart     *self);
const char *ek_part_get_message_id   (EkPart     *self);
const char *ek_part_get_part_type    (EkPart     *self);
const char *ek_part_get_text         (EkPart     *self);
gsize       ek_part_get_text_length  (EkPart     *self);
const char *ek_part_get_tool         (EkPart     *self);
const char *ek_part_get_tool_status  (EkPart     *self);
JsonObject *ek_part_get_data         (EkPart     *self);
const char *ek_part_get_string       (EkPart     *self,
                                      const char *field);
JsonNode   *ek_part_to_json          (EkPart     *self);

G_END_DECLS
