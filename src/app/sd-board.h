/* sd-board.h — the case board: a column per status over one shared,
 * urgency-sorted case model, with filters, search and moves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

#include "sd-board-case.h"

G_BEGIN_DECLS

#define SD_TYPE_BOARD (sd_board_get_type ())

G_DECLARE_FINAL_TYPE (SdBoard, sd_board, SD, BOARD, GtkWidget)

GtkWidget   *sd_board_new              (void);
/* Shows the cases of @store (NULL: none). @login is the signed-in user
 * (NULL for a local workspace: "my cases" are then all cases). */
void         sd_board_set_store        (SdBoard      *self,
                                        SdLocalStore *store,
                                        const char   *login);
/* Reads the store again (it is also read on its "changed" signal). */
void         sd_board_reload           (SdBoard      *self);
gboolean     sd_board_is_loaded        (SdBoard      *self);
/* The loaded data (customers, users, me), or NULL before the first load. */
SdBoardData *sd_board_get_data         (SdBoard      *self);
SdBoardCase *sd_board_lookup           (SdBoard      *self,
                                        const char   *id);

/* Moves a case to @status through the outbox; @announce shows a toast
 * with Undo (through the window's win.move-case action). A status that
 * pauses the customer's clock needs a reason: a SdReasonDialog asks for
 * it first, and cancelling it leaves the case where it was. */
void         sd_board_move             (SdBoard      *self,
                                        const char   *id,
                                        SdCaseStatus  status,
                                        gboolean      announce);
void         sd_board_start_search     (SdBoard      *self);
gboolean     sd_board_focus_case       (SdBoard      *self,
                                        const char   *id);
/* The list view of a status column, for tests. */
GtkListView *sd_board_get_column_view  (SdBoard      *self,
                                        SdCaseStatus  status);
guint        sd_board_get_column_count (SdBoard      *self,
                                        SdCaseStatus  status);
/* The column header's summary ("2 at risk · 1 breached"), for tests. */
const char  *sd_board_get_column_summary (SdBoard    *self,
                                        SdCaseStatus  status);
/* Redraws visible cards and evaluates alerts at the shared clock's time. */
void         sd_board_tick             (SdBoard      *self);
/* After a pause (a resume from suspend): every row at once, each alert
 * that came due meanwhile raised once, the columns re-sorted now. */
void         sd_board_catch_up         (SdBoard      *self);

G_END_DECLS
