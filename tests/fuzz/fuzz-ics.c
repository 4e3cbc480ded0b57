/* fuzz-ics.c — libFuzzer target: the iCalendar holiday importer
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
  g_autoptr(SdCalendarBuilder) builder = sd_calendar_builder_new ("fuzz", "Asia/Shanghai", NULL);
  g_autoptr(GError) error = NULL;

  if (size > 256 * 1024)
    return 0;
  if (sd_calendar_builder_import_ics (builder, (const char *) data, size, NULL, &error))
    {
      g_autoptr(SdCalendar) calendar = sd_calendar_builder_build (builder);

      g_assert_no_error (error);
      sd_calendar_add_working_seconds (calendar, 1767225600, 8 * 3600);
    }
  else
    g_assert_nonnull (error);
  return 0;
}
