/* ek-reasoning-part.c: the model's reasoning, folded away
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Folded by default under "Thinking", with the latest line of the text
 * as a one-line preview while it streams; "Thought for 3 s" once it has
 * ended.  Unfolded, the whole text as dimmed Markdown.  Redraws follow
 * the text part's throttle: at most every 100 ms, and the whole text at
 * once when the part ends.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "../ek-markdown-view.h"
#include "ek-part-util.h"
#include "ek-reasoning-part.h"
#include "ek-throttle.h"

#define PREVIEW_MAX_CHARS 160

struct _EkReasoningPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *box;
  GtkWidget    *header;
  GtkWidget    *arrow;
  GtkWidget    *title;
  GtkWidget    *preview;
  GtkWidget    *revealer;
  GtkWidget    *body;
  GtkWidget    *markdown;

  EkThrottle   *throttle;
  gulong        text_handler;
  guint         n_redraws;
  gboolean      expanded;
  gboolean      ended;
};

G_DEFINE_FINAL_TYPE (EkReasoningPart, ek_reasoning_part, EK_TYPE_PART_WIDGET)

static gboolean
redraw (gpointer user_data)
{
  EkReasoningPart *self = user_data;
  EkPart *part = ek_part_widget_get_part (EK_PART_WIDGET (self));
  g_autofree char *preview = NULL;
  const char *text;
  gboolean drawn = FALSE;

  if (part == NULL)
    return FALSE;
  text = ek_part_get_text (part);

  preview = self->ended || self->expanded ? g_strdup ("") : ek_part_last_line (text, PREVIEW_MAX_CHARS);
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->preview)), preview) != 0)
    {
      gtk_label_set_text (GTK_LABEL (self->preview), preview);
      drawn = TRUE;
    }

  if (self->expanded &&
      g_strcmp0 (ek_markdown_view_get_text (EK_MARKDOWN_VIEW (self->markdown)), text) != 0)
    {
      ek_markdown_view_set_text (EK_MARKDOWN_VIEW (self->markdown), text);
      drawn = TRUE;
    }

  gtk_widget_set_visible (self->arrow, *text != '\0');
  if (drawn)
    self->n_redraws++;
  return drawn;
}

static void
set_expanded (EkReasoningPart *self,
              gboolean         expanded,
              gboolean         animate)
{
  self->expanded = expanded;

  if (expanded && self->markdown == NULL)
    {
      self->markdown = ek_markdown_view_new ();
      gtk_widget_add_css_class (self->markdown, "dim-label");
      gtk_box_append (GTK_BOX (self->body), self->markdown);
    }

  /* a slide of no duration when not animated: with the type NONE, GTK
   * 4.8's revealer measures a hidden child at full height */
  gtk_revealer_set_transition_type (GTK_REVEALER (self->revealer),
                                    GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_revealer_set_transition_duration (GTK_REVEALER (self->revealer),
                                        animate ? 150 : 0);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->revealer), expanded);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->arrow),
                                expanded ? "pan-down-symbolic" : "pan-end-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->header),
                               GTK_ACCESSIBLE_STATE_EXPANDED, expanded,
                               -1);

  /* the body (or the preview) shows what is there now */
  ek_throttle_cancel (self->throttle);
  redraw (self);
}

static void
on_header_clicked (EkReasoningPart *self)
{
  set_expanded (self, !self->expanded, TRUE);
}

static void
on_text_changed (EkPart          *part,
                 GParamSpec      *pspec,
                 EkReasoningPart *self)
{
  ek_throttle_queue (self->throttle);
}

static void
ek_reasoning_part_bind (EkPartWidget *widget,
                        EkPart       *part)
{
  EkReasoningPart *self = EK_REASONING_PART (widget);

  ek_throttle_reset (self->throttle);
  self->text_handler = g_signal_connect (part, "notify::text",
                                         G_CALLBACK (on_text_changed), self);
}

static void
ek_reasoning_part_unbind (EkPartWidget *widget,
                          EkPart       *part)
{
  EkReasoningPart *self = EK_REASONING_PART (widget);

  g_clear_signal_handler (&self->text_handler, part);
  ek_throttle_cancel (self->throttle);
  if (self->expanded)
    set_expanded (self, FALSE, FALSE);
}

static void
ek_reasoning_part_update (EkPartWidget *widget)
{
  EkReasoningPart *self = EK_REASONING_PART (widget);
  JsonObject *data = ek_part_widget_get_data (widget);
  gint64 start = ek_part_json_int (data, "time.start", 0);
  gint64 end = ek_part_json_int (data, "time.end", 0);

  self->ended = end > 0;
  if (self->ended && start > 0 && end >= start)
    {
      g_autofree char *duration = ek_part_format_duration (end - start, TRUE);
      /* Translators: %s is a duration, "3 s" */
      g_autofree char *title = g_strdup_printf (_("Thought for %s"), duration);

      gtk_label_set_text (GTK_LABEL (self->title), title);
    }
  else if (self->ended)
    gtk_label_set_text (GTK_LABEL (self->title), _("Thought"));
  else
    gtk_label_set_text (GTK_LABEL (self->title), _("Thinking"));

  if (self->ended)
    {
      ek_throttle_cancel (self->throttle);
      redraw (self);
    }
  else
    ek_throttle_queue (self->throttle);
}

static void
ek_reasoning_part_dispose (GObject *object)
{
  EkReasoningPart *self = EK_REASONING_PART (object);

  ek_part_widget_set_part (EK_PART_WIDGET (self), NULL);
  self->markdown = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), EK_TYPE_REASONING_PART);

  G_OBJECT_CLASS (ek_reasoning_part_parent_class)->dispose (object);
}

static void
ek_reasoning_part_finalize (GObject *object)
{
  EkReasoningPart *self = EK_REASONING_PART (object);

  g_clear_pointer (&self->throttle, ek_throttle_free);

  G_OBJECT_CLASS (ek_reasoning_part_parent_class)->finalize (object);
}

static void
ek_reasoning_part_class_init (EkReasoningPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_reasoning_part_dispose;
  object_class->finalize = ek_reasoning_part_finalize;
  part_class->bind = ek_reasoning_part_bind;
  part_class->unbind = ek_reasoning_part_unbind;
  part_class->update = ek_reasoning_part_update;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/ekacode/Ekacode/parts/ek-reasoning-part.ui");
  gtk_widget_class_bind_template_child (widget_class, EkReasoningPart, box);
  gtk_widget_class_bind_template_child (widget_class, EkReasoningPart, header);
  gtk_widget_class_bind_template_child (widget_class, EkReasoningPart, arrow);
  gtk_widget_class_bind_template_child (widget_class, EkReasoningPart, title);
  gtk_widget_class_bind_template_child (widget_class, EkReasoningPart, preview);
  gtk_widget_class_bind_template_child (widget_class, EkReasoningPart, revealer);
  gtk_widget_class_bind_template_child (widget_class, EkReasoningPart, body);
  gtk_widget_class_bind_template_callback (widget_class, on_header_clicked);
}

static void
ek_reasoning_part_init (EkReasoningPart *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-reasoning-part");
  self->throttle = ek_throttle_new (EK_THROTTLE_PERIOD_MS, redraw, self);
}

gboolean
ek_reasoning_part_get_expanded (EkReasoningPart *self)
{
  g_return_val_if_fail (EK_IS_REASONING_PART (self), FALSE);
  return self->expanded;
}

void
ek_reasoning_part_set_expanded (EkReasoningPart *self,
                                gboolean         expanded)
{
  g_return_if_fail (EK_IS_REASONING_PART (self));

  if (self->expanded != !!expanded)
    set_expanded (self, !!expanded, FALSE);
}

const char *
ek_reasoning_part_get_title (EkReasoningPart *self)
{
  g_return_val_if_fail (EK_IS_REASONING_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->title));
}

const char *
ek_reasoning_part_get_preview (EkReasoningPart *self)
{
  g_return_val_if_fail (EK_IS_REASONING_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->preview));
}

GtkWidget *
ek_reasoning_part_get_body (EkReasoningPart *self)
{
  g_return_val_if_fail (EK_IS_REASONING_PART (self), NULL);
  return self->markdown;
}

guint
ek_reasoning_part_get_n_redraws (EkReasoningPart *self)
{
  g_return_val_if_fail (EK_IS_REASONING_PART (self), 0);
  return self->n_redraws;
}

/* A redraw waits for the throttle, or the body, on screen, still lays out
 * blocks over the next frames. */
gboolean
ek_reasoning_part_get_pending (EkReasoningPart *self)
{
  g_return_val_if_fail (EK_IS_REASONING_PART (self), FALSE);

  if (ek_throttle_is_pending (self->throttle))
    return TRUE;
  return self->markdown != NULL &&
         gtk_widget_get_realized (self->markdown) &&
         ek_markdown_view_get_n_pending (EK_MARKDOWN_VIEW (self->markdown)) > 0;
}
