/* sd-customer.h — an enterprise customer under a support contract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_CUSTOMER (sd_customer_get_type ())

G_DECLARE_FINAL_TYPE (SdCustomer, sd_customer, SD, CUSTOMER, GObject)

SdCustomer         *sd_customer_new                       (const char          *id);

const char         *sd_customer_get_id                    (SdCustomer          *self);
const char         *sd_customer_get_name                  (SdCustomer          *self);
void                sd_customer_set_name                  (SdCustomer          *self,
                                                           const char          *name);
SdTier              sd_customer_get_tier                  (SdCustomer          *self);
void                sd_customer_set_tier                  (SdCustomer          *self,
                                                           SdTier               tier);
/* An IANA time zone name such as "Asia/Shanghai". */
const char         *sd_customer_get_time_zone             (SdCustomer          *self);
void                sd_customer_set_time_zone             (SdCustomer          *self,
                                                           const char          *time_zone);
const char         *sd_customer_get_calendar_id           (SdCustomer          *self);
void                sd_customer_set_calendar_id           (SdCustomer          *self,
                                                           const char          *calendar_id);
const char         *sd_customer_get_tam_id                (SdCustomer          *self);
void                sd_customer_set_tam_id                (SdCustomer          *self,
                                                           const char          *tam_id);
const char * const *sd_customer_get_duty_manager_ids      (SdCustomer          *self);
void                sd_customer_set_duty_manager_ids      (SdCustomer          *self,
                                                           const char * const  *ids);
gboolean            sd_customer_get_health_check_entitled (SdCustomer          *self);
void                sd_customer_set_health_check_entitled (SdCustomer          *self,
                                                           gboolean             entitled);
/* A per-customer entitlement that can differ from what the tier gives. */
typedef enum {
  SD_ENTITLEMENT_BY_TIER,  /* as the tier says */
  SD_ENTITLEMENT_GRANTED,  /* included, whatever the tier */
  SD_ENTITLEMENT_DENIED,   /* not included, whatever the tier */
} SdEntitlement;

/* AV-database releases on request: by default MSA Enterprise only. JSON
 * member "database_release_entitled" (optional boolean; absent: by tier). */
SdEntitlement       sd_customer_get_database_release_entitlement (SdCustomer    *self);
void                sd_customer_set_database_release_entitlement (SdCustomer    *self,
                                                                  SdEntitlement  entitlement);
/* Whether the customer's contract offers cases of @type (the new-case
 * dialog offers only those; the server refuses the others). */
gboolean            sd_customer_offers_case_type          (SdCustomer          *self,
                                                           SdCaseType           type);
/* The same, as a validation error naming "case.type" (SD_ERROR_INVALID_VALUE). */
gboolean            sd_customer_check_case_type           (SdCustomer          *self,
                                                           SdCaseType           type,
                                                           GError             **error);
/* Contract dates are Julian day numbers; 0 is "not set". */
guint32             sd_customer_get_contract_start        (SdCustomer          *self);
void                sd_customer_set_contract_start        (SdCustomer          *self,
                                                           guint32              julian);
guint32             sd_customer_get_contract_end          (SdCustomer          *self);
void                sd_customer_set_contract_end          (SdCustomer          *self,
                                                           guint32              julian);
/* The language of the customer's reports and notifications (default zh_CN). */
SdReportLanguage    sd_customer_get_report_language       (SdCustomer          *self);
void                sd_customer_set_report_language       (SdCustomer          *self,
                                                           SdReportLanguage     language);
/* An archived customer keeps its history but takes no new work; customers
 * are archived, never deleted. */
gboolean            sd_customer_get_archived              (SdCustomer          *self);
void                sd_customer_set_archived              (SdCustomer          *self,
                                                           gboolean             archived);

/* One period of the customer's contract (JSON "contracts", oldest first,
 * never overlapping): a renewal adds a period and keeps the others. */
typedef struct {
  guint32  start;                  /* Julian day */
  guint32  end;                    /* Julian day; 0: open-ended */
  SdTier   tier;
  gboolean health_check_entitled;
} SdContractPeriod;

guint               sd_customer_get_n_contracts           (SdCustomer          *self);
const SdContractPeriod *sd_customer_get_contract          (SdCustomer          *self,
                                                           guint                index);
/* Adds @period after the others; FALSE (and nothing added) when it does
 * not start after the last one ends or ends before it starts. */
gboolean            sd_customer_add_contract              (SdCustomer          *self,
                                                           const SdContractPeriod *period,
                                                           GError             **error);
/* The period in force on @julian, or NULL when none is. */
const SdContractPeriod *sd_customer_get_contract_on       (SdCustomer          *self,
                                                           guint32              julian);
/* The tier and health-check entitlement of the contract in force on
 * @julian; the customer's own when no period covers that day. */
SdTier              sd_customer_get_tier_on               (SdCustomer          *self,
                                                           guint32              julian);
gboolean            sd_customer_get_health_check_entitled_on (SdCustomer       *self,
                                                           guint32              julian);
gint64              sd_customer_get_version               (SdCustomer          *self);
void                sd_customer_set_version               (SdCustomer          *self,
                                                           gint64               version);
gint64              sd_customer_get_updated_at            (SdCustomer          *self);
void                sd_customer_set_updated_at            (SdCustomer          *self,
                                                           gint64               updated_at);

SdCustomer         *sd_customer_from_json                 (JsonNode            *node,
                                                           const char          *path,
                                                           GError             **error);
JsonNode           *sd_customer_to_json                   (SdCustomer          *self);

G_END_DECLS
