/* sd-case-view-private.h — what the files of the case view share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-case-view.h"

G_BEGIN_DECLS

typedef struct _SdPendingResponse SdPendingResponse;

struct _SdCaseView
{
  GtkWidget parent_instance;

  SdLocalStore *store;
  GSignalGroup *store_signals;  /* the store's "changed" */
  SdBoardData  *data;
  char         *id;
  GCancellable *cancellable;
  gboolean      loaded;
  gboolean      updating;  /* filling the combo rows: not an edit */

  SdCase       *kase;
  GPtrArray    *events;    /* SdCaseEvent by time */
  SdSlaInput    input;
  GArray       *pauses;
  GPtrArray    *assignees; /* SdUser, as in the assignee row */
  guint         n_conflicts;
  GArray       *sla_record; /* SdSlaPeriod: the server's record, NULL before the first sync */
  GPtrArray    *progress_rows;  /* the rows added to progress_group */
  GPtrArray    *detail_rows;    /* the rows added to details_group */
  SdPendingResponse *pending_response;  /* owned: Mark Responded, while it can be undone */

  /* template children */
  GtkWidget     *page;
  GtkWidget     *title;
  GtkWidget     *subtitle;
  GtkWidget     *severity;
  GtkWidget     *history_button;
  GtkWidget     *banner;
  GtkWidget     *status_row;
  GtkWidget     *severity_row;
  GtkWidget     *assignee_row;
  GtkWidget     *response_row;
  GtkWidget     *response_chip;
  GtkWidget     *respond_button;
  GtkWidget     *daily_row;
  GtkWidget     *record_group;
  GtkWidget     *progress_group;
  GtkWidget     *details_group;
  GtkWidget     *description;
  GtkWidget     *timeline;
  GtkWidget     *comment;
  GtkWidget     *comment_button;
  GtkWidget     *comment_public;
};

/* The customer of the case on screen, or NULL. */
SdBoardCustomer *_sd_case_view_get_customer  (SdCaseView  *self);
/* The IANA zone of the customer of the case on screen, or NULL. */
const char      *_sd_case_view_customer_tz   (SdCaseView  *self);
/* A user's display name (the id when the user is unknown). */
const char      *_sd_case_view_user_name     (SdCaseView  *self,
                                              const char  *id);
/* Appends @event to the case through the outbox; @done is toasted once
 * it is there (NULL: nothing). */
void             _sd_case_view_append_event  (SdCaseView  *self,
                                              SdCaseEvent *event,
                                              const char  *done);
/* Whether the case on screen was marked responded and the toast still
 * offers Undo. */
gboolean         _sd_case_view_response_pending (SdCaseView *self);
/* sd-case-view-request.c */
void             _sd_case_view_fill_details  (SdCaseView  *self);
void             _sd_case_view_fill_progress (SdCaseView  *self);

G_END_DECLS
