/* sd-report.c — report input indexes, the quarterly and custom reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "sd-case-event.h"
#include "sd-case-sla.h"
#include "sd-sla-ledger.h"
#include "sd-error.h"
#include "sd-report-private.h"

struct _SdReportContext
{
  const SdReportInput *input;
  GHashTable          *customers;  /* id → SdReportCustomer, owned */
  GHashTable          *events;     /* case id → GPtrArray of borrowed SdCaseEvent */
  GHashTable          *records;    /* case id → borrowed SdSlaRecord */
  GArray              *pauses;     /* SdSlaSpan scratch for the engine input */
};

static void
report_customer_free (gpointer data)
{
  SdReportCustomer *customer = data;

  g_clear_object (&customer->policy);
  g_clear_object (&customer->calendar);
  g_clear_pointer (&customer->tz, g_time_zone_unref);
  g_free (customer);
}

static SdCalendar *
find_calendar (const SdReportInput *input,
               SdCustomer          *customer)
{
  const char *id = sd_customer_get_calendar_id (customer);
  SdCalendar *calendar;

  for (guint i = 0; input->calendars != NULL && i < input->calendars->len; i++)
    if (g_strcmp0 (sd_calendar_get_id (input->calendars->pdata[i]), id) == 0)
      return g_object_ref (input->calendars->pdata[i]);
  if (id != NULL && (calendar = sd_calendar_new_builtin (id)) != NULL)
    return calendar;
  if ((calendar = sd_calendar_new_for_time_zone (sd_customer_get_time_zone (customer), NULL)) != NULL)
    return calendar;
  return sd_calendar_new_for_time_zone ("UTC", NULL);
}

/* The policy and tier of a case: those in force on the day it was
 * reported, so that a later policy change leaves past reports as they
 * were (the server computes them the same way). */
static SdSlaPolicy *
case_policy (const SdReportInput *input,
             SdReportCustomer    *customer,
             SdCase              *kase,
             SdTier              *tier)
{
  guint32 day = sd_sla_policy_day_of (sd_case_get_reported_at (kase),
                                      sd_customer_get_time_zone (customer->customer));

  *tier = sd_customer_get_tier_on (customer->customer, day);
  return sd_sla_policy_pick (input->policies, sd_customer_get_id (customer->customer), *tier, day);
}

SdReportContext *
_sd_report_context_new (const SdReportInput *input)
{
  SdReportContext *self = g_new0 (SdReportContext, 1);

  self->input = input;
  self->customers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, report_customer_free);
  self->events = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) g_ptr_array_unref);
  self->pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  self->records = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; input->sla_records != NULL && i < input->sla_records->len; i++)
    g_hash_table_replace (self->records,
                          (gpointer) sd_sla_record_get_case_id (input->sla_records->pdata[i]),
                          input->sla_records->pdata[i]);

  for (guint i = 0; input->customers != NULL && i < input->customers->len; i++)
    {
      SdCustomer *customer = input->customers->pdata[i];
      SdReportCustomer *entry = g_new0 (SdReportCustomer, 1);

      entry->customer = customer;
      entry->policy = sd_sla_policy_pick (input->policies, sd_customer_get_id (customer),
                                          sd_customer_get_tier (customer),
                                          sd_sla_policy_day_of (g_get_real_time () / G_USEC_PER_SEC,
                                                                sd_customer_get_time_zone (customer)));
      entry->calendar = find_calendar (input, customer);
      entry->tz = g_time_zone_ref (sd_calendar_get_time_zone (entry->calendar));
      g_hash_table_replace (self->customers, (gpointer) sd_customer_get_id (customer), entry);
    }

  for (guint i = 0; input->events != NULL && i < input->events->len; i++)
    {
      SdCaseEvent *event = input->events->pdata[i];
      const char *case_id = sd_case_event_get_case_id (event);
      GPtrArray *list = g_hash_table_lookup (self->events, case_id);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->events, (gpointer) case_id, list);
        }
      g_ptr_array_add (list, event);
    }

  return self;
}

void
_sd_report_context_free (SdReportContext *self)
{
  g_clear_pointer (&self->customers, g_hash_table_unref);
  g_clear_pointer (&self->events, g_hash_table_unref);
  g_clear_pointer (&self->records, g_hash_table_unref);
  g_clear_pointer (&self->pauses, g_array_unref);
  g_free (self);
}

SdReportCustomer *
_sd_report_context_customer (SdReportContext *self,
                             const char      *customer_id)
{
  return customer_id ? g_hash_table_lookup (self->customers, customer_id) : NULL;
}

GPtrArray *
_sd_report_context_events (SdReportContext *self,
                           const char      *case_id)
{
  return g_hash_table_lookup (self->events, case_id);
}

GArray *
_sd_report_context_ledger (SdReportContext  *self,
                           SdReportCustomer *customer,
                           SdCase           *kase,
                           gint64            now)
{
  SdSlaRecord *record = g_hash_table_lookup (self->records, sd_case_get_id (kase));
  SdTier tier;
  g_autoptr(SdSlaPolicy) policy = case_policy (self->input, customer, kase, &tier);
  GArray *ledger;

  ledger = sd_sla_ledger_derive (kase, _sd_report_context_events (self, sd_case_get_id (kase)),
                                 policy, customer->calendar, tier, now);
  if (record != NULL)
    sd_sla_ledger_keep (ledger, sd_sla_record_get_periods (record));
  return ledger;
}

int
_sd_report_context_compute (SdReportContext  *self,
                            SdReportCustomer *customer,
                            SdCase           *kase,
                            gint64            now,
                            SdSlaResult      *result,
                            SdSlaPeriod      *period)
{
  g_autoptr(GArray) ledger = NULL;
  const SdSlaPeriod *response;
  SdSlaInput input;
  SdTier tier;
  g_autoptr(SdSlaPolicy) policy = case_policy (self->input, customer, kase, &tier);

  sd_case_build_sla_input (kase, _sd_report_context_events (self, sd_case_get_id (kase)),
                           policy, tier, &input, self->pauses);
  sd_sla_compute (&input, policy, customer->calendar, now, result);

  /* The response as the SLA record has it: a breach stays, at the
   * severity it happened under. */
  ledger = _sd_report_context_ledger (self, customer, kase, now);
  if ((response = sd_sla_ledger_get_response (ledger)) == NULL)
    {
      if (period != NULL)
        *period = (SdSlaPeriod) { .severity = sd_case_get_severity (kase), .state = result->response.state };
      return sd_case_get_severity (kase);
    }
  if (period != NULL)
    *period = *response;
  result->response.state = response->state;
  result->response.clock = response->clock;
  result->response.target = response->target;
  result->response.elapsed = response->elapsed;
  result->response.remaining = response->target - response->elapsed;
  result->response.due = response->due;
  return response->severity;
}

gboolean
sd_report_parse_quarter (const char  *text,
                         int         *year,
                         int         *quarter,
                         GError     **error)
{
  g_autoptr(GRegex) regex = g_regex_new ("^([0-9]{4})-?[Qq]([1-4])$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *y = NULL;
  g_autofree char *q = NULL;

  if (text == NULL || !g_regex_match (regex, text, 0, &match))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("“%s” is not a quarter: write it as 2026Q3"), text ? text : "");
      return FALSE;
    }
  y = g_match_info_fetch (match, 1);
  q = g_match_info_fetch (match, 2);
  *year = atoi (y);
  *quarter = atoi (q);
  if (*year < 1900 || *year > 2399)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("“%s” is not a quarter: the year must be 1900–2399"), text);
      return FALSE;
    }
  return TRUE;
}

/* -------------------------------------------------------------- numbers */

static void
compliance_count (SdComplianceCount *count,
                  SdSlaState         state)
{
  switch (state)
    {
    case SD_SLA_MET:
      count->met++;
      break;
    case SD_SLA_MISSED:
    case SD_SLA_BREACHED:
      count->missed++;
      break;
    case SD_SLA_RUNNING:
    case SD_SLA_AT_RISK:
    case SD_SLA_PAUSED:
    default:
      count->pending++;
      break;
    }
}

static void
compliance_finish (SdComplianceCount *count)
{
  guint decided = count->met + count->missed;

  count->percent = decided > 0 ? 100.0 * count->met / decided : -1;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The median and the 90th percentile of @values (sorted here); -1 for none. */
static void
median_and_p90 (GArray *values,
                gint64 *median,
                gint64 *p90)
{
  gint64 *v = (gint64 *) (gpointer) values->data;
  guint n = values->len;

  if (n == 0)
    {
      *median = *p90 = -1;
      return;
    }
  g_array_sort (values, compare_gint64);
  *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  /* Nearest rank: the smallest value with at least 90 % at or below it. */
  *p90 = v[(guint) ceil (0.9 * n) - 1];
}

static void
response_times_finish (SdResponseTimes *times,
                       GArray          *values,
                       GArray          *wall_values)
{
  times->n = values->len;
  median_and_p90 (values, &times->median, &times->p90);
  median_and_p90 (wall_values, &times->wall_median, &times->wall_p90);
}

static gint64
local_instant (GTimeZone *tz,
               int        year,
               int        month)
{
  g_autoptr(GDateTime) dt = NULL;

  if (month > 12)
    {
      year++;
      month -= 12;
    }
  dt = g_date_time_new (tz, year, month, 1, 0, 0, 0);
  return g_date_time_to_unix (dt);
}

static int
local_month_index (GTimeZone *tz,
                   gint64     t,
                   int        year,
                   int        first_month)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return (g_date_time_get_year (local) - year) * 12 + g_date_time_get_month (local) - first_month;
}

/* ------------------------------------------------------------- quarterly */

static void
breach_free (gpointer data)
{
  SdReportBreach *breach = data;

  g_clear_object (&breach->kase);
  g_free (breach->cause);
  g_free (breach);
}

static void
open_item_free (gpointer data)
{
  SdReportOpenItem *item = data;

  g_clear_object (&item->kase);
  g_free (item);
}

/* Why the response came late, in words for the customer. */
static char *
breach_cause (SdReportContext  *context,
              SdReportCustomer *customer,
              SdCase           *kase,
              const SdSlaClock *clock,
              SdReportLanguage  language)
{
  GString *cause = g_string_new (NULL);
  GPtrArray *events = _sd_report_context_events (context, sd_case_get_id (kase));
  g_autofree char *target = _sd_report_format_duration (language, clock->target);
  g_autofree char *late = _sd_report_format_duration (language, -clock->remaining);
  const char *working = clock->clock == SD_CLOCK_BUSINESS ? SD_LANG (language, " working time", "工作时间") : "";

  if (clock->state == SD_SLA_MISSED)
    g_string_append_printf (cause, SD_LANG (language, "Responded %s late against a %s%s target",
                                            "响应超出目标（%2$s%3$s）%1$s"),
                            late, target, working);
  else
    g_string_append_printf (cause, SD_LANG (language, "No response yet, %s past the %s%s target",
                                            "尚未响应，已超出目标（%2$s%3$s）%1$s"),
                            late, target, working);

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      SdCaseEvent *event = events->pdata[i];

      if (sd_case_event_get_kind (event) == SD_EVENT_SEVERITY_CHANGE
          && sd_case_event_get_severity_to (event) < sd_case_event_get_severity_from (event))
        {
          g_autofree char *when = _sd_report_format_time (sd_case_event_get_at (event), customer->tz);

          g_string_append_printf (cause, SD_LANG (language,
                                                  "; severity raised from %s to %s on %s (%s): "
                                                  "the target counts from the original report",
                                                  "；严重级别于 %3$s 从“%1$s”提高到“%2$s”（%4$s），"
                                                  "目标从最初报告时间起算"),
                                  _sd_report_severity_name (language, sd_case_event_get_severity_from (event)),
                                  _sd_report_severity_name (language, sd_case_event_get_severity_to (event)),
                                  when, sd_case_event_get_reason (event));
        }
    }
  return g_string_free (cause, FALSE);
}

static int
compare_breaches (gconstpointer a,
                  gconstpointer b)
{
  const SdReportBreach *x = *(SdReportBreach **) a;
  const SdReportBreach *y = *(SdReportBreach **) b;

  return x->due < y->due ? -1 : x->due > y->due;
}

static int
compare_open_items (gconstpointer a,
                    gconstpointer b)
{
  const SdReportOpenItem *x = *(SdReportOpenItem **) a;
  const SdReportOpenItem *y = *(SdReportOpenItem **) b;
  int sx = sd_case_get_severity (x->kase);
  int sy = sd_case_get_severity (y->kase);

  if (sx != sy)
    return sx - sy;
  return x->age > y->age ? -1 : x->age < y->age;
}

/* The day (Julian) of @t in @tz. */
static guint32
local_julian (GTimeZone *tz,
              gint64     t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  return g_date_get_julian (&date);
}

SdQuarterlyReport *
sd_quarterly_report_build (const SdReportInput  *input,
                           const char           *customer_id,
                           int                   year,
                           int                   quarter,
                           SdReportLanguage      language,
                           gint64                now,
                           GError              **error)
{
  g_autoptr(SdReportContext) context = NULL;
  GArray *times[SD_SEVERITY_MAX];
  GArray *wall_times[SD_SEVERITY_MAX];
  SdQuarterlyReport *report;
  SdReportCustomer *customer;
  int first_month = (quarter - 1) * 3 + 1;

  g_return_val_if_fail (input != NULL, NULL);

  if (quarter < 1 || quarter > 4 || year < 1900 || year > 2399)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("%dQ%d is not a quarter"), year, quarter);
      return NULL;
    }
  context = _sd_report_context_new (input);
  if (!(customer = _sd_report_context_customer (context, customer_id)))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("No customer “%s”"), customer_id ? customer_id : "");
      return NULL;
    }

  report = g_new0 (SdQuarterlyReport, 1);
  report->customer_id = g_strdup (customer_id);
  report->customer_name = g_strdup (sd_customer_get_name (customer->customer));
  report->language = language == SD_REPORT_LANGUAGE_CUSTOMER
                     ? sd_customer_get_report_language (customer->customer) : language;
  report->year = year;
  report->quarter = quarter;
  report->start = local_instant (customer->tz, year, first_month);
  report->end = local_instant (customer->tz, year, first_month + 3);
  report->now = now;
  report->breaches = g_ptr_array_new_with_free_func (breach_free);
  report->open_items = g_ptr_array_new_with_free_func (open_item_free);
  for (int s = 0; s < SD_SEVERITY_MAX; s++)
    {
      times[s] = g_array_new (FALSE, FALSE, sizeof (gint64));
      wall_times[s] = g_array_new (FALSE, FALSE, sizeof (gint64));
      report->clocks[s] = sd_sla_policy_get_clock (customer->policy, s + 1);
    }

  for (guint i = 0; input->cases != NULL && i < input->cases->len; i++)
    {
      SdCase *kase = input->cases->pdata[i];
      gint64 reported = sd_case_get_reported_at (kase);
      gint64 resolved = sd_case_get_resolved_at (kase);
      int severity = sd_case_get_severity (kase);
      SdCaseType type = sd_case_get_case_type (kase);
      SdSlaResult sla;
      SdSlaPeriod response = { 0 };

      if (g_strcmp0 (sd_case_get_customer_id (kase), customer_id) != 0
          || !sd_severity_is_valid (severity) || (guint) type >= SD_N_CASE_TYPES
          || reported == SD_TIME_NONE)
        continue;

      /* A case counts at the severity its SLA record decides by: a breach
       * stays with the severity it happened under. */
      if ((resolved != SD_TIME_NONE && resolved >= report->start && resolved < report->end)
          || (reported >= report->start && reported < report->end))
        severity = _sd_report_context_compute (context, customer, kase, now, &sla, &response);

      if (resolved != SD_TIME_NONE && resolved >= report->start && resolved < report->end)
        report->resolved[severity - 1][type]++;

      if (reported >= report->end)
        continue;

      if (reported < report->start)
        {
          /* Still open from an earlier quarter: an open item. */
          if (sd_case_is_open (kase))
            {
              SdReportOpenItem *item = g_new0 (SdReportOpenItem, 1);

              _sd_report_context_compute (context, customer, kase, now, &sla, NULL);
              item->kase = g_object_ref (kase);
              item->response_state = sla.response.state;
              item->age = now - reported;
              g_ptr_array_add (report->open_items, item);
            }
          continue;
        }

      report->opened[severity - 1][type]++;
      compliance_count (&report->compliance[severity - 1], sla.response.state);
      compliance_count (&report->compliance_total, sla.response.state);
      {
        int month = local_month_index (customer->tz, reported, year, first_month);

        if (month >= 0 && month < 3)
          compliance_count (&report->monthly[month], sla.response.state);
      }

      if (sla.response.state == SD_SLA_MET || sla.response.state == SD_SLA_MISSED)
        {
          gint64 responded = sd_case_get_responded_at (kase);
          gint64 wall = responded != SD_TIME_NONE ? MAX (responded - reported, 0) : 0;

          g_array_append_val (times[severity - 1], sla.response.elapsed);
          g_array_append_val (wall_times[severity - 1], wall);
        }

      if (sla.response.state == SD_SLA_MISSED || sla.response.state == SD_SLA_BREACHED)
        {
          SdReportBreach *breach = g_new0 (SdReportBreach, 1);

          breach->kase = g_object_ref (kase);
          breach->severity = severity;
          breach->kept = response.kept;
          breach->state = sla.response.state;
          breach->clock = sla.response.clock;
          breach->target = sla.response.target;
          breach->due = sla.response.due;
          breach->responded_at = sla.response.state == SD_SLA_MISSED
                                 ? sd_case_get_responded_at (kase) : SD_TIME_NONE;
          breach->overdue = -sla.response.remaining;
          breach->cause = breach_cause (context, customer, kase, &sla.response, report->language);
          g_ptr_array_add (report->breaches, breach);
        }

      if (sd_case_is_open (kase))
        {
          SdReportOpenItem *item = g_new0 (SdReportOpenItem, 1);

          item->kase = g_object_ref (kase);
          item->response_state = sla.response.state;
          item->age = now - reported;
          g_ptr_array_add (report->open_items, item);
        }
    }

  /* responded_at may come from a response_given event only; that event
   * says whether it was entered long after its time. */
  for (guint i = 0; i < report->breaches->len; i++)
    {
      SdReportBreach *breach = report->breaches->pdata[i];
      GPtrArray *events = _sd_report_context_events (context, sd_case_get_id (breach->kase));

      if (breach->state == SD_SLA_MISSED && breach->responded_at == SD_TIME_NONE)
        {
          SdSlaInput sla_input;
          SdTier tier;
          g_autoptr(SdSlaPolicy) policy = case_policy (input, customer, breach->kase, &tier);

          sd_case_build_sla_input (breach->kase,
                                   _sd_report_context_events (context, sd_case_get_id (breach->kase)),
                                   policy, tier, &sla_input, context->pauses);
          breach->responded_at = sla_input.responded_at;
        }
      for (guint e = 0; events != NULL && e < events->len; e++)
        if (sd_case_event_get_kind (events->pdata[e]) == SD_EVENT_RESPONSE_GIVEN
            && sd_case_event_get_at (events->pdata[e]) == breach->responded_at
            && sd_case_event_is_backdated (events->pdata[e]))
          breach->backdated = TRUE;

      /* The record says how it knows. */
      if (breach->kept || breach->backdated)
        {
          char *cause = g_strconcat (breach->cause ? breach->cause : "",
                                     breach->kept
                                     ? SD_LANG (report->language,
                                                " The breach was on record before the response was entered.",
                                                "录入响应之前，超时已记录在案。")
                                     : "",
                                     breach->backdated
                                     ? SD_LANG (report->language,
                                                " The response was entered later (backdated).",
                                                "该响应为事后补录。")
                                     : "",
                                     NULL);

          g_free (breach->cause);
          breach->cause = cause;
        }
    }

  for (int s = 0; s < SD_SEVERITY_MAX; s++)
    {
      compliance_finish (&report->compliance[s]);
      response_times_finish (&report->response_times[s], times[s], wall_times[s]);
      g_array_unref (times[s]);
      g_array_unref (wall_times[s]);
    }
  compliance_finish (&report->compliance_total);
  for (int m = 0; m < 3; m++)
    compliance_finish (&report->monthly[m]);
  g_ptr_array_sort (report->breaches, compare_breaches);
  g_ptr_array_sort (report->open_items, compare_open_items);

  if (input->health_checks != NULL)
    {
      /* As of the quarter's last day, or today while the quarter runs. */
      SdHealthCheckYear check_year;
      g_autofree char *line = NULL;
      guint32 day = local_julian (customer->tz, MIN (report->end - 1, now));

      sd_health_check_year (customer->customer, customer->calendar, input->health_checks, day, &check_year);
      line = sd_report_health_check_line (&check_year, report->language);
      sd_quarterly_report_set_health_check_status (report, line);
    }

  return report;
}

char *
sd_report_response_time_text (SdReportLanguage language,
                              SdClockKind      clock,
                              gint64           seconds,
                              gint64           wall_seconds)
{
  g_autofree char *working = NULL;
  g_autofree char *wall = NULL;

  if (seconds < 0)
    return g_strdup ("–");
  working = _sd_report_format_duration (language, seconds);
  if (clock != SD_CLOCK_BUSINESS || wall_seconds < 0)
    return g_steal_pointer (&working);
  wall = _sd_report_format_duration (language, wall_seconds);
  return g_strdup_printf (SD_LANG (language, "%s (wall clock %s)", "%s（自然时间 %s）"), working, wall);
}

const char *
sd_report_response_time_note (SdReportLanguage language)
{
  return SD_LANG (language,
                  "On working-hours clocks the first figure is working time: only the minutes inside the "
                  "customer's working hours count, so a response given outside them counts as 0 min. In "
                  "brackets, the wall-clock time from the report to the first response, nights, weekends "
                  "and holidays included.",
                  "按工作时间计时的级别，第一个数字为工作时间：只计客户工作时间内的分钟，因此在非工作时间"
                  "作出的响应计为 0 分钟。括号内为自然时间：从提交请求到首次响应的实际时长，包括夜间、周末和"
                  "节假日。");
}

char *
sd_report_health_check_line (const SdHealthCheckYear *year,
                             SdReportLanguage         language)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *day = NULL;
  g_autofree char *next = NULL;
  g_autofree char *period = NULL;
  SdReportLanguage l = language;

  g_return_val_if_fail (year != NULL, NULL);

  if (year->state == SD_HEALTH_CHECK_YEAR_NOT_ENTITLED)
    return g_strdup (SD_LANG (l, "Not included: the yearly health check comes with the extended-support certificate",
                              "不适用：取得扩展技术支持证书后，可以要求每年进行一次运行状况检查"));

  start = sd_date_format (year->start);
  end = sd_date_format (year->end);
  day = year->day ? sd_date_format (year->day) : NULL;
  next = sd_date_format (year->next_due);
  period = g_strdup_printf (SD_LANG (l, "Contract year %s – %s", "合同年度 %s – %s"), start, end);

  switch (year->state)
    {
    case SD_HEALTH_CHECK_YEAR_DONE:
      return g_strdup_printf (SD_LANG (l, "%s: done on %s; the next one can be requested from %s",
                                       "%s：已于 %s 完成；自 %s 起可以要求下一次检查"), period, day, next);
    case SD_HEALTH_CHECK_YEAR_SCHEDULED:
      return g_strdup_printf (SD_LANG (l, "%s: scheduled for %s (remote, one working day)",
                                       "%s：已安排在 %s 远程执行（一个工作日）"), period, day);
    case SD_HEALTH_CHECK_YEAR_REQUESTED:
      return g_strdup_printf (SD_LANG (l, "%s: requested on %s; the day is still to be agreed (at least two weeks ahead)",
                                       "%s：已于 %s 提出要求；执行日期待商定（至少提前两周）"), period, day);
    case SD_HEALTH_CHECK_YEAR_DUE:
    case SD_HEALTH_CHECK_YEAR_NOT_ENTITLED:
    default:
      return g_strdup_printf (SD_LANG (l, "%s: due, not requested yet (one a year, remote; agree the day at least two weeks ahead)",
                                       "%s：尚未要求（每年一次，远程执行；执行日期应至少提前两周商定）"), period);
    }
}

void
sd_quarterly_report_free (SdQuarterlyReport *report)
{
  if (report == NULL)
    return;
  g_free (report->customer_id);
  g_free (report->customer_name);
  g_clear_pointer (&report->breaches, g_ptr_array_unref);
  g_clear_pointer (&report->open_items, g_ptr_array_unref);
  g_free (report->health_check_status);
  g_free (report);
}

void
sd_quarterly_report_set_health_check_status (SdQuarterlyReport *report,
                                             const char        *status)
{
  g_return_if_fail (report != NULL);
  g_free (report->health_check_status);
  report->health_check_status = g_strdup (status);
}

guint
sd_quarterly_report_count_opened (const SdQuarterlyReport *report,
                                  int                      severity)
{
  guint n = 0;

  g_return_val_if_fail (sd_severity_is_valid (severity), 0);
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    n += report->opened[severity - 1][t];
  return n;
}

guint
sd_quarterly_report_count_resolved (const SdQuarterlyReport *report,
                                    int                      severity)
{
  guint n = 0;

  g_return_val_if_fail (sd_severity_is_valid (severity), 0);
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    n += report->resolved[severity - 1][t];
  return n;
}

int
sd_quarterly_report_get_month (const SdQuarterlyReport *report,
                               guint                    i)
{
  g_return_val_if_fail (i < 3, 0);
  return (report->quarter - 1) * 3 + 1 + (int) i;
}

/* ---------------------------------------------------------------- custom */

static void
custom_row_free (gpointer data)
{
  SdCustomReportRow *row = data;

  g_clear_object (&row->kase);
  g_free (row->customer_name);
  g_free (row);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const SdCustomReportRow *x = *(SdCustomReportRow **) a;
  const SdCustomReportRow *y = *(SdCustomReportRow **) b;
  gint64 tx = sd_case_get_reported_at (x->kase);
  gint64 ty = sd_case_get_reported_at (y->kase);

  if (tx != ty)
    return tx < ty ? -1 : 1;
  return g_strcmp0 (sd_case_get_number (x->kase), sd_case_get_number (y->kase));
}

SdCustomReport *
sd_custom_report_build (const SdReportInput  *input,
                        const SdReportFilter *filter,
                        SdReportLanguage      language,
                        gint64                now)
{
  g_autoptr(SdReportContext) context = NULL;
  SdCustomReport *report;
  gboolean all_customers;

  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (language != SD_REPORT_LANGUAGE_CUSTOMER, NULL);

  context = _sd_report_context_new (input);
  report = g_new0 (SdCustomReport, 1);
  report->language = language;
  report->now = now;
  report->rows = g_ptr_array_new_with_free_func (custom_row_free);
  all_customers = filter->customer_ids == NULL || filter->customer_ids[0] == NULL;

  for (guint i = 0; input->cases != NULL && i < input->cases->len; i++)
    {
      SdCase *kase = input->cases->pdata[i];
      const char *customer_id = sd_case_get_customer_id (kase);
      SdReportCustomer *customer = _sd_report_context_customer (context, customer_id);
      int severity = sd_case_get_severity (kase);
      SdCustomReportRow *row;
      SdSlaResult sla;
      guint32 day;

      if (customer == NULL || sd_case_get_reported_at (kase) == SD_TIME_NONE
          || (!all_customers && !g_strv_contains (filter->customer_ids, customer_id))
          || (filter->severities != 0 && !(filter->severities & (1u << severity)))
          || (filter->types != 0 && !(filter->types & (1u << sd_case_get_case_type (kase))))
          || (filter->statuses != 0 && !(filter->statuses & (1u << sd_case_get_status (kase)))))
        continue;
      if (filter->from != 0 || filter->to != 0)
        {
          day = local_julian (customer->tz, sd_case_get_reported_at (kase));
          if ((filter->from != 0 && day < filter->from) || (filter->to != 0 && day > filter->to))
            continue;
        }

      row = g_new0 (SdCustomReportRow, 1);
      row->response_severity = _sd_report_context_compute (context, customer, kase, now, &sla, NULL);
      row->kase = g_object_ref (kase);
      row->customer_name = g_strdup (sd_customer_get_name (customer->customer));
      row->response_state = sla.response.state;
      row->response_time = (sla.response.state == SD_SLA_MET || sla.response.state == SD_SLA_MISSED)
                           ? sla.response.elapsed : -1;
      g_ptr_array_add (report->rows, row);

      report->total++;
      if (sd_case_is_open (kase))
        report->open++;
      else
        report->resolved++;
      if (sd_severity_is_valid (severity))
        report->by_severity[severity - 1]++;
      compliance_count (&report->compliance, sla.response.state);
    }
  compliance_finish (&report->compliance);
  g_ptr_array_sort (report->rows, compare_rows);

  return report;
}

void
sd_custom_report_free (SdCustomReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->rows, g_ptr_array_unref);
  g_free (report);
}

void
sd_report_input_clear (SdReportInput *input)
{
  g_clear_pointer (&input->customers, g_ptr_array_unref);
  g_clear_pointer (&input->cases, g_ptr_array_unref);
  g_clear_pointer (&input->events, g_ptr_array_unref);
  g_clear_pointer (&input->calendars, g_ptr_array_unref);
  g_clear_pointer (&input->policies, g_ptr_array_unref);
  g_clear_pointer (&input->health_checks, g_ptr_array_unref);
  g_clear_pointer (&input->sla_records, g_ptr_array_unref);
  g_clear_pointer (&input->contacts, g_ptr_array_unref);
  g_clear_pointer (&input->sender_name, g_free);
  g_clear_pointer (&input->users, g_ptr_array_unref);
  g_clear_pointer (&input->duty_shifts, g_ptr_array_unref);
}

SdCoverage *
sd_report_input_coverage (const SdReportInput *input)
{
  SdCoverage *coverage = sd_coverage_new ();

  g_return_val_if_fail (input != NULL, coverage);

  for (guint i = 0; input->customers != NULL && i < input->customers->len; i++)
    sd_coverage_add_customer (coverage, input->customers->pdata[i]);
  for (guint i = 0; input->users != NULL && i < input->users->len; i++)
    sd_coverage_add_user (coverage, input->users->pdata[i]);
  for (guint i = 0; input->calendars != NULL && i < input->calendars->len; i++)
    sd_coverage_add_calendar (coverage, input->calendars->pdata[i]);
  for (guint i = 0; input->duty_shifts != NULL && i < input->duty_shifts->len; i++)
    sd_coverage_add_shift (coverage, input->duty_shifts->pdata[i]);
  return coverage;
}
