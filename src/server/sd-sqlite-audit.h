/* sd-sqlite-audit.h — the audit log of SdSqliteStore: an append-only,
 * hash-chained table written in the transaction of each change
 *
 * Row N's hash is SHA-256 (row N-1's hash || row N's canonical text), in
 * lower-case hex; row 1 chains to SD_AUDIT_GENESIS. The canonical text is
 * the row's columns, seq to patch, as one compact JSON array (integers as
 * numbers, text as strings, absent values as null). docs/security.md
 * says what is recorded and what verification proves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-sqlite.h"
#include <json-glib/json-glib.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The audit table and the triggers that refuse UPDATE and DELETE on it:
 * one schema migration. */
#define SD_AUDIT_SCHEMA \
  "CREATE TABLE audit (" \
  "  seq INTEGER PRIMARY KEY," \
  "  at INTEGER NOT NULL," \
  "  user_id TEXT," \
  "  session TEXT," \
  "  address TEXT," \
  "  method TEXT," \
  "  path TEXT," \
  "  action TEXT NOT NULL," \
  "  kind TEXT NOT NULL," \
  "  entity_id TEXT NOT NULL," \
  "  customer_id TEXT," \
  "  version INTEGER," \
  "  prior_version INTEGER," \
  "  prior_digest TEXT," \
  "  patch TEXT," \
  "  hash TEXT NOT NULL" \
  ");" \
  "CREATE INDEX audit_entity ON audit (kind, entity_id, seq);" \
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit" \
  " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;" \
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit" \
  " BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"

/* One row, as written and as read back: borrowed strings. */
typedef struct {
  gint64      seq;
  gint64      at;
  const char *user_id;
  const char *session;
  const char *address;
  const char *method;
  const char *path;
  const char *action;
  const char *kind;
  const char *entity_id;
  const char *customer_id;
  gint64      version;        /* 0: none */
  gint64      prior_version;  /* 0: none */
  const char *prior_digest;
  const char *patch;
} SdAuditRow;

/* The rest of this header is shared with the PostgreSQL store
 * (sd-pg-store.c), which keeps the same chain in its own table. */

/* Fills every member of @row but seq for a write (see sd_audit_append);
 * returns the prior digest, which @row borrows: free it after. */
char         *sd_audit_row_fill    (SdAuditRow          *row,
                                    const SdStoreActor  *actor,
                                    gint64               at,
                                    const char          *action,
                                    const char          *kind,
                                    const char          *id,
                                    const char          *customer_id,
                                    gint64               version,
                                    const SdStoreRecord *prior,
                                    gboolean             with_body);
/* The hash of @row chained to @previous. */
char         *sd_audit_row_hash    (const SdAuditRow    *row,
                                    const char          *previous);
/* The row as the audit API shows it; takes @patch (may be NULL). */
JsonNode     *sd_audit_row_to_json (const SdAuditRow    *row,
                                    JsonNode            *patch,
                                    const char          *hash);
/* One step of verification: @row must be number *@expected and chain to
 * *@previous with the @stored hash. On success advances both; otherwise
 * sets *@broken_seq and *@reason. */
gboolean      sd_audit_check_row   (const SdAuditRow    *row,
                                    const char          *stored,
                                    gint64              *expected,
                                    char               **previous,
                                    gint64              *broken_seq,
                                    char               **reason);

SdStoreActor *sd_audit_actor_copy  (const SdStoreActor  *actor);
void          sd_audit_actor_free  (SdStoreActor        *actor);

/* Appends one row for a write of @kind @id, inside the caller's
 * transaction. @prior is the record before the write (NULL: none);
 * @version the version written (0 for a removal or a credential).
 * @with_body: whether the actor's body goes in (never for credentials). */
gboolean      sd_audit_append      (SdSqlite            *sql,
                                    const SdStoreActor  *actor,
                                    gint64               at,
                                    const char          *action,
                                    const char          *kind,
                                    const char          *id,
                                    const char          *customer_id,
                                    gint64               version,
                                    const SdStoreRecord *prior,
                                    gboolean             with_body,
                                    GError             **error);

/* Rows as JSON objects (JsonNode *), oldest first. @customer_ids is the
 * query's list as a JSON array (NULL: all). */
GPtrArray    *sd_audit_list        (SdSqlite                *sql,
                                    const SdStoreAuditQuery *query,
                                    const char              *customer_ids,
                                    GError                 **error);

/* Recomputes the chain. TRUE when it holds, with *n_rows and *head (the
 * last hash); FALSE with *broken_seq (the first row that fails) and
 * *reason set, or with @error when the table cannot be read. */
gboolean      sd_audit_verify      (SdSqlite            *sql,
                                    gint64              *n_rows,
                                    char               **head,
                                    gint64              *broken_seq,
                                    char               **reason,
                                    GError             **error);

G_END_DECLS
