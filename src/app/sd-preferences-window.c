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

  if (SD_IS_APPLICATION (g_application_get_default ()))
    g_signal_connect_object (g_application_get_default (), "notify::account", G_CALLBACK (update_account), self,
                             G_CONNECT_SWAPPED);
  update_account (self);
}

static void
sd_preferences_window_finalize (GObject *object)
{
  SdPreferencesWindow *self = SD_PREFERENCES_WINDOW (object);

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
}

static void
sd_preferences_window_init (SdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdPreferencesWindow *
sd_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SD_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
