/* sd-credentials-private.h — what the parts of SdCredentials share
 *
 * sd-credentials.c holds the public API (argument checks, _finish and
 * _sync calls); sd-credentials-keyring.c the items in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-credentials.h"

G_BEGIN_DECLS

/* The "kind" attribute of an item. */
#define KIND_TOKEN    "token"
#define KIND_PASSWORD "password"

/* Replaces the items of @kind for @login on @server with @secret; the
 * task carries @source_tag and returns a boolean. */
void _sd_credentials_store_async         (const char          *server,
                                          const char          *login,
                                          const char          *kind,
                                          const char          *secret,
                                          gint64               expires_at,
                                          gpointer             source_tag,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The secret of @kind stored last for @login on @server, unexpired; the
 * task carries @source_tag and returns a string (NULL when none). */
void _sd_credentials_lookup_async        (const char          *server,
                                          const char          *login,
                                          const char          *kind,
                                          gpointer             source_tag,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* Removes every item of @login on @server; returns a boolean. */
void _sd_credentials_forget_async        (const char          *server,
                                          const char          *login,
                                          gpointer             source_tag,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* The accounts with an unexpired token: a GPtrArray of
 * SdCredentialsAccount, sorted by server and login. */
void _sd_credentials_list_accounts_async (gpointer             source_tag,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);

G_END_DECLS
