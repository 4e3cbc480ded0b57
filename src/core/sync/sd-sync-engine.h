/* sd-sync-engine.h — the local store and the server, kept in step
 *
 * A round pushes the outbox in order, then pulls the change feed page by
 * page until it is current. Rounds run at start, on a timer, when the
 * network comes back and on demand; a failed round is retried with
 * exponential backoff and jitter, never sooner than the server's
 * Retry-After.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-local-store.h"
#include "sd-rest-client.h"

G_BEGIN_DECLS

typedef enum {
  SD_SYNC_STATE_IDLE,      /* never synced yet */
  SD_SYNC_STATE_SYNCING,
  SD_SYNC_STATE_SYNCED,
  SD_SYNC_STATE_OFFLINE,   /* the server cannot be reached; edits wait */
  SD_SYNC_STATE_ERROR,     /* see the last error; signing in again may be needed */
} SdSyncState;

#define SD_TYPE_SYNC_ENGINE (sd_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (SdSyncEngine, sd_sync_engine, SD, SYNC_ENGINE, GObject)

SdSyncEngine *sd_sync_engine_new            (SdRestClient         *client,
                                             SdLocalStore         *store);
SdRestClient *sd_sync_engine_get_client     (SdSyncEngine         *self);
SdLocalStore *sd_sync_engine_get_store      (SdSyncEngine         *self);
SdSyncState   sd_sync_engine_get_state      (SdSyncEngine         *self);
/* Unix seconds of the last complete round, 0 before the first. */
gint64        sd_sync_engine_get_last_sync  (SdSyncEngine         *self);
/* The reason of the last failed round (translated), or NULL. */
const char   *sd_sync_engine_get_last_error (SdSyncEngine         *self);
/* HTTP requests the last round made (for tests and benchmarks). */
guint         sd_sync_engine_get_n_requests (SdSyncEngine         *self);
void          sd_sync_engine_set_page_size  (SdSyncEngine         *self,
                                             guint                 page_size);

/* One round now. Calls made while a round runs complete with that round. */
void          sd_sync_engine_sync_async     (SdSyncEngine         *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      sd_sync_engine_sync_finish    (SdSyncEngine         *self,
                                             GAsyncResult         *result,
                                             GError              **error);

/* Automatic rounds: now, every @interval_seconds, when the network comes
 * back, and after a failure with backoff. */
void          sd_sync_engine_start          (SdSyncEngine         *self,
                                             guint                 interval_seconds);
void          sd_sync_engine_stop           (SdSyncEngine         *self);
/* The system resumed from a suspend (or the process from SIGSTOP): drops
 * the client's idle connections, asks the network monitor whether the
 * server is reachable, then runs one round (state OFFLINE when it is not
 * reachable; the network coming back starts one). A round under way is
 * followed by another. */
void          sd_sync_engine_resume         (SdSyncEngine         *self);
/* Seconds until the next try after @failures failed rounds in a row:
 * 2, 4, 8 … capped at 5 minutes, spread by @jitter (0–1) over up to a
 * quarter more, and never less than @retry_after. */
guint         sd_sync_engine_backoff        (guint                 failures,
                                             guint                 retry_after,
                                             double                jitter);

/* Where the local store of an account lives:
 * $XDG_DATA_HOME/supportdesk/<digest of server and login>.db */
char         *sd_sync_engine_store_path     (const char           *server,
                                             const char           *login);

G_END_DECLS
