/* sd-case-sla.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-case-sla"

#include "config.h"

#include "sd-case-event.h"
#include "sd-case-sla.h"
#include "sd-sla-ledger-private.h"

int
_sd_case_event_compare_by_time (gconstpointer a,
                                gconstpointer b)
{
  SdCaseEvent *ea = *(SdCaseEvent **) a;
  SdCaseEvent *eb = *(SdCaseEvent **) b;
  gint64 ta = sd_case_event_get_at (ea);
  gint64 tb = sd_case_event_get_at (eb);

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return g_strcmp0 (sd_case_event_get_id (ea), sd_case_event_get_id (eb));
}

/* Appends [start, end) to @spans, merging it with a span that ends where
 * it starts. @end may be SD_TIME_NONE (still open). */
static void
add_pause (GArray *spans,
           gint64  start,
           gint64  end)
{
  if (end != SD_TIME_NONE && end <= start)
    return;

  if (spans->len > 0)
    {
      SdSlaSpan *last = &g_array_index (spans, SdSlaSpan, spans->len - 1);

      if (last->end == start)
        {
          last->end = end;
          return;
        }
    }

  g_array_append_vals (spans, &(SdSlaSpan) { start, end }, 1);
}

void
sd_case_build_sla_input (SdCase      *self,
                         GPtrArray   *events,
                         SdSlaPolicy *policy,
                         SdTier       tier,
                         SdSlaInput  *out,
                         GArray      *pause_storage)
{
  g_autoptr(GPtrArray) changes = NULL;
  const char *case_id;
  gint64 reported_at;
  gint64 first_response = SD_TIME_NONE;
  gint64 last_report = SD_TIME_NONE;
  gint64 since;
  gboolean changes_severity = FALSE;
  SdCaseStatus status;

  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (SD_IS_SLA_POLICY (policy));
  g_return_if_fail (out != NULL);
  g_return_if_fail (pause_storage != NULL);
  g_return_if_fail (g_array_get_element_size (pause_storage) == sizeof (SdSlaSpan));

  case_id = sd_case_get_id (self);
  reported_at = sd_case_get_reported_at (self);
  changes = g_ptr_array_new ();
  g_array_set_size (pause_storage, 0);

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      SdCaseEvent *event = g_ptr_array_index (events, i);
      gint64 at;

      g_return_if_fail (SD_IS_CASE_EVENT (event));

      if (g_strcmp0 (sd_case_event_get_case_id (event), case_id) != 0)
        continue;

      at = sd_case_event_get_at (event);
      switch (sd_case_event_get_kind (event))
        {
        case SD_EVENT_STATUS_CHANGE:
          g_ptr_array_add (changes, event);
          break;
        case SD_EVENT_RESPONSE_GIVEN:
          if (first_response == SD_TIME_NONE || at < first_response)
            first_response = at;
          break;
        case SD_EVENT_DAILY_REPORT_SENT:
          if (last_report == SD_TIME_NONE || at > last_report)
            last_report = at;
          break;
        case SD_EVENT_SEVERITY_CHANGE:
          changes_severity = TRUE;
          break;
        case SD_EVENT_COMMENT:
        case SD_EVENT_PROGRESS_STEP:
        /* The case's reported_at already holds the corrected time. */
        case SD_EVENT_REPORT_TIME_CHANGE:
        default:
          break;
        }
    }

  g_ptr_array_sort (changes, _sd_case_event_compare_by_time);

  status = changes->len > 0
           ? sd_case_event_get_status_from (g_ptr_array_index (changes, 0))
           : sd_case_get_status (self);
  since = reported_at;

  for (guint i = 0; i < changes->len; i++)
    {
      SdCaseEvent *change = g_ptr_array_index (changes, i);
      gint64 at = MAX (sd_case_event_get_at (change), reported_at);

      if (sd_sla_policy_is_pausing_status (policy, status))
        add_pause (pause_storage, since, at);
      status = sd_case_event_get_status_to (change);
      since = at;
    }

  if (sd_sla_policy_is_pausing_status (policy, sd_case_get_status (self)))
    add_pause (pause_storage, since, SD_TIME_NONE);

  /* The response clock runs until the first response, and a pausing status
   * stops it only where the policy says so (DESIGN §3). */
  if (!sd_sla_policy_get_pause_before_response (policy))
    g_array_set_size (pause_storage, 0);

  out->tier = tier;
  out->severity = sd_case_get_severity (self);
  out->status = sd_case_get_status (self);
  out->reported_at = reported_at;
  out->responded_at = sd_case_get_responded_at (self);
  if (out->responded_at == SD_TIME_NONE)
    out->responded_at = first_response;
  out->pauses = pause_storage->len > 0 ? &g_array_index (pause_storage, SdSlaSpan, 0) : NULL;
  out->n_pauses = pause_storage->len;
  out->last_daily_report_at = last_report;

  /* The clocks of the current periods (see sd-sla-ledger.h). */
  if (changes_severity)
    {
      g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (SdSlaSegment));
      guint i;

      _sd_sla_segments (self, events, segments);
      /* The response clock: the stretch the response came in, else the last. */
      for (i = 0; i + 1 < segments->len; i++)
        if (out->responded_at != SD_TIME_NONE
            && out->responded_at < g_array_index (segments, SdSlaSegment, i).closed)
          break;
      out->response_severity = g_array_index (segments, SdSlaSegment, i).severity;
      out->reported_at = _sd_sla_segment_clock_start (&g_array_index (segments, SdSlaSegment, i),
                                                      i, policy, reported_at);

      /* The daily report: counted from the last one sent in the current
       * stretch, else from its start. */
      i = segments->len - 1;
      since = _sd_sla_segment_clock_start (&g_array_index (segments, SdSlaSegment, i),
                                           i, policy, reported_at);
      if (last_report == SD_TIME_NONE || last_report < g_array_index (segments, SdSlaSegment, i).opened)
        out->last_daily_report_at = since;
    }
  else
    out->response_severity = out->severity;
}

void
sd_case_compute_sla (SdCase      *self,
                     GPtrArray   *events,
                     SdSlaPolicy *policy,
                     SdCalendar  *calendar,
                     SdTier       tier,
                     gint64       now,
                     SdSlaResult *result)
{
  g_autoptr(GArray) pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  SdSlaInput input;

  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (sd_case_get_reported_at (self) != SD_TIME_NONE);
  g_return_if_fail (result != NULL);

  sd_case_build_sla_input (self, events, policy, tier, &input, pauses);
  sd_sla_compute (&input, policy, calendar, now, result);
}
