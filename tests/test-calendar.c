/* test-calendar.c — SdCalendar: hours, queries, DST, JSON codec, importers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

static gint64
T (const char *iso)
{
  g_autoptr(GError) error = NULL;
  gint64 t = 0;

  g_assert_true (sd_time_parse_iso8601 (iso, NULL, &t, &error));
  g_assert_no_error (error);
  return t;
}

static guint32
D (const char *date)
{
  g_autoptr(GError) error = NULL;
  guint32 julian = 0;

  g_assert_true (sd_date_parse (date, &julian, &error));
  g_assert_no_error (error);
  return julian;
}

static char *
fmt (SdCalendar *calendar,
     gint64      t)
{
  if (t == SD_CALENDAR_NEVER)
    return g_strdup ("never");
  return sd_time_format_iso8601 (t, sd_calendar_get_time_zone (calendar));
}

static SdCalendar *
calendar_from_spec (const char *zone,
                    const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("test", zone, &error);

  g_assert_no_error (error);
  g_assert_true (sd_calendar_builder_set_hours_spec (builder, spec, &error));
  g_assert_no_error (error);
  return sd_calendar_builder_build (builder);
}

/* Hours specifications */

static void
test_hours_spec (void)
{
  g_autoptr(SdCalendar) lunch = calendar_from_spec ("Asia/Shanghai", "mon-fri 09:00-12:00,13:00-18:00");
  g_autoptr(SdCalendar) groups = calendar_from_spec ("UTC", " Mon,wed 10:00-16:00 ; saturday 10:00-12:00; ");
  g_autoptr(SdCalendar) merged = calendar_from_spec ("UTC", "mon 13:00-18:00,09:00-13:00; sun 00:00-24:00");
  const SdWorkInterval *hours;
  guint n;

  hours = sd_calendar_get_weekday_hours (lunch, G_DATE_FRIDAY, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (hours[0].start, ==, 9 * 60);
  g_assert_cmpuint (hours[0].end, ==, 12 * 60);
  g_assert_cmpuint (hours[1].start, ==, 13 * 60);
  g_assert_cmpuint (hours[1].end, ==, 18 * 60);
  sd_calendar_get_weekday_hours (lunch, G_DATE_SATURDAY, &n);
  g_assert_cmpuint (n, ==, 0);

  sd_calendar_get_weekday_hours (groups, G_DATE_MONDAY, &n);
  g_assert_cmpuint (n, ==, 1);
  sd_calendar_get_weekday_hours (groups, G_DATE_TUESDAY, &n);
  g_assert_cmpuint (n, ==, 0);
  hours = sd_calendar_get_weekday_hours (groups, G_DATE_WEDNESDAY, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (hours[0].start, ==, 10 * 60);
  hours = sd_calendar_get_weekday_hours (groups, G_DATE_SATURDAY, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (hours[0].end, ==, 12 * 60);

  /* adjacent intervals merge; 24:00 is a valid end */
  hours = sd_calendar_get_weekday_hours (merged, G_DATE_MONDAY, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (hours[0].start, ==, 9 * 60);
  g_assert_cmpuint (hours[0].end, ==, 18 * 60);
  hours = sd_calendar_get_weekday_hours (merged, G_DATE_SUNDAY, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (hours[0].end, ==, 24 * 60);
}

static void
test_hours_spec_errors (void)
{
  static const struct {
    const char *spec;
    const char *expected;  /* substring of the message */
  } rows[] = {
    { "", "no working hours" },
    { "mon-fri", "gives no hours" },
    { "09:00-18:00", "names no days" },
    { "mon-frx 09:00-18:00", "unknown day “frx”" },
    { "fri-mon 09:00-18:00", "runs backwards" },
    { "mon-fri 9-18", "not a time range" },
    { "mon-fri 18:00-09:00", "ends before it starts" },
    { "mon-fri 09:00-25:00", "not a time range" },
    { "mon-fri 09:60-12:00", "not a time range" },
    { "mon-fri 09:00-12:00,11:00-13:00", "overlap" },
    { "mon 09:00-12:00; mon 11:00-14:00", "overlap" },
    { "mon,,tue 09:00-12:00", "empty day" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("t", "UTC", &error);

  g_assert_no_error (error);
  g_assert_true (sd_calendar_builder_set_hours_spec (builder, "tue 08:00-09:00", &error));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(SdCalendar) calendar = NULL;
      guint n;

      g_test_message ("spec “%s”", rows[i].spec);
      g_assert_false (sd_calendar_builder_set_hours_spec (builder, rows[i].spec, &error));
      g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
      if (strstr (error->message, rows[i].expected) == NULL)
        g_error ("“%s”: message “%s” lacks “%s”", rows[i].spec, error->message, rows[i].expected);
      g_clear_error (&error);

      /* a failed spec leaves the builder unchanged */
      calendar = sd_calendar_builder_build (builder);
      sd_calendar_get_weekday_hours (calendar, G_DATE_TUESDAY, &n);
      g_assert_cmpuint (n, ==, 1);
    }
}

/* Queries on the built-in calendar */

static void
test_builtin_working_days (void)
{
  static const struct {
    const char *date;
    gboolean    working;
  } rows[] = {
    { "2026-01-01", FALSE },  /* New Year, Thursday */
    { "2026-01-03", FALSE },  /* holiday on a Saturday */
    { "2026-01-04", TRUE },   /* make-up Sunday */
    { "2026-01-05", TRUE },   /* ordinary Monday */
    { "2026-02-13", TRUE },   /* Friday before the Spring Festival */
    { "2026-02-14", TRUE },   /* make-up Saturday */
    { "2026-02-16", FALSE },  /* Spring Festival, Monday */
    { "2026-02-23", FALSE },  /* last day off */
    { "2026-02-24", TRUE },
    { "2026-02-28", TRUE },   /* make-up Saturday */
    { "2026-03-14", FALSE },  /* ordinary Saturday */
    { "2026-09-20", TRUE },   /* make-up Sunday */
    { "2026-10-01", FALSE },  /* National Day */
    { "2026-10-07", FALSE },
    { "2026-10-08", TRUE },
    { "2026-10-10", TRUE },   /* make-up Saturday */
    { "2025-01-26", TRUE },   /* make-up Sunday 2025 */
    { "2025-10-08", FALSE },
    { "2027-01-01", FALSE },  /* beyond the data: New Year by the statutory rules */
  };
  g_autoptr(SdCalendar) cn = sd_calendar_new_builtin ("cn-mainland");

  g_assert_nonnull (cn);
  g_assert_cmpstr (sd_calendar_get_id (cn), ==, "cn-mainland");
  g_assert_cmpstr (sd_calendar_get_time_zone_id (cn), ==, "Asia/Shanghai");
  g_assert_cmpuint (sd_calendar_get_n_exceptions (cn), ==, 72);
  g_assert_null (sd_calendar_new_builtin ("atlantis"));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_test_message ("%s", rows[i].date);
      g_assert_cmpint (sd_calendar_is_working_day (cn, D (rows[i].date)), ==, rows[i].working);
    }
}

typedef struct {
  const char *calendar;   /* "cn", "lunch", "berlin", "new-york" */
  const char *start;
  gint64      seconds;
  const char *due;
} AddRow;

static SdCalendar *
named_calendar (const char *name)
{
  if (g_str_equal (name, "cn"))
    return sd_calendar_new_builtin ("cn-mainland");
  if (g_str_equal (name, "lunch"))
    return calendar_from_spec ("Asia/Shanghai", "mon-fri 09:00-12:00,13:00-18:00");
  if (g_str_equal (name, "berlin"))
    return calendar_from_spec ("Europe/Berlin", "mon-fri 09:00-18:00");
  if (g_str_equal (name, "new-york"))
    return calendar_from_spec ("America/New_York", "mon-fri 09:00-17:00");
  if (g_str_equal (name, "new-york-night"))
    return calendar_from_spec ("America/New_York", "mon-sun 00:00-01:00");
  if (g_str_equal (name, "berlin-24h"))
    return calendar_from_spec ("Europe/Berlin", "mon-sun 00:00-24:00");
  g_assert_not_reached ();
}

static void
test_add_and_between (void)
{
  static const AddRow rows[] = {
    /* inside hours, same day */
    { "cn", "2026-03-09T10:00:00+08:00", 3 * 3600, "2026-03-09T13:00:00+08:00" },
    /* reaching exactly the end of the day stays at 18:00 */
    { "cn", "2026-03-09T10:00:00+08:00", 8 * 3600, "2026-03-09T18:00:00+08:00" },
    { "cn", "2026-03-09T10:00:00+08:00", 8 * 3600 + 1, "2026-03-10T09:00:01+08:00" },
    /* at night: starts at 09:00 next morning */
    { "cn", "2026-03-10T22:30:00+08:00", 6 * 3600, "2026-03-11T15:00:00+08:00" },
    /* before hours the same day */
    { "cn", "2026-03-10T07:15:00+08:00", 60, "2026-03-10T09:01:00+08:00" },
    /* weekend */
    { "cn", "2026-03-14T11:00:00+08:00", 8 * 3600, "2026-03-16T17:00:00+08:00" },
    /* several days */
    { "cn", "2026-03-09T09:00:00+08:00", 24 * 3600, "2026-03-11T15:00:00+08:00" },
    { "cn", "2026-03-12T17:00:00+08:00", 16 * 3600, "2026-03-16T15:00:00+08:00" },
    /* Spring Festival: Friday, then the make-up Saturday, then nine days off */
    { "cn", "2026-02-13T15:00:00+08:00", 8 * 3600, "2026-02-14T14:00:00+08:00" },
    { "cn", "2026-02-14T15:00:00+08:00", 6 * 3600, "2026-02-24T12:00:00+08:00" },
    { "cn", "2026-02-17T10:00:00+08:00", 8 * 3600, "2026-02-24T17:00:00+08:00" },
    /* Golden Week */
    { "cn", "2026-09-30T14:00:00+08:00", 8 * 3600, "2026-10-08T13:00:00+08:00" },
    /* across the year end, into the make-up Sunday 2026-01-04 */
    { "cn", "2025-12-31T17:00:00+08:00", 2 * 3600, "2026-01-04T10:00:00+08:00" },
    /* lunch break */
    { "lunch", "2026-03-09T10:00:00+08:00", 6 * 3600, "2026-03-09T17:00:00+08:00" },
    { "lunch", "2026-03-09T12:30:00+08:00", 6 * 3600, "2026-03-10T10:00:00+08:00" },
    { "lunch", "2026-03-09T11:00:00+08:00", 3600, "2026-03-09T12:00:00+08:00" },
    { "lunch", "2026-03-09T11:00:00+08:00", 3600 + 60, "2026-03-09T13:01:00+08:00" },
    /* DST: the working week resumes in summer time */
    { "berlin", "2026-03-27T14:00:00+01:00", 8 * 3600, "2026-03-30T13:00:00+02:00" },
    { "berlin", "2026-10-23T14:00:00+02:00", 8 * 3600, "2026-10-26T13:00:00+01:00" },
    { "new-york", "2026-03-06T15:00:00-05:00", 5 * 3600, "2026-03-09T12:00:00-04:00" },
    { "new-york", "2026-10-30T16:00:00-04:00", 7 * 3600, "2026-11-02T15:00:00-05:00" },
    /* a 24-hour calendar counts real seconds through the gap and the repeat */
    { "berlin-24h", "2026-03-29T01:50:00+01:00", 1800, "2026-03-29T03:20:00+02:00" },
    { "berlin-24h", "2026-10-25T02:50:00+02:00", 1800, "2026-10-25T02:20:00+01:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(SdCalendar) calendar = named_calendar (rows[i].calendar);
      gint64 start = T (rows[i].start);
      gint64 due = sd_calendar_add_working_seconds (calendar, start, rows[i].seconds);
      g_autofree char *got = fmt (calendar, due);

      g_test_message ("%s %s + %" G_GINT64_FORMAT, rows[i].calendar, rows[i].start, rows[i].seconds);
      g_assert_cmpstr (got, ==, rows[i].due);
      g_assert_cmpint (sd_calendar_working_seconds_between (calendar, start, due), ==, rows[i].seconds);
      g_assert_cmpint (sd_calendar_working_seconds_between (calendar, due, start), ==, -rows[i].seconds);
    }
}

static void
test_between (void)
{
  static const struct {
    const char *calendar;
    const char *from;
    const char *to;
    gint64      seconds;
  } rows[] = {
    /* Fri 2 h + make-up Saturday 9 h + Tuesday after the festival 3 h */
    { "cn", "2026-02-13T16:00:00+08:00", "2026-02-24T12:00:00+08:00", 14 * 3600 },
    { "cn", "2026-02-15T00:00:00+08:00", "2026-02-24T00:00:00+08:00", 0 },
    { "cn", "2026-03-09T12:00:00+08:00", "2026-03-09T12:00:00+08:00", 0 },
    /* a whole year: 2026 has 248 working days */
    { "cn", "2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00", 248 * 9 * 3600 },
    /* two years in one query */
    { "cn", "2025-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00", (248 + 248) * 9 * 3600 },
    { "lunch", "2026-03-09T00:00:00+08:00", "2026-03-10T00:00:00+08:00", 8 * 3600 },
    /* the short and the long Sunday */
    { "berlin-24h", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 23 * 3600 },
    { "berlin-24h", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 25 * 3600 },
    /* an interval ending at the repeated 01:00 ends the first time the clock shows it */
    { "new-york-night", "2026-11-01T00:00:00-04:00", "2026-11-01T03:00:00-05:00", 3600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(SdCalendar) calendar = named_calendar (rows[i].calendar);

      g_test_message ("%s %s → %s", rows[i].calendar, rows[i].from, rows[i].to);
      g_assert_cmpint (sd_calendar_working_seconds_between (calendar, T (rows[i].from), T (rows[i].to)),
                       ==, rows[i].seconds);
    }
}

static void
test_next_working_instant (void)
{
  static const struct {
    const char *calendar;
    const char *t;
    const char *next;
    gboolean    working;
  } rows[] = {
    { "cn", "2026-03-09T10:00:00+08:00", "2026-03-09T10:00:00+08:00", TRUE },
    { "cn", "2026-03-09T18:00:00+08:00", "2026-03-10T09:00:00+08:00", FALSE },
    { "cn", "2026-03-09T17:59:59+08:00", "2026-03-09T17:59:59+08:00", TRUE },
    { "cn", "2026-02-14T20:00:00+08:00", "2026-02-24T09:00:00+08:00", FALSE },
    { "cn", "2026-09-30T18:30:00+08:00", "2026-10-08T09:00:00+08:00", FALSE },
    { "cn", "2026-12-31T18:00:00+08:00", "2027-01-04T09:00:00+08:00", FALSE },  /* 2027-01-01 statutory */
    { "lunch", "2026-03-09T12:00:00+08:00", "2026-03-09T13:00:00+08:00", FALSE },
    { "new-york", "2026-03-07T12:00:00-05:00", "2026-03-09T09:00:00-04:00", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(SdCalendar) calendar = named_calendar (rows[i].calendar);
      g_autofree char *got = fmt (calendar, sd_calendar_next_working_instant (calendar, T (rows[i].t)));

      g_test_message ("%s %s", rows[i].calendar, rows[i].t);
      g_assert_cmpstr (got, ==, rows[i].next);
      g_assert_cmpint (sd_calendar_is_working_time (calendar, T (rows[i].t)), ==, rows[i].working);
    }
}

static void
test_no_working_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("empty", "UTC", &error);
  g_autoptr(SdCalendar) empty = NULL;
  g_autoptr(SdCalendar) one_day = NULL;
  gint64 t = T ("2026-03-09T10:00:00Z");

  g_assert_no_error (error);
  empty = sd_calendar_builder_build (builder);
  g_assert_cmpint (sd_calendar_add_working_seconds (empty, t, 60), ==, SD_CALENDAR_NEVER);
  g_assert_cmpint (sd_calendar_next_working_instant (empty, t), ==, SD_CALENDAR_NEVER);
  g_assert_cmpint (sd_calendar_working_seconds_between (empty, t, t + 86400 * 400), ==, 0);
  g_assert_cmpint (sd_calendar_add_working_seconds (empty, t, 0), ==, t);

  /* only one working day, as an exception */
  g_assert_true (sd_calendar_builder_add_working_day (builder, D ("2026-04-01"), "only", NULL, 0, &error));
  one_day = sd_calendar_builder_build (builder);
  g_assert_cmpint (sd_calendar_add_working_seconds (one_day, t, 3600), ==, T ("2026-04-01T10:00:00Z"));
  g_assert_cmpint (sd_calendar_add_working_seconds (one_day, t, 9 * 3600 + 1), ==, SD_CALENDAR_NEVER);

  /* far outside the tables */
  g_assert_cmpint (sd_calendar_add_working_seconds (one_day, G_MAXINT64 - 10, 60), ==, SD_CALENDAR_NEVER);
  g_assert_cmpint (sd_calendar_next_working_instant (one_day, G_MININT64 + 10), ==, T ("2026-04-01T09:00:00Z"));
}

/* Exceptions with their own hours and the default hours */

static void
test_exception_hours (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("x", "Asia/Shanghai", &error);
  g_autoptr(SdCalendar) calendar = NULL;
  SdWorkInterval half_day = { 9 * 60, 12 * 60 };
  const SdWorkInterval *defaults;
  guint n;

  g_assert_true (sd_calendar_builder_set_hours_spec (builder, "tue-fri 08:30-12:00,13:00-17:30", &error));
  /* a Saturday with a morning only, a Sunday with the default hours */
  g_assert_true (sd_calendar_builder_add_working_day (builder, D ("2026-03-14"), "half", &half_day, 1, &error));
  g_assert_true (sd_calendar_builder_add_working_day (builder, D ("2026-03-15"), NULL, NULL, 0, &error));
  sd_calendar_builder_add_day_off (builder, D ("2026-03-13"), "off");
  calendar = sd_calendar_builder_build (builder);

  defaults = sd_calendar_get_default_hours (calendar, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (defaults[0].start, ==, 8 * 60 + 30);

  /* Thu 16:00 + 5 h: 1.5 h Thu, Fri off, 3 h Sat, 0.5 h Sun */
  {
    g_autofree char *due = fmt (calendar, sd_calendar_add_working_seconds (calendar,
                                                                           T ("2026-03-12T16:00:00+08:00"),
                                                                           5 * 3600));
    g_assert_cmpstr (due, ==, "2026-03-15T09:00:00+08:00");
  }
  g_assert_false (sd_calendar_is_working_day (calendar, D ("2026-03-16")));  /* Monday, no hours */
  g_assert_true (sd_calendar_is_working_day (calendar, D ("2026-03-15")));
}

/* JSON codec */

static void
test_json_round_trip (void)
{
  g_autoptr(SdCalendar) cn = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(SdCalendar) lunch = named_calendar ("lunch");
  SdCalendar *calendars[] = { cn, lunch };

  for (guint i = 0; i < G_N_ELEMENTS (calendars); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sd_calendar_to_json (calendars[i]);
      g_autofree char *text = sd_json_to_string (node, TRUE);
      g_autoptr(SdCalendar) copy = sd_calendar_from_json (node, NULL, &error);
      g_autoptr(JsonNode) node2 = NULL;
      g_autofree char *text2 = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (copy);
      node2 = sd_calendar_to_json (copy);
      text2 = sd_json_to_string (node2, TRUE);
      g_assert_cmpstr (text, ==, text2);
      g_assert_cmpint (sd_calendar_add_working_seconds (copy, T ("2026-02-13T15:00:00+08:00"), 8 * 3600),
                       ==,
                       sd_calendar_add_working_seconds (calendars[i], T ("2026-02-13T15:00:00+08:00"), 8 * 3600));
    }
}

static void
test_json_errors (void)
{
  static const struct {
    const char *json;
    const char *path;
  } rows[] = {
    { "[]", "calendar" },
    { "{\"time_zone\": \"UTC\", \"week\": {}}", "calendar.id" },
    { "{\"id\": \"\", \"time_zone\": \"UTC\", \"week\": {}}", "calendar.id" },
    { "{\"id\": \"x\", \"week\": {}}", "calendar.time_zone" },
    { "{\"id\": \"x\", \"time_zone\": \"Mars/Olympus\", \"week\": {}}", "calendar.time_zone" },
    { "{\"id\": \"x\", \"time_zone\": \"+08:00\", \"week\": {}}", "calendar.time_zone" },
    { "{\"id\": \"x\", \"time_zone\": \"../../etc/passwd\", \"week\": {}}", "calendar.time_zone" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\"}", "calendar.week" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {}, \"colour\": 1}", "calendar.colour" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"mon\": [\"9-5\"]}}", "calendar.week.mon[0]" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"funday\": []}}", "calendar.week.funday" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"tue\": [\"09:00-12:00\", 5]}}", "calendar.week.tue[1]" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"tue\": [\"09:00-12:00\", \"11:00-13:00\"]}}", "calendar.week.tue" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {\"funday\": []}}", "calendar.week.funday" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {}, \"exceptions\": ["
      "{\"date\": \"2026-01-01\", \"kind\": \"day_off\"},"
      "{\"date\": \"2026-01-02\", \"kind\": \"day_off\"},"
      "{\"date\": \"2026-01-03\", \"kind\": \"day_off\"},"
      "{\"date\": \"2026-02-30\", \"kind\": \"day_off\"}]}", "calendar.exceptions[3].date" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {}, \"exceptions\": ["
      "{\"date\": \"2026-01-01\", \"kind\": \"holiday\"}]}", "calendar.exceptions[0].kind" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {}, \"exceptions\": ["
      "{\"date\": \"2026-01-01\", \"kind\": \"day_off\"}, {\"date\": \"2026-01-01\", \"kind\": \"working_day\"}]}",
      "calendar.exceptions[1].date" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {}, \"exceptions\": ["
      "{\"date\": \"2026-01-01\", \"kind\": \"day_off\", \"hours\": [\"09:00-10:00\"]}]}",
      "calendar.exceptions[0].hours" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {}, \"exceptions\": ["
      "{\"date\": \"2026-01-01\", \"kind\": \"working_day\", \"hours\": [\"09:00\"]}]}",
      "calendar.exceptions[0].hours[0]" },
    { "{\"id\": \"x\", \"time_zone\": \"UTC\", \"week\": {}, \"exceptions\": [7]}", "calendar.exceptions[0]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sd_json_parse (rows[i].json, -1, &error);
      g_autoptr(SdCalendar) calendar = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", rows[i].path);

      g_assert_no_error (error);
      calendar = sd_calendar_from_json (node, NULL, &error);
      g_assert_null (calendar);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SD_ERROR);
      if (strstr (error->message, quoted) == NULL)
        g_error ("row %u: “%s” does not name %s", i, error->message, quoted);
    }
}

/* Time zones */

static void
test_for_time_zone (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendar) shanghai = sd_calendar_new_for_time_zone ("Asia/Shanghai", &error);
  g_autoptr(SdCalendar) chongqing = sd_calendar_new_for_time_zone ("Asia/Chongqing", &error);
  g_autoptr(SdCalendar) berlin = sd_calendar_new_for_time_zone ("Europe/Berlin", &error);
  g_autoptr(SdCalendar) nowhere = NULL;
  guint n;

  g_assert_no_error (error);
  g_assert_cmpstr (sd_calendar_get_id (shanghai), ==, "cn-mainland");
  g_assert_cmpstr (sd_calendar_get_id (chongqing), ==, "cn-mainland");
  g_assert_cmpstr (sd_calendar_get_time_zone_id (berlin), ==, "Europe/Berlin");
  /* Germany's built-in calendar: its holidays, not mainland China's. */
  g_assert_cmpstr (sd_calendar_get_id (berlin), ==, "de-office");
  g_assert_false (sd_calendar_is_working_day (berlin, D ("2026-12-25")));
  sd_calendar_get_weekday_hours (berlin, G_DATE_MONDAY, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (sd_calendar_is_working_day (berlin, D ("2026-10-01")));
  g_assert_false (sd_calendar_is_working_day (shanghai, D ("2026-10-01")));

  nowhere = sd_calendar_new_for_time_zone ("Europe/Atlantis", &error);
  g_assert_null (nowhere);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "Europe/Atlantis"));
}

/* Lazy tables built from several threads at once */

typedef struct {
  SdCalendar *calendar;
  gint64      sum;
} ThreadData;

static gpointer
thread_run (gpointer user_data)
{
  ThreadData *data = user_data;
  gint64 base = T ("1990-01-01T00:00:00Z");

  for (int i = 0; i < 2000; i++)
    {
      gint64 t = base + (gint64) i * 7 * 86400 + i * 977;
      data->sum += sd_calendar_add_working_seconds (data->calendar, t, 3600 * (1 + i % 40)) - t;
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(SdCalendar) a = named_calendar ("berlin");
  g_autoptr(SdCalendar) b = named_calendar ("berlin");
  ThreadData data[3] = { { a, 0 }, { a, 0 }, { b, 0 } };
  GThread *threads[2];

  threads[0] = g_thread_new ("t0", thread_run, &data[0]);
  threads[1] = g_thread_new ("t1", thread_run, &data[1]);
  thread_run (&data[2]);
  g_thread_join (threads[0]);
  g_thread_join (threads[1]);
  g_assert_cmpint (data[0].sum, ==, data[2].sum);
  g_assert_cmpint (data[1].sum, ==, data[2].sum);
}

/* Importers */

static char *
test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
test_import_ics_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("feed", "Europe/Berlin", &error);
  g_autoptr(SdCalendar) calendar = NULL;
  g_autofree char *path = test_data_path ("feed-basic.ics");
  static const struct {
    const char *date;
    gboolean    working;
  } rows[] = {
    { "2026-04-01", TRUE },
    { "2026-04-02", FALSE },   /* two-day event, DTEND exclusive */
    { "2026-04-03", FALSE },
    { "2026-04-06", TRUE },
    { "2026-04-11", TRUE },    /* make-up Saturday, folded SUMMARY */
    { "2026-04-12", FALSE },
    { "2025-12-25", FALSE },   /* RRULE */
    { "2026-12-25", TRUE },    /* EXDATE */
    { "2027-12-24", TRUE },
    { "2027-12-24", TRUE },
    { "2026-07-06", FALSE },   /* DURATION:P2D */
    { "2026-07-07", FALSE },
    { "2026-07-08", TRUE },    /* a timed meeting is not a holiday */
    { "2026-07-09", TRUE },    /* cancelled */
  };

  g_assert_true (sd_calendar_builder_set_hours_spec (builder, "mon-fri 09:00-17:00", &error));
  sd_calendar_builder_import_file (builder, path, NULL, &error);
  g_assert_no_error (error);
  calendar = sd_calendar_builder_build (builder);
  g_assert_cmpuint (sd_calendar_get_n_exceptions (calendar), ==, 7);
  g_assert_false (sd_calendar_is_working_day (calendar, D ("2027-12-27") - 2));  /* 2027-12-25, Saturday */

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_test_message ("%s", rows[i].date);
      g_assert_cmpint (sd_calendar_is_working_day (calendar, D (rows[i].date)), ==, rows[i].working);
    }

  /* the make-up day gets the default hours: Mon–Fri's */
  {
    g_autofree char *due = fmt (calendar, sd_calendar_add_working_seconds (calendar,
                                                                           T ("2026-04-10T16:00:00+02:00"),
                                                                           3 * 3600));
    g_assert_cmpstr (due, ==, "2026-04-11T11:00:00+02:00");
  }
}

static void
test_import_ics_pattern (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("feed", "UTC", &error);
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(GRegex) pattern = g_regex_new ("^(Christmas|Summer)", 0, 0, NULL);
  g_autofree char *path = test_data_path ("feed-basic.ics");

  g_assert_true (sd_calendar_builder_import_file (builder, path, pattern, &error));
  g_assert_no_error (error);
  calendar = sd_calendar_builder_build (builder);
  g_assert_true (sd_calendar_is_working_day (calendar, D ("2026-07-06")));
  g_assert_false (sd_calendar_is_working_day (calendar, D ("2026-04-11")));
}

static void
test_import_ics_malformed (void)
{
  static const struct {
    const char *file;
    const char *message;
  } rows[] = {
    { "malformed-date.ics", "line 7:" },
    { "malformed-dtend.ics", "line 8:" },
    { "malformed-unclosed.ics", "line 7:" },
    { "malformed-noname.ics", "line 6:" },
    { "malformed-nodtstart.ics", "line 4:" },
    { "malformed-rrule.ics", "line 8:" },
    { "malformed-notics.ics", "line 1:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("feed", "UTC", &error);
      g_autofree char *path = test_data_path (rows[i].file);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_false (sd_calendar_builder_import_ics (builder, contents, length, NULL, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", rows[i].file, error->message);
      if (!g_str_has_prefix (error->message, rows[i].message))
        g_error ("%s: “%s” does not start with “%s”", rows[i].file, error->message, rows[i].message);
      g_assert_cmpuint (sd_calendar_builder_get_n_exceptions (builder), ==, 0);
    }
}

static void
test_import_holiday_json (void)
{
  static const struct {
    const char *json;
    const char *path;
  } bad[] = {
    { "{}", "“days”" },
    { "{\"days\": [{\"date\": \"2026-01-01\"}]}", "“days[0].isOffDay”" },
    { "{\"days\": [{\"date\": \"2026-01-01\", \"isOffDay\": true}, {\"date\": \"2026-13-01\", \"isOffDay\": true}]}", "“days[1].date”" },
    { "{\"days\": [{\"date\": \"2026-01-01\", \"isOffDay\": \"yes\"}]}", "“days[0].isOffDay”" },
    { "{\"days\": [{\"date\": \"2026-01-01\", \"isOffDay\": true, \"x\": 1}]}", "“days[0].x”" },
    { "{\"days\": 3}", "“days”" },
    { "{\"days\": [", "Malformed JSON" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("json", "Asia/Shanghai", &error);
  g_autoptr(SdCalendar) calendar = NULL;
  g_autofree char *path = test_data_path ("holidays-small.json");

  g_assert_true (sd_calendar_builder_set_hours_spec (builder, "mon-fri 09:00-18:00", &error));
  g_assert_true (sd_calendar_builder_import_file (builder, path, NULL, &error));
  g_assert_no_error (error);
  calendar = sd_calendar_builder_build (builder);
  g_assert_false (sd_calendar_is_working_day (calendar, D ("2026-03-10")));
  g_assert_true (sd_calendar_is_working_day (calendar, D ("2026-03-14")));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (sd_calendar_builder_import_holiday_json (builder, bad[i].json, -1, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].path) == NULL)
        g_error ("row %u: “%s” lacks %s", i, error->message, bad[i].path);
      g_clear_error (&error);
      g_assert_cmpuint (sd_calendar_builder_get_n_exceptions (builder), ==, 2);
    }
}

/* The real feeds, when the shared data folder is present: importing them
 * yields the same calendar as the built-in one. */
static void
test_import_real_feeds (void)
{
  const char *shared = g_getenv ("SUPPORTDESK_SHARED_DATA");
  g_autofree char *dir = shared ? g_build_filename (shared, "holidays-cn", NULL) : NULL;
  g_autoptr(SdCalendar) cn = sd_calendar_new_builtin ("cn-mainland");
  const char *kinds[] = { "ics", "json" };

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip_printf ("shared holiday data not found: %s (set SUPPORTDESK_SHARED_DATA)",
                          dir ? dir : "(unset)");
      return;
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("imported", "Asia/Shanghai", &error);
      g_autoptr(SdCalendar) imported = NULL;
      GDate date;

      g_assert_true (sd_calendar_builder_set_hours_spec (builder, "mon-fri 09:00-18:00", &error));
      for (int year = 2025; year <= 2026; year++)
        {
          g_autofree char *name = g_strdup_printf ("%d.%s", year, kinds[k]);
          g_autofree char *path = g_build_filename (dir, name, NULL);

          sd_calendar_builder_import_file (builder, path, NULL, &error);
          g_assert_no_error (error);
        }
      imported = sd_calendar_builder_build (builder);

      g_date_clear (&date, 1);
      for (g_date_set_dmy (&date, 1, 1, 2025); g_date_get_year (&date) < 2027; g_date_add_days (&date, 1))
        {
          guint32 julian = g_date_get_julian (&date);

          if (sd_calendar_is_working_day (imported, julian) != sd_calendar_is_working_day (cn, julian))
            {
              g_autofree char *text = sd_date_format (julian);
              g_error ("%s feed and built-in calendar differ on %s", kinds[k], text);
            }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calendar/hours-spec", test_hours_spec);
  g_test_add_func ("/calendar/hours-spec-errors", test_hours_spec_errors);
  g_test_add_func ("/calendar/builtin-working-days", test_builtin_working_days);
  g_test_add_func ("/calendar/add-and-between", test_add_and_between);
  g_test_add_func ("/calendar/between", test_between);
  g_test_add_func ("/calendar/next-working-instant", test_next_working_instant);
  g_test_add_func ("/calendar/no-working-time", test_no_working_time);
  g_test_add_func ("/calendar/exception-hours", test_exception_hours);
  g_test_add_func ("/calendar/json-round-trip", test_json_round_trip);
  g_test_add_func ("/calendar/json-errors", test_json_errors);
  g_test_add_func ("/calendar/for-time-zone", test_for_time_zone);
  g_test_add_func ("/calendar/threads", test_threads);
  g_test_add_func ("/calendar/import/ics-fixture", test_import_ics_fixture);
  g_test_add_func ("/calendar/import/ics-pattern", test_import_ics_pattern);
  g_test_add_func ("/calendar/import/ics-malformed", test_import_ics_malformed);
  g_test_add_func ("/calendar/import/holiday-json", test_import_holiday_json);
  g_test_add_func ("/calendar/import/real-feeds", test_import_real_feeds);

  return g_test_run ();
}
