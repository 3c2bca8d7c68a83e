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
#include "ek-json.h"
#include "ek-json-reader.h"

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
  slots[EK_EVENT_STR_RAW_PROPERTIES] = &self->raw_properties;

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

static inline gboolean
same_string (const char *a,
             const char *b,
             gsize       b_len)
{
  return strncmp (a, b, b_len) == 0 && a[b_len] == '\0';
}

/**
 * ek_event_continues_delta:
 * @self: a delta event
 * @scan: a delta read by the fast path
 *
 * Returns: whether @scan appends to the same part and field as @self, so
 *   that it can be merged into it
 */
gboolean
ek_event_continues_delta (const EkEvent     *self,
                          const EkDeltaScan *scan)
{
  return self->kind == EK_EVENT_PART_DELTA &&
         same_string (self->part_id, scan->part_id, scan->part_id_len) &&
         same_string (self->field, scan->field, scan->field_len) &&
         same_string (self->message_id, scan->message_id, scan->message_id_len) &&
         same_string (self->session_id, scan->session_id, scan->session_id_len);
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
  EkEvent *event = (EkEvent *) self;
  JsonObject *props = g_atomic_pointer_get (&event->properties);
  g_autoptr(JsonNode) node = NULL;

  if (props != NULL || self->raw_properties == NULL)
    return props;

  /* checked when the event was decoded: it reads */
  node = ek_json_read_strict (self->raw_properties, strlen (self->raw_properties));
  props = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_dup_object (node)
                                                         : json_object_new ();
  if (!g_atomic_pointer_compare_and_exchange (&event->properties, NULL, props))
    {
      /* another thread was first */
      json_object_unref (props);
      props = g_atomic_pointer_get (&event->properties);
    }
  return props;
}

/* ------------------------------------------------------------------ */
/* The fast path: {"id":…,"type":"message.part.delta","properties":{…}} */

/* ------------------------------------------------------------------ */
/* The fast path: {"id":…,"type":"message.part.delta","properties":{…}} */

typedef struct
{
  const char *str;
  gsize       len;
} View;

static inline gboolean
view_is (View        view,
         const char *word,
         gsize       word_len)
{
  return view.len == word_len && memcmp (view.str, word, word_len) == 0;
}

#define VIEW_IS(view, literal) view_is ((view), literal, sizeof literal - 1)

enum {
  DELTA_SESSION_ID,
  DELTA_MESSAGE_ID,
  DELTA_PART_ID,
  DELTA_FIELD,
  DELTA_DELTA,
  DELTA_ID,
  DELTA_KEY,
  ENVELOPE_TYPE,
  ENVELOPE_SKIPPED,
  N_SCRATCH
};

/* Scratch space for strings with escapes, one per value read at once;
 * per thread, kept between events. */
typedef struct
{
  GString *buf[N_SCRATCH];
} Scratch;

static void
scratch_free (gpointer data)
{
  Scratch *scratch = data;

  for (int i = 0; i < N_SCRATCH; i++)
    g_string_free (scratch->buf[i], TRUE);
  g_free (scratch);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

static Scratch *
scratch_get (void)
{
  Scratch *scratch = g_private_get (&scratch_key);

  if (scratch == NULL)
    {
      scratch = g_new0 (Scratch, 1);
      for (int i = 0; i < N_SCRATCH; i++)
        scratch->buf[i] = g_string_sized_new (64);
      g_private_set (&scratch_key, scratch);
    }
  return scratch;
}

static inline gboolean
expect (EkJsonScanner *s,
        char           c)
{
  ek_json_scanner_skip_ws (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

/* After a member: a comma (TRUE, *more) or the closing brace. */
static inline gboolean
next_member (EkJsonScanner *s,
             gboolean      *more)
{
  ek_json_scanner_skip_ws (s);
  if (s->p >= s->end)
    return FALSE;
  *more = *s->p == ',';
  if (*s->p != ',' && *s->p != '}')
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
read_view (EkJsonScanner *s,
           GString       *scratch,
           View          *view)
{
  ek_json_scanner_skip_ws (s);
  /* a \u0000 would cut the string short in json-glib: leave it to that path */
  return ek_json_scanner_read_string_view (s, scratch, &view->str, &view->len) &&
         (view->str != scratch->str || memchr (view->str, '\0', view->len) == NULL);
}

/* {"sessionID","messageID","partID","field","delta"}: all five strings,
 * in any order, nothing else. */
static gboolean
scan_delta_properties (EkJsonScanner *s,
                       Scratch       *scratch,
                       View           values[5])
{
  guint seen = 0;
  gboolean more = TRUE;

  if (!expect (s, '{'))
    return FALSE;

  while (more)
    {
      View key;
      int which;

      if (!read_view (s, scratch->buf[DELTA_KEY], &key))
        return FALSE;
      if (VIEW_IS (key, "delta"))
        which = DELTA_DELTA;
      else if (VIEW_IS (key, "partID"))
        which = DELTA_PART_ID;
      else if (VIEW_IS (key, "messageID"))
        which = DELTA_MESSAGE_ID;
      else if (VIEW_IS (key, "sessionID"))
        which = DELTA_SESSION_ID;
      else if (VIEW_IS (key, "field"))
        which = DELTA_FIELD;
      else
        return FALSE;
      if ((seen & (1u << which)) != 0)
        return FALSE;
      seen |= 1u << which;

      if (!expect (s, ':') || !read_view (s, scratch->buf[which], &values[which]) ||
          !next_member (s, &more))
        return FALSE;
    }

  return seen == 0x1f;
}

/**
 * ek_event_scan_delta:
 *
 * Reads a `message.part.delta` event of exactly the expected shape
 * without allocating.  Returns %FALSE for anything else (the caller then
 * decodes it as JSON).
 */
gboolean
ek_event_scan_delta (const char  *data,
                     gsize        len,
                     EkDeltaScan *scan)
{
  EkJsonScanner s = { data, data + len };
  Scratch *scratch = scratch_get ();
  View values[5];
  View id = { NULL, 0 };
  gboolean have_type = FALSE, have_props = FALSE;
  gboolean more = TRUE;

  if (!expect (&s, '{'))
    return FALSE;

  while (more)
    {
      View key;

      if (!read_view (&s, scratch->buf[DELTA_KEY], &key) || !expect (&s, ':'))
        return FALSE;
      ek_json_scanner_skip_ws (&s);
      if (s.p >= s.end)
        return FALSE;

      if (VIEW_IS (key, "type"))
        {
          View type;

          if (have_type || !read_view (&s, scratch->buf[DELTA_KEY], &type) ||
              !VIEW_IS (type, "message.part.delta"))
            return FALSE;
          have_type = TRUE;
        }
      else if (VIEW_IS (key, "properties"))
        {
          if (have_props || !scan_delta_properties (&s, scratch, values))
            return FALSE;
          have_props = TRUE;
        }
      else if (VIEW_IS (key, "id") || VIEW_IS (key, "eventId"))
        {
          /* ekacode servers send both; either names the event */
          if (*s.p != '"' || !read_view (&s, scratch->buf[DELTA_ID], &id))
            return FALSE;
        }
      else if (VIEW_IS (key, "sequence") || VIEW_IS (key, "timestamp"))
        {
          View ignored;

          if (*s.p == '"' ? !read_view (&s, scratch->buf[DELTA_KEY], &ignored)
                          : !ek_json_scanner_skip_number (&s))
            return FALSE;
        }
      else
        return FALSE;

      if (!next_member (&s, &more))
        return FALSE;
    }

  ek_json_scanner_skip_ws (&s);
  if (s.p != s.end || !have_type || !have_props)
    return FALSE;

  scan->id = id.str;
  scan->id_len = id.len;
  scan->session_id = values[DELTA_SESSION_ID].str;
  scan->session_id_len = values[DELTA_SESSION_ID].len;
  scan->message_id = values[DELTA_MESSAGE_ID].str;
  scan->message_id_len = values[DELTA_MESSAGE_ID].len;
  scan->part_id = values[DELTA_PART_ID].str;
  scan->part_id_len = values[DELTA_PART_ID].len;
  scan->field = values[DELTA_FIELD].str;
  scan->field_len = values[DELTA_FIELD].len;
  scan->delta = values[DELTA_DELTA].str;
  scan->delta_len = values[DELTA_DELTA].len;
  return TRUE;
}

EkEvent *
ek_event_new_from_scan (const EkDeltaScan *scan)
{
  const char *strs[EK_EVENT_N_STRS] = {
    [EK_EVENT_STR_TYPE] = "message.part.delta",
    [EK_EVENT_STR_ID] = scan->id,
    [EK_EVENT_STR_SESSION] = scan->session_id,
    [EK_EVENT_STR_MESSAGE] = scan->message_id,
    [EK_EVENT_STR_PART] = scan->part_id,
    [EK_EVENT_STR_FIELD] = scan->field,
    [EK_EVENT_STR_DELTA] = scan->delta,
  };
  const gsize lens[EK_EVENT_N_STRS] = {
    [EK_EVENT_STR_TYPE] = strlen ("message.part.delta"),
    [EK_EVENT_STR_ID] = scan->id_len,
    [EK_EVENT_STR_SESSION] = scan->session_id_len,
    [EK_EVENT_STR_MESSAGE] = scan->message_id_len,
    [EK_EVENT_STR_PART] = scan->part_id_len,
    [EK_EVENT_STR_FIELD] = scan->field_len,
    [EK_EVENT_STR_DELTA] = scan->delta_len,
  };

  return ek_event_new_full (EK_EVENT_PART_DELTA, strs, lens, NULL);
}

/* ------------------------------------------------------------------ */
/* The general path, through json-glib */

/* Names the kind, not the type as sent: on the scanner's path the type
 * is a view into the event's text, not a string of its own. */
static gboolean
require (EkEventKind  kind,
         const char  *value,
         const char  *what,
         GError     **error)
{
  if (value != NULL)
    return TRUE;
  g_set_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_PROPERTIES,
               "Event “%s” has no string “%s”", ek_event_kind_to_string (kind), what);
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
  JsonObject *info;
  JsonObject *part;

  switch (kind)
    {
    case EK_EVENT_SESSION_CREATED:
    case EK_EVENT_SESSION_UPDATED:
    case EK_EVENT_SESSION_DELETED:
      info = ek_json_get_object (props, "info");
      S (SESSION) = ek_json_get_string (props, "sessionID");
      if (S (SESSION) == NULL)
        S (SESSION) = ek_json_get_string (info, "id");
      return require (kind, S (SESSION), "sessionID", error) &&
             (kind == EK_EVENT_SESSION_DELETED ||
              require (kind, ek_json_get_string (info, "id"), "info.id", error));

    case EK_EVENT_SESSION_STATUS:
      if (ek_json_get_string (ek_json_get_object (props, "status"), "type") == NULL)
        return require (kind, NULL, "status.type", error);
      G_GNUC_FALLTHROUGH;
    case EK_EVENT_SESSION_IDLE:
    case EK_EVENT_SESSION_DIFF:
    case EK_EVENT_TODO_UPDATED:
      S (SESSION) = ek_json_get_string (props, "sessionID");
      return require (kind, S (SESSION), "sessionID", error);

    case EK_EVENT_SESSION_ERROR:
      /* sessionID is optional: an error may concern no session */
      S (SESSION) = ek_json_get_string (props, "sessionID");
      return TRUE;

    case EK_EVENT_MESSAGE_UPDATED:
      info = ek_json_get_object (props, "info");
      S (MESSAGE) = ek_json_get_string (info, "id");
      S (SESSION) = ek_json_get_string (props, "sessionID");
      if (S (SESSION) == NULL)
        S (SESSION) = ek_json_get_string (info, "sessionID");
      return require (kind, S (MESSAGE), "info.id", error) &&
             require (kind, S (SESSION), "sessionID", error);

    case EK_EVENT_MESSAGE_REMOVED:
      S (SESSION) = ek_json_get_string (props, "sessionID");
      S (MESSAGE) = ek_json_get_string (props, "messageID");
      return require (kind, S (SESSION), "sessionID", error) &&
             require (kind, S (MESSAGE), "messageID", error);

    case EK_EVENT_PART_UPDATED:
      part = ek_json_get_object (props, "part");
      S (PART) = ek_json_get_string (part, "id");
      S (MESSAGE) = ek_json_get_string (part, "messageID");
      S (SESSION) = ek_json_get_string (part, "sessionID");
      if (S (SESSION) == NULL)
        S (SESSION) = ek_json_get_string (props, "sessionID");
      return require (kind, S (PART), "part.id", error) &&
             require (kind, S (MESSAGE), "part.messageID", error) &&
             require (kind, S (SESSION), "sessionID", error) &&
             require (kind, ek_json_get_string (part, "type"), "part.type", error);

    case EK_EVENT_PART_DELTA:
      S (SESSION) = ek_json_get_string (props, "sessionID");
      S (MESSAGE) = ek_json_get_string (props, "messageID");
      S (PART) = ek_json_get_string (props, "partID");
      S (FIELD) = ek_json_get_string (props, "field");
      S (DELTA) = ek_json_get_string (props, "delta");
      return require (kind, S (SESSION), "sessionID", error) &&
             require (kind, S (MESSAGE), "messageID", error) &&
             require (kind, S (PART), "partID", error) &&
             require (kind, S (FIELD), "field", error) &&
             require (kind, S (DELTA), "delta", error);

    case EK_EVENT_PART_REMOVED:
      S (SESSION) = ek_json_get_string (props, "sessionID");
      S (MESSAGE) = ek_json_get_string (props, "messageID");
      S (PART) = ek_json_get_string (props, "partID");
      return require (kind, S (SESSION), "sessionID", error) &&
             require (kind, S (MESSAGE), "messageID", error) &&
             require (kind, S (PART), "partID", error);

    case EK_EVENT_PERMISSION_ASKED:
    case EK_EVENT_QUESTION_ASKED:
      S (SESSION) = ek_json_get_string (props, "sessionID");
      S (PART) = ek_json_get_string (props, "id");
      return require (kind, S (SESSION), "sessionID", error) &&
             require (kind, S (PART), "id", error);

    case EK_EVENT_PERMISSION_REPLIED:
    case EK_EVENT_QUESTION_REPLIED:
    case EK_EVENT_QUESTION_REJECTED:
      S (SESSION) = ek_json_get_string (props, "sessionID");
      S (PART) = ek_json_get_string (props, "requestID");
      return require (kind, S (SESSION), "sessionID", error) &&
             require (kind, S (PART), "requestID", error);

    case EK_EVENT_SERVER_INSTANCE_DISPOSED:
      if (S (DIRECTORY) == NULL)
        S (DIRECTORY) = ek_json_get_string (props, "directory");
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
  payload = ek_json_get_object (root, "payload");
  if (payload != NULL && json_object_get_member (root, "type") == NULL)
    {
      S (DIRECTORY) = ek_json_get_string (root, "directory");
      root = payload;
    }

  S (TYPE) = ek_json_get_string (root, "type");
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
  S (ID) = ek_json_get_string (root, "id");
  if (S (ID) == NULL)
    S (ID) = ek_json_get_string (root, "eventId");

  if (!extract_ids (kind, props, strs, error))
    return NULL;

  for (int i = 0; i < EK_EVENT_N_STRS; i++)
    lens[i] = (gsize) -1;

  /* the strings are all a delta keeps */
  return ek_event_new_full (kind, strs, lens, kind == EK_EVENT_PART_DELTA ? NULL : props);
}

#undef S


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
  EkDeltaScan scan;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (ek_event_scan_delta (data, len, &scan))
    return ek_event_new_from_scan (&scan);
  return ek_event_decode_json (data, len, error);
}

/* Kinds whose properties nothing in the client reads: their JSON is
 * checked but only made into a tree if someone asks. */
static gboolean
kind_ignores_properties (EkEventKind kind)
{
  switch (kind)
    {
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
      return TRUE;
    default:
      return FALSE;
    }
}

static EkEventKind
kind_from_view (View type)
{
  char name[64];

  if (type.len >= sizeof name)
    {
      g_autofree char *copy = g_strndup (type.str, type.len);

      return ek_event_kind_from_string (copy);
    }
  memcpy (name, type.str, type.len);
  name[type.len] = '\0';
  return ek_event_kind_from_string (name);
}

typedef enum
{
  ENVELOPE_DECODED,
  ENVELOPE_FAILED,  /* well-formed, but not a valid event: @error is set */
  ENVELOPE_OTHER,   /* leave it to json-glib */
} EnvelopeResult;

/* `{"id", "type", "properties", …}` read with the scanner: only the
 * properties become a tree (and for kinds nobody reads, not even they).
 * Anything unusual — the /global/event envelope, a repeated member, a
 * type or properties of the wrong kind, text that is not strict JSON —
 * is ENVELOPE_OTHER, for the general path to read or to report. */
static EnvelopeResult
decode_envelope (const char  *data,
                 gsize        len,
                 EkEvent    **out,
                 GError     **error)
{
  EkJsonScanner s = { data, data + len };
  Scratch *scratch = scratch_get ();
  const char *strs[EK_EVENT_N_STRS] = { NULL, };
  gsize lens[EK_EVENT_N_STRS];
  g_autoptr(JsonNode) props_node = NULL;
  View type = { NULL, 0 };
  View id = { NULL, 0 };
  View props = { NULL, 0 };
  gboolean more = TRUE;
  EkEventKind kind = EK_EVENT_UNKNOWN;

  if (!expect (&s, '{'))
    return ENVELOPE_OTHER;
  ek_json_scanner_skip_ws (&s);
  if (s.p < s.end && *s.p == '}')
    return ENVELOPE_OTHER;

  while (more)
    {
      View key;

      if (!read_view (&s, scratch->buf[DELTA_KEY], &key) || !expect (&s, ':'))
        return ENVELOPE_OTHER;
      ek_json_scanner_skip_ws (&s);
      if (s.p >= s.end)
        return ENVELOPE_OTHER;

      if (VIEW_IS (key, "type"))
        {
          if (type.str != NULL || *s.p != '"' ||
              !read_view (&s, scratch->buf[ENVELOPE_TYPE], &type))
            return ENVELOPE_OTHER;
          kind = kind_from_view (type);
        }
      else if (VIEW_IS (key, "id"))
        {
          if (id.str != NULL || *s.p != '"' || !read_view (&s, scratch->buf[DELTA_ID], &id))
            return ENVELOPE_OTHER;
        }
      else if (VIEW_IS (key, "properties"))
        {
          if (props.str != NULL || *s.p != '{')
            return ENVELOPE_OTHER;
          props.str = s.p;
          /* the type usually comes first: then build the tree at once if
           * it is wanted, else just check the text */
          if (type.str != NULL && !kind_ignores_properties (kind))
            {
              props_node = ek_json_scanner_read_value (&s, scratch->buf[ENVELOPE_SKIPPED]);
              if (props_node == NULL)
                return ENVELOPE_OTHER;
            }
          else if (!ek_json_scanner_skip_value (&s, scratch->buf[ENVELOPE_SKIPPED]))
            return ENVELOPE_OTHER;
          props.len = s.p - props.str;
        }
      else if (VIEW_IS (key, "payload") || VIEW_IS (key, "directory") || VIEW_IS (key, "eventId"))
        return ENVELOPE_OTHER;
      else if (!ek_json_scanner_skip_value (&s, scratch->buf[ENVELOPE_SKIPPED]))
        return ENVELOPE_OTHER;

      if (!next_member (&s, &more))
        return ENVELOPE_OTHER;
    }
  ek_json_scanner_skip_ws (&s);
  if (s.p != s.end || type.str == NULL)
    return ENVELOPE_OTHER;

  for (int i = 0; i < EK_EVENT_N_STRS; i++)
    lens[i] = (gsize) -1;
  strs[EK_EVENT_STR_TYPE] = type.str;
  lens[EK_EVENT_STR_TYPE] = type.len;
  strs[EK_EVENT_STR_ID] = id.str;
  lens[EK_EVENT_STR_ID] = id.len;

  if (kind_ignores_properties (kind))
    {
      strs[EK_EVENT_STR_RAW_PROPERTIES] = props.str != NULL ? props.str : "{}";
      lens[EK_EVENT_STR_RAW_PROPERTIES] = props.str != NULL ? props.len : 2;
      *out = ek_event_new_full (kind, strs, lens, NULL);
      return ENVELOPE_DECODED;
    }

  if (props_node == NULL && props.str != NULL)
    {
      props_node = ek_json_read_strict (props.str, props.len);
      if (props_node == NULL)
        return ENVELOPE_OTHER;
    }
  else if (props_node == NULL)
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      props_node = json_node_init_object (json_node_alloc (), empty);
    }

  if (!extract_ids (kind, json_node_get_object (props_node), strs, error))
    return ENVELOPE_FAILED;
  /* the strings are all a delta keeps */
  *out = ek_event_new_full (kind, strs, lens,
                            kind == EK_EVENT_PART_DELTA ? NULL : json_node_get_object (props_node));
  return ENVELOPE_DECODED;
}

/**
 * ek_event_decode_json:
 *
 * ek_event_decode() without the fast path for deltas.
 */
EkEvent *
ek_event_decode_json (const char  *data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  EkEvent *event = NULL;

  if (len == 0)
    {
      g_set_error_literal (error, EK_EVENT_ERROR, EK_EVENT_ERROR_SYNTAX,
                           "Event has no data");
      return NULL;
    }

  switch (decode_envelope (data, len, &event, error))
    {
    case ENVELOPE_DECODED:
      return event;
    case ENVELOPE_FAILED:
      return NULL;
    case ENVELOPE_OTHER:
    default:
      break;
    }

  root = ek_json_parse (data, len, &local_error);
  if (root == NULL)
    {
      g_set_error (error, EK_EVENT_ERROR, EK_EVENT_ERROR_SYNTAX,
                   "Event is not valid JSON: %s", local_error->message);
      return NULL;
    }

  return ek_event_decode_node (root, error);
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
