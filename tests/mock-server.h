/* mock-server.h: an in-process HTTP server on 127.0.0.1 for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* One request as the server saw it. */
typedef struct
{
  char       *method;
  char       *path;           /* decoded */
  char       *raw_query;      /* as sent, still escaped; NULL when none */
  GHashTable *query;          /* decoded name → value; never NULL */
  char       *authorization;  /* the Authorization header, or NULL */
  char       *user_agent;
  char       *content_type;
  GBytes     *body;           /* never NULL */
} EkMockRequest;

typedef struct _EkMockServer EkMockServer;

/* A handler of one route; it may answer at once or pause the message. */
typedef void (*EkMockHandler) (EkMockServer      *server,
                               SoupServerMessage *message,
                               gpointer           user_data);

EkMockServer        *ek_mock_server_new               (void);
void                 ek_mock_server_free              (EkMockServer  *self);
const char          *ek_mock_server_get_url           (EkMockServer  *self);
guint                ek_mock_server_get_port          (EkMockServer  *self);

void                 ek_mock_server_respond           (EkMockServer  *self,
                                                       const char    *method,
                                                       const char    *path,
                                                       guint          status,
                                                       const char    *json);
void                 ek_mock_server_respond_bytes     (EkMockServer  *self,
                                                       const char    *method,
                                                       const char    *path,
                                                       guint          status,
                                                       GBytes        *body,
                                                       const char    *header_name,
                                                       const char    *header_value);
void                 ek_mock_server_hang              (EkMockServer  *self,
                                                       const char    *method,
                                                       const char    *path);
void                 ek_mock_server_set_handler       (EkMockServer  *self,
                                                       const char    *method,
                                                       const char    *path,
                                                       EkMockHandler  handler,
                                                       gpointer       user_data);
void                 ek_mock_server_require_password  (EkMockServer  *self,
                                                       const char    *username,
                                                       const char    *password);

guint                ek_mock_server_get_n_requests    (EkMockServer  *self);
const EkMockRequest *ek_mock_server_get_request       (EkMockServer  *self,
                                                       guint          index);
const EkMockRequest *ek_mock_server_get_last_request  (EkMockServer  *self);
guint                ek_mock_server_get_n_paused      (EkMockServer  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EkMockServer, ek_mock_server_free)

G_END_DECLS
