/* sd-server-http.c — HTTP plumbing: replies, reading requests, building heavy reads off the
 * main loop, and the routes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-server-private.h"
#include "sd-sqlite-audit.h"

/* libsoup 3.2 knows no phrase for these. */
static const char *
reason_phrase (guint status)
{
  switch (status)
    {
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    default: return NULL;
    }
}

void
_sd_request_set_header (SdRequest  *req,
                        const char *name,
                        const char *value)
{
  if (req->reply != NULL)
    {
      g_ptr_array_add (req->reply->headers, g_strdup (name));
      g_ptr_array_add (req->reply->headers, g_strdup (value));
      return;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), name, value);
}

static void
respond_bytes (SdRequest  *req,
               guint       status,
               const char *content_type,
               char       *body,    /* (transfer full) */
               gsize       length)  /* 0: up to its NUL */
{
  if (body != NULL && length == 0)
    length = strlen (body);
  if (req->reply != NULL)
    {
      req->reply->status = status;
      g_free (req->reply->content_type);
      req->reply->content_type = g_strdup (content_type);
      g_free (req->reply->body);
      req->reply->body = body;
      req->reply->length = length;
      return;
    }
  soup_server_message_set_status (req->msg, status, reason_phrase (status));
  if (body != NULL)
    soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE, body, length);
}

static void
respond (SdRequest  *req,
         guint       status,
         const char *content_type,
         char       *body)  /* (transfer full) */
{
  respond_bytes (req, status, content_type, body, 0);
}

/* Smaller answers are sent as they are: coding them costs more than it saves. */
#define GZIP_MIN_BYTES 1024
/* zlib's fastest level: a feed page compresses about 10 to 1 with it. */
#define GZIP_LEVEL     1

void
_sd_respond_json_coded (SdRequest *req,
                        guint      status,
                        GString   *json)
{
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GOutputStream) coded = NULL;
  gsize length;

  if (!req->gzip || json->len < GZIP_MIN_BYTES)
    {
      respond (req, status, "application/json", g_string_free (json, FALSE));
      return;
    }
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, GZIP_LEVEL);
  memory = g_memory_output_stream_new_resizable ();
  coded = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  /* Into memory: neither can fail but for lack of it. */
  g_output_stream_write_all (coded, json->str, json->len, NULL, NULL, NULL);
  g_output_stream_close (coded, NULL, NULL);
  g_string_free (json, TRUE);
  length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory));
  _sd_request_set_header (req, "Content-Encoding", "gzip");
  _sd_request_set_header (req, "Vary", "Accept-Encoding");
  respond_bytes (req, status, "application/json",
                 g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (memory)), length);
}

void
_sd_respond_json (SdRequest *req,
                  guint      status,
                  char      *json)  /* (transfer full) */
{
  respond (req, status, "application/json", json);
}

void
_sd_respond_node (SdRequest *req,
                  guint      status,
                  JsonNode  *node)
{
  _sd_respond_json (req, status, sd_json_to_string (node, FALSE));
}

static char *
problem_to_string (guint       status,
                   const char *slug,
                   const char *title,
                   const char *detail,
                   const char *field)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *type = g_strconcat ("urn:supportdesk:problem:", slug, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  if (detail != NULL)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, detail);
    }
  if (field != NULL)
    {
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, field);
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return sd_json_to_string (node, FALSE);
}

void
_sd_respond_problem (SdRequest  *req,
                     guint       status,
                     const char *slug,
                     const char *title,
                     const char *detail,
                     const char *field)
{
  respond (req, status, "application/problem+json", problem_to_string (status, slug, title, detail, field));
}

/* The codecs name the field as “path” in their messages. */
static char *
field_from_error (const GError *error)
{
  const char *open = strstr (error->message, "“");
  const char *close;

  if (open == NULL)
    return NULL;
  open += strlen ("“");
  close = strstr (open, "”");
  if (close == NULL)
    return NULL;
  return g_strndup (open, close - open);
}

void
_sd_respond_invalid (SdRequest    *req,
                     const GError *error)
{
  g_autofree char *field = field_from_error (error);

  _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation",
                       "The request is not valid", error->message, field);
}

void
_sd_respond_not_found (SdRequest *req)
{
  _sd_respond_problem (req, SOUP_STATUS_NOT_FOUND, "not-found", "Not found",
                       "There is no such resource, or you may not see it.", NULL);
}

void
_sd_respond_store_error (SdRequest    *req,
                         const GError *error)
{
  if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
    _sd_respond_not_found (req);
  else if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS))
    /* The same answer whoever's it is, and deleted or not. */
    _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "exists", "It exists already",
                         "This id is taken; choose another (a new UUID).", "id");
  else if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_IDEMPOTENCY_MISMATCH))
    _sd_respond_problem (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                         "This Idempotency-Key was sent with another request",
                         "Send a new Idempotency-Key for a different request.", "Idempotency-Key");
  else if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_UNAVAILABLE))
    {
      _sd_request_set_header (req, "Retry-After", "60");
      _sd_respond_problem (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable",
                           "The server cannot store data now", NULL, NULL);
    }
  else
    {
      g_warning ("storage failed: %s", error->message);
      _sd_respond_problem (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage",
                           "The server could not store the data", NULL, NULL);
    }
}

void
_sd_respond_retry_later (SdRequest  *req,
                         guint       status,
                         gint64      seconds,
                         const char *slug,
                         const char *title)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  _sd_request_set_header (req, "Retry-After", value);
  _sd_respond_problem (req, status, slug, title, "Wait before trying again.", NULL);
}

JsonObject *
_sd_read_body (SdRequest  *req,
               JsonNode  **root)
{
  SoupMessageBody *body;
  SoupMessageHeaders *headers;
  const char *content_type;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gsize size;
  const char *data;

  /* Off the main loop: the body was read there, before the handoff. */
  if (req->msg == NULL)
    {
      *root = json_node_ref (req->body);
      return json_node_get_object (*root);
    }
  body = soup_server_message_get_request_body (req->msg);
  headers = soup_server_message_get_request_headers (req->msg);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &size);

  if (size > req->server->max_body)
    {
      _sd_respond_problem (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                           "The request body is too large", NULL, NULL);
      return NULL;
    }
  /* A PATCH body is a JSON merge patch (RFC 7396): its own media type is
   * accepted beside plain JSON. */
  if (content_type == NULL
      || (g_ascii_strcasecmp (content_type, "application/json") != 0
          && !(g_str_equal (soup_server_message_get_method (req->msg), "PATCH")
               && g_ascii_strcasecmp (content_type, "application/merge-patch+json") == 0)))
    {
      _sd_respond_problem (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "media-type",
                           "The request body must be application/json"
                           " (or application/merge-patch+json for PATCH)", NULL, NULL);
      return NULL;
    }

  *root = sd_json_parse (size ? data : "", size, &error);
  if (*root == NULL)
    {
      _sd_respond_invalid (req, error);
      return NULL;
    }
  object = sd_json_node_get_object (*root, NULL, &error);
  if (object == NULL)
    {
      g_clear_pointer (root, json_node_unref);
      _sd_respond_invalid (req, error);
      return NULL;
    }
  return object;
}

const char *
_sd_query_get (SdRequest  *req,
               const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

gboolean
_sd_query_get_int (SdRequest  *req,
                   const char *name,
                   gint64      min,
                   gint64      max,
                   gint64      fallback,
                   gint64     *out)
{
  const char *text = _sd_query_get (req, name);
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (text, 10, min, max, out, &error))
    {
      g_autofree char *detail = g_strdup_printf ("Query parameter “%s”: %s", name, error->message);

      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           detail, name);
      return FALSE;
    }
  return TRUE;
}

/* The If-Match version: "<n>" or W/"<n>". Responds and returns -1 on error. */
gint64
_sd_request_if_match (SdRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *value = soup_message_headers_get_one (headers, "If-Match");
  g_autofree char *bare = NULL;
  guint64 version;

  if (value == NULL)
    {
      _sd_respond_problem (req, 428, "precondition-required", "If-Match is required",
                           "Send the version you edited as If-Match: \"<version>\".", NULL);
      return -1;
    }
  if (g_str_has_prefix (value, "W/"))
    value += 2;
  bare = g_strdup (value);
  g_strstrip (bare);
  if (bare[0] == '"' && strlen (bare) >= 2 && bare[strlen (bare) - 1] == '"')
    {
      memmove (bare, bare + 1, strlen (bare));
      bare[strlen (bare) - 1] = '\0';
    }
  if (!g_ascii_string_to_unsigned (bare, 10, 1, G_MAXINT64, &version, NULL))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "If-Match must be an entity version such as \"3\".", "If-Match");
      return -1;
    }
  return (gint64) version;
}

void
_sd_set_etag (SdRequest *req,
              gint64     version)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);

  _sd_request_set_header (req, "ETag", etag);
}

/* ------------------------------------------------------ off the main loop */

/* A read-only connection and the calendar cache of the thread using it. */
typedef struct {
  SdStore    *store;      /* owned */
  GHashTable *calendars;  /* owned: "id:version" → SdCalendar */
} Reader;

static void
reader_free (Reader *reader)
{
  g_clear_object (&reader->store);
  g_clear_pointer (&reader->calendars, g_hash_table_unref);
  g_free (reader);
}

static Reader *
reader_new (SdStore *store)
{
  Reader *reader = g_new0 (Reader, 1);

  reader->store = store;
  reader->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  return reader;
}

/* A heavy read: the message is paused while a builder thread answers it. */
typedef struct {
  SdServer          *server;    /* owned: freed on the main context only */
  SoupServerMessage *msg;       /* owned */
  GMainContext      *context;   /* owned: the server's */
  SdHandler          handler;
  GPtrArray         *params;    /* owned */
  GHashTable        *query;     /* owned, may be NULL */
  char              *user_id;
  SdUser            *user;      /* owned */
  SdReply            reply;
  gulong             disconnected_id;
  gint               gone;      /* atomic: the client went away */
  gboolean           gzip;
  JsonNode          *body;      /* owned, may be NULL: a bulk write's body */
  SdStoreActor      *actor;     /* owned, may be NULL: who makes a bulk write */
} Job;

static void
job_free (Job *job)
{
  g_clear_signal_handler (&job->disconnected_id, job->msg);
  g_clear_object (&job->msg);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_pointer (&job->params, g_ptr_array_unref);
  g_clear_pointer (&job->query, g_hash_table_unref);
  g_free (job->user_id);
  g_clear_object (&job->user);
  g_free (job->reply.content_type);
  g_free (job->reply.body);
  g_clear_pointer (&job->reply.headers, g_ptr_array_unref);
  g_clear_pointer (&job->body, json_node_unref);
  g_clear_pointer (&job->actor, sd_audit_actor_free);
  g_clear_object (&job->server);
  g_free (job);
}

static void
job_disconnected_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Job *job = user_data;

  g_atomic_int_set (&job->gone, TRUE);
}

/* Back on the main context: answer, unless nobody is waiting. */
static gboolean
job_done_cb (gpointer user_data)
{
  Job *job = user_data;

  if (!g_atomic_int_get (&job->gone))
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (job->msg);

      for (guint i = 0; i + 1 < job->reply.headers->len; i += 2)
        soup_message_headers_replace (headers, job->reply.headers->pdata[i], job->reply.headers->pdata[i + 1]);
      soup_server_message_set_status (job->msg, job->reply.status, reason_phrase (job->reply.status));
      if (job->reply.body != NULL)
        {
          gsize length = job->reply.length ? job->reply.length : strlen (job->reply.body);

          soup_server_message_set_response (job->msg, job->reply.content_type, SOUP_MEMORY_TAKE,
                                            g_steal_pointer (&job->reply.body), length);
        }
      soup_server_message_unpause (job->msg);
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

/* Runs in a builder thread, with a reader of its own. */
static void
job_build_thread (gpointer data,
                  gpointer user_data)
{
  Job *job = data;
  SdServer *self = job->server;
  SdRequest req = {
    .server = self, .reply = &job->reply, .gone = &job->gone, .params = job->params,
    .query = job->query, .user_id = job->user_id, .user = job->user, .gzip = job->gzip,
  };

  if (!g_atomic_int_get (&job->gone))
    {
      /* One reader per builder thread: one is always free. */
      Reader *reader = g_async_queue_pop (self->readers);

      req.store = reader->store;
      req.calendars = reader->calendars;
      job->handler (&req);
      g_async_queue_push (self->readers, reader);
    }
  g_strfreev (req.visible);
  g_clear_pointer (&req.contexts, g_hash_table_unref);
  g_main_context_invoke (job->context, job_done_cb, job);
}

/* Runs in the bulk thread, on its own connection: a write too large for
 * the main loop, in one transaction of its own. It runs to the end even
 * when the client goes away, as it would on the main loop. */
static void
job_bulk_thread (gpointer data,
                 gpointer user_data)
{
  Job *job = data;
  SdServer *self = job->server;
  g_autoptr(GHashTable) calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  SdRequest req = {
    .server = self, .reply = &job->reply, .gone = &job->gone, .params = job->params,
    .query = job->query, .user_id = job->user_id, .user = job->user,
    .store = self->bulk_store, .calendars = calendars, .body = job->body,
  };

  sd_store_set_actor (self->bulk_store, job->actor);
  job->handler (&req);
  sd_store_set_actor (self->bulk_store, NULL);
  g_strfreev (req.visible);
  g_clear_pointer (&req.contexts, g_hash_table_unref);
  g_main_context_invoke (job->context, job_done_cb, job);
}

/* A paused request handed to a thread, taking over what it owns. */
static Job *
job_new (SdRequest *req,
         SdHandler  handler)
{
  Job *job = g_new0 (Job, 1);

  job->server = g_object_ref (req->server);
  job->msg = g_object_ref (req->msg);
  job->context = g_main_context_ref_thread_default ();
  job->handler = handler;
  job->gzip = req->gzip;
  job->params = g_ptr_array_ref (req->params);
  job->query = req->query ? g_hash_table_ref (req->query) : NULL;
  job->user_id = g_steal_pointer (&req->user_id);
  job->user = g_steal_pointer (&req->user);
  job->reply.status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  job->reply.headers = g_ptr_array_new_with_free_func (g_free);
  job->disconnected_id = g_signal_connect (job->msg, "disconnected", G_CALLBACK (job_disconnected_cb), job);
  soup_server_message_pause (job->msg);
  return job;
}

/* Hands a heavy read to a builder thread. */
static void
job_start (SdRequest *req,
           SdHandler  handler)
{
  g_thread_pool_push (req->server->builders, job_new (req, handler), NULL);
}

/* Hands a bulk write to the bulk thread, once its body is read. */
static void
job_start_bulk (SdRequest *req,
                SdHandler  handler)
{
  g_autoptr(JsonNode) root = NULL;
  SdStoreActor *actor;
  Job *job;

  if (!_sd_read_body (req, &root))
    return;
  actor = _sd_request_actor (req);
  job = job_new (req, handler);
  job->body = g_steal_pointer (&root);
  job->actor = actor;
  g_thread_pool_push (req->server->bulk, job, NULL);
}

/* Builder threads when the store can open readers beside its writer. */
void
_sd_start_builders (SdServer *self)
{
  g_autoptr(GAsyncQueue) readers = g_async_queue_new_full ((GDestroyNotify) reader_free);

  /* Opened here: the store's own connection is the main thread's. */
  for (guint i = 0; i < MAX_READERS; i++)
    {
      g_autoptr(GError) error = NULL;
      SdStore *store = sd_store_open_reader (self->store, &error);

      if (store == NULL)
        {
          if (error != NULL)
            g_warning ("pages are built on the main loop: %s", error->message);
          return;
        }
      g_async_queue_push (readers, reader_new (store));
    }
  self->readers = g_steal_pointer (&readers);
  self->builders = g_thread_pool_new (job_build_thread, self, MAX_READERS, FALSE, NULL);

  /* One thread for bulk writes (imports), with a connection that writes. */
  {
    g_autoptr(GError) error = NULL;

    if (!(self->bulk_store = sd_store_open_writer (self->store, &error)))
      {
        if (error != NULL)
          g_warning ("imports run on the main loop: %s", error->message);
        return;
      }
    self->bulk = g_thread_pool_new (job_bulk_thread, self, 1, FALSE, NULL);
  }
}

/* ------------------------------------------------------------------ routes */

typedef struct {
  SdServerRoute route;
  SdHandler     handler;
  gboolean      public;
  gboolean      heavy;   /* a read built off the main loop when it can be */
  gboolean      bulk;    /* a large write run off the main loop when it can be */
} Route;

static const Route routes[] = {
  { { "POST", "/auth/token" }, _sd_handle_sign_in, TRUE },
  { { "DELETE", "/auth/token" }, _sd_handle_sign_out, FALSE },
  { { "GET", "/me" }, _sd_handle_me, FALSE },
  { { "GET", "/customers" }, _sd_handle_list_customers, FALSE, TRUE },
  { { "GET", "/customers/{id}" }, _sd_handle_get_customer, FALSE },
  { { "POST", "/customers" }, _sd_handle_create_customer, FALSE },
  { { "PATCH", "/customers/{id}" }, _sd_handle_update_customer, FALSE },
  { { "GET", "/contacts" }, _sd_handle_list_contacts, FALSE, TRUE },
  { { "POST", "/contacts" }, _sd_handle_create_contact, FALSE },
  { { "GET", "/contacts/{id}" }, _sd_handle_get_contact, FALSE },
  { { "PATCH", "/contacts/{id}" }, _sd_handle_update_contact, FALSE },
  { { "POST", "/users" }, _sd_handle_create_user, FALSE },
  { { "POST", "/users/{id}/password-reset" }, _sd_handle_reset_password, FALSE },
  { { "POST", "/users/{id}/reassign" }, _sd_handle_reassign, FALSE },
  { { "POST", "/me/password" }, _sd_handle_change_password, FALSE },
  { { "POST", "/import/{kind}" }, _sd_handle_import, FALSE, FALSE, TRUE },
  { { "GET", "/users" }, _sd_handle_list_users, FALSE, TRUE },
  { { "GET", "/users/{id}" }, _sd_handle_get_user, FALSE },
  { { "GET", "/duty-shifts" }, _sd_handle_list_duty_shifts, FALSE, TRUE },
  { { "POST", "/duty-shifts" }, _sd_handle_create_duty_shift, FALSE },
  { { "GET", "/duty-shifts/{id}" }, _sd_handle_get_duty_shift, FALSE },
  { { "PATCH", "/duty-shifts/{id}" }, _sd_handle_update_duty_shift, FALSE },
  { { "DELETE", "/duty-shifts/{id}" }, _sd_handle_delete_duty_shift, FALSE },
  { { "GET", "/calendars" }, _sd_handle_list_calendars, FALSE, TRUE },
  { { "GET", "/calendars/{id}" }, _sd_handle_get_calendar, FALSE },
  { { "POST", "/calendars" }, _sd_handle_create_calendar, FALSE },
  { { "PATCH", "/calendars/{id}" }, _sd_handle_update_calendar, FALSE },
  { { "DELETE", "/calendars/{id}" }, _sd_handle_archive_calendar, FALSE },
  { { "POST", "/calendars/{id}/import" }, _sd_handle_import_calendar, FALSE },
  { { "GET", "/calendars/{id}/days" }, _sd_handle_calendar_days, FALSE },
  { { "GET", "/sla-policies" }, _sd_handle_list_policies, FALSE, TRUE },
  { { "GET", "/sla-policies/{tier}" }, _sd_handle_get_policy, FALSE },
  { { "POST", "/sla-policies" }, _sd_handle_create_policy, FALSE },
  { { "GET", "/cases" }, _sd_handle_list_cases, FALSE, TRUE },
  { { "POST", "/cases" }, _sd_handle_create_case, FALSE },
  { { "GET", "/cases/{id}" }, _sd_handle_get_case, FALSE },
  { { "PATCH", "/cases/{id}" }, _sd_handle_update_case, FALSE },
  { { "PATCH", "/users/{id}" }, _sd_handle_update_user, FALSE },
  { { "GET", "/cases/{id}/events" }, _sd_handle_list_events, FALSE, TRUE },
  { { "POST", "/cases/{id}/events" }, _sd_handle_append_event, FALSE },
  { { "POST", "/cases/{id}/daily-report" }, _sd_handle_send_daily_report, FALSE },
  { { "GET", "/cases/{id}/events/{event_id}" }, _sd_handle_get_event, FALSE },
  { { "GET", "/cases/{id}/sla-record" }, _sd_handle_get_sla_record, FALSE },
  { { "GET", "/health-checks" }, _sd_handle_list_health_checks, FALSE, TRUE },
  { { "POST", "/health-checks" }, _sd_handle_create_health_check, FALSE },
  { { "GET", "/health-checks/{id}" }, _sd_handle_get_health_check, FALSE },
  { { "PATCH", "/health-checks/{id}" }, _sd_handle_update_health_check, FALSE },
  { { "DELETE", "/health-checks/{id}" }, _sd_handle_delete_health_check, FALSE },
  { { "GET", "/health-checks/{id}/items" }, _sd_handle_list_items, FALSE },
  { { "PATCH", "/health-checks/{id}/items/{key}" }, _sd_handle_update_item, FALSE },
  { { "GET", "/checklist-templates" }, _sd_handle_list_templates, FALSE, TRUE },
  { { "GET", "/checklist-templates/{id}" }, _sd_handle_get_template, FALSE },
  { { "GET", "/changes" }, _sd_handle_changes, FALSE, TRUE },
  { { "GET", "/audit" }, _sd_handle_audit, FALSE },
  { { "GET", "/deliveries" }, _sd_handle_list_deliveries, FALSE },
  { { "POST", "/deliveries/test" }, _sd_handle_test_delivery, FALSE },
  { { "PATCH", "/notifications/{id}" }, _sd_handle_update_notification, FALSE },
  { { "POST", "/test/clock" }, _sd_handle_test_clock, FALSE },
};

const SdServerRoute *
sd_server_get_routes (void)
{
  static SdServerRoute list[G_N_ELEMENTS (routes) + 1];

  if (list[0].method == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
      list[i] = routes[i].route;
  return list;
}

static gboolean
segment_is_valid (const char *segment)
{
  gsize length = strlen (segment);

  if (length == 0 || length > 128)
    return FALSE;
  for (const char *p = segment; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.' && *p != ':')
      return FALSE;
  return TRUE;
}

/* Matches @path against @pattern, collecting the placeholders. */
static gboolean
route_matches (const char  *pattern,
               char       **segments,
               GPtrArray   *params)
{
  g_auto(GStrv) parts = g_strsplit (pattern + 1, "/", -1);
  guint n = g_strv_length (parts);

  if (n != g_strv_length (segments))
    return FALSE;
  g_ptr_array_set_size (params, 0);
  for (guint i = 0; i < n; i++)
    {
      if (parts[i][0] == '{')
        {
          if (!segment_is_valid (segments[i]))
            return FALSE;
          g_ptr_array_add (params, g_strdup (segments[i]));
        }
      else if (!g_str_equal (parts[i], segments[i]))
        return FALSE;
    }
  return TRUE;
}

/* The decoded path, with control characters, '%' and what is not
 * UTF-8 percent-encoded again: a request cannot forge a log line. */
static char *
escape_for_log (const char *path)
{
  GString *escaped = g_string_new (NULL);
  gboolean valid = g_utf8_validate (path, -1, NULL);

  for (const guchar *p = (const guchar *) path; *p; p++)
    {
      if (*p < 0x20 || *p == 0x7f || *p == '%' || (*p >= 0x80 && !valid))
        g_string_append_printf (escaped, "%%%02X", *p);
      else
        g_string_append_c (escaped, *p);
    }
  return g_string_free (escaped, FALSE);
}

static void
log_request_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  gint64 started = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg), "sd-started"));
  g_autofree char *status = g_strdup_printf ("%u", soup_server_message_get_status (msg));
  g_autofree char *duration = g_strdup_printf ("%.1f", (g_get_monotonic_time () - started) / 1000.0);
  GUri *uri = soup_server_message_get_uri (msg);  /* NULL for a malformed request */
  g_autofree char *path = escape_for_log (uri ? g_uri_get_path (uri) : "");
  const char *user = g_object_get_data (G_OBJECT (msg), "sd-user");
  const char *method = soup_server_message_get_method (msg);

  if (method == NULL)
    method = "-";
  /* One structured line per request; never headers or bodies. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "MESSAGE", "%s %s %s %sms", method, path, status, duration,
                    "HTTP_METHOD", method,
                    "HTTP_PATH", path,
                    "HTTP_STATUS", status,
                    "DURATION_MS", duration,
                    "USER_ID", user ? user : "");
}

/* Answers 413 without reading the rest of the body, and closes. */
static void
refuse_too_large (SdServer          *self,
                  SoupServerMessage *msg)
{
  g_autofree char *body = NULL;

  if (g_object_get_data (G_OBJECT (msg), "sd-refused") != NULL)
    return;
  g_object_set_data (G_OBJECT (msg), "sd-refused", GINT_TO_POINTER (TRUE));
  body = problem_to_string (SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                            "The request body is too large", NULL, NULL);
  soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
  log_request_cb (msg, NULL);
  sd_listener_refuse (self->listener, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                      "Payload Too Large", body);
}

/* Counts the body as it arrives, chunked or not. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SdServer *self = user_data;

  if ((gsize) soup_server_message_get_request_body (msg)->length > self->max_body)
    refuse_too_large (self, msg);
}

void
_sd_request_started_cb (SoupServer        *soup,
                        SoupServerMessage *msg,
                        gpointer           user_data)
{
  g_object_set_data (G_OBJECT (msg), "sd-started", GSIZE_TO_POINTER (g_get_monotonic_time ()));
  g_signal_connect (msg, "finished", G_CALLBACK (log_request_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), user_data);
  /* One request per connection: an idle keep-alive connection is
   * what libsoup 3.2 fails to close (see sd-listener.h). */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

/* Runs once the headers are in: refuse a declared oversized body before
 * reading it. */
void
_sd_early_handler_cb (SoupServer        *soup,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  SdServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > (goffset) self->max_body)
    refuse_too_large (self, msg);
}

void
_sd_handler_cb (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  SdServer *self = user_data;
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) segments = NULL;
  const char *method = soup_server_message_get_method (msg);
  const char *rest;
  g_autoptr(GString) allowed = g_string_new (NULL);
  const Route *found = NULL;
  SdRequest req = { .server = self, .msg = msg, .store = self->store, .calendars = self->calendars, .query = query };

  if (soup_server_message_get_status (msg) != SOUP_STATUS_NONE)
    return;  /* answered by the early handler */

  rest = g_str_has_prefix (path, API_PREFIX "/") ? path + strlen (API_PREFIX) : "";
  segments = g_strsplit (rest[0] == '/' ? rest + 1 : rest, "/", -1);

  for (guint i = 0; i < G_N_ELEMENTS (routes) && found == NULL; i++)
    {
      if (!route_matches (routes[i].route.path, segments, params))
        continue;
      /* HEAD is GET without the body (libsoup leaves it out). */
      if (g_str_equal (routes[i].route.method, method)
          || (g_str_equal (method, "HEAD") && g_str_equal (routes[i].route.method, "GET")))
        found = &routes[i];
      else
        g_string_append_printf (allowed, "%s%s", allowed->len ? ", " : "", routes[i].route.method);
    }

  if (found == NULL)
    {
      if (allowed->len > 0)
        {
          _sd_request_set_header (&req, "Allow", allowed->str);
          _sd_respond_problem (&req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", "Method not allowed", NULL, NULL);
        }
      else
        _sd_respond_not_found (&req);
      return;
    }

  req.params = params;
  req.gzip = soup_header_contains (soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                                 "Accept-Encoding") ?: "", "gzip");
  if (found->public || _sd_authenticate (&req))
    {
      if (req.user_id != NULL)
        g_object_set_data_full (G_OBJECT (msg), "sd-user", g_strdup (req.user_id), g_free);
      if (found->heavy && self->builders != NULL)
        job_start (&req, found->handler);
      else if (found->bulk && self->bulk != NULL)
        job_start_bulk (&req, found->handler);
      else
        {
          _sd_request_audit_begin (&req);
          found->handler (&req);
          _sd_request_audit_end (&req);
          /* A write may move a clock: the scheduler reads the change feed. */
          if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
            sd_scheduler_changed (self->scheduler);
        }
    }

  g_free (req.user_id);
  g_free (req.session);
  g_clear_object (&req.user);
  g_strfreev (req.visible);
  g_clear_pointer (&req.contexts, g_hash_table_unref);
}
