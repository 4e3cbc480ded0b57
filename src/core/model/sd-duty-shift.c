/* sd-duty-shift.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-duty-shift"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-duty-shift.h"
#include "sd-json.h"
#include "sd-time.h"

#define MAX_SHIFT_SECONDS (31 * 24 * 3600)

struct _SdDutyShift
{
  GObject  parent_instance;

  char    *id;
  char    *duty_manager_id;
  gint64   start;
  gint64   end;
  gint64   version;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (SdDutyShift, sd_duty_shift, G_TYPE_OBJECT)

static const char * const shift_fields[] = {
  "id", "duty_manager_id", "start", "end", "version", "updated_at", NULL
};

static void
sd_duty_shift_finalize (GObject *object)
{
  SdDutyShift *self = (SdDutyShift *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->duty_manager_id, g_free);

  G_OBJECT_CLASS (sd_duty_shift_parent_class)->finalize (object);
}

static void
sd_duty_shift_class_init (SdDutyShiftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_duty_shift_finalize;
}

static void
sd_duty_shift_init (SdDutyShift *self)
{
  self->updated_at = SD_TIME_NONE;
}

SdDutyShift *
sd_duty_shift_new (const char *id,
                   const char *duty_manager_id,
                   gint64      start,
                   gint64      end)
{
  SdDutyShift *self = g_object_new (SD_TYPE_DUTY_SHIFT, NULL);

  self->id = g_strdup (id);
  self->duty_manager_id = g_strdup (duty_manager_id);
  self->start = start;
  self->end = end;
  return self;
}

const char *
sd_duty_shift_get_id (SdDutyShift *self)
{
  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), NULL);
  return self->id;
}

const char *
sd_duty_shift_get_duty_manager_id (SdDutyShift *self)
{
  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), NULL);
  return self->duty_manager_id;
}

gint64
sd_duty_shift_get_start (SdDutyShift *self)
{
  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), SD_TIME_NONE);
  return self->start;
}

gint64
sd_duty_shift_get_end (SdDutyShift *self)
{
  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), SD_TIME_NONE);
  return self->end;
}

gboolean
sd_duty_shift_covers (SdDutyShift *self,
                      gint64       t)
{
  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), FALSE);
  return self->start <= t && t < self->end;
}

gint64
sd_duty_shift_get_version (SdDutyShift *self)
{
  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), 0);
  return self->version;
}

void
sd_duty_shift_set_version (SdDutyShift *self,
                           gint64       version)
{
  g_return_if_fail (SD_IS_DUTY_SHIFT (self));
  self->version = version;
}

gint64
sd_duty_shift_get_updated_at (SdDutyShift *self)
{
  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), SD_TIME_NONE);
  return self->updated_at;
}

void
sd_duty_shift_set_updated_at (SdDutyShift *self,
                              gint64       updated_at)
{
  g_return_if_fail (SD_IS_DUTY_SHIFT (self));
  self->updated_at = updated_at;
}

SdDutyShift *
sd_duty_shift_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(SdDutyShift) self = NULL;
  JsonObject *object;
  const char *id = NULL, *duty_manager_id = NULL;
  gint64 start = SD_TIME_NONE, end = SD_TIME_NONE;

  if (path == NULL)
    path = "duty_shift";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, shift_fields, error)
      || !sd_json_get_id (object, path, "id", TRUE, &id, error)
      || !sd_json_get_id (object, path, "duty_manager_id", TRUE, &duty_manager_id, error)
      || !sd_json_get_time (object, path, "start", TRUE, &start, error)
      || !sd_json_get_time (object, path, "end", TRUE, &end, error))
    return NULL;

  if (end <= start)
    {
      sd_json_set_invalid (error, path, "end", _("A duty shift must end after it starts"));
      return NULL;
    }
  if (end - start > MAX_SHIFT_SECONDS)
    {
      sd_json_set_invalid (error, path, "end", _("A duty shift lasts at most 31 days"));
      return NULL;
    }

  self = sd_duty_shift_new (id, duty_manager_id, start, end);
  if (!sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64, &self->version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &self->updated_at, error))
    return NULL;
  return g_steal_pointer (&self);
}

JsonNode *
sd_duty_shift_to_json (SdDutyShift *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_DUTY_SHIFT (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "duty_manager_id", self->duty_manager_id);
  sd_json_builder_add_time (builder, "start", self->start);
  sd_json_builder_add_time (builder, "end", self->end);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
