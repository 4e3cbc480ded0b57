/* sd-sla-ledger.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sla"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-case-event.h"
#include "sd-case-sla.h"
#include "sd-json.h"
#include "sd-sla-ledger.h"
#include "sd-sla-ledger-private.h"

void
_sd_sla_segments (SdCase    *kase,
                  GPtrArray *events,
                  GArray    *out)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new ();
  const char *case_id = sd_case_get_id (kase);
  gint64 reported_at = sd_case_get_reported_at (kase);
  SdSlaSegment segment;

  g_array_set_size (out, 0);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      SdCaseEvent *event = g_ptr_array_index (events, i);

      if (sd_case_event_get_kind (event) == SD_EVENT_SEVERITY_CHANGE
          && g_strcmp0 (sd_case_event_get_case_id (event), case_id) == 0
          && sd_severity_is_valid (sd_case_event_get_severity_from (event))
          && sd_severity_is_valid (sd_case_event_get_severity_to (event)))
        g_ptr_array_add (changes, event);
    }
  g_ptr_array_sort (changes, _sd_case_event_compare_by_time);

  segment.severity = changes->len > 0
                     ? sd_case_event_get_severity_from (g_ptr_array_index (changes, 0))
                     : sd_case_get_severity (kase);
  segment.opened = reported_at;
  segment.closed = SD_TIME_NONE;

  for (guint i = 0; i < changes->len; i++)
    {
      SdCaseEvent *change = g_ptr_array_index (changes, i);
      gint64 at = MAX (sd_case_event_get_at (change), reported_at);
      int to = sd_case_event_get_severity_to (change);

      if (to == segment.severity)
        continue;
      if (at > segment.opened)
        {
          segment.closed = at;
          g_array_append_val (out, segment);
          segment.opened = at;
          segment.closed = SD_TIME_NONE;
        }
      segment.severity = to;
    }

  /* The case is the authority when its timeline is not complete yet. */
  segment.severity = sd_case_get_severity (kase);
  g_array_append_val (out, segment);
}

gint64
_sd_sla_segment_clock_start (const SdSlaSegment *segment,
                             guint               index,
                             SdSlaPolicy        *policy,
                             gint64              reported_at)
{
  if (index == 0 || sd_sla_policy_get_severity_change (policy) == SD_SEVERITY_CHANGE_RETROACTIVE)
    return reported_at;
  return segment->opened;
}

gboolean
sd_sla_period_is_breach (const SdSlaPeriod *period)
{
  g_return_val_if_fail (period != NULL, FALSE);
  return period->state == SD_SLA_BREACHED || period->state == SD_SLA_MISSED;
}

static void
add_response_periods (GArray           *ledger,
                      const SdSlaInput *facts,
                      GArray           *segments,
                      SdSlaPolicy      *policy,
                      SdCalendar       *calendar,
                      gint64            now)
{
  gint64 responded = facts->responded_at;

  for (guint i = 0; i < segments->len; i++)
    {
      const SdSlaSegment *segment = &g_array_index (segments, SdSlaSegment, i);
      gboolean last = i + 1 == segments->len;
      gboolean responded_here;
      SdSlaInput input = *facts;
      SdSlaResult result;
      SdSlaPeriod period = { 0 };

      /* The response stops the clock: no period opens after it. */
      if (i > 0 && responded != SD_TIME_NONE && responded < segment->opened)
        break;
      responded_here = responded != SD_TIME_NONE && (last || responded < segment->closed);

      input.response_severity = segment->severity;
      input.reported_at = _sd_sla_segment_clock_start (segment, i, policy, facts->reported_at);
      input.responded_at = responded_here ? responded : SD_TIME_NONE;
      if (!last)
        input.status = SD_CASE_STATUS_IN_PROGRESS;
      sd_sla_compute (&input, policy, calendar,
                      responded_here ? MAX (responded, now) : last ? now : segment->closed,
                      &result);

      period.metric = SD_SLA_METRIC_RESPONSE;
      period.severity = segment->severity;
      period.clock = result.response.clock;
      period.target = result.response.target;
      period.opened = segment->opened;
      period.start = input.reported_at;
      period.stop = responded_here ? responded : segment->closed;
      period.ended_by = responded_here ? SD_SLA_END_RESPONSE
                        : last ? SD_SLA_END_NONE : SD_SLA_END_SEVERITY_CHANGE;
      period.due = result.response.due;
      period.elapsed = result.response.elapsed;
      period.state = result.response.state;
      if (period.clock == SD_CLOCK_BUSINESS && calendar != NULL)
        {
          period.calendar_id = g_intern_string (sd_calendar_get_id (calendar));
          period.provisional_year = result.response.provisional_year;
        }
      g_array_append_val (ledger, period);

      if (responded_here)
        break;
    }
}

/* The daily-report clock of one stretch at severity 1, at @at. */
static SdSlaClock
daily_clock (SdSlaPolicy *policy,
             gint64       base,
             gint64       at)
{
  SdSlaInput input = {
    .severity = 1,
    .status = SD_CASE_STATUS_IN_PROGRESS,
    .reported_at = base,
    .responded_at = base,
    .last_daily_report_at = base,
  };
  SdSlaResult result;

  sd_sla_compute (&input, policy, NULL, at, &result);
  return result.daily_report;
}

static void
add_daily_report_periods (GArray           *ledger,
                          SdCase           *kase,
                          GArray           *reports,
                          GArray           *segments,
                          SdSlaPolicy      *policy,
                          gint64            now)
{
  gint64 resolved = SD_TIME_NONE;

  if (!sd_case_is_open (kase))
    resolved = sd_case_get_resolved_at (kase);

  for (guint i = 0; i < segments->len; i++)
    {
      const SdSlaSegment *segment = &g_array_index (segments, SdSlaSegment, i);
      gint64 end = segment->closed;
      SdSlaEnd ended_by = SD_SLA_END_SEVERITY_CHANGE;
      gint64 base, opened;
      SdSlaClock clock;
      SdSlaPeriod period = { .metric = SD_SLA_METRIC_DAILY_REPORT, .severity = 1 };

      if (segment->severity != 1)
        continue;
      if (resolved != SD_TIME_NONE && (end == SD_TIME_NONE || resolved < end))
        {
          end = MAX (resolved, segment->opened);
          ended_by = SD_SLA_END_RESOLUTION;
        }
      if (end == segment->opened)
        continue;

      base = _sd_sla_segment_clock_start (segment, i, policy, sd_case_get_reported_at (kase));
      opened = segment->opened;
      for (guint r = 0; r < reports->len; r++)
        {
          gint64 sent = g_array_index (reports, gint64, r);

          if (sent < segment->opened || (end != SD_TIME_NONE && sent >= end))
            continue;
          clock = daily_clock (policy, base, sent);
          period.clock = clock.clock;
          period.target = clock.target;
          period.opened = opened;
          period.start = base;
          period.stop = sent;
          period.ended_by = SD_SLA_END_DAILY_REPORT;
          period.due = clock.due;
          period.elapsed = clock.elapsed;
          period.state = sent <= clock.due ? SD_SLA_MET : SD_SLA_MISSED;
          g_array_append_val (ledger, period);
          base = opened = sent;
        }

      clock = daily_clock (policy, base, end != SD_TIME_NONE ? end : now);
      period.clock = clock.clock;
      period.target = clock.target;
      period.opened = opened;
      period.start = base;
      period.stop = end;
      period.ended_by = end != SD_TIME_NONE ? ended_by : SD_SLA_END_NONE;
      period.due = clock.due;
      period.elapsed = clock.elapsed;
      period.state = clock.state;
      g_array_append_val (ledger, period);
    }
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static int
compare_periods (gconstpointer a,
                 gconstpointer b)
{
  const SdSlaPeriod *x = a;
  const SdSlaPeriod *y = b;

  if (x->metric != y->metric)
    return x->metric < y->metric ? -1 : 1;
  return (x->opened > y->opened) - (x->opened < y->opened);
}

GArray *
sd_sla_ledger_derive (SdCase      *kase,
                      GPtrArray   *events,
                      SdSlaPolicy *policy,
                      SdCalendar  *calendar,
                      SdTier       tier,
                      gint64       now)
{
  g_autoptr(GArray) pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (SdSlaSegment));
  g_autoptr(GArray) reports = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *ledger = g_array_new (FALSE, TRUE, sizeof (SdSlaPeriod));
  SdSlaInput facts;

  g_return_val_if_fail (SD_IS_CASE (kase), ledger);
  g_return_val_if_fail (SD_IS_SLA_POLICY (policy), ledger);

  sd_case_build_sla_input (kase, events, policy, tier, &facts, pauses);
  /* The report time itself, not the start of the current period. */
  facts.reported_at = sd_case_get_reported_at (kase);
  _sd_sla_segments (kase, events, segments);

  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      SdCaseEvent *event = g_ptr_array_index (events, i);

      if (sd_case_event_get_kind (event) == SD_EVENT_DAILY_REPORT_SENT
          && g_strcmp0 (sd_case_event_get_case_id (event), sd_case_get_id (kase)) == 0)
        {
          gint64 at = sd_case_event_get_at (event);
          g_array_append_val (reports, at);
        }
    }
  g_array_sort (reports, compare_gint64);

  add_response_periods (ledger, &facts, segments, policy, calendar, now);
  add_daily_report_periods (ledger, kase, reports, segments, policy, now);
  return ledger;
}

void
sd_sla_ledger_set_calendar_version (GArray *ledger,
                                    gint64  version)
{
  g_return_if_fail (ledger != NULL);

  for (guint i = 0; i < ledger->len; i++)
    {
      SdSlaPeriod *period = &g_array_index (ledger, SdSlaPeriod, i);

      if (period->calendar_id != NULL)
        period->calendar_version = version;
    }
}

static SdSlaPeriod *
find_period (GArray            *ledger,
             const SdSlaPeriod *like)
{
  for (guint i = 0; i < ledger->len; i++)
    {
      SdSlaPeriod *period = &g_array_index (ledger, SdSlaPeriod, i);

      if (period->metric == like->metric && period->opened == like->opened
          && period->severity == like->severity)
        return period;
    }
  return NULL;
}

void
sd_sla_ledger_keep (GArray *ledger,
                    GArray *prior)
{
  gboolean added = FALSE;

  g_return_if_fail (ledger != NULL);

  for (guint i = 0; prior != NULL && i < prior->len; i++)
    {
      const SdSlaPeriod *old = &g_array_index (prior, SdSlaPeriod, i);
      SdSlaPeriod *now;

      if (old->ended_by == SD_SLA_END_NONE && !sd_sla_period_is_breach (old))
        continue;
      if ((now = find_period (ledger, old)) == NULL)
        {
          SdSlaPeriod kept = *old;

          kept.kept = sd_sla_period_is_breach (old);
          g_array_append_val (ledger, kept);
          added = TRUE;
        }
      else if (old->ended_by != SD_SLA_END_NONE)
        /* Closed: as it was recorded, whatever calendar or data came since. */
        *now = *old;
      else if (!sd_sla_period_is_breach (now))
        {
          /* The period as it ends now, with the breach on record. */
          now->state = now->ended_by == SD_SLA_END_RESPONSE ? SD_SLA_MISSED : SD_SLA_BREACHED;
          now->due = old->due;
          now->target = old->target;
          now->clock = old->clock;
          now->elapsed = MAX (now->elapsed, old->elapsed);
          now->kept = TRUE;
        }
    }
  if (added)
    g_array_sort (ledger, compare_periods);
}

void
sd_sla_ledger_apply_closed (GArray      *record,
                            SdSlaResult *result)
{
  const SdSlaPeriod *last = NULL;

  g_return_if_fail (result != NULL);

  for (guint i = 0; record != NULL && i < record->len; i++)
    if (g_array_index (record, SdSlaPeriod, i).metric == SD_SLA_METRIC_RESPONSE)
      last = &g_array_index (record, SdSlaPeriod, i);
  if (last == NULL || last->ended_by != SD_SLA_END_RESPONSE)
    return;
  result->response.state = last->state;
  result->response.clock = last->clock;
  result->response.target = last->target;
  result->response.elapsed = last->elapsed;
  result->response.remaining = last->target - last->elapsed;
  result->response.due = last->due;
}

const SdSlaPeriod *
sd_sla_ledger_get_response (GArray *ledger)
{
  const SdSlaPeriod *last = NULL;

  g_return_val_if_fail (ledger != NULL, NULL);

  for (guint i = 0; i < ledger->len; i++)
    {
      const SdSlaPeriod *period = &g_array_index (ledger, SdSlaPeriod, i);

      if (period->metric != SD_SLA_METRIC_RESPONSE)
        continue;
      if (sd_sla_period_is_breach (period))
        return period;
      last = period;
    }
  return last;
}

/* ---------------------------------------------------------------- codec */

JsonNode *
sd_sla_ledger_to_json (GArray *ledger)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; ledger != NULL && i < ledger->len; i++)
    {
      const SdSlaPeriod *period = &g_array_index (ledger, SdSlaPeriod, i);

      json_builder_begin_object (builder);
      sd_json_builder_add_string_or_null (builder, "metric", sd_sla_metric_to_string (period->metric));
      json_builder_set_member_name (builder, "severity");
      json_builder_add_int_value (builder, period->severity);
      sd_json_builder_add_string_or_null (builder, "clock", sd_clock_kind_to_string (period->clock));
      json_builder_set_member_name (builder, "target");
      json_builder_add_int_value (builder, period->target);
      sd_json_builder_add_time (builder, "opened", period->opened);
      sd_json_builder_add_time (builder, "start", period->start);
      sd_json_builder_add_time (builder, "stop", period->stop);
      sd_json_builder_add_string_or_null (builder, "ended_by",
                                          period->ended_by == SD_SLA_END_NONE
                                          ? NULL : sd_sla_end_to_string (period->ended_by));
      sd_json_builder_add_time (builder, "due", period->due);
      json_builder_set_member_name (builder, "elapsed");
      json_builder_add_int_value (builder, period->elapsed);
      sd_json_builder_add_string_or_null (builder, "state", sd_sla_state_to_string (period->state));
      json_builder_set_member_name (builder, "kept");
      json_builder_add_boolean_value (builder, period->kept);
      sd_json_builder_add_string_or_null (builder, "calendar_id", period->calendar_id);
      json_builder_set_member_name (builder, "calendar_version");
      if (period->calendar_version > 0)
        json_builder_add_int_value (builder, period->calendar_version);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "provisional_year");
      if (period->provisional_year > 0)
        json_builder_add_int_value (builder, period->provisional_year);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static gboolean
period_from_json (JsonNode     *node,
                  const char   *path,
                  SdSlaPeriod  *period,
                  GError      **error)
{
  static const char * const known[] = {
    "metric", "severity", "clock", "target", "opened", "start", "stop", "ended_by",
    "due", "elapsed", "state", "kept", "calendar_id", "calendar_version", "provisional_year", NULL
  };
  JsonObject *object = sd_json_node_get_object (node, path, error);
  int metric = 0, clock = 0, ended_by = SD_SLA_END_NONE, state = 0;
  gint64 severity = 0, provisional_year = 0;
  const char *calendar_id = NULL;

  period->stop = SD_TIME_NONE;
  if (object == NULL
      || !sd_json_check_fields (object, path, known, error)
      || !sd_json_get_enum (object, path, "metric", TRUE, SD_JSON_ENUM (sd_sla_metric_from_string),
                            &metric, error)
      || !sd_json_get_int (object, path, "severity", TRUE, SD_SEVERITY_MIN, SD_SEVERITY_MAX,
                           &severity, error)
      || !sd_json_get_enum (object, path, "clock", TRUE, SD_JSON_ENUM (sd_clock_kind_from_string),
                            &clock, error)
      || !sd_json_get_int (object, path, "target", TRUE, 0, G_MAXINT32, &period->target, error)
      || !sd_json_get_time (object, path, "opened", TRUE, &period->opened, error)
      || !sd_json_get_time (object, path, "start", TRUE, &period->start, error)
      || !sd_json_get_time (object, path, "stop", FALSE, &period->stop, error)
      || !sd_json_get_enum (object, path, "ended_by", FALSE, SD_JSON_ENUM (sd_sla_end_from_string),
                            &ended_by, error)
      || !sd_json_get_time (object, path, "due", TRUE, &period->due, error)
      || !sd_json_get_int (object, path, "elapsed", TRUE, 0, G_MAXINT64, &period->elapsed, error)
      || !sd_json_get_enum (object, path, "state", TRUE, SD_JSON_ENUM (sd_sla_state_from_string),
                            &state, error)
      || !sd_json_get_bool (object, path, "kept", FALSE, &period->kept, error)
      || !sd_json_get_string (object, path, "calendar_id", FALSE, &calendar_id, error)
      || !sd_json_get_int (object, path, "calendar_version", FALSE, 1, G_MAXINT64,
                           &period->calendar_version, error)
      || !sd_json_get_int (object, path, "provisional_year", FALSE, 1900, 2399, &provisional_year, error))
    return FALSE;

  if ((period->stop == SD_TIME_NONE) != (ended_by == SD_SLA_END_NONE))
    return sd_json_set_invalid (error, path, "ended_by",
                                _("a period ends exactly when it has a stop time"));
  if (period->stop != SD_TIME_NONE && period->stop < period->opened)
    return sd_json_set_invalid (error, path, "stop", _("earlier than the period’s opening"));

  period->metric = metric;
  period->severity = (int) severity;
  period->clock = clock;
  period->ended_by = ended_by;
  period->state = state;
  period->calendar_id = calendar_id ? g_intern_string (calendar_id) : NULL;
  period->provisional_year = (int) provisional_year;
  return TRUE;
}

GArray *
sd_sla_ledger_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GArray) ledger = g_array_new (FALSE, TRUE, sizeof (SdSlaPeriod));
  JsonArray *array;

  if (path == NULL)
    path = "periods";
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE, _("Field “%s”: expected an array"), path);
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = sd_json_path_index (path, i);
      SdSlaPeriod period = { 0 };

      if (!period_from_json (json_array_get_element (array, i), item_path, &period, error))
        return NULL;
      g_array_append_val (ledger, period);
    }
  return g_steal_pointer (&ledger);
}
