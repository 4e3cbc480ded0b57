/* sd-calendar-private.h — the definition shared by SdCalendar and
 * SdCalendarBuilder
 *
 * sd-calendar-def.c holds the definition (weekly hours, exceptions, time
 * zone); sd-calendar.c the SdCalendar object, its year tables and the
 * working-time arithmetic; sd-calendar-json.c the JSON codec and the
 * built-in calendars.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-calendar.h"

G_BEGIN_DECLS

/* One dated exception. n_intervals == 0 on a working day means "the
 * calendar's default working-day hours" (see sd_calendar_builder_add_working_day). */
typedef struct {
  guint32         julian;
  gboolean        working;
  char           *name;          /* owned, may be NULL */
  SdWorkInterval *intervals;     /* owned */
  guint           n_intervals;
} SdCalendarException;

/* The whole, validated definition of a calendar. */
typedef struct {
  char      *id;                 /* owned */
  char      *name;               /* owned */
  char      *zone_id;            /* owned, the IANA identifier */
  GTimeZone *tz;                 /* owned */
  GArray    *week[7];            /* owned, SdWorkInterval; index = GDateWeekday - 1 */
  GArray    *exceptions;         /* owned, SdCalendarException sorted by julian */
  char      *rules;              /* owned, may be NULL: the country whose statutory
                                  * holidays fill the years without official data */
  GArray    *official_years;     /* owned, guint16 sorted and unique */
  gint64     builtin_version;    /* the shipped data's version; 0 once edited */
} SdCalendarDef;

void           _sd_calendar_exception_clear (gpointer data);
SdCalendarDef *_sd_calendar_def_new        (void);
SdCalendarDef *_sd_calendar_def_copy       (const SdCalendarDef *def);
void           _sd_calendar_def_free       (SdCalendarDef       *def);
/* The exception on day @julian, or NULL. */
const SdCalendarException *
               _sd_calendar_def_find_exception (const SdCalendarDef *def,
                                                guint32              julian);
/* Inserts or replaces the exception for exc->julian; takes ownership of
 * the exception's members. */
void           _sd_calendar_def_put_exception (SdCalendarDef       *def,
                                               SdCalendarException *exc);

/* Marks @year as having official data. */
void           _sd_calendar_def_add_official_year (SdCalendarDef *def,
                                                   int            year);
gboolean       _sd_calendar_def_has_official_year (const SdCalendarDef *def,
                                                   int                  year);

/* Sets the zone from an IANA identifier; fails for unknown zones and for
 * fixed offsets. */
gboolean       _sd_calendar_def_set_time_zone (SdCalendarDef  *def,
                                               const char     *zone,
                                               GError        **error);

/* Takes ownership of @def. */
SdCalendar    *_sd_calendar_new_take_def   (SdCalendarDef       *def);
const SdCalendarDef *_sd_calendar_get_def  (SdCalendar          *self);

/* Parses "09:00-12:00,13:00-18:00" (intervals sorted, disjoint, merged when
 * adjacent) and appends them to @out. @what names the source in errors. */
gboolean _sd_work_intervals_parse_one (const char  *text,
                                       SdWorkInterval *out,
                                       GError     **error);
gboolean _sd_work_intervals_normalize (GArray      *intervals,
                                       const char  *what,
                                       GError     **error);
char    *_sd_work_interval_format     (const SdWorkInterval *interval);

/* The Gregorian year of day @julian. */
static inline int
_sd_julian_get_year (guint32 julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return g_date_get_year (&date);
}

/* Statutory holiday rules (sd-calendar-rules.c). */
gboolean _sd_calendar_rules_known     (const char *rules);
/* Appends the statutory days off of @year under @rules to @out
 * (SdCalendarException, day off, named; sorted by julian, unique). */
void     _sd_calendar_rules_add_year  (const char *rules,
                                       int         year,
                                       GArray     *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCalendarDef, _sd_calendar_def_free)

G_END_DECLS
