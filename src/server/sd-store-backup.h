/* sd-store-backup.h — online backups of an SQLite store, and restoring
 * them (PostgreSQL has pg_dump and pg_restore: docs/storage.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

/* Copies the database at @db into @file, which must not exist, while
 * servers keep writing: one read snapshot (SQLite's online backup API),
 * so the copy is the database as of one commit. Then checks the copy's
 * audit chain; *@n_rows is its length. */
gboolean sd_store_backup  (const char  *db,
                           const char  *file,
                           gint64      *n_rows,
                           GError     **error);

/* Checks the backup @file (an SQLite store whose audit chain holds) and
 * copies it to @db, which must not exist unless @replace. Stop the
 * servers on @db first. */
gboolean sd_store_restore (const char  *file,
                           const char  *db,
                           gboolean     replace,
                           gint64      *n_rows,
                           GError     **error);

G_END_DECLS
