/* sd-private-patch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-private-patch"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-json.h"
#include "sd-model-private.h"
#include "sd-private-patch.h"

struct _SdPrivatePatch
{
  GObject           parent_instance;

  char             *product;
  char             *product_version;
  SdLifecycleStage  lifecycle_stage;
  char             *problem;
  char             *patch_id;
  guint32           delivered_on;
};

G_DEFINE_FINAL_TYPE (SdPrivatePatch, sd_private_patch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRODUCT,
  PROP_PRODUCT_VERSION,
  PROP_LIFECYCLE_STAGE,
  PROP_PROBLEM,
  PROP_PATCH_ID,
  PROP_DELIVERED_ON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const private_patch_fields[] = {
  "product", "product_version", "lifecycle_stage", "problem", "patch_id",
  "delivered_on", NULL
};

static void
sd_private_patch_finalize (GObject *object)
{
  SdPrivatePatch *self = (SdPrivatePatch *) object;

  g_clear_pointer (&self->product, g_free);
  g_clear_pointer (&self->product_version, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->patch_id, g_free);

  G_OBJECT_CLASS (sd_private_patch_parent_class)->finalize (object);
}

static void
sd_private_patch_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SdPrivatePatch *self = SD_PRIVATE_PATCH (object);

  switch (prop_id)
    {
    case PROP_PRODUCT:
      g_value_set_string (value, self->product);
      break;
    case PROP_PRODUCT_VERSION:
      g_value_set_string (value, self->product_version);
      break;
    case PROP_LIFECYCLE_STAGE:
      g_value_set_int (value, self->lifecycle_stage);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    case PROP_PATCH_ID:
      g_value_set_string (value, self->patch_id);
      break;
    case PROP_DELIVERED_ON:
      g_value_set_uint (value, self->delivered_on);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_private_patch_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SdPrivatePatch *self = SD_PRIVATE_PATCH (object);

  switch (prop_id)
    {
    case PROP_PRODUCT:
      sd_private_patch_set_product (self, g_value_get_string (value));
      break;
    case PROP_PRODUCT_VERSION:
      sd_private_patch_set_product_version (self, g_value_get_string (value));
      break;
    case PROP_LIFECYCLE_STAGE:
      sd_private_patch_set_lifecycle_stage (self, g_value_get_int (value));
      break;
    case PROP_PROBLEM:
      sd_private_patch_set_problem (self, g_value_get_string (value));
      break;
    case PROP_PATCH_ID:
      sd_private_patch_set_patch_id (self, g_value_get_string (value));
      break;
    case PROP_DELIVERED_ON:
      sd_private_patch_set_delivered_on (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_private_patch_class_init (SdPrivatePatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sd_private_patch_finalize;
  object_class->get_property = sd_private_patch_get_property;
  object_class->set_property = sd_private_patch_set_property;

  properties[PROP_PRODUCT] = g_param_spec_string ("product", NULL, NULL, NULL, flags);
  properties[PROP_PRODUCT_VERSION] =
    g_param_spec_string ("product-version", NULL, NULL, NULL, flags);
  properties[PROP_LIFECYCLE_STAGE] =
    g_param_spec_int ("lifecycle-stage", NULL, NULL,
                      SD_LIFECYCLE_FULL_SUPPORT, SD_LIFECYCLE_END_OF_LIFE,
                      SD_LIFECYCLE_FULL_SUPPORT, flags);
  properties[PROP_PROBLEM] = g_param_spec_string ("problem", NULL, NULL, NULL, flags);
  properties[PROP_PATCH_ID] = g_param_spec_string ("patch-id", NULL, NULL, NULL, flags);
  properties[PROP_DELIVERED_ON] =
    g_param_spec_uint ("delivered-on", NULL, NULL, 0, G_MAXUINT32, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_private_patch_init (SdPrivatePatch *self)
{
}

SdPrivatePatch *
sd_private_patch_new (void)
{
  return g_object_new (SD_TYPE_PRIVATE_PATCH, NULL);
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                                 \
  const char *                                                               \
  sd_private_patch_get_##field (SdPrivatePatch *self)                        \
  {                                                                          \
    g_return_val_if_fail (SD_IS_PRIVATE_PATCH (self), NULL);                 \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_private_patch_set_##field (SdPrivatePatch *self,                        \
                                const char     *value)                       \
  {                                                                          \
    g_return_if_fail (SD_IS_PRIVATE_PATCH (self));                           \
    if (_sd_set_str (&self->field, value))                                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);          \
  }

DEFINE_STRING_ACCESSORS (product, PROP_PRODUCT)
DEFINE_STRING_ACCESSORS (product_version, PROP_PRODUCT_VERSION)
DEFINE_STRING_ACCESSORS (problem, PROP_PROBLEM)
DEFINE_STRING_ACCESSORS (patch_id, PROP_PATCH_ID)

#undef DEFINE_STRING_ACCESSORS

SdLifecycleStage
sd_private_patch_get_lifecycle_stage (SdPrivatePatch *self)
{
  g_return_val_if_fail (SD_IS_PRIVATE_PATCH (self), SD_LIFECYCLE_FULL_SUPPORT);
  return self->lifecycle_stage;
}

void
sd_private_patch_set_lifecycle_stage (SdPrivatePatch   *self,
                                      SdLifecycleStage  stage)
{
  g_return_if_fail (SD_IS_PRIVATE_PATCH (self));
  g_return_if_fail (sd_lifecycle_stage_to_string (stage) != NULL);
  if (self->lifecycle_stage == stage)
    return;
  self->lifecycle_stage = stage;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIFECYCLE_STAGE]);
}

guint32
sd_private_patch_get_delivered_on (SdPrivatePatch *self)
{
  g_return_val_if_fail (SD_IS_PRIVATE_PATCH (self), 0);
  return self->delivered_on;
}

void
sd_private_patch_set_delivered_on (SdPrivatePatch *self,
                                   guint32         julian)
{
  g_return_if_fail (SD_IS_PRIVATE_PATCH (self));
  if (self->delivered_on == julian)
    return;
  self->delivered_on = julian;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELIVERED_ON]);
}

SdPrivatePatch *
sd_private_patch_from_json (JsonNode    *node,
                            const char  *path,
                            GError     **error)
{
  g_autoptr(SdPrivatePatch) self = NULL;
  JsonObject *object;
  const char *product = NULL;
  const char *product_version = NULL;
  const char *problem = NULL;
  const char *patch_id = NULL;
  int stage = 0;
  guint32 delivered_on = 0;

  if (path == NULL)
    path = "details";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, private_patch_fields, error)
      || !sd_json_get_text (object, path, "product", TRUE, &product, error)
      || !sd_json_get_text (object, path, "product_version", TRUE, &product_version, error)
      || !sd_json_get_enum (object, path, "lifecycle_stage", TRUE,
                            SD_JSON_ENUM (sd_lifecycle_stage_from_string), &stage, error)
      || !sd_json_get_text (object, path, "problem", TRUE, &problem, error)
      || !sd_json_get_date (object, path, "delivered_on", FALSE, &delivered_on, error)
      || !sd_json_get_id (object, path, "patch_id", delivered_on != 0, &patch_id, error))
    return NULL;

  self = g_object_new (SD_TYPE_PRIVATE_PATCH, NULL);
  self->product = g_strdup (product);
  self->product_version = g_strdup (product_version);
  self->lifecycle_stage = stage;
  self->problem = g_strdup (problem);
  self->patch_id = g_strdup (patch_id);
  self->delivered_on = delivered_on;

  return g_steal_pointer (&self);
}

JsonNode *
sd_private_patch_to_json (SdPrivatePatch *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_PRIVATE_PATCH (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "product", self->product);
  sd_json_builder_add_string_or_null (builder, "product_version", self->product_version);
  sd_json_builder_add_string_or_null (builder, "lifecycle_stage",
                                      sd_lifecycle_stage_to_string (self->lifecycle_stage));
  sd_json_builder_add_string_or_null (builder, "problem", self->problem);
  sd_json_builder_add_string_or_null (builder, "patch_id", self->patch_id);
  sd_json_builder_add_date (builder, "delivered_on", self->delivered_on);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
