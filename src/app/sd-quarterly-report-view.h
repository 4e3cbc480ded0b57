/* sd-quarterly-report-view.h — the quarterly report of one customer:
 * response-SLA compliance, its charts, cases opened and resolved, breaches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-report-view.h"

G_BEGIN_DECLS

#define SD_TYPE_QUARTERLY_REPORT_VIEW (sd_quarterly_report_view_get_type ())

G_DECLARE_FINAL_TYPE (SdQuarterlyReportView, sd_quarterly_report_view, SD, QUARTERLY_REPORT_VIEW, SdReportView)

/* Chooses the customer and the quarter; FALSE when either is not offered. */
gboolean   sd_quarterly_report_view_select (SdQuarterlyReportView *self,
                                            const char            *customer_id,
                                            int                    year,
                                            int                    quarter);
/* Widgets, for tests. */
GtkWidget *sd_quarterly_report_view_get_compliance_label (SdQuarterlyReportView *self);
GtkWidget *sd_quarterly_report_view_get_compliance_chart (SdQuarterlyReportView *self);

G_END_DECLS
