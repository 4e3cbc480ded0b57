/* test-sign-in.c — signing in from the real window to the real server
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
#include "sd-preferences-window.h"
#include "sd-sign-in-dialog.h"
#include "sd-unsent-dialog.h"
#include "sd-window.h"
#include "ui-test-utils.h"

static SdApplication *app;
static GSubprocess *server;
static char *server_url;


static gboolean
dialog_has_error (gpointer data)
{
  return sd_sign_in_dialog_get_error (data) != NULL;
}

static char *offline_case;

/* Every case on the board, whatever its column. */
static guint
board_total (SdWindow *window)
{
  SdBoard *board = sd_window_get_board (window);
  guint total = 0;

  if (!sd_board_is_loaded (board))
    return 0;
  for (SdCaseStatus status = SD_CASE_STATUS_NEW; status <= SD_CASE_STATUS_CLOSED; status++)
    total += sd_board_get_column_count (board, status);
  return total;
}

static gboolean
cases_counted (gpointer data)
{
  return board_total (data) == 151;
}

static gboolean
one_case_on_board (gpointer data)
{
  return board_total (data) == 1;
}

static gboolean
offline_case_numbered (gpointer data)
{
  SdAccount *account = sd_application_get_account (app);
  g_autoptr(JsonNode) kase = account ? sd_local_store_get (sd_account_get_store (account), "case", data, NULL) : NULL;

  return kase != NULL
         && json_object_get_string_member_with_default (json_node_get_object (kase), "number", NULL) != NULL;
}

static gboolean
signed_out (gpointer data)
{
  return sd_application_get_account (app) == NULL;
}

static gboolean
has_account (gpointer data)
{
  return sd_application_get_account (app) != NULL;
}

static gboolean
first_run_shown (gpointer page)
{
  return gtk_widget_get_mapped (page);
}

static gboolean
token_forgotten (gpointer base_url)
{
  g_autofree char *token = sd_credentials_lookup_token_sync (base_url, "li.na", NULL, NULL);

  return token == NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static guint
n_conflicts (void)
{
  guint pending = 0, conflicts = 0, attention = 0;

  sd_local_store_get_counts (sd_account_get_store (sd_application_get_account (app)),
                             &pending, &conflicts, &attention, NULL);
  return conflicts;
}

static gboolean
has_conflict (gpointer data)
{
  return n_conflicts () == 1;
}

static gboolean
conflict_gone (gpointer data)
{
  guint pending = 0, conflicts = 0, attention = 0;

  sd_local_store_get_counts (sd_account_get_store (sd_application_get_account (app)),
                             &pending, &conflicts, &attention, NULL);
  return conflicts == 0 && pending == 0;
}

static GtkWidget *
find_decision (GtkWidget  *widget,
               const char *decision)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "sd-decision"), decision) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_decision (child, decision);
      if (found)
        return found;
    }
  return NULL;
}

/* Someone else (the duty manager) edits case @index on the server while
 * the app edits it too; returns the case id and the server's new version. */
static char *
make_conflict (SdRestClient *other,
               guint         index,
               const char   *their_title,
               const char   *my_title,
               gint64       *their_version)
{
  SdLocalStore *store = sd_account_get_store (sd_application_get_account (app));
  g_autoptr(GPtrArray) cases = sd_local_store_list (store, "case", NULL, NULL);
  JsonObject *kase = json_node_get_object (cases->pdata[index]);
  g_autofree char *id = g_strdup (json_object_get_string_member (kase, "id"));
  g_autofree char *path = g_strconcat ("/cases/", id, NULL);
  g_autofree char *theirs_text = g_strdup_printf ("{\"title\":\"%s\"}", their_title);
  g_autofree char *mine_text = g_strdup_printf ("{\"title\":\"%s\"}", my_title);
  g_autoptr(JsonNode) theirs = json_from_string (theirs_text, NULL);
  g_autoptr(JsonNode) mine = json_from_string (mine_text, NULL);
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = json_object_get_int_member (kase, "version");

  sd_rest_client_update_async (other, path, theirs, version, NULL, store_result_cb, &result);
  g_assert_true (iterate_until (result_stored, &result, UI_TIMEOUT_MS));
  updated = sd_rest_client_update_finish (other, result, &error);
  g_assert_no_error (error);
  *their_version = json_object_get_int_member (json_node_get_object (updated), "version");

  g_assert_cmpint (sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case", id, mine, version, &error), >, 0);
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (iterate_until (has_conflict, NULL, UI_TIMEOUT_MS));
  return g_steal_pointer (&id);
}

static void
assert_title (const char *id,
              const char *title,
              gint64      version)
{
  SdLocalStore *store = sd_account_get_store (sd_application_get_account (app));
  g_autoptr(JsonNode) now = sd_local_store_get (store, "case", id, NULL);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (now), "title"), ==, title);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (now), "version"), ==, version);
}

static gboolean
one_row (gpointer dialog)
{
  return sd_unsent_dialog_get_n_rows (dialog) == 1;
}

static SdUnsentDialog *
open_unsent (void)
{
  SdUnsentDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (app), "unsent", NULL);
  dialog = SD_UNSENT_DIALOG (wait_for_toplevel (SD_TYPE_UNSENT_DIALOG));
  g_assert_true (iterate_until (one_row, dialog, UI_TIMEOUT_MS));
  return dialog;
}

/* Conflicts, resolved from the app: keep mine, then edit. */
static void
conflict_round (SdWindow *window)
{
  g_autoptr(SdRestClient) other = sd_rest_client_new (server_url, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  SdUnsentDialog *dialog;
  GtkWindow *editor;
  gint64 theirs;

  sd_rest_client_sign_in_async (other, "wang.qiang", "supportdesk-demo", NULL, store_result_cb, &result);
  g_assert_true (iterate_until (result_stored, &result, UI_TIMEOUT_MS));
  g_assert_true (sd_rest_client_sign_in_finish (other, result, NULL, NULL, NULL, &error));

  /* Keep mine: the server takes the app's version. */
  first = make_conflict (other, 0, "Changed by the duty manager", "Changed in the app", &theirs);
  save_screenshot (GTK_WIDGET (window), "conflict");
  dialog = open_unsent ();
  save_screenshot (GTK_WIDGET (dialog), "unsent");
  g_signal_emit_by_name (find_decision (GTK_WIDGET (dialog), "mine"), "clicked");
  g_assert_true (iterate_until (conflict_gone, NULL, UI_TIMEOUT_MS));
  g_assert_cmpuint (sd_unsent_dialog_get_n_rows (dialog), ==, 0);
  gtk_window_destroy (GTK_WINDOW (dialog));
  assert_title (first, "Changed in the app", theirs + 1);

  /* Edit: the user writes the value to send on top of theirs. */
  second = make_conflict (other, 1, "Gateway alerts (duty manager)", "Gateway alerts (TAM)", &theirs);
  dialog = open_unsent ();
  g_signal_emit_by_name (find_decision (GTK_WIDGET (dialog), "edit"), "clicked");
  editor = wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (find_descendant (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW)),
                         "Gateway alerts after the 14 February update");
  save_screenshot (GTK_WIDGET (editor), "conflict-edit");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (editor), "send");
  g_assert_true (iterate_until (conflict_gone, NULL, UI_TIMEOUT_MS));
  gtk_window_destroy (GTK_WINDOW (dialog));
  assert_title (second, "Gateway alerts after the 14 February update", theirs + 1);

  /* Take theirs: the server's version stays, and mine is still shown in
   * the dialog, to copy. */
  third = make_conflict (other, 2, "Scan slow (duty manager)", "Scan slow since the update (TAM)", &theirs);
  dialog = open_unsent ();
  g_signal_emit_by_name (find_decision (GTK_WIDGET (dialog), "theirs"), "clicked");
  g_assert_true (iterate_until (conflict_gone, NULL, UI_TIMEOUT_MS));
  assert_title (third, "Scan slow (duty manager)", theirs);
  {
    GtkWidget *row = find_descendant (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW);

    g_assert_nonnull (row);
    g_assert_true (gtk_widget_is_drawable (row));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Scan slow since the update (TAM)"));
  }
  save_screenshot (GTK_WIDGET (dialog), "unsent-theirs");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The Cases view's status page, shown without an account. */
static AdwStatusPage *
cases_page (SdWindow *window)
{
  AdwViewStack *stack = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));

  return ADW_STATUS_PAGE (find_descendant (adw_view_stack_get_child_by_name (stack, "cases"), ADW_TYPE_STATUS_PAGE));
}

static void
test_sign_in_sync_sign_out (void)
{
  SdWindow *window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  AdwStatusPage *page = cases_page (window);
  SdSignInDialog *dialog;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree char *token = NULL;
  g_autofree char *base = NULL;
  GtkWindow *preferences;

  g_assert_cmpstr (adw_status_page_get_title (page), ==, _("No Cases Yet"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));

  /* First run: work offline; a case taken by phone waits on this computer. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "work-offline", NULL);
  g_assert_true (iterate_until (has_account, NULL, UI_TIMEOUT_MS));
  g_assert_true (sd_account_is_local (sd_application_get_account (app)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sync"));
  {
    g_autoptr(SdCase) kase = sd_case_new (NULL);
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    sd_case_set_customer_id (kase, "cust-pujiang-bank");
    sd_case_set_title (kase, "网关告警 — reported by phone while offline");
    sd_case_set_severity (kase, 2);
    sd_case_set_reported_at (kase, g_get_real_time () / G_USEC_PER_SEC - 1800);
    sd_case_set_reported_via (kase, SD_REPORTED_VIA_PHONE);
    node = sd_case_to_json (kase);
    g_assert_cmpint (sd_local_store_enqueue (sd_account_get_store (sd_application_get_account (app)),
                                             SD_OUTBOX_OP_CREATE, "case", sd_case_get_id (kase), node, 0, &error), >, 0);
    g_assert_no_error (error);
    offline_case = g_strdup (sd_case_get_id (kase));
  }
  /* On the board at once, even before its customer is known here. */
  g_assert_true (iterate_until (one_case_on_board, window, UI_TIMEOUT_MS));
  save_screenshot (GTK_WIDGET (window), "local-workspace");

  if (g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "zh"))
    g_assert_cmpstr (_("Wrong login or password."), ==, "登录名或密码错误。");

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in", NULL);
  dialog = SD_SIGN_IN_DIALOG (wait_for_toplevel (SD_TYPE_SIGN_IN_DIALOG));

  /* Empty fields are said before anything is sent. */
  sd_sign_in_dialog_submit (dialog);
  g_assert_cmpstr (sd_sign_in_dialog_get_error (dialog), ==, _("Enter the address of your team’s server."));

  /* Not an address. */
  sd_sign_in_dialog_set_fields (dialog, "desk example com", "li.na", "supportdesk-demo");
  sd_sign_in_dialog_submit (dialog);
  g_assert_true (iterate_until (dialog_has_error, dialog, UI_TIMEOUT_MS));
  g_assert_cmpstr (sd_sign_in_dialog_get_error (dialog), ==,
                   _("This is not a server address. It looks like https://desk.example.com"));

  /* Nobody there. */
  sd_sign_in_dialog_set_fields (dialog, "http://127.0.0.1:9", NULL, NULL);
  sd_sign_in_dialog_submit (dialog);
  g_assert_true (iterate_until (dialog_has_error, dialog, UI_TIMEOUT_MS));
  {
    g_autofree char *expected = g_strdup_printf (_("Cannot reach %s. Check the address and your connection."),
                                                 "http://127.0.0.1:9");
    g_assert_cmpstr (sd_sign_in_dialog_get_error (dialog), ==, expected);
  }

  /* A wrong password. */
  sd_sign_in_dialog_set_fields (dialog, server_url, "li.na", "wrong password");
  sd_sign_in_dialog_submit (dialog);
  g_assert_true (iterate_until (dialog_has_error, dialog, UI_TIMEOUT_MS));
  g_assert_cmpstr (sd_sign_in_dialog_get_error (dialog), ==, _("Wrong login or password."));
  save_screenshot (GTK_WIDGET (dialog), "sign-in-error");

  /* The right one: the dialog goes, the account syncs, the window says so. */
  sd_sign_in_dialog_set_fields (dialog, server_url, "li.na", "supportdesk-demo");
  sd_sign_in_dialog_submit (dialog);
  g_assert_true (iterate_until (app_signed_in, app, UI_TIMEOUT_MS));
  g_assert_true (iterate_until (app_synced, app, UI_TIMEOUT_MS));
  g_assert_true (iterate_until (cases_counted, window, UI_TIMEOUT_MS));
  /* The case taken offline reached the server: it has its number now, and
   * the local workspace is gone. */
  g_assert_true (iterate_until (offline_case_numbered, offline_case, UI_TIMEOUT_MS));
  g_assert_false (sd_account_has_local ());
  g_assert_cmpuint (board_total (window), ==, 151);
  /* The server shows other users in its limited view (no login, no
   * e-mail); the board still knows every one of them, so that assignees
   * and the duty manager who covers have names. */
  {
    SdBoardData *data = sd_board_get_data (sd_window_get_board (window));
    SdLocalStore *store = sd_account_get_store (sd_application_get_account (app));
    g_autoptr(GPtrArray) users = sd_local_store_list (store, "user", NULL, NULL);
    SdUser *duty_manager = NULL;
    GHashTableIter iter;
    gpointer value;

    g_assert_cmpuint (users->len, >=, 3);
    g_assert_cmpuint (g_hash_table_size (data->users), ==, users->len);
    g_hash_table_iter_init (&iter, data->users);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (sd_user_get_role (value) == SD_ROLE_DUTY_MANAGER)
        duty_manager = value;
    g_assert_nonnull (duty_manager);
    g_assert_cmpstr (sd_user_get_display_name (duty_manager), ==, "王强");
    g_assert_null (sd_user_get_login (duty_manager));
    g_assert_cmpstr (data->me, !=, NULL);
    g_assert_cmpstr (sd_user_get_login (g_hash_table_lookup (data->users, data->me)), ==, "li.na");
  }
  g_assert_null (find_toplevel (SD_TYPE_SIGN_IN_DIALOG));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "sign-out"));
  save_screenshot (GTK_WIDGET (window), "signed-in");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = wait_for_toplevel (SD_TYPE_PREFERENCES_WINDOW);
  {
    GtkWidget *row = find_descendant (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW);
    GtkWidget *button = find_descendant (row, GTK_TYPE_BUTTON);

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "li.na");
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.sign-out");
    g_assert_true (gtk_widget_is_sensitive (button));
  }
  save_screenshot (GTK_WIDGET (preferences), "preferences-account");
  gtk_window_destroy (preferences);

  conflict_round (window);

  /* The token is in the keyring, and nowhere in the settings. */
  base = g_strconcat (server_url, "/api/v1", NULL);
  token = sd_credentials_lookup_token_sync (base, "li.na", NULL, NULL);
  g_assert_nonnull (token);
  g_object_get (sd_application_get_settings (app), "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (sd_application_get_settings (app), keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, token));
      g_assert_null (strstr (text, "supportdesk-demo"));
    }

  /* Sign out, keeping the local copy. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  g_assert_true (iterate_until (message_dialog_shown, NULL, UI_TIMEOUT_MS));
  save_screenshot (GTK_WIDGET (find_toplevel (ADW_TYPE_MESSAGE_DIALOG)), "sign-out");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG)), "keep");
  g_assert_true (iterate_until (signed_out, NULL, UI_TIMEOUT_MS));
  /* The board gives way to the first-run page again. */
  g_assert_true (iterate_until (first_run_shown, page, UI_TIMEOUT_MS));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, _("No Cases Yet"));
  /* The token leaves the keyring (the sign-out finishes after the window
   * has let go of the account). */
  g_assert_true (iterate_until (token_forgotten, base, UI_TIMEOUT_MS));
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
  dir = g_dir_make_tmp ("supportdesk-sign-in-XXXXXX", &error);
  g_assert_no_error (error);
  server = start_demo_server (dir, &server_url);

  app = start_app ();

  g_test_add_func ("/sign-in/sign-in-sync-sign-out", test_sign_in_sync_sign_out);
  ret = g_test_run ();

  g_object_unref (app);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&server);
  return ret;
}
