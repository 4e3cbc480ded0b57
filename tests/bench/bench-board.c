/* bench-board.c — the case board with a big local copy
 *
 *   bench-board fill N      fills the local workspace of $XDG_DATA_HOME
 *                           with N cases of 6 customers
 *   bench-board bare        a bare libadwaita window: prints the time of
 *                           its first frame (CLOCK_REALTIME, ns)
 *   bench-board board       the real SupportDesk window on that workspace:
 *                           prints its first frame, when the board is
 *                           filled, frame timings while a column scrolls
 *                           and the resident memory
 *
 * tests/bench/bench-board.sh runs them and compares (docs/performance.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sd-application.h"
#include "sd-board.h"
#include "sd-window.h"

#define SCROLL_FRAMES 400

static gint64
realtime_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || !(line = strstr (status, "VmRSS:")))
    return -1;
  return strtol (line + 6, NULL, 10);
}

/* ----------------------------------------------------------------- fill */

static int
fill (guint n)
{
  static const char * const statuses[] = { "new", "in_progress", "waiting_customer", "resolved", "in_progress",
                                           "new", "closed" };
  static const char * const types[] = { "incident", "incident", "service_request", "incident" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) account = sd_account_new_local (&error);
  SdLocalStore *store;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint seq = 0;

  if (account == NULL)
    g_error ("%s", error->message);
  store = sd_account_get_store (account);

  for (guint done = 0; done < n + 6; )
    {
      g_autoptr(GString) page = g_string_new ("{\"changes\":[");
      g_autoptr(JsonNode) node = NULL;

      for (guint k = 0; k < 1000 && done < n + 6; k++, done++)
        {
          if (k > 0)
            g_string_append_c (page, ',');
          if (done < 6)
            g_string_append_printf (page, "{\"seq\":%u,\"kind\":\"customer\",\"id\":\"cust-%u\",\"version\":1,"
                                    "\"deleted\":false,\"entity\":{\"id\":\"cust-%u\",\"name\":\"Customer %u\","
                                    "\"tier\":\"%s\",\"time_zone\":\"Asia/Shanghai\",\"calendar_id\":\"cn-mainland\","
                                    "\"tam_id\":null,\"duty_manager_ids\":[],\"health_check_entitled\":true,"
                                    "\"contract_start\":\"2025-01-01\",\"contract_end\":\"2027-12-31\",\"version\":1}}",
                                    ++seq, done, done, done, done % 2 ? "standard" : "msa_enterprise");
          else
            {
              guint i = done - 6;
              const char *status = statuses[i % G_N_ELEMENTS (statuses)];
              g_autofree char *reported = sd_time_format_iso8601 (now - 60 * (gint64) (i % 5000), NULL);
              g_autofree char *resolved = sd_time_format_iso8601 (now, NULL);
              gboolean done_status = g_str_equal (status, "resolved") || g_str_equal (status, "closed");

              g_string_append_printf (page, "{\"seq\":%u,\"kind\":\"case\",\"id\":\"00000000-0000-4000-8000-%012u\","
                                      "\"version\":1,\"deleted\":false,\"entity\":{\"id\":\"00000000-0000-4000-8000-%012u\","
                                      "\"number\":\"SD-2026-%06u\",\"customer_id\":\"cust-%u\",\"title\":\"Case %u of the board bench\","
                                      "\"type\":\"%s\",\"severity\":%u,\"status\":\"%s\",\"reported_at\":\"%s\","
                                      "\"reported_via\":\"portal\",\"resolved_at\":%s%s%s,\"details\":null,\"version\":1}}",
                                      ++seq, i, i, i, i % 6, i, types[i % G_N_ELEMENTS (types)], 1 + i % 4, status,
                                      reported, done_status ? "\"" : "", done_status ? resolved : "null",
                                      done_status ? "\"" : "");
            }
        }
      g_string_append_printf (page, "],\"next\":%u,\"has_more\":false}", seq);
      if (!(node = sd_json_parse (page->str, -1, &error))
          || !sd_local_store_apply_changes (store, node, &error))
        g_error ("%s", error->message);
    }
  g_print ("filled %u cases into %s\n", n, sd_local_store_get_path (store));
  return 0;
}

/* ----------------------------------------------------------------- bare */

static void
first_frame_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_print ("first-frame-ns %" G_GINT64_FORMAT "\n", realtime_ns ());
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, user_data);
  if (user_data != NULL)
    g_application_quit (user_data);
}

static void
bare_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_widget_realize (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (first_frame_cb), app);
  gtk_window_present (GTK_WINDOW (window));
}

static int
bare (void)
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.example.SupportDesk.BenchBare", G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (bare_activate), NULL);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* ---------------------------------------------------------------- board */

typedef struct {
  SdApplication *app;
  SdWindow      *window;
  GArray        *paint_us;     /* per frame: layout + paint */
  GArray        *interval_us;  /* between frames */
  gint64         before;
  gint64         last_frame;
  guint          frames;
  gint64         loaded_ns;
  gboolean       scrolling;
} Board;

static void
before_paint_cb (GdkFrameClock *clock,
                 Board         *b)
{
  b->before = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Board         *b)
{
  gint64 now = g_get_monotonic_time ();

  if (!b->scrolling)
    return;
  g_array_append_val (b->paint_us, (gint64) { now - b->before });
  if (b->last_frame != 0)
    g_array_append_val (b->interval_us, (gint64) { now - b->last_frame });
  b->last_frame = now;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
print_stats (const char *name,
             GArray     *values)
{
  gint64 sum = 0;

  g_array_sort (values, compare_gint64);
  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, gint64, i);
  g_print ("%s-mean-us %.0f\n%s-p95-us %" G_GINT64_FORMAT "\n%s-max-us %" G_GINT64_FORMAT "\n",
           name, values->len ? (double) sum / values->len : 0.0,
           name, values->len ? g_array_index (values, gint64, values->len * 95 / 100) : 0,
           name, values->len ? g_array_index (values, gint64, values->len - 1) : 0);
}

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  Board *b = user_data;
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
  double value = gtk_adjustment_get_value (adjustment) + 97;

  if (value > gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment))
    value = 0;
  gtk_adjustment_set_value (adjustment, value);
  if (++b->frames < SCROLL_FRAMES)
    return G_SOURCE_CONTINUE;

  b->scrolling = FALSE;
  g_print ("board-filled-ns %" G_GINT64_FORMAT "\n", b->loaded_ns);
  g_print ("cases-in-column %u\n", sd_board_get_column_count (sd_window_get_board (b->window), SD_CASE_STATUS_NEW));
  print_stats ("frame-paint", b->paint_us);
  print_stats ("frame-interval", b->interval_us);
  g_print ("rss-kib %ld\n", rss_kib ());
  g_application_quit (G_APPLICATION (b->app));
  return G_SOURCE_REMOVE;
}

static void
board_loaded_cb (SdBoard *board,
                 Board   *b)
{
  GtkWidget *view = GTK_WIDGET (sd_board_get_column_view (board, SD_CASE_STATUS_NEW));

  if (b->loaded_ns != 0)
    return;
  b->loaded_ns = realtime_ns ();
  g_print ("rss-loaded-kib %ld\n", rss_kib ());
  b->scrolling = TRUE;
  gtk_widget_add_tick_callback (view, scroll_tick, b, NULL);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 Board          *b)
{
  GdkFrameClock *clock;

  if (!SD_IS_WINDOW (window) || b->window != NULL)
    return;
  b->window = SD_WINDOW (window);
  gtk_window_set_default_size (window, 1280, 800);
  gtk_widget_realize (GTK_WIDGET (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_cb), NULL);
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), b);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), b);
  g_signal_connect (sd_window_get_board (b->window), "loaded", G_CALLBACK (board_loaded_cb), b);
}

static int
board (void)
{
  Board b = { 0 };
  int status;

  b.paint_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.interval_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.app = sd_application_new ();
  g_application_set_flags (G_APPLICATION (b.app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect (b.app, "window-added", G_CALLBACK (window_added_cb), &b);
  status = g_application_run (G_APPLICATION (b.app), 0, NULL);
  g_object_unref (b.app);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "fill"))
    return fill (atoi (argv[2]));
  if (argc == 2 && g_str_equal (argv[1], "load"))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdAccount) account = sd_account_new_local (&error);
      g_autoptr(SdBoardData) data = NULL;
      gint64 start = g_get_monotonic_time ();

      g_print ("rss-before-kib %ld\n", rss_kib ());
      data = sd_board_load (sd_account_get_store (account), NULL, g_get_real_time () / G_USEC_PER_SEC, &error);
      g_print ("load-ms %" G_GINT64_FORMAT "\nrows %u\nrss-after-kib %ld\n",
               (g_get_monotonic_time () - start) / 1000, data->cases->len, rss_kib ());
      return 0;
    }
  if (argc == 2 && g_str_equal (argv[1], "bare"))
    return bare ();
  if (argc == 2 && g_str_equal (argv[1], "board"))
    {
      sd_application_init_i18n ();
      return board ();
    }
  g_printerr ("usage: bench-board fill N | bare | board\n");
  return 2;
}
