/* sd-health-checks-page.c
 *
 * The health checks are read from the local store in a worker thread
 * whenever it changes; the customers come from the board's data. The
 * list is one row per customer of the TAM (tens, not thousands).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-health-checks-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-health-check-row.h"
#include "sd-health-checks-page.h"

struct _SdHealthChecksPage
{
  GtkWidget parent_instance;

  SdLocalStore *store;     /* owned */
  SdBoardData  *data;      /* owned */
  GSignalGroup *store_signals;  /* owned; follows store */
  GPtrArray    *checks;    /* SdHealthCheck */
  GCancellable *cancellable;
  gboolean      loaded;
  GPtrArray    *rows;      /* borrowed, in group */

  /* template children */
  GtkWidget *stack;
  GtkWidget *inner;
  GtkWidget *group;
  GtkWidget *checklist;
};

G_DEFINE_FINAL_TYPE (SdHealthChecksPage, sd_health_checks_page, GTK_TYPE_WIDGET)

static SdBoardCustomer *
lookup_customer (SdHealthChecksPage *self,
                 const char         *id)
{
  return self->data && id ? g_hash_table_lookup (self->data->customers, id) : NULL;
}

SdHealthCheck *
sd_health_checks_page_get_check (SdHealthChecksPage *self,
                                 const char         *customer_id)
{
  SdHealthCheck *current = NULL;

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    {
      SdHealthCheck *check = self->checks->pdata[i];

      if (g_strcmp0 (sd_health_check_get_customer_id (check), customer_id) != 0
          || sd_health_check_get_status (check) == SD_HEALTH_CHECK_CANCELLED)
        continue;
      if (current == NULL || sd_health_check_get_requested_at (check) > sd_health_check_get_requested_at (current))
        current = check;
    }
  return current;
}

/* The last completed check's day, or 0. A check completed ahead of its
 * agreed day (the checklist asks first) was done by @today at the
 * latest: the day shown is never in the future. */
static guint32
last_check_day (SdHealthChecksPage *self,
                const char         *customer_id,
                guint32             today)
{
  guint32 last = 0;

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    {
      SdHealthCheck *check = self->checks->pdata[i];

      if (g_strcmp0 (sd_health_check_get_customer_id (check), customer_id) == 0
          && sd_health_check_get_status (check) == SD_HEALTH_CHECK_COMPLETED)
        last = MAX (last, MIN (sd_health_check_get_scheduled_on (check), today));
    }
  return last;
}

char *
sd_health_checks_page_describe (SdHealthChecksPage *self,
                                const char         *customer_id,
                                gboolean           *overdue)
{
  SdBoardCustomer *customer = lookup_customer (self, customer_id);
  SdHealthCheck *current = sd_health_checks_page_get_check (self, customer_id);
  SdHealthCheckYear year;
  gboolean entitled;
  guint32 last, today;
  g_autofree char *last_text = NULL;
  g_autofree char *next_text = NULL;
  g_autofree char *state = NULL;

  if (overdue != NULL)
    *overdue = FALSE;
  if (customer == NULL)
    return NULL;
  entitled = sd_customer_get_health_check_entitled (customer->customer);
  /* One check a contract year: due from the start of the current year
   * until one is asked for, then from the next year's start. */
  today = sd_schedule_dialog_today (customer->calendar);
  last = last_check_day (self, customer_id, today);
  sd_health_check_year (customer->customer, customer->calendar, self->checks, today, &year);
  last_text = last ? sd_date_format (last) : g_strdup (_("none"));
  next_text = !entitled ? g_strdup (_("not entitled")) : sd_date_format (year.next_due);
  if (current == NULL)
    state = g_strdup (_("not requested"));
  else if (sd_health_check_get_scheduled_on (current) != 0)
    {
      g_autofree char *day = sd_date_format (sd_health_check_get_scheduled_on (current));

      /* Translators: a health check's state and its day, e.g. "Scheduled, 2026-09-15" */
      state = g_strdup_printf (_("%s, %s"), sd_health_check_status_get_label (sd_health_check_get_status (current)), day);
    }
  else
    state = g_strdup (sd_health_check_status_get_label (sd_health_check_get_status (current)));
  if (overdue != NULL)
    *overdue = year.state == SD_HEALTH_CHECK_YEAR_DUE && today > year.start;
  /* Translators: one customer's line in the Health Checks view */
  return g_strdup_printf (_("Entitled: %s · Last check: %s · Next due: %s · State: %s"),
                          entitled ? _("yes") : _("no"), last_text, next_text, state);
}

/* ------------------------------------------------------------ actions */

static void
dialog_saved_cb (SdHealthChecksPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s",
                              _("Health check scheduled; it is sent with the next sync"));
}

SdScheduleDialog *
sd_health_checks_page_schedule (SdHealthChecksPage *self,
                                const char         *customer_id)
{
  SdBoardCustomer *customer = lookup_customer (self, customer_id);
  SdHealthCheck *current = sd_health_checks_page_get_check (self, customer_id);
  SdScheduleDialog *dialog;

  g_return_val_if_fail (SD_IS_HEALTH_CHECKS_PAGE (self), NULL);

  if (customer == NULL || self->store == NULL)
    return NULL;
  /* A requested or scheduled check is (re)scheduled; otherwise a new one. */
  if (current != NULL && sd_health_check_get_status (current) != SD_HEALTH_CHECK_REQUESTED
      && sd_health_check_get_status (current) != SD_HEALTH_CHECK_SCHEDULED)
    current = NULL;
  dialog = sd_schedule_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->store, self->data,
                                   customer, current, self->checks);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dialog_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

SdChecklistPage *
sd_health_checks_page_open_check (SdHealthChecksPage *self,
                                  const char         *id)
{
  g_return_val_if_fail (SD_IS_HEALTH_CHECKS_PAGE (self), NULL);

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    if (g_strcmp0 (sd_health_check_get_id (self->checks->pdata[i]), id) == 0)
      {
        sd_checklist_page_show (SD_CHECKLIST_PAGE (self->checklist), self->store, self->data, self->checks->pdata[i]);
        gtk_stack_set_visible_child_name (GTK_STACK (self->inner), "checklist");
        return SD_CHECKLIST_PAGE (self->checklist);
      }
  return NULL;
}

static void
schedule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  sd_health_checks_page_schedule (SD_HEALTH_CHECKS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
open_checklist_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SdHealthChecksPage *self = SD_HEALTH_CHECKS_PAGE (widget);
  SdHealthCheck *check = sd_health_checks_page_get_check (self, g_variant_get_string (parameter, NULL));

  if (check != NULL)
    sd_health_checks_page_open_check (self, sd_health_check_get_id (check));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdHealthChecksPage *self = SD_HEALTH_CHECKS_PAGE (widget);

  sd_checklist_page_flush (SD_CHECKLIST_PAGE (self->checklist));
  gtk_stack_set_visible_child_name (GTK_STACK (self->inner), "overview");
}

/* ------------------------------------------------------------ showing */

static void
fill (SdHealthChecksPage *self)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new ();
  g_autoptr(GPtrArray) all = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->group), self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  if (self->data == NULL)
    return;

  all = sd_board_data_list_customers (self->data);
  for (guint i = 0; i < all->len; i++)
    {
      SdBoardCustomer *customer = all->pdata[i];

      /* The TAM's own customers; every customer in a local workspace. */
      if (self->data->me == NULL || g_strcmp0 (sd_customer_get_tam_id (customer->customer), self->data->me) == 0)
        g_ptr_array_add (customers, customer);
    }
  for (guint i = 0; i < customers->len; i++)
    {
      SdBoardCustomer *customer = customers->pdata[i];
      const char *id = sd_customer_get_id (customer->customer);
      gboolean overdue = FALSE;
      g_autofree char *text = sd_health_checks_page_describe (self, id, &overdue);
      SdHealthCheck *current = sd_health_checks_page_get_check (self, id);
      GtkWidget *row = sd_health_check_row_new (id, sd_customer_get_name (customer->customer), text,
                                                sd_customer_get_health_check_entitled (customer->customer), overdue,
                                                current != NULL && sd_health_check_get_scheduled_on (current) != 0);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      g_ptr_array_add (self->rows, row);
    }
  if (customers->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No customers yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Your customers appear here once they are synced."));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  g_autoptr(GPtrArray) bodies = sd_local_store_list (source_object, "health_check", NULL, &error);
  GPtrArray *checks;

  if (bodies == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  checks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < bodies->len; i++)
    {
      SdHealthCheck *check = sd_health_check_from_json (bodies->pdata[i], NULL, NULL);

      if (check != NULL)
        g_ptr_array_add (checks, check);
    }
  g_task_return_pointer (task, checks, (GDestroyNotify) g_ptr_array_unref);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdHealthChecksPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *checks = g_task_propagate_pointer (G_TASK (result), &error);

  if (checks == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
      return;
    }
  if (SD_LOCAL_STORE (object) != self->store)
    {
      g_ptr_array_unref (checks);
      return;
    }
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  self->checks = checks;
  fill (self);
  /* The open checklist takes the newer version (status, version). */
  if (sd_checklist_page_get_check (SD_CHECKLIST_PAGE (self->checklist)) != NULL)
    for (guint i = 0; i < checks->len; i++)
      if (g_strcmp0 (sd_health_check_get_id (checks->pdata[i]),
                     sd_health_check_get_id (sd_checklist_page_get_check (SD_CHECKLIST_PAGE (self->checklist)))) == 0)
        sd_checklist_page_show (SD_CHECKLIST_PAGE (self->checklist), self->store, self->data, checks->pdata[i]);
  self->loaded = self->data != NULL;
}

static void
reload (SdHealthChecksPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loaded = FALSE;
  if (self->store == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self->store, self->cancellable, loaded_cb, g_object_ref (self));
  g_task_run_in_thread (task, load_thread);
}

void
sd_health_checks_page_set_store (SdHealthChecksPage *self,
                                 SdLocalStore       *store,
                                 SdBoardData        *data)
{
  g_return_if_fail (SD_IS_HEALTH_CHECKS_PAGE (self));

  if (self->store != store)
    {
      g_set_object (&self->store, store);
      g_signal_group_set_target (self->store_signals, store);
      g_clear_pointer (&self->checks, g_ptr_array_unref);
      gtk_stack_set_visible_child_name (GTK_STACK (self->inner), "overview");
    }
  if (data != self->data)
    {
      g_clear_pointer (&self->data, sd_board_data_unref);
      self->data = data ? sd_board_data_ref (data) : NULL;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), store ? "checks" : "status");
  reload (self);
}

gboolean
sd_health_checks_page_is_loaded (SdHealthChecksPage *self)
{
  return self->loaded;
}

/* ------------------------------------------------------------ the class */

static void
sd_health_checks_page_dispose (GObject *object)
{
  SdHealthChecksPage *self = SD_HEALTH_CHECKS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_signal_group_set_target (self->store_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_HEALTH_CHECKS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->data, sd_board_data_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_health_checks_page_parent_class)->dispose (object);
}

static void
sd_health_checks_page_finalize (GObject *object)
{
  SdHealthChecksPage *self = SD_HEALTH_CHECKS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->store_signals);

  G_OBJECT_CLASS (sd_health_checks_page_parent_class)->finalize (object);
}

static void
sd_health_checks_page_class_init (SdHealthChecksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_health_checks_page_dispose;
  object_class->finalize = sd_health_checks_page_finalize;

  gtk_widget_class_install_action (widget_class, "health-checks.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "health-checks.schedule", "s", schedule_action);
  gtk_widget_class_install_action (widget_class, "health-checks.open-checklist", "s", open_checklist_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "healthcheckspage");

  g_type_ensure (SD_TYPE_CHECKLIST_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-health-checks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdHealthChecksPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SdHealthChecksPage, inner);
  gtk_widget_class_bind_template_child (widget_class, SdHealthChecksPage, group);
  gtk_widget_class_bind_template_child (widget_class, SdHealthChecksPage, checklist);
}

static void
sd_health_checks_page_init (SdHealthChecksPage *self)
{
  self->rows = g_ptr_array_new ();
  self->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));
}
