/* sd-sla-record-group.h — a case's SLA record in the case view: each clock
 * period with its severity, target, span, outcome and how it ended
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <supportdesk.h>

G_BEGIN_DECLS

#define SD_TYPE_SLA_RECORD_GROUP (sd_sla_record_group_get_type ())

G_DECLARE_FINAL_TYPE (SdSlaRecordGroup, sd_sla_record_group, SD, SLA_RECORD_GROUP, AdwPreferencesGroup)

/* Shows @periods (SdSlaPeriod, see sd-sla-ledger.h; NULL: none) with times
 * in @time_zone (NULL: local). Rows are rebuilt only when what they say
 * changes, so that a running clock does not take the keyboard focus away. */
void sd_sla_record_group_set_periods (SdSlaRecordGroup *self,
                                      GArray           *periods,
                                      const char       *time_zone);
/* The number of period rows shown (for tests). */
guint sd_sla_record_group_get_n_rows (SdSlaRecordGroup *self);

G_END_DECLS
