/* sd-coverage.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-coverage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-coverage.h"

struct _SdCoverage
{
  GObject     parent_instance;

  GHashTable *users;      /* id → SdUser, owned */
  GHashTable *customers;  /* id → SdCustomer, owned */
  GHashTable *calendars;  /* id or "zone:<tz>" → SdCalendar, owned; also caches built-ins */
  GHashTable *shifts;     /* id → SdDutyShift, owned */
};

G_DEFINE_FINAL_TYPE (SdCoverage, sd_coverage, G_TYPE_OBJECT)

static const struct {
  SdCoverageReason reason;
  const char      *name;
  const char      *text;
} reasons[] = {
  { SD_COVERAGE_REASON_NOBODY, "nobody", N_("Nobody on duty") },
  { SD_COVERAGE_REASON_TAM, "tam", N_("TAM on duty") },
  { SD_COVERAGE_REASON_DEPUTY, "deputy", N_("TAM out of office") },
  { SD_COVERAGE_REASON_SHIFT_OFF_HOURS, "shift_off_hours", N_("TAM off duty") },
  { SD_COVERAGE_REASON_SHIFT_TAM_AWAY, "shift_tam_away", N_("TAM out of office") },
  { SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS, "duty_manager_off_hours", N_("TAM off duty") },
  { SD_COVERAGE_REASON_DUTY_MANAGER_TAM_AWAY, "duty_manager_tam_away", N_("TAM out of office") },
};

const char *
sd_coverage_reason_to_string (SdCoverageReason reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (reasons[i].reason == reason)
      return reasons[i].name;
  return NULL;
}

gboolean
sd_coverage_reason_is_off_hours (SdCoverageReason reason)
{
  return reason == SD_COVERAGE_REASON_SHIFT_OFF_HOURS
         || reason == SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS;
}

const char *
sd_coverage_reason_describe (SdCoverageReason reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (reasons[i].reason == reason)
      return _(reasons[i].text);
  return NULL;
}

static void
sd_coverage_finalize (GObject *object)
{
  SdCoverage *self = (SdCoverage *) object;

  g_clear_pointer (&self->users, g_hash_table_unref);
  g_clear_pointer (&self->customers, g_hash_table_unref);
  g_clear_pointer (&self->calendars, g_hash_table_unref);
  g_clear_pointer (&self->shifts, g_hash_table_unref);

  G_OBJECT_CLASS (sd_coverage_parent_class)->finalize (object);
}

static void
sd_coverage_class_init (SdCoverageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_coverage_finalize;
}

static void
sd_coverage_init (SdCoverage *self)
{
  self->users = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->customers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->calendars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->shifts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

SdCoverage *
sd_coverage_new (void)
{
  return g_object_new (SD_TYPE_COVERAGE, NULL);
}

static void
add (GHashTable *table,
     const char *id,
     gpointer    object)
{
  if (id != NULL)
    g_hash_table_replace (table, g_strdup (id), g_object_ref (object));
}

void
sd_coverage_add_user (SdCoverage *self,
                      SdUser     *user)
{
  g_return_if_fail (SD_IS_COVERAGE (self));
  g_return_if_fail (SD_IS_USER (user));
  add (self->users, sd_user_get_id (user), user);
}

void
sd_coverage_add_customer (SdCoverage *self,
                          SdCustomer *customer)
{
  g_return_if_fail (SD_IS_COVERAGE (self));
  g_return_if_fail (SD_IS_CUSTOMER (customer));
  add (self->customers, sd_customer_get_id (customer), customer);
}

void
sd_coverage_add_calendar (SdCoverage *self,
                          SdCalendar *calendar)
{
  g_return_if_fail (SD_IS_COVERAGE (self));
  g_return_if_fail (SD_IS_CALENDAR (calendar));
  add (self->calendars, sd_calendar_get_id (calendar), calendar);
}

void
sd_coverage_add_shift (SdCoverage  *self,
                       SdDutyShift *shift)
{
  g_return_if_fail (SD_IS_COVERAGE (self));
  g_return_if_fail (SD_IS_DUTY_SHIFT (shift));
  add (self->shifts, sd_duty_shift_get_id (shift), shift);
}

SdUser *
sd_coverage_get_user (SdCoverage *self,
                      const char *user_id)
{
  g_return_val_if_fail (SD_IS_COVERAGE (self), NULL);
  return user_id ? g_hash_table_lookup (self->users, user_id) : NULL;
}

SdCustomer *
sd_coverage_get_customer (SdCoverage *self,
                          const char *customer_id)
{
  g_return_val_if_fail (SD_IS_COVERAGE (self), NULL);
  return customer_id ? g_hash_table_lookup (self->customers, customer_id) : NULL;
}

/* The calendar @id (added, else built in, kept once built), or NULL. */
static SdCalendar *
lookup_calendar (SdCoverage *self,
                 const char *id)
{
  SdCalendar *calendar;

  if (id == NULL)
    return NULL;
  if ((calendar = g_hash_table_lookup (self->calendars, id)) == NULL
      && (calendar = sd_calendar_new_builtin (id)) != NULL)
    g_hash_table_insert (self->calendars, g_strdup (id), calendar);
  return calendar;
}

static SdCalendar *
customer_calendar (SdCoverage *self,
                   SdCustomer *customer)
{
  g_autofree char *key = NULL;
  SdCalendar *calendar;

  if ((calendar = lookup_calendar (self, sd_customer_get_calendar_id (customer))) != NULL)
    return calendar;
  key = g_strconcat ("zone:", sd_customer_get_time_zone (customer), NULL);
  if ((calendar = g_hash_table_lookup (self->calendars, key)) == NULL
      && (calendar = sd_calendar_new_for_time_zone (sd_customer_get_time_zone (customer), NULL)) != NULL)
    g_hash_table_insert (self->calendars, g_steal_pointer (&key), calendar);
  return calendar;
}

/* Active and not out of office. */
static gboolean
is_available (SdUser *user,
              gint64  instant)
{
  return user != NULL && sd_user_get_active (user) && !sd_user_is_out_of_office (user, instant);
}

/* Whether @instant lies in @user's office hours for @customer. */
static gboolean
in_office_hours (SdCoverage *self,
                 SdUser     *user,
                 SdCustomer *customer,
                 gint64      instant)
{
  SdCalendar *calendar = lookup_calendar (self, sd_user_get_calendar_id (user));

  if (calendar == NULL && customer != NULL)
    calendar = customer_calendar (self, customer);
  return calendar != NULL && sd_calendar_is_working_time (calendar, instant);
}

gboolean
sd_coverage_is_on_duty (SdCoverage *self,
                        const char *user_id,
                        const char *customer_id,
                        gint64      instant)
{
  SdUser *user;

  g_return_val_if_fail (SD_IS_COVERAGE (self), FALSE);

  user = sd_coverage_get_user (self, user_id);
  return is_available (user, instant)
         && in_office_hours (self, user, sd_coverage_get_customer (self, customer_id), instant);
}

const char *
sd_coverage_shift_at (SdCoverage *self,
                      const char *customer_id,
                      gint64      instant)
{
  SdCustomer *customer = sd_coverage_get_customer (self, customer_id);
  const char * const *managers = customer ? sd_customer_get_duty_manager_ids (customer) : NULL;
  GHashTableIter iter;
  SdDutyShift *shift, *best = NULL;

  g_return_val_if_fail (SD_IS_COVERAGE (self), NULL);

  if (customer_id != NULL && (managers == NULL || managers[0] == NULL))
    return NULL;
  g_hash_table_iter_init (&iter, self->shifts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &shift))
    {
      const char *manager_id = sd_duty_shift_get_duty_manager_id (shift);

      if (!sd_duty_shift_covers (shift, instant)
          || !is_available (sd_coverage_get_user (self, manager_id), instant)
          || (customer_id != NULL && !g_strv_contains (managers, manager_id)))
        continue;
      /* The latest start wins; equal starts go by id, so the answer does
       * not depend on the order of the table. */
      if (best == NULL
          || sd_duty_shift_get_start (shift) > sd_duty_shift_get_start (best)
          || (sd_duty_shift_get_start (shift) == sd_duty_shift_get_start (best)
              && strcmp (sd_duty_shift_get_id (shift), sd_duty_shift_get_id (best)) < 0))
        best = shift;
    }
  return best ? sd_duty_shift_get_duty_manager_id (best) : NULL;
}

static const char *
answer (SdCoverageReason *reason_out,
        SdCoverageReason  reason,
        const char       *user_id)
{
  if (reason_out != NULL)
    *reason_out = user_id ? reason : SD_COVERAGE_REASON_NOBODY;
  return user_id;
}

const char *
sd_coverage_who_answers (SdCoverage       *self,
                         const char       *customer_id,
                         gint64            instant,
                         SdCoverageReason *reason_out)
{
  const char * const *managers;
  SdCustomer *customer;
  SdUser *tam;
  gboolean off_hours = FALSE;
  const char *on_shift;

  g_return_val_if_fail (SD_IS_COVERAGE (self), NULL);

  if ((customer = sd_coverage_get_customer (self, customer_id)) == NULL)
    return answer (reason_out, SD_COVERAGE_REASON_NOBODY, NULL);

  tam = sd_coverage_get_user (self, sd_customer_get_tam_id (customer));
  if (tam != NULL && sd_user_get_active (tam))
    {
      if (!in_office_hours (self, tam, customer, instant))
        off_hours = TRUE;
      else if (!sd_user_is_out_of_office (tam, instant))
        return answer (reason_out, SD_COVERAGE_REASON_TAM, sd_user_get_id (tam));
      else
        {
          SdUser *deputy = sd_coverage_get_user (self, sd_user_get_deputy_id (tam));

          if (is_available (deputy, instant))
            return answer (reason_out, SD_COVERAGE_REASON_DEPUTY, sd_user_get_id (deputy));
        }
    }

  if ((on_shift = sd_coverage_shift_at (self, customer_id, instant)) != NULL)
    return answer (reason_out,
                   off_hours ? SD_COVERAGE_REASON_SHIFT_OFF_HOURS : SD_COVERAGE_REASON_SHIFT_TAM_AWAY,
                   on_shift);

  managers = sd_customer_get_duty_manager_ids (customer);
  for (guint i = 0; managers != NULL && managers[i] != NULL; i++)
    {
      SdUser *manager = sd_coverage_get_user (self, managers[i]);

      if (is_available (manager, instant))
        return answer (reason_out,
                       off_hours ? SD_COVERAGE_REASON_DUTY_MANAGER_OFF_HOURS
                                 : SD_COVERAGE_REASON_DUTY_MANAGER_TAM_AWAY,
                       sd_user_get_id (manager));
    }
  return answer (reason_out, SD_COVERAGE_REASON_NOBODY, NULL);
}

gboolean
sd_coverage_covers (SdCoverage *self,
                    const char *customer_id,
                    const char *user_id,
                    gint64      instant)
{
  SdCustomer *customer;

  g_return_val_if_fail (SD_IS_COVERAGE (self), FALSE);

  if (user_id == NULL || (customer = sd_coverage_get_customer (self, customer_id)) == NULL)
    return FALSE;
  return g_strcmp0 (sd_customer_get_tam_id (customer), user_id) == 0
         || g_strcmp0 (sd_coverage_who_answers (self, customer_id, instant, NULL), user_id) == 0;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
sd_coverage_customers_covered_by (SdCoverage *self,
                                  const char *user_id,
                                  gint64      instant)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  const char *customer_id;

  g_return_val_if_fail (SD_IS_COVERAGE (self), ids);

  g_hash_table_iter_init (&iter, self->customers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &customer_id, NULL))
    if (user_id != NULL && g_strcmp0 (sd_coverage_who_answers (self, customer_id, instant, NULL), user_id) == 0)
      g_ptr_array_add (ids, g_strdup (customer_id));
  g_ptr_array_sort (ids, compare_strings);
  return ids;
}
