/* ek-sorted-list.h: a GListModel kept sorted, with binary-search insertion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EK_TYPE_SORTED_LIST (ek_sorted_list_get_type ())

G_DECLARE_FINAL_TYPE (EkSortedList, ek_sorted_list, EK, SORTED_LIST, GObject)

EkSortedList *ek_sorted_list_new        (GType             item_type,
                                         GCompareDataFunc  compare,
                                         gpointer          compare_data);
guint         ek_sorted_list_insert     (EkSortedList     *self,
                                         gpointer          item);
void          ek_sorted_list_insert_many (EkSortedList    *self,
                                         GPtrArray        *items);
gboolean      ek_sorted_list_find       (EkSortedList     *self,
                                         gconstpointer     item,
                                         guint            *position);
gpointer      ek_sorted_list_peek       (EkSortedList     *self,
                                         guint             position);
void          ek_sorted_list_remove_at  (EkSortedList     *self,
                                         guint             position);
gboolean      ek_sorted_list_remove     (EkSortedList     *self,
                                         gconstpointer     item);
void          ek_sorted_list_remove_all (EkSortedList     *self);

G_END_DECLS
