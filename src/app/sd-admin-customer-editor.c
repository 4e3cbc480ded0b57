/* sd-admin-customer-editor.c — Administration: one customer, new or
 * edited, checked as it is typed; its contacts; archiving
 *
 * Edits of the customer and its contacts go through the local store's
 * outbox like every other edit, so they are kept offline and their
 * conflicts are listed in Changes Not Sent. Archiving asks the server at
 * once, which may refuse (open cases): its reason is shown here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-admin-customer-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-admin-customer-editor.h"

struct _SdAdminCustomerEditor
{
  GtkBox parent_instance;

  SdCustomer *customer;   /* owned, nullable: a new customer */
  GPtrArray  *tam_ids;    /* owned strings; index + 1 is the TAM row's item */
  GHashTable *calendars;  /* owned ref: id → name */
  GPtrArray  *contacts;   /* owned: SdContact of this customer */
  GCancellable *cancellable;

  /* template children */
  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  GtkWidget      *status_label;
  GtkWidget      *name_row;
  AdwComboRow    *tier_row;
  GtkWidget      *zone_row;
  GtkWidget      *calendar_row;
  AdwComboRow    *tam_row;
  AdwComboRow    *language_row;
  GtkSwitch      *entitled_switch;
  GtkWidget      *start_row;
  GtkWidget      *end_row;
  GtkWidget      *problems_label;           /* under the customer's fields */
  GtkWidget      *contract_problems_label;  /* under the contract's */
  GtkWidget      *scroller;
  guint           status_frames;  /* since the status was shown */
  AdwPreferencesGroup *contacts_group;
  GtkWidget      *add_contact_button;
  GtkWidget      *archive_group;
  GtkWidget      *archive_button;
  GPtrArray      *contact_rows;  /* borrowed */
};

G_DEFINE_FINAL_TYPE (SdAdminCustomerEditor, sd_admin_customer_editor, GTK_TYPE_BOX)

static const SdTier tiers[] = { SD_TIER_MSA_ENTERPRISE, SD_TIER_STANDARD };

/* ---------------------------------------------------------- validation */

static char *
field_text (GtkWidget *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Marks @row, and adds @problem (NULL: none) to @problems. */
static void
mark (GtkWidget  *row,
      const char *problem,
      GString    *problems)
{
  if (problem == NULL)
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  gtk_widget_add_css_class (row, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem, -1);
  if (problems->len > 0)
    g_string_append_c (problems, '\n');
  g_string_append (problems, problem);
}

static gboolean
parse_day (GtkWidget *row,
           guint32   *julian)
{
  g_autofree char *text = field_text (row);

  *julian = 0;
  return *text == '\0' || sd_date_parse (text, julian, NULL);
}

/* Checks every field; the problems of the customer's fields and of the
 * contract's go to @problems and @contract_problems. */
static void
check (SdAdminCustomerEditor *self,
       GString               *problems,
       GString               *contract_problems)
{
  g_autofree char *name = field_text (self->name_row);
  g_autofree char *zone = field_text (self->zone_row);
  g_autofree char *calendar = field_text (self->calendar_row);
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *zone_problem = NULL;
  g_autofree char *calendar_problem = NULL;
  guint32 start, end;
  gboolean start_ok = parse_day (self->start_row, &start);
  gboolean end_ok = parse_day (self->end_row, &end);

  mark (self->name_row, *name == '\0' ? _("Name: a customer needs a name") : NULL, problems);

  if (*zone == '\0')
    zone_problem = g_strdup (_("Time zone: required, an IANA name such as Asia/Shanghai"));
  /* GLib also takes offsets such as "+08:00": a zone name has a '/'
   * (or is UTC). */
  else if ((tz = g_time_zone_new_identifier (zone)) == NULL || (strchr (zone, '/') == NULL && !g_str_equal (zone, "UTC")))
    zone_problem = g_strdup_printf (_("Time zone: “%s” is not an IANA time zone such as Asia/Shanghai"), zone);
  mark (self->zone_row, zone_problem, problems);

  if (*calendar == '\0')
    calendar_problem = g_strdup (_("Business calendar: required, such as cn-mainland"));
  else if (!g_hash_table_contains (self->calendars, calendar))
    calendar_problem = g_strdup_printf (_("Business calendar: there is no calendar “%s”"), calendar);
  mark (self->calendar_row, calendar_problem, problems);

  mark (self->start_row, start_ok ? NULL : _("Contract start: write a day as 2026-12-24"), contract_problems);
  if (!end_ok)
    mark (self->end_row, _("Contract end: write a day as 2026-12-24"), contract_problems);
  else if (start_ok && start != 0 && end != 0 && end < start)
    mark (self->end_row, _("Contract end: the contract must end after it starts"), contract_problems);
  else if (start == 0 && end != 0)
    mark (self->end_row, _("Contract end: give the contract’s start too"), contract_problems);
  else
    mark (self->end_row, NULL, contract_problems);
}

char *
sd_admin_customer_editor_get_problems (SdAdminCustomerEditor *self)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GString) contract_problems = g_string_new (NULL);

  g_return_val_if_fail (SD_IS_ADMIN_CUSTOMER_EDITOR (self), NULL);

  check (self, problems, contract_problems);
  if (problems->len > 0 && contract_problems->len > 0)
    g_string_append_c (problems, '\n');
  g_string_append (problems, contract_problems->str);
  return problems->len > 0 ? g_string_free (g_steal_pointer (&problems), FALSE) : NULL;
}

static void
show_problems (GtkWidget *label,
               GString   *problems)
{
  gtk_label_set_text (GTK_LABEL (label), problems->str);
  gtk_widget_set_visible (label, problems->len > 0);
}

static void
field_changed_cb (SdAdminCustomerEditor *self)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GString) contract_problems = g_string_new (NULL);

  if (self->calendars == NULL)
    return;  /* still being filled */
  check (self, problems, contract_problems);
  show_problems (self->problems_label, problems);
  show_problems (self->contract_problems_label, contract_problems);
  gtk_widget_set_sensitive (self->save_button, problems->len == 0 && contract_problems->len == 0);
}

/* ----------------------------------------------------------------- save */

/* Scrolls the form to show the status once it is laid out: on the
 * second frame after it was shown (the first lays it out). */
static gboolean
scroll_to_status_cb (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  SdAdminCustomerEditor *self = SD_ADMIN_CUSTOMER_EDITOR (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (self->scroller));
  graphene_rect_t bounds;

  if (self->status_frames++ == 0)
    return G_SOURCE_CONTINUE;
  if (gtk_widget_compute_bounds (self->status_label, content, &bounds))
    gtk_adjustment_clamp_page (adjustment, bounds.origin.y - 12, bounds.origin.y + bounds.size.height + 12);
  return G_SOURCE_REMOVE;
}

static void
show_status (SdAdminCustomerEditor *self,
             const char            *text)
{
  gtk_label_set_text (GTK_LABEL (self->status_label), text ? text : "");
  gtk_widget_set_visible (self->status_label, text != NULL);
  self->status_frames = 0;
  if (text != NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_status_cb, NULL, NULL);
}

static void
toast (GtkWidget  *widget,
       const char *text)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static void
close_editor (SdAdminCustomerEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (root));
}

static void
back_clicked_cb (SdAdminCustomerEditor *self)
{
  close_editor (self);
}

static gboolean
close_editor_binding (GtkWidget *widget,
                      GVariant  *args,
                      gpointer   user_data)
{
  close_editor (SD_ADMIN_CUSTOMER_EDITOR (widget));
  return TRUE;
}

typedef struct {
  GWeakRef  editor;
  char     *done;
  gboolean  close;
} Edit;

static void
edited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Edit *edit = user_data;
  g_autoptr(SdAdminCustomerEditor) self = g_weak_ref_get (&edit->editor);
  g_autoptr(GError) error = NULL;
  gboolean ok = sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) > 0;

  if (self != NULL)
    {
      if (!ok)
        show_status (self, error->message);
      else
        {
          toast (GTK_WIDGET (self), edit->done);
          /* Sent now when the server can be reached; kept in the outbox
           * otherwise. */
          gtk_widget_activate_action (GTK_WIDGET (self), "app.sync", NULL);
          if (edit->close)
            close_editor (self);
        }
    }
  g_weak_ref_clear (&edit->editor);
  g_free (edit->done);
  g_free (edit);
}

static void
enqueue (SdAdminCustomerEditor *self,
         SdOutboxOp             op,
         const char            *kind,
         const char            *id,
         JsonNode              *payload,
         gint64                 base_version,
         const char            *done,
         gboolean               close)
{
  SdAccount *account = _sd_admin_account ();
  Edit *edit;

  if (account == NULL)
    return;
  edit = g_new0 (Edit, 1);
  g_weak_ref_init (&edit->editor, self);
  edit->done = g_strdup (done);
  edit->close = close;
  sd_local_store_enqueue_async (sd_account_get_store (account), op, kind, id, payload, base_version,
                                self->cancellable, edited_cb, edit);
}

static const char *
selected_tam (SdAdminCustomerEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->tam_row);

  return selected > 0 && selected <= self->tam_ids->len ? g_ptr_array_index (self->tam_ids, selected - 1) : NULL;
}

static void
save_clicked_cb (SdAdminCustomerEditor *self)
{
  g_autofree char *problems = sd_admin_customer_editor_get_problems (self);
  g_autofree char *name = field_text (self->name_row);
  g_autofree char *zone = field_text (self->zone_row);
  g_autofree char *calendar = field_text (self->calendar_row);
  g_autofree char *id = NULL;
  g_autoptr(SdCustomer) edited = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint32 start, end;

  if (problems != NULL)
    return;
  parse_day (self->start_row, &start);
  parse_day (self->end_row, &end);
  id = self->customer ? g_strdup (sd_customer_get_id (self->customer)) : g_uuid_string_random ();
  edited = sd_customer_new (id);
  sd_customer_set_name (edited, name);
  sd_customer_set_tier (edited, tiers[MIN (adw_combo_row_get_selected (self->tier_row), 1)]);
  sd_customer_set_time_zone (edited, zone);
  sd_customer_set_calendar_id (edited, calendar);
  sd_customer_set_tam_id (edited, selected_tam (self));
  sd_customer_set_report_language (edited, adw_combo_row_get_selected (self->language_row) == 1
                                           ? SD_REPORT_LANGUAGE_EN : SD_REPORT_LANGUAGE_ZH_CN);
  sd_customer_set_health_check_entitled (edited, gtk_switch_get_active (self->entitled_switch));
  sd_customer_set_contract_start (edited, start);
  sd_customer_set_contract_end (edited, end);
  if (self->customer != NULL)
    sd_customer_set_duty_manager_ids (edited, sd_customer_get_duty_manager_ids (self->customer));
  node = sd_customer_to_json (edited);

  if (self->customer == NULL)
    {
      enqueue (self, SD_OUTBOX_OP_CREATE, "customer", id, node, 0, _("Customer created"), TRUE);
      return;
    }
  /* A merge patch of what this form edits; the contract's history, its
   * archived state and duty managers stay as the server has them. */
  {
    static const char * const edited_members[] = {
      "name", "tier", "time_zone", "calendar_id", "tam_id", "report_language",
      "health_check_entitled", "contract_start", "contract_end", NULL
    };
    JsonObject *all = json_node_get_object (node);
    g_autoptr(JsonObject) patch = json_object_new ();
    g_autoptr(JsonNode) patch_node = json_node_new (JSON_NODE_OBJECT);

    for (guint i = 0; edited_members[i] != NULL; i++)
      if (json_object_has_member (all, edited_members[i]))
        json_object_set_member (patch, edited_members[i], json_node_copy (json_object_get_member (all, edited_members[i])));
      else
        json_object_set_null_member (patch, edited_members[i]);
    json_node_set_object (patch_node, patch);
    enqueue (self, SD_OUTBOX_OP_UPDATE, "customer", id, patch_node, sd_customer_get_version (self->customer),
             _("Customer saved"), TRUE);
  }
}

/* -------------------------------------------------------------- contacts */

static const struct {
  SdContactRoles  role;
  const char     *label;
} contact_roles[] = {
  { SD_CONTACT_ROLE_DAILY_REPORT, N_("Daily report") },
  { SD_CONTACT_ROLE_QUARTERLY_REPORT, N_("Quarterly report") },
  { SD_CONTACT_ROLE_HEALTH_CHECK_APPOINTMENT, N_("Health-check appointment") },
};

typedef struct {
  GWeakRef    editor;
  SdContact  *contact;   /* owned, nullable: a new one */
  GtkWidget  *name;      /* borrowed, in the dialog */
  GtkWidget  *email;
  GtkWidget  *roles[G_N_ELEMENTS (contact_roles)];
} ContactForm;

static void
contact_form_free (ContactForm *form)
{
  g_weak_ref_clear (&form->editor);
  g_clear_object (&form->contact);
  g_free (form);
}

static gboolean
email_is_valid (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && strchr (at + 1, '.') != NULL && strchr (email, ' ') == NULL;
}

static void
contact_form_changed_cb (AdwMessageDialog *dialog)
{
  ContactForm *form = g_object_get_data (G_OBJECT (dialog), "form");
  g_autofree char *name = field_text (form->name);
  g_autofree char *email = field_text (form->email);
  gboolean email_ok = email_is_valid (email);

  if (*email != '\0' && !email_ok)
    gtk_widget_add_css_class (form->email, "error");
  else
    gtk_widget_remove_css_class (form->email, "error");
  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0' && email_ok);
}

static void
contact_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     ContactForm      *form)
{
  g_autoptr(SdAdminCustomerEditor) self = g_weak_ref_get (&form->editor);
  g_autofree char *name = field_text (form->name);
  g_autofree char *email = field_text (form->email);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;

  if (self == NULL || !g_str_equal (response, "save"))
    return;
  id = form->contact ? g_strdup (sd_contact_get_id (form->contact)) : g_uuid_string_random ();
  json_builder_begin_object (builder);
  if (form->contact == NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "customer_id");
      json_builder_add_string_value (builder, sd_customer_get_id (self->customer));
      json_builder_set_member_name (builder, "language");
      json_builder_add_string_value (builder, sd_report_language_to_string (sd_customer_get_report_language (self->customer)));
    }
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (contact_roles); i++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (form->roles[i])))
      json_builder_add_string_value (builder, sd_contact_role_to_string (contact_roles[i].role));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  if (form->contact == NULL)
    enqueue (self, SD_OUTBOX_OP_CREATE, "contact", id, node, 0, _("Contact added"), FALSE);
  else
    enqueue (self, SD_OUTBOX_OP_UPDATE, "contact", id, node, sd_contact_get_version (form->contact),
             _("Contact saved"), FALSE);
}

static void
edit_contact (SdAdminCustomerEditor *self,
              SdContact             *contact)
{
  AdwMessageDialog *dialog;
  ContactForm *form = g_new0 (ContactForm, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *roles_label = gtk_label_new (_("Receives"));

  g_weak_ref_init (&form->editor, self);
  form->contact = contact ? g_object_ref (contact) : NULL;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       contact ? _("Edit Contact") : _("Add Contact"), NULL));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  form->name = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->name), _("Name"));
  form->email = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->email), _("E-mail"));
  gtk_list_box_append (GTK_LIST_BOX (list), form->name);
  gtk_list_box_append (GTK_LIST_BOX (list), form->email);
  gtk_box_append (GTK_BOX (box), list);
  gtk_label_set_xalign (GTK_LABEL (roles_label), 0);
  gtk_widget_add_css_class (roles_label, "heading");
  gtk_box_append (GTK_BOX (box), roles_label);
  for (guint i = 0; i < G_N_ELEMENTS (contact_roles); i++)
    {
      form->roles[i] = gtk_check_button_new_with_label (_(contact_roles[i].label));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (form->roles[i]),
                                   contact ? (sd_contact_get_roles (contact) & contact_roles[i].role) != 0 : FALSE);
      gtk_box_append (GTK_BOX (box), form->roles[i]);
    }
  if (contact != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (form->name), sd_contact_get_name (contact));
      gtk_editable_set_text (GTK_EDITABLE (form->email), sd_contact_get_email (contact));
    }
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "form", form, (GDestroyNotify) contact_form_free);
  g_signal_connect_swapped (form->name, "changed", G_CALLBACK (contact_form_changed_cb), dialog);
  g_signal_connect_swapped (form->email, "changed", G_CALLBACK (contact_form_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (contact_response_cb), form);
  contact_form_changed_cb (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_contact_clicked_cb (SdAdminCustomerEditor *self)
{
  edit_contact (self, NULL);
}

static void
contact_activated_cb (AdwActionRow *row)
{
  SdAdminCustomerEditor *self = SD_ADMIN_CUSTOMER_EDITOR (gtk_widget_get_ancestor (GTK_WIDGET (row), SD_TYPE_ADMIN_CUSTOMER_EDITOR));

  edit_contact (self, g_object_get_data (G_OBJECT (row), "contact"));
}

static void
remove_contact_clicked_cb (GtkWidget *button)
{
  SdAdminCustomerEditor *self = SD_ADMIN_CUSTOMER_EDITOR (gtk_widget_get_ancestor (button, SD_TYPE_ADMIN_CUSTOMER_EDITOR));
  SdContact *contact = g_object_get_data (G_OBJECT (button), "contact");
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_boolean_member (patch, "archived", TRUE);
  json_node_set_object (node, patch);
  enqueue (self, SD_OUTBOX_OP_UPDATE, "contact", sd_contact_get_id (contact), node,
           sd_contact_get_version (contact), _("Contact removed"), FALSE);
  gtk_widget_set_visible (gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW), FALSE);
}

static void
fill_contacts (SdAdminCustomerEditor *self)
{
  for (guint i = 0; i < self->contacts->len; i++)
    {
      SdContact *contact = g_ptr_array_index (self->contacts, i);
      g_autoptr(GString) subtitle = g_string_new (sd_contact_get_email (contact));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      for (guint j = 0; j < G_N_ELEMENTS (contact_roles); j++)
        if (sd_contact_get_roles (contact) & contact_roles[j].role)
          g_string_append_printf (subtitle, " · %s", _(contact_roles[j].label));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sd_contact_get_name (contact));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "contact", g_object_ref (contact), g_object_unref);
      g_signal_connect (row, "activated", G_CALLBACK (contact_activated_cb), NULL);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Contact"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Contact"), -1);
      g_object_set_data_full (G_OBJECT (remove), "contact", g_object_ref (contact), g_object_unref);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_contact_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->contacts_group, row);
    }
}

/* --------------------------------------------------------------- archive */

static void
archived_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdAdminCustomerEditor) self = g_weak_ref_get (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) entity = sd_rest_client_update_finish (SD_REST_CLIENT (object), result, &error);

  g_weak_ref_clear (user_data);
  g_free (user_data);
  if (self == NULL)
    return;
  gtk_widget_set_sensitive (self->archive_button, TRUE);
  if (entity == NULL)
    {
      g_autofree char *text = NULL;

      /* The server's own words follow the reason in the app's language. */
      if (g_strcmp0 (sd_rest_error_get_problem_type (error), "urn:supportdesk:problem:open-cases") == 0)
        text = g_strdup_printf (_("The customer has open cases: resolve or close them, then archive it.\nThe server said: %s"),
                                error->message);
      else
        text = g_strdup_printf (_("The server did not archive the customer: %s"), error->message);

      show_status (self, text);
      gtk_widget_grab_focus (self->archive_button);
      return;
    }
  toast (GTK_WIDGET (self), _("Customer archived"));
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync", NULL);
  close_editor (self);
}

static void
archive_response_cb (SdAdminCustomerEditor *self,
                     const char            *response)
{
  SdAccount *account = _sd_admin_account ();
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *path = NULL;
  GWeakRef *ref;

  if (!g_str_equal (response, "archive") || account == NULL || sd_account_get_client (account) == NULL)
    return;
  json_object_set_boolean_member (patch, "archived", TRUE);
  json_node_set_object (node, patch);
  path = g_strconcat ("/customers/", sd_customer_get_id (self->customer), NULL);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  show_status (self, NULL);
  gtk_widget_set_sensitive (self->archive_button, FALSE);
  sd_rest_client_update_async (sd_account_get_client (account), path, node, sd_customer_get_version (self->customer),
                               self->cancellable, archived_cb, ref);
}

static void
archive_clicked_cb (SdAdminCustomerEditor *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = g_strdup_printf (_("Archive “%s”?"), sd_customer_get_name (self->customer));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                                       _("The customer keeps its history and takes no new work.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "archive", _("_Archive"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "archive", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (archive_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------- overrides */

static void
sd_admin_customer_editor_dispose (GObject *object)
{
  SdAdminCustomerEditor *self = SD_ADMIN_CUSTOMER_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ADMIN_CUSTOMER_EDITOR);

  G_OBJECT_CLASS (sd_admin_customer_editor_parent_class)->dispose (object);
}

static void
sd_admin_customer_editor_finalize (GObject *object)
{
  SdAdminCustomerEditor *self = SD_ADMIN_CUSTOMER_EDITOR (object);

  g_clear_object (&self->customer);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->tam_ids, g_ptr_array_unref);
  g_clear_pointer (&self->calendars, g_hash_table_unref);
  g_clear_pointer (&self->contacts, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_admin_customer_editor_parent_class)->finalize (object);
}

static void
sd_admin_customer_editor_class_init (SdAdminCustomerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_admin_customer_editor_dispose;
  object_class->finalize = sd_admin_customer_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-admin-customer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, tier_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, zone_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, calendar_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, tam_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, language_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, entitled_switch);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, end_row);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, problems_label);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, contract_problems_label);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, contacts_group);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, add_contact_button);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, archive_group);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomerEditor, archive_button);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_contact_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, archive_clicked_cb);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, close_editor_binding, NULL);
}

static void
sd_admin_customer_editor_init (SdAdminCustomerEditor *self)
{
  g_autoptr(GtkStringList) tier_labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    gtk_string_list_append (tier_labels, sd_tier_get_label (tiers[i]));
  adw_combo_row_set_model (self->tier_row, G_LIST_MODEL (tier_labels));
}

GtkWidget *
sd_admin_customer_editor_new (SdCustomer  *customer,
                              SdAdminData *data)
{
  SdAdminCustomerEditor *self = g_object_new (SD_TYPE_ADMIN_CUSTOMER_EDITOR, NULL);
  g_autoptr(GtkStringList) tams = gtk_string_list_new (NULL);
  const char *why = NULL;
  guint tam_index = 0;

  g_return_val_if_fail (data != NULL, NULL);

  self->customer = customer ? g_object_ref (customer) : NULL;
  self->tam_ids = g_ptr_array_new_with_free_func (g_free);
  self->contacts = g_ptr_array_new_with_free_func (g_object_unref);

  gtk_string_list_append (tams, _("None"));
  for (guint i = 0; i < data->users->len; i++)
    {
      SdUser *user = g_ptr_array_index (data->users, i);

      if (sd_user_get_role (user) != SD_ROLE_TAM)
        continue;
      g_ptr_array_add (self->tam_ids, g_strdup (sd_user_get_id (user)));
      gtk_string_list_append (tams, sd_user_get_display_name (user));
      if (customer != NULL && g_strcmp0 (sd_customer_get_tam_id (customer), sd_user_get_id (user)) == 0)
        tam_index = self->tam_ids->len;
    }
  adw_combo_row_set_model (self->tam_row, G_LIST_MODEL (tams));
  adw_combo_row_set_selected (self->tam_row, tam_index);

  if (customer != NULL)
    {
      g_autofree char *start = sd_customer_get_contract_start (customer) ? sd_date_format (sd_customer_get_contract_start (customer)) : NULL;
      g_autofree char *end = sd_customer_get_contract_end (customer) ? sd_date_format (sd_customer_get_contract_end (customer)) : NULL;

      adw_window_title_set_title (self->window_title, sd_customer_get_name (customer));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), sd_customer_get_name (customer));
      adw_combo_row_set_selected (self->tier_row, sd_customer_get_tier (customer) == SD_TIER_STANDARD ? 1 : 0);
      gtk_editable_set_text (GTK_EDITABLE (self->zone_row), sd_customer_get_time_zone (customer) ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->calendar_row), sd_customer_get_calendar_id (customer) ?: "");
      adw_combo_row_set_selected (self->language_row,
                                  sd_customer_get_report_language (customer) == SD_REPORT_LANGUAGE_EN ? 1 : 0);
      gtk_switch_set_active (self->entitled_switch, sd_customer_get_health_check_entitled (customer));
      gtk_editable_set_text (GTK_EDITABLE (self->start_row), start ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->end_row), end ?: "");
      for (guint i = 0; i < data->contacts->len; i++)
        {
          SdContact *contact = g_ptr_array_index (data->contacts, i);

          if (g_strcmp0 (sd_contact_get_customer_id (contact), sd_customer_get_id (customer)) == 0
              && !sd_contact_get_archived (contact))
            g_ptr_array_add (self->contacts, g_object_ref (contact));
        }
      fill_contacts (self);
      if (!_sd_admin_is_online (&why))
        {
          gtk_widget_set_sensitive (self->archive_button, FALSE);
          gtk_widget_set_tooltip_text (self->archive_button, why);
        }
      gtk_widget_set_visible (self->archive_group, !sd_customer_get_archived (customer));
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("New Customer"));
      gtk_editable_set_text (GTK_EDITABLE (self->zone_row), "Asia/Shanghai");
      gtk_editable_set_text (GTK_EDITABLE (self->calendar_row), "cn-mainland");
      gtk_widget_set_visible (GTK_WIDGET (self->contacts_group), FALSE);
      gtk_widget_set_visible (self->archive_group, FALSE);
    }

  /* From here on every change is checked. */
  self->calendars = g_hash_table_ref (data->calendars);
  field_changed_cb (self);
  return GTK_WIDGET (self);
}

const char *
sd_admin_customer_editor_get_status (SdAdminCustomerEditor *self)
{
  g_return_val_if_fail (SD_IS_ADMIN_CUSTOMER_EDITOR (self), NULL);

  return gtk_widget_get_visible (self->status_label) ? gtk_label_get_text (GTK_LABEL (self->status_label)) : NULL;
}
