/* sd-store-open.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-pg-store.h"
#include "sd-sqlite-store.h"
#include "sd-store-open.h"

SdStore *
sd_store_open_db (const char  *db,
                  gboolean     create,
                  GError     **error)
{
  if (sd_pg_store_is_uri (db))
    return SD_STORE (sd_pg_store_open (db, create, error));
  if (create)
    return SD_STORE (sd_sqlite_store_open (db, error));
  return SD_STORE (sd_sqlite_store_open_existing (db, error));
}

gboolean
sd_store_verify_audit (SdStore  *store,
                       gint64   *n_rows,
                       char    **head,
                       gint64   *broken_seq,
                       char    **reason,
                       GError  **error)
{
  if (SD_IS_PG_STORE (store))
    return sd_pg_store_verify_audit (SD_PG_STORE (store), n_rows, head, broken_seq, reason, error);
  return sd_sqlite_store_verify_audit (SD_SQLITE_STORE (store), n_rows, head, broken_seq, reason, error);
}
