/* vendor-fixtures.h — the CSV files of a vendor set up from an empty
 * database (8 TAMs and a duty manager, 50 customers, two contacts each),
 * shared by test-admin-e2e (the CLI and the feed) and the UI's
 * test-vendor-setup (the TAM's board in the window)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#define VENDOR_N_CUSTOMERS 50
#define VENDOR_N_TAMS      8

/* The display names of tam01 … tam08. */
extern const char * const vendor_tam_names[VENDOR_N_TAMS];

/* Users: tam01 … tam08 and the duty manager dm.zhou (with a byte-order
 * mark). */
char *vendor_users_csv     (void);
/* Customers cust-001 … cust-050 in the export's own form (ids in order,
 * every column, with a byte-order mark); customer cust-NNN is the TAM
 * tam((NNN - 1) % 8 + 1)'s. The third customer's time zone is
 * @zone_of_third when not NULL. */
char *vendor_customers_csv (const char *zone_of_third);
/* Two contacts per customer. */
char *vendor_contacts_csv  (void);

/* Writes @text to @dir/@name; the file's path. */
char *vendor_write_file    (const char *dir,
                            const char *name,
                            const char *text);
/* `supportdesk-server user add` (@server the binary) on the database @db,
 * before the server runs; fails the test unless it succeeds. */
void  vendor_add_user      (const char *server,
                            const char *db,
                            const char *login,
                            const char *name,
                            const char *role,
                            const char *password);
