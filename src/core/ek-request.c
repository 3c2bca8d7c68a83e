/* ek-request.c: a pending permission request or question
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ek-request.h"
#include "ek-store-private.h"

struct _EkRequest
{
  GObject        parent_instance;

  EkRequestKind  kind;
  JsonObject    *data;
  guint64        seq;
};

G_DEFINE_FINAL_TYPE (EkRequest, ek_request, G_TYPE_OBJECT)

static void
ek_request_finalize (GObject *object)
{
  EkRequest *self = EK_REQUEST (object);

  g_clear_pointer (&self->data, json_object_unref);

  G_OBJECT_CLASS (ek_request_parent_class)->finalize (object);
}

static void
ek_request_class_init (EkRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ek_request_finalize;
}

static void
ek_request_init (EkRequest *self)
{
}

/**
 * ek_request_new:
 * @data: the `permission.asked` or `question.asked` properties (or an
 *   element of `GET /permission`, `GET /question`)
 */
EkRequest *
ek_request_new (EkRequestKind  kind,
                JsonObject    *data)
{
  EkRequest *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_object_new (EK_TYPE_REQUEST, NULL);
  self->kind = kind;
  self->data = json_object_ref (data);
  return self;
}

EkRequestKind
ek_request_get_kind (EkRequest *self)
{
  g_return_val_if_fail (EK_IS_REQUEST (self), EK_REQUEST_PERMISSION);
  return self->kind;
}

const char *
ek_request_get_id (EkRequest *self)
{
  g_return_val_if_fail (EK_IS_REQUEST (self), NULL);
  return ek_json_get_string (self->data, "id");
}

const char *
ek_request_get_session_id (EkRequest *self)
{
  g_return_val_if_fail (EK_IS_REQUEST (self), NULL);
  return ek_json_get_string (self->data, "sessionID");
}

JsonObject *
ek_request_get_data (EkRequest *self)
{
  g_return_val_if_fail (EK_IS_REQUEST (self), NULL);
  return self->data;
}

guint64
ek_request_get_seq (EkRequest *self)
{
  return self->seq;
}

void
ek_request_set_seq (EkRequest *self,
                    guint64    seq)
{
  self->seq = seq;
}
