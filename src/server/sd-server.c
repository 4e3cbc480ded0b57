/* sd-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <supportdesk.h>

#include "sd-auth.h"
#include "sd-listener.h"
#include "sd-request-body.h"
#include "sd-server.h"
#include "sd-throttle.h"

#define API_PREFIX          "/api/v1"
#define DEFAULT_MAX_BODY    (1024 * 1024)
#define DEFAULT_PAGE        100
#define MAX_PAGE            1000
#define MAX_PAGE_BYTES      (4 * 1024 * 1024)  /* a page ends early past this… */
#define PAGE_TIME_BUDGET    (20 * 1000)        /* …or after this many µs of work… */
#define PAGE_MIN_ITEMS      100                /* …once it has this many items */
#define PAGE_CHUNK          128                /* records read from the store at a time */
#define MAX_TITLE           300                /* characters */
#define MAX_DESCRIPTION     20000
#define MAX_COMMENT         20000
#define TOKEN_LIFETIME      (30 * 24 * 3600)
#define THROTTLE_FAILURES   5      /* sign-in attempts per login and address… */
#define THROTTLE_WINDOW     60     /* …in this many seconds */
#define THROTTLE_ENTRIES    10000  /* logins and addresses remembered at once */
#define MAX_LOGIN           256    /* bytes */
#define MAX_PASSWORD        1024   /* bytes */
#define MAX_PASSWORD_CHECKS 4      /* argon2id runs at once, 64 MiB each */
#define MAX_READERS         2      /* threads that build pages, each with a connection */

struct _SdServer
{
  GObject     parent_instance;

  SdStore    *store;        /* owned */
  SoupServer *soup;         /* owned */
  SdListener *listener;     /* owned */
  gsize       max_body;
  SdThrottle *attempts;     /* sign-ins per login and address */
  guint       checking;     /* password checks running */
  GHashTable *calendars;    /* "id:version" → SdCalendar, for the main thread */
  GThreadPool *builders;    /* owned; NULL: pages are built on the main loop */
  GAsyncQueue *readers;     /* owned: idle Reader, each used by one thread at a time */
  char        *test_gate;   /* SUPPORTDESK_TEST_PAGE_GATE, for tests only */
};

G_DEFINE_FINAL_TYPE (SdServer, sd_server, G_TYPE_OBJECT)

/* An answer built off the main loop, applied to the message on it. */
typedef struct {
  guint      status;
  char      *content_type;
  char      *body;
  GPtrArray *headers;  /* char *: name, value, name, value, … */
} SdReply;

typedef struct {
  SdServer          *server;     /* borrowed */
  SoupServerMessage *msg;        /* borrowed; NULL off the main loop */
  SdStore           *store;      /* borrowed: where reads go (a reader's off the main loop) */
  GHashTable        *calendars;  /* borrowed: this thread's calendar cache */
  SdReply           *reply;      /* borrowed; set off the main loop: the answer goes here */
  const gint        *gone;       /* borrowed, atomic, may be NULL: the client went away */
  GPtrArray         *params;     /* char *, the {placeholders} */
  GHashTable        *query;      /* borrowed, may be NULL */
  char              *user_id;
  SdUser            *user;
  gboolean           visible_loaded;
  GStrv              visible;    /* NULL: every customer */
  GHashTable        *contexts;   /* customer id → SlaContext, for this request */
} SdRequest;

/* What the SLA engine needs to know about a customer. */
typedef struct {
  SdCustomer  *customer;
  SdSlaPolicy *policy;
  SdCalendar  *calendar;
} SlaContext;

static void
sla_context_free (SlaContext *context)
{
  g_clear_object (&context->customer);
  g_clear_object (&context->policy);
  g_clear_object (&context->calendar);
  g_free (context);
}

typedef void (*SdHandler) (SdRequest *req);

typedef struct {
  SdServerRoute route;
  SdHandler     handler;
  gboolean      public;
  gboolean      heavy;   /* a read built off the main loop when it can be */
} Route;

/* ---------------------------------------------------------------- replies */

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

static void
request_set_header (SdRequest  *req,
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
respond (SdRequest  *req,
         guint       status,
         const char *content_type,
         char       *body)  /* (transfer full) */
{
  if (req->reply != NULL)
    {
      req->reply->status = status;
      g_free (req->reply->content_type);
      req->reply->content_type = g_strdup (content_type);
      g_free (req->reply->body);
      req->reply->body = body;
      return;
    }
  soup_server_message_set_status (req->msg, status, reason_phrase (status));
  if (body != NULL)
    soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_TAKE,
                                      body, strlen (body));
}

static void
respond_json (SdRequest *req,
              guint      status,
              char      *json)  /* (transfer full) */
{
  respond (req, status, "application/json", json);
}

static void
respond_node (SdRequest *req,
              guint      status,
              JsonNode  *node)
{
  respond_json (req, status, sd_json_to_string (node, FALSE));
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

static void
respond_problem (SdRequest  *req,
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

static void
respond_invalid (SdRequest    *req,
                 const GError *error)
{
  g_autofree char *field = field_from_error (error);

  respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation",
                   "The request is not valid", error->message, field);
}

static void
respond_not_found (SdRequest *req)
{
  respond_problem (req, SOUP_STATUS_NOT_FOUND, "not-found", "Not found",
                   "There is no such resource, or you may not see it.", NULL);
}

static void
respond_store_error (SdRequest    *req,
                     const GError *error)
{
  if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
    respond_not_found (req);
  else if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS))
    /* The same answer whoever's it is, and deleted or not. */
    respond_problem (req, SOUP_STATUS_CONFLICT, "exists", "It exists already",
                     "This id is taken; choose another (a new UUID).", "id");
  else if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_IDEMPOTENCY_MISMATCH))
    respond_problem (req, SOUP_STATUS_UNPROCESSABLE_ENTITY, "idempotency-key-reused",
                     "This Idempotency-Key was sent with another request",
                     "Send a new Idempotency-Key for a different request.", "Idempotency-Key");
  else if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_UNAVAILABLE))
    {
      request_set_header (req, "Retry-After", "60");
      respond_problem (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-unavailable",
                       "The server cannot store data now", NULL, NULL);
    }
  else
    {
      g_warning ("storage failed: %s", error->message);
      respond_problem (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "storage",
                       "The server could not store the data", NULL, NULL);
    }
}

/* --------------------------------------------------------------- requests */

static JsonObject *
read_body (SdRequest  *req,
           JsonNode  **root)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size > req->server->max_body)
    {
      respond_problem (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
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
      respond_problem (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "media-type",
                       "The request body must be application/json"
                       " (or application/merge-patch+json for PATCH)", NULL, NULL);
      return NULL;
    }

  *root = sd_json_parse (size ? data : "", size, &error);
  if (*root == NULL)
    {
      respond_invalid (req, error);
      return NULL;
    }
  object = sd_json_node_get_object (*root, NULL, &error);
  if (object == NULL)
    {
      g_clear_pointer (root, json_node_unref);
      respond_invalid (req, error);
      return NULL;
    }
  return object;
}

static const char *
query_get (SdRequest  *req,
           const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

static gboolean
query_get_int (SdRequest  *req,
               const char *name,
               gint64      min,
               gint64      max,
               gint64      fallback,
               gint64     *out)
{
  const char *text = query_get (req, name);
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (text, 10, min, max, out, &error))
    {
      g_autofree char *detail = g_strdup_printf ("Query parameter “%s”: %s", name, error->message);

      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       detail, name);
      return FALSE;
    }
  return TRUE;
}

/* The If-Match version: "<n>" or W/"<n>". Responds and returns -1 on error. */
static gint64
request_if_match (SdRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *value = soup_message_headers_get_one (headers, "If-Match");
  g_autofree char *bare = NULL;
  guint64 version;

  if (value == NULL)
    {
      respond_problem (req, 428, "precondition-required", "If-Match is required",
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
      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       "If-Match must be an entity version such as \"3\".", "If-Match");
      return -1;
    }
  return (gint64) version;
}

static void
set_etag (SdRequest *req,
          gint64     version)
{
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);

  request_set_header (req, "ETag", etag);
}

/* ------------------------------------------------------------- visibility */

static gboolean
role_sees_everything (SdRole role)
{
  return role == SD_ROLE_ADMIN || role == SD_ROLE_ENGINEER;
}

static gboolean
customer_is_visible_to (SdCustomer *customer,
                        const char *user_id)
{
  const char * const *duty = sd_customer_get_duty_manager_ids (customer);

  return g_strcmp0 (sd_customer_get_tam_id (customer), user_id) == 0
         || (duty != NULL && g_strv_contains (duty, user_id));
}

/* The customers the user may see; NULL means all of them. */
static const char * const *
request_visible (SdRequest *req)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  SdStoreQuery query = { 0 };

  if (req->visible_loaded)
    return (const char * const *) req->visible;
  req->visible_loaded = TRUE;

  if (role_sees_everything (sd_user_get_role (req->user)))
    return NULL;

  ids = g_ptr_array_new ();
  records = sd_store_list (req->store, "customer", &query, NULL);
  for (guint i = 0; records && i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = sd_json_parse (record->body, -1, NULL);
      g_autoptr(SdCustomer) customer = node ? sd_customer_from_json (node, NULL, NULL) : NULL;

      if (customer != NULL && customer_is_visible_to (customer, req->user_id))
        g_ptr_array_add (ids, g_strdup (record->id));
    }
  g_ptr_array_add (ids, NULL);
  req->visible = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  return (const char * const *) req->visible;
}

static gboolean
request_may_see (SdRequest  *req,
                 const char *customer_id)
{
  const char * const *visible = request_visible (req);

  return visible == NULL || (customer_id != NULL && g_strv_contains (visible, customer_id));
}

/* A record the user may see, or a 404 already sent. */
static SdStoreRecord *
request_get_visible (SdRequest  *req,
                     const char *kind,
                     const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, kind, id, &error);

  if (record == NULL)
    {
      respond_store_error (req, error);
      return NULL;
    }
  if (record->customer_id != NULL && !request_may_see (req, record->customer_id))
    {
      respond_not_found (req);
      return NULL;
    }
  return g_steal_pointer (&record);
}

/* ------------------------------------------------------------------- SLA */

static SdSlaPolicy *
load_policy (SdRequest *req,
             SdTier     tier)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "sla_policy", sd_tier_to_string (tier), NULL);

  if (record != NULL)
    {
      g_autoptr(JsonNode) node = sd_json_parse (record->body, -1, NULL);
      SdSlaPolicy *policy = node ? sd_sla_policy_from_json (node, NULL, NULL) : NULL;

      if (policy != NULL)
        return policy;
    }
  return sd_sla_policy_new_for_tier (tier);
}

static SdCalendar *
load_calendar (SdRequest  *req,
               SdCustomer *customer)
{
  const char *id = sd_customer_get_calendar_id (customer);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autofree char *key = NULL;
  SdCalendar *calendar;

  if (id != NULL)
    record = sd_store_get (req->store, "calendar", id, NULL);

  if (record == NULL)
    {
      g_autoptr(SdCalendar) builtin = id ? sd_calendar_new_builtin (id) : NULL;

      if (builtin != NULL)
        return g_steal_pointer (&builtin);
      key = g_strconcat ("zone:", sd_customer_get_time_zone (customer), NULL);
    }
  else
    key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, record->id, record->version);

  /* Calendars build their day tables lazily: keep them across requests
   * (one cache per thread that reads). */
  calendar = g_hash_table_lookup (req->calendars, key);
  if (calendar != NULL)
    return g_object_ref (calendar);

  if (record != NULL)
    {
      g_autoptr(JsonNode) node = sd_json_parse (record->body, -1, NULL);

      calendar = node ? sd_calendar_from_json (node, NULL, NULL) : NULL;
    }
  if (calendar == NULL)
    calendar = sd_calendar_new_for_time_zone (sd_customer_get_time_zone (customer), NULL);
  if (calendar == NULL)
    calendar = sd_calendar_new_for_time_zone ("UTC", NULL);

  g_hash_table_insert (req->calendars, g_steal_pointer (&key), g_object_ref (calendar));
  return calendar;
}

static SdCustomer *
load_customer (SdRequest  *req,
               const char *id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "customer", id, NULL);
  g_autoptr(JsonNode) node = record ? sd_json_parse (record->body, -1, NULL) : NULL;

  return node ? sd_customer_from_json (node, NULL, NULL) : NULL;
}

static GPtrArray *
load_events (SdRequest  *req,
             const char *case_id)
{
  GPtrArray *events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) records = NULL;
  SdStoreQuery query = { .parent_id = case_id };

  records = sd_store_list (req->store, "case_event", &query, NULL);
  for (guint i = 0; records && i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = sd_json_parse (record->body, -1, NULL);
      SdCaseEvent *event = node ? sd_case_event_from_json (node, NULL, NULL) : NULL;

      if (event != NULL)
        g_ptr_array_add (events, event);
    }
  return events;
}

static SlaContext *
request_sla_context (SdRequest  *req,
                     const char *customer_id)
{
  SlaContext *context;
  g_autoptr(SdCustomer) customer = NULL;

  if (req->contexts == NULL)
    req->contexts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) sla_context_free);
  if ((context = g_hash_table_lookup (req->contexts, customer_id)))
    return context;
  if (!(customer = load_customer (req, customer_id)))
    return NULL;

  context = g_new0 (SlaContext, 1);
  context->policy = load_policy (req, sd_customer_get_tier (customer));
  context->calendar = load_calendar (req, customer);
  context->customer = g_steal_pointer (&customer);
  g_hash_table_insert (req->contexts, g_strdup (customer_id), context);
  return context;
}

/* The case as clients see it: the stored document plus the SLA clocks
 * computed now with the core engine. */
static JsonNode *
case_with_sla (SdRequest  *req,
               const char *body)
{
  g_autoptr(JsonNode) node = sd_json_parse (body, -1, NULL);
  g_autoptr(SdCase) kase = node ? sd_case_from_json (node, NULL, NULL) : NULL;
  g_autoptr(GPtrArray) events = NULL;
  SlaContext *context;
  SdSlaResult result;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (kase == NULL || !(context = request_sla_context (req, sd_case_get_customer_id (kase))))
    return g_steal_pointer (&node);

  events = load_events (req, sd_case_get_id (kase));
  sd_case_compute_sla (kase, events, context->policy, context->calendar,
                       sd_customer_get_tier (context->customer), now, &result);
  sd_case_set_sla (kase, &result, now);
  return sd_case_to_json (kase);
}

/* Other users are seen without their login and e-mail address. */
static char *
user_limited_view (const char *body)
{
  g_autoptr(JsonNode) node = sd_json_parse (body, -1, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  json_object_remove_member (json_node_get_object (node), "login");
  json_object_remove_member (json_node_get_object (node), "email");
  return sd_json_to_string (node, FALSE);
}

static char *
record_to_client (SdRequest     *req,
                  SdStoreRecord *record)
{
  if (record->body == NULL)
    return NULL;
  if (g_strcmp0 (record->kind, "case") == 0)
    {
      g_autoptr(JsonNode) node = case_with_sla (req, record->body);

      return sd_json_to_string (node, FALSE);
    }
  if (g_strcmp0 (record->kind, "user") == 0 && g_strcmp0 (record->id, req->user_id) != 0)
    return user_limited_view (record->body);
  return g_strdup (record->body);
}

/* ----------------------------------------------------------------- lists */

/* Whether a page being rendered since @started must end after its
 * first @n items: one request never holds memory for long, nor the main
 * loop when the page is built on it (a database in memory has no
 * readers). Clients follow the cursor whatever the page's length; pages
 * of up to PAGE_MIN_ITEMS items end early only for their size. */
static gboolean
page_is_full (SdRequest *req,
              GString   *json,
              guint      n,
              gint64     started)
{
  return n > 0 && (json->len > MAX_PAGE_BYTES
                   || (req->reply == NULL && n >= PAGE_MIN_ITEMS
                       && g_get_monotonic_time () - started > PAGE_TIME_BUDGET));
}

/* For tests only (docs/security.md): with SUPPORTDESK_TEST_PAGE_GATE
 * set to a directory, building a page creates “held” there and waits
 * until “release” appears. */
static void
hold_for_test (SdRequest *req)
{
  g_autofree char *held = NULL;
  g_autofree char *release = NULL;

  if (req->server->test_gate == NULL)
    return;
  held = g_build_filename (req->server->test_gate, "held", NULL);
  release = g_build_filename (req->server->test_gate, "release", NULL);
  g_file_set_contents (held, "", 0, NULL);
  while (!g_file_test (release, G_FILE_TEST_EXISTS))
    g_usleep (10 * 1000);
}

/* Answers one page of @query (its after_id taken from the cursor), at
 * most @limit items, read from the store a chunk at a time so that a page
 * that ends early has not read the rest. */
static void
respond_page (SdRequest    *req,
              const char   *kind,
              SdStoreQuery *query,
              guint         limit)
{
  g_autofree char *after = g_strdup (query_get (req, "cursor"));
  g_autofree char *last = NULL;
  GString *json;
  gint64 started;
  gboolean more = FALSE, full = FALSE;
  guint n = 0;

  hold_for_test (req);
  json = g_string_new ("{\"items\":[");
  started = g_get_monotonic_time ();

  while (!full)
    {
      g_autoptr(GPtrArray) records = NULL;
      g_autoptr(GError) error = NULL;
      guint take;

      /* Nobody waits for the rest. */
      if (req->gone != NULL && g_atomic_int_get (req->gone))
        break;
      query->after_id = after;
      query->limit = MIN (limit - n, PAGE_CHUNK) + 1;
      if (!(records = sd_store_list (req->store, kind, query, &error)))
        {
          g_string_free (json, TRUE);
          respond_store_error (req, error);
          return;
        }
      take = MIN (records->len, query->limit - 1);
      for (guint i = 0; i < take && !full; i++)
        {
          SdStoreRecord *record = records->pdata[i];
          g_autofree char *item = NULL;

          if ((full = page_is_full (req, json, n, started)))
            break;
          item = record_to_client (req, record);
          if (n++ > 0)
            g_string_append_c (json, ',');
          g_string_append (json, item);
          g_free (last);
          last = g_strdup (record->id);
        }
      /* The chunk's extra record says whether more follow. */
      more = full || records->len > take;
      if (!more || n == limit)
        break;
      g_free (after);
      after = g_strdup (last);
    }
  g_string_append (json, "],\"next_cursor\":");
  if (more && last != NULL)
    g_string_append_printf (json, "\"%s\"", last);
  else
    g_string_append (json, "null");
  g_string_append_c (json, '}');
  respond_json (req, SOUP_STATUS_OK, g_string_free (json, FALSE));
}

static void
list_kind (SdRequest           *req,
           const char          *kind,
           gboolean             scoped,
           const SdStoreFilter *filters,
           guint                n_filters)
{
  SdStoreQuery query = { 0 };
  gint64 limit;

  if (!query_get_int (req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit))
    return;

  query.customer_ids = scoped ? request_visible (req) : NULL;
  query.filters = filters;
  query.n_filters = n_filters;
  respond_page (req, kind, &query, limit);
}

static void
get_kind (SdRequest  *req,
          const char *kind)
{
  g_autoptr(SdStoreRecord) record = request_get_visible (req, kind, req->params->pdata[0]);

  if (record == NULL)
    return;
  set_etag (req, record->version);
  respond_json (req, SOUP_STATUS_OK, record_to_client (req, record));
}

/* ------------------------------------------------------------------- auth */

typedef struct {
  SdServer          *server;
  SoupServerMessage *msg;
  char              *login;
  char              *throttle_key;
  char              *password;
  char              *user_id;
  char              *password_hash;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->server);
  g_clear_object (&sign_in->msg);
  g_free (sign_in->login);
  g_free (sign_in->throttle_key);
  if (sign_in->password != NULL)
    {
      memset (sign_in->password, 0, strlen (sign_in->password));
      g_free (sign_in->password);
    }
  g_free (sign_in->user_id);
  g_free (sign_in->password_hash);
  g_free (sign_in);
}

static void
sign_in_verify_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  SignIn *sign_in = task_data;

  g_task_return_boolean (task, sd_auth_verify_password (sign_in->password_hash, sign_in->password));
}

static void
respond_retry_later (SdRequest  *req,
                     guint       status,
                     gint64      seconds,
                     const char *slug,
                     const char *title)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, seconds);

  request_set_header (req, "Retry-After", value);
  respond_problem (req, status, slug, title, "Wait before trying again.", NULL);
}

static void
sign_in_verified_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SignIn *sign_in = g_task_get_task_data (G_TASK (result));
  SdRequest req = { .server = sign_in->server, .msg = sign_in->msg, .store = sign_in->server->store,
                    .calendars = sign_in->server->calendars };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;

  sign_in->server->checking--;
  if (!g_task_propagate_boolean (G_TASK (result), NULL) || sign_in->user_id == NULL)
    {
      respond_problem (&req, SOUP_STATUS_UNAUTHORIZED, "sign-in",
                       "Wrong login or password", NULL, NULL);
    }
  else
    {
      g_autofree char *token = sd_auth_new_token ();
      g_autofree char *token_hash = sd_auth_hash_token (token);
      gint64 expires_at = now + TOKEN_LIFETIME;

      sd_throttle_forget (sign_in->server->attempts, sign_in->throttle_key);
      if (!sd_store_add_token (sign_in->server->store, token_hash, sign_in->user_id, expires_at, &error))
        respond_store_error (&req, error);
      else
        {
          g_autoptr(SdStoreRecord) user = sd_store_get (sign_in->server->store, "user", sign_in->user_id, NULL);
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autoptr(JsonNode) user_node = user ? sd_json_parse (user->body, -1, NULL) : NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "token");
          json_builder_add_string_value (builder, token);
          json_builder_set_member_name (builder, "token_type");
          json_builder_add_string_value (builder, "Bearer");
          sd_json_builder_add_time (builder, "expires_at", expires_at);
          json_builder_set_member_name (builder, "user");
          if (user_node != NULL)
            json_builder_add_value (builder, g_steal_pointer (&user_node));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          request_set_header (&req, "Cache-Control", "no-store");
          respond_node (&req, SOUP_STATUS_CREATED, root);
        }
    }
  soup_server_message_unpause (sign_in->msg);
}

/* An argon2id hash of a password nobody has, so that an unknown login
 * costs as much time as a wrong password. */
static const char *
dummy_hash (void)
{
  static gsize initialized;
  static char *hash;

  if (g_once_init_enter (&initialized))
    {
      hash = sd_auth_hash_password ("not a password", NULL);
      g_once_init_leave (&initialized, 1);
    }
  return hash;
}

static void
handle_sign_in (SdRequest *req)
{
  static const char * const known[] = { "login", "password", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  const char *login = NULL, *password = NULL;
  g_autofree char *throttle_key = NULL;
  JsonObject *body;
  SignIn *sign_in;
  gint64 retry_after = 0;

  if (!(body = read_body (req, &root)))
    return;
  if (!sd_json_check_fields (body, NULL, known, &error)
      || !sd_json_get_text (body, NULL, "login", TRUE, &login, &error)
      || !sd_json_get_text (body, NULL, "password", TRUE, &password, &error))
    {
      respond_invalid (req, error);
      return;
    }

  if (strlen (login) > MAX_LOGIN || strlen (password) > MAX_PASSWORD)
    {
      gboolean long_login = strlen (login) > MAX_LOGIN;
      g_autofree char *detail = g_strdup_printf ("Field “%s” is longer than %d bytes",
                                                 long_login ? "login" : "password",
                                                 long_login ? MAX_LOGIN : MAX_PASSWORD);

      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       detail, long_login ? "login" : "password");
      return;
    }

  /* Attempts count per login and client address: a stranger guessing
   * does not lock the owner out from elsewhere. */
  throttle_key = g_strconcat (login, "\x1f", soup_server_message_get_remote_host (req->msg), NULL);
  if ((retry_after = sd_throttle_count (req->server->attempts, throttle_key,
                                        g_get_real_time () / G_USEC_PER_SEC)) > 0)
    {
      respond_retry_later (req, 429, retry_after, "throttled", "Too many failed sign-ins");
      return;
    }

  /* Each password check holds 64 MiB for a while: a few at once. */
  if (req->server->checking >= MAX_PASSWORD_CHECKS)
    {
      respond_retry_later (req, SOUP_STATUS_SERVICE_UNAVAILABLE, 1, "busy",
                           "Too many sign-ins at once");
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->server = g_object_ref (req->server);
  sign_in->msg = g_object_ref (req->msg);
  sign_in->login = g_strdup (login);
  sign_in->throttle_key = g_strdup (throttle_key);
  sign_in->password = g_strdup (password);
  if (!sd_store_get_password (req->store, login, &sign_in->user_id,
                              &sign_in->password_hash, NULL))
    sign_in->password_hash = g_strdup (dummy_hash ());

  /* The KDF is slow on purpose: keep it off the loop that serves requests. */
  req->server->checking++;
  soup_server_message_pause (req->msg);
  task = g_task_new (req->server, NULL, sign_in_verified_cb, NULL);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, sign_in_verify_thread);
}

static char *
bearer_token_hash (SoupServerMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "Authorization");

  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0 || value[7] == '\0')
    return NULL;
  return sd_auth_hash_token (value + 7);
}

static void
handle_sign_out (SdRequest *req)
{
  g_autofree char *token_hash = bearer_token_hash (req->msg);
  g_autoptr(GError) error = NULL;

  if (!sd_store_remove_token (req->store, token_hash, &error))
    respond_store_error (req, error);
  else
    soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static gboolean
authenticate (SdRequest *req)
{
  g_autofree char *token_hash = bearer_token_hash (req->msg);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (token_hash != NULL)
    req->user_id = sd_store_find_token (req->store, token_hash,
                                        g_get_real_time () / G_USEC_PER_SEC, NULL);
  if (req->user_id != NULL)
    record = sd_store_get (req->store, "user", req->user_id, NULL);
  if (record != NULL)
    node = sd_json_parse (record->body, -1, NULL);
  if (node != NULL)
    req->user = sd_user_from_json (node, NULL, NULL);

  if (req->user == NULL)
    {
      request_set_header (req, "WWW-Authenticate", "Bearer realm=\"supportdesk\"");
      respond_problem (req, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                       "Sign in first", "Send Authorization: Bearer <token> from POST /api/v1/auth/token.",
                       NULL);
      return FALSE;
    }
  return TRUE;
}

static void
handle_me (SdRequest *req)
{
  g_autoptr(JsonNode) node = sd_user_to_json (req->user);

  set_etag (req, sd_user_get_version (req->user));
  respond_node (req, SOUP_STATUS_OK, node);
}

/* ------------------------------------------------------ simple resources */

static void handle_list_customers (SdRequest *req) { list_kind (req, "customer", TRUE, NULL, 0); }
static void handle_get_customer (SdRequest *req) { get_kind (req, "customer"); }
static void handle_list_users (SdRequest *req) { list_kind (req, "user", FALSE, NULL, 0); }
static void handle_get_user (SdRequest *req) { get_kind (req, "user"); }
static void handle_list_calendars (SdRequest *req) { list_kind (req, "calendar", FALSE, NULL, 0); }
static void handle_get_calendar (SdRequest *req) { get_kind (req, "calendar"); }
static void handle_list_policies (SdRequest *req) { list_kind (req, "sla_policy", FALSE, NULL, 0); }
static void handle_get_policy (SdRequest *req) { get_kind (req, "sla_policy"); }
static void handle_list_templates (SdRequest *req) { list_kind (req, "checklist_template", FALSE, NULL, 0); }
static void handle_get_template (SdRequest *req) { get_kind (req, "checklist_template"); }

/* ---------------------------------------------------------------- writes */

typedef struct _Render Render;
typedef JsonNode *(*Encoder) (Render *render, gint64 version, gint64 updated_at, GError **error);

struct _Render {
  GObject *object;
  Encoder  encode;
  SdStore *store;
};

/* Runs inside the store's write, once it is sure to happen. */
static char *
render_cb (gint64     version,
           gint64     updated_at,
           gpointer   user_data,
           GError   **error)
{
  Render *render = user_data;
  g_autoptr(JsonNode) node = render->encode (render, version, updated_at, error);

  return node ? sd_json_to_string (node, FALSE) : NULL;
}

static JsonNode *
encode_case (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  GObject *object = render->object;

  /* A new case takes the next number of the year only when it is stored:
   * a replayed or refused create uses none. */
  if (sd_case_get_number (SD_CASE (object)) == NULL)
    {
      g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
      g_autofree char *counter = g_strdup_printf ("case-number-%d", g_date_time_get_year (today));
      g_autofree char *number = NULL;
      gint64 n = sd_store_next_counter (render->store, counter, error);

      if (n < 0)
        return NULL;
      number = g_strdup_printf ("SD-%d-%05" G_GINT64_FORMAT, g_date_time_get_year (today), n);
      sd_case_set_number (SD_CASE (object), number);
    }
  sd_case_set_version (SD_CASE (object), version);
  sd_case_set_updated_at (SD_CASE (object), updated_at);
  sd_case_set_sla (SD_CASE (object), NULL, 0);
  return sd_case_to_json (SD_CASE (object));
}

static JsonNode *
encode_event (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  return sd_case_event_to_json (SD_CASE_EVENT (render->object));
}

static JsonNode *
encode_health_check (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_health_check_set_version (SD_HEALTH_CHECK (render->object), version);
  sd_health_check_set_updated_at (SD_HEALTH_CHECK (render->object), updated_at);
  return sd_health_check_to_json (SD_HEALTH_CHECK (render->object));
}

/* "Idempotency-Key" scoped to the user and the path, with a digest of
 * the body (SD_STORE_DIGEST_SEPARATOR), or NULL. Responds on a bad key. */
static gboolean
request_idempotency (SdRequest  *req,
                     char      **out)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                  "Idempotency-Key");

  *out = NULL;
  if (key == NULL)
    return TRUE;
  if (*key == '\0' || strlen (key) > 128 || !g_str_is_ascii (key))
    {
      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       "Idempotency-Key must be 1 to 128 ASCII characters (a UUID).", "Idempotency-Key");
      return FALSE;
    }
  {
    g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
    g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);

    *out = g_strconcat (req->user_id, "\x1f", soup_server_message_get_method (req->msg), " ",
                        g_uri_get_path (soup_server_message_get_uri (req->msg)), "\x1f", key,
                        SD_STORE_DIGEST_SEPARATOR, digest, NULL);
  }
  return TRUE;
}

static void
respond_created (SdRequest     *req,
                 SdStoreRecord *record,
                 const char    *location)
{
  /* A replay answers only what the user may still see. */
  if (record->customer_id != NULL && !request_may_see (req, record->customer_id))
    {
      respond_not_found (req);
      return;
    }
  if (record->deleted)
    {
      respond_problem (req, SOUP_STATUS_CONFLICT, "idempotency-key-used",
                       "This Idempotency-Key created something that has been deleted since",
                       "Send a new Idempotency-Key to create it again.", "Idempotency-Key");
      return;
    }
  request_set_header (req, "Location", location);
  set_etag (req, record->version);
  respond_json (req, SOUP_STATUS_CREATED, record_to_client (req, record));
}

static void
respond_conflict (SdRequest     *req,
                  SdStoreRecord *current)
{
  set_etag (req, current->version);
  respond_json (req, SOUP_STATUS_PRECONDITION_FAILED, record_to_client (req, current));
}

static gboolean
check_customer_field (SdRequest  *req,
                      const char *path,
                      const char *customer_id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "customer", customer_id, NULL);

  if (record == NULL || !request_may_see (req, customer_id))
    {
      g_autofree char *field = g_strconcat (path, ".customer_id", NULL);
      g_autofree char *detail = g_strdup_printf ("Field “%s”: there is no customer “%s”", field, customer_id);

      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       detail, field);
      return FALSE;
    }
  return TRUE;
}

static SdStoreRecord *
append_event (SdRequest    *req,
              SdCaseEvent  *event,
              const char   *customer_id,
              const char   *idempotency,
              GError      **error)
{
  Render render = { G_OBJECT (event), encode_event, req->store };

  return sd_store_put (req->store, "case_event", sd_case_event_get_id (event),
                       customer_id, sd_case_event_get_case_id (event), 0, idempotency,
                       render_cb, &render, NULL, error);
}

/* ----------------------------------------------------------------- cases */

static gboolean
add_filter (SdRequest     *req,
            SdStoreFilter *filters,
            guint         *n,
            const char    *param,
            const char    *path,
            gboolean     (*valid) (const char *))
{
  const char *value = query_get (req, param);

  if (value == NULL)
    return TRUE;
  if (valid != NULL && !valid (value))
    {
      g_autofree char *detail = g_strdup_printf ("Query parameter “%s”: unknown value “%s”", param, value);

      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid", detail, param);
      return FALSE;
    }
  filters[*n].path = path;
  filters[*n].value = value;
  (*n)++;
  return TRUE;
}

static gboolean valid_status (const char *v) { SdCaseStatus s; return sd_case_status_from_string (v, &s); }
static gboolean valid_type (const char *v) { SdCaseType t; return sd_case_type_from_string (v, &t); }
static gboolean valid_severity (const char *v) { return strlen (v) == 1 && v[0] >= '1' && v[0] <= '4'; }
static gboolean valid_hc_status (const char *v) { SdHealthCheckStatus s; return sd_health_check_status_from_string (v, &s); }

static void
handle_list_cases (SdRequest *req)
{
  SdStoreFilter filters[5];
  guint n = 0;

  if (add_filter (req, filters, &n, "status", "$.status", valid_status)
      && add_filter (req, filters, &n, "severity", "$.severity", valid_severity)
      && add_filter (req, filters, &n, "type", "$.type", valid_type)
      && add_filter (req, filters, &n, "customer_id", "$.customer_id", NULL)
      && add_filter (req, filters, &n, "assignee_id", "$.assignee_id", NULL))
    list_kind (req, "case", TRUE, filters, n);
}

static void
handle_get_case (SdRequest *req)
{
  get_kind (req, "case");
}

/* The contract's rules for a health check as asked or (re)scheduled. */
static gboolean
check_health_check (SdRequest  *req,
                    GObject    *entity,
                    GError    **error)
{
  SdHealthCheck *check = SD_HEALTH_CHECK (entity);
  g_autoptr(SdCustomer) customer = load_customer (req, sd_health_check_get_customer_id (check));
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  SdStoreFilter filter = { "$.customer_id", sd_health_check_get_customer_id (check) };
  SdStoreQuery query = { .filters = &filter, .n_filters = 1 };

  if (customer == NULL)
    return TRUE;  /* check_customer_field () answers */
  calendar = load_calendar (req, customer);
  records = sd_store_list (req->store, "health_check", &query, NULL);
  for (guint i = 0; records && i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = sd_json_parse (record->body, -1, NULL);
      SdHealthCheck *other = node ? sd_health_check_from_json (node, NULL, NULL) : NULL;

      if (other != NULL)
        g_ptr_array_add (others, other);
    }
  return sd_health_check_check_rules (check, customer, calendar, others, error);
}

/* A check asked for without its checklist gets the items of the
 * built-in template, in the language of the request's Accept-Language. */
static gboolean
prepare_health_check (SdRequest   *req,
                      JsonObject  *object,
                      GError     **error)
{
  g_autoptr(SdChecklistTemplate) template = NULL;
  g_autoptr(GPtrArray) items = NULL;
  JsonNode *member = json_object_get_member (object, "items");
  const char *template_id = SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY;
  const char *language;
  gint64 version = 0;
  JsonArray *array;

  if (member != NULL && !JSON_NODE_HOLDS_NULL (member)
      && !(JSON_NODE_HOLDS_ARRAY (member) && json_array_get_length (json_node_get_array (member)) == 0))
    return TRUE;  /* the client's own checklist (made offline from the same template) */
  if (!sd_json_get_id (object, "health_check", "template_id", FALSE, &template_id, error)
      || !sd_json_get_int (object, "health_check", "template_version", FALSE, 1, G_MAXINT32, &version, error))
    return FALSE;
  if (!(template = sd_checklist_template_new_builtin (template_id, NULL)))
    return sd_json_set_invalid (error, "health_check", "template_id",
                                "there is no checklist template “%s”", template_id);
  if (version != 0 && version != sd_checklist_template_get_version (template))
    return sd_json_set_invalid (error, "health_check", "template_version",
                                "version %" G_GINT64_FORMAT " of “%s” is not available (the server has version %u); "
                                "send the items with the check", version, template_id,
                                sd_checklist_template_get_version (template));

  language = sd_checklist_language_from_locale (
    soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), "Accept-Language"));
  items = sd_checklist_template_instantiate (template, language);
  array = json_array_sized_new (items->len);
  for (guint i = 0; i < items->len; i++)
    json_array_add_element (array, sd_checklist_item_to_json (items->pdata[i]));
  json_object_set_array_member (object, "items", array);
  json_object_set_string_member (object, "template_id", sd_checklist_template_get_id (template));
  json_object_set_int_member (object, "template_version", sd_checklist_template_get_version (template));
  return TRUE;
}

/* What POST on a collection needs to know about its entity. */
typedef struct {
  const char         *kind;
  const char         *collection;   /* under /api/v1 */
  const char * const *read_only;
  const char         *default_status;
  gboolean          (*prepare)         (SdRequest *req, JsonObject *object, GError **error);
  GObject          *(*decode)          (JsonNode *node, const char *path, GError **error);
  const char       *(*get_id)          (gpointer object);
  const char       *(*get_customer_id) (gpointer object);
  Encoder             encode;
  gboolean          (*check)           (SdRequest *req, GObject *entity, GError **error);
} Creatable;

static gboolean
check_text_length (const char  *text,
                   const char  *path,
                   const char  *field,
                   glong        max,
                   GError     **error)
{
  if (text != NULL && g_utf8_strlen (text, -1) > max)
    return sd_json_set_invalid (error, path, field, "longer than %ld characters", max);
  return TRUE;
}

/* The assignee is a user who may see the case's customer. */
static gboolean
check_assignee (SdRequest  *req,
                SdCase     *kase,
                GError    **error)
{
  const char *assignee_id = sd_case_get_assignee_id (kase);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdUser) assignee = NULL;
  g_autoptr(SdCustomer) customer = NULL;

  if (assignee_id == NULL)
    return TRUE;
  record = sd_store_get (req->store, "user", assignee_id, NULL);
  node = record && record->body ? sd_json_parse (record->body, -1, NULL) : NULL;
  assignee = node ? sd_user_from_json (node, NULL, NULL) : NULL;
  customer = load_customer (req, sd_case_get_customer_id (kase));
  if (assignee == NULL || customer == NULL
      || !(role_sees_everything (sd_user_get_role (assignee))
           || customer_is_visible_to (customer, assignee_id)))
    return sd_json_set_invalid (error, "case", "assignee_id",
                                "there is no user “%s” who may see this customer", assignee_id);
  return TRUE;
}

/* The service-request rules (a private patch only in a life-cycle stage
 * that allows it), the texts' lengths and the assignee. */
static gboolean
check_case_rules (SdRequest  *req,
                  SdCase     *kase,
                  GError    **error)
{
  return check_text_length (sd_case_get_title (kase), "case", "title", MAX_TITLE, error)
         && check_text_length (sd_case_get_description (kase), "case", "description", MAX_DESCRIPTION, error)
         && check_assignee (req, kase, error)
         && sd_service_request_check (kase, error);
}

/* The case types the customer's contract offers. */
static gboolean
check_case_type (SdRequest  *req,
                 SdCase     *kase,
                 GError    **error)
{
  g_autoptr(SdCustomer) customer = load_customer (req, sd_case_get_customer_id (kase));

  return customer == NULL
         || sd_customer_check_case_type (customer, sd_case_get_case_type (kase), error);
}

static gboolean
check_case (SdRequest  *req,
            GObject    *entity,
            GError    **error)
{
  return check_case_type (req, SD_CASE (entity), error)
         && check_case_rules (req, SD_CASE (entity), error);
}

static const Creatable creatable_case = {
  "case", "/cases", sd_request_body_case_read_only, "new", NULL,
  (gpointer) sd_case_from_json, (gpointer) sd_case_get_id, (gpointer) sd_case_get_customer_id,
  encode_case, check_case,
};

static const Creatable creatable_health_check = {
  "health_check", "/health-checks", sd_request_body_entity_read_only, NULL, prepare_health_check,
  (gpointer) sd_health_check_from_json, (gpointer) sd_health_check_get_id,
  (gpointer) sd_health_check_get_customer_id, encode_health_check, check_health_check,
};

static void
create_entity (SdRequest       *req,
               const Creatable *what)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(GObject) entity = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *idempotency = NULL;
  g_autofree char *location = NULL;
  JsonObject *body, *object;
  Render render;

  if (!request_idempotency (req, &idempotency) || !(body = read_body (req, &root)))
    return;

  input = sd_request_body_without (body, what->read_only);
  object = json_node_get_object (input);
  /* Clients that create offline choose the id; others let the server. */
  if (!json_object_has_member (object, "id"))
    {
      g_autofree char *uuid = g_uuid_string_random ();
      json_object_set_string_member (object, "id", uuid);
    }
  if (what->default_status != NULL && !json_object_has_member (object, "status"))
    json_object_set_string_member (object, "status", what->default_status);
  if (what->prepare != NULL && !what->prepare (req, object, &error))
    {
      respond_invalid (req, error);
      return;
    }

  if (!(entity = what->decode (input, NULL, &error)))
    {
      respond_invalid (req, error);
      return;
    }
  if (!check_customer_field (req, what->kind, what->get_customer_id (entity)))
    return;
  if (what->check != NULL && !what->check (req, entity, &error))
    {
      respond_invalid (req, error);
      return;
    }

  render = (Render) { entity, what->encode, req->store };
  record = sd_store_put (req->store, what->kind, what->get_id (entity),
                         what->get_customer_id (entity), NULL, 0, idempotency,
                         render_cb, &render, NULL, &error);
  if (record == NULL)
    {
      respond_store_error (req, error);
      return;
    }
  location = g_strconcat (API_PREFIX, what->collection, "/", record->id, NULL);
  respond_created (req, record, location);
}

static void
handle_create_case (SdRequest *req)
{
  create_entity (req, &creatable_case);
}

static void
handle_update_case (SdRequest *req)
{
  static const char * const immutable[] = { "id", "customer_id", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(SdStoreRecord) current = NULL;
  g_autoptr(SdStoreRecord) saved = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdCase) before = NULL;
  g_autoptr(SdCase) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  const char *reason = NULL;
  JsonObject *patch, *object;
  gint64 expected, now = g_get_real_time () / G_USEC_PER_SEC;
  Render render;

  if ((expected = request_if_match (req)) < 0)
    return;
  if (!(record = request_get_visible (req, "case", req->params->pdata[0])))
    return;
  if (!(patch = read_body (req, &root)))
    return;
  if (!sd_json_get_string (patch, "case", "reason", FALSE, &reason, &error))
    {
      respond_invalid (req, error);
      return;
    }

  stored = sd_json_parse (record->body, -1, NULL);
  before = sd_case_from_json (stored, NULL, NULL);
  object = json_node_get_object (stored);

  if (!sd_request_body_merge (object, patch, "case", immutable,
                              sd_request_body_case_patch_ignored, &error))
    {
      respond_invalid (req, error);
      return;
    }

  if (!(after = sd_case_from_json (stored, NULL, &error))
      || !check_case_rules (req, after, &error)
      || (before != NULL && sd_case_get_case_type (before) != sd_case_get_case_type (after)
          && !check_case_type (req, after, &error)))
    {
      respond_invalid (req, error);
      return;
    }

  if (before != NULL && sd_case_get_severity (before) != sd_case_get_severity (after)
      && (reason == NULL || *reason == '\0'))
    {
      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       "Field “case.reason” is missing: say why the severity changes", "case.reason");
      return;
    }

  /* The timeline records what changed, authored by the server. */
  if (before != NULL && sd_case_get_status (before) != sd_case_get_status (after))
    g_ptr_array_add (events, sd_case_event_new_status_change (sd_case_get_id (after), req->user_id, now,
                                                              sd_case_get_status (before),
                                                              sd_case_get_status (after), reason));
  if (before != NULL && sd_case_get_severity (before) != sd_case_get_severity (after))
    g_ptr_array_add (events, sd_case_event_new_severity_change (sd_case_get_id (after), req->user_id, now,
                                                                sd_case_get_severity (before),
                                                                sd_case_get_severity (after), reason));
  if (before != NULL && sd_case_get_responded_at (before) == SD_TIME_NONE
      && sd_case_get_responded_at (after) != SD_TIME_NONE)
    g_ptr_array_add (events, sd_case_event_new_response_given (sd_case_get_id (after), req->user_id,
                                                               sd_case_get_responded_at (after), reason));

  if (!sd_store_begin (req->store, &error))
    {
      respond_store_error (req, error);
      return;
    }
  render = (Render) { G_OBJECT (after), encode_case, req->store };
  saved = sd_store_put (req->store, "case", record->id, record->customer_id, NULL,
                        expected, NULL, render_cb, &render, &current, &error);
  for (guint i = 0; saved != NULL && i < events->len; i++)
    {
      g_autoptr(SdStoreRecord) event = append_event (req, events->pdata[i], record->customer_id, NULL, &error);

      if (event == NULL)
        g_clear_pointer (&saved, sd_store_record_free);
    }
  if (saved == NULL || !sd_store_commit (req->store, &error))
    {
      sd_store_rollback (req->store);
      if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CONFLICT) && current != NULL)
        respond_conflict (req, current);
      else
        respond_store_error (req, error);
      return;
    }

  set_etag (req, saved->version);
  respond_json (req, SOUP_STATUS_OK, record_to_client (req, saved));
}

static void
handle_list_events (SdRequest *req)
{
  g_autoptr(SdStoreRecord) kase = request_get_visible (req, "case", req->params->pdata[0]);
  SdStoreQuery query = { 0 };
  gint64 limit;

  if (kase == NULL || !query_get_int (req, "limit", 1, MAX_PAGE, MAX_PAGE, &limit))
    return;
  query.parent_id = kase->id;
  respond_page (req, "case_event", &query, limit);
}

static void
handle_get_event (SdRequest *req)
{
  g_autoptr(SdStoreRecord) kase = request_get_visible (req, "case", req->params->pdata[0]);
  g_autoptr(SdStoreRecord) event = NULL;

  if (kase == NULL)
    return;
  event = sd_store_get (req->store, "case_event", req->params->pdata[1], NULL);
  if (event == NULL || g_strcmp0 (event->parent_id, kase->id) != 0)
    {
      respond_not_found (req);
      return;
    }
  respond_json (req, SOUP_STATUS_OK, record_to_client (req, event));
}

static void
handle_append_event (SdRequest *req)
{
  g_autoptr(SdStoreRecord) kase = request_get_visible (req, "case", req->params->pdata[0]);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdCaseEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *idempotency = NULL;
  g_autofree char *location = NULL;
  JsonObject *body;
  SdEventKind kind;

  if (kase == NULL || !request_idempotency (req, &idempotency) || !(body = read_body (req, &root)))
    return;

  /* Said before anything else is checked: these kinds never come here. */
  if (sd_event_kind_from_string (json_object_get_string_member_with_default (body, "kind", NULL), &kind)
      && (kind == SD_EVENT_STATUS_CHANGE || kind == SD_EVENT_SEVERITY_CHANGE))
    {
      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       "Field “event.kind”: status and severity changes are recorded by PATCH on the case",
                       "event.kind");
      return;
    }

  if (!json_object_has_member (body, "id"))
    {
      g_autofree char *uuid = g_uuid_string_random ();
      json_object_set_string_member (body, "id", uuid);
    }
  if (!json_object_has_member (body, "case_id"))
    json_object_set_string_member (body, "case_id", kase->id);
  /* The author is whoever signed in. */
  json_object_set_string_member (body, "author_id", req->user_id);
  if (!json_object_has_member (body, "at"))
    {
      g_autofree char *now = sd_time_format_iso8601 (g_get_real_time () / G_USEC_PER_SEC, NULL);
      json_object_set_string_member (body, "at", now);
    }

  if (!(event = sd_case_event_from_json (root, "event", &error))
      || !check_text_length (sd_case_event_get_body (event), "event", "body", MAX_COMMENT, &error))
    {
      respond_invalid (req, error);
      return;
    }
  if (g_strcmp0 (sd_case_event_get_case_id (event), kase->id) != 0)
    {
      respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                       "Field “event.case_id” does not match the case in the path", "event.case_id");
      return;
    }
  kind = sd_case_event_get_kind (event);
  {
    g_autoptr(JsonNode) stored = sd_json_parse (kase->body, -1, NULL);
    g_autoptr(SdCase) parent = stored ? sd_case_from_json (stored, NULL, NULL) : NULL;

    if (parent != NULL && sd_case_event_get_at (event) < sd_case_get_reported_at (parent))
      {
        respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                         "Field “event.at” is earlier than the case was reported", "event.at");
        return;
      }
    /* A database release records the contract's three steps, in order. */
    if (parent != NULL && kind == SD_EVENT_PROGRESS_STEP
        && sd_case_get_case_type (parent) == SD_CASE_TYPE_DATABASE_RELEASE)
      {
        g_autoptr(GPtrArray) timeline = load_events (req, kase->id);

        if (!sd_database_release_check_step (parent, timeline, sd_case_event_get_step (event), &error))
          {
            respond_invalid (req, error);
            return;
          }
      }
  }
  if (!sd_store_begin (req->store, &error))
    {
      respond_store_error (req, error);
      return;
    }
  record = append_event (req, event, kase->customer_id, idempotency, &error);

  /* A response stops the response clock: the case records it too. */
  if (record != NULL && kind == SD_EVENT_RESPONSE_GIVEN)
    {
      g_autoptr(JsonNode) stored = sd_json_parse (kase->body, -1, NULL);
      g_autoptr(SdCase) updated = stored ? sd_case_from_json (stored, NULL, NULL) : NULL;

      if (updated != NULL && sd_case_get_responded_at (updated) == SD_TIME_NONE)
        {
          g_autoptr(SdStoreRecord) saved = NULL;
          Render render = { G_OBJECT (updated), encode_case, req->store };

          sd_case_set_responded_at (updated, sd_case_event_get_at (event));
          saved = sd_store_put (req->store, "case", kase->id, kase->customer_id, NULL,
                                kase->version, NULL, render_cb, &render, NULL, &error);
          if (saved == NULL)
            g_clear_pointer (&record, sd_store_record_free);
        }
    }
  if (record == NULL || !sd_store_commit (req->store, &error))
    {
      sd_store_rollback (req->store);
      respond_store_error (req, error);
      return;
    }

  location = g_strconcat (API_PREFIX "/cases/", kase->id, "/events/", record->id, NULL);
  respond_created (req, record, location);
}

/* --------------------------------------------------------- health checks */

static void
handle_list_health_checks (SdRequest *req)
{
  SdStoreFilter filters[2];
  guint n = 0;

  if (add_filter (req, filters, &n, "status", "$.status", valid_hc_status)
      && add_filter (req, filters, &n, "customer_id", "$.customer_id", NULL))
    list_kind (req, "health_check", TRUE, filters, n);
}

static void
handle_get_health_check (SdRequest *req)
{
  get_kind (req, "health_check");
}

static void
handle_create_health_check (SdRequest *req)
{
  create_entity (req, &creatable_health_check);
}

static void
save_health_check (SdRequest     *req,
                   SdStoreRecord *record,
                   JsonNode      *stored,
                   gint64         expected)
{
  g_autoptr(JsonNode) before_node = sd_json_parse (record->body, -1, NULL);
  g_autoptr(SdHealthCheck) before = before_node ? sd_health_check_from_json (before_node, NULL, NULL) : NULL;
  g_autoptr(SdHealthCheck) check = NULL;
  g_autoptr(SdStoreRecord) saved = NULL;
  g_autoptr(SdStoreRecord) current = NULL;
  g_autoptr(GError) error = NULL;
  Render render;

  if (!(check = sd_health_check_from_json (stored, NULL, &error)))
    {
      respond_invalid (req, error);
      return;
    }
  /* A new day, or a cancelled check coming back, is agreed anew. */
  if ((before == NULL
       || sd_health_check_get_scheduled_on (before) != sd_health_check_get_scheduled_on (check)
       || (sd_health_check_get_status (before) == SD_HEALTH_CHECK_CANCELLED
           && sd_health_check_get_status (check) != SD_HEALTH_CHECK_CANCELLED))
      && !check_health_check (req, G_OBJECT (check), &error))
    {
      respond_invalid (req, error);
      return;
    }
  render = (Render) { G_OBJECT (check), encode_health_check, req->store };
  saved = sd_store_put (req->store, "health_check", record->id, record->customer_id, NULL,
                        expected, NULL, render_cb, &render, &current, &error);
  if (saved == NULL)
    {
      if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CONFLICT) && current != NULL)
        respond_conflict (req, current);
      else
        respond_store_error (req, error);
      return;
    }
  set_etag (req, saved->version);
  respond_json (req, SOUP_STATUS_OK, record_to_client (req, saved));
}

static void
handle_update_health_check (SdRequest *req)
{
  static const char * const immutable[] = { "id", "customer_id", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *patch;
  gint64 expected;

  if ((expected = request_if_match (req)) < 0
      || !(record = request_get_visible (req, "health_check", req->params->pdata[0]))
      || !(patch = read_body (req, &root)))
    return;

  stored = sd_json_parse (record->body, -1, NULL);
  if (!sd_request_body_merge (json_node_get_object (stored), patch, "health_check", immutable,
                              sd_request_body_entity_read_only, &error))
    {
      respond_invalid (req, error);
      return;
    }
  save_health_check (req, record, stored, expected);
}

static JsonNode *
encode_user (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_user_set_version (SD_USER (render->object), version);
  sd_user_set_updated_at (SD_USER (render->object), updated_at);
  return sd_user_to_json (SD_USER (render->object));
}

/* Users change only their own availability ("out of office until"). */
static void
handle_update_user (SdRequest *req)
{
  static const char * const immutable[] = { "id", "display_name", "login", "role", "email", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(SdStoreRecord) saved = NULL;
  g_autoptr(SdStoreRecord) current = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdUser) user = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *patch;
  Render render;
  gint64 expected;

  if ((expected = request_if_match (req)) < 0)
    return;
  if (g_strcmp0 (req->params->pdata[0], req->user_id) != 0)
    {
      respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only your own account can be changed",
                       "A user sets their own availability; ask an administrator for anything else.", NULL);
      return;
    }
  if (!(record = sd_store_get (req->store, "user", req->user_id, NULL))
      || !(patch = read_body (req, &root)))
    {
      if (record == NULL)
        respond_problem (req, SOUP_STATUS_NOT_FOUND, "not-found", "No such user", NULL, NULL);
      return;
    }
  stored = sd_json_parse (record->body, -1, NULL);
  if (!sd_request_body_merge (json_node_get_object (stored), patch, "user", immutable,
                              sd_request_body_entity_read_only, &error)
      || !(user = sd_user_from_json (stored, "user", &error)))
    {
      respond_invalid (req, error);
      return;
    }
  render = (Render) { G_OBJECT (user), encode_user, req->store };
  saved = sd_store_put (req->store, "user", record->id, NULL, NULL,
                        expected, NULL, render_cb, &render, &current, &error);
  if (saved == NULL)
    {
      if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CONFLICT) && current != NULL)
        respond_conflict (req, current);
      else
        respond_store_error (req, error);
      return;
    }
  set_etag (req, saved->version);
  respond_json (req, SOUP_STATUS_OK, record_to_client (req, saved));
}

/* Only a check that never happened can go: requested or cancelled. */
static void
handle_delete_health_check (SdRequest *req)
{
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdHealthCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  SdHealthCheckStatus status;
  gint64 expected;

  if ((expected = request_if_match (req)) < 0
      || !(record = request_get_visible (req, "health_check", req->params->pdata[0])))
    return;
  if (record->version != expected)
    {
      respond_conflict (req, record);
      return;
    }
  stored = sd_json_parse (record->body, -1, NULL);
  check = stored ? sd_health_check_from_json (stored, NULL, NULL) : NULL;
  status = check ? sd_health_check_get_status (check) : SD_HEALTH_CHECK_REQUESTED;
  if (status != SD_HEALTH_CHECK_REQUESTED && status != SD_HEALTH_CHECK_CANCELLED)
    {
      respond_problem (req, SOUP_STATUS_CONFLICT, "state", "This health check cannot be deleted",
                       "Only a requested or cancelled health check can be deleted; cancel it first.", "status");
      return;
    }
  if (!sd_store_remove (req->store, "health_check", record->id, &error))
    respond_store_error (req, error);
  else
    soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
handle_list_items (SdRequest *req)
{
  g_autoptr(SdStoreRecord) record = request_get_visible (req, "health_check", req->params->pdata[0]);
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *items = NULL;

  if (record == NULL)
    return;
  stored = sd_json_parse (record->body, -1, NULL);
  sd_json_get_array (json_node_get_object (stored), NULL, "items", FALSE, &items, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    json_builder_add_value (builder, json_node_copy (json_array_get_element (items, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "next_cursor");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  set_etag (req, record->version);
  respond_node (req, SOUP_STATUS_OK, root);
}

static void
handle_update_item (SdRequest *req)
{
  static const char * const immutable[] = { "key", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  const char *key = req->params->pdata[1];
  g_autoptr(GError) error = NULL;
  JsonArray *items = NULL;
  JsonObject *patch, *item = NULL;
  gint64 expected;

  if ((expected = request_if_match (req)) < 0
      || !(record = request_get_visible (req, "health_check", req->params->pdata[0]))
      || !(patch = read_body (req, &root)))
    return;

  stored = sd_json_parse (record->body, -1, NULL);
  sd_json_get_array (json_node_get_object (stored), NULL, "items", FALSE, &items, NULL);
  for (guint i = 0; items && i < json_array_get_length (items); i++)
    {
      JsonNode *element = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (element)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (element), "key", NULL), key) == 0)
        item = json_node_get_object (element);
    }
  if (item == NULL)
    {
      respond_not_found (req);
      return;
    }
  if (!sd_request_body_merge (item, patch, "item", immutable, none, &error))
    {
      respond_invalid (req, error);
      return;
    }
  save_health_check (req, record, stored, expected);
}

/* ---------------------------------------------------------------- changes */

static void
handle_changes (SdRequest *req)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  gint64 after, limit, next = 0;
  gint64 started;
  GString *json;

  if (!query_get_int (req, "after", 0, G_MAXINT64, 0, &after)
      || !query_get_int (req, "limit", 1, MAX_PAGE, 500, &limit))
    return;

  hold_for_test (req);
  started = g_get_monotonic_time ();
  records = sd_store_changes (req->store, after, limit, request_visible (req),
                              &has_more, &next, &error);
  if (records == NULL)
    {
      respond_store_error (req, error);
      return;
    }
  if (after > next)
    {
      g_autofree char *detail = g_strdup_printf ("The server's sequence ends at %" G_GINT64_FORMAT
                                                 ": its data was replaced. Start again from after=0.", next);

      respond_problem (req, SOUP_STATUS_CONFLICT, "resync", "The cursor is ahead of the server", detail, "after");
      return;
    }

  json = g_string_new ("{\"changes\":[");
  for (guint i = 0; i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autofree char *entity = NULL;

      if (page_is_full (req, json, i, started))
        {
          next = ((SdStoreRecord *) records->pdata[i - 1])->seq;
          has_more = TRUE;
          break;
        }
      entity = record_to_client (req, record);
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json,
                              "{\"seq\":%" G_GINT64_FORMAT ",\"kind\":\"%s\",\"id\":\"%s\","
                              "\"version\":%" G_GINT64_FORMAT ",\"deleted\":%s,\"entity\":%s}",
                              record->seq, record->kind, record->id, record->version,
                              record->deleted ? "true" : "false",
                              entity ? entity : "null");
    }
  g_string_append_printf (json, "],\"next\":%" G_GINT64_FORMAT ",\"has_more\":%s}",
                          next, has_more ? "true" : "false");
  respond_json (req, SOUP_STATUS_OK, g_string_free (json, FALSE));
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
          gsize length = strlen (job->reply.body);

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
  g_autoptr(GError) error = NULL;
  Reader *reader = NULL;
  SdRequest req = {
    .server = self, .reply = &job->reply, .gone = &job->gone, .params = job->params,
    .query = job->query, .user_id = job->user_id, .user = job->user,
  };

  if (!g_atomic_int_get (&job->gone))
    {
      SdStore *store;

      if (!(reader = g_async_queue_try_pop (self->readers))
          && (store = sd_store_open_reader (self->store, &error)) != NULL)
        reader = reader_new (store);
      if (reader == NULL)
        {
          if (error == NULL)
            g_set_error (&error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, "no reader");
          respond_store_error (&req, error);
        }
      else
        {
          req.store = reader->store;
          req.calendars = reader->calendars;
          job->handler (&req);
          g_async_queue_push (self->readers, reader);
        }
    }
  g_strfreev (req.visible);
  g_clear_pointer (&req.contexts, g_hash_table_unref);
  g_main_context_invoke (job->context, job_done_cb, job);
}

/* Hands the request to a builder thread, taking over what it owns. */
static void
job_start (SdRequest *req,
           SdHandler  handler)
{
  Job *job = g_new0 (Job, 1);

  job->server = g_object_ref (req->server);
  job->msg = g_object_ref (req->msg);
  job->context = g_main_context_ref_thread_default ();
  job->handler = handler;
  job->params = g_ptr_array_ref (req->params);
  job->query = req->query ? g_hash_table_ref (req->query) : NULL;
  job->user_id = g_steal_pointer (&req->user_id);
  job->user = g_steal_pointer (&req->user);
  job->reply.status = SOUP_STATUS_INTERNAL_SERVER_ERROR;
  job->reply.headers = g_ptr_array_new_with_free_func (g_free);
  job->disconnected_id = g_signal_connect (job->msg, "disconnected", G_CALLBACK (job_disconnected_cb), job);
  soup_server_message_pause (job->msg);
  g_thread_pool_push (req->server->builders, job, NULL);
}

/* Builder threads when the store can open readers beside its writer. */
static void
start_builders (SdServer *self)
{
  g_autoptr(GError) error = NULL;
  SdStore *store = sd_store_open_reader (self->store, &error);

  if (store == NULL)
    {
      if (error != NULL)
        g_warning ("pages are built on the main loop: %s", error->message);
      return;
    }
  self->readers = g_async_queue_new_full ((GDestroyNotify) reader_free);
  g_async_queue_push (self->readers, reader_new (store));
  self->builders = g_thread_pool_new (job_build_thread, self, MAX_READERS, FALSE, NULL);
}

/* ------------------------------------------------------------------ routes */

static const Route routes[] = {
  { { "POST", "/auth/token" }, handle_sign_in, TRUE },
  { { "DELETE", "/auth/token" }, handle_sign_out, FALSE },
  { { "GET", "/me" }, handle_me, FALSE },
  { { "GET", "/customers" }, handle_list_customers, FALSE, TRUE },
  { { "GET", "/customers/{id}" }, handle_get_customer, FALSE },
  { { "GET", "/users" }, handle_list_users, FALSE, TRUE },
  { { "GET", "/users/{id}" }, handle_get_user, FALSE },
  { { "GET", "/calendars" }, handle_list_calendars, FALSE, TRUE },
  { { "GET", "/calendars/{id}" }, handle_get_calendar, FALSE },
  { { "GET", "/sla-policies" }, handle_list_policies, FALSE, TRUE },
  { { "GET", "/sla-policies/{tier}" }, handle_get_policy, FALSE },
  { { "GET", "/cases" }, handle_list_cases, FALSE, TRUE },
  { { "POST", "/cases" }, handle_create_case, FALSE },
  { { "GET", "/cases/{id}" }, handle_get_case, FALSE },
  { { "PATCH", "/cases/{id}" }, handle_update_case, FALSE },
  { { "PATCH", "/users/{id}" }, handle_update_user, FALSE },
  { { "GET", "/cases/{id}/events" }, handle_list_events, FALSE, TRUE },
  { { "POST", "/cases/{id}/events" }, handle_append_event, FALSE },
  { { "GET", "/cases/{id}/events/{event_id}" }, handle_get_event, FALSE },
  { { "GET", "/health-checks" }, handle_list_health_checks, FALSE, TRUE },
  { { "POST", "/health-checks" }, handle_create_health_check, FALSE },
  { { "GET", "/health-checks/{id}" }, handle_get_health_check, FALSE },
  { { "PATCH", "/health-checks/{id}" }, handle_update_health_check, FALSE },
  { { "DELETE", "/health-checks/{id}" }, handle_delete_health_check, FALSE },
  { { "GET", "/health-checks/{id}/items" }, handle_list_items, FALSE },
  { { "PATCH", "/health-checks/{id}/items/{key}" }, handle_update_item, FALSE },
  { { "GET", "/checklist-templates" }, handle_list_templates, FALSE, TRUE },
  { { "GET", "/checklist-templates/{id}" }, handle_get_template, FALSE },
  { { "GET", "/changes" }, handle_changes, FALSE, TRUE },
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

static void
request_started_cb (SoupServer        *soup,
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
static void
early_handler_cb (SoupServer        *soup,
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

static void
handler_cb (SoupServer        *soup,
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
          request_set_header (&req, "Allow", allowed->str);
          respond_problem (&req, SOUP_STATUS_METHOD_NOT_ALLOWED, "method", "Method not allowed", NULL, NULL);
        }
      else
        respond_not_found (&req);
      return;
    }

  req.params = params;
  if (found->public || authenticate (&req))
    {
      if (req.user_id != NULL)
        g_object_set_data_full (G_OBJECT (msg), "sd-user", g_strdup (req.user_id), g_free);
      if (found->heavy && self->builders != NULL)
        job_start (&req, found->handler);
      else
        found->handler (&req);
    }

  g_free (req.user_id);
  g_clear_object (&req.user);
  g_strfreev (req.visible);
  g_clear_pointer (&req.contexts, g_hash_table_unref);
}

/* ----------------------------------------------------------------- object */

static void
sd_server_dispose (GObject *object)
{
  SdServer *self = SD_SERVER (object);

  g_clear_object (&self->listener);
  /* Builders hold the server while they work: none is running now. */
  if (self->builders != NULL)
    g_thread_pool_free (g_steal_pointer (&self->builders), FALSE, TRUE);
  g_clear_pointer (&self->readers, g_async_queue_unref);
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

/* The built-in calendar and policies are entities like any other, so that
 * clients receive them through the change feed. */
static void
seed_builtins (SdServer *self)
{
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(SdStoreRecord) existing_calendar = sd_store_get (self->store, "calendar", "cn-mainland", NULL);
  SdTier tiers[] = { SD_TIER_MSA_ENTERPRISE, SD_TIER_STANDARD };
  g_autoptr(SdChecklistTemplate) template = sd_checklist_template_new_builtin (SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY, NULL);
  g_autoptr(SdStoreRecord) existing_template = sd_store_get (self->store, "checklist_template",
                                                             SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY, NULL);

  if (calendar != NULL && existing_calendar == NULL)
    {
      g_autoptr(JsonNode) node = sd_calendar_to_json (calendar);
      g_autoptr(SdStoreRecord) record = sd_store_put (self->store, "calendar", "cn-mainland", NULL, NULL, 0,
                                                      NULL, render_node_cb, node, NULL, NULL);
    }
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
  seed_builtins (self);
  start_builders (self);
  return self;
}

void
sd_server_set_max_body (SdServer *self,
                        gsize     max_body)
{
  g_return_if_fail (SD_IS_SERVER (self));
  self->max_body = max_body;
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
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);

  /* Connections come through our listener, not libsoup's (sd-listener.h). */
  self->listener = sd_listener_new (self->soup, certificate);
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
