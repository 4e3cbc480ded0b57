/* sd-pg-store.c
 *
 * The same tables and the same rules as sd-sqlite-store.c. Every
 * statement is a constant string; values (lists of ids as JSON arrays,
 * JSON paths) are always sent as parameters. Text columns sort with the
 * "C" collation, as SQLite compares text, so paging by id agrees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-pg-store"

#include "config.h"

#include <string.h>
#include <libpq-fe.h>

#include <sd-model.h>

#include "sd-pg-store.h"
#include "sd-sqlite-audit.h"

struct _SdPgStore
{
  GObject       parent_instance;

  PGconn       *conn;        /* owned */
  char         *uri;         /* owned */
  SdStoreActor *actor;       /* owned, may be NULL: who writes now */
  gboolean      read_only;
  gboolean      in_transaction;  /* between begin () and commit () or rollback () */
};

static void sd_pg_store_iface_init (SdStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdPgStore, sd_pg_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SD_TYPE_STORE, sd_pg_store_iface_init))

#define WRITE_LOCK_SQL "SELECT pg_advisory_xact_lock (5456897)"
G_STATIC_ASSERT (SD_PG_WRITE_LOCK == 5456897);

/* Schema migrations: entry N brings the schema from version N to N+1.
 * Append only; never edit a migration that has shipped. */
static const char * const migrations[] = {
  /* 1: entities, the sequence, credentials, sessions, idempotency keys
   * and the audit log (sd-sqlite-audit.h), append-only by trigger */
  "CREATE TABLE entities ("
  "  kind TEXT COLLATE \"C\" NOT NULL,"
  "  id TEXT COLLATE \"C\" NOT NULL,"
  "  customer_id TEXT COLLATE \"C\","
  "  parent_id TEXT COLLATE \"C\","
  "  version BIGINT NOT NULL,"
  "  seq BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL,"
  "  deleted BOOLEAN NOT NULL DEFAULT FALSE,"
  "  body TEXT,"
  "  PRIMARY KEY (kind, id)"
  ");"
  "CREATE UNIQUE INDEX entities_seq ON entities (seq);"
  "CREATE INDEX entities_customer ON entities (kind, customer_id, id);"
  "CREATE INDEX entities_parent ON entities (kind, parent_id, id);"
  "CREATE TABLE counters (name TEXT COLLATE \"C\" PRIMARY KEY, value BIGINT NOT NULL);"
  "INSERT INTO counters (name, value) VALUES ('seq', 0);"
  "CREATE TABLE credentials ("
  "  login TEXT COLLATE \"C\" PRIMARY KEY,"
  "  user_id TEXT COLLATE \"C\" NOT NULL UNIQUE,"
  "  password_hash TEXT NOT NULL"
  ");"
  "CREATE TABLE tokens ("
  "  token_hash TEXT COLLATE \"C\" PRIMARY KEY,"
  "  user_id TEXT COLLATE \"C\" NOT NULL,"
  "  expires_at BIGINT NOT NULL"
  ");"
  "CREATE INDEX tokens_expiry ON tokens (expires_at);"
  "CREATE TABLE idempotency ("
  "  key TEXT COLLATE \"C\" PRIMARY KEY,"
  "  kind TEXT COLLATE \"C\" NOT NULL,"
  "  id TEXT COLLATE \"C\" NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  request_digest TEXT"
  ");"
  "CREATE TABLE audit ("
  "  seq BIGINT PRIMARY KEY,"
  "  at BIGINT NOT NULL,"
  "  user_id TEXT,"
  "  session TEXT,"
  "  address TEXT,"
  "  method TEXT,"
  "  path TEXT,"
  "  action TEXT NOT NULL,"
  "  kind TEXT COLLATE \"C\" NOT NULL,"
  "  entity_id TEXT COLLATE \"C\" NOT NULL,"
  "  customer_id TEXT COLLATE \"C\","
  "  version BIGINT,"
  "  prior_version BIGINT,"
  "  prior_digest TEXT,"
  "  patch TEXT,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE INDEX audit_entity ON audit (kind, entity_id, seq);"
  "CREATE FUNCTION audit_refuse () RETURNS trigger LANGUAGE plpgsql AS"
  " $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;"
  "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit"
  " FOR EACH ROW EXECUTE FUNCTION audit_refuse ();"
  "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
  " FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse ();",
  /* 2: sign-in attempts, shared by every server on the database */
  "CREATE TABLE sign_in_attempts ("
  "  key TEXT COLLATE \"C\" PRIMARY KEY,"
  "  window_start BIGINT NOT NULL,"
  "  count INTEGER NOT NULL"
  ");"
  "CREATE INDEX sign_in_attempts_window ON sign_in_attempts (window_start);",
  /* 3: the delivery queue: mail and webhooks, sent until accepted */
  "CREATE TABLE deliveries ("
  "  seq BIGSERIAL PRIMARY KEY,"
  "  id TEXT COLLATE \"C\" NOT NULL UNIQUE,"
  "  channel TEXT NOT NULL,"
  "  target TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending',"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  created_at BIGINT NOT NULL,"
  "  next_attempt BIGINT NOT NULL,"
  "  delivered_at BIGINT,"
  "  last_error TEXT"
  ");"
  "CREATE INDEX deliveries_due ON deliveries (state, next_attempt);",
};

#define RECORD_COLUMNS "kind, id, customer_id, version, seq, updated_at, deleted, body, parent_id"
#define AUDIT_COLUMNS "seq, at, user_id, session, address, method, path, action, kind, entity_id," \
                      " customer_id, version, prior_version, prior_digest, patch, hash"

/* ------------------------------------------------------------ libpq */

static gboolean
result_ok (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

static PGresult *
fail (SdPgStore  *self,
      PGresult   *result,
      GError    **error)
{
  g_autofree char *message = g_strdup (result ? PQresultErrorMessage (result) : PQerrorMessage (self->conn));
  gboolean lost = PQstatus (self->conn) == CONNECTION_BAD;

  g_set_error (error, SD_STORE_ERROR, lost ? SD_STORE_ERROR_UNAVAILABLE : SD_STORE_ERROR_FAILED,
               "PostgreSQL: %s", message && *message ? g_strchomp (message) : "no answer");
  g_clear_pointer (&result, PQclear);
  if (lost)
    {
      /* The next request starts afresh on a new connection; what was in
       * flight is lost with its transaction, and the client hears so. */
      self->in_transaction = FALSE;
      PQreset (self->conn);
    }
  return NULL;
}

/* Runs @sql with @n text parameters (NULL is SQL NULL). Returns the
 * result, or NULL with @error set. */
static PGresult *
run (SdPgStore          *self,
     const char         *sql,
     int                 n,
     const char * const *values,
     GError            **error)
{
  PGresult *result = PQexecParams (self->conn, sql, n, NULL, values, NULL, NULL, 0);

  if (result == NULL || !result_ok (result))
    return fail (self, result, error);
  return result;
}

/* run () for a statement whose rows do not matter. */
static gboolean
run_ok (SdPgStore          *self,
        const char         *sql,
        int                 n,
        const char * const *values,
        GError            **error)
{
  PGresult *result = run (self, sql, n, values, error);

  if (result == NULL)
    return FALSE;
  PQclear (result);
  return TRUE;
}

/* Runs @sql, which takes no parameters and may hold several statements. */
static gboolean
run_command (SdPgStore   *self,
             const char  *sql,
             GError     **error)
{
  PGresult *result = PQexec (self->conn, sql);

  if (result == NULL || !result_ok (result))
    {
      fail (self, result, error);
      return FALSE;
    }
  PQclear (result);
  return TRUE;
}

static char *
value_dup (PGresult *result,
           int       row,
           int       column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strdup (PQgetvalue (result, row, column));
}

static const char *
value_or_null (PGresult *result,
               int       row,
               int       column)
{
  return PQgetisnull (result, row, column) ? NULL : PQgetvalue (result, row, column);
}

static gint64
value_int (PGresult *result,
           int       row,
           int       column)
{
  return PQgetisnull (result, row, column) ? 0 : g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static SdStoreRecord *
read_record (PGresult *result,
             int       row)
{
  SdStoreRecord *record = g_new0 (SdStoreRecord, 1);

  record->kind = value_dup (result, row, 0);
  record->id = value_dup (result, row, 1);
  record->customer_id = value_dup (result, row, 2);
  record->version = value_int (result, row, 3);
  record->seq = value_int (result, row, 4);
  record->updated_at = value_int (result, row, 5);
  record->deleted = g_str_equal (PQgetvalue (result, row, 6), "t");
  record->body = value_dup (result, row, 7);
  record->parent_id = value_dup (result, row, 8);
  return record;
}

/* A JSON array of the ids, for jsonb_array_elements_text (). */
static char *
ids_to_json (const char * const *ids)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (ids == NULL)
    return NULL;
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; ids[i] != NULL; i++)
    json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return sd_json_to_string (root, FALSE);
}

#define INT_PARAM(name, value) \
  char name[24]; \
  g_snprintf (name, sizeof name, "%" G_GINT64_FORMAT, (gint64) (value))

/* ---------------------------------------------------- transactions */

/* Enters a write: a transaction of its own holding the write lock, or a
 * savepoint inside the caller's (which took the lock at begin ()). */
static gboolean
write_enter (SdPgStore  *self,
             GError    **error)
{
  if (self->read_only)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "this connection only reads");
      return FALSE;
    }
  if (self->in_transaction)
    return run_command (self, "SAVEPOINT sd_write", error);
  if (!run_command (self, "BEGIN", error))
    return FALSE;
  if (!run_command (self, WRITE_LOCK_SQL, error))
    {
      run_command (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_leave (SdPgStore  *self,
             gboolean    ok,
             GError    **error)
{
  if (PQstatus (self->conn) == CONNECTION_BAD)
    return FALSE;
  if (self->in_transaction)
    return ok ? run_command (self, "RELEASE SAVEPOINT sd_write", error)
              : run_command (self, "ROLLBACK TO SAVEPOINT sd_write; RELEASE SAVEPOINT sd_write", NULL) && FALSE;
  if (ok)
    return run_command (self, "COMMIT", error);
  run_command (self, "ROLLBACK", NULL);
  return FALSE;
}

static gboolean
sd_pg_store_begin (SdStore  *store,
                   GError  **error)
{
  SdPgStore *self = SD_PG_STORE (store);

  if (self->in_transaction)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "a transaction is open already");
      return FALSE;
    }
  if (!write_enter (self, error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

static gboolean
sd_pg_store_commit (SdStore  *store,
                    GError  **error)
{
  SdPgStore *self = SD_PG_STORE (store);

  if (!self->in_transaction)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "no transaction is open");
      return FALSE;
    }
  self->in_transaction = FALSE;
  return run_command (self, "COMMIT", error);
}

static void
sd_pg_store_rollback (SdStore *store)
{
  SdPgStore *self = SD_PG_STORE (store);

  if (!self->in_transaction)
    return;
  self->in_transaction = FALSE;
  run_command (self, "ROLLBACK", NULL);
}

/* ------------------------------------------------------- the audit */

static gboolean
audit_append (SdPgStore            *self,
              gint64                at,
              const char           *action,
              const char           *kind,
              const char           *id,
              const char           *customer_id,
              gint64                version,
              const SdStoreRecord  *prior,
              gboolean              with_body,
              GError              **error)
{
  g_autofree char *previous = NULL;
  g_autofree char *prior_digest = NULL;
  g_autofree char *hash = NULL;
  PGresult *result;
  SdAuditRow row = { 0 };

  /* The head of the chain: the write lock holds it still. */
  if (!(result = run (self, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", 0, NULL, error)))
    return FALSE;
  row.seq = PQntuples (result) > 0 ? value_int (result, 0, 0) + 1 : 1;
  previous = PQntuples (result) > 0 ? value_dup (result, 0, 1) : g_strdup (SD_AUDIT_GENESIS);
  PQclear (result);

  prior_digest = sd_audit_row_fill (&row, self->actor, at, action, kind, id, customer_id,
                                    version, prior, with_body);
  hash = sd_audit_row_hash (&row, previous);

  {
    INT_PARAM (seq, row.seq);
    INT_PARAM (when, row.at);
    INT_PARAM (row_version, row.version);
    INT_PARAM (row_prior_version, row.prior_version);
    const char *values[] = {
      seq, when, row.user_id, row.session, row.address, row.method, row.path, row.action,
      row.kind, row.entity_id, row.customer_id,
      row.version ? row_version : NULL, row.prior_version ? row_prior_version : NULL,
      row.prior_digest, row.patch, hash,
    };

    return run_ok (self,
                   "INSERT INTO audit (" AUDIT_COLUMNS ")"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                   G_N_ELEMENTS (values), values, error);
  }
}

static void
read_audit_row (PGresult   *result,
                int         i,
                SdAuditRow *row)
{
  row->seq = value_int (result, i, 0);
  row->at = value_int (result, i, 1);
  row->user_id = value_or_null (result, i, 2);
  row->session = value_or_null (result, i, 3);
  row->address = value_or_null (result, i, 4);
  row->method = value_or_null (result, i, 5);
  row->path = value_or_null (result, i, 6);
  row->action = value_or_null (result, i, 7);
  row->kind = value_or_null (result, i, 8);
  row->entity_id = value_or_null (result, i, 9);
  row->customer_id = value_or_null (result, i, 10);
  row->version = value_int (result, i, 11);
  row->prior_version = value_int (result, i, 12);
  row->prior_digest = value_or_null (result, i, 13);
  row->patch = value_or_null (result, i, 14);
}

static GPtrArray *
sd_pg_store_audit (SdStore                 *store,
                   const SdStoreAuditQuery *query,
                   GError                 **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *ids = ids_to_json (query->customer_ids);
  INT_PARAM (after, query->after_seq);
  INT_PARAM (limit, query->limit > 0 ? query->limit : G_MAXINT32);
  const char *values[] = { query->kind, query->id, ids, after, limit };
  PGresult *result;

  if (!(result = run (self,
                      "SELECT " AUDIT_COLUMNS " FROM audit"
                      " WHERE ($1::text IS NULL OR (kind = $1 AND entity_id = $2))"
                      "   AND ($3::jsonb IS NULL OR customer_id IS NULL"
                      "        OR customer_id IN (SELECT jsonb_array_elements_text ($3::jsonb)))"
                      "   AND seq > $4"
                      " ORDER BY seq LIMIT $5",
                      G_N_ELEMENTS (values), values, error)))
    return NULL;
  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *patch = value_or_null (result, i, 14);
      SdAuditRow row;

      read_audit_row (result, i, &row);
      g_ptr_array_add (rows, sd_audit_row_to_json (&row, patch ? sd_json_parse (patch, -1, NULL) : NULL,
                                                   value_or_null (result, i, 15)));
    }
  PQclear (result);
  return g_steal_pointer (&rows);
}

gboolean
sd_pg_store_verify_audit (SdPgStore  *self,
                          gint64     *n_rows,
                          char      **head,
                          gint64     *broken_seq,
                          char      **reason,
                          GError    **error)
{
  g_autofree char *previous = g_strdup (SD_AUDIT_GENESIS);
  gint64 expected = 1;
  PGresult *result;

  *n_rows = 0;
  *broken_seq = 0;
  if (!(result = run (self, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY seq", 0, NULL, error)))
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      SdAuditRow row;

      read_audit_row (result, i, &row);
      if (!sd_audit_check_row (&row, value_or_null (result, i, 15), &expected, &previous, broken_seq, reason))
        break;
      (*n_rows)++;
    }
  PQclear (result);
  if (*broken_seq != 0)
    return FALSE;
  *head = g_steal_pointer (&previous);
  return TRUE;
}

/* --------------------------------------------------------- entities */

static SdStoreRecord *
get_record (SdPgStore   *self,
            const char  *kind,
            const char  *id,
            GError     **error)
{
  const char *values[] = { kind, id };
  PGresult *result = run (self, "SELECT " RECORD_COLUMNS " FROM entities WHERE kind = $1 AND id = $2",
                          2, values, error);
  SdStoreRecord *record = NULL;

  if (result == NULL)
    return NULL;
  if (PQntuples (result) > 0)
    record = read_record (result, 0);
  PQclear (result);
  return record;
}

static gint64
bump_counter (SdPgStore   *self,
              const char  *name,
              GError     **error)
{
  const char *values[] = { name };
  PGresult *result = run (self,
                          "INSERT INTO counters (name, value) VALUES ($1, 1)"
                          " ON CONFLICT (name) DO UPDATE SET value = counters.value + 1"
                          " RETURNING value", 1, values, error);
  gint64 value;

  if (result == NULL)
    return -1;
  value = value_int (result, 0, 0);
  PQclear (result);
  return value;
}

/* Looks the idempotency key up: TRUE with *first set when it was used
 * (for the same request), FALSE with @error when it was used for
 * another, TRUE with *first NULL when it is new. */
static gboolean
find_idempotent (SdPgStore      *self,
                 const char     *key,
                 const char     *digest,
                 SdStoreRecord **first,
                 GError        **error)
{
  const char *values[] = { key };
  g_autofree char *first_kind = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *first_digest = NULL;
  PGresult *result;

  *first = NULL;
  if (!(result = run (self, "SELECT kind, id, request_digest FROM idempotency WHERE key = $1", 1, values, error)))
    return FALSE;
  if (PQntuples (result) == 0)
    {
      PQclear (result);
      return TRUE;
    }
  first_kind = value_dup (result, 0, 0);
  first_id = value_dup (result, 0, 1);
  first_digest = value_dup (result, 0, 2);
  PQclear (result);
  if (digest != NULL && first_digest != NULL && g_strcmp0 (digest, first_digest) != 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_IDEMPOTENCY_MISMATCH,
                   "the idempotency key was used for another request");
      return FALSE;
    }
  *first = get_record (self, first_kind, first_id, error);
  return *first != NULL;
}

static SdStoreRecord *
sd_pg_store_put (SdStore            *store,
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
  SdPgStore *self = SD_PG_STORE (store);
  g_autoptr(SdStoreRecord) existing = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *key = NULL;
  const char *digest = NULL;
  gint64 version, seq, now;

  if (!write_enter (self, error))
    return NULL;

  if (idempotency != NULL)
    {
      key = sd_store_split_idempotency (idempotency, &digest);
      if (!find_idempotent (self, key, digest, &record, &local_error))
        goto failed;
      if (record != NULL)
        {
          if (!write_leave (self, TRUE, &local_error))
            goto failed;
          return g_steal_pointer (&record);
        }
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

  {
    INT_PARAM (version_text, version);
    INT_PARAM (seq_text, seq);
    INT_PARAM (now_text, now);
    const char *values[] = { kind, id, customer_id, version_text, seq_text, now_text, body, parent_id };

    if (!run_ok (self,
                 "INSERT INTO entities (" RECORD_COLUMNS ")"
                 " VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $8)"
                 " ON CONFLICT (kind, id) DO UPDATE SET customer_id = $3, version = $4, seq = $5,"
                 "   updated_at = $6, deleted = FALSE, body = $7, parent_id = $8",
                 G_N_ELEMENTS (values), values, &local_error))
      goto failed;
  }
  if (!audit_append (self, now, existing == NULL || existing->deleted ? "create" : "update",
                     kind, id, customer_id, version, existing, TRUE, &local_error))
    goto failed;

  if (idempotency != NULL)
    {
      INT_PARAM (now_text, now);
      const char *values[] = { key, kind, id, now_text, digest };

      if (!run_ok (self,
                   "INSERT INTO idempotency (key, kind, id, created_at, request_digest)"
                   " VALUES ($1, $2, $3, $4, $5)",
                   G_N_ELEMENTS (values), values, &local_error))
        goto failed;
    }

  if (!write_leave (self, TRUE, &local_error))
    goto failed_left;

  return sd_store_record_new (kind, id, customer_id, parent_id, version, seq, now, g_steal_pointer (&body));

failed:
  write_leave (self, FALSE, NULL);
failed_left:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gboolean
sd_pg_store_remove (SdStore     *store,
                    const char  *kind,
                    const char  *id,
                    GError     **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SdStoreRecord) existing = NULL;
  gint64 seq, now = g_get_real_time () / G_USEC_PER_SEC;

  if (!write_enter (self, error))
    return FALSE;
  existing = get_record (self, kind, id, &local_error);
  if (local_error != NULL)
    goto failed;
  if (existing == NULL || existing->deleted)
    {
      g_set_error (&local_error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "no %s %s", kind, id);
      goto failed;
    }
  if ((seq = bump_counter (self, "seq", &local_error)) < 0)
    goto failed;

  {
    INT_PARAM (seq_text, seq);
    INT_PARAM (now_text, now);
    const char *values[] = { kind, id, seq_text, now_text };

    if (!run_ok (self,
                 "UPDATE entities SET deleted = TRUE, body = NULL, seq = $3, version = version + 1,"
                 " updated_at = $4 WHERE kind = $1 AND id = $2 AND NOT deleted",
                 G_N_ELEMENTS (values), values, &local_error))
      goto failed;
  }
  if (!audit_append (self, now, "delete", kind, id, existing->customer_id,
                     existing->version + 1, existing, TRUE, &local_error))
    goto failed;
  if (!write_leave (self, TRUE, &local_error))
    goto failed_left;
  return TRUE;

failed:
  write_leave (self, FALSE, NULL);
failed_left:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static SdStoreRecord *
sd_pg_store_get (SdStore     *store,
                 const char  *kind,
                 const char  *id,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  SdStoreRecord *record = get_record (SD_PG_STORE (store), kind, id, &local_error);

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
collect_records (PGresult *result)
{
  GPtrArray *records = g_ptr_array_new_full (PQntuples (result), (GDestroyNotify) sd_store_record_free);

  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (records, read_record (result, i));
  PQclear (result);
  return records;
}

static GPtrArray *
sd_pg_store_list (SdStore            *store,
                  const char         *kind,
                  const SdStoreQuery *query,
                  GError            **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  g_autofree char *ids = ids_to_json (query->customer_ids);
  INT_PARAM (limit, query->limit > 0 ? query->limit : G_MAXINT32);
  PGresult *result;

  g_return_val_if_fail (query->n_filters <= MAX_FILTERS, NULL);

  if (query->parent_id != NULL)
    {
      /* The children of one entity (a case's timeline). */
      const char *values[] = { kind, query->parent_id, ids, query->after_id, limit };

      g_return_val_if_fail (query->n_filters == 0, NULL);
      result = run (self,
                    "SELECT " RECORD_COLUMNS " FROM entities"
                    " WHERE kind = $1 AND parent_id = $2 AND NOT deleted"
                    "   AND ($3::jsonb IS NULL OR customer_id IN (SELECT jsonb_array_elements_text ($3::jsonb)))"
                    "   AND ($4::text IS NULL OR id > $4)"
                    " ORDER BY id LIMIT $5",
                    G_N_ELEMENTS (values), values, error);
    }
  else
    {
      const char *values[14] = { kind, ids, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                 query->after_id, limit, NULL, NULL };

      for (guint i = 0; i < query->n_filters; i++)
        {
          int slot = i < 4 ? 2 + 2 * i : 12;

          values[slot] = query->filters[i].path;
          values[slot + 1] = query->filters[i].value;
        }
      /* A filter compares the member as text, as SQLite's
       * CAST (json_extract ()) does for strings and numbers. */
#define FILTER(p, v) \
      "   AND ($" #p "::jsonpath IS NULL OR jsonb_path_query_first (body::jsonb, $" #p "::jsonpath) #>> '{}' = $" #v ")"
      result = run (self,
                    "SELECT " RECORD_COLUMNS " FROM entities"
                    " WHERE kind = $1 AND NOT deleted"
                    "   AND ($2::jsonb IS NULL OR customer_id IN (SELECT jsonb_array_elements_text ($2::jsonb)))"
                    FILTER (3, 4) FILTER (5, 6) FILTER (7, 8) FILTER (9, 10) FILTER (13, 14)
                    "   AND ($11::text IS NULL OR id > $11)"
                    " ORDER BY id LIMIT $12",
                    G_N_ELEMENTS (values), values, error);
#undef FILTER
    }
  return result ? collect_records (result) : NULL;
}

static GPtrArray *
sd_pg_store_changes (SdStore            *store,
                     gint64              after,
                     guint               limit,
                     const char * const *customer_ids,
                     gboolean           *has_more,
                     gint64             *last_seq,
                     GError            **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *ids = ids_to_json (customer_ids);
  INT_PARAM (after_text, after);
  INT_PARAM (limit_text, (gint64) limit + 1);
  const char *values[] = { after_text, ids, limit_text };
  gboolean own = !self->in_transaction;
  PGresult *result;
  gint64 head = after;

  /* One snapshot for the head and the page. Writers hold the write lock
   * until their commit is visible, so a snapshot sees a prefix of the
   * sequence: nothing below the head can still appear later. */
  if (own && !run_command (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return NULL;
  if (!(result = run (self, "SELECT value FROM counters WHERE name = 'seq'", 0, NULL, error)))
    goto failed;
  if (PQntuples (result) > 0)
    head = value_int (result, 0, 0);
  PQclear (result);
  if (!(result = run (self,
                      "SELECT " RECORD_COLUMNS " FROM entities"
                      " WHERE seq > $1"
                      "   AND ($2::jsonb IS NULL OR customer_id IS NULL"
                      "        OR customer_id IN (SELECT jsonb_array_elements_text ($2::jsonb)))"
                      " ORDER BY seq LIMIT $3",
                      G_N_ELEMENTS (values), values, error)))
    goto failed;
  records = collect_records (result);
  if (own && !run_command (self, "COMMIT", error))
    return NULL;

  *has_more = records->len > limit;
  if (*has_more)
    {
      g_ptr_array_set_size (records, limit);
      *last_seq = ((SdStoreRecord *) records->pdata[limit - 1])->seq;
    }
  else
    *last_seq = head;
  return g_steal_pointer (&records);

failed:
  if (own)
    run_command (self, "ROLLBACK", NULL);
  return NULL;
}

static gint64
sd_pg_store_next_counter (SdStore     *store,
                          const char  *name,
                          GError     **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  g_autoptr(GError) local_error = NULL;
  gint64 value;

  if (!write_enter (self, error))
    return -1;
  value = bump_counter (self, name, &local_error);
  if (!write_leave (self, value >= 0, value >= 0 ? &local_error : NULL))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "no counter %s", name);
      return -1;
    }
  return value;
}

/* ------------------------------------------- credentials, sessions */

static gboolean
sd_pg_store_set_password (SdStore     *store,
                          const char  *user_id,
                          const char  *login,
                          const char  *password_hash,
                          GError     **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  g_autoptr(GError) local_error = NULL;
  const char *values[] = { login, user_id, password_hash };
  PGresult *result;
  gboolean changed;

  if (!write_enter (self, error))
    return FALSE;
  if (!(result = run (self,
                      "INSERT INTO credentials (login, user_id, password_hash) VALUES ($1, $2, $3)"
                      " ON CONFLICT (login) DO UPDATE SET password_hash = $3"
                      " WHERE credentials.user_id = $2",
                      G_N_ELEMENTS (values), values, &local_error)))
    goto failed;
  changed = g_strcmp0 (PQcmdTuples (result), "0") != 0;
  PQclear (result);
  /* Recorded without the secret: who, when, whose; never the hash. */
  if (changed
      && !audit_append (self, g_get_real_time () / G_USEC_PER_SEC, "set_password",
                        "user", user_id, NULL, 0, NULL, FALSE, &local_error))
    goto failed;
  if (!write_leave (self, TRUE, &local_error))
    goto failed_left;
  return TRUE;

failed:
  write_leave (self, FALSE, NULL);
failed_left:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
sd_pg_store_get_password (SdStore     *store,
                          const char  *login,
                          char       **user_id,
                          char       **password_hash,
                          GError     **error)
{
  const char *values[] = { login };
  PGresult *result = run (SD_PG_STORE (store), "SELECT user_id, password_hash FROM credentials WHERE login = $1",
                          1, values, error);
  gboolean found;

  if (result == NULL)
    return FALSE;
  if ((found = PQntuples (result) > 0))
    {
      *user_id = value_dup (result, 0, 0);
      *password_hash = value_dup (result, 0, 1);
    }
  else
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "no such login");
  PQclear (result);
  return found;
}

static gboolean
sd_pg_store_add_token (SdStore     *store,
                       const char  *token_hash,
                       const char  *user_id,
                       gint64       expires_at,
                       GError     **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  INT_PARAM (now, g_get_real_time () / G_USEC_PER_SEC);
  INT_PARAM (expires, expires_at);
  const char *expired[] = { now };
  const char *values[] = { token_hash, user_id, expires };

  /* Expired sessions go when new ones come. */
  return run_ok (self, "DELETE FROM tokens WHERE expires_at <= $1", 1, expired, error)
         && run_ok (self, "INSERT INTO tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
                    G_N_ELEMENTS (values), values, error);
}

static char *
sd_pg_store_find_token (SdStore     *store,
                        const char  *token_hash,
                        gint64       now,
                        GError     **error)
{
  INT_PARAM (now_text, now);
  const char *values[] = { token_hash, now_text };
  PGresult *result = run (SD_PG_STORE (store), "SELECT user_id FROM tokens WHERE token_hash = $1 AND expires_at > $2",
                          2, values, error);
  char *user_id = NULL;

  if (result == NULL)
    return NULL;
  if (PQntuples (result) > 0)
    user_id = value_dup (result, 0, 0);
  else
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, "no such session");
  PQclear (result);
  return user_id;
}

static gboolean
sd_pg_store_remove_token (SdStore     *store,
                          const char  *token_hash,
                          GError     **error)
{
  const char *values[] = { token_hash };

  return run_ok (SD_PG_STORE (store), "DELETE FROM tokens WHERE token_hash = $1", 1, values, error);
}

/* One statement, atomic across servers: a window that ran out starts
 * again; otherwise the count grows up to one past the limit, which
 * means "wait". Windows that ran out are dropped on the way. */
static gint64
sd_pg_store_count_attempt (SdStore     *store,
                           const char  *key,
                           gint64       now,
                           guint        max_attempts,
                           gint64       window,
                           GError     **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  INT_PARAM (now_text, now);
  INT_PARAM (max_text, max_attempts);
  INT_PARAM (window_text, window);
  const char *expired[] = { now_text, window_text };
  const char *values[] = { key, now_text, max_text, window_text };
  PGresult *result;
  gint64 started, count;

  if (!run_ok (self, "DELETE FROM sign_in_attempts WHERE window_start <= $1::bigint - $2::bigint",
               G_N_ELEMENTS (expired), expired, error))
    return -1;
  if (!(result = run (self,
                      "INSERT INTO sign_in_attempts AS a (key, window_start, count) VALUES ($1, $2, 1)"
                      " ON CONFLICT (key) DO UPDATE SET"
                      "  window_start = CASE WHEN $2 - a.window_start >= $4 THEN $2 ELSE a.window_start END,"
                      "  count = CASE WHEN $2 - a.window_start >= $4 THEN 1 ELSE LEAST (a.count + 1, $3 + 1) END"
                      " RETURNING window_start, count",
                      G_N_ELEMENTS (values), values, error)))
    return -1;
  started = value_int (result, 0, 0);
  count = value_int (result, 0, 1);
  PQclear (result);
  return count > max_attempts ? MAX (window - (now - started), 1) : 0;
}

static gboolean
sd_pg_store_forget_attempts (SdStore     *store,
                             const char  *key,
                             GError     **error)
{
  const char *values[] = { key };

  return run_ok (SD_PG_STORE (store), "DELETE FROM sign_in_attempts WHERE key = $1", 1, values, error);
}

static void
sd_pg_store_set_actor (SdStore            *store,
                       const SdStoreActor *actor)
{
  SdPgStore *self = SD_PG_STORE (store);

  g_clear_pointer (&self->actor, sd_audit_actor_free);
  if (actor != NULL)
    self->actor = sd_audit_actor_copy (actor);
}

/* ---------------------------------------------------- the delivery queue */

#define DELIVERY_COLUMNS "id, channel, target, payload, state, attempts, created_at, next_attempt," \
                         " delivered_at, last_error, seq"

static GPtrArray *
collect_deliveries (PGresult *result)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) sd_delivery_free);

  for (int row = 0; row < PQntuples (result); row++)
    {
      SdDelivery *delivery = g_new0 (SdDelivery, 1);

      delivery->id = value_dup (result, row, 0);
      delivery->channel = value_dup (result, row, 1);
      delivery->target = value_dup (result, row, 2);
      delivery->payload = value_dup (result, row, 3);
      delivery->state = value_dup (result, row, 4);
      delivery->attempts = value_int (result, row, 5);
      delivery->created_at = value_int (result, row, 6);
      delivery->next_attempt = value_int (result, row, 7);
      delivery->delivered_at = value_int (result, row, 8);
      delivery->last_error = value_dup (result, row, 9);
      delivery->seq = value_int (result, row, 10);
      g_ptr_array_add (list, delivery);
    }
  PQclear (result);
  return list;
}

static gboolean
sd_pg_store_enqueue_delivery (SdStore          *store,
                              const SdDelivery *delivery,
                              GError          **error)
{
  INT_PARAM (created, delivery->created_at);
  INT_PARAM (next, delivery->next_attempt);
  const char *values[] = { delivery->id, delivery->channel, delivery->target, delivery->payload, created, next };

  return run_ok (SD_PG_STORE (store),
                 "INSERT INTO deliveries (id, channel, target, payload, created_at, next_attempt)"
                 " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                 G_N_ELEMENTS (values), values, error);
}

/* One statement; SKIP LOCKED lets several servers claim side by side. */
static GPtrArray *
sd_pg_store_claim_deliveries (SdStore  *store,
                              gint64    now,
                              gint64    lease,
                              guint     limit,
                              gint64   *next_due,
                              GError  **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  INT_PARAM (now_text, now);
  INT_PARAM (lease_text, lease);
  INT_PARAM (limit_text, limit);
  const char *values[] = { now_text, lease_text, limit_text };
  g_autoptr(GPtrArray) claimed = NULL;
  PGresult *result;

  if (!(result = run (self,
                      "UPDATE deliveries SET attempts = attempts + 1, next_attempt = $1::bigint + $2::bigint"
                      " WHERE seq IN (SELECT seq FROM deliveries WHERE state = 'pending'"
                      "  AND next_attempt <= $1::bigint ORDER BY next_attempt, seq LIMIT $3::bigint"
                      "  FOR UPDATE SKIP LOCKED)"
                      " RETURNING " DELIVERY_COLUMNS, G_N_ELEMENTS (values), values, error)))
    return NULL;
  claimed = collect_deliveries (result);
  if (!(result = run (self, "SELECT coalesce (min (next_attempt), 0) FROM deliveries WHERE state = 'pending'",
                      0, NULL, error)))
    return NULL;
  *next_due = value_int (result, 0, 0);
  PQclear (result);
  return g_steal_pointer (&claimed);
}

static gboolean
sd_pg_store_finish_delivery (SdStore     *store,
                             const char  *id,
                             const char  *state,
                             gint64       when,
                             const char  *last_error,
                             GError     **error)
{
  INT_PARAM (when_text, when);
  const char *values[] = { id, state, when_text, last_error };

  return run_ok (SD_PG_STORE (store),
                 "UPDATE deliveries SET state = $2, last_error = $4,"
                 "  next_attempt = CASE WHEN $2 = 'pending' THEN $3::bigint ELSE next_attempt END,"
                 "  delivered_at = CASE WHEN $2 = 'delivered' THEN $3::bigint ELSE delivered_at END"
                 " WHERE id = $1 AND state = 'pending'",
                 G_N_ELEMENTS (values), values, error);
}

static GPtrArray *
sd_pg_store_deliveries (SdStore  *store,
                        gint64    after_seq,
                        guint     limit,
                        GError  **error)
{
  INT_PARAM (after, after_seq);
  INT_PARAM (limit_text, limit);
  const char *values[] = { after, limit_text };
  PGresult *result;

  if (!(result = run (SD_PG_STORE (store),
                      "SELECT " DELIVERY_COLUMNS " FROM deliveries WHERE seq > $1::bigint ORDER BY seq LIMIT $2::bigint",
                      G_N_ELEMENTS (values), values, error)))
    return NULL;
  return collect_deliveries (result);
}

static SdPgStore *connect_to (const char *uri, gboolean read_only, GError **error);

/* Another connection to the same database that only reads. */
static SdStore *
sd_pg_store_open_reader (SdStore  *store,
                         GError  **error)
{
  return SD_STORE (connect_to (SD_PG_STORE (store)->uri, TRUE, error));
}

static SdStore *
sd_pg_store_open_writer (SdStore  *store,
                         GError  **error)
{
  return SD_STORE (connect_to (SD_PG_STORE (store)->uri, FALSE, error));
}

static gint64
sd_pg_store_restamp (SdStore     *store,
                     const char  *customer_id,
                     GError     **error)
{
  SdPgStore *self = SD_PG_STORE (store);
  g_autoptr(GError) local_error = NULL;
  const char *values[] = { customer_id };
  PGresult *result;
  gint64 n = -1;

  if (!write_enter (self, error))
    return -1;
  /* Under the write lock, like every other use of the sequence; the new
   * positions all lie past the old head, so the unique index never
   * sees two rows at one position. */
  result = run (self,
                "WITH moved AS (SELECT kind, id, row_number () OVER (ORDER BY seq) AS n"
                "  FROM entities WHERE customer_id = $1 AND NOT deleted),"
                " head AS (UPDATE counters SET value = value + (SELECT count(*) FROM moved)"
                "  WHERE name = 'seq' RETURNING value - (SELECT count(*) FROM moved) AS base) "
                "UPDATE entities SET seq = head.base + moved.n FROM moved, head"
                " WHERE entities.kind = moved.kind AND entities.id = moved.id",
                G_N_ELEMENTS (values), values, &local_error);
  if (result != NULL)
    {
      n = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
      PQclear (result);
    }
  if (!write_leave (self, result != NULL, result != NULL ? &local_error : NULL))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return n;
}

static void
sd_pg_store_iface_init (SdStoreInterface *iface)
{
  iface->begin = sd_pg_store_begin;
  iface->commit = sd_pg_store_commit;
  iface->rollback = sd_pg_store_rollback;
  iface->put = sd_pg_store_put;
  iface->remove = sd_pg_store_remove;
  iface->get = sd_pg_store_get;
  iface->list = sd_pg_store_list;
  iface->changes = sd_pg_store_changes;
  iface->next_counter = sd_pg_store_next_counter;
  iface->restamp = sd_pg_store_restamp;
  iface->set_password = sd_pg_store_set_password;
  iface->get_password = sd_pg_store_get_password;
  iface->add_token = sd_pg_store_add_token;
  iface->find_token = sd_pg_store_find_token;
  iface->remove_token = sd_pg_store_remove_token;
  iface->open_reader = sd_pg_store_open_reader;
  iface->open_writer = sd_pg_store_open_writer;
  iface->set_actor = sd_pg_store_set_actor;
  iface->enqueue_delivery = sd_pg_store_enqueue_delivery;
  iface->claim_deliveries = sd_pg_store_claim_deliveries;
  iface->finish_delivery = sd_pg_store_finish_delivery;
  iface->deliveries = sd_pg_store_deliveries;
  iface->audit = sd_pg_store_audit;
  iface->count_attempt = sd_pg_store_count_attempt;
  iface->forget_attempts = sd_pg_store_forget_attempts;
}

static void
sd_pg_store_finalize (GObject *object)
{
  SdPgStore *self = SD_PG_STORE (object);

  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->actor, sd_audit_actor_free);

  G_OBJECT_CLASS (sd_pg_store_parent_class)->finalize (object);
}

static void
sd_pg_store_class_init (SdPgStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_pg_store_finalize;
}

static void
sd_pg_store_init (SdPgStore *self)
{
}

/* ------------------------------------------------------------ opening */

static void
notice_cb (void       *user_data,
           const char *message)
{
  /* "relation already exists, skipping" and the like: not for the log. */
}

static SdPgStore *
connect_to (const char  *uri,
            gboolean     read_only,
            GError     **error)
{
  g_autoptr(SdPgStore) self = g_object_new (SD_TYPE_PG_STORE, NULL);

  self->uri = g_strdup (uri);
  self->read_only = read_only;
  self->conn = PQconnectdb (uri);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (PQerrorMessage (self->conn));

      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_UNAVAILABLE, "PostgreSQL: %s", g_strchomp (message));
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, notice_cb, NULL);
  if (read_only && !run_command (self, "SET default_transaction_read_only = on", error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
migrate (SdPgStore  *self,
         gboolean    create,
         GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  PGresult *result;
  int version = 0;

  if (!run_command (self, "BEGIN", error))
    return FALSE;
  if (!run_command (self, WRITE_LOCK_SQL, &local_error))
    goto failed;
  if (!(result = run (self, "SELECT to_regclass ('sd_schema') IS NOT NULL", 0, NULL, &local_error)))
    goto failed;
  if (!g_str_equal (PQgetvalue (result, 0, 0), "t"))
    {
      PQclear (result);
      if (!create)
        {
          g_set_error (&local_error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                       "there is no SupportDesk database at %s", PQdb (self->conn));
          goto failed;
        }
      if (!run_command (self, "CREATE TABLE sd_schema (version INTEGER NOT NULL);"
                              "INSERT INTO sd_schema (version) VALUES (0)", &local_error))
        goto failed;
    }
  else
    PQclear (result);

  if (!(result = run (self, "SELECT version FROM sd_schema", 0, NULL, &local_error)))
    goto failed;
  version = (int) value_int (result, 0, 0);
  PQclear (result);
  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (&local_error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   "the database %s has schema version %d; this server knows up to %d",
                   PQdb (self->conn), version, (int) G_N_ELEMENTS (migrations));
      goto failed;
    }
  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("UPDATE sd_schema SET version = %d", version + 1);

      if (!run_command (self, migrations[version], &local_error)
          || !run_command (self, bump, &local_error))
        goto failed;
    }
  return run_command (self, "COMMIT", error);

failed:
  run_command (self, "ROLLBACK", NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
sd_pg_store_is_uri (const char *db)
{
  return db != NULL && (g_str_has_prefix (db, "postgresql://") || g_str_has_prefix (db, "postgres://"));
}

SdPgStore *
sd_pg_store_open (const char  *uri,
                  gboolean     create,
                  GError     **error)
{
  g_autoptr(SdPgStore) self = connect_to (uri, FALSE, error);

  if (self == NULL || !migrate (self, create, error))
    return NULL;
  return g_steal_pointer (&self);
}
