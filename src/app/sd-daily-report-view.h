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
/* The subject and text of item @i as the user edited them (new strings);
 * FALSE when there is no such item. */
gboolean           sd_daily_report_view_get_edited (SdDailyReportView  *self,
                                                    guint               i,
                                                    char              **subject,
                                                    char              **body);
/* The editable text of item @i, for tests; NULL when there is none. */
GtkWidget         *sd_daily_report_view_get_body_view (SdDailyReportView *self,
                                                       guint              i);
/* Whether reports can be sent from here now (a server account and a
 * network); @why: the Send button's tooltip, the reason when not. */
gboolean           sd_daily_report_view_can_send (const char **why);
/* The box of one group per case, for tests. */
GtkWidget         *sd_daily_report_view_get_list (SdDailyReportView *self);

G_END_DECLS
