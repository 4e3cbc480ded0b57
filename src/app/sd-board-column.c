/* sd-board-column.c
 *
 * A filter model over the board's one sorted model: the column costs its
 * visible rows. Its cards come from sd-case-card-item.ui through a
 * GtkBuilderListItemFactory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-board-column"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-board-case.h"
#include "sd-board-column.h"
#include "sd-list-keys.h"
#include "sd-case-card.h"

struct _SdBoardColumn
{
  GtkWidget parent_instance;

  SdCaseStatus        status;
  GtkFilterListModel *model;        /* owned */
  double              scroll;       /* kept across a reload */
  char               *selected_id;  /* kept across a reload */

  /* template children */
  GtkLabel           *title;
  GtkLabel           *count;
  GtkLabel           *summary;
  GtkListView        *view;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (SdBoardColumn, sd_board_column, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STATUS, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { CASE_ACTIVATED, CASE_DROPPED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
status_match (gpointer item,
              gpointer user_data)
{
  return sd_board_case_get_status (item) == GPOINTER_TO_UINT (user_data);
}

static void
view_activated_cb (SdBoardColumn *self,
                   guint          position)
{
  g_autoptr(SdBoardCase) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row != NULL)
    g_signal_emit (self, signals[CASE_ACTIVATED], 0, sd_board_case_get_id (row));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SdBoardColumn *self)
{
  const char *id = g_value_get_string (value);
  gboolean taken = FALSE;

  if (id == NULL)
    return FALSE;
  g_signal_emit (self, signals[CASE_DROPPED], 0, id, &taken);
  return taken;
}

static void
sd_board_column_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SdBoardColumn *self = SD_BOARD_COLUMN (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_board_column_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SdBoardColumn *self = SD_BOARD_COLUMN (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      self->status = g_value_get_enum (value);
      gtk_label_set_label (self->title, sd_case_status_get_label (self->status));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_board_column_dispose (GObject *object)
{
  SdBoardColumn *self = SD_BOARD_COLUMN (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_BOARD_COLUMN);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_pointer (&self->selected_id, g_free);

  G_OBJECT_CLASS (sd_board_column_parent_class)->dispose (object);
}

static void
sd_board_column_class_init (SdBoardColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sd_board_column_get_property;
  object_class->set_property = sd_board_column_set_property;
  object_class->dispose = sd_board_column_dispose;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, SD_TYPE_CASE_STATUS, SD_CASE_STATUS_NEW,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (case id) a card was activated (double click, Enter) */
  signals[CASE_ACTIVATED] = g_signal_new ("case-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (case id) a card was dropped here; returns whether the drop is taken */
  signals[CASE_DROPPED] = g_signal_new ("case-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, g_signal_accumulator_true_handled, NULL, NULL,
                                        G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  g_type_ensure (SD_TYPE_CASE_CARD);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-board-column.ui");
  gtk_widget_class_bind_template_child (widget_class, SdBoardColumn, title);
  gtk_widget_class_bind_template_child (widget_class, SdBoardColumn, count);
  gtk_widget_class_bind_template_child (widget_class, SdBoardColumn, summary);
  gtk_widget_class_bind_template_child (widget_class, SdBoardColumn, view);
  gtk_widget_class_bind_template_child (widget_class, SdBoardColumn, selection);
  gtk_widget_class_bind_template_callback (widget_class, view_activated_cb);
}

static void
sd_board_column_init (SdBoardColumn *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  gtk_widget_init_template (GTK_WIDGET (self));
  sd_list_keys_single_tab_stop (GTK_WIDGET (self->view));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

SdCaseStatus
sd_board_column_get_status (SdBoardColumn *self)
{
  g_return_val_if_fail (SD_IS_BOARD_COLUMN (self), SD_CASE_STATUS_NEW);

  return self->status;
}

void
sd_board_column_set_model (SdBoardColumn *self,
                           GListModel    *sorted,
                           GtkFilter     *filter)
{
  GtkEveryFilter *every = gtk_every_filter_new ();

  g_return_if_fail (SD_IS_BOARD_COLUMN (self));

  gtk_multi_filter_append (GTK_MULTI_FILTER (every),
                           GTK_FILTER (gtk_custom_filter_new (status_match, GUINT_TO_POINTER (self->status), NULL)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (filter));
  g_clear_object (&self->model);
  self->model = gtk_filter_list_model_new (g_object_ref (sorted), GTK_FILTER (every));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
}

GListModel *
sd_board_column_get_model (SdBoardColumn *self)
{
  return G_LIST_MODEL (self->model);
}

GtkSingleSelection *
sd_board_column_get_selection (SdBoardColumn *self)
{
  return self->selection;
}

GtkListView *
sd_board_column_get_view (SdBoardColumn *self)
{
  return self->view;
}

void
sd_board_column_update_summary (SdBoardColumn *self)
{
  GListModel *model = G_LIST_MODEL (self->model);
  guint n = g_list_model_get_n_items (model);
  guint n_at_risk = 0, n_breached = 0;
  g_autofree char *count = g_strdup_printf ("%u", n);
  g_autofree char *summary = NULL;
  g_autofree char *a11y = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdBoardCase) row = g_list_model_get_item (model, i);
      const SdSlaClock *clock = sd_board_case_get_shown_clock (row, NULL);

      if (clock->state == SD_SLA_AT_RISK)
        n_at_risk++;
      else if (clock->state == SD_SLA_BREACHED)
        n_breached++;
    }
  if (n_at_risk > 0 && n_breached > 0)
    /* Translators: a column's summary, e.g. "2 at risk · 1 breached" */
    summary = g_strdup_printf (_("%u at risk · %u breached"), n_at_risk, n_breached);
  else if (n_at_risk > 0)
    summary = g_strdup_printf (_("%u at risk"), n_at_risk);
  else if (n_breached > 0)
    summary = g_strdup_printf (_("%u breached"), n_breached);
  gtk_label_set_label (self->count, count);
  gtk_label_set_label (self->summary, summary ? summary : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary), summary != NULL);
  /* Translators: the accessible name of a board column, e.g. "New, 12 cases" */
  a11y = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u case", "%s, %u cases", n),
                          sd_case_status_get_label (self->status), n);
  if (summary != NULL)
    {
      char *with = g_strconcat (a11y, ", ", summary, NULL);

      g_free (a11y);
      a11y = with;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
}

const char *
sd_board_column_get_summary (SdBoardColumn *self)
{
  return gtk_label_get_label (self->summary);
}

/* The list view makes widgets for the rows on screen (and a few more)
 * only: those are the cards to tick. */
void
sd_board_column_collect_cards (SdBoardColumn *self,
                               GPtrArray     *cards)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *card = gtk_widget_get_first_child (item);

      if (SD_IS_CASE_CARD (card) && sd_case_card_get_case (SD_CASE_CARD (card)) != NULL)
        g_ptr_array_add (cards, card);
    }
}

void
sd_board_column_remember_place (SdBoardColumn *self)
{
  SdBoardCase *selected = gtk_single_selection_get_selected_item (self->selection);

  self->scroll = gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view)));
  g_free (self->selected_id);
  self->selected_id = selected ? g_strdup (sd_board_case_get_id (selected)) : NULL;
}

void
sd_board_column_restore_selection (SdBoardColumn *self)
{
  GListModel *model = G_LIST_MODEL (self->model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; self->selected_id != NULL && i < n; i++)
    {
      g_autoptr(SdBoardCase) row = g_list_model_get_item (model, i);

      if (g_str_equal (sd_board_case_get_id (row), self->selected_id))
        {
          gtk_single_selection_set_selected (self->selection, i);
          break;
        }
    }
  g_clear_pointer (&self->selected_id, g_free);
}

void
sd_board_column_restore_scroll (SdBoardColumn *self)
{
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view)), self->scroll);
}
