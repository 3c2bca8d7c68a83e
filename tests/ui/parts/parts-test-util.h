/* parts-test-util.h: parts built through the store, for widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-store.h"

G_BEGIN_DECLS

/* Sets up GTK and libadwaita for a test program (gtk_test_init). */
void        parts_test_init            (int         *argc,
                                        char      ***argv);

/* The recorded fixture's file (tests/fixtures/NAME/FILE). */
char       *parts_test_fixture_path    (const char  *name,
                                        const char  *file);
/* The parsed `data:` JSON objects of a fixture's events.sse, in order. */
GPtrArray  *parts_test_fixture_events  (const char  *name);
/* The part objects of a fixture's messages.json, in order. */
GPtrArray  *parts_test_fixture_parts   (const char  *name);

/* The first part of a fixture (from messages.json) of @type, and for
 * tools of @tool and @status (NULL: any); a deep copy. */
JsonObject *parts_test_find_part       (const char  *name,
                                        const char  *type,
                                        const char  *tool,
                                        const char  *status);
/* The same from the event stream: the first `message.part.updated` of a
 * tool part in @status, as streamed. */
JsonObject *parts_test_find_streamed   (const char  *name,
                                        const char  *tool,
                                        const char  *status);

JsonObject *parts_test_parse_object    (const char  *json);

/* Puts @part into @store through events (a message.updated for its
 * message with @role, then message.part.updated) and returns the store's
 * EkPart (owned by the store). */
EkPart     *parts_test_add_part        (EkStore     *store,
                                        JsonObject  *part,
                                        const char  *role);
/* A full update of a part already in @store. */
void        parts_test_update_part     (EkStore     *store,
                                        JsonObject  *part);
/* A message.part.delta for @part's @field. */
void        parts_test_append          (EkStore     *store,
                                        EkPart      *part,
                                        const char  *field,
                                        const char  *delta);

/* Shows @widget in a scrolled window and waits until it is mapped. */
GtkWidget  *parts_test_show            (GtkWidget   *widget);
void        parts_test_iterate         (void);
/* Runs the main loop until @condition is true or @timeout_ms passed. */
gboolean    parts_test_wait            (gboolean   (*condition) (gpointer),
                                        gpointer     data,
                                        guint        timeout_ms);

/* Every GtkLabel text and GtkTextView text under @widget, in order. */
GPtrArray  *parts_test_collect_text    (GtkWidget   *widget);
gboolean    parts_test_has_text        (GtkWidget   *widget,
                                        const char  *text);
/* The first GtkLabel under @widget whose text is @text. */
GtkWidget  *parts_test_find_label      (GtkWidget   *widget,
                                        const char  *text);

G_END_DECLS
