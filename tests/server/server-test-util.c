/* server-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "sd-pg-store.h"
#include "sd-server.h"
#include "sd-store-open.h"
#include "server-test-util.h"

char *tmpdir;
guint server_fd_limit;
const char *server_stderr_path;
const char *server_page_gate;
const char * const *server_extra_args;

void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply);
}

const char *
server_binary (void)
{
  const char *path = g_getenv ("SUPPORTDESK_SERVER");

  g_assert_nonnull (path);
  return path;
}

const char *
test_db_cluster (void)
{
  const char *uri = g_getenv ("SUPPORTDESK_TEST_DB");

  return uri != NULL && sd_pg_store_is_uri (uri) ? uri : NULL;
}

/* Runs @sql on the PostgreSQL database @uri: TRUE when it succeeds, with
 * the first value of the first row in *@value when asked for. */
static gboolean
pg_exec (const char  *uri,
         const char  *sql,
         char       **value)
{
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;
  gboolean ok;

  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  result = PQexec (conn, sql);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK || PQresultStatus (result) == PGRES_TUPLES_OK;
  if (ok && value != NULL)
    *value = PQntuples (result) > 0 ? g_strdup (PQgetvalue (result, 0, 0)) : NULL;
  PQclear (result);
  PQfinish (conn);
  return ok;
}

char *
new_db_path (void)
{
  static guint n;
  const char *cluster = test_db_cluster ();
  g_autofree char *name = NULL;
  g_autofree char *create = NULL;
  const char *query;

  if (cluster == NULL)
    return g_strdup_printf ("%s/server-%u.db", tmpdir, ++n);

  /* A fresh database in the run's cluster; the URI names "postgres". */
  name = g_strdup_printf ("sd_%d_%u", (int) getpid (), ++n);
  create = g_strdup_printf ("CREATE DATABASE %s", name);
  g_assert_true (pg_exec (cluster, create, NULL));
  query = strchr (cluster + strlen ("postgresql://"), '?');
  return g_strdup_printf ("postgresql:///%s%s", name, query ? query : "");
}

gboolean
db_exec (const char *db,
         const char *sql)
{
  sqlite3 *handle = NULL;
  gboolean ok;

  if (sd_pg_store_is_uri (db))
    return pg_exec (db, sql, NULL);
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  ok = sqlite3_exec (handle, sql, NULL, NULL, NULL) == SQLITE_OK;
  sqlite3_close (handle);
  return ok;
}

gint64
db_query_int (const char *db,
              const char *sql)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  if (sd_pg_store_is_uri (db))
    {
      g_autofree char *value = NULL;

      g_assert_true (pg_exec (db, sql, &value));
      g_assert_nonnull (value);
      return g_ascii_strtoll (value, NULL, 10);
    }
  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (handle);
  return n;
}

/* A server outlives no failed test. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (server_fd_limit > 0)
    {
      struct rlimit limit = { server_fd_limit, server_fd_limit };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

void
server_start_on (Server     *server,
                 const char *db,
                 const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "test-server.crt", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "test-server.key", NULL);

  g_ptr_array_add (argv, (char *) server_binary ());
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  if (g_strcmp0 (extra, "--demo") == 0)
    g_ptr_array_add (argv, (char *) "--demo");
  else
    g_ptr_array_add (argv, (char *) "--init");
  if (g_strcmp0 (extra, "--tls") == 0)
    {
      g_ptr_array_add (argv, (char *) "--tls-cert");
      g_ptr_array_add (argv, cert);
      g_ptr_array_add (argv, (char *) "--tls-key");
      g_ptr_array_add (argv, key);
    }
  for (guint i = 0; server_extra_args && server_extra_args[i]; i++)
    g_ptr_array_add (argv, (char *) server_extra_args[i]);
  g_ptr_array_add (argv, NULL);

  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    if (server_stderr_path != NULL)
      g_subprocess_launcher_set_stderr_file_path (launcher, server_stderr_path);
    if (server_page_gate != NULL)
      g_subprocess_launcher_setenv (launcher, "SUPPORTDESK_TEST_PAGE_GATE", server_page_gate, TRUE);
    server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  }
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      const char *url;

      g_assert_no_error (error);
      g_assert_nonnull (line);  /* the server died before listening */
      if ((url = strstr (line, "listening on ")))
        {
          server->base = g_strdup (url + strlen ("listening on "));
          break;
        }
    }
  server->https = g_str_has_prefix (server->base, "https:");
  g_free (server->db);
  server->db = g_strdup (db);
}

Server *
server_start (const char *extra)
{
  Server *server = g_new0 (Server, 1);
  g_autofree char *db = new_db_path ();

  server_start_on (server, db, extra);
  return server;
}

void
server_stop (Server *server,
             int     signal)
{
  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, signal);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_clear_pointer (&server->base, g_free);
}

void
server_free (Server *server)
{
  server_stop (server, SIGTERM);
  g_free (server->db);
  g_free (server);
}

static gboolean
accept_test_certificate_cb (SoupMessage          *msg,
                            GTlsCertificate      *certificate,
                            GTlsCertificateFlags  errors,
                            gpointer              user_data)
{
  return TRUE;
}

/* One request. @headers: NULL-terminated name, value pairs. */
const char *local_address;  /* bind the client here when set */

Reply *
request_full (Server             *server,
              const char         *method,
              const char         *path,
              const char         *token,
              const char * const *headers,
              const char         *content_type,
              const char         *body,
              gssize              body_length)
{
  g_autoptr(GInetSocketAddress) local = local_address
    ? G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (local_address, 0)) : NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 30, "local-address", local, NULL);
  g_autofree char *url = g_strconcat (server->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);
  gsize size;
  const char *data;

  g_assert_nonnull (msg);
  if (server->https)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_test_certificate_cb), NULL);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  for (guint i = 0; headers && headers[i]; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);
  if (body != NULL)
    {
      g_autoptr(GBytes) payload = g_bytes_new (body, body_length < 0 ? strlen (body) : (gsize) body_length);
      soup_message_set_request_body_from_bytes (msg, content_type ? content_type : "application/json", payload);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  data = g_bytes_get_data (bytes, &size);
  reply->body = g_strndup (data, size);
  if (size > 0)
    reply->json = sd_json_parse (reply->body, -1, NULL);
  return reply;
}

Reply *
request (Server     *server,
         const char *method,
         const char *path,
         const char *token,
         const char *body)
{
  return request_full (server, method, path, token, NULL, NULL, body, -1);
}

Reply *
request_patch (Server     *server,
               const char *path,
               const char *token,
               gint64      version,
               const char *body)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
  const char *headers[] = { "If-Match", etag, NULL };

  return request_full (server, "PATCH", path, token, headers, NULL, body, -1);
}

JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

void
assert_problem (Reply      *reply,
                guint       status,
                const char *field)
{
  JsonObject *problem;

  if (reply->status != status)
    g_error ("expected %u, got %u: %s", status, reply->status, reply->body);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==, "application/problem+json");
  problem = reply_object (reply);
  g_assert_true (json_object_has_member (problem, "type"));
  g_assert_true (json_object_has_member (problem, "title"));
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, status);
  if (field != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (problem, "field", NULL), ==, field);
}

void
assert_status (Reply *reply,
               guint  status)
{
  if (reply->status != status)
    g_error ("expected %u, got %u: %s", status, reply->status, reply->body);
}

char *
sign_in (Server     *server,
         const char *login,
         const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"login\":\"%s\",\"password\":\"%s\"}", login, password);
  g_autoptr(Reply) reply = request (server, "POST", "/auth/token", NULL, body);

  assert_status (reply, 201);
  return g_strdup (json_object_get_string_member (reply_object (reply), "token"));
}

char *
render_text_cb (gint64     version,
                gint64     updated_at,
                gpointer   user_data,
                GError   **error)
{
  return g_strdup (user_data);
}

/* A database with two TAMs, each with one customer, before the server
 * starts. Returns the TAMs' user ids. */
guint32
today_in (const char *zone)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return g_date_get_julian (&date);
}

void
seed_two_tams (const char  *db,
               char       **tam_a,
               char       **tam_b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open_db (db, TRUE, &error);
  const char *ids[2] = { "cust-a", "cust-b" };
  GDate *contract_start = g_date_new_dmy (1, G_DATE_APRIL, 2025);

  g_assert_no_error (error);
  g_assert_true (sd_server_add_user (store, "tam.a", "TAM A", "tam", "password-a", tam_a, &error));
  g_assert_true (sd_server_add_user (store, "tam.b", "TAM B", "tam", "password-b", tam_b, &error));
  g_assert_no_error (error);

  {
    g_autoptr(SdCalendar) calendar = sd_calendar_new_for_time_zone ("Europe/Berlin", &error);
    g_autoptr(JsonNode) node = sd_calendar_to_json (calendar);
    g_autofree char *text = NULL;
    g_autoptr(SdStoreRecord) record = NULL;

    json_object_set_string_member (json_node_get_object (node), "id", "de-office");
    text = sd_json_to_string (node, FALSE);
    record = sd_store_put (store, "calendar", "de-office", NULL, NULL, 0, NULL,
                           render_text_cb, text, NULL, &error);
    g_assert_no_error (error);
  }

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SdCustomer) customer = sd_customer_new (ids[i]);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      g_autoptr(SdStoreRecord) record = NULL;

      sd_customer_set_name (customer, i == 0 ? "上海浦江银行" : "Nordwind Logistik GmbH");
      sd_customer_set_tier (customer, SD_TIER_MSA_ENTERPRISE);
      sd_customer_set_time_zone (customer, i == 0 ? "Asia/Shanghai" : "Europe/Berlin");
      sd_customer_set_calendar_id (customer, i == 0 ? "cn-mainland" : "de-office");
      sd_customer_set_tam_id (customer, i == 0 ? *tam_a : *tam_b);
      /* cust-a holds the extended-support certificate; cust-b does not. */
      sd_customer_set_health_check_entitled (customer, i == 0);
      sd_customer_set_contract_start (customer, g_date_get_julian (contract_start));
      /* cust-a's contract runs out 120 days from today (SEEDED_CONTRACT_DAYS). */
      if (i == 0)
        sd_customer_set_contract_end (customer, today_in ("Asia/Shanghai") + SEEDED_CONTRACT_DAYS);
      sd_customer_set_version (customer, 1);
      node = sd_customer_to_json (customer);
      text = sd_json_to_string (node, FALSE);
      record = sd_store_put (store, "customer", ids[i], ids[i], NULL, 0, NULL,
                             render_text_cb, text, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (record);
    }
  g_date_free (contract_start);
}

/* A server on a database with two TAMs and their customers. */
Server *
server_start_seeded (const char  *db,
                     char       **tam_a,
                     char       **tam_b)
{
  Server *server = g_new0 (Server, 1);

  seed_two_tams (db, tam_a, tam_b);
  server_start_on (server, db, NULL);
  return server;
}

Server *
server_start_seeded_with_staff (const char  *db,
                                char       **tam_a)
{
  g_autofree char *tam_b = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *manager = NULL;
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);

  seed_two_tams (db, tam_a, &tam_b);
  {
    g_autoptr(SdStore) store = sd_store_open_db (db, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (sd_server_add_user (store, "admin", "Admin", "admin", "password-admin", &admin, &error));
    g_assert_true (sd_server_add_user (store, "dm", "Duty Manager", "duty_manager", "password-dm",
                                       &manager, &error));
    g_assert_no_error (error);
  }
  server_start_on (server, db, NULL);
  return server;
}

char *
case_body (const char *customer_id,
           int         severity,
           gint64      reported_at)
{
  g_autofree char *when = sd_time_format_iso8601 (reported_at, NULL);

  return g_strdup_printf ("{\"customer_id\":\"%s\",\"title\":\"代理离线 — agents offline\","
                          "\"type\":\"incident\",\"severity\":%d,\"reported_at\":\"%s\","
                          "\"reported_via\":\"phone\"}",
                          customer_id, severity, when);
}

gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

const char *
member_string (Reply      *reply,
               const char *name)
{
  return json_object_get_string_member (reply_object (reply), name);
}


void
server_test_init (int    *argc,
                  char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  tmpdir = g_dir_make_tmp ("supportdesk-server-XXXXXX", &error);
  g_assert_no_error (error);
}

int
server_test_run (void)
{
  int ret = g_test_run ();
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);

  if (system (command) != 0)
    g_printerr ("could not remove %s\n", tmpdir);
  g_clear_pointer (&tmpdir, g_free);
  return ret;
}

/* Waits (without a fixed sleep deciding anything) until @path exists. */
void
wait_for_file (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 180 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
}
