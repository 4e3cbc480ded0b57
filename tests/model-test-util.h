/* model-test-util.h — canonical documents and mutations shared by the
 * domain-object tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <supportdesk.h>

typedef GObject  *(*ModelFromJson) (JsonNode *node, const char *path, GError **error);
typedef JsonNode *(*ModelToJson)   (gpointer  object);

#define MODEL_FROM_JSON(fn) ((ModelFromJson) (fn))
#define MODEL_TO_JSON(fn)   ((ModelToJson) (fn))

static inline char *
model_load_text (const char *name)
{
  g_autofree char *file = g_test_build_filename (G_TEST_DIST, "data", "model", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (file, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* A mutable tree, so that a test can change it. */
static inline JsonNode *
model_load_node (const char *name)
{
  g_autofree char *text = model_load_text (name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* Decodes @name, encodes it again and checks that nothing was lost or
 * added, and that a second round trip gives the same text. */
static inline gpointer
model_assert_round_trip (const char    *name,
                         ModelFromJson  from_json,
                         ModelToJson    to_json)
{
  g_autoptr(JsonNode) original = model_load_node (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) object = NULL;
  g_autoptr(GObject) again = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(JsonNode) encoded_again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  object = from_json (original, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (object);

  encoded = to_json (object);
  if (!json_node_equal (original, encoded))
    {
      g_autofree char *want = sd_json_to_string (original, TRUE);
      g_autofree char *got = sd_json_to_string (encoded, TRUE);

      g_test_message ("%s: expected\n%s\nfound\n%s", name, want, got);
      g_test_fail ();
    }

  text = sd_json_to_string (encoded, FALSE);
  again = from_json (encoded, NULL, &error);
  g_assert_no_error (error);
  encoded_again = to_json (again);
  text_again = sd_json_to_string (encoded_again, FALSE);
  g_assert_cmpstr (text, ==, text_again);

  return g_steal_pointer (&object);
}

/* Finds what @path names ("severity", "details.hash", "items[2].key",
 * "items[1]"): returns the container and sets *member (for an object) or
 * *index (for an array element, *member NULL). */
static inline JsonNode *
model_find_parent (JsonNode    *root,
                   const char  *path,
                   char       **member,
                   int         *index)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup (parts[i]);
      char *bracket = strchr (name, '[');
      int element = -1;

      if (bracket != NULL)
        {
          element = atoi (bracket + 1);
          *bracket = '\0';
        }

      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      if (i == n - 1 && element < 0)
        {
          *member = g_steal_pointer (&name);
          *index = -1;
          return node;
        }
      node = json_object_get_member (json_node_get_object (node), name);
      g_assert_nonnull (node);
      if (element < 0)
        continue;
      g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
      if (i == n - 1)
        {
          *member = NULL;
          *index = element;
          return node;
        }
      node = json_array_get_element (json_node_get_array (node), element);
      g_assert_nonnull (node);
    }

  g_assert_not_reached ();
}

typedef struct {
  const char *member;   /* where to change the canonical document */
  const char *value;    /* JSON text to put there; NULL removes the member */
  SdError     code;
  const char *field;    /* the path the message must name */
} ModelBadCase;

/* For each entry, changes one member of the canonical document @name,
 * serialises it, and checks that sd_json_parse() + @from_json fail with
 * the expected code and a message naming the field. */
static inline void
model_assert_bad_cases (const char         *name,
                        ModelFromJson       from_json,
                        const ModelBadCase *cases,
                        gsize               n_cases)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      const ModelBadCase *bad = &cases[i];
      g_autoptr(JsonNode) root = model_load_node (name);
      g_autoptr(JsonNode) reparsed = NULL;
      g_autoptr(GObject) object = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *member = NULL;
      g_autofree char *text = NULL;
      JsonNode *parent;
      int index;

      parent = model_find_parent (root, bad->member, &member, &index);
      if (bad->value == NULL)
        {
          g_assert_nonnull (member);
          g_assert_true (json_object_has_member (json_node_get_object (parent), member));
          json_object_remove_member (json_node_get_object (parent), member);
        }
      else
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonNode *value;

          json_parser_load_from_data (parser, bad->value, -1, &error);
          g_assert_no_error (error);
          value = json_node_copy (json_parser_get_root (parser));
          if (member != NULL)
            json_object_set_member (json_node_get_object (parent), member, value);
          else
            {
              JsonArray *array = json_node_get_array (parent);
              g_autoptr(JsonArray) copy = json_array_new ();

              g_assert_cmpint (index, <, (int) json_array_get_length (array));
              for (guint k = 0; k < json_array_get_length (array); k++)
                json_array_add_element (copy, (int) k == index
                                              ? value
                                              : json_node_copy (json_array_get_element (array, k)));
              json_node_set_array (parent, copy);
            }
        }

      text = sd_json_to_string (root, FALSE);
      reparsed = sd_json_parse (text, -1, &error);
      g_assert_no_error (error);

      object = from_json (reparsed, NULL, &error);
      if (object != NULL || error == NULL || error->code != (int) bad->code
          || strstr (error->message, bad->field) == NULL)
        g_test_message ("%s: %s = %s: %s", name, bad->member,
                        bad->value ? bad->value : "(removed)",
                        error ? error->message : "accepted");
      g_assert_null (object);
      g_assert_error (error, SD_ERROR, (int) bad->code);
      g_assert_nonnull (strstr (error->message, bad->field));
    }
}

/* The document with its first 'a' (inside a string) replaced by a byte
 * that is not UTF-8: refused by sd_json_parse() before any codec runs. */
static inline void
model_assert_invalid_utf8 (const char *name)
{
  g_autofree char *text = model_load_text (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  char *a = strchr (text, 'a');

  g_assert_nonnull (a);
  *a = '\xc3';
  node = sd_json_parse (text, -1, &error);
  g_assert_null (node);
  g_assert_error (error, SD_ERROR, SD_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
}

static inline gint64
model_time (const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 t = 0;

  g_assert_true (sd_time_parse_iso8601 (text, NULL, &t, &error));
  g_assert_no_error (error);
  return t;
}

static inline guint32
model_date (const char *text)
{
  g_autoptr(GError) error = NULL;
  guint32 d = 0;

  g_assert_true (sd_date_parse (text, &d, &error));
  g_assert_no_error (error);
  return d;
}

/* Counts "notify" emissions of one property. */
static inline void
model_count_notify_cb (GObject    *object,
                       GParamSpec *pspec,
                       guint      *count)
{
  (*count)++;
}
