/* sd-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-board.h"
#include "sd-case-view.h"
#include "sd-clock.h"
#include "sd-health-checks-page.h"
#include "sd-new-case-dialog.h"
#include "sd-notifications-button.h"
#include "sd-reports-page.h"
#include "sd-sla-text.h"
#include "sd-window.h"

struct _SdWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;  /* owned */

  SdAccount *account;    /* the application's, watched; a reference of our own */
  GCancellable *cancellable;
  GSignalGroup *engine_signals;  /* the account's sync engine: state, last sync */
  GSignalGroup *store_signals;   /* the account's store: "changed" */
  guint      n_unsent;       /* conflicts and refused changes */
  SdSyncState last_state;

  /* template children */
  AdwViewStack  *view_stack;
  AdwStatusPage *cases_status;
  GtkStack      *cases_stack;
  AdwLeaflet    *leaflet;
  SdBoard       *board;
  SdReportsPage *reports_page;          /* built when first shown */
  AdwBin        *reports_bin;
  GtkWidget     *case_pane;
  GtkWidget     *case_separator;
  SdCaseView    *case_view;
  SdHealthChecksPage *health_checks_page;  /* built when first shown */
  AdwBin        *health_checks_bin;
  GtkWidget     *search_button;
  SdNotificationsButton *notifications_button;
  GtkWidget     *new_case_button;
  GtkButton     *cases_button;
  GtkButton     *offline_button;
  GtkButton     *sync_button;
  GtkImage      *sync_icon;
  GtkLabel      *sync_label;
  AdwToastOverlay *toast_overlay;

  guint          n_pending;    /* changes in the outbox, not sent yet */
  gboolean       push_wanted;  /* a change was queued since the last round began */
};

G_DEFINE_FINAL_TYPE (SdWindow, sd_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const view_names[] = { "cases", "health-checks", "reports" };

static char *
format_time (gint64 unix_time)
{
  /* Translators: the time of day of the last sync, see strftime(3) */
  return sd_time_format (unix_time, NULL, C_("time format", "%H:%M"));
}

/* The sync indicator: a word and an icon, never colour alone. */
/* The button shows an icon and a label in a box: a screen reader gets
 * the label as the button's name. */
static void
sync_label_changed_cb (SdWindow *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->sync_label), -1);
}

static void
update_sync_state (SdWindow *self)
{
  SdSyncEngine *engine = self->account ? sd_account_get_engine (self->account) : NULL;
  g_autofree char *label = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon = "emblem-synchronizing-symbolic";

  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), self->account != NULL);
  if (self->account == NULL)
    return;
  if (engine == NULL)
    {
      gtk_label_set_label (self->sync_label, _("Local Only"));
      gtk_image_set_from_icon_name (self->sync_icon, "network-offline-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), _("Connect this workspace to a server"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "app.sign-in");
      return;
    }

  /* Changes that need the user come first: the button leads to them. */
  if (self->n_unsent > 0 && sd_sync_engine_get_state (engine) != SD_SYNC_STATE_SYNCING)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Change Not Sent",
                                                            "%u Changes Not Sent", self->n_unsent),
                                               self->n_unsent);

      gtk_label_set_label (self->sync_label, text);
      gtk_image_set_from_icon_name (self->sync_icon, "dialog-warning-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), _("Review the changes the server did not take"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "app.unsent");
      return;
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "app.sync");

  /* Changes still on their way: how many, and whether they can go. */
  if (self->n_pending > 0 && sd_sync_engine_get_state (engine) != SD_SYNC_STATE_SYNCING)
    {
      gboolean offline = sd_sync_engine_get_state (engine) == SD_SYNC_STATE_OFFLINE;
      g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change not sent yet",
                                                             "%u changes not sent yet", self->n_pending),
                                                self->n_pending);

      /* Translators: the sync state, then how many changes wait, e.g. "Offline · 3 changes not sent yet" */
      label = offline ? g_strdup_printf (_("%s · %s"), _("Offline"), count) : g_steal_pointer (&count);
      gtk_label_set_label (self->sync_label, label);
      gtk_image_set_from_icon_name (self->sync_icon, offline ? "network-offline-symbolic" : "document-send-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button),
                                   offline ? _("Your changes are kept on this computer and sent when the server can be reached — click to try now")
                                           : _("Your changes are kept on this computer until the server takes them — click to send them now"));
      return;
    }

  switch (sd_sync_engine_get_state (engine))
    {
    case SD_SYNC_STATE_SYNCING:
      label = g_strdup (_("Syncing…"));
      break;
    case SD_SYNC_STATE_SYNCED:
      {
        g_autofree char *time = format_time (sd_sync_engine_get_last_sync (engine));
        /* Translators: the time of the last sync, e.g. "Synced at 14:05:12" */
        label = g_strdup_printf (_("Synced at %s"), time);
        icon = "emblem-ok-symbolic";
      }
      break;
    case SD_SYNC_STATE_OFFLINE:
      label = g_strdup (_("Offline"));
      icon = "network-offline-symbolic";
      break;
    case SD_SYNC_STATE_ERROR:
      label = g_strdup (_("Sync Problem"));
      icon = "dialog-warning-symbolic";
      break;
    case SD_SYNC_STATE_IDLE:
    default:
      label = g_strdup (_("Not Synced Yet"));
      break;
    }

  if (sd_sync_engine_get_last_error (engine) != NULL
      && sd_sync_engine_get_state (engine) != SD_SYNC_STATE_SYNCED)
    /* Translators: the reason the last sync failed, then what the button does */
    tooltip = g_strdup_printf (_("%s — click to sync now"), sd_sync_engine_get_last_error (engine));
  else
    tooltip = g_strdup (_("Sync Now"));

  gtk_label_set_label (self->sync_label, label);
  gtk_image_set_from_icon_name (self->sync_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), tooltip);
}

static void
toast (SdWindow   *self,
       const char *title,
       const char *button,
       const char *action)
{
  AdwToast *toast = adw_toast_new (title);

  if (button != NULL)
    {
      adw_toast_set_button_label (toast, button);
      adw_toast_set_action_name (toast, action);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A change queued while the server answers is sent at once, not at the
 * next timed round; one queued during a round is sent after it. */
static void
push_queued_changes (SdWindow *self)
{
  SdSyncEngine *engine = self->account ? sd_account_get_engine (self->account) : NULL;

  if (!self->push_wanted || engine == NULL || sd_sync_engine_get_state (engine) != SD_SYNC_STATE_SYNCED)
    return;
  self->push_wanted = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync", NULL);
}

/* A toast when sync starts failing, once; the indicator keeps the state. */
static void
sync_state_changed_cb (SdWindow *self)
{
  SdSyncEngine *engine = self->account ? sd_account_get_engine (self->account) : NULL;
  SdSyncState state = engine ? sd_sync_engine_get_state (engine) : SD_SYNC_STATE_IDLE;

  if (state == SD_SYNC_STATE_OFFLINE && self->last_state != SD_SYNC_STATE_OFFLINE)
    toast (self, _("Offline: your changes are kept and sent when the server can be reached"), NULL, NULL);
  else if (state == SD_SYNC_STATE_ERROR && self->last_state != SD_SYNC_STATE_ERROR)
    toast (self, sd_sync_engine_get_last_error (engine), _("_Retry"), "app.sync");
  if (state != SD_SYNC_STATE_SYNCING)
    self->last_state = state;
  push_queued_changes (self);
  update_sync_state (self);
}

static void
update_cases_page (SdWindow *self)
{
  gtk_stack_set_visible_child_name (self->cases_stack, self->account != NULL ? "board" : "status");
  gtk_widget_set_visible (self->search_button, self->account != NULL);
  gtk_widget_set_visible (self->new_case_button, self->account != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-case", self->account != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", self->account != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->offline_button), self->account == NULL);
  /* Without an account the page says what the board will be and how to
   * get there; with one, the board shows the cases. */
  if (self->account == NULL)
    {
      adw_status_page_set_icon_name (self->cases_status, "view-list-bullet-symbolic");
      adw_status_page_set_title (self->cases_status, _("No Cases Yet"));
      adw_status_page_set_description (self->cases_status,
                                       _("The open cases of your customers will appear here on a board, ordered by urgency, with live SLA timers. Sign in to a SupportDesk server to see them."));
      gtk_button_set_label (self->cases_button, _("_Sign In…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->cases_button), "app.sign-in");
    }
}

static void
store_changed_cb (SdWindow *self)
{
  guint pending = 0, conflicts = 0, attention = 0;
  guint before = self->n_unsent;

  /* Three counts on indexed columns. */
  sd_local_store_get_counts (sd_account_get_store (self->account), &pending, &conflicts, &attention, NULL);
  self->n_unsent = conflicts + attention;
  if (pending > self->n_pending)
    self->push_wanted = TRUE;
  self->n_pending = pending;
  if (self->n_unsent > before)
    toast (self, _("The server did not take some of your changes"), _("_Review"), "app.unsent");
  push_queued_changes (self);
  update_sync_state (self);
}

static void
give_pages_the_account (SdWindow *self)
{
  SdAccount *account = self->account;

  if (self->health_checks_page != NULL)
    sd_health_checks_page_set_store (self->health_checks_page, account ? sd_account_get_store (account) : NULL,
                                     account ? sd_board_get_data (self->board) : NULL);
  if (self->reports_page != NULL)
    sd_reports_page_set_store (self->reports_page, account ? sd_account_get_store (account) : NULL,
                               account && !sd_account_is_local (account) ? sd_account_get_login (account) : NULL);
}

/* The Health Checks and Reports views are built when first shown: the
 * window's first frame waits for the board only. */
static void
visible_view_changed_cb (SdWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "health-checks") == 0 && self->health_checks_page == NULL)
    {
      self->health_checks_page = g_object_new (SD_TYPE_HEALTH_CHECKS_PAGE, NULL);
      adw_bin_set_child (self->health_checks_bin, GTK_WIDGET (self->health_checks_page));
      give_pages_the_account (self);
    }
  else if (g_strcmp0 (name, "reports") == 0 && self->reports_page == NULL)
    {
      self->reports_page = SD_REPORTS_PAGE (sd_reports_page_new ());
      adw_bin_set_child (self->reports_bin, GTK_WIDGET (self->reports_page));
      give_pages_the_account (self);
    }
}

static void
watch_account (SdWindow  *self,
               SdAccount *account)
{
  /* The application may have dropped the old account already: this
   * window keeps its own reference until it is done with it. */
  g_set_object (&self->account, account);
  self->n_unsent = 0;
  self->n_pending = 0;
  self->push_wanted = FALSE;
  self->last_state = SD_SYNC_STATE_IDLE;
  g_signal_group_set_target (self->engine_signals, account ? sd_account_get_engine (account) : NULL);
  g_signal_group_set_target (self->store_signals, account ? sd_account_get_store (account) : NULL);
  if (account != NULL)
    store_changed_cb (self);
  sd_window_close_case (self);
  sd_notifications_button_set_store (self->notifications_button, account && !sd_account_is_local (account)
                                                                  ? sd_account_get_store (account) : NULL);
  sd_board_set_store (self->board, account ? sd_account_get_store (account) : NULL,
                      account && !sd_account_is_local (account) ? sd_account_get_login (account) : NULL);
  give_pages_the_account (self);
  update_sync_state (self);
  update_cases_page (self);
}

/* ------------------------------------------------------------ the board */

void
sd_window_open_case (SdWindow   *self,
                     const char *id)
{
  g_return_if_fail (SD_IS_WINDOW (self));

  if (self->account == NULL || id == NULL)
    return;
  sd_window_set_visible_view (self, "cases");
  sd_case_view_show (self->case_view, sd_account_get_store (self->account), sd_board_get_data (self->board), id);
  gtk_widget_set_visible (self->case_pane, TRUE);
  gtk_widget_set_visible (self->case_separator, TRUE);
  adw_leaflet_set_visible_child (self->leaflet, self->case_pane);
}

void
sd_window_close_case (SdWindow *self)
{
  g_autofree char *id = NULL;

  g_return_if_fail (SD_IS_WINDOW (self));

  id = g_strdup (sd_case_view_get_case_id (self->case_view));
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->board));
  gtk_widget_set_visible (self->case_pane, FALSE);
  gtk_widget_set_visible (self->case_separator, FALSE);
  /* The keyboard goes back where it was: the case's card. */
  if (id != NULL)
    sd_board_focus_case (self->board, id);
}

void
sd_window_add_toast (SdWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (SD_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

SdBoard *
sd_window_get_board (SdWindow *self)
{
  return self->board;
}

SdCaseView *
sd_window_get_case_view (SdWindow *self)
{
  return self->case_view;
}

static void
board_loaded_cb (SdWindow *self)
{
  if (self->account != NULL && self->health_checks_page != NULL)
    sd_health_checks_page_set_store (self->health_checks_page, sd_account_get_store (self->account),
                                     sd_board_get_data (self->board));
  /* The case view's customers and users follow the board's. */
  if (gtk_widget_get_visible (self->case_pane) && sd_case_view_get_case_id (self->case_view) != NULL)
    sd_case_view_show (self->case_view, sd_account_get_store (self->account), sd_board_get_data (self->board),
                       sd_case_view_get_case_id (self->case_view));
}

static void
case_activated_cb (SdWindow   *self,
                   const char *id)
{
  sd_window_open_case (self, id);
}

/* win.toast: any widget in the window shows a message with
 * gtk_widget_activate_action (widget, "win.toast", "s", text). */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  toast (SD_WINDOW (widget), g_variant_get_string (parameter, NULL), NULL, NULL);
}

static void
moved_cb (SdWindow     *self,
          const char   *id,
          const char   *label,
          SdCaseStatus  from,
          SdCaseStatus  to,
          gboolean      announce)
{
  AdwToast *moved;
  g_autofree char *title = NULL;

  if (!announce)
    return;
  /* Translators: a case moved on the board, e.g. "SD-2026-00042 moved to In Progress" */
  title = g_strdup_printf (_("%s moved to %s"), label, sd_case_status_get_label (to));
  moved = adw_toast_new (title);
  adw_toast_set_button_label (moved, _("_Undo"));
  adw_toast_set_action_name (moved, "win.move-case");
  adw_toast_set_action_target_value (moved, g_variant_new ("(si)", id, (gint32) from));
  adw_toast_overlay_add_toast (self->toast_overlay, moved);
}

static void
alert_cb (SdWindow     *self,
          SdBoardCase  *row,
          SdBoardAlert  alert)
{
  sd_application_notify_alert (SD_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))), row, alert);
}

/* Before the tick that follows a resume: the whole board at once, not a
 * slice per tick, so that what came due during the suspend is raised in
 * one go. */
static void
clock_resumed_cb (SdWindow *self,
                  SdClock  *clock)
{
  if (sd_board_is_loaded (self->board))
    sd_board_catch_up (self->board);
}

static void
move_case_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  const char *id;
  gint32 status;

  g_variant_get (parameter, "(&si)", &id, &status);
  if (status >= 0 && status < SD_N_CASE_STATUSES)
    sd_board_move (self->board, id, status, FALSE);
}

static void
close_case_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  sd_window_close_case (SD_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  sd_window_set_visible_view (self, "cases");
  sd_board_start_search (self->board);
}

static void
case_created_cb (SdWindow   *self,
                 const char *id)
{
  toast (self, _("Case created; it is sent with the next sync"), NULL, NULL);
  sd_window_open_case (self, id);
}

SdNewCaseDialog *
sd_window_new_case (SdWindow *self)
{
  SdNewCaseDialog *dialog;

  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);

  if (self->account == NULL)
    return NULL;
  dialog = sd_new_case_dialog_new (GTK_WINDOW (self), sd_account_get_store (self->account),
                                   sd_board_get_data (self->board));
  g_signal_connect_object (dialog, "created", G_CALLBACK (case_created_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
new_case_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  sd_window_new_case (SD_WINDOW (widget));
}

static void
account_changed_cb (SdWindow      *self,
                    GParamSpec    *pspec,
                    SdApplication *app)
{
  watch_account (self, sd_application_get_account (app));
}

static void
sd_window_save_state (SdWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

static gboolean
sd_window_close_request (GtkWindow *window)
{
  sd_window_save_state (SD_WINDOW (window));

  return GTK_WINDOW_CLASS (sd_window_parent_class)->close_request (window);
}

static void
sd_window_show_view_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  sd_window_set_visible_view (SD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
sd_window_constructed (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);
  g_autofree char *last_view = NULL;
  G_OBJECT_CLASS (sd_window_parent_class)->constructed (object);

  self->settings = g_settings_new (BASE_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_view = g_settings_get_string (self->settings, "last-view");
  sd_window_set_visible_view (self, last_view);
  g_settings_bind (self->settings, "last-view",
                   self->view_stack, "visible-child-name",
                   G_SETTINGS_BIND_SET);
}

static void
sd_window_dispose (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  watch_account (self, NULL);
  g_clear_object (&self->engine_signals);
  g_clear_object (&self->store_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_WINDOW);

  G_OBJECT_CLASS (sd_window_parent_class)->dispose (object);
}

static void
sd_window_finalize (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sd_window_parent_class)->finalize (object);
}

static void
sd_window_class_init (SdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sd_window_constructed;
  object_class->dispose = sd_window_dispose;
  object_class->finalize = sd_window_finalize;
  window_class->close_request = sd_window_close_request;

  g_type_ensure (SD_TYPE_BOARD);
  g_type_ensure (SD_TYPE_CASE_VIEW);
  g_type_ensure (SD_TYPE_NOTIFICATIONS_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, cases_status);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, cases_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, board);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, reports_bin);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, case_pane);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, case_separator);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, case_view);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, health_checks_bin);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, notifications_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, new_case_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, cases_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, offline_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, toast_overlay);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s",
                                   sd_window_show_view_action);
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-view", "s", view_names[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_install_action (widget_class, "win.new-case", NULL, new_case_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.close-case", NULL, close_case_action);
  gtk_widget_class_install_action (widget_class, "win.move-case", "(si)", move_case_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-case", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
sd_window_init (SdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->sync_label, "notify::label", G_CALLBACK (sync_label_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->cancellable = g_cancellable_new ();
  self->engine_signals = g_signal_group_new (SD_TYPE_SYNC_ENGINE);
  g_signal_group_connect_object (self->engine_signals, "notify::state", G_CALLBACK (sync_state_changed_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->engine_signals, "notify::last-sync", G_CALLBACK (update_sync_state),
                                 self, G_CONNECT_SWAPPED);
  self->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (store_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  g_signal_connect_object (self->board, "case-activated", G_CALLBACK (case_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->board, "moved", G_CALLBACK (moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->board, "alert", G_CALLBACK (alert_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->board, "loaded", G_CALLBACK (board_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sd_clock_get_default (), "resumed", G_CALLBACK (clock_resumed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name", G_CALLBACK (visible_view_changed_cb),
                           self, G_CONNECT_SWAPPED);

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

SdWindow *
sd_window_new (SdApplication *application)
{
  SdWindow *self = g_object_new (SD_TYPE_WINDOW,
                                 "application", application,
                                 NULL);

  /* The window shows the application's account and follows it. */
  g_signal_connect_object (application, "notify::account", G_CALLBACK (account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  watch_account (self, sd_application_get_account (application));
  return self;
}

const char *
sd_window_get_visible_view (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

void
sd_window_set_visible_view (SdWindow   *self,
                            const char *name)
{
  g_return_if_fail (SD_IS_WINDOW (self));

  if (name != NULL && g_strv_contains (view_names, name))
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}
