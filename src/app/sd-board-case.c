/* sd-board-case.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-board-case"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "sd-board-case.h"

struct _SdBoardCase
{
  GObject parent_instance;

  char            *id;
  char            *number;
  char            *title;
  char            *assignee_id;
  char            *assignee_name;
  char            *search_key;
  SdBoardCustomer *customer;
  SdCaseType       type;
  int              severity;
  SdCaseStatus     status;
  gint64           version;

  SdSlaInput       input;   /* input.pauses points at pauses */
  SdSlaSpan       *pauses;
  GArray          *closed;  /* the recorded response period, once the clock stopped; or NULL */
  SdSlaResult      sla;
  guint8           announced;  /* SdBoardAlert bits already given */
};

G_DEFINE_FINAL_TYPE (SdBoardCase, sd_board_case, G_TYPE_OBJECT)

static void
board_customer_clear (SdBoardCustomer *customer)
{
  g_clear_object (&customer->customer);
  g_clear_object (&customer->policy);
  g_clear_object (&customer->calendar);
  g_clear_pointer (&customer->cover_name, g_free);
  g_clear_pointer (&customer->answer_name, g_free);
}

SdBoardCustomer *
sd_board_customer_ref (SdBoardCustomer *customer)
{
  return g_rc_box_acquire (customer);
}

void
sd_board_customer_unref (SdBoardCustomer *customer)
{
  g_rc_box_release_full (customer, (GDestroyNotify) board_customer_clear);
}

static void
sd_board_case_finalize (GObject *object)
{
  SdBoardCase *self = SD_BOARD_CASE (object);

  g_free (self->id);
  g_free (self->number);
  g_free (self->title);
  g_free (self->assignee_id);
  g_free (self->assignee_name);
  g_free (self->search_key);
  g_free (self->pauses);
  g_clear_pointer (&self->closed, g_array_unref);
  g_clear_pointer (&self->customer, sd_board_customer_unref);

  G_OBJECT_CLASS (sd_board_case_parent_class)->finalize (object);
}

static void
sd_board_case_class_init (SdBoardCaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_board_case_finalize;
}

static void
sd_board_case_init (SdBoardCase *self)
{
}

const char *sd_board_case_get_id (SdBoardCase *self) { return self->id; }
const char *sd_board_case_get_number (SdBoardCase *self) { return self->number; }
const char *sd_board_case_get_title (SdBoardCase *self) { return self->title; }
const char *sd_board_case_get_assignee_id (SdBoardCase *self) { return self->assignee_id; }
const char *sd_board_case_get_assignee_name (SdBoardCase *self) { return self->assignee_name; }
const char *sd_board_case_get_cover_name (SdBoardCase *self) { return self->customer->cover_name; }
SdCaseType sd_board_case_get_case_type (SdBoardCase *self) { return self->type; }
int sd_board_case_get_severity (SdBoardCase *self) { return self->severity; }
SdCaseStatus sd_board_case_get_status (SdBoardCase *self) { return self->status; }
gint64 sd_board_case_get_version (SdBoardCase *self) { return self->version; }
const char *sd_board_case_get_search_key (SdBoardCase *self) { return self->search_key; }
const SdSlaResult *sd_board_case_get_sla (SdBoardCase *self) { return &self->sla; }

const char *
sd_board_case_get_customer_id (SdBoardCase *self)
{
  return sd_customer_get_id (self->customer->customer);
}

const char *
sd_board_case_get_customer_name (SdBoardCase *self)
{
  return sd_customer_get_name (self->customer->customer);
}

const char *
sd_board_case_get_time_zone (SdBoardCase *self)
{
  return sd_customer_get_time_zone (self->customer->customer);
}

SdTier
sd_board_case_get_tier (SdBoardCase *self)
{
  return self->input.tier;
}

static gboolean
clock_is_open (SdSlaState state)
{
  return state != SD_SLA_MET && state != SD_SLA_MISSED;
}

const SdSlaClock *
sd_board_case_get_shown_clock (SdBoardCase *self,
                               gboolean    *is_daily_report)
{
  gboolean daily = !clock_is_open (self->sla.response.state) && self->sla.has_daily_report;

  if (is_daily_report != NULL)
    *is_daily_report = daily;
  return daily ? &self->sla.daily_report : &self->sla.response;
}

gboolean
sd_board_case_update (SdBoardCase *self,
                      gint64       now)
{
  SdSlaState response = self->sla.response.state;
  SdSlaState daily = self->sla.has_daily_report ? self->sla.daily_report.state : SD_SLA_MET;

  sd_sla_compute (&self->input, self->customer->policy, self->customer->calendar, now, &self->sla);
  /* A stopped clock keeps the outcome its SLA record has. */
  sd_sla_ledger_apply_closed (self->closed, &self->sla);
  return response != self->sla.response.state
         || daily != (self->sla.has_daily_report ? self->sla.daily_report.state : SD_SLA_MET);
}

static guint8
alerts_due (SdBoardCase *self)
{
  guint8 due = 0;

  if (self->sla.response.state == SD_SLA_AT_RISK || self->sla.response.state == SD_SLA_BREACHED)
    due |= 1 << SD_BOARD_ALERT_AT_RISK;
  if (self->sla.response.state == SD_SLA_BREACHED)
    due |= 1 << SD_BOARD_ALERT_BREACHED;
  if (self->sla.has_daily_report
      && (self->sla.daily_report.state == SD_SLA_AT_RISK || self->sla.daily_report.state == SD_SLA_BREACHED))
    due |= 1 << SD_BOARD_ALERT_DAILY_REPORT;
  return due;
}

SdBoardAlert
sd_board_case_take_alert (SdBoardCase *self)
{
  guint8 fresh = alerts_due (self) & ~self->announced;

  /* A breach that comes with its warning is announced as the breach. */
  if (fresh & (1 << SD_BOARD_ALERT_BREACHED))
    {
      self->announced |= (1 << SD_BOARD_ALERT_BREACHED) | (1 << SD_BOARD_ALERT_AT_RISK);
      return SD_BOARD_ALERT_BREACHED;
    }
  for (SdBoardAlert alert = SD_BOARD_ALERT_AT_RISK; alert <= SD_BOARD_ALERT_DAILY_REPORT; alert++)
    if (fresh & (1 << alert))
      {
        self->announced |= 1 << alert;
        return alert;
      }
  return SD_BOARD_ALERT_NONE;
}

void
sd_board_case_carry_alerts (SdBoardCase *self,
                            SdBoardCase *before)
{
  /* A new daily-report period may be announced again. */
  self->announced = before->announced;
  if (self->input.last_daily_report_at != before->input.last_daily_report_at)
    self->announced &= ~(1 << SD_BOARD_ALERT_DAILY_REPORT);
}

int
sd_board_case_compare_urgency (SdBoardCase *a,
                               SdBoardCase *b)
{
  int order = sd_sla_compare_urgency (a->input.tier, &a->sla, b->input.tier, &b->sla);

  if (order != 0)
    return order;
  /* Unsent cases (no number yet) first: they are the newest. */
  if (a->number == NULL || b->number == NULL)
    return (a->number != NULL) - (b->number != NULL);
  return strcmp (a->number, b->number);
}

/* ------------------------------------------------------------- loading */

static void
board_data_clear (SdBoardData *data)
{
  g_clear_pointer (&data->cases, g_ptr_array_unref);
  g_clear_pointer (&data->customers, g_hash_table_unref);
  g_clear_pointer (&data->users, g_hash_table_unref);
  g_free (data->me);
}

SdBoardData *
sd_board_data_ref (SdBoardData *data)
{
  return g_rc_box_acquire (data);
}

void
sd_board_data_unref (SdBoardData *data)
{
  g_rc_box_release_full (data, (GDestroyNotify) board_data_clear);
}

static int
compare_customer_names (gconstpointer a,
                        gconstpointer b)
{
  SdCustomer *ca = (*(SdBoardCustomer **) a)->customer;
  SdCustomer *cb = (*(SdBoardCustomer **) b)->customer;

  return g_utf8_collate (sd_customer_get_name (ca), sd_customer_get_name (cb));
}

GPtrArray *
sd_board_data_list_customers (SdBoardData *data)
{
  GPtrArray *customers = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, data->customers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (customers, value);
  g_ptr_array_sort (customers, compare_customer_names);
  return customers;
}

/* id → decoded object, for one kind of the local view. */
static GHashTable *
load_kind (SdLocalStore  *store,
           const char    *kind,
           GError       **error)
{
  const SdKind *what = sd_kind_lookup (kind);
  g_autoptr(GPtrArray) bodies = sd_local_store_list (store, kind, NULL, error);
  g_autoptr(GPtrArray) objects = NULL;
  GHashTable *by_id;

  if (bodies == NULL)
    return NULL;
  objects = sd_kind_decode_all (what, bodies);
  by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  for (guint i = 0; i < objects->len; i++)
    g_hash_table_replace (by_id, (gpointer) what->get_id (objects->pdata[i]), g_object_ref (objects->pdata[i]));
  return by_id;
}

static SdCalendar *
calendar_for (GPtrArray  *calendars,
              SdCustomer *customer)
{
  const char *id = sd_customer_get_calendar_id (customer);
  SdCalendar *calendar = NULL;

  for (guint i = 0; id != NULL && calendars != NULL && i < calendars->len; i++)
    {
      JsonObject *object = json_node_get_object (calendars->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "id", NULL), id) == 0
          && (calendar = sd_calendar_from_json (calendars->pdata[i], NULL, NULL)) != NULL)
        return calendar;
    }
  if (id != NULL && (calendar = sd_calendar_new_builtin (id)) != NULL)
    return calendar;
  if ((calendar = sd_calendar_new_for_time_zone (sd_customer_get_time_zone (customer), NULL)) != NULL)
    return calendar;
  return sd_calendar_new_for_time_zone ("UTC", NULL);
}

/* The customer's policy in force today: its override, else its tier's
 * current version (the server's SLA record holds each case to the policy
 * of the day it was reported). */
static SdSlaPolicy *
policy_for (GPtrArray  *decoded,
            SdCustomer *customer,
            gint64      now)
{
  guint32 today = sd_sla_policy_day_of (now, sd_customer_get_time_zone (customer));

  return sd_sla_policy_pick (decoded, sd_customer_get_id (customer),
                             sd_customer_get_tier_on (customer, today), today);
}

static SdBoardCase *
board_case_new (SdCase          *kase,
                GPtrArray       *events,
                GArray          *closed,
                SdBoardCustomer *customer,
                GHashTable      *users,
                GArray          *pause_storage,
                gint64           now)
{
  SdBoardCase *self = g_object_new (SD_TYPE_BOARD_CASE, NULL);
  SdUser *assignee = sd_case_get_assignee_id (kase)
                     ? g_hash_table_lookup (users, sd_case_get_assignee_id (kase)) : NULL;
  g_autofree char *key = NULL;

  self->id = g_strdup (sd_case_get_id (kase));
  self->number = g_strdup (sd_case_get_number (kase));
  self->title = g_strdup (sd_case_get_title (kase));
  self->assignee_id = g_strdup (sd_case_get_assignee_id (kase));
  self->assignee_name = assignee ? g_strdup (sd_user_get_display_name (assignee)) : NULL;
  self->customer = sd_board_customer_ref (customer);
  self->type = sd_case_get_case_type (kase);
  self->severity = sd_case_get_severity (kase);
  self->status = sd_case_get_status (kase);
  self->version = sd_case_get_version (kase);

  key = g_strjoin (" ", self->number ? self->number : "", self->title,
                   sd_customer_get_name (customer->customer), NULL);
  self->search_key = g_utf8_casefold (key, -1);

  sd_case_build_sla_input (kase, events, customer->policy, sd_customer_get_tier (customer->customer),
                           &self->input, pause_storage);
  if (self->input.n_pauses > 0)
    self->pauses = g_memdup2 (self->input.pauses, sizeof (SdSlaSpan) * self->input.n_pauses);
  self->input.pauses = self->pauses;
  self->closed = closed ? g_array_ref (closed) : NULL;
  sd_board_case_update (self, now);
  self->announced = alerts_due (self);
  return self;
}

static int
compare_urgency_ptr (gconstpointer a,
                     gconstpointer b)
{
  return sd_board_case_compare_urgency (*(SdBoardCase **) a, *(SdBoardCase **) b);
}

typedef struct {
  SdBoardData *data;
  GHashTable  *events_by_case;  /* case id → SdCaseEvent */
  GHashTable  *closed_by_case;  /* case id → GArray: the recorded period of a stopped response clock */
  GArray      *pause_storage;
  GPtrArray   *no_events;
  gint64       now;
} Fold;

static void
fold_clear (Fold *fold)
{
  g_clear_pointer (&fold->events_by_case, g_hash_table_unref);
  g_clear_pointer (&fold->closed_by_case, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fold, fold_clear)

static void
fold_event (JsonNode *body,
            gpointer  user_data)
{
  Fold *fold = user_data;
  SdCaseEvent *event = sd_case_event_from_json (body, NULL, NULL);
  GPtrArray *list;

  if (event == NULL)
    return;
  if (!(list = g_hash_table_lookup (fold->events_by_case, sd_case_event_get_case_id (event))))
    {
      list = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (fold->events_by_case, (gpointer) sd_case_event_get_case_id (event), list);
    }
  g_ptr_array_add (list, event);
}

/* Keeps, of a case's SLA record, only the response period that stopped
 * the clock: all a card needs. */
static void
fold_record (JsonNode *body,
             gpointer  user_data)
{
  Fold *fold = user_data;
  g_autoptr(SdSlaRecord) record = sd_sla_record_from_json (body, NULL, NULL);
  GArray *periods, *closed;
  const SdSlaPeriod *last = NULL;

  if (record == NULL)
    return;
  periods = sd_sla_record_get_periods (record);
  for (guint i = 0; i < periods->len; i++)
    if (g_array_index (periods, SdSlaPeriod, i).metric == SD_SLA_METRIC_RESPONSE)
      last = &g_array_index (periods, SdSlaPeriod, i);
  if (last == NULL || last->ended_by != SD_SLA_END_RESPONSE)
    return;
  closed = g_array_sized_new (FALSE, FALSE, sizeof (SdSlaPeriod), 1);
  g_array_append_vals (closed, last, 1);
  g_hash_table_replace (fold->closed_by_case, g_strdup (sd_sla_record_get_case_id (record)), closed);
}

static void
fold_case (JsonNode *body,
           gpointer  user_data)
{
  Fold *fold = user_data;
  g_autoptr(SdCase) kase = sd_case_from_json (body, NULL, NULL);
  SdBoardCustomer *customer;
  GPtrArray *events;

  if (kase == NULL)
    return;
  /* A case entered offline may name a customer this copy does not know
   * yet: it shows under the customer's id, on the standard package's
   * clocks in UTC, until the next sync brings the customer. */
  if (!(customer = g_hash_table_lookup (fold->data->customers, sd_case_get_customer_id (kase))))
    {
      customer = g_rc_box_new0 (SdBoardCustomer);
      customer->customer = sd_customer_new (sd_case_get_customer_id (kase));
      sd_customer_set_name (customer->customer, sd_case_get_customer_id (kase));
      sd_customer_set_tier (customer->customer, SD_TIER_STANDARD);
      sd_customer_set_time_zone (customer->customer, "UTC");
      customer->policy = sd_sla_policy_new_for_tier (SD_TIER_STANDARD);
      customer->calendar = sd_calendar_new_for_time_zone ("UTC", NULL);
      g_hash_table_insert (fold->data->customers, (gpointer) sd_customer_get_id (customer->customer), customer);
    }
  events = g_hash_table_lookup (fold->events_by_case, sd_case_get_id (kase));
  g_ptr_array_add (fold->data->cases, board_case_new (kase, events ? events : fold->no_events,
                                                      g_hash_table_lookup (fold->closed_by_case, sd_case_get_id (kase)),
                                                      customer, fold->data->users, fold->pause_storage, fold->now));
}

SdBoardData *
sd_board_load (SdLocalStore  *store,
               const char    *login,
               gint64         now,
               GError       **error)
{
  g_autoptr(SdBoardData) data = g_rc_box_new0 (SdBoardData);
  g_autoptr(GHashTable) customers = NULL;
  g_autoptr(GPtrArray) calendars = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
  g_autoptr(GPtrArray) shift_bodies = NULL;
  g_autoptr(GPtrArray) shifts = NULL;
  g_autoptr(GPtrArray) calendar_objects = NULL;
  g_autoptr(SdCoverage) coverage = NULL;
  g_auto(Fold) fold = { 0 };
  g_autoptr(GArray) pause_storage = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  g_autoptr(GPtrArray) no_events = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  if (!(data->users = load_kind (store, "user", error))
      || !(customers = load_kind (store, "customer", error))
      || !(calendars = sd_local_store_list (store, "calendar", NULL, error))
      || !(policies = sd_local_store_list (store, "sla_policy", NULL, error))
      || !(shift_bodies = sd_local_store_list (store, "duty_shift", NULL, error)))
    return NULL;

  g_hash_table_iter_init (&iter, data->users);
  while (login != NULL && g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (sd_user_get_login (value), login) == 0)
      data->me = g_strdup (sd_user_get_id (value));

  decoded = sd_kind_decode_all (sd_kind_lookup ("sla_policy"), policies);
  coverage = sd_coverage_new ();
  g_hash_table_iter_init (&iter, data->users);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sd_coverage_add_user (coverage, value);
  shifts = sd_kind_decode_all (sd_kind_lookup ("duty_shift"), shift_bodies);
  for (guint i = 0; i < shifts->len; i++)
    sd_coverage_add_shift (coverage, shifts->pdata[i]);
  calendar_objects = sd_kind_decode_all (sd_kind_lookup ("calendar"), calendars);
  for (guint i = 0; i < calendar_objects->len; i++)
    sd_coverage_add_calendar (coverage, SD_CALENDAR (calendar_objects->pdata[i]));

  /* One calendar and policy per customer, shared by its rows. */
  data->customers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) sd_board_customer_unref);
  g_hash_table_iter_init (&iter, customers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SdBoardCustomer *customer = g_rc_box_new0 (SdBoardCustomer);
      const char *who;

      customer->customer = g_object_ref (value);
      customer->policy = policy_for (decoded, value, now);
      customer->calendar = calendar_for (calendars, value);
      /* Who answers now: the TAM in their hours, else their deputy or the
       * duty manager on duty. */
      sd_coverage_add_customer (coverage, value);
      if ((who = sd_coverage_who_answers (coverage, sd_customer_get_id (value), now, &customer->answer_reason)))
        {
          SdUser *user = g_hash_table_lookup (data->users, who);

          customer->answer_name = g_strdup (user ? sd_user_get_display_name (user) : who);
          if (customer->answer_reason != SD_COVERAGE_REASON_TAM)
            customer->cover_name = g_strdup (customer->answer_name);
        }
      g_hash_table_insert (data->customers, (gpointer) sd_customer_get_id (value), customer);
    }

  /* Bodies are read one at a time: 100,000 parsed cases at once would
   * cost far more memory than the rows they become. */
  fold.events_by_case = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  if (!sd_local_store_foreach (store, "case_event", NULL, fold_event, &fold, error))
    return NULL;
  fold.closed_by_case = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  if (!sd_local_store_foreach (store, "sla_record", NULL, fold_record, &fold, error))
    return NULL;
  fold.data = data;
  fold.pause_storage = pause_storage;
  fold.no_events = no_events;
  fold.now = now;
  data->cases = g_ptr_array_new_with_free_func (g_object_unref);
  if (!sd_local_store_foreach (store, "case", NULL, fold_case, &fold, error))
    return NULL;
  /* In board order already: the board's sort model then has little to do. */
  g_ptr_array_sort (data->cases, compare_urgency_ptr);
  return g_steal_pointer (&data);
}

typedef struct {
  char   *login;
  gint64  now;
} LoadData;

static void
load_data_free (LoadData *load)
{
  g_free (load->login);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;
  SdBoardData *data = sd_board_load (source_object, load->login, load->now, &error);

#ifdef __GLIBC__
  /* Parsing left freed pages behind in this thread's arena: give them
   * back, the board keeps only its rows. */
  malloc_trim (0);
#endif
  if (data != NULL)
    g_task_return_pointer (task, data, (GDestroyNotify) sd_board_data_unref);
  else
    g_task_return_error (task, error);
}

void
sd_board_load_async (SdLocalStore        *store,
                     const char          *login,
                     gint64               now,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  LoadData *load = g_new0 (LoadData, 1);

  load->login = g_strdup (login);
  load->now = now;
  g_task_set_source_tag (task, sd_board_load_async);
  g_task_set_task_data (task, load, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

SdBoardData *
sd_board_load_finish (SdLocalStore  *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
