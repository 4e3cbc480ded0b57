/* sd-report-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-clock.h"
#include "sd-print.h"
#include "sd-report-actions.h"
#include "sd-report-view.h"

typedef struct
{
  SdReportsInput *input;        /* owned; NULL before the first load */
  gpointer        report;       /* owned, freed with the class's report_free */
  GCancellable   *cancellable;  /* cancelled by a reset and on dispose */
  guint           generation;   /* to drop stale results */
  guint           n_running;
  gboolean        filling;      /* the controls are being refilled: no recompute */
} SdReportViewPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SdReportView, sd_report_view, ADW_TYPE_BIN)

/* ------------------------------------------------------------- the input */

static void
input_clear (SdReportsInput *input)
{
  sd_report_input_clear (&input->input);
  g_free (input->tam_id);
}

SdReportsInput *
sd_reports_input_new (void)
{
  return g_atomic_rc_box_new0 (SdReportsInput);
}

SdReportsInput *
sd_reports_input_ref (SdReportsInput *input)
{
  return g_atomic_rc_box_acquire (input);
}

void
sd_reports_input_unref (SdReportsInput *input)
{
  g_atomic_rc_box_release_full (input, (GDestroyNotify) input_clear);
}

/* -------------------------------------------------------------- helpers */

gint64
sd_report_view_now (void)
{
  return sd_clock_get_now (sd_clock_get_default ());
}

void
sd_report_view_show_error (GtkWidget  *widget,
                           const char *heading,
                           const char *message)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

char *
sd_report_view_format_percent (double percent)
{
  /* Translators: a compliance percentage, e.g. "93.3 %"; "–" when no case is decided */
  return percent < 0 ? g_strdup (C_("percent", "–")) : g_strdup_printf (C_("percent", "%.1f %%"), percent);
}

char *
sd_report_view_format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

static int
compare_customer_names (gconstpointer a,
                        gconstpointer b)
{
  return g_utf8_collate (sd_customer_get_name (*(SdCustomer **) a), sd_customer_get_name (*(SdCustomer **) b));
}

/* The input's customers by name (borrowed pointers). */
GPtrArray *
sd_reports_input_sorted_customers (const SdReportsInput *input)
{
  GPtrArray *customers = g_ptr_array_sized_new (input->input.customers->len);

  for (guint i = 0; i < input->input.customers->len; i++)
    g_ptr_array_add (customers, input->input.customers->pdata[i]);
  g_ptr_array_sort (customers, compare_customer_names);
  return customers;
}

/* ------------------------------------------------------------- computing */

typedef struct {
  SdReportViewClass *klass;
  guint              generation;
  SdReportsInput    *input;
  gint64             now;
  gpointer           request;
  gpointer           report;
} Compute;

static void
compute_free (Compute *c)
{
  g_clear_pointer (&c->input, sd_reports_input_unref);
  if (c->request != NULL && c->klass->request_free != NULL)
    c->klass->request_free (c->request);
  if (c->report != NULL)
    c->klass->report_free (c->report);
  g_free (c);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Compute *c = task_data;
  GError *error = NULL;

  c->report = c->klass->build (c->input, c->request, c->now, &error);
  if (c->report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
computed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdReportView) self = user_data;
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  Compute *c = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      priv->n_running--;
      g_warning ("%s", error->message);
      return;
    }
  priv->n_running--;
  if (c->generation != priv->generation)
    return;
  if (priv->report != NULL)
    c->klass->report_free (priv->report);
  priv->report = g_steal_pointer (&c->report);
  c->klass->show (self);
}

static void
compute (SdReportView *self)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);
  SdReportViewClass *klass = SD_REPORT_VIEW_GET_CLASS (self);
  g_autoptr(GTask) task = NULL;
  gpointer request;
  Compute *c;

  if (priv->input == NULL || priv->filling)
    return;
  if ((request = klass->prepare (self, priv->input)) == NULL)
    return;
  c = g_new0 (Compute, 1);
  c->klass = klass;
  c->generation = priv->generation;
  c->input = sd_reports_input_ref (priv->input);
  c->now = sd_report_view_now ();
  c->request = request;
  priv->n_running++;
  task = g_task_new (self, priv->cancellable, computed_cb, g_object_ref (self));
  g_task_set_task_data (task, c, (GDestroyNotify) compute_free);
  g_task_run_in_thread (task, compute_thread);
}

/* ---------------------------------------------------- export and print */

typedef struct {
  SdDocument *document;
  char       *csv;
  gsize       length;
  GFile      *file;
} Export;

static void
export_free (Export *e)
{
  g_clear_object (&e->document);
  g_free (e->csv);
  g_clear_object (&e->file);
  g_free (e);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *e = task_data;
  g_autofree char *path = g_file_get_path (e->file);
  GError *error = NULL;
  gboolean ok;

  if (e->document != NULL)
    ok = sd_document_write_pdf (e->document, path, &error);
  else
    ok = g_file_replace_contents (e->file, e->csv, e->length, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                  cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static SdDocument *
build_document (SdReportView *self)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  return priv->report != NULL ? SD_REPORT_VIEW_GET_CLASS (self)->to_document (priv->report) : NULL;
}

void
sd_report_view_export (SdReportView *self,
                       GTask        *task,
                       const char   *format,
                       GFile        *file)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);
  Export *e;

  g_return_if_fail (SD_IS_REPORT_VIEW (self));
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (G_IS_FILE (file));

  e = g_new0 (Export, 1);
  e->file = g_object_ref (file);
  g_task_set_task_data (task, e, (GDestroyNotify) export_free);
  if (g_strcmp0 (format, "pdf") == 0)
    e->document = build_document (self);
  else if (priv->report != NULL)
    e->csv = SD_REPORT_VIEW_GET_CLASS (self)->to_csv (priv->report, &e->length);
  if (e->document == NULL && e->csv == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("The report is not ready yet"));
      return;
    }
  g_task_run_in_thread (task, export_thread);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    sd_report_view_show_error (GTK_WIDGET (object), _("The Report Could Not Be Exported"), error->message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  SdReportView *self = SD_REPORT_VIEW (user_data);
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GTask) task = g_task_new (self, priv->cancellable, exported_cb, NULL);

      sd_report_view_export (self, task, g_object_get_data (G_OBJECT (dialog), "format"), file);
    }
  g_object_unref (dialog);
}

static char *
suggest_name (SdReportView *self)
{
  SdReportViewClass *klass = SD_REPORT_VIEW_GET_CLASS (self);
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *day = NULL;
  char *name = klass->suggest_name != NULL ? klass->suggest_name (self) : NULL;

  if (name != NULL)
    return name;
  today = g_date_time_new_from_unix_local (sd_report_view_now ());
  day = g_date_time_format (today, "%Y-%m-%d");
  return g_strdup_printf ("%s-%s", klass->file_stem, day);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdReportView *self = SD_REPORT_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *format = g_variant_get_string (parameter, NULL);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *stem = suggest_name (self);
  g_autofree char *name = g_strdup_printf ("%s.%s", stem, format);

  dialog = gtk_file_chooser_native_new (g_str_equal (format, "pdf") ? _("Export as PDF") : _("Export as CSV"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, g_str_equal (format, "pdf") ? _("PDF documents") : _("CSV files"));
  gtk_file_filter_add_suffix (filter, format);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "format", (gpointer) g_intern_string (format));
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               SdReportView            *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      sd_report_view_show_error (GTK_WIDGET (self), _("The Report Could Not Be Printed"),
                                 error ? error->message : "");
    }
  g_object_unref (operation);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdReportView *self = SD_REPORT_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(SdDocument) document = build_document (self);
  GtkPrintOperation *operation;
  g_autoptr(GError) error = NULL;

  if (document == NULL)
    return;
  operation = sd_print_operation_new (document, NULL);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
  /* "done" reports the result, errors included, and drops the operation. */
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                           GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error);
}

/* ------------------------------------------------------------ lifecycle */

static void
sd_report_view_dispose (GObject *object)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (SD_REPORT_VIEW (object));

  g_cancellable_cancel (priv->cancellable);
  G_OBJECT_CLASS (sd_report_view_parent_class)->dispose (object);
}

static void
sd_report_view_finalize (GObject *object)
{
  SdReportView *self = SD_REPORT_VIEW (object);
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  g_clear_object (&priv->cancellable);
  g_clear_pointer (&priv->input, sd_reports_input_unref);
  if (priv->report != NULL)
    SD_REPORT_VIEW_GET_CLASS (self)->report_free (priv->report);
  G_OBJECT_CLASS (sd_report_view_parent_class)->finalize (object);
}

static void
sd_report_view_class_init (SdReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_report_view_dispose;
  object_class->finalize = sd_report_view_finalize;

  /* The views' templates hold the buttons of these actions. */
  g_type_ensure (SD_TYPE_REPORT_ACTIONS);
  gtk_widget_class_install_action (widget_class, "report.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, print_activated);
}

static void
sd_report_view_init (SdReportView *self)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  priv->cancellable = g_cancellable_new ();
}

/* ----------------------------------------------------------------- API */

void
sd_report_view_set_input (SdReportView   *self,
                          SdReportsInput *input)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);
  SdReportViewClass *klass = SD_REPORT_VIEW_GET_CLASS (self);

  g_return_if_fail (SD_IS_REPORT_VIEW (self));

  g_clear_pointer (&priv->input, sd_reports_input_unref);
  priv->input = input ? sd_reports_input_ref (input) : NULL;
  priv->generation++;
  if (input == NULL)
    return;
  if (klass->input_changed != NULL)
    {
      priv->filling = TRUE;
      klass->input_changed (self, input);
      priv->filling = FALSE;
    }
  compute (self);
}

void
sd_report_view_reset (SdReportView *self)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  priv->n_running = 0;
  priv->generation++;
  g_clear_pointer (&priv->input, sd_reports_input_unref);
}

void
sd_report_view_recompute (SdReportView *self)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  priv->generation++;
  compute (self);
}

void
sd_report_view_set_filling (SdReportView *self,
                            gboolean      filling)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  priv->filling = filling;
}

gboolean
sd_report_view_is_busy (SdReportView *self)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  return priv->n_running > 0;
}

gconstpointer
sd_report_view_get_report (SdReportView *self)
{
  SdReportViewPrivate *priv = sd_report_view_get_instance_private (self);

  return priv->report;
}
