/* sd-checklist-item-row.h — one item of the health-check checklist: its
 * result beside the title; expanded, why it matters, the best practice,
 * and the fields the auditor fills (observed value, result,
 * recommendation)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_TYPE_CHECKLIST_ITEM_ROW (sd_checklist_item_row_get_type ())

G_DECLARE_FINAL_TYPE (SdChecklistItemRow, sd_checklist_item_row, SD, CHECKLIST_ITEM_ROW, AdwExpanderRow)

/* A row showing @item as it is now; @results: the labels of the result
 * combo's choices. */
GtkWidget *sd_checklist_item_row_new            (SdChecklistItem    *item,
                                                 GListModel         *results);
GtkWidget *sd_checklist_item_row_get_result_icon  (SdChecklistItemRow *self);
GtkWidget *sd_checklist_item_row_get_result_label (SdChecklistItemRow *self);
GtkWidget *sd_checklist_item_row_get_observed     (SdChecklistItemRow *self);
GtkWidget *sd_checklist_item_row_get_result_combo (SdChecklistItemRow *self);
GtkWidget *sd_checklist_item_row_get_recommendation (SdChecklistItemRow *self);

G_END_DECLS
