/* sd-case-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-case-card"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-case-card.h"
#include "sd-clock.h"
#include "sd-sla-text.h"

struct _SdCaseCard
{
  GtkWidget parent_instance;

  SdBoardCase *board_case;
  char        *chip_css;

  GtkWidget *box;
  GtkLabel  *severity;
  GtkImage  *type_icon;
  GtkLabel  *number;
  GtkLabel  *title;
  GtkLabel  *customer;
  GtkLabel  *assignee;
  GtkLabel  *cover;
  GtkWidget *chip;
  GtkImage  *chip_icon;
  GtkLabel  *chip_label;
};

G_DEFINE_FINAL_TYPE (SdCaseCard, sd_case_card, GTK_TYPE_WIDGET)

static GtkLabel *
add_label (GtkBox     *box,
           const char *css_class,
           gboolean    expand)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, expand);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (box, label);
  return GTK_LABEL (label);
}

static void
update_accessible_label (SdCaseCard *self)
{
  SdBoardCase *row = self->board_case;
  g_autofree char *pill = NULL;
  g_autofree char *label = NULL;

  if (row == NULL)
    return;
  pill = sd_severity_pill_text (sd_board_case_get_severity (row));
  /* Translators: what a screen reader says for a card: severity, number,
   * title, customer, type, SLA state */
  label = g_strdup_printf (_("%s, %s: %s. %s, %s. %s"), pill,
                           sd_board_case_get_number (row) ? sd_board_case_get_number (row) : _("not sent yet"),
                           sd_board_case_get_title (row), sd_board_case_get_customer_name (row),
                           sd_case_type_get_label (sd_board_case_get_case_type (row)),
                           gtk_label_get_label (self->chip_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

void
sd_case_card_refresh (SdCaseCard *self,
                      gint64      now)
{
  const SdSlaClock *clock;
  g_autofree char *text = NULL;
  const char *icon, *css;
  gboolean daily;

  if (self->board_case == NULL)
    return;
  sd_board_case_update (self->board_case, now);
  clock = sd_board_case_get_shown_clock (self->board_case, &daily);
  text = sd_sla_clock_describe (clock, daily, now, &icon, &css);
  if (g_strcmp0 (text, gtk_label_get_label (self->chip_label)) == 0)
    return;
  gtk_label_set_label (self->chip_label, text);
  gtk_image_set_from_icon_name (self->chip_icon, icon);
  if (g_strcmp0 (css, self->chip_css) != 0)
    {
      if (self->chip_css != NULL)
        gtk_widget_remove_css_class (self->chip, self->chip_css);
      gtk_widget_add_css_class (self->chip, css);
      g_free (self->chip_css);
      self->chip_css = g_strdup (css);
    }
  update_accessible_label (self);
}

void
sd_case_card_set_case (SdCaseCard  *self,
                       SdBoardCase *board_case)
{
  static const char * const severity_classes[] = { NULL, "severity-1", "severity-2", "severity-3", "severity-4" };
  g_autofree char *pill = NULL;
  g_autofree char *cover = NULL;
  int severity;

  g_return_if_fail (SD_IS_CASE_CARD (self));

  if (!g_set_object (&self->board_case, board_case) || board_case == NULL)
    return;

  severity = CLAMP (sd_board_case_get_severity (board_case), 1, 4);
  pill = sd_severity_pill_text (severity);
  gtk_label_set_label (self->severity, pill);
  for (guint i = 1; i < G_N_ELEMENTS (severity_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->severity), severity_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->severity), severity_classes[severity]);

  gtk_image_set_from_icon_name (self->type_icon, sd_case_type_icon_name (sd_board_case_get_case_type (board_case)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->type_icon),
                               sd_case_type_get_label (sd_board_case_get_case_type (board_case)));
  gtk_label_set_label (self->number, sd_board_case_get_number (board_case)
                                     ? sd_board_case_get_number (board_case) : _("Not sent yet"));
  gtk_label_set_label (self->title, sd_board_case_get_title (board_case));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), sd_board_case_get_title (board_case));
  gtk_label_set_label (self->customer, sd_board_case_get_customer_name (board_case));
  gtk_label_set_label (self->assignee, sd_board_case_get_assignee_name (board_case)
                                       ? sd_board_case_get_assignee_name (board_case) : _("Unassigned"));
  if (sd_board_case_get_cover_name (board_case) != NULL)
    /* Translators: the customer's TAM is away; this duty manager covers */
    cover = g_strdup_printf (_("Covered by %s"), sd_board_case_get_cover_name (board_case));
  gtk_label_set_label (self->cover, cover);
  gtk_widget_set_visible (GTK_WIDGET (self->cover), cover != NULL);

  gtk_label_set_label (self->chip_label, NULL);
  sd_case_card_refresh (self, sd_clock_get_now (sd_clock_get_default ()));
}

SdBoardCase *
sd_case_card_get_case (SdCaseCard *self)
{
  g_return_val_if_fail (SD_IS_CASE_CARD (self), NULL);

  return self->board_case;
}

const char *
sd_case_card_get_chip_text (SdCaseCard *self)
{
  return gtk_label_get_label (self->chip_label);
}

static void
sd_case_card_dispose (GObject *object)
{
  SdCaseCard *self = SD_CASE_CARD (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->board_case);
  g_clear_pointer (&self->chip_css, g_free);

  G_OBJECT_CLASS (sd_case_card_parent_class)->dispose (object);
}

static void
sd_case_card_class_init (SdCaseCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sd_case_card_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "casecard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_case_card_init (SdCaseCard *self)
{
  GtkBox *top = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  GtkBox *people = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6));
  GtkWidget *assignee_icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "avatar-default-symbolic",
                                           "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (self->box, "card");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->severity = add_label (top, "severity-pill", FALSE);
  self->number = add_label (top, "case-number", TRUE);
  self->type_icon = GTK_IMAGE (gtk_image_new ());
  gtk_box_append (top, GTK_WIDGET (self->type_icon));
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (top));

  self->title = add_label (GTK_BOX (self->box), "case-title", TRUE);
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_wrap_mode (self->title, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (self->title, 2);

  self->customer = add_label (people, "dim-label", TRUE);
  gtk_widget_add_css_class (assignee_icon, "dim-label");
  gtk_box_append (people, assignee_icon);
  self->assignee = add_label (people, "dim-label", FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (people));

  self->cover = add_label (GTK_BOX (self->box), "cover-label", TRUE);

  self->chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_set_halign (self->chip, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->chip, "sla-chip");
  self->chip_icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_box_append (GTK_BOX (self->chip), GTK_WIDGET (self->chip_icon));
  self->chip_label = add_label (GTK_BOX (self->chip), NULL, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->chip);
}

GtkWidget *
sd_case_card_new (void)
{
  return g_object_new (SD_TYPE_CASE_CARD, NULL);
}
