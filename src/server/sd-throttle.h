/* sd-throttle.h — counts attempts per key within a window of time
 *
 * Sign-in attempts count per login and client address. The table holds
 * at most a fixed number of keys: entries whose window has passed are
 * purged once a window (or when the table is full), and a new key that
 * finds the table full of fresh entries is refused, as someone is trying
 * many logins at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdThrottle SdThrottle;

SdThrottle *sd_throttle_new      (guint        max_attempts,
                                  gint64       window,
                                  guint        max_entries);
void        sd_throttle_free     (SdThrottle  *self);
/* Counts an attempt for @key at @now (seconds) before it is checked.
 * Returns 0 when it may go on, or the seconds to wait. */
gint64      sd_throttle_count    (SdThrottle  *self,
                                  const char  *key,
                                  gint64       now);
/* Forgets @key (its attempt succeeded). */
void        sd_throttle_forget   (SdThrottle  *self,
                                  const char  *key);
/* The number of keys remembered. */
guint       sd_throttle_get_size (SdThrottle  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdThrottle, sd_throttle_free)

G_END_DECLS
