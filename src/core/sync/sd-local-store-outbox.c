/* sd-local-store-outbox.c — the edits waiting to be sent
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


#define OUTBOX_COLUMNS \
  "seq, op, kind, entity_id, payload, base_version, idempotency_key," \
  " attempts, last_error, state, server_body, created_at"

static const char * const op_names[] = { "create", "update", "append_event" };
static const char * const state_names[] = { "pending", "needs_attention", "conflict" };

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

/* ----------------------------------------------------------------- outbox */

static SdOutboxEntry *
read_entry (sqlite3_stmt *stmt)
{
  SdOutboxEntry *entry = g_new0 (SdOutboxEntry, 1);
  int index;

  entry->seq = sqlite3_column_int64 (stmt, 0);
  index = name_index (op_names, G_N_ELEMENTS (op_names), (const char *) sqlite3_column_text (stmt, 1));
  entry->op = index < 0 ? SD_OUTBOX_OP_UPDATE : (SdOutboxOp) index;
  entry->kind = sd_sqlite_column_dup (stmt, 2);
  entry->id = sd_sqlite_column_dup (stmt, 3);
  entry->payload = sd_sqlite_column_json (stmt, 4);
  entry->base_version = sqlite3_column_int64 (stmt, 5);
  entry->idempotency_key = sd_sqlite_column_dup (stmt, 6);
  entry->attempts = (guint) sqlite3_column_int (stmt, 7);
  entry->last_error = sd_sqlite_column_dup (stmt, 8);
  index = name_index (state_names, G_N_ELEMENTS (state_names), (const char *) sqlite3_column_text (stmt, 9));
  entry->state = index < 0 ? SD_OUTBOX_STATE_PENDING : (SdOutboxState) index;
  entry->server_entity = sd_sqlite_column_json (stmt, 10);
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

  if (!(stmt = sd_sqlite_prepare (self->db, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE seq = ?1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry = read_entry (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                 _("There is no change number %d waiting to be sent"), (int) seq);
  else
    sd_sqlite_fail (self->db, error);
  sqlite3_reset (stmt);
  return entry;
}

static gboolean
delete_entry (SdLocalStore  *self,
              gint64         seq,
              GError       **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->db, "DELETE FROM outbox WHERE seq = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return sd_sqlite_step_done (self->db, stmt, error);
}

static GPtrArray *
list_entries (SdLocalStore   *self,
              SdOutboxState   state,
              GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sd_sqlite_prepare (self->db, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE state = ?1 ORDER BY seq", error)))
    return NULL;
  sd_sqlite_bind_text (stmt, 1, state_names[state]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_sqlite_fail (self->db, error);
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

  current = _sd_local_store_get_view (self, kind, id, &local_error);
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
  if (!_sd_local_store_decode_entity (kind, payload, NULL, &meta, error))
    return FALSE;
  if (g_strcmp0 (meta.id, id) != 0)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_INVALID,
                   _("The new %s is “%s”, not “%s”"), kind, meta.id, id);
      return FALSE;
    }
  return TRUE;
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
  if (!sd_sqlite_begin (self->db, error))
    return 0;
  if (!validate_op (self, op, kind, id, payload, error))
    goto failed;
  if (!(stmt = sd_sqlite_prepare (self->db,
                                  "INSERT INTO outbox (op, kind, entity_id, payload, base_version, idempotency_key, created_at) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)))
    goto failed;
  sd_sqlite_bind_text (stmt, 1, op_names[op]);
  sd_sqlite_bind_text (stmt, 2, kind);
  sd_sqlite_bind_text (stmt, 3, id);
  sd_sqlite_bind_text (stmt, 4, text);
  sqlite3_bind_int64 (stmt, 5, base_version);
  sd_sqlite_bind_text (stmt, 6, key);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time () / G_USEC_PER_SEC);
  if (!sd_sqlite_step_done (self->db, stmt, error))
    goto failed;
  seq = sqlite3_last_insert_rowid (sd_sqlite_get_handle (self->db));
  if (!_sd_local_store_rebuild_view (self, kind, id, TRUE, error) || !sd_sqlite_commit (self->db, error))
    goto failed;
  _sd_local_store_queue_changed (self);
  return seq;

failed:
  sd_sqlite_rollback (self->db);
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
  if (!(stmt = sd_sqlite_prepare (self->db,
                                  "SELECT " OUTBOX_COLUMNS " FROM outbox o WHERE state = 'pending'"
                                  " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.kind = o.kind"
                                  " AND p.entity_id = o.entity_id AND p.seq < o.seq AND p.state <> 'pending')"
                                  " ORDER BY seq LIMIT 1", error)))
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry = read_entry (stmt);
  else if (rc != SQLITE_DONE)
    sd_sqlite_fail (self->db, error);
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
  gint64 version = _sd_local_store_entity_version (entity);

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->lock);
  if (!sd_sqlite_begin (self->db, error))
    return FALSE;
  if (!(entry = get_entry (self, seq, error))
      || !delete_entry (self, seq, error))
    goto failed;
  if (entity != NULL && !_sd_local_store_mirror_server_entity (self, entry->kind, entity, error))
    goto failed;
  if (version > 0)
    {
      if (!(stmt = sd_sqlite_prepare (self->db,
                                      "UPDATE outbox SET base_version = ?4 WHERE kind = ?1 AND entity_id = ?2"
                                      " AND seq > ?3 AND op = 'update' AND base_version < ?4", error)))
        goto failed;
      sd_sqlite_bind_text (stmt, 1, entry->kind);
      sd_sqlite_bind_text (stmt, 2, entry->id);
      sqlite3_bind_int64 (stmt, 3, seq);
      sqlite3_bind_int64 (stmt, 4, version);
      if (!sd_sqlite_step_done (self->db, stmt, error))
        goto failed;
    }
  if (!_sd_local_store_rebuild_view (self, entry->kind, entry->id, FALSE, error) || !sd_sqlite_commit (self->db, error))
    goto failed;
  _sd_local_store_queue_changed (self);
  return TRUE;

failed:
  sd_sqlite_rollback (self->db);
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
  if (!(stmt = sd_sqlite_prepare (self->db,
                                  "UPDATE outbox SET attempts = attempts + 1, last_error = ?2,"
                                  " state = CASE WHEN ?3 THEN 'needs_attention' ELSE state END"
                                  " WHERE seq = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sd_sqlite_bind_text (stmt, 2, message);
  sqlite3_bind_int (stmt, 3, permanent ? 1 : 0);
  if (!sd_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (sd_sqlite_get_handle (self->db)) == 0)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                   _("There is no change number %d waiting to be sent"), (int) seq);
      return FALSE;
    }
  _sd_local_store_queue_changed (self);
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
  if (!sd_sqlite_begin (self->db, error))
    return FALSE;
  if (!(entry = get_entry (self, seq, error))
      || !_sd_local_store_mirror_server_entity (self, entry->kind, server_entity, error))
    goto failed;
  body = sd_json_to_string (server_entity, FALSE);
  if (!(stmt = sd_sqlite_prepare (self->db,
                                  "UPDATE outbox SET state = 'conflict', server_body = ?2, attempts = attempts + 1"
                                  " WHERE seq = ?1", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, seq);
  sd_sqlite_bind_text (stmt, 2, body);
  if (!sd_sqlite_step_done (self->db, stmt, error)
      || !_sd_local_store_rebuild_view (self, entry->kind, entry->id, FALSE, error)
      || !sd_sqlite_commit (self->db, error))
    goto failed;
  _sd_local_store_queue_changed (self);
  return TRUE;

failed:
  sd_sqlite_rollback (self->db);
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
  if (!sd_sqlite_begin (self->db, error))
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
      if (!(stmt = sd_sqlite_prepare (self->db,
                                      "UPDATE outbox SET state = 'pending', base_version = ?2, server_body = NULL,"
                                      " attempts = 0, last_error = NULL WHERE seq = ?1", error)))
        goto failed;
      sqlite3_bind_int64 (stmt, 1, seq);
      sqlite3_bind_int64 (stmt, 2, _sd_local_store_entity_version (entry->server_entity));
      if (!sd_sqlite_step_done (self->db, stmt, error))
        goto failed;
    }
  if (!_sd_local_store_rebuild_view (self, entry->kind, entry->id, FALSE, error) || !sd_sqlite_commit (self->db, error))
    goto failed;
  _sd_local_store_queue_changed (self);
  return TRUE;

failed:
  sd_sqlite_rollback (self->db);
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
  if (!(stmt = sd_sqlite_prepare (self->db,
                                  "UPDATE outbox SET state = 'pending', attempts = 0, last_error = NULL"
                                  " WHERE seq = ?1 AND state = 'needs_attention'", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (!sd_sqlite_step_done (self->db, stmt, error))
    return FALSE;
  if (sqlite3_changes (sd_sqlite_get_handle (self->db)) == 0)
    {
      g_set_error (error, SD_LOCAL_STORE_ERROR, SD_LOCAL_STORE_ERROR_NOT_FOUND,
                   _("Change number %d does not need attention"), (int) seq);
      return FALSE;
    }
  _sd_local_store_queue_changed (self);
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
  if (!sd_sqlite_begin (self->db, error))
    return FALSE;
  if (!(entry = get_entry (self, seq, error))
      || !delete_entry (self, seq, error)
      || !_sd_local_store_rebuild_view (self, entry->kind, entry->id, FALSE, error)
      || !sd_sqlite_commit (self->db, error))
    goto failed;
  _sd_local_store_queue_changed (self);
  return TRUE;

failed:
  sd_sqlite_rollback (self->db);
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
  if (!(stmt = sd_sqlite_prepare (self->db, "SELECT state, count(*) FROM outbox GROUP BY state", error)))
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
    return sd_sqlite_fail (self->db, error);
  if (pending != NULL)
    *pending = counts[SD_OUTBOX_STATE_PENDING];
  if (conflicts != NULL)
    *conflicts = counts[SD_OUTBOX_STATE_CONFLICT];
  if (needs_attention != NULL)
    *needs_attention = counts[SD_OUTBOX_STATE_NEEDS_ATTENTION];
  return TRUE;
}

