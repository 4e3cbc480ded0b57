/* test-sla-ledger.c — the SLA record of a case: periods, severity-change
 * rules, breaches that stay, and the codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-test-util.h"

#define CASE_ID     "3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b"
#define CUSTOMER_ID "cust-a"
#define MINUTE      60
#define HOUR        3600

typedef struct {
  SdCase      *c;
  GPtrArray   *events;
  SdSlaPolicy *policy;
  gint64       t0;    /* reported at */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->t0 = model_time ("2026-02-14T06:00:00Z");
  f->c = sd_case_new (CASE_ID);
  sd_case_set_customer_id (f->c, CUSTOMER_ID);
  sd_case_set_severity (f->c, 1);
  sd_case_set_status (f->c, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_reported_at (f->c, f->t0);
  f->events = g_ptr_array_new_with_free_func (g_object_unref);
  /* The contract's targets, all on wall time (no calendar). */
  f->policy = sd_sla_policy_new_msa_enterprise ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->c);
  g_clear_pointer (&f->events, g_ptr_array_unref);
  g_clear_object (&f->policy);
}

static void
change_severity (Fixture *f,
                 gint64   at,
                 int      from,
                 int      to)
{
  g_ptr_array_add (f->events, sd_case_event_new_severity_change (CASE_ID, "user-li-wei", at,
                                                                 from, to, "Reassessed"));
  sd_case_set_severity (f->c, to);
}

static GArray *
derive (Fixture *f,
        gint64   now)
{
  return sd_sla_ledger_derive (f->c, f->events, f->policy, NULL, SD_TIER_MSA_ENTERPRISE, now);
}

/* The response periods only, in order. */
static GArray *
response_periods (GArray *ledger)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (SdSlaPeriod));

  for (guint i = 0; i < ledger->len; i++)
    if (g_array_index (ledger, SdSlaPeriod, i).metric == SD_SLA_METRIC_RESPONSE)
      g_array_append_val (out, g_array_index (ledger, SdSlaPeriod, i));
  return out;
}

static void
test_one_period (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GArray) ledger = NULL;
  g_autoptr(GArray) response = NULL;
  const SdSlaPeriod *p;

  sd_case_set_responded_at (f->c, f->t0 + 20 * MINUTE);
  ledger = derive (f, f->t0 + 2 * HOUR);
  response = response_periods (ledger);

  g_assert_cmpuint (response->len, ==, 1);
  p = &g_array_index (response, SdSlaPeriod, 0);
  g_assert_cmpint (p->severity, ==, 1);
  g_assert_cmpint (p->opened, ==, f->t0);
  g_assert_cmpint (p->start, ==, f->t0);
  g_assert_cmpint (p->stop, ==, f->t0 + 20 * MINUTE);
  g_assert_cmpint (p->ended_by, ==, SD_SLA_END_RESPONSE);
  g_assert_cmpint (p->due, ==, f->t0 + 30 * MINUTE);
  g_assert_cmpint (p->elapsed, ==, 20 * MINUTE);
  g_assert_cmpint (p->state, ==, SD_SLA_MET);
  g_assert_false (p->kept);
  g_assert_true (sd_sla_ledger_get_response (ledger) == &g_array_index (ledger, SdSlaPeriod, 0));
}

/* The first item: an S1 breached, lowered to S4, then answered
 * within the S4 target, is on record as breached at S1. */
static void
test_lowered_after_breach (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GArray) ledger = NULL;
  g_autoptr(GArray) response = NULL;
  const SdSlaPeriod *p;

  change_severity (f, f->t0 + 9 * HOUR, 1, 4);
  sd_case_set_responded_at (f->c, f->t0 + 10 * HOUR);
  ledger = derive (f, f->t0 + 11 * HOUR);
  response = response_periods (ledger);

  g_assert_cmpuint (response->len, ==, 2);
  p = &g_array_index (response, SdSlaPeriod, 0);
  g_assert_cmpint (p->severity, ==, 1);
  g_assert_cmpint (p->stop, ==, f->t0 + 9 * HOUR);
  g_assert_cmpint (p->ended_by, ==, SD_SLA_END_SEVERITY_CHANGE);
  g_assert_cmpint (p->state, ==, SD_SLA_BREACHED);
  g_assert_cmpint (p->due, ==, f->t0 + 30 * MINUTE);

  p = &g_array_index (response, SdSlaPeriod, 1);
  g_assert_cmpint (p->severity, ==, 4);
  g_assert_cmpint (p->opened, ==, f->t0 + 9 * HOUR);
  g_assert_cmpint (p->start, ==, f->t0 + 9 * HOUR);   /* restart, the default */
  g_assert_cmpint (p->state, ==, SD_SLA_MET);

  p = sd_sla_ledger_get_response (ledger);
  g_assert_nonnull (p);
  g_assert_cmpint (p->severity, ==, 1);
  g_assert_cmpint (p->state, ==, SD_SLA_BREACHED);
}

/* The sixth item: raising a severity (here 2 h after the report,
 * well inside the S3 target) breaches at once only where the contract says the new target counts from the report. */
static void
test_raised_restart_or_retroactive (Fixture       *f,
                                    gconstpointer  data)
{
  gint64 now = f->t0 + 2 * HOUR + 10 * MINUTE;
  g_autoptr(GArray) restart = NULL;
  g_autoptr(GArray) retroactive = NULL;
  const SdSlaPeriod *p;
  SdSlaResult result;

  sd_case_set_severity (f->c, 3);
  change_severity (f, f->t0 + 2 * HOUR, 3, 1);

  restart = derive (f, now);
  p = sd_sla_ledger_get_response (restart);
  g_assert_cmpint (p->severity, ==, 1);
  g_assert_cmpint (p->start, ==, f->t0 + 2 * HOUR);
  g_assert_cmpint (p->due, ==, f->t0 + 2 * HOUR + 30 * MINUTE);
  g_assert_cmpint (p->state, ==, SD_SLA_RUNNING);
  /* The live clock agrees with the record. */
  sd_case_compute_sla (f->c, f->events, f->policy, NULL, SD_TIER_MSA_ENTERPRISE, now, &result);
  g_assert_cmpint (result.response.due, ==, p->due);
  g_assert_cmpint (result.response.state, ==, p->state);
  /* The daily report of the S1 stretch counts from the change. */
  g_assert_true (result.has_daily_report);
  g_assert_cmpint (result.daily_report.due, ==, f->t0 + 2 * HOUR + 24 * HOUR);

  sd_sla_policy_set_severity_change (f->policy, SD_SEVERITY_CHANGE_RETROACTIVE);
  retroactive = derive (f, now);
  p = sd_sla_ledger_get_response (retroactive);
  g_assert_cmpint (p->severity, ==, 1);
  g_assert_cmpint (p->start, ==, f->t0);
  g_assert_cmpint (p->due, ==, f->t0 + 30 * MINUTE);
  g_assert_cmpint (p->state, ==, SD_SLA_BREACHED);
  sd_case_compute_sla (f->c, f->events, f->policy, NULL, SD_TIER_MSA_ENTERPRISE, now, &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_BREACHED);
}

/* A breach the server recorded stays, whatever a later entry says. */
static void
test_keep_breaches (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GArray) before = derive (f, f->t0 + 2 * HOUR);
  g_autoptr(GArray) after = NULL;
  const SdSlaPeriod *p;

  p = sd_sla_ledger_get_response (before);
  g_assert_cmpint (p->state, ==, SD_SLA_BREACHED);

  /* A response entered later, dated before the due time. */
  g_ptr_array_add (f->events, sd_case_event_new_response_given (CASE_ID, "user-li-wei",
                                                                f->t0 + 10 * MINUTE, NULL));
  after = derive (f, f->t0 + 2 * HOUR);
  g_assert_cmpint (sd_sla_ledger_get_response (after)->state, ==, SD_SLA_MET);

  sd_sla_ledger_keep (after, before);
  p = sd_sla_ledger_get_response (after);
  g_assert_cmpint (p->state, ==, SD_SLA_MISSED);   /* answered, late by the record */
  g_assert_true (p->kept);
  g_assert_cmpint (p->stop, ==, f->t0 + 10 * MINUTE);
  g_assert_cmpint (p->ended_by, ==, SD_SLA_END_RESPONSE);

  /* A period the new record no longer has at all is kept as it was. */
  {
    g_autoptr(GArray) empty = g_array_new (FALSE, TRUE, sizeof (SdSlaPeriod));

    sd_sla_ledger_keep (empty, before);
    g_assert_cmpuint (empty->len, >=, 1);
    g_assert_true (sd_sla_period_is_breach (sd_sla_ledger_get_response (empty)));
    g_assert_true (sd_sla_ledger_get_response (empty)->kept);
  }
}

/* A closed period stays as it was recorded: a later policy (or calendar)
 * that would count it otherwise changes nothing. */
static void
test_closed_periods_stay (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GArray) recorded = NULL;
  g_autoptr(GArray) later = NULL;
  const SdSlaPeriod *p;

  sd_case_set_responded_at (f->c, f->t0 + 20 * MINUTE);
  recorded = derive (f, f->t0 + HOUR);
  g_assert_cmpint (sd_sla_ledger_get_response (recorded)->state, ==, SD_SLA_MET);

  /* The contract's S1 target shrinks to 10 minutes afterwards. */
  sd_sla_policy_set_target (f->policy, 1, 10, SD_CLOCK_24X7);
  later = derive (f, f->t0 + 2 * HOUR);
  g_assert_cmpint (sd_sla_ledger_get_response (later)->state, ==, SD_SLA_MISSED);

  sd_sla_ledger_keep (later, recorded);
  p = sd_sla_ledger_get_response (later);
  g_assert_cmpint (p->state, ==, SD_SLA_MET);
  g_assert_cmpint (p->target, ==, 30 * MINUTE);
  g_assert_cmpint (p->due, ==, f->t0 + 30 * MINUTE);
  g_assert_false (p->kept);
}

static void
test_daily_reports (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GArray) ledger = NULL;
  guint n = 0;
  SdSlaPeriod daily[4];

  sd_case_set_responded_at (f->c, f->t0 + 20 * MINUTE);
  g_ptr_array_add (f->events, sd_case_event_new_daily_report_sent (CASE_ID, "user-li-wei", f->t0 + 20 * HOUR,
                                                                   SD_REPORT_CHANNEL_EMAIL, NULL));
  g_ptr_array_add (f->events, sd_case_event_new_daily_report_sent (CASE_ID, "user-li-wei", f->t0 + 50 * HOUR,
                                                                   SD_REPORT_CHANNEL_PHONE, NULL));
  ledger = derive (f, f->t0 + 60 * HOUR);
  for (guint i = 0; i < ledger->len && n < G_N_ELEMENTS (daily); i++)
    if (g_array_index (ledger, SdSlaPeriod, i).metric == SD_SLA_METRIC_DAILY_REPORT)
      daily[n++] = g_array_index (ledger, SdSlaPeriod, i);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (daily[0].state, ==, SD_SLA_MET);
  g_assert_cmpint (daily[0].ended_by, ==, SD_SLA_END_DAILY_REPORT);
  g_assert_cmpint (daily[0].due, ==, f->t0 + 24 * HOUR);
  g_assert_cmpint (daily[1].state, ==, SD_SLA_MISSED);
  g_assert_cmpint (daily[1].opened, ==, f->t0 + 20 * HOUR);
  g_assert_cmpint (daily[1].due, ==, f->t0 + 44 * HOUR);
  g_assert_cmpint (daily[2].state, ==, SD_SLA_RUNNING);
  g_assert_cmpint (daily[2].stop, ==, SD_TIME_NONE);
  g_assert_cmpint (daily[2].due, ==, f->t0 + 74 * HOUR);

  /* Resolved: the last daily period ends with the resolution. */
  g_clear_pointer (&ledger, g_array_unref);
  sd_case_set_status (f->c, SD_CASE_STATUS_RESOLVED);
  sd_case_set_resolved_at (f->c, f->t0 + 55 * HOUR);
  ledger = derive (f, f->t0 + 80 * HOUR);
  {
    const SdSlaPeriod *last = &g_array_index (ledger, SdSlaPeriod, ledger->len - 1);

    g_assert_cmpint (last->metric, ==, SD_SLA_METRIC_DAILY_REPORT);
    g_assert_cmpint (last->ended_by, ==, SD_SLA_END_RESOLUTION);
    g_assert_cmpint (last->stop, ==, f->t0 + 55 * HOUR);
    g_assert_cmpint (last->state, ==, SD_SLA_RUNNING);
  }
}

static void
test_codec (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GArray) ledger = NULL;
  g_autoptr(SdSlaRecord) record = NULL;
  g_autoptr(SdSlaRecord) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  change_severity (f, f->t0 + 9 * HOUR, 1, 4);
  ledger = derive (f, f->t0 + 10 * HOUR);
  record = sd_sla_record_new (CASE_ID, CUSTOMER_ID, ledger);
  sd_sla_record_set_version (record, 3);
  sd_sla_record_set_updated_at (record, f->t0 + 10 * HOUR);

  node = sd_sla_record_to_json (record);
  back = sd_sla_record_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_sla_record_get_case_id (back), ==, CASE_ID);
  g_assert_cmpstr (sd_sla_record_get_customer_id (back), ==, CUSTOMER_ID);
  g_assert_cmpint (sd_sla_record_get_version (back), ==, 3);
  g_assert_cmpuint (sd_sla_record_get_periods (back)->len, ==, ledger->len);
  again = sd_sla_record_to_json (back);
  text = sd_json_to_string (node, FALSE);
  text_again = sd_json_to_string (again, FALSE);
  g_assert_cmpstr (text, ==, text_again);
  g_assert_true (strstr (text, "\"ended_by\":\"severity_change\"") != NULL);
  g_assert_true (strstr (text, "\"ended_by\":null") != NULL);

  /* Also through the registry of kinds. */
  {
    g_autoptr(GObject) decoded = sd_kind_lookup ("sla_record")->decode (node, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (SD_IS_SLA_RECORD (decoded));
  }
}

/* A business clock names its calendar; the server stamps the version, a
 * closed period keeps it when a later version counts, and the codec
 * carries all three fields (a 24×7 period has none). */
static void
test_calendar_version (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(GArray) recorded = NULL;
  g_autoptr(GArray) later = NULL;
  g_autoptr(GArray) open = NULL;
  g_autoptr(GArray) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const SdSlaPeriod *p;

  g_assert_nonnull (calendar);
  sd_case_set_severity (f->c, 3);
  sd_case_set_responded_at (f->c, f->t0 + HOUR);
  recorded = sd_sla_ledger_derive (f->c, f->events, f->policy, calendar, SD_TIER_MSA_ENTERPRISE, f->t0 + 2 * HOUR);
  sd_sla_ledger_set_calendar_version (recorded, 2);
  p = sd_sla_ledger_get_response (recorded);
  g_assert_cmpint (p->clock, ==, SD_CLOCK_BUSINESS);
  g_assert_cmpstr (p->calendar_id, ==, "cn-mainland");
  g_assert_cmpint (p->calendar_version, ==, 2);

  node = sd_sla_ledger_to_json (recorded);
  back = sd_sla_ledger_from_json (node, NULL, &error);
  g_assert_no_error (error);
  p = sd_sla_ledger_get_response (back);
  g_assert_cmpstr (p->calendar_id, ==, "cn-mainland");
  g_assert_cmpint (p->calendar_version, ==, 2);
  g_assert_cmpint (p->provisional_year, ==, sd_sla_ledger_get_response (recorded)->provisional_year);

  /* Version 3 comes: the closed period keeps version 2 … */
  later = sd_sla_ledger_derive (f->c, f->events, f->policy, calendar, SD_TIER_MSA_ENTERPRISE, f->t0 + 3 * HOUR);
  sd_sla_ledger_set_calendar_version (later, 3);
  sd_sla_ledger_keep (later, back);
  g_assert_cmpint (sd_sla_ledger_get_response (later)->calendar_version, ==, 2);

  /* … an open one (recorded at version 2 while open) counts on version 3. */
  sd_case_set_responded_at (f->c, SD_TIME_NONE);
  g_clear_pointer (&recorded, g_array_unref);
  recorded = sd_sla_ledger_derive (f->c, f->events, f->policy, calendar, SD_TIER_MSA_ENTERPRISE, f->t0 + HOUR);
  sd_sla_ledger_set_calendar_version (recorded, 2);
  open = sd_sla_ledger_derive (f->c, f->events, f->policy, calendar, SD_TIER_MSA_ENTERPRISE, f->t0 + 3 * HOUR);
  sd_sla_ledger_set_calendar_version (open, 3);
  sd_sla_ledger_keep (open, recorded);
  g_assert_cmpint (sd_sla_ledger_get_response (open)->ended_by, ==, SD_SLA_END_NONE);
  g_assert_cmpint (sd_sla_ledger_get_response (open)->calendar_version, ==, 3);

  /* 24×7: no calendar. */
  {
    g_autoptr(GArray) wall = NULL;

    sd_case_set_severity (f->c, 1);
    wall = sd_sla_ledger_derive (f->c, f->events, f->policy, calendar, SD_TIER_MSA_ENTERPRISE, f->t0 + HOUR);
    sd_sla_ledger_set_calendar_version (wall, 3);
    g_assert_null (sd_sla_ledger_get_response (wall)->calendar_id);
    g_assert_cmpint (sd_sla_ledger_get_response (wall)->calendar_version, ==, 0);
  }
}

static void
test_codec_errors (void)
{
  static const struct {
    const char *json;
    const char *path;
  } bad[] = {
    { "[]", "sla_record" },
    { "{\"id\":\"" CASE_ID "\",\"customer_id\":\"c\"}", "sla_record.periods" },
    { "{\"id\":\"" CASE_ID "\",\"customer_id\":\"c\",\"periods\":[1]}", "sla_record.periods[0]" },
    { "{\"id\":\"" CASE_ID "\",\"customer_id\":\"c\",\"periods\":[{\"metric\":\"uptime\"}]}",
      "sla_record.periods[0].metric" },
    /* A stop without what ended the period. */
    { "{\"id\":\"" CASE_ID "\",\"customer_id\":\"c\",\"periods\":[{\"metric\":\"response\",\"severity\":1,"
      "\"clock\":\"24x7\",\"target\":1800,\"opened\":\"2026-02-14T06:00:00Z\",\"start\":\"2026-02-14T06:00:00Z\","
      "\"stop\":\"2026-02-14T07:00:00Z\",\"ended_by\":null,\"due\":\"2026-02-14T06:30:00Z\",\"elapsed\":3600,"
      "\"state\":\"breached\"}]}", "sla_record.periods[0].ended_by" },
    { "{\"id\":\"" CASE_ID "\",\"customer_id\":\"c\",\"periods\":[{\"metric\":\"response\",\"severity\":9}]}",
      "sla_record.periods[0].severity" },
    { "{\"id\":\"" CASE_ID "\",\"customer_id\":\"c\",\"periods\":[],\"extra\":1}", "extra" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sd_json_parse (bad[i].json, -1, &error);
      g_autoptr(SdSlaRecord) record = NULL;

      g_assert_no_error (error);
      record = sd_sla_record_from_json (node, NULL, &error);
      g_assert_null (record);
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].path) == NULL)
        g_error ("“%s” does not name %s", error->message, bad[i].path);
    }
}

static void
test_policy_rule_codec (void)
{
  g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_msa_enterprise ();
  g_autoptr(SdSlaPolicy) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (sd_sla_policy_get_severity_change (policy), ==, SD_SEVERITY_CHANGE_RESTART);
  sd_sla_policy_set_severity_change (policy, SD_SEVERITY_CHANGE_RETROACTIVE);
  node = sd_sla_policy_to_json (policy);
  back = sd_sla_policy_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_sla_policy_get_severity_change (back), ==, SD_SEVERITY_CHANGE_RETROACTIVE);

  json_object_set_string_member (json_node_get_object (node), "severity_change", "sometimes");
  g_clear_object (&back);
  back = sd_sla_policy_from_json (node, NULL, &error);
  g_assert_null (back);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_true (strstr (error->message, "policy.severity_change") != NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sla-ledger/one-period", Fixture, NULL, fixture_set_up, test_one_period, fixture_tear_down);
  g_test_add ("/sla-ledger/lowered-after-breach", Fixture, NULL, fixture_set_up, test_lowered_after_breach,
              fixture_tear_down);
  g_test_add ("/sla-ledger/raised", Fixture, NULL, fixture_set_up, test_raised_restart_or_retroactive,
              fixture_tear_down);
  g_test_add ("/sla-ledger/keep-breaches", Fixture, NULL, fixture_set_up, test_keep_breaches, fixture_tear_down);
  g_test_add ("/sla-ledger/closed-periods-stay", Fixture, NULL, fixture_set_up, test_closed_periods_stay,
              fixture_tear_down);
  g_test_add ("/sla-ledger/daily-reports", Fixture, NULL, fixture_set_up, test_daily_reports, fixture_tear_down);
  g_test_add ("/sla-ledger/codec", Fixture, NULL, fixture_set_up, test_codec, fixture_tear_down);
  g_test_add ("/sla-ledger/calendar-version", Fixture, NULL, fixture_set_up, test_calendar_version, fixture_tear_down);
  g_test_add_func ("/sla-ledger/codec-errors", test_codec_errors);
  g_test_add_func ("/sla-ledger/policy-rule", test_policy_rule_codec);

  return g_test_run ();
}
