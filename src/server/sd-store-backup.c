/* sd-store-backup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-store-backup"

#include "config.h"

#include "sd-pg-store.h"
#include "sd-sqlite-audit.h"
#include "sd-store-backup.h"

static gboolean
check_sqlite (const char  *db,
              GError     **error)
{
  if (!sd_pg_store_is_uri (db))
    return TRUE;
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
               "back up and restore PostgreSQL with pg_dump and pg_restore (docs/storage.md)");
  return FALSE;
}

static SdSqlite *
open_file (const char  *path,
           int          flags,
           GError     **error)
{
  return sd_sqlite_open (path, flags, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "%s: %s", error);
}

/* Copies every page of @from into @to in one step: one read transaction
 * on @from, so writers on it go on (WAL) and the copy is one snapshot. */
static gboolean
copy (SdSqlite  *from,
      SdSqlite  *to,
      GError   **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (sd_sqlite_get_handle (to), "main",
                                                sd_sqlite_get_handle (from), "main");
  int rc;

  if (backup == NULL)
    return sd_sqlite_fail (to, error);
  while ((rc = sqlite3_backup_step (backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
    sqlite3_sleep (20);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    return sd_sqlite_fail (to, error);
  return TRUE;
}

/* The audit chain of the SQLite database at @path holds. */
static gboolean
verify (const char  *path,
        gint64      *n_rows,
        GError     **error)
{
  g_autoptr(SdSqlite) sql = open_file (path, SQLITE_OPEN_READONLY, error);
  g_autofree char *head = NULL;
  g_autofree char *reason = NULL;
  gint64 broken = 0;

  if (sql == NULL)
    return FALSE;
  if (sd_audit_verify (sql, n_rows, &head, &broken, &reason, error))
    return TRUE;
  if (broken != 0)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                 "%s: the audit log is broken at row %" G_GINT64_FORMAT ": %s", path, broken, reason);
  return FALSE;
}

gboolean
sd_store_backup (const char  *db,
                 const char  *file,
                 gint64      *n_rows,
                 GError     **error)
{
  g_autoptr(SdSqlite) from = NULL;
  g_autoptr(SdSqlite) to = NULL;

  if (!check_sqlite (db, error))
    return FALSE;
  if (g_file_test (file, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS, "%s exists already", file);
      return FALSE;
    }
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "there is no database at %s", db);
      return FALSE;
    }
  if (!(from = open_file (db, SQLITE_OPEN_READONLY, error))
      || !(to = open_file (file, SQLITE_OPEN_CREATE, error))
      || !copy (from, to, error))
    return FALSE;
  g_clear_pointer (&to, sd_sqlite_close);
  return verify (file, n_rows, error);
}

gboolean
sd_store_restore (const char  *file,
                  const char  *db,
                  gboolean     replace,
                  gint64      *n_rows,
                  GError     **error)
{
  g_autoptr(SdSqlite) from = NULL;
  g_autoptr(SdSqlite) to = NULL;

  if (!check_sqlite (db, error))
    return FALSE;
  if (!replace && g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   "%s exists already (stop its servers and add --replace)", db);
      return FALSE;
    }
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "there is no backup at %s", file);
      return FALSE;
    }
  if (!verify (file, n_rows, error)
      || !(from = open_file (file, SQLITE_OPEN_READONLY, error))
      || !(to = open_file (db, SQLITE_OPEN_CREATE, error)))
    return FALSE;
  return copy (from, to, error);
}
