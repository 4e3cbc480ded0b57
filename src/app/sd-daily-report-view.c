/* sd-daily-report-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-daily-report-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-daily-report-view.h"
#include "sd-sla-text.h"

struct _SdDailyReportView
{
  SdReportView parent_instance;

  /* template children */
  GtkWidget *list;              /* GtkBox of one group per case */
  GtkWidget *empty;
};

G_DEFINE_FINAL_TYPE (SdDailyReportView, sd_daily_report_view, SD_TYPE_REPORT_VIEW)

static const SdDailyReport *
report (SdDailyReportView *self)
{
  return sd_report_view_get_report (SD_REPORT_VIEW (self));
}

static GtkWidget *
item_group (SdDailyReportItem *item,
            guint              i)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *body = gtk_label_new (item->body);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *card;
  g_autofree char *due = sd_format_customer_time (item->sla.daily_report.due,
                                                 sd_customer_get_time_zone (item->customer));
  g_autofree char *description = NULL;
  struct { const char *label; const char *action; const char *tooltip; } actions[] = {
    { _("Copy"), "reports.copy", _("Copy the report to the clipboard") },
    { _("Open in Mail"), "reports.mail", _("Open the report in the mail client") },
    { _("Log as Sent"), "reports.log-sent", _("Record that the report was sent; restarts the daily-report clock") },
  };

  /* Translators: the customer and when the next daily report is due, e.g. "上海浦江银行 · next report due 26/11/2026 10:00" */
  description = g_strdup_printf (_("%s · next report due %s"), sd_customer_get_name (item->customer), due);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), item->subject);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_widget_set_margin_top (body, 12);
  gtk_widget_set_margin_bottom (body, 12);
  gtk_widget_set_margin_start (body, 12);
  gtk_widget_set_margin_end (body, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (body), GTK_ACCESSIBLE_PROPERTY_LABEL, item->subject, -1);
  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), body);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), card);

  gtk_widget_set_margin_top (buttons, 6);
  for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      /* One set per report: no mnemonics, which would repeat. */
      GtkWidget *button = gtk_button_new_with_label (actions[a].label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), actions[a].action);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
      gtk_widget_set_tooltip_text (button, actions[a].tooltip);
      if (a == 2)
        gtk_widget_add_css_class (button, "suggested-action");
      gtk_box_append (GTK_BOX (buttons), button);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  return group;
}

static void
sd_daily_report_view_show (SdReportView *view)
{
  SdDailyReportView *self = SD_DAILY_REPORT_VIEW (view);
  const SdDailyReport *daily = report (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);
  gtk_widget_set_visible (self->empty, daily->items->len == 0);
  for (guint i = 0; i < daily->items->len; i++)
    gtk_box_append (GTK_BOX (self->list), item_group (daily->items->pdata[i], i));
}

static gpointer
sd_daily_report_view_prepare (SdReportView         *view,
                              const SdReportsInput *input)
{
  return GINT_TO_POINTER (TRUE);   /* no controls */
}

static gpointer
sd_daily_report_view_build (const SdReportsInput  *input,
                            gpointer               request,
                            gint64                 now,
                            GError               **error)
{
  return sd_daily_report_build (&input->input, input->tam_id, SD_REPORT_LANGUAGE_CUSTOMER, now);
}

static void
sd_daily_report_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_DAILY_REPORT_VIEW);
  G_OBJECT_CLASS (sd_daily_report_view_parent_class)->dispose (object);
}

static void
sd_daily_report_view_class_init (SdDailyReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SdReportViewClass *view_class = SD_REPORT_VIEW_CLASS (klass);

  object_class->dispose = sd_daily_report_view_dispose;
  view_class->prepare = sd_daily_report_view_prepare;
  view_class->build = sd_daily_report_view_build;
  view_class->report_free = (GDestroyNotify) sd_daily_report_free;
  view_class->show = sd_daily_report_view_show;
  view_class->to_document = (SdDocument *(*) (gconstpointer)) sd_daily_report_to_document;
  view_class->to_csv = (char *(*) (gconstpointer, gsize *)) sd_daily_report_to_csv;
  view_class->file_stem = "daily";

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-daily-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SdDailyReportView, list);
  gtk_widget_class_bind_template_child (widget_class, SdDailyReportView, empty);
}

static void
sd_daily_report_view_init (SdDailyReportView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdDailyReportItem *
sd_daily_report_view_get_item (SdDailyReportView *self,
                               guint              i)
{
  const SdDailyReport *daily = report (self);

  return daily != NULL && i < daily->items->len ? daily->items->pdata[i] : NULL;
}

GtkWidget *
sd_daily_report_view_get_list (SdDailyReportView *self)
{
  return self->list;
}
