/* sd-sla-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-sla-text.h"

char *
sd_format_duration (gint64 seconds)
{
  gint64 minutes = ABS (seconds) / 60;

  if (minutes < 1)
    return g_strdup (_("less than 1 min"));
  if (minutes < 60)
    /* Translators: a duration in minutes, e.g. "35 min" */
    return g_strdup_printf (_("%d min"), (int) minutes);
  if (minutes < 24 * 60)
    {
      if (minutes % 60 == 0)
        /* Translators: a duration in whole hours, e.g. "4 h" */
        return g_strdup_printf (_("%d h"), (int) (minutes / 60));
      /* Translators: a duration, e.g. "2 h 14 min" */
      return g_strdup_printf (_("%d h %d min"), (int) (minutes / 60), (int) (minutes % 60));
    }
  if ((minutes / 60) % 24 == 0)
    /* Translators: a duration in whole days, e.g. "3 d" */
    return g_strdup_printf (_("%d d"), (int) (minutes / (24 * 60)));
  /* Translators: a duration, e.g. "3 d 4 h" */
  return g_strdup_printf (_("%d d %d h"), (int) (minutes / (24 * 60)), (int) ((minutes / 60) % 24));
}

char *
sd_sla_clock_describe (const SdSlaClock  *clock,
                       gboolean           daily_report,
                       gint64             now,
                       const char       **icon_name,
                       const char       **css_class)
{
  g_autofree char *left = sd_format_duration (clock->remaining);
  g_autofree char *ago = NULL;
  const char *icon = "alarm-symbolic";
  const char *css = "sla-running";
  char *text = NULL;

  switch (clock->state)
    {
    case SD_SLA_RUNNING:
      text = daily_report
        /* Translators: the daily report of a severity-1 case is due in this time */
        ? g_strdup_printf (_("Daily report in %s"), left)
        /* Translators: the time left to respond, e.g. "2 h 14 min left" */
        : g_strdup_printf (_("%s left"), left);
      icon = daily_report ? "mail-send-symbolic" : "alarm-symbolic";
      break;
    case SD_SLA_AT_RISK:
      text = daily_report
        ? g_strdup_printf (_("Daily report due in %s"), left)
        /* Translators: the response is at risk; the time left */
        : g_strdup_printf (_("At risk · %s left"), left);
      icon = "dialog-warning-symbolic";
      css = "sla-at-risk";
      break;
    case SD_SLA_BREACHED:
      ago = sd_format_duration (now - clock->due);
      text = daily_report
        /* Translators: the daily report is overdue by this time */
        ? g_strdup_printf (_("Daily report overdue by %s"), ago)
        /* Translators: the response target was missed this long ago, e.g. "Breached 35 min ago" */
        : g_strdup_printf (_("Breached %s ago"), ago);
      icon = "task-past-due-symbolic";
      css = "sla-breached";
      break;
    case SD_SLA_PAUSED:
      /* Translators: the SLA clock is paused (waiting for the customer); the time it still has */
      text = g_strdup_printf (_("Paused · %s left"), left);
      icon = "media-playback-pause-symbolic";
      css = "sla-paused";
      break;
    case SD_SLA_MET:
      text = g_strdup (_("Response met"));
      icon = "emblem-ok-symbolic";
      css = "sla-met";
      break;
    case SD_SLA_MISSED:
    default:
      text = g_strdup (_("Response missed"));
      icon = "dialog-error-symbolic";
      css = "sla-missed";
      break;
    }
  if (icon_name != NULL)
    *icon_name = icon;
  if (css_class != NULL)
    *css_class = css;
  return text;
}

char *
sd_severity_pill_text (int severity)
{
  /* Translators: a severity pill, e.g. "S1 Critical" */
  return g_strdup_printf (_("S%d %s"), severity, sd_severity_get_label (severity));
}

GStrv
sd_severity_pill_texts (void)
{
  GStrv pills = g_new0 (char *, SD_SEVERITY_MAX - SD_SEVERITY_MIN + 2);

  for (int s = SD_SEVERITY_MIN; s <= SD_SEVERITY_MAX; s++)
    pills[s - SD_SEVERITY_MIN] = sd_severity_pill_text (s);
  return pills;
}

const char *
sd_case_type_icon_name (SdCaseType type)
{
  switch (type)
    {
    case SD_CASE_TYPE_INCIDENT: return "computer-fail-symbolic";
    case SD_CASE_TYPE_SIGNATURE_CHANGE: return "security-high-symbolic";
    case SD_CASE_TYPE_PRIVATE_PATCH: return "application-x-addon-symbolic";
    case SD_CASE_TYPE_DATABASE_RELEASE: return "software-update-urgent-symbolic";
    case SD_CASE_TYPE_SERVICE_REQUEST:
    default: return "help-browser-symbolic";
    }
}

char *
sd_format_date_time (gint64      unix_time,
                     const char *time_zone)
{
  /* Translators: a date and time in a case, see strftime(3) (%-d: the day without a leading zero); weekday and month names come from this file, e.g. "%Y年%-m月%-d日 %A %H:%M" */
  return sd_time_format (unix_time, time_zone, C_("date format", "%a %-d %b %Y, %H:%M"));
}

char *
sd_time_zone_name (const char *time_zone)
{
  /* The zones of the customers' countries that have a usual name. */
  static const struct { const char *id; const char *name; } names[] = {
    { "Asia/Shanghai", NC_("time zone", "Beijing time") },
    { "Asia/Hong_Kong", NC_("time zone", "Hong Kong time") },
    { "Asia/Taipei", NC_("time zone", "Taipei time") },
    { "Asia/Singapore", NC_("time zone", "Singapore time") },
    { "Asia/Tokyo", NC_("time zone", "Japan time") },
    { "Europe/Berlin", NC_("time zone", "Berlin time") },
    { "Europe/London", NC_("time zone", "London time") },
    { "UTC", NC_("time zone", "UTC") },
  };
  const char *city;
  g_autofree char *spaced = NULL;

  g_return_val_if_fail (time_zone != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (time_zone, names[i].id))
      return g_strdup (g_dpgettext2 (GETTEXT_PACKAGE, "time zone", names[i].name));
  city = strrchr (time_zone, '/') ? strrchr (time_zone, '/') + 1 : time_zone;
  spaced = g_strdelimit (g_strdup (city), "_", ' ');
  /* Translators: a time zone by its city, e.g. "Vienna time" */
  return g_strdup_printf (_("%s time"), spaced);
}

char *
sd_format_customer_time (gint64      unix_time,
                         const char *customer_time_zone)
{
  g_autoptr(GTimeZone) there = NULL;
  g_autoptr(GTimeZone) here = g_time_zone_new_local ();
  g_autofree char *text = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *mine = NULL;
  int interval_there, interval_here;

  if (customer_time_zone == NULL || unix_time == SD_TIME_NONE
      || (there = g_time_zone_new_identifier (customer_time_zone)) == NULL)
    return sd_format_date_time (unix_time, NULL);
  text = sd_format_date_time (unix_time, customer_time_zone);
  zone = sd_time_zone_name (customer_time_zone);
  interval_there = g_time_zone_find_interval (there, G_TIME_TYPE_UNIVERSAL, unix_time);
  interval_here = g_time_zone_find_interval (here, G_TIME_TYPE_UNIVERSAL, unix_time);
  if (g_time_zone_get_offset (there, interval_there) == g_time_zone_get_offset (here, interval_here))
    /* Translators: a time and the customer's zone, e.g. "Sat 5 Dec 2026, 10:00 Beijing time" */
    return g_strdup_printf (_("%s %s"), text, zone);
  mine = sd_format_date_time (unix_time, NULL);
  /* Translators: a time in the customer's zone, the zone, then the same time in the user's zone */
  return g_strdup_printf (_("%s %s · %s your time"), text, zone, mine);
}

char *
sd_sla_clock_provisional_note (const SdSlaClock *clock)
{
  g_return_val_if_fail (clock != NULL, NULL);

  if (clock->provisional_year == 0)
    return NULL;
  return sd_calendar_describe_provisional_year (clock->provisional_year);
}
