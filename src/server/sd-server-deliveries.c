/* sd-server-deliveries.c — the delivery log for admins, a test delivery,
 * and the test clock
 *
 *   GET  /deliveries           the queue, oldest first (admins)
 *   POST /deliveries/test      a test message to every webhook and,
 *                              when given, an e-mail address; or a test
 *                              notification to a user (admins)
 *   POST /test/clock           {"now": "…"}: the server's time, only on a
 *                              server started with --test-clock (sd-clock.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>

#include "sd-clock.h"
#include "sd-server-private.h"

static gboolean
require_admin (SdRequest  *req,
               const char *title)
{
  if (sd_user_get_role (req->user) == SD_ROLE_ADMIN)
    return TRUE;
  _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", title, NULL, NULL);
  return FALSE;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       when)
{
  g_autofree char *text = when > 0 ? sd_time_format_iso8601 (when, NULL) : NULL;

  json_builder_set_member_name (builder, name);
  if (text)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
add_delivery (JsonBuilder      *builder,
              const SdDelivery *delivery)
{
  g_autoptr(JsonNode) payload = json_from_string (delivery->payload, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, delivery->id);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, delivery->seq);
  json_builder_set_member_name (builder, "channel");
  json_builder_add_string_value (builder, delivery->channel);
  json_builder_set_member_name (builder, "target");
  json_builder_add_string_value (builder, delivery->target);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, delivery->state);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, delivery->attempts);
  add_time (builder, "created_at", delivery->created_at);
  add_time (builder, "next_attempt_at", g_str_equal (delivery->state, "pending") ? delivery->next_attempt : 0);
  add_time (builder, "delivered_at", delivery->delivered_at);
  json_builder_set_member_name (builder, "last_error");
  if (delivery->last_error)
    json_builder_add_string_value (builder, delivery->last_error);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "payload");
  if (payload)
    json_builder_add_value (builder, g_steal_pointer (&payload));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

void
_sd_handle_list_deliveries (SdRequest *req)
{
  const char *cursor = _sd_query_get (req, "cursor");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gint64 after = 0, limit;
  gboolean more;

  if (!require_admin (req, "Only admins read the delivery log"))
    return;
  if (cursor != NULL)
    {
      char *end = NULL;

      after = g_ascii_strtoll (cursor, &end, 10);
      if (end == cursor || *end != '\0' || after < 0)
        {
          _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                               "cursor is the next_cursor of the previous page", "cursor");
          return;
        }
    }
  if (!_sd_query_get_int (req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit))
    return;
  if (!(rows = sd_store_deliveries (req->store, after, limit + 1, &error)))
    {
      _sd_respond_store_error (req, error);
      return;
    }
  more = rows->len > (guint) limit;
  if (more)
    g_ptr_array_set_size (rows, limit);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    add_delivery (builder, rows->pdata[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_cursor");
  if (more)
    {
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, ((SdDelivery *) rows->pdata[rows->len - 1])->seq);

      json_builder_add_string_value (builder, next);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _sd_respond_node (req, SOUP_STATUS_OK, root);
}

void
_sd_handle_test_delivery (SdRequest *req)
{
  SdDeliverer *deliverer = req->server->deliverer;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *now = sd_time_format_iso8601 (sd_server_now (), NULL);
  g_autofree char *webhook_payload = NULL;
  g_autofree char *mail_payload = NULL;
  JsonObject *object;
  const char *email, *recipient_id;
  g_autofree char *notification_id = NULL;

  if (!require_admin (req, "Only admins send test deliveries"))
    return;
  if (!(object = _sd_read_body (req, &body)))
    return;
  email = json_object_get_string_member_with_default (object, "email", NULL);
  recipient_id = json_object_get_string_member_with_default (object, "recipient_id", NULL);
  if (recipient_id != NULL)
    {
      g_autoptr(SdStoreRecord) user = sd_store_get (req->store, "user", recipient_id, NULL);

      if (user == NULL || user->body == NULL)
        {
          _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                               "recipient_id is not a user", "recipient_id");
          return;
        }
    }
  if (email != NULL && (sd_deliverer_get_mailer (deliverer) == NULL || !strchr (email, '@')))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           sd_deliverer_get_mailer (deliverer) ? "email is not an e-mail address"
                                                               : "the server has no SMTP relay (--smtp)",
                           "email");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "test");
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, "SupportDesk test delivery");
  json_builder_set_member_name (builder, "sent_by");
  json_builder_add_string_value (builder, req->user_id);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  message = json_builder_get_root (builder);
  webhook_payload = json_to_string (message, FALSE);
  json_object_set_string_member (json_node_get_object (message), "subject", "SupportDesk test delivery");
  mail_payload = json_to_string (message, FALSE);

  for (const char * const *url = sd_deliverer_get_webhooks (deliverer); recipient_id == NULL && *url; url++)
    {
      char *id = NULL;

      if (!sd_deliverer_enqueue (deliverer, "webhook", *url, webhook_payload, NULL, &id, &error))
        break;
      g_ptr_array_add (ids, id);
    }
  if (error == NULL && email != NULL)
    {
      char *id = NULL;

      if (sd_deliverer_enqueue (deliverer, "email", email, mail_payload, NULL, &id, &error))
        g_ptr_array_add (ids, id);
    }
  if (error == NULL && recipient_id != NULL)
    _sd_server_notify (req->server, NULL, recipient_id, NULL, SD_NOTIFICATION_TEST,
                       "SupportDesk test notification", &notification_id, &error);
  if (error != NULL)
    {
      _sd_respond_store_error (req, error);
      return;
    }

  g_clear_object (&builder);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_string_value (builder, ids->pdata[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "notification_id");
  if (notification_id)
    json_builder_add_string_value (builder, notification_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _sd_respond_node (req, SOUP_STATUS_ACCEPTED, root);
}

void
_sd_handle_test_clock (SdRequest *req)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *now;
  gint64 when;

  if (!req->server->test_clock)
    {
      _sd_respond_not_found (req);
      return;
    }
  if (!require_admin (req, "Only admins move the test clock"))
    return;
  if (!(object = _sd_read_body (req, &body)))
    return;
  now = json_object_get_string_member_with_default (object, "now", NULL);
  if (now == NULL || !sd_time_parse_iso8601 (now, NULL, &when, &error))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "now is an RFC 3339 time with an offset", "now");
      return;
    }
  sd_server_set_test_now (when);
  sd_scheduler_tick (req->server->scheduler);
  sd_deliverer_kick (req->server->deliverer);
  {
    g_autofree char *text = sd_time_format_iso8601 (when, NULL);

    _sd_respond_json (req, SOUP_STATUS_OK, g_strdup_printf ("{\"now\":\"%s\"}", text));
  }
}
