/* sd-calendar-builder.h — assembles an immutable SdCalendar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sd-calendar.h"

G_BEGIN_DECLS

#define SD_TYPE_CALENDAR_BUILDER (sd_calendar_builder_get_type ())
G_DECLARE_FINAL_TYPE (SdCalendarBuilder, sd_calendar_builder, SD, CALENDAR_BUILDER, GObject)

/* A builder for a calendar in @time_zone (an IANA name) without working
 * hours and without exceptions. Fails for an unknown zone. */
SdCalendarBuilder *sd_calendar_builder_new              (const char         *id,
                                                         const char         *time_zone,
                                                         GError            **error);
/* A builder holding a copy of @calendar's definition. */
SdCalendarBuilder *sd_calendar_builder_new_from_calendar (SdCalendar        *calendar);

void        sd_calendar_builder_set_id            (SdCalendarBuilder    *self,
                                                   const char           *id);
void        sd_calendar_builder_set_name          (SdCalendarBuilder    *self,
                                                   const char           *name);
gboolean    sd_calendar_builder_set_time_zone     (SdCalendarBuilder    *self,
                                                   const char           *time_zone,
                                                   GError              **error);
/* Replaces the hours of one weekday. Intervals may come in any order;
 * adjacent ones are merged, overlapping ones refused. */
gboolean    sd_calendar_builder_set_weekday_hours (SdCalendarBuilder    *self,
                                                   GDateWeekday          weekday,
                                                   const SdWorkInterval *intervals,
                                                   guint                 n_intervals,
                                                   GError              **error);
/* Replaces the weekly hours from a specification such as
 *   "mon-fri 09:00-12:00,13:00-18:00"
 *   "mon,wed 10:00-16:00; sat 10:00-12:00"
 * Groups are separated by ';'; each names days (mon … sun, or monday …
 * sunday; lists with ',' and ranges with '-') and then intervals
 * "HH:MM-HH:MM" separated by ','. Days not named have no hours. On error
 * the builder is left unchanged. */
gboolean    sd_calendar_builder_set_hours_spec    (SdCalendarBuilder    *self,
                                                   const char           *spec,
                                                   GError              **error);
/* Adds (or replaces) a dated exception. */
void        sd_calendar_builder_add_day_off       (SdCalendarBuilder    *self,
                                                   guint32               julian,
                                                   const char           *name);
/* A working day such as a make-up day (调休). With @n_intervals == 0 it
 * gets the calendar's default hours (sd_calendar_get_default_hours()). */
gboolean    sd_calendar_builder_add_working_day   (SdCalendarBuilder    *self,
                                                   guint32               julian,
                                                   const char           *name,
                                                   const SdWorkInterval *intervals,
                                                   guint                 n_intervals,
                                                   GError              **error);
void        sd_calendar_builder_clear_exceptions  (SdCalendarBuilder    *self);
/* Removes the exceptions of one year. */
void        sd_calendar_builder_clear_year        (SdCalendarBuilder    *self,
                                                   int                   year);
/* The country whose statutory holidays fill the years without official
 * data (see sd_calendar_get_rules()); NULL for none. Fails for a country
 * without rules. */
gboolean    sd_calendar_builder_set_rules         (SdCalendarBuilder    *self,
                                                   const char           *rules,
                                                   GError              **error);
/* Marks @year (1900–2399) as having official data. */
void        sd_calendar_builder_add_official_year (SdCalendarBuilder    *self,
                                                   int                   year);
guint       sd_calendar_builder_get_n_exceptions  (SdCalendarBuilder    *self);

/* A new calendar from the current definition; the builder stays usable. */
SdCalendar *sd_calendar_builder_build             (SdCalendarBuilder    *self);

G_END_DECLS
