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
#include "sd-board-column.h"
#include "sd-case-card.h"
#include "sd-clock.h"
#include "sd-reason-dialog.h"
#include "sd-sla-text.h"

#define N_COLUMNS       SD_N_CASE_STATUSES
#define SCAN_SLICE      10000   /* rows whose alerts one tick evaluates */
#define RELOAD_DELAY_MS 150
#define RESORT_INTERVAL (10 * G_USEC_PER_SEC)

struct _SdBoard
{
  GtkWidget parent_instance;

  GSettings    *settings;
  SdLocalStore *store;
  GSignalGroup *store_signals;  /* the store's "changed" */
  char         *login;
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
  GPtrArray          *bound;   /* SdCaseCard on screen, gathered at each tick */
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

  GSimpleActionGroup *actions;
  SdBoardColumn      *columns[N_COLUMNS];

  /* template children */
  GtkSearchBar *search_bar;
  GtkWidget    *search_entry;
  GtkWidget    *filter_button;
  GtkLabel     *filter_label;
  GtkStack     *stack;
  GtkWidget    *columns_box;
  GMenu        *customer_menu;
  GMenu        *severity_section;
  GMenu        *type_section;
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
  gtk_label_set_label (self->filter_label, text->len > 0 ? text->str : _("All Cases"));
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
      gtk_widget_set_visible (GTK_WIDGET (self->columns[SD_CASE_STATUS_CLOSED]),
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
      SdBoardColumn *column = self->columns[c];

      if (!gtk_widget_get_visible (GTK_WIDGET (column))
          || g_list_model_get_n_items (sd_board_column_get_model (column)) == 0)
        continue;
      gtk_single_selection_set_selected (sd_board_column_get_selection (column), 0);
      gtk_widget_grab_focus (GTK_WIDGET (sd_board_column_get_view (column)));
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
    sd_board_column_update_summary (self->columns[c]);
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
column_case_activated_cb (SdBoard    *self,
                          const char *id)
{
  g_signal_emit (self, signals[CASE_ACTIVATED], 0, id);
}

static gboolean
column_case_dropped_cb (SdBoardColumn *column,
                        const char    *id,
                        SdBoard       *self)
{
  SdBoardCase *row = sd_board_lookup (self, id);
  SdCaseStatus status = sd_board_column_get_status (column);

  if (row == NULL || sd_board_case_get_status (row) == status)
    return FALSE;
  sd_board_move (self, id, status, TRUE);
  return TRUE;
}

/* ------------------------------------------------------------- loading */

/* A reload replaces every row: each column keeps its scroll position and
 * its selected case across it. */
static void
remember_places (SdBoard *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    sd_board_column_remember_place (self->columns[c]);
}

static gboolean
restore_scroll_cb (gpointer user_data)
{
  SdBoard *self = user_data;

  for (guint c = 0; c < N_COLUMNS; c++)
    sd_board_column_restore_scroll (self->columns[c]);
  self->restore_source = 0;
  return G_SOURCE_REMOVE;
}

static void
restore_places (SdBoard *self)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    sd_board_column_restore_selection (self->columns[c]);
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
  gtk_stack_set_visible_child_name (self->stack, "board");
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

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->reloading = FALSE;
  g_set_object (&self->store, store);
  g_signal_group_set_target (self->store_signals, store);
  g_free (self->login);
  self->login = g_strdup (login);

  g_list_store_remove_all (self->cases);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->data, sd_board_data_unref);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  if (store != NULL)
    sd_board_reload (self);
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

static void
enqueue_move (SdBoard      *self,
              SdBoardCase  *row,
              SdCaseStatus  status,
              gboolean      announce,
              const char   *reason)
{
  g_autoptr(JsonNode) patch = NULL;
  Move *move;

  patch = sd_case_build_status_patch (sd_board_case_get_status (row), status,
                                      sd_clock_get_now (sd_clock_get_default ()));
  if (reason != NULL)
    json_object_set_string_member (json_node_get_object (patch), "reason", reason);

  move = g_new0 (Move, 1);
  move->board = g_object_ref (self);
  move->id = g_strdup (sd_board_case_get_id (row));
  move->label = g_strdup (sd_board_case_get_number (row) ? sd_board_case_get_number (row)
                                                         : sd_board_case_get_title (row));
  move->from = sd_board_case_get_status (row);
  move->to = status;
  move->announce = announce;
  sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_UPDATE, "case", move->id, patch,
                                sd_board_case_get_version (row), NULL, moved_cb, move);
}

/* The move a reason dialog asks about. */
typedef struct {
  char         *id;
  SdCaseStatus  status;
  gboolean      announce;
} PendingMove;

static void
pending_move_free (PendingMove *pending)
{
  g_free (pending->id);
  g_free (pending);
}

static void
move_reason_cb (SdReasonDialog *dialog,
                const char     *response,
                SdBoard        *self)
{
  PendingMove *pending = g_object_get_data (G_OBJECT (dialog), "sd-move");
  g_autofree char *reason = sd_reason_dialog_dup_reason (dialog);
  SdBoardCase *row;

  /* Cancelled: the card stays where it was. The case may have moved
   * meanwhile (a sync): then there is nothing left to do. */
  if (!g_str_equal (response, SD_REASON_DIALOG_CONFIRM) || *reason == '\0'
      || self->store == NULL || !(row = sd_board_lookup (self, pending->id))
      || sd_board_case_get_status (row) == pending->status)
    return;
  enqueue_move (self, row, pending->status, pending->announce, reason);
}

void
sd_board_move (SdBoard      *self,
               const char   *id,
               SdCaseStatus  status,
               gboolean      announce)
{
  SdBoardCustomer *customer;
  SdBoardCase *row;

  g_return_if_fail (SD_IS_BOARD (self));

  if (self->store == NULL || !(row = sd_board_lookup (self, id)) || sd_board_case_get_status (row) == status)
    return;

  /* A pause needs a reason: asked first, sent with the move. */
  customer = self->data ? g_hash_table_lookup (self->data->customers, sd_board_case_get_customer_id (row)) : NULL;
  if (customer != NULL && sd_sla_policy_is_pausing_status (customer->policy, status))
    {
      SdReasonDialog *dialog = sd_reason_dialog_new_for_status (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                                sd_board_case_get_status (row), status);
      PendingMove *pending = g_new0 (PendingMove, 1);

      pending->id = g_strdup (id);
      pending->status = status;
      pending->announce = announce;
      g_object_set_data_full (G_OBJECT (dialog), "sd-move", pending, (GDestroyNotify) pending_move_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (move_reason_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  enqueue_move (self, row, status, announce, NULL);
}

/* The focused column's selected case, one column left or right. */
static void
move_selected (SdBoard *self,
               int      direction)
{
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkWidget *view = GTK_WIDGET (sd_board_column_get_view (self->columns[c]));
      SdBoardCase *row;
      int target = (int) c + direction;

      if (!gtk_widget_has_focus (view)
          && !gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self))), view))
        continue;
      row = gtk_single_selection_get_selected_item (sd_board_column_get_selection (self->columns[c]));
      if (row == NULL || target < 0 || target >= (int) N_COLUMNS
          || (target == SD_CASE_STATUS_CLOSED && !gtk_widget_get_visible (GTK_WIDGET (self->columns[target]))))
        return;
      sd_board_move (self, sd_board_case_get_id (row), target, TRUE);
      return;
    }
}

/* Ctrl+Shift+→/←: the list views bind those keys themselves (to move
 * their cursor), so the board takes them first, in the capture phase,
 * when the focus is in a column; anywhere else (the search entry selects
 * words with them) they go on. */
static gboolean
move_key_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  SdBoard *self = SD_BOARD (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkWidget *view = GTK_WIDGET (sd_board_column_get_view (self->columns[c]));

      if (focus == view || (focus != NULL && gtk_widget_is_ancestor (focus, view)))
        {
          move_selected (self, GPOINTER_TO_INT (user_data));
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
filter_key_cb (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  SdBoard *self = SD_BOARD (widget);

  gtk_menu_button_popup (GTK_MENU_BUTTON (self->filter_button));
  return TRUE;
}

static void
add_key (GtkEventController *controller,
         guint               keyval,
         GtkShortcutFunc     callback,
         int                 data)
{
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                                          gtk_callback_action_new (callback, GINT_TO_POINTER (data), NULL)));
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

  g_ptr_array_set_size (self->bound, 0);
  for (guint c = 0; c < N_COLUMNS; c++)
    sd_board_column_collect_cards (self->columns[c], self->bound);
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
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (self->search_entry);
}

/* Selects the case @id and gives its card the keyboard focus (as when
 * the case pane closes): FALSE when the board does not show it. */
gboolean
sd_board_focus_case (SdBoard    *self,
                     const char *id)
{
  g_return_val_if_fail (SD_IS_BOARD (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GListModel *model = sd_board_column_get_model (self->columns[c]);
      GtkWidget *view = GTK_WIDGET (sd_board_column_get_view (self->columns[c]));
      g_autoptr(GPtrArray) cards = g_ptr_array_new ();

      if (!gtk_widget_get_visible (GTK_WIDGET (self->columns[c])))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(SdBoardCase) row = g_list_model_get_item (model, i);

          if (!g_str_equal (sd_board_case_get_id (row), id))
            continue;
          gtk_single_selection_set_selected (sd_board_column_get_selection (self->columns[c]), i);
          gtk_widget_activate_action (view, "list.scroll-to-item", "u", i);
          /* The row that holds the card takes the focus; the list keeps
           * it as its place for the arrow keys. */
          sd_board_column_collect_cards (self->columns[c], cards);
          for (guint k = 0; k < cards->len; k++)
            {
              SdBoardCase *shown = sd_case_card_get_case (cards->pdata[k]);

              if (shown != NULL && g_str_equal (sd_board_case_get_id (shown), id))
                return gtk_widget_grab_focus (gtk_widget_get_parent (cards->pdata[k]));
            }
          return gtk_widget_grab_focus (view);
        }
    }
  return FALSE;
}

GtkListView *
sd_board_get_column_view (SdBoard      *self,
                          SdCaseStatus  status)
{
  return sd_board_column_get_view (self->columns[status]);
}

guint
sd_board_get_column_count (SdBoard      *self,
                           SdCaseStatus  status)
{
  return g_list_model_get_n_items (sd_board_column_get_model (self->columns[status]));
}

const char *
sd_board_get_column_summary (SdBoard      *self,
                             SdCaseStatus  status)
{
  update_summaries (self);
  return sd_board_column_get_summary (self->columns[status]);
}

/* ------------------------------------------------------------ lifecycle */

static void
sd_board_dispose (GObject *object)
{
  SdBoard *self = SD_BOARD (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  g_clear_handle_id (&self->restore_source, g_source_remove);
  g_clear_object (&self->store_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_BOARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sorted);
  g_clear_object (&self->cases);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
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

  g_type_ensure (SD_TYPE_BOARD_COLUMN);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "board");
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-board.ui");
  gtk_widget_class_bind_template_child (widget_class, SdBoard, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, filter_button);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, filter_label);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, stack);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, columns_box);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, customer_menu);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, severity_section);
  gtk_widget_class_bind_template_child (widget_class, SdBoard, type_section);
  gtk_widget_class_bind_template_callback (widget_class, apply_search);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_case_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, column_case_dropped_cb);
  gtk_widget_class_install_action (widget_class, "board.move-right", NULL, move_next_action);
  gtk_widget_class_install_action (widget_class, "board.move-left", NULL, move_next_action);
}

static void
sd_board_init (SdBoard *self)
{
  static const char * const settings_actions[] = { "board-scope", "board-customer", "board-show-closed" };
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  add_key (keys, GDK_KEY_Right, move_key_cb, 1);
  add_key (keys, GDK_KEY_Left, move_key_cb, -1);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  /* The filter menu, from anywhere in the window while the board shows. */
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (keys), GTK_SHORTCUT_SCOPE_GLOBAL);
  add_key (keys, GDK_KEY_F, filter_key_cb, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
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
      g_autofree char *detailed = g_strconcat ("board.", name, NULL);
      g_autofree char *label = sd_severity_pill_text (s);
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (name, NULL, g_variant_new_boolean (TRUE));

      g_signal_connect (action, "activate", G_CALLBACK (toggle_severity), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
      g_menu_append (self->severity_section, label, detailed);
    }
  for (SdCaseType t = SD_CASE_TYPE_INCIDENT; t <= SD_CASE_TYPE_SERVICE_REQUEST; t++)
    {
      g_autofree char *name = g_strconcat ("type-", sd_case_type_to_string (t), NULL);
      g_autofree char *detailed = g_strconcat ("board.", name, NULL);
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (name, NULL, g_variant_new_boolean (TRUE));

      g_signal_connect (action, "activate", G_CALLBACK (toggle_type), self);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
      g_menu_append (self->type_section, sd_case_type_get_label (t), detailed);
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

  self->store_signals = g_signal_group_new (SD_TYPE_LOCAL_STORE);
  g_signal_group_connect_object (self->store_signals, "changed", G_CALLBACK (store_changed_cb), self,
                                 G_CONNECT_SWAPPED);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  for (GtkWidget *child = gtk_widget_get_first_child (self->columns_box);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      SdBoardColumn *column = SD_BOARD_COLUMN (child);

      self->columns[sd_board_column_get_status (column)] = column;
      sd_board_column_set_model (column, G_LIST_MODEL (self->sorted), GTK_FILTER (self->filter));
      g_signal_connect_object (sd_board_column_get_model (column), "items-changed",
                               G_CALLBACK (queue_summaries), self, G_CONNECT_SWAPPED);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->columns[SD_CASE_STATUS_CLOSED]),
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
