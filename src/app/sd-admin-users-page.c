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
  gtk_widget_class_bind_template_callback (widget_class, reassign_clicked_cb);
}

static void
sd_admin_users_page_init (SdAdminUsersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->watch = _sd_admin_watch_new (GTK_WIDGET (self), loaded);
}
