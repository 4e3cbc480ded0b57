/* sd-request-body.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sd-model.h>

#include "sd-request-body.h"

JsonNode *
sd_request_body_without (JsonObject         *object,
                         const char * const *dropped)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &member))
    if (!g_strv_contains (dropped, name))
      json_object_set_member (copy, name, json_node_copy (member));
  json_node_take_object (node, copy);
  return node;
}

gboolean
sd_request_body_merge (JsonObject         *target,
                       JsonObject         *patch,
                       const char         *path,
                       const char * const *immutable,
                       const char * const *ignored,
                       GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if (g_strv_contains (ignored, name))
        continue;
      if (g_strv_contains (immutable, name)
          && !(json_object_has_member (target, name)
               && json_node_equal (member, json_object_get_member (target, name))))
        {
          g_autofree char *field = sd_json_path_join (path, name);

          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, "Field “%s” cannot change", field);
          return FALSE;
        }
      if (JSON_NODE_HOLDS_NULL (member))
        json_object_remove_member (target, name);
      else
        json_object_set_member (target, name, json_node_copy (member));
    }
  return TRUE;
}
