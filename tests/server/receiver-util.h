/* receiver-util.h — the tests' real receivers of the server's mail and
 * webhooks: a Python script (smtp-sink.py, webhook-receiver.py) that
 * prints "port N" once it listens on loopback and writes each message it
 * receives into its directory as 1.json, 2.json, …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

typedef struct {
  GSubprocess *process;
  char        *dir;
  char        *url;   /* @prefix + "127.0.0.1:PORT" + @suffix */
} Receiver;

/* Runs tests/server/@script DIR @args… (NULL-terminated) with Debian's
 * Python (SUPPORTDESK_PYTHON), in a new directory under tmpdir. */
Receiver   *receiver_start  (const char *script,
                             const char *prefix,
                             const char *suffix,
                             ...) G_GNUC_NULL_TERMINATED;
void        receiver_free   (Receiver   *receiver);
guint       receiver_count  (Receiver   *receiver);
/* Waits (up to a generous minute) until at least @n messages arrived. */
void        receiver_wait   (Receiver   *receiver,
                             guint       n);
/* The @n-th message (1-based). */
JsonObject *receiver_record (Receiver   *receiver,
                             guint       n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Receiver, receiver_free)
