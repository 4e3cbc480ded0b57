/* sd-customer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-customer"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-customer.h"
#include "sd-error.h"
#include "sd-json.h"
#include "sd-model-private.h"

struct _SdCustomer
{
  GObject    parent_instance;

  char      *id;
  char      *name;
  SdTier     tier;
  char      *time_zone;
  char      *calendar_id;
  char      *tam_id;
  GStrv      duty_manager_ids;
  gboolean   health_check_entitled;
  SdEntitlement database_release_entitlement;
  guint32    contract_start;
  guint32    contract_end;
  SdReportLanguage report_language;
  gboolean   archived;
  GArray    *contracts;  /* SdContractPeriod, oldest first */
  gint64     version;
  gint64     updated_at;
};

G_DEFINE_FINAL_TYPE (SdCustomer, sd_customer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_TIER,
  PROP_TIME_ZONE,
  PROP_CALENDAR_ID,
  PROP_TAM_ID,
  PROP_DUTY_MANAGER_IDS,
  PROP_HEALTH_CHECK_ENTITLED,
  PROP_DATABASE_RELEASE_ENTITLEMENT,
  PROP_CONTRACT_START,
  PROP_CONTRACT_END,
  PROP_REPORT_LANGUAGE,
  PROP_VERSION,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const customer_fields[] = {
  "id", "name", "tier", "time_zone", "calendar_id", "tam_id",
  "duty_manager_ids", "health_check_entitled", "database_release_entitled", "contract_start",
  "contract_end", "report_language", "archived", "contracts", "version", "updated_at", NULL
};

/* An IANA name ("Asia/Shanghai", "UTC", "Etc/GMT-8") that the time zone
 * database knows. The shape is checked first so that no text from the
 * wire is ever used as a file path. */
static gboolean
time_zone_is_valid (const char *name)
{
  g_autoptr(GTimeZone) tz = NULL;
  gsize length = strlen (name);

  if (length == 0 || length > 64 || !g_ascii_isalpha (name[0]) || strstr (name, "..") != NULL)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
      return FALSE;
  if (name[length - 1] == '/')
    return FALSE;

  tz = g_time_zone_new_identifier (name);
  return tz != NULL;
}

static void
sd_customer_finalize (GObject *object)
{
  SdCustomer *self = (SdCustomer *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->time_zone, g_free);
  g_clear_pointer (&self->calendar_id, g_free);
  g_clear_pointer (&self->tam_id, g_free);
  g_clear_pointer (&self->duty_manager_ids, g_strfreev);
  g_clear_pointer (&self->contracts, g_array_unref);

  G_OBJECT_CLASS (sd_customer_parent_class)->finalize (object);
}

static void
sd_customer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SdCustomer *self = SD_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TIER:
      g_value_set_int (value, self->tier);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    case PROP_CALENDAR_ID:
      g_value_set_string (value, self->calendar_id);
      break;
    case PROP_TAM_ID:
      g_value_set_string (value, self->tam_id);
      break;
    case PROP_DUTY_MANAGER_IDS:
      g_value_set_boxed (value, self->duty_manager_ids);
      break;
    case PROP_HEALTH_CHECK_ENTITLED:
      g_value_set_boolean (value, self->health_check_entitled);
      break;
    case PROP_DATABASE_RELEASE_ENTITLEMENT:
      g_value_set_int (value, self->database_release_entitlement);
      break;
    case PROP_CONTRACT_START:
      g_value_set_uint (value, self->contract_start);
      break;
    case PROP_CONTRACT_END:
      g_value_set_uint (value, self->contract_end);
      break;
    case PROP_REPORT_LANGUAGE:
      g_value_set_int (value, self->report_language);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_customer_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SdCustomer *self = SD_CUSTOMER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_NAME:
      sd_customer_set_name (self, g_value_get_string (value));
      break;
    case PROP_TIER:
      sd_customer_set_tier (self, g_value_get_int (value));
      break;
    case PROP_TIME_ZONE:
      sd_customer_set_time_zone (self, g_value_get_string (value));
      break;
    case PROP_CALENDAR_ID:
      sd_customer_set_calendar_id (self, g_value_get_string (value));
      break;
    case PROP_TAM_ID:
      sd_customer_set_tam_id (self, g_value_get_string (value));
      break;
    case PROP_DUTY_MANAGER_IDS:
      sd_customer_set_duty_manager_ids (self, g_value_get_boxed (value));
      break;
    case PROP_HEALTH_CHECK_ENTITLED:
      sd_customer_set_health_check_entitled (self, g_value_get_boolean (value));
      break;
    case PROP_DATABASE_RELEASE_ENTITLEMENT:
      sd_customer_set_database_release_entitlement (self, g_value_get_int (value));
      break;
    case PROP_CONTRACT_START:
      sd_customer_set_contract_start (self, g_value_get_uint (value));
      break;
    case PROP_CONTRACT_END:
      sd_customer_set_contract_end (self, g_value_get_uint (value));
      break;
    case PROP_REPORT_LANGUAGE:
      sd_customer_set_report_language (self, g_value_get_int (value));
      break;
    case PROP_VERSION:
      sd_customer_set_version (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      sd_customer_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_customer_class_init (SdCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sd_customer_finalize;
  object_class->get_property = sd_customer_get_property;
  object_class->set_property = sd_customer_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_TIER] =
    g_param_spec_int ("tier", NULL, NULL,
                      SD_TIER_MSA_ENTERPRISE, SD_TIER_STANDARD, SD_TIER_MSA_ENTERPRISE, flags);
  properties[PROP_TIME_ZONE] =
    g_param_spec_string ("time-zone", NULL, NULL, NULL, flags);
  properties[PROP_CALENDAR_ID] =
    g_param_spec_string ("calendar-id", NULL, NULL, NULL, flags);
  properties[PROP_TAM_ID] =
    g_param_spec_string ("tam-id", NULL, NULL, NULL, flags);
  properties[PROP_DUTY_MANAGER_IDS] =
    g_param_spec_boxed ("duty-manager-ids", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_HEALTH_CHECK_ENTITLED] =
    g_param_spec_boolean ("health-check-entitled", NULL, NULL, FALSE, flags);
  properties[PROP_DATABASE_RELEASE_ENTITLEMENT] =
    g_param_spec_int ("database-release-entitlement", NULL, NULL,
                      SD_ENTITLEMENT_BY_TIER, SD_ENTITLEMENT_DENIED, SD_ENTITLEMENT_BY_TIER, flags);
  properties[PROP_CONTRACT_START] =
    g_param_spec_uint ("contract-start", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_CONTRACT_END] =
    g_param_spec_uint ("contract-end", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_REPORT_LANGUAGE] =
    g_param_spec_int ("report-language", NULL, NULL,
                      SD_REPORT_LANGUAGE_ZH_CN, SD_REPORT_LANGUAGE_EN, SD_REPORT_LANGUAGE_ZH_CN, flags);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_customer_init (SdCustomer *self)
{
  self->duty_manager_ids = g_new0 (char *, 1);
  self->contracts = g_array_new (FALSE, TRUE, sizeof (SdContractPeriod));
  self->updated_at = SD_TIME_NONE;
}

SdCustomer *
sd_customer_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (SD_TYPE_CUSTOMER, "id", id, NULL);
}

const char *
sd_customer_get_id (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);
  return self->id;
}

const char *
sd_customer_get_name (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);
  return self->name;
}

void
sd_customer_set_name (SdCustomer *self,
                      const char *name)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (_sd_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

SdTier
sd_customer_get_tier (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), SD_TIER_STANDARD);
  return self->tier;
}

void
sd_customer_set_tier (SdCustomer *self,
                      SdTier      tier)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  g_return_if_fail (sd_tier_to_string (tier) != NULL);
  if (self->tier == tier)
    return;
  self->tier = tier;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIER]);
}

const char *
sd_customer_get_time_zone (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);
  return self->time_zone;
}

void
sd_customer_set_time_zone (SdCustomer *self,
                           const char *time_zone)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (_sd_set_str (&self->time_zone, time_zone))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_ZONE]);
}

const char *
sd_customer_get_calendar_id (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);
  return self->calendar_id;
}

void
sd_customer_set_calendar_id (SdCustomer *self,
                             const char *calendar_id)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (_sd_set_str (&self->calendar_id, calendar_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALENDAR_ID]);
}

const char *
sd_customer_get_tam_id (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);
  return self->tam_id;
}

void
sd_customer_set_tam_id (SdCustomer *self,
                        const char *tam_id)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (_sd_set_str (&self->tam_id, tam_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAM_ID]);
}

const char * const *
sd_customer_get_duty_manager_ids (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);
  return (const char * const *) self->duty_manager_ids;
}

void
sd_customer_set_duty_manager_ids (SdCustomer         *self,
                                  const char * const *ids)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (_sd_strv_equal0 ((const char * const *) self->duty_manager_ids, ids))
    return;
  g_strfreev (self->duty_manager_ids);
  self->duty_manager_ids = ids ? g_strdupv ((char **) ids) : g_new0 (char *, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUTY_MANAGER_IDS]);
}

gboolean
sd_customer_get_health_check_entitled (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), FALSE);
  return self->health_check_entitled;
}

void
sd_customer_set_health_check_entitled (SdCustomer *self,
                                       gboolean    entitled)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  entitled = !!entitled;
  if (self->health_check_entitled == entitled)
    return;
  self->health_check_entitled = entitled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTH_CHECK_ENTITLED]);
}

SdEntitlement
sd_customer_get_database_release_entitlement (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), SD_ENTITLEMENT_BY_TIER);
  return self->database_release_entitlement;
}

void
sd_customer_set_database_release_entitlement (SdCustomer    *self,
                                              SdEntitlement  entitlement)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  g_return_if_fail (entitlement <= SD_ENTITLEMENT_DENIED);
  if (self->database_release_entitlement == entitlement)
    return;
  self->database_release_entitlement = entitlement;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_RELEASE_ENTITLEMENT]);
}

gboolean
sd_customer_offers_case_type (SdCustomer *self,
                              SdCaseType  type)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), FALSE);

  if (type != SD_CASE_TYPE_DATABASE_RELEASE)
    return TRUE;
  /* "为 MSA 企业版用户发布高优先级（快速）更新": database releases on request
   * are part of MSA Enterprise. */
  switch (self->database_release_entitlement)
    {
    case SD_ENTITLEMENT_GRANTED:
      return TRUE;
    case SD_ENTITLEMENT_DENIED:
      return FALSE;
    case SD_ENTITLEMENT_BY_TIER:
    default:
      return self->tier == SD_TIER_MSA_ENTERPRISE;
    }
}

gboolean
sd_customer_check_case_type (SdCustomer  *self,
                             SdCaseType   type,
                             GError     **error)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), FALSE);

  if (sd_customer_offers_case_type (self, type))
    return TRUE;
  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
               _("Field “%s”: the contract of %s does not include database releases on request "
                 "(they are part of MSA Enterprise)"),
               "case.type", self->name ? self->name : self->id);
  return FALSE;
}

guint32
sd_customer_get_contract_start (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), 0);
  return self->contract_start;
}

void
sd_customer_set_contract_start (SdCustomer *self,
                                guint32     julian)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (self->contract_start == julian)
    return;
  self->contract_start = julian;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTRACT_START]);
}

guint32
sd_customer_get_contract_end (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), 0);
  return self->contract_end;
}

void
sd_customer_set_contract_end (SdCustomer *self,
                              guint32     julian)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (self->contract_end == julian)
    return;
  self->contract_end = julian;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTRACT_END]);
}

SdReportLanguage
sd_customer_get_report_language (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), SD_REPORT_LANGUAGE_ZH_CN);
  return self->report_language;
}

void
sd_customer_set_report_language (SdCustomer       *self,
                                 SdReportLanguage  language)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  g_return_if_fail (sd_report_language_to_string (language) != NULL);
  if (self->report_language == language)
    return;
  self->report_language = language;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT_LANGUAGE]);
}

gboolean
sd_customer_get_archived (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), FALSE);
  return self->archived;
}

void
sd_customer_set_archived (SdCustomer *self,
                          gboolean    archived)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  self->archived = !!archived;
}

guint
sd_customer_get_n_contracts (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), 0);
  return self->contracts->len;
}

const SdContractPeriod *
sd_customer_get_contract (SdCustomer *self,
                          guint       index)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);
  g_return_val_if_fail (index < self->contracts->len, NULL);
  return &g_array_index (self->contracts, SdContractPeriod, index);
}

static gboolean
check_period (SdCustomer             *self,
              const SdContractPeriod *period,
              const char             *path,
              GError                **error)
{
  g_autofree char *where = sd_json_path_index (path, self->contracts->len);
  const SdContractPeriod *last = self->contracts->len
                                 ? &g_array_index (self->contracts, SdContractPeriod, self->contracts->len - 1)
                                 : NULL;

  if (period->start == 0)
    return sd_json_set_invalid (error, where, "start", _("a contract period needs a start date"));
  if (period->end != 0 && period->end < period->start)
    return sd_json_set_invalid (error, where, "end", _("the contract ends before it starts"));
  if (last != NULL && (last->end == 0 || period->start <= last->end))
    return sd_json_set_invalid (error, where, "start",
                                _("the period must start after the one before it ends"));
  return TRUE;
}

gboolean
sd_customer_add_contract (SdCustomer              *self,
                          const SdContractPeriod  *period,
                          GError                 **error)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), FALSE);
  g_return_val_if_fail (period != NULL, FALSE);

  if (!check_period (self, period, "customer.contracts", error))
    return FALSE;
  g_array_append_val (self->contracts, *period);
  return TRUE;
}

const SdContractPeriod *
sd_customer_get_contract_on (SdCustomer *self,
                             guint32     julian)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);

  for (guint i = self->contracts->len; i > 0; i--)
    {
      const SdContractPeriod *period = &g_array_index (self->contracts, SdContractPeriod, i - 1);

      if (period->start <= julian && (period->end == 0 || julian <= period->end))
        return period;
    }
  return NULL;
}

SdTier
sd_customer_get_tier_on (SdCustomer *self,
                         guint32     julian)
{
  const SdContractPeriod *period = sd_customer_get_contract_on (self, julian);

  return period != NULL ? period->tier : self->tier;
}

gboolean
sd_customer_get_health_check_entitled_on (SdCustomer *self,
                                          guint32     julian)
{
  const SdContractPeriod *period = sd_customer_get_contract_on (self, julian);

  return period != NULL ? period->health_check_entitled : self->health_check_entitled;
}

gint64
sd_customer_get_version (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), 0);
  return self->version;
}

void
sd_customer_set_version (SdCustomer *self,
                         gint64      version)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (self->version == version)
    return;
  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

gint64
sd_customer_get_updated_at (SdCustomer *self)
{
  g_return_val_if_fail (SD_IS_CUSTOMER (self), SD_TIME_NONE);
  return self->updated_at;
}

void
sd_customer_set_updated_at (SdCustomer *self,
                            gint64      updated_at)
{
  g_return_if_fail (SD_IS_CUSTOMER (self));
  if (self->updated_at == updated_at)
    return;
  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

/* An optional boolean: absent or null leave the decision to the tier. */
static gboolean
get_entitlement (JsonObject     *object,
                 const char     *path,
                 const char     *field,
                 SdEntitlement  *out,
                 GError        **error)
{
  JsonNode *member = json_object_get_member (object, field);
  gboolean granted = FALSE;

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      *out = SD_ENTITLEMENT_BY_TIER;
      return TRUE;
    }
  if (!sd_json_get_bool (object, path, field, TRUE, &granted, error))
    return FALSE;
  *out = granted ? SD_ENTITLEMENT_GRANTED : SD_ENTITLEMENT_DENIED;
  return TRUE;
}

static gboolean
get_contracts (SdCustomer  *self,
               JsonObject  *object,
               const char  *path,
               GError     **error)
{
  g_autofree char *contracts_path = sd_json_path_join (path, "contracts");
  JsonArray *array = NULL;

  if (!sd_json_get_array (object, path, "contracts", FALSE, &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      static const char * const period_fields[] = { "start", "end", "tier", "health_check_entitled", NULL };
      g_autofree char *where = sd_json_path_index (contracts_path, i);
      SdContractPeriod period = { 0 };
      JsonObject *member;
      int tier = 0;

      if (!(member = sd_json_node_get_object (json_array_get_element (array, i), where, error))
          || !sd_json_check_fields (member, where, period_fields, error)
          || !sd_json_get_date (member, where, "start", TRUE, &period.start, error)
          || !sd_json_get_date (member, where, "end", FALSE, &period.end, error)
          || !sd_json_get_enum (member, where, "tier", TRUE, SD_JSON_ENUM (sd_tier_from_string), &tier, error)
          || !sd_json_get_bool (member, where, "health_check_entitled", FALSE,
                                &period.health_check_entitled, error))
        return FALSE;
      period.tier = tier;
      if (!check_period (self, &period, contracts_path, error))
        return FALSE;
      g_array_append_val (self->contracts, period);
    }
  return TRUE;
}

SdCustomer *
sd_customer_from_json (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(SdCustomer) self = NULL;
  g_auto(GStrv) duty_manager_ids = NULL;
  JsonObject *object;
  const char *id = NULL;
  const char *name = NULL;
  const char *time_zone = NULL;
  const char *calendar_id = NULL;
  const char *tam_id = NULL;
  int tier = 0;
  int language = SD_REPORT_LANGUAGE_ZH_CN;

  if (path == NULL)
    path = "customer";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, customer_fields, error)
      || !sd_json_get_id (object, path, "id", TRUE, &id, error))
    return NULL;

  self = g_object_new (SD_TYPE_CUSTOMER, "id", id, NULL);

  if (!sd_json_get_text (object, path, "name", TRUE, &name, error)
      || !sd_json_get_enum (object, path, "tier", TRUE,
                            SD_JSON_ENUM (sd_tier_from_string), &tier, error)
      || !sd_json_get_string (object, path, "time_zone", TRUE, &time_zone, error))
    return NULL;

  if (!time_zone_is_valid (time_zone))
    {
      sd_json_set_invalid (error, path, "time_zone",
                           _("“%s” is not a known time zone"), time_zone);
      return NULL;
    }

  if (!sd_json_get_id (object, path, "calendar_id", TRUE, &calendar_id, error)
      || !sd_json_get_id (object, path, "tam_id", FALSE, &tam_id, error)
      || !sd_json_get_strv (object, path, "duty_manager_ids", FALSE, &duty_manager_ids, error)
      || !sd_json_get_bool (object, path, "health_check_entitled", FALSE,
                            &self->health_check_entitled, error)
      || !get_entitlement (object, path, "database_release_entitled",
                           &self->database_release_entitlement, error)
      || !sd_json_get_date (object, path, "contract_start", FALSE, &self->contract_start, error)
      || !sd_json_get_date (object, path, "contract_end", FALSE, &self->contract_end, error)
      || !sd_json_get_enum (object, path, "report_language", FALSE,
                            SD_JSON_ENUM (sd_report_language_from_string), &language, error)
      || !sd_json_get_bool (object, path, "archived", FALSE, &self->archived, error)
      || !get_contracts (self, object, path, error)
      || !sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64, &self->version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &self->updated_at, error))
    return NULL;

  for (guint i = 0; duty_manager_ids != NULL && duty_manager_ids[i] != NULL; i++)
    {
      g_autofree char *field = g_strdup_printf ("duty_manager_ids[%u]", i);
      const char *dm = duty_manager_ids[i];

      if (!sd_json_id_is_valid (dm))
        {
          sd_json_set_invalid (error, path, field, _("“%s” is not a valid identifier"), dm);
          return NULL;
        }
    }

  if (self->contract_start != 0 && self->contract_end != 0
      && self->contract_end < self->contract_start)
    {
      sd_json_set_invalid (error, path, "contract_end",
                           _("the contract ends before it starts"));
      return NULL;
    }

  self->name = g_strdup (name);
  self->tier = tier;
  self->report_language = language;
  self->time_zone = g_strdup (time_zone);
  self->calendar_id = g_strdup (calendar_id);
  self->tam_id = g_strdup (tam_id);
  if (duty_manager_ids != NULL)
    {
      g_strfreev (self->duty_manager_ids);
      self->duty_manager_ids = g_steal_pointer (&duty_manager_ids);
    }

  return g_steal_pointer (&self);
}

JsonNode *
sd_customer_to_json (SdCustomer *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_CUSTOMER (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "name", self->name);
  sd_json_builder_add_string_or_null (builder, "tier", sd_tier_to_string (self->tier));
  sd_json_builder_add_string_or_null (builder, "time_zone", self->time_zone);
  sd_json_builder_add_string_or_null (builder, "calendar_id", self->calendar_id);
  sd_json_builder_add_string_or_null (builder, "tam_id", self->tam_id);
  sd_json_builder_add_strv (builder, "duty_manager_ids",
                            (const char * const *) self->duty_manager_ids);
  json_builder_set_member_name (builder, "health_check_entitled");
  json_builder_add_boolean_value (builder, self->health_check_entitled);
  json_builder_set_member_name (builder, "database_release_entitled");
  if (self->database_release_entitlement == SD_ENTITLEMENT_BY_TIER)
    json_builder_add_null_value (builder);
  else
    json_builder_add_boolean_value (builder, self->database_release_entitlement == SD_ENTITLEMENT_GRANTED);
  sd_json_builder_add_date (builder, "contract_start", self->contract_start);
  sd_json_builder_add_date (builder, "contract_end", self->contract_end);
  sd_json_builder_add_string_or_null (builder, "report_language",
                                      sd_report_language_to_string (self->report_language));
  /* Both only when set: a customer without them reads as before. */
  if (self->archived)
    {
      json_builder_set_member_name (builder, "archived");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (self->contracts->len > 0)
    {
      json_builder_set_member_name (builder, "contracts");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->contracts->len; i++)
        {
          const SdContractPeriod *period = &g_array_index (self->contracts, SdContractPeriod, i);

          json_builder_begin_object (builder);
          sd_json_builder_add_date (builder, "start", period->start);
          sd_json_builder_add_date (builder, "end", period->end);
          sd_json_builder_add_string_or_null (builder, "tier", sd_tier_to_string (period->tier));
          json_builder_set_member_name (builder, "health_check_entitled");
          json_builder_add_boolean_value (builder, period->health_check_entitled);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
