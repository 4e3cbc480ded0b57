/* sd-report-store.c — a report's input from the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include "sd-case-event.h"
#include "sd-local-store.h"
#include "sd-report.h"

typedef GObject *(*Decoder) (JsonNode *node, const char *path, GError **error);

static GPtrArray *
load_kind (SdLocalStore  *store,
           const char    *kind,
           Decoder        decode,
           GError       **error)
{
  g_autoptr(GPtrArray) bodies = sd_local_store_list (store, kind, NULL, error);
  GPtrArray *objects;

  if (bodies == NULL)
    return NULL;
  objects = g_ptr_array_new_full (bodies->len, g_object_unref);
  for (guint i = 0; i < bodies->len; i++)
    {
      GObject *object = decode (bodies->pdata[i], NULL, NULL);

      if (object != NULL)
        g_ptr_array_add (objects, object);
    }
  return objects;
}

gboolean
sd_report_input_load (SdReportInput  *input,
                      SdLocalStore   *store,
                      GError        **error)
{
  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (SD_IS_LOCAL_STORE (store), FALSE);

  *input = (SdReportInput) { NULL, };
  if (!(input->customers = load_kind (store, "customer", (Decoder) sd_customer_from_json, error))
      || !(input->cases = load_kind (store, "case", (Decoder) sd_case_from_json, error))
      || !(input->events = load_kind (store, "case_event", (Decoder) sd_case_event_from_json, error))
      || !(input->calendars = load_kind (store, "calendar", (Decoder) sd_calendar_from_json, error))
      || !(input->policies = load_kind (store, "sla_policy", (Decoder) sd_sla_policy_from_json, error))
      || !(input->health_checks = load_kind (store, "health_check", (Decoder) sd_health_check_from_json, error)))
    {
      sd_report_input_clear (input);
      return FALSE;
    }
  return TRUE;
}

void
sd_report_input_clear (SdReportInput *input)
{
  g_clear_pointer (&input->customers, g_ptr_array_unref);
  g_clear_pointer (&input->cases, g_ptr_array_unref);
  g_clear_pointer (&input->events, g_ptr_array_unref);
  g_clear_pointer (&input->calendars, g_ptr_array_unref);
  g_clear_pointer (&input->policies, g_ptr_array_unref);
  g_clear_pointer (&input->health_checks, g_ptr_array_unref);
}
