/* sd-report-service-request.c — what a customer is told about a service request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include "sd-database-release.h"
#include "sd-private-patch.h"
#include "sd-report-private.h"
#include "sd-service-request.h"
#include "sd-signature-change.h"

static void
append_case_line (GString          *text,
                  SdCase           *kase,
                  SdReportLanguage  language)
{
  const char *number = sd_case_get_number (kase);

  g_string_append_printf (text, SD_LANG (language, "Request %s: %s\n", "请求 %s：%s\n"),
                          number ? number : sd_case_get_id (kase), sd_case_get_title (kase));
}

static void
database_release_notification (GString          *text,
                               SdCase           *kase,
                               GPtrArray        *events,
                               GTimeZone        *tz,
                               SdReportLanguage  language)
{
  static const char * const done_en[] = {
    "Your request for an antivirus database release was received by our dedicated expert group.",
    "A high-priority (fast) antivirus database update was released for MSA Enterprise customers.",
    "We informed you of the progress.",
  };
  static const char * const done_zh[] = {
    "您的病毒库发布请求已由专门的专家组受理。",
    "已为 MSA Enterprise 用户发布高优先级（快速）病毒库更新。",
    "我们已向您通报进展。",
  };
  static const char * const next_en[] = {
    "Next step: our expert group takes up the request.",
    "Next step: the expert group prepares a fast database update.",
    "Next step: we confirm the update with you.",
  };
  static const char * const next_zh[] = {
    "下一步：专家组受理该请求。",
    "下一步：专家组准备快速病毒库更新。",
    "下一步：与您确认更新效果。",
  };
  SdReleaseStepState states[SD_N_RELEASE_STEPS];
  SdDatabaseRelease *details = SD_IS_DATABASE_RELEASE (sd_case_get_details (kase))
                               ? SD_DATABASE_RELEASE (sd_case_get_details (kase)) : NULL;
  int next = sd_database_release_next_step (kase, events);

  sd_database_release_get_steps (kase, events, states);
  for (guint s = 0; s < SD_N_RELEASE_STEPS; s++)
    if (states[s].done)
      {
        g_autofree char *when = _sd_report_format_time (states[s].at, tz);

        g_string_append_printf (text, "%s  %s\n", when, SD_LANG (language, done_en[s], done_zh[s]));
      }
  if (states[SD_RELEASE_STEP_FAST_UPDATE_RELEASED].done && details != NULL
      && sd_database_release_get_database_version (details) != NULL)
    g_string_append_printf (text, SD_LANG (language, "Database version: %s\n", "病毒库版本：%s\n"),
                            sd_database_release_get_database_version (details));
  if (next >= 0)
    {
      g_string_append (text, SD_LANG (language, next_en[next], next_zh[next]));
      g_string_append_c (text, '\n');
    }
  else
    g_string_append (text, SD_LANG (language, "All steps of the request are complete.\n",
                                    "该请求的所有步骤均已完成。\n"));
}

static void
private_patch_notification (GString          *text,
                            SdCase           *kase,
                            SdReportLanguage  language)
{
  SdPrivatePatch *patch = SD_PRIVATE_PATCH (sd_case_get_details (kase));
  SdLifecycleStage stage = sd_private_patch_get_lifecycle_stage (patch);
  guint32 delivered = sd_private_patch_get_delivered_on (patch);

  g_string_append_printf (text, SD_LANG (language, "Product: %s %s\n", "产品：%s %s\n"),
                          sd_private_patch_get_product (patch),
                          sd_private_patch_get_product_version (patch));
  if (delivered != 0)
    {
      g_autofree char *date = sd_date_format (delivered);

      g_string_append_printf (text, SD_LANG (language, "The private patch %s was delivered on %s.\n",
                                             "专用补丁 %s 已于 %s 交付。\n"),
                              sd_private_patch_get_patch_id (patch), date);
    }
  else if (sd_private_patch_can_be_offered (stage, sd_case_get_severity (kase), NULL))
    g_string_append (text, SD_LANG (language,
                                    "Our engineering group is building a private patch for this problem; "
                                    "we will send you its identifier and delivery date.\n",
                                    "我们的专门工程组正在为此问题构建专用补丁，交付时将告知补丁编号和交付日期。\n"));
  else if (stage == SD_LIFECYCLE_LIMITED_SUPPORT)
    g_string_append (text, SD_LANG (language,
                                    "The product is in limited support: private patches are built only for "
                                    "critical and high-severity problems.\n",
                                    "该产品处于有限支持阶段：仅针对严重和高级别问题构建专用补丁。\n"));
  else
    g_string_append (text, SD_LANG (language,
                                    "The product has reached the end of its life: no private patch can be "
                                    "built; please upgrade to a supported version.\n",
                                    "该产品已终止支持：无法构建专用补丁，请升级到受支持的版本。\n"));
}

static void
signature_change_notification (GString          *text,
                               SdCase           *kase,
                               SdReportLanguage  language)
{
  SdSignatureChange *change = SD_SIGNATURE_CHANGE (sd_case_get_details (kase));
  const char *object = sd_signature_change_get_hash (change);
  const char *detection = sd_signature_change_get_detection_name (change);

  if (object == NULL)
    object = sd_signature_change_get_object_ref (change);
  if (sd_signature_change_get_requested_change (change) == SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE)
    g_string_append_printf (text, SD_LANG (language, "Requested: remove the false positive “%s” on %s\n",
                                           "请求：消除对 %2$s 的误报“%1$s”\n"),
                            detection ? detection : "", object ? object : "");
  else
    g_string_append_printf (text, SD_LANG (language, "Requested: add a detection for %s%s%s\n",
                                           "请求：为 %s 添加检测%s%s\n"),
                            object ? object : "",
                            detection ? SD_LANG (language, " as ", "，检测名称 ") : "",
                            detection ? detection : "");

  switch (sd_signature_change_get_outcome (change))
    {
    case SD_SIGNATURE_OUTCOME_RELEASED:
      g_string_append_printf (text, SD_LANG (language, "Done: the change is in antivirus database %s.\n",
                                             "已完成：该变更已包含在病毒库 %s 中。\n"),
                              sd_signature_change_get_database_version (change));
      break;
    case SD_SIGNATURE_OUTCOME_DECLINED:
      g_string_append (text, SD_LANG (language, "Our analysts reviewed the object and declined the change.\n",
                                      "我们的分析师审查了该对象，决定不做此变更。\n"));
      break;
    case SD_SIGNATURE_OUTCOME_PENDING:
    default:
      g_string_append (text, SD_LANG (language, "Our virus analysts are examining the object.\n",
                                      "我们的病毒分析师正在分析该对象。\n"));
      break;
    }
}

char *
sd_service_request_notification (SdCase           *kase,
                                 GPtrArray        *events,
                                 GTimeZone        *tz,
                                 SdReportLanguage  language)
{
  GString *text;
  GObject *details;

  g_return_val_if_fail (SD_IS_CASE (kase), NULL);

  details = sd_case_get_details (kase);
  if (details == NULL)
    return NULL;

  text = g_string_new (NULL);
  append_case_line (text, kase, language);
  switch (sd_case_get_case_type (kase))
    {
    case SD_CASE_TYPE_DATABASE_RELEASE:
      database_release_notification (text, kase, events, tz, language);
      break;
    case SD_CASE_TYPE_PRIVATE_PATCH:
      private_patch_notification (text, kase, language);
      break;
    case SD_CASE_TYPE_SIGNATURE_CHANGE:
      signature_change_notification (text, kase, language);
      break;
    case SD_CASE_TYPE_INCIDENT:
    case SD_CASE_TYPE_SERVICE_REQUEST:
    default:
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}
