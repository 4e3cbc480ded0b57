/* sd-local-store.h — the client's SQLite cache: mirrored entities, the
 * change-feed cursor and the outbox of local edits
 *
 * Tables (schema version 1, PRAGMA user_version):
 *
 *   mirror  (kind, id, version, body, customer_id, parent_id, updated_at)
 *           the server's state, bodies exactly as the change feed (or a
 *           write's response) delivered them;
 *   outbox  (seq, op, kind, entity_id, payload, base_version,
 *           idempotency_key, attempts, last_error, state, server_body,
 *           created_at) — local mutations in the order they were made;
 *   local   (kind, id, body, customer_id, parent_id, updated_at)
 *           the overlay: for every entity with an op in the outbox, the
 *           mirrored body with those ops applied in order (a create or an
 *           appended event replaces, an update is a JSON merge patch);
 *   sync_state (key, value) — the change-feed cursor.
 *
 * The local view, what sd_local_store_get() and sd_local_store_list()
 * return, is the overlay where there is one and the mirror elsewhere. The
 * overlay is rebuilt whenever the mirror or the entity's ops change, so a
 * pulled change to another field shows at once while the local edit keeps
 * showing; it disappears when the entity's last op is completed or
 * dropped.
 *
 * Every call may be made from any thread: one connection, one lock. The
 * _async variants run in a worker thread; "changed" is emitted on the
 * main context that was the thread default when the store was opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SD_LOCAL_STORE_ERROR (sd_local_store_error_quark ())

typedef enum {
  SD_LOCAL_STORE_ERROR_FAILED,     /* SQLite could not do it (disk full, I/O) */
  SD_LOCAL_STORE_ERROR_SCHEMA,     /* the file was written by a newer version */
  SD_LOCAL_STORE_ERROR_INVALID,    /* a malformed page or outbox op */
  SD_LOCAL_STORE_ERROR_NOT_FOUND,  /* no such entity or outbox op */
  SD_LOCAL_STORE_ERROR_EXISTS,     /* a create for an entity that is there */
} SdLocalStoreError;

GQuark sd_local_store_error_quark (void);

typedef enum {
  SD_OUTBOX_OP_CREATE,        /* payload: the whole new entity */
  SD_OUTBOX_OP_UPDATE,        /* payload: a JSON merge patch */
  SD_OUTBOX_OP_APPEND_EVENT,  /* kind "case_event"; payload: the event */
} SdOutboxOp;

typedef enum {
  SD_OUTBOX_STATE_PENDING,
  SD_OUTBOX_STATE_NEEDS_ATTENTION,  /* refused for good; the user decides */
  SD_OUTBOX_STATE_CONFLICT,         /* 412: both versions kept */
} SdOutboxState;

typedef enum {
  SD_CONFLICT_KEEP_MINE,    /* rebase the op on the server's version, push again */
  SD_CONFLICT_TAKE_THEIRS,  /* drop the op; the view shows the server's entity */
} SdConflictResolution;

const char *sd_outbox_op_to_string    (SdOutboxOp     op);
const char *sd_outbox_state_to_string (SdOutboxState  state);

typedef struct {
  gint64         seq;
  SdOutboxOp     op;
  char          *kind;
  char          *id;
  JsonNode      *payload;
  gint64         base_version;
  char          *idempotency_key;
  guint          attempts;
  char          *last_error;       /* nullable */
  SdOutboxState  state;
  JsonNode      *server_entity;    /* conflicts only: the server's current entity */
  gint64         created_at;       /* Unix seconds */
} SdOutboxEntry;

#define SD_TYPE_OUTBOX_ENTRY (sd_outbox_entry_get_type ())
GType          sd_outbox_entry_get_type (void) G_GNUC_CONST;
SdOutboxEntry *sd_outbox_entry_copy     (const SdOutboxEntry *entry);
void           sd_outbox_entry_free     (SdOutboxEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdOutboxEntry, sd_outbox_entry_free)

#define SD_TYPE_LOCAL_STORE (sd_local_store_get_type ())

G_DECLARE_FINAL_TYPE (SdLocalStore, sd_local_store, SD, LOCAL_STORE, GObject)

/* Opens (creating it and its parent directory if needed) and migrates the
 * database at @path. Blocking: call it before the window shows, or from a
 * thread. */
SdLocalStore  *sd_local_store_open                (const char            *path,
                                                   GError               **error);
const char    *sd_local_store_get_path            (SdLocalStore          *self);
int            sd_local_store_get_schema_version  (SdLocalStore          *self);

/* Applies one change-feed page ({changes, next, has_more}) and stores its
 * "next" as the cursor, in one transaction. Each entity is decoded by its
 * codec first; one that does not decode refuses the whole page with an
 * error naming the change's kind, id and field, and nothing is changed.
 * An entity older than the mirrored one is ignored, so applying a page
 * again changes nothing. */
gboolean       sd_local_store_apply_changes       (SdLocalStore          *self,
                                                   JsonNode              *page,
                                                   GError               **error);
/* The "next" of the last applied page; 0 before the first. -1 on error. */
gint64         sd_local_store_get_cursor          (SdLocalStore          *self,
                                                   GError               **error);
/* For a resync (the server's 409): forgets the mirror and the cursor,
 * keeps the outbox and the local edits. */
gboolean       sd_local_store_reset_mirror        (SdLocalStore          *self,
                                                   GError               **error);

/* Records a local mutation and applies it to the local view in one
 * transaction, so that once this returns the edit survives a crash.
 * @payload is validated: a create or an event must decode with the kind's
 * codec and carry @id; an update must leave a valid entity. Returns the
 * op's sequence number (> 0), or 0 on error. */
gint64         sd_local_store_enqueue             (SdLocalStore          *self,
                                                   SdOutboxOp             op,
                                                   const char            *kind,
                                                   const char            *id,
                                                   JsonNode              *payload,
                                                   gint64                 base_version,
                                                   GError               **error);
/* The oldest pending op whose entity has no earlier op waiting for the
 * user, or NULL (with no error) when there is nothing to push. */
SdOutboxEntry *sd_local_store_peek                (SdLocalStore          *self,
                                                   GError               **error);
/* The server accepted op @seq: removes it and mirrors @entity, the
 * server's response (NULL when it returned none). Later updates of the
 * same entity are rebased on the new version. */
gboolean       sd_local_store_complete            (SdLocalStore          *self,
                                                   gint64                 seq,
                                                   JsonNode              *entity,
                                                   GError               **error);
/* Counts an attempt and keeps @message; @permanent moves the op to
 * "needs attention" (it is no longer peeked). */
gboolean       sd_local_store_fail                (SdLocalStore          *self,
                                                   gint64                 seq,
                                                   const char            *message,
                                                   gboolean               permanent,
                                                   GError               **error);
/* A 412: keeps the op and @server_entity side by side (and mirrors it). */
gboolean       sd_local_store_mark_conflict       (SdLocalStore          *self,
                                                   gint64                 seq,
                                                   JsonNode              *server_entity,
                                                   GError               **error);
gboolean       sd_local_store_resolve_conflict    (SdLocalStore          *self,
                                                   gint64                 seq,
                                                   SdConflictResolution   resolution,
                                                   GError               **error);
/* A "needs attention" op back to pending, or dropped altogether. */
gboolean       sd_local_store_retry               (SdLocalStore          *self,
                                                   gint64                 seq,
                                                   GError               **error);
gboolean       sd_local_store_discard             (SdLocalStore          *self,
                                                   gint64                 seq,
                                                   GError               **error);
/* Outbox entries in @state, oldest first. */
GPtrArray     *sd_local_store_list_outbox         (SdLocalStore          *self,
                                                   SdOutboxState          state,
                                                   GError               **error);
GPtrArray     *sd_local_store_list_conflicts      (SdLocalStore          *self,
                                                   GError               **error);
gboolean       sd_local_store_get_counts          (SdLocalStore          *self,
                                                   guint                 *pending,
                                                   guint                 *conflicts,
                                                   guint                 *needs_attention,
                                                   GError               **error);

/* The local view. get() returns NULL with no error when there is no such
 * entity. The lists hold JsonNode bodies, ordered by id; @customer_id
 * NULL lists every customer's. */
JsonNode      *sd_local_store_get                 (SdLocalStore          *self,
                                                   const char            *kind,
                                                   const char            *id,
                                                   GError               **error);
GPtrArray     *sd_local_store_list                (SdLocalStore          *self,
                                                   const char            *kind,
                                                   const char            *customer_id,
                                                   GError               **error);
/* Calls @func with each body of the local view of @kind, in id order,
 * one parsed at a time (the body is freed when @func returns): a big
 * local copy is read without holding it all in memory. Holds the store's
 * lock meanwhile: @func must not call the store. */
typedef void (*SdLocalStoreFunc) (JsonNode *body,
                                  gpointer  user_data);
gboolean       sd_local_store_foreach             (SdLocalStore          *self,
                                                   const char            *kind,
                                                   const char            *customer_id,
                                                   SdLocalStoreFunc       func,
                                                   gpointer               user_data,
                                                   GError               **error);
/* The events of case @case_id, in id order. */
GPtrArray     *sd_local_store_list_events         (SdLocalStore          *self,
                                                   const char            *case_id,
                                                   GError               **error);
GPtrArray     *sd_local_store_list_cases_for_board (SdLocalStore         *self,
                                                   GError               **error);

/* The same in a worker thread. @page and @payload are referenced: do not
 * modify them until @callback runs. */
void           sd_local_store_apply_changes_async (SdLocalStore          *self,
                                                   JsonNode              *page,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean       sd_local_store_apply_changes_finish (SdLocalStore         *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);
void           sd_local_store_enqueue_async       (SdLocalStore          *self,
                                                   SdOutboxOp             op,
                                                   const char            *kind,
                                                   const char            *id,
                                                   JsonNode              *payload,
                                                   gint64                 base_version,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gint64         sd_local_store_enqueue_finish      (SdLocalStore          *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);
void           sd_local_store_list_async          (SdLocalStore          *self,
                                                   const char            *kind,
                                                   const char            *customer_id,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
GPtrArray     *sd_local_store_list_finish         (SdLocalStore          *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);

G_END_DECLS
