/* sd-notification.h — something the server tells one user: a clock at
 * risk or breached, an escalation, an assignment
 *
 * Written by the server only; in the change feed of its recipient and of
 * no one else. The recipient marks it read (read_at).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SD_TYPE_NOTIFICATION (sd_notification_get_type ())

G_DECLARE_FINAL_TYPE (SdNotification, sd_notification, SD, NOTIFICATION, GObject)

/* What happened (JSON "kind"). */
typedef enum {
  SD_NOTIFICATION_AT_RISK,
  SD_NOTIFICATION_BREACHED,
  SD_NOTIFICATION_ESCALATED,
  SD_NOTIFICATION_ASSIGNED,
  SD_NOTIFICATION_TEST,       /* sent by an admin to check the channels */
} SdNotificationKind;

/* "at_risk", "breached", "escalated", "assigned", "test". */
const char         *sd_notification_kind_to_string   (SdNotificationKind  kind);
gboolean            sd_notification_kind_from_string (const char         *name,
                                                      int                *out);

SdNotification     *sd_notification_new              (const char         *id,
                                                      const char         *recipient_id,
                                                      SdNotificationKind  kind,
                                                      const char         *text,
                                                      gint64              created_at);

const char         *sd_notification_get_id           (SdNotification     *self);
const char         *sd_notification_get_recipient_id (SdNotification     *self);
/* The case it is about; NULL when none. */
const char         *sd_notification_get_case_id      (SdNotification     *self);
void                sd_notification_set_case_id      (SdNotification     *self,
                                                      const char         *case_id);
SdNotificationKind  sd_notification_get_kind         (SdNotification     *self);
const char         *sd_notification_get_text         (SdNotification     *self);
gint64              sd_notification_get_created_at   (SdNotification     *self);
/* SD_TIME_NONE while unread. */
gint64              sd_notification_get_read_at      (SdNotification     *self);
void                sd_notification_set_read_at      (SdNotification     *self,
                                                      gint64              read_at);
gint64              sd_notification_get_version      (SdNotification     *self);
void                sd_notification_set_version      (SdNotification     *self,
                                                      gint64              version);
gint64              sd_notification_get_updated_at   (SdNotification     *self);
void                sd_notification_set_updated_at   (SdNotification     *self,
                                                      gint64              updated_at);

SdNotification     *sd_notification_from_json        (JsonNode           *node,
                                                      const char         *path,
                                                      GError            **error);
JsonNode           *sd_notification_to_json          (SdNotification     *self);

G_END_DECLS
