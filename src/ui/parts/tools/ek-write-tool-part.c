/* ek-write-tool-part.c: a file written whole, highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body is the content the model wrote (`input.content`), in a code
 * block highlighted for the language GtkSourceView guesses from the
 * file name.
 */

#include "config.h"

#include <string.h>

#include <gtksourceview/gtksource.h>
#include <glib/gi18n.h>

#include "../ek-code-block.h"
#include "../ek-part-util.h"
#include "ek-write-tool-part.h"

struct _EkWriteToolPart
{
  EkToolPart  parent_instance;

  GtkWidget  *code;
  char       *language;
  char       *content; /* what the code block was given */
};

G_DEFINE_FINAL_TYPE (EkWriteToolPart, ek_write_tool_part, EK_TYPE_TOOL_PART)

static char *
guess_language (const char *path)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  g_autofree char *basename = NULL;
  GtkSourceLanguage *language;

  if (path == NULL)
    return NULL;
  basename = g_path_get_basename (path);
  language = gtk_source_language_manager_guess_language (manager, basename, NULL);
  return language != NULL ? g_strdup (gtk_source_language_get_id (language)) : NULL;
}

static char *
ek_write_tool_part_dup_subtitle (EkToolPart *self)
{
  const char *content = ek_part_json_string (ek_tool_part_get_input (self), "content");
  guint lines = 0;

  if (content == NULL)
    return NULL;
  for (const char *p = content; *p != '\0'; p++)
    if (*p == '\n')
      lines++;
  if (*content != '\0' && content[strlen (content) - 1] != '\n')
    lines++;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line", "%u lines", lines), lines);
}

static gboolean
ek_write_tool_part_has_body (EkToolPart *self)
{
  return ek_part_json_string (ek_tool_part_get_input (self), "content") != NULL;
}

static void
ek_write_tool_part_update_body (EkToolPart *tool,
                                GtkBox     *content,
                                JsonObject *state)
{
  EkWriteToolPart *self = EK_WRITE_TOOL_PART (tool);
  const char *text = ek_part_json_string (state, "input.content");
  g_autofree char *language = guess_language (ek_part_json_string (state, "input.filePath"));

  if (self->code != NULL && g_strcmp0 (language, self->language) != 0)
    {
      gtk_box_remove (content, self->code);
      self->code = NULL;
    }

  if (self->code == NULL)
    {
      g_free (self->language);
      self->language = g_strdup (language);
      self->code = ek_code_block_new (language, text != NULL ? text : "");
      gtk_box_append (content, self->code);
    }
  else if (g_strcmp0 (self->content, text) != 0)
    ek_code_block_set_code (EK_CODE_BLOCK (self->code), text != NULL ? text : "");

  g_free (self->content);
  self->content = g_strdup (text);

  gtk_widget_set_visible (self->code, text != NULL);
}

static void
ek_write_tool_part_dispose (GObject *object)
{
  EkWriteToolPart *self = EK_WRITE_TOOL_PART (object);

  self->code = NULL;

  G_OBJECT_CLASS (ek_write_tool_part_parent_class)->dispose (object);
}

static void
ek_write_tool_part_finalize (GObject *object)
{
  EkWriteToolPart *self = EK_WRITE_TOOL_PART (object);

  g_free (self->language);
  g_free (self->content);

  G_OBJECT_CLASS (ek_write_tool_part_parent_class)->finalize (object);
}

static void
ek_write_tool_part_class_init (EkWriteToolPartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  EkToolPartClass *tool_class = EK_TOOL_PART_CLASS (klass);

  object_class->dispose = ek_write_tool_part_dispose;
  object_class->finalize = ek_write_tool_part_finalize;
  tool_class->dup_subtitle = ek_write_tool_part_dup_subtitle;
  tool_class->has_body = ek_write_tool_part_has_body;
  tool_class->update_body = ek_write_tool_part_update_body;
}

static void
ek_write_tool_part_init (EkWriteToolPart *self)
{
}

GtkWidget *
ek_write_tool_part_get_code_block (EkWriteToolPart *self)
{
  g_return_val_if_fail (EK_IS_WRITE_TOOL_PART (self), NULL);
  return self->code;
}

const char *
ek_write_tool_part_get_language (EkWriteToolPart *self)
{
  g_return_val_if_fail (EK_IS_WRITE_TOOL_PART (self), NULL);
  return self->language;
}
