/* sd-report-daily.c — the daily report on open severity-1 cases
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include "sd-case-event.h"
#include "sd-contact.h"
#include "sd-report-private.h"
#include "sd-service-request.h"

static void
daily_item_free (gpointer data)
{
  SdDailyReportItem *item = data;

  g_clear_object (&item->kase);
  g_clear_object (&item->customer);
  g_strfreev (item->recipients);
  g_free (item->subject);
  g_free (item->body);
  g_free (item->mailto);
  g_free (item);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  SdCaseEvent *x = *(SdCaseEvent **) a;
  SdCaseEvent *y = *(SdCaseEvent **) b;

  if (sd_case_event_get_at (x) != sd_case_event_get_at (y))
    return sd_case_event_get_at (x) < sd_case_event_get_at (y) ? -1 : 1;
  return g_strcmp0 (sd_case_event_get_id (x), sd_case_event_get_id (y));
}

static const char *
step_name (SdReportLanguage  language,
           const char       *step)
{
  static const char * const en[] = {
    "Received by the expert group", "Fast update released", "Customer notified of progress",
  };
  static const char * const zh[] = { "专家组已受理", "快速更新已发布", "已向客户通报进展" };
  SdReleaseStep known;

  if (sd_release_step_from_string (step, &known))
    return SD_LANG (language, en[known], zh[known]);
  return step;
}

static void
append_event (GString          *text,
              SdCaseEvent      *event,
              GTimeZone        *tz,
              SdReportLanguage  language)
{
  g_autofree char *when = _sd_report_format_time (sd_case_event_get_at (event), tz);
  const char *body = sd_case_event_get_body (event);

  g_string_append_printf (text, "- %s  ", when);
  switch (sd_case_event_get_kind (event))
    {
    case SD_EVENT_COMMENT:
      g_string_append_printf (text, SD_LANG (language, "Note: %s", "备注：%s"), body);
      body = NULL;
      break;
    case SD_EVENT_STATUS_CHANGE:
      g_string_append_printf (text, SD_LANG (language, "Status changed from “%s” to “%s”",
                                             "状态由“%s”变为“%s”"),
                              _sd_report_status_name (language, sd_case_event_get_status_from (event)),
                              _sd_report_status_name (language, sd_case_event_get_status_to (event)));
      break;
    case SD_EVENT_SEVERITY_CHANGE:
      g_string_append_printf (text, SD_LANG (language, "Severity changed from “%s” to “%s”: %s",
                                             "严重级别由“%s”变为“%s”：%s"),
                              _sd_report_severity_name (language, sd_case_event_get_severity_from (event)),
                              _sd_report_severity_name (language, sd_case_event_get_severity_to (event)),
                              sd_case_event_get_reason (event));
      break;
    case SD_EVENT_REPORT_TIME_CHANGE:
      {
        g_autofree char *from = _sd_report_format_time (sd_case_event_get_report_time_from (event), tz);
        g_autofree char *to = _sd_report_format_time (sd_case_event_get_report_time_to (event), tz);

        g_string_append_printf (text, SD_LANG (language, "Report time changed from %s to %s: %s",
                                               "报告时间由 %s 更正为 %s：%s"),
                                from, to, sd_case_event_get_reason (event));
      }
      break;
    case SD_EVENT_RESPONSE_GIVEN:
      g_string_append (text, SD_LANG (language, "Response given", "已给出响应"));
      break;
    case SD_EVENT_PROGRESS_STEP:
      g_string_append (text, step_name (language, sd_case_event_get_step (event)));
      break;
    case SD_EVENT_DAILY_REPORT_SENT:
    default:
      g_string_append (text, SD_LANG (language, "Status report sent", "已发送状态报告"));
      break;
    }
  if (body != NULL && *body != '\0')
    g_string_append_printf (text, SD_LANG (language, " — %s", "——%s"), body);
  if (sd_case_event_is_backdated (event))
    {
      g_autofree char *recorded = _sd_report_format_time (sd_case_event_get_recorded_at (event), tz);

      g_string_append_printf (text, SD_LANG (language, " [backdated: entered %s]", "【补录：%s 录入】"), recorded);
    }
  g_string_append_c (text, '\n');
}

/* "3 Dec" / "12月3日": a day as the report's language writes it. */
static char *
format_day (GDateTime        *day,
            SdReportLanguage  language)
{
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };

  if (language == SD_REPORT_LANGUAGE_EN)
    return g_strdup_printf ("%d %s", g_date_time_get_day_of_month (day),
                            months[g_date_time_get_month (day) - 1]);
  return g_strdup_printf ("%d月%d日", g_date_time_get_month (day), g_date_time_get_day_of_month (day));
}

/* "2–5 Dec" / "12月2日至5日"; "30 Nov–2 Dec" / "11月30日至12月2日". */
static char *
format_day_range (GDateTime        *first,
                  GDateTime        *last,
                  SdReportLanguage  language)
{
  g_autofree char *from = format_day (first, language);
  g_autofree char *to = format_day (last, language);
  gboolean same_month = g_date_time_get_year (first) == g_date_time_get_year (last)
                        && g_date_time_get_month (first) == g_date_time_get_month (last);

  if (g_date_time_get_day_of_month (first) == g_date_time_get_day_of_month (last) && same_month)
    return g_steal_pointer (&from);
  if (same_month && language == SD_REPORT_LANGUAGE_EN)
    return g_strdup_printf ("%d–%s", g_date_time_get_day_of_month (first), to);
  if (same_month)
    return g_strdup_printf ("%s至%d日", from, g_date_time_get_day_of_month (last));
  return g_strdup_printf (SD_LANG (language, "%s–%s", "%s至%s"), from, to);
}

static gboolean
same_day (GDateTime *a,
          GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/* Says which daily reports were owed and not sent between the last one
 * (or the case's report) and @now, and which days this one covers:
 * "No report was sent on 3 Dec; this report covers 2–4 Dec." Counts
 * them into @item. */
static void
append_missed (GString           *text,
               SdDailyReportItem *item,
               GTimeZone         *tz,
               gint64             now)
{
  SdReportLanguage language = item->language;
  gint64 interval = item->sla.daily_report.target;
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *range = NULL;

  if (!item->sla.has_daily_report || interval <= 0)
    return;
  for (gint64 due = item->sla.daily_report.due; due <= now; due += interval)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (due);
      GDateTime *day = utc ? g_date_time_to_timezone (utc, tz) : NULL;

      if (day == NULL)
        break;
      item->n_missed++;
      if (days->len > 0 && same_day (days->pdata[days->len - 1], day))
        g_date_time_unref (day);
      else
        g_ptr_array_add (days, day);
    }
  if (days->len == 0)
    return;

  for (guint i = 0; i < days->len; i++)
    {
      g_autofree char *day = format_day (days->pdata[i], language);

      if (i > 0)
        g_string_append (list, i + 1 == days->len ? SD_LANG (language, " and ", "和")
                                                  : SD_LANG (language, ", ", "、"));
      g_string_append (list, day);
    }
  {
    g_autoptr(GDateTime) since_utc = g_date_time_new_from_unix_utc (item->since);
    g_autoptr(GDateTime) now_utc = g_date_time_new_from_unix_utc (now);

    first = g_date_time_to_timezone (since_utc, tz);
    last = g_date_time_to_timezone (now_utc, tz);
  }
  range = format_day_range (first, last, language);
  g_string_append_printf (text, SD_LANG (language, "\nNo report was sent on %s; this report covers %s.\n",
                                         "\n%s未发送报告；本报告涵盖%s。\n"),
                          list->str, range);
}

static void
append_next_steps (GString          *text,
                   SdCase           *kase,
                   const SdSlaResult *sla,
                   gint64            next_due,
                   GTimeZone        *tz,
                   SdReportLanguage  language)
{
  g_string_append (text, SD_LANG (language, "\nNext steps:\n", "\n后续步骤：\n"));
  if (sla->response.state != SD_SLA_MET && sla->response.state != SD_SLA_MISSED)
    {
      g_autofree char *due = _sd_report_format_time (sla->response.due, tz);

      if (sla->response.state == SD_SLA_BREACHED)
        g_string_append (text, SD_LANG (language,
                                        "- Our experts give you the answer with the highest priority; the duty manager is informed.\n",
                                        "- 我们的专家将以最高优先级为您提供解答，值班经理已知悉。\n"));
      else
        g_string_append_printf (text, SD_LANG (language, "- We give you the answer by %s.\n",
                                               "- 我们将在 %s 之前为您提供解答。\n"), due);
    }
  if (sd_case_get_status (kase) == SD_CASE_STATUS_WAITING_CUSTOMER)
    g_string_append (text, SD_LANG (language,
                                    "- We are waiting for the information we asked you for; the clock is paused until you reply.\n",
                                    "- 我们正在等待您提供所需信息；在您回复之前计时暂停。\n"));
  else
    g_string_append (text, SD_LANG (language,
                                    "- Our engineers keep working on the problem with top priority.\n",
                                    "- 我们的工程师将继续以最高优先级处理该问题。\n"));
  if (sla->has_daily_report)
    {
      g_autofree char *due = _sd_report_format_time (next_due, tz);

      g_string_append_printf (text, SD_LANG (language, "- Next status report by %s.\n",
                                             "- 下一份状态报告将于 %s 之前发送。\n"), due);
    }
}

/* The e-mail addresses of @customer_id's contacts who receive the daily
 * report (archived ones left out), in the input's order. */
static GStrv
daily_recipients (GPtrArray  *contacts,
                  const char *customer_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    {
      SdContact *contact = contacts->pdata[i];
      const char *email = sd_contact_get_email (contact);

      if (g_strcmp0 (sd_contact_get_customer_id (contact), customer_id) == 0
          && (sd_contact_get_roles (contact) & SD_CONTACT_ROLE_DAILY_REPORT) != 0
          && !sd_contact_get_archived (contact) && email != NULL && *email != '\0')
        g_strv_builder_add (builder, email);
    }
  return g_strv_builder_end (builder);
}

static SdDailyReportItem *
build_item (SdReportContext  *context,
            SdReportCustomer *customer,
            SdCase           *kase,
            GPtrArray        *contacts,
            const char       *sender_name,
            SdReportLanguage  language,
            gint64            now)
{
  SdDailyReportItem *item = g_new0 (SdDailyReportItem, 1);
  GPtrArray *events = _sd_report_context_events (context, sd_case_get_id (kase));
  g_autoptr(GPtrArray) recent = g_ptr_array_new ();
  g_autofree char *since = NULL;
  g_autofree char *reported = NULL;
  g_autofree char *request = NULL;
  const char *number = sd_case_get_number (kase) ? sd_case_get_number (kase) : sd_case_get_id (kase);
  GTimeZone *tz = customer->tz;
  GString *body = g_string_new (NULL);
  gboolean sent_before = FALSE;

  item->kase = g_object_ref (kase);
  item->customer = g_object_ref (customer->customer);
  item->language = language;
  _sd_report_context_compute (context, customer, kase, now, &item->sla, NULL);

  /* "Since the last report" is the last report *sent*, never the case's
   * own report time. */
  item->since = sd_case_get_reported_at (kase);
  for (guint i = 0; events != NULL && i < events->len; i++)
    if (sd_case_event_get_kind (events->pdata[i]) == SD_EVENT_DAILY_REPORT_SENT
        && sd_case_event_get_at (events->pdata[i]) <= now)
      {
        item->since = MAX (item->since, sd_case_event_get_at (events->pdata[i]));
        sent_before = TRUE;
      }
  /* Only public entries reach the customer. */
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      SdCaseEvent *event = events->pdata[i];

      if (sd_case_event_get_at (event) > item->since && sd_case_event_get_at (event) <= now
          && sd_case_event_get_kind (event) != SD_EVENT_DAILY_REPORT_SENT
          && sd_case_event_is_public (event))
        g_ptr_array_add (recent, event);
    }
  /* The next report owed after now on the contract's cadence: a due time
   * already past is never promised. */
  item->next_due = SD_TIME_NONE;
  if (item->sla.has_daily_report)
    {
      gint64 interval = MAX (item->sla.daily_report.target, 60);

      item->next_due = item->sla.daily_report.due;
      if (item->next_due <= now)
        item->next_due += ((now - item->next_due) / interval + 1) * interval;
    }
  g_ptr_array_sort (recent, compare_events);

  item->subject = g_strdup_printf (SD_LANG (language, "[%s] Daily status report: %s", "【%s】每日状态报告：%s"),
                                   number, sd_case_get_title (kase));

  reported = _sd_report_format_time (sd_case_get_reported_at (kase), tz);
  since = _sd_report_format_time (item->since, tz);
  g_string_append_printf (body, SD_LANG (language, "Dear %s team,\n\n", "%s 团队：\n\n"),
                          sd_customer_get_name (customer->customer));
  g_string_append_printf (body, SD_LANG (language,
                                         "This is the daily status report on your critical incident %s.\n\n",
                                         "以下是您的严重事件 %s 的每日状态报告。\n\n"), number);
  g_string_append_printf (body, SD_LANG (language, "Case: %s — %s\n", "案例：%s — %s\n"),
                          number, sd_case_get_title (kase));
  g_string_append_printf (body, SD_LANG (language, "Severity: %s\n", "严重级别：%s\n"),
                          _sd_report_severity_name (language, sd_case_get_severity (kase)));
  g_string_append_printf (body, SD_LANG (language, "Reported: %s (%s)\n", "报告时间：%s（%s）\n"),
                          reported, g_time_zone_get_identifier (tz));

  append_missed (body, item, tz, now);
  if (sent_before)
    g_string_append_printf (body, SD_LANG (language, "\nSince the last report (%s):\n",
                                           "\n自上次报告（%s）以来：\n"), since);
  else
    g_string_append_printf (body, SD_LANG (language, "\nSince the case was reported (%s):\n",
                                           "\n自案例报告（%s）以来：\n"), since);
  if (recent->len == 0)
    g_string_append (body, SD_LANG (language, "- No new activity.\n", "- 无新的进展。\n"));
  for (guint i = 0; i < recent->len; i++)
    append_event (body, recent->pdata[i], tz, language);

  g_string_append_printf (body, SD_LANG (language, "\nCurrent status: %s\n", "\n当前状态：%s\n"),
                          _sd_report_status_name (language, sd_case_get_status (kase)));
  {
    g_autofree char *due = _sd_report_format_time (item->sla.response.due, tz);

    g_string_append_printf (body, SD_LANG (language, "Response time target: %s (due %s)\n",
                                           "响应时间目标：%s（截止 %s）\n"),
                            _sd_report_sla_state_name (language, item->sla.response.state), due);
  }

  request = sd_service_request_notification (kase, events, tz, language);
  if (request != NULL)
    {
      g_string_append (body, SD_LANG (language, "\nRequest progress:\n", "\n请求进展：\n"));
      g_string_append (body, request);
    }

  append_next_steps (body, kase, &item->sla, item->next_due, tz, language);
  if (sender_name != NULL && *sender_name != '\0')
    g_string_append_printf (body, SD_LANG (language,
                                           "\nBest regards,\n%s\nTechnical Account Manager\n",
                                           "\n此致\n%s\n技术客户经理\n"), sender_name);
  else
    g_string_append (body, SD_LANG (language,
                                    "\nBest regards,\nYour Technical Account Manager\n",
                                    "\n此致\n您的技术客户经理\n"));

  item->body = g_string_free (body, FALSE);
  item->recipients = daily_recipients (contacts, sd_customer_get_id (customer->customer));
  {
    g_autofree char *to = g_strjoinv (",", item->recipients);

    item->mailto = sd_report_mailto_uri (*to != '\0' ? to : NULL, item->subject, item->body);
  }
  return item;
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const SdDailyReportItem *x = *(SdDailyReportItem **) a;
  const SdDailyReportItem *y = *(SdDailyReportItem **) b;
  gint64 dx = x->sla.daily_report.due;
  gint64 dy = y->sla.daily_report.due;

  if (dx != dy)
    return dx < dy ? -1 : 1;
  return g_strcmp0 (sd_case_get_number (x->kase), sd_case_get_number (y->kase));
}

SdDailyReport *
sd_daily_report_build (const SdReportInput *input,
                       const char          *tam_id,
                       SdReportLanguage     language,
                       gint64               now)
{
  g_autoptr(SdReportContext) context = NULL;
  g_autoptr(SdCoverage) coverage = NULL;
  SdDailyReport *report;

  g_return_val_if_fail (input != NULL, NULL);

  if (tam_id != NULL)
    coverage = sd_report_input_coverage (input);

  context = _sd_report_context_new (input);
  report = g_new0 (SdDailyReport, 1);
  report->now = now;
  report->items = g_ptr_array_new_with_free_func (daily_item_free);

  for (guint i = 0; input->cases != NULL && i < input->cases->len; i++)
    {
      SdCase *kase = input->cases->pdata[i];
      SdReportCustomer *customer = _sd_report_context_customer (context, sd_case_get_customer_id (kase));

      if (customer == NULL || sd_case_get_severity (kase) != 1 || !sd_case_is_open (kase)
          || sd_case_get_reported_at (kase) == SD_TIME_NONE
          || (tam_id != NULL && !sd_coverage_covers (coverage, sd_case_get_customer_id (kase), tam_id, now)))
        continue;
      g_ptr_array_add (report->items,
                       build_item (context, customer, kase, input->contacts, input->sender_name,
                                   language == SD_REPORT_LANGUAGE_CUSTOMER
                                   ? sd_customer_get_report_language (customer->customer) : language,
                                   now));
    }
  g_ptr_array_sort (report->items, compare_items);
  return report;
}

void
sd_daily_report_free (SdDailyReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->items, g_ptr_array_unref);
  g_free (report);
}

/* Percent-encodes everything but the unreserved characters; line breaks
 * become CRLF first (RFC 6068 §5). */
static void
append_encoded (GString    *uri,
                const char *text,
                const char *allowed)
{
  g_autoptr(GString) crlf = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  for (const char *p = text; *p; p++)
    {
      if (*p == '\n' && (p == text || p[-1] != '\r'))
        g_string_append_c (crlf, '\r');
      g_string_append_c (crlf, *p);
    }
  escaped = g_uri_escape_string (crlf->str, allowed, FALSE);
  g_string_append (uri, escaped);
}

char *
sd_report_mailto_uri (const char *to,
                      const char *subject,
                      const char *body)
{
  GString *uri = g_string_new ("mailto:");

  if (to != NULL)
    append_encoded (uri, to, "@,");
  g_string_append (uri, "?subject=");
  append_encoded (uri, subject ? subject : "", NULL);
  g_string_append (uri, "&body=");
  append_encoded (uri, body ? body : "", NULL);
  return g_string_free (uri, FALSE);
}
