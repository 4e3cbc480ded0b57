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

#include "sd-case-view.h"
#include "sd-clock.h"
#include "sd-sla-text.h"

struct _SdCaseView
{
  GtkWidget parent_instance;

  SdLocalStore *store;
  SdBoardData  *data;
  char         *id;
  gulong        changed_handler;
  GCancellable *cancellable;
  gboolean      loaded;
  gboolean      updating;  /* filling the combo rows: not an edit */

  SdCase       *kase;
  GPtrArray    *events;    /* SdCaseEvent by time */
  SdSlaInput    input;
  GArray       *pauses;
  GPtrArray    *assignees; /* SdUser, as in the assignee row */
  guint         n_conflicts;

  GtkWidget     *page;
  GtkWidget     *title;
  GtkWidget     *subtitle;
  GtkWidget     *severity;
  GtkWidget     *banner;
  GtkWidget     *status_row;
  GtkWidget     *severity_row;
  GtkWidget     *assignee_row;
  GtkWidget     *response_row;
  GtkWidget     *response_chip;
  GtkWidget     *respond_button;
  GtkWidget     *daily_row;
  GtkWidget     *daily_button;
  GtkWidget     *progress_group;
  GPtrArray     *progress_rows;
  GtkWidget     *details_group;
  GPtrArray     *detail_rows;
  GtkWidget     *description;
  GtkWidget     *timeline;
  GtkWidget     *comment;
  GtkWidget     *comment_button;
};

G_DEFINE_FINAL_TYPE (SdCaseView, sd_case_view, GTK_TYPE_WIDGET)

static gint64
now (void)
{
  return sd_clock_get_now (sd_clock_get_default ());
}

static SdBoardCustomer *
customer_of (SdCaseView *self)
{
  if (self->kase == NULL || self->data == NULL)
    return NULL;
  return g_hash_table_lookup (self->data->customers, sd_case_get_customer_id (self->kase));
}

static const char *
user_name (SdCaseView *self,
           const char *id)
{
  SdUser *user = id && self->data ? g_hash_table_lookup (self->data->users, id) : NULL;

  return user ? sd_user_get_display_name (user) : id;
}

/* ------------------------------------------------------------- editing */

typedef struct {
  SdCaseView *view;
  char       *done;
} Edit;

static void
edited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Edit *edit = user_data;
  g_autoptr(GError) error = NULL;

  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0)
    gtk_widget_activate_action (GTK_WIDGET (edit->view), "win.toast", "s", error->message);
  else if (edit->done != NULL)
    gtk_widget_activate_action (GTK_WIDGET (edit->view), "win.toast", "s", edit->done);
  g_object_unref (edit->view);
  g_free (edit->done);
  g_free (edit);
}

static void
enqueue (SdCaseView *self,
         SdOutboxOp  op,
         const char *kind,
         const char *id,
         JsonNode   *payload,
         const char *done)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->view = g_object_ref (self);
  edit->done = g_strdup (done);
  sd_local_store_enqueue_async (self->store, op, kind, id, payload,
                                op == SD_OUTBOX_OP_UPDATE ? sd_case_get_version (self->kase) : 0,
                                NULL, edited_cb, edit);
}

static void
patch_case (SdCaseView *self,
            JsonNode   *patch,
            const char *done)
{
  enqueue (self, SD_OUTBOX_OP_UPDATE, "case", sd_case_get_id (self->kase), patch, done);
}

static void
append_event (SdCaseView  *self,
              SdCaseEvent *event,
              const char  *done)
{
  g_autoptr(JsonNode) node = sd_case_event_to_json (event);

  enqueue (self, SD_OUTBOX_OP_APPEND_EVENT, "case_event", sd_case_event_get_id (event), node, done);
}

static void
status_selected_cb (SdCaseView *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->status_row));
  g_autoptr(JsonNode) patch = NULL;

  if (self->updating || self->kase == NULL || selected == sd_case_get_status (self->kase))
    return;
  patch = sd_case_build_status_patch (sd_case_get_status (self->kase), selected, now ());
  patch_case (self, patch, NULL);
}

static void
severity_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      SdCaseView       *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  int severity = adw_combo_row_get_selected (ADW_COMBO_ROW (self->severity_row)) + 1;

  if (g_str_equal (response, "change") && *reason != '\0' && self->kase != NULL)
    {
      g_autoptr(JsonNode) patch = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (patch, json_object_new ());
      json_object_set_int_member (json_node_get_object (patch), "severity", severity);
      json_object_set_string_member (json_node_get_object (patch), "reason", reason);
      patch_case (self, patch, NULL);
      return;
    }
  /* Cancelled: the row shows the case's severity again. */
  self->updating = TRUE;
  if (self->kase != NULL)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->severity_row), sd_case_get_severity (self->kase) - 1);
  self->updating = FALSE;
}

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "change", *reason != '\0');
}

static void
severity_selected_cb (SdCaseView *self)
{
  int severity = adw_combo_row_get_selected (ADW_COMBO_ROW (self->severity_row)) + 1;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog, *entry;

  if (self->updating || self->kase == NULL || severity == sd_case_get_severity (self->kase))
    return;
  from = sd_severity_pill_text (sd_case_get_severity (self->kase));
  to = sd_severity_pill_text (severity);
  /* Translators: the severity changes from one level to another */
  body = g_strdup_printf (_("From %s to %s. The reason goes on the case’s timeline."), from, to);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Change Severity?"), body);
  entry = gtk_entry_new ();
  g_object_set (entry, "placeholder-text", _("Why the severity changes"), "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "change", _("C_hange Severity"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "change", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "change", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "change");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (severity_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
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

static void
respond_clicked_cb (SdCaseView *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) patch = NULL;

  if (self->kase == NULL)
    return;
  json_builder_begin_object (builder);
  sd_json_builder_add_time (builder, "responded_at", now ());
  json_builder_end_object (builder);
  patch = json_builder_get_root (builder);
  patch_case (self, patch, _("Marked as responded"));
}

static void
daily_clicked_cb (SdCaseView *self)
{
  g_autoptr(SdCaseEvent) event = NULL;

  if (self->kase == NULL)
    return;
  event = sd_case_event_new_daily_report_sent (sd_case_get_id (self->kase), self->data ? self->data->me : NULL,
                                               now (), SD_REPORT_CHANNEL_EMAIL, NULL);
  append_event (self, event, _("Daily report logged as sent"));
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
  event = sd_case_event_new_comment (sd_case_get_id (self->kase), self->data ? self->data->me : NULL,
                                     now (), body);
  append_event (self, event, NULL);
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

/* ------------------------------------------------------------- showing */

static void
update_clocks (SdCaseView *self)
{
  SdBoardCustomer *customer = customer_of (self);
  const char *tz = customer ? sd_customer_get_time_zone (customer->customer) : NULL;
  SdSlaResult result;
  g_autofree char *chip = NULL;
  g_autofree char *due_there = NULL;
  g_autofree char *due_here = NULL;
  g_autofree char *due = NULL;
  const char *icon, *css;

  if (self->kase == NULL || customer == NULL)
    return;
  sd_sla_compute (&self->input, customer->policy, customer->calendar, now (), &result);

  chip = sd_sla_clock_describe (&result.response, FALSE, now (), &icon, &css);
  due_there = sd_format_date_time (result.response.due, tz);
  due_here = sd_format_date_time (result.response.due, NULL);
  /* Translators: the response due time in the customer's time zone, then in the user's own */
  due = g_strdup_printf (_("Due %s (%s) · %s your time"), due_there, tz, due_here);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->response_row), due);
  gtk_label_set_label (GTK_LABEL (self->response_chip), chip);
  gtk_widget_set_css_classes (self->response_chip, (const char *[]) { "sla-chip", css, NULL });
  gtk_widget_set_visible (self->respond_button, sd_case_get_responded_at (self->kase) == SD_TIME_NONE);

  gtk_widget_set_visible (self->daily_row, result.has_daily_report);
  if (result.has_daily_report)
    {
      g_autofree char *daily = sd_sla_clock_describe (&result.daily_report, TRUE, now (), NULL, NULL);
      g_autofree char *when_there = sd_format_date_time (result.daily_report.due, tz);
      g_autofree char *when_here = sd_format_date_time (result.daily_report.due, NULL);
      g_autofree char *when = g_strdup_printf (_("Due %s (%s) · %s your time"), when_there, tz, when_here);
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
      *icon = "mail-unread-symbolic";
      return g_strdup (sd_case_event_get_body (event));
    case SD_EVENT_STATUS_CHANGE:
      *icon = "view-list-bullet-symbolic";
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
      g_autofree char *when = sd_format_date_time (sd_case_event_get_at (event), NULL);
      g_autofree char *subtitle = sd_case_event_get_author_id (event)
        ? g_strdup_printf ("%s · %s", when, user_name (self, sd_case_event_get_author_id (event)))
        : g_strdup (when);
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

static const char *
detail_label (const char *key)
{
  static const struct { const char *key; const char *label; } labels[] = {
    { "requested_change", N_("Requested change") },
    { "object_ref", N_("Object") },
    { "hash", N_("Hash") },
    { "detection_name", N_("Detection name") },
    { "outcome", N_("Outcome") },
    { "database_version", N_("Database version") },
    { "product", N_("Product") },
    { "product_version", N_("Product version") },
    { "lifecycle_stage", N_("Life-cycle stage") },
    { "problem", N_("Problem") },
    { "patch_id", N_("Patch") },
    { "delivered_on", N_("Delivered on") },
    { "reason", N_("Reason") },
    { "threat", N_("Threat") },
    { "urgency", N_("Urgency") },
    { "released_at", N_("Released") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].key, key))
      return _(labels[i].label);
  return key;
}

static void
add_detail (SdCaseView *self,
            const char *title,
            const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *markup = g_markup_escape_text (value ? value : "—", -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), markup);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->details_group), row);
  g_ptr_array_add (self->detail_rows, row);
}

static void
fill_details (SdCaseView *self)
{
  SdBoardCustomer *customer = customer_of (self);
  const char *tz = customer ? sd_customer_get_time_zone (customer->customer) : NULL;
  g_autofree char *reported = sd_format_date_time (sd_case_get_reported_at (self->kase), tz);
  g_autofree char *reported_line = NULL;
  GObject *details = sd_case_get_details (self->kase);

  for (guint i = 0; i < self->detail_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->details_group), self->detail_rows->pdata[i]);
  g_ptr_array_set_size (self->detail_rows, 0);

  add_detail (self, _("Customer"), customer ? sd_customer_get_name (customer->customer) : sd_case_get_customer_id (self->kase));
  if (customer != NULL)
    add_detail (self, _("Contract"), sd_tier_get_label (sd_customer_get_tier (customer->customer)));
  add_detail (self, _("Type"), sd_case_type_get_label (sd_case_get_case_type (self->kase)));
  /* Translators: how and when a case was reported, e.g. "Phone · Tue 1 Dec 2026, 09:12" */
  reported_line = g_strdup_printf (_("%s · %s (%s)"), sd_reported_via_get_label (sd_case_get_reported_via (self->kase)),
                                   reported, tz ? tz : "");
  add_detail (self, _("Reported"), reported_line);
  if (customer != NULL && customer->cover_name != NULL)
    add_detail (self, _("Covered by"), customer->cover_name);

  if (details != NULL)
    {
      JsonNode *node = NULL;
      JsonObject *object;
      g_autoptr(JsonNode) whole = sd_case_to_json (self->kase);

      object = json_node_get_object (whole);
      node = json_object_get_member (object, "details");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autoptr(GList) members = json_object_get_members (json_node_get_object (node));

          for (GList *l = members; l != NULL; l = l->next)
            {
              JsonNode *value = json_object_get_member (json_node_get_object (node), l->data);
              g_autofree char *text = NULL;

              if (JSON_NODE_HOLDS_NULL (value))
                continue;
              text = JSON_NODE_TYPE (value) == JSON_NODE_VALUE && json_node_get_value_type (value) == G_TYPE_STRING
                     ? g_strdup (json_node_get_string (value)) : json_to_string (value, FALSE);
              add_detail (self, detail_label (l->data), text);
            }
        }
    }
  gtk_label_set_label (GTK_LABEL (self->description),
                       sd_case_get_description (self->kase) && *sd_case_get_description (self->kase)
                       ? sd_case_get_description (self->kase) : _("No description."));
}

static void
record_step_clicked_cb (GtkButton  *button,
                        SdCaseView *self)
{
  /* "step" holds the step + 1, so that none is NULL. */
  SdReleaseStep step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "step")) - 1;
  g_autoptr(SdCaseEvent) event = NULL;

  if (self->kase == NULL)
    return;
  event = sd_database_release_new_step_event (sd_case_get_id (self->kase), self->data ? self->data->me : NULL,
                                              now (), step, NULL);
  append_event (self, event, sd_release_step_get_label (step));
}

static void
copy_notification_clicked_cb (SdCaseView *self)
{
  SdBoardCustomer *customer = customer_of (self);
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *text = NULL;

  if (self->kase == NULL || customer == NULL)
    return;
  tz = g_time_zone_new_identifier (sd_customer_get_time_zone (customer->customer));
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  text = sd_service_request_notification (self->kase, self->events, tz,
                                          sd_customer_get_report_language (customer->customer));
  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("The customer notification is on the clipboard"));
}

static void
add_progress_row (SdCaseView *self,
                  GtkWidget  *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->progress_group), row);
  g_ptr_array_add (self->progress_rows, row);
}

/* The request's own progress: the contract's three steps of a database
 * release, whether a private patch may be offered, and the text that
 * tells the customer where things stand. */
static void
fill_progress (SdCaseView *self)
{
  SdCaseType type = sd_case_get_case_type (self->kase);
  GObject *details = sd_case_get_details (self->kase);
  GtkWidget *row, *button;

  for (guint i = 0; i < self->progress_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->progress_group), self->progress_rows->pdata[i]);
  g_ptr_array_set_size (self->progress_rows, 0);
  gtk_widget_set_visible (self->progress_group, type == SD_CASE_TYPE_DATABASE_RELEASE
                                                || type == SD_CASE_TYPE_PRIVATE_PATCH
                                                || type == SD_CASE_TYPE_SIGNATURE_CHANGE);
  if (type == SD_CASE_TYPE_DATABASE_RELEASE)
    {
      SdReleaseStepState states[SD_N_RELEASE_STEPS];
      int next = sd_database_release_next_step (self->kase, self->events);

      sd_database_release_get_steps (self->kase, self->events, states);
      for (SdReleaseStep step = 0; step < SD_N_RELEASE_STEPS; step++)
        {
          g_autofree char *subtitle = NULL;

          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sd_release_step_get_label (step));
          if (states[step].done)
            {
              g_autofree char *when = sd_format_date_time (states[step].at, NULL);

              subtitle = states[step].author_id
                ? g_strdup_printf ("%s · %s", when, user_name (self, states[step].author_id))
                : g_strdup (when);
            }
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : _("Not yet"));
          adw_action_row_set_icon_name (ADW_ACTION_ROW (row), states[step].done ? "emblem-ok-symbolic"
                                                                                 : "content-loading-symbolic");
          if ((int) step == next)
            {
              button = gtk_button_new_with_mnemonic (_("_Record"));
              gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
              g_object_set_data (G_OBJECT (button), "step", GINT_TO_POINTER (step + 1));
              /* Translators: the accessible name of the button that records a progress step */
              gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              sd_release_step_get_label (step), -1);
              g_signal_connect_object (button, "clicked", G_CALLBACK (record_step_clicked_cb), self, 0);
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
            }
          add_progress_row (self, row);
        }
    }
  else if (type == SD_CASE_TYPE_PRIVATE_PATCH && SD_IS_PRIVATE_PATCH (details))
    {
      g_autofree char *reason = NULL;
      gboolean offered = sd_private_patch_can_be_offered (sd_private_patch_get_lifecycle_stage (SD_PRIVATE_PATCH (details)),
                                                          sd_case_get_severity (self->kase), &reason);

      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), offered ? _("A private patch can be offered")
                                                                        : _("No private patch in this stage"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_icon_name (ADW_ACTION_ROW (row), offered ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
      add_progress_row (self, row);
    }

  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Customer Notification"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Where the request stands, in the customer’s language"));
  button = gtk_button_new_with_mnemonic (_("Co_py"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Copy the notification text to the clipboard"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (copy_notification_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  add_progress_row (self, row);
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
  SdBoardCustomer *customer = customer_of (self);
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

  gtk_widget_set_visible (self->banner, self->n_conflicts > 0);
  fill_progress (self);
  fill_details (self);
  fill_timeline (self);
  update_clocks (self);
}

typedef struct {
  char      *id;
  JsonNode  *body;
  GPtrArray *events;
  guint      n_conflicts;
} LoadData;

static void
load_data_free (LoadData *load)
{
  g_free (load->id);
  g_clear_pointer (&load->body, json_node_unref);
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
  SdBoardCustomer *customer = customer_of (self);

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
  if (self->store != store)
    {
      if (self->store != NULL)
        g_clear_signal_handler (&self->changed_handler, self->store);
      g_set_object (&self->store, store);
      if (store != NULL)
        self->changed_handler = g_signal_connect_object (store, "changed", G_CALLBACK (reload), self,
                                                         G_CONNECT_SWAPPED);
    }
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

/* ------------------------------------------------------------ building */

static GtkWidget *
combo_row (const char  *title,
           GtkStringList *items)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (items));
  g_object_unref (items);
  return row;
}

static void
sd_case_view_dispose (GObject *object)
{
  SdCaseView *self = SD_CASE_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
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

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "caseview");
}

static void
sd_case_view_init (SdCaseView *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *head = adw_preferences_group_new ();
  GtkWidget *head_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *sla = adw_preferences_group_new ();
  GtkWidget *work = adw_preferences_group_new ();
  GtkWidget *history = adw_preferences_group_new ();
  GtkWidget *comment_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *banner_label, *banner_button;
  GtkEventController *keys;
  GtkStringList *statuses = gtk_string_list_new (NULL);
  GtkStringList *severities = gtk_string_list_new (NULL);

  self->events = g_ptr_array_new_with_free_func (g_object_unref);
  self->pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  self->assignees = g_ptr_array_new ();
  self->detail_rows = g_ptr_array_new ();
  self->progress_rows = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();

  self->page = page;
  gtk_widget_set_parent (page, GTK_WIDGET (self));
  gtk_widget_set_visible (page, FALSE);

  /* The case's head: severity, title, number and customer. */
  self->severity = gtk_label_new (NULL);
  gtk_widget_set_halign (self->severity, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->severity, "severity-pill");
  gtk_box_append (GTK_BOX (head_box), self->severity);
  self->title = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_label_set_selectable (GTK_LABEL (self->title), TRUE);
  gtk_widget_add_css_class (self->title, "title-2");
  gtk_box_append (GTK_BOX (head_box), self->title);
  self->subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->subtitle), 0);
  gtk_label_set_selectable (GTK_LABEL (self->subtitle), TRUE);
  gtk_widget_add_css_class (self->subtitle, "dim-label");
  gtk_box_append (GTK_BOX (head_box), self->subtitle);

  self->banner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->banner, "conflict-banner");
  banner_label = gtk_label_new (_("Someone else changed this case while your change was on its way. Nothing is lost: choose which version to keep."));
  gtk_label_set_wrap (GTK_LABEL (banner_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (banner_label), 0);
  gtk_widget_set_hexpand (banner_label, TRUE);
  banner_button = gtk_button_new_with_mnemonic (_("_Review…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (banner_button), "app.unsent");
  gtk_widget_set_valign (banner_button, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (self->banner), gtk_image_new_from_icon_name ("dialog-warning-symbolic"));
  gtk_box_append (GTK_BOX (self->banner), banner_label);
  gtk_box_append (GTK_BOX (self->banner), banner_button);
  gtk_widget_set_visible (self->banner, FALSE);
  gtk_box_append (GTK_BOX (head_box), self->banner);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (head), head_box);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (head));

  /* Service level. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (sla), _("Service Level"));
  self->response_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->response_row), _("Response"));
  self->response_chip = gtk_label_new (NULL);
  gtk_widget_set_valign (self->response_chip, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->response_row), self->response_chip);
  self->respond_button = gtk_button_new_with_mnemonic (_("Mark _Responded"));
  gtk_widget_set_valign (self->respond_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->respond_button, _("The customer has the right answer: stop the response clock"));
  g_signal_connect_object (self->respond_button, "clicked", G_CALLBACK (respond_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->response_row), self->respond_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (sla), self->response_row);
  self->daily_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->daily_row), _("Daily Report"));
  self->daily_button = gtk_button_new_with_mnemonic (_("_Log Report Sent"));
  gtk_widget_set_valign (self->daily_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->daily_button, "clicked", G_CALLBACK (daily_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->daily_row), self->daily_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (sla), self->daily_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (sla));

  /* The work on the case. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (work), _("Case"));
  for (SdCaseStatus s = SD_CASE_STATUS_NEW; s <= SD_CASE_STATUS_CLOSED; s++)
    gtk_string_list_append (statuses, sd_case_status_get_label (s));
  self->status_row = combo_row (_("Status"), statuses);
  g_signal_connect_object (self->status_row, "notify::selected", G_CALLBACK (status_selected_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (work), self->status_row);
  for (int s = 1; s <= 4; s++)
    {
      g_autofree char *pill = sd_severity_pill_text (s);

      gtk_string_list_append (severities, pill);
    }
  self->severity_row = combo_row (_("Severity"), severities);
  g_signal_connect_object (self->severity_row, "notify::selected", G_CALLBACK (severity_selected_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (work), self->severity_row);
  self->assignee_row = combo_row (_("Assignee"), gtk_string_list_new (NULL));
  g_signal_connect_object (self->assignee_row, "notify::selected", G_CALLBACK (assignee_selected_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (work), self->assignee_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (work));

  self->progress_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->progress_group), _("Request Progress"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->progress_group));

  self->details_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->details_group), _("Details"));
  self->description = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->description), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->description), 0);
  gtk_label_set_selectable (GTK_LABEL (self->description), TRUE);
  gtk_widget_set_margin_bottom (self->description, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->details_group), self->description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (self->details_group));

  /* Timeline, newest first, with the comment box on top. */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (history), _("Timeline"));
  self->comment = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->comment), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->comment), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->comment), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->comment), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->comment), 6);
  gtk_widget_set_size_request (self->comment, -1, 64);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->comment), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Comment"), -1);
  gtk_frame_set_child (GTK_FRAME (frame), self->comment);
  gtk_box_append (GTK_BOX (comment_box), frame);
  self->comment_button = gtk_button_new_with_mnemonic (_("Add _Comment"));
  gtk_widget_set_tooltip_text (self->comment_button, _("Add the comment to the timeline (Ctrl+Enter)"));
  gtk_widget_set_halign (self->comment_button, GTK_ALIGN_END);
  gtk_widget_set_sensitive (self->comment_button, FALSE);
  g_signal_connect_object (self->comment_button, "clicked", G_CALLBACK (comment_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->comment)), "changed",
                           G_CALLBACK (comment_changed_cb), self, G_CONNECT_SWAPPED);
  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (comment_key_cb), self);
  gtk_widget_add_controller (self->comment, keys);
  gtk_box_append (GTK_BOX (comment_box), self->comment_button);
  gtk_widget_set_margin_bottom (comment_box, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (history), comment_box);
  self->timeline = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->timeline), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->timeline, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->timeline), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (history), self->timeline);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (history));

  g_signal_connect_object (sd_clock_get_default (), "tick", G_CALLBACK (update_clocks), self, G_CONNECT_SWAPPED);
}

GtkWidget *
sd_case_view_new (void)
{
  return g_object_new (SD_TYPE_CASE_VIEW, NULL);
}
