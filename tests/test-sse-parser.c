/* test-sse-parser.c: tests for the incremental text/event-stream parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "ek-sse-parser.h"

/* ------------------------------------------------------------------ */
/* Recording what the parser reports                                  */

typedef struct
{
  char  *type;
  char  *data;   /* nul-terminated copy */
  gsize  len;
  char  *id;
} Event;

typedef struct
{
  GPtrArray   *events;
  GPtrArray   *errors;    /* GError copies */
  GString     *log;       /* everything reported, in order, for comparisons */
  gboolean     keep;      /* keep Event copies (not only the log) */

  /* the chunk being fed, to detect zero-copy delivery */
  const char  *chunk;
  gsize        chunk_len;
  guint        n_in_chunk;
} Recorder;

static void
event_free (gpointer p)
{
  Event *ev = p;

  if (ev == NULL)
    return;

  g_free (ev->type);
  g_free (ev->data);
  g_free (ev->id);
  g_free (ev);
}

static void
recorder_init (Recorder *rec)
{
  memset (rec, 0, sizeof *rec);
  rec->events = g_ptr_array_new_with_free_func (event_free);
  rec->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  rec->log = g_string_new (NULL);
  rec->keep = TRUE;
}

static void
recorder_clear (Recorder *rec)
{
  g_ptr_array_unref (rec->events);
  g_ptr_array_unref (rec->errors);
  g_string_free (rec->log, TRUE);
}

static void
on_event (const char *event_type,
          const char *data,
          gsize       data_len,
          const char *last_event_id,
          gpointer    user_data)
{
  Recorder *rec = user_data;

  g_assert_nonnull (data);

  g_string_append_printf (rec->log, "E type=%s id=%s len=%" G_GSIZE_FORMAT "\n",
                          event_type ? event_type : "(null)",
                          last_event_id ? last_event_id : "(null)",
                          data_len);
  g_string_append_len (rec->log, data, data_len);
  g_string_append_c (rec->log, '\n');

  if (rec->chunk != NULL && data >= rec->chunk &&
      data + data_len <= rec->chunk + rec->chunk_len)
    rec->n_in_chunk++;

  if (rec->keep)
    {
      Event *ev = g_new0 (Event, 1);

      ev->type = g_strdup (event_type);
      ev->data = g_strndup (data, data_len);
      ev->len = data_len;
      ev->id = g_strdup (last_event_id);
      g_ptr_array_add (rec->events, ev);
    }
  else
    g_ptr_array_add (rec->events, NULL);
}

static void
on_error (const GError *error,
          gpointer      user_data)
{
  Recorder *rec = user_data;

  g_assert_nonnull (error);
  g_string_append_printf (rec->log, "X %s %d %s\n",
                          g_quark_to_string (error->domain), error->code,
                          error->message);
  g_ptr_array_add (rec->errors, g_error_copy (error));
}

static Event *
event_at (Recorder *rec,
          guint     i)
{
  g_assert_cmpuint (i, <, rec->events->len);
  return g_ptr_array_index (rec->events, i);
}

static void
assert_event (Recorder   *rec,
              guint       i,
              const char *type,
              const char *data,
              const char *id)
{
  Event *ev = event_at (rec, i);

  g_assert_cmpstr (ev->type, ==, type);
  g_assert_cmpstr (ev->data, ==, data);
  g_assert_cmpuint (ev->len, ==, strlen (data));
  g_assert_cmpstr (ev->id, ==, id);
}

/* Feeds a copy of the bytes in a buffer of exactly that size, so that ASan
 * and valgrind see any read past the chunk or use of it after feed(). */
static void
feed_copy (EkSseParser *parser,
           Recorder    *rec,
           const char  *buf,
           gsize        len)
{
  char *copy = len > 0 ? g_memdup2 (buf, len) : NULL;

  rec->chunk = copy;
  rec->chunk_len = len;
  ek_sse_parser_feed (parser, copy, len);
  rec->chunk = NULL;
  rec->chunk_len = 0;
  g_free (copy);
}

static void
feed_str (EkSseParser *parser,
          Recorder    *rec,
          const char  *str)
{
  feed_copy (parser, rec, str, strlen (str));
}

/* max_chunk: 0 feeds everything at once, 1 byte by byte, N random chunks of
 * 0..N bytes (empty chunks included). */
static void
feed_split (EkSseParser *parser,
            Recorder    *rec,
            const char  *buf,
            gsize        len,
            gsize        max_chunk)
{
  gsize pos = 0;

  if (max_chunk == 0)
    {
      feed_copy (parser, rec, buf, len);
      return;
    }

  while (pos < len)
    {
      gsize n;

      if (max_chunk == 1)
        n = 1;
      else
        n = g_test_rand_int_range (0, (gint32) MIN (max_chunk, G_MAXINT32 - 1) + 1);
      n = MIN (n, len - pos);
      feed_copy (parser, rec, buf + pos, n);
      pos += n;
    }
}

/* Parses @buf split as feed_split() does and returns the log (with the
 * final retry and last id appended). */
static char *
parse_log (const char *buf,
           gsize       len,
           gsize       max_size,
           gsize       max_chunk,
           gsize      *log_len)
{
  Recorder rec;
  EkSseParser *parser;
  char *ret;

  recorder_init (&rec);
  rec.keep = FALSE;
  parser = ek_sse_parser_new (on_event, on_error, &rec);
  if (max_size > 0)
    ek_sse_parser_set_max_event_size (parser, max_size);

  feed_split (parser, &rec, buf, len, max_chunk);
  ek_sse_parser_finish (parser);

  g_string_append_printf (rec.log, "R %" G_GINT64_FORMAT " I %s\n",
                          ek_sse_parser_get_retry (parser),
                          ek_sse_parser_get_last_event_id (parser) != NULL ?
                          ek_sse_parser_get_last_event_id (parser) : "(null)");
  ek_sse_parser_free (parser);

  *log_len = rec.log->len;
  ret = g_strndup (rec.log->str, rec.log->len);
  recorder_clear (&rec);
  return ret;
}

/* Parses @str whole and returns the events recorded. */
static EkSseParser *
parse_whole (Recorder   *rec,
             const char *str)
{
  EkSseParser *parser;

  recorder_init (rec);
  parser = ek_sse_parser_new (on_event, on_error, rec);
  feed_str (parser, rec, str);
  return parser;
}

/* Checks that @buf gives the same log whole, byte by byte and in
 * @iterations random splits. */
static void
assert_split_invariant (const char *buf,
                        gsize       len,
                        gsize       max_size,
                        guint       iterations,
                        gsize       max_chunk)
{
  g_autofree char *whole = NULL;
  g_autofree char *bytes = NULL;
  gsize whole_len, bytes_len;

  whole = parse_log (buf, len, max_size, 0, &whole_len);
  bytes = parse_log (buf, len, max_size, 1, &bytes_len);
  g_assert_cmpmem (whole, whole_len, bytes, bytes_len);

  for (guint i = 0; i < iterations; i++)
    {
      g_autofree char *split = NULL;
      gsize split_len;
      gsize chunk = g_test_rand_int_range (2, (gint32) max_chunk + 1);

      split = parse_log (buf, len, max_size, chunk, &split_len);
      g_assert_cmpmem (whole, whole_len, split, split_len);
    }
}

/* ------------------------------------------------------------------ */
/* Basic grammar                                                       */

static void
test_single_event (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = parse_whole (&rec, "data: hello\n\n");

  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "hello", NULL);
  g_assert_cmpuint (rec.errors->len, ==, 0);
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, -1);
  g_assert_null (ek_sse_parser_get_last_event_id (parser));
  g_assert_cmpuint (ek_sse_parser_get_max_event_size (parser), ==,
                    EK_SSE_DEFAULT_MAX_EVENT_SIZE);

  /* Not dispatched before the blank line. */
  feed_str (parser, &rec, "data: second\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  feed_str (parser, &rec, "\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 1, NULL, "second", NULL);

  recorder_clear (&rec);
}

static void
test_multi_line_data (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec,
                        "data: a\ndata: b\ndata: c\n\n"
                        "data: x\ndata:\ndata: z\n\n"
                        "data: 1\n: comment in between\nid: 9\nfoo: bar\ndata: 2\n\n"
                        "data:\ndata:\n\n");

  g_assert_cmpuint (rec.events->len, ==, 4);
  assert_event (&rec, 0, NULL, "a\nb\nc", NULL);
  assert_event (&rec, 1, NULL, "x\n\nz", NULL);
  assert_event (&rec, 2, NULL, "1\n2", "9");
  assert_event (&rec, 3, NULL, "\n", "9");

  recorder_clear (&rec);
}

static void
test_comments (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec,
                        ": just a comment\n\n"
                        ":\n\n"
                        ":data: not data\n\n"
                        ": keep-alive\ndata: real\n: trailing\n\n");

  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "real", NULL);

  /* A comment split over chunks is dropped too. */
  feed_str (parser, &rec, ": a long comm");
  feed_str (parser, &rec, "ent that goes on\ndata: after\n");
  feed_str (parser, &rec, "\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 1, NULL, "after", NULL);

  recorder_clear (&rec);
}

static void
test_id (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec, "id: 1\ndata: a\n\n");
  assert_event (&rec, 0, NULL, "a", "1");
  g_assert_cmpstr (ek_sse_parser_get_last_event_id (parser), ==, "1");

  /* The last id persists over events that do not set one. */
  feed_str (parser, &rec, "data: b\n\n");
  assert_event (&rec, 1, NULL, "b", "1");

  /* Set without dispatching (no data): still remembered. */
  feed_str (parser, &rec, "id: 2\n\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  g_assert_cmpstr (ek_sse_parser_get_last_event_id (parser), ==, "2");

  /* A value containing NUL is ignored. */
  feed_copy (parser, &rec, "id: x\0y\ndata: c\n\n", 17);
  assert_event (&rec, 2, NULL, "c", "2");

  /* Only one leading space is removed; later ids win. */
  feed_str (parser, &rec, "id: 3\nid:  4 \ndata: d\n\n");
  assert_event (&rec, 3, NULL, "d", " 4 ");

  /* An id in the middle of an event applies to it. */
  feed_str (parser, &rec, "data: e\nid: 5\n\n");
  assert_event (&rec, 4, NULL, "e", "5");

  /* An empty id clears it. */
  feed_str (parser, &rec, "id\ndata: f\n\n");
  assert_event (&rec, 5, NULL, "f", NULL);
  g_assert_null (ek_sse_parser_get_last_event_id (parser));
  feed_str (parser, &rec, "id: 6\nid:\ndata: g\n\n");
  assert_event (&rec, 6, NULL, "g", NULL);

  /* Case matters. */
  feed_str (parser, &rec, "ID: 7\nId: 8\ndata: h\n\n");
  assert_event (&rec, 7, NULL, "h", NULL);

  g_assert_cmpuint (rec.events->len, ==, 8);
  recorder_clear (&rec);
}

static void
test_event_type (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec,
                        "event: add\ndata: 1\n\n"
                        "data: 2\n\n"                        /* reset after dispatch */
                        "event: lost\n\ndata: 3\n\n"         /* reset by a blank line too */
                        "event:\ndata: 4\n\n"                /* empty means default */
                        "event: a\nevent: b\ndata: 5\n\n"    /* last one wins */
                        "data: 6\nevent: late\n\n"           /* may come after data */
                        "event:  spaced\ndata: 7\n\n"
                        "Event: no\ndata: 8\n\n");

  g_assert_cmpuint (rec.events->len, ==, 8);
  assert_event (&rec, 0, "add", "1", NULL);
  assert_event (&rec, 1, NULL, "2", NULL);
  assert_event (&rec, 2, NULL, "3", NULL);
  assert_event (&rec, 3, NULL, "4", NULL);
  assert_event (&rec, 4, "b", "5", NULL);
  assert_event (&rec, 5, "late", "6", NULL);
  assert_event (&rec, 6, " spaced", "7", NULL);
  assert_event (&rec, 7, NULL, "8", NULL);

  recorder_clear (&rec);
}

static void
test_retry_valid (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec, "retry: 1000\n\n");
  g_assert_cmpuint (rec.events->len, ==, 0);
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, 1000);

  feed_str (parser, &rec, "retry:0\n");
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, 0);

  feed_str (parser, &rec, "retry: 0042\ndata: x\n\n");
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, 42);
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "x", NULL);

  /* Too large for 64 bits: saturates. */
  feed_str (parser, &rec, "retry: 99999999999999999999999999\n");
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, G_MAXINT64);
  feed_str (parser, &rec, "retry: 9223372036854775807\n");
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, G_MAXINT64);

  /* Kept over a reset. */
  feed_str (parser, &rec, "retry: 5\n");
  ek_sse_parser_reset (parser);
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, 5);

  recorder_clear (&rec);
}

static void
test_retry_invalid (void)
{
  const char *invalid[] = {
    "retry: 10a\n",
    "retry: -5\n",
    "retry: +5\n",
    "retry: 1.5\n",
    "retry: 1 0\n",
    "retry:  5\n",      /* a second space is part of the value */
    "retry: 5 \n",
    "retry:\n",
    "retry: \n",
    "retry\n",
    "retry: \xd9\xa3\n", /* a non-ASCII digit */
    "Retry: 7\n",
    "retries: 7\n",
  };
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec, "");
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      feed_str (parser, &rec, invalid[i]);
      g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, -1);
    }

  feed_str (parser, &rec, "retry: 300\n");
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      feed_str (parser, &rec, invalid[i]);
      g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, 300);
    }

  g_assert_cmpuint (rec.events->len, ==, 0);
  recorder_clear (&rec);
}

static void
test_field_without_colon (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec,
                        "data\n\n"                      /* empty data line */
                        "data\ndata\n\n"
                        "data: a\ndata\ndata: b\n\n"
                        "event\ndata: c\n\n"
                        "foo\nfoo: bar\ndat\ndatas\ndata: d\n\n"
                        "data x\n\n");                  /* field "data x" */

  g_assert_cmpuint (rec.events->len, ==, 5);
  assert_event (&rec, 0, NULL, "", NULL);
  assert_event (&rec, 1, NULL, "\n", NULL);
  assert_event (&rec, 2, NULL, "a\n\nb", NULL);
  assert_event (&rec, 3, NULL, "c", NULL);
  assert_event (&rec, 4, NULL, "d", NULL);

  recorder_clear (&rec);
}

static void
test_space_handling (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec,
                        "data:x\n\n"
                        "data: x\n\n"
                        "data:  x\n\n"
                        "data: x \n\n"
                        "data:\tx\n\n"
                        "data: \n\n"
                        "data :x\n\n"     /* field "data " is unknown */
                        " data: x\n\n"    /* field " data" is unknown */
                        "data: a: b\n\n"  /* only the first colon splits */
                        "data::\n\n");

  g_assert_cmpuint (rec.events->len, ==, 8);
  assert_event (&rec, 0, NULL, "x", NULL);
  assert_event (&rec, 1, NULL, "x", NULL);
  assert_event (&rec, 2, NULL, " x", NULL);
  assert_event (&rec, 3, NULL, "x ", NULL);
  assert_event (&rec, 4, NULL, "\tx", NULL);
  assert_event (&rec, 5, NULL, "", NULL);
  assert_event (&rec, 6, NULL, "a: b", NULL);
  assert_event (&rec, 7, NULL, ":", NULL);

  recorder_clear (&rec);
}

/* ------------------------------------------------------------------ */
/* Line ends                                                           */

static void
check_two_events (const char *input)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = parse_whole (&rec, input);

  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 0, "t", "a\nb", "1");
  assert_event (&rec, 1, NULL, "c", "1");
  g_assert_cmpstr (ek_sse_parser_get_last_event_id (parser), ==, "1");
  recorder_clear (&rec);

  /* Same result byte by byte and in random splits. */
  assert_split_invariant (input, strlen (input), 0, 50, 8);
}

static void
test_line_ends_lf (void)
{
  check_two_events ("event: t\nid: 1\ndata: a\ndata: b\n\n: c\ndata: c\n\n");
}

static void
test_line_ends_crlf (void)
{
  check_two_events ("event: t\r\nid: 1\r\ndata: a\r\ndata: b\r\n\r\n"
                    ": c\r\ndata: c\r\n\r\n");
}

static void
test_line_ends_cr (void)
{
  check_two_events ("event: t\rid: 1\rdata: a\rdata: b\r\r: c\rdata: c\r\r");
}

static void
test_line_ends_mixed (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  check_two_events ("event: t\rid: 1\r\ndata: a\ndata: b\r\r\n: c\rdata: c\n\r");
  check_two_events ("event: t\r\nid: 1\ndata: a\rdata: b\n\n: c\r\ndata: c\r\n\n");

  /* LF CR is two line ends; CR LF is one. */
  parser = parse_whole (&rec, "data: a\n\rdata: b\r\n\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 0, NULL, "a", NULL);
  assert_event (&rec, 1, NULL, "b", NULL);

  /* CR CR LF: the line, then a blank line. */
  feed_str (parser, &rec, "data: c\r\r\ndata: d\n\n");
  g_assert_cmpuint (rec.events->len, ==, 4);
  assert_event (&rec, 2, NULL, "c", NULL);
  assert_event (&rec, 3, NULL, "d", NULL);

  /* A CR dispatches at once, without waiting for a possible LF. */
  feed_str (parser, &rec, "data: e\r\r");
  g_assert_cmpuint (rec.events->len, ==, 5);
  assert_event (&rec, 4, NULL, "e", NULL);
  feed_str (parser, &rec, "\ndata: f\n\n");
  g_assert_cmpuint (rec.events->len, ==, 6);
  assert_event (&rec, 5, NULL, "f", NULL);

  recorder_clear (&rec);
}

static void
test_line_ends_cr_split (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  /* CR | LF is one line end, so this is not a blank line. */
  parser = parse_whole (&rec, "data: a\r");
  feed_str (parser, &rec, "\ndata: b\r");
  feed_str (parser, &rec, "\n");
  g_assert_cmpuint (rec.events->len, ==, 0);
  feed_str (parser, &rec, "\r");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "a\nb", NULL);
  feed_str (parser, &rec, "\n");   /* the LF of that CRLF */
  g_assert_cmpuint (rec.events->len, ==, 1);

  /* An empty chunk between CR and LF changes nothing. */
  feed_str (parser, &rec, "data: c\r");
  feed_copy (parser, &rec, "", 0);
  feed_copy (parser, &rec, NULL, 0);
  feed_str (parser, &rec, "\n");
  feed_copy (parser, &rec, "", 0);
  feed_str (parser, &rec, "\r\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 1, NULL, "c", NULL);

  /* CR | CR: two line ends. */
  feed_str (parser, &rec, "data: d\r");
  feed_str (parser, &rec, "\r");
  g_assert_cmpuint (rec.events->len, ==, 3);
  assert_event (&rec, 2, NULL, "d", NULL);

  /* CR | LF LF: the second LF is the blank line. */
  feed_str (parser, &rec, "data: e\r");
  feed_str (parser, &rec, "\n\n");
  g_assert_cmpuint (rec.events->len, ==, 4);
  assert_event (&rec, 3, NULL, "e", NULL);

  /* A partial line ended by CR at a chunk end. */
  feed_str (parser, &rec, "da");
  feed_str (parser, &rec, "ta: f\r");
  feed_str (parser, &rec, "\ndata: g\r");
  feed_str (parser, &rec, "\n\r");
  g_assert_cmpuint (rec.events->len, ==, 5);
  assert_event (&rec, 4, NULL, "f\ng", NULL);

  recorder_clear (&rec);
}

/* ------------------------------------------------------------------ */
/* Byte order mark                                                     */

static void
test_bom_whole (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec, "\xEF\xBB\xBF" "data: a\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "a", NULL);
  recorder_clear (&rec);

  /* A stream that is only the BOM, then the rest. */
  g_clear_pointer (&parser, ek_sse_parser_free);
  parser = parse_whole (&rec, "\xEF\xBB\xBF");
  feed_str (parser, &rec, "data: b\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "b", NULL);
  recorder_clear (&rec);
}

static void
test_bom_split (void)
{
  const char *input = "\xEF\xBB\xBF" "data: a\n\n";

  for (gsize cut1 = 0; cut1 <= 4; cut1++)
    for (gsize cut2 = cut1; cut2 <= 4; cut2++)
      {
        Recorder rec;
        g_autoptr(EkSseParser) parser = parse_whole (&rec, "");

        feed_copy (parser, &rec, input, cut1);
        feed_copy (parser, &rec, input + cut1, cut2 - cut1);
        feed_str (parser, &rec, input + cut2);
        g_assert_cmpuint (rec.events->len, ==, 1);
        assert_event (&rec, 0, NULL, "a", NULL);
        recorder_clear (&rec);
      }
}

static void
test_bom_not_at_start (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  /* Inside a value it is data. */
  parser = parse_whole (&rec, "data: \xEF\xBB\xBFx\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "\xEF\xBB\xBFx", NULL);

  /* At the start of a later line it is part of the field name. */
  feed_str (parser, &rec, "\xEF\xBB\xBF" "data: y\n\ndata: z\n\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 1, NULL, "z", NULL);
  recorder_clear (&rec);
  g_clear_pointer (&parser, ek_sse_parser_free);

  /* Only one BOM is skipped at the start: a second is part of the name. */
  parser = parse_whole (&rec, "\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "b", NULL);
  recorder_clear (&rec);
  g_clear_pointer (&parser, ek_sse_parser_free);

  /* A partial BOM is not skipped: its bytes stay in the first line. */
  parser = parse_whole (&rec, "\xEF\xBB");
  feed_str (parser, &rec, "data: a\n\ndata: b\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "b", NULL);
  recorder_clear (&rec);
  g_clear_pointer (&parser, ek_sse_parser_free);

  /* A partial BOM ended by a line end is a line (a field named "\xEF"). */
  parser = parse_whole (&rec, "\xEF\ndata: c\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "c", NULL);
  recorder_clear (&rec);
}

/* ------------------------------------------------------------------ */
/* Empty events                                                        */

static void
test_empty_data_event (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec, "data:\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "", NULL);

  feed_str (parser, &rec, "event: ping\ndata\r\n\r\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 1, "ping", "", NULL);

  /* Split over chunks (data comes from the line buffer). */
  feed_str (parser, &rec, "dat");
  feed_str (parser, &rec, "a:");
  feed_str (parser, &rec, "\n");
  feed_str (parser, &rec, "\n");
  g_assert_cmpuint (rec.events->len, ==, 3);
  assert_event (&rec, 2, NULL, "", NULL);

  recorder_clear (&rec);
}

static void
test_blank_lines (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec, "\n\n\r\n\r\r\n\n");
  g_assert_cmpuint (rec.events->len, ==, 0);

  feed_str (parser, &rec, ": comment\n\nid: 1\n\nretry: 5\n\nfoo: bar\n\n");
  g_assert_cmpuint (rec.events->len, ==, 0);

  /* The event type is reset by a blank line without data. */
  feed_str (parser, &rec, "event: gone\n\n\n\ndata: d\n\n\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "d", "1");

  recorder_clear (&rec);
}

/* ------------------------------------------------------------------ */
/* Chunking                                                            */

static const char corpus[] =
  "\xEF\xBB\xBF"
  ": hello\n"
  "retry: 2500\n"
  "data: {\"type\":\"server.connected\",\"properties\":{}}\n"
  "\n"
  "event: update\r\n"
  "id: 42\r\n"
  "data: first line\r\n"
  "data:second line\r\n"
  "data:  third\r\n"
  "\r\n"
  "data: cr only\rdata: more\r\r"
  "data\n"
  "\n"
  "data:\n"
  "data:\n"
  "\n"
  "id: x\0y\n"
  "event\n"
  "unknown: field\n"
  "data: after id with NUL\n"
  "\n"
  ":\n"
  "data: \xEF\xBB\xBF" "bom in value\n"
  "\xEF\xBB\xBF" "data: bom as name\n"
  "\n"
  "retry: 12x\n"
  "id\n"
  "data: a\n\rdata: b\r\n\n"
  "event: end\n"
  "data: no final blank line";

static void
test_one_byte_chunks (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *bytes = NULL;
  gsize whole_len, bytes_len;

  whole = parse_log (corpus, sizeof corpus - 1, 0, 0, &whole_len);
  bytes = parse_log (corpus, sizeof corpus - 1, 0, 1, &bytes_len);
  g_assert_cmpmem (whole, whole_len, bytes, bytes_len);

  /* And the content is what the grammar says. */
  recorder_init (&rec);
  parser = ek_sse_parser_new (on_event, on_error, &rec);
  feed_split (parser, &rec, corpus, sizeof corpus - 1, 1);
  g_assert_cmpuint (rec.events->len, ==, 9);
  assert_event (&rec, 0, NULL, "{\"type\":\"server.connected\",\"properties\":{}}", NULL);
  assert_event (&rec, 1, "update", "first line\nsecond line\n third", "42");
  assert_event (&rec, 2, NULL, "cr only\nmore", "42");
  assert_event (&rec, 3, NULL, "", "42");
  assert_event (&rec, 4, NULL, "\n", "42");
  assert_event (&rec, 5, NULL, "after id with NUL", "42");
  assert_event (&rec, 6, NULL, "\xEF\xBB\xBF" "bom in value", "42");
  assert_event (&rec, 7, NULL, "a", NULL);
  assert_event (&rec, 8, NULL, "b", NULL);
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, 2500);
  ek_sse_parser_finish (parser);
  g_assert_cmpuint (rec.events->len, ==, 9);
  g_assert_cmpuint (rec.errors->len, ==, 0);
  recorder_clear (&rec);
}

static void
test_random_chunks (void)
{
  guint iterations = g_test_thorough () ? 5000 : 500;

  assert_split_invariant (corpus, sizeof corpus - 1, 0, iterations, 40);
  /* With a limit small enough to skip some of the events too. */
  assert_split_invariant (corpus, sizeof corpus - 1, 30, iterations / 5, 40);
}

static char *
load_fixture (gsize *len)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  path = g_test_build_filename (G_TEST_DIST, "fixtures", "long", "events.sse", NULL);
  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_fixture_chunks (void)
{
  g_autofree char *contents = NULL;
  g_autofree char *whole = NULL;
  Recorder rec;
  EkSseParser *parser;
  gsize len, whole_len;
  guint expected = 0;
  guint iterations = g_test_thorough () ? 50 : 6;

  contents = load_fixture (&len);
  g_assert_cmpuint (len, >, 0);

  /* The recording is one "data: {json}" line and a blank line per event. */
  for (const char *p = contents; p != NULL && p < contents + len; )
    {
      if (strncmp (p, "data: ", 6) == 0)
        expected++;
      p = memchr (p, '\n', contents + len - p);
      if (p != NULL)
        p++;
    }
  g_assert_cmpuint (expected, >, 1000);

  recorder_init (&rec);
  parser = ek_sse_parser_new (on_event, on_error, &rec);
  feed_copy (parser, &rec, contents, len);
  ek_sse_parser_finish (parser);
  g_assert_cmpuint (rec.events->len, ==, expected);
  g_assert_cmpuint (rec.errors->len, ==, 0);
  /* Every event was handed over without a copy. */
  g_assert_cmpuint (rec.n_in_chunk, ==, expected);
  for (guint i = 0; i < rec.events->len; i++)
    {
      Event *ev = event_at (&rec, i);

      g_assert_null (ev->type);
      g_assert_null (ev->id);
      g_assert_cmpuint (ev->len, >=, 2);
      g_assert_cmpint (ev->data[0], ==, '{');
      g_assert_cmpint (ev->data[ev->len - 1], ==, '}');
      g_assert_null (strchr (ev->data, '\n'));
    }
  ek_sse_parser_free (parser);
  recorder_clear (&rec);

  whole = parse_log (contents, len, 0, 0, &whole_len);

  {
    g_autofree char *bytes = NULL;
    gsize bytes_len;

    bytes = parse_log (contents, len, 0, 1, &bytes_len);
    g_assert_cmpmem (whole, whole_len, bytes, bytes_len);
  }

  for (guint i = 0; i < iterations; i++)
    {
      static const gsize max_chunks[] = { 7, 100, 1500, 16384, 65536 };
      g_autofree char *split = NULL;
      gsize split_len;

      split = parse_log (contents, len, 0,
                         max_chunks[i % G_N_ELEMENTS (max_chunks)], &split_len);
      g_assert_cmpmem (whole, whole_len, split, split_len);
    }
}

/* ------------------------------------------------------------------ */
/* Zero copy                                                           */

static void
test_zero_copy (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  parser = parse_whole (&rec, "data: one\n\nevent: e\nid: 1\ndata: two\r\n\r\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  g_assert_cmpuint (rec.n_in_chunk, ==, 2);

  /* Two data lines have to be joined, so they are copied. */
  feed_str (parser, &rec, "data: a\ndata: b\n\n");
  g_assert_cmpuint (rec.events->len, ==, 3);
  g_assert_cmpuint (rec.n_in_chunk, ==, 2);
  assert_event (&rec, 2, NULL, "a\nb", "1");

  /* A line that was cut by a chunk end comes from the parser's buffer. */
  feed_str (parser, &rec, "data: sp");
  feed_str (parser, &rec, "lit\n\n");
  g_assert_cmpuint (rec.events->len, ==, 4);
  g_assert_cmpuint (rec.n_in_chunk, ==, 2);
  assert_event (&rec, 3, NULL, "split", "1");

  /* A data line whose event is ended in the next chunk is kept safely. */
  feed_str (parser, &rec, "data: kept\n");
  feed_str (parser, &rec, "\n");
  g_assert_cmpuint (rec.events->len, ==, 5);
  assert_event (&rec, 4, NULL, "kept", "1");

  recorder_clear (&rec);
}

/* ------------------------------------------------------------------ */
/* Size limit                                                          */

static char *
make_payload (gsize len)
{
  char *buf = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    buf[i] = 'a' + (i * 7 + i / 61) % 26;
  buf[len] = '\0';
  return buf;
}

static void
test_large_under_limit (void)
{
  const gsize size = 10 * 1024 * 1024;
  g_autofree char *payload = make_payload (size);
  GString *input = g_string_sized_new (size + 64);
  GString *multi = g_string_sized_new (size + size / 1000 * 8 + 64);
  g_autoptr(GString) expected_multi = g_string_sized_new (size + size / 1000 + 64);

  g_string_append (input, "event: big\ndata: ");
  g_string_append_len (input, payload, size);
  g_string_append (input, "\n\ndata: next\n\n");

  /* The same payload as many data lines of 1000 bytes. */
  for (gsize pos = 0; pos < size; pos += 1000)
    {
      gsize n = MIN (1000, size - pos);

      g_string_append (multi, "data:");
      g_string_append_len (multi, payload + pos, n);
      g_string_append (multi, "\r\n");
      if (pos > 0)
        g_string_append_c (expected_multi, '\n');
      g_string_append_len (expected_multi, payload + pos, n);
    }
  g_string_append (multi, "\r\n");

  for (gsize max_chunk = 0; max_chunk <= 65536; max_chunk += 65536)
    {
      Recorder rec;
      g_autoptr(EkSseParser) parser = NULL;
      Event *ev;

      recorder_init (&rec);
      parser = ek_sse_parser_new (on_event, on_error, &rec);

      feed_split (parser, &rec, input->str, input->len, max_chunk);
      g_assert_cmpuint (rec.errors->len, ==, 0);
      g_assert_cmpuint (rec.events->len, ==, 2);
      ev = event_at (&rec, 0);
      g_assert_cmpstr (ev->type, ==, "big");
      g_assert_cmpmem (ev->data, ev->len, payload, size);
      assert_event (&rec, 1, NULL, "next", NULL);

      feed_split (parser, &rec, multi->str, multi->len, max_chunk);
      g_assert_cmpuint (rec.errors->len, ==, 0);
      g_assert_cmpuint (rec.events->len, ==, 3);
      ev = event_at (&rec, 2);
      g_assert_cmpmem (ev->data, ev->len, expected_multi->str, expected_multi->len);

      recorder_clear (&rec);
    }

  g_string_free (input, TRUE);
  g_string_free (multi, TRUE);
}

static void
check_over_limit (const char *big,
                  gsize       big_len,
                  gsize       max_chunk)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;
  const GError *error;

  recorder_init (&rec);
  parser = ek_sse_parser_new (on_event, on_error, &rec);
  ek_sse_parser_set_max_event_size (parser, 1024);
  g_assert_cmpuint (ek_sse_parser_get_max_event_size (parser), ==, 1024);

  feed_str (parser, &rec, "id: 1\ndata: before\n\n");
  feed_split (parser, &rec, big, big_len, max_chunk);
  feed_split (parser, &rec, "data: after\n\n", 13, max_chunk);

  g_assert_cmpuint (rec.errors->len, ==, 1);
  error = g_ptr_array_index (rec.errors, 0);
  g_assert_error (error, EK_SSE_ERROR, EK_SSE_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "Event larger than 1 KiB skipped");

  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 0, NULL, "before", "1");
  assert_event (&rec, 1, NULL, "after", "1");
  recorder_clear (&rec);
}

static void
test_large_over_limit (void)
{
  const gsize size = 100 * 1024;
  g_autofree char *payload = make_payload (size);
  g_autoptr(GString) one_line = g_string_new (NULL);
  g_autoptr(GString) many_lines = g_string_new (NULL);
  g_autoptr(GString) long_event = g_string_new (NULL);

  /* One huge data line (with an id and type that must be skipped too). */
  g_string_append (one_line, "event: huge\ndata: ");
  g_string_append_len (one_line, payload, size);
  g_string_append (one_line, "\nid: skipped\ndata: more\r\n\r\n");

  /* Many small lines adding up to too much. */
  for (gsize pos = 0; pos < size; pos += 100)
    {
      g_string_append (many_lines, "data: ");
      g_string_append_len (many_lines, payload + pos, 100);
      g_string_append_c (many_lines, '\r');
    }
  g_string_append_c (many_lines, '\r');

  /* An event type line that is too long on its own. */
  g_string_append (long_event, "event: ");
  g_string_append_len (long_event, payload, 4096);
  g_string_append (long_event, "\ndata: x\n\n");

  for (guint i = 0; i < 3; i++)
    {
      GString *big = i == 0 ? one_line : i == 1 ? many_lines : long_event;

      check_over_limit (big->str, big->len, 0);
      check_over_limit (big->str, big->len, 1);
      check_over_limit (big->str, big->len, 4096);
      for (guint j = 0; j < 10; j++)
        check_over_limit (big->str, big->len, 3000);
    }

  /* Long comments are fine: they are never buffered. */
  {
    g_autoptr(GString) comment = g_string_new (": ");
    Recorder rec;
    g_autoptr(EkSseParser) parser = NULL;

    g_string_append_len (comment, payload, size);
    g_string_append (comment, "\ndata: ok\n\n");

    recorder_init (&rec);
    parser = ek_sse_parser_new (on_event, on_error, &rec);
    ek_sse_parser_set_max_event_size (parser, 1024);
    feed_split (parser, &rec, comment->str, comment->len, 0);
    feed_split (parser, &rec, comment->str, comment->len, 1000);
    g_assert_cmpuint (rec.errors->len, ==, 0);
    g_assert_cmpuint (rec.events->len, ==, 2);
    assert_event (&rec, 0, NULL, "ok", NULL);
    assert_event (&rec, 1, NULL, "ok", NULL);
    recorder_clear (&rec);
  }
}

static void
test_large_error_message (void)
{
  static const struct {
    gsize limit;
    const char *message;
  } cases[] = {
    { EK_SSE_DEFAULT_MAX_EVENT_SIZE, "Event larger than 64 MiB skipped" },
    { 1024, "Event larger than 1 KiB skipped" },
    { 10, "Event larger than 10 bytes skipped" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Recorder rec;
      g_autoptr(EkSseParser) parser = NULL;
      g_autofree char *payload = make_payload (64 * 1024);
      const GError *error;

      recorder_init (&rec);
      parser = ek_sse_parser_new (on_event, on_error, &rec);
      ek_sse_parser_set_max_event_size (parser, cases[i].limit);
      feed_str (parser, &rec, "data: ");
      /* Exactly the limit's worth of data, in 64 KiB chunks. */
      for (gsize fed = 0; fed < cases[i].limit; fed += 64 * 1024)
        feed_copy (parser, &rec, payload, MIN (64 * 1024, cases[i].limit - fed));
      g_assert_cmpuint (rec.errors->len, ==, 1);
      feed_str (parser, &rec, "\n\ndata: ok\n\n");

      g_assert_cmpuint (rec.errors->len, ==, 1);
      error = g_ptr_array_index (rec.errors, 0);
      g_assert_error (error, EK_SSE_ERROR, EK_SSE_ERROR_TOO_LARGE);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpuint (rec.events->len, ==, 1);
      assert_event (&rec, 0, NULL, "ok", NULL);
      recorder_clear (&rec);
    }
}

/* ------------------------------------------------------------------ */
/* Robustness                                                          */

static void
test_binary_garbage (void)
{
  guint iterations = g_test_thorough () ? 200 : 40;

  for (guint i = 0; i < iterations; i++)
    {
      /* Bytes that matter to the grammar are made more frequent. */
      static const char special[] = { '\n', '\r', ':', ' ', '\0', 'd', 'a', 't',
                                      'i', 'e', '\xEF', '\xBB', '\xBF' };
      gsize len = g_test_rand_int_range (0, 8192);
      g_autofree char *buf = g_malloc (len + 1);
      gsize limit = (i % 3 == 0) ? (gsize) g_test_rand_int_range (1, 200) : 0;

      for (gsize j = 0; j < len; j++)
        {
          guint r = g_test_rand_int_range (0, 4);

          if (r == 0)
            buf[j] = special[g_test_rand_int_range (0, G_N_ELEMENTS (special))];
          else if (r == 1 && j + 5 < len)
            {
              memcpy (buf + j, "data:", 5);
              j += 4;
            }
          else
            buf[j] = (char) g_test_rand_int_range (0, 256);
        }

      assert_split_invariant (buf, len, limit, 3, 300);
    }
}

static void
test_reset (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  /* A partial line is dropped. */
  parser = parse_whole (&rec, "id: 7\nretry: 100\ndata: partial");
  ek_sse_parser_reset (parser);
  feed_str (parser, &rec, "\n\ndata: ok\n\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  /* The last id and retry survive. */
  assert_event (&rec, 0, NULL, "ok", "7");
  g_assert_cmpint (ek_sse_parser_get_retry (parser), ==, 100);

  /* A partial event is dropped, with its type. */
  feed_str (parser, &rec, "event: t\ndata: a\n");
  ek_sse_parser_reset (parser);
  feed_str (parser, &rec, "data: b\n\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 1, NULL, "b", "7");

  /* The BOM is skipped again at the start of the new stream. */
  ek_sse_parser_reset (parser);
  feed_str (parser, &rec, "\xEF\xBB");
  feed_str (parser, &rec, "\xBF" "data: c\n\n");
  g_assert_cmpuint (rec.events->len, ==, 3);
  assert_event (&rec, 2, NULL, "c", "7");

  /* A reset in the middle of a BOM starts over. */
  ek_sse_parser_reset (parser);
  feed_str (parser, &rec, "\xEF");
  ek_sse_parser_reset (parser);
  feed_str (parser, &rec, "\xEF\xBB\xBF" "data: d\n\n");
  g_assert_cmpuint (rec.events->len, ==, 4);
  assert_event (&rec, 3, NULL, "d", "7");

  /* A pending CR is forgotten: the LF is now a blank line of the new
   * stream, which changes nothing. */
  feed_str (parser, &rec, "data: e\r");
  ek_sse_parser_reset (parser);
  feed_str (parser, &rec, "\ndata: f\n\n");
  g_assert_cmpuint (rec.events->len, ==, 5);
  assert_event (&rec, 4, NULL, "f", "7");

  /* A reset while skipping an oversized event ends the skipping. */
  ek_sse_parser_set_max_event_size (parser, 16);
  feed_str (parser, &rec, "data: 0123456789abcdefghij");
  g_assert_cmpuint (rec.errors->len, ==, 1);
  ek_sse_parser_reset (parser);
  feed_str (parser, &rec, "data: g\n\n");
  g_assert_cmpuint (rec.events->len, ==, 6);
  assert_event (&rec, 5, NULL, "g", "7");
  g_assert_cmpuint (ek_sse_parser_get_max_event_size (parser), ==, 16);

  recorder_clear (&rec);
}

static void
test_finish (void)
{
  Recorder rec;
  g_autoptr(EkSseParser) parser = NULL;

  /* An event without its blank line is not dispatched. */
  parser = parse_whole (&rec, "data: a\n\ndata: b\n");
  g_assert_cmpuint (rec.events->len, ==, 1);
  ek_sse_parser_finish (parser);
  g_assert_cmpuint (rec.events->len, ==, 1);
  assert_event (&rec, 0, NULL, "a", NULL);

  /* Nor a last line without its line end. */
  feed_str (parser, &rec, "data: c");
  ek_sse_parser_finish (parser);
  feed_str (parser, &rec, "data: d\r");
  ek_sse_parser_finish (parser);
  g_assert_cmpuint (rec.events->len, ==, 1);

  /* The parser can take a new stream afterwards. */
  feed_str (parser, &rec, "\xEF\xBB\xBF" "data: e\n\n");
  g_assert_cmpuint (rec.events->len, ==, 2);
  assert_event (&rec, 1, NULL, "e", NULL);

  /* Finishing an empty or complete stream is harmless. */
  ek_sse_parser_finish (parser);
  ek_sse_parser_finish (parser);
  g_assert_cmpuint (rec.events->len, ==, 2);

  recorder_clear (&rec);
}

/* ------------------------------------------------------------------ */
/* Re-entrancy guard                                                   */

static void
reentrant_event (const char *event_type,
                 const char *data,
                 gsize       data_len,
                 const char *last_event_id,
                 gpointer    user_data)
{
  EkSseParser *parser = *(EkSseParser **) user_data;

  /* Allowed. */
  g_assert_cmpstr (ek_sse_parser_get_last_event_id (parser), ==, last_event_id);
  /* Not allowed. */
  ek_sse_parser_feed (parser, "data: x\n\n", 9);
}

static void
test_reentrancy (void)
{
  if (g_test_subprocess ())
    {
      EkSseParser *parser = NULL;

      parser = ek_sse_parser_new (reentrant_event, NULL, &parser);
      ek_sse_parser_feed (parser, "data: a\n\n", 9);
      ek_sse_parser_free (parser);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*in_callback*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse/single-event", test_single_event);
  g_test_add_func ("/sse/multi-line-data", test_multi_line_data);
  g_test_add_func ("/sse/comments", test_comments);
  g_test_add_func ("/sse/id", test_id);
  g_test_add_func ("/sse/event-type", test_event_type);
  g_test_add_func ("/sse/retry/valid", test_retry_valid);
  g_test_add_func ("/sse/retry/invalid", test_retry_invalid);
  g_test_add_func ("/sse/field-without-colon", test_field_without_colon);
  g_test_add_func ("/sse/space-handling", test_space_handling);
  g_test_add_func ("/sse/line-ends/lf", test_line_ends_lf);
  g_test_add_func ("/sse/line-ends/crlf", test_line_ends_crlf);
  g_test_add_func ("/sse/line-ends/cr", test_line_ends_cr);
  g_test_add_func ("/sse/line-ends/mixed", test_line_ends_mixed);
  g_test_add_func ("/sse/line-ends/cr-split-from-lf", test_line_ends_cr_split);
  g_test_add_func ("/sse/bom/whole", test_bom_whole);
  g_test_add_func ("/sse/bom/split", test_bom_split);
  g_test_add_func ("/sse/bom/not-at-start", test_bom_not_at_start);
  g_test_add_func ("/sse/empty-data-event", test_empty_data_event);
  g_test_add_func ("/sse/blank-lines", test_blank_lines);
  g_test_add_func ("/sse/chunks/one-byte", test_one_byte_chunks);
  g_test_add_func ("/sse/chunks/random", test_random_chunks);
  g_test_add_func ("/sse/chunks/fixture", test_fixture_chunks);
  g_test_add_func ("/sse/zero-copy", test_zero_copy);
  g_test_add_func ("/sse/size/under-limit", test_large_under_limit);
  g_test_add_func ("/sse/size/over-limit", test_large_over_limit);
  g_test_add_func ("/sse/size/error-message", test_large_error_message);
  g_test_add_func ("/sse/binary-garbage", test_binary_garbage);
  g_test_add_func ("/sse/reset", test_reset);
  g_test_add_func ("/sse/finish", test_finish);
  g_test_add_func ("/sse/reentrancy", test_reentrancy);

  return g_test_run ();
}
