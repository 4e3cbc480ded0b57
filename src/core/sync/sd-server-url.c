/* sd-server-url.c — the one normal form of a server address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-server-url"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-rest-client.h"
#include "sd-server-url.h"

static char *
strip_trailing_slashes (const char *text)
{
  gsize len = strlen (text);

  while (len > 0 && text[len - 1] == '/')
    len--;
  return g_strndup (text, len);
}

char *
sd_server_url_normalize (const char  *url,
                         GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (url ? url : ""));
  g_autoptr(GUri) uri = g_uri_parse (trimmed, G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  g_autoptr(GUri) normal = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  int port;

  if (uri == NULL
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_userinfo (uri) != NULL
      || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, SD_REST_ERROR, SD_REST_ERROR_BAD_URL,
                   _("“%s” is not a server address such as https://example.com:8443"), trimmed);
      return NULL;
    }

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  path = strip_trailing_slashes (g_uri_get_path (uri));
  if (!g_str_has_suffix (path, SD_SERVER_URL_API_PATH))
    {
      char *with_api = g_strconcat (path, SD_SERVER_URL_API_PATH, NULL);

      g_free (path);
      path = with_api;
    }
  /* The scheme's default port says nothing: leave it out. */
  port = g_uri_get_port (uri);
  if ((port == 80 && g_str_equal (scheme, "http")) || (port == 443 && g_str_equal (scheme, "https")))
    port = -1;

  normal = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL, host, port, path, NULL, NULL);
  return g_uri_to_string (normal);
}

gboolean
sd_server_url_equal (const char *a,
                     const char *b)
{
  g_autofree char *normal_a = NULL;
  g_autofree char *normal_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;
  normal_a = sd_server_url_normalize (a, NULL);
  normal_b = sd_server_url_normalize (b, NULL);
  if (normal_a == NULL)
    normal_a = strip_trailing_slashes (a);
  if (normal_b == NULL)
    normal_b = strip_trailing_slashes (b);
  return g_str_equal (normal_a, normal_b);
}
