/* sd-calendar.h — a business calendar: time zone, weekly working hours and
 * dated exceptions (public holidays, make-up working days)
 *
 * An SdCalendar is immutable; build one with SdCalendarBuilder, from JSON,
 * or take a built-in one. All queries are thread-safe. Instants are Unix
 * seconds (UTC); days are Julian day numbers (g_date_get_julian()) of the
 * calendar's local dates.
 *
 * Queries run in O(log n) on per-year tables of the working intervals,
 * converted to UTC through the calendar's GTimeZone (so daylight saving
 * changes are honoured) and built on first use. The tables cover the local
 * years 1900–2399; instants before are treated as 1900-01-01 00:00 local
 * time, and SD_CALENDAR_NEVER is returned for results past the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SD_CALENDAR_NEVER G_MAXINT64

/* A working interval of a local day, [start, end) in minutes after local
 * midnight: 0 ≤ start < end ≤ 1440. */
typedef struct {
  guint16 start;
  guint16 end;
} SdWorkInterval;

#define SD_TYPE_CALENDAR (sd_calendar_get_type ())
G_DECLARE_FINAL_TYPE (SdCalendar, sd_calendar, SD, CALENDAR, GObject)

const char      *sd_calendar_get_id             (SdCalendar   *self);
const char      *sd_calendar_get_name           (SdCalendar   *self);
/* The IANA identifier, e.g. "Asia/Shanghai". */
const char      *sd_calendar_get_time_zone_id   (SdCalendar   *self);
/* Borrowed. */
GTimeZone       *sd_calendar_get_time_zone      (SdCalendar   *self);
/* The hours of a weekday (G_DATE_MONDAY … G_DATE_SUNDAY); borrowed. */
const SdWorkInterval *sd_calendar_get_weekday_hours (SdCalendar   *self,
                                                     GDateWeekday  weekday,
                                                     guint        *n_intervals);
/* The hours a make-up working day gets when none are given: those of the
 * first of Monday–Friday that has hours (09:00–18:00 if none has). */
const SdWorkInterval *sd_calendar_get_default_hours (SdCalendar   *self,
                                                     guint        *n_intervals);
guint            sd_calendar_get_n_exceptions   (SdCalendar   *self);
/* The @index-th exception in date order. Any out pointer may be NULL. */
void             sd_calendar_get_exception      (SdCalendar   *self,
                                                 guint         index,
                                                 guint32      *julian,
                                                 gboolean     *working,
                                                 const char  **name);

/* Whether the local day @julian has working hours (exceptions first, then
 * the weekly hours). */
gboolean         sd_calendar_is_working_day     (SdCalendar   *self,
                                                 guint32       julian);
/* Whether @t lies inside a working interval, [start, end). */
gboolean         sd_calendar_is_working_time    (SdCalendar   *self,
                                                 gint64        t);
/* The first working instant at or after @t. */
gint64           sd_calendar_next_working_instant (SdCalendar *self,
                                                   gint64      t);
/* The instant at which @seconds working seconds have passed since @start.
 * For @seconds > 0 the result lies inside a working interval or exactly
 * at its end (a target reached at 18:00 is due at 18:00, not at 09:00 the
 * next morning). @seconds ≤ 0 returns @start unchanged. */
gint64           sd_calendar_add_working_seconds (SdCalendar  *self,
                                                  gint64       start,
                                                  gint64       seconds);
/* Working seconds in [from, to); negative when @to is before @from. */
gint64           sd_calendar_working_seconds_between (SdCalendar *self,
                                                      gint64      from,
                                                      gint64      to);

/* Coverage. @rules names the country whose statutory holidays fill the
 * years the calendar has no official data for ("CN", "DE", …; NULL: none).
 * Such a year is provisional: its days off are derived from the rules
 * (sd-calendar-rules.c), the calendar's own exceptions still come first. */
const char      *sd_calendar_get_rules          (SdCalendar   *self);
/* The years with official data, ascending; borrowed. */
const guint16   *sd_calendar_get_official_years (SdCalendar   *self,
                                                 guint        *n_years);
/* The version of the shipped data a built-in calendar was made from; 0
 * for any other calendar (and once an administrator edited it). */
gint64           sd_calendar_get_builtin_version (SdCalendar  *self);
gboolean         sd_calendar_is_provisional_year (SdCalendar  *self,
                                                  int          year);
/* Whether the status of day @julian rests on a provisional year. */
gboolean         sd_calendar_is_provisional_day (SdCalendar   *self,
                                                 guint32       julian);
/* The name of the holiday or make-up day @julian (official or statutory),
 * or NULL. */
const char      *sd_calendar_get_day_name       (SdCalendar   *self,
                                                 guint32       julian);
/* The first provisional local year that [@from, @to] touches, or 0. Cheap:
 * two year-table lookups. */
int              sd_calendar_find_provisional_year (SdCalendar *self,
                                                    gint64      from,
                                                    gint64      to);
/* "2027 holiday schedule not yet published; statutory holidays assumed",
 * translated. */
char            *sd_calendar_describe_provisional_year (int     year);

/* JSON codec. The document is an object:
 *   { "id": "cn-mainland", "name": "…", "time_zone": "Asia/Shanghai",
 *     "week": { "mon": ["09:00-12:00", "13:00-18:00"], …, "sun": [] },
 *     "exceptions": [ { "date": "2026-01-01", "kind": "day_off", "name": "…" },
 *                     { "date": "2026-01-04", "kind": "working_day",
 *                       "hours": ["09:00-18:00"] } ] }
 * "name", "exceptions", a weekday and "hours" (default hours) may be
 * omitted. Reading is strict: unknown fields, duplicate dates and bad
 * values fail with an error naming the field, as a path below @path
 * ("calendar" when NULL), e.g. "calendar.exceptions[3].date". */
JsonNode        *sd_calendar_to_json            (SdCalendar   *self);
SdCalendar      *sd_calendar_from_json          (JsonNode     *node,
                                                 const char   *path,
                                                 GError      **error);

/* The version of the built-in calendars' data; it grows with every release
 * that ships new holidays (year * 100 + a serial). */
#define SD_CALENDAR_BUILTIN_VERSION 2026120502

/* The built-in calendars, Monday–Friday 09:00–18:00 in the country's
 * zone: "cn-mainland" (the State Council's holidays and make-up working
 * days 2025–2026) and "cn-mainland-lunch" (the same with a lunch break
 * 12:00–13:00), "hk-office", "tw-office", "sg-office", "jp-office",
 * "kr-office", "de-office", "gb-office", "fr-office", "us-east-office",
 * "ca-east-office", "au-east-office" (public holidays generated from
 * date-holidays, see data/holidays/README.md). Every one has its country's
 * rules for the years after its data. Returns NULL for an unknown id. */
SdCalendar      *sd_calendar_new_builtin        (const char   *id);
/* The ids of the built-in calendars, NULL-terminated; static. */
const char * const *sd_calendar_list_builtin_ids (void);
/* The built-in calendar of the country @zone lies in, or NULL. */
const char      *sd_calendar_builtin_for_time_zone (const char *zone);
/* The calendar for a customer in @zone: the "cn-mainland" calendar for
 * Asia/Shanghai and its aliases (Asia/Chongqing, Asia/Chungking,
 * Asia/Harbin, PRC); the built-in calendar of the zone's country, moved to
 * @zone (America/Chicago: US holidays in Central time); otherwise
 * Monday–Friday 09:00–18:00 in @zone without holidays. Fails for an
 * unknown zone. */
SdCalendar      *sd_calendar_new_for_time_zone  (const char   *zone,
                                                 GError      **error);
/* Whether @zone is one of the zones served by "cn-mainland". */
gboolean         sd_calendar_zone_is_cn_mainland (const char  *zone);

G_END_DECLS
