/* sd-case-card.h — a case on the board: severity pill, number, title,
 * customer, type, assignee and the live SLA chip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-board-case.h"

G_BEGIN_DECLS

#define SD_TYPE_CASE_CARD (sd_case_card_get_type ())

G_DECLARE_FINAL_TYPE (SdCaseCard, sd_case_card, SD, CASE_CARD, GtkWidget)

GtkWidget   *sd_case_card_new      (void);
/* Shows @board_case (NULL: none); the same as setting the "case"
 * property, which sd-case-card-item.ui binds to the list item's item. */
void         sd_case_card_set_case (SdCaseCard  *self,
                                    SdBoardCase *board_case);
SdBoardCase *sd_case_card_get_case (SdCaseCard  *self);
/* Redraws the SLA chip for @now (the shared clock's tick). */
void         sd_case_card_refresh  (SdCaseCard  *self,
                                    gint64       now);
/* The chip's text, for tests. */
const char  *sd_case_card_get_chip_text (SdCaseCard *self);

G_END_DECLS
