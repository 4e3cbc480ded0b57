/* test-coverage.c — who answers a customer: TAM, deputy, duty rota, the
 * customer's duty managers (SdCoverage), and the duty shift's codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "model-test-util.h"

/* li.na is TAM of ACME (Asia/Shanghai, the State Council's calendar);
 * zhao and qian are ACME's duty managers; wang and sun take shifts. */
typedef struct {
  SdCoverage *coverage;
  SdUser     *li_na;
  SdUser     *deputy;
  SdUser     *zhao;
  SdUser     *qian;
  SdUser     *wang;
  SdUser     *sun;
} Fixture;

static SdUser *
add_user (Fixture    *fixture,
          const char *id,
          SdRole      role)
{
  SdUser *user = sd_user_new (id);

  sd_user_set_display_name (user, id);
  sd_user_set_role (user, role);
  sd_coverage_add_user (fixture->coverage, user);
  g_object_unref (user);
  return user;
}

static void
add_shift (Fixture    *fixture,
           const char *id,
           SdUser     *manager,
           const char *start,
           const char *end)
{
  g_autoptr(SdDutyShift) shift = sd_duty_shift_new (id, sd_user_get_id (manager),
                                                    model_time (start), model_time (end));

  sd_coverage_add_shift (fixture->coverage, shift);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(SdCustomer) acme = sd_customer_new ("cust-acme");
  g_autoptr(SdCustomer) globex = sd_customer_new ("cust-globex");
  /* The rota's wang and sun are ACME's duty managers too, after zhao and
   * qian, who answer by the default rule. */
  const char * const managers[] = { "user-zhao", "user-qian", "user-wang", "user-sun", NULL };

  fixture->coverage = sd_coverage_new ();
  fixture->li_na = add_user (fixture, "user-li-na", SD_ROLE_TAM);
  fixture->deputy = add_user (fixture, "user-deputy", SD_ROLE_TAM);
  fixture->zhao = add_user (fixture, "user-zhao", SD_ROLE_DUTY_MANAGER);
  fixture->qian = add_user (fixture, "user-qian", SD_ROLE_DUTY_MANAGER);
  fixture->wang = add_user (fixture, "user-wang", SD_ROLE_DUTY_MANAGER);
  fixture->sun = add_user (fixture, "user-sun", SD_ROLE_DUTY_MANAGER);

  sd_customer_set_name (acme, "ACME");
  sd_customer_set_time_zone (acme, "Asia/Shanghai");
  sd_customer_set_calendar_id (acme, "cn-mainland");
  sd_customer_set_tam_id (acme, "user-li-na");
  sd_customer_set_duty_manager_ids (acme, managers);
  sd_coverage_add_customer (fixture->coverage, acme);

  /* No calendar: the hours of its zone. */
  sd_customer_set_name (globex, "Globex");
  sd_customer_set_time_zone (globex, "Europe/Berlin");
  sd_customer_set_tam_id (globex, "user-deputy");
  sd_coverage_add_customer (fixture->coverage, globex);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->coverage);
}

static void
assert_answers (Fixture          *fixture,
                const char       *customer_id,
                const char       *instant,
                const char       *expected_id,
                SdCoverageReason  expected_reason)
{
  SdCoverageReason reason = -1;
  const char *who = sd_coverage_who_answers (fixture->coverage, customer_id, model_time (instant), &reason);

  if (g_strcmp0 (who, expected_id) != 0 || reason != expected_reason)
    g_error ("%s at %s: expected %s (%s), got %s (%s)", customer_id, instant,
             expected_id, sd_coverage_reason_to_string (expected_reason),
             who, sd_coverage_reason_to_string (reason));
}

/* Monday 10:00 in Shanghai: the TAM. Monday 22:00 and Saturday 03:00
 * without a rota: the customer's first duty manager. */
static void
test_coverage_office_hours_and_night (Fixture       *fixture,
                                      gconstpointer  data)
{
  assert_answers (fixture, "cust-acme", "2026-12-07T10:00:00+08:00", "user-li-na", SD_COVERAGE_REASON_TAM);
  assert_answers (fixture, "cust-acme", "2026-12-07T08:59:59+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-07T18:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-07T22:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-05T03:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  g_assert_true (sd_coverage_reason_is_off_hours (SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS));
  g_assert_false (sd_coverage_reason_is_off_hours (SD_COVERAGE_REASON_DUTY_MANAGER_TAM_AWAY));

  /* A duty manager who is out of office passes it to the next. */
  sd_user_set_out_of_office_until (fixture->zhao, model_time ("2026-12-08T00:00:00+08:00"));
  assert_answers (fixture, "cust-acme", "2026-12-07T22:00:00+08:00", "user-qian",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  sd_user_set_active (fixture->qian, FALSE);
  assert_answers (fixture, "cust-acme", "2026-12-07T22:00:00+08:00", "user-wang",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  sd_user_set_active (fixture->wang, FALSE);
  sd_user_set_active (fixture->sun, FALSE);
  assert_answers (fixture, "cust-acme", "2026-12-07T22:00:00+08:00", NULL, SD_COVERAGE_REASON_NOBODY);

  /* A customer nobody knows. */
  assert_answers (fixture, "cust-unknown", "2026-12-07T10:00:00+08:00", NULL, SD_COVERAGE_REASON_NOBODY);
}

/* The weekend: the shift that covers it. */
static void
test_coverage_weekend_shift (Fixture       *fixture,
                             gconstpointer  data)
{
  add_shift (fixture, "shift-weekend", fixture->wang, "2026-12-04T18:00:00+08:00", "2026-12-07T08:00:00+08:00");

  assert_answers (fixture, "cust-acme", "2026-12-05T03:00:00+08:00", "user-wang",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-06T23:59:00+08:00", "user-wang",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);
  /* The shift's end is not in it; Monday 08:00 falls back to the rule. */
  assert_answers (fixture, "cust-acme", "2026-12-07T07:59:59+08:00", "user-wang",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-07T08:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  /* Friday afternoon, inside the shift and the TAM's hours: the TAM. */
  assert_answers (fixture, "cust-acme", "2026-12-04T17:00:00+08:00", "user-li-na", SD_COVERAGE_REASON_TAM);
  g_assert_cmpstr (sd_coverage_shift_at (fixture->coverage, NULL, model_time ("2026-12-04T17:00:00+08:00")), ==, NULL);
  g_assert_cmpstr (sd_coverage_shift_at (fixture->coverage, NULL, model_time ("2026-12-04T18:00:00+08:00")), ==, "user-wang");
  /* Globex names no duty manager: the rota does not answer for it. */
  g_assert_cmpstr (sd_coverage_shift_at (fixture->coverage, "cust-globex", model_time ("2026-12-05T03:00:00+08:00")), ==, NULL);
  assert_answers (fixture, "cust-globex", "2026-12-05T03:00:00+08:00", NULL, SD_COVERAGE_REASON_NOBODY);
}

/* A public holiday is off hours; a make-up working day on a Sunday is
 * office hours. */
static void
test_coverage_holiday_and_make_up_day (Fixture       *fixture,
                                       gconstpointer  data)
{
  /* National Day, a Thursday. */
  assert_answers (fixture, "cust-acme", "2026-10-01T10:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-09-30T10:00:00+08:00", "user-li-na", SD_COVERAGE_REASON_TAM);
  /* Sunday 4 January 2026 is worked (元旦调休). */
  assert_answers (fixture, "cust-acme", "2026-01-04T10:00:00+08:00", "user-li-na", SD_COVERAGE_REASON_TAM);
  assert_answers (fixture, "cust-acme", "2026-01-11T10:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
}

/* Out of office: the deputy in the TAM's hours; without a deputy (or
 * with one who is away too) the rota, then the duty managers. At night the
 * rota answers whether or not the TAM is away. */
static void
test_coverage_out_of_office (Fixture       *fixture,
                             gconstpointer  data)
{
  sd_user_set_out_of_office_until (fixture->li_na, model_time ("2026-12-09T00:00:00+08:00"));

  assert_answers (fixture, "cust-acme", "2026-12-07T10:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_TAM_AWAY);
  add_shift (fixture, "shift-day", fixture->sun, "2026-12-07T08:00:00+08:00", "2026-12-07T20:00:00+08:00");
  assert_answers (fixture, "cust-acme", "2026-12-07T10:00:00+08:00", "user-sun",
                  SD_COVERAGE_REASON_SHIFT_TAM_AWAY);

  sd_user_set_deputy_id (fixture->li_na, "user-deputy");
  assert_answers (fixture, "cust-acme", "2026-12-07T10:00:00+08:00", "user-deputy", SD_COVERAGE_REASON_DEPUTY);
  assert_answers (fixture, "cust-acme", "2026-12-07T19:00:00+08:00", "user-sun",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-07T22:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);

  /* The deputy away as well. */
  sd_user_set_out_of_office_until (fixture->deputy, model_time ("2026-12-08T00:00:00+08:00"));
  assert_answers (fixture, "cust-acme", "2026-12-07T10:00:00+08:00", "user-sun",
                  SD_COVERAGE_REASON_SHIFT_TAM_AWAY);

  /* Back on Wednesday 9 December. */
  assert_answers (fixture, "cust-acme", "2026-12-09T10:00:00+08:00", "user-li-na", SD_COVERAGE_REASON_TAM);
  g_assert_cmpstr (sd_coverage_reason_describe (SD_COVERAGE_REASON_DEPUTY), ==, "TAM out of office");
  g_assert_cmpstr (sd_coverage_reason_describe (SD_COVERAGE_REASON_SHIFT_OFF_HOURS), ==, "TAM off duty");
}

/* Overlapping shifts: the one that began last answers while it lasts; a
 * duty manager who is away leaves it to the other. */
static void
test_coverage_overlapping_shifts (Fixture       *fixture,
                                  gconstpointer  data)
{
  add_shift (fixture, "shift-long", fixture->wang, "2026-12-04T18:00:00+08:00", "2026-12-07T09:00:00+08:00");
  add_shift (fixture, "shift-cover", fixture->sun, "2026-12-05T00:00:00+08:00", "2026-12-05T12:00:00+08:00");

  assert_answers (fixture, "cust-acme", "2026-12-04T23:00:00+08:00", "user-wang",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-05T03:00:00+08:00", "user-sun",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-05T12:00:00+08:00", "user-wang",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);

  sd_user_set_out_of_office_until (fixture->sun, model_time ("2026-12-06T00:00:00+08:00"));
  assert_answers (fixture, "cust-acme", "2026-12-05T03:00:00+08:00", "user-wang",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);

  /* Same start: the order does not depend on the table's. */
  sd_user_set_out_of_office_until (fixture->sun, SD_TIME_NONE);
  add_shift (fixture, "shift-a", fixture->zhao, "2026-12-05T02:00:00+08:00", "2026-12-05T04:00:00+08:00");
  add_shift (fixture, "shift-b", fixture->qian, "2026-12-05T02:00:00+08:00", "2026-12-05T04:00:00+08:00");
  assert_answers (fixture, "cust-acme", "2026-12-05T03:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_SHIFT_OFF_HOURS);
}

/* A TAM's own calendar wins over the customer's: li.na working Berlin
 * hours is on duty at 16:00 Shanghai time (09:00 in Berlin), not at 10:00. */
static void
test_coverage_own_calendar (Fixture       *fixture,
                            gconstpointer  data)
{
  g_assert_true (sd_coverage_is_on_duty (fixture->coverage, "user-li-na", "cust-acme",
                                         model_time ("2026-12-07T10:00:00+08:00")));
  g_assert_false (sd_coverage_is_on_duty (fixture->coverage, "user-li-na", NULL,
                                          model_time ("2026-12-07T10:00:00+08:00")));

  sd_user_set_calendar_id (fixture->li_na, "de-office");
  assert_answers (fixture, "cust-acme", "2026-12-07T10:00:00+08:00", "user-zhao",
                  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS);
  assert_answers (fixture, "cust-acme", "2026-12-07T16:00:00+08:00", "user-li-na", SD_COVERAGE_REASON_TAM);
  g_assert_true (sd_coverage_is_on_duty (fixture->coverage, "user-li-na", NULL,
                                         model_time ("2026-12-07T16:00:00+08:00")));

  /* Globex has no calendar: Monday–Friday 09:00–18:00 in Berlin. */
  assert_answers (fixture, "cust-globex", "2026-12-07T09:30:00+01:00", "user-deputy", SD_COVERAGE_REASON_TAM);
  assert_answers (fixture, "cust-globex", "2026-12-07T08:30:00+01:00", NULL, SD_COVERAGE_REASON_NOBODY);
}

/* The customers a duty manager covers now: the report's selection. */
static void
test_coverage_customers_covered (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) night = NULL;
  g_autoptr(GPtrArray) day = NULL;
  g_autoptr(GPtrArray) tam = NULL;

  add_shift (fixture, "shift-night", fixture->wang, "2026-12-07T18:00:00+08:00", "2026-12-08T09:00:00+08:00");
  night = sd_coverage_customers_covered_by (fixture->coverage, "user-wang",
                                            model_time ("2026-12-07T22:00:00+08:00"));
  day = sd_coverage_customers_covered_by (fixture->coverage, "user-wang",
                                          model_time ("2026-12-07T10:00:00+08:00"));
  tam = sd_coverage_customers_covered_by (fixture->coverage, "user-li-na",
                                          model_time ("2026-12-07T10:00:00+08:00"));

  /* At 22:00 Shanghai it is 15:00 in Berlin: Globex's TAM is on duty. */
  g_assert_cmpuint (night->len, ==, 1);
  g_assert_cmpstr (night->pdata[0], ==, "cust-acme");
  g_assert_cmpuint (day->len, ==, 0);
  g_assert_cmpuint (tam->len, ==, 1);
  g_assert_cmpstr (tam->pdata[0], ==, "cust-acme");
}

/* The daily report a duty manager runs covers the customers they answer
 * for now; the TAM's always covers their own. */
static void
test_coverage_daily_report (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new ();
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) users = g_ptr_array_new ();
  g_autoptr(GPtrArray) shifts = g_ptr_array_new_with_free_func (g_object_unref);
  SdCase *kase = sd_case_new (NULL);
  SdReportInput input = { 0 };
  const char * const ids[] = { "user-li-na", "user-deputy", "user-zhao", "user-qian", "user-wang", "user-sun" };
  struct {
    const char *user;
    const char *at;
    guint       items;
  } checks[] = {
    { "user-wang", "2026-12-07T22:00:00+08:00", 1 },  /* on shift */
    { "user-wang", "2026-12-07T10:00:00+08:00", 0 },  /* the TAM's hours */
    { "user-zhao", "2026-12-07T22:00:00+08:00", 0 },  /* not on shift */
    { "user-li-na", "2026-12-07T22:00:00+08:00", 1 }, /* their own, off duty */
  };

  g_ptr_array_add (customers, sd_coverage_get_customer (fixture->coverage, "cust-acme"));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_ptr_array_add (users, sd_coverage_get_user (fixture->coverage, ids[i]));
  g_ptr_array_add (shifts, sd_duty_shift_new ("shift-night", "user-wang", model_time ("2026-12-07T18:00:00+08:00"),
                                              model_time ("2026-12-08T09:00:00+08:00")));
  sd_case_set_number (kase, "SD-2026-00038");
  sd_case_set_customer_id (kase, "cust-acme");
  sd_case_set_title (kase, "Agents offline");
  sd_case_set_case_type (kase, SD_CASE_TYPE_INCIDENT);
  sd_case_set_severity (kase, 1);
  sd_case_set_status (kase, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_reported_at (kase, model_time ("2026-12-06T08:00:00+08:00"));
  sd_case_set_reported_via (kase, SD_REPORTED_VIA_HOTLINE);
  g_ptr_array_add (cases, kase);
  input.customers = customers;
  input.cases = cases;
  input.users = users;
  input.duty_shifts = shifts;

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      SdDailyReport *report = sd_daily_report_build (&input, checks[i].user, SD_REPORT_LANGUAGE_EN,
                                                     model_time (checks[i].at));

      if (report->items->len != checks[i].items)
        g_error ("%s at %s: %u items, expected %u", checks[i].user, checks[i].at,
                 report->items->len, checks[i].items);
      sd_daily_report_free (report);
    }
}

static void
test_duty_shift_json (void)
{
  const SdKind *kind = sd_kind_lookup ("duty_shift");
  g_autoptr(JsonNode) node = sd_json_parse ("{\"id\":\"shift-1\",\"duty_manager_id\":\"user-wang\","
                                            "\"start\":\"2026-12-04T18:00:00+08:00\","
                                            "\"end\":\"2026-12-07T09:00:00+08:00\",\"version\":2}", -1, NULL);
  g_autoptr(GObject) object = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(SdDutyShift) copy = NULL;
  g_autoptr(GError) error = NULL;
  SdDutyShift *shift;

  g_assert_nonnull (kind);
  g_assert_cmpstr (kind->collection, ==, "/duty-shifts");
  object = kind->decode (node, NULL, &error);
  g_assert_no_error (error);
  shift = SD_DUTY_SHIFT (object);
  g_assert_cmpstr (kind->get_id (shift), ==, "shift-1");
  g_assert_cmpstr (sd_duty_shift_get_duty_manager_id (shift), ==, "user-wang");
  g_assert_cmpint (sd_duty_shift_get_start (shift), ==, model_time ("2026-12-04T18:00:00+08:00"));
  g_assert_cmpint (sd_duty_shift_get_end (shift), ==, model_time ("2026-12-07T09:00:00+08:00"));
  g_assert_cmpint (sd_duty_shift_get_version (shift), ==, 2);

  again = sd_duty_shift_to_json (shift);
  copy = sd_duty_shift_from_json (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_duty_shift_get_end (copy), ==, sd_duty_shift_get_end (shift));

  /* Ends before it starts; lasts too long; unknown member. */
  json_object_set_string_member (json_node_get_object (node), "end", "2026-12-04T17:00:00+08:00");
  g_assert_null (sd_duty_shift_from_json (node, NULL, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "duty_shift.end"));
  g_clear_error (&error);
  json_object_set_string_member (json_node_get_object (node), "end", "2027-01-05T18:00:00+08:00");
  g_assert_null (sd_duty_shift_from_json (node, NULL, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  json_object_set_string_member (json_node_get_object (node), "end", "2026-12-07T09:00:00+08:00");
  json_object_set_string_member (json_node_get_object (node), "customer", "x");
  g_assert_null (sd_duty_shift_from_json (node, NULL, &error));
  g_assert_nonnull (error);
}

/* The user's new members: optional, round-trip, and no one deputises for
 * themselves. */
static void
test_user_deputy_and_calendar_json (void)
{
  g_autoptr(JsonNode) node = sd_json_parse ("{\"id\":\"user-li-na\",\"display_name\":\"Li Na\",\"login\":\"li.na\","
                                            "\"role\":\"tam\",\"calendar_id\":\"de-office\","
                                            "\"deputy_id\":\"user-deputy\"}", -1, NULL);
  g_autoptr(SdUser) user = NULL;
  g_autoptr(SdUser) plain = sd_user_new ("user-x");
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(JsonNode) plain_out = NULL;
  g_autoptr(GError) error = NULL;

  user = sd_user_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_user_get_calendar_id (user), ==, "de-office");
  g_assert_cmpstr (sd_user_get_deputy_id (user), ==, "user-deputy");
  out = sd_user_to_json (user);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (out), "deputy_id"), ==, "user-deputy");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (out), "calendar_id"), ==, "de-office");

  sd_user_set_display_name (plain, "X");
  plain_out = sd_user_to_json (plain);
  g_assert_false (json_object_has_member (json_node_get_object (plain_out), "deputy_id"));
  g_assert_false (json_object_has_member (json_node_get_object (plain_out), "calendar_id"));

  json_object_set_string_member (json_node_get_object (node), "deputy_id", "user-li-na");
  g_clear_object (&user);
  g_assert_null (sd_user_from_json (node, NULL, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "user.deputy_id"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/coverage/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("office-hours-and-night", test_coverage_office_hours_and_night);
  ADD ("weekend-shift", test_coverage_weekend_shift);
  ADD ("holiday-and-make-up-day", test_coverage_holiday_and_make_up_day);
  ADD ("out-of-office", test_coverage_out_of_office);
  ADD ("overlapping-shifts", test_coverage_overlapping_shifts);
  ADD ("own-calendar", test_coverage_own_calendar);
  ADD ("customers-covered", test_coverage_customers_covered);
  ADD ("daily-report", test_coverage_daily_report);
#undef ADD
  g_test_add_func ("/coverage/duty-shift-json", test_duty_shift_json);
  g_test_add_func ("/coverage/user-deputy-and-calendar-json", test_user_deputy_and_calendar_json);

  return g_test_run ();
}
