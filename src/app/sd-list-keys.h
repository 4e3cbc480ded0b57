/* sd-list-keys.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sd_list_keys_single_tab_stop (GtkWidget *list);

G_END_DECLS
