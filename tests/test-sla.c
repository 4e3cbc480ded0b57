/* test-sla.c — SdSlaPolicy and the SLA engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

#define ANY G_MININT64   /* "do not check" for remaining */

static gint64
T (const char *iso)
{
  g_autoptr(GError) error = NULL;
  gint64 t = 0;

  if (iso == NULL)
    return SD_TIME_NONE;
  g_assert_true (sd_time_parse_iso8601 (iso, NULL, &t, &error));
  g_assert_no_error (error);
  return t;
}

static char *
fmt (SdCalendar *calendar,
     gint64      t)
{
  return sd_time_format_iso8601 (t, sd_calendar_get_time_zone (calendar));
}

static SdCalendar *
calendar_from_spec (const char *zone,
                    const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("test", zone, &error);

  g_assert_no_error (error);
  g_assert_true (sd_calendar_builder_set_hours_spec (builder, spec, &error));
  return sd_calendar_builder_build (builder);
}

static const char *
shared_holidays_dir (void)
{
  static char *dir;
  const char *shared = g_getenv ("SUPPORTDESK_SHARED_DATA");

  if (dir == NULL && shared != NULL)
    dir = g_build_filename (shared, "holidays-cn", NULL);
  return dir;
}

/* NULL (and a skip) when the calendar needs data that is absent. */
static SdCalendar *
named_calendar (const char *name)
{
  if (g_str_equal (name, "cn"))
    return sd_calendar_new_builtin ("cn-mainland");
  if (g_str_equal (name, "lunch"))
    return calendar_from_spec ("Asia/Shanghai", "mon-fri 09:00-12:00,13:00-18:00");
  if (g_str_equal (name, "berlin"))
    return calendar_from_spec ("Europe/Berlin", "mon-fri 09:00-18:00");
  if (g_str_equal (name, "new-york"))
    return calendar_from_spec ("America/New_York", "mon-fri 09:00-17:00");
  if (g_str_equal (name, "cn-ics") || g_str_equal (name, "cn-json"))
    {
      const char *dir = shared_holidays_dir ();
      g_autofree char *file = g_strdup_printf ("2026.%s", name + 3);
      g_autofree char *path = dir ? g_build_filename (dir, file, NULL) : NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SdCalendarBuilder) builder = NULL;

      if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
        return NULL;
      builder = sd_calendar_builder_new ("imported", "Asia/Shanghai", &error);
      g_assert_true (sd_calendar_builder_set_hours_spec (builder, "mon-fri 09:00-18:00", &error));
      sd_calendar_builder_import_file (builder, path, NULL, &error);
      g_assert_no_error (error);
      return sd_calendar_builder_build (builder);
    }
  g_assert_not_reached ();
}

typedef struct {
  const char   *name;
  const char   *calendar;
  SdTier        tier;
  int           severity;
  SdCaseStatus  status;
  const char   *reported;
  const char   *pauses;        /* "FROM/TO,FROM/TO"; TO may be "open" */
  const char   *responded;
  const char   *last_report;
  const char   *now;
  /* expected */
  const char   *due;
  SdSlaState    state;
  gint64        remaining;
  SdClockKind   clock;
  const char   *daily_due;     /* NULL: no daily-report clock */
  SdSlaState    daily_state;
} SlaRow;

#define MSA SD_TIER_MSA_ENTERPRISE
#define STD SD_TIER_STANDARD
#define NEW SD_CASE_STATUS_NEW
#define WIP SD_CASE_STATUS_IN_PROGRESS
#define WAIT SD_CASE_STATUS_WAITING_CUSTOMER
#define RESOLVED SD_CASE_STATUS_RESOLVED
#define BIZ SD_CLOCK_BUSINESS
#define WALL SD_CLOCK_24X7
#define H (gint64) 3600
#define M (gint64) 60

static const SlaRow rows[] = {
  /* 24×7 clocks */
  { "s1 at night", "cn", MSA, 1, NEW, "2026-03-10T02:10:00+08:00", NULL, NULL, NULL,
    "2026-03-10T02:20:00+08:00", "2026-03-10T02:40:00+08:00", SD_SLA_RUNNING, 20 * M, WALL,
    "2026-03-11T02:10:00+08:00", SD_SLA_RUNNING },
  { "s1 on a holiday", "cn", MSA, 1, WIP, "2026-02-17T03:10:00+08:00", NULL, NULL, NULL,
    "2026-02-17T03:35:00+08:00", "2026-02-17T03:40:00+08:00", SD_SLA_AT_RISK, 5 * M, WALL,
    "2026-02-18T03:10:00+08:00", SD_SLA_RUNNING },
  { "s2 over midnight", "cn", MSA, 2, NEW, "2026-02-16T22:00:00+08:00", NULL, NULL, NULL,
    "2026-02-16T23:00:00+08:00", "2026-02-17T02:00:00+08:00", SD_SLA_RUNNING, 3 * H, WALL, NULL, 0 },
  /* business clocks: night, weekend, holiday, make-up Saturday */
  { "s3 at night", "cn", MSA, 3, NEW, "2026-03-10T22:30:00+08:00", NULL, NULL, NULL,
    "2026-03-11T08:00:00+08:00", "2026-03-11T15:00:00+08:00", SD_SLA_RUNNING, 6 * H, BIZ, NULL, 0 },
  { "s4 on a weekend", "cn", MSA, 4, NEW, "2026-03-14T11:00:00+08:00", NULL, NULL, NULL,
    "2026-03-16T10:00:00+08:00", "2026-03-16T17:00:00+08:00", SD_SLA_RUNNING, 7 * H, BIZ, NULL, 0 },
  { "s4 on a holiday", "cn", MSA, 4, NEW, "2026-02-17T10:00:00+08:00", NULL, NULL, NULL,
    "2026-02-20T10:00:00+08:00", "2026-02-24T17:00:00+08:00", SD_SLA_RUNNING, 8 * H, BIZ, NULL, 0 },
  { "s4 on the make-up Saturday", "cn", MSA, 4, NEW, "2026-02-14T10:00:00+08:00", NULL, NULL, NULL,
    "2026-02-14T12:00:00+08:00", "2026-02-14T18:00:00+08:00", SD_SLA_RUNNING, 6 * H, BIZ, NULL, 0 },
  /* Spring Festival 2026 */
  { "s4 friday before the festival", "cn", MSA, 4, NEW, "2026-02-13T15:00:00+08:00", NULL, NULL, NULL,
    "2026-02-13T16:00:00+08:00", "2026-02-14T14:00:00+08:00", SD_SLA_RUNNING, 7 * H, BIZ, NULL, 0 },
  { "s3 across the festival", "cn", MSA, 3, WIP, "2026-02-14T15:00:00+08:00", NULL, NULL, NULL,
    "2026-02-24T11:00:00+08:00", "2026-02-24T12:00:00+08:00", SD_SLA_AT_RISK, 1 * H, BIZ, NULL, 0 },
  { "s3 across the festival, breached", "cn", MSA, 3, WIP, "2026-02-14T15:00:00+08:00", NULL, NULL, NULL,
    "2026-02-24T12:00:01+08:00", "2026-02-24T12:00:00+08:00", SD_SLA_BREACHED, -1, BIZ, NULL, 0 },
  /* Thu 8 h + Fri 9 h + the make-up Saturday 7 h */
  { "standard s4 across the festival", "cn", STD, 4, NEW, "2026-02-12T10:00:00+08:00", NULL, NULL, NULL,
    "2026-02-13T10:00:00+08:00", "2026-02-14T16:00:00+08:00", SD_SLA_RUNNING, 15 * H, BIZ, NULL, 0 },
  /* Golden Week 2026: Sep 30, Oct 1–7 off, Oct 8 back, Oct 10 make-up */
  { "s4 across golden week", "cn", MSA, 4, NEW, "2026-09-30T14:00:00+08:00", NULL, NULL, NULL,
    "2026-10-03T12:00:00+08:00", "2026-10-08T13:00:00+08:00", SD_SLA_RUNNING, 4 * H, BIZ, NULL, 0 },
  { "standard s3 into the make-up saturday", "cn", STD, 3, NEW, "2026-10-08T12:00:00+08:00", NULL, NULL, NULL,
    "2026-10-09T18:00:00+08:00", "2026-10-10T10:00:00+08:00", SD_SLA_AT_RISK, 1 * H, BIZ, NULL, 0 },
  /* several working days */
  { "standard s4 three days", "cn", STD, 4, NEW, "2026-03-09T09:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T09:00:00+08:00", "2026-03-11T15:00:00+08:00", SD_SLA_RUNNING, 24 * H, BIZ, NULL, 0 },
  { "standard s2 business", "cn", STD, 2, NEW, "2026-03-12T17:00:00+08:00", NULL, NULL, NULL,
    "2026-03-13T09:00:00+08:00", "2026-03-13T16:00:00+08:00", SD_SLA_RUNNING, 7 * H, BIZ, NULL, 0 },
  { "standard s1 24x7", "cn", STD, 1, NEW, "2026-03-14T23:00:00+08:00", NULL, NULL, NULL,
    "2026-03-14T23:30:00+08:00", "2026-03-15T01:00:00+08:00", SD_SLA_RUNNING, 90 * M, WALL,
    "2026-03-15T23:00:00+08:00", SD_SLA_RUNNING },
  /* lunch breaks */
  { "s3 with lunch", "lunch", MSA, 3, NEW, "2026-03-09T10:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T12:30:00+08:00", "2026-03-09T17:00:00+08:00", SD_SLA_RUNNING, 4 * H, BIZ, NULL, 0 },
  { "s3 reported at lunch", "lunch", MSA, 3, NEW, "2026-03-09T12:30:00+08:00", NULL, NULL, NULL,
    "2026-03-09T12:45:00+08:00", "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING, 6 * H, BIZ, NULL, 0 },
  { "s4 over lunch and night", "lunch", MSA, 4, NEW, "2026-03-09T11:00:00+08:00", NULL, NULL, NULL,
    "2026-03-10T09:30:00+08:00", "2026-03-10T11:00:00+08:00", SD_SLA_AT_RISK, 90 * M, BIZ, NULL, 0 },
  /* pause and resume */
  { "s4 paused 11-14", "cn", MSA, 4, WIP, "2026-03-09T09:00:00+08:00",
    "2026-03-09T11:00:00+08:00/2026-03-09T14:00:00+08:00", NULL, NULL,
    "2026-03-09T15:00:00+08:00", "2026-03-10T11:00:00+08:00", SD_SLA_RUNNING, 5 * H, BIZ, NULL, 0 },
  { "s4 paused overnight twice", "cn", MSA, 4, WIP, "2026-03-09T10:00:00+08:00",
    "2026-03-09T17:00:00+08:00/2026-03-10T10:00:00+08:00,2026-03-10T12:00:00+08:00/2026-03-10T13:00:00+08:00",
    NULL, NULL,
    "2026-03-10T13:00:00+08:00", "2026-03-10T11:00:00+08:00", SD_SLA_BREACHED, -1 * H, BIZ, NULL, 0 },
  { "s1 paused and resumed", "cn", MSA, 1, WIP, "2026-03-09T10:00:00+08:00",
    "2026-03-09T10:10:00+08:00/2026-03-09T10:40:00+08:00", NULL, NULL,
    "2026-03-09T10:45:00+08:00", "2026-03-09T11:00:00+08:00", SD_SLA_RUNNING, 15 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  { "s1 still paused: due projected from now", "cn", MSA, 1, WAIT, "2026-03-09T10:00:00+08:00",
    "2026-03-09T10:10:00+08:00/open", NULL, NULL,
    "2026-03-09T10:25:00+08:00", "2026-03-09T10:45:00+08:00", SD_SLA_PAUSED, 20 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  { "s3 paused on a business clock", "cn", MSA, 3, WAIT, "2026-03-09T09:00:00+08:00",
    "2026-03-09T10:00:00+08:00/open", NULL, NULL,
    "2026-03-10T16:00:00+08:00", "2026-03-11T12:00:00+08:00", SD_SLA_PAUSED, 5 * H, BIZ, NULL, 0 },
  { "breached before the pause stays breached", "cn", MSA, 1, WAIT, "2026-03-09T10:00:00+08:00",
    "2026-03-09T11:00:00+08:00/open", NULL, NULL,
    "2026-03-09T12:00:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_BREACHED, -30 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  /* severity changes: target recomputed from the original start */
  { "raised to s2", "cn", MSA, 2, WIP, "2026-03-09T09:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T12:30:00+08:00", "2026-03-09T13:00:00+08:00", SD_SLA_AT_RISK, 30 * M, WALL, NULL, 0 },
  { "raised to s1 long after the start", "cn", MSA, 1, WIP, "2026-03-09T09:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T12:30:00+08:00", "2026-03-09T09:30:00+08:00", SD_SLA_BREACHED, -3 * H, WALL,
    "2026-03-10T09:00:00+08:00", SD_SLA_RUNNING },
  { "lowered to s3", "cn", MSA, 3, WIP, "2026-03-09T09:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T10:00:00+08:00", "2026-03-09T15:00:00+08:00", SD_SLA_RUNNING, 5 * H, BIZ, NULL, 0 },
  /* responded: met / missed */
  { "s1 met", "cn", MSA, 1, WIP, "2026-03-09T10:00:00+08:00", NULL, "2026-03-09T10:29:00+08:00", NULL,
    "2026-03-09T12:00:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_MET, 1 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  { "s1 missed", "cn", MSA, 1, WIP, "2026-03-09T10:00:00+08:00", NULL, "2026-03-09T10:31:00+08:00", NULL,
    "2026-03-09T12:00:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_MISSED, -1 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  { "s3 met exactly at due", "cn", MSA, 3, RESOLVED, "2026-03-09T09:00:00+08:00", NULL,
    "2026-03-09T15:00:00+08:00", NULL,
    "2026-03-12T12:00:00+08:00", "2026-03-09T15:00:00+08:00", SD_SLA_MET, 0, BIZ, NULL, 0 },
  { "s4 missed after the holiday", "cn", MSA, 4, WIP, "2026-09-30T14:00:00+08:00", NULL,
    "2026-10-08T14:00:00+08:00", NULL,
    "2026-10-09T12:00:00+08:00", "2026-10-08T13:00:00+08:00", SD_SLA_MISSED, -1 * H, BIZ, NULL, 0 },
  /* the warning threshold: 20 % of 30 min = 6 min */
  { "s1 just before at risk", "cn", MSA, 1, NEW, "2026-03-09T10:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T10:23:59+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_RUNNING, 6 * M + 1, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  { "s1 at risk", "cn", MSA, 1, NEW, "2026-03-09T10:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T10:24:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_AT_RISK, 6 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  { "s1 at the due instant", "cn", MSA, 1, NEW, "2026-03-09T10:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T10:30:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_AT_RISK, 0, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  { "s1 one second late", "cn", MSA, 1, NEW, "2026-03-09T10:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T10:30:01+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_BREACHED, -1, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_RUNNING },
  /* s4: 20 % of 8 h = 96 working minutes */
  { "s4 at risk", "cn", MSA, 4, NEW, "2026-03-09T09:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T15:24:00+08:00", "2026-03-09T17:00:00+08:00", SD_SLA_AT_RISK, 96 * M, BIZ, NULL, 0 },
  { "s4 not yet at risk", "cn", MSA, 4, NEW, "2026-03-09T09:00:00+08:00", NULL, NULL, NULL,
    "2026-03-09T15:23:00+08:00", "2026-03-09T17:00:00+08:00", SD_SLA_RUNNING, 97 * M, BIZ, NULL, 0 },
  /* daily report for open severity-1 cases */
  { "daily report due soon", "cn", MSA, 1, WIP, "2026-03-09T10:00:00+08:00", NULL,
    "2026-03-09T10:20:00+08:00", NULL,
    "2026-03-10T09:00:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_MET, 10 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_AT_RISK },
  { "daily report sent", "cn", MSA, 1, WIP, "2026-03-09T10:00:00+08:00", NULL,
    "2026-03-09T10:20:00+08:00", "2026-03-10T09:30:00+08:00",
    "2026-03-10T12:00:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_MET, 10 * M, WALL,
    "2026-03-11T09:30:00+08:00", SD_SLA_RUNNING },
  { "daily report overdue", "cn", MSA, 1, WIP, "2026-03-09T10:00:00+08:00", NULL,
    "2026-03-09T10:20:00+08:00", NULL,
    "2026-03-10T10:00:01+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_MET, 10 * M, WALL,
    "2026-03-10T10:00:00+08:00", SD_SLA_BREACHED },
  { "resolved s1 owes no daily report", "cn", MSA, 1, RESOLVED, "2026-03-09T10:00:00+08:00", NULL,
    "2026-03-09T10:20:00+08:00", NULL,
    "2026-03-11T10:00:00+08:00", "2026-03-09T10:30:00+08:00", SD_SLA_MET, 10 * M, WALL, NULL, 0 },
  /* DST: Europe/Berlin 2026-03-29, America/New_York 2026-03-08 and 11-01 */
  { "berlin s4 over the spring change", "berlin", MSA, 4, NEW, "2026-03-27T14:00:00+01:00", NULL, NULL, NULL,
    "2026-03-28T12:00:00+01:00", "2026-03-30T13:00:00+02:00", SD_SLA_RUNNING, 4 * H, BIZ, NULL, 0 },
  { "berlin s1 through the gap", "berlin", MSA, 1, NEW, "2026-03-29T01:50:00+01:00", NULL, NULL, NULL,
    "2026-03-29T03:10:00+02:00", "2026-03-29T03:20:00+02:00", SD_SLA_RUNNING, 10 * M, WALL,
    "2026-03-30T02:50:00+02:00", SD_SLA_RUNNING },
  { "berlin s1 through the repeated hour", "berlin", MSA, 1, NEW, "2026-10-25T02:50:00+02:00", NULL, NULL, NULL,
    "2026-10-25T02:05:00+01:00", "2026-10-25T02:20:00+01:00", SD_SLA_RUNNING, 15 * M, WALL,
    "2026-10-26T01:50:00+01:00", SD_SLA_RUNNING },
  { "new york s3 over the spring change", "new-york", MSA, 3, NEW, "2026-03-06T15:00:00-05:00", NULL, NULL, NULL,
    "2026-03-09T09:00:00-04:00", "2026-03-09T13:00:00-04:00", SD_SLA_RUNNING, 4 * H, BIZ, NULL, 0 },
  { "new york s1 through the gap", "new-york", MSA, 1, NEW, "2026-03-08T01:45:00-05:00", NULL, NULL, NULL,
    "2026-03-08T03:00:00-04:00", "2026-03-08T03:15:00-04:00", SD_SLA_RUNNING, 15 * M, WALL,
    "2026-03-09T02:45:00-04:00", SD_SLA_RUNNING },
  { "new york s4 over the autumn change", "new-york", MSA, 4, NEW, "2026-10-30T16:00:00-04:00", NULL, NULL, NULL,
    "2026-11-02T10:00:00-05:00", "2026-11-02T16:00:00-05:00", SD_SLA_RUNNING, 6 * H, BIZ, NULL, 0 },
};

/* The 2026 holiday cases, on the built-in calendar and on the imported
 * feeds alike. */
static const char * const holiday_rows[] = {
  "s4 on a holiday", "s4 on the make-up Saturday", "s4 friday before the festival",
  "s3 across the festival", "standard s4 across the festival", "s4 across golden week",
  "standard s3 into the make-up saturday", "s4 missed after the holiday",
};

static void
parse_pauses (const char *text,
              GArray     *out)
{
  g_auto(GStrv) spans = NULL;

  if (text == NULL)
    return;
  spans = g_strsplit (text, ",", -1);
  for (guint i = 0; spans[i] != NULL; i++)
    {
      g_auto(GStrv) ends = g_strsplit (spans[i], "/", 2);
      SdSlaSpan span;

      g_assert_nonnull (ends[1]);
      span.start = T (ends[0]);
      span.end = g_str_equal (ends[1], "open") ? SD_TIME_NONE : T (ends[1]);
      g_array_append_val (out, span);
    }
}

static void
check_row (const SlaRow *row,
           const char   *calendar_name)
{
  g_autoptr(SdCalendar) calendar = named_calendar (calendar_name);
  g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_for_tier (row->tier);
  g_autoptr(GArray) pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  g_autofree char *due = NULL;
  SdSlaInput input = { 0, };
  SdSlaResult result;

  g_test_message ("%s [%s]", row->name, calendar_name);
  g_assert_nonnull (calendar);
  parse_pauses (row->pauses, pauses);
  /* The rows with pauses test a contract that pauses before the response. */
  sd_sla_policy_set_pause_before_response (policy, row->pauses != NULL);

  input.tier = row->tier;
  input.severity = row->severity;
  input.status = row->status;
  input.reported_at = T (row->reported);
  input.responded_at = T (row->responded);
  input.pauses = (const SdSlaSpan *) pauses->data;
  input.n_pauses = pauses->len;
  input.last_daily_report_at = T (row->last_report);

  sd_sla_compute (&input, policy, calendar, T (row->now), &result);

  due = fmt (calendar, result.response.due);
  g_assert_cmpstr (due, ==, row->due);
  g_assert_cmpstr (sd_sla_state_to_string (result.response.state), ==,
                   sd_sla_state_to_string (row->state));
  g_assert_cmpint (result.response.clock, ==, row->clock);
  g_assert_cmpint (result.response.target, ==,
                   (gint64) sd_sla_policy_get_target_minutes (policy, row->severity) * 60);
  if (row->remaining != ANY)
    g_assert_cmpint (result.response.remaining, ==, row->remaining);
  g_assert_cmpint (result.response.elapsed + result.response.remaining, ==, result.response.target);

  g_assert_cmpint (result.has_daily_report, ==, row->daily_due != NULL);
  if (row->daily_due != NULL)
    {
      g_autofree char *daily = fmt (calendar, result.daily_report.due);

      g_assert_cmpstr (daily, ==, row->daily_due);
      g_assert_cmpstr (sd_sla_state_to_string (result.daily_report.state), ==,
                       sd_sla_state_to_string (row->daily_state));
      g_assert_cmpint (result.daily_report.clock, ==, SD_CLOCK_24X7);
    }
}

static void
test_engine_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    check_row (&rows[i], rows[i].calendar);
}

static void
test_engine_imported (gconstpointer data)
{
  const char *calendar_name = data;
  g_autoptr(SdCalendar) calendar = named_calendar (calendar_name);

  if (calendar == NULL)
    {
      g_test_skip_printf ("holiday feed not found: %s/2026.%s (set SUPPORTDESK_SHARED_DATA)",
                          shared_holidays_dir () ? shared_holidays_dir () : "(unset)",
                          calendar_name + 3);
      return;
    }

  for (guint k = 0; k < G_N_ELEMENTS (holiday_rows); k++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        if (g_str_equal (rows[i].name, holiday_rows[k]))
          {
            check_row (&rows[i], calendar_name);
            found = TRUE;
          }
      g_assert_true (found);
    }
}

/* Policies */

static void
test_policy_defaults (void)
{
  g_autoptr(SdSlaPolicy) msa = sd_sla_policy_new_msa_enterprise ();
  g_autoptr(SdSlaPolicy) std = sd_sla_policy_new_standard ();
  static const struct { guint minutes; SdClockKind clock; } msa_targets[] = {
    { 30, WALL }, { 240, WALL }, { 360, BIZ }, { 480, BIZ },
  }, std_targets[] = {
    { 120, WALL }, { 480, BIZ }, { 960, BIZ }, { 1440, BIZ },
  };

  g_assert_cmpint (sd_sla_policy_get_tier (msa), ==, SD_TIER_MSA_ENTERPRISE);
  g_assert_cmpint (sd_sla_policy_get_tier (std), ==, SD_TIER_STANDARD);
  for (int s = 1; s <= 4; s++)
    {
      g_assert_cmpuint (sd_sla_policy_get_target_minutes (msa, s), ==, msa_targets[s - 1].minutes);
      g_assert_cmpint (sd_sla_policy_get_clock (msa, s), ==, msa_targets[s - 1].clock);
      g_assert_cmpuint (sd_sla_policy_get_target_minutes (std, s), ==, std_targets[s - 1].minutes);
      g_assert_cmpint (sd_sla_policy_get_clock (std, s), ==, std_targets[s - 1].clock);
    }
  g_assert_true (sd_sla_policy_is_pausing_status (msa, SD_CASE_STATUS_WAITING_CUSTOMER));
  g_assert_false (sd_sla_policy_is_pausing_status (msa, SD_CASE_STATUS_IN_PROGRESS));
  g_assert_false (sd_sla_policy_is_pausing_status (msa, SD_CASE_STATUS_NEW));
  g_assert_false (sd_sla_policy_get_pause_before_response (msa));
  g_assert_false (sd_sla_policy_get_pause_before_response (std));
  g_assert_cmpuint (sd_sla_policy_get_warning_percent (msa), ==, 20);
  g_assert_cmpuint (sd_sla_policy_get_daily_report_minutes (msa), ==, 1440);

  sd_sla_policy_set_pausing_status (msa, SD_CASE_STATUS_NEW, TRUE);
  sd_sla_policy_set_pausing_status (msa, SD_CASE_STATUS_WAITING_CUSTOMER, FALSE);
  g_assert_true (sd_sla_policy_is_pausing_status (msa, SD_CASE_STATUS_NEW));
  g_assert_false (sd_sla_policy_is_pausing_status (msa, SD_CASE_STATUS_WAITING_CUSTOMER));
}

static void
test_policy_json (void)
{
  g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_standard ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdSlaPolicy) copy = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL;

  sd_sla_policy_set_warning_percent (policy, 35);
  sd_sla_policy_set_daily_report_minutes (policy, 720);
  sd_sla_policy_set_pausing_status (policy, SD_CASE_STATUS_RESOLVED, TRUE);
  sd_sla_policy_set_pause_before_response (policy, TRUE);
  node = sd_sla_policy_to_json (policy);
  a = sd_json_to_string (node, FALSE);
  copy = sd_sla_policy_from_json (node, NULL, &error);
  g_assert_no_error (error);
  node2 = sd_sla_policy_to_json (copy);
  b = sd_json_to_string (node2, FALSE);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpuint (sd_sla_policy_get_warning_percent (copy), ==, 35);
  g_assert_true (sd_sla_policy_is_pausing_status (copy, SD_CASE_STATUS_RESOLVED));
  g_assert_cmpuint (sd_sla_policy_get_daily_report_minutes (copy), ==, 720);
  g_assert_true (sd_sla_policy_get_pause_before_response (copy));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "pause_before_response"));
}

/* A policy without the member is the default: no pause before the
 * response. */
static void
test_policy_json_pause_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sd_json_parse ("{\"tier\": \"standard\", \"targets\": ["
                                            "{\"severity\": 1, \"minutes\": 30, \"clock\": \"24x7\"},"
                                            "{\"severity\": 2, \"minutes\": 30, \"clock\": \"24x7\"},"
                                            "{\"severity\": 3, \"minutes\": 30, \"clock\": \"24x7\"},"
                                            "{\"severity\": 4, \"minutes\": 30, \"clock\": \"24x7\"}]}",
                                            -1, &error);
  g_autoptr(SdSlaPolicy) policy = NULL;

  g_assert_no_error (error);
  policy = sd_sla_policy_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sd_sla_policy_get_pause_before_response (policy));
}

/* Waiting for the customer before any response: the engine reports the
 * clock running (or breached), not paused, unless the policy says so. */
static void
test_engine_waiting_before_response (void)
{
  g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_msa_enterprise ();
  SdSlaInput input = { 0, };
  SdSlaResult result;

  input.tier = SD_TIER_MSA_ENTERPRISE;
  input.severity = 1;
  input.status = SD_CASE_STATUS_WAITING_CUSTOMER;
  input.reported_at = T ("2026-03-09T10:00:00+08:00");
  input.responded_at = SD_TIME_NONE;
  input.last_daily_report_at = SD_TIME_NONE;

  sd_sla_compute (&input, policy, NULL, T ("2026-03-09T10:10:00+08:00"), &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_RUNNING);
  sd_sla_compute (&input, policy, NULL, T ("2026-03-11T10:00:00+08:00"), &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_BREACHED);

  sd_sla_policy_set_pause_before_response (policy, TRUE);
  sd_sla_compute (&input, policy, NULL, T ("2026-03-09T10:10:00+08:00"), &result);
  g_assert_cmpint (result.response.state, ==, SD_SLA_PAUSED);
}

static void
test_policy_json_errors (void)
{
  static const struct {
    const char *json;
    const char *path;
  } bad[] = {
    { "{\"targets\": []}", "policy.tier" },
    { "{\"tier\": \"gold\", \"targets\": []}", "policy.tier" },
    { "{\"tier\": \"standard\"}", "policy.targets" },
    { "{\"tier\": \"standard\", \"targets\": []}", "policy.targets" },
    { "{\"tier\": \"standard\", \"targets\": [{\"severity\": 7, \"minutes\": 30, \"clock\": \"24x7\"}]}",
      "policy.targets[0].severity" },
    { "{\"tier\": \"standard\", \"targets\": [{\"severity\": 1, \"minutes\": 30, \"clock\": \"sometimes\"}]}",
      "policy.targets[0].clock" },
    { "{\"tier\": \"standard\", \"targets\": [{\"severity\": 1, \"minutes\": 0, \"clock\": \"24x7\"}]}",
      "policy.targets[0].minutes" },
    { "{\"tier\": \"standard\", \"targets\": [{\"severity\": 1, \"minutes\": 30, \"clock\": \"24x7\"},"
      "{\"severity\": 1, \"minutes\": 30, \"clock\": \"24x7\"}]}", "policy.targets[1].severity" },
    { "{\"tier\": \"standard\", \"targets\": [], \"warning_percent\": 150}", "policy.warning_percent" },
    { "{\"tier\": \"standard\", \"targets\": [], \"pausing_statuses\": [\"sleeping\"]}",
      "policy.pausing_statuses[0]" },
    { "{\"tier\": \"standard\", \"targets\": [], \"extra\": 1}", "policy.extra" },
    { "{\"tier\": \"standard\", \"targets\": [], \"pause_before_response\": \"yes\"}",
      "policy.pause_before_response" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sd_json_parse (bad[i].json, -1, &error);
      g_autoptr(SdSlaPolicy) policy = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", bad[i].path);

      g_assert_no_error (error);
      policy = sd_sla_policy_from_json (node, NULL, &error);
      g_assert_null (policy);
      g_assert_nonnull (error);
      if (strstr (error->message, quoted) == NULL)
        g_error ("row %u: “%s” does not name %s", i, error->message, quoted);
    }
}

/* Board order */

static SdSlaResult
result_with (SdSlaState state,
             gint64     due)
{
  SdSlaResult r = { 0, };

  r.response.state = state;
  r.response.due = due;
  r.response.remaining = due - 1000;
  return r;
}

static void
test_compare_urgency (void)
{
  SdSlaResult breached = result_with (SD_SLA_BREACHED, 100);
  SdSlaResult at_risk = result_with (SD_SLA_AT_RISK, 900);
  SdSlaResult running_soon = result_with (SD_SLA_RUNNING, 500);
  SdSlaResult running_late = result_with (SD_SLA_RUNNING, 5000);
  SdSlaResult paused = result_with (SD_SLA_PAUSED, 3000);
  SdSlaResult met = result_with (SD_SLA_MET, 50);
  SdSlaResult met_with_report = result_with (SD_SLA_MET, 50);
  struct { SdTier tier; const SdSlaResult *r; const char *name; } order[] = {
    { MSA, &breached, "msa breached" },
    { MSA, &at_risk, "msa at risk" },
    { MSA, &running_soon, "msa running soon" },
    { MSA, &met_with_report, "msa met, daily report due" },
    { MSA, &paused, "msa paused" },
    { MSA, &running_late, "msa running late" },
    { STD, &breached, "std breached" },
    { STD, &running_soon, "std running" },
    { MSA, &met, "msa met" },
    { STD, &met, "std met" },
  };

  met_with_report.has_daily_report = TRUE;
  met_with_report.daily_report.state = SD_SLA_RUNNING;
  met_with_report.daily_report.due = 2000;

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    for (guint j = 0; j < G_N_ELEMENTS (order); j++)
      {
        int c = sd_sla_compare_urgency (order[i].tier, order[i].r, order[j].tier, order[j].r);
        int expected = (i < j) ? -1 : (i > j) ? 1 : 0;

        if ((c > 0) - (c < 0) != expected)
          g_error ("compare(%s, %s) = %d, expected %d", order[i].name, order[j].name, c, expected);
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sla/engine/table", test_engine_table);
  g_test_add_data_func ("/sla/engine/imported-ics", "cn-ics", test_engine_imported);
  g_test_add_data_func ("/sla/engine/imported-json", "cn-json", test_engine_imported);
  g_test_add_func ("/sla/policy/defaults", test_policy_defaults);
  g_test_add_func ("/sla/policy/json", test_policy_json);
  g_test_add_func ("/sla/policy/json-errors", test_policy_json_errors);
  g_test_add_func ("/sla/policy/json-pause-default", test_policy_json_pause_default);
  g_test_add_func ("/sla/engine/waiting-before-response", test_engine_waiting_before_response);
  g_test_add_func ("/sla/compare-urgency", test_compare_urgency);

  return g_test_run ();
}
