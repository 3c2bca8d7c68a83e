/* ek-retry-part.h: a failed model request that is being retried
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ek-part-widget.h"

G_BEGIN_DECLS

#define EK_TYPE_RETRY_PART (ek_retry_part_get_type ())

G_DECLARE_FINAL_TYPE (EkRetryPart, ek_retry_part, EK, RETRY_PART, EkPartWidget)

/* "Retrying (attempt 2) in 5 s" or "Retried (attempt 2)" */
const char *ek_retry_part_get_text    (EkRetryPart *self);
const char *ek_retry_part_get_message (EkRetryPart *self);
gboolean    ek_retry_part_get_ticking (EkRetryPart *self);

G_END_DECLS
