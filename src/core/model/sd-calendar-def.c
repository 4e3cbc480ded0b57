/* sd-calendar-def.c — the definition of a calendar: weekly hours, dated
 * exceptions and the time zone, as SdCalendarBuilder and the JSON codec
 * fill it in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-calendar-private.h"
#include "sd-error.h"

/* Definition */

void
_sd_calendar_exception_clear (gpointer data)
{
  SdCalendarException *exc = data;

  g_clear_pointer (&exc->name, g_free);
  g_clear_pointer (&exc->intervals, g_free);
  exc->n_intervals = 0;
}

SdCalendarDef *
_sd_calendar_def_new (void)
{
  SdCalendarDef *def = g_new0 (SdCalendarDef, 1);

  for (guint i = 0; i < 7; i++)
    def->week[i] = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));
  def->exceptions = g_array_new (FALSE, FALSE, sizeof (SdCalendarException));
  g_array_set_clear_func (def->exceptions, _sd_calendar_exception_clear);
  def->official_years = g_array_new (FALSE, FALSE, sizeof (guint16));
  return def;
}

SdCalendarDef *
_sd_calendar_def_copy (const SdCalendarDef *def)
{
  SdCalendarDef *copy = _sd_calendar_def_new ();

  copy->id = g_strdup (def->id);
  copy->name = g_strdup (def->name);
  copy->zone_id = g_strdup (def->zone_id);
  copy->tz = def->tz ? g_time_zone_ref (def->tz) : NULL;
  for (guint i = 0; i < 7; i++)
    g_array_append_vals (copy->week[i], def->week[i]->data, def->week[i]->len);
  for (guint i = 0; i < def->exceptions->len; i++)
    {
      const SdCalendarException *src = &g_array_index (def->exceptions, SdCalendarException, i);
      SdCalendarException exc = *src;

      exc.name = g_strdup (src->name);
      exc.intervals = g_memdup2 (src->intervals, src->n_intervals * sizeof (SdWorkInterval));
      g_array_append_val (copy->exceptions, exc);
    }
  copy->rules = g_strdup (def->rules);
  g_array_append_vals (copy->official_years, def->official_years->data, def->official_years->len);
  copy->builtin_version = def->builtin_version;
  return copy;
}

void
_sd_calendar_def_free (SdCalendarDef *def)
{
  if (def == NULL)
    return;
  g_free (def->id);
  g_free (def->name);
  g_free (def->zone_id);
  g_clear_pointer (&def->tz, g_time_zone_unref);
  for (guint i = 0; i < 7; i++)
    g_array_unref (def->week[i]);
  g_array_unref (def->exceptions);
  g_free (def->rules);
  g_array_unref (def->official_years);
  g_free (def);
}

gboolean
_sd_calendar_def_has_official_year (const SdCalendarDef *def,
                                    int                  year)
{
  for (guint i = 0; i < def->official_years->len; i++)
    if (g_array_index (def->official_years, guint16, i) == year)
      return TRUE;
  return FALSE;
}

void
_sd_calendar_def_add_official_year (SdCalendarDef *def,
                                    int            year)
{
  guint i = 0;
  guint16 y = (guint16) year;

  g_return_if_fail (year >= 1 && year <= 9999);

  while (i < def->official_years->len && g_array_index (def->official_years, guint16, i) < y)
    i++;
  if (i < def->official_years->len && g_array_index (def->official_years, guint16, i) == y)
    return;
  g_array_insert_val (def->official_years, i, y);
}

/* Index of the first exception with julian ≥ @julian. */
static guint
def_exception_lower_bound (const SdCalendarDef *def,
                           guint32              julian)
{
  guint lo = 0, hi = def->exceptions->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (def->exceptions, SdCalendarException, mid).julian < julian)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

const SdCalendarException *
_sd_calendar_def_find_exception (const SdCalendarDef *def,
                                 guint32              julian)
{
  guint i = def_exception_lower_bound (def, julian);

  if (i < def->exceptions->len
      && g_array_index (def->exceptions, SdCalendarException, i).julian == julian)
    return &g_array_index (def->exceptions, SdCalendarException, i);
  return NULL;
}

void
_sd_calendar_def_put_exception (SdCalendarDef       *def,
                                SdCalendarException *exc)
{
  guint i = def_exception_lower_bound (def, exc->julian);

  if (i < def->exceptions->len
      && g_array_index (def->exceptions, SdCalendarException, i).julian == exc->julian)
    {
      SdCalendarException *old = &g_array_index (def->exceptions, SdCalendarException, i);

      _sd_calendar_exception_clear (old);
      *old = *exc;
    }
  else
    g_array_insert_val (def->exceptions, i, *exc);
}

/* Working intervals */

static gboolean
parse_hhmm (const char **p,
            gboolean     allow_24,
            guint       *minutes)
{
  const char *s = *p;
  guint h = 0, m;
  int digits = 0;

  while (g_ascii_isdigit (*s) && digits < 2)
    {
      h = h * 10 + (*s - '0');
      s++;
      digits++;
    }
  if (digits == 0 || *s != ':')
    return FALSE;
  s++;
  if (!g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]))
    return FALSE;
  m = (s[0] - '0') * 10 + (s[1] - '0');
  s += 2;
  if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
    return FALSE;
  *minutes = h * 60 + m;
  *p = s;
  return TRUE;
}

gboolean
_sd_work_intervals_parse_one (const char      *text,
                              SdWorkInterval  *out,
                              GError         **error)
{
  const char *p = text;
  guint start, end;

  while (g_ascii_isspace (*p))
    p++;
  if (!parse_hhmm (&p, FALSE, &start))
    goto bad;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '-')
    goto bad;
  p++;
  while (g_ascii_isspace (*p))
    p++;
  if (!parse_hhmm (&p, TRUE, &end))
    goto bad;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    goto bad;
  if (end <= start)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("“%s” ends before it starts"), text);
      return FALSE;
    }
  out->start = start;
  out->end = end;
  return TRUE;

bad:
  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
               _("“%s” is not a time range such as 09:00-18:00"), text);
  return FALSE;
}

char *
_sd_work_interval_format (const SdWorkInterval *interval)
{
  return g_strdup_printf ("%02u:%02u-%02u:%02u",
                          interval->start / 60u, interval->start % 60u,
                          interval->end / 60u, interval->end % 60u);
}

static int
compare_intervals (gconstpointer a,
                   gconstpointer b)
{
  const SdWorkInterval *ia = a, *ib = b;

  return (int) ia->start - (int) ib->start;
}

gboolean
_sd_work_intervals_normalize (GArray      *intervals,
                              const char  *what,
                              GError     **error)
{
  guint out = 0;

  g_array_sort (intervals, compare_intervals);
  for (guint i = 0; i < intervals->len; i++)
    {
      SdWorkInterval cur = g_array_index (intervals, SdWorkInterval, i);

      if (out > 0)
        {
          SdWorkInterval *prev = &g_array_index (intervals, SdWorkInterval, out - 1);

          if (cur.start < prev->end)
            {
              g_autofree char *a = _sd_work_interval_format (prev);
              g_autofree char *b = _sd_work_interval_format (&cur);

              g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                           _("%s: %s and %s overlap"), what, a, b);
              return FALSE;
            }
          if (cur.start == prev->end)
            {
              prev->end = cur.end;
              continue;
            }
        }
      g_array_index (intervals, SdWorkInterval, out++) = cur;
    }
  g_array_set_size (intervals, out);
  return TRUE;
}

/* Time zones */

/* A GTimeZone for an IANA identifier; offsets and file paths are refused. */
static GTimeZone *
time_zone_new (const char  *zone,
               GError     **error)
{
  GTimeZone *tz = NULL;
  gboolean plausible = zone != NULL && *zone != '\0' && strlen (zone) < 64;

  for (const char *p = zone; plausible && *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '/' || *p == '_' || *p == '-' || *p == '+')
        || (p == zone && (*p == '/' || *p == '+' || *p == '-' || g_ascii_isdigit (*p))))
      plausible = FALSE;
  if (plausible && strstr (zone, "..") == NULL)
    tz = g_time_zone_new_identifier (zone);

  if (tz == NULL)
    g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                 _("Unknown time zone “%s” (expected an IANA name such as Asia/Shanghai)"),
                 zone ? zone : "");
  return tz;
}

gboolean
_sd_calendar_def_set_time_zone (SdCalendarDef  *def,
                                const char     *zone,
                                GError        **error)
{
  GTimeZone *tz = time_zone_new (zone, error);

  if (tz == NULL)
    return FALSE;
  g_clear_pointer (&def->tz, g_time_zone_unref);
  def->tz = tz;
  g_free (def->zone_id);
  def->zone_id = g_strdup (zone);
  return TRUE;
}
