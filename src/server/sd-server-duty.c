/* sd-server-duty.c — who is on duty: the duty rota (/duty-shifts), the
 * server's clock, and routing a new case to whoever answers its customer
 *
 * Admins and duty managers write the rota; everyone reads it. Shifts go
 * through the store like the rest of the API: Idempotency-Key on create,
 * If-Match on edit and delete, the change feed and the audit log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-request-body.h"
#include "sd-server-private.h"

/* --------------------------------------------------------------- coverage */

static GObject *
decode_record (SdStoreRecord *record,
               const char    *kind)
{
  g_autoptr(JsonNode) node = record && record->body ? sd_json_parse (record->body, -1, NULL) : NULL;

  if (node == NULL)
    return NULL;
  /* Users in full: the deputy and the calendar are in every view, but the
   * kind decodes the limited one. */
  if (g_str_equal (kind, "user"))
    return G_OBJECT (sd_user_from_json_view (node, NULL, SD_USER_VIEW_LIMITED, NULL));
  return sd_kind_lookup (kind)->decode (node, NULL, NULL);
}

static void
load_into (SdStore    *store,
           const char *kind,
           SdCoverage *coverage,
           void      (*add) (SdCoverage *, gpointer))
{
  SdStoreQuery query = { 0 };
  g_autoptr(GPtrArray) records = sd_store_list (store, kind, &query, NULL);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      g_autoptr(GObject) object = decode_record (records->pdata[i], kind);

      if (object != NULL)
        add (coverage, object);
    }
}

SdCoverage *
_sd_coverage_from_store (SdStore *store)
{
  SdCoverage *coverage = sd_coverage_new ();

  load_into (store, "user", coverage, (gpointer) sd_coverage_add_user);
  load_into (store, "duty_shift", coverage, (gpointer) sd_coverage_add_shift);
  load_into (store, "customer", coverage, (gpointer) sd_coverage_add_customer);
  load_into (store, "calendar", coverage, (gpointer) sd_coverage_add_calendar);
  return coverage;
}

SdCoverage *
_sd_load_coverage (SdRequest  *req,
                   const char *customer_id)
{
  g_autoptr(SdCoverage) coverage = NULL;
  g_autoptr(SdCustomer) customer = NULL;

  if (customer_id == NULL)
    return _sd_coverage_from_store (req->store);
  coverage = sd_coverage_new ();
  customer = _sd_load_customer (req, customer_id);
  load_into (req->store, "user", coverage, (gpointer) sd_coverage_add_user);
  load_into (req->store, "duty_shift", coverage, (gpointer) sd_coverage_add_shift);
  /* Calendars: the customer's own (through the server's cache) and its
   * TAM's (built-in ones the coverage finds itself). */
  if (customer != NULL)
    {
      g_autoptr(SdCalendar) calendar = _sd_load_calendar (req, customer, NULL);
      SdUser *tam = sd_coverage_get_user (coverage, sd_customer_get_tam_id (customer));
      const char *own = tam ? sd_user_get_calendar_id (tam) : NULL;
      g_autoptr(SdStoreRecord) record = own ? sd_store_get (req->store, "calendar", own, NULL) : NULL;
      g_autoptr(GObject) tam_calendar = decode_record (record, "calendar");

      sd_coverage_add_customer (coverage, customer);
      if (sd_customer_get_calendar_id (customer) != NULL
          && g_strcmp0 (sd_calendar_get_id (calendar), sd_customer_get_calendar_id (customer)) == 0)
        sd_coverage_add_calendar (coverage, calendar);
      if (tam_calendar != NULL)
        sd_coverage_add_calendar (coverage, SD_CALENDAR (tam_calendar));
    }
  return g_steal_pointer (&coverage);
}

GHashTable *
_sd_tams_deputised_by (SdStore    *store,
                       const char *user_id)
{
  /* The store filters: every request of a TAM or duty manager asks. */
  SdStoreFilter filter = { "$.deputy_id", user_id };
  SdStoreQuery query = { .filters = &filter, .n_filters = 1 };
  g_autoptr(GPtrArray) records = user_id ? sd_store_list (store, "user", &query, NULL) : NULL;
  GHashTable *tams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      g_autoptr(GObject) user = decode_record (records->pdata[i], "user");

      if (user != NULL && g_strcmp0 (sd_user_get_deputy_id (SD_USER (user)), user_id) == 0)
        g_hash_table_add (tams, g_strdup (sd_user_get_id (SD_USER (user))));
    }
  return tams;
}

gboolean
_sd_is_deputy_for (SdStore    *store,
                   SdCustomer *customer,
                   const char *user_id)
{
  g_autoptr(GHashTable) tams = _sd_tams_deputised_by (store, user_id);
  const char *tam_id = sd_customer_get_tam_id (customer);

  return tam_id != NULL && g_hash_table_contains (tams, tam_id);
}

/* A new case without an assignee goes to whoever answers its customer now;
 * when that is not the TAM, its timeline says who and why, so the TAM sees
 * it in the history. */
void
_sd_route_new_case (SdRequest *req,
                    SdCase    *kase,
                    GPtrArray *events)
{
  g_autoptr(SdCoverage) coverage = NULL;
  SdCoverageReason reason;
  const char *who;
  SdUser *user;
  gint64 now = sd_server_now ();

  if (sd_case_get_assignee_id (kase) != NULL)
    return;
  coverage = _sd_load_coverage (req, sd_case_get_customer_id (kase));
  if ((who = sd_coverage_who_answers (coverage, sd_case_get_customer_id (kase), now, &reason)) == NULL)
    return;
  sd_case_set_assignee_id (kase, who);
  if (reason == SD_COVERAGE_REASON_TAM)
    return;
  user = sd_coverage_get_user (coverage, who);
  {
    g_autofree char *body = g_strdup_printf ("Assigned to %s: %s (%s)",
                                             sd_user_get_display_name (user),
                                             sd_coverage_reason_is_off_hours (reason) ? "TAM off duty" : "TAM out of office",
                                             sd_coverage_reason_to_string (reason));

    g_ptr_array_add (events, sd_case_event_new_comment (sd_case_get_id (kase), req->user_id, now, body));
  }
}

gboolean
_sd_check_user_coverage (SdStore     *store,
                         SdUser      *user,
                         const char  *path,
                         GError     **error)
{
  const char *deputy_id = sd_user_get_deputy_id (user);
  const char *calendar_id = sd_user_get_calendar_id (user);

  if (deputy_id != NULL)
    {
      g_autoptr(SdStoreRecord) record = sd_store_get (store, "user", deputy_id, NULL);
      g_autoptr(GObject) deputy = decode_record (record, "user");

      if (deputy == NULL)
        return sd_json_set_invalid (error, path, "deputy_id", "there is no user “%s”", deputy_id);
      if (!sd_user_get_active (SD_USER (deputy)))
        return sd_json_set_invalid (error, path, "deputy_id", "%s is deactivated",
                                    sd_user_get_display_name (SD_USER (deputy)));
    }
  if (calendar_id != NULL)
    {
      g_autoptr(SdStoreRecord) record = sd_store_get (store, "calendar", calendar_id, NULL);
      g_autoptr(SdCalendar) builtin = record ? NULL : sd_calendar_new_builtin (calendar_id);

      if (record == NULL && builtin == NULL)
        return sd_json_set_invalid (error, path, "calendar_id", "there is no calendar “%s”", calendar_id);
    }
  return TRUE;
}

/* ------------------------------------------------------------------ rota */

static gboolean
require_rota_writer (SdRequest *req)
{
  SdRole role = sd_user_get_role (req->user);

  if (role == SD_ROLE_ADMIN || role == SD_ROLE_DUTY_MANAGER)
    return TRUE;
  _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only a duty manager or an administrator may do this",
                       "The duty rota is written by duty managers and administrators.", NULL);
  return FALSE;
}

/* The shift's duty manager is an active user with that role. */
static gboolean
check_shift (SdRequest    *req,
             SdDutyShift  *shift,
             GError      **error)
{
  const char *id = sd_duty_shift_get_duty_manager_id (shift);
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "user", id, NULL);
  g_autoptr(GObject) user = decode_record (record, "user");

  if (user == NULL)
    return sd_json_set_invalid (error, "duty_shift", "duty_manager_id", "there is no user “%s”", id);
  if (!sd_user_get_active (SD_USER (user)) || sd_user_get_role (SD_USER (user)) != SD_ROLE_DUTY_MANAGER)
    return sd_json_set_invalid (error, "duty_shift", "duty_manager_id", "%s is not an active duty manager",
                                sd_user_get_display_name (SD_USER (user)));
  return TRUE;
}

static JsonNode *
encode_shift (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_duty_shift_set_version (SD_DUTY_SHIFT (render->object), version);
  sd_duty_shift_set_updated_at (SD_DUTY_SHIFT (render->object), updated_at);
  return sd_duty_shift_to_json (SD_DUTY_SHIFT (render->object));
}

void
_sd_handle_list_duty_shifts (SdRequest *req)
{
  _sd_list_kind (req, "duty_shift", FALSE, NULL, 0);
}

void
_sd_handle_get_duty_shift (SdRequest *req)
{
  _sd_get_kind (req, "duty_shift");
}

void
_sd_handle_create_duty_shift (SdRequest *req)
{
  const SdKind *kind = sd_kind_lookup ("duty_shift");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(SdDutyShift) shift = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *idempotency = NULL;
  g_autofree char *location = NULL;
  JsonObject *body;
  Render render = { NULL, encode_shift, req->store };

  if (!require_rota_writer (req) || !_sd_request_idempotency (req, &idempotency)
      || !(body = _sd_read_body (req, &root)))
    return;
  input = sd_request_body_without (body, kind->read_only);
  if (!json_object_has_member (json_node_get_object (input), "id"))
    {
      g_autofree char *uuid = g_uuid_string_random ();

      json_object_set_string_member (json_node_get_object (input), "id", uuid);
    }
  if (!(shift = sd_duty_shift_from_json (input, NULL, &error)) || !check_shift (req, shift, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  render.object = G_OBJECT (shift);
  record = sd_store_put (req->store, "duty_shift", sd_duty_shift_get_id (shift), NULL, NULL, 0, idempotency,
                         _sd_render_cb, &render, NULL, &error);
  if (record == NULL)
    {
      _sd_respond_store_error (req, error);
      return;
    }
  location = g_strconcat (API_PREFIX, kind->collection, "/", record->id, NULL);
  _sd_respond_created (req, record, location);
}

void
_sd_handle_update_duty_shift (SdRequest *req)
{
  static const char * const immutable[] = { "id", NULL };
  const SdKind *kind = sd_kind_lookup ("duty_shift");
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdDutyShift) shift = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *patch;
  gint64 expected;

  if (!require_rota_writer (req)
      || !(patch = _sd_patch_begin (req, "duty_shift", &expected, &record, &root)))
    return;
  if (!(stored = sd_json_parse (record->body, -1, NULL)))
    {
      _sd_respond_not_found (req);
      return;
    }
  if (!sd_request_body_merge (json_node_get_object (stored), patch, "duty_shift", immutable,
                              kind->patch_ignored, &error)
      || !(shift = sd_duty_shift_from_json (stored, NULL, &error))
      || !check_shift (req, shift, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  _sd_update_entity (req, record, expected, G_OBJECT (shift), encode_shift, NULL);
}

void
_sd_handle_delete_duty_shift (SdRequest *req)
{
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected;

  if (!require_rota_writer (req) || (expected = _sd_request_if_match (req)) < 0
      || !(record = _sd_request_get_visible (req, "duty_shift", req->params->pdata[0])))
    return;
  if (record->version != expected)
    {
      _sd_respond_conflict (req, record);
      return;
    }
  if (!sd_store_remove (req->store, "duty_shift", record->id, &error))
    _sd_respond_store_error (req, error);
  else
    soup_server_message_set_status (req->msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* ------------------------------------------------------ back from away */

/* GET /cases?handled_while_away=1: the cases of the caller's own
 * customers (as TAM) that someone else holds — what the deputy or the
 * duty manager took while the caller was away or off duty. One page of
 * at most MAX_PAGE, newest report first is not promised: store order. */
void
_sd_handle_cases_handled_while_away (SdRequest *req)
{
  SdStoreQuery query = { 0 };
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new ("{\"items\":[");
  guint n = 0;

  if (g_strcmp0 (_sd_query_get (req, "handled_while_away"), "1") != 0)
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Query parameter “handled_while_away”: only 1 is allowed", "handled_while_away");
      return;
    }
  customers = sd_store_list (req->store, "customer", &query, NULL);
  for (guint i = 0; customers != NULL && i < customers->len; i++)
    {
      g_autoptr(GObject) customer = decode_record (customers->pdata[i], "customer");

      if (customer != NULL && g_strcmp0 (sd_customer_get_tam_id (SD_CUSTOMER (customer)), req->user_id) == 0)
        g_ptr_array_add (own, g_strdup (sd_customer_get_id (SD_CUSTOMER (customer))));
    }
  g_ptr_array_add (own, NULL);
  query.customer_ids = (const char * const *) own->pdata;
  if (own->len > 1 && !(records = sd_store_list (req->store, "case", &query, &error)))
    {
      _sd_respond_store_error (req, error);
      return;
    }
  for (guint i = 0; records != NULL && i < records->len && n < MAX_PAGE; i++)
    {
      g_autoptr(GObject) kase = decode_record (records->pdata[i], "case");
      const char *assignee = kase ? sd_case_get_assignee_id (SD_CASE (kase)) : NULL;
      g_autofree char *item = NULL;

      if (assignee == NULL || g_str_equal (assignee, req->user_id))
        continue;
      item = _sd_record_to_client (req, records->pdata[i]);
      if (n++ > 0)
        g_string_append_c (json, ',');
      g_string_append (json, item);
    }
  g_string_append (json, "],\"next_cursor\":null}");
  _sd_respond_json (req, SOUP_STATUS_OK, g_string_free (g_steal_pointer (&json), FALSE));
}
