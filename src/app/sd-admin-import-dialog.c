/* sd-admin-import-dialog.c — Administration: CSV import with a preview
 *
 * The file is read and turned into import items here (the same reader as
 * `supportdesk-cli admin import`); the server's dry run says what each
 * row would do, or which line and column it refuses; Import sends the
 * same items for real. Both calls are all or nothing on the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-admin-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-admin-import-dialog.h"

typedef struct {
  GtkWindow        *parent;   /* weak pointer */
  AdwMessageDialog *dialog;   /* weak pointer, once shown */
  SdAdminTable      table;
  SdCsv            *csv;      /* owned */
  JsonNode         *items;    /* owned: the array sent */
  SdAdminLogins     logins;   /* owned */
  char             *name;     /* owned: the file's name */
} Import;

static void
import_free (Import *import)
{
  g_clear_weak_pointer (&import->parent);
  g_clear_weak_pointer (&import->dialog);
  g_clear_pointer (&import->csv, sd_csv_free);
  g_clear_pointer (&import->items, json_node_unref);
  g_clear_pointer (&import->logins.id_by_login, g_hash_table_unref);
  g_clear_pointer (&import->logins.login_by_id, g_hash_table_unref);
  g_free (import->name);
  g_free (import);
}

static const char *
table_path (SdAdminTable table)
{
  switch (table)
    {
    case SD_ADMIN_TABLE_CONTACTS:
      return "/import/contacts";
    case SD_ADMIN_TABLE_USERS:
      return "/import/users";
    case SD_ADMIN_TABLE_CUSTOMERS:
    default:
      return "/import/customers";
    }
}

/* The table whose columns (all but "id") the header has. */
static gboolean
guess_table (SdCsv        *csv,
             SdAdminTable *out)
{
  static const SdAdminTable tables[] = { SD_ADMIN_TABLE_CUSTOMERS, SD_ADMIN_TABLE_CONTACTS, SD_ADMIN_TABLE_USERS };
  const char * const *header = csv->records->len > 0 ? g_ptr_array_index (csv->records, 0) : NULL;

  for (guint t = 0; header != NULL && t < G_N_ELEMENTS (tables); t++)
    {
      const char * const *columns = sd_admin_table_columns (tables[t]);
      gboolean all = TRUE;

      for (guint c = 0; all && columns[c] != NULL; c++)
        all = g_str_equal (columns[c], "id") || g_strv_contains (header, columns[c]);
      if (all)
        {
          *out = tables[t];
          return TRUE;
        }
    }
  return FALSE;
}

static void show_result (Import *import, const char *heading, const char *body, gboolean can_import);

static void send_items (Import *import, gboolean dry_run);

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             Import           *import)
{
  /* One answer per dialog: closing it may emit its close response too. */
  g_signal_handlers_disconnect_by_data (dialog, import);
  if (g_str_equal (response, "import"))
    send_items (import, FALSE);
  else
    import_free (import);
}

static void
show_result (Import     *import,
             const char *heading,
             const char *body,
             gboolean    can_import)
{
  if (import->parent == NULL)
    {
      import_free (import);
      return;
    }
  if (import->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (import->dialog));
  g_set_weak_pointer (&import->dialog, ADW_MESSAGE_DIALOG (adw_message_dialog_new (import->parent, heading, body)));
  if (can_import)
    {
      adw_message_dialog_add_responses (import->dialog, "cancel", _("_Cancel"), "import", _("_Import"), NULL);
      adw_message_dialog_set_response_appearance (import->dialog, "import", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (import->dialog, "import");
      adw_message_dialog_set_close_response (import->dialog, "cancel");
    }
  else
    {
      adw_message_dialog_add_response (import->dialog, "close", _("_Close"));
      adw_message_dialog_set_close_response (import->dialog, "close");
    }
  g_signal_connect (import->dialog, "response", G_CALLBACK (response_cb), import);
  gtk_window_present (GTK_WINDOW (import->dialog));
}

/* One line per row that changes: its line in the file, what it names and
 * what happens to it (at most 20; then how many more). */
static char *
describe_rows (Import     *import,
               JsonObject *answer)
{
  JsonArray *results = json_object_has_member (answer, "items") ? json_object_get_array_member (answer, "items") : NULL;
  JsonArray *sent = json_node_get_array (import->items);
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = 0, more = 0;

  for (guint i = 0; results != NULL && i < json_array_get_length (results) && i < json_array_get_length (sent); i++)
    {
      const char *action = json_object_get_string_member_with_default (json_array_get_object_element (results, i),
                                                                       "action", "");
      JsonObject *item = json_array_get_object_element (sent, i);
      const char *what = json_object_get_string_member_with_default (item, "name",
                           json_object_get_string_member_with_default (item, "login", ""));
      const char *label;

      if (g_str_equal (action, "create"))
        label = _("new");
      else if (g_str_equal (action, "update"))
        label = _("changed");
      else
        continue;
      if (shown == 20)
        {
          more++;
          continue;
        }
      shown++;
      g_string_append_c (text, '\n');
      /* Translators: a row of an import preview: "line 3: 上海浦江银行 (new)" */
      g_string_append_printf (text, _("line %u: %s (%s)"), g_array_index (import->csv->lines, guint, i + 1), what, label);
    }
  if (more > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", more), more);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Import *import = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = sd_rest_client_post_action_finish (SD_REST_CLIENT (object), result, &error);
  g_autofree char *body = NULL;
  JsonObject *object_;
  gboolean dry_run;
  gint64 created, updated, unchanged;

  if (import->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (import->dialog, import);
      gtk_window_destroy (GTK_WINDOW (import->dialog));
    }
  if (answer == NULL)
    {
      g_autofree char *where = sd_admin_table_locate (import->table, import->csv, sd_rest_error_get_field (error));

      body = where ? g_strdup_printf ("%s: %s", where, error->message) : g_strdup (error->message);
      show_result (import, _("The File Cannot Be Imported"), body, FALSE);
      return;
    }
  object_ = json_node_get_object (answer);
  dry_run = json_object_get_boolean_member_with_default (object_, "dry_run", FALSE);
  created = json_object_get_int_member_with_default (object_, "created", 0);
  updated = json_object_get_int_member_with_default (object_, "updated", 0);
  unchanged = json_object_get_int_member_with_default (object_, "unchanged", 0);
  /* Translators: the rows of an imported file: "3 new, 1 changed, 10 unchanged" */
  body = g_strdup_printf (_("%s: %d new, %d changed, %d unchanged"),
                          import->name, (int) created, (int) updated, (int) unchanged);
  if (dry_run)
    {
      g_autofree char *counts = g_steal_pointer (&body);
      g_autofree char *rows = describe_rows (import, object_);

      body = g_strconcat (counts, rows, NULL);
    }
  if (dry_run)
    show_result (import, _("Import Preview"), body, created + updated > 0);
  else
    {
      if (import->parent != NULL)
        gtk_widget_activate_action (GTK_WIDGET (import->parent), "app.sync", NULL);
      show_result (import, _("Imported"), body, FALSE);
    }
}

static void
send_items (Import   *import,
            gboolean  dry_run)
{
  SdAccount *account = _sd_admin_account ();
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);

  if (account == NULL || sd_account_get_client (account) == NULL)
    {
      import_free (import);
      return;
    }
  json_object_set_boolean_member (request, "dry_run", dry_run);
  json_object_set_member (request, "items", json_node_ref (import->items));
  json_node_set_object (body, request);
  sd_rest_client_post_action_async (sd_account_get_client (account), table_path (import->table), body, NULL,
                                    sent_cb, import);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Import *import = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonArray) array = NULL;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, &length, NULL, &error)
      || !(import->csv = sd_csv_parse (contents, length, &error)))
    {
      show_result (import, _("The File Cannot Be Imported"), error->message, FALSE);
      return;
    }
  if (!guess_table (import->csv, &import->table))
    {
      show_result (import, _("The File Cannot Be Imported"),
                   _("The first line must name the columns of customers, contacts or users, as an export writes them."),
                   FALSE);
      return;
    }
  if (!(items = sd_admin_table_read (import->table, import->csv, &import->logins, FALSE, &error)))
    {
      show_result (import, _("The File Cannot Be Imported"), error->message, FALSE);
      return;
    }
  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (items, i)));
  import->items = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (import->items, array);
  send_items (import, TRUE);
}

static Import *
import_new (GtkWindow   *parent,
            SdAdminData *data)
{
  Import *import = g_new0 (Import, 1);

  g_set_weak_pointer (&import->parent, parent);
  import->logins.id_by_login = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  import->logins.login_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; data != NULL && i < data->users->len; i++)
    {
      SdUser *user = g_ptr_array_index (data->users, i);

      if (sd_user_get_login (user) == NULL)
        continue;
      g_hash_table_insert (import->logins.id_by_login, g_strdup (sd_user_get_login (user)), g_strdup (sd_user_get_id (user)));
      g_hash_table_insert (import->logins.login_by_id, g_strdup (sd_user_get_id (user)), g_strdup (sd_user_get_login (user)));
    }
  return import;
}

static void
import_start (Import *import,
              GFile  *file)
{
  import->name = g_file_get_basename (file);
  g_file_load_contents_async (file, NULL, loaded_cb, import);
}

void
sd_admin_import_dialog_open (GtkWindow   *parent,
                             SdAdminData *data,
                             GFile       *file)
{
  g_return_if_fail (G_IS_FILE (file));

  import_start (import_new (parent, data), file);
}

static void
chosen_cb (GtkNativeDialog *chooser,
           int              response,
           gpointer         user_data)
{
  Import *import = g_object_steal_data (G_OBJECT (chooser), "import");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      import_start (import, file);
    }
  else
    import_free (import);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
sd_admin_import_dialog_run (GtkWindow   *parent,
                            SdAdminData *data)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Customers, Contacts or Users"), parent,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Preview"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV Files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* What the import needs is copied now: the page may reload meanwhile. */
  g_object_set_data_full (G_OBJECT (chooser), "import", import_new (parent, data), (GDestroyNotify) import_free);
  g_signal_connect (chooser, "response", G_CALLBACK (chosen_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
