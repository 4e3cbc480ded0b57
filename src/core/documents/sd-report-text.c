/* sd-report-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-report-private.h"

const char *
_sd_report_severity_name (SdReportLanguage language,
                          int              severity)
{
  switch (severity)
    {
    case 1: return SD_LANG (language, "Critical", "严重");
    case 2: return SD_LANG (language, "High", "高");
    case 3: return SD_LANG (language, "Medium", "中型");
    case 4: return SD_LANG (language, "Low", "低");
    default: return "?";
    }
}

const char *
_sd_report_status_name (SdReportLanguage language,
                        SdCaseStatus     status)
{
  switch (status)
    {
    case SD_CASE_STATUS_NEW: return SD_LANG (language, "New", "新建");
    case SD_CASE_STATUS_IN_PROGRESS: return SD_LANG (language, "In progress", "处理中");
    case SD_CASE_STATUS_WAITING_CUSTOMER: return SD_LANG (language, "Waiting for your reply", "等待客户回复");
    case SD_CASE_STATUS_RESOLVED: return SD_LANG (language, "Resolved", "已解决");
    case SD_CASE_STATUS_CLOSED: return SD_LANG (language, "Closed", "已关闭");
    default: return "?";
    }
}

const char *
_sd_report_type_name (SdReportLanguage language,
                      SdCaseType       type)
{
  switch (type)
    {
    case SD_CASE_TYPE_INCIDENT: return SD_LANG (language, "Incident", "事件");
    case SD_CASE_TYPE_SIGNATURE_CHANGE: return SD_LANG (language, "Signature change", "特征码变更");
    case SD_CASE_TYPE_PRIVATE_PATCH: return SD_LANG (language, "Private patch", "专用补丁");
    case SD_CASE_TYPE_DATABASE_RELEASE: return SD_LANG (language, "Database release", "病毒库发布");
    case SD_CASE_TYPE_SERVICE_REQUEST: return SD_LANG (language, "Service request", "服务请求");
    default: return "?";
    }
}

const char *
_sd_report_sla_state_name (SdReportLanguage language,
                           SdSlaState       state)
{
  switch (state)
    {
    case SD_SLA_RUNNING: return SD_LANG (language, "running", "计时中");
    case SD_SLA_AT_RISK: return SD_LANG (language, "at risk", "即将超时");
    case SD_SLA_BREACHED: return SD_LANG (language, "breached", "已超时");
    case SD_SLA_PAUSED: return SD_LANG (language, "paused", "已暂停");
    case SD_SLA_MET: return SD_LANG (language, "met", "已达成");
    case SD_SLA_MISSED: return SD_LANG (language, "missed", "未达成");
    default: return "?";
    }
}

char *
_sd_report_format_time (gint64     t,
                        GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = tz ? g_date_time_to_timezone (utc, tz) : g_date_time_ref (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
_sd_report_format_duration (SdReportLanguage language,
                            gint64           seconds)
{
  gint64 minutes = (MAX (seconds, 0) + 59) / 60;
  gint64 hours = minutes / 60;

  minutes %= 60;
  if (hours == 0)
    return g_strdup_printf (SD_LANG (language, "%" G_GINT64_FORMAT " min", "%" G_GINT64_FORMAT " 分钟"),
                            minutes);
  if (minutes == 0)
    return g_strdup_printf (SD_LANG (language, "%" G_GINT64_FORMAT " h", "%" G_GINT64_FORMAT " 小时"),
                            hours);
  return g_strdup_printf (SD_LANG (language, "%" G_GINT64_FORMAT " h %" G_GINT64_FORMAT " min",
                                   "%" G_GINT64_FORMAT " 小时 %" G_GINT64_FORMAT " 分钟"),
                          hours, minutes);
}
