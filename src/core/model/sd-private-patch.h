/* sd-private-patch.h — details of a "private patch" case: a fix built for
 * one customer, released according to the product's life-cycle stage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_PRIVATE_PATCH (sd_private_patch_get_type ())

G_DECLARE_FINAL_TYPE (SdPrivatePatch, sd_private_patch, SD, PRIVATE_PATCH, GObject)

SdPrivatePatch   *sd_private_patch_new                 (void);

const char       *sd_private_patch_get_product         (SdPrivatePatch    *self);
void              sd_private_patch_set_product         (SdPrivatePatch    *self,
                                                        const char        *product);
const char       *sd_private_patch_get_product_version (SdPrivatePatch    *self);
void              sd_private_patch_set_product_version (SdPrivatePatch    *self,
                                                        const char        *product_version);
SdLifecycleStage  sd_private_patch_get_lifecycle_stage (SdPrivatePatch    *self);
void              sd_private_patch_set_lifecycle_stage (SdPrivatePatch    *self,
                                                        SdLifecycleStage   stage);
const char       *sd_private_patch_get_problem         (SdPrivatePatch    *self);
void              sd_private_patch_set_problem         (SdPrivatePatch    *self,
                                                        const char        *problem);
const char       *sd_private_patch_get_patch_id        (SdPrivatePatch    *self);
void              sd_private_patch_set_patch_id        (SdPrivatePatch    *self,
                                                        const char        *patch_id);
/* Julian day; 0 while not delivered. */
guint32           sd_private_patch_get_delivered_on    (SdPrivatePatch    *self);
void              sd_private_patch_set_delivered_on    (SdPrivatePatch    *self,
                                                        guint32            julian);

SdPrivatePatch   *sd_private_patch_from_json           (JsonNode          *node,
                                                        const char        *path,
                                                        GError           **error);
JsonNode         *sd_private_patch_to_json             (SdPrivatePatch    *self);

G_END_DECLS
