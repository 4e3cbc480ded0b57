/* sd-admin-window.h — the Administration window (admins only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SD_TYPE_ADMIN_WINDOW (sd_admin_window_get_type ())

G_DECLARE_FINAL_TYPE (SdAdminWindow, sd_admin_window, SD, ADMIN_WINDOW, AdwPreferencesWindow)

SdAdminWindow *sd_admin_window_new (void);

G_END_DECLS
