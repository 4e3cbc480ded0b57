/* sd-report-chart.h — the quarterly report's charts, drawn with cairo
 *
 * The app draws them in a GtkDrawingArea, the PDF export on its pages:
 * the same functions, any cairo surface. Labels are laid out with
 * PangoCairo (fontconfig finds a CJK font for Chinese) in the report's
 * language.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>

#include "sd-report.h"

G_BEGIN_DECLS

/* Response-SLA compliance per month of the quarter: one bar per month
 * (0–100 %), the count met / decided under it; a month with no decided
 * case has no bar and shows "–". */
void sd_report_draw_compliance_chart (cairo_t                 *cr,
                                      int                      width,
                                      int                      height,
                                      const SdQuarterlyReport *report);
/* Cases per severity: opened and resolved side by side, counts on top. */
void sd_report_draw_severity_chart   (cairo_t                 *cr,
                                      int                      width,
                                      int                      height,
                                      const SdQuarterlyReport *report);

G_END_DECLS
