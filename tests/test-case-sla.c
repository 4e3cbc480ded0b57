/* test-case-sla.c — from a case and its timeline to the SLA engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-test-util.h"

#define CASE_ID  "3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b"
#define OTHER_ID "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
#define MINUTE   60

typedef struct {
  SdCase      *c;
  GPtrArray   *events;
  SdSlaPolicy *policy;
  GArray      *pauses;
  SdSlaInput   input;
  gint64       t0;    /* reported at */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->t0 = model_time ("2026-02-14T06:00:00Z");
  f->c = sd_case_new (CASE_ID);
  sd_case_set_severity (f->c, 1);
  sd_case_set_reported_at (f->c, f->t0);
  f->events = g_ptr_array_new_with_free_func (g_object_unref);
  f->policy = sd_sla_policy_new_msa_enterprise ();
  /* The tests of pauses need a contract that pauses before the response;
   * the shipped ones do not (see test_no_pause_before_response). */
  sd_sla_policy_set_pause_before_response (f->policy, TRUE);
  f->pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->c);
  g_clear_pointer (&f->events, g_ptr_array_unref);
  g_clear_object (&f->policy);
  g_clear_pointer (&f->pauses, g_array_unref);
}

static void
add_change (Fixture      *f,
            const char   *case_id,
            int           minutes,
            SdCaseStatus  from,
            SdCaseStatus  to)
{
  g_ptr_array_add (f->events,
                   sd_case_event_new_status_change (case_id, "user-li-wei",
                                                    f->t0 + minutes * MINUTE, from, to, NULL));
}

static void
build (Fixture *f)
{
  sd_case_build_sla_input (f->c, f->events, f->policy, SD_TIER_MSA_ENTERPRISE,
                           &f->input, f->pauses);
}

static void
assert_pause (Fixture *f,
              guint    i,
              int      start_minutes,
              int      end_minutes)
{
  g_assert_cmpuint (i, <, f->input.n_pauses);
  g_assert_cmpint (f->input.pauses[i].start, ==, f->t0 + start_minutes * MINUTE);
  if (end_minutes < 0)
    g_assert_cmpint (f->input.pauses[i].end, ==, SD_TIME_NONE);
  else
    g_assert_cmpint (f->input.pauses[i].end, ==, f->t0 + end_minutes * MINUTE);
}

/* In and out of waiting_customer twice; events shuffled, with a comment
 * and another case's changes in between. */
static void
test_pauses_in_and_out (Fixture       *f,
                        gconstpointer  data)
{
  add_change (f, CASE_ID, 200, SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_IN_PROGRESS);
  add_change (f, CASE_ID, 10, SD_CASE_STATUS_NEW, SD_CASE_STATUS_IN_PROGRESS);
  add_change (f, OTHER_ID, 20, SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_WAITING_CUSTOMER);
  add_change (f, CASE_ID, 120, SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_WAITING_CUSTOMER);
  g_ptr_array_add (f->events, sd_case_event_new_comment (CASE_ID, NULL, f->t0 + 130 * MINUTE, "n"));
  add_change (f, CASE_ID, 60, SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_WAITING_CUSTOMER);
  add_change (f, CASE_ID, 90, SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_status (f->c, SD_CASE_STATUS_IN_PROGRESS);

  build (f);
  g_assert_cmpint (f->input.tier, ==, SD_TIER_MSA_ENTERPRISE);
  g_assert_cmpint (f->input.severity, ==, 1);
  g_assert_cmpint (f->input.status, ==, SD_CASE_STATUS_IN_PROGRESS);
  g_assert_cmpint (f->input.reported_at, ==, f->t0);
  g_assert_cmpuint (f->input.n_pauses, ==, 2);
  assert_pause (f, 0, 60, 90);
  assert_pause (f, 1, 120, 200);
  g_assert_true (f->input.pauses == &g_array_index (f->pauses, SdSlaSpan, 0));
}

static void
test_still_paused (Fixture       *f,
                   gconstpointer  data)
{
  add_change (f, CASE_ID, 5, SD_CASE_STATUS_NEW, SD_CASE_STATUS_IN_PROGRESS);
  add_change (f, CASE_ID, 45, SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_WAITING_CUSTOMER);
  sd_case_set_status (f->c, SD_CASE_STATUS_WAITING_CUSTOMER);

  build (f);
  g_assert_cmpuint (f->input.n_pauses, ==, 1);
  assert_pause (f, 0, 45, -1);
}

/* The case is authoritative for its current status: a timeline that has
 * not caught up yet still ends paused when the case is waiting. */
static void
test_case_status_wins_after_last_event (Fixture       *f,
                                        gconstpointer  data)
{
  add_change (f, CASE_ID, 5, SD_CASE_STATUS_NEW, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_status (f->c, SD_CASE_STATUS_WAITING_CUSTOMER);

  build (f);
  g_assert_cmpuint (f->input.n_pauses, ==, 1);
  assert_pause (f, 0, 5, -1);
}

static void
test_status_before_first_change (Fixture       *f,
                                 gconstpointer  data)
{
  /* Entered as waiting for the customer, then picked up. */
  add_change (f, CASE_ID, 30, SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_status (f->c, SD_CASE_STATUS_IN_PROGRESS);
  build (f);
  g_assert_cmpuint (f->input.n_pauses, ==, 1);
  assert_pause (f, 0, 0, 30);

  /* No change at all: the case's status has held since the report. */
  g_ptr_array_set_size (f->events, 0);
  sd_case_set_status (f->c, SD_CASE_STATUS_WAITING_CUSTOMER);
  build (f);
  g_assert_cmpuint (f->input.n_pauses, ==, 1);
  assert_pause (f, 0, 0, -1);

  sd_case_set_status (f->c, SD_CASE_STATUS_NEW);
  build (f);
  g_assert_cmpuint (f->input.n_pauses, ==, 0);
  g_assert_null (f->input.pauses);
}

/* A change recorded before the (corrected) report time counts from it. */
static void
test_change_before_report (Fixture       *f,
                           gconstpointer  data)
{
  add_change (f, CASE_ID, -30, SD_CASE_STATUS_NEW, SD_CASE_STATUS_WAITING_CUSTOMER);
  add_change (f, CASE_ID, 20, SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_status (f->c, SD_CASE_STATUS_IN_PROGRESS);
  build (f);
  g_assert_cmpuint (f->input.n_pauses, ==, 1);
  assert_pause (f, 0, 0, 20);
}

/* Consecutive pausing statuses give one span. */
static void
test_adjacent_pauses_merge (Fixture       *f,
                            gconstpointer  data)
{
  sd_sla_policy_set_pausing_status (f->policy, SD_CASE_STATUS_RESOLVED, TRUE);
  add_change (f, CASE_ID, 10, SD_CASE_STATUS_NEW, SD_CASE_STATUS_WAITING_CUSTOMER);
  add_change (f, CASE_ID, 40, SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_RESOLVED);
  add_change (f, CASE_ID, 70, SD_CASE_STATUS_RESOLVED, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_status (f->c, SD_CASE_STATUS_IN_PROGRESS);
  build (f);
  g_assert_cmpuint (f->input.n_pauses, ==, 1);
  assert_pause (f, 0, 10, 70);
}

static void
test_response_from_event_or_field (Fixture       *f,
                                   gconstpointer  data)
{
  g_ptr_array_add (f->events, sd_case_event_new_response_given (CASE_ID, NULL, f->t0 + 25 * MINUTE, NULL));
  g_ptr_array_add (f->events, sd_case_event_new_response_given (CASE_ID, NULL, f->t0 + 12 * MINUTE, NULL));
  g_ptr_array_add (f->events, sd_case_event_new_response_given (OTHER_ID, NULL, f->t0 + 1 * MINUTE, NULL));

  build (f);
  g_assert_cmpint (f->input.responded_at, ==, f->t0 + 12 * MINUTE);

  sd_case_set_responded_at (f->c, f->t0 + 20 * MINUTE);
  build (f);
  g_assert_cmpint (f->input.responded_at, ==, f->t0 + 20 * MINUTE);

  g_ptr_array_set_size (f->events, 0);
  sd_case_set_responded_at (f->c, SD_TIME_NONE);
  build (f);
  g_assert_cmpint (f->input.responded_at, ==, SD_TIME_NONE);
}

static void
test_last_daily_report (Fixture       *f,
                        gconstpointer  data)
{
  build (f);
  g_assert_cmpint (f->input.last_daily_report_at, ==, SD_TIME_NONE);

  g_ptr_array_add (f->events, sd_case_event_new_daily_report_sent (CASE_ID, NULL, f->t0 + 2880 * MINUTE,
                                                                   SD_REPORT_CHANNEL_PHONE, NULL));
  g_ptr_array_add (f->events, sd_case_event_new_daily_report_sent (CASE_ID, NULL, f->t0 + 1440 * MINUTE,
                                                                   SD_REPORT_CHANNEL_EMAIL, NULL));
  build (f);
  g_assert_cmpint (f->input.last_daily_report_at, ==, f->t0 + 2880 * MINUTE);
}

/* Severity 1 is 30 minutes on the 24×7 clock: 10 minutes counted, a
 * 30-minute wait for the customer, then the clock runs again. */
static void
test_compute (Fixture       *f,
              gconstpointer  data)
{
  SdSlaResult result;

  add_change (f, CASE_ID, 2, SD_CASE_STATUS_NEW, SD_CASE_STATUS_IN_PROGRESS);
  add_change (f, CASE_ID, 10, SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_WAITING_CUSTOMER);
  add_change (f, CASE_ID, 40, SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_status (f->c, SD_CASE_STATUS_IN_PROGRESS);

  sd_case_compute_sla (f->c, f->events, f->policy, NULL, SD_TIER_MSA_ENTERPRISE,
                       f->t0 + 45 * MINUTE, &result);
  g_assert_cmpint (result.response.clock, ==, SD_CLOCK_24X7);
  g_assert_cmpint (result.response.target, ==, 30 * MINUTE);
  g_assert_cmpint (result.response.elapsed, ==, 15 * MINUTE);
  g_assert_cmpint (result.response.due, ==, f->t0 + 60 * MINUTE);
  g_assert_cmpint (result.response.state, ==, SD_SLA_RUNNING);
  g_assert_true (result.has_daily_report);

  /* Without the timeline the same instant is already breached. */
  sd_case_compute_sla (f->c, NULL, f->policy, NULL, SD_TIER_MSA_ENTERPRISE,
                       f->t0 + 45 * MINUTE, &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_BREACHED);

  /* A response given at minute 50 is on time thanks to the pause. */
  g_ptr_array_add (f->events, sd_case_event_new_response_given (CASE_ID, NULL, f->t0 + 50 * MINUTE, NULL));
  sd_case_compute_sla (f->c, f->events, f->policy, NULL, SD_TIER_MSA_ENTERPRISE,
                       f->t0 + 120 * MINUTE, &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_MET);
  g_assert_cmpint (result.response.elapsed, ==, 20 * MINUTE);
}

static void
test_compute_paused_now (Fixture       *f,
                         gconstpointer  data)
{
  SdSlaResult result;

  add_change (f, CASE_ID, 10, SD_CASE_STATUS_NEW, SD_CASE_STATUS_WAITING_CUSTOMER);
  sd_case_set_status (f->c, SD_CASE_STATUS_WAITING_CUSTOMER);
  sd_case_compute_sla (f->c, f->events, f->policy, NULL, SD_TIER_MSA_ENTERPRISE,
                       f->t0 + 100 * MINUTE, &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_PAUSED);
  g_assert_cmpint (result.response.elapsed, ==, 10 * MINUTE);
  /* Projected as if the clock resumed now. */
  g_assert_cmpint (result.response.due, ==, f->t0 + 120 * MINUTE);
}

/* A correction of the report time is on the timeline for people; the
 * engine counts from the case's reported_at, which already holds it. */
static void
test_report_time_change_ignored (Fixture       *f,
                                 gconstpointer  data)
{
  add_change (f, CASE_ID, 30, SD_CASE_STATUS_NEW, SD_CASE_STATUS_WAITING_CUSTOMER);
  g_ptr_array_add (f->events, sd_case_event_new_report_time_change (CASE_ID, "user-wang", f->t0 + 40 * MINUTE,
                                                                    f->t0 - 60 * MINUTE, f->t0, "Hotline log"));
  sd_case_set_status (f->c, SD_CASE_STATUS_WAITING_CUSTOMER);

  build (f);
  g_assert_cmpint (f->input.reported_at, ==, f->t0);
  g_assert_cmpint (f->input.responded_at, ==, SD_TIME_NONE);
  g_assert_cmpint (f->input.last_daily_report_at, ==, SD_TIME_NONE);
  g_assert_cmpint (f->input.status, ==, SD_CASE_STATUS_WAITING_CUSTOMER);
  g_assert_cmpuint (f->input.n_pauses, ==, 1);
  assert_pause (f, 0, 30, -1);
}

/* The shipped contract does not pause the response clock: a case waiting
 * for the customer before any response keeps counting, and a case entered
 * as waiting two days after its report is breached, not parked. */
static void
test_no_pause_before_response (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(SdSlaPolicy) shipped = sd_sla_policy_new_msa_enterprise ();
  SdSlaResult result;

  g_assert_false (sd_sla_policy_get_pause_before_response (shipped));
  add_change (f, CASE_ID, 10, SD_CASE_STATUS_NEW, SD_CASE_STATUS_WAITING_CUSTOMER);
  sd_case_set_status (f->c, SD_CASE_STATUS_WAITING_CUSTOMER);

  sd_case_build_sla_input (f->c, f->events, shipped, SD_TIER_MSA_ENTERPRISE, &f->input, f->pauses);
  g_assert_cmpuint (f->input.n_pauses, ==, 0);
  g_assert_null (f->input.pauses);

  sd_case_compute_sla (f->c, f->events, shipped, NULL, SD_TIER_MSA_ENTERPRISE,
                       f->t0 + 20 * MINUTE, &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_RUNNING);
  g_assert_cmpint (result.response.elapsed, ==, 20 * MINUTE);
  g_assert_cmpint (result.response.due, ==, f->t0 + 30 * MINUTE);

  /* No timeline at all, waiting since it was entered, two days on. */
  g_ptr_array_set_size (f->events, 0);
  sd_case_compute_sla (f->c, f->events, shipped, NULL, SD_TIER_MSA_ENTERPRISE,
                       f->t0 + 2 * 24 * 60 * MINUTE, &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_BREACHED);
  g_assert_cmpint (result.response.elapsed, ==, 2 * 24 * 60 * MINUTE);

  /* The same case under a contract that does pause: parked. */
  sd_case_compute_sla (f->c, f->events, f->policy, NULL, SD_TIER_MSA_ENTERPRISE,
                       f->t0 + 2 * 24 * 60 * MINUTE, &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_PAUSED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/case-sla/pauses-in-and-out", test_pauses_in_and_out);
  ADD ("/case-sla/still-paused", test_still_paused);
  ADD ("/case-sla/case-status-wins-after-last-event", test_case_status_wins_after_last_event);
  ADD ("/case-sla/status-before-first-change", test_status_before_first_change);
  ADD ("/case-sla/change-before-report", test_change_before_report);
  ADD ("/case-sla/adjacent-pauses-merge", test_adjacent_pauses_merge);
  ADD ("/case-sla/response-from-event-or-field", test_response_from_event_or_field);
  ADD ("/case-sla/last-daily-report", test_last_daily_report);
  ADD ("/case-sla/compute", test_compute);
  ADD ("/case-sla/compute-paused-now", test_compute_paused_now);
  ADD ("/case-sla/report-time-change-ignored", test_report_time_change_ignored);
  ADD ("/case-sla/no-pause-before-response", test_no_pause_before_response);
#undef ADD
  return g_test_run ();
}
