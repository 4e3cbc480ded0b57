/* ui-test-utils.c — what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <math.h>
#include <string.h>
#include <sys/prctl.h>

#include <gdk/x11/gdkx.h>

#include "sd-application.h"
#include "sd-window.h"
#include "ui-test-utils.h"

GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);
      if (found)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget     *widget;
  GskRenderNode *node;
  int            width;
  int            height;
} Shot;

/* A window that was just shown may need a few frames before it has
 * something to draw. */
static gboolean
snapshot_taken (gpointer data)
{
  Shot *shot = data;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (shot->widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  shot->width = gtk_widget_get_width (shot->widget);
  shot->height = gtk_widget_get_height (shot->widget);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), shot->width, shot->height);
  shot->node = gtk_snapshot_free_to_node (snapshot);
  return shot->node != NULL;
}

GdkTexture *
render_widget (GtkWidget *widget)
{
  Shot shot = { widget, NULL, 0, 0 };
  GdkTexture *texture;

  wait_for_drawn (widget);
  g_assert_true (iterate_until (snapshot_taken, &shot, UI_TIMEOUT_MS));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         shot.node, &GRAPHENE_RECT_INIT (0, 0, shot.width, shot.height));
  gsk_render_node_unref (shot.node);
  return texture;
}

/* WCAG 2 relative luminance of an 8-bit sRGB pixel. */
static double
luminance (const guchar *bgra)
{
  double rgb[3];

  for (guint i = 0; i < 3; i++)
    {
      double c = bgra[2 - i] / 255.0;

      rgb[i] = c <= 0.03928 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

double
text_contrast (GtkWidget *label)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (label));
  g_autoptr(GdkTexture) texture = render_widget (root);
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  graphene_rect_t bounds;
  guint32 background = 0;
  guint most = 0;
  double lb, far = -1;

  g_assert_true (gtk_widget_compute_bounds (label, root, &bounds));
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  /* The background is the commonest pixel; the text is the one that
   * differs most from it (the core of a glyph, not its smoothed edge). */
  for (int y = MAX (0, (int) bounds.origin.y); y < MIN (height, (int) (bounds.origin.y + bounds.size.height)); y++)
    for (int x = MAX (0, (int) bounds.origin.x); x < MIN (width, (int) (bounds.origin.x + bounds.size.width)); x++)
      {
        guint32 pixel;
        guint n;

        memcpy (&pixel, pixels + ((gsize) y * width + x) * 4, 4);
        n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (pixel))) + 1;
        g_hash_table_insert (counts, GUINT_TO_POINTER (pixel), GUINT_TO_POINTER (n));
        if (n > most)
          {
            most = n;
            background = pixel;
          }
      }
  g_assert_cmpuint (most, >, 0);
  lb = luminance ((const guchar *) &background);
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, counts);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        guint32 pixel = GPOINTER_TO_UINT (key);
        double l = luminance ((const guchar *) &pixel);
        double ratio = (MAX (l, lb) + 0.05) / (MIN (l, lb) + 0.05);

        far = MAX (far, ratio);
      }
  }
  return far;
}

void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("SUPPORTDESK_SCREENSHOT_DIR");
  const char *lang = g_getenv ("LANGUAGE");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;

  texture = render_widget (widget);
  g_mkdir_with_parents (dir, 0755);
  file = g_strdup_printf ("%s-%s.png", name, (lang && *lang) ? lang : "en");
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
iterate_until (gboolean (*done) (gpointer data),
               gpointer   data,
               guint      ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;
  gboolean met;
  guint wake;

  /* Each iteration blocks until a source is ready, so a busy machine gives
   * the app its turn; the wake-up looks again at conditions that a worker
   * thread changes without telling the main context. */
  wake = g_timeout_add (10, keep_waking, NULL);
  while (!(met = done (data)) && g_get_monotonic_time () <= end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return met;
}

static gboolean
toplevel_shown (gpointer data)
{
  GtkWindow *window = find_toplevel ((GType) GPOINTER_TO_SIZE (data));

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
toplevel_gone (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) == NULL;
}

GtkWindow *
wait_for_toplevel (GType type)
{
  GtkWindow *window;

  g_assert_true (iterate_until (toplevel_shown, GSIZE_TO_POINTER (type), UI_TIMEOUT_MS));
  window = find_toplevel (type);
  wait_for_drawn (GTK_WIDGET (window));
  return window;
}

void
wait_for_no_toplevel (GType type)
{
  g_assert_true (iterate_until (toplevel_gone, GSIZE_TO_POINTER (type), UI_TIMEOUT_MS));
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

void
wait_for_drawn (GtkWidget *widget)
{
  g_autoptr(GdkFrameClock) clock = NULL;
  gboolean painted = FALSE;
  gulong handler;

  g_assert_true (iterate_until (is_mapped, widget, UI_TIMEOUT_MS));
  /* Held: the window may go while we wait. */
  clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &painted);
  gtk_widget_queue_draw (widget);
  g_assert_true (iterate_until (is_true, &painted, UI_TIMEOUT_MS));
  g_signal_handler_disconnect (clock, handler);
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *keys)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* A stack's page on its way out (a crossfade) is mapped too. */
  if (!gtk_widget_get_mapped (widget)
      || (GTK_IS_STACK (parent) && gtk_stack_get_visible_child (GTK_STACK (parent)) != widget)
      || (ADW_IS_VIEW_STACK (parent) && adw_view_stack_get_visible_child (ADW_VIEW_STACK (parent)) != widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *other = g_hash_table_lookup (keys, GUINT_TO_POINTER (key));

      if (other != NULL)
        g_error ("“%s” and “%s” share the mnemonic %s", other, gtk_label_get_label (GTK_LABEL (widget)),
                 gdk_keyval_name (key));
      g_hash_table_insert (keys, GUINT_TO_POINTER (key), (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, keys);
}

void
assert_unique_mnemonics (GtkWidget *widget)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (NULL, NULL);

  collect_mnemonics (GTK_WIDGET (gtk_widget_get_root (widget)), keys);
}

GtkWidget *
find_button (GtkWidget  *widget,
             const char *msgid)
{
  const char *label = g_dgettext (GETTEXT_PACKAGE, msgid);

  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (widget));

      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0
          || (ADW_IS_BUTTON_CONTENT (child)
              && g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)), label) == 0))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, msgid);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
click_button (GtkWidget  *widget,
              const char *msgid)
{
  click_button_widget (find_button (widget, msgid));
}

void
click_button_widget (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (data);
}

void
type_key (GtkWidget       *widget,
          guint            keyval,
          GdkModifierType  modifiers)
{
  static const struct { GdkModifierType mask; guint keyval; } mods[] = {
    { GDK_CONTROL_MASK, GDK_KEY_Control_L }, { GDK_SHIFT_MASK, GDK_KEY_Shift_L }, { GDK_ALT_MASK, GDK_KEY_Alt_L },
  };
  /* libXtst (installed by setup-debian.sh --tests) without its header:
   * the one function is looked up. */
  static int (*fake_key) (Display *, unsigned int, int, unsigned long);
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));
  GdkDisplay *display = gtk_widget_get_display (widget);
  Display *xdisplay;

  g_assert_true (GDK_IS_X11_DISPLAY (display));
  xdisplay = gdk_x11_display_get_xdisplay (display);
  if (fake_key == NULL)
    {
      GModule *xtst = g_module_open ("libXtst.so.6", G_MODULE_BIND_LOCAL);

      g_assert_nonnull (xtst);
      g_assert_true (g_module_symbol (xtst, "XTestFakeKeyEvent", (gpointer *) &fake_key));
    }
  gtk_window_present (window);
  g_assert_true (iterate_until (window_is_active, window, UI_TIMEOUT_MS));
  for (guint i = 0; i < G_N_ELEMENTS (mods); i++)
    if (modifiers & mods[i].mask)
      fake_key (xdisplay, XKeysymToKeycode (xdisplay, mods[i].keyval), True, 0);
  fake_key (xdisplay, XKeysymToKeycode (xdisplay, keyval), True, 0);
  fake_key (xdisplay, XKeysymToKeycode (xdisplay, keyval), False, 0);
  for (guint i = G_N_ELEMENTS (mods); i > 0; i--)
    if (modifiers & mods[i - 1].mask)
      fake_key (xdisplay, XKeysymToKeycode (xdisplay, mods[i - 1].keyval), False, 0);
  XFlush (xdisplay);
}

gboolean
press_key (GtkWidget       *widget,
           guint            keyval,
           GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) trigger = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), trigger))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* ------------------------------------------------ notifications service */

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *path,
                         const char            *interface,
                         const char            *method,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  GPtrArray *titles = user_data;

  if (titles != NULL && g_str_equal (method, "AddNotification"))
    {
      g_autoptr(GVariant) notification = NULL;
      const char *app_id, *id, *title = NULL;

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &notification);
      g_variant_lookup (notification, "title", "&s", &title);
      g_ptr_array_add (titles, g_strdup (title));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

void
start_notification_service (GPtrArray *titles)
{
  static const char xml[] =
    "<node><interface name='org.gtk.Notifications'>"
    "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='a{sv}' direction='in'/></method>"
    "<method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
    "</interface></node>";
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                     titles, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gtk.Notifications", 4 /* do not queue */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* primary owner */);
}

/* ------------------------------------------------------------- signals */

struct _SignalWatch
{
  GObject *instance;  /* weak */
  gulong   handler;
  guint    count;     /* emissions since watched */
  guint    seen;      /* of which wait_for_signal has returned */
};

static void
signal_emitted_cb (SignalWatch *watch)
{
  watch->count++;
}

SignalWatch *
watch_signal (gpointer    instance,
              const char *detailed_signal)
{
  SignalWatch *watch = g_new0 (SignalWatch, 1);

  g_set_weak_pointer (&watch->instance, instance);
  /* Swapped: the watch is the only argument whatever the signal's own. */
  watch->handler = g_signal_connect_swapped (instance, detailed_signal, G_CALLBACK (signal_emitted_cb), watch);
  return watch;
}

static gboolean
signal_fired (gpointer data)
{
  SignalWatch *watch = data;

  return watch->count > watch->seen;
}

void
wait_for_signal (SignalWatch *watch)
{
  g_assert_true (iterate_until (signal_fired, watch, UI_TIMEOUT_MS));
  watch->seen = watch->count;
}

guint
signal_watch_get_count (SignalWatch *watch)
{
  return watch->count;
}

void
signal_watch_free (SignalWatch *watch)
{
  if (watch->instance != NULL)
    g_signal_handler_disconnect (watch->instance, watch->handler);
  g_clear_weak_pointer (&watch->instance);
  g_free (watch);
}

/* Without a window manager (Xvfb), GTK warns when focus moves between
 * windows; that is the test machine, not the app. */
static GLogWriterOutput
drop_focus_warnings_writer (GLogLevelFlags   log_level,
                            const GLogField *fields,
                            gsize            n_fields,
                            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
        && strstr (fields[i].value, "did not receive a focus-out event"))
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
ignore_focus_warnings (void)
{
  g_log_set_writer_func (drop_focus_warnings_writer, NULL, NULL);
}

/* ------------------------------------------------------- demo server */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
start_demo_server (const char  *dir,
                   char       **url)
{
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);

  return start_server (db, TRUE, url);
}

GSubprocess *
start_server (const char  *db,
              gboolean     demo,
              char       **url)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *server;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SUPPORTDESK_SERVER"), "--db", db,
                                        "--listen", "127.0.0.1:0", demo ? "--demo" : NULL, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  *url = NULL;
  while (*url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      const char *found;

      g_assert_nonnull (line);
      if ((found = strstr (line, "listening on ")))
        *url = g_strndup (found + strlen ("listening on "),
                          strlen (found + strlen ("listening on ")) - strlen ("/api/v1"));
    }
  return server;
}

/* ------------------------------------------------------- the session */

gboolean
session_ready (void)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under build-aux/headless.sh");
      return FALSE;
    }
  accounts = sd_credentials_list_accounts_sync (NULL, &error);
  if (accounts == NULL)
    {
      g_test_skip_printf ("no keyring: %s", error->message);
      return FALSE;
    }
  if (accounts->len > 0)
    {
      g_test_skip ("the keyring already holds a SupportDesk account: this test needs a fresh one");
      return FALSE;
    }
  return TRUE;
}

gpointer
start_app (void)
{
  SdApplication *app = sd_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  wait_for_toplevel (SD_TYPE_WINDOW);
  return app;
}

gboolean
app_signed_in (gpointer app)
{
  SdAccount *account = sd_application_get_account (app);

  return account != NULL && !sd_account_is_local (account);
}

gboolean
app_synced (gpointer app)
{
  return app_signed_in (app)
         && sd_sync_engine_get_state (sd_account_get_engine (sd_application_get_account (app))) == SD_SYNC_STATE_SYNCED;
}

void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

gboolean
result_stored (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}
