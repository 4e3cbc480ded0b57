/* sd-case-view.h — one case: every field, every SLA clock, the timeline
 * and what a TAM does with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

#include "sd-board-case.h"

G_BEGIN_DECLS

#define SD_TYPE_CASE_VIEW (sd_case_view_get_type ())

G_DECLARE_FINAL_TYPE (SdCaseView, sd_case_view, SD, CASE_VIEW, GtkWidget)

GtkWidget  *sd_case_view_new          (void);
/* Shows case @id of @store; @data gives customers, users and who "me"
 * is. The view follows the store's changes. */
void        sd_case_view_show         (SdCaseView   *self,
                                       SdLocalStore *store,
                                       SdBoardData  *data,
                                       const char   *id);
const char *sd_case_view_get_case_id  (SdCaseView   *self);
/* Whether the case and its timeline are on screen (tests). */
gboolean    sd_case_view_is_loaded    (SdCaseView   *self);
/* The number of timeline entries shown (tests). */
guint       sd_case_view_get_n_events (SdCaseView   *self);
/* Adds @text as a comment (the comment box's button). */
void        sd_case_view_add_comment  (SdCaseView   *self,
                                       const char   *text);

G_END_DECLS
