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
} SdSlaClock;

typedef struct {
  SdSlaClock response;
  gboolean   has_daily_report;  /* open severity-1 case */
  SdSlaClock daily_report;
} SdSlaResult;

G_END_DECLS
