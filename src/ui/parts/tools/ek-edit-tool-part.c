/* ek-edit-tool-part.c: a file edit, as a coloured diff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header names the file and counts the changed lines ("+1 −1"); the
 * body is the unified diff from `metadata.diff` (or
 * `metadata.filediff.patch`).  Before the edit is made (waiting for
 * permission, running) the body shows the replacement the model asked
 * for, the old text as removed lines and the new as added ones.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "../ek-part-util.h"
#include "ek-edit-tool-part.h"

struct _EkEditToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *diff;
};

G_DEFINE_FINAL_TYPE (EkEditToolPart, ek_edit_tool_part, EK_TYPE_TOOL_PART)

static void
append_prefixed (GString    *out,
                 const char *text,
                 char        prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i + 1] == NULL && lines[i][0] == '\0')
        break;
      g_string_append_c (out, prefix);
      g_string_append (out, lines[i]);
      g_string_append_c (out, '\n');
    }
}

/* The diff to show: the tool's own, else one made from the input. */
static char *
dup_diff (EkToolPart *self)
{
  JsonObject *state = ek_tool_part_get_state (self);
  const char *diff = ek_part_json_string (state, "metadata.diff");
  const char *old_text, *new_text;
  GString *out;

  if (diff == NULL || *diff == '\0')
    diff = ek_part_json_string (state, "metadata.filediff.patch");
  if (diff != NULL && *diff != '\0')
    return g_strdup (diff);

  old_text = ek_part_json_string (state, "input.oldString");
  new_text = ek_part_json_string (state, "input.newString");
  if (old_text == NULL && new_text == NULL)
    return NULL;

  out = g_string_new ("@@ @@\n");
  append_prefixed (out, old_text != NULL ? old_text : "", '-');
  append_prefixed (out, new_text != NULL ? new_text : "", '+');
  return g_string_free (out, FALSE);
}

static char *
ek_edit_tool_part_dup_subtitle (EkToolPart *self)
{
  JsonObject *filediff = ek_part_json_object (ek_tool_part_get_metadata (self), "filediff");

  if (filediff == NULL)
    return NULL;
  /* Translators: lines added and removed by an edit, "+3 −1" */
  return g_strdup_printf (_("+%d −%d"),
                          (int) ek_part_json_int (filediff, "additions", 0),
                          (int) ek_part_json_int (filediff, "deletions", 0));
}

static gboolean
ek_edit_tool_part_has_body (EkToolPart *self)
{
  g_autofree char *diff = dup_diff (self);

  return diff != NULL;
}

static void
ek_edit_tool_part_update_body (EkToolPart *tool,
                               GtkBox     *content,
                               JsonObject *state)
{
  EkEditToolPart *self = EK_EDIT_TOOL_PART (tool);
  g_autofree char *diff = dup_diff (tool);

  if (self->diff == NULL)
    {
      self->diff = ek_diff_view_new ();
      gtk_box_append (content, self->diff);
    }
  ek_diff_view_set_diff (EK_DIFF_VIEW (self->diff), diff);
  gtk_widget_set_visible (self->diff, diff != NULL);
}

static void
ek_edit_tool_part_dispose (GObject *object)
{
  EkEditToolPart *self = EK_EDIT_TOOL_PART (object);

  self->diff = NULL;

  G_OBJECT_CLASS (ek_edit_tool_part_parent_class)->dispose (object);
}

static void
ek_edit_tool_part_class_init (EkEditToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_edit_tool_part_dispose;
  tool_class->dup_subtitle = ek_edit_tool_part_dup_subtitle;
  tool_class->has_body = ek_edit_tool_part_has_body;
  tool_class->update_body = ek_edit_tool_part_update_body;
}

static void
ek_edit_tool_part_init (EkEditToolPart *self)
{
}

EkDiffView *
ek_edit_tool_part_get_diff_view (EkEditToolPart *self)
{
  g_return_val_if_fail (EK_IS_EDIT_TOOL_PART (self), NULL);
  return self->diff != NULL ? EK_DIFF_VIEW (self->diff) : NULL;
}
