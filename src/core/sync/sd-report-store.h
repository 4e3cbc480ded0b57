/* sd-report-store.h — a report's input from the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-local-store.h"
#include "sd-report.h"

G_BEGIN_DECLS

/* Fills @input with new arrays holding every customer, case, case event,
 * calendar, SLA policy and health check of @store's local view (entities
 * that do not decode are skipped). Blocking: call it from a worker thread
 * in the app. Release with sd_report_input_clear(). */
gboolean sd_report_input_load  (SdReportInput  *input,
                                SdLocalStore   *store,
                                GError        **error);

G_END_DECLS
