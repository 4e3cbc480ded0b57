/* sd-calendar.c — SdCalendar: the year tables of working intervals and the
 * questions asked of them (is this working time, add working seconds, …)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-calendar-private.h"

#define MIN_YEAR     1900
#define MAX_YEAR     2399
#define N_YEARS      (MAX_YEAR - MIN_YEAR + 1)
#define JULIAN_1970  719163   /* g_date_get_julian() of 1970-01-01 */
#define DAY_SECONDS  86400

/* The working intervals of one local year, in UTC, sorted and disjoint,
 * with a running sum of working seconds. */
typedef struct {
  int     year;
  gint64  utc_begin;   /* local midnight starting January 1st */
  gint64  utc_end;     /* local midnight starting the next January 1st */
  gint64  total;       /* working seconds in [utc_begin, utc_end) */
  guint   n;
  gint64 *start;       /* n instants */
  gint64 *end;         /* n instants */
  gint64 *cum_end;     /* working seconds in [utc_begin, end[i]) */
  GArray *provisional; /* owned, may be NULL: the statutory days off of a
                        * year without official data (SdCalendarException) */
} YearTable;

struct _SdCalendar
{
  GObject         parent_instance;

  SdCalendarDef  *def;              /* owned */
  SdWorkInterval  default_hours[8];
  guint           n_default_hours;
  gboolean        has_weekly_hours;
  int             last_working_exception_year;
  gboolean        has_rules;
  guint8          provisional[N_YEARS]; /* whether a year rests on the rules */

  GMutex          lock;             /* guards building the tables */
  gpointer       *years;            /* owned, N_YEARS YearTable*, published atomically */
};

G_DEFINE_FINAL_TYPE (SdCalendar, sd_calendar, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_TIME_ZONE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Year tables */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* The proleptic Gregorian year of @t in UTC. */
static gint64
utc_year_of (gint64 t)
{
  gint64 z = floor_div (t, DAY_SECONDS) + 719468;
  gint64 era = floor_div (z, 146097);
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;

  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/* The instant the wall clock first shows @minute of day @julian: an
 * ambiguous time (the repeated hour when clocks go back) is its earlier
 * occurrence, a skipped one (clocks go forward) the end of the gap. */
static gint64
local_to_utc (GTimeZone *tz,
              guint32    julian,
              guint      minute)
{
  gint64 local = ((gint64) julian - JULIAN_1970) * DAY_SECONDS + (gint64) minute * 60;
  int interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_DAYLIGHT, &local);

  return local - g_time_zone_get_offset (tz, interval);
}

static guint32
julian_of_new_year (int year)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 1, G_DATE_JANUARY, year);
  return g_date_get_julian (&date);
}

static GDateWeekday
weekday_of_julian (guint32 julian)
{
  /* Day 1 (0001-01-01, proleptic Gregorian) is a Monday. */
  return (GDateWeekday) ((julian - 1) % 7 + 1);
}

static const SdCalendarException *
find_provisional (GArray  *provisional,
                  guint32  julian)
{
  if (provisional == NULL)
    return NULL;
  for (guint i = 0; i < provisional->len; i++)
    if (g_array_index (provisional, SdCalendarException, i).julian == julian)
      return &g_array_index (provisional, SdCalendarException, i);
  return NULL;
}

/* The hours of day @julian: the calendar's own exceptions first, then the
 * statutory days of a provisional year (@provisional, may be NULL), then
 * the weekly hours. */
static const SdWorkInterval *
day_hours (SdCalendar *self,
           GArray     *provisional,
           guint32     julian,
           guint      *n)
{
  const SdCalendarException *exc = _sd_calendar_def_find_exception (self->def, julian);
  GArray *week;

  if (exc == NULL)
    exc = find_provisional (provisional, julian);

  if (exc != NULL)
    {
      if (!exc->working)
        {
          *n = 0;
          return NULL;
        }
      if (exc->n_intervals == 0)
        {
          *n = self->n_default_hours;
          return self->default_hours;
        }
      *n = exc->n_intervals;
      return exc->intervals;
    }

  week = self->def->week[weekday_of_julian (julian) - 1];
  *n = week->len;
  return (const SdWorkInterval *) week->data;
}

static YearTable *
year_table_build (SdCalendar *self,
                  int         year)
{
  guint32 jd0 = julian_of_new_year (year);
  guint32 jd1 = julian_of_new_year (year + 1);
  GTimeZone *tz = self->def->tz;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  g_autoptr(GArray) provisional = NULL;
  YearTable *table;
  gint64 cum = 0;

  if (self->provisional[year - MIN_YEAR])
    {
      provisional = g_array_new (FALSE, FALSE, sizeof (SdCalendarException));
      g_array_set_clear_func (provisional, _sd_calendar_exception_clear);
      _sd_calendar_rules_add_year (self->def->rules, year, provisional);
    }

  for (guint32 jd = jd0; jd < jd1; jd++)
    {
      guint n = 0;
      const SdWorkInterval *hours = day_hours (self, provisional, jd, &n);

      for (guint k = 0; k < n; k++)
        {
          gint64 span[2];

          span[0] = local_to_utc (tz, jd, hours[k].start);
          span[1] = local_to_utc (tz, jd, hours[k].end);
          if (span[1] <= span[0])
            continue;
          if (spans->len > 0)
            {
              gint64 *last = &g_array_index (spans, gint64, (spans->len - 1) * 2);

              if (span[0] <= last[1])
                {
                  last[1] = MAX (last[1], span[1]);
                  continue;
                }
            }
          g_array_append_val (spans, span);
        }
    }

  table = g_malloc0 (sizeof (YearTable) + 3 * sizeof (gint64) * MAX (spans->len, 1));
  table->year = year;
  table->utc_begin = local_to_utc (tz, jd0, 0);
  table->utc_end = local_to_utc (tz, jd1, 0);
  table->n = spans->len;
  table->start = (gint64 *) (table + 1);
  table->end = table->start + MAX (spans->len, 1);
  table->cum_end = table->end + MAX (spans->len, 1);
  for (guint i = 0; i < spans->len; i++)
    {
      const gint64 *span = &((const gint64 *) spans->data)[i * 2];
      gint64 s = CLAMP (span[0], table->utc_begin, table->utc_end);
      gint64 e = CLAMP (span[1], s, table->utc_end);

      table->start[i] = s;
      table->end[i] = e;
      cum += e - s;
      table->cum_end[i] = cum;
    }
  table->total = cum;
  table->provisional = g_steal_pointer (&provisional);
  return table;
}

static const YearTable *
get_year (SdCalendar *self,
          int         year)
{
  gpointer *slot = &self->years[year - MIN_YEAR];
  YearTable *table = g_atomic_pointer_get (slot);

  if (G_LIKELY (table != NULL))
    return table;

  g_mutex_lock (&self->lock);
  table = g_atomic_pointer_get (slot);
  if (table == NULL)
    {
      table = year_table_build (self, year);
      g_atomic_pointer_set (slot, table);
    }
  g_mutex_unlock (&self->lock);
  return table;
}

/* The table whose local year holds *t. An instant before the first table
 * is moved to its start; NULL past the last table. */
static const YearTable *
table_for_instant (SdCalendar *self,
                   gint64     *t)
{
  gint64 y = utc_year_of (*t);
  const YearTable *table;

  y = CLAMP (y, MIN_YEAR, MAX_YEAR);
  table = get_year (self, (int) y);
  if (*t < table->utc_begin)
    {
      if (y == MIN_YEAR)
        {
          *t = table->utc_begin;
          return table;
        }
      table = get_year (self, (int) y - 1);
    }
  else if (*t >= table->utc_end)
    {
      if (y == MAX_YEAR)
        return NULL;
      table = get_year (self, (int) y + 1);
    }
  return table;
}

/* Whether a year after @year can still hold working time. */
static gboolean
has_working_time_after (SdCalendar *self,
                        int         year)
{
  if (year >= MAX_YEAR)
    return FALSE;
  return self->has_weekly_hours || year < self->last_working_exception_year;
}

/* First span whose end is after @t; table->n when none. */
static inline guint
first_end_after (const YearTable *table,
                 gint64           t)
{
  guint lo = 0, hi = table->n;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (table->end[mid] > t)
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo;
}

/* Working seconds in [table->utc_begin, t). */
static inline gint64
worked_until (const YearTable *table,
              gint64           t)
{
  guint i = first_end_after (table, t);
  gint64 cum_start;

  if (i == table->n)
    return table->total;
  cum_start = table->cum_end[i] - (table->end[i] - table->start[i]);
  return t > table->start[i] ? cum_start + (t - table->start[i]) : cum_start;
}

/* Object */

static void
sd_calendar_finalize (GObject *object)
{
  SdCalendar *self = (SdCalendar *) object;

  if (self->years != NULL)
    for (guint i = 0; i < N_YEARS; i++)
      {
        YearTable *table = self->years[i];

        if (table != NULL)
          g_clear_pointer (&table->provisional, g_array_unref);
        g_free (table);
      }
  g_clear_pointer (&self->years, g_free);
  g_clear_pointer (&self->def, _sd_calendar_def_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sd_calendar_parent_class)->finalize (object);
}

static void
sd_calendar_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SdCalendar *self = SD_CALENDAR (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, sd_calendar_get_id (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, sd_calendar_get_name (self));
      break;
    case PROP_TIME_ZONE_ID:
      g_value_set_string (value, sd_calendar_get_time_zone_id (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_calendar_class_init (SdCalendarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_calendar_finalize;
  object_class->get_property = sd_calendar_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_ZONE_ID] =
    g_param_spec_string ("time-zone-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_calendar_init (SdCalendar *self)
{
  g_mutex_init (&self->lock);
  self->years = g_new0 (gpointer, N_YEARS);
}

SdCalendar *
_sd_calendar_new_take_def (SdCalendarDef *def)
{
  SdCalendar *self;

  g_return_val_if_fail (def != NULL && def->tz != NULL, NULL);

  self = g_object_new (SD_TYPE_CALENDAR, NULL);
  self->def = def;

  for (guint i = 0; i < 7; i++)
    if (def->week[i]->len > 0)
      self->has_weekly_hours = TRUE;

  for (guint i = 0; i < 5 && self->n_default_hours == 0; i++)
    {
      GArray *hours = def->week[i];

      self->n_default_hours = MIN (hours->len, G_N_ELEMENTS (self->default_hours));
      if (self->n_default_hours > 0)
        memcpy (self->default_hours, hours->data,
                self->n_default_hours * sizeof (SdWorkInterval));
    }
  if (self->n_default_hours == 0)
    {
      self->default_hours[0].start = 9 * 60;
      self->default_hours[0].end = 18 * 60;
      self->n_default_hours = 1;
    }

  self->has_rules = _sd_calendar_rules_known (def->rules);
  if (self->has_rules)
    for (int y = MIN_YEAR; y <= MAX_YEAR; y++)
      self->provisional[y - MIN_YEAR] = !_sd_calendar_def_has_official_year (def, y);

  self->last_working_exception_year = G_MININT;
  for (guint i = 0; i < def->exceptions->len; i++)
    {
      const SdCalendarException *exc = &g_array_index (def->exceptions, SdCalendarException, i);

      if (exc->working)
        {
          GDate date;

          g_date_clear (&date, 1);
          g_date_set_julian (&date, exc->julian);
          self->last_working_exception_year = MAX (self->last_working_exception_year,
                                                   (int) g_date_get_year (&date));
        }
    }

  return self;
}

const SdCalendarDef *
_sd_calendar_get_def (SdCalendar *self)
{
  return self->def;
}

/* Public API */

const char *
sd_calendar_get_id (SdCalendar *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  return self->def ? self->def->id : NULL;
}

const char *
sd_calendar_get_name (SdCalendar *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  return self->def ? self->def->name : NULL;
}

const char *
sd_calendar_get_time_zone_id (SdCalendar *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  return self->def ? self->def->zone_id : NULL;
}

GTimeZone *
sd_calendar_get_time_zone (SdCalendar *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  return self->def->tz;
}

const SdWorkInterval *
sd_calendar_get_weekday_hours (SdCalendar   *self,
                               GDateWeekday  weekday,
                               guint        *n_intervals)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, NULL);
  g_return_val_if_fail (n_intervals != NULL, NULL);

  *n_intervals = self->def->week[weekday - 1]->len;
  return (const SdWorkInterval *) self->def->week[weekday - 1]->data;
}

const SdWorkInterval *
sd_calendar_get_default_hours (SdCalendar *self,
                               guint      *n_intervals)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (n_intervals != NULL, NULL);

  *n_intervals = self->n_default_hours;
  return self->default_hours;
}

guint
sd_calendar_get_n_exceptions (SdCalendar *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), 0);
  return self->def->exceptions->len;
}

void
sd_calendar_get_exception (SdCalendar  *self,
                           guint        index,
                           guint32     *julian,
                           gboolean    *working,
                           const char **name)
{
  const SdCalendarException *exc;

  g_return_if_fail (SD_IS_CALENDAR (self));
  g_return_if_fail (index < self->def->exceptions->len);

  exc = &g_array_index (self->def->exceptions, SdCalendarException, index);
  if (julian)
    *julian = exc->julian;
  if (working)
    *working = exc->working;
  if (name)
    *name = exc->name;
}

gboolean
sd_calendar_is_working_day (SdCalendar *self,
                            guint32     julian)
{
  guint n = 0;

  g_return_val_if_fail (SD_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (g_date_valid_julian (julian), FALSE);

  {
    int year = _sd_julian_get_year (julian);
    GArray *provisional = NULL;

    if (year >= MIN_YEAR && year <= MAX_YEAR && self->provisional[year - MIN_YEAR])
      provisional = get_year (self, year)->provisional;
    day_hours (self, provisional, julian, &n);
  }
  return n > 0;
}

gboolean
sd_calendar_is_working_time (SdCalendar *self,
                             gint64      t)
{
  gint64 at = t;
  const YearTable *table;
  guint i;

  g_return_val_if_fail (SD_IS_CALENDAR (self), FALSE);

  table = table_for_instant (self, &at);
  if (table == NULL || at != t)
    return FALSE;
  i = first_end_after (table, t);
  return i < table->n && table->start[i] <= t;
}

gint64
sd_calendar_next_working_instant (SdCalendar *self,
                                  gint64      t)
{
  const YearTable *table;

  g_return_val_if_fail (SD_IS_CALENDAR (self), SD_CALENDAR_NEVER);

  table = table_for_instant (self, &t);
  while (table != NULL)
    {
      guint i = first_end_after (table, t);

      if (i < table->n)
        return MAX (t, table->start[i]);
      if (!has_working_time_after (self, table->year))
        break;
      table = get_year (self, table->year + 1);
      t = table->utc_begin;
    }
  return SD_CALENDAR_NEVER;
}

gint64
sd_calendar_add_working_seconds (SdCalendar *self,
                                 gint64      start,
                                 gint64      seconds)
{
  const YearTable *table;
  gint64 t = start;
  gint64 w;

  g_return_val_if_fail (SD_IS_CALENDAR (self), SD_CALENDAR_NEVER);

  if (seconds <= 0)
    return start;
  if (seconds > (gint64) N_YEARS * 366 * DAY_SECONDS)
    return SD_CALENDAR_NEVER;

  table = table_for_instant (self, &t);
  if (table == NULL)
    return SD_CALENDAR_NEVER;

  w = worked_until (table, t) + seconds;
  for (;;)
    {
      if (w <= table->total)
        {
          guint lo = 0, hi = table->n - 1;

          /* First span whose running sum reaches w. */
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (table->cum_end[mid] >= w)
                hi = mid;
              else
                lo = mid + 1;
            }
          return table->end[lo] - (table->cum_end[lo] - w);
        }
      w -= table->total;
      if (!has_working_time_after (self, table->year))
        return SD_CALENDAR_NEVER;
      table = get_year (self, table->year + 1);
    }
}

gint64
sd_calendar_working_seconds_between (SdCalendar *self,
                                     gint64      from,
                                     gint64      to)
{
  const YearTable *ta, *tb;
  gint64 wb, sum;

  g_return_val_if_fail (SD_IS_CALENDAR (self), 0);

  if (to < from)
    return -sd_calendar_working_seconds_between (self, to, from);
  if (to == from)
    return 0;

  ta = table_for_instant (self, &from);
  if (ta == NULL)
    return 0;
  tb = table_for_instant (self, &to);
  if (tb == NULL)
    {
      tb = get_year (self, MAX_YEAR);
      wb = tb->total;
    }
  else
    wb = worked_until (tb, to);

  if (ta == tb)
    return wb - worked_until (ta, from);

  sum = ta->total - worked_until (ta, from);
  for (int y = ta->year + 1; y < tb->year; y++)
    sum += get_year (self, y)->total;
  return sum + wb;
}

const char *
sd_calendar_get_rules (SdCalendar *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  return self->def->rules;
}

const guint16 *
sd_calendar_get_official_years (SdCalendar *self,
                                guint      *n_years)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (n_years != NULL, NULL);

  *n_years = self->def->official_years->len;
  return (const guint16 *) self->def->official_years->data;
}

gint64
sd_calendar_get_builtin_version (SdCalendar *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), 0);
  return self->def->builtin_version;
}

gboolean
sd_calendar_is_provisional_year (SdCalendar *self,
                                 int         year)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), FALSE);

  if (year < MIN_YEAR || year > MAX_YEAR)
    return FALSE;
  return self->provisional[year - MIN_YEAR];
}

gboolean
sd_calendar_is_provisional_day (SdCalendar *self,
                                guint32     julian)
{
  g_return_val_if_fail (SD_IS_CALENDAR (self), FALSE);
  g_return_val_if_fail (g_date_valid_julian (julian), FALSE);

  return sd_calendar_is_provisional_year (self, _sd_julian_get_year (julian))
         && _sd_calendar_def_find_exception (self->def, julian) == NULL;
}

const char *
sd_calendar_get_day_name (SdCalendar *self,
                          guint32     julian)
{
  const SdCalendarException *exc;
  int year;

  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  g_return_val_if_fail (g_date_valid_julian (julian), NULL);

  exc = _sd_calendar_def_find_exception (self->def, julian);
  year = _sd_julian_get_year (julian);
  if (exc == NULL && year >= MIN_YEAR && year <= MAX_YEAR && self->provisional[year - MIN_YEAR])
    exc = find_provisional (get_year (self, year)->provisional, julian);
  return exc ? exc->name : NULL;
}

int
sd_calendar_find_provisional_year (SdCalendar *self,
                                   gint64      from,
                                   gint64      to)
{
  const YearTable *first, *last;

  g_return_val_if_fail (SD_IS_CALENDAR (self), 0);

  if (!self->has_rules || to < from || from == SD_CALENDAR_NEVER)
    return 0;
  first = table_for_instant (self, &from);
  if (first == NULL)
    return 0;
  if (to == SD_CALENDAR_NEVER || (last = table_for_instant (self, &to)) == NULL)
    last = get_year (self, MAX_YEAR);
  for (int y = first->year; y <= last->year; y++)
    if (self->provisional[y - MIN_YEAR])
      return y;
  return 0;
}

char *
sd_calendar_describe_provisional_year (int year)
{
  /* Translators: %d is a year, e.g. "2027 holiday schedule not yet
   * published; statutory holidays assumed" */
  return g_strdup_printf (_("%d holiday schedule not yet published; statutory holidays assumed"),
                          year);
}
