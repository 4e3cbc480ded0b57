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
