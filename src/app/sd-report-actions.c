/* sd-report-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report-actions"

#include "config.h"

#include "sd-report-actions.h"

struct _SdReportActions
{
  GtkBox parent_instance;
};

G_DEFINE_FINAL_TYPE (SdReportActions, sd_report_actions, GTK_TYPE_BOX)

static void
sd_report_actions_class_init (SdReportActionsClass *klass)
{
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               "/org/example/SupportDesk/sd-report-actions.ui");
}

static void
sd_report_actions_init (SdReportActions *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
