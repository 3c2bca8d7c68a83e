/* ek-tool-part.c: a tool call, as a card with a state badge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header names the call (icon, title, a dim subtitle), shows its
 * state (EkToolBadge) and opens or closes the body.  The body is built
 * only when first shown: a conversation holds many finished calls and
 * most stay closed.  Subclasses registered per tool name fill the body
 * (bash output, an edit's diff, ...); this class itself is the card for
 * any other tool: the input as JSON and the output text.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ek-output-view.h"
#include "ek-part-util.h"
#include "ek-tool-part.h"

#define TITLE_MAX_CHARS 200
#define REVEAL_DURATION_MS 150

typedef struct
{
  GtkWidget *card;
  GtkWidget *header;
  GtkWidget *icon;
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *extra;
  GtkWidget *badge;
  GtkWidget *arrow;
  GtkWidget *revealer;
  GtkWidget *body;
  GtkWidget *content;
  GtkWidget *error_label;

  /* the generic body */
  GtkWidget *input_caption;
  GtkWidget *input_view;
  GtkWidget *output_caption;
  GtkWidget *output_view;

  char      *title_text;
  char      *subtitle_text;
  const char *icon_name;
  char      *status;
  gboolean   expanded;
  gboolean   user_toggled;
  gboolean   user_expanded;
  gboolean   body_dirty;
  gboolean   has_body;
} EkToolPartPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (EkToolPart, ek_tool_part, EK_TYPE_PART_WIDGET)

typedef struct
{
  const char *tool;
  const char *icon_name;
  const char *label;      /* what the call does, while its input is unknown */
  const char *title_path; /* the input member that names what it works on */
  gboolean    is_path;
} ToolInfo;

static const ToolInfo tool_infos[] = {
  { "bash", "utilities-terminal-symbolic", N_("Run command"), "command", FALSE },
  { "read", "document-open-symbolic", N_("Read file"), "filePath", TRUE },
  { "write", "document-new-symbolic", N_("Write file"), "filePath", TRUE },
  { "edit", "document-edit-symbolic", N_("Edit file"), "filePath", TRUE },
  { "multiedit", "document-edit-symbolic", N_("Edit file"), "filePath", TRUE },
  { "apply_patch", "document-edit-symbolic", N_("Apply patch"), NULL, FALSE },
  { "patch", "document-edit-symbolic", N_("Apply patch"), NULL, FALSE },
  { "glob", "system-search-symbolic", N_("Find files"), "pattern", FALSE },
  { "grep", "system-search-symbolic", N_("Search files"), "pattern", FALSE },
  { "list", "folder-symbolic", N_("List directory"), "path", TRUE },
  { "ls", "folder-symbolic", N_("List directory"), "path", TRUE },
  { "todowrite", "checkbox-checked-symbolic", N_("Update todo list"), NULL, FALSE },
  { "todoread", "checkbox-checked-symbolic", N_("Read todo list"), NULL, FALSE },
  { "task", "system-run-symbolic", N_("Subagent task"), "description", FALSE },
  { "webfetch", "web-browser-symbolic", N_("Fetch web page"), "url", FALSE },
  { "websearch", "web-browser-symbolic", N_("Search the web"), "query", FALSE },
  { "codesearch", "system-search-symbolic", N_("Search code"), "query", FALSE },
  { "question", "ekacode-question-symbolic", N_("Ask a question"), NULL, FALSE },
  { "skill", "applications-engineering-symbolic", N_("Use skill"), "name", FALSE },
};

static const ToolInfo *
lookup_tool (const char *tool)
{
  for (guint i = 0; tool != NULL && i < G_N_ELEMENTS (tool_infos); i++)
    if (strcmp (tool_infos[i].tool, tool) == 0)
      return &tool_infos[i];
  return NULL;
}

const char *
ek_tool_part_icon_for_tool (const char *tool)
{
  const ToolInfo *info = lookup_tool (tool);

  return info != NULL ? info->icon_name : "applications-engineering-symbolic";
}

GtkWidget *
ek_tool_part_caption_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

JsonObject *
ek_tool_part_get_state (EkToolPart *self)
{
  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);
  return ek_part_json_object (ek_part_widget_get_data (EK_PART_WIDGET (self)), "state");
}

JsonObject *
ek_tool_part_get_input (EkToolPart *self)
{
  return ek_part_json_object (ek_tool_part_get_state (self), "input");
}

JsonObject *
ek_tool_part_get_metadata (EkToolPart *self)
{
  return ek_part_json_object (ek_tool_part_get_state (self), "metadata");
}

const char *
ek_tool_part_get_status (EkToolPart *self)
{
  return ek_part_json_string (ek_tool_part_get_state (self), "status");
}

static const char *
get_tool (EkToolPart *self)
{
  EkPart *part = ek_part_widget_get_part (EK_PART_WIDGET (self));

  return part != NULL ? ek_part_get_tool (part) : NULL;
}

static char *
ek_tool_part_real_dup_title (EkToolPart *self)
{
  const char *tool = get_tool (self);
  const ToolInfo *info = lookup_tool (tool);
  JsonObject *input = ek_tool_part_get_input (self);
  const char *title = ek_part_json_string (ek_tool_part_get_state (self), "title");

  if (info != NULL && info->title_path != NULL)
    {
      const char *value = ek_part_json_string (input, info->title_path);

      if (value != NULL && *value != '\0')
        {
          if (info->is_path)
            {
              g_autofree char *path = ek_part_short_path (value, NULL);

              return ek_part_first_line (path, TITLE_MAX_CHARS);
            }
          return ek_part_first_line (value, TITLE_MAX_CHARS);
        }
    }

  if (title != NULL && *title != '\0')
    return ek_part_first_line (title, TITLE_MAX_CHARS);
  if (info != NULL)
    return g_strdup (_(info->label));
  return g_strdup (tool != NULL ? tool : _("Tool"));
}

static char *
ek_tool_part_real_dup_subtitle (EkToolPart *self)
{
  const char *tool = get_tool (self);
  const char *title = ek_part_json_string (ek_tool_part_get_state (self), "title");

  /* an unknown tool titled by its state: say which tool it is */
  if (lookup_tool (tool) == NULL && title != NULL && *title != '\0' &&
      g_strcmp0 (title, tool) != 0)
    return g_strdup (tool);
  return NULL;
}

static char *
dup_output (EkToolPart *self)
{
  JsonObject *state = ek_tool_part_get_state (self);
  const char *output = ek_part_json_string (state, "output");

  if (output == NULL)
    output = ek_part_json_string (state, "metadata.output");
  return g_strdup (output);
}

static gboolean
ek_tool_part_real_has_body (EkToolPart *self)
{
  JsonObject *input = ek_tool_part_get_input (self);
  g_autofree char *output = dup_output (self);

  return (input != NULL && json_object_get_size (input) > 0) ||
         (output != NULL && *output != '\0');
}

static void
ek_tool_part_real_update_body (EkToolPart *self,
                               GtkBox     *content,
                               JsonObject *state)
{
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);
  JsonObject *input = ek_part_json_object (state, "input");
  g_autofree char *output = dup_output (self);
  g_autofree char *input_json = NULL;

  if (priv->input_view == NULL)
    {
      priv->input_caption = ek_tool_part_caption_new (_("Input"));
      gtk_box_append (content, priv->input_caption);
      priv->input_view = ek_output_view_new ();
      gtk_box_append (content, priv->input_view);
      priv->output_caption = ek_tool_part_caption_new (_("Output"));
      gtk_box_append (content, priv->output_caption);
      priv->output_view = ek_output_view_new ();
      gtk_box_append (content, priv->output_view);
    }

  if (input != NULL && json_object_get_size (input) > 0)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, input);
      input_json = json_to_string (node, TRUE);
    }
  ek_output_view_set_text (EK_OUTPUT_VIEW (priv->input_view), input_json);
  gtk_widget_set_visible (priv->input_caption, input_json != NULL);
  gtk_widget_set_visible (priv->input_view, input_json != NULL);

  ek_output_view_set_text (EK_OUTPUT_VIEW (priv->output_view), output);
  gtk_widget_set_visible (priv->output_caption, output != NULL && *output != '\0');
  gtk_widget_set_visible (priv->output_view, output != NULL && *output != '\0');
}

static void
set_label (GtkWidget   *label,
           char       **store,
           char        *text)
{
  if (g_strcmp0 (*store, text) != 0)
    {
      g_free (*store);
      *store = text;
      gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
    }
  else
    g_free (text);
  gtk_widget_set_visible (label, *store != NULL && **store != '\0');
}

static void
refresh_body (EkToolPart *self)
{
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);
  JsonObject *state = ek_tool_part_get_state (self);

  if (state == NULL)
    return;
  priv->body_dirty = FALSE;
  EK_TOOL_PART_GET_CLASS (self)->update_body (self, GTK_BOX (priv->content), state);
}

static void
show_expanded (EkToolPart *self,
               gboolean    expanded,
               gboolean    animate)
{
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);

  expanded = expanded && priv->has_body;
  if (expanded && priv->body_dirty)
    refresh_body (self);

  priv->expanded = expanded;
  /* Always a slide, without animation a slide of no duration: with the
   * transition type NONE, GTK 4.8's revealer keeps measuring its hidden
   * child at full height, and a folded card would keep its open height
   * as empty space. */
  gtk_revealer_set_transition_type (GTK_REVEALER (priv->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_transition_duration (GTK_REVEALER (priv->revealer),
                                        animate ? REVEAL_DURATION_MS : 0);
  gtk_revealer_set_reveal_child (GTK_REVEALER (priv->revealer), expanded);
  gtk_image_set_from_icon_name (GTK_IMAGE (priv->arrow),
                                expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (priv->header),
                               GTK_ACCESSIBLE_STATE_EXPANDED, expanded,
                               -1);
  if (expanded)
    gtk_widget_add_css_class (priv->card, "expanded");
  else
    gtk_widget_remove_css_class (priv->card, "expanded");
}

static void
on_header_clicked (EkToolPart *self)
{
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);

  if (!priv->has_body)
    return;
  priv->user_toggled = TRUE;
  priv->user_expanded = !priv->expanded;
  show_expanded (self, priv->user_expanded, TRUE);
}

static void
ek_tool_part_update (EkPartWidget *widget)
{
  EkToolPart *self = EK_TOOL_PART (widget);
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);
  EkToolPartClass *klass = EK_TOOL_PART_GET_CLASS (self);
  JsonObject *state = ek_tool_part_get_state (self);
  const char *status = ek_part_json_string (state, "status");
  const char *error = ek_part_json_string (state, "error");
  gboolean is_error = g_strcmp0 (status, "error") == 0;
  gboolean want;
  g_autofree char *accessible = NULL;

  priv->icon_name = ek_tool_part_icon_for_tool (get_tool (self));
  gtk_image_set_from_icon_name (GTK_IMAGE (priv->icon), priv->icon_name);
  set_label (priv->title, &priv->title_text, klass->dup_title (self));
  set_label (priv->subtitle, &priv->subtitle_text, klass->dup_subtitle (self));
  if (klass->update_header != NULL)
    klass->update_header (self);
  gtk_widget_set_visible (priv->extra, FALSE);
  for (GtkWidget *child = gtk_widget_get_first_child (priv->extra);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      gtk_widget_set_visible (priv->extra, TRUE);

  ek_tool_badge_set_state (EK_TOOL_BADGE (priv->badge), status,
                           ek_part_json_int (state, "time.start", 0),
                           ek_part_json_int (state, "time.end", 0));

  gtk_label_set_text (GTK_LABEL (priv->error_label), error != NULL ? error : "");
  gtk_widget_set_visible (priv->error_label, is_error && error != NULL && *error != '\0');
  if (is_error)
    gtk_widget_add_css_class (priv->card, "failed");
  else
    gtk_widget_remove_css_class (priv->card, "failed");

  priv->has_body = (is_error && error != NULL && *error != '\0') || klass->has_body (self);
  gtk_widget_set_visible (priv->arrow, priv->has_body);
  gtk_widget_set_focusable (priv->header, priv->has_body);
  gtk_widget_set_can_target (priv->header, priv->has_body);

  accessible = g_strdup_printf ("%s %s", priv->title_text ? priv->title_text : "",
                                ek_tool_badge_get_accessible_text (EK_TOOL_BADGE (priv->badge)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (priv->header),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  if (g_strcmp0 (priv->status, status) != 0)
    {
      g_free (priv->status);
      priv->status = g_strdup (status);
    }

  /* until the user opens or closes it, the body is open while the call
   * runs and after it failed */
  priv->body_dirty = TRUE;
  want = priv->user_toggled ? priv->user_expanded
                            : g_strcmp0 (status, "running") == 0 || is_error;
  if ((want && priv->has_body) != priv->expanded)
    show_expanded (self, want, FALSE);
  else if (priv->expanded)
    refresh_body (self);
}

static void
on_clock_changed (EkToolPart *self)
{
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);

  ek_tool_badge_set_clock (EK_TOOL_BADGE (priv->badge),
                           ek_part_widget_get_clock (EK_PART_WIDGET (self)));
}

static void
ek_tool_part_unbind (EkPartWidget *widget,
                     EkPart       *part)
{
  EkToolPart *self = EK_TOOL_PART (widget);
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);

  /* a recycled card starts over with the next call's own state */
  g_clear_pointer (&priv->status, g_free);
  priv->user_toggled = FALSE;
  show_expanded (self, FALSE, FALSE);
}

static void
ek_tool_part_dispose (GObject *object)
{
  EkToolPart *self = EK_TOOL_PART (object);
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);

  ek_part_widget_set_part (EK_PART_WIDGET (self), NULL);
  priv->input_caption = priv->input_view = NULL;
  priv->output_caption = priv->output_view = NULL;
  /* not gtk_widget_dispose_template(): on GTK 4.8 it looks for the
   * template on the instance's class, which a subclass does not have */
  g_clear_pointer (&priv->card, gtk_widget_unparent);
  priv->header = priv->icon = priv->title = priv->subtitle = priv->extra = NULL;
  priv->badge = priv->arrow = priv->revealer = priv->body = NULL;
  priv->content = priv->error_label = NULL;

  G_OBJECT_CLASS (ek_tool_part_parent_class)->dispose (object);
}

static void
ek_tool_part_finalize (GObject *object)
{
  EkToolPart *self = EK_TOOL_PART (object);
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);

  g_free (priv->title_text);
  g_free (priv->subtitle_text);
  g_free (priv->status);

  G_OBJECT_CLASS (ek_tool_part_parent_class)->finalize (object);
}

static void
ek_tool_part_class_init (EkToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_tool_part_dispose;
  object_class->finalize = ek_tool_part_finalize;
  part_class->update = ek_tool_part_update;
  part_class->unbind = ek_tool_part_unbind;
  klass->dup_title = ek_tool_part_real_dup_title;
  klass->dup_subtitle = ek_tool_part_real_dup_subtitle;
  klass->has_body = ek_tool_part_real_has_body;
  klass->update_body = ek_tool_part_real_update_body;

  g_type_ensure (EK_TYPE_TOOL_BADGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/ekacode/Ekacode/parts/ek-tool-part.ui");
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, card);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, header);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, icon);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, title);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, subtitle);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, extra);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, badge);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, arrow);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, revealer);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, body);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, content);
  gtk_widget_class_bind_template_child_private (widget_class, EkToolPart, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_header_clicked);
}

static void
ek_tool_part_init (EkToolPart *self)
{
  EkToolPartPrivate *priv = ek_tool_part_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-tool-part");
  g_signal_connect (self, "notify::clock", G_CALLBACK (on_clock_changed), NULL);
  ek_part_focus_on_click (priv->error_label);
}

EkToolBadge *
ek_tool_part_get_badge (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);

  priv = ek_tool_part_get_instance_private (self);
  return EK_TOOL_BADGE (priv->badge);
}

const char *
ek_tool_part_get_title (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);

  priv = ek_tool_part_get_instance_private (self);
  return gtk_label_get_text (GTK_LABEL (priv->title));
}

const char *
ek_tool_part_get_subtitle (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);

  priv = ek_tool_part_get_instance_private (self);
  return gtk_label_get_text (GTK_LABEL (priv->subtitle));
}

const char *
ek_tool_part_get_icon_name (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);

  priv = ek_tool_part_get_instance_private (self);
  return priv->icon_name;
}

gboolean
ek_tool_part_get_expanded (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), FALSE);

  priv = ek_tool_part_get_instance_private (self);
  return priv->expanded;
}

void
ek_tool_part_set_expanded (EkToolPart *self,
                           gboolean    expanded)
{
  EkToolPartPrivate *priv;

  g_return_if_fail (EK_IS_TOOL_PART (self));

  priv = ek_tool_part_get_instance_private (self);
  priv->user_toggled = TRUE;
  priv->user_expanded = !!expanded;
  show_expanded (self, priv->user_expanded, FALSE);
}

const char *
ek_tool_part_get_error (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);

  priv = ek_tool_part_get_instance_private (self);
  return gtk_label_get_text (GTK_LABEL (priv->error_label));
}

GtkWidget *
ek_tool_part_get_header (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);

  priv = ek_tool_part_get_instance_private (self);
  return priv->header;
}

void
ek_tool_part_set_title_monospace (EkToolPart *self,
                                  gboolean    monospace)
{
  EkToolPartPrivate *priv;

  g_return_if_fail (EK_IS_TOOL_PART (self));

  priv = ek_tool_part_get_instance_private (self);
  if (monospace)
    gtk_widget_add_css_class (priv->title, "monospace");
  else
    gtk_widget_remove_css_class (priv->title, "monospace");
}

GtkBox *
ek_tool_part_get_header_extra (EkToolPart *self)
{
  EkToolPartPrivate *priv;

  g_return_val_if_fail (EK_IS_TOOL_PART (self), NULL);

  priv = ek_tool_part_get_instance_private (self);
  return GTK_BOX (priv->extra);
}
