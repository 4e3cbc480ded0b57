/* test-vendor-setup.c — a vendor's own server, from an empty database
 * (no demo data), set up through supportdesk-server user add and
 * supportdesk-cli admin import; a TAM signs in in the real window and the
 * board shows exactly the cases of their customers. When the admin gives
 * one of those customers to another TAM, its cases leave the board at
 * the next sync.
 *
 * Runs under build-aux/headless.sh: Xvfb, a private D-Bus session and an
 * unlocked gnome-keyring. The server and the CLI run as their own
 * processes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "sd-application.h"
#include "sd-sign-in-dialog.h"
#include "sd-window.h"
#include "ui-test-utils.h"
#include "vendor-fixtures.h"

static SdApplication *app;
static char *tmpdir;

/* supportdesk-cli admin … with the admin's token; fails the test unless
 * it succeeds. The test's main loop waits meanwhile: the app is not in
 * the middle of anything the CLI's call could hold up. */
static void
cli_admin (const char *token,
           const char *url,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_subprocess_launcher_setenv (launcher, "SUPPORTDESK_TOKEN", token, TRUE);
  g_ptr_array_add (argv, (char *) g_getenv ("SUPPORTDESK_CLI"));
  g_ptr_array_add (argv, (char *) "admin");
  va_start (args, url);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, (char *) url);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("supportdesk-cli admin %s %s: %s%s", (char *) argv->pdata[2], (char *) argv->pdata[3], out, err);
  g_assert_true (g_subprocess_get_successful (process));
}

/* A case of @customer_id created by the admin; its id. */
static char *
create_case (SdRestClient *admin,
             const char   *customer_id,
             int           severity)
{
  g_autoptr(SdCase) kase = sd_case_new (NULL);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  sd_case_set_customer_id (kase, customer_id);
  sd_case_set_title (kase, "代理离线 — agents offline");
  sd_case_set_severity (kase, severity);
  sd_case_set_reported_at (kase, g_get_real_time () / G_USEC_PER_SEC - 600);
  sd_case_set_reported_via (kase, SD_REPORTED_VIA_PHONE);
  body = sd_case_to_json (kase);
  sd_rest_client_create_async (admin, "/cases", body, sd_case_get_id (kase), NULL, store_result_cb, &result);
  g_assert_true (iterate_until (result_stored, &result, UI_TIMEOUT_MS));
  created = sd_rest_client_create_finish (admin, result, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (created), "id"));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The ids of the cases on the board, sorted, joined by spaces; "" until
 * it is loaded. The columns must hold every case the board read. */
static char *
board_ids (SdWindow *window)
{
  SdBoard *board = sd_window_get_board (window);
  SdBoardData *data;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  guint total = 0;

  if (!sd_board_is_loaded (board) || (data = sd_board_get_data (board)) == NULL)
    return g_strdup ("");
  for (SdCaseStatus status = SD_CASE_STATUS_NEW; status <= SD_CASE_STATUS_CLOSED; status++)
    total += sd_board_get_column_count (board, status);
  if (total != data->cases->len)
    return g_strdup ("");
  for (guint i = 0; i < data->cases->len; i++)
    g_ptr_array_add (ids, (char *) sd_board_case_get_id (data->cases->pdata[i]));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (" ", (char **) ids->pdata);
}

typedef struct {
  SdWindow   *window;
  const char *expected;
} BoardWait;

static gboolean
board_shows (gpointer data)
{
  BoardWait *wait = data;
  g_autofree char *ids = board_ids (wait->window);

  return g_str_equal (ids, wait->expected);
}

static char *
sorted_ids (GPtrArray *ids)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new ();

  for (guint i = 0; i < ids->len; i++)
    g_ptr_array_add (copy, ids->pdata[i]);
  g_ptr_array_sort (copy, compare_strings);
  g_ptr_array_add (copy, NULL);
  return g_strjoinv (" ", (char **) copy->pdata);
}

static void
test_vendor_setup (void)
{
  SdWindow *window = SD_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_autofree char *db = g_build_filename (tmpdir, "server.db", NULL);
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *api = NULL;
  g_autoptr(SdRestClient) admin = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *users = vendor_users_csv ();
  g_autofree char *customers = vendor_customers_csv (NULL);
  g_autofree char *contacts = vendor_contacts_csv ();
  g_autofree char *users_path = vendor_write_file (tmpdir, "users.csv", users);
  g_autofree char *customers_path = vendor_write_file (tmpdir, "customers.csv", customers);
  g_autofree char *contacts_path = vendor_write_file (tmpdir, "contacts.csv", contacts);
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected = NULL;
  g_autofree char *after_reassign = NULL;
  g_autofree char *shown = NULL;
  SdSignInDialog *dialog;
  BoardWait wait = { window, NULL };

  /* The first admin and the TAM who signs in, then the server on that
   * database without its demo data. */
  vendor_add_user (g_getenv ("SUPPORTDESK_SERVER"), db, "root.admin", "系统管理员", "admin", "first admin password");
  vendor_add_user (g_getenv ("SUPPORTDESK_SERVER"), db, "tam01", vendor_tam_names[0], "tam", "tam01 own password");
  server = start_server (db, FALSE, &server_url);
  api = g_strconcat (server_url, "/api/v1", NULL);

  admin = sd_rest_client_new (api, NULL, NULL);
  sd_rest_client_sign_in_async (admin, "root.admin", "first admin password", NULL, store_result_cb, &result);
  g_assert_true (iterate_until (result_stored, &result, UI_TIMEOUT_MS));
  g_assert_true (sd_rest_client_sign_in_finish (admin, result, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  cli_admin (sd_rest_client_get_token (admin), api, "import", "users", users_path, NULL);
  cli_admin (sd_rest_client_get_token (admin), api, "import", "customers", customers_path, NULL);
  cli_admin (sd_rest_client_get_token (admin), api, "import", "contacts", contacts_path, NULL);

  /* A case for every customer, two for tam01's first. */
  for (guint i = 0; i < VENDOR_N_CUSTOMERS; i++)
    {
      g_autofree char *customer = g_strdup_printf ("cust-%03u", i + 1);
      g_autofree char *id = create_case (admin, customer, i == 0 ? 1 : 2);

      if (i % VENDOR_N_TAMS == 0)
        {
          g_ptr_array_add (mine, g_strdup (id));
          /* cust-009 is given to tam02 later. */
          if (i != 8)
            g_ptr_array_add (kept, g_strdup (id));
        }
    }
  {
    g_autofree char *id = create_case (admin, "cust-001", 3);

    g_ptr_array_add (mine, g_strdup (id));
    g_ptr_array_add (kept, g_strdup (id));
  }
  g_assert_cmpuint (mine->len, ==, 8);
  expected = sorted_ids (mine);

  /* tam01 signs in from the window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in", NULL);
  dialog = SD_SIGN_IN_DIALOG (wait_for_toplevel (SD_TYPE_SIGN_IN_DIALOG));
  sd_sign_in_dialog_set_fields (dialog, server_url, "tam01", "tam01 own password");
  sd_sign_in_dialog_submit (dialog);
  g_assert_true (iterate_until (app_signed_in, app, UI_TIMEOUT_MS));
  g_assert_true (iterate_until (app_synced, app, UI_TIMEOUT_MS));

  /* Exactly tam01's eight cases: one for each of cust-001, cust-009, …,
   * cust-049, and a second of cust-001; none of the other 43 customers'. */
  wait.expected = expected;
  if (!iterate_until (board_shows, &wait, UI_TIMEOUT_MS))
    {
      shown = board_ids (window);
      g_assert_cmpstr (shown, ==, expected);
    }
  {
    SdBoardData *data = sd_board_get_data (sd_window_get_board (window));
    GHashTableIter iter;
    gpointer id;

    g_assert_cmpuint (data->cases->len, ==, 8);
    g_assert_cmpuint (g_hash_table_size (data->customers), ==, 7);
    g_hash_table_iter_init (&iter, data->customers);
    while (g_hash_table_iter_next (&iter, &id, NULL))
      g_assert_cmpuint ((g_ascii_strtoull ((char *) id + strlen ("cust-"), NULL, 10) - 1) % VENDOR_N_TAMS, ==, 0);
    for (guint i = 0; i < data->cases->len; i++)
      g_assert_true (g_hash_table_contains (data->customers, sd_board_case_get_customer_id (data->cases->pdata[i])));
  }
  wait_for_drawn (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "vendor-tam-board");

  /* The admin gives cust-009 to tam02: at the next sync its case leaves
   * tam01's board, and its customer the local copy. */
  cli_admin (sd_rest_client_get_token (admin), api, "customer", "edit", "cust-009", "tam_login=tam02", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  after_reassign = sorted_ids (kept);
  wait.expected = after_reassign;
  if (!iterate_until (board_shows, &wait, UI_TIMEOUT_MS))
    {
      g_clear_pointer (&shown, g_free);
      shown = board_ids (window);
      g_assert_cmpstr (shown, ==, after_reassign);
    }
  {
    SdLocalStore *store = sd_account_get_store (sd_application_get_account (app));
    g_autoptr(JsonNode) gone = sd_local_store_get (store, "customer", "cust-009", NULL);
    g_autoptr(GPtrArray) cases = sd_local_store_list (store, "case", NULL, NULL);

    g_assert_null (gone);
    g_assert_cmpuint (cases->len, ==, 7);
  }

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
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

  if (!session_ready ())
    return g_test_run ();

  start_notification_service (NULL);
  tmpdir = g_dir_make_tmp ("supportdesk-vendor-XXXXXX", &error);
  g_assert_no_error (error);

  app = start_app ();

  g_test_add_func ("/vendor-setup/tam-board", test_vendor_setup);
  ret = g_test_run ();

  g_object_unref (app);
  g_free (tmpdir);
  return ret;
}
