/* sd-sqlite.h — what every SQLite database of SupportDesk needs
 *
 * One connection with the usual pragmas (WAL, synchronous commits,
 * optionally foreign keys), a cache of prepared statements (each SQL text
 * a constant string, prepared once), steps and executions reporting
 * GError, transactions and savepoints, and schema migrations that bring
 * `PRAGMA user_version` up to date from an append-only array of steps.
 *
 * GLib and SQLite only. An SdSqlite is used by one thread at a time:
 * callers that share one across threads hold their own lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define SD_SQLITE_ERROR (sd_sqlite_error_quark ())

typedef enum {
  SD_SQLITE_ERROR_FAILED,
  SD_SQLITE_ERROR_SCHEMA,  /* written by a newer version */
} SdSqliteError;

GQuark sd_sqlite_error_quark (void);

typedef enum {
  SD_SQLITE_OPEN_DEFAULT      = 0,
  SD_SQLITE_OPEN_CREATE       = 1 << 0,  /* create the file when missing */
  SD_SQLITE_OPEN_READ_ONLY    = 1 << 1,  /* no pragmas written, no migration */
  SD_SQLITE_OPEN_FOREIGN_KEYS = 1 << 2,
} SdSqliteOpenFlags;

typedef struct _SdSqlite SdSqlite;

/* Opens @path (":memory:" for a database in memory) with a busy timeout
 * of 5 s and extended result codes; unless read-only, in WAL mode with
 * synchronous = FULL (a commit is on disk when it returns). */
SdSqlite     *sd_sqlite_open             (const char          *path,
                                          SdSqliteOpenFlags    flags,
                                          GError             **error);
void          sd_sqlite_close            (SdSqlite            *self);
sqlite3      *sd_sqlite_get_db           (SdSqlite            *self);
/* The file's path; NULL for a database in memory. */
const char   *sd_sqlite_get_path         (SdSqlite            *self);
gboolean      sd_sqlite_is_read_only     (SdSqlite            *self);

/* Sets @error from the connection's last error, prefixed with @what;
 * returns FALSE. */
gboolean      sd_sqlite_set_error        (SdSqlite            *self,
                                          GError             **error,
                                          const char          *what);
/* @sql must stay valid as long as @self (a string constant): it keys the
 * cache. The statement comes back reset, with no bindings. */
sqlite3_stmt *sd_sqlite_prepare          (SdSqlite            *self,
                                          const char          *sql,
                                          GError             **error);
/* Runs one or more statements that return no rows. */
gboolean      sd_sqlite_exec             (SdSqlite            *self,
                                          const char          *sql,
                                          GError             **error);
/* Steps @stmt once: SQLITE_ROW or SQLITE_DONE, or -1 with @error set
 * (the statement is then reset). */
int           sd_sqlite_step             (SdSqlite            *self,
                                          sqlite3_stmt        *stmt,
                                          GError             **error);
/* Runs @stmt to completion (no rows expected) and resets it. */
gboolean      sd_sqlite_step_done        (SdSqlite            *self,
                                          sqlite3_stmt        *stmt,
                                          GError             **error);

/* NULL binds SQL NULL. */
void          sd_sqlite_bind_text        (sqlite3_stmt        *stmt,
                                          int                  index,
                                          const char          *text);
/* A copy of a text column, NULL for SQL NULL. */
char         *sd_sqlite_column_dup       (sqlite3_stmt        *stmt,
                                          int                  column);

/* BEGIN IMMEDIATE: the write lock is taken now, not at the first write. */
gboolean      sd_sqlite_begin            (SdSqlite            *self,
                                          GError             **error);
/* COMMIT; rolls back when it fails. */
gboolean      sd_sqlite_commit           (SdSqlite            *self,
                                          GError             **error);
/* ROLLBACK, if a transaction is open. */
void          sd_sqlite_rollback         (SdSqlite            *self);
/* Savepoints nest inside a transaction or open one; @name is an SQL
 * identifier chosen by the caller. */
gboolean      sd_sqlite_savepoint        (SdSqlite            *self,
                                          const char          *name,
                                          GError             **error);
gboolean      sd_sqlite_release          (SdSqlite            *self,
                                          const char          *name,
                                          GError             **error);
/* Undoes everything since the savepoint and releases it. */
void          sd_sqlite_rollback_to      (SdSqlite            *self,
                                          const char          *name);

/* PRAGMA user_version, or -1 with @error set. */
int           sd_sqlite_get_user_version (SdSqlite            *self,
                                          GError             **error);
/* Applies @steps[version] … @steps[n_steps - 1], each in its own
 * transaction with the new user_version. Step N brings the schema from
 * version N to N + 1: append only, never edit a step that has shipped.
 * Fails with SD_SQLITE_ERROR_SCHEMA when the database is newer. */
gboolean      sd_sqlite_migrate          (SdSqlite            *self,
                                          const char * const  *steps,
                                          guint                n_steps,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSqlite, sd_sqlite_close)

G_END_DECLS
