/* sd-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-json.h"

G_DEFINE_QUARK (sd-error-quark, sd_error)

char *
sd_json_path_join (const char *path,
                   const char *field)
{
  if (path == NULL || *path == '\0')
    return g_strdup (field);
  return g_strconcat (path, ".", field, NULL);
}

char *
sd_json_path_index (const char *path,
                    guint       index)
{
  return g_strdup_printf ("%s[%u]", path ? path : "", index);
}

static const char *
node_type_name (JsonNode *node)
{
  if (node == NULL)
    return C_("JSON type", "nothing");

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return C_("JSON type", "an object");
    case JSON_NODE_ARRAY: return C_("JSON type", "an array");
    case JSON_NODE_NULL: return C_("JSON type", "null");
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return C_("JSON type", "a string");
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return C_("JSON type", "true or false");
      return C_("JSON type", "a number");
    default:
      return C_("JSON type", "a value");
    }
}

static gboolean
wrong_type (JsonNode    *node,
            const char  *path,
            const char  *field,
            const char  *expected,
            GError     **error)
{
  g_autofree char *full = sd_json_path_join (path, field);

  g_set_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE,
               _("Field “%s”: expected %s, found %s"),
               full, expected, node_type_name (node));
  return FALSE;
}

/* Looks the member up. Returns FALSE with @error set when it is required
 * and absent; TRUE with *node = NULL when optional and absent or null. */
static gboolean
lookup (JsonObject  *object,
        const char  *path,
        const char  *field,
        gboolean     required,
        JsonNode   **node,
        GError     **error)
{
  JsonNode *member = json_object_get_member (object, field);

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    {
      *node = NULL;
      if (required)
        {
          g_autofree char *full = sd_json_path_join (path, field);

          g_set_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD,
                       _("Field “%s” is missing"), full);
          return FALSE;
        }
      return TRUE;
    }

  *node = member;
  return TRUE;
}

/* json-glib's parser recurses once per nesting level, and a NUL escape
 * would cut its C strings short: both are refused here, in one linear
 * pass, before the parser sees the bytes. Malformed text is left to the
 * parser; this only tracks strings well enough to skip their brackets. */
static gboolean
check_structure (const char  *data,
                 gsize        length,
                 GError     **error)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\' && i + 1 < length)
            {
              if (data[i + 1] == 'u' && i + 5 < length
                  && memcmp (data + i + 2, "0000", 4) == 0)
                {
                  g_autofree char *offset = g_strdup_printf ("%" G_GSIZE_FORMAT, i);

                  g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX,
                               _("Malformed JSON: a string contains the NUL character (\\u0000) at byte %s"),
                               offset);
                  return FALSE;
                }
              i++;
            }
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > SD_JSON_MAX_DEPTH)
            {
              g_autofree char *limit = g_strdup_printf ("%d", SD_JSON_MAX_DEPTH);

              g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX,
                           _("Malformed JSON: nested deeper than %s levels"), limit);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

JsonNode *
sd_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *end;

  if (length < 0)
    length = data ? strlen (data) : 0;

  if (!g_utf8_validate (data, length, &end))
    {
      g_autofree char *offset = g_strdup_printf ("%" G_GSSIZE_FORMAT, (gssize) (end - data));

      g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX,
                   _("Invalid UTF-8 at byte %s"), offset);
      return NULL;
    }

  if (!check_structure (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX,
                   _("Malformed JSON: %s"), local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX, _("Empty JSON document"));
      return NULL;
    }

  return json_parser_steal_root (parser);
}

JsonObject *
sd_json_node_get_object (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *where = (path && *path) ? path : _("document");

      g_set_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE,
                   _("“%s”: expected an object, found %s"), where,
                   node_type_name (node));
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
sd_json_check_fields (JsonObject          *object,
                      const char          *path,
                      const char * const  *known,
                      GError             **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_strv_contains (known, name))
        {
          g_autofree char *full = sd_json_path_join (path, name);

          g_set_error (error, SD_ERROR, SD_ERROR_UNKNOWN_FIELD,
                       _("Unknown field “%s”"), full);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
sd_json_get_string (JsonObject  *object,
                    const char  *path,
                    const char  *field,
                    gboolean     required,
                    const char **out,
                    GError     **error)
{
  JsonNode *node;

  if (!lookup (object, path, field, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (node, path, field, _("a string"), error);
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
sd_json_get_int (JsonObject  *object,
                 const char  *path,
                 const char  *field,
                 gboolean     required,
                 gint64       min,
                 gint64       max,
                 gint64      *out,
                 GError     **error)
{
  JsonNode *node;
  gint64 value;

  if (!lookup (object, path, field, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (node, path, field, _("an integer"), error);

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_autofree char *full = sd_json_path_join (path, field);
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      g_autofree char *range = g_strdup_printf ("%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT, min, max);

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: %s is out of range (%s)"), full, text, range);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
sd_json_get_double (JsonObject  *object,
                    const char  *path,
                    const char  *field,
                    gboolean     required,
                    double      *out,
                    GError     **error)
{
  JsonNode *node;
  GType type;

  if (!lookup (object, path, field, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return wrong_type (node, path, field, _("a number"), error);
  *out = json_node_get_double (node);
  return TRUE;
}

gboolean
sd_json_get_bool (JsonObject  *object,
                  const char  *path,
                  const char  *field,
                  gboolean     required,
                  gboolean    *out,
                  GError     **error)
{
  JsonNode *node;

  if (!lookup (object, path, field, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (node, path, field, _("true or false"), error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
prefix_error (GError     **error,
              GError      *local_error,
              const char  *path,
              const char  *field)
{
  g_autofree char *full = sd_json_path_join (path, field);

  g_set_error (error, SD_ERROR, local_error->code,
               _("Field “%s”: %s"), full, local_error->message);
  g_error_free (local_error);
  return FALSE;
}

gboolean
sd_json_get_time (JsonObject  *object,
                  const char  *path,
                  const char  *field,
                  gboolean     required,
                  gint64      *out,
                  GError     **error)
{
  const char *text = NULL;
  GError *local_error = NULL;

  if (!sd_json_get_string (object, path, field, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!sd_time_parse_iso8601 (text, NULL, out, &local_error))
    return prefix_error (error, local_error, path, field);
  return TRUE;
}

gboolean
sd_json_get_date (JsonObject  *object,
                  const char  *path,
                  const char  *field,
                  gboolean     required,
                  guint32     *out,
                  GError     **error)
{
  const char *text = NULL;
  GError *local_error = NULL;

  if (!sd_json_get_string (object, path, field, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!sd_date_parse (text, out, &local_error))
    return prefix_error (error, local_error, path, field);
  return TRUE;
}

gboolean
sd_json_get_enum (JsonObject            *object,
                  const char            *path,
                  const char            *field,
                  gboolean               required,
                  SdJsonEnumFromString   from_string,
                  int                   *out,
                  GError               **error)
{
  const char *text = NULL;

  if (!sd_json_get_string (object, path, field, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!from_string (text, out))
    {
      g_autofree char *full = sd_json_path_join (path, field);

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: unknown value “%s”"), full, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_json_get_array (JsonObject  *object,
                   const char  *path,
                   const char  *field,
                   gboolean     required,
                   JsonArray  **out,
                   GError     **error)
{
  JsonNode *node;

  if (!lookup (object, path, field, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (node, path, field, _("an array"), error);
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
sd_json_get_object (JsonObject  *object,
                    const char  *path,
                    const char  *field,
                    gboolean     required,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node;

  if (!lookup (object, path, field, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (node, path, field, _("an object"), error);
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
sd_json_get_strv (JsonObject   *object,
                  const char   *path,
                  const char   *field,
                  gboolean      required,
                  char       ***out,
                  GError      **error)
{
  JsonArray *array = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  guint n;

  if (!sd_json_get_array (object, path, field, required, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  builder = g_strv_builder_new ();
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_autofree char *indexed = g_strdup_printf ("%s[%u]", field, i);

          return wrong_type (element, path, indexed, _("a string"), error);
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
sd_json_id_is_valid (const char *text)
{
  gsize length;

  if (text == NULL)
    return FALSE;
  length = strlen (text);
  if (length == 0 || length > 128)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '_' && *p != ':' && *p != '-')
      return FALSE;
  return TRUE;
}

gboolean
sd_json_get_id (JsonObject  *object,
                const char  *path,
                const char  *field,
                gboolean     required,
                const char **out,
                GError     **error)
{
  const char *text = NULL;

  if (!sd_json_get_string (object, path, field, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  if (!sd_json_id_is_valid (text))
    return sd_json_set_invalid (error, path, field,
                                _("“%s” is not a valid identifier"), text);
  *out = text;
  return TRUE;
}

gboolean
sd_json_get_uuid (JsonObject  *object,
                  const char  *path,
                  const char  *field,
                  gboolean     required,
                  const char **out,
                  GError     **error)
{
  const char *text = NULL;

  if (!sd_json_get_string (object, path, field, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!g_uuid_string_is_valid (text))
    return sd_json_set_invalid (error, path, field,
                                _("“%s” is not a valid UUID"), text);
  *out = text;
  return TRUE;
}

gboolean
sd_json_get_text (JsonObject  *object,
                  const char  *path,
                  const char  *field,
                  gboolean     required,
                  const char **out,
                  GError     **error)
{
  const char *text = NULL;
  const char *p;

  if (!sd_json_get_string (object, path, field, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  for (p = text; *p && g_ascii_isspace (*p); p++)
    ;
  if (*p == '\0')
    return sd_json_set_invalid (error, path, field, _("must not be empty"));
  *out = text;
  return TRUE;
}

gboolean
sd_json_set_invalid (GError     **error,
                     const char  *path,
                     const char  *field,
                     const char  *format,
                     ...)
{
  g_autofree char *full = sd_json_path_join (path, field);
  g_autofree char *reason = NULL;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
               _("Field “%s”: %s"), full, reason);
  return FALSE;
}

void
sd_json_builder_add_time (JsonBuilder *builder,
                          const char  *field,
                          gint64       unix_time)
{
  json_builder_set_member_name (builder, field);
  if (unix_time == SD_TIME_NONE)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = sd_time_format_iso8601 (unix_time, NULL);
      json_builder_add_string_value (builder, text);
    }
}

void
sd_json_builder_add_date (JsonBuilder *builder,
                          const char  *field,
                          guint32      julian)
{
  json_builder_set_member_name (builder, field);
  if (julian == 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *text = sd_date_format (julian);
      json_builder_add_string_value (builder, text);
    }
}

void
sd_json_builder_add_string_or_null (JsonBuilder *builder,
                                    const char  *field,
                                    const char  *value)
{
  json_builder_set_member_name (builder, field);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

void
sd_json_builder_add_strv (JsonBuilder        *builder,
                          const char         *field,
                          const char * const *values)
{
  json_builder_set_member_name (builder, field);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

char *
sd_json_to_string (JsonNode *node,
                   gboolean  pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}
