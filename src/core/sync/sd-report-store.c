/* sd-report-store.c — a report's input from the local store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include "sd-case-event.h"
#include "sd-kind.h"
#include "sd-report-store.h"

static GPtrArray *
load_kind (SdLocalStore  *store,
           const char    *kind,
           GError       **error)
{
  g_autoptr(GPtrArray) bodies = sd_local_store_list (store, kind, NULL, error);

  return bodies != NULL ? sd_kind_decode_all (sd_kind_lookup (kind), bodies) : NULL;
}

gboolean
sd_report_input_load (SdReportInput  *input,
                      SdLocalStore   *store,
                      GError        **error)
{
  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (SD_IS_LOCAL_STORE (store), FALSE);

  *input = (SdReportInput) { NULL, };
  if (!(input->customers = load_kind (store, "customer", error))
      || !(input->cases = load_kind (store, "case", error))
      || !(input->events = load_kind (store, "case_event", error))
      || !(input->calendars = load_kind (store, "calendar", error))
      || !(input->policies = load_kind (store, "sla_policy", error))
      || !(input->health_checks = load_kind (store, "health_check", error))
      || !(input->sla_records = load_kind (store, "sla_record", error))
      || !(input->users = load_kind (store, "user", error))
      || !(input->duty_shifts = load_kind (store, "duty_shift", error))
      || !(input->contacts = load_kind (store, "contact", error)))
    {
      sd_report_input_clear (input);
      return FALSE;
    }
  return TRUE;
}
