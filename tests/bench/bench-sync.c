/* bench-sync — the first sync of 10,000 cases over loopback
 *
 *   bench-sync [CASES [PAGE_SIZE]]
 *
 * Starts the real supportdesk-server with a --demo database of CASES cases
 * (default 10,000), then, as the demo admin (who sees every customer):
 *   1. times the first full sync with SdSyncEngine into a fresh local store
 *      (pages of PAGE_SIZE, default 5,000: fetched — gzip-coded, as libsoup
 *      asks for it — validated with the codecs, applied);
 *   2. times curl fetching the same pages one after the other, as they are
 *      and with --compressed, and counts the bytes on the wire of each;
 *   3. times a sync with nothing new.
 * Targets (DESIGN.md §8): first sync ≤ 2 s and ≤ 3 × curl; no-change sync
 * ≤ 20 ms.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <supportdesk.h>

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

int
main (int   argc,
      char *argv[])
{
  const char *server_binary = g_getenv ("SUPPORTDESK_SERVER");
  guint cases = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-sync-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *local = g_build_filename (dir, "local.db", NULL);
  g_autofree char *count = g_strdup_printf ("%u", cases);
  g_autofree char *url = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(SdSyncEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  gint64 start, after = 0;
  guint page_size = argc > 2 ? (guint) atoi (argv[2]) : 5000;
  double first, curl_time[2], idle;
  guint64 wire[2] = { 0, 0 };
  guint pages = 0, requests;

  if (server_binary == NULL)
    server_binary = "build/src/server/supportdesk-server";
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, server_binary, "--db", db, "--listen", "127.0.0.1:0",
                                        "--demo", "--demo-cases", count, NULL);
  if (server == NULL)
    g_error ("%s", error->message);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while (url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      const char *found;

      if (line == NULL)
        g_error ("the server did not start");
      if ((found = strstr (line, "listening on ")))
        url = g_strndup (found + strlen ("listening on "), strlen (found + strlen ("listening on ")) - strlen ("/api/v1"));
    }

  client = sd_rest_client_new (url, NULL, &error);
  sd_rest_client_sign_in_async (client, "admin", "supportdesk-demo", NULL, got_result_cb, &result);
  if (!sd_rest_client_sign_in_finish (client, wait_for (&result), &token, NULL, NULL, &error))
    g_error ("%s", error->message);

  /* 1. The first sync. */
  store = sd_local_store_open (local, &error);
  engine = sd_sync_engine_new (client, store);
  sd_sync_engine_set_page_size (engine, page_size);
  g_clear_object (&result);
  start = g_get_monotonic_time ();
  sd_sync_engine_sync_async (engine, NULL, got_result_cb, &result);
  if (!sd_sync_engine_sync_finish (engine, wait_for (&result), &error))
    g_error ("%s", error->message);
  first = seconds_since (start);
  requests = sd_sync_engine_get_n_requests (engine);
  listed = sd_local_store_list (store, "case", NULL, NULL);

  /* 2. curl, the same pages: as they are, then gzip-coded. */
  for (guint coded = 0; coded < 2; coded++)
    {
      after = 0;
      pages = 0;
      start = g_get_monotonic_time ();
      for (;;)
        {
          g_autofree char *page_url = g_strdup_printf ("%s/api/v1/changes?after=%" G_GINT64_FORMAT "&limit=%u",
                                                       url, after, page_size);
          g_autofree char *header = g_strconcat ("Authorization: Bearer ", token, NULL);
          g_autofree char *out = NULL;
          g_autofree char *write_out = g_strdup_printf ("%%{size_download}");
          g_autoptr(JsonNode) page = NULL;
          const char *curl_argv[] = { "curl", "-sf", "-H", header, "-o", "-", "-w", write_out, page_url, coded ? "--compressed" : NULL, NULL };
          char *size_at;
          int status;

          if (!g_spawn_sync (NULL, (char **) curl_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                             &error)
              || !g_spawn_check_wait_status (status, &error))
            g_error ("curl: %s", error->message);
          /* The body, then the bytes curl received (what was on the wire). */
          size_at = strrchr (out, '}') + 1;
          wire[coded] += g_ascii_strtoull (size_at, NULL, 10);
          *size_at = '\0';
          pages++;
          if (!(page = sd_json_parse (out, -1, &error)))
            g_error ("%s", error->message);
          after = json_object_get_int_member (json_node_get_object (page), "next");
          if (!json_object_get_boolean_member (json_node_get_object (page), "has_more"))
            break;
        }
      curl_time[coded] = seconds_since (start);
    }

  /* 3. Nothing new. */
  g_clear_object (&result);
  start = g_get_monotonic_time ();
  sd_sync_engine_sync_async (engine, NULL, got_result_cb, &result);
  if (!sd_sync_engine_sync_finish (engine, wait_for (&result), &error))
    g_error ("%s", error->message);
  idle = seconds_since (start);

  g_print ("cases on the server: %u; cases synced: %u; pages of up to %u\n", cases, listed->len, page_size);
  g_print ("first sync: %.3f s in %u requests\n", first, requests);
  g_print ("curl, the same %u pages: %.3f s (%.1f MB on the wire); ratio %.2f\n", pages, curl_time[0],
           wire[0] / 1e6, first / curl_time[0]);
  g_print ("curl --compressed, the same pages: %.3f s (%.1f MB on the wire, gzip); ratio %.2f\n", curl_time[1],
           wire[1] / 1e6, first / curl_time[1]);
  g_print ("sync with nothing new: %.1f ms in %u request(s)\n", idle * 1000,
           sd_sync_engine_get_n_requests (engine));

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    if (system (command) != 0)
      g_printerr ("could not remove %s\n", dir);
  }
  return listed->len == cases ? 0 : 1;
}
