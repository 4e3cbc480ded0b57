/* sd-demo.c
 *
 * The data set is generated from a fixed seed, relative to today, so that
 * every start shows the same mix: open cases of every severity with clocks
 * running, at risk and breached, met and missed responses, and cases
 * waiting for the customer (after a response, with the reason).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <sd-model.h>

#include "sd-demo.h"
#include "sd-server.h"

typedef struct {
  const char *id;
  const char *name;
  SdTier      tier;
  const char *zone;
  const char *calendar_id;
  int         tam;          /* index in users */
  gboolean    entitled;
  gboolean    chinese;
} DemoCustomer;

static const struct {
  const char *login;
  const char *name;
  const char *role;
} demo_users[] = {
  { "li.na", "李娜", "tam" },
  { "anna.schmidt", "Anna Schmidt", "tam" },
  { "wang.qiang", "王强", "duty_manager" },
  { "admin", "Administrator", "admin" },
};

static const DemoCustomer demo_customers[] = {
  { "cust-pujiang-bank", "上海浦江银行", SD_TIER_MSA_ENTERPRISE, "Asia/Shanghai", "cn-mainland", 0, TRUE, TRUE },
  { "cust-yuntu-tech", "北京云图科技有限公司", SD_TIER_MSA_ENTERPRISE, "Asia/Shanghai", "cn-mainland", 0, TRUE, TRUE },
  { "cust-xinghe-mfg", "深圳星河精密制造", SD_TIER_STANDARD, "Asia/Shanghai", "cn-mainland", 0, FALSE, TRUE },
  { "cust-nordwind", "Nordwind Logistik GmbH", SD_TIER_MSA_ENTERPRISE, "Europe/Berlin", "de-office", 1, TRUE, FALSE },
  { "cust-hudson-health", "Hudson Health Partners", SD_TIER_MSA_ENTERPRISE, "America/New_York", "us-east-office", 1, TRUE, FALSE },
  { "cust-maple-retail", "Maple Retail Inc.", SD_TIER_STANDARD, "America/Toronto", "ca-east-office", 1, FALSE, FALSE },
};

static const char * const titles_zh[] = {
  "管理服务器无法连接数据库", "终端代理离线，无法接收策略", "反病毒数据库更新失败",
  "误报：财务系统组件被隔离", "扫描任务导致服务器 CPU 占用过高", "许可证密钥即将到期的提醒未显示",
  "网络代理在重启后未恢复保护", "邮件网关漏检钓鱼附件", "分发点同步延迟超过 6 小时",
  "Web 控制台登录后页面空白", "加密模块与备份软件冲突", "事件日志未转发到 SIEM",
};

static const char * const titles_en[] = {
  "Administration server cannot reach its database", "Endpoint agents offline after network change",
  "Anti-virus database update fails on distribution point", "False positive quarantines ERP component",
  "Scan task drives server CPU to 100%", "License expiry warning not shown",
  "Web protection not restored after reboot", "Mail gateway misses phishing attachment",
  "Policy changes take hours to reach agents", "Web console shows a blank page after sign-in",
  "Encryption module conflicts with backup software", "Events are not forwarded to the SIEM",
};

typedef struct {
  SdStore *store;
  GRand   *rand;
  char    *user_ids[G_N_ELEMENTS (demo_users)];
  gint64   now;
} Demo;

static char *
render_node_cb (gint64     version,
                gint64     updated_at,
                gpointer   user_data,
                GError   **error)
{
  return sd_json_to_string (user_data, FALSE);
}

static gboolean
put_node (Demo        *demo,
          const char  *kind,
          const char  *id,
          const char  *customer_id,
          const char  *parent_id,
          JsonNode    *node,
          GError     **error)
{
  g_autoptr(SdStoreRecord) record = sd_store_put (demo->store, kind, id, customer_id, parent_id, 0, NULL,
                                                  render_node_cb, node, NULL, error);
  return record != NULL;
}

static gboolean
add_event (Demo         *demo,
           SdCaseEvent  *event,
           const char   *customer_id,
           GError      **error)
{
  g_autoptr(SdCaseEvent) owned = event;
  g_autoptr(JsonNode) node = sd_case_event_to_json (event);

  return put_node (demo, "case_event", sd_case_event_get_id (event), customer_id,
                   sd_case_event_get_case_id (event), node, error);
}

static GObject *
demo_details (Demo       *demo,
              SdCaseType  type,
              gboolean    chinese)
{
  switch (type)
    {
    case SD_CASE_TYPE_SIGNATURE_CHANGE:
      {
        SdSignatureChange *details = sd_signature_change_new (g_rand_boolean (demo->rand)
                                                              ? SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE
                                                              : SD_REQUESTED_CHANGE_ADD_DETECTION);
        g_autofree char *seed = g_strdup_printf ("%u", g_rand_int (demo->rand));
        g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, seed, -1);
        g_autofree char *hash = g_strconcat ("sha256:", digest, NULL);

        sd_signature_change_set_hash (details, hash);
        sd_signature_change_set_detection_name (details, "HEUR:Trojan.Win32.Generic");
        return G_OBJECT (details);
      }
    case SD_CASE_TYPE_PRIVATE_PATCH:
      {
        SdPrivatePatch *details = sd_private_patch_new ();

        sd_private_patch_set_product (details, "Endpoint Security for Windows");
        sd_private_patch_set_product_version (details, "12.4.0.467");
        sd_private_patch_set_lifecycle_stage (details, SD_LIFECYCLE_FULL_SUPPORT);
        sd_private_patch_set_problem (details, chinese ? "与备份代理冲突导致蓝屏" : "Blue screen with the backup agent installed");
        return G_OBJECT (details);
      }
    case SD_CASE_TYPE_DATABASE_RELEASE:
      {
        SdDatabaseRelease *details = sd_database_release_new ();

        sd_database_release_set_reason (details, chinese ? "新型勒索软件在内网传播" : "New ransomware spreading in the LAN");
        sd_database_release_set_urgency (details, SD_URGENCY_CRITICAL);
        return G_OBJECT (details);
      }
    default:
      return NULL;
    }
}

static gboolean
add_case (Demo               *demo,
          const DemoCustomer *customer,
          guint               serial,
          GError            **error)
{
  static const SdCaseType types[] = {
    SD_CASE_TYPE_INCIDENT, SD_CASE_TYPE_INCIDENT, SD_CASE_TYPE_INCIDENT,
    SD_CASE_TYPE_SERVICE_REQUEST, SD_CASE_TYPE_SIGNATURE_CHANGE,
    SD_CASE_TYPE_PRIVATE_PATCH, SD_CASE_TYPE_DATABASE_RELEASE,
  };
  static const SdCaseStatus statuses[] = {
    SD_CASE_STATUS_NEW, SD_CASE_STATUS_NEW, SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_IN_PROGRESS,
    SD_CASE_STATUS_IN_PROGRESS, SD_CASE_STATUS_WAITING_CUSTOMER, SD_CASE_STATUS_RESOLVED,
    SD_CASE_STATUS_CLOSED, SD_CASE_STATUS_CLOSED,
  };
  g_autoptr(SdCase) kase = sd_case_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GObject) details = NULL;
  g_autofree char *number = NULL;
  const char *tam = demo->user_ids[customer->tam];
  const char * const *titles = customer->chinese ? titles_zh : titles_en;
  SdCaseType type = types[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (types))];
  SdCaseStatus status = statuses[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (statuses))];
  int drawn = g_rand_int_range (demo->rand, 1, 5);
  /* A standard-tier contract has no database releases on request: there
   * the customer asks through an ordinary service request. */
  if (type == SD_CASE_TYPE_DATABASE_RELEASE && customer->tier != SD_TIER_MSA_ENTERPRISE)
    type = SD_CASE_TYPE_SERVICE_REQUEST;
  /* A database release is urgent; the other requests are not critical. */
  int severity = type == SD_CASE_TYPE_DATABASE_RELEASE ? MIN (drawn, 2)
                 : type != SD_CASE_TYPE_INCIDENT ? MAX (drawn, 3) : drawn;
  gboolean open = status != SD_CASE_STATUS_RESOLVED && status != SD_CASE_STATUS_CLOSED;
  /* Roughly the wall-clock time a response may take, per severity. */
  static const int response_window[] = { 0, 30 * 60, 4 * 3600, 12 * 3600, 16 * 3600 };
  /* Cases waiting for a first answer came in within about their response
   * time (most running, some at risk, a few breached); the other open cases
   * are up to three days old; closed ones go back 90 days. */
  gint64 reported = demo->now - (status == SD_CASE_STATUS_NEW
                                 ? g_rand_int_range (demo->rand, 2 * 60, response_window[severity] * 13 / 10)
                                 : open ? g_rand_int_range (demo->rand, 5 * 60, 3 * 24 * 3600)
                                        : g_rand_int_range (demo->rand, 4 * 24 * 3600, 90 * 24 * 3600));
  gint64 t = reported;
  const char *id;

  number = g_strdup_printf ("SD-2026-%05u", serial);
  sd_case_set_number (kase, number);
  sd_case_set_customer_id (kase, customer->id);
  sd_case_set_title (kase, titles[g_rand_int_range (demo->rand, 0, G_N_ELEMENTS (titles_en))]);
  sd_case_set_description (kase, customer->chinese ? "客户通过门户提交，附有日志。" : "Reported through the portal with logs attached.");
  sd_case_set_case_type (kase, type);
  details = demo_details (demo, type, customer->chinese);
  if (details != NULL)
    sd_case_set_details (kase, details);
  sd_case_set_severity (kase, severity);
  sd_case_set_reported_at (kase, reported);
  sd_case_set_reported_via (kase, (SdReportedVia) g_rand_int_range (demo->rand, 0, 4));
  sd_case_set_assignee_id (kase, tam);
  id = sd_case_get_id (kase);

  /* The timeline. */
  if (status != SD_CASE_STATUS_NEW)
    {
      gint64 responded = reported + g_rand_int_range (demo->rand, 5 * 60, severity <= 2 ? 90 * 60 : 10 * 3600);

      responded = MIN (responded, demo->now - 60);
      t = responded;
      if (!add_event (demo, sd_case_event_new_status_change (id, tam, reported + 120, SD_CASE_STATUS_NEW,
                                                             SD_CASE_STATUS_IN_PROGRESS, NULL),
                      customer->id, error))
        return FALSE;
      if (!add_event (demo, sd_case_event_new_response_given (id, tam, responded,
                                                              customer->chinese ? "已确认问题并提供临时解决方案。"
                                                                                : "Confirmed the cause and sent a workaround."),
                      customer->id, error))
        return FALSE;
      sd_case_set_responded_at (kase, responded);
    }
  /* Most severity-1 cases had their daily report; one in four is late. */
  if (severity == 1 && open && status != SD_CASE_STATUS_NEW && g_rand_int_range (demo->rand, 0, 4) > 0)
    if (!add_event (demo, sd_case_event_new_daily_report_sent (id, tam,
                                                               MAX (reported + 60, demo->now - g_rand_int_range (demo->rand, 30 * 60, 22 * 3600)),
                                                               SD_REPORT_CHANNEL_EMAIL,
                                                               customer->chinese ? "每日报告已通过电子邮件发送。"
                                                                                 : "Daily report sent by e-mail."),
                    customer->id, error))
      return FALSE;
  if (status == SD_CASE_STATUS_WAITING_CUSTOMER || !open)
    {
      SdCaseStatus to = status == SD_CASE_STATUS_WAITING_CUSTOMER ? status : SD_CASE_STATUS_RESOLVED;
      /* A pause needs a reason on the timeline. */
      const char *reason = to != SD_CASE_STATUS_WAITING_CUSTOMER ? NULL
                           : customer->chinese ? "已请客户提供终端的诊断日志。"
                                               : "Asked the customer for the agent's diagnostic logs.";

      t = MIN (t + 1800, demo->now - 10);
      if (!add_event (demo, sd_case_event_new_status_change (id, tam, t, SD_CASE_STATUS_IN_PROGRESS, to, reason),
                      customer->id, error))
        return FALSE;
      if (!open)
        sd_case_set_resolved_at (kase, t);
      if (status == SD_CASE_STATUS_CLOSED
          && !add_event (demo, sd_case_event_new_status_change (id, tam, t + 3600, SD_CASE_STATUS_RESOLVED,
                                                                SD_CASE_STATUS_CLOSED, NULL),
                         customer->id, error))
        return FALSE;
    }
  if (g_rand_int_range (demo->rand, 0, 3) == 0
      && !add_event (demo, sd_case_event_new_comment (id, tam, MIN (t + 600, demo->now - 5),
                                                      customer->chinese ? "已请求客户提供最新的跟踪日志。"
                                                                        : "Asked the customer for fresh trace logs."),
                     customer->id, error))
    return FALSE;

  sd_case_set_status (kase, status);
  sd_case_set_version (kase, 1);
  sd_case_set_updated_at (kase, demo->now);
  node = sd_case_to_json (kase);
  return put_node (demo, "case", id, customer->id, NULL, node, error);
}

static gboolean
add_health_check (Demo                *demo,
                  const DemoCustomer  *customer,
                  SdHealthCheckStatus  status,
                  int                  days_from_now,
                  GError             **error)
{
  g_autoptr(SdHealthCheck) check = sd_health_check_new (NULL);
  g_autoptr(SdChecklistTemplate) template = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_from_unix_utc (demo->now + (gint64) days_from_now * 86400);
  GDate date;

  sd_health_check_set_customer_id (check, customer->id);
  sd_health_check_set_status (check, status);
  /* Asked a month before the agreed day (or a month ago). */
  sd_health_check_set_requested_at (check, demo->now + (gint64) MIN (days_from_now, 0) * 86400 - 30 * 86400);
  if (status != SD_HEALTH_CHECK_REQUESTED)
    {
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                      g_date_time_get_year (day));
      /* Checks happen on weekdays. */
      while (g_date_get_weekday (&date) > G_DATE_FRIDAY)
        g_date_add_days (&date, 1);
      sd_health_check_set_scheduled_on (check, g_date_get_julian (&date));
    }
  sd_health_check_set_mode (check, SD_HEALTH_CHECK_MODE_REMOTE);
  sd_health_check_set_contact (check, customer->chinese ? "张伟（IT 运维）" : "Jordan Miller (IT operations)");
  template = sd_checklist_template_new_builtin (SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY, NULL);
  if (!sd_checklist_template_start_check (template, check, customer->chinese ? "zh_CN" : "en", error))
    return FALSE;
  items = sd_health_check_dup_items (check);
  for (guint i = 0; i < items->len; i++)
    {
      SdChecklistItem *item = items->pdata[i];

      if (status == SD_HEALTH_CHECK_COMPLETED || (status == SD_HEALTH_CHECK_IN_PROGRESS && i < 12))
        {
          SdCheckResult result = (i % 11 == 3) ? SD_CHECK_RESULT_NOT_APPLICABLE
                               : (i % 7 == 2) ? SD_CHECK_RESULT_FAIL
                               : (i % 5 == 1) ? SD_CHECK_RESULT_WARNING : SD_CHECK_RESULT_PASS;

          sd_checklist_item_set_result (item, result);
          if (result == SD_CHECK_RESULT_PASS)
            sd_checklist_item_set_observed (item, sd_checklist_item_get_expected (item));
          else if (result != SD_CHECK_RESULT_NOT_APPLICABLE)
            sd_checklist_item_set_observed (item, customer->chinese ? "未达到最佳实践" : "Not in line with the best practice");
        }
    }
  sd_health_check_set_version (check, 1);
  sd_health_check_set_updated_at (check, demo->now);
  node = sd_health_check_to_json (check);
  return put_node (demo, "health_check", sd_health_check_get_id (check), customer->id, NULL, node, error);
}

gboolean
sd_demo_fill (SdStore  *store,
              guint     n_cases,
              GError  **error)
{
  SdStoreQuery query = { .limit = 1 };
  g_autoptr(GPtrArray) existing = sd_store_list (store, "customer", &query, error);
  Demo demo = { .store = store, .now = g_get_real_time () / G_USEC_PER_SEC };
  gboolean ok = FALSE;
  guint serial = 1;

  if (existing == NULL)
    return FALSE;
  if (existing->len > 0)
    {
      g_print ("The database has data already: no demo data added.\n");
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (!sd_server_add_user (store, demo_users[i].login, demo_users[i].name, demo_users[i].role,
                             SD_DEMO_PASSWORD, &demo.user_ids[i], error))
      goto out;

  demo.rand = g_rand_new_with_seed (20261126);
  if (!sd_store_begin (store, error))
    goto out;

  /* The customers' calendars (cn-mainland, de-office, us-east-office,
   * ca-east-office) are built in: the server stored them already. */
  for (guint i = 0; i < G_N_ELEMENTS (demo_customers); i++)
    {
      const DemoCustomer *c = &demo_customers[i];
      g_autoptr(SdCustomer) customer = sd_customer_new (c->id);
      g_autoptr(JsonNode) node = NULL;
      const char *duty[] = { demo.user_ids[2], NULL };
      g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (demo.now - 500 * 86400);
      GDate date;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (start), g_date_time_get_month (start),
                      g_date_time_get_year (start));
      sd_customer_set_name (customer, c->name);
      sd_customer_set_tier (customer, c->tier);
      sd_customer_set_time_zone (customer, c->zone);
      sd_customer_set_calendar_id (customer, c->calendar_id);
      sd_customer_set_tam_id (customer, demo.user_ids[c->tam]);
      sd_customer_set_duty_manager_ids (customer, duty);
      sd_customer_set_health_check_entitled (customer, c->entitled);
      sd_customer_set_report_language (customer, c->chinese ? SD_REPORT_LANGUAGE_ZH_CN
                                                            : SD_REPORT_LANGUAGE_EN);
      sd_customer_set_contract_start (customer, g_date_get_julian (&date));
      g_date_add_years (&date, 2);
      sd_customer_set_contract_end (customer, g_date_get_julian (&date));
      sd_customer_set_version (customer, 1);
      sd_customer_set_updated_at (customer, demo.now);
      node = sd_customer_to_json (customer);
      if (!put_node (&demo, "customer", c->id, c->id, NULL, node, error))
        goto rollback;

      for (guint n = 0; n < n_cases / G_N_ELEMENTS (demo_customers)
                          + (i < n_cases % G_N_ELEMENTS (demo_customers)); n++)
        if (!add_case (&demo, c, serial++, error))
          goto rollback;
    }

  /* Health checks in every state. */
  /* Contracts started 500 days ago: last contract year's check is done,
   * this year's is requested, scheduled or under way; 北京云图 has not asked
   * for this year's yet. */
  if (!add_health_check (&demo, &demo_customers[0], SD_HEALTH_CHECK_COMPLETED, -150, error)
      || !add_health_check (&demo, &demo_customers[4], SD_HEALTH_CHECK_SCHEDULED, 21, error)
      || !add_health_check (&demo, &demo_customers[3], SD_HEALTH_CHECK_IN_PROGRESS, 0, error)
      || !add_health_check (&demo, &demo_customers[0], SD_HEALTH_CHECK_REQUESTED, 0, error)
      || !add_health_check (&demo, &demo_customers[3], SD_HEALTH_CHECK_CANCELLED, -40, error))
    goto rollback;

  /* New cases continue after the demo's numbers. The counter moves in the
   * same transaction: one commit (one fsync) for the whole demo, not one
   * per case number. */
  for (gint64 next = 0; next < (gint64) serial; )
    if ((next = sd_store_next_counter (store, "case-number-2026", error)) < 0)
      goto rollback;

  if (!sd_store_commit (store, error))
    goto rollback;

  g_print ("Demo data: %u customers, %u cases. Sign in with the password “%s” as:\n",
           (guint) G_N_ELEMENTS (demo_customers), serial - 1, SD_DEMO_PASSWORD);
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    g_print ("  %-14s %s (%s)\n", demo_users[i].login, demo_users[i].name, demo_users[i].role);
  ok = TRUE;
  goto out;

rollback:
  sd_store_rollback (store);
out:
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    g_free (demo.user_ids[i]);
  g_clear_pointer (&demo.rand, g_rand_free);
  return ok;
}
