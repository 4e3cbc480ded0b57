/* sd-schedule-dialog.h — agree the day and the way of a customer's
 * health check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

#include "sd-board-case.h"

G_BEGIN_DECLS

#define SD_TYPE_SCHEDULE_DIALOG (sd_schedule_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SdScheduleDialog, sd_schedule_dialog, SD, SCHEDULE_DIALOG, AdwWindow)

/* Schedules @check (a requested or scheduled check of @customer, or NULL
 * for a new one). @checks: every health check the page knows
 * (SdHealthCheck), for the contract's rules and the TAM's other days. */
SdScheduleDialog *sd_schedule_dialog_new         (GtkWindow        *parent,
                                                  SdLocalStore     *store,
                                                  SdBoardData      *data,
                                                  SdBoardCustomer  *customer,
                                                  SdHealthCheck    *check,
                                                  GPtrArray        *checks);
/* The day (Julian) picked in the calendar. */
guint32           sd_schedule_dialog_get_day     (SdScheduleDialog *self);
void              sd_schedule_dialog_set_day     (SdScheduleDialog *self,
                                                  guint32           julian);
void              sd_schedule_dialog_set_contact (SdScheduleDialog *self,
                                                  const char       *contact);
/* Why the day cannot be agreed (shown in the dialog), or NULL. */
const char       *sd_schedule_dialog_get_problem (SdScheduleDialog *self);
/* A warning that does not refuse the day (the TAM is busy), or NULL. */
const char       *sd_schedule_dialog_get_warning (SdScheduleDialog *self);
/* What the Schedule button does: puts the check in the outbox and closes
 * the dialog; FALSE (nothing saved) when the day is refused. */
gboolean          sd_schedule_dialog_save        (SdScheduleDialog *self);
/* What "Export Appointment…" does once a day is saved: writes the
 * appointment as iCalendar to @file (asynchronously; a toast in the parent
 * window says when it is done). FALSE when the check has no agreed day. */
gboolean          sd_schedule_dialog_export_ics  (SdScheduleDialog *self,
                                                  GFile            *file,
                                                  GError          **error);

/* Today in the time zone of @calendar (Julian), by the app's clock. */
guint32           sd_schedule_dialog_today       (SdCalendar       *calendar);
/* A refusal of sd_health_check_check_rules() as the user reads it: the
 * reason without the field's name, capitalised. */
char             *sd_schedule_dialog_describe_refusal (const char  *message);

G_END_DECLS
