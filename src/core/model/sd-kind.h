/* sd-kind.h — the kinds of entity: one registry for server, client and reports
 *
 * Every entity travels as JSON under a wire name ("case", "health_check")
 * and is decoded by its codec. A kind says what the rest of the code needs
 * to know about it without knowing its type: how to decode it, where its
 * id, customer, parent and modification time are, which members only the
 * server writes, and which members a patch may carry without changing it.
 * The server's routes, the local store, the sync engine, the reports and
 * the board all read this table; there is no other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _SdKind SdKind;

struct _SdKind
{
  /* The wire name, as in a change feed's "kind". */
  const char         *name;
  /* The collection under /api/v1 that clients create in and patch
   * ("/cases"), or NULL when clients cannot write this kind. */
  const char         *collection;
  /* The codec: a new object, or NULL and @error naming the member (under
   * @path, or the kind's name when @path is NULL). */
  GObject          *(*decode)          (JsonNode    *node,
                                        const char  *path,
                                        GError     **error);
  const char       *(*get_id)          (gpointer     object);
  /* The customer whose data it is; NULL for shared data (users,
   * calendars, policies, templates). */
  const char       *(*get_customer_id) (gpointer     object);
  /* The entity it belongs to (an event's case); NULL when none. */
  const char       *(*get_parent_id)   (gpointer     object);
  /* When it last changed; NULL for kinds that do not say. */
  gint64            (*get_updated_at)  (gpointer     object);
  /* Members that only the server writes: dropped from a client's new
   * entity. */
  const char * const *read_only;
  /* Members a patch may carry that are not stored in the entity (the read
   * only ones, and e.g. a case's "reason", which goes to the timeline). */
  const char * const *patch_ignored;
};

/* The kind called @name, or NULL when there is none. */
const SdKind  *sd_kind_lookup      (const char    *name);
/* Every kind, NULL-terminated, in dependency order (a kind comes after
 * the kinds it refers to). */
const SdKind * const *sd_kind_list (void);

/* The objects that decode among @bodies (JsonNode), in order. Bodies that
 * do not decode are left out (a store keeps only what decodes, so this is
 * a defence, not a filter). */
GPtrArray     *sd_kind_decode_all  (const SdKind  *kind,
                                    GPtrArray     *bodies);

G_END_DECLS
