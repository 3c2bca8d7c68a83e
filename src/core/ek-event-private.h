/* ek-event-private.h: the event struct, for the coalescer and the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-event.h"

G_BEGIN_DECLS

/* An event is one allocation: the struct, then its strings.  At 300,000
 * events a second, allocations are what costs. */
struct _EkEvent
{
  gatomicrefcount  ref_count;
  EkEventKind      kind;
  const char      *type_name;
  const char      *id;
  const char      *directory;
  const char      *session_id;
  const char      *message_id;
  const char      *part_id;
  const char      *field;
  /* message.part.delta: the text to append */
  const char      *delta;
  gsize            delta_len;
  /* set once the coalescer merged later deltas into this one; then
   * delta points into it */
  GString         *merged;
  /* NULL for deltas, which keep only their strings; made on first use
   * from raw_properties for kinds the store ignores (atomically) */
  JsonObject      *properties;
  const char      *raw_properties;
  char             strings[];
};

/* the strings of an event, by member, for ek_event_new_full() */
typedef enum
{
  EK_EVENT_STR_TYPE,
  EK_EVENT_STR_ID,
  EK_EVENT_STR_DIRECTORY,
  EK_EVENT_STR_SESSION,
  EK_EVENT_STR_MESSAGE,
  EK_EVENT_STR_PART,
  EK_EVENT_STR_FIELD,
  EK_EVENT_STR_DELTA,
  EK_EVENT_STR_RAW_PROPERTIES,
  EK_EVENT_N_STRS
} EkEventStr;

EkEvent *ek_event_new_full   (EkEventKind  kind,
                              const char  *strs[EK_EVENT_N_STRS],
                              const gsize  lens[EK_EVENT_N_STRS],
                              JsonObject  *properties);
/* A delta read by the fast path without allocating: the strings point
 * into the calling thread's scratch space, valid until its next scan. */
typedef struct
{
  const char *id;
  const char *session_id;
  const char *message_id;
  const char *part_id;
  const char *field;
  const char *delta;
  gsize       id_len;
  gsize       session_id_len;
  gsize       message_id_len;
  gsize       part_id_len;
  gsize       field_len;
  gsize       delta_len;
} EkDeltaScan;

gboolean ek_event_scan_delta      (const char        *data,
                                   gsize              len,
                                   EkDeltaScan       *scan);
EkEvent *ek_event_new_from_scan   (const EkDeltaScan *scan);
gboolean ek_event_continues_delta (const EkEvent     *self,
                                   const EkDeltaScan *scan);
EkEvent *ek_event_decode_json     (const char        *data,
                                   gsize              len,
                                   GError           **error);

void     ek_event_append_delta (EkEvent   *self,
                                const char *delta,
                                gsize       len);

G_END_DECLS
