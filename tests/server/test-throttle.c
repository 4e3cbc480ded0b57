/* test-throttle.c — the sign-in throttle: attempts per key, the table's
 * size cap and the purge of expired entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-throttle.h"

#define ATTEMPTS 5
#define WINDOW   60
#define ENTRIES  100

/* Five attempts pass, the sixth waits for the rest of the window, and a
 * new window starts afresh. */
static void
test_attempts (void)
{
  g_autoptr(SdThrottle) throttle = sd_throttle_new (ATTEMPTS, WINDOW, ENTRIES);

  for (guint i = 0; i < ATTEMPTS; i++)
    g_assert_cmpint (sd_throttle_count (throttle, "li.na\x1f" "10.0.0.1", 1000 + i), ==, 0);
  g_assert_cmpint (sd_throttle_count (throttle, "li.na\x1f" "10.0.0.1", 1010), ==, WINDOW - 10);
  /* The same login from elsewhere is another key. */
  g_assert_cmpint (sd_throttle_count (throttle, "li.na\x1f" "10.0.0.2", 1010), ==, 0);
  g_assert_cmpint (sd_throttle_count (throttle, "li.na\x1f" "10.0.0.1", 1000 + WINDOW), ==, 0);

  /* A success forgets the key. */
  for (guint i = 0; i < ATTEMPTS - 1; i++)
    sd_throttle_count (throttle, "wang.wei", 2000);
  sd_throttle_forget (throttle, "wang.wei");
  for (guint i = 0; i < ATTEMPTS; i++)
    g_assert_cmpint (sd_throttle_count (throttle, "wang.wei", 2001), ==, 0);
}

/* The table never holds more than its cap: a new key that finds it full
 * of fresh entries is refused for a window, while keys it holds still
 * count; once their window has passed, the entries are purged. */
static void
test_size_cap_and_purge (void)
{
  g_autoptr(SdThrottle) throttle = sd_throttle_new (ATTEMPTS, WINDOW, ENTRIES);

  for (guint i = 0; i < ENTRIES; i++)
    {
      g_autofree char *key = g_strdup_printf ("login-%u", i);

      g_assert_cmpint (sd_throttle_count (throttle, key, 1000 + i / 10), ==, 0);
    }
  g_assert_cmpuint (sd_throttle_get_size (throttle), ==, ENTRIES);

  g_assert_cmpint (sd_throttle_count (throttle, "one-more", 1010), ==, WINDOW);
  g_assert_cmpint (sd_throttle_count (throttle, "another", 1020), ==, WINDOW);
  g_assert_cmpuint (sd_throttle_get_size (throttle), ==, ENTRIES);
  g_assert_cmpint (sd_throttle_count (throttle, "login-0", 1020), ==, 0);

  /* At 1000 + WINDOW the first ten have expired: the full table drops
   * them, and a new key finds room. */
  g_assert_cmpint (sd_throttle_count (throttle, "one-more", 1000 + WINDOW), ==, 0);
  g_assert_cmpuint (sd_throttle_get_size (throttle), ==, ENTRIES - 10 + 1);
  /* login-0 was counted again at 1020: its window runs from 1000 still,
   * so it expired with the others and starts afresh. */
  g_assert_cmpint (sd_throttle_count (throttle, "login-0", 1000 + WINDOW), ==, 0);

  /* A window later with nothing new, the periodic purge empties it. */
  g_assert_cmpint (sd_throttle_count (throttle, "late", 1000 + 3 * WINDOW), ==, 0);
  g_assert_cmpuint (sd_throttle_get_size (throttle), ==, 1);
}

/* Many keys over a long time: the table stays within its cap. */
static void
test_bounded (void)
{
  g_autoptr(SdThrottle) throttle = sd_throttle_new (ATTEMPTS, WINDOW, ENTRIES);
  guint refused = 0;

  for (guint i = 0; i < 100 * ENTRIES; i++)
    {
      g_autofree char *key = g_strdup_printf ("guess-%u", i);

      if (sd_throttle_count (throttle, key, i / 20) > 0)
        refused++;
      g_assert_cmpuint (sd_throttle_get_size (throttle), <=, ENTRIES);
    }
  /* 20 new keys a second, 1,200 a window: most are refused. */
  g_assert_cmpuint (refused, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/throttle/attempts", test_attempts);
  g_test_add_func ("/throttle/size-cap-and-purge", test_size_cap_and_purge);
  g_test_add_func ("/throttle/bounded", test_bounded);
  return g_test_run ();
}
