/* sd-report.h — the contract's reports: the daily report on open
 * severity-1 cases, the quarterly report per customer, custom reports
 *
 * Pure computations over the cases, their timelines and the customers (no
 * I/O), shared by the app, the CLI and the tests. Definitions (which cases
 * count, met / missed, the response-time clock): docs/reports.md.
 *
 * Report text that goes to customers is written in the report's language
 * (SdReportLanguage), not the app's: it does not come from gettext.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-calendar.h"
#include "sd-case.h"
#include "sd-coverage.h"
#include "sd-customer.h"
#include "sd-enums.h"
#include "sd-health-check.h"
#include "sd-sla.h"
#include "sd-sla-policy.h"
#include "sd-sla-record.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------ the input */

/* What a report is computed from. Arrays are borrowed for the call.
 * - customers: SdCustomer; cases of customers not listed are skipped;
 * - cases: SdCase;
 * - events: SdCaseEvent of those cases, any order;
 * - calendars: SdCalendar (may be NULL): a customer's calendar is the one
 *   whose id is its calendar_id, else the built-in calendar of that id,
 *   else the working week of its time zone;
 * - policies: SdSlaPolicy (may be NULL): the tiers' versions and the customers'
 *   overrides; a case uses the one in force on the day it was reported
 *   (sd_sla_policy_pick()), else the contract's
 *   defaults (sd_sla_policy_new_for_tier()) for a tier not listed;
 * - health_checks: SdHealthCheck (may be NULL): with them the quarterly
 *   report states where the customer's yearly health check stands. */
typedef struct {
  GPtrArray *customers;
  GPtrArray *cases;
  GPtrArray *events;
  GPtrArray *calendars;
  GPtrArray *policies;
  GPtrArray *health_checks;
  GPtrArray *sla_records;   /* SdSlaRecord: the breaches the server recorded; may be NULL */
  GPtrArray *users;         /* SdUser: who answers a customer (may be NULL) */
  GPtrArray *duty_shifts;   /* SdDutyShift: the duty rota (may be NULL) */
  GPtrArray *contacts;      /* SdContact: the daily report's recipients; may be NULL */
  char      *sender_name;   /* owned: who signs the daily report; NULL: "Your TAM" */
} SdReportInput;

/* Who answers the input's customers (sd-coverage.h): its customers,
 * users, calendars and duty shifts. */
SdCoverage *sd_report_input_coverage (const SdReportInput *input);

/* "2026Q3" (also "2026-Q3", "2026q3") → year and quarter 1–4. */
gboolean  sd_report_parse_quarter (const char  *text,
                                   int         *year,
                                   int         *quarter,
                                   GError     **error);

/* ------------------------------------------------ daily severity-1 report */

/* The customer's own report language. */
#define SD_REPORT_LANGUAGE_CUSTOMER ((SdReportLanguage) -1)

typedef struct {
  SdCase      *kase;        /* owned */
  SdCustomer  *customer;    /* owned */
  SdReportLanguage language;
  SdSlaResult  sla;         /* at the report's "now" */
  gint64       since;       /* last daily report sent, else reported_at */
  gint64       next_due;    /* when the next report is owed after this one: in the future */
  guint        n_missed;    /* daily reports owed since @since that were not sent */
  GStrv        recipients;  /* e-mail addresses of the contacts who receive daily reports */
  char        *subject;
  char        *body;
  char        *mailto;      /* "mailto:to?subject=…&body=…", percent-encoded */
} SdDailyReportItem;

typedef struct {
  gint64     now;
  GPtrArray *items;         /* SdDailyReportItem, most urgent daily report first */
} SdDailyReport;

/* One item per open severity-1 case of the customers whose TAM is
 * @tam_id or whom @tam_id answers at @now (sd_coverage_covers; NULL:
 * every customer): what happened since the last
 * daily_report_sent event (or since the report) — public entries only,
 * never an internal comment —, the reports owed in between that were not
 * sent, the current status, next steps and the SLA clocks, in @language
 * (or each customer's own with SD_REPORT_LANGUAGE_CUSTOMER), addressed to
 * the customer's daily-report contacts and signed with the input's
 * sender_name. Times are shown in the customer's zone. */
SdDailyReport *sd_daily_report_build   (const SdReportInput *input,
                                        const char          *tam_id,
                                        SdReportLanguage     language,
                                        gint64               now);
void           sd_daily_report_free    (SdDailyReport       *report);
/* "mailto:?subject=…&body=…" (RFC 6068; line breaks as %0D%0A). */
char          *sd_report_mailto_uri    (const char          *to,
                                        const char          *subject,
                                        const char          *body);

/* ------------------------------------------------- quarterly per customer */

typedef struct {
  guint  met;
  guint  missed;     /* responded late, or due passed without a response */
  guint  pending;    /* clock still open at the report's "now", not yet due */
  double percent;    /* met ÷ (met + missed) × 100; -1 when both are 0 */
} SdComplianceCount;

typedef struct {
  guint  n;          /* responded cases */
  gint64 median;     /* seconds on the severity's clock; -1 when n = 0 */
  gint64 p90;        /* nearest rank; -1 when n = 0 */
  /* The same on the wall clock (report to response, nights, weekends and
   * holidays included), shown beside working-hours figures. */
  gint64 wall_median;
  gint64 wall_p90;
} SdResponseTimes;

typedef struct {
  SdCase     *kase;         /* owned */
  SdSlaState  state;        /* SD_SLA_MISSED or SD_SLA_BREACHED */
  SdClockKind clock;
  gint64      target;       /* seconds on the clock */
  gint64      due;
  int         severity;     /* the severity the breach happened under */
  gint64      responded_at; /* SD_TIME_NONE when not responded */
  gboolean    backdated;    /* the response was entered long after its time */
  gboolean    kept;         /* a breach on record that a later entry would have undone */
  gint64      overdue;      /* seconds on the clock past the target */
  char       *cause;        /* in the report's language */
} SdReportBreach;

typedef struct {
  SdCase     *kase;         /* owned */
  SdSlaState  response_state;
  gint64      age;          /* wall seconds from reported_at to the report's now */
} SdReportOpenItem;

#define SD_N_CASE_TYPES (SD_CASE_TYPE_SERVICE_REQUEST + 1)

typedef struct {
  char              *customer_id;
  char              *customer_name;
  SdReportLanguage   language;
  int                year;
  int                quarter;         /* 1–4 */
  gint64             start;           /* first instant, in the customer's zone */
  gint64             end;             /* first instant after the quarter */
  gint64             now;
  /* [severity - 1][type] */
  guint              opened[SD_SEVERITY_MAX][SD_N_CASE_TYPES];
  guint              resolved[SD_SEVERITY_MAX][SD_N_CASE_TYPES];
  SdComplianceCount  compliance[SD_SEVERITY_MAX];
  SdComplianceCount  compliance_total;
  SdResponseTimes    response_times[SD_SEVERITY_MAX];
  SdClockKind        clocks[SD_SEVERITY_MAX];   /* the clock of each severity */
  /* The three months of the quarter. */
  SdComplianceCount  monthly[3];
  GPtrArray         *breaches;        /* SdReportBreach, by due time */
  GPtrArray         *open_items;      /* SdReportOpenItem, by severity then age */
  char              *health_check_status;  /* from the input's health checks; may be NULL */
} SdQuarterlyReport;

/* The quarterly report of @customer_id for @year / @quarter, evaluated at
 * @now, in @language (SD_REPORT_LANGUAGE_CUSTOMER: the customer's). NULL
 * with SD_ERROR_INVALID_VALUE for an unknown customer or quarter. */
SdQuarterlyReport *sd_quarterly_report_build    (const SdReportInput *input,
                                                 const char          *customer_id,
                                                 int                  year,
                                                 int                  quarter,
                                                 SdReportLanguage     language,
                                                 gint64               now,
                                                 GError             **error);
void               sd_quarterly_report_free     (SdQuarterlyReport   *report);
void               sd_quarterly_report_set_health_check_status (SdQuarterlyReport *report,
                                                                const char        *status);
/* The quarterly report's health-check line for @year (from
 * sd_health_check_year()) in @language: done, scheduled, requested or due
 * in that contract year, and when. sd_quarterly_report_build() sets it,
 * as of the quarter's last day (today while the quarter runs), when the
 * input has health checks. */
char              *sd_report_health_check_line (const SdHealthCheckYear *year,
                                                SdReportLanguage         language);
/* A response time as reports show it: on a working-hours clock the
 * working time with the wall-clock time beside it ("0 s (wall clock
 * 14 h 5 min)"), else the time alone; "–" when @seconds < 0. */
char              *sd_report_response_time_text (SdReportLanguage language,
                                                 SdClockKind      clock,
                                                 gint64           seconds,
                                                 gint64           wall_seconds);
/* The footnote that says what the two figures mean. */
const char        *sd_report_response_time_note (SdReportLanguage language);
guint              sd_quarterly_report_count_opened   (const SdQuarterlyReport *report,
                                                       int                      severity);
guint              sd_quarterly_report_count_resolved (const SdQuarterlyReport *report,
                                                       int                      severity);
/* The month (1–12) of the i-th month of the quarter, i = 0–2. */
int                sd_quarterly_report_get_month      (const SdQuarterlyReport *report,
                                                       guint                    i);

/* ----------------------------------------------------------------- custom */

typedef struct {
  const char * const *customer_ids;  /* NULL or empty: every customer */
  guint32             from;          /* first day (Julian), 0: no limit */
  guint32             to;            /* last day (Julian, inclusive), 0: no limit */
  guint               severities;    /* bit 1 << severity; 0: all */
  guint               types;         /* bit 1 << SdCaseType; 0: all */
  guint               statuses;      /* bit 1 << SdCaseStatus; 0: all */
} SdReportFilter;

typedef struct {
  SdCase     *kase;            /* owned */
  char       *customer_name;
  SdSlaState  response_state;  /* as the SLA record decides (sd_sla_ledger_get_response()) */
  int         response_severity; /* the severity that state holds under */
  gint64      response_time;   /* seconds on the clock; -1 when not responded */
} SdCustomReportRow;

typedef struct {
  SdReportLanguage  language;
  gint64            now;
  GPtrArray        *rows;       /* SdCustomReportRow, by reported_at then number */
  guint             total;
  guint             open;
  guint             resolved;   /* resolved or closed */
  guint             by_severity[SD_SEVERITY_MAX];
  SdComplianceCount compliance;
} SdCustomReport;

/* Cases reported between @filter->from and ->to (days in each customer's
 * time zone) that match every other criterion. */
SdCustomReport *sd_custom_report_build   (const SdReportInput  *input,
                                          const SdReportFilter *filter,
                                          SdReportLanguage      language,
                                          gint64                now);
void            sd_custom_report_free    (SdCustomReport       *report);

/* ------------------------------------------------------------------ export */

/* CSV: UTF-8 with a byte-order mark, RFC 4180 (CRLF line ends, fields with
 * a comma, quote or line break quoted, quotes doubled). Headers in the
 * report's language. */
char *sd_daily_report_to_csv     (const SdDailyReport     *report,
                                  gsize                   *length);
char *sd_quarterly_report_to_csv (const SdQuarterlyReport *report,
                                  gsize                   *length);
char *sd_custom_report_to_csv    (const SdCustomReport    *report,
                                  gsize                   *length);
/* A plain-text table, columns aligned (a CJK character takes two). */
char *sd_custom_report_to_text   (const SdCustomReport    *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDailyReport, sd_daily_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdQuarterlyReport, sd_quarterly_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCustomReport, sd_custom_report_free)

/* Frees the arrays of an input filled by sd_report_input_load(). */
void     sd_report_input_clear (SdReportInput  *input);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdReportInput, sd_report_input_clear)

/* The text to send the customer about the state of service request
 * @kase, in @language, times shown in @tz (NULL: UTC):
 * - database release: the last step done, with its time, and what comes
 *   next (or the request received, when no step is done yet);
 * - private patch: delivered (patch id and date), offered, or why it
 *   cannot be offered in the product's life-cycle stage;
 * - signature change: the requested change on the object, and the outcome
 *   with the database version that carries it.
 * NULL for an incident or a plain service request. */
char               *sd_service_request_notification (SdCase           *kase,
                                                  GPtrArray        *events,
                                                  GTimeZone        *tz,
                                                  SdReportLanguage  language);

G_END_DECLS
