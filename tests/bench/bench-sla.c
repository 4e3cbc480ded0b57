/* bench-sla.c — SLA clocks per second on the built-in mainland-China
 * calendar, cases reported 2025–2027 (2027 a provisional year), see
 * docs/performance.md
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <supportdesk.h>

#define DEFAULT_CASES 1000000

typedef struct {
  SdSlaInput  *inputs;
  gint64      *nows;
  guint        first;
  guint        last;
  SdSlaPolicy *policies[2];
  SdCalendar  *calendar;
  gint64       checksum;
  guint        n_provisional;
} Slice;

static gpointer
run_slice (gpointer data)
{
  Slice *slice = data;
  gint64 checksum = 0;
  guint n_provisional = 0;

  for (guint i = slice->first; i < slice->last; i++)
    {
      SdSlaResult result;

      sd_sla_compute (&slice->inputs[i], slice->policies[slice->inputs[i].tier],
                      slice->calendar, slice->nows[i], &result);
      checksum += result.response.due + result.response.state;
      n_provisional += result.response.provisional_year != 0;
    }
  slice->checksum = checksum;
  slice->n_provisional = n_provisional;
  return NULL;
}

static double
run (Slice *slices,
     guint  n_threads,
     guint  n_cases)
{
  GThread *threads[8];
  gint64 start = g_get_monotonic_time ();

  for (guint t = 0; t < n_threads; t++)
    {
      slices[t].first = (guint) ((guint64) n_cases * t / n_threads);
      slices[t].last = (guint) ((guint64) n_cases * (t + 1) / n_threads);
      threads[t] = g_thread_new ("bench", run_slice, &slices[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  guint n_cases = argc > 1 ? (guint) atoi (argv[1]) : DEFAULT_CASES;
  guint max_threads = argc > 2 ? (guint) atoi (argv[2]) : 2;
  g_autoptr(SdCalendar) calendar = sd_calendar_new_builtin ("cn-mainland");
  g_autoptr(SdSlaPolicy) msa = sd_sla_policy_new_msa_enterprise ();
  g_autoptr(SdSlaPolicy) standard = sd_sla_policy_new_standard ();
  g_autofree SdSlaInput *inputs = g_new0 (SdSlaInput, n_cases);
  g_autofree gint64 *nows = g_new (gint64, n_cases);
  g_autofree SdSlaSpan *pauses = g_new (SdSlaSpan, n_cases);
  GRand *rand = g_rand_new_with_seed (20260214);
  gint64 begin = 1735660800;  /* 2025-01-01T00:00:00+08:00 */
  gint64 span = 3 * 365 * 86400;  /* 2025–2026 official, 2027 provisional */
  guint n_business = 0;
  Slice slices[8];

  if (n_cases == 0 || max_threads == 0 || max_threads > G_N_ELEMENTS (slices))
    {
      g_printerr ("usage: bench-sla [CASES] [THREADS ≤ 8]\n");
      return 2;
    }

  for (guint i = 0; i < n_cases; i++)
    {
      SdSlaInput *in = &inputs[i];

      in->tier = g_rand_int_range (rand, 0, 10) < 7 ? SD_TIER_MSA_ENTERPRISE : SD_TIER_STANDARD;
      in->severity = g_rand_int_range (rand, 1, 5);
      in->status = SD_CASE_STATUS_IN_PROGRESS;
      in->reported_at = begin + g_rand_int_range (rand, 0, (gint32) (span / 60)) * (gint64) 60;
      in->responded_at = SD_TIME_NONE;
      in->last_daily_report_at = SD_TIME_NONE;
      nows[i] = in->reported_at + g_rand_int_range (rand, 0, 5 * 86400);
      if (g_rand_int_range (rand, 0, 10) == 0)
        {
          pauses[i].start = in->reported_at + g_rand_int_range (rand, 60, 4 * 3600);
          pauses[i].end = pauses[i].start + g_rand_int_range (rand, 60, 2 * 86400);
          in->pauses = &pauses[i];
          in->n_pauses = 1;
        }
      if (g_rand_int_range (rand, 0, 4) == 0)
        in->responded_at = in->reported_at + g_rand_int_range (rand, 60, 2 * 86400);
      if (sd_sla_policy_get_clock (in->tier == SD_TIER_MSA_ENTERPRISE ? msa : standard,
                                   in->severity) == SD_CLOCK_BUSINESS)
        n_business++;
    }
  g_rand_free (rand);

  for (guint t = 0; t < G_N_ELEMENTS (slices); t++)
    {
      slices[t].inputs = inputs;
      slices[t].nows = nows;
      slices[t].policies[SD_TIER_MSA_ENTERPRISE] = msa;
      slices[t].policies[SD_TIER_STANDARD] = standard;
      slices[t].calendar = calendar;
    }

  g_print ("%u cases (%.0f %% on business clocks, 10 %% with a pause), built-in cn-mainland calendar\n",
           n_cases, 100.0 * n_business / n_cases);

  /* First touch builds the year tables. */
  run (slices, 1, MIN (n_cases, 10000u));

  for (guint threads = 1; threads <= max_threads; threads++)
    {
      double best = G_MAXDOUBLE;
      gint64 checksum = 0;
      guint n_provisional = 0;

      for (int round = 0; round < 3; round++)
        {
          double seconds = run (slices, threads, n_cases);

          best = MIN (best, seconds);
          checksum = 0;
          n_provisional = 0;
          for (guint t = 0; t < threads; t++)
            {
              checksum += slices[t].checksum;
              n_provisional += slices[t].n_provisional;
            }
        }
      g_print ("%u thread%s: %.3f s, %.0f cases/s (checksum %" G_GINT64_FORMAT
               ", %u results on a provisional year)\n",
               threads, threads == 1 ? "" : "s", best, n_cases / best, checksum, n_provisional);
    }
  return 0;
}
