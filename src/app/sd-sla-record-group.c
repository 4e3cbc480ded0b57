/* sd-sla-record-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-sla-record-group"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-sla-record-group.h"
#include "sd-sla-text.h"

struct _SdSlaRecordGroup
{
  AdwPreferencesGroup parent_instance;

  GPtrArray *rows;   /* borrowed, in the group */
  char      *shown;  /* what the rows say, to rebuild only on a change */
};

G_DEFINE_FINAL_TYPE (SdSlaRecordGroup, sd_sla_record_group, ADW_TYPE_PREFERENCES_GROUP)

static void
sd_sla_record_group_dispose (GObject *object)
{
  SdSlaRecordGroup *self = SD_SLA_RECORD_GROUP (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_SLA_RECORD_GROUP);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_free);
  G_OBJECT_CLASS (sd_sla_record_group_parent_class)->dispose (object);
}

static void
sd_sla_record_group_class_init (SdSlaRecordGroupClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_sla_record_group_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-sla-record-group.ui");
}

static void
sd_sla_record_group_init (SdSlaRecordGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new ();
}

static const char *
ended_text (SdSlaEnd ended_by)
{
  switch (ended_by)
    {
    case SD_SLA_END_RESPONSE: return _("Ended by the response");
    case SD_SLA_END_DAILY_REPORT: return _("Ended by the report sent");
    case SD_SLA_END_SEVERITY_CHANGE: return _("Ended by a severity change");
    case SD_SLA_END_RESOLUTION: return _("Ended by the resolution");
    case SD_SLA_END_NONE:
    default:
      return _("Open");
    }
}

/* The outcome in words and an icon: closed periods that were neither met
 * nor breached ended in time. */
static const char *
outcome_text (const SdSlaPeriod *period,
              const char       **icon,
              const char       **css)
{
  switch (period->state)
    {
    case SD_SLA_MET:
      *icon = "emblem-ok-symbolic";
      *css = "sla-met";
      return C_("SLA state", "Met");
    case SD_SLA_MISSED:
      *icon = "dialog-error-symbolic";
      *css = "sla-missed";
      return C_("SLA state", "Missed");
    case SD_SLA_BREACHED:
      *icon = "task-past-due-symbolic";
      *css = "sla-breached";
      return C_("SLA state", "Breached");
    case SD_SLA_AT_RISK:
    case SD_SLA_RUNNING:
    case SD_SLA_PAUSED:
    default:
      if (period->ended_by != SD_SLA_END_NONE)
        {
          *icon = "emblem-ok-symbolic";
          *css = "sla-met";
          /* Translators: an SLA clock period that ended (e.g. by a severity change) before its due time */
          return _("Ended in Time");
        }
      *icon = period->state == SD_SLA_PAUSED ? "media-playback-pause-symbolic"
              : period->state == SD_SLA_AT_RISK ? "dialog-warning-symbolic" : "alarm-symbolic";
      *css = period->state == SD_SLA_PAUSED ? "sla-paused"
             : period->state == SD_SLA_AT_RISK ? "sla-at-risk" : "sla-running";
      return sd_sla_state_get_label (period->state);
    }
}

static GtkWidget *
period_row (const SdSlaPeriod *period,
            const char        *time_zone)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  g_autofree char *title = NULL;
  g_autofree char *from = sd_format_date_time (period->opened, time_zone);
  g_autofree char *until = period->stop != SD_TIME_NONE ? sd_format_date_time (period->stop, time_zone) : NULL;
  g_autofree char *due = sd_format_date_time (period->due, time_zone);
  g_autofree char *target = sd_format_duration (period->target);
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;
  const char *icon, *css;
  const char *outcome = outcome_text (period, &icon, &css);

  if (period->metric == SD_SLA_METRIC_RESPONSE)
    {
      g_autofree char *pill = sd_severity_pill_text (period->severity);

      /* Translators: an SLA record row: the response clock at a severity, e.g. "Response · S1 Critical" */
      title = g_strdup_printf (_("Response · %s"), pill);
    }
  else
    title = g_strdup (_("Daily Report"));

  subtitle = g_strdup_printf (period->clock == SD_CLOCK_BUSINESS
                              /* Translators: an SLA period: from, until, its target in working time, its due time, how it ended */
                              ? _("%s → %s · target %s of working time · due %s · %s")
                              /* Translators: an SLA period: from, until, its target around the clock, its due time, how it ended */
                              : _("%s → %s · target %s around the clock · due %s · %s"),
                              from, until ? until : C_("period end", "now"), target, due,
                              ended_text (period->ended_by));
  if (period->calendar_id != NULL)
    {
      g_autofree char *calendar = NULL;
      g_autofree char *with_calendar = NULL;

      if (period->calendar_version > 0)
        {
          g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT, period->calendar_version);

          /* Translators: the business calendar an SLA period counted on: its id, the version of it */
          calendar = g_strdup_printf (_("Calendar %s, version %s"), period->calendar_id, version);
        }
      else
        /* Translators: the business calendar an open SLA period counts on: its id */
        calendar = g_strdup_printf (_("Calendar %s, version in force"), period->calendar_id);
      if (period->provisional_year > 0)
        {
          g_autofree char *note = sd_calendar_describe_provisional_year (period->provisional_year);

          with_calendar = g_strconcat (subtitle, "\n", calendar, " · ", note, NULL);
        }
      else
        with_calendar = g_strconcat (subtitle, "\n", calendar, NULL);
      g_free (subtitle);
      subtitle = g_steal_pointer (&with_calendar);
    }
  escaped = g_markup_escape_text (subtitle, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_set_valign (chip, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (chip), gtk_image_new_from_icon_name (icon));
  gtk_box_append (GTK_BOX (chip), gtk_label_new (outcome));
  gtk_widget_set_css_classes (chip, (const char *[]) { "sla-chip", css, NULL });
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), chip);

  if (period->kept)
    {
      GtkWidget *kept = gtk_label_new (_("Kept on Record"));

      gtk_widget_set_valign (kept, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (kept, "dim-label");
      gtk_widget_set_tooltip_text (kept, _("A later entry would have undone this breach; the record keeps it"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), kept);
    }
  return row;
}

/* Daily reports sent in time go into one line; late ones and the open one
 * get their own; a stretch that ended (a severity change, the resolution)
 * before a report was owed has nothing to show. */
static gboolean
shown_alone (const SdSlaPeriod *period)
{
  return period->metric == SD_SLA_METRIC_RESPONSE || sd_sla_period_is_breach (period)
         || period->ended_by == SD_SLA_END_NONE;
}

static char *
describe (GArray     *periods,
          const char *time_zone)
{
  GString *key = g_string_new (time_zone);

  for (guint i = 0; periods != NULL && i < periods->len; i++)
    {
      const SdSlaPeriod *p = &g_array_index (periods, SdSlaPeriod, i);

      g_string_append_printf (key, "|%d:%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%d:%d:%d:%s:%" G_GINT64_FORMAT ":%d",
                              p->metric, p->severity, p->opened, p->stop, p->ended_by, p->state, p->kept,
                              p->calendar_id ? p->calendar_id : "", p->calendar_version, p->provisional_year);
    }
  return g_string_free (key, FALSE);
}

void
sd_sla_record_group_set_periods (SdSlaRecordGroup *self,
                                 GArray           *periods,
                                 const char       *time_zone)
{
  g_autofree char *key = NULL;
  guint on_time = 0;

  g_return_if_fail (SD_IS_SLA_RECORD_GROUP (self));

  key = describe (periods, time_zone);
  if (g_strcmp0 (key, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_steal_pointer (&key);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; periods != NULL && i < periods->len; i++)
    {
      const SdSlaPeriod *period = &g_array_index (periods, SdSlaPeriod, i);

      if (!shown_alone (period))
        {
          on_time += period->ended_by == SD_SLA_END_DAILY_REPORT;
          continue;
        }
      g_ptr_array_add (self->rows, period_row (period, time_zone));
    }
  if (on_time > 0)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u daily report sent in time",
                                                             "%u daily reports sent in time", on_time),
                                                on_time);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("emblem-ok-symbolic"));
      g_ptr_array_add (self->rows, row);
    }
  if (self->rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No clock period yet"));
      g_ptr_array_add (self->rows, row);
    }
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->rows->pdata[i]);
}

guint
sd_sla_record_group_get_n_rows (SdSlaRecordGroup *self)
{
  g_return_val_if_fail (SD_IS_SLA_RECORD_GROUP (self), 0);
  return self->rows->len;
}
