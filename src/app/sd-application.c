/* sd-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-application"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sd-admin-window.h"
#include "sd-calendars-page.h"
#include "sd-application.h"
#include "sd-board-case.h"
#include "sd-clock.h"
#include "sd-preferences-window.h"
#include "sd-sla-text.h"
#include "sd-sign-in-dialog.h"
#include "sd-unsent-dialog.h"
#include "sd-window.h"

struct _SdApplication
{
  AdwApplication parent_instance;

  GSettings    *settings;     /* owned */
  SdAccount    *account;      /* owned, nullable */
  GCancellable *cancellable;  /* owned */
  GPtrArray    *alerts;       /* Alert, waiting for the next flush */
  guint         alerts_source;
  gint64        summarize_until;  /* monotonic µs: alerts after a resume make one summary */

  GSignalGroup *store_signals;  /* the account's store: who is an admin */
  GCancellable *role_cancellable;  /* owned, nullable: the role lookup */
  gboolean      admin;          /* the signed-in user's role is admin */

  GDBusConnection *system_bus;  /* owned, nullable: logind's signals */
  guint            sleep_subscription;
};

typedef struct {
  SdBoardCase *row;
  int          alert;
} Alert;

static void
alert_free (Alert *alert)
{
  g_object_unref (alert->row);
  g_free (alert);
}

G_DEFINE_FINAL_TYPE (SdApplication, sd_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------ administration */

static void
update_admin_action (SdApplication *self)
{
  GAction *admin = g_action_map_lookup_action (G_ACTION_MAP (self), "administration");

  if (admin != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (admin), self->admin && self->account != NULL
                                                          && !sd_account_is_local (self->account));
}

static void
users_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SdApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bodies = sd_local_store_list_finish (SD_LOCAL_STORE (object), result, &error);
  g_autoptr(GPtrArray) users = NULL;
  const char *login;
  gboolean admin = FALSE;

  if (bodies == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the users: %s", error->message);
      g_object_unref (self);
      return;
    }
  login = self->account ? sd_account_get_login (self->account) : NULL;
  users = sd_kind_decode_all (sd_kind_lookup ("user"), bodies);
  for (guint i = 0; login != NULL && i < users->len; i++)
    if (g_strcmp0 (sd_user_get_login (g_ptr_array_index (users, i)), login) == 0)
      admin = sd_user_get_role (g_ptr_array_index (users, i)) == SD_ROLE_ADMIN && sd_user_get_active (g_ptr_array_index (users, i));
  self->admin = admin;
  update_admin_action (self);
  g_object_unref (self);
}

/* The Administration entry is for admins: their role comes with the
 * users in the local store. */
static void
look_up_role (SdApplication *self)
{
  g_cancellable_cancel (self->role_cancellable);
  g_clear_object (&self->role_cancellable);
  if (self->account == NULL || sd_account_is_local (self->account))
    {
      self->admin = FALSE;
      update_admin_action (self);
      return;
    }
  self->role_cancellable = g_cancellable_new ();
  sd_local_store_list_async (sd_account_get_store (self->account), "user", NULL, self->role_cancellable,
                             users_listed_cb, g_object_ref (self));
}

static void
sd_application_administration_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SdAdminWindow *window;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (SD_IS_ADMIN_WINDOW (l->data))
      {
        gtk_window_present (l->data);
        return;
      }
  window = sd_admin_window_new ();
  /* Calendars are edited on the server itself: a page of their own. */
  if (self->account != NULL && sd_account_get_client (self->account) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window),
                                ADW_PREFERENCES_PAGE (sd_calendars_page_new (sd_account_get_client (self->account))));
  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (self));
  if (parent != NULL && !SD_IS_ADMIN_WINDOW (parent))
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_present (GTK_WINDOW (window));
}

static void
sd_application_change_password_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->account != NULL && !sd_account_is_local (self->account))
    gtk_window_present (GTK_WINDOW (sd_sign_in_dialog_new_change_password (parent, self->account)));
}

static void
update_account_actions (SdApplication *self)
{
  GAction *sign_in = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-in");
  GAction *sign_out = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");
  GAction *sync = g_action_map_lookup_action (G_ACTION_MAP (self), "sync");
  GAction *unsent = g_action_map_lookup_action (G_ACTION_MAP (self), "unsent");
  GAction *change_password;

  gboolean local = self->account != NULL && sd_account_is_local (self->account);
  GAction *work_offline = g_action_map_lookup_action (G_ACTION_MAP (self), "work-offline");

  /* A local workspace signs in to connect itself to a server. */
  if (sign_in != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_in), self->account == NULL || local);
  if (work_offline != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (work_offline), self->account == NULL);
  if (sign_out != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_out), self->account != NULL && !local);
  if (sync != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (sync), self->account != NULL && !local);
  if (unsent != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (unsent), self->account != NULL);
  if ((change_password = g_action_map_lookup_action (G_ACTION_MAP (self), "change-password")) != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (change_password), self->account != NULL && !local);
  update_admin_action (self);
}

static void
sync_interval_changed_cb (SdApplication *self,
                          const char    *key,
                          GSettings     *settings)
{
  if (self->account != NULL && sd_account_get_engine (self->account) != NULL)
    sd_sync_engine_start (sd_account_get_engine (self->account),
                          g_settings_get_uint (self->settings, "sync-interval"));
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) account = sd_account_restore_finish (result, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not look for a signed-in account: %s", error->message);
  if (account != NULL && self->account == NULL)
    sd_application_set_account (self, account);
}

static void
sd_application_sign_in_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (sd_sign_in_dialog_new (parent)));
}

static void
signed_out_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SdApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sd_account_sign_out_finish (SD_ACCOUNT (object), result, &error))
    g_warning ("Sign-out: %s", error->message);
}

static void
sign_out_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  SdApplication *self = user_data;
  g_autoptr(SdAccount) account = NULL;

  if (self->account == NULL || g_str_equal (response, "cancel"))
    return;

  account = g_object_ref (self->account);
  sd_application_set_account (self, NULL);
  sd_account_sign_out_async (account, g_str_equal (response, "delete"), NULL,
                             signed_out_cb, g_object_ref (self));
}

static void
sd_application_sign_out_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  guint pending = 0, conflicts = 0, attention = 0;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  if (self->account == NULL || sd_account_is_local (self->account))
    return;

  sd_local_store_get_counts (sd_account_get_store (self->account), &pending, &conflicts, &attention, NULL);
  if (pending + conflicts + attention > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u change has not reached the server yet. Keep the local copy to send it after the next sign-in.",
                                         "%u changes have not reached the server yet. Keep the local copy to send them after the next sign-in.",
                                         pending + conflicts + attention),
                            pending + conflicts + attention);
  else
    body = g_strdup (_("The local copy of your cases can stay on this computer for the next sign-in, or be deleted."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Sign Out?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("Sign Out and _Delete Local Copy"),
                                    "keep", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The state and the reason are on the engine, for the sync indicator. */
  if (!sd_sync_engine_sync_finish (SD_SYNC_ENGINE (object), result, &error))
    g_debug ("sync: %s", error->message);
}

static void
sd_application_sync_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  SdApplication *self = user_data;

  if (self->account != NULL && sd_account_get_engine (self->account) != NULL)
    sd_sync_engine_sync_async (sd_account_get_engine (self->account), self->cancellable, synced_cb, NULL);
}

static void
color_scheme_changed_cb (SdApplication *self,
                         const char    *key,
                         GSettings     *settings)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  g_autofree char *scheme = g_settings_get_string (settings, "color-scheme");

  if (g_str_equal (scheme, "light"))
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  else if (g_str_equal (scheme, "dark"))
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
}

static void
sd_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SdPreferencesWindow *preferences = sd_preferences_window_new (self->settings);

  /* Its buttons use the application's actions (sign in, sign out). */
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
sd_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The SupportDesk developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", "SupportDesk",
                        "application-icon", APP_ID,
                        "developer-name", _("The SupportDesk developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("The cockpit of a Technical Account Manager: cases, SLA timers, health checks and reports"),
                        "website", "https://github.com/example/supportdesk",
                        "issue-url", "https://github.com/example/supportdesk/issues",
                        "copyright", "© 2026 The SupportDesk developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sd_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  SdApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows lets each one save its state. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (self));
}

static void
sd_application_unsent_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->account != NULL)
    gtk_window_present (GTK_WINDOW (sd_unsent_dialog_new (parent, self->account)));
}

static void
sd_application_work_offline_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  SdApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) local = sd_account_new_local (&error);

  if (local == NULL)
    g_warning ("Could not open the local workspace: %s", error->message);
  else
    sd_application_set_account (self, local);
}

static void
sd_application_open_case_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  SdApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (sd_window_new (self));
  gtk_window_present (window);
  sd_window_open_case (SD_WINDOW (window), g_variant_get_string (parameter, NULL));
}

#define MAX_SEPARATE_ALERTS 3

static void
send_alert (SdApplication *self,
            SdBoardCase   *row,
            int            alert)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *pill = NULL;
  g_autofree char *chip = NULL;
  g_autofree char *id = NULL;
  const char *label;
  const SdSlaClock *clock;
  gboolean daily;

  label = sd_board_case_get_number (row) ? sd_board_case_get_number (row) : sd_board_case_get_title (row);
  pill = sd_severity_pill_text (sd_board_case_get_severity (row));
  clock = sd_board_case_get_shown_clock (row, &daily);
  chip = sd_sla_clock_describe (alert == SD_BOARD_ALERT_DAILY_REPORT && !daily
                                ? &sd_board_case_get_sla (row)->daily_report : clock,
                                alert == SD_BOARD_ALERT_DAILY_REPORT, sd_clock_get_now (sd_clock_get_default ()),
                                NULL, NULL);
  switch (alert)
    {
    case SD_BOARD_ALERT_AT_RISK:
      /* Translators: a notification title; %s is the case number */
      title = g_strdup_printf (_("%s is at risk"), label);
      break;
    case SD_BOARD_ALERT_BREACHED:
      title = g_strdup_printf (_("%s breached its response target"), label);
      break;
    case SD_BOARD_ALERT_DAILY_REPORT:
    default:
      title = g_strdup_printf (_("Daily report due for %s"), label);
      break;
    }
  /* Translators: a notification body: customer, severity, title, SLA state */
  body = g_strdup_printf (_("%s · %s · %s\n%s"), sd_board_case_get_customer_name (row), pill,
                          sd_board_case_get_title (row), chip);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, alert == SD_BOARD_ALERT_AT_RISK ? G_NOTIFICATION_PRIORITY_HIGH
                                                                              : G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_default_action_and_target (notification, "app.open-case", "s", sd_board_case_get_id (row));
  g_notification_add_button_with_target (notification, _("Open Case"), "app.open-case", "s",
                                         sd_board_case_get_id (row));
  id = g_strdup_printf ("sla-%s-%d", sd_board_case_get_id (row), alert);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* Many cases turning at once (after a night offline, say) make one
 * notification, not a flood. */
static gboolean
flush_alerts_cb (gpointer user_data)
{
  SdApplication *self = user_data;
  g_autoptr(GPtrArray) alerts = g_steal_pointer (&self->alerts);

  self->alerts_source = 0;
  self->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) alert_free);
  /* After a resume, everything that came due while the machine slept is
   * one notification. */
  if (alerts->len <= MAX_SEPARATE_ALERTS
      && (alerts->len == 1 || g_get_monotonic_time () > self->summarize_until))
    {
      for (guint i = 0; i < alerts->len; i++)
        send_alert (self, ((Alert *) alerts->pdata[i])->row, ((Alert *) alerts->pdata[i])->alert);
    }
  else
    {
      g_autoptr(GNotification) notification = NULL;
      g_autoptr(GString) numbers = g_string_new (NULL);
      g_autofree char *title = NULL;

      for (guint i = 0; i < MIN (alerts->len, 5); i++)
        {
          SdBoardCase *row = ((Alert *) alerts->pdata[i])->row;

          if (numbers->len > 0)
            g_string_append (numbers, ", ");
          g_string_append (numbers, sd_board_case_get_number (row) ? sd_board_case_get_number (row)
                                                                    : sd_board_case_get_title (row));
        }
      if (alerts->len > 5)
        g_string_append (numbers, " …");
      /* Translators: one notification for many cases at once */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case needs attention", "%u cases need attention",
                                            alerts->len), alerts->len);
      notification = g_notification_new (title);
      g_notification_set_body (notification, numbers->str);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
      g_notification_set_default_action_and_target (notification, "app.open-case", "s",
                                                    sd_board_case_get_id (((Alert *) alerts->pdata[0])->row));
      g_application_send_notification (G_APPLICATION (self), "sla-summary", notification);
    }
  return G_SOURCE_REMOVE;
}

void
sd_application_notify_alert (SdApplication *self,
                             gpointer       board_case,
                             int            alert)
{
  Alert *queued;

  g_return_if_fail (SD_IS_APPLICATION (self));

  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "notifications"))
    return;
  queued = g_new0 (Alert, 1);
  queued->row = g_object_ref (board_case);
  queued->alert = alert;
  g_ptr_array_add (self->alerts, queued);
  if (self->alerts_source == 0)
    self->alerts_source = g_timeout_add (250, flush_alerts_cb, self);
}

/* ---------------------------------------------------------------- resume */

#define RESUME_SUMMARY_WINDOW (5 * G_USEC_PER_SEC)

static void
clock_resumed_cb (SdApplication *self,
                  SdClock       *clock)
{
  SdSyncEngine *engine = self->account ? sd_account_get_engine (self->account) : NULL;

  g_debug ("resumed: dropping idle connections, syncing once");
  self->summarize_until = g_get_monotonic_time () + RESUME_SUMMARY_WINDOW;
  if (engine != NULL)
    sd_sync_engine_resume (engine);
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean going_to_sleep;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    sd_clock_resumed (sd_clock_get_default ());
}

static void
got_system_bus_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SdApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      /* No system bus (a container, a test): the clock's tick still sees
       * the wall clock jump. */
      g_debug ("no system bus, resume seen by the clock only: %s", error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (bus);
      return;
    }
  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus, "org.freedesktop.login1", "org.freedesktop.login1.Manager",
                                        "PrepareForSleep", "/org/freedesktop/login1", NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, prepare_for_sleep_cb, NULL, NULL);
}

static void
watch_resume (SdApplication *self)
{
  g_signal_connect_object (sd_clock_get_default (), "resumed",
                           G_CALLBACK (clock_resumed_cb), self, G_CONNECT_SWAPPED);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, got_system_bus_cb, g_object_ref (self));
}

static void
unwatch_resume (SdApplication *self)
{
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);
}

static const GActionEntry app_actions[] = {
  { "open-case", sd_application_open_case_action, "s" },
  { "work-offline", sd_application_work_offline_action },
  { "unsent", sd_application_unsent_action },
  { "sign-in", sd_application_sign_in_action },
  { "sign-out", sd_application_sign_out_action },
  { "sync", sd_application_sync_action },
  { "preferences", sd_application_preferences_action },
  { "administration", sd_application_administration_action },
  { "change-password", sd_application_change_password_action },
  { "about", sd_application_about_action },
  { "quit", sd_application_quit_action },
};

static void
sd_application_activate (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (sd_window_new (self));

  gtk_window_present (window);
}

static void
sd_application_startup (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *sync_accels[] = { "<Control>r", NULL };
  static const char *administration_accels[] = { "<Control><Shift>a", NULL };

  G_APPLICATION_CLASS (sd_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.administration", administration_accels);

  self->settings = g_settings_new (BASE_ID);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (color_scheme_changed_cb), self,
                           G_CONNECT_SWAPPED);
  color_scheme_changed_cb (self, "color-scheme", self->settings);
  g_signal_connect_object (self->settings, "changed::sync-interval",
                           G_CALLBACK (sync_interval_changed_cb), self, G_CONNECT_SWAPPED);

  update_account_actions (self);
  watch_resume (self);
  /* The keyring answers over D-Bus: never wait for it here. */
  sd_account_restore_async (self->cancellable, restored_cb, g_object_ref (self));
}

static void
sd_application_finalize (GObject *object)
{
  SdApplication *self = SD_APPLICATION (object);

  g_clear_handle_id (&self->alerts_source, g_source_remove);
  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  unwatch_resume (self);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->role_cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->account);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sd_application_parent_class)->finalize (object);
}

static void
sd_application_shutdown (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->role_cancellable);
  unwatch_resume (self);
  if (self->account != NULL && sd_account_get_engine (self->account) != NULL)
    sd_sync_engine_stop (sd_account_get_engine (self->account));

  G_APPLICATION_CLASS (sd_application_parent_class)->shutdown (app);
}

static void
sd_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SdApplication *self = SD_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_application_class_init (SdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sd_application_finalize;
  object_class->get_property = sd_application_get_property;
  app_class->shutdown = sd_application_shutdown;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, SD_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  app_class->activate = sd_application_activate;
  app_class->startup = sd_application_startup;
}

static void
sd_application_init (SdApplication *self)
{
  self->cancellable = g_cancellable_new ();
  self->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) alert_free);
  self->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (look_up_role), self, G_CONNECT_SWAPPED);
}

SdApplication *
sd_application_new (void)
{
  return g_object_new (SD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/example/SupportDesk",
                       NULL);
}

GSettings *
sd_application_get_settings (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * sd_application_init_i18n:
 *
 * Sets up gettext. An uninstalled build (tests, `meson devenv`) points
 * SUPPORTDESK_LOCALEDIR at its own compiled catalogs.
 */
void
sd_application_init_i18n (void)
{
  const char *localedir = g_getenv ("SUPPORTDESK_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

SdAccount *
sd_application_get_account (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);
  return self->account;
}

/**
 * sd_application_set_account:
 *
 * Makes @account the signed-in one (NULL: signed out) and starts its
 * automatic sync.
 */
void
sd_application_set_account (SdApplication *self,
                            SdAccount     *account)
{
  g_return_if_fail (SD_IS_APPLICATION (self));
  g_return_if_fail (!account || SD_IS_ACCOUNT (account));

  if (self->account == account)
    return;
  if (self->account != NULL && sd_account_get_engine (self->account) != NULL)
    sd_sync_engine_stop (sd_account_get_engine (self->account));
  g_set_object (&self->account, account);
  if (account != NULL && sd_account_get_engine (account) != NULL)
    {
      SdSyncEngine *engine = sd_account_get_engine (account);
      /* Tests: a short keep-alive lifetime, so that a SIGSTOP outlasts it
       * in seconds. */
      guint64 idle_timeout = g_ascii_strtoull (g_getenv ("SUPPORTDESK_IDLE_TIMEOUT") ?: "0", NULL, 10);

      if (idle_timeout > 0 && idle_timeout <= 3600)
        sd_rest_client_set_idle_timeout (sd_sync_engine_get_client (engine), idle_timeout);
      sd_sync_engine_start (engine, g_settings_get_uint (self->settings, "sync-interval"));
    }
  self->admin = FALSE;
  g_signal_group_set_target (self->store_signals, account ? sd_account_get_store (account) : NULL);
  look_up_role (self);
  update_account_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}
