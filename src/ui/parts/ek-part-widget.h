/* ek-part-widget.h: the base of every widget that shows one part
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ek-part.h"
#include "ek-stream-clock.h"

G_BEGIN_DECLS

#define EK_TYPE_PART_WIDGET (ek_part_widget_get_type ())

G_DECLARE_DERIVABLE_TYPE (EkPartWidget, ek_part_widget, EK, PART_WIDGET, GtkWidget)

struct _EkPartWidgetClass
{
  GtkWidgetClass parent_class;

  /* a part was set (a recycled widget may be bound to another part of
   * the same kind); subclasses read it and connect what they need */
  void (*bind)    (EkPartWidget *self,
                   EkPart       *part);
  /* the part is being taken away: disconnect, stop timers */
  void (*unbind)  (EkPartWidget *self,
                   EkPart       *part);
  /* the part's data changed (a full update); text deltas come as
   * notify::text on the part and are the subclass's own business */
  void (*update)  (EkPartWidget *self);

  gpointer padding[8];
};

EkPart     *ek_part_widget_get_part (EkPartWidget *self);
void        ek_part_widget_set_part (EkPartWidget *self,
                                     EkPart       *part);
/* The role of the message the part belongs to ("user", "assistant");
 * NULL means assistant.  A user's text part shows the prompt as typed
 * instead of rendering Markdown.  Setting it calls update. */
const char *ek_part_widget_get_role (EkPartWidget *self);
void        ek_part_widget_set_role (EkPartWidget *self,
                                     const char   *role);
/* The part's data (NULL while unbound). */
JsonObject *ek_part_widget_get_data (EkPartWidget *self);
/* The conversation's clock (see EkStreamClock); NULL: the local clock.
 * The widget notes the times of its part's data in it; subclasses that
 * show elapsed time read "now" from it (ek_part_widget_now_ms()) and
 * follow notify::clock. */
EkStreamClock *ek_part_widget_get_clock (EkPartWidget  *self);
void           ek_part_widget_set_clock (EkPartWidget  *self,
                                         EkStreamClock *clock);
gint64         ek_part_widget_now_ms    (EkPartWidget  *self);

G_END_DECLS
