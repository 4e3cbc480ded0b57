/* sd-health-check-row.h — one customer's line in the Health Checks view,
 * with the buttons to schedule the check and open its checklist (the
 * view's health-checks.schedule and health-checks.open-checklist actions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SD_TYPE_HEALTH_CHECK_ROW (sd_health_check_row_get_type ())

G_DECLARE_FINAL_TYPE (SdHealthCheckRow, sd_health_check_row, SD, HEALTH_CHECK_ROW, AdwActionRow)

/* @description: plain text; @checklist: whether the check has a day, so
 * that its checklist can be opened. */
GtkWidget *sd_health_check_row_new (const char *customer_id,
                                    const char *name,
                                    const char *description,
                                    gboolean    entitled,
                                    gboolean    overdue,
                                    gboolean    checklist);

G_END_DECLS
