/* sd-report-private.h — the customer-facing text of reports and
 * notifications, in the customer's language
 *
 * Reports go to customers in their language (zh_CN or en), whatever the
 * language of the app, so their words are not taken from the gettext
 * catalogue: both languages are kept here side by side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

/* The English or the Chinese text. */
#define SD_LANG(language, en, zh) ((language) == SD_REPORT_LANGUAGE_EN ? (en) : (zh))

const char *_sd_report_severity_name  (SdReportLanguage  language,
                                       int               severity);
const char *_sd_report_status_name    (SdReportLanguage  language,
                                       SdCaseStatus      status);
const char *_sd_report_type_name      (SdReportLanguage  language,
                                       SdCaseType        type);
const char *_sd_report_sla_state_name (SdReportLanguage  language,
                                       SdSlaState        state);
/* "2026-07-01 09:30" in @tz (UTC when NULL). */
char       *_sd_report_format_time    (gint64            t,
                                       GTimeZone        *tz);
/* "1 h 15 min" / "1 小时 15 分钟"; @seconds ≥ 0. */
char       *_sd_report_format_duration (SdReportLanguage language,
                                        gint64           seconds);

G_END_DECLS

/* The indexes a report computation works from (sd-report.c). */
#include "sd-report.h"
#include "sd-sla-ledger.h"

G_BEGIN_DECLS

typedef struct _SdReportContext SdReportContext;

typedef struct {
  SdCustomer  *customer;  /* borrowed from the input */
  SdSlaPolicy *policy;    /* owned */
  SdCalendar  *calendar;  /* owned */
  GTimeZone   *tz;        /* owned */
} SdReportCustomer;

SdReportContext  *_sd_report_context_new      (const SdReportInput *input);
void              _sd_report_context_free     (SdReportContext     *self);
/* NULL when the customer is not in the input. */
SdReportCustomer *_sd_report_context_customer (SdReportContext     *self,
                                               const char          *customer_id);
/* The events of @case_id (borrowed; NULL when there are none). */
GPtrArray        *_sd_report_context_events   (SdReportContext     *self,
                                               const char          *case_id);
/* The case's clocks at @now, with the response clock as its SLA record
 * has it (sd_sla_ledger_get_response(), copied to @period when not NULL);
 * returns the severity the response counts under. */
int               _sd_report_context_compute  (SdReportContext     *self,
                                               SdReportCustomer    *customer,
                                               SdCase              *kase,
                                               gint64               now,
                                               SdSlaResult         *result,
                                               SdSlaPeriod         *period);
/* The case's SLA record at @now (derived, with the server's recorded
 * breaches kept). */
GArray           *_sd_report_context_ledger   (SdReportContext     *self,
                                               SdReportCustomer    *customer,
                                               SdCase              *kase,
                                               gint64               now);
/* The custom report's 9 columns: header, and the cells of a row
 * (@cells holds 9 new strings). */
#define SD_CUSTOM_REPORT_N_COLUMNS 9
const char       *_sd_custom_report_header    (SdReportLanguage     language,
                                               guint                column);
void              _sd_custom_report_row_cells (const SdCustomReport *report,
                                               SdCustomReportRow   *row,
                                               char               **cells);
/* The totals line, in the report's language. */
char             *_sd_custom_report_totals    (const SdCustomReport *report);
/* "93.3"; "" when @percent < 0. */
char             *_sd_report_percent_text     (double               percent);
/* The case's number, else its id. */
const char       *_sd_report_case_number      (SdCase              *kase);
/* The CSV quoting of RFC 4180. */
void              _sd_csv_append_field        (GString             *csv,
                                               const char          *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdReportContext, _sd_report_context_free)

G_END_DECLS
