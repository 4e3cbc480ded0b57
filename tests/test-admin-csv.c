/* test-admin-csv.c — the CSV tables of bulk onboarding: parsing (byte-order
 * mark, quotes, line ends), errors that name the line and the column, rows
 * to import items and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

static void
assert_refused (const char *text,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCsv) csv = sd_csv_parse (text, strlen (text), &error);

  g_assert_null (csv);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, message);
}

/* A byte-order mark, CRLF and LF, quoted fields with commas, quotes and a
 * line break, Chinese text, blank lines. */
static void
test_parse (void)
{
  const char *text = "\xef\xbb\xbf" "login,display_name\r\n"
                     "li.na,李娜\r\n"
                     "\n"
                     "\"wang,fang\",\"王 \"\"芳\"\"\nsecond line\"\n"
                     "x,\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCsv) csv = sd_csv_parse (text, strlen (text), &error);
  const char * const *row;

  g_assert_no_error (error);
  g_assert_cmpuint (csv->records->len, ==, 4);
  row = csv->records->pdata[0];
  g_assert_cmpstr (row[0], ==, "login");
  row = csv->records->pdata[1];
  g_assert_cmpstr (row[1], ==, "李娜");
  row = csv->records->pdata[2];
  g_assert_cmpstr (row[0], ==, "wang,fang");
  g_assert_cmpstr (row[1], ==, "王 \"芳\"\nsecond line");
  g_assert_cmpuint (g_array_index (csv->lines, guint, 2), ==, 4);
  row = csv->records->pdata[3];
  g_assert_cmpstr (row[1], ==, "");
  g_assert_cmpuint (g_array_index (csv->lines, guint, 3), ==, 6);
}

static void
test_parse_errors (void)
{
  assert_refused ("a,b\r\nx,y\"z\r\n", "line 2, column 2: a quote inside a field that does not start with one");
  assert_refused ("a,b\r\nx,\"yz\r\n", "line 2, column 2: a quoted field is not closed");
  assert_refused ("a,b\r\n\"x\"y,z\r\n", "line 2, column 1: text after the closing quote of a field");
  assert_refused ("a,b\r\nx,y,z\r\n", "line 2, column 3: 3 cells where the header has 2");
  assert_refused ("a,b\r\nx,\xff\r\n", "line 2: the file is not UTF-8 text");
}

static SdAdminLogins *
logins_new (void)
{
  SdAdminLogins *logins = g_new0 (SdAdminLogins, 1);

  logins->id_by_login = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  logins->login_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (logins->id_by_login, g_strdup ("li.na"), g_strdup ("u-1"));
  g_hash_table_insert (logins->login_by_id, g_strdup ("u-1"), g_strdup ("li.na"));
  g_hash_table_insert (logins->id_by_login, g_strdup ("dm"), g_strdup ("u-2"));
  g_hash_table_insert (logins->login_by_id, g_strdup ("u-2"), g_strdup ("dm"));
  return logins;
}

static void
logins_free (SdAdminLogins *logins)
{
  g_hash_table_unref (logins->id_by_login);
  g_hash_table_unref (logins->login_by_id);
  g_free (logins);
}

/* A customers row becomes the API's member names (logins → ids) and is
 * written back as it was read; an unknown login and a bad yes/no name the
 * line and the column. */
static void
test_customer_rows (void)
{
  g_autoptr(GString) file = g_string_new (NULL);
  const char *row[] = { "cust-1", "华东电力", "msa_enterprise", "Asia/Shanghai", "cn-mainland", "li.na", "dm",
                        "yes", "2026-01-01", "", "zh_CN", NULL };
  SdAdminLogins *logins = logins_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCsv) csv = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_auto(GStrv) back = NULL;
  g_autofree char *where = NULL;
  JsonObject *item;

  sd_csv_append_record (file, sd_admin_table_columns (SD_ADMIN_TABLE_CUSTOMERS));
  sd_csv_append_record (file, row);
  csv = sd_csv_parse (file->str, file->len, &error);
  g_assert_no_error (error);
  items = sd_admin_table_read (SD_ADMIN_TABLE_CUSTOMERS, csv, logins, FALSE, &error);
  g_assert_no_error (error);
  item = json_node_get_object (items->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (item, "tam_id"), ==, "u-1");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (item, "duty_manager_ids"), 0), ==, "u-2");
  g_assert_true (json_object_get_boolean_member (item, "health_check_entitled"));
  g_assert_false (json_object_has_member (item, "contract_end"));
  back = sd_admin_table_write (SD_ADMIN_TABLE_CUSTOMERS, item, logins);
  g_assert_cmpstrv (back, row);

  /* The server's field "items[0].tam_id" is the TAM's login: line 2, column 6. */
  where = sd_admin_table_locate (SD_ADMIN_TABLE_CUSTOMERS, csv, "items[0].tam_id");
  g_assert_cmpstr (where, ==, "line 2, column 6 (tam_login)");
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&csv, sd_csv_free);

  g_string_replace (file, ",li.na,", ",nobody,", 1);
  csv = sd_csv_parse (file->str, file->len, &error);
  g_assert_no_error (error);
  items = sd_admin_table_read (SD_ADMIN_TABLE_CUSTOMERS, csv, logins, FALSE, &error);
  g_assert_null (items);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_cmpstr (error->message, ==, "line 2, column 6 (tam_login): there is no user with the login “nobody”");
  g_clear_error (&error);
  g_clear_pointer (&csv, sd_csv_free);

  g_string_replace (file, ",nobody,dm,yes,", ",li.na,dm,maybe,", 1);
  csv = sd_csv_parse (file->str, file->len, &error);
  items = sd_admin_table_read (SD_ADMIN_TABLE_CUSTOMERS, csv, logins, FALSE, &error);
  g_assert_null (items);
  g_assert_cmpstr (error->message, ==, "line 2, column 8 (health_check_entitled): “maybe” is not yes or no");
  logins_free (logins);
}

/* A header without a required column, or with one the table has not. */
static void
test_headers (void)
{
  const char *missing = "login,display_name,email,active\r\nx,X,,yes\r\n";
  const char *unknown = "login,display_name,role,email,active,password\r\nx,X,tam,,yes,secret\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCsv) one = sd_csv_parse (missing, strlen (missing), NULL);
  g_autoptr(SdCsv) two = sd_csv_parse (unknown, strlen (unknown), NULL);
  g_autoptr(GPtrArray) items = sd_admin_table_read (SD_ADMIN_TABLE_USERS, one, NULL, FALSE, &error);

  g_assert_null (items);
  g_assert_cmpstr (error->message, ==, "line 1: the header has no column “role”");
  g_clear_error (&error);
  items = sd_admin_table_read (SD_ADMIN_TABLE_USERS, two, NULL, FALSE, &error);
  g_assert_null (items);
  g_assert_cmpstr (error->message, ==, "line 1, column 6: unknown column “password”");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/admin-csv/parse", test_parse);
  g_test_add_func ("/admin-csv/parse-errors", test_parse_errors);
  g_test_add_func ("/admin-csv/customer-rows", test_customer_rows);
  g_test_add_func ("/admin-csv/headers", test_headers);
  return g_test_run ();
}
