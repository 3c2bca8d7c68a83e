/* parts-test-util.c: parts built through the store, for widget tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "ek-event.h"
#include "parts-test-util.h"

void
parts_test_init (int    *argc,
                 char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

char *
parts_test_fixture_path (const char *name,
                         const char *file)
{
  const char *dir = g_getenv ("EK_FIXTURES_DIR");

  if (dir != NULL)
    return g_build_filename (dir, name, file, NULL);
  return g_test_build_filename (G_TEST_DIST, "..", "..", "fixtures", name, file, NULL);
}

JsonObject *
parts_test_parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

GPtrArray *
parts_test_fixture_events (const char *name)
{
  g_autofree char *path = parts_test_fixture_path (name, "events.sse");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      if (g_str_has_prefix (line, "data: "))
        g_ptr_array_add (events, parts_test_parse_object (line + 6));
    }
  g_assert_cmpuint (events->len, >, 0);
  return events;
}

GPtrArray *
parts_test_fixture_parts (const char *name)
{
  g_autofree char *path = parts_test_fixture_path (name, "messages.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *parts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *messages;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  messages = json_node_get_array (json_parser_get_root (parser));

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *message = json_array_get_object_element (messages, i);
      JsonArray *list = json_object_get_array_member (message, "parts");

      for (guint j = 0; j < json_array_get_length (list); j++)
        g_ptr_array_add (parts, json_object_ref (json_array_get_object_element (list, j)));
    }
  return parts;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
part_matches (JsonObject *part,
              const char *type,
              const char *tool,
              const char *status)
{
  if (g_strcmp0 (string_member (part, "type"), type) != 0)
    return FALSE;
  if (tool != NULL && g_strcmp0 (string_member (part, "tool"), tool) != 0)
    return FALSE;
  if (status != NULL &&
      g_strcmp0 (string_member (object_member (part, "state"), "status"), status) != 0)
    return FALSE;
  return TRUE;
}

static JsonObject *
copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) copy = NULL;

  json_node_set_object (node, object);
  copy = json_node_copy (node);
  return json_object_ref (json_node_get_object (copy));
}

JsonObject *
parts_test_find_part (const char *name,
                      const char *type,
                      const char *tool,
                      const char *status)
{
  g_autoptr(GPtrArray) parts = parts_test_fixture_parts (name);

  for (guint i = 0; i < parts->len; i++)
    if (part_matches (parts->pdata[i], type, tool, status))
      return copy_object (parts->pdata[i]);

  g_error ("fixture %s has no %s part %s/%s", name, type, tool, status);
  return NULL;
}

JsonObject *
parts_test_find_streamed (const char *name,
                          const char *tool,
                          const char *status)
{
  g_autoptr(GPtrArray) events = parts_test_fixture_events (name);

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *event = events->pdata[i];
      JsonObject *part;

      if (g_strcmp0 (string_member (event, "type"), "message.part.updated") != 0)
        continue;
      part = object_member (object_member (event, "properties"), "part");
      if (part != NULL && part_matches (part, "tool", tool, status))
        return copy_object (part);
    }

  g_error ("fixture %s streams no %s part in %s", name, tool, status);
  return NULL;
}

static void
apply_event (EkStore    *store,
             const char *type,
             JsonObject *properties)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  g_autoptr(EkEvent) event = NULL;

  json_object_set_string_member (envelope, "type", type);
  json_object_set_object_member (envelope, "properties", json_object_ref (properties));
  json_node_set_object (node, envelope);

  event = ek_event_decode_node (node, &error);
  g_assert_no_error (error);
  ek_store_apply (store, event);
}

EkPart *
parts_test_add_part (EkStore    *store,
                     JsonObject *part,
                     const char *role)
{
  const char *session_id = string_member (part, "sessionID");
  const char *message_id = string_member (part, "messageID");
  EkSession *session;
  EkMessage *message;

  g_assert_nonnull (session_id);
  g_assert_nonnull (message_id);

  session = ek_store_lookup_session (store, session_id);
  if (session == NULL || ek_session_lookup_message (session, message_id) == NULL)
    {
      g_autoptr(JsonObject) props = json_object_new ();
      JsonObject *info = json_object_new ();
      JsonObject *time = json_object_new ();

      json_object_set_string_member (info, "id", message_id);
      json_object_set_string_member (info, "sessionID", session_id);
      json_object_set_string_member (info, "role", role != NULL ? role : "assistant");
      json_object_set_int_member (time, "created", 1795568479364);
      json_object_set_object_member (info, "time", time);
      json_object_set_string_member (props, "sessionID", session_id);
      json_object_set_object_member (props, "info", info);
      apply_event (store, "message.updated", props);
    }

  parts_test_update_part (store, part);

  session = ek_store_lookup_session (store, session_id);
  g_assert_nonnull (session);
  message = ek_session_lookup_message (session, message_id);
  g_assert_nonnull (message);
  return ek_message_lookup_part (message, string_member (part, "id"));
}

void
parts_test_update_part (EkStore    *store,
                        JsonObject *part)
{
  g_autoptr(JsonObject) props = json_object_new ();

  json_object_set_string_member (props, "sessionID", string_member (part, "sessionID"));
  json_object_set_object_member (props, "part", copy_object (part));
  apply_event (store, "message.part.updated", props);
}

void
parts_test_append (EkStore    *store,
                   EkPart     *part,
                   const char *field,
                   const char *delta)
{
  g_autoptr(JsonObject) props = json_object_new ();

  json_object_set_string_member (props, "sessionID", ek_part_get_session_id (part));
  json_object_set_string_member (props, "messageID", ek_part_get_message_id (part));
  json_object_set_string_member (props, "partID", ek_part_get_id (part));
  json_object_set_string_member (props, "field", field);
  json_object_set_string_member (props, "delta", delta);
  apply_event (store, "message.part.delta", props);
}

void
parts_test_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

gboolean
parts_test_wait (gboolean (*condition) (gpointer),
                 gpointer   data,
                 guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

GtkWidget *
parts_test_show (GtkWidget *widget)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  /* as in the chat view: a fixed width, scrolling down */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), widget);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (parts_test_wait (is_mapped, widget, 5000));
  return window;
}

static void
collect (GtkWidget *widget,
         GPtrArray *out)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (out, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      g_ptr_array_add (out, gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, out);
}

GPtrArray *
parts_test_collect_text (GtkWidget *widget)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  collect (widget, out);
  return out;
}

gboolean
parts_test_has_text (GtkWidget  *widget,
                     const char *text)
{
  g_autoptr(GPtrArray) texts = parts_test_collect_text (widget);

  for (guint i = 0; i < texts->len; i++)
    if (g_strcmp0 (texts->pdata[i], text) == 0)
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
parts_test_find_label (GtkWidget  *widget,
                       const char *text)
{
  return find_label (widget, text);
}
