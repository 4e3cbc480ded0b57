/* sd-server-sla.c — entities as clients see them: cases with their SLA clocks computed
 * now, other users without their login
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <sd-model.h>

#include "sd-server-private.h"

static void
sla_context_free (SlaContext *context)
{
  g_clear_object (&context->customer);
  g_clear_pointer (&context->policies, g_ptr_array_unref);
  g_clear_object (&context->calendar);
  g_free (context);
}

/* Every SLA policy: the tiers' versions and the customers' overrides. */
static GPtrArray *
load_policies (SdRequest *req)
{
  SdStoreQuery query = { 0 };
  g_autoptr(GPtrArray) records = sd_store_list (req->store, "sla_policy", &query, NULL);
  GPtrArray *policies = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = record->body ? sd_json_parse (record->body, -1, NULL) : NULL;
      SdSlaPolicy *policy = node ? sd_sla_policy_from_json (node, NULL, NULL) : NULL;

      if (policy != NULL)
        g_ptr_array_add (policies, policy);
    }
  return policies;
}

SdCalendar *
_sd_load_calendar (SdRequest  *req,
                   SdCustomer *customer,
                   gint64     *version)
{
  const char *id = sd_customer_get_calendar_id (customer);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autofree char *key = NULL;
  SdCalendar *calendar;

  if (id != NULL)
    record = sd_store_get (req->store, "calendar", id, NULL);
  if (version != NULL)
    *version = record != NULL ? record->version : 0;

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

SdCustomer *
_sd_load_customer (SdRequest  *req,
                   const char *id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "customer", id, NULL);
  g_autoptr(JsonNode) node = record ? sd_json_parse (record->body, -1, NULL) : NULL;

  return node ? sd_customer_from_json (node, NULL, NULL) : NULL;
}

GPtrArray *
_sd_load_events (SdRequest  *req,
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
  if (!(customer = _sd_load_customer (req, customer_id)))
    return NULL;

  context = g_new0 (SlaContext, 1);
  context->policies = load_policies (req);
  context->calendar = _sd_load_calendar (req, customer, &context->calendar_version);
  context->customer = g_steal_pointer (&customer);
  g_hash_table_insert (req->contexts, g_strdup (customer_id), context);
  return context;
}

/* The contract tier and the policy in force on @reported_at's day in the
 * customer's zone: a later policy change leaves a case's targets as they
 * were. */
static SdSlaPolicy *
policy_on (SlaContext *context,
           gint64      reported_at,
           SdTier     *tier)
{
  guint32 day = sd_sla_policy_day_of (reported_at, sd_customer_get_time_zone (context->customer));

  *tier = sd_customer_get_tier_on (context->customer, day);
  return sd_sla_policy_pick (context->policies, sd_customer_get_id (context->customer), *tier, day);
}

gboolean
_sd_status_pauses (SdRequest    *req,
                   const char   *customer_id,
                   SdCaseStatus  status)
{
  SlaContext *context = request_sla_context (req, customer_id);
  g_autoptr(SdSlaPolicy) policy = NULL;
  SdTier tier;

  if (context == NULL)
    return FALSE;
  policy = policy_on (context, g_get_real_time () / G_USEC_PER_SEC, &tier);
  return sd_sla_policy_is_pausing_status (policy, status);
}

static GArray *load_record (SdRequest  *req,
                            const char *case_id,
                            gboolean    settled);

gboolean
_sd_case_clock (SdRequest    *req,
                SdCase       *kase,
                gint64        now,
                SdSlaResult  *result,
                gint64       *warning_at)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SdSlaPolicy) policy = NULL;
  SlaContext *context;
  SdTier tier;
  gint64 warning;

  if (!(context = request_sla_context (req, sd_case_get_customer_id (kase))))
    return FALSE;
  policy = policy_on (context, sd_case_get_reported_at (kase), &tier);
  if (policy == NULL)
    return FALSE;
  events = _sd_load_events (req, sd_case_get_id (kase));
  sd_case_compute_sla (kase, events, policy, context->calendar, tier, now, result);
  /* At risk once the remaining clock time is down to the warning share. */
  warning = result->response.target * sd_sla_policy_get_warning_percent (policy) / 100;
  *warning_at = SD_TIME_NONE;
  if (result->response.state == SD_SLA_RUNNING && result->response.remaining > warning)
    *warning_at = result->response.clock == SD_CLOCK_BUSINESS && context->calendar
                  ? sd_calendar_add_working_seconds (context->calendar, now, result->response.remaining - warning)
                  : now + (result->response.remaining - warning);
  return TRUE;
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
  g_autoptr(SdSlaPolicy) policy = NULL;
  SlaContext *context;
  SdSlaResult result;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  SdTier tier;

  if (kase == NULL || !(context = request_sla_context (req, sd_case_get_customer_id (kase))))
    return g_steal_pointer (&node);

  policy = policy_on (context, sd_case_get_reported_at (kase), &tier);
  events = _sd_load_events (req, sd_case_get_id (kase));
  sd_case_compute_sla (kase, events, policy, context->calendar, tier, now, &result);
  /* A response clock that stopped keeps the outcome on record. */
  {
    g_autoptr(GArray) record = load_record (req, sd_case_get_id (kase), FALSE);

    sd_sla_ledger_apply_closed (record, &result);
  }
  sd_case_set_sla (kase, &result, now);
  return sd_case_to_json (kase);
}

char *
_sd_record_to_feed (SdRequest     *req,
                    SdStoreRecord *record)
{
  if (record->body == NULL)
    return NULL;
  if (g_strcmp0 (record->kind, "user") == 0 && g_strcmp0 (record->id, req->user_id) != 0)
    return sd_user_limit_view (record->body);
  return g_strdup (record->body);
}

char *
_sd_record_to_client (SdRequest     *req,
                      SdStoreRecord *record)
{
  if (record->body == NULL)
    return NULL;
  if (g_strcmp0 (record->kind, "case") == 0)
    {
      g_autoptr(JsonNode) node = case_with_sla (req, record->body);

      return sd_json_to_string (node, FALSE);
    }
  /* Others see the limited view; admins, who manage users, the full one. */
  if (g_strcmp0 (record->kind, "user") == 0 && g_strcmp0 (record->id, req->user_id) != 0
      && (req->user == NULL || sd_user_get_role (req->user) != SD_ROLE_ADMIN))
    return sd_user_limit_view (record->body);
  return g_strdup (record->body);
}

/* ------------------------------------------------------------ the ledger */

static SdCase *
load_case (SdRequest  *req,
           const char *case_id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "case", case_id, NULL);
  g_autoptr(JsonNode) node = record ? sd_json_parse (record->body, -1, NULL) : NULL;

  return node ? sd_case_from_json (node, NULL, NULL) : NULL;
}

/* The case's stored record; with @settled, only what stays: the closed
 * periods, the breaches kept before, and those whose due time had passed
 * by more than a quarter hour when the record was written (a time entered
 * within the quarter hour is not backdated, and may still stop the
 * clock). */
static GArray *
load_record (SdRequest  *req,
             const char *case_id,
             gboolean    settled)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "sla_record", case_id, NULL);
  g_autoptr(JsonNode) node = record ? sd_json_parse (record->body, -1, NULL) : NULL;
  g_autoptr(SdSlaRecord) stored = node ? sd_sla_record_from_json (node, NULL, NULL) : NULL;
  GArray *periods;

  if (stored == NULL)
    return NULL;
  periods = g_array_ref (sd_sla_record_get_periods (stored));
  if (settled)
    for (guint i = periods->len; i-- > 0;)
      {
        const SdSlaPeriod *period = &g_array_index (periods, SdSlaPeriod, i);

        if (period->ended_by == SD_SLA_END_NONE
            && !(sd_sla_period_is_breach (period)
                 && (period->kept || period->due + SD_CASE_EVENT_BACKDATED_AFTER <= record->updated_at)))
          g_array_remove_index (periods, i);
      }
  return periods;
}

/* The ledger of @kase at @at, with the breaches of @prior kept. */
static GArray *
derive (SdRequest *req,
        SdCase    *kase,
        GArray    *prior,
        gint64     at)
{
  SlaContext *context = request_sla_context (req, sd_case_get_customer_id (kase));
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(SdSlaPolicy) policy = NULL;
  GArray *ledger;
  SdTier tier;

  if (context == NULL)
    return NULL;
  policy = policy_on (context, sd_case_get_reported_at (kase), &tier);
  events = _sd_load_events (req, sd_case_get_id (kase));
  ledger = sd_sla_ledger_derive (kase, events, policy, context->calendar, tier, at);
  sd_sla_ledger_set_calendar_version (ledger, context->calendar_version);
  sd_sla_ledger_keep (ledger, prior);
  return ledger;
}

GArray *
_sd_sla_record_before (SdRequest  *req,
                       const char *case_id)
{
  g_autoptr(SdCase) kase = load_case (req, case_id);
  g_autoptr(GArray) stored = load_record (req, case_id, TRUE);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (kase == NULL)
    return NULL;
  /* A time entered within the quarter hour is not backdated: it may
   * still stop a clock that ran out meanwhile; one entered later may not. */
  return derive (req, kase, stored, now - SD_CASE_EVENT_BACKDATED_AFTER);
}

static JsonNode *
encode_record (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_sla_record_set_version (SD_SLA_RECORD (render->object), version);
  sd_sla_record_set_updated_at (SD_SLA_RECORD (render->object), updated_at);
  return sd_sla_record_to_json (SD_SLA_RECORD (render->object));
}

gboolean
_sd_sla_record_write (SdRequest   *req,
                      const char  *case_id,
                      GArray      *prior,
                      GError     **error)
{
  g_autoptr(SdCase) kase = load_case (req, case_id);
  g_autoptr(GArray) ledger = NULL;
  g_autoptr(SdSlaRecord) record = NULL;
  g_autoptr(SdStoreRecord) saved = NULL;
  Render render = { NULL, encode_record, req->store };

  if (kase == NULL || !(ledger = derive (req, kase, prior, g_get_real_time () / G_USEC_PER_SEC)))
    return TRUE;  /* nothing to keep a record of */

  record = sd_sla_record_new (case_id, sd_case_get_customer_id (kase), ledger);
  render.object = G_OBJECT (record);
  saved = sd_store_put (req->store, "sla_record", case_id, sd_case_get_customer_id (kase), case_id,
                        -1, NULL, _sd_render_cb, &render, NULL, error);
  return saved != NULL;
}

/* GET /cases/{id}/sla-record: the record as it stands now — the periods
 * derived from the timeline at this instant, with every breach on record
 * kept. Nothing is written. */
void
_sd_handle_get_sla_record (SdRequest *req)
{
  g_autoptr(SdStoreRecord) visible = _sd_request_get_visible (req, "case", req->params->pdata[0]);
  g_autoptr(SdStoreRecord) stored = NULL;
  g_autoptr(SdCase) kase = NULL;
  g_autoptr(GArray) prior = NULL;
  g_autoptr(GArray) ledger = NULL;
  g_autoptr(SdSlaRecord) record = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (visible == NULL)
    return;
  if (!(kase = load_case (req, visible->id)))
    {
      _sd_respond_not_found (req);
      return;
    }
  prior = load_record (req, visible->id, FALSE);
  if (!(ledger = derive (req, kase, prior, g_get_real_time () / G_USEC_PER_SEC)))
    {
      _sd_respond_not_found (req);
      return;
    }
  record = sd_sla_record_new (visible->id, visible->customer_id, ledger);
  if ((stored = sd_store_get (req->store, "sla_record", visible->id, NULL)) != NULL)
    {
      sd_sla_record_set_version (record, stored->version);
      sd_sla_record_set_updated_at (record, stored->updated_at);
    }
  node = sd_sla_record_to_json (record);
  _sd_respond_json (req, SOUP_STATUS_OK, sd_json_to_string (node, FALSE));
}
