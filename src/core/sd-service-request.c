/* sd-service-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-service-request"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-database-release.h"
#include "sd-error.h"
#include "sd-private-patch.h"
#include "sd-report-private.h"
#include "sd-service-request.h"
#include "sd-signature-change.h"
#include "sd-time.h"

static const char * const release_step_names[] = {
  "expert_group_received", "fast_update_released", "customer_notified",
};

const char *
sd_release_step_to_string (SdReleaseStep value)
{
  if ((guint) value >= G_N_ELEMENTS (release_step_names))
    return NULL;
  return release_step_names[value];
}

gboolean
sd_release_step_from_string (const char    *name,
                             SdReleaseStep *out)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (release_step_names); i++)
    if (g_str_equal (name, release_step_names[i]))
      {
        *out = (SdReleaseStep) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_release_step_get_label (SdReleaseStep step)
{
  switch (step)
    {
    case SD_RELEASE_STEP_EXPERT_GROUP_RECEIVED: return _("Received by the expert group");
    case SD_RELEASE_STEP_FAST_UPDATE_RELEASED: return _("Fast update released");
    case SD_RELEASE_STEP_CUSTOMER_NOTIFIED: return _("Customer notified of progress");
    default: return NULL;
    }
}

guint
sd_database_release_get_steps (SdCase             *kase,
                               GPtrArray          *events,
                               SdReleaseStepState  states[SD_N_RELEASE_STEPS])
{
  const char *case_id;
  guint n_done = 0;

  g_return_val_if_fail (SD_IS_CASE (kase), 0);
  g_return_val_if_fail (states != NULL, 0);

  for (guint s = 0; s < SD_N_RELEASE_STEPS; s++)
    states[s] = (SdReleaseStepState) { FALSE, SD_TIME_NONE, NULL, NULL };

  case_id = sd_case_get_id (kase);
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      SdCaseEvent *event = g_ptr_array_index (events, i);
      SdReleaseStep step;
      SdReleaseStepState *state;

      if (sd_case_event_get_kind (event) != SD_EVENT_PROGRESS_STEP
          || g_strcmp0 (sd_case_event_get_case_id (event), case_id) != 0
          || !sd_release_step_from_string (sd_case_event_get_step (event), &step))
        continue;

      state = &states[step];
      if (state->done && state->at <= sd_case_event_get_at (event))
        continue;
      if (!state->done)
        n_done++;
      state->done = TRUE;
      state->at = sd_case_event_get_at (event);
      state->author_id = sd_case_event_get_author_id (event);
      state->event_id = sd_case_event_get_id (event);
    }

  return n_done;
}

int
sd_database_release_next_step (SdCase    *kase,
                               GPtrArray *events)
{
  SdReleaseStepState states[SD_N_RELEASE_STEPS];

  sd_database_release_get_steps (kase, events, states);
  for (guint s = 0; s < SD_N_RELEASE_STEPS; s++)
    if (!states[s].done)
      return (int) s;
  return -1;
}

gboolean
sd_database_release_check_step (SdCase      *kase,
                                GPtrArray   *events,
                                const char  *step,
                                GError     **error)
{
  SdReleaseStepState states[SD_N_RELEASE_STEPS];
  SdReleaseStep wanted;

  g_return_val_if_fail (SD_IS_CASE (kase), FALSE);

  if (!sd_release_step_from_string (step, &wanted))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: “%s” is not a step of a database release "
                     "(expert_group_received, fast_update_released, customer_notified)"),
                   "event.data.step", step ? step : "");
      return FALSE;
    }

  sd_database_release_get_steps (kase, events, states);
  if (states[wanted].done)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Field “%s”: the step “%s” is recorded already"), "event.data.step", step);
      return FALSE;
    }
  for (guint s = 0; s < (guint) wanted; s++)
    if (!states[s].done)
      {
        g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                     _("Field “%s”: “%s” comes after “%s”, which is not recorded yet"),
                     "event.data.step", step, release_step_names[s]);
        return FALSE;
      }
  return TRUE;
}

SdCaseEvent *
sd_database_release_new_step_event (const char    *case_id,
                                    const char    *author_id,
                                    gint64         at,
                                    SdReleaseStep  step,
                                    const char    *body)
{
  g_return_val_if_fail (sd_release_step_to_string (step) != NULL, NULL);

  return sd_case_event_new_progress_step (case_id, author_id, at,
                                          sd_release_step_to_string (step), body);
}

gboolean
sd_private_patch_can_be_offered (SdLifecycleStage   stage,
                                 int                severity,
                                 char             **reason)
{
  switch (stage)
    {
    case SD_LIFECYCLE_FULL_SUPPORT:
      return TRUE;
    case SD_LIFECYCLE_LIMITED_SUPPORT:
      if (severity == 1 || severity == 2)
        return TRUE;
      if (reason != NULL)
        *reason = g_strdup (_("The product is in limited support: private patches are built only "
                              "for critical and high-severity problems"));
      return FALSE;
    case SD_LIFECYCLE_END_OF_LIFE:
    default:
      if (reason != NULL)
        *reason = g_strdup (_("The product has reached the end of its life: no private patches are "
                              "built for it; the customer needs to upgrade to a supported version"));
      return FALSE;
    }
}

gboolean
sd_service_request_check (SdCase  *kase,
                          GError **error)
{
  SdPrivatePatch *patch;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (SD_IS_CASE (kase), FALSE);

  if (sd_case_get_case_type (kase) != SD_CASE_TYPE_PRIVATE_PATCH
      || !SD_IS_PRIVATE_PATCH (sd_case_get_details (kase)))
    return TRUE;

  patch = SD_PRIVATE_PATCH (sd_case_get_details (kase));
  if (sd_private_patch_get_patch_id (patch) == NULL && sd_private_patch_get_delivered_on (patch) == 0)
    return TRUE;
  if (sd_private_patch_can_be_offered (sd_private_patch_get_lifecycle_stage (patch),
                                       sd_case_get_severity (kase), &reason))
    return TRUE;

  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
               _("Field “%s”: a patch cannot be released: %s"),
               "case.details.lifecycle_stage", reason);
  return FALSE;
}

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
