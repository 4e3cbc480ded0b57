/* sd-history-dialog.h — who changed a case, what and when, from the
 * server's audit log
 *
 * The log is read page by page (GET /audit?entity=case/ID) without
 * blocking the main loop; each write is a row: the fields it changed in
 * words with their old and new values (the old ones replayed from the
 * writes before it), who made it, when, from which session and address.
 * Only admins and duty managers may read the log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

#include "sd-board-case.h"

G_BEGIN_DECLS

#define SD_TYPE_HISTORY_DIALOG (sd_history_dialog_get_type ())

G_DECLARE_FINAL_TYPE (SdHistoryDialog, sd_history_dialog, SD, HISTORY_DIALOG, AdwWindow)

/* @client: the signed-in account's (NULL in a local workspace, which has
 * no history); @data names the users (may be NULL); @label titles the
 * dialog ("SD-2026-00042"). Starts loading at once. */
SdHistoryDialog *sd_history_dialog_new      (GtkWindow       *parent,
                                             SdRestClient    *client,
                                             SdBoardData     *data,
                                             const char      *case_id,
                                             const char      *label);
/* What the dialog shows: "loading", "list", "empty" or "error". */
const char      *sd_history_dialog_get_state (SdHistoryDialog *self);
guint            sd_history_dialog_get_n_rows (SdHistoryDialog *self);
/* The rows' texts, one row a paragraph (tests). */
char            *sd_history_dialog_dup_text  (SdHistoryDialog *self);
/* The error page's title and description (tests). */
const char      *sd_history_dialog_get_error (SdHistoryDialog *self);

G_END_DECLS
