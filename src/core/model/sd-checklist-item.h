/* sd-checklist-item.h — one audited parameter of a health check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_CHECKLIST_ITEM (sd_checklist_item_get_type ())

G_DECLARE_FINAL_TYPE (SdChecklistItem, sd_checklist_item, SD, CHECKLIST_ITEM, GObject)

#define SD_CHECKLIST_WEIGHT_MIN 1
#define SD_CHECKLIST_WEIGHT_MAX 100

SdChecklistItem *sd_checklist_item_new                (const char       *key);

/* A stable key such as "UPD-03": 2–8 capital letters, '-', 2–4 digits. */
gboolean         sd_checklist_item_key_is_valid       (const char       *key);

const char      *sd_checklist_item_get_key            (SdChecklistItem  *self);
const char      *sd_checklist_item_get_area           (SdChecklistItem  *self);
void             sd_checklist_item_set_area           (SdChecklistItem  *self,
                                                       const char       *area);
const char      *sd_checklist_item_get_title          (SdChecklistItem  *self);
void             sd_checklist_item_set_title          (SdChecklistItem  *self,
                                                       const char       *title);
/* Why the parameter matters. */
const char      *sd_checklist_item_get_rationale      (SdChecklistItem  *self);
void             sd_checklist_item_set_rationale      (SdChecklistItem  *self,
                                                       const char       *rationale);
/* The vendor's best practice. */
const char      *sd_checklist_item_get_expected       (SdChecklistItem  *self);
void             sd_checklist_item_set_expected       (SdChecklistItem  *self,
                                                       const char       *expected);
const char      *sd_checklist_item_get_observed       (SdChecklistItem  *self);
void             sd_checklist_item_set_observed       (SdChecklistItem  *self,
                                                       const char       *observed);
SdCheckResult    sd_checklist_item_get_result         (SdChecklistItem  *self);
void             sd_checklist_item_set_result         (SdChecklistItem  *self,
                                                       SdCheckResult     result);
const char      *sd_checklist_item_get_recommendation (SdChecklistItem  *self);
void             sd_checklist_item_set_recommendation (SdChecklistItem  *self,
                                                       const char       *recommendation);
guint            sd_checklist_item_get_weight         (SdChecklistItem  *self);
void             sd_checklist_item_set_weight         (SdChecklistItem  *self,
                                                       guint             weight);

SdChecklistItem *sd_checklist_item_from_json          (JsonNode         *node,
                                                       const char       *path,
                                                       GError          **error);
JsonNode        *sd_checklist_item_to_json            (SdChecklistItem  *self);

G_END_DECLS
