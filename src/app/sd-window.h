/* sd-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-application.h"
#include "sd-board.h"
#include "sd-case-view.h"
#include "sd-new-case-dialog.h"

G_BEGIN_DECLS

#define SD_TYPE_WINDOW (sd_window_get_type ())

G_DECLARE_FINAL_TYPE (SdWindow, sd_window, SD, WINDOW, AdwApplicationWindow)

SdWindow   *sd_window_new              (SdApplication *application);
const char *sd_window_get_visible_view (SdWindow      *self);
void        sd_window_set_visible_view (SdWindow      *self,
                                        const char    *name);
/* Shows case @id beside the board (a page of its own on a narrow window). */
void        sd_window_open_case        (SdWindow      *self,
                                        const char    *id);
void        sd_window_close_case       (SdWindow      *self);
/* Opens the new-case dialog (Ctrl+N); NULL without an account. */
SdNewCaseDialog *sd_window_new_case    (SdWindow      *self);
/* Shows @toast over the window (the caller keeps its own reference). */
void        sd_window_add_toast        (SdWindow      *self,
                                        AdwToast      *toast);
SdBoard    *sd_window_get_board        (SdWindow      *self);
SdCaseView *sd_window_get_case_view    (SdWindow      *self);

G_END_DECLS
