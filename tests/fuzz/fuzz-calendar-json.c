/* fuzz-calendar-json.c — libFuzzer target: the calendar JSON codec; a
 * document that decodes must encode and decode to the same text, and the
 * calendar must answer queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <supportdesk.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdCalendar) calendar = NULL;

  if (size > 256 * 1024)
    return 0;
  root = sd_json_parse ((const char *) data, size, &error);
  if (root == NULL)
    return 0;
  calendar = sd_calendar_from_json (root, NULL, &error);
  if (calendar == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  else
    {
      g_autoptr(JsonNode) node = sd_calendar_to_json (calendar);
      g_autofree char *text = sd_json_to_string (node, FALSE);
      g_autoptr(SdCalendar) copy = sd_calendar_from_json (node, NULL, &error);
      g_autoptr(JsonNode) node2 = NULL;
      g_autofree char *text2 = NULL;
      gint64 t = 1767225600;
      gint64 due;

      g_assert_no_error (error);
      node2 = sd_calendar_to_json (copy);
      text2 = sd_json_to_string (node2, FALSE);
      g_assert_cmpstr (text, ==, text2);

      due = sd_calendar_add_working_seconds (calendar, t, 8 * 3600);
      if (due != SD_CALENDAR_NEVER)
        g_assert_cmpint (sd_calendar_working_seconds_between (calendar, t, due), ==, 8 * 3600);
      sd_calendar_next_working_instant (calendar, t);
    }
  return 0;
}
