/* sd-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-clock"

#include "config.h"

#include <supportdesk.h>

#include "sd-clock.h"

/* A tick this much later than due, or a wall clock that went back this
 * far: the process did not run (suspend, SIGSTOP, a debugger). */
#define RESUME_GAP   (5 * G_USEC_PER_SEC)
/* One resume reported twice (logind and the late tick) is one resume. */
#define RESUME_QUIET (30 * G_USEC_PER_SEC)

struct _SdClock
{
  GObject parent_instance;

  gint64 pinned;       /* 0: real time */
  guint  timeout;
  gint64 due;          /* wall µs the next tick is due at */
  gint64 last_resume;  /* monotonic µs; 0: never */
};

G_DEFINE_FINAL_TYPE (SdClock, sd_clock, G_TYPE_OBJECT)

enum { TICK, RESUMED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean tick_cb (gpointer user_data);

/* The next tick lands just after the next full second, so that a state
 * that changes at a threshold shows within the same second. */
static void
schedule (SdClock *self)
{
  gint64 now = g_get_real_time ();
  gint64 usec = now % G_USEC_PER_SEC;

  self->due = now + G_USEC_PER_SEC - usec;
  self->timeout = g_timeout_add_full (G_PRIORITY_DEFAULT, (G_USEC_PER_SEC - usec) / 1000 + 1,
                                      tick_cb, self, NULL);
}

static void
emit_resumed (SdClock *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->last_resume != 0 && now - self->last_resume < RESUME_QUIET)
    return;
  self->last_resume = now;
  g_signal_emit (self, signals[RESUMED], 0);
}

static gboolean
tick_cb (gpointer user_data)
{
  SdClock *self = user_data;
  gint64 late = g_get_real_time () - self->due;

  self->timeout = 0;
  if (self->pinned == 0)
    schedule (self);
  if (late > RESUME_GAP || late < -RESUME_GAP)
    emit_resumed (self);
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
  /* Emitted, before the tick, when the process runs again after a pause
   * (a suspend, SIGSTOP): the wall clock jumped, the network connections
   * are probably dead, alerts came due meanwhile. */
  signals[RESUMED] = g_signal_new ("resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
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

void
sd_clock_resumed (SdClock *self)
{
  g_return_if_fail (SD_IS_CLOCK (self));

  emit_resumed (self);
  g_signal_emit (self, signals[TICK], 0);
}
