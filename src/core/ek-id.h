/* ek-id.h: ids in the server's scheme
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "msg_" + 12 hex digits + 14 base62 characters, for a 3-letter prefix */
#define EK_ID_HEX_DIGITS    12
#define EK_ID_RANDOM_CHARS  14
#define EK_ID_FIELD_MASK    G_GUINT64_CONSTANT (0xffffffffffff)

char     *ek_id_ascending      (const char *prefix);
char     *ek_id_descending     (const char *prefix);
char     *ek_id_new_for_time   (const char *prefix,
                                gboolean    descending,
                                gint64      ms,
                                guint       counter);
gboolean  ek_id_parse          (const char *id,
                                gboolean    descending,
                                char      **prefix,
                                guint64    *field);
gint64    ek_id_get_timestamp  (const char *id,
                                gboolean    descending,
                                gint64      near_ms);

G_END_DECLS
