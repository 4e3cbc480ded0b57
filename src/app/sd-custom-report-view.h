/* sd-custom-report-view.h — the custom report: the cases of the chosen
 * customers, period, severities, types and statuses, in a table sortable
 * by every column, with totals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-report-view.h"

G_BEGIN_DECLS

#define SD_TYPE_CUSTOM_REPORT_VIEW (sd_custom_report_view_get_type ())

G_DECLARE_FINAL_TYPE (SdCustomReportView, sd_custom_report_view, SD, CUSTOM_REPORT_VIEW, SdReportView)

/* Sets the period (Julian days; 0: open). */
void           sd_custom_report_view_set_period (SdCustomReportView *self,
                                                 guint32             from,
                                                 guint32             to);
/* Widgets, for tests. */
GtkColumnView *sd_custom_report_view_get_table  (SdCustomReportView *self);
GtkWidget     *sd_custom_report_view_get_totals (SdCustomReportView *self);

G_END_DECLS
