/* test-server-backup.c — supportdesk-server backup while writers run,
 * restore, and a check of what came back; on PostgreSQL (under
 * with-postgresql.sh) the same with pg_dump and pg_restore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define N_WRITERS 4
#define BEFORE_BACKUP 20

typedef struct {
  Server     *server;        /* borrowed */
  char       *token;
  gint        stop;

  GMutex      lock;
  GCond       progressed;
  GHashTable *acknowledged;  /* case ids; under lock */
  guint       errors;        /* under lock */
} Writers;

static gpointer
writer_thread (gpointer user_data)
{
  Writers *writers = user_data;

  while (!g_atomic_int_get (&writers->stop))
    {
      g_autofree char *body = case_body ("cust-a", 3, now_s () - 60);
      g_autoptr(Reply) reply = request (writers->server, "POST", "/cases", writers->token, body);

      g_mutex_lock (&writers->lock);
      if (reply->status == 201)
        g_hash_table_add (writers->acknowledged, g_strdup (member_string (reply, "id")));
      else
        writers->errors++;
      g_cond_broadcast (&writers->progressed);
      g_mutex_unlock (&writers->lock);
    }
  return NULL;
}

/* Runs @program (NULL: supportdesk-server) with @args; returns its exit
 * status, with what it printed in *@out. */
static int
run_command (const char         *program,
             const char * const *args,
             char              **out)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) (program ? program : server_binary ()));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static GHashTable *
copy_set (GHashTable *set)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_hash_table_add (copy, g_strdup (id));
  return copy;
}

/* The whole feed of @server as an admin: the cases in it. Checks that
 * positions grow and that the feed ends at the sequence's head. */
static GHashTable *
read_feed (Server     *server,
           const char *db)
{
  g_autofree char *token = sign_in (server, "admin", "password-admin");
  GHashTable *cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 cursor = 0, entries = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT "&limit=200", cursor);
      g_autoptr(Reply) reply = request (server, "GET", path, token, NULL);
      JsonArray *changes;

      assert_status (reply, 200);
      changes = json_object_get_array_member (reply_object (reply), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          g_assert_cmpint (json_object_get_int_member (change, "seq"), >, cursor);
          cursor = json_object_get_int_member (change, "seq");
          entries++;
          if (g_str_equal (json_object_get_string_member (change, "kind"), "case"))
            g_assert_true (g_hash_table_add (cases, g_strdup (json_object_get_string_member (change, "id"))));
        }
      cursor = json_object_get_int_member (reply_object (reply), "next");
      more = json_object_get_boolean_member (reply_object (reply), "has_more");
    }
  /* Every stored entity is in the feed, once, up to the head. */
  g_assert_cmpint (entries, ==, db_query_int (db, "SELECT count(*) FROM entities"));
  g_assert_cmpint (cursor, ==, db_query_int (db, "SELECT value FROM counters WHERE name = 'seq'"));
  return cases;
}

static void
test_backup_while_writing (void)
{
  g_autofree char *db = NULL;
  g_autofree char *file = g_build_filename (tmpdir, "backup.db", NULL);
  g_autofree char *restored = NULL;
  g_autofree char *tam_a = NULL;
  g_autofree char *out = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(Server) again = g_new0 (Server, 1);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) in_backup = NULL;
  GThread *threads[N_WRITERS];
  Writers writers = { 0 };
  const char *pg_bin = NULL;
  GHashTableIter iter;
  gpointer id;

  /* On PostgreSQL, pg_dump and pg_restore as docs/storage.md says. */
  if (test_db_cluster () != NULL)
    pg_bin = g_getenv ("SUPPORTDESK_PG_BINDIR");
  g_assert_true (test_db_cluster () == NULL || pg_bin != NULL);

  db = new_db_path ();
  restored = new_db_path ();
  server = server_start_seeded_with_staff (db, &tam_a);
  writers.server = server;
  writers.token = sign_in (server, "tam.a", "password-a");
  writers.acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&writers.lock);
  g_cond_init (&writers.progressed);
  for (guint i = 0; i < N_WRITERS; i++)
    threads[i] = g_thread_new ("backup-writer", writer_thread, &writers);

  /* Writers running, some writes acknowledged: back up. */
  g_mutex_lock (&writers.lock);
  while (g_hash_table_size (writers.acknowledged) < BEFORE_BACKUP)
    g_cond_wait (&writers.progressed, &writers.lock);
  before = copy_set (writers.acknowledged);
  g_mutex_unlock (&writers.lock);
  if (pg_bin != NULL)
    {
      g_autofree char *pg_dump = g_build_filename (pg_bin, "pg_dump", NULL);

      g_assert_cmpint (run_command (pg_dump, (const char *[]) { "--format=custom", "--file", file, db, NULL }, &out),
                       ==, 0);
    }
  else
    g_assert_cmpint (run_command (NULL, (const char *[]) { "backup", "--db", db, file, NULL }, &out), ==, 0);
  g_test_message ("%s", out);
  g_clear_pointer (&out, g_free);

  /* …and the writers were still at it after the backup. */
  g_mutex_lock (&writers.lock);
  {
    guint after_backup = g_hash_table_size (writers.acknowledged);

    while (g_hash_table_size (writers.acknowledged) < after_backup + BEFORE_BACKUP)
      g_cond_wait (&writers.progressed, &writers.lock);
  }
  g_mutex_unlock (&writers.lock);
  g_atomic_int_set (&writers.stop, TRUE);
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);
  g_assert_cmpuint (writers.errors, ==, 0);

  if (pg_bin != NULL)
    {
      /* docs/storage.md: pg_restore into a new, empty database. */
      g_autofree char *pg_restore = g_build_filename (pg_bin, "pg_restore", NULL);
      g_autofree char *target = g_strconcat ("--dbname=", restored, NULL);

      g_assert_cmpint (run_command (pg_restore, (const char *[]) { "--no-owner", "--exit-on-error", target, file, NULL },
                                    &out), ==, 0);
    }
  else
    {
      /* A backup is not restored over a database without --replace. */
      g_assert_cmpint (run_command (NULL, (const char *[]) { "restore", "--db", db, file, NULL }, &out), ==, 2);
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (run_command (NULL, (const char *[]) { "restore", "--db", restored, file, NULL }, &out), ==, 0);
    }
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_command (NULL, (const char *[]) { "audit", "verify", "--db", restored, NULL }, &out), ==, 0);
  g_assert_true (strstr (out, "chain intact") != NULL);

  /* The restored database serves a complete feed: every case acknowledged
   * before the backup began, and only acknowledged cases. */
  server_start_on (again, restored, NULL);
  in_backup = read_feed (again, restored);
  g_test_message ("%u cases acknowledged before the backup, %u in it, %u in all",
                  g_hash_table_size (before), g_hash_table_size (in_backup),
                  g_hash_table_size (writers.acknowledged));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_true (g_hash_table_contains (in_backup, id));
  g_hash_table_iter_init (&iter, in_backup);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_true (g_hash_table_contains (writers.acknowledged, id));
  g_assert_cmpuint (g_hash_table_size (in_backup), <, g_hash_table_size (writers.acknowledged));

  g_hash_table_unref (writers.acknowledged);
  g_mutex_clear (&writers.lock);
  g_cond_clear (&writers.progressed);
  g_free (writers.token);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/backup/while-writing", test_backup_while_writing);
  return server_test_run ();
}
