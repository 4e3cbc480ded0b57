/* sd-demo.h — a realistic demo data set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_DEMO_PASSWORD "supportdesk-demo"

/* Fills an empty store (no customers yet) with users, customers, cases
 * with their timelines and health checks, and prints the demo logins.
 * Does nothing to a store that has customers. */
gboolean sd_demo_fill (SdStore  *store,
                       GError  **error);

G_END_DECLS
