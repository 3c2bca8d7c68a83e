/* ek-part-util.h: small helpers shared by the part widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON reading that checks node types first; NULL/fallback when the
 * member is missing or of another type.  @path is a dotted member path
 * ("state.input.command"). */
JsonObject *ek_part_json_object      (JsonObject *object,
                                      const char *path);
JsonArray  *ek_part_json_array       (JsonObject *object,
                                      const char *path);
const char *ek_part_json_string      (JsonObject *object,
                                      const char *path);
gint64      ek_part_json_int         (JsonObject *object,
                                      const char *path,
                                      gint64      fallback);
gboolean    ek_part_json_double      (JsonObject *object,
                                      const char *path,
                                      double     *value);
gboolean    ek_part_json_bool        (JsonObject *object,
                                      const char *path);
const char *ek_part_json_array_string (JsonArray *array,
                                       guint      index);

/* Wall-clock milliseconds, the server's time base; tests may pin it
 * (0 goes back to the real clock). */
gint64      ek_part_now_ms                 (void);
void        ek_part_set_now_ms_for_testing (gint64 now_ms);

/* "0.3 s", "42 s", "1 min 5 s"; @precise gives tenths below 10 s and
 * milliseconds below 0.1 s ("34 ms"). */
char       *ek_part_format_duration        (gint64      ms,
                                            gboolean    precise);
/* The same in words for accessible names: "0.3 seconds". */
char       *ek_part_format_duration_words  (gint64      ms,
                                            gboolean    precise);
/* 1234 → "1,234" (the locale's grouping, "," without one). */
char       *ek_part_format_count           (gint64      n);

/* The first line of @text, without its line end, at most @max_chars
 * characters (an ellipsis marks a cut); NULL gives NULL. */
char       *ek_part_first_line             (const char *text,
                                            guint       max_chars);
/* The last non-empty line of @text (whitespace trimmed), at most
 * @max_chars characters from its end. */
char       *ek_part_last_line              (const char *text,
                                            guint       max_chars);
/* A path as the user thinks of it: relative to @root when under it,
 * else with the home directory as "~". */
char       *ek_part_short_path             (const char *path,
                                            const char *root);
/* The last component of a path or URL, without query or fragment. */
char       *ek_part_basename               (const char *path_or_url);

/* A GtkLabel for server text: never markup, wraps, selectable (and
 * focusable only once clicked, see ek_part_focus_on_click()). */
GtkWidget  *ek_part_label_new              (const char *text,
                                            const char *css_class);
/* Keeps a selectable label or a read-only text view out of the focus
 * chain until it is clicked, so that presenting a window does not put
 * focus (and a selection) into the chat. */
void        ek_part_focus_on_click         (GtkWidget  *widget);

G_END_DECLS
