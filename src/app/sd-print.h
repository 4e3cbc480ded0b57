/* sd-print.h — printing an SdDocument, page by page, as it is exported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>
#include <supportdesk.h>

G_BEGIN_DECLS

/* A print operation (in points) that draws @document's pages; the caller
 * runs it. */
GtkPrintOperation *sd_print_operation_new (SdDocument *document,
                                           const char *job_name);

G_END_DECLS
