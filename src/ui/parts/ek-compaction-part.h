/* ek-compaction-part.h: where the conversation was summarised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_COMPACTION_PART (ek_compaction_part_get_type ())

G_DECLARE_FINAL_TYPE (EkCompactionPart, ek_compaction_part, EK, COMPACTION_PART, EkPartWidget)

const char *ek_compaction_part_get_text (EkCompactionPart *self);

G_END_DECLS
