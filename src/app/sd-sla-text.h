/* sd-sla-text.h — SLA clocks, severities and case types in words and
 * icons, the same on cards, in the case view and in notifications
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <supportdesk.h>

G_BEGIN_DECLS

/* "2 h 14 min", "3 d 4 h", "less than 1 min". */
char       *sd_format_duration      (gint64            seconds);
/* The chip of a clock at @now: text ("2 h 14 min left", "At risk · 25 min
 * left", "Breached 35 min ago", "Paused", "Met"), an icon name and a CSS
 * class (sla-running, sla-at-risk, sla-breached, sla-paused, sla-met,
 * sla-missed). @daily_report words it as the daily-report obligation. */
char       *sd_sla_clock_describe   (const SdSlaClock *clock,
                                     gboolean          daily_report,
                                     gint64            now,
                                     const char      **icon_name,
                                     const char      **css_class);
/* "2027 holiday schedule not yet published; statutory holidays assumed"
 * when the clock rests on a provisional calendar year, else NULL. */
char       *sd_sla_clock_provisional_note (const SdSlaClock *clock);
/* "S1 Critical". */
char       *sd_severity_pill_text   (int               severity);
/* The four pills, S1 first (for a combo row's GtkStringList). */
GStrv       sd_severity_pill_texts  (void);
const char *sd_case_type_icon_name  (SdCaseType        type);
/* @unix in @time_zone (NULL: local) as a locale date and time. */
char       *sd_format_date_time     (gint64            unix_time,
                                     const char       *time_zone);
/* A readable name of the IANA zone @time_zone: "Beijing time" (北京时间)
 * for Asia/Shanghai, "Berlin time" for Europe/Berlin. */
char       *sd_time_zone_name       (const char       *time_zone);
/* The one rule for times on screen (docs/time-zones.md): @unix in the
 * customer's zone, named ("Sat 5 Dec 2026, 11:00 Beijing time"), and the
 * user's own time beside it when the user's clock reads differently
 * ("· 04:00 your time"). Without a customer zone: the user's time. */
char       *sd_format_customer_time (gint64            unix_time,
                                     const char       *customer_time_zone);

G_END_DECLS
