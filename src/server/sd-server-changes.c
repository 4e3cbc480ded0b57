/* sd-server-changes.c — the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <sd-model.h>

#include "sd-server-private.h"

/* ------------------------------------------------------- who sees what */

/* The users who see @customer because of it (its TAM and duty managers);
 * admins and engineers see every customer anyway. */
static GPtrArray *
customer_users (SdCustomer *customer)
{
  const char * const *duty = sd_customer_get_duty_manager_ids (customer);
  GPtrArray *users = g_ptr_array_new ();

  if (sd_customer_get_tam_id (customer) != NULL)
    g_ptr_array_add (users, (gpointer) sd_customer_get_tam_id (customer));
  for (guint i = 0; duty != NULL && duty[i] != NULL; i++)
    g_ptr_array_add (users, (gpointer) duty[i]);
  return users;
}

static gboolean
has_user (GPtrArray  *users,
          const char *user_id)
{
  for (guint i = 0; i < users->len; i++)
    if (g_str_equal (users->pdata[i], user_id))
      return TRUE;
  return FALSE;
}

static char *
access_render_cb (gint64     version,
                  gint64     updated_at,
                  gpointer   user_data,
                  GError   **error)
{
  const char * const *ids = user_data;  /* record id, user, customer */
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ids[0]);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, ids[1]);
  json_builder_set_member_name (builder, "customer_id");
  json_builder_add_string_value (builder, ids[2]);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return sd_json_to_string (root, FALSE);
}

/* Once @before became @after (in the caller's transaction): each user who
 * no longer sees the customer gets an access record in their feed, and
 * when someone new sees it, the customer's whole subtree moves to the
 * head of the feed after those records, so that their next sync receives
 * what was written before their cursor. */
gboolean
_sd_customer_access_changed (SdStore     *store,
                             SdCustomer  *before,
                             SdCustomer  *after,
                             GError     **error)
{
  g_autoptr(GPtrArray) old_users = customer_users (before);
  g_autoptr(GPtrArray) new_users = customer_users (after);
  const char *customer_id = sd_customer_get_id (after);
  gboolean gained = FALSE;

  for (guint i = 0; i < old_users->len; i++)
    {
      const char *user_id = old_users->pdata[i];
      g_autofree char *id = NULL;
      g_autoptr(SdStoreRecord) saved = NULL;

      if (has_user (new_users, user_id))
        continue;
      id = g_strconcat (user_id, ":", customer_id, NULL);
      {
        const char *ids[] = { id, user_id, customer_id };

        if (!(saved = sd_store_put (store, SD_ACCESS_KIND, id, NULL, user_id, -1, NULL,
                                    access_render_cb, ids, NULL, error)))
          return FALSE;
      }
    }
  for (guint i = 0; i < new_users->len && !gained; i++)
    gained = !has_user (old_users, new_users->pdata[i]);
  return !gained || sd_store_restamp (store, customer_id, error) >= 0;
}

/* -------------------------------------------------------------- the feed */

void
_sd_handle_changes (SdRequest *req)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  gint64 after, limit, next = 0;
  gint64 started;
  gboolean first = TRUE;
  GString *json;

  if (!_sd_query_get_int (req, "after", 0, G_MAXINT64, 0, &after)
      || !_sd_query_get_int (req, "limit", 1, MAX_FEED_PAGE, 500, &limit))
    return;

  _sd_hold_for_test (req);
  started = g_get_monotonic_time ();
  records = sd_store_changes (req->store, after, limit, _sd_request_visible (req),
                              &has_more, &next, &error);
  if (records == NULL)
    {
      _sd_respond_store_error (req, error);
      return;
    }
  if (after > next)
    {
      g_autofree char *detail = g_strdup_printf ("The server's sequence ends at %" G_GINT64_FORMAT
                                                 ": its data was replaced. Start again from after=0.", next);

      _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "resync", "The cursor is ahead of the server", detail, "after");
      return;
    }

  json = g_string_new ("{\"changes\":[");
  for (guint i = 0; i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autofree char *entity = NULL;

      if (_sd_page_is_full (req, json, i, started))
        {
          next = ((SdStoreRecord *) records->pdata[i - 1])->seq;
          has_more = TRUE;
          break;
        }
      /* An access record or a notification is in its user's feed only:
       * the cursor passes everyone else's. */
      if ((g_str_equal (record->kind, SD_ACCESS_KIND) || g_str_equal (record->kind, "notification"))
          && g_strcmp0 (record->parent_id, req->user_id) != 0)
        continue;
      entity = _sd_record_to_feed (req, record);
      if (!first)
        g_string_append_c (json, ',');
      first = FALSE;
      g_string_append_printf (json,
                              "{\"seq\":%" G_GINT64_FORMAT ",\"kind\":\"%s\",\"id\":\"%s\","
                              "\"version\":%" G_GINT64_FORMAT ",\"deleted\":%s,\"entity\":%s}",
                              record->seq, record->kind, record->id, record->version,
                              record->deleted ? "true" : "false",
                              entity ? entity : "null");
    }
  g_string_append_printf (json, "],\"next\":%" G_GINT64_FORMAT ",\"has_more\":%s}",
                          next, has_more ? "true" : "false");
  _sd_respond_json_coded (req, SOUP_STATUS_OK, json);
}
