/* sd-server.h — the reference REST backend (/api/v1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "sd-mailer.h"
#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_SERVER (sd_server_get_type ())

G_DECLARE_FINAL_TYPE (SdServer, sd_server, SD, SERVER, GObject)

typedef struct {
  const char *method;
  const char *path;   /* under /api/v1, with {placeholders} */
} SdServerRoute;

SdServer            *sd_server_new              (SdStore          *store);
/* Listens on @address ("127.0.0.1:8080", port 0 for any free one); HTTPS
 * when @certificate is set. Returns the port actually bound. */
guint                sd_server_listen           (SdServer         *self,
                                                 const char       *address,
                                                 GTlsCertificate  *certificate,
                                                 GError          **error);
void                 sd_server_set_max_body     (SdServer         *self,
                                                 gsize             max_body);
/* The relay the server's mail goes through (--smtp); NULL: none. */
void                 sd_server_set_mailer       (SdServer         *self,
                                                 SdMailer         *mailer);
SdMailer            *sd_server_get_mailer       (SdServer         *self);
/* A webhook notifications are posted to, signed with @secret (--webhook). */
void                 sd_server_add_webhook      (SdServer         *self,
                                                 const char       *url,
                                                 const char       *secret);
/* --test-clock: POST /test/clock sets the server's time (sd-clock.h). */
void                 sd_server_set_test_clock   (SdServer         *self,
                                                 gboolean          enabled);
/* Every route the server answers, NULL-terminated (static). */
const SdServerRoute *sd_server_get_routes       (void);
/* Creates a user with a password (hashing it, slowly). */
gboolean             sd_server_add_user         (SdStore          *store,
                                                 const char       *login,
                                                 const char       *display_name,
                                                 const char       *role,
                                                 const char       *password,
                                                 char            **out_id,
                                                 GError          **error);

G_END_DECLS
