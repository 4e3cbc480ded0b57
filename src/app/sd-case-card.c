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

  SdBoardCase *board_case;  /* owned */
  char        *chip_css;
  int          chip_provisional_year;

  /* template children */
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

enum { PROP_0, PROP_CASE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
update_accessible_label (SdCaseCard *self)
{
  SdBoardCase *row = self->board_case;
  g_autofree char *pill = NULL;
  g_autofree char *label = NULL;
  GtkWidget *parent;

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
  /* In a list, the row is what takes the focus: it gets the name too. */
  parent = gtk_widget_get_parent (GTK_WIDGET (self));
  if (parent != NULL && gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent)) == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
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
  if (clock->provisional_year != self->chip_provisional_year)
    {
      g_autofree char *note = sd_sla_clock_provisional_note (clock);

      gtk_widget_set_tooltip_text (self->chip, note);
      self->chip_provisional_year = clock->provisional_year;
    }
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

  if (!g_set_object (&self->board_case, board_case))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE]);
  if (board_case == NULL)
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

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 SdCaseCard    *self)
{
  if (self->board_case == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, sd_board_case_get_id (self->board_case));
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               SdCaseCard    *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 24, 24);
}

static void
sd_case_card_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SdCaseCard *self = SD_CASE_CARD (object);

  switch (prop_id)
    {
    case PROP_CASE:
      g_value_set_object (value, self->board_case);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_case_card_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SdCaseCard *self = SD_CASE_CARD (object);

  switch (prop_id)
    {
    case PROP_CASE:
      sd_case_card_set_case (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_case_card_dispose (GObject *object)
{
  SdCaseCard *self = SD_CASE_CARD (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CASE_CARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->board_case);
  g_clear_pointer (&self->chip_css, g_free);

  G_OBJECT_CLASS (sd_case_card_parent_class)->dispose (object);
}

static void
sd_case_card_class_init (SdCaseCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sd_case_card_get_property;
  object_class->set_property = sd_case_card_set_property;
  object_class->dispose = sd_case_card_dispose;

  properties[PROP_CASE] =
    g_param_spec_object ("case", NULL, NULL, SD_TYPE_BOARD_CASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "casecard");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-case-card.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, severity);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, type_icon);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, number);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, title);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, customer);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, assignee);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, cover);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, chip);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, chip_icon);
  gtk_widget_class_bind_template_child (widget_class, SdCaseCard, chip_label);
  gtk_widget_class_bind_template_callback (widget_class, drag_prepare_cb);
  gtk_widget_class_bind_template_callback (widget_class, drag_begin_cb);
}

static void
sd_case_card_init (SdCaseCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sd_case_card_new (void)
{
  return g_object_new (SD_TYPE_CASE_CARD, NULL);
}
