/* sd-sqlite-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sqlite-store"

#include "config.h"

#include <sd-model.h>

#include "sd-sqlite-audit.h"

#define ROW_COLUMNS "seq, at, user_id, session, address, method, path, action, kind, entity_id," \
                    " customer_id, version, prior_version, prior_digest, patch, hash"

SdStoreActor *
sd_audit_actor_copy (const SdStoreActor *actor)
{
  SdStoreActor *copy = g_new0 (SdStoreActor, 1);

  copy->user_id = g_strdup (actor->user_id);
  copy->session = g_strdup (actor->session);
  copy->address = g_strdup (actor->address);
  copy->method = g_strdup (actor->method);
  copy->path = g_strdup (actor->path);
  copy->body = g_strdup (actor->body);
  return copy;
}

void
sd_audit_actor_free (SdStoreActor *actor)
{
  if (actor == NULL)
    return;
  g_free ((char *) actor->user_id);
  g_free ((char *) actor->session);
  g_free ((char *) actor->address);
  g_free ((char *) actor->method);
  g_free ((char *) actor->path);
  g_free ((char *) actor->body);
  g_free (actor);
}

static void
add_text (JsonArray  *array,
          const char *text)
{
  if (text != NULL)
    json_array_add_string_element (array, text);
  else
    json_array_add_null_element (array);
}

static void
add_int (JsonArray *array,
         gint64     value)
{
  if (value != 0)
    json_array_add_int_element (array, value);
  else
    json_array_add_null_element (array);
}

char *
sd_audit_row_hash (const SdAuditRow *row,
                   const char       *previous)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *text = NULL;

  json_array_add_int_element (array, row->seq);
  json_array_add_int_element (array, row->at);
  add_text (array, row->user_id);
  add_text (array, row->session);
  add_text (array, row->address);
  add_text (array, row->method);
  add_text (array, row->path);
  add_text (array, row->action);
  add_text (array, row->kind);
  add_text (array, row->entity_id);
  add_text (array, row->customer_id);
  add_int (array, row->version);
  add_int (array, row->prior_version);
  add_text (array, row->prior_digest);
  add_text (array, row->patch);
  json_node_set_array (node, array);
  text = sd_json_to_string (node, FALSE);

  g_checksum_update (checksum, (const guchar *) previous, -1);
  g_checksum_update (checksum, (const guchar *) text, -1);
  return g_strdup (g_checksum_get_string (checksum));
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* The row @stmt (ROW_COLUMNS) is on. */
static void
read_row (sqlite3_stmt *stmt,
          SdAuditRow   *row)
{
  row->seq = sqlite3_column_int64 (stmt, 0);
  row->at = sqlite3_column_int64 (stmt, 1);
  row->user_id = column_text (stmt, 2);
  row->session = column_text (stmt, 3);
  row->address = column_text (stmt, 4);
  row->method = column_text (stmt, 5);
  row->path = column_text (stmt, 6);
  row->action = column_text (stmt, 7);
  row->kind = column_text (stmt, 8);
  row->entity_id = column_text (stmt, 9);
  row->customer_id = column_text (stmt, 10);
  row->version = sqlite3_column_int64 (stmt, 11);
  row->prior_version = sqlite3_column_int64 (stmt, 12);
  row->prior_digest = column_text (stmt, 13);
  row->patch = column_text (stmt, 14);
}

static void
bind_int_or_null (sqlite3_stmt *stmt,
                  int           index,
                  gint64        value)
{
  if (value != 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

char *
sd_audit_row_fill (SdAuditRow          *row,
                   const SdStoreActor  *actor,
                   gint64               at,
                   const char          *action,
                   const char          *kind,
                   const char          *id,
                   const char          *customer_id,
                   gint64               version,
                   const SdStoreRecord *prior,
                   gboolean             with_body)
{
  static const SdStoreActor server_itself = { NULL, };
  char *prior_digest = NULL;

  if (actor == NULL)
    actor = &server_itself;
  if (prior != NULL && prior->body != NULL)
    prior_digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, prior->body, -1);

  row->at = at;
  row->user_id = actor->user_id;
  row->session = actor->session;
  row->address = actor->address;
  row->method = actor->method;
  row->path = actor->path;
  row->action = action;
  row->kind = kind;
  row->entity_id = id;
  row->customer_id = customer_id;
  row->version = version;
  row->prior_version = prior != NULL ? prior->version : 0;
  row->prior_digest = prior_digest;
  row->patch = with_body ? actor->body : NULL;
  return prior_digest;
}

gboolean
sd_audit_append (SdSqlite            *sql,
                 const SdStoreActor  *actor,
                 gint64               at,
                 const char          *action,
                 const char          *kind,
                 const char          *id,
                 const char          *customer_id,
                 gint64               version,
                 const SdStoreRecord *prior,
                 gboolean             with_body,
                 GError             **error)
{
  g_autofree char *previous = NULL;
  g_autofree char *prior_digest = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  SdAuditRow row = { 0 };
  int rc;

  /* The head of the chain: the writer's transaction holds it still. */
  if (!(stmt = sd_sqlite_prepare (sql, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", error)))
    return FALSE;
  if ((rc = sd_sqlite_step (sql, stmt, error)) < 0)
    return FALSE;
  row.seq = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) + 1 : 1;
  previous = rc == SQLITE_ROW ? sd_sqlite_column_dup (stmt, 1) : g_strdup (SD_AUDIT_GENESIS);
  sqlite3_reset (stmt);

  prior_digest = sd_audit_row_fill (&row, actor, at, action, kind, id, customer_id,
                                   version, prior, with_body);
  hash = sd_audit_row_hash (&row, previous);

  if (!(stmt = sd_sqlite_prepare (sql,
                                  "INSERT INTO audit (" ROW_COLUMNS ")"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                                  error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row.seq);
  sqlite3_bind_int64 (stmt, 2, row.at);
  sd_sqlite_bind_text (stmt, 3, row.user_id);
  sd_sqlite_bind_text (stmt, 4, row.session);
  sd_sqlite_bind_text (stmt, 5, row.address);
  sd_sqlite_bind_text (stmt, 6, row.method);
  sd_sqlite_bind_text (stmt, 7, row.path);
  sd_sqlite_bind_text (stmt, 8, row.action);
  sd_sqlite_bind_text (stmt, 9, row.kind);
  sd_sqlite_bind_text (stmt, 10, row.entity_id);
  sd_sqlite_bind_text (stmt, 11, row.customer_id);
  bind_int_or_null (stmt, 12, row.version);
  bind_int_or_null (stmt, 13, row.prior_version);
  sd_sqlite_bind_text (stmt, 14, row.prior_digest);
  sd_sqlite_bind_text (stmt, 15, row.patch);
  sd_sqlite_bind_text (stmt, 16, hash);
  return sd_sqlite_step_done (sql, stmt, error);
}

static void
add_member_int (JsonBuilder *builder,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (builder, name);
  if (value != 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
sd_audit_row_to_json (const SdAuditRow *row,
                      JsonNode         *patch,
                      const char       *hash)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, row->seq);
  sd_json_builder_add_time (builder, "at", row->at);
  sd_json_builder_add_string_or_null (builder, "user_id", row->user_id);
  sd_json_builder_add_string_or_null (builder, "session", row->session);
  sd_json_builder_add_string_or_null (builder, "address", row->address);
  sd_json_builder_add_string_or_null (builder, "method", row->method);
  sd_json_builder_add_string_or_null (builder, "path", row->path);
  sd_json_builder_add_string_or_null (builder, "action", row->action);
  sd_json_builder_add_string_or_null (builder, "kind", row->kind);
  sd_json_builder_add_string_or_null (builder, "entity_id", row->entity_id);
  add_member_int (builder, "version", row->version);
  add_member_int (builder, "prior_version", row->prior_version);
  sd_json_builder_add_string_or_null (builder, "prior_digest", row->prior_digest);
  json_builder_set_member_name (builder, "patch");
  if (patch != NULL)
    json_builder_add_value (builder, patch);
  else
    json_builder_add_null_value (builder);
  sd_json_builder_add_string_or_null (builder, "hash", hash);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
row_to_json (sqlite3_stmt *stmt)
{
  SdAuditRow row;

  read_row (stmt, &row);
  return sd_audit_row_to_json (&row, sd_sqlite_column_json (stmt, 14), column_text (stmt, 15));
}

GPtrArray *
sd_audit_list (SdSqlite                *sql,
               const SdStoreAuditQuery *query,
               const char              *customer_ids,
               GError                 **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = sd_sqlite_prepare (sql,
                                  "SELECT " ROW_COLUMNS " FROM audit"
                                  " WHERE (?1 IS NULL OR (kind = ?1 AND entity_id = ?2))"
                                  "   AND (?3 IS NULL OR customer_id IS NULL"
                                  "        OR customer_id IN (SELECT value FROM json_each (?3)))"
                                  "   AND seq > ?4"
                                  " ORDER BY seq LIMIT ?5", error)))
    return NULL;
  sd_sqlite_bind_text (stmt, 1, query->kind);
  sd_sqlite_bind_text (stmt, 2, query->id);
  sd_sqlite_bind_text (stmt, 3, customer_ids);
  sqlite3_bind_int64 (stmt, 4, query->after_seq);
  sqlite3_bind_int64 (stmt, 5, query->limit > 0 ? query->limit : G_MAXINT32);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_to_json (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sd_sqlite_fail (sql, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
sd_audit_check_row (const SdAuditRow  *row,
                    const char        *stored,
                    gint64            *expected,
                    char             **previous,
                    gint64            *broken_seq,
                    char             **reason)
{
  g_autofree char *hash = NULL;

  if (row->seq != *expected)
    {
      *broken_seq = *expected;
      *reason = row->seq > *expected
        ? g_strdup_printf ("row %" G_GINT64_FORMAT " is missing (the next row is %" G_GINT64_FORMAT ")",
                           *expected, row->seq)
        : g_strdup_printf ("row %" G_GINT64_FORMAT " is out of sequence", row->seq);
      return FALSE;
    }
  hash = sd_audit_row_hash (row, *previous);
  if (g_strcmp0 (hash, stored) != 0)
    {
      *broken_seq = row->seq;
      *reason = g_strdup_printf ("row %" G_GINT64_FORMAT ": the stored hash does not match its content"
                                 " and the row before it", row->seq);
      return FALSE;
    }
  g_free (*previous);
  *previous = g_strdup (stored);
  (*expected)++;
  return TRUE;
}

gboolean
sd_audit_verify (SdSqlite  *sql,
                 gint64    *n_rows,
                 char     **head,
                 gint64    *broken_seq,
                 char     **reason,
                 GError   **error)
{
  g_autofree char *previous = g_strdup (SD_AUDIT_GENESIS);
  sqlite3_stmt *stmt;
  gint64 expected = 1;
  int rc;

  *n_rows = 0;
  *broken_seq = 0;
  if (!(stmt = sd_sqlite_prepare (sql, "SELECT " ROW_COLUMNS " FROM audit ORDER BY seq", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *stored = column_text (stmt, 15);
      SdAuditRow row;

      read_row (stmt, &row);
      if (!sd_audit_check_row (&row, stored, &expected, &previous, broken_seq, reason))
        break;
      (*n_rows)++;
    }
  sqlite3_reset (stmt);
  if (*broken_seq != 0)
    return FALSE;
  if (rc != SQLITE_DONE)
    return sd_sqlite_fail (sql, error);
  *head = g_steal_pointer (&previous);
  return TRUE;
}
