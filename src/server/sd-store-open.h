/* sd-store-open.h — open the store that --db names: an SQLite file or a
 * PostgreSQL database (postgresql://…)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

/* With @create, creates the database (SQLite) or its schema (PostgreSQL)
 * when missing; without, fails with SD_STORE_ERROR_NOT_FOUND then. */
SdStore  *sd_store_open_db      (const char  *db,
                                 gboolean     create,
                                 GError     **error);

/* Recomputes the audit log's hash chain of either store (see
 * sd_sqlite_store_verify_audit). */
gboolean  sd_store_verify_audit (SdStore     *store,
                                 gint64      *n_rows,
                                 char       **head,
                                 gint64      *broken_seq,
                                 char       **reason,
                                 GError     **error);

G_END_DECLS
