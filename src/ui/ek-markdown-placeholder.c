/* ek-markdown-placeholder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stands in for a piece of a long Markdown text that is not laid out:
 * it draws nothing and is as tall as the text would roughly be at its
 * width, so that the scroll bar and the position of everything below
 * it are about right before the text is built.  The estimate counts, per
 * line of the source, the characters times the font's average character
 * width, wrapped at the width; lines of a fenced code block do not wrap;
 * blank lines between blocks are the blocks' spacing.  It is only read
 * when the placeholder is measured, which GTK does for the width it is
 * given.
 */

#include <math.h>
#include <string.h>

#include "ek-markdown-placeholder.h"

/* as ek-markdown-view.c spaces its blocks */
#define BLOCK_SPACING 12

/* wrapping at word boundaries leaves lines a little short of the width */
#define WRAP_SLACK 1.06

/* a code block's header and padding */
#define CODE_BLOCK_EXTRA 44

/* Lines are kept as their character count; these mark the others. */
#define LINE_BLANK ((guint32) -1)
#define LINE_CODE  ((guint32) -2)
#define LINE_FENCE ((guint32) -3)

struct _EkMarkdownPlaceholder
{
  GtkWidget  parent_instance;

  GArray    *lines;        /* guint32: characters, or a LINE_ mark */
  double     char_width;   /* px, 0 until measured */
  double     line_height;  /* px */
};

G_DEFINE_FINAL_TYPE (EkMarkdownPlaceholder, ek_markdown_placeholder, GTK_TYPE_WIDGET)

static void
ensure_metrics (EkMarkdownPlaceholder *self)
{
  PangoContext *context;
  PangoFontMetrics *metrics;

  if (self->char_width > 0)
    return;

  context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  metrics = pango_context_get_metrics (context, pango_context_get_font_description (context), NULL);
  self->char_width = MAX (1.0, (double) pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE);
  self->line_height = MAX (1.0, (double) pango_font_metrics_get_height (metrics) / PANGO_SCALE);
  if (pango_font_metrics_get_height (metrics) == 0)
    self->line_height = MAX (1.0, (double) (pango_font_metrics_get_ascent (metrics) +
                                            pango_font_metrics_get_descent (metrics)) / PANGO_SCALE);
  pango_font_metrics_unref (metrics);
}

/**
 * ek_markdown_placeholder_estimate:
 * @self: a #EkMarkdownPlaceholder
 * @width: the width, in pixels, the text would be laid out at
 *
 * Returns: the height the text would roughly take at @width
 */
int
ek_markdown_placeholder_estimate (EkMarkdownPlaceholder *self,
                                  int                    width)
{
  double chars_per_line;
  double height = 0;
  gboolean after_text = FALSE;

  g_return_val_if_fail (EK_IS_MARKDOWN_PLACEHOLDER (self), 0);

  ensure_metrics (self);
  chars_per_line = MAX (1.0, (width > 0 ? width : 600) / (self->char_width * WRAP_SLACK));

  for (guint i = 0; i < self->lines->len; i++)
    {
      guint32 line = g_array_index (self->lines, guint32, i);

      switch (line)
        {
        case LINE_BLANK:
          if (after_text)
            height += BLOCK_SPACING;
          after_text = FALSE;
          break;

        case LINE_FENCE:
          height += CODE_BLOCK_EXTRA / 2.0;
          after_text = TRUE;
          break;

        case LINE_CODE:
          height += self->line_height;
          after_text = TRUE;
          break;

        default:
          height += self->line_height * MAX (1.0, ceil (line / chars_per_line));
          after_text = TRUE;
          break;
        }
    }

  return (int) ceil (height);
}

/* Whether @line (without its newline) opens or closes a fence: up to
 * three spaces, then three or more backticks or tildes. */
static gboolean
is_fence (const char *line,
          gsize       len,
          char       *mark)
{
  gsize i = 0;
  gsize n = 0;

  while (i < len && i < 3 && line[i] == ' ')
    i++;
  if (i >= len || (line[i] != '`' && line[i] != '~'))
    return FALSE;
  while (i + n < len && line[i + n] == line[i])
    n++;
  if (n < 3)
    return FALSE;
  *mark = line[i];
  return TRUE;
}

/**
 * ek_markdown_placeholder_set_text:
 * @self: a #EkMarkdownPlaceholder
 * @text: the Markdown text it stands for
 * @len: its length in bytes
 *
 * Takes the measures of @text that the estimate needs; @text is not kept.
 */
void
ek_markdown_placeholder_set_text (EkMarkdownPlaceholder *self,
                                  const char            *text,
                                  gsize                  len)
{
  const char *p = text;
  const char *end = text + len;
  char fence = 0;

  g_return_if_fail (EK_IS_MARKDOWN_PLACEHOLDER (self));

  g_array_set_size (self->lines, 0);
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      gsize line_len = line_end - p;
      guint32 value;
      char mark;

      if (is_fence (p, line_len, &mark) && (fence == 0 || fence == mark))
        {
          fence = fence == 0 ? mark : 0;
          value = LINE_FENCE;
        }
      else if (fence != 0)
        value = LINE_CODE;
      else if (line_len == 0 || (line_len == 1 && *p == '\r'))
        value = LINE_BLANK;
      else
        value = (guint32) MIN (g_utf8_strlen (p, line_len), (glong) LINE_FENCE - 1);

      g_array_append_val (self->lines, value);
      p = nl != NULL ? nl + 1 : end;
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
ek_markdown_placeholder_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  EkMarkdownPlaceholder *self = EK_MARKDOWN_PLACEHOLDER (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 0;
  else
    *minimum = *natural = ek_markdown_placeholder_estimate (self, for_size);
}

static GtkSizeRequestMode
ek_markdown_placeholder_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ek_markdown_placeholder_css_changed (GtkWidget         *widget,
                                     GtkCssStyleChange *change)
{
  EK_MARKDOWN_PLACEHOLDER (widget)->char_width = 0;

  GTK_WIDGET_CLASS (ek_markdown_placeholder_parent_class)->css_changed (widget, change);
}

static void
ek_markdown_placeholder_finalize (GObject *object)
{
  EkMarkdownPlaceholder *self = EK_MARKDOWN_PLACEHOLDER (object);

  g_array_unref (self->lines);

  G_OBJECT_CLASS (ek_markdown_placeholder_parent_class)->finalize (object);
}

static void
ek_markdown_placeholder_class_init (EkMarkdownPlaceholderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ek_markdown_placeholder_finalize;

  widget_class->measure = ek_markdown_placeholder_measure;
  widget_class->get_request_mode = ek_markdown_placeholder_get_request_mode;
  widget_class->css_changed = ek_markdown_placeholder_css_changed;

  gtk_widget_class_set_css_name (widget_class, "markdownplaceholder");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
ek_markdown_placeholder_init (EkMarkdownPlaceholder *self)
{
  self->lines = g_array_new (FALSE, FALSE, sizeof (guint32));
}

/**
 * ek_markdown_placeholder_new:
 *
 * Returns: a new placeholder for no text
 */
GtkWidget *
ek_markdown_placeholder_new (void)
{
  return g_object_new (EK_TYPE_MARKDOWN_PLACEHOLDER, NULL);
}
