/* sd-deliverer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "sd-clock.h"
#include "sd-deliverer.h"

#define WEBHOOK_TIMEOUT 30  /* seconds */

struct _SdDeliverer
{
  GObject      parent_instance;

  SdStore     *store;      /* owned */
  SdMailer    *mailer;     /* owned, nullable */
  SoupSession *session;    /* owned */
  GHashTable  *secrets;    /* webhook URL → secret */
  GPtrArray   *webhooks;   /* char *, NULL-terminated */
  guint        timer;      /* the one timer: the earliest due time */
  guint        idle;       /* a read of the queue soon */
  guint        in_flight;
};

G_DEFINE_FINAL_TYPE (SdDeliverer, sd_deliverer, G_TYPE_OBJECT)

typedef struct {
  SdDeliverer *deliverer;  /* owned */
  SdDelivery  *delivery;   /* owned */
} Attempt;

static void read_queue (SdDeliverer *self);

static void
attempt_free (Attempt *attempt)
{
  g_object_unref (attempt->deliverer);
  sd_delivery_free (attempt->delivery);
  g_free (attempt);
}

/* Records the outcome of an attempt, then looks at the queue again. */
static void
attempt_done (Attempt    *attempt,
              const char *failure)
{
  SdDeliverer *self = attempt->deliverer;
  SdDelivery *delivery = attempt->delivery;
  g_autoptr(GError) error = NULL;
  gint64 now = sd_server_now ();
  const char *state = "delivered";
  gint64 when = now;

  if (failure != NULL)
    {
      gint64 backoff = SD_DELIVERY_BACKOFF;

      for (int i = 1; i < delivery->attempts && backoff < SD_DELIVERY_MAX_BACKOFF; i++)
        backoff *= 2;
      backoff = MIN (backoff, SD_DELIVERY_MAX_BACKOFF);
      state = delivery->attempts >= SD_DELIVERY_MAX_ATTEMPTS ? "failed" : "pending";
      when = now + backoff + g_random_int_range (0, backoff / 10 + 1);
      g_message ("delivery %s to %s, attempt %d: %s", delivery->id, delivery->target,
                 delivery->attempts, failure);
    }
  if (!sd_store_finish_delivery (self->store, delivery->id, state, when, failure, &error))
    g_warning ("delivery %s: %s", delivery->id, error->message);
  self->in_flight--;
  sd_deliverer_kick (self);
  attempt_free (attempt);
}

static void
webhook_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Attempt *attempt = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *failure = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    failure = g_strdup (error->message);
  else if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    failure = g_strdup_printf ("HTTP %u", soup_message_get_status (msg));
  attempt_done (attempt, failure);
}

static void
send_webhook (Attempt *attempt)
{
  SdDeliverer *self = attempt->deliverer;
  SdDelivery *delivery = attempt->delivery;
  const char *secret = g_hash_table_lookup (self->secrets, delivery->target);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *signature = NULL;

  if (secret == NULL)
    {
      attempt_done (attempt, "no secret is configured for this webhook");
      return;
    }
  if (!(msg = soup_message_new ("POST", delivery->target)))
    {
      attempt_done (attempt, "the webhook URL is not valid");
      return;
    }
  signature = sd_deliverer_sign (secret, delivery->payload, strlen (delivery->payload));
  body = g_bytes_new (delivery->payload, strlen (delivery->payload));
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-SupportDesk-Delivery", delivery->id);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-SupportDesk-Signature", signature);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, NULL, webhook_sent_cb, attempt);
}

static void
mail_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  sd_mailer_send_finish (SD_MAILER (source), result, &error);
  attempt_done (user_data, error ? error->message : NULL);
}

static void
send_mail (Attempt *attempt)
{
  SdDeliverer *self = attempt->deliverer;
  SdDelivery *delivery = attempt->delivery;
  g_autoptr(JsonNode) payload = json_from_string (delivery->payload, NULL);
  JsonObject *object = payload && JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;
  g_autofree char *message_id = NULL;
  const char *to[] = { delivery->target, NULL };
  const char *headers[] = { "X-SupportDesk-Delivery", delivery->id, NULL };
  SdMail mail = { to, NULL, NULL, NULL, 0, headers };

  if (self->mailer == NULL)
    {
      attempt_done (attempt, "no SMTP relay is configured (--smtp)");
      return;
    }
  if (object == NULL)
    {
      attempt_done (attempt, "the mail's payload is not a JSON object");
      return;
    }
  message_id = g_strdup_printf ("%s@%s", delivery->id, strchr (sd_mailer_get_from (self->mailer), '@') + 1);
  mail.subject = json_object_get_string_member_with_default (object, "subject", "");
  mail.body = json_object_get_string_member_with_default (object, "text", "");
  mail.message_id = message_id;
  mail.date = sd_server_now ();
  sd_mailer_send_async (self->mailer, &mail, NULL, mail_sent_cb, attempt);
}

static gboolean
timer_cb (gpointer user_data)
{
  SdDeliverer *self = user_data;

  self->timer = 0;
  read_queue (self);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_cb (gpointer user_data)
{
  SdDeliverer *self = user_data;

  self->idle = 0;
  read_queue (self);
  return G_SOURCE_REMOVE;
}

/* Claims what is due and sends it; sets the timer for what comes next. */
static void
read_queue (SdDeliverer *self)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = sd_server_now ();
  gint64 next_due = 0;

  if (self->in_flight >= SD_DELIVERY_IN_FLIGHT)
    return;  /* the attempts in flight read the queue again */
  due = sd_store_claim_deliveries (self->store, now, SD_DELIVERY_LEASE,
                                   SD_DELIVERY_IN_FLIGHT - self->in_flight, &next_due, &error);
  if (due == NULL)
    {
      g_warning ("the delivery queue: %s", error->message);
      next_due = now + SD_DELIVERY_BACKOFF;
    }
  g_clear_handle_id (&self->timer, g_source_remove);
  if (next_due != 0)
    self->timer = g_timeout_add_seconds (CLAMP (next_due - now, 1, SD_DELIVERY_MAX_BACKOFF), timer_cb, self);

  for (guint i = 0; due && i < due->len; i++)
    {
      Attempt *attempt = g_new0 (Attempt, 1);

      attempt->deliverer = g_object_ref (self);
      attempt->delivery = g_steal_pointer (&due->pdata[i]);
      self->in_flight++;
      if (g_str_equal (attempt->delivery->channel, "webhook"))
        send_webhook (attempt);
      else
        send_mail (attempt);
    }
}

static void
sd_deliverer_dispose (GObject *object)
{
  SdDeliverer *self = SD_DELIVERER (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  G_OBJECT_CLASS (sd_deliverer_parent_class)->dispose (object);
}

static void
sd_deliverer_finalize (GObject *object)
{
  SdDeliverer *self = SD_DELIVERER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->mailer);
  g_clear_object (&self->session);
  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_pointer (&self->webhooks, g_ptr_array_unref);
  G_OBJECT_CLASS (sd_deliverer_parent_class)->finalize (object);
}

static void
sd_deliverer_class_init (SdDelivererClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_deliverer_dispose;
  object_class->finalize = sd_deliverer_finalize;
}

static void
sd_deliverer_init (SdDeliverer *self)
{
  self->session = soup_session_new_with_options ("timeout", WEBHOOK_TIMEOUT,
                                                 "user-agent", "SupportDesk-Webhook/" PACKAGE_VERSION,
                                                 NULL);
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->webhooks = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->webhooks, NULL);
}

SdDeliverer *
sd_deliverer_new (SdStore *store)
{
  SdDeliverer *self = g_object_new (SD_TYPE_DELIVERER, NULL);

  self->store = g_object_ref (store);
  return self;
}

void
sd_deliverer_set_mailer (SdDeliverer *self,
                         SdMailer    *mailer)
{
  g_return_if_fail (SD_IS_DELIVERER (self));
  g_set_object (&self->mailer, mailer);
}

SdMailer *
sd_deliverer_get_mailer (SdDeliverer *self)
{
  g_return_val_if_fail (SD_IS_DELIVERER (self), NULL);
  return self->mailer;
}

void
sd_deliverer_add_webhook (SdDeliverer *self,
                          const char  *url,
                          const char  *secret)
{
  g_return_if_fail (SD_IS_DELIVERER (self));
  if (!g_hash_table_contains (self->secrets, url))
    g_ptr_array_insert (self->webhooks, self->webhooks->len - 1, g_strdup (url));
  g_hash_table_replace (self->secrets, g_strdup (url), g_strdup (secret));
}

const char * const *
sd_deliverer_get_webhooks (SdDeliverer *self)
{
  g_return_val_if_fail (SD_IS_DELIVERER (self), NULL);
  return (const char * const *) self->webhooks->pdata;
}

gboolean
sd_deliverer_enqueue (SdDeliverer  *self,
                      const char   *channel,
                      const char   *target,
                      const char   *payload,
                      const char   *id,
                      char        **out_id,
                      GError      **error)
{
  g_autofree char *new_id = id ? g_strdup (id) : g_uuid_string_random ();
  SdDelivery delivery = { 0 };

  g_return_val_if_fail (SD_IS_DELIVERER (self), FALSE);

  delivery.id = new_id;
  delivery.channel = (char *) channel;
  delivery.target = (char *) target;
  delivery.payload = (char *) payload;
  delivery.created_at = delivery.next_attempt = sd_server_now ();
  if (!sd_store_enqueue_delivery (self->store, &delivery, error))
    return FALSE;
  sd_deliverer_kick (self);
  if (out_id)
    *out_id = g_steal_pointer (&new_id);
  return TRUE;
}

void
sd_deliverer_kick (SdDeliverer *self)
{
  g_return_if_fail (SD_IS_DELIVERER (self));
  if (self->idle == 0)
    self->idle = g_idle_add (idle_cb, self);
}

char *
sd_deliverer_sign (const char *secret,
                   const char *body,
                   gsize       length)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));

  g_hmac_update (hmac, (const guchar *) body, length);
  return g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
}
