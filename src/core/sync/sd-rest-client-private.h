/* sd-rest-client-private.h — what the parts of SdRestClient share
 *
 * sd-rest-client.c holds the client object, its session and its requests;
 * sd-rest-error.c turns failures into SD_REST_ERROR errors;
 * sd-rest-client-answers.c checks the successful answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sd-rest-client.h"

G_BEGIN_DECLS

/* What one call expects and how its answer becomes the result. */
typedef gpointer (*ParseFunc) (SdRestClient  *self,
                               JsonNode      *root,
                               GError       **error);

/* The result of a sign-in. */
typedef struct
{
  char   *token;
  gint64  expires_at;
  SdUser *user;
} SignIn;

/* A transport failure (no HTTP answer, or an answer cut short) from
 * @host; @timeout is the client's timeout in seconds. */
GError   *_sd_rest_error_new_transport (SoupMessage   *message,
                                        const GError  *error,
                                        const char    *host,
                                        guint          timeout);
/* An HTTP answer from @host that is not the expected success. */
GError   *_sd_rest_error_new_status    (SoupMessage   *message,
                                        GBytes        *body,
                                        const char    *host);
/* A success whose body does not follow the API: @reason says where. */
GError   *_sd_rest_error_new_contract  (const GError  *reason,
                                        const char    *host);
/* The JSON body of a success, or a PROTOCOL error. */
JsonNode *_sd_rest_read_success_body   (SoupMessage   *message,
                                        GBytes        *body,
                                        const char    *host,
                                        GError       **error);

/* Parsers of the successful answers (ParseFunc). */
void      _sd_rest_sign_in_free        (SignIn        *sign_in);
gpointer  _sd_rest_parse_sign_in       (SdRestClient  *self,
                                        JsonNode      *root,
                                        GError       **error);
gpointer  _sd_rest_parse_user          (SdRestClient  *self,
                                        JsonNode      *root,
                                        GError       **error);
gpointer  _sd_rest_parse_entity        (SdRestClient  *self,
                                        JsonNode      *root,
                                        GError       **error);
gpointer  _sd_rest_parse_changes       (SdRestClient  *self,
                                        JsonNode      *root,
                                        GError       **error);
gpointer  _sd_rest_parse_audit         (SdRestClient  *self,
                                        JsonNode      *root,
                                        GError       **error);

G_END_DECLS
