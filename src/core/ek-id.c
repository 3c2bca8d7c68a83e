/* ek-id.c: ids in the server's scheme
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An id is `prefix_` + 12 lowercase hex digits + 14 random base62
 * characters.  The hex digits are the low 48 bits of
 * `milliseconds * 4096 + counter`, where the counter starts at 1 in each
 * new millisecond; descending ids (sessions) carry the bitwise NOT of
 * those 48 bits, so that the newest sorts first.
 *
 * The server keeps only the low 48 bits, so the field wraps every 2^36 ms
 * (about 795 days; the last wrap was 2026-08-14).  Ids made on both sides
 * of a wrap do not sort by time: order messages by (time.created, id).
 *
 * Unlike the server, this generator never goes backwards: when the clock
 * steps back, or more than 4095 ids are asked for in one millisecond, it
 * keeps counting from the last value it handed out.
 */

#include "config.h"

#include <string.h>

#include "ek-id.h"

#define COUNTER_BITS 12
#define COUNTER_MAX  ((1u << COUNTER_BITS) - 1)

static const char base62[] =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static GMutex id_lock;
static gint64 last_ms;
static guint  last_counter;

/* Returns the next (ms, counter) pair, strictly after the previous one. */
static void
next_stamp (gint64 *ms,
            guint  *counter)
{
  gint64 now = g_get_real_time () / 1000;

  g_mutex_lock (&id_lock);
  if (now > last_ms)
    {
      last_ms = now;
      last_counter = 0;
    }
  last_counter++;
  if (last_counter > COUNTER_MAX)
    {
      last_ms++;
      last_counter = 1;
    }
  *ms = last_ms;
  *counter = last_counter;
  g_mutex_unlock (&id_lock);
}

/**
 * ek_id_new_for_time:
 * @prefix: the id's kind, e.g. "msg", "prt", "ses"
 * @descending: whether newer ids sort first (session ids)
 * @ms: milliseconds since the epoch
 * @counter: the sequence number within that millisecond (1 for the first)
 *
 * Makes an id for a given time, with a fresh random tail.  Does not touch
 * the generator's state: use ek_id_ascending() or ek_id_descending() for
 * new ids.
 *
 * Returns: (transfer full): the id
 */
char *
ek_id_new_for_time (const char *prefix,
                    gboolean    descending,
                    gint64      ms,
                    guint       counter)
{
  guint64 field;
  GString *id;

  g_return_val_if_fail (prefix != NULL, NULL);

  field = ((guint64) ms * (COUNTER_MAX + 1) + counter) & EK_ID_FIELD_MASK;
  if (descending)
    field = ~field & EK_ID_FIELD_MASK;

  id = g_string_sized_new (strlen (prefix) + 1 + EK_ID_HEX_DIGITS + EK_ID_RANDOM_CHARS);
  g_string_append_printf (id, "%s_%012" G_GINT64_MODIFIER "x", prefix, field);
  for (int i = 0; i < EK_ID_RANDOM_CHARS; i++)
    g_string_append_c (id, base62[g_random_int_range (0, 62)]);

  return g_string_free (id, FALSE);
}

/**
 * ek_id_ascending:
 * @prefix: "msg", "prt", ...
 *
 * Makes a new id that sorts after every id this process made before
 * (and after the server's ids made earlier, within one 795-day period).
 * Thread-safe.
 *
 * Returns: (transfer full): the id
 */
char *
ek_id_ascending (const char *prefix)
{
  gint64 ms;
  guint counter;

  next_stamp (&ms, &counter);
  return ek_id_new_for_time (prefix, FALSE, ms, counter);
}

/**
 * ek_id_descending:
 * @prefix: "ses", ...
 *
 * Like ek_id_ascending(), but newer ids sort first.  Thread-safe.
 *
 * Returns: (transfer full): the id
 */
char *
ek_id_descending (const char *prefix)
{
  gint64 ms;
  guint counter;

  next_stamp (&ms, &counter);
  return ek_id_new_for_time (prefix, TRUE, ms, counter);
}

/**
 * ek_id_parse:
 * @id: an id
 * @descending: whether @id is a descending id (its field is then
 *   un-negated)
 * @prefix: (out) (optional) (transfer full): the part before the `_`
 * @field: (out) (optional): the 48-bit `ms * 4096 + counter` value
 *
 * Returns: %TRUE if @id has the server's format
 */
gboolean
ek_id_parse (const char  *id,
             gboolean     descending,
             char       **prefix,
             guint64     *field)
{
  const char *sep;
  const char *p;
  guint64 value = 0;

  if (id == NULL)
    return FALSE;
  sep = strchr (id, '_');
  if (sep == NULL || sep == id)
    return FALSE;
  for (p = id; p < sep; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;

  p = sep + 1;
  for (int i = 0; i < EK_ID_HEX_DIGITS; i++, p++)
    {
      int digit = g_ascii_xdigit_value (*p);

      if (digit < 0 || g_ascii_isupper (*p))
        return FALSE;
      value = (value << 4) | (guint64) digit;
    }
  for (int i = 0; i < EK_ID_RANDOM_CHARS; i++, p++)
    if (*p == '\0' || !g_ascii_isalnum (*p))
      return FALSE;
  if (*p != '\0')
    return FALSE;

  if (descending)
    value = ~value & EK_ID_FIELD_MASK;
  if (prefix != NULL)
    *prefix = g_strndup (id, sep - id);
  if (field != NULL)
    *field = value;
  return TRUE;
}

/**
 * ek_id_get_timestamp:
 * @id: an id
 * @descending: whether @id is a descending id
 * @near_ms: a time known to be within about a year of the id's
 *   (e.g. now, or the message's `time.created`)
 *
 * The field keeps the time only modulo 2^36 ms; this picks the time that
 * is congruent to it and closest to @near_ms.
 *
 * Returns: the millisecond the id was made in, or -1 if @id is malformed
 */
gint64
ek_id_get_timestamp (const char *id,
                     gboolean    descending,
                     gint64      near_ms)
{
  const gint64 period = G_GINT64_CONSTANT (1) << (48 - COUNTER_BITS);
  guint64 field;
  gint64 ms;

  if (!ek_id_parse (id, descending, NULL, &field))
    return -1;

  ms = (gint64) (field >> COUNTER_BITS);
  ms += (near_ms - ms) / period * period;
  if (near_ms - ms > period / 2)
    ms += period;
  else if (ms - near_ms > period / 2)
    ms -= period;
  return ms;
}
