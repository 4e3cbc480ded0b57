/* sd-sla.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sla"

#include "config.h"

#include <string.h>

#include "sd-calendar.h"
#include "sd-sla.h"
#include "sd-sla-policy-private.h"

/* Seconds counted by @clock in [a, b); 0 when b ≤ a. */
static inline gint64
clock_count (SdClockKind  clock,
             SdCalendar  *calendar,
             gint64       a,
             gint64       b)
{
  if (b <= a)
    return 0;
  if (clock == SD_CLOCK_24X7)
    return b - a;
  return sd_calendar_working_seconds_between (calendar, a, b);
}

/* The instant at which @clock has counted @seconds more after @t. */
static inline gint64
clock_advance (SdClockKind  clock,
               SdCalendar  *calendar,
               gint64       t,
               gint64       seconds)
{
  if (clock == SD_CLOCK_24X7)
    return t + seconds;
  return sd_calendar_add_working_seconds (calendar, t, seconds);
}

/* The end of a pause; an open one is taken to end at @now, but never
 * before it started. */
static inline gint64
pause_end (const SdSlaSpan *pause,
           gint64           now)
{
  if (pause->end != SD_TIME_NONE)
    return pause->end;
  return MAX (now, pause->start);
}

static inline SdSlaState
running_state (gint64 now,
               gint64 due,
               gint64 remaining,
               gint64 target,
               guint  warning_percent)
{
  if (now > due)
    return SD_SLA_BREACHED;
  if (remaining * 100 <= target * (gint64) warning_percent)
    return SD_SLA_AT_RISK;
  return SD_SLA_RUNNING;
}

static void
compute_response (const SdSlaInput *input,
                  SdSlaPolicy      *policy,
                  SdCalendar       *calendar,
                  gint64            now,
                  SdSlaClock       *clock)
{
  int severity = sd_severity_is_valid (input->response_severity)
                 ? input->response_severity : input->severity;
  const SdSlaTarget *target = &policy->targets[severity - 1];
  SdClockKind kind = target->clock;
  gboolean responded = input->responded_at != SD_TIME_NONE;
  gint64 until = responded ? input->responded_at : now;
  gint64 start = input->reported_at;
  gint64 pos, left, elapsed;
  gboolean paused = FALSE;
  gint64 due = SD_TIME_NONE;

  if (kind == SD_CLOCK_BUSINESS && calendar == NULL)
    kind = SD_CLOCK_24X7;

  clock->clock = kind;
  clock->target = target->seconds;

  /* Due: walk the running stretches between pauses. */
  pos = start;
  left = target->seconds;
  for (guint i = 0; i < input->n_pauses; i++)
    {
      const SdSlaSpan *pause = &input->pauses[i];
      gint64 ps = MAX (pause->start, pos);
      gint64 pe = pause_end (pause, now);
      gint64 counted;

      if (pe <= pos)
        continue;
      counted = clock_count (kind, calendar, pos, ps);
      if (counted >= left)
        {
          due = clock_advance (kind, calendar, pos, left);
          break;
        }
      left -= counted;
      pos = pe;
    }
  if (due == SD_TIME_NONE)
    due = clock_advance (kind, calendar, pos, left);

  /* Elapsed at @until, pauses excluded. */
  pos = start;
  elapsed = 0;
  for (guint i = 0; i < input->n_pauses && pos < until; i++)
    {
      const SdSlaSpan *pause = &input->pauses[i];
      gint64 ps = MAX (pause->start, pos);
      gint64 pe = pause_end (pause, now);

      if (pe <= pos)
        continue;
      if (ps >= until)
        break;
      elapsed += clock_count (kind, calendar, pos, ps);
      pos = pe;
      if (pause->start <= now && (pause->end == SD_TIME_NONE || pause->end > now))
        paused = TRUE;
    }
  if (pos < until)
    elapsed += clock_count (kind, calendar, pos, until);

  clock->due = due;
  clock->provisional_year = kind == SD_CLOCK_BUSINESS
                            ? sd_calendar_find_provisional_year (calendar, start, due) : 0;
  clock->elapsed = elapsed;
  clock->remaining = target->seconds - elapsed;

  if (responded)
    clock->state = input->responded_at <= due ? SD_SLA_MET : SD_SLA_MISSED;
  else if (now > due)
    clock->state = SD_SLA_BREACHED;
  else if (paused
           || (policy->pause_before_response
               && (guint) input->status < SD_N_CASE_STATUSES
               && (policy->pausing_mask & (1u << input->status)) != 0))
    clock->state = SD_SLA_PAUSED;
  else
    clock->state = running_state (now, due, clock->remaining, clock->target,
                                  policy->warning_percent);
}

static void
compute_daily_report (const SdSlaInput *input,
                      SdSlaPolicy      *policy,
                      gint64            now,
                      SdSlaClock       *clock)
{
  gint64 base = input->last_daily_report_at != SD_TIME_NONE
                ? input->last_daily_report_at : input->reported_at;

  clock->clock = SD_CLOCK_24X7;
  clock->target = policy->daily_report_seconds;
  clock->due = base + policy->daily_report_seconds;
  clock->elapsed = MAX (now - base, 0);
  clock->remaining = clock->due - now;
  clock->state = running_state (now, clock->due, clock->remaining, clock->target,
                                policy->warning_percent);
}

void
sd_sla_compute (const SdSlaInput *input,
                SdSlaPolicy      *policy,
                SdCalendar       *calendar,
                gint64            now,
                SdSlaResult      *result)
{
  g_return_if_fail (result != NULL);
  memset (result, 0, sizeof *result);
  g_return_if_fail (input != NULL);
  g_return_if_fail (policy != NULL);
  g_return_if_fail (sd_severity_is_valid (input->severity));
  g_return_if_fail (input->n_pauses == 0 || input->pauses != NULL);

  compute_response (input, policy, calendar, now, &result->response);

  result->has_daily_report = input->severity == 1
                             && input->status != SD_CASE_STATUS_RESOLVED
                             && input->status != SD_CASE_STATUS_CLOSED;
  if (result->has_daily_report)
    compute_daily_report (input, policy, now, &result->daily_report);
}

static inline gboolean
clock_is_closed (const SdSlaClock *clock)
{
  return clock->state == SD_SLA_MET || clock->state == SD_SLA_MISSED;
}

static inline const SdSlaClock *
deciding_clock (const SdSlaResult *result)
{
  if (!clock_is_closed (&result->response) || !result->has_daily_report)
    return &result->response;
  return &result->daily_report;
}

static inline int
urgency_group (const SdSlaClock *clock)
{
  switch (clock->state)
    {
    case SD_SLA_BREACHED:
    case SD_SLA_AT_RISK:
      return 0;
    case SD_SLA_RUNNING:
    case SD_SLA_PAUSED:
      return 1;
    case SD_SLA_MET:
    case SD_SLA_MISSED:
    default:
      return 2;
    }
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

int
sd_sla_compare_urgency (SdTier             tier_a,
                        const SdSlaResult *a,
                        SdTier             tier_b,
                        const SdSlaResult *b)
{
  const SdSlaClock *ca = deciding_clock (a);
  const SdSlaClock *cb = deciding_clock (b);
  int closed_a = clock_is_closed (ca);
  int closed_b = clock_is_closed (cb);
  int group_a, group_b;

  if (closed_a != closed_b)
    return closed_a - closed_b;
  if (tier_a != tier_b)
    return tier_a == SD_TIER_MSA_ENTERPRISE ? -1 : tier_b == SD_TIER_MSA_ENTERPRISE ? 1
           : CMP ((int) tier_a, (int) tier_b);
  group_a = urgency_group (ca);
  group_b = urgency_group (cb);
  if (group_a != group_b)
    return CMP (group_a, group_b);
  if (ca->due != cb->due)
    return CMP (ca->due, cb->due);
  return CMP (ca->remaining, cb->remaining);
}
