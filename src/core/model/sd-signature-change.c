/* sd-signature-change.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-signature-change"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-json.h"
#include "sd-model-private.h"
#include "sd-signature-change.h"

struct _SdSignatureChange
{
  GObject             parent_instance;

  SdRequestedChange   requested_change;
  char               *object_ref;
  char               *hash;
  char               *detection_name;
  SdSignatureOutcome  outcome;
  char               *database_version;
};

G_DEFINE_FINAL_TYPE (SdSignatureChange, sd_signature_change, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REQUESTED_CHANGE,
  PROP_OBJECT_REF,
  PROP_HASH,
  PROP_DETECTION_NAME,
  PROP_OUTCOME,
  PROP_DATABASE_VERSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const signature_change_fields[] = {
  "requested_change", "object_ref", "hash", "detection_name", "outcome",
  "database_version", NULL
};

static void
sd_signature_change_finalize (GObject *object)
{
  SdSignatureChange *self = (SdSignatureChange *) object;

  g_clear_pointer (&self->object_ref, g_free);
  g_clear_pointer (&self->hash, g_free);
  g_clear_pointer (&self->detection_name, g_free);
  g_clear_pointer (&self->database_version, g_free);

  G_OBJECT_CLASS (sd_signature_change_parent_class)->finalize (object);
}

static void
sd_signature_change_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SdSignatureChange *self = SD_SIGNATURE_CHANGE (object);

  switch (prop_id)
    {
    case PROP_REQUESTED_CHANGE:
      g_value_set_int (value, self->requested_change);
      break;
    case PROP_OBJECT_REF:
      g_value_set_string (value, self->object_ref);
      break;
    case PROP_HASH:
      g_value_set_string (value, self->hash);
      break;
    case PROP_DETECTION_NAME:
      g_value_set_string (value, self->detection_name);
      break;
    case PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;
    case PROP_DATABASE_VERSION:
      g_value_set_string (value, self->database_version);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_signature_change_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SdSignatureChange *self = SD_SIGNATURE_CHANGE (object);

  switch (prop_id)
    {
    case PROP_REQUESTED_CHANGE:
      sd_signature_change_set_requested_change (self, g_value_get_int (value));
      break;
    case PROP_OBJECT_REF:
      sd_signature_change_set_object_ref (self, g_value_get_string (value));
      break;
    case PROP_HASH:
      sd_signature_change_set_hash (self, g_value_get_string (value));
      break;
    case PROP_DETECTION_NAME:
      sd_signature_change_set_detection_name (self, g_value_get_string (value));
      break;
    case PROP_OUTCOME:
      sd_signature_change_set_outcome (self, g_value_get_int (value));
      break;
    case PROP_DATABASE_VERSION:
      sd_signature_change_set_database_version (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_signature_change_class_init (SdSignatureChangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sd_signature_change_finalize;
  object_class->get_property = sd_signature_change_get_property;
  object_class->set_property = sd_signature_change_set_property;

  properties[PROP_REQUESTED_CHANGE] =
    g_param_spec_int ("requested-change", NULL, NULL,
                      SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE, SD_REQUESTED_CHANGE_ADD_DETECTION,
                      SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE, flags);
  properties[PROP_OBJECT_REF] = g_param_spec_string ("object-ref", NULL, NULL, NULL, flags);
  properties[PROP_HASH] = g_param_spec_string ("hash", NULL, NULL, NULL, flags);
  properties[PROP_DETECTION_NAME] =
    g_param_spec_string ("detection-name", NULL, NULL, NULL, flags);
  properties[PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL,
                      SD_SIGNATURE_OUTCOME_PENDING, SD_SIGNATURE_OUTCOME_DECLINED,
                      SD_SIGNATURE_OUTCOME_PENDING, flags);
  properties[PROP_DATABASE_VERSION] =
    g_param_spec_string ("database-version", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_signature_change_init (SdSignatureChange *self)
{
}

SdSignatureChange *
sd_signature_change_new (SdRequestedChange requested_change)
{
  return g_object_new (SD_TYPE_SIGNATURE_CHANGE, "requested-change", requested_change, NULL);
}

gboolean
sd_signature_change_hash_is_valid (const char *hash)
{
  static const struct { const char *prefix; gsize digits; } algorithms[] = {
    { "md5:", 32 }, { "sha1:", 40 }, { "sha256:", 64 },
  };

  if (hash == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    {
      const char *hex;
      gsize n = 0;

      if (!g_str_has_prefix (hash, algorithms[i].prefix))
        continue;
      hex = hash + strlen (algorithms[i].prefix);
      for (; g_ascii_isdigit (hex[n]) || (hex[n] >= 'a' && hex[n] <= 'f'); n++)
        ;
      return hex[n] == '\0' && n == algorithms[i].digits;
    }
  return FALSE;
}

SdRequestedChange
sd_signature_change_get_requested_change (SdSignatureChange *self)
{
  g_return_val_if_fail (SD_IS_SIGNATURE_CHANGE (self), SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE);
  return self->requested_change;
}

void
sd_signature_change_set_requested_change (SdSignatureChange *self,
                                          SdRequestedChange  requested_change)
{
  g_return_if_fail (SD_IS_SIGNATURE_CHANGE (self));
  g_return_if_fail (sd_requested_change_to_string (requested_change) != NULL);
  if (self->requested_change == requested_change)
    return;
  self->requested_change = requested_change;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTED_CHANGE]);
}

SdSignatureOutcome
sd_signature_change_get_outcome (SdSignatureChange *self)
{
  g_return_val_if_fail (SD_IS_SIGNATURE_CHANGE (self), SD_SIGNATURE_OUTCOME_PENDING);
  return self->outcome;
}

void
sd_signature_change_set_outcome (SdSignatureChange  *self,
                                 SdSignatureOutcome  outcome)
{
  g_return_if_fail (SD_IS_SIGNATURE_CHANGE (self));
  g_return_if_fail (sd_signature_outcome_to_string (outcome) != NULL);
  if (self->outcome == outcome)
    return;
  self->outcome = outcome;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                                 \
  const char *                                                               \
  sd_signature_change_get_##field (SdSignatureChange *self)                  \
  {                                                                          \
    g_return_val_if_fail (SD_IS_SIGNATURE_CHANGE (self), NULL);              \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_signature_change_set_##field (SdSignatureChange *self,                  \
                                   const char        *value)                 \
  {                                                                          \
    g_return_if_fail (SD_IS_SIGNATURE_CHANGE (self));                        \
    if (_sd_set_str (&self->field, value))                                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);          \
  }

DEFINE_STRING_ACCESSORS (object_ref, PROP_OBJECT_REF)
DEFINE_STRING_ACCESSORS (hash, PROP_HASH)
DEFINE_STRING_ACCESSORS (detection_name, PROP_DETECTION_NAME)
DEFINE_STRING_ACCESSORS (database_version, PROP_DATABASE_VERSION)

#undef DEFINE_STRING_ACCESSORS

SdSignatureChange *
sd_signature_change_from_json (JsonNode    *node,
                               const char  *path,
                               GError     **error)
{
  g_autoptr(SdSignatureChange) self = NULL;
  JsonObject *object;
  const char *object_ref = NULL;
  const char *hash = NULL;
  const char *detection_name = NULL;
  const char *database_version = NULL;
  int requested_change = 0;
  int outcome = SD_SIGNATURE_OUTCOME_PENDING;

  if (path == NULL)
    path = "details";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, signature_change_fields, error)
      || !sd_json_get_enum (object, path, "requested_change", TRUE,
                            SD_JSON_ENUM (sd_requested_change_from_string),
                            &requested_change, error)
      || !sd_json_get_text (object, path, "object_ref", FALSE, &object_ref, error)
      || !sd_json_get_string (object, path, "hash", FALSE, &hash, error))
    return NULL;

  if (hash != NULL && !sd_signature_change_hash_is_valid (hash))
    {
      sd_json_set_invalid (error, path, "hash",
                           _("“%s” is not “md5:”, “sha1:” or “sha256:” and lower-case hex digits"),
                           hash);
      return NULL;
    }
  if (hash == NULL && object_ref == NULL)
    {
      g_autofree char *full = sd_json_path_join (path, "object_ref");

      g_set_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD,
                   _("Field “%s” is missing (give the object or its hash)"), full);
      return NULL;
    }

  if (!sd_json_get_text (object, path, "detection_name",
                         requested_change == SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE,
                         &detection_name, error)
      || !sd_json_get_enum (object, path, "outcome", FALSE,
                            SD_JSON_ENUM (sd_signature_outcome_from_string), &outcome, error)
      || !sd_json_get_text (object, path, "database_version",
                            outcome == SD_SIGNATURE_OUTCOME_RELEASED,
                            &database_version, error))
    return NULL;

  self = g_object_new (SD_TYPE_SIGNATURE_CHANGE, NULL);
  self->requested_change = requested_change;
  self->object_ref = g_strdup (object_ref);
  self->hash = g_strdup (hash);
  self->detection_name = g_strdup (detection_name);
  self->outcome = outcome;
  self->database_version = g_strdup (database_version);

  return g_steal_pointer (&self);
}

JsonNode *
sd_signature_change_to_json (SdSignatureChange *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_SIGNATURE_CHANGE (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "requested_change",
                                      sd_requested_change_to_string (self->requested_change));
  sd_json_builder_add_string_or_null (builder, "object_ref", self->object_ref);
  sd_json_builder_add_string_or_null (builder, "hash", self->hash);
  sd_json_builder_add_string_or_null (builder, "detection_name", self->detection_name);
  sd_json_builder_add_string_or_null (builder, "outcome",
                                      sd_signature_outcome_to_string (self->outcome));
  sd_json_builder_add_string_or_null (builder, "database_version", self->database_version);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
