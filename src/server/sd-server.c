/* sd-server.c — the server object: its lifetime, the built-in entities
 * it seeds, listening, and adding users
 *
 * The request handling is split by concern, all on sd-server-private.h:
 * sd-server-http.c (replies, requests, routes, heavy reads off the main
 * loop), sd-server-auth.c, sd-server-sla.c, sd-server-entities.c,
 * sd-server-cases.c, sd-server-health-checks.c, sd-server-changes.c and
 * sd-server-audit.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-auth.h"
#include "sd-server-private.h"

G_DEFINE_FINAL_TYPE (SdServer, sd_server, G_TYPE_OBJECT)

static void
sd_server_dispose (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  g_clear_object (&self->listener);
  /* Builders hold the server while they work: none is running now. */
  if (self->builders != NULL)
    g_thread_pool_free (g_steal_pointer (&self->builders), FALSE, TRUE);
  g_clear_pointer (&self->readers, g_async_queue_unref);
  if (self->bulk != NULL)
    g_thread_pool_free (g_steal_pointer (&self->bulk), FALSE, TRUE);
  g_clear_object (&self->bulk_store);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (sd_server_parent_class)->dispose (object);
}

static void
sd_server_finalize (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->attempts, sd_throttle_free);
  g_clear_pointer (&self->calendars, g_hash_table_unref);
  g_free (self->test_gate);
  g_clear_object (&self->mailer);
  g_clear_object (&self->deliverer);
  g_clear_object (&self->scheduler);

  G_OBJECT_CLASS (sd_server_parent_class)->finalize (object);
}

static void
sd_server_class_init (SdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_server_dispose;
  object_class->finalize = sd_server_finalize;
}

static void
sd_server_init (SdServer *self)
{
  self->max_body = DEFAULT_MAX_BODY;
  self->attempts = sd_throttle_new (THROTTLE_FAILURES, THROTTLE_WINDOW, THROTTLE_ENTRIES);
  self->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static char *
render_node_cb (gint64     version,
                gint64     updated_at,
                gpointer   user_data,
                GError   **error)
{
  return sd_json_to_string (user_data, FALSE);
}

static gint64
stored_template_version (SdStoreRecord *record)
{
  g_autoptr(JsonNode) node = record->body ? sd_json_parse (record->body, -1, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  return json_object_get_int_member_with_default (json_node_get_object (node), "version", 0);
}

/* The built-in calendars and policies are entities like any other, so that
 * clients receive them through the change feed. */
static void
seed_builtins (SdServer *self)
{
  SdTier tiers[] = { SD_TIER_MSA_ENTERPRISE, SD_TIER_STANDARD };
  g_autoptr(SdChecklistTemplate) template = sd_checklist_template_new_builtin (SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY, NULL);
  g_autoptr(SdStoreRecord) existing_template = sd_store_get (self->store, "checklist_template",
                                                             SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY, NULL);

  _sd_seed_calendars (self->store);
  /* A newer built-in template replaces the stored one; checks made from
   * the older version keep their items. */
  if (existing_template == NULL || existing_template->deleted
      || stored_template_version (existing_template) < sd_checklist_template_get_version (template))
    {
      g_autoptr(JsonNode) node = sd_checklist_template_to_json (template);
      g_autoptr(SdStoreRecord) record = sd_store_put (self->store, "checklist_template",
                                                      SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY, NULL, NULL,
                                                      existing_template ? existing_template->version : 0,
                                                      NULL, render_node_cb, node, NULL, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (tiers); i++)
    {
      const char *id = sd_tier_to_string (tiers[i]);
      g_autoptr(SdStoreRecord) existing = sd_store_get (self->store, "sla_policy", id, NULL);

      if (existing == NULL)
        {
          g_autoptr(SdSlaPolicy) policy = sd_sla_policy_new_for_tier (tiers[i]);
          g_autoptr(JsonNode) node = sd_sla_policy_to_json (policy);
          g_autoptr(SdStoreRecord) record = sd_store_put (self->store, "sla_policy", id, NULL, NULL, 0,
                                                          NULL, render_node_cb, node, NULL, NULL);
        }
    }
}

SdServer *
sd_server_new (SdStore *store)
{
  SdServer *self;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  self = g_object_new (SD_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->test_gate = g_strdup (g_getenv ("SUPPORTDESK_TEST_PAGE_GATE"));
  self->deliverer = sd_deliverer_new (store);
  self->scheduler = sd_scheduler_new (self);
  seed_builtins (self);
  _sd_start_builders (self);
  return self;
}

void
sd_server_set_max_body (SdServer *self,
                        gsize     max_body)
{
  g_return_if_fail (SD_IS_SERVER (self));
  self->max_body = max_body;
}

void
sd_server_set_mailer (SdServer *self,
                      SdMailer *mailer)
{
  g_return_if_fail (SD_IS_SERVER (self));
  g_set_object (&self->mailer, mailer);
  sd_deliverer_set_mailer (self->deliverer, mailer);
}

void
sd_server_add_webhook (SdServer   *self,
                       const char *url,
                       const char *secret)
{
  g_return_if_fail (SD_IS_SERVER (self));
  sd_deliverer_add_webhook (self->deliverer, url, secret);
}

void
sd_server_set_test_clock (SdServer *self,
                          gboolean  enabled)
{
  g_return_if_fail (SD_IS_SERVER (self));
  self->test_clock = enabled;
}

SdMailer *
sd_server_get_mailer (SdServer *self)
{
  g_return_val_if_fail (SD_IS_SERVER (self), NULL);
  return self->mailer;
}

guint
sd_server_listen (SdServer         *self,
                  const char       *address,
                  GTlsCertificate  *certificate,
                  GError          **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (SD_IS_SERVER (self), 0);
  g_return_val_if_fail (self->soup == NULL, 0);

  if (!(connectable = g_network_address_parse (address, 8080, error)))
    return 0;
  enumerator = g_socket_connectable_enumerate (connectable);
  if (!(socket_address = g_socket_address_enumerator_next (enumerator, NULL, error)))
    return 0;

  self->soup = soup_server_new ("server-header", "supportdesk-server/" PACKAGE_VERSION " ",
                                "tls-certificate", certificate,
                                NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (_sd_request_started_cb), self);
  soup_server_add_early_handler (self->soup, NULL, _sd_early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, _sd_handler_cb, self, NULL);

  /* Connections come through our listener, not libsoup's (sd-listener.h). */
  self->listener = sd_listener_new (self->soup, certificate);
  /* What was queued before a restart is sent now. */
  sd_deliverer_kick (self->deliverer);
  sd_scheduler_start (self->scheduler);
  return sd_listener_listen (self->listener, socket_address, error);
}

gboolean
sd_server_add_user (SdStore     *store,
                    const char  *login,
                    const char  *display_name,
                    const char  *role,
                    const char  *password,
                    char       **out_id,
                    GError     **error)
{
  g_autoptr(SdUser) user = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = g_uuid_string_random ();
  char *existing_id = NULL, *existing_hash = NULL;
  SdRole parsed;

  if (!sd_role_from_string (role, &parsed))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   "unknown role “%s” (tam, duty_manager, engineer or admin)", role);
      return FALSE;
    }
  if (password == NULL || strlen (password) < 8)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, "the password needs at least 8 characters");
      return FALSE;
    }
  if (sd_store_get_password (store, login, &existing_id, &existing_hash, NULL))
    {
      g_free (existing_id);
      g_free (existing_hash);
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS, "the login “%s” exists already", login);
      return FALSE;
    }

  user = sd_user_new (id);
  sd_user_set_login (user, login);
  sd_user_set_display_name (user, display_name ? display_name : login);
  sd_user_set_role (user, parsed);
  sd_user_set_version (user, 1);
  node = sd_user_to_json (user);

  if (!(hash = sd_auth_hash_password (password, error)))
    return FALSE;
  if (!sd_store_begin (store, error))
    return FALSE;
  record = sd_store_put (store, "user", id, NULL, NULL, 0, NULL, render_node_cb, node, NULL, error);
  if (record == NULL
      || !sd_store_set_password (store, id, login, hash, error)
      || !sd_store_commit (store, error))
    {
      sd_store_rollback (store);
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
  return TRUE;
}
