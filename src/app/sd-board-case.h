/* sd-board-case.h — one case as the board shows it, and the loading of
 * the whole board from the local store
 *
 * A board row keeps only what a card shows and what the SLA engine needs
 * (the case's reduced SlaInput), so that 100,000 of them stay small; the
 * case view reads the full case from the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <supportdesk.h>

G_BEGIN_DECLS

/* What a row shares with the other rows of its customer. */
typedef struct {
  SdCustomer  *customer;
  SdSlaPolicy *policy;
  SdCalendar  *calendar;
  char        *cover_name;  /* who answers while the TAM is not on duty, or NULL */
  char        *answer_name; /* who answers now (the TAM, or cover_name), or NULL: nobody */
  SdCoverageReason answer_reason; /* why (sd_coverage_who_answers), when the board was loaded */
} SdBoardCustomer;

/* Reference-counted (g_rc_box): every row of the customer holds one. */
SdBoardCustomer *sd_board_customer_ref   (SdBoardCustomer *customer);
void             sd_board_customer_unref (SdBoardCustomer *customer);

#define SD_TYPE_BOARD_CASE (sd_board_case_get_type ())

G_DECLARE_FINAL_TYPE (SdBoardCase, sd_board_case, SD, BOARD_CASE, GObject)

const char        *sd_board_case_get_id            (SdBoardCase  *self);
/* NULL until the server has numbered the case. */
const char        *sd_board_case_get_number        (SdBoardCase  *self);
const char        *sd_board_case_get_title         (SdBoardCase  *self);
const char        *sd_board_case_get_customer_id   (SdBoardCase  *self);
const char        *sd_board_case_get_customer_name (SdBoardCase  *self);
const char        *sd_board_case_get_assignee_id   (SdBoardCase  *self);
const char        *sd_board_case_get_assignee_name (SdBoardCase  *self);
const char        *sd_board_case_get_cover_name    (SdBoardCase  *self);
SdCaseType         sd_board_case_get_case_type     (SdBoardCase  *self);
int                sd_board_case_get_severity      (SdBoardCase  *self);
SdCaseStatus       sd_board_case_get_status        (SdBoardCase  *self);
SdTier             sd_board_case_get_tier          (SdBoardCase  *self);
gint64             sd_board_case_get_version       (SdBoardCase  *self);
/* Case-folded "number title customer", for the search. */
const char        *sd_board_case_get_search_key    (SdBoardCase  *self);
const char        *sd_board_case_get_time_zone     (SdBoardCase  *self);

/* The clocks as last evaluated by sd_board_case_update(). */
const SdSlaResult *sd_board_case_get_sla           (SdBoardCase  *self);
/* Evaluates the clocks at @now; TRUE when the urgency-relevant state of
 * a clock changed since the last evaluation. */
gboolean           sd_board_case_update            (SdBoardCase  *self,
                                                    gint64        now);
/* The clock a card shows: the response clock until it closes, then the
 * daily-report clock of an open severity-1 case. */
const SdSlaClock  *sd_board_case_get_shown_clock   (SdBoardCase  *self,
                                                    gboolean     *is_daily_report);

typedef enum {
  SD_BOARD_ALERT_NONE,
  SD_BOARD_ALERT_AT_RISK,       /* the response clock is at risk */
  SD_BOARD_ALERT_BREACHED,      /* the response target passed */
  SD_BOARD_ALERT_DAILY_REPORT,  /* a severity-1 daily report is due soon or overdue */
} SdBoardAlert;

/* Which alert the clocks' last evaluation calls for that was not taken
 * yet; each is given once per case. A new row starts with its states at
 * load taken (nothing to announce); sd_board_case_carry_alerts() keeps
 * what an earlier row of the same case announced. */
SdBoardAlert       sd_board_case_take_alert        (SdBoardCase  *self);
void               sd_board_case_carry_alerts      (SdBoardCase  *self,
                                                    SdBoardCase  *before);

/* Board order, as sd_sla_compare_urgency(), then by number. */
int                sd_board_case_compare_urgency   (SdBoardCase  *a,
                                                    SdBoardCase  *b);

/* Everything the board needs, read in a worker thread. */
typedef struct {
  GPtrArray  *cases;      /* SdBoardCase, unordered */
  GHashTable *customers;  /* id → SdBoardCustomer */
  GHashTable *users;      /* id → SdUser */
  char       *me;         /* the signed-in user's id, or NULL (local workspace) */
} SdBoardData;

/* Reference-counted (g_rc_box): the board, the case view and dialogs
 * each hold the data they show. */
SdBoardData *sd_board_data_ref    (SdBoardData   *data);
void         sd_board_data_unref  (SdBoardData   *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdBoardData, sd_board_data_unref)

/* @data's customers (SdBoardCustomer, borrowed) in name order. */
GPtrArray   *sd_board_data_list_customers (SdBoardData *data);

/* Reads customers, users, calendars, policies, cases and their events
 * from @store in a worker thread and evaluates every clock at @now.
 * @login names the signed-in user (NULL for a local workspace). */
void         sd_board_load_async  (SdLocalStore        *store,
                                   const char          *login,
                                   gint64               now,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
SdBoardData *sd_board_load_finish (SdLocalStore        *store,
                                   GAsyncResult        *result,
                                   GError             **error);
/* The same, blocking (benchmarks, tests). */
SdBoardData *sd_board_load        (SdLocalStore        *store,
                                   const char          *login,
                                   gint64               now,
                                   GError             **error);

G_END_DECLS
