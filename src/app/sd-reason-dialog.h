/* sd-reason-dialog.h — asks why, before a change the case's timeline
 * records with its reason (a severity change, a move into a status that
 * pauses the clock)
 *
 * The dialog answers with its "response" signal: SD_REASON_DIALOG_CONFIRM
 * once a reason is typed (the button stays disabled while the entry is
 * blank), "cancel" otherwise (Escape, closing it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_REASON_DIALOG_CONFIRM "confirm"

#define SD_TYPE_REASON_DIALOG (sd_reason_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SdReasonDialog, sd_reason_dialog, SD, REASON_DIALOG, AdwMessageDialog)

/* "Change Severity?": from @from to @to. */
SdReasonDialog *sd_reason_dialog_new_for_severity (GtkWindow      *parent,
                                                   int             from,
                                                   int             to);
/* "Change Status?": a move from @from into @to, a status that pauses the
 * clock. */
SdReasonDialog *sd_reason_dialog_new_for_status   (GtkWindow      *parent,
                                                   SdCaseStatus    from,
                                                   SdCaseStatus    to);
/* The reason typed, without surrounding blanks ("" when none). */
char           *sd_reason_dialog_dup_reason       (SdReasonDialog *self);
/* Types @text into the entry, as a user would. */
void            sd_reason_dialog_set_reason       (SdReasonDialog *self,
                                                   const char     *text);

G_END_DECLS
