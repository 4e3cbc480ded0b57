/* test-calendar-properties.c — properties of SdCalendar over random
 * calendars, and a comparison with a minute-by-minute reference walk
 *
 * The calendars come from g_test_rand_*() with a fixed seed, so that every
 * run checks the same calendars; pass --seed=… to explore others (a failure
 * prints the seed in use).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

#define N_CALENDARS   24
#define N_SAMPLES     1500
#define N_REFERENCE   40

static const char * const zones[] = {
  "Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC", "Australia/Sydney", "Asia/Kolkata",
};

/* The generator's own model of the calendar, for the reference walk. */
typedef struct {
  GTimeZone      *tz;
  GArray         *week[7];      /* SdWorkInterval */
  GHashTable     *exceptions;   /* julian → GArray of SdWorkInterval (empty: day off) */
  SdWorkInterval  defaults[8];
  guint           n_defaults;
} Model;

static void
model_free (Model *model)
{
  g_time_zone_unref (model->tz);
  for (guint d = 0; d < 7; d++)
    g_array_unref (model->week[d]);
  g_hash_table_unref (model->exceptions);
  g_free (model);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Model, model_free)

/* Sorted, disjoint intervals with boundaries that avoid 00:45–04:00, where
 * the zones above change their clocks (the wall-clock walk of the
 * reference and the calendar's contiguous intervals differ only when an
 * interval starts or ends inside a repeated or skipped hour). */
static GArray *
random_hours (guint max_intervals)
{
  GArray *hours = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));
  guint n = g_test_rand_int_range (0, max_intervals + 1);
  guint cursor = g_test_rand_bit () ? 0 : 240;

  for (guint i = 0; i < n && cursor < 1440; i++)
    {
      SdWorkInterval interval;
      guint gap = 15 * g_test_rand_int_range (0, 12);
      guint length = 15 * g_test_rand_int_range (1, 40);

      interval.start = cursor == 0 && i == 0 ? 0 : MAX (cursor + gap, 240);
      if (interval.start >= 1440)
        break;
      interval.end = MIN (interval.start + length, 1440);
      if (interval.start == 0)
        interval.end = MIN (interval.end, 45);
      g_array_append_val (hours, interval);
      cursor = interval.end + 15;
    }
  return hours;
}

static SdCalendar *
random_calendar (Model **out_model)
{
  g_autoptr(GError) error = NULL;
  const char *zone = zones[g_test_rand_int_range (0, G_N_ELEMENTS (zones))];
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("random", zone, &error);
  Model *model = g_new0 (Model, 1);
  guint n_exceptions = g_test_rand_int_range (0, 40);
  gboolean any = FALSE;
  SdCalendar *calendar;
  GDate date;

  g_assert_no_error (error);
  model->tz = g_time_zone_new_identifier (zone);
  model->exceptions = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);

  for (guint d = 0; d < 7; d++)
    {
      model->week[d] = random_hours (d < 5 ? 3 : 1);
      any |= model->week[d]->len > 0;
    }
  if (!any)
    {
      SdWorkInterval day = { 9 * 60, 17 * 60 };
      g_array_append_val (model->week[0], day);
    }
  for (guint d = 0; d < 7; d++)
    g_assert_true (sd_calendar_builder_set_weekday_hours (builder, d + 1,
                                                          (SdWorkInterval *) model->week[d]->data,
                                                          model->week[d]->len, &error));

  for (guint d = 0; d < 5 && model->n_defaults == 0; d++)
    {
      model->n_defaults = model->week[d]->len;
      if (model->n_defaults > 0)
        memcpy (model->defaults, model->week[d]->data, model->n_defaults * sizeof (SdWorkInterval));
    }
  if (model->n_defaults == 0)
    {
      model->defaults[0].start = 540;
      model->defaults[0].end = 1080;
      model->n_defaults = 1;
    }

  g_date_clear (&date, 1);
  for (guint i = 0; i < n_exceptions; i++)
    {
      guint32 julian;
      GArray *hours;

      g_date_set_dmy (&date, 1, 1, 2025);
      g_date_add_days (&date, g_test_rand_int_range (0, 3 * 365));
      julian = g_date_get_julian (&date);
      switch (g_test_rand_int_range (0, 3))
        {
        case 0:
          sd_calendar_builder_add_day_off (builder, julian, "off");
          hours = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));
          break;
        case 1:
          g_assert_true (sd_calendar_builder_add_working_day (builder, julian, "default", NULL, 0, &error));
          hours = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));
          g_array_append_vals (hours, model->defaults, model->n_defaults);
          break;
        default:
          hours = random_hours (2);
          if (hours->len == 0)
            {
              SdWorkInterval morning = { 8 * 60, 12 * 60 };
              g_array_append_val (hours, morning);
            }
          g_assert_true (sd_calendar_builder_add_working_day (builder, julian, "own",
                                                              (SdWorkInterval *) hours->data,
                                                              hours->len, &error));
          break;
        }
      g_hash_table_replace (model->exceptions, GUINT_TO_POINTER (julian), hours);
    }

  calendar = sd_calendar_builder_build (builder);
  *out_model = model;
  return calendar;
}

/* Reference: is the minute starting at @t working time in @model? */
static gboolean
model_is_working_minute (Model  *model,
                         gint64  t)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, model->tz);
  GDate date;
  guint32 julian;
  guint minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  GArray *hours;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  julian = g_date_get_julian (&date);
  if (!g_hash_table_lookup_extended (model->exceptions, GUINT_TO_POINTER (julian), NULL,
                                     (gpointer *) &hours))
    hours = model->week[g_date_get_weekday (&date) - 1];
  for (guint i = 0; i < hours->len; i++)
    {
      SdWorkInterval *iv = &g_array_index (hours, SdWorkInterval, i);

      if (minute >= iv->start && minute < iv->end)
        return TRUE;
    }
  return FALSE;
}

static gint64
random_instant (void)
{
  /* 2025-01-01 … 2026-12-31, UTC, to the second */
  return 1735689600 + (gint64) g_test_rand_int_range (0, 730 * 1440) * 60 + g_test_rand_int_range (0, 60);
}

static void
test_properties (void)
{
  for (guint c = 0; c < N_CALENDARS; c++)
    {
      g_autoptr(Model) model = NULL;
      g_autoptr(SdCalendar) calendar = random_calendar (&model);

      for (guint i = 0; i < N_SAMPLES; i++)
        {
          gint64 t = random_instant ();
          gint64 a = g_test_rand_int_range (1, 200 * 3600);
          gint64 b = g_test_rand_int_range (1, 200 * 3600);
          gint64 ta = sd_calendar_add_working_seconds (calendar, t, a);
          gint64 tb = sd_calendar_add_working_seconds (calendar, t, b);
          gint64 tab = sd_calendar_add_working_seconds (calendar, t, a + b);
          gint64 next = sd_calendar_next_working_instant (calendar, t);

          /* due is monotone in the target */
          if (a < b)
            g_assert_cmpint (ta, <, tb);
          else if (a > b)
            g_assert_cmpint (ta, >, tb);
          /* add(add(t, a), b) == add(t, a + b) */
          g_assert_cmpint (sd_calendar_add_working_seconds (calendar, ta, b), ==, tab);
          /* a business due time is inside working time or at the end of an interval */
          g_assert_true (sd_calendar_is_working_time (calendar, ta - 1));
          g_assert_true (ta > t);
          /* between(t, add(t, s)) == s */
          g_assert_cmpint (sd_calendar_working_seconds_between (calendar, t, ta), ==, a);
          g_assert_cmpint (sd_calendar_working_seconds_between (calendar, t, tab), ==, a + b);
          /* nothing is working between t and the next working instant */
          g_assert_cmpint (next, >=, t);
          g_assert_cmpint (sd_calendar_working_seconds_between (calendar, t, next), ==, 0);
          g_assert_true (sd_calendar_is_working_time (calendar, next));
          g_assert_true (next == t || !sd_calendar_is_working_time (calendar, next - 1));
        }
    }
}

static void
test_reference_walk (void)
{
  for (guint c = 0; c < N_CALENDARS / 2; c++)
    {
      g_autoptr(Model) model = NULL;
      g_autoptr(SdCalendar) calendar = random_calendar (&model);
      const char *zone = sd_calendar_get_time_zone_id (calendar);

      for (guint i = 0; i < N_REFERENCE; i++)
        {
          gint64 t = random_instant () / 60 * 60;
          gint64 target = (gint64) g_test_rand_int_range (1, 20 * 60) * 60;
          gint64 counted = 0;
          gint64 m = t;

          while (counted < target && m < t + 60 * 86400)
            {
              if (model_is_working_minute (model, m))
                counted += 60;
              m += 60;
            }
          if (counted < target)
            continue;
          if (sd_calendar_add_working_seconds (calendar, t, target) != m)
            {
              g_autofree char *from = sd_time_format_iso8601 (t, model->tz);
              g_autofree char *want = sd_time_format_iso8601 (m, model->tz);
              g_autofree char *got = sd_time_format_iso8601 (sd_calendar_add_working_seconds (calendar, t, target),
                                                             model->tz);
              g_error ("%s: %s + %" G_GINT64_FORMAT " s: reference %s, calendar %s",
                       zone, from, target, want, got);
            }
        }
    }
}

/* Calendars crossing DST transitions: the reference walk through every
 * 2026 change of the three zones, with hours around the clock. */
static void
test_reference_dst (void)
{
  static const struct {
    const char *zone;
    const char *from;
  } rows[] = {
    { "Europe/Berlin", "2026-03-27T12:00:00Z" },
    { "Europe/Berlin", "2026-10-23T12:00:00Z" },
    { "America/New_York", "2026-03-06T12:00:00Z" },
    { "America/New_York", "2026-10-30T12:00:00Z" },
    { "Australia/Sydney", "2026-04-03T12:00:00Z" },
    { "Australia/Sydney", "2026-10-02T12:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("dst", rows[i].zone, &error);
      g_autoptr(SdCalendar) calendar = NULL;
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (rows[i].zone);
      gint64 t0 = 0, counted = 0;

      g_assert_true (sd_calendar_builder_set_hours_spec (builder,
                                                         "mon-sun 00:00-05:00,08:00-12:00,22:00-24:00",
                                                         &error));
      calendar = sd_calendar_builder_build (builder);
      g_assert_true (sd_time_parse_iso8601 (rows[i].from, NULL, &t0, &error));

      /* every working minute over four days, checked one by one */
      for (gint64 m = t0; m < t0 + 4 * 86400; m += 60)
        {
          g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (m);
          g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
          int minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
          gboolean working = minute < 300 || (minute >= 480 && minute < 720) || minute >= 1320;

          g_assert_cmpint (sd_calendar_is_working_time (calendar, m), ==, working);
          if (working)
            {
              counted += 60;
              g_assert_cmpint (sd_calendar_add_working_seconds (calendar, t0, counted), ==, m + 60);
            }
        }
      g_assert_cmpint (sd_calendar_working_seconds_between (calendar, t0, t0 + 4 * 86400), ==, counted);
    }
}

#define FIXED_SEED "--seed=R02S9b1c6f3e2a7d4c5b8e0f1a2b3c4d5e6f"

int
main (int   argc,
      char *argv[])
{
  g_autofree char **args = g_new0 (char *, argc + 2);
  gboolean has_seed = FALSE;
  int n_args = 0;

  for (int i = 0; i < argc; i++)
    {
      has_seed |= g_str_has_prefix (argv[i], "--seed");
      args[n_args++] = argv[i];
    }
  if (!has_seed)
    args[n_args++] = (char *) FIXED_SEED;
  argc = n_args;
  argv = args;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calendar/properties", test_properties);
  g_test_add_func ("/calendar/reference-walk", test_reference_walk);
  g_test_add_func ("/calendar/reference-dst", test_reference_dst);

  return g_test_run ();
}
