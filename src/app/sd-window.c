/* sd-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-window.h"

struct _SdWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;  /* owned */

  /* template children */
  AdwViewStack *view_stack;
};

G_DEFINE_FINAL_TYPE (SdWindow, sd_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const view_names[] = { "cases", "health-checks", "reports" };

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

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_WINDOW);

  G_OBJECT_CLASS (sd_window_parent_class)->dispose (object);
}

static void
sd_window_finalize (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  g_clear_object (&self->settings);

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

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdWindow, view_stack);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s",
                                   sd_window_show_view_action);
  for (guint i = 0; i < G_N_ELEMENTS (view_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-view", "s", view_names[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
sd_window_init (SdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

SdWindow *
sd_window_new (SdApplication *application)
{
  return g_object_new (SD_TYPE_WINDOW,
                       "application", application,
                       NULL);
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
