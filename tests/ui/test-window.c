/* test-window.c — the real main window, driven as a user would
 *
 * Runs under Xvfb (see .ci/run); skipped when there is no display. With
 * SUPPORTDESK_SCREENSHOT_DIR set it also saves PNGs of what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-application.h"
#include "sd-preferences-window.h"
#include "sd-sla-text.h"
#include "sd-window.h"
#include "ui-test-utils.h"

static SdApplication *app;

static gboolean
is_chinese (void)
{
  const char *lang = g_getenv ("LANGUAGE");

  return lang != NULL && g_str_has_prefix (lang, "zh");
}

static SdWindow *
main_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (SD_IS_WINDOW (window));
  return SD_WINDOW (window);
}

/* Dates read as the language writes them: weekday and month names from
 * the translations, whatever the C library's locale (C.UTF-8 here). */
static void
test_date_format (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) when = g_date_time_new (shanghai, 2026, 12, 5, 10, 0, 0);
  gint64 t = g_date_time_to_unix (when);
  g_autofree char *text = sd_format_date_time (t, "Asia/Shanghai");
  g_autofree char *none = sd_format_date_time (SD_TIME_NONE, NULL);

  if (g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") == 0)
    g_assert_cmpstr (text, ==, "2026年12月5日 星期六 10:00");
  else
    g_assert_cmpstr (text, ==, "Sat 5 Dec 2026, 10:00");
  g_assert_cmpstr (none, ==, "—");

  /* The one rule for times: the customer's time with its zone named,
   * then the user's own when that reads differently. */
  {
    g_autoptr(GTimeZone) local = g_time_zone_new_local ();
    gboolean same = g_time_zone_get_offset (local, g_time_zone_find_interval (local, G_TIME_TYPE_UNIVERSAL, t))
                    == 8 * 3600;
    g_autofree char *customer = sd_format_customer_time (t, "Asia/Shanghai");
    g_autofree char *city = sd_time_zone_name ("America/Argentina/Buenos_Aires");
    g_autofree char *mine = sd_format_date_time (t, NULL);

    g_assert_true (g_str_has_prefix (customer, text));
    g_assert_nonnull (strstr (customer, g_strcmp0 (g_getenv ("LANGUAGE"), "zh_CN") == 0 ? "北京时间" : "Beijing time"));
    g_assert_true ((strstr (customer, mine) != NULL && !same) || same);
    g_assert_cmpint (strstr (customer, " · ") == NULL, ==, same);
    g_assert_nonnull (strstr (city, "Buenos Aires"));
  }
}

static void
test_window_views (void)
{
  SdWindow *window = main_window ();
  AdwViewStack *stack = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (stack);
  const char * const names[] = { "cases", "health-checks", "reports" };
  const char * const titles_en[] = { "Cases", "Health Checks", "Reports" };
  const char * const titles_zh[] = { "工单", "运行状况检查", "报告" };
  const char * const *titles = is_chinese () ? titles_zh : titles_en;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pages)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (page);

      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, names[i]);
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, titles[i]);
      g_assert_nonnull (adw_view_stack_page_get_icon_name (page));

      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", names[i]);
      g_assert_cmpstr (sd_window_get_visible_view (window), ==, names[i]);

      /* An honest empty state: a status page that says what comes and how. */
      if (!ADW_IS_STATUS_PAGE (child))
        child = find_descendant (child, ADW_TYPE_STATUS_PAGE);
      g_assert_true (ADW_IS_STATUS_PAGE (child));
      g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (child)));
      g_assert_null (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (child)), "soon"));
      save_screenshot (GTK_WIDGET (window), names[i]);
    }

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "SupportDesk");

  /* A development build is told apart at a glance and installs beside a stable one. */
  if (g_strcmp0 (PROFILE, "Devel") == 0)
    {
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));
      g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, "org.example.SupportDesk.Devel");
    }
  else
    {
      g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"));
      g_assert_cmpstr (g_application_get_application_id (G_APPLICATION (app)), ==, "org.example.SupportDesk");
    }

  /* Alt+1 goes back to the board: the shortcut listed in the shortcuts window exists. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "cases"));
  g_assert_cmpstr (sd_window_get_visible_view (window), ==, "cases");
  save_screenshot (GTK_WIDGET (window), "window");
}

static gboolean
color_scheme_is (gpointer scheme)
{
  return (int) adw_style_manager_get_color_scheme (adw_style_manager_get_default ()) == GPOINTER_TO_INT (scheme);
}

/* The primary menu's button (the header bar has other menu buttons). */
static GtkMenuButton *
find_primary_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_primary_menu_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_window_menu (void)
{
  SdWindow *window = main_window ();
  GtkMenuButton *button = find_primary_menu_button (GTK_WIDGET (window));
  GMenuModel *menu = gtk_menu_button_get_menu_model (button);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  GtkWindow *preferences;
  GtkWindow *about;
  GtkWindow *shortcuts;

  g_assert_nonnull (button);
  g_assert_nonnull (menu);
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      GMenuModel *section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section && i < g_menu_model_get_n_items (section); i++)
        {
          char *action = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          g_ptr_array_add (actions, action);
        }
      g_clear_object (&section);
    }
  g_ptr_array_add (actions, NULL);
  g_assert_true (g_strv_contains ((const char * const *) actions->pdata, "app.preferences"));
  g_assert_true (g_strv_contains ((const char * const *) actions->pdata, "win.show-help-overlay"));
  g_assert_true (g_strv_contains ((const char * const *) actions->pdata, "app.about"));

  /* Preferences open, and choosing Dark changes the style at once. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = wait_for_toplevel (SD_TYPE_PREFERENCES_WINDOW);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  save_screenshot (GTK_WIDGET (preferences), "preferences");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.color-scheme", "s", "dark"));
  g_assert_true (iterate_until (color_scheme_is, GINT_TO_POINTER (ADW_COLOR_SCHEME_FORCE_DARK), UI_TIMEOUT_MS));
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (preferences), "prefs.color-scheme", "s", "default"));
  g_assert_true (iterate_until (color_scheme_is, GINT_TO_POINTER (ADW_COLOR_SCHEME_DEFAULT), UI_TIMEOUT_MS));
  gtk_window_destroy (preferences);

  /* Keyboard shortcuts: a real GtkShortcutsWindow. */
  g_assert_true (press_key (GTK_WIDGET (window), GDK_KEY_question, GDK_CONTROL_MASK));
  shortcuts = wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  save_screenshot (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_window_close (shortcuts);
  wait_for_no_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);

  /* About. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  if (is_chinese ())
    g_assert_cmpstr (adw_about_window_get_comments (ADW_ABOUT_WINDOW (about)), ==,
                     "技术客户经理的工作台：工单、SLA 计时器、运行状况检查和报告");
  save_screenshot (GTK_WIDGET (about), "about");
  gtk_window_destroy (about);
}

static void
test_window_state_saved (void)
{
  SdWindow *window = main_window ();
  GSettings *settings = sd_application_get_settings (app);
  g_autofree char *last_view = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "reports");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_close (GTK_WINDOW (window));
  wait_for_no_toplevel (SD_TYPE_WINDOW);

  last_view = g_settings_get_string (settings, "last-view");
  g_assert_cmpstr (last_view, ==, "reports");
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  /* A new window comes back where the user left it. */
  g_application_activate (G_APPLICATION (app));
  window = SD_WINDOW (wait_for_toplevel (SD_TYPE_WINDOW));
  g_assert_true (window == main_window ());
  g_assert_cmpstr (sd_window_get_visible_view (window), ==, "reports");
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 900);
    g_assert_cmpint (height, ==, 640);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  sd_application_init_i18n ();
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run under Xvfb (see .ci/run)");
      return g_test_run ();
    }

  app = start_app ();

  g_test_add_func ("/window/date-format", test_date_format);
  g_test_add_func ("/window/views", test_window_views);
  g_test_add_func ("/window/menu", test_window_menu);
  g_test_add_func ("/window/state-saved", test_window_state_saved);
  ret = g_test_run ();

  g_object_unref (app);
  return ret;
}
