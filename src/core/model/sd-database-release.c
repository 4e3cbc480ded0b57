/* sd-database-release.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-database-release"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-database-release.h"
#include "sd-json.h"
#include "sd-model-private.h"

struct _SdDatabaseRelease
{
  GObject    parent_instance;

  char      *reason;
  char      *threat;
  SdUrgency  urgency;
  char      *database_version;
  gint64     released_at;
};

G_DEFINE_FINAL_TYPE (SdDatabaseRelease, sd_database_release, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REASON,
  PROP_THREAT,
  PROP_URGENCY,
  PROP_DATABASE_VERSION,
  PROP_RELEASED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const database_release_fields[] = {
  "reason", "threat", "urgency", "database_version", "released_at", NULL
};

static void
sd_database_release_finalize (GObject *object)
{
  SdDatabaseRelease *self = (SdDatabaseRelease *) object;

  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->threat, g_free);
  g_clear_pointer (&self->database_version, g_free);

  G_OBJECT_CLASS (sd_database_release_parent_class)->finalize (object);
}

static void
sd_database_release_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SdDatabaseRelease *self = SD_DATABASE_RELEASE (object);

  switch (prop_id)
    {
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_THREAT:
      g_value_set_string (value, self->threat);
      break;
    case PROP_URGENCY:
      g_value_set_int (value, self->urgency);
      break;
    case PROP_DATABASE_VERSION:
      g_value_set_string (value, self->database_version);
      break;
    case PROP_RELEASED_AT:
      g_value_set_int64 (value, self->released_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_database_release_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SdDatabaseRelease *self = SD_DATABASE_RELEASE (object);

  switch (prop_id)
    {
    case PROP_REASON:
      sd_database_release_set_reason (self, g_value_get_string (value));
      break;
    case PROP_THREAT:
      sd_database_release_set_threat (self, g_value_get_string (value));
      break;
    case PROP_URGENCY:
      sd_database_release_set_urgency (self, g_value_get_int (value));
      break;
    case PROP_DATABASE_VERSION:
      sd_database_release_set_database_version (self, g_value_get_string (value));
      break;
    case PROP_RELEASED_AT:
      sd_database_release_set_released_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_database_release_class_init (SdDatabaseReleaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sd_database_release_finalize;
  object_class->get_property = sd_database_release_get_property;
  object_class->set_property = sd_database_release_set_property;

  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_THREAT] = g_param_spec_string ("threat", NULL, NULL, NULL, flags);
  properties[PROP_URGENCY] =
    g_param_spec_int ("urgency", NULL, NULL,
                      SD_URGENCY_NORMAL, SD_URGENCY_CRITICAL, SD_URGENCY_NORMAL, flags);
  properties[PROP_DATABASE_VERSION] =
    g_param_spec_string ("database-version", NULL, NULL, NULL, flags);
  properties[PROP_RELEASED_AT] =
    g_param_spec_int64 ("released-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_database_release_init (SdDatabaseRelease *self)
{
  self->released_at = SD_TIME_NONE;
}

SdDatabaseRelease *
sd_database_release_new (void)
{
  return g_object_new (SD_TYPE_DATABASE_RELEASE, NULL);
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                                 \
  const char *                                                               \
  sd_database_release_get_##field (SdDatabaseRelease *self)                  \
  {                                                                          \
    g_return_val_if_fail (SD_IS_DATABASE_RELEASE (self), NULL);              \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_database_release_set_##field (SdDatabaseRelease *self,                  \
                                   const char        *value)                 \
  {                                                                          \
    g_return_if_fail (SD_IS_DATABASE_RELEASE (self));                        \
    if (_sd_set_str (&self->field, value))                                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);          \
  }

DEFINE_STRING_ACCESSORS (reason, PROP_REASON)
DEFINE_STRING_ACCESSORS (threat, PROP_THREAT)
DEFINE_STRING_ACCESSORS (database_version, PROP_DATABASE_VERSION)

#undef DEFINE_STRING_ACCESSORS

SdUrgency
sd_database_release_get_urgency (SdDatabaseRelease *self)
{
  g_return_val_if_fail (SD_IS_DATABASE_RELEASE (self), SD_URGENCY_NORMAL);
  return self->urgency;
}

void
sd_database_release_set_urgency (SdDatabaseRelease *self,
                                 SdUrgency          urgency)
{
  g_return_if_fail (SD_IS_DATABASE_RELEASE (self));
  g_return_if_fail (sd_urgency_to_string (urgency) != NULL);
  if (self->urgency == urgency)
    return;
  self->urgency = urgency;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URGENCY]);
}

gint64
sd_database_release_get_released_at (SdDatabaseRelease *self)
{
  g_return_val_if_fail (SD_IS_DATABASE_RELEASE (self), SD_TIME_NONE);
  return self->released_at;
}

void
sd_database_release_set_released_at (SdDatabaseRelease *self,
                                     gint64             released_at)
{
  g_return_if_fail (SD_IS_DATABASE_RELEASE (self));
  if (self->released_at == released_at)
    return;
  self->released_at = released_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RELEASED_AT]);
}

SdDatabaseRelease *
sd_database_release_from_json (JsonNode    *node,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(SdDatabaseRelease) self = NULL;
  JsonObject *object;
  const char *reason = NULL;
  const char *threat = NULL;
  const char *database_version = NULL;
  int urgency = 0;
  gint64 released_at = SD_TIME_NONE;

  if (path == NULL)
    path = "details";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, database_release_fields, error)
      || !sd_json_get_text (object, path, "reason", TRUE, &reason, error)
      || !sd_json_get_text (object, path, "threat", FALSE, &threat, error)
      || !sd_json_get_enum (object, path, "urgency", TRUE,
                            SD_JSON_ENUM (sd_urgency_from_string), &urgency, error)
      || !sd_json_get_time (object, path, "released_at", FALSE, &released_at, error)
      || !sd_json_get_text (object, path, "database_version", released_at != SD_TIME_NONE,
                            &database_version, error))
    return NULL;

  self = g_object_new (SD_TYPE_DATABASE_RELEASE, NULL);
  self->reason = g_strdup (reason);
  self->threat = g_strdup (threat);
  self->urgency = urgency;
  self->database_version = g_strdup (database_version);
  self->released_at = released_at;

  return g_steal_pointer (&self);
}

JsonNode *
sd_database_release_to_json (SdDatabaseRelease *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_DATABASE_RELEASE (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "reason", self->reason);
  sd_json_builder_add_string_or_null (builder, "threat", self->threat);
  sd_json_builder_add_string_or_null (builder, "urgency", sd_urgency_to_string (self->urgency));
  sd_json_builder_add_string_or_null (builder, "database_version", self->database_version);
  sd_json_builder_add_time (builder, "released_at", self->released_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
