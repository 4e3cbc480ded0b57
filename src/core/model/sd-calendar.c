/* sd-calendar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-calendar-private.h"
#include "sd-json.h"

#define MIN_YEAR     1900
#define MAX_YEAR     2399
#define N_YEARS      (MAX_YEAR - MIN_YEAR + 1)
#define JULIAN_1970  719163   /* g_date_get_julian() of 1970-01-01 */
#define DAY_SECONDS  86400

#define CN_MAINLAND_RESOURCE "/org/example/SupportDesk/calendars/cn-mainland.json"

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
} YearTable;

struct _SdCalendar
{
  GObject         parent_instance;

  SdCalendarDef  *def;              /* owned */
  SdWorkInterval  default_hours[8];
  guint           n_default_hours;
  gboolean        has_weekly_hours;
  int             last_working_exception_year;

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

/* NULL-terminated so that it is also the list of known "week" members. */
static const char * const weekday_keys[8] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

static const char * const cn_mainland_zones[] = {
  "Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC", NULL
};

/* Definition */

static void
exception_clear (gpointer data)
{
  SdCalendarException *exc = data;

  g_clear_pointer (&exc->name, g_free);
  g_clear_pointer (&exc->intervals, g_free);
  exc->n_intervals = 0;
}

SdCalendarDef *
_sd_calendar_def_new (void)
{
  SdCalendarDef *def = g_new0 (SdCalendarDef, 1);

  for (guint i = 0; i < 7; i++)
    def->week[i] = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));
  def->exceptions = g_array_new (FALSE, FALSE, sizeof (SdCalendarException));
  g_array_set_clear_func (def->exceptions, exception_clear);
  return def;
}

SdCalendarDef *
_sd_calendar_def_copy (const SdCalendarDef *def)
{
  SdCalendarDef *copy = _sd_calendar_def_new ();

  copy->id = g_strdup (def->id);
  copy->name = g_strdup (def->name);
  copy->zone_id = g_strdup (def->zone_id);
  copy->tz = def->tz ? g_time_zone_ref (def->tz) : NULL;
  for (guint i = 0; i < 7; i++)
    g_array_append_vals (copy->week[i], def->week[i]->data, def->week[i]->len);
  for (guint i = 0; i < def->exceptions->len; i++)
    {
      const SdCalendarException *src = &g_array_index (def->exceptions, SdCalendarException, i);
      SdCalendarException exc = *src;

      exc.name = g_strdup (src->name);
      exc.intervals = g_memdup2 (src->intervals, src->n_intervals * sizeof (SdWorkInterval));
      g_array_append_val (copy->exceptions, exc);
    }
  return copy;
}

void
_sd_calendar_def_free (SdCalendarDef *def)
{
  if (def == NULL)
    return;
  g_free (def->id);
  g_free (def->name);
  g_free (def->zone_id);
  g_clear_pointer (&def->tz, g_time_zone_unref);
  for (guint i = 0; i < 7; i++)
    g_array_unref (def->week[i]);
  g_array_unref (def->exceptions);
  g_free (def);
}

/* Index of the first exception with julian ≥ @julian. */
static guint
def_exception_lower_bound (const SdCalendarDef *def,
                           guint32              julian)
{
  guint lo = 0, hi = def->exceptions->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (def->exceptions, SdCalendarException, mid).julian < julian)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static const SdCalendarException *
def_find_exception (const SdCalendarDef *def,
                    guint32              julian)
{
  guint i = def_exception_lower_bound (def, julian);

  if (i < def->exceptions->len
      && g_array_index (def->exceptions, SdCalendarException, i).julian == julian)
    return &g_array_index (def->exceptions, SdCalendarException, i);
  return NULL;
}

void
_sd_calendar_def_put_exception (SdCalendarDef       *def,
                                SdCalendarException *exc)
{
  guint i = def_exception_lower_bound (def, exc->julian);

  if (i < def->exceptions->len
      && g_array_index (def->exceptions, SdCalendarException, i).julian == exc->julian)
    {
      SdCalendarException *old = &g_array_index (def->exceptions, SdCalendarException, i);

      exception_clear (old);
      *old = *exc;
    }
  else
    g_array_insert_val (def->exceptions, i, *exc);
}

/* Working intervals */

static gboolean
parse_hhmm (const char **p,
            gboolean     allow_24,
            guint       *minutes)
{
  const char *s = *p;
  guint h = 0, m;
  int digits = 0;

  while (g_ascii_isdigit (*s) && digits < 2)
    {
      h = h * 10 + (*s - '0');
      s++;
      digits++;
    }
  if (digits == 0 || *s != ':')
    return FALSE;
  s++;
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]))
    return FALSE;
  m = (s[0] - '0') * 10 + (s[1] - '0');
  s += 2;
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
    return FALSE;
  *minutes = h * 60 + m;
  *p = s;
  return TRUE;
}

gboolean
_sd_work_intervals_parse_one (const char      *text,
                              SdWorkInterval  *out,
                              GError         **error)
{
  const char *p = text;
  guint start, end;

  while (g_ascii_isspace (*p))
    p++;
  if (!parse_hhmm (&p, FALSE, &start))
    goto bad;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '-')
    goto bad;
  p++;
  while (g_ascii_isspace (*p))
    p++;
  if (!parse_hhmm (&p, TRUE, &end))
    goto bad;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    goto bad;
  if (end <= start)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("“%s” ends before it starts"), text);
      return FALSE;
    }
  out->start = start;
  out->end = end;
  return TRUE;

bad:
  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
               _("“%s” is not a time range such as 09:00-18:00"), text);
  return FALSE;
}

char *
_sd_work_interval_format (const SdWorkInterval *interval)
{
  return g_strdup_printf ("%02u:%02u-%02u:%02u",
                          interval->start / 60u, interval->start % 60u,
                          interval->end / 60u, interval->end % 60u);
}

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const SdWorkInterval *ia = a, *ib = b;

  return (int) ia->start - (int) ib->start;
}

gboolean
_sd_work_intervals_normalize (GArray      *intervals,
                              const char  *what,
                              GError     **error)
{
  guint out = 0;

  g_array_sort (intervals, compare_intervals);
  for (guint i = 0; i < intervals->len; i++)
    {
      SdWorkInterval cur = g_array_index (intervals, SdWorkInterval, i);

      if (out > 0)
        {
          SdWorkInterval *prev = &g_array_index (intervals, SdWorkInterval, out - 1);

          if (cur.start < prev->end)
            {
              g_autofree char *a = _sd_work_interval_format (prev);
              g_autofree char *b = _sd_work_interval_format (&cur);

              g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                           _("%s: %s and %s overlap"), what, a, b);
              return FALSE;
            }
          if (cur.start == prev->end)
            {
              prev->end = cur.end;
              continue;
            }
        }
      g_array_index (intervals, SdWorkInterval, out++) = cur;
    }
  g_array_set_size (intervals, out);
  return TRUE;
}

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

static const SdWorkInterval *
day_hours (SdCalendar *self,
           guint32     julian,
           guint      *n)
{
  const SdCalendarException *exc = def_find_exception (self->def, julian);
  GArray *week;

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
  YearTable *table;
  gint64 cum = 0;

  for (guint32 jd = jd0; jd < jd1; jd++)
    {
      guint n = 0;
      const SdWorkInterval *hours = day_hours (self, jd, &n);

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
      g_free (self->years[i]);
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

  day_hours (self, julian, &n);
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

/* Time zones */

gboolean
sd_calendar_zone_is_cn_mainland (const char *zone)
{
  return zone != NULL && g_strv_contains (cn_mainland_zones, zone);
}

/* A GTimeZone for an IANA identifier; offsets and file paths are refused. */
static GTimeZone *
time_zone_new (const char  *zone,
               GError     **error)
{
  GTimeZone *tz = NULL;
  gboolean plausible = zone != NULL && *zone != '\0' && strlen (zone) < 64;

  for (const char *p = zone; plausible && *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '/' || *p == '_' || *p == '-' || *p == '+')
        || (p == zone && (*p == '/' || *p == '+' || *p == '-' || g_ascii_isdigit (*p))))
      plausible = FALSE;
  if (plausible && strstr (zone, "..") == NULL)
    tz = g_time_zone_new_identifier (zone);

  if (tz == NULL)
    g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                 _("Unknown time zone “%s” (expected an IANA name such as Asia/Shanghai)"),
                 zone ? zone : "");
  return tz;
}

gboolean
_sd_calendar_def_set_time_zone (SdCalendarDef  *def,
                                const char     *zone,
                                GError        **error)
{
  GTimeZone *tz = time_zone_new (zone, error);

  if (tz == NULL)
    return FALSE;
  g_clear_pointer (&def->tz, g_time_zone_unref);
  def->tz = tz;
  g_free (def->zone_id);
  def->zone_id = g_strdup (zone);
  return TRUE;
}

/* JSON */

JsonNode *
sd_calendar_to_json (SdCalendar *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const SdCalendarDef *def;

  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  def = self->def;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, def->id);
  sd_json_builder_add_string_or_null (builder, "name", def->name);
  json_builder_set_member_name (builder, "time_zone");
  json_builder_add_string_value (builder, def->zone_id);

  json_builder_set_member_name (builder, "week");
  json_builder_begin_object (builder);
  for (guint d = 0; d < 7; d++)
    {
      json_builder_set_member_name (builder, weekday_keys[d]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < def->week[d]->len; i++)
        {
          g_autofree char *text =
            _sd_work_interval_format (&g_array_index (def->week[d], SdWorkInterval, i));
          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "exceptions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < def->exceptions->len; i++)
    {
      const SdCalendarException *exc = &g_array_index (def->exceptions, SdCalendarException, i);

      json_builder_begin_object (builder);
      sd_json_builder_add_date (builder, "date", exc->julian);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, exc->working ? "working_day" : "day_off");
      if (exc->name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, exc->name);
        }
      if (exc->working && exc->n_intervals > 0)
        {
          json_builder_set_member_name (builder, "hours");
          json_builder_begin_array (builder);
          for (guint k = 0; k < exc->n_intervals; k++)
            {
              g_autofree char *text = _sd_work_interval_format (&exc->intervals[k]);
              json_builder_add_string_value (builder, text);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Reads an array of "HH:MM-HH:MM" strings at @path into @out. */
static gboolean
read_hours (JsonArray   *array,
            const char  *path,
            GArray      *out,
            GError     **error)
{
  guint n = json_array_get_length (array);

  if (n > 48)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: too many intervals (%u, at most 48)"), path, n);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = sd_json_path_index (path, i);
      g_autoptr(GError) local_error = NULL;
      SdWorkInterval interval;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE,
                       _("Field “%s”: expected a string such as “09:00-18:00”"), item_path);
          return FALSE;
        }
      if (!_sd_work_intervals_parse_one (json_node_get_string (node), &interval, &local_error))
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: %s"), item_path, local_error->message);
          return FALSE;
        }
      g_array_append_val (out, interval);
    }

  {
    g_autofree char *what = g_strdup_printf (_("Field “%s”"), path);

    return _sd_work_intervals_normalize (out, what, error);
  }
}

static gboolean
read_exception (JsonNode       *node,
                const char     *path,
                SdCalendarDef  *def,
                GError        **error)
{
  static const char * const known[] = { "date", "kind", "name", "hours", NULL };
  JsonObject *object = sd_json_node_get_object (node, path, error);
  const char *kind = NULL;
  const char *name = NULL;
  JsonArray *hours = NULL;
  SdCalendarException exc = { 0, };

  if (object == NULL
      || !sd_json_check_fields (object, path, known, error)
      || !sd_json_get_date (object, path, "date", TRUE, &exc.julian, error)
      || !sd_json_get_string (object, path, "kind", TRUE, &kind, error)
      || !sd_json_get_string (object, path, "name", FALSE, &name, error)
      || !sd_json_get_array (object, path, "hours", FALSE, &hours, error))
    return FALSE;

  if (g_str_equal (kind, "working_day"))
    exc.working = TRUE;
  else if (!g_str_equal (kind, "day_off"))
    {
      g_autofree char *full = sd_json_path_join (path, "kind");

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: unknown value “%s” (expected day_off or working_day)"),
                   full, kind);
      return FALSE;
    }

  if (def_find_exception (def, exc.julian) != NULL)
    {
      g_autofree char *full = sd_json_path_join (path, "date");
      g_autofree char *date = sd_date_format (exc.julian);

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: %s appears more than once"), full, date);
      return FALSE;
    }

  if (hours != NULL)
    {
      g_autofree char *full = sd_json_path_join (path, "hours");
      g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));

      if (!exc.working)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: a day off has no hours"), full);
          return FALSE;
        }
      if (!read_hours (hours, full, intervals, error))
        return FALSE;
      if (intervals->len == 0)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: a working day needs hours (omit the field for the default hours)"),
                       full);
          return FALSE;
        }
      exc.n_intervals = intervals->len;
      exc.intervals = (SdWorkInterval *) g_array_free (g_steal_pointer (&intervals), FALSE);
    }

  exc.name = g_strdup (name);
  _sd_calendar_def_put_exception (def, &exc);
  return TRUE;
}

SdCalendar *
sd_calendar_from_json (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  static const char * const known[] = { "id", "name", "time_zone", "week", "exceptions", NULL };
  g_autoptr(SdCalendarDef) def = _sd_calendar_def_new ();
  const char *root = path ? path : "calendar";
  JsonObject *object = sd_json_node_get_object (node, root, error);
  const char *id = NULL, *name = NULL, *zone = NULL;
  JsonObject *week = NULL;
  JsonArray *exceptions = NULL;

  if (object == NULL
      || !sd_json_check_fields (object, root, known, error)
      || !sd_json_get_string (object, root, "id", TRUE, &id, error)
      || !sd_json_get_string (object, root, "name", FALSE, &name, error)
      || !sd_json_get_string (object, root, "time_zone", TRUE, &zone, error)
      || !sd_json_get_object (object, root, "week", TRUE, &week, error)
      || !sd_json_get_array (object, root, "exceptions", FALSE, &exceptions, error))
    return NULL;

  if (*id == '\0')
    {
      g_autofree char *full = sd_json_path_join (root, "id");

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("Field “%s” is empty"), full);
      return NULL;
    }
  def->id = g_strdup (id);
  def->name = g_strdup (name);

  {
    g_autoptr(GError) local_error = NULL;

    if (!_sd_calendar_def_set_time_zone (def, zone, &local_error))
      {
        g_autofree char *full = sd_json_path_join (root, "time_zone");

        g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                     _("Field “%s”: %s"), full, local_error->message);
        return NULL;
      }
  }

  {
    g_autofree char *week_path = sd_json_path_join (root, "week");

    if (!sd_json_check_fields (week, week_path, (const char * const *) weekday_keys, error))
      return NULL;
    for (guint d = 0; d < 7; d++)
      {
        JsonArray *hours = NULL;
        g_autofree char *day_path = sd_json_path_join (week_path, weekday_keys[d]);

        if (!sd_json_get_array (week, week_path, weekday_keys[d], FALSE, &hours, error))
          return NULL;
        if (hours != NULL && !read_hours (hours, day_path, def->week[d], error))
          return NULL;
      }
  }

  if (exceptions != NULL)
    {
      g_autofree char *exc_path = sd_json_path_join (root, "exceptions");

      for (guint i = 0; i < json_array_get_length (exceptions); i++)
        {
          g_autofree char *item_path = sd_json_path_index (exc_path, i);

          if (!read_exception (json_array_get_element (exceptions, i), item_path, def, error))
            return NULL;
        }
    }

  return _sd_calendar_new_take_def (g_steal_pointer (&def));
}

/* Built-in calendars */

static SdCalendar *
load_cn_mainland (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  SdCalendar *calendar;
  gsize size;
  const char *data;

  bytes = g_resources_lookup_data (CN_MAINLAND_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("Built-in calendar missing: %s", error->message);
  data = g_bytes_get_data (bytes, &size);
  root = sd_json_parse (data, size, &error);
  calendar = root ? sd_calendar_from_json (root, NULL, &error) : NULL;
  if (calendar == NULL)
    g_error ("Built-in calendar invalid: %s", error->message);
  return calendar;
}

SdCalendar *
sd_calendar_new_builtin (const char *id)
{
  static SdCalendar *cn_mainland;

  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_equal (id, "cn-mainland"))
    {
      if (g_once_init_enter (&cn_mainland))
        g_once_init_leave (&cn_mainland, load_cn_mainland ());
      return g_object_ref (cn_mainland);
    }
  return NULL;
}

SdCalendar *
sd_calendar_new_for_time_zone (const char  *zone,
                               GError     **error)
{
  g_autoptr(SdCalendarDef) def = NULL;
  SdWorkInterval day = { 9 * 60, 18 * 60 };

  if (sd_calendar_zone_is_cn_mainland (zone))
    return sd_calendar_new_builtin ("cn-mainland");

  def = _sd_calendar_def_new ();
  if (!_sd_calendar_def_set_time_zone (def, zone, error))
    return NULL;
  def->id = g_strdup (zone);
  def->name = g_strdup (zone);
  for (guint d = 0; d < 5; d++)
    g_array_append_val (def->week[d], day);
  return _sd_calendar_new_take_def (g_steal_pointer (&def));
}
