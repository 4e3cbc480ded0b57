/* sd-board-column.h — one status column of the board: its header (count
 * and SLA summary) and the list of its cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_TYPE_BOARD_COLUMN (sd_board_column_get_type ())

G_DECLARE_FINAL_TYPE (SdBoardColumn, sd_board_column, SD, BOARD_COLUMN, GtkWidget)

SdCaseStatus        sd_board_column_get_status    (SdBoardColumn *self);
/* The column shows the rows of @sorted that have its status and pass
 * @filter (both borrowed; the column takes references). */
void                sd_board_column_set_model     (SdBoardColumn *self,
                                                   GListModel    *sorted,
                                                   GtkFilter     *filter);
GListModel         *sd_board_column_get_model     (SdBoardColumn *self);
GtkSingleSelection *sd_board_column_get_selection (SdBoardColumn *self);
GtkListView        *sd_board_column_get_view      (SdBoardColumn *self);
/* Counts the rows at risk and breached into the header. */
void                sd_board_column_update_summary (SdBoardColumn *self);
const char         *sd_board_column_get_summary   (SdBoardColumn *self);
/* Appends the cards on screen (SdCaseCard showing a case) to @cards. */
void                sd_board_column_collect_cards (SdBoardColumn *self,
                                                   GPtrArray     *cards);
/* Remembers the scroll position and the selected case before the rows
 * are replaced; selects that case again afterwards and, once laid out,
 * scrolls back. */
void                sd_board_column_remember_place (SdBoardColumn *self);
void                sd_board_column_restore_selection (SdBoardColumn *self);
void                sd_board_column_restore_scroll (SdBoardColumn *self);

G_END_DECLS
