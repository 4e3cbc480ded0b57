/* sd-case-sla.h — from a case and its timeline to the SLA engine's input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-calendar.h"
#include "sd-case.h"
#include "sd-sla.h"
#include "sd-sla-policy.h"

G_BEGIN_DECLS

/* Reduces @self and @events (SdCaseEvent, in any order; events of other
 * cases are skipped) to the engine's plain input:
 *
 * - pauses: the spans spent in a status for which
 *   sd_sla_policy_is_pausing_status() is TRUE. The status before the first
 *   status change is that change's "from"; each change switches to its
 *   "to"; after the last change the case's own status holds (it is the
 *   authority when its timeline is not complete yet), so a case in a
 *   pausing status ends with an open span (end = SD_TIME_NONE). Changes
 *   are ordered by time (then id); a change dated before reported_at
 *   counts from reported_at. Adjacent spans are merged. None at all unless
 *   sd_sla_policy_get_pause_before_response(): the response clock runs
 *   until the first response, so only such a policy lets it pause.
 * - responded_at: the case's, else the first response_given event.
 * - last_daily_report_at: the last daily_report_sent event.
 * - severity, status: the case's.
 * - the current clock periods (sd-sla-ledger.h): response_severity and
 *   reported_at are the severity and clock start of the period the
 *   response came in (else the current one) — with no severity change,
 *   the case's severity and report time; last_daily_report_at is the last
 *   report sent at the current severity, else the start of its period.
 *
 * @pause_storage is a caller-owned GArray of SdSlaSpan, emptied and filled
 * here; @out->pauses points into it, so keep it alive and unchanged while
 * @out is used. */
void sd_case_build_sla_input (SdCase       *self,
                              GPtrArray    *events,
                              SdSlaPolicy  *policy,
                              SdTier        tier,
                              SdSlaInput   *out,
                              GArray       *pause_storage);

/* sd_case_build_sla_input() followed by sd_sla_compute(). @calendar may be
 * NULL when the case's severity runs on a 24×7 clock. */
void sd_case_compute_sla     (SdCase       *self,
                              GPtrArray    *events,
                              SdSlaPolicy  *policy,
                              SdCalendar   *calendar,
                              SdTier        tier,
                              gint64        now,
                              SdSlaResult  *result);

G_END_DECLS
