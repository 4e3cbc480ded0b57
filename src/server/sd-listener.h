/* sd-listener.h — accepts connections for a SoupServer, within limits
 *
 * libsoup 3.2's own listener stops accepting for ever after one accept()
 * fails with EMFILE, and leaves a keep-alive connection that the client
 * closed in CLOSE-WAIT. SdListener accepts on its own socket instead and
 * hands each connection to the SoupServer (soup_server_accept_iostream)
 * once its first bytes arrive. It caps the number of open connections,
 * closes connections that stay silent or live too long, pauses accepting
 * while the process has no descriptor left, and can refuse a request by
 * taking its connection back from libsoup (sd_listener_refuse).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Seconds a connection may stay silent before its request starts. */
#define SD_LISTENER_FIRST_BYTE_TIMEOUT 10
/* Seconds a connection may live (one request: every response closes). */
#define SD_LISTENER_LIFETIME           60
/* The most connections open at once (fewer with a low RLIMIT_NOFILE). */
#define SD_LISTENER_MAX_CONNECTIONS    1024

#define SD_TYPE_LISTENER (sd_listener_get_type ())

G_DECLARE_FINAL_TYPE (SdListener, sd_listener, SD, LISTENER, GObject)

SdListener *sd_listener_new                 (SoupServer       *soup,
                                             GTlsCertificate  *certificate);
/* Binds @address with the system's listen backlog; returns the port. */
guint       sd_listener_listen              (SdListener       *self,
                                             GSocketAddress   *address,
                                             GError          **error);
guint       sd_listener_get_max_connections (SdListener       *self);
/* Answers @msg with @status and the problem document @body itself, then
 * closes the connection without reading the rest of the request. */
void        sd_listener_refuse              (SdListener        *self,
                                             SoupServerMessage *msg,
                                             guint              status,
                                             const char        *reason,
                                             const char        *body);

G_END_DECLS
