/* sd-admin-customers-page.h — Administration: the customers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SD_TYPE_ADMIN_CUSTOMERS_PAGE (sd_admin_customers_page_get_type ())

G_DECLARE_FINAL_TYPE (SdAdminCustomersPage, sd_admin_customers_page, SD, ADMIN_CUSTOMERS_PAGE, AdwPreferencesPage)

G_END_DECLS
