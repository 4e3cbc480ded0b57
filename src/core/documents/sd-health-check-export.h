/* sd-health-check-export.h — a health check as CSV, as a PDF report and
 * its appointment as iCalendar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-customer.h"
#include "sd-document.h"
#include "sd-health-check.h"
#include "sd-user.h"

G_BEGIN_DECLS

/* "62%", or a translated "not scored" for a negative score. */
char       *sd_health_check_format_score  (double          score);

/* The items of @check for a report in @language ("en", "zh_CN", or NULL
 * for as they are): when the check was made from a built-in template of
 * the same id and version, the texts the auditor has not changed are
 * given in @language (sd_checklist_template_translate_items()). */
GPtrArray  *sd_health_check_report_items  (SdHealthCheck  *check,
                                           const char     *language);

/* UTF-8 with a byte-order mark, RFC 4180 (CRLF, quotes doubled), columns
 * key, area, title, expected, observed, result (wire name),
 * recommendation, weight. */
char       *sd_health_check_to_csv        (SdHealthCheck  *check,
                                           const char     *language,
                                           gsize          *length);
gboolean    sd_health_check_export_csv    (SdHealthCheck  *check,
                                           const char     *language,
                                           const char     *path,
                                           GError        **error);

/* The report: a title page (customer, day, TAM, score, progress by
 * area), then every warning and failure with its recommendation, then a
 * table per area. @customer and @tam may be NULL (their ids are shown).
 * Print it with sd_document_render_page(), or: */
SdDocument *sd_health_check_build_report  (SdHealthCheck  *check,
                                           SdCustomer     *customer,
                                           SdUser         *tam,
                                           const char     *language);
gboolean    sd_health_check_export_pdf    (SdHealthCheck  *check,
                                           SdCustomer     *customer,
                                           SdUser         *tam,
                                           const char     *language,
                                           const char     *path,
                                           GError        **error);

/* The appointment: a VCALENDAR with one all-day VEVENT on the agreed
 * day (a date of the customer's calendar). Fails with
 * SD_ERROR_INVALID_VALUE when the check has no agreed day. */
char       *sd_health_check_to_ics        (SdHealthCheck  *check,
                                           SdCustomer     *customer,
                                           SdUser         *tam,
                                           GError        **error);
gboolean    sd_health_check_export_ics    (SdHealthCheck  *check,
                                           SdCustomer     *customer,
                                           SdUser         *tam,
                                           const char     *path,
                                           GError        **error);

G_END_DECLS
