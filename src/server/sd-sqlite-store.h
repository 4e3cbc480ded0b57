/* sd-sqlite-store.h — SdStore on SQLite (WAL, versioned migrations)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_SQLITE_STORE (sd_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (SdSqliteStore, sd_sqlite_store, SD, SQLITE_STORE, GObject)

/* Opens (creating and migrating as needed) the database at @path. */
SdSqliteStore *sd_sqlite_store_open            (const char     *path,
                                                GError        **error);
/* The same, but fails with SD_STORE_ERROR_NOT_FOUND when @path does not
 * exist: a server never starts afresh on a database that went missing. */
SdSqliteStore *sd_sqlite_store_open_existing   (const char     *path,
                                                GError        **error);
int            sd_sqlite_store_get_schema_version (SdSqliteStore *self);
/* The number of entities of @kind, tombstones excluded. */
gint64         sd_sqlite_store_count           (SdSqliteStore  *self,
                                                const char     *kind);

/* Recomputes the audit log's hash chain (sd-sqlite-audit.h): TRUE with
 * the number of rows and the last hash when it holds; FALSE with the
 * first broken row and why, or with @error when it cannot be read. */
gboolean       sd_sqlite_store_verify_audit    (SdSqliteStore  *self,
                                                gint64         *n_rows,
                                                char          **head,
                                                gint64         *broken_seq,
                                                char          **reason,
                                                GError        **error);

G_END_DECLS
