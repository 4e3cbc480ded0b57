/* sd-deliverer.h — sends the store's delivery queue: mail and signed webhooks
 *
 * A delivery is written to the store's queue first (sd_deliverer_enqueue),
 * in the same transaction as what caused it when there is one, and sent
 * after: at least once, always with the same delivery id, until the
 * receiver accepts it. A failed attempt is retried with exponential
 * backoff (SD_DELIVERY_BACKOFF × 2^(attempt−1), at most
 * SD_DELIVERY_MAX_BACKOFF, plus up to 10 % jitter), and given up
 * ("failed") after SD_DELIVERY_MAX_ATTEMPTS. An attempt in flight when the
 * server dies is due again after SD_DELIVERY_LEASE.
 *
 * Webhooks are POSTed JSON with
 *   X-SupportDesk-Delivery: <delivery id>
 *   X-SupportDesk-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the webhook's secret>
 * and count as accepted on any 2xx. Mail goes through the server's
 * SdMailer with Message-ID <delivery id@sender's domain> and the same
 * X-SupportDesk-Delivery header.
 *
 * One timer, set to the earliest due time in the queue; the queue is read
 * when it fires, after an enqueue, after each attempt and when the test
 * clock moves (sd_deliverer_kick). Runs on the main loop; sending does not
 * block it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-mailer.h"
#include "sd-store.h"

G_BEGIN_DECLS

#define SD_DELIVERY_LEASE        300      /* seconds */
#define SD_DELIVERY_BACKOFF      30       /* seconds, after the first failure */
#define SD_DELIVERY_MAX_BACKOFF  3600
#define SD_DELIVERY_MAX_ATTEMPTS 12
#define SD_DELIVERY_IN_FLIGHT    8        /* attempts at once */

#define SD_TYPE_DELIVERER (sd_deliverer_get_type ())

G_DECLARE_FINAL_TYPE (SdDeliverer, sd_deliverer, SD, DELIVERER, GObject)

SdDeliverer *sd_deliverer_new          (SdStore      *store);
void         sd_deliverer_set_mailer   (SdDeliverer  *self,
                                        SdMailer     *mailer);
SdMailer    *sd_deliverer_get_mailer   (SdDeliverer  *self);
/* A webhook every notification goes to, and the secret it is signed with. */
void         sd_deliverer_add_webhook  (SdDeliverer  *self,
                                        const char   *url,
                                        const char   *secret);
/* The configured webhook URLs (borrowed, NULL-terminated). */
const char * const *sd_deliverer_get_webhooks (SdDeliverer *self);
/* Queues a delivery. @id: NULL for a new random one; the same id twice
 * is one delivery. @payload for "email" is {"subject": …, "text": …}; for
 * "webhook" the JSON object posted. Sets *out_id when asked. */
gboolean     sd_deliverer_enqueue      (SdDeliverer  *self,
                                        const char   *channel,
                                        const char   *target,
                                        const char   *payload,
                                        const char   *id,
                                        char        **out_id,
                                        GError      **error);
/* Reads the queue soon, on the main loop. */
void         sd_deliverer_kick         (SdDeliverer  *self);
/* @signature: "sha256=<hex>" of @body with @secret. */
char        *sd_deliverer_sign         (const char   *secret,
                                        const char   *body,
                                        gsize         length);

G_END_DECLS
