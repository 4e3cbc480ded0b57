/* sd-calendars-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendars-page"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "sd-calendars-page.h"

/* Years around today whose holiday data the page describes. */
#define YEARS_BEFORE 1
#define YEARS_AFTER  2

static const char * const weekday_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

struct _SdCalendarsPage
{
  AdwPreferencesPage parent_instance;

  SdRestClient *client;        /* owned */
  GCancellable *cancellable;   /* owned; cancelled in dispose */
  guint         busy;

  char         *selected;      /* the calendar in the editor */
  gint64        version;       /* its version (0: none loaded) */
  JsonNode     *document;      /* owned: the calendar as loaded */
  GPtrArray    *exceptions;    /* JsonNode objects {date, kind, name, …}, by date */
  gboolean      filling;       /* the editor is being filled: not an edit */
  guint         n_calendars;
  char         *status;
  gboolean      status_error;

  GPtrArray    *calendar_rows; /* borrowed, in calendar_list */
  GPtrArray    *day_rows;      /* borrowed, in days_list */
  GPtrArray    *coverage_rows; /* borrowed, in coverage_group */
  GtkWidget    *hours_rows[7]; /* borrowed, in hours_group */

  /* template */
  GtkListBox   *calendar_list;
  AdwEntryRow  *new_id_row;
  AdwEntryRow  *new_name_row;
  GtkWidget    *create_button;
  GtkWidget    *editor_group;
  AdwEntryRow  *name_row;
  AdwEntryRow  *zone_row;
  GtkWidget    *hours_group;
  GtkWidget    *days_group;
  GtkWidget    *add_day_group;
  GtkSpinButton *year_spin;
  GtkListBox   *days_list;
  AdwEntryRow  *day_date_row;
  AdwEntryRow  *day_name_row;
  AdwComboRow  *day_kind_row;
  GtkWidget    *add_day_button;
  GtkWidget    *coverage_group;
  GtkLabel     *status_label;
  GtkWidget    *archive_button;
  GtkWidget    *import_button;
  GtkWidget    *save_button;
};

G_DEFINE_FINAL_TYPE (SdCalendarsPage, sd_calendars_page, ADW_TYPE_PREFERENCES_PAGE)

/* --------------------------------------------------------------- helpers */

static void
set_status (SdCalendarsPage *self,
            const char      *text,
            gboolean         is_error)
{
  g_free (self->status);
  self->status = g_strdup (text ? text : "");
  self->status_error = is_error;
  gtk_label_set_label (self->status_label, self->status);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), *self->status != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* TRUE when the call failed because the page went away: nothing to touch. */
static gboolean
was_cancelled (GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
set_field_error (gpointer widget,
                 gboolean error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (widget), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (widget), "error");
}

static char *
calendar_path (const char *id,
               const char *suffix)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);

  return g_strconcat ("/calendars/", escaped, suffix, NULL);
}

/* "09:00–12:00, 13:00–18:00" → ["09:00-12:00", "13:00-18:00"]; NULL when
 * a part is not "HH:MM–HH:MM" with the start before the end. */
static JsonArray *
parse_hours (const char *text)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GString) part = g_string_new (g_strstrip (parts[i]));
      guint h1, m1, h2, m2;
      char tail;

      if (part->len == 0 && parts[1] == NULL)
        break;  /* empty: no work that day */
      g_string_replace (part, "–", "-", 0);
      g_string_replace (part, " ", "", 0);
      if (sscanf (part->str, "%2u:%2u-%2u:%2u%c", &h1, &m1, &h2, &m2, &tail) != 4
          || m1 > 59 || m2 > 59 || h1 > 23 || h2 > 24 || (h2 == 24 && m2 > 0)
          || h1 * 60 + m1 >= h2 * 60 + m2)
        return NULL;
      json_array_add_string_element (array, part->str);
    }
  return g_steal_pointer (&array);
}

static char *
format_hours (SdCalendar   *calendar,
              GDateWeekday  weekday)
{
  GString *text = g_string_new (NULL);
  guint n = 0;
  const SdWorkInterval *hours = sd_calendar_get_weekday_hours (calendar, weekday, &n);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%02u:%02u–%02u:%02u", i ? ", " : "",
                            hours[i].start / 60, hours[i].start % 60, hours[i].end / 60, hours[i].end % 60);
  return g_string_free (text, FALSE);
}

static void
remove_exception (SdCalendarsPage *self,
                  const char      *date)
{
  for (guint i = self->exceptions->len; i-- > 0;)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (self->exceptions->pdata[i]),
                                                               "date", ""), date) == 0)
      g_ptr_array_remove_index (self->exceptions, i);
}

static int
compare_exceptions (gconstpointer a,
                    gconstpointer b)
{
  JsonNode *x = *(JsonNode * const *) a;
  JsonNode *y = *(JsonNode * const *) b;

  return g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (x), "date", ""),
                    json_object_get_string_member_with_default (json_node_get_object (y), "date", ""));
}

/* The calendar as the editor has it now: the loaded document with the
 * edited members. NULL (and the rows marked) when a field is not valid. */
static JsonNode *
build_document (SdCalendarsPage  *self,
                GError          **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *zone_id = gtk_editable_get_text (GTK_EDITABLE (self->zone_row));
  JsonObject *object, *week;
  JsonArray *exceptions;
  gboolean ok = TRUE;

  if (self->document == NULL)
    return NULL;
  node = json_node_copy (self->document);
  object = json_node_get_object (node);

  set_field_error (self->name_row, *name == '\0');
  if (*name == '\0')
    {
      g_set_error_literal (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("The calendar needs a name."));
      ok = FALSE;
    }
  json_object_set_string_member (object, "name", name);

  zone = *zone_id ? g_time_zone_new_identifier (zone_id) : NULL;
  set_field_error (self->zone_row, zone == NULL);
  if (zone == NULL && ok)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("“%s” is not a time zone: use an IANA name such as Asia/Shanghai or Europe/Berlin."), zone_id);
      ok = FALSE;
    }
  json_object_set_string_member (object, "time_zone", zone_id);

  week = json_object_new ();
  for (guint d = 0; d < 7; d++)
    {
      JsonArray *hours = parse_hours (gtk_editable_get_text (GTK_EDITABLE (self->hours_rows[d])));

      set_field_error (self->hours_rows[d], hours == NULL);
      if (hours == NULL)
        {
          if (ok)
            g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                         _("%s: write the hours as “09:00–12:00, 13:00–18:00”, each start before its end."),
                         adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->hours_rows[d])));
          ok = FALSE;
          hours = json_array_new ();
        }
      json_object_set_array_member (week, weekday_keys[d], hours);
    }
  json_object_set_object_member (object, "week", week);

  exceptions = json_array_new ();
  for (guint i = 0; i < self->exceptions->len; i++)
    json_array_add_element (exceptions, json_node_copy (self->exceptions->pdata[i]));
  json_object_set_array_member (object, "exceptions", exceptions);

  if (!ok)
    return NULL;

  /* The server's own checks: overlapping hours, days, names. */
  {
    g_autoptr(SdCalendar) check = sd_calendar_from_json (node, NULL, error);

    if (check == NULL)
      return NULL;
  }
  return g_steal_pointer (&node);
}

static void
update_sensitivity (SdCalendarsPage *self)
{
  gboolean loaded = self->document != NULL && self->busy == 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = NULL;

  gtk_widget_set_sensitive (self->editor_group, loaded);
  gtk_widget_set_sensitive (self->hours_group, loaded);
  gtk_widget_set_sensitive (self->days_group, loaded);
  gtk_widget_set_sensitive (self->add_day_group, loaded);
  gtk_widget_set_sensitive (self->import_button, loaded);
  gtk_widget_set_sensitive (self->archive_button,
                            loaded && !g_strv_contains (sd_calendar_list_builtin_ids (), self->selected));
  gtk_widget_set_tooltip_text (self->archive_button,
                               self->selected && g_strv_contains (sd_calendar_list_builtin_ids (), self->selected)
                               ? _("Built-in calendars cannot be archived; edit them instead") : NULL);

  if (self->document == NULL || self->filling)
    {
      gtk_widget_set_sensitive (self->save_button, FALSE);
      return;
    }
  document = build_document (self, &error);
  gtk_widget_set_sensitive (self->save_button, loaded && document != NULL);
  if (document == NULL)
    set_status (self, error ? error->message : "", TRUE);
  else if (self->status_error)
    set_status (self, "", FALSE);
}

static void
begin (SdCalendarsPage *self)
{
  self->busy++;
  update_sensitivity (self);
}

static void
end (SdCalendarsPage *self)
{
  self->busy--;
  update_sensitivity (self);
}

/* ----------------------------------------------------------------- rows */

static void remove_day_clicked_cb (GtkButton *button, SdCalendarsPage *self);

static void
rebuild_days (SdCalendarsPage *self)
{
  int year = gtk_spin_button_get_value_as_int (self->year_spin);
  g_autofree char *prefix = g_strdup_printf ("%04d-", year);

  for (guint i = 0; i < self->day_rows->len; i++)
    gtk_list_box_remove (self->days_list, self->day_rows->pdata[i]);
  g_ptr_array_set_size (self->day_rows, 0);

  for (guint i = 0; i < self->exceptions->len; i++)
    {
      JsonObject *day = json_node_get_object (self->exceptions->pdata[i]);
      const char *date = json_object_get_string_member_with_default (day, "date", "");
      const char *name = json_object_get_string_member_with_default (day, "name", NULL);
      gboolean working = g_strcmp0 (json_object_get_string_member_with_default (day, "kind", ""), "working_day") == 0;
      GtkWidget *row, *remove;
      g_autofree char *label = NULL;

      if (!g_str_has_prefix (date, prefix))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), date);
      label = g_strdup_printf ("%s%s%s", working ? _("Working day") : _("Day off"),
                               name ? " · " : "", name ? name : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), label);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name (working ? "x-office-document-symbolic"
                                                                       : "weather-clear-symbolic"));
      remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      {
        /* Translators: the accessible label of a button that removes a holiday or make-up day, e.g. "Remove 2027-01-01" */
        g_autofree char *a11y = g_strdup_printf (_("Remove %s"), date);

        gtk_widget_set_tooltip_text (remove, a11y);
        gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      }
      g_object_set_data_full (G_OBJECT (remove), "date", g_strdup (date), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_day_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->days_list, row);
      g_ptr_array_add (self->day_rows, row);
    }
  if (self->day_rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No holidays or make-up days this year"));
      gtk_list_box_append (self->days_list, row);
      g_ptr_array_add (self->day_rows, row);
    }
}

static void
rebuild_coverage (SdCalendarsPage *self,
                  SdCalendar      *calendar)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int this_year = g_date_time_get_year (now);
  JsonArray *official = NULL;

  for (guint i = 0; i < self->coverage_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->coverage_group), self->coverage_rows->pdata[i]);
  g_ptr_array_set_size (self->coverage_rows, 0);
  if (calendar == NULL)
    return;
  if (json_object_has_member (json_node_get_object (self->document), "official_years"))
    official = json_object_get_array_member (json_node_get_object (self->document), "official_years");

  for (int year = this_year - YEARS_BEFORE; year <= this_year + YEARS_AFTER; year++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf ("%d", year);
      g_autofree char *note = NULL;
      gboolean is_official = FALSE;
      const char *icon;

      for (guint i = 0; official != NULL && i < json_array_get_length (official); i++)
        is_official |= json_array_get_int_element (official, i) == year;
      if (sd_calendar_is_provisional_year (calendar, year))
        {
          note = sd_calendar_describe_provisional_year (year);
          icon = "dialog-warning-symbolic";
          gtk_widget_add_css_class (row, "warning");
        }
      else if (is_official)
        {
          note = g_strdup (_("Official holiday data"));
          icon = "emblem-ok-symbolic";
        }
      else
        {
          note = g_strdup (_("No holiday data: only the weekly hours and the days listed here"));
          icon = "dialog-information-symbolic";
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), note);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->coverage_group), row);
      g_ptr_array_add (self->coverage_rows, row);
    }
}

static void
fill_editor (SdCalendarsPage *self,
             JsonNode        *document,
             gint64           version)
{
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_clear_pointer (&self->document, json_node_unref);
  g_ptr_array_set_size (self->exceptions, 0);
  self->version = version;
  if (document == NULL || !(calendar = sd_calendar_from_json (document, NULL, &error)))
    {
      set_status (self, error ? error->message : "", error != NULL);
      rebuild_coverage (self, NULL);
      update_sensitivity (self);
      return;
    }
  self->document = json_node_ref (document);
  object = json_node_get_object (document);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), sd_calendar_get_name (calendar)
                                                        ? sd_calendar_get_name (calendar) : "");
  gtk_editable_set_text (GTK_EDITABLE (self->zone_row), sd_calendar_get_time_zone_id (calendar));
  for (guint d = 0; d < 7; d++)
    {
      g_autofree char *text = format_hours (calendar, G_DATE_MONDAY + d);

      gtk_editable_set_text (GTK_EDITABLE (self->hours_rows[d]), text);
    }
  if (json_object_has_member (object, "exceptions"))
    {
      JsonArray *array = json_object_get_array_member (object, "exceptions");

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (self->exceptions, json_node_copy (json_array_get_element (array, i)));
    }
  self->filling = FALSE;

  rebuild_days (self);
  rebuild_coverage (self, calendar);
  update_sensitivity (self);
}

/* -------------------------------------------------------------- requests */

static void load_list (SdCalendarsPage *self);

static void
calendar_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gint64 version = 0;
  g_autoptr(JsonNode) node = sd_rest_client_get_finish (SD_REST_CLIENT (source), result, &version, &error);
  SdCalendarsPage *self;

  if (was_cancelled (error))
    return;
  self = user_data;
  self->busy--;
  if (node == NULL)
    set_status (self, error->message, TRUE);
  fill_editor (self, node, version);
}

static void
load_calendar (SdCalendarsPage *self)
{
  g_autofree char *path = calendar_path (self->selected, NULL);

  begin (self);
  sd_rest_client_get_async (self->client, path, self->cancellable, calendar_loaded_cb, self);
}

static void
list_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sd_rest_client_get_finish (SD_REST_CLIENT (source), result, NULL, &error);
  SdCalendarsPage *self;
  JsonArray *items;

  if (was_cancelled (error))
    return;
  self = user_data;
  for (guint i = 0; i < self->calendar_rows->len; i++)
    gtk_list_box_remove (self->calendar_list, self->calendar_rows->pdata[i]);
  g_ptr_array_set_size (self->calendar_rows, 0);
  self->n_calendars = 0;

  if (node == NULL || !json_object_has_member (json_node_get_object (node), "items"))
    {
      set_status (self, error ? error->message : _("The server’s answer lists no calendars"), TRUE);
      end (self);
      return;
    }
  items = json_object_get_array_member (json_node_get_object (node), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *id = json_object_get_string_member_with_default (item, "id", NULL);
      const char *name = json_object_get_string_member_with_default (item, "name", NULL);
      const char *zone = json_object_get_string_member_with_default (item, "time_zone", "");
      GtkWidget *row;
      g_autofree char *subtitle = NULL;

      if (id == NULL)
        continue;
      row = adw_action_row_new ();
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : id);
      subtitle = g_strdup_printf ("%s · %s%s%s", id, zone,
                                  g_strv_contains (sd_calendar_list_builtin_ids (), id) ? " · " : "",
                                  g_strv_contains (sd_calendar_list_builtin_ids (), id) ? _("Built-in") : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "calendar-id", g_strdup (id), g_free);
      gtk_list_box_append (self->calendar_list, row);
      g_ptr_array_add (self->calendar_rows, row);
      if (g_strcmp0 (id, self->selected) == 0)
        gtk_list_box_select_row (self->calendar_list, GTK_LIST_BOX_ROW (row));
      self->n_calendars++;
    }
  end (self);
}

static void
load_list (SdCalendarsPage *self)
{
  begin (self);
  sd_rest_client_get_async (self->client, "/calendars", self->cancellable, list_loaded_cb, self);
}

/* After a write: the status, then the list and the calendar as they are
 * now on the server (the new version). */
static void
written (SdCalendarsPage *self,
         GError          *error,
         const char      *done)
{
  self->busy--;
  if (error != NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_CONFLICT))
        text = g_strdup (_("Someone else changed this calendar meanwhile. It was reloaded: check it and make your change again."));
      else
        text = g_strdup_printf (_("The server refused the change: %s"), error->message);
      set_status (self, text, TRUE);
      if (self->selected != NULL && g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_CONFLICT))
        load_calendar (self);
      update_sensitivity (self);
      return;
    }
  set_status (self, done, FALSE);
  load_list (self);
  if (self->selected != NULL)
    load_calendar (self);
  else
    fill_editor (self, NULL, 0);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sd_rest_client_update_finish (SD_REST_CLIENT (source), result, &error);

  if (was_cancelled (error))
    return;
  written (user_data, error, _("Saved. Open cases now count on the new version."));
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sd_rest_client_create_finish (SD_REST_CLIENT (source), result, &error);
  SdCalendarsPage *self;

  if (was_cancelled (error))
    return;
  self = user_data;
  if (node != NULL)
    {
      g_free (self->selected);
      self->selected = g_strdup (json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL));
      gtk_editable_set_text (GTK_EDITABLE (self->new_id_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->new_name_row), "");
    }
  written (self, error, _("Created. Edit its hours and days below."));
}

static void
archived_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = sd_rest_client_delete_finish (SD_REST_CLIENT (source), result, &error);
  SdCalendarsPage *self;

  if (was_cancelled (error))
    return;
  self = user_data;
  if (ok)
    g_clear_pointer (&self->selected, g_free);
  written (self, error, _("Archived."));
}

static void
imported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sd_rest_client_import_calendar_finish (SD_REST_CLIENT (source), result, &error);
  g_autofree char *done = NULL;

  if (was_cancelled (error))
    return;
  if (node != NULL)
    {
      JsonObject *object = json_node_get_object (node);
      JsonArray *years = json_object_has_member (object, "official_years")
                         ? json_object_get_array_member (object, "official_years") : NULL;
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; years != NULL && i < json_array_get_length (years); i++)
        g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i ? ", " : "", json_array_get_int_element (years, i));
      /* Translators: after an import; the list of years with official holiday data, e.g. "2026, 2027" */
      done = g_strdup_printf (_("Imported. Years with official data: %s. Open cases now count on them."),
                              list->len ? list->str : C_("no years", "none"));
    }
  written (user_data, error, done);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *basename = g_file_get_basename (G_FILE (source));
  g_autofree char *lower = g_ascii_strdown (basename, -1);
  SdCalendarsPage *self;

  if (was_cancelled (error))
    return;
  self = user_data;
  if (bytes == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The file cannot be read: %s"), error->message);

      self->busy--;
      set_status (self, text, TRUE);
      update_sensitivity (self);
      return;
    }
  sd_rest_client_import_calendar_async (self->client, self->selected, bytes,
                                        g_str_has_suffix (lower, ".ics")
                                        ? "text/calendar" : "application/json",
                                        self->version, self->cancellable, imported_cb, self);
}

/* ------------------------------------------------------------- callbacks */

static void
calendar_activated_cb (SdCalendarsPage *self,
                       GtkListBoxRow   *row)
{
  sd_calendars_page_select (self, g_object_get_data (G_OBJECT (row), "calendar-id"));
}

static void
edited_cb (SdCalendarsPage *self)
{
  if (!self->filling)
    update_sensitivity (self);
}

static void
new_changed_cb (SdCalendarsPage *self)
{
  const char *id = gtk_editable_get_text (GTK_EDITABLE (self->new_id_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->new_name_row));
  gboolean id_ok = *id != '\0' && strchr (id, '/') == NULL && sd_json_id_is_valid (id);

  set_field_error (self->new_id_row, *id != '\0' && !id_ok);
  gtk_widget_set_sensitive (self->create_button, id_ok && *name != '\0');
}

static void
create_clicked_cb (SdCalendarsPage *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *key = g_uuid_string_random ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->new_id_row)));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->new_name_row)));
  json_builder_set_member_name (builder, "time_zone");
  json_builder_add_string_value (builder, "UTC");
  json_builder_set_member_name (builder, "week");
  json_builder_begin_object (builder);
  for (guint d = 0; d < 5; d++)
    {
      json_builder_set_member_name (builder, weekday_keys[d]);
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "09:00-18:00");
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "exceptions");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  begin (self);
  sd_rest_client_create_async (self->client, "/calendars", body, key, self->cancellable, created_cb, self);
}

static void
save_clicked_cb (SdCalendarsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) document = build_document (self, &error);
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  JsonObject *object;

  if (document == NULL)
    {
      set_status (self, error ? error->message : "", TRUE);
      return;
    }
  /* The edited members only: a merge patch. */
  object = json_object_new ();
  for (const char * const *m = (const char * const[]) { "name", "time_zone", "week", "exceptions", NULL }; *m; m++)
    json_object_set_member (object, *m, json_node_copy (json_object_get_member (json_node_get_object (document), *m)));
  patch = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);

  path = calendar_path (self->selected, NULL);
  begin (self);
  sd_rest_client_update_async (self->client, path, patch, self->version, self->cancellable, saved_cb, self);
}

static void
archive_clicked_cb (SdCalendarsPage *self)
{
  g_autofree char *path = calendar_path (self->selected, NULL);

  begin (self);
  sd_rest_client_delete_async (self->client, path, self->version, self->cancellable, archived_cb, self);
}

static void
chooser_responded_cb (GtkNativeDialog *chooser,
                      int              response,
                      gpointer         user_data)
{
  SdCalendarsPage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        sd_calendars_page_import_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
import_clicked_cb (SdCalendarsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Holidays"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("iCalendar or holiday JSON"));
  gtk_file_filter_add_suffix (filter, "ics");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* The dialog answers after the page may have gone: keep it until then. */
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_responded_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
day_changed_cb (SdCalendarsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->day_date_row));
  guint32 julian = 0;
  gboolean ok = sd_date_parse (text, &julian, NULL);

  set_field_error (self->day_date_row, *text != '\0' && !ok);
  gtk_widget_set_sensitive (self->add_day_button, ok);
}

static void
add_day_clicked_cb (SdCalendarsPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->day_date_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->day_name_row));
  gboolean working = adw_combo_row_get_selected (self->day_kind_row) == 1;
  g_autofree char *date = NULL;
  guint32 julian;
  JsonObject *day;
  GDate parsed;

  if (!sd_date_parse (text, &julian, NULL))
    return;
  date = sd_date_format (julian);
  remove_exception (self, date);  /* one entry per day: the new one */

  day = json_object_new ();
  json_object_set_string_member (day, "date", date);
  json_object_set_string_member (day, "kind", working ? "working_day" : "day_off");
  if (*name != '\0')
    json_object_set_string_member (day, "name", name);
  g_ptr_array_add (self->exceptions, json_node_init_object (json_node_alloc (), day));
  json_object_unref (day);
  g_ptr_array_sort (self->exceptions, compare_exceptions);

  g_date_clear (&parsed, 1);
  g_date_set_julian (&parsed, julian);
  gtk_editable_set_text (GTK_EDITABLE (self->day_date_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->day_name_row), "");
  if (gtk_spin_button_get_value_as_int (self->year_spin) != g_date_get_year (&parsed))
    gtk_spin_button_set_value (self->year_spin, g_date_get_year (&parsed));
  else
    rebuild_days (self);
  update_sensitivity (self);
}

static void
remove_day_clicked_cb (GtkButton       *button,
                       SdCalendarsPage *self)
{
  const char *date = g_object_get_data (G_OBJECT (button), "date");

  remove_exception (self, date);
  rebuild_days (self);
  update_sensitivity (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->day_date_row));
}

static void
year_changed_cb (SdCalendarsPage *self)
{
  rebuild_days (self);
}

/* ------------------------------------------------------------- overrides */

static void
sd_calendars_page_dispose (GObject *object)
{
  SdCalendarsPage *self = SD_CALENDARS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_CALENDARS_PAGE);
  g_clear_pointer (&self->calendar_rows, g_ptr_array_unref);
  g_clear_pointer (&self->day_rows, g_ptr_array_unref);
  g_clear_pointer (&self->coverage_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (sd_calendars_page_parent_class)->dispose (object);
}

static void
sd_calendars_page_finalize (GObject *object)
{
  SdCalendarsPage *self = SD_CALENDARS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->document, json_node_unref);
  g_clear_pointer (&self->exceptions, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->status, g_free);
  G_OBJECT_CLASS (sd_calendars_page_parent_class)->finalize (object);
}

static void
sd_calendars_page_class_init (SdCalendarsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_calendars_page_dispose;
  object_class->finalize = sd_calendars_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-calendars-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, calendar_list);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, new_id_row);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, new_name_row);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, create_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, editor_group);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, zone_row);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, hours_group);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, days_group);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, add_day_group);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, year_spin);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, days_list);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, day_date_row);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, day_name_row);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, day_kind_row);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, add_day_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, coverage_group);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, archive_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, SdCalendarsPage, save_button);
  gtk_widget_class_bind_template_callback (widget_class, calendar_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, archive_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_day_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, year_changed_cb);
}

static void
sd_calendars_page_init (SdCalendarsPage *self)
{
  const char *days[7] = {
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"),
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->exceptions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->calendar_rows = g_ptr_array_new ();
  self->day_rows = g_ptr_array_new ();
  self->coverage_rows = g_ptr_array_new ();
  self->status = g_strdup ("");

  for (guint d = 0; d < 7; d++)
    {
      self->hours_rows[d] = adw_entry_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->hours_rows[d]), _(days[d]));
      g_signal_connect_swapped (self->hours_rows[d], "changed", G_CALLBACK (edited_cb), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->hours_group), self->hours_rows[d]);
    }
  gtk_spin_button_set_value (self->year_spin, g_date_time_get_year (now));
}

/* ------------------------------------------------------------ public API */

SdCalendarsPage *
sd_calendars_page_new (SdRestClient *client)
{
  SdCalendarsPage *self;

  g_return_val_if_fail (SD_IS_REST_CLIENT (client), NULL);

  self = g_object_new (SD_TYPE_CALENDARS_PAGE, NULL);
  self->client = g_object_ref (client);
  load_list (self);
  return self;
}

gboolean
sd_calendars_page_is_busy (SdCalendarsPage *self)
{
  g_return_val_if_fail (SD_IS_CALENDARS_PAGE (self), FALSE);
  return self->busy > 0;
}

guint
sd_calendars_page_get_n_calendars (SdCalendarsPage *self)
{
  g_return_val_if_fail (SD_IS_CALENDARS_PAGE (self), 0);
  return self->n_calendars;
}

void
sd_calendars_page_select (SdCalendarsPage *self,
                          const char      *id)
{
  g_return_if_fail (SD_IS_CALENDARS_PAGE (self));
  g_return_if_fail (id != NULL);

  g_free (self->selected);
  self->selected = g_strdup (id);
  set_status (self, "", FALSE);
  load_calendar (self);
}

const char *
sd_calendars_page_get_selected (SdCalendarsPage *self)
{
  g_return_val_if_fail (SD_IS_CALENDARS_PAGE (self), NULL);
  return self->selected;
}

gint64
sd_calendars_page_get_version (SdCalendarsPage *self)
{
  g_return_val_if_fail (SD_IS_CALENDARS_PAGE (self), 0);
  return self->document != NULL ? self->version : 0;
}

AdwEntryRow *
sd_calendars_page_get_hours_row (SdCalendarsPage *self,
                                 GDateWeekday     weekday)
{
  g_return_val_if_fail (SD_IS_CALENDARS_PAGE (self), NULL);
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, NULL);
  return ADW_ENTRY_ROW (self->hours_rows[weekday - G_DATE_MONDAY]);
}

void
sd_calendars_page_import_file (SdCalendarsPage *self,
                               GFile           *file)
{
  g_return_if_fail (SD_IS_CALENDARS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->document == NULL || self->busy > 0)
    return;
  begin (self);
  g_file_load_bytes_async (file, self->cancellable, file_loaded_cb, self);
}

const char *
sd_calendars_page_get_status (SdCalendarsPage *self,
                              gboolean        *is_error)
{
  g_return_val_if_fail (SD_IS_CALENDARS_PAGE (self), NULL);
  if (is_error != NULL)
    *is_error = self->status_error;
  return self->status;
}
