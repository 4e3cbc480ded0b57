/* sd-model.h — the model layer of libsupportdesk: entities, codecs,
 * calendars and the SLA engine (no I/O beyond GIO, no GTK)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-enums.h"
#include "sd-enum-types.h"
#include "sd-error.h"
#include "sd-json.h"
#include "sd-time.h"
#include "sd-case.h"
#include "sd-case-event.h"
#include "sd-case-sla.h"
#include "sd-checklist-item.h"
#include "sd-checklist-template.h"
#include "sd-admin-csv.h"
#include "sd-contact.h"
#include "sd-coverage.h"
#include "sd-notification.h"
#include "sd-customer.h"
#include "sd-database-release.h"
#include "sd-duty-shift.h"
#include "sd-health-check.h"
#include "sd-private-patch.h"
#include "sd-service-request.h"
#include "sd-signature-change.h"
#include "sd-user.h"
#include "sd-kind.h"
#include "sd-calendar.h"
#include "sd-calendar-builder.h"
#include "sd-calendar-import.h"
#include "sd-sla-policy.h"
#include "sd-sla.h"
#include "sd-sla-ledger.h"
#include "sd-sla-record.h"
