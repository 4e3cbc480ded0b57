/* sd-sla-ledger-private.h — the severity stretches of a case's timeline,
 * shared by the SLA engine's input and the ledger
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-case.h"
#include "sd-sla-policy.h"

G_BEGIN_DECLS

/* For g_ptr_array_sort() of SdCaseEvent: by time, then id. */
int    _sd_case_event_compare_by_time (gconstpointer a,
                                       gconstpointer b);

/* A stretch of time at one severity: from the report or a severity change
 * until the next change (SD_TIME_NONE: still in force). */
typedef struct {
  int    severity;
  gint64 opened;
  gint64 closed;
} SdSlaSegment;

/* Fills @out (a GArray of SdSlaSegment) from the severity changes among
 * @events, ordered by time (then id) and counted from the report at the
 * earliest; the last stretch has the case's own severity. */
void   _sd_sla_segments            (SdCase             *kase,
                                    GPtrArray          *events,
                                    GArray             *out);

/* When the clock of stretch @index counts from, under @policy's rule. */
gint64 _sd_sla_segment_clock_start (const SdSlaSegment *segment,
                                    guint               index,
                                    SdSlaPolicy        *policy,
                                    gint64              reported_at);

G_END_DECLS
