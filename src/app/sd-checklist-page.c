/* sd-checklist-page.c
 *
 * The page edits a copy of the check. Every edit changes the copy at once
 * (the score follows through its "score" notification) and is put in the
 * outbox as a merge patch of the whole "items" array: results and status
 * changes right away, typing after a short pause, so nothing typed is
 * lost on a crash. One patch is on its way at a time, so patches reach
 * the outbox in the order they were made.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-checklist-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-checklist-item-row.h"
#include "sd-checklist-page.h"
#include "sd-print.h"
#include "sd-schedule-dialog.h"
#include "sd-sla-text.h"

#define SAVE_DELAY_MS 700

typedef struct {
  SdChecklistItem *item;          /* borrowed from the check */
  GtkWidget       *row;           /* AdwExpanderRow */
  GtkWidget       *result_icon;
  GtkWidget       *result_label;
  GtkWidget       *observed;
  GtkWidget       *result_combo;
  GtkWidget       *recommendation;
} ItemView;

typedef struct {
  char      *area;
  GtkWidget *group;
  GtkWidget *level;
} AreaView;

struct _SdChecklistPage
{
  GtkWidget parent_instance;

  SdLocalStore  *store;     /* owned */
  SdBoardData   *data;      /* owned */
  SdHealthCheck *check;     /* owned: the copy being edited */
  GHashTable    *items;     /* key → ItemView */
  GHashTable    *edited;    /* keys edited here since the last save */
  GPtrArray     *areas;     /* AreaView */
  GPtrArray     *groups;    /* the area groups on the page */
  gboolean       updating;  /* filling widgets: not an edit */

  guint          save_source;
  gboolean       items_dirty;
  int            status_pending;  /* SdHealthCheckStatus, or -1 */
  gboolean       saving;
  char          *score_text;

  GSignalGroup *check_signals;  /* owned; follows check */

  /* template children */
  GtkWidget *title;
  GtkWidget *subtitle;
  GtkWidget *score;
  GtkWidget *progress;
  GtkWidget *start_button;
  GtkWidget *complete_button;
  GtkWidget *reopen_button;
  GtkWidget *page;

  GtkFileChooserNative *chooser;
  SdChecklistExport     chooser_format;
};

G_DEFINE_FINAL_TYPE (SdChecklistPage, sd_checklist_page, GTK_TYPE_WIDGET)

static const struct {
  SdCheckResult result;
  guint         keyval;
  const char   *icon;
  const char   *css;
} results[] = {
  { SD_CHECK_RESULT_NOT_CHECKED, GDK_KEY_0, "content-loading-symbolic", "dim-label" },
  { SD_CHECK_RESULT_PASS, GDK_KEY_1, "emblem-ok-symbolic", "success" },
  { SD_CHECK_RESULT_WARNING, GDK_KEY_2, "dialog-warning-symbolic", "warning" },
  { SD_CHECK_RESULT_FAIL, GDK_KEY_3, "dialog-error-symbolic", "error" },
  { SD_CHECK_RESULT_NOT_APPLICABLE, GDK_KEY_4, "action-unavailable-symbolic", "dim-label" },
};

static void
item_view_free (ItemView *view)
{
  g_free (view);
}

static void
area_view_free (AreaView *view)
{
  g_free (view->area);
  g_free (view);
}

static SdBoardCustomer *
customer_of (SdChecklistPage *self)
{
  if (self->check == NULL || self->data == NULL)
    return NULL;
  return g_hash_table_lookup (self->data->customers, sd_health_check_get_customer_id (self->check));
}

static SdUser *
tam_of (SdChecklistPage *self)
{
  SdBoardCustomer *customer = customer_of (self);
  const char *tam = customer ? sd_customer_get_tam_id (customer->customer) : NULL;

  return tam != NULL ? g_hash_table_lookup (self->data->users, tam) : NULL;
}

/* ------------------------------------------------------------- saving */

static void save_now (SdChecklistPage *self);

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SdChecklistPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
  if (self->items_dirty || self->status_pending >= 0)
    save_now (self);
}

static void
save_now (SdChecklistPage *self)
{
  g_autoptr(JsonNode) patch = NULL;
  JsonObject *object;

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->check == NULL || self->store == NULL || self->saving
      || (!self->items_dirty && self->status_pending < 0))
    return;

  patch = json_node_init_object (json_node_alloc (), json_object_new ());
  object = json_node_get_object (patch);
  if (self->items_dirty)
    {
      GListModel *items = sd_health_check_get_items (self->check);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < g_list_model_get_n_items (items); i++)
        {
          g_autoptr(SdChecklistItem) item = g_list_model_get_item (items, i);

          json_array_add_element (array, sd_checklist_item_to_json (item));
        }
      json_object_set_array_member (object, "items", array);
    }
  if (self->status_pending >= 0)
    json_object_set_string_member (object, "status", sd_health_check_status_to_string (self->status_pending));
  self->items_dirty = FALSE;
  self->status_pending = -1;
  self->saving = TRUE;
  g_hash_table_remove_all (self->edited);
  sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_UPDATE, "health_check",
                                sd_health_check_get_id (self->check), patch,
                                sd_health_check_get_version (self->check), NULL,
                                saved_cb, g_object_ref (self));
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  SdChecklistPage *self = user_data;

  self->save_source = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
save_later (SdChecklistPage *self)
{
  self->items_dirty = TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

/* ------------------------------------------------------------ showing */

static guint
result_index (SdCheckResult result)
{
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    if (results[i].result == result)
      return i;
  return 0;
}

static void
update_item (SdChecklistPage *self,
             ItemView        *view)
{
  SdCheckResult result = sd_checklist_item_get_result (view->item);
  guint i = result_index (result);

  gtk_image_set_from_icon_name (GTK_IMAGE (view->result_icon), results[i].icon);
  gtk_label_set_label (GTK_LABEL (view->result_label), sd_check_result_get_label (result));
  for (guint j = 0; j < G_N_ELEMENTS (results); j++)
    {
      gtk_widget_remove_css_class (view->result_icon, results[j].css);
      gtk_widget_remove_css_class (view->result_label, results[j].css);
    }
  gtk_widget_add_css_class (view->result_icon, results[i].css);
  gtk_widget_add_css_class (view->result_label, results[i].css);
  self->updating = TRUE;
  adw_combo_row_set_selected (ADW_COMBO_ROW (view->result_combo), i);
  self->updating = FALSE;
}

static void
update_progress (SdChecklistPage *self)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GArray) progress = NULL;
  guint total = 0, checked = 0;

  if (self->check == NULL)
    return;
  items = sd_health_check_dup_items (self->check);
  progress = sd_health_check_area_progress (items);
  for (guint i = 0; i < progress->len; i++)
    {
      SdChecklistAreaProgress *area = &g_array_index (progress, SdChecklistAreaProgress, i);
      g_autofree char *text = NULL;

      total += area->n_items;
      checked += area->n_checked;
      for (guint j = 0; j < self->areas->len; j++)
        {
          AreaView *view = self->areas->pdata[j];

          if (g_strcmp0 (view->area, area->area) != 0)
            continue;
          g_autofree char *warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                                                    area->n_warnings),
                                                       area->n_warnings);

          /* Translators: progress of one area of the checklist; the %s is
           * the count of warnings, e.g. "1 warning" */
          text = g_strdup_printf (_("%u of %u checked · %u passed · %s · %u failed · %u not applicable"),
                                  area->n_checked, area->n_items, area->n_passed, warnings,
                                  area->n_failed, area->n_not_applicable);
          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (view->group), text);
          gtk_level_bar_set_value (GTK_LEVEL_BAR (view->level),
                                   area->n_items ? (double) area->n_checked / area->n_items : 0);
          break;
        }
    }
  {
    /* Translators: progress of the whole checklist, then the result keys */
    g_autofree char *text = g_strdup_printf (_("%u of %u items checked · %s"), checked, total,
                                             _("Result keys: 1 pass, 2 warning, 3 fail, 4 not applicable, 0 not checked"));

    gtk_label_set_label (GTK_LABEL (self->progress), text);
  }
}

static void
score_changed_cb (SdChecklistPage *self)
{
  g_autofree char *markup = NULL;

  g_free (self->score_text);
  self->score_text = sd_health_check_format_score (sd_health_check_get_score (self->check));
  /* Translators: the live score of the checklist, e.g. "Score 63%" */
  markup = g_strdup_printf (_("Score %s"), self->score_text);
  gtk_label_set_label (GTK_LABEL (self->score), markup);
  update_progress (self);
}

static void
update_head (SdChecklistPage *self)
{
  SdBoardCustomer *customer = customer_of (self);
  SdHealthCheckStatus status = sd_health_check_get_status (self->check);
  g_autofree char *day = sd_health_check_get_scheduled_on (self->check)
                         ? sd_date_format (sd_health_check_get_scheduled_on (self->check)) : g_strdup ("—");
  g_autofree char *subtitle = NULL;

  gtk_label_set_label (GTK_LABEL (self->title),
                       customer ? sd_customer_get_name (customer->customer) : sd_health_check_get_customer_id (self->check));
  /* Translators: the state of a health check, its day and its way */
  subtitle = g_strdup_printf (_("%s · %s · %s"), sd_health_check_status_get_label (status), day,
                              sd_health_check_mode_get_label (sd_health_check_get_mode (self->check)));
  gtk_label_set_label (GTK_LABEL (self->subtitle), subtitle);
  gtk_widget_set_visible (self->start_button, status == SD_HEALTH_CHECK_SCHEDULED);
  gtk_widget_set_visible (self->complete_button, status == SD_HEALTH_CHECK_IN_PROGRESS);
  gtk_widget_set_visible (self->reopen_button, status == SD_HEALTH_CHECK_COMPLETED);
  /* A completed check is the record the customer gets: locked until it
   * is reopened. */
  gtk_widget_set_sensitive (self->page, status != SD_HEALTH_CHECK_COMPLETED);
}

static gboolean
is_locked (SdChecklistPage *self)
{
  return self->check != NULL && sd_health_check_get_status (self->check) == SD_HEALTH_CHECK_COMPLETED;
}

/* ------------------------------------------------------------ editing */

static ItemView *
view_of_row (SdChecklistPage *self,
             GtkWidget       *widget)
{
  const char *key = g_object_get_data (G_OBJECT (widget), "item-key");

  return key ? g_hash_table_lookup (self->items, key) : NULL;
}

void
sd_checklist_page_set_result (SdChecklistPage *self,
                              const char      *key,
                              SdCheckResult    result)
{
  ItemView *view;

  g_return_if_fail (SD_IS_CHECKLIST_PAGE (self));

  if (!(view = g_hash_table_lookup (self->items, key)) || is_locked (self))
    return;
  if (sd_checklist_item_get_result (view->item) != result)
    {
      sd_checklist_item_set_result (view->item, result);
      g_hash_table_add (self->edited, g_strdup (key));
      self->items_dirty = TRUE;
      save_now (self);
    }
  update_item (self, view);
}

void
sd_checklist_page_set_observed (SdChecklistPage *self,
                                const char      *key,
                                const char      *observed)
{
  ItemView *view = g_hash_table_lookup (self->items, key);

  if (view != NULL)
    gtk_editable_set_text (GTK_EDITABLE (view->observed), observed ? observed : "");
}

static gboolean
result_shortcut_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  SdChecklistPage *self = user_data;
  ItemView *view = view_of_row (self, widget);

  if (view == NULL || is_locked (self))
    return FALSE;
  sd_checklist_page_set_result (self, sd_checklist_item_get_key (view->item), g_variant_get_int32 (args));
  return TRUE;
}

static void
result_selected_cb (GtkWidget       *combo,
                    GParamSpec      *pspec,
                    SdChecklistPage *self)
{
  ItemView *view = view_of_row (self, combo);
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (combo));

  if (self->updating || view == NULL || selected >= G_N_ELEMENTS (results))
    return;
  sd_checklist_page_set_result (self, sd_checklist_item_get_key (view->item), results[selected].result);
}

static void
text_changed_cb (GtkEditable     *editable,
                 SdChecklistPage *self)
{
  ItemView *view = view_of_row (self, GTK_WIDGET (editable));
  const char *text = gtk_editable_get_text (editable);

  if (self->updating || view == NULL || is_locked (self))
    return;
  if (GTK_WIDGET (editable) == view->observed)
    sd_checklist_item_set_observed (view->item, *text ? text : NULL);
  else
    sd_checklist_item_set_recommendation (view->item, *text ? text : NULL);
  g_hash_table_add (self->edited, g_strdup (sd_checklist_item_get_key (view->item)));
  save_later (self);
}

static void
start_clicked_cb (SdChecklistPage *self)
{
  sd_checklist_page_set_status (self, SD_HEALTH_CHECK_IN_PROGRESS);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     SdChecklistPage  *self)
{
  if (g_str_equal (response, "complete"))
    sd_checklist_page_set_status (self, SD_HEALTH_CHECK_COMPLETED);
  else if (g_str_equal (response, "reopen"))
    sd_checklist_page_set_status (self, SD_HEALTH_CHECK_IN_PROGRESS);
}

static void
ask (SdChecklistPage *self,
     const char      *heading,
     const char      *body,
     const char      *response,
     const char      *label)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Completing an unfinished check, or one before its agreed day, is asked
 * for first: the completed check is what the customer is told. */
static void
complete_clicked_cb (SdChecklistPage *self)
{
  GListModel *items = sd_health_check_get_items (self->check);
  SdBoardCustomer *customer = customer_of (self);
  guint32 day = sd_health_check_get_scheduled_on (self->check);
  guint n = g_list_model_get_n_items (items), unchecked = 0;
  gboolean early = customer != NULL && day != 0 && sd_schedule_dialog_today (customer->calendar) < day;
  g_autoptr(GString) body = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdChecklistItem) item = g_list_model_get_item (items, i);

      if (sd_checklist_item_get_result (item) == SD_CHECK_RESULT_NOT_CHECKED)
        unchecked++;
    }
  if (unchecked == 0 && !early)
    {
      sd_checklist_page_set_status (self, SD_HEALTH_CHECK_COMPLETED);
      return;
    }
  if (unchecked > 0)
    g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "%u of %u item is not checked yet.",
                                               "%u of %u items are not checked yet.", n),
                            unchecked, n);
  if (early)
    {
      g_autofree char *text = sd_date_format (day);

      if (body->len > 0)
        g_string_append_c (body, '\n');
      /* Translators: the agreed day of the health check follows */
      g_string_append_printf (body, _("The agreed day, %s, has not come yet."), text);
    }
  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append (body, _("A completed check is locked; changing it afterwards means reopening it."));
  ask (self, _("Complete the Health Check?"), body->str, "complete", _("C_omplete"));
}

static void
reopen_clicked_cb (SdChecklistPage *self)
{
  ask (self, _("Reopen the Health Check?"),
       _("Its results can be changed again until it is completed anew. The reopening is recorded."),
       "reopen", _("_Reopen"));
}

void
sd_checklist_page_set_status (SdChecklistPage     *self,
                              SdHealthCheckStatus  status)
{
  SdHealthCheckStatus previous;

  g_return_if_fail (SD_IS_CHECKLIST_PAGE (self));

  if (self->check == NULL || (previous = sd_health_check_get_status (self->check)) == status)
    return;
  sd_health_check_set_status (self->check, status);
  self->status_pending = status;
  save_now (self);
  update_head (self);
  if (status == SD_HEALTH_CHECK_COMPLETED)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s",
                                _("Health check completed; it is sent with the next sync"));
  else if (status == SD_HEALTH_CHECK_IN_PROGRESS && previous == SD_HEALTH_CHECK_COMPLETED)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s",
                                _("Health check reopened; it is sent with the next sync"));
}

gboolean
sd_checklist_page_has_unsaved (SdChecklistPage *self)
{
  return self->items_dirty || self->status_pending >= 0 || self->saving;
}

void
sd_checklist_page_flush (SdChecklistPage *self)
{
  g_return_if_fail (SD_IS_CHECKLIST_PAGE (self));

  save_now (self);
}

/* ------------------------------------------------------------ building */

/* Makes @widget's edits those of the item @key. */
static void
tag_with_key (GtkWidget  *widget,
              const char *key)
{
  g_object_set_data_full (G_OBJECT (widget), "item-key", g_strdup (key), g_free);
}

static GtkWidget *
build_item (SdChecklistPage *self,
            SdChecklistItem *item,
            GListModel      *labels)
{
  ItemView *view = g_new0 (ItemView, 1);
  const char *key = sd_checklist_item_get_key (item);
  GtkWidget *row = sd_checklist_item_row_new (item, labels);
  SdChecklistItemRow *item_row = SD_CHECKLIST_ITEM_ROW (row);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  view->item = item;
  view->row = row;
  view->result_icon = sd_checklist_item_row_get_result_icon (item_row);
  view->result_label = sd_checklist_item_row_get_result_label (item_row);
  view->observed = sd_checklist_item_row_get_observed (item_row);
  view->result_combo = sd_checklist_item_row_get_result_combo (item_row);
  view->recommendation = sd_checklist_item_row_get_recommendation (item_row);
  tag_with_key (row, key);
  tag_with_key (view->observed, key);
  tag_with_key (view->result_combo, key);
  tag_with_key (view->recommendation, key);
  g_signal_connect_object (view->observed, "changed", G_CALLBACK (text_changed_cb), self, 0);
  g_signal_connect_object (view->recommendation, "changed", G_CALLBACK (text_changed_cb), self, 0);

  /* Results by key while the focus is on the item (an entry keeps its
   * digits: it handles them first). */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_LOCAL);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (results[i].keyval, 0),
                                                gtk_callback_action_new (result_shortcut_cb, self, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (results[i].result));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), shortcut);
    }
  gtk_widget_add_controller (row, shortcuts);

  g_hash_table_insert (self->items, g_strdup (key), view);
  update_item (self, view);
  g_signal_connect_object (view->result_combo, "notify::selected", G_CALLBACK (result_selected_cb), self, 0);
  return row;
}

static void
clear_items (SdChecklistPage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (ADW_PREFERENCES_PAGE (self->page), self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->areas, 0);
  g_hash_table_remove_all (self->items);
}

static void
build_items (SdChecklistPage *self)
{
  GListModel *items = sd_health_check_get_items (self->check);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  AreaView *area = NULL;

  clear_items (self);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    gtk_string_list_append (labels, sd_check_result_get_label (results[i].result));
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SdChecklistItem) item = g_list_model_get_item (items, i);

      if (area == NULL || g_strcmp0 (area->area, sd_checklist_item_get_area (item)) != 0)
        {
          g_autofree char *level_label = NULL;

          area = NULL;
          for (guint j = 0; j < self->areas->len && area == NULL; j++)
            if (g_strcmp0 (((AreaView *) self->areas->pdata[j])->area, sd_checklist_item_get_area (item)) == 0)
              area = self->areas->pdata[j];
          if (area == NULL)
            {
              area = g_new0 (AreaView, 1);
              area->area = g_strdup (sd_checklist_item_get_area (item));
              area->group = adw_preferences_group_new ();
              adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (area->group), area->area);
              area->level = gtk_level_bar_new ();
              gtk_widget_set_size_request (area->level, 120, -1);
              gtk_widget_set_valign (area->level, GTK_ALIGN_CENTER);
              /* Translators: the accessible name of an area's progress bar */
              level_label = g_strdup_printf (_("Progress of %s"), area->area);
              gtk_accessible_update_property (GTK_ACCESSIBLE (area->level), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              level_label, -1);
              adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (area->group), area->level);
              adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (area->group));
              g_ptr_array_add (self->areas, area);
              g_ptr_array_add (self->groups, area->group);
            }
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (area->group), build_item (self, item, G_LIST_MODEL (labels)));
    }
}

static void
merge_items (SdChecklistPage *self,
             SdHealthCheck   *incoming)
{
  GListModel *items = sd_health_check_get_items (incoming);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SdChecklistItem) theirs = g_list_model_get_item (items, i);
      const char *key = sd_checklist_item_get_key (theirs);
      ItemView *view = g_hash_table_lookup (self->items, key);

      if (view == NULL || g_hash_table_contains (self->edited, key))
        continue;
      if (sd_checklist_item_get_result (view->item) == sd_checklist_item_get_result (theirs)
          && g_strcmp0 (sd_checklist_item_get_observed (view->item), sd_checklist_item_get_observed (theirs)) == 0
          && g_strcmp0 (sd_checklist_item_get_recommendation (view->item),
                        sd_checklist_item_get_recommendation (theirs)) == 0)
        continue;
      sd_checklist_item_set_result (view->item, sd_checklist_item_get_result (theirs));
      sd_checklist_item_set_observed (view->item, sd_checklist_item_get_observed (theirs));
      sd_checklist_item_set_recommendation (view->item, sd_checklist_item_get_recommendation (theirs));
      self->updating = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (view->observed), sd_checklist_item_get_observed (theirs)
                                                            ? sd_checklist_item_get_observed (theirs) : "");
      gtk_editable_set_text (GTK_EDITABLE (view->recommendation), sd_checklist_item_get_recommendation (theirs)
                                                                  ? sd_checklist_item_get_recommendation (theirs) : "");
      self->updating = FALSE;
      update_item (self, view);
    }
  update_progress (self);
}

void
sd_checklist_page_show (SdChecklistPage *self,
                        SdLocalStore    *store,
                        SdBoardData     *data,
                        SdHealthCheck   *check)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdHealthCheck) copy = NULL;

  g_return_if_fail (SD_IS_CHECKLIST_PAGE (self));
  g_return_if_fail (SD_IS_HEALTH_CHECK (check));

  g_set_object (&self->store, store);
  if (data != self->data)
    {
      g_clear_pointer (&self->data, sd_board_data_unref);
      self->data = data ? sd_board_data_ref (data) : NULL;
    }

  /* The same check again: keep what is being edited, take the rest. */
  if (self->check != NULL && g_str_equal (sd_health_check_get_id (self->check), sd_health_check_get_id (check)))
    {
      /* Someone else's edits, pulled by a sync, show at once; what is typed
       * here and not saved yet stays. The local view already holds this
       * page's saved edits, so the next save sends both. (While a save is
       * on its way, the "changed" that follows it brings the merge.) */
      if (!self->saving)
        merge_items (self, check);
      sd_health_check_set_version (self->check, sd_health_check_get_version (check));
      if (self->status_pending < 0 && !self->saving)
        sd_health_check_set_status (self->check, sd_health_check_get_status (check));
      sd_health_check_set_scheduled_on (self->check, sd_health_check_get_scheduled_on (check));
      update_head (self);
      return;
    }

  save_now (self);
  node = sd_health_check_to_json (check);
  copy = sd_health_check_from_json (node, NULL, NULL);
  g_return_if_fail (copy != NULL);
  g_set_object (&self->check, copy);
  g_hash_table_remove_all (self->edited);
  self->items_dirty = FALSE;
  self->status_pending = -1;
  g_signal_group_set_target (self->check_signals, self->check);
  build_items (self);
  update_head (self);
  score_changed_cb (self);
}

SdHealthCheck *
sd_checklist_page_get_check (SdChecklistPage *self)
{
  return self->check;
}

const char *
sd_checklist_page_get_score_text (SdChecklistPage *self)
{
  return self->score_text;
}

GtkWidget *
sd_checklist_page_get_item_row (SdChecklistPage *self,
                                const char      *key)
{
  ItemView *view = g_hash_table_lookup (self->items, key);

  return view ? view->row : NULL;
}

/* ------------------------------------------------------------ reports */

static const char *
report_language (void)
{
  return sd_checklist_language_from_locale (g_get_language_names ()[0]);
}

typedef struct {
  SdHealthCheck     *check;
  SdCustomer        *customer;
  SdUser            *tam;
  SdChecklistExport  format;
  char              *path;
  char              *language;
} ExportData;

static void
export_data_free (ExportData *export)
{
  g_clear_object (&export->check);
  g_clear_object (&export->customer);
  g_clear_object (&export->tam);
  g_free (export->path);
  g_free (export->language);
  g_free (export);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *export = task_data;
  GError *error = NULL;
  gboolean ok;

  if (export->format == SD_CHECKLIST_EXPORT_PDF)
    ok = sd_health_check_export_pdf (export->check, export->customer, export->tam, export->language,
                                     export->path, &error);
  else
    ok = sd_health_check_export_csv (export->check, export->language, export->path, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_checklist_page_export_async (SdChecklistPage     *self,
                                SdChecklistExport    format,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonNode) node = NULL;
  SdBoardCustomer *customer;
  SdUser *tam;
  ExportData *export;

  g_return_if_fail (SD_IS_CHECKLIST_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_checklist_page_export_async);
  if (self->check == NULL || g_file_peek_path (file) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Nothing to export"));
      return;
    }
  /* The worker gets its own copies: the page goes on editing. */
  node = sd_health_check_to_json (self->check);
  customer = customer_of (self);
  tam = tam_of (self);
  export = g_new0 (ExportData, 1);
  export->check = sd_health_check_from_json (node, NULL, NULL);
  export->customer = customer ? g_object_ref (customer->customer) : NULL;
  export->tam = tam ? g_object_ref (tam) : NULL;
  export->format = format;
  export->path = g_file_get_path (file);
  export->language = g_strdup (report_language ());
  g_task_set_task_data (task, export, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
sd_checklist_page_export_finish (SdChecklistPage  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SdChecklistPage *self = SD_CHECKLIST_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!sd_checklist_page_export_finish (self, result, &error))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Report exported"));
}

static void
chooser_response_cb (SdChecklistPage *self,
                     int              response)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    sd_checklist_page_export_async (self, self->chooser_format, file, NULL, exported_cb, NULL);
}

static void
choose_file (SdChecklistPage   *self,
             SdChecklistExport  format)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  SdBoardCustomer *customer = customer_of (self);
  g_autofree char *name = NULL;
  gboolean pdf = format == SD_CHECKLIST_EXPORT_PDF;

  if (self->check == NULL)
    return;
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* Translators: a file name: the customer's id and the extension follow */
  name = g_strdup_printf ("%s-%s.%s", _("health-check"),
                          customer ? sd_customer_get_id (customer->customer) : sd_health_check_get_customer_id (self->check),
                          pdf ? "pdf" : "csv");
  self->chooser = gtk_file_chooser_native_new (pdf ? _("Export Report as PDF") : _("Export Checklist as CSV"),
                                               GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  self->chooser_format = format;
  gtk_file_filter_set_name (filter, pdf ? _("PDF documents") : _("CSV files"));
  gtk_file_filter_add_mime_type (filter, pdf ? "application/pdf" : "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose_file (SD_CHECKLIST_PAGE (widget), SD_CHECKLIST_EXPORT_PDF);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose_file (SD_CHECKLIST_PAGE (widget), SD_CHECKLIST_EXPORT_CSV);
}

GtkPrintOperationResult
sd_checklist_page_print (SdChecklistPage  *self,
                         const char       *export_path,
                         GError          **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(SdDocument) document = NULL;
  SdBoardCustomer *customer;

  g_return_val_if_fail (SD_IS_CHECKLIST_PAGE (self), GTK_PRINT_OPERATION_RESULT_ERROR);

  if (self->check == NULL)
    return GTK_PRINT_OPERATION_RESULT_CANCEL;
  customer = customer_of (self);
  document = sd_health_check_build_report (self->check, customer ? customer->customer : NULL, tam_of (self),
                                           report_language ());
  operation = sd_print_operation_new (document, gtk_label_get_label (GTK_LABEL (self->title)));
  if (export_path != NULL)
    {
      gtk_print_operation_set_export_filename (operation, export_path);
      return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
    }
  gtk_print_operation_set_allow_async (operation, TRUE);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                  GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), error);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_autoptr(GError) error = NULL;

  if (sd_checklist_page_print (SD_CHECKLIST_PAGE (widget), NULL, &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    gtk_widget_activate_action (widget, "win.toast", "s", error->message);
}

/* ------------------------------------------------------------ the class */

static void
sd_checklist_page_dispose (GObject *object)
{
  SdChecklistPage *self = SD_CHECKLIST_PAGE (object);
  GtkWidget *child;

  /* What was typed last goes to the outbox before the page goes. */
  save_now (self);
  g_clear_handle_id (&self->save_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CHECKLIST_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_signal_group_set_target (self->check_signals, NULL);
  g_clear_object (&self->check);
  g_clear_object (&self->store);
  g_clear_pointer (&self->data, sd_board_data_unref);

  G_OBJECT_CLASS (sd_checklist_page_parent_class)->dispose (object);
}

static void
sd_checklist_page_finalize (GObject *object)
{
  SdChecklistPage *self = SD_CHECKLIST_PAGE (object);

  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->edited, g_hash_table_unref);
  g_clear_pointer (&self->areas, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_object (&self->check_signals);
  g_free (self->score_text);

  G_OBJECT_CLASS (sd_checklist_page_parent_class)->finalize (object);
}

static void
sd_checklist_page_class_init (SdChecklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_checklist_page_dispose;
  object_class->finalize = sd_checklist_page_finalize;

  gtk_widget_class_install_action (widget_class, "checklist.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "checklist.export-csv", NULL, export_csv_action);
  gtk_widget_class_install_action (widget_class, "checklist.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "checklist.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "checklist.export-pdf", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "checklistpage");

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-checklist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, title);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, subtitle);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, score);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, progress);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, start_button);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, complete_button);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistPage, page);
  gtk_widget_class_bind_template_callback (widget_class, start_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, complete_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, reopen_clicked_cb);
}

static void
sd_checklist_page_init (SdChecklistPage *self)
{
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) item_view_free);
  self->edited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->areas = g_ptr_array_new_with_free_func ((GDestroyNotify) area_view_free);
  self->groups = g_ptr_array_new ();
  self->status_pending = -1;
  self->check_signals = g_signal_group_new (SD_TYPE_HEALTH_CHECK);
  g_signal_group_connect_object (self->check_signals, "notify::score", G_CALLBACK (score_changed_cb), self,
                                 G_CONNECT_SWAPPED);
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sd_checklist_page_new (void)
{
  return g_object_new (SD_TYPE_CHECKLIST_PAGE, NULL);
}
