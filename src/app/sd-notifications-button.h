/* sd-notifications-button.h — the header bar's bell: the unread count and
 * a popover listing the notifications the server sent this user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-local-store.h"

G_BEGIN_DECLS

#define SD_TYPE_NOTIFICATIONS_BUTTON (sd_notifications_button_get_type ())

G_DECLARE_FINAL_TYPE (SdNotificationsButton, sd_notifications_button, SD, NOTIFICATIONS_BUTTON, AdwBin)

/* Watches @store's notifications (NULL hides the button). */
void     sd_notifications_button_set_store   (SdNotificationsButton *self,
                                              SdLocalStore          *store);
/* How many are unread, and how many rows the list shows. */
guint    sd_notifications_button_get_n_unread (SdNotificationsButton *self);
guint    sd_notifications_button_get_n_items  (SdNotificationsButton *self);
/* Opens the case of row @index (newest first) and marks it read, as
 * activating the row does. FALSE when there is no such row. */
gboolean sd_notifications_button_activate_item (SdNotificationsButton *self,
                                                guint                  index);

G_END_DECLS
