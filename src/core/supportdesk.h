/* supportdesk.h — libsupportdesk, the GTK-free core: every layer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-model.h"

#include "sd-health-check-export.h"
#include "sd-document.h"
#include "sd-report.h"
#include "sd-report-chart.h"
#include "sd-report-document.h"

#include "sd-report-store.h"
#include "sd-local-store.h"
#include "sd-credentials.h"
#include "sd-rest-client.h"
#include "sd-server-url.h"
#include "sd-sync-engine.h"
#include "sd-account.h"
