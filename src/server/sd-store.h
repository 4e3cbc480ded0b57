/* sd-store.h — the server's storage, behind one interface
 *
 * Entities are stored as their canonical JSON documents (the core codecs'
 * output) with the few columns the server queries on. Every write gets the
 * next number of one monotonic sequence: the change feed is the entities
 * ordered by that sequence, deletions included as tombstones.
 *
 * SdSqliteStore implements it; a PostgreSQL store would implement the
 * same interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_STORE_ERROR (sd_store_error_quark ())

typedef enum {
  SD_STORE_ERROR_FAILED,
  SD_STORE_ERROR_NOT_FOUND,
  SD_STORE_ERROR_EXISTS,
  SD_STORE_ERROR_CONFLICT,   /* the version does not match */
  SD_STORE_ERROR_UNAVAILABLE, /* the database file went away: no writes */
  SD_STORE_ERROR_IDEMPOTENCY_MISMATCH, /* a key reused for another request */
} SdStoreError;

GQuark sd_store_error_quark (void);

#define SD_STORE_DIGEST_SEPARATOR "\x1e"

typedef struct {
  char     *kind;         /* "case", "customer", … */
  char     *id;
  char     *customer_id;  /* NULL for entities every user sees */
  char     *parent_id;    /* the case of an event; NULL otherwise */
  gint64    version;
  gint64    seq;
  gint64    updated_at;   /* Unix seconds */
  gboolean  deleted;
  char     *body;         /* canonical JSON; NULL for a tombstone */
} SdStoreRecord;

void           sd_store_record_free (SdStoreRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdStoreRecord, sd_store_record_free)

/* Renders the stored document once the store has chosen the version and
 * time of the write. Returns a newly allocated JSON text or NULL with
 * @error set to refuse the write. */
typedef char *(*SdStoreRenderFunc) (gint64     version,
                                    gint64     updated_at,
                                    gpointer   user_data,
                                    GError   **error);

/* A filter on a list: the document's member @path (a JSON path such as
 * "$.status") equals @value (compared as text). */
typedef struct {
  const char *path;
  const char *value;
} SdStoreFilter;

/* Who makes the writes that follow, for the audit log (docs/security.md).
 * The server sets one around each signed-in request that may write and
 * clears it after; writes without one are the server's own (seeding,
 * "user add"). The store keeps copies. */
typedef struct {
  const char *user_id;
  const char *session;  /* a prefix of the token's hash, never the token */
  const char *address;  /* the client's address */
  const char *method;
  const char *path;
  const char *body;     /* what the client sent: a merge patch, a new entity */
} SdStoreActor;

/* A page of the audit log: rows after @after_seq, oldest first. */
typedef struct {
  const char          *kind;          /* with @id: one entity's rows; NULL: all */
  const char          *id;
  const char * const  *customer_ids;  /* visible customers; NULL: all */
  gint64               after_seq;
  guint                limit;
} SdStoreAuditQuery;

typedef struct {
  const char * const  *customer_ids;  /* visible customers; NULL: all */
  const char          *parent_id;     /* only children of this entity */
  const SdStoreFilter *filters;
  guint                n_filters;
  const char          *after_id;      /* paging cursor: ids after this one */
  guint                limit;
} SdStoreQuery;

/* One message in the delivery queue: sent at least once, each time with
 * the same id, until the receiver accepts it (receivers deduplicate on
 * the id). */
typedef struct {
  char   *id;
  char   *channel;       /* "email" or "webhook" */
  char   *target;        /* an e-mail address or a URL */
  char   *payload;       /* JSON: {"subject", "text"} for mail; the body posted to a webhook */
  char   *state;         /* "pending", "delivered" or "failed" (gave up) */
  gint   attempts;
  gint64  created_at;    /* Unix seconds */
  gint64  next_attempt;  /* when it is due (pending) */
  gint64  delivered_at;  /* 0 until delivered */
  char   *last_error;    /* nullable */
  gint64  seq;           /* the queue's order */
} SdDelivery;

void           sd_delivery_free     (SdDelivery *delivery);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDelivery, sd_delivery_free)

#define SD_TYPE_STORE (sd_store_get_type ())

G_DECLARE_INTERFACE (SdStore, sd_store, SD, STORE, GObject)

struct _SdStoreInterface
{
  GTypeInterface parent_iface;

  /* Groups several writes into one atomic, durable transaction. Writes
   * outside one are each their own transaction. */
  gboolean       (*begin)        (SdStore            *self,
                                  GError            **error);
  gboolean       (*commit)       (SdStore            *self,
                                  GError            **error);
  void           (*rollback)     (SdStore            *self);

  /* @expected_version: 0 creates (fails with EXISTS when present), > 0
   * updates only that version (CONFLICT, with *current set), -1 writes
   * whatever is there (server-side seeding). @idempotency, when set, is
   * the client's key scoped by the caller (user, path), optionally
   * followed by SD_STORE_DIGEST_SEPARATOR and a digest of the request:
   * recorded in the same transaction, and a second create with the key
   * returns the first record instead of writing — or fails with
   * SD_STORE_ERROR_IDEMPOTENCY_MISMATCH when the digests differ. */
  SdStoreRecord *(*put)          (SdStore            *self,
                                  const char         *kind,
                                  const char         *id,
                                  const char         *customer_id,
                                  const char         *parent_id,
                                  gint64              expected_version,
                                  const char         *idempotency,
                                  SdStoreRenderFunc   render,
                                  gpointer            user_data,
                                  SdStoreRecord     **current,
                                  GError            **error);
  gboolean       (*remove)       (SdStore            *self,
                                  const char         *kind,
                                  const char         *id,
                                  GError            **error);
  SdStoreRecord *(*get)          (SdStore            *self,
                                  const char         *kind,
                                  const char         *id,
                                  GError            **error);
  GPtrArray     *(*list)         (SdStore            *self,
                                  const char         *kind,
                                  const SdStoreQuery *query,
                                  GError            **error);
  GPtrArray     *(*changes)      (SdStore            *self,
                                  gint64              after,
                                  guint               limit,
                                  const char * const *customer_ids,
                                  gboolean           *has_more,
                                  gint64             *last_seq,
                                  GError            **error);
  gint64         (*next_counter) (SdStore            *self,
                                  const char         *name,
                                  GError            **error);

  /* Credentials and sessions: never in the change feed. */
  gboolean       (*set_password) (SdStore            *self,
                                  const char         *user_id,
                                  const char         *login,
                                  const char         *password_hash,
                                  GError            **error);
  gboolean       (*get_password) (SdStore            *self,
                                  const char         *login,
                                  char              **user_id,
                                  char              **password_hash,
                                  GError            **error);
  gboolean       (*add_token)    (SdStore            *self,
                                  const char         *token_hash,
                                  const char         *user_id,
                                  gint64              expires_at,
                                  GError            **error);
  char          *(*find_token)   (SdStore            *self,
                                  const char         *token_hash,
                                  gint64              now,
                                  GError            **error);
  gboolean       (*remove_token) (SdStore            *self,
                                  const char         *token_hash,
                                  GError            **error);

  /* Optional: the audit log. Every write (put, remove, set_password)
   * appends a row in its own transaction, hash-chained to the one
   * before; @audit returns rows as JSON objects (JsonNode *). */
  void           (*set_actor)    (SdStore            *self,
                                  const SdStoreActor *actor);
  GPtrArray     *(*audit)        (SdStore            *self,
                                  const SdStoreAuditQuery *query,
                                  GError            **error);

  /* Optional: a new store on the same data that only reads, for use by
   * one other thread at a time beside the writer. NULL (no error) when
   * there is none, e.g. for a database in memory. */
  SdStore       *(*open_reader)  (SdStore            *self,
                                  GError            **error);

  /* Optional: sign-in attempts kept in the database, shared by every
   * server on it (as SdThrottle keeps them in one server's memory).
   * Counts an attempt for @key at @now: 0 when it may go on, the seconds
   * to wait once @max_attempts were made within @window seconds, or -1
   * with @error. */
  gint64         (*count_attempt)   (SdStore         *self,
                                     const char      *key,
                                     gint64           now,
                                     guint            max_attempts,
                                     gint64           window,
                                     GError         **error);
  gboolean       (*forget_attempts) (SdStore         *self,
                                     const char      *key,
                                     GError         **error);

  /* Optional: a second connection that writes, for one other thread
   * (a bulk write off the main loop). Its transactions wait for the
   * other writers' and make them wait. NULL (no error) when there is
   * none, e.g. for a database in memory. */
  SdStore       *(*open_writer)     (SdStore         *self,
                                     GError         **error);

  /* Gives every live entity of @customer_id (the customer itself
   * included) the next positions of the sequence, oldest first, without
   * a new version: users who just gained sight of the customer receive
   * its whole subtree in their change feed. Returns the number of
   * entities, or -1 with @error. */
  gint64         (*restamp)         (SdStore         *self,
                                     const char      *customer_id,
                                     GError         **error);
  /* Optional: the delivery queue. @enqueue adds a pending delivery (its
   * id, channel, target, payload, created_at and next_attempt); the same
   * id twice is one delivery. @claim takes up to @limit pending
   * deliveries due at @now, counting an attempt and moving their
   * next_attempt to @now + @lease (so that a delivery in flight when the
   * server dies is due again after the lease, with the same id), and
   * sets *next_due to the earliest next_attempt still pending after that
   * (0: none). @finish records the outcome of an attempt: "delivered",
   * "pending" again at @next_attempt, or "failed". @deliveries lists the
   * queue after @after_seq, oldest first. */
  gboolean       (*enqueue_delivery) (SdStore          *self,
                                      const SdDelivery *delivery,
                                      GError          **error);
  GPtrArray     *(*claim_deliveries) (SdStore          *self,
                                      gint64            now,
                                      gint64            lease,
                                      guint             limit,
                                      gint64           *next_due,
                                      GError          **error);
  gboolean       (*finish_delivery)  (SdStore          *self,
                                      const char       *id,
                                      const char       *state,
                                      gint64            when,
                                      const char       *last_error,
                                      GError          **error);
  GPtrArray     *(*deliveries)       (SdStore          *self,
                                      gint64            after_seq,
                                      guint             limit,
                                      GError          **error);
};

gboolean       sd_store_begin        (SdStore            *self,
                                      GError            **error);
gboolean       sd_store_commit       (SdStore            *self,
                                      GError            **error);
void           sd_store_rollback     (SdStore            *self);
SdStoreRecord *sd_store_put          (SdStore            *self,
                                      const char         *kind,
                                      const char         *id,
                                      const char         *customer_id,
                                      const char         *parent_id,
                                      gint64              expected_version,
                                      const char         *idempotency,
                                      SdStoreRenderFunc   render,
                                      gpointer            user_data,
                                      SdStoreRecord     **current,
                                      GError            **error);
gboolean       sd_store_remove       (SdStore            *self,
                                      const char         *kind,
                                      const char         *id,
                                      GError            **error);
SdStoreRecord *sd_store_get          (SdStore            *self,
                                      const char         *kind,
                                      const char         *id,
                                      GError            **error);
GPtrArray     *sd_store_list         (SdStore            *self,
                                      const char         *kind,
                                      const SdStoreQuery *query,
                                      GError            **error);
GPtrArray     *sd_store_changes      (SdStore            *self,
                                      gint64              after,
                                      guint               limit,
                                      const char * const *customer_ids,
                                      gboolean           *has_more,
                                      gint64             *last_seq,
                                      GError            **error);
SdStore       *sd_store_open_writer  (SdStore            *self,
                                      GError            **error);
gint64         sd_store_restamp      (SdStore            *self,
                                      const char         *customer_id,
                                      GError            **error);
gint64         sd_store_next_counter (SdStore            *self,
                                      const char         *name,
                                      GError            **error);
gboolean       sd_store_set_password (SdStore            *self,
                                      const char         *user_id,
                                      const char         *login,
                                      const char         *password_hash,
                                      GError            **error);
gboolean       sd_store_get_password (SdStore            *self,
                                      const char         *login,
                                      char              **user_id,
                                      char              **password_hash,
                                      GError            **error);
gboolean       sd_store_add_token    (SdStore            *self,
                                      const char         *token_hash,
                                      const char         *user_id,
                                      gint64              expires_at,
                                      GError            **error);
char          *sd_store_find_token   (SdStore            *self,
                                      const char         *token_hash,
                                      gint64              now,
                                      GError            **error);
gboolean       sd_store_remove_token (SdStore            *self,
                                      const char         *token_hash,
                                      GError            **error);
SdStore       *sd_store_open_reader  (SdStore            *self,
                                      GError            **error);
/* Whether the store keeps sign-in attempts (count_attempt). */
gboolean       sd_store_keeps_attempts (SdStore          *self);
gint64         sd_store_count_attempt  (SdStore          *self,
                                        const char       *key,
                                        gint64            now,
                                        guint             max_attempts,
                                        gint64            window,
                                        GError          **error);
gboolean       sd_store_forget_attempts (SdStore         *self,
                                         const char      *key,
                                         GError         **error);
void           sd_store_set_actor    (SdStore            *self,
                                      const SdStoreActor *actor);
/* The delivery queue (see the interface); FALSE/NULL with an error on a
 * store without one. */
gboolean       sd_store_enqueue_delivery (SdStore          *self,
                                          const SdDelivery *delivery,
                                          GError          **error);
GPtrArray     *sd_store_claim_deliveries (SdStore          *self,
                                          gint64            now,
                                          gint64            lease,
                                          guint             limit,
                                          gint64           *next_due,
                                          GError          **error);
/* @when: delivered_at for "delivered", next_attempt for "pending". */
gboolean       sd_store_finish_delivery  (SdStore          *self,
                                          const char       *id,
                                          const char       *state,
                                          gint64            when,
                                          const char       *last_error,
                                          GError          **error);
GPtrArray     *sd_store_deliveries       (SdStore          *self,
                                          gint64            after_seq,
                                          guint             limit,
                                          GError          **error);
GPtrArray     *sd_store_audit        (SdStore            *self,
                                      const SdStoreAuditQuery *query,
                                      GError            **error);

/* The rules every store applies to a put (for implementations): checks
 * @expected_version against @existing (NULL: none), failing with EXISTS,
 * NOT_FOUND or CONFLICT (then *current, when asked for, takes
 * *existing); otherwise sets *version and *now for the write. */
gboolean       sd_store_check_put    (const char         *kind,
                                      const char         *id,
                                      SdStoreRecord     **existing,
                                      gint64              expected_version,
                                      SdStoreRecord     **current,
                                      gint64             *version,
                                      gint64             *now,
                                      GError            **error);
/* Splits an idempotency argument of put into the key and the digest
 * (borrowed from @idempotency, NULL when there is none). */
char          *sd_store_split_idempotency (const char    *idempotency,
                                           const char   **digest);
/* The record a put wrote, from its arguments; takes @body. */
SdStoreRecord *sd_store_record_new   (const char         *kind,
                                      const char         *id,
                                      const char         *customer_id,
                                      const char         *parent_id,
                                      gint64              version,
                                      gint64              seq,
                                      gint64              updated_at,
                                      char               *body);

G_END_DECLS
