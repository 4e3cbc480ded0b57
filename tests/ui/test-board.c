/* test-board.c — the case board, the case view and the new-case dialog
 * of the real window, over a local store the test fills, with the app's
 * clock pinned so that SLA thresholds are crossed on purpose
 *
 * Desktop notifications are received by a stand-in for the shell's
 * org.gtk.Notifications service on the test's private session bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-application.h"
#include "sd-board.h"
#include "sd-case-card.h"
#include "sd-case-view.h"
#include "sd-sla-record-group.h"
#include "sd-clock.h"
#include "sd-new-case-dialog.h"
#include "sd-sla-text.h"
#include "sd-window.h"
#include "ui-test-utils.h"

#define T0 "2026-11-26T02:00:00Z"   /* Thursday, 10:00 in Shanghai */

static SdApplication *app;
static SdAccount *account;
static gint64 t0;
static GPtrArray *notifications;    /* titles received */
static GPtrArray *alerts;           /* "case-id:alert" from the board */
static char *created_id;

static gboolean
is_chinese (void)
{
  const char *lang = g_getenv ("LANGUAGE");

  return lang != NULL && g_str_has_prefix (lang, "zh");
}

static SdWindow *
main_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (SD_IS_WINDOW (window));
  return SD_WINDOW (window);
}

static SdBoard *
board (void)
{
  return sd_window_get_board (main_window ());
}

static SdLocalStore *
store (void)
{
  return sd_account_get_store (account);
}

/* ------------------------------------------------------------ the data */

static char *
iso (gint64 unix_time)
{
  return sd_time_format_iso8601 (unix_time, NULL);
}

static void
add_change (GString    *page,
            const char *kind,
            const char *id,
            const char *entity)
{
  static int seq;

  if (page->len > strlen ("{\"changes\":["))
    g_string_append_c (page, ',');
  seq++;
  g_string_append_printf (page, "{\"seq\":%d,\"kind\":\"%s\",\"id\":\"%s\",\"version\":1,"
                          "\"deleted\":false,\"entity\":%s}", seq, kind, id, entity);
}

static void
add_case (GString    *page,
          const char *id,
          const char *number,
          const char *customer,
          const char *title,
          const char *type,
          int         severity,
          const char *status,
          gint64      reported,
          gint64      responded)
{
  g_autofree char *reported_at = iso (reported);
  g_autofree char *responded_iso = responded ? iso (responded) : NULL;
  g_autofree char *resolved_iso = iso (t0 - 600);
  g_autofree char *responded_at = responded ? g_strdup_printf ("\"%s\"", responded_iso) : g_strdup ("null");
  g_autofree char *resolved_at = g_str_equal (status, "resolved") ? g_strdup_printf ("\"%s\"", resolved_iso)
                                                                   : g_strdup ("null");
  const char *details = "null";
  g_autofree char *entity = NULL;

  if (g_str_equal (type, "signature_change"))
    details = "{\"requested_change\":\"remove_false_positive\",\"hash\":\"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\","
              "\"detection_name\":\"HEUR:Trojan.Win32.Generic\"}";
  else if (g_str_equal (type, "private_patch"))
    details = "{\"product\":\"Endpoint Security\",\"product_version\":\"12.3\",\"lifecycle_stage\":\"full_support\","
              "\"problem\":\"Agent service stops after sleep\"}";
  entity = g_strdup_printf ("{\"id\":\"%s\",\"number\":\"%s\",\"customer_id\":\"%s\",\"title\":\"%s\","
                            "\"description\":\"Reported by the customer's security team.\",\"type\":\"%s\","
                            "\"severity\":%d,\"status\":\"%s\",\"reported_at\":\"%s\",\"reported_via\":\"portal\","
                            "\"assignee_id\":\"user-li-na\",\"responded_at\":%s,\"resolved_at\":%s,"
                            "\"details\":%s,\"version\":1}",
                            id, number, customer, title, type, severity, status, reported_at,
                            responded_at, resolved_at, details);
  add_change (page, "case", id, entity);
}

static void
fill_store (void)
{
  g_autoptr(GString) page = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *event_at = iso (t0 - 115 * 60);
  g_autofree char *event = NULL;
  g_autofree char *comment = NULL;

  add_change (page, "user", "user-li-na",
              "{\"id\":\"user-li-na\",\"display_name\":\"李娜 Li Na\",\"login\":\"li.na\",\"role\":\"tam\","
              "\"out_of_office_until\":null,\"email\":null,\"version\":1}");
  add_change (page, "user", "user-anna",
              "{\"id\":\"user-anna\",\"display_name\":\"Anna Schmidt\",\"login\":\"anna.schmidt\",\"role\":\"tam\","
              "\"out_of_office_until\":\"2026-12-04T17:00:00Z\",\"email\":null,\"version\":1}");
  add_change (page, "user", "user-wang",
              "{\"id\":\"user-wang\",\"display_name\":\"王强 Wang Qiang\",\"login\":\"wang.qiang\","
              "\"role\":\"duty_manager\",\"out_of_office_until\":null,\"email\":null,\"version\":1}");
  /* The bank's contract pauses the clock while waiting for the customer,
   * also before the first response (SD-2026-00104 shows "Paused"). */
  add_change (page, "sla_policy", "msa_enterprise",
              "{\"tier\":\"msa_enterprise\",\"targets\":["
              "{\"severity\":1,\"minutes\":30,\"clock\":\"24x7\"},{\"severity\":2,\"minutes\":240,\"clock\":\"24x7\"},"
              "{\"severity\":3,\"minutes\":360,\"clock\":\"business\"},{\"severity\":4,\"minutes\":480,\"clock\":\"business\"}],"
              "\"pausing_statuses\":[\"waiting_customer\"],\"pause_before_response\":true}");
  add_change (page, "customer", "cust-pujiang",
              "{\"id\":\"cust-pujiang\",\"name\":\"上海浦江银行\",\"tier\":\"msa_enterprise\","
              "\"time_zone\":\"Asia/Shanghai\",\"calendar_id\":\"cn-mainland\",\"tam_id\":\"user-li-na\","
              "\"duty_manager_ids\":[\"user-wang\"],\"health_check_entitled\":true,"
              "\"contract_start\":\"2025-06-01\",\"contract_end\":\"2027-05-31\",\"version\":1}");
  add_change (page, "customer", "cust-rhein",
              "{\"id\":\"cust-rhein\",\"name\":\"Rheinmetall Logistik GmbH\",\"tier\":\"standard\","
              "\"time_zone\":\"Europe/Berlin\",\"calendar_id\":\"de-office\",\"tam_id\":\"user-anna\","
              "\"duty_manager_ids\":[\"user-wang\"],\"health_check_entitled\":false,"
              "\"contract_start\":\"2025-01-01\",\"contract_end\":\"2026-12-31\",\"version\":1}");
  add_case (page, "00000000-0000-4000-8000-000000000001", "SD-2026-00101", "cust-pujiang",
            "Core banking endpoints lose protection after update", "incident", 1, "new", t0 - 600, 0);
  add_case (page, "00000000-0000-4000-8000-000000000002", "SD-2026-00102", "cust-pujiang",
            "Management console slow to load policies", "incident", 2, "in_progress", t0 - 3 * 3600 - 50 * 60, 0);
  add_case (page, "00000000-0000-4000-8000-000000000003", "SD-2026-00103", "cust-pujiang",
            "False positive on the clearing gateway", "signature_change", 3, "new", t0 - 3600, 0);
  add_case (page, "00000000-0000-4000-8000-000000000004", "SD-2026-00104", "cust-pujiang",
            "Agents cannot reach the update server", "incident", 1, "waiting_customer", t0 - 2 * 3600, 0);
  add_case (page, "00000000-0000-4000-8000-000000000005", "SD-2026-00105", "cust-rhein",
            "Patch for the sleep problem of the agent", "private_patch", 4, "in_progress", t0 - 6 * 86400, 0);
  add_case (page, "00000000-0000-4000-8000-000000000006", "SD-2026-00106", "cust-rhein",
            "Licence count wrong after renewal", "service_request", 3, "resolved", t0 - 86400, t0 - 80000);
  add_case (page, "00000000-0000-4000-8000-000000000007", "SD-2026-00107", "cust-rhein",
            "Quarantine report export fails", "incident", 3, "new", t0 - 2 * 3600, 0);
  {
    g_autofree char *reported = iso (t0 - 40 * 60);
    g_autofree char *entity = g_strdup_printf (
      "{\"id\":\"00000000-0000-4000-8000-000000000008\",\"number\":\"SD-2026-00108\","
      "\"customer_id\":\"cust-pujiang\",\"title\":\"Urgent database for a new ransomware family\","
      "\"type\":\"database_release\",\"severity\":2,\"status\":\"in_progress\",\"reported_at\":\"%s\","
      "\"reported_via\":\"hotline\",\"assignee_id\":\"user-li-na\",\"responded_at\":null,\"resolved_at\":null,"
      "\"details\":{\"reason\":\"Ransomware spreading in the branch network\",\"urgency\":\"critical\"},"
      "\"version\":1}", reported);

    add_change (page, "case", "00000000-0000-4000-8000-000000000008", entity);
  }
  event = g_strdup_printf ("{\"id\":\"10000000-0000-4000-8000-000000000001\",\"case_id\":"
                           "\"00000000-0000-4000-8000-000000000004\",\"kind\":\"status_change\","
                           "\"author_id\":\"user-li-na\",\"at\":\"%s\",\"body\":\"Waiting for the logs\","
                           "\"data\":{\"from\":\"in_progress\",\"to\":\"waiting_customer\"}}", event_at);
  add_change (page, "case_event", "10000000-0000-4000-8000-000000000001", event);
  comment = g_strdup_printf ("{\"id\":\"10000000-0000-4000-8000-000000000002\",\"case_id\":"
                             "\"00000000-0000-4000-8000-000000000004\",\"kind\":\"comment\","
                             "\"author_id\":\"user-li-na\",\"at\":\"%s\",\"body\":\"Asked for the agent logs of the branch office.\","
                             "\"data\":null}", event_at);
  add_change (page, "case_event", "10000000-0000-4000-8000-000000000002", comment);
  g_string_append (page, "],\"next\":100,\"has_more\":false}");

  node = sd_json_parse (page->str, -1, &error);
  g_assert_no_error (error);
  sd_local_store_apply_changes (store (), node, &error);
  g_assert_no_error (error);
}

/* -------------------------------------------------------------- helpers */

static gboolean
board_loaded (gpointer data)
{
  return sd_board_is_loaded (board ());
}

/* The board has its data and has laid out and drawn its cards. */
static void
wait_for_board (void)
{
  g_assert_true (iterate_until (board_loaded, NULL, UI_TIMEOUT_MS));
  wait_for_drawn (GTK_WIDGET (board ()));
}

/* After a write to the store: the store says it changed (from an idle),
 * the board reloads (after a short delay) and says "loaded". */
static void
wait_for_reload (SignalWatch *loaded)
{
  wait_for_signal (loaded);
  wait_for_board ();
}

typedef struct {
  SdCaseStatus status;
  guint        count;
} ColumnCount;

static gboolean
column_has (gpointer data)
{
  ColumnCount *expected = data;

  return sd_board_get_column_count (board (), expected->status) == expected->count;
}

static void
wait_for_column (SdCaseStatus status,
                 guint        count)
{
  ColumnCount expected = { status, count };

  g_assert_true (iterate_until (column_has, &expected, UI_TIMEOUT_MS));
}

/* The remaining response time of case @id as the board last computed it. */
static gint64
remaining_of (const char *id)
{
  return sd_board_case_get_sla (sd_board_lookup (board (), id))->response.remaining;
}

/* The card of case @id on screen, or NULL. */
static SdCaseCard *
find_card (GtkWidget  *widget,
           const char *id)
{
  if (SD_IS_CASE_CARD (widget))
    {
      SdBoardCase *row = sd_case_card_get_case (SD_CASE_CARD (widget));

      return row && g_str_equal (sd_board_case_get_id (row), id) ? SD_CASE_CARD (widget) : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      SdCaseCard *card = find_card (child, id);

      if (card != NULL)
        return card;
    }
  return NULL;
}

static const char *
chip_of (const char *id)
{
  SdCaseCard *card = find_card (GTK_WIDGET (board ()), id);

  g_assert_nonnull (card);
  return sd_case_card_get_chip_text (card);
}

static guint
pending_ops (void)
{
  guint pending = 0, conflicts = 0, attention = 0;

  g_assert_true (sd_local_store_get_counts (store (), &pending, &conflicts, &attention, NULL));
  return pending;
}

static void
alert_cb (SdBoard     *b,
          SdBoardCase *row,
          int          alert)
{
  g_ptr_array_add (alerts, g_strdup_printf ("%s:%d", sd_board_case_get_id (row), alert));
}

static gboolean
has_alert (const char *id,
           int         alert)
{
  g_autofree char *key = g_strdup_printf ("%s:%d", id, alert);

  for (guint i = 0; i < alerts->len; i++)
    if (g_str_equal (alerts->pdata[i], key))
      return TRUE;
  return FALSE;
}

static gboolean
has_notification_containing (gpointer text)
{
  for (guint i = 0; i < notifications->len; i++)
    if (notifications->pdata[i] && strstr (notifications->pdata[i], text))
      return TRUE;
  return FALSE;
}

/* ---------------------------------------------------------------- tests */

static void
test_board_columns (void)
{
  SdBoard *b = board ();

  /* New: the S1 of the enterprise customer first, then by time left. */
  g_assert_cmpuint (sd_board_get_column_count (b, SD_CASE_STATUS_NEW), ==, 3);
  g_assert_cmpuint (sd_board_get_column_count (b, SD_CASE_STATUS_IN_PROGRESS), ==, 3);
  g_assert_cmpuint (sd_board_get_column_count (b, SD_CASE_STATUS_WAITING_CUSTOMER), ==, 1);
  g_assert_cmpuint (sd_board_get_column_count (b, SD_CASE_STATUS_RESOLVED), ==, 1);
  {
    GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (sd_board_get_column_view (b, SD_CASE_STATUS_NEW)));
    g_autoptr(SdBoardCase) first = g_list_model_get_item (model, 0);
    g_autoptr(SdBoardCase) last = g_list_model_get_item (model, 2);

    g_assert_cmpstr (sd_board_case_get_number (first), ==, "SD-2026-00101");
    /* The standard customer's case comes after the enterprise ones. */
    g_assert_cmpstr (sd_board_case_get_number (last), ==, "SD-2026-00107");
  }

  /* Chips in words: 20 minutes left; 10 of 240 minutes is at risk; a
   * waiting case is paused; a responded one met. */
  if (!is_chinese ())
    {
      g_assert_cmpstr (chip_of ("00000000-0000-4000-8000-000000000001"), ==, "20 min left");
      g_assert_cmpstr (chip_of ("00000000-0000-4000-8000-000000000002"), ==, "At risk · 10 min left");
      g_assert_true (g_str_has_prefix (chip_of ("00000000-0000-4000-8000-000000000004"), "Paused"));
      g_assert_true (g_str_has_prefix (chip_of ("00000000-0000-4000-8000-000000000005"), "Breached"));
      g_assert_cmpstr (sd_board_get_column_summary (b, SD_CASE_STATUS_IN_PROGRESS), ==, "1 at risk · 1 breached");
      /* A database release's S2, 40 of its 240 minutes gone. */
      g_assert_cmpstr (chip_of ("00000000-0000-4000-8000-000000000008"), ==, "3 h 20 min left");
    }
  else
    {
      g_assert_nonnull (strstr (chip_of ("00000000-0000-4000-8000-000000000001"), "20"));
      g_assert_nonnull (strstr (chip_of ("00000000-0000-4000-8000-000000000002"), "有风险"));
    }
  /* The absent TAM's customer shows who covers. */
  g_assert_cmpstr (sd_board_case_get_cover_name (sd_board_lookup (b, "00000000-0000-4000-8000-000000000007")),
                   ==, "王强 Wang Qiang");
  save_screenshot (GTK_WIDGET (main_window ()), "board");
}

static void
created_cb (SdNewCaseDialog *dialog,
            const char      *id)
{
  g_free (created_id);
  created_id = g_strdup (id);
}

static gboolean
created_on_board (gpointer data)
{
  return created_id != NULL && sd_board_lookup (board (), created_id) != NULL && sd_board_is_loaded (board ());
}

/* The first label inside @widget that shows @text. */
static GtkWidget *
find_label_widget (GtkWidget  *widget,
                   const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_widget (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
focus_left (gpointer widget)
{
  return !gtk_widget_has_focus (widget);
}

static void
collect_cards (GtkWidget *widget,
               GPtrArray *cards)
{
  if (SD_IS_CASE_CARD (widget))
    g_ptr_array_add (cards, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_cards (child, cards);
}

static GtkWidget *
find_with_class (GtkWidget  *widget,
                 const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect_action_buttons (GtkWidget  *widget,
                        const char *action,
                        GPtrArray  *buttons)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    g_ptr_array_add (buttons, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_action_buttons (child, action, buttons);
}

typedef struct {
  GtkWidget  *view;
  const char *id;   /* the case whose card has the focus, or NULL for any */
} FocusIn;

static gboolean
focus_in (gpointer data)
{
  FocusIn *where = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (main_window ()));
  GtkWidget *card = focus ? gtk_widget_get_first_child (focus) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, where->view))
    return FALSE;
  return where->id == NULL
         || (SD_IS_CASE_CARD (card) && sd_case_card_get_case (SD_CASE_CARD (card)) != NULL
             && g_str_equal (sd_board_case_get_id (sd_case_card_get_case (SD_CASE_CARD (card))), where->id));
}

/* What a screen reader and a low-vision user get from the board. */
static void
test_board_accessibility (void)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new ();
  GtkWidget *sync = find_action_button (GTK_WIDGET (main_window ()), "app.sign-in");
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *customer;
  g_autofree char *missing = NULL;
  double light, dark;

  /* Every row of the list is named as its card. */
  collect_cards (GTK_WIDGET (sd_board_get_column_view (board (), SD_CASE_STATUS_NEW)), cards);
  g_assert_cmpuint (cards->len, ==, 3);
  for (guint i = 0; i < cards->len; i++)
    {
      GtkWidget *row = gtk_widget_get_parent (cards->pdata[i]);

      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row)), ==, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (cards->pdata[i]), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL));
    }

  /* The sync button is named by what it shows. */
  g_assert_nonnull (sync);
  missing = gtk_test_accessible_check_property (GTK_ACCESSIBLE (sync), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                g_dgettext (GETTEXT_PACKAGE, "Local Only"));
  g_assert_null (missing);

  /* The customer's name on a card: at least 4.5:1, light and dark. */
  customer = find_with_class (cards->pdata[0], "case-customer");
  g_assert_nonnull (customer);
  light = text_contrast (customer);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  dark = text_contrast (customer);
  save_screenshot (GTK_WIDGET (main_window ()), "board-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  g_test_message ("customer name contrast: %.2f:1 light, %.2f:1 dark", light, dark);
  g_assert_cmpfloat (light, >=, 4.5);
  g_assert_cmpfloat (dark, >=, 4.5);

  /* Each column is one Tab stop: Tab goes on to the next column's list,
   * Shift+Tab back; the arrows move from card to card inside. */
  {
    GtkWidget *new_view = GTK_WIDGET (sd_board_get_column_view (board (), SD_CASE_STATUS_NEW));
    GtkWidget *next_view = GTK_WIDGET (sd_board_get_column_view (board (), SD_CASE_STATUS_IN_PROGRESS));
    FocusIn in_next = { next_view, NULL }, in_new = { new_view, NULL };
    FocusIn on_first = { new_view, "00000000-0000-4000-8000-000000000001" };
    FocusIn on_second = { new_view, "00000000-0000-4000-8000-000000000003" };

    g_assert_true (sd_board_focus_case (board (), on_first.id));
    type_key (new_view, GDK_KEY_Down, 0);
    g_assert_true (iterate_until (focus_in, &on_second, UI_TIMEOUT_MS));
    type_key (new_view, GDK_KEY_Tab, 0);
    g_assert_true (iterate_until (focus_in, &in_next, UI_TIMEOUT_MS));
    type_key (next_view, GDK_KEY_Tab, GDK_SHIFT_MASK);
    g_assert_true (iterate_until (focus_in, &in_new, UI_TIMEOUT_MS));
  }
}

static void
test_board_new_case (void)
{
  SdNewCaseDialog *dialog;
  guint before = pending_ops ();

  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.new-case", NULL);
  dialog = SD_NEW_CASE_DIALOG (wait_for_toplevel (SD_TYPE_NEW_CASE_DIALOG));
  save_screenshot (GTK_WIDGET (dialog), "new-case");

  /* Nothing typed: refused inline, nothing queued. */
  sd_new_case_dialog_create (dialog);
  g_assert_nonnull (sd_new_case_dialog_get_error (dialog));
  g_assert_cmpuint (pending_ops (), ==, before);
  /* The message is an alert: a screen reader says it when it shows. */
  {
    GtkWidget *error = find_label_widget (GTK_WIDGET (dialog), sd_new_case_dialog_get_error (dialog));

    g_assert_nonnull (error);
    g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (error)), ==, GTK_ACCESSIBLE_ROLE_ALERT);
  }

  /* The description has a label one can see, and Tab leaves it. */
  {
    GtkWidget *description = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW);
    GtkWidget *label = find_label_widget (GTK_WIDGET (dialog), g_dgettext (GETTEXT_PACKAGE, "_Description"));

    g_assert_nonnull (label);
    g_assert_true (gtk_widget_is_drawable (label));
    g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (label)) == description);
    gtk_widget_grab_focus (description);
    g_assert_true (gtk_widget_has_focus (description));
    type_key (description, GDK_KEY_Tab, 0);
    g_assert_true (iterate_until (focus_left, description, UI_TIMEOUT_MS));
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (description));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_assert_null (strchr (text, '\t'));
    }
  }

  /* A private patch needs its product, version and problem. */
  sd_new_case_dialog_fill (dialog, "Scanner crashes on archives", SD_CASE_TYPE_PRIVATE_PATCH, 2);
  sd_new_case_dialog_create (dialog);
  g_assert_nonnull (sd_new_case_dialog_get_error (dialog));

  g_signal_connect (dialog, "created", G_CALLBACK (created_cb), NULL);
  sd_new_case_dialog_fill (dialog, "Branch office agents offline", SD_CASE_TYPE_INCIDENT, 1);
  sd_new_case_dialog_create (dialog);
  g_assert_true (iterate_until (created_on_board, NULL, UI_TIMEOUT_MS));
  g_assert_cmpuint (pending_ops (), ==, before + 1);

  /* In New, with the standard package's 2 hours for a critical case (the
   * dialog's first customer, in collation order, is the standard one). */
  g_assert_cmpint (sd_board_case_get_status (sd_board_lookup (board (), created_id)), ==, SD_CASE_STATUS_NEW);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_NEW), ==, 4);
  if (!is_chinese ())
    g_assert_cmpstr (chip_of (created_id), ==, "2 h left");
}

static gboolean
moved_to_progress (gpointer data)
{
  SdBoardCase *row = sd_board_lookup (board (), created_id);

  return row && (int) sd_board_case_get_status (row) == GPOINTER_TO_INT (data) && sd_board_is_loaded (board ());
}

static void
test_board_move (void)
{
  guint before = pending_ops ();
  g_autoptr(JsonNode) body = NULL;
  AdwToast *toast;

  sd_board_move (board (), created_id, SD_CASE_STATUS_IN_PROGRESS, TRUE);
  g_assert_true (iterate_until (moved_to_progress, GINT_TO_POINTER (SD_CASE_STATUS_IN_PROGRESS), UI_TIMEOUT_MS));
  g_assert_cmpuint (pending_ops (), ==, before + 1);
  body = sd_local_store_get (store (), "case", created_id, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "status"), ==, "in_progress");
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_NEW), ==, 3);

  /* Undo: the toast's action moves it back, through the outbox too. */
  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.move-case", "(si)", created_id,
                              (gint32) SD_CASE_STATUS_NEW);
  g_assert_true (iterate_until (moved_to_progress, GINT_TO_POINTER (SD_CASE_STATUS_NEW), UI_TIMEOUT_MS));
  g_assert_cmpuint (pending_ops (), ==, before + 2);

  /* The keyboard: the selected card of the focused column, one column right. */
  {
    GtkListView *view = sd_board_get_column_view (board (), SD_CASE_STATUS_NEW);
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
      {
        g_autoptr(SdBoardCase) row = g_list_model_get_item (G_LIST_MODEL (selection), i);

        if (g_str_equal (sd_board_case_get_id (row), created_id))
          gtk_single_selection_set_selected (selection, i);
      }
    gtk_widget_grab_focus (GTK_WIDGET (view));
    type_key (GTK_WIDGET (view), GDK_KEY_Right, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
    g_assert_true (iterate_until (moved_to_progress, GINT_TO_POINTER (SD_CASE_STATUS_IN_PROGRESS), UI_TIMEOUT_MS));
    g_assert_cmpuint (pending_ops (), ==, before + 3);
  }
  toast = NULL;
  (void) toast;
}

/* The keyboard focus is on @widget or inside it (a list view gives it to
 * the row in focus). */
static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gboolean
widget_is_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static void
test_board_filter_and_search (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkWidget *entry, *text;
  GtkListView *new_view = sd_board_get_column_view (board (), SD_CASE_STATUS_NEW);
  gint32 only_critical[] = { 1 };

  /* Each change of the filter is waited for by what it shows, so that no
   * count is read from the board as it was before. */
  g_settings_set_value (settings, "board-severities",
                        g_variant_new_fixed_array (G_VARIANT_TYPE_INT32, only_critical, 1, sizeof (gint32)));
  wait_for_column (SD_CASE_STATUS_NEW, 1);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_IN_PROGRESS), ==, 1);
  save_screenshot (GTK_WIDGET (main_window ()), "board-filtered");
  g_settings_reset (settings, "board-severities");
  wait_for_column (SD_CASE_STATUS_NEW, 3);

  g_settings_set_string (settings, "board-customer", "cust-rhein");
  wait_for_column (SD_CASE_STATUS_NEW, 1);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_IN_PROGRESS), ==, 2);
  g_settings_reset (settings, "board-customer");
  wait_for_column (SD_CASE_STATUS_NEW, 3);

  /* Search by number, by title words and by customer, case-insensitively.
   * The board answers the keys that end typing at once, without waiting
   * for the entry's pause: Enter shows the cases found and moves on to the
   * first of them... */
  g_assert_true (press_key (GTK_WIDGET (main_window ()), GDK_KEY_f, GDK_CONTROL_MASK));
  entry = find_descendant (GTK_WIDGET (board ()), GTK_TYPE_SEARCH_ENTRY);
  text = find_descendant (entry, GTK_TYPE_TEXT);
  g_assert_true (gtk_widget_is_focus (text));
  gtk_editable_set_text (GTK_EDITABLE (entry), "sd-2026-00103");
  g_assert_true (press_key (text, GDK_KEY_Return, 0));
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_NEW), ==, 1);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_IN_PROGRESS), ==, 0);
  g_assert_true (has_focus_within (GTK_WIDGET (new_view)));
  g_assert_cmpstr (sd_board_case_get_number (gtk_single_selection_get_selected_item (
                     GTK_SINGLE_SELECTION (gtk_list_view_get_model (new_view)))), ==, "SD-2026-00103");

  /* ... and so does leaving the entry (Tab on to the filter button). */
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "RHEINMETALL");
  g_assert_true (gtk_widget_grab_focus (find_descendant (GTK_WIDGET (board ()), GTK_TYPE_MENU_BUTTON)));
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_NEW), ==, 1);
  /* SD-2026-00105 and the case created above */
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_IN_PROGRESS), ==, 2);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_RESOLVED), ==, 1);

  /* While typing, the search follows after the entry's pause. */
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "clearing gateway");
  wait_for_column (SD_CASE_STATUS_IN_PROGRESS, 0);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_NEW), ==, 1);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_RESOLVED), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_for_column (SD_CASE_STATUS_IN_PROGRESS, 4);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_NEW), ==, 3);

  /* Ctrl+Shift+F, as the filter button's tooltip says, opens its menu. */
  {
    GtkWidget *filter = find_descendant (GTK_WIDGET (board ()), GTK_TYPE_MENU_BUTTON);
    GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (filter));

    g_assert_cmpstr (gtk_widget_get_tooltip_text (filter), ==, g_dgettext (GETTEXT_PACKAGE, "Filter the board (Ctrl+Shift+F)"));
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
    gtk_widget_grab_focus (GTK_WIDGET (new_view));
    type_key (GTK_WIDGET (new_view), GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK);
    g_assert_true (iterate_until (widget_is_visible, popover, UI_TIMEOUT_MS));
    save_screenshot (GTK_WIDGET (main_window ()), "board-filter-menu");
    gtk_popover_popdown (popover);
  }
}

/* Moves the app's clock to @now and waits until the board has computed
 * case @id again: what it announces (or not) is then known. */
typedef struct {
  const char *id;
  gint64      remaining;
} Remaining;

static gboolean
recomputed (gpointer data)
{
  Remaining *before = data;

  return remaining_of (before->id) != before->remaining;
}

static void
set_now (const char *id,
         gint64      now)
{
  Remaining before = { id, remaining_of (id) };

  sd_clock_set_now (sd_clock_get_default (), now);
  g_assert_true (iterate_until (recomputed, &before, UI_TIMEOUT_MS));
}

static void
test_board_thresholds (void)
{
  const char *id = "00000000-0000-4000-8000-000000000001";
  const char *title_part = "SD-2026-00101";

  /* SD-2026-00101: critical, reported 10 min before T0, 30 min target,
   * at risk with 20 % (6 min) left: at T0 + 14 min, breached at T0 + 20. */
  set_now (id, t0 + 13 * 60 + 59);
  g_assert_false (has_alert (id, SD_BOARD_ALERT_AT_RISK));
  set_now (id, t0 + 14 * 60);
  g_assert_true (has_alert (id, SD_BOARD_ALERT_AT_RISK));
  if (!is_chinese ())
    g_assert_cmpstr (chip_of (id), ==, "At risk · 6 min left");
  g_assert_true (iterate_until (has_notification_containing, (gpointer) title_part, UI_TIMEOUT_MS));

  set_now (id, t0 + 20 * 60 - 1);
  g_assert_false (has_alert (id, SD_BOARD_ALERT_BREACHED));
  set_now (id, t0 + 21 * 60);
  g_assert_true (has_alert (id, SD_BOARD_ALERT_BREACHED));
  if (!is_chinese ())
    g_assert_cmpstr (chip_of (id), ==, "Breached 1 min ago");

  /* Once each: another tick announces nothing new. */
  {
    guint n = alerts->len;

    set_now (id, t0 + 22 * 60);
    for (guint i = n; i < alerts->len; i++)
      g_assert_false (g_str_has_prefix (alerts->pdata[i], id));
  }
  save_screenshot (GTK_WIDGET (main_window ()), "board-breached");
}

static gboolean
buffer_empty (gpointer data)
{
  return gtk_text_buffer_get_char_count (data) == 0;
}

static gboolean
case_view_loaded (gpointer data)
{
  SdCaseView *view = sd_window_get_case_view (main_window ());

  return sd_case_view_is_loaded (view) && sd_case_view_get_n_events (view) >= GPOINTER_TO_UINT (data);
}

static AdwLeaflet *
leaflet (void)
{
  return ADW_LEAFLET (find_descendant (GTK_WIDGET (main_window ()), ADW_TYPE_LEAFLET));
}

static gboolean
folded (gpointer expected)
{
  return adw_leaflet_get_folded (leaflet ()) == GPOINTER_TO_INT (expected);
}

static gboolean
transitions_done (gpointer data)
{
  GtkWidget *squeezer = find_descendant (GTK_WIDGET (main_window ()), ADW_TYPE_SQUEEZER);

  return !adw_leaflet_get_child_transition_running (leaflet ())
         && (squeezer == NULL || !adw_squeezer_get_transition_running (ADW_SQUEEZER (squeezer)));
}

static void
test_case_view (void)
{
  SdCaseView *view = sd_window_get_case_view (main_window ());
  guint before = pending_ops ();

  sd_window_open_case (main_window (), "00000000-0000-4000-8000-000000000004");
  g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (2), UI_TIMEOUT_MS));
  g_assert_cmpstr (sd_case_view_get_case_id (view), ==, "00000000-0000-4000-8000-000000000004");
  g_assert_cmpuint (sd_case_view_get_n_events (view), ==, 2);
  save_screenshot (GTK_WIDGET (main_window ()), "case-view");
  /* A local workspace has no audit log: no History on offer. */
  {
    GtkWidget *history = find_descendant (GTK_WIDGET (view), GTK_TYPE_BUTTON);

    while (history != NULL && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (history)), "case.history") != 0)
      history = gtk_widget_get_next_sibling (history);
    g_assert_nonnull (history);
    g_assert_false (gtk_widget_get_visible (history));
  }

  /* The comment field has a label one can see; Tab leaves it, and
   * Ctrl+Enter adds the comment. */
  {
    GtkWidget *comment = find_descendant (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW);
    GtkWidget *label = find_label_widget (GTK_WIDGET (view), g_dgettext (GETTEXT_PACKAGE, "Co_mment"));
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (comment));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    g_assert_nonnull (label);
    g_assert_true (gtk_widget_is_drawable (label));
    g_assert_true (gtk_label_get_mnemonic_widget (GTK_LABEL (label)) == comment);
    gtk_text_buffer_set_text (buffer, "Logs received; analysing the update server's certificate.", -1);
    gtk_widget_grab_focus (comment);
    g_assert_true (gtk_widget_has_focus (comment));
    type_key (comment, GDK_KEY_Tab, 0);
    g_assert_true (iterate_until (focus_left, comment, UI_TIMEOUT_MS));
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_null (strchr (text, '\t'));
    g_assert_cmpuint (pending_ops (), ==, before);

    gtk_widget_grab_focus (comment);
    type_key (comment, GDK_KEY_Return, GDK_CONTROL_MASK);
    /* A synthetic key can be lost while a sanitized build is busy: press
     * it again only when the field still holds the comment (Ctrl+Enter
     * in an empty field adds nothing). */
    if (!iterate_until (buffer_empty, buffer, 30000))
      {
        gtk_widget_grab_focus (comment);
        type_key (comment, GDK_KEY_Return, GDK_CONTROL_MASK);
      }
    g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (3), UI_TIMEOUT_MS));
    g_assert_cmpuint (pending_ops (), ==, before + 1);
    g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  }

  /* Comments are internal unless "Visible to Customer" is switched on,
   * and the switch falls back to internal after each one. */
  {
    GtkWidget *visible = find_descendant (GTK_WIDGET (view), GTK_TYPE_SWITCH);
    g_autoptr(GPtrArray) ops = NULL;
    guint n_public = 0, n_internal = 0;

    g_assert_nonnull (visible);
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (visible)));
    g_assert_true (gtk_widget_get_focusable (visible));
    gtk_switch_set_active (GTK_SWITCH (visible), TRUE);
    /* Focus scrolls the comment box into view for the screenshot. */
    g_assert_true (gtk_widget_grab_focus (visible));
    wait_for_drawn (GTK_WIDGET (main_window ()));
    save_screenshot (GTK_WIDGET (main_window ()), "case-view-public-comment");
    sd_case_view_add_comment (view, "A fixed agent build is on its way to you.");
    g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (4), UI_TIMEOUT_MS));
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (visible)));
    wait_for_drawn (GTK_WIDGET (main_window ()));
    save_screenshot (GTK_WIDGET (main_window ()), "case-view-timeline-visibility");
    ops = sd_local_store_list_outbox (store (), SD_OUTBOX_STATE_PENDING, NULL);
    g_assert_nonnull (ops);
    for (guint i = 0; i < ops->len; i++)
      {
        SdOutboxEntry *op = ops->pdata[i];
        JsonObject *event;

        if (g_strcmp0 (op->kind, "case_event") != 0)
          continue;
        event = json_node_get_object (op->payload);
        if (g_strcmp0 (json_object_get_string_member_with_default (event, "kind", ""), "comment") != 0)
          continue;
        if (strstr (json_object_get_string_member (event, "body"), "on its way"))
          n_public += g_strcmp0 (json_object_get_string_member (event, "visibility"), "public") == 0;
        else if (strstr (json_object_get_string_member (event, "body"), "Logs received"))
          n_internal += g_strcmp0 (json_object_get_string_member (event, "visibility"), "internal") == 0;
      }
    g_assert_cmpuint (n_public, ==, 1);
    g_assert_cmpuint (n_internal, ==, 1);
  }

  /* A narrow window (360 px, a phone's width) shows the case as a page
   * of its own, and nothing in it asks for more width. The title bar's
   * buttons are GNOME's (Xvfb has no settings daemon: GTK would add
   * minimize and maximize). */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 360, 700);
  g_assert_true (iterate_until (folded, GINT_TO_POINTER (TRUE), UI_TIMEOUT_MS));
  {
    int minimum = 0;

    gtk_widget_measure (adw_application_window_get_content (ADW_APPLICATION_WINDOW (main_window ())),
                        GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
    g_assert_cmpint (minimum, <=, 360);
  }
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (view), adw_leaflet_get_visible_child (leaflet ())));
  /* The screenshot shows the narrow layout, not its transition. */
  g_assert_true (iterate_until (transitions_done, NULL, UI_TIMEOUT_MS));
  wait_for_drawn (GTK_WIDGET (view));
  save_screenshot (GTK_WIDGET (main_window ()), "case-view-narrow");
  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.close-case", NULL);
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);
  g_assert_true (iterate_until (folded, GINT_TO_POINTER (FALSE), UI_TIMEOUT_MS));
}

static gboolean
focus_on_card_of (gpointer id)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (main_window ()));
  GtkWidget *card = focus ? gtk_widget_get_first_child (focus) : NULL;

  return SD_IS_CASE_CARD (card) && sd_case_card_get_case (SD_CASE_CARD (card)) != NULL
         && g_str_equal (sd_board_case_get_id (sd_case_card_get_case (SD_CASE_CARD (card))), id);
}

static gboolean
case_open (gpointer id)
{
  return g_strcmp0 (sd_case_view_get_case_id (sd_window_get_case_view (main_window ())), id) == 0
         && gtk_widget_get_mapped (GTK_WIDGET (sd_window_get_case_view (main_window ())));
}

/* Opens the case @id from its card, which has the keyboard focus. */
static void
open_from_card (const char *id)
{
  g_assert_true (sd_board_focus_case (board (), id));
  g_assert_true (focus_on_card_of ((gpointer) id));
  sd_window_open_case (main_window (), id);
  g_assert_true (iterate_until (case_open, (gpointer) id, UI_TIMEOUT_MS));
}

/* Closes the case with the close (or, narrow, the back) button: the
 * keyboard is back on the card of @id. */
static void
close_and_check_focus (const char *id)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *close = NULL;

  collect_action_buttons (GTK_WIDGET (main_window ()), "win.close-case", buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (gtk_widget_get_mapped (buttons->pdata[i]))
      close = buttons->pdata[i];
  g_assert_nonnull (close);
  /* A click focuses the button, then the pane (and the button) goes. */
  g_assert_true (gtk_widget_grab_focus (close));
  g_assert_false (focus_on_card_of ((gpointer) id));
  click_button_widget (close);
  g_assert_true (iterate_until (focus_on_card_of, (gpointer) id, UI_TIMEOUT_MS));
}

/* Closing the case pane gives the keyboard back to the case's card, not
 * to the top of the window: beside the board, and as a page of its own
 * in a narrow window. */
static void
test_case_pane_focus (void)
{
  const char *id = "00000000-0000-4000-8000-000000000004";

  open_from_card (id);
  close_and_check_focus (id);
  open_from_card (id);
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 420, 700);
  g_assert_true (iterate_until (folded, GINT_TO_POINTER (TRUE), UI_TIMEOUT_MS));
  close_and_check_focus (id);
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);
  g_assert_true (iterate_until (folded, GINT_TO_POINTER (FALSE), UI_TIMEOUT_MS));
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_account_sign_out_finish (SD_ACCOUNT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return *(gboolean *) data;
}

/* The "Record" button of the next progress step, or NULL. */
static GtkWidget *
find_step_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && g_object_get_data (G_OBJECT (widget), "step") != NULL
      && gtk_widget_is_drawable (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_step_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The view offers to record @step (an SdReleaseStep) next, on screen. */
static gboolean
step_offered (gpointer step)
{
  GtkWidget *button = find_step_button (GTK_WIDGET (sd_window_get_case_view (main_window ())));

  return button != NULL && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step")) - 1 == GPOINTER_TO_INT (step);
}

/* A toast of the window's overlay that says @text (the view reaches the
 * overlay through the window's win.toast action). */
static gboolean
find_toast_label (GtkWidget  *widget,
                  const char *text,
                  gboolean    in_toast)
{
  in_toast |= g_str_equal (G_OBJECT_TYPE_NAME (widget), "AdwToastWidget");
  if (in_toast && GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_toast_label (child, text, in_toast))
      return TRUE;
  return FALSE;
}

static gboolean
toast_shown (gpointer text)
{
  return find_toast_label (GTK_WIDGET (main_window ()), text, FALSE);
}

static void
test_case_view_progress (void)
{
  SdCaseView *view = sd_window_get_case_view (main_window ());
  guint before = pending_ops ();
  GtkWidget *button;

  /* A database release: the contract's three steps, none done yet; the
   * first is recorded from the view and lands in the outbox. */
  sd_window_open_case (main_window (), "00000000-0000-4000-8000-000000000008");
  g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (0), UI_TIMEOUT_MS));
  g_assert_true (iterate_until (step_offered, GINT_TO_POINTER (SD_RELEASE_STEP_EXPERT_GROUP_RECEIVED), UI_TIMEOUT_MS));
  button = find_step_button (GTK_WIDGET (view));
  save_screenshot (GTK_WIDGET (main_window ()), "case-view-release");
  g_assert_false (toast_shown ((gpointer) sd_release_step_get_label (SD_RELEASE_STEP_EXPERT_GROUP_RECEIVED)));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (1), UI_TIMEOUT_MS));
  g_assert_cmpuint (pending_ops (), ==, before + 1);
  /* Once the step is in the outbox, the window says so. */
  g_assert_true (iterate_until (toast_shown, (gpointer) sd_release_step_get_label (SD_RELEASE_STEP_EXPERT_GROUP_RECEIVED),
                                UI_TIMEOUT_MS));
  g_assert_true (iterate_until (step_offered, GINT_TO_POINTER (SD_RELEASE_STEP_FAST_UPDATE_RELEASED), UI_TIMEOUT_MS));
  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.close-case", NULL);
}

/* An action row under @widget whose subtitle begins with @prefix. */
static gboolean
find_row_subtitled (GtkWidget  *widget,
                    const char *prefix)
{
  if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_mapped (widget)
      && g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) ?: "", prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_row_subtitled (child, prefix))
      return TRUE;
  return FALSE;
}

static gboolean
details_show (gpointer prefix)
{
  return find_row_subtitled (GTK_WIDGET (sd_window_get_case_view (main_window ())), prefix);
}

/* The case view says who answers the customer now and why: for the
 * customer whose TAM is out of office, its duty manager, in words. */
static void
test_case_view_answers (void)
{
  const char *case_id = "00000000-0000-4000-8000-000000000007";

  sd_window_open_case (main_window (), case_id);
  g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (0), UI_TIMEOUT_MS));
  g_assert_cmpstr (sd_case_view_get_case_id (sd_window_get_case_view (main_window ())), ==, case_id);
  g_assert_true (iterate_until (details_show, (gpointer) "王强 Wang Qiang · ", UI_TIMEOUT_MS));
  /* In office hours the TAM is out of office; outside, off duty: the
   * reason is never that the TAM is on duty. */
  if (!is_chinese ())
    g_assert_true (details_show ((gpointer) "王强 Wang Qiang · TAM out of office")
                   || details_show ((gpointer) "王强 Wang Qiang · TAM off duty"));
  else
    g_assert_true (details_show ((gpointer) "王强 Wang Qiang · TAM 外出")
                   || details_show ((gpointer) "王强 Wang Qiang · TAM 非工作时间"));
  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.close-case", NULL);
}

/* A row of the case view's timeline whose title is @title. */
static gboolean
find_row_titled (GtkWidget  *widget,
                 const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_row_titled (child, title))
      return TRUE;
  return FALSE;
}

static gboolean
timeline_shows (gpointer title)
{
  return find_row_titled (GTK_WIDGET (sd_window_get_case_view (main_window ())), title);
}

/* A correction of the report time, as the server records it, is on the
 * timeline in words: from, to and why. */
static void
test_case_view_report_time (void)
{
  const char *case_id = "00000000-0000-4000-8000-000000000002";
  g_autoptr(GString) page = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 from = t0 - 3 * 3600 - 65 * 60;
  gint64 to = t0 - 3 * 3600 - 50 * 60;
  g_autoptr(SdCaseEvent) moved = sd_case_event_new_report_time_change (case_id, "user-wang", t0 - 3600, from, to,
                                                                      "The hotline log shows the later call");
  g_autoptr(JsonNode) moved_node = sd_case_event_to_json (moved);
  g_autofree char *entity = sd_json_to_string (moved_node, FALSE);
  /* The customer's time, named (docs/time-zones.md). */
  g_autofree char *from_text = sd_format_customer_time (from, "Asia/Shanghai");
  g_autofree char *to_text = sd_format_customer_time (to, "Asia/Shanghai");
  g_autofree char *expected = NULL;

  add_change (page, "case_event", sd_case_event_get_id (moved), entity);
  g_string_append (page, "],\"next\":150,\"has_more\":false}");
  node = sd_json_parse (page->str, -1, &error);
  g_assert_no_error (error);
  sd_local_store_apply_changes (store (), node, &error);
  g_assert_no_error (error);

  if (is_chinese ())
    expected = g_strdup_printf ("报告时间由 %s 更正为 %s：%s", from_text, to_text,
                                "The hotline log shows the later call");
  else
    expected = g_strdup_printf ("Report time changed from %s to %s: %s", from_text, to_text,
                                "The hotline log shows the later call");
  g_assert_cmpstr (from_text, !=, to_text);

  sd_window_open_case (main_window (), case_id);
  g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (1), UI_TIMEOUT_MS));
  g_assert_true (iterate_until (timeline_shows, expected, UI_TIMEOUT_MS));
  save_screenshot (GTK_WIDGET (main_window ()), "case-view-report-time");
  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.close-case", NULL);
}

static gboolean
record_rows (gpointer data)
{
  SdCaseView *view = sd_window_get_case_view (main_window ());
  GtkWidget *group = find_descendant (GTK_WIDGET (view), SD_TYPE_SLA_RECORD_GROUP);

  return group != NULL && sd_sla_record_group_get_n_rows (SD_SLA_RECORD_GROUP (group)) == GPOINTER_TO_UINT (data);
}

static gboolean
card_shows_met (gpointer id)
{
  SdCaseCard *card = find_card (GTK_WIDGET (board ()), id);

  return card != NULL && g_strcmp0 (sd_case_card_get_chip_text (card), _("Response met")) == 0;
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

/* The case view's SLA record: an S1 lowered to S4 after its 30 minutes
 * shows both periods, the breach at S1; a breach the server recorded
 * for the S4 period is marked as kept on record. */
static void
test_case_view_sla_record (void)
{
  const char *case_id = "00000000-0000-4000-8000-000000000009";
  g_autoptr(GString) page = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCaseEvent) lowered = sd_case_event_new_severity_change (case_id, "user-li-na", t0 - 4 * 3600, 1, 4,
                                                                      "Only the test network is affected");
  g_autoptr(JsonNode) lowered_node = sd_case_event_to_json (lowered);
  g_autofree char *event = sd_json_to_string (lowered_node, FALSE);
  g_autofree char *changed = iso (t0 - 4 * 3600);
  g_autofree char *s4_due = iso (t0 - 3600);
  g_autofree char *record = NULL;

  add_case (page, case_id, "SD-2026-00109", "cust-pujiang", "Scanner crash on the test network", "incident", 4,
            "in_progress", t0 - 5 * 3600, 0);
  add_change (page, "case_event", sd_case_event_get_id (lowered), event);
  record = g_strdup_printf ("{\"id\":\"%s\",\"customer_id\":\"cust-pujiang\",\"version\":2,\"updated_at\":null,"
                            "\"periods\":[{\"metric\":\"response\",\"severity\":4,\"clock\":\"business\",\"target\":28800,"
                            "\"opened\":\"%s\",\"start\":\"%s\",\"stop\":null,\"ended_by\":null,\"due\":\"%s\","
                            "\"elapsed\":14400,\"state\":\"breached\",\"kept\":false}]}",
                            case_id, changed, changed, s4_due);
  add_change (page, "sla_record", case_id, record);
  /* An S2 answered after 4 h 30 min, which the record (written when it
   * was answered, under the contract then in force) has as met. */
  {
    const char *answered_id = "00000000-0000-4000-8000-000000000010";
    g_autofree char *reported = iso (t0 - 5 * 3600);
    g_autofree char *due = iso (t0 - 5 * 3600 + 6 * 3600);
    g_autofree char *answered_record = NULL;

    add_case (page, answered_id, "SD-2026-00110", "cust-pujiang", "Console certificate expired", "incident", 2,
              "in_progress", t0 - 5 * 3600, t0 - 30 * 60);
    answered_record = g_strdup_printf ("{\"id\":\"%s\",\"customer_id\":\"cust-pujiang\",\"version\":2,"
                                       "\"updated_at\":null,\"periods\":[{\"metric\":\"response\",\"severity\":2,"
                                       "\"clock\":\"24x7\",\"target\":21600,\"opened\":\"%s\",\"start\":\"%s\","
                                       "\"stop\":\"%s\",\"ended_by\":\"response\",\"due\":\"%s\","
                                       "\"elapsed\":16200,\"state\":\"met\",\"kept\":false}]}",
                                       answered_id, reported, reported, changed, due);
    add_change (page, "sla_record", answered_id, answered_record);
  }
  g_string_append (page, "],\"next\":160,\"has_more\":false}");
  node = sd_json_parse (page->str, -1, &error);
  g_assert_no_error (error);
  sd_local_store_apply_changes (store (), node, &error);
  g_assert_no_error (error);

  /* The card of the answered case keeps the recorded outcome. */
  g_assert_true (iterate_until (card_shows_met, (gpointer) "00000000-0000-4000-8000-000000000010", UI_TIMEOUT_MS));

  sd_window_open_case (main_window (), case_id);
  g_assert_true (iterate_until (case_view_loaded, GUINT_TO_POINTER (1), UI_TIMEOUT_MS));
  g_assert_true (iterate_until (record_rows, GUINT_TO_POINTER (2), UI_TIMEOUT_MS));
  if (!is_chinese ())
    {
      g_assert_true (timeline_shows ((gpointer) "Response · S1 Critical"));
      g_assert_true (timeline_shows ((gpointer) "Response · S4 Low"));
      g_assert_true (find_label (GTK_WIDGET (sd_window_get_case_view (main_window ())), "Kept on Record"));
    }
  else
    g_assert_true (find_label (GTK_WIDGET (sd_window_get_case_view (main_window ())), "记录在案"));
  save_screenshot (GTK_WIDGET (main_window ()), "case-view-sla-record");
  gtk_widget_activate_action (GTK_WIDGET (main_window ()), "win.close-case", NULL);
}

typedef struct {
  GtkAdjustment *adjustment;
  double         value;
} Scroll;

static gboolean
scrolled_to (gpointer data)
{
  Scroll *scroll = data;

  return ABS (gtk_adjustment_get_value (scroll->adjustment) - scroll->value) < 1;
}

/* A reload (a sync, an edit) keeps each column's scroll position and
 * selected case. */
static void
test_board_reload_keeps_place (void)
{
  g_autoptr(GString) page = g_string_new ("{\"changes\":[");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCaseEvent) comment = NULL;
  g_autoptr(JsonNode) comment_node = NULL;
  GtkListView *view = sd_board_get_column_view (board (), SD_CASE_STATUS_NEW);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  g_autoptr(SignalWatch) loaded = watch_signal (board (), "loaded");
  g_autofree char *selected_id = NULL;
  Scroll scroll = { adjustment, 0 };

  for (int i = 0; i < 40; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-0000000001%02d", i);
      g_autofree char *number = g_strdup_printf ("SD-2026-00%03d", 200 + i);

      add_case (page, id, number, "cust-rhein", "Another scanner question", "incident", 4, "new",
                sd_clock_get_now (sd_clock_get_default ()) - 600, 0);
    }
  g_string_append (page, "],\"next\":200,\"has_more\":false}");
  node = sd_json_parse (page->str, -1, &error);
  g_assert_no_error (error);
  sd_local_store_apply_changes (store (), node, &error);
  g_assert_no_error (error);
  wait_for_reload (loaded);
  g_assert_cmpuint (sd_board_get_column_count (board (), SD_CASE_STATUS_NEW), >=, 40);

  gtk_adjustment_set_value (adjustment, 600);
  wait_for_drawn (GTK_WIDGET (view));
  scroll.value = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (scroll.value, >, 0);
  gtk_single_selection_set_selected (selection, 20);
  selected_id = g_strdup (sd_board_case_get_id (gtk_single_selection_get_selected_item (selection)));

  /* An edit: the store changes, the board reloads. */
  comment = sd_case_event_new_comment ("00000000-0000-4000-8000-000000000003", NULL,
                                       sd_clock_get_now (sd_clock_get_default ()), "Called the customer back.");
  comment_node = sd_case_event_to_json (comment);
  g_assert_cmpint (sd_local_store_enqueue (store (), SD_OUTBOX_OP_APPEND_EVENT, "case_event",
                                           sd_case_event_get_id (comment), comment_node, 0, &error), >, 0);
  g_assert_no_error (error);
  wait_for_reload (loaded);
  /* The position comes back once the new rows are laid out. */
  g_assert_true (iterate_until (scrolled_to, &scroll, UI_TIMEOUT_MS));
  g_assert_nonnull (gtk_single_selection_get_selected_item (selection));
  g_assert_cmpstr (sd_board_case_get_id (gtk_single_selection_get_selected_item (selection)), ==, selected_id);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  ignore_focus_warnings ();
  sd_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);
  /* GTK's test accessibility backend keeps what widgets tell a screen
   * reader, so the test can read it back. */
  g_setenv ("GTK_A11Y", "test", TRUE);

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

  notifications = g_ptr_array_new_with_free_func (g_free);
  alerts = g_ptr_array_new_with_free_func (g_free);
  start_notification_service (notifications);
  g_assert_true (sd_time_parse_iso8601 (T0, NULL, &t0, NULL));
  sd_clock_set_now (sd_clock_get_default (), t0);

  app = start_app ();
  gtk_window_set_default_size (GTK_WINDOW (main_window ()), 1280, 800);

  account = sd_account_new_local (&error);
  g_assert_no_error (error);
  fill_store ();
  sd_application_set_account (app, account);
  g_signal_connect (board (), "alert", G_CALLBACK (alert_cb), NULL);
  wait_for_board ();

  g_test_add_func ("/board/columns", test_board_columns);
  g_test_add_func ("/board/accessibility", test_board_accessibility);
  g_test_add_func ("/board/new-case", test_board_new_case);
  g_test_add_func ("/board/move", test_board_move);
  g_test_add_func ("/board/filter-and-search", test_board_filter_and_search);
  g_test_add_func ("/board/thresholds", test_board_thresholds);
  g_test_add_func ("/board/case-view", test_case_view);
  g_test_add_func ("/board/case-view-answers", test_case_view_answers);
  g_test_add_func ("/board/case-pane-focus", test_case_pane_focus);
  g_test_add_func ("/board/case-view-progress", test_case_view_progress);
  g_test_add_func ("/board/case-view-report-time", test_case_view_report_time);
  g_test_add_func ("/board/case-view-sla-record", test_case_view_sla_record);
  g_test_add_func ("/board/reload-keeps-place", test_board_reload_keeps_place);
  ret = g_test_run ();

  /* The local workspace goes, for the next language's run. */
  sd_application_set_account (app, NULL);
  {
    gboolean done = FALSE;

    sd_account_sign_out_async (account, TRUE, NULL, signed_out_cb, &done);
    g_assert_true (iterate_until (is_done, &done, UI_TIMEOUT_MS));
  }
  g_clear_object (&account);
  g_object_unref (app);
  return ret;
}
