/* sd-scheduler.h — wakes the server when an open response clock crosses
 * its warning threshold or its due time, and runs the escalation chain
 *
 * The scheduler keeps, for every case whose response clock is running,
 * the next instant something happens to it: the clock becomes at risk,
 * it is breached, or it has been breached for SD_ESCALATE_AFTER. The
 * instants are in a GSequence ordered by time; ONE timer is set to the
 * first. A case's instant is computed with the SLA engine (sd-case-sla.h)
 * when the case or its timeline changes: the scheduler follows the
 * store's change feed from its own cursor, read after each write request
 * (sd_scheduler_changed) — no case is looked at unless it changed or its
 * instant came.
 *
 * The chain (per case, once per step and clock period):
 *   at risk                  → the assignee (the customer's TAM if none)
 *   breached                 → the customer's duty managers
 *   breached + 30 minutes    → the admins
 * Each step writes one notification per recipient (with its mail and
 * webhooks, sd-deliverer.h). Its id is derived from the step, the case,
 * the due time and the recipient, so a step that ran before a restart is
 * not repeated after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SD_ESCALATE_AFTER (30 * 60)  /* seconds after the breach */

typedef struct _SdServer SdServer;

#define SD_TYPE_SCHEDULER (sd_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (SdScheduler, sd_scheduler, SD, SCHEDULER, GObject)

/* @server is borrowed: it owns the scheduler. */
SdScheduler *sd_scheduler_new           (SdServer    *server);
/* Reads the change feed from the start (every case, once) and arms the
 * timer. */
void         sd_scheduler_start         (SdScheduler *self);
/* Something was written: catch up with the change feed soon. */
void         sd_scheduler_changed       (SdScheduler *self);
/* The server's time moved (the test clock): run what is due now. */
void         sd_scheduler_tick          (SdScheduler *self);
/* The first instant in the queue, or 0 when it is empty. */
gint64       sd_scheduler_get_next      (SdScheduler *self);
guint        sd_scheduler_get_n_cases   (SdScheduler *self);
/* How many times the scheduler woke up (timer or tick), for benchmarks. */
guint        sd_scheduler_get_wakeups   (SdScheduler *self);
/* How many case clocks were computed, for benchmarks. */
guint64      sd_scheduler_get_computed  (SdScheduler *self);

G_END_DECLS
