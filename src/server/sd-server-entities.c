/* sd-server-entities.c — generic entity reads and writes: pages, single entities, creates and
 * updates with their versions and idempotency keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-request-body.h"
#include "sd-server-private.h"

/* Whether a page being rendered since @started must end after its
 * first @n items: one request never holds memory for long, nor the main
 * loop when the page is built on it (a database in memory has no
 * readers). Clients follow the cursor whatever the page's length; pages
 * of up to PAGE_MIN_ITEMS items end early only for their size. */
gboolean
_sd_page_is_full (SdRequest *req,
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
void
_sd_hold_for_test (SdRequest *req)
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
void
_sd_respond_page (SdRequest    *req,
                  const char   *kind,
                  SdStoreQuery *query,
                  guint         limit)
{
  g_autofree char *after = g_strdup (_sd_query_get (req, "cursor"));
  g_autofree char *last = NULL;
  GString *json;
  gint64 started;
  gboolean more = FALSE, full = FALSE;
  guint n = 0;

  _sd_hold_for_test (req);
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
          _sd_respond_store_error (req, error);
          return;
        }
      take = MIN (records->len, query->limit - 1);
      for (guint i = 0; i < take && !full; i++)
        {
          SdStoreRecord *record = records->pdata[i];
          g_autofree char *item = NULL;

          if ((full = _sd_page_is_full (req, json, n, started)))
            break;
          item = _sd_record_to_client (req, record);
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
  _sd_respond_json (req, SOUP_STATUS_OK, g_string_free (json, FALSE));
}

void
_sd_list_kind (SdRequest           *req,
               const char          *kind,
               gboolean             scoped,
               const SdStoreFilter *filters,
               guint                n_filters)
{
  SdStoreQuery query = { 0 };
  gint64 limit;

  if (!_sd_query_get_int (req, "limit", 1, MAX_PAGE, DEFAULT_PAGE, &limit))
    return;

  query.customer_ids = scoped ? _sd_request_visible (req) : NULL;
  query.filters = filters;
  query.n_filters = n_filters;
  _sd_respond_page (req, kind, &query, limit);
}

void
_sd_get_kind (SdRequest  *req,
              const char *kind)
{
  g_autoptr(SdStoreRecord) record = _sd_request_get_visible (req, kind, req->params->pdata[0]);

  if (record == NULL)
    return;
  _sd_set_etag (req, record->version);
  _sd_respond_json (req, SOUP_STATUS_OK, _sd_record_to_client (req, record));
}

gboolean
_sd_add_filter (SdRequest     *req,
                SdStoreFilter *filters,
                guint         *n,
                const char    *param,
                const char    *path,
                gboolean     (*valid) (const char *))
{
  const char *value = _sd_query_get (req, param);

  if (value == NULL)
    return TRUE;
  if (valid != NULL && !valid (value))
    {
      g_autofree char *detail = g_strdup_printf ("Query parameter “%s”: unknown value “%s”", param, value);

      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid", detail, param);
      return FALSE;
    }
  filters[*n].path = path;
  filters[*n].value = value;
  (*n)++;
  return TRUE;
}

/* ------------------------------------------------------ simple resources */

/* With "q", a search by name (sd-server-admin.c). */
static void
list_or_search (SdRequest  *req,
                const char *kind,
                gboolean    scoped)
{
  const char *q = _sd_query_get (req, "q");

  if (q != NULL)
    _sd_admin_search (req, kind, q);
  else
    _sd_list_kind (req, kind, scoped, NULL, 0);
}

void _sd_handle_list_customers (SdRequest *req) { list_or_search (req, "customer", TRUE); }

void _sd_handle_get_customer (SdRequest *req) { _sd_get_kind (req, "customer"); }

void _sd_handle_list_users (SdRequest *req) { list_or_search (req, "user", FALSE); }

void _sd_handle_get_user (SdRequest *req) { _sd_get_kind (req, "user"); }

void _sd_handle_list_calendars (SdRequest *req) { _sd_list_kind (req, "calendar", FALSE, NULL, 0); }

void _sd_handle_get_calendar (SdRequest *req) { _sd_get_kind (req, "calendar"); }

void _sd_handle_list_policies (SdRequest *req) { _sd_list_kind (req, "sla_policy", FALSE, NULL, 0); }

void _sd_handle_get_policy (SdRequest *req) { _sd_get_kind (req, "sla_policy"); }

void _sd_handle_list_templates (SdRequest *req) { _sd_list_kind (req, "checklist_template", FALSE, NULL, 0); }

void _sd_handle_get_template (SdRequest *req) { _sd_get_kind (req, "checklist_template"); }

/* ---------------------------------------------------------------- writes */

/* Runs inside the store's write, once it is sure to happen. */
char *
_sd_render_cb (gint64     version,
               gint64     updated_at,
               gpointer   user_data,
               GError   **error)
{
  Render *render = user_data;
  g_autoptr(JsonNode) node = render->encode (render, version, updated_at, error);

  return node ? sd_json_to_string (node, FALSE) : NULL;
}

/* "Idempotency-Key" scoped to the user and the path, with a digest of
 * the body (SD_STORE_DIGEST_SEPARATOR), or NULL. Responds on a bad key. */
gboolean
_sd_request_idempotency (SdRequest  *req,
                         char      **out)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                  "Idempotency-Key");

  *out = NULL;
  if (key == NULL)
    return TRUE;
  if (*key == '\0' || strlen (key) > 128 || !g_str_is_ascii (key))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
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

void
_sd_respond_created (SdRequest     *req,
                     SdStoreRecord *record,
                     const char    *location)
{
  /* A replay answers only what the user may still see. */
  if (record->customer_id != NULL && !_sd_request_may_see (req, record->customer_id))
    {
      _sd_respond_not_found (req);
      return;
    }
  if (record->deleted)
    {
      _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "idempotency-key-used",
                           "This Idempotency-Key created something that has been deleted since",
                           "Send a new Idempotency-Key to create it again.", "Idempotency-Key");
      return;
    }
  _sd_request_set_header (req, "Location", location);
  _sd_set_etag (req, record->version);
  _sd_respond_json (req, SOUP_STATUS_CREATED, _sd_record_to_client (req, record));
}

void
_sd_respond_conflict (SdRequest     *req,
                      SdStoreRecord *current)
{
  _sd_set_etag (req, current->version);
  _sd_respond_json (req, SOUP_STATUS_PRECONDITION_FAILED, _sd_record_to_client (req, current));
}

gboolean
_sd_check_customer_field (SdRequest  *req,
                          const char *path,
                          const char *customer_id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "customer", customer_id, NULL);

  if (record == NULL || !_sd_request_may_see (req, customer_id))
    {
      g_autofree char *field = g_strconcat (path, ".customer_id", NULL);
      g_autofree char *detail = g_strdup_printf ("Field “%s”: there is no customer “%s”", field, customer_id);

      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           detail, field);
      return FALSE;
    }
  return TRUE;
}

gboolean
_sd_check_text_length (const char  *text,
                       const char  *path,
                       const char  *field,
                       glong        max,
                       GError     **error)
{
  if (text != NULL && g_utf8_strlen (text, -1) > max)
    return sd_json_set_invalid (error, path, field, "longer than %ld characters", max);
  return TRUE;
}

/* What POST on a collection adds to the kind's entry in the registry
 * (sd-kind.h: collection, codec, getters, read-only members): the
 * server's own rules. */
typedef struct {
  const char  *kind;
  const char  *default_status;
  gboolean   (*prepare) (SdRequest *req, JsonObject *object, GError **error);
  Encoder      encode;
  gboolean   (*check)   (SdRequest *req, GObject *entity, GError **error);
  /* The timeline events the create appends in its transaction (from the
   * body as sent), or FALSE to refuse it. */
  gboolean   (*events)  (SdRequest *req, GObject *entity, JsonObject *body, GPtrArray *events, GError **error);
  /* Writes what follows from the new entity, in the same transaction. */
  gboolean   (*stored)  (SdRequest *req, SdStoreRecord *record, GError **error);
} Creatable;

static gboolean
case_stored (SdRequest      *req,
             SdStoreRecord  *record,
             GError        **error)
{
  return _sd_sla_record_write (req, record->id, NULL, error);
}

static const Creatable creatable_case = {
  .kind = "case",
  .default_status = "new",
  .prepare = _sd_prepare_case,
  .encode = _sd_encode_case,
  .check = _sd_check_case,
  .events = _sd_case_created_events,
  .stored = case_stored,
};

/* A create's rendering, which tells whether the store wrote (a replayed
 * Idempotency-Key writes nothing, so appends no events either). */
typedef struct {
  Render   render;  /* first: _sd_render_cb reads it */
  Encoder  encode;  /* the kind's */
  gboolean wrote;
} CreateRender;

static JsonNode *
encode_created (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  CreateRender *create = (CreateRender *) render;

  create->wrote = TRUE;
  return create->encode (render, version, updated_at, error);
}

static const Creatable creatable_health_check = {
  .kind = "health_check",
  .prepare = _sd_prepare_health_check,
  .encode = _sd_encode_health_check,
  .check = _sd_check_health_check,
};

static void
create_entity (SdRequest       *req,
               const Creatable *what)
{
  const SdKind *kind = sd_kind_lookup (what->kind);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(GObject) entity = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *idempotency = NULL;
  g_autofree char *location = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *body, *object;
  CreateRender render;

  if (!_sd_request_idempotency (req, &idempotency) || !(body = _sd_read_body (req, &root)))
    return;

  input = sd_request_body_without (body, kind->read_only);
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
      _sd_respond_invalid (req, error);
      return;
    }

  if (!(entity = kind->decode (input, NULL, &error)))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (!_sd_check_customer_field (req, kind->name, kind->get_customer_id (entity)))
    return;
  if ((what->check != NULL && !what->check (req, entity, &error))
      || (what->events != NULL && !what->events (req, entity, body, events, &error)))
    {
      _sd_respond_invalid (req, error);
      return;
    }

  render = (CreateRender) { { entity, encode_created, req->store }, what->encode, FALSE };
  if (!sd_store_begin (req->store, &error))
    {
      _sd_respond_store_error (req, error);
      return;
    }
  record = sd_store_put (req->store, kind->name, kind->get_id (entity),
                         kind->get_customer_id (entity), NULL, 0, idempotency,
                         _sd_render_cb, &render, NULL, &error);
  for (guint i = 0; record != NULL && render.wrote && i < events->len; i++)
    {
      g_autoptr(SdStoreRecord) event = _sd_append_event (req, events->pdata[i], record->customer_id, NULL, &error);

      if (event == NULL)
        g_clear_pointer (&record, sd_store_record_free);
    }
  if (record != NULL && render.wrote && what->stored != NULL && !what->stored (req, record, &error))
    g_clear_pointer (&record, sd_store_record_free);
  if (record == NULL || !sd_store_commit (req->store, &error))
    {
      sd_store_rollback (req->store);
      _sd_respond_store_error (req, error);
      return;
    }
  location = g_strconcat (API_PREFIX, kind->collection, "/", record->id, NULL);
  _sd_respond_created (req, record, location);
}

void
_sd_handle_create_case (SdRequest *req)
{
  create_entity (req, &creatable_case);
}

void
_sd_handle_create_health_check (SdRequest *req)
{
  create_entity (req, &creatable_health_check);
}

/* The start of a PATCH on an entity the user may see: its If-Match
 * version, the stored record of @kind with the id of the path, and the
 * body. Returns the patch (owned by @root), or NULL once answered. */
JsonObject *
_sd_patch_begin (SdRequest      *req,
                 const char     *kind,
                 gint64         *expected,
                 SdStoreRecord **record,
                 JsonNode      **root)
{
  if ((*expected = _sd_request_if_match (req)) < 0
      || !(*record = _sd_request_get_visible (req, kind, req->params->pdata[0])))
    return NULL;
  return _sd_read_body (req, root);
}

static gboolean
has_event (GPtrArray   *events,
           SdEventKind  kind)
{
  for (guint i = 0; events != NULL && i < events->len; i++)
    if (sd_case_event_get_kind (events->pdata[i]) == kind)
      return TRUE;
  return FALSE;
}

/* Writes @entity over @record as the version after @expected, with the
 * case events in @events (may be NULL) in the same transaction, and
 * answers 200 with it, or 412 with the current version. Every PATCH ends
 * here. */
void
_sd_update_entity (SdRequest     *req,
                   SdStoreRecord *record,
                   gint64         expected,
                   GObject       *entity,
                   Encoder        encode,
                   GPtrArray     *events)
{
  _sd_update_entity_then (req, record, expected, entity, encode, events, NULL, NULL);
}

void
_sd_update_entity_then (SdRequest     *req,
                        SdStoreRecord *record,
                        gint64         expected,
                        GObject       *entity,
                        Encoder        encode,
                        GPtrArray     *events,
                        SdAfterWrite   after,
                        gpointer       user_data)
{
  g_autoptr(SdStoreRecord) saved = NULL;
  g_autoptr(SdStoreRecord) current = NULL;
  g_autoptr(GError) error = NULL;
  Render render = { entity, encode, req->store };
  gboolean is_case = g_str_equal (record->kind, "case");
  g_autoptr(GArray) prior = NULL;

  if (!sd_store_begin (req->store, &error))
    {
      _sd_respond_store_error (req, error);
      return;
    }
  /* A corrected report time starts the case's SLA record afresh. */
  if (is_case && !has_event (events, SD_EVENT_REPORT_TIME_CHANGE))
    prior = _sd_sla_record_before (req, record->id);
  saved = sd_store_put (req->store, record->kind, record->id, record->customer_id, NULL,
                        expected, NULL, _sd_render_cb, &render, &current, &error);
  for (guint i = 0; saved != NULL && events != NULL && i < events->len; i++)
    {
      g_autoptr(SdStoreRecord) event = _sd_append_event (req, events->pdata[i], record->customer_id, NULL, &error);

      if (event == NULL)
        g_clear_pointer (&saved, sd_store_record_free);
    }
  if (saved != NULL && is_case && !_sd_sla_record_write (req, record->id, prior, &error))
    g_clear_pointer (&saved, sd_store_record_free);
  if (saved != NULL && after != NULL && !after (req, user_data, &error))
    g_clear_pointer (&saved, sd_store_record_free);
  if (saved == NULL || !sd_store_commit (req->store, &error))
    {
      sd_store_rollback (req->store);
      if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CONFLICT) && current != NULL)
        _sd_respond_conflict (req, current);
      else
        _sd_respond_store_error (req, error);
      return;
    }
  _sd_set_etag (req, saved->version);
  _sd_respond_json (req, SOUP_STATUS_OK, _sd_record_to_client (req, saved));
}
