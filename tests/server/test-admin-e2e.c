/* test-admin-e2e.c — a vendor put into service from an empty database,
 * without --demo, through supportdesk-server user add and supportdesk-cli
 * admin: the first admin, 8 TAMs, 50 customers and their contacts from
 * CSV (with a byte-order mark and Chinese names), one customer's own SLA
 * target; then a TAM signs in and syncs and has exactly their customers
 * and cases. Also: the export reads back as the import, and bad files are
 * refused whole, naming the line and the column.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "vendor-fixtures.h"

#define N_CUSTOMERS VENDOR_N_CUSTOMERS
#define N_TAMS      VENDOR_N_TAMS

static const char *
cli_binary (void)
{
  return g_getenv ("SUPPORTDESK_CLI");
}

/* Runs supportdesk-cli with @env_token as SUPPORTDESK_TOKEN (NULL: the
 * keyring) and @input on stdin; its exit status, output and errors. */
static int
cli (const char  *env_token,
     const char  *input,
     char       **out,
     char       **err,
     ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list args;

  if (env_token != NULL)
    g_subprocess_launcher_setenv (launcher, "SUPPORTDESK_TOKEN", env_token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "SUPPORTDESK_TOKEN");
  g_ptr_array_add (argv, (char *) cli_binary ());
  va_start (args, err);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_test_message ("supportdesk-cli %s %s → %d: %s%s", (char *) argv->pdata[1], (char *) argv->pdata[2],
                  g_subprocess_get_exit_status (process), stdout_text, stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_vendor_from_empty_database (void)
{
  g_autofree char *db = new_db_path ();
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autofree char *admin = NULL;
  g_autofree char *users = vendor_users_csv ();
  g_autofree char *customers = vendor_customers_csv (NULL);
  g_autofree char *bad_zone = vendor_customers_csv ("Asia/Atlantis");
  g_autofree char *contacts = vendor_contacts_csv ();
  g_autofree char *users_path = vendor_write_file (tmpdir, "users.csv", users);
  g_autofree char *customers_path = vendor_write_file (tmpdir, "customers.csv", customers);
  g_autofree char *bad_zone_path = vendor_write_file (tmpdir, "bad-zone.csv", bad_zone);
  g_autofree char *stray_path = vendor_write_file (tmpdir, "stray.csv", "login,display_name,role,email,active\r\n"
                                                         "ok,好,tam,,yes\r\nx,a\"b,tam,,yes\r\n");
  g_autofree char *contacts_path = vendor_write_file (tmpdir, "contacts.csv", contacts);
  g_autofree char *export_path = g_build_filename (tmpdir, "export.csv", NULL);
  g_autofree char *contacts_export_path = g_build_filename (tmpdir, "contacts-export.csv", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *exported = NULL;
  g_autofree char *password = NULL;
  g_autofree char *tam_token = NULL;
  g_autofree char *password_body = NULL;
  g_autoptr(GHashTable) mine = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(Reply) feed = NULL;
  g_autoptr(Reply) changed = NULL;
  guint my_cases = 0, seen_customers = 0, seen_cases = 0;
  JsonArray *changes;
  const char *url;

  vendor_add_user (server_binary (), db, "root.admin", "系统管理员", "admin", "first admin password");
  server_start_on (server, db, NULL);
  url = server->base;
  admin = sign_in (server, "root.admin", "first admin password");

  /* Users, then a refused file: nothing of it is written. */
  g_assert_cmpint (cli (admin, NULL, &out, &err, "admin", "import", "users", users_path, "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Created 9, updated 0, left 0 unchanged"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (admin, NULL, NULL, &err, "admin", "import", "users", stray_path, "--server", url, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "line 3, column 2"));
  g_clear_pointer (&err, g_free);

  /* Customers: a preview, a file with one bad row (refused whole), the
   * file. */
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "import", "customers", customers_path, "--dry-run",
                        "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Would create 50, update 0, leave 0 unchanged"));
  g_assert_nonnull (strstr (out, "create\tcust-001"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (admin, NULL, NULL, &err, "admin", "import", "customers", bad_zone_path,
                        "--server", url, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "line 4, column 4 (time_zone)"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "export", "customers", "--server", url, NULL), ==, 0);
  g_assert_cmpuint (count_lines (out), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "import", "customers", customers_path,
                        "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Created 50"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "import", "contacts", contacts_path,
                        "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Created 100"));
  g_clear_pointer (&out, g_free);

  /* The export is the file imported (without its byte-order mark), and
   * importing it again changes nothing; so does the contacts' export. */
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "export", "customers", "--output", export_path,
                        "--server", url, NULL), ==, 0);
  g_assert_true (g_file_get_contents (export_path, &exported, NULL, NULL));
  g_assert_cmpstr (exported, ==, customers + 3);
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "import", "customers", export_path,
                        "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Created 0, updated 0, left 50 unchanged"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "export", "contacts", "--output", contacts_export_path,
                        "--server", url, NULL), ==, 0);
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "import", "contacts", contacts_export_path,
                        "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Created 0, updated 0, left 100 unchanged"));
  g_clear_pointer (&out, g_free);

  /* One customer's own target: S2 in 2 h. */
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "sla", "override", "--customer", "cust-007",
                        "--severity", "2", "--minutes", "120", "--server", url, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  /* A case for every customer. */
  for (guint i = 0; i < N_CUSTOMERS; i++)
    {
      g_autofree char *customer = g_strdup_printf ("cust-%03u", i + 1);
      g_autofree char *body = case_body (customer, 2, now_s () - 60);
      g_autoptr(Reply) kase = request (server, "POST", "/cases", admin, body);

      assert_status (kase, 201);
      if (i == 6)
        g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                           json_object_get_object_member (reply_object (kase), "sla"), "response"), "target"),
                         ==, 2 * 3600);
      if (i % N_TAMS == 2)
        {
          g_hash_table_add (mine, g_steal_pointer (&customer));
          my_cases++;
        }
    }

  /* tam03 gets a temporary password, changes it, signs in and syncs. */
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "user", "reset-password", "tam03",
                        "--server", url, NULL), ==, 0);
  password = g_strstrip (g_strdup (strrchr (out, ' ') + 1));
  g_clear_pointer (&out, g_free);
  tam_token = sign_in (server, "tam03", password);
  password_body = g_strdup_printf ("{\"current_password\":\"%s\",\"new_password\":\"tam03 own password\"}", password);
  changed = request (server, "POST", "/me/password", tam_token, password_body);
  assert_status (changed, 204);

  feed = request (server, "GET", "/changes?after=0&limit=1000", tam_token, NULL);
  assert_status (feed, 200);
  g_assert_false (json_object_get_boolean_member (reply_object (feed), "has_more"));
  changes = json_object_get_array_member (reply_object (feed), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *kind = json_object_get_string_member (change, "kind");
      JsonObject *entity = json_object_get_object_member (change, "entity");

      if (g_str_equal (kind, "customer"))
        {
          g_assert_true (g_hash_table_contains (mine, json_object_get_string_member (change, "id")));
          seen_customers++;
        }
      else if (g_str_equal (kind, "case"))
        {
          g_assert_true (g_hash_table_contains (mine, json_object_get_string_member (entity, "customer_id")));
          seen_cases++;
        }
      else if (g_str_equal (kind, "contact"))
        g_assert_true (g_hash_table_contains (mine, json_object_get_string_member (entity, "customer_id")));
    }
  g_assert_cmpuint (seen_customers, ==, g_hash_table_size (mine));
  g_assert_cmpuint (seen_cases, ==, my_cases);

  /* The same through the sync engine, as the TAM's desktop does. */
  if (g_getenv ("XDG_DATA_HOME") != NULL && g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    {
      g_autofree char *root = g_strndup (url, strlen (url) - strlen ("/api/v1"));
      g_autofree char *listing = NULL;

      g_assert_cmpint (cli (NULL, "tam03 own password\n", NULL, NULL, "login", "--server", root,
                            "--login", "tam03", NULL), ==, 0);
      g_assert_cmpint (cli (NULL, NULL, NULL, NULL, "sync", "--login", "tam03", NULL), ==, 0);
      g_autoptr(JsonNode) local = NULL;
      JsonArray *local_cases;

      g_assert_cmpint (cli (NULL, NULL, &listing, NULL, "cases", "list", "--json", "--login", "tam03", NULL), ==, 0);
      local = json_from_string (listing, NULL);
      local_cases = json_node_get_array (local);
      g_assert_cmpuint (json_array_get_length (local_cases), ==, my_cases);
      for (guint i = 0; i < json_array_get_length (local_cases); i++)
        g_assert_true (g_hash_table_contains (mine, json_object_get_string_member (
                         json_array_get_object_element (local_cases, i), "customer_id")));
      g_assert_cmpint (cli (NULL, NULL, NULL, NULL, "logout", "--login", "tam03", "--delete-cache", NULL), ==, 0);
    }
  else
    g_test_message ("no session bus or XDG_DATA_HOME: the keyring part is left out (run under build-aux/headless.sh)");
}

/* The one-entity commands: add, edit, renew, archive, contacts, out of
 * office, a refused deactivation, reassignment; each lands on the server. */
static void
test_cli_edits (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  const char *url = server->base;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(Reply) customer = NULL;
  g_autoptr(Reply) contacts = NULL;
  g_autoptr(Reply) tam = NULL;
  JsonObject *object;

  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "customer", "add", "id=cust-cli", "name=新客户",
                        "tier=standard", "time_zone=Asia/Shanghai", "calendar_id=cn-mainland", "tam_login=tam.a",
                        "contract_start=2020-01-01", "--server", url, NULL), ==, 0);
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "customer", "edit", "cust-cli", "name=新客户集团",
                        "duty_manager_logins=dm", "--server", url, NULL), ==, 0);
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "customer", "renew", "cust-cli", "start=2021-01-01",
                        "tier=msa_enterprise", "health_check_entitled=yes", "--server", url, NULL), ==, 0);
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "contact", "add", "customer_id=cust-cli", "name=联系人",
                        "email=lian@cli.example", "roles=daily_report;quarterly_report", "--server", url, NULL), ==, 0);
  g_assert_cmpint (cli (admin, NULL, NULL, &err, "admin", "customer", "edit", "cust-cli", "time_zone=Mars/Base",
                        "--server", url, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "customer.time_zone"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "customer", "archive", "cust-cli", "--server", url, NULL), ==, 0);

  customer = request (server, "GET", "/customers/cust-cli", admin, NULL);
  object = reply_object (customer);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "新客户集团");
  g_assert_true (json_object_get_boolean_member (object, "archived"));
  g_assert_cmpstr (json_object_get_string_member (object, "tier"), ==, "msa_enterprise");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (object, "contracts")), ==, 2);
  /* The open-ended first period ends the day before the renewal. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (object, "contracts"), 0), "end"), ==, "2020-12-31");
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (object, "duty_manager_ids")), ==, 1);
  contacts = request (server, "GET", "/contacts?customer_id=cust-cli", admin, NULL);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (reply_object (contacts), "items")), ==, 1);

  /* TAM B is the only TAM of cust-b: refused, and why; after the
   * reassignment, done. */
  g_assert_cmpint (cli (admin, NULL, NULL, &err, "admin", "user", "deactivate", "tam.b", "--server", url, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "the only TAM of 1 customer"));
  g_assert_cmpint (cli (admin, NULL, &out, NULL, "admin", "user", "reassign", "tam.b", "tam.a", "--server", url, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "tam.a now has 1 more customer(s)"));
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "user", "deactivate", "tam.b", "--server", url, NULL), ==, 0);
  g_assert_cmpint (cli (admin, NULL, NULL, NULL, "admin", "user", "out-of-office", "tam.a", "2030-01-01T09:00:00+08:00",
                        "--server", url, NULL), ==, 0);
  {
    g_autofree char *path = g_strdup_printf ("/users/%s", tam_a);

    tam = request (server, "GET", path, admin, NULL);
  }
  g_assert_cmpstr (json_object_get_string_member (reply_object (tam), "out_of_office_until"), ==, "2030-01-01T01:00:00Z");
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/admin/vendor-from-empty-database", test_vendor_from_empty_database);
  g_test_add_func ("/admin/cli-edits", test_cli_edits);
  return server_test_run ();
}
