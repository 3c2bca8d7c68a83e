/* ek-output-view.c: a tool's text output, monospace, shortened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tool output can be megabytes.  The view shows a few lines (the first
 * ones, or the last ones for live output) and a "Show more" button; even
 * expanded it holds at most MAX_SHOWN_BYTES, so a huge output never
 * reaches the text layout whole.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "ek-ansi.h"
#include "ek-output-view.h"
#include "ek-part-util.h"

#define MAX_SHOWN_BYTES (256 * 1024)
/* "Show More" for fewer lines than this would save no room */
#define MIN_HIDDEN_LINES 3

struct _EkOutputView
{
  GtkWidget    parent_instance;

  GtkWidget   *view;
  GtkWidget   *footer;
  GtkWidget   *note;
  GtkWidget   *more_button;

  char        *text;
  guint        max_lines;
  gboolean     ansi;
  gboolean     tail;
  gboolean     expanded;
  gboolean     truncated;
};

G_DEFINE_FINAL_TYPE (EkOutputView, ek_output_view, GTK_TYPE_WIDGET)

static guint
count_lines (const char *text,
             gsize       len)
{
  guint n = 0;
  const char *p = text, *end = text + len;

  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      n++;
      p++;
    }
  if (len > 0 && text[len - 1] != '\n')
    n++;
  return n;
}

/* The start of the line after the @n-th line end (or @end). */
static const char *
skip_lines (const char *text,
            const char *end,
            guint       n)
{
  const char *p = text;

  while (n-- > 0 && p < end)
    {
      const char *nl = memchr (p, '\n', end - p);

      if (nl == NULL)
        return end;
      p = nl + 1;
    }
  return p;
}

/* The start of the last @n lines of [text, end). */
static const char *
last_lines (const char *text,
            const char *end,
            guint       n)
{
  const char *p = end;

  if (p > text && p[-1] == '\n')
    p--;
  while (p > text)
    {
      if (p[-1] == '\n' && --n == 0)
        break;
      p--;
    }
  return p;
}

/* Moves @p forward to a character boundary. */
static const char *
utf8_forward (const char *p,
              const char *end)
{
  while (p < end && ((guchar) *p & 0xc0) == 0x80)
    p++;
  return p;
}

/* Output ends with a newline, sometimes hidden behind an escape
 * sequence: no empty last line. */
static void
trim_trailing_newlines (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  start = end;
  while (gtk_text_iter_backward_char (&start) && gtk_text_iter_get_char (&start) == '\n')
    ;
  if (gtk_text_iter_get_char (&start) != '\n')
    gtk_text_iter_forward_char (&start);
  if (!gtk_text_iter_equal (&start, &end))
    gtk_text_buffer_delete (buffer, &start, &end);
}

static void
refresh (EkOutputView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  const char *text = self->text != NULL ? self->text : "";
  gsize len = strlen (text);
  const char *start = text, *end = text + len;
  guint total_lines = count_lines (text, len);
  gboolean shortened = FALSE;
  g_autofree char *note = NULL;

  if (len > 0 && text[len - 1] == '\n')
    end--;

  if (!self->expanded && self->max_lines > 0 &&
      total_lines >= self->max_lines + MIN_HIDDEN_LINES)
    {
      shortened = TRUE;
      if (self->tail)
        start = last_lines (text, end, self->max_lines);
      else
        {
          end = skip_lines (text, end, self->max_lines);
          if (end > start && end[-1] == '\n')
            end--;
        }
    }

  if ((gsize) (end - start) > MAX_SHOWN_BYTES)
    {
      shortened = TRUE;
      if (self->tail)
        start = utf8_forward (end - MAX_SHOWN_BYTES, end);
      else
        end = utf8_forward (start + MAX_SHOWN_BYTES, text + len);
    }

  ek_ansi_set_buffer (buffer, start, end - start, self->ansi);
  trim_trailing_newlines (buffer);

  self->truncated = shortened;
  if (shortened && !self->expanded)
    {
      guint shown = count_lines (start, end - start);
      guint hidden = total_lines > shown ? total_lines - shown : 0;

      note = g_strdup_printf (self->tail
                              ? g_dngettext (GETTEXT_PACKAGE, "%u earlier line", "%u earlier lines", hidden)
                              : g_dngettext (GETTEXT_PACKAGE, "%u more line", "%u more lines", hidden),
                              hidden);
      gtk_button_set_label (GTK_BUTTON (self->more_button), _("Show More"));
    }
  else if (shortened)
    {
      g_autofree char *size = g_format_size (len);

      /* Translators: %s is a size, "12.3 MB" */
      note = g_strdup_printf (_("Output is too long to show whole (%s)"), size);
      gtk_button_set_label (GTK_BUTTON (self->more_button), _("Show Less"));
    }
  else if (self->expanded)
    gtk_button_set_label (GTK_BUTTON (self->more_button), _("Show Less"));

  gtk_label_set_text (GTK_LABEL (self->note), note != NULL ? note : "");
  gtk_widget_set_visible (self->note, note != NULL);
  gtk_widget_set_visible (self->footer,
                          shortened || (self->expanded && self->max_lines > 0 &&
                                        total_lines >= self->max_lines + MIN_HIDDEN_LINES));
}

static void
on_more_clicked (EkOutputView *self)
{
  ek_output_view_set_expanded (self, !self->expanded);
}

static void
ek_output_view_dispose (GObject *object)
{
  EkOutputView *self = EK_OUTPUT_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ek_output_view_parent_class)->dispose (object);
}

static void
ek_output_view_finalize (GObject *object)
{
  EkOutputView *self = EK_OUTPUT_VIEW (object);

  g_free (self->text);

  G_OBJECT_CLASS (ek_output_view_parent_class)->finalize (object);
}

static void
ek_output_view_class_init (EkOutputViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_output_view_dispose;
  object_class->finalize = ek_output_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ekoutput");
}

static void
ek_output_view_init (EkOutputView *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-output");

  self->max_lines = 12;

  self->view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->view), 0);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->view), 0);
  gtk_widget_set_hexpand (self->view, TRUE);
  ek_part_focus_on_click (self->view);
  gtk_widget_set_parent (self->view, GTK_WIDGET (self));

  self->footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->footer, "ek-output-footer");
  gtk_widget_set_visible (self->footer, FALSE);
  gtk_widget_set_parent (self->footer, GTK_WIDGET (self));

  self->note = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->note), 0.0);
  gtk_label_set_wrap (GTK_LABEL (self->note), TRUE);
  gtk_widget_set_hexpand (self->note, TRUE);
  gtk_widget_add_css_class (self->note, "dim-label");
  gtk_widget_add_css_class (self->note, "caption");
  gtk_box_append (GTK_BOX (self->footer), self->note);

  self->more_button = gtk_button_new_with_label (_("Show More"));
  gtk_widget_add_css_class (self->more_button, "flat");
  gtk_widget_add_css_class (self->more_button, "caption");
  gtk_widget_set_halign (self->more_button, GTK_ALIGN_END);
  gtk_widget_set_valign (self->more_button, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (self->more_button, "clicked", G_CALLBACK (on_more_clicked), self);
  gtk_box_append (GTK_BOX (self->footer), self->more_button);
}

GtkWidget *
ek_output_view_new (void)
{
  return g_object_new (EK_TYPE_OUTPUT_VIEW, NULL);
}

void
ek_output_view_set_text (EkOutputView *self,
                         const char   *text)
{
  g_return_if_fail (EK_IS_OUTPUT_VIEW (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;
  g_free (self->text);
  self->text = g_strdup (text);
  refresh (self);
}

const char *
ek_output_view_get_text (EkOutputView *self)
{
  g_return_val_if_fail (EK_IS_OUTPUT_VIEW (self), NULL);
  return self->text;
}

void
ek_output_view_set_ansi (EkOutputView *self,
                         gboolean      ansi)
{
  g_return_if_fail (EK_IS_OUTPUT_VIEW (self));

  if (self->ansi == !!ansi)
    return;
  self->ansi = !!ansi;
  refresh (self);
}

void
ek_output_view_set_tail (EkOutputView *self,
                         gboolean      tail)
{
  g_return_if_fail (EK_IS_OUTPUT_VIEW (self));

  if (self->tail == !!tail)
    return;
  self->tail = !!tail;
  refresh (self);
}

void
ek_output_view_set_max_lines (EkOutputView *self,
                              guint         max_lines)
{
  g_return_if_fail (EK_IS_OUTPUT_VIEW (self));

  if (self->max_lines == max_lines)
    return;
  self->max_lines = max_lines;
  refresh (self);
}

void
ek_output_view_set_expanded (EkOutputView *self,
                             gboolean      expanded)
{
  g_return_if_fail (EK_IS_OUTPUT_VIEW (self));

  if (self->expanded == !!expanded)
    return;
  self->expanded = !!expanded;
  refresh (self);
}

gboolean
ek_output_view_get_expanded (EkOutputView *self)
{
  g_return_val_if_fail (EK_IS_OUTPUT_VIEW (self), FALSE);
  return self->expanded;
}

gboolean
ek_output_view_get_truncated (EkOutputView *self)
{
  g_return_val_if_fail (EK_IS_OUTPUT_VIEW (self), FALSE);
  return self->truncated;
}

char *
ek_output_view_dup_shown_text (EkOutputView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (EK_IS_OUTPUT_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GtkTextView *
ek_output_view_get_text_view (EkOutputView *self)
{
  g_return_val_if_fail (EK_IS_OUTPUT_VIEW (self), NULL);
  return GTK_TEXT_VIEW (self->view);
}

GtkWidget *
ek_output_view_get_more_button (EkOutputView *self)
{
  g_return_val_if_fail (EK_IS_OUTPUT_VIEW (self), NULL);
  return self->more_button;
}
