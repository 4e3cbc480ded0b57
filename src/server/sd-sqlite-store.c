/* sd-sqlite-store.c
 *
 * Every statement is a constant string prepared once; values (including
 * JSON paths and lists of ids, as JSON arrays) are always bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sqlite-store"

#include "config.h"

#include <string.h>

#include "sd-sqlite.h"
#include "sd-sqlite-audit.h"
#include "sd-sqlite-store.h"

struct _SdSqliteStore
{
  GObject     parent_instance;

  SdSqlite     *sql;    /* owned */
  SdStoreActor *actor;  /* owned, may be NULL: who writes now */
};

static void sd_sqlite_store_iface_init (SdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdSqliteStore, sd_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_STORE, sd_sqlite_store_iface_init))

/* Schema migrations: entry N brings the schema from version N to N+1.
 * Append only; never edit a migration that has shipped. */
static const char * const migrations[] = {
  /* 1: entities, the sequence, credentials, sessions, idempotency keys */
  "CREATE TABLE entities ("
  "  kind TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  customer_id TEXT,"
  "  parent_id TEXT,"
  "  version INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  body TEXT,"
  "  PRIMARY KEY (kind, id)"
  ") WITHOUT ROWID;"
  "CREATE UNIQUE INDEX entities_seq ON entities (seq);"
  "CREATE INDEX entities_customer ON entities (kind, customer_id, id);"
  "CREATE INDEX entities_parent ON entities (kind, parent_id, id);"
  "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
  "INSERT INTO counters (name, value) VALUES ('seq', 0);"
  "CREATE TABLE credentials ("
  "  login TEXT PRIMARY KEY,"
  "  user_id TEXT NOT NULL UNIQUE,"
  "  password_hash TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE tokens ("
  "  token_hash TEXT PRIMARY KEY,"
  "  user_id TEXT NOT NULL,"
  "  expires_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE idempotency ("
  "  key TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ") WITHOUT ROWID;",
  /* 2: what the first request with an idempotency key carried */
  "ALTER TABLE idempotency ADD COLUMN request_digest TEXT;",
  /* 3: the audit log (sd-sqlite-audit.h); it starts at this migration */
  SD_AUDIT_SCHEMA,
  /* 4: the delivery queue: mail and webhooks, sent until accepted */
  "CREATE TABLE deliveries ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  channel TEXT NOT NULL,"
  "  target TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending',"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  next_attempt INTEGER NOT NULL,"
  "  delivered_at INTEGER,"
  "  last_error TEXT"
  ");"
  "CREATE INDEX deliveries_due ON deliveries (state, next_attempt);",
};

#define RECORD_COLUMNS "kind, id, customer_id, version, seq, updated_at, deleted, body, parent_id"

static SdStoreRecord *
read_record (sqlite3_stmt *stmt)
{
  SdStoreRecord *record = g_new0 (SdStoreRecord, 1);

  record->kind = sd_sqlite_column_dup (stmt, 0);
  record->id = sd_sqlite_column_dup (stmt, 1);
  record->customer_id = sd_sqlite_column_dup (stmt, 2);
  record->version = sqlite3_column_int64 (stmt, 3);
  record->seq = sqlite3_column_int64 (stmt, 4);
  record->updated_at = sqlite3_column_int64 (stmt, 5);
  record->deleted = sqlite3_column_int (stmt, 6) != 0;
  record->body = sd_sqlite_column_dup (stmt, 7);
  record->parent_id = sd_sqlite_column_dup (stmt, 8);
  return record;
}

/* A JSON array of the ids, to bind to json_each(). */
static char *
ids_to_json (const char * const *ids)
{
  GString *json;

  if (ids == NULL)
    return NULL;

  json = g_string_new ("[");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_c (json, '"');
      for (const char *p = ids[i]; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (json, '\\');
          g_string_append_c (json, *p);
        }
      g_string_append_c (json, '"');
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static SdStoreRecord *
get_record (SdSqliteStore  *self,
            const char     *kind,
            const char     *id,
            GError        **error)
{
  sqlite3_stmt *stmt;
  SdStoreRecord *record = NULL;
  int rc;

  if (!(stmt = sd_sqlite_prepare (self->sql, "SELECT " RECORD_COLUMNS " FROM entities WHERE kind = ?1 AND id = ?2", error)))
    return NULL;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = read_record (stmt);
  else if (rc != SQLITE_DONE)
    sd_sqlite_fail (self->sql, error);
  sqlite3_reset (stmt);
  return record;
}

/* Writes to a database file that was deleted or replaced would be
 * acknowledged and lost: refuse them. */
static gboolean
check_in_place (SdSqliteStore  *self,
                GError        **error)
{
  int moved = 0;

  if (sqlite3_file_control (sd_sqlite_get_handle (self->sql), "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved)
    {
      g_warning ("the database file was deleted or replaced: writes are refused");
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_UNAVAILABLE,
                   "the database file was deleted or replaced");
      return FALSE;
    }
  return TRUE;
}

static gint64
bump_counter (SdSqliteStore  *self,
              const char     *name,
              GError        **error)
{
  sqlite3_stmt *stmt;
  gint64 value = -1;

  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "INSERT INTO counters (name, value) VALUES (?1, 1) "
                        "ON CONFLICT (name) DO UPDATE SET value = value + 1 "
                        "RETURNING value", error)))
    return -1;
  sd_sqlite_bind_text (stmt, 1, name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    sd_sqlite_fail (self->sql, error);
  sqlite3_reset (stmt);
  return value;
}

static SdStoreRecord *
sd_sqlite_store_put (SdStore            *store,
                     const char         *kind,
                     const char         *id,
                     const char         *customer_id,
                     const char         *parent_id,
                     gint64              expected_version,
                     const char         *idempotency,
                     SdStoreRenderFunc   render,
                     gpointer            user_data,
                     SdStoreRecord     **current,
                     GError            **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(SdStoreRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *key = NULL;
  const char *digest = NULL;
  sqlite3_stmt *stmt;
  gint64 version, seq, now;

  if (!check_in_place (self, error) || !sd_sqlite_savepoint (self->sql, "put", error))
    return NULL;

  if (idempotency != NULL)
    {
      key = sd_store_split_idempotency (idempotency, &digest);
      if (!(stmt = sd_sqlite_prepare (self->sql, "SELECT kind, id, request_digest FROM idempotency WHERE key = ?1", &local_error)))
        goto failed;
      sd_sqlite_bind_text (stmt, 1, key);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autofree char *first_kind = sd_sqlite_column_dup (stmt, 0);
          g_autofree char *first_id = sd_sqlite_column_dup (stmt, 1);
          g_autofree char *first_digest = sd_sqlite_column_dup (stmt, 2);
          SdStoreRecord *first;

          sqlite3_reset (stmt);
          if (digest != NULL && first_digest != NULL && g_strcmp0 (digest, first_digest) != 0)
            {
              g_set_error (&local_error, SD_STORE_ERROR, SD_STORE_ERROR_IDEMPOTENCY_MISMATCH,
                           "the idempotency key was used for another request");
              goto failed;
            }
          first = get_record (self, first_kind, first_id, &local_error);
          if (first == NULL)
            goto failed;
          sd_sqlite_release (self->sql, "put", NULL);
          return first;
        }
      sqlite3_reset (stmt);
    }

  existing = get_record (self, kind, id, &local_error);
  if (local_error != NULL)
    goto failed;

  if (!sd_store_check_put (kind, id, &existing, expected_version, current, &version, &now, &local_error))
    goto failed;
  if ((seq = bump_counter (self, "seq", &local_error)) < 0)
    goto failed;
  if (!(body = render (version, now, user_data, &local_error)))
    goto failed;

  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "INSERT OR REPLACE INTO entities (" RECORD_COLUMNS ") "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7, ?8)", &local_error)))
    goto failed;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  sd_sqlite_bind_text (stmt, 3, customer_id);
  sqlite3_bind_int64 (stmt, 4, version);
  sqlite3_bind_int64 (stmt, 5, seq);
  sqlite3_bind_int64 (stmt, 6, now);
  sd_sqlite_bind_text (stmt, 7, body);
  sd_sqlite_bind_text (stmt, 8, parent_id);
  if (!sd_sqlite_step_done (self->sql, stmt, &local_error))
    goto failed;
  if (!sd_audit_append (self->sql, self->actor, now,
                        existing == NULL || existing->deleted ? "create" : "update",
                        kind, id, customer_id, version, existing, TRUE, &local_error))
    goto failed;

  if (idempotency != NULL)
    {
      if (!(stmt = sd_sqlite_prepare (self->sql,
                            "INSERT INTO idempotency (key, kind, id, created_at, request_digest)"
                            " VALUES (?1, ?2, ?3, ?4, ?5)",
                            &local_error)))
        goto failed;
      sd_sqlite_bind_text (stmt, 1, key);
      sd_sqlite_bind_text (stmt, 2, kind);
      sd_sqlite_bind_text (stmt, 3, id);
      sqlite3_bind_int64 (stmt, 4, now);
      sd_sqlite_bind_text (stmt, 5, digest);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sd_sqlite_fail (self->sql, &local_error);
          sqlite3_reset (stmt);
          goto failed;
        }
      sqlite3_reset (stmt);
    }

  if (!sd_sqlite_release (self->sql, "put", &local_error))
    goto failed;

  return sd_store_record_new (kind, id, customer_id, parent_id, version, seq, now, g_steal_pointer (&body));

failed:
  sd_sqlite_rollback_to (self->sql, "put");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gboolean
sd_sqlite_store_remove (SdStore     *store,
                        const char  *kind,
                        const char  *id,
                        GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SdStoreRecord) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 seq, now = g_get_real_time () / G_USEC_PER_SEC;

  if (!check_in_place (self, error) || !sd_sqlite_savepoint (self->sql, "remove", error))
    return FALSE;
  existing = get_record (self, kind, id, &local_error);
  if (local_error != NULL)
    goto failed;
  if ((seq = bump_counter (self, "seq", &local_error)) < 0)
    goto failed;
  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "UPDATE entities SET deleted = 1, body = NULL, seq = ?3, version = version + 1,"
                        " updated_at = ?4 WHERE kind = ?1 AND id = ?2 AND deleted = 0", &local_error)))
    goto failed;
  sd_sqlite_bind_text (stmt, 1, kind);
  sd_sqlite_bind_text (stmt, 2, id);
  sqlite3_bind_int64 (stmt, 3, seq);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!sd_sqlite_step_done (self->sql, stmt, &local_error))
    goto failed;
  if (sqlite3_changes (sd_sqlite_get_handle (self->sql)) == 0)
    {
      g_set_error (&local_error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "no %s %s", kind, id);
      goto failed;
    }
  if (!sd_audit_append (self->sql, self->actor, now, "delete", kind, id, existing->customer_id,
                        existing->version + 1, existing, TRUE, &local_error))
    goto failed;
  if (!sd_sqlite_release (self->sql, "remove", &local_error))
    goto failed;
  return TRUE;

failed:
  sd_sqlite_rollback_to (self->sql, "remove");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static SdStoreRecord *
sd_sqlite_store_get (SdStore     *store,
                     const char  *kind,
                     const char  *id,
                     GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(GError) local_error = NULL;
  SdStoreRecord *record = get_record (self, kind, id, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (record == NULL || record->deleted)
    {
      sd_store_record_free (record);
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "no %s %s", kind, id);
      return NULL;
    }
  return record;
}

#define MAX_FILTERS 5

static GPtrArray *
sd_sqlite_store_list (SdStore            *store,
                      const char         *kind,
                      const SdStoreQuery *query,
                      GError            **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_store_record_free);
  g_autofree char *ids = ids_to_json (query->customer_ids);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (query->n_filters <= MAX_FILTERS, NULL);

  if (query->parent_id != NULL)
    {
      /* The children of one entity (a case's timeline): served by the
       * entities_parent index. */
      g_return_val_if_fail (query->n_filters == 0, NULL);
      if (!(stmt = sd_sqlite_prepare (self->sql,
                            "SELECT " RECORD_COLUMNS " FROM entities INDEXED BY entities_parent"
                            " WHERE kind = ?1 AND parent_id = ?2 AND deleted = 0"
                            "   AND (?3 IS NULL OR customer_id IN (SELECT value FROM json_each (?3)))"
                            "   AND (?4 IS NULL OR id > ?4)"
                            " ORDER BY id LIMIT ?5", error)))
        return NULL;
      sd_sqlite_bind_text (stmt, 1, kind);
      sd_sqlite_bind_text (stmt, 2, query->parent_id);
      sd_sqlite_bind_text (stmt, 3, ids);
      sd_sqlite_bind_text (stmt, 4, query->after_id);
      sqlite3_bind_int64 (stmt, 5, query->limit > 0 ? query->limit : G_MAXINT32);
    }
  else
    {
      if (!(stmt = sd_sqlite_prepare (self->sql,
                            "SELECT " RECORD_COLUMNS " FROM entities"
                            " WHERE kind = ?1 AND deleted = 0"
                            "   AND (?2 IS NULL OR customer_id IN (SELECT value FROM json_each (?2)))"
                            "   AND (?3 IS NULL OR CAST (json_extract (body, ?3) AS TEXT) = ?4)"
                            "   AND (?5 IS NULL OR CAST (json_extract (body, ?5) AS TEXT) = ?6)"
                            "   AND (?7 IS NULL OR CAST (json_extract (body, ?7) AS TEXT) = ?8)"
                            "   AND (?9 IS NULL OR CAST (json_extract (body, ?9) AS TEXT) = ?10)"
                            "   AND (?11 IS NULL OR id > ?11)"
                            "   AND (?13 IS NULL OR CAST (json_extract (body, ?13) AS TEXT) = ?14)"
                            " ORDER BY id LIMIT ?12", error)))
        return NULL;

      sd_sqlite_bind_text (stmt, 1, kind);
      sd_sqlite_bind_text (stmt, 2, ids);
      for (guint i = 0; i < query->n_filters; i++)
        {
          int slot = i < 4 ? 3 + 2 * i : 13;

          sd_sqlite_bind_text (stmt, slot, query->filters[i].path);
          sd_sqlite_bind_text (stmt, slot + 1, query->filters[i].value);
        }
      sd_sqlite_bind_text (stmt, 11, query->after_id);
      sqlite3_bind_int64 (stmt, 12, query->limit > 0 ? query->limit : G_MAXINT32);
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, read_record (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_sqlite_fail (self->sql, error);
      return NULL;
    }
  return g_steal_pointer (&records);
}

static GPtrArray *
sd_sqlite_store_changes (SdStore            *store,
                         gint64              after,
                         guint               limit,
                         const char * const *customer_ids,
                         gboolean           *has_more,
                         gint64             *last_seq,
                         GError            **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_store_record_free);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *ids = ids_to_json (customer_ids);
  sqlite3_stmt *stmt;
  gint64 head = after;
  int rc;

  /* One read transaction: the page and the head of the sequence are
   * one snapshot, so the cursor never skips a write. */
  if (!sd_sqlite_savepoint (self->sql, "changes", error))
    return NULL;

  if (!(stmt = sd_sqlite_prepare (self->sql, "SELECT value FROM counters WHERE name = 'seq'", &local_error)))
    goto failed;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    head = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "SELECT " RECORD_COLUMNS " FROM entities"
                        " WHERE seq > ?1"
                        "   AND (?2 IS NULL OR customer_id IS NULL"
                        "        OR customer_id IN (SELECT value FROM json_each (?2)))"
                        " ORDER BY seq LIMIT ?3", &local_error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, after);
  sd_sqlite_bind_text (stmt, 2, ids);
  sqlite3_bind_int64 (stmt, 3, (gint64) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, read_record (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_sqlite_fail (self->sql, &local_error);
      goto failed;
    }
  sd_sqlite_release (self->sql, "changes", NULL);

  *has_more = records->len > limit;
  if (*has_more)
    {
      g_ptr_array_set_size (records, limit);
      *last_seq = ((SdStoreRecord *) records->pdata[limit - 1])->seq;
    }
  else
    /* Everything up to the head was seen (or is not for this user). A
     * cursor beyond the head comes back as the head: the caller tells. */
    *last_seq = head;
  return g_steal_pointer (&records);

failed:
  sd_sqlite_rollback_to (self->sql, "changes");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gint64
sd_sqlite_store_next_counter (SdStore     *store,
                              const char  *name,
                              GError     **error)
{
  return bump_counter (SD_SQLITE_STORE (store), name, error);
}

static gint64
sd_sqlite_store_restamp (SdStore     *store,
                         const char  *customer_id,
                         GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 n = -1, head = -1;

  if (!check_in_place (self, error) || !sd_sqlite_savepoint (self->sql, "restamp", error))
    return -1;
  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "SELECT count(*) FROM entities WHERE customer_id = ?1 AND deleted = 0", &local_error)))
    goto failed;
  sd_sqlite_bind_text (stmt, 1, customer_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    sd_sqlite_fail (self->sql, &local_error);
  sqlite3_reset (stmt);
  if (n < 0)
    goto failed;
  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "UPDATE counters SET value = value + ?1 WHERE name = 'seq' RETURNING value", &local_error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, n);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    head = sqlite3_column_int64 (stmt, 0);
  else
    sd_sqlite_fail (self->sql, &local_error);
  sqlite3_reset (stmt);
  if (head < 0)
    goto failed;
  /* The new positions all lie past the old head: no clash with the
   * unique index while the rows move. */
  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "WITH moved AS (SELECT kind, id, row_number () OVER (ORDER BY seq) AS n"
                        "  FROM entities WHERE customer_id = ?1 AND deleted = 0) "
                        "UPDATE entities SET seq = ?2 + moved.n FROM moved"
                        " WHERE entities.kind = moved.kind AND entities.id = moved.id", &local_error)))
    goto failed;
  sd_sqlite_bind_text (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, head - n);
  if (!sd_sqlite_step_done (self->sql, stmt, &local_error)
      || !sd_sqlite_release (self->sql, "restamp", &local_error))
    goto failed;
  return n;

failed:
  sd_sqlite_rollback_to (self->sql, "restamp");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return -1;
}

static gboolean
run_simple (SdSqliteStore  *self,
            sqlite3_stmt   *stmt,
            GError        **error)
{
  return check_in_place (self, error) && sd_sqlite_step_done (self->sql, stmt, error);
}

static gboolean
sd_sqlite_store_set_password (SdStore     *store,
                              const char  *user_id,
                              const char  *login,
                              const char  *password_hash,
                              GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!sd_sqlite_savepoint (self->sql, "password", error))
    return FALSE;
  if (!(stmt = sd_sqlite_prepare (self->sql,
                        "INSERT INTO credentials (login, user_id, password_hash) VALUES (?1, ?2, ?3)"
                        " ON CONFLICT (login) DO UPDATE SET password_hash = ?3"
                        " WHERE user_id = ?2", &local_error)))
    goto failed;
  sd_sqlite_bind_text (stmt, 1, login);
  sd_sqlite_bind_text (stmt, 2, user_id);
  sd_sqlite_bind_text (stmt, 3, password_hash);
  /* Recorded without the secret: who, when, whose; never the hash. */
  if (!run_simple (self, stmt, &local_error)
      || (sqlite3_changes (sd_sqlite_get_handle (self->sql)) > 0
          && !sd_audit_append (self->sql, self->actor, g_get_real_time () / G_USEC_PER_SEC, "set_password",
                               "user", user_id, NULL, 0, NULL, FALSE, &local_error))
      || !sd_sqlite_release (self->sql, "password", &local_error))
    goto failed;
  return TRUE;

failed:
  sd_sqlite_rollback_to (self->sql, "password");
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
sd_sqlite_store_get_password (SdStore     *store,
                              const char  *login,
                              char       **user_id,
                              char       **password_hash,
                              GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  if (!(stmt = sd_sqlite_prepare (self->sql, "SELECT user_id, password_hash FROM credentials WHERE login = ?1", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, login);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *user_id = sd_sqlite_column_dup (stmt, 0);
      *password_hash = sd_sqlite_column_dup (stmt, 1);
      found = TRUE;
    }
  else
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "no such login");
  sqlite3_reset (stmt);
  return found;
}

static gboolean
sd_sqlite_store_add_token (SdStore     *store,
                           const char  *token_hash,
                           const char  *user_id,
                           gint64       expires_at,
                           GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  /* Expired sessions go when new ones come. */
  if (!(stmt = sd_sqlite_prepare (self->sql, "DELETE FROM tokens WHERE expires_at <= ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (!run_simple (self, stmt, error))
    return FALSE;

  if (!(stmt = sd_sqlite_prepare (self->sql, "INSERT INTO tokens (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, token_hash);
  sd_sqlite_bind_text (stmt, 2, user_id);
  sqlite3_bind_int64 (stmt, 3, expires_at);
  return run_simple (self, stmt, error);
}

static char *
sd_sqlite_store_find_token (SdStore     *store,
                            const char  *token_hash,
                            gint64       now,
                            GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  char *user_id = NULL;

  if (!(stmt = sd_sqlite_prepare (self->sql, "SELECT user_id FROM tokens WHERE token_hash = ?1 AND expires_at > ?2", error)))
    return NULL;
  sd_sqlite_bind_text (stmt, 1, token_hash);
  sqlite3_bind_int64 (stmt, 2, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    user_id = sd_sqlite_column_dup (stmt, 0);
  else
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "no such session");
  sqlite3_reset (stmt);
  return user_id;
}

static gboolean
sd_sqlite_store_remove_token (SdStore     *store,
                              const char  *token_hash,
                              GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->sql, "DELETE FROM tokens WHERE token_hash = ?1", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, token_hash);
  return run_simple (self, stmt, error);
}

static gboolean
sd_sqlite_store_begin (SdStore  *store,
                       GError  **error)
{
  return check_in_place (SD_SQLITE_STORE (store), error)
         && sd_sqlite_begin (SD_SQLITE_STORE (store)->sql, error);
}

static gboolean
sd_sqlite_store_commit (SdStore  *store,
                        GError  **error)
{
  return sd_sqlite_commit (SD_SQLITE_STORE (store)->sql, error);
}

static void
sd_sqlite_store_rollback (SdStore *store)
{
  sd_sqlite_rollback (SD_SQLITE_STORE (store)->sql);
}

static void
sd_sqlite_store_set_actor (SdStore            *store,
                           const SdStoreActor *actor)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);

  g_clear_pointer (&self->actor, sd_audit_actor_free);
  if (actor != NULL)
    self->actor = sd_audit_actor_copy (actor);
}

static GPtrArray *
sd_sqlite_store_audit (SdStore                 *store,
                       const SdStoreAuditQuery *query,
                       GError                 **error)
{
  g_autofree char *ids = ids_to_json (query->customer_ids);

  return sd_audit_list (SD_SQLITE_STORE (store)->sql, query, ids, error);
}

#define DELIVERY_COLUMNS "id, channel, target, payload, state, attempts, created_at, next_attempt," \
                         " delivered_at, last_error, seq"

static SdDelivery *
read_delivery (sqlite3_stmt *stmt)
{
  SdDelivery *delivery = g_new0 (SdDelivery, 1);

  delivery->id = sd_sqlite_column_dup (stmt, 0);
  delivery->channel = sd_sqlite_column_dup (stmt, 1);
  delivery->target = sd_sqlite_column_dup (stmt, 2);
  delivery->payload = sd_sqlite_column_dup (stmt, 3);
  delivery->state = sd_sqlite_column_dup (stmt, 4);
  delivery->attempts = sqlite3_column_int (stmt, 5);
  delivery->created_at = sqlite3_column_int64 (stmt, 6);
  delivery->next_attempt = sqlite3_column_int64 (stmt, 7);
  delivery->delivered_at = sqlite3_column_int64 (stmt, 8);
  delivery->last_error = sd_sqlite_column_dup (stmt, 9);
  delivery->seq = sqlite3_column_int64 (stmt, 10);
  return delivery;
}

/* The rows of @stmt (already bound), reset after; NULL with @error. */
static GPtrArray *
collect_deliveries (SdSqliteStore  *self,
                    sqlite3_stmt   *stmt,
                    GError        **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_delivery_free);
  int rc;

  while ((rc = sd_sqlite_step (self->sql, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (list, read_delivery (stmt));
  if (rc < 0)
    return NULL;
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

static gboolean
sd_sqlite_store_enqueue_delivery (SdStore          *store,
                                  const SdDelivery *delivery,
                                  GError          **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->sql,
                                  "INSERT INTO deliveries (id, channel, target, payload, created_at, next_attempt)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, delivery->id);
  sd_sqlite_bind_text (stmt, 2, delivery->channel);
  sd_sqlite_bind_text (stmt, 3, delivery->target);
  sd_sqlite_bind_text (stmt, 4, delivery->payload);
  sqlite3_bind_int64 (stmt, 5, delivery->created_at);
  sqlite3_bind_int64 (stmt, 6, delivery->next_attempt);
  return run_simple (self, stmt, error);
}

/* One statement: what it returns is claimed, whatever happens next. */
static GPtrArray *
sd_sqlite_store_claim_deliveries (SdStore  *store,
                                  gint64    now,
                                  gint64    lease,
                                  guint     limit,
                                  gint64   *next_due,
                                  GError  **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  g_autoptr(GPtrArray) claimed = NULL;
  sqlite3_stmt *stmt;

  if (!check_in_place (self, error)
      || !(stmt = sd_sqlite_prepare (self->sql,
                                     "UPDATE deliveries SET attempts = attempts + 1, next_attempt = ?1 + ?2"
                                     " WHERE seq IN (SELECT seq FROM deliveries WHERE state = 'pending'"
                                     "  AND next_attempt <= ?1 ORDER BY next_attempt, seq LIMIT ?3)"
                                     " RETURNING " DELIVERY_COLUMNS, error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, lease);
  sqlite3_bind_int64 (stmt, 3, limit);
  if (!(claimed = collect_deliveries (self, stmt, error)))
    return NULL;

  if (!(stmt = sd_sqlite_prepare (self->sql,
                                  "SELECT coalesce (min (next_attempt), 0) FROM deliveries WHERE state = 'pending'",
                                  error)))
    return NULL;
  if (sd_sqlite_step (self->sql, stmt, error) != SQLITE_ROW)
    return NULL;
  *next_due = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return g_steal_pointer (&claimed);
}

static gboolean
sd_sqlite_store_finish_delivery (SdStore     *store,
                                 const char  *id,
                                 const char  *state,
                                 gint64       when,
                                 const char  *last_error,
                                 GError     **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->sql,
                                  "UPDATE deliveries SET state = ?2, last_error = ?4,"
                                  "  next_attempt = CASE WHEN ?2 = 'pending' THEN ?3 ELSE next_attempt END,"
                                  "  delivered_at = CASE WHEN ?2 = 'delivered' THEN ?3 ELSE delivered_at END"
                                  " WHERE id = ?1 AND state = 'pending'", error)))
    return FALSE;
  sd_sqlite_bind_text (stmt, 1, id);
  sd_sqlite_bind_text (stmt, 2, state);
  sqlite3_bind_int64 (stmt, 3, when);
  sd_sqlite_bind_text (stmt, 4, last_error);
  return run_simple (self, stmt, error);
}

static GPtrArray *
sd_sqlite_store_deliveries (SdStore  *store,
                            gint64    after_seq,
                            guint     limit,
                            GError  **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = sd_sqlite_prepare (self->sql,
                                  "SELECT " DELIVERY_COLUMNS " FROM deliveries WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                                  error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit);
  return collect_deliveries (self, stmt, error);
}

static SdSqliteStore *open_with_flags (const char *path, int flags, GError **error);

/* Another connection to the same file, read-only: in WAL mode it reads
 * its own snapshot beside the writer. None for a database in memory. */
static SdStore *
sd_sqlite_store_open_reader (SdStore  *store,
                             GError  **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  const char *path = sd_sqlite_get_path (self->sql);

  if (g_str_equal (path, ":memory:") || sd_sqlite_is_read_only (self->sql))
    return NULL;
  return SD_STORE (open_with_flags (path, SQLITE_OPEN_READONLY, error));
}

static SdStore *
sd_sqlite_store_open_writer (SdStore  *store,
                             GError  **error)
{
  SdSqliteStore *self = SD_SQLITE_STORE (store);
  const char *path = sd_sqlite_get_path (self->sql);

  if (g_str_equal (path, ":memory:") || sd_sqlite_is_read_only (self->sql))
    return NULL;
  return SD_STORE (open_with_flags (path, 0, error));
}

static void
sd_sqlite_store_iface_init (SdStoreInterface *iface)
{
  iface->begin = sd_sqlite_store_begin;
  iface->commit = sd_sqlite_store_commit;
  iface->rollback = sd_sqlite_store_rollback;
  iface->put = sd_sqlite_store_put;
  iface->remove = sd_sqlite_store_remove;
  iface->get = sd_sqlite_store_get;
  iface->list = sd_sqlite_store_list;
  iface->changes = sd_sqlite_store_changes;
  iface->next_counter = sd_sqlite_store_next_counter;
  iface->restamp = sd_sqlite_store_restamp;
  iface->set_password = sd_sqlite_store_set_password;
  iface->get_password = sd_sqlite_store_get_password;
  iface->add_token = sd_sqlite_store_add_token;
  iface->find_token = sd_sqlite_store_find_token;
  iface->remove_token = sd_sqlite_store_remove_token;
  iface->open_reader = sd_sqlite_store_open_reader;
  iface->open_writer = sd_sqlite_store_open_writer;
  iface->set_actor = sd_sqlite_store_set_actor;
  iface->audit = sd_sqlite_store_audit;
  iface->enqueue_delivery = sd_sqlite_store_enqueue_delivery;
  iface->claim_deliveries = sd_sqlite_store_claim_deliveries;
  iface->finish_delivery = sd_sqlite_store_finish_delivery;
  iface->deliveries = sd_sqlite_store_deliveries;
}

static void
sd_sqlite_store_finalize (GObject *object)
{
  SdSqliteStore *self = SD_SQLITE_STORE (object);

  g_clear_pointer (&self->sql, sd_sqlite_close);
  g_clear_pointer (&self->actor, sd_audit_actor_free);

  G_OBJECT_CLASS (sd_sqlite_store_parent_class)->finalize (object);
}

static void
sd_sqlite_store_class_init (SdSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_sqlite_store_finalize;
}

static void
sd_sqlite_store_init (SdSqliteStore *self)
{
}

static SdSqliteStore *
open_with_flags (const char  *path,
                 int          flags,
                 GError     **error)
{
  g_autoptr(SdSqliteStore) self = g_object_new (SD_TYPE_SQLITE_STORE, NULL);

  /* WAL, and a commit is on disk before the client hears 200/201; a
   * reader finds the schema as the writer left it. */
  if (!(self->sql = sd_sqlite_open (path, flags, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "%s: %s", error))
      || (!(flags & SQLITE_OPEN_READONLY)
          && !sd_sqlite_migrate (self->sql, migrations, G_N_ELEMENTS (migrations), SD_STORE_ERROR_FAILED,
                                 "the database %s has schema version %d; this server knows up to %d",
                                 error)))
    return NULL;
  return g_steal_pointer (&self);
}

SdSqliteStore *
sd_sqlite_store_open (const char  *path,
                      GError     **error)
{
  return open_with_flags (path, SQLITE_OPEN_CREATE, error);
}

SdSqliteStore *
sd_sqlite_store_open_existing (const char  *path,
                               GError     **error)
{
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "there is no database at %s", path);
      return NULL;
    }
  return open_with_flags (path, 0, error);
}

int
sd_sqlite_store_get_schema_version (SdSqliteStore *self)
{
  return MAX (sd_sqlite_get_user_version (self->sql), 0);
}

gint64
sd_sqlite_store_count (SdSqliteStore *self,
                       const char    *kind)
{
  sqlite3_stmt *stmt = sd_sqlite_prepare (self->sql, "SELECT count(*) FROM entities WHERE kind = ?1 AND deleted = 0", NULL);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  sd_sqlite_bind_text (stmt, 1, kind);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

gboolean
sd_sqlite_store_verify_audit (SdSqliteStore  *self,
                              gint64         *n_rows,
                              char          **head,
                              gint64         *broken_seq,
                              char          **reason,
                              GError        **error)
{
  return sd_audit_verify (self->sql, n_rows, head, broken_seq, reason, error);
}
