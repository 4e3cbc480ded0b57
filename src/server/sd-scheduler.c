/* sd-scheduler.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>

#include "sd-clock.h"
#include "sd-scheduler.h"
#include "sd-server-private.h"

#define FEED_PAGE  1000
#define MAX_SLEEP  3600  /* seconds: the timer is re-armed at least hourly */
#define STALE_AFTER (24 * 3600)  /* seconds after the due time: no more escalation */

struct _SdScheduler
{
  GObject     parent_instance;

  SdServer   *server;   /* borrowed: it owns us */
  GSequence  *queue;    /* Entry, by instant then case id */
  GHashTable *entries;  /* case id → GSequenceIter (borrowed) */
  gint64      cursor;   /* the change feed is read up to here */
  guint       timer;
  guint       idle;
  guint       wakeups;
  guint64     computed;
};

G_DEFINE_FINAL_TYPE (SdScheduler, sd_scheduler, G_TYPE_OBJECT)

typedef struct {
  gint64  at;
  char   *case_id;
} Entry;

typedef enum {
  STEP_AT_RISK,
  STEP_BREACHED,
  STEP_ESCALATED,
} Step;

static const char * const step_names[] = { "at_risk", "breached", "escalated" };

static void arm (SdScheduler *self);

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->case_id);
  g_free (entry);
}

static int
entry_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Entry *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  return strcmp (x->case_id, y->case_id);
}

static SdCase *
load_case (SdStore    *store,
           const char *case_id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (store, "case", case_id, NULL);
  g_autoptr(JsonNode) node = record && record->body ? sd_json_parse (record->body, -1, NULL) : NULL;

  return node ? sd_case_from_json (node, NULL, NULL) : NULL;
}

static void
add_recipient (GPtrArray  *ids,
               const char *id)
{
  if (id != NULL && !g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
    g_ptr_array_add (ids, g_strdup (id));
}

/* Who hears of @step for @kase: the one place that decides. At risk: the
 * assignee, and whoever answers the customer now (sd_coverage_who_answers)
 * when that is someone else — a deputy, the duty manager out of hours.
 * Breached: the duty manager on shift for the customer, else the
 * customer's duty managers. Breached for 30 minutes: the admins. */
GPtrArray *
_sd_escalation_recipients (SdRequest *req,
                           SdCase    *kase,
                           int        step)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  const char *customer_id = sd_case_get_customer_id (kase);
  g_autoptr(SdCustomer) customer = _sd_load_customer (req, customer_id);
  g_autoptr(SdCoverage) coverage = customer ? _sd_load_coverage (req, customer_id) : NULL;
  gint64 now = sd_server_now ();

  switch ((Step) step)
    {
    case STEP_AT_RISK:
      if (sd_case_get_assignee_id (kase))
        add_recipient (ids, sd_case_get_assignee_id (kase));
      else if (customer && sd_customer_get_tam_id (customer))
        add_recipient (ids, sd_customer_get_tam_id (customer));
      if (coverage)
        add_recipient (ids, sd_coverage_who_answers (coverage, customer_id, now, NULL));
      break;

    case STEP_BREACHED:
      if (coverage && sd_coverage_shift_at (coverage, customer_id, now))
        add_recipient (ids, sd_coverage_shift_at (coverage, customer_id, now));
      else
        for (const char * const *id = customer ? sd_customer_get_duty_manager_ids (customer) : NULL; id && *id; id++)
          add_recipient (ids, *id);
      break;

    case STEP_ESCALATED:
      {
        SdStoreQuery query = { 0 };
        g_autoptr(GPtrArray) users = sd_store_list (req->store, "user", &query, NULL);

        for (guint i = 0; users && i < users->len; i++)
          {
            SdStoreRecord *record = users->pdata[i];
            g_autoptr(JsonNode) node = record->body ? sd_json_parse (record->body, -1, NULL) : NULL;
            g_autoptr(SdUser) user = node ? sd_user_from_json (node, NULL, NULL) : NULL;

            if (user && sd_user_get_role (user) == SD_ROLE_ADMIN && sd_user_get_active (user))
              add_recipient (ids, sd_user_get_id (user));
          }
      }
      break;
    }
  return ids;
}

static char *
step_text (Step    step,
           SdCase *kase,
           gint64  due)
{
  g_autofree char *when = sd_time_format_iso8601 (due, NULL);
  const char *number = sd_case_get_number (kase) ? sd_case_get_number (kase) : sd_case_get_id (kase);

  switch (step)
    {
    case STEP_AT_RISK:
      return g_strdup_printf ("%s (S%d) is at risk: respond by %s — %s", number,
                              sd_case_get_severity (kase), when, sd_case_get_title (kase));
    case STEP_BREACHED:
      return g_strdup_printf ("%s (S%d) breached its response target at %s — %s", number,
                              sd_case_get_severity (kase), when, sd_case_get_title (kase));
    case STEP_ESCALATED:
    default:
      return g_strdup_printf ("%s (S%d) has been breached for 30 minutes (due %s) — %s", number,
                              sd_case_get_severity (kase), when, sd_case_get_title (kase));
    }
}

/* One step for one case: a notification per recipient, once. */
static void
run_step (SdScheduler *self,
          SdRequest   *req,
          SdCase      *kase,
          Step         step,
          gint64       due)
{
  g_autoptr(GPtrArray) recipients = _sd_escalation_recipients (req, kase, step);
  g_autofree char *text = step_text (step, kase, due);

  for (guint i = 0; i < recipients->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("esc.%s.%s.%" G_GINT64_FORMAT ".%s", step_names[step],
                                             sd_case_get_id (kase), due, (char *) recipients->pdata[i]);
      g_autoptr(GError) error = NULL;

      if (strlen (id) > 128)
        id[128] = '\0';
      if (!_sd_server_notify (self->server, id, recipients->pdata[i], sd_case_get_id (kase),
                              step == STEP_AT_RISK ? SD_NOTIFICATION_AT_RISK
                              : step == STEP_BREACHED ? SD_NOTIFICATION_BREACHED : SD_NOTIFICATION_ESCALATED,
                              text, NULL, &error)
          && !g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS))
        g_warning ("escalation of %s: %s", sd_case_get_id (kase), error->message);
    }
}

/* Computes @case_id's clock at @now, runs the steps it reached (when
 * @escalate) and puts its next instant in the queue (or takes it out). */
static void
update_case (SdScheduler *self,
             SdRequest   *req,
             const char  *case_id,
             gint64       now,
             gboolean     escalate)
{
  g_autoptr(SdCase) kase = load_case (req->store, case_id);
  GSequenceIter *iter = g_hash_table_lookup (self->entries, case_id);
  SdSlaResult result;
  gint64 warning_at, due, next = 0;

  if (iter)
    {
      g_hash_table_remove (self->entries, case_id);
      g_sequence_remove (iter);
    }
  self->computed++;
  if (kase == NULL || !_sd_case_clock (req, kase, now, &result, &warning_at))
    return;

  due = result.response.due;
  /* A breach long past (a first start on old data) is not news. */
  escalate = escalate && now - due < STALE_AFTER;
  switch (result.response.state)
    {
    case SD_SLA_RUNNING:
      next = warning_at != SD_TIME_NONE ? warning_at : due;
      break;
    case SD_SLA_AT_RISK:
      if (escalate)
        run_step (self, req, kase, STEP_AT_RISK, due);
      next = due + 1;  /* breached after the due time, not at it */
      break;
    case SD_SLA_BREACHED:
      if (escalate)
        run_step (self, req, kase, STEP_BREACHED, due);
      if (now >= due + SD_ESCALATE_AFTER)
        {
          if (escalate)
            run_step (self, req, kase, STEP_ESCALATED, due);
        }
      else
        next = due + SD_ESCALATE_AFTER;
      break;
    default:
      /* paused, met, missed: nothing until the case changes */
      break;
    }
  if (next > 0)
    {
      Entry *entry = g_new0 (Entry, 1);

      entry->at = MAX (next, now + 1);
      entry->case_id = g_strdup (case_id);
      g_hash_table_insert (self->entries, entry->case_id,
                           g_sequence_insert_sorted (self->queue, entry, entry_compare, NULL));
    }
}

static void
request_clear (SdRequest *req)
{
  g_clear_pointer (&req->contexts, g_hash_table_unref);
}

/* The cases the change feed says changed since the cursor. */
static void
catch_up (SdScheduler *self,
          gboolean     escalate)
{
  SdRequest req = { .server = self->server, .store = self->server->store, .calendars = self->server->calendars };
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 now = sd_server_now ();
  gboolean has_more = TRUE;
  GHashTableIter iter;
  gpointer key;

  while (has_more)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = NULL;
      gint64 next = self->cursor;

      records = sd_store_changes (self->server->store, self->cursor, FEED_PAGE, NULL, &has_more, &next, &error);
      if (records == NULL)
        {
          g_warning ("the scheduler could not read the change feed: %s", error->message);
          break;
        }
      for (guint i = 0; i < records->len; i++)
        {
          SdStoreRecord *record = records->pdata[i];
          const char *case_id = g_str_equal (record->kind, "case") || g_str_equal (record->kind, "sla_record")
                                ? record->id
                                : g_str_equal (record->kind, "case_event") ? record->parent_id : NULL;

          if (case_id)
            g_hash_table_add (changed, g_strdup (case_id));
        }
      self->cursor = MAX (self->cursor, next);
    }
  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_case (self, &req, key, now, escalate);
  request_clear (&req);
}

/* Runs every entry whose instant came. */
static void
run_due (SdScheduler *self)
{
  SdRequest req = { .server = self->server, .store = self->server->store, .calendars = self->server->calendars };
  gint64 now = sd_server_now ();
  GSequenceIter *first;

  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_free);

  self->wakeups++;
  catch_up (self, TRUE);
  /* Each case whose instant came, once: its next instant may be now. */
  while (!g_sequence_is_empty (self->queue)
         && ((Entry *) g_sequence_get (first = g_sequence_get_begin_iter (self->queue)))->at <= now)
    {
      g_ptr_array_add (due, g_strdup (((Entry *) g_sequence_get (first))->case_id));
      g_hash_table_remove (self->entries, ((Entry *) g_sequence_get (first))->case_id);
      g_sequence_remove (first);
    }
  for (guint i = 0; i < due->len; i++)
    update_case (self, &req, due->pdata[i], now, TRUE);
  request_clear (&req);
  arm (self);
}

static gboolean
timer_cb (gpointer user_data)
{
  SdScheduler *self = user_data;

  self->timer = 0;
  run_due (self);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_cb (gpointer user_data)
{
  SdScheduler *self = user_data;

  self->idle = 0;
  catch_up (self, TRUE);
  arm (self);
  return G_SOURCE_REMOVE;
}

/* The one timer, at the first instant in the queue. */
static void
arm (SdScheduler *self)
{
  gint64 next = sd_scheduler_get_next (self);

  g_clear_handle_id (&self->timer, g_source_remove);
  if (next == 0)
    return;
  self->timer = g_timeout_add_seconds (CLAMP (next - sd_server_now (), 0, MAX_SLEEP), timer_cb, self);
}

static void
sd_scheduler_dispose (GObject *object)
{
  SdScheduler *self = SD_SCHEDULER (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->idle, g_source_remove);
  G_OBJECT_CLASS (sd_scheduler_parent_class)->dispose (object);
}

static void
sd_scheduler_finalize (GObject *object)
{
  SdScheduler *self = SD_SCHEDULER (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->queue, g_sequence_free);
  G_OBJECT_CLASS (sd_scheduler_parent_class)->finalize (object);
}

static void
sd_scheduler_class_init (SdSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_scheduler_dispose;
  object_class->finalize = sd_scheduler_finalize;
}

static void
sd_scheduler_init (SdScheduler *self)
{
  self->queue = g_sequence_new (entry_free);
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
}

SdScheduler *
sd_scheduler_new (SdServer *server)
{
  SdScheduler *self = g_object_new (SD_TYPE_SCHEDULER, NULL);

  self->server = server;
  return self;
}

void
sd_scheduler_start (SdScheduler *self)
{
  g_return_if_fail (SD_IS_SCHEDULER (self));
  /* What came due while the server was down runs at once. */
  run_due (self);
}

void
sd_scheduler_changed (SdScheduler *self)
{
  g_return_if_fail (SD_IS_SCHEDULER (self));
  if (self->idle == 0)
    self->idle = g_idle_add (idle_cb, self);
}

void
sd_scheduler_tick (SdScheduler *self)
{
  g_return_if_fail (SD_IS_SCHEDULER (self));
  run_due (self);
}

gint64
sd_scheduler_get_next (SdScheduler *self)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);
  if (g_sequence_is_empty (self->queue))
    return 0;
  return ((Entry *) g_sequence_get (g_sequence_get_begin_iter (self->queue)))->at;
}

guint
sd_scheduler_get_n_cases (SdScheduler *self)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);
  return g_hash_table_size (self->entries);
}

guint
sd_scheduler_get_wakeups (SdScheduler *self)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);
  return self->wakeups;
}

guint64
sd_scheduler_get_computed (SdScheduler *self)
{
  g_return_val_if_fail (SD_IS_SCHEDULER (self), 0);
  return self->computed;
}
