/* sd-report-actions.h — the Export PDF, Export CSV and Print buttons of a
 * report view (its report.export and report.print actions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_REPORT_ACTIONS (sd_report_actions_get_type ())

G_DECLARE_FINAL_TYPE (SdReportActions, sd_report_actions, SD, REPORT_ACTIONS, GtkBox)

G_END_DECLS
