/* sd-credentials-keyring.c — the items of SdCredentials in the keyring
 *
 * The libsecret side: the schema and the attributes of an item, searching
 * (again when another process deleted an item meanwhile), removing,
 * storing and looking up items, and the list of stored accounts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-credentials"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "sd-credentials-private.h"
#include "sd-server-url.h"

#define MAX_ATTEMPTS 3

typedef struct {
  char       *server;      /* owned, normalised */
  char       *login;       /* owned */
  char       *secret;      /* owned, wiped when freed; NULL for look-ups */
  const char *kind;        /* borrowed: KIND_TOKEN, KIND_PASSWORD or NULL for both */
  gint64      expires_at;
} Request;

typedef struct {
  GHashTable *attributes;  /* owned */
  char       *server;      /* owned; NULL, or the server the items must name */
  GPtrArray  *to_clear;    /* owned; clearing: the stored server values left */
  guint       attempts;
} Search;

static const SecretSchema credentials_schema = {
  SD_CREDENTIALS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "expires-at", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  secret_password_wipe (secret);
  g_free (secret);
}

static void
request_free (Request *request)
{
  g_free (request->server);
  g_free (request->login);
  wipe_free (request->secret);
  g_free (request);
}

static void
search_free (Search *search)
{
  g_hash_table_unref (search->attributes);
  g_free (search->server);
  g_clear_pointer (&search->to_clear, g_ptr_array_unref);
  g_free (search);
}

static Request *
request_new (const char  *server,
             const char  *login,
             const char  *kind,
             const char  *secret,
             gint64       expires_at,
             GError     **error)
{
  Request *request;
  g_autofree char *normal = sd_server_url_normalize (server, NULL);
  gsize len;

  /* An address in its normal form; anything else as it is, without
   * trailing slashes. */
  if (normal != NULL)
    server = normal;
  len = strlen (server);
  while (len > 0 && server[len - 1] == '/')
    len--;

  if (len == 0 || *login == '\0')
    {
      g_set_error (error, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_INVALID,
                   _("A server address and a login are needed to use the keyring"));
      return NULL;
    }
  if (secret != NULL && *secret == '\0')
    {
      g_set_error (error, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_INVALID,
                   _("An empty token or password cannot be stored in the keyring"));
      return NULL;
    }

  request = g_new0 (Request, 1);
  request->server = g_strndup (server, len);
  request->login = g_strdup (login);
  request->kind = kind;
  request->secret = g_strdup (secret);
  request->expires_at = MAX (expires_at, 0);
  return request;
}

/* A task for @source_tag that carries a new Request; NULL (the error
 * returned through the task) when the arguments are refused. */
static GTask *
request_task_new (const char          *server,
                  const char          *login,
                  const char          *kind,
                  const char          *secret,
                  gint64               expires_at,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  Request *request;

  g_task_set_source_tag (task, source_tag);
  request = request_new (server, login, kind, secret, expires_at, &error);
  if (request == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  return g_steal_pointer (&task);
}

/* @with_server: FALSE to match the items of every form of the server's
 * address (filter them with item_names_server()). */
static GHashTable *
request_attributes (const Request *request,
                    gboolean       with_server,
                    gboolean       with_expiry)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if (with_server)
    g_hash_table_insert (attributes, (gpointer) "server", g_strdup (request->server));
  g_hash_table_insert (attributes, (gpointer) "login", g_strdup (request->login));
  if (request->kind != NULL)
    g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (request->kind));
  if (with_expiry)
    g_hash_table_insert (attributes, (gpointer) "expires-at",
                         g_strdup_printf ("%" G_GINT64_FORMAT, request->expires_at));
  return attributes;
}

static char *
request_label (const Request *request)
{
  if (g_strcmp0 (request->kind, KIND_TOKEN) == 0)
    /* Translators: the name of a keyring item; the first %s is a login, the second a server URL */
    return g_strdup_printf (_("SupportDesk sign-in token for %s on %s"),
                            request->login, request->server);
  /* Translators: the name of a keyring item; the first %s is a login, the second a server URL */
  return g_strdup_printf (_("SupportDesk password for %s on %s"),
                          request->login, request->server);
}

static GHashTable *
kind_attributes (const char *kind)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "kind", g_strdup (kind));
  return attributes;
}

static gboolean
attributes_expired (GHashTable *attributes,
                    gint64      now)
{
  const char *text = g_hash_table_lookup (attributes, "expires-at");
  const char *kind = g_hash_table_lookup (attributes, "kind");
  gint64 expires_at = 0;

  if (g_strcmp0 (kind, KIND_TOKEN) != 0 || text == NULL)
    return FALSE;
  if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &expires_at, NULL))
    return TRUE;
  return expires_at != 0 && expires_at <= now;
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Whether an item names @server in any form of its address (stored by
 * an older version without the API path, or with a trailing slash). */
static gboolean
attributes_name_server (GHashTable *attributes,
                        const char *server)
{
  return server == NULL || sd_server_url_equal (g_hash_table_lookup (attributes, "server"), server);
}

/* The unexpired item of @server stored last, or NULL. */
static SecretRetrievable *
pick_current (GList      *items,
              const char *server)
{
  SecretRetrievable *best = NULL;
  guint64 best_modified = 0;
  gint64 now = now_unix ();

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
      guint64 modified = secret_retrievable_get_modified (item);

      if (attributes == NULL || attributes_expired (attributes, now)
          || !attributes_name_server (attributes, server))
        continue;
      if (best == NULL || modified > best_modified)
        {
          best = item;
          best_modified = modified;
        }
    }
  return best;
}

/* An item another process deleted while this one was loading it. */
static gboolean
error_is_vanished_item (const GError *error)
{
  return g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)
         || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT);
}

static GError *
translate_error (GError *error)
{
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || error->domain == SD_CREDENTIALS_ERROR)
    return error;

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    translated = g_error_new (SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_LOCKED,
                              _("The keyring is locked: %s"), error->message);
  else if (error->domain == SECRET_ERROR
           && !g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    translated = g_error_new (SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_FAILED,
                              _("The keyring failed: %s"), error->message);
  else
    translated = g_error_new (SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_NO_KEYRING,
                              _("No keyring is available: %s"), error->message);

  g_error_free (error);
  return translated;
}

static void
task_return_error (GTask  *task,
                   GError *error)
{
  g_task_return_error (task, translate_error (error));
}

/* Searching. Another process may delete a matching item while libsecret
 * loads it ("No such secret item"): search again, a few times. (libsecret
 * 0.20 then also logs a GTask critical, as it completes its search once per
 * item that failed to load.) */

static void
free_items (GList *items)
{
  g_list_free_full (items, g_object_unref);
}

static void search_start (GTask *task);

static void
searched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Search *search = g_task_get_task_data (task);
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL && error_is_vanished_item (error) && search->attempts < MAX_ATTEMPTS)
    {
      search_start (task);
      return;
    }
  if (error != NULL && error_is_vanished_item (error))
    g_task_return_new_error (task, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_FAILED,
                             _("The keyring failed: %s"), error->message);
  else if (error != NULL)
    task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, items, (GDestroyNotify) free_items);
}

static void
search_start (GTask *task)
{
  Search *search = g_task_get_task_data (task);

  search->attempts++;
  secret_password_searchv (&credentials_schema, search->attributes,
                           SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                           g_task_get_cancellable (task), searched_cb, g_object_ref (task));
}

static void
search_async (GHashTable          *attributes,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Search *search = g_new0 (Search, 1);

  g_task_set_source_tag (task, search_async);
  search->attributes = g_hash_table_ref (attributes);
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);
  search_start (task);
}

static GList *
search_finish (GAsyncResult  *result,
               GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Removing items: unlock what matches first, as a plain clear only removes
 * unlocked items; start again when an item went away meanwhile. */

static void clear_start (GTask *task);
static void clear_next (GTask *task);

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Search *search = g_task_get_task_data (task);

  secret_password_clear_finish (result, &error);
  if (error != NULL && error_is_vanished_item (error) && search->attempts < MAX_ATTEMPTS)
    clear_start (task);
  else if (error != NULL)
    task_return_error (task, g_steal_pointer (&error));
  else
    clear_next (task);
}

/* Clears the items of the next stored form of the server's address. */
static void
clear_next (GTask *task)
{
  Search *search = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *server = NULL;

  if (search->to_clear == NULL || search->to_clear->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  server = g_ptr_array_steal_index (search->to_clear, search->to_clear->len - 1);
  attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, search->attributes);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_hash_table_insert (attributes, key, g_strdup (value));
  }
  g_hash_table_insert (attributes, (gpointer) "server", g_steal_pointer (&server));
  secret_password_clearv (&credentials_schema, attributes, g_task_get_cancellable (task),
                          cleared_cb, g_object_ref (task));
}

static void
unlocked_for_clear_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Search *search = g_task_get_task_data (task);
  GList *items;

  items = search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Each form of the address the matching items were stored with. */
  g_clear_pointer (&search->to_clear, g_ptr_array_unref);
  search->to_clear = g_ptr_array_new_with_free_func (g_free);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *server = attributes ? g_hash_table_lookup (attributes, "server") : NULL;

      if (server != NULL && attributes_name_server (attributes, search->server)
          && !g_ptr_array_find_with_equal_func (search->to_clear, server, g_str_equal, NULL))
        g_ptr_array_add (search->to_clear, g_strdup (server));
    }
  free_items (items);
  clear_next (task);
}

static void
clear_start (GTask *task)
{
  Search *search = g_task_get_task_data (task);

  search->attempts++;
  search_async (search->attributes, g_task_get_cancellable (task),
                unlocked_for_clear_cb, g_object_ref (task));
}

/* Removes the items that match @attributes (which leave out the server)
 * and name @server in any form of its address. */
static void
clear_async (GHashTable          *attributes,
             const char          *server,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Search *search = g_new0 (Search, 1);

  g_task_set_source_tag (task, clear_async);
  search->attributes = g_hash_table_ref (attributes);
  search->server = g_strdup (server);
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);
  clear_start (task);
}

static gboolean
clear_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Storing: the earlier items of the same kind go first, so that a token
 * stored with a new expiry replaces the old one instead of joining it. */

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
cleared_for_store_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  Request *request = g_task_get_task_data (task);

  if (!clear_finish (result, &error))
    {
      task_return_error (task, g_steal_pointer (&error));
      return;
    }

  attributes = request_attributes (request, TRUE, g_strcmp0 (request->kind, KIND_TOKEN) == 0);
  label = request_label (request);
  secret_password_storev (&credentials_schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                          request->secret, g_task_get_cancellable (task),
                          stored_cb, g_object_ref (task));
}

void
_sd_credentials_store_async (const char          *server,
                             const char          *login,
                             const char          *kind,
                             const char          *secret,
                             gint64               expires_at,
                             gpointer             source_tag,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  Request *request;

  task = request_task_new (server, login, kind, secret, expires_at, source_tag,
                           cancellable, callback, user_data);
  if (task == NULL)
    return;
  request = g_task_get_task_data (task);

  attributes = request_attributes (request, FALSE, FALSE);
  clear_async (attributes, request->server, cancellable, cleared_for_store_cb, g_steal_pointer (&task));
}

/* Looking up: the unexpired item stored last wins. */

static void
retrieved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SecretValue *value;
  const char *text;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value == NULL)
    {
      /* Deleted since the search found it: there is no secret any more. */
      if (error != NULL && !error_is_vanished_item (error))
        task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, NULL, NULL);
      return;
    }

  text = secret_value_get_text (value);
  if (text == NULL)
    g_task_return_new_error (task, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_FAILED,
                             _("The keyring holds a secret for this account that is not text"));
  else
    g_task_return_pointer (task, g_strdup (text), (GDestroyNotify) wipe_free);
  secret_value_unref (value);
}

static void
searched_for_lookup_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Request *request = g_task_get_task_data (task);
  SecretRetrievable *current;
  GList *items;

  items = search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  current = pick_current (items, request->server);
  if (current == NULL)
    g_task_return_pointer (task, NULL, NULL);
  else
    secret_retrievable_retrieve_secret (current, g_task_get_cancellable (task),
                                        retrieved_cb, g_object_ref (task));
  free_items (items);
}

void
_sd_credentials_lookup_async (const char          *server,
                              const char          *login,
                              const char          *kind,
                              gpointer             source_tag,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  Request *request;

  task = request_task_new (server, login, kind, NULL, 0, source_tag,
                           cancellable, callback, user_data);
  if (task == NULL)
    return;
  request = g_task_get_task_data (task);

  attributes = request_attributes (request, FALSE, FALSE);
  search_async (attributes, cancellable, searched_for_lookup_cb, g_steal_pointer (&task));
}

static gint
compare_accounts (gconstpointer a,
                  gconstpointer b)
{
  const SdCredentialsAccount *x = *(SdCredentialsAccount * const *) a;
  const SdCredentialsAccount *y = *(SdCredentialsAccount * const *) b;
  int cmp = g_strcmp0 (x->server, y->server);

  return cmp != 0 ? cmp : g_strcmp0 (x->login, y->login);
}

static void
searched_for_accounts_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  gint64 now = now_unix ();
  GList *items;

  items = search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_credentials_account_free);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      g_autofree char *normal = NULL;
      const char *server;
      const char *login;
      gboolean seen = FALSE;

      if (attributes == NULL || attributes_expired (attributes, now))
        continue;
      server = g_hash_table_lookup (attributes, "server");
      login = g_hash_table_lookup (attributes, "login");
      if (server == NULL || login == NULL)
        continue;
      /* Items stored with another form of the address are the same account. */
      if ((normal = sd_server_url_normalize (server, NULL)) != NULL)
        server = normal;

      for (guint i = 0; i < accounts->len && !seen; i++)
        {
          SdCredentialsAccount *account = g_ptr_array_index (accounts, i);

          seen = g_str_equal (account->server, server) && g_str_equal (account->login, login);
        }
      if (!seen)
        g_ptr_array_add (accounts, sd_credentials_account_new (server, login));
    }
  free_items (items);

  g_ptr_array_sort (accounts, compare_accounts);
  g_task_return_pointer (task, g_steal_pointer (&accounts), (GDestroyNotify) g_ptr_array_unref);
}

static void
forgotten_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!clear_finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
_sd_credentials_forget_async (const char          *server,
                              const char          *login,
                              gpointer             source_tag,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  Request *request;

  task = request_task_new (server, login, NULL, NULL, 0, source_tag,
                           cancellable, callback, user_data);
  if (task == NULL)
    return;
  request = g_task_get_task_data (task);

  attributes = request_attributes (request, FALSE, FALSE);
  clear_async (attributes, request->server, cancellable, forgotten_cb, g_steal_pointer (&task));
}

void
_sd_credentials_list_accounts_async (gpointer             source_tag,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) attributes = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  attributes = kind_attributes (KIND_TOKEN);
  search_async (attributes, cancellable, searched_for_accounts_cb, g_steal_pointer (&task));
}
