/* sd-credentials.h — sign-in tokens and remembered passwords in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every secret lives in the user's keyring (the Secret Service, or the
 * Secret portal inside Flatpak) under the schema below, and nowhere else.
 *
 *   schema   org.example.SupportDesk.Account
 *   server   the server's address in its normal form (sd_server_url_normalize();
 *            items stored with another form of it are found too)
 *   login    the user's login on that server
 *   kind     "token" (the sign-in token) or "password" (only when the user
 *            asked to remember it); one item of each kind per account
 *   expires-at  token items only: Unix seconds, in decimal, after which the
 *            token is reported as absent; "0" when it does not expire
 *
 * The secret of an item is the token or the password itself, as text.
 * Failures are SD_CREDENTIALS_ERROR errors (G_IO_ERROR_CANCELLED when
 * cancelled); when no keyring can be reached the error is
 * SD_CREDENTIALS_ERROR_NO_KEYRING, "No keyring is available: …".
 *
 * The _async calls are for the app's main loop. Each _sync call runs its
 * _async twin in a private main context and blocks until it is done: for
 * supportdesk-cli, never for the GTK main thread. */

#define SD_CREDENTIALS_SCHEMA_NAME "org.example.SupportDesk.Account"

#define SD_CREDENTIALS_ERROR (sd_credentials_error_quark ())

typedef enum {
  SD_CREDENTIALS_ERROR_NO_KEYRING,  /* no Secret Service or portal to talk to */
  SD_CREDENTIALS_ERROR_LOCKED,      /* the keyring stayed locked */
  SD_CREDENTIALS_ERROR_INVALID,     /* empty server, login or secret */
  SD_CREDENTIALS_ERROR_FAILED,      /* any other keyring failure */
} SdCredentialsError;

GQuark sd_credentials_error_quark (void);

#define SD_TYPE_CREDENTIALS_ACCOUNT (sd_credentials_account_get_type ())

typedef struct {
  char *server;  /* owned */
  char *login;   /* owned */
} SdCredentialsAccount;

GType                 sd_credentials_account_get_type (void) G_GNUC_CONST;
SdCredentialsAccount *sd_credentials_account_new      (const char                  *server,
                                                       const char                  *login);
SdCredentialsAccount *sd_credentials_account_copy     (const SdCredentialsAccount  *account);
void                  sd_credentials_account_free     (SdCredentialsAccount        *account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCredentialsAccount, sd_credentials_account_free)

/* Stores the sign-in token of @login on @server, replacing any earlier one.
 * @expires_at: Unix seconds after which the token is treated as absent, or
 * 0 when it does not expire. */
void       sd_credentials_store_token_async        (const char           *server,
                                                    const char           *login,
                                                    const char           *token,
                                                    gint64                expires_at,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   sd_credentials_store_token_finish       (GAsyncResult         *result,
                                                    GError              **error);
gboolean   sd_credentials_store_token_sync         (const char           *server,
                                                    const char           *login,
                                                    const char           *token,
                                                    gint64                expires_at,
                                                    GCancellable         *cancellable,
                                                    GError              **error);

/* The token, or NULL without an error when there is none or it has expired.
 * Free it with g_free(). */
void       sd_credentials_lookup_token_async       (const char           *server,
                                                    const char           *login,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char      *sd_credentials_lookup_token_finish      (GAsyncResult         *result,
                                                    GError              **error);
char      *sd_credentials_lookup_token_sync        (const char           *server,
                                                    const char           *login,
                                                    GCancellable         *cancellable,
                                                    GError              **error);

/* Remembers the password; call only when the user asked for it. */
void       sd_credentials_store_password_async     (const char           *server,
                                                    const char           *login,
                                                    const char           *password,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   sd_credentials_store_password_finish    (GAsyncResult         *result,
                                                    GError              **error);
gboolean   sd_credentials_store_password_sync      (const char           *server,
                                                    const char           *login,
                                                    const char           *password,
                                                    GCancellable         *cancellable,
                                                    GError              **error);

/* The remembered password, or NULL without an error when there is none. */
void       sd_credentials_lookup_password_async    (const char           *server,
                                                    const char           *login,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
char      *sd_credentials_lookup_password_finish   (GAsyncResult         *result,
                                                    GError              **error);
char      *sd_credentials_lookup_password_sync     (const char           *server,
                                                    const char           *login,
                                                    GCancellable         *cancellable,
                                                    GError              **error);

/* Removes the token and the password of the account. Succeeds when there
 * was nothing to remove. */
void       sd_credentials_forget_async             (const char           *server,
                                                    const char           *login,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   sd_credentials_forget_finish            (GAsyncResult         *result,
                                                    GError              **error);
gboolean   sd_credentials_forget_sync              (const char           *server,
                                                    const char           *login,
                                                    GCancellable         *cancellable,
                                                    GError              **error);

/* The accounts that have an unexpired token, sorted by server then login:
 * a GPtrArray of SdCredentialsAccount (empty when there are none). */
void       sd_credentials_list_accounts_async      (GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray *sd_credentials_list_accounts_finish     (GAsyncResult         *result,
                                                    GError              **error);
GPtrArray *sd_credentials_list_accounts_sync       (GCancellable         *cancellable,
                                                    GError              **error);

G_END_DECLS
