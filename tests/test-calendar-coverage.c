/* test-calendar-coverage.c — official and provisional years, the statutory
 * holiday rules, the built-in calendars of each country, importing an
 * official year, and times without seconds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

static guint32
D (const char *date)
{
  g_autoptr(GError) error = NULL;
  guint32 julian = 0;

  g_assert_true (sd_date_parse (date, &julian, &error));
  g_assert_no_error (error);
  return julian;
}

static gint64
T (const char *iso)
{
  g_autoptr(GError) error = NULL;
  gint64 t = 0;

  g_assert_true (sd_time_parse_iso8601 (iso, NULL, &t, &error));
  g_assert_no_error (error);
  return t;
}

static void
assert_days (SdCalendar         *calendar,
             const char * const *days,
             gboolean            working)
{
  for (guint i = 0; days[i] != NULL; i++)
    {
      g_test_message ("%s %s", sd_calendar_get_id (calendar), days[i]);
      g_assert_cmpint (sd_calendar_is_working_day (calendar, D (days[i])), ==, working);
    }
}

static void
test_cn_provisional (void)
{
  /* 2027: 元旦 Fri 1 Jan; 春节 eve Fri 5 Feb, 6–8 Feb (Sat, Sun made up
   * Tue 9 and Wed 10); 清明 Mon 5 Apr; 1–2 May (Sat, Sun → Mon 3, Tue 4);
   * 端午 Wed 9 Jun; 中秋 Wed 15 Sep; 1–3 Oct (Sat, Sun → Mon 4, Tue 5). */
  static const char * const off_2027[] = {
    "2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-04-05",
    "2027-05-03", "2027-05-04", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-04",
    "2027-10-05", NULL
  };
  static const char * const work_2027[] = {
    "2027-01-04", "2027-02-04", "2027-02-11", "2027-04-06", "2027-05-05", "2027-10-06", NULL
  };
  /* 2028: 春节 eve Tue 25 Jan, Wed 26 – Fri 28 Jan. */
  static const char * const off_2028[] = {
    "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", NULL
  };
  g_autoptr(SdCalendar) cn = sd_calendar_new_builtin ("cn-mainland");
  guint n = 0;
  const guint16 *years = sd_calendar_get_official_years (cn, &n);
  g_autofree char *note = sd_calendar_describe_provisional_year (2027);

  g_assert_cmpstr (sd_calendar_get_rules (cn), ==, "CN");
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (years[0], ==, 2025);
  g_assert_cmpuint (years[1], ==, 2026);
  g_assert_false (sd_calendar_is_provisional_year (cn, 2026));
  g_assert_true (sd_calendar_is_provisional_year (cn, 2027));
  g_assert_true (sd_calendar_is_provisional_day (cn, D ("2027-01-01")));
  g_assert_false (sd_calendar_is_provisional_day (cn, D ("2026-01-01")));
  g_assert_cmpstr (sd_calendar_get_day_name (cn, D ("2027-01-01")), ==, "元旦");
  g_assert_cmpstr (sd_calendar_get_day_name (cn, D ("2027-02-06")), ==, "春节");
  g_assert_cmpstr (sd_calendar_get_day_name (cn, D ("2028-01-25")), ==, "春节");
  g_assert_cmpstr (note, ==, "2027 holiday schedule not yet published; statutory holidays assumed");

  assert_days (cn, off_2027, FALSE);
  assert_days (cn, work_2027, TRUE);
  assert_days (cn, off_2028, FALSE);

  g_assert_cmpint (sd_calendar_find_provisional_year (cn, T ("2026-12-31T10:00:00+08:00"),
                                                      T ("2026-12-31T16:00:00+08:00")), ==, 0);
  g_assert_cmpint (sd_calendar_find_provisional_year (cn, T ("2026-12-31T16:00:00+08:00"),
                                                      T ("2027-01-04T13:00:00+08:00")), ==, 2027);
}

static void
test_countries (void)
{
  static const struct {
    const char *id;
    const char *zone;
    const char *off[6];
    const char *working[3];
  } rows[] = {
    { "de-office", "Europe/Berlin", { "2026-12-25", "2027-05-06", "2028-12-25", "2028-04-14", NULL },
      { "2026-12-24", "2026-12-28", NULL } },
    { "us-east-office", "America/New_York", { "2026-11-26", "2027-11-25", "2028-11-23", "2026-07-03", "2028-07-04", NULL },
      { "2026-11-27", NULL } },
    { "gb-office", "Europe/London", { "2026-12-28", "2028-08-28", "2028-12-26", NULL }, { NULL } },
    { "fr-office", "Europe/Paris", { "2026-07-14", "2028-07-14", "2028-06-05", NULL }, { NULL } },
    { "ca-east-office", "America/Toronto", { "2026-10-12", "2028-05-22", "2028-10-09", NULL }, { NULL } },
    { "au-east-office", "Australia/Sydney", { "2026-01-26", "2028-01-26", "2028-04-25", NULL }, { NULL } },
    { "jp-office", "Asia/Tokyo", { "2026-09-22", "2028-03-20", "2028-09-22", "2028-01-10", NULL }, { NULL } },
    { "kr-office", "Asia/Seoul", { "2026-02-16", "2026-02-18", "2028-01-26", "2028-10-03", NULL }, { NULL } },
    { "hk-office", "Asia/Hong_Kong", { "2026-02-17", "2028-01-26", "2028-04-14", NULL }, { NULL } },
    { "tw-office", "Asia/Taipei", { "2026-10-10", "2028-01-26", "2028-10-10", NULL }, { NULL } },
    { "sg-office", "Asia/Singapore", { "2026-08-10", "2027-02-08", "2028-01-26", NULL }, { NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin (rows[i].id);
      g_autoptr(GError) error = NULL;
      g_autoptr(SdCalendar) by_zone = sd_calendar_new_for_time_zone (rows[i].zone, &error);

      g_assert_no_error (error);
      g_assert_nonnull (calendar);
      g_assert_cmpstr (sd_calendar_get_time_zone_id (calendar), ==, rows[i].zone);
      g_assert_cmpstr (sd_calendar_builtin_for_time_zone (rows[i].zone), ==, rows[i].id);
      g_assert_nonnull (sd_calendar_get_rules (calendar));
      g_assert_true (calendar == by_zone);
      g_assert_true (sd_calendar_is_provisional_year (calendar, 2028));
      g_assert_false (sd_calendar_is_provisional_year (calendar, 2026));
      assert_days (calendar, rows[i].off, FALSE);
      assert_days (calendar, rows[i].working, TRUE);
    }
}

/* Dates checked by hand against the official schedules (docs/calendars.md,
 * "How the data was checked"): each country's days off that a dataset
 * missed or got wrong, and days that look like holidays but are not. */
static void
test_checked_dates (void)
{
  static const struct {
    const char *id;
    const char *off[10];
    const char *working[4];
  } rows[] = {
    /* 行政院 115年辦公日曆表; 116年 by the same rule. */
    { "tw-office", { "2026-02-20", "2026-02-27", "2026-04-03", "2026-04-06", "2026-05-01", "2026-09-28",
                     "2026-10-09", "2026-10-26", "2026-12-25", NULL },
      { "2026-02-13", "2026-10-27", "2026-12-24", NULL } },
    { "tw-office", { "2027-02-09", "2027-03-01", "2027-04-30", "2027-09-28", "2027-10-11", "2027-10-25",
                     "2027-12-24", "2027-12-31", NULL },
      { "2027-04-29", "2027-12-23", NULL } },
    /* Provisional years know the holidays added since. */
    { "tw-office", { "2028-09-28", "2028-10-25", "2028-12-25", NULL }, { "2028-09-27", NULL } },
    { "kr-office", { "2028-07-17", NULL }, { "2028-07-18", NULL } },
    /* MOM: a holiday on a Sunday gives the Monday. */
    { "sg-office", { "2026-02-17", "2026-02-18", "2026-05-27", "2026-06-01", "2026-11-09", "2026-12-25", NULL },
      { "2026-02-19", "2026-11-10", NULL } },
    /* 제헌절 again a holiday from 2026; the local elections of 3 June 2026. */
    { "kr-office", { "2026-03-02", "2026-05-25", "2026-06-03", "2026-07-17", "2026-08-17", "2026-10-05",
                     "2027-02-09", "2027-07-19", "2027-12-27", NULL },
      { "2026-06-04", "2027-05-12", NULL } },
    { "fr-office", { "2026-04-06", "2026-05-14", "2026-05-25", "2027-03-29", "2027-05-06", "2027-05-17",
                     "2027-11-01", NULL },
      { "2026-05-15", "2027-05-07", NULL } },
    /* Ontario's nine public holidays: not Easter Monday, not the Civic Holiday. */
    { "ca-east-office", { "2026-02-16", "2026-04-03", "2026-05-18", "2026-09-07", "2027-02-15", "2027-05-24",
                          "2027-10-11", NULL },
      { "2026-04-06", "2026-08-03", "2027-03-29", NULL } },
    /* NSW: the Monday after Anzac Day in 2026 and 2027; not the Bank Holiday. */
    { "au-east-office", { "2026-04-27", "2026-06-08", "2026-10-05", "2026-12-28", "2027-03-26", "2027-04-26",
                          "2027-12-27", "2027-12-28", NULL },
      { "2026-08-03", "2027-08-02", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin (rows[i].id);

      g_assert_nonnull (calendar);
      assert_days (calendar, rows[i].off, FALSE);
      assert_days (calendar, rows[i].working, TRUE);
    }
}

/* Another zone of the country keeps the country's holidays. */
static void
test_zone_of_country (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendar) chicago = sd_calendar_new_for_time_zone ("America/Chicago", &error);
  g_autoptr(SdCalendar) nowhere = sd_calendar_new_for_time_zone ("Atlantic/Reykjavik", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sd_calendar_get_time_zone_id (chicago), ==, "America/Chicago");
  g_assert_false (sd_calendar_is_working_day (chicago, D ("2026-11-26")));
  g_assert_cmpint (sd_calendar_get_builtin_version (chicago), ==, 0);
  g_assert_null (sd_calendar_get_rules (nowhere));
  g_assert_cmpint (sd_calendar_find_provisional_year (nowhere, T ("2030-01-01T00:00:00Z"),
                                                      T ("2030-02-01T00:00:00Z")), ==, 0);
}

/* An official 2027 file replaces the provisional year: its make-up
 * Saturday works, its days off are those of the file. */
static void
test_import_official_year (void)
{
  static const char json[] =
    "{ \"year\": 2027, \"days\": ["
    " { \"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true },"
    " { \"name\": \"春节\", \"date\": \"2027-02-05\", \"isOffDay\": true },"
    " { \"name\": \"春节\", \"date\": \"2027-02-08\", \"isOffDay\": true },"
    " { \"name\": \"春节\", \"date\": \"2027-02-09\", \"isOffDay\": true },"
    " { \"name\": \"春节\", \"date\": \"2027-02-10\", \"isOffDay\": true },"
    " { \"name\": \"春节\", \"date\": \"2027-02-11\", \"isOffDay\": true },"
    " { \"name\": \"春节（调休上班）\", \"date\": \"2027-02-20\", \"isOffDay\": false } ] }";
  g_autoptr(SdCalendar) cn = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new_from_calendar (cn);
  g_autoptr(SdCalendar) updated = NULL;
  g_autoptr(SdCalendar) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_calendar_builder_import_holiday_json (builder, json, -1, &error));
  g_assert_no_error (error);
  updated = sd_calendar_builder_build (builder);

  g_assert_false (sd_calendar_is_provisional_year (updated, 2027));
  g_assert_true (sd_calendar_is_provisional_year (updated, 2028));
  g_assert_true (sd_calendar_is_working_day (updated, D ("2027-02-20")));   /* make-up Saturday */
  g_assert_false (sd_calendar_is_working_day (updated, D ("2027-02-11")));
  g_assert_true (sd_calendar_is_working_day (updated, D ("2027-04-05")));   /* not in the file */
  g_assert_false (sd_calendar_is_working_day (updated, D ("2026-10-01")));  /* 2026 kept */

  /* The coverage survives the JSON codec. */
  node = sd_calendar_to_json (updated);
  again = sd_calendar_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sd_calendar_is_provisional_year (again, 2027));
  g_assert_true (sd_calendar_is_working_day (again, D ("2027-02-20")));
  g_assert_cmpstr (sd_calendar_get_rules (again), ==, "CN");
}

/* Hong Kong 2029: the day following Mid-Autumn (lunar 8/16) is Sunday
 * 23 September, so the festival itself, Saturday 22 September, is the
 * holiday instead of Monday 24 September. */
static void
test_hk_mid_autumn_sunday (void)
{
  g_autoptr(SdCalendar) hk = sd_calendar_new_builtin ("hk-office");

  g_assert_true (sd_calendar_is_provisional_year (hk, 2029));
  g_assert_cmpstr (sd_calendar_get_day_name (hk, D ("2029-09-22")), ==, "中秋節翌日");
  g_assert_true (sd_calendar_is_working_day (hk, D ("2029-09-24")));
}

static void
test_json_coverage_errors (void)
{
  static const char * const bad[] = {
    "{\"id\":\"x\",\"time_zone\":\"UTC\",\"week\":{},\"rules\":\"XX\"}",
    "{\"id\":\"x\",\"time_zone\":\"UTC\",\"week\":{},\"official_years\":[\"2027\"]}",
    "{\"id\":\"x\",\"time_zone\":\"UTC\",\"week\":{},\"official_years\":[3000]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = json_from_string (bad[i], &error);
      g_autoptr(SdCalendar) calendar = NULL;

      g_assert_no_error (error);
      calendar = sd_calendar_from_json (node, NULL, &error);
      g_assert_null (calendar);
      g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
    }
}

static void
test_time_without_seconds (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  gint64 t = 0;

  g_assert_cmpint (T ("2027-01-01T10:00+08:00"), ==, T ("2027-01-01T10:00:00+08:00"));
  g_assert_cmpint (T ("2027-01-01T02:00Z"), ==, T ("2027-01-01T10:00:00+08:00"));
  g_assert_true (sd_time_parse_iso8601 ("2027-01-01T10:00", tz, &t, NULL));
  g_assert_cmpint (t, ==, T ("2027-01-01T10:00:00+08:00"));
  g_assert_false (sd_time_parse_iso8601 ("2027-01-01T10:00", NULL, &t, NULL));
  g_assert_false (sd_time_parse_iso8601 ("2027-01-01T10:0+08:00", NULL, &t, NULL));
  g_assert_false (sd_time_parse_iso8601 ("2027-01-01T25:00+08:00", NULL, &t, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calendar-coverage/cn-provisional", test_cn_provisional);
  g_test_add_func ("/calendar-coverage/countries", test_countries);
  g_test_add_func ("/calendar-coverage/checked-dates", test_checked_dates);
  g_test_add_func ("/calendar-coverage/zone-of-country", test_zone_of_country);
  g_test_add_func ("/calendar-coverage/import-official-year", test_import_official_year);
  g_test_add_func ("/calendar-coverage/hk-mid-autumn-sunday", test_hk_mid_autumn_sunday);
  g_test_add_func ("/calendar-coverage/json-errors", test_json_coverage_errors);
  g_test_add_func ("/calendar-coverage/time-without-seconds", test_time_without_seconds);

  return g_test_run ();
}
