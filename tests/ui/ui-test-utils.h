/* ui-test-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Runs the main context for @ms milliseconds. */
void       iterate_for      (guint       ms);
/* Runs the main context until @done returns TRUE or @ms pass. */
gboolean   iterate_until    (gboolean  (*done) (gpointer data),
                             gpointer    data,
                             guint       ms);
/* The first visible toplevel of @type. */
GtkWindow *find_toplevel    (GType       type);
GtkWidget *find_descendant  (GtkWidget  *widget,
                             GType       type);
/* Saves @widget as $SUPPORTDESK_SCREENSHOT_DIR/NAME-LANGUAGE.png when set. */
void       save_screenshot  (GtkWidget  *widget,
                             const char *name);

/* Keeps GTK's "did not receive a focus-out event" (no window manager)
 * from failing a test. */
void       ignore_focus_warnings (void);

G_END_DECLS
