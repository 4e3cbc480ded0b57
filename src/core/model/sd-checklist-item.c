/* sd-checklist-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-checklist-item"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-checklist-item.h"
#include "sd-json.h"
#include "sd-model-private.h"

struct _SdChecklistItem
{
  GObject        parent_instance;

  char          *key;
  char          *area;
  char          *title;
  char          *rationale;
  char          *expected;
  char          *observed;
  SdCheckResult  result;
  char          *recommendation;
  guint          weight;
};

G_DEFINE_FINAL_TYPE (SdChecklistItem, sd_checklist_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_AREA,
  PROP_TITLE,
  PROP_RATIONALE,
  PROP_EXPECTED,
  PROP_OBSERVED,
  PROP_RESULT,
  PROP_RECOMMENDATION,
  PROP_WEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const item_fields[] = {
  "key", "area", "title", "rationale", "expected", "observed", "result",
  "recommendation", "weight", NULL
};

static void
sd_checklist_item_finalize (GObject *object)
{
  SdChecklistItem *self = (SdChecklistItem *) object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->area, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->rationale, g_free);
  g_clear_pointer (&self->expected, g_free);
  g_clear_pointer (&self->observed, g_free);
  g_clear_pointer (&self->recommendation, g_free);

  G_OBJECT_CLASS (sd_checklist_item_parent_class)->finalize (object);
}

static void
sd_checklist_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SdChecklistItem *self = SD_CHECKLIST_ITEM (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    case PROP_AREA:
      g_value_set_string (value, self->area);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_RATIONALE:
      g_value_set_string (value, self->rationale);
      break;
    case PROP_EXPECTED:
      g_value_set_string (value, self->expected);
      break;
    case PROP_OBSERVED:
      g_value_set_string (value, self->observed);
      break;
    case PROP_RESULT:
      g_value_set_int (value, self->result);
      break;
    case PROP_RECOMMENDATION:
      g_value_set_string (value, self->recommendation);
      break;
    case PROP_WEIGHT:
      g_value_set_uint (value, self->weight);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_checklist_item_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SdChecklistItem *self = SD_CHECKLIST_ITEM (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_free (self->key);
      self->key = g_value_dup_string (value);
      break;
    case PROP_AREA:
      sd_checklist_item_set_area (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      sd_checklist_item_set_title (self, g_value_get_string (value));
      break;
    case PROP_RATIONALE:
      sd_checklist_item_set_rationale (self, g_value_get_string (value));
      break;
    case PROP_EXPECTED:
      sd_checklist_item_set_expected (self, g_value_get_string (value));
      break;
    case PROP_OBSERVED:
      sd_checklist_item_set_observed (self, g_value_get_string (value));
      break;
    case PROP_RESULT:
      sd_checklist_item_set_result (self, g_value_get_int (value));
      break;
    case PROP_RECOMMENDATION:
      sd_checklist_item_set_recommendation (self, g_value_get_string (value));
      break;
    case PROP_WEIGHT:
      sd_checklist_item_set_weight (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_checklist_item_class_init (SdChecklistItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sd_checklist_item_finalize;
  object_class->get_property = sd_checklist_item_get_property;
  object_class->set_property = sd_checklist_item_set_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AREA] = g_param_spec_string ("area", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_RATIONALE] = g_param_spec_string ("rationale", NULL, NULL, NULL, flags);
  properties[PROP_EXPECTED] = g_param_spec_string ("expected", NULL, NULL, NULL, flags);
  properties[PROP_OBSERVED] = g_param_spec_string ("observed", NULL, NULL, NULL, flags);
  properties[PROP_RESULT] =
    g_param_spec_int ("result", NULL, NULL,
                      SD_CHECK_RESULT_NOT_CHECKED, SD_CHECK_RESULT_NOT_APPLICABLE,
                      SD_CHECK_RESULT_NOT_CHECKED, flags);
  properties[PROP_RECOMMENDATION] =
    g_param_spec_string ("recommendation", NULL, NULL, NULL, flags);
  properties[PROP_WEIGHT] =
    g_param_spec_uint ("weight", NULL, NULL,
                       SD_CHECKLIST_WEIGHT_MIN, SD_CHECKLIST_WEIGHT_MAX, 1, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_checklist_item_init (SdChecklistItem *self)
{
  self->weight = 1;
}

SdChecklistItem *
sd_checklist_item_new (const char *key)
{
  g_return_val_if_fail (sd_checklist_item_key_is_valid (key), NULL);

  return g_object_new (SD_TYPE_CHECKLIST_ITEM, "key", key, NULL);
}

gboolean
sd_checklist_item_key_is_valid (const char *key)
{
  guint letters = 0;
  guint digits = 0;
  const char *p;

  if (key == NULL)
    return FALSE;
  for (p = key; g_ascii_isupper (*p); p++)
    letters++;
  if (*p++ != '-')
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    digits++;
  return *p == '\0' && letters >= 2 && letters <= 8 && digits >= 2 && digits <= 4;
}

const char *
sd_checklist_item_get_key (SdChecklistItem *self)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_ITEM (self), NULL);
  return self->key;
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                                 \
  const char *                                                               \
  sd_checklist_item_get_##field (SdChecklistItem *self)                      \
  {                                                                          \
    g_return_val_if_fail (SD_IS_CHECKLIST_ITEM (self), NULL);                \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_checklist_item_set_##field (SdChecklistItem *self,                      \
                                 const char      *value)                     \
  {                                                                          \
    g_return_if_fail (SD_IS_CHECKLIST_ITEM (self));                          \
    if (_sd_set_str (&self->field, value))                                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);          \
  }

DEFINE_STRING_ACCESSORS (area, PROP_AREA)
DEFINE_STRING_ACCESSORS (title, PROP_TITLE)
DEFINE_STRING_ACCESSORS (rationale, PROP_RATIONALE)
DEFINE_STRING_ACCESSORS (expected, PROP_EXPECTED)
DEFINE_STRING_ACCESSORS (observed, PROP_OBSERVED)
DEFINE_STRING_ACCESSORS (recommendation, PROP_RECOMMENDATION)

#undef DEFINE_STRING_ACCESSORS

SdCheckResult
sd_checklist_item_get_result (SdChecklistItem *self)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_ITEM (self), SD_CHECK_RESULT_NOT_CHECKED);
  return self->result;
}

void
sd_checklist_item_set_result (SdChecklistItem *self,
                              SdCheckResult    result)
{
  g_return_if_fail (SD_IS_CHECKLIST_ITEM (self));
  g_return_if_fail (sd_check_result_to_string (result) != NULL);
  if (self->result == result)
    return;
  self->result = result;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

guint
sd_checklist_item_get_weight (SdChecklistItem *self)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_ITEM (self), 1);
  return self->weight;
}

void
sd_checklist_item_set_weight (SdChecklistItem *self,
                              guint            weight)
{
  g_return_if_fail (SD_IS_CHECKLIST_ITEM (self));
  g_return_if_fail (weight >= SD_CHECKLIST_WEIGHT_MIN && weight <= SD_CHECKLIST_WEIGHT_MAX);
  if (self->weight == weight)
    return;
  self->weight = weight;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WEIGHT]);
}

SdChecklistItem *
sd_checklist_item_from_json (JsonNode    *node,
                             const char  *path,
                             GError     **error)
{
  g_autoptr(SdChecklistItem) self = NULL;
  JsonObject *object;
  const char *key = NULL;
  const char *area = NULL;
  const char *title = NULL;
  const char *rationale = NULL;
  const char *expected = NULL;
  const char *observed = NULL;
  const char *recommendation = NULL;
  int result = SD_CHECK_RESULT_NOT_CHECKED;
  gint64 weight = 1;

  if (path == NULL)
    path = "checklist_item";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, item_fields, error)
      || !sd_json_get_string (object, path, "key", TRUE, &key, error))
    return NULL;

  if (!sd_checklist_item_key_is_valid (key))
    {
      sd_json_set_invalid (error, path, "key",
                           _("“%s” is not a checklist key such as “UPD-03”"), key);
      return NULL;
    }

  if (!sd_json_get_text (object, path, "area", TRUE, &area, error)
      || !sd_json_get_text (object, path, "title", TRUE, &title, error)
      || !sd_json_get_string (object, path, "rationale", FALSE, &rationale, error)
      || !sd_json_get_text (object, path, "expected", TRUE, &expected, error)
      || !sd_json_get_string (object, path, "observed", FALSE, &observed, error)
      || !sd_json_get_enum (object, path, "result", TRUE,
                            SD_JSON_ENUM (sd_check_result_from_string), &result, error)
      || !sd_json_get_string (object, path, "recommendation", FALSE, &recommendation, error)
      || !sd_json_get_int (object, path, "weight", FALSE,
                           SD_CHECKLIST_WEIGHT_MIN, SD_CHECKLIST_WEIGHT_MAX, &weight, error))
    return NULL;

  self = g_object_new (SD_TYPE_CHECKLIST_ITEM, "key", key, NULL);
  self->area = g_strdup (area);
  self->title = g_strdup (title);
  self->rationale = g_strdup (rationale);
  self->expected = g_strdup (expected);
  self->observed = g_strdup (observed);
  self->result = result;
  self->recommendation = g_strdup (recommendation);
  self->weight = (guint) weight;

  return g_steal_pointer (&self);
}

JsonNode *
sd_checklist_item_to_json (SdChecklistItem *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_CHECKLIST_ITEM (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "key", self->key);
  sd_json_builder_add_string_or_null (builder, "area", self->area);
  sd_json_builder_add_string_or_null (builder, "title", self->title);
  sd_json_builder_add_string_or_null (builder, "rationale", self->rationale);
  sd_json_builder_add_string_or_null (builder, "expected", self->expected);
  sd_json_builder_add_string_or_null (builder, "observed", self->observed);
  sd_json_builder_add_string_or_null (builder, "result", sd_check_result_to_string (self->result));
  sd_json_builder_add_string_or_null (builder, "recommendation", self->recommendation);
  json_builder_set_member_name (builder, "weight");
  json_builder_add_int_value (builder, self->weight);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
