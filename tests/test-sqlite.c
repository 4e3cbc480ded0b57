/* test-sqlite.c — the SQLite helper: pragmas, statements, transactions,
 * savepoints and user_version migrations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sd-sqlite.h"

/* The helper reports failures in its owner's error domain. */
#define TEST_ERROR (g_quark_from_static_string ("test-sqlite-error"))
enum { TEST_FAILED = 1, TEST_SCHEMA };

static SdSqlite *
open_db (const char  *path,
         int          flags,
         GError     **error)
{
  return sd_sqlite_open (path, flags, TEST_ERROR, TEST_FAILED, "%s: %s", error);
}

static gboolean
migrate (SdSqlite            *sql,
         const char * const  *to,
         guint                n,
         GError             **error)
{
  return sd_sqlite_migrate (sql, to, n, TEST_SCHEMA, "%s has schema %d; known up to %d", error);
}

static const char * const steps[] = {
  "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
  "ALTER TABLE notes ADD COLUMN author TEXT;",
  "CREATE INDEX notes_author ON notes (author);",
};

static char *
temp_db (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-sqlite-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, "test.db", NULL);
}

static void
remove_db (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static gint64
count_notes (SdSqlite *sql)
{
  sqlite3_stmt *stmt = sd_sqlite_prepare (sql, "SELECT count(*) FROM notes", NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sd_sqlite_step (sql, stmt, NULL), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
insert_note (SdSqlite   *sql,
             const char *body)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = sd_sqlite_prepare (sql, "INSERT INTO notes (body) VALUES (?1)", &error);

  g_assert_no_error (error);
  sd_sqlite_bind_text (stmt, 1, body);
  g_assert_true (sd_sqlite_step_done (sql, stmt, &error));
  g_assert_no_error (error);
}

/* Steps apply once each, in order; a later version adds only the new
 * ones; a database newer than the code is refused. */
static void
test_migrations (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SdSqlite) sql = open_db (path, SQLITE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sd_sqlite_get_path (sql), ==, path);
    g_assert_cmpint (sd_sqlite_get_user_version (sql), ==, 0);
    g_assert_true (migrate (sql, steps, 2, &error));
    g_assert_no_error (error);
    g_assert_cmpint (sd_sqlite_get_user_version (sql), ==, 2);
    insert_note (sql, "kept");
  }
  {
    g_autoptr(SdSqlite) sql = open_db (path, 0, &error);
    sqlite3_stmt *stmt;

    g_assert_no_error (error);
    /* WAL survives reopening; the third step is the only one applied. */
    stmt = sd_sqlite_prepare (sql, "PRAGMA journal_mode", &error);
    g_assert_cmpint (sd_sqlite_step (sql, stmt, &error), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_reset (stmt);
    g_assert_true (migrate (sql, steps, G_N_ELEMENTS (steps), &error));
    g_assert_no_error (error);
    g_assert_cmpint (sd_sqlite_get_user_version (sql), ==, 3);
    g_assert_cmpint (count_notes (sql), ==, 1);

    g_assert_false (migrate (sql, steps, 2, &error));
    g_assert_error (error, TEST_ERROR, TEST_SCHEMA);
  }
  remove_db (path);
}

/* A failing step leaves the schema at the version before it. */
static void
test_failed_step (void)
{
  static const char * const broken[] = {
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
    "CREATE TABLE other (x); CREATE TABLE notes (y);",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqlite) sql = open_db (":memory:", 0, &error);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_cmpstr (sd_sqlite_get_path (sql), ==, ":memory:");
  g_assert_false (migrate (sql, broken, G_N_ELEMENTS (broken), &error));
  g_assert_error (error, TEST_ERROR, TEST_FAILED);
  g_assert_cmpint (sd_sqlite_get_user_version (sql), ==, 1);
  /* The table the failed step made first is gone with it. */
  stmt = sd_sqlite_prepare (sql, "SELECT count(*) FROM sqlite_schema WHERE name = 'other'", NULL);
  g_assert_cmpint (sd_sqlite_step (sql, stmt, NULL), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_reset (stmt);
}

/* Statements are prepared once; errors come as GErrors. */
static void
test_statements (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqlite) sql = open_db (":memory:", 0, &error);
  static const char *select = "SELECT body FROM notes ORDER BY id";
  sqlite3_stmt *stmt;
  g_autofree char *first = NULL;

  g_assert_true (migrate (sql, steps, G_N_ELEMENTS (steps), &error));
  insert_note (sql, "one");
  insert_note (sql, NULL);
  stmt = sd_sqlite_prepare (sql, select, &error);
  g_assert_true (stmt == sd_sqlite_prepare (sql, select, &error));
  g_assert_cmpint (sd_sqlite_step (sql, stmt, &error), ==, SQLITE_ROW);
  first = sd_sqlite_column_dup (stmt, 0);
  g_assert_cmpstr (first, ==, "one");
  g_assert_cmpint (sd_sqlite_step (sql, stmt, &error), ==, SQLITE_ROW);
  g_assert_null (sd_sqlite_column_dup (stmt, 0));
  g_assert_cmpint (sd_sqlite_step (sql, stmt, &error), ==, SQLITE_DONE);
  g_assert_no_error (error);

  g_assert_null (sd_sqlite_prepare (sql, "SELECT nothing FROM nowhere", &error));
  g_assert_error (error, TEST_ERROR, TEST_FAILED);
  g_clear_error (&error);
  g_assert_false (sd_sqlite_exec (sql, "INSERT INTO nowhere VALUES (1)", &error));
  g_assert_error (error, TEST_ERROR, TEST_FAILED);
}

/* A rolled-back transaction and savepoint leave nothing; a released
 * savepoint inside a committed transaction stays. */
static void
test_transactions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqlite) sql = open_db (":memory:", 0, &error);

  g_assert_true (migrate (sql, steps, 1, &error));

  g_assert_true (sd_sqlite_begin (sql, &error));
  insert_note (sql, "gone");
  sd_sqlite_rollback (sql);
  g_assert_cmpint (count_notes (sql), ==, 0);
  /* Nothing open: a second rollback does nothing. */
  sd_sqlite_rollback (sql);

  g_assert_true (sd_sqlite_begin (sql, &error));
  insert_note (sql, "kept");
  g_assert_true (sd_sqlite_savepoint (sql, "inner", &error));
  insert_note (sql, "undone");
  sd_sqlite_rollback_to (sql, "inner");
  g_assert_true (sd_sqlite_savepoint (sql, "inner", &error));
  insert_note (sql, "released");
  g_assert_true (sd_sqlite_release (sql, "inner", &error));
  g_assert_true (sd_sqlite_commit (sql, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_notes (sql), ==, 2);

  /* A savepoint outside a transaction is one. */
  g_assert_true (sd_sqlite_savepoint (sql, "alone", &error));
  insert_note (sql, "undone too");
  sd_sqlite_rollback_to (sql, "alone");
  g_assert_cmpint (count_notes (sql), ==, 2);
  g_assert_true (sqlite3_get_autocommit (sd_sqlite_get_handle (sql)));
}

/* A read-only connection beside the writer reads committed data and
 * cannot write. */
static void
test_read_only (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqlite) writer = open_db (path, SQLITE_OPEN_CREATE, &error);
  g_autoptr(SdSqlite) reader = NULL;

  g_assert_no_error (error);
  g_assert_true (migrate (writer, steps, G_N_ELEMENTS (steps), &error));
  insert_note (writer, "seen");
  reader = open_db (path, SQLITE_OPEN_READONLY, &error);
  g_assert_no_error (error);
  g_assert_true (sd_sqlite_is_read_only (reader));
  g_assert_false (sd_sqlite_is_read_only (writer));

  g_assert_true (sd_sqlite_begin (writer, &error));
  insert_note (writer, "not yet");
  g_assert_cmpint (count_notes (reader), ==, 1);
  g_assert_true (sd_sqlite_commit (writer, &error));
  g_assert_cmpint (count_notes (reader), ==, 2);

  g_assert_false (sd_sqlite_exec (reader, "DELETE FROM notes", &error));
  g_assert_error (error, TEST_ERROR, TEST_FAILED);
  g_clear_pointer (&reader, sd_sqlite_close);
  g_clear_pointer (&writer, sd_sqlite_close);
  remove_db (path);
}

/* A missing file is created only when asked. */
static void
test_open_missing (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqlite) sql = open_db (path, 0, &error);

  g_assert_null (sql);
  g_assert_error (error, TEST_ERROR, TEST_FAILED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  remove_db (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sqlite/migrations", test_migrations);
  g_test_add_func ("/sqlite/failed-step", test_failed_step);
  g_test_add_func ("/sqlite/statements", test_statements);
  g_test_add_func ("/sqlite/transactions", test_transactions);
  g_test_add_func ("/sqlite/read-only", test_read_only);
  g_test_add_func ("/sqlite/open-missing", test_open_missing);
  return g_test_run ();
}
