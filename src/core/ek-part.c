/* ek-part.c: one part of a message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A part is the server's JSON object, kept whole (unknown types and
 * fields included, so it can be written out again unchanged), plus the
 * string fields that are streaming.  A `message.part.delta` appends to a
 * GString owned by the part: no copy of the whole text per delta.  The
 * next full update replaces both.
 */

#include "config.h"

#include <string.h>

#include "ek-store-private.h"

typedef struct
{
  char    *field;
  GString *value;
} Stream;

struct _EkPart
{
  GObject     parent_instance;

  char       *id;
  char       *session_id;
  char       *message_id;
  JsonObject *data;
  GArray     *streams; /* of Stream, NULL until the first delta */
  EkStamp     stamp;
};

G_DEFINE_FINAL_TYPE (EkPart, ek_part, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_SESSION_ID,
  PROP_MESSAGE_ID,
  PROP_PART_TYPE,
  PROP_TEXT,
  PROP_TOOL,
  PROP_TOOL_STATUS,
  PROP_DATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
stream_clear (gpointer data)
{
  Stream *stream = data;

  g_free (stream->field);
  g_string_free (stream->value, TRUE);
}

static Stream *
find_stream (EkPart     *self,
             const char *field)
{
  if (self->streams == NULL)
    return NULL;
  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *stream = &g_array_index (self->streams, Stream, i);
      if (strcmp (stream->field, field) == 0)
        return stream;
    }
  return NULL;
}

static void
ek_part_finalize (GObject *object)
{
  EkPart *self = EK_PART (object);

  g_free (self->id);
  g_free (self->session_id);
  g_free (self->message_id);
  g_clear_pointer (&self->data, json_object_unref);
  g_clear_pointer (&self->streams, g_array_unref);

  G_OBJECT_CLASS (ek_part_parent_class)->finalize (object);
}

static void
ek_part_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  EkPart *self = EK_PART (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_SESSION_ID:
      g_value_set_string (value, self->session_id);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case PROP_PART_TYPE:
      g_value_set_string (value, ek_part_get_part_type (self));
      break;
    case PROP_TEXT:
      g_value_set_string (value, ek_part_get_text (self));
      break;
    case PROP_TOOL:
      g_value_set_string (value, ek_part_get_tool (self));
      break;
    case PROP_TOOL_STATUS:
      g_value_set_string (value, ek_part_get_tool_status (self));
      break;
    case PROP_DATA:
      g_value_set_boxed (value, self->data);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ek_part_class_init (EkPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ek_part_finalize;
  object_class->get_property = ek_part_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION_ID] =
    g_param_spec_string ("session-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE_ID] =
    g_param_spec_string ("message-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PART_TYPE] =
    g_param_spec_string ("part-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkPart:text:
   *
   * The part's `text` field as it stands, growing with each delta.
   */
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkPart:tool-status:
   *
   * For tool parts, `state.status`: pending, running, completed or error.
   */
  properties[PROP_TOOL_STATUS] =
    g_param_spec_string ("tool-status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * EkPart:data:
   *
   * The whole part as the server last sent it.  Notified on every full
   * update; deltas notify #EkPart:text (or this, for other fields).
   */
  properties[PROP_DATA] =
    g_param_spec_boxed ("data", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ek_part_init (EkPart *self)
{
}

EkPart *
ek_part_new (JsonObject *data)
{
  EkPart *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (EK_TYPE_PART, NULL);
  self->id = g_strdup (ek_json_get_string (data, "id"));
  self->session_id = g_strdup (ek_json_get_string (data, "sessionID"));
  self->message_id = g_strdup (ek_json_get_string (data, "messageID"));
  self->data = json_object_ref (data);
  return self;
}

static gboolean
str_changed (const char *a,
             const char *b)
{
  return g_strcmp0 (a, b) != 0;
}

/* A full update: the server's object replaces everything, streams too. */
void
ek_part_update (EkPart     *self,
                JsonObject *data)
{
  g_autoptr(JsonObject) old = NULL;
  g_autoptr(GArray) old_streams = NULL;
  const char *old_text;
  gboolean type_changed, tool_changed, status_changed, text_changed;

  g_return_if_fail (EK_IS_PART (self));
  g_return_if_fail (data != NULL);

  if (data == self->data)
    return;

  /* the old text stays where it is (old data or old stream) until the
   * comparison is done: no copy of a long text per update */
  old_text = ek_part_get_text (self);
  old = g_steal_pointer (&self->data);
  old_streams = g_steal_pointer (&self->streams);
  self->data = json_object_ref (data);

  type_changed = str_changed (ek_json_get_string (old, "type"), ek_part_get_part_type (self));
  tool_changed = str_changed (ek_json_get_string (old, "tool"), ek_part_get_tool (self));
  status_changed = str_changed (ek_json_get_string (ek_json_get_object (old, "state"), "status"),
                                ek_part_get_tool_status (self));
  text_changed = str_changed (old_text, ek_part_get_text (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (type_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PART_TYPE]);
  if (tool_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
  if (status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL_STATUS]);
  if (text_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* A delta: append to the streaming copy of @field, in amortised O(len). */
void
ek_part_append (EkPart     *self,
                const char *field,
                const char *delta,
                gsize       len)
{
  Stream *stream;

  g_return_if_fail (EK_IS_PART (self));
  g_return_if_fail (field != NULL);

  stream = find_stream (self, field);
  if (stream == NULL)
    {
      Stream new_stream;
      const char *initial = ek_json_get_string (self->data, field);

      if (self->streams == NULL)
        {
          self->streams = g_array_sized_new (FALSE, FALSE, sizeof (Stream), 1);
          g_array_set_clear_func (self->streams, stream_clear);
        }
      new_stream.field = g_strdup (field);
      new_stream.value = g_string_sized_new (MAX (256, (initial ? strlen (initial) : 0) + len) * 2);
      if (initial != NULL)
        g_string_append (new_stream.value, initial);
      g_array_append_val (self->streams, new_stream);
      stream = &g_array_index (self->streams, Stream, self->streams->len - 1);
    }

  if (len == 0)
    return;

  g_string_append_len (stream->value, delta, len);

  /* The hot path of a stream.  GLib 2.74 allocates for every notify, even
   * with no one listening (the command-line client, parts off screen):
   * only notify when someone is. */
  {
    GParamSpec *pspec = properties[strcmp (field, "text") == 0 ? PROP_TEXT : PROP_DATA];
    static guint notify_id;

    if (notify_id == 0)
      notify_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
    if (g_signal_has_handler_pending (self, notify_id,
                                      g_param_spec_get_name_quark (pspec), TRUE))
      g_object_notify_by_pspec (G_OBJECT (self), pspec);
  }
}

const char *
ek_part_get_id (EkPart *self)
{
  g_return_val_if_fail (EK_IS_PART (self), NULL);
  return self->id;
}

const char *
ek_part_get_session_id (EkPart *self)
{
  g_return_val_if_fail (EK_IS_PART (self), NULL);
  return self->session_id;
}

const char *
ek_part_get_message_id (EkPart *self)
{
  g_return_val_if_fail (EK_IS_PART (self), NULL);
  return self->message_id;
}

const char *
ek_part_get_part_type (EkPart *self)
{
  g_return_val_if_fail (EK_IS_PART (self), NULL);
  return ek_json_get_string (self->data, "type");
}

/**
 * ek_part_get_string:
 * @field: a member of the part
 *
 * Returns: (nullable): the current value of a string field, streamed
 *   deltas included
 */
const char *
ek_part_get_string (EkPart     *self,
                    const char *field)
{
  Stream *stream;

  g_return_val_if_fail (EK_IS_PART (self), NULL);

  stream = find_stream (self, field);
  if (stream != NULL)
    return stream->value->str;
  return ek_json_get_string (self->data, field);
}

/**
 * ek_part_get_text:
 *
 * Returns: the `text` field as it stands ("" when there is none)
 */
const char *
ek_part_get_text (EkPart *self)
{
  const char *text = ek_part_get_string (self, "text");

  return text != NULL ? text : "";
}

gsize
ek_part_get_text_length (EkPart *self)
{
  Stream *stream;

  g_return_val_if_fail (EK_IS_PART (self), 0);

  stream = find_stream (self, "text");
  if (stream != NULL)
    return stream->value->len;
  return strlen (ek_part_get_text (self));
}

const char *
ek_part_get_tool (EkPart *self)
{
  g_return_val_if_fail (EK_IS_PART (self), NULL);
  return ek_json_get_string (self->data, "tool");
}

const char *
ek_part_get_tool_status (EkPart *self)
{
  g_return_val_if_fail (EK_IS_PART (self), NULL);
  return ek_json_get_string (ek_json_get_object (self->data, "state"), "status");
}

/**
 * ek_part_get_data:
 *
 * Returns: (transfer none): the part as the server last sent it in full;
 *   string fields that have streamed since are read with
 *   ek_part_get_string()
 */
JsonObject *
ek_part_get_data (EkPart *self)
{
  g_return_val_if_fail (EK_IS_PART (self), NULL);
  return self->data;
}

/**
 * ek_part_to_json:
 *
 * Returns: (transfer full): the part as the server would send it now
 */
JsonNode *
ek_part_to_json (EkPart *self)
{
  JsonNode *node;
  JsonObject *object;
  GList *members;

  g_return_val_if_fail (EK_IS_PART (self), NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  if (self->streams == NULL)
    {
      json_node_set_object (node, self->data);
      return node;
    }

  object = json_object_new ();
  members = json_object_get_members (self->data);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      Stream *stream = find_stream (self, name);

      if (stream != NULL)
        json_object_set_string_member (object, name, stream->value->str);
      else
        json_object_set_member (object, name, json_node_copy (json_object_get_member (self->data, name)));
    }
  g_list_free (members);

  for (guint i = 0; i < self->streams->len; i++)
    {
      Stream *stream = &g_array_index (self->streams, Stream, i);
      if (!json_object_has_member (object, stream->field))
        json_object_set_string_member (object, stream->field, stream->value->str);
    }

  json_node_take_object (node, object);
  return node;
}

EkStamp *
ek_part_get_stamp (EkPart *self)
{
  return &self->stamp;
}
