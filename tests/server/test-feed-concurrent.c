/* test-feed-concurrent.c — two server instances on one PostgreSQL
 * database, concurrent writers, and readers that follow the change feed
 *
 * Runs under with-postgresql.sh; without a cluster it skips. The writers
 * run for SUPPORTDESK_FEED_TEST_SECONDS (default 20; CI may ask for 60).
 * docs/storage.md says why a reader can never skip a write here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-util.h"

#define N_WRITERS 8
#define N_READERS 2
#define PAGE 50

typedef struct {
  Server     *servers[2];   /* borrowed */
  char       *token;        /* a TAM's session, signed in on one instance */
  char       *reader_token; /* an admin's, who sees every customer */
  gint64      deadline;     /* monotonic µs: writers stop */
  gint        writers_left;

  GMutex      lock;
  GHashTable *acknowledged; /* case id → writer; under lock */
  guint       errors;       /* answers other than 201; under lock */
} Run;

typedef struct {
  Run        *run;
  guint       index;
  GHashTable *seen;         /* case id → times seen */
  gint64      pages;
  gint64      cursor;
} Reader;

static guint
test_seconds (void)
{
  const char *text = g_getenv ("SUPPORTDESK_FEED_TEST_SECONDS");
  guint64 seconds = 20;

  if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 3600, &seconds, NULL))
    g_error ("SUPPORTDESK_FEED_TEST_SECONDS: %s is not 1 to 3600", text);
  return (guint) seconds;
}

/* Creates cases until the deadline, alternating the instances; every
 * 201 is an acknowledged write. */
static gpointer
writer_thread (gpointer user_data)
{
  Run *run = user_data;
  static gint next_writer;
  guint index = (guint) g_atomic_int_add (&next_writer, 1);
  guint n = 0;

  while (g_get_monotonic_time () < run->deadline)
    {
      g_autofree char *body = case_body ("cust-a", 3, now_s () - 60);
      g_autoptr(Reply) reply = request (run->servers[(index + n++) % 2], "POST", "/cases", run->token, body);

      g_mutex_lock (&run->lock);
      if (reply->status == 201)
        g_hash_table_insert (run->acknowledged, g_strdup (member_string (reply, "id")),
                             GUINT_TO_POINTER (index + 1));
      else
        run->errors++;
      g_mutex_unlock (&run->lock);
    }
  g_atomic_int_dec_and_test (&run->writers_left);
  return NULL;
}

/* One page from the reader's cursor: TRUE while there is more. */
static gboolean
read_page (Reader *reader)
{
  Run *run = reader->run;
  g_autofree char *path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT "&limit=%d", reader->cursor, PAGE);
  g_autoptr(Reply) reply = request (run->servers[reader->index % 2], "GET", path, run->reader_token, NULL);
  JsonObject *page;
  JsonArray *changes;
  gint64 previous = reader->cursor;

  assert_status (reply, 200);
  page = reply_object (reply);
  changes = json_object_get_array_member (page, "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      gint64 seq = json_object_get_int_member (change, "seq");
      const char *id = json_object_get_string_member (change, "id");

      /* Positions only grow along the feed. */
      g_assert_cmpint (seq, >, previous);
      previous = seq;
      if (g_str_equal (json_object_get_string_member (change, "kind"), "case"))
        {
          guint times = GPOINTER_TO_UINT (g_hash_table_lookup (reader->seen, id));

          g_hash_table_insert (reader->seen, g_strdup (id), GUINT_TO_POINTER (times + 1));
        }
    }
  g_assert_cmpint (json_object_get_int_member (page, "next"), >=, reader->cursor);
  reader->cursor = json_object_get_int_member (page, "next");
  reader->pages++;
  return json_object_get_boolean_member (page, "has_more");
}

/* Follows the feed while the writers run, then reads it to its end. */
static gpointer
reader_thread (gpointer user_data)
{
  Reader *reader = user_data;

  while (g_atomic_int_get (&reader->run->writers_left) > 0)
    read_page (reader);
  while (read_page (reader))
    ;
  return NULL;
}

static void
test_writers_and_readers (void)
{
  g_autofree char *db = NULL;
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) first = NULL;
  g_autoptr(Server) second = g_new0 (Server, 1);
  GThread *writers[N_WRITERS];
  GThread *readers[N_READERS];
  Reader reader_state[N_READERS];
  Run run = { 0 };
  guint seconds = test_seconds ();
  gint64 started, elapsed;
  GHashTableIter iter;
  gpointer id;

  if (test_db_cluster () == NULL)
    {
      g_test_skip ("needs a PostgreSQL cluster (run under with-postgresql.sh)");
      return;
    }

  db = new_db_path ();
  first = server_start_seeded_with_staff (db, &tam_a);
  server_start_on (second, db, NULL);
  run.servers[0] = first;
  run.servers[1] = second;
  /* Sessions live in the database: signed in on one instance, used on both. */
  run.token = sign_in (first, "tam.a", "password-a");
  run.reader_token = sign_in (second, "admin", "password-admin");
  run.acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&run.lock);
  run.writers_left = N_WRITERS;

  started = g_get_monotonic_time ();
  run.deadline = started + seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < N_READERS; i++)
    {
      reader_state[i] = (Reader) { &run, i, g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL), 0, 0 };
      readers[i] = g_thread_new ("feed-reader", reader_thread, &reader_state[i]);
    }
  for (guint i = 0; i < N_WRITERS; i++)
    writers[i] = g_thread_new ("feed-writer", writer_thread, &run);
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (writers[i]);
  elapsed = g_get_monotonic_time () - started;
  for (guint i = 0; i < N_READERS; i++)
    g_thread_join (readers[i]);

  g_test_message ("%u writers on 2 instances for %u s: %u cases created (%.1f per second), %u errors",
                  N_WRITERS, seconds, g_hash_table_size (run.acknowledged),
                  g_hash_table_size (run.acknowledged) / (elapsed / (double) G_USEC_PER_SEC), run.errors);
  g_assert_cmpuint (run.errors, ==, 0);
  g_assert_cmpuint (g_hash_table_size (run.acknowledged), >, N_WRITERS);

  /* Every reader saw every acknowledged case exactly once, and nothing
   * that was not acknowledged. */
  for (guint i = 0; i < N_READERS; i++)
    {
      g_test_message ("reader %u: %" G_GINT64_FORMAT " pages, %u cases", i, reader_state[i].pages,
                      g_hash_table_size (reader_state[i].seen));
      g_hash_table_iter_init (&iter, run.acknowledged);
      while (g_hash_table_iter_next (&iter, &id, NULL))
        g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (reader_state[i].seen, id)), ==, 1);
      g_assert_cmpuint (g_hash_table_size (reader_state[i].seen), ==, g_hash_table_size (run.acknowledged));
      g_hash_table_unref (reader_state[i].seen);
    }

  g_hash_table_unref (run.acknowledged);
  g_mutex_clear (&run.lock);
  g_free (run.token);
  g_free (run.reader_token);
}

/* A create retried with its Idempotency-Key on the other instance gives
 * the first case back, not a second one. */
static void
test_idempotency_across_instances (void)
{
  g_autofree char *db = NULL;
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) first = NULL;
  g_autoptr(Server) second = g_new0 (Server, 1);
  g_autofree char *token = NULL;
  g_autofree char *body = case_body ("cust-a", 2, now_s () - 60);
  const char *headers[] = { "Idempotency-Key", "3b1f1a52-7d1c-4f6e-9a57-2f1d1f0c9e11", NULL };
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) retried = NULL;

  if (test_db_cluster () == NULL)
    {
      g_test_skip ("needs a PostgreSQL cluster (run under with-postgresql.sh)");
      return;
    }
  db = new_db_path ();
  first = server_start_seeded_with_staff (db, &tam_a);
  server_start_on (second, db, NULL);
  token = sign_in (first, "tam.a", "password-a");

  created = request_full (first, "POST", "/cases", token, headers, "application/json", body, -1);
  assert_status (created, 201);
  retried = request_full (second, "POST", "/cases", token, headers, "application/json", body, -1);
  g_assert_cmpuint (retried->status, <, 300);
  g_assert_cmpstr (member_string (retried, "id"), ==, member_string (created, "id"));
  g_assert_cmpint (db_query_int (db, "SELECT count(*) FROM entities WHERE kind = 'case'"), ==, 1);
}

/* Failed sign-ins count on every instance: after five on one, the next
 * on the other waits. A sign-in that succeeds leaves no count. */
static void
test_throttle_across_instances (void)
{
  g_autofree char *db = NULL;
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) first = NULL;
  g_autoptr(Server) second = g_new0 (Server, 1);
  g_autoptr(Reply) throttled = NULL;
  const char *wrong = "{\"login\":\"tam.b\",\"password\":\"not-the-password\"}";

  if (test_db_cluster () == NULL)
    {
      g_test_skip ("needs a PostgreSQL cluster (run under with-postgresql.sh)");
      return;
    }
  db = new_db_path ();
  first = server_start_seeded_with_staff (db, &tam_a);
  server_start_on (second, db, NULL);

  for (int i = 0; i < 5; i++)
    {
      g_autoptr(Reply) failed = request (first, "POST", "/auth/token", NULL, wrong);

      assert_status (failed, 401);
    }
  throttled = request (second, "POST", "/auth/token", NULL, wrong);
  assert_status (throttled, 429);
  g_assert_nonnull (soup_message_headers_get_one (throttled->headers, "Retry-After"));
  g_assert_cmpint (db_query_int (db, "SELECT count (*) FROM sign_in_attempts"), ==, 1);

  /* Another login is not held back, and its success leaves no count. */
  g_free (sign_in (second, "tam.a", "password-a"));
  g_assert_cmpint (db_query_int (db, "SELECT count (*) FROM sign_in_attempts"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/feed/idempotency-across-instances", test_idempotency_across_instances);
  g_test_add_func ("/feed/throttle-across-instances", test_throttle_across_instances);
  g_test_add_func ("/feed/writers-and-readers", test_writers_and_readers);
  return server_test_run ();
}
