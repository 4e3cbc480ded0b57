/* fuzz-server-body.c — the server's request-body decoding
 *
 * Feeds the input through what supportdesk-server does to a body before
 * storing it: parse, drop read-only members and decode as a new case,
 * event or health check; merge it as a patch into a stored case and into a
 * checklist item and decode the result. Nothing may crash; anything that
 * decodes must encode and decode again to the same document.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sd-model.h>

#include "sd-request-body.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char stored_case[] =
  "{\"id\":\"3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b\",\"number\":\"SD-2026-00042\","
  "\"customer_id\":\"cust-acme\",\"title\":\"Agents crash\",\"description\":null,"
  "\"type\":\"incident\",\"severity\":2,\"status\":\"in_progress\","
  "\"reported_at\":\"2026-02-14T06:00:00Z\",\"reported_via\":\"hotline\",\"assignee_id\":null,"
  "\"responded_at\":null,\"resolved_at\":null,\"details\":null,\"version\":3,"
  "\"updated_at\":\"2026-02-14T07:00:00Z\"}";

static const char stored_item[] =
  "{\"key\":\"UPD-03\",\"area\":\"Updates\",\"title\":\"Databases are current\","
  "\"rationale\":null,\"expected\":\"Every hour\",\"observed\":null,\"result\":\"not_checked\","
  "\"recommendation\":null,\"weight\":2}";

static void
round_trip (JsonNode *node,
            gpointer (*decode) (JsonNode *, const char *, GError **),
            JsonNode *(*encode) (gpointer))
{
  g_autoptr(GObject) object = decode (node, NULL, NULL);
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(GObject) again = NULL;
  g_autoptr(JsonNode) encoded_again = NULL;

  if (object == NULL)
    return;
  encoded = encode (object);
  again = decode (encoded, NULL, NULL);
  g_assert (again != NULL);
  encoded_again = encode (again);
  g_assert (json_node_equal (encoded, encoded_again));
}

#define ROUND_TRIP(node, type) \
  round_trip (node, (gpointer (*) (JsonNode *, const char *, GError **)) sd_##type##_from_json, \
              (JsonNode *(*) (gpointer)) sd_##type##_to_json)

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const case_immutable[] = { "id", "customer_id", NULL };
  static const char * const item_immutable[] = { "key", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(JsonNode) root = sd_json_parse ((const char *) data, size, NULL);
  g_autoptr(JsonNode) create = NULL;
  g_autoptr(JsonNode) check = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(JsonNode) item = NULL;
  JsonObject *body;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  body = json_node_get_object (root);

  /* POST /cases, /cases/{id}/events, /health-checks */
  create = sd_request_body_without (body, sd_kind_lookup ("case")->read_only);
  if (!json_object_has_member (json_node_get_object (create), "status"))
    json_object_set_string_member (json_node_get_object (create), "status", "new");
  ROUND_TRIP (create, case);
  ROUND_TRIP (root, case_event);
  check = sd_request_body_without (body, sd_kind_lookup ("health_check")->read_only);
  ROUND_TRIP (check, health_check);

  /* PATCH /cases/{id} */
  stored = sd_json_parse (stored_case, -1, NULL);
  if (sd_request_body_merge (json_node_get_object (stored), body, "case", case_immutable,
                             sd_kind_lookup ("case")->patch_ignored, NULL))
    ROUND_TRIP (stored, case);

  /* PATCH /health-checks/{id}/items/{key} */
  item = sd_json_parse (stored_item, -1, NULL);
  if (sd_request_body_merge (json_node_get_object (item), body, "item", item_immutable, none, NULL))
    ROUND_TRIP (item, checklist_item);

  return 0;
}
