/* sd-calendar-builder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-calendar-builder.h"
#include "sd-calendar-private.h"
#include "sd-error.h"

struct _SdCalendarBuilder
{
  GObject        parent_instance;

  SdCalendarDef *def;  /* owned */
};

G_DEFINE_FINAL_TYPE (SdCalendarBuilder, sd_calendar_builder, G_TYPE_OBJECT)

static const char * const day_names[7][2] = {
  { "mon", "monday" }, { "tue", "tuesday" }, { "wed", "wednesday" },
  { "thu", "thursday" }, { "fri", "friday" }, { "sat", "saturday" },
  { "sun", "sunday" },
};

static int
parse_day_name (const char *text)
{
  for (int d = 0; d < 7; d++)
    if (g_ascii_strcasecmp (text, day_names[d][0]) == 0
        || g_ascii_strcasecmp (text, day_names[d][1]) == 0)
      return d;
  return -1;
}

static gboolean
unknown_day (const char  *spec,
             const char  *day,
             GError     **error)
{
  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
               _("Hours “%s”: unknown day “%s” (use mon, tue, wed, thu, fri, sat, sun)"),
               spec, day);
  return FALSE;
}

/* Parses the day list of one group ("mon-fri", "mon,wed") into @days. */
static gboolean
parse_days (const char  *spec,
            const char  *text,
            gboolean     days[7],
            GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      char *dash = strchr (item, '-');
      int first, last;

      if (*item == '\0')
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Hours “%s”: empty day in “%s”"), spec, text);
          return FALSE;
        }
      if (dash != NULL)
        {
          *dash = '\0';
          first = parse_day_name (g_strstrip (item));
          if (first < 0)
            return unknown_day (spec, item, error);
          last = parse_day_name (g_strstrip (dash + 1));
          if (last < 0)
            return unknown_day (spec, dash + 1, error);
          if (last < first)
            {
              g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                           _("Hours “%s”: the day range %s-%s runs backwards"),
                           spec, day_names[first][0], day_names[last][0]);
              return FALSE;
            }
        }
      else
        {
          first = last = parse_day_name (item);
          if (first < 0)
            return unknown_day (spec, item, error);
        }
      for (int d = first; d <= last; d++)
        days[d] = TRUE;
    }
  return TRUE;
}

static gboolean
parse_group (const char  *spec,
             char        *group,
             GArray      *week[7],
             GError     **error)
{
  gboolean days[7] = { FALSE, };
  g_auto(GStrv) ranges = NULL;
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));
  g_autofree char *day_list = NULL;
  char *times = group;

  while (*times != '\0' && !g_ascii_isdigit (*times))
    times++;
  if (*times == '\0')
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Hours “%s”: “%s” gives no hours (e.g. mon-fri 09:00-18:00)"),
                   spec, group);
      return FALSE;
    }
  if (times == group)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Hours “%s”: “%s” names no days (e.g. mon-fri 09:00-18:00)"),
                   spec, group);
      return FALSE;
    }

  ranges = g_strsplit (times, ",", -1);
  day_list = g_strndup (group, times - group);
  if (!parse_days (spec, day_list, days, error))
    return FALSE;

  for (guint i = 0; ranges[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      SdWorkInterval interval;

      if (!_sd_work_intervals_parse_one (ranges[i], &interval, &local_error))
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Hours “%s”: %s"), spec, local_error->message);
          return FALSE;
        }
      g_array_append_val (intervals, interval);
    }

  for (int d = 0; d < 7; d++)
    if (days[d])
      g_array_append_vals (week[d], intervals->data, intervals->len);
  return TRUE;
}

static void
sd_calendar_builder_finalize (GObject *object)
{
  SdCalendarBuilder *self = (SdCalendarBuilder *) object;

  g_clear_pointer (&self->def, _sd_calendar_def_free);

  G_OBJECT_CLASS (sd_calendar_builder_parent_class)->finalize (object);
}

static void
sd_calendar_builder_class_init (SdCalendarBuilderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_calendar_builder_finalize;
}

static void
sd_calendar_builder_init (SdCalendarBuilder *self)
{
}

SdCalendarBuilder *
sd_calendar_builder_new (const char  *id,
                         const char  *time_zone,
                         GError     **error)
{
  g_autoptr(SdCalendarDef) def = _sd_calendar_def_new ();
  SdCalendarBuilder *self;

  g_return_val_if_fail (id != NULL, NULL);

  if (!_sd_calendar_def_set_time_zone (def, time_zone, error))
    return NULL;
  def->id = g_strdup (id);

  self = g_object_new (SD_TYPE_CALENDAR_BUILDER, NULL);
  self->def = g_steal_pointer (&def);
  return self;
}

SdCalendarBuilder *
sd_calendar_builder_new_from_calendar (SdCalendar *calendar)
{
  SdCalendarBuilder *self;

  g_return_val_if_fail (SD_IS_CALENDAR (calendar), NULL);

  self = g_object_new (SD_TYPE_CALENDAR_BUILDER, NULL);
  self->def = _sd_calendar_def_copy (_sd_calendar_get_def (calendar));
  return self;
}

void
sd_calendar_builder_set_id (SdCalendarBuilder *self,
                            const char        *id)
{
  g_return_if_fail (SD_IS_CALENDAR_BUILDER (self));
  g_return_if_fail (id != NULL);

  g_free (self->def->id);
  self->def->id = g_strdup (id);
}

void
sd_calendar_builder_set_name (SdCalendarBuilder *self,
                              const char        *name)
{
  g_return_if_fail (SD_IS_CALENDAR_BUILDER (self));

  g_free (self->def->name);
  self->def->name = g_strdup (name);
}

gboolean
sd_calendar_builder_set_time_zone (SdCalendarBuilder  *self,
                                   const char         *time_zone,
                                   GError            **error)
{
  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (self), FALSE);

  return _sd_calendar_def_set_time_zone (self->def, time_zone, error);
}

gboolean
sd_calendar_builder_set_weekday_hours (SdCalendarBuilder     *self,
                                       GDateWeekday           weekday,
                                       const SdWorkInterval  *intervals,
                                       guint                  n_intervals,
                                       GError               **error)
{
  g_autoptr(GArray) hours = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));

  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (self), FALSE);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, FALSE);

  for (guint i = 0; i < n_intervals; i++)
    {
      if (intervals[i].end <= intervals[i].start || intervals[i].end > 1440)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("%s: invalid interval %u–%u"), day_names[weekday - 1][0],
                       intervals[i].start, intervals[i].end);
          return FALSE;
        }
      g_array_append_val (hours, intervals[i]);
    }
  if (!_sd_work_intervals_normalize (hours, day_names[weekday - 1][0], error))
    return FALSE;

  g_array_unref (self->def->week[weekday - 1]);
  self->def->week[weekday - 1] = g_steal_pointer (&hours);
  return TRUE;
}

gboolean
sd_calendar_builder_set_hours_spec (SdCalendarBuilder  *self,
                                    const char         *spec,
                                    GError            **error)
{
  g_auto(GStrv) groups = NULL;
  GArray *week[7];
  gboolean ok = TRUE;
  guint n_groups = 0;

  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  for (guint d = 0; d < 7; d++)
    week[d] = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));

  groups = g_strsplit (spec, ";", -1);
  for (guint i = 0; ok && groups[i] != NULL; i++)
    {
      char *group = g_strstrip (groups[i]);

      if (*group == '\0')
        continue;
      n_groups++;
      ok = parse_group (spec, group, week, error);
    }

  if (ok && n_groups == 0)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Hours “%s”: no working hours given (e.g. mon-fri 09:00-18:00)"), spec);
      ok = FALSE;
    }

  for (guint d = 0; ok && d < 7; d++)
    {
      g_autofree char *what = g_strdup_printf (_("Hours “%s”, %s"), spec, day_names[d][0]);

      ok = _sd_work_intervals_normalize (week[d], what, error);
    }

  for (guint d = 0; d < 7; d++)
    {
      if (ok)
        {
          g_array_unref (self->def->week[d]);
          self->def->week[d] = week[d];
        }
      else
        g_array_unref (week[d]);
    }
  return ok;
}

void
sd_calendar_builder_add_day_off (SdCalendarBuilder *self,
                                 guint32            julian,
                                 const char        *name)
{
  SdCalendarException exc = { 0, };

  g_return_if_fail (SD_IS_CALENDAR_BUILDER (self));
  g_return_if_fail (g_date_valid_julian (julian));

  exc.julian = julian;
  exc.working = FALSE;
  exc.name = g_strdup (name);
  _sd_calendar_def_put_exception (self->def, &exc);
}

gboolean
sd_calendar_builder_add_working_day (SdCalendarBuilder     *self,
                                     guint32                julian,
                                     const char            *name,
                                     const SdWorkInterval  *intervals,
                                     guint                  n_intervals,
                                     GError               **error)
{
  g_autoptr(GArray) hours = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));
  SdCalendarException exc = { 0, };

  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (self), FALSE);
  g_return_val_if_fail (g_date_valid_julian (julian), FALSE);

  for (guint i = 0; i < n_intervals; i++)
    {
      if (intervals[i].end <= intervals[i].start || intervals[i].end > 1440)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Invalid working interval %u–%u"),
                       intervals[i].start, intervals[i].end);
          return FALSE;
        }
      g_array_append_val (hours, intervals[i]);
    }
  if (!_sd_work_intervals_normalize (hours, _("Working day"), error))
    return FALSE;

  exc.julian = julian;
  exc.working = TRUE;
  exc.name = g_strdup (name);
  exc.n_intervals = hours->len;
  exc.intervals = (SdWorkInterval *) g_array_free (g_steal_pointer (&hours), FALSE);
  _sd_calendar_def_put_exception (self->def, &exc);
  return TRUE;
}

gboolean
sd_calendar_builder_set_rules (SdCalendarBuilder  *self,
                               const char         *rules,
                               GError            **error)
{
  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (self), FALSE);

  if (rules != NULL && !_sd_calendar_rules_known (rules))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("No holiday rules for “%s”"), rules);
      return FALSE;
    }
  g_free (self->def->rules);
  self->def->rules = g_strdup (rules);
  return TRUE;
}

void
sd_calendar_builder_add_official_year (SdCalendarBuilder *self,
                                       int                year)
{
  g_return_if_fail (SD_IS_CALENDAR_BUILDER (self));
  g_return_if_fail (year >= 1900 && year <= 2399);

  _sd_calendar_def_add_official_year (self->def, year);
}

void
sd_calendar_builder_clear_year (SdCalendarBuilder *self,
                                int                year)
{
  GArray *exceptions;

  g_return_if_fail (SD_IS_CALENDAR_BUILDER (self));

  exceptions = self->def->exceptions;
  for (guint i = exceptions->len; i > 0; i--)
    if (_sd_julian_get_year (g_array_index (exceptions, SdCalendarException, i - 1).julian) == year)
      g_array_remove_index (exceptions, i - 1);
}

void
sd_calendar_builder_clear_exceptions (SdCalendarBuilder *self)
{
  g_return_if_fail (SD_IS_CALENDAR_BUILDER (self));

  g_array_set_size (self->def->exceptions, 0);
}

guint
sd_calendar_builder_get_n_exceptions (SdCalendarBuilder *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (self), 0);

  return self->def->exceptions->len;
}

SdCalendar *
sd_calendar_builder_build (SdCalendarBuilder *self)
{
  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (self), NULL);

  return _sd_calendar_new_take_def (_sd_calendar_def_copy (self->def));
}
