/* sd-sla-policy.h — the service-level terms of a support contract tier
 *
 * A policy holds, per severity 1–4, a response target in minutes and the
 * clock it runs on (SD_CLOCK_24X7: wall time; SD_CLOCK_BUSINESS: working
 * time of the customer's calendar); the warning threshold; the case
 * statuses that pause the clock; whether they pause it before the first
 * response; and the interval of the daily report owed for open severity-1
 * cases.
 *
 * The warning threshold is a percentage of the target: a clock is at risk
 * once the time remaining is at most that share of its target (default
 * 20 %: 6 minutes before a 30-minute target, 96 working minutes before an
 * 8-hour one).
 *
 * A severity change closes the clock period of the old severity and opens
 * one for the new severity, counted from the change (restart, the
 * default) or from the report (retroactive), as the contract says.
 *
 * A pausing status stops the response clock only when the policy says so
 * with "pause before response" (default FALSE, as in both shipped
 * policies): the response clock measures the wait for a first answer, and
 * asking the customer for something is not one. The response clock stops
 * at the first response, so with the default it never pauses.
 *
 * Configure a policy before sharing it; reading it is thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_SLA_POLICY_DEFAULT_WARNING_PERCENT      20
#define SD_SLA_POLICY_DEFAULT_DAILY_REPORT_MINUTES (24 * 60)
#define SD_SLA_POLICY_MAX_TARGET_MINUTES           (366 * 24 * 60)

#define SD_TYPE_SLA_POLICY (sd_sla_policy_get_type ())
G_DECLARE_FINAL_TYPE (SdSlaPolicy, sd_sla_policy, SD, SLA_POLICY, GObject)

/* A policy for @tier with every target 8 working hours, the default
 * threshold, waiting_customer pausing (but not before the response) and a
 * daily report every 24 h. */
SdSlaPolicy *sd_sla_policy_new                   (SdTier        tier);
/* The contract: S1 30 min 24×7, S2 4 h 24×7, S3 6 working h, S4 8 working h. */
SdSlaPolicy *sd_sla_policy_new_msa_enterprise    (void);
/* The standard package: S1 2 h 24×7, S2 8 working h, S3 16 working h
 * (two working days), S4 24 working h (three working days). */
SdSlaPolicy *sd_sla_policy_new_standard          (void);
/* One of the two above. */
SdSlaPolicy *sd_sla_policy_new_for_tier          (SdTier        tier);

SdTier       sd_sla_policy_get_tier              (SdSlaPolicy  *self);
/* A policy's id is its tier's name ("msa_enterprise"). */
const char  *sd_sla_policy_get_id                (SdSlaPolicy  *self);

/* @minutes: 1 … SD_SLA_POLICY_MAX_TARGET_MINUTES. */
void         sd_sla_policy_set_target            (SdSlaPolicy  *self,
                                                  int           severity,
                                                  guint         minutes,
                                                  SdClockKind   clock);
guint        sd_sla_policy_get_target_minutes    (SdSlaPolicy  *self,
                                                  int           severity);
SdClockKind  sd_sla_policy_get_clock             (SdSlaPolicy  *self,
                                                  int           severity);

/* 0 … 100. */
void         sd_sla_policy_set_warning_percent   (SdSlaPolicy  *self,
                                                  guint         percent);
guint        sd_sla_policy_get_warning_percent   (SdSlaPolicy  *self);

void         sd_sla_policy_set_pausing_status    (SdSlaPolicy  *self,
                                                  SdCaseStatus  status,
                                                  gboolean      pausing);
gboolean     sd_sla_policy_is_pausing_status     (SdSlaPolicy  *self,
                                                  SdCaseStatus  status);

/* Whether a pausing status pauses the response clock, which runs until the
 * first response (default FALSE). */
void         sd_sla_policy_set_pause_before_response (SdSlaPolicy *self,
                                                      gboolean     pause);
gboolean     sd_sla_policy_get_pause_before_response (SdSlaPolicy *self);

/* Minutes between daily reports for open severity-1 cases (≥ 1). */
void         sd_sla_policy_set_daily_report_minutes (SdSlaPolicy *self,
                                                     guint        minutes);
guint        sd_sla_policy_get_daily_report_minutes (SdSlaPolicy *self);

void         sd_sla_policy_set_severity_change   (SdSlaPolicy          *self,
                                                  SdSeverityChangeRule  rule);
SdSeverityChangeRule sd_sla_policy_get_severity_change (SdSlaPolicy   *self);

/* JSON codec:
 *   { "tier": "msa_enterprise",
 *     "targets": [ { "severity": 1, "minutes": 30, "clock": "24x7" }, …
 *                  (each severity 1–4 exactly once) ],
 *     "warning_percent": 20,
 *     "pausing_statuses": ["waiting_customer"],
 *     "pause_before_response": false,
 *     "daily_report_minutes": 1440,
 *     "severity_change": "restart" }
 * "warning_percent", "pausing_statuses", "pause_before_response",
 * "daily_report_minutes" and "severity_change" may be omitted (defaults
 * above). Errors name the field below @path ("policy"
 * when NULL), e.g. "policy.targets[2].clock". */
/* Versions and overrides. A policy takes effect on a day (cases reported
 * from that day on use it; 0: always) and may be one customer's override
 * of its tier's policy. Its id is the tier's name for the first version
 * of a tier, "TIER:YYYY-MM-DD" for the later ones and
 * "customer:ID:YYYY-MM-DD" for overrides (sd_sla_policy_make_id). */
guint32      sd_sla_policy_get_effective_from    (SdSlaPolicy  *self);
void         sd_sla_policy_set_effective_from    (SdSlaPolicy  *self,
                                                  guint32       julian);
const char  *sd_sla_policy_get_customer_id       (SdSlaPolicy  *self);
void         sd_sla_policy_set_customer_id       (SdSlaPolicy  *self,
                                                  const char   *customer_id);
/* Sets the id from the tier, the customer and the effective day. */
void         sd_sla_policy_make_id               (SdSlaPolicy  *self);
/* The policy for a case of @customer_id reported on @day (in the
 * customer's time zone) under @tier: the customer's override of that
 * tier in force that day, else the tier's version in force that day,
 * else the built-in one. @policies holds SdSlaPolicy; a new reference. */
SdSlaPolicy *sd_sla_policy_pick                  (GPtrArray    *policies,
                                                  const char   *customer_id,
                                                  SdTier        tier,
                                                  guint32       day);
/* The day of @unix_time in @time_zone (an IANA name; UTC when unknown),
 * as a Julian day: what sd_sla_policy_pick takes. */
guint32      sd_sla_policy_day_of                (gint64        unix_time,
                                                  const char   *time_zone);
JsonNode    *sd_sla_policy_to_json               (SdSlaPolicy  *self);
SdSlaPolicy *sd_sla_policy_from_json             (JsonNode     *node,
                                                  const char   *path,
                                                  GError      **error);

G_END_DECLS
