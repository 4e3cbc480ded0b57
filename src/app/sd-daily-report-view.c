/* sd-daily-report-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-daily-report-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-application.h"
#include "sd-daily-report-view.h"
#include "sd-sla-text.h"

struct _SdDailyReportView
{
  SdReportView parent_instance;

  GPtrArray *subjects;          /* GtkEntry per item, borrowed from the list */
  GPtrArray *bodies;            /* GtkTextView per item, borrowed from the list */

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

/* Whether a report can be sent now: through a server, not from a local
 * workspace; @why says otherwise. */
gboolean
sd_daily_report_view_can_send (const char **why)
{
  GApplication *app = g_application_get_default ();
  SdAccount *account = SD_IS_APPLICATION (app) ? sd_application_get_account (SD_APPLICATION (app)) : NULL;

  if (account == NULL || sd_account_is_local (account))
    {
      *why = _("Sending needs a server: this workspace is local. Copy the report or open it in the mail client.");
      return FALSE;
    }
  if (!g_network_monitor_get_network_available (g_network_monitor_get_default ()))
    {
      *why = _("Offline: the report can be sent when the network is back.");
      return FALSE;
    }
  *why = _("Send the report, as edited, to the customer's daily-report contacts and log it as sent");
  return TRUE;
}

static GtkWidget *
item_group (SdDailyReportView *self,
            SdDailyReportItem *item,
            guint              i)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *subject = gtk_entry_new ();
  GtkWidget *body = gtk_text_view_new ();
  GtkWidget *to = gtk_label_new (NULL);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *card;
  g_autofree char *due = sd_format_customer_time (item->sla.daily_report.due,
                                                 sd_customer_get_time_zone (item->customer));
  g_autofree char *description = NULL;
  g_autofree char *recipients = g_strjoinv (", ", item->recipients);
  g_autofree char *to_text = NULL;
  const char *why = NULL;
  gboolean can_send = sd_daily_report_view_can_send (&why);
  struct { const char *label; const char *action; const char *tooltip; } actions[] = {
    { _("Send"), "reports.send", why },
    { _("Copy"), "reports.copy", _("Copy the report to the clipboard") },
    { _("Open in Mail"), "reports.mail", _("Open the report in the mail client") },
    { _("Log as Sent"), "reports.log-sent", _("Record that the report was sent; restarts the daily-report clock") },
  };

  /* Translators: the customer and when the next daily report is due, e.g. "上海浦江银行 · next report due 26/11/2026 10:00" */
  description = g_strdup_printf (_("%s · next report due %s"), sd_customer_get_name (item->customer), due);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), item->subject);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

  /* Who receives it, in words. */
  if (*recipients != '\0')
    /* Translators: the daily report's recipients, e-mail addresses */
    to_text = g_strdup_printf (_("To: %s"), recipients);
  else
    to_text = g_strdup (_("To: nobody — no contact of this customer receives daily reports"));
  gtk_label_set_label (GTK_LABEL (to), to_text);
  gtk_label_set_wrap (GTK_LABEL (to), TRUE);
  gtk_label_set_xalign (GTK_LABEL (to), 0);
  gtk_label_set_selectable (GTK_LABEL (to), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), to);

  /* The TAM may edit the subject and the text before sending. */
  gtk_editable_set_text (GTK_EDITABLE (subject), item->subject);
  gtk_widget_set_margin_top (subject, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (subject), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Subject"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), subject);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (body)), item->body, -1);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (body), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (body), 12);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (body), 12);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (body), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (body), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (body), GTK_ACCESSIBLE_PROPERTY_LABEL, item->subject, -1);
  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_top (card, 6);
  gtk_box_append (GTK_BOX (card), body);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), card);
  g_ptr_array_add (self->subjects, subject);
  g_ptr_array_add (self->bodies, body);

  gtk_widget_set_margin_top (buttons, 6);
  for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
    {
      /* One set per report: no mnemonics, which would repeat. */
      GtkWidget *button = gtk_button_new_with_label (actions[a].label);

      gtk_widget_set_tooltip_text (button, actions[a].tooltip);
      gtk_box_append (GTK_BOX (buttons), button);
      if (a == 0)
        {
          gtk_widget_add_css_class (button, "suggested-action");
          /* Without its action the button stays off (an action would turn
           * it on again); the tooltip says why. */
          if (!can_send || item->recipients[0] == NULL)
            {
              gtk_widget_set_sensitive (button, FALSE);
              continue;
            }
        }
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), actions[a].action);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
  return group;
}

static void
sd_daily_report_view_show (SdReportView *view)
{
  SdDailyReportView *self = SD_DAILY_REPORT_VIEW (view);
  const SdDailyReport *daily = report (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *child;

  /* The focus leaves the groups before they go (the scrolled window
   * would follow a focus child that is gone). */
  if (focus != NULL && gtk_widget_is_ancestor (focus, self->list))
    gtk_root_set_focus (root, NULL);
  g_ptr_array_set_size (self->subjects, 0);
  g_ptr_array_set_size (self->bodies, 0);
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_box_remove (GTK_BOX (self->list), child);
  gtk_widget_set_visible (self->empty, daily->items->len == 0);
  for (guint i = 0; i < daily->items->len; i++)
    gtk_box_append (GTK_BOX (self->list), item_group (self, daily->items->pdata[i], i));
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
  SdDailyReportView *self = SD_DAILY_REPORT_VIEW (object);

  g_clear_pointer (&self->subjects, g_ptr_array_unref);
  g_clear_pointer (&self->bodies, g_ptr_array_unref);
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
  self->subjects = g_ptr_array_new ();
  self->bodies = g_ptr_array_new ();
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

gboolean
sd_daily_report_view_get_edited (SdDailyReportView  *self,
                                 guint               i,
                                 char              **subject,
                                 char              **body)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SD_IS_DAILY_REPORT_VIEW (self), FALSE);

  if (self->subjects == NULL || i >= self->subjects->len)
    return FALSE;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->bodies->pdata[i]));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  *subject = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subjects->pdata[i]))));
  *body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return TRUE;
}

GtkWidget *
sd_daily_report_view_get_body_view (SdDailyReportView *self,
                                    guint              i)
{
  g_return_val_if_fail (SD_IS_DAILY_REPORT_VIEW (self), NULL);

  return self->bodies != NULL && i < self->bodies->len ? self->bodies->pdata[i] : NULL;
}
