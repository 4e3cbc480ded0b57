/* sd-sla.h — the SLA engine: a pure function of
 * (case facts, policy, calendar, now) → clocks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-enums.h"
#include "sd-time.h"

G_BEGIN_DECLS

typedef struct _SdCalendar  SdCalendar;
typedef struct _SdSlaPolicy SdSlaPolicy;

/* A span of time in a pausing status, [start, end). end is SD_TIME_NONE
 * while the case is still paused. */
typedef struct {
  gint64 start;
  gint64 end;
} SdSlaSpan;

/* Everything the engine needs to know about one case, already reduced
 * from the case and its timeline (see sd_case_build_sla_input()). Plain
 * data so that a million of them can be evaluated per second. */
typedef struct {
  SdTier            tier;
  int               severity;             /* current severity, 1–4 */
  int               response_severity;    /* the response clock's severity; 0: severity */
  SdCaseStatus      status;               /* current status */
  gint64            reported_at;          /* clock start */
  gint64            responded_at;         /* SD_TIME_NONE: not yet */
  const SdSlaSpan  *pauses;               /* sorted, non-overlapping */
  guint             n_pauses;
  gint64            last_daily_report_at; /* SD_TIME_NONE: none sent */
} SdSlaInput;

typedef struct {
  SdSlaState  state;
  SdClockKind clock;
  gint64      target;     /* seconds on this clock */
  gint64      elapsed;    /* seconds counted on this clock so far */
  gint64      remaining;  /* target - elapsed; negative once overdue */
  gint64      due;        /* wall-clock instant (Unix seconds) */
  int         provisional_year; /* business clock: the first year from the
                                 * clock's start to due whose holidays are
                                 * provisional (not yet published), else 0 */
} SdSlaClock;

typedef struct {
  SdSlaClock response;
  gboolean   has_daily_report;  /* open severity-1 case */
  SdSlaClock daily_report;
} SdSlaResult;

/* Evaluates the clocks of one case at @now into @result. Pure: no I/O,
 * no allocation, no global state; thread-safe.
 *
 * Response clock (DESIGN §3): the target and clock of
 * @input->response_severity (else severity) in @policy, counted from
 * reported_at (the start of the clock period: see sd-sla-ledger.h) — on a business clock in @calendar's
 * working time, so a case reported outside hours starts at the next
 * working minute. Time inside @input->pauses does not count. "due" is the
 * instant at which the target is used up; while paused it is projected as
 * if the clock resumed at @now (so it moves later as the pause goes on).
 * elapsed/remaining are counted at responded_at once responded, else at
 * @now, in clock seconds (working seconds on a business clock).
 * States: met / missed (responded_at ≤ due / later), breached (@now is
 * after due), paused (an open pause, or a pausing status under a policy
 * that pauses before the response), at_risk
 * (remaining ≤ the policy's warning percentage of the target), running.
 *
 * Daily-report clock: only for severity-1 cases not resolved or closed;
 * wall clock, due = (last_daily_report_at, else reported_at) + the
 * policy's interval; states running / at_risk / breached.
 *
 * @calendar may be NULL when the severity's clock is 24×7. */
void sd_sla_compute          (const SdSlaInput  *input,
                              SdSlaPolicy       *policy,
                              SdCalendar        *calendar,
                              gint64             now,
                              SdSlaResult       *result);

/* Board order (qsort-style): cases whose clocks are all closed (met /
 * missed, and no daily report owed) last; then MSA Enterprise before
 * standard; then breached / at-risk before running / paused; then the
 * earliest due first. The clock that counts is the response clock while it
 * runs, else the daily-report clock of an open severity-1 case. */
int  sd_sla_compare_urgency  (SdTier             tier_a,
                              const SdSlaResult *a,
                              SdTier             tier_b,
                              const SdSlaResult *b);

G_END_DECLS
