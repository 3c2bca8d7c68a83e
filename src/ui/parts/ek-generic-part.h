/* ek-generic-part.h: a part of a kind this client does not know
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_GENERIC_PART (ek_generic_part_get_type ())

G_DECLARE_FINAL_TYPE (EkGenericPart, ek_generic_part, EK, GENERIC_PART, EkPartWidget)

const char *ek_generic_part_get_type_text (EkGenericPart *self);
const char *ek_generic_part_get_summary   (EkGenericPart *self);

G_END_DECLS
