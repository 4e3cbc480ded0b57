/* sd-health-checks-page.h — the Health Checks view: every customer of the
 * TAM with entitlement, last and next check and state; scheduling; the
 * checklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

#include "sd-board-case.h"
#include "sd-checklist-page.h"
#include "sd-schedule-dialog.h"

G_BEGIN_DECLS

#define SD_TYPE_HEALTH_CHECKS_PAGE (sd_health_checks_page_get_type ())

G_DECLARE_FINAL_TYPE (SdHealthChecksPage, sd_health_checks_page, SD, HEALTH_CHECKS_PAGE, GtkWidget)

/* @store NULL: no account (a status page says how to get one). @data:
 * the board's customers, users and "me" (NULL until loaded). */
void              sd_health_checks_page_set_store  (SdHealthChecksPage *self,
                                                    SdLocalStore       *store,
                                                    SdBoardData        *data);
/* Whether the checks of the current store are shown (tests). */
gboolean          sd_health_checks_page_is_loaded  (SdHealthChecksPage *self);
/* The row text of a customer: "entitled · last · next · state" (tests). */
char             *sd_health_checks_page_describe   (SdHealthChecksPage *self,
                                                    const char         *customer_id,
                                                    gboolean           *overdue);
/* The customer's current check (not cancelled, latest), or NULL. */
SdHealthCheck    *sd_health_checks_page_get_check  (SdHealthChecksPage *self,
                                                    const char         *customer_id);
/* Opens the scheduling dialog for a customer (the row's button). */
SdScheduleDialog *sd_health_checks_page_schedule   (SdHealthChecksPage *self,
                                                    const char         *customer_id);
/* Shows the checklist of check @id (the row's button). */
SdChecklistPage  *sd_health_checks_page_open_check (SdHealthChecksPage *self,
                                                    const char         *id);

G_END_DECLS
