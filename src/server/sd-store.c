/* sd-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sd-store.h"

G_DEFINE_QUARK (sd-store-error-quark, sd_store_error)
G_DEFINE_INTERFACE (SdStore, sd_store, G_TYPE_OBJECT)

static void
sd_store_default_init (SdStoreInterface *iface)
{
}

void
sd_store_record_free (SdStoreRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->kind);
  g_free (record->id);
  g_free (record->customer_id);
  g_free (record->parent_id);
  g_free (record->body);
  g_free (record);
}

SdStoreRecord *
sd_store_put (SdStore            *self,
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
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return SD_STORE_GET_IFACE (self)->put (self, kind, id, customer_id, parent_id, expected_version,
                                         idempotency, render, user_data, current, error);
}

gboolean
sd_store_begin (SdStore  *self,
                GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->begin (self, error);
}

gboolean
sd_store_commit (SdStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->commit (self, error);
}

void
sd_store_rollback (SdStore *self)
{
  g_return_if_fail (SD_IS_STORE (self));
  SD_STORE_GET_IFACE (self)->rollback (self);
}

gboolean
sd_store_remove (SdStore     *self,
                 const char  *kind,
                 const char  *id,
                 GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->remove (self, kind, id, error);
}

SdStoreRecord *
sd_store_get (SdStore     *self,
              const char  *kind,
              const char  *id,
              GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return SD_STORE_GET_IFACE (self)->get (self, kind, id, error);
}

GPtrArray *
sd_store_list (SdStore            *self,
               const char         *kind,
               const SdStoreQuery *query,
               GError            **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return SD_STORE_GET_IFACE (self)->list (self, kind, query, error);
}

GPtrArray *
sd_store_changes (SdStore            *self,
                  gint64              after,
                  guint               limit,
                  const char * const *customer_ids,
                  gboolean           *has_more,
                  gint64             *last_seq,
                  GError            **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return SD_STORE_GET_IFACE (self)->changes (self, after, limit, customer_ids,
                                             has_more, last_seq, error);
}

SdStore *
sd_store_open_writer (SdStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  if (SD_STORE_GET_IFACE (self)->open_writer == NULL)
    return NULL;
  return SD_STORE_GET_IFACE (self)->open_writer (self, error);
}

gint64
sd_store_restamp (SdStore     *self,
                  const char  *customer_id,
                  GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), -1);
  g_return_val_if_fail (customer_id != NULL, -1);
  return SD_STORE_GET_IFACE (self)->restamp (self, customer_id, error);
}

gint64
sd_store_next_counter (SdStore     *self,
                       const char  *name,
                       GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), -1);
  return SD_STORE_GET_IFACE (self)->next_counter (self, name, error);
}

gboolean
sd_store_set_password (SdStore     *self,
                       const char  *user_id,
                       const char  *login,
                       const char  *password_hash,
                       GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->set_password (self, user_id, login, password_hash, error);
}

gboolean
sd_store_get_password (SdStore     *self,
                       const char  *login,
                       char       **user_id,
                       char       **password_hash,
                       GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->get_password (self, login, user_id, password_hash, error);
}

gboolean
sd_store_add_token (SdStore     *self,
                    const char  *token_hash,
                    const char  *user_id,
                    gint64       expires_at,
                    GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->add_token (self, token_hash, user_id, expires_at, error);
}

char *
sd_store_find_token (SdStore     *self,
                     const char  *token_hash,
                     gint64       now,
                     GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  return SD_STORE_GET_IFACE (self)->find_token (self, token_hash, now, error);
}

gboolean
sd_store_remove_token (SdStore     *self,
                       const char  *token_hash,
                       GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->remove_token (self, token_hash, error);
}

SdStore *
sd_store_open_reader (SdStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  if (SD_STORE_GET_IFACE (self)->open_reader == NULL)
    return NULL;
  return SD_STORE_GET_IFACE (self)->open_reader (self, error);
}

gboolean
sd_store_keeps_attempts (SdStore *self)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return SD_STORE_GET_IFACE (self)->count_attempt != NULL;
}

gint64
sd_store_count_attempt (SdStore     *self,
                        const char  *key,
                        gint64       now,
                        guint        max_attempts,
                        gint64       window,
                        GError     **error)
{
  g_return_val_if_fail (sd_store_keeps_attempts (self), -1);
  return SD_STORE_GET_IFACE (self)->count_attempt (self, key, now, max_attempts, window, error);
}

gboolean
sd_store_forget_attempts (SdStore     *self,
                          const char  *key,
                          GError     **error)
{
  g_return_val_if_fail (sd_store_keeps_attempts (self), FALSE);
  return SD_STORE_GET_IFACE (self)->forget_attempts (self, key, error);
}

void
sd_store_set_actor (SdStore            *self,
                    const SdStoreActor *actor)
{
  g_return_if_fail (SD_IS_STORE (self));
  if (SD_STORE_GET_IFACE (self)->set_actor != NULL)
    SD_STORE_GET_IFACE (self)->set_actor (self, actor);
}

GPtrArray *
sd_store_audit (SdStore                 *self,
                const SdStoreAuditQuery *query,
                GError                 **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  if (SD_STORE_GET_IFACE (self)->audit == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "this store keeps no audit log");
      return NULL;
    }
  return SD_STORE_GET_IFACE (self)->audit (self, query, error);
}

gboolean
sd_store_check_put (const char      *kind,
                    const char      *id,
                    SdStoreRecord  **existing,
                    gint64           expected_version,
                    SdStoreRecord  **current,
                    gint64          *version,
                    gint64          *now,
                    GError         **error)
{
  SdStoreRecord *prior = *existing;

  /* Ids are unique for ever: a tombstone keeps its id. */
  if (expected_version == 0 && prior != NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   "%s %s exists already", kind, id);
      return FALSE;
    }
  if (expected_version > 0 && (prior == NULL || prior->deleted))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                   "no %s %s", kind, id);
      return FALSE;
    }
  if (expected_version > 0 && prior->version != expected_version)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CONFLICT,
                   "%s %s is at version %" G_GINT64_FORMAT ", not %" G_GINT64_FORMAT,
                   kind, id, prior->version, expected_version);
      if (current != NULL)
        *current = g_steal_pointer (existing);
      return FALSE;
    }

  *version = (prior ? prior->version : 0) + 1;
  *now = g_get_real_time () / G_USEC_PER_SEC;
  if (prior != NULL && *now < prior->updated_at)
    *now = prior->updated_at;
  return TRUE;
}

char *
sd_store_split_idempotency (const char  *idempotency,
                            const char **digest)
{
  const char *separator = strstr (idempotency, SD_STORE_DIGEST_SEPARATOR);

  *digest = separator ? separator + strlen (SD_STORE_DIGEST_SEPARATOR) : NULL;
  return separator ? g_strndup (idempotency, separator - idempotency) : g_strdup (idempotency);
}

SdStoreRecord *
sd_store_record_new (const char *kind,
                     const char *id,
                     const char *customer_id,
                     const char *parent_id,
                     gint64      version,
                     gint64      seq,
                     gint64      updated_at,
                     char       *body)
{
  SdStoreRecord *record = g_new0 (SdStoreRecord, 1);

  record->kind = g_strdup (kind);
  record->id = g_strdup (id);
  record->customer_id = g_strdup (customer_id);
  record->parent_id = g_strdup (parent_id);
  record->version = version;
  record->seq = seq;
  record->updated_at = updated_at;
  record->body = body;
  return record;
}

void
sd_delivery_free (SdDelivery *delivery)
{
  if (delivery == NULL)
    return;
  g_free (delivery->id);
  g_free (delivery->channel);
  g_free (delivery->target);
  g_free (delivery->payload);
  g_free (delivery->state);
  g_free (delivery->last_error);
  g_free (delivery);
}

static gboolean
keeps_deliveries (SdStore  *self,
                  GError  **error)
{
  if (SD_STORE_GET_IFACE (self)->enqueue_delivery != NULL)
    return TRUE;
  g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "this store has no delivery queue");
  return FALSE;
}

gboolean
sd_store_enqueue_delivery (SdStore          *self,
                           const SdDelivery *delivery,
                           GError          **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return keeps_deliveries (self, error)
         && SD_STORE_GET_IFACE (self)->enqueue_delivery (self, delivery, error);
}

GPtrArray *
sd_store_claim_deliveries (SdStore  *self,
                           gint64    now,
                           gint64    lease,
                           guint     limit,
                           gint64   *next_due,
                           GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  if (!keeps_deliveries (self, error))
    return NULL;
  return SD_STORE_GET_IFACE (self)->claim_deliveries (self, now, lease, limit, next_due, error);
}

gboolean
sd_store_finish_delivery (SdStore     *self,
                          const char  *id,
                          const char  *state,
                          gint64       when,
                          const char  *last_error,
                          GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), FALSE);
  return keeps_deliveries (self, error)
         && SD_STORE_GET_IFACE (self)->finish_delivery (self, id, state, when, last_error, error);
}

GPtrArray *
sd_store_deliveries (SdStore  *self,
                     gint64    after_seq,
                     guint     limit,
                     GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (self), NULL);
  if (!keeps_deliveries (self, error))
    return NULL;
  return SD_STORE_GET_IFACE (self)->deliveries (self, after_seq, limit, error);
}
