/* sd-sign-in-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_TYPE_SIGN_IN_DIALOG (sd_sign_in_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SdSignInDialog, sd_sign_in_dialog, SD, SIGN_IN_DIALOG, AdwWindow)

SdSignInDialog *sd_sign_in_dialog_new            (GtkWindow      *parent);
/* Fills the form (for tests and for "sign in again"). */
void            sd_sign_in_dialog_set_fields     (SdSignInDialog *self,
                                                  const char     *server,
                                                  const char     *login,
                                                  const char     *password);
/* The inline error shown, or NULL. */
const char     *sd_sign_in_dialog_get_error      (SdSignInDialog *self);
void            sd_sign_in_dialog_submit         (SdSignInDialog *self);

G_END_DECLS
