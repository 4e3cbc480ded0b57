/* sd-case-event.h — one entry of a case's append-only timeline
 *
 * Events are immutable: every property is set at construction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sd-enum-types.h"
#include "sd-enums.h"

G_BEGIN_DECLS

/* How far a client's time may run ahead of the server's (clock skew). */
#define SD_CASE_EVENT_MAX_SKEW (5 * 60)
/* How much later than its own time an event may reach the server before
 * it counts as backdated. */
#define SD_CASE_EVENT_BACKDATED_AFTER (15 * 60)

#define SD_TYPE_CASE_EVENT (sd_case_event_get_type ())

G_DECLARE_FINAL_TYPE (SdCaseEvent, sd_case_event, SD, CASE_EVENT, GObject)

/* Each constructor gives the event a new random UUID. @author_id may be
 * NULL for events the system records; @body may be NULL except for a
 * comment. */
SdCaseEvent     *sd_case_event_new_comment           (const char       *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      const char       *body);
/* A comment is internal (never shown to the customer) unless made with
 * sd_case_event_new_comment_full() and @is_public. */
SdCaseEvent     *sd_case_event_new_comment_full      (const char       *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      gboolean          is_public,
                                                      const char       *body);
SdCaseEvent     *sd_case_event_new_status_change     (const char       *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      SdCaseStatus      from,
                                                      SdCaseStatus      to,
                                                      const char       *body);
SdCaseEvent     *sd_case_event_new_severity_change   (const char       *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      int               from,
                                                      int               to,
                                                      const char       *reason);
SdCaseEvent     *sd_case_event_new_response_given    (const char       *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      const char       *body);
SdCaseEvent     *sd_case_event_new_daily_report_sent (const char       *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      SdReportChannel   channel,
                                                      const char       *body);
SdCaseEvent     *sd_case_event_new_progress_step     (const char       *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      const char       *step,
                                                      const char       *body);

SdCaseEvent     *sd_case_event_new_report_time_change (const char     *case_id,
                                                      const char       *author_id,
                                                      gint64            at,
                                                      gint64            from,
                                                      gint64            to,
                                                      const char       *reason);

/* The visibility an event of @kind has unless it says otherwise (JSON
 * "visibility" absent): comments are internal, every other kind public. */
gboolean         sd_case_event_kind_is_public        (SdEventKind       kind);
/* JSON "visibility": "public" or "internal". */
const char      *sd_case_event_visibility_to_string  (gboolean          is_public);
gboolean         sd_case_event_visibility_from_string (const char      *text,
                                                      gboolean         *is_public);

/* A progress step name: 1–64 characters from [a-z0-9_]. */
gboolean         sd_case_event_step_is_valid         (const char       *step);

const char      *sd_case_event_get_id                (SdCaseEvent      *self);
const char      *sd_case_event_get_case_id           (SdCaseEvent      *self);
SdEventKind      sd_case_event_get_kind              (SdCaseEvent      *self);
const char      *sd_case_event_get_author_id         (SdCaseEvent      *self);
gint64           sd_case_event_get_at                (SdCaseEvent      *self);
/* When the server received the event (its own clock), beside the client's
 * @at; SD_TIME_NONE until the server has it. */
gint64           sd_case_event_get_recorded_at       (SdCaseEvent      *self);
void             sd_case_event_set_recorded_at       (SdCaseEvent      *self,
                                                      gint64            recorded_at);
/* Recorded more than SD_CASE_EVENT_BACKDATED_AFTER seconds after the time
 * it claims: real offline work, but marked so that reports say so. */
gboolean         sd_case_event_is_backdated          (SdCaseEvent      *self);
/* Public entries may reach the customer (the daily report); internal
 * ones stay with the support team. */
gboolean         sd_case_event_is_public             (SdCaseEvent      *self);
const char      *sd_case_event_get_body              (SdCaseEvent      *self);
/* Status change. */
SdCaseStatus     sd_case_event_get_status_from       (SdCaseEvent      *self);
SdCaseStatus     sd_case_event_get_status_to         (SdCaseEvent      *self);
/* Severity change. */
int              sd_case_event_get_severity_from     (SdCaseEvent      *self);
int              sd_case_event_get_severity_to       (SdCaseEvent      *self);
const char      *sd_case_event_get_reason            (SdCaseEvent      *self);
/* Report time change (the reason is sd_case_event_get_reason()). */
gint64           sd_case_event_get_report_time_from  (SdCaseEvent      *self);
gint64           sd_case_event_get_report_time_to    (SdCaseEvent      *self);
/* Daily report sent. */
SdReportChannel  sd_case_event_get_channel           (SdCaseEvent      *self);
/* Progress step. */
const char      *sd_case_event_get_step              (SdCaseEvent      *self);

SdCaseEvent     *sd_case_event_from_json             (JsonNode         *node,
                                                      const char       *path,
                                                      GError          **error);
JsonNode        *sd_case_event_to_json               (SdCaseEvent      *self);

G_END_DECLS
