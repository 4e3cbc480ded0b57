/* sd-enums.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sd-enums.h"

#define SD_DEFINE_ENUM_NAMES(Type, prefix, ...)                          \
  static const char * const prefix##_names[] = { __VA_ARGS__ };          \
  const char *                                                           \
  prefix##_to_string (Type value)                                        \
  {                                                                      \
    if ((guint) value >= G_N_ELEMENTS (prefix##_names))                  \
      return NULL;                                                       \
    return prefix##_names[value];                                        \
  }                                                                      \
  gboolean                                                               \
  prefix##_from_string (const char *name,                                \
                        Type       *out)                                 \
  {                                                                      \
    if (name == NULL)                                                    \
      return FALSE;                                                      \
    for (guint i = 0; i < G_N_ELEMENTS (prefix##_names); i++)            \
      if (g_str_equal (name, prefix##_names[i]))                         \
        {                                                                \
          *out = (Type) i;                                               \
          return TRUE;                                                   \
        }                                                                \
    return FALSE;                                                        \
  }

SD_DEFINE_ENUM_NAMES (SdTier, sd_tier, "msa_enterprise", "standard")
SD_DEFINE_ENUM_NAMES (SdRole, sd_role, "tam", "duty_manager", "engineer", "admin")
SD_DEFINE_ENUM_NAMES (SdCaseType, sd_case_type,
                      "incident", "signature_change", "private_patch",
                      "database_release", "service_request")
SD_DEFINE_ENUM_NAMES (SdCaseStatus, sd_case_status,
                      "new", "in_progress", "waiting_customer", "resolved", "closed")
SD_DEFINE_ENUM_NAMES (SdReportedVia, sd_reported_via, "portal", "email", "phone", "hotline")
SD_DEFINE_ENUM_NAMES (SdEventKind, sd_event_kind,
                      "comment", "status_change", "severity_change",
                      "response_given", "daily_report_sent", "progress_step",
                      "report_time_change")
SD_DEFINE_ENUM_NAMES (SdHealthCheckStatus, sd_health_check_status,
                      "requested", "scheduled", "in_progress", "completed", "cancelled")
SD_DEFINE_ENUM_NAMES (SdCheckResult, sd_check_result,
                      "not_checked", "pass", "warning", "fail", "not_applicable")
SD_DEFINE_ENUM_NAMES (SdClockKind, sd_clock_kind, "24x7", "business")
SD_DEFINE_ENUM_NAMES (SdSlaState, sd_sla_state,
                      "running", "at_risk", "breached", "paused", "met", "missed")
SD_DEFINE_ENUM_NAMES (SdSlaMetric, sd_sla_metric, "response", "daily_report")
SD_DEFINE_ENUM_NAMES (SdSlaEnd, sd_sla_end,
                      "open", "response", "daily_report", "severity_change", "resolution")
SD_DEFINE_ENUM_NAMES (SdSeverityChangeRule, sd_severity_change_rule, "restart", "retroactive")
SD_DEFINE_ENUM_NAMES (SdRequestedChange, sd_requested_change,
                      "remove_false_positive", "add_detection")
SD_DEFINE_ENUM_NAMES (SdSignatureOutcome, sd_signature_outcome,
                      "pending", "released", "declined")
SD_DEFINE_ENUM_NAMES (SdLifecycleStage, sd_lifecycle_stage,
                      "full_support", "limited_support", "end_of_life")
SD_DEFINE_ENUM_NAMES (SdUrgency, sd_urgency, "normal", "high", "critical")
SD_DEFINE_ENUM_NAMES (SdHealthCheckMode, sd_health_check_mode, "remote")
SD_DEFINE_ENUM_NAMES (SdReportChannel, sd_report_channel, "email", "phone")
SD_DEFINE_ENUM_NAMES (SdReportLanguage, sd_report_language, "zh_CN", "en")

const char *
sd_severity_get_label (int severity)
{
  switch (severity)
    {
    case 1: return C_("severity", "Critical");
    case 2: return C_("severity", "High");
    case 3: return C_("severity", "Medium");
    case 4: return C_("severity", "Low");
    default: return NULL;
    }
}

const char *
sd_severity_get_description (int severity)
{
  switch (severity)
    {
    case 1: return _("Business operations are interrupted, a system crashed or data was lost");
    case 2: return _("Operation is affected, without data corruption, data loss or a crash");
    case 3: return _("A non-critical problem, or a service request with some impact on the product");
    case 4: return _("A minor problem or an ordinary service request, with no business impact");
    default: return NULL;
    }
}

const char *
sd_case_type_get_label (SdCaseType type)
{
  switch (type)
    {
    case SD_CASE_TYPE_INCIDENT: return C_("case type", "Incident");
    case SD_CASE_TYPE_SIGNATURE_CHANGE: return C_("case type", "Signature Change");
    case SD_CASE_TYPE_PRIVATE_PATCH: return C_("case type", "Private Patch");
    case SD_CASE_TYPE_DATABASE_RELEASE: return C_("case type", "Database Release");
    case SD_CASE_TYPE_SERVICE_REQUEST: return C_("case type", "Service Request");
    default: return NULL;
    }
}

const char *
sd_reported_via_get_label (SdReportedVia via)
{
  switch (via)
    {
    case SD_REPORTED_VIA_PORTAL: return C_("reported via", "Portal");
    case SD_REPORTED_VIA_EMAIL: return C_("reported via", "E-mail");
    case SD_REPORTED_VIA_PHONE: return C_("reported via", "Phone");
    case SD_REPORTED_VIA_HOTLINE: return C_("reported via", "Hotline");
    default: return NULL;
    }
}

const char *
sd_case_status_get_label (SdCaseStatus status)
{
  switch (status)
    {
    case SD_CASE_STATUS_NEW: return C_("case status", "New");
    case SD_CASE_STATUS_IN_PROGRESS: return C_("case status", "In Progress");
    case SD_CASE_STATUS_WAITING_CUSTOMER: return C_("case status", "Waiting for Customer");
    case SD_CASE_STATUS_RESOLVED: return C_("case status", "Resolved");
    case SD_CASE_STATUS_CLOSED: return C_("case status", "Closed");
    default: return NULL;
    }
}

const char *
sd_sla_state_get_label (SdSlaState state)
{
  switch (state)
    {
    case SD_SLA_RUNNING: return C_("SLA state", "Running");
    case SD_SLA_AT_RISK: return C_("SLA state", "At Risk");
    case SD_SLA_BREACHED: return C_("SLA state", "Breached");
    case SD_SLA_PAUSED: return C_("SLA state", "Paused");
    case SD_SLA_MET: return C_("SLA state", "Met");
    case SD_SLA_MISSED: return C_("SLA state", "Missed");
    default: return NULL;
    }
}

const char *
sd_tier_get_label (SdTier tier)
{
  switch (tier)
    {
    case SD_TIER_MSA_ENTERPRISE: return _("MSA Enterprise");
    case SD_TIER_STANDARD: return _("Standard");
    default: return NULL;
    }
}

const char *
sd_check_result_get_label (SdCheckResult result)
{
  switch (result)
    {
    case SD_CHECK_RESULT_NOT_CHECKED: return C_("check result", "Not checked");
    case SD_CHECK_RESULT_PASS: return C_("check result", "Pass");
    case SD_CHECK_RESULT_WARNING: return C_("check result", "Warning");
    case SD_CHECK_RESULT_FAIL: return C_("check result", "Fail");
    case SD_CHECK_RESULT_NOT_APPLICABLE: return C_("check result", "Not applicable");
    default: return NULL;
    }
}

const char *
sd_health_check_status_get_label (SdHealthCheckStatus status)
{
  switch (status)
    {
    case SD_HEALTH_CHECK_REQUESTED: return C_("health check status", "Requested");
    case SD_HEALTH_CHECK_SCHEDULED: return C_("health check status", "Scheduled");
    case SD_HEALTH_CHECK_IN_PROGRESS: return C_("health check status", "In Progress");
    case SD_HEALTH_CHECK_COMPLETED: return C_("health check status", "Completed");
    case SD_HEALTH_CHECK_CANCELLED: return C_("health check status", "Cancelled");
    default: return NULL;
    }
}

const char *
sd_health_check_mode_get_label (SdHealthCheckMode mode)
{
  switch (mode)
    {
    case SD_HEALTH_CHECK_MODE_REMOTE: return C_("health check mode", "Remote session");
    default: return NULL;
    }
}
