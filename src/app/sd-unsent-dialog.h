/* sd-unsent-dialog.h — the changes the server did not take
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_TYPE_UNSENT_DIALOG (sd_unsent_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SdUnsentDialog, sd_unsent_dialog, SD, UNSENT_DIALOG, AdwWindow)

SdUnsentDialog *sd_unsent_dialog_new    (GtkWindow      *parent,
                                         SdAccount      *account);
/* Rows shown: conflicts and refused changes. */
guint           sd_unsent_dialog_get_n_rows (SdUnsentDialog *self);

G_END_DECLS
