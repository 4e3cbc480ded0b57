/* test-server-calendars.c — business calendars through the real server:
 * built-in calendars and their provisional years, an official year
 * imported over a provisional one, edits (a lunch break) that move an open
 * case's due time, the admin-only rules, and broken uploads that change
 * nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-server.h"
#include "sd-sqlite-store.h"
#include "server-test-util.h"

/* Official 2027 for mainland China as the State Council might publish it:
 * 春节 5–11 Feb with a make-up Saturday on 20 Feb. */
static const char official_2027[] =
  "{ \"year\": 2027, \"days\": ["
  " { \"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true },"
  " { \"name\": \"春节\", \"date\": \"2027-02-05\", \"isOffDay\": true },"
  " { \"name\": \"春节\", \"date\": \"2027-02-08\", \"isOffDay\": true },"
  " { \"name\": \"春节\", \"date\": \"2027-02-09\", \"isOffDay\": true },"
  " { \"name\": \"春节\", \"date\": \"2027-02-10\", \"isOffDay\": true },"
  " { \"name\": \"春节\", \"date\": \"2027-02-11\", \"isOffDay\": true },"
  " { \"name\": \"春节（调休上班）\", \"date\": \"2027-02-20\", \"isOffDay\": false } ] }";

/* The day @date of GET /calendars/@id/days. */
static JsonObject *
get_day (Server     *server,
         const char *token,
         const char *id,
         const char *date,
         Reply     **keep)
{
  g_autofree char *path = g_strdup_printf ("/calendars/%s/days?from=%s&to=%s", id, date, date);
  Reply *reply = request (server, "GET", path, token, NULL);
  JsonArray *days;

  assert_status (reply, 200);
  days = json_object_get_array_member (reply_object (reply), "days");
  g_assert_cmpuint (json_array_get_length (days), ==, 1);
  *keep = reply;
  return json_array_get_object_element (days, 0);
}

static void
assert_day (Server     *server,
            const char *token,
            const char *id,
            const char *date,
            gboolean    working,
            gboolean    provisional)
{
  g_autoptr(Reply) reply = NULL;
  JsonObject *day = get_day (server, token, id, date, &reply);

  g_test_message ("%s %s", id, date);
  g_assert_cmpstr (json_object_get_string_member (day, "date"), ==, date);
  g_assert_cmpint (json_object_get_boolean_member (day, "working"), ==, working);
  g_assert_cmpint (json_object_get_boolean_member (day, "provisional"), ==, provisional);
}

static char *
etag_of (Reply *reply)
{
  return g_strdup (soup_message_headers_get_one (reply->headers, "ETag"));
}

static Reply *
import (Server     *server,
        const char *token,
        const char *id,
        const char *etag,
        const char *type,
        const char *body)
{
  g_autofree char *path = g_strdup_printf ("/calendars/%s/import", id);
  const char *headers[] = { "If-Match", etag, NULL };

  return request_full (server, "POST", path, token, headers, type, body, -1);
}

static Reply *
patch (Server     *server,
       const char *token,
       const char *id,
       const char *etag,
       const char *body)
{
  g_autofree char *path = g_strdup_printf ("/calendars/%s", id);
  const char *headers[] = { "If-Match", etag, NULL };

  return request_full (server, "PATCH", path, token, headers, "application/json", body, -1);
}

/* The built-in calendars are served and know their coverage. */
static void
test_builtin_days (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam);
  g_autofree char *token = sign_in (server, "tam.a", "password-a");
  g_autoptr(Reply) list = request (server, "GET", "/calendars?limit=100", token, NULL);
  g_autoptr(Reply) reply = NULL;
  JsonObject *day;
  JsonArray *years;

  assert_status (list, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (list), "items")), >=, 13);

  /* 2027-01-01 in cn-mainland: a day off, provisional, with the note. */
  day = get_day (server, token, "cn-mainland", "2027-01-01", &reply);
  g_assert_false (json_object_get_boolean_member (day, "working"));
  g_assert_true (json_object_get_boolean_member (day, "provisional"));
  g_assert_cmpstr (json_object_get_string_member (day, "name"), ==, "元旦");
  years = json_object_get_array_member (reply_object (reply), "provisional_years");
  g_assert_cmpuint (json_array_get_length (years), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (years, 0), "year"), ==, 2027);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (years, 0), "note"), ==,
                   "2027 holiday schedule not yet published; statutory holidays assumed");

  /* The Spring Festival of 2027 (eve 5 Feb, 6–8 Feb, weekend days made
   * up on 9–10 Feb) and of 2028 (eve 25 Jan, 26–28 Jan) are computed. */
  assert_day (server, token, "cn-mainland", "2027-02-04", TRUE, TRUE);
  assert_day (server, token, "cn-mainland", "2027-02-05", FALSE, TRUE);
  assert_day (server, token, "cn-mainland", "2027-02-08", FALSE, TRUE);
  assert_day (server, token, "cn-mainland", "2027-02-09", FALSE, TRUE);
  assert_day (server, token, "cn-mainland", "2027-02-10", FALSE, TRUE);
  assert_day (server, token, "cn-mainland", "2027-02-11", TRUE, TRUE);
  assert_day (server, token, "cn-mainland", "2028-01-25", FALSE, TRUE);
  assert_day (server, token, "cn-mainland", "2028-01-28", FALSE, TRUE);
  assert_day (server, token, "cn-mainland", "2028-01-31", TRUE, TRUE);
  /* Official data stays official. */
  assert_day (server, token, "cn-mainland", "2026-10-01", FALSE, FALSE);

  /* 25 December in de-office and Thanksgiving in us-east-office. */
  assert_day (server, token, "de-office", "2026-12-24", TRUE, FALSE);
  assert_day (server, token, "de-office", "2026-12-25", FALSE, FALSE);
  assert_day (server, token, "de-office", "2028-12-25", FALSE, TRUE);
  assert_day (server, token, "us-east-office", "2026-11-26", FALSE, FALSE);
  assert_day (server, token, "us-east-office", "2026-11-27", TRUE, FALSE);
  assert_day (server, token, "us-east-office", "2028-11-23", FALSE, TRUE);

  {
    g_autoptr(Reply) bad = request (server, "GET", "/calendars/cn-mainland/days?from=2027-01-01&to=2029-01-01",
                                    token, NULL);
    g_autoptr(Reply) missing = request (server, "GET", "/calendars/atlantis/days?from=2027-01-01&to=2027-01-01",
                                        token, NULL);

    assert_problem (bad, 400, "from");
    g_assert_cmpuint (missing->status, ==, 404);
  }
  server_stop (server, SIGTERM);
}

/* An official 2027 file replaces the provisional year; only admins may
 * import; a broken upload is a 400 that changes nothing. */
static void
test_import_official_year (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *tam_token = sign_in (server, "tam.a", "password-a");
  g_autoptr(Reply) before = request (server, "GET", "/calendars/cn-mainland", admin, NULL);
  g_autofree char *etag = etag_of (before);
  static const char * const broken[] = {
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2027XX01\r\nSUMMARY:元旦\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n",
    "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\n",
    "not a calendar at all",
    "\xff\xfe\x00garbage",
  };

  assert_status (before, 200);
  g_assert_nonnull (etag);

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(Reply) reply = import (server, admin, "cn-mainland", etag, "text/calendar", broken[i]);
      g_autoptr(Reply) after = request (server, "GET", "/calendars/cn-mainland", admin, NULL);
      g_autofree char *after_etag = etag_of (after);

      g_test_message ("broken upload %u: %s", i, reply->body);
      assert_problem (reply, 400, "body");
      g_assert_cmpstr (after_etag, ==, etag);
      g_assert_cmpstr (after->body, ==, before->body);
    }
  {
    g_autoptr(Reply) bad_json = import (server, admin, "cn-mainland", etag, "application/json",
                                        "{\"days\":[{\"date\":\"2027-02-30\",\"isOffDay\":true}]}");
    g_autoptr(Reply) not_admin = import (server, tam_token, "cn-mainland", etag, "application/json", official_2027);
    g_autoptr(Reply) wrong_type = import (server, admin, "cn-mainland", etag, "text/plain", official_2027);
    g_autoptr(Reply) stale = import (server, admin, "cn-mainland", "\"999\"", "application/json", official_2027);

    assert_problem (bad_json, 400, "body");
    g_assert_cmpuint (not_admin->status, ==, 403);
    g_assert_cmpuint (wrong_type->status, ==, 415);
    g_assert_cmpuint (stale->status, ==, 412);
  }
  assert_day (server, admin, "cn-mainland", "2027-02-20", FALSE, TRUE);

  {
    g_autoptr(Reply) reply = import (server, admin, "cn-mainland", etag, "application/json", official_2027);
    g_autofree char *new_etag = etag_of (reply);
    JsonArray *years;

    assert_status (reply, 200);
    g_assert_cmpstr (new_etag, !=, etag);
    years = json_object_get_array_member (reply_object (reply), "official_years");
    g_assert_cmpuint (json_array_get_length (years), ==, 3);
    g_assert_cmpint (json_array_get_int_element (years, 2), ==, 2027);
    g_assert_false (json_object_has_member (reply_object (reply), "builtin_version"));
  }
  /* The make-up Saturday works; 2027 is official; Qingming, absent from
   * the file, is no longer assumed; 2028 stays provisional. */
  assert_day (server, admin, "cn-mainland", "2027-02-20", TRUE, FALSE);
  assert_day (server, admin, "cn-mainland", "2027-02-11", FALSE, FALSE);
  assert_day (server, admin, "cn-mainland", "2027-04-05", TRUE, FALSE);
  assert_day (server, admin, "cn-mainland", "2028-01-26", FALSE, TRUE);
  server_stop (server, SIGTERM);

  /* The edited calendar survives a restart: the seed leaves it alone. */
  server_start_on (server, db, NULL);
  {
    g_autofree char *again = sign_in (server, "admin", "password-admin");

    assert_day (server, again, "cn-mainland", "2027-02-20", TRUE, FALSE);
  }
  server_stop (server, SIGTERM);
}

/* @hour on the last @weekday at least a week ago, in Asia/Shanghai: a
 * time in the past whose working days around it are plain ones. */
static gint64
recent_weekday (GDateWeekday weekday,
                int          hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  GDate date;
  g_autoptr(GDateTime) dt = NULL;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, today_in ("Asia/Shanghai") - 7);
  while (g_date_get_weekday (&date) != weekday)
    g_date_subtract_days (&date, 1);
  dt = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date),
                        hour, 0, 0);
  return g_date_time_to_unix (dt);
}

/* The due time of the case's response clock, and in @provisional_year
 * the year it says it rests on (0: none). */
/* The first response period of the case's SLA record: the calendar it
 * counted on, that calendar's version and its provisional year (0: none). */
static gint64
record_calendar_version (Server     *server,
                         const char *token,
                         const char *case_id,
                         gint64     *provisional_year)
{
  g_autofree char *path = g_strconcat ("/cases/", case_id, "/sla-record", NULL);
  g_autoptr(Reply) reply = request (server, "GET", path, token, NULL);
  JsonObject *period;

  assert_status (reply, 200);
  period = json_array_get_object_element (json_object_get_array_member (reply_object (reply), "periods"), 0);
  g_assert_cmpstr (json_object_get_string_member (period, "metric"), ==, "response");
  g_assert_cmpstr (json_object_get_string_member (period, "calendar_id"), ==, "cn-test");
  *provisional_year = json_object_get_int_member_with_default (period, "provisional_year", 0);
  return json_object_get_int_member (period, "calendar_version");
}

/* The version an ETag header names. */
static gint64
etag_version (const char *etag)
{
  g_assert_nonnull (etag);
  return g_ascii_strtoll (etag + (etag[0] == '"'), NULL, 10);
}

static gint64
case_due_full (Server     *server,
               const char *token,
               const char *case_id,
               gint64     *provisional_year)
{
  g_autofree char *path = g_strconcat ("/cases/", case_id, NULL);
  g_autoptr(Reply) reply = request (server, "GET", path, token, NULL);
  JsonObject *response;
  gint64 due = 0;

  assert_status (reply, 200);
  response = json_object_get_object_member (json_object_get_object_member (reply_object (reply), "sla"),
                                            "response");
  g_assert_true (sd_time_parse_iso8601 (json_object_get_string_member (response, "due"), NULL, &due, NULL));
  *provisional_year = json_object_get_int_member_with_default (response, "provisional_year", 0);
  return due;
}

/* The state of the case's response clock, as the server answers, is
 * @expected. */
static void
assert_response_state (Server     *server,
                       const char *token,
                       const char *case_id,
                       const char *expected)
{
  g_autofree char *path = g_strconcat ("/cases/", case_id, NULL);
  g_autoptr(Reply) reply = request (server, "GET", path, token, NULL);
  JsonObject *response;

  assert_status (reply, 200);
  response = json_object_get_object_member (json_object_get_object_member (reply_object (reply), "sla"),
                                            "response");
  g_assert_cmpstr (json_object_get_string_member (response, "state"), ==, expected);
}

static gint64
case_due (Server     *server,
          const char *token,
          const char *case_id)
{
  gint64 year = 0;

  return case_due_full (server, token, case_id, &year);
}

/* A customer on calendar @calendar_id, stored before the server starts. */
static void
seed_customer (const char *db,
               const char *tam,
               const char *calendar_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSqliteStore) store = sd_sqlite_store_open (db, &error);
  g_autoptr(SdCustomer) customer = sd_customer_new ("cust-cal");
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SdStoreRecord) record = NULL;

  g_assert_no_error (error);
  sd_customer_set_name (customer, "日历测试客户");
  sd_customer_set_tier (customer, SD_TIER_MSA_ENTERPRISE);
  sd_customer_set_time_zone (customer, "Asia/Shanghai");
  sd_customer_set_calendar_id (customer, calendar_id);
  sd_customer_set_tam_id (customer, tam);
  sd_customer_set_contract_start (customer, today_in ("Asia/Shanghai") - 400);
  sd_customer_set_contract_end (customer, today_in ("Asia/Shanghai") + 400);
  sd_customer_set_version (customer, 1);
  node = sd_customer_to_json (customer);
  text = sd_json_to_string (node, FALSE);
  record = sd_store_put (SD_STORE (store), "customer", "cust-cal", "cust-cal", NULL, 0, NULL,
                         render_text_cb, text, NULL, &error);
  g_assert_no_error (error);
}

static char *
create_case (Server     *server,
             const char *token,
             gint64      reported_at)
{
  g_autofree char *body = case_body ("cust-cal", 3, reported_at);
  g_autoptr(Reply) reply = request (server, "POST", "/cases", token, body);

  assert_status (reply, 201);
  return g_strdup (member_string (reply, "id"));
}

/* A calendar created through the API drives its customer's clocks: a
 * lunch break moves an open S3 by one hour, and an official year with a
 * make-up Saturday replaces the provisional year under an open S3. The
 * calendar has the mainland-China rules and no official year at all, so
 * the current year is provisional for it. */
static void
test_edits_move_due_times (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam = NULL;
  g_autofree char *tam_b = NULL;
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *admin = NULL;
  g_autofree char *tam_token = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *weekday_case = NULL;
  g_autofree char *friday_case = NULL;
  g_autofree char *closed_case = NULL;
  gint64 wednesday = recent_weekday (G_DATE_WEDNESDAY, 10);
  gint64 friday = recent_weekday (G_DATE_FRIDAY, 16);
  g_autoptr(GDateTime) friday_date = g_date_time_new_from_unix_utc (friday);
  gint64 first_version = 0;
  g_autoptr(GDateTime) saturday = g_date_time_new_from_unix_utc (friday + 86400);
  g_autofree char *saturday_text = g_date_time_format (saturday, "%Y-%m-%d");
  g_autofree char *official = g_strdup_printf ("{\"days\":[{\"name\":\"调休上班\",\"date\":\"%s\",\"isOffDay\":false}]}",
                                               saturday_text);
  static const char calendar[] =
    "{\"id\":\"cn-test\",\"name\":\"测试日历\",\"time_zone\":\"Asia/Shanghai\",\"rules\":\"CN\","
    "\"week\":{\"mon\":[\"09:00-18:00\"],\"tue\":[\"09:00-18:00\"],\"wed\":[\"09:00-18:00\"],"
    "\"thu\":[\"09:00-18:00\"],\"fri\":[\"09:00-18:00\"]}}";

  seed_two_tams (db, &tam, &tam_b);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdSqliteStore) store = sd_sqlite_store_open (db, &error);
    g_autofree char *admin_id = NULL;

    g_assert_true (sd_server_add_user (SD_STORE (store), "admin", "Admin", "admin", "password-admin",
                                       &admin_id, &error));
    g_assert_no_error (error);
  }
  seed_customer (db, tam, "cn-test");
  server_start_on (server, db, NULL);
  admin = sign_in (server, "admin", "password-admin");
  tam_token = sign_in (server, "tam.a", "password-a");

  {
    const char *headers[] = { "Idempotency-Key", "7d3b7a8e-cal-test", NULL };
    g_autoptr(Reply) by_tam = request_full (server, "POST", "/calendars", tam_token, NULL,
                                            "application/json", calendar, -1);
    g_autoptr(Reply) bad = request (server, "POST", "/calendars", admin,
                                    "{\"id\":\"x\",\"time_zone\":\"Mars/Olympus\",\"week\":{}}");
    g_autoptr(Reply) created = request_full (server, "POST", "/calendars", admin, headers,
                                             "application/json", calendar, -1);
    g_autoptr(Reply) replayed = request_full (server, "POST", "/calendars", admin, headers,
                                              "application/json", calendar, -1);
    g_autoptr(Reply) again = request (server, "POST", "/calendars", admin, calendar);

    g_assert_cmpuint (by_tam->status, ==, 403);
    assert_problem (bad, 400, "calendar.time_zone");
    assert_status (created, 201);
    assert_status (replayed, 201);
    g_assert_cmpstr (replayed->body, ==, created->body);
    g_assert_cmpuint (again->status, ==, 409);
    etag = etag_of (created);
    first_version = etag_version (etag);
  }

  weekday_case = create_case (server, tam_token, wednesday);
  friday_case = create_case (server, tam_token, friday);
  /* Another Friday case, entered afterwards with its answer (Monday 12:00;
   * due Monday 13:00): met and closed, so later calendar data leaves it
   * met. */
  {
    g_autofree char *reported = sd_time_format_iso8601 (friday, NULL);
    g_autofree char *answered = sd_time_format_iso8601 (friday + 3 * 86400 - 4 * 3600, NULL);
    g_autofree char *body = g_strdup_printf ("{\"customer_id\":\"cust-cal\",\"title\":\"Scanner stopped\","
                                             "\"type\":\"incident\",\"severity\":3,\"reported_at\":\"%s\","
                                             "\"reported_via\":\"phone\",\"responded_at\":\"%s\"}",
                                             reported, answered);
    g_autoptr(Reply) created = request (server, "POST", "/cases", tam_token, body);

    assert_status (created, 201);
    closed_case = g_strdup (member_string (created, "id"));
    assert_response_state (server, tam_token, closed_case, "met");
  }
  /* Wednesday 10:00 + 6 working hours; Friday 16:00 → Monday 13:00. */
  g_assert_cmpint (case_due (server, tam_token, weekday_case), ==, wednesday + 6 * 3600);
  {
    gint64 year = 0;
    g_autoptr(GDateTime) reported = g_date_time_new_from_unix_utc (friday);

    g_assert_cmpint (case_due_full (server, tam_token, friday_case, &year), ==, friday + 3 * 86400 - 3 * 3600);
    /* No official year yet: the clock says it rests on a provisional one. */
    g_assert_cmpint (year, ==, g_date_time_get_year (reported));
  }

  /* A lunch break: one hour later. */
  {
    g_autoptr(Reply) reply = patch (server, admin, "cn-test", etag,
                                    "{\"week\":{\"mon\":[\"09:00-12:00\",\"13:00-18:00\"],"
                                    "\"tue\":[\"09:00-12:00\",\"13:00-18:00\"],"
                                    "\"wed\":[\"09:00-12:00\",\"13:00-18:00\"],"
                                    "\"thu\":[\"09:00-12:00\",\"13:00-18:00\"],"
                                    "\"fri\":[\"09:00-12:00\",\"13:00-18:00\"]}}");
    g_autoptr(Reply) stale = patch (server, admin, "cn-test", etag, "{\"name\":\"x\"}");

    assert_status (reply, 200);
    g_assert_cmpuint (stale->status, ==, 412);
    g_free (etag);
    etag = etag_of (reply);
  }
  g_assert_cmpint (case_due (server, tam_token, weekday_case), ==, wednesday + 7 * 3600);

  /* The official year with a make-up Saturday: Friday 16:00 → Saturday
   * 09:00 + 4 working hours, 14:00 with the lunch break. */
  {
    g_autoptr(Reply) reply = import (server, admin, "cn-test", etag, "application/json", official);

    assert_status (reply, 200);
  }
  {
    gint64 year = -1;

    g_assert_cmpint (case_due_full (server, tam_token, friday_case, &year), ==, friday + 86400 - 2 * 3600);
    g_assert_cmpint (year, ==, 0);
  }
  /* Recomputed with the new data the answered case would have been due
   * on the make-up Saturday, two days before its answer: it stays met,
   * in the case and in its SLA record. */
  assert_response_state (server, tam_token, closed_case, "met");
  {
    g_autofree char *path = g_strconcat ("/cases/", closed_case, "/sla-record", NULL);
    g_autoptr(Reply) record = request (server, "GET", path, tam_token, NULL);
    JsonArray *periods;

    assert_status (record, 200);
    periods = json_object_get_array_member (reply_object (record), "periods");
    g_assert_cmpuint (json_array_get_length (periods), >=, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (periods, 0), "state"), ==, "met");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (periods, 0), "ended_by"), ==,
                     "response");
  }

  /* The record names the calendar version each period counted on: the
   * closed period keeps the first one, though the calendar changed twice
   * since; the open one moves to the version in force, the official year. */
  {
    g_autoptr(Reply) current = request (server, "GET", "/calendars/cn-test", admin, NULL);
    gint64 now_version = etag_version (soup_message_headers_get_one (current->headers, "ETag"));
    gint64 year = -1;

    g_assert_cmpint (now_version, ==, first_version + 2);
    g_assert_cmpint (record_calendar_version (server, tam_token, closed_case, &year), ==, first_version);
    g_assert_cmpint (year, ==, g_date_time_get_year (friday_date));
    g_assert_cmpint (record_calendar_version (server, tam_token, friday_case, &year), ==, now_version);
    g_assert_cmpint (year, ==, 0);
    g_assert_cmpint (record_calendar_version (server, tam_token, weekday_case, &year), ==, now_version);
  }

  /* Archiving: refused while the customer uses it. */
  {
    g_autoptr(Reply) current = request (server, "GET", "/calendars/cn-test", admin, NULL);
    g_autofree char *current_etag = etag_of (current);
    const char *headers[] = { "If-Match", current_etag, NULL };
    g_autoptr(Reply) in_use = request_full (server, "DELETE", "/calendars/cn-test", admin, headers, NULL, NULL, 0);
    g_autoptr(Reply) builtin = request (server, "GET", "/calendars/de-office", admin, NULL);
    g_autofree char *builtin_etag = etag_of (builtin);
    const char *builtin_headers[] = { "If-Match", builtin_etag, NULL };
    g_autoptr(Reply) refused = request_full (server, "DELETE", "/calendars/de-office", admin, builtin_headers,
                                             NULL, NULL, 0);

    g_assert_cmpuint (in_use->status, ==, 409);
    g_assert_cmpuint (refused->status, ==, 409);
  }
  server_stop (server, SIGTERM);
}

/* A server upgrade: a stored built-in calendar with older shipped data
 * gets the new data as a new version; one an administrator edited stays. */
static void
test_seed_updates_unedited (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam = NULL;
  g_autofree char *tam_b = NULL;
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *token = NULL;
  static const char old_shipped[] =
    "{\"id\":\"cn-mainland\",\"name\":\"Mainland China\",\"time_zone\":\"Asia/Shanghai\","
    "\"builtin_version\":1,\"week\":{\"mon\":[\"09:00-18:00\"]},\"exceptions\":[]}";
  static const char edited[] =
    "{\"id\":\"de-office\",\"name\":\"Berlin, our hours\",\"time_zone\":\"Europe/Berlin\","
    "\"week\":{\"mon\":[\"08:00-16:00\"]},\"exceptions\":[]}";

  seed_two_tams (db, &tam, &tam_b);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdSqliteStore) store = sd_sqlite_store_open (db, &error);
    g_autoptr(SdStoreRecord) a = NULL;
    g_autoptr(SdStoreRecord) b = NULL;
    g_autoptr(SdStoreRecord) c = NULL;

    g_assert_no_error (error);
    a = sd_store_put (SD_STORE (store), "calendar", "cn-mainland", NULL, NULL, 0, NULL,
                      render_text_cb, (gpointer) old_shipped, NULL, &error);
    g_assert_no_error (error);
    /* seed_two_tams stored de-office as version 1; an edit makes it 2. */
    b = sd_store_get (SD_STORE (store), "calendar", "de-office", NULL);
    c = sd_store_put (SD_STORE (store), "calendar", "de-office", NULL, NULL, b->version, NULL,
                      render_text_cb, (gpointer) edited, NULL, &error);
    g_assert_no_error (error);
  }
  server_start_on (server, db, NULL);
  token = sign_in (server, "tam.a", "password-a");
  {
    g_autoptr(Reply) cn = request (server, "GET", "/calendars/cn-mainland", token, NULL);
    g_autoptr(Reply) de = request (server, "GET", "/calendars/de-office", token, NULL);

    assert_status (cn, 200);
    assert_status (de, 200);
    g_assert_cmpstr (soup_message_headers_get_one (cn->headers, "ETag"), ==, "\"2\"");
    g_assert_cmpint (json_object_get_int_member (reply_object (cn), "builtin_version"), ==,
                     SD_CALENDAR_BUILTIN_VERSION);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (cn), "exceptions")), >, 0);
    g_assert_cmpstr (member_string (de, "name"), ==, "Berlin, our hours");
    g_assert_cmpstr (soup_message_headers_get_one (de->headers, "ETag"), ==, "\"2\"");
  }
  server_stop (server, SIGTERM);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);

  g_test_add_func ("/server-calendars/builtin-days", test_builtin_days);
  g_test_add_func ("/server-calendars/import-official-year", test_import_official_year);
  g_test_add_func ("/server-calendars/edits-move-due-times", test_edits_move_due_times);
  g_test_add_func ("/server-calendars/seed-updates-unedited", test_seed_updates_unedited);

  return server_test_run ();
}
