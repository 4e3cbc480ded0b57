/* sd-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-application.h"

G_BEGIN_DECLS

#define SD_TYPE_WINDOW (sd_window_get_type ())

G_DECLARE_FINAL_TYPE (SdWindow, sd_window, SD, WINDOW, AdwApplicationWindow)

SdWindow   *sd_window_new              (SdApplication *application);
const char *sd_window_get_visible_view (SdWindow      *self);
void        sd_window_set_visible_view (SdWindow      *self,
                                        const char    *name);

G_END_DECLS
