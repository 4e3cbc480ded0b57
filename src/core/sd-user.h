/* sd-user.h — a person who works cases: TAM, duty manager, engineer, admin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_USER (sd_user_get_type ())

G_DECLARE_FINAL_TYPE (SdUser, sd_user, SD, USER, GObject)

SdUser     *sd_user_new                     (const char  *id);

const char *sd_user_get_id                  (SdUser      *self);
const char *sd_user_get_display_name        (SdUser      *self);
void        sd_user_set_display_name        (SdUser      *self,
                                             const char  *display_name);
const char *sd_user_get_login               (SdUser      *self);
void        sd_user_set_login               (SdUser      *self,
                                             const char  *login);
SdRole      sd_user_get_role                (SdUser      *self);
void        sd_user_set_role                (SdUser      *self,
                                             SdRole       role);
gint64      sd_user_get_out_of_office_until (SdUser      *self);
void        sd_user_set_out_of_office_until (SdUser      *self,
                                             gint64       until);
gboolean    sd_user_is_out_of_office        (SdUser      *self,
                                             gint64       now);
const char *sd_user_get_email               (SdUser      *self);
void        sd_user_set_email               (SdUser      *self,
                                             const char  *email);
gint64      sd_user_get_version             (SdUser      *self);
void        sd_user_set_version             (SdUser      *self,
                                             gint64       version);
gint64      sd_user_get_updated_at          (SdUser      *self);
void        sd_user_set_updated_at          (SdUser      *self,
                                             gint64       updated_at);

SdUser     *sd_user_from_json               (JsonNode    *node,
                                             const char  *path,
                                             GError     **error);
JsonNode   *sd_user_to_json                 (SdUser      *self);

G_END_DECLS
