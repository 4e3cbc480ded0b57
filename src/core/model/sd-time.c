/* sd-time.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sd-error.h"
#include "sd-time.h"

/* "2027-01-01T10:00+08:00" is valid ISO 8601 (reduced precision), which
 * g_date_time_new_from_iso8601() refuses: the same text with ":00" seconds
 * after the minutes, or NULL when @text is not of that form. */
static char *
with_seconds (const char *text)
{
  const char *t = strchr (text, 'T');

  if (t == NULL)
    t = strchr (text, 't');
  if (t == NULL || t - text < 8
      || !g_ascii_isdigit (t[1]) || !g_ascii_isdigit (t[2]) || t[3] != ':'
      || !g_ascii_isdigit (t[4]) || !g_ascii_isdigit (t[5])
      || t[6] == ':' || t[6] == '.' || g_ascii_isdigit (t[6]))
    return NULL;
  return g_strdup_printf ("%.*s:00%s", (int) (t + 6 - text), text, t + 6);
}

static GDateTime *
date_time_from_iso8601 (const char *text,
                        GTimeZone  *default_tz)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (text, default_tz);
  g_autofree char *full = NULL;

  if (dt == NULL && (full = with_seconds (text)) != NULL)
    dt = g_date_time_new_from_iso8601 (full, default_tz);
  return dt;
}

gboolean
sd_time_parse_iso8601 (const char  *text,
                       GTimeZone   *default_tz,
                       gint64      *out_unix,
                       GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  g_return_val_if_fail (out_unix != NULL, FALSE);

  if (text == NULL || *text == '\0')
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Empty date and time"));
      return FALSE;
    }

  if (default_tz == NULL)
    {
      /* With a UTC default, a missing offset would be accepted silently:
       * parse twice with different defaults to detect it. */
      g_autoptr(GTimeZone) plus1 = g_time_zone_new_offset (3600);
      g_autoptr(GDateTime) a = NULL;
      g_autoptr(GDateTime) b = NULL;

      utc = g_time_zone_new_utc ();
      a = date_time_from_iso8601 (text, utc);
      b = date_time_from_iso8601 (text, plus1);
      if (a != NULL && b != NULL && g_date_time_to_unix (a) != g_date_time_to_unix (b))
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("“%s” has no time zone offset (add Z or +08:00)"), text);
          return FALSE;
        }
      dt = g_steal_pointer (&a);
    }
  else
    dt = date_time_from_iso8601 (text, default_tz);

  if (dt == NULL)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("“%s” is not a valid ISO 8601 date and time"), text);
      return FALSE;
    }

  {
    /* Refuse an instant that is valid in its own offset but falls outside
     * years 1–9999 in UTC, where it could not be written back. */
    g_autoptr(GDateTime) check = g_date_time_new_from_unix_utc (g_date_time_to_unix (dt));

    if (check == NULL)
      {
        g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                     _("“%s” is out of range"), text);
        return FALSE;
      }
  }

  *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

char *
sd_time_format_iso8601 (gint64     unix_time,
                        GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *base = NULL;
  gint64 offset;

  if (utc == NULL)
    return g_strdup ("invalid");

  if (tz == NULL)
    local = g_date_time_ref (utc);
  else
    local = g_date_time_to_timezone (utc, tz);
  if (local == NULL)
    return g_strdup ("invalid");

  /* Four-digit years even before 1000, so that the text parses back. */
  base = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d",
                          g_date_time_get_year (local),
                          g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local),
                          g_date_time_get_hour (local),
                          g_date_time_get_minute (local),
                          g_date_time_get_second (local));
  if (tz == NULL)
    return g_strconcat (base, "Z", NULL);
  offset = g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND;
  return g_strdup_printf ("%s%c%02d:%02d", base, offset < 0 ? '-' : '+',
                          (int) (ABS (offset) / 3600), (int) (ABS (offset) % 3600 / 60));
}

static gboolean
all_digits (const char *text,
            guint       n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
sd_date_parse (const char  *text,
               guint32     *out_julian,
               GError     **error)
{
  guint y, m, d;
  char tail;

  if (text == NULL
      || strlen (text) != 10
      || !all_digits (text, 4) || !all_digits (text + 5, 2) || !all_digits (text + 8, 2)
      || sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3
      || text[4] != '-' || text[7] != '-'
      || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("“%s” is not a valid date (expected YYYY-MM-DD)"),
                   text ? text : "");
      return FALSE;
    }

  {
    GDate date;

    g_date_clear (&date, 1);
    g_date_set_dmy (&date, d, m, y);
    *out_julian = g_date_get_julian (&date);
  }
  return TRUE;
}

char *
sd_date_format (guint32 julian)
{
  GDate date;

  if (!g_date_valid_julian (julian))
    return g_strdup ("invalid");
  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date),
                          g_date_get_month (&date), g_date_get_day (&date));
}

static const char * const weekdays[] = {
  NC_("weekday", "Monday"), NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"), NC_("weekday", "Thursday"),
  NC_("weekday", "Friday"), NC_("weekday", "Saturday"), NC_("weekday", "Sunday"),
};
static const char * const weekdays_short[] = {
  NC_("weekday abbreviation", "Mon"), NC_("weekday abbreviation", "Tue"), NC_("weekday abbreviation", "Wed"), NC_("weekday abbreviation", "Thu"),
  NC_("weekday abbreviation", "Fri"), NC_("weekday abbreviation", "Sat"), NC_("weekday abbreviation", "Sun"),
};
static const char * const months[] = {
  NC_("month", "January"), NC_("month", "February"), NC_("month", "March"), NC_("month", "April"),
  NC_("month", "May"), NC_("month", "June"), NC_("month", "July"), NC_("month", "August"),
  NC_("month", "September"), NC_("month", "October"), NC_("month", "November"), NC_("month", "December"),
};
static const char * const months_short[] = {
  NC_("month abbreviation", "Jan"), NC_("month abbreviation", "Feb"), NC_("month abbreviation", "Mar"), NC_("month abbreviation", "Apr"),
  NC_("month abbreviation", "May"), NC_("month abbreviation", "Jun"), NC_("month abbreviation", "Jul"), NC_("month abbreviation", "Aug"),
  NC_("month abbreviation", "Sep"), NC_("month abbreviation", "Oct"), NC_("month abbreviation", "Nov"), NC_("month abbreviation", "Dec"),
};

char *
sd_date_time_format (GDateTime  *date_time,
                     const char *format)
{
  g_autoptr(GString) expanded = g_string_new (NULL);

  g_return_val_if_fail (date_time != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  /* The names go in as text (with any '%' doubled); the rest is
   * g_date_time_format()'s. */
  for (const char *p = format; *p != '\0'; p++)
    {
      const char *name = NULL;
      int weekday = g_date_time_get_day_of_week (date_time) - 1;
      int month = g_date_time_get_month (date_time) - 1;

      if (p[0] == '%' && p[1] != '\0')
        {
          switch (p[1])
            {
            case 'A': name = g_dpgettext2 (GETTEXT_PACKAGE, "weekday", weekdays[weekday]); break;
            case 'a': name = g_dpgettext2 (GETTEXT_PACKAGE, "weekday abbreviation", weekdays_short[weekday]); break;
            case 'B': name = g_dpgettext2 (GETTEXT_PACKAGE, "month", months[month]); break;
            case 'b': name = g_dpgettext2 (GETTEXT_PACKAGE, "month abbreviation", months_short[month]); break;
            default: break;
            }
          if (name == NULL)
            {
              g_string_append_len (expanded, p, 2);
              p++;
              continue;
            }
          for (const char *c = name; *c != '\0'; c++)
            {
              if (*c == '%')
                g_string_append_c (expanded, '%');
              g_string_append_c (expanded, *c);
            }
          p++;
          continue;
        }
      g_string_append_c (expanded, *p);
    }
  return g_date_time_format (date_time, expanded->str);
}

char *
sd_time_format (gint64      unix_time,
                const char *time_zone,
                const char *format)
{
  g_autoptr(GDateTime) utc = unix_time != SD_TIME_NONE ? g_date_time_new_from_unix_utc (unix_time) : NULL;
  g_autoptr(GTimeZone) tz = time_zone ? g_time_zone_new_identifier (time_zone) : g_time_zone_new_local ();
  g_autoptr(GDateTime) there = NULL;

  if (utc == NULL)
    return g_strdup ("—");
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  there = g_date_time_to_timezone (utc, tz);
  return sd_date_time_format (there, format);
}
