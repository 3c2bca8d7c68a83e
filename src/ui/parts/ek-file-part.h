/* ek-file-part.h: an attached file, as a chip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_FILE_PART (ek_file_part_get_type ())

G_DECLARE_FINAL_TYPE (EkFilePart, ek_file_part, EK, FILE_PART, EkPartWidget)

/* The name shown: `filename`, else the URL's last component. */
const char *ek_file_part_get_name      (EkFilePart *self);
/* Whether a click opens it (only local file:// URLs do). */
gboolean    ek_file_part_get_openable  (EkFilePart *self);
/* Opens the file as a click does (emits EkFilePart::open-uri). */
void        ek_file_part_open          (EkFilePart *self);

G_END_DECLS
