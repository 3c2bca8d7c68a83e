/* ek-json.h: checked accessors for JSON members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Each returns NULL (or @fallback) for a missing member, one of another
 * type, or a NULL @object, where json-glib's own getters log criticals. */
const char *ek_json_get_string (JsonObject *object,
                                const char *member);
JsonObject *ek_json_get_object (JsonObject *object,
                                const char *member);
gint64      ek_json_get_int    (JsonObject *object,
                                const char *member,
                                gint64      fallback);

G_END_DECLS
