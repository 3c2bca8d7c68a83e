/* ek-tool-part.h: a tool call, as a card with a state badge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"
#include "ek-tool-badge.h"

G_BEGIN_DECLS

#define EK_TYPE_TOOL_PART (ek_tool_part_get_type ())

G_DECLARE_DERIVABLE_TYPE (EkToolPart, ek_tool_part, EK, TOOL_PART, EkPartWidget)

/**
 * EkToolPartClass:
 * @dup_title: the header's title; the default shows the field that names
 *   what the call works on (a command, a path, a pattern), else
 *   `state.title`, else the tool's name
 * @dup_subtitle: dim text after the title (NULL: none)
 * @update_header: refresh the subclass's own header widgets (in
 *   ek_tool_part_get_header_extra()); called on every change
 * @has_body: whether there is anything to show below the header
 * @update_body: fill @content (a vertical GtkBox) from @state; called
 *   while the card is expanded, whenever the part changes (first call:
 *   @content is empty).  The default shows the input as JSON and the
 *   output text.
 */
struct _EkToolPartClass
{
  EkPartWidgetClass parent_class;

  char     *(*dup_title)    (EkToolPart *self);
  char     *(*dup_subtitle) (EkToolPart *self);
  void      (*update_header) (EkToolPart *self);
  gboolean  (*has_body)     (EkToolPart *self);
  void      (*update_body)  (EkToolPart *self,
                             GtkBox     *content,
                             JsonObject *state);

  gpointer padding[8];
};

/* The tool call's pieces (NULL when missing). */
JsonObject  *ek_tool_part_get_state     (EkToolPart *self);
JsonObject  *ek_tool_part_get_input     (EkToolPart *self);
JsonObject  *ek_tool_part_get_metadata  (EkToolPart *self);
const char  *ek_tool_part_get_status    (EkToolPart *self);

EkToolBadge *ek_tool_part_get_badge     (EkToolPart *self);
const char  *ek_tool_part_get_title     (EkToolPart *self);
const char  *ek_tool_part_get_subtitle  (EkToolPart *self);
const char  *ek_tool_part_get_icon_name (EkToolPart *self);
/* The body: collapsed for finished calls, open while running or after
 * an error, until the user opens or closes it. */
gboolean     ek_tool_part_get_expanded  (EkToolPart *self);
void         ek_tool_part_set_expanded  (EkToolPart *self,
                                         gboolean    expanded);
/* `state.error` as shown ("" when there is none). */
const char  *ek_tool_part_get_error     (EkToolPart *self);
GtkWidget   *ek_tool_part_get_header    (EkToolPart *self);
/* For subclasses: a box after the subtitle for small widgets of their
 * own (shown when it has a visible child). */
GtkBox      *ek_tool_part_get_header_extra (EkToolPart *self);
/* For subclasses: a title that is code (a command) looks like code. */
void         ek_tool_part_set_title_monospace (EkToolPart *self,
                                               gboolean    monospace);

/* The symbolic icon and the generic label for a tool name. */
const char  *ek_tool_part_icon_for_tool  (const char *tool);

/* Helpers for bodies: a dim caption heading, a section's output view. */
GtkWidget   *ek_tool_part_caption_new   (const char *text);

G_END_DECLS
