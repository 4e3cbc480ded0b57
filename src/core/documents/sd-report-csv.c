/* sd-report-csv.c — reports as CSV and as plain text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include <string.h>

#include "sd-report-private.h"
#include "sd-time.h"

#define UTF8_BOM "\xEF\xBB\xBF"

void
_sd_csv_append_field (GString    *csv,
                      const char *field)
{
  if (field == NULL)
    return;
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (csv, field);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

/* Appends one record: the fields up to the NULL sentinel. Empty fields
 * are written as "" (not skipped) so that every record keeps its
 * columns. */
static void
csv_row (GString *csv,
         ...)
{
  va_list args;
  const char *field;
  gboolean first = TRUE;

  va_start (args, csv);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      if (!first)
        g_string_append_c (csv, ',');
      _sd_csv_append_field (csv, field);
      first = FALSE;
    }
  va_end (args);
  g_string_append (csv, "\r\n");
}

static char *
csv_finish (GString *csv,
            gsize   *length)
{
  if (length != NULL)
    *length = csv->len;
  return g_string_free (csv, FALSE);
}

char *
_sd_report_percent_text (double percent)
{
  return percent < 0 ? g_strdup ("") : g_strdup_printf ("%.1f", percent);
}

static char *
seconds_text (gint64 seconds)
{
  return seconds < 0 ? g_strdup ("") : g_strdup_printf ("%" G_GINT64_FORMAT, seconds);
}

const char *
_sd_report_case_number (SdCase *kase)
{
  return sd_case_get_number (kase) ? sd_case_get_number (kase) : sd_case_get_id (kase);
}

char *
sd_daily_report_to_csv (const SdDailyReport *report,
                        gsize               *length)
{
  GString *csv = g_string_new (UTF8_BOM);
  SdReportLanguage language = report->items->len > 0
                              ? ((SdDailyReportItem *) report->items->pdata[0])->language
                              : SD_REPORT_LANGUAGE_ZH_CN;

  csv_row (csv, SD_LANG (language, "Case", "案例"), SD_LANG (language, "Customer", "客户"),
           SD_LANG (language, "Title", "标题"), SD_LANG (language, "Status", "状态"),
           SD_LANG (language, "Response", "响应"), SD_LANG (language, "Next report due", "下次报告截止"),
           SD_LANG (language, "Subject", "主题"), SD_LANG (language, "Report", "报告"), NULL);
  for (guint i = 0; i < report->items->len; i++)
    {
      SdDailyReportItem *item = report->items->pdata[i];
      g_autofree char *due = sd_time_format_iso8601 (item->sla.daily_report.due, NULL);

      csv_row (csv, _sd_report_case_number (item->kase), sd_customer_get_name (item->customer),
               sd_case_get_title (item->kase),
               _sd_report_status_name (item->language, sd_case_get_status (item->kase)),
               _sd_report_sla_state_name (item->language, item->sla.response.state),
               due, item->subject, item->body, NULL);
    }
  return csv_finish (csv, length);
}

char *
sd_quarterly_report_to_csv (const SdQuarterlyReport *report,
                            gsize                   *length)
{
  SdReportLanguage l = report->language;
  GString *csv = g_string_new (UTF8_BOM);
  g_autofree char *quarter = g_strdup_printf ("%dQ%d", report->year, report->quarter);

  csv_row (csv, SD_LANG (l, "Quarterly report", "季度报告"), report->customer_name, quarter, NULL);
  if (report->health_check_status != NULL)
    csv_row (csv, SD_LANG (l, "Health check", "运行状况检查"), report->health_check_status, NULL);

  g_string_append (csv, "\r\n");
  csv_row (csv, SD_LANG (l, "Cases", "案例"), SD_LANG (l, "Severity", "严重级别"),
           SD_LANG (l, "Type", "类型"), SD_LANG (l, "Opened", "新开"),
           SD_LANG (l, "Resolved", "已解决"), NULL);
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    for (guint t = 0; t < SD_N_CASE_TYPES; t++)
      {
        g_autofree char *opened = g_strdup_printf ("%u", report->opened[s - 1][t]);
        g_autofree char *resolved = g_strdup_printf ("%u", report->resolved[s - 1][t]);

        csv_row (csv, SD_LANG (l, "Cases", "案例"), _sd_report_severity_name (l, s),
                 _sd_report_type_name (l, t), opened, resolved, NULL);
      }

  g_string_append (csv, "\r\n");
  csv_row (csv, SD_LANG (l, "Response SLA", "响应时间 SLA"), SD_LANG (l, "Severity", "严重级别"),
           SD_LANG (l, "Met", "达成"), SD_LANG (l, "Missed", "未达成"),
           SD_LANG (l, "Pending", "未定"), SD_LANG (l, "Compliance %", "达成率 %"),
           SD_LANG (l, "Median response (s)", "响应时间中位数（秒）"),
           SD_LANG (l, "90th percentile (s)", "第 90 百分位（秒）"),
           SD_LANG (l, "Clock", "计时方式"),
           SD_LANG (l, "Median response, wall clock (s)", "响应时间中位数，自然时间（秒）"),
           SD_LANG (l, "90th percentile, wall clock (s)", "第 90 百分位，自然时间（秒）"), NULL);
  for (int s = 0; s <= SD_SEVERITY_MAX; s++)
    {
      const SdComplianceCount *c = s == 0 ? &report->compliance_total : &report->compliance[s - 1];
      g_autofree char *met = g_strdup_printf ("%u", c->met);
      g_autofree char *missed = g_strdup_printf ("%u", c->missed);
      g_autofree char *pending = g_strdup_printf ("%u", c->pending);
      g_autofree char *percent = _sd_report_percent_text (c->percent);
      g_autofree char *median = s == 0 ? g_strdup ("") : seconds_text (report->response_times[s - 1].median);
      g_autofree char *p90 = s == 0 ? g_strdup ("") : seconds_text (report->response_times[s - 1].p90);
      g_autofree char *wall_median = s == 0 ? g_strdup ("") : seconds_text (report->response_times[s - 1].wall_median);
      g_autofree char *wall_p90 = s == 0 ? g_strdup ("") : seconds_text (report->response_times[s - 1].wall_p90);
      const char *clock = s == 0 ? "" : report->clocks[s - 1] == SD_CLOCK_BUSINESS
                                        ? SD_LANG (l, "working hours", "工作时间") : "24x7";

      csv_row (csv, SD_LANG (l, "Response SLA", "响应时间 SLA"),
               s == 0 ? SD_LANG (l, "All", "全部") : _sd_report_severity_name (l, s),
               met, missed, pending, percent, median, p90, clock, wall_median, wall_p90, NULL);
    }
  csv_row (csv, SD_LANG (l, "Response SLA", "响应时间 SLA"), SD_LANG (l, "Note", "说明"),
           sd_report_response_time_note (l), NULL);

  g_string_append (csv, "\r\n");
  csv_row (csv, SD_LANG (l, "Monthly", "按月"), SD_LANG (l, "Month", "月份"),
           SD_LANG (l, "Met", "达成"), SD_LANG (l, "Missed", "未达成"),
           SD_LANG (l, "Compliance %", "达成率 %"), NULL);
  for (guint m = 0; m < 3; m++)
    {
      g_autofree char *month = g_strdup_printf ("%d-%02d", report->year,
                                                sd_quarterly_report_get_month (report, m));
      g_autofree char *met = g_strdup_printf ("%u", report->monthly[m].met);
      g_autofree char *missed = g_strdup_printf ("%u", report->monthly[m].missed);
      g_autofree char *percent = _sd_report_percent_text (report->monthly[m].percent);

      csv_row (csv, SD_LANG (l, "Monthly", "按月"), month, met, missed, percent, NULL);
    }

  g_string_append (csv, "\r\n");
  csv_row (csv, SD_LANG (l, "Breach", "超时"), SD_LANG (l, "Case", "案例"),
           SD_LANG (l, "Severity", "严重级别"), SD_LANG (l, "Title", "标题"),
           SD_LANG (l, "Due", "截止"), SD_LANG (l, "Responded", "响应时间"),
           SD_LANG (l, "Cause", "原因"), NULL);
  for (guint i = 0; i < report->breaches->len; i++)
    {
      SdReportBreach *b = report->breaches->pdata[i];
      g_autofree char *due = sd_time_format_iso8601 (b->due, NULL);
      g_autofree char *responded = b->responded_at == SD_TIME_NONE
                                   ? g_strdup ("") : sd_time_format_iso8601 (b->responded_at, NULL);

      csv_row (csv, SD_LANG (l, "Breach", "超时"), _sd_report_case_number (b->kase),
               _sd_report_severity_name (l, b->severity),
               sd_case_get_title (b->kase), due, responded, b->cause, NULL);
    }

  g_string_append (csv, "\r\n");
  csv_row (csv, SD_LANG (l, "Open", "未结"), SD_LANG (l, "Case", "案例"),
           SD_LANG (l, "Severity", "严重级别"), SD_LANG (l, "Status", "状态"),
           SD_LANG (l, "Title", "标题"), SD_LANG (l, "Age (days)", "时长（天）"), NULL);
  for (guint i = 0; i < report->open_items->len; i++)
    {
      SdReportOpenItem *item = report->open_items->pdata[i];
      g_autofree char *age = g_strdup_printf ("%.1f", item->age / 86400.0);

      csv_row (csv, SD_LANG (l, "Open", "未结"), _sd_report_case_number (item->kase),
               _sd_report_severity_name (l, sd_case_get_severity (item->kase)),
               _sd_report_status_name (l, sd_case_get_status (item->kase)),
               sd_case_get_title (item->kase), age, NULL);
    }

  return csv_finish (csv, length);
}

void
_sd_custom_report_row_cells (const SdCustomReport *report,
                             SdCustomReportRow    *row,
                             char                **cells)
{
  SdReportLanguage l = report->language;
  SdCase *kase = row->kase;

  cells[0] = g_strdup (_sd_report_case_number (kase));
  cells[1] = g_strdup (row->customer_name);
  cells[2] = g_strdup (sd_case_get_title (kase));
  cells[3] = g_strdup (_sd_report_type_name (l, sd_case_get_case_type (kase)));
  cells[4] = g_strdup (_sd_report_severity_name (l, sd_case_get_severity (kase)));
  cells[5] = g_strdup (_sd_report_status_name (l, sd_case_get_status (kase)));
  cells[6] = sd_time_format_iso8601 (sd_case_get_reported_at (kase), NULL);
  /* A response state held under another severity says which. */
  if (row->response_severity != sd_case_get_severity (kase) && sd_severity_is_valid (row->response_severity))
    cells[7] = g_strdup_printf (SD_LANG (l, "%s (%s)", "%s（%s）"),
                                _sd_report_sla_state_name (l, row->response_state),
                                _sd_report_severity_name (l, row->response_severity));
  else
    cells[7] = g_strdup (_sd_report_sla_state_name (l, row->response_state));
  cells[8] = seconds_text (row->response_time);
}

const char *
_sd_custom_report_header (SdReportLanguage l,
                          guint            column)
{
  switch (column)
    {
    case 0: return SD_LANG (l, "Case", "案例");
    case 1: return SD_LANG (l, "Customer", "客户");
    case 2: return SD_LANG (l, "Title", "标题");
    case 3: return SD_LANG (l, "Type", "类型");
    case 4: return SD_LANG (l, "Severity", "严重级别");
    case 5: return SD_LANG (l, "Status", "状态");
    case 6: return SD_LANG (l, "Reported", "报告时间");
    case 7: return SD_LANG (l, "Response", "响应");
    case 8: return SD_LANG (l, "Response time (s)", "响应时间（秒）");
    default: return "";
    }
}

char *
_sd_custom_report_totals (const SdCustomReport *report)
{
  SdReportLanguage l = report->language;
  g_autofree char *percent = _sd_report_percent_text (report->compliance.percent);

  return g_strdup_printf (SD_LANG (l, "Total %u; open %u; resolved %u; S1 %u, S2 %u, S3 %u, S4 %u; "
                                   "response met %u, missed %u, compliance %s%%",
                                   "合计 %u；未结 %u；已解决 %u；S1 %u，S2 %u，S3 %u，S4 %u；"
                                   "响应达成 %u，未达成 %u，达成率 %s%%"),
                          report->total, report->open, report->resolved,
                          report->by_severity[0], report->by_severity[1], report->by_severity[2],
                          report->by_severity[3], report->compliance.met, report->compliance.missed,
                          *percent ? percent : "–");
}

char *
sd_custom_report_to_csv (const SdCustomReport *report,
                         gsize                *length)
{
  GString *csv = g_string_new (UTF8_BOM);
  g_autofree char *totals = _sd_custom_report_totals (report);

  for (guint c = 0; c < 9; c++)
    {
      if (c > 0)
        g_string_append_c (csv, ',');
      _sd_csv_append_field (csv, _sd_custom_report_header (report->language, c));
    }
  g_string_append (csv, "\r\n");
  for (guint i = 0; i < report->rows->len; i++)
    {
      char *cells[9];

      _sd_custom_report_row_cells (report, report->rows->pdata[i], cells);
      for (guint c = 0; c < 9; c++)
        {
          if (c > 0)
            g_string_append_c (csv, ',');
          _sd_csv_append_field (csv, cells[c]);
          g_free (cells[c]);
        }
      g_string_append (csv, "\r\n");
    }
  csv_row (csv, SD_LANG (report->language, "Total", "合计"), totals, NULL);
  return csv_finish (csv, length);
}

static guint
text_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

char *
sd_custom_report_to_text (const SdCustomReport *report)
{
  GString *text = g_string_new (NULL);
  guint widths[9];
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *totals = _sd_custom_report_totals (report);

  for (guint c = 0; c < 9; c++)
    widths[c] = text_width (_sd_custom_report_header (report->language, c));
  for (guint i = 0; i < report->rows->len; i++)
    {
      char **cells = g_new0 (char *, 10);

      _sd_custom_report_row_cells (report, report->rows->pdata[i], cells);
      for (guint c = 0; c < 9; c++)
        widths[c] = MAX (widths[c], text_width (cells[c]));
      g_ptr_array_add (rows, cells);
    }

  for (guint r = 0; r <= rows->len; r++)
    {
      for (guint c = 0; c < 9; c++)
        {
          const char *cell = r == 0 ? _sd_custom_report_header (report->language, c)
                                    : ((char **) rows->pdata[r - 1])[c];

          g_string_append (text, cell);
          if (c < 8)
            for (guint w = text_width (cell); w < widths[c] + 2; w++)
              g_string_append_c (text, ' ');
        }
      g_string_append_c (text, '\n');
    }
  g_string_append_printf (text, "\n%s\n", totals);
  return g_string_free (text, FALSE);
}
