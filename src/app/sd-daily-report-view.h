/* sd-daily-report-view.h — the daily report: today's status report for
 * each open severity-1 case of the user's customers, in the customer's
 * report language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-report-view.h"

G_BEGIN_DECLS

#define SD_TYPE_DAILY_REPORT_VIEW (sd_daily_report_view_get_type ())

G_DECLARE_FINAL_TYPE (SdDailyReportView, sd_daily_report_view, SD, DAILY_REPORT_VIEW, SdReportView)

/* The report's item @i, or NULL. */
SdDailyReportItem *sd_daily_report_view_get_item (SdDailyReportView *self,
                                                  guint              i);
/* The box of one group per case, for tests. */
GtkWidget         *sd_daily_report_view_get_list (SdDailyReportView *self);

G_END_DECLS
