/* sd-checklist-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-checklist-template"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-checklist-template.h"
#include "sd-json.h"

#define BUILTIN_RESOURCE_DIR "/org/example/SupportDesk/checklists/"

static const char * const languages[] = { "en", "zh_CN", NULL };
#define N_LANGUAGES 2

/* One text in every language; text[0] (English) is always set. */
typedef struct {
  char *text[N_LANGUAGES];
} Text;

typedef enum {
  FIELD_AREA,
  FIELD_TITLE,
  FIELD_RATIONALE,
  FIELD_EXPECTED,
  FIELD_RECOMMENDATION,
  N_FIELDS
} Field;

static const struct {
  const char *name;
  gboolean    required;
} fields[N_FIELDS] = {
  { "area", TRUE },
  { "title", TRUE },
  { "rationale", FALSE },
  { "expected", TRUE },
  { "recommendation", FALSE },
};

typedef struct {
  char  *key;
  Text   text[N_FIELDS];
  guint  weight;
} TemplateItem;

struct _SdChecklistTemplate
{
  GObject  parent_instance;

  char    *id;
  guint    version;
  Text     title;
  GArray  *items;   /* owned, of TemplateItem */
};

G_DEFINE_FINAL_TYPE (SdChecklistTemplate, sd_checklist_template, G_TYPE_OBJECT)

static const char * const template_fields[] = { "id", "version", "title", "items", NULL };
static const char * const item_fields[] = {
  "key", "area", "title", "rationale", "expected", "recommendation", "weight", NULL
};

static void
text_clear (Text *text)
{
  for (guint i = 0; i < N_LANGUAGES; i++)
    g_clear_pointer (&text->text[i], g_free);
}

static void
template_item_clear (TemplateItem *item)
{
  g_clear_pointer (&item->key, g_free);
  for (guint i = 0; i < N_FIELDS; i++)
    text_clear (&item->text[i]);
}

static int
language_index (const char *language)
{
  for (guint i = 0; i < N_LANGUAGES; i++)
    if (g_strcmp0 (language, languages[i]) == 0)
      return i;
  return 0;
}

static const char *
text_get (const Text *text,
          const char *language)
{
  const char *value = text->text[language_index (language)];

  return value != NULL ? value : text->text[0];
}

/* Reads @field of @object: a text, or an object with a text per language
 * ("en" required). Leaves @out empty when optional and absent. */
static gboolean
read_text (JsonObject  *object,
           const char  *path,
           const char  *field,
           gboolean     required,
           Text        *out,
           GError     **error)
{
  g_autofree char *text_path = NULL;
  JsonNode *member = json_object_get_member (object, field);
  JsonObject *by_language;

  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      const char *value = NULL;

      if (!sd_json_get_text (object, path, field, required, &value, error))
        return FALSE;
      out->text[0] = g_strdup (value);
      return TRUE;
    }

  text_path = sd_json_path_join (path, field);
  by_language = json_node_get_object (member);
  if (!sd_json_check_fields (by_language, text_path, languages, error))
    return FALSE;
  for (guint i = 0; i < N_LANGUAGES; i++)
    {
      const char *value = NULL;

      if (!sd_json_get_text (by_language, text_path, languages[i], i == 0, &value, error))
        return FALSE;
      out->text[i] = g_strdup (value);
    }
  return TRUE;
}

static void
add_text (JsonBuilder *builder,
          const char  *field,
          const Text  *text)
{
  json_builder_set_member_name (builder, field);
  if (text->text[0] == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  for (guint i = 0; i < N_LANGUAGES; i++)
    if (text->text[i] != NULL)
      {
        json_builder_set_member_name (builder, languages[i]);
        json_builder_add_string_value (builder, text->text[i]);
      }
  json_builder_end_object (builder);
}

static void
sd_checklist_template_finalize (GObject *object)
{
  SdChecklistTemplate *self = (SdChecklistTemplate *) object;

  g_clear_pointer (&self->id, g_free);
  text_clear (&self->title);
  g_clear_pointer (&self->items, g_array_unref);

  G_OBJECT_CLASS (sd_checklist_template_parent_class)->finalize (object);
}

static void
sd_checklist_template_class_init (SdChecklistTemplateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_checklist_template_finalize;
}

static void
sd_checklist_template_init (SdChecklistTemplate *self)
{
  self->items = g_array_new (FALSE, TRUE, sizeof (TemplateItem));
  g_array_set_clear_func (self->items, (GDestroyNotify) template_item_clear);
}

gboolean
sd_checklist_language_is_known (const char *language)
{
  return language != NULL && g_strv_contains (languages, language);
}

const char *
sd_checklist_language_from_locale (const char *locale)
{
  if (locale == NULL)
    return "en";
  while (*locale == ' ')
    locale++;
  /* The first preference decides: "zh_CN.UTF-8", "zh-CN,en;q=0.5", "zh_CN:en". */
  if (g_ascii_strncasecmp (locale, "zh", 2) == 0
      && (locale[2] == '\0' || locale[2] == '_' || locale[2] == '-' || locale[2] == ','
          || locale[2] == ':' || locale[2] == ';' || locale[2] == '.'))
    {
      /* Traditional Chinese is not Simplified Chinese. */
      if (g_ascii_strncasecmp (locale + 2, "_TW", 3) == 0 || g_ascii_strncasecmp (locale + 2, "-TW", 3) == 0
          || g_ascii_strncasecmp (locale + 2, "_HK", 3) == 0 || g_ascii_strncasecmp (locale + 2, "-HK", 3) == 0
          || g_ascii_strncasecmp (locale + 2, "-Hant", 5) == 0)
        return "en";
      return "zh_CN";
    }
  return "en";
}

static SdChecklistTemplate *
load_builtin (const char  *id,
              GError     **error)
{
  g_autofree char *resource = g_strconcat (BUILTIN_RESOURCE_DIR, id, ".json", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  SdChecklistTemplate *self;
  gsize size;
  const char *data;

  if (!sd_json_id_is_valid (id)
      || !(bytes = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL)))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("There is no built-in checklist template “%s”"), id);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  root = sd_json_parse (data, size, &local_error);
  self = root ? sd_checklist_template_from_json (root, NULL, &local_error) : NULL;
  if (self == NULL)
    g_error ("Built-in checklist template %s invalid: %s", id, local_error->message);
  return self;
}

SdChecklistTemplate *
sd_checklist_template_new_builtin (const char  *id,
                                   GError     **error)
{
  static SdChecklistTemplate *endpoint_security;

  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_equal (id, SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY))
    {
      if (g_once_init_enter (&endpoint_security))
        g_once_init_leave (&endpoint_security, load_builtin (id, NULL));
      return g_object_ref (endpoint_security);
    }
  return load_builtin (id, error);
}

const char *
sd_checklist_template_get_id (SdChecklistTemplate *self)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), NULL);
  return self->id;
}

guint
sd_checklist_template_get_version (SdChecklistTemplate *self)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), 0);
  return self->version;
}

const char *
sd_checklist_template_get_title (SdChecklistTemplate *self,
                                 const char          *language)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), NULL);
  return text_get (&self->title, language);
}

guint
sd_checklist_template_get_n_items (SdChecklistTemplate *self)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), 0);
  return self->items->len;
}

const char *
sd_checklist_template_get_item_key (SdChecklistTemplate *self,
                                    guint                position)
{
  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), NULL);
  g_return_val_if_fail (position < self->items->len, NULL);
  return g_array_index (self->items, TemplateItem, position).key;
}

static void
item_set_field (SdChecklistItem *item,
                Field            field,
                const char      *value)
{
  switch (field)
    {
    case FIELD_AREA: sd_checklist_item_set_area (item, value); break;
    case FIELD_TITLE: sd_checklist_item_set_title (item, value); break;
    case FIELD_RATIONALE: sd_checklist_item_set_rationale (item, value); break;
    case FIELD_EXPECTED: sd_checklist_item_set_expected (item, value); break;
    case FIELD_RECOMMENDATION: sd_checklist_item_set_recommendation (item, value); break;
    case N_FIELDS:
    default: g_assert_not_reached ();
    }
}

static const char *
item_get_field (SdChecklistItem *item,
                Field            field)
{
  switch (field)
    {
    case FIELD_AREA: return sd_checklist_item_get_area (item);
    case FIELD_TITLE: return sd_checklist_item_get_title (item);
    case FIELD_RATIONALE: return sd_checklist_item_get_rationale (item);
    case FIELD_EXPECTED: return sd_checklist_item_get_expected (item);
    case FIELD_RECOMMENDATION: return sd_checklist_item_get_recommendation (item);
    case N_FIELDS:
    default: g_assert_not_reached ();
    }
}

GPtrArray *
sd_checklist_template_instantiate (SdChecklistTemplate *self,
                                   const char          *language)
{
  GPtrArray *items;

  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), NULL);

  items = g_ptr_array_new_full (self->items->len, g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      const TemplateItem *source = &g_array_index (self->items, TemplateItem, i);
      SdChecklistItem *item = sd_checklist_item_new (source->key);

      for (guint f = 0; f < N_FIELDS; f++)
        if (source->text[f].text[0] != NULL)
          item_set_field (item, f, text_get (&source->text[f], language));
      sd_checklist_item_set_weight (item, source->weight);
      g_ptr_array_add (items, item);
    }
  return items;
}

gboolean
sd_checklist_template_start_check (SdChecklistTemplate  *self,
                                   SdHealthCheck        *check,
                                   const char           *language,
                                   GError              **error)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), FALSE);
  g_return_val_if_fail (SD_IS_HEALTH_CHECK (check), FALSE);

  if (g_list_model_get_n_items (sd_health_check_get_items (check)) > 0)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("The health check has its checklist already (template %s, version %u)"),
                   sd_health_check_get_template_id (check),
                   sd_health_check_get_template_version (check));
      return FALSE;
    }

  sd_health_check_set_template_id (check, self->id);
  sd_health_check_set_template_version (check, self->version);
  items = sd_checklist_template_instantiate (self, language);
  for (guint i = 0; i < items->len; i++)
    sd_health_check_add_item (check, items->pdata[i]);
  return TRUE;
}

static const TemplateItem *
find_item (SdChecklistTemplate *self,
           const char          *key)
{
  for (guint i = 0; i < self->items->len; i++)
    if (g_strcmp0 (g_array_index (self->items, TemplateItem, i).key, key) == 0)
      return &g_array_index (self->items, TemplateItem, i);
  return NULL;
}

GPtrArray *
sd_checklist_template_translate_items (SdChecklistTemplate *self,
                                       GPtrArray           *items,
                                       const char          *language)
{
  GPtrArray *copies;

  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), NULL);
  g_return_val_if_fail (items != NULL, NULL);

  copies = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      g_autoptr(JsonNode) node = sd_checklist_item_to_json (items->pdata[i]);
      SdChecklistItem *copy = sd_checklist_item_from_json (node, NULL, NULL);
      const TemplateItem *source = find_item (self, sd_checklist_item_get_key (copy));

      for (guint f = 0; source != NULL && f < N_FIELDS; f++)
        {
          const char *value = item_get_field (copy, f);

          for (guint l = 0; value != NULL && l < N_LANGUAGES; l++)
            if (g_strcmp0 (value, source->text[f].text[l]) == 0)
              {
                item_set_field (copy, f, text_get (&source->text[f], language));
                break;
              }
        }
      g_ptr_array_add (copies, copy);
    }
  return copies;
}

static gboolean
read_item (JsonNode      *node,
           const char    *path,
           TemplateItem  *item,
           GError       **error)
{
  JsonObject *object;
  const char *key = NULL;
  gint64 weight = 1;

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, item_fields, error)
      || !sd_json_get_string (object, path, "key", TRUE, &key, error))
    return FALSE;
  if (!sd_checklist_item_key_is_valid (key))
    return sd_json_set_invalid (error, path, "key",
                                _("“%s” is not a checklist key such as “UPD-03”"), key);
  item->key = g_strdup (key);
  for (guint f = 0; f < N_FIELDS; f++)
    if (!read_text (object, path, fields[f].name, fields[f].required, &item->text[f], error))
      return FALSE;
  if (!sd_json_get_int (object, path, "weight", FALSE,
                        SD_CHECKLIST_WEIGHT_MIN, SD_CHECKLIST_WEIGHT_MAX, &weight, error))
    return FALSE;
  item->weight = (guint) weight;
  return TRUE;
}

SdChecklistTemplate *
sd_checklist_template_from_json (JsonNode    *node,
                                 const char  *path,
                                 GError     **error)
{
  g_autoptr(SdChecklistTemplate) self = g_object_new (SD_TYPE_CHECKLIST_TEMPLATE, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *items_path = NULL;
  JsonObject *object;
  JsonArray *items = NULL;
  const char *id = NULL;
  gint64 version = 0;

  if (path == NULL)
    path = "checklist_template";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, template_fields, error)
      || !sd_json_get_id (object, path, "id", TRUE, &id, error)
      || !sd_json_get_int (object, path, "version", TRUE, 1, G_MAXINT32, &version, error)
      || !read_text (object, path, "title", TRUE, &self->title, error)
      || !sd_json_get_array (object, path, "items", TRUE, &items, error))
    return NULL;

  items_path = sd_json_path_join (path, "items");
  if (json_array_get_length (items) == 0)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: a checklist template needs at least one item"), items_path);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *item_path = sd_json_path_index (items_path, i);
      TemplateItem item = { 0 };

      if (!read_item (json_array_get_element (items, i), item_path, &item, error))
        {
          template_item_clear (&item);
          return NULL;
        }
      g_array_append_val (self->items, item);
      if (!g_hash_table_add (keys, item.key))
        {
          sd_json_set_invalid (error, item_path, "key", _("“%s” appears twice in the checklist"),
                               item.key);
          return NULL;
        }
    }

  self->id = g_strdup (id);
  self->version = (guint) version;
  return g_steal_pointer (&self);
}

JsonNode *
sd_checklist_template_to_json (SdChecklistTemplate *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_CHECKLIST_TEMPLATE (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  add_text (builder, "title", &self->title);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    {
      const TemplateItem *item = &g_array_index (self->items, TemplateItem, i);

      json_builder_begin_object (builder);
      sd_json_builder_add_string_or_null (builder, "key", item->key);
      for (guint f = 0; f < N_FIELDS; f++)
        add_text (builder, fields[f].name, &item->text[f]);
      json_builder_set_member_name (builder, "weight");
      json_builder_add_int_value (builder, item->weight);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
