/* vendor-fixtures.c — the CSV files of a vendor set up from an empty
 * database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <sd-model.h>

#include "vendor-fixtures.h"

const char * const vendor_tam_names[VENDOR_N_TAMS] = { "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强" };

char *
vendor_users_csv (void)
{
  g_autoptr(GString) csv = g_string_new ("\xef\xbb\xbf");
  const char *header[] = { "login", "display_name", "role", "email", "active", NULL };

  sd_csv_append_record (csv, header);
  for (guint i = 0; i < VENDOR_N_TAMS; i++)
    {
      g_autofree char *login = g_strdup_printf ("tam%02u", i + 1);
      g_autofree char *email = g_strdup_printf ("tam%02u@vendor.example", i + 1);
      const char *row[] = { login, vendor_tam_names[i], "tam", email, "yes", NULL };

      sd_csv_append_record (csv, row);
    }
  {
    const char *row[] = { "dm.zhou", "周经理", "duty_manager", "", "yes", NULL };
    sd_csv_append_record (csv, row);
  }
  return g_string_free (g_steal_pointer (&csv), FALSE);
}

char *
vendor_customers_csv (const char *zone_of_third)
{
  g_autoptr(GString) csv = g_string_new ("\xef\xbb\xbf");

  sd_csv_append_record (csv, sd_admin_table_columns (SD_ADMIN_TABLE_CUSTOMERS));
  for (guint i = 0; i < VENDOR_N_CUSTOMERS; i++)
    {
      g_autofree char *id = g_strdup_printf ("cust-%03u", i + 1);
      g_autofree char *name = i == 9 ? g_strdup ("华东 \"电力\", 上海分公司") : g_strdup_printf ("客户%03u 有限公司", i + 1);
      g_autofree char *tam = g_strdup_printf ("tam%02u", (i % VENDOR_N_TAMS) + 1);
      const char *row[] = {
        id, name, i % 2 ? "standard" : "msa_enterprise",
        i == 2 && zone_of_third ? zone_of_third : "Asia/Shanghai",
        "cn-mainland", tam, i % 5 == 0 ? "dm.zhou" : "", i % 3 ? "no" : "yes",
        "2026-01-01", i % 4 ? "2027-12-31" : "", i % 7 ? "zh_CN" : "en", NULL
      };

      sd_csv_append_record (csv, row);
    }
  return g_string_free (g_steal_pointer (&csv), FALSE);
}

char *
vendor_contacts_csv (void)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  const char *header[] = { "customer_id", "name", "email", "phone", "language", "roles", NULL };

  sd_csv_append_record (csv, header);
  for (guint i = 0; i < VENDOR_N_CUSTOMERS; i++)
    for (guint j = 0; j < 2; j++)
      {
        g_autofree char *customer = g_strdup_printf ("cust-%03u", i + 1);
        g_autofree char *name = g_strdup_printf ("联系人 %u-%u", i + 1, j + 1);
        g_autofree char *email = g_strdup_printf ("c%03u.%u@customer.example", i + 1, j + 1);
        const char *row[] = { customer, name, email, "+86 21 5555 0100", j ? "en" : "zh_CN",
                              j ? "health_check_appointment" : "daily_report;quarterly_report", NULL };

        sd_csv_append_record (csv, row);
      }
  return g_string_free (g_steal_pointer (&csv), FALSE);
}

char *
vendor_write_file (const char *dir,
                   const char *name,
                   const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

void
vendor_add_user (const char *server,
                 const char *db,
                 const char *login,
                 const char *name,
                 const char *role,
                 const char *password)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                                                     &error, server, "user", "add", "--db", db, "--login", login,
                                                     "--name", name, "--role", role, NULL);
  g_autofree char *input = g_strconcat (password, "\n", NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}
