/* test-resume.c — the real app, frozen and thawed, still syncs
 *
 * The app runs as its own process, signed in (through supportdesk-cli and
 * the session's keyring) to the real supportdesk-server, with keep-alive
 * connections that live one second (SUPPORTDESK_IDLE_TIMEOUT). It is
 * stopped with SIGSTOP for longer than that, as a suspended laptop is:
 *   1. continued, it syncs through its D-Bus action
 *      (gapplication action APP_ID sync);
 *   2. stopped long enough for its clock to see the wall-clock jump, it
 *      syncs by itself once continued.
 * Each time a change made on the server meanwhile must reach the app's
 * local store, and the app must still be running. Needs the keyring and
 * the display of build-aux/headless.sh; skips without them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <supportdesk.h>

#define DEMO_PASSWORD "supportdesk-demo"
#define WAIT_MS       (90 * 1000)

static char *tmpdir;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
have_keyring (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) owner = NULL;
  gboolean has = FALSE;

  if (bus == NULL || g_getenv ("XDG_DATA_HOME") == NULL)
    return FALSE;
  owner = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), 0, 5000, NULL, NULL);
  if (owner != NULL)
    g_variant_get (owner, "(b)", &has);
  return has;
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

/* Polls @done every 50 ms (the app is another process: nothing to wait on
 * here) until it holds or @ms pass. */
static gboolean
poll_until (gboolean (*done) (gpointer data),
            gpointer   data,
            guint      ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (50 * 1000);
    }
  return TRUE;
}

/* Runs @argv with @input on stdin; returns its exit status. */
static int
run (const char         *input,
     const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("%s %s → %d: %s%s", argv[0], argv[1], g_subprocess_get_exit_status (process), out, err);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

typedef struct {
  SdLocalStore *store;  /* the app's, read here */
  const char   *case_id;
  const char   *title;
} Expect;

static gboolean
store_synced (gpointer data)
{
  SdLocalStore *store = data;

  return sd_local_store_get_cursor (store, NULL) > 0;
}

static gboolean
title_arrived (gpointer data)
{
  Expect *expect = data;
  g_autoptr(JsonNode) mirrored = sd_local_store_get (expect->store, "case", expect->case_id, NULL);

  return mirrored != NULL
         && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (mirrored), "title", NULL),
                       expect->title) == 0;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

/* Changes the title of the @index-th case the app holds, on the server. */
static void
change_on_server (SdRestClient *client,
                  SdLocalStore *store,
                  guint         index,
                  const char   *title,
                  char        **case_id)
{
  g_autoptr(GPtrArray) cases = sd_local_store_list (store, "case", NULL, NULL);
  g_autoptr(JsonNode) patch = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  JsonObject *kase;

  g_assert_nonnull (cases);
  g_assert_cmpuint (cases->len, >, index);
  kase = json_node_get_object (cases->pdata[index]);
  *case_id = g_strdup (json_object_get_string_member (kase, "id"));
  path = g_strconcat ("/cases/", *case_id, NULL);
  json_node_take_object (patch, json_object_new ());
  json_object_set_string_member (json_node_get_object (patch), "title", title);
  sd_rest_client_update_async (client, path, patch, json_object_get_int_member (kase, "version"),
                               NULL, got_result_cb, &result);
  updated = sd_rest_client_update_finish (client, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (updated);
}

static void
app_exited_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
freeze (GSubprocess *app,
        guint        seconds)
{
  const char *pid = g_subprocess_get_identifier (app);

  g_assert_nonnull (pid);
  g_assert_cmpint (kill (atoi (pid), SIGSTOP), ==, 0);
  /* The pause under test: longer than the app's keep-alive lifetime. */
  g_usleep ((gulong) seconds * G_USEC_PER_SEC);
  g_assert_cmpint (kill (atoi (pid), SIGCONT), ==, 0);
}

static void
test_sigstop_then_sync (void)
{
  const char *server_binary = g_getenv ("SUPPORTDESK_SERVER");
  const char *cli_binary = g_getenv ("SUPPORTDESK_CLI");
  const char *app_binary = g_getenv ("SUPPORTDESK_APP");
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (tmpdir, "server.db", NULL);
  g_autofree char *url = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SdRestClient) client = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean app_exited = FALSE;
  Expect expect;

  if (!have_keyring ())
    {
      g_test_skip ("no Secret Service on the session bus: run under build-aux/headless.sh");
      return;
    }
  g_assert_nonnull (server_binary);
  g_assert_nonnull (cli_binary);
  g_assert_nonnull (app_binary);

  /* The server. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, server_binary, "--db", db, "--listen", "127.0.0.1:0",
                                        "--demo", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while (url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
      const char *found;

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if ((found = strstr (line, "listening on ")))
        url = g_strndup (found + strlen ("listening on "),
                         strlen (found + strlen ("listening on ")) - strlen ("/api/v1"));
    }

  /* Signed in as a user would, through the CLI: token in the keyring. */
  {
    const char *argv[] = { cli_binary, "login", "--server", url, "--login", "li.na", NULL };

    g_assert_cmpint (run (DEMO_PASSWORD "\n", argv), ==, 0);
  }
  client = sd_rest_client_new (url, NULL, &error);
  g_assert_no_error (error);
  store_path = sd_sync_engine_store_path (sd_rest_client_get_base_url (client), "li.na");
  sd_rest_client_sign_in_async (client, "li.na", DEMO_PASSWORD, NULL, got_result_cb, &result);
  g_assert_true (sd_rest_client_sign_in_finish (client, wait_for (&result), NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The app, with one-second keep-alive connections. */
  g_clear_object (&launcher);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "SUPPORTDESK_IDLE_TIMEOUT", "1", TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, app_binary, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (app, NULL, app_exited_cb, &app_exited);

  /* Its first sync. */
  g_assert_true (poll_until (file_exists, store_path, WAIT_MS));
  store = sd_local_store_open (store_path, &error);
  g_assert_no_error (error);
  g_assert_true (poll_until (store_synced, store, WAIT_MS));

  /* 1. Frozen past the keep-alive lifetime (but not long enough for the
   * clock to call it a resume); continued; synced through D-Bus. */
  change_on_server (client, store, 0, "Changed while the app was stopped", &first_id);
  freeze (app, 3);
  {
    const char *argv[] = { "gapplication", "action", APP_ID, "sync", NULL };

    g_assert_cmpint (run (NULL, argv), ==, 0);
  }
  expect = (Expect) { store, first_id, "Changed while the app was stopped" };
  g_assert_true (poll_until (title_arrived, &expect, WAIT_MS));
  g_assert_false (app_exited);

  /* 2. Frozen long enough for a wall-clock jump: the app syncs by itself
   * once continued (its timer would wait 300 s). */
  change_on_server (client, store, 1, "Changed during a longer pause", &second_id);
  freeze (app, 8);
  expect = (Expect) { store, second_id, "Changed during a longer pause" };
  g_assert_true (poll_until (title_arrived, &expect, WAIT_MS));
  g_assert_false (app_exited);

  /* Quit, and leave the keyring as it was found. */
  {
    const char *quit[] = { "gapplication", "action", APP_ID, "quit", NULL };
    const char *logout[] = { cli_binary, "logout", "--delete-cache", NULL };

    g_assert_cmpint (run (NULL, quit), ==, 0);
    g_assert_true (poll_until (flag_set, &app_exited, WAIT_MS));
    g_assert_true (g_subprocess_get_if_exited (app));
    g_assert_cmpint (g_subprocess_get_exit_status (app), ==, 0);
    g_clear_object (&store);
    g_assert_cmpint (run (NULL, logout), ==, 0);
  }
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("supportdesk-resume-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/resume/sigstop-then-sync", test_sigstop_then_sync);
  status = g_test_run ();

  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmpdir);
    g_autofree char *db = g_build_filename (tmpdir, "server.db", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (db);
    g_unlink (wal);
    g_unlink (shm);
    g_file_delete (dir, NULL, NULL);
  }
  g_free (tmpdir);
  return status;
}
