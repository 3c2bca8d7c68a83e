/* ek-question-dock.c: pending questions from the agent, above the composer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One card per pending `question.asked` of the session and its subagents.
 * Each question of the request shows its header, its text and its options
 * (radio buttons, or check buttons when `multiple`), plus an entry for an
 * own answer unless `custom` is false.  Submit sends one array of labels
 * per question; Dismiss rejects the request.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ek-pending-requests.h"
#include "ek-question-dock.h"

typedef struct
{
  GPtrArray *checks;  /* GtkCheckButton, with the option label as "ek-label" */
  GtkWidget *custom;  /* a GtkEditable, or NULL */
} Question;

typedef struct
{
  GPtrArray *questions; /* Question */
} Card;

struct _EkQuestionDock
{
  GtkWidget          parent_instance;

  EkSource          *source;
  EkPendingRequests *pending;
  GCancellable      *cancellable;
  GHashTable        *cards_by_id;  /* request id → Card */

  GtkWidget         *clamp;
  GtkWidget         *cards;
};

G_DEFINE_FINAL_TYPE (EkQuestionDock, ek_question_dock, GTK_TYPE_WIDGET)

static void
question_free (gpointer data)
{
  Question *question = data;

  g_clear_pointer (&question->checks, g_ptr_array_unref);
  g_free (question);
}

static void
card_free (gpointer data)
{
  Card *card = data;

  g_clear_pointer (&card->questions, g_ptr_array_unref);
  g_free (card);
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_boolean (JsonObject *object,
             const char *member,
             gboolean    fallback)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static GtkWidget *
make_label (const char *text,
            const char *style)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static void
add_question (GtkWidget  *box,
              Card       *card,
              JsonObject *object,
              gboolean    first,
              gboolean    read_only)
{
  const char *header = get_string (object, "header");
  const char *text = get_string (object, "question");
  JsonArray *options = get_array (object, "options");
  gboolean multiple = get_boolean (object, "multiple", FALSE);
  gboolean custom = get_boolean (object, "custom", TRUE);
  Question *question = g_new0 (Question, 1);
  GtkWidget *list;
  GtkCheckButton *group = NULL;

  question->checks = g_ptr_array_new ();
  g_ptr_array_add (card->questions, question);

  if (!first)
    gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), make_label (header ? header : _("Question"), "heading"));
  if (text != NULL)
    gtk_box_append (GTK_BOX (box), make_label (text, NULL));

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, header ? header : _("Answers"),
                                  -1);

  for (guint i = 0; options != NULL && i < json_array_get_length (options); i++)
    {
      JsonNode *node = json_array_get_element (options, i);
      JsonObject *option;
      const char *label;
      const char *description;
      GtkWidget *row, *check;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      option = json_node_get_object (node);
      label = get_string (option, "label");
      if (label == NULL)
        continue;
      description = get_string (option, "description");

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      if (description != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);

      check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      g_object_set_data_full (G_OBJECT (check), "ek-label", g_strdup (label), g_free);
      if (!multiple)
        {
          if (group != NULL)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
          else
            group = GTK_CHECK_BUTTON (check);
        }
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (question->checks, check);
    }

  if (custom)
    {
      GtkWidget *row = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Your own answer"));
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      question->custom = row;
    }

  /* a recording shows what was asked; nothing can be chosen */
  gtk_widget_set_sensitive (list, !read_only);
  if (gtk_widget_get_first_child (list) != NULL)
    gtk_box_append (GTK_BOX (box), list);
  else
    {
      g_object_ref_sink (list);
      g_object_unref (list);
    }
}

static GtkWidget *
make_button (const char *label,
             const char *tooltip,
             const char *action,
             const char *request_id,
             const char *style)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (request_id));
  if (style != NULL)
    gtk_widget_add_css_class (button, style);
  return button;
}

static GtkWidget *
make_card (EkQuestionDock *self,
           EkRequest      *request)
{
  JsonObject *data = ek_request_get_data (request);
  JsonArray *questions = get_array (data, "questions");
  const char *id = ek_request_get_id (request);
  const char *reason = self->source ? ek_source_get_read_only_reason (self->source) : NULL;
  Card *card = g_new0 (Card, 1);
  GtkWidget *box, *top, *icon, *content, *buttons, *label;

  card->questions = g_ptr_array_new_with_free_func (question_free);
  g_hash_table_replace (self->cards_by_id, g_strdup (id), card);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "dock-card");
  gtk_widget_add_css_class (box, "question");

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new_from_icon_name ("dialog-question-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, "dock-icon");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Question from the agent"),
                                  -1);
  gtk_box_append (GTK_BOX (top), icon);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_hexpand (content, TRUE);
  for (guint i = 0; questions != NULL && i < json_array_get_length (questions); i++)
    {
      JsonNode *node = json_array_get_element (questions, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        add_question (content, card, json_node_get_object (node), i == 0, reason != NULL);
    }
  gtk_box_append (GTK_BOX (top), content);
  gtk_box_append (GTK_BOX (box), top);

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  label = make_label (reason, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (buttons), label);
  gtk_box_append (GTK_BOX (buttons),
                  make_button (_("_Dismiss"), _("Dismiss the question without an answer"),
                               "question.dismiss", id, NULL));
  gtk_box_append (GTK_BOX (buttons),
                  make_button (_("_Submit"), _("Send the answer"),
                               "question.submit", id, "suggested-action"));
  gtk_box_append (GTK_BOX (box), buttons);

  return box;
}

static void
rebuild (EkQuestionDock *self)
{
  GListModel *model = ek_pending_requests_get_model (self->pending);
  guint n = g_list_model_get_n_items (model);
  GtkWidget *child;

  g_hash_table_remove_all (self->cards_by_id);
  while ((child = gtk_widget_get_first_child (self->cards)) != NULL)
    gtk_box_remove (GTK_BOX (self->cards), child);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EkRequest) request = g_list_model_get_item (model, i);

      gtk_box_append (GTK_BOX (self->cards), make_card (self, request));
    }
  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
}

static void
on_requests_changed (GListModel     *model,
                     guint           position,
                     guint           removed,
                     guint           added,
                     EkQuestionDock *self)
{
  rebuild (self);
}

static void
update_actions (EkQuestionDock *self)
{
  gboolean enabled = self->source != NULL && !ek_source_is_read_only (self->source);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "question.submit", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "question.dismiss", enabled);
}

static void
on_read_only_changed (EkSource       *source,
                      GParamSpec     *pspec,
                      EkQuestionDock *self)
{
  update_actions (self);
  rebuild (self);
}

/**
 * ek_question_dock_dup_answers:
 *
 * Returns: (transfer full) (nullable): the answers chosen so far for the
 *   request, one array of labels per question
 */
JsonArray *
ek_question_dock_dup_answers (EkQuestionDock *self,
                              const char     *request_id)
{
  Card *card;
  JsonArray *answers;

  g_return_val_if_fail (EK_IS_QUESTION_DOCK (self), NULL);

  card = g_hash_table_lookup (self->cards_by_id, request_id);
  if (card == NULL)
    return NULL;

  answers = json_array_new ();
  for (guint i = 0; i < card->questions->len; i++)
    {
      Question *question = g_ptr_array_index (card->questions, i);
      JsonArray *chosen = json_array_new ();

      for (guint j = 0; j < question->checks->len; j++)
        {
          GtkCheckButton *check = g_ptr_array_index (question->checks, j);

          if (gtk_check_button_get_active (check))
            json_array_add_string_element (chosen, g_object_get_data (G_OBJECT (check), "ek-label"));
        }
      if (question->custom != NULL)
        {
          g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (question->custom))));

          if (*text != '\0')
            json_array_add_string_element (chosen, text);
        }
      json_array_add_array_element (answers, chosen);
    }
  return answers;
}

static void
command_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GtkWidget) widget = user_data;
  g_autoptr(GError) error = NULL;

  if (!ek_source_finish (EK_SOURCE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not answer the question: %s"), error->message);

      gtk_widget_activate_action (widget, "win.toast", "s", text);
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  EkQuestionDock *self = EK_QUESTION_DOCK (widget);
  const char *request_id = g_variant_get_string (parameter, NULL);
  EkRequest *request = ek_pending_requests_lookup (self->pending, request_id);
  g_autoptr(JsonArray) answers = NULL;

  if (request == NULL || self->source == NULL)
    return;
  answers = ek_question_dock_dup_answers (self, request_id);
  if (answers == NULL)
    return;
  ek_source_reply_question_async (self->source, request, answers, self->cancellable,
                                  command_cb, g_object_ref (self));
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EkQuestionDock *self = EK_QUESTION_DOCK (widget);
  EkRequest *request = ek_pending_requests_lookup (self->pending, g_variant_get_string (parameter, NULL));

  if (request == NULL || self->source == NULL)
    return;
  ek_source_reject_question_async (self->source, request, self->cancellable,
                                   command_cb, g_object_ref (self));
}

static void
ek_question_dock_dispose (GObject *object)
{
  EkQuestionDock *self = EK_QUESTION_DOCK (object);

  g_cancellable_cancel (self->cancellable);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  if (self->pending != NULL)
    g_signal_handlers_disconnect_by_data (ek_pending_requests_get_model (self->pending), self);
  g_clear_object (&self->pending);
  g_clear_object (&self->source);
  g_clear_object (&self->cancellable);
  if (self->cards_by_id != NULL)
    g_hash_table_remove_all (self->cards_by_id);
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_QUESTION_DOCK);

  G_OBJECT_CLASS (ek_question_dock_parent_class)->dispose (object);
}

static void
ek_question_dock_finalize (GObject *object)
{
  EkQuestionDock *self = EK_QUESTION_DOCK (object);

  g_clear_pointer (&self->cards_by_id, g_hash_table_unref);

  G_OBJECT_CLASS (ek_question_dock_parent_class)->finalize (object);
}

static void
ek_question_dock_class_init (EkQuestionDockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_question_dock_dispose;
  object_class->finalize = ek_question_dock_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/ekacode/Ekacode/ek-question-dock.ui");
  gtk_widget_class_bind_template_child (widget_class, EkQuestionDock, clamp);
  gtk_widget_class_bind_template_child (widget_class, EkQuestionDock, cards);
  gtk_widget_class_set_css_name (widget_class, "questiondock");

  gtk_widget_class_install_action (widget_class, "question.submit", "s", submit_action);
  gtk_widget_class_install_action (widget_class, "question.dismiss", "s", dismiss_action);
}

static void
ek_question_dock_init (EkQuestionDock *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->cards_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, card_free);
  self->pending = ek_pending_requests_new (EK_REQUEST_QUESTION);
  g_signal_connect (ek_pending_requests_get_model (self->pending), "items-changed",
                    G_CALLBACK (on_requests_changed), self);
  update_actions (self);
}

GtkWidget *
ek_question_dock_new (void)
{
  return g_object_new (EK_TYPE_QUESTION_DOCK, NULL);
}

void
ek_question_dock_set_source (EkQuestionDock *self,
                             EkSource       *source)
{
  g_return_if_fail (EK_IS_QUESTION_DOCK (self));
  g_return_if_fail (source == NULL || EK_IS_SOURCE (source));

  if (self->source == source)
    return;
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_set_object (&self->source, source);
  if (source != NULL)
    g_signal_connect (source, "notify::read-only-reason", G_CALLBACK (on_read_only_changed), self);
  ek_pending_requests_set_store (self->pending, source ? ek_source_get_store (source) : NULL);
  update_actions (self);
  rebuild (self);
}

void
ek_question_dock_set_session (EkQuestionDock *self,
                              EkSession      *session)
{
  g_return_if_fail (EK_IS_QUESTION_DOCK (self));

  ek_pending_requests_set_session (self->pending, session);
}

/**
 * ek_question_dock_get_requests:
 *
 * Returns: (transfer none): the #EkRequest questions shown
 */
GListModel *
ek_question_dock_get_requests (EkQuestionDock *self)
{
  g_return_val_if_fail (EK_IS_QUESTION_DOCK (self), NULL);
  return ek_pending_requests_get_model (self->pending);
}
