/* sd-reports-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-reports-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-application.h"
#include "sd-custom-report-view.h"
#include "sd-daily-report-view.h"
#include "sd-quarterly-report-view.h"
#include "sd-reports-page.h"

struct _SdReportsPage
{
  AdwBin parent_instance;

  SdLocalStore   *store;          /* owned */
  GSignalGroup   *store_signals;  /* owned; follows store */
  char           *login;
  gboolean        stale;          /* the store changed while the view was hidden */
  GCancellable   *cancellable;    /* cancelled when the store changes hands or on dispose */
  SdReportsInput *input;          /* owned; NULL before the first load */
  gboolean        loading;

  /* template children */
  GtkStack              *report_stack;
  SdDailyReportView     *daily_view;
  SdQuarterlyReportView *quarterly_view;
  SdCustomReportView    *custom_view;
};

G_DEFINE_FINAL_TYPE (SdReportsPage, sd_reports_page, ADW_TYPE_BIN)

static SdReportView *
view (SdReportsPage *self,
      SdReportKind   kind)
{
  switch (kind)
    {
    case SD_REPORT_KIND_DAILY:
      return SD_REPORT_VIEW (self->daily_view);
    case SD_REPORT_KIND_QUARTERLY:
      return SD_REPORT_VIEW (self->quarterly_view);
    case SD_REPORT_KIND_CUSTOM:
    default:
      return SD_REPORT_VIEW (self->custom_view);
    }
}

/* "status" or "reports": the page's own stack is the bin's child. */
static void
show_child (SdReportsPage *self,
            const char    *name)
{
  gtk_stack_set_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (self))), name);
}

/* ------------------------------------------------ the daily report's actions */

static SdDailyReportItem *
daily_item (SdReportsPage *self,
            GVariant      *parameter)
{
  return sd_daily_report_view_get_item (self->daily_view, g_variant_get_uint32 (parameter));
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdDailyReportItem *item = daily_item (SD_REPORTS_PAGE (widget), parameter);
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  text = g_strdup_printf ("%s\n\n%s", item->subject, item->body);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
mail_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdDailyReportItem *item = daily_item (SD_REPORTS_PAGE (widget), parameter);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (item != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, item->mailto, GDK_CURRENT_TIME);
}

static void
logged_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    sd_report_view_show_error (GTK_WIDGET (self), _("The Report Could Not Be Logged"), error->message);
}

static void
log_sent_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdReportsPage *self = SD_REPORTS_PAGE (widget);
  SdDailyReportItem *item = daily_item (self, parameter);
  g_autoptr(SdCaseEvent) event = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (item == NULL || self->store == NULL)
    return;
  event = sd_case_event_new_daily_report_sent (sd_case_get_id (item->kase), self->input ? self->input->tam_id : NULL,
                                               sd_report_view_now (), SD_REPORT_CHANNEL_EMAIL, NULL);
  node = sd_case_event_to_json (event);
  /* The store's "changed" signal brings the new daily report. */
  sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_APPEND_EVENT, "case_event",
                                sd_case_event_get_id (event), node, 0, self->cancellable,
                                logged_cb, g_object_ref (self));
}

typedef struct {
  GWeakRef  page;
  char     *recipients;
} DailySend;

static void
daily_send_free (DailySend *send)
{
  g_weak_ref_clear (&send->page);
  g_free (send->recipients);
  g_free (send);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  DailySend *send = user_data;
  g_autoptr(SdReportsPage) self = g_weak_ref_get (&send->page);
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) error = NULL;

  event = sd_rest_client_create_finish (SD_REST_CLIENT (object), result, &error);
  if (self != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (event == NULL)
        sd_report_view_show_error (GTK_WIDGET (self), _("The Daily Report Was Not Sent"), error->message);
      else
        {
          /* Translators: a toast; the recipients' e-mail addresses */
          g_autofree char *done = g_strdup_printf (_("Daily report sent to %s"), send->recipients);

          gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", done);
          /* The server logged it: the next sync brings the event. */
          gtk_widget_activate_action (GTK_WIDGET (self), "app.sync", NULL);
        }
    }
  daily_send_free (send);
}

/* Sends the report as edited through the server, which mails it to the
 * customer's daily-report contacts and logs it as sent. */
static void
send_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdReportsPage *self = SD_REPORTS_PAGE (widget);
  SdDailyReportItem *item = daily_item (self, parameter);
  GApplication *app = g_application_get_default ();
  SdAccount *account = SD_IS_APPLICATION (app) ? sd_application_get_account (SD_APPLICATION (app)) : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = g_uuid_string_random ();
  const char *why = NULL;
  DailySend *send;

  if (item == NULL || !sd_daily_report_view_get_edited (self->daily_view, g_variant_get_uint32 (parameter),
                                                        &subject, &text))
    return;
  if (!sd_daily_report_view_can_send (&why) || account == NULL)
    {
      sd_report_view_show_error (widget, _("The Daily Report Was Not Sent"), why);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, subject);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  escaped = g_uri_escape_string (sd_case_get_id (item->kase), NULL, FALSE);
  path = g_strconcat ("/cases/", escaped, "/daily-report", NULL);

  send = g_new0 (DailySend, 1);
  g_weak_ref_init (&send->page, self);
  send->recipients = g_strjoinv (", ", item->recipients);
  sd_rest_client_create_async (sd_account_get_client (account), path, body, key, self->cancellable,
                               sent_cb, send);
}

/* --------------------------------------------------------------- loading */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *login = task_data;
  g_autoptr(SdReportsInput) input = sd_reports_input_new ();
  g_autoptr(GPtrArray) users = NULL;
  GError *error = NULL;

  if (!sd_report_input_load (&input->input, source_object, &error)
      || !(users = sd_local_store_list (source_object, "user", NULL, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; login != NULL && i < users->len; i++)
    {
      JsonObject *user = json_node_get_object (users->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member_with_default (user, "login", NULL), login) == 0)
        {
          input->tam_id = g_strdup (json_object_get_string_member_with_default (user, "id", NULL));
          /* The daily report is signed with the sender's name. */
          input->input.sender_name = g_strdup (json_object_get_string_member_with_default (user, "display_name",
                                                                                           NULL));
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&input), (GDestroyNotify) sd_reports_input_unref);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  SdReportsInput *input = g_task_propagate_pointer (G_TASK (result), &error);

  if (input == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading = FALSE;
          g_warning ("Reading the store for reports: %s", error->message);
        }
      return;
    }
  self->loading = FALSE;
  g_clear_pointer (&self->input, sd_reports_input_unref);
  self->input = input;
  show_child (self, "reports");
  for (SdReportKind kind = SD_REPORT_KIND_DAILY; kind <= SD_REPORT_KIND_CUSTOM; kind++)
    sd_report_view_set_input (view (self, kind), input);
}

static void
reload (SdReportsPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;
  /* Reports read every case and event: only for a view on screen. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  self->loading = TRUE;
  task = g_task_new (self->store, self->cancellable, loaded_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (self->login), g_free);
  g_task_run_in_thread (task, load_thread);
}

static void
store_changed_cb (SdReportsPage *self)
{
  reload (self);
}

/* ------------------------------------------------------------ lifecycle */

static void
sd_reports_page_map (GtkWidget *widget)
{
  SdReportsPage *self = SD_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (sd_reports_page_parent_class)->map (widget);
  if (self->stale)
    reload (self);
}

static void
sd_reports_page_dispose (GObject *object)
{
  SdReportsPage *self = SD_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_signal_group_set_target (self->store_signals, NULL);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_REPORTS_PAGE);
  G_OBJECT_CLASS (sd_reports_page_parent_class)->dispose (object);
}

static void
sd_reports_page_finalize (GObject *object)
{
  SdReportsPage *self = SD_REPORTS_PAGE (object);

  g_clear_object (&self->store_signals);
  g_clear_object (&self->cancellable);
  g_free (self->login);
  g_clear_pointer (&self->input, sd_reports_input_unref);
  G_OBJECT_CLASS (sd_reports_page_parent_class)->finalize (object);
}

static void
sd_reports_page_class_init (SdReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_reports_page_dispose;
  object_class->finalize = sd_reports_page_finalize;
  widget_class->map = sd_reports_page_map;

  g_type_ensure (SD_TYPE_DAILY_REPORT_VIEW);
  g_type_ensure (SD_TYPE_QUARTERLY_REPORT_VIEW);
  g_type_ensure (SD_TYPE_CUSTOM_REPORT_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdReportsPage, report_stack);
  gtk_widget_class_bind_template_child (widget_class, SdReportsPage, daily_view);
  gtk_widget_class_bind_template_child (widget_class, SdReportsPage, quarterly_view);
  gtk_widget_class_bind_template_child (widget_class, SdReportsPage, custom_view);

  gtk_widget_class_install_action (widget_class, "reports.copy", "u", copy_activated);
  gtk_widget_class_install_action (widget_class, "reports.mail", "u", mail_activated);
  gtk_widget_class_install_action (widget_class, "reports.log-sent", "u", log_sent_activated);
  gtk_widget_class_install_action (widget_class, "reports.send", "u", send_activated);
}

static void
sd_reports_page_init (SdReportsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (store_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ----------------------------------------------------------------- API */

GtkWidget *
sd_reports_page_new (void)
{
  return g_object_new (SD_TYPE_REPORTS_PAGE, NULL);
}

void
sd_reports_page_set_store (SdReportsPage *self,
                           SdLocalStore  *store,
                           const char    *login)
{
  g_return_if_fail (SD_IS_REPORTS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = FALSE;
  self->stale = FALSE;
  for (SdReportKind kind = SD_REPORT_KIND_DAILY; kind <= SD_REPORT_KIND_CUSTOM; kind++)
    sd_report_view_reset (view (self, kind));
  g_set_object (&self->store, store);
  g_signal_group_set_target (self->store_signals, store);
  g_free (self->login);
  self->login = g_strdup (login);
  g_clear_pointer (&self->input, sd_reports_input_unref);
  show_child (self, "status");
  reload (self);
}

gboolean
sd_reports_page_is_loaded (SdReportsPage *self)
{
  if (self->input == NULL || self->loading)
    return FALSE;
  for (SdReportKind kind = SD_REPORT_KIND_DAILY; kind <= SD_REPORT_KIND_CUSTOM; kind++)
    if (sd_report_view_is_busy (view (self, kind)))
      return FALSE;
  return TRUE;
}

void
sd_reports_page_show (SdReportsPage *self,
                      SdReportKind   kind)
{
  const char *names[] = { "daily", "quarterly", "custom" };

  gtk_stack_set_visible_child_name (self->report_stack, names[kind]);
}

const SdDailyReport *
sd_reports_page_get_daily (SdReportsPage *self)
{
  return sd_report_view_get_report (view (self, SD_REPORT_KIND_DAILY));
}

const SdQuarterlyReport *
sd_reports_page_get_quarterly (SdReportsPage *self)
{
  return sd_report_view_get_report (view (self, SD_REPORT_KIND_QUARTERLY));
}

const SdCustomReport *
sd_reports_page_get_custom (SdReportsPage *self)
{
  return sd_report_view_get_report (view (self, SD_REPORT_KIND_CUSTOM));
}

gboolean
sd_reports_page_select_quarter (SdReportsPage *self,
                                const char    *customer_id,
                                int            year,
                                int            quarter)
{
  return sd_quarterly_report_view_select (self->quarterly_view, customer_id, year, quarter);
}

void
sd_reports_page_set_custom_period (SdReportsPage *self,
                                   guint32        from,
                                   guint32        to)
{
  sd_custom_report_view_set_period (self->custom_view, from, to);
}

GtkWidget *
sd_reports_page_get_compliance_label (SdReportsPage *self)
{
  return sd_quarterly_report_view_get_compliance_label (self->quarterly_view);
}

GtkWidget *
sd_reports_page_get_compliance_chart (SdReportsPage *self)
{
  return sd_quarterly_report_view_get_compliance_chart (self->quarterly_view);
}

GtkColumnView *
sd_reports_page_get_custom_table (SdReportsPage *self)
{
  return sd_custom_report_view_get_table (self->custom_view);
}

GtkWidget *
sd_reports_page_get_custom_totals (SdReportsPage *self)
{
  return sd_custom_report_view_get_totals (self->custom_view);
}

GtkWidget *
sd_reports_page_get_daily_list (SdReportsPage *self)
{
  return sd_daily_report_view_get_list (self->daily_view);
}

void
sd_reports_page_export_async (SdReportsPage       *self,
                              SdReportKind         kind,
                              const char          *format,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_REPORTS_PAGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  sd_report_view_export (view (self, kind), task, format, file);
}

gboolean
sd_reports_page_export_finish (SdReportsPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
