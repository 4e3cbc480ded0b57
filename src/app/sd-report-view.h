/* sd-report-view.h — what the daily, quarterly and custom report views
 * share: the loaded input, computing the report in a worker thread, and
 * export and print
 *
 * A view computes its report when it gets a new input and when its
 * controls change; a result that a newer computation overtook is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

typedef enum {
  SD_REPORT_KIND_DAILY,
  SD_REPORT_KIND_QUARTERLY,
  SD_REPORT_KIND_CUSTOM,
} SdReportKind;

/* A loaded report input, shared read-only with the worker threads. */
typedef struct {
  SdReportInput input;
  char         *tam_id;   /* the signed-in user's id, or NULL: every customer */
} SdReportsInput;

SdReportsInput *sd_reports_input_new   (void);
SdReportsInput *sd_reports_input_ref   (SdReportsInput *input);
void            sd_reports_input_unref (SdReportsInput *input);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdReportsInput, sd_reports_input_unref)

#define SD_TYPE_REPORT_VIEW (sd_report_view_get_type ())

G_DECLARE_DERIVABLE_TYPE (SdReportView, sd_report_view, SD, REPORT_VIEW, AdwBin)

struct _SdReportViewClass
{
  AdwBinClass parent_class;

  /* Main thread: @input replaced the last one; refill the controls that
   * depend on it. Optional. */
  void        (*input_changed) (SdReportView         *self,
                                const SdReportsInput *input);
  /* Main thread: what to compute, read from the controls (freed with
   * request_free), or NULL when the controls are not valid. */
  gpointer    (*prepare)       (SdReportView         *self,
                                const SdReportsInput *input);
  GDestroyNotify request_free;
  /* Worker thread: the report, freed with report_free. */
  gpointer    (*build)         (const SdReportsInput *input,
                                gpointer              request,
                                gint64                now,
                                GError              **error);
  GDestroyNotify report_free;
  /* Main thread: shows sd_report_view_get_report(). */
  void        (*show)          (SdReportView         *self);
  SdDocument *(*to_document)   (gconstpointer         report);
  char       *(*to_csv)        (gconstpointer         report,
                                gsize                *length);
  /* The export file's name without its extension, or NULL (also when
   * not set): file_stem and today's date. */
  char       *(*suggest_name)  (SdReportView         *self);
  const char   *file_stem;
};

/* Replaces the input (NULL: none) and computes the report again. */
void          sd_report_view_set_input     (SdReportView   *self,
                                            SdReportsInput *input);
/* Drops every computation under way and the input. */
void          sd_report_view_reset         (SdReportView   *self);
/* Computes the report again, dropping what is under way. */
void          sd_report_view_recompute     (SdReportView   *self);
/* While TRUE, sd_report_view_recompute() does nothing (the controls are
 * being refilled). */
void          sd_report_view_set_filling   (SdReportView   *self,
                                            gboolean        filling);
gboolean      sd_report_view_is_busy       (SdReportView   *self);
/* The report as computed last (NULL before). */
gconstpointer sd_report_view_get_report    (SdReportView   *self);

/* Writes the report as "pdf" or "csv" to @file in a worker thread and
 * returns the outcome through @task (a boolean), whose source object is
 * the caller's. */
void          sd_report_view_export        (SdReportView   *self,
                                            GTask          *task,
                                            const char     *format,
                                            GFile          *file);

/* Helpers for the views. */
GPtrArray    *sd_reports_input_sorted_customers (const SdReportsInput *input);
gint64        sd_report_view_now           (void);
void          sd_report_view_show_error    (GtkWidget           *widget,
                                            const char          *heading,
                                            const char          *message);
char         *sd_report_view_format_percent (double              percent);
char         *sd_report_view_format_count  (guint               n);

G_END_DECLS
