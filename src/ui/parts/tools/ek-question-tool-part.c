/* ek-question-tool-part.c: questions the model asked and the answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each question (`input.questions`): its header, the question and
 * the options, the chosen ones (`metadata.answers`) marked with a check
 * and emphasised; an answer the user typed that is not an option is
 * listed after them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "../ek-part-util.h"
#include "ek-question-tool-part.h"

struct _EkQuestionToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *list;
};

G_DEFINE_FINAL_TYPE (EkQuestionToolPart, ek_question_tool_part, EK_TYPE_TOOL_PART)

static JsonArray *
get_answers (JsonObject *state,
             guint       index)
{
  JsonArray *answers = ek_part_json_array (state, "metadata.answers");
  JsonNode *node;

  if (answers == NULL || index >= json_array_get_length (answers))
    return NULL;
  node = json_array_get_element (answers, index);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
answers_contain (JsonArray  *answers,
                 const char *label)
{
  for (guint i = 0; answers != NULL && i < json_array_get_length (answers); i++)
    if (g_strcmp0 (ek_part_json_array_string (answers, i), label) == 0)
      return TRUE;
  return FALSE;
}

static GtkWidget *
option_row (const char *label,
            const char *description,
            gboolean    chosen)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon, *texts, *title;

  gtk_widget_add_css_class (row, "ek-question-option");
  if (chosen)
    gtk_widget_add_css_class (row, "chosen");

  icon = gtk_image_new_from_icon_name (chosen ? "object-select-symbolic" : "radio-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  if (chosen)
    {
      gtk_widget_add_css_class (icon, "accent");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"),
                                      -1);
    }
  else
    gtk_widget_add_css_class (icon, "dim-label");
  gtk_box_append (GTK_BOX (row), icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (row), texts);

  title = ek_part_label_new (label, chosen ? "heading" : NULL);
  gtk_label_set_selectable (GTK_LABEL (title), FALSE);
  gtk_box_append (GTK_BOX (texts), title);

  if (description != NULL && *description != '\0')
    {
      GtkWidget *detail = ek_part_label_new (description, "dim-label");

      gtk_label_set_selectable (GTK_LABEL (detail), FALSE);
      gtk_widget_add_css_class (detail, "caption");
      gtk_box_append (GTK_BOX (texts), detail);
    }
  return row;
}

static JsonArray *
get_questions (JsonObject *state)
{
  return ek_part_json_array (state, "input.questions");
}

static gboolean
ek_question_tool_part_has_body (EkToolPart *self)
{
  JsonArray *questions = get_questions (ek_tool_part_get_state (self));

  return questions != NULL && json_array_get_length (questions) > 0;
}

static void
ek_question_tool_part_update_body (EkToolPart *tool,
                                   GtkBox     *content,
                                   JsonObject *state)
{
  EkQuestionToolPart *self = EK_QUESTION_TOOL_PART (tool);
  JsonArray *questions = get_questions (state);
  guint n = questions != NULL ? json_array_get_length (questions) : 0;
  GtkWidget *child;

  if (self->list == NULL)
    {
      self->list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      gtk_box_append (content, self->list);
    }
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (questions, i);
      JsonObject *question;
      JsonArray *options, *answers;
      const char *header, *text;
      GtkWidget *box;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      question = json_node_get_object (node);
      header = ek_part_json_string (question, "header");
      text = ek_part_json_string (question, "question");
      options = ek_part_json_array (question, "options");
      answers = get_answers (state, i);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_box_append (GTK_BOX (self->list), box);

      if (header != NULL && *header != '\0')
        gtk_box_append (GTK_BOX (box), ek_tool_part_caption_new (header));
      if (text != NULL)
        gtk_box_append (GTK_BOX (box), ek_part_label_new (text, "ek-question"));

      for (guint j = 0; options != NULL && j < json_array_get_length (options); j++)
        {
          JsonNode *option_node = json_array_get_element (options, j);
          JsonObject *option;
          const char *label;

          if (!JSON_NODE_HOLDS_OBJECT (option_node))
            continue;
          option = json_node_get_object (option_node);
          label = ek_part_json_string (option, "label");
          if (label == NULL)
            continue;
          gtk_box_append (GTK_BOX (box),
                          option_row (label, ek_part_json_string (option, "description"),
                                      answers_contain (answers, label)));
        }

      /* answers typed by the user */
      for (guint j = 0; answers != NULL && j < json_array_get_length (answers); j++)
        {
          const char *answer = ek_part_json_array_string (answers, j);
          gboolean is_option = FALSE;

          for (guint k = 0; answer != NULL && options != NULL && k < json_array_get_length (options); k++)
            {
              JsonNode *option_node = json_array_get_element (options, k);

              if (JSON_NODE_HOLDS_OBJECT (option_node) &&
                  g_strcmp0 (ek_part_json_string (json_node_get_object (option_node), "label"), answer) == 0)
                is_option = TRUE;
            }
          if (answer != NULL && !is_option)
            gtk_box_append (GTK_BOX (box), option_row (answer, NULL, TRUE));
        }
    }
}

static void
ek_question_tool_part_dispose (GObject *object)
{
  EkQuestionToolPart *self = EK_QUESTION_TOOL_PART (object);

  self->list = NULL;

  G_OBJECT_CLASS (ek_question_tool_part_parent_class)->dispose (object);
}

static void
ek_question_tool_part_class_init (EkQuestionToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_question_tool_part_dispose;
  tool_class->has_body = ek_question_tool_part_has_body;
  tool_class->update_body = ek_question_tool_part_update_body;
}

static void
ek_question_tool_part_init (EkQuestionToolPart *self)
{
}

char *
ek_question_tool_part_dup_answer (EkQuestionToolPart *self,
                                  guint               index)
{
  JsonArray *answers;
  GString *out;

  g_return_val_if_fail (EK_IS_QUESTION_TOOL_PART (self), NULL);

  answers = get_answers (ek_tool_part_get_state (EK_TOOL_PART (self)), index);
  if (answers == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (answers); i++)
    {
      const char *answer = ek_part_json_array_string (answers, i);

      if (answer == NULL)
        continue;
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append (out, answer);
    }
  return g_string_free (out, FALSE);
}
