/* sd-server-notifications.c — notifications: written by the server, each
 * with its deliveries in one transaction; marked read by their recipient
 *
 *   PATCH /notifications/{id}   {"read_at": "…" | null}, with If-Match
 *
 * A notification is stored with its recipient as its parent: the change
 * feed carries it to that user only (sd-server-changes.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include "sd-clock.h"
#include "sd-server-private.h"

static JsonNode *
encode_notification (Render  *render,
                     gint64   version,
                     gint64   updated_at,
                     GError **error)
{
  sd_notification_set_version (SD_NOTIFICATION (render->object), version);
  sd_notification_set_updated_at (SD_NOTIFICATION (render->object), updated_at);
  return sd_notification_to_json (SD_NOTIFICATION (render->object));
}

/* The mail and webhook deliveries of @notification, ids derived from its
 * id so that they are queued once. */
static gboolean
enqueue_deliveries (SdServer        *self,
                    SdNotification  *notification,
                    JsonNode        *stored,
                    GError         **error)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (self->store, "user",
                                                  sd_notification_get_recipient_id (notification), NULL);
  g_autoptr(JsonNode) user_node = record ? sd_json_parse (record->body, -1, NULL) : NULL;
  g_autoptr(SdUser) user = user_node ? sd_user_from_json (user_node, NULL, NULL) : NULL;
  const char *id = sd_notification_get_id (notification);
  const char * const *webhooks = sd_deliverer_get_webhooks (self->deliverer);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) webhook_node = NULL;
  g_autofree char *webhook_payload = NULL;

  if (user && sd_user_get_email (user) && self->mailer)
    {
      g_autoptr(JsonBuilder) mail = json_builder_new ();
      g_autoptr(JsonNode) mail_node = NULL;
      g_autofree char *payload = NULL;
      g_autofree char *delivery_id = g_strconcat (id, ".email", NULL);

      json_builder_begin_object (mail);
      json_builder_set_member_name (mail, "subject");
      json_builder_add_string_value (mail, sd_notification_get_text (notification));
      json_builder_set_member_name (mail, "text");
      json_builder_add_string_value (mail, sd_notification_get_text (notification));
      json_builder_end_object (mail);
      mail_node = json_builder_get_root (mail);
      payload = json_to_string (mail_node, FALSE);
      if (!sd_deliverer_enqueue (self->deliverer, "email", sd_user_get_email (user), payload, delivery_id,
                                 NULL, error))
        return FALSE;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "notification");
  json_builder_set_member_name (builder, "recipient_login");
  json_builder_add_string_value (builder, user ? sd_user_get_login (user) : NULL);
  json_builder_set_member_name (builder, "notification");
  json_builder_add_value (builder, json_node_ref (stored));
  json_builder_end_object (builder);
  webhook_node = json_builder_get_root (builder);
  webhook_payload = json_to_string (webhook_node, FALSE);
  for (guint i = 0; webhooks[i]; i++)
    {
      g_autofree char *delivery_id = g_strdup_printf ("%s.webhook.%u", id, i + 1);

      if (!sd_deliverer_enqueue (self->deliverer, "webhook", webhooks[i], webhook_payload, delivery_id,
                                 NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_sd_server_notify (SdServer            *self,
                   const char          *id_or_null,
                   const char          *recipient_id,
                   const char          *case_id,
                   SdNotificationKind   kind,
                   const char          *text,
                   char               **out_id,
                   GError             **error)
{
  g_autofree char *id = id_or_null ? g_strdup (id_or_null) : g_uuid_string_random ();
  g_autoptr(SdNotification) notification = sd_notification_new (id, recipient_id, kind, text, sd_server_now ());
  g_autoptr(SdStoreRecord) saved = NULL;
  g_autoptr(JsonNode) stored = NULL;
  Render render = { G_OBJECT (notification), encode_notification, self->store };

  sd_notification_set_case_id (notification, case_id);
  if (!sd_store_begin (self->store, error))
    return FALSE;
  if (!(saved = sd_store_put (self->store, "notification", id, NULL, recipient_id, 0, NULL,
                              _sd_render_cb, &render, NULL, error))
      || !(stored = sd_json_parse (saved->body, -1, error))
      || !enqueue_deliveries (self, notification, stored, error)
      || !sd_store_commit (self->store, error))
    {
      sd_store_rollback (self->store);
      return FALSE;
    }
  if (out_id)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}

void
_sd_handle_update_notification (SdRequest *req)
{
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(SdStoreRecord) saved = NULL;
  g_autoptr(SdStoreRecord) current = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdNotification) notification = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *patch;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  gint64 expected, read_at = SD_TIME_NONE;
  Render render = { NULL, encode_notification, req->store };

  if ((expected = _sd_request_if_match (req)) < 0)
    return;
  record = sd_store_get (req->store, "notification", req->params->pdata[0], NULL);
  /* Someone else's notification does not exist for this user. */
  if (record == NULL || record->body == NULL || g_strcmp0 (record->parent_id, req->user_id) != 0)
    {
      _sd_respond_not_found (req);
      return;
    }
  if (!(patch = _sd_read_body (req, &root)))
    return;
  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &member, &value))
    {
      if (!g_str_equal (member, "read_at"))
        {
          _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                               "only read_at changes", member);
          return;
        }
      if (!JSON_NODE_HOLDS_NULL (value)
          && (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING
              || !sd_time_parse_iso8601 (json_node_get_string (value), NULL, &read_at, NULL)))
        {
          _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                               "read_at is an RFC 3339 time with an offset, or null", "read_at");
          return;
        }
    }
  stored = sd_json_parse (record->body, -1, NULL);
  if (!stored || !(notification = sd_notification_from_json (stored, NULL, NULL)))
    {
      _sd_respond_not_found (req);
      return;
    }
  sd_notification_set_read_at (notification, read_at);
  render.object = G_OBJECT (notification);
  saved = sd_store_put (req->store, "notification", record->id, NULL, record->parent_id, expected, NULL,
                        _sd_render_cb, &render, &current, &error);
  if (saved == NULL)
    {
      if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CONFLICT) && current != NULL)
        _sd_respond_conflict (req, current);
      else
        _sd_respond_store_error (req, error);
      return;
    }
  _sd_set_etag (req, saved->version);
  _sd_respond_json (req, SOUP_STATUS_OK, _sd_record_to_client (req, saved));
}
