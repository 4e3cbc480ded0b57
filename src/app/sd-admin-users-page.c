/* sd-admin-users-page.c — Administration: the users, searched through
 * the window's search; deactivating, resetting a password; the TAM
 * reassignment dialog
 *
 * These are server-only actions: they are insensitive while the server
 * cannot be reached, with a tooltip that says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-admin-users-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-admin-private.h"
#include "sd-admin-users-page.h"

struct _SdAdminUsersPage
{
  AdwPreferencesPage parent_instance;

  SdAdminData  *data;          /* owned, nullable until loaded */
  GPtrArray    *rows;          /* borrowed: the group's rows */
  SdAdminWatch *watch;         /* owned */

  /* template children */
  AdwPreferencesGroup *users_group;
  GtkWidget           *reassign_button;
  GtkWidget           *new_user_button;
};

G_DEFINE_FINAL_TYPE (SdAdminUsersPage, sd_admin_users_page, ADW_TYPE_PREFERENCES_PAGE)

static void
toast (SdAdminUsersPage *self,
       const char       *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

static SdRestClient *
client (void)
{
  SdAccount *account = _sd_admin_account ();

  return account ? sd_account_get_client (account) : NULL;
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

/* A server action's end: a toast with @done or the server's reason, and
 * a sync to fetch what it changed. */
static void
finish_action (GObject  *page,
               GError   *error,
               const char *done)
{
  g_autoptr(SdAdminUsersPage) self = page ? SD_ADMIN_USERS_PAGE (page) : NULL;

  if (self == NULL)
    return;
  if (error != NULL)
    {
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                           _("The Server Refused"), error->message));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  toast (self, done);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync", NULL);
}

static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static GObject *
weak_ref_steal (GWeakRef *ref)
{
  GObject *object = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return object;
}

/* ----------------------------------------------------------- deactivate */

static void
deactivated_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) entity = sd_rest_client_update_finish (SD_REST_CLIENT (object), result, &error);

  finish_action (weak_ref_steal (user_data), error, _("User deactivated"));
}

static void
deactivate_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        SdAdminUsersPage *self)
{
  SdUser *user = g_object_get_data (G_OBJECT (dialog), "user");
  g_autofree char *path = g_strconcat ("/users/", sd_user_get_id (user), NULL);
  JsonObject *patch = json_object_new ();
  g_autoptr(JsonNode) node = object_node (patch);

  if (!g_str_equal (response, "deactivate") || client () == NULL)
    return;
  json_object_set_boolean_member (patch, "active", FALSE);
  sd_rest_client_update_async (client (), path, node, sd_user_get_version (user), NULL, deactivated_cb,
                               weak_ref_new (self));
}

static void
deactivate_clicked_cb (GtkWidget        *button,
                       SdAdminUsersPage *self)
{
  SdUser *user = g_object_get_data (G_OBJECT (button), "user");
  g_autofree char *heading = g_strdup_printf (_("Deactivate %s?"), sd_user_get_display_name (user));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading,
                                                       _("They are signed out at once and cannot sign in again. A TAM’s customers must be reassigned first.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "deactivate", _("_Deactivate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "deactivate", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "user", g_object_ref (user), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (deactivate_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------- password reset */

static void
password_reset_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = sd_rest_client_post_action_finish (SD_REST_CLIENT (object), result, &error);
  g_autoptr(GObject) page = weak_ref_steal (user_data);
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;
  JsonObject *reply;

  if (answer == NULL || page == NULL)
    {
      finish_action (g_steal_pointer (&page), error, NULL);
      return;
    }
  reply = json_node_get_object (answer);
  body = g_strdup_printf (_("Give %s this temporary password; they choose a new one when they sign in:\n\n%s"),
                          json_object_get_string_member_with_default (reply, "login", ""),
                          json_object_get_string_member_with_default (reply, "temporary_password", ""));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (page))),
                                                       _("Password Reset"), body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reset_clicked_cb (GtkWidget        *button,
                  SdAdminUsersPage *self)
{
  SdUser *user = g_object_get_data (G_OBJECT (button), "user");
  g_autofree char *path = g_strconcat ("/users/", sd_user_get_id (user), "/password-reset", NULL);
  g_autoptr(JsonNode) node = object_node (json_object_new ());

  if (client () != NULL)
    sd_rest_client_post_action_async (client (), path, node, NULL, password_reset_cb, weak_ref_new (self));
}

/* -------------------------------------------------- new or edited user */

static const SdRole roles[] = { SD_ROLE_TAM, SD_ROLE_DUTY_MANAGER, SD_ROLE_ENGINEER, SD_ROLE_ADMIN };

typedef struct {
  SdUser    *user;      /* owned, nullable: a new user */
  GtkWidget *login;     /* borrowed, in the dialog; NULL when editing */
  GtkWidget *name;
  GtkWidget *email;
  AdwComboRow *role;
  GtkWidget *away;      /* NULL for a new user */
} UserForm;

static void
user_form_free (UserForm *form)
{
  g_clear_object (&form->user);
  g_free (form);
}

static GtkWidget *
entry_row (GtkWidget  *list,
           const char *title,
           const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static char *
row_text (GtkWidget *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The day typed in @form's out-of-office row as the end of the absence
 * (local midnight): SD_TIME_NONE when empty; FALSE when it is no day. */
static gboolean
away_until (UserForm *form,
            gint64   *until)
{
  g_autofree char *text = row_text (form->away);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) day = NULL;
  guint32 julian;
  GDate date;

  *until = SD_TIME_NONE;
  if (*text == '\0')
    return TRUE;
  if (!sd_date_parse (text, &julian, NULL))
    return FALSE;
  g_date_set_julian (&date, julian);
  day = g_date_time_new (local, g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date), 0, 0, 0);
  if (day == NULL)
    return FALSE;
  *until = g_date_time_to_unix (day);
  return TRUE;
}

static void
user_form_changed_cb (AdwMessageDialog *dialog)
{
  UserForm *form = g_object_get_data (G_OBJECT (dialog), "form");
  g_autofree char *name = row_text (form->name);
  g_autofree char *login = form->login ? row_text (form->login) : g_strdup ("-");
  gint64 until;
  gboolean away_ok = form->away == NULL || away_until (form, &until);

  if (away_ok)
    gtk_widget_remove_css_class (form->away ? form->away : form->name, "error");
  else
    gtk_widget_add_css_class (form->away, "error");
  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0' && *login != '\0' && away_ok);
}

static void
user_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) entity = NULL;
  gboolean created = g_task_get_source_tag (G_TASK (result)) == sd_rest_client_create_async;
  GObject *page;

  entity = created ? sd_rest_client_create_finish (SD_REST_CLIENT (object), result, &error)
                   : sd_rest_client_update_finish (SD_REST_CLIENT (object), result, &error);
  page = weak_ref_steal (user_data);
  /* A new user has no password yet: the admin gives a temporary one. */
  if (entity != NULL && created && page != NULL)
    {
      g_autofree char *path = g_strconcat ("/users/",
                                           json_object_get_string_member_with_default (json_node_get_object (entity), "id", ""),
                                           "/password-reset", NULL);
      g_autoptr(JsonNode) node = object_node (json_object_new ());

      sd_rest_client_post_action_async (SD_REST_CLIENT (object), path, node, NULL, password_reset_cb, weak_ref_new (page));
      gtk_widget_activate_action (GTK_WIDGET (page), "app.sync", NULL);
      g_object_unref (page);
      return;
    }
  finish_action (page, error, created ? _("User created") : _("User saved"));
}

static void
user_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  SdAdminUsersPage *self)
{
  UserForm *form = g_object_get_data (G_OBJECT (dialog), "form");
  g_autofree char *name = row_text (form->name);
  g_autofree char *email = row_text (form->email);
  g_autofree char *id = form->user ? g_strdup (sd_user_get_id (form->user)) : g_uuid_string_random ();
  g_autoptr(SdUser) edited = sd_user_new (id);
  g_autoptr(JsonNode) all = NULL;
  JsonObject *body = json_object_new ();
  g_autoptr(JsonNode) node = object_node (body);
  static const char * const members[] = { "display_name", "role", "email", "out_of_office_until", NULL };
  gint64 until = SD_TIME_NONE;

  if (!g_str_equal (response, "save") || client () == NULL)
    return;
  sd_user_set_display_name (edited, name);
  sd_user_set_role (edited, roles[MIN (adw_combo_row_get_selected (form->role), G_N_ELEMENTS (roles) - 1)]);
  sd_user_set_email (edited, *email ? email : NULL);
  if (form->away != NULL && away_until (form, &until))
    sd_user_set_out_of_office_until (edited, until);
  all = sd_user_to_json (edited);
  /* Members as the codec writes them; an absent one is sent as null. */
  for (guint i = 0; members[i] != NULL; i++)
    {
      if (form->user == NULL && g_str_equal (members[i], "out_of_office_until"))
        continue;
      if (json_object_has_member (json_node_get_object (all), members[i]))
        json_object_set_member (body, members[i], json_node_copy (json_object_get_member (json_node_get_object (all), members[i])));
      else if (form->user != NULL)
        json_object_set_null_member (body, members[i]);
    }
  if (form->user == NULL)
    {
      g_autofree char *login = row_text (form->login);

      json_object_set_string_member (body, "id", id);
      json_object_set_string_member (body, "login", login);
      sd_rest_client_create_async (client (), "/users", node, id, NULL, user_saved_cb, weak_ref_new (self));
    }
  else
    {
      g_autofree char *path = g_strconcat ("/users/", id, NULL);

      sd_rest_client_update_async (client (), path, node, sd_user_get_version (form->user), NULL, user_saved_cb,
                                   weak_ref_new (self));
    }
}

static void
edit_user (SdAdminUsersPage *self,
           SdUser           *user)
{
  AdwMessageDialog *dialog;
  UserForm *form = g_new0 (UserForm, 1);
  GtkWidget *list = gtk_list_box_new ();
  g_autoptr(GtkStringList) role_names = gtk_string_list_new (NULL);
  guint role_index = 0;

  form->user = user ? g_object_ref (user) : NULL;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       user ? _("Edit User") : _("New User"),
                                                       user ? NULL : _("A new user signs in with a temporary password, shown next, and chooses their own.")));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  if (user == NULL)
    form->login = entry_row (list, _("Login"), NULL);
  form->name = entry_row (list, _("Name"), user ? sd_user_get_display_name (user) : NULL);
  form->email = entry_row (list, _("E-mail"), user ? sd_user_get_email (user) : NULL);
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      gtk_string_list_append (role_names, _sd_admin_role_label (roles[i]));
      if (user != NULL && sd_user_get_role (user) == roles[i])
        role_index = i;
    }
  form->role = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->role), _("Role"));
  adw_combo_row_set_model (form->role, G_LIST_MODEL (role_names));
  adw_combo_row_set_selected (form->role, role_index);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (form->role));
  if (user != NULL)
    {
      gint64 until = sd_user_get_out_of_office_until (user);
      g_autofree char *day = NULL;

      if (until != SD_TIME_NONE && sd_user_is_out_of_office (user, g_get_real_time () / G_USEC_PER_SEC))
        {
          g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (until);

          day = g_date_time_format (local, "%Y-%m-%d");
        }
      form->away = entry_row (list, _("Out of Office Until (YYYY-MM-DD, empty: present)"), day);
    }
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", user ? _("_Save") : _("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "form", form, (GDestroyNotify) user_form_free);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ENTRY_ROW (row))
      g_signal_connect_swapped (row, "changed", G_CALLBACK (user_form_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (user_response_cb), self, 0);
  user_form_changed_cb (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_user_clicked_cb (SdAdminUsersPage *self)
{
  edit_user (self, NULL);
}

static void
user_activated_cb (AdwActionRow     *row,
                   SdAdminUsersPage *self)
{
  edit_user (self, g_object_get_data (G_OBJECT (row), "user"));
}

/* ------------------------------------------------------------ reassign */

/* What the dialog shows, copied from the page's data (which a sync may
 * replace while the dialog is up). */
typedef struct {
  GPtrArray   *tam_ids;    /* owned strings, the rows' items */
  GArray      *customers;  /* guint per TAM: their customers */
  GArray      *cases;      /* guint per TAM: open cases assigned to them */
  AdwComboRow *from;       /* borrowed, in the dialog */
  AdwComboRow *to;
  GtkLabel    *summary;
} Reassign;

static void
reassign_free (Reassign *reassign)
{
  g_ptr_array_unref (reassign->tam_ids);
  g_array_unref (reassign->customers);
  g_array_unref (reassign->cases);
  g_free (reassign);
}

static const char *
selected_id (Reassign    *reassign,
             AdwComboRow *row)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected < reassign->tam_ids->len ? g_ptr_array_index (reassign->tam_ids, selected) : NULL;
}

static void
reassign_changed_cb (AdwMessageDialog *dialog)
{
  Reassign *reassign = g_object_get_data (G_OBJECT (dialog), "reassign");
  const char *from = selected_id (reassign, reassign->from);
  const char *to = selected_id (reassign, reassign->to);
  guint index = adw_combo_row_get_selected (reassign->from);
  guint customers = from ? g_array_index (reassign->customers, guint, index) : 0;
  guint cases = from ? g_array_index (reassign->cases, guint, index) : 0;
  g_autofree char *customers_text = NULL;
  g_autofree char *text = NULL;

  customers_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u customer", "%u customers", customers), customers);
  /* Translators: "3 customers and 5 open cases move"; the first %s is the
   * customers part */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u open case move", "%s and %u open cases move", cases),
                          customers_text, cases);
  gtk_label_set_text (reassign->summary, text);
  adw_message_dialog_set_response_enabled (dialog, "reassign",
                                           from != NULL && to != NULL && g_strcmp0 (from, to) != 0 && customers > 0);
}

static void
reassigned_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = sd_rest_client_post_action_finish (SD_REST_CLIENT (object), result, &error);
  g_autofree char *done = NULL;

  if (answer != NULL)
    {
      JsonObject *reply = json_node_get_object (answer);
      gint64 customers = json_object_get_int_member_with_default (reply, "customers", 0);
      gint64 cases = json_object_get_int_member_with_default (reply, "cases", 0);

      /* Translators: after a TAM reassignment */
      done = g_strdup_printf (_("Customers moved: %d; open cases moved: %d"), (int) customers, (int) cases);
    }
  finish_action (weak_ref_steal (user_data), error, done);
}

static void
reassign_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      SdAdminUsersPage *self)
{
  Reassign *reassign = g_object_get_data (G_OBJECT (dialog), "reassign");
  const char *from = selected_id (reassign, reassign->from);
  const char *to = selected_id (reassign, reassign->to);
  g_autofree char *path = NULL;
  JsonObject *body = json_object_new ();
  g_autoptr(JsonNode) node = object_node (body);

  if (!g_str_equal (response, "reassign") || from == NULL || to == NULL || client () == NULL)
    return;
  path = g_strconcat ("/users/", from, "/reassign", NULL);
  json_object_set_string_member (body, "to", to);
  sd_rest_client_post_action_async (client (), path, node, NULL, reassigned_cb, weak_ref_new (self));
}

static AdwComboRow *
tam_row (const char   *title,
         GtkStringList *names)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  return row;
}

static void
reassign_clicked_cb (SdAdminUsersPage *self)
{
  AdwMessageDialog *dialog;
  Reassign *reassign;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();

  if (self->data == NULL)
    return;
  reassign = g_new0 (Reassign, 1);
  reassign->tam_ids = g_ptr_array_new_with_free_func (g_free);
  reassign->customers = g_array_new (FALSE, TRUE, sizeof (guint));
  reassign->cases = g_array_new (FALSE, TRUE, sizeof (guint));
  for (guint i = 0; i < self->data->users->len; i++)
    {
      SdUser *user = g_ptr_array_index (self->data->users, i);
      guint customers = 0;
      guint cases = GPOINTER_TO_UINT (g_hash_table_lookup (self->data->assigned, sd_user_get_id (user)));

      if (sd_user_get_role (user) != SD_ROLE_TAM || !sd_user_get_active (user))
        continue;
      for (guint j = 0; j < self->data->customers->len; j++)
        {
          SdCustomer *customer = g_ptr_array_index (self->data->customers, j);

          if (g_strcmp0 (sd_customer_get_tam_id (customer), sd_user_get_id (user)) == 0
              && !sd_customer_get_archived (customer))
            customers++;
        }
      g_ptr_array_add (reassign->tam_ids, g_strdup (sd_user_get_id (user)));
      g_array_append_val (reassign->customers, customers);
      g_array_append_val (reassign->cases, cases);
      gtk_string_list_append (names, sd_user_get_display_name (user));
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Reassign Customers"),
                                                       _("Every customer of one TAM goes to another, with the open cases assigned to the first.")));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  reassign->from = tam_row (_("From TAM"), names);
  reassign->to = tam_row (_("To TAM"), names);
  if (reassign->tam_ids->len > 1)
    adw_combo_row_set_selected (reassign->to, 1);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (reassign->from));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (reassign->to));
  reassign->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (reassign->summary, TRUE);
  gtk_box_append (GTK_BOX (box), list);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (reassign->summary));
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "reassign", _("_Reassign"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "reassign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "reassign", reassign, (GDestroyNotify) reassign_free);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_swapped (reassign->from, "notify::selected", G_CALLBACK (reassign_changed_cb), dialog);
  g_signal_connect_swapped (reassign->to, "notify::selected", G_CALLBACK (reassign_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reassign_response_cb), self, 0);
  reassign_changed_cb (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---------------------------------------------------------------- list */

static GtkWidget *
row_button (const char       *icon,
            const char       *label,
            SdUser           *user,
            GCallback         callback,
            SdAdminUsersPage *self,
            const char       *offline_why)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, offline_why ? offline_why : label);
  gtk_widget_set_sensitive (button, offline_why == NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "user", g_object_ref (user), g_object_unref);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static void
fill (SdAdminUsersPage *self)
{
  const char *why = NULL;
  gboolean online = _sd_admin_is_online (&why);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->users_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->data->users->len; i++)
    {
      SdUser *user = g_ptr_array_index (self->data->users, i);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      GtkWidget *row = adw_action_row_new ();

      g_string_append_printf (subtitle, "%s · %s", sd_user_get_login (user) ?: "",
                              _sd_admin_role_label (sd_user_get_role (user)));
      if (!sd_user_get_active (user))
        g_string_append_printf (subtitle, " · %s", _("Deactivated"));
      else if (sd_user_is_out_of_office (user, g_get_real_time () / G_USEC_PER_SEC))
        g_string_append_printf (subtitle, " · %s", _("Out of office"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sd_user_get_display_name (user));
      /* Editing a user is a server action too. */
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), online);
      g_object_set_data_full (G_OBJECT (row), "user", g_object_ref (user), g_object_unref);
      g_signal_connect_object (row, "activated", G_CALLBACK (user_activated_cb), self, 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("dialog-password-symbolic", _("Reset Password"), user,
                                             G_CALLBACK (reset_clicked_cb), self, why));
      if (sd_user_get_active (user))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   row_button ("action-unavailable-symbolic", _("Deactivate"), user,
                                               G_CALLBACK (deactivate_clicked_cb), self, why));
      adw_preferences_group_add (self->users_group, row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_set_sensitive (self->reassign_button, online);
  gtk_widget_set_tooltip_text (self->reassign_button, why);
  gtk_widget_set_sensitive (self->new_user_button, online);
  gtk_widget_set_tooltip_text (self->new_user_button, why);
}

static void
loaded (GtkWidget   *page,
        SdAdminData *data)
{
  SdAdminUsersPage *self = (SdAdminUsersPage *) page;

  g_clear_pointer (&self->data, sd_admin_data_free);
  self->data = data;
  fill (self);
}

static void
sd_admin_users_page_dispose (GObject *object)
{
  SdAdminUsersPage *self = SD_ADMIN_USERS_PAGE (object);

  g_clear_pointer (&self->watch, _sd_admin_watch_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ADMIN_USERS_PAGE);

  G_OBJECT_CLASS (sd_admin_users_page_parent_class)->dispose (object);
}

static void
sd_admin_users_page_finalize (GObject *object)
{
  SdAdminUsersPage *self = SD_ADMIN_USERS_PAGE (object);

  g_clear_pointer (&self->data, sd_admin_data_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_admin_users_page_parent_class)->finalize (object);
}

static void
sd_admin_users_page_class_init (SdAdminUsersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_admin_users_page_dispose;
  object_class->finalize = sd_admin_users_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-admin-users-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAdminUsersPage, users_group);
  gtk_widget_class_bind_template_child (widget_class, SdAdminUsersPage, reassign_button);
  gtk_widget_class_bind_template_child (widget_class, SdAdminUsersPage, new_user_button);
  gtk_widget_class_bind_template_callback (widget_class, reassign_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_user_clicked_cb);
}

static void
sd_admin_users_page_init (SdAdminUsersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->watch = _sd_admin_watch_new (GTK_WIDGET (self), loaded);
}
