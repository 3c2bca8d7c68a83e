/* ek-step-finish-part.c: a model step's token count and cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A small dim line, "1,234 tokens · $0.0123", with the breakdown in its
 * tooltip.  It is the last part of an assistant message, so it sits
 * under the message, at its end side: bookkeeping, out of the way of the
 * conversation's flow of text and calls.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "ek-part-util.h"
#include "ek-step-finish-part.h"
#include "ek-ui-util.h"

struct _EkStepFinishPart
{
  EkPartWidget  parent_instance;

  GtkWidget    *label;
};

G_DEFINE_FINAL_TYPE (EkStepFinishPart, ek_step_finish_part, EK_TYPE_PART_WIDGET)

static gint64
token_count (JsonObject *tokens,
             const char *path)
{
  double value = 0;

  if (!ek_part_json_double (tokens, path, &value))
    return 0;
  return (gint64) value;
}

static void
ek_step_finish_part_update (EkPartWidget *widget)
{
  EkStepFinishPart *self = EK_STEP_FINISH_PART (widget);
  JsonObject *data = ek_part_widget_get_data (widget);
  JsonObject *tokens = ek_part_json_object (data, "tokens");
  gint64 input = token_count (tokens, "input");
  gint64 output = token_count (tokens, "output");
  gint64 reasoning = token_count (tokens, "reasoning");
  gint64 cache_read = token_count (tokens, "cache.read");
  gint64 cache_write = token_count (tokens, "cache.write");
  gint64 total = token_count (tokens, "total");
  double cost = 0;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *s_input = NULL, *s_output = NULL, *s_reasoning = NULL;
  g_autofree char *s_read = NULL, *s_write = NULL;

  if (total <= 0)
    total = input + output + reasoning + cache_read + cache_write;
  count = ek_part_format_count (total);
  ek_part_json_double (data, "cost", &cost);

  if (cost > 0)
    /* Translators: token count and cost of a model step, "1,234 tokens · $0.0123" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token · $%.4f", "%s tokens · $%.4f", total),
                            count, cost);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s token", "%s tokens", total), count);
  gtk_label_set_text (GTK_LABEL (self->label), text);

  s_input = ek_part_format_count (input);
  s_output = ek_part_format_count (output);
  s_reasoning = ek_part_format_count (reasoning);
  s_read = ek_part_format_count (cache_read);
  s_write = ek_part_format_count (cache_write);
  /* Translators: the tooltip of a step's token count */
  tooltip = g_strdup_printf (_("Input %s · Output %s · Reasoning %s · Cache read %s · Cache write %s"),
                             s_input, s_output, s_reasoning, s_read, s_write);
  ek_widget_set_tooltip (self->label, tooltip);
}

static void
ek_step_finish_part_dispose (GObject *object)
{
  EkStepFinishPart *self = EK_STEP_FINISH_PART (object);

  g_clear_pointer (&self->label, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_step_finish_part_parent_class)->dispose (object);
}

static void
ek_step_finish_part_class_init (EkStepFinishPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkPartWidgetClass *part_class = EK_PART_WIDGET_CLASS (klass);

  object_class->dispose = ek_step_finish_part_dispose;
  part_class->update = ek_step_finish_part_update;
}

static void
ek_step_finish_part_init (EkStepFinishPart *self)
{
  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 1.0);
  gtk_widget_add_css_class (self->label, "dim-label");
  gtk_widget_add_css_class (self->label, "caption");
  gtk_widget_add_css_class (self->label, "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-step-finish");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
}

const char *
ek_step_finish_part_get_text (EkStepFinishPart *self)
{
  g_return_val_if_fail (EK_IS_STEP_FINISH_PART (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->label));
}
