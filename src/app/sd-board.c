/* sd-board.c
 *
 * One GListStore of SdBoardCase rows, sorted once by urgency
 * (GtkSortListModel) and cut into status columns by filter models, so a
 * column of 100,000 cases costs its visible rows. The shared clock ticks
 * the bound cards only; the alerts of rows that are not on screen are
 * evaluated a slice at a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-board"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-board.h"
#include "sd-case-card.h"
#include "sd-clock.h"
#include "sd-sla-text.h"

#define N_COLUMNS       SD_N_CASE_STATUSES
#define SCAN_SLICE      10000   /* rows whose alerts one tick evaluates */
#define RELOAD_DELAY_MS 150
#define RESORT_INTERVAL (10 * G_USEC_PER_SEC)

typedef struct {
  SdBoard            *board;
  SdCaseStatus        status;
  GtkWidget          *box;
  GtkLabel           *count;
  GtkLabel           *summary;
  GtkFilterListModel *model;
  GtkSingleSelection *selection;
  GtkListView        *view;
  guint               n_at_risk;
  guint               n_breached;
  double              scroll;       /* kept across a reload */
  char               *selected_id;  /* kept across a reload */
} Column;

struct _SdBoard
{
  GtkWidget parent_instance;

  GSettings    *settings;
  SdLocalStore *store;
  char         *login;
  gulong        changed_handler;
  GCancellable *cancellable;
  guint         reload_source;
  gboolean      reloading;
  gboolean      reload_again;
  SdBoardData  *data;
  GHashTable   *rows;         /* id → SdBoardCase, borrowed from the store below */

  GListStore         *cases;
  GtkCustomSorter    *sorter;
  GtkSortListModel   *sorted;
  GtkCustomFilter    *filter;  /* scope, customer, severities, types, search */
  GPtrArray          *bound;   /* SdCaseCard on screen */
  guint               scan_position;
  gboolean            resort_pending;
  gint64              last_resort;   /* monotonic µs */
  guint               summary_source;
  guint               restore_source;

  /* filter state, from GSettings and the search entry */
  gboolean  only_mine;
  char     *customer_id;
  guint     severities;        /* bit n: severity n shown */
  GStrv     types;
  char     *search;

  GtkWidget    *toolbar;
  GtkWidget    *search_bar;
  GtkWidget    *search_entry;
  GtkWidget    *filter_button;
  GtkWidget    *filter_label;
  GtkWidget    *stack;
  GtkWidget    *columns_box;
  Column        columns[N_COLUMNS];
  GSimpleActionGroup *actions;
  GMenu        *customer_menu;
};

G_DEFINE_FINAL_TYPE (SdBoard, sd_board, GTK_TYPE_WIDGET)

enum { CASE_ACTIVATED, ALERT, MOVED, LOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------ filtering */

static gboolean
filter_match (gpointer item,
              gpointer user_data)
{
  SdBoard *self = user_data;
  SdBoardCase *row = item;
  int severity = sd_board_case_get_severity (row);

  if (self->only_mine && self->data != NULL && self->data->me != NULL
      && g_strcmp0 (sd_board_case_get_assignee_id (row), self->data->me) != 0)
    return FALSE;
  if (self->customer_id != NULL && *self->customer_id != '\0'
      && g_strcmp0 (sd_board_case_get_customer_id (row), self->customer_id) != 0)
    return FALSE;
  if (!(self->severities & (1u << severity)))
    return FALSE;
  if (!g_strv_contains ((const char * const *) self->types,
                        sd_case_type_to_string (sd_board_case_get_case_type (row))))
    return FALSE;
  if (self->search != NULL && strstr (sd_board_case_get_search_key (row), self->search) == NULL)
    return FALSE;
  return TRUE;
}

static gboolean
status_match (gpointer item,
              gpointer user_data)
{
  return sd_board_case_get_status (item) == GPOINTER_TO_UINT (user_data);
}

static int
urgency_compare (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return sd_board_case_compare_urgency ((SdBoardCase *) a, (SdBoardCase *) b);
}

static void
update_filter_label (SdBoard *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_severities = 0;

  for (int s = 1; s <= 4; s++)
    n_severities += (self->severities >> s) & 1;
  if (self->customer_id != NULL && *self->customer_id != '\0' && self->data != NULL)
    {
      SdBoardCustomer *customer = g_hash_table_lookup (self->data->customers, self->customer_id);

      if (customer != NULL)
        g_string_append (text, sd_customer_get_name (customer->customer));
    }
  if (n_severities < 4)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      for (int s = 1, first = 1; s <= 4; s++)
        if ((self->severities >> s) & 1)
          {
            /* Translators: a severity in the filter summary, e.g. "S1" */
            g_string_append_printf (text, first ? _("S%d") : ", S%d", s);
            first = 0;
          }
    }
  if (g_strv_length (self->types) < 5)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      /* Translators: how many of the five case types the filter shows */
      g_string_append_printf (text, _("%u of 5 types"), g_strv_length (self->types));
    }
  gtk_label_set_label (GTK_LABEL (self->filter_label), text->len > 0 ? text->str : _("All Cases"));
  if (text->len > 0)
    gtk_widget_add_css_class (self->filter_button, "accent");
  else
    gtk_widget_remove_css_class (self->filter_button, "accent");
}

static void
read_filters (SdBoard *self)
{
  g_autofree char *scope = g_settings_get_string (self->settings, "board-scope");
  g_autoptr(GVariant) value = NULL;
  GVariantIter iter;
  gint32 severity;

  self->only_mine = g_str_equal (scope, "mine");
  g_free (self->customer_id);
  self->customer_id = g_settings_get_string (self->settings, "board-customer");
  value = g_settings_get_value (self->settings, "board-severities");
  self->severities = 0;
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "i", &severity))
    if (severity >= 1 && severity <= 4)
      self->severities |= 1u << severity;
  g_strfreev (self->types);
  self->types = g_settings_get_strv (self->settings, "board-types");

  for (int s = 1; s <= 4; s++)
    {
      g_autofree char *name = g_strdup_printf ("severity-%d", s);

      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name)),
                                 g_variant_new_boolean ((self->severities >> s) & 1));
    }
  for (SdCaseType t = SD_CASE_TYPE_INCIDENT; t <= SD_CASE_TYPE_SERVICE_REQUEST; t++)
    {
      g_autofree char *name = g_strconcat ("type-", sd_case_type_to_string (t), NULL);

      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name)),
                                 g_variant_new_boolean (g_strv_contains ((const char * const *) self->types,
                                                                         sd_case_type_to_string (t))));
    }
  update_filter_label (self);
}

static void
settings_changed_cb (SdBoard    *self,
                     const char *key)
{
  if (g_str_equal (key, "board-show-closed"))
    {
      gtk_widget_set_visible (self->columns[SD_CASE_STATUS_CLOSED].box,
                              g_settings_get_boolean (self->settings, key));
      return;
    }
  if (!g_str_has_prefix (key, "board-"))
    return;
  read_filters (self);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* The search entry's text, applied to the board now. GtkSearchEntry says
 * "search-changed" only after a pause in typing; Enter and leaving the
 * entry (Tab, a click on a card) apply what is typed at once, so the user
 * never acts on the board as it was before the search. */
static void
apply_search (SdBoard *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *search = *stripped != '\0' ? g_utf8_casefold (stripped, -1) : NULL;

  if (g_strcmp0 (search, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_steal_pointer (&search);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* Enter: the search applies, and the keyboard goes on to the first case
 * found (the most urgent of the leftmost column that has one). */
static void
search_activated_cb (SdBoard *self)
{
  apply_search (self);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      Column *column = &self->columns[c];

      if (!gtk_widget_get_visible (column->box)
          || g_list_model_get_n_items (G_LIST_MODEL (column->selection)) == 0)
        continue;
      gtk_single_selection_set_selected (column->selection, 0);
      gtk_widget_grab_focus (GTK_WIDGET (column->view));
      return;
    }
}

static void
toggle_severity (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SdBoard *self = user_data;
  int severity = g_ascii_digit_value (g_action_get_name (G_ACTION (action))[strlen ("severity-")]);
  GVariantBuilder builder;
  guint wanted = self->severities ^ (1u << severity);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("ai"));
  for (int s = 1; s <= 4; s++)
    if ((wanted >> s) & 1)
      g_variant_builder_add (&builder, "i", s);
  g_settings_set_value (self->settings, "board-severities", g_variant_builder_end (&builder));
}

static void
toggle_type (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  SdBoard *self = user_data;
  const char *type = g_action_get_name (G_ACTION (action)) + strlen ("type-");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) types = NULL;
  gboolean shown = g_strv_contains ((const char * const *) self->types, type);

  for (guint i = 0; self->types[i] != NULL; i++)
    if (!g_str_equal (self->types[i], type))
      g_strv_builder_add (builder, self->types[i]);
  if (!shown)
    g_strv_builder_add (builder, type);
  types = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "board-types", (const char * const *) types);
}

static void
reset_filters (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  SdBoard *self = user_data;

  g_settings_delay (self->settings);
  g_settings_reset (self->settings, "board-customer");
  g_settings_reset (self->settings, "board-severities");
  g_settings_reset (self->settings, "board-types");
  g_settings_apply (self->settings);
}

static void
rebuild_customer_menu (SdBoard *self)
{
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GMenuItem) all = g_menu_item_new (_("All Customers"), NULL);

  g_menu_remove_all (self->customer_menu);
  g_menu_item_set_action_and_target_value (all, "board.board-customer", g_variant_new_string (""));
  g_menu_append_item (self->customer_menu, all);
  if (self->data == NULL)
    return;
  customers = sd_board_data_list_customers (self->data);
  for (guint i = 0; i < customers->len; i++)
    {
      SdCustomer *customer = ((SdBoardCustomer *) customers->pdata[i])->customer;
      g_autoptr(GMenuItem) item = g_menu_item_new (sd_customer_get_name (customer), NULL);

      g_menu_item_set_action_and_target_value (item, "board.board-customer",
                                               g_variant_new_string (sd_customer_get_id (customer)));
      g_menu_append_item (self->customer_menu, item);
    }
}

/* --------------------------------------------------------------- columns */

static void
update_summaries (SdBoard *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      Column *column = &self->columns[c];
      GListModel *model = G_LIST_MODEL (column->model);
      guint n = g_list_model_get_n_items (model);
      g_autofree char *count = g_strdup_printf ("%u", n);
      g_autofree char *summary = NULL;
      g_autofree char *a11y = NULL;

      column->n_at_risk = column->n_breached = 0;
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SdBoardCase) row = g_list_model_get_item (model, i);
          const SdSlaClock *clock = sd_board_case_get_shown_clock (row, NULL);

          if (clock->state == SD_SLA_AT_RISK)
            column->n_at_risk++;
          else if (clock->state == SD_SLA_BREACHED)
            column->n_breached++;
        }
      if (column->n_at_risk > 0 && column->n_breached > 0)
        /* Translators: a column's summary, e.g. "2 at risk · 1 breached" */
        summary = g_strdup_printf (_("%u at risk · %u breached"), column->n_at_risk, column->n_breached);
      else if (column->n_at_risk > 0)
        summary = g_strdup_printf (_("%u at risk"), column->n_at_risk);
      else if (column->n_breached > 0)
        summary = g_strdup_printf (_("%u breached"), column->n_breached);
      gtk_label_set_label (column->count, count);
      gtk_label_set_label (column->summary, summary ? summary : "");
      gtk_widget_set_visible (GTK_WIDGET (column->summary), summary != NULL);
      /* Translators: the accessible name of a board column, e.g. "New, 12 cases" */
      a11y = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u case", "%s, %u cases", n),
                              sd_case_status_get_label (column->status), n);
      if (summary != NULL)
        {
          char *with = g_strconcat (a11y, ", ", summary, NULL);

          g_free (a11y);
          a11y = with;
        }
      gtk_accessible_update_property (GTK_ACCESSIBLE (column->view), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
    }
}

static gboolean
update_summaries_cb (gpointer user_data)
{
  SdBoard *self = user_data;

  self->summary_source = 0;
  update_summaries (self);
  return G_SOURCE_REMOVE;
}

static void
queue_summaries (SdBoard *self)
{
  if (self->summary_source == 0)
    self->summary_source = g_idle_add_full (G_PRIORITY_LOW, update_summaries_cb, self, NULL);
}

static void
setup_card (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            SdBoard                  *self);

static void
bind_card (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SdBoard                  *self)
{
  SdCaseCard *card = SD_CASE_CARD (gtk_list_item_get_child (item));

  sd_case_card_set_case (card, gtk_list_item_get_item (item));
  g_ptr_array_add (self->bound, card);
}

static void
unbind_card (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SdBoard                  *self)
{
  SdCaseCard *card = SD_CASE_CARD (gtk_list_item_get_child (item));

  g_ptr_array_remove_fast (self->bound, card);
  sd_case_card_set_case (card, NULL);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 SdCaseCard    *card)
{
  SdBoardCase *row = sd_case_card_get_case (card);

  if (row == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, sd_board_case_get_id (row));
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               SdCaseCard    *card)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (card));

  gtk_drag_source_set_icon (source, paintable, 24, 24);
}

static void
setup_card (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            SdBoard                  *self)
{
  GtkWidget *card = sd_case_card_new ();
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), card);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), card);
  gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (source));
  gtk_list_item_set_child (item, card);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         Column        *column)
{
  const char *id = g_value_get_string (value);
  SdBoardCase *row = id ? sd_board_lookup (column->board, id) : NULL;

  if (row == NULL || sd_board_case_get_status (row) == column->status)
    return FALSE;
  sd_board_move (column->board, id, column->status, TRUE);
  return TRUE;
}

static void
activate_cb (GtkListView *view,
             guint        position,
             Column      *column)
{
  g_autoptr(SdBoardCase) row = g_list_model_get_item (G_LIST_MODEL (column->model), position);

  if (row != NULL)
    g_signal_emit (column->board, signals[CASE_ACTIVATED], 0, sd_board_case_get_id (row));
}

static void
column_items_changed_cb (SdBoard *self)
{
  queue_summaries (self);
}

static void
build_column (SdBoard      *self,
              SdCaseStatus  status)
{
  Column *column = &self->columns[status];
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEveryFilter *every = gtk_every_filter_new ();
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (sd_case_status_get_label (status));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  column->board = self;
  column->status = status;
  column->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (column->box, "board-column");
  gtk_widget_set_size_request (column->box, 260, -1);
  gtk_widget_set_hexpand (column->box, TRUE);

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (header), title);
  column->count = GTK_LABEL (gtk_label_new ("0"));
  gtk_widget_add_css_class (GTK_WIDGET (column->count), "column-count");
  gtk_widget_set_valign (GTK_WIDGET (column->count), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (column->count));
  column->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (column->summary), "column-summary");
  gtk_label_set_xalign (column->summary, 1);
  gtk_widget_set_hexpand (GTK_WIDGET (column->summary), TRUE);
  gtk_label_set_ellipsize (column->summary, PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (column->summary));
  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_end (header, 6);
  gtk_box_append (GTK_BOX (column->box), header);

  gtk_multi_filter_append (GTK_MULTI_FILTER (every), GTK_FILTER (gtk_custom_filter_new (status_match, GUINT_TO_POINTER (status), NULL)));
  gtk_multi_filter_append (GTK_MULTI_FILTER (every), g_object_ref (GTK_FILTER (self->filter)));
  column->model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sorted)), GTK_FILTER (every));
  column->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (column->model)));
  gtk_single_selection_set_autoselect (column->selection, FALSE);
  gtk_single_selection_set_can_unselect (column->selection, TRUE);
  g_signal_connect_object (column->model, "items-changed", G_CALLBACK (column_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_card), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card), self);
  column->view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (g_object_ref (column->selection)),
                                                   g_object_ref (factory)));
  gtk_list_view_set_single_click_activate (column->view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (column->view), "board-list");
  g_signal_connect (column->view, "activate", G_CALLBACK (activate_cb), column);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (column->view));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (column->box), scroller);

  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), column);
  gtk_widget_add_controller (column->box, GTK_EVENT_CONTROLLER (drop));

  gtk_box_append (GTK_BOX (self->columns_box), column->box);
}

/* ------------------------------------------------------------- loading */

/* A reload replaces every row: each column keeps its scroll position and
 * its selected case across it. */
static void
remember_places (SdBoard *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      Column *column = &self->columns[c];
      SdBoardCase *selected = gtk_single_selection_get_selected_item (column->selection);

      column->scroll = gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (column->view)));
      g_free (column->selected_id);
      column->selected_id = selected ? g_strdup (sd_board_case_get_id (selected)) : NULL;
    }
}

static gboolean
restore_scroll_cb (gpointer user_data)
{
  SdBoard *self = user_data;

  for (guint c = 0; c < N_COLUMNS; c++)
    gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->columns[c].view)),
                              self->columns[c].scroll);
  self->restore_source = 0;
  return G_SOURCE_REMOVE;
}

static void
restore_places (SdBoard *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      Column *column = &self->columns[c];
      GListModel *model = G_LIST_MODEL (column->model);
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; column->selected_id != NULL && i < n; i++)
        {
          g_autoptr(SdBoardCase) row = g_list_model_get_item (model, i);

          if (g_str_equal (sd_board_case_get_id (row), column->selected_id))
            {
              gtk_single_selection_set_selected (column->selection, i);
              break;
            }
        }
      g_clear_pointer (&column->selected_id, g_free);
    }
  /* After the columns have been laid out with their new rows. */
  g_clear_handle_id (&self->restore_source, g_source_remove);
  self->restore_source = g_idle_add_full (GTK_PRIORITY_RESIZE + 10, restore_scroll_cb, self, NULL);
}

static void
apply_data (SdBoard     *self,
            SdBoardData *data)
{
  GHashTable *rows = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *cases = data->cases;

  /* Alerts already given survive the reload. */
  for (guint i = 0; i < cases->len; i++)
    {
      SdBoardCase *row = cases->pdata[i];
      SdBoardCase *before = self->rows ? g_hash_table_lookup (self->rows, sd_board_case_get_id (row)) : NULL;

      if (before != NULL)
        sd_board_case_carry_alerts (row, before);
      g_hash_table_insert (rows, (gpointer) sd_board_case_get_id (row), row);
    }
  remember_places (self);
  g_list_store_splice (self->cases, 0, g_list_model_get_n_items (G_LIST_MODEL (self->cases)),
                       cases->pdata, cases->len);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  self->rows = rows;
  g_clear_pointer (&self->data, sd_board_data_unref);
  self->data = data;
  rebuild_customer_menu (self);
  update_filter_label (self);
  /* "My cases" needs to know who "me" is. */
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "board");
  update_summaries (self);
  restore_places (self);
  g_signal_emit (self, signals[LOADED], 0);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdBoard) self = user_data;
  g_autoptr(GError) error = NULL;
  SdBoardData *data = sd_board_load_finish (SD_LOCAL_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->reloading = FALSE;
  if (data == NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", error->message);
  else if (SD_LOCAL_STORE (object) == self->store)
    apply_data (self, data);
  else
    sd_board_data_unref (data);
  if (self->reload_again)
    sd_board_reload (self);
}

void
sd_board_reload (SdBoard *self)
{
  g_return_if_fail (SD_IS_BOARD (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->store == NULL)
    return;
  /* One load at a time; changes meanwhile ask for one more. */
  if (self->reloading)
    {
      self->reload_again = TRUE;
      return;
    }
  self->reloading = TRUE;
  self->reload_again = FALSE;
  sd_board_load_async (self->store, self->login, sd_clock_get_now (sd_clock_get_default ()),
                       self->cancellable, loaded_cb, g_object_ref (self));
}

static gboolean
reload_cb (gpointer user_data)
{
  SdBoard *self = user_data;

  self->reload_source = 0;
  sd_board_reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (SdBoard *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_cb, self);
}

void
sd_board_set_store (SdBoard      *self,
                    SdLocalStore *store,
                    const char   *login)
{
  g_return_if_fail (SD_IS_BOARD (self));

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->reloading = FALSE;
  g_set_object (&self->store, store);
  g_free (self->login);
  self->login = g_strdup (login);

  g_list_store_remove_all (self->cases);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->data, sd_board_data_unref);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  if (store != NULL)
    {
      self->changed_handler = g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                                                       G_CONNECT_SWAPPED);
      sd_board_reload (self);
    }
}

gboolean
sd_board_is_loaded (SdBoard *self)
{
  return self->data != NULL && !self->reloading && self->reload_source == 0;
}

SdBoardData *
sd_board_get_data (SdBoard *self)
{
  return self->data;
}

SdBoardCase *
sd_board_lookup (SdBoard    *self,
                 const char *id)
{
  return self->rows ? g_hash_table_lookup (self->rows, id) : NULL;
}

/* --------------------------------------------------------------- moving */

typedef struct {
  SdBoard      *board;
  char         *id;
  char         *label;
  SdCaseStatus  from;
  SdCaseStatus  to;
  gboolean      announce;
} Move;

static void
move_free (Move *move)
{
  g_object_unref (move->board);
  g_free (move->id);
  g_free (move->label);
  g_free (move);
}

static void
moved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Move *move = user_data;
  g_autoptr(GError) error = NULL;

  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0)
    {
      g_autofree char *message = g_strdup_printf (_("Could not move %s: %s"), move->label, error->message);

      gtk_widget_activate_action (GTK_WIDGET (move->board), "win.toast", "s", message);
    }
  else
    g_signal_emit (move->board, signals[MOVED], 0, move->id, move->label, move->from, move->to, move->announce);
  move_free (move);
}

void
sd_board_move (SdBoard      *self,
               const char   *id,
               SdCaseStatus  status,
               gboolean      announce)
{
  SdBoardCase *row;
  g_autoptr(JsonNode) patch = NULL;
  Move *move;

  g_return_if_fail (SD_IS_BOARD (self));

  if (self->store == NULL || !(row = sd_board_lookup (self, id)) || sd_board_case_get_status (row) == status)
    return;
  patch = sd_case_build_status_patch (sd_board_case_get_status (row), status,
                                      sd_clock_get_now (sd_clock_get_default ()));

  move = g_new0 (Move, 1);
  move->board = g_object_ref (self);
  move->id = g_strdup (id);
  move->label = g_strdup (sd_board_case_get_number (row) ? sd_board_case_get_number (row)
                                                         : sd_board_case_get_title (row));
  move->from = sd_board_case_get_status (row);
  move->to = status;
  move->announce = announce;
  sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_UPDATE, "case", id, patch,
                                sd_board_case_get_version (row), NULL, moved_cb, move);
}

/* The focused column's selected case, one column left or right. */
static void
move_selected (SdBoard *self,
               int      direction)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      Column *column = &self->columns[c];
      SdBoardCase *row;
      int target = (int) c + direction;

      if (!gtk_widget_has_focus (GTK_WIDGET (column->view))
          && !gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self))),
                                      GTK_WIDGET (column->view)))
        continue;
      row = gtk_single_selection_get_selected_item (column->selection);
      if (row == NULL || target < 0 || target >= (int) N_COLUMNS
          || (target == SD_CASE_STATUS_CLOSED && !gtk_widget_get_visible (self->columns[target].box)))
        return;
      sd_board_move (self, sd_board_case_get_id (row), target, TRUE);
      return;
    }
}

static void
move_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move_selected (SD_BOARD (widget), g_str_equal (action_name, "board.move-right") ? 1 : -1);
}

/* ----------------------------------------------------------------- time */

/* Updates @slice rows from the scan position on, raises their alerts and
 * refreshes the cards on screen. */
static void
scan (SdBoard  *self,
      guint     slice,
      gboolean  resort_now)
{
  gint64 now = sd_clock_get_now (sd_clock_get_default ());
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->cases));
  gboolean reorder = FALSE;

  for (guint i = 0; i < self->bound->len; i++)
    sd_case_card_refresh (self->bound->pdata[i], now);

  /* Every row at least every n / SCAN_SLICE seconds; all of them at each
   * tick on a board of ordinary size. */
  for (guint k = 0; k < slice; k++)
    {
      SdBoardCase *row;
      SdBoardAlert alert;

      self->scan_position = (self->scan_position + 1) % n;
      row = g_list_model_get_item (G_LIST_MODEL (self->cases), self->scan_position);
      reorder |= sd_board_case_update (row, now);
      if ((alert = sd_board_case_take_alert (row)) != SD_BOARD_ALERT_NONE)
        {
          reorder = TRUE;
          g_signal_emit (self, signals[ALERT], 0, row, alert);
        }
      g_object_unref (row);
    }
  /* A card that turned at risk on screen changed its row already. */
  for (guint i = 0; i < self->bound->len; i++)
    {
      SdBoardCase *row = sd_case_card_get_case (self->bound->pdata[i]);
      SdBoardAlert alert;

      if (row != NULL && (alert = sd_board_case_take_alert (row)) != SD_BOARD_ALERT_NONE)
        {
          reorder = TRUE;
          g_signal_emit (self, signals[ALERT], 0, row, alert);
        }
    }
  /* A big board re-sorts at most every RESORT_INTERVAL: states change
   * somewhere every second there, and a re-sort is a pass over every row. */
  self->resort_pending |= reorder;
  if (self->resort_pending
      && (resort_now || n <= SCAN_SLICE || g_get_monotonic_time () - self->last_resort >= RESORT_INTERVAL))
    {
      self->resort_pending = FALSE;
      self->last_resort = g_get_monotonic_time ();
      gtk_sorter_changed (GTK_SORTER (self->sorter), GTK_SORTER_CHANGE_DIFFERENT);
      queue_summaries (self);
    }
}

void
sd_board_tick (SdBoard *self)
{
  scan (self, MIN (g_list_model_get_n_items (G_LIST_MODEL (self->cases)), SCAN_SLICE), FALSE);
}

void
sd_board_catch_up (SdBoard *self)
{
  g_return_if_fail (SD_IS_BOARD (self));

  scan (self, g_list_model_get_n_items (G_LIST_MODEL (self->cases)), TRUE);
}

/* --------------------------------------------------------------- public */

void
sd_board_start_search (SdBoard *self)
{
  gtk_search_bar_set_search_mode (GTK_SEARCH_BAR (self->search_bar), TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

GtkListView *
sd_board_get_column_view (SdBoard      *self,
                          SdCaseStatus  status)
{
  return self->columns[status].view;
}

guint
sd_board_get_column_count (SdBoard      *self,
                           SdCaseStatus  status)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->columns[status].model));
}

const char *
sd_board_get_column_summary (SdBoard      *self,
                             SdCaseStatus  status)
{
  update_summaries (self);
  return gtk_label_get_label (self->columns[status].summary);
}

/* ------------------------------------------------------------ lifecycle */

static GtkWidget *
build_filter_menu_button (SdBoard *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) scope = g_menu_new ();
  g_autoptr(GMenu) severities = g_menu_new ();
  g_autoptr(GMenu) types = g_menu_new ();
  g_autoptr(GMenu) closed = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "view-list-bullet-symbolic",
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);

  g_menu_append (scope, _("_My Cases"), "board.board-scope::mine");
  g_menu_append (scope, _("All of _My Customers’ Cases"), "board.board-scope::all");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (scope));
  self->customer_menu = g_menu_new ();
  g_menu_append_submenu (menu, _("_Customer"), G_MENU_MODEL (self->customer_menu));
  for (int s = 1; s <= 4; s++)
    {
      g_autofree char *label = sd_severity_pill_text (s);
      g_autofree char *action = g_strdup_printf ("board.severity-%d", s);

      g_menu_append (severities, label, action);
    }
  g_menu_append_section (menu, _("Severity"), G_MENU_MODEL (severities));
  for (SdCaseType t = SD_CASE_TYPE_INCIDENT; t <= SD_CASE_TYPE_SERVICE_REQUEST; t++)
    {
      g_autofree char *action = g_strconcat ("board.type-", sd_case_type_to_string (t), NULL);

      g_menu_append (types, sd_case_type_get_label (t), action);
    }
  g_menu_append_section (menu, _("Type"), G_MENU_MODEL (types));
  g_menu_append (closed, _("Show _Closed Cases"), "board.board-show-closed");
  g_menu_append (closed, _("_Reset Filters"), "board.reset-filters");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (closed));

  self->filter_label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->filter_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), self->filter_label);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("pan-down-symbolic"));
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), box);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_tooltip_text (button, _("Filter the board (Ctrl+Shift+F)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Filters"), -1);
  return button;
}

static void
build_scope_switch (SdBoard *self,
                    GtkBox  *toolbar)
{
  GtkWidget *linked = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *mine = gtk_toggle_button_new_with_mnemonic (_("_Mine"));
  GtkWidget *all = gtk_toggle_button_new_with_mnemonic (_("_All"));

  gtk_widget_add_css_class (linked, "linked");
  gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (mine), "board.board-scope::mine");
  gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (all), "board.board-scope::all");
  gtk_widget_set_tooltip_text (mine, _("Only the cases assigned to you"));
  gtk_widget_set_tooltip_text (all, _("Every case of the customers you look after"));
  gtk_box_append (GTK_BOX (linked), mine);
  gtk_box_append (GTK_BOX (linked), all);
  gtk_box_append (toolbar, linked);
}

static void
sd_board_dispose (GObject *object)
{
  SdBoard *self = SD_BOARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  g_clear_handle_id (&self->restore_source, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_pointer (&self->toolbar, gtk_widget_unparent);
  g_clear_pointer (&self->search_bar, gtk_widget_unparent);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_clear_object (&self->columns[c].model);
      g_clear_object (&self->columns[c].selection);
      g_clear_pointer (&self->columns[c].selected_id, g_free);
    }
  g_clear_object (&self->sorted);
  g_clear_object (&self->cases);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  g_clear_object (&self->customer_menu);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);

  G_OBJECT_CLASS (sd_board_parent_class)->dispose (object);
}

static void
sd_board_finalize (GObject *object)
{
  SdBoard *self = SD_BOARD (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->data, sd_board_data_unref);
  g_clear_pointer (&self->bound, g_ptr_array_unref);
  g_free (self->login);
  g_free (self->customer_id);
  g_free (self->search);
  g_strfreev (self->types);

  G_OBJECT_CLASS (sd_board_parent_class)->finalize (object);
}

static void
sd_board_class_init (SdBoardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_board_dispose;
  object_class->finalize = sd_board_finalize;

  /* (case id) */
  signals[CASE_ACTIVATED] = g_signal_new ("case-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (row, SdBoardAlert) */
  signals[ALERT] = g_signal_new ("alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2, SD_TYPE_BOARD_CASE, G_TYPE_INT);
  /* (id, label, from, to, announce) once the move is in the outbox */
  signals[MOVED] = g_signal_new ("moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING,
                                 G_TYPE_INT, G_TYPE_INT, G_TYPE_BOOLEAN);
  /* the rows and the data were replaced */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "board");
  gtk_widget_class_install_action (widget_class, "board.move-right", NULL, move_next_action);
  gtk_widget_class_install_action (widget_class, "board.move-left", NULL, move_next_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "board.move-right", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "board.move-left", NULL);
}

static void
sd_board_init (SdBoard *self)
{
  static const char * const settings_actions[] = { "board-scope", "board-customer", "board-show-closed" };
  GtkWidget *scroller, *loading, *spinner;
  GtkEventController *search_focus;
  GtkBox *toolbar;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->settings = g_settings_new (BASE_ID);
  self->cancellable = g_cancellable_new ();
  self->bound = g_ptr_array_new ();
  self->types = g_new0 (char *, 1);

  self->actions = g_simple_action_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (settings_actions); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (self->settings, settings_actions[i]);

      g_action_map_add_action (G_ACTION_MAP (self->actions), action);
    }
  for (int s = 1; s <= 4; s++)
    {
      g_autofree char *name = g_strdup_printf ("severity-%d", s);
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (name, NULL, g_variant_new_boolean (TRUE));

      g_signal_connect (action, "activate", G_CALLBACK (toggle_severity), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
    }
  for (SdCaseType t = SD_CASE_TYPE_INCIDENT; t <= SD_CASE_TYPE_SERVICE_REQUEST; t++)
    {
      g_autofree char *name = g_strconcat ("type-", sd_case_type_to_string (t), NULL);
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (name, NULL, g_variant_new_boolean (TRUE));

      g_signal_connect (action, "activate", G_CALLBACK (toggle_type), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
    }
  {
    g_autoptr(GSimpleAction) reset = g_simple_action_new ("reset-filters", NULL);

    g_signal_connect (reset, "activate", G_CALLBACK (reset_filters), self);
    g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (reset));
  }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "board", G_ACTION_GROUP (self->actions));

  self->cases = g_list_store_new (SD_TYPE_BOARD_CASE);
  self->sorter = gtk_custom_sorter_new (urgency_compare, NULL, NULL);
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->cases)),
                                          g_object_ref (GTK_SORTER (self->sorter)));
  self->filter = gtk_custom_filter_new (filter_match, self, NULL);

  /* toolbar: scope, filters; the search bar below it */
  self->toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  toolbar = GTK_BOX (self->toolbar);
  gtk_widget_add_css_class (self->toolbar, "board-toolbar");
  build_scope_switch (self, toolbar);
  self->filter_button = build_filter_menu_button (self);
  gtk_box_append (toolbar, self->filter_button);
  gtk_widget_set_parent (self->toolbar, GTK_WIDGET (self));

  self->search_bar = gtk_search_bar_new ();
  self->search_entry = gtk_search_entry_new ();
  gtk_widget_set_size_request (self->search_entry, 360, -1);
  g_object_set (self->search_entry, "placeholder-text", _("Search number, title or customer"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Search cases"), -1);
  gtk_search_bar_set_child (GTK_SEARCH_BAR (self->search_bar), self->search_entry);
  gtk_search_bar_connect_entry (GTK_SEARCH_BAR (self->search_bar), GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (apply_search), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (search_activated_cb), self,
                           G_CONNECT_SWAPPED);
  search_focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (search_focus, "leave", G_CALLBACK (apply_search), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->search_entry, search_focus);
  gtk_widget_set_parent (self->search_bar, GTK_WIDGET (self));

  self->stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->stack, TRUE);
  loading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_valign (loading, GTK_ALIGN_CENTER);
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_box_append (GTK_BOX (loading), spinner);
  gtk_box_append (GTK_BOX (loading), gtk_label_new (_("Loading cases…")));
  gtk_stack_add_named (GTK_STACK (self->stack), loading, "loading");

  self->columns_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (self->columns_box), TRUE);
  gtk_widget_add_css_class (self->columns_box, "board-columns");
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->columns_box);
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "board");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  for (SdCaseStatus status = 0; status < N_COLUMNS; status++)
    build_column (self, status);
  gtk_widget_set_visible (self->columns[SD_CASE_STATUS_CLOSED].box,
                          g_settings_get_boolean (self->settings, "board-show-closed"));

  read_filters (self);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sd_clock_get_default (), "tick", G_CALLBACK (sd_board_tick), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
sd_board_new (void)
{
  return g_object_new (SD_TYPE_BOARD, NULL);
}
