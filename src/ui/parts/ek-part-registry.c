/* ek-part-registry.c: which widget shows which kind of part
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A table from (part type, tool name) to a widget type.  Lookups fall
 * back from the tool's own widget to the part type's, and from there to
 * the generic widget (the tool card for tools), so a part of any kind
 * is shown.  A registration with G_TYPE_NONE hides a kind.
 */

#include "config.h"

#include "ek-agent-part.h"
#include "ek-compaction-part.h"
#include "ek-file-part.h"
#include "ek-generic-part.h"
#include "ek-part-registry.h"
#include "ek-patch-part.h"
#include "ek-reasoning-part.h"
#include "ek-retry-part.h"
#include "ek-step-finish-part.h"
#include "ek-subtask-part.h"
#include "ek-text-part.h"
#include "ek-tool-part.h"
#include "tools/ek-bash-tool-part.h"
#include "tools/ek-edit-tool-part.h"
#include "tools/ek-question-tool-part.h"
#include "tools/ek-read-tool-part.h"
#include "tools/ek-search-tool-part.h"
#include "tools/ek-task-tool-part.h"
#include "tools/ek-todo-tool-part.h"
#include "tools/ek-write-tool-part.h"

static GHashTable *registry; /* "type" or "type\ntool" → GType */

static char *
make_key (const char *part_type,
          const char *tool)
{
  return tool != NULL ? g_strconcat (part_type, "\n", tool, NULL) : g_strdup (part_type);
}

static GHashTable *
get_registry (void)
{
  if (registry == NULL)
    registry = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return registry;
}

static void
register_type (const char *part_type,
               const char *tool,
               GType       widget_type,
               gboolean    replace)
{
  GHashTable *table = get_registry ();
  char *key = make_key (part_type, tool);

  if (!replace && g_hash_table_contains (table, key))
    {
      g_free (key);
      return;
    }
  g_hash_table_replace (table, key, GSIZE_TO_POINTER (widget_type));
}

void
ek_part_registry_register (const char *part_type,
                           const char *tool,
                           GType       widget_type)
{
  g_return_if_fail (part_type != NULL);
  g_return_if_fail (widget_type == G_TYPE_NONE ||
                    g_type_is_a (widget_type, EK_TYPE_PART_WIDGET));

  register_type (part_type, tool, widget_type, TRUE);
}

/* Built-ins never replace what was registered before them. */
void
ek_part_registry_ensure_defaults (void)
{
  static gboolean done;
  static const struct {
    const char *part_type;
    const char *tool;
    GType     (*get_type) (void);
  } defaults[] = {
    { "text", NULL, ek_text_part_get_type },
    { "reasoning", NULL, ek_reasoning_part_get_type },
    { "tool", NULL, ek_tool_part_get_type },
    { "tool", "bash", ek_bash_tool_part_get_type },
    { "tool", "edit", ek_edit_tool_part_get_type },
    { "tool", "multiedit", ek_edit_tool_part_get_type },
    { "tool", "write", ek_write_tool_part_get_type },
    { "tool", "read", ek_read_tool_part_get_type },
    { "tool", "glob", ek_search_tool_part_get_type },
    { "tool", "grep", ek_search_tool_part_get_type },
    { "tool", "todowrite", ek_todo_tool_part_get_type },
    { "tool", "todoread", ek_todo_tool_part_get_type },
    { "tool", "task", ek_task_tool_part_get_type },
    { "tool", "question", ek_question_tool_part_get_type },
    { "file", NULL, ek_file_part_get_type },
    { "step-finish", NULL, ek_step_finish_part_get_type },
    { "patch", NULL, ek_patch_part_get_type },
    { "retry", NULL, ek_retry_part_get_type },
    { "compaction", NULL, ek_compaction_part_get_type },
    { "agent", NULL, ek_agent_part_get_type },
    { "subtask", NULL, ek_subtask_part_get_type },
  };

  if (done)
    return;
  done = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    register_type (defaults[i].part_type, defaults[i].tool, defaults[i].get_type (), FALSE);

  /* bookkeeping of the server, nothing to see */
  register_type ("step-start", NULL, G_TYPE_NONE, FALSE);
  register_type ("snapshot", NULL, G_TYPE_NONE, FALSE);
}

GType
ek_part_registry_lookup (EkPart *part)
{
  GHashTable *table;
  const char *part_type;
  const char *tool;
  gpointer value;

  g_return_val_if_fail (EK_IS_PART (part), G_TYPE_NONE);

  ek_part_registry_ensure_defaults ();
  table = get_registry ();
  part_type = ek_part_get_part_type (part);
  if (part_type == NULL)
    return EK_TYPE_GENERIC_PART;

  tool = ek_part_get_tool (part);
  if (tool != NULL)
    {
      g_autofree char *key = make_key (part_type, tool);

      if (g_hash_table_lookup_extended (table, key, NULL, &value))
        return GPOINTER_TO_SIZE (value);
    }

  if (g_hash_table_lookup_extended (table, part_type, NULL, &value))
    return GPOINTER_TO_SIZE (value);

  return EK_TYPE_GENERIC_PART;
}

GtkWidget *
ek_part_registry_create_widget (EkPart *part)
{
  return ek_part_registry_create_widget_for_role (part, NULL);
}

GtkWidget *
ek_part_registry_create_widget_for_role (EkPart     *part,
                                         const char *role)
{
  GtkWidget *widget;
  GType type;

  g_return_val_if_fail (EK_IS_PART (part), NULL);

  type = ek_part_registry_lookup (part);
  if (type == G_TYPE_NONE)
    return NULL;

  widget = g_object_new (type, "role", role, NULL);
  ek_part_widget_set_part (EK_PART_WIDGET (widget), part);
  return widget;
}
