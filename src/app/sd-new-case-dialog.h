/* sd-new-case-dialog.h — a new case, with the fields of its type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

#include "sd-board-case.h"

G_BEGIN_DECLS

#define SD_TYPE_NEW_CASE_DIALOG (sd_new_case_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SdNewCaseDialog, sd_new_case_dialog, SD, NEW_CASE_DIALOG, AdwWindow)

/* @data lists the customers to choose from and who "me" is (the new
 * case’s assignee). */
SdNewCaseDialog *sd_new_case_dialog_new       (GtkWindow       *parent,
                                               SdLocalStore    *store,
                                               SdBoardData     *data);
/* For tests: fills the common fields, presses Create, reads the inline
 * error (NULL when there is none). */
void             sd_new_case_dialog_fill      (SdNewCaseDialog *self,
                                               const char      *title,
                                               SdCaseType       type,
                                               int              severity);
void             sd_new_case_dialog_create    (SdNewCaseDialog *self);
const char      *sd_new_case_dialog_get_error (SdNewCaseDialog *self);

G_END_DECLS
