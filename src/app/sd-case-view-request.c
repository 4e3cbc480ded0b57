/* sd-case-view-request.c — the case view's details and the request's
 * own progress (release steps, private-patch eligibility, the customer
 * notification)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-case-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-case-view-private.h"
#include "sd-clock.h"
#include "sd-sla-text.h"

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

void
_sd_case_view_fill_details (SdCaseView *self)
{
  SdBoardCustomer *customer = _sd_case_view_get_customer (self);
  const char *tz = customer ? sd_customer_get_time_zone (customer->customer) : NULL;
  g_autofree char *reported = sd_format_customer_time (sd_case_get_reported_at (self->kase), tz);
  g_autofree char *reported_line = NULL;
  GObject *details = sd_case_get_details (self->kase);

  for (guint i = 0; i < self->detail_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->details_group), self->detail_rows->pdata[i]);
  g_ptr_array_set_size (self->detail_rows, 0);

  add_detail (self, _("Customer"), customer ? sd_customer_get_name (customer->customer) : sd_case_get_customer_id (self->kase));
  if (customer != NULL)
    add_detail (self, _("Contract"), sd_tier_get_label (sd_customer_get_tier (customer->customer)));
  add_detail (self, _("Type"), sd_case_type_get_label (sd_case_get_case_type (self->kase)));
  /* Translators: how and when a case was reported, e.g. "Phone · Tue 1 Dec 2026, 09:12 Beijing time" */
  reported_line = g_strdup_printf (_("%s · %s"), sd_reported_via_get_label (sd_case_get_reported_via (self->kase)),
                                   reported);
  add_detail (self, _("Reported"), reported_line);
  if (customer != NULL)
    {
      /* Translators: who answers the customer now and why, e.g. "Wang Fang · TAM off duty" */
      g_autofree char *answers = g_strdup_printf (_("%s · %s"),
                                                  customer->answer_name ? customer->answer_name : _("Nobody"),
                                                  sd_coverage_reason_describe (customer->answer_reason));

      add_detail (self, _("Answers now"), answers);
    }

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
                                              sd_clock_get_now (sd_clock_get_default ()), step, NULL);
  _sd_case_view_append_event (self, event, sd_release_step_get_label (step));
}

static void
copy_notification_clicked_cb (SdCaseView *self)
{
  SdBoardCustomer *customer = _sd_case_view_get_customer (self);
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
void
_sd_case_view_fill_progress (SdCaseView *self)
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
              g_autofree char *when = sd_format_customer_time (states[step].at, _sd_case_view_customer_tz (self));

              subtitle = states[step].author_id
                ? g_strdup_printf ("%s · %s", when, _sd_case_view_user_name (self, states[step].author_id))
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
