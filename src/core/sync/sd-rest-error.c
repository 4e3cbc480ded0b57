/* sd-rest-error.c — the SD_REST_ERROR domain: what a failed call tells
 *
 * Turns a transport failure, an HTTP error status (with its problem
 * document and Retry-After) or an answer that breaks the API contract into
 * a GError, and reads the details back for the callers.
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

typedef struct
{
  guint     status;
  guint     retry_after;
  char     *problem_type;
  char     *field;
  JsonNode *current_entity;
} SdRestErrorPrivate;

static void
sd_rest_error_private_init (SdRestErrorPrivate *priv)
{
  memset (priv, 0, sizeof *priv);
}

static void
sd_rest_error_private_copy (const SdRestErrorPrivate *src,
                            SdRestErrorPrivate       *dest)
{
  dest->status = src->status;
  dest->retry_after = src->retry_after;
  dest->problem_type = g_strdup (src->problem_type);
  dest->field = g_strdup (src->field);
  dest->current_entity = src->current_entity ? json_node_copy (src->current_entity) : NULL;
}

static void
sd_rest_error_private_clear (SdRestErrorPrivate *priv)
{
  g_clear_pointer (&priv->problem_type, g_free);
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->current_entity, json_node_unref);
}

G_DEFINE_EXTENDED_ERROR (SdRestError, sd_rest_error)

static SdRestErrorPrivate *
rest_error_private (const GError *error)
{
  if (error == NULL || error->domain != SD_REST_ERROR)
    return NULL;
  return sd_rest_error_get_private (error);
}

static const char *
certificate_problem (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("it is not signed by a known authority");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("it was issued for another host");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("it has expired");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("its algorithm is insecure");
  return _("it could not be verified");
}

static GError *
rest_error_new (SdRestError  code,
                guint        status,
                const char  *format,
                ...) G_GNUC_PRINTF (3, 4);

static GError *
rest_error_new (SdRestError  code,
                guint        status,
                const char  *format,
                ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (SD_REST_ERROR, code, format, args);
  va_end (args);
  sd_rest_error_get_private (error)->status = status;
  return error;
}

GError *
_sd_rest_error_new_transport (SoupMessage  *message,
                              const GError *error,
                              const char   *host,
                              guint         timeout)
{
  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (message);

      if (error->code == G_TLS_ERROR_BAD_CERTIFICATE || flags != 0)
        return rest_error_new (SD_REST_ERROR_TLS, 0,
                               _("The certificate of %s is not trusted: %s"),
                               host, certificate_problem (flags));
      return rest_error_new (SD_REST_ERROR_TLS, 0,
                             _("Could not set up a secure connection to %s: %s"),
                             host, error->message);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return rest_error_new (SD_REST_ERROR_TIMEOUT, 0,
                           _("%s did not answer within %u seconds"),
                           host, timeout);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
      || error->domain == SOUP_SESSION_ERROR)
    return rest_error_new (SD_REST_ERROR_PROTOCOL, 0,
                           _("The answer from %s was cut short or malformed: %s"),
                           host, error->message);
  if (error->domain == G_RESOLVER_ERROR)
    return rest_error_new (SD_REST_ERROR_NETWORK, 0,
                           _("Could not find the server %s: %s"),
                           host, error->message);
  return rest_error_new (SD_REST_ERROR_NETWORK, 0,
                         _("Could not reach %s: %s"),
                         host, error->message);
}

/* Seconds from a Retry-After header: delta-seconds or an HTTP date. */
static guint
parse_retry_after (const char *value)
{
  g_autofree char *text = NULL;
  guint64 seconds;

  if (value == NULL)
    return 0;
  text = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &seconds, NULL))
    return (guint) seconds;

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (text);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GTimeSpan span;

    if (when == NULL)
      return 0;
    span = g_date_time_difference (when, now);
    if (span <= 0)
      return 0;
    return (guint) MIN ((span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, G_MAXUINT32);
  }
}

static gboolean
content_type_is (SoupMessage *message,
                 const char  *type)
{
  const char *actual = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);

  return actual != NULL && g_ascii_strcasecmp (actual, type) == 0;
}

GError *
_sd_rest_error_new_status (SoupMessage *message,
                           GBytes      *body,
                           const char  *host)
{
  guint status = soup_message_get_status (message);
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *problem = NULL;
  const char *type = NULL;
  const char *detail = NULL;
  const char *title = NULL;
  const char *field = NULL;
  const char *reason;
  SdRestErrorPrivate *priv;
  GError *error;
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;

  if (size > 0
      && (content_type_is (message, "application/problem+json")
          || content_type_is (message, "application/json")))
    root = sd_json_parse (data, size, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    problem = json_node_get_object (root);

  if (problem != NULL && status != SOUP_STATUS_PRECONDITION_FAILED)
    {
      sd_json_get_string (problem, NULL, "type", FALSE, &type, NULL);
      sd_json_get_string (problem, NULL, "title", FALSE, &title, NULL);
      sd_json_get_string (problem, NULL, "detail", FALSE, &detail, NULL);
      sd_json_get_string (problem, NULL, "field", FALSE, &field, NULL);
    }
  reason = detail ? detail : title ? title : soup_message_get_reason_phrase (message);
  if (reason == NULL || *reason == '\0')
    reason = soup_status_get_phrase (status);

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      if (g_strcmp0 (type, "urn:supportdesk:problem:sign-in") == 0)
        error = rest_error_new (SD_REST_ERROR_UNAUTHORIZED, status,
                                _("Wrong login or password"));
      else
        error = rest_error_new (SD_REST_ERROR_UNAUTHORIZED, status,
                                _("%s did not accept the sign-in; sign in again"), host);
      break;

    case SOUP_STATUS_FORBIDDEN:
      error = rest_error_new (SD_REST_ERROR_FORBIDDEN, status,
                              _("Not allowed: %s"), reason);
      break;

    case SOUP_STATUS_NOT_FOUND:
      error = rest_error_new (SD_REST_ERROR_NOT_FOUND, status,
                              _("Not found on %s: %s"), host, reason);
      break;

    case SOUP_STATUS_PRECONDITION_FAILED:
      if (problem == NULL || !content_type_is (message, "application/json"))
        return rest_error_new (SD_REST_ERROR_PROTOCOL, status,
                               _("%s reported a version conflict without the current entity"),
                               host);
      error = rest_error_new (SD_REST_ERROR_CONFLICT, status,
                              _("Someone else changed this on %s in the meantime"), host);
      sd_rest_error_get_private (error)->current_entity = g_steal_pointer (&root);
      return error;

    case 428: /* Precondition Required */
      error = rest_error_new (SD_REST_ERROR_PRECONDITION_REQUIRED, status,
                              _("%s needs the version this change is based on: %s"),
                              host, reason);
      break;

    case SOUP_STATUS_CONFLICT:
      if (g_strcmp0 (type, "urn:supportdesk:problem:resync") == 0)
        error = rest_error_new (SD_REST_ERROR_RESYNC, status,
                                _("The data on %s was replaced; everything must be fetched again"),
                                host);
      else
        error = rest_error_new (SD_REST_ERROR_EXISTS, status, "%s", reason);
      break;

    case SOUP_STATUS_REQUEST_TIMEOUT:
      error = rest_error_new (SD_REST_ERROR_TIMEOUT, status,
                              _("%s did not receive the request in time"), host);
      break;

    case 429: /* Too Many Requests */
      error = rest_error_new (SD_REST_ERROR_THROTTLED, status,
                              _("%s is refusing requests for a while: %s"), host, reason);
      break;

    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      if (soup_message_headers_get_one (headers, "Retry-After") != NULL)
        error = rest_error_new (SD_REST_ERROR_THROTTLED, status,
                                _("%s is unavailable for a while: %s"), host, reason);
      else
        error = rest_error_new (SD_REST_ERROR_SERVER, status,
                                _("%s is unavailable: %s"), host, reason);
      break;

    default:
      if (status >= 500 && status <= 599)
        error = rest_error_new (SD_REST_ERROR_SERVER, status,
                                _("%s failed (HTTP %u): %s"), host, status, reason);
      else if (status >= 400 && status <= 499)
        error = rest_error_new (SD_REST_ERROR_INVALID, status, "%s", reason);
      else
        error = rest_error_new (SD_REST_ERROR_PROTOCOL, status,
                                _("%s gave an unexpected answer (HTTP %u)"), host, status);
      break;
    }

  priv = sd_rest_error_get_private (error);
  priv->retry_after = parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"));
  priv->problem_type = g_strdup (type);
  priv->field = g_strdup (field);
  return error;
}

JsonNode *
_sd_rest_read_success_body (SoupMessage  *message,
                            GBytes       *body,
                            const char   *host,
                            GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  goffset declared = soup_message_headers_get_content_length (headers);
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  JsonNode *root;

  if (!content_type_is (message, "application/json"))
    {
      const char *actual = soup_message_headers_get_content_type (headers, NULL);

      g_propagate_error (error, rest_error_new (SD_REST_ERROR_PROTOCOL, soup_message_get_status (message),
                                                _("%s answered with %s instead of JSON"),
                                                host, actual ? actual : _("no content type")));
      return NULL;
    }
  /* A coded answer's length is the coded one: libsoup's decoder, which
   * hands over the decoded body, fails on a cut-short stream itself. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_one (headers, "Content-Encoding") == NULL
      && declared >= 0 && (goffset) size != declared)
    {
      g_propagate_error (error, rest_error_new (SD_REST_ERROR_PROTOCOL, soup_message_get_status (message),
                                                _("The answer from %s was cut short"), host));
      return NULL;
    }
  if (size == 0)
    {
      g_propagate_error (error, rest_error_new (SD_REST_ERROR_PROTOCOL, soup_message_get_status (message),
                                                _("%s answered with an empty body"), host));
      return NULL;
    }
  root = sd_json_parse (data, size, &local_error);
  if (root == NULL)
    {
      g_propagate_error (error, rest_error_new (SD_REST_ERROR_PROTOCOL, soup_message_get_status (message),
                                                _("%s answered with invalid JSON: %s"),
                                                host, local_error->message));
      return NULL;
    }
  return root;
}

GError *
_sd_rest_error_new_contract (const GError *reason,
                             const char   *host)
{
  return rest_error_new (SD_REST_ERROR_PROTOCOL, 0,
                         _("The answer from %s does not follow the API: %s"),
                         host, reason->message);
}

/* Public API. */

gboolean
sd_rest_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != SD_REST_ERROR)
    return FALSE;
  switch ((SdRestError) error->code)
    {
    case SD_REST_ERROR_NETWORK:
    case SD_REST_ERROR_TIMEOUT:
    case SD_REST_ERROR_THROTTLED:
    case SD_REST_ERROR_SERVER:
    case SD_REST_ERROR_PROTOCOL:
      return TRUE;

    case SD_REST_ERROR_TLS:
    case SD_REST_ERROR_UNAUTHORIZED:
    case SD_REST_ERROR_FORBIDDEN:
    case SD_REST_ERROR_NOT_FOUND:
    case SD_REST_ERROR_CONFLICT:
    case SD_REST_ERROR_PRECONDITION_REQUIRED:
    case SD_REST_ERROR_INVALID:
    case SD_REST_ERROR_EXISTS:
    case SD_REST_ERROR_RESYNC:
    case SD_REST_ERROR_BAD_URL:
    default:
      return FALSE;
    }
}

guint
sd_rest_error_get_retry_after (const GError *error)
{
  SdRestErrorPrivate *priv = rest_error_private (error);

  return priv ? priv->retry_after : 0;
}

guint
sd_rest_error_get_status (const GError *error)
{
  SdRestErrorPrivate *priv = rest_error_private (error);

  return priv ? priv->status : 0;
}

const char *
sd_rest_error_get_problem_type (const GError *error)
{
  SdRestErrorPrivate *priv = rest_error_private (error);

  return priv ? priv->problem_type : NULL;
}

const char *
sd_rest_error_get_field (const GError *error)
{
  SdRestErrorPrivate *priv = rest_error_private (error);

  return priv ? priv->field : NULL;
}

JsonNode *
sd_rest_error_get_current_entity (const GError *error)
{
  SdRestErrorPrivate *priv = rest_error_private (error);

  return priv ? priv->current_entity : NULL;
}
