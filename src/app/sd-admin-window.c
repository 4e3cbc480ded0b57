/* sd-admin-window.c — the Administration window: a plain list of pages
 * (customers, users), each an AdwPreferencesPage of its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-admin-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-admin-customers-page.h"
#include "sd-admin-private.h"
#include "sd-admin-users-page.h"
#include "sd-admin-window.h"
#include "sd-application.h"

struct _SdAdminWindow
{
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (SdAdminWindow, sd_admin_window, ADW_TYPE_PREFERENCES_WINDOW)

/* ------------------------------------------------------ shared helpers */

void
sd_admin_data_free (SdAdminData *data)
{
  g_clear_pointer (&data->customers, g_ptr_array_unref);
  g_clear_pointer (&data->users, g_ptr_array_unref);
  g_clear_pointer (&data->contacts, g_ptr_array_unref);
  g_clear_pointer (&data->calendars, g_hash_table_unref);
  g_clear_pointer (&data->open_cases, g_hash_table_unref);
  g_clear_pointer (&data->assigned, g_hash_table_unref);
  g_free (data);
}

SdAccount *
_sd_admin_account (void)
{
  GApplication *app = g_application_get_default ();

  return SD_IS_APPLICATION (app) ? sd_application_get_account (SD_APPLICATION (app)) : NULL;
}

gboolean
_sd_admin_is_online (const char **why)
{
  SdAccount *account = _sd_admin_account ();
  SdSyncEngine *engine = account ? sd_account_get_engine (account) : NULL;

  if (engine == NULL)
    {
      *why = _("Only a signed-in account can do this");
      return FALSE;
    }
  if (sd_sync_engine_get_state (engine) == SD_SYNC_STATE_OFFLINE)
    {
      *why = _("The server cannot be reached: this needs the server");
      return FALSE;
    }
  *why = NULL;
  return TRUE;
}

static int
compare_customers (gconstpointer a,
                   gconstpointer b)
{
  return g_utf8_collate (sd_customer_get_name (*(SdCustomer **) a), sd_customer_get_name (*(SdCustomer **) b));
}

static int
compare_users (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (sd_user_get_display_name (*(SdUser **) a), sd_user_get_display_name (*(SdUser **) b));
}

static void
count_case_cb (JsonNode *body,
               gpointer  user_data)
{
  SdAdminData *data = user_data;
  JsonObject *object = json_node_get_object (body);
  const char *status = json_object_get_string_member_with_default (object, "status", "");
  const char *customer = json_object_get_string_member_with_default (object, "customer_id", NULL);
  const char *assignee = NULL;

  if (g_str_equal (status, "resolved") || g_str_equal (status, "closed") || customer == NULL)
    return;
  g_hash_table_insert (data->open_cases, g_strdup (customer),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (data->open_cases, customer)) + 1));
  if (json_object_has_member (object, "assignee_id") && !json_object_get_null_member (object, "assignee_id"))
    assignee = json_object_get_string_member (object, "assignee_id");
  if (assignee != NULL)
    g_hash_table_insert (data->assigned, g_strdup (assignee),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (data->assigned, assignee)) + 1));
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SdLocalStore *store = task_data;
  g_autoptr(SdAdminData) data = g_new0 (SdAdminData, 1);
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GPtrArray) calendars = NULL;
  GError *error = NULL;

  if (!(customers = sd_local_store_list (store, "customer", NULL, &error))
      || !(users = sd_local_store_list (store, "user", NULL, &error))
      || !(contacts = sd_local_store_list (store, "contact", NULL, &error))
      || !(calendars = sd_local_store_list (store, "calendar", NULL, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  data->customers = sd_kind_decode_all (sd_kind_lookup ("customer"), customers);
  data->users = sd_kind_decode_all (sd_kind_lookup ("user"), users);
  data->contacts = sd_kind_decode_all (sd_kind_lookup ("contact"), contacts);
  g_ptr_array_sort (data->customers, compare_customers);
  g_ptr_array_sort (data->users, compare_users);

  data->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < calendars->len; i++)
    {
      JsonObject *object = json_node_get_object (g_ptr_array_index (calendars, i));
      const char *id = json_object_get_string_member_with_default (object, "id", NULL);

      if (id != NULL)
        g_hash_table_insert (data->calendars, g_strdup (id),
                             g_strdup (json_object_get_string_member_with_default (object, "name", id)));
    }

  data->open_cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  data->assigned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!sd_local_store_foreach (store, "case", NULL, count_case_cb, data, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&data), (GDestroyNotify) sd_admin_data_free);
}

/* Admins see every user in full (with the login) in GET /users; the
 * change feed carries the limited view of others. */
static void
users_fetched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SdAdminData **held = g_task_get_task_data (task);
  SdAdminData *data = *held;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = sd_rest_client_get_finish (SD_REST_CLIENT (object), result, NULL, &error);
  JsonArray *items = NULL;

  if (page != NULL && json_object_has_member (json_node_get_object (page), "items"))
    items = json_object_get_array_member (json_node_get_object (page), "items");
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Users in the limited view only: %s", error->message);

  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      g_autoptr(SdUser) full = sd_user_from_json_view (json_array_get_element (items, i), NULL, SD_USER_VIEW_FULL, NULL);

      for (guint j = 0; full != NULL && j < data->users->len; j++)
        if (g_strcmp0 (sd_user_get_id (g_ptr_array_index (data->users, j)), sd_user_get_id (full)) == 0)
          {
            g_object_unref (g_ptr_array_index (data->users, j));
            g_ptr_array_index (data->users, j) = g_steal_pointer (&full);
          }
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (held), (GDestroyNotify) sd_admin_data_free);
}

static void
held_free (SdAdminData **held)
{
  g_clear_pointer (held, sd_admin_data_free);
  g_free (held);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  SdAdminData *data = g_task_propagate_pointer (G_TASK (result), &error);
  SdAccount *account = _sd_admin_account ();
  const char *why = NULL;

  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (account == NULL || !_sd_admin_is_online (&why))
    {
      g_task_return_pointer (task, data, (GDestroyNotify) sd_admin_data_free);
      return;
    }
  {
    SdAdminData **held = g_new0 (SdAdminData *, 1);

    *held = data;
    g_task_set_task_data (task, held, (GDestroyNotify) held_free);
  }
  sd_rest_client_get_async (sd_account_get_client (account), "/users", g_task_get_cancellable (task),
                            users_fetched_cb, g_object_ref (task));
}

void
_sd_admin_load_async (SdAccount           *account,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GTask) read = g_task_new (NULL, cancellable, read_cb, g_object_ref (task));

  g_task_set_source_tag (task, _sd_admin_load_async);
  g_task_set_task_data (read, g_object_ref (sd_account_get_store (account)), g_object_unref);
  g_task_run_in_thread (read, load_thread);
}

SdAdminData *
_sd_admin_load_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

struct _SdAdminWatch
{
  GtkWidget         *page;          /* borrowed: the watch dies with it */
  SdAdminLoadedFunc  loaded;
  GCancellable      *cancellable;   /* owned: the read on its way */
  GSignalGroup      *store_signals; /* the account's store */
  gulong             account_handler;
};

static void
watch_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  SdAdminData *data = _sd_admin_load_finish (result, &error);
  SdAdminWatch *watch = user_data;

  /* A freed watch cancelled its read: @watch is only used on success. */
  if (data == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the administration data: %s", error->message);
      return;
    }
  watch->loaded (watch->page, data);
}

static void
watch_reload (SdAdminWatch *watch)
{
  SdAccount *account = _sd_admin_account ();

  g_cancellable_cancel (watch->cancellable);
  g_clear_object (&watch->cancellable);
  if (account == NULL)
    return;
  watch->cancellable = g_cancellable_new ();
  _sd_admin_load_async (account, watch->cancellable, watch_loaded_cb, watch);
}

static void
watch_account_changed (SdAdminWatch *watch)
{
  SdAccount *account = _sd_admin_account ();

  g_signal_group_set_target (watch->store_signals, account ? sd_account_get_store (account) : NULL);
  watch_reload (watch);
}

SdAdminWatch *
_sd_admin_watch_new (GtkWidget         *page,
                     SdAdminLoadedFunc  loaded)
{
  SdAdminWatch *watch = g_new0 (SdAdminWatch, 1);
  GApplication *app = g_application_get_default ();

  watch->page = page;
  watch->loaded = loaded;
  watch->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_swapped (watch->store_signals, "changed", G_CALLBACK (watch_reload), watch);
  if (SD_IS_APPLICATION (app))
    watch->account_handler = g_signal_connect_swapped (app, "notify::account", G_CALLBACK (watch_account_changed),
                                                       watch);
  watch_account_changed (watch);
  return watch;
}

void
_sd_admin_watch_free (SdAdminWatch *watch)
{
  GApplication *app = g_application_get_default ();

  g_cancellable_cancel (watch->cancellable);
  g_clear_object (&watch->cancellable);
  if (watch->account_handler != 0 && app != NULL)
    g_clear_signal_handler (&watch->account_handler, app);
  g_clear_object (&watch->store_signals);
  g_free (watch);
}

SdUser *
_sd_admin_find_user (SdAdminData *data,
                     const char  *id)
{
  for (guint i = 0; id != NULL && i < data->users->len; i++)
    if (g_strcmp0 (sd_user_get_id (g_ptr_array_index (data->users, i)), id) == 0)
      return g_ptr_array_index (data->users, i);
  return NULL;
}

const char *
_sd_admin_role_label (SdRole role)
{
  switch (role)
    {
    case SD_ROLE_TAM:
      return _("TAM");
    case SD_ROLE_DUTY_MANAGER:
      return _("Duty Manager");
    case SD_ROLE_ENGINEER:
      return _("Engineer");
    case SD_ROLE_ADMIN:
    default:
      return _("Administrator");
    }
}

/* -------------------------------------------------------------- window */

static void
sd_admin_window_class_init (SdAdminWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (SD_TYPE_ADMIN_CUSTOMERS_PAGE);
  g_type_ensure (SD_TYPE_ADMIN_USERS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-admin-window.ui");
  /* Escape closes the window (a subpage's own Escape goes back first). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_admin_window_init (SdAdminWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdAdminWindow *
sd_admin_window_new (void)
{
  return g_object_new (SD_TYPE_ADMIN_WINDOW, NULL);
}
