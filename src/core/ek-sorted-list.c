/* ek-sorted-list.c: a GListModel kept sorted, with binary-search insertion
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's lists (sessions, a session's messages, a message's parts)
 * are all of this type.  Items live in one array: lookup by position is
 * O(1), finding an item O(log n), and the common insertion, at the end,
 * O(1).  items-changed is emitted only for real changes.
 */

#include "config.h"

#include "ek-sorted-list.h"

struct _EkSortedList
{
  GObject           parent_instance;

  GType             item_type;
  GPtrArray        *items;
  GCompareDataFunc  compare;
  gpointer          compare_data;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EkSortedList, ek_sorted_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
ek_sorted_list_get_item_type (GListModel *model)
{
  return EK_SORTED_LIST (model)->item_type;
}

static guint
ek_sorted_list_get_n_items (GListModel *model)
{
  return EK_SORTED_LIST (model)->items->len;
}

static gpointer
ek_sorted_list_get_item (GListModel *model,
                         guint       position)
{
  EkSortedList *self = EK_SORTED_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ek_sorted_list_get_item_type;
  iface->get_n_items = ek_sorted_list_get_n_items;
  iface->get_item = ek_sorted_list_get_item;
}

static void
ek_sorted_list_finalize (GObject *object)
{
  EkSortedList *self = EK_SORTED_LIST (object);

  g_ptr_array_unref (self->items);

  G_OBJECT_CLASS (ek_sorted_list_parent_class)->finalize (object);
}

static void
ek_sorted_list_class_init (EkSortedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ek_sorted_list_finalize;
}

static void
ek_sorted_list_init (EkSortedList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * ek_sorted_list_new:
 * @item_type: the GType of the items
 * @compare: the order; it must be total (no two items compare equal)
 */
EkSortedList *
ek_sorted_list_new (GType            item_type,
                    GCompareDataFunc compare,
                    gpointer         compare_data)
{
  EkSortedList *self;

  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (compare != NULL, NULL);

  self = g_object_new (EK_TYPE_SORTED_LIST, NULL);
  self->item_type = item_type;
  self->compare = compare;
  self->compare_data = compare_data;
  return self;
}

/* The position of the first item not less than @item. */
static guint
lower_bound (EkSortedList  *self,
             gconstpointer  item)
{
  guint lo = 0, hi = self->items->len;

  /* appending is by far the most common case */
  if (hi > 0 && self->compare (g_ptr_array_index (self->items, hi - 1), item, self->compare_data) < 0)
    return hi;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->compare (g_ptr_array_index (self->items, mid), item, self->compare_data) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/**
 * ek_sorted_list_insert:
 * @item: (transfer none): an item not in the list yet
 *
 * Returns: the position it was inserted at
 */
guint
ek_sorted_list_insert (EkSortedList *self,
                       gpointer      item)
{
  guint position;

  g_return_val_if_fail (EK_IS_SORTED_LIST (self), 0);
  g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (item, self->item_type), 0);

  position = lower_bound (self, item);
  g_ptr_array_insert (self->items, position, g_object_ref (item));
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  return position;
}

typedef struct
{
  GCompareDataFunc compare;
  gpointer         data;
} SortContext;

static int
compare_elements (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const SortContext *context = user_data;

  return context->compare (*(gpointer const *) a, *(gpointer const *) b, context->data);
}

/**
 * ek_sorted_list_insert_many:
 * @items: (element-type GObject) (transfer none): items not in the list
 *   yet, in any order
 *
 * Inserts @items with one ::items-changed for each run of them that lands
 * between the same two items of the list: a page of older messages is one
 * signal, not fifty.
 */
void
ek_sorted_list_insert_many (EkSortedList *self,
                            GPtrArray    *items)
{
  g_autoptr(GPtrArray) sorted = NULL;
  SortContext context;
  guint i = 0;

  g_return_if_fail (EK_IS_SORTED_LIST (self));
  g_return_if_fail (items != NULL);

  context.compare = self->compare;
  context.data = self->compare_data;
  /* (not g_ptr_array_copy(), whose copy would unref the items too) */
  sorted = g_ptr_array_sized_new (items->len);
  for (guint k = 0; k < items->len; k++)
    g_ptr_array_add (sorted, g_ptr_array_index (items, k));
  g_ptr_array_sort_with_data (sorted, compare_elements, &context);

  while (i < sorted->len)
    {
      guint position = lower_bound (self, g_ptr_array_index (sorted, i));
      gpointer next = position < self->items->len ? g_ptr_array_index (self->items, position) : NULL;
      guint run = 1;

      /* the items that go before the same item of the list */
      while (i + run < sorted->len &&
             (next == NULL ||
              self->compare (next, g_ptr_array_index (sorted, i + run), self->compare_data) >= 0))
        run++;

      for (guint k = 0; k < run; k++)
        {
          gpointer item = g_ptr_array_index (sorted, i + k);

          g_return_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (item, self->item_type));
          g_ptr_array_insert (self->items, position + k, g_object_ref (item));
        }
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, run);
      i += run;
    }
}

/**
 * ek_sorted_list_find:
 * @item: an item, or any object that compares like the one to find
 * @position: (out) (optional): where it is
 */
gboolean
ek_sorted_list_find (EkSortedList  *self,
                     gconstpointer  item,
                     guint         *position)
{
  guint pos;

  g_return_val_if_fail (EK_IS_SORTED_LIST (self), FALSE);

  pos = lower_bound (self, item);
  if (pos < self->items->len &&
      self->compare (g_ptr_array_index (self->items, pos), item, self->compare_data) == 0)
    {
      if (position != NULL)
        *position = pos;
      return TRUE;
    }
  return FALSE;
}

/**
 * ek_sorted_list_peek:
 *
 * Returns: (transfer none) (nullable): the item at @position
 */
gpointer
ek_sorted_list_peek (EkSortedList *self,
                     guint         position)
{
  g_return_val_if_fail (EK_IS_SORTED_LIST (self), NULL);

  if (position >= self->items->len)
    return NULL;
  return g_ptr_array_index (self->items, position);
}

void
ek_sorted_list_remove_at (EkSortedList *self,
                          guint         position)
{
  g_return_if_fail (EK_IS_SORTED_LIST (self));
  g_return_if_fail (position < self->items->len);

  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/**
 * ek_sorted_list_remove_all:
 *
 * Empties the list, with one ::items-changed.
 */
void
ek_sorted_list_remove_all (EkSortedList *self)
{
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  g_return_if_fail (EK_IS_SORTED_LIST (self));

  n = self->items->len;
  if (n == 0)
    return;
  /* the items go after the signal, so handlers may still look at them */
  items = g_steal_pointer (&self->items);
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

gboolean
ek_sorted_list_remove (EkSortedList  *self,
                       gconstpointer  item)
{
  guint position;

  if (!ek_sorted_list_find (self, item, &position))
    return FALSE;
  ek_sorted_list_remove_at (self, position);
  return TRUE;
}
