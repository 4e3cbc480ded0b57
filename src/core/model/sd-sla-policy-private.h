/* sd-sla-policy-private.h — the policy's fields, read directly by the SLA
 * engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-sla-policy.h"

G_BEGIN_DECLS

typedef struct {
  gint64      seconds;
  SdClockKind clock;
} SdSlaTarget;

struct _SdSlaPolicy
{
  GObject     parent_instance;

  SdTier      tier;
  SdSlaTarget targets[4];          /* index = severity - 1 */
  guint       warning_percent;
  guint       pausing_mask;        /* 1 << SdCaseStatus */
  gboolean    pause_before_response;
  gint64      daily_report_seconds;
  SdSeverityChangeRule severity_change;
  char       *id;                  /* NULL: the tier's name */
  guint32     effective_from;      /* Julian day; 0: always */
  char       *customer_id;         /* an override for one customer; NULL: the tier's */
};

G_END_DECLS
