/* sd-case.h — a support case: incident or service request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enum-types.h"
#include "sd-enums.h"
#include "sd-sla.h"

G_BEGIN_DECLS

#define SD_TYPE_CASE (sd_case_get_type ())

G_DECLARE_FINAL_TYPE (SdCase, sd_case, SD, CASE, GObject)

/* @id: a UUID, or NULL for a new random one. */
SdCase       *sd_case_new                  (const char         *id);

/* "SD-2026-00042": "SD-", the year, '-', 5 to 9 digits. */
gboolean      sd_case_number_is_valid      (const char         *number);

const char   *sd_case_get_id               (SdCase             *self);
/* Assigned by the server; NULL for a case created offline and not yet
 * synchronised. */
const char   *sd_case_get_number           (SdCase             *self);
void          sd_case_set_number           (SdCase             *self,
                                            const char         *number);
const char   *sd_case_get_customer_id      (SdCase             *self);
void          sd_case_set_customer_id      (SdCase             *self,
                                            const char         *customer_id);
const char   *sd_case_get_title            (SdCase             *self);
void          sd_case_set_title            (SdCase             *self,
                                            const char         *title);
const char   *sd_case_get_description      (SdCase             *self);
void          sd_case_set_description      (SdCase             *self,
                                            const char         *description);
SdCaseType    sd_case_get_case_type        (SdCase             *self);
/* Drops the details when they do not belong to @type. */
void          sd_case_set_case_type        (SdCase             *self,
                                            SdCaseType          type);
int           sd_case_get_severity         (SdCase             *self);
void          sd_case_set_severity         (SdCase             *self,
                                            int                 severity);
SdCaseStatus  sd_case_get_status           (SdCase             *self);
void          sd_case_set_status           (SdCase             *self,
                                            SdCaseStatus        status);
gboolean      sd_case_is_open              (SdCase             *self);
gint64        sd_case_get_reported_at      (SdCase             *self);
void          sd_case_set_reported_at      (SdCase             *self,
                                            gint64              reported_at);
SdReportedVia sd_case_get_reported_via     (SdCase             *self);
void          sd_case_set_reported_via     (SdCase             *self,
                                            SdReportedVia       via);
const char   *sd_case_get_assignee_id      (SdCase             *self);
void          sd_case_set_assignee_id      (SdCase             *self,
                                            const char         *assignee_id);
gint64        sd_case_get_responded_at     (SdCase             *self);
void          sd_case_set_responded_at     (SdCase             *self,
                                            gint64              responded_at);
gint64        sd_case_get_resolved_at      (SdCase             *self);
void          sd_case_set_resolved_at      (SdCase             *self,
                                            gint64              resolved_at);
/* The type-specific details: an SdSignatureChange, SdPrivatePatch or
 * SdDatabaseRelease matching the case type, or NULL (incident, service
 * request). */
GObject      *sd_case_get_details          (SdCase             *self);
void          sd_case_set_details          (SdCase             *self,
                                            GObject            *details);
gint64        sd_case_get_version          (SdCase             *self);
void          sd_case_set_version          (SdCase             *self,
                                            gint64              version);
gint64        sd_case_get_updated_at       (SdCase             *self);
void          sd_case_set_updated_at       (SdCase             *self,
                                            gint64              updated_at);

/* The server's SLA snapshot, informational: clients recompute the clocks
 * with sd_case_compute_sla(). Returns FALSE when there is none. */
gboolean      sd_case_get_sla              (SdCase             *self,
                                            SdSlaResult        *result,
                                            gint64             *computed_at);
/* @result NULL clears the snapshot. */
void          sd_case_set_sla              (SdCase             *self,
                                            const SdSlaResult  *result,
                                            gint64              computed_at);

/* The merge patch that moves a case from @from to @to at @now: the status,
 * and resolved_at set on entering resolved/closed from an open status,
 * cleared on reopening. */
JsonNode     *sd_case_build_status_patch   (SdCaseStatus        from,
                                            SdCaseStatus        to,
                                            gint64              now);

SdCase       *sd_case_from_json            (JsonNode           *node,
                                            const char         *path,
                                            GError            **error);
JsonNode     *sd_case_to_json              (SdCase             *self);

G_END_DECLS
