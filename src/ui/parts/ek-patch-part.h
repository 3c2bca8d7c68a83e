/* ek-patch-part.h: the files a step changed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_PATCH_PART (ek_patch_part_get_type ())

G_DECLARE_FINAL_TYPE (EkPatchPart, ek_patch_part, EK, PATCH_PART, EkPartWidget)

/* "1 file changed" */
const char *ek_patch_part_get_text    (EkPatchPart *self);
guint       ek_patch_part_get_n_files (EkPatchPart *self);

G_END_DECLS
