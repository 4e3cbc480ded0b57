/* ui-test-utils.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* How long a UI test waits for anything before it gives up. Tests never
 * wait a fixed time; they wait for a condition and fail after this. It is
 * generous: under AddressSanitizer with fast_unwind_on_malloc=0 on a busy
 * machine GTK lays a page out more than six times slower, and a worker's
 * result waits for the main loop to come round (over a minute was seen). */
#define UI_TIMEOUT_MS 180000

/* Runs the main context until @done returns TRUE or @ms pass. */
gboolean   iterate_until    (gboolean  (*done) (gpointer data),
                             gpointer    data,
                             guint       ms);
/* The first visible toplevel of @type. */
GtkWindow *find_toplevel    (GType       type);
/* Waits for a visible toplevel of @type to be shown and drawn; fails the
 * test when none comes. */
GtkWindow *wait_for_toplevel    (GType   type);
/* Waits until no visible toplevel of @type is left. */
void       wait_for_no_toplevel (GType   type);
/* Waits until @widget is mapped and its window has drawn a frame since. */
void       wait_for_drawn       (GtkWidget *widget);
GtkWidget *find_descendant  (GtkWidget  *widget,
                             GType       type);
/* The first button inside @widget (or @widget itself) that shows the
 * message @msgid (with its mnemonic underscore) in the app's language:
 * as a plain label or as the label of its AdwButtonContent. */
GtkWidget *find_button      (GtkWidget  *widget,
                             const char *msgid);
/* Clicks that button as a pointer would; fails the test when there is
 * none, or when it cannot be clicked (hidden or insensitive). */
void       click_button     (GtkWidget  *widget,
                             const char *msgid);
void       click_button_widget (GtkWidget *button);
/* Fails the test when two labels shown in @widget's window have the same
 * mnemonic (Alt+letter) key. */
void       assert_unique_mnemonics (GtkWidget *widget);
/* Presses @keyval with @modifiers on @widget the way GTK's shortcuts do:
 * runs what @widget (or its class) binds to that key. FALSE when nothing
 * is bound to it there. */
gboolean   press_key        (GtkWidget      *widget,
                             guint           keyval,
                             GdkModifierType modifiers);
/* Types @keyval with @modifiers on the keyboard of the X server (XTest),
 * into @widget's window, which is made the active one first: the key
 * goes through GTK's whole event propagation, as a user's does. Returns
 * once the events are sent; wait for what they do. */
void       type_key         (GtkWidget      *widget,
                             guint           keyval,
                             GdkModifierType modifiers);
/* @widget as its window draws it now. */
GdkTexture *render_widget   (GtkWidget      *widget);
/* The WCAG contrast ratio of @label's text against what is behind it,
 * measured on the rendered window. */
double     text_contrast    (GtkWidget      *label);
/* Saves @widget as $SUPPORTDESK_SCREENSHOT_DIR/NAME-LANGUAGE.png when set. */
void       save_screenshot  (GtkWidget  *widget,
                             const char *name);

/* Counts the emissions of a signal from the moment it is watched, so a
 * test can start an action and then wait for the signal it causes. */
typedef struct _SignalWatch SignalWatch;

SignalWatch *watch_signal      (gpointer     instance,
                                const char  *detailed_signal);
/* Waits until the signal has been emitted since it was watched or last
 * waited for; fails the test when it is not. */
void         wait_for_signal   (SignalWatch *watch);
guint        signal_watch_get_count (SignalWatch *watch);
void         signal_watch_free (SignalWatch *watch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignalWatch, signal_watch_free)

/* Stands in for the shell's org.gtk.Notifications service on the session
 * bus, so that the app's desktop notifications go somewhere; their titles
 * are added to @titles when it is not NULL. Call before the app starts. */
void       start_notification_service (GPtrArray *titles);

/* Starts $SUPPORTDESK_SERVER with its demo data on a database in @dir, on
 * a free loopback port; it dies with the test. @url is set to its
 * "http://127.0.0.1:PORT". */
GSubprocess *start_demo_server (const char  *dir,
                                char       **url);

/* The same on the database @db, with the demo data only when @demo. */
GSubprocess *start_server      (const char  *db,
                                gboolean     demo,
                                char       **url);

/* Whether a test that signs in can run: a display, and a keyring that
 * holds no SupportDesk account yet. Otherwise marks the test skipped,
 * saying why, and returns FALSE. Call after g_test_init(). */
gboolean   session_ready    (void);
/* Creates the application (not unique), activates it and waits for its
 * window. */
gpointer   start_app        (void);

/* Conditions for iterate_until() on the application @app: signed in to
 * a server (not the local workspace), and that account synced. */
gboolean   app_signed_in    (gpointer app);
gboolean   app_synced       (gpointer app);
/* An async call's result kept in the GAsyncResult * @user_data points
 * to (a new reference); result_stored() waits for it. */
void       store_result_cb  (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data);
gboolean   result_stored    (gpointer      data);

/* Keeps GTK's "did not receive a focus-out event" (no window manager)
 * from failing a test. */
void       ignore_focus_warnings (void);

G_END_DECLS
