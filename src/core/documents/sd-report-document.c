/* sd-report-document.c — the reports as paginated documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include "sd-report-chart.h"
#include "sd-report-document.h"
#include "sd-report-private.h"
#include "sd-time.h"

#define CHART_HEIGHT 220.0

static char *
count_text (guint n)
{
  return g_strdup_printf ("%u", n);
}

static char *
percent_cell (double percent)
{
  return percent < 0 ? g_strdup ("–") : g_strdup_printf ("%.1f%%", percent);
}

static char *
duration_cell (SdReportLanguage l,
               gint64           seconds)
{
  return seconds < 0 ? g_strdup ("–") : _sd_report_format_duration (l, seconds);
}

/* Times are printed in UTC (the report structs do not carry the zone);
 * the column headers say so. */
static char *
time_cell (gint64 t)
{
  return t == SD_TIME_NONE ? g_strdup ("–") : _sd_report_format_time (t, NULL);
}

/* ---------------------------------------------------------------- daily */

SdDocument *
sd_daily_report_to_document (const SdDailyReport *report)
{
  g_autoptr(SdDocument) document = sd_document_new (NULL);
  SdReportLanguage l = report->items->len > 0
                       ? ((SdDailyReportItem *) report->items->pdata[0])->language
                       : SD_REPORT_LANGUAGE_ZH_CN;
  g_autofree char *now = _sd_report_format_time (report->now, NULL);

  g_return_val_if_fail (report != NULL, NULL);

  sd_document_add_title (document, SD_LANG (l, "Daily report on severity-1 cases", "一级严重案例每日报告"), NULL);
  sd_document_add_field (document, SD_LANG (l, "As of (UTC)", "截至（UTC）"), now);
  {
    g_autofree char *n = count_text (report->items->len);

    sd_document_add_field (document, SD_LANG (l, "Open severity-1 cases", "未结一级案例"), n);
  }
  if (report->items->len == 0)
    sd_document_add_paragraph (document, SD_LANG (l, "No open severity-1 case: no daily report is due.",
                                                  "没有未结的一级案例，无需每日报告。"));
  for (guint i = 0; i < report->items->len; i++)
    {
      SdDailyReportItem *item = report->items->pdata[i];

      sd_document_add_heading (document, item->subject, 1);
      sd_document_add_paragraph (document, item->body);
    }
  return g_steal_pointer (&document);
}

/* ------------------------------------------------------------ quarterly */

/* The charts read only the report's figures: each drawing holds a copy
 * without the pointer members. */
static SdQuarterlyReport *
chart_copy (const SdQuarterlyReport *report)
{
  SdQuarterlyReport *copy = g_memdup2 (report, sizeof *report);

  copy->customer_id = NULL;
  copy->customer_name = NULL;
  copy->breaches = NULL;
  copy->open_items = NULL;
  copy->health_check_status = NULL;
  return copy;
}

static void
draw_compliance (cairo_t  *cr,
                 double    width,
                 double    height,
                 gpointer  user_data)
{
  sd_report_draw_compliance_chart (cr, (int) width, (int) height, user_data);
}

static void
draw_severity (cairo_t  *cr,
               double    width,
               double    height,
               gpointer  user_data)
{
  sd_report_draw_severity_chart (cr, (int) width, (int) height, user_data);
}

static void
add_cases_table (SdDocument              *document,
                 const SdQuarterlyReport *report)
{
  SdReportLanguage l = report->language;
  const char *headers[SD_N_CASE_TYPES + 2] = { SD_LANG (l, "Severity", "严重级别") };
  double widths[SD_N_CASE_TYPES + 1] = { 1.2 };

  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    {
      headers[t + 1] = _sd_report_type_name (l, t);
      widths[t + 1] = 1;
    }
  sd_document_begin_table (document, SD_N_CASE_TYPES + 1, widths, headers);
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    {
      char *cells[SD_N_CASE_TYPES + 2] = { NULL };

      cells[0] = g_strdup (_sd_report_severity_name (l, s));
      for (guint t = 0; t < SD_N_CASE_TYPES; t++)
        cells[t + 1] = g_strdup_printf ("%u / %u", report->opened[s - 1][t], report->resolved[s - 1][t]);
      sd_document_add_row (document, (const char * const *) cells);
      for (guint c = 0; c <= SD_N_CASE_TYPES; c++)
        g_free (cells[c]);
    }
}

static void
add_sla_table (SdDocument              *document,
               const SdQuarterlyReport *report)
{
  SdReportLanguage l = report->language;
  const char *headers[] = { SD_LANG (l, "Severity", "严重级别"), SD_LANG (l, "Met", "达成"),
                            SD_LANG (l, "Missed", "未达成"), SD_LANG (l, "Pending", "未定"),
                            SD_LANG (l, "Compliance", "达成率"), SD_LANG (l, "Median response", "响应时间中位数"),
                            SD_LANG (l, "90th percentile", "第 90 百分位"), SD_LANG (l, "Clock", "计时方式"), NULL };
  const double widths[] = { 1.1, 0.7, 0.7, 0.7, 0.9, 1.9, 1.9, 1.0 };

  sd_document_begin_table (document, 8, widths, headers);
  for (int s = 1; s <= SD_SEVERITY_MAX + 1; s++)
    {
      gboolean total = s > SD_SEVERITY_MAX;
      const SdComplianceCount *c = total ? &report->compliance_total : &report->compliance[s - 1];
      g_autofree char *met = count_text (c->met);
      g_autofree char *missed = count_text (c->missed);
      g_autofree char *pending = count_text (c->pending);
      g_autofree char *percent = percent_cell (c->percent);
      const SdResponseTimes *times = total ? NULL : &report->response_times[s - 1];
      g_autofree char *median = total ? g_strdup ("")
                                : sd_report_response_time_text (l, report->clocks[s - 1], times->median, times->wall_median);
      g_autofree char *p90 = total ? g_strdup ("")
                             : sd_report_response_time_text (l, report->clocks[s - 1], times->p90, times->wall_p90);
      const char *clock = total ? "" : report->clocks[s - 1] == SD_CLOCK_BUSINESS
                                       ? SD_LANG (l, "working hours", "工作时间") : "24×7";
      const char *row[] = { total ? SD_LANG (l, "All", "全部") : _sd_report_severity_name (l, s),
                            met, missed, pending, percent, median, p90, clock, NULL };

      sd_document_add_row (document, row);
    }
}

SdDocument *
sd_quarterly_report_to_document (const SdQuarterlyReport *report)
{
  g_autoptr(SdDocument) document = NULL;
  SdReportLanguage l;
  g_autofree char *quarter = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *period = NULL;
  g_autofree char *now = NULL;
  g_autofree char *compliance = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  l = report->language;
  document = sd_document_new (NULL);
  quarter = g_strdup_printf (SD_LANG (l, "%dQ%d", "%d 年第 %d 季度"), report->year, report->quarter);
  subtitle = g_strdup_printf ("%s — %s", report->customer_name, quarter);
  period = g_strdup_printf ("%d-%02d – %d-%02d", report->year, sd_quarterly_report_get_month (report, 0),
                            report->year, sd_quarterly_report_get_month (report, 2));
  now = _sd_report_format_time (report->now, NULL);
  compliance = percent_cell (report->compliance_total.percent);

  sd_document_add_title (document, SD_LANG (l, "Quarterly report", "季度报告"), subtitle);
  sd_document_add_field (document, SD_LANG (l, "Customer", "客户"), report->customer_name);
  sd_document_add_field (document, SD_LANG (l, "Quarter", "季度"), quarter);
  sd_document_add_field (document, SD_LANG (l, "Months", "月份"), period);
  sd_document_add_field (document, SD_LANG (l, "As of (UTC)", "截至（UTC）"), now);
  sd_document_add_field (document, SD_LANG (l, "Response-SLA compliance", "响应时间 SLA 达成率"), compliance);
  if (report->health_check_status != NULL)
    sd_document_add_field (document, SD_LANG (l, "Health check", "运行状况检查"), report->health_check_status);
  sd_document_set_footer (document, report->customer_name);

  sd_document_add_heading (document, SD_LANG (l, "Cases opened / resolved", "新开 / 已解决案例"), 1);
  add_cases_table (document, report);
  sd_document_add_drawing (document, CHART_HEIGHT, draw_severity, chart_copy (report), g_free);

  sd_document_add_heading (document, SD_LANG (l, "Response SLA", "响应时间 SLA"), 1);
  sd_document_add_paragraph (document, SD_LANG (l, "Compliance = met ÷ (met + missed); cases whose response is "
                                                "not yet due are pending and left out. Response times are counted "
                                                "on each severity's SLA clock, without paused time.",
                                                "达成率 = 达成 ÷（达成 + 未达成）；尚未到期的案例为未定，不计入。"
                                                "响应时间按各严重级别的 SLA 计时方式计算，不含暂停时间。"));
  add_sla_table (document, report);
  sd_document_add_paragraph (document, sd_report_response_time_note (l));
  sd_document_add_heading (document, SD_LANG (l, "Compliance per month", "每月达成率"), 2);
  sd_document_add_drawing (document, CHART_HEIGHT, draw_compliance, chart_copy (report), g_free);

  sd_document_add_heading (document, SD_LANG (l, "Breaches", "超时"), 1);
  if (report->breaches->len == 0)
    sd_document_add_paragraph (document, SD_LANG (l, "No response target was missed.", "没有未达成的响应目标。"));
  else
    {
      const char *headers[] = { SD_LANG (l, "Case", "案例"), SD_LANG (l, "Severity", "严重级别"),
                                SD_LANG (l, "Title", "标题"), SD_LANG (l, "Due (UTC)", "截止（UTC）"),
                                SD_LANG (l, "Cause", "原因"), NULL };
      const double widths[] = { 1, 0.9, 2, 1.4, 3.5 };

      sd_document_begin_table (document, 5, widths, headers);
      for (guint i = 0; i < report->breaches->len; i++)
        {
          SdReportBreach *b = report->breaches->pdata[i];
          g_autofree char *due = time_cell (b->due);
          const char *row[] = { _sd_report_case_number (b->kase),
                                _sd_report_severity_name (l, b->severity),
                                sd_case_get_title (b->kase), due, b->cause, NULL };

          sd_document_add_row (document, row);
        }
    }

  sd_document_add_heading (document, SD_LANG (l, "Open items", "未结事项"), 1);
  if (report->open_items->len == 0)
    sd_document_add_paragraph (document, SD_LANG (l, "No case is open.", "没有未结案例。"));
  else
    {
      const char *headers[] = { SD_LANG (l, "Case", "案例"), SD_LANG (l, "Severity", "严重级别"),
                                SD_LANG (l, "Status", "状态"), SD_LANG (l, "Title", "标题"),
                                SD_LANG (l, "Age (days)", "时长（天）"), NULL };
      const double widths[] = { 1, 0.9, 1.1, 3, 0.9 };

      sd_document_begin_table (document, 5, widths, headers);
      for (guint i = 0; i < report->open_items->len; i++)
        {
          SdReportOpenItem *item = report->open_items->pdata[i];
          g_autofree char *age = g_strdup_printf ("%.1f", item->age / 86400.0);
          const char *row[] = { _sd_report_case_number (item->kase),
                                _sd_report_severity_name (l, sd_case_get_severity (item->kase)),
                                _sd_report_status_name (l, sd_case_get_status (item->kase)),
                                sd_case_get_title (item->kase), age, NULL };

          sd_document_add_row (document, row);
        }
    }
  return g_steal_pointer (&document);
}

/* --------------------------------------------------------------- custom */

SdDocument *
sd_custom_report_to_document (const SdCustomReport *report)
{
  g_autoptr(SdDocument) document = NULL;
  SdReportLanguage l;
  const char *headers[SD_CUSTOM_REPORT_N_COLUMNS + 1] = { NULL };
  /* Case, customer, title, type, severity, status, reported, response,
   * response time: the time is shown as a duration here. */
  const double widths[] = { 1, 1.4, 2.2, 1.1, 0.8, 1, 1.4, 0.9, 1 };
  g_autofree char *now = NULL;
  g_autofree char *totals = NULL;

  g_return_val_if_fail (report != NULL, NULL);

  l = report->language;
  document = sd_document_new (NULL);
  now = _sd_report_format_time (report->now, NULL);
  totals = _sd_custom_report_totals (report);

  sd_document_add_title (document, SD_LANG (l, "Case report", "案例报告"), NULL);
  sd_document_add_field (document, SD_LANG (l, "As of (UTC)", "截至（UTC）"), now);
  sd_document_add_field (document, SD_LANG (l, "Total", "合计"), totals);

  for (guint c = 0; c < SD_CUSTOM_REPORT_N_COLUMNS; c++)
    headers[c] = _sd_custom_report_header (l, c);
  headers[6] = SD_LANG (l, "Reported (UTC)", "报告时间（UTC）");
  headers[8] = SD_LANG (l, "Response time", "响应时间");
  sd_document_begin_table (document, SD_CUSTOM_REPORT_N_COLUMNS, widths, headers);
  for (guint i = 0; i < report->rows->len; i++)
    {
      SdCustomReportRow *row = report->rows->pdata[i];
      char *cells[SD_CUSTOM_REPORT_N_COLUMNS + 1] = { NULL };

      _sd_custom_report_row_cells (report, row, cells);
      g_free (cells[6]);
      cells[6] = time_cell (sd_case_get_reported_at (row->kase));
      g_free (cells[8]);
      cells[8] = duration_cell (l, row->response_time);
      sd_document_add_row (document, (const char * const *) cells);
      for (guint c = 0; c < SD_CUSTOM_REPORT_N_COLUMNS; c++)
        g_free (cells[c]);
    }
  sd_document_add_paragraph (document, totals);
  return g_steal_pointer (&document);
}
