/* ek-request.h: a pending permission request or question
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  EK_REQUEST_PERMISSION,
  EK_REQUEST_QUESTION,
} EkRequestKind;

#define EK_TYPE_REQUEST (ek_request_get_type ())

G_DECLARE_FINAL_TYPE (EkRequest, ek_request, EK, REQUEST, GObject)

EkRequest     *ek_request_new            (EkRequestKind  kind,
                                          JsonObject    *data);
EkRequestKind  ek_request_get_kind       (EkRequest     *self);
const char    *ek_request_get_id         (EkRequest     *self);
const char    *ek_request_get_session_id (EkRequest     *self);
JsonObject    *ek_request_get_data       (EkRequest     *self);

G_END_DECLS
