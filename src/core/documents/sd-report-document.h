/* sd-report-document.h — the reports as paginated documents (PDF, print)
 *
 * The report structs of sd-report.h laid out with the shared document
 * renderer (sd-document.h): the same document is written as a PDF
 * (sd_document_write_pdf()) or printed page by page. The text is in the
 * report's language, like the CSV; the quarterly document carries the two
 * charts of sd-report-chart.h.
 *
 * The documents hold their own copies of what they draw: the report may be
 * freed right after.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-document.h"
#include "sd-report.h"

G_BEGIN_DECLS

SdDocument *sd_daily_report_to_document     (const SdDailyReport     *report);
SdDocument *sd_quarterly_report_to_document (const SdQuarterlyReport *report);
SdDocument *sd_custom_report_to_document    (const SdCustomReport    *report);

G_END_DECLS
