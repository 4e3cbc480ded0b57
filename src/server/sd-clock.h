/* sd-clock.h — the server's time, which tests can drive
 *
 * Everything the server schedules (deliveries and their retries) reads
 * sd_server_now(). A server started with --test-clock answers
 * POST /api/v1/test/clock {"now": "…"}, which sets this time; it then
 * stays where it was set until the next call. Without --test-clock the
 * route does not exist and the time is the system's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Unix seconds. */
gint64 sd_server_now          (void);
/* Sets the test time; 0 goes back to the system's. Main thread only. */
void   sd_server_set_test_now (gint64 now);

G_END_DECLS
