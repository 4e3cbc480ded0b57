/* sd-database-release.h — details of a "database release" case: an
 * antivirus database update released on the customer's request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_DATABASE_RELEASE (sd_database_release_get_type ())

G_DECLARE_FINAL_TYPE (SdDatabaseRelease, sd_database_release, SD, DATABASE_RELEASE, GObject)

SdDatabaseRelease *sd_database_release_new                  (void);

/* Why the customer needs the release. */
const char        *sd_database_release_get_reason           (SdDatabaseRelease  *self);
void               sd_database_release_set_reason           (SdDatabaseRelease  *self,
                                                             const char         *reason);
/* The threat (name or sample) the release must cover, if known. */
const char        *sd_database_release_get_threat           (SdDatabaseRelease  *self);
void               sd_database_release_set_threat           (SdDatabaseRelease  *self,
                                                             const char         *threat);
SdUrgency          sd_database_release_get_urgency          (SdDatabaseRelease  *self);
void               sd_database_release_set_urgency          (SdDatabaseRelease  *self,
                                                             SdUrgency           urgency);
const char        *sd_database_release_get_database_version (SdDatabaseRelease  *self);
void               sd_database_release_set_database_version (SdDatabaseRelease  *self,
                                                             const char         *database_version);
/* SD_TIME_NONE while not released. */
gint64             sd_database_release_get_released_at      (SdDatabaseRelease  *self);
void               sd_database_release_set_released_at      (SdDatabaseRelease  *self,
                                                             gint64              released_at);

SdDatabaseRelease *sd_database_release_from_json            (JsonNode           *node,
                                                             const char         *path,
                                                             GError            **error);
JsonNode          *sd_database_release_to_json              (SdDatabaseRelease  *self);

G_END_DECLS
