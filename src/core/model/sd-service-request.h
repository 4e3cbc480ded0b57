/* sd-service-request.h — the contract's service-request workflows:
 * database release steps, the private-patch life-cycle rule, and the
 * notification text the customer receives at each step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sd-case.h"
#include "sd-case-event.h"
#include "sd-enums.h"

G_BEGIN_DECLS

/* The three steps the contract promises for an antivirus-database release
 * on request, in order. Each is a progress_step event whose "step" is the
 * wire name: "expert_group_received", "fast_update_released",
 * "customer_notified". */
typedef enum {
  SD_RELEASE_STEP_EXPERT_GROUP_RECEIVED,
  SD_RELEASE_STEP_FAST_UPDATE_RELEASED,
  SD_RELEASE_STEP_CUSTOMER_NOTIFIED,
} SdReleaseStep;

#define SD_N_RELEASE_STEPS (SD_RELEASE_STEP_CUSTOMER_NOTIFIED + 1)

SD_DECLARE_ENUM_NAMES (SdReleaseStep, sd_release_step)

/* Translated label for the app, e.g. "Received by the expert group". */
const char  *sd_release_step_get_label          (SdReleaseStep      step);

/* One step as the timeline records it. */
typedef struct {
  gboolean    done;
  gint64      at;         /* SD_TIME_NONE while not done */
  const char *author_id;  /* borrowed from the event; NULL if the system recorded it */
  const char *event_id;   /* borrowed */
} SdReleaseStepState;

/* Fills @states (SD_N_RELEASE_STEPS entries) from the progress_step events
 * of @kase among @events (any order; other cases' events and other kinds
 * are skipped). The earliest event of a step counts. Returns the number of
 * steps done. The strings point into the events: keep them alive. */
guint        sd_database_release_get_steps      (SdCase            *kase,
                                                 GPtrArray         *events,
                                                 SdReleaseStepState states[SD_N_RELEASE_STEPS]);
/* The next step to record, or -1 when all three are done. */
int          sd_database_release_next_step      (SdCase            *kase,
                                                 GPtrArray         *events);
/* Whether a progress_step named @step may be appended to database-release
 * case @kase with timeline @events: it must be one of the three steps,
 * not recorded yet, and the steps before it must be. The error
 * (SD_ERROR_INVALID_VALUE) names the field "event.data.step". */
gboolean     sd_database_release_check_step     (SdCase            *kase,
                                                 GPtrArray         *events,
                                                 const char        *step,
                                                 GError           **error);
/* A new progress_step event for @step. */
SdCaseEvent *sd_database_release_new_step_event (const char        *case_id,
                                                 const char        *author_id,
                                                 gint64             at,
                                                 SdReleaseStep      step,
                                                 const char        *body);

/* The product's support life-cycle stage decides whether a private patch
 * can be offered: in full support for any problem; in limited support only
 * for critical and high-severity problems (severity 1–2); never at the end
 * of life. Returns FALSE with a translated reason in @reason (may be NULL)
 * when not. */
gboolean     sd_private_patch_can_be_offered    (SdLifecycleStage   stage,
                                                 int                severity,
                                                 char             **reason);

/* The service-request rules a stored case must keep (the server checks
 * them on create and update): a private patch with a patch id or a
 * delivery date must be one that can be offered. The error
 * (SD_ERROR_INVALID_VALUE) names "case.details.lifecycle_stage". */
gboolean     sd_service_request_check           (SdCase            *kase,
                                                 GError           **error);

G_END_DECLS
