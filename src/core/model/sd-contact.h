/* sd-contact.h — one of a customer's people: who receives its reports and
 * health-check appointments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_CONTACT (sd_contact_get_type ())

G_DECLARE_FINAL_TYPE (SdContact, sd_contact, SD, CONTACT, GObject)

/* What a contact receives (JSON "roles", any of them). */
typedef enum {
  SD_CONTACT_ROLE_DAILY_REPORT             = 1 << 0,
  SD_CONTACT_ROLE_QUARTERLY_REPORT         = 1 << 1,
  SD_CONTACT_ROLE_HEALTH_CHECK_APPOINTMENT = 1 << 2,
} SdContactRoles;

/* "daily_report", "quarterly_report", "health_check_appointment"; NULL
 * for anything else. */
const char         *sd_contact_role_to_string (SdContactRoles  role);
gboolean            sd_contact_role_from_string (const char    *name,
                                                 SdContactRoles *out);

SdContact          *sd_contact_new            (const char      *id,
                                               const char      *customer_id);

const char         *sd_contact_get_id         (SdContact       *self);
const char         *sd_contact_get_customer_id (SdContact      *self);
const char         *sd_contact_get_name       (SdContact       *self);
const char         *sd_contact_get_email      (SdContact       *self);
const char         *sd_contact_get_phone      (SdContact       *self);
SdReportLanguage    sd_contact_get_language   (SdContact       *self);
SdContactRoles      sd_contact_get_roles      (SdContact       *self);
gboolean            sd_contact_get_archived   (SdContact       *self);
gint64              sd_contact_get_version    (SdContact       *self);
void                sd_contact_set_version    (SdContact       *self,
                                               gint64           version);
gint64              sd_contact_get_updated_at (SdContact       *self);
void                sd_contact_set_updated_at (SdContact       *self,
                                               gint64           updated_at);

/* The e-mail address folded for comparison (two contacts may not share
 * one). */
char               *sd_contact_email_key      (const char      *email);

SdContact          *sd_contact_from_json      (JsonNode        *node,
                                               const char      *path,
                                               GError         **error);
JsonNode           *sd_contact_to_json        (SdContact       *self);

G_END_DECLS
