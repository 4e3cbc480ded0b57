/* sd-sla-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sla"

#include "config.h"

#include "sd-json.h"
#include "sd-sla-ledger.h"
#include "sd-sla-record.h"
#include "sd-time.h"

struct _SdSlaRecord
{
  GObject  parent_instance;

  char    *case_id;
  char    *customer_id;
  GArray  *periods;
  gint64   version;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (SdSlaRecord, sd_sla_record, G_TYPE_OBJECT)

static void
sd_sla_record_finalize (GObject *object)
{
  SdSlaRecord *self = (SdSlaRecord *) object;

  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->periods, g_array_unref);

  G_OBJECT_CLASS (sd_sla_record_parent_class)->finalize (object);
}

static void
sd_sla_record_class_init (SdSlaRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_sla_record_finalize;
}

static void
sd_sla_record_init (SdSlaRecord *self)
{
  self->updated_at = SD_TIME_NONE;
}

SdSlaRecord *
sd_sla_record_new (const char *case_id,
                   const char *customer_id,
                   GArray     *periods)
{
  SdSlaRecord *self;

  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (periods != NULL, NULL);
  g_return_val_if_fail (g_array_get_element_size (periods) == sizeof (SdSlaPeriod), NULL);

  self = g_object_new (SD_TYPE_SLA_RECORD, NULL);
  self->case_id = g_strdup (case_id);
  self->customer_id = g_strdup (customer_id);
  self->periods = g_array_ref (periods);
  return self;
}

const char *
sd_sla_record_get_case_id (SdSlaRecord *self)
{
  g_return_val_if_fail (SD_IS_SLA_RECORD (self), NULL);
  return self->case_id;
}

const char *
sd_sla_record_get_customer_id (SdSlaRecord *self)
{
  g_return_val_if_fail (SD_IS_SLA_RECORD (self), NULL);
  return self->customer_id;
}

GArray *
sd_sla_record_get_periods (SdSlaRecord *self)
{
  g_return_val_if_fail (SD_IS_SLA_RECORD (self), NULL);
  return self->periods;
}

gint64
sd_sla_record_get_version (SdSlaRecord *self)
{
  g_return_val_if_fail (SD_IS_SLA_RECORD (self), 0);
  return self->version;
}

void
sd_sla_record_set_version (SdSlaRecord *self,
                           gint64       version)
{
  g_return_if_fail (SD_IS_SLA_RECORD (self));
  self->version = version;
}

gint64
sd_sla_record_get_updated_at (SdSlaRecord *self)
{
  g_return_val_if_fail (SD_IS_SLA_RECORD (self), SD_TIME_NONE);
  return self->updated_at;
}

void
sd_sla_record_set_updated_at (SdSlaRecord *self,
                              gint64       updated_at)
{
  g_return_if_fail (SD_IS_SLA_RECORD (self));
  self->updated_at = updated_at;
}

JsonNode *
sd_sla_record_to_json (SdSlaRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (SD_IS_SLA_RECORD (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->case_id);
  sd_json_builder_add_string_or_null (builder, "customer_id", self->customer_id);
  json_builder_set_member_name (builder, "periods");
  json_builder_add_value (builder, sd_sla_ledger_to_json (self->periods));
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

SdSlaRecord *
sd_sla_record_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  static const char * const known[] = {
    "id", "customer_id", "periods", "version", "updated_at", NULL
  };
  g_autofree char *periods_path = NULL;
  g_autoptr(GArray) periods = NULL;
  SdSlaRecord *self;
  JsonObject *object;
  const char *id = NULL;
  const char *customer_id = NULL;
  gint64 version = 0;
  gint64 updated_at = SD_TIME_NONE;

  if (path == NULL)
    path = "sla_record";
  periods_path = sd_json_path_join (path, "periods");

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, known, error)
      || !sd_json_get_uuid (object, path, "id", TRUE, &id, error)
      || !sd_json_get_id (object, path, "customer_id", TRUE, &customer_id, error)
      || !sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64, &version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &updated_at, error)
      || !(periods = sd_sla_ledger_from_json (json_object_get_member (object, "periods"),
                                              periods_path, error)))
    return NULL;

  self = sd_sla_record_new (id, customer_id, periods);
  self->version = version;
  self->updated_at = updated_at;
  return self;
}
