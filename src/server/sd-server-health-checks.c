/* sd-server-health-checks.c — health checks and their checklists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <sd-model.h>

#include "sd-request-body.h"
#include "sd-server-private.h"

JsonNode *
_sd_encode_health_check (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_health_check_set_version (SD_HEALTH_CHECK (render->object), version);
  sd_health_check_set_updated_at (SD_HEALTH_CHECK (render->object), updated_at);
  return sd_health_check_to_json (SD_HEALTH_CHECK (render->object));
}

static gboolean valid_hc_status (const char *v) { SdHealthCheckStatus s; return sd_health_check_status_from_string (v, &s); }

/* The contract's rules for a health check as asked or (re)scheduled. */
gboolean
_sd_check_health_check (SdRequest  *req,
                        GObject    *entity,
                        GError    **error)
{
  SdHealthCheck *check = SD_HEALTH_CHECK (entity);
  g_autoptr(SdCustomer) customer = _sd_load_customer (req, sd_health_check_get_customer_id (check));
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  SdStoreFilter filter = { "$.customer_id", sd_health_check_get_customer_id (check) };
  SdStoreQuery query = { .filters = &filter, .n_filters = 1 };

  if (customer == NULL)
    return TRUE;  /* _sd_check_customer_field () answers */
  calendar = _sd_load_calendar (req, customer, NULL);
  records = sd_store_list (req->store, "health_check", &query, NULL);
  for (guint i = 0; records && i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = sd_json_parse (record->body, -1, NULL);
      SdHealthCheck *other = node ? sd_health_check_from_json (node, NULL, NULL) : NULL;

      if (other != NULL)
        g_ptr_array_add (others, other);
    }
  /* The lead is counted from the day the server receives the scheduling. */
  return sd_health_check_check_rules_at (check, customer, calendar, others,
                                         g_get_real_time () / G_USEC_PER_SEC, error);
}

/* A check asked for without its checklist gets the items of the
 * built-in template, in the language of the request's Accept-Language. */
gboolean
_sd_prepare_health_check (SdRequest   *req,
                          JsonObject  *object,
                          GError     **error)
{
  g_autoptr(SdChecklistTemplate) template = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonNode *member = json_object_get_member (object, "items");
  const char *template_id = SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY;
  const char *language;
  gint64 version = 0;
  JsonArray *array;

  if (member != NULL && !JSON_NODE_HOLDS_NULL (member)
      && !(JSON_NODE_HOLDS_ARRAY (member) && json_array_get_length (json_node_get_array (member)) == 0))
    return TRUE;  /* the client's own checklist (made offline from the same template) */
  if (!sd_json_get_id (object, "health_check", "template_id", FALSE, &template_id, error)
      || !sd_json_get_int (object, "health_check", "template_version", FALSE, 1, G_MAXINT32, &version, error))
    return FALSE;
  if (!(template = sd_checklist_template_new_builtin (template_id, NULL)))
    return sd_json_set_invalid (error, "health_check", "template_id",
                                "there is no checklist template “%s”", template_id);
  if (version != 0 && version != sd_checklist_template_get_version (template))
    return sd_json_set_invalid (error, "health_check", "template_version",
                                "version %" G_GINT64_FORMAT " of “%s” is not available (the server has version %u); "
                                "send the items with the check", version, template_id,
                                sd_checklist_template_get_version (template));

  language = sd_checklist_language_from_locale (
    soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), "Accept-Language"));
  items = sd_checklist_template_instantiate (template, language);
  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, sd_checklist_item_to_json (items->pdata[i]));
  json_object_set_array_member (object, "items", array);
  json_object_set_string_member (object, "template_id", sd_checklist_template_get_id (template));
  json_object_set_int_member (object, "template_version", sd_checklist_template_get_version (template));
  return TRUE;
}

void
_sd_handle_list_health_checks (SdRequest *req)
{
  SdStoreFilter filters[2];
  guint n = 0;

  if (_sd_add_filter (req, filters, &n, "status", "$.status", valid_hc_status)
      && _sd_add_filter (req, filters, &n, "customer_id", "$.customer_id", NULL))
    _sd_list_kind (req, "health_check", TRUE, filters, n);
}

void
_sd_handle_get_health_check (SdRequest *req)
{
  _sd_get_kind (req, "health_check");
}

static void
save_health_check (SdRequest     *req,
                   SdStoreRecord *record,
                   JsonNode      *stored,
                   gint64         expected)
{
  g_autoptr(JsonNode) before_node = sd_json_parse (record->body, -1, NULL);
  g_autoptr(SdHealthCheck) before = before_node ? sd_health_check_from_json (before_node, NULL, NULL) : NULL;
  g_autoptr(SdHealthCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  if (!(check = sd_health_check_from_json (stored, NULL, &error)))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  /* A new day, or a cancelled check coming back, is agreed anew. */
  if ((before == NULL
       || sd_health_check_get_scheduled_on (before) != sd_health_check_get_scheduled_on (check)
       || (sd_health_check_get_status (before) == SD_HEALTH_CHECK_CANCELLED
           && sd_health_check_get_status (check) != SD_HEALTH_CHECK_CANCELLED))
      && !_sd_check_health_check (req, G_OBJECT (check), &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  _sd_update_entity (req, record, expected, G_OBJECT (check), _sd_encode_health_check, NULL);
}

void
_sd_handle_update_health_check (SdRequest *req)
{
  static const char * const immutable[] = { "id", "customer_id", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *patch;
  gint64 expected;

  if (!(patch = _sd_patch_begin (req, "health_check", &expected, &record, &root)))
    return;

  stored = sd_json_parse (record->body, -1, NULL);
  /* A completed check is locked: the only change it takes is being
   * reopened (a status of its own, alone in the patch, kept in the audit
   * log like every write). */
  if (g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (stored), "status", NULL),
                 sd_health_check_status_to_string (SD_HEALTH_CHECK_COMPLETED)) == 0
      && (json_object_get_size (patch) != 1 || !json_object_has_member (patch, "status")
          || g_strcmp0 (json_object_get_string_member_with_default (patch, "status", NULL),
                        sd_health_check_status_to_string (SD_HEALTH_CHECK_IN_PROGRESS)) != 0))
    {
      g_set_error (&error, SD_ERROR, SD_ERROR_INVALID_VALUE, "Field “%s”: %s", "health_check.status",
                   "a completed health check is locked; reopen it (status in_progress) first");
      _sd_respond_invalid (req, error);
      return;
    }
  if (!sd_request_body_merge (json_node_get_object (stored), patch, "health_check", immutable,
                              sd_kind_lookup ("health_check")->patch_ignored, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  save_health_check (req, record, stored, expected);
}

/* Only a check that never happened can go: requested or cancelled. */
void
_sd_handle_delete_health_check (SdRequest *req)
{
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdHealthCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  SdHealthCheckStatus status;
  gint64 expected;

  if ((expected = _sd_request_if_match (req)) < 0
      || !(record = _sd_request_get_visible (req, "health_check", req->params->pdata[0])))
    return;
  if (record->version != expected)
    {
      _sd_respond_conflict (req, record);
      return;
    }
  stored = sd_json_parse (record->body, -1, NULL);
  check = stored ? sd_health_check_from_json (stored, NULL, NULL) : NULL;
  status = check ? sd_health_check_get_status (check) : SD_HEALTH_CHECK_REQUESTED;
  if (status != SD_HEALTH_CHECK_REQUESTED && status != SD_HEALTH_CHECK_CANCELLED)
    {
      _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "state", "This health check cannot be deleted",
                           "Only a requested or cancelled health check can be deleted; cancel it first.", "status");
      return;
    }
  if (!sd_store_remove (req->store, "health_check", record->id, &error))
    _sd_respond_store_error (req, error);
  else
    soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

void
_sd_handle_list_items (SdRequest *req)
{
  g_autoptr(SdStoreRecord) record = _sd_request_get_visible (req, "health_check", req->params->pdata[0]);
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;

  if (record == NULL)
    return;
  stored = sd_json_parse (record->body, -1, NULL);
  sd_json_get_array (json_node_get_object (stored), NULL, "items", FALSE, &items, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    json_builder_add_value (builder, json_node_copy (json_array_get_element (items, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_cursor");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _sd_set_etag (req, record->version);
  _sd_respond_node (req, SOUP_STATUS_OK, root);
}

void
_sd_handle_update_item (SdRequest *req)
{
  static const char * const immutable[] = { "key", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  const char *key = req->params->pdata[1];
  g_autoptr(GError) error = NULL;
  JsonArray *items = NULL;
  JsonObject *patch, *item = NULL;
  gint64 expected;

  if (!(patch = _sd_patch_begin (req, "health_check", &expected, &record, &root)))
    return;

  stored = sd_json_parse (record->body, -1, NULL);
  sd_json_get_array (json_node_get_object (stored), NULL, "items", FALSE, &items, NULL);
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (element)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (element), "key", NULL), key) == 0)
        item = json_node_get_object (element);
    }
  if (item == NULL)
    {
      _sd_respond_not_found (req);
      return;
    }
  if (!sd_request_body_merge (item, patch, "item", immutable, none, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  save_health_check (req, record, stored, expected);
}
