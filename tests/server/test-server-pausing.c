/* test-server-pausing.c — the pausing rules through the real server: the
 * response clock does not pause before the first response unless the
 * customer's policy says so, and a pause needs a reason, which the
 * timeline keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-server.h"
#include "sd-sqlite-store.h"
#include "server-test-util.h"

#define DAY (24 * 3600)

/* A case of cust-a stored as an older server or an import left it:
 * waiting for the customer, no timeline. */
static void
seed_waiting_case (const char *db,
                   const char *id,
                   gint64      reported_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqliteStore) store = sd_sqlite_store_open (db, &error);
  g_autoptr(SdCase) kase = sd_case_new (id);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  sd_case_set_number (kase, "SD-2026-09001");
  sd_case_set_customer_id (kase, "cust-a");
  sd_case_set_title (kase, "代理离线 — agents offline");
  sd_case_set_case_type (kase, SD_CASE_TYPE_INCIDENT);
  sd_case_set_severity (kase, 1);
  sd_case_set_status (kase, SD_CASE_STATUS_WAITING_CUSTOMER);
  sd_case_set_reported_at (kase, reported_at);
  sd_case_set_reported_via (kase, SD_REPORTED_VIA_PHONE);
  sd_case_set_version (kase, 1);
  node = sd_case_to_json (kase);
  text = sd_json_to_string (node, FALSE);
  record = sd_store_put (SD_STORE (store), "case", id, "cust-a", NULL, 0, NULL, render_text_cb, text, NULL, &error);
  g_assert_no_error (error);
}

/* The MSA Enterprise policy, but pausing before the response too. */
static void
seed_policy_pausing_before_response (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqliteStore) store = sd_sqlite_store_open (db, &error);
  g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_msa_enterprise ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  sd_sla_policy_set_pause_before_response (policy, TRUE);
  node = sd_sla_policy_to_json (policy);
  text = sd_json_to_string (node, FALSE);
  record = sd_store_put (SD_STORE (store), "sla_policy", "msa_enterprise", NULL, NULL, 0, NULL,
                         render_text_cb, text, NULL, &error);
  g_assert_no_error (error);
}

static JsonObject *
response_clock (Reply *reply)
{
  JsonObject *sla = json_object_get_object_member (reply_object (reply), "sla");

  g_assert_nonnull (sla);
  return json_object_get_object_member (sla, "response");
}

static Reply *
get_case (Server     *server,
          const char *token,
          const char *id)
{
  g_autofree char *path = g_strconcat ("/cases/", id, NULL);
  Reply *reply = request (server, "GET", path, token, NULL);

  assert_status (reply, 200);
  return reply;
}

/* A case body for cust-a in @status, with @reason when not NULL. */
static char *
status_case_body (const char *status,
                  gint64      reported_at,
                  const char *reason)
{
  g_autofree char *plain = case_body ("cust-a", 1, reported_at);
  g_autoptr(JsonNode) node = sd_json_parse (plain, -1, NULL);
  JsonObject *object = json_node_get_object (node);

  json_object_set_string_member (object, "status", status);
  if (reason != NULL)
    json_object_set_string_member (object, "reason", reason);
  return sd_json_to_string (node, FALSE);
}

static Reply *
patch_case (Server     *server,
            const char *token,
            const char *id,
            gint64      version,
            const char *body)
{
  g_autofree char *path = g_strconcat ("/cases/", id, NULL);
  g_autofree char *match = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);

  return request_full (server, "PATCH", path, token, (const char *[]) { "If-Match", match, NULL },
                       "application/json", body, -1);
}

/* The status changes on the case's timeline into @to (NULL: all). */
static GPtrArray *
status_changes (Server     *server,
                const char *token,
                const char *id,
                const char *to)
{
  g_autofree char *path = g_strconcat ("/cases/", id, "/events", NULL);
  g_autoptr(Reply) reply = request (server, "GET", path, token, NULL);
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *items;

  assert_status (reply, 200);
  items = json_object_get_array_member (reply_object (reply), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *event = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (event, "kind"), "status_change") == 0
          && (to == NULL || g_strcmp0 (json_object_get_string_member (json_object_get_object_member (event, "data"),
                                                                      "to"), to) == 0))
        g_ptr_array_add (changes, json_object_ref (event));
    }
  return changes;
}

/* The reproduction: a severity-1 case reported two days ago and
 * waiting for the customer since it was entered, with no response. Its
 * response clock is breached, elapsed the whole two days: not "paused,
 * elapsed 0, 1800 s left". */
static void
test_waiting_before_response_not_parked (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autoptr(Server) server = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) stored = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) fetched = NULL;
  g_autofree char *body = status_case_body ("waiting_customer", now_s () - 2 * DAY, "Waiting for the agent logs");
  JsonObject *clock;

  seed_two_tams (db, &tam_a, &tam_b);
  seed_waiting_case (db, "6b1f0c0e-9d2a-4c55-8e1b-3a7d5f2c9e01", now_s () - 2 * DAY);
  server = g_new0 (Server, 1);
  server_start_on (server, db, NULL);
  token = sign_in (server, "tam.a", "password-a");

  /* As stored, without a timeline. */
  stored = get_case (server, token, "6b1f0c0e-9d2a-4c55-8e1b-3a7d5f2c9e01");
  clock = response_clock (stored);
  g_assert_cmpstr (json_object_get_string_member (clock, "state"), ==, "breached");
  g_assert_cmpint (json_object_get_int_member (clock, "elapsed"), >=, 2 * DAY);
  g_assert_cmpint (json_object_get_int_member (clock, "remaining"), <, 0);

  /* Created so through the API. */
  created = request (server, "POST", "/cases", token, body);
  assert_status (created, 201);
  fetched = get_case (server, token, member_string (created, "id"));
  clock = response_clock (fetched);
  g_assert_cmpstr (json_object_get_string_member (clock, "state"), ==, "breached");
  g_assert_cmpint (json_object_get_int_member (clock, "elapsed"), >=, 2 * DAY);
}

/* Under a policy that pauses before the response, waiting still pauses:
 * from the moment the case starts waiting, not from its report. */
static void
test_policy_pauses_before_response (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autoptr(Server) server = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) patched = NULL;
  g_autoptr(Reply) fetched = NULL;
  g_autoptr(Reply) parked = NULL;
  g_autoptr(Reply) policy = NULL;
  g_autofree char *body = case_body ("cust-a", 1, now_s () - 10 * 60);
  g_autofree char *late = status_case_body ("waiting_customer", now_s () - 2 * DAY, "Waiting for the agent logs");
  g_autoptr(Reply) late_created = NULL;
  JsonObject *clock;
  gint64 elapsed;

  seed_two_tams (db, &tam_a, &tam_b);
  seed_policy_pausing_before_response (db);
  seed_waiting_case (db, "6b1f0c0e-9d2a-4c55-8e1b-3a7d5f2c9e02", now_s () - 2 * DAY);
  server = g_new0 (Server, 1);
  server_start_on (server, db, NULL);
  token = sign_in (server, "tam.a", "password-a");

  policy = request (server, "GET", "/sla-policies/msa_enterprise", token, NULL);
  assert_status (policy, 200);
  g_assert_true (json_object_get_boolean_member (reply_object (policy), "pause_before_response"));

  /* Ten minutes into a 30-minute target, the TAM asks for the logs. */
  created = request (server, "POST", "/cases", token, body);
  assert_status (created, 201);
  patched = patch_case (server, token, member_string (created, "id"), 1,
                        "{\"status\":\"waiting_customer\",\"reason\":\"Waiting for the agent logs\"}");
  assert_status (patched, 200);
  fetched = get_case (server, token, member_string (created, "id"));
  clock = response_clock (fetched);
  g_assert_cmpstr (json_object_get_string_member (clock, "state"), ==, "paused");
  elapsed = json_object_get_int_member (clock, "elapsed");
  g_assert_cmpint (elapsed, >=, 10 * 60);
  g_assert_cmpint (elapsed, <, 30 * 60);

  /* A stored case without a timeline: the old rule, paused throughout. */
  parked = get_case (server, token, "6b1f0c0e-9d2a-4c55-8e1b-3a7d5f2c9e02");
  g_assert_cmpstr (json_object_get_string_member (response_clock (parked), "state"), ==, "paused");

  /* Created as waiting two days after the report: the clock ran until the
   * case was entered, so it is breached all the same. */
  late_created = request (server, "POST", "/cases", token, late);
  assert_status (late_created, 201);
  g_clear_pointer (&fetched, reply_free);
  fetched = get_case (server, token, member_string (late_created, "id"));
  clock = response_clock (fetched);
  g_assert_cmpstr (json_object_get_string_member (clock, "state"), ==, "breached");
  g_assert_cmpint (json_object_get_int_member (clock, "elapsed"), >=, 2 * DAY);
}

/* Moving a case into a pausing status needs a reason; the timeline keeps
 * it. Other moves do not. */
static void
test_patch_pause_needs_reason (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autoptr(Server) server = server_start_seeded (db, &tam_a, &tam_b);
  g_autofree char *token = sign_in (server, "tam.a", "password-a");
  g_autofree char *body = case_body ("cust-a", 2, now_s () - 3600);
  g_autoptr(Reply) created = request (server, "POST", "/cases", token, body);
  g_autoptr(Reply) missing = NULL;
  g_autoptr(Reply) empty = NULL;
  g_autoptr(Reply) null_reason = NULL;
  g_autoptr(Reply) started = NULL;
  g_autoptr(Reply) waiting = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  const char *id;

  assert_status (created, 201);
  id = member_string (created, "id");

  missing = patch_case (server, token, id, 1, "{\"status\":\"waiting_customer\"}");
  assert_problem (missing, 400, "case.reason");
  empty = patch_case (server, token, id, 1, "{\"status\":\"waiting_customer\",\"reason\":\"\"}");
  assert_problem (empty, 400, "case.reason");
  null_reason = patch_case (server, token, id, 1, "{\"status\":\"waiting_customer\",\"reason\":null}");
  assert_problem (null_reason, 400, "case.reason");

  /* Nothing was written by the refusals. */
  started = patch_case (server, token, id, 1, "{\"status\":\"in_progress\"}");
  assert_status (started, 200);
  waiting = patch_case (server, token, id, 2, "{\"status\":\"waiting_customer\",\"reason\":\"需要客户提供日志\"}");
  assert_status (waiting, 200);
  g_assert_cmpstr (member_string (waiting, "status"), ==, "waiting_customer");

  changes = status_changes (server, token, id, NULL);
  g_assert_cmpuint (changes->len, ==, 2);
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = status_changes (server, token, id, "waiting_customer");
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (changes->pdata[0], "body"), ==, "需要客户提供日志");
}

/* Creating a case directly in a pausing status needs a reason too; the
 * server records the move from new with it, once per Idempotency-Key. */
static void
test_create_paused_needs_reason (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autoptr(Server) server = server_start_seeded (db, &tam_a, &tam_b);
  g_autofree char *token = sign_in (server, "tam.a", "password-a");
  g_autofree char *bare = status_case_body ("waiting_customer", now_s () - 3600, NULL);
  g_autofree char *blank = status_case_body ("waiting_customer", now_s () - 3600, " ");
  g_autofree char *with_reason = status_case_body ("waiting_customer", now_s () - 3600, "Waiting for the dump");
  g_autofree char *running = status_case_body ("in_progress", now_s () - 3600, NULL);
  g_autofree char *key = g_uuid_string_random ();
  const char *headers[] = { "Idempotency-Key", key, NULL };
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) first = NULL;
  g_autoptr(Reply) replay = NULL;
  g_autoptr(Reply) plain = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) none = NULL;
  JsonObject *data;

  refused = request (server, "POST", "/cases", token, bare);
  assert_problem (refused, 400, "case.reason");
  g_clear_pointer (&refused, reply_free);
  /* Blank is a reason only in form: the timeline would say nothing. */
  refused = request (server, "POST", "/cases", token, blank);
  assert_problem (refused, 400, "case.reason");

  first = request_full (server, "POST", "/cases", token, headers, "application/json", with_reason, -1);
  assert_status (first, 201);
  g_assert_null (json_object_get_member (reply_object (first), "reason"));
  replay = request_full (server, "POST", "/cases", token, headers, "application/json", with_reason, -1);
  assert_status (replay, 201);
  g_assert_cmpstr (member_string (replay, "id"), ==, member_string (first, "id"));

  changes = status_changes (server, token, member_string (first, "id"), NULL);
  g_assert_cmpuint (changes->len, ==, 1);
  data = json_object_get_object_member (changes->pdata[0], "data");
  g_assert_cmpstr (json_object_get_string_member (data, "from"), ==, "new");
  g_assert_cmpstr (json_object_get_string_member (data, "to"), ==, "waiting_customer");
  g_assert_cmpstr (json_object_get_string_member (changes->pdata[0], "body"), ==, "Waiting for the dump");

  /* A status that does not pause needs nothing and adds nothing. */
  plain = request (server, "POST", "/cases", token, running);
  assert_status (plain, 201);
  none = status_changes (server, token, member_string (plain, "id"), NULL);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/pausing/waiting-before-response-not-parked", test_waiting_before_response_not_parked);
  g_test_add_func ("/pausing/policy-pauses-before-response", test_policy_pauses_before_response);
  g_test_add_func ("/pausing/patch-needs-reason", test_patch_pause_needs_reason);
  g_test_add_func ("/pausing/create-needs-reason", test_create_paused_needs_reason);
  return server_test_run ();
}
