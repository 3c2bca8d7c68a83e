/* ek-coalescer.h: folds a frame's worth of events into one batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-event-private.h"

G_BEGIN_DECLS

typedef struct _EkCoalescer EkCoalescer;

EkCoalescer *ek_coalescer_new           (void);
void         ek_coalescer_free          (EkCoalescer *self);
void         ek_coalescer_add           (EkCoalescer *self,
                                         EkEvent     *event);
gboolean     ek_coalescer_merge_delta   (EkCoalescer       *self,
                                         const EkDeltaScan *scan);
GPtrArray   *ek_coalescer_take          (EkCoalescer *self);
guint        ek_coalescer_get_n_pending (EkCoalescer *self);
guint64      ek_coalescer_get_n_added   (EkCoalescer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EkCoalescer, ek_coalescer_free)

G_END_DECLS
