/* test-reports.c — the Reports view of the real window over a local store
 * the test fills, with the app's clock pinned: the daily report and Log as
 * Sent, the quarterly report's compliance against a hand computation, the
 * custom report's table and totals, PDF and CSV exports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "../pdf-test-util.h"
#include "sd-application.h"
#include "sd-clock.h"
#include "sd-daily-report-view.h"
#include "sd-reports-page.h"
#include "sd-window.h"
#include "ui-test-utils.h"

#define T0 "2026-08-20T02:00:00Z"   /* Thursday, 10:00 in Shanghai, 2026Q3 */

static SdApplication *app;
static SdAccount *account;
static gint64 t0;

static SdWindow *
main_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (SD_IS_WINDOW (window));
  return SD_WINDOW (window);
}

static SdReportsPage *
page (void)
{
  GtkWidget *widget = find_descendant (GTK_WIDGET (main_window ()), SD_TYPE_REPORTS_PAGE);

  g_assert_nonnull (widget);
  return SD_REPORTS_PAGE (widget);
}

static SdLocalStore *
store (void)
{
  return sd_account_get_store (account);
}

static gint64
t (const char *text)
{
  gint64 value = 0;

  g_assert_true (sd_time_parse_iso8601 (text, NULL, &value, NULL));
  return value;
}

/* ------------------------------------------------------------ the data */

static void
add_change (GString    *changes,
            const char *kind,
            const char *id,
            const char *entity)
{
  static int seq;

  if (changes->len > strlen ("{\"changes\":["))
    g_string_append_c (changes, ',');
  seq++;
  g_string_append_printf (changes, "{\"seq\":%d,\"kind\":\"%s\",\"id\":\"%s\",\"version\":1,"
                          "\"deleted\":false,\"entity\":%s}", seq, kind, id, entity);
}

static void
add_case (GString    *changes,
          int         n,
          const char *customer,
          const char *title,
          int         severity,
          const char *status,
          gint64      reported,
          gint64      responded)
{
  g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012d", n);
  g_autofree char *reported_at = sd_time_format_iso8601 (reported, NULL);
  g_autofree char *responded_iso = sd_time_format_iso8601 (responded, NULL);
  g_autofree char *resolved_iso = sd_time_format_iso8601 (reported + 86400, NULL);
  g_autofree char *responded_at = responded ? g_strdup_printf ("\"%s\"", responded_iso) : g_strdup ("null");
  g_autofree char *resolved_at = g_str_equal (status, "resolved") ? g_strdup_printf ("\"%s\"", resolved_iso)
                                                                   : g_strdup ("null");
  g_autofree char *entity = NULL;

  entity = g_strdup_printf ("{\"id\":\"%s\",\"number\":\"SD-2026-%05d\",\"customer_id\":\"%s\",\"title\":\"%s\","
                            "\"description\":\"Reported by the customer.\",\"type\":\"incident\","
                            "\"severity\":%d,\"status\":\"%s\",\"reported_at\":\"%s\",\"reported_via\":\"phone\","
                            "\"assignee_id\":\"user-li-na\",\"responded_at\":%s,\"resolved_at\":%s,"
                            "\"details\":null,\"version\":1}",
                            id, 200 + n, customer, title, severity, status, reported_at, responded_at, resolved_at);
  add_change (changes, "case", id, entity);
}

/* The hand computation, 2026Q3 of cust-pujiang (MSA Enterprise: S1 30 min,
 * S2 4 h, both 24×7) at T0:
 *   #1 S1 open, reported 10 min ago, no response: pending
 *   #2 S1 responded after 20 min: met
 *   #3 S1 responded after 45 min: missed
 *   #4 S2 responded after 1 h: met
 * → 2 met, 1 missed: compliance 2 / 3 = 66.7 %. cust-rhein has one open
 * S1 case (#5), reported in English. */
static void
fill_store (void)
{
  g_autoptr(GString) changes = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  add_change (changes, "user", "user-li-na",
              "{\"id\":\"user-li-na\",\"display_name\":\"李娜 Li Na\",\"login\":\"li.na\",\"role\":\"tam\","
              "\"out_of_office_until\":null,\"email\":null,\"version\":1}");
  add_change (changes, "customer", "cust-pujiang",
              "{\"id\":\"cust-pujiang\",\"name\":\"上海浦江银行\",\"tier\":\"msa_enterprise\","
              "\"time_zone\":\"Asia/Shanghai\",\"calendar_id\":\"cn-mainland\",\"tam_id\":\"user-li-na\","
              "\"duty_manager_ids\":[],\"health_check_entitled\":true,\"report_language\":\"zh_CN\","
              "\"contract_start\":\"2025-06-01\",\"contract_end\":\"2027-05-31\",\"version\":1}");
  add_change (changes, "customer", "cust-rhein",
              "{\"id\":\"cust-rhein\",\"name\":\"Rheinmetall Logistik GmbH\",\"tier\":\"msa_enterprise\","
              "\"time_zone\":\"Europe/Berlin\",\"calendar_id\":\"utc-office\",\"tam_id\":\"user-li-na\","
              "\"duty_manager_ids\":[],\"health_check_entitled\":false,\"report_language\":\"en\","
              "\"contract_start\":\"2025-01-01\",\"contract_end\":\"2026-12-31\",\"version\":1}");
  add_case (changes, 1, "cust-pujiang", "Core banking endpoints lose protection", 1, "new", t0 - 600, 0);
  add_case (changes, 2, "cust-pujiang", "Console crash", 1, "resolved",
            t ("2026-07-10T02:00:00Z"), t ("2026-07-10T02:20:00Z"));
  add_case (changes, 3, "cust-pujiang", "Update server unreachable", 1, "resolved",
            t ("2026-07-20T02:00:00Z"), t ("2026-07-20T02:45:00Z"));
  add_case (changes, 4, "cust-pujiang", "Slow policy sync", 2, "resolved",
            t ("2026-08-03T02:00:00Z"), t ("2026-08-03T03:00:00Z"));
  add_case (changes, 5, "cust-rhein", "Mail gateway crash", 1, "in_progress", t0 - 2 * 3600, t0 - 6600);
  g_string_append (changes, "],\"next\":100,\"has_more\":false}");

  node = sd_json_parse (changes->str, -1, &error);
  g_assert_no_error (error);
  sd_local_store_apply_changes (store (), node, &error);
  g_assert_no_error (error);
}

/* -------------------------------------------------------------- helpers */

static gboolean
page_loaded (gpointer data)
{
  return sd_reports_page_is_loaded (page ());
}

/* A change of the report's settings starts computing it at once: wait
 * for the result, and for it to be drawn. */
static void
wait_for_reports (void)
{
  g_assert_true (iterate_until (page_loaded, NULL, UI_TIMEOUT_MS));
  wait_for_drawn (GTK_WIDGET (page ()));
}

static void
show_reports (SdReportKind kind)
{
  AdwViewStack *stack = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (main_window ()), ADW_TYPE_VIEW_STACK));

  adw_view_stack_set_visible_child_name (stack, "reports");
  sd_reports_page_show (page (), kind);
  wait_for_drawn (GTK_WIDGET (page ()));
}

static guint
pending_ops (void)
{
  guint pending = 0, conflicts = 0, attention = 0;

  g_assert_true (sd_local_store_get_counts (store (), &pending, &conflicts, &attention, NULL));
  return pending;
}

static const char *
label_text (GtkWidget *widget)
{
  return gtk_label_get_text (GTK_LABEL (widget));
}

static guint32
julian (int year, int month, int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return g_date_get_julian (&date);
}

/* ---------------------------------------------------------------- tests */

static void
test_daily (void)
{
  const SdDailyReport *daily;
  SdDailyReportItem *zh = NULL, *en = NULL;
  g_autoptr(SignalWatch) changed = NULL;
  guint groups = 0;
  guint before;

  show_reports (SD_REPORT_KIND_DAILY);
  daily = sd_reports_page_get_daily (page ());
  g_assert_nonnull (daily);
  g_assert_cmpuint (daily->items->len, ==, 2);
  for (guint i = 0; i < daily->items->len; i++)
    {
      SdDailyReportItem *item = daily->items->pdata[i];

      if (g_str_equal (sd_customer_get_id (item->customer), "cust-pujiang"))
        zh = item;
      else
        en = item;
    }
  g_assert_nonnull (zh);
  g_assert_nonnull (en);
  /* The customer's language, whatever the app's. */
  g_assert_cmpint (zh->language, ==, SD_REPORT_LANGUAGE_ZH_CN);
  g_assert_nonnull (strstr (zh->subject, "SD-2026-00201"));
  g_assert_nonnull (strstr (zh->body, "当前状态"));
  g_assert_cmpint (en->language, ==, SD_REPORT_LANGUAGE_EN);
  g_assert_nonnull (strstr (en->body, "Current status: In progress"));
  g_assert_true (g_str_has_prefix (zh->mailto, "mailto:?subject="));
  for (GtkWidget *child = gtk_widget_get_first_child (sd_reports_page_get_daily_list (page ()));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    groups++;
  g_assert_cmpuint (groups, ==, 2);
  save_screenshot (GTK_WIDGET (main_window ()), "reports-daily");
  assert_unique_mnemonics (GTK_WIDGET (main_window ()));

  /* The TAM may edit the text before sending; in a local workspace the
   * Send button is off, and its tooltip says why. */
  {
    GtkWidget *list = sd_reports_page_get_daily_list (page ());
    SdDailyReportView *daily_view = SD_DAILY_REPORT_VIEW (gtk_widget_get_ancestor (list, SD_TYPE_DAILY_REPORT_VIEW));
    GtkWidget *text = sd_daily_report_view_get_body_view (daily_view, 0);
    GtkTextBuffer *buffer;
    GtkTextIter end;
    GtkWidget *send = find_descendant (list, GTK_TYPE_BUTTON);
    g_autofree char *subject = NULL;
    g_autofree char *body = NULL;
    SdDailyReportItem *first = daily->items->pdata[0];

    g_assert_nonnull (text);
    g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (text)));
    g_assert_true (gtk_widget_get_focusable (text));
    buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text));
    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_insert (buffer, &end, "PS: 已安排工程师明早到现场 / an engineer is on site tomorrow.\n", -1);
    g_assert_true (sd_daily_report_view_get_edited (daily_view, 0, &subject, &body));
    g_assert_cmpstr (subject, ==, first->subject);
    g_assert_true (g_str_has_prefix (body, first->body));
    g_assert_nonnull (strstr (body, "an engineer is on site tomorrow"));

    while (send != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (send)), _("Send")) != 0)
      send = gtk_widget_get_next_sibling (send);
    g_assert_nonnull (send);
    g_assert_false (gtk_widget_get_sensitive (send));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (send), ==,
                     _("Sending needs a server: this workspace is local. Copy the report or open it in the mail client."));
    g_assert_true (gtk_widget_grab_focus (text));
    wait_for_drawn (GTK_WIDGET (main_window ()));
    save_screenshot (GTK_WIDGET (main_window ()), "reports-daily-edit");
  }

  /* Copy puts the subject and the text on the clipboard. */
  gtk_widget_activate_action (GTK_WIDGET (page ()), "reports.copy", "u", 0);

  /* Log as Sent queues a daily_report_sent event in the outbox; the store
   * changes and the report is read again. */
  before = pending_ops ();
  changed = watch_signal (store (), "changed");
  gtk_widget_activate_action (GTK_WIDGET (page ()), "reports.log-sent", "u",
                              zh == daily->items->pdata[0] ? 0 : 1);
  /* The page reads the store again when it says it changed. */
  wait_for_signal (changed);
  g_assert_cmpuint (pending_ops (), ==, before + 1);
  {
    g_autoptr(GPtrArray) outbox = NULL;
    g_autoptr(GError) error = NULL;
    SdOutboxEntry *last;
    g_autofree char *payload = NULL;

    outbox = sd_local_store_list_outbox (store (), SD_OUTBOX_STATE_PENDING, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (outbox->len, >, 0);
    last = outbox->pdata[outbox->len - 1];
    g_assert_cmpint (last->op, ==, SD_OUTBOX_OP_APPEND_EVENT);
    g_assert_cmpstr (last->kind, ==, "case_event");
    payload = sd_json_to_string (last->payload, FALSE);
    g_assert_nonnull (strstr (payload, "daily_report_sent"));
  }
  wait_for_reports ();
  daily = sd_reports_page_get_daily (page ());
  for (guint i = 0; i < daily->items->len; i++)
    {
      SdDailyReportItem *item = daily->items->pdata[i];

      if (g_str_equal (sd_customer_get_id (item->customer), "cust-pujiang"))
        g_assert_cmpint (item->since, ==, t0);   /* the clock restarted */
    }
}

static gboolean
focus_inside (gpointer widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gboolean
focus_outside (gpointer widget)
{
  return !focus_inside (widget);
}

static gboolean
in_chinese (void)
{
  return g_str_has_prefix (g_get_language_names ()[0], "zh");
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static void
test_quarterly (void)
{
  const SdQuarterlyReport *report;
  g_autofree char *expected = NULL;

  show_reports (SD_REPORT_KIND_QUARTERLY);
  g_assert_true (sd_reports_page_select_quarter (page (), "cust-pujiang", 2026, 3));
  wait_for_reports ();
  report = sd_reports_page_get_quarterly (page ());
  g_assert_nonnull (report);
  g_assert_cmpstr (report->customer_id, ==, "cust-pujiang");
  g_assert_cmpuint (report->compliance_total.met, ==, 2);
  g_assert_cmpuint (report->compliance_total.missed, ==, 1);
  g_assert_cmpuint (report->compliance_total.pending, ==, 1);
  g_assert_cmpfloat_with_epsilon (report->compliance_total.percent, 200.0 / 3, 1e-9);
  expected = g_strdup_printf ("%.1f", 200.0 / 3);   /* in the locale's notation */
  g_assert_nonnull (strstr (label_text (sd_reports_page_get_compliance_label (page ())), expected));
  g_assert_cmpuint (report->breaches->len, ==, 1);
  save_screenshot (GTK_WIDGET (main_window ()), "reports-quarterly");
  assert_unique_mnemonics (GTK_WIDGET (main_window ()));
  /* The count of resolved cases is headed "resolved", not "resolution
   * time" (one msgid had both meanings). */
  if (in_chinese ())
    {
      g_assert_true (shows_text (GTK_WIDGET (page ()), "已解决"));
      g_assert_false (shows_text (GTK_WIDGET (page ()), "解决时间"));
    }
  save_screenshot (sd_reports_page_get_compliance_chart (page ()), "reports-chart");
}

static guint
n_rows (void)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (sd_reports_page_get_custom_table (page ()))));
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_custom (void)
{
  const SdCustomReport *report;
  GtkWidget *s1 = NULL;

  show_reports (SD_REPORT_KIND_CUSTOM);
  sd_reports_page_set_custom_period (page (), julian (2026, 7, 1), julian (2026, 8, 31));
  wait_for_reports ();
  report = sd_reports_page_get_custom (page ());
  g_assert_cmpuint (report->total, ==, 5);
  g_assert_cmpuint (n_rows (), ==, 5);
  g_assert_cmpuint (report->by_severity[0], ==, 4);
  g_assert_cmpuint (report->open, ==, 2);
  g_assert_cmpuint (report->resolved, ==, 3);
  g_assert_nonnull (strstr (label_text (sd_reports_page_get_custom_totals (page ())), "S1 4"));

  /* Only severity 1. */
  s1 = find_toggle (GTK_WIDGET (page ()), "S1");
  g_assert_nonnull (s1);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (s1)), ==, "S1");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (s1), TRUE);
  wait_for_reports ();
  report = sd_reports_page_get_custom (page ());
  g_assert_cmpuint (report->total, ==, 4);
  g_assert_cmpuint (n_rows (), ==, 4);
  g_assert_nonnull (strstr (label_text (sd_reports_page_get_custom_totals (page ())), "S2 0"));

  /* Sorted by severity, then back. */
  {
    GtkColumnView *table = sd_reports_page_get_custom_table (page ());
    GListModel *columns = gtk_column_view_get_columns (table);
    g_autoptr(GtkColumnViewColumn) title = g_list_model_get_item (columns, 2);

    gtk_column_view_sort_by_column (table, title, GTK_SORT_ASCENDING);
    g_assert_cmpuint (n_rows (), ==, 4);
  }
  save_screenshot (GTK_WIDGET (main_window ()), "reports-custom");
  assert_unique_mnemonics (GTK_WIDGET (main_window ()));
  /* The table is one Tab stop: Tab leaves it from any row. */
  {
    GtkWidget *table = GTK_WIDGET (sd_reports_page_get_custom_table (page ()));

    g_assert_true (gtk_widget_grab_focus (table));
    g_assert_true (focus_inside (table));
    type_key (table, GDK_KEY_Down, 0);
    type_key (table, GDK_KEY_Tab, 0);
    g_assert_true (iterate_until (focus_outside, table, UI_TIMEOUT_MS));
  }
  /* The Reported column shows a time: it says so. */
  if (in_chinese ())
    {
      GListModel *columns = gtk_column_view_get_columns (sd_reports_page_get_custom_table (page ()));
      gboolean found = FALSE;

      for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

          g_assert_cmpstr (gtk_column_view_column_get_title (column), !=, "报告方式与时间");
          found |= g_strcmp0 (gtk_column_view_column_get_title (column), "报告时间") == 0;
        }
      g_assert_true (found);
    }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (s1), FALSE);
  wait_for_reports ();
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_reports_page_export_finish (SD_REPORTS_PAGE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static char *
export (SdReportKind  kind,
        const char   *format,
        const char   *dir)
{
  g_autofree char *name = g_strdup_printf ("report-%d.%s", kind, format);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean done = FALSE;

  sd_reports_page_export_async (page (), kind, format, file, NULL, exported_cb, &done);
  g_assert_true (iterate_until (is_true, &done, UI_TIMEOUT_MS));
  return path;
}

static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-reports-XXXXXX", NULL);
  g_autofree char *pdf = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *custom_csv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (sd_reports_page_select_quarter (page (), "cust-pujiang", 2026, 3));
  wait_for_reports ();
  pdf = export (SD_REPORT_KIND_QUARTERLY, "pdf", dir);
  csv = export (SD_REPORT_KIND_QUARTERLY, "csv", dir);
  custom_csv = export (SD_REPORT_KIND_CUSTOM, "csv", dir);

  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (contents, "上海浦江银行"));
  g_assert_nonnull (strstr (contents, "66.7"));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (custom_csv, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Rheinmetall Logistik GmbH"));

  if ((text = pdf_text (pdf, 0)) != NULL)
    {
      assert_contains (text, "上海浦江银行");
      assert_contains (text, "66.7%");
      assert_contains (text, "季度报告");
    }
  g_remove (pdf);
  g_remove (csv);
  g_remove (custom_csv);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  int ret;

  /* A workspace of its own, whatever ran before in this session. */
  data_home = g_dir_make_tmp ("supportdesk-reports-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  ignore_focus_warnings ();
  sd_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under Xvfb (see .ci/run)");
      return g_test_run ();
    }
  if (sd_account_has_local ())
    {
      g_test_skip ("a local workspace exists already: run with fresh XDG directories (build-aux/headless.sh)");
      return g_test_run ();
    }

  g_assert_true (sd_time_parse_iso8601 (T0, NULL, &t0, NULL));
  sd_clock_set_now (sd_clock_get_default (), t0);

  app = start_app ();
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 900);

  account = sd_account_new_local (&error);
  g_assert_no_error (error);
  fill_store ();
  sd_application_set_account (app, account);
  /* The view reads the store once it is shown. */
  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.show-view", "s", "reports");
  wait_for_reports ();

  g_test_add_func ("/reports/daily", test_daily);
  g_test_add_func ("/reports/quarterly", test_quarterly);
  g_test_add_func ("/reports/custom", test_custom);
  g_test_add_func ("/reports/export", test_export);
  ret = g_test_run ();

  sd_application_set_account (app, NULL);
  g_clear_object (&account);
  g_object_unref (app);
  {
    const char *rm[] = { "rm", "-rf", data_home, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return ret;
}
