/* sd-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sqlite"

#include "config.h"

#include <errno.h>

#include "sd-json.h"
#include "sd-sqlite.h"
#include "sd-time.h"

struct _SdSqlite
{
  sqlite3    *db;
  char       *path;
  GHashTable *statements;     /* const char *sql (static) → sqlite3_stmt * */
  GQuark      domain;
  int         code;
  char       *failure_format;
};

static gboolean
fail_with (SdSqlite    *self,
           const char  *message,
           GError     **error)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_set_error (error, self->domain, self->code, self->failure_format, self->path, message);
#pragma GCC diagnostic pop
  return FALSE;
}

SdSqlite *
sd_sqlite_open (const char  *path,
                int          flags,
                GQuark       domain,
                int          code,
                const char  *failure_format,
                GError     **error)
{
  g_autoptr(SdSqlite) self = g_new0 (SdSqlite, 1);

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (failure_format != NULL, NULL);

  self->path = g_strdup (path);
  self->domain = domain;
  self->code = code;
  self->failure_format = g_strdup (failure_format);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);

  if ((flags & SQLITE_OPEN_READONLY) == 0)
    flags |= SQLITE_OPEN_READWRITE;
  if (sqlite3_open_v2 (path, &self->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      fail_with (self, self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM), error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  /* WAL lets readers run beside the writer; a commit is on disk before
   * anyone is told it happened. */
  if (((flags & SQLITE_OPEN_READONLY) == 0 && !sd_sqlite_exec (self, "PRAGMA journal_mode = WAL", error))
      || !sd_sqlite_exec (self, "PRAGMA synchronous = FULL", error)
      || !sd_sqlite_exec (self, "PRAGMA foreign_keys = ON", error))
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
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  g_free (self->failure_format);
  g_free (self);
}

sqlite3 *
sd_sqlite_get_handle (SdSqlite *self)
{
  return self->db;
}

const char *
sd_sqlite_get_path (SdSqlite *self)
{
  return self->path;
}

gboolean
sd_sqlite_is_read_only (SdSqlite *self)
{
  return sqlite3_db_readonly (self->db, "main") != 0;
}

gboolean
sd_sqlite_fail (SdSqlite  *self,
                GError   **error)
{
  return fail_with (self, sqlite3_errmsg (self->db), error);
}

sqlite3_stmt *
sd_sqlite_prepare (SdSqlite    *self,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          sd_sqlite_fail (self, error);
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

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      fail_with (self, message ? message : sqlite3_errmsg (self->db), error);
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
  sd_sqlite_fail (self, error);
  sqlite3_reset (stmt);
  return -1;
}

gboolean
sd_sqlite_step_done (SdSqlite      *self,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sd_sqlite_fail (self, error);
  return TRUE;
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
sd_sqlite_get_user_version (SdSqlite *self)
{
  sqlite3_stmt *stmt;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }
  return version;
}

gboolean
sd_sqlite_migrate (SdSqlite            *self,
                   const char * const  *steps,
                   guint                n_steps,
                   int                  newer_code,
                   const char          *newer_format,
                   GError             **error)
{
  int version = sd_sqlite_get_user_version (self);

  if (version < 0)
    return sd_sqlite_fail (self, error);
  if (version > (int) n_steps)
    {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_set_error (error, self->domain, newer_code, newer_format, self->path, version, (int) n_steps);
#pragma GCC diagnostic pop
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
      g_debug ("migrated %s to schema version %d", self->path, version + 1);
    }
  return TRUE;
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

void
sd_sqlite_bind_time (sqlite3_stmt *stmt,
                     int           index,
                     gint64        value)
{
  if (value == SD_TIME_NONE)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

char *
sd_sqlite_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *) text) : NULL;
}

JsonNode *
sd_sqlite_column_json (sqlite3_stmt *stmt,
                       int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? sd_json_parse (text, -1, NULL) : NULL;
}
