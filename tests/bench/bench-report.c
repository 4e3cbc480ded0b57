/* bench-report.c — the quarterly report of one customer with 10,000
 * cases in the quarter (target: under 1 s; docs/performance.md)
 *
 * Each case has a status change into and out of waiting_customer and,
 * for a third of them, a comment; severities 1–4 in turn (so half the
 * cases run on the business clock of the cn-mainland calendar).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <supportdesk.h>

int
main (int   argc,
      char *argv[])
{
  guint n_cases = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GDateTime) start = NULL;
  SdCustomer *customer = sd_customer_new ("cust-bench");
  SdReportInput input;
  gint64 q_start, now, t0, best = G_MAXINT64;
  double total_ms = 0;
  const guint runs = 5;

  sd_customer_set_name (customer, "Bench Co.");
  sd_customer_set_tier (customer, SD_TIER_MSA_ENTERPRISE);
  sd_customer_set_time_zone (customer, "Asia/Shanghai");
  sd_customer_set_calendar_id (customer, "cn-mainland");
  g_ptr_array_add (customers, customer);

  start = g_date_time_new_from_iso8601 ("2026-07-01T00:00:00+08:00", NULL);
  q_start = g_date_time_to_unix (start);
  now = q_start + 95 * 86400;

  for (guint i = 0; i < n_cases; i++)
    {
      SdCase *kase = sd_case_new (NULL);
      g_autofree char *number = g_strdup_printf ("SD-2026-%06u", i + 1);
      gint64 reported = q_start + g_rand_int_range (rand, 0, 90 * 86400);
      gint64 responded = reported + g_rand_int_range (rand, 300, 10 * 3600);
      const char *id = sd_case_get_id (kase);

      sd_case_set_number (kase, number);
      sd_case_set_customer_id (kase, "cust-bench");
      sd_case_set_title (kase, "Scan engine stops on the file server");
      sd_case_set_case_type (kase, SD_CASE_TYPE_INCIDENT);
      sd_case_set_severity (kase, 1 + i % 4);
      sd_case_set_status (kase, i % 10 == 0 ? SD_CASE_STATUS_IN_PROGRESS : SD_CASE_STATUS_RESOLVED);
      sd_case_set_reported_at (kase, reported);
      sd_case_set_reported_via (kase, SD_REPORTED_VIA_PORTAL);
      if (i % 10 != 0)
        {
          sd_case_set_responded_at (kase, responded);
          sd_case_set_resolved_at (kase, responded + 86400);
        }
      g_ptr_array_add (cases, kase);
      g_ptr_array_add (events, sd_case_event_new_status_change (id, NULL, reported + 120, SD_CASE_STATUS_NEW,
                                                                SD_CASE_STATUS_WAITING_CUSTOMER, NULL));
      g_ptr_array_add (events, sd_case_event_new_status_change (id, NULL, reported + 900,
                                                                SD_CASE_STATUS_WAITING_CUSTOMER,
                                                                SD_CASE_STATUS_IN_PROGRESS, NULL));
      if (i % 3 == 0)
        g_ptr_array_add (events, sd_case_event_new_comment (id, "user-tam", reported + 600, "Logs received"));
    }

  input = (SdReportInput) { customers, cases, events, NULL, NULL };
  for (guint r = 0; r < runs; r++)
    {
      g_autoptr(SdQuarterlyReport) report = NULL;
      g_autofree char *csv = NULL;
      gint64 elapsed;

      t0 = g_get_monotonic_time ();
      report = sd_quarterly_report_build (&input, "cust-bench", 2026, 3, SD_REPORT_LANGUAGE_EN, now, NULL);
      csv = sd_quarterly_report_to_csv (report, NULL);
      elapsed = g_get_monotonic_time () - t0;
      best = MIN (best, elapsed);
      total_ms += elapsed / 1000.0;
      if (r == 0)
        printf ("cases opened: %u, compliance %.1f %%, breaches %u\n",
                report->compliance_total.met + report->compliance_total.missed + report->compliance_total.pending,
                report->compliance_total.percent, report->breaches->len);
    }
  printf ("quarterly report, %u cases, %u events: best %.1f ms, mean %.1f ms over %u runs (with CSV)\n",
          n_cases, events->len, best / 1000.0, total_ms / runs, runs);

  /* The same report as a PDF: build, lay out and write the document. */
  {
    g_autofree char *dir = g_dir_make_tmp ("bench-report-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "quarterly.pdf", NULL);
    gint64 pdf_best = G_MAXINT64;
    double pdf_total_ms = 0;
    guint n_pages = 0;

    for (guint r = 0; r < runs; r++)
      {
        g_autoptr(SdQuarterlyReport) report = NULL;
        g_autoptr(SdDocument) document = NULL;
        g_autoptr(GError) error = NULL;
        gint64 elapsed;

        t0 = g_get_monotonic_time ();
        report = sd_quarterly_report_build (&input, "cust-bench", 2026, 3, SD_REPORT_LANGUAGE_ZH_CN, now, NULL);
        document = sd_quarterly_report_to_document (report);
        if (!sd_document_write_pdf (document, path, &error))
          {
            fprintf (stderr, "%s\n", error->message);
            return EXIT_FAILURE;
          }
        elapsed = g_get_monotonic_time () - t0;
        pdf_best = MIN (pdf_best, elapsed);
        pdf_total_ms += elapsed / 1000.0;
        n_pages = sd_document_get_n_pages (document, SD_DOCUMENT_A4_WIDTH, SD_DOCUMENT_A4_HEIGHT);
      }
    printf ("quarterly report as PDF (zh_CN), %u pages: best %.1f ms, mean %.1f ms over %u runs\n",
            n_pages, pdf_best / 1000.0, pdf_total_ms / runs, runs);
    g_remove (path);
    g_rmdir (dir);
  }
  return best < G_USEC_PER_SEC ? EXIT_SUCCESS : EXIT_FAILURE;
}
