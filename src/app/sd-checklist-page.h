/* sd-checklist-page.h — the audit checklist of one health check: items by
 * area, progress, the live score, results by keyboard, exports and print
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

#include "sd-board-case.h"

G_BEGIN_DECLS

#define SD_TYPE_CHECKLIST_PAGE (sd_checklist_page_get_type ())

G_DECLARE_FINAL_TYPE (SdChecklistPage, sd_checklist_page, SD, CHECKLIST_PAGE, GtkWidget)

typedef enum {
  SD_CHECKLIST_EXPORT_PDF,
  SD_CHECKLIST_EXPORT_CSV,
} SdChecklistExport;

GtkWidget     *sd_checklist_page_new            (void);
/* Shows a copy of @check; edits go to @store's outbox. A newer version of
 * the same check (the store changed) updates its status and version and
 * keeps what is being typed. */
void           sd_checklist_page_show           (SdChecklistPage    *self,
                                                 SdLocalStore       *store,
                                                 SdBoardData        *data,
                                                 SdHealthCheck      *check);
/* The check as edited (borrowed), or NULL. */
SdHealthCheck *sd_checklist_page_get_check      (SdChecklistPage    *self);
/* The score as the page shows it ("63%"). */
const char    *sd_checklist_page_get_score_text (SdChecklistPage    *self);
/* The row of item @key; its shortcuts (1 pass, 2 warning, 3 fail, 4 not
 * applicable, 0 not checked) act on it when it has the focus. */
GtkWidget     *sd_checklist_page_get_item_row   (SdChecklistPage    *self,
                                                 const char         *key);
void           sd_checklist_page_set_result     (SdChecklistPage    *self,
                                                 const char         *key,
                                                 SdCheckResult       result);
void           sd_checklist_page_set_observed   (SdChecklistPage    *self,
                                                 const char         *key,
                                                 const char         *observed);
/* Start (in progress) and Complete (completed). */
void           sd_checklist_page_set_status     (SdChecklistPage    *self,
                                                 SdHealthCheckStatus status);
/* Whether edits wait to be put in the outbox (typing is debounced). */
gboolean       sd_checklist_page_has_unsaved    (SdChecklistPage    *self);
/* Puts waiting edits in the outbox now. */
void           sd_checklist_page_flush          (SdChecklistPage    *self);
/* What Export PDF… / Export CSV… do after the file dialog: write the
 * report in a worker thread. */
void           sd_checklist_page_export_async   (SdChecklistPage    *self,
                                                 SdChecklistExport   format,
                                                 GFile              *file,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean       sd_checklist_page_export_finish  (SdChecklistPage    *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);
/* Prints the report with GtkPrintOperation; with @export_path it writes
 * the printed pages to that PDF instead of showing the print dialog. */
GtkPrintOperationResult sd_checklist_page_print (SdChecklistPage    *self,
                                                 const char         *export_path,
                                                 GError            **error);

G_END_DECLS
