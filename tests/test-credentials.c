/* test-credentials.c — tokens and passwords in the real keyring
 *
 * Runs against the Secret Service on the session bus; CI runs the suite under
 * build-aux/headless.sh, which starts an unlocked gnome-keyring with fresh
 * XDG directories. Elsewhere the keyring tests are skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include <libsecret/secret.h>
#include <supportdesk.h>

#define SECRETS_BUS_NAME "org.freedesktop.secrets"
#define ASYNC_TIMEOUT_SECONDS 30

static char *run_tag;          /* distinguishes this run's accounts from any others */
static GPtrArray *secrets_used; /* every token and password this run stored */

/* libsecret 0.20 completes an async search once for every item that was
 * deleted by another process while the search loaded it, which GIO reports
 * as a critical ("!task->ever_returned"). Other tests of the suite store and
 * delete items in the same keyring at the same time, so that one critical is
 * logged as a test message instead of failing the run; sd-credentials
 * searches again in that case. Any other critical stays fatal. */
static gboolean
is_libsecret_search_race (const char *log_domain,
                          const char *message)
{
  return g_strcmp0 (log_domain, "GLib-GIO") == 0
         && strstr (message, "task->ever_returned") != NULL;
}

static gboolean
not_fatal_if_search_race_cb (const char     *log_domain,
                             GLogLevelFlags  log_level,
                             const char     *message,
                             gpointer        user_data)
{
  return !is_libsecret_search_race (log_domain, message);
}

static void
gio_critical_cb (const char     *log_domain,
                 GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  if (is_libsecret_search_race (log_domain, message))
    g_test_message ("libsecret search raced with a deletion: %s", message);
  else
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static gboolean
require_keyring (void)
{
  static int available = -1;
  static char *reason;

  if (available < 0)
    {
      const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
      g_autoptr(GDBusConnection) bus = NULL;
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GError) error = NULL;
      gboolean owned = FALSE;

      available = 1;
      for (guint i = 0; i < G_N_ELEMENTS (dirs) && available; i++)
        if (g_getenv (dirs[i]) == NULL)
          {
            reason = g_strdup_printf ("%s is not set: the keyring tests only run with fresh "
                                      "XDG directories (build-aux/headless.sh)", dirs[i]);
            available = 0;
          }

      if (available)
        {
          bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
          if (bus != NULL)
            reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
                                                 "/org/freedesktop/DBus",
                                                 "org.freedesktop.DBus", "NameHasOwner",
                                                 g_variant_new ("(s)", SECRETS_BUS_NAME),
                                                 G_VARIANT_TYPE ("(b)"),
                                                 G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
          if (reply != NULL)
            g_variant_get (reply, "(b)", &owned);
          if (!owned)
            {
              reason = g_strdup_printf ("No Secret Service (%s) on the session bus%s%s; run the "
                                        "tests under build-aux/headless.sh",
                                        SECRETS_BUS_NAME,
                                        error != NULL ? ": " : "",
                                        error != NULL ? error->message : "");
              available = 0;
            }
        }
    }

  if (!available)
    {
      g_test_skip (reason);
      return FALSE;
    }

  /* GTest resets the fatal handler before each test case. */
  g_test_log_set_fatal_handler (not_fatal_if_search_race_cb, NULL);
  return TRUE;
}

static char *
server_for (const char *name,
            gboolean    use_async)
{
  /* In the normal form, as the accounts list gives it. */
  return g_strdup_printf ("https://%s-%s-%s.example.com/api/v1",
                          name, use_async ? "async" : "sync", run_tag);
}

static const char *
new_secret (const char *what)
{
  char *secret = g_strdup_printf ("%s-%s-%08x%08x", what, run_tag,
                                  g_random_int (), g_random_int ());

  g_ptr_array_add (secrets_used, secret);
  return secret;
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Async calls run from the default main context, iterated until they are
 * done, as the app's main loop would. */

static gboolean
async_timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  gboolean timed_out = FALSE;
  guint timeout_id;

  /* GIO-style calls never complete before they return. */
  g_assert_null (*result);

  timeout_id = g_timeout_add_seconds (ASYNC_TIMEOUT_SECONDS, async_timed_out_cb, &timed_out);
  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  return *result;
}

static gboolean
store_token (gboolean     use_async,
             const char  *server,
             const char  *login,
             const char  *token,
             gint64       expires_at,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!use_async)
    return sd_credentials_store_token_sync (server, login, token, expires_at, NULL, error);
  sd_credentials_store_token_async (server, login, token, expires_at, NULL,
                                    got_result_cb, &result);
  return sd_credentials_store_token_finish (wait_for_result (&result), error);
}

static char *
lookup_token (gboolean     use_async,
              const char  *server,
              const char  *login,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!use_async)
    return sd_credentials_lookup_token_sync (server, login, NULL, error);
  sd_credentials_lookup_token_async (server, login, NULL, got_result_cb, &result);
  return sd_credentials_lookup_token_finish (wait_for_result (&result), error);
}

static gboolean
store_password (gboolean     use_async,
                const char  *server,
                const char  *login,
                const char  *password,
                GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!use_async)
    return sd_credentials_store_password_sync (server, login, password, NULL, error);
  sd_credentials_store_password_async (server, login, password, NULL, got_result_cb, &result);
  return sd_credentials_store_password_finish (wait_for_result (&result), error);
}

static char *
lookup_password (gboolean     use_async,
                 const char  *server,
                 const char  *login,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!use_async)
    return sd_credentials_lookup_password_sync (server, login, NULL, error);
  sd_credentials_lookup_password_async (server, login, NULL, got_result_cb, &result);
  return sd_credentials_lookup_password_finish (wait_for_result (&result), error);
}

static gboolean
forget (gboolean     use_async,
        const char  *server,
        const char  *login,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!use_async)
    return sd_credentials_forget_sync (server, login, NULL, error);
  sd_credentials_forget_async (server, login, NULL, got_result_cb, &result);
  return sd_credentials_forget_finish (wait_for_result (&result), error);
}

static GPtrArray *
list_accounts (gboolean   use_async,
               GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!use_async)
    return sd_credentials_list_accounts_sync (NULL, error);
  sd_credentials_list_accounts_async (NULL, got_result_cb, &result);
  return sd_credentials_list_accounts_finish (wait_for_result (&result), error);
}

static void
assert_token (gboolean    use_async,
              const char *server,
              const char *login,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = lookup_token (use_async, server, login, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
}

static void
assert_password (gboolean    use_async,
                 const char *server,
                 const char *login,
                 const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = lookup_password (use_async, server, login, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, expected);
}

/* Store → lookup gives the same token; a second store replaces it; the
 * server's trailing slash does not make a different account. */
static void
test_store_lookup (gconstpointer data)
{
  gboolean use_async = GPOINTER_TO_INT (data);
  g_autofree char *server = server_for ("store-lookup", use_async);
  g_autofree char *server_slash = g_strconcat (server, "/", NULL);
  const char *first = new_secret ("token");
  const char *second = new_secret ("token");
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  assert_token (use_async, server, "li.na", NULL);

  g_assert_true (store_token (use_async, server, "li.na", first, 0, &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", first);
  assert_token (use_async, server_slash, "li.na", first);
  assert_token (use_async, server, "li.na.other", NULL);

  g_assert_true (store_token (use_async, server_slash, "li.na", second, now_unix () + 3600,
                              &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", second);

  g_assert_true (forget (use_async, server, "li.na", &error));
  g_assert_no_error (error);
}

/* Accounts that differ by server or by login do not see each other's token. */
static void
test_accounts_separate (gconstpointer data)
{
  gboolean use_async = GPOINTER_TO_INT (data);
  g_autofree char *server_a = server_for ("separate-a", use_async);
  g_autofree char *server_b = server_for ("separate-b", use_async);
  const char *a_lina = new_secret ("token");
  const char *a_wang = new_secret ("token");
  const char *b_lina = new_secret ("token");
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  g_assert_true (store_token (use_async, server_a, "li.na", a_lina, 0, &error));
  g_assert_no_error (error);
  assert_token (use_async, server_a, "wang.wei", NULL);
  assert_token (use_async, server_b, "li.na", NULL);

  g_assert_true (store_token (use_async, server_a, "wang.wei", a_wang, 0, &error));
  g_assert_no_error (error);
  g_assert_true (store_token (use_async, server_b, "li.na", b_lina, 0, &error));
  g_assert_no_error (error);

  assert_token (use_async, server_a, "li.na", a_lina);
  assert_token (use_async, server_a, "wang.wei", a_wang);
  assert_token (use_async, server_b, "li.na", b_lina);
  assert_token (use_async, server_b, "wang.wei", NULL);

  g_assert_true (forget (use_async, server_a, "li.na", &error));
  g_assert_no_error (error);
  assert_token (use_async, server_a, "li.na", NULL);
  assert_token (use_async, server_a, "wang.wei", a_wang);
  assert_token (use_async, server_b, "li.na", b_lina);

  g_assert_true (forget (use_async, server_a, "wang.wei", &error));
  g_assert_no_error (error);
  g_assert_true (forget (use_async, server_b, "li.na", &error));
  g_assert_no_error (error);
}

/* The password is a separate item, and only there once it is asked for. */
static void
test_password_separate (gconstpointer data)
{
  gboolean use_async = GPOINTER_TO_INT (data);
  g_autofree char *server = server_for ("password", use_async);
  const char *token = new_secret ("token");
  const char *password = new_secret ("password");
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  g_assert_true (store_token (use_async, server, "li.na", token, 0, &error));
  g_assert_no_error (error);
  assert_password (use_async, server, "li.na", NULL);

  g_assert_true (store_password (use_async, server, "li.na", password, &error));
  g_assert_no_error (error);
  assert_password (use_async, server, "li.na", password);
  assert_token (use_async, server, "li.na", token);
  assert_password (use_async, server, "wang.wei", NULL);

  g_assert_true (forget (use_async, server, "li.na", &error));
  g_assert_no_error (error);

  /* A password alone is not a token. */
  g_assert_true (store_password (use_async, server, "li.na", password, &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", NULL);
  assert_password (use_async, server, "li.na", password);

  g_assert_true (forget (use_async, server, "li.na", &error));
  g_assert_no_error (error);
}

/* Forget removes the token and the password; forgetting again is fine. */
static void
test_forget (gconstpointer data)
{
  gboolean use_async = GPOINTER_TO_INT (data);
  g_autofree char *server = server_for ("forget", use_async);
  const char *token = new_secret ("token");
  const char *password = new_secret ("password");
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  g_assert_true (store_token (use_async, server, "li.na", token, 0, &error));
  g_assert_no_error (error);
  g_assert_true (store_password (use_async, server, "li.na", password, &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", token);
  assert_password (use_async, server, "li.na", password);

  g_assert_true (forget (use_async, server, "li.na", &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", NULL);
  assert_password (use_async, server, "li.na", NULL);

  g_assert_true (forget (use_async, server, "li.na", &error));
  g_assert_no_error (error);
}

/* An expired token is absent, also when it replaced a valid one. */
static void
test_expiry (gconstpointer data)
{
  gboolean use_async = GPOINTER_TO_INT (data);
  g_autofree char *server = server_for ("expiry", use_async);
  const char *expired = new_secret ("token");
  const char *valid = new_secret ("token");
  const char *replaced = new_secret ("token");
  g_autoptr(GError) error = NULL;

  if (!require_keyring ())
    return;

  g_assert_true (store_token (use_async, server, "li.na", expired, now_unix () - 60, &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", NULL);

  g_assert_true (store_token (use_async, server, "li.na", valid, now_unix () + 3600, &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", valid);

  g_assert_true (store_token (use_async, server, "li.na", replaced, now_unix () - 1, &error));
  g_assert_no_error (error);
  assert_token (use_async, server, "li.na", NULL);

  g_assert_true (forget (use_async, server, "li.na", &error));
  g_assert_no_error (error);
}

/* The accounts of test_list_accounts in this run and mode. */
static GPtrArray *
accounts_of (GPtrArray *accounts,
             gboolean   use_async)
{
  g_autofree char *suffix = g_strdup_printf ("-%s-%s.example.com/api/v1",
                                             use_async ? "async" : "sync", run_tag);
  GPtrArray *mine = g_ptr_array_new ();

  for (guint i = 0; i < accounts->len; i++)
    {
      SdCredentialsAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_has_prefix (account->server, "https://list-")
          && g_str_has_suffix (account->server, suffix))
        g_ptr_array_add (mine, account);
    }
  return mine;
}

/* Exactly the accounts with an unexpired token, once each, sorted. */
static void
test_list_accounts (gconstpointer data)
{
  gboolean use_async = GPOINTER_TO_INT (data);
  g_autofree char *server_a = server_for ("list-a", use_async);
  g_autofree char *server_b = server_for ("list-b", use_async);
  g_autofree char *server_c = server_for ("list-c", use_async);
  g_autofree char *server_d = server_for ("list-d", use_async);
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GError) error = NULL;
  SdCredentialsAccount *account;

  if (!require_keyring ())
    return;

  g_assert_true (store_token (use_async, server_b, "wang.wei", new_secret ("token"), 0, &error));
  g_assert_no_error (error);
  g_assert_true (store_token (use_async, server_a, "li.na", new_secret ("token"),
                              now_unix () + 3600, &error));
  g_assert_no_error (error);
  g_assert_true (store_token (use_async, server_a, "li.na", new_secret ("token"), 0, &error));
  g_assert_no_error (error);
  g_assert_true (store_password (use_async, server_c, "zhao.li", new_secret ("password"),
                                 &error));
  g_assert_no_error (error);
  g_assert_true (store_token (use_async, server_d, "chen.yu", new_secret ("token"),
                              now_unix () - 60, &error));
  g_assert_no_error (error);

  accounts = list_accounts (use_async, &error);
  g_assert_no_error (error);
  g_assert_nonnull (accounts);
  mine = accounts_of (accounts, use_async);
  g_assert_cmpuint (mine->len, ==, 2);
  account = g_ptr_array_index (mine, 0);
  g_assert_cmpstr (account->server, ==, server_a);
  g_assert_cmpstr (account->login, ==, "li.na");
  account = g_ptr_array_index (mine, 1);
  g_assert_cmpstr (account->server, ==, server_b);
  g_assert_cmpstr (account->login, ==, "wang.wei");
  g_clear_pointer (&mine, g_ptr_array_unref);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  g_assert_true (forget (use_async, server_a, "li.na", &error));
  g_assert_no_error (error);
  accounts = list_accounts (use_async, &error);
  g_assert_no_error (error);
  mine = accounts_of (accounts, use_async);
  g_assert_cmpuint (mine->len, ==, 1);
  account = g_ptr_array_index (mine, 0);
  g_assert_cmpstr (account->server, ==, server_b);
  g_clear_pointer (&mine, g_ptr_array_unref);
  g_clear_pointer (&accounts, g_ptr_array_unref);

  g_assert_true (forget (use_async, server_b, "wang.wei", &error));
  g_assert_no_error (error);
  g_assert_true (forget (use_async, server_c, "zhao.li", &error));
  g_assert_no_error (error);
  g_assert_true (forget (use_async, server_d, "chen.yu", &error));
  g_assert_no_error (error);
  accounts = list_accounts (use_async, &error);
  g_assert_no_error (error);
  mine = accounts_of (accounts, use_async);
  g_assert_cmpuint (mine->len, ==, 0);
}

/* One normal form of a server address. */
static void
test_server_url_normalize (void)
{
  const char *forms[][2] = {
    { "http://desk.example.com:8080", "http://desk.example.com:8080/api/v1" },
    { "http://desk.example.com:8080/", "http://desk.example.com:8080/api/v1" },
    { "http://desk.example.com:8080/api/v1", "http://desk.example.com:8080/api/v1" },
    { " http://desk.example.com:8080/api/v1// ", "http://desk.example.com:8080/api/v1" },
    { "HTTPS://Desk.Example.COM:443", "https://desk.example.com/api/v1" },
    { "http://desk.example.com:80/prefix/", "http://desk.example.com/prefix/api/v1" },
    { "http://[::1]:8080", "http://[::1]:8080/api/v1" },
  };
  const char *bad[] = { "", "desk.example.com", "ftp://desk.example.com", "http://user@desk.example.com",
                        "http://desk.example.com/?x=1", "http://desk.example.com/#top", "http:///api/v1" };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = sd_server_url_normalize (forms[i][0], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (normal, ==, forms[i][1]);
      g_assert_true (sd_server_url_equal (forms[i][0], forms[i][1]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normal = sd_server_url_normalize (bad[i], &error);

      g_assert_null (normal);
      g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_BAD_URL);
    }
  g_assert_false (sd_server_url_equal ("http://desk.example.com", "https://desk.example.com"));
  g_assert_false (sd_server_url_equal ("http://desk.example.com:8080", "http://desk.example.com:8081"));
}

/* An item stored with another form of the address (an older version stored
 * the address without the API path) is found, listed once in the normal
 * form, replaced and forgotten through any form. */
static void
test_address_forms (gconstpointer data)
{
  gboolean use_async = GPOINTER_TO_INT (data);
  g_autofree char *normal = server_for ("forms", use_async);
  g_autofree char *bare = g_strndup (normal, strlen (normal) - strlen ("/api/v1"));
  g_autofree char *old_form = g_strconcat (bare, "/", NULL);
  g_autofree char *loud = g_strdup_printf ("HTTPS://%s:443/api/v1/", bare + strlen ("https://"));
  const char *old_token = new_secret ("token");
  const char *new_token = new_secret ("token");
  const SecretSchema schema = {
    SD_CREDENTIALS_SCHEMA_NAME, SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "expires-at", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  guint listed = 0;

  if (!require_keyring ())
    return;

  g_assert_true (secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "old form", old_token,
                                             NULL, &error,
                                             "server", old_form, "login", "li.na", "kind", "token",
                                             "expires-at", "0", NULL));
  g_assert_no_error (error);

  assert_token (use_async, normal, "li.na", old_token);
  assert_token (use_async, bare, "li.na", old_token);
  assert_token (use_async, loud, "li.na", old_token);

  accounts = list_accounts (use_async, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < accounts->len; i++)
    {
      SdCredentialsAccount *account = g_ptr_array_index (accounts, i);

      g_assert_cmpstr (account->server, !=, old_form);
      listed += g_str_equal (account->server, normal);
    }
  g_assert_cmpuint (listed, ==, 1);

  /* Storing through another form replaces the old item. */
  g_assert_true (store_token (use_async, loud, "li.na", new_token, 0, &error));
  g_assert_no_error (error);
  assert_token (use_async, old_form, "li.na", new_token);
  {
    g_autofree char *left = secret_password_lookup_sync (&schema, NULL, &error,
                                                         "server", old_form, "login", "li.na", NULL);
    g_assert_no_error (error);
    g_assert_null (left);
  }

  g_assert_true (forget (use_async, bare, "li.na", &error));
  g_assert_no_error (error);
  assert_token (use_async, normal, "li.na", NULL);
}

/* A cancelled call reports G_IO_ERROR_CANCELLED through its callback. */
static void
test_cancelled (void)
{
  g_autofree char *server = server_for ("cancelled", TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (!require_keyring ())
    return;

  g_cancellable_cancel (cancellable);
  sd_credentials_lookup_token_async (server, "li.na", cancellable, got_result_cb, &result);
  token = sd_credentials_lookup_token_finish (wait_for_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (token);
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  g_assert_false (sd_credentials_store_token_sync ("https://desk.example.com", "", "t", 0,
                                                   NULL, &error));
  g_assert_error (error, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (sd_credentials_store_password_sync ("https://desk.example.com", "li.na", "",
                                                      NULL, &error));
  g_assert_error (error, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_INVALID);
  g_clear_error (&error);

  token = sd_credentials_lookup_token_sync ("///", "li.na", NULL, &error);
  g_assert_error (error, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_INVALID);
  g_assert_null (token);
}

static void
assert_no_keyring_error (const GError *error)
{
  g_assert_error (error, SD_CREDENTIALS_ERROR, SD_CREDENTIALS_ERROR_NO_KEYRING);
  g_assert_true (g_str_has_prefix (error->message, "No keyring is available: "));
  g_assert_cmpuint (strlen (error->message), >, strlen ("No keyring is available: "));
}

/* Without a session bus every call fails at once with a clear error. */
static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *token = NULL;
      g_autoptr(GPtrArray) accounts = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/supportdesk-test-bus", TRUE);

      g_assert_false (sd_credentials_store_token_sync ("https://desk.example.com", "li.na",
                                                       "secret", 0, NULL, &error));
      assert_no_keyring_error (error);
      g_clear_error (&error);

      token = sd_credentials_lookup_token_sync ("https://desk.example.com", "li.na", NULL,
                                                &error);
      g_assert_null (token);
      assert_no_keyring_error (error);
      g_clear_error (&error);

      sd_credentials_list_accounts_async (NULL, got_result_cb, &result);
      accounts = sd_credentials_list_accounts_finish (wait_for_result (&result), &error);
      g_assert_null (accounts);
      assert_no_keyring_error (error);
      g_clear_error (&error);
      g_clear_object (&result);

      sd_credentials_forget_async ("https://desk.example.com", "li.na", NULL,
                                   got_result_cb, &result);
      g_assert_false (sd_credentials_forget_finish (wait_for_result (&result), &error));
      assert_no_keyring_error (error);
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static gboolean
contains (const char *haystack,
          gsize       length,
          const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= length; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Every regular file under @dir that holds one of the run's secrets. */
static void
find_plaintext (const char *dir,
                GPtrArray  *leaks,
                guint      *n_files)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  if (listing == NULL)
    return;

  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      GStatBuf st;

      if (g_lstat (path, &st) != 0)
        continue;
      if (S_ISDIR (st.st_mode))
        {
          find_plaintext (path, leaks, n_files);
          continue;
        }
      if (!S_ISREG (st.st_mode) || !g_file_get_contents (path, &contents, &length, NULL))
        continue;

      (*n_files)++;
      for (guint i = 0; i < secrets_used->len; i++)
        if (contains (contents, length, g_ptr_array_index (secrets_used, i)))
          g_ptr_array_add (leaks, g_strdup_printf ("%s holds %s", path,
                                                   (char *) g_ptr_array_index (secrets_used, i)));
    }
}

static GPtrArray *
scan_xdg_dirs (guint *n_files)
{
  const char *vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
  GPtrArray *leaks = g_ptr_array_new_with_free_func (g_free);

  *n_files = 0;
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    find_plaintext (g_getenv (vars[i]), leaks, n_files);
  return leaks;
}

/* After the tests, and with a token and a password still stored, no file
 * under the XDG directories holds any token or password of the run in plain
 * text, the keyring's own files included. */
static void
test_no_plaintext_on_disk (void)
{
  g_autofree char *server = server_for ("on-disk", FALSE);
  g_autofree char *keyrings = NULL;
  g_autofree char *canary = NULL;
  g_autoptr(GPtrArray) leaks = NULL;
  g_autoptr(GError) error = NULL;
  const char *token = new_secret ("token");
  const char *password = new_secret ("password");
  gboolean keyring_file = FALSE;
  guint n_files = 0;

  if (!require_keyring ())
    return;

  g_assert_true (store_token (FALSE, server, "li.na", token, 0, &error));
  g_assert_no_error (error);
  g_assert_true (store_password (FALSE, server, "li.na", password, &error));
  g_assert_no_error (error);
  assert_token (FALSE, server, "li.na", token);

  /* The secrets did reach the disk, encrypted, under XDG_DATA_HOME/keyrings. */
  keyrings = g_build_filename (g_getenv ("XDG_DATA_HOME"), "keyrings", NULL);
  {
    g_autoptr(GDir) listing = g_dir_open (keyrings, 0, NULL);
    const char *name;

    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      if (g_str_has_suffix (name, ".keyring"))
        keyring_file = TRUE;
  }
  if (!keyring_file)
    g_test_message ("no *.keyring file under %s", keyrings);
  g_assert_true (keyring_file);

  /* The scan finds a secret written in plain text. */
  canary = g_build_filename (g_getenv ("XDG_CACHE_HOME"), "test-credentials-canary", NULL);
  g_assert_true (g_file_set_contents (canary, password, -1, &error));
  g_assert_no_error (error);
  leaks = scan_xdg_dirs (&n_files);
  g_assert_cmpuint (leaks->len, ==, 1);
  g_clear_pointer (&leaks, g_ptr_array_unref);
  g_assert_cmpint (g_unlink (canary), ==, 0);

  leaks = scan_xdg_dirs (&n_files);
  for (guint i = 0; i < leaks->len; i++)
    g_test_message ("plain-text secret: %s", (char *) g_ptr_array_index (leaks, i));
  g_assert_cmpuint (n_files, >, 0);
  g_assert_cmpuint (leaks->len, ==, 0);

  g_assert_true (forget (FALSE, server, "li.na", &error));
  g_assert_no_error (error);
  g_clear_pointer (&leaks, g_ptr_array_unref);
  leaks = scan_xdg_dirs (&n_files);
  g_assert_cmpuint (leaks->len, ==, 0);
}

static void
add_both (const char     *name,
          GTestDataFunc   func)
{
  g_autofree char *sync_path = g_strdup_printf ("/credentials/sync/%s", name);
  g_autofree char *async_path = g_strdup_printf ("/credentials/async/%s", name);

  g_test_add_data_func (sync_path, GINT_TO_POINTER (FALSE), func);
  g_test_add_data_func (async_path, GINT_TO_POINTER (TRUE), func);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_CRITICAL | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
                     gio_critical_cb, NULL);

  run_tag = g_strdup_printf ("%u-%08x", (guint) getpid (), g_random_int ());
  secrets_used = g_ptr_array_new_with_free_func (g_free);

  g_test_add_func ("/credentials/invalid", test_invalid);
  g_test_add_func ("/credentials/no-keyring", test_no_keyring);
  add_both ("store-lookup", test_store_lookup);
  add_both ("accounts-separate", test_accounts_separate);
  add_both ("password-separate", test_password_separate);
  add_both ("forget", test_forget);
  add_both ("expiry", test_expiry);
  add_both ("list-accounts", test_list_accounts);
  add_both ("address-forms", test_address_forms);
  g_test_add_func ("/credentials/server-url-normalize", test_server_url_normalize);
  g_test_add_func ("/credentials/async/cancelled", test_cancelled);
  g_test_add_func ("/credentials/after/no-plaintext-on-disk", test_no_plaintext_on_disk);

  ret = g_test_run ();

  g_ptr_array_unref (secrets_used);
  g_free (run_tag);
  return ret;
}
