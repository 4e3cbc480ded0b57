/* sd-health-check-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-health-check-row"

#include "config.h"

#include "sd-health-check-row.h"

struct _SdHealthCheckRow
{
  AdwActionRow parent_instance;

  /* template children */
  GtkWidget *overdue_box;
  GtkWidget *schedule_button;
  GtkWidget *checklist_button;
};

G_DEFINE_FINAL_TYPE (SdHealthCheckRow, sd_health_check_row, ADW_TYPE_ACTION_ROW)

static void
sd_health_check_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_HEALTH_CHECK_ROW);
  G_OBJECT_CLASS (sd_health_check_row_parent_class)->dispose (object);
}

static void
sd_health_check_row_class_init (SdHealthCheckRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_health_check_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-health-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SdHealthCheckRow, overdue_box);
  gtk_widget_class_bind_template_child (widget_class, SdHealthCheckRow, schedule_button);
  gtk_widget_class_bind_template_child (widget_class, SdHealthCheckRow, checklist_button);
}

static void
sd_health_check_row_init (SdHealthCheckRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sd_health_check_row_new (const char *customer_id,
                         const char *name,
                         const char *description,
                         gboolean    entitled,
                         gboolean    overdue,
                         gboolean    checklist)
{
  SdHealthCheckRow *self = g_object_new (SD_TYPE_HEALTH_CHECK_ROW, NULL);
  g_autofree char *title = g_markup_escape_text (name, -1);
  g_autofree char *subtitle = g_markup_escape_text (description, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (self),
                                entitled ? "checkbox-checked-symbolic" : "action-unavailable-symbolic");
  gtk_widget_set_visible (self->overdue_box, overdue);
  if (overdue)
    gtk_widget_add_css_class (GTK_WIDGET (self), "overdue");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->schedule_button), "s", customer_id);
  /* Without the certificate there is nothing to schedule. */
  gtk_widget_set_visible (self->schedule_button, entitled);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->checklist_button), "s", customer_id);
  gtk_widget_set_visible (self->checklist_button, checklist);
  return GTK_WIDGET (self);
}
