/* sd-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-clock"

#include "config.h"

#include <supportdesk.h>

#include "sd-clock.h"

struct _SdClock
{
  GObject parent_instance;

  gint64 pinned;   /* 0: real time */
  guint  timeout;
};

G_DEFINE_FINAL_TYPE (SdClock, sd_clock, G_TYPE_OBJECT)

enum { TICK, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean tick_cb (gpointer user_data);

/* The next tick lands just after the next full second, so that a state
 * that changes at a threshold shows within the same second. */
static void
schedule (SdClock *self)
{
  gint64 usec = g_get_real_time () % G_USEC_PER_SEC;

  self->timeout = g_timeout_add_full (G_PRIORITY_DEFAULT, (G_USEC_PER_SEC - usec) / 1000 + 1,
                                      tick_cb, self, NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  SdClock *self = user_data;

  self->timeout = 0;
  if (self->pinned == 0)
    schedule (self);
  g_signal_emit (self, signals[TICK], 0);
  return G_SOURCE_REMOVE;
}

static void
sd_clock_finalize (GObject *object)
{
  SdClock *self = SD_CLOCK (object);

  g_clear_handle_id (&self->timeout, g_source_remove);
  G_OBJECT_CLASS (sd_clock_parent_class)->finalize (object);
}

static void
sd_clock_class_init (SdClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_clock_finalize;

  /* Emitted once a second (and when the clock is pinned): read the time
   * with sd_clock_get_now(). */
  signals[TICK] = g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sd_clock_init (SdClock *self)
{
  const char *pinned = g_getenv ("SUPPORTDESK_NOW");
  gint64 now;

  if (pinned != NULL && sd_time_parse_iso8601 (pinned, NULL, &now, NULL))
    self->pinned = now;
  else
    schedule (self);
}

SdClock *
sd_clock_get_default (void)
{
  static SdClock *clock;

  if (clock == NULL)
    clock = g_object_new (SD_TYPE_CLOCK, NULL);
  return clock;
}

gint64
sd_clock_get_now (SdClock *self)
{
  g_return_val_if_fail (SD_IS_CLOCK (self), 0);

  return self->pinned != 0 ? self->pinned : g_get_real_time () / G_USEC_PER_SEC;
}

void
sd_clock_set_now (SdClock *self,
                  gint64   now)
{
  g_return_if_fail (SD_IS_CLOCK (self));

  self->pinned = now;
  g_clear_handle_id (&self->timeout, g_source_remove);
  if (now == 0)
    schedule (self);
  g_signal_emit (self, signals[TICK], 0);
}
