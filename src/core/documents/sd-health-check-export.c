/* sd-health-check-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-health-check-export"

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>

#include "sd-checklist-template.h"
#include "sd-health-check-export.h"
#include "sd-json.h"

static gboolean
write_file (const char  *path,
            const char  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* GIO's message names the file and the reason. */
  return g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, error);
}

char *
sd_health_check_format_score (double score)
{
  if (score < 0)
    return g_strdup (C_("score", "not scored"));
  /* Translators: a health check's score in percent, e.g. "62%" */
  return g_strdup_printf (C_("score", "%.0f%%"), score * 100.0);
}

GPtrArray *
sd_health_check_report_items (SdHealthCheck *check,
                              const char    *language)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(SdChecklistTemplate) template = NULL;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (check), NULL);

  items = sd_health_check_dup_items (check);
  if (language == NULL || sd_health_check_get_template_id (check) == NULL)
    return g_steal_pointer (&items);
  template = sd_checklist_template_new_builtin (sd_health_check_get_template_id (check), NULL);
  if (template == NULL
      || sd_checklist_template_get_version (template) != sd_health_check_get_template_version (check))
    return g_steal_pointer (&items);
  return sd_checklist_template_translate_items (template, items, language);
}

/* ------------------------------------------------------------------- CSV */

static void
append_csv_field (GString    *csv,
                  const char *value,
                  gboolean    last)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (csv, '"');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (csv, '"');
          g_string_append_c (csv, *p);
        }
      g_string_append_c (csv, '"');
    }
  else
    g_string_append (csv, value);
  g_string_append (csv, last ? "\r\n" : ",");
}

char *
sd_health_check_to_csv (SdHealthCheck *check,
                        const char    *language,
                        gsize         *length)
{
  g_autoptr(GPtrArray) items = NULL;
  GString *csv;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (check), NULL);

  items = sd_health_check_report_items (check, language);
  csv = g_string_new ("\xEF\xBB\xBF" "key,area,title,expected,observed,result,recommendation,weight\r\n");
  for (guint i = 0; i < items->len; i++)
    {
      SdChecklistItem *item = items->pdata[i];
      g_autofree char *weight = g_strdup_printf ("%u", sd_checklist_item_get_weight (item));

      append_csv_field (csv, sd_checklist_item_get_key (item), FALSE);
      append_csv_field (csv, sd_checklist_item_get_area (item), FALSE);
      append_csv_field (csv, sd_checklist_item_get_title (item), FALSE);
      append_csv_field (csv, sd_checklist_item_get_expected (item), FALSE);
      append_csv_field (csv, sd_checklist_item_get_observed (item), FALSE);
      append_csv_field (csv, sd_check_result_to_string (sd_checklist_item_get_result (item)), FALSE);
      append_csv_field (csv, sd_checklist_item_get_recommendation (item), FALSE);
      append_csv_field (csv, weight, TRUE);
    }
  if (length != NULL)
    *length = csv->len;
  return g_string_free (csv, FALSE);
}

gboolean
sd_health_check_export_csv (SdHealthCheck  *check,
                            const char     *language,
                            const char     *path,
                            GError        **error)
{
  g_autofree char *csv = NULL;
  gsize length;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (check), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  csv = sd_health_check_to_csv (check, language, &length);
  return write_file (path, csv, length, error);
}

/* ---------------------------------------------------------------- report */

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static char *
format_day (guint32 julian)
{
  return julian != 0 ? sd_date_format (julian) : g_strdup (C_("day", "not agreed yet"));
}

SdDocument *
sd_health_check_build_report (SdHealthCheck *check,
                              SdCustomer    *customer,
                              SdUser        *tam,
                              const char    *language)
{
  g_autoptr(SdDocument) document = sd_document_new (NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) areas = NULL;
  g_autoptr(SdChecklistTemplate) template = NULL;
  g_autofree char *score = NULL;
  g_autofree char *day = NULL;
  g_autofree char *template_text = NULL;
  const char *customer_name;
  const char *template_title;
  guint n_findings = 0;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (check), NULL);
  g_return_val_if_fail (customer == NULL || SD_IS_CUSTOMER (customer), NULL);
  g_return_val_if_fail (tam == NULL || SD_IS_USER (tam), NULL);

  items = sd_health_check_report_items (check, language);
  areas = sd_health_check_area_progress (items);
  score = sd_health_check_format_score (sd_health_check_score (items));
  day = format_day (sd_health_check_get_scheduled_on (check));
  customer_name = customer ? sd_customer_get_name (customer) : sd_health_check_get_customer_id (check);

  template = sd_checklist_template_new_builtin (or_empty (sd_health_check_get_template_id (check)), NULL);
  template_title = template ? sd_checklist_template_get_title (template, language)
                            : sd_health_check_get_template_id (check);
  /* Translators: the checklist template of a health check, e.g. "Endpoint security deployment, version 1" */
  template_text = g_strdup_printf (_("%s, version %u"), template_title,
                                   sd_health_check_get_template_version (check));

  /* The title page. */
  sd_document_add_title (document, _("Health Check Report"), customer_name);
  sd_document_add_field (document, _("Customer"), customer_name);
  sd_document_add_field (document, _("Day"), day);
  sd_document_add_field (document, _("Way"), sd_health_check_mode_get_label (sd_health_check_get_mode (check)));
  sd_document_add_field (document, _("Technical Account Manager"),
                         tam ? sd_user_get_display_name (tam) : C_("TAM", "not assigned"));
  if (sd_health_check_get_contact (check) != NULL)
    sd_document_add_field (document, _("Contact"), sd_health_check_get_contact (check));
  sd_document_add_field (document, _("Status"),
                         sd_health_check_status_get_label (sd_health_check_get_status (check)));
  sd_document_add_field (document, _("Checklist"), template_text);
  sd_document_add_field (document, _("Score"), score);
  sd_document_add_paragraph (document, _("The score is the weighted share of passed items: items that do not "
                                         "apply are left out, warnings, failures and items not checked count "
                                         "as not passed."));
  if (sd_health_check_get_summary (check) != NULL)
    {
      sd_document_add_heading (document, _("Summary"), 2);
      sd_document_add_paragraph (document, sd_health_check_get_summary (check));
    }

  sd_document_add_heading (document, _("Progress by Area"), 2);
  {
    const char *headers[] = { _("Area"), _("Checked"), C_("check result", "Pass"),
                              C_("check result", "Warning"), C_("check result", "Fail"),
                              C_("check result", "Not applicable"), NULL };
    const double widths[] = { 4, 1.3, 1, 1, 1, 1.3 };

    sd_document_begin_table (document, 6, widths, headers);
    for (guint a = 0; a < areas->len; a++)
      {
        SdChecklistAreaProgress *area = &g_array_index (areas, SdChecklistAreaProgress, a);
        /* Translators: progress of an area, e.g. "5 / 6" items checked */
        g_autofree char *checked = g_strdup_printf (_("%u / %u"), area->n_checked, area->n_items);
        g_autofree char *passed = g_strdup_printf ("%u", area->n_passed);
        g_autofree char *warnings = g_strdup_printf ("%u", area->n_warnings);
        g_autofree char *failed = g_strdup_printf ("%u", area->n_failed);
        g_autofree char *na = g_strdup_printf ("%u", area->n_not_applicable);
        const char *row[] = { area->area, checked, passed, warnings, failed, na, NULL };

        sd_document_add_row (document, row);
      }
  }
  sd_document_set_footer (document, customer_name);

  /* What needs doing, first. */
  sd_document_add_page_break (document);
  sd_document_add_heading (document, _("Warnings and Failures"), 1);
  for (guint i = 0; i < items->len; i++)
    {
      SdCheckResult result = sd_checklist_item_get_result (items->pdata[i]);

      n_findings += result == SD_CHECK_RESULT_WARNING || result == SD_CHECK_RESULT_FAIL;
    }
  if (n_findings == 0)
    sd_document_add_paragraph (document, _("No item has a warning or a failure."));
  else
    {
      const char *headers[] = { _("Key"), _("Item"), _("Observed"), _("Result"), _("Recommendation"), NULL };
      const double widths[] = { 1.1, 3, 2.6, 1.3, 4 };

      sd_document_begin_table (document, 5, widths, headers);
      /* Failures before warnings. */
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < items->len; i++)
          {
            SdChecklistItem *item = items->pdata[i];
            SdCheckResult result = sd_checklist_item_get_result (item);
            const char *row[] = { sd_checklist_item_get_key (item), sd_checklist_item_get_title (item),
                                  or_empty (sd_checklist_item_get_observed (item)),
                                  sd_check_result_get_label (result),
                                  or_empty (sd_checklist_item_get_recommendation (item)), NULL };

            if (result == (pass == 0 ? SD_CHECK_RESULT_FAIL : SD_CHECK_RESULT_WARNING))
              sd_document_add_row (document, row);
          }
    }

  /* Every item, area by area. */
  sd_document_add_heading (document, _("Results by Area"), 1);
  for (guint a = 0; a < areas->len; a++)
    {
      SdChecklistAreaProgress *area = &g_array_index (areas, SdChecklistAreaProgress, a);
      const char *headers[] = { _("Key"), _("Item"), _("Expected"), _("Observed"), _("Result"), NULL };
      const double widths[] = { 1.1, 3.2, 3.4, 2.8, 1.3 };

      sd_document_add_heading (document, area->area, 2);
      sd_document_begin_table (document, 5, widths, headers);
      for (guint i = 0; i < items->len; i++)
        {
          SdChecklistItem *item = items->pdata[i];
          const char *row[] = { sd_checklist_item_get_key (item), sd_checklist_item_get_title (item),
                                sd_checklist_item_get_expected (item),
                                or_empty (sd_checklist_item_get_observed (item)),
                                sd_check_result_get_label (sd_checklist_item_get_result (item)), NULL };

          if (g_strcmp0 (sd_checklist_item_get_area (item), area->area) == 0)
            sd_document_add_row (document, row);
        }
    }

  return g_steal_pointer (&document);
}

gboolean
sd_health_check_export_pdf (SdHealthCheck  *check,
                            SdCustomer     *customer,
                            SdUser         *tam,
                            const char     *language,
                            const char     *path,
                            GError        **error)
{
  g_autoptr(SdDocument) document = NULL;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (check), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  document = sd_health_check_build_report (check, customer, tam, language);
  return sd_document_write_pdf (document, path, error);
}

/* ------------------------------------------------------------ iCalendar */

/* A "label: value" line of the description, when there is a value. */
#define APPEND_LINE(text, format, value)                                     \
  G_STMT_START {                                                             \
    const char *value_ = (value);                                            \
    if (value_ != NULL && *value_ != '\0')                                   \
      {                                                                      \
        if ((text)->len > 0)                                                 \
          g_string_append_c ((text), '\n');                                  \
        g_string_append_printf ((text), (format), value_);                   \
      }                                                                      \
  } G_STMT_END

char *
sd_health_check_to_ics (SdHealthCheck  *check,
                        SdCustomer     *customer,
                        SdUser         *tam,
                        GError        **error)
{
  g_autofree char *uid = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GString) description = g_string_new (NULL);
  icalcomponent *calendar, *event;
  struct icaltimetype start, end, stamp;
  const char *customer_name;
  icalproperty_status status;
  char *text;
  GDate date;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (check), NULL);
  g_return_val_if_fail (customer == NULL || SD_IS_CUSTOMER (customer), NULL);
  g_return_val_if_fail (tam == NULL || SD_IS_USER (tam), NULL);

  if (sd_health_check_get_scheduled_on (check) == 0)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("The health check has no agreed day yet: schedule it first"));
      return NULL;
    }

  customer_name = customer ? sd_customer_get_name (customer) : sd_health_check_get_customer_id (check);
  g_date_clear (&date, 1);
  g_date_set_julian (&date, sd_health_check_get_scheduled_on (check));
  /* An all-day event is a date, not an instant: the agreed day of the
   * customer's calendar, wherever the calendar that opens it is. */
  start = icaltime_null_date ();
  start.year = g_date_get_year (&date);
  start.month = g_date_get_month (&date);
  start.day = g_date_get_day (&date);
  end = start;
  icaltime_adjust (&end, 1, 0, 0, 0);
  stamp = icaltime_from_timet_with_zone (g_get_real_time () / G_USEC_PER_SEC, FALSE,
                                         icaltimezone_get_utc_timezone ());

  /* Translators: the title of a health check appointment in a calendar */
  summary = g_strdup_printf (_("Health check: %s"), customer_name);
  APPEND_LINE (description, _("Customer: %s"), customer_name);
  APPEND_LINE (description, _("Way: %s"), sd_health_check_mode_get_label (sd_health_check_get_mode (check)));
  APPEND_LINE (description, _("Contact: %s"), sd_health_check_get_contact (check));
  APPEND_LINE (description, _("Technical Account Manager: %s"), tam ? sd_user_get_display_name (tam) : NULL);
  APPEND_LINE (description, _("Time zone: %s"), customer ? sd_customer_get_time_zone (customer) : NULL);
  APPEND_LINE (description, _("Notes: %s"), sd_health_check_get_notes (check));

  switch (sd_health_check_get_status (check))
    {
    case SD_HEALTH_CHECK_CANCELLED: status = ICAL_STATUS_CANCELLED; break;
    case SD_HEALTH_CHECK_REQUESTED: status = ICAL_STATUS_TENTATIVE; break;
    default: status = ICAL_STATUS_CONFIRMED; break;
    }

  uid = g_strdup_printf ("health-check-%s@supportdesk", sd_health_check_get_id (check));
  event = icalcomponent_new_vevent ();
  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  icalcomponent_add_property (event, icalproperty_new_dtstamp (stamp));
  icalcomponent_add_property (event, icalproperty_new_dtstart (start));
  icalcomponent_add_property (event, icalproperty_new_dtend (end));
  icalcomponent_add_property (event, icalproperty_new_summary (summary));
  icalcomponent_add_property (event, icalproperty_new_description (description->str));
  icalcomponent_add_property (event, icalproperty_new_location (sd_health_check_mode_get_label (sd_health_check_get_mode (check))));
  icalcomponent_add_property (event, icalproperty_new_status (status));
  icalcomponent_add_property (event, icalproperty_new_sequence ((int) MIN (sd_health_check_get_version (check), G_MAXINT)));
  icalcomponent_add_property (event, icalproperty_new_transp (ICAL_TRANSP_OPAQUE));

  calendar = icalcomponent_new_vcalendar ();
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//SupportDesk//Health check//EN"));
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_PUBLISH));
  icalcomponent_add_component (calendar, event);

  text = icalcomponent_as_ical_string_r (calendar);
  icalcomponent_free (calendar);
  return text;
}

gboolean
sd_health_check_export_ics (SdHealthCheck  *check,
                            SdCustomer     *customer,
                            SdUser         *tam,
                            const char     *path,
                            GError        **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!(text = sd_health_check_to_ics (check, customer, tam, error)))
    return FALSE;
  return write_file (path, text, strlen (text), error);
}
