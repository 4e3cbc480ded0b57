/* sd-admin-users-page.h — Administration: the users, and moving one
 * TAM's customers to another
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SD_TYPE_ADMIN_USERS_PAGE (sd_admin_users_page_get_type ())

G_DECLARE_FINAL_TYPE (SdAdminUsersPage, sd_admin_users_page, SD, ADMIN_USERS_PAGE, AdwPreferencesPage)

G_END_DECLS
