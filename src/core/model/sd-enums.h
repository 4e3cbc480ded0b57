/* sd-enums.h — the closed vocabularies of the domain, and their wire names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SD_TIER_MSA_ENTERPRISE,
  SD_TIER_STANDARD,
} SdTier;

typedef enum {
  SD_ROLE_TAM,
  SD_ROLE_DUTY_MANAGER,
  SD_ROLE_ENGINEER,
  SD_ROLE_ADMIN,
} SdRole;

typedef enum {
  SD_CASE_TYPE_INCIDENT,
  SD_CASE_TYPE_SIGNATURE_CHANGE,
  SD_CASE_TYPE_PRIVATE_PATCH,
  SD_CASE_TYPE_DATABASE_RELEASE,
  SD_CASE_TYPE_SERVICE_REQUEST,
} SdCaseType;

typedef enum {
  SD_CASE_STATUS_NEW,
  SD_CASE_STATUS_IN_PROGRESS,
  SD_CASE_STATUS_WAITING_CUSTOMER,
  SD_CASE_STATUS_RESOLVED,
  SD_CASE_STATUS_CLOSED,
} SdCaseStatus;

#define SD_N_CASE_STATUSES (SD_CASE_STATUS_CLOSED + 1)

typedef enum {
  SD_REPORTED_VIA_PORTAL,
  SD_REPORTED_VIA_EMAIL,
  SD_REPORTED_VIA_PHONE,
  SD_REPORTED_VIA_HOTLINE,
} SdReportedVia;

typedef enum {
  SD_EVENT_COMMENT,
  SD_EVENT_STATUS_CHANGE,
  SD_EVENT_SEVERITY_CHANGE,
  SD_EVENT_RESPONSE_GIVEN,
  SD_EVENT_DAILY_REPORT_SENT,
  SD_EVENT_PROGRESS_STEP,
  SD_EVENT_REPORT_TIME_CHANGE,
} SdEventKind;

typedef enum {
  SD_HEALTH_CHECK_REQUESTED,
  SD_HEALTH_CHECK_SCHEDULED,
  SD_HEALTH_CHECK_IN_PROGRESS,
  SD_HEALTH_CHECK_COMPLETED,
  SD_HEALTH_CHECK_CANCELLED,
} SdHealthCheckStatus;

typedef enum {
  SD_CHECK_RESULT_NOT_CHECKED,
  SD_CHECK_RESULT_PASS,
  SD_CHECK_RESULT_WARNING,
  SD_CHECK_RESULT_FAIL,
  SD_CHECK_RESULT_NOT_APPLICABLE,
} SdCheckResult;

typedef enum {
  SD_CLOCK_24X7,
  SD_CLOCK_BUSINESS,
} SdClockKind;

typedef enum {
  SD_SLA_RUNNING,
  SD_SLA_AT_RISK,
  SD_SLA_BREACHED,
  SD_SLA_PAUSED,
  SD_SLA_MET,
  SD_SLA_MISSED,
} SdSlaState;

/* The clocks the SLA ledger keeps periods of. */
typedef enum {
  SD_SLA_METRIC_RESPONSE,
  SD_SLA_METRIC_DAILY_REPORT,
} SdSlaMetric;

/* What closed a period of the SLA ledger; SD_SLA_END_NONE while open. */
typedef enum {
  SD_SLA_END_NONE,
  SD_SLA_END_RESPONSE,
  SD_SLA_END_DAILY_REPORT,
  SD_SLA_END_SEVERITY_CHANGE,
  SD_SLA_END_RESOLUTION,
} SdSlaEnd;

/* A policy's rule for the clock of the severity a case changes to: counted
 * from the change (restart) or from the report (retroactive). */
typedef enum {
  SD_SEVERITY_CHANGE_RESTART,
  SD_SEVERITY_CHANGE_RETROACTIVE,
} SdSeverityChangeRule;

/* Service-request vocabularies (case.details, case events). */
typedef enum {
  SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE,
  SD_REQUESTED_CHANGE_ADD_DETECTION,
} SdRequestedChange;

typedef enum {
  SD_SIGNATURE_OUTCOME_PENDING,
  SD_SIGNATURE_OUTCOME_RELEASED,
  SD_SIGNATURE_OUTCOME_DECLINED,
} SdSignatureOutcome;

typedef enum {
  SD_LIFECYCLE_FULL_SUPPORT,
  SD_LIFECYCLE_LIMITED_SUPPORT,
  SD_LIFECYCLE_END_OF_LIFE,
} SdLifecycleStage;

typedef enum {
  SD_URGENCY_NORMAL,
  SD_URGENCY_HIGH,
  SD_URGENCY_CRITICAL,
} SdUrgency;

typedef enum {
  SD_HEALTH_CHECK_MODE_REMOTE,
} SdHealthCheckMode;

typedef enum {
  SD_REPORT_CHANNEL_EMAIL,
  SD_REPORT_CHANNEL_PHONE,
} SdReportChannel;

/* The language of the reports and notifications a customer receives,
 * independent of the user interface's language. */
typedef enum {
  SD_REPORT_LANGUAGE_ZH_CN,
  SD_REPORT_LANGUAGE_EN,
} SdReportLanguage;

/* Each vocabulary has a wire name (the JSON/API/CLI spelling) per value.
 * _to_string() returns a static string; _from_string() returns FALSE for
 * an unknown name and leaves @out untouched. */
#define SD_DECLARE_ENUM_NAMES(Type, prefix)                              \
  const char *prefix##_to_string   (Type        value);                  \
  gboolean    prefix##_from_string (const char *name,                    \
                                    Type       *out);

SD_DECLARE_ENUM_NAMES (SdTier, sd_tier)
SD_DECLARE_ENUM_NAMES (SdRole, sd_role)
SD_DECLARE_ENUM_NAMES (SdCaseType, sd_case_type)
SD_DECLARE_ENUM_NAMES (SdCaseStatus, sd_case_status)
SD_DECLARE_ENUM_NAMES (SdReportedVia, sd_reported_via)
SD_DECLARE_ENUM_NAMES (SdEventKind, sd_event_kind)
SD_DECLARE_ENUM_NAMES (SdHealthCheckStatus, sd_health_check_status)
SD_DECLARE_ENUM_NAMES (SdCheckResult, sd_check_result)
SD_DECLARE_ENUM_NAMES (SdClockKind, sd_clock_kind)
SD_DECLARE_ENUM_NAMES (SdSlaState, sd_sla_state)
SD_DECLARE_ENUM_NAMES (SdSlaMetric, sd_sla_metric)
SD_DECLARE_ENUM_NAMES (SdSlaEnd, sd_sla_end)
SD_DECLARE_ENUM_NAMES (SdSeverityChangeRule, sd_severity_change_rule)
SD_DECLARE_ENUM_NAMES (SdRequestedChange, sd_requested_change)
SD_DECLARE_ENUM_NAMES (SdSignatureOutcome, sd_signature_outcome)
SD_DECLARE_ENUM_NAMES (SdLifecycleStage, sd_lifecycle_stage)
SD_DECLARE_ENUM_NAMES (SdUrgency, sd_urgency)
SD_DECLARE_ENUM_NAMES (SdHealthCheckMode, sd_health_check_mode)
SD_DECLARE_ENUM_NAMES (SdReportChannel, sd_report_channel)
SD_DECLARE_ENUM_NAMES (SdReportLanguage, sd_report_language)

/* Severity is an integer 1 (critical) … 4 (low). */
#define SD_SEVERITY_MIN 1
#define SD_SEVERITY_MAX 4

static inline gboolean
sd_severity_is_valid (int severity)
{
  return severity >= SD_SEVERITY_MIN && severity <= SD_SEVERITY_MAX;
}

/* Translated, user-visible labels (for the app and the CLI). */
const char *sd_severity_get_label    (int          severity);
const char *sd_case_status_get_label (SdCaseStatus status);
const char *sd_sla_state_get_label   (SdSlaState   state);
const char *sd_tier_get_label        (SdTier       tier);
const char *sd_case_type_get_label   (SdCaseType   type);
const char *sd_reported_via_get_label (SdReportedVia via);
/* The contract's meaning of a severity level. */
const char *sd_severity_get_description (int       severity);
const char *sd_check_result_get_label (SdCheckResult result);
const char *sd_health_check_status_get_label (SdHealthCheckStatus status);
const char *sd_health_check_mode_get_label (SdHealthCheckMode mode);

G_END_DECLS
