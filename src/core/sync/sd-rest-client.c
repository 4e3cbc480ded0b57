/* sd-rest-client.c — the client object, its session and its requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-rest-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sd-json.h"
#include "sd-rest-client-private.h"
#include "sd-server-url.h"
#include "sd-time.h"

#define DEFAULT_TIMEOUT 30
#define DEFAULT_IDLE_TIMEOUT 60  /* libsoup's own default */

struct _SdRestClient
{
  GObject      parent_instance;

  SoupSession *session;    /* owned; replaced by sd_rest_client_reset_connections() */
  char        *base_url;   /* scheme://host:port/…/api/v1, no trailing slash */
  char        *host;
  char        *token;
  guint        timeout;
  guint        idle_timeout;
  gboolean     accept_invalid_certificate;

  /* Keep-alive connections are closed by this client, not by libsoup:
   * see new_session(). */
  guint        n_active;       /* requests on their way */
  gint64       idle_deadline;  /* monotonic µs; 0 while a request runs */
  GSource     *idle_source;    /* owned, in the client's main context */
};

static void sd_rest_client_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdRestClient, sd_rest_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      sd_rest_client_initable_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_HOST,
  PROP_TOKEN,
  PROP_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_ACCEPT_INVALID_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One call on its way. */
typedef struct
{
  SoupMessage    *message;        /* owned */
  guint           expected;       /* the success status */
  gboolean        expects_body;
  ParseFunc       parse;
  GDestroyNotify  result_free;
} Request;

static void
request_free (Request *request)
{
  g_clear_object (&request->message);
  g_free (request);
}

/* libsoup 3.2 closes an idle keep-alive connection from a timeout source
 * (SoupConnection's idle timer, the session's "idle-timeout"). When the
 * main loop did not run for longer than that timeout (a suspended laptop,
 * SIGSTOP, a debugger, a loaded machine), that overdue source and the
 * session's queue source are ready in the same main-loop iteration. The
 * queue source hands the next request to the idle connection first (state
 * IN_USE); the timer, already collected for dispatch, then runs
 * idle_timeout() → soup_connection_disconnect() on the connection under
 * the running request, which frees the connection's SoupClientMessageIO.
 * The request either waits forever (no socket left to poll) or
 * run_until_read_done() calls through the freed io's function table
 * (soup_client_message_io_get_response_stream(): a jump to address 0).
 * The message's dangling io pointer is fixed upstream by GNOME/libsoup
 * commit 241788da ("message: always get io_data from connection", libsoup
 * issue #525, in 3.7.1); the idle callback still disconnects a connection
 * that is in use there.
 *
 * So the session runs with libsoup's idle timer off and the client
 * enforces the idle timeout itself: a timeout source that replaces the
 * session once no request ran for idle_timeout seconds and, for the frozen
 * loop where that source could not run, the same check before each
 * request, synchronously, before libsoup picks a connection. */
static SoupSession *
new_session (SdRestClient *self)
{
  return soup_session_new_with_options ("user-agent", "SupportDesk/" PACKAGE_VERSION,
                                        "timeout", self->timeout,
                                        "idle-timeout", 0,
                                        NULL);
}

static void
clear_idle_source (SdRestClient *self)
{
  if (self->idle_source == NULL)
    return;
  g_source_destroy (self->idle_source);
  g_clear_pointer (&self->idle_source, g_source_unref);
}

static gboolean
idle_timeout_cb (gpointer user_data)
{
  sd_rest_client_reset_connections (user_data);
  return G_SOURCE_REMOVE;
}

static void
request_started (SdRestClient *self)
{
  if (self->idle_deadline != 0 && g_get_monotonic_time () >= self->idle_deadline)
    sd_rest_client_reset_connections (self);
  clear_idle_source (self);
  self->idle_deadline = 0;
  self->n_active++;
}

static void
request_finished (SdRestClient *self)
{
  g_assert (self->n_active > 0);
  if (--self->n_active > 0)
    return;
  self->idle_deadline = g_get_monotonic_time () + (gint64) self->idle_timeout * G_USEC_PER_SEC;
  clear_idle_source (self);
  self->idle_source = g_timeout_source_new_seconds (self->idle_timeout);
  g_source_set_callback (self->idle_source, idle_timeout_cb, self, NULL);
  g_source_set_static_name (self->idle_source, "[sd-rest-client] idle connections");
  g_source_attach (self->idle_source, g_main_context_get_thread_default ());
}

static void
message_sent_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SdRestClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  gpointer value;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  request_finished (self);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, _sd_rest_error_new_transport (request->message, error,
                                                                 self->host, self->timeout));
      return;
    }

  if (soup_message_get_status (request->message) != request->expected)
    {
      g_task_return_error (task, _sd_rest_error_new_status (request->message, body, self->host));
      return;
    }

  if (!request->expects_body)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  root = _sd_rest_read_success_body (request->message, body, self->host, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  value = request->parse (self, root, &error);
  if (value == NULL)
    {
      g_task_return_error (task, _sd_rest_error_new_contract (error, self->host));
      return;
    }
  g_task_return_pointer (task, value, request->result_free);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SdRestClient *self = user_data;

  return self->accept_invalid_certificate;
}

/* Sends @method @path with @body (may be NULL) and the NULL-terminated
 * name/value @headers; the answer goes through @parse into @task. */
/* Sends @body (may be NULL) as @content_type. */
static void
send_request_bytes (SdRestClient       *self,
                    GTask              *task,
                    const char         *method,
                    const char         *path,
                    GBytes             *body,
                    const char         *content_type,
                    const char * const *headers,
                    gboolean            authorized,
                    guint               expected,
                    ParseFunc           parse,
                    GDestroyNotify      result_free)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &error);
  Request *request;
  SoupMessageHeaders *request_headers;

  if (uri == NULL)
    {
      g_task_return_new_error (task, SD_REST_ERROR, SD_REST_ERROR_BAD_URL,
                               _("Not a valid address: %s"), url);
      g_object_unref (task);
      return;
    }

  request = g_new0 (Request, 1);
  request->message = soup_message_new_from_uri (method, uri);
  request->expected = expected;
  request->expects_body = parse != NULL;
  request->parse = parse;
  request->result_free = result_free;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);
  g_signal_connect_object (request->message, "accept-certificate",
                           G_CALLBACK (accept_certificate_cb), self, 0);

  request_headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (request_headers, "Accept", "application/json, application/problem+json");
  if (authorized && self->token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (request_headers, "Authorization", value);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    if (headers[i + 1] != NULL)
      soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->message, content_type, body);

  request_started (self);
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task),
                                    message_sent_cb, task);
}

static void
send_request (SdRestClient       *self,
              GTask              *task,
              const char         *method,
              const char         *path,
              JsonNode           *body,
              const char * const *headers,
              gboolean            authorized,
              guint               expected,
              ParseFunc           parse,
              GDestroyNotify      result_free)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      g_autofree char *text = sd_json_to_string (body, FALSE);
      gsize length = strlen (text);

      bytes = g_bytes_new_take (g_steal_pointer (&text), length);
    }
  send_request_bytes (self, task, method, path, bytes, "application/json", headers, authorized,
                      expected, parse, result_free);
}

/* GObject. */

static gboolean
sd_rest_client_initable_init (GInitable     *initable,
                              GCancellable  *cancellable,
                              GError       **error)
{
  SdRestClient *self = SD_REST_CLIENT (initable);
  g_autofree char *normal = sd_server_url_normalize (self->base_url, error);
  g_autoptr(GUri) uri = NULL;

  if (normal == NULL)
    return FALSE;
  uri = g_uri_parse (normal, G_URI_FLAGS_NONE, NULL);
  g_free (self->host);
  self->host = g_strdup (g_uri_get_host (uri));
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normal);
  return TRUE;
}

static void
sd_rest_client_initable_iface_init (GInitableIface *iface)
{
  iface->init = sd_rest_client_initable_init;
}

static void
sd_rest_client_finalize (GObject *object)
{
  SdRestClient *self = SD_REST_CLIENT (object);

  clear_idle_source (self);
  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self->host);
  g_free (self->token);

  G_OBJECT_CLASS (sd_rest_client_parent_class)->finalize (object);
}

static void
sd_rest_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SdRestClient *self = SD_REST_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;

    case PROP_ACCEPT_INVALID_CERTIFICATE:
      g_value_set_boolean (value, self->accept_invalid_certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_rest_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SdRestClient *self = SD_REST_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (self->base_url);
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_TOKEN:
      sd_rest_client_set_token (self, g_value_get_string (value));
      break;

    case PROP_TIMEOUT:
      sd_rest_client_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_IDLE_TIMEOUT:
      sd_rest_client_set_idle_timeout (self, g_value_get_uint (value));
      break;

    case PROP_ACCEPT_INVALID_CERTIFICATE:
      sd_rest_client_set_accept_invalid_certificate (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_rest_client_class_init (SdRestClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_rest_client_finalize;
  object_class->get_property = sd_rest_client_get_property;
  object_class->set_property = sd_rest_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 1, 3600, DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCEPT_INVALID_CERTIFICATE] =
    g_param_spec_boolean ("accept-invalid-certificate", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_rest_client_init (SdRestClient *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->session = new_session (self);
}

/* Public API. */

SdRestClient *
sd_rest_client_new (const char  *base_url,
                    const char  *token,
                    GError     **error)
{
  return g_initable_new (SD_TYPE_REST_CLIENT, NULL, error,
                         "base-url", base_url,
                         "token", token,
                         NULL);
}

const char *
sd_rest_client_get_base_url (SdRestClient *self)
{
  g_return_val_if_fail (SD_IS_REST_CLIENT (self), NULL);

  return self->base_url;
}

const char *
sd_rest_client_get_host (SdRestClient *self)
{
  g_return_val_if_fail (SD_IS_REST_CLIENT (self), NULL);

  return self->host;
}

const char *
sd_rest_client_get_token (SdRestClient *self)
{
  g_return_val_if_fail (SD_IS_REST_CLIENT (self), NULL);

  return self->token;
}

void
sd_rest_client_set_token (SdRestClient *self,
                          const char   *token)
{
  g_return_if_fail (SD_IS_REST_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

guint
sd_rest_client_get_timeout (SdRestClient *self)
{
  g_return_val_if_fail (SD_IS_REST_CLIENT (self), 0);

  return self->timeout;
}

void
sd_rest_client_set_timeout (SdRestClient *self,
                            guint         seconds)
{
  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
sd_rest_client_get_idle_timeout (SdRestClient *self)
{
  g_return_val_if_fail (SD_IS_REST_CLIENT (self), 0);

  return self->idle_timeout;
}

void
sd_rest_client_set_idle_timeout (SdRestClient *self,
                                 guint         seconds)
{
  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

void
sd_rest_client_reset_connections (SdRestClient *self)
{
  g_return_if_fail (SD_IS_REST_CLIENT (self));

  g_debug ("closing the idle connections to %s", self->host);
  clear_idle_source (self);
  self->idle_deadline = 0;
  /* Requests on their way keep the old session (their tasks hold it) and
   * finish on it; its idle connections close when it goes. */
  g_clear_object (&self->session);
  self->session = new_session (self);
}

gboolean
sd_rest_client_get_accept_invalid_certificate (SdRestClient *self)
{
  g_return_val_if_fail (SD_IS_REST_CLIENT (self), FALSE);

  return self->accept_invalid_certificate;
}

void
sd_rest_client_set_accept_invalid_certificate (SdRestClient *self,
                                               gboolean      accept)
{
  g_return_if_fail (SD_IS_REST_CLIENT (self));

  accept = !!accept;
  if (self->accept_invalid_certificate == accept)
    return;
  self->accept_invalid_certificate = accept;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCEPT_INVALID_CERTIFICATE]);
}

static GTask *
new_task (SdRestClient        *self,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SdRestClient *self = SD_REST_CLIENT (object);
  GError *error = NULL;
  SignIn *sign_in = g_task_propagate_pointer (G_TASK (result), &error);

  if (sign_in == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  sd_rest_client_set_token (self, sign_in->token);
  g_task_return_pointer (task, sign_in, (GDestroyNotify) _sd_rest_sign_in_free);
}

void
sd_rest_client_sign_in_async (SdRestClient        *self,
                              const char          *login,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  GTask *outer;
  GTask *inner;

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (login != NULL);
  g_return_if_fail (password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, login);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  outer = new_task (self, cancellable, callback, user_data, sd_rest_client_sign_in_async);
  inner = g_task_new (self, cancellable, signed_in_cb, outer);
  send_request (self, inner, "POST", "/auth/token", body, NULL, FALSE,
                SOUP_STATUS_CREATED, _sd_rest_parse_sign_in, (GDestroyNotify) _sd_rest_sign_in_free);
}

gboolean
sd_rest_client_sign_in_finish (SdRestClient  *self,
                               GAsyncResult  *result,
                               char         **token,
                               gint64        *expires_at,
                               SdUser       **user,
                               GError       **error)
{
  SignIn *sign_in;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_sign_in_async, FALSE);

  sign_in = g_task_propagate_pointer (G_TASK (result), error);
  if (sign_in == NULL)
    return FALSE;
  if (token != NULL)
    *token = g_strdup (sign_in->token);
  if (expires_at != NULL)
    *expires_at = sign_in->expires_at;
  if (user != NULL)
    *user = sign_in->user ? g_object_ref (sign_in->user) : NULL;
  _sd_rest_sign_in_free (sign_in);
  return TRUE;
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  sd_rest_client_set_token (SD_REST_CLIENT (object), NULL);
  g_task_return_boolean (task, TRUE);
}

void
sd_rest_client_sign_out_async (SdRestClient        *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *outer;
  GTask *inner;

  g_return_if_fail (SD_IS_REST_CLIENT (self));

  outer = new_task (self, cancellable, callback, user_data, sd_rest_client_sign_out_async);
  inner = g_task_new (self, cancellable, signed_out_cb, outer);
  send_request (self, inner, "DELETE", "/auth/token", NULL, NULL, TRUE,
                SOUP_STATUS_NO_CONTENT, NULL, NULL);
}

gboolean
sd_rest_client_sign_out_finish (SdRestClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_sign_out_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_rest_client_me_async (SdRestClient        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (SD_IS_REST_CLIENT (self));

  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_me_async),
                "GET", "/me", NULL, NULL, TRUE, SOUP_STATUS_OK, _sd_rest_parse_user, g_object_unref);
}

SdUser *
sd_rest_client_me_finish (SdRestClient  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_me_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_rest_client_changes_async (SdRestClient        *self,
                              gint64               after,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (after >= 0);

  if (limit > 0)
    path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT "&limit=%u", after, limit);
  else
    path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT, after);
  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_changes_async),
                "GET", path, NULL, NULL, TRUE, SOUP_STATUS_OK,
                _sd_rest_parse_changes, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_changes_finish (SdRestClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_changes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
path_is_valid (const char *path)
{
  return path != NULL && path[0] == '/' && strpbrk (path, "?#") == NULL;
}

void
sd_rest_client_create_async (SdRestClient        *self,
                             const char          *path,
                             JsonNode            *body,
                             const char          *idempotency_key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  const char *headers[] = { "Idempotency-Key", idempotency_key, NULL };

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (path_is_valid (path));
  g_return_if_fail (body != NULL);

  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_create_async),
                "POST", path, body, headers, TRUE, SOUP_STATUS_CREATED,
                _sd_rest_parse_entity, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_create_finish (SdRestClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_rest_client_update_async (SdRestClient        *self,
                             const char          *path,
                             JsonNode            *patch,
                             gint64               base_version,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *if_match = NULL;
  const char *headers[] = { "If-Match", NULL, NULL };

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (path_is_valid (path));
  g_return_if_fail (patch != NULL);
  g_return_if_fail (base_version > 0);

  if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", base_version);
  headers[1] = if_match;
  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_update_async),
                "PATCH", path, patch, headers, TRUE, SOUP_STATUS_OK,
                _sd_rest_parse_entity, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_update_finish (SdRestClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_update_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_rest_client_append_event_async (SdRestClient        *self,
                                   const char          *case_id,
                                   JsonNode            *body,
                                   const char          *idempotency_key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  const char *headers[] = { "Idempotency-Key", idempotency_key, NULL };

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (case_id != NULL && *case_id != '\0');
  g_return_if_fail (body != NULL);

  escaped = g_uri_escape_string (case_id, NULL, FALSE);
  path = g_strconcat ("/cases/", escaped, "/events", NULL);
  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_append_event_async),
                "POST", path, body, headers, TRUE, SOUP_STATUS_CREATED,
                _sd_rest_parse_entity, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_append_event_finish (SdRestClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_append_event_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_rest_client_audit_async (SdRestClient        *self,
                            const char          *kind,
                            const char          *id,
                            const char          *cursor,
                            guint                limit,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autofree char *entity = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr(GString) path = g_string_new ("/audit?entity=");

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (kind != NULL && id != NULL);

  entity = g_strconcat (kind, "/", id, NULL);
  escaped = g_uri_escape_string (entity, "/", FALSE);
  g_string_append (path, escaped);
  if (cursor != NULL)
    {
      g_autofree char *escaped_cursor = g_uri_escape_string (cursor, NULL, FALSE);

      g_string_append_printf (path, "&cursor=%s", escaped_cursor);
    }
  if (limit > 0)
    g_string_append_printf (path, "&limit=%u", limit);
  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_audit_async),
                "GET", path->str, NULL, NULL, TRUE, SOUP_STATUS_OK,
                _sd_rest_parse_audit, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_audit_finish (SdRestClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_audit_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The version in the ETag of the request's answer; 0 when it has none. */
static gint64
etag_version (Request *request)
{
  const char *etag = soup_message_headers_get_one (soup_message_get_response_headers (request->message), "ETag");
  g_autofree char *bare = NULL;
  guint64 version = 0;

  if (etag == NULL)
    return 0;
  bare = g_strdup (etag + (g_str_has_prefix (etag, "W/") ? 2 : 0));
  g_strstrip (bare);
  g_strdelimit (bare, "\"", ' ');
  g_strstrip (bare);
  if (!g_ascii_string_to_unsigned (bare, 10, 1, G_MAXINT64, &version, NULL))
    return 0;
  return (gint64) version;
}

void
sd_rest_client_get_async (SdRestClient        *self,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (path_is_valid (path));

  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_get_async),
                "GET", path, NULL, NULL, TRUE, SOUP_STATUS_OK,
                _sd_rest_parse_entity, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_get_finish (SdRestClient  *self,
                           GAsyncResult  *result,
                           gint64        *version,
                           GError       **error)
{
  JsonNode *node;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_get_async, NULL);

  node = g_task_propagate_pointer (G_TASK (result), error);
  if (node != NULL && version != NULL)
    *version = etag_version (g_task_get_task_data (G_TASK (result)));
  return node;
}

void
sd_rest_client_import_calendar_async (SdRestClient        *self,
                                      const char          *calendar_id,
                                      GBytes              *data,
                                      const char          *content_type,
                                      gint64               base_version,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *if_match = NULL;
  const char *headers[] = { "If-Match", NULL, NULL };

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (calendar_id != NULL && *calendar_id != '\0');
  g_return_if_fail (data != NULL && content_type != NULL);
  g_return_if_fail (base_version > 0);

  escaped = g_uri_escape_string (calendar_id, NULL, FALSE);
  path = g_strconcat ("/calendars/", escaped, "/import", NULL);
  if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", base_version);
  headers[1] = if_match;
  send_request_bytes (self, new_task (self, cancellable, callback, user_data, sd_rest_client_import_calendar_async),
                      "POST", path, data, content_type, headers, TRUE, SOUP_STATUS_OK,
                      _sd_rest_parse_entity, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_import_calendar_finish (SdRestClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_import_calendar_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_rest_client_delete_async (SdRestClient        *self,
                             const char          *path,
                             gint64               base_version,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *if_match = NULL;
  const char *headers[] = { "If-Match", NULL, NULL };

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (path_is_valid (path));
  g_return_if_fail (base_version > 0);

  if_match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", base_version);
  headers[1] = if_match;
  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_delete_async),
                "DELETE", path, NULL, headers, TRUE, SOUP_STATUS_NO_CONTENT, NULL, NULL);
}

gboolean
sd_rest_client_delete_finish (SdRestClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_delete_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------ administration */

void
sd_rest_client_post_action_async (SdRestClient        *self,
                                  const char          *path,
                                  JsonNode            *body,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  const char *headers[] = { NULL };

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (path_is_valid (path));
  g_return_if_fail (body != NULL);

  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_post_action_async),
                "POST", path, body, headers, TRUE, SOUP_STATUS_OK,
                _sd_rest_parse_entity, (GDestroyNotify) json_node_unref);
}

JsonNode *
sd_rest_client_post_action_finish (SdRestClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_post_action_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sd_rest_client_change_password_async (SdRestClient        *self,
                                      const char          *current_password,
                                      const char          *new_password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (SD_IS_REST_CLIENT (self));
  g_return_if_fail (current_password != NULL && new_password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "current_password");
  json_builder_add_string_value (builder, current_password);
  json_builder_set_member_name (builder, "new_password");
  json_builder_add_string_value (builder, new_password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  send_request (self, new_task (self, cancellable, callback, user_data, sd_rest_client_change_password_async),
                "POST", "/me/password", body, NULL, TRUE, SOUP_STATUS_NO_CONTENT, NULL, NULL);
}

gboolean
sd_rest_client_change_password_finish (SdRestClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sd_rest_client_change_password_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
