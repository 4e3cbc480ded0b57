/* sd-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sqlite"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "sd-sqlite.h"

struct _SdSqlite
{
  sqlite3    *db;          /* owned */
  GHashTable *statements;  /* const char *sql (constant) → sqlite3_stmt * (owned) */
};

G_DEFINE_QUARK (sd-sqlite-error-quark, sd_sqlite_error)

SdSqlite *
sd_sqlite_open (const char         *path,
                SdSqliteOpenFlags   flags,
                GError            **error)
{
  g_autoptr(SdSqlite) self = g_new0 (SdSqlite, 1);
  int open_flags = SQLITE_OPEN_NOMUTEX;

  g_return_val_if_fail (path != NULL, NULL);

  if (flags & SD_SQLITE_OPEN_READ_ONLY)
    open_flags |= SQLITE_OPEN_READONLY;
  else
    open_flags |= SQLITE_OPEN_READWRITE;
  if (flags & SD_SQLITE_OPEN_CREATE)
    open_flags |= SQLITE_OPEN_CREATE;

  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
  if (sqlite3_open_v2 (path, &self->db, open_flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_SQLITE_ERROR, SD_SQLITE_ERROR_FAILED, "%s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  /* A reader finds the journal mode as the writer left it. */
  if (flags & SD_SQLITE_OPEN_READ_ONLY)
    return g_steal_pointer (&self);
  if (!sd_sqlite_exec (self, "PRAGMA journal_mode = WAL", error)
      || !sd_sqlite_exec (self, "PRAGMA synchronous = FULL", error)
      || ((flags & SD_SQLITE_OPEN_FOREIGN_KEYS)
          && !sd_sqlite_exec (self, "PRAGMA foreign_keys = ON", error)))
    return NULL;
  return g_steal_pointer (&self);
}

void
sd_sqlite_close (SdSqlite *self)
{
  if (self == NULL)
    return;
  /* Statements first: a connection with live statements does not close. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self);
}

sqlite3 *
sd_sqlite_get_db (SdSqlite *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->db;
}

const char *
sd_sqlite_get_path (SdSqlite *self)
{
  const char *path;

  g_return_val_if_fail (self != NULL, NULL);
  path = sqlite3_db_filename (self->db, "main");
  return path != NULL && *path != '\0' ? path : NULL;
}

gboolean
sd_sqlite_is_read_only (SdSqlite *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return sqlite3_db_readonly (self->db, "main") != 0;
}

gboolean
sd_sqlite_set_error (SdSqlite    *self,
                     GError     **error,
                     const char  *what)
{
  g_set_error (error, SD_SQLITE_ERROR, SD_SQLITE_ERROR_FAILED, "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

sqlite3_stmt *
sd_sqlite_prepare (SdSqlite    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          sd_sqlite_set_error (self, error, "prepare");
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

gboolean
sd_sqlite_exec (SdSqlite    *self,
                const char  *sql,
                GError     **error)
{
  char *message = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SD_SQLITE_ERROR, SD_SQLITE_ERROR_FAILED, "%s",
                   message ? message : sqlite3_errmsg (self->db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

int
sd_sqlite_step (SdSqlite      *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;
  sd_sqlite_set_error (self, error, "step");
  sqlite3_reset (stmt);
  return -1;
}

gboolean
sd_sqlite_step_done (SdSqlite      *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    sd_sqlite_set_error (self, error, "step");
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

void
sd_sqlite_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

char *
sd_sqlite_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *) text) : NULL;
}

gboolean
sd_sqlite_begin (SdSqlite  *self,
                 GError   **error)
{
  return sd_sqlite_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
sd_sqlite_commit (SdSqlite  *self,
                  GError   **error)
{
  if (!sd_sqlite_exec (self, "COMMIT", error))
    {
      sd_sqlite_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
sd_sqlite_rollback (SdSqlite *self)
{
  g_return_if_fail (self != NULL);
  if (!sqlite3_get_autocommit (self->db))
    sd_sqlite_exec (self, "ROLLBACK", NULL);
}

gboolean
sd_sqlite_savepoint (SdSqlite    *self,
                     const char  *name,
                     GError     **error)
{
  g_autofree char *sql = g_strconcat ("SAVEPOINT ", name, NULL);

  return sd_sqlite_exec (self, sql, error);
}

gboolean
sd_sqlite_release (SdSqlite    *self,
                   const char  *name,
                   GError     **error)
{
  g_autofree char *sql = g_strconcat ("RELEASE ", name, NULL);

  return sd_sqlite_exec (self, sql, error);
}

void
sd_sqlite_rollback_to (SdSqlite   *self,
                       const char *name)
{
  g_autofree char *sql = g_strconcat ("ROLLBACK TO ", name, "; RELEASE ", name, NULL);

  sd_sqlite_exec (self, sql, NULL);
}

int
sd_sqlite_get_user_version (SdSqlite  *self,
                            GError   **error)
{
  sqlite3_stmt *stmt;
  int version = -1;

  g_return_val_if_fail (self != NULL, -1);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      sd_sqlite_set_error (self, error, "user_version");
      return -1;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    sd_sqlite_set_error (self, error, "user_version");
  sqlite3_finalize (stmt);
  return version;
}

gboolean
sd_sqlite_migrate (SdSqlite            *self,
                   const char * const  *steps,
                   guint                n_steps,
                   GError             **error)
{
  int version;

  g_return_val_if_fail (self != NULL, FALSE);

  if ((version = sd_sqlite_get_user_version (self, error)) < 0)
    return FALSE;
  if (version > (int) n_steps)
    {
      g_set_error (error, SD_SQLITE_ERROR, SD_SQLITE_ERROR_SCHEMA,
                   _("The database was written by a newer version of SupportDesk "
                     "(schema %d; this version knows up to %d)"),
                   version, (int) n_steps);
      return FALSE;
    }

  for (; version < (int) n_steps; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!sd_sqlite_begin (self, error))
        return FALSE;
      if (!sd_sqlite_exec (self, steps[version], error) || !sd_sqlite_exec (self, bump, error))
        {
          sd_sqlite_rollback (self);
          return FALSE;
        }
      if (!sd_sqlite_commit (self, error))
        return FALSE;
      g_debug ("migrated %s to schema version %d",
               sd_sqlite_get_path (self) ? sd_sqlite_get_path (self) : ":memory:", version + 1);
    }
  return TRUE;
}
