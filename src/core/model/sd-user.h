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
/* The user's own office hours (a calendar id); NULL: those of the
 * customers they look after. */
const char *sd_user_get_calendar_id         (SdUser      *self);
void        sd_user_set_calendar_id         (SdUser      *self,
                                             const char  *calendar_id);
/* Who answers for the user while they are out of office, or NULL. */
const char *sd_user_get_deputy_id           (SdUser      *self);
void        sd_user_set_deputy_id           (SdUser      *self,
                                             const char  *deputy_id);
const char *sd_user_get_email               (SdUser      *self);
void        sd_user_set_email               (SdUser      *self,
                                             const char  *email);
/* A deactivated user cannot sign in, and their tokens stop working at
 * once (JSON "active": false). */
gboolean    sd_user_get_active              (SdUser      *self);
void        sd_user_set_active              (SdUser      *self,
                                             gboolean     active);
/* After a password reset: every request but changing it is refused. */
gboolean    sd_user_get_must_change_password (SdUser     *self);
void        sd_user_set_must_change_password (SdUser     *self,
                                             gboolean     must);
gint64      sd_user_get_version             (SdUser      *self);
void        sd_user_set_version             (SdUser      *self,
                                             gint64       version);
gint64      sd_user_get_updated_at          (SdUser      *self);
void        sd_user_set_updated_at          (SdUser      *self,
                                             gint64       updated_at);

/* How much of a user a reader sees. The full view is one's own record (or
 * any record, for an admin); everyone else gets the limited view, which
 * leaves out the members in sd_user_limited_view_omits. */
typedef enum {
  SD_USER_VIEW_FULL,
  SD_USER_VIEW_LIMITED,
} SdUserView;

/* "login" and "email", NULL-terminated. */
extern const char * const sd_user_limited_view_omits[];

/* The full view: "login" is required. */
SdUser     *sd_user_from_json               (JsonNode    *node,
                                             const char  *path,
                                             GError     **error);
/* Either view: in the limited one the omitted members may be absent, and
 * the user's login is then NULL. */
SdUser     *sd_user_from_json_view          (JsonNode    *node,
                                             const char  *path,
                                             SdUserView   view,
                                             GError     **error);
JsonNode   *sd_user_to_json                 (SdUser      *self);
/* The limited view of @body (a user's JSON): the same without the omitted
 * members, or NULL when @body is not a JSON object. */
char       *sd_user_limit_view              (const char  *body);

G_END_DECLS
