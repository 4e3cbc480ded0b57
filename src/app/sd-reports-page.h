/* sd-reports-page.h — the Reports view: the daily report on open
 * severity-1 cases, the quarterly report per customer with its charts, and
 * custom reports; export as PDF and CSV, print
 *
 * The page reads the account's local store in a worker thread, again
 * when the store changes, and hands the input to one view per report
 * kind (sd-daily-report-view.h, sd-quarterly-report-view.h,
 * sd-custom-report-view.h), which computes its report from it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-report-view.h"

G_BEGIN_DECLS

#define SD_TYPE_REPORTS_PAGE (sd_reports_page_get_type ())

G_DECLARE_FINAL_TYPE (SdReportsPage, sd_reports_page, SD, REPORTS_PAGE, AdwBin)

GtkWidget    *sd_reports_page_new              (void);
/* The reports of @store (NULL: a status page). @login is the signed-in
 * user, whose customers the daily report covers (NULL for a local
 * workspace: every customer). */
void          sd_reports_page_set_store        (SdReportsPage *self,
                                                SdLocalStore  *store,
                                                const char    *login);
/* TRUE when every report shown is up to date with the store. */
gboolean      sd_reports_page_is_loaded        (SdReportsPage *self);
/* Shows one of the three reports. */
void          sd_reports_page_show             (SdReportsPage *self,
                                                SdReportKind   kind);

/* The reports as computed last (NULL before); for tests. */
const SdDailyReport     *sd_reports_page_get_daily     (SdReportsPage *self);
const SdQuarterlyReport *sd_reports_page_get_quarterly (SdReportsPage *self);
const SdCustomReport    *sd_reports_page_get_custom    (SdReportsPage *self);

/* Chooses the quarterly report's customer and quarter. */
gboolean      sd_reports_page_select_quarter   (SdReportsPage *self,
                                                const char    *customer_id,
                                                int            year,
                                                int            quarter);
/* Sets the custom report's period (Julian days; 0: open). */
void          sd_reports_page_set_custom_period (SdReportsPage *self,
                                                 guint32        from,
                                                 guint32        to);
/* Widgets, for tests. */
GtkWidget    *sd_reports_page_get_compliance_label (SdReportsPage *self);
GtkWidget    *sd_reports_page_get_compliance_chart (SdReportsPage *self);
GtkColumnView *sd_reports_page_get_custom_table    (SdReportsPage *self);
GtkWidget    *sd_reports_page_get_custom_totals    (SdReportsPage *self);
GtkWidget    *sd_reports_page_get_daily_list       (SdReportsPage *self);

/* Writes @kind as "pdf" or "csv" to @file, in a worker thread. */
void          sd_reports_page_export_async     (SdReportsPage       *self,
                                                SdReportKind         kind,
                                                const char          *format,
                                                GFile               *file,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean      sd_reports_page_export_finish    (SdReportsPage       *self,
                                                GAsyncResult        *result,
                                                GError             **error);

G_END_DECLS
