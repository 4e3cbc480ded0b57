/* sd-rest-client-answers.c — the successful answers of the API, checked
 *
 * Each parser takes the JSON body of a success and returns what the
 * matching _finish() hands out, or an error naming the field that breaks
 * the contract.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-rest-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-json.h"
#include "sd-rest-client-private.h"

void
_sd_rest_sign_in_free (SignIn *sign_in)
{
  if (sign_in->token != NULL)
    memset (sign_in->token, 0, strlen (sign_in->token));
  g_free (sign_in->token);
  g_clear_object (&sign_in->user);
  g_free (sign_in);
}

gpointer
_sd_rest_parse_sign_in (SdRestClient  *self,
                        JsonNode      *root,
                        GError       **error)
{
  g_autoptr(SdUser) user = NULL;
  JsonObject *object;
  JsonNode *user_node;
  const char *token;
  const char *token_type;
  gint64 expires_at;
  SignIn *sign_in;

  if (!(object = sd_json_node_get_object (root, NULL, error))
      || !sd_json_get_text (object, NULL, "token", TRUE, &token, error)
      || !sd_json_get_string (object, NULL, "token_type", TRUE, &token_type, error)
      || !sd_json_get_time (object, NULL, "expires_at", TRUE, &expires_at, error))
    return NULL;
  if (g_ascii_strcasecmp (token_type, "Bearer") != 0)
    {
      sd_json_set_invalid (error, NULL, "token_type", _("“%s” is not a bearer token"), token_type);
      return NULL;
    }
  user_node = json_object_get_member (object, "user");
  if (user_node != NULL && !JSON_NODE_HOLDS_NULL (user_node)
      && !(user = sd_user_from_json (user_node, "user", error)))
    return NULL;

  sign_in = g_new0 (SignIn, 1);
  sign_in->token = g_strdup (token);
  sign_in->expires_at = expires_at;
  sign_in->user = g_steal_pointer (&user);
  return sign_in;
}

gpointer
_sd_rest_parse_user (SdRestClient  *self,
                     JsonNode      *root,
                     GError       **error)
{
  return sd_user_from_json (root, "user", error);
}

gpointer
_sd_rest_parse_entity (SdRestClient  *self,
                       JsonNode      *root,
                       GError       **error)
{
  if (!sd_json_node_get_object (root, NULL, error))
    return NULL;
  return json_node_ref (root);
}

static gboolean
check_change (JsonNode    *node,
              const char  *path,
              GError     **error)
{
  JsonObject *change;
  JsonNode *entity;
  const char *kind;
  const char *id;
  gint64 seq;
  gint64 version;
  gboolean deleted;

  if (!(change = sd_json_node_get_object (node, path, error))
      || !sd_json_get_int (change, path, "seq", TRUE, 1, G_MAXINT64, &seq, error)
      || !sd_json_get_text (change, path, "kind", TRUE, &kind, error)
      || !sd_json_get_text (change, path, "id", TRUE, &id, error)
      || !sd_json_get_int (change, path, "version", TRUE, 1, G_MAXINT64, &version, error)
      || !sd_json_get_bool (change, path, "deleted", TRUE, &deleted, error))
    return FALSE;
  entity = json_object_get_member (change, "entity");
  if (entity == NULL)
    {
      g_autofree char *where = sd_json_path_join (path, "entity");

      g_set_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD, _("Field “%s” is missing"), where);
      return FALSE;
    }
  if (deleted ? !JSON_NODE_HOLDS_NULL (entity) : !JSON_NODE_HOLDS_OBJECT (entity))
    return sd_json_set_invalid (error, path, "entity",
                                deleted ? _("a deletion carries no entity")
                                        : _("must be an object"));
  return TRUE;
}

gpointer
_sd_rest_parse_changes (SdRestClient  *self,
                        JsonNode      *root,
                        GError       **error)
{
  JsonObject *page;
  JsonArray *changes;
  gint64 next;
  gint64 last_seq = 0;
  gboolean has_more;

  if (!(page = sd_json_node_get_object (root, NULL, error))
      || !sd_json_get_array (page, NULL, "changes", TRUE, &changes, error)
      || !sd_json_get_int (page, NULL, "next", TRUE, 0, G_MAXINT64, &next, error)
      || !sd_json_get_bool (page, NULL, "has_more", TRUE, &has_more, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      g_autofree char *path = sd_json_path_index ("changes", i);
      JsonNode *node = json_array_get_element (changes, i);
      gint64 seq;

      if (!check_change (node, path, error))
        return NULL;
      seq = json_object_get_int_member (json_node_get_object (node), "seq");
      if (seq <= last_seq)
        {
          sd_json_set_invalid (error, path, "seq", _("the sequence goes backwards"));
          return NULL;
        }
      last_seq = seq;
    }
  if (next < last_seq)
    {
      sd_json_set_invalid (error, NULL, "next", _("the cursor is before the last change"));
      return NULL;
    }
  if (has_more && json_array_get_length (changes) == 0)
    {
      sd_json_set_invalid (error, NULL, "has_more", _("more changes announced after an empty page"));
      return NULL;
    }
  return json_node_ref (root);
}

gpointer
_sd_rest_parse_audit (SdRestClient  *self,
                      JsonNode      *root,
                      GError       **error)
{
  JsonObject *page;
  JsonArray *items;
  JsonNode *cursor;

  if (!(page = sd_json_node_get_object (root, NULL, error))
      || !sd_json_get_array (page, NULL, "items", TRUE, &items, error))
    return NULL;
  cursor = json_object_get_member (page, "next_cursor");
  if (cursor == NULL || !(JSON_NODE_HOLDS_NULL (cursor)
                          || (JSON_NODE_HOLDS_VALUE (cursor) && json_node_get_value_type (cursor) == G_TYPE_STRING)))
    {
      sd_json_set_invalid (error, NULL, "next_cursor", _("must be a string or null"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *path = sd_json_path_index ("items", i);
      JsonObject *item;
      const char *text;
      gint64 number;

      if (!(item = sd_json_node_get_object (json_array_get_element (items, i), path, error))
          || !sd_json_get_int (item, path, "seq", TRUE, 1, G_MAXINT64, &number, error)
          || !sd_json_get_time (item, path, "at", TRUE, &number, error)
          || !sd_json_get_text (item, path, "action", TRUE, &text, error)
          || !sd_json_get_text (item, path, "kind", TRUE, &text, error)
          || !sd_json_get_text (item, path, "entity_id", TRUE, &text, error))
        return NULL;
    }
  return json_node_ref (root);
}
