/* sd-local-store-overlay.c — the mirror of the server and the local view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-local-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sd-calendar.h"
#include "sd-case.h"
#include "sd-case-event.h"
#include "sd-checklist-item.h"
#include "sd-checklist-template.h"
#include "sd-customer.h"
#include "sd-enums.h"
#include "sd-health-check.h"
#include "sd-json.h"
#include "sd-kind.h"
#include "sd-local-store-private.h"
#include "sd-sla-policy.h"
#include "sd-sqlite.h"
#include "sd-user.h"


/* A change of this kind is no entity: it tells this user that they no
 * longer see the customer it names. */
#define SD_ACCESS_CHANGE_KIND "access"

static const char * const change_fields[] = {
  "seq", "kind", "id", "version", "deleted", "entity", NULL
};
static const char * const page_fields[] = { "changes", "next", "has_more", NULL };

/* ---------------------------------------------------------- the overlay */

static JsonNode *
lookup_body (SdLocalStore  *self,
             const char    *sql,
             const char    *kind,
             const char    *id,
             GError       **error)
{
  sqlite3_stmt *stmt;
  JsonNode *node = NULL;
  int rc;

  if (!(stmt = sd_sqlite_prepare (self->db, sql, error)))
    return NULL;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    node = sd_sqlite_column_json (stmt, 0);
  else if (rc != SQLITE_DONE)
    sd_sqlite_fail (self->db, error);
  sqlite3_reset (stmt);
  return node;
}

static JsonNode *
get_mirrored (SdLocalStore  *self,
              const char    *kind,
              const char    *id,
              GError       **error)
{
  return lookup_body (self, "SELECT body FROM mirror WHERE kind = ?1 AND id = ?2", kind, id, error);
}

JsonNode *
_sd_local_store_get_view (SdLocalStore  *self,
          const char    *kind,
          const char    *id,
          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *node;

  node = lookup_body (self, "SELECT body FROM local WHERE kind = ?1 AND id = ?2", kind, id, &local_error);
  if (node != NULL || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return node;
    }
  return get_mirrored (self, kind, id, error);
}

static gboolean
has_ops (SdLocalStore  *self,
         const char    *kind,
         const char    *id,
         gboolean      *out,
         GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sd_sqlite_prepare (self->db, "SELECT 1 FROM outbox WHERE kind = ?1 AND entity_id = ?2 LIMIT 1", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sd_sqlite_fail (self->db, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

/* Recomputes the overlay of one entity: the mirror with its outbox ops
 * applied in order, or no overlay when it has no ops. With @strict a
 * result that does not decode is an error; otherwise the previous overlay
 * stays. */
gboolean
_sd_local_store_rebuild_view (SdLocalStore  *self,
              const char    *kind,
              const char    *id,
              gboolean       strict,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_auto(EntityMeta) meta = { 0 };
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt;
  guint n_ops = 0;
  int rc;

  node = get_mirrored (self, kind, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!(stmt = sd_sqlite_prepare (self->db, "SELECT op, payload FROM outbox WHERE kind = ?1 AND entity_id = ?2 ORDER BY seq", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *op = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(JsonNode) payload = sd_sqlite_column_json (stmt, 1);

      n_ops++;
      if (payload == NULL)
        continue;
      if (g_strcmp0 (op, "update") != 0)
        {
          g_clear_pointer (&node, json_node_unref);
          node = g_steal_pointer (&payload);
        }
      else if (node != NULL)
        {
          JsonNode *merged = _sd_local_store_merge_patch (node, payload, sd_kind_lookup (kind)->patch_ignored);

          json_node_unref (node);
          node = merged;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sd_sqlite_fail (self->db, error);

  if (n_ops == 0)
    {
      if (!(stmt = sd_sqlite_prepare (self->db, "DELETE FROM local WHERE kind = ?1 AND id = ?2", error)))
        return FALSE;
      sd_sqlite_bind_text (stmt, 1, kind);
      sd_sqlite_bind_text (stmt, 2, id);
      return sd_sqlite_step_done (self->db, stmt, error);
    }

  if (node == NULL)
    {
      if (!strict)
        return TRUE;
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                   _("There is no %s “%s” to change"), kind, id);
      return FALSE;
    }

  if (!_sd_local_store_decode_entity (kind, node, NULL, &meta, strict ? error : NULL))
    return !strict;

  body = sd_json_to_string (node, FALSE);
  if (!(stmt = sd_sqlite_prepare (self->db,
                                  "INSERT OR REPLACE INTO local (kind, id, body, customer_id, parent_id, updated_at) "
                                  "VALUES (?1, ?2, ?3, COALESCE (?4,"
                                  " (SELECT customer_id FROM local WHERE kind = 'case' AND id = ?5),"
                                  " (SELECT customer_id FROM mirror WHERE kind = 'case' AND id = ?5)), ?5, ?6)",
                                  error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  sd_sqlite_bind_text (stmt, 3, body);
  sd_sqlite_bind_text (stmt, 4, meta.customer_id);
  sd_sqlite_bind_text (stmt, 5, meta.parent_id);
  sd_sqlite_bind_time (stmt, 6, meta.updated_at);
  return sd_sqlite_step_done (self->db, stmt, error);
}

static gboolean
rebuild_if_edited (SdLocalStore  *self,
                   const char    *kind,
                   const char    *id,
                   GError       **error)
{
  gboolean edited = FALSE;

  if (!has_ops (self, kind, id, &edited, error))
    return FALSE;
  return !edited || _sd_local_store_rebuild_view (self, kind, id, FALSE, error);
}

/* --------------------------------------------------------------- mirror */

static gboolean
mirror_put (SdLocalStore      *self,
            const char        *kind,
            gint64             version,
            const EntityMeta  *meta,
            const char        *body,
            GError           **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->db,
                                  "INSERT INTO mirror (kind, id, version, body, customer_id, parent_id, updated_at) "
                                  "VALUES (?1, ?2, ?3, ?4, COALESCE (?5,"
                                  " (SELECT customer_id FROM mirror WHERE kind = 'case' AND id = ?6)), ?6, ?7) "
                                  "ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version,"
                                  " body = excluded.body, customer_id = excluded.customer_id,"
                                  " parent_id = excluded.parent_id, updated_at = excluded.updated_at "
                                  "WHERE excluded.version >= mirror.version", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, meta->id);
  sqlite3_bind_int64 (stmt, 3, version);
  sd_sqlite_bind_text (stmt, 4, body);
  sd_sqlite_bind_text (stmt, 5, meta->customer_id);
  sd_sqlite_bind_text (stmt, 6, meta->parent_id);
  sd_sqlite_bind_time (stmt, 7, meta->updated_at);
  return sd_sqlite_step_done (self->db, stmt, error);
}

static gboolean
mirror_delete (SdLocalStore  *self,
               const char    *kind,
               const char    *id,
               gint64         version,
               GError       **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->db, "DELETE FROM mirror WHERE kind = ?1 AND id = ?2 AND version <= ?3", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  sqlite3_bind_int64 (stmt, 3, version);
  return sd_sqlite_step_done (self->db, stmt, error);
}

/* Mirrors an entity the server returned for a write, if it is not older
 * than what is mirrored already. */
gboolean
_sd_local_store_mirror_server_entity (SdLocalStore  *self,
                      const char    *kind,
                      JsonNode      *entity,
                      GError       **error)
{
  g_auto(EntityMeta) meta = { 0 };
  g_autofree char *body = NULL;
  g_autofree char *path = g_strdup_printf ("response.%s", kind);
  gint64 version = _sd_local_store_entity_version (entity);

  if (!_sd_local_store_decode_entity (kind, entity, path, &meta, error))
    return FALSE;
  body = sd_json_to_string (entity, FALSE);
  return mirror_put (self, kind, version > 0 ? version : 1, &meta, body, error);
}

/* The server's word that this user no longer sees a customer (a TAM's
 * customer given to another): the mirror forgets the customer and all
 * that belongs to it. Unsent edits stay in the outbox, and their overlay
 * with them, until the server answers them. */
static gboolean
forget_customer (SdLocalStore  *self,
                 JsonNode      *entity,
                 const char    *path,
                 GError       **error)
{
  static const char * const sql[] = {
    "DELETE FROM mirror WHERE kind IN ('case_event', 'sla_record') AND parent_id IN"
    " (SELECT id FROM mirror WHERE kind = 'case' AND customer_id = ?1)",
    "DELETE FROM mirror WHERE customer_id = ?1",
  };
  JsonObject *object;
  const char *customer_id = NULL;

  if (!(object = sd_json_node_get_object (entity, path, error))
      || !sd_json_get_id (object, path, "customer_id", TRUE, &customer_id, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    {
      sqlite3_stmt *stmt = sd_sqlite_prepare (self->db, sql[i], error);

      if (stmt == NULL)
        return FALSE;
      sd_sqlite_bind_text (stmt, 1, customer_id);
      if (!sd_sqlite_step_done (self->db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* One change of a page: validated, then written. */
static gboolean
apply_change (SdLocalStore  *self,
              JsonNode      *change_node,
              guint          index,
              GError       **error)
{
  g_autofree char *path = g_strdup_printf ("changes[%u]", index);
  g_autofree char *entity_path = NULL;
  g_auto(EntityMeta) meta = { 0 };
  g_autofree char *body = NULL;
  JsonObject *change;
  JsonNode *entity;
  const char *kind = NULL, *id = NULL;
  gint64 seq, version;
  gboolean deleted;

  if (!(change = sd_json_node_get_object (change_node, path, error))
      || !sd_json_check_fields (change, path, change_fields, error)
      || !sd_json_get_int (change, path, "seq", TRUE, 1, G_MAXINT64, &seq, error)
      || !sd_json_get_string (change, path, "kind", TRUE, &kind, error)
      || !sd_json_get_id (change, path, "id", TRUE, &id, error)
      || !sd_json_get_int (change, path, "version", TRUE, 0, G_MAXINT64, &version, error)
      || !sd_json_get_bool (change, path, "deleted", TRUE, &deleted, error))
    goto invalid;

  if (g_str_equal (kind, SD_ACCESS_CHANGE_KIND))
    {
      entity = json_object_get_member (change, "entity");
      entity_path = sd_json_path_join (path, "entity");
      if (deleted || entity == NULL || !forget_customer (self, entity, entity_path, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD, _("Field “%s” is missing"), entity_path);
          goto invalid;
        }
      return TRUE;
    }

  if (sd_kind_lookup (kind) == NULL)
    {
      sd_json_set_invalid (error, path, "kind", _("“%s” is not a kind of entity"), kind);
      goto invalid;
    }

  if (deleted)
    {
      if (!mirror_delete (self, kind, id, version, error))
        return FALSE;
      return rebuild_if_edited (self, kind, id, error);
    }

  entity = json_object_get_member (change, "entity");
  entity_path = sd_json_path_join (path, "entity");
  if (entity == NULL || JSON_NODE_HOLDS_NULL (entity))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD, _("Field “%s” is missing"), entity_path);
      goto invalid;
    }
  if (!_sd_local_store_decode_entity (kind, entity, entity_path, &meta, error))
    goto invalid;
  if (g_strcmp0 (meta.id, id) != 0)
    {
      sd_json_set_invalid (error, entity_path, "id", _("“%s” is not the change’s id “%s”"),
                           meta.id, id);
      goto invalid;
    }

  body = sd_json_to_string (entity, FALSE);
  if (!mirror_put (self, kind, version, &meta, body, error))
    return FALSE;
  return rebuild_if_edited (self, kind, id, error);

invalid:
  g_prefix_error (error, _("Change %u (%s “%s”): "), index,
                  kind ? kind : "?", id ? id : "?");
  return FALSE;
}

static gboolean
set_cursor (SdLocalStore  *self,
            gint64         cursor,
            GError       **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->db, "UPDATE sync_state SET value = ?1 WHERE key = 'cursor'", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  return sd_sqlite_step_done (self->db, stmt, error);
}

gboolean
sd_local_store_apply_changes (SdLocalStore  *self,
                              JsonNode      *page,
                              GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  JsonObject *object;
  JsonArray *changes;
  gint64 next;
  gboolean has_more;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(object = sd_json_node_get_object (page, "page", error))
      || !sd_json_check_fields (object, "page", page_fields, error)
      || !sd_json_get_array (object, "page", "changes", TRUE, &changes, error)
      || !sd_json_get_int (object, "page", "next", TRUE, 0, G_MAXINT64, &next, error)
      || !sd_json_get_bool (object, "page", "has_more", TRUE, &has_more, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  if (!sd_sqlite_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (!apply_change (self, json_array_get_element (changes, i), i, error))
      goto failed;
  if (!set_cursor (self, next, error) || !sd_sqlite_commit (self->db, error))
    goto failed;
  _sd_local_store_queue_changed (self);
  return TRUE;

failed:
  sd_sqlite_rollback (self->db);
  return FALSE;
}

gint64
sd_local_store_get_cursor (SdLocalStore  *self,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  gint64 cursor = -1;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), -1);
  locker = g_mutex_locker_new (&self->lock);
  if (!(stmt = sd_sqlite_prepare (self->db, "SELECT value FROM sync_state WHERE key = 'cursor'", error)))
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = sqlite3_column_int64 (stmt, 0);
  else
    sd_sqlite_fail (self->db, error);
  sqlite3_reset (stmt);
  return cursor;
}

gboolean
sd_local_store_reset_mirror (SdLocalStore  *self,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) edited = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!sd_sqlite_begin (self->db, error))
    return FALSE;
  if (!(stmt = sd_sqlite_prepare (self->db, "DELETE FROM mirror", error))
      || !sd_sqlite_step_done (self->db, stmt, error)
      || !set_cursor (self, 0, error)
      || !(stmt = sd_sqlite_prepare (self->db, "SELECT DISTINCT kind, entity_id FROM outbox", error)))
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (edited, sd_sqlite_column_dup (stmt, 0));
      g_ptr_array_add (edited, sd_sqlite_column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_sqlite_fail (self->db, error);
      goto failed;
    }
  for (guint i = 0; i + 1 < edited->len; i += 2)
    if (!_sd_local_store_rebuild_view (self, edited->pdata[i], edited->pdata[i + 1], FALSE, error))
      goto failed;
  if (!sd_sqlite_commit (self->db, error))
    goto failed;
  _sd_local_store_queue_changed (self);
  return TRUE;

failed:
  sd_sqlite_rollback (self->db);
  return FALSE;
}

