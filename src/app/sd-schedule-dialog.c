/* sd-schedule-dialog.c
 *
 * The dialog checks the contract's rules as the day changes
 * (sd_health_check_check_rules_at(), the same function the server
 * applies, with the lead counted from today)
 * and shows why a day is refused; the TAM's other checks on that day
 * only warn. Saving puts a create or a merge patch in the outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-schedule-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-clock.h"
#include "sd-schedule-dialog.h"

struct _SdScheduleDialog
{
  AdwWindow parent_instance;

  SdLocalStore    *store;     /* owned */
  SdBoardData     *data;      /* owned */
  SdBoardCustomer *customer;  /* owned */
  SdHealthCheck   *check;     /* owned: the check as saved, or NULL */
  GPtrArray       *checks;    /* owned: SdHealthCheck */
  char            *problem;
  char            *warning;
  gboolean         saved;
  gboolean         close_when_saved;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkWidget *day_group;
  GtkWidget *calendar;
  GtkWidget *day_row;
  GtkWidget *mode_row;
  GtkWidget *contact_row;
  GtkWidget *notes_row;
  GtkWidget *problem_box;
  GtkWidget *problem_icon;
  GtkWidget *problem_label;
  GtkWidget *save_button;
  GtkWidget *export_button;
};

G_DEFINE_FINAL_TYPE (SdScheduleDialog, sd_schedule_dialog, ADW_TYPE_WINDOW)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

guint32
sd_schedule_dialog_today (SdCalendar *calendar)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (sd_clock_get_now (sd_clock_get_default ()));
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, sd_calendar_get_time_zone (calendar));
  GDate date;
  int y, m, d;

  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

/* The rules name the field for the server's problem+json; the dialog
 * only says why. */
char *
sd_schedule_dialog_describe_refusal (const char *message)
{
  static const char * const fields[] = {
    "health_check.scheduled_on", "health_check.requested_at", "health_check.customer_id",
  };
  const char *text = message;
  GString *out;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *prefix = g_strdup_printf (_("Field “%s”: %s"), fields[i], "");

      if (g_str_has_prefix (message, prefix))
        {
          text = message + strlen (prefix);
          break;
        }
    }
  out = g_string_new (NULL);
  if (*text != '\0')
    {
      g_autofree char *first = g_utf8_substring (text, 0, 1);
      g_autofree char *upper = g_utf8_strup (first, -1);

      g_string_append (out, upper);
      g_string_append (out, g_utf8_next_char (text));
    }
  return g_string_free (out, FALSE);
}

/* A dialog is a window of its own: its messages go to the window it
 * belongs to. */
static void
toast (SdScheduleDialog *self,
       const char       *text)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  gtk_widget_activate_action (parent != NULL ? GTK_WIDGET (parent) : GTK_WIDGET (self), "win.toast", "s", text);
}

static SdCalendar *
calendar_of (SdScheduleDialog *self)
{
  return self->customer->calendar;
}

static guint32
julian_of (GDateTime *datetime)
{
  GDate date;
  int y, m, d;

  g_date_time_get_ymd (datetime, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

/* The check as it would be saved with the dialog's values. */
static SdHealthCheck *
build_candidate (SdScheduleDialog *self)
{
  SdHealthCheck *candidate;

  if (self->check != NULL)
    {
      g_autoptr(JsonNode) node = sd_health_check_to_json (self->check);

      candidate = sd_health_check_from_json (node, NULL, NULL);
    }
  else
    {
      candidate = sd_health_check_new (NULL);
      sd_health_check_set_customer_id (candidate, sd_customer_get_id (self->customer->customer));
      sd_health_check_set_requested_at (candidate, sd_clock_get_now (sd_clock_get_default ()));
      sd_health_check_set_mode (candidate, SD_HEALTH_CHECK_MODE_REMOTE);
    }
  sd_health_check_set_status (candidate, SD_HEALTH_CHECK_SCHEDULED);
  sd_health_check_set_scheduled_on (candidate, sd_schedule_dialog_get_day (self));
  return candidate;
}

static const char *
tam_of (SdBoardData     *data,
        SdBoardCustomer *customer)
{
  return customer != NULL ? sd_customer_get_tam_id (customer->customer) : NULL;
}

static void
update (SdScheduleDialog *self)
{
  g_autoptr(SdHealthCheck) candidate = build_candidate (self);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  guint32 day = sd_schedule_dialog_get_day (self);
  g_autofree char *day_text = sd_date_format (day);
  const char *tam = tam_of (self->data, self->customer);

  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->warning, g_free);
  for (guint i = 0; i < self->checks->len; i++)
    {
      SdHealthCheck *other = self->checks->pdata[i];
      SdBoardCustomer *owner;

      if (g_strcmp0 (sd_health_check_get_id (other), sd_health_check_get_id (candidate)) == 0)
        continue;
      if (g_strcmp0 (sd_health_check_get_customer_id (other), sd_customer_get_id (self->customer->customer)) == 0)
        g_ptr_array_add (others, other);
      /* The TAM's own day, with any customer. */
      owner = self->data ? g_hash_table_lookup (self->data->customers, sd_health_check_get_customer_id (other)) : NULL;
      if (self->warning == NULL && tam != NULL && owner != NULL
          && g_strcmp0 (tam_of (self->data, owner), tam) == 0
          && sd_health_check_get_scheduled_on (other) == day
          && sd_health_check_get_status (other) != SD_HEALTH_CHECK_CANCELLED
          && sd_health_check_get_status (other) != SD_HEALTH_CHECK_REQUESTED)
        /* Translators: a warning; the day is still allowed */
        self->warning = g_strdup_printf (_("You already have a health check with %s on %s"),
                                         sd_customer_get_name (owner->customer), day_text);
    }
  /* A day in a year whose holidays are not yet published may still
   * become one. */
  if (self->warning == NULL && sd_calendar_is_provisional_day (calendar_of (self), day))
    {
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, day);
      self->warning = sd_calendar_describe_provisional_year (g_date_get_year (&date));
    }
  /* As the server: a day already agreed stands; a new day is agreed at
   * least 14 days from today, whenever the check was requested. */
  if (!(self->check != NULL && sd_health_check_get_scheduled_on (self->check) == day
        && sd_health_check_get_status (self->check) != SD_HEALTH_CHECK_CANCELLED)
      && !sd_health_check_check_rules_at (candidate, self->customer->customer, calendar_of (self), others,
                                          sd_clock_get_now (sd_clock_get_default ()), &error))
    self->problem = sd_schedule_dialog_describe_refusal (error->message);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->day_row), day_text);
  gtk_widget_set_visible (self->problem_box, self->problem != NULL || self->warning != NULL);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->problem_icon),
                                self->problem ? "dialog-error-symbolic" : "dialog-warning-symbolic");
  if (self->problem != NULL)
    {
      /* Translators: the reason a day cannot be agreed follows */
      g_autofree char *text = g_strdup_printf (_("Not possible: %s"), self->problem);

      gtk_label_set_label (GTK_LABEL (self->problem_label), text);
    }
  else if (self->warning != NULL)
    {
      /* Translators: a warning that does not stop the user follows */
      g_autofree char *text = g_strdup_printf (_("Note: %s"), self->warning);

      gtk_label_set_label (GTK_LABEL (self->problem_label), text);
    }
  gtk_widget_set_css_classes (self->problem_box,
                              (const char *[]) { "schedule-problem", self->problem ? "error" : "warning", NULL });
  gtk_widget_set_sensitive (self->save_button, self->problem == NULL);
}

/* Paging a month or a year moves the calendar's day too: every change of
 * it is the chosen day. */
static void
day_changed_cb (SdScheduleDialog *self)
{
  update (self);
}

static void
enqueued_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdScheduleDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0)
    {
      toast (self, error->message);
      self->close_when_saved = FALSE;
      gtk_widget_set_sensitive (self->save_button, TRUE);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, sd_health_check_get_id (self->check));
  /* Scheduled from its button: done; the message shows in the window. */
  if (self->close_when_saved)
    gtk_window_destroy (GTK_WINDOW (self));
}

gboolean
sd_schedule_dialog_save (SdScheduleDialog *self)
{
  g_autoptr(SdHealthCheck) candidate = NULL;
  const char *contact = gtk_editable_get_text (GTK_EDITABLE (self->contact_row));
  const char *notes = gtk_editable_get_text (GTK_EDITABLE (self->notes_row));

  g_return_val_if_fail (SD_IS_SCHEDULE_DIALOG (self), FALSE);

  update (self);
  if (self->problem != NULL)
    return FALSE;
  candidate = build_candidate (self);
  sd_health_check_set_contact (candidate, *contact ? contact : NULL);
  sd_health_check_set_notes (candidate, *notes ? notes : NULL);
  if (self->check == NULL)
    {
      g_autoptr(SdChecklistTemplate) template = sd_checklist_template_new_builtin (SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY, NULL);
      const char *language = sd_checklist_language_from_locale (g_get_language_names ()[0]);
      g_autoptr(JsonNode) node = NULL;

      if (template != NULL)
        sd_checklist_template_start_check (template, candidate, language, NULL);
      node = sd_health_check_to_json (candidate);
      sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_CREATE, "health_check",
                                    sd_health_check_get_id (candidate), node, 0, NULL,
                                    enqueued_cb, g_object_ref (self));
    }
  else
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) patch = NULL;
      g_autofree char *day = sd_date_format (sd_health_check_get_scheduled_on (candidate));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, sd_health_check_status_to_string (SD_HEALTH_CHECK_SCHEDULED));
      json_builder_set_member_name (builder, "scheduled_on");
      json_builder_add_string_value (builder, day);
      json_builder_set_member_name (builder, "contact");
      if (*contact)
        json_builder_add_string_value (builder, contact);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "notes");
      if (*notes)
        json_builder_add_string_value (builder, notes);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      patch = json_builder_get_root (builder);
      sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_UPDATE, "health_check",
                                    sd_health_check_get_id (candidate), patch,
                                    sd_health_check_get_version (candidate), NULL,
                                    enqueued_cb, g_object_ref (self));
    }
  /* The dialog now stands for the saved check: its appointment can be
   * exported, and saving again patches it. */
  g_set_object (&self->check, candidate);
  self->saved = TRUE;
  gtk_widget_set_sensitive (self->export_button, TRUE);
  return TRUE;
}

static void
ics_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SdScheduleDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    toast (self, error->message);
  else
    toast (self, _("Appointment exported"));
}

gboolean
sd_schedule_dialog_export_ics (SdScheduleDialog  *self,
                               GFile             *file,
                               GError           **error)
{
  SdUser *tam = NULL;
  g_autofree char *ics = NULL;
  GBytes *bytes;
  gsize len;

  g_return_val_if_fail (SD_IS_SCHEDULE_DIALOG (self), FALSE);

  if (self->check == NULL || sd_health_check_get_scheduled_on (self->check) == 0)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("Schedule the health check first"));
      return FALSE;
    }
  if (self->data != NULL && sd_customer_get_tam_id (self->customer->customer) != NULL)
    tam = g_hash_table_lookup (self->data->users, sd_customer_get_tam_id (self->customer->customer));
  if (!(ics = sd_health_check_to_ics (self->check, self->customer->customer, tam, error)))
    return FALSE;
  len = strlen (ics);
  bytes = g_bytes_new_take (g_steal_pointer (&ics), len);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, ics_written_cb, g_object_ref (self));
  g_bytes_unref (bytes);
  return TRUE;
}

static void
chooser_response_cb (SdScheduleDialog *self,
                     int               response)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  g_clear_object (&self->chooser);
  if (file != NULL && !sd_schedule_dialog_export_ics (self, file, &error))
    toast (self, error->message);
}

static void
export_clicked_cb (SdScheduleDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *day = NULL;
  g_autofree char *name = NULL;

  if (self->check == NULL)
    return;
  day = sd_date_format (sd_health_check_get_scheduled_on (self->check));
  /* Translators: a file name; keep the .ics extension */
  name = g_strdup_printf (_("health-check-%s-%s.ics"), sd_customer_get_id (self->customer->customer), day);
  self->chooser = gtk_file_chooser_native_new (_("Export Appointment"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Calendar files"));
  gtk_file_filter_add_mime_type (filter, "text/calendar");
  gtk_file_filter_add_pattern (filter, "*.ics");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
save_clicked_cb (SdScheduleDialog *self)
{
  if (sd_schedule_dialog_save (self))
    {
      self->close_when_saved = TRUE;
      gtk_widget_set_sensitive (self->save_button, FALSE);
    }
}

/* ------------------------------------------------------------ public */

guint32
sd_schedule_dialog_get_day (SdScheduleDialog *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (GTK_CALENDAR (self->calendar));

  return julian_of (date);
}

void
sd_schedule_dialog_set_day (SdScheduleDialog *self,
                            guint32           julian)
{
  GDate date;
  g_autoptr(GDateTime) datetime = NULL;

  g_return_if_fail (SD_IS_SCHEDULE_DIALOG (self));
  g_return_if_fail (g_date_valid_julian (julian));

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  datetime = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), 12, 0, 0);
  gtk_calendar_select_day (GTK_CALENDAR (self->calendar), datetime);
  update (self);
}

void
sd_schedule_dialog_set_contact (SdScheduleDialog *self,
                                const char       *contact)
{
  gtk_editable_set_text (GTK_EDITABLE (self->contact_row), contact ? contact : "");
}

const char *
sd_schedule_dialog_get_problem (SdScheduleDialog *self)
{
  return self->problem;
}

const char *
sd_schedule_dialog_get_warning (SdScheduleDialog *self)
{
  return self->warning;
}

/* ------------------------------------------------------------ building */

static void
sd_schedule_dialog_dispose (GObject *object)
{
  SdScheduleDialog *self = SD_SCHEDULE_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SCHEDULE_DIALOG);

  G_OBJECT_CLASS (sd_schedule_dialog_parent_class)->dispose (object);
}

static void
sd_schedule_dialog_finalize (GObject *object)
{
  SdScheduleDialog *self = SD_SCHEDULE_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->check);
  g_clear_pointer (&self->data, sd_board_data_unref);
  g_clear_pointer (&self->customer, sd_board_customer_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_free (self->problem);
  g_free (self->warning);

  G_OBJECT_CLASS (sd_schedule_dialog_parent_class)->finalize (object);
}

static void
sd_schedule_dialog_class_init (SdScheduleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_schedule_dialog_dispose;
  object_class->finalize = sd_schedule_dialog_finalize;

  /* "saved" (id): the check is in the outbox. */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-schedule-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, day_group);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, day_row);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, problem_box);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, problem_icon);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, mode_row);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, contact_row);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, SdScheduleDialog, export_button);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked_cb);
}

static void
sd_schedule_dialog_init (SdScheduleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* What the template cannot know: the customer, the check, the rules. */
static void
fill_content (SdScheduleDialog *self)
{
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;

  if (self->check != NULL)
    gtk_button_set_label (GTK_BUTTON (self->save_button), _("_Save Changes"));
  /* Translators: the dialog's title, with the customer's name */
  title = g_strdup_printf (_("Health Check for %s"), sd_customer_get_name (self->customer->customer));
  gtk_window_set_title (GTK_WINDOW (self), title);
  /* Translators: %d is the number of days (14) */
  description = g_strdup_printf (_("One working day of the customer’s calendar, agreed at least %d days ahead."),
                                 SD_HEALTH_CHECK_MIN_LEAD_DAYS);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->day_group), description);
  gtk_string_list_append (modes, sd_health_check_mode_get_label (SD_HEALTH_CHECK_MODE_REMOTE));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->mode_row), G_LIST_MODEL (modes));
}

SdScheduleDialog *
sd_schedule_dialog_new (GtkWindow       *parent,
                        SdLocalStore    *store,
                        SdBoardData     *data,
                        SdBoardCustomer *customer,
                        SdHealthCheck   *check,
                        GPtrArray       *checks)
{
  SdScheduleDialog *self;
  guint32 day = 0;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (store), NULL);
  g_return_val_if_fail (customer != NULL, NULL);

  self = g_object_new (SD_TYPE_SCHEDULE_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "default-width", 460,
                       "default-height", 720,
                       NULL);
  self->store = g_object_ref (store);
  self->data = data ? sd_board_data_ref (data) : NULL;
  self->customer = sd_board_customer_ref (customer);
  self->check = check ? g_object_ref (check) : NULL;
  self->checks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; checks != NULL && i < checks->len; i++)
    g_ptr_array_add (self->checks, g_object_ref (checks->pdata[i]));
  fill_content (self);

  if (check != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->contact_row),
                             sd_health_check_get_contact (check) ? sd_health_check_get_contact (check) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->notes_row),
                             sd_health_check_get_notes (check) ? sd_health_check_get_notes (check) : "");
      day = sd_health_check_get_scheduled_on (check);
    }
  gtk_widget_set_sensitive (self->export_button, day != 0);
  if (day == 0)
    day = sd_health_check_get_earliest_day (sd_schedule_dialog_today (customer->calendar), customer->calendar);
  if (day == 0)
    day = sd_schedule_dialog_today (customer->calendar);
  sd_schedule_dialog_set_day (self, day);
  g_signal_connect_object (self->calendar, "notify::year", G_CALLBACK (day_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->calendar, "notify::month", G_CALLBACK (day_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->calendar, "notify::day", G_CALLBACK (day_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}
