/* sd-server-cases.c — cases and their timelines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-request-body.h"
#include "sd-server-private.h"

JsonNode *
_sd_encode_case (Render *render, gint64 version, gint64 updated_at, GError **error)
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

SdStoreRecord *
_sd_append_event (SdRequest    *req,
                  SdCaseEvent  *event,
                  const char   *customer_id,
                  const char   *idempotency,
                  GError      **error)
{
  Render render = { G_OBJECT (event), encode_event, req->store };

  /* The server's clock is the authority: every event says when it came. */
  sd_case_event_set_recorded_at (event, g_get_real_time () / G_USEC_PER_SEC);
  return sd_store_put (req->store, "case_event", sd_case_event_get_id (event),
                       customer_id, sd_case_event_get_case_id (event), 0, idempotency,
                       _sd_render_cb, &render, NULL, error);
}

static gboolean valid_status (const char *v) { SdCaseStatus s; return sd_case_status_from_string (v, &s); }

static gboolean valid_type (const char *v) { SdCaseType t; return sd_case_type_from_string (v, &t); }

static gboolean valid_severity (const char *v) { return strlen (v) == 1 && v[0] >= '1' && v[0] <= '4'; }

void
_sd_handle_list_cases (SdRequest *req)
{
  SdStoreFilter filters[5];
  guint n = 0;

  if (_sd_query_get (req, "handled_while_away") != NULL)
    {
      _sd_handle_cases_handled_while_away (req);
      return;
    }
  if (_sd_add_filter (req, filters, &n, "status", "$.status", valid_status)
      && _sd_add_filter (req, filters, &n, "severity", "$.severity", valid_severity)
      && _sd_add_filter (req, filters, &n, "type", "$.type", valid_type)
      && _sd_add_filter (req, filters, &n, "customer_id", "$.customer_id", NULL)
      && _sd_add_filter (req, filters, &n, "assignee_id", "$.assignee_id", NULL))
    _sd_list_kind (req, "case", TRUE, filters, n);
}

void
_sd_handle_get_case (SdRequest *req)
{
  _sd_get_kind (req, "case");
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
  customer = _sd_load_customer (req, sd_case_get_customer_id (kase));
  if (assignee == NULL || customer == NULL
      || !(_sd_role_sees_everything (sd_user_get_role (assignee))
           || _sd_customer_is_visible_to (customer, assignee_id)
           || _sd_is_deputy_for (req->store, customer, assignee_id)))
    return sd_json_set_invalid (error, "case", "assignee_id",
                                "there is no user “%s” who may see this customer", assignee_id);
  return TRUE;
}

/* A time a client states may not lie ahead of the server's clock (beyond
 * the skew clocks have): nobody reports or answers in the future. */
static gboolean
check_not_future (gint64       t,
                  const char  *path,
                  const char  *field,
                  GError     **error)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (t != SD_TIME_NONE && t > now + SD_CASE_EVENT_MAX_SKEW)
    {
      g_autofree char *clock = sd_time_format_iso8601 (now, NULL);

      return sd_json_set_invalid (error, path, field, "lies in the future (the server's clock says %s)", clock);
    }
  return TRUE;
}

/* The service-request rules (a private patch only in a life-cycle stage
 * that allows it), the texts' lengths, the assignee, and no time in the
 * future. */
static gboolean
check_case_rules (SdRequest  *req,
                  SdCase     *kase,
                  GError    **error)
{
  return check_not_future (sd_case_get_reported_at (kase), "case", "reported_at", error)
         && check_not_future (sd_case_get_responded_at (kase), "case", "responded_at", error)
         && _sd_check_text_length (sd_case_get_title (kase), "case", "title", MAX_TITLE, error)
         && _sd_check_text_length (sd_case_get_description (kase), "case", "description", MAX_DESCRIPTION, error)
         && check_assignee (req, kase, error)
         && sd_service_request_check (kase, error);
}

/* The case types the customer's contract offers. */
static gboolean
check_case_type (SdRequest  *req,
                 SdCase     *kase,
                 GError    **error)
{
  g_autoptr(SdCustomer) customer = _sd_load_customer (req, sd_case_get_customer_id (kase));

  return customer == NULL
         || sd_customer_check_case_type (customer, sd_case_get_case_type (kase), error);
}

gboolean
_sd_check_case (SdRequest  *req,
                GObject    *entity,
                GError    **error)
{
  return check_case_type (req, SD_CASE (entity), error)
         && check_case_rules (req, SD_CASE (entity), error);
}

/* A pause needs a reason (DESIGN §3), not blank: the timeline says why the
 * case waits. */
static gboolean
check_pause_reason (SdRequest   *req,
                    SdCase      *kase,
                    const char  *reason,
                    GError     **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (reason ? reason : ""));

  if (_sd_status_pauses (req, sd_case_get_customer_id (kase), sd_case_get_status (kase))
      && *stripped == '\0')
    return sd_json_set_invalid (error, "case", "reason", "is missing: say why the case waits (“%s” stops the clock)",
                                sd_case_status_to_string (sd_case_get_status (kase)));
  return TRUE;
}

/* "reason" is for the timeline, not a member of the case. */
gboolean
_sd_prepare_case (SdRequest   *req,
                  JsonObject  *object,
                  GError     **error)
{
  const char *reason = NULL;

  if (!sd_json_get_string (object, "case", "reason", FALSE, &reason, error))
    return FALSE;
  json_object_remove_member (object, "reason");
  return TRUE;
}

/* A case created in a pausing status records, with the reason it needs, a
 * status change from new at the time the server receives it: the clock
 * ran from the report until then. */
gboolean
_sd_case_created_events (SdRequest   *req,
                         GObject     *entity,
                         JsonObject  *body,
                         GPtrArray   *events,
                         GError     **error)
{
  SdCase *kase = SD_CASE (entity);
  const char *reason = NULL;

  _sd_route_new_case (req, kase, events);
  if (sd_case_get_status (kase) == SD_CASE_STATUS_NEW
      || !_sd_status_pauses (req, sd_case_get_customer_id (kase), sd_case_get_status (kase)))
    return TRUE;
  if (!sd_json_get_string (body, "case", "reason", FALSE, &reason, error)
      || !check_pause_reason (req, kase, reason, error))
    return FALSE;
  g_ptr_array_add (events, sd_case_event_new_status_change (sd_case_get_id (kase), req->user_id,
                                                            g_get_real_time () / G_USEC_PER_SEC,
                                                            SD_CASE_STATUS_NEW, sd_case_get_status (kase),
                                                            reason));
  return TRUE;
}

void
_sd_handle_update_case (SdRequest *req)
{
  static const char * const immutable[] = { "id", "customer_id", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(SdCase) before = NULL;
  g_autoptr(SdCase) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  const char *reason = NULL;
  JsonObject *patch, *object;
  gint64 expected, now = g_get_real_time () / G_USEC_PER_SEC;

  if (!(patch = _sd_patch_begin (req, "case", &expected, &record, &root)))
    return;
  if (!sd_json_get_string (patch, "case", "reason", FALSE, &reason, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }

  stored = sd_json_parse (record->body, -1, NULL);
  before = sd_case_from_json (stored, NULL, NULL);
  object = json_node_get_object (stored);

  if (!sd_request_body_merge (object, patch, "case", immutable,
                              sd_kind_lookup ("case")->patch_ignored, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }

  if (!(after = sd_case_from_json (stored, NULL, &error))
      || !check_case_rules (req, after, &error)
      || (before != NULL && sd_case_get_case_type (before) != sd_case_get_case_type (after)
          && !check_case_type (req, after, &error)))
    {
      _sd_respond_invalid (req, error);
      return;
    }

  /* The record a customer audits: a response cannot move earlier, and the
   * report time changes only with a reason, by a duty manager or admin. */
  if (before != NULL && sd_case_get_responded_at (before) != SD_TIME_NONE
      && (sd_case_get_responded_at (after) == SD_TIME_NONE
          || sd_case_get_responded_at (after) < sd_case_get_responded_at (before)))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “case.responded_at” cannot move earlier or be removed once a response is recorded",
                           "case.responded_at");
      return;
    }
  if (before != NULL && sd_case_get_reported_at (before) != sd_case_get_reported_at (after))
    {
      if (req->user == NULL || !(sd_user_get_role (req->user) == SD_ROLE_DUTY_MANAGER
                                 || sd_user_get_role (req->user) == SD_ROLE_ADMIN))
        {
          _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Not allowed",
                               "Only a duty manager or an admin may change when a case was reported",
                               "case.reported_at");
          return;
        }
      if (reason == NULL || *reason == '\0')
        {
          _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                               "Field “case.reason” is missing: say why the report time changes", "case.reason");
          return;
        }
    }

  if (before != NULL && sd_case_get_status (before) != sd_case_get_status (after)
      && !check_pause_reason (req, after, reason, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }

  if (before != NULL && sd_case_get_severity (before) != sd_case_get_severity (after)
      && (reason == NULL || *reason == '\0'))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
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
  if (before != NULL && sd_case_get_reported_at (before) != sd_case_get_reported_at (after))
    g_ptr_array_add (events, sd_case_event_new_report_time_change (sd_case_get_id (after), req->user_id, now,
                                                                   sd_case_get_reported_at (before),
                                                                   sd_case_get_reported_at (after), reason));
  if (before != NULL && sd_case_get_responded_at (before) == SD_TIME_NONE
      && sd_case_get_responded_at (after) != SD_TIME_NONE)
    g_ptr_array_add (events, sd_case_event_new_response_given (sd_case_get_id (after), req->user_id,
                                                               sd_case_get_responded_at (after), reason));

  _sd_update_entity (req, record, expected, G_OBJECT (after), _sd_encode_case, events);
}

void
_sd_handle_list_events (SdRequest *req)
{
  g_autoptr(SdStoreRecord) kase = _sd_request_get_visible (req, "case", req->params->pdata[0]);
  SdStoreQuery query = { 0 };
  gint64 limit;

  if (kase == NULL || !_sd_query_get_int (req, "limit", 1, MAX_PAGE, MAX_PAGE, &limit))
    return;
  query.parent_id = kase->id;
  _sd_respond_page (req, "case_event", &query, limit);
}

void
_sd_handle_get_event (SdRequest *req)
{
  g_autoptr(SdStoreRecord) kase = _sd_request_get_visible (req, "case", req->params->pdata[0]);
  g_autoptr(SdStoreRecord) event = NULL;

  if (kase == NULL)
    return;
  event = sd_store_get (req->store, "case_event", req->params->pdata[1], NULL);
  if (event == NULL || g_strcmp0 (event->parent_id, kase->id) != 0)
    {
      _sd_respond_not_found (req);
      return;
    }
  _sd_respond_json (req, SOUP_STATUS_OK, _sd_record_to_client (req, event));
}

void
_sd_handle_append_event (SdRequest *req)
{
  g_autoptr(SdStoreRecord) kase = _sd_request_get_visible (req, "case", req->params->pdata[0]);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdCaseEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) prior = NULL;
  g_autofree char *idempotency = NULL;
  g_autofree char *location = NULL;
  JsonObject *body;
  SdEventKind kind;

  if (kase == NULL || !_sd_request_idempotency (req, &idempotency) || !(body = _sd_read_body (req, &root)))
    return;

  /* Said before anything else is checked: these kinds never come here. */
  if (sd_event_kind_from_string (json_object_get_string_member_with_default (body, "kind", NULL), &kind)
      && (kind == SD_EVENT_STATUS_CHANGE || kind == SD_EVENT_SEVERITY_CHANGE
          || kind == SD_EVENT_REPORT_TIME_CHANGE))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “event.kind”: status, severity and report time changes are recorded by PATCH on the case",
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
      || !_sd_check_text_length (sd_case_event_get_body (event), "event", "body", MAX_COMMENT, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (g_strcmp0 (sd_case_event_get_case_id (event), kase->id) != 0)
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “event.case_id” does not match the case in the path", "event.case_id");
      return;
    }
  kind = sd_case_event_get_kind (event);
  {
    g_autoptr(JsonNode) stored = sd_json_parse (kase->body, -1, NULL);
    g_autoptr(SdCase) parent = stored ? sd_case_from_json (stored, NULL, NULL) : NULL;

    if (parent != NULL && sd_case_event_get_at (event) < sd_case_get_reported_at (parent))
      {
        _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                             "Field “event.at” is earlier than the case was reported", "event.at");
        return;
      }
    if (!check_not_future (sd_case_event_get_at (event), "event", "at", &error))
      {
        _sd_respond_invalid (req, error);
        return;
      }
    /* A database release records the contract's three steps, in order. */
    if (parent != NULL && kind == SD_EVENT_PROGRESS_STEP
        && sd_case_get_case_type (parent) == SD_CASE_TYPE_DATABASE_RELEASE)
      {
        g_autoptr(GPtrArray) timeline = _sd_load_events (req, kase->id);

        if (!sd_database_release_check_step (parent, timeline, sd_case_event_get_step (event), &error))
          {
            _sd_respond_invalid (req, error);
            return;
          }
      }
  }
  if (!sd_store_begin (req->store, &error))
    {
      _sd_respond_store_error (req, error);
      return;
    }
  prior = _sd_sla_record_before (req, kase->id);
  record = _sd_append_event (req, event, kase->customer_id, idempotency, &error);

  /* A response stops the response clock: the case records it too. */
  if (record != NULL && kind == SD_EVENT_RESPONSE_GIVEN)
    {
      g_autoptr(JsonNode) stored = sd_json_parse (kase->body, -1, NULL);
      g_autoptr(SdCase) updated = stored ? sd_case_from_json (stored, NULL, NULL) : NULL;

      if (updated != NULL && sd_case_get_responded_at (updated) == SD_TIME_NONE)
        {
          g_autoptr(SdStoreRecord) saved = NULL;
          Render render = { G_OBJECT (updated), _sd_encode_case, req->store };

          sd_case_set_responded_at (updated, sd_case_event_get_at (event));
          saved = sd_store_put (req->store, "case", kase->id, kase->customer_id, NULL,
                                kase->version, NULL, _sd_render_cb, &render, NULL, &error);
          if (saved == NULL)
            g_clear_pointer (&record, sd_store_record_free);
        }
    }
  if (record != NULL && !_sd_sla_record_write (req, kase->id, prior, &error))
    g_clear_pointer (&record, sd_store_record_free);
  if (record == NULL || !sd_store_commit (req->store, &error))
    {
      sd_store_rollback (req->store);
      _sd_respond_store_error (req, error);
      return;
    }

  location = g_strconcat (API_PREFIX "/cases/", kase->id, "/events/", record->id, NULL);
  _sd_respond_created (req, record, location);
}
