/* fuzz-server-http.c — raw HTTP against an in-process supportdesk-server
 *
 * The input is sent as it is (request line, headers and body) over a
 * loopback connection to an SdServer running in this process, on an
 * in-memory database with one user whose token is "fuzz-token"; the write
 * side is then shut and the server's answer read until it closes the
 * connection. Nothing may crash, and the server must close every
 * connection it was given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-auth.h"
#include "sd-server.h"
#include "sd-sqlite-store.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Seconds one input may take before it counts as a hang. */
#define INPUT_TIMEOUT 5

typedef struct {
  SdSqliteStore *store;
  SdServer      *server;
  guint16        port;
} Fixture;

static Fixture *
fixture (void)
{
  static Fixture *fixture;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token_hash = NULL;

  if (fixture != NULL)
    return fixture;

  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
  /* The request log is not what is being tested. */
  g_log_set_writer_func (g_log_writer_default, NULL, NULL);
  g_setenv ("G_MESSAGES_DEBUG", "", TRUE);
  fixture = g_new0 (Fixture, 1);
  if (!sd_auth_init (&error)
      || !(fixture->store = sd_sqlite_store_open (":memory:", &error))
      || !sd_server_add_user (SD_STORE (fixture->store), "fuzz", "Fuzz", "admin", "fuzz-password",
                              &user_id, &error))
    g_error ("%s", error->message);
  token_hash = sd_auth_hash_token ("fuzz-token");
  if (!sd_store_add_token (SD_STORE (fixture->store), token_hash, user_id, G_MAXINT64 / 2, &error))
    g_error ("%s", error->message);
  fixture->server = sd_server_new (SD_STORE (fixture->store));
  if (!(fixture->port = sd_server_listen (fixture->server, "127.0.0.1:0", NULL, &error)))
    g_error ("%s", error->message);
  return fixture;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  Fixture *f = fixture ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, f->port);
  gint64 deadline = g_get_monotonic_time () + INPUT_TIMEOUT * G_USEC_PER_SEC;
  gsize sent = 0;
  gboolean closed = FALSE;

  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_connect (socket, address, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    g_error ("%s", error->message);
  g_clear_error (&error);

  /* Both ends run here: turn the server's loop between our reads and
   * writes. */
  while (!closed)
    {
      char buffer[16384];
      gssize n;

      if (g_get_monotonic_time () > deadline)
        g_error ("the server neither answered nor closed within %d s", INPUT_TIMEOUT);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (sent < size)
        {
          n = g_socket_send (socket, (const char *) data + sent, size - sent, NULL, &error);
          if (n > 0 && (sent += n) == size)
            g_socket_shutdown (socket, FALSE, TRUE, NULL);
          else if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            sent = size;  /* refused, reset: read what came */
          g_clear_error (&error);
        }
      else if (size == 0)
        g_socket_shutdown (socket, FALSE, TRUE, NULL);

      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)))
        closed = TRUE;
      else if (n < 0)
        g_socket_condition_timed_wait (socket, sent < size ? G_IO_IN | G_IO_OUT : G_IO_IN, 1000, NULL, NULL);
      g_clear_error (&error);
    }
  g_socket_close (socket, NULL);
  return 0;
}
