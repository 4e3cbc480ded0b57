/* sd-sync-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sync-engine"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-kind.h"
#include "sd-server-url.h"
#include "sd-sync-engine.h"

#define DEFAULT_PAGE_SIZE 5000  /* the server's largest feed page */
#define BACKOFF_MAX       (5 * 60)

struct _SdSyncEngine
{
  GObject          parent_instance;

  SdRestClient    *client;       /* owned */
  SdLocalStore    *store;        /* owned */
  GNetworkMonitor *monitor;      /* borrowed, the default one */
  GCancellable    *cancellable;  /* owned, cancelled on dispose */

  SdSyncState      state;
  gint64           last_sync;
  char            *last_error;
  guint            n_requests;
  guint            page_size;

  GPtrArray       *waiters;      /* GTask: callers of the running round */
  gboolean         running;
  gboolean         again;        /* a call arrived during the round */
  gboolean         resynced;     /* the round restarted the feed once */
  SdOutboxEntry   *current;      /* owned: the op being pushed */
  /* the pull's pipeline */
  gboolean         has_more;     /* the last page fetched is not the last one */
  gboolean         fetching;
  gboolean         applying;
  JsonNode        *fetched;      /* owned: fetched, waiting for its turn */
  gint64           next_after;   /* the cursor after the last page fetched */
  GError          *pull_error;   /* owned: the pull failed; reported once idle */

  /* automatic rounds */
  guint            interval;
  guint            timeout_id;
  gulong           network_handler;
  guint            failures;
};

G_DEFINE_FINAL_TYPE (SdSyncEngine, sd_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void round_push (SdSyncEngine *self);
static void applied_cb (GObject *object, GAsyncResult *result, gpointer user_data);
static void round_pull (SdSyncEngine *self);
static void schedule (SdSyncEngine *self, guint seconds);

static void
set_state (SdSyncEngine *self,
           SdSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
round_done (SdSyncEngine *self,
            GError       *error)  /* (transfer full) (nullable) */
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);
  g_autoptr(GError) owned = error;
  guint retry_after = 0;

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;

  if (error == NULL)
    {
      self->last_sync = g_get_real_time () / G_USEC_PER_SEC;
      self->failures = 0;
      g_clear_pointer (&self->last_error, g_free);
      set_state (self, SD_SYNC_STATE_SYNCED);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
      self->failures++;
      retry_after = sd_rest_error_get_retry_after (error);
      set_state (self, sd_rest_error_is_retryable (error) ? SD_SYNC_STATE_OFFLINE : SD_SYNC_STATE_ERROR);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }

  /* Automatic rounds: the next one now (edits came in), later, or after a
   * backoff that honours Retry-After. */
  if (self->interval > 0)
    {
      if (error == NULL)
        schedule (self, self->again ? 0 : self->interval);
      else if (sd_rest_error_is_retryable (error))
        schedule (self, sd_sync_engine_backoff (self->failures, retry_after, g_random_double ()));
      else
        schedule (self, self->interval);
    }
}

static const char *
collection_for_kind (const char *kind)
{
  const SdKind *what = sd_kind_lookup (kind);

  return what != NULL ? what->collection : NULL;
}

/* An update whose answer was lost (the client died, the connection
 * broke) is refused on retry because the version moved on — by the update
 * itself. When the server already holds exactly what the patch says, it
 * landed: no conflict. */
static gboolean
patch_already_applied (JsonNode *patch,
                       JsonNode *entity)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (patch == NULL || entity == NULL || !JSON_NODE_HOLDS_OBJECT (patch) || !JSON_NODE_HOLDS_OBJECT (entity))
    return FALSE;

  json_object_iter_init (&iter, json_node_get_object (patch));
  while (json_object_iter_next (&iter, &name, &member))
    {
      JsonNode *current = json_object_get_member (json_node_get_object (entity), name);

      if (g_str_equal (name, "reason"))
        continue;
      if (JSON_NODE_HOLDS_NULL (member) ? (current != NULL && !JSON_NODE_HOLDS_NULL (current))
                                        : (current == NULL || !json_node_equal (member, current)))
        return FALSE;
    }
  return TRUE;
}

static void
pushed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdSyncEngine) self = user_data;
  g_autoptr(SdOutboxEntry) entry = g_steal_pointer (&self->current);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autoptr(JsonNode) entity = NULL;

  switch (entry->op)
    {
    case SD_OUTBOX_OP_CREATE:
      entity = sd_rest_client_create_finish (self->client, result, &error);
      break;
    case SD_OUTBOX_OP_UPDATE:
      entity = sd_rest_client_update_finish (self->client, result, &error);
      break;
    case SD_OUTBOX_OP_APPEND_EVENT:
      entity = sd_rest_client_append_event_finish (self->client, result, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (entity != NULL)
    sd_local_store_complete (self->store, entry->seq, entity, &store_error);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      round_done (self, g_steal_pointer (&error));
      return;
    }
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_CONFLICT)
           && patch_already_applied (entry->payload, sd_rest_error_get_current_entity (error)))
    sd_local_store_complete (self->store, entry->seq, sd_rest_error_get_current_entity (error), &store_error);
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_CONFLICT))
    /* Someone else changed it: keep both, the user decides. */
    sd_local_store_mark_conflict (self->store, entry->seq,
                                  sd_rest_error_get_current_entity (error), &store_error);
  else if (sd_rest_error_is_retryable (error))
    {
      sd_local_store_fail (self->store, entry->seq, error->message, FALSE, NULL);
      round_done (self, g_steal_pointer (&error));
      return;
    }
  else if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_UNAUTHORIZED))
    {
      /* Not the edit's fault: it stays pending for after the next sign-in. */
      round_done (self, g_steal_pointer (&error));
      return;
    }
  else
    /* The server will never take it as it is: shown as needing attention. */
    sd_local_store_fail (self->store, entry->seq, error->message, TRUE, &store_error);

  if (store_error != NULL)
    {
      round_done (self, g_steal_pointer (&store_error));
      return;
    }
  round_push (self);
}

/* Outbox calls touch one row each; the page application, the one bulk
 * write, runs in the store's worker thread. */
static void
round_push (SdSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdOutboxEntry) entry = sd_local_store_peek (self->store, &error);
  g_autofree char *path = NULL;

  if (error != NULL)
    {
      round_done (self, g_steal_pointer (&error));
      return;
    }
  if (entry == NULL)
    {
      round_pull (self);
      return;
    }

  switch (entry->op)
    {
    case SD_OUTBOX_OP_CREATE:
      path = g_strdup (collection_for_kind (entry->kind));
      break;
    case SD_OUTBOX_OP_UPDATE:
      if (collection_for_kind (entry->kind) != NULL)
        path = g_strconcat (collection_for_kind (entry->kind), "/", entry->id, NULL);
      break;
    case SD_OUTBOX_OP_APPEND_EVENT:
      path = g_strdup ("/events");  /* the client builds the case's path */
      break;
    default:
      break;
    }

  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot send a change of a %s"), entry->kind);

      sd_local_store_fail (self->store, entry->seq, message, TRUE, NULL);
      round_push (self);
      return;
    }

  self->n_requests++;
  self->current = g_steal_pointer (&entry);
  switch (self->current->op)
    {
    case SD_OUTBOX_OP_CREATE:
      sd_rest_client_create_async (self->client, path, self->current->payload, self->current->idempotency_key,
                                   self->cancellable, pushed_cb, g_object_ref (self));
      break;
    case SD_OUTBOX_OP_UPDATE:
      sd_rest_client_update_async (self->client, path, self->current->payload, self->current->base_version,
                                   self->cancellable, pushed_cb, g_object_ref (self));
      break;
    case SD_OUTBOX_OP_APPEND_EVENT:
      {
        JsonObject *payload = json_node_get_object (self->current->payload);
        const char *case_id = json_object_get_string_member_with_default (payload, "case_id", "");

        sd_rest_client_append_event_async (self->client, case_id, self->current->payload,
                                           self->current->idempotency_key, self->cancellable,
                                           pushed_cb, g_object_ref (self));
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The pull is a pipeline of one page: while the store applies page N in
 * its worker thread, page N + 1 is already on its way. Pages are applied
 * in order, each with its cursor. */

static void fetch_page (SdSyncEngine *self, gint64 after);

static gboolean
page_has_more (JsonNode *page,
               gint64   *next)
{
  JsonObject *object = json_node_get_object (page);

  *next = json_object_get_int_member_with_default (object, "next", 0);
  return json_object_get_boolean_member_with_default (object, "has_more", FALSE);
}

static void
pull_step (SdSyncEngine *self)
{
  if (!self->applying && self->fetched != NULL && self->pull_error == NULL)
    {
      JsonNode *page = g_steal_pointer (&self->fetched);

      self->applying = TRUE;
      sd_local_store_apply_changes_async (self->store, page, self->cancellable, applied_cb, g_object_ref (self));
      json_node_unref (page);
    }
  if (!self->fetching && self->fetched == NULL && self->has_more && self->pull_error == NULL)
    fetch_page (self, self->next_after);

  if (self->applying || self->fetching)
    return;
  if (self->pull_error != NULL)
    round_done (self, g_steal_pointer (&self->pull_error));
  else if (self->fetched == NULL && !self->has_more)
    round_done (self, NULL);
}

static void
applied_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SdSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  self->applying = FALSE;
  if (!sd_local_store_apply_changes_finish (self->store, result, &error) && self->pull_error == NULL)
    {
      self->pull_error = g_steal_pointer (&error);
      self->has_more = FALSE;
    }
  pull_step (self);
}

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = sd_rest_client_changes_finish (self->client, result, &error);
  gint64 next = 0;

  self->fetching = FALSE;
  if (page == NULL)
    {
      /* The server's data was replaced: mirror it anew, once per round.
       * Local edits stay in the outbox. */
      if (g_error_matches (error, SD_REST_ERROR, SD_REST_ERROR_RESYNC) && !self->resynced && !self->applying)
        {
          g_autoptr(GError) reset_error = NULL;

          self->resynced = TRUE;
          if (!sd_local_store_reset_mirror (self->store, &reset_error))
            round_done (self, g_steal_pointer (&reset_error));
          else
            round_pull (self);
          return;
        }
      if (self->pull_error == NULL)
        self->pull_error = g_steal_pointer (&error);
      self->has_more = FALSE;
      pull_step (self);
      return;
    }

  self->has_more = page_has_more (page, &next);
  self->next_after = next;
  self->fetched = g_steal_pointer (&page);
  pull_step (self);
}

static void
fetch_page (SdSyncEngine *self,
            gint64        after)
{
  self->fetching = TRUE;
  self->n_requests++;
  sd_rest_client_changes_async (self->client, after, self->page_size, self->cancellable,
                                pulled_cb, g_object_ref (self));
}

static void
round_pull (SdSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  gint64 cursor = sd_local_store_get_cursor (self->store, &error);

  if (cursor < 0)
    {
      round_done (self, g_steal_pointer (&error));
      return;
    }
  self->has_more = TRUE;
  self->next_after = cursor;
  pull_step (self);
}

static void
round_start (SdSyncEngine *self)
{
  self->running = TRUE;
  self->again = FALSE;
  self->resynced = FALSE;
  self->n_requests = 0;
  self->has_more = FALSE;
  g_clear_pointer (&self->fetched, json_node_unref);
  g_clear_error (&self->pull_error);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  set_state (self, SD_SYNC_STATE_SYNCING);
  round_push (self);
}

/* ------------------------------------------------------------ automatic */

static gboolean
timeout_cb (gpointer user_data)
{
  SdSyncEngine *self = user_data;

  self->timeout_id = 0;
  if (!self->running)
    {
      if (self->monitor != NULL && !g_network_monitor_get_network_available (self->monitor))
        set_state (self, SD_SYNC_STATE_OFFLINE);  /* the network coming back starts a round */
      else
        round_start (self);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule (SdSyncEngine *self,
          guint         seconds)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (seconds == 0)
    self->timeout_id = g_idle_add (timeout_cb, self);
  else
    self->timeout_id = g_timeout_add_seconds (seconds, timeout_cb, self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  SdSyncEngine *self = user_data;

  if (available && !self->running && self->state != SD_SYNC_STATE_SYNCED)
    schedule (self, 0);
  else if (!available && !self->running)
    set_state (self, SD_SYNC_STATE_OFFLINE);
}

guint
sd_sync_engine_backoff (guint  failures,
                        guint  retry_after,
                        double jitter)
{
  guint delay = BACKOFF_MAX;

  if (failures > 0 && failures < 9)
    delay = MIN (BACKOFF_MAX, 1u << failures);
  delay += (guint) (delay * CLAMP (jitter, 0.0, 1.0) / 4);
  return MAX (delay, retry_after);
}

/* ---------------------------------------------------------------- object */

static void
sd_sync_engine_dispose (GObject *object)
{
  SdSyncEngine *self = SD_SYNC_ENGINE (object);

  sd_sync_engine_stop (self);
  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (sd_sync_engine_parent_class)->dispose (object);
}

static void
sd_sync_engine_finalize (GObject *object)
{
  SdSyncEngine *self = SD_SYNC_ENGINE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->current, sd_outbox_entry_free);
  g_clear_pointer (&self->fetched, json_node_unref);
  g_clear_error (&self->pull_error);
  g_free (self->last_error);

  G_OBJECT_CLASS (sd_sync_engine_parent_class)->finalize (object);
}

static void
sd_sync_engine_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SdSyncEngine *self = SD_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_LAST_SYNC:
      g_value_set_int64 (value, self->last_sync);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_sync_engine_class_init (SdSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_sync_engine_dispose;
  object_class->finalize = sd_sync_engine_finalize;
  object_class->get_property = sd_sync_engine_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SD_SYNC_STATE_IDLE, SD_SYNC_STATE_ERROR, SD_SYNC_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_int64 ("last-sync", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_sync_engine_init (SdSyncEngine *self)
{
  self->cancellable = g_cancellable_new ();
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->page_size = DEFAULT_PAGE_SIZE;
}

/* ------------------------------------------------------------------- API */

SdSyncEngine *
sd_sync_engine_new (SdRestClient *client,
                    SdLocalStore *store)
{
  SdSyncEngine *self;

  g_return_val_if_fail (SD_IS_REST_CLIENT (client), NULL);
  g_return_val_if_fail (SD_IS_LOCAL_STORE (store), NULL);

  self = g_object_new (SD_TYPE_SYNC_ENGINE, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  return self;
}

SdRestClient *
sd_sync_engine_get_client (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), NULL);
  return self->client;
}

SdLocalStore *
sd_sync_engine_get_store (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

SdSyncState
sd_sync_engine_get_state (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), SD_SYNC_STATE_IDLE);
  return self->state;
}

gint64
sd_sync_engine_get_last_sync (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), 0);
  return self->last_sync;
}

const char *
sd_sync_engine_get_last_error (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), NULL);
  return self->last_error;
}

guint
sd_sync_engine_get_n_requests (SdSyncEngine *self)
{
  g_return_val_if_fail (SD_IS_SYNC_ENGINE (self), 0);
  return self->n_requests;
}

void
sd_sync_engine_set_page_size (SdSyncEngine *self,
                              guint         page_size)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));
  self->page_size = CLAMP (page_size, 1, DEFAULT_PAGE_SIZE);
}

void
sd_sync_engine_sync_async (SdSyncEngine        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_sync_engine_sync_async);
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));

  if (self->running)
    self->again = TRUE;
  else
    round_start (self);
}

gboolean
sd_sync_engine_sync_finish (SdSyncEngine  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_sync_engine_start (SdSyncEngine *self,
                      guint         interval_seconds)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));

  self->interval = MAX (interval_seconds, 1);
  if (self->monitor == NULL)
    {
      self->monitor = g_network_monitor_get_default ();
      self->network_handler = g_signal_connect (self->monitor, "network-changed",
                                                G_CALLBACK (network_changed_cb), self);
    }
  if (!self->running)
    schedule (self, 0);
}

void
sd_sync_engine_stop (SdSyncEngine *self)
{
  g_return_if_fail (SD_IS_SYNC_ENGINE (self));

  self->interval = 0;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->network_handler, self->monitor);
  self->monitor = NULL;
}

static void
server_reached_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SdSyncEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_network_monitor_can_reach_finish (G_NETWORK_MONITOR (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("after the resume, %s is out of reach: %s",
               sd_rest_client_get_host (self->client), error->message);
      if (!self->running)
        set_state (self, SD_SYNC_STATE_OFFLINE);  /* the network coming back starts a round */
      return;
    }
  if (self->running)
    self->again = TRUE;
  else
    round_start (self);
}

void
sd_sync_engine_resume (SdSyncEngine *self)
{
  g_autoptr(GSocketConnectable) server = NULL;
  GNetworkMonitor *monitor;

  g_return_if_fail (SD_IS_SYNC_ENGINE (self));

  /* The server closed our keep-alive connections long ago. */
  sd_rest_client_reset_connections (self->client);
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  /* The network may have changed during the sleep: ask again whether the
   * server is reachable (a loopback or LAN server counts, not only a
   * default route). */
  monitor = self->monitor != NULL ? self->monitor : g_network_monitor_get_default ();
  server = g_network_address_parse_uri (sd_rest_client_get_base_url (self->client), 443, NULL);
  if (server == NULL)
    {
      round_start (self);
      return;
    }
  g_network_monitor_can_reach_async (monitor, server, self->cancellable, server_reached_cb, g_object_ref (self));
}

char *
sd_sync_engine_store_path (const char *server,
                           const char *login)
{
  g_autofree char *normal = sd_server_url_normalize (server, NULL);
  g_autofree char *key = g_strconcat (normal ? normal : server, "\n", login, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = g_strdup_printf ("%.16s.db", digest);

  return g_build_filename (g_get_user_data_dir (), "supportdesk", name, NULL);
}
