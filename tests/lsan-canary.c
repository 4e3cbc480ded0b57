/* lsan-canary.c — leaks memory on purpose, in code of ours.
 *
 * Run by check-lsan-canary.py in the sanitizer build, with the project's
 * LeakSanitizer suppressions (build-aux/lsan.supp): both leaks below must be
 * reported, so that the suppressions can never hide a leak of our own, even
 * one whose stack passes through GLib's main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib.h>
#include <string.h>

#define DIRECT_SIZE 4093
#define CALLBACK_SIZE 4091

static gpointer volatile sink;

static void __attribute__ ((noinline))
plant_leak (gsize size)
{
  sink = g_malloc (size);
  memset (sink, 0x5a, size);
  sink = NULL;
}

static gboolean
leak_from_main_loop_cb (gpointer data)
{
  GMainLoop *loop = data;

  plant_leak (CALLBACK_SIZE);
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void __attribute__ ((noinline))
clobber_stack (void)
{
  volatile char scratch[8192];

  memset ((char *) scratch, 0, sizeof scratch);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = NULL;

  if (argc < 2 || strcmp (argv[1], "leak") != 0)
    return 0;

  plant_leak (DIRECT_SIZE);

  loop = g_main_loop_new (NULL, FALSE);
  g_idle_add (leak_from_main_loop_cb, loop);
  g_main_loop_run (loop);

  clobber_stack ();
  return 0;
}
