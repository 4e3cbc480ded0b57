/* sd-signature-change.h — details of a "signature change" case: a false
 * positive to remove or a missing detection to add
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_SIGNATURE_CHANGE (sd_signature_change_get_type ())

G_DECLARE_FINAL_TYPE (SdSignatureChange, sd_signature_change, SD, SIGNATURE_CHANGE, GObject)

SdSignatureChange  *sd_signature_change_new                   (SdRequestedChange   requested_change);

SdRequestedChange   sd_signature_change_get_requested_change  (SdSignatureChange  *self);
void                sd_signature_change_set_requested_change  (SdSignatureChange  *self,
                                                               SdRequestedChange   requested_change);
/* The file name, path or URL of the object concerned. */
const char         *sd_signature_change_get_object_ref        (SdSignatureChange  *self);
void                sd_signature_change_set_object_ref        (SdSignatureChange  *self,
                                                               const char         *object_ref);
/* "md5:…", "sha1:…" or "sha256:…" with lower-case hex digits. */
const char         *sd_signature_change_get_hash              (SdSignatureChange  *self);
void                sd_signature_change_set_hash              (SdSignatureChange  *self,
                                                               const char         *hash);
gboolean            sd_signature_change_hash_is_valid         (const char         *hash);
const char         *sd_signature_change_get_detection_name    (SdSignatureChange  *self);
void                sd_signature_change_set_detection_name    (SdSignatureChange  *self,
                                                               const char         *detection_name);
SdSignatureOutcome  sd_signature_change_get_outcome           (SdSignatureChange  *self);
void                sd_signature_change_set_outcome           (SdSignatureChange  *self,
                                                               SdSignatureOutcome  outcome);
/* The antivirus database release that carries the change. */
const char         *sd_signature_change_get_database_version  (SdSignatureChange  *self);
void                sd_signature_change_set_database_version  (SdSignatureChange  *self,
                                                               const char         *database_version);

SdSignatureChange  *sd_signature_change_from_json             (JsonNode           *node,
                                                               const char         *path,
                                                               GError            **error);
JsonNode           *sd_signature_change_to_json               (SdSignatureChange  *self);

G_END_DECLS
