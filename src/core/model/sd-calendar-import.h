/* sd-calendar-import.h — holiday feeds into a calendar builder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-calendar-builder.h"

G_BEGIN_DECLS

/* The default rule for make-up working days in iCalendar feeds: the
 * SUMMARY starts with "上班" ("at work"), as in the mainland-China holiday
 * feeds ("上班(补春节假期)"). */
#define SD_CALENDAR_IMPORT_WORKING_DAY_PATTERN "^\\s*上班"

/* Every year an import has days in becomes official (see
 * sd_calendar_get_official_years()): the import replaces the calendar's
 * exceptions of that year, and the year is no longer provisional. */

/* Adds the all-day VEVENTs of an iCalendar (RFC 5545) document as dated
 * exceptions: every day in [DTSTART, DTEND) (DTEND exclusive; DURATION or
 * one day when absent), repeated by RRULE/RDATE less EXDATE. An event
 * whose SUMMARY matches @working_day_summary (NULL: the default pattern
 * above) is a working day with the default hours; any other event is a day
 * off. Events with a date-time DTSTART and cancelled events are ignored.
 * Malformed input fails with SD_ERROR_SYNTAX or SD_ERROR_INVALID_VALUE and
 * a message "line N: …"; the builder is then left unchanged. */
gboolean sd_calendar_builder_import_ics          (SdCalendarBuilder  *builder,
                                                  const char         *data,
                                                  gssize              length,
                                                  GRegex             *working_day_summary,
                                                  GError            **error);

/* Adds the days of a holiday JSON document:
 *   { "year": 2026, "days": [ { "name": "元旦", "date": "2026-01-01",
 *                               "isOffDay": true }, … ] }
 * isOffDay true → day off, false → working day with the default hours.
 * Errors name the field ("days[3].date"); the builder is then unchanged. */
gboolean sd_calendar_builder_import_holiday_json (SdCalendarBuilder  *builder,
                                                  const char         *data,
                                                  gssize              length,
                                                  GError            **error);

/* Reads @path and imports it as iCalendar or holiday JSON, recognised by
 * its content. Error messages start with the file name. */
gboolean sd_calendar_builder_import_file         (SdCalendarBuilder  *builder,
                                                  const char         *path,
                                                  GRegex             *working_day_summary,
                                                  GError            **error);

G_END_DECLS
