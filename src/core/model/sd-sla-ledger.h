/* sd-sla-ledger.h — the SLA record of a case: one period per clock
 *
 * A case's SLA record is a list of periods. A response period runs from
 * the report (or a severity change) under the severity and target then in
 * force, and ends with the first response, with a severity change (which
 * opens the next period under the policy's rule: restart or retroactive)
 * or not yet. While a severity-1 case is open, daily-report periods follow
 * each other: each one ends with the report sent, a severity change or the
 * resolution.
 *
 * The record is derived from the case and its timeline by the one SLA
 * engine (sd_sla_compute()); what was recorded stays: sd_sla_ledger_keep()
 * carries the closed periods and the breaches of an earlier record over
 * into a new one, whatever changed in between. The server keeps the
 * record of every case (the "sla_record" kind) and updates it as events
 * arrive; reports and the case view read it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sd-calendar.h"
#include "sd-case.h"
#include "sd-enums.h"
#include "sd-sla.h"
#include "sd-sla-policy.h"
#include "sd-time.h"

G_BEGIN_DECLS

typedef struct {
  SdSlaMetric  metric;
  int          severity;   /* the severity in force */
  SdClockKind  clock;
  gint64       target;     /* seconds on the clock */
  gint64       opened;     /* when the period began: report, change, last daily report */
  gint64       start;      /* when its clock counts from (retroactive: the report) */
  gint64       stop;       /* SD_TIME_NONE while open */
  SdSlaEnd     ended_by;
  gint64       due;
  gint64       elapsed;    /* clock seconds at stop, or at the time of the record */
  SdSlaState   state;      /* at stop, or at the time of the record */
  gboolean     kept;       /* a recorded breach a later change would have undone */
  /* The business calendar the clock counted on (NULL for a 24×7 clock;
   * interned, never freed), the version of it the server had stored (0:
   * not a stored calendar), and the first year of the clock whose
   * holidays were provisional (0: none). A closed period keeps them. */
  const char  *calendar_id;
  gint64       calendar_version;
  int          provisional_year;
} SdSlaPeriod;

/* TRUE when the period's target was not met: breached, or missed. */
gboolean  sd_sla_period_is_breach         (const SdSlaPeriod *period);

/* The periods of @kase at @now, oldest first (a GArray of SdSlaPeriod).
 * @events are the case's timeline (other cases' events are skipped);
 * @calendar may be NULL when every clock is 24×7. */
GArray   *sd_sla_ledger_derive            (SdCase            *kase,
                                           GPtrArray         *events,
                                           SdSlaPolicy       *policy,
                                           SdCalendar        *calendar,
                                           SdTier             tier,
                                           gint64             now);

/* Stamps @version of the calendar on every period of @ledger that counted
 * on one: the server calls it right after sd_sla_ledger_derive(), before
 * sd_sla_ledger_keep() brings back the closed periods with the version
 * they had. */
void      sd_sla_ledger_set_calendar_version (GArray         *ledger,
                                              gint64          version);

/* Carries the record @prior (an earlier record of the same case; may be
 * NULL) into @ledger: every period @prior closed stays exactly as it was
 * closed (a later calendar, policy or entry does not change an outcome),
 * and every breach @prior shows stays a breach (marked kept where @ledger
 * would have undone it). */
void      sd_sla_ledger_keep              (GArray            *ledger,
                                           GArray            *prior);

/* When @record's last response period was closed by the response, gives
 * @result's response clock that recorded outcome: a stopped clock keeps
 * the result it had, whatever calendar or policy came since. */
void      sd_sla_ledger_apply_closed      (GArray            *record,
                                           SdSlaResult       *result);

/* The response period that decides how the case counts: the first breach,
 * else the last response period; NULL when @ledger has none. */
const SdSlaPeriod *sd_sla_ledger_get_response (GArray        *ledger);

/* Codec of a record's periods: a JSON array of
 *   { "metric": "response", "severity": 1, "clock": "24x7", "target": 1800,
 *     "opened": "…", "start": "…", "stop": "…" | null,
 *     "ended_by": "response" | "daily_report" | "severity_change"
 *                 | "resolution" | null,
 *     "due": "…", "elapsed": 600, "state": "met", "kept": false,
 *     "calendar_id": "cn-mainland" | null, "calendar_version": 3 | null,
 *     "provisional_year": 2027 | null }
 * (the last three may be absent in records written before they existed)
 * Errors name the member below @path. */
JsonNode *sd_sla_ledger_to_json           (GArray            *ledger);
GArray   *sd_sla_ledger_from_json         (JsonNode          *node,
                                           const char        *path,
                                           GError           **error);

G_END_DECLS
