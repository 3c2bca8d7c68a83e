/* ek-sse-parser.h: incremental text/event-stream parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EK_SSE_DEFAULT_MAX_EVENT_SIZE (64 * 1024 * 1024)

#define EK_SSE_ERROR (ek_sse_error_quark ())

typedef enum
{
  EK_SSE_ERROR_TOO_LARGE,
} EkSseError;

GQuark ek_sse_error_quark (void);

/**
 * EkSseEventFunc:
 * @event_type: (nullable): the `event:` field, or %NULL for the default
 *   ("message")
 * @data: the event's data, all `data:` lines joined with "\n"; not
 *   nul-terminated in general, valid only during the call
 * @data_len: length of @data in bytes
 * @last_event_id: (nullable): the last event id seen (`id:`), or %NULL
 * @user_data: closure
 *
 * Called once per complete event (an event with at least one `data:` line,
 * ended by a blank line).
 */
typedef void (*EkSseEventFunc) (const char *event_type,
                                const char *data,
                                gsize       data_len,
                                const char *last_event_id,
                                gpointer    user_data);

/**
 * EkSseErrorFunc:
 * @error: what went wrong (e.g. %EK_SSE_ERROR_TOO_LARGE); the parser has
 *   already recovered (skipped to the next blank line)
 */
typedef void (*EkSseErrorFunc) (const GError *error,
                                gpointer      user_data);

/*
 * EkSseParser: a plain struct, not a GObject, and not thread-safe.  The
 * callbacks run inside ek_sse_parser_feed() and must not feed, finish,
 * reset or free the parser that calls them (only the getters and
 * ek_sse_parser_set_max_event_size() may be used there).
 */
typedef struct _EkSseParser EkSseParser;

EkSseParser *ek_sse_parser_new                (EkSseEventFunc  event_func,
                                               EkSseErrorFunc  error_func,
                                               gpointer        user_data);
void         ek_sse_parser_free               (EkSseParser    *self);
void         ek_sse_parser_set_max_event_size (EkSseParser    *self,
                                               gsize           max_size);
gsize        ek_sse_parser_get_max_event_size (EkSseParser    *self);
void         ek_sse_parser_feed               (EkSseParser    *self,
                                               const char     *buf,
                                               gsize           len);
void         ek_sse_parser_finish             (EkSseParser    *self);
void         ek_sse_parser_reset              (EkSseParser    *self);
gint64       ek_sse_parser_get_retry          (EkSseParser    *self);
const char  *ek_sse_parser_get_last_event_id  (EkSseParser    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EkSseParser, ek_sse_parser_free)

G_END_DECLS
