/* sd-admin-customers-page.c — Administration: the customers, searched
 * through the window's search; each opens in an editor subpage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-admin-customers-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-admin-customer-editor.h"
#include "sd-admin-customers-page.h"
#include "sd-admin-import-dialog.h"
#include "sd-admin-private.h"

struct _SdAdminCustomersPage
{
  AdwPreferencesPage parent_instance;

  SdAdminData  *data;          /* owned, nullable until loaded */
  GPtrArray    *rows;          /* borrowed: the group's rows */
  SdAdminWatch *watch;         /* owned */

  /* template children */
  AdwPreferencesGroup *customers_group;
  GtkWidget           *import_button;
  GtkWidget           *new_button;
};

G_DEFINE_FINAL_TYPE (SdAdminCustomersPage, sd_admin_customers_page, ADW_TYPE_PREFERENCES_PAGE)

static void
open_editor (SdAdminCustomersPage *self,
             SdCustomer           *customer)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *editor;

  if (self->data == NULL || !ADW_IS_PREFERENCES_WINDOW (root))
    return;
  editor = sd_admin_customer_editor_new (customer, self->data);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (root), editor);
}

static void
row_activated_cb (AdwActionRow         *row,
                  SdAdminCustomersPage *self)
{
  open_editor (self, g_object_get_data (G_OBJECT (row), "customer"));
}

static void
new_clicked_cb (SdAdminCustomersPage *self)
{
  open_editor (self, NULL);
}

static void
import_clicked_cb (SdAdminCustomersPage *self)
{
  sd_admin_import_dialog_run (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->data);
}

static void
fill (SdAdminCustomersPage *self)
{
  const char *why = NULL;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->customers_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < self->data->customers->len; i++)
    {
      SdCustomer *customer = g_ptr_array_index (self->data->customers, i);
      SdUser *tam = _sd_admin_find_user (self->data, sd_customer_get_tam_id (customer));
      guint open = GPOINTER_TO_UINT (g_hash_table_lookup (self->data->open_cases, sd_customer_get_id (customer)));
      g_autoptr(GString) subtitle = g_string_new (sd_tier_get_label (sd_customer_get_tier (customer)));
      GtkWidget *row = adw_action_row_new ();

      if (tam != NULL)
        g_string_append_printf (subtitle, " · %s %s", _("TAM"), sd_user_get_display_name (tam));
      if (open > 0)
        {
          g_string_append (subtitle, " · ");
          g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u open case", "%u open cases", open), open);
        }
      if (sd_customer_get_archived (customer))
        g_string_append_printf (subtitle, " · %s", _("Archived"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sd_customer_get_name (customer));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "customer", g_object_ref (customer), g_object_unref);
      g_signal_connect_object (row, "activated", G_CALLBACK (row_activated_cb), self, 0);
      adw_preferences_group_add (self->customers_group, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_widget_set_sensitive (self->import_button, _sd_admin_is_online (&why));
  gtk_widget_set_tooltip_text (self->import_button, why);
}

static void
loaded (GtkWidget   *page,
        SdAdminData *data)
{
  SdAdminCustomersPage *self = (SdAdminCustomersPage *) page;

  g_clear_pointer (&self->data, sd_admin_data_free);
  self->data = data;
  fill (self);
}

static void
sd_admin_customers_page_dispose (GObject *object)
{
  SdAdminCustomersPage *self = SD_ADMIN_CUSTOMERS_PAGE (object);

  g_clear_pointer (&self->watch, _sd_admin_watch_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_ADMIN_CUSTOMERS_PAGE);

  G_OBJECT_CLASS (sd_admin_customers_page_parent_class)->dispose (object);
}

static void
sd_admin_customers_page_finalize (GObject *object)
{
  SdAdminCustomersPage *self = SD_ADMIN_CUSTOMERS_PAGE (object);

  g_clear_pointer (&self->data, sd_admin_data_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_admin_customers_page_parent_class)->finalize (object);
}

static void
sd_admin_customers_page_class_init (SdAdminCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_admin_customers_page_dispose;
  object_class->finalize = sd_admin_customers_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-admin-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomersPage, customers_group);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomersPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, SdAdminCustomersPage, new_button);
  gtk_widget_class_bind_template_callback (widget_class, new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
}

static void
sd_admin_customers_page_init (SdAdminCustomersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
  self->watch = _sd_admin_watch_new (GTK_WIDGET (self), loaded);
}
