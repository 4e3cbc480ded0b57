/* sd-pg-store.h — SdStore on PostgreSQL (libpq), for several server
 * instances on one database
 *
 * Every write transaction holds one transaction-level advisory lock
 * (SD_PG_WRITE_LOCK) from its first statement to its commit, so the
 * sequence of the change feed and the audit log's hash chain grow in
 * commit order: a reader never sees a position before the positions
 * below it are visible (docs/storage.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

/* The advisory lock every writer takes ("SD" 1). */
#define SD_PG_WRITE_LOCK G_GINT64_CONSTANT (0x534401)

#define SD_TYPE_PG_STORE (sd_pg_store_get_type ())

G_DECLARE_FINAL_TYPE (SdPgStore, sd_pg_store, SD, PG_STORE, GObject)

/* Whether @db names a PostgreSQL database (postgresql:// or postgres://)
 * rather than an SQLite file. */
gboolean   sd_pg_store_is_uri        (const char  *db);

/* Connects to @uri. With @create, creates or migrates the schema (under
 * the write lock: instances starting together migrate once); without,
 * fails with SD_STORE_ERROR_NOT_FOUND when the schema is not there. */
SdPgStore *sd_pg_store_open          (const char  *uri,
                                      gboolean     create,
                                      GError     **error);

/* Recomputes the audit log's hash chain, as sd_sqlite_store_verify_audit. */
gboolean   sd_pg_store_verify_audit  (SdPgStore   *self,
                                      gint64      *n_rows,
                                      char       **head,
                                      gint64      *broken_seq,
                                      char       **reason,
                                      GError     **error);

G_END_DECLS
