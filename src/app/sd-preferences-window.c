/* sd-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-application.h"
#include "sd-preferences-window.h"

struct _SdPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;  /* owned */

  /* template children */
  AdwActionRow *account_row;
  GtkButton    *account_button;
  AdwComboRow  *interval_row;
  GtkWidget    *availability_group;
  AdwExpanderRow *away_row;
  GtkWidget    *back_row;
  GtkSwitch    *notify_switch;

  gboolean      filling;    /* showing the stored availability: not an edit */
  GCancellable *cancellable;
};

/* The choices of the interval row, in seconds. */
static const guint intervals[] = { 60, 300, 900, 1800, 3600 };

G_DEFINE_FINAL_TYPE (SdPreferencesWindow, sd_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------ availability */

static SdAccount *
current_account (void)
{
  GApplication *app = g_application_get_default ();

  return SD_IS_APPLICATION (app) ? sd_application_get_account (SD_APPLICATION (app)) : NULL;
}

typedef struct {
  char     *login;
  gboolean  write;
  gint64    until;     /* SD_TIME_NONE: present */
  gint64    current;   /* read back */
} Availability;

static void
availability_free (Availability *data)
{
  g_free (data->login);
  g_free (data);
}

/* Finds the signed-in user in the local copy and, when asked, queues the
 * change of their availability; in a worker thread. */
static void
availability_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Availability *data = task_data;
  g_autoptr(GPtrArray) users = NULL;
  GError *error = NULL;

  if (!(users = sd_local_store_list (source_object, "user", NULL, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < users->len; i++)
    {
      g_autoptr(SdUser) user = sd_user_from_json (users->pdata[i], NULL, NULL);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) patch = NULL;

      if (user == NULL || g_strcmp0 (sd_user_get_login (user), data->login) != 0)
        continue;
      data->current = sd_user_get_out_of_office_until (user);
      if (!data->write)
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      if (data->until == SD_TIME_NONE)
        {
          json_builder_set_member_name (builder, "out_of_office_until");
          json_builder_add_null_value (builder);
        }
      else
        sd_json_builder_add_time (builder, "out_of_office_until", data->until);
      json_builder_end_object (builder);
      patch = json_builder_get_root (builder);
      if (sd_local_store_enqueue (source_object, SD_OUTBOX_OP_UPDATE, "user", sd_user_get_id (user), patch,
                                  sd_user_get_version (user), &error) == 0)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Your user is not in the local copy yet: sync first"));
}

static void
availability_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SdPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  Availability *data = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  if (data->write)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (data->until == SD_TIME_NONE
                                                       ? _("You are shown as present")
                                                       : _("You are shown as out of office")));
      return;
    }
  self->filling = TRUE;
  adw_expander_row_set_enable_expansion (self->away_row, data->current != SD_TIME_NONE
                                                          && data->current > g_get_real_time () / G_USEC_PER_SEC);
  if (data->current != SD_TIME_NONE)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (data->current);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *text = g_date_time_format (local, "%Y-%m-%d");

      gtk_editable_set_text (GTK_EDITABLE (self->back_row), text);
    }
  self->filling = FALSE;
}

static void
run_availability (SdPreferencesWindow *self,
                  gboolean             write,
                  gint64               until)
{
  SdAccount *account = current_account ();
  g_autoptr(GTask) task = NULL;
  Availability *data;

  if (account == NULL || sd_account_is_local (account))
    return;
  data = g_new0 (Availability, 1);
  data->login = g_strdup (sd_account_get_login (account));
  data->write = write;
  data->until = until;
  task = g_task_new (sd_account_get_store (account), self->cancellable, availability_done_cb, g_object_ref (self));
  g_task_set_task_data (task, data, (GDestroyNotify) availability_free);
  g_task_run_in_thread (task, availability_thread);
}

static void
back_applied_cb (SdPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->back_row))));
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) day = NULL;
  guint32 julian;
  GDate date;

  gtk_widget_remove_css_class (self->back_row, "error");
  if (!sd_date_parse (text, &julian, NULL))
    {
      gtk_widget_add_css_class (self->back_row, "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("Write the day you are back as 2026-12-24")));
      return;
    }
  g_date_set_julian (&date, julian);
  day = g_date_time_new (local, g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), 0, 0, 0);
  if (day == NULL || g_date_time_to_unix (day) <= g_get_real_time () / G_USEC_PER_SEC)
    {
      gtk_widget_add_css_class (self->back_row, "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_("The day you are back must be in the future")));
      return;
    }
  run_availability (self, TRUE, g_date_time_to_unix (day));
}

static void
away_toggled_cb (SdPreferencesWindow *self)
{
  if (self->filling)
    return;
  if (!adw_expander_row_get_enable_expansion (self->away_row))
    run_availability (self, TRUE, SD_TIME_NONE);
  else
    adw_expander_row_set_expanded (self->away_row, TRUE);
}

static void
update_account (SdPreferencesWindow *self)
{
  GApplication *app = g_application_get_default ();
  SdAccount *account = SD_IS_APPLICATION (app) ? sd_application_get_account (SD_APPLICATION (app)) : NULL;

  if (account == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Not Signed In"));
      adw_action_row_set_subtitle (self->account_row, _("Sign in to a SupportDesk server to sync your customers’ cases"));
      gtk_button_set_label (self->account_button, _("_Sign In…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->account_button), "app.sign-in");
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_button), "destructive-action");
    }
  else if (sd_account_is_local (account))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), _("Local Workspace"));
      adw_action_row_set_subtitle (self->account_row, _("Kept on this computer only, until you connect it to a server"));
      gtk_button_set_label (self->account_button, _("_Connect…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->account_button), "app.sign-in");
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_button), "destructive-action");
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->account_row), sd_account_get_login (account));
      adw_action_row_set_subtitle (self->account_row, sd_account_get_server (account));
      gtk_button_set_label (self->account_button, _("Sign _Out…"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->account_button), "app.sign-out");
      gtk_widget_add_css_class (GTK_WIDGET (self->account_button), "destructive-action");
    }
}

static void
interval_selected_cb (SdPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->interval_row);

  if (selected < G_N_ELEMENTS (intervals))
    g_settings_set_uint (self->settings, "sync-interval", intervals[selected]);
}

static void
sd_preferences_window_constructed (GObject *object)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) color_scheme = NULL;

  G_OBJECT_CLASS (sd_preferences_window_parent_class)->constructed (object);

  /* The radio rows are bound to the settings through a stateful action. */
  color_scheme = g_settings_create_action (self->settings, "color-scheme");
  g_action_map_add_action (G_ACTION_MAP (group), color_scheme);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (group));

  /* The nearest choice to the stored interval. */
  {
    guint seconds = g_settings_get_uint (self->settings, "sync-interval");
    guint best = 0;

    for (guint i = 1; i < G_N_ELEMENTS (intervals); i++)
      if (ABS ((int) intervals[i] - (int) seconds) < ABS ((int) intervals[best] - (int) seconds))
        best = i;
    adw_combo_row_set_selected (self->interval_row, best);
  }
  g_signal_connect_object (self->interval_row, "notify::selected", G_CALLBACK (interval_selected_cb), self,
                           G_CONNECT_SWAPPED);
  g_settings_bind (self->settings, "notifications", self->notify_switch, "active", G_SETTINGS_BIND_DEFAULT);

  /* Availability lives on the server: only for a signed-in account. */
  {
    SdAccount *account = current_account ();

    gtk_widget_set_visible (self->availability_group, account != NULL && !sd_account_is_local (account));
    run_availability (self, FALSE, 0);
  }

  if (SD_IS_APPLICATION (g_application_get_default ()))
    g_signal_connect_object (g_application_get_default (), "notify::account", G_CALLBACK (update_account), self,
                             G_CONNECT_SWAPPED);
  update_account (self);
}

static void
sd_preferences_window_finalize (GObject *object)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sd_preferences_window_parent_class)->finalize (object);
}

static void
sd_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_preferences_window_class_init (SdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sd_preferences_window_constructed;
  object_class->finalize = sd_preferences_window_finalize;
  object_class->set_property = sd_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, interval_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, availability_group);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, away_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, back_row);
  gtk_widget_class_bind_template_child (widget_class, SdPreferencesWindow, notify_switch);
}

static void
sd_preferences_window_init (SdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->back_row, "apply", G_CALLBACK (back_applied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->away_row, "notify::enable-expansion", G_CALLBACK (away_toggled_cb), self,
                           G_CONNECT_SWAPPED);
}

SdPreferencesWindow *
sd_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SD_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
