/* sd-health-check.h — the yearly remote audit of a customer's product
 * against the vendor's best practices, with its checklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sd-calendar.h"
#include "sd-checklist-item.h"
#include "sd-customer.h"
#include "sd-enum-types.h"
#include "sd-enums.h"

G_BEGIN_DECLS

#define SD_TYPE_HEALTH_CHECK (sd_health_check_get_type ())

G_DECLARE_FINAL_TYPE (SdHealthCheck, sd_health_check, SD, HEALTH_CHECK, GObject)

/* @id: a UUID, or NULL for a new random one. */
SdHealthCheck       *sd_health_check_new                  (const char           *id);

const char          *sd_health_check_get_id               (SdHealthCheck        *self);
const char          *sd_health_check_get_customer_id      (SdHealthCheck        *self);
void                 sd_health_check_set_customer_id      (SdHealthCheck        *self,
                                                           const char           *customer_id);
SdHealthCheckStatus  sd_health_check_get_status           (SdHealthCheck        *self);
void                 sd_health_check_set_status           (SdHealthCheck        *self,
                                                           SdHealthCheckStatus   status);
gint64               sd_health_check_get_requested_at     (SdHealthCheck        *self);
void                 sd_health_check_set_requested_at     (SdHealthCheck        *self,
                                                           gint64                requested_at);
/* The agreed working day (Julian day number), 0 while not scheduled. */
guint32              sd_health_check_get_scheduled_on     (SdHealthCheck        *self);
void                 sd_health_check_set_scheduled_on     (SdHealthCheck        *self,
                                                           guint32               julian);
SdHealthCheckMode    sd_health_check_get_mode             (SdHealthCheck        *self);
void                 sd_health_check_set_mode             (SdHealthCheck        *self,
                                                           SdHealthCheckMode     mode);
/* The customer's contact person for the day. */
const char          *sd_health_check_get_contact          (SdHealthCheck        *self);
void                 sd_health_check_set_contact          (SdHealthCheck        *self,
                                                           const char           *contact);
const char          *sd_health_check_get_notes            (SdHealthCheck        *self);
void                 sd_health_check_set_notes            (SdHealthCheck        *self,
                                                           const char           *notes);
const char          *sd_health_check_get_template_id      (SdHealthCheck        *self);
void                 sd_health_check_set_template_id      (SdHealthCheck        *self,
                                                           const char           *template_id);
guint                sd_health_check_get_template_version (SdHealthCheck        *self);
void                 sd_health_check_set_template_version (SdHealthCheck        *self,
                                                           guint                 version);
const char          *sd_health_check_get_summary          (SdHealthCheck        *self);
void                 sd_health_check_set_summary          (SdHealthCheck        *self,
                                                           const char           *summary);
gint64               sd_health_check_get_version          (SdHealthCheck        *self);
void                 sd_health_check_set_version          (SdHealthCheck        *self,
                                                           gint64                version);
gint64               sd_health_check_get_updated_at       (SdHealthCheck        *self);
void                 sd_health_check_set_updated_at       (SdHealthCheck        *self,
                                                           gint64                updated_at);

/* The checklist, a GListModel of SdChecklistItem in template order. Edit
 * it through the functions below, not by casting the model. */
GListModel          *sd_health_check_get_items            (SdHealthCheck        *self);
/* Returns the item (owned by the health check) or NULL. */
SdChecklistItem     *sd_health_check_lookup_item          (SdHealthCheck        *self,
                                                           const char           *key);
/* Returns FALSE when an item with the same key is already present. */
gboolean             sd_health_check_add_item             (SdHealthCheck        *self,
                                                           SdChecklistItem      *item);
gboolean             sd_health_check_remove_item          (SdHealthCheck        *self,
                                                           const char           *key);

/* A new array holding references to the items, in order. */
GPtrArray           *sd_health_check_dup_items            (SdHealthCheck        *self);

/* sd_health_check_score() of the items. Notified as "score" whenever an
 * item's result or weight, or the list, changes. */
double               sd_health_check_get_score            (SdHealthCheck        *self);

/* The weighted share of passed items of @items (SdChecklistItem), in [0, 1]:
 *   Σ weight(result = pass) / Σ weight(result ≠ not_applicable)
 * "warning", "fail" and "not_checked" count as not passed (an unfinished
 * checklist scores low); items that do not apply are left out. Returns -1
 * when no item counts. */
double               sd_health_check_score                (GPtrArray            *items);

/* How far the audit of one area has got. */
typedef struct {
  char  *area;              /* owned */
  guint  n_items;
  guint  n_checked;         /* result is not not_checked */
  guint  n_passed;
  guint  n_warnings;
  guint  n_failed;
  guint  n_not_applicable;
} SdChecklistAreaProgress;

/* One SdChecklistAreaProgress per area of @items, in the order the areas
 * first appear; progress of an area is n_checked / n_items. The array
 * frees the area names. */
GArray              *sd_health_check_area_progress        (GPtrArray            *items);

/* The day and way of a health check are agreed at least this many days
 * ahead, and the day is a working day of the customer's calendar. */
#define SD_HEALTH_CHECK_MIN_LEAD_DAYS 14

/* The first day (Julian) that can be agreed on @today: a working day at
 * least SD_HEALTH_CHECK_MIN_LEAD_DAYS days later; 0 when the calendar has
 * none in the following year. */
guint32              sd_health_check_get_earliest_day     (guint32               today,
                                                           SdCalendar           *calendar);
/* Fails with SD_ERROR_INVALID_VALUE, saying why, when @day cannot be
 * agreed on @today. */
gboolean             sd_health_check_check_schedule       (guint32               day,
                                                           guint32               today,
                                                           SdCalendar           *calendar,
                                                           GError              **error);

/* The contract's rules for @self, a check of @customer, as requested or
 * (re)scheduled: the customer holds the extended-support certificate; at
 * most one check that is not cancelled per contract year (counted from the
 * contract start); a scheduled day agreed as sd_health_check_check_schedule()
 * says, counted from the day of the request in the calendar's time zone.
 * @others: the customer's other health checks (SdHealthCheck; @self is
 * skipped). Fails with SD_ERROR_INVALID_VALUE naming the field
 * ("health_check.scheduled_on", …). */
gboolean             sd_health_check_check_rules          (SdHealthCheck        *self,
                                                           SdCustomer           *customer,
                                                           SdCalendar           *calendar,
                                                           GPtrArray            *others,
                                                           GError              **error);
/* The same rules as the server applies them: the lead counted from
 * @received (when the server got the scheduling; an offline request keeps
 * its requested_at for the record), and the day inside the contract. */
gboolean             sd_health_check_check_rules_at       (SdHealthCheck        *self,
                                                           SdCustomer           *customer,
                                                           SdCalendar           *calendar,
                                                           GPtrArray            *others,
                                                           gint64                received,
                                                           GError              **error);

/* Where a customer's yearly health check stands in a contract year. */
typedef enum {
  SD_HEALTH_CHECK_YEAR_NOT_ENTITLED,  /* no extended-support certificate */
  SD_HEALTH_CHECK_YEAR_DUE,           /* no check (not cancelled) in this contract year */
  SD_HEALTH_CHECK_YEAR_REQUESTED,     /* asked for, no day agreed yet */
  SD_HEALTH_CHECK_YEAR_SCHEDULED,     /* a day agreed (scheduled or under way) */
  SD_HEALTH_CHECK_YEAR_DONE,          /* completed */
} SdHealthCheckYearState;

typedef struct {
  guint32                 start;     /* first day of the contract year (Julian) */
  guint32                 end;       /* its last day */
  SdHealthCheckYearState  state;
  SdHealthCheck          *check;     /* borrowed: the check that counts for the year, or NULL */
  guint32                 day;       /* the check's day: agreed (or done) day, else the day asked; 0 */
  guint32                 next_due;  /* from when the next check is due: @start when DUE, else the
                                      * next contract year's start; 0 when not entitled */
} SdHealthCheckYear;

/* The contract-year rule, in one place: which contract year holds @day
 * (Julian) for @customer — years run from the anniversaries of the
 * contract start, or from 1 January without one — and whether its one
 * health check is done, scheduled, requested or still due. @checks:
 * SdHealthCheck (any customers', any order; those of other customers and
 * cancelled ones are skipped); a check counts for the year that holds its
 * agreed day, else the day it was asked in @calendar's time zone. The
 * server's rules (sd_health_check_check_rules()), the Health Checks view
 * and the quarterly report all answer with this. */
void                 sd_health_check_year                 (SdCustomer           *customer,
                                                           SdCalendar           *calendar,
                                                           GPtrArray            *checks,
                                                           guint32               day,
                                                           SdHealthCheckYear    *out);

SdHealthCheck       *sd_health_check_from_json            (JsonNode             *node,
                                                           const char           *path,
                                                           GError              **error);
JsonNode            *sd_health_check_to_json              (SdHealthCheck        *self);

G_END_DECLS
