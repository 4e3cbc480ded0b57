/* test-calendar-editor.c — an administrator at the calendar editor against
 * the real demo server: a lunch break added to de-office's weekdays and
 * saved moves an open S3 of Nordwind (on that calendar) by one hour on the
 * server; an .ics file with a make-up Saturday, imported, makes that
 * Saturday a working day on the server and in the editor's list
 *
 * The page is shown in a plain AdwPreferencesWindow of its own (the
 * administration window adds it as one of its pages).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sd-application.h"
#include "sd-calendars-page.h"
#include "sd-sla-record-group.h"
#include "ui-test-utils.h"

#define CUSTOMER "cust-nordwind"
#define CALENDAR "de-office"
#define DEMO_PASSWORD "supportdesk-demo"

static GSubprocess *server;
static char *server_url;
static char *dir;

/* ------------------------------------------------- the server, by REST */

typedef struct {
  GAsyncResult *result;
} Wait;

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static void
wait_result (Wait *wait)
{
  g_assert_true (iterate_until (has_result, wait, UI_TIMEOUT_MS));
}

static SdRestClient *
sign_in_admin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRestClient) client = sd_rest_client_new (server_url, NULL, &error);
  g_autofree char *token = NULL;
  Wait wait = { 0 };

  g_assert_no_error (error);
  sd_rest_client_sign_in_async (client, "admin", DEMO_PASSWORD, NULL, got_result_cb, &wait);
  wait_result (&wait);
  g_assert_true (sd_rest_client_sign_in_finish (client, wait.result, &token, NULL, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
  sd_rest_client_set_token (client, token);
  return g_steal_pointer (&client);
}

static JsonNode *
get (SdRestClient *client,
     const char   *path)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  JsonNode *node;

  sd_rest_client_get_async (client, path, NULL, got_result_cb, &wait);
  wait_result (&wait);
  node = sd_rest_client_get_finish (client, wait.result, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  return node;
}

/* The case's response due time as the server computes it now. */
static gint64
case_due (SdRestClient *client,
          const char   *case_id)
{
  g_autofree char *path = g_strconcat ("/cases/", case_id, NULL);
  g_autoptr(JsonNode) node = get (client, path);
  JsonObject *sla = json_object_get_object_member (json_node_get_object (node), "sla");
  const char *due = json_object_get_string_member (json_object_get_object_member (sla, "response"), "due");
  gint64 at = 0;

  g_assert_true (sd_time_parse_iso8601 (due, NULL, &at, NULL));
  return at;
}

/* 09:00 Berlin time on a Wednesday at least a week ago that is a working
 * day of the calendar (not 1 January or Christmas). */
static GDateTime *
working_wednesday (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_now (berlin);
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin (CALENDAR);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, -((g_date_time_get_day_of_week (now) + 7 - 3) % 7 + 7));
  GDate date;

  for (;;)
    {
      GDateTime *earlier;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                      g_date_time_get_year (day));
      if (sd_calendar_is_working_day (calendar, g_date_get_julian (&date)))
        break;
      earlier = g_date_time_add_days (day, -7);
      g_date_time_unref (day);
      day = earlier;
    }
  return g_date_time_new (berlin, g_date_time_get_year (day), g_date_time_get_month (day),
                          g_date_time_get_day_of_month (day), 9, 0, 0);
}

/* An open S3 of the customer, reported on that Wednesday: due 15:00 on six
 * working hours of 09:00–18:00. */
static char *
create_case (SdRestClient *client,
             GDateTime   **wednesday)
{
  g_autoptr(GDateTime) at = working_wednesday ();
  g_autofree char *reported = g_date_time_format_iso8601 (at);
  g_autofree char *text = g_strdup_printf ("{\"customer_id\":\"" CUSTOMER "\",\"title\":\"Agents lose their policy\","
                                           "\"type\":\"incident\",\"severity\":3,\"reported_at\":\"%s\","
                                           "\"reported_via\":\"phone\"}", reported);
  g_autoptr(JsonNode) body = json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *key = g_uuid_string_random ();
  Wait wait = { 0 };

  sd_rest_client_create_async (client, "/cases", body, key, NULL, got_result_cb, &wait);
  wait_result (&wait);
  created = sd_rest_client_create_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);
  *wednesday = g_date_time_ref (at);
  return g_strdup (json_object_get_string_member (json_node_get_object (created), "id"));
}

/* ------------------------------------------------------------ the page */

static gboolean
page_idle (gpointer data)
{
  return !sd_calendars_page_is_busy (data) && sd_calendars_page_get_n_calendars (data) > 0;
}

static gboolean
page_loaded (gpointer data)
{
  return page_idle (data) && sd_calendars_page_get_version (data) > 0;
}

typedef struct {
  SdCalendarsPage *page;
  gint64           after;
} Newer;

static gboolean
page_newer (gpointer data)
{
  Newer *newer = data;

  return page_loaded (newer->page) && sd_calendars_page_get_version (newer->page) > newer->after;
}

static void
wait_for_new_version (SdCalendarsPage *page,
                      gint64           after)
{
  Newer newer = { page, after };
  gboolean is_error = FALSE;
  const char *status;

  g_assert_true (iterate_until (page_newer, &newer, UI_TIMEOUT_MS));
  status = sd_calendars_page_get_status (page, &is_error);
  g_assert_false (is_error);
  g_assert_cmpstr (status, !=, "");
}

/* The case view's SLA record names the calendar version of each period:
 * the one on record for a closed period, "in force" for an open one the
 * view derived itself. */
static void
test_record_names_version (void)
{
  g_autoptr(GArray) periods = g_array_new (FALSE, TRUE, sizeof (SdSlaPeriod));
  SdSlaRecordGroup *group = g_object_ref_sink (g_object_new (SD_TYPE_SLA_RECORD_GROUP, NULL));
  SdSlaPeriod closed = {
    .metric = SD_SLA_METRIC_RESPONSE, .severity = 3, .clock = SD_CLOCK_BUSINESS, .target = 6 * 3600,
    .opened = 1798790400, .start = 1798790400, .stop = 1798794000, .ended_by = SD_SLA_END_SEVERITY_CHANGE,
    .due = 1798812000, .elapsed = 3600, .state = SD_SLA_RUNNING,
    .calendar_id = "de-office", .calendar_version = 4, .provisional_year = 2027,
  };
  SdSlaPeriod open = closed;
  g_autofree char *version_text = NULL;
  g_autofree char *in_force_text = NULL;
  g_autofree char *note = sd_calendar_describe_provisional_year (2027);
  GtkWidget *child;
  guint found = 0;

  open.severity = 2;
  open.opened = open.start = closed.stop;
  open.stop = SD_TIME_NONE;
  open.ended_by = SD_SLA_END_NONE;
  open.calendar_version = 0;
  open.provisional_year = 0;
  g_array_append_val (periods, closed);
  g_array_append_val (periods, open);
  sd_sla_record_group_set_periods (group, periods, "Europe/Berlin");
  g_assert_cmpuint (sd_sla_record_group_get_n_rows (group), ==, 2);

  version_text = g_strdup_printf (_("Calendar %s, version %s"), "de-office", "4");
  in_force_text = g_strdup_printf (_("Calendar %s, version in force"), "de-office");
  /* Walk the rows: each names its calendar. */
  for (child = find_descendant (GTK_WIDGET (group), ADW_TYPE_ACTION_ROW); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *subtitle;

      if (!ADW_IS_ACTION_ROW (child))
        continue;
      subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (child));
      if (strstr (subtitle, version_text) != NULL)
        {
          g_assert_nonnull (strstr (subtitle, note));
          found |= 1;
        }
      if (strstr (subtitle, in_force_text) != NULL)
        found |= 2;
    }
  g_assert_cmpuint (found, ==, 3);
  g_object_unref (group);
}

static void
test_calendar_editor (void)
{
  g_autoptr(SdRestClient) client = sign_in_admin ();
  g_autoptr(GDateTime) wednesday = NULL;
  g_autofree char *case_id = create_case (client, &wednesday);
  gint64 before = case_due (client, case_id);
  AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (adw_preferences_window_new ());
  SdCalendarsPage *page = sd_calendars_page_new (client);
  gint64 version;

  /* No lunch break yet: six working hours from 09:00. */
  g_assert_cmpint (before - g_date_time_to_unix (wednesday), ==, 6 * 3600);

  gtk_window_set_title (GTK_WINDOW (window), _("Calendars"));
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 1000);
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (window));
  wait_for_drawn (GTK_WIDGET (page));
  g_assert_true (iterate_until (page_idle, page, UI_TIMEOUT_MS));
  g_assert_cmpuint (sd_calendars_page_get_n_calendars (page), >=, 13);

  sd_calendars_page_select (page, CALENDAR);
  g_assert_true (iterate_until (page_loaded, page, UI_TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sd_calendars_page_get_hours_row (page, G_DATE_MONDAY))),
                   ==, "09:00–18:00");

  /* A typo is refused as it is typed: Save stays insensitive. */
  gtk_editable_set_text (GTK_EDITABLE (sd_calendars_page_get_hours_row (page, G_DATE_MONDAY)), "09:00–12:00, 13:00");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (sd_calendars_page_get_hours_row (page, G_DATE_MONDAY)),
                                           "error"));
  g_assert_false (gtk_widget_get_sensitive (find_button (GTK_WIDGET (page), N_("_Save"))));

  /* The lunch break, Monday to Friday, saved. */
  for (GDateWeekday d = G_DATE_MONDAY; d <= G_DATE_FRIDAY; d++)
    gtk_editable_set_text (GTK_EDITABLE (sd_calendars_page_get_hours_row (page, d)), "09:00–12:00, 13:00–18:00");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (sd_calendars_page_get_hours_row (page, G_DATE_MONDAY)),
                                            "error"));
  version = sd_calendars_page_get_version (page);
  click_button (GTK_WIDGET (page), N_("_Save"));
  wait_for_new_version (page, version);

  /* On the server: the open S3 is due one hour later. */
  g_assert_cmpint (case_due (client, case_id), ==, before + 3600);

  /* An official file with a make-up Saturday (the one after the case). */
  {
    g_autoptr(GDateTime) saturday = g_date_time_add_days (wednesday, 3);
    g_autofree char *date = g_date_time_format (saturday, "%Y%m%d");
    g_autofree char *iso = g_date_time_format (saturday, "%Y-%m-%d");
    g_autofree char *ics = g_strdup_printf ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
                                            "BEGIN:VEVENT\r\nUID:makeup-%s@test\r\nDTSTAMP:20261101T000000Z\r\n"
                                            "DTSTART;VALUE=DATE:%s\r\nSUMMARY:上班（调休）\r\nEND:VEVENT\r\n"
                                            "END:VCALENDAR\r\n", date, date);
    g_autofree char *path = g_build_filename (dir, "official.ics", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(JsonNode) calendar = NULL;
    JsonArray *exceptions;
    gboolean found = FALSE;

    g_assert_true (g_file_set_contents (path, ics, -1, NULL));
    version = sd_calendars_page_get_version (page);
    sd_calendars_page_import_file (page, file);
    wait_for_new_version (page, version);

    /* On the server: that Saturday is a working day of the calendar now. */
    calendar = get (client, "/calendars/" CALENDAR);
    exceptions = json_object_get_array_member (json_node_get_object (calendar), "exceptions");
    for (guint i = 0; i < json_array_get_length (exceptions); i++)
      {
        JsonObject *day = json_array_get_object_element (exceptions, i);

        if (g_strcmp0 (json_object_get_string_member (day, "date"), iso) == 0)
          {
            g_assert_cmpstr (json_object_get_string_member (day, "kind"), ==, "working_day");
            found = TRUE;
          }
      }
    g_assert_true (found);
    /* The lunch break stayed: the import replaced the year's days only. */
    g_assert_cmpint (case_due (client, case_id), ==, before + 3600);
    wait_for_drawn (GTK_WIDGET (page));
  }

  /* The shot shows the hours, the days of the year and the holiday data. */
  {
    GtkWidget *monday = GTK_WIDGET (sd_calendars_page_get_hours_row (page, G_DATE_MONDAY));
    GtkWidget *scroller = gtk_widget_get_ancestor (monday, GTK_TYPE_SCROLLED_WINDOW);
    double x = 0, y = 0;

    g_assert_true (gtk_widget_translate_coordinates (monday, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)),
                                                     0, 0, &x, &y));
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)), y - 90);
    wait_for_drawn (GTK_WIDGET (page));
  }
  assert_unique_mnemonics (GTK_WIDGET (page));
  save_screenshot (GTK_WIDGET (window), "calendar-editor");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  ignore_focus_warnings ();
  sd_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under build-aux/headless.sh");
      return g_test_run ();
    }
  adw_init ();
  dir = g_dir_make_tmp ("supportdesk-calendars-XXXXXX", &error);
  g_assert_no_error (error);
  server = start_demo_server (dir, &server_url);

  g_test_add_func ("/calendar-editor/record-names-version", test_record_names_version);
  g_test_add_func ("/calendar-editor/lunch-break-and-import", test_calendar_editor);
  status = g_test_run ();
  if (server != NULL)
    g_subprocess_force_exit (server);
  return status;
}
