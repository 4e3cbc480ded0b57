/* test-rest-client.c — SdRestClient against the real server and a faulty one
 *
 * The real supportdesk-server runs per test on a free loopback port with a
 * fresh database. Faults the real server cannot produce on demand come
 * from a scripted server in a thread of this process that answers every
 * connection with canned bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>
#include <supportdesk.h>

#define DEMO_PASSWORD "supportdesk-demo"

static char *tmpdir;

/* ------------------------------------------------------------ async */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* Runs one call to completion; evaluates to its GAsyncResult. */
#define RUN(call_with_callback) \
  ({ GAsyncResult *run_result_ = NULL; \
     call_with_callback (store_result_cb, &run_result_); \
     wait_for_result (&run_result_); })

static SdUser *
client_me (SdRestClient  *client,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_me_async (client, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_me_finish (client, result, error);
}

static gboolean
client_sign_in (SdRestClient  *client,
                const char    *login,
                const char    *password,
                char         **token,
                gint64        *expires_at,
                SdUser       **user,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_sign_in_async (client, login, password, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_sign_in_finish (client, result, token, expires_at, user, error);
}

static gboolean
client_sign_out (SdRestClient  *client,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_sign_out_async (client, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_sign_out_finish (client, result, error);
}

static JsonNode *
client_changes (SdRestClient  *client,
                gint64         after,
                guint          limit,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_changes_async (client, after, limit, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_changes_finish (client, result, error);
}

static JsonNode *
client_create (SdRestClient  *client,
               const char    *path,
               JsonNode      *body,
               const char    *key,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_create_async (client, path, body, key, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_create_finish (client, result, error);
}

static JsonNode *
client_update (SdRestClient  *client,
               const char    *path,
               JsonNode      *patch,
               gint64         version,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_update_async (client, path, patch, version, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_update_finish (client, result, error);
}

static JsonNode *
client_audit (SdRestClient  *client,
              const char    *id,
              const char    *cursor,
              guint          limit,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_audit_async (client, "case", id, cursor, limit, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_audit_finish (client, result, error);
}

static JsonNode *
client_append_event (SdRestClient  *client,
                     const char    *case_id,
                     JsonNode      *body,
                     const char    *key,
                     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

#define CALL(cb, data) sd_rest_client_append_event_async (client, case_id, body, key, NULL, cb, data)
  result = RUN (CALL);
#undef CALL
  return sd_rest_client_append_event_finish (client, result, error);
}

static JsonNode *
json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = sd_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member (json_node_get_object (node), name);
}

static gint64
member_int (JsonNode   *node,
            const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_int_member (json_node_get_object (node), name);
}

/* ------------------------------------------------------- real server */

typedef struct {
  GSubprocess *process;
  char        *url;     /* as the server prints it: scheme://127.0.0.1:PORT/api/v1 */
  char        *origin;  /* scheme://127.0.0.1:PORT */
} Server;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static Server *
server_start (gboolean tls)
{
  static guint n;
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *db = g_strdup_printf ("%s/server-%u.db", tmpdir, ++n);
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "test-server.crt", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "test-server.key", NULL);
  const char *binary = g_getenv ("SUPPORTDESK_SERVER");
  const char *argv[] = { binary, "--db", db, "--listen", "127.0.0.1:0", "--demo",
                         tls ? "--tls-cert" : NULL, cert, "--tls-key", key, NULL };
  const char *found;

  g_assert_nonnull (binary);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if ((found = strstr (line, "listening on ")))
        {
          server->url = g_strdup (found + strlen ("listening on "));
          break;
        }
    }
  g_assert_true (g_str_has_suffix (server->url, "/api/v1"));
  server->origin = g_strndup (server->url, strlen (server->url) - strlen ("/api/v1"));
  return server;
}

static void
server_free (Server *server)
{
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);
  g_free (server->url);
  g_free (server->origin);
  g_free (server);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static SdRestClient *
new_client (const char *origin,
            const char *token)
{
  g_autoptr(GError) error = NULL;
  SdRestClient *client = sd_rest_client_new (origin, token, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static SdRestClient *
signed_in_client (Server     *server,
                  const char *login)
{
  g_autoptr(GError) error = NULL;
  SdRestClient *client = new_client (server->origin, NULL);

  g_assert_true (client_sign_in (client, login, DEMO_PASSWORD, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sd_rest_client_get_token (client));
  return client;
}

/* The first entity of @kind in the feed, walked from the start. */
static JsonNode *
find_in_feed (SdRestClient *client,
              const char   *kind)
{
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) page = client_changes (client, after, 1000, &error);
      JsonArray *changes;

      g_assert_no_error (error);
      changes = json_object_get_array_member (json_node_get_object (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          if (g_str_equal (json_object_get_string_member (change, "kind"), kind)
              && !json_object_get_boolean_member (change, "deleted"))
            return json_node_copy (json_object_get_member (change, "entity"));
        }
      g_assert_true (json_object_get_boolean_member (json_node_get_object (page), "has_more"));
      after = json_object_get_int_member (json_node_get_object (page), "next");
    }
}

/* The same body every time, so that a retry with the same Idempotency-Key
 * is the same request however slowly the test runs. */
static JsonNode *
new_case_body (const char *customer_id)
{
  static gint64 reported_at;
  g_autofree char *when = NULL;

  if (reported_at == 0)
    reported_at = g_get_real_time () / G_USEC_PER_SEC - 3600;
  when = sd_time_format_iso8601 (reported_at, NULL);
  g_autofree char *text = g_strdup_printf ("{\"customer_id\":\"%s\",\"title\":\"代理离线 — agents offline\","
                                           "\"type\":\"incident\",\"severity\":2,\"reported_at\":\"%s\","
                                           "\"reported_via\":\"phone\"}",
                                           customer_id, when);

  return json (text);
}

static JsonNode *
create_case (SdRestClient *client,
             const char   *key)
{
  g_autoptr(JsonNode) customer = find_in_feed (client, "customer");
  g_autoptr(JsonNode) body = new_case_body (member_string (customer, "id"));
  g_autoptr(GError) error = NULL;
  JsonNode *created = client_create (client, "/cases", body, key, &error);

  g_assert_no_error (error);
  return created;
}

static void
test_bad_base_url (void)
{
  const char *bad[] = { "", "example.com", "ftp://example.com", "https://", "https://user@example.com",
                        "https://example.com/?x=1", "https://example.com/#top" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdRestClient) client = sd_rest_client_new (bad[i], NULL, &error);

      g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_BAD_URL);
      g_assert_null (client);
      g_assert_false (sd_rest_error_is_retryable (error));
    }

  {
    g_autoptr(SdRestClient) a = new_client ("https://example.com:8443", NULL);
    g_autoptr(SdRestClient) b = new_client ("https://example.com:8443/api/v1/", NULL);
    g_autoptr(SdRestClient) c = new_client ("http://example.com/prefix/", "t");

    g_assert_cmpstr (sd_rest_client_get_base_url (a), ==, "https://example.com:8443/api/v1");
    g_assert_cmpstr (sd_rest_client_get_base_url (b), ==, "https://example.com:8443/api/v1");
    g_assert_cmpstr (sd_rest_client_get_base_url (c), ==, "http://example.com/prefix/api/v1");
    g_assert_cmpstr (sd_rest_client_get_host (a), ==, "example.com");
    g_assert_cmpuint (sd_rest_client_get_timeout (a), ==, 30);
    g_assert_false (sd_rest_client_get_accept_invalid_certificate (a));
    g_assert_cmpstr (sd_rest_client_get_token (c), ==, "t");
  }
}

static void
test_sign_in (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = new_client (server->url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUser) user = NULL;
  g_autoptr(SdUser) me = NULL;
  g_autofree char *token = NULL;
  gint64 expires_at = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_false (client_sign_in (client, "li.na", "wrong password", &token, &expires_at, &user, &error));
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 401);
  g_assert_cmpstr (sd_rest_error_get_problem_type (error), ==, "urn:supportdesk:problem:sign-in");
  g_assert_false (sd_rest_error_is_retryable (error));
  g_assert_null (token);
  g_assert_null (user);
  g_assert_null (sd_rest_client_get_token (client));
  g_clear_error (&error);

  /* No token: /me is refused. */
  me = client_me (client, &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_UNAUTHORIZED);
  g_assert_null (me);
  g_clear_error (&error);

  g_assert_true (client_sign_in (client, "li.na", DEMO_PASSWORD, &token, &expires_at, &user, &error));
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_cmpstr (sd_rest_client_get_token (client), ==, token);
  g_assert_cmpint (expires_at, >, now + 29 * 24 * 3600);
  g_assert_cmpint (expires_at, <, now + 31 * 24 * 3600);
  g_assert_nonnull (user);
  g_assert_cmpstr (sd_user_get_login (user), ==, "li.na");
  g_assert_cmpint (sd_user_get_role (user), ==, SD_ROLE_TAM);

  me = client_me (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (me);
  g_assert_cmpstr (sd_user_get_id (me), ==, sd_user_get_id (user));
  g_assert_cmpstr (sd_user_get_login (me), ==, "li.na");
}

static void
test_sign_out (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = signed_in_client (server, "anna.schmidt");
  g_autoptr(SdRestClient) other = signed_in_client (server, "anna.schmidt");
  g_autofree char *token = g_strdup (sd_rest_client_get_token (client));
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUser) me = NULL;
  g_autoptr(SdUser) still = NULL;

  g_assert_true (client_sign_out (client, &error));
  g_assert_no_error (error);
  g_assert_null (sd_rest_client_get_token (client));

  sd_rest_client_set_token (client, token);
  me = client_me (client, &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_UNAUTHORIZED);
  g_assert_null (me);
  g_assert_cmpstr (sd_rest_error_get_problem_type (error), ==, "urn:supportdesk:problem:unauthorized");
  g_clear_error (&error);

  /* Signing out again with the dead token is refused too. */
  g_assert_false (client_sign_out (client, &error));
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Another session of the same user is not affected. */
  still = client_me (other, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_user_get_login (still), ==, "anna.schmidt");
}

static void
test_change_feed_walk (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = signed_in_client (server, "li.na");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 after = 0;
  gint64 last_seq = 0;
  guint pages = 0;
  guint cases = 0;
  gboolean has_more = TRUE;

  while (has_more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) page = client_changes (client, after, 100, &error);
      JsonObject *object;
      JsonArray *changes;
      gint64 next;

      g_assert_no_error (error);
      g_assert_nonnull (page);
      object = json_node_get_object (page);
      changes = json_object_get_array_member (object, "changes");
      g_assert_cmpuint (json_array_get_length (changes), <=, 100);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          gint64 seq = json_object_get_int_member (change, "seq");
          g_autofree char *key = g_strconcat (json_object_get_string_member (change, "kind"), "/",
                                              json_object_get_string_member (change, "id"), NULL);

          g_assert_cmpint (seq, >, last_seq);
          g_assert_cmpint (seq, >, after);
          last_seq = seq;
          g_assert_false (g_hash_table_contains (seen, key));
          g_hash_table_add (seen, g_steal_pointer (&key));
          if (g_str_equal (json_object_get_string_member (change, "kind"), "case"))
            cases++;
        }
      has_more = json_object_get_boolean_member (object, "has_more");
      next = json_object_get_int_member (object, "next");
      g_assert_cmpint (next, >=, last_seq);
      if (has_more)
        g_assert_cmpint (next, ==, last_seq);
      after = next;
      pages++;
      g_assert_cmpuint (pages, <, 1000);
    }
  g_test_message ("%u pages, %u entities, %u cases", pages, g_hash_table_size (seen), cases);
  g_assert_cmpuint (pages, >, 1);
  g_assert_cmpuint (cases, >, 0);

  /* Nothing new: one empty page at the head. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) page = client_changes (client, after, 100, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (page), "changes")), ==, 0);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (page), "has_more"));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (page), "next"), ==, after);
  }

  /* A cursor beyond the head: the server's data was replaced. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) page = client_changes (client, after + 1000000, 100, &error);

    g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_RESYNC);
    g_assert_null (page);
    g_assert_cmpstr (sd_rest_error_get_field (error), ==, "after");
    g_assert_false (sd_rest_error_is_retryable (error));
  }
}

/* A frozen process: the main loop does not run for longer than the idle
 * timeout of the keep-alive connections. The next request still gets its
 * answer, and so does one whose connections are dropped while it runs
 * (a resume from suspend). */
static void
test_blocked_loop (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = new_client (server->origin, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SdUser) user = NULL;

  sd_rest_client_set_idle_timeout (client, 1);
  g_assert_cmpuint (sd_rest_client_get_idle_timeout (client), ==, 1);
  g_assert_true (client_sign_in (client, "li.na", DEMO_PASSWORD, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(JsonNode) page = client_changes (client, 0, 10, &error);

      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_usleep (2 * G_USEC_PER_SEC + G_USEC_PER_SEC / 2);
      g_clear_object (&user);
      user = client_me (client, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sd_user_get_login (user), ==, "li.na");
    }

  sd_rest_client_me_async (client, NULL, store_result_cb, &result);
  sd_rest_client_reset_connections (client);
  g_clear_object (&user);
  user = sd_rest_client_me_finish (client, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_user_get_login (user), ==, "li.na");
  g_clear_object (&user);
  user = client_me (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
}

static void
test_create_idempotent (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = signed_in_client (server, "li.na");
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *other_key = g_uuid_string_random ();
  g_autoptr(JsonNode) first = create_case (client, key);
  g_autoptr(JsonNode) again = create_case (client, key);
  g_autoptr(JsonNode) other = create_case (client, other_key);

  g_assert_nonnull (member_string (first, "id"));
  g_assert_true (g_uuid_string_is_valid (member_string (first, "id")));
  g_assert_cmpint (member_int (first, "version"), ==, 1);
  g_assert_cmpstr (member_string (again, "id"), ==, member_string (first, "id"));
  g_assert_cmpstr (member_string (again, "number"), ==, member_string (first, "number"));
  g_assert_cmpstr (member_string (other, "id"), !=, member_string (first, "id"));
}

static void
test_create_invalid (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = signed_in_client (server, "li.na");
  g_autoptr(JsonNode) customer = find_in_feed (client, "customer");
  g_autoptr(JsonNode) body = new_case_body (member_string (customer, "id"));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) created = NULL;

  json_object_set_int_member (json_node_get_object (body), "severity", 9);
  created = client_create (client, "/cases", body, NULL, &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_INVALID);
  g_assert_null (created);
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 400);
  g_assert_cmpstr (sd_rest_error_get_field (error), ==, "case.severity");
  g_assert_cmpstr (sd_rest_error_get_problem_type (error), ==, "urn:supportdesk:problem:validation");
  g_assert_nonnull (strstr (error->message, "severity"));
  g_assert_false (sd_rest_error_is_retryable (error));
}

static void
test_update_and_conflict (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = signed_in_client (server, "li.na");
  g_autoptr(JsonNode) kase = create_case (client, NULL);
  g_autofree char *path = g_strconcat ("/cases/", member_string (kase, "id"), NULL);
  g_autoptr(JsonNode) patch = json ("{\"title\":\"Agents offline after the update\"}");
  g_autoptr(JsonNode) stale_patch = json ("{\"title\":\"Someone else's title\"}");
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *current;

  updated = client_update (client, path, patch, member_int (kase, "version"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (member_int (updated, "version"), ==, member_int (kase, "version") + 1);
  g_assert_cmpstr (member_string (updated, "title"), ==, "Agents offline after the update");

  refused = client_update (client, path, stale_patch, member_int (kase, "version"), &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_CONFLICT);
  g_assert_null (refused);
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 412);
  g_assert_false (sd_rest_error_is_retryable (error));
  current = sd_rest_error_get_current_entity (error);
  g_assert_nonnull (current);
  g_assert_cmpstr (member_string (current, "id"), ==, member_string (kase, "id"));
  g_assert_cmpint (member_int (current, "version"), ==, member_int (updated, "version"));
  g_assert_cmpstr (member_string (current, "title"), ==, "Agents offline after the update");

  /* The conflict travels with copies of the error. */
  {
    g_autoptr(GError) copy = g_error_copy (error);

    g_assert_nonnull (sd_rest_error_get_current_entity (copy));
    g_assert_true (sd_rest_error_get_current_entity (copy) != current);
    g_assert_cmpint (member_int (sd_rest_error_get_current_entity (copy), "version"), ==, member_int (updated, "version"));
  }
  g_clear_error (&error);

  missing = client_update (client, "/cases/00000000-0000-4000-8000-000000000000", patch, 1, &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_NOT_FOUND);
  g_assert_null (missing);
  g_assert_null (sd_rest_error_get_current_entity (error));
}

static void
test_append_event (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) client = signed_in_client (server, "li.na");
  g_autoptr(JsonNode) kase = create_case (client, NULL);
  g_autoptr(JsonNode) body = json ("{\"kind\":\"comment\",\"body\":\"Called the customer's IT lead.\"}");
  g_autofree char *key = g_uuid_string_random ();
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) status = json ("{\"kind\":\"status_change\",\"data\":{\"from\":\"new\",\"to\":\"in_progress\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCaseEvent) decoded = NULL;

  event = client_append_event (client, member_string (kase, "id"), body, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (event, "case_id"), ==, member_string (kase, "id"));
  g_assert_cmpstr (member_string (event, "kind"), ==, "comment");
  decoded = sd_case_event_from_json (event, "event", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_case_event_get_kind (decoded), ==, SD_EVENT_COMMENT);

  again = client_append_event (client, member_string (kase, "id"), body, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (member_string (again, "id"), ==, member_string (event, "id"));

  wrong = client_append_event (client, member_string (kase, "id"), status, NULL, &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_INVALID);
  g_assert_null (wrong);
  g_assert_cmpstr (sd_rest_error_get_field (error), ==, "event.kind");
}

/* A case's audit log: for the duty manager, page by page; a TAM is
 * refused. */
static void
test_audit (void)
{
  g_autoptr(Server) server = server_start (FALSE);
  g_autoptr(SdRestClient) tam = signed_in_client (server, "li.na");
  g_autoptr(SdRestClient) manager = signed_in_client (server, "wang.qiang");
  g_autoptr(JsonNode) kase = create_case (tam, NULL);
  g_autoptr(JsonNode) patch = json ("{\"title\":\"Agents offline after the update\"}");
  g_autofree char *path = g_strconcat ("/cases/", member_string (kase, "id"), NULL);
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *entry;
  const char *cursor;

  updated = client_update (tam, path, patch, 1, &error);
  g_assert_no_error (error);

  first = client_audit (manager, member_string (kase, "id"), NULL, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (first), "items")), ==, 1);
  entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (first), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "create");
  g_assert_cmpstr (json_object_get_string_member (entry, "entity_id"), ==, member_string (kase, "id"));
  cursor = json_object_get_string_member (json_node_get_object (first), "next_cursor");
  g_assert_nonnull (cursor);

  second = client_audit (manager, member_string (kase, "id"), cursor, 0, &error);
  g_assert_no_error (error);
  entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (second), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "update");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "patch"), "title"),
                   ==, "Agents offline after the update");
  g_assert_true (json_object_get_null_member (json_node_get_object (second), "next_cursor"));

  refused = client_audit (tam, member_string (kase, "id"), NULL, 0, &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_FORBIDDEN);
  g_assert_null (refused);
}

static void
test_tls (void)
{
  g_autoptr(Server) server = server_start (TRUE);
  g_autoptr(SdRestClient) client = new_client (server->origin, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (server->origin, "https://"));
  g_assert_false (client_sign_in (client, "li.na", DEMO_PASSWORD, NULL, NULL, NULL, &error));
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_false (sd_rest_error_is_retryable (error));
  g_assert_null (sd_rest_client_get_token (client));
  g_clear_error (&error);

  sd_rest_client_set_accept_invalid_certificate (client, TRUE);
  g_assert_true (client_sign_in (client, "li.na", DEMO_PASSWORD, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sd_rest_client_get_token (client));

  /* Plain HTTP to the HTTPS port is not a silent success either. */
  {
    g_autofree char *plain = g_strconcat ("http://", server->origin + strlen ("https://"), NULL);
    g_autoptr(SdRestClient) insecure = new_client (plain, NULL);
    g_autoptr(SdUser) me = client_me (insecure, &error);

    g_assert_nonnull (error);
    g_assert_null (me);
    g_test_message ("plain HTTP to HTTPS: %s", error->message);
  }
}

/* -------------------------------------------------- scripted server */

/* Answered to every request: @head (status line and headers, each ending
 * in CRLF), then Content-Length (the body's length plus @missing) and
 * Connection: close, then @body. */
typedef struct {
  const char *head;
  const char *body;
  guint       delay_ms;   /* before the answer */
  guint       missing;    /* bytes announced but never sent */
} Script;

typedef struct {
  GSocketListener *listener;
  GCancellable    *cancellable;
  GThread         *thread;
  guint16          port;
  const Script    *script;
  GMutex           lock;
  char            *last_request;  /* guarded by lock */
  guint            requests;      /* guarded by lock */
} Scripted;

static char *
read_request (GInputStream *input)
{
  GString *text = g_string_new (NULL);
  const char *end;
  guint64 length = 0;
  char c;

  while (strstr (text->str, "\r\n\r\n") == NULL)
    {
      if (g_input_stream_read (input, &c, 1, NULL, NULL) != 1)
        {
          g_string_free (text, TRUE);
          return NULL;
        }
      g_string_append_c (text, c);
    }
  end = g_strstr_len (text->str, -1, "\r\n\r\n") + 4;
  {
    g_autofree char *lower = g_ascii_strdown (text->str, -1);
    const char *cl = strstr (lower, "\r\ncontent-length:");

    if (cl != NULL)
      length = g_ascii_strtoull (cl + strlen ("\r\ncontent-length:"), NULL, 10);
  }
  while ((guint64) (text->str + text->len - end) < length)
    {
      gssize n;
      char buffer[4096];

      n = g_input_stream_read (input, buffer, MIN (sizeof buffer, length - (text->str + text->len - end)), NULL, NULL);
      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
      end = g_strstr_len (text->str, -1, "\r\n\r\n") + 4;
    }
  return g_string_free (text, FALSE);
}

static gpointer
scripted_thread (gpointer user_data)
{
  Scripted *scripted = user_data;

  for (;;)
    {
      g_autoptr(GSocketConnection) connection = NULL;
      g_autofree char *request = NULL;
      g_autofree char *response = NULL;
      GOutputStream *output;

      connection = g_socket_listener_accept (scripted->listener, NULL, scripted->cancellable, NULL);
      if (connection == NULL)
        break;
      request = read_request (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
      g_mutex_lock (&scripted->lock);
      g_free (scripted->last_request);
      scripted->last_request = g_steal_pointer (&request);
      scripted->requests++;
      g_mutex_unlock (&scripted->lock);

      for (guint waited = 0; waited < scripted->script->delay_ms; waited += 10)
        {
          if (g_cancellable_is_cancelled (scripted->cancellable))
            break;
          g_usleep (10 * 1000);
        }
      output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      response = g_strdup_printf ("%sContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                  scripted->script->head,
                                  strlen (scripted->script->body) + scripted->script->missing,
                                  scripted->script->body);
      g_output_stream_write_all (output, response, strlen (response), NULL, NULL, NULL);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
  return NULL;
}

static Scripted *
scripted_start (const Script *script)
{
  Scripted *scripted = g_new0 (Scripted, 1);
  g_autoptr(GError) error = NULL;

  g_mutex_init (&scripted->lock);
  scripted->script = script;
  scripted->cancellable = g_cancellable_new ();
  scripted->listener = g_socket_listener_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (scripted->listener, address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
    g_assert_no_error (error);
    scripted->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  scripted->thread = g_thread_new ("scripted-server", scripted_thread, scripted);
  return scripted;
}

static void
scripted_free (Scripted *scripted)
{
  g_cancellable_cancel (scripted->cancellable);
  g_thread_join (scripted->thread);
  g_socket_listener_close (scripted->listener);
  g_object_unref (scripted->listener);
  g_object_unref (scripted->cancellable);
  g_mutex_clear (&scripted->lock);
  g_free (scripted->last_request);
  g_free (scripted);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scripted, scripted_free)

static char *
scripted_last_request (Scripted *scripted)
{
  char *request;

  g_mutex_lock (&scripted->lock);
  request = g_strdup (scripted->last_request);
  g_mutex_unlock (&scripted->lock);
  return request;
}

static SdRestClient *
scripted_client (Scripted *scripted)
{
  g_autofree char *origin = g_strdup_printf ("http://127.0.0.1:%u", scripted->port);

  return new_client (origin, "secret-token");
}

#define PROBLEM(status, type) \
  "{\"type\":\"urn:supportdesk:problem:" type "\",\"title\":\"T\",\"status\":" #status ",\"detail\":\"D\"}"

/* One call of @kind against @script; returns its error. */
typedef enum { CALL_ME, CALL_CHANGES, CALL_CREATE, CALL_UPDATE, CALL_AUDIT } CallKind;

static GError *
scripted_call (const Script  *script,
               CallKind       kind,
               guint          timeout,
               char         **request)
{
  g_autoptr(Scripted) scripted = scripted_start (script);
  g_autoptr(SdRestClient) client = scripted_client (scripted);
  g_autoptr(JsonNode) body = json ("{\"kind\":\"comment\",\"body\":\"x\"}");
  GError *error = NULL;

  if (timeout > 0)
    sd_rest_client_set_timeout (client, timeout);
  switch (kind)
    {
    case CALL_ME:
      {
        g_autoptr(SdUser) me = client_me (client, &error);

        g_assert_true ((me == NULL) != (error == NULL));
      }
      break;

    case CALL_CHANGES:
      {
        g_autoptr(JsonNode) page = client_changes (client, 5, 10, &error);

        g_assert_true ((page == NULL) != (error == NULL));
      }
      break;

    case CALL_CREATE:
      {
        g_autoptr(JsonNode) created = client_create (client, "/cases", body, "key-1", &error);

        g_assert_true ((created == NULL) != (error == NULL));
      }
      break;

    case CALL_UPDATE:
      {
        g_autoptr(JsonNode) updated = client_update (client, "/cases/c-1", body, 3, &error);

        g_assert_true ((updated == NULL) != (error == NULL));
      }
      break;

    case CALL_AUDIT:
      {
        g_autoptr(JsonNode) page = client_audit (client, "c-1", NULL, 0, &error);

        g_assert_true ((page == NULL) != (error == NULL));
      }
      break;

    default:
      g_assert_not_reached ();
    }
  if (request != NULL)
    *request = scripted_last_request (scripted);
  return error;
}

static void
test_fault_throttled (void)
{
  static const Script script = {
    "HTTP/1.1 429 Too Many Requests\r\n"
    "Content-Type: application/problem+json\r\n"
    "Retry-After: 7\r\n",
    PROBLEM (429, "throttled")
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_CHANGES, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_THROTTLED);
  g_assert_cmpuint (sd_rest_error_get_retry_after (error), ==, 7);
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 429);
  g_assert_true (sd_rest_error_is_retryable (error));
}

static void
test_fault_server_error (void)
{
  static const Script script = {
    "HTTP/1.1 500 Internal Server Error\r\n"
    "Content-Type: application/problem+json\r\n",
    PROBLEM (500, "storage")
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_CREATE, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_SERVER);
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 500);
  g_assert_cmpstr (sd_rest_error_get_problem_type (error), ==, "urn:supportdesk:problem:storage");
  g_assert_cmpuint (sd_rest_error_get_retry_after (error), ==, 0);
  g_assert_true (sd_rest_error_is_retryable (error));
}

static void
test_fault_unavailable (void)
{
  static const Script with_retry_after = {
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: text/plain\r\n"
    "Retry-After: 30\r\n",
    "maintenance"
  };
  static const Script without = {
    "HTTP/1.1 503 Service Unavailable\r\n",
    "",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) plain = NULL;

  error = scripted_call (&with_retry_after, CALL_ME, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_THROTTLED);
  g_assert_cmpuint (sd_rest_error_get_retry_after (error), ==, 30);
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 503);
  g_assert_true (sd_rest_error_is_retryable (error));

  plain = scripted_call (&without, CALL_ME, 0, NULL);
  g_assert_error (plain, SD_REST_ERROR, SD_REST_ERROR_SERVER);
  g_assert_true (sd_rest_error_is_retryable (plain));
}

static void
test_fault_slow (void)
{
  static const Script script = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"changes\":[],\"next\":5,\"has_more\":false}",
    3000,
  };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  error = scripted_call (&script, CALL_CHANGES, 1, NULL);
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_TIMEOUT);
  g_assert_true (sd_rest_error_is_retryable (error));
  g_assert_cmpint (elapsed, >=, G_USEC_PER_SEC * 9 / 10);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC * 3);
}

static void
test_fault_truncated (void)
{
  static const Script script = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"changes\":[{\"seq\":6,\"kind\":\"case\",\"id\":\"c-1\",\"version\":2,\"deleted\":false,\"entity\":{\"id\"",
    0,
    4000,
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_CHANGES, 0, NULL);
  g_test_message ("%s", error ? error->message : "no error");
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL)
                 || g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_NETWORK));
  g_assert_true (sd_rest_error_is_retryable (error));
}

static void
test_fault_invalid_json (void)
{
  static const Script script = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"changes\":[],\"ne"
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_CHANGES, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL);
  g_assert_true (sd_rest_error_is_retryable (error));
}

/* An audit page that breaks the contract. */
static void
test_fault_malformed_audit (void)
{
  static const Script no_cursor = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"items\":[]}"
  };
  static const Script bad_entry = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"items\":[{\"seq\":0,\"at\":\"2026-12-04T10:00:00Z\",\"action\":\"update\",\"kind\":\"case\","
    "\"entity_id\":\"c-1\"}],\"next_cursor\":null}"
  };
  static const Script good = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"items\":[{\"seq\":3,\"at\":\"2026-12-04T10:00:00Z\",\"action\":\"update\",\"kind\":\"case\","
    "\"entity_id\":\"c-1\"}],\"next_cursor\":null}"
  };
  g_autoptr(GError) missing = scripted_call (&no_cursor, CALL_AUDIT, 0, NULL);
  g_autoptr(GError) bad = scripted_call (&bad_entry, CALL_AUDIT, 0, NULL);
  g_autofree char *request = NULL;
  g_autoptr(GError) none = scripted_call (&good, CALL_AUDIT, 0, &request);

  g_assert_error (missing, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL);
  g_assert_error (bad, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL);
  g_assert_no_error (none);
  g_assert_true (g_str_has_prefix (request, "GET /api/v1/audit?entity=case/c-1 "));
}

static void
test_fault_malformed_page (void)
{
  /* Valid JSON that is not a change-feed page. */
  static const Script no_has_more = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"changes\":[],\"next\":5}"
  };
  static const Script bad_change = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"changes\":[{\"seq\":6,\"kind\":\"case\",\"id\":\"c-1\",\"version\":2,\"deleted\":false,\"entity\":null}],"
    "\"next\":6,\"has_more\":false}"
  };
  static const Script not_an_object = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "[]"
  };
  const Script *scripts[] = { &no_has_more, &bad_change, &not_an_object };

  for (guint i = 0; i < G_N_ELEMENTS (scripts); i++)
    {
      g_autoptr(GError) error = scripted_call (scripts[i], CALL_CHANGES, 0, NULL);

      g_test_message ("%s", error ? error->message : "no error");
      g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL);
    }
}

static void
test_fault_wrong_content_type (void)
{
  static const Script script = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n",
    "<html><body>Login</body></html>\n"
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_ME, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "text/html"));
  g_assert_true (sd_rest_error_is_retryable (error));
}

static void
test_fault_unauthorized (void)
{
  static const Script script = {
    "HTTP/1.1 401 Unauthorized\r\n"
    "Content-Type: application/problem+json\r\n"
    "WWW-Authenticate: Bearer realm=\"supportdesk\"\r\n",
    PROBLEM (401, "unauthorized")
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_UPDATE, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_UNAUTHORIZED);
  g_assert_false (sd_rest_error_is_retryable (error));
}

static void
test_fault_conflict_without_entity (void)
{
  static const Script script = {
    "HTTP/1.1 412 Precondition Failed\r\n",
    "",
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_UPDATE, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL);
  g_assert_null (sd_rest_error_get_current_entity (error));
}

static void
test_fault_redirect (void)
{
  static const Script script = {
    "HTTP/1.1 302 Found\r\n"
    "Location: http://192.0.2.1/steal\r\n",
    "",
  };
  g_autoptr(GError) error = NULL;

  error = scripted_call (&script, CALL_ME, 0, NULL);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_PROTOCOL);
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 302);
}

/* Every other status the client must tell apart. */
static void
test_fault_status_mapping (void)
{
  static const struct {
    const char  *head;
    const char  *body;
    SdRestError  code;
    gboolean     retryable;
  } cases[] = {
    { "HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\n",
      "{\"type\":\"urn:supportdesk:problem:validation\",\"title\":\"T\",\"status\":400,"
      "\"detail\":\"Field “case.title” is missing\",\"field\":\"case.title\"}",
      SD_REST_ERROR_INVALID, FALSE },
    { "HTTP/1.1 403 Forbidden\r\n", "", SD_REST_ERROR_FORBIDDEN, FALSE },
    { "HTTP/1.1 404 Not Found\r\nContent-Type: application/problem+json\r\n",
      PROBLEM (404, "not-found"), SD_REST_ERROR_NOT_FOUND, FALSE },
    { "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\n", "", SD_REST_ERROR_INVALID, FALSE },
    { "HTTP/1.1 408 Request Timeout\r\n", "", SD_REST_ERROR_TIMEOUT, TRUE },
    { "HTTP/1.1 409 Conflict\r\nContent-Type: application/problem+json\r\n",
      PROBLEM (409, "exists"), SD_REST_ERROR_EXISTS, FALSE },
    { "HTTP/1.1 409 Conflict\r\nContent-Type: application/problem+json\r\n",
      PROBLEM (409, "resync"), SD_REST_ERROR_RESYNC, FALSE },
    { "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/problem+json\r\n",
      PROBLEM (413, "too-large"), SD_REST_ERROR_INVALID, FALSE },
    { "HTTP/1.1 415 Unsupported Media Type\r\nContent-Type: application/problem+json\r\n",
      PROBLEM (415, "media-type"), SD_REST_ERROR_INVALID, FALSE },
    { "HTTP/1.1 422 Unprocessable Entity\r\n", "", SD_REST_ERROR_INVALID, FALSE },
    { "HTTP/1.1 428 Precondition Required\r\nContent-Type: application/problem+json\r\n",
      PROBLEM (428, "precondition-required"), SD_REST_ERROR_PRECONDITION_REQUIRED, FALSE },
    { "HTTP/1.1 429 Too Many Requests\r\n", "", SD_REST_ERROR_THROTTLED, TRUE },
    { "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n", "<html></html>", SD_REST_ERROR_SERVER, TRUE },
    { "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n", "", SD_REST_ERROR_PROTOCOL, TRUE },
    { "HTTP/1.1 204 No Content\r\n", "", SD_REST_ERROR_PROTOCOL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Script script = { cases[i].head, cases[i].body, 0, 0 };
      g_autoptr(GError) error = scripted_call (&script, CALL_CREATE, 0, NULL);

      g_test_message ("%u: %s", i, error ? error->message : "no error");
      g_assert_error (error, SD_REST_ERROR, (int) cases[i].code);
      g_assert_cmpint (sd_rest_error_is_retryable (error), ==, cases[i].retryable);
      g_assert_cmpuint (sd_rest_error_get_status (error), ==, g_ascii_strtoull (cases[i].head + 9, NULL, 10));
    }

  {
    Script script = { cases[0].head, cases[0].body, 0, 0 };
    g_autoptr(GError) error = scripted_call (&script, CALL_CREATE, 0, NULL);

    g_assert_cmpstr (sd_rest_error_get_field (error), ==, "case.title");
    g_assert_cmpstr (error->message, ==, "Field “case.title” is missing");
  }
}

static void
test_fault_retry_after_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *date = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: %s\r\n", date);
  Script script = { head, "", 0, 0 };
  g_autoptr(GError) error = scripted_call (&script, CALL_ME, 0, NULL);

  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_THROTTLED);
  g_assert_cmpuint (sd_rest_error_get_retry_after (error), >=, 110);
  g_assert_cmpuint (sd_rest_error_get_retry_after (error), <=, 121);
}

/* What the client puts on the wire. */
static void
test_request_headers (void)
{
  static const Script created = {
    "HTTP/1.1 201 Created\r\n"
    "Content-Type: application/json\r\n",
    "{\"id\":\"c-1\"}\n"
  };
  static const Script updated = {
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n",
    "{\"id\":\"c-1\",\"version\":4}"
  };
  g_autofree char *create_request = NULL;
  g_autofree char *update_request = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;

  error = scripted_call (&created, CALL_CREATE, 0, &create_request);
  g_assert_no_error (error);
  g_assert_nonnull (create_request);
  g_assert_true (g_str_has_prefix (create_request, "POST /api/v1/cases HTTP/1.1\r\n"));
  lower = g_ascii_strdown (create_request, -1);
  g_assert_nonnull (strstr (lower, "\r\nuser-agent: supportdesk/" PACKAGE_VERSION "\r\n"));
  g_assert_nonnull (strstr (lower, "\r\nauthorization: bearer secret-token\r\n"));
  g_assert_nonnull (strstr (lower, "\r\nidempotency-key: key-1\r\n"));
  g_assert_nonnull (strstr (lower, "\r\ncontent-type: application/json\r\n"));
  g_assert_true (g_str_has_suffix (create_request, "\r\n\r\n{\"kind\":\"comment\",\"body\":\"x\"}"));

  error2 = scripted_call (&updated, CALL_UPDATE, 0, &update_request);
  g_assert_no_error (error2);
  g_assert_true (g_str_has_prefix (update_request, "PATCH /api/v1/cases/c-1 HTTP/1.1\r\n"));
  g_assert_nonnull (strstr (update_request, "\r\nIf-Match: \"3\"\r\n"));
  g_assert_null (strstr (update_request, "Idempotency-Key"));
}

static void
test_fault_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdUser) me = NULL;
  g_autofree char *origin = NULL;

  /* A port that was free a moment ago and has nobody listening. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

    g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  }
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  origin = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = new_client (origin, "t");
  me = client_me (client, &error);
  g_assert_error (error, SD_REST_ERROR, SD_REST_ERROR_NETWORK);
  g_assert_null (me);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpuint (sd_rest_error_get_status (error), ==, 0);
  g_assert_true (sd_rest_error_is_retryable (error));
}

static void
test_cancel (void)
{
  static const Script script = {
    "HTTP/1.1 200 OK\r\n",
    "",
    5000,
  };
  g_autoptr(Scripted) scripted = scripted_start (&script);
  g_autoptr(SdRestClient) client = scripted_client (scripted);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUser) me = NULL;

  sd_rest_client_me_async (client, cancellable, store_result_cb, &result);
  g_cancellable_cancel (cancellable);
  wait_for_result (&result);
  me = sd_rest_client_me_finish (client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (me);
  g_assert_false (sd_rest_error_is_retryable (error));
}

static void
test_error_helpers (void)
{
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_false (sd_rest_error_is_retryable (NULL));
  g_assert_false (sd_rest_error_is_retryable (other));
  g_assert_cmpuint (sd_rest_error_get_retry_after (other), ==, 0);
  g_assert_cmpuint (sd_rest_error_get_status (other), ==, 0);
  g_assert_null (sd_rest_error_get_field (other));
  g_assert_null (sd_rest_error_get_problem_type (other));
  g_assert_null (sd_rest_error_get_current_entity (other));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("test-rest-client-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/rest-client/bad-base-url", test_bad_base_url);
  g_test_add_func ("/rest-client/error-helpers", test_error_helpers);
  g_test_add_func ("/rest-client/server/sign-in", test_sign_in);
  g_test_add_func ("/rest-client/server/sign-out", test_sign_out);
  g_test_add_func ("/rest-client/server/change-feed-walk", test_change_feed_walk);
  g_test_add_func ("/rest-client/server/blocked-loop", test_blocked_loop);
  g_test_add_func ("/rest-client/server/create-idempotent", test_create_idempotent);
  g_test_add_func ("/rest-client/server/create-invalid", test_create_invalid);
  g_test_add_func ("/rest-client/server/update-and-conflict", test_update_and_conflict);
  g_test_add_func ("/rest-client/server/append-event", test_append_event);
  g_test_add_func ("/rest-client/server/tls", test_tls);
  g_test_add_func ("/rest-client/server/audit", test_audit);
  g_test_add_func ("/rest-client/fault/malformed-audit", test_fault_malformed_audit);
  g_test_add_func ("/rest-client/fault/throttled", test_fault_throttled);
  g_test_add_func ("/rest-client/fault/server-error", test_fault_server_error);
  g_test_add_func ("/rest-client/fault/unavailable", test_fault_unavailable);
  g_test_add_func ("/rest-client/fault/slow", test_fault_slow);
  g_test_add_func ("/rest-client/fault/truncated", test_fault_truncated);
  g_test_add_func ("/rest-client/fault/invalid-json", test_fault_invalid_json);
  g_test_add_func ("/rest-client/fault/malformed-page", test_fault_malformed_page);
  g_test_add_func ("/rest-client/fault/wrong-content-type", test_fault_wrong_content_type);
  g_test_add_func ("/rest-client/fault/unauthorized", test_fault_unauthorized);
  g_test_add_func ("/rest-client/fault/conflict-without-entity", test_fault_conflict_without_entity);
  g_test_add_func ("/rest-client/fault/redirect", test_fault_redirect);
  g_test_add_func ("/rest-client/fault/refused", test_fault_refused);
  g_test_add_func ("/rest-client/fault/status-mapping", test_fault_status_mapping);
  g_test_add_func ("/rest-client/fault/retry-after-date", test_fault_retry_after_date);
  g_test_add_func ("/rest-client/fault/cancel", test_cancel);
  g_test_add_func ("/rest-client/request-headers", test_request_headers);

  status = g_test_run ();
  remove_tree (tmpdir);
  g_free (tmpdir);
  return status;
}
