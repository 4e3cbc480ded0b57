/* sd-duty-shift.h — one shift of the duty rota: a duty manager answers
 * every customer whose TAM is not on duty from start to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SD_TYPE_DUTY_SHIFT (sd_duty_shift_get_type ())

G_DECLARE_FINAL_TYPE (SdDutyShift, sd_duty_shift, SD, DUTY_SHIFT, GObject)

/* The shift covers [@start, @end) (Unix seconds). */
SdDutyShift *sd_duty_shift_new                 (const char   *id,
                                                const char   *duty_manager_id,
                                                gint64        start,
                                                gint64        end);

const char  *sd_duty_shift_get_id              (SdDutyShift  *self);
const char  *sd_duty_shift_get_duty_manager_id (SdDutyShift  *self);
gint64       sd_duty_shift_get_start           (SdDutyShift  *self);
gint64       sd_duty_shift_get_end             (SdDutyShift  *self);
/* Whether @t lies in [start, end). */
gboolean     sd_duty_shift_covers              (SdDutyShift  *self,
                                                gint64        t);
gint64       sd_duty_shift_get_version         (SdDutyShift  *self);
void         sd_duty_shift_set_version         (SdDutyShift  *self,
                                                gint64        version);
gint64       sd_duty_shift_get_updated_at      (SdDutyShift  *self);
void         sd_duty_shift_set_updated_at      (SdDutyShift  *self,
                                                gint64        updated_at);

/* JSON: { "id", "duty_manager_id", "start", "end", "version",
 * "updated_at" }. A shift must end after it starts and last at most 31
 * days. */
SdDutyShift *sd_duty_shift_from_json           (JsonNode     *node,
                                                const char   *path,
                                                GError      **error);
JsonNode    *sd_duty_shift_to_json             (SdDutyShift  *self);

G_END_DECLS
