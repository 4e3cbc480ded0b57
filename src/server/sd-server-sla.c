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
  context->calendar = _sd_load_calendar (req, customer);
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
  g_autoptr(SdSlaPolicy) policy = NULL;
  SlaContext *context;
  SdSlaResult result;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint32 day;
  SdTier tier;

  if (kase == NULL || !(context = request_sla_context (req, sd_case_get_customer_id (kase))))
    return g_steal_pointer (&node);

  /* The contract and the policy in force on the day of the report: a
   * later policy change leaves the case's targets as they were. */
  day = sd_sla_policy_day_of (sd_case_get_reported_at (kase), sd_customer_get_time_zone (context->customer));
  tier = sd_customer_get_tier_on (context->customer, day);
  policy = sd_sla_policy_pick (context->policies, sd_customer_get_id (context->customer), tier, day);
  events = _sd_load_events (req, sd_case_get_id (kase));
  sd_case_compute_sla (kase, events, policy, context->calendar, tier, now, &result);
  sd_case_set_sla (kase, &result, now);
  return sd_case_to_json (kase);
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
