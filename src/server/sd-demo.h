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
 * @n_cases cases are spread over the customers. Does nothing to a store
 * that has customers. */
gboolean sd_demo_fill (SdStore  *store,
                       guint     n_cases,
                       GError  **error);

#define SD_DEMO_DEFAULT_CASES 300

G_END_DECLS
