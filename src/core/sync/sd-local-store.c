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


/* ------------------------------------------------------- notification */

static gboolean
changed_cb (gpointer user_data)
{
  SdLocalStore *self = user_data;

  g_atomic_int_set (&self->changed_queued, 0);
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

void
_sd_local_store_queue_changed (SdLocalStore *self)
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
gboolean
_sd_local_store_decode_entity (const char  *kind,
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

gint64
_sd_local_store_entity_version (JsonNode *node)
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
JsonNode *
_sd_local_store_merge_patch (JsonNode           *target,
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
            json_object_set_member (result, name, _sd_local_store_merge_patch (member, change, NULL));
        }
    }
  json_object_iter_init (&iter, patch_object);
  while (json_object_iter_next (&iter, &name, &member))
    {
      if ((ignored != NULL && g_strv_contains (ignored, name))
          || JSON_NODE_HOLDS_NULL (member)
          || (target_object != NULL && json_object_has_member (target_object, name)))
        continue;
      json_object_set_member (result, name, _sd_local_store_merge_patch (NULL, member, NULL));
    }

  node = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);
  return node;
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

  if (!(stmt = sd_sqlite_prepare (self->db, sql, error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, filter);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = sd_sqlite_column_json (stmt, 1);

      if (node != NULL)
        func (node, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_sqlite_fail (self->db, error);
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

  g_clear_pointer (&self->db, sd_sqlite_close);
  g_clear_pointer (&self->context, g_main_context_unref);
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
  self->context = g_main_context_ref_thread_default ();
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

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder “%s” for the local store: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  if (!(self->db = sd_sqlite_open (path, SQLITE_OPEN_CREATE, SD_LOCAL_STORE_ERROR,
                                    SD_LOCAL_STORE_ERROR_FAILED,
                                    _("The local store “%s” failed: %s"), error))
      || !sd_sqlite_migrate (self->db, migrations, G_N_ELEMENTS (migrations),
                             SD_LOCAL_STORE_ERROR_SCHEMA,
                             _("The local store “%s” was written by a newer version of SupportDesk "
                               "(schema %d; this version knows up to %d)"), error)
      /* A first sync writes pages of thousands of entities: a page cache
       * of 32 MiB (SQLite's default is 2) keeps the indexes in memory. */
      || !sd_sqlite_exec (self->db, "PRAGMA cache_size = -32768", error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
sd_local_store_get_path (SdLocalStore *self)
{
  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), NULL);
  return sd_sqlite_get_path (self->db);
}

int
sd_local_store_get_schema_version (SdLocalStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (SD_IS_LOCAL_STORE (self), -1);
  locker = g_mutex_locker_new (&self->lock);
  return sd_sqlite_get_user_version (self->db);
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
  return _sd_local_store_get_view (self, kind, id, error);
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
