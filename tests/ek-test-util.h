/* ek-test-util.h: helpers shared by the core's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "ek-coalescer.h"
#include "ek-event.h"
#include "ek-store.h"

G_BEGIN_DECLS

/* JSON values: objects compare unordered, arrays in order, numbers by
 * value (an int equals a double of the same value), strings byte for
 * byte.  On a difference, @where (optional) says where and what. */
gboolean    ek_test_json_equal          (JsonNode    *a,
                                         JsonNode    *b,
                                         char       **where);
char       *ek_test_json_to_string      (JsonNode    *node,
                                         gboolean     pretty);
JsonNode   *ek_test_json_parse          (const char  *text);

#define ek_test_assert_json_equal(a, b)                                      \
  G_STMT_START {                                                             \
    g_autofree char *ek__where = NULL;                                       \
    if (!ek_test_json_equal ((a), (b), &ek__where))                          \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,      \
                           ek__where);                                       \
  } G_STMT_END

/* Recorded streams, under G_TEST_SRCDIR/fixtures/NAME/ */
char      **ek_test_list_fixtures       (void);
char       *ek_test_fixture_path        (const char  *name,
                                         const char  *file);
GBytes     *ek_test_load_fixture        (const char  *name,
                                         const char  *file);
JsonNode   *ek_test_load_fixture_json   (const char  *name,
                                         const char  *file);
char       *ek_test_fixture_session_id  (const char  *name);

/* The data of every complete event of a text/event-stream, in order
 * (GBytes each); asserts the parser reported no error. */
GPtrArray  *ek_test_split_events        (GBytes      *stream);

/* Decodes one event and asserts it decoded. */
EkEvent    *ek_test_decode              (const char  *json);
EkEvent    *ek_test_decode_bytes        (GBytes      *data);

/* Folds event data into a new store: one event at a time, or through
 * the coalescer in batches of @batch_size raw events (0: all in one).
 * The coalescer is fed decoded events (ek_coalescer_add()), or, as the
 * ingest worker does, deltas scanned in place and merged into the batch
 * (ek_coalescer_merge_delta()) with everything else decoded. */
typedef enum
{
  EK_TEST_FOLD_DECODED,
  EK_TEST_FOLD_SCANNED,
} EkTestFold;

EkStore    *ek_test_fold_raw            (GPtrArray   *datas);
EkStore    *ek_test_fold_coalesced      (GPtrArray   *datas,
                                         guint        batch_size);
EkStore    *ek_test_fold_coalesced_full (GPtrArray   *datas,
                                         guint        batch_size,
                                         EkTestFold   how);
/* What the ingest worker does with one event's data: FALSE (and @error
 * set) when it is malformed. */
gboolean    ek_test_coalesce_scanned    (EkCoalescer *coalescer,
                                         const char  *data,
                                         gsize        len,
                                         GError     **error);

/* Everything a store holds, as one JSON value: the sessions in order, and
 * per session its info, messages, status, error, diff, todos and pending
 * requests. */
JsonNode   *ek_test_store_snapshot      (EkStore     *store);
gboolean    ek_test_stores_equal        (EkStore     *a,
                                         EkStore     *b,
                                         char       **where);

#define ek_test_assert_stores_equal(a, b)                                    \
  G_STMT_START {                                                             \
    g_autofree char *ek__where = NULL;                                       \
    if (!ek_test_stores_equal ((a), (b), &ek__where))                        \
      g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC,      \
                           ek__where);                                       \
  } G_STMT_END

/* Every event that is not a delta twice in a row (deltas twice would
 * double the text). */
GPtrArray  *ek_test_duplicate_full_updates (GPtrArray *datas);
/* Stale full updates out of order, always before the last update of the
 * same message, part or session: folds to the same store. */
GPtrArray  *ek_test_reorder_full_updates   (GPtrArray *datas,
                                            guint     *n_moved);

/* The bytes of one SSE event carrying @json. */
GBytes     *ek_test_sse_frame           (const char  *json);

G_END_DECLS
