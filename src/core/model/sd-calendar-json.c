/* sd-calendar-json.c — the JSON codec of SdCalendar and the built-in
 * calendars read from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-calendar-private.h"
#include "sd-json.h"

#define CN_MAINLAND_RESOURCE "/org/example/SupportDesk/calendars/cn-mainland.json"

/* NULL-terminated so that it is also the list of known "week" members. */
static const char * const weekday_keys[8] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL };

static const char * const cn_mainland_zones[] = {
  "Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC", NULL
};

/* JSON */

JsonNode *
sd_calendar_to_json (SdCalendar *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const SdCalendarDef *def;

  g_return_val_if_fail (SD_IS_CALENDAR (self), NULL);
  def = _sd_calendar_get_def (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, def->id);
  sd_json_builder_add_string_or_null (builder, "name", def->name);
  json_builder_set_member_name (builder, "time_zone");
  json_builder_add_string_value (builder, def->zone_id);

  json_builder_set_member_name (builder, "week");
  json_builder_begin_object (builder);
  for (guint d = 0; d < 7; d++)
    {
      json_builder_set_member_name (builder, weekday_keys[d]);
      json_builder_begin_array (builder);
      for (guint i = 0; i < def->week[d]->len; i++)
        {
          g_autofree char *text =
            _sd_work_interval_format (&g_array_index (def->week[d], SdWorkInterval, i));
          json_builder_add_string_value (builder, text);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "exceptions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < def->exceptions->len; i++)
    {
      const SdCalendarException *exc = &g_array_index (def->exceptions, SdCalendarException, i);

      json_builder_begin_object (builder);
      sd_json_builder_add_date (builder, "date", exc->julian);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, exc->working ? "working_day" : "day_off");
      if (exc->name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, exc->name);
        }
      if (exc->working && exc->n_intervals > 0)
        {
          json_builder_set_member_name (builder, "hours");
          json_builder_begin_array (builder);
          for (guint k = 0; k < exc->n_intervals; k++)
            {
              g_autofree char *text = _sd_work_interval_format (&exc->intervals[k]);
              json_builder_add_string_value (builder, text);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Reads an array of "HH:MM-HH:MM" strings at @path into @out. */
static gboolean
read_hours (JsonArray   *array,
            const char  *path,
            GArray      *out,
            GError     **error)
{
  guint n = json_array_get_length (array);

  if (n > 48)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: too many intervals (%u, at most 48)"), path, n);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *item_path = sd_json_path_index (path, i);
      g_autoptr(GError) local_error = NULL;
      SdWorkInterval interval;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE,
                       _("Field “%s”: expected a string such as “09:00-18:00”"), item_path);
          return FALSE;
        }
      if (!_sd_work_intervals_parse_one (json_node_get_string (node), &interval, &local_error))
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: %s"), item_path, local_error->message);
          return FALSE;
        }
      g_array_append_val (out, interval);
    }

  {
    g_autofree char *what = g_strdup_printf (_("Field “%s”"), path);

    return _sd_work_intervals_normalize (out, what, error);
  }
}

static gboolean
read_exception (JsonNode       *node,
                const char     *path,
                SdCalendarDef  *def,
                GError        **error)
{
  static const char * const known[] = { "date", "kind", "name", "hours", NULL };
  JsonObject *object = sd_json_node_get_object (node, path, error);
  const char *kind = NULL;
  const char *name = NULL;
  JsonArray *hours = NULL;
  SdCalendarException exc = { 0, };

  if (object == NULL
      || !sd_json_check_fields (object, path, known, error)
      || !sd_json_get_date (object, path, "date", TRUE, &exc.julian, error)
      || !sd_json_get_string (object, path, "kind", TRUE, &kind, error)
      || !sd_json_get_string (object, path, "name", FALSE, &name, error)
      || !sd_json_get_array (object, path, "hours", FALSE, &hours, error))
    return FALSE;

  if (g_str_equal (kind, "working_day"))
    exc.working = TRUE;
  else if (!g_str_equal (kind, "day_off"))
    {
      g_autofree char *full = sd_json_path_join (path, "kind");

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: unknown value “%s” (expected day_off or working_day)"),
                   full, kind);
      return FALSE;
    }

  if (_sd_calendar_def_find_exception (def, exc.julian) != NULL)
    {
      g_autofree char *full = sd_json_path_join (path, "date");
      g_autofree char *date = sd_date_format (exc.julian);

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: %s appears more than once"), full, date);
      return FALSE;
    }

  if (hours != NULL)
    {
      g_autofree char *full = sd_json_path_join (path, "hours");
      g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (SdWorkInterval));

      if (!exc.working)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: a day off has no hours"), full);
          return FALSE;
        }
      if (!read_hours (hours, full, intervals, error))
        return FALSE;
      if (intervals->len == 0)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: a working day needs hours (omit the field for the default hours)"),
                       full);
          return FALSE;
        }
      exc.n_intervals = intervals->len;
      exc.intervals = (SdWorkInterval *) g_array_free (g_steal_pointer (&intervals), FALSE);
    }

  exc.name = g_strdup (name);
  _sd_calendar_def_put_exception (def, &exc);
  return TRUE;
}

SdCalendar *
sd_calendar_from_json (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  static const char * const known[] = { "id", "name", "time_zone", "week", "exceptions", NULL };
  g_autoptr(SdCalendarDef) def = _sd_calendar_def_new ();
  const char *root = path ? path : "calendar";
  JsonObject *object = sd_json_node_get_object (node, root, error);
  const char *id = NULL, *name = NULL, *zone = NULL;
  JsonObject *week = NULL;
  JsonArray *exceptions = NULL;

  if (object == NULL
      || !sd_json_check_fields (object, root, known, error)
      || !sd_json_get_string (object, root, "id", TRUE, &id, error)
      || !sd_json_get_string (object, root, "name", FALSE, &name, error)
      || !sd_json_get_string (object, root, "time_zone", TRUE, &zone, error)
      || !sd_json_get_object (object, root, "week", TRUE, &week, error)
      || !sd_json_get_array (object, root, "exceptions", FALSE, &exceptions, error))
    return NULL;

  if (*id == '\0')
    {
      g_autofree char *full = sd_json_path_join (root, "id");

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("Field “%s” is empty"), full);
      return NULL;
    }
  def->id = g_strdup (id);
  def->name = g_strdup (name);

  {
    g_autoptr(GError) local_error = NULL;

    if (!_sd_calendar_def_set_time_zone (def, zone, &local_error))
      {
        g_autofree char *full = sd_json_path_join (root, "time_zone");

        g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                     _("Field “%s”: %s"), full, local_error->message);
        return NULL;
      }
  }

  {
    g_autofree char *week_path = sd_json_path_join (root, "week");

    if (!sd_json_check_fields (week, week_path, (const char * const *) weekday_keys, error))
      return NULL;
    for (guint d = 0; d < 7; d++)
      {
        JsonArray *hours = NULL;
        g_autofree char *day_path = sd_json_path_join (week_path, weekday_keys[d]);

        if (!sd_json_get_array (week, week_path, weekday_keys[d], FALSE, &hours, error))
          return NULL;
        if (hours != NULL && !read_hours (hours, day_path, def->week[d], error))
          return NULL;
      }
  }

  if (exceptions != NULL)
    {
      g_autofree char *exc_path = sd_json_path_join (root, "exceptions");

      for (guint i = 0; i < json_array_get_length (exceptions); i++)
        {
          g_autofree char *item_path = sd_json_path_index (exc_path, i);

          if (!read_exception (json_array_get_element (exceptions, i), item_path, def, error))
            return NULL;
        }
    }

  return _sd_calendar_new_take_def (g_steal_pointer (&def));
}

/* Built-in calendars */

gboolean
sd_calendar_zone_is_cn_mainland (const char *zone)
{
  return zone != NULL && g_strv_contains (cn_mainland_zones, zone);
}

static SdCalendar *
load_cn_mainland (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  SdCalendar *calendar;
  gsize size;
  const char *data;

  bytes = g_resources_lookup_data (CN_MAINLAND_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("Built-in calendar missing: %s", error->message);
  data = g_bytes_get_data (bytes, &size);
  root = sd_json_parse (data, size, &error);
  calendar = root ? sd_calendar_from_json (root, NULL, &error) : NULL;
  if (calendar == NULL)
    g_error ("Built-in calendar invalid: %s", error->message);
  return calendar;
}

SdCalendar *
sd_calendar_new_builtin (const char *id)
{
  static SdCalendar *cn_mainland;

  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_equal (id, "cn-mainland"))
    {
      if (g_once_init_enter (&cn_mainland))
        g_once_init_leave (&cn_mainland, load_cn_mainland ());
      return g_object_ref (cn_mainland);
    }
  return NULL;
}

SdCalendar *
sd_calendar_new_for_time_zone (const char  *zone,
                               GError     **error)
{
  g_autoptr(SdCalendarDef) def = NULL;
  SdWorkInterval day = { 9 * 60, 18 * 60 };

  if (sd_calendar_zone_is_cn_mainland (zone))
    return sd_calendar_new_builtin ("cn-mainland");

  def = _sd_calendar_def_new ();
  if (!_sd_calendar_def_set_time_zone (def, zone, error))
    return NULL;
  def->id = g_strdup (zone);
  def->name = g_strdup (zone);
  for (guint d = 0; d < 5; d++)
    g_array_append_val (def->week[d], day);
  return _sd_calendar_new_take_def (g_steal_pointer (&def));
}
