/* test-sync.c — the sync engine and supportdesk-cli against the real server
 *
 * The server runs as its own process on loopback; the CLI runs as its own
 * process too where a client crash is part of the story. The keyring
 * tests need the session's Secret Service (build-aux/headless.sh provides
 * an unlocked gnome-keyring) and skip without one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <supportdesk.h>

static char *tmpdir;

typedef struct {
  GSubprocess *process;
  char        *url;     /* http://127.0.0.1:PORT */
  char        *db;
  guint        port;
} Server;

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

static void server_start_argv (Server *server, const char * const *extra);

static void
server_start (Server     *server,
              const char *extra)
{
  const char * const args[] = { extra, NULL };

  server_start_argv (server, args);
}

/* The server with the arguments @extra (NULL-terminated) after its own. */
static void
server_start_argv (Server             *server,
                   const char * const *extra)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;

  if (server->db == NULL)
    {
      static guint n;
      server->db = g_strdup_printf ("%s/server-%u.db", tmpdir, ++n);
      server->port = free_port ();
      server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
    }
  listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_ptr_array_add (argv, (char *) g_getenv ("SUPPORTDESK_SERVER"));
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, server->db);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, listen);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra[i]);
  g_ptr_array_add (argv, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (strstr (line, "listening on "))
        break;
    }
}

static void
server_stop (Server *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

static void
server_free (Server *server)
{
  server_stop (server);
  g_free (server->url);
  g_free (server->db);
  g_free (server);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

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

static SdRestClient *
signed_in_client (Server     *server,
                  const char *login)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  SdRestClient *client = sd_rest_client_new (server->url, NULL, &error);

  g_assert_no_error (error);
  sd_rest_client_sign_in_async (client, login, "supportdesk-demo", NULL, got_result_cb, &result);
  g_assert_true (sd_rest_client_sign_in_finish (client, wait_for (&result), NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return client;
}

static SdLocalStore *
new_store (void)
{
  static guint n;
  g_autofree char *path = g_strdup_printf ("%s/client-%u.db", tmpdir, ++n);
  g_autoptr(GError) error = NULL;
  SdLocalStore *store = sd_local_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gboolean
sync_now (SdSyncEngine  *engine,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sd_sync_engine_sync_async (engine, NULL, got_result_cb, &result);
  return sd_sync_engine_sync_finish (engine, wait_for (&result), error);
}

static guint
count_kind (SdLocalStore *store,
            const char   *kind)
{
  g_autoptr(GPtrArray) items = sd_local_store_list (store, kind, NULL, NULL);

  return items ? items->len : 0;
}

/* The whole feed arrives; a second sync is one request that changes nothing. */
static void
test_first_sync (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdLocalStore) store = new_store ();
  g_autoptr(SdSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cursor;

  server_start (server, "--demo");
  client = signed_in_client (server, "li.na");
  engine = sd_sync_engine_new (client, store);
  sd_sync_engine_set_page_size (engine, 100);

  g_assert_cmpint (sd_sync_engine_get_state (engine), ==, SD_SYNC_STATE_IDLE);
  g_assert_true (sync_now (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_sync_engine_get_state (engine), ==, SD_SYNC_STATE_SYNCED);
  g_assert_cmpint (sd_sync_engine_get_last_sync (engine), >, 0);
  /* li.na is the TAM of three of the six demo customers: half the cases. */
  g_assert_cmpuint (count_kind (store, "customer"), ==, 3);
  g_assert_cmpuint (count_kind (store, "case"), ==, 150);
  g_assert_cmpuint (count_kind (store, "calendar"), >=, 1);
  g_assert_cmpuint (count_kind (store, "sla_policy"), ==, 2);
  g_assert_cmpuint (sd_sync_engine_get_n_requests (engine), >, 5);  /* pages of 100 */
  cursor = sd_local_store_get_cursor (store, NULL);
  g_assert_cmpint (cursor, >, 0);

  g_assert_true (sync_now (engine, &error));
  g_assert_cmpuint (sd_sync_engine_get_n_requests (engine), ==, 1);
  g_assert_cmpint (sd_local_store_get_cursor (store, NULL), ==, cursor);
  g_assert_cmpuint (count_kind (store, "case"), ==, 150);
}

static gboolean
first_page_applied (gpointer data)
{
  return sd_local_store_get_cursor (data, NULL) > 0;
}

/* The server dies in the middle of a first sync and comes back: the next
 * sync resumes from the cursor; nothing is missing, nothing twice. */
static void
test_server_killed_mid_sync (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdLocalStore) store = new_store ();
  g_autoptr(SdSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 cursor_at_kill;

  server_start (server, "--demo");
  client = signed_in_client (server, "admin");
  engine = sd_sync_engine_new (client, store);
  sd_sync_engine_set_page_size (engine, 50);

  sd_sync_engine_sync_async (engine, NULL, got_result_cb, &result);
  while (!first_page_applied (store))
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);

  g_assert_false (sd_sync_engine_sync_finish (engine, wait_for (&result), &error));
  g_assert_true (sd_rest_error_is_retryable (error));
  g_assert_cmpint (sd_sync_engine_get_state (engine), ==, SD_SYNC_STATE_OFFLINE);
  cursor_at_kill = sd_local_store_get_cursor (store, NULL);
  g_assert_cmpint (cursor_at_kill, >, 0);
  g_assert_cmpuint (count_kind (store, "case"), <, 300);
  g_clear_error (&error);

  server_start (server, NULL);
  g_assert_true (sync_now (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sd_local_store_get_cursor (store, NULL), >, cursor_at_kill);

  /* Every demo case, once. */
  cases = sd_local_store_list (store, "case", NULL, NULL);
  g_assert_cmpuint (cases->len, ==, 300);
  for (guint i = 0; i < cases->len; i++)
    {
      const char *id = json_object_get_string_member (json_node_get_object (cases->pdata[i]), "id");

      g_assert_false (g_hash_table_contains (ids, id));
      g_hash_table_add (ids, (gpointer) id);
    }
}

/* A frozen process (a laptop's suspend, SIGSTOP, a debugger): the main
 * loop does not run for longer than the client's idle timeout, so the
 * keep-alive connection's idle timer is overdue when the next sync asks
 * for a connection. That sync completes, and so does the one after. */
static void
test_sync_after_blocked_loop (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdLocalStore) store = new_store ();
  g_autoptr(SdSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cursor;

  server_start (server, "--demo");
  client = sd_rest_client_new (server->url, NULL, &error);
  g_assert_no_error (error);
  sd_rest_client_set_idle_timeout (client, 1);
  g_assert_cmpuint (sd_rest_client_get_idle_timeout (client), ==, 1);
  {
    g_autoptr(GAsyncResult) result = NULL;

    sd_rest_client_sign_in_async (client, "li.na", "supportdesk-demo", NULL, got_result_cb, &result);
    g_assert_true (sd_rest_client_sign_in_finish (client, wait_for (&result), NULL, NULL, NULL, &error));
  }
  engine = sd_sync_engine_new (client, store);
  sd_sync_engine_set_page_size (engine, 100);
  g_assert_true (sync_now (engine, &error));
  g_assert_no_error (error);
  cursor = sd_local_store_get_cursor (store, NULL);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(SdRestClient) other_client = signed_in_client (server, "li.na");
      g_autofree char *title = g_strdup_printf ("Changed while frozen %u", round);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) cases = sd_local_store_list (store, "case", NULL, NULL);
      JsonObject *first = json_node_get_object (cases->pdata[round]);
      const char *case_id = json_object_get_string_member (first, "id");
      g_autofree char *path = g_strconcat ("/cases/", case_id, NULL);
      g_autoptr(JsonNode) patch = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(JsonNode) updated = NULL;
      g_autoptr(JsonNode) mirrored = NULL;
      gint64 after;

      /* Something changes on the server meanwhile. */
      json_node_take_object (patch, json_object_new ());
      json_object_set_string_member (json_node_get_object (patch), "title", title);
      sd_rest_client_update_async (other_client, path, patch, json_object_get_int_member (first, "version"),
                                   NULL, got_result_cb, &result);
      updated = sd_rest_client_update_finish (other_client, wait_for (&result), &error);
      g_assert_no_error (error);
      g_assert_nonnull (updated);

      /* The loop is frozen past the idle timeout. */
      g_usleep (2 * G_USEC_PER_SEC + G_USEC_PER_SEC / 2);

      g_assert_true (sync_now (engine, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sd_sync_engine_get_state (engine), ==, SD_SYNC_STATE_SYNCED);
      after = sd_local_store_get_cursor (store, NULL);
      g_assert_cmpint (after, >, cursor);
      cursor = after;
      mirrored = sd_local_store_get (store, "case", case_id, NULL);
      g_assert_nonnull (mirrored);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (mirrored), "title"), ==, title);
    }

  /* A resume: the engine drops the dead connections and syncs once by
   * itself (the loopback server is reachable). */
  g_usleep (2 * G_USEC_PER_SEC);
  sd_sync_engine_resume (engine);
  while (sd_sync_engine_get_state (engine) != SD_SYNC_STATE_SYNCING)
    g_main_context_iteration (NULL, TRUE);
  while (sd_sync_engine_get_state (engine) == SD_SYNC_STATE_SYNCING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (sd_sync_engine_get_state (engine), ==, SD_SYNC_STATE_SYNCED);
  g_assert_cmpuint (sd_sync_engine_get_n_requests (engine), ==, 1);
}

/* Two people edit the same case: the second is told, both versions are
 * kept, nothing is overwritten. */
static void
test_conflict (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(SdRestClient) client_a = NULL, client_b = NULL;
  g_autoptr(SdLocalStore) store_a = new_store (), store_b = new_store ();
  g_autoptr(SdSyncEngine) engine_a = NULL, engine_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonNode) mine = NULL;
  g_autoptr(JsonNode) patch_a = json_from_string ("{\"title\":\"Agents offline in Pudong\"}", NULL);
  g_autoptr(JsonNode) patch_b = json_from_string ("{\"title\":\"Agents offline after the update\"}", NULL);
  g_autofree char *id = NULL;
  gint64 version;
  guint pending, n_conflicts, attention;
  SdOutboxEntry *conflict;

  server_start (server, "--demo");
  client_a = signed_in_client (server, "li.na");
  client_b = signed_in_client (server, "wang.qiang");  /* the duty manager covers the same customers */
  engine_a = sd_sync_engine_new (client_a, store_a);
  engine_b = sd_sync_engine_new (client_b, store_b);
  g_assert_true (sync_now (engine_a, &error));
  g_assert_true (sync_now (engine_b, &error));
  g_assert_no_error (error);

  cases = sd_local_store_list (store_a, "case", NULL, NULL);
  id = g_strdup (json_object_get_string_member (json_node_get_object (cases->pdata[0]), "id"));
  version = json_object_get_int_member (json_node_get_object (cases->pdata[0]), "version");

  g_assert_cmpint (sd_local_store_enqueue (store_a, SD_OUTBOX_OP_UPDATE, "case", id, patch_a, version, &error), >, 0);
  g_assert_cmpint (sd_local_store_enqueue (store_b, SD_OUTBOX_OP_UPDATE, "case", id, patch_b, version, &error), >, 0);
  g_assert_no_error (error);

  g_assert_true (sync_now (engine_a, &error));
  g_assert_true (sync_now (engine_b, &error));
  g_assert_no_error (error);

  /* B keeps its edit, sees the conflict with the server's version, and the
   * server has A's edit. */
  g_assert_true (sd_local_store_get_counts (store_b, &pending, &n_conflicts, &attention, NULL));
  g_assert_cmpuint (n_conflicts, ==, 1);
  conflicts = sd_local_store_list_conflicts (store_b, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = conflicts->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (conflict->payload), "title"), ==,
                   "Agents offline after the update");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (conflict->server_entity), "title"), ==,
                   "Agents offline in Pudong");
  mine = sd_local_store_get (store_b, "case", id, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (mine), "title"), ==,
                   "Agents offline after the update");
  {
    g_autoptr(JsonNode) theirs = sd_local_store_get (store_a, "case", id, NULL);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (theirs), "title"), ==,
                     "Agents offline in Pudong");
  }
}

/* A server that answers 503 with Retry-After: a clear state, the edit
 * waits, the store is unchanged. */
static gboolean
fault_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  static const char body[] = "{\"type\":\"about:blank\",\"title\":\"Maintenance\",\"status\":503}";
  g_autofree char *reply = g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 42\r\n"
                                            "Content-Type: application/problem+json\r\n"
                                            "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                            strlen (body), body);
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  char buffer[8192];

  g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
  g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_server_unavailable (void)
{
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdLocalStore) store = new_store ();
  g_autoptr(SdSyncEngine) engine = NULL;
  g_autoptr(GPtrArray) pending_ops = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) kase = NULL;
  g_autoptr(SdCase) object = sd_case_new (NULL);
  guint16 port;
  guint pending, conflicts, attention;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (fault_incoming_cb), NULL);
  g_socket_service_start (service);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  /* A case created offline waits in the outbox. */
  sd_case_set_customer_id (object, "cust-pujiang-bank");
  sd_case_set_title (object, "Reported by phone");
  sd_case_set_severity (object, 2);
  sd_case_set_reported_at (object, g_get_real_time () / G_USEC_PER_SEC - 600);
  sd_case_set_reported_via (object, SD_REPORTED_VIA_PHONE);
  kase = sd_case_to_json (object);
  g_assert_cmpint (sd_local_store_enqueue (store, SD_OUTBOX_OP_CREATE, "case", sd_case_get_id (object),
                                           kase, 0, &error), >, 0);
  g_assert_no_error (error);

  client = sd_rest_client_new (url, "token", &error);
  engine = sd_sync_engine_new (client, store);
  g_assert_false (sync_now (engine, &error));
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_THROTTLED);
  g_assert_cmpuint (sd_rest_error_get_retry_after (error), ==, 42);
  g_assert_cmpint (sd_sync_engine_get_state (engine), ==, SD_SYNC_STATE_OFFLINE);
  g_assert_nonnull (sd_sync_engine_get_last_error (engine));

  /* Nothing lost, nothing applied; it will be tried again. */
  g_assert_true (sd_local_store_get_counts (store, &pending, &conflicts, &attention, NULL));
  g_assert_cmpuint (pending, ==, 1);
  g_assert_cmpuint (attention, ==, 0);
  pending_ops = sd_local_store_list_outbox (store, SD_OUTBOX_STATE_PENDING, NULL);
  g_assert_cmpuint (((SdOutboxEntry *) pending_ops->pdata[0])->attempts, ==, 1);
  g_assert_cmpint (sd_local_store_get_cursor (store, NULL), ==, 0);
  g_assert_nonnull (sd_local_store_get (store, "case", sd_case_get_id (object), NULL));

  /* The next automatic try honours Retry-After. */
  g_assert_cmpuint (sd_sync_engine_backoff (1, 42, 0.0), ==, 42);

  g_socket_service_stop (service);
}

static void
test_backoff (void)
{
  g_assert_cmpuint (sd_sync_engine_backoff (1, 0, 0.0), ==, 2);
  g_assert_cmpuint (sd_sync_engine_backoff (2, 0, 0.0), ==, 4);
  g_assert_cmpuint (sd_sync_engine_backoff (5, 0, 0.0), ==, 32);
  g_assert_cmpuint (sd_sync_engine_backoff (30, 0, 0.0), ==, 300);
  /* jitter spreads by up to a quarter */
  g_assert_cmpuint (sd_sync_engine_backoff (4, 0, 1.0), ==, 20);
  g_assert_cmpuint (sd_sync_engine_backoff (4, 0, 0.5), ==, 18);
  /* never sooner than the server asked */
  g_assert_cmpuint (sd_sync_engine_backoff (1, 120, 1.0), ==, 120);
}

/* ------------------------------------------------------- the CLI, as a user */

static gboolean
have_keyring (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) owner = NULL;

  if (bus == NULL || g_getenv ("XDG_DATA_HOME") == NULL)
    return FALSE;
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), 0, 5000, NULL, NULL);
  if (owner == NULL)
    return FALSE;
  {
    gboolean has;
    g_variant_get (owner, "(b)", &has);
    return has;
  }
}

/* Runs supportdesk-cli with @input on stdin; returns its exit status. */
static int
cli (const char  *input,
     char       **out,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("SUPPORTDESK_CLI"));
  va_start (args, out);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text, &error));
  if (!g_subprocess_get_if_exited (process))
    g_error ("supportdesk-cli %s died from signal %d: %s", (char *) argv->pdata[1],
             g_subprocess_get_term_sig (process), stderr_text);
  g_test_message ("supportdesk-cli %s → %d: %s%s", (char *) argv->pdata[1],
                  g_subprocess_get_exit_status (process), stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return g_subprocess_get_exit_status (process);
}

static JsonObject *
server_case (Server     *server,
             const char *token,
             const char *number,
             JsonNode  **keep)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRestClient) client = sd_rest_client_new (server->url, token, &error);
  g_autoptr(GAsyncResult) result = NULL;
  gint64 after = 0;

  /* Walk the feed: the test only needs one case. */
  for (;;)
    {
      g_autoptr(JsonNode) page = NULL;
      JsonArray *changes;

      g_clear_object (&result);
      sd_rest_client_changes_async (client, after, 1000, NULL, got_result_cb, &result);
      page = sd_rest_client_changes_finish (client, wait_for (&result), &error);
      g_assert_no_error (error);
      changes = json_object_get_array_member (json_node_get_object (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *entity;

          if (json_object_get_null_member (change, "entity"))
            continue;
          entity = json_object_get_object_member (change, "entity");
          if (g_strcmp0 (json_object_get_string_member_with_default (entity, "number", NULL), number) == 0)
            {
              *keep = json_node_copy (json_object_get_member (change, "entity"));
              return json_node_get_object (*keep);
            }
        }
      after = json_object_get_int_member (json_node_get_object (page), "next");
      if (!json_object_get_boolean_member (json_node_get_object (page), "has_more"))
        return NULL;
    }
}

static guint
count_status_events (Server     *server,
                     const char *token,
                     const char *case_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1/cases/%s/events", server->url, case_id);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *items;
  guint n = 0;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  node = sd_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (node), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "kind"),
                   "status_change") == 0
        && json_object_get_int_member_with_default (json_array_get_object_element (items, i), "version", 0) >= 0)
      {
        JsonObject *data = json_object_get_object_member (json_array_get_object_element (items, i), "data");
        if (g_strcmp0 (json_object_get_string_member (data, "to"), "waiting_customer") == 0)
          n++;
      }
  return n;
}

/* Edits made while the server is down survive a killed client and arrive
 * exactly once when the server is back. */
static void
test_cli_offline_edits (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *listing = NULL;
  g_autofree char *token = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  server_start (server, "--demo");
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "li.na", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &listing, "cases", "list", NULL), ==, 0);

  /* Three cases in progress. */
  lines = g_strsplit (listing, "\n", -1);
  for (guint i = 0; lines[i] && numbers->len < 3; i++)
    if (strstr (lines[i], "In Progress"))
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], " ", 2);
        g_ptr_array_add (numbers, g_strdup (fields[0]));
      }
  g_assert_cmpuint (numbers->len, ==, 3);

  server_stop (server);
  /* A pause needs a reason: refused at once (a usage error), nothing
   * queued (the count of changes that arrive below says so). */
  g_assert_cmpint (cli (NULL, NULL, "case", "update", numbers->pdata[0], "--status", "waiting_customer", NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "case", "update", numbers->pdata[0], "--status", "waiting_customer",
                        "--reason", " ", NULL), ==, 2);
  for (guint i = 0; i < numbers->len; i++)
    g_assert_cmpint (cli (NULL, NULL, "case", "update", numbers->pdata[i], "--status", "waiting_customer",
                          "--reason", "Waiting for the agent logs", NULL), ==, 0);
  /* Offline: a clear failure, the edits wait. */
  g_assert_cmpint (cli (NULL, NULL, "sync", NULL), ==, 1);

  /* The server is back; a sync is killed mid-way, the next one finishes. */
  server_start (server, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GSubprocess) killed = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                      &error, g_getenv ("SUPPORTDESK_CLI"), "sync", NULL);
    g_assert_no_error (error);
    g_usleep (20 * 1000);
    g_subprocess_force_exit (killed);
    g_subprocess_wait (killed, NULL, NULL);
  }
  g_assert_cmpint (cli (NULL, NULL, "sync", NULL), ==, 0);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdRestClient) client = signed_in_client (server, "li.na");

    token = g_strdup (sd_rest_client_get_token (client));
  }
  for (guint i = 0; i < numbers->len; i++)
    {
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *kase = server_case (server, token, numbers->pdata[i], &keep);

      g_assert_nonnull (kase);
      g_assert_cmpstr (json_object_get_string_member (kase, "status"), ==, "waiting_customer");
      g_assert_cmpuint (count_status_events (server, token, json_object_get_string_member (kase, "id")), ==, 1);
    }

  /* The keyring is left as it was found. */
  g_assert_cmpint (cli (NULL, NULL, "logout", "--delete-cache", NULL), ==, 0);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  return memmem (data, length, needle, strlen (needle)) != NULL;
}

static void
assert_nowhere (const char *dir,
                const char *secret)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing && (name = g_dir_read_name (listing)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_nowhere (path, secret);
      else if (file_contains (path, secret))
        g_error ("%s holds a secret in plain text", path);
    }
}

/* After sign-in, sync and sign-out, no file holds the token or the
 * password in plain text. */
static void
test_cli_no_secrets_on_disk (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  const char *dirs[] = { g_get_user_data_dir (), g_get_user_config_dir (), g_get_user_cache_dir (), tmpdir };

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  server_start (server, "--demo");
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "anna.schmidt", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "anna.schmidt", NULL), ==, 0);
  {
    g_autofree char *base = g_strconcat (server->url, "/api/v1", NULL);
    token = sd_credentials_lookup_token_sync (base, "anna.schmidt", NULL, &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (token);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      assert_nowhere (dirs[i], token);
      assert_nowhere (dirs[i], "supportdesk-demo");
    }

  g_assert_cmpint (cli (NULL, NULL, "logout", "--login", "anna.schmidt", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    assert_nowhere (dirs[i], token);
  /* Signed out: the account is gone and the old token is refused. */
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "anna.schmidt", NULL), ==, 2);
}

/* Signed in with the bare address, every command finds the account by any
 * form of it: with or without the API path, a trailing slash, another case. */
static void
test_cli_server_forms (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *with_api = NULL;
  g_autofree char *loud = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *signed_in = NULL;

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  server_start (server, "--demo");
  with_api = g_strconcat (server->url, "/api/v1/", NULL);
  loud = g_strconcat ("HTTP://", server->url + strlen ("http://"), "/", NULL);
  g_assert_cmpint (cli ("supportdesk-demo\n", &signed_in, "login", "--server", server->url, "--login", "li.na", NULL), ==, 0);
  g_assert_nonnull (strstr (signed_in, "/api/v1"));
  g_assert_cmpint (cli (NULL, NULL, "sync", "--server", server->url, NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--server", with_api, NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &listing, "cases", "list", "--server", loud, NULL), ==, 0);
  g_assert_nonnull (strstr (listing, "SD-2026-00001"));
  g_assert_cmpint (cli (NULL, NULL, "report", "daily", "--server", server->url, NULL), ==, 0);
  /* Another server is still another account. */
  g_assert_cmpint (cli (NULL, NULL, "sync", "--server", "http://127.0.0.1:1", NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "logout", "--server", server->url, "--delete-cache", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--server", with_api, NULL), ==, 2);
}

/* report daily says whose cases it covers; an administrator reaches the
 * other TAMs' customers with --all or --customer, a TAM may not. */
static void
test_cli_daily_scope (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *mine = NULL;
  g_autofree char *everyone = NULL;
  g_autofree char *one = NULL;
  g_autofree char *tam = NULL;

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  server_start (server, "--demo");
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "admin", NULL), ==, 0);

  /* By default an administrator's own customers: none, and it says so. */
  g_assert_cmpint (cli (NULL, &mine, "report", "daily", "--login", "admin", "--now", "2026-12-04T10:00:00Z", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (mine, "Covers the open severity-1 cases of the customers you manage"));
  g_assert_nonnull (strstr (mine, ": none\n"));
  g_assert_nonnull (strstr (mine, "of other customers"));
  g_assert_nonnull (strstr (mine, "--all"));
  g_assert_null (strstr (mine, "mailto:"));

  g_assert_cmpint (cli (NULL, &everyone, "report", "daily", "--login", "admin", "--all", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (everyone, "Covers the open severity-1 cases of all customers: "));
  g_assert_nonnull (strstr (everyone, "上海浦江银行"));
  g_assert_nonnull (strstr (everyone, "mailto:"));

  g_assert_cmpint (cli (NULL, &one, "report", "daily", "--login", "admin", "--customer", "cust-pujiang-bank", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (one, "Covers the open severity-1 cases of the chosen customers: 上海浦江银行\n"));
  g_assert_cmpint (cli (NULL, NULL, "report", "daily", "--login", "admin", "--customer", "cust-nowhere", NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "report", "daily", "--login", "admin", "--all", "--customer", "cust-pujiang-bank", NULL), ==, 2);

  /* The quarterly report states this contract year's health check. */
  {
    g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
    g_autofree char *quarter = g_strdup_printf ("%dQ%d", g_date_time_get_year (today),
                                                (g_date_time_get_month (today) + 2) / 3);
    g_autofree char *csv = NULL;

    g_assert_cmpint (cli (NULL, &csv, "report", "quarterly", "--login", "admin", "--customer", "cust-hudson-health",
                          "--quarter", quarter, NULL), ==, 0);
    g_assert_nonnull (strstr (csv, "Health check"));
    g_assert_nonnull (strstr (csv, "Contract year "));
    g_assert_nonnull (strstr (csv, ": scheduled for "));
  }

  /* A TAM's report covers their customers; choosing others is refused. */
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "li.na", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "li.na", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &tam, "report", "daily", "--login", "li.na", NULL), ==, 0);
  g_assert_nonnull (strstr (tam, "上海浦江银行"));
  g_assert_cmpint (cli (NULL, NULL, "report", "daily", "--login", "li.na", "--all", NULL), ==, 2);

  g_assert_cmpint (cli (NULL, NULL, "logout", "--login", "admin", "--delete-cache", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "logout", "--login", "li.na", "--delete-cache", NULL), ==, 0);
}

/* One request to the server as @token; the answer's JSON (NULL for none)
 * and status. */
static JsonNode *
api (Server     *server,
     const char *token,
     const char *method,
     const char *path,
     gint64      if_match,
     const char *body,
     guint      *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1%s", server->url, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  if (if_match > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", if_match);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "If-Match", etag);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  if (g_bytes_get_size (answer) == 0)
    return NULL;
  return sd_json_parse (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL);
}

/* The quarterly report of a customer whose breached S1 was lowered to S4
 * and then answered within the S4 target still shows the breach, at S1:
 * through the real server, a sync and the CLI. */
static void
test_cli_ledger_report (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) reported_local = NULL;
  g_autoptr(JsonNode) created = NULL, lowered = NULL, responded = NULL, record = NULL;
  g_autofree char *token = NULL, *body = NULL, *path = NULL, *record_path = NULL;
  g_autofree char *reported = NULL, *answered = NULL, *respond = NULL, *quarter = NULL, *csv = NULL, *breach_row = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonArray *periods;
  guint status = 0;

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  server_start (server, "--demo");
  {
    g_autoptr(SdRestClient) client = signed_in_client (server, "li.na");

    token = g_strdup (sd_rest_client_get_token (client));
  }

  /* S1, reported three hours ago: its 30 minutes ran out long ago. */
  reported = sd_time_format_iso8601 (now - 3 * 3600, NULL);
  body = g_strdup_printf ("{\"customer_id\":\"cust-pujiang-bank\",\"title\":\"Core banking gateway down\","
                          "\"type\":\"incident\",\"severity\":1,\"reported_at\":\"%s\","
                          "\"reported_via\":\"hotline\"}", reported);
  created = api (server, token, "POST", "/cases", 0, body, &status);
  g_assert_cmpuint (status, ==, 201);
  path = g_strconcat ("/cases/", json_object_get_string_member (json_node_get_object (created), "id"), NULL);

  /* Lowered to S4, then answered at once: the S4 period is met. */
  lowered = api (server, token, "PATCH", path, json_object_get_int_member (json_node_get_object (created), "version"),
                 "{\"severity\":4,\"reason\":\"Only the test system is affected\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  /* A second after the change, by the clock that timed it. */
  answered = sd_time_format_iso8601 (g_get_real_time () / G_USEC_PER_SEC + 1, NULL);
  respond = g_strdup_printf ("{\"responded_at\":\"%s\"}", answered);
  responded = api (server, token, "PATCH", path, json_object_get_int_member (json_node_get_object (lowered), "version"),
                   respond, &status);
  g_assert_cmpuint (status, ==, 200);

  /* The record on the server: the S1 breach, then the S4 period met. */
  record_path = g_strconcat (path, "/sla-record", NULL);
  record = api (server, token, "GET", record_path, 0, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  periods = json_object_get_array_member (json_node_get_object (record), "periods");
  g_assert_cmpuint (json_array_get_length (periods), >=, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (periods, 0), "severity"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (periods, 0), "state"), ==, "breached");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (periods, 0), "ended_by"), ==,
                   "severity_change");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (periods, 1), "severity"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (periods, 1), "state"), ==, "met");

  /* The quarter's report from a synced copy says so. */
  reported_local = g_date_time_new_from_unix_utc (now - 3 * 3600);
  {
    g_autoptr(GDateTime) local = g_date_time_to_timezone (reported_local, shanghai);

    quarter = g_strdup_printf ("%dQ%d", g_date_time_get_year (local), (g_date_time_get_month (local) + 2) / 3);
  }
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "li.na", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "li.na", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &csv, "report", "quarterly", "--login", "li.na", "--customer", "cust-pujiang-bank",
                        "--quarter", quarter, "--lang", "en", "--format", "csv", NULL), ==, 0);
  breach_row = g_strdup_printf ("Breach,%s,Critical,Core banking gateway down,",
                                json_object_get_string_member (json_node_get_object (created), "number"));
  if (strstr (csv, breach_row) == NULL)
    g_error ("No “%s” in the quarterly report:\n%s", breach_row, csv);

  g_assert_cmpint (cli (NULL, NULL, "logout", "--login", "li.na", "--delete-cache", NULL), ==, 0);
}

/* A health check from the local copy as PDF, CSV and iCalendar, and the
 * clear failures around it. */
static void
test_cli_healthcheck_export (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *listing = NULL;
  g_autofree char *id = NULL;
  g_autofree char *pdf = g_build_filename (tmpdir, "check.pdf", NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "check.csv", NULL);
  g_autofree char *ics = g_build_filename (tmpdir, "check.ics", NULL);
  g_autofree char *unwritable = g_build_filename (tmpdir, "no-such-dir", "check.pdf", NULL);
  g_autofree char *data = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_auto(GStrv) lines = NULL;
  gsize length;

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  server_start (server, "--demo");
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "li.na", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &listing, "healthcheck", "list", NULL), ==, 0);
  lines = g_strsplit (listing, "\n", -1);
  for (guint i = 0; lines[i] && id == NULL; i++)
    if (strstr (lines[i], "Completed") && strstr (lines[i], "上海浦江银行"))
      id = g_strndup (lines[i], 36);
  g_assert_nonnull (id);
  g_assert_true (g_uuid_string_is_valid (id));

  g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", id, "--format", "pdf", "-o", pdf, "--lang", "zh_CN", NULL), ==, 0);
  g_assert_true (g_file_get_contents (pdf, &data, &length, NULL));
  g_assert_true (length > 1000 && memcmp (data, "%PDF", 4) == 0);
  g_clear_pointer (&data, g_free);
  if (pdftotext != NULL)
    {
      const char *argv[] = { pdftotext, "-enc", "UTF-8", pdf, "-", NULL };
      g_autoptr(GError) error = NULL;
      int status;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &data, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (data, "上海浦江银行"));
      g_assert_nonnull (strstr (data, "李娜"));
      g_assert_nonnull (strstr (data, "终端安全部署"));
      g_clear_pointer (&data, g_free);
    }

  /* A prefix of the id will do; the format can come from the file name. */
  {
    g_autofree char *prefix = g_strndup (id, 8);

    g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", prefix, "-o", csv, NULL), ==, 0);
  }
  g_assert_true (g_file_get_contents (csv, &data, &length, NULL));
  g_assert_true (g_str_has_prefix (data, "\xEF\xBB\xBFkey,area,title,expected,observed,result,recommendation,weight\r\n"));
  g_assert_nonnull (strstr (data, "SRV-01,"));
  g_clear_pointer (&data, g_free);

  g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", id, "--format", "ics", "-o", ics, NULL), ==, 0);
  g_assert_true (g_file_get_contents (ics, &data, &length, NULL));
  g_assert_nonnull (strstr (data, "BEGIN:VEVENT"));
  g_assert_nonnull (strstr (data, "DTSTART;VALUE=DATE:"));

  /* Clear failures. */
  g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", "00000000-0000-4000-8000-000000000000",
                        "--format", "pdf", "-o", pdf, NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", id, "--format", "docx", "-o", pdf, NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", id, "--format", "pdf", NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", id, "--format", "pdf", "--lang", "fr", "-o", pdf, NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "healthcheck", "export", id, "--format", "pdf", "-o", unwritable, NULL), ==, 2);
  g_assert_false (g_file_test (unwritable, G_FILE_TEST_EXISTS));

  g_assert_cmpint (cli (NULL, NULL, "logout", "--delete-cache", NULL), ==, 0);
}

/* admin calendar import uploads an official year to the server: the
 * calendar gets a new version in which the year is official; a broken
 * file and a TAM are refused and change nothing. */
static void
test_cli_admin_calendar_import (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(SdRestClient) client = NULL;
  g_autofree char *good = g_build_filename (tmpdir, "official-2027.json", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "broken.ics", NULL);
  g_autofree char *out = NULL;
  gint64 before = 0, after = 0;

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  g_assert_true (g_file_set_contents (good,
                                      "{\"year\":2027,\"days\":["
                                      "{\"name\":\"元旦\",\"date\":\"2027-01-01\",\"isOffDay\":true},"
                                      "{\"name\":\"春节（调休上班）\",\"date\":\"2027-02-20\",\"isOffDay\":false}]}",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (bad, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2027\r\n", -1, NULL));

  server_start (server, "--demo");
  client = signed_in_client (server, "admin");
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    sd_rest_client_get_async (client, "/calendars/cn-mainland", NULL, got_result_cb, &result);
    node = sd_rest_client_get_finish (client, wait_for (&result), &before, &error);
    g_assert_no_error (error);
    g_assert_cmpint (before, >=, 1);
  }

  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "li.na", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "admin", "calendar", "import", "--login", "li.na", "cn-mainland", good, NULL), ==, 2);
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "admin", "calendar", "import", "--login", "admin", "cn-mainland", bad, NULL), ==, 2);
  g_assert_cmpint (cli (NULL, NULL, "admin", "calendar", "import", "--login", "admin", "atlantis", good, NULL), ==, 2);
  g_assert_cmpint (cli (NULL, &out, "admin", "calendar", "import", "--login", "admin", "cn-mainland", good, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "cn-mainland"));

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;
    JsonArray *years;

    sd_rest_client_get_async (client, "/calendars/cn-mainland", NULL, got_result_cb, &result);
    node = sd_rest_client_get_finish (client, wait_for (&result), &after, &error);
    g_assert_no_error (error);
    /* One new version: the refused uploads changed nothing. */
    g_assert_cmpint (after, ==, before + 1);
    years = json_object_get_array_member (json_node_get_object (node), "official_years");
    g_assert_cmpint (json_array_get_int_element (years, json_array_get_length (years) - 1), ==, 2027);
  }
}

/* A real SMTP server on loopback (tests/server/smtp-sink.py, Debian's
 * python3-aiosmtpd): prints "port N", writes each message as N.json. */
static GSubprocess *
smtp_sink_start (const char  *dir,
                 char       **url)
{
  const char *python = g_getenv ("SUPPORTDESK_PYTHON");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "server", "smtp-sink.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  GSubprocess *sink;

  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  sink = g_subprocess_launcher_spawn (launcher, &error, python ? python : "/usr/bin/python3", script, dir, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sink));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "port "));
  *url = g_strdup_printf ("smtp://127.0.0.1:%s", line + 5);
  return sink;
}

/* report daily --send: the CLI writes the report, the server mails it
 * through a real SMTP relay to the customer's daily-report contacts and
 * logs "daily report sent"; an internal comment stays out of the mail. */
static void
test_cli_daily_send (void)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(GSubprocess) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *sink_dir = g_strdup_printf ("%s/daily-sink", tmpdir);
  g_autofree char *sink_url = NULL;
  g_autofree char *report = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *again = NULL;
  g_autofree char *number = NULL;
  g_autofree char *mail_path = NULL;
  g_autofree char *second_path = NULL;
  g_autofree char *events_path = NULL;
  JsonObject *mail;
  JsonObject *kase;
  JsonArray *rcpt;
  JsonArray *events;
  const char *body;
  const char *start;
  guint reports_sent = 0;
  guint n_reports = 0;

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }

  sink = smtp_sink_start (sink_dir, &sink_url);
  {
    const char * const args[] = { "--demo", "--smtp", sink_url, "--smtp-from", "support@supportdesk.example", NULL };

    server_start_argv (server, args);
  }
  g_assert_cmpint (cli ("supportdesk-demo\n", NULL, "login", "--server", server->url, "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "admin", "contact", "add", "customer_id=cust-pujiang-bank", "name=王磊",
                        "email=wang.lei@pujiang-bank.example", "roles=daily_report;quarterly_report",
                        "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "admin", "contact", "add", "customer_id=cust-pujiang-bank", "name=孙丽",
                        "email=sun.li@pujiang-bank.example", "roles=daily_report", "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "admin", "contact", "add", "customer_id=cust-pujiang-bank", "name=赵敏",
                        "email=zhao.min@pujiang-bank.example", "roles=quarterly_report", "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "admin", NULL), ==, 0);

  /* The customer's open severity-1 case, and two comments on it. */
  g_assert_cmpint (cli (NULL, &report, "report", "daily", "--login", "admin", "--customer", "cust-pujiang-bank",
                        NULL), ==, 0);
  start = strstr (report, "【SD-");
  g_assert_nonnull (start);
  start += strlen ("【");
  number = g_strndup (start, strcspn (start, "】"));
  g_assert_nonnull (strstr (report, "To: "));
  g_assert_nonnull (strstr (report, "wang.lei@pujiang-bank.example"));
  g_assert_nonnull (strstr (report, "sun.li@pujiang-bank.example"));
  g_assert_null (strstr (report, "zhao.min@"));
  for (const char *p = report; (p = strstr (p, "\nTo: ")) != NULL; p++)
    n_reports++;
  g_assert_cmpuint (n_reports, >, 0);
  g_assert_cmpint (cli (NULL, NULL, "case", "comment", number, "内部备注：研发的修复又要推迟", "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "case", "comment", number, "已向贵方提供修复版客户端", "--public",
                        "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "admin", NULL), ==, 0);

  g_assert_cmpint (cli (NULL, &sent, "report", "daily", "--login", "admin", "--customer", "cust-pujiang-bank",
                        "--send", NULL), ==, 0);
  g_assert_nonnull (strstr (sent, number));

  /* One mail per report, each to the contacts who receive daily reports,
   * in Chinese; none carries the internal comment. */
  for (guint n = 1; n <= n_reports; n++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%u.json", sink_dir, n);
      g_autoptr(JsonParser) one = json_parser_new ();
      JsonObject *message;

      json_parser_load_from_file (one, path, &error);
      g_assert_no_error (error);
      message = json_node_get_object (json_parser_get_root (one));
      rcpt = json_object_get_array_member (message, "rcpt_tos");
      g_assert_cmpuint (json_array_get_length (rcpt), ==, 2);
      for (guint i = 0; i < 2; i++)
        g_assert_true (g_str_equal (json_array_get_string_element (rcpt, i), "wang.lei@pujiang-bank.example")
                       || g_str_equal (json_array_get_string_element (rcpt, i), "sun.li@pujiang-bank.example"));
      g_assert_nonnull (strstr (json_object_get_string_member (message, "subject"), "每日状态报告"));
      g_assert_null (strstr (json_object_get_string_member (message, "body"), "研发的修复"));
      if (strstr (json_object_get_string_member (message, "subject"), number))
        {
          g_clear_pointer (&mail_path, g_free);
          mail_path = g_steal_pointer (&path);
        }
    }
  second_path = g_strdup_printf ("%s/%u.json", sink_dir, n_reports + 1);
  g_assert_false (g_file_test (second_path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (mail_path);
  json_parser_load_from_file (parser, mail_path, &error);
  g_assert_no_error (error);
  mail = json_node_get_object (json_parser_get_root (parser));
  body = json_object_get_string_member (mail, "body");
  g_assert_nonnull (strstr (body, "已向贵方提供修复版客户端"));
  g_assert_null (strstr (body, "研发的修复"));
  g_assert_nonnull (strstr (body, "此致"));

  /* The case's history has the report, with the server's time. */
  client = signed_in_client (server, "admin");
  kase = server_case (server, sd_rest_client_get_token (client), number, &keep);
  events_path = g_strdup_printf ("/cases/%s/events", json_object_get_string_member (kase, "id"));
  sd_rest_client_get_async (client, events_path, NULL, got_result_cb, &result);
  page = sd_rest_client_get_finish (client, wait_for (&result), NULL, &error);
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (page), "items");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_str_equal (json_object_get_string_member (event, "kind"), "daily_report_sent")
          && json_object_has_member (event, "recorded_at")
          && g_strcmp0 (json_object_get_string_member_with_default (event, "body", NULL),
                        json_object_get_string_member (mail, "subject")) == 0)
        reports_sent++;
    }
  g_assert_cmpuint (reports_sent, ==, 1);

  /* The next report counts from this one: nothing missed since. */
  g_assert_cmpint (cli (NULL, NULL, "sync", "--login", "admin", NULL), ==, 0);
  g_assert_cmpint (cli (NULL, &again, "report", "daily", "--login", "admin", "--customer", "cust-pujiang-bank",
                        NULL), ==, 0);
  g_assert_nonnull (strstr (again, "自上次报告（"));
  g_assert_null (strstr (again, "未发送报告"));
  g_assert_cmpint (cli (NULL, NULL, "logout", "--login", "admin", "--delete-cache", NULL), ==, 0);

  g_subprocess_send_signal (sink, SIGTERM);
  g_subprocess_wait (sink, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("supportdesk-sync-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/sync/backoff", test_backoff);
  g_test_add_func ("/sync/first-sync", test_first_sync);
  g_test_add_func ("/sync/conflict", test_conflict);
  g_test_add_func ("/sync/server-killed-mid-sync", test_server_killed_mid_sync);
  g_test_add_func ("/sync/sync-after-blocked-loop", test_sync_after_blocked_loop);
  g_test_add_func ("/sync/server-unavailable", test_server_unavailable);
  g_test_add_func ("/sync/cli-offline-edits", test_cli_offline_edits);
  g_test_add_func ("/sync/cli-no-secrets-on-disk", test_cli_no_secrets_on_disk);
  g_test_add_func ("/sync/cli-healthcheck-export", test_cli_healthcheck_export);
  g_test_add_func ("/sync/cli-server-forms", test_cli_server_forms);
  g_test_add_func ("/sync/cli-daily-scope", test_cli_daily_scope);
  g_test_add_func ("/sync/cli-daily-send", test_cli_daily_send);
  g_test_add_func ("/sync/cli-ledger-report", test_cli_ledger_report);
  g_test_add_func ("/sync/cli-admin-calendar-import", test_cli_admin_calendar_import);
  ret = g_test_run ();

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (command) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return ret;
}
