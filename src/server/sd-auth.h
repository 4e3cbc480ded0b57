/* sd-auth.h — password hashing (argon2id) and bearer tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  sd_auth_init            (GError     **error);
/* Slow by design (argon2id, libsodium's interactive limits): call it from
 * a worker thread in the server. */
char     *sd_auth_hash_password   (const char  *password,
                                   GError     **error);
gboolean  sd_auth_verify_password (const char  *hash,
                                   const char  *password);
/* A new random bearer token (256 bits, URL-safe base64). */
char     *sd_auth_new_token       (void);
/* What the store keeps instead of the token. */
char     *sd_auth_hash_token      (const char  *token);

G_END_DECLS
