/* ek-todo-tool-part.c: the agent's todo list, as a checklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per todo (`metadata.todos`, else `input.todos`): an icon for
 * its status (pending, in progress, completed, cancelled), the text
 * (struck through when cancelled, dim when done) and its priority.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "../ek-part-util.h"
#include "ek-todo-tool-part.h"
#include "ek-ui-util.h"

typedef struct
{
  GtkWidget  *row;
  GtkWidget  *icon;
  GtkWidget  *label;
  GtkWidget  *priority;
  const char *icon_name;
} Item;

struct _EkTodoToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *list;
  GArray     *items; /* of Item */
};

G_DEFINE_FINAL_TYPE (EkTodoToolPart, ek_todo_tool_part, EK_TYPE_TOOL_PART)

static JsonArray *
get_todos (JsonObject *state)
{
  JsonArray *todos = ek_part_json_array (state, "metadata.todos");

  return todos != NULL ? todos : ek_part_json_array (state, "input.todos");
}

static const char *
status_icon (const char *status,
             const char **description)
{
  if (g_strcmp0 (status, "completed") == 0)
    {
      *description = _("Completed");
      return "checkbox-checked-symbolic";
    }
  if (g_strcmp0 (status, "in_progress") == 0)
    {
      *description = _("In progress");
      return "media-playback-start-symbolic";
    }
  if (g_strcmp0 (status, "cancelled") == 0)
    {
      *description = _("Cancelled");
      return "window-close-symbolic";
    }
  *description = _("Pending");
  return "checkbox-symbolic";
}

static const char *
priority_text (const char *priority)
{
  if (g_strcmp0 (priority, "high") == 0)
    return C_("todo priority", "High");
  if (g_strcmp0 (priority, "medium") == 0)
    return C_("todo priority", "Medium");
  if (g_strcmp0 (priority, "low") == 0)
    return C_("todo priority", "Low");
  return priority;
}

static char *
ek_todo_tool_part_dup_subtitle (EkToolPart *self)
{
  JsonArray *todos = get_todos (ek_tool_part_get_state (self));
  guint n = todos != NULL ? json_array_get_length (todos) : 0;
  guint done = 0;

  if (n == 0)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (todos, i);

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (ek_part_json_string (json_node_get_object (node), "status"), "completed") == 0)
        done++;
    }
  /* Translators: todos done of all, "1 of 3 done" */
  return g_strdup_printf (_("%u of %u done"), done, n);
}

static gboolean
ek_todo_tool_part_has_body (EkToolPart *self)
{
  JsonArray *todos = get_todos (ek_tool_part_get_state (self));

  return todos != NULL && json_array_get_length (todos) > 0;
}

static void
ek_todo_tool_part_update_body (EkToolPart *tool,
                               GtkBox     *content,
                               JsonObject *state)
{
  EkTodoToolPart *self = EK_TODO_TOOL_PART (tool);
  JsonArray *todos = get_todos (state);
  guint n = todos != NULL ? json_array_get_length (todos) : 0;
  GtkWidget *child;

  if (self->list == NULL)
    {
      self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_widget_add_css_class (self->list, "ek-todo-list");
      gtk_box_append (content, self->list);
    }

  /* a short list: rebuilt whole */
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);
  g_array_set_size (self->items, 0);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (todos, i);
      JsonObject *todo;
      const char *status, *priority, *text, *status_words = NULL;
      Item item = { NULL, };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      todo = json_node_get_object (node);
      status = ek_part_json_string (todo, "status");
      priority = priority_text (ek_part_json_string (todo, "priority"));
      text = ek_part_json_string (todo, "content");

      item.row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_widget_add_css_class (item.row, "ek-todo");
      if (status != NULL)
        gtk_widget_add_css_class (item.row, status);

      item.icon_name = status_icon (status, &status_words);
      item.icon = gtk_image_new_from_icon_name (item.icon_name);
      gtk_widget_set_valign (item.icon, GTK_ALIGN_START);
      ek_widget_set_tooltip (item.icon, status_words);
      gtk_accessible_update_property (GTK_ACCESSIBLE (item.icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, status_words,
                                      -1);
      gtk_box_append (GTK_BOX (item.row), item.icon);

      item.label = ek_part_label_new (text, NULL);
      gtk_label_set_selectable (GTK_LABEL (item.label), FALSE);
      gtk_widget_set_hexpand (item.label, TRUE);
      if (g_strcmp0 (status, "cancelled") == 0)
        {
          PangoAttrList *attrs = pango_attr_list_new ();

          pango_attr_list_insert (attrs, pango_attr_strikethrough_new (TRUE));
          gtk_label_set_attributes (GTK_LABEL (item.label), attrs);
          pango_attr_list_unref (attrs);
          gtk_widget_add_css_class (item.label, "dim-label");
        }
      else if (g_strcmp0 (status, "completed") == 0)
        gtk_widget_add_css_class (item.label, "dim-label");
      gtk_box_append (GTK_BOX (item.row), item.label);

      item.priority = gtk_label_new (priority);
      gtk_widget_add_css_class (item.priority, "ek-pill");
      gtk_widget_add_css_class (item.priority, "caption");
      if (g_strcmp0 (ek_part_json_string (todo, "priority"), "high") == 0)
        gtk_widget_add_css_class (item.priority, "error");
      else if (g_strcmp0 (ek_part_json_string (todo, "priority"), "medium") == 0)
        gtk_widget_add_css_class (item.priority, "warning");
      gtk_widget_set_valign (item.priority, GTK_ALIGN_CENTER);
      gtk_widget_set_visible (item.priority, priority != NULL);
      gtk_box_append (GTK_BOX (item.row), item.priority);

      gtk_box_append (GTK_BOX (self->list), item.row);
      g_array_append_val (self->items, item);
    }
}

static void
ek_todo_tool_part_dispose (GObject *object)
{
  EkTodoToolPart *self = EK_TODO_TOOL_PART (object);

  self->list = NULL;
  g_array_set_size (self->items, 0);

  G_OBJECT_CLASS (ek_todo_tool_part_parent_class)->dispose (object);
}

static void
ek_todo_tool_part_finalize (GObject *object)
{
  EkTodoToolPart *self = EK_TODO_TOOL_PART (object);

  g_array_unref (self->items);

  G_OBJECT_CLASS (ek_todo_tool_part_parent_class)->finalize (object);
}

static void
ek_todo_tool_part_class_init (EkTodoToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_todo_tool_part_dispose;
  object_class->finalize = ek_todo_tool_part_finalize;
  tool_class->dup_subtitle = ek_todo_tool_part_dup_subtitle;
  tool_class->has_body = ek_todo_tool_part_has_body;
  tool_class->update_body = ek_todo_tool_part_update_body;
}

static void
ek_todo_tool_part_init (EkTodoToolPart *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
}

static Item *
get_item (EkTodoToolPart *self,
          guint           index)
{
  g_return_val_if_fail (EK_IS_TODO_TOOL_PART (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);
  return &g_array_index (self->items, Item, index);
}

guint
ek_todo_tool_part_get_n_items (EkTodoToolPart *self)
{
  g_return_val_if_fail (EK_IS_TODO_TOOL_PART (self), 0);
  return self->items->len;
}

const char *
ek_todo_tool_part_get_item_text (EkTodoToolPart *self,
                                 guint           index)
{
  Item *item = get_item (self, index);

  return item != NULL ? gtk_label_get_text (GTK_LABEL (item->label)) : NULL;
}

const char *
ek_todo_tool_part_get_item_icon (EkTodoToolPart *self,
                                 guint           index)
{
  Item *item = get_item (self, index);

  return item != NULL ? item->icon_name : NULL;
}

const char *
ek_todo_tool_part_get_item_priority (EkTodoToolPart *self,
                                     guint           index)
{
  Item *item = get_item (self, index);

  return item != NULL ? gtk_label_get_text (GTK_LABEL (item->priority)) : NULL;
}
