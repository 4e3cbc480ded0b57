/* sd-local-store.c
 *
 * Every statement is a constant string prepared once and cached; values
 * are always bound. All access goes through self->lock.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-local-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

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
#include "sd-local-store.h"
#include "sd-sla-policy.h"
#include "sd-user.h"

struct _SdLocalStore
{
  GObject       parent_instance;

  char         *path;
  GMutex        lock;
  sqlite3      *db;            /* guarded by lock */
  GHashTable   *statements;    /* const char *sql (static) → sqlite3_stmt *; guarded by lock */
  GMainContext *context;       /* owned; where "changed" is emitted */
  gint          changed_queued;
};

G_DEFINE_FINAL_TYPE (SdLocalStore, sd_local_store, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (SdOutboxEntry, sd_outbox_entry, sd_outbox_entry_copy, sd_outbox_entry_free)

G_DEFINE_QUARK (sd-local-store-error-quark, sd_local_store_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Schema migrations: entry N brings the schema from version N to N+1.
 * Append only; never edit a migration that has shipped. */
static const char * const migrations[] = {
  /* 1: mirror, outbox, overlay, cursor */
  "CREATE TABLE mirror ("
  "  kind TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  customer_id TEXT,"
  "  parent_id TEXT,"
  "  updated_at INTEGER,"
  "  PRIMARY KEY (kind, id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX mirror_customer ON mirror (kind, customer_id, id);"
  "CREATE INDEX mirror_parent ON mirror (kind, parent_id, id);"
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  op TEXT NOT NULL CHECK (op IN ('create', 'update', 'append_event')),"
  "  kind TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'needs_attention', 'conflict')),"
  "  server_body TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_entity ON outbox (kind, entity_id, seq);"
  "CREATE INDEX outbox_state ON outbox (state, seq);"
  "CREATE TABLE local ("
  "  kind TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  customer_id TEXT,"
  "  parent_id TEXT,"
  "  updated_at INTEGER,"
  "  PRIMARY KEY (kind, id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX local_customer ON local (kind, customer_id, id);"
  "CREATE INDEX local_parent ON local (kind, parent_id, id);"
  "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
  "INSERT INTO sync_state (key, value) VALUES ('cursor', 0);",
};

#define OUTBOX_COLUMNS \
  "seq, op, kind, entity_id, payload, base_version, idempotency_key," \
  " attempts, last_error, state, server_body, created_at"

static const char * const op_names[] = { "create", "update", "append_event" };
static const char * const state_names[] = { "pending", "needs_attention", "conflict" };

static const char * const change_fields[] = {
  "seq", "kind", "id", "version", "deleted", "entity", NULL
};
static const char * const page_fields[] = { "changes", "next", "has_more", NULL };

typedef struct {
  char   *id;
  char   *customer_id;
  char   *parent_id;
  gint64  updated_at;    /* SD_TIME_NONE when unknown */
} EntityMeta;

static void
entity_meta_clear (EntityMeta *meta)
{
  g_clear_pointer (&meta->id, g_free);
  g_clear_pointer (&meta->customer_id, g_free);
  g_clear_pointer (&meta->parent_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EntityMeta, entity_meta_clear)

/* ------------------------------------------------------------- entries */

const char *
sd_outbox_op_to_string (SdOutboxOp op)
{
  g_return_val_if_fail (op <= SD_OUTBOX_OP_APPEND_EVENT, NULL);
  return op_names[op];
}

const char *
sd_outbox_state_to_string (SdOutboxState state)
{
  g_return_val_if_fail (state <= SD_OUTBOX_STATE_CONFLICT, NULL);
  return state_names[state];
}

static int
name_index (const char * const *names,
            guint               n_names,
            const char         *name)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (int) i;
  return -1;
}

SdOutboxEntry *
sd_outbox_entry_copy (const SdOutboxEntry *entry)
{
  SdOutboxEntry *copy = g_new0 (SdOutboxEntry, 1);

  *copy = *entry;
  copy->kind = g_strdup (entry->kind);
  copy->id = g_strdup (entry->id);
  copy->payload = entry->payload ? json_node_copy (entry->payload) : NULL;
  copy->idempotency_key = g_strdup (entry->idempotency_key);
  copy->last_error = g_strdup (entry->last_error);
  copy->server_entity = entry->server_entity ? json_node_copy (entry->server_entity) : NULL;
  return copy;
}

void
sd_outbox_entry_free (SdOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->kind);
  g_free (entry->id);
  g_clear_pointer (&entry->payload, json_node_unref);
  g_free (entry->idempotency_key);
  g_free (entry->last_error);
  g_clear_pointer (&entry->server_entity, json_node_unref);
  g_free (entry);
}

/* ------------------------------------------------------------- SQLite */

static gboolean
set_sqlite_error (SdLocalStore  *self,
                  GError       **error)
{
  g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_FAILED,
               _("The local store “%s” failed: %s"),
               self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (SdLocalStore  *self,
         const char    *sql,
         GError       **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
        {
          set_sqlite_error (self, error);
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static gboolean
exec (SdLocalStore  *self,
      const char    *sql,
      GError       **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_FAILED,
                   _("The local store “%s” failed: %s"), self->path, message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (SdLocalStore  *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error);
  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_time (sqlite3_stmt *stmt,
           int           index,
           gint64        value)
{
  if (value == SD_TIME_NONE)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text ? g_strdup ((const char *) text) : NULL;
}

static JsonNode *
column_json (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text ? json_from_string (text, NULL) : NULL;
}

static gboolean
begin (SdLocalStore  *self,
       GError       **error)
{
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (SdLocalStore  *self,
        GError       **error)
{
  if (!exec (self, "COMMIT", error))
    {
      exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (SdLocalStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    exec (self, "ROLLBACK", NULL);
}

/* ------------------------------------------------------- notification */

static gboolean
changed_cb (gpointer user_data)
{
  SdLocalStore *self = user_data;

  g_atomic_int_set (&self->changed_queued, 0);
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
queue_changed (SdLocalStore *self)
{
  g_autoptr(GSource) source = NULL;

  if (!g_atomic_int_compare_and_exchange (&self->changed_queued, 0, 1))
    return;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, changed_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[sd-local-store] changed");
  g_source_attach (source, self->context);
}

/* ------------------------------------------------------------- entities */

/* Validates @node with the codec of @kind and fills @meta. @path names the
 * document in messages ("changes[3].entity"); NULL for the entity name. */
static gboolean
decode_entity (const char  *kind,
               JsonNode    *node,
               const char  *path,
               EntityMeta  *meta,
               GError     **error)
{
  const SdKind *what = sd_kind_lookup (kind);
  g_autoptr(GObject) object = NULL;

  meta->updated_at = SD_TIME_NONE;

  if (what == NULL)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                   _("“%s” is not a kind of entity"), kind);
      return FALSE;
    }
  if (!(object = what->decode (node, path ? path : kind, error)))
    return FALSE;
  meta->id = g_strdup (what->get_id (object));
  if (what->get_customer_id != NULL)
    meta->customer_id = g_strdup (what->get_customer_id (object));
  if (what->get_parent_id != NULL)
    meta->parent_id = g_strdup (what->get_parent_id (object));
  if (what->get_updated_at != NULL)
    meta->updated_at = what->get_updated_at (object);
  return TRUE;
}

static gint64
entity_version (JsonNode *node)
{
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  member = json_object_get_member (json_node_get_object (node), "version");
  if (member != NULL && json_node_get_value_type (member) == G_TYPE_INT64)
    return json_node_get_int (member);
  return 0;
}

/* RFC 7396. Returns a new tree; @target and @patch are not modified (the
 * result may share their unchanged subtrees). */
static JsonNode *
merge_patch (JsonNode           *target,
             JsonNode           *patch,
             const char * const *ignored)
{
  JsonObject *result, *patch_object, *target_object = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  JsonNode *node;

  if (!JSON_NODE_HOLDS_OBJECT (patch))
    return json_node_copy (patch);

  patch_object = json_node_get_object (patch);
  if (target != NULL && JSON_NODE_HOLDS_OBJECT (target))
    target_object = json_node_get_object (target);

  result = json_object_new ();
  if (target_object != NULL)
    {
      json_object_iter_init (&iter, target_object);
      while (json_object_iter_next (&iter, &name, &member))
        {
          JsonNode *change = json_object_get_member (patch_object, name);

          if (change == NULL || (ignored != NULL && g_strv_contains (ignored, name)))
            json_object_set_member (result, name, json_node_copy (member));
          else if (!JSON_NODE_HOLDS_NULL (change))
            json_object_set_member (result, name, merge_patch (member, change, NULL));
        }
    }
  json_object_iter_init (&iter, patch_object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if ((ignored != NULL && g_strv_contains (ignored, name))
          || JSON_NODE_HOLDS_NULL (member)
          || (target_object != NULL && json_object_has_member (target_object, name)))
        continue;
      json_object_set_member (result, name, merge_patch (NULL, member, NULL));
    }

  node = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);
  return node;
}

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

  if (!(stmt = prepare (self, sql, error)))
    return NULL;
  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    node = column_json (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, error);
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

static JsonNode *
get_view (SdLocalStore  *self,
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

  if (!(stmt = prepare (self, "SELECT 1 FROM outbox WHERE kind = ?1 AND entity_id = ?2 LIMIT 1", error)))
    return FALSE;
  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (self, error);
  *out = rc == SQLITE_ROW;
  return TRUE;
}

/* Recomputes the overlay of one entity: the mirror with its outbox ops
 * applied in order, or no overlay when it has no ops. With @strict a
 * result that does not decode is an error; otherwise the previous overlay
 * stays. */
static gboolean
rebuild_view (SdLocalStore  *self,
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

  if (!(stmt = prepare (self, "SELECT op, payload FROM outbox WHERE kind = ?1 AND entity_id = ?2 ORDER BY seq", error)))
    return FALSE;
  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *op = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(JsonNode) payload = column_json (stmt, 1);

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
          JsonNode *merged = merge_patch (node, payload, sd_kind_lookup (kind)->patch_ignored);

          json_node_unref (node);
          node = merged;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error);

  if (n_ops == 0)
    {
      if (!(stmt = prepare (self, "DELETE FROM local WHERE kind = ?1 AND id = ?2", error)))
        return FALSE;
      bind_text (stmt, 1, kind);
      bind_text (stmt, 2, id);
      return step_done (self, stmt, error);
    }

  if (node == NULL)
    {
      if (!strict)
        return TRUE;
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                   _("There is no %s “%s” to change"), kind, id);
      return FALSE;
    }

  if (!decode_entity (kind, node, NULL, &meta, strict ? error : NULL))
    return !strict;

  body = sd_json_to_string (node, FALSE);
  if (!(stmt = prepare (self,
                        "INSERT OR REPLACE INTO local (kind, id, body, customer_id, parent_id, updated_at) "
                        "VALUES (?1, ?2, ?3, COALESCE (?4,"
                        " (SELECT customer_id FROM local WHERE kind = 'case' AND id = ?5),"
                        " (SELECT customer_id FROM mirror WHERE kind = 'case' AND id = ?5)), ?5, ?6)",
                        error)))
    return FALSE;
  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, id);
  bind_text (stmt, 3, body);
  bind_text (stmt, 4, meta.customer_id);
  bind_text (stmt, 5, meta.parent_id);
  bind_time (stmt, 6, meta.updated_at);
  return step_done (self, stmt, error);
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
  return !edited || rebuild_view (self, kind, id, FALSE, error);
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

  if (!(stmt = prepare (self,
                        "INSERT INTO mirror (kind, id, version, body, customer_id, parent_id, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, COALESCE (?5,"
                        " (SELECT customer_id FROM mirror WHERE kind = 'case' AND id = ?6)), ?6, ?7) "
                        "ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version,"
                        " body = excluded.body, customer_id = excluded.customer_id,"
                        " parent_id = excluded.parent_id, updated_at = excluded.updated_at "
                        "WHERE excluded.version >= mirror.version", error)))
    return FALSE;
  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, meta->id);
  sqlite3_bind_int64 (stmt, 3, version);
  bind_text (stmt, 4, body);
  bind_text (stmt, 5, meta->customer_id);
  bind_text (stmt, 6, meta->parent_id);
  bind_time (stmt, 7, meta->updated_at);
  return step_done (self, stmt, error);
}

static gboolean
mirror_delete (SdLocalStore  *self,
               const char    *kind,
               const char    *id,
               gint64         version,
               GError       **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = prepare (self, "DELETE FROM mirror WHERE kind = ?1 AND id = ?2 AND version <= ?3", error)))
    return FALSE;
  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, id);
  sqlite3_bind_int64 (stmt, 3, version);
  return step_done (self, stmt, error);
}

/* Mirrors an entity the server returned for a write, if it is not older
 * than what is mirrored already. */
static gboolean
mirror_server_entity (SdLocalStore  *self,
                      const char    *kind,
                      JsonNode      *entity,
                      GError       **error)
{
  g_auto(EntityMeta) meta = { 0 };
  g_autofree char *body = NULL;
  g_autofree char *path = g_strdup_printf ("response.%s", kind);
  gint64 version = entity_version (entity);

  if (!decode_entity (kind, entity, path, &meta, error))
    return FALSE;
  body = sd_json_to_string (entity, FALSE);
  return mirror_put (self, kind, version > 0 ? version : 1, &meta, body, error);
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
  if (!decode_entity (kind, entity, entity_path, &meta, error))
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

  if (!(stmt = prepare (self, "UPDATE sync_state SET value = ?1 WHERE key = 'cursor'", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  return step_done (self, stmt, error);
}

/* ----------------------------------------------------------------- outbox */

static SdOutboxEntry *
read_entry (sqlite3_stmt *stmt)
{
  SdOutboxEntry *entry = g_new0 (SdOutboxEntry, 1);
  int index;

  entry->seq = sqlite3_column_int64 (stmt, 0);
  index = name_index (op_names, G_N_ELEMENTS (op_names), (const char *) sqlite3_column_text (stmt, 1));
  entry->op = index < 0 ? SD_OUTBOX_OP_UPDATE : (SdOutboxOp) index;
  entry->kind = column_dup (stmt, 2);
  entry->id = column_dup (stmt, 3);
  entry->payload = column_json (stmt, 4);
  entry->base_version = sqlite3_column_int64 (stmt, 5);
  entry->idempotency_key = column_dup (stmt, 6);
  entry->attempts = (guint) sqlite3_column_int (stmt, 7);
  entry->last_error = column_dup (stmt, 8);
  index = name_index (state_names, G_N_ELEMENTS (state_names), (const char *) sqlite3_column_text (stmt, 9));
  entry->state = index < 0 ? SD_OUTBOX_STATE_PENDING : (SdOutboxState) index;
  entry->server_entity = column_json (stmt, 10);
  entry->created_at = sqlite3_column_int64 (stmt, 11);
  return entry;
}

static SdOutboxEntry *
get_entry (SdLocalStore  *self,
           gint64         seq,
           GError       **error)
{
  sqlite3_stmt *stmt;
  SdOutboxEntry *entry = NULL;
  int rc;

  if (!(stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE seq = ?1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry = read_entry (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                 _("There is no change number %d waiting to be sent"), (int) seq);
  else
    set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return entry;
}

static gboolean
delete_entry (SdLocalStore  *self,
              gint64         seq,
              GError       **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = prepare (self, "DELETE FROM outbox WHERE seq = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return step_done (self, stmt, error);
}

static GPtrArray *
list_entries (SdLocalStore   *self,
              SdOutboxState   state,
              GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = prepare (self, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE state = ?1 ORDER BY seq", error)))
    return NULL;
  bind_text (stmt, 1, state_names[state]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
validate_op (SdLocalStore  *self,
             SdOutboxOp     op,
             const char    *kind,
             const char    *id,
             JsonNode      *payload,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) current = NULL;
  g_auto(EntityMeta) meta = { 0 };

  if (sd_kind_lookup (kind) == NULL || !sd_json_id_is_valid (id))
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                   _("“%s” “%s” is not an entity that can be changed"), kind ? kind : "", id ? id : "");
      return FALSE;
    }
  if (op == SD_OUTBOX_OP_APPEND_EVENT && !g_str_equal (kind, "case_event"))
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                   _("Only case events can be appended, not a %s"), kind);
      return FALSE;
    }
  if (op == SD_OUTBOX_OP_UPDATE)
    {
      if (!JSON_NODE_HOLDS_OBJECT (payload))
        {
          g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                       _("A change to %s “%s” must be a JSON object"), kind, id);
          return FALSE;
        }
      return TRUE;
    }

  current = get_view (self, kind, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (current != NULL)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_EXISTS,
                   _("The %s “%s” exists already"), kind, id);
      return FALSE;
    }
  if (!decode_entity (kind, payload, NULL, &meta, error))
    return FALSE;
  if (g_strcmp0 (meta.id, id) != 0)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                   _("The new %s is “%s”, not “%s”"), kind, meta.id, id);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ views */

static gboolean
each_body (SdLocalStore   *self,
           const char     *sql,
           const char     *kind,
           const char     *filter,
           SdLocalStoreFunc func,
           gpointer        user_data,
           GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = prepare (self, sql, error)))
    return FALSE;
  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, filter);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = column_json (stmt, 1);

      if (node != NULL)
        func (node, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
collect_body (JsonNode *body,
              gpointer  user_data)
{
  g_ptr_array_add (user_data, json_node_ref (body));
}

static GPtrArray *
list_bodies (SdLocalStore  *self,
             const char    *sql,
             const char    *kind,
             const char    *filter,
             GError       **error)
{
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  if (!each_body (self, sql, kind, filter, collect_body, bodies, error))
    return NULL;
  return g_steal_pointer (&bodies);
}

/* ---------------------------------------------------------------- object */

static void
sd_local_store_finalize (GObject *object)
{
  SdLocalStore *self = SD_LOCAL_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sd_local_store_parent_class)->finalize (object);
}

static void
sd_local_store_class_init (SdLocalStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_local_store_finalize;

  /**
   * SdLocalStore::changed:
   *
   * The local view or the outbox changed. Emitted on the main context
   * that was the thread default when the store was opened; several
   * changes in a row give one emission.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sd_local_store_init (SdLocalStore *self)
{
  g_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
  self->context = g_main_context_ref_thread_default ();
}

static int
read_schema_version (SdLocalStore *self)
{
  sqlite3_stmt *stmt;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        version = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }
  return version;
}

static gboolean
migrate (SdLocalStore  *self,
         GError       **error)
{
  int version = read_schema_version (self);

  if (version < 0)
    return set_sqlite_error (self, error);
  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_SCHEMA,
                   _("The local store “%s” was written by a newer version of SupportDesk "
                     "(schema %d; this version knows up to %d)"),
                   self->path, version, (int) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!begin (self, error))
        return FALSE;
      if (!exec (self, migrations[version], error) || !exec (self, bump, error))
        {
          rollback (self);
          return FALSE;
        }
      if (!commit (self, error))
        return FALSE;
      g_debug ("migrated %s to schema version %d", self->path, version + 1);
    }
  return TRUE;
}

/* ------------------------------------------------------------ public API */

SdLocalStore *
sd_local_store_open (const char  *path,
                     GError     **error)
{
  g_autoptr(SdLocalStore) self = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SD_TYPE_LOCAL_STORE, NULL);
  self->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s” for the local store: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_FAILED,
                   _("Cannot open the local store “%s”: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  if (!exec (self, "PRAGMA journal_mode = WAL", error)
      || !exec (self, "PRAGMA synchronous = FULL", error)
      || !exec (self, "PRAGMA foreign_keys = ON", error)
      || !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
sd_local_store_get_path (SdLocalStore *self)
{
  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), NULL);
  return self->path;
}

int
sd_local_store_get_schema_version (SdLocalStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), -1);
  locker = g_mutex_locker_new (&self->lock);
  return read_schema_version (self);
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
  if (!begin (self, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (changes); i++)
    if (!apply_change (self, json_array_get_element (changes, i), i, error))
      goto failed;
  if (!set_cursor (self, next, error) || !commit (self, error))
    goto failed;
  queue_changed (self);
  return TRUE;

failed:
  rollback (self);
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
  if (!(stmt = prepare (self, "SELECT value FROM sync_state WHERE key = 'cursor'", error)))
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = sqlite3_column_int64 (stmt, 0);
  else
    set_sqlite_error (self, error);
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
  if (!begin (self, error))
    return FALSE;
  if (!(stmt = prepare (self, "DELETE FROM mirror", error))
      || !step_done (self, stmt, error)
      || !set_cursor (self, 0, error)
      || !(stmt = prepare (self, "SELECT DISTINCT kind, entity_id FROM outbox", error)))
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (edited, column_dup (stmt, 0));
      g_ptr_array_add (edited, column_dup (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, error);
      goto failed;
    }
  for (guint i = 0; i + 1 < edited->len; i += 2)
    if (!rebuild_view (self, edited->pdata[i], edited->pdata[i + 1], FALSE, error))
      goto failed;
  if (!commit (self, error))
    goto failed;
  queue_changed (self);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

gint64
sd_local_store_enqueue (SdLocalStore  *self,
                        SdOutboxOp     op,
                        const char    *kind,
                        const char    *id,
                        JsonNode      *payload,
                        gint64         base_version,
                        GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), 0);
  g_return_val_if_fail (op <= SD_OUTBOX_OP_APPEND_EVENT, 0);
  g_return_val_if_fail (payload != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  text = sd_json_to_string (payload, FALSE);
  key = g_uuid_string_random ();

  locker = g_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return 0;
  if (!validate_op (self, op, kind, id, payload, error))
    goto failed;
  if (!(stmt = prepare (self,
                        "INSERT INTO outbox (op, kind, entity_id, payload, base_version, idempotency_key, created_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)))
    goto failed;
  bind_text (stmt, 1, op_names[op]);
  bind_text (stmt, 2, kind);
  bind_text (stmt, 3, id);
  bind_text (stmt, 4, text);
  sqlite3_bind_int64 (stmt, 5, base_version);
  bind_text (stmt, 6, key);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, stmt, error))
    goto failed;
  seq = sqlite3_last_insert_rowid (self->db);
  if (!rebuild_view (self, kind, id, TRUE, error) || !commit (self, error))
    goto failed;
  queue_changed (self);
  return seq;

failed:
  rollback (self);
  return 0;
}

SdOutboxEntry *
sd_local_store_peek (SdLocalStore  *self,
                     GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;
  SdOutboxEntry *entry = NULL;
  int rc;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->lock);
  if (!(stmt = prepare (self,
                        "SELECT " OUTBOX_COLUMNS " FROM outbox o WHERE state = 'pending'"
                        " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.kind = o.kind"
                        " AND p.entity_id = o.entity_id AND p.seq < o.seq AND p.state <> 'pending')"
                        " ORDER BY seq LIMIT 1", error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry = read_entry (stmt);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, error);
  sqlite3_reset (stmt);
  return entry;
}

gboolean
sd_local_store_complete (SdLocalStore  *self,
                         gint64         seq,
                         JsonNode      *entity,
                         GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(SdOutboxEntry) entry = NULL;
  sqlite3_stmt *stmt;
  gint64 version = entity_version (entity);

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;
  if (!(entry = get_entry (self, seq, error))
      || !delete_entry (self, seq, error))
    goto failed;
  if (entity != NULL && !mirror_server_entity (self, entry->kind, entity, error))
    goto failed;
  if (version > 0)
    {
      if (!(stmt = prepare (self,
                            "UPDATE outbox SET base_version = ?4 WHERE kind = ?1 AND entity_id = ?2"
                            " AND seq > ?3 AND op = 'update' AND base_version < ?4", error)))
        goto failed;
      bind_text (stmt, 1, entry->kind);
      bind_text (stmt, 2, entry->id);
      sqlite3_bind_int64 (stmt, 3, seq);
      sqlite3_bind_int64 (stmt, 4, version);
      if (!step_done (self, stmt, error))
        goto failed;
    }
  if (!rebuild_view (self, entry->kind, entry->id, FALSE, error) || !commit (self, error))
    goto failed;
  queue_changed (self);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

gboolean
sd_local_store_fail (SdLocalStore  *self,
                     gint64         seq,
                     const char    *message,
                     gboolean       permanent,
                     GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!(stmt = prepare (self,
                        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,"
                        " state = CASE WHEN ?3 THEN 'needs_attention' ELSE state END"
                        " WHERE seq = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  bind_text (stmt, 2, message);
  sqlite3_bind_int (stmt, 3, permanent ? 1 : 0);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                   _("There is no change number %d waiting to be sent"), (int) seq);
      return FALSE;
    }
  queue_changed (self);
  return TRUE;
}

gboolean
sd_local_store_mark_conflict (SdLocalStore  *self,
                              gint64         seq,
                              JsonNode      *server_entity,
                              GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(SdOutboxEntry) entry = NULL;
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  g_return_val_if_fail (server_entity != NULL, FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;
  if (!(entry = get_entry (self, seq, error))
      || !mirror_server_entity (self, entry->kind, server_entity, error))
    goto failed;
  body = sd_json_to_string (server_entity, FALSE);
  if (!(stmt = prepare (self,
                        "UPDATE outbox SET state = 'conflict', server_body = ?2, attempts = attempts + 1"
                        " WHERE seq = ?1", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, seq);
  bind_text (stmt, 2, body);
  if (!step_done (self, stmt, error)
      || !rebuild_view (self, entry->kind, entry->id, FALSE, error)
      || !commit (self, error))
    goto failed;
  queue_changed (self);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

gboolean
sd_local_store_resolve_conflict (SdLocalStore          *self,
                                 gint64                 seq,
                                 SdConflictResolution   resolution,
                                 GError               **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(SdOutboxEntry) entry = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;
  if (!(entry = get_entry (self, seq, error)))
    goto failed;
  if (entry->state != SD_OUTBOX_STATE_CONFLICT)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                   _("Change number %d is not in conflict"), (int) seq);
      goto failed;
    }
  if (resolution == SD_CONFLICT_TAKE_THEIRS)
    {
      if (!delete_entry (self, seq, error))
        goto failed;
    }
  else
    {
      if (!(stmt = prepare (self,
                            "UPDATE outbox SET state = 'pending', base_version = ?2, server_body = NULL,"
                            " attempts = 0, last_error = NULL WHERE seq = ?1", error)))
        goto failed;
      sqlite3_bind_int64 (stmt, 1, seq);
      sqlite3_bind_int64 (stmt, 2, entity_version (entry->server_entity));
      if (!step_done (self, stmt, error))
        goto failed;
    }
  if (!rebuild_view (self, entry->kind, entry->id, FALSE, error) || !commit (self, error))
    goto failed;
  queue_changed (self);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

gboolean
sd_local_store_retry (SdLocalStore  *self,
                      gint64         seq,
                      GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!(stmt = prepare (self,
                        "UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL"
                        " WHERE seq = ?1 AND state = 'needs_attention'", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                   _("Change number %d does not need attention"), (int) seq);
      return FALSE;
    }
  queue_changed (self);
  return TRUE;
}

gboolean
sd_local_store_discard (SdLocalStore  *self,
                        gint64         seq,
                        GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(SdOutboxEntry) entry = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!begin (self, error))
    return FALSE;
  if (!(entry = get_entry (self, seq, error))
      || !delete_entry (self, seq, error)
      || !rebuild_view (self, entry->kind, entry->id, FALSE, error)
      || !commit (self, error))
    goto failed;
  queue_changed (self);
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

GPtrArray *
sd_local_store_list_outbox (SdLocalStore   *self,
                            SdOutboxState   state,
                            GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (state <= SD_OUTBOX_STATE_CONFLICT, NULL);
  locker = g_mutex_locker_new (&self->lock);
  return list_entries (self, state, error);
}

GPtrArray *
sd_local_store_list_conflicts (SdLocalStore  *self,
                               GError       **error)
{
  return sd_local_store_list_outbox (self, SD_OUTBOX_STATE_CONFLICT, error);
}

gboolean
sd_local_store_get_counts (SdLocalStore  *self,
                           guint         *pending,
                           guint         *conflicts,
                           guint         *needs_attention,
                           GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint counts[G_N_ELEMENTS (state_names)] = { 0 };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!(stmt = prepare (self, "SELECT state, count(*) FROM outbox GROUP BY state", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int index = name_index (state_names, G_N_ELEMENTS (state_names),
                              (const char *) sqlite3_column_text (stmt, 0));

      if (index >= 0)
        counts[index] = (guint) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error);
  if (pending != NULL)
    *pending = counts[SD_OUTBOX_STATE_PENDING];
  if (conflicts != NULL)
    *conflicts = counts[SD_OUTBOX_STATE_CONFLICT];
  if (needs_attention != NULL)
    *needs_attention = counts[SD_OUTBOX_STATE_NEEDS_ATTENTION];
  return TRUE;
}

JsonNode *
sd_local_store_get (SdLocalStore  *self,
                    const char    *kind,
                    const char    *id,
                    GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL && id != NULL, NULL);
  locker = g_mutex_locker_new (&self->lock);
  return get_view (self, kind, id, error);
}

#define LOCAL_VIEW_SQL \
  "SELECT id, body FROM local WHERE kind = ?1 AND (?2 IS NULL OR customer_id = ?2) " \
  "UNION ALL " \
  "SELECT m.id, m.body FROM mirror m WHERE m.kind = ?1" \
  " AND (?2 IS NULL OR m.customer_id = ?2)" \
  " AND NOT EXISTS (SELECT 1 FROM local l WHERE l.kind = m.kind AND l.id = m.id) " \
  "ORDER BY 1"

GPtrArray *
sd_local_store_list (SdLocalStore  *self,
                     const char    *kind,
                     const char    *customer_id,
                     GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  locker = g_mutex_locker_new (&self->lock);
  return list_bodies (self, LOCAL_VIEW_SQL, kind, customer_id, error);
}

gboolean
sd_local_store_foreach (SdLocalStore      *self,
                        const char        *kind,
                        const char        *customer_id,
                        SdLocalStoreFunc   func,
                        gpointer           user_data,
                        GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  locker = g_mutex_locker_new (&self->lock);
  return each_body (self, LOCAL_VIEW_SQL, kind, customer_id, func, user_data, error);
}

GPtrArray *
sd_local_store_list_events (SdLocalStore  *self,
                            const char    *case_id,
                            GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (case_id != NULL, NULL);
  locker = g_mutex_locker_new (&self->lock);
  return list_bodies (self,
                      "SELECT id, body FROM local WHERE kind = ?1 AND parent_id = ?2 "
                      "UNION ALL "
                      "SELECT m.id, m.body FROM mirror m WHERE m.kind = ?1 AND m.parent_id = ?2"
                      " AND NOT EXISTS (SELECT 1 FROM local l WHERE l.kind = m.kind AND l.id = m.id) "
                      "ORDER BY 1",
                      "case_event", case_id, error);
}

GPtrArray *
sd_local_store_list_cases_for_board (SdLocalStore  *self,
                                     GError       **error)
{
  return sd_local_store_list (self, "case", NULL, error);
}

/* ------------------------------------------------------------------ async */

typedef struct {
  SdOutboxOp  op;
  char       *kind;
  char       *id;
  char       *customer_id;
  JsonNode   *node;
  gint64      base_version;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->kind);
  g_free (data->id);
  g_free (data->customer_id);
  g_clear_pointer (&data->node, json_node_unref);
  g_free (data);
}

static void
apply_changes_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (sd_local_store_apply_changes (source_object, data->node, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_local_store_apply_changes_async (SdLocalStore        *self,
                                    JsonNode            *page,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (SD_IS_LOCAL_STORE (self));
  g_return_if_fail (page != NULL);

  data = g_new0 (TaskData, 1);
  data->node = json_node_ref (page);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_local_store_apply_changes_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, apply_changes_thread);
}

gboolean
sd_local_store_apply_changes_finish (SdLocalStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
enqueue_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gint64 seq;

  if (g_task_return_error_if_cancelled (task))
    return;
  seq = sd_local_store_enqueue (source_object, data->op, data->kind, data->id,
                                data->node, data->base_version, &error);
  if (seq > 0)
    g_task_return_int (task, seq);
  else
    g_task_return_error (task, error);
}

void
sd_local_store_enqueue_async (SdLocalStore        *self,
                              SdOutboxOp           op,
                              const char          *kind,
                              const char          *id,
                              JsonNode            *payload,
                              gint64               base_version,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (SD_IS_LOCAL_STORE (self));
  g_return_if_fail (payload != NULL);

  data = g_new0 (TaskData, 1);
  data->op = op;
  data->kind = g_strdup (kind);
  data->id = g_strdup (id);
  data->node = json_node_ref (payload);
  data->base_version = base_version;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_local_store_enqueue_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, enqueue_thread);
}

gint64
sd_local_store_enqueue_finish (SdLocalStore  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  gssize seq;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  seq = g_task_propagate_int (G_TASK (result), error);
  return seq > 0 ? (gint64) seq : 0;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  GPtrArray *bodies;

  if (g_task_return_error_if_cancelled (task))
    return;
  bodies = sd_local_store_list (source_object, data->kind, data->customer_id, &error);
  if (bodies != NULL)
    g_task_return_pointer (task, bodies, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
sd_local_store_list_async (SdLocalStore        *self,
                           const char          *kind,
                           const char          *customer_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (SD_IS_LOCAL_STORE (self));
  g_return_if_fail (kind != NULL);

  data = g_new0 (TaskData, 1);
  data->kind = g_strdup (kind);
  data->customer_id = g_strdup (customer_id);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_local_store_list_async);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
sd_local_store_list_finish (SdLocalStore  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
