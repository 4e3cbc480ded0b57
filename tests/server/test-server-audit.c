/* test-server-audit.c — the audit log through the real server: every
 * write leaves a row with who, how and what; only admins and duty
 * managers read it; `supportdesk-server audit verify` finds an edited
 * byte, a changed hash and a dropped row; the chain goes on across a
 * restart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-server.h"
#include "sd-store-open.h"
#include "server-test-util.h"

static JsonArray *
items (Reply *reply)
{
  return json_object_get_array_member (reply_object (reply), "items");
}

static JsonObject *
item (Reply *reply,
      guint  index)
{
  return json_array_get_object_element (items (reply), index);
}

/* Runs `supportdesk-server audit verify --db @db`: its exit status, and
 * its output in @out. */
static int
run_verify (const char  *db,
            char       **out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                                                     &error, server_binary (), "audit", "verify", "--db", db, NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

static void
exec_sql (const char *db,
          const char *sql)
{
  if (!db_exec (db, sql))
    g_error ("%s: failed", sql);
}

static gint64
count_rows (const char *db)
{
  return db_query_int (db, "SELECT count(*) FROM audit");
}

/* A case created, patched and commented on: each write is a row with its
 * user, session, address, request, patch and prior version. */
static void
test_writes_recorded (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *token = sign_in (server, "tam.a", "password-a");
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *manager = sign_in (server, "dm", "password-dm");
  g_autofree char *body = case_body ("cust-a", 3, now_s () - 600);
  g_autofree char *path = NULL;
  g_autofree char *events_path = NULL;
  g_autofree char *case_query = NULL;
  g_autofree char *event_query = NULL;
  g_autofree char *session = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) patched = NULL;
  g_autoptr(Reply) commented = NULL;
  g_autoptr(Reply) stale = NULL;
  g_autoptr(Reply) history = NULL;
  g_autoptr(Reply) event_history = NULL;
  g_autoptr(Reply) first_page = NULL;
  g_autoptr(Reply) second_page = NULL;
  g_autoptr(Reply) as_tam = NULL;
  g_autoptr(Reply) as_manager = NULL;
  g_autoptr(Reply) bad_entity = NULL;
  g_autoptr(JsonNode) patch = NULL;
  JsonObject *row;

  created = request (server, "POST", "/cases", token, body);
  assert_status (created, 201);
  path = g_strconcat ("/cases/", member_string (created, "id"), NULL);
  events_path = g_strconcat (path, "/events", NULL);
  patched = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                          NULL, "{\"title\":\"Agents offline after update\"}", -1);
  assert_status (patched, 200);
  commented = request (server, "POST", events_path, token, "{\"kind\":\"comment\",\"body\":\"Called the customer\"}");
  assert_status (commented, 201);
  /* A refused write leaves no row. */
  stale = request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", "\"1\"", NULL },
                        NULL, "{\"title\":\"A stale edit\"}", -1);
  assert_status (stale, 412);

  case_query = g_strdup_printf ("/audit?entity=case/%s", member_string (created, "id"));
  history = request (server, "GET", case_query, admin, NULL);
  assert_status (history, 200);
  g_assert_cmpuint (json_array_get_length (items (history)), ==, 2);
  g_assert_null (strstr (history->body, token));

  row = item (history, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "action"), ==, "create");
  g_assert_cmpstr (json_object_get_string_member (row, "user_id"), ==, tam_a);
  g_assert_cmpstr (json_object_get_string_member (row, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (row, "path"), ==, "/api/v1/cases");
  g_assert_cmpstr (json_object_get_string_member (row, "address"), ==, "127.0.0.1");
  g_assert_cmpint (json_object_get_int_member (row, "version"), ==, 1);
  g_assert_true (json_object_get_null_member (row, "prior_version"));
  g_assert_true (json_object_get_null_member (row, "prior_digest"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "patch"), "title"), ==,
                   "代理离线 — agents offline");
  session = g_strdup (json_object_get_string_member (row, "session"));
  g_assert_cmpuint (strlen (session), ==, 12);
  g_assert_null (strstr (token, session));

  row = item (history, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "action"), ==, "update");
  g_assert_cmpstr (json_object_get_string_member (row, "user_id"), ==, tam_a);
  g_assert_cmpstr (json_object_get_string_member (row, "session"), ==, session);
  g_assert_cmpstr (json_object_get_string_member (row, "method"), ==, "PATCH");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "path"), path));
  g_assert_cmpint (json_object_get_int_member (row, "version"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "prior_version"), ==, 1);
  g_assert_cmpuint (strlen (json_object_get_string_member (row, "prior_digest")), ==, 64);
  patch = json_node_copy (json_object_get_member (row, "patch"));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (patch)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (patch), "title"), ==,
                   "Agents offline after update");
  g_assert_cmpint (json_object_get_int_member (item (history, 0), "seq"), <,
                   json_object_get_int_member (row, "seq"));

  /* The comment is an entity of its own. */
  event_query = g_strdup_printf ("/audit?entity=case_event/%s", member_string (commented, "id"));
  event_history = request (server, "GET", event_query, admin, NULL);
  assert_status (event_history, 200);
  g_assert_cmpuint (json_array_get_length (items (event_history)), ==, 1);
  row = item (event_history, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "action"), ==, "create");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (row, "path"), events_path));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (row, "patch"), "body"), ==,
                   "Called the customer");

  /* Pages, like the other lists. */
  {
    g_autofree char *page_query = g_strdup_printf ("%s&limit=1", case_query);
    g_autofree char *next_query = NULL;

    first_page = request (server, "GET", page_query, admin, NULL);
    assert_status (first_page, 200);
    g_assert_cmpuint (json_array_get_length (items (first_page)), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (item (first_page, 0), "action"), ==, "create");
    g_assert_nonnull (member_string (first_page, "next_cursor"));
    next_query = g_strdup_printf ("%s&cursor=%s", page_query, member_string (first_page, "next_cursor"));
    second_page = request (server, "GET", next_query, admin, NULL);
    assert_status (second_page, 200);
    g_assert_cmpuint (json_array_get_length (items (second_page)), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (item (second_page, 0), "action"), ==, "update");
    g_assert_true (json_object_get_null_member (reply_object (second_page), "next_cursor"));
  }

  /* TAMs may not read it; a duty manager sees the customers they cover
   * (none here). */
  as_tam = request (server, "GET", case_query, token, NULL);
  assert_problem (as_tam, 403, NULL);
  as_manager = request (server, "GET", case_query, manager, NULL);
  assert_status (as_manager, 200);
  g_assert_cmpuint (json_array_get_length (items (as_manager)), ==, 0);
  bad_entity = request (server, "GET", "/audit?entity=case", admin, NULL);
  assert_problem (bad_entity, 400, "entity");
}

/* Triggers refuse UPDATE and DELETE; with them dropped, verify finds an
 * edited byte, a changed hash and a dropped row. */
static void
test_verify_catches_tampering (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *token = sign_in (server, "tam.a", "password-a");
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  gboolean pg = test_db_cluster () != NULL;
  gint64 n;

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *body = case_body ("cust-a", 3, now_s () - 600);
      g_autoptr(Reply) created = request (server, "POST", "/cases", token, body);

      assert_status (created, 201);
    }
  server_stop (server, SIGTERM);

  n = count_rows (db);
  g_assert_cmpint (n, >=, 3);
  g_assert_cmpint (run_verify (db, &out), ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " rows, chain intact\n", n);
  g_assert_true (g_str_has_prefix (out, expected));

  g_assert_false (db_exec (db, "UPDATE audit SET patch = NULL"));
  g_assert_false (db_exec (db, "DELETE FROM audit"));
  if (pg)
    {
      g_assert_false (db_exec (db, "TRUNCATE audit"));
      exec_sql (db, "DROP TRIGGER audit_no_change ON audit");
    }
  else
    exec_sql (db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete");

  /* One byte of the last case's title. */
  exec_sql (db, "UPDATE audit SET patch = replace (patch, 'agents', 'agentz')"
                    " WHERE seq = (SELECT max (seq) FROM audit)");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_verify (db, &out), ==, 1);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("broken at row %" G_GINT64_FORMAT ":", n);
  g_assert_true (g_str_has_prefix (out, expected));
  exec_sql (db, "UPDATE audit SET patch = replace (patch, 'agentz', 'agents')");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_verify (db, &out), ==, 0);

  /* A hash changed. */
  exec_sql (db, "UPDATE audit SET hash = substr (hash, 1, 63) || CASE substr (hash, 64) WHEN '0' THEN '1' ELSE '0' END"
                    " WHERE seq = 2");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_verify (db, &out), ==, 1);
  g_assert_true (g_str_has_prefix (out, "broken at row 2:"));

  /* A row dropped (the hash stays broken, but the gap comes first). */
  exec_sql (db, "DELETE FROM audit WHERE seq = 1");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_verify (db, &out), ==, 1);
  g_assert_true (g_str_has_prefix (out, "broken at row 1: row 1 is missing"));
}

/* A server restarted on the same file goes on with the same chain. */
static void
test_chain_survives_restart (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  gint64 before = 0;

  for (int round = 0; round < 2; round++)
    {
      g_autofree char *token = sign_in (server, "tam.a", "password-a");
      g_autofree char *body = case_body ("cust-a", 2, now_s () - 60);
      g_autoptr(Reply) created = request (server, "POST", "/cases", token, body);

      assert_status (created, 201);
      server_stop (server, SIGTERM);
      if (round == 0)
        {
          before = count_rows (db);
          server_start_on (server, db, NULL);
        }
    }

  /* The case and its SLA record. */
  g_assert_cmpint (count_rows (db), ==, before + 2);
  g_assert_cmpint (run_verify (db, &out), ==, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " rows, chain intact\n", before + 2);
  g_assert_true (g_str_has_prefix (out, expected));
}

/* In the store: a removal and a password change are rows too; the
 * password's row holds no secret. */
static void
test_store_remove_and_password (void)
{
  g_autofree char *db = new_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open_db (db, TRUE, &error);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *head = NULL;
  g_autofree char *reason = NULL;
  SdStoreActor actor = { "user-1", "0123456789ab", "192.0.2.7", "DELETE", "/api/v1/x/1",
                         "{\"password\":\"do-not-keep\"}" };
  SdStoreAuditQuery query = { "health_check", "hc-1", NULL, 0, 0 };
  gint64 n_rows = 0, broken = 0;

  g_assert_no_error (error);
  record = sd_store_put (store, "health_check", "hc-1", "cust-a", NULL, 0, NULL,
                         render_text_cb, (gpointer) "{\"id\":\"hc-1\"}", NULL, &error);
  g_assert_no_error (error);
  sd_store_set_actor (store, &actor);
  g_assert_true (sd_store_remove (store, "health_check", "hc-1", &error));
  g_assert_true (sd_store_set_password (store, "user-1", "login-1", "$argon2id$secret-hash", &error));
  sd_store_set_actor (store, NULL);
  g_assert_no_error (error);

  rows = sd_store_audit (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  {
    JsonObject *created = json_node_get_object (rows->pdata[0]);
    JsonObject *removed = json_node_get_object (rows->pdata[1]);

    g_assert_true (json_object_get_null_member (created, "user_id"));
    g_assert_cmpstr (json_object_get_string_member (removed, "action"), ==, "delete");
    g_assert_cmpstr (json_object_get_string_member (removed, "user_id"), ==, "user-1");
    g_assert_cmpint (json_object_get_int_member (removed, "prior_version"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (removed, "version"), ==, 2);
  }
  g_clear_pointer (&rows, g_ptr_array_unref);

  query.kind = "user";
  query.id = "user-1";
  rows = sd_store_audit (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  {
    g_autofree char *text = sd_json_to_string (rows->pdata[0], FALSE);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (rows->pdata[0]), "action"), ==,
                     "set_password");
    g_assert_null (strstr (text, "secret-hash"));
    g_assert_null (strstr (text, "do-not-keep"));
  }

  g_assert_true (sd_store_verify_audit (store, &n_rows, &head, &broken, &reason, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_rows, ==, 3);
  g_assert_cmpuint (strlen (head), ==, 64);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/audit/writes-recorded", test_writes_recorded);
  g_test_add_func ("/audit/verify-catches-tampering", test_verify_catches_tampering);
  g_test_add_func ("/audit/chain-survives-restart", test_chain_survives_restart);
  g_test_add_func ("/audit/store-remove-and-password", test_store_remove_and_password);
  return server_test_run ();
}
