/* sd-sla-record.h — the SLA ledger of one case as the server keeps it
 *
 * The server writes a case's record (kind "sla_record", the case's id)
 * whenever the case or its timeline changes, in the same transaction;
 * clients receive it through the change feed and never write it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SD_TYPE_SLA_RECORD (sd_sla_record_get_type ())
G_DECLARE_FINAL_TYPE (SdSlaRecord, sd_sla_record, SD, SLA_RECORD, GObject)

/* A record of the case @case_id (also the record's id); takes a reference
 * on @periods (a GArray of SdSlaPeriod, see sd-sla-ledger.h). */
SdSlaRecord *sd_sla_record_new             (const char   *case_id,
                                            const char   *customer_id,
                                            GArray       *periods);
const char  *sd_sla_record_get_case_id     (SdSlaRecord  *self);
const char  *sd_sla_record_get_customer_id (SdSlaRecord  *self);
/* The periods, oldest first; never NULL. */
GArray      *sd_sla_record_get_periods     (SdSlaRecord  *self);
gint64       sd_sla_record_get_version     (SdSlaRecord  *self);
void         sd_sla_record_set_version     (SdSlaRecord  *self,
                                            gint64        version);
/* When the server last wrote it. */
gint64       sd_sla_record_get_updated_at  (SdSlaRecord  *self);
void         sd_sla_record_set_updated_at  (SdSlaRecord  *self,
                                            gint64        updated_at);

/* JSON codec:
 *   { "id": "<case uuid>", "customer_id": "…", "periods": [ … ],
 *     "version": 3, "updated_at": "…" } */
JsonNode    *sd_sla_record_to_json         (SdSlaRecord  *self);
SdSlaRecord *sd_sla_record_from_json       (JsonNode     *node,
                                            const char   *path,
                                            GError      **error);

G_END_DECLS
