/* sd-server-url.h — the one normal form of a server address
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The API path every server address ends with in its normal form. */
#define SD_SERVER_URL_API_PATH "/api/v1"

/* The normal form of a server address, as the REST client, the keyring,
 * the local store's file name and the CLI all use it:
 * "scheme://host[:port][/prefix]/api/v1" — scheme and host in lower case,
 * the scheme's default port left out, trailing slashes removed and the API
 * path appended when it is missing. "http://Desk:80/", "http://desk/api/v1/"
 * and "http://desk" all give "http://desk/api/v1".
 *
 * Only http and https addresses with a host and without user info, query or
 * fragment are accepted; anything else fails with SD_REST_ERROR_BAD_URL.
 * Free the result with g_free(). */
char     *sd_server_url_normalize (const char  *url,
                                   GError     **error);

/* Whether @a and @b name the same server (their normal forms are equal).
 * Addresses that cannot be normalised are compared as they are, without
 * trailing slashes. */
gboolean  sd_server_url_equal     (const char  *a,
                                   const char  *b);

G_END_DECLS
