/* ek-diff-view.c: a unified diff, coloured
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One line per diff line: a gutter with the line number in the new file
 * (the old one for a deletion), then the line.  Added lines are tinted
 * green, removed ones red, hunk headers dim; the "Index:"/"====" lines
 * some tools write before a diff are left out, and so are the file
 * headers when the diff is about one file (its card names it already).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ek-diff-view.h"
#include "ek-part-util.h"

#define MAX_DIFF_LINES 5000

struct _EkDiffView
{
  GtkWidget  parent_instance;

  GtkWidget *view;
  char      *diff;
  GArray    *kinds; /* of EkDiffLineKind, one per shown line */
};

G_DEFINE_FINAL_TYPE (EkDiffView, ek_diff_view, GTK_TYPE_WIDGET)

static const char *tag_names[] = {
  [EK_DIFF_LINE_CONTEXT] = NULL,
  [EK_DIFF_LINE_ADDED] = "added",
  [EK_DIFF_LINE_REMOVED] = "removed",
  [EK_DIFF_LINE_HUNK] = "hunk",
  [EK_DIFF_LINE_FILE] = "file",
};

static void
create_tags (EkDiffView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  /* tints that work on the light and the dark view background */
  GdkRGBA added_bg = { 0.18, 0.76, 0.49, 0.20 };
  GdkRGBA removed_bg = { 0.88, 0.11, 0.14, 0.18 };
  GdkRGBA hunk_bg = { 0.21, 0.52, 0.89, 0.10 };
  GdkRGBA dim = { 0.5, 0.5, 0.5, 1.0 };

  gtk_text_buffer_create_tag (buffer, "added", "paragraph-background-rgba", &added_bg, NULL);
  gtk_text_buffer_create_tag (buffer, "removed", "paragraph-background-rgba", &removed_bg, NULL);
  gtk_text_buffer_create_tag (buffer, "hunk",
                              "paragraph-background-rgba", &hunk_bg,
                              "foreground-rgba", &dim,
                              NULL);
  gtk_text_buffer_create_tag (buffer, "file",
                              "foreground-rgba", &dim,
                              "weight", PANGO_WEIGHT_BOLD,
                              NULL);
  gtk_text_buffer_create_tag (buffer, "gutter", "foreground-rgba", &dim, NULL);
}

static gboolean
is_file_header (const char *line)
{
  return g_str_has_prefix (line, "--- ") || g_str_has_prefix (line, "+++ ") ||
         g_str_has_prefix (line, "diff ");
}

static gboolean
is_noise (const char *line)
{
  if (g_str_has_prefix (line, "Index: "))
    return TRUE;
  if (line[0] == '=')
    {
      while (*line == '=')
        line++;
      return *line == '\0';
    }
  return FALSE;
}

static void
insert_line (EkDiffView     *self,
             GtkTextBuffer  *buffer,
             GtkTextIter    *iter,
             const char     *gutter,
             const char     *text,
             EkDiffLineKind  kind)
{
  int line_start;
  GtkTextIter start;

  if (self->kinds->len > 0)
    gtk_text_buffer_insert (buffer, iter, "\n", 1);
  line_start = gtk_text_iter_get_offset (iter);

  if (gutter != NULL)
    gtk_text_buffer_insert_with_tags_by_name (buffer, iter, gutter, -1, "gutter", NULL);
  gtk_text_buffer_insert (buffer, iter, text, -1);

  if (tag_names[kind] != NULL)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &start, line_start);
      gtk_text_buffer_apply_tag_by_name (buffer, tag_names[kind], &start, iter);
    }
  g_array_append_val (self->kinds, kind);
}

static void
refresh (EkDiffView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  g_auto(GStrv) lines = NULL;
  GtkTextIter iter;
  guint n_files = 0;
  long old_line = 0, new_line = 0;
  guint n_lines;

  gtk_text_buffer_set_text (buffer, "", 0);
  g_array_set_size (self->kinds, 0);
  if (self->diff == NULL)
    return;

  lines = g_strsplit (self->diff, "\n", -1);
  n_lines = g_strv_length (lines);
  if (n_lines > 0 && lines[n_lines - 1][0] == '\0')
    n_lines--;

  for (guint i = 0; i < n_lines; i++)
    if (g_str_has_prefix (lines[i], "--- ") && i + 1 < n_lines &&
        g_str_has_prefix (lines[i + 1], "+++ "))
      n_files++;

  gtk_text_buffer_get_end_iter (buffer, &iter);
  for (guint i = 0; i < n_lines && self->kinds->len < MAX_DIFF_LINES; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (lines[i], -1);
      const char *line = valid;
      g_autofree char *gutter = NULL;
      EkDiffLineKind kind;

      if (g_str_has_prefix (line, "@@"))
        {
          /* "@@ -old,n +new,m @@ context" */
          const char *minus = strchr (line, '-');
          const char *plus = strchr (line, '+');

          old_line = minus != NULL ? strtol (minus + 1, NULL, 10) : 0;
          new_line = plus != NULL ? strtol (plus + 1, NULL, 10) : 0;
          insert_line (self, buffer, &iter, NULL, line, EK_DIFF_LINE_HUNK);
          continue;
        }

      if (is_noise (line))
        continue;
      if (is_file_header (line) && (old_line == 0 && new_line == 0))
        {
          if (n_files > 1)
            insert_line (self, buffer, &iter, NULL, line, EK_DIFF_LINE_FILE);
          continue;
        }

      if (line[0] == '+')
        {
          kind = EK_DIFF_LINE_ADDED;
          gutter = g_strdup_printf ("%4ld ", new_line++);
        }
      else if (line[0] == '-')
        {
          kind = EK_DIFF_LINE_REMOVED;
          gutter = g_strdup_printf ("%4ld ", old_line++);
        }
      else if (line[0] == '\\')
        {
          kind = EK_DIFF_LINE_CONTEXT;
          gutter = g_strdup ("     ");
        }
      else if (is_file_header (line))
        {
          /* the next file of a multi-file diff */
          old_line = new_line = 0;
          if (n_files > 1)
            insert_line (self, buffer, &iter, NULL, line, EK_DIFF_LINE_FILE);
          continue;
        }
      else
        {
          kind = EK_DIFF_LINE_CONTEXT;
          gutter = g_strdup_printf ("%4ld ", new_line++);
          old_line++;
        }

      insert_line (self, buffer, &iter, gutter, line, kind);
    }
}

static void
ek_diff_view_dispose (GObject *object)
{
  EkDiffView *self = EK_DIFF_VIEW (object);

  g_clear_pointer (&self->view, gtk_widget_unparent);

  G_OBJECT_CLASS (ek_diff_view_parent_class)->dispose (object);
}

static void
ek_diff_view_finalize (GObject *object)
{
  EkDiffView *self = EK_DIFF_VIEW (object);

  g_free (self->diff);
  g_array_unref (self->kinds);

  G_OBJECT_CLASS (ek_diff_view_parent_class)->finalize (object);
}

static void
ek_diff_view_class_init (EkDiffViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ek_diff_view_dispose;
  object_class->finalize = ek_diff_view_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "ekdiff");
}

static void
ek_diff_view_init (EkDiffView *self)
{
  self->kinds = g_array_new (FALSE, FALSE, sizeof (EkDiffLineKind));

  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-output");
  gtk_widget_add_css_class (GTK_WIDGET (self), "ek-diff");

  self->view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_cursor_visible (GTK_TEXT_VIEW (self->view), FALSE);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->view), GTK_WRAP_WORD_CHAR);
  ek_part_focus_on_click (self->view);
  gtk_widget_set_parent (self->view, GTK_WIDGET (self));
  create_tags (self);
}

GtkWidget *
ek_diff_view_new (void)
{
  return g_object_new (EK_TYPE_DIFF_VIEW, NULL);
}

void
ek_diff_view_set_diff (EkDiffView *self,
                       const char *diff)
{
  g_return_if_fail (EK_IS_DIFF_VIEW (self));

  if (g_strcmp0 (self->diff, diff) == 0)
    return;
  g_free (self->diff);
  self->diff = g_strdup (diff);
  refresh (self);
}

const char *
ek_diff_view_get_diff (EkDiffView *self)
{
  g_return_val_if_fail (EK_IS_DIFF_VIEW (self), NULL);
  return self->diff;
}

guint
ek_diff_view_get_n_lines (EkDiffView *self)
{
  g_return_val_if_fail (EK_IS_DIFF_VIEW (self), 0);
  return self->kinds->len;
}

EkDiffLineKind
ek_diff_view_get_line_kind (EkDiffView *self,
                            guint       line)
{
  g_return_val_if_fail (EK_IS_DIFF_VIEW (self), EK_DIFF_LINE_CONTEXT);
  g_return_val_if_fail (line < self->kinds->len, EK_DIFF_LINE_CONTEXT);
  return g_array_index (self->kinds, EkDiffLineKind, line);
}

char *
ek_diff_view_dup_line (EkDiffView *self,
                       guint       line)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (EK_IS_DIFF_VIEW (self), NULL);
  g_return_val_if_fail (line < self->kinds->len, NULL);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  gtk_text_buffer_get_iter_at_line (buffer, &start, line);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GtkTextView *
ek_diff_view_get_text_view (EkDiffView *self)
{
  g_return_val_if_fail (EK_IS_DIFF_VIEW (self), NULL);
  return GTK_TEXT_VIEW (self->view);
}
