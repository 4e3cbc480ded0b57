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

/* For the signed-in @account: its current password and a new one. */
SdSignInDialog *sd_sign_in_dialog_new_change_password (GtkWindow *parent,
                                                       SdAccount *account);
/* Whether the dialog asks for a new password (after a reset, or from
 * Change Password…). */
gboolean        sd_sign_in_dialog_is_choosing_password (SdSignInDialog *self);
/* Fills the new-password page (NULL leaves a field as it is). */
void            sd_sign_in_dialog_set_new_password (SdSignInDialog *self,
                                                    const char     *current,
                                                    const char     *new_password,
                                                    const char     *again);
/* The new-password page's inline problem, or NULL. */
const char     *sd_sign_in_dialog_get_password_error (SdSignInDialog *self);
/* Whether the header's button (Sign In, Continue, Change) is sensitive. */
gboolean        sd_sign_in_dialog_can_submit     (SdSignInDialog *self);

G_END_DECLS
