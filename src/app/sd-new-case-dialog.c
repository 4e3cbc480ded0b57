/* sd-new-case-dialog.c
 *
 * The form builds the case's JSON and the case codec has the last word,
 * so the dialog accepts exactly what the server and the store accept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-new-case-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-clock.h"
#include "sd-new-case-dialog.h"
#include "sd-sla-text.h"

struct _SdNewCaseDialog
{
  AdwWindow parent_instance;

  SdLocalStore *store;
  SdBoardData  *data;
  GPtrArray    *customers;  /* SdCustomer, as in the customer row */
  GArray       *types;      /* SdCaseType, as in the type row: those the customer's contract offers */
  GtkWidget    *groups[SD_CASE_TYPE_SERVICE_REQUEST + 1];  /* each type's own group, or NULL */

  /* template children */
  GtkWidget *create_button;
  GtkWidget *error_label;
  GtkWidget *customer_row;
  GtkWidget *type_row;
  GtkWidget *severity_row;
  GtkWidget *title_row;
  GtkWidget *description;
  GtkWidget *via_row;
  GtkWidget *reported_row;
  GtkWidget *signature_group;
  GtkWidget *patch_group;
  GtkWidget *release_group;
  GtkWidget *change_row;
  GtkWidget *object_row;
  GtkWidget *hash_row;
  GtkWidget *detection_row;
  GtkWidget *product_row;
  GtkWidget *version_row;
  GtkWidget *stage_row;
  GtkWidget *problem_row;
  GtkWidget *reason_row;
  GtkWidget *threat_row;
  GtkWidget *urgency_row;
};

G_DEFINE_FINAL_TYPE (SdNewCaseDialog, sd_new_case_dialog, ADW_TYPE_WINDOW)

enum { CREATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  for (; text && *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* Marks @row as missing when it is blank; returns whether it is. */
static gboolean
require (GtkWidget  *row,
         GString    *missing)
{
  gboolean blank = is_blank (text_of (row));

  if (blank)
    {
      gtk_widget_add_css_class (row, "error");
      if (missing->len > 0)
        g_string_append (missing, ", ");
      g_string_append (missing, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
  else
    gtk_widget_remove_css_class (row, "error");
  return blank;
}

static void
add_text (JsonObject *object,
          const char *member,
          GtkWidget  *row)
{
  g_autofree char *text = g_strstrip (g_strdup (text_of (row)));

  if (*text != '\0')
    json_object_set_string_member (object, member, text);
}

static SdCaseType
selected_type (SdNewCaseDialog *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->type_row));

  return selected < self->types->len ? g_array_index (self->types, SdCaseType, selected) : SD_CASE_TYPE_INCIDENT;
}

static SdCustomer *
selected_customer (SdNewCaseDialog *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->customer_row));

  return selected < self->customers->len ? self->customers->pdata[selected] : NULL;
}

/* The type row offers what the chosen customer's contract includes (a
 * database release only with MSA Enterprise or its own entitlement). */
static void
customer_changed_cb (SdNewCaseDialog *self)
{
  SdCustomer *customer = selected_customer (self);
  SdCaseType type = selected_type (self);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = 0;

  g_array_set_size (self->types, 0);
  for (SdCaseType t = SD_CASE_TYPE_INCIDENT; t <= SD_CASE_TYPE_SERVICE_REQUEST; t++)
    if (customer == NULL || sd_customer_offers_case_type (customer, t))
      {
        if (t == type)
          selected = self->types->len;
        g_array_append_val (self->types, t);
        gtk_string_list_append (labels, sd_case_type_get_label (t));
      }
  adw_combo_row_set_model (ADW_COMBO_ROW (self->type_row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->type_row), selected);
}

static SdReportedVia
selected_via (SdNewCaseDialog *self)
{
  AdwEnumListItem *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self->via_row));

  return item ? adw_enum_list_item_get_value (item) : SD_REPORTED_VIA_PORTAL;
}

/* The reported-via row lists the SdReportedVia values (an
 * AdwEnumListModel) by their labels. */
static char *
reported_via_label_cb (gpointer      this_object,
                       SdReportedVia via,
                       gpointer      user_data)
{
  return g_strdup (sd_reported_via_get_label (via));
}

static gboolean
parse_reported_at (SdNewCaseDialog *self,
                   gint64          *out)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *text = g_strstrip (g_strdup (text_of (self->reported_row)));
  g_autofree char *iso = NULL;
  int y, mo, d, h, mi;
  char tail;

  if (sscanf (text, "%d-%d-%d %d:%d%c", &y, &mo, &d, &h, &mi, &tail) != 5)
    return FALSE;
  iso = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:00", y, mo, d, h, mi);
  return sd_time_parse_iso8601 (iso, local, out, NULL);
}

static void
type_or_via_changed_cb (SdNewCaseDialog *self)
{
  SdCaseType type = selected_type (self);
  SdReportedVia via = selected_via (self);

  for (SdCaseType t = 0; t < G_N_ELEMENTS (self->groups); t++)
    if (self->groups[t] != NULL)
      gtk_widget_set_visible (self->groups[t], t == type);
  /* A phone call is often entered after it: the real time counts. */
  gtk_widget_set_visible (self->reported_row, via == SD_REPORTED_VIA_PHONE || via == SD_REPORTED_VIA_HOTLINE);
}

static void
severity_changed_cb (SdNewCaseDialog *self)
{
  int severity = adw_combo_row_get_selected (ADW_COMBO_ROW (self->severity_row)) + 1;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->severity_row), sd_severity_get_description (severity));
}

static void
show_error (SdNewCaseDialog *self,
            const char      *message)
{
  gtk_label_set_label (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdNewCaseDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (self->create_button, TRUE);
  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0)
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[CREATED], 0, g_object_get_data (G_OBJECT (self), "case-id"));
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Builds the case from the form; NULL with the reason shown inline. */
static JsonNode *
build_case (SdNewCaseDialog *self)
{
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(SdCase) decoded = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object = json_object_new ();
  JsonObject *details = NULL;
  SdCaseType type = selected_type (self);
  SdReportedVia via = selected_via (self);
  SdCustomer *customer = selected_customer (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->description));
  GtkTextIter start, end;
  g_autofree char *description = NULL;
  g_autofree char *id = g_uuid_string_random ();
  gint64 reported_at = sd_clock_get_now (sd_clock_get_default ());

  json_node_take_object (node, object);
  require (self->title_row, missing);
  switch (type)
    {
    case SD_CASE_TYPE_SIGNATURE_CHANGE:
      details = json_object_new ();
      json_object_set_string_member (details, "requested_change",
                                     sd_requested_change_to_string (adw_combo_row_get_selected (ADW_COMBO_ROW (self->change_row))));
      if (is_blank (text_of (self->object_row)) && is_blank (text_of (self->hash_row)))
        require (self->object_row, missing);
      else
        gtk_widget_remove_css_class (self->object_row, "error");
      if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->change_row)) == SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE)
        require (self->detection_row, missing);
      add_text (details, "object_ref", self->object_row);
      add_text (details, "hash", self->hash_row);
      add_text (details, "detection_name", self->detection_row);
      break;
    case SD_CASE_TYPE_PRIVATE_PATCH:
      details = json_object_new ();
      require (self->product_row, missing);
      require (self->version_row, missing);
      require (self->problem_row, missing);
      add_text (details, "product", self->product_row);
      add_text (details, "product_version", self->version_row);
      add_text (details, "problem", self->problem_row);
      json_object_set_string_member (details, "lifecycle_stage",
                                     sd_lifecycle_stage_to_string (adw_combo_row_get_selected (ADW_COMBO_ROW (self->stage_row))));
      break;
    case SD_CASE_TYPE_DATABASE_RELEASE:
      details = json_object_new ();
      require (self->reason_row, missing);
      add_text (details, "reason", self->reason_row);
      add_text (details, "threat", self->threat_row);
      json_object_set_string_member (details, "urgency",
                                     sd_urgency_to_string (adw_combo_row_get_selected (ADW_COMBO_ROW (self->urgency_row))));
      break;
    case SD_CASE_TYPE_INCIDENT:
    case SD_CASE_TYPE_SERVICE_REQUEST:
    default:
      break;
    }
  if (gtk_widget_get_visible (self->reported_row))
    {
      if (!parse_reported_at (self, &reported_at))
        {
          gtk_widget_add_css_class (self->reported_row, "error");
          g_clear_pointer (&details, json_object_unref);
          show_error (self, _("The report time must look like 2026-11-26 09:30 (your local time)."));
          return NULL;
        }
      if (reported_at > sd_clock_get_now (sd_clock_get_default ()) + 60)
        {
          gtk_widget_add_css_class (self->reported_row, "error");
          g_clear_pointer (&details, json_object_unref);
          show_error (self, _("The report time is in the future."));
          return NULL;
        }
      gtk_widget_remove_css_class (self->reported_row, "error");
    }
  if (missing->len > 0)
    {
      g_autofree char *message = g_strdup_printf (_("Please fill in: %s."), missing->str);

      g_clear_pointer (&details, json_object_unref);
      show_error (self, message);
      return NULL;
    }
  if (customer == NULL)
    {
      g_clear_pointer (&details, json_object_unref);
      show_error (self, _("Choose the customer."));
      return NULL;
    }
  if (!sd_customer_check_case_type (customer, type, &error))
    {
      g_clear_pointer (&details, json_object_unref);
      show_error (self, error->message);
      return NULL;
    }

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "customer_id", sd_customer_get_id (customer));
  add_text (object, "title", self->title_row);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (*description != '\0')
    json_object_set_string_member (object, "description", description);
  json_object_set_string_member (object, "type", sd_case_type_to_string (type));
  json_object_set_int_member (object, "severity", adw_combo_row_get_selected (ADW_COMBO_ROW (self->severity_row)) + 1);
  json_object_set_string_member (object, "status", sd_case_status_to_string (SD_CASE_STATUS_NEW));
  json_object_set_string_member (object, "reported_via", sd_reported_via_to_string (via));
  {
    g_autofree char *at = sd_time_format_iso8601 (reported_at, NULL);

    json_object_set_string_member (object, "reported_at", at);
  }
  if (self->data != NULL && self->data->me != NULL)
    json_object_set_string_member (object, "assignee_id", self->data->me);
  if (details != NULL)
    json_object_set_object_member (object, "details", details);

  /* The codec decides, with the field it refuses named. */
  if (!(decoded = sd_case_from_json (node, "case", &error)))
    {
      show_error (self, error->message);
      return NULL;
    }
  g_object_set_data_full (G_OBJECT (self), "case-id", g_strdup (id), g_free);
  show_error (self, NULL);
  return g_steal_pointer (&node);
}

static void
create_clicked_cb (SdNewCaseDialog *self)
{
  g_autoptr(JsonNode) node = build_case (self);

  if (node == NULL || self->store == NULL)
    return;
  gtk_widget_set_sensitive (self->create_button, FALSE);
  sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_CREATE, "case",
                                json_object_get_string_member (json_node_get_object (node), "id"),
                                node, 0, NULL, created_cb, g_object_ref (self));
}

/* ----------------------------------------------------------- lifecycle */

static void
sd_new_case_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_NEW_CASE_DIALOG);

  G_OBJECT_CLASS (sd_new_case_dialog_parent_class)->dispose (object);
}

static void
sd_new_case_dialog_finalize (GObject *object)
{
  SdNewCaseDialog *self = SD_NEW_CASE_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->customers, g_ptr_array_unref);
  g_clear_pointer (&self->types, g_array_unref);
  g_clear_pointer (&self->data, sd_board_data_unref);

  G_OBJECT_CLASS (sd_new_case_dialog_parent_class)->finalize (object);
}

static void
sd_new_case_dialog_class_init (SdNewCaseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_new_case_dialog_dispose;
  object_class->finalize = sd_new_case_dialog_finalize;
  /* (case id) once the case is in the outbox */
  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SD_TYPE_REPORTED_VIA);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-new-case-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, customer_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, severity_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, description);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, via_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, reported_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, signature_group);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, patch_group);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, release_group);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, change_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, object_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, hash_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, detection_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, product_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, version_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, stage_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, problem_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, reason_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, threat_row);
  gtk_widget_class_bind_template_child (widget_class, SdNewCaseDialog, urgency_row);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, customer_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, type_or_via_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, severity_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, reported_via_label_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_new_case_dialog_init (SdNewCaseDialog *self)
{
  g_auto(GStrv) pills = sd_severity_pill_texts ();
  g_autoptr(GtkStringList) severities = gtk_string_list_new ((const char * const *) pills);

  self->customers = g_ptr_array_new_with_free_func (g_object_unref);
  self->types = g_array_new (FALSE, FALSE, sizeof (SdCaseType));
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups[SD_CASE_TYPE_SIGNATURE_CHANGE] = self->signature_group;
  self->groups[SD_CASE_TYPE_PRIVATE_PATCH] = self->patch_group;
  self->groups[SD_CASE_TYPE_DATABASE_RELEASE] = self->release_group;

  adw_combo_row_set_model (ADW_COMBO_ROW (self->severity_row), G_LIST_MODEL (severities));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->severity_row), 2);
  customer_changed_cb (self);
  type_or_via_changed_cb (self);
  severity_changed_cb (self);
}

SdNewCaseDialog *
sd_new_case_dialog_new (GtkWindow    *parent,
                        SdLocalStore *store,
                        SdBoardData  *data)
{
  SdNewCaseDialog *self = g_object_new (SD_TYPE_NEW_CASE_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GDateTime) local = g_date_time_new_now_local ();
  g_autofree char *now_text = g_date_time_format (local, "%Y-%m-%d %H:%M");

  self->store = g_object_ref (store);
  self->data = data ? sd_board_data_ref (data) : NULL;
  if (data != NULL)
    {
      g_autoptr(GPtrArray) customers = sd_board_data_list_customers (data);

      for (guint i = 0; i < customers->len; i++)
        g_ptr_array_add (self->customers, g_object_ref (((SdBoardCustomer *) customers->pdata[i])->customer));
    }
  for (guint i = 0; i < self->customers->len; i++)
    gtk_string_list_append (names, sd_customer_get_name (self->customers->pdata[i]));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->customer_row), G_LIST_MODEL (names));
  customer_changed_cb (self);
  gtk_editable_set_text (GTK_EDITABLE (self->reported_row), now_text);
  return self;
}

void
sd_new_case_dialog_fill (SdNewCaseDialog *self,
                         const char      *title,
                         SdCaseType       type,
                         int              severity)
{
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  for (guint i = 0; i < self->types->len; i++)
    if (g_array_index (self->types, SdCaseType, i) == type)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->type_row), i);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->severity_row), severity - 1);
}

void
sd_new_case_dialog_create (SdNewCaseDialog *self)
{
  create_clicked_cb (self);
}

const char *
sd_new_case_dialog_get_error (SdNewCaseDialog *self)
{
  return gtk_widget_get_visible (self->error_label) ? gtk_label_get_label (GTK_LABEL (self->error_label)) : NULL;
}
