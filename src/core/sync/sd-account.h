/* sd-account.h — a signed-in account: its server client, local store and
 * sync engine, with the token in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-local-store.h"
#include "sd-rest-client.h"
#include "sd-sync-engine.h"

G_BEGIN_DECLS

#define SD_TYPE_ACCOUNT (sd_account_get_type ())

G_DECLARE_FINAL_TYPE (SdAccount, sd_account, SD, ACCOUNT, GObject)

/* The account signed in earlier (its token still valid in the keyring),
 * or NULL without an error when there is none. */
void          sd_account_restore_async   (GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
SdAccount    *sd_account_restore_finish  (GAsyncResult         *result,
                                          GError              **error);

/* The account of @login on @server signed in earlier with @token (NULL
 * when it expired: the local copy still opens, the server will refuse). */
SdAccount    *sd_account_open            (const char           *server,
                                          const char           *login,
                                          const char           *token,
                                          GError              **error);

/* Signs in; the token (and the password when @remember_password) goes to
 * the keyring. Errors are SD_REST_ERROR (bad URL, unreachable host, wrong
 * password, certificate) or SD_CREDENTIALS_ERROR. */
void          sd_account_sign_in_async   (const char           *server,
                                          const char           *login,
                                          const char           *password,
                                          gboolean              remember_password,
                                          gboolean              accept_invalid_certificate,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
SdAccount    *sd_account_sign_in_finish  (GAsyncResult         *result,
                                          GError              **error);

/* Ends the session on the server (when it can be reached), removes the
 * secrets from the keyring and, with @delete_local_copy, the local store. */
void          sd_account_sign_out_async  (SdAccount            *self,
                                          gboolean              delete_local_copy,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean      sd_account_sign_out_finish (SdAccount            *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* A local-only workspace: a local store on this computer and no server
 * (no client, no sync engine) until it is connected. */
SdAccount    *sd_account_new_local       (GError              **error);
/* Whether a local-only workspace exists on this computer. */
gboolean      sd_account_has_local       (void);
gboolean      sd_account_is_local        (SdAccount            *self);
/* Signs in like sd_account_sign_in_async() and moves every change made in
 * the local workspace @self into the new account's outbox, to be sent by
 * its first sync; then deletes the local workspace. */
void          sd_account_connect_async   (SdAccount            *self,
                                          const char           *server,
                                          const char           *login,
                                          const char           *password,
                                          gboolean              remember_password,
                                          gboolean              accept_invalid_certificate,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
SdAccount    *sd_account_connect_finish  (SdAccount            *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* NULL for a local workspace. */
const char   *sd_account_get_server      (SdAccount            *self);
const char   *sd_account_get_login       (SdAccount            *self);
/* NULL for a local workspace. */
SdRestClient *sd_account_get_client      (SdAccount            *self);
SdLocalStore *sd_account_get_store       (SdAccount            *self);
/* NULL for a local workspace. */
SdSyncEngine *sd_account_get_engine      (SdAccount            *self);

G_END_DECLS
