/* ek-ansi.c: terminal output with its escape sequences taken out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tool output is what a program wrote to a terminal-less pipe, but many
 * programs colour it anyway.  The escape sequences never reach the
 * screen: SGR (ESC [ … m) becomes styled ranges, everything else (cursor
 * movement, OSC titles and hyperlinks, charset switches) is skipped.
 */

#include "config.h"

#include <string.h>

#include "ek-ansi.h"

#define ESC 0x1b

/* Mid-tone colours, readable on the light and the dark Adwaita view. */
static const guint32 palette[16] = {
  0x5e5c64, 0xe01b24, 0x26a269, 0xc88800, 0x3584e4, 0x9141ac, 0x2190a4, 0x9a9996,
  0x77767b, 0xf66151, 0x33d17a, 0xe5a50a, 0x62a0ea, 0xc061cb, 0x33c7de, 0xc0bfbc,
};

typedef struct
{
  EkAnsiFlags flags;
  guint32     fg;
  guint32     bg;
} Style;

static guint32
xterm_colour (int n)
{
  static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

  if (n < 16)
    return palette[n];
  if (n < 232)
    {
      n -= 16;
      return (guint32) (steps[n / 36] << 16 | steps[n / 6 % 6] << 8 | steps[n % 6]);
    }
  n = 8 + (n - 232) * 10;
  return (guint32) (n << 16 | n << 8 | n);
}

/* Applies the parameters of one SGR sequence. */
static void
apply_sgr (Style      *style,
           const char *params,
           gsize       len)
{
  int values[32];
  guint n = 0;
  int current = -1;

  for (gsize i = 0; i <= len && n < G_N_ELEMENTS (values); i++)
    {
      char c = i < len ? params[i] : ';';

      if (c >= '0' && c <= '9')
        current = (current < 0 ? 0 : current) * 10 + (c - '0');
      else if (c == ';' || c == ':')
        {
          values[n++] = current < 0 ? 0 : MIN (current, 0xffff);
          current = -1;
        }
    }

  for (guint i = 0; i < n; i++)
    {
      int v = values[i];

      if (v == 0)
        memset (style, 0, sizeof *style);
      else if (v == 1)
        style->flags |= EK_ANSI_BOLD;
      else if (v == 2)
        style->flags |= EK_ANSI_DIM;
      else if (v == 3)
        style->flags |= EK_ANSI_ITALIC;
      else if (v == 4)
        style->flags |= EK_ANSI_UNDERLINE;
      else if (v == 22)
        style->flags &= ~(EK_ANSI_BOLD | EK_ANSI_DIM);
      else if (v == 23)
        style->flags &= ~EK_ANSI_ITALIC;
      else if (v == 24)
        style->flags &= ~EK_ANSI_UNDERLINE;
      else if ((v >= 30 && v <= 37) || (v >= 90 && v <= 97))
        {
          style->flags |= EK_ANSI_HAS_FG;
          style->fg = palette[v >= 90 ? v - 90 + 8 : v - 30];
        }
      else if (v == 39)
        style->flags &= ~EK_ANSI_HAS_FG;
      else if ((v >= 40 && v <= 47) || (v >= 100 && v <= 107))
        {
          style->flags |= EK_ANSI_HAS_BG;
          style->bg = palette[v >= 100 ? v - 100 + 8 : v - 40];
        }
      else if (v == 49)
        style->flags &= ~EK_ANSI_HAS_BG;
      else if ((v == 38 || v == 48) && i + 1 < n)
        {
          guint32 colour;

          if (values[i + 1] == 5 && i + 2 < n)
            {
              colour = xterm_colour (CLAMP (values[i + 2], 0, 255));
              i += 2;
            }
          else if (values[i + 1] == 2 && i + 4 < n)
            {
              colour = (guint32) (CLAMP (values[i + 2], 0, 255) << 16 |
                                  CLAMP (values[i + 3], 0, 255) << 8 |
                                  CLAMP (values[i + 4], 0, 255));
              i += 4;
            }
          else
            break;

          if (v == 38)
            {
              style->flags |= EK_ANSI_HAS_FG;
              style->fg = colour;
            }
          else
            {
              style->flags |= EK_ANSI_HAS_BG;
              style->bg = colour;
            }
        }
    }
}

static void
close_span (GArray      *spans,
            const Style *style,
            gsize        start,
            gsize        end)
{
  EkAnsiSpan span;

  if (spans == NULL || start >= end || style->flags == 0)
    return;

  if (spans->len > 0)
    {
      EkAnsiSpan *last = &g_array_index (spans, EkAnsiSpan, spans->len - 1);

      if (last->end == start && last->flags == style->flags &&
          last->fg == style->fg && last->bg == style->bg)
        {
          last->end = end;
          return;
        }
    }

  span.start = start;
  span.end = end;
  span.flags = style->flags;
  span.fg = style->fg;
  span.bg = style->bg;
  g_array_append_val (spans, span);
}

/* Drops what was written on the current line (a lone carriage return:
 * the next text overwrites it). */
static void
rewind_line (GString *out,
             GArray  *spans)
{
  const char *nl = g_strrstr_len (out->str, out->len, "\n");
  gsize line_start = nl != NULL ? (gsize) (nl - out->str) + 1 : 0;

  g_string_truncate (out, line_start);
  while (spans != NULL && spans->len > 0)
    {
      EkAnsiSpan *last = &g_array_index (spans, EkAnsiSpan, spans->len - 1);

      if (last->start >= line_start)
        g_array_set_size (spans, spans->len - 1);
      else
        {
          last->end = MIN (last->end, line_start);
          break;
        }
    }
}

char *
ek_ansi_parse (const char  *text,
               gssize       len,
               GArray     **spans_out)
{
  GString *out;
  GArray *spans = NULL;
  Style style = { 0, };
  gsize span_start = 0;
  const char *p, *end;

  if (text == NULL)
    text = "";
  if (len < 0)
    len = strlen (text);

  out = g_string_sized_new (len + 1);
  if (spans_out != NULL)
    spans = g_array_new (FALSE, FALSE, sizeof (EkAnsiSpan));

  p = text;
  end = text + len;
  while (p < end)
    {
      guchar c = (guchar) *p;

      if (c == ESC)
        {
          const char *q = p + 1;

          if (q < end && *q == '[')
            {
              /* CSI: parameters, intermediates, one final byte */
              const char *params = ++q;

              while (q < end && (guchar) *q >= 0x30 && (guchar) *q <= 0x3f)
                q++;
              {
                gsize n_params = q - params;

                while (q < end && (guchar) *q >= 0x20 && (guchar) *q <= 0x2f)
                  q++;
                if (q < end && *q == 'm')
                  {
                    close_span (spans, &style, span_start, out->len);
                    apply_sgr (&style, params, n_params);
                    span_start = out->len;
                  }
              }
              p = q < end ? q + 1 : end;
            }
          else if (q < end && (*q == ']' || *q == 'P' || *q == 'X' || *q == '^' || *q == '_'))
            {
              /* a string: ends with BEL or ESC \ */
              q++;
              while (q < end && *q != 0x07 && !(*q == ESC && q + 1 < end && q[1] == '\\'))
                q++;
              if (q < end && *q == ESC)
                q++;
              p = q < end ? q + 1 : end;
            }
          else
            {
              /* ESC, intermediates, a final byte: "ESC ( B", "ESC =" */
              while (q < end && (guchar) *q >= 0x20 && (guchar) *q <= 0x2f)
                q++;
              p = q < end ? q + 1 : end;
            }
          continue;
        }

      if (c == '\r')
        {
          if (p + 1 < end && p[1] == '\n')
            {
              p++;
              continue;
            }
          if (p + 1 < end)
            {
              close_span (spans, &style, span_start, out->len);
              rewind_line (out, spans);
              span_start = out->len;
            }
          p++;
          continue;
        }

      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
        {
          p++;
          continue;
        }

      {
        /* copy a run of ordinary bytes */
        const char *run = p;

        while (p < end && (guchar) *p >= 0x20 && (guchar) *p != 0x7f)
          p++;
        while (p < end && (*p == '\n' || *p == '\t'))
          p++;
        if (p == run)
          p++;
        g_string_append_len (out, run, p - run);
      }
    }
  close_span (spans, &style, span_start, out->len);

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      /* replacement characters change lengths: keep the text, drop styles */
      char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_free (out, TRUE);
      if (spans != NULL)
        g_array_set_size (spans, 0);
      if (spans_out != NULL)
        *spans_out = spans;
      return valid;
    }

  if (spans_out != NULL)
    *spans_out = spans;
  return g_string_free (out, FALSE);
}

char *
ek_ansi_strip (const char *text,
               gssize      len)
{
  return ek_ansi_parse (text, len, NULL);
}

static GtkTextTag *
ensure_tag (GtkTextBuffer *buffer,
            const char    *name,
            const char    *first_property,
            ...)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);
  va_list args;

  if (tag != NULL)
    return tag;

  tag = gtk_text_tag_new (name);
  va_start (args, first_property);
  g_object_set_valist (G_OBJECT (tag), first_property, args);
  va_end (args);
  gtk_text_tag_table_add (table, tag);
  g_object_unref (tag);
  return tag;
}

static GtkTextTag *
colour_tag (GtkTextBuffer *buffer,
            guint32        colour,
            gboolean       background)
{
  g_autofree char *name = g_strdup_printf ("ansi-%s-%06x", background ? "bg" : "fg", colour);
  GdkRGBA rgba = {
    .red = ((colour >> 16) & 0xff) / 255.0,
    .green = ((colour >> 8) & 0xff) / 255.0,
    .blue = (colour & 0xff) / 255.0,
    .alpha = background ? 0.35 : 1.0,
  };

  return ensure_tag (buffer, name,
                     background ? "background-rgba" : "foreground-rgba", &rgba,
                     NULL);
}

void
ek_ansi_set_buffer (GtkTextBuffer *buffer,
                    const char    *text,
                    gssize         len,
                    gboolean       colours)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *plain = ek_ansi_parse (text, len, colours ? &spans : NULL);

  const char *counted = plain;
  glong offset = 0;

  gtk_text_buffer_set_text (buffer, plain, -1);

  /* spans are in order: count characters once, not from the start for
   * each span */
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const EkAnsiSpan *span = &g_array_index (spans, EkAnsiSpan, i);
      GtkTextIter start, end;

      offset += g_utf8_pointer_to_offset (counted, plain + span->start);
      counted = plain + span->start;
      gtk_text_buffer_get_iter_at_offset (buffer, &start, offset);
      offset += g_utf8_pointer_to_offset (counted, plain + span->end);
      counted = plain + span->end;
      gtk_text_buffer_get_iter_at_offset (buffer, &end, offset);

      if (span->flags & EK_ANSI_HAS_FG)
        gtk_text_buffer_apply_tag (buffer, colour_tag (buffer, span->fg, FALSE), &start, &end);
      if (span->flags & EK_ANSI_HAS_BG)
        gtk_text_buffer_apply_tag (buffer, colour_tag (buffer, span->bg, TRUE), &start, &end);
      if (span->flags & EK_ANSI_BOLD)
        gtk_text_buffer_apply_tag (buffer,
                                   ensure_tag (buffer, "ansi-bold", "weight", PANGO_WEIGHT_BOLD, NULL),
                                   &start, &end);
      if (span->flags & EK_ANSI_DIM)
        gtk_text_buffer_apply_tag (buffer,
                                   ensure_tag (buffer, "ansi-dim", "foreground-rgba",
                                               &(GdkRGBA) { 0.5, 0.5, 0.5, 1.0 }, NULL),
                                   &start, &end);
      if (span->flags & EK_ANSI_ITALIC)
        gtk_text_buffer_apply_tag (buffer,
                                   ensure_tag (buffer, "ansi-italic", "style", PANGO_STYLE_ITALIC, NULL),
                                   &start, &end);
      if (span->flags & EK_ANSI_UNDERLINE)
        gtk_text_buffer_apply_tag (buffer,
                                   ensure_tag (buffer, "ansi-underline", "underline", PANGO_UNDERLINE_SINGLE, NULL),
                                   &start, &end);
    }
}
