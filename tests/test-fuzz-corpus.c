/* test-fuzz-corpus.c — replays the calendar fuzzers' seed corpus and kept
 * findings (tests/fuzz/corpus/) through the importers and the codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <supportdesk.h>

typedef gboolean (*FeedFunc) (const char *data,
                              gsize       length,
                              GError    **error);

static gboolean
feed_ics (const char  *data,
          gsize        length,
          GError     **error)
{
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("corpus", "Asia/Shanghai", NULL);
  guint before = sd_calendar_builder_get_n_exceptions (builder);

  if (!sd_calendar_builder_import_ics (builder, data, length, NULL, error))
    {
      g_assert_cmpuint (sd_calendar_builder_get_n_exceptions (builder), ==, before);
      return FALSE;
    }
  return TRUE;
}

static gboolean
feed_holiday_json (const char  *data,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("corpus", "Asia/Shanghai", NULL);

  return sd_calendar_builder_import_holiday_json (builder, data, length, error);
}

static gboolean
feed_calendar_json (const char  *data,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(JsonNode) root = sd_json_parse (data, length, error);
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdCalendar) copy = NULL;

  if (root == NULL)
    return FALSE;
  calendar = sd_calendar_from_json (root, NULL, error);
  if (calendar == NULL)
    return FALSE;
  node = sd_calendar_to_json (calendar);
  copy = sd_calendar_from_json (node, NULL, error);
  g_assert_nonnull (copy);
  sd_calendar_add_working_seconds (calendar, 1767225600, 8 * 3600);
  return TRUE;
}

static void
replay (gconstpointer data)
{
  const char *target = data;
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", target, NULL);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  FeedFunc feed;
  const char *name;
  guint n_files = 0;

  if (g_str_equal (target, "fuzz-ics"))
    feed = feed_ics;
  else if (g_str_equal (target, "fuzz-holiday-json"))
    feed = feed_holiday_json;
  else
    feed = feed_calendar_json;

  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) feed_error = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_test_message ("%s/%s", target, name);
      if (feed (contents, length, &feed_error))
        g_assert_no_error (feed_error);
      else
        {
          g_assert_nonnull (feed_error);
          g_assert_true (g_utf8_validate (feed_error->message, -1, NULL));
        }
      n_files++;
    }
  g_assert_cmpuint (n_files, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/fuzz-corpus/ics", "fuzz-ics", replay);
  g_test_add_data_func ("/fuzz-corpus/holiday-json", "fuzz-holiday-json", replay);
  g_test_add_data_func ("/fuzz-corpus/calendar-json", "fuzz-calendar-json", replay);

  return g_test_run ();
}
