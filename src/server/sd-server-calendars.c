/* sd-server-calendars.c — business calendars as admin data: create, edit,
 * archive, import an official year (.ics or holiday JSON), the days of a
 * range with their provisional flag, and the seed of the built-in
 * calendars
 *
 * Every change is a new version of the calendar record; open cases' clocks
 * are computed with the version in force (the calendar cache is keyed by
 * id and version). A built-in calendar carries "builtin_version" until an
 * administrator changes it; a server that ships newer built-in data
 * replaces only the calendars that still carry it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-request-body.h"
#include "sd-server-private.h"

/* A range of days asked for at once. */
#define MAX_DAYS 366

static JsonNode *
encode_calendar (Render     *render,
                 gint64      version,
                 gint64      updated_at,
                 GError    **error)
{
  return sd_calendar_to_json (SD_CALENDAR (render->object));
}

static char *
render_calendar_cb (gint64     version,
                    gint64     updated_at,
                    gpointer   user_data,
                    GError   **error)
{
  g_autoptr(JsonNode) node = sd_calendar_to_json (user_data);

  return sd_json_to_string (node, FALSE);
}

static gboolean
require_admin (SdRequest *req)
{
  if (sd_user_get_role (req->user) == SD_ROLE_ADMIN)
    return TRUE;
  _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only administrators change calendars",
                       "Ask an administrator to create, edit, import or archive a calendar.", NULL);
  return FALSE;
}

/* The calendar in @node as an administrator left it: no longer the shipped
 * built-in data. */
static SdCalendar *
decode_edited (JsonNode  *node,
               GError   **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    json_object_remove_member (json_node_get_object (node), "builtin_version");
  return sd_calendar_from_json (node, "calendar", error);
}

static int
year_of (guint32 julian)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return g_date_get_year (&date);
}

/* The stored calendar @id, or the built-in one before the seed stored it;
 * NULL once answered 404. Cached per reader by id and version. */
static SdCalendar *
load_calendar (SdRequest  *req,
               const char *id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "calendar", id, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *key = NULL;
  SdCalendar *calendar;

  if (record == NULL || record->deleted)
    {
      calendar = sd_calendar_new_builtin (id);
      if (calendar == NULL)
        _sd_respond_problem (req, SOUP_STATUS_NOT_FOUND, "not-found", "No such calendar", NULL, NULL);
      return calendar;
    }
  key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, record->id, record->version);
  if ((calendar = g_hash_table_lookup (req->calendars, key)))
    return g_object_ref (calendar);
  node = sd_json_parse (record->body, -1, NULL);
  calendar = node ? sd_calendar_from_json (node, NULL, NULL) : NULL;
  if (calendar == NULL)
    {
      _sd_respond_problem (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", "The stored calendar is unreadable",
                           NULL, NULL);
      return NULL;
    }
  g_hash_table_insert (req->calendars, g_steal_pointer (&key), g_object_ref (calendar));
  return calendar;
}

/* POST /calendars */
void
_sd_handle_create_calendar (SdRequest *req)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *idempotency = NULL;
  g_autofree char *location = NULL;
  JsonObject *body;

  if (!require_admin (req)
      || !_sd_request_idempotency (req, &idempotency)
      || !(body = _sd_read_body (req, &root)))
    return;
  if (!(calendar = decode_edited (root, &error)))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  /* A new id only; a replayed Idempotency-Key answers what it created. */
  record = sd_store_put (req->store, "calendar", sd_calendar_get_id (calendar), NULL, NULL, 0, idempotency,
                         render_calendar_cb, calendar, NULL, &error);
  if (record == NULL)
    {
      if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CONFLICT))
        _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "exists", "A calendar with this id exists",
                             "Edit it with PATCH, or choose another id.", "calendar.id");
      else
        _sd_respond_store_error (req, error);
      return;
    }
  location = g_strconcat (API_PREFIX "/calendars/", record->id, NULL);
  _sd_respond_created (req, record, location);
}

/* PATCH /calendars/{id}: a JSON merge patch of the calendar document. */
void
_sd_handle_update_calendar (SdRequest *req)
{
  static const char * const immutable[] = { "id", NULL };
  static const char * const ignored[] = { "builtin_version", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *patch;
  gint64 expected;

  if (!require_admin (req)
      || !(patch = _sd_patch_begin (req, "calendar", &expected, &record, &root)))
    return;
  stored = sd_json_parse (record->body, -1, NULL);
  if (stored == NULL
      || !sd_request_body_merge (json_node_get_object (stored), patch, "calendar", immutable, ignored, &error)
      || !(calendar = decode_edited (stored, &error)))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  _sd_update_entity (req, record, expected, G_OBJECT (calendar), encode_calendar, NULL);
}

/* DELETE /calendars/{id}: archives a calendar no customer uses; built-in
 * calendars stay. */
void
_sd_handle_archive_calendar (SdRequest *req)
{
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(SdCalendar) builtin = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  SdStoreFilter filter;
  SdStoreQuery query = { 0 };
  gint64 expected;

  if (!require_admin (req)
      || (expected = _sd_request_if_match (req)) < 0
      || !(record = _sd_request_get_visible (req, "calendar", req->params->pdata[0])))
    return;
  if (record->version != expected)
    {
      _sd_respond_conflict (req, record);
      return;
    }
  if ((builtin = sd_calendar_new_builtin (record->id)))
    {
      _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "state", "A built-in calendar cannot be archived",
                           "Customers may rely on it; edit it instead.", NULL);
      return;
    }
  filter = (SdStoreFilter) { "$.calendar_id", record->id };
  query.filters = &filter;
  query.n_filters = 1;
  query.limit = 1;
  if (!(users = sd_store_list (req->store, "customer", &query, &error)))
    {
      _sd_respond_store_error (req, error);
      return;
    }
  if (users->len > 0)
    {
      _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "state", "This calendar is in use",
                           "Move its customers to another calendar first.", NULL);
      return;
    }
  if (!sd_store_remove (req->store, "calendar", record->id, &error))
    _sd_respond_store_error (req, error);
  else
    soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* POST /calendars/{id}/import: an official schedule, as an iCalendar file
 * (text/calendar) or holiday JSON (application/json). Every year it has
 * days in replaces that year of the calendar; a broken file changes
 * nothing. */
void
_sd_handle_import_calendar (SdRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdCalendar) current = NULL;
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(SdCalendarBuilder) builder = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;
  gboolean ok;
  gint64 expected;

  if (!require_admin (req)
      || (expected = _sd_request_if_match (req)) < 0
      || !(record = _sd_request_get_visible (req, "calendar", req->params->pdata[0])))
    return;

  bytes = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  data = g_bytes_get_data (bytes, &size);
  if (size > req->server->max_body)
    {
      _sd_respond_problem (req, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                           "The request body is too large", NULL, NULL);
      return;
    }
  stored = sd_json_parse (record->body, -1, NULL);
  if (stored == NULL || !(current = decode_edited (stored, &error)))
    {
      _sd_respond_problem (req, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal", "The stored calendar is unreadable",
                           NULL, NULL);
      return;
    }
  builder = sd_calendar_builder_new_from_calendar (current);

  if (type != NULL && g_ascii_strcasecmp (type, "text/calendar") == 0)
    ok = sd_calendar_builder_import_ics (builder, size ? data : "", size, NULL, &error);
  else if (type != NULL && g_ascii_strcasecmp (type, "application/json") == 0)
    ok = sd_calendar_builder_import_holiday_json (builder, size ? data : "", size, &error);
  else
    {
      _sd_respond_problem (req, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "media-type",
                           "The request body must be text/calendar or application/json (holiday JSON)",
                           NULL, NULL);
      return;
    }
  if (!ok)
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The file cannot be imported",
                           error->message, "body");
      return;
    }
  calendar = sd_calendar_builder_build (builder);
  _sd_update_entity (req, record, expected, G_OBJECT (calendar), encode_calendar, NULL);
}

/* GET /calendars/{id}/days?from=YYYY-MM-DD&to=YYYY-MM-DD */
void
_sd_handle_calendar_days (SdRequest *req)
{
  const char *from_text = _sd_query_get (req, "from");
  const char *to_text = _sd_query_get (req, "to");
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint32 from = 0, to = 0;

  if (from_text == NULL || to_text == NULL
      || !sd_date_parse (from_text, &from, NULL) || !sd_date_parse (to_text, &to, NULL)
      || to < from || to - from >= MAX_DAYS)
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Give from and to as YYYY-MM-DD, from ≤ to, at most 366 days.", "from");
      return;
    }
  if (!(calendar = load_calendar (req, req->params->pdata[0])))
    return;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "calendar_id");
  json_builder_add_string_value (builder, sd_calendar_get_id (calendar));
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint32 jd = from; jd <= to; jd++)
    {
      const char *name = sd_calendar_get_day_name (calendar, jd);

      json_builder_begin_object (builder);
      sd_json_builder_add_date (builder, "date", jd);
      json_builder_set_member_name (builder, "working");
      json_builder_add_boolean_value (builder, sd_calendar_is_working_day (calendar, jd));
      sd_json_builder_add_string_or_null (builder, "name", name);
      json_builder_set_member_name (builder, "provisional");
      json_builder_add_boolean_value (builder, sd_calendar_is_provisional_day (calendar, jd));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  /* The provisional years of the range, each with its note. */
  json_builder_set_member_name (builder, "provisional_years");
  json_builder_begin_array (builder);
  for (int y = year_of (from); y <= year_of (to); y++)
    if (sd_calendar_is_provisional_year (calendar, y))
      {
        g_autofree char *note = sd_calendar_describe_provisional_year (y);

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "year");
        json_builder_add_int_value (builder, y);
        json_builder_set_member_name (builder, "note");
        json_builder_add_string_value (builder, note);
        json_builder_end_object (builder);
      }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  _sd_respond_node (req, SOUP_STATUS_OK, root);
}

/* The built-in calendars are entities like any other, so that clients
 * receive them through the change feed. A stored built-in still carrying
 * older shipped data (builtin_version) is replaced by the newer data as a
 * new version; one an administrator edited is left alone. Calendars
 * written before the field existed and never changed since (version 1)
 * count as shipped data. */
void
_sd_seed_calendars (SdStore *store)
{
  const char * const *ids = sd_calendar_list_builtin_ids ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin (ids[i]);
      g_autoptr(SdStoreRecord) existing = sd_store_get (store, "calendar", ids[i], NULL);
      g_autoptr(SdStoreRecord) record = NULL;
      g_autoptr(GError) error = NULL;

      if (existing != NULL && !existing->deleted)
        {
          g_autoptr(JsonNode) node = sd_json_parse (existing->body, -1, NULL);
          JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          gint64 shipped = object ? json_object_get_int_member_with_default (object, "builtin_version", -1) : 0;

          if (shipped == -1)
            shipped = existing->version == 1 ? 0 : G_MAXINT64;
          if (shipped >= sd_calendar_get_builtin_version (calendar))
            continue;
        }
      record = sd_store_put (store, "calendar", ids[i], NULL, NULL, existing ? existing->version : 0,
                             NULL, render_calendar_cb, calendar, NULL, &error);
      if (record == NULL)
        g_warning ("Built-in calendar %s not stored: %s", ids[i], error->message);
    }
}
