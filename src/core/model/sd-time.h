/* sd-time.h — instants on the wire and on the command line
 *
 * The domain stores instants as Unix seconds (gint64, UTC). SD_TIME_NONE
 * marks "not set" (e.g. a case that has not been responded to).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_TIME_NONE G_MININT64

/* Parses an RFC 3339 / ISO 8601 date-time that carries an offset or "Z"
 * ("2026-02-14T14:00:00+08:00"); the seconds may be left out
 * ("2027-01-01T10:00+08:00"). A string without an offset is read in
 * @default_tz when that is non-NULL and refused otherwise. */
gboolean  sd_time_parse_iso8601  (const char  *text,
                                  GTimeZone   *default_tz,
                                  gint64      *out_unix,
                                  GError     **error);

/* Formats @unix as "YYYY-MM-DDTHH:MM:SS+HH:MM" in @tz ("Z" for UTC when
 * @tz is NULL). */
char     *sd_time_format_iso8601 (gint64       unix_time,
                                  GTimeZone   *tz);

/* Parses a calendar date "YYYY-MM-DD" into a Julian day number
 * (g_date_get_julian), refusing impossible dates such as 2026-02-30. */
gboolean  sd_date_parse          (const char  *text,
                                  guint32     *out_julian,
                                  GError     **error);
char     *sd_date_format         (guint32      julian);

/* Formats @date_time for people, in the language of the user interface:
 * like g_date_time_format(), but the names of weekdays and months (%a %A
 * %b %B) come from the translations, not from the C library's locale, so
 * that a Chinese interface reads "2026年12月5日 星期六" whatever locale the
 * process runs in. Callers pass a translatable format with a
 * "date format" context, e.g. C_("date format", "%a %-d %b %Y, %H:%M"). */
char     *sd_date_time_format    (GDateTime   *date_time,
                                  const char  *format);
/* The same for @unix_time in the IANA zone @time_zone (the local zone
 * when NULL; UTC when it is unknown); "—" for a time that cannot be
 * shown. */
char     *sd_time_format         (gint64       unix_time,
                                  const char  *time_zone,
                                  const char  *format);

G_END_DECLS
