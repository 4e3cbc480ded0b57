/* test-server-ledger.c — the SLA record through the real server: periods
 * as events arrive, breaches that stay, the severity-change rule
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "server-test-util.h"

typedef struct {
  Server *server;
  char   *db;
  char   *tam_a;
  char   *token;
  char   *admin;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->db = new_db_path ();
  f->server = server_start_seeded_with_staff (f->db, &f->tam_a);
  f->token = sign_in (f->server, "tam.a", "password-a");
  f->admin = sign_in (f->server, "admin", "password-admin");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, server_free);
  g_clear_pointer (&f->db, g_free);
  g_clear_pointer (&f->tam_a, g_free);
  g_clear_pointer (&f->token, g_free);
  g_clear_pointer (&f->admin, g_free);
}

static Reply *
patch (Fixture    *f,
       const char *token,
       const char *path,
       Reply      *last,
       const char *body)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"",
                                           json_object_get_int_member (reply_object (last), "version"));

  return request_full (f->server, "PATCH", path, token, (const char *[]) { "If-Match", etag, NULL }, NULL, body, -1);
}

/* A new case of cust-a (MSA Enterprise: S1 30 min, S2 4 h, both 24×7),
 * reported @ago seconds ago; its path in *@path. */
static Reply *
create (Fixture  *f,
        int       severity,
        gint64    ago,
        char    **path)
{
  g_autofree char *body = case_body ("cust-a", severity, now_s () - ago);
  Reply *created = request (f->server, "POST", "/cases", f->token, body);

  assert_status (created, 201);
  *path = g_strconcat ("/cases/", member_string (created, "id"), NULL);
  return created;
}

/* The record's periods of @metric, oldest first, as SdSlaPeriod. */
static GArray *
record (Fixture    *f,
        const char *path,
        const char *metric)
{
  g_autofree char *record_path = g_strconcat (path, "/sla-record", NULL);
  g_autoptr(Reply) reply = request (f->server, "GET", record_path, f->token, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdSlaRecord) decoded = NULL;
  g_autoptr(GError) error = NULL;
  GArray *all, *out = g_array_new (FALSE, TRUE, sizeof (SdSlaPeriod));
  SdSlaMetric wanted;

  assert_status (reply, 200);
  node = json_node_copy (reply->json);
  decoded = sd_sla_record_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sd_sla_metric_from_string (metric, &wanted));
  all = sd_sla_record_get_periods (decoded);
  for (guint i = 0; i < all->len; i++)
    if (g_array_index (all, SdSlaPeriod, i).metric == wanted)
      g_array_append_val (out, g_array_index (all, SdSlaPeriod, i));
  return out;
}

/* The first item through the API: a breached S1 lowered to S4 and
 * then answered is still a breach at S1; the record was written with each
 * write (the change feed carries it). */
static void
test_lowered_after_breach (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autofree char *respond = NULL;
  g_autofree char *answered = NULL;
  g_autoptr(Reply) created = create (f, 1, 9 * 3600, &path);
  g_autoptr(Reply) lowered = NULL;
  g_autoptr(Reply) responded = NULL;
  g_autoptr(Reply) feed = NULL;
  g_autoptr(GArray) periods = NULL;
  JsonArray *changes;
  guint records = 0;

  lowered = patch (f, f->token, path, created, "{\"severity\":4,\"reason\":\"Only a test system\"}");
  assert_status (lowered, 200);
  answered = sd_time_format_iso8601 (now_s () + 1, NULL);
  respond = g_strdup_printf ("{\"responded_at\":\"%s\"}", answered);
  responded = patch (f, f->token, path, lowered, respond);
  assert_status (responded, 200);

  periods = record (f, path, "response");
  g_assert_cmpuint (periods->len, ==, 2);
  g_assert_cmpint (g_array_index (periods, SdSlaPeriod, 0).severity, ==, 1);
  g_assert_cmpint (g_array_index (periods, SdSlaPeriod, 0).state, ==, SD_SLA_BREACHED);
  g_assert_cmpint (g_array_index (periods, SdSlaPeriod, 0).ended_by, ==, SD_SLA_END_SEVERITY_CHANGE);
  g_assert_cmpint (g_array_index (periods, SdSlaPeriod, 1).severity, ==, 4);
  g_assert_cmpint (g_array_index (periods, SdSlaPeriod, 1).state, ==, SD_SLA_MET);
  g_assert_true (sd_sla_period_is_breach (sd_sla_ledger_get_response (periods)));

  /* The record travels in the change feed, and a client cannot write it. */
  feed = request (f->server, "GET", "/changes?limit=500", f->token, NULL);
  assert_status (feed, 200);
  changes = json_object_get_array_member (reply_object (feed), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (change, "kind"), "sla_record") == 0
          && g_strcmp0 (json_object_get_string_member (change, "id"), member_string (created, "id")) == 0)
        records++;
    }
  g_assert_cmpuint (records, ==, 1);
  {
    g_autofree char *record_path = g_strconcat (path, "/sla-record", NULL);
    g_autoptr(Reply) refused = request (f->server, "PATCH", record_path, f->token, "{\"periods\":[]}");

    g_assert_cmpuint (refused->status, ==, 405);
  }
}

/* A response entered long after its time cannot undo a breach the server
 * saw happen; one entered within the quarter hour still counts. */
static void
test_backdated_response_keeps_breach (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *late_path = NULL, *late_events = NULL, *late_body = NULL, *late_at = NULL;
  g_autofree char *fair_path = NULL, *fair_events = NULL, *fair_body = NULL, *fair_at = NULL;
  /* S2 reported 5 h ago: due an hour ago. */
  g_autoptr(Reply) late_case = create (f, 2, 5 * 3600, &late_path);
  /* S1 reported 35 min ago: due 5 min ago. */
  g_autoptr(Reply) fair_case = create (f, 1, 35 * 60, &fair_path);
  g_autoptr(Reply) late = NULL;
  g_autoptr(Reply) fair = NULL;
  g_autoptr(GArray) late_periods = NULL;
  g_autoptr(GArray) fair_periods = NULL;
  const SdSlaPeriod *p;

  /* "Answered 3 h after the report", entered now. */
  late_events = g_strconcat (late_path, "/events", NULL);
  late_at = sd_time_format_iso8601 (now_s () - 2 * 3600, NULL);
  late_body = g_strdup_printf ("{\"kind\":\"response_given\",\"at\":\"%s\"}", late_at);
  late = request (f->server, "POST", late_events, f->token, late_body);
  assert_status (late, 201);
  late_periods = record (f, late_path, "response");
  p = sd_sla_ledger_get_response (late_periods);
  g_assert_nonnull (p);
  g_assert_cmpint (p->state, ==, SD_SLA_MISSED);
  g_assert_true (p->kept);
  g_assert_cmpint (p->ended_by, ==, SD_SLA_END_RESPONSE);

  /* "Answered 25 min after the report" (10 min ago): on time. */
  fair_events = g_strconcat (fair_path, "/events", NULL);
  fair_at = sd_time_format_iso8601 (now_s () - 10 * 60, NULL);
  fair_body = g_strdup_printf ("{\"kind\":\"response_given\",\"at\":\"%s\"}", fair_at);
  fair = request (f->server, "POST", fair_events, f->token, fair_body);
  assert_status (fair, 201);
  fair_periods = record (f, fair_path, "response");
  p = sd_sla_ledger_get_response (fair_periods);
  g_assert_cmpint (p->state, ==, SD_SLA_MET);
  g_assert_false (p->kept);
}

/* The sixth item: under the default rule (restart) raising S3 to
 * S1 counts the 30 minutes from the change; the earlier S3 period is
 * closed by the change. */
static void
test_raised_restarts (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(Reply) created = create (f, 3, 9 * 3600, &path);
  g_autoptr(Reply) raised = NULL;
  g_autoptr(Reply) sla = NULL;
  g_autoptr(GArray) periods = NULL;
  g_autoptr(GArray) daily = NULL;
  const SdSlaPeriod *current;
  JsonObject *response;

  raised = patch (f, f->token, path, created, "{\"severity\":1,\"reason\":\"Production is down\"}");
  assert_status (raised, 200);
  periods = record (f, path, "response");
  g_assert_cmpuint (periods->len, ==, 2);
  g_assert_cmpint (g_array_index (periods, SdSlaPeriod, 0).severity, ==, 3);
  g_assert_cmpint (g_array_index (periods, SdSlaPeriod, 0).ended_by, ==, SD_SLA_END_SEVERITY_CHANGE);
  current = &g_array_index (periods, SdSlaPeriod, 1);
  g_assert_cmpint (current->severity, ==, 1);
  g_assert_cmpint (current->start, ==, current->opened);
  g_assert_cmpint (current->start, >=, now_s () - 300);
  g_assert_cmpint (current->due, ==, current->start + 30 * 60);
  g_assert_cmpint (current->state, !=, SD_SLA_BREACHED);

  /* The case's live clock agrees, and the daily report runs from the change. */
  response = json_object_get_object_member (json_object_get_object_member (reply_object (raised), "sla"), "response");
  g_assert_cmpstr (json_object_get_string_member (response, "state"), !=, "breached");
  daily = record (f, path, "daily_report");
  g_assert_cmpuint (daily->len, ==, 1);
  g_assert_cmpint (g_array_index (daily, SdSlaPeriod, 0).start, ==, current->start);
}

/* Correcting the report time (a duty manager's or admin's act, with a
 * reason on the timeline) starts the record afresh. */
static void
test_report_time_correction (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = NULL, *events = NULL, *when = NULL, *fix = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) commented = NULL;
  g_autoptr(Reply) current = NULL;
  g_autoptr(Reply) corrected = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;

  /* Typed two days too early: breached on arrival. */
  created = create (f, 2, 2 * 86400 + 600, &path);
  events = g_strconcat (path, "/events", NULL);
  commented = request (f->server, "POST", events, f->token, "{\"kind\":\"comment\",\"body\":\"Called back\"}");
  assert_status (commented, 201);
  before = record (f, path, "response");
  g_assert_cmpint (sd_sla_ledger_get_response (before)->state, ==, SD_SLA_BREACHED);

  current = request (f->server, "GET", path, f->admin, NULL);
  assert_status (current, 200);
  when = sd_time_format_iso8601 (now_s () - 600, NULL);
  fix = g_strdup_printf ("{\"reported_at\":\"%s\",\"reason\":\"Typed the wrong day\"}", when);
  corrected = patch (f, f->admin, path, current, fix);
  assert_status (corrected, 200);
  after = record (f, path, "response");
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (sd_sla_ledger_get_response (after)->state, !=, SD_SLA_BREACHED);
  g_assert_false (sd_sla_ledger_get_response (after)->kept);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);

  g_test_add ("/server/ledger/lowered-after-breach", Fixture, NULL, fixture_set_up, test_lowered_after_breach,
              fixture_tear_down);
  g_test_add ("/server/ledger/backdated-response", Fixture, NULL, fixture_set_up,
              test_backdated_response_keeps_breach, fixture_tear_down);
  g_test_add ("/server/ledger/raised-restarts", Fixture, NULL, fixture_set_up, test_raised_restarts,
              fixture_tear_down);
  g_test_add ("/server/ledger/report-time-correction", Fixture, NULL, fixture_set_up, test_report_time_correction,
              fixture_tear_down);

  return server_test_run ();
}
