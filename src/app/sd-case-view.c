/* sd-case-view.c
 *
 * The case, its timeline and its unresolved conflicts are read in a
 * worker thread; every action is a merge patch or an appended event in
 * the outbox, so it works offline and a conflicting edit by someone else
 * ends in the "Changes Not Sent" dialog, never in a silent overwrite.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-case-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-case-view-private.h"
#include "sd-application.h"
#include "sd-clock.h"
#include "sd-history-dialog.h"
#include "sd-reason-dialog.h"
#include "sd-sla-record-group.h"
#include "sd-sla-text.h"
#include "sd-window.h"


G_DEFINE_FINAL_TYPE (SdCaseView, sd_case_view, GTK_TYPE_WIDGET)

static gint64
now (void)
{
  return sd_clock_get_now (sd_clock_get_default ());
}

SdBoardCustomer *
_sd_case_view_get_customer (SdCaseView *self)
{
  if (self->kase == NULL || self->data == NULL)
    return NULL;
  return g_hash_table_lookup (self->data->customers, sd_case_get_customer_id (self->kase));
}

/* The customer's IANA zone, or NULL. */
const char *
_sd_case_view_customer_tz (SdCaseView *self)
{
  SdBoardCustomer *customer = _sd_case_view_get_customer (self);

  return customer ? sd_customer_get_time_zone (customer->customer) : NULL;
}

const char *
_sd_case_view_user_name (SdCaseView *self,
                         const char *id)
{
  SdUser *user = id && self->data ? g_hash_table_lookup (self->data->users, id) : NULL;

  return user ? sd_user_get_display_name (user) : id;
}

/* ------------------------------------------------------------- editing */

typedef struct {
  GtkWidget *view;  /* weak: the view may go before the store answers */
  char      *done;
} Edit;

static void
edited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Edit *edit = user_data;
  g_autoptr(GError) error = NULL;

  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0)
    {
      if (edit->view != NULL)
        gtk_widget_activate_action (edit->view, "win.toast", "s", error->message);
      else
        g_warning ("A change was not queued: %s", error->message);
    }
  else if (edit->done != NULL && edit->view != NULL)
    gtk_widget_activate_action (edit->view, "win.toast", "s", edit->done);
  g_clear_weak_pointer (&edit->view);
  g_free (edit->done);
  g_free (edit);
}

static void
enqueue_on (SdCaseView   *self,
            SdLocalStore *store,
            SdOutboxOp    op,
            const char   *kind,
            const char   *id,
            JsonNode     *payload,
            gint64        base_version,
            const char   *done)
{
  Edit *edit = g_new0 (Edit, 1);

  g_set_weak_pointer (&edit->view, GTK_WIDGET (self));
  edit->done = g_strdup (done);
  sd_local_store_enqueue_async (store, op, kind, id, payload, base_version, NULL, edited_cb, edit);
}

static void
enqueue (SdCaseView *self,
         SdOutboxOp  op,
         const char *kind,
         const char *id,
         JsonNode   *payload,
         const char *done)
{
  enqueue_on (self, self->store, op, kind, id, payload,
              op == SD_OUTBOX_OP_UPDATE ? sd_case_get_version (self->kase) : 0, done);
}

static void
patch_case (SdCaseView *self,
            JsonNode   *patch,
            const char *done)
{
  enqueue (self, SD_OUTBOX_OP_UPDATE, "case", sd_case_get_id (self->kase), patch, done);
}

void
_sd_case_view_append_event (SdCaseView  *self,
                            SdCaseEvent *event,
                            const char  *done)
{
  g_autoptr(JsonNode) node = sd_case_event_to_json (event);

  enqueue (self, SD_OUTBOX_OP_APPEND_EVENT, "case_event", sd_case_event_get_id (event), node, done);
}

/* The status row lists the SdCaseStatus values (an AdwEnumListModel)
 * by their labels. */
static char *
status_label_cb (gpointer     this_object,
                 SdCaseStatus status,
                 gpointer     user_data)
{
  return g_strdup (sd_case_status_get_label (status));
}

/* Shows the case's own status and severity again (after a cancelled
 * change). */
static void
reset_rows (SdCaseView *self)
{
  self->updating = TRUE;
  if (self->kase != NULL)
    {
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->status_row), sd_case_get_status (self->kase));
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->severity_row), sd_case_get_severity (self->kase) - 1);
    }
  self->updating = FALSE;
}

/* Sends @patch with the reason the dialog asked for; a cancelled dialog
 * leaves the case as it was. */
static void
reason_response_cb (SdReasonDialog *dialog,
                    const char     *response,
                    SdCaseView     *self)
{
  JsonNode *patch = g_object_get_data (G_OBJECT (dialog), "sd-patch");
  g_autofree char *reason = sd_reason_dialog_dup_reason (dialog);

  if (g_str_equal (response, SD_REASON_DIALOG_CONFIRM) && *reason != '\0' && self->kase != NULL)
    {
      json_object_set_string_member (json_node_get_object (patch), "reason", reason);
      patch_case (self, patch, NULL);
      return;
    }
  reset_rows (self);
}

/* Asks for the reason @patch needs before it is sent. */
static void
ask_reason (SdCaseView     *self,
            SdReasonDialog *dialog,
            JsonNode       *patch)
{
  g_object_set_data_full (G_OBJECT (dialog), "sd-patch", json_node_ref (patch), (GDestroyNotify) json_node_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reason_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
status_selected_cb (SdCaseView *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->status_row));
  SdBoardCustomer *customer = _sd_case_view_get_customer (self);
  g_autoptr(JsonNode) patch = NULL;

  if (self->updating || self->kase == NULL || selected == sd_case_get_status (self->kase))
    return;
  patch = sd_case_build_status_patch (sd_case_get_status (self->kase), selected, now ());
  /* A pause needs a reason. */
  if (customer != NULL && sd_sla_policy_is_pausing_status (customer->policy, selected))
    ask_reason (self, sd_reason_dialog_new_for_status (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                      sd_case_get_status (self->kase), selected),
                patch);
  else
    patch_case (self, patch, NULL);
}

static void
severity_selected_cb (SdCaseView *self)
{
  int severity = adw_combo_row_get_selected (ADW_COMBO_ROW (self->severity_row)) + 1;
  g_autoptr(JsonNode) patch = NULL;

  if (self->updating || self->kase == NULL || severity == sd_case_get_severity (self->kase))
    return;
  patch = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (patch, json_object_new ());
  json_object_set_int_member (json_node_get_object (patch), "severity", severity);
  ask_reason (self, sd_reason_dialog_new_for_severity (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                      sd_case_get_severity (self->kase), severity),
              patch);
}

static void
assignee_selected_cb (SdCaseView *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->assignee_row));
  g_autoptr(JsonNode) patch = NULL;
  SdUser *user;

  if (self->updating || self->kase == NULL || selected >= self->assignees->len)
    return;
  user = self->assignees->pdata[selected];
  if (g_strcmp0 (sd_user_get_id (user), sd_case_get_assignee_id (self->kase)) == 0)
    return;
  patch = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (patch, json_object_new ());
  json_object_set_string_member (json_node_get_object (patch), "assignee_id", sd_user_get_id (user));
  patch_case (self, patch, NULL);
}

/* Mark Responded stops the contract's clock, which cannot be restarted
 * on the server: the toast offers Undo first, and the change goes to the
 * outbox when the toast is gone (or the view is). */
struct _SdPendingResponse {
  SdLocalStore *store;    /* owned */
  char         *case_id;
  gint64        version;  /* the case's version when it was marked */
  gint64        at;       /* when it was marked */
  AdwToast     *toast;    /* owned */
};

static void
pending_response_free (SdPendingResponse *pending)
{
  g_clear_object (&pending->store);
  g_free (pending->case_id);
  g_clear_object (&pending->toast);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdPendingResponse, pending_response_free)

gboolean
_sd_case_view_response_pending (SdCaseView *self)
{
  return self->pending_response != NULL && self->kase != NULL
         && g_strcmp0 (self->pending_response->case_id, sd_case_get_id (self->kase)) == 0;
}

static void
update_respond_button (SdCaseView *self)
{
  gtk_widget_set_visible (self->respond_button,
                          self->kase != NULL && sd_case_get_responded_at (self->kase) == SD_TIME_NONE
                          && !_sd_case_view_response_pending (self));
}

/* Sends the pending response (@undo FALSE) or forgets it; @dismiss:
 * whether the toast is still to be taken away (the toast goes by itself
 * after its button). */
static void
settle_response (SdCaseView *self,
                 gboolean    undo,
                 gboolean    dismiss)
{
  g_autoptr(SdPendingResponse) pending = g_steal_pointer (&self->pending_response);

  if (pending == NULL)
    return;
  g_signal_handlers_disconnect_by_data (pending->toast, self);
  if (dismiss)
    adw_toast_dismiss (pending->toast);
  if (!undo)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) patch = NULL;

      json_builder_begin_object (builder);
      sd_json_builder_add_time (builder, "responded_at", pending->at);
      json_builder_end_object (builder);
      patch = json_builder_get_root (builder);
      enqueue_on (self, pending->store, SD_OUTBOX_OP_UPDATE, "case", pending->case_id, patch, pending->version, NULL);
    }
  update_respond_button (self);
}

static void
response_undone_cb (SdCaseView *self)
{
  settle_response (self, TRUE, FALSE);
}

static void
response_toast_dismissed_cb (SdCaseView *self)
{
  settle_response (self, FALSE, FALSE);
}

static void
respond_clicked_cb (SdCaseView *self)
{
  SdPendingResponse *pending;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->kase == NULL || _sd_case_view_response_pending (self))
    return;
  /* A response marked on another case before goes now. */
  settle_response (self, FALSE, TRUE);

  pending = g_new0 (SdPendingResponse, 1);
  pending->store = g_object_ref (self->store);
  pending->case_id = g_strdup (sd_case_get_id (self->kase));
  pending->version = sd_case_get_version (self->kase);
  pending->at = now ();
  pending->toast = adw_toast_new (_("Marked as responded"));
  adw_toast_set_button_label (pending->toast, _("_Undo"));
  g_signal_connect_swapped (pending->toast, "button-clicked", G_CALLBACK (response_undone_cb), self);
  g_signal_connect_swapped (pending->toast, "dismissed", G_CALLBACK (response_toast_dismissed_cb), self);
  self->pending_response = pending;
  update_respond_button (self);

  if (SD_IS_WINDOW (root))
    sd_window_add_toast (SD_WINDOW (root), pending->toast);
  else
    settle_response (self, FALSE, TRUE);
}

static void
daily_clicked_cb (SdCaseView *self)
{
  g_autoptr(SdCaseEvent) event = NULL;

  if (self->kase == NULL)
    return;
  event = sd_case_event_new_daily_report_sent (sd_case_get_id (self->kase), self->data ? self->data->me : NULL,
                                               now (), SD_REPORT_CHANNEL_EMAIL, NULL);
  _sd_case_view_append_event (self, event, _("Daily report logged as sent"));
}

void
sd_case_view_add_comment (SdCaseView *self,
                          const char *text)
{
  g_autofree char *body = g_strstrip (g_strdup (text));
  g_autoptr(SdCaseEvent) event = NULL;

  g_return_if_fail (SD_IS_CASE_VIEW (self));

  if (self->kase == NULL || *body == '\0')
    return;
  event = sd_case_event_new_comment_full (sd_case_get_id (self->kase), self->data ? self->data->me : NULL,
                                          now (), gtk_switch_get_active (GTK_SWITCH (self->comment_public)),
                                          body);
  _sd_case_view_append_event (self, event, NULL);
  /* Each comment starts internal again. */
  gtk_switch_set_active (GTK_SWITCH (self->comment_public), FALSE);
}

static void
comment_clicked_cb (SdCaseView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  sd_case_view_add_comment (self, text);
  gtk_text_buffer_set_text (buffer, "", 0);
}

static void
comment_changed_cb (SdCaseView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment));

  gtk_widget_set_sensitive (self->comment_button, gtk_text_buffer_get_char_count (buffer) > 0);
}

static gboolean
comment_key_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SdCaseView            *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && (state & GDK_CONTROL_MASK))
    {
      comment_clicked_cb (self);
      return TRUE;
    }
  return FALSE;
}

/* ------------------------------------------------------------- history */

/* The audit log is for admins and duty managers (GET /audit). */
static gboolean
may_read_history (SdCaseView *self)
{
  SdUser *me = self->data && self->data->me ? g_hash_table_lookup (self->data->users, self->data->me) : NULL;

  return me != NULL && (sd_user_get_role (me) == SD_ROLE_ADMIN || sd_user_get_role (me) == SD_ROLE_DUTY_MANAGER);
}

static void
update_history_action (SdCaseView *self)
{
  gboolean allowed = self->kase != NULL && may_read_history (self);

  gtk_widget_set_visible (self->history_button, allowed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.history", allowed);
}

static void
history_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdCaseView *self = SD_CASE_VIEW (widget);
  GApplication *app = g_application_get_default ();
  SdAccount *account = SD_IS_APPLICATION (app) ? sd_application_get_account (SD_APPLICATION (app)) : NULL;
  SdHistoryDialog *dialog;

  if (self->kase == NULL || !may_read_history (self))
    return;
  dialog = sd_history_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                  account && !sd_account_is_local (account) ? sd_account_get_client (account) : NULL,
                                  self->data, sd_case_get_id (self->kase),
                                  sd_case_get_number (self->kase) ? sd_case_get_number (self->kase)
                                                                  : sd_case_get_title (self->kase));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------- showing */

static void
update_clocks (SdCaseView *self)
{
  SdBoardCustomer *customer = _sd_case_view_get_customer (self);
  const char *tz = customer ? sd_customer_get_time_zone (customer->customer) : NULL;
  SdSlaResult result;
  g_autofree char *chip = NULL;
  g_autofree char *due_there = NULL;
  g_autofree char *due = NULL;
  g_autofree char *note = NULL;
  const char *icon, *css;

  if (self->kase == NULL || customer == NULL)
    return;
  sd_sla_compute (&self->input, customer->policy, customer->calendar, now (), &result);
  sd_sla_ledger_apply_closed (self->sla_record, &result);

  chip = sd_sla_clock_describe (&result.response, FALSE, now (), &icon, &css);
  due_there = sd_format_customer_time (result.response.due, tz);
  /* Translators: when the response is due, e.g. "Due Sat 5 Dec 2026, 10:00 Beijing time" */
  due = g_strdup_printf (_("Due %s"), due_there);
  /* A due time that rests on holidays not yet published says so. */
  if ((note = sd_sla_clock_provisional_note (&result.response)) != NULL)
    {
      g_autofree char *with_note = g_strconcat (due, "\n", note, NULL);

      g_free (due);
      due = g_steal_pointer (&with_note);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->response_row), due);
  gtk_widget_set_tooltip_text (self->response_chip, note);
  gtk_label_set_label (GTK_LABEL (self->response_chip), chip);
  gtk_widget_set_css_classes (self->response_chip, (const char *[]) { "sla-chip", css, NULL });
  update_respond_button (self);

  /* The record: derived now, with the breaches the server has on record. */
  {
    g_autoptr(GArray) ledger = sd_sla_ledger_derive (self->kase, self->events, customer->policy, customer->calendar,
                                                     sd_customer_get_tier (customer->customer), now ());

    sd_sla_ledger_keep (ledger, self->sla_record);
    sd_sla_record_group_set_periods (SD_SLA_RECORD_GROUP (self->record_group), ledger, tz);
  }

  gtk_widget_set_visible (self->daily_row, result.has_daily_report);
  if (result.has_daily_report)
    {
      g_autofree char *daily = sd_sla_clock_describe (&result.daily_report, TRUE, now (), NULL, NULL);
      g_autofree char *when_there = sd_format_customer_time (result.daily_report.due, tz);
      g_autofree char *when = g_strdup_printf (_("Due %s"), when_there);
      g_autofree char *text = g_strconcat (when, " · ", daily, NULL);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->daily_row), text);
    }
}

static char *
describe_event (SdCaseView  *self,
                SdCaseEvent *event,
                const char **icon)
{
  switch (sd_case_event_get_kind (event))
    {
    case SD_EVENT_COMMENT:
      *icon = sd_case_event_is_public (event) ? "changes-allow-symbolic" : "changes-prevent-symbolic";
      return g_strdup (sd_case_event_get_body (event));
    case SD_EVENT_STATUS_CHANGE:
      *icon = "view-list-bullet-symbolic";
      if (sd_case_event_get_body (event) != NULL && *sd_case_event_get_body (event) != '\0')
        /* Translators: a status change on the timeline, with its reason */
        return g_strdup_printf (_("Status: %s → %s — %s"),
                                sd_case_status_get_label (sd_case_event_get_status_from (event)),
                                sd_case_status_get_label (sd_case_event_get_status_to (event)),
                                sd_case_event_get_body (event));
      /* Translators: a status change on the timeline */
      return g_strdup_printf (_("Status: %s → %s"),
                              sd_case_status_get_label (sd_case_event_get_status_from (event)),
                              sd_case_status_get_label (sd_case_event_get_status_to (event)));
    case SD_EVENT_SEVERITY_CHANGE:
      {
        g_autofree char *from = sd_severity_pill_text (sd_case_event_get_severity_from (event));
        g_autofree char *to = sd_severity_pill_text (sd_case_event_get_severity_to (event));

        *icon = "dialog-warning-symbolic";
        /* Translators: a severity change on the timeline, with its reason */
        return g_strdup_printf (_("Severity: %s → %s — %s"), from, to,
                                sd_case_event_get_reason (event) ? sd_case_event_get_reason (event) : "");
      }
    case SD_EVENT_REPORT_TIME_CHANGE:
      {
        g_autofree char *from = sd_format_customer_time (sd_case_event_get_report_time_from (event), _sd_case_view_customer_tz (self));
        g_autofree char *to = sd_format_customer_time (sd_case_event_get_report_time_to (event), _sd_case_view_customer_tz (self));

        *icon = "document-edit-symbolic";
        /* Translators: a correction of the case's report time on the timeline, with its reason */
        return g_strdup_printf (_("Report time changed from %s to %s: %s"), from, to,
                                sd_case_event_get_reason (event) ? sd_case_event_get_reason (event) : "");
      }
    case SD_EVENT_RESPONSE_GIVEN:
      *icon = "emblem-ok-symbolic";
      return g_strdup (_("Responded"));
    case SD_EVENT_DAILY_REPORT_SENT:
      *icon = "mail-send-symbolic";
      return g_strdup (sd_case_event_get_channel (event) == SD_REPORT_CHANNEL_PHONE
                       ? _("Daily report given by phone") : _("Daily report sent by e-mail"));
    case SD_EVENT_PROGRESS_STEP:
    default:
      *icon = "object-select-symbolic";
      /* Translators: a progress step on the timeline, e.g. "Progress: fast_update_released" */
      return g_strdup_printf (_("Progress: %s"), sd_case_event_get_step (event));
    }
}

/* "12 Mar 10:05 · Li Na · entered 3 h later": when, who, and for an entry
 * the server received long after the time it states (offline work), how
 * much later, in words rather than by colour alone. */
static char *
describe_event_time (SdCaseView  *self,
                     SdCaseEvent *event)
{
  g_autofree char *when = sd_format_customer_time (sd_case_event_get_at (event), _sd_case_view_customer_tz (self));
  g_autoptr(GString) text = g_string_new (when);

  if (sd_case_event_get_author_id (event) != NULL)
    g_string_append_printf (text, " · %s", _sd_case_view_user_name (self, sd_case_event_get_author_id (event)));
  /* Who may read a comment, in words beside the icon. */
  if (sd_case_event_get_kind (event) == SD_EVENT_COMMENT)
    g_string_append_printf (text, " · %s", sd_case_event_is_public (event)
                                           ? _("Visible to customer") : _("Internal"));
  if (sd_case_event_is_backdated (event))
    {
      g_autofree char *delay = sd_format_duration (sd_case_event_get_recorded_at (event)
                                                   - sd_case_event_get_at (event));

      g_string_append (text, " · ");
      /* Translators: a backdated timeline entry: the server received it this long after the time it states, e.g. "entered 3 h later" */
      g_string_append_printf (text, _("entered %s later"), delay);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fill_timeline (SdCaseView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->timeline)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->timeline), child);
  for (guint i = self->events->len; i > 0; i--)
    {
      SdCaseEvent *event = self->events->pdata[i - 1];
      GtkWidget *row = adw_action_row_new ();
      const char *icon = NULL;
      g_autofree char *text = describe_event (self, event, &icon);
      g_autofree char *subtitle = describe_event_time (self, event);
      g_autofree char *markup = g_markup_escape_text (text ? text : "", -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), markup);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_append (GTK_LIST_BOX (self->timeline), row);
    }
  if (self->events->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Nothing on the timeline yet"));
      gtk_list_box_append (GTK_LIST_BOX (self->timeline), row);
    }
}

static int
compare_user_names (gconstpointer a,
                    gconstpointer b)
{
  return g_utf8_collate (sd_user_get_display_name (*(SdUser **) a), sd_user_get_display_name (*(SdUser **) b));
}

static void
fill_assignees (SdCaseView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GHashTableIter iter;
  gpointer value;
  guint selected = GTK_INVALID_LIST_POSITION;

  g_ptr_array_set_size (self->assignees, 0);
  if (self->data != NULL)
    {
      g_hash_table_iter_init (&iter, self->data->users);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (sd_user_get_role (value) != SD_ROLE_ADMIN)
          g_ptr_array_add (self->assignees, value);
    }
  g_ptr_array_sort (self->assignees, compare_user_names);
  for (guint i = 0; i < self->assignees->len; i++)
    {
      gtk_string_list_append (names, sd_user_get_display_name (self->assignees->pdata[i]));
      if (g_strcmp0 (sd_user_get_id (self->assignees->pdata[i]), sd_case_get_assignee_id (self->kase)) == 0)
        selected = i;
    }
  adw_combo_row_set_model (ADW_COMBO_ROW (self->assignee_row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->assignee_row), selected);
  gtk_widget_set_sensitive (self->assignee_row, self->assignees->len > 0);
}

static void
fill (SdCaseView *self)
{
  g_autofree char *pill = sd_severity_pill_text (sd_case_get_severity (self->kase));
  g_autofree char *subtitle = NULL;
  SdBoardCustomer *customer = _sd_case_view_get_customer (self);
  static const char * const severity_classes[] = { NULL, "severity-1", "severity-2", "severity-3", "severity-4" };

  self->updating = TRUE;
  gtk_label_set_label (GTK_LABEL (self->title), sd_case_get_title (self->kase));
  subtitle = g_strdup_printf ("%s · %s", sd_case_get_number (self->kase) ? sd_case_get_number (self->kase)
                                                                         : _("Not sent yet"),
                              customer ? sd_customer_get_name (customer->customer) : "");
  gtk_label_set_label (GTK_LABEL (self->subtitle), subtitle);
  gtk_label_set_label (GTK_LABEL (self->severity), pill);
  for (guint i = 1; i < G_N_ELEMENTS (severity_classes); i++)
    gtk_widget_remove_css_class (self->severity, severity_classes[i]);
  gtk_widget_add_css_class (self->severity, severity_classes[CLAMP (sd_case_get_severity (self->kase), 1, 4)]);

  adw_combo_row_set_selected (ADW_COMBO_ROW (self->status_row), sd_case_get_status (self->kase));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->severity_row), sd_case_get_severity (self->kase) - 1);
  fill_assignees (self);
  self->updating = FALSE;
  update_history_action (self);

  gtk_widget_set_visible (self->banner, self->n_conflicts > 0);
  _sd_case_view_fill_progress (self);
  _sd_case_view_fill_details (self);
  fill_timeline (self);
  update_clocks (self);
}

typedef struct {
  char      *id;
  JsonNode  *body;
  JsonNode  *record;  /* the case's SLA record, NULL before the first sync */
  GPtrArray *events;
  guint      n_conflicts;
} LoadData;

static void
load_data_free (LoadData *load)
{
  g_free (load->id);
  g_clear_pointer (&load->body, json_node_unref);
  g_clear_pointer (&load->record, json_node_unref);
  g_clear_pointer (&load->events, g_ptr_array_unref);
  g_free (load);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *load = task_data;
  g_autoptr(GPtrArray) conflicts = NULL;
  GError *error = NULL;

  if (!(load->body = sd_local_store_get (source_object, "case", load->id, &error))
      && error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!(load->record = sd_local_store_get (source_object, "sla_record", load->id, &error))
      && error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!(load->events = sd_local_store_list_events (source_object, load->id, &error))
      || !(conflicts = sd_local_store_list_conflicts (source_object, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < conflicts->len; i++)
    if (g_strcmp0 (((SdOutboxEntry *) conflicts->pdata[i])->id, load->id) == 0)
      load->n_conflicts++;
  g_task_return_boolean (task, TRUE);
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  gint64 at_a = sd_case_event_get_at (*(SdCaseEvent **) a);
  gint64 at_b = sd_case_event_get_at (*(SdCaseEvent **) b);

  return (at_a > at_b) - (at_a < at_b);
}

/* The loaded case with the customers and users of the current data. */
static void
show_case (SdCaseView *self)
{
  SdBoardCustomer *customer = _sd_case_view_get_customer (self);

  if (customer != NULL)
    sd_case_build_sla_input (self->kase, self->events, customer->policy,
                             sd_customer_get_tier (customer->customer), &self->input, self->pauses);
  gtk_widget_set_visible (self->page, TRUE);
  fill (self);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdCaseView) self = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *load = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
      return;
    }
  if (g_strcmp0 (load->id, self->id) != 0)
    return;
  g_clear_object (&self->kase);
  if (load->body == NULL || !(self->kase = sd_case_from_json (load->body, NULL, &error)))
    {
      gtk_widget_set_visible (self->page, FALSE);
      return;
    }
  g_ptr_array_set_size (self->events, 0);
  for (guint i = 0; i < load->events->len; i++)
    {
      SdCaseEvent *event = sd_case_event_from_json (load->events->pdata[i], NULL, NULL);

      if (event != NULL)
        g_ptr_array_add (self->events, event);
    }
  g_ptr_array_sort (self->events, compare_events);
  self->n_conflicts = load->n_conflicts;
  g_clear_pointer (&self->sla_record, g_array_unref);
  if (load->record != NULL)
    {
      g_autoptr(SdSlaRecord) record = sd_sla_record_from_json (load->record, NULL, NULL);

      if (record != NULL)
        self->sla_record = g_array_ref (sd_sla_record_get_periods (record));
    }
  show_case (self);
  self->loaded = TRUE;
}

static void
reload (SdCaseView *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  if (self->store == NULL || self->id == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;
  load = g_new0 (LoadData, 1);
  load->id = g_strdup (self->id);
  task = g_task_new (self->store, self->cancellable, loaded_cb, g_object_ref (self));
  g_task_set_task_data (task, load, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

void
sd_case_view_show (SdCaseView   *self,
                   SdLocalStore *store,
                   SdBoardData  *data,
                   const char   *id)
{
  gboolean shown;

  g_return_if_fail (SD_IS_CASE_VIEW (self));

  /* The case on screen with new board data: the store's "changed" already
   * reloads the case itself, only the customers and users are new. */
  shown = self->store == store && g_strcmp0 (self->id, id) == 0 && self->kase != NULL;
  if (g_set_object (&self->store, store))
    g_signal_group_set_target (self->store_signals, store);
  if (data != self->data)
    {
      g_clear_pointer (&self->data, sd_board_data_unref);
      self->data = data ? sd_board_data_ref (data) : NULL;
    }
  if (g_strcmp0 (self->id, id) != 0)
    {
      g_free (self->id);
      self->id = g_strdup (id);
      g_clear_object (&self->kase);
      gtk_widget_set_visible (self->page, FALSE);
    }
  if (shown)
    show_case (self);
  else
    reload (self);
}

const char *
sd_case_view_get_case_id (SdCaseView *self)
{
  return self->id;
}

gboolean
sd_case_view_is_loaded (SdCaseView *self)
{
  return self->loaded;
}

guint
sd_case_view_get_n_events (SdCaseView *self)
{
  return self->events->len;
}

/* ----------------------------------------------------------- lifecycle */

static void
sd_case_view_dispose (GObject *object)
{
  SdCaseView *self = SD_CASE_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  settle_response (self, FALSE, TRUE);
  g_clear_object (&self->store_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CASE_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->kase);
  g_clear_pointer (&self->data, sd_board_data_unref);

  G_OBJECT_CLASS (sd_case_view_parent_class)->dispose (object);
}

static void
sd_case_view_finalize (GObject *object)
{
  SdCaseView *self = SD_CASE_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->sla_record, g_array_unref);
  g_clear_pointer (&self->pauses, g_array_unref);
  g_clear_pointer (&self->assignees, g_ptr_array_unref);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);
  g_clear_pointer (&self->progress_rows, g_ptr_array_unref);
  g_free (self->id);

  G_OBJECT_CLASS (sd_case_view_parent_class)->finalize (object);
}

static void
sd_case_view_class_init (SdCaseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_case_view_dispose;
  object_class->finalize = sd_case_view_finalize;

  g_type_ensure (SD_TYPE_CASE_STATUS);
  g_type_ensure (SD_TYPE_SLA_RECORD_GROUP);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "caseview");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-case-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, page);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, title);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, subtitle);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, severity);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, history_button);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, banner);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, status_row);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, severity_row);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, assignee_row);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, response_row);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, response_chip);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, respond_button);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, daily_row);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, record_group);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, progress_group);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, details_group);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, description);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, timeline);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, comment);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, comment_button);
  gtk_widget_class_bind_template_child (widget_class, SdCaseView, comment_public);
  gtk_widget_class_bind_template_callback (widget_class, status_label_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, severity_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, assignee_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, respond_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, daily_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, comment_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, comment_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, comment_key_cb);
  gtk_widget_class_install_action (widget_class, "case.history", NULL, history_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "case.history", NULL);
}

static void
sd_case_view_init (SdCaseView *self)
{
  g_auto(GStrv) pills = sd_severity_pill_texts ();
  g_autoptr(GtkStringList) severities = gtk_string_list_new ((const char * const *) pills);

  self->events = g_ptr_array_new_with_free_func (g_object_unref);
  self->pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  self->assignees = g_ptr_array_new ();
  self->detail_rows = g_ptr_array_new ();
  self->progress_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (ADW_COMBO_ROW (self->severity_row), G_LIST_MODEL (severities));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case.history", FALSE);

  self->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (sd_clock_get_default (), "tick", G_CALLBACK (update_clocks), self, G_CONNECT_SWAPPED);
}

GtkWidget *
sd_case_view_new (void)
{
  return g_object_new (SD_TYPE_CASE_VIEW, NULL);
}
