/* sd-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-clock.h"

static GMutex lock;
static gint64 test_now;  /* under lock; 0: the system's time */

gint64
sd_server_now (void)
{
  gint64 now;

  g_mutex_lock (&lock);
  now = test_now;
  g_mutex_unlock (&lock);
  return now != 0 ? now : g_get_real_time () / G_USEC_PER_SEC;
}

void
sd_server_set_test_now (gint64 now)
{
  g_mutex_lock (&lock);
  test_now = now;
  g_mutex_unlock (&lock);
}
