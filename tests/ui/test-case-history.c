/* test-case-history.c — the duty manager at the real window against the
 * real server: a move into "Waiting for Customer" asks for the reason
 * (cancelling leaves the case where it was), the reason reaches the
 * server and the timeline; the case's History lists who changed what;
 * an entry made offline is marked as entered later; without the server
 * the History says so
 *
 * Runs under build-aux/headless.sh: Xvfb, a private D-Bus session and an
 * unlocked gnome-keyring. The demo server runs as its own process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gi18n.h>

#include "sd-application.h"
#include "sd-history-dialog.h"
#include "sd-reason-dialog.h"
#include "sd-sign-in-dialog.h"
#include "sd-sla-text.h"
#include "sd-window.h"
#include "ui-test-utils.h"

#define REASON "Waiting for the agent logs from the branch office"

static SdApplication *app;
static GSubprocess *server;
static char *server_url;


static SdLocalStore *
store (void)
{
  return sd_account_get_store (sd_application_get_account (app));
}

static SdWindow *
main_window (void)
{
  return SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static gboolean
signed_in (gpointer data)
{
  SdAccount *account = sd_application_get_account (app);

  return account != NULL && !sd_account_is_local (account)
         && sd_sync_engine_get_state (sd_account_get_engine (account)) == SD_SYNC_STATE_SYNCED
         && sd_board_is_loaded (sd_window_get_board (main_window ()))
         && sd_board_get_column_count (sd_window_get_board (main_window ()), SD_CASE_STATUS_IN_PROGRESS) > 0;
}

static guint
pending_ops (void)
{
  guint pending = 0, conflicts = 0, attention = 0;

  g_assert_true (sd_local_store_get_counts (store (), &pending, &conflicts, &attention, NULL));
  g_assert_cmpuint (attention, ==, 0);
  return pending;
}

static gboolean
all_sent (gpointer data)
{
  SdAccount *account = sd_application_get_account (app);

  return pending_ops () == 0
         && sd_sync_engine_get_state (sd_account_get_engine (account)) == SD_SYNC_STATE_SYNCED;
}

static void
sync_now (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  if (!iterate_until (all_sent, NULL, UI_TIMEOUT_MS))
    {
      SdSyncEngine *engine = sd_account_get_engine (sd_application_get_account (app));
      const char *last = sd_sync_engine_get_last_error (engine);

      g_error ("not synced: %u changes pending, sync state %d, last error: %s", pending_ops (),
               sd_sync_engine_get_state (engine), last ? last : "none");
    }
}

static gboolean
reason_dialog_shown (gpointer data)
{
  return find_toplevel (SD_TYPE_REASON_DIALOG) != NULL;
}

static gboolean
no_reason_dialog (gpointer data)
{
  return find_toplevel (SD_TYPE_REASON_DIALOG) == NULL;
}

static SdCaseStatus
board_status (const char *id)
{
  SdBoardCase *row = sd_board_lookup (sd_window_get_board (main_window ()), id);

  g_assert_nonnull (row);
  return sd_board_case_get_status (row);
}

static gboolean
board_shows_waiting (gpointer id)
{
  SdBoardCase *row = sd_board_lookup (sd_window_get_board (main_window ()), id);

  return row != NULL && sd_board_case_get_status (row) == SD_CASE_STATUS_WAITING_CUSTOMER;
}

/* A case of the duty manager's In Progress column reported more than
 * four hours ago (an entry may be dated three hours back), selected and
 * focused there. */
static char *
select_case_in_progress (void)
{
  GtkListView *view = sd_board_get_column_view (sd_window_get_board (main_window ()), SD_CASE_STATUS_IN_PROGRESS);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
    {
      g_autoptr(SdBoardCase) row = g_list_model_get_item (G_LIST_MODEL (selection), i);
      g_autoptr(JsonNode) node = sd_local_store_get (store (), "case", sd_board_case_get_id (row), NULL);
      g_autoptr(SdCase) kase = node ? sd_case_from_json (node, NULL, NULL) : NULL;

      if (kase != NULL && sd_case_get_reported_at (kase) < g_get_real_time () / G_USEC_PER_SEC - 4 * 3600)
        {
          gtk_single_selection_set_selected (selection, i);
          gtk_widget_grab_focus (GTK_WIDGET (view));
          return g_strdup (sd_board_case_get_id (row));
        }
    }
  g_assert_not_reached ();
}

/* The first descendant of @widget whose action is @action. */
static GtkWidget *
find_by_action (GtkWidget  *widget,
                const char *action)
{
  if (GTK_IS_ACTIONABLE (widget) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_action (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The case view's row titled @title. */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The status_change events of case @id in the local copy (as the server
 * sent them back) that lead to @to. */
static GPtrArray *
changes_to (const char   *id,
            SdCaseStatus  to)
{
  g_autoptr(GPtrArray) events = sd_local_store_list (store (), "case_event", NULL, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; events && i < events->len; i++)
    {
      g_autoptr(SdCaseEvent) event = sd_case_event_from_json (events->pdata[i], NULL, NULL);

      if (event != NULL && g_strcmp0 (sd_case_event_get_case_id (event), id) == 0
          && sd_case_event_get_kind (event) == SD_EVENT_STATUS_CHANGE
          && sd_case_event_get_status_to (event) == to)
        g_ptr_array_add (found, g_steal_pointer (&event));
    }
  return found;
}

static void
collect_rows (GtkWidget *widget,
              GString   *text)
{
  if (ADW_IS_ACTION_ROW (widget))
    g_string_append_printf (text, "%s\n%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) ?: "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_rows (child, text);
}

/* Every row title and subtitle of the case view, timeline included. */
static char *
case_view_text (void)
{
  GString *text = g_string_new (NULL);

  collect_rows (GTK_WIDGET (sd_window_get_case_view (main_window ())), text);
  return g_string_free (text, FALSE);
}

typedef struct {
  const char *id;
  const char *needle;
} ViewWait;

static gboolean
case_view_says (gpointer data)
{
  ViewWait *wait = data;
  SdCaseView *view = sd_window_get_case_view (main_window ());
  g_autofree char *text = NULL;

  if (!sd_case_view_is_loaded (view) || g_strcmp0 (sd_case_view_get_case_id (view), wait->id) != 0)
    return FALSE;
  text = case_view_text ();
  return strstr (text, wait->needle) != NULL;
}

static gboolean
history_done (gpointer dialog)
{
  return g_strcmp0 (sd_history_dialog_get_state (dialog), "loading") != 0;
}

static SdHistoryDialog *
open_history (void)
{
  SdHistoryDialog *dialog;

  g_assert_true (press_key (GTK_WIDGET (sd_window_get_case_view (main_window ())), GDK_KEY_h, GDK_CONTROL_MASK));
  dialog = SD_HISTORY_DIALOG (wait_for_toplevel (SD_TYPE_HISTORY_DIALOG));
  g_assert_true (iterate_until (history_done, dialog, UI_TIMEOUT_MS));
  return dialog;
}

/* The text of "entered %s later" around its duration, in this language. */
static void
assert_backdated_mark (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (_("entered %s later"), "%s", 2);

  g_assert_nonnull (parts[1]);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0' && strstr (text, parts[i]) == NULL)
      g_error ("no “%s” (a backdated mark) in the case view:\n%s", parts[i], text);
}

/* The duty manager signs in (once for all the tests). */
static void
sign_in_once (void)
{
  SdAccount *account = sd_application_get_account (app);
  SdSignInDialog *sign_in;

  if (account != NULL && !sd_account_is_local (account))
    return;
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in", NULL);
  sign_in = SD_SIGN_IN_DIALOG (wait_for_toplevel (SD_TYPE_SIGN_IN_DIALOG));
  sd_sign_in_dialog_set_fields (sign_in, server_url, "wang.qiang", "supportdesk-demo");
  sd_sign_in_dialog_submit (sign_in);
  g_assert_true (iterate_until (signed_in, NULL, UI_TIMEOUT_MS));
}

/* The responded time of case @id as the server has it (after a sync). */
static gint64
responded_at (const char *id)
{
  g_autoptr(JsonNode) node = sd_local_store_get (store (), "case", id, NULL);
  g_autoptr(SdCase) kase = node ? sd_case_from_json (node, NULL, NULL) : NULL;

  g_assert_nonnull (kase);
  return sd_case_get_responded_at (kase);
}

/* Two open cases of the board that have no response yet. */
static void
two_unanswered_cases (char **first,
                      char **second)
{
  g_autoptr(GPtrArray) cases = sd_local_store_list (store (), "case", NULL, NULL);

  *first = *second = NULL;
  for (guint i = 0; cases && i < cases->len && *second == NULL; i++)
    {
      g_autoptr(SdCase) kase = sd_case_from_json (cases->pdata[i], NULL, NULL);

      if (kase == NULL || sd_case_get_responded_at (kase) != SD_TIME_NONE
          || sd_case_get_status (kase) >= SD_CASE_STATUS_RESOLVED
          || sd_board_lookup (sd_window_get_board (main_window ()), sd_case_get_id (kase)) == NULL)
        continue;
      if (*first == NULL)
        *first = g_strdup (sd_case_get_id (kase));
      else
        *second = g_strdup (sd_case_get_id (kase));
    }
  g_assert_nonnull (*second);
}

static GtkWidget *
respond_button (void)
{
  return find_button (GTK_WIDGET (sd_window_get_case_view (main_window ())), N_("Mark _Responded"));
}

static gboolean
case_shown_unanswered (gpointer id)
{
  SdCaseView *view = sd_window_get_case_view (main_window ());
  GtkWidget *button = respond_button ();

  return sd_case_view_is_loaded (view) && g_strcmp0 (sd_case_view_get_case_id (view), id) == 0
         && button != NULL && gtk_widget_is_visible (button);
}

static gboolean
undo_shown (gpointer data)
{
  GtkWidget *undo = find_button (GTK_WIDGET (main_window ()), N_("_Undo"));

  return undo != NULL && gtk_widget_get_mapped (undo);
}

static gboolean
respond_button_back (gpointer data)
{
  return gtk_widget_is_visible (respond_button ());
}

static gboolean
response_queued (gpointer data)
{
  return pending_ops () > 0;
}

/* Mark Responded offers Undo in a toast: undone, the server never hears
 * of it; left alone until the toast goes, it reaches the server. */
static void
test_mark_responded_undo (void)
{
  SdWindow *window = main_window ();
  g_autofree char *undone = NULL;
  g_autofree char *kept = NULL;
  GtkWidget *undo;

  sign_in_once ();
  two_unanswered_cases (&undone, &kept);

  /* Marked, then undone from the toast. */
  sd_window_open_case (window, undone);
  g_assert_true (iterate_until (case_shown_unanswered, undone, UI_TIMEOUT_MS));
  click_button_widget (respond_button ());
  g_assert_false (gtk_widget_is_visible (respond_button ()));
  g_assert_true (iterate_until (undo_shown, NULL, UI_TIMEOUT_MS));
  save_screenshot (GTK_WIDGET (window), "mark-responded-undo");
  undo = find_button (GTK_WIDGET (window), N_("_Undo"));
  click_button_widget (undo);
  g_assert_true (iterate_until (respond_button_back, NULL, UI_TIMEOUT_MS));
  g_assert_cmpuint (pending_ops (), ==, 0);
  sync_now ();
  g_assert_cmpint (responded_at (undone), ==, SD_TIME_NONE);

  /* Marked on another case, and the toast dismissed without Undo: the
   * response is queued and reaches the server. */
  sd_window_open_case (window, kept);
  g_assert_true (iterate_until (case_shown_unanswered, kept, UI_TIMEOUT_MS));
  click_button_widget (respond_button ());
  g_assert_true (iterate_until (undo_shown, NULL, UI_TIMEOUT_MS));
  g_assert_cmpuint (pending_ops (), ==, 0);
  g_assert_true (iterate_until (response_queued, NULL, UI_TIMEOUT_MS));
  sync_now ();
  g_assert_cmpint (responded_at (kept), !=, SD_TIME_NONE);
  g_assert_cmpint (responded_at (undone), ==, SD_TIME_NONE);
}

/* The sync button's label in the header. */
static const char *
sync_label_text (SdWindow *window)
{
  GtkWidget *button = find_by_action (GTK_WIDGET (window), "app.sync");
  GtkWidget *label = button ? find_descendant (button, GTK_TYPE_LABEL) : NULL;

  return label ? gtk_label_get_label (GTK_LABEL (label)) : "";
}

typedef struct {
  SdWindow   *window;
  const char *text;
} HeaderWait;

static gboolean
header_says (gpointer data)
{
  HeaderWait *wait = data;

  return g_strcmp0 (sync_label_text (wait->window), wait->text) == 0;
}

static void
test_pause_reason_and_history (void)
{
  SdWindow *window = main_window ();
  SdBoard *board = sd_window_get_board (window);
  SdReasonDialog *dialog;
  SdHistoryDialog *history;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *history_text = NULL;
  g_autofree char *status_line = NULL;
  ViewWait wait;

  sign_in_once ();

  /* The keyboard moves a case on to Waiting for Customer: the reason is
   * asked first, and the dialog cannot confirm without one. */
  id = select_case_in_progress ();
  g_assert_true (press_key (GTK_WIDGET (board), GDK_KEY_Right, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  dialog = SD_REASON_DIALOG (wait_for_toplevel (SD_TYPE_REASON_DIALOG));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), SD_REASON_DIALOG_CONFIRM));
  sd_reason_dialog_set_reason (dialog, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), SD_REASON_DIALOG_CONFIRM));

  /* Escape cancels: nothing is queued, the case stays where it was. */
  g_assert_true (press_key (GTK_WIDGET (dialog), GDK_KEY_Escape, 0));
  g_assert_true (iterate_until (no_reason_dialog, NULL, UI_TIMEOUT_MS));
  g_assert_cmpuint (pending_ops (), ==, 0);
  g_assert_cmpint (board_status (id), ==, SD_CASE_STATUS_IN_PROGRESS);

  /* Again, with a reason, confirmed with Return in the entry. */
  g_assert_true (press_key (GTK_WIDGET (board), GDK_KEY_Right, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  dialog = SD_REASON_DIALOG (wait_for_toplevel (SD_TYPE_REASON_DIALOG));
  sd_reason_dialog_set_reason (dialog, REASON);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), SD_REASON_DIALOG_CONFIRM));
  save_screenshot (GTK_WIDGET (dialog), "pause-reason");
  g_signal_emit_by_name (find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT), "activate");
  g_assert_true (iterate_until (no_reason_dialog, NULL, UI_TIMEOUT_MS));
  g_assert_true (iterate_until (board_shows_waiting, id, UI_TIMEOUT_MS));

  /* The server took it (no refusal), with the reason on the timeline. */
  sync_now ();
  changes = changes_to (id, SD_CASE_STATUS_WAITING_CUSTOMER);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (sd_case_event_get_body (changes->pdata[0]), ==, REASON);

  /* The case view's timeline shows the reason. */
  sd_window_open_case (window, id);
  wait = (ViewWait) { id, REASON };
  g_assert_true (iterate_until (case_view_says, &wait, UI_TIMEOUT_MS));

  /* The case view's status row: back to In Progress needs no reason; to
   * Waiting for Customer again it asks, and cancelling restores the row. */
  {
    GtkWidget *status_row = find_row (GTK_WIDGET (sd_window_get_case_view (window)), _("Status"));

    g_assert_true (ADW_IS_COMBO_ROW (status_row));
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (status_row)), ==, SD_CASE_STATUS_WAITING_CUSTOMER);
    adw_combo_row_set_selected (ADW_COMBO_ROW (status_row), SD_CASE_STATUS_IN_PROGRESS);
    g_assert_false (reason_dialog_shown (NULL));
    sync_now ();
    wait = (ViewWait) { id, sd_case_status_get_label (SD_CASE_STATUS_IN_PROGRESS) };
    g_assert_true (iterate_until (case_view_says, &wait, UI_TIMEOUT_MS));

    adw_combo_row_set_selected (ADW_COMBO_ROW (status_row), SD_CASE_STATUS_WAITING_CUSTOMER);
    dialog = SD_REASON_DIALOG (wait_for_toplevel (SD_TYPE_REASON_DIALOG));
    g_assert_true (press_key (GTK_WIDGET (dialog), GDK_KEY_Escape, 0));
    g_assert_true (iterate_until (no_reason_dialog, NULL, UI_TIMEOUT_MS));
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (status_row)), ==, SD_CASE_STATUS_IN_PROGRESS);
    g_assert_cmpuint (pending_ops (), ==, 0);
  }

  /* An entry made offline three hours ago reaches the server now: the
   * timeline says it was entered later, in words. */
  {
    g_autoptr(SdCaseEvent) late = sd_case_event_new_comment (id, NULL, g_get_real_time () / G_USEC_PER_SEC - 3 * 3600,
                                                             "Called the branch office from the site");
    g_autoptr(JsonNode) node = sd_case_event_to_json (late);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    json_object_remove_member (json_node_get_object (node), "author_id");
    g_assert_cmpint (sd_local_store_enqueue (store (), SD_OUTBOX_OP_APPEND_EVENT, "case_event",
                                             sd_case_event_get_id (late), node, 0, &error), >, 0);
    g_assert_no_error (error);
    sync_now ();
    wait = (ViewWait) { id, "Called the branch office from the site" };
    g_assert_true (iterate_until (case_view_says, &wait, UI_TIMEOUT_MS));
    text = case_view_text ();
    assert_backdated_mark (text);
    save_screenshot (GTK_WIDGET (window), "timeline-backdated");
  }

  /* History: Ctrl+H in the case view. */
  g_assert_true (gtk_widget_get_visible (find_by_action (GTK_WIDGET (sd_window_get_case_view (window)),
                                                         "case.history")));
  history = open_history ();
  g_assert_cmpstr (sd_history_dialog_get_state (history), ==, "list");
  g_assert_cmpuint (sd_history_dialog_get_n_rows (history), >=, 2);
  history_text = sd_history_dialog_dup_text (history);
  g_test_message ("%s", history_text);
  /* The field in words with its old and new values (the demo case was
   * seeded by the server, so its first change shows the new value only),
   * the reason, who and from which session and address. */
  status_line = g_strdup_printf (_("%s: %s → %s"), _("Status"),
                                 sd_case_status_get_label (SD_CASE_STATUS_WAITING_CUSTOMER),
                                 sd_case_status_get_label (SD_CASE_STATUS_IN_PROGRESS));
  g_assert_nonnull (strstr (history_text, status_line));
  g_assert_nonnull (strstr (history_text, REASON));
  g_assert_nonnull (strstr (history_text, "王强"));
  {
    g_auto(GStrv) session = g_strsplit (_("session %s"), "%s", 2);

    g_assert_nonnull (strstr (history_text, g_strstrip (session[0])[0] ? session[0] : session[1]));
  }
  g_assert_nonnull (strstr (history_text, "127.0.0.1"));
  wait_for_drawn (GTK_WIDGET (history));
  save_screenshot (GTK_WIDGET (history), "history");
  g_assert_true (press_key (GTK_WIDGET (history), GDK_KEY_Escape, 0));
  wait_for_no_toplevel (SD_TYPE_HISTORY_DIALOG);

  /* Without the server: the History says so and offers to try again. */
  g_subprocess_send_signal (server, SIGKILL);
  g_assert_true (g_subprocess_wait (server, NULL, NULL));
  history = open_history ();
  g_assert_cmpstr (sd_history_dialog_get_state (history), ==, "error");
  g_assert_nonnull (strstr (sd_history_dialog_get_error (history), _("Cannot Reach the Server")));
  wait_for_drawn (GTK_WIDGET (history));
  save_screenshot (GTK_WIDGET (history), "history-offline");
  gtk_window_destroy (GTK_WINDOW (history));

  /* A comment added while the server is gone waits in the outbox, and
   * the header says so in words. */
  {
    SdCaseView *view = sd_window_get_case_view (window);
    GtkWidget *comment = find_descendant (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW);
    g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change not sent yet",
                                                           "%u changes not sent yet", 1), 1);
    g_autofree char *expected = g_strdup_printf (_("%s · %s"), _("Offline"), count);
    HeaderWait header = { window, expected };

    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (comment)), "Waiting for the server", -1);
    gtk_widget_grab_focus (comment);
    type_key (comment, GDK_KEY_Return, GDK_CONTROL_MASK);
    g_assert_true (iterate_until (response_queued, NULL, UI_TIMEOUT_MS));
    if (!iterate_until (header_says, &header, UI_TIMEOUT_MS))
      g_error ("the header says “%s”, not “%s”", sync_label_text (window), expected);
    g_assert_cmpuint (pending_ops (), ==, 1);
    save_screenshot (GTK_WIDGET (window), "offline-pending");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int ret;

  ignore_focus_warnings ();
  sd_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (!session_ready ())
    return g_test_run ();

  /* The demo server's cases run on the real clock: one may cross an SLA
   * threshold during the test and be announced. */
  start_notification_service (NULL);
  dir = g_dir_make_tmp ("supportdesk-history-XXXXXX", &error);
  g_assert_no_error (error);
  server = start_demo_server (dir, &server_url);

  app = start_app ();

  g_test_add_func ("/case-history/mark-responded-undo", test_mark_responded_undo);
  g_test_add_func ("/case-history/pause-reason-and-history", test_pause_reason_and_history);
  ret = g_test_run ();

  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  if (server != NULL)
    g_subprocess_force_exit (server);
  return ret;
}
