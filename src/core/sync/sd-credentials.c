/* sd-credentials.c — sign-in tokens and remembered passwords in the keyring
 *
 * The public API: each call checks its arguments and hands over to
 * sd-credentials-keyring.c; the _sync calls run their _async twin in a
 * main context of their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-credentials"

#include "config.h"

#include "sd-credentials-private.h"

/* The context a _sync call iterates while its _async twin runs. */
typedef struct {
  GMainContext *context;
  GAsyncResult *result;
} SyncCall;

G_DEFINE_QUARK (sd-credentials-error-quark, sd_credentials_error)

G_DEFINE_BOXED_TYPE (SdCredentialsAccount, sd_credentials_account,
                     sd_credentials_account_copy, sd_credentials_account_free)

static void
sync_call_begin (SyncCall *call)
{
  call->context = g_main_context_new ();
  call->result = NULL;
  g_main_context_push_thread_default (call->context);
}

static void
sync_call_wait (SyncCall *call)
{
  while (call->result == NULL)
    g_main_context_iteration (call->context, TRUE);
}

static void
sync_call_end (SyncCall *call)
{
  g_main_context_pop_thread_default (call->context);
  g_clear_object (&call->result);
  g_main_context_unref (call->context);
}

static void
sync_call_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SyncCall *call = user_data;

  call->result = g_object_ref (result);
}

static char *
lookup_finish (GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
boolean_finish (GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

SdCredentialsAccount *
sd_credentials_account_new (const char *server,
                            const char *login)
{
  SdCredentialsAccount *account = g_new0 (SdCredentialsAccount, 1);

  account->server = g_strdup (server);
  account->login = g_strdup (login);
  return account;
}

SdCredentialsAccount *
sd_credentials_account_copy (const SdCredentialsAccount *account)
{
  g_return_val_if_fail (account != NULL, NULL);

  return sd_credentials_account_new (account->server, account->login);
}

void
sd_credentials_account_free (SdCredentialsAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->server);
  g_free (account->login);
  g_free (account);
}

void
sd_credentials_store_token_async (const char          *server,
                                  const char          *login,
                                  const char          *token,
                                  gint64               expires_at,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _sd_credentials_store_async (server, login, KIND_TOKEN, token, expires_at,
                               sd_credentials_store_token_async,
                               cancellable, callback, user_data);
}

gboolean
sd_credentials_store_token_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return boolean_finish (result, sd_credentials_store_token_async, error);
}

gboolean
sd_credentials_store_token_sync (const char    *server,
                                 const char    *login,
                                 const char    *token,
                                 gint64         expires_at,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  SyncCall call;
  gboolean ret;

  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (login != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  sync_call_begin (&call);
  sd_credentials_store_token_async (server, login, token, expires_at, cancellable,
                                    sync_call_done_cb, &call);
  sync_call_wait (&call);
  ret = sd_credentials_store_token_finish (call.result, error);
  sync_call_end (&call);
  return ret;
}

void
sd_credentials_lookup_token_async (const char          *server,
                                   const char          *login,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _sd_credentials_lookup_async (server, login, KIND_TOKEN, sd_credentials_lookup_token_async,
                                cancellable, callback, user_data);
}

char *
sd_credentials_lookup_token_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return lookup_finish (result, sd_credentials_lookup_token_async, error);
}

char *
sd_credentials_lookup_token_sync (const char    *server,
                                  const char    *login,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  SyncCall call;
  char *ret;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (login != NULL, NULL);

  sync_call_begin (&call);
  sd_credentials_lookup_token_async (server, login, cancellable, sync_call_done_cb, &call);
  sync_call_wait (&call);
  ret = sd_credentials_lookup_token_finish (call.result, error);
  sync_call_end (&call);
  return ret;
}

void
sd_credentials_store_password_async (const char          *server,
                                     const char          *login,
                                     const char          *password,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _sd_credentials_store_async (server, login, KIND_PASSWORD, password, 0,
                               sd_credentials_store_password_async,
                               cancellable, callback, user_data);
}

gboolean
sd_credentials_store_password_finish (GAsyncResult  *result,
                                      GError       **error)
{
  return boolean_finish (result, sd_credentials_store_password_async, error);
}

gboolean
sd_credentials_store_password_sync (const char    *server,
                                    const char    *login,
                                    const char    *password,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  SyncCall call;
  gboolean ret;

  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (login != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  sync_call_begin (&call);
  sd_credentials_store_password_async (server, login, password, cancellable,
                                       sync_call_done_cb, &call);
  sync_call_wait (&call);
  ret = sd_credentials_store_password_finish (call.result, error);
  sync_call_end (&call);
  return ret;
}

void
sd_credentials_lookup_password_async (const char          *server,
                                      const char          *login,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _sd_credentials_lookup_async (server, login, KIND_PASSWORD,
                                sd_credentials_lookup_password_async,
                                cancellable, callback, user_data);
}

char *
sd_credentials_lookup_password_finish (GAsyncResult  *result,
                                       GError       **error)
{
  return lookup_finish (result, sd_credentials_lookup_password_async, error);
}

char *
sd_credentials_lookup_password_sync (const char    *server,
                                     const char    *login,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  SyncCall call;
  char *ret;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (login != NULL, NULL);

  sync_call_begin (&call);
  sd_credentials_lookup_password_async (server, login, cancellable, sync_call_done_cb, &call);
  sync_call_wait (&call);
  ret = sd_credentials_lookup_password_finish (call.result, error);
  sync_call_end (&call);
  return ret;
}

void
sd_credentials_forget_async (const char          *server,
                             const char          *login,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (server != NULL);
  g_return_if_fail (login != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _sd_credentials_forget_async (server, login, sd_credentials_forget_async,
                                cancellable, callback, user_data);
}

gboolean
sd_credentials_forget_finish (GAsyncResult  *result,
                              GError       **error)
{
  return boolean_finish (result, sd_credentials_forget_async, error);
}

gboolean
sd_credentials_forget_sync (const char    *server,
                            const char    *login,
                            GCancellable  *cancellable,
                            GError       **error)
{
  SyncCall call;
  gboolean ret;

  g_return_val_if_fail (server != NULL, FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  sync_call_begin (&call);
  sd_credentials_forget_async (server, login, cancellable, sync_call_done_cb, &call);
  sync_call_wait (&call);
  ret = sd_credentials_forget_finish (call.result, error);
  sync_call_end (&call);
  return ret;
}

void
sd_credentials_list_accounts_async (GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _sd_credentials_list_accounts_async (sd_credentials_list_accounts_async,
                                       cancellable, callback, user_data);
}

GPtrArray *
sd_credentials_list_accounts_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == sd_credentials_list_accounts_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
sd_credentials_list_accounts_sync (GCancellable  *cancellable,
                                   GError       **error)
{
  SyncCall call;
  GPtrArray *ret;

  sync_call_begin (&call);
  sd_credentials_list_accounts_async (cancellable, sync_call_done_cb, &call);
  sync_call_wait (&call);
  ret = sd_credentials_list_accounts_finish (call.result, error);
  sync_call_end (&call);
  return ret;
}
