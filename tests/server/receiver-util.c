/* receiver-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "receiver-util.h"
#include "server-test-util.h"

#define WAIT_SECONDS 60

/* A test that fails leaves no receiver behind. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

Receiver *
receiver_start (const char *script,
                const char *prefix,
                const char *suffix,
                ...)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  const char *python = g_getenv ("SUPPORTDESK_PYTHON");
  static guint n_receivers;
  Receiver *receiver = g_new0 (Receiver, 1);
  const char *arg;
  va_list args;

  receiver->dir = g_strdup_printf ("%s/receiver-%u", tmpdir, ++n_receivers);
  g_assert_no_errno (g_mkdir (receiver->dir, 0700));
  g_ptr_array_add (argv, g_strdup (python ? python : "/usr/bin/python3"));
  g_ptr_array_add (argv, g_test_build_filename (G_TEST_DIST, "server", script, NULL));
  g_ptr_array_add (argv, g_strdup (receiver->dir));
  va_start (args, suffix);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

    g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
    receiver->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  }
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver->process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "port "));
  receiver->url = g_strdup_printf ("%s127.0.0.1:%s%s", prefix, line + 5, suffix);
  return receiver;
}

void
receiver_free (Receiver *receiver)
{
  g_subprocess_send_signal (receiver->process, SIGKILL);
  g_subprocess_wait (receiver->process, NULL, NULL);
  g_object_unref (receiver->process);
  g_free (receiver->dir);
  g_free (receiver->url);
  g_free (receiver);
}

guint
receiver_count (Receiver *receiver)
{
  g_autoptr(GDir) dir = g_dir_open (receiver->dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)))
    n += g_str_has_suffix (name, ".json");
  return n;
}

void
receiver_wait (Receiver *receiver,
               guint     n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  while (receiver_count (receiver) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

JsonObject *
receiver_record (Receiver *receiver,
                 guint     n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = g_strdup_printf ("%s/%u.json", receiver->dir, n);

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}
