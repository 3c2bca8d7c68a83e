/* ek-read-tool-part.c: a file the model read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body: the file's full path and the text the tool returned,
 * monospace, the first lines with "Show More".
 */

#include "config.h"

#include <glib/gi18n.h>

#include "../ek-part-util.h"
#include "ek-read-tool-part.h"

#define OUTPUT_LINES 12

struct _EkReadToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *path;
  GtkWidget  *output;
};

G_DEFINE_FINAL_TYPE (EkReadToolPart, ek_read_tool_part, EK_TYPE_TOOL_PART)

static const char *
get_path (JsonObject *state)
{
  const char *path = ek_part_json_string (state, "metadata.display.path");

  if (path == NULL)
    path = ek_part_json_string (state, "metadata.filepath");
  if (path == NULL)
    path = ek_part_json_string (state, "input.filePath");
  return path;
}

static char *
ek_read_tool_part_dup_subtitle (EkToolPart *self)
{
  JsonObject *display = ek_part_json_object (ek_tool_part_get_metadata (self), "display");
  gint64 first = ek_part_json_int (display, "lineStart", 0);
  gint64 last = ek_part_json_int (display, "lineEnd", 0);
  gint64 total = ek_part_json_int (display, "totalLines", 0);

  if (first <= 0 || last < first)
    return NULL;
  if (first == 1 && last == total)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d line", "%d lines", total), (int) total);
  /* Translators: the lines of a file that were read, "lines 10–40 of 300" */
  return g_strdup_printf (_("lines %d–%d of %d"), (int) first, (int) last, (int) total);
}

static gboolean
ek_read_tool_part_has_body (EkToolPart *self)
{
  const char *output = ek_part_json_string (ek_tool_part_get_state (self), "output");

  return output != NULL && *output != '\0';
}

static void
ek_read_tool_part_update_body (EkToolPart *tool,
                               GtkBox     *content,
                               JsonObject *state)
{
  EkReadToolPart *self = EK_READ_TOOL_PART (tool);
  const char *output = ek_part_json_string (state, "output");
  const char *path = get_path (state);

  if (self->output == NULL)
    {
      self->path = ek_part_label_new (NULL, "caption");
      gtk_widget_add_css_class (self->path, "dim-label");
      gtk_widget_add_css_class (self->path, "monospace");
      gtk_box_append (content, self->path);

      self->output = ek_output_view_new ();
      ek_output_view_set_max_lines (EK_OUTPUT_VIEW (self->output), OUTPUT_LINES);
      gtk_box_append (content, self->output);
    }

  gtk_label_set_text (GTK_LABEL (self->path), path != NULL ? path : "");
  gtk_widget_set_visible (self->path, path != NULL && output != NULL && *output != '\0');
  ek_output_view_set_text (EK_OUTPUT_VIEW (self->output), output);
  gtk_widget_set_visible (self->output, output != NULL && *output != '\0');
}

static void
ek_read_tool_part_dispose (GObject *object)
{
  EkReadToolPart *self = EK_READ_TOOL_PART (object);

  self->path = self->output = NULL;

  G_OBJECT_CLASS (ek_read_tool_part_parent_class)->dispose (object);
}

static void
ek_read_tool_part_class_init (EkReadToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_read_tool_part_dispose;
  tool_class->dup_subtitle = ek_read_tool_part_dup_subtitle;
  tool_class->has_body = ek_read_tool_part_has_body;
  tool_class->update_body = ek_read_tool_part_update_body;
}

static void
ek_read_tool_part_init (EkReadToolPart *self)
{
}

EkOutputView *
ek_read_tool_part_get_output (EkReadToolPart *self)
{
  g_return_val_if_fail (EK_IS_READ_TOOL_PART (self), NULL);
  return self->output != NULL ? EK_OUTPUT_VIEW (self->output) : NULL;
}

const char *
ek_read_tool_part_get_path (EkReadToolPart *self)
{
  g_return_val_if_fail (EK_IS_READ_TOOL_PART (self), NULL);
  return self->path != NULL ? gtk_label_get_text (GTK_LABEL (self->path)) : NULL;
}
