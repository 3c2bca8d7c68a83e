/* ek-event.c: decoding one server event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two decoders meet here.  Most of a real stream (over 90 %) is
 * `message.part.delta` events: small flat objects of strings.  Those are
 * read by a strict scanner that accepts exactly that shape and nothing
 * else; anything it does not fully understand falls back to json-glib,
 * which decodes every other event.  Both produce the same EkEvent.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "ek-event-private.h"

G_DEFINE_QUARK (ek-event-error-quark, ek_event_error)

G_DEFINE_BOXED_TYPE (EkEvent, ek_event, ek_event_ref, ek_event_unref)

static const struct
{
  const char  *name;
  EkEventKind  kind;
} kind_names[] = {
  { "server.connected", EK_EVENT_SERVER_CONNECTED },
  { "server.heartbeat", EK_EVENT_SERVER_HEARTBEAT },
  { "server.instance.disposed", EK_EVENT_SERVER_INSTANCE_DISPOSED },
  { "session.created", EK_EVENT_SESSION_CREATED },
  { "session.updated", EK_EVENT_SESSION_UPDATED },
  { "session.deleted", EK_EVENT_SESSION_DELETED },
  { "session.status", EK_EVENT_SESSION_STATUS },
  { "session.idle", EK_EVENT_SESSION_IDLE },
  { "session.error", EK_EVENT_SESSION_ERROR },
  { "session.diff", EK_EVENT_SESSION_DIFF },
  { "message.updated", EK_EVENT_MESSAGE_UPDATED },
  { "message.removed", EK_EVENT_MESSAGE_REMOVED },
  { "message.part.updated", EK_EVENT_PART_UPDATED },
  { "message.part.delta", EK_EVENT_PART_DELTA },
  { "message.part.removed", EK_EVENT_PART_REMOVED },
  { "permission.asked", EK_EVENT_PERMISSION_ASKED },
  { "permission.replied", EK_EVENT_PERMISSION_REPLIED },
  { "question.asked", EK_EVENT_QUESTION_ASKED },
  { "question.replied", EK_EVENT_QUESTION_REPLIED },
  { "question.rejected", EK_EVENT_QUESTION_REJECTED },
  { "todo.updated", EK_EVENT_TODO_UPDATED },
  { "file.edited", EK_EVENT_FILE_EDITED },
  { "file.watcher.updated", EK_EVENT_FILE_WATCHER_UPDATED },
  { "vcs.branch.updated", EK_EVENT_VCS_BRANCH_UPDATED },
  { "project.updated", EK_EVENT_PROJECT_UPDATED },
  { "plugin.added", EK_EVENT_PLUGIN_ADDED },
  { "catalog.updated", EK_EVENT_CATALOG_UPDATED },
};

const char *
ek_event_kind_to_string (EkEventKind kind)
{
  if (kind == EK_EVENT_LSP)
    return "lsp.*";

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind_names[i].kind == kind)
      return kind_names[i].name;

  return "unknown";
}

EkEventKind
ek_event_kind_from_string (const char *type_name)
{
  if (type_name == NULL)
    return EK_EVENT_UNKNOWN;

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (kind_names[i].name, type_name) == 0)
      return kind_names[i].kind;

  if (g_str_has_prefix (type_name, "lsp."))
    return EK_EVENT_LSP;

  return EK_EVENT_UNKNOWN;
}

EkEvent *
ek_event_ref (EkEvent *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ek_event_unref (EkEvent *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->merged != NULL)
    g_string_free (self->merged, TRUE);
  g_clear_pointer (&self->properties, json_object_unref);
  g_free (self);
}

/**
 * ek_event_new_full:
 * @strs: the event's strings, each %NULL when absent
 * @lens: their lengths, or -1 (as gsize) to measure
 * @properties: (transfer none) (nullable): kept by the event
 *
 * Makes an event in one allocation, copying the strings after the struct.
 */
EkEvent *
ek_event_new_full (EkEventKind  kind,
                   const char  *strs[EK_EVENT_N_STRS],
                   const gsize  lens[EK_EVENT_N_STRS],
                   JsonObject  *properties)
{
  gsize len[EK_EVENT_N_STRS];
  const char **slots[EK_EVENT_N_STRS];
  gsize total = 0;
  EkEvent *self;
  char *out;

  for (int i = 0; i < EK_EVENT_N_STRS; i++)
    {
      len[i] = strs[i] == NULL ? 0 : lens[i] == (gsize) -1 ? strlen (strs[i]) : lens[i];
      if (strs[i] != NULL)
        total += len[i] + 1;
    }

  self = g_malloc (sizeof (EkEvent) + total);
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->delta_len = len[EK_EVENT_STR_DELTA];
  self->merged = NULL;
  self->properties = properties ? json_object_ref (properties) : NULL;

  slots[EK_EVENT_STR_TYPE] = &self->type_name;
  slots[EK_EVENT_STR_ID] = &self->id;
  slots[EK_EVENT_STR_DIRECTORY] = &self->directory;
  slots[EK_EVENT_STR_SESSION] = &self->session_id;
  slots[EK_EVENT_STR_MESSAGE] = &self->message_id;
  slots[EK_EVENT_STR_PART] = &self->part_id;
  slots[EK_EVENT_STR_FIELD] = &self->field;
  slots[EK_EVENT_STR_DELTA] = &self->delta;

  out = self->strings;
  for (int i = 0; i < EK_EVENT_N_STRS; i++)
    {
      if (strs[i] == NULL)
        {
          *slots[i] = NULL;
          continue;
        }
      memcpy (out, strs[i], len[i]);
      out[len[i]] = '\0';
      *slots[i] = out;
      out += len[i] + 1;
    }

  return self;
}

EkEvent *
ek_event_new_delta (const char *session_id,
                    const char *message_id,
                    const char *part_id,
                    const char *field,
                    const char *delta,
                    gsize       delta_len)
{
  const char *strs[EK_EVENT_N_STRS] = {
    [EK_EVENT_STR_TYPE] = "message.part.delta",
    [EK_EVENT_STR_SESSION] = session_id,
    [EK_EVENT_STR_MESSAGE] = message_id,
    [EK_EVENT_STR_PART] = part_id,
    [EK_EVENT_STR_FIELD] = field,
    [EK_EVENT_STR_DELTA] = delta,
  };
  gsize lens[EK_EVENT_N_STRS];

  for (int i = 0; i < EK_EVENT_N_STRS; i++)
    lens[i] = (gsize) -1;
  lens[EK_EVENT_STR_DELTA] = delta_len;

  return ek_event_new_full (EK_EVENT_PART_DELTA, strs, lens, NULL);
}

/**
 * ek_event_append_delta:
 *
 * Merges a later delta of the same part and field into this one.  Only
 * for an event nobody else holds (the coalescer's own).
 */
void
ek_event_append_delta (EkEvent    *self,
                       const char *delta,
                       gsize       len)
{
  g_return_if_fail (self->kind == EK_EVENT_PART_DELTA);

  if (self->merged == NULL)
    {
      self->merged = g_string_sized_new (MAX (self->delta_len + len, 256) * 2);
      g_string_append_len (self->merged, self->delta, self->delta_len);
    }
  g_string_append_len (self->merged, delta, len);
  self->delta = self->merged->str;
  self->delta_len = self->merged->len;
}

EkEventKind
ek_event_get_kind (const EkEvent *self)
{
  return self->kind;
}

const char *
ek_event_get_type_name (const EkEvent *self)
{
  return self->type_name;
}

const char *
ek_event_get_id (const EkEvent *self)
{
  return self->id;
}

const char *
ek_event_get_directory (const EkEvent *self)
{
  return self->directory;
}

const char *
ek_event_get_session_id (const EkEvent *self)
{
  return self->session_id;
}

const char *
ek_event_get_message_id (const EkEvent *self)
{
  return self->message_id;
}

/**
 * ek_event_get_part_id:
 *
 * The part id for `message.part.*` events, and the request id for
 * permission and question events.
 */
const char *
ek_event_get_part_id (const EkEvent *self)
{
  return self->part_id;
}

const char *
ek_event_get_field (const EkEvent *self)
{
  return self->field;
}

const char *
ek_event_get_delta (const EkEvent *self,
                    gsize         *len)
{
  if (len != NULL)
    *len = self->delta_len;
  return self->delta;
}

/**
 * ek_event_get_properties:
 *
 * Returns: (transfer none) (nullable): the `properties` object; %NULL for
 *   deltas decoded on the fast path, which keep only their strings.
 */
JsonObject *
ek_event_get_properties (const EkEvent *self)
{
  return self->properties;
}

/* ------------------------------------------------------------------ */
/* The fast path: {"id":…,"type":"message.part.delta","properties":{…}} */

typedef struct
{
  const char *p;
  const char *end;
} Scanner;

static inline void
scan_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static inline int
hex_value (char c)
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
scan_hex4 (Scanner *s,
           gunichar *out)
{
  gunichar v = 0;

  if (s->end - s->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (s->p[i]);
      if (h < 0)
        return FALSE;
      v = (v << 4) | (gunichar) h;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* Reads a JSON string (the opening quote already current) into @out,
 * appending.  Strict: control characters, bad escapes, lone surrogates
 * and invalid UTF-8 all fail, and the caller falls back to json-glib
 * (which then reports the error in its own words). */
static gboolean
scan_string (Scanner *s,
             GString *out)
{
  if (s->p >= s->end || *s->p != '"')
    return FALSE;
  s->p++;

  for (;;)
    {
      const char *run = s->p;

      while (s->p < s->end)
        {
          guchar c = (guchar) *s->p;
          if (c == '"' || c == '\\' || c < 0x20)
            break;
          s->p++;
        }
      if (s->p > run)
        {
          if (!g_utf8_validate_len (run, s->p - run, NULL))
            return FALSE;
          g_string_append_len (out, run, s->p - run);
        }
      if (s->p >= s->end)
        return FALSE;

      if (*s->p == '"')
        {
          s->p++;
          return TRUE;
        }
      if ((guchar) *s->p < 0x20)
        return FALSE;

      /* an escape */
      s->p++;
      if (s->p >= s->end)
        return FALSE;
      switch (*s->p++)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u;

            if (!scan_hex4 (s, &u))
              return FALSE;
            if (u >= 0xD800 && u <= 0xDBFF)
              {
                gunichar lo;

                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
                  return FALSE;
                s->p += 2;
                if (!scan_hex4 (s, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                  return FALSE;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
              }
            else if (u >= 0xDC00 && u <= 0xDFFF)
              return FALSE;
            if (u == 0)
              return FALSE;
            g_string_append_unichar (out, u);
          }
          break;
        default:
          return FALSE;
        }
    }
}

/* A JSON number, validated and skipped. */
static gboolean
scan_number (Scanner *s)
{
  const char *start = s->p;

  if (s->p < s->end && *s->p == '-')
    s->p++;
  if (s->p >= s->end)
    return FALSE;
  if (*s->p == '0')
    s->p++;
  else if (*s->p >= '1' && *s->p <= '9')
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  else
    return FALSE;
  if (s->p < s->end && *s->p == '.')
    {
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  return s->p > start;
}

enum {
  DELTA_SESSION_ID,
  DELTA_MESSAGE_ID,
  DELTA_PART_ID,
  DELTA_FIELD,
  DELTA_DELTA,
  N_DELTA_KEYS
};

static const char * const delta_keys[N_DELTA_KEYS] = {
  "sessionID", "messageID", "partID", "field", "delta",
};

static gboolean
scan_delta_properties (Scanner *s,
                       GString *key,
                       GString *values[N_DELTA_KEYS])
{
  guint seen = 0;

  if (*s->p != '{')
    return FALSE;
  s->p++;
  scan_ws (s);
  if (s->p < s->end && *s->p == '}')
    return FALSE;

  for (;;)
    {
      int which = -1;

      scan_ws (s);
      g_string_truncate (key, 0);
      if (!scan_string (s, key))
        return FALSE;
      for (int i = 0; i < N_DELTA_KEYS; i++)
        if (strcmp (key->str, delta_keys[i]) == 0)
          which = i;
      if (which < 0 || (seen & (1u << which)) != 0)
        return FALSE;
      seen |= 1u << which;

      scan_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return FALSE;
      s->p++;
      scan_ws (s);
      if (!scan_string (s, values[which]))
        return FALSE;
      scan_ws (s);
      if (s->p >= s->end)
        return FALSE;
      if (*s->p == ',')
        {
          s->p++;
          continue;
        }
      if (*s->p == '}')
        {
          s->p++;
          break;
        }
      return FALSE;
    }

  return seen == (1u << N_DELTA_KEYS) - 1;
}

typedef struct
{
  GString *key;
  GString *type;
  GString *id;
  GString *values[N_DELTA_KEYS];
} FastScratch;

static void
fast_scratch_free (gpointer data)
{
  FastScratch *scratch = data;

  g_string_free (scratch->key, TRUE);
  g_string_free (scratch->type, TRUE);
  g_string_free (scratch->id, TRUE);
  for (int i = 0; i < N_DELTA_KEYS; i++)
    g_string_free (scratch->values[i], TRUE);
  g_free (scratch);
}

static GPrivate fast_scratch_key = G_PRIVATE_INIT (fast_scratch_free);

static FastScratch *
fast_scratch_get (void)
{
  FastScratch *scratch = g_private_get (&fast_scratch_key);

  if (scratch == NULL)
    {
      scratch = g_new0 (FastScratch, 1);
      scratch->key = g_string_sized_new (32);
      scratch->type = g_string_sized_new (32);
      scratch->id = g_string_sized_new (32);
      for (int i = 0; i < N_DELTA_KEYS; i++)
        scratch->values[i] = g_string_sized_new (64);
      g_private_set (&fast_scratch_key, scratch);
    }

  g_string_truncate (scratch->type, 0);
  g_string_truncate (scratch->id, 0);
  for (int i = 0; i < N_DELTA_KEYS; i++)
    g_string_truncate (scratch->values[i], 0);
  return scratch;
}

/* Returns NULL when the text is anything but a well-formed delta event of
 * exactly the expected shape; the caller then uses json-glib. */
static EkEvent *
decode_delta_fast (const char *data,
                   gsize       len)
{
  Scanner s = { data, data + len };
  FastScratch *scratch;
  gboolean have_type = FALSE, have_id = FALSE, have_props = FALSE;

  scan_ws (&s);
  if (s.p >= s.end || *s.p != '{')
    return NULL;
  s.p++;

  scratch = fast_scratch_get ();

  for (;;)
    {
      GString *key = scratch->key;

      scan_ws (&s);
      g_string_truncate (key, 0);
      if (!scan_string (&s, key))
        return NULL;
      scan_ws (&s);
      if (s.p >= s.end || *s.p != ':')
        return NULL;
      s.p++;
      scan_ws (&s);
      if (s.p >= s.end)
        return NULL;

      if (strcmp (key->str, "type") == 0)
        {
          if (have_type || !scan_string (&s, scratch->type))
            return NULL;
          if (strcmp (scratch->type->str, "message.part.delta") != 0)
            return NULL;
          have_type = TRUE;
        }
      else if (strcmp (key->str, "id") == 0 || strcmp (key->str, "eventId") == 0)
        {
          /* ekacode servers send both; either names the event */
          if (*s.p != '"')
            return NULL;
          g_string_truncate (scratch->id, 0);
          if (!scan_string (&s, scratch->id))
            return NULL;
          have_id = TRUE;
        }
      else if (strcmp (key->str, "properties") == 0)
        {
          if (have_props || !scan_delta_properties (&s, key, scratch->values))
            return NULL;
          have_props = TRUE;
        }
      else if (strcmp (key->str, "sequence") == 0 || strcmp (key->str, "timestamp") == 0)
        {
          if (*s.p == '"')
            {
              g_string_truncate (key, 0);
              if (!scan_string (&s, key))
                return NULL;
            }
          else if (!scan_number (&s))
            return NULL;
        }
      else
        return NULL;

      scan_ws (&s);
      if (s.p >= s.end)
        return NULL;
      if (*s.p == ',')
        {
          s.p++;
          continue;
        }
      if (*s.p == '}')
        {
          s.p++;
          break;
        }
      return NULL;
    }

  scan_ws (&s);
  if (s.p != s.end || !have_type || !have_props)
    return NULL;

  {
    GString **v = scratch->values;
    const char *strs[EK_EVENT_N_STRS] = {
      [EK_EVENT_STR_TYPE] = "message.part.delta",
      [EK_EVENT_STR_ID] = have_id ? scratch->id->str : NULL,
      [EK_EVENT_STR_SESSION] = v[DELTA_SESSION_ID]->str,
      [EK_EVENT_STR_MESSAGE] = v[DELTA_MESSAGE_ID]->str,
      [EK_EVENT_STR_PART] = v[DELTA_PART_ID]->str,
      [EK_EVENT_STR_FIELD] = v[DELTA_FIELD]->str,
      [EK_EVENT_STR_DELTA] = v[DELTA_DELTA]->str,
    };
    const gsize lens[EK_EVENT_N_STRS] = {
      [EK_EVENT_STR_TYPE] = strlen ("message.part.delta"),
      [EK_EVENT_STR_ID] = scratch->id->len,
      [EK_EVENT_STR_SESSION] = v[DELTA_SESSION_ID]->len,
      [EK_EVENT_STR_MESSAGE] = v[DELTA_MESSAGE_ID]->len,
      [EK_EVENT_STR_PART] = v[DELTA_PART_ID]->len,
      [EK_EVENT_STR_FIELD] = v[DELTA_FIELD]->len,
      [EK_EVENT_STR_DELTA] = v[DELTA_DELTA]->len,
    };

    return ek_event_new_full (EK_EVENT_PART_DELTA, strs, lens, NULL);
  }
}

/* ------------------------------------------------------------------ */
/* A JSON reader that builds json-glib nodes directly.  json-glib's own
 * parser reads a character at a time through its scanner, about 30 MB/s
 * here; this one reads runs with the scanner above.  It accepts strict
 * JSON only and gives up (NULL) on anything else, and the caller then
 * asks json-glib, so errors are still reported in json-glib's words. */

#define MAX_DEPTH 256

static JsonNode *read_value (Scanner *s, GString *buf, guint depth);

static JsonNode *
read_number (Scanner *s)
{
  const char *start = s->p;
  gboolean is_int = TRUE;
  char tmp[64];
  gsize len;
  JsonNode *node;

  if (!scan_number (s))
    return NULL;
  len = s->p - start;
  for (gsize i = 0; i < len; i++)
    if (start[i] == '.' || start[i] == 'e' || start[i] == 'E')
      is_int = FALSE;
  if (len >= sizeof tmp)
    is_int = FALSE;

  node = json_node_alloc ();
  if (is_int)
    {
      gint64 value;
      char *end;

      memcpy (tmp, start, len);
      tmp[len] = '\0';
      errno = 0;
      value = g_ascii_strtoll (tmp, &end, 10);
      if (errno == 0)
        return json_node_init_int (node, value);
    }

  {
    g_autofree char *copy = g_strndup (start, len);
    return json_node_init_double (node, g_ascii_strtod (copy, NULL));
  }
}

static gboolean
read_literal (Scanner    *s,
              const char *word,
              gsize       len)
{
  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

static JsonNode *
read_object (Scanner *s,
             GString *buf,
             guint    depth)
{
  g_autoptr(JsonObject) object = json_object_new ();

  s->p++; /* { */
  scan_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return json_node_init_object (json_node_alloc (), object);
    }

  for (;;)
    {
      g_autofree char *key = NULL;
      JsonNode *value;

      scan_ws (s);
      g_string_truncate (buf, 0);
      if (!scan_string (s, buf))
        return NULL;
      key = g_strndup (buf->str, buf->len);
      scan_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return NULL;
      s->p++;
      value = read_value (s, buf, depth + 1);
      if (value == NULL)
        return NULL;
      /* duplicate keys: json-glib keeps the last, so does this */
      json_object_set_member (object, key, value);

      scan_ws (s);
      if (s->p >= s->end)
        return NULL;
      if (*s->p == ',')
        {
          s->p++;
          continue;
        }
      if (*s->p == '}')
        {
          s->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      return NULL;
    }
}

static JsonNode *
read_array (Scanner *s,
            GString *buf,
            guint    depth)
{
  g_autoptr(JsonArray) array = json_array_new ();

  s->p++; /* [ */
  scan_ws (s);
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

      scan_ws (s);
      if (s->p >= s->end)
        return NULL;
      if (*s->p == ',')
        {
          s->p++;
          continue;
        }
      if (*s->p == ']')
        {
          s->p++;
          return json_node_init_array (json_node_alloc (), array);
        }
      return NULL;
    }
}

static JsonNode *
read_value (Scanner *s,
            GString *buf,
            guint    depth)
{
  if (depth > MAX_DEPTH)
    return NULL;

  scan_ws (s);
  if (s->p >= s->end)
    return NULL;

  switch (*s->p)
    {
    case '{':
      return read_object (s, buf, depth);
    case '[':
      return read_array (s, buf, depth);
    case '"':
      g_string_truncate (buf, 0);
      if (!scan_string (s, buf))
        return NULL;
      return json_node_init_string (json_node_alloc (), buf->str);
    case 't':
      return read_literal (s, "true", 4) ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return read_literal (s, "false", 5) ? json_node_init_boolean (json_node_alloc (), FALSE) : NULL;
    case 'n':
      return read_literal (s, "null", 4) ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      return read_number (s);
    }
}

/* Returns NULL, with no error, when the text is not strict JSON (or nests
 * deeper than MAX_DEPTH); the caller falls back to json-glib. */
static JsonNode *
read_document (const char *data,
               gsize       len)
{
  Scanner s = { data, data + len };
  g_autoptr(GString) buf = g_string_sized_new (256);
  JsonNode *root;

  root = read_value (&s, buf, 0);
  if (root == NULL)
    return NULL;
  scan_ws (&s);
  if (s.p != s.end)
    {
      json_node_unref (root);
      return NULL;
    }
  return root;
}

/* ------------------------------------------------------------------ */
/* The general path, through json-glib */

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    return NULL;
  return json_node_get_object (node);
}

static gboolean
require (const char  *type_name,
         const char  *value,
         const char  *what,
         GError     **error)
{
  if (value != NULL)
    return TRUE;
  g_set_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_PROPERTIES,
               "Event “%s” has no string “%s”", type_name, what);
  return FALSE;
}

#define S(name) strs[EK_EVENT_STR_##name]

/* Pulls the ids each kind is addressed by out of its properties, so the
 * store never has to dig for them; a known kind without them is an error. */
static gboolean
extract_ids (EkEventKind   kind,
             JsonObject   *props,
             const char   *strs[EK_EVENT_N_STRS],
             GError      **error)
{
  const char *type_name = S (TYPE);
  JsonObject *info;
  JsonObject *part;

  switch (kind)
    {
    case EK_EVENT_SESSION_CREATED:
    case EK_EVENT_SESSION_UPDATED:
    case EK_EVENT_SESSION_DELETED:
      info = get_object (props, "info");
      S (SESSION) = get_string (props, "sessionID");
      if (S (SESSION) == NULL)
        S (SESSION) = get_string (info, "id");
      return require (type_name, S (SESSION), "sessionID", error) &&
             (kind == EK_EVENT_SESSION_DELETED ||
              require (type_name, get_string (info, "id"), "info.id", error));

    case EK_EVENT_SESSION_STATUS:
      if (get_string (get_object (props, "status"), "type") == NULL)
        return require (type_name, NULL, "status.type", error);
      G_GNUC_FALLTHROUGH;
    case EK_EVENT_SESSION_IDLE:
    case EK_EVENT_SESSION_DIFF:
    case EK_EVENT_TODO_UPDATED:
      S (SESSION) = get_string (props, "sessionID");
      return require (type_name, S (SESSION), "sessionID", error);

    case EK_EVENT_SESSION_ERROR:
      /* sessionID is optional: an error may concern no session */
      S (SESSION) = get_string (props, "sessionID");
      return TRUE;

    case EK_EVENT_MESSAGE_UPDATED:
      info = get_object (props, "info");
      S (MESSAGE) = get_string (info, "id");
      S (SESSION) = get_string (props, "sessionID");
      if (S (SESSION) == NULL)
        S (SESSION) = get_string (info, "sessionID");
      return require (type_name, S (MESSAGE), "info.id", error) &&
             require (type_name, S (SESSION), "sessionID", error);

    case EK_EVENT_MESSAGE_REMOVED:
      S (SESSION) = get_string (props, "sessionID");
      S (MESSAGE) = get_string (props, "messageID");
      return require (type_name, S (SESSION), "sessionID", error) &&
             require (type_name, S (MESSAGE), "messageID", error);

    case EK_EVENT_PART_UPDATED:
      part = get_object (props, "part");
      S (PART) = get_string (part, "id");
      S (MESSAGE) = get_string (part, "messageID");
      S (SESSION) = get_string (part, "sessionID");
      if (S (SESSION) == NULL)
        S (SESSION) = get_string (props, "sessionID");
      return require (type_name, S (PART), "part.id", error) &&
             require (type_name, S (MESSAGE), "part.messageID", error) &&
             require (type_name, S (SESSION), "sessionID", error) &&
             require (type_name, get_string (part, "type"), "part.type", error);

    case EK_EVENT_PART_DELTA:
      S (SESSION) = get_string (props, "sessionID");
      S (MESSAGE) = get_string (props, "messageID");
      S (PART) = get_string (props, "partID");
      S (FIELD) = get_string (props, "field");
      S (DELTA) = get_string (props, "delta");
      return require (type_name, S (SESSION), "sessionID", error) &&
             require (type_name, S (MESSAGE), "messageID", error) &&
             require (type_name, S (PART), "partID", error) &&
             require (type_name, S (FIELD), "field", error) &&
             require (type_name, S (DELTA), "delta", error);

    case EK_EVENT_PART_REMOVED:
      S (SESSION) = get_string (props, "sessionID");
      S (MESSAGE) = get_string (props, "messageID");
      S (PART) = get_string (props, "partID");
      return require (type_name, S (SESSION), "sessionID", error) &&
             require (type_name, S (MESSAGE), "messageID", error) &&
             require (type_name, S (PART), "partID", error);

    case EK_EVENT_PERMISSION_ASKED:
    case EK_EVENT_QUESTION_ASKED:
      S (SESSION) = get_string (props, "sessionID");
      S (PART) = get_string (props, "id");
      return require (type_name, S (SESSION), "sessionID", error) &&
             require (type_name, S (PART), "id", error);

    case EK_EVENT_PERMISSION_REPLIED:
    case EK_EVENT_QUESTION_REPLIED:
    case EK_EVENT_QUESTION_REJECTED:
      S (SESSION) = get_string (props, "sessionID");
      S (PART) = get_string (props, "requestID");
      return require (type_name, S (SESSION), "sessionID", error) &&
             require (type_name, S (PART), "requestID", error);

    case EK_EVENT_SERVER_INSTANCE_DISPOSED:
      if (S (DIRECTORY) == NULL)
        S (DIRECTORY) = get_string (props, "directory");
      return TRUE;

    case EK_EVENT_UNKNOWN:
    case EK_EVENT_SERVER_CONNECTED:
    case EK_EVENT_SERVER_HEARTBEAT:
    case EK_EVENT_FILE_EDITED:
    case EK_EVENT_FILE_WATCHER_UPDATED:
    case EK_EVENT_VCS_BRANCH_UPDATED:
    case EK_EVENT_PROJECT_UPDATED:
    case EK_EVENT_LSP:
    case EK_EVENT_PLUGIN_ADDED:
    case EK_EVENT_CATALOG_UPDATED:
    case EK_EVENT_N_KINDS:
    default:
      return TRUE;
    }
}

/**
 * ek_event_decode_node:
 * @node: a parsed event: `{type, properties, …}` or the `/global/event`
 *   envelope `{directory, payload}`
 *
 * Returns: (transfer full): the event, or %NULL with @error set.  A
 *   `sync` payload of the global stream decodes as an unknown event.
 */
EkEvent *
ek_event_decode_node (JsonNode  *node,
                      GError   **error)
{
  const char *strs[EK_EVENT_N_STRS] = { NULL, };
  gsize lens[EK_EVENT_N_STRS];
  g_autoptr(JsonObject) empty = NULL;
  JsonObject *root;
  JsonObject *payload;
  JsonObject *props;
  JsonNode *props_node;
  EkEventKind kind;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    {
      g_set_error_literal (error, EK_EVENT_ERROR, EK_EVENT_ERROR_ENVELOPE,
                           "Event is not a JSON object");
      return NULL;
    }

  root = json_node_get_object (node);

  /* /global/event wraps each event as {directory, payload} */
  payload = get_object (root, "payload");
  if (payload != NULL && json_object_get_member (root, "type") == NULL)
    {
      S (DIRECTORY) = get_string (root, "directory");
      root = payload;
    }

  S (TYPE) = get_string (root, "type");
  if (S (TYPE) == NULL)
    {
      g_set_error_literal (error, EK_EVENT_ERROR, EK_EVENT_ERROR_ENVELOPE,
                           "Event has no string “type”");
      return NULL;
    }

  props_node = json_object_get_member (root, "properties");
  if (props_node != NULL && JSON_NODE_TYPE (props_node) == JSON_NODE_OBJECT)
    props = json_node_get_object (props_node);
  else if (props_node == NULL || JSON_NODE_TYPE (props_node) == JSON_NODE_NULL)
    props = empty = json_object_new ();
  else
    {
      g_set_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_ENVELOPE,
                   "Event “%s” has “properties” that are not an object", S (TYPE));
      return NULL;
    }

  kind = ek_event_kind_from_string (S (TYPE));
  S (ID) = get_string (root, "id");
  if (S (ID) == NULL)
    S (ID) = get_string (root, "eventId");

  if (!extract_ids (kind, props, strs, error))
    return NULL;

  for (int i = 0; i < EK_EVENT_N_STRS; i++)
    lens[i] = (gsize) -1;

  /* the strings are all a delta keeps */
  return ek_event_new_full (kind, strs, lens, kind == EK_EVENT_PART_DELTA ? NULL : props);
}

#undef S

/* Counts bracket depth outside strings. */
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
          if (++depth > MAX_DEPTH)
            return TRUE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return FALSE;
}

/**
 * ek_event_new:
 * @type_name: e.g. "message.updated"
 * @properties: (transfer none): its properties
 *
 * Makes an event the client itself applies, such as the user's own
 * message before the server echoes it.
 *
 * Returns: (transfer full): the event, or %NULL if @properties lack what
 *   the type needs
 */
EkEvent *
ek_event_new (const char  *type_name,
              JsonObject  *properties,
              GError     **error)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (root, "type", type_name);
  json_object_set_object_member (root, "properties", json_object_ref (properties));
  json_node_set_object (node, root);
  return ek_event_decode_node (node, error);
}

static void
parser_free (gpointer data)
{
  g_object_unref (data);
}

static GPrivate parser_key = G_PRIVATE_INIT (parser_free);

/**
 * ek_event_decode:
 * @data: the text of one SSE event (its `data:` lines joined)
 * @len: its length in bytes
 *
 * Decodes one event.  May be called from any thread.
 *
 * Returns: (transfer full): the event, or %NULL with @error set saying
 *   what was wrong with it.
 */
EkEvent *
ek_event_decode (const char  *data,
                 gsize        len,
                 GError     **error)
{
  JsonParser *parser;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  EkEvent *event;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  event = decode_delta_fast (data, len);
  if (event != NULL)
    return event;

  root = read_document (data, len);
  if (root != NULL)
    return ek_event_decode_node (root, error);

  /* not strict JSON, or deeper than we read: json-glib says what is wrong,
   * but first make sure it does not recurse without bound */
  if (nests_too_deep (data, len))
    {
      g_set_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_SYNTAX,
                   "Event nests deeper than %d levels", MAX_DEPTH);
      return NULL;
    }

  parser = g_private_get (&parser_key);
  if (parser == NULL)
    {
      parser = json_parser_new ();
      g_private_set (&parser_key, parser);
    }

  if (len == 0)
    {
      g_set_error_literal (error, EK_EVENT_ERROR, EK_EVENT_ERROR_SYNTAX,
                           "Event has no data");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_SYNTAX,
                   "Event is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  return ek_event_decode_node (root, error);
}
