/* ek-part-registry.h: which widget shows which kind of part
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-part.h"
#include "ek-part-widget.h"

G_BEGIN_DECLS

/* Registers @widget_type (an EkPartWidget subclass, or G_TYPE_NONE to
 * hide the kind) for parts of @part_type; for tool parts, @tool narrows
 * it to one tool name (NULL: any tool).  A new kind of part or tool is
 * one call; it replaces an earlier registration, built-ins included. */
void       ek_part_registry_register      (const char *part_type,
                                           const char *tool,
                                           GType       widget_type);
/* The widget type for @part: the (type, tool) registration, else the
 * (type, NULL) one, else the generic part widget.  G_TYPE_NONE for kinds
 * that are not shown (step-start, snapshot). */
GType      ek_part_registry_lookup        (EkPart     *part);
/* A new widget for @part, bound to it; NULL for kinds not shown. */
GtkWidget *ek_part_registry_create_widget (EkPart     *part);
/* The same for a part of a message with @role ("user", "assistant"; see
 * ek_part_widget_set_role()), which the widget knows before it first
 * draws. */
GtkWidget *ek_part_registry_create_widget_for_role (EkPart     *part,
                                                    const char *role);
/* Registers the built-in widgets (idempotent; lookups call it). */
void       ek_part_registry_ensure_defaults (void);

G_END_DECLS
