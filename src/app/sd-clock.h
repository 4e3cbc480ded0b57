/* sd-clock.h — the one clock every SLA timer of the app reads
 *
 * It ticks once a second, on the second, while anyone listens, and can be
 * pinned to a given instant (tests, screenshots: SUPPORTDESK_NOW). A tick
 * that comes late by several seconds (the process was suspended or
 * stopped) emits "resumed" first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SD_TYPE_CLOCK (sd_clock_get_type ())

G_DECLARE_FINAL_TYPE (SdClock, sd_clock, SD, CLOCK, GObject)

/* The process's clock; pinned when SUPPORTDESK_NOW holds an ISO 8601
 * instant. */
SdClock *sd_clock_get_default (void);
/* Unix seconds. */
gint64   sd_clock_get_now     (SdClock *self);
/* Pins the clock to @now and ticks at once; 0 lets it follow real time. */
void     sd_clock_set_now     (SdClock *self,
                               gint64   now);
/* The system resumed from sleep (logind): "resumed", then a tick. A
 * resume seen both here and by a late tick is reported once. */
void     sd_clock_resumed     (SdClock *self);

G_END_DECLS
