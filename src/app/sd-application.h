/* sd-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_TYPE_APPLICATION (sd_application_get_type ())

G_DECLARE_FINAL_TYPE (SdApplication, sd_application, SD, APPLICATION, AdwApplication)

SdApplication *sd_application_new       (void);
GSettings     *sd_application_get_settings (SdApplication *self);
void           sd_application_init_i18n (void);
/* The signed-in account, or NULL; notified as "account". */
SdAccount     *sd_application_get_account (SdApplication *self);
void           sd_application_set_account (SdApplication *self,
                                           SdAccount     *account);
/* A desktop notification for an SLA alert (unless turned off in
 * Preferences); clicking it opens the case. */
void           sd_application_notify_alert (SdApplication *self,
                                            gpointer       board_case,
                                            int            alert);

G_END_DECLS
