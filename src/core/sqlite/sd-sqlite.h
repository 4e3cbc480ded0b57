/* sd-sqlite.h — one SQLite database as our stores use it
 *
 * The server's store and the client's local store open their file the same
 * way (WAL, every commit on disk before it is reported, a busy timeout),
 * cache their statements, report failures as a GError of their own domain,
 * and migrate their schema with PRAGMA user_version. This is that code,
 * once. An SdSqlite is not thread-safe: its owner serializes access.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _SdSqlite SdSqlite;

/* Opens @path (with SQLITE_OPEN_CREATE in @flags, creates it; with
 * SQLITE_OPEN_READONLY, a reader that leaves the journal mode alone).
 * Failures, now and later, are reported as @domain / @code with
 * @failure_format, which has two %s: the path, then SQLite's message. */
SdSqlite     *sd_sqlite_open             (const char          *path,
                                          int                  flags,
                                          GQuark               domain,
                                          int                  code,
                                          const char          *failure_format,
                                          GError             **error);
void          sd_sqlite_close            (SdSqlite            *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSqlite, sd_sqlite_close)

sqlite3      *sd_sqlite_get_handle       (SdSqlite            *self);
const char   *sd_sqlite_get_path         (SdSqlite            *self);
gboolean      sd_sqlite_is_read_only     (SdSqlite            *self);

/* Sets @error from the connection's last failure; returns FALSE. */
gboolean      sd_sqlite_fail             (SdSqlite            *self,
                                          GError             **error);
/* The prepared statement for @sql, reset and unbound. @sql must outlive
 * the connection (a string literal): it keys the statement cache. */
sqlite3_stmt *sd_sqlite_prepare          (SdSqlite            *self,
                                          const char          *sql,
                                          GError             **error);
gboolean      sd_sqlite_exec             (SdSqlite            *self,
                                          const char          *sql,
                                          GError             **error);
/* Steps @stmt: SQLITE_ROW or SQLITE_DONE, or -1 with @error set (the
 * statement is then reset). */
int           sd_sqlite_step             (SdSqlite            *self,
                                          sqlite3_stmt        *stmt,
                                          GError             **error);
/* Steps a statement that returns no rows, and resets it. */
gboolean      sd_sqlite_step_done        (SdSqlite            *self,
                                          sqlite3_stmt        *stmt,
                                          GError             **error);

/* BEGIN IMMEDIATE; COMMIT (rolling back when it fails); ROLLBACK when a
 * transaction is open. */
gboolean      sd_sqlite_begin            (SdSqlite            *self,
                                          GError             **error);
gboolean      sd_sqlite_commit           (SdSqlite            *self,
                                          GError             **error);
void          sd_sqlite_rollback         (SdSqlite            *self);
/* A savepoint inside a transaction; @name is a constant identifier.
 * sd_sqlite_rollback_to() undoes what followed it and releases it. */
gboolean      sd_sqlite_savepoint        (SdSqlite            *self,
                                          const char          *name,
                                          GError             **error);
gboolean      sd_sqlite_release          (SdSqlite            *self,
                                          const char          *name,
                                          GError             **error);
void          sd_sqlite_rollback_to      (SdSqlite            *self,
                                          const char          *name);

/* PRAGMA user_version, or -1 when it cannot be read. */
int           sd_sqlite_get_user_version (SdSqlite            *self);
/* Brings the schema from its user_version to @n_steps, one transaction
 * per step: step N takes version N to N+1. A file newer than @n_steps is
 * refused with @newer_code and @newer_format (%s path, %d its version, %d
 * @n_steps). */
gboolean      sd_sqlite_migrate          (SdSqlite            *self,
                                          const char * const  *steps,
                                          guint                n_steps,
                                          int                  newer_code,
                                          const char          *newer_format,
                                          GError             **error);

/* NULL binds SQL NULL; so does SD_TIME_NONE. */
void          sd_sqlite_bind_text        (sqlite3_stmt        *stmt,
                                          int                  index,
                                          const char          *text);
void          sd_sqlite_bind_time        (sqlite3_stmt        *stmt,
                                          int                  index,
                                          gint64               value);
char         *sd_sqlite_column_dup       (sqlite3_stmt        *stmt,
                                          int                  column);
/* The column parsed as JSON, or NULL when it is NULL or not JSON. */
JsonNode     *sd_sqlite_column_json      (sqlite3_stmt        *stmt,
                                          int                  column);

G_END_DECLS
