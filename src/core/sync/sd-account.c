/* sd-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-account"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sd-account.h"
#include "sd-credentials.h"

struct _SdAccount
{
  GObject       parent_instance;

  char         *server;
  char         *login;
  SdRestClient *client;   /* owned */
  SdLocalStore *store;    /* owned */
  SdSyncEngine *engine;   /* owned */
};

G_DEFINE_FINAL_TYPE (SdAccount, sd_account, G_TYPE_OBJECT)

static char *
local_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "supportdesk", "local.db", NULL);
}

static void
delete_store_files (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

static void
sd_account_dispose (GObject *object)
{
  SdAccount *self = SD_ACCOUNT (object);

  if (self->engine != NULL)
    sd_sync_engine_stop (self->engine);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (sd_account_parent_class)->dispose (object);
}

static void
sd_account_finalize (GObject *object)
{
  SdAccount *self = SD_ACCOUNT (object);

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_free (self->server);
  g_free (self->login);

  G_OBJECT_CLASS (sd_account_parent_class)->finalize (object);
}

static void
sd_account_class_init (SdAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_account_dispose;
  object_class->finalize = sd_account_finalize;
}

static void
sd_account_init (SdAccount *self)
{
}

/* The local store opens quickly (one file, migrations run once). */
static SdAccount *
account_new (SdRestClient  *client,
             const char    *login,
             GError       **error)
{
  g_autoptr(SdAccount) self = g_object_new (SD_TYPE_ACCOUNT, NULL);
  g_autofree char *path = NULL;

  self->server = g_strdup (sd_rest_client_get_base_url (client));
  self->login = g_strdup (login);
  self->client = g_object_ref (client);
  path = sd_sync_engine_store_path (self->server, self->login);
  if (!(self->store = sd_local_store_open (path, error)))
    return NULL;
  self->engine = sd_sync_engine_new (self->client, self->store);
  return g_steal_pointer (&self);
}

SdAccount *
sd_account_open (const char  *server,
                 const char  *login,
                 const char  *token,
                 GError     **error)
{
  g_autoptr(SdRestClient) client = NULL;

  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (login != NULL, NULL);

  if (!(client = sd_rest_client_new (server, token, error)))
    return NULL;
  return account_new (client, login, error);
}

/* restore */

typedef struct {
  SdCredentialsAccount *account;
} Restore;

static void
restore_free (Restore *restore)
{
  g_clear_pointer (&restore->account, sd_credentials_account_free);
  g_free (restore);
}

static void
restore_token_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Restore *restore = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sd_credentials_lookup_token_finish (result, &error);
  SdAccount *account;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (token == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (!(account = sd_account_open (restore->account->server, restore->account->login, token, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, account, g_object_unref);
}

static void
restore_accounts_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = sd_credentials_list_accounts_finish (result, &error);
  Restore *restore = g_task_get_task_data (task);
  GTask *owned;

  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (accounts->len == 0)
    {
      SdAccount *local = sd_account_has_local () ? sd_account_new_local (&error) : NULL;

      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, local, g_object_unref);
      return;
    }
  /* Several accounts: the first, sorted by server and login. */
  restore->account = sd_credentials_account_copy (accounts->pdata[0]);
  owned = g_steal_pointer (&task);
  sd_credentials_lookup_token_async (restore->account->server, restore->account->login,
                                     g_task_get_cancellable (owned), restore_token_cb, owned);
}

void
sd_account_restore_async (GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sd_account_restore_async);
  g_task_set_task_data (task, g_new0 (Restore, 1), (GDestroyNotify) restore_free);
  sd_credentials_list_accounts_async (cancellable, restore_accounts_cb, task);
}

SdAccount *
sd_account_restore_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* sign in */

typedef struct {
  SdRestClient *client;
  char         *login;
  char         *password;
  gboolean      remember;
  SdAccount    *account;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->client);
  g_clear_object (&sign_in->account);
  g_free (sign_in->login);
  if (sign_in->password != NULL)
    {
      memset (sign_in->password, 0, strlen (sign_in->password));
      g_free (sign_in->password);
    }
  g_free (sign_in);
}

static void
sign_in_password_stored_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!sd_credentials_store_password_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&sign_in->account), g_object_unref);
}

static void
sign_in_token_stored_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GTask *owned;

  if (!sd_credentials_store_token_finish (result, &error)
      || !(sign_in->account = account_new (sign_in->client, sign_in->login, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!sign_in->remember)
    {
      g_task_return_pointer (task, g_steal_pointer (&sign_in->account), g_object_unref);
      return;
    }
  owned = g_steal_pointer (&task);
  sd_credentials_store_password_async (sd_rest_client_get_base_url (sign_in->client), sign_in->login,
                                       sign_in->password, g_task_get_cancellable (owned),
                                       sign_in_password_stored_cb, owned);
}

static void
sign_in_answered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  gint64 expires_at = 0;
  GTask *owned;

  if (!sd_rest_client_sign_in_finish (sign_in->client, result, &token, &expires_at, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  owned = g_steal_pointer (&task);
  sd_credentials_store_token_async (sd_rest_client_get_base_url (sign_in->client), sign_in->login,
                                    token, expires_at, g_task_get_cancellable (owned),
                                    sign_in_token_stored_cb, owned);
}

void
sd_account_sign_in_async (const char          *server,
                          const char          *login,
                          const char          *password,
                          gboolean             remember_password,
                          gboolean             accept_invalid_certificate,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  SignIn *sign_in = g_new0 (SignIn, 1);

  g_task_set_source_tag (task, sd_account_sign_in_async);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  sign_in->login = g_strdup (login);
  sign_in->password = g_strdup (password);
  sign_in->remember = remember_password;

  if (!(sign_in->client = sd_rest_client_new (server, NULL, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sd_rest_client_set_accept_invalid_certificate (sign_in->client, accept_invalid_certificate);
  sd_rest_client_sign_in_async (sign_in->client, login, password, cancellable,
                                sign_in_answered_cb, g_steal_pointer (&task));
}

SdAccount *
sd_account_sign_in_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* sign out */

static void
sign_out_forgotten_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SdAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!sd_credentials_forget_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (GPOINTER_TO_INT (g_task_get_task_data (task)))
    delete_store_files (sd_local_store_get_path (self->store));
  g_task_return_boolean (task, TRUE);
}

static void
sign_out_told_server_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SdAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GTask *owned;

  /* The session ends here even when the server cannot be told. */
  if (!sd_rest_client_sign_out_finish (self->client, result, &error))
    g_debug ("the server was not told of the sign-out: %s", error->message);
  owned = g_steal_pointer (&task);
  sd_credentials_forget_async (self->server, self->login, g_task_get_cancellable (owned),
                               sign_out_forgotten_cb, owned);
}

void
sd_account_sign_out_async (SdAccount           *self,
                           gboolean             delete_local_copy,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SD_IS_ACCOUNT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_account_sign_out_async);
  g_task_set_task_data (task, GINT_TO_POINTER (delete_local_copy), NULL);
  /* A local workspace has no server and no secrets: only its store. */
  if (self->client == NULL)
    {
      if (delete_local_copy)
        delete_store_files (sd_local_store_get_path (self->store));
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  sd_sync_engine_stop (self->engine);
  sd_rest_client_sign_out_async (self->client, cancellable, sign_out_told_server_cb, task);
}

gboolean
sd_account_sign_out_finish (SdAccount     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
sd_account_get_server (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);
  return self->server;
}

const char *
sd_account_get_login (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);
  return self->login;
}

SdRestClient *
sd_account_get_client (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);
  return self->client;
}

SdLocalStore *
sd_account_get_store (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);
  return self->store;
}

SdSyncEngine *
sd_account_get_engine (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);
  return self->engine;
}

SdAccount *
sd_account_new_local (GError **error)
{
  g_autoptr(SdAccount) self = g_object_new (SD_TYPE_ACCOUNT, NULL);
  g_autofree char *path = local_store_path ();

  if (!(self->store = sd_local_store_open (path, error)))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
sd_account_has_local (void)
{
  g_autofree char *path = local_store_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

gboolean
sd_account_is_local (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), FALSE);
  return self->client == NULL;
}

static int
compare_seq (gconstpointer a,
             gconstpointer b)
{
  const SdOutboxEntry *ea = *(SdOutboxEntry **) a;
  const SdOutboxEntry *eb = *(SdOutboxEntry **) b;

  return (ea->seq > eb->seq) - (ea->seq < eb->seq);
}

/* Every change of the local workspace, in order, into @to's outbox. */
static gboolean
move_changes (SdLocalStore  *from,
              SdLocalStore  *to,
              GError       **error)
{
  const SdOutboxState states[] = { SD_OUTBOX_STATE_PENDING, SD_OUTBOX_STATE_NEEDS_ATTENTION,
                                   SD_OUTBOX_STATE_CONFLICT };
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      GPtrArray *list = sd_local_store_list_outbox (from, states[i], error);

      if (list == NULL)
        return FALSE;
      g_ptr_array_add (lists, list);
      for (guint j = 0; j < list->len; j++)
        g_ptr_array_add (all, list->pdata[j]);
    }
  g_ptr_array_sort (all, compare_seq);

  for (guint i = 0; i < all->len; i++)
    {
      SdOutboxEntry *entry = all->pdata[i];

      if (sd_local_store_enqueue (to, entry->op, entry->kind, entry->id, entry->payload,
                                  entry->base_version, error) <= 0)
        return FALSE;
    }
  return TRUE;
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SdAccount *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) account = sd_account_sign_in_finish (result, &error);
  g_autofree char *path = NULL;

  if (account == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!move_changes (self->store, account->store, &error))
    {
      /* Nothing is deleted: the local workspace stays as it was. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  path = g_strdup (sd_local_store_get_path (self->store));
  delete_store_files (path);
  g_task_return_pointer (task, g_steal_pointer (&account), g_object_unref);
}

void
sd_account_connect_async (SdAccount           *self,
                          const char          *server,
                          const char          *login,
                          const char          *password,
                          gboolean             remember_password,
                          gboolean             accept_invalid_certificate,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SD_IS_ACCOUNT (self));
  g_return_if_fail (sd_account_is_local (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_account_connect_async);
  sd_account_sign_in_async (server, login, password, remember_password, accept_invalid_certificate,
                            cancellable, connected_cb, task);
}

SdAccount *
sd_account_connect_finish (SdAccount     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
