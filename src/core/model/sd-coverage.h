/* sd-coverage.h — who answers a customer at a given instant
 *
 * The contract: the TAM serves the customer in their office hours; while
 * the TAM is out of office their deputy does; at any other time the duty
 * manager on shift, and without a shift the customer's own duty managers.
 * An SdCoverage holds what that depends on (users, customers, calendars,
 * the duty rota) and answers the question; the server routes new cases
 * and notifications with it, the app labels the board and the case view
 * with it and the reports pick their customers with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sd-calendar.h"
#include "sd-customer.h"
#include "sd-duty-shift.h"
#include "sd-user.h"

G_BEGIN_DECLS

/* Why someone answers (JSON: the names in sd_coverage_reason_to_string). */
typedef enum {
  SD_COVERAGE_REASON_NOBODY,                 /* "nobody": no TAM, deputy or duty manager */
  SD_COVERAGE_REASON_TAM,                    /* "tam": the TAM, in their office hours */
  SD_COVERAGE_REASON_DEPUTY,                 /* "deputy": the TAM is out of office */
  SD_COVERAGE_REASON_SHIFT_OFF_HOURS,        /* "shift_off_hours": outside the TAM's hours, the duty manager on shift */
  SD_COVERAGE_REASON_SHIFT_TAM_AWAY,         /* "shift_tam_away": the TAM is away (no deputy), the duty manager on shift */
  SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS, /* "duty_manager_off_hours": outside the TAM's hours, the customer's duty manager */
  SD_COVERAGE_REASON_DUTY_MANAGER_TAM_AWAY,  /* "duty_manager_tam_away": the TAM is away (no deputy), the customer's duty manager */
} SdCoverageReason;

const char *sd_coverage_reason_to_string (SdCoverageReason reason);
/* Whether the TAM is not the one who answers because it is outside their
 * office hours (as opposed to being out of office, or there being none). */
gboolean    sd_coverage_reason_is_off_hours (SdCoverageReason reason);
/* Why, in the user's language: "TAM off duty", "TAM out of office", … */
const char *sd_coverage_reason_describe  (SdCoverageReason reason);

#define SD_TYPE_COVERAGE (sd_coverage_get_type ())

G_DECLARE_FINAL_TYPE (SdCoverage, sd_coverage, SD, COVERAGE, GObject)

SdCoverage *sd_coverage_new              (void);

/* What the answer depends on. Each replaces an earlier object with the
 * same id; the coverage keeps a reference. A calendar id that was not
 * added is looked up among the built-in calendars, and a customer without
 * a calendar works the hours of its time zone
 * (sd_calendar_new_for_time_zone). */
void        sd_coverage_add_user         (SdCoverage   *self,
                                          SdUser       *user);
void        sd_coverage_add_customer     (SdCoverage   *self,
                                          SdCustomer   *customer);
void        sd_coverage_add_calendar     (SdCoverage   *self,
                                          SdCalendar   *calendar);
void        sd_coverage_add_shift        (SdCoverage   *self,
                                          SdDutyShift  *shift);

/* Borrowed, or NULL. */
SdUser     *sd_coverage_get_user         (SdCoverage   *self,
                                          const char   *user_id);
SdCustomer *sd_coverage_get_customer     (SdCoverage   *self,
                                          const char   *customer_id);

/* Whether @user_id works at @instant: an active user, not out of office,
 * inside their office hours — their own calendar when they have one, else
 * that of @customer_id (with neither, the user is off duty). */
gboolean    sd_coverage_is_on_duty       (SdCoverage   *self,
                                          const char   *user_id,
                                          const char   *customer_id,
                                          gint64        instant);

/* The duty manager on shift at @instant for @customer_id (NULL: for any
 * customer), or NULL: of the shifts that cover it, the one that began
 * last (a hand-over), among duty managers who are active, not out of
 * office and — with a customer — among the customer's duty managers (so
 * whoever answers may see the customer's cases). Borrowed. */
const char *sd_coverage_shift_at         (SdCoverage   *self,
                                          const char   *customer_id,
                                          gint64        instant);

/* Who answers @customer_id at @instant (Unix seconds): the TAM in their
 * office hours; while the TAM is out of office in those hours, their
 * deputy (if active and not out of office); otherwise the customer's duty
 * manager on shift (sd_coverage_shift_at); otherwise the first of the customer's duty managers who is active
 * and not out of office. Returns the user id (borrowed, valid while the
 * coverage holds the user or customer) or NULL when nobody answers or
 * the customer is unknown. @reason_out (may be NULL) says why. */
const char *sd_coverage_who_answers      (SdCoverage       *self,
                                          const char       *customer_id,
                                          gint64            instant,
                                          SdCoverageReason *reason_out);

/* Whether @customer_id is @user_id's at @instant: they are its TAM (on
 * duty or not), or they answer it now (as deputy or duty manager). */
gboolean    sd_coverage_covers           (SdCoverage   *self,
                                          const char   *customer_id,
                                          const char   *user_id,
                                          gint64        instant);

/* The ids of the customers @user_id answers at @instant (as TAM, deputy
 * or duty manager), sorted; a new array of strings. */
GPtrArray  *sd_coverage_customers_covered_by (SdCoverage *self,
                                              const char *user_id,
                                              gint64      instant);

G_END_DECLS
