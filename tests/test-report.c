/* test-report.c — reports against a hand-built data set with known answers,
 * the service-request workflows and the CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <supportdesk.h>

#include "pdf-test-util.h"

/* The hand-built quarter: customer cust-a (Asia/Shanghai, cn-mainland
 * calendar, MSA Enterprise, zh_CN), 2026Q3, evaluated at
 * 2026-10-01 01:00 Shanghai time. Expected answers are worked out in the
 * comments of build_data(). */
#define NOW "2026-10-01T01:00:00+08:00"

typedef struct {
  GPtrArray *customers;
  GPtrArray *cases;
  GPtrArray *events;
  GPtrArray *policies;
  SdReportInput input;
} Fixture;

static gint64
t (const char *text)
{
  gint64 value = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_time_parse_iso8601 (text, NULL, &value, &error));
  g_assert_no_error (error);
  return value;
}

static SdCase *
add_case (Fixture    *f,
          const char *number,
          const char *customer,
          SdCaseType  type,
          int         severity,
          SdCaseStatus status,
          const char *reported,
          const char *responded,
          const char *resolved,
          const char *title)
{
  SdCase *kase = sd_case_new (NULL);

  sd_case_set_number (kase, number);
  sd_case_set_customer_id (kase, customer);
  sd_case_set_title (kase, title ? title : number);
  sd_case_set_case_type (kase, type);
  sd_case_set_severity (kase, severity);
  sd_case_set_status (kase, status);
  sd_case_set_reported_at (kase, t (reported));
  sd_case_set_reported_via (kase, SD_REPORTED_VIA_PHONE);
  if (responded != NULL)
    sd_case_set_responded_at (kase, t (responded));
  if (resolved != NULL)
    sd_case_set_resolved_at (kase, t (resolved));
  g_ptr_array_add (f->cases, kase);
  return kase;
}

static void
add_event (Fixture     *f,
           SdCaseEvent *event)
{
  g_ptr_array_add (f->events, event);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  SdCustomer *a = sd_customer_new ("cust-a");
  SdCustomer *b = sd_customer_new ("cust-b");
  SdCase *c;

  f->customers = g_ptr_array_new_with_free_func (g_object_unref);
  f->cases = g_ptr_array_new_with_free_func (g_object_unref);
  f->events = g_ptr_array_new_with_free_func (g_object_unref);
  f->policies = g_ptr_array_new_with_free_func (g_object_unref);

  /* These customers' contract pauses the clock while waiting for them,
   * also before the first response (c3), and counts a raised severity's
   * target from the report (c4). */
  g_ptr_array_add (f->policies, sd_sla_policy_new_msa_enterprise ());
  sd_sla_policy_set_pause_before_response (f->policies->pdata[0], TRUE);
  sd_sla_policy_set_severity_change (f->policies->pdata[0], SD_SEVERITY_CHANGE_RETROACTIVE);

  sd_customer_set_name (a, "上海示例贸易有限公司");
  sd_customer_set_tier (a, SD_TIER_MSA_ENTERPRISE);
  sd_customer_set_time_zone (a, "Asia/Shanghai");
  sd_customer_set_calendar_id (a, "cn-mainland");
  sd_customer_set_tam_id (a, "user-tam");
  g_ptr_array_add (f->customers, a);
  sd_customer_set_name (b, "Example GmbH");
  sd_customer_set_tier (b, SD_TIER_MSA_ENTERPRISE);
  sd_customer_set_time_zone (b, "UTC");
  sd_customer_set_calendar_id (b, "utc-office");
  sd_customer_set_tam_id (b, "user-tam");
  sd_customer_set_report_language (b, SD_REPORT_LANGUAGE_EN);
  g_ptr_array_add (f->customers, b);

  /* c1 S1: reported 1 July 01:00 Shanghai (still 30 June in UTC: counts in
   * Q3), responded after 20 min: met, 1200 s. */
  add_case (f, "SD-2026-00001", "cust-a", SD_CASE_TYPE_INCIDENT, 1, SD_CASE_STATUS_RESOLVED,
            "2026-07-01T01:00:00+08:00", "2026-07-01T01:20:00+08:00", "2026-07-01T05:00:00+08:00", NULL);
  /* c2 S1: responded (by a response_given event only) after 45 min:
   * missed by 15 min, 2700 s. */
  c = add_case (f, "SD-2026-00002", "cust-a", SD_CASE_TYPE_INCIDENT, 1, SD_CASE_STATUS_CLOSED,
                "2026-07-10T10:00:00+08:00", NULL, "2026-07-11T10:00:00+08:00", NULL);
  add_event (f, sd_case_event_new_response_given (sd_case_get_id (c), "user-tam",
                                                  t ("2026-07-10T10:45:00+08:00"), NULL));
  /* c3 S1: waiting for the customer 10:05–11:05, responded 11:20: 20 min on
   * the clock, met, 1200 s. */
  c = add_case (f, "SD-2026-00003", "cust-a", SD_CASE_TYPE_INCIDENT, 1, SD_CASE_STATUS_RESOLVED,
                "2026-08-05T10:00:00+08:00", "2026-08-05T11:20:00+08:00", "2026-08-06T10:00:00+08:00", NULL);
  add_event (f, sd_case_event_new_status_change (sd_case_get_id (c), "user-tam", t ("2026-08-05T10:05:00+08:00"),
                                                 SD_CASE_STATUS_NEW, SD_CASE_STATUS_WAITING_CUSTOMER, NULL));
  add_event (f, sd_case_event_new_status_change (sd_case_get_id (c), "user-tam", t ("2026-08-05T11:05:00+08:00"),
                                                 SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_IN_PROGRESS, NULL));
  add_event (f, sd_case_event_new_status_change (sd_case_get_id (c), "user-tam", t ("2026-08-06T10:00:00+08:00"),
                                                 SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_RESOLVED, NULL));
  /* c4: reported as S3, raised to S1 after 20 min; under this contract's
   * rule (retroactive) the S1 target counts from the report: responded
   * after 40 min, missed, 2400 s. */
  c = add_case (f, "SD-2026-00004", "cust-a", SD_CASE_TYPE_INCIDENT, 1, SD_CASE_STATUS_RESOLVED,
                "2026-08-12T10:00:00+08:00", "2026-08-12T10:40:00+08:00", "2026-08-13T10:00:00+08:00", NULL);
  add_event (f, sd_case_event_new_severity_change (sd_case_get_id (c), "user-tam", t ("2026-08-12T10:20:00+08:00"),
                                                   3, 1, "Production is down"));
  /* c5 S1: 30 September 23:50, no response at the report's now: breached,
   * missed; open. */
  add_case (f, "SD-2026-00005", "cust-a", SD_CASE_TYPE_INCIDENT, 1, SD_CASE_STATUS_IN_PROGRESS,
            "2026-09-30T23:50:00+08:00", NULL, NULL, NULL);
  /* c6 S3: 30 September 17:00, 6 working hours, 1 used: pending; open. */
  add_case (f, "SD-2026-00006", "cust-a", SD_CASE_TYPE_INCIDENT, 3, SD_CASE_STATUS_NEW,
            "2026-09-30T17:00:00+08:00", NULL, NULL, NULL);
  /* c7 S2: reported in Q2, resolved in Q3: resolved only. */
  add_case (f, "SD-2026-00007", "cust-a", SD_CASE_TYPE_INCIDENT, 2, SD_CASE_STATUS_RESOLVED,
            "2026-06-30T23:00:00+08:00", "2026-07-01T01:00:00+08:00", "2026-07-02T10:00:00+08:00", NULL);
  /* c8 S4 signature change: Monday 17:00 → Tuesday 12:00 = 4 working
   * hours, met, 14400 s. */
  add_case (f, "SD-2026-00008", "cust-a", SD_CASE_TYPE_SIGNATURE_CHANGE, 4, SD_CASE_STATUS_RESOLVED,
            "2026-07-06T17:00:00+08:00", "2026-07-07T12:00:00+08:00", "2026-07-08T10:00:00+08:00", NULL);
  /* c9 S3 private patch: Wednesday 09:00 → Thursday 10:00 = 10 working
   * hours, missed (due Wednesday 15:00), 36000 s. */
  add_case (f, "SD-2026-00009", "cust-a", SD_CASE_TYPE_PRIVATE_PATCH, 3, SD_CASE_STATUS_CLOSED,
            "2026-07-15T09:00:00+08:00", "2026-07-16T10:00:00+08:00", "2026-07-20T10:00:00+08:00",
            "Patch for \"backup agent\", blue screen");
  /* c10 S2 database release: 1 h, met, 3600 s. */
  add_case (f, "SD-2026-00010", "cust-a", SD_CASE_TYPE_DATABASE_RELEASE, 2, SD_CASE_STATUS_RESOLVED,
            "2026-08-20T08:00:00+08:00", "2026-08-20T09:00:00+08:00", "2026-08-21T10:00:00+08:00", NULL);
  /* c11 S1: reported in Q4. */
  add_case (f, "SD-2026-00011", "cust-a", SD_CASE_TYPE_INCIDENT, 1, SD_CASE_STATUS_NEW,
            "2026-10-01T00:30:00+08:00", NULL, NULL, NULL);
  /* c12 S1 of the other customer (English reports), open. */
  c = add_case (f, "SD-2026-00012", "cust-b", SD_CASE_TYPE_INCIDENT, 1, SD_CASE_STATUS_IN_PROGRESS,
                "2026-09-30T10:00:00Z", "2026-09-30T10:20:00Z", NULL, "Mail gateway crash");
  add_event (f, sd_case_event_new_comment (sd_case_get_id (c), "user-tam", t ("2026-09-30T11:00:00Z"),
                                           "Collected a memory dump"));
  add_event (f, sd_case_event_new_daily_report_sent (sd_case_get_id (c), "user-tam", t ("2026-09-30T12:00:00Z"),
                                                     SD_REPORT_CHANNEL_EMAIL, NULL));
  add_event (f, sd_case_event_new_comment_full (sd_case_get_id (c), "user-tam", t ("2026-09-30T14:00:00Z"),
                                                TRUE, "Kernel team reproduced the crash"));
  /* An internal note: it never reaches the customer. */
  add_event (f, sd_case_event_new_comment (sd_case_get_id (c), "user-tam", t ("2026-09-30T14:30:00Z"),
                                           "Suspect their half-patched kernel; do not tell them yet"));
  add_event (f, sd_case_event_new_report_time_change (sd_case_get_id (c), "user-tam", t ("2026-09-30T15:00:00Z"),
                                                     t ("2026-09-30T09:50:00Z"), t ("2026-09-30T10:00:00Z"),
                                                     "The first mail bounced"));
  /* c13 S4: open since Q2: an open item. */
  add_case (f, "SD-2026-00013", "cust-a", SD_CASE_TYPE_INCIDENT, 4, SD_CASE_STATUS_WAITING_CUSTOMER,
            "2026-06-15T10:00:00+08:00", "2026-06-15T11:00:00+08:00", NULL, NULL);

  f->input = (SdReportInput) { f->customers, f->cases, f->events, NULL, f->policies };
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_ptr_array_unref (f->customers);
  g_ptr_array_unref (f->cases);
  g_ptr_array_unref (f->events);
  g_ptr_array_unref (f->policies);
}

static const char *
number_of (SdCase *kase)
{
  return sd_case_get_number (kase);
}

static void
test_quarterly_numbers (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdQuarterlyReport) report = NULL;
  SdReportBreach *breach;

  report = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_CUSTOMER, t (NOW), &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpint (report->language, ==, SD_REPORT_LANGUAGE_ZH_CN);
  g_assert_cmpint (report->start, ==, t ("2026-07-01T00:00:00+08:00"));
  g_assert_cmpint (report->end, ==, t ("2026-10-01T00:00:00+08:00"));

  /* Opened and resolved, by severity and type. */
  g_assert_cmpuint (report->opened[0][SD_CASE_TYPE_INCIDENT], ==, 5);
  g_assert_cmpuint (sd_quarterly_report_count_opened (report, 1), ==, 5);
  g_assert_cmpuint (sd_quarterly_report_count_opened (report, 2), ==, 1);
  g_assert_cmpuint (report->opened[1][SD_CASE_TYPE_DATABASE_RELEASE], ==, 1);
  g_assert_cmpuint (report->opened[2][SD_CASE_TYPE_INCIDENT], ==, 1);
  g_assert_cmpuint (report->opened[2][SD_CASE_TYPE_PRIVATE_PATCH], ==, 1);
  g_assert_cmpuint (report->opened[3][SD_CASE_TYPE_SIGNATURE_CHANGE], ==, 1);
  g_assert_cmpuint (sd_quarterly_report_count_opened (report, 4), ==, 1);
  g_assert_cmpuint (sd_quarterly_report_count_resolved (report, 1), ==, 4);
  g_assert_cmpuint (report->resolved[1][SD_CASE_TYPE_INCIDENT], ==, 1);  /* c7, opened in Q2 */
  g_assert_cmpuint (sd_quarterly_report_count_resolved (report, 2), ==, 2);
  g_assert_cmpuint (sd_quarterly_report_count_resolved (report, 3), ==, 1);
  g_assert_cmpuint (sd_quarterly_report_count_resolved (report, 4), ==, 1);

  /* Compliance per severity. */
  g_assert_cmpuint (report->compliance[0].met, ==, 2);
  g_assert_cmpuint (report->compliance[0].missed, ==, 3);
  g_assert_cmpuint (report->compliance[0].pending, ==, 0);
  g_assert_cmpfloat_with_epsilon (report->compliance[0].percent, 40.0, 1e-9);
  g_assert_cmpuint (report->compliance[1].met, ==, 1);
  g_assert_cmpfloat_with_epsilon (report->compliance[1].percent, 100.0, 1e-9);
  g_assert_cmpuint (report->compliance[2].met, ==, 0);
  g_assert_cmpuint (report->compliance[2].missed, ==, 1);
  g_assert_cmpuint (report->compliance[2].pending, ==, 1);
  g_assert_cmpfloat_with_epsilon (report->compliance[2].percent, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (report->compliance[3].percent, 100.0, 1e-9);
  g_assert_cmpuint (report->compliance_total.met, ==, 4);
  g_assert_cmpuint (report->compliance_total.missed, ==, 4);
  g_assert_cmpuint (report->compliance_total.pending, ==, 1);
  g_assert_cmpfloat_with_epsilon (report->compliance_total.percent, 50.0, 1e-9);

  /* Response times: S1 1200, 1200, 2400, 2700. */
  g_assert_cmpuint (report->response_times[0].n, ==, 4);
  g_assert_cmpint (report->response_times[0].median, ==, 1800);
  g_assert_cmpint (report->response_times[0].p90, ==, 2700);
  g_assert_cmpint (report->response_times[1].median, ==, 3600);
  g_assert_cmpint (report->response_times[2].median, ==, 36000);  /* working seconds */
  g_assert_cmpint (report->response_times[3].median, ==, 14400);
  g_assert_cmpint (report->response_times[3].p90, ==, 14400);
  g_assert_cmpint (report->clocks[2], ==, SD_CLOCK_BUSINESS);

  /* Months: July 2/4, August 2/3, September 0/1. */
  g_assert_cmpuint (report->monthly[0].met, ==, 2);
  g_assert_cmpuint (report->monthly[0].missed, ==, 2);
  g_assert_cmpfloat_with_epsilon (report->monthly[1].percent, 200.0 / 3, 1e-9);
  g_assert_cmpuint (report->monthly[2].missed, ==, 1);
  g_assert_cmpuint (report->monthly[2].pending, ==, 1);
  g_assert_cmpint (sd_quarterly_report_get_month (report, 2), ==, 9);

  /* Breaches by due time, with their causes. */
  g_assert_cmpuint (report->breaches->len, ==, 4);
  g_assert_cmpstr (number_of (((SdReportBreach *) report->breaches->pdata[0])->kase), ==, "SD-2026-00002");
  g_assert_cmpstr (number_of (((SdReportBreach *) report->breaches->pdata[1])->kase), ==, "SD-2026-00009");
  g_assert_cmpstr (number_of (((SdReportBreach *) report->breaches->pdata[2])->kase), ==, "SD-2026-00004");
  g_assert_cmpstr (number_of (((SdReportBreach *) report->breaches->pdata[3])->kase), ==, "SD-2026-00005");
  breach = report->breaches->pdata[0];
  g_assert_cmpint (breach->state, ==, SD_SLA_MISSED);
  g_assert_cmpint (breach->overdue, ==, 900);
  g_assert_cmpint (breach->responded_at, ==, t ("2026-07-10T10:45:00+08:00"));
  g_assert_nonnull (strstr (breach->cause, "15 分钟"));
  breach = report->breaches->pdata[1];
  g_assert_cmpint (breach->due, ==, t ("2026-07-15T15:00:00+08:00"));
  g_assert_cmpint (breach->overdue, ==, 4 * 3600);
  breach = report->breaches->pdata[2];
  g_assert_nonnull (strstr (breach->cause, "Production is down"));
  g_assert_nonnull (strstr (breach->cause, "中型"));
  breach = report->breaches->pdata[3];
  g_assert_cmpint (breach->state, ==, SD_SLA_BREACHED);
  g_assert_cmpint (breach->responded_at, ==, SD_TIME_NONE);
  g_assert_nonnull (strstr (breach->cause, "尚未响应"));

  /* Open items: c5 (S1), c6 (S3), c13 (S4, open since Q2). */
  g_assert_cmpuint (report->open_items->len, ==, 3);
  g_assert_cmpstr (number_of (((SdReportOpenItem *) report->open_items->pdata[0])->kase), ==, "SD-2026-00005");
  g_assert_cmpstr (number_of (((SdReportOpenItem *) report->open_items->pdata[1])->kase), ==, "SD-2026-00006");
  g_assert_cmpstr (number_of (((SdReportOpenItem *) report->open_items->pdata[2])->kase), ==, "SD-2026-00013");
}

static void
test_quarterly_errors (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  int year = 0, quarter = 0;
  SdQuarterlyReport *report;

  report = sd_quarterly_report_build (&f->input, "cust-x", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), &error);
  g_assert_null (report);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "cust-x"));
  g_clear_error (&error);

  g_assert_true (sd_report_parse_quarter ("2026Q3", &year, &quarter, &error));
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (quarter, ==, 3);
  g_assert_true (sd_report_parse_quarter ("2025-q1", &year, &quarter, NULL));
  g_assert_cmpint (quarter, ==, 1);
  for (guint i = 0; i < 4; i++)
    {
      const char *bad[] = { "2026Q5", "2026", "Q3 2026", "20263" };

      g_assert_false (sd_report_parse_quarter (bad[i], &year, &quarter, &error));
      g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
}

static void
test_daily_report (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SdDailyReport) report = NULL;
  g_autoptr(SdDailyReport) english = NULL;
  g_autoptr(SdDailyReport) other_tam = NULL;
  SdDailyReportItem *zh, *en;
  g_autofree char *subject = NULL;
  const char *query;

  /* At 30 Sep 17:00 UTC, by daily-report due time: c12 (cust-b, report
   * sent at 12:00), c5 and c11 (cust-a, 24 h after their report times). */
  report = sd_daily_report_build (&f->input, "user-tam", SD_REPORT_LANGUAGE_CUSTOMER, t (NOW));
  g_assert_cmpuint (report->items->len, ==, 3);
  g_assert_cmpstr (sd_case_get_number (((SdDailyReportItem *) report->items->pdata[2])->kase), ==, "SD-2026-00011");
  en = report->items->pdata[0];
  zh = report->items->pdata[1];
  g_assert_cmpstr (sd_case_get_number (en->kase), ==, "SD-2026-00012");
  g_assert_cmpint (en->language, ==, SD_REPORT_LANGUAGE_EN);
  g_assert_cmpint (en->since, ==, t ("2026-09-30T12:00:00Z"));
  g_assert_cmpint (en->sla.daily_report.due, ==, t ("2026-10-01T12:00:00Z"));
  g_assert_cmpstr (en->subject, ==, "[SD-2026-00012] Daily status report: Mail gateway crash");
  g_assert_nonnull (strstr (en->body, "Since the last report (2026-09-30 12:00)"));
  g_assert_nonnull (strstr (en->body, "Kernel team reproduced the crash"));
  g_assert_nonnull (strstr (en->body, "Report time changed from 2026-09-30 09:50 to 2026-09-30 10:00: "
                                     "The first mail bounced"));
  g_assert_null (strstr (en->body, "memory dump"));  /* before the last report */
  g_assert_null (strstr (en->body, "half-patched"));  /* internal */
  g_assert_null (strstr (en->mailto, "half-patched"));
  g_assert_cmpuint (en->n_missed, ==, 0);
  g_assert_null (strstr (en->body, "No report was sent"));
  g_assert_nonnull (strstr (en->body, "Current status: In progress"));
  g_assert_nonnull (strstr (en->body, "Response time target: met"));
  g_assert_nonnull (strstr (en->body, "Next status report by 2026-10-01 12:00"));

  g_assert_cmpstr (sd_case_get_number (zh->kase), ==, "SD-2026-00005");
  g_assert_cmpint (zh->language, ==, SD_REPORT_LANGUAGE_ZH_CN);
  g_assert_nonnull (strstr (zh->subject, "每日状态报告"));
  /* No report was ever sent: the case's report time is not "the last
   * report". */
  g_assert_nonnull (strstr (zh->body, "自案例报告（2026-09-30 23:50）以来"));
  g_assert_null (strstr (zh->body, "自上次报告"));
  g_assert_nonnull (strstr (zh->body, "无新的进展"));
  g_assert_nonnull (strstr (zh->body, "当前状态：处理中"));
  g_assert_nonnull (strstr (zh->body, "响应时间目标：已超时"));
  g_assert_nonnull (strstr (zh->body, "值班经理"));

  /* The mailto: URI carries subject and body, percent-encoded, CRLF. */
  g_assert_true (g_str_has_prefix (en->mailto, "mailto:?subject="));
  g_assert_null (strchr (en->mailto, ' '));
  g_assert_null (strchr (en->mailto, '\n'));
  g_assert_nonnull (strstr (en->mailto, "%0D%0A"));
  query = strstr (en->mailto, "&body=");
  g_assert_nonnull (query);
  {
    g_autofree char *encoded = g_strndup (en->mailto + strlen ("mailto:?subject="),
                                          query - en->mailto - strlen ("mailto:?subject="));
    subject = g_uri_unescape_string (encoded, NULL);
  }
  g_assert_cmpstr (subject, ==, en->subject);
  {
    g_autofree char *body = g_uri_unescape_string (query + strlen ("&body="), NULL);
    g_autofree char *expected = NULL;
    g_auto(GStrv) lines = g_strsplit (en->body, "\n", -1);

    expected = g_strjoinv ("\r\n", lines);
    g_assert_cmpstr (body, ==, expected);
  }

  /* The language can be forced, whatever the customer's. */
  english = sd_daily_report_build (&f->input, "user-tam", SD_REPORT_LANGUAGE_EN, t (NOW));
  zh = english->items->pdata[1];
  g_assert_nonnull (strstr (zh->body, "Current status: In progress"));
  g_assert_nonnull (strstr (zh->body, "duty manager"));
  /* …and the other way round: the English customer's case in Chinese. */
  {
    g_autoptr(SdDailyReport) chinese = sd_daily_report_build (&f->input, "user-tam", SD_REPORT_LANGUAGE_ZH_CN,
                                                              t (NOW));

    en = chinese->items->pdata[0];
    g_assert_nonnull (strstr (en->body, "报告时间由 2026-09-30 09:50 更正为 2026-09-30 10:00：The first mail bounced"));
  }

  other_tam = sd_daily_report_build (&f->input, "user-other", SD_REPORT_LANGUAGE_EN, t (NOW));
  g_assert_cmpuint (other_tam->items->len, ==, 0);
}

/* SD-2026-00038: open 2.2 days, no report ever sent. The report says so,
 * promises the next one in the future, goes to the contacts who receive
 * daily reports and is signed by its sender. */
static void
test_daily_report_overdue (void)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_object_unref);
  SdCustomer *customer = sd_customer_new ("cust-pj");
  SdCase *kase = sd_case_new (NULL);
  gint64 reported = t ("2026-12-02T19:25:00+08:00");
  gint64 now = reported + 2 * 86400 + 86400 / 5;   /* 2.2 days: 5 Dec 00:13 */
  static const char * const contact_json[] = {
    "{\"id\": \"ct-1\", \"customer_id\": \"cust-pj\", \"name\": \"王磊\", \"email\": \"wang.lei@pj-bank.example\","
    " \"roles\": [\"daily_report\", \"quarterly_report\"]}",
    "{\"id\": \"ct-2\", \"customer_id\": \"cust-pj\", \"name\": \"赵敏\", \"email\": \"zhao.min@pj-bank.example\","
    " \"roles\": [\"quarterly_report\"]}",
    "{\"id\": \"ct-3\", \"customer_id\": \"cust-pj\", \"name\": \"Old\", \"email\": \"old@pj-bank.example\","
    " \"roles\": [\"daily_report\"], \"archived\": true}",
    "{\"id\": \"ct-4\", \"customer_id\": \"cust-pj\", \"name\": \"孙丽\", \"email\": \"sun.li@pj-bank.example\","
    " \"roles\": [\"daily_report\"]}",
    "{\"id\": \"ct-5\", \"customer_id\": \"cust-other\", \"name\": \"X\", \"email\": \"x@other.example\","
    " \"roles\": [\"daily_report\"]}",
  };
  SdReportInput input = { 0 };
  SdDailyReportItem *item;

  sd_customer_set_name (customer, "上海浦江银行");
  sd_customer_set_tier (customer, SD_TIER_MSA_ENTERPRISE);
  sd_customer_set_time_zone (customer, "Asia/Shanghai");
  sd_customer_set_tam_id (customer, "user-li-na");
  sd_customer_set_report_language (customer, SD_REPORT_LANGUAGE_EN);
  g_ptr_array_add (customers, customer);
  sd_case_set_number (kase, "SD-2026-00038");
  sd_case_set_customer_id (kase, "cust-pj");
  sd_case_set_title (kase, "Core banking hosts lose their update server");
  sd_case_set_case_type (kase, SD_CASE_TYPE_INCIDENT);
  sd_case_set_severity (kase, 1);
  sd_case_set_status (kase, SD_CASE_STATUS_IN_PROGRESS);
  sd_case_set_reported_at (kase, reported);
  sd_case_set_reported_via (kase, SD_REPORTED_VIA_HOTLINE);
  sd_case_set_responded_at (kase, reported + 20 * 60);
  g_ptr_array_add (cases, kase);
  g_ptr_array_add (events, sd_case_event_new_comment_full (sd_case_get_id (kase), "user-li-na", reported + 3600,
                                                          TRUE, "Collected the agent logs from 12 hosts"));
  g_ptr_array_add (events, sd_case_event_new_comment (sd_case_get_id (kase), "user-li-na", reported + 7200,
                                                     "Internal: the fix from R&D is late again"));
  for (guint i = 0; i < G_N_ELEMENTS (contact_json); i++)
    {
      g_autoptr(JsonNode) node = sd_json_parse (contact_json[i], -1, NULL);
      g_autoptr(GError) error = NULL;
      SdContact *contact = sd_contact_from_json (node, NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (contacts, contact);
    }
  input.customers = customers;
  input.cases = cases;
  input.events = events;
  input.contacts = contacts;
  input.sender_name = (char *) "Li Na";

  {
    g_autoptr(SdDailyReport) report = sd_daily_report_build (&input, NULL, SD_REPORT_LANGUAGE_CUSTOMER, now);

    g_assert_cmpuint (report->items->len, ==, 1);
    item = report->items->pdata[0];
    g_test_message ("%s", item->body);
    g_assert_cmpint (item->since, ==, reported);
    g_assert_null (strstr (item->body, "Since the last report"));
    g_assert_nonnull (strstr (item->body, "Since the case was reported (2026-12-02 19:25):"));
    g_assert_cmpuint (item->n_missed, ==, 2);
    g_assert_nonnull (strstr (item->body, "No report was sent on 3 Dec and 4 Dec; this report covers 2–5 Dec."));
    g_assert_nonnull (strstr (item->body, "Collected the agent logs"));
    g_assert_null (strstr (item->body, "R&D is late"));
    /* The next report: after now, on the daily cadence. */
    g_assert_cmpint (item->next_due, >, now);
    g_assert_cmpint (item->next_due, ==, reported + 3 * 86400);
    g_assert_nonnull (strstr (item->body, "Next status report by 2026-12-05 19:25."));
    g_assert_null (strstr (item->body, "Next status report by 2026-12-03"));
    /* Addressed and signed. */
    g_assert_cmpuint (g_strv_length (item->recipients), ==, 2);
    g_assert_cmpstr (item->recipients[0], ==, "wang.lei@pj-bank.example");
    g_assert_cmpstr (item->recipients[1], ==, "sun.li@pj-bank.example");
    g_assert_true (g_str_has_prefix (item->mailto,
                                     "mailto:wang.lei@pj-bank.example,sun.li@pj-bank.example?subject="));
    g_assert_nonnull (strstr (item->body, "Best regards,\nLi Na\nTechnical Account Manager\n"));
  }
  {
    g_autoptr(SdDailyReport) report = sd_daily_report_build (&input, NULL, SD_REPORT_LANGUAGE_ZH_CN, now);

    item = report->items->pdata[0];
    g_test_message ("%s", item->body);
    g_assert_nonnull (strstr (item->body, "自案例报告（2026-12-02 19:25）以来："));
    g_assert_nonnull (strstr (item->body, "12月3日和12月4日未发送报告；本报告涵盖12月2日至5日。"));
    g_assert_nonnull (strstr (item->body, "下一份状态报告将于 2026-12-05 19:25 之前发送。"));
    g_assert_null (strstr (item->body, "R&D"));
    g_assert_nonnull (strstr (item->body, "此致\nLi Na\n技术客户经理"));
  }
  /* One sent report on 3 Dec 20:00 (late): only 4 Dec is missing. */
  g_ptr_array_add (events, sd_case_event_new_daily_report_sent (sd_case_get_id (kase), "user-li-na",
                                                               t ("2026-12-03T20:00:00+08:00"),
                                                               SD_REPORT_CHANNEL_EMAIL, NULL));
  {
    g_autoptr(SdDailyReport) report = sd_daily_report_build (&input, NULL, SD_REPORT_LANGUAGE_EN, now);

    item = report->items->pdata[0];
    g_assert_cmpint (item->since, ==, t ("2026-12-03T20:00:00+08:00"));
    g_assert_nonnull (strstr (item->body, "Since the last report (2026-12-03 20:00):"));
    g_assert_cmpuint (item->n_missed, ==, 1);
    g_assert_nonnull (strstr (item->body, "No report was sent on 4 Dec; this report covers 3–5 Dec."));
    g_assert_nonnull (strstr (item->body, "Next status report by 2026-12-05 20:00."));
  }
}

/* An RFC 4180 reader: records of fields; quoted fields may hold commas,
 * doubled quotes and line breaks. */
static GPtrArray *
parse_csv (const char *text,
           gsize       length)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text, *end = text + length;
  gboolean quoted = FALSE;

  g_assert_true (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0);
  p += 3;
  while (p < end)
    {
      if (quoted)
        {
          if (*p == '"' && p + 1 < end && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p += 2;
            }
          else if (*p == '"')
            {
              quoted = FALSE;
              p++;
            }
          else
            g_string_append_c (field, *p++);
        }
      else if (*p == '"')
        {
          g_assert_cmpuint (field->len, ==, 0);
          quoted = TRUE;
          p++;
        }
      else if (*p == ',')
        {
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          p++;
        }
      else if (*p == '\r')
        {
          g_assert_true (p + 1 < end && p[1] == '\n');
          g_ptr_array_add (record, g_string_free (field, FALSE));
          field = g_string_new (NULL);
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
          p += 2;
        }
      else
        {
          g_assert_cmpint (*p, !=, '\n');  /* bare LF only inside quotes */
          g_string_append_c (field, *p++);
        }
    }
  g_assert_false (quoted);
  g_assert_cmpuint (field->len, ==, 0);
  g_string_free (field, TRUE);
  g_ptr_array_unref (record);
  return records;
}

static const char *
cell (GPtrArray *records,
      guint      r,
      guint      c)
{
  GPtrArray *record = records->pdata[r];

  g_assert_cmpuint (c, <, record->len);
  return record->pdata[c];
}

static void
test_custom_report (Fixture       *f,
                    gconstpointer  data)
{
  const char *customers[] = { "cust-a", NULL };
  SdReportFilter filter = { customers, 0, 0, (1u << 1) | (1u << 3), 0, 0 };
  g_autoptr(SdCustomReport) report = NULL;
  g_autoptr(SdCustomReport) open = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *text = NULL;
  GDate date;
  gsize length;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 7, 2026);
  filter.from = g_date_get_julian (&date);
  g_date_set_dmy (&date, 31, 7, 2026);
  filter.to = g_date_get_julian (&date);

  /* July, S1 and S3, cust-a: c1 (1 July 01:00 local), c2, c9. */
  report = sd_custom_report_build (&f->input, &filter, SD_REPORT_LANGUAGE_EN, t (NOW));
  g_assert_cmpuint (report->total, ==, 3);
  g_assert_cmpuint (report->rows->len, ==, 3);
  g_assert_cmpstr (sd_case_get_number (((SdCustomReportRow *) report->rows->pdata[0])->kase), ==, "SD-2026-00001");
  g_assert_cmpstr (sd_case_get_number (((SdCustomReportRow *) report->rows->pdata[2])->kase), ==, "SD-2026-00009");
  g_assert_cmpint (((SdCustomReportRow *) report->rows->pdata[2])->response_time, ==, 36000);
  g_assert_cmpuint (report->by_severity[0], ==, 2);
  g_assert_cmpuint (report->by_severity[2], ==, 1);
  g_assert_cmpuint (report->compliance.met, ==, 1);
  g_assert_cmpuint (report->compliance.missed, ==, 2);
  g_assert_cmpuint (report->resolved, ==, 3);

  /* CSV parsed back: BOM, header, 3 rows, the totals; quotes and commas. */
  csv = sd_custom_report_to_csv (report, &length);
  g_assert_cmpuint (length, ==, strlen (csv));
  records = parse_csv (csv, length);
  g_assert_cmpuint (records->len, ==, 5);
  g_assert_cmpstr (cell (records, 0, 0), ==, "Case");
  g_assert_cmpuint (((GPtrArray *) records->pdata[1])->len, ==, 9);
  g_assert_cmpstr (cell (records, 3, 2), ==, "Patch for \"backup agent\", blue screen");
  g_assert_cmpstr (cell (records, 3, 7), ==, "missed");
  g_assert_cmpstr (cell (records, 3, 8), ==, "36000");
  g_assert_cmpstr (cell (records, 4, 0), ==, "Total");
  g_assert_nonnull (strstr (cell (records, 4, 1), "compliance 33.3%"));

  text = sd_custom_report_to_text (report);
  g_assert_nonnull (strstr (text, "SD-2026-00009"));
  g_assert_nonnull (strstr (text, "Total 3; open 0; resolved 3"));

  /* Open incidents of every customer, any time. */
  filter = (SdReportFilter) { NULL, 0, 0, 0, 1u << SD_CASE_TYPE_INCIDENT,
                              (1u << SD_CASE_STATUS_NEW) | (1u << SD_CASE_STATUS_IN_PROGRESS)
                              | (1u << SD_CASE_STATUS_WAITING_CUSTOMER) };
  open = sd_custom_report_build (&f->input, &filter, SD_REPORT_LANGUAGE_ZH_CN, t (NOW));
  g_assert_cmpuint (open->total, ==, 5);  /* c5, c6, c11, c12, c13 */
  g_assert_cmpuint (open->open, ==, 5);
}

static void
test_quarterly_csv (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SdQuarterlyReport) report = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *csv = NULL;
  gsize length;
  gboolean found_s1 = FALSE, found_breach = FALSE;

  report = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  sd_quarterly_report_set_health_check_status (report, "Completed on 2026-08-18, score 87 %");
  csv = sd_quarterly_report_to_csv (report, &length);
  records = parse_csv (csv, length);
  g_assert_cmpstr (cell (records, 0, 1), ==, "上海示例贸易有限公司");
  g_assert_cmpstr (cell (records, 0, 2), ==, "2026Q3");
  g_assert_cmpstr (cell (records, 1, 1), ==, "Completed on 2026-08-18, score 87 %");
  for (guint r = 0; r < records->len; r++)
    {
      GPtrArray *record = records->pdata[r];

      if (record->len >= 9 && g_str_equal (record->pdata[0], "Response SLA")
          && g_str_equal (record->pdata[1], "Critical"))
        {
          g_assert_cmpstr (record->pdata[2], ==, "2");
          g_assert_cmpstr (record->pdata[3], ==, "3");
          g_assert_cmpstr (record->pdata[5], ==, "40.0");
          g_assert_cmpstr (record->pdata[6], ==, "1800");
          g_assert_cmpstr (record->pdata[7], ==, "2700");
          found_s1 = TRUE;
        }
      if (record->len >= 7 && g_str_equal (record->pdata[0], "Breach")
          && g_str_equal (record->pdata[1], "SD-2026-00004"))
        {
          g_assert_nonnull (strstr (record->pdata[6], "severity raised from Medium to Critical"));
          found_breach = TRUE;
        }
    }
  g_assert_true (found_s1);
  g_assert_true (found_breach);
}

static guint
count_ink (cairo_surface_t *surface)
{
  int stride = cairo_image_surface_get_stride (surface);
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  guint ink = 0;

  cairo_surface_flush (surface);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (((const guint32 *) (gconstpointer) (data + y * stride))[x] != 0xffffffff)
        ink++;
  return ink;
}

static void
test_charts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(SdQuarterlyReport) report = NULL;
  g_autoptr(SdQuarterlyReport) empty = NULL;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 480, 300);
  cairo_t *cr = cairo_create (surface);
  guint ink_full, ink_empty;
  const guint32 *pixels;
  int stride = cairo_image_surface_get_stride (surface);

  report = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_ZH_CN, t (NOW), NULL);
  empty = sd_quarterly_report_build (&f->input, "cust-a", 2025, 1, SD_REPORT_LANGUAGE_ZH_CN, t (NOW), NULL);

  sd_report_draw_compliance_chart (cr, 480, 300, report);
  ink_full = count_ink (surface);
  /* July is at 50 %: the middle of its bar (x = 48 + 424 / 6, y = the
   * plot's bottom minus a quarter of its height) is red (below 80 %). */
  cairo_surface_flush (surface);
  pixels = (const guint32 *) (gconstpointer) (cairo_image_surface_get_data (surface) + (28 + 232 * 3 / 4) * stride);
  g_assert_cmphex (pixels[48 + 424 / 6] & 0xffffff, ==, 0xbf2626);

  sd_report_draw_compliance_chart (cr, 480, 300, empty);
  ink_empty = count_ink (surface);
  g_assert_cmpuint (ink_full, >, ink_empty);

  sd_report_draw_severity_chart (cr, 480, 300, report);
  g_assert_cmpuint (count_ink (surface), >, 1000);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* ------------------------------------------------------------------- PDF */

static char *
write_document (SdDocument *document,
                const char *dir,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (sd_document_write_pdf (document, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_pdf (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("test-report-XXXXXX", NULL);
  g_autoptr(SdQuarterlyReport) zh = NULL;
  g_autoptr(SdQuarterlyReport) en = NULL;
  g_autoptr(SdCustomReport) custom = NULL;
  g_autoptr(SdDailyReport) daily = NULL;
  g_autoptr(SdDocument) document = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *first_page = NULL;
  const char *customers[] = { "cust-a", NULL };
  SdReportFilter filter = { customers, 0, 0, (1u << 1) | (1u << 3), 0, 0 };
  GDate date;

  /* The quarterly report in Chinese: the customer, total and S1 compliance
   * (4 / 8 = 50 %, 2 / 5 = 40 %), S1 median 1800 s = 30 min, a breach cause
   * with the reason of the severity raise, the charts' month labels. */
  zh = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_CUSTOMER, t (NOW), NULL);
  sd_quarterly_report_set_health_check_status (zh, "2026-08-18 完成，得分 87%");
  document = sd_quarterly_report_to_document (zh);
  g_clear_pointer (&zh, sd_quarterly_report_free);  /* the document keeps what it draws */
  path = write_document (document, dir, "quarterly-zh.pdf");
  if (!(text = pdf_text (path, 0)))
    return;
  first_page = pdf_text (path, 1);
  assert_contains (first_page, "季度报告");
  assert_contains (first_page, "上海示例贸易有限公司");
  assert_contains (first_page, "2026 年第 3 季度");
  assert_contains (first_page, "50.0%");
  assert_contains (first_page, "2026-08-18 完成，得分 87%");
  assert_contains (text, "40.0%");
  assert_contains (text, "30 分钟");
  assert_contains (text, "Production is down");
  assert_contains (text, "尚未响应");
  assert_contains (text, "SD-2026-00013");
  assert_contains (text, "2026 年 7 月");   /* compliance chart */
  g_assert_cmpuint (sd_document_get_n_pages (document, SD_DOCUMENT_A4_WIDTH, SD_DOCUMENT_A4_HEIGHT), >=, 2);
  g_clear_object (&document);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&text, g_free);

  /* In English. */
  en = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  document = sd_quarterly_report_to_document (en);
  path = write_document (document, dir, "quarterly-en.pdf");
  text = pdf_text (path, 0);
  assert_contains (text, "Quarterly report");
  assert_contains (text, "2026Q3");
  assert_contains (text, "severity raised from Medium to Critical");
  assert_contains (text, "Compliance per month");
  g_clear_object (&document);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&text, g_free);

  /* The custom report: July, S1 and S3 of cust-a (c1, c2, c9), totals. */
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, 7, 2026);
  filter.from = g_date_get_julian (&date);
  g_date_set_dmy (&date, 31, 7, 2026);
  filter.to = g_date_get_julian (&date);
  custom = sd_custom_report_build (&f->input, &filter, SD_REPORT_LANGUAGE_ZH_CN, t (NOW));
  document = sd_custom_report_to_document (custom);
  path = write_document (document, dir, "custom.pdf");
  text = pdf_text (path, 0);
  assert_contains (text, "案例报告");
  assert_contains (text, "SD-2026-00001");
  assert_contains (text, "SD-2026-00009");
  assert_contains (text, "10 小时");   /* c9: 36000 working seconds */
  assert_contains (text, "合计 3；未结 0；已解决 3");
  assert_contains (text, "达成率 33.3%");
  g_assert_null (strstr (text, "SD-2026-00010"));
  g_clear_object (&document);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&text, g_free);

  /* The daily report: each case in its customer's language. */
  daily = sd_daily_report_build (&f->input, "user-tam", SD_REPORT_LANGUAGE_CUSTOMER, t (NOW));
  document = sd_daily_report_to_document (daily);
  path = write_document (document, dir, "daily.pdf");
  text = pdf_text (path, 0);
  assert_contains (text, "[SD-2026-00012] Daily status report: Mail gateway crash");
  assert_contains (text, "Kernel team reproduced the crash");
  assert_contains (text, "SD-2026-00005");


  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "quarterly-zh.pdf", "quarterly-en.pdf", "custom.pdf", "daily.pdf" };
      g_autofree char *file = g_build_filename (dir, names[i], NULL);

      if (g_getenv ("SD_TEST_KEEP_PDF") == NULL)
        g_assert_cmpint (g_remove (file), ==, 0);
    }
  if (g_getenv ("SD_TEST_KEEP_PDF") == NULL)
    g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ------------------------------------------------------------- workflows */

static void
test_release_steps (void)
{
  g_autoptr(SdCase) kase = sd_case_new (NULL);
  g_autoptr(SdDatabaseRelease) details = sd_database_release_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  SdReleaseStepState states[SD_N_RELEASE_STEPS];
  g_autofree char *zh = NULL;
  g_autofree char *en = NULL;
  const char *id = sd_case_get_id (kase);

  sd_case_set_number (kase, "SD-2026-00042");
  sd_case_set_title (kase, "New ransomware in the LAN");
  sd_case_set_case_type (kase, SD_CASE_TYPE_DATABASE_RELEASE);
  sd_database_release_set_reason (details, "Ransomware");
  sd_database_release_set_database_version (details, "2026.07.01.1200");
  sd_case_set_details (kase, G_OBJECT (details));

  g_assert_cmpint (sd_database_release_next_step (kase, events), ==, SD_RELEASE_STEP_EXPERT_GROUP_RECEIVED);
  g_assert_false (sd_database_release_check_step (kase, events, "fast_update_released", &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "expert_group_received"));
  g_clear_error (&error);
  g_assert_false (sd_database_release_check_step (kase, events, "patch_delivered", &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "event.data.step"));
  g_clear_error (&error);

  g_assert_true (sd_database_release_check_step (kase, events, "expert_group_received", &error));
  g_assert_no_error (error);
  g_ptr_array_add (events, sd_database_release_new_step_event (id, "user-expert", t ("2026-07-01T10:00:00+08:00"),
                                                               SD_RELEASE_STEP_EXPERT_GROUP_RECEIVED, NULL));
  /* Another case's step does not count. */
  g_ptr_array_add (events, sd_database_release_new_step_event ("3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b", "x",
                                                               t ("2026-07-01T09:00:00+08:00"),
                                                               SD_RELEASE_STEP_FAST_UPDATE_RELEASED, NULL));
  g_assert_false (sd_database_release_check_step (kase, events, "expert_group_received", &error));
  g_assert_nonnull (strstr (error->message, "already"));
  g_clear_error (&error);
  g_assert_cmpint (sd_database_release_next_step (kase, events), ==, SD_RELEASE_STEP_FAST_UPDATE_RELEASED);

  en = sd_service_request_notification (kase, events, tz, SD_REPORT_LANGUAGE_EN);
  g_assert_nonnull (strstr (en, "2026-07-01 10:00  Your request for an antivirus database release was received"));
  g_assert_nonnull (strstr (en, "Next step: the expert group prepares a fast database update."));
  g_clear_pointer (&en, g_free);

  g_ptr_array_add (events, sd_database_release_new_step_event (id, "user-expert", t ("2026-07-01T12:30:00+08:00"),
                                                               SD_RELEASE_STEP_FAST_UPDATE_RELEASED, "2026.07.01.1200"));
  g_ptr_array_add (events, sd_database_release_new_step_event (id, "user-tam", t ("2026-07-01T13:00:00+08:00"),
                                                               SD_RELEASE_STEP_CUSTOMER_NOTIFIED, NULL));
  g_assert_cmpuint (sd_database_release_get_steps (kase, events, states), ==, 3);
  g_assert_true (states[1].done);
  g_assert_cmpint (states[1].at, ==, t ("2026-07-01T12:30:00+08:00"));
  g_assert_cmpstr (states[1].author_id, ==, "user-expert");
  g_assert_cmpstr (states[2].author_id, ==, "user-tam");
  g_assert_cmpint (sd_database_release_next_step (kase, events), ==, -1);

  zh = sd_service_request_notification (kase, events, tz, SD_REPORT_LANGUAGE_ZH_CN);
  g_assert_nonnull (strstr (zh, "专家组受理"));
  g_assert_nonnull (strstr (zh, "2026-07-01 12:30  已为 MSA Enterprise 用户发布高优先级（快速）病毒库更新"));
  g_assert_nonnull (strstr (zh, "病毒库版本：2026.07.01.1200"));
  g_assert_nonnull (strstr (zh, "所有步骤均已完成"));
}

static void
test_private_patch_rule (void)
{
  g_autoptr(SdCase) kase = sd_case_new (NULL);
  g_autoptr(SdPrivatePatch) patch = sd_private_patch_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *text = NULL;

  g_assert_true (sd_private_patch_can_be_offered (SD_LIFECYCLE_FULL_SUPPORT, 4, &reason));
  g_assert_null (reason);
  g_assert_true (sd_private_patch_can_be_offered (SD_LIFECYCLE_LIMITED_SUPPORT, 2, &reason));
  g_assert_null (reason);
  g_assert_false (sd_private_patch_can_be_offered (SD_LIFECYCLE_LIMITED_SUPPORT, 3, &reason));
  g_assert_nonnull (strstr (reason, "limited support"));
  g_clear_pointer (&reason, g_free);
  g_assert_false (sd_private_patch_can_be_offered (SD_LIFECYCLE_END_OF_LIFE, 1, &reason));
  g_assert_nonnull (strstr (reason, "end of its life"));

  sd_case_set_title (kase, "Blue screen");
  sd_case_set_case_type (kase, SD_CASE_TYPE_PRIVATE_PATCH);
  sd_case_set_severity (kase, 3);
  sd_private_patch_set_product (patch, "Endpoint Security");
  sd_private_patch_set_product_version (patch, "11.0");
  sd_private_patch_set_problem (patch, "Blue screen");
  sd_private_patch_set_lifecycle_stage (patch, SD_LIFECYCLE_END_OF_LIFE);
  sd_case_set_details (kase, G_OBJECT (patch));

  /* Asking is fine; releasing one is not. */
  g_assert_true (sd_service_request_check (kase, &error));
  text = sd_service_request_notification (kase, NULL, NULL, SD_REPORT_LANGUAGE_EN);
  g_assert_nonnull (strstr (text, "please upgrade"));
  g_clear_pointer (&text, g_free);

  sd_private_patch_set_patch_id (patch, "PP-2026-0007");
  sd_private_patch_set_delivered_on (patch, 2461000);
  g_assert_false (sd_service_request_check (kase, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "case.details.lifecycle_stage"));
  g_clear_error (&error);

  sd_private_patch_set_lifecycle_stage (patch, SD_LIFECYCLE_FULL_SUPPORT);
  g_assert_true (sd_service_request_check (kase, &error));
  g_assert_no_error (error);
  text = sd_service_request_notification (kase, NULL, NULL, SD_REPORT_LANGUAGE_ZH_CN);
  g_assert_nonnull (strstr (text, "专用补丁 PP-2026-0007 已于"));
}

static void
test_signature_change_notification (void)
{
  g_autoptr(SdCase) kase = sd_case_new (NULL);
  g_autoptr(SdSignatureChange) change = sd_signature_change_new (SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE);
  g_autofree char *en = NULL;
  g_autofree char *zh = NULL;

  sd_case_set_title (kase, "False positive on the ERP client");
  sd_case_set_case_type (kase, SD_CASE_TYPE_SIGNATURE_CHANGE);
  sd_signature_change_set_hash (change, "md5:0123456789abcdef0123456789abcdef");
  sd_signature_change_set_detection_name (change, "HEUR:Trojan.Win32.Generic");
  sd_signature_change_set_outcome (change, SD_SIGNATURE_OUTCOME_RELEASED);
  sd_signature_change_set_database_version (change, "2026.07.02.0800");
  sd_case_set_details (kase, G_OBJECT (change));

  en = sd_service_request_notification (kase, NULL, NULL, SD_REPORT_LANGUAGE_EN);
  g_assert_nonnull (strstr (en, "remove the false positive “HEUR:Trojan.Win32.Generic” on md5:0123456789abcdef"));
  g_assert_nonnull (strstr (en, "antivirus database 2026.07.02.0800"));
  zh = sd_service_request_notification (kase, NULL, NULL, SD_REPORT_LANGUAGE_ZH_CN);
  g_assert_nonnull (strstr (zh, "消除对 md5:0123456789abcdef0123456789abcdef 的误报“HEUR:Trojan.Win32.Generic”"));
  g_assert_nonnull (strstr (zh, "病毒库 2026.07.02.0800"));
}

/* The health-check line: where the customer's yearly check stands in the
 * contract year, as of the quarter's last day, in the report's language,
 * also in the CSV and the PDF. */
static void
test_quarterly_health_check (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("test-report-XXXXXX", NULL);
  g_autoptr(GPtrArray) checks = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdHealthCheck) check = sd_health_check_new (NULL);
  g_autoptr(SdQuarterlyReport) none = NULL;
  g_autoptr(SdQuarterlyReport) due = NULL;
  g_autoptr(SdQuarterlyReport) zh = NULL;
  g_autoptr(SdQuarterlyReport) en = NULL;
  g_autoptr(SdQuarterlyReport) uncertified = NULL;
  g_autoptr(SdDocument) document = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  SdCustomer *a = f->customers->pdata[0];
  gsize length;
  GDate date;

  /* Without health checks in the input there is no line. */
  none = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  g_assert_null (none->health_check_status);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 22, G_DATE_JULY, 2025);
  sd_customer_set_contract_start (a, g_date_get_julian (&date));
  sd_customer_set_health_check_entitled (a, TRUE);
  f->input.health_checks = checks;

  due = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  g_assert_cmpstr (due->health_check_status, ==,
                   "Contract year 2026-07-22 – 2027-07-21: due, not requested yet "
                   "(one a year, remote; agree the day at least two weeks ahead)");

  sd_health_check_set_customer_id (check, "cust-a");
  sd_health_check_set_status (check, SD_HEALTH_CHECK_SCHEDULED);
  sd_health_check_set_requested_at (check, t ("2026-09-01T10:00:00+08:00"));
  g_date_set_dmy (&date, 25, G_DATE_SEPTEMBER, 2026);
  sd_health_check_set_scheduled_on (check, g_date_get_julian (&date));
  g_ptr_array_add (checks, g_object_ref (check));
  en = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  g_assert_cmpstr (en->health_check_status, ==,
                   "Contract year 2026-07-22 – 2027-07-21: scheduled for 2026-09-25 (remote, one working day)");
  sd_health_check_set_status (check, SD_HEALTH_CHECK_COMPLETED);
  zh = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_CUSTOMER, t (NOW), NULL);
  g_assert_cmpstr (zh->health_check_status, ==,
                   "合同年度 2026-07-22 – 2027-07-21：已于 2026-09-25 完成；自 2027-07-22 起可以要求下一次检查");

  csv = sd_quarterly_report_to_csv (zh, &length);
  g_assert_nonnull (strstr (csv, "运行状况检查"));
  g_assert_nonnull (strstr (csv, "已于 2026-09-25 完成"));
  document = sd_quarterly_report_to_document (zh);
  path = write_document (document, dir, "health-check.pdf");
  if ((text = pdf_text (path, 0)) != NULL)
    g_assert_nonnull (strstr (text, "已于2026-09-25完成"));
  g_unlink (path);
  g_rmdir (dir);

  sd_customer_set_health_check_entitled (a, FALSE);
  uncertified = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  g_assert_true (g_str_has_prefix (uncertified->health_check_status, "Not included"));
  f->input.health_checks = NULL;
}

/* Business-clock medians: two S3 answers on a weekend take no working
 * time, so the median is 0 min; the wall-clock figure stands beside it,
 * with a note saying what each means, in the PDF and the CSV. */
static void
test_quarterly_wall_clock (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("test-report-XXXXXX", NULL);
  g_autoptr(SdQuarterlyReport) en = NULL;
  g_autoptr(SdQuarterlyReport) zh = NULL;
  g_autoptr(SdDocument) document = NULL;
  g_autofree char *cell = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gsize length;

  /* Saturday and Sunday in Shanghai: 1 h 30 min and 2 h on the wall clock. */
  add_case (f, "SD-2026-00014", "cust-a", SD_CASE_TYPE_INCIDENT, 3, SD_CASE_STATUS_RESOLVED,
            "2026-07-18T10:00:00+08:00", "2026-07-18T11:30:00+08:00", "2026-07-18T12:00:00+08:00", NULL);
  add_case (f, "SD-2026-00015", "cust-a", SD_CASE_TYPE_INCIDENT, 3, SD_CASE_STATUS_RESOLVED,
            "2026-07-19T09:00:00+08:00", "2026-07-19T11:00:00+08:00", "2026-07-19T12:00:00+08:00", NULL);

  en = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  /* Working seconds 0, 0, 36000; wall seconds 5400, 7200, 90000 (c9). */
  g_assert_cmpint (en->response_times[2].median, ==, 0);
  g_assert_cmpint (en->response_times[2].wall_median, ==, 7200);
  g_assert_cmpint (en->response_times[2].wall_p90, ==, 90000);
  /* On a 24x7 clock the two are the same. */
  g_assert_cmpint (en->response_times[1].wall_median, ==, en->response_times[1].median);

  cell = sd_report_response_time_text (SD_REPORT_LANGUAGE_EN, SD_CLOCK_BUSINESS, 0, 7200);
  g_assert_cmpstr (cell, ==, "0 min (wall clock 2 h)");
  plain = sd_report_response_time_text (SD_REPORT_LANGUAGE_EN, SD_CLOCK_24X7, 1800, 1800);
  g_assert_cmpstr (plain, ==, "30 min");

  csv = sd_quarterly_report_to_csv (en, &length);
  g_assert_nonnull (strstr (csv, "Median response, wall clock (s)"));
  g_assert_nonnull (strstr (csv, ",0,36000,working hours,7200,90000\r\n"));
  g_assert_nonnull (strstr (csv, sd_report_response_time_note (SD_REPORT_LANGUAGE_EN)));

  zh = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_ZH_CN, t (NOW), NULL);
  document = sd_quarterly_report_to_document (zh);
  path = write_document (document, dir, "wall-clock.pdf");
  if ((text = pdf_text (path, 0)) != NULL)
    {
      g_assert_nonnull (strstr (text, "0分钟（自然时间2小时）"));
      g_assert_nonnull (strstr (text, "括号内为自然时间"));
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* The quarter as the SLA record has it: an S1 breached and then lowered to
 * S4 (answered within the S4 target) counts as a breach at S1; a case the
 * server recorded breached stays breached although a response was later
 * entered with an earlier time. The contract's default rule (restart). */
static void
test_quarterly_ledger (void)
{
  Fixture f = { 0 };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdQuarterlyReport) report = NULL;
  g_autoptr(SdCustomReport) custom = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) recorded = NULL;
  g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_msa_enterprise ();
  SdReportFilter filter = { 0 };
  SdCustomer *a = sd_customer_new ("cust-a");
  SdCase *lowered, *backdated;

  f.customers = g_ptr_array_new_with_free_func (g_object_unref);
  f.cases = g_ptr_array_new_with_free_func (g_object_unref);
  f.events = g_ptr_array_new_with_free_func (g_object_unref);
  f.policies = g_ptr_array_new_with_free_func (g_object_unref);
  sd_customer_set_name (a, "上海示例贸易有限公司");
  sd_customer_set_tier (a, SD_TIER_MSA_ENTERPRISE);
  sd_customer_set_time_zone (a, "Asia/Shanghai");
  sd_customer_set_calendar_id (a, "cn-mainland");
  g_ptr_array_add (f.customers, a);

  /* Tuesday 4 August 10:00, S1; lowered to S4 at 19:00 (8.5 h late);
   * answered Wednesday 10:00, 1 working hour into the S4 target. */
  lowered = add_case (&f, "SD-2026-00101", "cust-a", SD_CASE_TYPE_INCIDENT, 4, SD_CASE_STATUS_RESOLVED,
                      "2026-08-04T10:00:00+08:00", "2026-08-05T10:00:00+08:00",
                      "2026-08-06T10:00:00+08:00", NULL);
  add_event (&f, sd_case_event_new_severity_change (sd_case_get_id (lowered), "user-tam",
                                                    t ("2026-08-04T19:00:00+08:00"), 1, 4, "Only a test system"));

  /* S2 reported 11 August 10:00 (due 14:00); the server recorded the
   * breach at 15:00; a response dated 13:00 was entered afterwards. */
  backdated = add_case (&f, "SD-2026-00102", "cust-a", SD_CASE_TYPE_INCIDENT, 2, SD_CASE_STATUS_IN_PROGRESS,
                        "2026-08-11T10:00:00+08:00", "2026-08-11T13:00:00+08:00", NULL, NULL);
  {
    g_autoptr(SdCase) before = sd_case_new (sd_case_get_id (backdated));

    sd_case_set_customer_id (before, "cust-a");
    sd_case_set_severity (before, 2);
    sd_case_set_status (before, SD_CASE_STATUS_IN_PROGRESS);
    sd_case_set_reported_at (before, t ("2026-08-11T10:00:00+08:00"));
    recorded = sd_sla_ledger_derive (before, NULL, policy, NULL, SD_TIER_MSA_ENTERPRISE,
                                     t ("2026-08-11T15:00:00+08:00"));
    g_assert_cmpint (sd_sla_ledger_get_response (recorded)->state, ==, SD_SLA_BREACHED);
    g_ptr_array_add (records, sd_sla_record_new (sd_case_get_id (backdated), "cust-a", recorded));
  }

  f.input = (SdReportInput) { f.customers, f.cases, f.events, NULL, f.policies };
  f.input.sla_records = records;

  report = sd_quarterly_report_build (&f.input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->compliance[0].missed, ==, 1);   /* the breach, at S1 */
  g_assert_cmpuint (report->compliance[0].met, ==, 0);
  g_assert_cmpuint (report->compliance[3].met, ==, 0);      /* not "Low, met" */
  g_assert_cmpuint (report->compliance[3].missed, ==, 0);
  g_assert_cmpuint (report->compliance[1].missed, ==, 1);   /* the recorded breach: answered late */
  g_assert_cmpuint (report->compliance[1].met, ==, 0);
  g_assert_cmpuint (report->compliance_total.missed, ==, 2);
  g_assert_cmpuint (report->breaches->len, ==, 2);
  g_assert_cmpuint (sd_quarterly_report_count_opened (report, 1), ==, 1);
  for (guint i = 0; i < report->breaches->len; i++)
    {
      SdReportBreach *b = report->breaches->pdata[i];

      if (b->kase == lowered)
        {
          g_assert_cmpint (b->severity, ==, 1);
          g_assert_cmpint (b->state, ==, SD_SLA_BREACHED);
          g_assert_false (b->kept);
        }
      else
        {
          g_assert_true (b->kase == backdated);
          g_assert_cmpint (b->severity, ==, 2);
          g_assert_cmpint (b->state, ==, SD_SLA_MISSED);
          g_assert_true (b->kept);
          g_assert_nonnull (strstr (b->cause, "on record before the response was entered"));
        }
    }

  /* Without the server's record, the backdated response would count. */
  f.input.sla_records = NULL;
  g_clear_pointer (&report, sd_quarterly_report_free);
  report = sd_quarterly_report_build (&f.input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), &error);
  g_assert_cmpuint (report->compliance[1].met, ==, 1);
  f.input.sla_records = records;

  /* The custom report says which severity a response state holds under. */
  filter.customer_ids = NULL;
  custom = sd_custom_report_build (&f.input, &filter, SD_REPORT_LANGUAGE_EN, t (NOW));
  g_assert_cmpuint (custom->rows->len, ==, 2);
  {
    SdCustomReportRow *row = custom->rows->pdata[0];

    g_assert_true (row->kase == lowered);
    g_assert_cmpint (row->response_state, ==, SD_SLA_BREACHED);
    g_assert_cmpint (row->response_severity, ==, 1);
  }
  {
    g_autofree char *csv = sd_custom_report_to_csv (custom, NULL);

    if (!strstr (csv, ",Incident,Low,Resolved,2026-08-04T02:00:00Z,breached (Critical),"))
      g_error ("%s", csv);
  }

  g_ptr_array_unref (f.customers);
  g_ptr_array_unref (f.cases);
  g_ptr_array_unref (f.events);
  g_ptr_array_unref (f.policies);
}

/* A policy version that takes effect after the quarter leaves its report
 * as it was (the cases keep the targets of the day they were reported);
 * the same version in force from the quarter's first day changes it. */
static void
test_quarterly_policy_versions (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) policies = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SdSlaPolicy) later = sd_sla_policy_new_msa_enterprise ();
  g_autoptr(SdSlaPolicy) earlier = NULL;
  g_autoptr(SdQuarterlyReport) before = NULL;
  g_autoptr(SdQuarterlyReport) after = NULL;
  g_autoptr(SdQuarterlyReport) changed = NULL;
  g_autofree char *before_csv = NULL;
  g_autofree char *after_csv = NULL;
  g_autofree char *changed_csv = NULL;
  guint32 day = 0;
  gsize length;

  before = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  before_csv = sd_quarterly_report_to_csv (before, &length);

  /* The fixture's contract, then S1 in 10 min from 2026-10-01, the day
   * the report is made. */
  g_ptr_array_add (policies, g_object_ref (f->policies->pdata[0]));
  sd_sla_policy_set_pause_before_response (later, TRUE);
  sd_sla_policy_set_severity_change (later, SD_SEVERITY_CHANGE_RETROACTIVE);
  sd_sla_policy_set_target (later, 1, 10, SD_CLOCK_24X7);
  g_assert_true (sd_date_parse ("2026-10-01", &day, NULL));
  sd_sla_policy_set_effective_from (later, day);
  sd_sla_policy_make_id (later);
  g_ptr_array_add (policies, g_object_ref (later));
  f->input.policies = policies;
  after = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  after_csv = sd_quarterly_report_to_csv (after, &length);
  g_assert_cmpstr (after_csv, ==, before_csv);

  g_assert_true (sd_date_parse ("2026-07-01", &day, NULL));
  earlier = sd_sla_policy_new_msa_enterprise ();
  sd_sla_policy_set_pause_before_response (earlier, TRUE);
  sd_sla_policy_set_severity_change (earlier, SD_SEVERITY_CHANGE_RETROACTIVE);
  sd_sla_policy_set_target (earlier, 1, 10, SD_CLOCK_24X7);
  sd_sla_policy_set_effective_from (earlier, day);
  sd_sla_policy_make_id (earlier);
  g_ptr_array_add (policies, g_object_ref (earlier));
  changed = sd_quarterly_report_build (&f->input, "cust-a", 2026, 3, SD_REPORT_LANGUAGE_EN, t (NOW), NULL);
  changed_csv = sd_quarterly_report_to_csv (changed, &length);
  g_assert_cmpstr (changed_csv, !=, before_csv);
  f->input.policies = f->policies;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/report/quarterly/numbers", Fixture, NULL, fixture_set_up, test_quarterly_numbers, fixture_tear_down);
  g_test_add ("/report/quarterly/errors", Fixture, NULL, fixture_set_up, test_quarterly_errors, fixture_tear_down);
  g_test_add ("/report/quarterly/csv", Fixture, NULL, fixture_set_up, test_quarterly_csv, fixture_tear_down);
  g_test_add ("/report/quarterly/charts", Fixture, NULL, fixture_set_up, test_charts, fixture_tear_down);
  g_test_add ("/report/quarterly/health-check", Fixture, NULL, fixture_set_up, test_quarterly_health_check,
              fixture_tear_down);
  g_test_add ("/report/quarterly/wall-clock", Fixture, NULL, fixture_set_up, test_quarterly_wall_clock,
              fixture_tear_down);
  g_test_add_func ("/report/quarterly/ledger", test_quarterly_ledger);
  g_test_add ("/report/quarterly/policy-versions", Fixture, NULL, fixture_set_up, test_quarterly_policy_versions,
              fixture_tear_down);
  g_test_add ("/report/daily", Fixture, NULL, fixture_set_up, test_daily_report, fixture_tear_down);
  g_test_add_func ("/report/daily/overdue", test_daily_report_overdue);
  g_test_add ("/report/pdf", Fixture, NULL, fixture_set_up, test_pdf, fixture_tear_down);
  g_test_add ("/report/custom", Fixture, NULL, fixture_set_up, test_custom_report, fixture_tear_down);
  g_test_add_func ("/workflow/database-release/steps", test_release_steps);
  g_test_add_func ("/workflow/private-patch/lifecycle", test_private_patch_rule);
  g_test_add_func ("/workflow/signature-change/notification", test_signature_change_notification);

  return g_test_run ();
}
