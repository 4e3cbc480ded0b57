/* test-load-balancer.c — two server instances behind HAProxy, one killed
 *
 * Runs under with-postgresql.sh: two supportdesk-server instances on one
 * throwaway PostgreSQL database, and Debian's HAProxy in front of them on
 * loopback (a configuration written to the test's temporary directory).
 * Writers create cases through the balancer while the sync engine syncs
 * through it; one instance is killed with SIGKILL in the middle. Every
 * acknowledged write is in the feed exactly once, the session signed in
 * before the kill still works, and the client's copy ends complete.
 * Skips without a cluster or without haproxy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <supportdesk.h>

#include "server-test-util.h"

#define N_WRITERS       4
#define KILL_AFTER      30   /* acknowledged cases before an instance dies */
#define CASES_AFTER     30   /* and after */

typedef struct {
  Server     *balancer;     /* borrowed */
  const char *token;
  GMutex      lock;
  guint       killed_at;    /* cases acknowledged when an instance was killed, 0 before; under lock */
  GHashTable *acknowledged; /* case id; under lock */
  guint       refused;      /* answers other than 201 (retried); under lock */
} Run;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static guint
port_of (Server *server)
{
  const char *colon = strrchr (server->base, ':');

  return (guint) g_ascii_strtoull (colon + 1, NULL, 10);
}

/* HAProxy on a free loopback port, round robin over both instances; a
 * request whose connection fails is sent to the other one. */
static Server *
balancer_start (const char *haproxy,
                Server     *first,
                Server     *second)
{
  Server *balancer = g_new0 (Server, 1);
  guint port = free_port ();
  g_autofree char *config_path = g_build_filename (tmpdir, "haproxy.cfg", NULL);
  g_autofree char *config = g_strdup_printf (
    "global\n"
    "  maxconn 256\n"
    "defaults\n"
    "  mode http\n"
    "  timeout connect 2s\n"
    "  timeout client 120s\n"
    "  timeout server 120s\n"
    "  retries 3\n"
    "  option redispatch\n"
    "frontend api\n"
    "  bind 127.0.0.1:%u\n"
    "  default_backend servers\n"
    "backend servers\n"
    "  balance roundrobin\n"
    "  server first 127.0.0.1:%u check inter 200ms fall 1 rise 2\n"
    "  server second 127.0.0.1:%u check inter 200ms fall 1 rise 2\n",
    port, port_of (first), port_of (second));
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_true (g_file_set_contents (config_path, config, -1, &error));
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  balancer->process = g_subprocess_launcher_spawn (launcher, &error, haproxy, "-db", "-f", config_path, NULL);
  g_assert_no_error (error);
  balancer->base = g_strdup_printf ("http://127.0.0.1:%u/api/v1", port);

  /* Ready once it accepts connections and both instances are up. */
  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host (client, "127.0.0.1", port,
                                                                                  NULL, NULL);

      if (connection != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
  return balancer;
}

/* Creates cases through the balancer without pause, before and while an
 * instance is killed, until CASES_AFTER more than at the kill are in. A create that is not answered
 * 201 (its instance died under it) is sent again with its
 * Idempotency-Key until it is, so each ends acknowledged once. */
static gpointer
writer_thread (gpointer user_data)
{
  Run *run = user_data;

  for (;;)
    {
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *body = case_body ("cust-a", 3, now_s () - 60);
      const char *headers[] = { "Idempotency-Key", key, NULL };
      g_autoptr(Reply) reply = NULL;
      gboolean done;

      g_mutex_lock (&run->lock);
      done = run->killed_at > 0 && g_hash_table_size (run->acknowledged) >= run->killed_at + CASES_AFTER;
      g_mutex_unlock (&run->lock);
      if (done)
        break;

      for (;;)
        {
          g_clear_pointer (&reply, reply_free);
          reply = request_full (run->balancer, "POST", "/cases", run->token, headers, "application/json", body, -1);
          if (reply->status == 201 || reply->status == 200)
            break;
          g_mutex_lock (&run->lock);
          run->refused++;
          g_mutex_unlock (&run->lock);
        }
      g_mutex_lock (&run->lock);
      g_hash_table_add (run->acknowledged, g_strdup (member_string (reply, "id")));
      g_mutex_unlock (&run->lock);
    }
  return NULL;
}

static guint
n_acknowledged (Run *run)
{
  guint n;

  g_mutex_lock (&run->lock);
  n = g_hash_table_size (run->acknowledged);
  g_mutex_unlock (&run->lock);
  return n;
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* One round of the sync engine: TRUE when it completed. */
static gboolean
sync_once (SdSyncEngine *engine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done;

  sd_sync_engine_sync_async (engine, NULL, got_result_cb, &result);
  done = sd_sync_engine_sync_finish (engine, wait_for (&result), &error);
  if (!done)
    g_test_message ("sync: %s", error->message);
  return done;
}

static void
test_instance_killed (void)
{
  g_autofree char *haproxy = g_find_program_in_path ("haproxy");
  g_autofree char *db = NULL;
  g_autofree char *tam_a = NULL;
  g_autofree char *token = NULL;
  g_autofree char *root = NULL;
  g_autofree char *local = g_build_filename (tmpdir, "client.db", NULL);
  g_autoptr(Server) first = NULL;
  g_autoptr(Server) second = g_new0 (Server, 1);
  g_autoptr(Server) balancer = NULL;
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(SdSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) local_cases = NULL;
  g_autoptr(GError) error = NULL;
  GThread *writers[N_WRITERS];
  Run run = { 0 };
  gint64 cursor = 0, deadline;
  guint rounds = 0, completed = 0;
  GHashTableIter iter;
  gpointer id;

  if (test_db_cluster () == NULL)
    {
      g_test_skip ("needs a PostgreSQL cluster (run under with-postgresql.sh)");
      return;
    }
  if (haproxy == NULL && g_file_test ("/usr/sbin/haproxy", G_FILE_TEST_IS_EXECUTABLE))
    haproxy = g_strdup ("/usr/sbin/haproxy");
  if (haproxy == NULL)
    {
      g_test_skip ("needs haproxy (Debian package haproxy; build-aux/setup-debian.sh --tests installs it)");
      return;
    }

  db = new_db_path ();
  first = server_start_seeded_with_staff (db, &tam_a);
  server_start_on (second, db, NULL);
  balancer = balancer_start (haproxy, first, second);

  /* Signed in through the balancer: the session is in the database. */
  token = sign_in (balancer, "tam.a", "password-a");
  root = g_strndup (balancer->base, strlen (balancer->base) - strlen ("/api/v1"));
  client = sd_rest_client_new (root, NULL, &error);
  g_assert_no_error (error);
  sd_rest_client_sign_in_async (client, "admin", "password-admin", NULL, got_result_cb, &result);
  g_assert_true (sd_rest_client_sign_in_finish (client, wait_for (&result), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  store = sd_local_store_open (local, &error);
  g_assert_no_error (error);
  /* Pages of the default 5,000: a round catches up with the writers. */
  engine = sd_sync_engine_new (client, store);

  run.balancer = balancer;
  run.token = token;
  run.acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&run.lock);
  for (guint i = 0; i < N_WRITERS; i++)
    writers[i] = g_thread_new ("writer", writer_thread, &run);

  /* The client syncs while the writers write; an instance dies once
   * KILL_AFTER cases are acknowledged, and the writers go on. */
  deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  while (n_acknowledged (&run) < KILL_AFTER)
    {
      completed += sync_once (engine);
      rounds++;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  server_stop (first, SIGKILL);
  g_mutex_lock (&run.lock);
  run.killed_at = g_hash_table_size (run.acknowledged);
  g_mutex_unlock (&run.lock);
  while (n_acknowledged (&run) < run.killed_at + CASES_AFTER)
    {
      completed += sync_once (engine);
      rounds++;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (writers[i]);
  g_test_message ("%u cases acknowledged, %u answers other than 201 retried; %u sync rounds, %u completed",
                  g_hash_table_size (run.acknowledged), run.refused, rounds, completed);

  /* The session from before the kill still works, on the instance left. */
  {
    g_autoptr(Reply) me = request (balancer, "GET", "/me", token, NULL);

    assert_status (me, 200);
    g_assert_cmpstr (member_string (me, "id"), ==, tam_a);
  }

  /* The feed holds each acknowledged case once, and no other case. */
  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT "&limit=100", cursor);
      g_autoptr(Reply) page = request (balancer, "GET", path, token, NULL);
      JsonArray *changes;

      assert_status (page, 200);
      changes = json_object_get_array_member (reply_object (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *case_id = json_object_get_string_member (change, "id");

          if (!g_str_equal (json_object_get_string_member (change, "kind"), "case"))
            continue;
          g_assert_false (g_hash_table_contains (seen, case_id));
          g_hash_table_add (seen, g_strdup (case_id));
        }
      cursor = json_object_get_int_member (reply_object (page), "next");
      if (!json_object_get_boolean_member (reply_object (page), "has_more"))
        break;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, g_hash_table_size (run.acknowledged));
  g_hash_table_iter_init (&iter, run.acknowledged);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_assert_true (g_hash_table_contains (seen, id));

  /* The client finishes, with every case. */
  g_assert_true (sync_once (engine));
  local_cases = sd_local_store_list (store, "case", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (local_cases->len, ==, g_hash_table_size (run.acknowledged));

  g_hash_table_unref (run.acknowledged);
  g_mutex_clear (&run.lock);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/load-balancer/instance-killed", test_instance_killed);
  return server_test_run ();
}
