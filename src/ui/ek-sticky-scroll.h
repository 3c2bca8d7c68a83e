/* ek-sticky-scroll.h: keep a scrolled list at its end while it grows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EK_TYPE_STICKY_SCROLL (ek_sticky_scroll_get_type ())

G_DECLARE_FINAL_TYPE (EkStickyScroll, ek_sticky_scroll, EK, STICKY_SCROLL, GObject)

EkStickyScroll *ek_sticky_scroll_new                (GtkWidget      *widget,
                                                     GtkAdjustment  *adjustment);
gboolean        ek_sticky_scroll_get_sticky         (EkStickyScroll *self);
gboolean        ek_sticky_scroll_get_auto_scrolling (EkStickyScroll *self);
gboolean        ek_sticky_scroll_get_pending        (EkStickyScroll *self);
void            ek_sticky_scroll_scroll_to_end      (EkStickyScroll *self);
void            ek_sticky_scroll_note_user_scroll   (EkStickyScroll *self,
                                                     double          dy);

G_END_DECLS
