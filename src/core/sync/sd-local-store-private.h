/* sd-local-store-private.h — what the parts of SdLocalStore share
 *
 * sd-local-store.c opens the file, reads the local view and runs work in
 * threads; sd-local-store-overlay.c keeps the mirror of the server and
 * rebuilds the local view (mirror + pending edits);
 * sd-local-store-outbox.c queues, sends and settles the edits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-local-store.h"
#include "sd-sqlite.h"

G_BEGIN_DECLS

struct _SdLocalStore
{
  GObject       parent_instance;

  GMutex        lock;
  SdSqlite     *db;            /* guarded by lock */
  GMainContext *context;       /* owned; where "changed" is emitted */
  gint          changed_queued;
};

/* What the local view indexes an entity by. */
typedef struct {
  char   *id;
  char   *customer_id;
  char   *parent_id;
  gint64  updated_at;    /* SD_TIME_NONE when unknown */
} EntityMeta;

static inline void
entity_meta_clear (EntityMeta *meta)
{
  g_clear_pointer (&meta->id, g_free);
  g_clear_pointer (&meta->customer_id, g_free);
  g_clear_pointer (&meta->parent_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (EntityMeta, entity_meta_clear)

/* Queues one "changed" emission on the store's main context. */
void       _sd_local_store_queue_changed        (SdLocalStore  *self);
/* Decodes @node with the codec of @kind and fills @meta. @path names the
 * document in messages ("changes[3].entity"); NULL for the entity name. */
gboolean   _sd_local_store_decode_entity        (const char    *kind,
                                                 JsonNode      *node,
                                                 const char    *path,
                                                 EntityMeta    *meta,
                                                 GError       **error);
gint64     _sd_local_store_entity_version       (JsonNode      *node);
/* RFC 7396: a new tree (sharing unchanged subtrees); members in @ignored
 * keep @target's value. */
JsonNode  *_sd_local_store_merge_patch          (JsonNode      *target,
                                                 JsonNode      *patch,
                                                 const char * const *ignored);
/* The body in the local view (with pending edits), or NULL. */
JsonNode  *_sd_local_store_get_view             (SdLocalStore  *self,
                                                 const char    *kind,
                                                 const char    *id,
                                                 GError       **error);
/* Recomputes the local view of one entity: the mirror with its outbox ops
 * applied in order. With @strict a result that does not decode is an
 * error; otherwise the previous view stays. */
gboolean   _sd_local_store_rebuild_view         (SdLocalStore  *self,
                                                 const char    *kind,
                                                 const char    *id,
                                                 gboolean       strict,
                                                 GError       **error);
/* Mirrors an entity the server returned for a write, unless it is older
 * than what is mirrored already. */
gboolean   _sd_local_store_mirror_server_entity (SdLocalStore  *self,
                                                 const char    *kind,
                                                 JsonNode      *entity,
                                                 GError       **error);

G_END_DECLS
