/* ek-sse-parser.c: incremental text/event-stream parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Implements the parsing rules of the WHATWG HTML standard, section
 * "Server-sent events: parsing an event stream", for input that arrives in
 * arbitrary chunks.
 *
 * How it works: every chunk is scanned with memchr() for the next CR and LF
 * (each position is cached until the scan passes it, so each byte is looked
 * at about twice whatever the mix of line ends).  A line that lies wholly
 * inside the chunk is interpreted in place; only a line cut by the end of a
 * chunk is copied into @line until its end arrives.  The first `data:` line
 * of an event is not copied either: it is remembered as a pointer into the
 * chunk, so an event made of one `data:` line inside one chunk reaches the
 * callback without any copy.  That pointer is copied into @data before
 * ek_sse_parser_feed() returns if the event is still open then.
 *
 * Bytes are passed through as they are: unlike a browser, the parser does
 * not replace invalid UTF-8 with U+FFFD (the JSON decoder after it checks
 * the encoding).  Values may contain NUL bytes, except the last event id;
 * the event type is handed out as a C string, so it ends at a NUL.
 *
 * Re-entrancy: the callbacks must not call ek_sse_parser_feed(),
 * ek_sse_parser_finish(), ek_sse_parser_reset() or ek_sse_parser_free() on
 * the parser that is calling them (this is checked and reported as a
 * critical).  The getters and ek_sse_parser_set_max_event_size() may be
 * called.  A parser is not thread-safe; use one per stream and thread.
 */

#include <string.h>

#include "ek-sse-parser.h"

/* Buffers that grew past this for one big event are given back afterwards. */
#define SHRINK_THRESHOLD (1024 * 1024)
#define INITIAL_SIZE     256

struct _EkSseParser
{
  EkSseEventFunc  event_func;
  EkSseErrorFunc  error_func;
  gpointer        user_data;

  gsize           max_size;
  gint64          retry;

  /* The start of a line whose end has not arrived yet. */
  GString        *line;
  /* The data buffer, without the spec's trailing "\n" (see has_data). */
  GString        *data;
  GString        *event_type;
  GString        *last_id;

  /* The event's only data line so far, still inside the current chunk. */
  const char     *pending;
  gsize           pending_len;

  /* At least one data line was seen: the spec's data buffer is not empty. */
  guint           has_data : 1;
  /* The data is at @pending, not in @data. */
  guint           has_pending : 1;
  /* Bytes of the current line arrived in an earlier chunk. */
  guint           in_line : 1;
  /* ... and that line is a comment, so it is not buffered. */
  guint           in_comment : 1;
  /* An oversized event is being skipped up to the next blank line. */
  guint           skipping : 1;
  /* The previous chunk ended with CR: a LF starting this one belongs to it. */
  guint           after_cr : 1;
  /* Still at the start of the stream: a byte order mark is skipped. */
  guint           bom_pending : 1;
  guint           bom_matched : 2;
  guint           in_callback : 1;
};

static const char utf8_bom[3] = { '\xEF', '\xBB', '\xBF' };

G_DEFINE_QUARK (ek-sse-error-quark, ek_sse_error)

static inline gsize
event_size (EkSseParser *self)
{
  return self->has_pending ? self->pending_len : self->data->len;
}

static void
shrink_if_large (GString **buf)
{
  if G_UNLIKELY ((*buf)->allocated_len > SHRINK_THRESHOLD)
    {
      g_string_free (*buf, TRUE);
      *buf = g_string_sized_new (INITIAL_SIZE);
    }
}

static inline void
set_string (GString    *str,
            const char *value,
            gsize       len)
{
  g_string_truncate (str, 0);
  g_string_append_len (str, value, len);
}

static void
materialize_pending (EkSseParser *self)
{
  g_string_append_len (self->data, self->pending, self->pending_len);
  self->pending = NULL;
  self->pending_len = 0;
  self->has_pending = FALSE;
}

static void
discard_event (EkSseParser *self)
{
  g_string_truncate (self->data, 0);
  shrink_if_large (&self->data);
  g_string_truncate (self->event_type, 0);
  shrink_if_large (&self->event_type);
  self->pending = NULL;
  self->pending_len = 0;
  self->has_pending = FALSE;
  self->has_data = FALSE;
}

static void
discard_line (EkSseParser *self)
{
  g_string_truncate (self->line, 0);
  shrink_if_large (&self->line);
  self->in_line = FALSE;
  self->in_comment = FALSE;
}

static char *
format_size (gsize size)
{
  const gsize kib = 1024;
  const gsize mib = 1024 * 1024;

  if (size >= mib && size % mib == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", size / mib);
  if (size >= kib && size % kib == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", size / kib);
  if (size < kib)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", size);
  return g_format_size_full (size, G_FORMAT_SIZE_IEC_UNITS);
}

/* The event being accumulated went over the limit: drop it, skip to the next
 * blank line and tell the caller.  The current line (complete or not) is
 * the first one skipped. */
static void
overflow (EkSseParser *self)
{
  discard_event (self);
  g_string_truncate (self->line, 0);
  shrink_if_large (&self->line);
  self->in_comment = FALSE;
  self->skipping = TRUE;

  if (self->error_func != NULL)
    {
      g_autofree char *limit = format_size (self->max_size);
      g_autoptr(GError) error = NULL;

      error = g_error_new (EK_SSE_ERROR, EK_SSE_ERROR_TOO_LARGE,
                           "Event larger than %s skipped", limit);
      self->in_callback = TRUE;
      self->error_func (error, self->user_data);
      self->in_callback = FALSE;
    }
}

static void
dispatch (EkSseParser *self)
{
  if (self->has_data && self->event_func != NULL)
    {
      const char *data;
      gsize len;

      if (self->has_pending)
        {
          data = self->pending;
          len = self->pending_len;
        }
      else
        {
          data = self->data->str;
          len = self->data->len;
        }

      self->in_callback = TRUE;
      self->event_func (self->event_type->len > 0 ? self->event_type->str : NULL,
                        data, len,
                        self->last_id->len > 0 ? self->last_id->str : NULL,
                        self->user_data);
      self->in_callback = FALSE;
    }

  discard_event (self);
}

static inline void
add_data (EkSseParser *self,
          const char  *value,
          gsize        len,
          gboolean     in_chunk)
{
  if (!self->has_data)
    {
      self->has_data = TRUE;
      if (in_chunk)
        {
          self->pending = value;
          self->pending_len = len;
          self->has_pending = TRUE;
        }
      else
        g_string_append_len (self->data, value, len);
      return;
    }

  if (self->has_pending)
    materialize_pending (self);

  g_string_append_c (self->data, '\n');
  g_string_append_len (self->data, value, len);
}

static void
set_retry (EkSseParser *self,
           const char  *value,
           gsize        len)
{
  gint64 retry = 0;

  if (len == 0)
    return;

  for (gsize i = 0; i < len; i++)
    {
      int digit = value[i] - '0';

      if (digit < 0 || digit > 9)
        return;

      /* A number that does not fit saturates rather than wraps. */
      if (retry > (G_MAXINT64 - digit) / 10)
        retry = G_MAXINT64;
      else
        retry = retry * 10 + digit;
    }

  self->retry = retry;
}

/* @line is not empty and ends before its line end.  @in_chunk: @line points
 * into the caller's chunk (not into self->line). */
static inline void
process_field (EkSseParser *self,
               const char  *line,
               gsize        len,
               gboolean     in_chunk)
{
  const char *colon;
  const char *value;
  gsize name_len;
  gsize value_len;

  colon = memchr (line, ':', len);
  if (colon != NULL)
    {
      name_len = colon - line;
      value = colon + 1;
      value_len = len - name_len - 1;
      if (value_len > 0 && *value == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      name_len = len;
      value = line + len;
      value_len = 0;
    }

  /* name_len == 0 is a comment. */
  switch (name_len)
    {
    case 4:
      if (memcmp (line, "data", 4) == 0)
        add_data (self, value, value_len, in_chunk);
      break;

    case 5:
      if (memcmp (line, "event", 5) == 0)
        set_string (self->event_type, value, value_len);
      else if (memcmp (line, "retry", 5) == 0)
        set_retry (self, value, value_len);
      break;

    case 2:
      if (line[0] == 'i' && line[1] == 'd' &&
          memchr (value, '\0', value_len) == NULL)
        set_string (self->last_id, value, value_len);
      break;

    default:
      break;
    }
}

/* The chunk ended inside a line: keep its start (@len > 0 bytes). */
static void
begin_or_extend_line (EkSseParser *self,
                      const char  *p,
                      gsize        len)
{
  if (!self->in_line)
    {
      self->in_line = TRUE;
      self->in_comment = (*p == ':');
    }

  if (self->skipping || self->in_comment)
    return;

  if G_UNLIKELY (event_size (self) + self->line->len + len > self->max_size)
    {
      overflow (self);
      return;
    }

  g_string_append_len (self->line, p, len);
}

/* The end of a line begun in an earlier chunk: @p, @len is its last part. */
static void
complete_line (EkSseParser *self,
               const char  *p,
               gsize        len)
{
  if (self->skipping || self->in_comment)
    {
      /* Not a blank line (it has bytes from an earlier chunk). */
      self->in_line = FALSE;
      self->in_comment = FALSE;
      return;
    }

  if G_UNLIKELY (event_size (self) + self->line->len + len > self->max_size)
    {
      overflow (self);
      self->in_line = FALSE;
      return;
    }

  g_string_append_len (self->line, p, len);
  process_field (self, self->line->str, self->line->len, FALSE);
  discard_line (self);
}

static void
feed_chunk (EkSseParser *self,
            const char  *buf,
            gsize        len)
{
  const char *p = buf;
  const char *end = buf + len;
  const char *lf = NULL;
  const char *cr = NULL;

  g_assert (len > 0);

  if (self->after_cr)
    {
      self->after_cr = FALSE;
      if (*p == '\n')
        p++;
    }

  while (p < end)
    {
      const char *eol;
      gsize line_len;

      /* Next line end; positions found earlier stay valid until passed. */
      if (lf == NULL || lf < p)
        {
          lf = memchr (p, '\n', end - p);
          if (lf == NULL)
            lf = end;
        }
      if (cr == NULL || cr < p)
        {
          cr = memchr (p, '\r', end - p);
          if (cr == NULL)
            cr = end;
        }
      eol = MIN (lf, cr);

      if (eol == end)
        {
          begin_or_extend_line (self, p, end - p);
          break;
        }

      line_len = eol - p;

      if G_UNLIKELY (self->in_line)
        complete_line (self, p, line_len);
      else if G_UNLIKELY (self->skipping)
        {
          if (line_len == 0)
            self->skipping = FALSE;
        }
      else if (line_len == 0)
        dispatch (self);
      else if G_UNLIKELY (event_size (self) + line_len > self->max_size &&
                          *p != ':')
        overflow (self);
      else
        process_field (self, p, line_len, TRUE);

      if (*eol == '\n')
        p = eol + 1;
      else if (eol + 1 == end)
        {
          self->after_cr = TRUE;
          p = end;
        }
      else if (eol[1] == '\n')
        p = eol + 2;
      else
        p = eol + 1;
    }

  /* The chunk belongs to the caller: keep a copy of an open event's data. */
  if (self->has_pending)
    materialize_pending (self);
}

/**
 * ek_sse_parser_new:
 * @event_func: (nullable): called for each complete event
 * @error_func: (nullable): called when an event is skipped
 * @user_data: passed to both callbacks
 *
 * Creates a parser for one text/event-stream.  The callbacks are called
 * from within ek_sse_parser_feed(); they must not feed, finish, reset or
 * free this parser.
 *
 * Returns: (transfer full): a new parser; free with ek_sse_parser_free()
 */
EkSseParser *
ek_sse_parser_new (EkSseEventFunc event_func,
                   EkSseErrorFunc error_func,
                   gpointer       user_data)
{
  EkSseParser *self;

  self = g_new0 (EkSseParser, 1);
  self->event_func = event_func;
  self->error_func = error_func;
  self->user_data = user_data;
  self->max_size = EK_SSE_DEFAULT_MAX_EVENT_SIZE;
  self->retry = -1;
  self->line = g_string_sized_new (INITIAL_SIZE);
  self->data = g_string_sized_new (INITIAL_SIZE);
  self->event_type = g_string_sized_new (32);
  self->last_id = g_string_sized_new (32);
  self->bom_pending = TRUE;

  return self;
}

/**
 * ek_sse_parser_free:
 * @self: a parser
 *
 * Frees the parser.  Must not be called from one of its callbacks.
 */
void
ek_sse_parser_free (EkSseParser *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->in_callback);

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_type, TRUE);
  g_string_free (self->last_id, TRUE);
  g_free (self);
}

/**
 * ek_sse_parser_set_max_event_size:
 * @self: a parser
 * @max_size: the largest event to accept, in bytes (> 0)
 *
 * Sets the limit on one event's size: the data accumulated so far plus the
 * line being read (field name included).  An event that would go over it
 * is dropped, @error_func is called once with %EK_SSE_ERROR_TOO_LARGE and
 * everything up to and including the next blank line is skipped (an `id:`
 * or `retry:` in that part is skipped too).  `:` comments do not count and
 * are never buffered.  The parser holds at most about @max_size bytes
 * besides the chunk being fed.  The default is
 * %EK_SSE_DEFAULT_MAX_EVENT_SIZE.
 */
void
ek_sse_parser_set_max_event_size (EkSseParser *self,
                                  gsize        max_size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_size > 0);

  self->max_size = max_size;
}

gsize
ek_sse_parser_get_max_event_size (EkSseParser *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_size;
}

/**
 * ek_sse_parser_feed:
 * @self: a parser
 * @buf: (array length=len): the next bytes of the stream
 * @len: length of @buf
 *
 * Parses @buf, calling the event callback for every event it completes.
 * Chunks may be split anywhere, even inside a CRLF or the byte order mark.
 * The parser keeps no pointer into @buf after returning.
 */
void
ek_sse_parser_feed (EkSseParser *self,
                    const char  *buf,
                    gsize        len)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (buf != NULL || len == 0);
  g_return_if_fail (!self->in_callback);

  if (len == 0)
    return;

  if G_UNLIKELY (self->bom_pending)
    {
      while (len > 0 && self->bom_matched < 3 &&
             *buf == utf8_bom[self->bom_matched])
        {
          buf++;
          len--;
          self->bom_matched++;
        }

      if (self->bom_matched == 3)
        {
          self->bom_pending = FALSE;
          self->bom_matched = 0;
        }
      else if (len > 0)
        {
          guint matched = self->bom_matched;

          /* Not a BOM after all: the bytes held back are stream content. */
          self->bom_pending = FALSE;
          self->bom_matched = 0;
          if (matched > 0)
            feed_chunk (self, utf8_bom, matched);
        }

      if (len == 0)
        return;
    }

  feed_chunk (self, buf, len);
}

static void
reset_stream (EkSseParser *self)
{
  discard_event (self);
  discard_line (self);
  self->skipping = FALSE;
  self->after_cr = FALSE;
  self->bom_pending = TRUE;
  self->bom_matched = 0;
}

/**
 * ek_sse_parser_finish:
 * @self: a parser
 *
 * Tells the parser the stream ended.  As the standard requires, an event
 * that was not ended by a blank line is discarded, not dispatched.  The
 * parser is then ready for a new stream, as after ek_sse_parser_reset().
 */
void
ek_sse_parser_finish (EkSseParser *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->in_callback);

  reset_stream (self);
}

/**
 * ek_sse_parser_reset:
 * @self: a parser
 *
 * Drops any partial line and event (e.g. before reconnecting) and expects
 * a new stream, which may start with a byte order mark.  The last event id,
 * the reconnection time and the size limit are kept.
 */
void
ek_sse_parser_reset (EkSseParser *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->in_callback);

  reset_stream (self);
}

/**
 * ek_sse_parser_get_retry:
 * @self: a parser
 *
 * Returns: the reconnection time in milliseconds from the last valid
 *   `retry:` field, or -1 if there was none
 */
gint64
ek_sse_parser_get_retry (EkSseParser *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->retry;
}

/**
 * ek_sse_parser_get_last_event_id:
 * @self: a parser
 *
 * Returns: (nullable): the last event id set by an `id:` field, or %NULL if
 *   none was set or it was set to the empty string
 */
const char *
ek_sse_parser_get_last_event_id (EkSseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->last_id->len > 0 ? self->last_id->str : NULL;
}
