/* test-server-hostile.c — supportdesk-server (and the client) against
 * hostile and careless traffic
 *
 * Each test reproduces one way a stranger, or a buggy client, could take
 * the server down or make it lose data, and checks that it no longer can.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>
#include <supportdesk.h>

#include "server-test-util.h"

/* ------------------------------------------------------------ deep JSON */

static char *
deep_brackets (gsize depth)
{
  char *text = g_malloc (depth + 1);

  memset (text, '[', depth);
  text[depth] = '\0';
  return text;
}

/* 100,000 '[' once overflowed json-glib's stack before authentication. */
static void
test_deep_nesting (void)
{
  g_autoptr(Server) server = server_start (NULL);
  g_autofree char *deep = deep_brackets (100000);
  g_autofree char *shallow = g_strconcat ("[[[[[[[[[[", "]]]]]]]]]]", NULL);
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) object_refused = NULL;
  g_autoptr(Reply) allowed = NULL;
  g_autoptr(Reply) alive = NULL;

  refused = request (server, "POST", "/auth/token", NULL, deep);
  assert_problem (refused, 400, NULL);
  g_assert_nonnull (strstr (refused->body, "nested deeper than 64"));

  {
    GString *objects = g_string_new (NULL);

    for (int i = 0; i < 65; i++)
      g_string_append (objects, "{\"a\":");
    g_string_append (objects, "1");
    for (int i = 0; i < 65; i++)
      g_string_append_c (objects, '}');
    object_refused = request (server, "POST", "/auth/token", NULL, objects->str);
    g_string_free (objects, TRUE);
  }
  assert_problem (object_refused, 400, NULL);
  g_assert_nonnull (strstr (object_refused->body, "nested deeper than 64"));

  /* Shallow nesting reaches the codecs, which want an object. */
  allowed = request (server, "POST", "/auth/token", NULL, shallow);
  assert_problem (allowed, 400, NULL);
  g_assert_null (strstr (allowed->body, "nested"));

  alive = request (server, "GET", "/me", NULL, NULL);
  assert_problem (alive, 401, NULL);
}

/* "\u0000" once cut a title short silently. */
static void
test_nul_in_string (void)
{
  g_autoptr(Server) server = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL, *tam_b = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) nul = NULL;
  g_autoptr(Reply) escaped = NULL;

  server = server_start_seeded (db, &tam_a, &tam_b);
  token = sign_in (server, "tam.a", "password-a");

  nul = request (server, "POST", "/cases", token,
                 "{\"customer_id\":\"cust-a\",\"title\":\"agents\\u0000 offline\",\"type\":\"incident\","
                 "\"severity\":3,\"reported_at\":\"2026-11-20T09:00:00+08:00\",\"reported_via\":\"phone\"}");
  assert_problem (nul, 400, NULL);
  g_assert_nonnull (strstr (nul->body, "NUL"));

  /* A backslash followed by "u0000" is text, not the escape. */
  escaped = request (server, "POST", "/cases", token,
                     "{\"customer_id\":\"cust-a\",\"title\":\"C:\\\\u0000 path\",\"type\":\"incident\","
                     "\"severity\":3,\"reported_at\":\"2026-11-20T09:00:00+08:00\",\"reported_via\":\"phone\"}");
  assert_status (escaped, 201);
  g_assert_cmpstr (member_string (escaped, "title"), ==, "C:\\u0000 path");
}

static void
deep_reply_cb (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_CREATED, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    deep_brackets (100000), 100000);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The same body from a server once crashed supportdesk-cli login. */
static void
test_client_deep_nesting (void)
{
  g_autoptr(SoupServer) fake = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) cli = NULL;
  g_autofree char *url = NULL;
  g_autofree char *home = g_build_filename (tmpdir, "cli-home", NULL);
  g_autoptr(GBytes) input = g_bytes_new_static ("password\n", 9);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const char *cli_path = g_getenv ("SUPPORTDESK_CLI");

  g_assert_nonnull (cli_path);
  soup_server_add_handler (fake, NULL, deep_reply_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (fake, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake);
  url = g_strdup_printf ("http://127.0.0.1:%d/api/v1", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", home, TRUE);
  cli = g_subprocess_launcher_spawn (launcher, &error, cli_path, "login", "--server", url,
                                     "--login", "li.na", NULL);
  g_assert_no_error (error);
  /* The fake server runs on this thread: keep its loop turning. */
  g_subprocess_communicate_async (cli, input, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_communicate_finish (cli, result, &out, &err, &error));
  g_assert_no_error (error);
  g_subprocess_wait (cli, NULL, NULL);

  g_assert_true (g_subprocess_get_if_exited (cli));  /* no SIGSEGV */
  g_assert_cmpint (g_subprocess_get_exit_status (cli), !=, 0);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (err, NULL), g_bytes_get_size (err), "64"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("supportdesk-hostile-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/hostile/nul-in-string", test_nul_in_string);
  g_test_add_func ("/hostile/client-deep-nesting", test_client_deep_nesting);
  ret = g_test_run ();

  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmpdir);
    if (system (command) != 0)
      g_printerr ("could not remove %s\n", tmpdir);
  }
  g_free (tmpdir);
  return ret;
}
