/* sd-calendar-json.c — the JSON codec of SdCalendar and the built-in
 * calendars read from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-calendar-builder.h"
#include "sd-calendar-import.h"
#include "sd-calendar-private.h"
#include "sd-json.h"

#define CALENDAR_RESOURCES "/org/example/SupportDesk/calendars/"

typedef struct {
  const char         *id;
  const char         *name;
  const char         *zone;
  const char * const *zones;     /* other zones of the country, NULL-terminated */
  const char         *country;   /* the holiday rules */
  const char         *hours;     /* sd_calendar_builder_set_hours_spec() */
  const char         *resource;  /* below CALENDAR_RESOURCES */
} SdBuiltinCalendar;

static const char * const us_zones[] = {
  "America/Detroit", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
  "America/Anchorage", "Pacific/Honolulu", "America/Indiana/Indianapolis", "US/Eastern",
  "US/Central", "US/Mountain", "US/Pacific", NULL
};
static const char * const ca_zones[] = {
  "America/Montreal", "America/Vancouver", "America/Edmonton", "America/Winnipeg",
  "America/Halifax", "America/Regina", "America/St_Johns", "Canada/Eastern", NULL
};
static const char * const au_zones[] = {
  "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth", "Australia/Adelaide",
  "Australia/Hobart", "Australia/Darwin", "Australia/Canberra", NULL
};
static const char * const de_zones[] = { "Europe/Busingen", NULL };
static const char * const gb_zones[] = { "GB", "Europe/Belfast", NULL };
static const char * const hk_zones[] = { "Hongkong", NULL };
static const char * const tw_zones[] = { "ROC", NULL };
static const char * const sg_zones[] = { "Singapore", NULL };
static const char * const jp_zones[] = { "Japan", NULL };
static const char * const kr_zones[] = { "ROK", NULL };

#define OFFICE_HOURS "mon-fri 09:00-18:00"

/* The first is the default calendar; the ids are stable (customers refer
 * to them). */
static const SdBuiltinCalendar builtins[] = {
  { "cn-mainland", "Mainland China", "Asia/Shanghai", NULL, "CN", OFFICE_HOURS, "cn-mainland.json" },
  { "cn-mainland-lunch", "Mainland China, lunch break 12:00–13:00", "Asia/Shanghai", NULL, "CN",
    "mon-fri 09:00-12:00,13:00-18:00", "cn-mainland.json" },
  { "hk-office", "Hong Kong office hours", "Asia/Hong_Kong", hk_zones, "HK", OFFICE_HOURS, "holidays/hk.ics" },
  { "tw-office", "Taiwan office hours", "Asia/Taipei", tw_zones, "TW", OFFICE_HOURS, "holidays/tw.ics" },
  { "sg-office", "Singapore office hours", "Asia/Singapore", sg_zones, "SG", OFFICE_HOURS, "holidays/sg.ics" },
  { "jp-office", "Japan office hours", "Asia/Tokyo", jp_zones, "JP", OFFICE_HOURS, "holidays/jp.ics" },
  { "kr-office", "Korea office hours", "Asia/Seoul", kr_zones, "KR", OFFICE_HOURS, "holidays/kr.ics" },
  { "de-office", "Germany office hours", "Europe/Berlin", de_zones, "DE", OFFICE_HOURS, "holidays/de.ics" },
  { "gb-office", "United Kingdom office hours (England and Wales)", "Europe/London", gb_zones, "GB",
    OFFICE_HOURS, "holidays/gb.ics" },
  { "fr-office", "France office hours", "Europe/Paris", NULL, "FR", OFFICE_HOURS, "holidays/fr.ics" },
  { "us-east-office", "US Eastern office hours", "America/New_York", us_zones, "US", OFFICE_HOURS,
    "holidays/us.ics" },
  { "ca-east-office", "Canada Eastern office hours (Ontario)", "America/Toronto", ca_zones, "CA",
    OFFICE_HOURS, "holidays/ca.ics" },
  { "au-east-office", "Australia Eastern office hours (New South Wales)", "Australia/Sydney", au_zones,
    "AU", OFFICE_HOURS, "holidays/au.ics" },
};

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
  sd_json_builder_add_string_or_null (builder, "rules", def->rules);
  json_builder_set_member_name (builder, "official_years");
  json_builder_begin_array (builder);
  for (guint i = 0; i < def->official_years->len; i++)
    json_builder_add_int_value (builder, g_array_index (def->official_years, guint16, i));
  json_builder_end_array (builder);
  if (def->builtin_version > 0)
    {
      json_builder_set_member_name (builder, "builtin_version");
      json_builder_add_int_value (builder, def->builtin_version);
    }

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
  static const char * const known[] = { "id", "name", "time_zone", "rules", "official_years",
                                        "builtin_version", "week", "exceptions", NULL };
  g_autoptr(SdCalendarDef) def = _sd_calendar_def_new ();
  const char *root = path ? path : "calendar";
  JsonObject *object = sd_json_node_get_object (node, root, error);
  const char *id = NULL, *name = NULL, *zone = NULL, *rules = NULL;
  JsonObject *week = NULL;
  JsonArray *exceptions = NULL;
  JsonArray *years = NULL;

  if (object == NULL
      || !sd_json_check_fields (object, root, known, error)
      || !sd_json_get_string (object, root, "id", TRUE, &id, error)
      || !sd_json_get_string (object, root, "name", FALSE, &name, error)
      || !sd_json_get_string (object, root, "time_zone", TRUE, &zone, error)
      || !sd_json_get_string (object, root, "rules", FALSE, &rules, error)
      || !sd_json_get_array (object, root, "official_years", FALSE, &years, error)
      || !sd_json_get_int (object, root, "builtin_version", FALSE, 0, G_MAXINT64,
                           &def->builtin_version, error)
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

  if (rules != NULL && !_sd_calendar_rules_known (rules))
    {
      g_autofree char *full = sd_json_path_join (root, "rules");

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: no holiday rules for “%s”"), full, rules);
      return NULL;
    }
  def->rules = g_strdup (rules);

  for (guint i = 0; years != NULL && i < json_array_get_length (years); i++)
    {
      JsonNode *item = json_array_get_element (years, i);
      g_autofree char *full = sd_json_path_join (root, "official_years");
      g_autofree char *item_path = sd_json_path_index (full, i);
      gint64 year;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64
          || (year = json_node_get_int (item)) < 1900 || year > 2399)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: expected a year from 1900 to 2399"), item_path);
          return NULL;
        }
      _sd_calendar_def_add_official_year (def, (int) year);
    }

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

/* Reads a built-in calendar: a JSON definition or, for the generated ones,
 * the weekly hours here and the holidays of an .ics resource. */
static SdCalendar *
load_builtin (const SdBuiltinCalendar *builtin)
{
  g_autofree char *path = g_strconcat (CALENDAR_RESOURCES, builtin->resource, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCalendarBuilder) builder = NULL;
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(SdCalendarDef) def = NULL;
  gsize size;
  const char *data;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("Built-in calendar missing: %s", error->message);
  data = g_bytes_get_data (bytes, &size);

  if (g_str_has_suffix (builtin->resource, ".json"))
    {
      g_autoptr(JsonNode) root = sd_json_parse (data, size, &error);

      calendar = root ? sd_calendar_from_json (root, NULL, &error) : NULL;
      builder = calendar ? sd_calendar_builder_new_from_calendar (calendar) : NULL;
    }
  else
    {
      builder = sd_calendar_builder_new (builtin->id, builtin->zone, &error);
      if (builder != NULL && !sd_calendar_builder_import_ics (builder, data, size, NULL, &error))
        g_clear_object (&builder);
    }
  if (builder == NULL || !sd_calendar_builder_set_hours_spec (builder, builtin->hours, &error))
    g_error ("Built-in calendar %s invalid: %s", builtin->id, error->message);

  g_clear_object (&calendar);
  calendar = sd_calendar_builder_build (builder);
  def = _sd_calendar_def_copy (_sd_calendar_get_def (calendar));
  g_free (def->id);
  def->id = g_strdup (builtin->id);
  g_free (def->name);
  def->name = g_strdup (builtin->name);
  g_free (def->rules);
  def->rules = g_strdup (builtin->country);
  def->builtin_version = SD_CALENDAR_BUILTIN_VERSION;
  return _sd_calendar_new_take_def (g_steal_pointer (&def));
}

static const SdBuiltinCalendar *
find_builtin (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_str_equal (builtins[i].id, id))
      return &builtins[i];
  return NULL;
}

SdCalendar *
sd_calendar_new_builtin (const char *id)
{
  static SdCalendar *loaded[G_N_ELEMENTS (builtins)];
  const SdBuiltinCalendar *builtin;
  guint index;

  g_return_val_if_fail (id != NULL, NULL);

  builtin = find_builtin (id);
  if (builtin == NULL)
    return NULL;
  index = builtin - builtins;
  if (g_once_init_enter (&loaded[index]))
    g_once_init_leave (&loaded[index], load_builtin (builtin));
  return g_object_ref (loaded[index]);
}

const char * const *
sd_calendar_list_builtin_ids (void)
{
  static const char *ids[G_N_ELEMENTS (builtins) + 1];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
        ids[i] = builtins[i].id;
      g_once_init_leave (&done, 1);
    }
  return ids;
}

const char *
sd_calendar_builtin_for_time_zone (const char *zone)
{
  if (zone == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    if (g_str_equal (builtins[i].zone, zone)
        || (builtins[i].zones != NULL && g_strv_contains (builtins[i].zones, zone)))
      return builtins[i].id;
  return NULL;
}

SdCalendar *
sd_calendar_new_for_time_zone (const char  *zone,
                               GError     **error)
{
  g_autoptr(SdCalendarDef) def = NULL;
  SdWorkInterval day = { 9 * 60, 18 * 60 };
  const char *builtin_id = sd_calendar_builtin_for_time_zone (zone);

  if (sd_calendar_zone_is_cn_mainland (zone))
    return sd_calendar_new_builtin ("cn-mainland");

  /* The country's holidays and office hours, in @zone itself. */
  if (builtin_id != NULL)
    {
      g_autoptr(SdCalendar) builtin = sd_calendar_new_builtin (builtin_id);

      if (g_str_equal (sd_calendar_get_time_zone_id (builtin), zone))
        return g_steal_pointer (&builtin);
      def = _sd_calendar_def_copy (_sd_calendar_get_def (builtin));
      if (!_sd_calendar_def_set_time_zone (def, zone, error))
        return NULL;
      g_free (def->id);
      def->id = g_strdup (zone);
      def->builtin_version = 0;
      return _sd_calendar_new_take_def (g_steal_pointer (&def));
    }

  def = _sd_calendar_def_new ();
  if (!_sd_calendar_def_set_time_zone (def, zone, error))
    return NULL;
  def->id = g_strdup (zone);
  def->name = g_strdup (zone);
  for (guint d = 0; d < 5; d++)
    g_array_append_val (def->week[d], day);
  return _sd_calendar_new_take_def (g_steal_pointer (&def));
}
