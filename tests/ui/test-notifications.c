/* test-notifications.c — the notifications the server raised while the
 * app was not running, at the real window against the real server
 *
 * The demo server's scheduler raises its at-risk and breached
 * notifications as it starts, before the app does. After the app's first
 * sync the bell counts them; opening the newest opens its case, and after
 * the next sync the server has it read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "sd-application.h"
#include "sd-notification.h"
#include "sd-notifications-button.h"
#include "sd-sign-in-dialog.h"
#include "sd-window.h"
#include "ui-test-utils.h"

#define LOGIN "li.na"
#define PASSWORD "supportdesk-demo"

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
synced (gpointer data)
{
  SdAccount *account = sd_application_get_account (app);
  guint pending = 0;

  if (account == NULL || sd_account_is_local (account)
      || sd_sync_engine_get_state (sd_account_get_engine (account)) != SD_SYNC_STATE_SYNCED)
    return FALSE;
  g_assert_true (sd_local_store_get_counts (store (), &pending, NULL, NULL, NULL));
  return pending == 0;
}

/* The local copy's notifications, unread ones only when @unread. */
static GPtrArray *
stored_notifications (gboolean unread)
{
  g_autoptr(GPtrArray) bodies = sd_local_store_list (store (), "notification", NULL, NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; bodies != NULL && i < bodies->len; i++)
    {
      g_autoptr(SdNotification) notification = sd_notification_from_json (bodies->pdata[i], NULL, NULL);

      g_assert_nonnull (notification);
      if (!unread || sd_notification_get_read_at (notification) == SD_TIME_NONE)
        g_ptr_array_add (found, g_steal_pointer (&notification));
    }
  return found;
}

static gboolean
bell_counts_store (gpointer button)
{
  g_autoptr(GPtrArray) unread = stored_notifications (TRUE);
  guint n = sd_notifications_button_get_n_unread (button);

  return n > 0 && n == unread->len;
}

/* The bell counts what the store holds (none left is fine). */
static gboolean
bell_agrees (gpointer button)
{
  g_autoptr(GPtrArray) unread = stored_notifications (TRUE);

  return sd_notifications_button_get_n_unread (button) == unread->len;
}

static gboolean
fewer_unread (gpointer n)
{
  g_autoptr(GPtrArray) unread = stored_notifications (TRUE);

  return unread->len < GPOINTER_TO_UINT (n);
}

/* None of @before (notifications) is unread any more. */
static gboolean
all_read (gpointer before)
{
  g_autoptr(GPtrArray) unread = stored_notifications (TRUE);
  GPtrArray *was = before;

  for (guint i = 0; i < was->len; i++)
    for (guint j = 0; j < unread->len; j++)
      if (g_str_equal (sd_notification_get_id (was->pdata[i]), sd_notification_get_id (unread->pdata[j])))
        return FALSE;
  return TRUE;
}

static gboolean
case_open (gpointer id)
{
  SdCaseView *view = sd_window_get_case_view (main_window ());

  return sd_case_view_is_loaded (view) && g_strcmp0 (sd_case_view_get_case_id (view), id) == 0;
}

/* read_at of notification @id as the server has it now, asked as the
 * user over HTTP: "" while unread, NULL when the feed lacks it. */
static char *
server_read_at (const char *id)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (server_url, "/api/v1/auth/token", NULL);
  g_autofree char *token = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *read_at = NULL;
  const char *body = "{\"login\":\"" LOGIN "\",\"password\":\"" PASSWORD "\"}";
  JsonArray *changes;

  msg = soup_message_new ("POST", url);
  soup_message_set_request_body_from_bytes (msg, "application/json", g_bytes_new_static (body, strlen (body)));
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_CREATED);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), &error));
  token = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "token"));

  g_clear_object (&msg);
  g_clear_pointer (&reply, g_bytes_unref);
  g_free (url);
  url = g_strconcat (server_url, "/api/v1/changes?after=0&limit=5000", NULL);
  msg = soup_message_new ("GET", url);
  auth = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), &error));
  changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *entity;

      if (g_strcmp0 (json_object_get_string_member_with_default (change, "id", NULL), id) != 0
          || !json_object_has_member (change, "entity"))
        continue;
      entity = json_object_get_object_member (change, "entity");
      g_free (read_at);
      read_at = g_strdup (json_object_get_string_member_with_default (entity, "read_at", ""));
    }
  return g_steal_pointer (&read_at);
}

/* The popover with its shadow and arrow, which lie outside its
 * allocation: saved as save_screenshot() does. */
static void
save_popover_screenshot (GtkWidget  *popover,
                         const char *name)
{
  const char *dir = g_getenv ("SUPPORTDESK_SCREENSHOT_DIR");
  const char *lang = g_getenv ("LANGUAGE");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  graphene_rect_t bounds;

  if (dir == NULL || *dir == '\0')
    return;
  wait_for_drawn (popover);
  paintable = gtk_widget_paintable_new (popover);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (popover),
                          gtk_widget_get_height (popover));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (popover)), node, &bounds);
  g_mkdir_with_parents (dir, 0755);
  file = g_strdup_printf ("%s-%s.png", name, (lang && *lang) ? lang : "en");
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static gboolean
board_loaded (gpointer data)
{
  return sd_board_is_loaded (sd_window_get_board (main_window ()));
}

static void
test_raised_while_closed (void)
{
  SdWindow *window = main_window ();
  SdSignInDialog *sign_in;
  SdNotificationsButton *bell;
  GtkWidget *menu_button, *popover;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *notification_id = NULL;
  g_autofree char *server_read = NULL;
  guint n_unread;

  bell = SD_NOTIFICATIONS_BUTTON (find_descendant (GTK_WIDGET (window), SD_TYPE_NOTIFICATIONS_BUTTON));
  g_assert_nonnull (bell);
  /* Signed out: no bell. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bell)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in", NULL);
  sign_in = SD_SIGN_IN_DIALOG (wait_for_toplevel (SD_TYPE_SIGN_IN_DIALOG));
  sd_sign_in_dialog_set_fields (sign_in, server_url, LOGIN, PASSWORD);
  sd_sign_in_dialog_submit (sign_in);
  g_assert_true (iterate_until (synced, NULL, UI_TIMEOUT_MS));

  /* The first sync brought what the server raised before the app ran. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bell)));
  if (!iterate_until (bell_counts_store, bell, UI_TIMEOUT_MS))
    {
      g_autoptr(GPtrArray) unread = stored_notifications (TRUE);

      g_error ("the bell counts %u unread, the store holds %u", sd_notifications_button_get_n_unread (bell),
               unread->len);
    }
  n_unread = sd_notifications_button_get_n_unread (bell);
  g_assert_cmpuint (sd_notifications_button_get_n_items (bell), >=, n_unread);

  /* The count is in the button's name and tooltip, in words. */
  menu_button = find_descendant (GTK_WIDGET (bell), GTK_TYPE_MENU_BUTTON);
  name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u unread notification", "%u unread notifications",
                                       n_unread), n_unread);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (menu_button), ==, name);

  g_assert_true (iterate_until (board_loaded, NULL, UI_TIMEOUT_MS));
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  wait_for_drawn (popover);
  g_assert_nonnull (find_button (popover, N_("Mark All as Read")));
  save_screenshot (GTK_WIDGET (window), "notifications-window");
  save_popover_screenshot (popover, "notifications");

  /* The newest, activated as Enter does, opens its case and is marked
   * read in the outbox. */
  before = stored_notifications (TRUE);
  {
    GtkWidget *list = find_descendant (popover, GTK_TYPE_LIST_BOX);
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

    g_assert_nonnull (row);
    gtk_widget_grab_focus (GTK_WIDGET (row));
    g_signal_emit_by_name (row, "activate");
  }
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_true (iterate_until (fewer_unread, GUINT_TO_POINTER (before->len), UI_TIMEOUT_MS));
  {
    g_autoptr(GPtrArray) after = stored_notifications (TRUE);

    g_assert_cmpuint (after->len, ==, before->len - 1);
    for (guint i = 0; i < before->len && notification_id == NULL; i++)
      {
        gboolean still = FALSE;

        for (guint j = 0; j < after->len; j++)
          still |= g_str_equal (sd_notification_get_id (before->pdata[i]), sd_notification_get_id (after->pdata[j]));
        if (!still)
          {
            notification_id = g_strdup (sd_notification_get_id (before->pdata[i]));
            case_id = g_strdup (sd_notification_get_case_id (before->pdata[i]));
          }
      }
  }
  g_assert_nonnull (case_id);
  g_assert_true (iterate_until (case_open, case_id, UI_TIMEOUT_MS));

  /* The server has it read once the outbox is sent. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (iterate_until (synced, NULL, UI_TIMEOUT_MS));
  server_read = server_read_at (notification_id);
  g_assert_nonnull (server_read);
  g_assert_cmpstr (server_read, !=, "");
  g_assert_true (iterate_until (bell_agrees, bell, UI_TIMEOUT_MS));

  /* Mark All as Read marks every one the list had (the demo's clocks run
   * on the real time: a new one may come meanwhile). */
  g_clear_pointer (&before, g_ptr_array_unref);
  before = stored_notifications (TRUE);
  g_assert_cmpuint (before->len, >, 0);
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  wait_for_drawn (popover);
  click_button (popover, N_("Mark All as Read"));
  g_assert_true (iterate_until (all_read, before, UI_TIMEOUT_MS));
  g_assert_true (iterate_until (bell_agrees, bell, UI_TIMEOUT_MS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  int ret;

  ignore_focus_warnings ();
  sd_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under build-aux/headless.sh");
      return g_test_run ();
    }
  accounts = sd_credentials_list_accounts_sync (NULL, &error);
  if (accounts == NULL)
    {
      g_test_skip_printf ("no keyring: %s", error->message);
      return g_test_run ();
    }
  if (accounts->len > 0)
    {
      g_test_skip ("the keyring already holds a SupportDesk account: this test needs a fresh one");
      return g_test_run ();
    }

  /* The app's own desktop notifications go to a stand-in service. */
  start_notification_service (NULL);
  dir = g_dir_make_tmp ("supportdesk-notifications-XXXXXX", &error);
  g_assert_no_error (error);
  server = start_demo_server (dir, &server_url);

  app = sd_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_application_activate (G_APPLICATION (app));
  wait_for_toplevel (SD_TYPE_WINDOW);

  g_test_add_func ("/notifications/raised-while-closed", test_raised_while_closed);
  ret = g_test_run ();

  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  if (server != NULL)
    g_subprocess_force_exit (server);
  return ret;
}
