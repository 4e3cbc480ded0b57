/* test-server-hostile.c — supportdesk-server (and the client) against
 * hostile and careless traffic
 *
 * Each test reproduces one way a stranger, or a buggy client, could take
 * the server down or make it lose data, and checks that it no longer can.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* posix_openpt, ptsname */

#include "config.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sd-model.h>
#include <unistd.h>

#include "sd-sqlite-store.h"
#include "server-test-util.h"

/* ------------------------------------------------------------ deep JSON */

static char *
deep_brackets (gsize depth)
{
  char *text = g_malloc (depth + 1);

  memset (text, '[', depth);
  text[depth] = '\0';
  return text;
}

/* 100,000 '[' once overflowed json-glib's stack before authentication. */
static void
test_deep_nesting (void)
{
  g_autoptr(Server) server = server_start (NULL);
  g_autofree char *deep = deep_brackets (100000);
  g_autofree char *shallow = g_strconcat ("[[[[[[[[[[", "]]]]]]]]]]", NULL);
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) object_refused = NULL;
  g_autoptr(Reply) allowed = NULL;
  g_autoptr(Reply) alive = NULL;

  refused = request (server, "POST", "/auth/token", NULL, deep);
  assert_problem (refused, 400, NULL);
  g_assert_nonnull (strstr (refused->body, "nested deeper than 64"));

  {
    GString *objects = g_string_new (NULL);

    for (int i = 0; i < 65; i++)
      g_string_append (objects, "{\"a\":");
    g_string_append (objects, "1");
    for (int i = 0; i < 65; i++)
      g_string_append_c (objects, '}');
    object_refused = request (server, "POST", "/auth/token", NULL, objects->str);
    g_string_free (objects, TRUE);
  }
  assert_problem (object_refused, 400, NULL);
  g_assert_nonnull (strstr (object_refused->body, "nested deeper than 64"));

  /* Shallow nesting reaches the codecs, which want an object. */
  allowed = request (server, "POST", "/auth/token", NULL, shallow);
  assert_problem (allowed, 400, NULL);
  g_assert_null (strstr (allowed->body, "nested"));

  alive = request (server, "GET", "/me", NULL, NULL);
  assert_problem (alive, 401, NULL);
}

/* "\u0000" once cut a title short silently. */
static void
test_nul_in_string (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) nul = NULL;
  g_autoptr(Reply) escaped = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  nul = request (server, "POST", "/cases", token,
                 "{\"customer_id\":\"cust-a\",\"title\":\"agents\\u0000 offline\",\"type\":\"incident\","
                 "\"severity\":3,\"reported_at\":\"2026-11-20T09:00:00+08:00\",\"reported_via\":\"phone\"}");
  assert_problem (nul, 400, NULL);
  g_assert_nonnull (strstr (nul->body, "NUL"));

  /* A backslash followed by "u0000" is text, not the escape. */
  escaped = request (server, "POST", "/cases", token,
                     "{\"customer_id\":\"cust-a\",\"title\":\"C:\\\\u0000 path\",\"type\":\"incident\","
                     "\"severity\":3,\"reported_at\":\"2026-11-20T09:00:00+08:00\",\"reported_via\":\"phone\"}");
  assert_status (escaped, 201);
  g_assert_cmpstr (member_string (escaped, "title"), ==, "C:\\u0000 path");
}

static void
deep_reply_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    deep_brackets (100000), 100000);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The same body from a server once crashed supportdesk-cli login. */
static void
test_client_deep_nesting (void)
{
  g_autoptr(SoupServer) fake = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) cli = NULL;
  g_autofree char *url = NULL;
  g_autofree char *home = g_build_filename (tmpdir, "cli-home", NULL);
  g_autoptr(GBytes) input = g_bytes_new_static ("password\n", 9);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *cli_path = g_getenv ("SUPPORTDESK_CLI");

  g_assert_nonnull (cli_path);
  soup_server_add_handler (fake, NULL, deep_reply_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (fake, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake);
  url = g_strdup_printf ("http://127.0.0.1:%d/api/v1", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  cli = g_subprocess_launcher_spawn (launcher, &error, cli_path, "login", "--server", url,
                                     "--login", "li.na", NULL);
  g_assert_no_error (error);
  /* The fake server runs on this thread: keep its loop turning. */
  g_subprocess_communicate_async (cli, input, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_communicate_finish (cli, result, &out, &err, &error));
  g_assert_no_error (error);
  g_subprocess_wait (cli, NULL, NULL);

  g_assert_true (g_subprocess_get_if_exited (cli));  /* no SIGSEGV */
  g_assert_cmpint (g_subprocess_get_exit_status (cli), !=, 0);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (err, NULL), g_bytes_get_size (err), "64"));
}


/* ------------------------------------------------------------- raw HTTP */

static guint16
server_port (Server *server)
{
  g_autoptr(GUri) uri = g_uri_parse (server->base, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_uri_get_port (uri);
}

static guint
server_fd_count (Server *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (server->process));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* A field of /proc/PID/status in kB, e.g. "VmHWM". */
static guint64
server_status_kb (Server     *server,
                  const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (server->process));
  g_autofree char *text = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, key);
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen (key), NULL, 10);
}

/* Waits until the count stops changing, for a start level. */
static guint
server_fd_count_settled (Server *server)
{
  guint last = server_fd_count (server), now;

  for (;;)
    {
      g_usleep (100 * 1000);
      if ((now = server_fd_count (server)) == last)
        return now;
      last = now;
    }
}

static GSocketConnection *
raw_connect (Server *server)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, 30);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", server_port (server), NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* Reads one response (headers, then a Content-Length body) and returns
 * its status; 0 when the connection ended or timed out first. */
static guint
raw_read_response (GSocketConnection *connection)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) head = g_string_new (NULL);
  guint64 length = 0;
  guint status = 0;
  const char *cl;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      if (g_input_stream_read (input, &c, 1, NULL, NULL) != 1)
        return 0;
      g_string_append_c (head, c);
    }
  if (sscanf (head->str, "HTTP/1.%*d %u", &status) != 1)
    return 0;
  g_string_ascii_down (head);
  if ((cl = strstr (head->str, "\r\ncontent-length:")) != NULL)
    length = g_ascii_strtoull (cl + strlen ("\r\ncontent-length:"), NULL, 10);
  while (length > 0)
    {
      char buffer[4096];
      gssize n = g_input_stream_read (input, buffer, MIN (sizeof buffer, length), NULL, NULL);

      if (n <= 0)
        return 0;
      length -= n;
    }
  return status;
}

/* One request on a new connection, HTTP/1.1 keep-alive as clients send
 * it; the client then closes. */
static guint
raw_request (Server     *server,
             const char *request)
{
  g_autoptr(GSocketConnection) connection = raw_connect (server);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  guint status;

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 30);
  if (!g_output_stream_write_all (output, request, strlen (request), NULL, NULL, NULL))
    return 0;
  status = raw_read_response (connection);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return status;
}

#define GET_ME "GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

/* Waits (at most @seconds) for the server's descriptors to come down to
 * @level. */
static guint
wait_for_fd_count (Server *server,
                   guint   level,
                   guint   seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint n;

  while ((n = server_fd_count (server)) > level && g_get_monotonic_time () < deadline)
    g_usleep (200 * 1000);
  return n;
}

/* Connections closed by clients, idle ones, and running out of
 * descriptors: under ulimit -n 256 the server once stopped answering for
 * ever after 244 requests. */
static void
test_descriptors (void)
{
  g_autoptr(Server) server = NULL;
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);
  guint start;

  server_fd_limit = 256;
  server = server_start (NULL);
  server_fd_limit = 0;

  g_assert_cmpuint (raw_request (server, GET_ME), ==, 401);
  start = server_fd_count_settled (server);

  for (guint i = 0; i < 2000; i++)
    {
      guint status = raw_request (server, GET_ME);

      if (status != 401)
        g_error ("request %u: status %u, the server has %u descriptors open",
                 i, status, server_fd_count (server));
    }
  g_assert_cmpuint (wait_for_fd_count (server, start, 60), <=, start);

  /* More silent connections than descriptors: new requests still get in. */
  for (guint i = 0; i < 300; i++)
    g_ptr_array_add (idle, raw_connect (server));
  g_assert_cmpuint (raw_request (server, GET_ME), ==, 401);
  /* And the silent ones time out. */
  g_assert_cmpuint (wait_for_fd_count (server, start, 120), <=, start);
  g_ptr_array_set_size (idle, 0);
  g_assert_cmpuint (raw_request (server, GET_ME), ==, 401);
}

/* ----------------------------------------------------------- body limit */

/* Sends @head, then @body_block over and over (up to @total bytes) until
 * the server answers or stops reading; returns the status. */
static guint
raw_send_until_answered (Server     *server,
                         const char *head,
                         const char *block,
                         gsize       block_size,
                         guint64     total)
{
  g_autoptr(GSocketConnection) connection = raw_connect (server);
  GSocket *socket = g_socket_connection_get_socket (connection);
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  guint64 sent = 0;

  g_socket_set_timeout (socket, 30);
  g_assert_true (g_output_stream_write_all (output, head, strlen (head), NULL, NULL, NULL));
  while (sent < total && !(g_socket_condition_check (socket, G_IO_IN) & G_IO_IN))
    {
      if (!g_output_stream_write_all (output, block, block_size, NULL, NULL, NULL))
        break;
      sent += block_size;
    }
  return raw_read_response (connection);
}

/* Bodies once went to memory whole before their size was checked. */
static void
test_body_limit (void)
{
  g_autoptr(Server) server = server_start (NULL);
  g_autofree char *block = g_malloc0 (65536 + 1);
  g_autofree char *chunk = NULL;
  guint64 peak;

  memset (block, ' ', 65536);
  /* 100 MiB announced. */
  g_assert_cmpuint (raw_send_until_answered (server,
                                             "POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Content-Type: application/json\r\n"
                                             "Content-Length: 104857600\r\n\r\n",
                                             block, 65536, 100 * 1024 * 1024), ==, 413);
  /* 300 MiB chunked. */
  chunk = g_strdup_printf ("10000\r\n%s\r\n", block);
  g_assert_cmpuint (raw_send_until_answered (server,
                                             "POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Content-Type: application/json\r\n"
                                             "Transfer-Encoding: chunked\r\n\r\n",
                                             chunk, 7 + 65536 + 2, 300ull * 1024 * 1024), ==, 413);

  peak = server_status_kb (server, "VmHWM");
  g_test_message ("peak resident memory: %" G_GUINT64_FORMAT " kB", peak);
  g_assert_cmpuint (peak, <, 64 * 1024);
  g_assert_cmpuint (raw_request (server, GET_ME), ==, 401);
}

/* --------------------------------------------------------------- sign-in */

typedef struct {
  guint    pending;
  GArray  *statuses;     /* guint */
  guint    without_retry_after;  /* 429 and 503 that did not say when */
} Burst;

static void
burst_sent_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  Burst *burst = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  guint status = soup_message_get_status (msg);

  g_array_append_val (burst->statuses, status);
  if ((status == 429 || status == 503)
      && soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After") == NULL)
    burst->without_retry_after++;
  burst->pending--;
}

/* Sends @n sign-ins at once, for @login or (NULL) for @n different
 * unknown logins, and waits for every answer. */
static GArray *
sign_in_burst (Server     *server,
               const char *login,
               guint       n)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 100, "max-conns-per-host", 100,
                                                                  "timeout", 120, NULL);
  g_autofree char *url = g_strconcat (server->base, "/auth/token", NULL);
  Burst burst = { n, g_array_new (FALSE, FALSE, sizeof (guint)), 0 };

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autofree char *stranger = g_strdup_printf ("stranger-%u", i);
      g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"guess\"}",
                                               login ? login : stranger);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, burst_sent_cb, &burst);
    }
  while (burst.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (burst.without_retry_after, ==, 0);
  return burst.statuses;
}

static guint
count_status (GArray *statuses,
              guint   status)
{
  guint n = 0;

  for (guint i = 0; i < statuses->len; i++)
    n += g_array_index (statuses, guint, i) == status;
  return n;
}

/* 30 wrong passwords at once once got 27 × 401 and no 429: failures were
 * counted after the slow check. Long logins filled the throttle table,
 * and every sign-in ran its 64 MiB check at once. */
static void
test_sign_in_flood (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autoptr(GArray) same = NULL;
  g_autoptr(GArray) many = NULL;
  g_autoptr(Reply) long_login = NULL;
  g_autofree char *login = g_strnfill (100 * 1024, 'x');
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"guess\"}", login);
  g_autofree char *token = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);

  same = sign_in_burst (server, "tam.a", 30);
  g_test_message ("30 at once for one login: %u × 401, %u × 429, %u × 503", count_status (same, 401),
                  count_status (same, 429), count_status (same, 503));
  g_assert_cmpuint (count_status (same, 401), <=, 5);
  g_assert_cmpuint (count_status (same, 401) + count_status (same, 429) + count_status (same, 503), ==, 30);
  g_assert_cmpuint (count_status (same, 429), >=, 20);

  many = sign_in_burst (server, NULL, 30);
  g_test_message ("30 at once for 30 logins: %u × 401, %u × 503", count_status (many, 401), count_status (many, 503));
  g_assert_cmpuint (count_status (many, 503), >=, 1);
  g_assert_cmpuint (count_status (many, 401) + count_status (many, 503), ==, 30);

  long_login = request (server, "POST", "/auth/token", NULL, body);
  assert_problem (long_login, 400, "login");

  /* The owner, from elsewhere, is not locked out. */
  local_address = "127.0.0.2";
  token = sign_in (server, "tam.a", "password-a");
  local_address = NULL;
  g_assert_nonnull (token);
}

/* ------------------------------------------------------ deleted database */

/* Once the database files were deleted, POSTs were acknowledged and lost,
 * and a restart silently began an empty database. */
static void
test_deleted_database (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = case_body ("cust-a", 3, now_s ());
  g_autofree char *err = NULL;
  g_autoptr(Reply) before = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(GSubprocess) restart = NULL;
  g_autoptr(GError) error = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");
  before = request (server, "POST", "/cases", token, body);
  assert_status (before, 201);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strconcat (db, (const char *[]) { "", "-wal", "-shm" }[i], NULL);
      g_unlink (path);
    }
  after = request (server, "POST", "/cases", token, body);
  assert_problem (after, 503, NULL);
  g_assert_nonnull (soup_message_headers_get_one (after->headers, "Retry-After"));
  server_stop (server, SIGTERM);

  /* Without --init the server does not start afresh. */
  restart = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              server_binary (), "--db", db, "--listen", "127.0.0.1:0", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (restart, NULL, NULL, NULL, &err, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (restart), ==, 2);
  g_assert_nonnull (strstr (err, "--init"));
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------ idempotency keys */

static Reply *
post_with_key (Server     *server,
               const char *path,
               const char *token,
               const char *key,
               const char *body)
{
  return request_full (server, "POST", path, token, (const char *[]) { "Idempotency-Key", key, NULL },
                       NULL, body, -1);
}

/* Keys were scoped to the route pattern: one key on two cases' timelines
 * answered the first case's event and dropped the second comment. A
 * replay skipped the visibility check, and a different body with the
 * same key was taken for a replay. */
static void
test_idempotency_keys (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = case_body ("cust-a", 3, now_s () - 60);
  g_autofree char *events_a = NULL, *events_b = NULL;
  const char *key = "0d9c1f0e-7a61-4c5e-9d7e-1c1b3b2a0001";
  const char *key2 = "0d9c1f0e-7a61-4c5e-9d7e-1c1b3b2a0002";
  g_autoptr(Reply) case_a = NULL, case_b = NULL;
  g_autoptr(Reply) on_a = NULL, on_b = NULL, replay = NULL, changed = NULL;
  g_autoptr(Reply) created = NULL, hidden = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");
  case_a = request (server, "POST", "/cases", token, body);
  case_b = request (server, "POST", "/cases", token, body);
  assert_status (case_a, 201);
  assert_status (case_b, 201);
  events_a = g_strconcat ("/cases/", member_string (case_a, "id"), "/events", NULL);
  events_b = g_strconcat ("/cases/", member_string (case_b, "id"), "/events", NULL);

  on_a = post_with_key (server, events_a, token, key, "{\"kind\":\"comment\",\"body\":\"for A\"}");
  assert_status (on_a, 201);
  on_b = post_with_key (server, events_b, token, key, "{\"kind\":\"comment\",\"body\":\"for B\"}");
  assert_status (on_b, 201);
  g_assert_cmpstr (member_string (on_b, "case_id"), ==, member_string (case_b, "id"));
  g_assert_cmpstr (member_string (on_b, "body"), ==, "for B");

  replay = post_with_key (server, events_a, token, key, "{\"kind\":\"comment\",\"body\":\"for A\"}");
  assert_status (replay, 201);
  g_assert_cmpstr (member_string (replay, "id"), ==, member_string (on_a, "id"));
  changed = post_with_key (server, events_a, token, key, "{\"kind\":\"comment\",\"body\":\"changed\"}");
  assert_problem (changed, 422, "Idempotency-Key");

  /* cust-a moves to tam.b: tam.a's replay no longer shows the case. */
  created = post_with_key (server, "/cases", token, key2, body);
  assert_status (created, 201);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdSqliteStore) store = sd_sqlite_store_open_existing (db, &error);
    g_autoptr(SdStoreRecord) customer = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(SdStoreRecord) moved = NULL;
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    customer = sd_store_get (SD_STORE (store), "customer", "cust-a", &error);
    g_assert_no_error (error);
    node = sd_json_parse (customer->body, -1, &error);
    json_object_set_string_member (json_node_get_object (node), "tam_id", tam_b);
    text = sd_json_to_string (node, FALSE);
    moved = sd_store_put (SD_STORE (store), "customer", "cust-a", "cust-a", NULL, customer->version, NULL,
                          render_text_cb, text, NULL, &error);
    g_assert_no_error (error);
  }
  hidden = post_with_key (server, "/cases", token, key2, body);
  g_assert_true (hidden->status == 400 || hidden->status == 404);
  g_assert_null (strstr (hidden->body, member_string (created, "id")));
}

/* ---------------------------------------------------- text and page size */

static char *
case_with_texts (glong title_chars,
                 glong description_chars)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autoptr(GString) description = g_string_new (NULL);

  for (glong i = 0; i < title_chars; i++)
    g_string_append (title, "t");
  for (glong i = 0; i < description_chars; i++)
    g_string_append (description, "描");
  return g_strdup_printf ("{\"customer_id\":\"cust-a\",\"title\":\"%s\",\"description\":\"%s\","
                          "\"type\":\"incident\",\"severity\":3,\"reported_at\":\"2026-11-20T09:00:00+08:00\","
                          "\"reported_via\":\"phone\"}", title->str, description->str);
}

/* 100 cases with 1 MB descriptions once made one page take 2.6 s. */
static void
test_text_and_page_size (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autofree char *long_title = case_with_texts (301, 1);
  g_autofree char *long_description = case_with_texts (10, 20001);
  g_autofree char *largest = case_with_texts (300, 20000);
  g_autofree char *events = NULL;
  g_autofree char *comment = NULL;
  g_autoptr(Reply) title = NULL, description = NULL, first = NULL, long_comment = NULL;
  g_autofree char *cursor = NULL;
  guint pages = 0, seen = 0;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  title = request (server, "POST", "/cases", token, long_title);
  assert_problem (title, 400, "case.title");
  description = request (server, "POST", "/cases", token, long_description);
  assert_problem (description, 400, "case.description");

  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(Reply) created = request (server, "POST", "/cases", token, largest);

      assert_status (created, 201);
      if (i == 0)
        events = g_strconcat ("/cases/", member_string (created, "id"), "/events", NULL);
    }
  {
    g_autofree char *text = g_strnfill (20001, 'c');

    comment = g_strdup_printf ("{\"kind\":\"comment\",\"body\":\"%s\"}", text);
  }
  long_comment = request (server, "POST", events, token, comment);
  assert_problem (long_comment, 400, "event.body");

  /* 100 × 60 kB: the pages end at 4 MiB, and the cursor gets the rest. */
  do
    {
      g_autofree char *path = cursor ? g_strconcat ("/cases?limit=100&cursor=", cursor, NULL)
                                     : g_strdup ("/cases?limit=100");
      g_autoptr(Reply) page = request (server, "GET", path, token, NULL);
      JsonObject *object;

      assert_status (page, 200);
      g_assert_cmpuint (strlen (page->body), <, 5 * 1024 * 1024);
      object = reply_object (page);
      seen += json_array_get_length (json_object_get_array_member (object, "items"));
      g_clear_pointer (&cursor, g_free);
      if (!json_node_is_null (json_object_get_member (object, "next_cursor")))
        cursor = g_strdup (json_object_get_string_member (object, "next_cursor"));
      pages++;
    }
  while (cursor != NULL);
  g_assert_cmpuint (seen, ==, 100);
  g_assert_cmpuint (pages, >=, 2);
}

/* ------------------------------------------------------------ low items */

/* A percent-encoded line feed in the path once forged a log line. */
static void
test_log_escaped (void)
{
  g_autofree char *log = g_build_filename (tmpdir, "escaped.log", NULL);
  g_autoptr(Server) server = NULL;
  g_autofree char *text = NULL;

  server_stderr_path = log;
  server = server_start (NULL);
  server_stderr_path = NULL;
  g_assert_cmpuint (raw_request (server, "GET /api/v1/nothing%0Asupportdesk-server-Message:%20forged HTTP/1.1\r\n"
                                         "Host: 127.0.0.1\r\n\r\n"), ==, 404);
  server_stop (server, SIGTERM);
  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "/api/v1/nothing%0Asupportdesk-server-Message: forged 404"));
  g_assert_null (strstr (text, "\nsupportdesk-server-Message: forged"));
}

/* A deleted id could be created again (losing its tombstone), and the
 * 409 for someone else's id said more than that it is taken. */
static void
test_ids_unique (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token_a = NULL, *token_b = NULL;
  const char *id = "6f1e0c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
  g_autofree char *check = g_strdup_printf ("{\"id\":\"%s\",\"customer_id\":\"cust-a\",\"status\":\"requested\","
                                            "\"requested_at\":\"2026-11-20T09:00:00+08:00\",\"mode\":\"remote\","
                                            "\"template_id\":\"endpoint-security\",\"template_version\":1,\"items\":[]}", id);
  g_autofree char *path = g_strconcat ("/health-checks/", id, NULL);
  g_autofree char *kase = NULL;
  g_autofree char *kase_b = NULL;
  g_autofree char *foreign = NULL;
  g_autoptr(Reply) created = NULL, deleted = NULL, again = NULL, case_a = NULL, taken = NULL, feed = NULL;
  gboolean tombstone = FALSE;
  JsonArray *changes;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token_a = sign_in (server, "tam.a", "password-a");
  token_b = sign_in (server, "tam.b", "password-b");

  created = request (server, "POST", "/health-checks", token_a, check);
  assert_status (created, 201);
  deleted = request_full (server, "DELETE", path, token_a, (const char *[]) { "If-Match", "\"1\"", NULL }, NULL, NULL, -1);
  assert_status (deleted, 204);
  again = request (server, "POST", "/health-checks", token_a, check);
  assert_problem (again, 409, "id");

  feed = request (server, "GET", "/changes", token_a, NULL);
  changes = json_object_get_array_member (reply_object (feed), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      tombstone |= g_strcmp0 (json_object_get_string_member (change, "id"), id) == 0
                   && json_object_get_boolean_member (change, "deleted");
    }
  g_assert_true (tombstone);

  /* Another TAM's id is taken, and the answer says nothing more. */
  kase = case_body ("cust-a", 3, now_s ());
  case_a = request (server, "POST", "/cases", token_a, kase);
  assert_status (case_a, 201);
  kase_b = case_body ("cust-b", 3, now_s ());
  foreign = g_strdup_printf ("{\"id\":\"%s\",%s", member_string (case_a, "id"), kase_b + 1);
  taken = request (server, "POST", "/cases", token_b, foreign);
  assert_problem (taken, 409, "id");
  g_assert_cmpstr (json_object_get_string_member (reply_object (taken), "detail"), ==,
                   json_object_get_string_member (reply_object (again), "detail"));
}

/* assignee_id once took unknown users, and users who cannot see the
 * customer. */
static void
test_assignee (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GString) body = NULL;
  g_autoptr(Reply) unknown = NULL, blind = NULL, fine = NULL, patched = NULL;
  g_autofree char *path = NULL;
  g_autofree char *with_unknown = NULL, *with_b = NULL, *with_a = NULL;
  g_autofree char *base = case_body ("cust-a", 3, now_s ());
  g_autofree char *patch = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");
  base[strlen (base) - 1] = '\0';  /* without the closing brace */
  with_unknown = g_strconcat (base, ",\"assignee_id\":\"nobody\"}", NULL);
  with_b = g_strdup_printf ("%s,\"assignee_id\":\"%s\"}", base, tam_b);
  with_a = g_strdup_printf ("%s,\"assignee_id\":\"%s\"}", base, tam_a);

  unknown = request (server, "POST", "/cases", token, with_unknown);
  assert_problem (unknown, 400, "case.assignee_id");
  blind = request (server, "POST", "/cases", token, with_b);
  assert_problem (blind, 400, "case.assignee_id");
  fine = request (server, "POST", "/cases", token, with_a);
  assert_status (fine, 201);

  path = g_strconcat ("/cases/", member_string (fine, "id"), NULL);
  patch = g_strdup_printf ("{\"assignee_id\":\"%s\"}", tam_b);
  patched = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL }, NULL, patch, -1);
  assert_problem (patched, 400, "case.assignee_id");
}

/* HEAD once answered 405. */
static void
test_head (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) me = NULL, cases = NULL, anonymous = NULL, post = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");
  me = request (server, "HEAD", "/me", token, NULL);
  assert_status (me, 200);
  g_assert_true (me->body == NULL || *me->body == '\0');
  g_assert_nonnull (soup_message_headers_get_one (me->headers, "ETag"));
  cases = request (server, "HEAD", "/cases", token, NULL);
  assert_status (cases, 200);
  anonymous = request (server, "HEAD", "/me", NULL, NULL);
  assert_status (anonymous, 401);
  post = request (server, "HEAD", "/auth/token", NULL, NULL);
  assert_status (post, 405);
}

/* ------------------------------------------------- pages off the main loop */

typedef struct {
  Server     *server;  /* borrowed */
  const char *token;
  Reply      *reply;   /* set once the page arrived */
  gint        done;    /* atomic */
} PageRead;

static gpointer
read_page_thread (gpointer user_data)
{
  PageRead *read = user_data;

  read->reply = request (read->server, "GET", "/cases?limit=1000", read->token, NULL);
  g_atomic_int_set (&read->done, TRUE);
  return NULL;
}

/* A page once was built on the loop that answers every request: while
 * one was built, GET /me waited. The gate (SUPPORTDESK_TEST_PAGE_GATE)
 * holds the page being built until the test releases it. */
static void
test_pages_off_main_loop (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *gate = g_build_filename (tmpdir, "page-gate", NULL);
  g_autofree char *held = g_build_filename (gate, "held", NULL);
  g_autofree char *release = g_build_filename (gate, "release", NULL);
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL, *token_b = NULL;
  g_autoptr(Reply) me = NULL, again = NULL, after_gone = NULL;
  g_autoptr(GThread) thread = NULL;
  PageRead read = { 0 };
  JsonArray *items;
  const guint n_cases = 110;

  g_assert_cmpint (g_mkdir_with_parents (gate, 0700), ==, 0);
  server_page_gate = gate;
  server = server_start_seeded (db, &tam_a, &tam_b);
  server_page_gate = NULL;
  token = sign_in (server, "tam.a", "password-a");
  token_b = sign_in (server, "tam.b", "password-b");
  for (guint i = 0; i < n_cases + 5; i++)
    {
      g_autofree char *body = case_body (i < n_cases ? "cust-a" : "cust-b", 3, now_s () - 60);
      g_autoptr(Reply) created = request (server, "POST", "/cases", i < n_cases ? token : token_b, body);

      assert_status (created, 201);
    }

  /* While the page is held, /me answers. */
  read.server = server;
  read.token = token;
  thread = g_thread_new ("page", read_page_thread, &read);
  wait_for_file (held);
  me = request (server, "GET", "/me", token, NULL);
  assert_status (me, 200);
  g_assert_cmpstr (member_string (me, "id"), ==, tam_a);
  g_assert_false (g_atomic_int_get (&read.done));

  /* Released, the page is whole and holds only what tam.a may see. */
  g_assert_true (g_file_set_contents (release, "", 0, NULL));
  g_thread_join (g_steal_pointer (&thread));
  assert_status (read.reply, 200);
  items = json_object_get_array_member (reply_object (read.reply), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, n_cases);
  g_assert_true (json_node_is_null (json_object_get_member (reply_object (read.reply), "next_cursor")));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (item, "customer_id"), ==, "cust-a");
      g_assert_true (json_object_has_member (item, "sla"));
      if (i > 0)
        g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i - 1), "id"),
                         <, json_object_get_string_member (item, "id"));
    }
  g_clear_pointer (&read.reply, reply_free);

  /* A client that goes away while its page is held costs nothing later. */
  g_assert_cmpint (g_unlink (held), ==, 0);
  g_assert_cmpint (g_unlink (release), ==, 0);
  {
    g_autoptr(GSocketClient) client = g_socket_client_new ();
    g_autoptr(GSocketConnection) connection = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *port = g_strndup (strrchr (server->base, ':') + 1,
                                       strcspn (strrchr (server->base, ':') + 1, "/"));
    g_autofree char *text = g_strdup_printf ("GET /api/v1/cases?limit=1000 HTTP/1.1\r\n"
                                             "Host: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n", token);

    connection = g_socket_client_connect_to_host (client, "127.0.0.1", atoi (port), NULL, &error);
    g_assert_no_error (error);
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                               text, strlen (text), NULL, NULL, &error);
    g_assert_no_error (error);
    wait_for_file (held);
    g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_true (g_file_set_contents (release, "", 0, NULL));
  after_gone = request (server, "GET", "/cases?limit=1000", token, NULL);
  assert_status (after_gone, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (after_gone), "items")),
                    ==, n_cases);
  again = request (server, "GET", "/me", token, NULL);
  assert_status (again, 200);
}

/* `user add` once echoed the password typed on a terminal. */
static void
test_password_not_echoed (void)
{
  g_autofree char *db = new_db_path ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) add = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) prompt = g_string_new (NULL);
  g_autoptr(GString) echoed = g_string_new (NULL);
  GInputStream *stderr_pipe;
  int master, slave;
  char c;

  master = posix_openpt (O_RDWR | O_NOCTTY);
  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  slave = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (slave, >=, 0);
  g_subprocess_launcher_take_stdin_fd (launcher, slave);
  add = g_subprocess_launcher_spawn (launcher, &error, server_binary (), "user", "add", "--db", db,
                                     "--login", "tty.user", "--role", "tam", NULL);
  g_assert_no_error (error);

  /* The prompt comes once echo is off. */
  stderr_pipe = g_subprocess_get_stderr_pipe (add);
  while (strstr (prompt->str, "Password: ") == NULL)
    {
      g_assert_cmpint (g_input_stream_read (stderr_pipe, &c, 1, NULL, NULL), ==, 1);
      g_string_append_c (prompt, c);
    }
  g_assert_cmpint (write (master, "a terminal secret\n", 18), ==, 18);
  g_assert_true (g_subprocess_wait (add, NULL, &error));
  g_assert_true (g_subprocess_get_successful (add));

  /* What the terminal showed. */
  g_unix_set_fd_nonblocking (master, TRUE, NULL);
  while (read (master, &c, 1) == 1)
    g_string_append_c (echoed, c);
  close (master);
  g_assert_null (strstr (echoed->str, "secret"));
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);

  g_test_add_func ("/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/hostile/nul-in-string", test_nul_in_string);
  g_test_add_func ("/hostile/client-deep-nesting", test_client_deep_nesting);
  g_test_add_func ("/hostile/descriptors", test_descriptors);
  g_test_add_func ("/hostile/body-limit", test_body_limit);
  g_test_add_func ("/hostile/sign-in-flood", test_sign_in_flood);
  g_test_add_func ("/hostile/deleted-database", test_deleted_database);
  g_test_add_func ("/hostile/idempotency-keys", test_idempotency_keys);
  g_test_add_func ("/hostile/text-and-page-size", test_text_and_page_size);
  g_test_add_func ("/hostile/log-escaped", test_log_escaped);
  g_test_add_func ("/hostile/ids-unique", test_ids_unique);
  g_test_add_func ("/hostile/assignee", test_assignee);
  g_test_add_func ("/hostile/head", test_head);
  g_test_add_func ("/hostile/password-not-echoed", test_password_not_echoed);
  g_test_add_func ("/hostile/pages-off-main-loop", test_pages_off_main_loop);
  return server_test_run ();
}
