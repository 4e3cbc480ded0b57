/* sd-server-audit.c — who writes, for the store's audit log, and
 * GET /audit for admins and duty managers
 *
 * The store appends a row for every write in the write's transaction
 * (sd-sqlite-audit.h); the server only says who is writing, around each
 * signed-in request that may write. Sign-in itself (a new session) is not
 * recorded, and its body, which holds a password, never reaches the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sd-server-private.h"
#include "sd-sqlite-audit.h"

static gboolean
method_writes (const char *method)
{
  return !g_str_equal (method, "GET") && !g_str_equal (method, "HEAD");
}

/* Who makes the writes of @req, as a copy that outlives it (for
 * sd_audit_actor_free()); NULL when it does not write or nobody signed in. */
SdStoreActor *
_sd_request_actor (SdRequest *req)
{
  const char *method = soup_server_message_get_method (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *body = NULL;
  SdStoreActor actor = { 0 };

  if (req->user_id == NULL || !method_writes (method))
    return NULL;

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  if (g_bytes_get_size (bytes) > 0)
    body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  actor.user_id = req->user_id;
  actor.session = req->session;
  actor.address = soup_server_message_get_remote_host (req->msg);
  actor.method = method;
  actor.path = g_uri_get_path (soup_server_message_get_uri (req->msg));
  actor.body = body;
  return sd_audit_actor_copy (&actor);
}

void
_sd_request_audit_begin (SdRequest *req)
{
  SdStoreActor *actor = _sd_request_actor (req);

  if (actor == NULL)
    return;
  sd_store_set_actor (req->server->store, actor);
  sd_audit_actor_free (actor);
}

void
_sd_request_audit_end (SdRequest *req)
{
  if (req->user_id != NULL && method_writes (soup_server_message_get_method (req->msg)))
    sd_store_set_actor (req->server->store, NULL);
}

/* "kind/id" */
static gboolean
parse_entity (const char  *text,
              char       **kind,
              char       **id)
{
  const char *slash = text ? strchr (text, '/') : NULL;

  if (slash == NULL || slash == text || slash[1] == '\0' || strchr (slash + 1, '/') != NULL
      || strlen (text) > 256)
    return FALSE;
  *kind = g_strndup (text, slash - text);
  *id = g_strdup (slash + 1);
  return TRUE;
}

void
_sd_handle_audit (SdRequest *req)
{
  SdRole role = sd_user_get_role (req->user);
  const char *entity = _sd_query_get (req, "entity");
  const char *cursor = _sd_query_get (req, "cursor");
  g_autofree char *kind = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  SdStoreAuditQuery query = { 0 };
  gint64 limit;
  gboolean more;

  if (role != SD_ROLE_ADMIN && role != SD_ROLE_DUTY_MANAGER)
    {
      _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only admins and duty managers read the audit log",
                           NULL, NULL);
      return;
    }
  if (entity != NULL && !parse_entity (entity, &kind, &id))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "entity is KIND/ID, e.g. case/0b6f…", "entity");
      return;
    }
  if (cursor != NULL)
    {
      char *end = NULL;

      query.after_seq = g_ascii_strtoll (cursor, &end, 10);
      if (end == cursor || *end != '\0' || query.after_seq < 0)
        {
          _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                               "cursor is the next_cursor of the previous page", "cursor");
          return;
        }
    }
  if (!_sd_query_get_int (req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit))
    return;

  query.kind = kind;
  query.id = id;
  query.customer_ids = _sd_request_visible (req);
  query.limit = limit + 1;
  if (!(rows = sd_store_audit (req->store, &query, &error)))
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
    json_builder_add_value (builder, json_node_ref (rows->pdata[i]));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_cursor");
  if (more)
    {
      JsonObject *last = json_node_get_object (rows->pdata[rows->len - 1]);
      g_autofree char *next = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (last, "seq"));

      json_builder_add_string_value (builder, next);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _sd_respond_node (req, SOUP_STATUS_OK, root);
}
