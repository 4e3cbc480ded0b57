/* sd-admin-import-dialog.h — Administration: a CSV file of customers,
 * contacts or users, previewed (the server's dry run), then imported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-admin-private.h"

G_BEGIN_DECLS

/* Asks for a file, then shows what importing it would change. */
void     sd_admin_import_dialog_run    (GtkWindow    *parent,
                                        SdAdminData  *data);
/* Imports @path without asking for it (the same preview follows). */
void     sd_admin_import_dialog_open   (GtkWindow    *parent,
                                        SdAdminData  *data,
                                        GFile        *file);

G_END_DECLS
