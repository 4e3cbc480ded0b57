/* sd-kind.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-case.h"
#include "sd-case-event.h"
#include "sd-calendar.h"
#include "sd-checklist-template.h"
#include "sd-contact.h"
#include "sd-customer.h"
#include "sd-duty-shift.h"
#include "sd-health-check.h"
#include "sd-kind.h"
#include "sd-notification.h"
#include "sd-sla-policy.h"
#include "sd-sla-record.h"
#include "sd-user.h"

typedef GObject    *(*Decode) (JsonNode *, const char *, GError **);
typedef const char *(*Getter) (gpointer);
typedef gint64      (*TimeGetter) (gpointer);

/* The server keeps these; a client never sets them. */
static const char * const entity_read_only[] = { "version", "updated_at", NULL };
static const char * const event_read_only[] = { "version", "updated_at", "recorded_at", NULL };
static const char * const case_read_only[] = { "number", "version", "updated_at", "sla", NULL };
/* A case patch says why the severity or status changes in "reason": the
 * timeline records it, the case does not. */
static const char * const case_patch_ignored[] = { "number", "version", "updated_at", "sla", "reason", NULL };

static GObject *
decode_user (JsonNode    *node,
             const char  *path,
             GError     **error)
{
  /* Other users are seen in the limited view; one's own record in full. */
  return (GObject *) sd_user_from_json_view (node, path, SD_USER_VIEW_LIMITED, error);
}

static const SdKind kind_user = {
  .name = "user",
  .collection = "/users",
  .decode = decode_user,
  .get_id = (Getter) sd_user_get_id,
  .get_updated_at = (TimeGetter) sd_user_get_updated_at,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

static const SdKind kind_calendar = {
  .name = "calendar",
  .decode = (Decode) sd_calendar_from_json,
  .get_id = (Getter) sd_calendar_get_id,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

static const SdKind kind_sla_policy = {
  .name = "sla_policy",
  .decode = (Decode) sd_sla_policy_from_json,
  .get_id = (Getter) sd_sla_policy_get_id,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

static const SdKind kind_checklist_template = {
  .name = "checklist_template",
  .decode = (Decode) sd_checklist_template_from_json,
  .get_id = (Getter) sd_checklist_template_get_id,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

static const SdKind kind_customer = {
  .name = "customer",
  .collection = "/customers",
  .decode = (Decode) sd_customer_from_json,
  .get_id = (Getter) sd_customer_get_id,
  .get_customer_id = (Getter) sd_customer_get_id,
  .get_updated_at = (TimeGetter) sd_customer_get_updated_at,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

/* A customer's people; only admins write them (/contacts), everyone who
 * sees the customer reads them. */
static const SdKind kind_contact = {
  .name = "contact",
  .collection = "/contacts",
  .decode = (Decode) sd_contact_from_json,
  .get_id = (Getter) sd_contact_get_id,
  .get_customer_id = (Getter) sd_contact_get_customer_id,
  .get_updated_at = (TimeGetter) sd_contact_get_updated_at,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

/* The duty rota: admins and duty managers write it (/duty-shifts),
 * everyone reads it (who answers depends on it). */
static const SdKind kind_duty_shift = {
  .name = "duty_shift",
  .collection = "/duty-shifts",
  .decode = (Decode) sd_duty_shift_from_json,
  .get_id = (Getter) sd_duty_shift_get_id,
  .get_updated_at = (TimeGetter) sd_duty_shift_get_updated_at,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

static const SdKind kind_case = {
  .name = "case",
  .collection = "/cases",
  .decode = (Decode) sd_case_from_json,
  .get_id = (Getter) sd_case_get_id,
  .get_customer_id = (Getter) sd_case_get_customer_id,
  .get_updated_at = (TimeGetter) sd_case_get_updated_at,
  .read_only = case_read_only,
  .patch_ignored = case_patch_ignored,
};

static const SdKind kind_case_event = {
  .name = "case_event",
  .decode = (Decode) sd_case_event_from_json,
  .get_id = (Getter) sd_case_event_get_id,
  .get_parent_id = (Getter) sd_case_event_get_case_id,
  .get_updated_at = (TimeGetter) sd_case_event_get_at,
  .read_only = event_read_only,
  .patch_ignored = event_read_only,
};

/* Written by the server only, as a case and its timeline change. */
static const SdKind kind_sla_record = {
  .name = "sla_record",
  .decode = (Decode) sd_sla_record_from_json,
  .get_id = (Getter) sd_sla_record_get_case_id,
  .get_customer_id = (Getter) sd_sla_record_get_customer_id,
  .get_parent_id = (Getter) sd_sla_record_get_case_id,
  .get_updated_at = (TimeGetter) sd_sla_record_get_updated_at,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

static const SdKind kind_health_check = {
  .name = "health_check",
  .collection = "/health-checks",
  .decode = (Decode) sd_health_check_from_json,
  .get_id = (Getter) sd_health_check_get_id,
  .get_customer_id = (Getter) sd_health_check_get_customer_id,
  .get_updated_at = (TimeGetter) sd_health_check_get_updated_at,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

/* Written by the server only; the feed carries each to its recipient
 * alone (the "parent" is the recipient), who marks it read. */
static const SdKind kind_notification = {
  .name = "notification",
  .collection = "/notifications",
  .decode = (Decode) sd_notification_from_json,
  .get_id = (Getter) sd_notification_get_id,
  .get_parent_id = (Getter) sd_notification_get_recipient_id,
  .get_updated_at = (TimeGetter) sd_notification_get_updated_at,
  .read_only = entity_read_only,
  .patch_ignored = entity_read_only,
};

static const SdKind * const kinds[] = {
  &kind_user,
  &kind_calendar,
  &kind_sla_policy,
  &kind_checklist_template,
  &kind_customer,
  &kind_contact,
  &kind_duty_shift,
  &kind_case,
  &kind_case_event,
  &kind_sla_record,
  &kind_health_check,
  &kind_notification,
  NULL
};

const SdKind *
sd_kind_lookup (const char *name)
{
  for (guint i = 0; name != NULL && kinds[i] != NULL; i++)
    if (g_str_equal (kinds[i]->name, name))
      return kinds[i];
  return NULL;
}

const SdKind * const *
sd_kind_list (void)
{
  return kinds;
}

GPtrArray *
sd_kind_decode_all (const SdKind *kind,
                    GPtrArray    *bodies)
{
  GPtrArray *objects;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (bodies != NULL, NULL);

  objects = g_ptr_array_new_full (bodies->len, g_object_unref);
  for (guint i = 0; i < bodies->len; i++)
    {
      GObject *object = kind->decode (bodies->pdata[i], NULL, NULL);

      if (object != NULL)
        g_ptr_array_add (objects, object);
    }
  return objects;
}
