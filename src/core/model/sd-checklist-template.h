/* sd-checklist-template.h — the checklist a health check starts from
 *
 * A template is versioned and bilingual: every text is given in English
 * and may be given in Simplified Chinese. A health check copies the items
 * of one version in one language when it starts (the check keeps the
 * template id and version), so a later version of the template never
 * changes the items of an existing check.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-checklist-item.h"
#include "sd-health-check.h"

G_BEGIN_DECLS

#define SD_TYPE_CHECKLIST_TEMPLATE (sd_checklist_template_get_type ())

G_DECLARE_FINAL_TYPE (SdChecklistTemplate, sd_checklist_template, SD, CHECKLIST_TEMPLATE, GObject)

/* The built-in best-practice checklist for an endpoint-security deployment. */
#define SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY "endpoint-security"

/* The languages a template's texts come in: "en" (required) and "zh_CN". */
gboolean             sd_checklist_language_is_known            (const char           *language);
/* "en" or "zh_CN" for a locale name ("zh_CN.UTF-8"), a LANGUAGE list
 * ("zh_CN:en") or an Accept-Language header ("zh-CN,zh;q=0.9"); "en" for
 * anything else, NULL included. */
const char          *sd_checklist_language_from_locale         (const char           *locale);

/* A new reference to a built-in template, or NULL with
 * SD_ERROR_INVALID_VALUE when there is no built-in template @id. */
SdChecklistTemplate *sd_checklist_template_new_builtin         (const char           *id,
                                                                GError              **error);

const char          *sd_checklist_template_get_id              (SdChecklistTemplate  *self);
guint                sd_checklist_template_get_version         (SdChecklistTemplate  *self);
/* The title in @language, English when it has none in that language. */
const char          *sd_checklist_template_get_title           (SdChecklistTemplate  *self,
                                                                const char           *language);
guint                sd_checklist_template_get_n_items         (SdChecklistTemplate  *self);
const char          *sd_checklist_template_get_item_key        (SdChecklistTemplate  *self,
                                                                guint                 position);

/* New items (SdChecklistItem, result not_checked, the recommendation
 * filled in) with their texts in @language, in template order. */
GPtrArray           *sd_checklist_template_instantiate         (SdChecklistTemplate  *self,
                                                                const char           *language);
/* Starts @check's checklist from @self: sets its template id and version
 * and adds the items in @language. Fails with SD_ERROR_INVALID_VALUE
 * when @check has items already (a check keeps what it started with). */
gboolean             sd_checklist_template_start_check         (SdChecklistTemplate  *self,
                                                                SdHealthCheck        *check,
                                                                const char           *language,
                                                                GError              **error);
/* Copies of @items (SdChecklistItem) for a report in @language: an area,
 * title, rationale, expected value or recommendation that is still the
 * template's text in some language is replaced by its text in @language;
 * what the auditor wrote, and items the template does not know, stay as
 * they are. */
GPtrArray           *sd_checklist_template_translate_items     (SdChecklistTemplate  *self,
                                                                GPtrArray            *items,
                                                                const char           *language);

/* Root path "checklist_template". Texts are {"en": …, "zh_CN": …} objects
 * (or plain strings, the same in every language). */
SdChecklistTemplate *sd_checklist_template_from_json           (JsonNode             *node,
                                                                const char           *path,
                                                                GError              **error);
JsonNode            *sd_checklist_template_to_json             (SdChecklistTemplate  *self);

G_END_DECLS
