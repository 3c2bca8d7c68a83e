/* ek-text-part.c: a text part: Markdown, or the user's prompt as typed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An assistant's text is Markdown and streams: each delta notifies
 * "text" on the part, and the view is redrawn at most every 100 ms (the
 * first change at once, later ones together when the period is over).
 * When the part ends (`time.end` arrives in a full update) the complete
 * text is set at once; a long one is laid out over the next few frames
 * (see ek_markdown_view_set_text()).  A user's prompt is shown as typed, selectable;
 * text the client added itself (`synthetic`) is dimmed and shortened,
 * and `ignored` text is not shown.
 */

#include "config.h"

#include "../ek-markdown-view.h"
#include "ek-part-util.h"
#include "ek-text-part.h"
#include "ek-throttle.h"

typedef enum
{
  MODE_UNSET,
  MODE_NONE,
  MODE_MARKDOWN,
  MODE_PROMPT,
  MODE_SYNTHETIC,
} Mode;

struct _EkTextPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *view;
  Mode          mode;
  EkThrottle   *throttle;
  gulong        text_handler;
  guint         n_redraws;
};

G_DEFINE_FINAL_TYPE (EkTextPart, ek_text_part, EK_TYPE_PART_WIDGET)

static const char *
shown_text (EkTextPart *self)
{
  if (self->view == NULL)
    return NULL;
  if (self->mode == MODE_MARKDOWN)
    return ek_markdown_view_get_text (EK_MARKDOWN_VIEW (self->view));
  return gtk_label_get_text (GTK_LABEL (self->view));
}

static gboolean
redraw (gpointer user_data)
{
  EkTextPart *self = user_data;
  EkPart *part = ek_part_widget_get_part (EK_PART_WIDGET (self));
  const char *text;

  if (part == NULL || self->view == NULL)
    return FALSE;

  text = ek_part_get_text (part);
  if (g_strcmp0 (shown_text (self), text) == 0)
    return FALSE;

  self->n_redraws++;
  if (self->mode == MODE_MARKDOWN)
    ek_markdown_view_set_text (EK_MARKDOWN_VIEW (self->view), text);
  else
    gtk_label_set_text (GTK_LABEL (self->view), text);
  return TRUE;
}

static void
on_text_changed (EkPart     *part,
                 GParamSpec *pspec,
                 EkTextPart *self)
{
  ek_throttle_queue (self->throttle);
}

static void
set_mode (EkTextPart *self,
          Mode        mode)
{
  if (self->mode == mode)
    return;

  g_clear_pointer (&self->view, gtk_widget_unparent);
  self->mode = mode;

  switch (mode)
    {
    case MODE_MARKDOWN:
      self->view = ek_markdown_view_new ();
      break;
    case MODE_PROMPT:
      self->view = ek_part_label_new (NULL, "ek-prompt");
      break;
    case MODE_SYNTHETIC:
      self->view = ek_part_label_new (NULL, "dim-label");
      gtk_widget_add_css_class (self->view, "ek-synthetic");
      gtk_label_set_selectable (GTK_LABEL (self->view), FALSE);
      gtk_label_set_lines (GTK_LABEL (self->view), 3);
      gtk_label_set_ellipsize (GTK_LABEL (self->view), PANGO_ELLIPSIZE_END);
      break;
    case MODE_UNSET:
    case MODE_NONE:
    default:
      break;
    }

  if (self->view != NULL)
    gtk_widget_set_parent (self->view, GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), mode != MODE_NONE);
}

static void
ek_text_part_bind (EkPartWidget *widget,
                   EkPart       *part)
{
  EkTextPart *self = EK_TEXT_PART (widget);

  ek_throttle_reset (self->throttle);
  self->text_handler = g_signal_connect (part, "notify::text",
                                         G_CALLBACK (on_text_changed), self);
}

static void
ek_text_part_unbind (EkPartWidget *widget,
                     EkPart       *part)
{
  EkTextPart *self = EK_TEXT_PART (widget);

  g_clear_signal_handler (&self->text_handler, part);
  ek_throttle_cancel (self->throttle);
}

static void
ek_text_part_update (EkPartWidget *widget)
{
  EkTextPart *self = EK_TEXT_PART (widget);
  JsonObject *data = ek_part_widget_get_data (widget);
  Mode mode;

  if (ek_part_json_bool (data, "ignored"))
    mode = MODE_NONE;
  else if (ek_part_json_bool (data, "synthetic"))
    mode = MODE_SYNTHETIC;
  else if (g_strcmp0 (ek_part_widget_get_role (widget), "user") == 0)
    mode = MODE_PROMPT;
  else
    mode = MODE_MARKDOWN;

  if (mode != self->mode)
    {
      set_mode (self, mode);
      ek_throttle_reset (self->throttle);
    }

  if (ek_part_json_int (data, "time.end", 0) > 0)
    {
      /* the part is complete: no reason to wait */
      ek_throttle_cancel (self->throttle);
      redraw (self);
    }
  else
    ek_throttle_queue (self->throttle);
}

static void
ek_text_part_dispose (GObject *object)
{
  EkTextPart *self = EK_TEXT_PART (object);

  ek_part_widget_set_part (EK_PART_WIDGET (self), NULL);
  g_clear_pointer (&self->view, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_text_part_parent_class)->dispose (object);
}

static void
ek_text_part_finalize (GObject *object)
{
  EkTextPart *self = EK_TEXT_PART (object);

  g_clear_pointer (&self->throttle, ek_throttle_free);

  G_OBJECT_CLASS (ek_text_part_parent_class)->finalize (object);
}

static void
ek_text_part_class_init (EkTextPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_text_part_dispose;
  object_class->finalize = ek_text_part_finalize;
  part_class->bind = ek_text_part_bind;
  part_class->unbind = ek_text_part_unbind;
  part_class->update = ek_text_part_update;
}

static void
ek_text_part_init (EkTextPart *self)
{
  self->throttle = ek_throttle_new (EK_THROTTLE_PERIOD_MS, redraw, self);
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-text-part");
}

guint
ek_text_part_get_n_redraws (EkTextPart *self)
{
  g_return_val_if_fail (EK_IS_TEXT_PART (self), 0);
  return self->n_redraws;
}

/**
 * ek_text_part_get_pending:
 *
 * Returns: whether the text shown is not yet the part's: a redraw waits
 *   for the throttle, or the Markdown view, on screen, still lays out
 *   blocks over the next frames
 */
gboolean
ek_text_part_get_pending (EkTextPart *self)
{
  g_return_val_if_fail (EK_IS_TEXT_PART (self), FALSE);

  if (ek_throttle_is_pending (self->throttle))
    return TRUE;
  return self->mode == MODE_MARKDOWN &&
         gtk_widget_get_realized (self->view) &&
         ek_markdown_view_get_n_pending (EK_MARKDOWN_VIEW (self->view)) > 0;
}

GtkWidget *
ek_text_part_get_view (EkTextPart *self)
{
  g_return_val_if_fail (EK_IS_TEXT_PART (self), NULL);
  return self->view;
}
