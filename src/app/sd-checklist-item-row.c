/* sd-checklist-item-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-checklist-item-row"

#include "config.h"

#include "sd-checklist-item-row.h"

struct _SdChecklistItemRow
{
  AdwExpanderRow parent_instance;

  /* template children */
  GtkWidget *result_icon;
  GtkWidget *result_label;
  GtkWidget *rationale_row;
  GtkWidget *expected_row;
  GtkWidget *observed;
  GtkWidget *result_combo;
  GtkWidget *recommendation;
};

G_DEFINE_FINAL_TYPE (SdChecklistItemRow, sd_checklist_item_row, ADW_TYPE_EXPANDER_ROW)

static void
sd_checklist_item_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_CHECKLIST_ITEM_ROW);
  G_OBJECT_CLASS (sd_checklist_item_row_parent_class)->dispose (object);
}

static void
sd_checklist_item_row_class_init (SdChecklistItemRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_checklist_item_row_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-checklist-item-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SdChecklistItemRow, result_icon);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistItemRow, result_label);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistItemRow, rationale_row);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistItemRow, expected_row);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistItemRow, observed);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistItemRow, result_combo);
  gtk_widget_class_bind_template_child (widget_class, SdChecklistItemRow, recommendation);
}

static void
sd_checklist_item_row_init (SdChecklistItemRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

static void
set_text_subtitle (GtkWidget  *row,
                   const char *text)
{
  g_autofree char *markup = g_markup_escape_text (text && *text ? text : "—", -1);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), markup);
}

GtkWidget *
sd_checklist_item_row_new (SdChecklistItem *item,
                           GListModel      *results)
{
  SdChecklistItemRow *self = g_object_new (SD_TYPE_CHECKLIST_ITEM_ROW, NULL);
  g_autofree char *title = g_markup_printf_escaped ("%s · %s", sd_checklist_item_get_key (item),
                                                    sd_checklist_item_get_title (item));
  const char *observed = sd_checklist_item_get_observed (item);
  const char *recommendation = sd_checklist_item_get_recommendation (item);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sd_checklist_item_get_title (item), -1);
  set_text_subtitle (self->rationale_row, sd_checklist_item_get_rationale (item));
  set_text_subtitle (self->expected_row, sd_checklist_item_get_expected (item));
  gtk_editable_set_text (GTK_EDITABLE (self->observed), observed ? observed : "");
  adw_combo_row_set_model (ADW_COMBO_ROW (self->result_combo), results);
  gtk_editable_set_text (GTK_EDITABLE (self->recommendation), recommendation ? recommendation : "");
  return GTK_WIDGET (self);
}

GtkWidget *
sd_checklist_item_row_get_result_icon (SdChecklistItemRow *self)
{
  return self->result_icon;
}

GtkWidget *
sd_checklist_item_row_get_result_label (SdChecklistItemRow *self)
{
  return self->result_label;
}

GtkWidget *
sd_checklist_item_row_get_observed (SdChecklistItemRow *self)
{
  return self->observed;
}

GtkWidget *
sd_checklist_item_row_get_result_combo (SdChecklistItemRow *self)
{
  return self->result_combo;
}

GtkWidget *
sd_checklist_item_row_get_recommendation (SdChecklistItemRow *self)
{
  return self->recommendation;
}
