/* test-health-check.c — SdHealthCheck, its checklist, its score and its
 * JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-test-util.h"

static void
test_health_check_round_trip (void)
{
  g_autoptr(SdHealthCheck) hc = NULL;
  g_autoptr(SdChecklistItem) first = NULL;
  GListModel *items;
  SdChecklistItem *prt;

  hc = model_assert_round_trip ("health-check.json",
                                MODEL_FROM_JSON (sd_health_check_from_json),
                                MODEL_TO_JSON (sd_health_check_to_json));
  g_assert_cmpstr (sd_health_check_get_customer_id (hc), ==, "cust-acme");
  g_assert_cmpint (sd_health_check_get_status (hc), ==, SD_HEALTH_CHECK_COMPLETED);
  g_assert_cmpint (sd_health_check_get_requested_at (hc), ==, model_time ("2026-03-02T02:00:00Z"));
  g_assert_cmpuint (sd_health_check_get_scheduled_on (hc), ==, model_date ("2026-03-18"));
  g_assert_cmpint (sd_health_check_get_mode (hc), ==, SD_HEALTH_CHECK_MODE_REMOTE);
  g_assert_true (g_str_has_prefix (sd_health_check_get_contact (hc), "王芳"));
  g_assert_cmpstr (sd_health_check_get_template_id (hc), ==, "hc-endpoint");
  g_assert_cmpuint (sd_health_check_get_template_version (hc), ==, 3);
  g_assert_cmpint (sd_health_check_get_version (hc), ==, 5);

  items = sd_health_check_get_items (hc);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 5);
  first = g_list_model_get_item (items, 0);
  g_assert_cmpstr (sd_checklist_item_get_key (first), ==, "UPD-03");
  g_assert_cmpstr (sd_checklist_item_get_area (first), ==, "Updates");
  g_assert_true (g_str_has_prefix (sd_checklist_item_get_rationale (first), "Detection"));
  g_assert_cmpstr (sd_checklist_item_get_observed (first), ==, "Every 30 minutes");
  g_assert_cmpint (sd_checklist_item_get_result (first), ==, SD_CHECK_RESULT_PASS);
  g_assert_null (sd_checklist_item_get_recommendation (first));
  g_assert_cmpuint (sd_checklist_item_get_weight (first), ==, 3);

  prt = sd_health_check_lookup_item (hc, "PRT-01");
  g_assert_nonnull (prt);
  g_assert_cmpint (sd_checklist_item_get_result (prt), ==, SD_CHECK_RESULT_FAIL);
  g_assert_null (sd_health_check_lookup_item (hc, "XYZ-99"));
}

/* pass 3 + fail 2 + warning 1 + n/a 5 + pass 2: (3 + 2) / (3 + 2 + 1 + 2). */
static void
test_health_check_score (void)
{
  g_autoptr(JsonNode) node = model_load_node ("health-check.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdHealthCheck) hc = sd_health_check_from_json (node, NULL, &error);
  g_autoptr(SdChecklistItem) extra = NULL;
  SdChecklistItem *item;
  guint notifies = 0;

  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (hc), 5.0 / 8.0, 1e-12);
  g_signal_connect (hc, "notify::score", G_CALLBACK (model_count_notify_cb), &notifies);

  /* A warning is not a pass. */
  item = sd_health_check_lookup_item (hc, "PRT-01");
  sd_checklist_item_set_result (item, SD_CHECK_RESULT_WARNING);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (hc), 5.0 / 8.0, 1e-12);

  /* Not applicable leaves the item out. */
  sd_checklist_item_set_result (item, SD_CHECK_RESULT_NOT_APPLICABLE);
  g_assert_cmpuint (notifies, ==, 2);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (hc), 5.0 / 6.0, 1e-12);

  /* The weight counts. */
  item = sd_health_check_lookup_item (hc, "PRT-07");
  sd_checklist_item_set_weight (item, 10);
  g_assert_cmpuint (notifies, ==, 3);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (hc), 5.0 / 15.0, 1e-12);

  /* A not-checked item counts against the score until it is checked. */
  extra = sd_checklist_item_new ("NET-01");
  sd_checklist_item_set_weight (extra, 5);
  g_assert_true (sd_health_check_add_item (hc, extra));
  g_assert_false (sd_health_check_add_item (hc, extra));
  g_assert_cmpuint (notifies, ==, 4);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (hc), 5.0 / 20.0, 1e-12);
  sd_checklist_item_set_result (extra, SD_CHECK_RESULT_PASS);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (hc), 10.0 / 20.0, 1e-12);

  /* A removed item no longer notifies. */
  g_assert_true (sd_health_check_remove_item (hc, "NET-01"));
  g_assert_cmpuint (notifies, ==, 6);
  sd_checklist_item_set_result (extra, SD_CHECK_RESULT_FAIL);
  g_assert_cmpuint (notifies, ==, 6);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (hc), 5.0 / 15.0, 1e-12);
}

static void
test_health_check_score_empty (void)
{
  g_autoptr(SdHealthCheck) hc = sd_health_check_new (NULL);
  g_autoptr(SdChecklistItem) item = sd_checklist_item_new ("MGT-12");
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpfloat (sd_health_check_get_score (hc), ==, -1.0);
  sd_checklist_item_set_result (item, SD_CHECK_RESULT_NOT_APPLICABLE);
  sd_health_check_add_item (hc, item);
  g_assert_cmpfloat (sd_health_check_get_score (hc), ==, -1.0);

  node = sd_health_check_to_json (hc);
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "score"));
}

static void
test_health_check_bad_documents (void)
{
  static const ModelBadCase cases[] = {
    { "id", NULL, SD_ERROR_MISSING_FIELD, "health_check.id" },
    { "customer_id", "null", SD_ERROR_MISSING_FIELD, "health_check.customer_id" },
    { "status", "\"done\"", SD_ERROR_INVALID_VALUE, "health_check.status" },
    { "requested_at", "\"2026-03-02T02:00:00\"", SD_ERROR_INVALID_VALUE, "health_check.requested_at" },
    { "scheduled_on", "\"2026-02-30\"", SD_ERROR_INVALID_VALUE, "health_check.scheduled_on" },
    { "scheduled_on", "null", SD_ERROR_MISSING_FIELD, "health_check.scheduled_on" },
    { "mode", "\"on_site\"", SD_ERROR_INVALID_VALUE, "health_check.mode" },
    { "template_version", "0", SD_ERROR_INVALID_VALUE, "health_check.template_version" },
    { "items", "{}", SD_ERROR_WRONG_TYPE, "health_check.items" },
    { "items", NULL, SD_ERROR_MISSING_FIELD, "health_check.items" },
    { "items[1]", "\"PRT-01\"", SD_ERROR_WRONG_TYPE, "health_check.items[1]" },
    { "items[2].key", "\"PRT-01\"", SD_ERROR_INVALID_VALUE, "health_check.items[2].key" },
    { "items[2].key", "\"prt-7\"", SD_ERROR_INVALID_VALUE, "health_check.items[2].key" },
    { "items[3].result", "\"skipped\"", SD_ERROR_INVALID_VALUE, "health_check.items[3].result" },
    { "items[3].weight", "0", SD_ERROR_INVALID_VALUE, "health_check.items[3].weight" },
    { "items[3].weight", "2.5", SD_ERROR_WRONG_TYPE, "health_check.items[3].weight" },
    { "items[4].expected", NULL, SD_ERROR_MISSING_FIELD, "health_check.items[4].expected" },
    { "items[4].severity", "1", SD_ERROR_UNKNOWN_FIELD, "health_check.items[4].severity" },
    { "score", "\"62.5%\"", SD_ERROR_WRONG_TYPE, "health_check.score" },
    { "location", "\"on site\"", SD_ERROR_UNKNOWN_FIELD, "health_check.location" },
  };

  model_assert_bad_cases ("health-check.json", MODEL_FROM_JSON (sd_health_check_from_json),
                          cases, G_N_ELEMENTS (cases));
  model_assert_invalid_utf8 ("health-check.json");
}

/* The score on the wire is computed: a stale value is not trusted. */
static void
test_health_check_score_read_only (void)
{
  g_autoptr(JsonNode) node = model_load_node ("health-check.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdHealthCheck) hc = NULL;
  g_autoptr(JsonNode) encoded = NULL;

  json_object_set_double_member (json_node_get_object (node), "score", 0.99);
  hc = sd_health_check_from_json (node, NULL, &error);
  g_assert_no_error (error);
  encoded = sd_health_check_to_json (hc);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (encoded), "score"), ==, 0.625);
}

/* 2026 in mainland China: 1–7 October off for National Day, Sunday
 * 20 September a make-up working day. */
static void
test_health_check_schedule (void)
{
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (calendar);
  g_assert_cmpuint (sd_health_check_get_earliest_day (model_date ("2026-09-17"), calendar), ==,
                    model_date ("2026-10-08"));
  g_assert_cmpuint (sd_health_check_get_earliest_day (model_date ("2026-09-06"), calendar), ==,
                    model_date ("2026-09-20"));

  g_assert_true (sd_health_check_check_schedule (model_date ("2026-09-20"), model_date ("2026-09-06"),
                                                 calendar, &error));
  g_assert_no_error (error);

  g_assert_false (sd_health_check_check_schedule (model_date ("2026-09-19"), model_date ("2026-09-06"),
                                                  calendar, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "2026-09-19"));
  g_assert_nonnull (strstr (error->message, "2026-09-20"));
  g_clear_error (&error);

  g_assert_false (sd_health_check_check_schedule (model_date ("2026-10-03"), model_date ("2026-09-01"),
                                                  calendar, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "2026-10-03"));
}

static void
test_checklist_item_key (void)
{
  g_assert_true (sd_checklist_item_key_is_valid ("UPD-03"));
  g_assert_true (sd_checklist_item_key_is_valid ("NETWORK-1234"));
  g_assert_false (sd_checklist_item_key_is_valid ("U-03"));
  g_assert_false (sd_checklist_item_key_is_valid ("UPD-3"));
  g_assert_false (sd_checklist_item_key_is_valid ("UPD03"));
  g_assert_false (sd_checklist_item_key_is_valid ("upd-03"));
  g_assert_false (sd_checklist_item_key_is_valid ("UPD-03-"));
  g_assert_false (sd_checklist_item_key_is_valid (""));
}

static SdHealthCheck *
rule_check (const char          *requested_at,
            const char          *scheduled_on,
            SdHealthCheckStatus  status)
{
  SdHealthCheck *check = sd_health_check_new (NULL);
  gint64 t = 0;

  g_assert_true (sd_time_parse_iso8601 (requested_at, NULL, &t, NULL));
  sd_health_check_set_customer_id (check, "cust-acme");
  sd_health_check_set_requested_at (check, t);
  if (scheduled_on != NULL)
    sd_health_check_set_scheduled_on (check, model_date (scheduled_on));
  sd_health_check_set_status (check, status);
  return check;
}

static void
assert_rule (SdHealthCheck *check,
             SdCustomer    *customer,
             SdCalendar    *calendar,
             GPtrArray     *others,
             const char    *field)  /* NULL: accepted */
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sd_health_check_check_rules (check, customer, calendar, others, &error);

  if (field == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, field));
    }
}

/* The contract's rules: 14 days ahead, a working day of the customer's
 * calendar (holidays and make-up days), the certificate, one a year. */
static void
test_health_check_rules (void)
{
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(SdCustomer) customer = sd_customer_new ("cust-acme");
  g_autoptr(SdCustomer) uncertified = sd_customer_new ("cust-plain");
  g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cancelled = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) last_year = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdHealthCheck) thirteen = rule_check ("2026-02-10T10:00:00+08:00", "2026-02-23", SD_HEALTH_CHECK_SCHEDULED);
  g_autoptr(SdHealthCheck) fourteen = rule_check ("2026-02-10T10:00:00+08:00", "2026-02-24", SD_HEALTH_CHECK_SCHEDULED);
  g_autoptr(SdHealthCheck) holiday = rule_check ("2026-02-01T10:00:00+08:00", "2026-02-16", SD_HEALTH_CHECK_SCHEDULED);
  g_autoptr(SdHealthCheck) make_up = rule_check ("2026-02-10T10:00:00+08:00", "2026-02-28", SD_HEALTH_CHECK_SCHEDULED);
  g_autoptr(SdHealthCheck) saturday = rule_check ("2026-02-10T10:00:00+08:00", "2026-03-07", SD_HEALTH_CHECK_SCHEDULED);
  /* Late on 9 February in UTC is 10 February in Shanghai: 14 days ahead. */
  g_autoptr(SdHealthCheck) time_zone = rule_check ("2026-02-09T20:00:00Z", "2026-02-24", SD_HEALTH_CHECK_SCHEDULED);
  g_autoptr(SdHealthCheck) requested = rule_check ("2026-02-10T10:00:00+08:00", NULL, SD_HEALTH_CHECK_REQUESTED);

  sd_customer_set_health_check_entitled (customer, TRUE);
  sd_customer_set_contract_start (customer, model_date ("2025-04-01"));
  sd_customer_set_contract_start (uncertified, model_date ("2025-04-01"));

  assert_rule (thirteen, customer, calendar, none, "health_check.scheduled_on");
  assert_rule (fourteen, customer, calendar, none, NULL);
  assert_rule (time_zone, customer, calendar, none, NULL);
  assert_rule (holiday, customer, calendar, none, "health_check.scheduled_on");
  assert_rule (make_up, customer, calendar, none, NULL);
  assert_rule (saturday, customer, calendar, none, "health_check.scheduled_on");
  assert_rule (requested, customer, calendar, none, NULL);
  assert_rule (fourteen, uncertified, calendar, none, "health_check.customer_id");

  /* One a contract year (1 April to 31 March here). */
  g_ptr_array_add (others, rule_check ("2025-08-01T10:00:00+08:00", "2025-09-10", SD_HEALTH_CHECK_COMPLETED));
  assert_rule (fourteen, customer, calendar, others, "health_check.scheduled_on");
  assert_rule (requested, customer, calendar, others, "health_check.requested_at");
  g_ptr_array_add (cancelled, rule_check ("2025-08-01T10:00:00+08:00", "2025-09-10", SD_HEALTH_CHECK_CANCELLED));
  assert_rule (fourteen, customer, calendar, cancelled, NULL);
  g_ptr_array_add (last_year, rule_check ("2025-02-01T10:00:00+08:00", "2025-03-10", SD_HEALTH_CHECK_COMPLETED));
  assert_rule (fourteen, customer, calendar, last_year, NULL);
  /* A check is not its own second check. */
  g_ptr_array_add (others, g_object_ref (fourteen));
  g_ptr_array_remove_index (others, 0);
  assert_rule (fourteen, customer, calendar, others, NULL);
}

/* Which contract year, and is its check done: Hudson Health's contract
 * started on 22 July 2025; in December 2026 the second contract year
 * (2026-07-22 to 2027-07-21) holds a scheduled check, so the next one is due
 * from 2027-07-22 — not a year after the contract start. */
static void
test_health_check_year (void)
{
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(SdCustomer) customer = sd_customer_new ("cust-acme");
  g_autoptr(SdCustomer) no_start = sd_customer_new ("cust-acme");
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdHealthCheck) other_customer = rule_check ("2026-11-01T10:00:00+08:00", "2026-11-20", SD_HEALTH_CHECK_COMPLETED);
  guint32 today = model_date ("2026-12-04");
  SdHealthCheckYear year;

  sd_customer_set_health_check_entitled (customer, TRUE);
  sd_customer_set_contract_start (customer, model_date ("2025-07-22"));
  sd_health_check_set_customer_id (other_customer, "cust-other");
  g_ptr_array_add (checks, g_object_ref (other_customer));

  /* Nothing in this contract year: due since it began. */
  g_ptr_array_add (checks, rule_check ("2026-01-20T10:00:00+08:00", "2026-02-24", SD_HEALTH_CHECK_COMPLETED));
  g_ptr_array_add (checks, rule_check ("2026-10-20T10:00:00+08:00", "2026-11-10", SD_HEALTH_CHECK_CANCELLED));
  sd_health_check_year (customer, calendar, checks, today, &year);
  g_assert_cmpuint (year.start, ==, model_date ("2026-07-22"));
  g_assert_cmpuint (year.end, ==, model_date ("2027-07-21"));
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_DUE);
  g_assert_null (year.check);
  g_assert_cmpuint (year.next_due, ==, model_date ("2026-07-22"));

  /* The first contract year's check was the one in February. */
  sd_health_check_year (customer, calendar, checks, model_date ("2026-03-01"), &year);
  g_assert_cmpuint (year.start, ==, model_date ("2025-07-22"));
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_DONE);
  g_assert_cmpuint (year.day, ==, model_date ("2026-02-24"));
  g_assert_cmpuint (year.next_due, ==, model_date ("2026-07-22"));

  /* Asked for, then agreed: the next one is due from the next year. */
  g_ptr_array_add (checks, rule_check ("2026-11-13T10:00:00+08:00", NULL, SD_HEALTH_CHECK_REQUESTED));
  sd_health_check_year (customer, calendar, checks, today, &year);
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_REQUESTED);
  g_assert_cmpuint (year.day, ==, model_date ("2026-11-13"));
  g_assert_cmpuint (year.next_due, ==, model_date ("2027-07-22"));
  sd_health_check_set_status (checks->pdata[checks->len - 1], SD_HEALTH_CHECK_SCHEDULED);
  sd_health_check_set_scheduled_on (checks->pdata[checks->len - 1], model_date ("2026-12-25"));
  sd_health_check_year (customer, calendar, checks, today, &year);
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_SCHEDULED);
  g_assert_true (year.check == checks->pdata[checks->len - 1]);
  g_assert_cmpuint (year.day, ==, model_date ("2026-12-25"));
  g_assert_cmpuint (year.next_due, ==, model_date ("2027-07-22"));
  sd_health_check_set_status (checks->pdata[checks->len - 1], SD_HEALTH_CHECK_COMPLETED);
  sd_health_check_year (customer, calendar, checks, today, &year);
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_DONE);

  /* The last day of a contract year, and the first of the next. */
  sd_health_check_year (customer, calendar, checks, model_date ("2027-07-21"), &year);
  g_assert_cmpuint (year.start, ==, model_date ("2026-07-22"));
  sd_health_check_year (customer, calendar, checks, model_date ("2027-07-22"), &year);
  g_assert_cmpuint (year.start, ==, model_date ("2027-07-22"));
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_DUE);

  /* Without a contract start, calendar years; without the certificate,
   * nothing is due. */
  sd_customer_set_health_check_entitled (no_start, TRUE);
  sd_health_check_year (no_start, calendar, checks, today, &year);
  g_assert_cmpuint (year.start, ==, model_date ("2026-01-01"));
  g_assert_cmpuint (year.end, ==, model_date ("2026-12-31"));
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_DONE);
  sd_customer_set_health_check_entitled (customer, FALSE);
  sd_health_check_year (customer, calendar, checks, today, &year);
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_NOT_ENTITLED);
  g_assert_cmpuint (year.next_due, ==, 0);
}

/* A renewed contract: the year and the entitlement come from the period
 * in force on the day. The first period (no certificate) ran 2024-03-01
 * to 2025-02-28; the second, with it, starts 2025-06-15. */
static void
test_health_check_year_of_period (void)
{
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(SdCustomer) customer = sd_customer_new ("cust-acme");
  SdContractPeriod first = { model_date ("2024-03-01"), model_date ("2025-02-28"), SD_TIER_STANDARD, FALSE };
  SdContractPeriod second = { model_date ("2025-06-15"), 0, SD_TIER_MSA_ENTERPRISE, TRUE };
  SdHealthCheckYear year;

  g_assert_true (sd_customer_add_contract (customer, &first, NULL));
  g_assert_true (sd_customer_add_contract (customer, &second, NULL));
  sd_customer_set_contract_start (customer, first.start);

  sd_health_check_year (customer, calendar, NULL, model_date ("2024-12-01"), &year);
  g_assert_cmpuint (year.start, ==, model_date ("2024-03-01"));
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_NOT_ENTITLED);

  sd_health_check_year (customer, calendar, NULL, model_date ("2026-12-04"), &year);
  g_assert_cmpuint (year.start, ==, model_date ("2026-06-15"));
  g_assert_cmpint (year.state, ==, SD_HEALTH_CHECK_YEAR_DUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/health-check/round-trip", test_health_check_round_trip);
  g_test_add_func ("/health-check/score", test_health_check_score);
  g_test_add_func ("/health-check/score-empty", test_health_check_score_empty);
  g_test_add_func ("/health-check/score-read-only", test_health_check_score_read_only);
  g_test_add_func ("/health-check/bad-documents", test_health_check_bad_documents);
  g_test_add_func ("/health-check/schedule", test_health_check_schedule);
  g_test_add_func ("/health-check/rules", test_health_check_rules);
  g_test_add_func ("/health-check/contract-year", test_health_check_year);
  g_test_add_func ("/health-check/contract-year-of-period", test_health_check_year_of_period);
  g_test_add_func ("/checklist-item/key", test_checklist_item_key);
  return g_test_run ();
}
