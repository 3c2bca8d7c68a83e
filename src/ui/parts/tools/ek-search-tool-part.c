/* ek-search-tool-part.c: a file search (glob) or a text search (grep)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header: the pattern, where it looked and how many hits; the body:
 * the result list as the tool returned it, the first lines with "Show
 * More".
 */

#include "config.h"

#include <glib/gi18n.h>

#include "../ek-part-util.h"
#include "ek-search-tool-part.h"

#define OUTPUT_LINES 12

struct _EkSearchToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *output;
};

G_DEFINE_FINAL_TYPE (EkSearchToolPart, ek_search_tool_part, EK_TYPE_TOOL_PART)

static char *
ek_search_tool_part_dup_subtitle (EkToolPart *self)
{
  JsonObject *state = ek_tool_part_get_state (self);
  const char *include = ek_part_json_string (state, "input.include");
  const char *path = ek_part_json_string (state, "input.path");
  gint64 count = ek_part_json_int (state, "metadata.count", -1);
  gint64 matches = ek_part_json_int (state, "metadata.matches", -1);
  g_autofree char *where = NULL;
  g_autofree char *hits = NULL;

  if (include != NULL && *include != '\0')
    /* Translators: which files a search looked in, "in *.c" */
    where = g_strdup_printf (_("in %s"), include);
  else if (path != NULL && *path != '\0')
    {
      g_autofree char *short_path = ek_part_short_path (path, NULL);

      where = g_strdup_printf (_("in %s"), short_path);
    }

  if (matches >= 0)
    hits = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d match", "%d matches", matches),
                            (int) matches);
  else if (count >= 0)
    hits = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d file", "%d files", count),
                            (int) count);

  if (where != NULL && hits != NULL)
    return g_strdup_printf ("%s · %s", where, hits);
  return g_strdup (where != NULL ? where : hits);
}

static gboolean
ek_search_tool_part_has_body (EkToolPart *self)
{
  const char *output = ek_part_json_string (ek_tool_part_get_state (self), "output");

  return output != NULL && *output != '\0';
}

static void
ek_search_tool_part_update_body (EkToolPart *tool,
                                 GtkBox     *content,
                                 JsonObject *state)
{
  EkSearchToolPart *self = EK_SEARCH_TOOL_PART (tool);
  const char *output = ek_part_json_string (state, "output");

  if (self->output == NULL)
    {
      self->output = ek_output_view_new ();
      ek_output_view_set_max_lines (EK_OUTPUT_VIEW (self->output), OUTPUT_LINES);
      gtk_box_append (content, self->output);
    }
  ek_output_view_set_text (EK_OUTPUT_VIEW (self->output), output);
  gtk_widget_set_visible (self->output, output != NULL && *output != '\0');
}

static void
ek_search_tool_part_dispose (GObject *object)
{
  EkSearchToolPart *self = EK_SEARCH_TOOL_PART (object);

  self->output = NULL;

  G_OBJECT_CLASS (ek_search_tool_part_parent_class)->dispose (object);
}

static void
ek_search_tool_part_class_init (EkSearchToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_search_tool_part_dispose;
  tool_class->dup_subtitle = ek_search_tool_part_dup_subtitle;
  tool_class->has_body = ek_search_tool_part_has_body;
  tool_class->update_body = ek_search_tool_part_update_body;
}

static void
ek_search_tool_part_init (EkSearchToolPart *self)
{
  ek_tool_part_set_title_monospace (EK_TOOL_PART (self), TRUE);
}

EkOutputView *
ek_search_tool_part_get_output (EkSearchToolPart *self)
{
  g_return_val_if_fail (EK_IS_SEARCH_TOOL_PART (self), NULL);
  return self->output != NULL ? EK_OUTPUT_VIEW (self->output) : NULL;
}
