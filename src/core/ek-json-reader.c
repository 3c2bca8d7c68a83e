/* ek-json-reader.c: a fast strict JSON reader that builds json-glib nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib's own parser reads a character at a time through GScanner,
 * about 30 MB/s here.  This reader takes runs of plain characters at once
 * and builds the same JsonNode tree.  It accepts strict JSON only and gives
 * up (NULL, no error) on anything else; ek_json_parse() then asks
 * json-glib, so malformed text is still reported in json-glib's words.
 *
 * Everything here is reentrant and may run in any thread.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "ek-json-reader.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static inline int
hex_digit (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (EkJsonScanner *s,
           gunichar      *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_digit (s->p[i]);

      if (digit < 0)
        return FALSE;
      v = (v << 4) | (gunichar) digit;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

#define ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* Eight bytes at a time: which are a quote, a backslash or a control
 * character?  A byte's top bit says so.  The lowest marked byte is always
 * right (a borrow only marks bytes above a marked one). */
static inline guint64
special_bytes (guint64 w)
{
  guint64 quote = w ^ (ONES * '"');
  guint64 backslash = w ^ (ONES * '\\');
  guint64 special = ((quote - ONES) & ~quote) |
                    ((backslash - ONES) & ~backslash) |
                    ((w - ONES * 0x20) & ~w);

  return special & HIGHS;
}

/* The first byte from @p on that may end a run of plain characters (a
 * quote, a backslash or a control character), or a byte near the end to
 * look at by itself.  Sets @high when a byte ≥ 0x80 was seen on the way
 * (perhaps one just after the returned byte: that only costs a check). */
static inline const char *
next_special (const char *p,
              const char *end,
              gboolean   *high)
{
#ifdef __SSE2__
  const __m128i quotes = _mm_set1_epi8 ('"');
  const __m128i backslashes = _mm_set1_epi8 ('\\');
  const __m128i controls = _mm_set1_epi8 (0x1f);

  while (end - p >= 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) (const void *) p);
      __m128i special = _mm_or_si128 (_mm_or_si128 (_mm_cmpeq_epi8 (v, quotes),
                                                    _mm_cmpeq_epi8 (v, backslashes)),
                                      _mm_cmpeq_epi8 (_mm_max_epu8 (v, controls), controls));
      int mask = _mm_movemask_epi8 (special);

      *high |= _mm_movemask_epi8 (v) != 0;
      if (mask != 0)
        return p + __builtin_ctz ((unsigned) mask);
      p += 16;
    }
#endif

  while (end - p >= 8)
    {
      guint64 w;
      guint64 special;

      memcpy (&w, p, sizeof w);
      special = special_bytes (w);
      *high |= (w & HIGHS) != 0;
      if (special != 0)
        {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
          return p + __builtin_ctzll (special) / 8;
#else
          return p;
#endif
        }
      p += 8;
    }
  return p;
}

/* Skips plain string characters; stops at a quote, a backslash, a control
 * character or the end.  Sets @high when a byte ≥ 0x80 was passed. */
static inline const char *
skip_plain (const char *p,
            const char *end,
            gboolean   *high)
{
  for (;;)
    {
      guchar c;

      p = next_special (p, end, high);
      if (p >= end)
        break;
      c = (guchar) *p;
      if (c == '"' || c == '\\' || c < 0x20)
        break;
      *high |= c >= 0x80;
      p++;
    }
  return p;
}

/* After a backslash: decodes one escape onto @out. */
static gboolean
read_escape (EkJsonScanner *s,
             GString       *out)
{
  gunichar u;

  if (s->p >= s->end)
    return FALSE;
  switch (*s->p++)
    {
    case '"':
      g_string_append_c (out, '"');
      return TRUE;
    case '\\':
      g_string_append_c (out, '\\');
      return TRUE;
    case '/':
      g_string_append_c (out, '/');
      return TRUE;
    case 'b':
      g_string_append_c (out, '\b');
      return TRUE;
    case 'f':
      g_string_append_c (out, '\f');
      return TRUE;
    case 'n':
      g_string_append_c (out, '\n');
      return TRUE;
    case 'r':
      g_string_append_c (out, '\r');
      return TRUE;
    case 't':
      g_string_append_c (out, '\t');
      return TRUE;
    case 'u':
      if (!read_hex4 (s, &u))
        return FALSE;
      if (u >= 0xD800 && u <= 0xDBFF)
        {
          gunichar low;

          if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
            return FALSE;
          s->p += 2;
          if (!read_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
            return FALSE;
          u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
        }
      else if (u >= 0xDC00 && u <= 0xDFFF)
        return FALSE;
      g_string_append_unichar (out, u);
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * ek_json_scanner_read_string_view:
 * @s: a scanner whose current character is the opening quote
 * @scratch: where a string with escapes is decoded
 * @str: (out): the string: inside the scanned text when it has no
 *   escapes (then not nul-terminated), else @scratch's
 * @len: (out): its length in bytes
 *
 * Reads a string, copying only when it has escapes.  Strict: control
 * characters, unknown escapes, lone surrogates and invalid UTF-8
 * are all refused.
 *
 * Returns: %TRUE when a whole string was read
 */
gboolean
ek_json_scanner_read_string_view (EkJsonScanner  *s,
                                  GString        *scratch,
                                  const char    **str,
                                  gsize          *len)
{
  const char *start;
  gboolean high = FALSE;

  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  start = ++s->p;

  s->p = skip_plain (s->p, s->end, &high);
  if (s->p >= s->end || (guchar) *s->p < 0x20)
    return FALSE;

  if (*s->p == '"')
    {
      /* the common case: no escapes, no copy */
      if (high && !g_utf8_validate_len (start, s->p - start, NULL))
        return FALSE;
      *str = start;
      *len = s->p - start;
      s->p++;
      return TRUE;
    }

  /* escapes: decode into @scratch, run by run */
  g_string_truncate (scratch, 0);
  for (;;)
    {
      const char *run = s->p;

      if (start != NULL)
        {
          run = start;
          start = NULL;
        }
      else
        s->p = skip_plain (s->p, s->end, &high);

      if (s->p > run)
        g_string_append_len (scratch, run, s->p - run);
      if (s->p >= s->end || (guchar) *s->p < 0x20)
        return FALSE;
      if (*s->p == '"')
        break;

      s->p++; /* the backslash */
      if (!read_escape (s, scratch))
        return FALSE;
    }

  if (high && !g_utf8_validate_len (scratch->str, scratch->len, NULL))
    return FALSE;
  *str = scratch->str;
  *len = scratch->len;
  s->p++;
  return TRUE;
}

/**
 * ek_json_scanner_read_string:
 * @s: a scanner whose current character is the opening quote
 * @out: where the decoded string is appended
 *
 * Returns: %TRUE when a whole string was read
 */
gboolean
ek_json_scanner_read_string (EkJsonScanner *s,
                             GString       *out)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  const char *str;
  gsize len;

  if (!ek_json_scanner_read_string_view (s, scratch, &str, &len))
    return FALSE;
  g_string_append_len (out, str, len);
  return TRUE;
}

static inline void
skip_digits (EkJsonScanner *s)
{
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
}

/**
 * ek_json_scanner_skip_number:
 * @s: a scanner at the first character of a number
 *
 * Returns: %TRUE when a JSON number was skipped
 */
gboolean
ek_json_scanner_skip_number (EkJsonScanner *s)
{
  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else if (*s->p >= '1' && *s->p <= '9')
    skip_digits (s);
  else
    return FALSE;

  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      skip_digits (s);
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      skip_digits (s);
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Building nodes                                                     */

static JsonNode *read_value (EkJsonScanner *s,
                             GString       *buf,
                             guint          depth);

static JsonNode *
read_number (EkJsonScanner *s)
{
  const char *start = s->p;
  gboolean integral = TRUE;
  char text[64];
  gsize len;

  if (!ek_json_scanner_skip_number (s))
    return NULL;
  len = s->p - start;
  if (len >= sizeof text)
    {
      g_autofree char *copy = g_strndup (start, len);

      return json_node_init_double (json_node_alloc (), g_ascii_strtod (copy, NULL));
    }

  memcpy (text, start, len);
  text[len] = '\0';
  if (memchr (text, '.', len) != NULL || memchr (text, 'e', len) != NULL ||
      memchr (text, 'E', len) != NULL)
    integral = FALSE;

  if (integral)
    {
      gint64 value;

      errno = 0;
      value = g_ascii_strtoll (text, NULL, 10);
      if (errno == 0)
        return json_node_init_int (json_node_alloc (), value);
      /* out of gint64's range: a double, as json-glib does */
    }
  return json_node_init_double (json_node_alloc (), g_ascii_strtod (text, NULL));
}

static gboolean
read_word (EkJsonScanner *s,
           const char    *word,
           gsize          len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

static gboolean skip_value (EkJsonScanner *s,
                            GString       *scratch,
                            guint          depth);

static gboolean
skip_members (EkJsonScanner *s,
              GString       *scratch,
              guint          depth,
              char           close)
{
  s->p++; /* the bracket or brace */
  ek_json_scanner_skip_ws (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      if (close == '}')
        {
          const char *key;
          gsize len;

          ek_json_scanner_skip_ws (s);
          if (!ek_json_scanner_read_string_view (s, scratch, &key, &len))
            return FALSE;
          ek_json_scanner_skip_ws (s);
          if (s->p >= s->end || *s->p != ':')
            return FALSE;
          s->p++;
        }
      if (!skip_value (s, scratch, depth + 1))
        return FALSE;

      ek_json_scanner_skip_ws (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == close)
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return FALSE;
      s->p++;
    }
}

static gboolean
skip_value (EkJsonScanner *s,
            GString       *scratch,
            guint          depth)
{
  const char *str;
  gsize len;

  if (depth > EK_JSON_MAX_DEPTH)
    return FALSE;

  ek_json_scanner_skip_ws (s);
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      return skip_members (s, scratch, depth, '}');
    case '[':
      return skip_members (s, scratch, depth, ']');
    case '"':
      return ek_json_scanner_read_string_view (s, scratch, &str, &len);
    case 't':
      return read_word (s, "true", 4);
    case 'f':
      return read_word (s, "false", 5);
    case 'n':
      return read_word (s, "null", 4);
    default:
      return ek_json_scanner_skip_number (s);
    }
}

/**
 * ek_json_scanner_skip_value:
 * @s: a scanner at a value (or at whitespace before it)
 * @scratch: room for decoding strings with escapes
 *
 * Passes over one value, checking it as strictly as ek_json_read_strict()
 * does, without building anything.
 *
 * Returns: %TRUE when a whole strict JSON value was passed over
 */
gboolean
ek_json_scanner_skip_value (EkJsonScanner *s,
                            GString       *scratch)
{
  return skip_value (s, scratch, 0);
}

static JsonNode *
read_object (EkJsonScanner *s,
             GString       *buf,
             guint          depth)
{
  g_autoptr(JsonObject) object = json_object_new ();

  s->p++; /* the brace */
  ek_json_scanner_skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      g_autofree char *long_key = NULL;
      char short_key[128];
      const char *key;
      JsonNode *value;
      const char *str;
      gsize len;

      ek_json_scanner_skip_ws (s);
      if (!ek_json_scanner_read_string_view (s, buf, &str, &len))
        return NULL;
      /* json-glib copies the name: a nul-terminated copy on the stack will do */
      if (len < sizeof short_key)
        {
          memcpy (short_key, str, len);
          short_key[len] = '\0';
          key = short_key;
        }
      else
        key = long_key = g_strndup (str, len);

      ek_json_scanner_skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return NULL;
      s->p++;

      value = read_value (s, buf, depth + 1);
      if (value == NULL)
        return NULL;
      /* a repeated key replaces the earlier value, as in json-glib */
      json_object_set_member (object, key, value);

      ek_json_scanner_skip_ws (s);
      if (s->p >= s->end)
        return NULL;
      if (*s->p == '}')
        {
          s->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      if (*s->p != ',')
        return NULL;
      s->p++;
    }
}

static JsonNode *
read_array (EkJsonScanner *s,
            GString       *buf,
            guint          depth)
{
  g_autoptr(JsonArray) array = json_array_new ();

  s->p++; /* the bracket */
  ek_json_scanner_skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return json_node_init_array (json_node_alloc (), array);
    }

  for (;;)
    {
      JsonNode *value = read_value (s, buf, depth + 1);

      if (value == NULL)
        return NULL;
      json_array_add_element (array, value);

      ek_json_scanner_skip_ws (s);
      if (s->p >= s->end)
        return NULL;
      if (*s->p == ']')
        {
          s->p++;
          return json_node_init_array (json_node_alloc (), array);
        }
      if (*s->p != ',')
        return NULL;
      s->p++;
    }
}

static JsonNode *
read_value (EkJsonScanner *s,
            GString       *buf,
            guint          depth)
{
  if (depth > EK_JSON_MAX_DEPTH)
    return NULL;

  ek_json_scanner_skip_ws (s);
  if (s->p >= s->end)
    return NULL;

  switch (*s->p)
    {
    case '{':
      return read_object (s, buf, depth);
    case '[':
      return read_array (s, buf, depth);
    case '"':
      {
        const char *str;
        gsize len;
        JsonNode *node;

        if (!ek_json_scanner_read_string_view (s, buf, &str, &len))
          return NULL;
        /* json-glib copies a nul-terminated string; hand it one */
        if (str != buf->str)
          {
            g_string_truncate (buf, 0);
            g_string_append_len (buf, str, len);
          }
        node = json_node_init_string (json_node_alloc (), buf->str);
        return node;
      }
    case 't':
      if (!read_word (s, "true", 4))
        return NULL;
      return json_node_init_boolean (json_node_alloc (), TRUE);
    case 'f':
      if (!read_word (s, "false", 5))
        return NULL;
      return json_node_init_boolean (json_node_alloc (), FALSE);
    case 'n':
      if (!read_word (s, "null", 4))
        return NULL;
      return json_node_init_null (json_node_alloc ());
    default:
      return read_number (s);
    }
}

/**
 * ek_json_scanner_read_value:
 * @s: a scanner at a value (or at whitespace before it)
 * @scratch: room for decoding strings
 *
 * Reads one strict JSON value into a tree, leaving @s after it.
 *
 * Returns: (transfer full) (nullable): the node, or %NULL when the text
 *   there is not a strict JSON value
 */
JsonNode *
ek_json_scanner_read_value (EkJsonScanner *s,
                            GString       *scratch)
{
  return read_value (s, scratch, 0);
}

/**
 * ek_json_read_strict:
 * @data: the text
 * @len: its length in bytes
 *
 * Reads one strict JSON document.  Thread-safe.
 *
 * Returns: (transfer full) (nullable): the root node, or %NULL, with no
 *   error, when the text is not strict JSON or nests deeper than
 *   %EK_JSON_MAX_DEPTH levels
 */
JsonNode *
ek_json_read_strict (const char *data,
                     gsize       len)
{
  EkJsonScanner s = { data, data + len };
  g_autoptr(GString) buf = NULL;
  JsonNode *root;

  if (data == NULL)
    return NULL;

  buf = g_string_sized_new (256);
  root = read_value (&s, buf, 0);
  if (root == NULL)
    return NULL;
  ek_json_scanner_skip_ws (&s);
  if (s.p != s.end)
    {
      json_node_unref (root);
      return NULL;
    }
  return root;
}

/* Counts bracket depth outside strings, without parsing. */
static gboolean
nests_too_deep (const char *data,
                gsize       len)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > EK_JSON_MAX_DEPTH)
            return TRUE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return FALSE;
}

/**
 * ek_json_parse:
 * @data: the text
 * @len: its length in bytes
 * @error: return location for a #JSON_PARSER_ERROR
 *
 * Reads one strict JSON document; for anything else json-glib says what
 * is wrong with it.  Empty text and
 * documents nested deeper than %EK_JSON_MAX_DEPTH are errors too.
 * Thread-safe.
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
ek_json_parse (const char  *data,
               gsize        len,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  root = ek_json_read_strict (data, len);
  if (root != NULL)
    return root;

  if (nests_too_deep (data, len))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "The document nests deeper than %d levels", EK_JSON_MAX_DEPTH);
      return NULL;
    }

  /* not strict JSON: json-glib, being lenient (single quotes…), only
   * gets to say what is wrong */
  parser = json_parser_new ();
  if (len > 0 && !json_parser_load_from_data (parser, data, len, error))
    return NULL;

  if (json_parser_get_root (parser) == NULL)
    g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                         "The document is empty");
  else
    g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                         "The document is not strict JSON");
  return NULL;
}
