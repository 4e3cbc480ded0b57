/* sd-calendars-page.h — business calendars for administrators: list,
 * create, edit (name, time zone, weekly hours with breaks, holidays and
 * make-up working days), import an official year, archive
 *
 * A page of the administration window, self-contained: it reads and writes
 * through the signed-in account's REST client, every call asynchronous
 * (GET /calendars, GET and PATCH /calendars/ID with If-Match, POST
 * /calendars, POST /calendars/ID/import, DELETE /calendars/ID). What the
 * user typed is checked as they type with the same calendar codec the
 * server uses; what the server refuses is shown on the page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_TYPE_CALENDARS_PAGE (sd_calendars_page_get_type ())

G_DECLARE_FINAL_TYPE (SdCalendarsPage, sd_calendars_page, SD, CALENDARS_PAGE, AdwPreferencesPage)

/* Starts loading the list at once. */
SdCalendarsPage *sd_calendars_page_new             (SdRestClient    *client);

/* For tests, and the file chooser's answer. */
/* Whether a read or a write is under way. */
gboolean         sd_calendars_page_is_busy         (SdCalendarsPage *self);
guint            sd_calendars_page_get_n_calendars (SdCalendarsPage *self);
/* Opens calendar @id in the editor (loads its current version). */
void             sd_calendars_page_select          (SdCalendarsPage *self,
                                                    const char      *id);
/* The calendar in the editor and its version (0 while none is loaded). */
const char      *sd_calendars_page_get_selected    (SdCalendarsPage *self);
gint64           sd_calendars_page_get_version     (SdCalendarsPage *self);
/* The hours row of @weekday (G_DATE_MONDAY … G_DATE_SUNDAY). */
AdwEntryRow     *sd_calendars_page_get_hours_row   (SdCalendarsPage *self,
                                                    GDateWeekday     weekday);
/* Uploads @file (.ics: iCalendar, else holiday JSON) to the calendar in
 * the editor. */
void             sd_calendars_page_import_file     (SdCalendarsPage *self,
                                                    GFile           *file);
/* What the page says about the last action ("" when nothing), and
 * whether it is an error. */
const char      *sd_calendars_page_get_status      (SdCalendarsPage *self,
                                                    gboolean        *is_error);

G_END_DECLS
