/* sd-server-auth.c — sign-in, sign-out, authentication and what each user may see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-auth.h"
#include "sd-server-private.h"

gboolean
_sd_role_sees_everything (SdRole role)
{
  return role == SD_ROLE_ADMIN || role == SD_ROLE_ENGINEER;
}

gboolean
_sd_customer_is_visible_to (SdCustomer *customer,
                            const char *user_id)
{
  const char * const *duty = sd_customer_get_duty_manager_ids (customer);

  return g_strcmp0 (sd_customer_get_tam_id (customer), user_id) == 0
         || (duty != NULL && g_strv_contains (duty, user_id));
}

/* The customers the user may see; NULL means all of them. */
const char * const *
_sd_request_visible (SdRequest *req)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GHashTable) deputy_for = NULL;
  SdStoreQuery query = { 0 };

  if (req->visible_loaded)
    return (const char * const *) req->visible;
  req->visible_loaded = TRUE;

  if (_sd_role_sees_everything (sd_user_get_role (req->user)))
    return NULL;

  ids = g_ptr_array_new ();
  deputy_for = _sd_tams_deputised_by (req->store, req->user_id);
  records = sd_store_list (req->store, "customer", &query, NULL);
  for (guint i = 0; records && i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = sd_json_parse (record->body, -1, NULL);
      g_autoptr(SdCustomer) customer = node ? sd_customer_from_json (node, NULL, NULL) : NULL;

      /* A deputy sees the customers of the TAMs they stand in for. */
      if (customer != NULL
          && (_sd_customer_is_visible_to (customer, req->user_id)
              || (sd_customer_get_tam_id (customer) != NULL
                  && g_hash_table_contains (deputy_for, sd_customer_get_tam_id (customer)))))
        g_ptr_array_add (ids, g_strdup (record->id));
    }
  g_ptr_array_add (ids, NULL);
  req->visible = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  return (const char * const *) req->visible;
}

gboolean
_sd_request_may_see (SdRequest  *req,
                     const char *customer_id)
{
  const char * const *visible = _sd_request_visible (req);

  return visible == NULL || (customer_id != NULL && g_strv_contains (visible, customer_id));
}

/* A record the user may see, or a 404 already sent. */
SdStoreRecord *
_sd_request_get_visible (SdRequest  *req,
                         const char *kind,
                         const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, kind, id, &error);

  if (record == NULL)
    {
      _sd_respond_store_error (req, error);
      return NULL;
    }
  if (record->customer_id != NULL && !_sd_request_may_see (req, record->customer_id))
    {
      _sd_respond_not_found (req);
      return NULL;
    }
  return g_steal_pointer (&record);
}

/* ------------------------------------------------------------------- auth */

typedef struct {
  SdServer          *server;
  SoupServerMessage *msg;
  char              *login;
  char              *throttle_key;
  char              *password;
  char              *user_id;
  char              *password_hash;
} SignIn;

/* Sign-in attempts: in the database when the store keeps them, so that
 * every server on it counts alike (docs/storage.md); otherwise, or when
 * the database fails, in this server's memory. */
static gint64
count_attempt (SdServer   *server,
               const char *key,
               gint64      now)
{
  g_autoptr(GError) error = NULL;
  gint64 retry_after;

  if (!sd_store_keeps_attempts (server->store))
    return sd_throttle_count (server->attempts, key, now);
  if ((retry_after = sd_store_count_attempt (server->store, key, now, THROTTLE_FAILURES,
                                             THROTTLE_WINDOW, &error)) < 0)
    {
      g_warning ("sign-in attempts: %s", error->message);
      return sd_throttle_count (server->attempts, key, now);
    }
  return retry_after;
}

static void
forget_attempts (SdServer   *server,
                 const char *key)
{
  g_autoptr(GError) error = NULL;

  sd_throttle_forget (server->attempts, key);
  if (sd_store_keeps_attempts (server->store) && !sd_store_forget_attempts (server->store, key, &error))
    g_warning ("sign-in attempts: %s", error->message);
}

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->server);
  g_clear_object (&sign_in->msg);
  g_free (sign_in->login);
  g_free (sign_in->throttle_key);
  if (sign_in->password != NULL)
    {
      memset (sign_in->password, 0, strlen (sign_in->password));
      g_free (sign_in->password);
    }
  g_free (sign_in->user_id);
  g_free (sign_in->password_hash);
  g_free (sign_in);
}

static void
sign_in_verify_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SignIn *sign_in = task_data;

  g_task_return_boolean (task, sd_auth_verify_password (sign_in->password_hash, sign_in->password));
}

/* A deactivated user signs in like a wrong password: nothing said. */
static gboolean
user_is_active (SdStore    *store,
                const char *user_id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (store, "user", user_id, NULL);
  g_autoptr(JsonNode) node = record ? sd_json_parse (record->body, -1, NULL) : NULL;
  g_autoptr(SdUser) user = node ? sd_user_from_json (node, NULL, NULL) : NULL;

  return user != NULL && sd_user_get_active (user);
}

static void
sign_in_verified_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SignIn *sign_in = g_task_get_task_data (G_TASK (result));
  SdRequest req = { .server = sign_in->server, .msg = sign_in->msg, .store = sign_in->server->store,
                    .calendars = sign_in->server->calendars };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;

  sign_in->server->checking--;
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || sign_in->user_id == NULL
      || !user_is_active (sign_in->server->store, sign_in->user_id))
    {
      _sd_respond_problem (&req, SOUP_STATUS_UNAUTHORIZED, "sign-in",
                           "Wrong login or password", NULL, NULL);
    }
  else
    {
      g_autofree char *token = sd_auth_new_token ();
      g_autofree char *token_hash = sd_auth_hash_token (token);
      gint64 expires_at = now + TOKEN_LIFETIME;

      forget_attempts (sign_in->server, sign_in->throttle_key);
      if (!sd_store_add_token (sign_in->server->store, token_hash, sign_in->user_id, expires_at, &error))
        _sd_respond_store_error (&req, error);
      else
        {
          g_autoptr(SdStoreRecord) user = sd_store_get (sign_in->server->store, "user", sign_in->user_id, NULL);
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autoptr(JsonNode) user_node = user ? sd_json_parse (user->body, -1, NULL) : NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "token");
          json_builder_add_string_value (builder, token);
          json_builder_set_member_name (builder, "token_type");
          json_builder_add_string_value (builder, "Bearer");
          sd_json_builder_add_time (builder, "expires_at", expires_at);
          json_builder_set_member_name (builder, "user");
          if (user_node != NULL)
            json_builder_add_value (builder, g_steal_pointer (&user_node));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          _sd_request_set_header (&req, "Cache-Control", "no-store");
          _sd_respond_node (&req, SOUP_STATUS_CREATED, root);
        }
    }
  soup_server_message_unpause (sign_in->msg);
}

/* An argon2id hash of a password nobody has, so that an unknown login
 * costs as much time as a wrong password. */
static const char *
dummy_hash (void)
{
  static gsize initialized;
  static char *hash;

  if (g_once_init_enter (&initialized))
    {
      hash = sd_auth_hash_password ("not a password", NULL);
      g_once_init_leave (&initialized, 1);
    }
  return hash;
}

void
_sd_handle_sign_in (SdRequest *req)
{
  static const char * const known[] = { "login", "password", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  const char *login = NULL, *password = NULL;
  g_autofree char *throttle_key = NULL;
  JsonObject *body;
  SignIn *sign_in;
  gint64 retry_after = 0;

  if (!(body = _sd_read_body (req, &root)))
    return;
  if (!sd_json_check_fields (body, NULL, known, &error)
      || !sd_json_get_text (body, NULL, "login", TRUE, &login, &error)
      || !sd_json_get_text (body, NULL, "password", TRUE, &password, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }

  if (strlen (login) > MAX_LOGIN || strlen (password) > MAX_PASSWORD)
    {
      gboolean long_login = strlen (login) > MAX_LOGIN;
      g_autofree char *detail = g_strdup_printf ("Field “%s” is longer than %d bytes",
                                                 long_login ? "login" : "password",
                                                 long_login ? MAX_LOGIN : MAX_PASSWORD);

      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           detail, long_login ? "login" : "password");
      return;
    }

  /* Attempts count per login and client address: a stranger guessing
   * does not lock the owner out from elsewhere. */
  throttle_key = g_strconcat (login, "\x1f", soup_server_message_get_remote_host (req->msg), NULL);
  if ((retry_after = count_attempt (req->server, throttle_key, g_get_real_time () / G_USEC_PER_SEC)) > 0)
    {
      _sd_respond_retry_later (req, 429, retry_after, "throttled", "Too many failed sign-ins");
      return;
    }

  /* Each password check holds 64 MiB for a while: a few at once. */
  if (req->server->checking >= MAX_PASSWORD_CHECKS)
    {
      _sd_respond_retry_later (req, SOUP_STATUS_SERVICE_UNAVAILABLE, 1, "busy",
                               "Too many sign-ins at once");
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->server = g_object_ref (req->server);
  sign_in->msg = g_object_ref (req->msg);
  sign_in->login = g_strdup (login);
  sign_in->throttle_key = g_strdup (throttle_key);
  sign_in->password = g_strdup (password);
  if (!sd_store_get_password (req->store, login, &sign_in->user_id,
                              &sign_in->password_hash, NULL))
    sign_in->password_hash = g_strdup (dummy_hash ());

  /* The KDF is slow on purpose: keep it off the loop that serves requests. */
  req->server->checking++;
  soup_server_message_pause (req->msg);
  task = g_task_new (req->server, NULL, sign_in_verified_cb, NULL);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, sign_in_verify_thread);
}

static char *
bearer_token_hash (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0 || value[7] == '\0')
    return NULL;
  return sd_auth_hash_token (value + 7);
}

void
_sd_handle_sign_out (SdRequest *req)
{
  g_autofree char *token_hash = bearer_token_hash (req->msg);
  g_autoptr(GError) error = NULL;

  if (!sd_store_remove_token (req->store, token_hash, &error))
    _sd_respond_store_error (req, error);
  else
    soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* What a user whose password was reset may do before changing it. */
static gboolean
password_change_allows (SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *method = soup_server_message_get_method (msg);

  return g_str_equal (path, API_PREFIX "/me") || g_str_equal (path, API_PREFIX "/me/password")
         || (g_str_equal (path, API_PREFIX "/auth/token") && g_str_equal (method, "DELETE"));
}

gboolean
_sd_authenticate (SdRequest *req)
{
  g_autofree char *token_hash = bearer_token_hash (req->msg);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (token_hash != NULL)
    req->user_id = sd_store_find_token (req->store, token_hash,
                                        g_get_real_time () / G_USEC_PER_SEC, NULL);
  if (req->user_id != NULL)
    {
      record = sd_store_get (req->store, "user", req->user_id, NULL);
      req->session = g_strndup (token_hash, AUDIT_SESSION_CHARS);
    }
  if (record != NULL)
    node = sd_json_parse (record->body, -1, NULL);
  if (node != NULL)
    req->user = sd_user_from_json (node, NULL, NULL);

  /* A deactivated user's tokens stop working at once. */
  if (req->user != NULL && !sd_user_get_active (req->user))
    g_clear_object (&req->user);
  if (req->user == NULL)
    {
      _sd_request_set_header (req, "WWW-Authenticate", "Bearer realm=\"supportdesk\"");
      _sd_respond_problem (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                           "Sign in first", "Send Authorization: Bearer <token> from POST /api/v1/auth/token.",
                           NULL);
      return FALSE;
    }
  if (sd_user_get_must_change_password (req->user) && !password_change_allows (req->msg))
    {
      _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "password-change-required",
                           "Change your password first",
                           "Your password was reset: POST /api/v1/me/password with the temporary one.", NULL);
      return FALSE;
    }
  return TRUE;
}

void
_sd_handle_me (SdRequest *req)
{
  g_autoptr(JsonNode) node = sd_user_to_json (req->user);

  _sd_set_etag (req, sd_user_get_version (req->user));
  _sd_respond_node (req, SOUP_STATUS_OK, node);
}
