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

  GtkWidget  *additions;
  GtkWidget  *deletions;
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

/* "+3 −1" in the header, green and red */
static void
ek_edit_tool_part_update_header (EkToolPart *tool)
{
  EkEditToolPart *self = EK_EDIT_TOOL_PART (tool);
  JsonObject *filediff = ek_part_json_object (ek_tool_part_get_metadata (tool), "filediff");
  g_autofree char *added = NULL;
  g_autofree char *removed = NULL;

  if (filediff != NULL)
    {
      /* Translators: lines an edit added, "+3" */
      added = g_strdup_printf (_("+%d"), (int) ek_part_json_int (filediff, "additions", 0));
      /* Translators: lines an edit removed, "−1" */
      removed = g_strdup_printf (_("−%d"), (int) ek_part_json_int (filediff, "deletions", 0));
    }
  gtk_label_set_text (GTK_LABEL (self->additions), added != NULL ? added : "");
  gtk_label_set_text (GTK_LABEL (self->deletions), removed != NULL ? removed : "");
  gtk_widget_set_visible (self->additions, added != NULL);
  gtk_widget_set_visible (self->deletions, removed != NULL);
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

  self->diff = self->additions = self->deletions = NULL;

  G_OBJECT_CLASS (ek_edit_tool_part_parent_class)->dispose (object);
}

static void
ek_edit_tool_part_class_init (EkEditToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_edit_tool_part_dispose;
  tool_class->update_header = ek_edit_tool_part_update_header;
  tool_class->has_body = ek_edit_tool_part_has_body;
  tool_class->update_body = ek_edit_tool_part_update_body;
}

static GtkWidget *
stat_label (GtkBox     *box,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, css_class);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_add_css_class (label, "ek-diff-stat");
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (box, label);
  return label;
}

static void
ek_edit_tool_part_init (EkEditToolPart *self)
{
  GtkBox *extra = ek_tool_part_get_header_extra (EK_TOOL_PART (self));

  self->additions = stat_label (extra, "success");
  self->deletions = stat_label (extra, "error");
}

EkDiffView *
ek_edit_tool_part_get_diff_view (EkEditToolPart *self)
{
  g_return_val_if_fail (EK_IS_EDIT_TOOL_PART (self), NULL);
  return self->diff != NULL ? EK_DIFF_VIEW (self->diff) : NULL;
}

char *
ek_edit_tool_part_dup_stats (EkEditToolPart *self)
{
  g_return_val_if_fail (EK_IS_EDIT_TOOL_PART (self), NULL);

  if (self->additions == NULL || !gtk_widget_get_visible (self->additions))
    return NULL;
  return g_strdup_printf ("%s %s", gtk_label_get_text (GTK_LABEL (self->additions)),
                          gtk_label_get_text (GTK_LABEL (self->deletions)));
}
