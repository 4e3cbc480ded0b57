/* sd-sla-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sla"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-json.h"
#include "sd-sla-policy-private.h"

G_DEFINE_FINAL_TYPE (SdSlaPolicy, sd_sla_policy, G_TYPE_OBJECT)

static void
sd_sla_policy_finalize (GObject *object)
{
  SdSlaPolicy *self = (SdSlaPolicy *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->customer_id, g_free);

  G_OBJECT_CLASS (sd_sla_policy_parent_class)->finalize (object);
}

static void
sd_sla_policy_class_init (SdSlaPolicyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_sla_policy_finalize;
}

static void
sd_sla_policy_init (SdSlaPolicy *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->targets); i++)
    {
      self->targets[i].seconds = 8 * 3600;
      self->targets[i].clock = SD_CLOCK_BUSINESS;
    }
  self->warning_percent = SD_SLA_POLICY_DEFAULT_WARNING_PERCENT;
  self->pausing_mask = 1u << SD_CASE_STATUS_WAITING_CUSTOMER;
  self->daily_report_seconds = SD_SLA_POLICY_DEFAULT_DAILY_REPORT_MINUTES * 60;
  self->severity_change = SD_SEVERITY_CHANGE_RESTART;
}

SdSlaPolicy *
sd_sla_policy_new (SdTier tier)
{
  SdSlaPolicy *self = g_object_new (SD_TYPE_SLA_POLICY, NULL);

  self->tier = tier;
  return self;
}

SdSlaPolicy *
sd_sla_policy_new_msa_enterprise (void)
{
  SdSlaPolicy *self = sd_sla_policy_new (SD_TIER_MSA_ENTERPRISE);

  sd_sla_policy_set_target (self, 1, 30, SD_CLOCK_24X7);
  sd_sla_policy_set_target (self, 2, 4 * 60, SD_CLOCK_24X7);
  sd_sla_policy_set_target (self, 3, 6 * 60, SD_CLOCK_BUSINESS);
  sd_sla_policy_set_target (self, 4, 8 * 60, SD_CLOCK_BUSINESS);
  return self;
}

SdSlaPolicy *
sd_sla_policy_new_standard (void)
{
  SdSlaPolicy *self = sd_sla_policy_new (SD_TIER_STANDARD);

  sd_sla_policy_set_target (self, 1, 2 * 60, SD_CLOCK_24X7);
  sd_sla_policy_set_target (self, 2, 8 * 60, SD_CLOCK_BUSINESS);
  sd_sla_policy_set_target (self, 3, 16 * 60, SD_CLOCK_BUSINESS);
  sd_sla_policy_set_target (self, 4, 24 * 60, SD_CLOCK_BUSINESS);
  return self;
}

SdSlaPolicy *
sd_sla_policy_new_for_tier (SdTier tier)
{
  return tier == SD_TIER_MSA_ENTERPRISE ? sd_sla_policy_new_msa_enterprise ()
                                        : sd_sla_policy_new_standard ();
}

const char *
sd_sla_policy_get_id (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), NULL);
  return self->id ? self->id : sd_tier_to_string (self->tier);
}

guint32
sd_sla_policy_get_effective_from (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), 0);
  return self->effective_from;
}

void
sd_sla_policy_set_effective_from (SdSlaPolicy *self,
                                  guint32      julian)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  self->effective_from = julian;
}

const char *
sd_sla_policy_get_customer_id (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), NULL);
  return self->customer_id;
}

void
sd_sla_policy_set_customer_id (SdSlaPolicy *self,
                               const char  *customer_id)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  g_free (self->customer_id);
  self->customer_id = g_strdup (customer_id);
}

void
sd_sla_policy_make_id (SdSlaPolicy *self)
{
  g_autofree char *day = NULL;

  g_return_if_fail (SD_IS_SLA_POLICY (self));

  g_clear_pointer (&self->id, g_free);
  if (self->effective_from == 0 && self->customer_id == NULL)
    return;
  day = self->effective_from ? sd_date_format (self->effective_from) : g_strdup ("always");
  if (self->customer_id != NULL)
    self->id = g_strdup_printf ("customer:%s:%s", self->customer_id, day);
  else
    self->id = g_strdup_printf ("%s:%s", sd_tier_to_string (self->tier), day);
}

SdSlaPolicy *
sd_sla_policy_pick (GPtrArray  *policies,
                    const char *customer_id,
                    SdTier      tier,
                    guint32     day)
{
  SdSlaPolicy *override = NULL, *tier_policy = NULL;

  for (guint i = 0; policies != NULL && i < policies->len; i++)
    {
      SdSlaPolicy *policy = policies->pdata[i];
      SdSlaPolicy **best;

      if (policy->tier != tier || policy->effective_from > day)
        continue;
      if (policy->customer_id == NULL)
        best = &tier_policy;
      else if (g_strcmp0 (policy->customer_id, customer_id) == 0)
        best = &override;
      else
        continue;
      if (*best == NULL || policy->effective_from >= (*best)->effective_from)
        *best = policy;
    }
  if (override != NULL)
    return g_object_ref (override);
  if (tier_policy != NULL)
    return g_object_ref (tier_policy);
  return sd_sla_policy_new_for_tier (tier);
}

guint32
sd_sla_policy_day_of (gint64      unix_time,
                      const char *time_zone)
{
  g_autoptr(GTimeZone) named = time_zone ? g_time_zone_new_identifier (time_zone) : NULL;
  g_autoptr(GTimeZone) tz = named ? g_time_zone_ref (named) : g_time_zone_new_utc ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, tz) : NULL;
  g_autoptr(GDate) date = NULL;

  if (local == NULL)
    return 0;
  date = g_date_new_dmy (g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                         g_date_time_get_year (local));
  return g_date_get_julian (date);
}

SdTier
sd_sla_policy_get_tier (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), SD_TIER_STANDARD);
  return self->tier;
}

void
sd_sla_policy_set_target (SdSlaPolicy *self,
                          int          severity,
                          guint        minutes,
                          SdClockKind  clock)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  g_return_if_fail (sd_severity_is_valid (severity));
  g_return_if_fail (minutes >= 1 && minutes <= SD_SLA_POLICY_MAX_TARGET_MINUTES);
  g_return_if_fail (clock == SD_CLOCK_24X7 || clock == SD_CLOCK_BUSINESS);

  self->targets[severity - 1].seconds = (gint64) minutes * 60;
  self->targets[severity - 1].clock = clock;
}

guint
sd_sla_policy_get_target_minutes (SdSlaPolicy *self,
                                  int          severity)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), 0);
  g_return_val_if_fail (sd_severity_is_valid (severity), 0);
  return (guint) (self->targets[severity - 1].seconds / 60);
}

SdClockKind
sd_sla_policy_get_clock (SdSlaPolicy *self,
                         int          severity)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), SD_CLOCK_24X7);
  g_return_val_if_fail (sd_severity_is_valid (severity), SD_CLOCK_24X7);
  return self->targets[severity - 1].clock;
}

void
sd_sla_policy_set_warning_percent (SdSlaPolicy *self,
                                   guint        percent)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  g_return_if_fail (percent <= 100);
  self->warning_percent = percent;
}

guint
sd_sla_policy_get_warning_percent (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), 0);
  return self->warning_percent;
}

void
sd_sla_policy_set_pausing_status (SdSlaPolicy  *self,
                                  SdCaseStatus  status,
                                  gboolean      pausing)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  g_return_if_fail ((guint) status < SD_N_CASE_STATUSES);

  if (pausing)
    self->pausing_mask |= 1u << status;
  else
    self->pausing_mask &= ~(1u << status);
}

gboolean
sd_sla_policy_is_pausing_status (SdSlaPolicy  *self,
                                 SdCaseStatus  status)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), FALSE);
  if ((guint) status >= SD_N_CASE_STATUSES)
    return FALSE;
  return (self->pausing_mask & (1u << status)) != 0;
}

void
sd_sla_policy_set_pause_before_response (SdSlaPolicy *self,
                                         gboolean     pause)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  self->pause_before_response = !!pause;
}

gboolean
sd_sla_policy_get_pause_before_response (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), FALSE);
  return self->pause_before_response;
}

void
sd_sla_policy_set_daily_report_minutes (SdSlaPolicy *self,
                                        guint        minutes)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  g_return_if_fail (minutes >= 1 && minutes <= SD_SLA_POLICY_MAX_TARGET_MINUTES);
  self->daily_report_seconds = (gint64) minutes * 60;
}

guint
sd_sla_policy_get_daily_report_minutes (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), 0);
  return (guint) (self->daily_report_seconds / 60);
}

void
sd_sla_policy_set_severity_change (SdSlaPolicy          *self,
                                   SdSeverityChangeRule  rule)
{
  g_return_if_fail (SD_IS_SLA_POLICY (self));
  g_return_if_fail (sd_severity_change_rule_to_string (rule) != NULL);
  self->severity_change = rule;
}

SdSeverityChangeRule
sd_sla_policy_get_severity_change (SdSlaPolicy *self)
{
  g_return_val_if_fail (SD_IS_SLA_POLICY (self), SD_SEVERITY_CHANGE_RESTART);
  return self->severity_change;
}

JsonNode *
sd_sla_policy_to_json (SdSlaPolicy *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (SD_IS_SLA_POLICY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tier");
  json_builder_add_string_value (builder, sd_tier_to_string (self->tier));
  json_builder_set_member_name (builder, "targets");
  json_builder_begin_array (builder);
  for (int severity = SD_SEVERITY_MIN; severity <= SD_SEVERITY_MAX; severity++)
    {
      const SdSlaTarget *target = &self->targets[severity - 1];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "severity");
      json_builder_add_int_value (builder, severity);
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, target->seconds / 60);
      json_builder_set_member_name (builder, "clock");
      json_builder_add_string_value (builder, sd_clock_kind_to_string (target->clock));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "warning_percent");
  json_builder_add_int_value (builder, self->warning_percent);
  json_builder_set_member_name (builder, "pausing_statuses");
  json_builder_begin_array (builder);
  for (guint status = 0; status < SD_N_CASE_STATUSES; status++)
    if (self->pausing_mask & (1u << status))
      json_builder_add_string_value (builder, sd_case_status_to_string (status));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "pause_before_response");
  json_builder_add_boolean_value (builder, self->pause_before_response);
  json_builder_set_member_name (builder, "daily_report_minutes");
  json_builder_add_int_value (builder, self->daily_report_seconds / 60);
  json_builder_set_member_name (builder, "severity_change");
  json_builder_add_string_value (builder, sd_severity_change_rule_to_string (self->severity_change));
  /* Only versions and overrides say more: a tier's first policy reads as
   * before. */
  if (self->id != NULL)
    sd_json_builder_add_string_or_null (builder, "id", self->id);
  if (self->effective_from != 0)
    sd_json_builder_add_date (builder, "effective_from", self->effective_from);
  if (self->customer_id != NULL)
    sd_json_builder_add_string_or_null (builder, "customer_id", self->customer_id);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

SdSlaPolicy *
sd_sla_policy_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  static const char * const known[] = {
    "tier", "targets", "warning_percent", "pausing_statuses", "pause_before_response",
    "daily_report_minutes", "severity_change", "id", "effective_from", "customer_id", NULL
  };
  static const char * const target_known[] = { "severity", "minutes", "clock", NULL };
  const char *root = path ? path : "policy";
  g_autoptr(SdSlaPolicy) self = NULL;
  g_autofree char *targets_path = sd_json_path_join (root, "targets");
  JsonObject *object = sd_json_node_get_object (node, root, error);
  JsonArray *targets = NULL;
  JsonArray *pausing = NULL;
  gboolean seen[4] = { FALSE, };
  gint64 percent = SD_SLA_POLICY_DEFAULT_WARNING_PERCENT;
  gint64 daily = SD_SLA_POLICY_DEFAULT_DAILY_REPORT_MINUTES;
  gboolean pause_before_response = FALSE;
  int tier = SD_TIER_STANDARD;
  int severity_change = SD_SEVERITY_CHANGE_RESTART;

  if (object == NULL
      || !sd_json_check_fields (object, root, known, error)
      || !sd_json_get_enum (object, root, "tier", TRUE, SD_JSON_ENUM (sd_tier_from_string),
                            &tier, error)
      || !sd_json_get_array (object, root, "targets", TRUE, &targets, error)
      || !sd_json_get_int (object, root, "warning_percent", FALSE, 0, 100, &percent, error)
      || !sd_json_get_array (object, root, "pausing_statuses", FALSE, &pausing, error)
      || !sd_json_get_bool (object, root, "pause_before_response", FALSE, &pause_before_response, error)
      || !sd_json_get_int (object, root, "daily_report_minutes", FALSE, 1,
                           SD_SLA_POLICY_MAX_TARGET_MINUTES, &daily, error)
      || !sd_json_get_enum (object, root, "severity_change", FALSE,
                            SD_JSON_ENUM (sd_severity_change_rule_from_string), &severity_change, error))
    return NULL;

  self = sd_sla_policy_new (tier);
  self->severity_change = severity_change;
  {
    const char *id = NULL, *customer_id = NULL;

    if (!sd_json_get_id (object, root, "id", FALSE, &id, error)
        || !sd_json_get_date (object, root, "effective_from", FALSE, &self->effective_from, error)
        || !sd_json_get_id (object, root, "customer_id", FALSE, &customer_id, error))
      return NULL;
    self->id = g_strdup (id);
    self->customer_id = g_strdup (customer_id);
  }
  self->warning_percent = (guint) percent;
  self->daily_report_seconds = daily * 60;
  self->pause_before_response = pause_before_response;

  if (pausing != NULL)
    {
      g_autofree char *pausing_path = sd_json_path_join (root, "pausing_statuses");

      self->pausing_mask = 0;
      for (guint i = 0; i < json_array_get_length (pausing); i++)
        {
          JsonNode *item = json_array_get_element (pausing, i);
          g_autofree char *item_path = sd_json_path_index (pausing_path, i);
          SdCaseStatus status;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            {
              g_set_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE,
                           _("Field “%s”: expected a case status"), item_path);
              return NULL;
            }
          if (!sd_case_status_from_string (json_node_get_string (item), &status))
            {
              g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                           _("Field “%s”: unknown value “%s”"), item_path,
                           json_node_get_string (item));
              return NULL;
            }
          self->pausing_mask |= 1u << status;
        }
    }

  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      g_autofree char *item_path = sd_json_path_index (targets_path, i);
      JsonObject *target = sd_json_node_get_object (json_array_get_element (targets, i),
                                                    item_path, error);
      gint64 severity = 0, minutes = 0;
      int clock = SD_CLOCK_24X7;

      if (target == NULL
          || !sd_json_check_fields (target, item_path, target_known, error)
          || !sd_json_get_int (target, item_path, "severity", TRUE,
                               SD_SEVERITY_MIN, SD_SEVERITY_MAX, &severity, error)
          || !sd_json_get_int (target, item_path, "minutes", TRUE,
                               1, SD_SLA_POLICY_MAX_TARGET_MINUTES, &minutes, error)
          || !sd_json_get_enum (target, item_path, "clock", TRUE,
                                SD_JSON_ENUM (sd_clock_kind_from_string), &clock, error))
        return NULL;
      if (seen[severity - 1])
        {
          g_autofree char *full = sd_json_path_join (item_path, "severity");

          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: severity %d appears more than once"), full, (int) severity);
          return NULL;
        }
      seen[severity - 1] = TRUE;
      self->targets[severity - 1].seconds = minutes * 60;
      self->targets[severity - 1].clock = clock;
    }
  for (int severity = SD_SEVERITY_MIN; severity <= SD_SEVERITY_MAX; severity++)
    if (!seen[severity - 1])
      {
        g_set_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD,
                     _("Field “%s”: no target for severity %d"), targets_path, severity);
        return NULL;
      }

  return g_steal_pointer (&self);
}
