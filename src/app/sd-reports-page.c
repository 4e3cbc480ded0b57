/* sd-reports-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-reports-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-clock.h"
#include "sd-print.h"
#include "sd-reports-page.h"
#include "sd-sla-text.h"

#define N_CUSTOM_COLUMNS 9
#define MAX_BREACH_ROWS 100

/* ---------------------------------------------------------- the input */

/* A loaded report input, shared read-only with the worker threads. */
typedef struct {
  SdReportInput input;
  char         *tam_id;   /* the signed-in user's id, or NULL: every customer */
} Input;

static void
input_clear (Input *input)
{
  sd_report_input_clear (&input->input);
  g_free (input->tam_id);
}

static Input *
input_ref (Input *input)
{
  return g_atomic_rc_box_acquire (input);
}

static void
input_unref (Input *input)
{
  g_atomic_rc_box_release_full (input, (GDestroyNotify) input_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Input, input_unref)

/* ------------------------------------------------ a row of the custom table */

#define SD_TYPE_REPORTS_ROW (sd_reports_row_get_type ())
G_DECLARE_FINAL_TYPE (SdReportsRow, sd_reports_row, SD, REPORTS_ROW, GObject)

struct _SdReportsRow
{
  GObject parent_instance;
  char   *cells[N_CUSTOM_COLUMNS];
  int     severity;
  gint64  reported_at;
  gint64  response_time;
};

G_DEFINE_FINAL_TYPE (SdReportsRow, sd_reports_row, G_TYPE_OBJECT)

static void
sd_reports_row_finalize (GObject *object)
{
  SdReportsRow *self = SD_REPORTS_ROW (object);

  for (guint i = 0; i < N_CUSTOM_COLUMNS; i++)
    g_free (self->cells[i]);
  G_OBJECT_CLASS (sd_reports_row_parent_class)->finalize (object);
}

static void
sd_reports_row_class_init (SdReportsRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_reports_row_finalize;
}

static void
sd_reports_row_init (SdReportsRow *self)
{
}

static const char *
sla_state_label (SdSlaState state)
{
  switch (state)
    {
    case SD_SLA_RUNNING: return C_("response", "Running");
    case SD_SLA_AT_RISK: return C_("response", "At risk");
    case SD_SLA_BREACHED: return C_("response", "Breached");
    case SD_SLA_PAUSED: return C_("response", "Paused");
    case SD_SLA_MET: return C_("response", "Met");
    case SD_SLA_MISSED: return C_("response", "Missed");
    default: return "–";
    }
}

static SdReportsRow *
sd_reports_row_new (SdCustomReportRow *row)
{
  SdReportsRow *self = g_object_new (SD_TYPE_REPORTS_ROW, NULL);
  SdCase *kase = row->kase;

  self->severity = sd_case_get_severity (kase);
  self->reported_at = sd_case_get_reported_at (kase);
  self->response_time = row->response_time;
  self->cells[0] = g_strdup (sd_case_get_number (kase) ? sd_case_get_number (kase) : sd_case_get_id (kase));
  self->cells[1] = g_strdup (row->customer_name);
  self->cells[2] = g_strdup (sd_case_get_title (kase));
  self->cells[3] = g_strdup (sd_case_type_get_label (sd_case_get_case_type (kase)));
  self->cells[4] = sd_severity_pill_text (self->severity);
  self->cells[5] = g_strdup (sd_case_status_get_label (sd_case_get_status (kase)));
  self->cells[6] = sd_format_date_time (self->reported_at, NULL);
  self->cells[7] = g_strdup (sla_state_label (row->response_state));
  self->cells[8] = row->response_time < 0 ? g_strdup ("–") : sd_format_duration (row->response_time);
  return self;
}

/* -------------------------------------------------------------- the page */

struct _SdReportsPage
{
  AdwBin parent_instance;

  SdLocalStore *store;          /* owned */
  char         *login;
  gulong        changed_handler;
  gboolean      stale;           /* the store changed while the view was hidden */
  GCancellable *cancellable;    /* cancelled when the store changes hands or on dispose */
  Input        *input;          /* owned; NULL before the first load */
  guint         generation[3];  /* per SdReportKind, to drop stale results */
  guint         n_running;
  gboolean      loading;
  gboolean      filling;        /* the controls are being refilled: no recompute */

  SdDailyReport     *daily;
  SdQuarterlyReport *quarterly;
  SdCustomReport    *custom;

  GtkWidget *stack;             /* "status", "reports" */
  GtkWidget *report_stack;      /* "daily", "quarterly", "custom" */

  /* daily */
  GtkWidget *daily_list;        /* GtkBox of one group per case */
  GtkWidget *daily_empty;

  /* quarterly */
  AdwComboRow *customer_row;
  AdwComboRow *quarter_row;
  GPtrArray   *customer_ids;    /* of customer_row's items, sorted by name */
  GArray      *quarters;        /* int year * 10 + quarter, of quarter_row's items */
  GtkWidget   *compliance_label;
  GtkWidget   *cases_grid;
  GtkWidget   *sla_grid;
  GtkWidget   *compliance_chart;
  GtkWidget   *severity_chart;
  GtkWidget   *breaches_group;
  GPtrArray   *breach_rows;
  GtkWidget   *open_label;

  /* custom */
  AdwExpanderRow *customers_expander;
  GPtrArray      *customer_checks;   /* GtkCheckButton, "customer-id" data */
  GtkWidget      *customer_rows_box;
  GPtrArray      *customer_rows;
  GtkWidget      *from_row;
  GtkWidget      *to_row;
  GtkWidget      *severity_toggles[SD_SEVERITY_MAX];
  GtkWidget      *type_checks[SD_N_CASE_TYPES];
  GtkWidget      *status_checks[SD_CASE_STATUS_CLOSED + 1];
  GtkColumnView  *custom_table;
  GListStore     *custom_rows;
  GtkWidget      *custom_totals;
};

G_DEFINE_FINAL_TYPE (SdReportsPage, sd_reports_page, ADW_TYPE_BIN)

static void compute (SdReportsPage *self, SdReportKind kind);

static gint64
now (void)
{
  return sd_clock_get_now (sd_clock_get_default ());
}

static void
show_error (SdReportsPage *self,
            const char    *heading,
            const char    *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_children (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

static void
set_accessible_label (GtkWidget  *widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static char *
format_percent (double percent)
{
  /* Translators: a compliance percentage, e.g. "93.3 %"; "–" when no case is decided */
  return percent < 0 ? g_strdup (C_("percent", "–")) : g_strdup_printf (C_("percent", "%.1f %%"), percent);
}

static char *
format_count (guint n)
{
  return g_strdup_printf ("%'u", n);
}

/* ------------------------------------------------------------- computing */

typedef struct {
  SdReportKind  kind;
  guint         generation;
  Input        *input;
  gint64        now;
  char         *customer_id;
  int           year;
  int           quarter;
  char        **customer_ids;
  SdReportFilter filter;
  SdReportLanguage language;
  gpointer      report;
} Compute;

static void
compute_free (Compute *c)
{
  g_clear_pointer (&c->input, input_unref);
  g_free (c->customer_id);
  g_strfreev (c->customer_ids);
  if (c->report != NULL)
    {
      if (c->kind == SD_REPORT_KIND_DAILY)
        sd_daily_report_free (c->report);
      else if (c->kind == SD_REPORT_KIND_QUARTERLY)
        sd_quarterly_report_free (c->report);
      else
        sd_custom_report_free (c->report);
    }
  g_free (c);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Compute *c = task_data;
  GError *error = NULL;

  switch (c->kind)
    {
    case SD_REPORT_KIND_DAILY:
      c->report = sd_daily_report_build (&c->input->input, c->input->tam_id, SD_REPORT_LANGUAGE_CUSTOMER, c->now);
      break;
    case SD_REPORT_KIND_QUARTERLY:
      c->report = sd_quarterly_report_build (&c->input->input, c->customer_id, c->year, c->quarter,
                                             SD_REPORT_LANGUAGE_CUSTOMER, c->now, &error);
      if (c->report == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      break;
    case SD_REPORT_KIND_CUSTOM:
    default:
      c->filter.customer_ids = (const char * const *) c->customer_ids;
      c->report = sd_custom_report_build (&c->input->input, &c->filter, c->language, c->now);
      break;
    }
  g_task_return_boolean (task, TRUE);
}

/* ---------------------------------------------------------------- daily */

static void
fill_daily (SdReportsPage *self)
{
  remove_children (self->daily_list);
  gtk_widget_set_visible (self->daily_empty, self->daily->items->len == 0);
  for (guint i = 0; i < self->daily->items->len; i++)
    {
      SdDailyReportItem *item = self->daily->items->pdata[i];
      GtkWidget *group = adw_preferences_group_new ();
      GtkWidget *body = gtk_label_new (item->body);
      GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *card;
      g_autofree char *due = sd_format_date_time (item->sla.daily_report.due, NULL);
      g_autofree char *description = NULL;
      struct { const char *label; const char *action; const char *tooltip; } actions[] = {
        { _("_Copy"), "reports.copy", _("Copy the report to the clipboard") },
        { _("Open in _Mail"), "reports.mail", _("Open the report in the mail client") },
        { _("_Log as Sent"), "reports.log-sent", _("Record that the report was sent; restarts the daily-report clock") },
      };

      /* Translators: the customer and when the next daily report is due, e.g. "上海浦江银行 · next report due 26/11/2026 10:00" */
      description = g_strdup_printf (_("%s · next report due %s"), sd_customer_get_name (item->customer), due);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), item->subject);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);

      gtk_label_set_wrap (GTK_LABEL (body), TRUE);
      gtk_label_set_selectable (GTK_LABEL (body), TRUE);
      gtk_label_set_xalign (GTK_LABEL (body), 0);
      gtk_widget_set_margin_top (body, 12);
      gtk_widget_set_margin_bottom (body, 12);
      gtk_widget_set_margin_start (body, 12);
      gtk_widget_set_margin_end (body, 12);
      set_accessible_label (body, item->subject);
      card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      gtk_widget_add_css_class (card, "card");
      gtk_box_append (GTK_BOX (card), body);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), card);

      gtk_widget_set_margin_top (buttons, 6);
      for (guint a = 0; a < G_N_ELEMENTS (actions); a++)
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (actions[a].label);

          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), actions[a].action);
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", i);
          gtk_widget_set_tooltip_text (button, actions[a].tooltip);
          if (a == 2)
            gtk_widget_add_css_class (button, "suggested-action");
          gtk_box_append (GTK_BOX (buttons), button);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);
      gtk_box_append (GTK_BOX (self->daily_list), group);
    }
}

static SdDailyReportItem *
daily_item (SdReportsPage *self,
            GVariant      *parameter)
{
  guint i = g_variant_get_uint32 (parameter);

  return self->daily != NULL && i < self->daily->items->len ? self->daily->items->pdata[i] : NULL;
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdDailyReportItem *item = daily_item (SD_REPORTS_PAGE (widget), parameter);
  g_autofree char *text = NULL;

  if (item == NULL)
    return;
  text = g_strdup_printf ("%s\n\n%s", item->subject, item->body);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
mail_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdDailyReportItem *item = daily_item (SD_REPORTS_PAGE (widget), parameter);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (item != NULL)
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, item->mailto, GDK_CURRENT_TIME);
}

static void
logged_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (sd_local_store_enqueue_finish (SD_LOCAL_STORE (object), result, &error) == 0
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, _("The Report Could Not Be Logged"), error->message);
}

static void
log_sent_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdReportsPage *self = SD_REPORTS_PAGE (widget);
  SdDailyReportItem *item = daily_item (self, parameter);
  g_autoptr(SdCaseEvent) event = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (item == NULL || self->store == NULL)
    return;
  event = sd_case_event_new_daily_report_sent (sd_case_get_id (item->kase), self->input ? self->input->tam_id : NULL,
                                               now (), SD_REPORT_CHANNEL_EMAIL, NULL);
  node = sd_case_event_to_json (event);
  /* The store's "changed" signal brings the new daily report. */
  sd_local_store_enqueue_async (self->store, SD_OUTBOX_OP_APPEND_EVENT, "case_event",
                                sd_case_event_get_id (event), node, 0, self->cancellable,
                                logged_cb, g_object_ref (self));
}

/* ------------------------------------------------------------ quarterly */

static void
grid_cell (GtkWidget  *grid,
           int         column,
           int         row,
           const char *text,
           gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  else if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (GTK_GRID (grid), label, column, row, 1, 1);
}

static void
clear_grid (GtkWidget *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (grid)) != NULL)
    gtk_grid_remove (GTK_GRID (grid), child);
}

/* On a working-hours clock, the working time with the wall-clock time
 * beside it (a response outside working hours takes 0 min of it). */
static char *
response_time_text (SdClockKind clock,
                    gint64      seconds,
                    gint64      wall_seconds)
{
  g_autofree char *working = NULL;
  g_autofree char *wall = NULL;

  if (seconds < 0)
    return g_strdup ("–");
  working = sd_format_duration (seconds);
  if (clock != SD_CLOCK_BUSINESS || wall_seconds < 0)
    return g_steal_pointer (&working);
  wall = sd_format_duration (wall_seconds);
  /* Translators: a response time in working hours, and in wall-clock time, e.g. "0 min (wall clock 14 h 5 min)" */
  return g_strdup_printf (_("%s (wall clock %s)"), working, wall);
}

static void
fill_quarterly (SdReportsPage *self)
{
  const SdQuarterlyReport *r = self->quarterly;
  g_autofree char *percent = format_percent (r->compliance_total.percent);
  g_autofree char *open = NULL;

  gtk_label_set_text (GTK_LABEL (self->compliance_label), percent);

  clear_grid (self->cases_grid);
  grid_cell (self->cases_grid, 0, 0, _("Severity"), TRUE);
  grid_cell (self->cases_grid, 1, 0, _("Opened"), TRUE);
  grid_cell (self->cases_grid, 2, 0, _("Resolved"), TRUE);
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    grid_cell (self->cases_grid, 3 + t, 0, sd_case_type_get_label (t), TRUE);
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    {
      g_autofree char *name = sd_severity_pill_text (s);
      g_autofree char *opened = format_count (sd_quarterly_report_count_opened (r, s));
      g_autofree char *resolved = format_count (sd_quarterly_report_count_resolved (r, s));

      grid_cell (self->cases_grid, 0, s, name, FALSE);
      grid_cell (self->cases_grid, 1, s, opened, FALSE);
      grid_cell (self->cases_grid, 2, s, resolved, FALSE);
      for (guint t = 0; t < SD_N_CASE_TYPES; t++)
        {
          /* Translators: cases of a type opened / resolved in the quarter, e.g. "3 / 2" */
          g_autofree char *cell = g_strdup_printf (_("%'u / %'u"), r->opened[s - 1][t], r->resolved[s - 1][t]);

          grid_cell (self->cases_grid, 3 + t, s, cell, FALSE);
        }
    }

  clear_grid (self->sla_grid);
  {
    const char *headers[] = { _("Severity"), _("Met"), _("Missed"), _("Pending"), _("Compliance"),
                              _("Median Response"), _("90th Percentile") };

    for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
      grid_cell (self->sla_grid, c, 0, headers[c], TRUE);
  }
  for (int s = 1; s <= SD_SEVERITY_MAX + 1; s++)
    {
      gboolean total = s > SD_SEVERITY_MAX;
      const SdComplianceCount *c = total ? &r->compliance_total : &r->compliance[s - 1];
      g_autofree char *name = total ? g_strdup (_("All")) : sd_severity_pill_text (s);
      g_autofree char *met = format_count (c->met);
      g_autofree char *missed = format_count (c->missed);
      g_autofree char *pending = format_count (c->pending);
      g_autofree char *pct = format_percent (c->percent);
      g_autofree char *median = total ? g_strdup ("–")
                                : response_time_text (r->clocks[s - 1], r->response_times[s - 1].median,
                                                      r->response_times[s - 1].wall_median);
      g_autofree char *p90 = total ? g_strdup ("–")
                             : response_time_text (r->clocks[s - 1], r->response_times[s - 1].p90,
                                                   r->response_times[s - 1].wall_p90);
      const char *cells[] = { name, met, missed, pending, pct, median, p90 };

      for (guint col = 0; col < G_N_ELEMENTS (cells); col++)
        grid_cell (self->sla_grid, col, s, cells[col], total);
    }

  for (guint i = 0; i < self->breach_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->breaches_group), self->breach_rows->pdata[i]);
  g_ptr_array_set_size (self->breach_rows, 0);
  for (guint i = 0; i < r->breaches->len && i < MAX_BREACH_ROWS; i++)
    {
      SdReportBreach *b = r->breaches->pdata[i];
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_markup_printf_escaped ("%s · %s", sd_case_get_number (b->kase),
                                                        sd_case_get_title (b->kase));
      g_autofree char *cause = g_markup_escape_text (b->cause, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cause);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->breaches_group), row);
      g_ptr_array_add (self->breach_rows, row);
    }
  if (r->breaches->len == 0 || r->breaches->len > MAX_BREACH_ROWS)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more = r->breaches->len == 0 ? g_strdup (_("No response target was missed"))
        /* Translators: more breaches than the view lists */
        : g_strdup_printf (_("%'u more in the PDF and CSV exports"), r->breaches->len - MAX_BREACH_ROWS);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->breaches_group), row);
      g_ptr_array_add (self->breach_rows, row);
    }

  open = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u case open now", "%'u cases open now",
                                       r->open_items->len), r->open_items->len);
  gtk_label_set_text (GTK_LABEL (self->open_label), open);
  gtk_widget_queue_draw (self->compliance_chart);
  gtk_widget_queue_draw (self->severity_chart);
}

static void
draw_compliance_cb (GtkDrawingArea *area,
                    cairo_t        *cr,
                    int             width,
                    int             height,
                    gpointer        user_data)
{
  SdReportsPage *self = user_data;

  if (self->quarterly != NULL)
    sd_report_draw_compliance_chart (cr, width, height, self->quarterly);
}

static void
draw_severity_cb (GtkDrawingArea *area,
                  cairo_t        *cr,
                  int             width,
                  int             height,
                  gpointer        user_data)
{
  SdReportsPage *self = user_data;

  if (self->quarterly != NULL)
    sd_report_draw_severity_chart (cr, width, height, self->quarterly);
}

/* -------------------------------------------------------------- custom */

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SdReportsRow *x = a, *y = b;
  guint column = GPOINTER_TO_UINT (user_data);
  gint64 kx, ky;

  switch (column)
    {
    case 4: kx = x->severity; ky = y->severity; break;
    case 6: kx = x->reported_at; ky = y->reported_at; break;
    case 8: kx = x->response_time; ky = y->response_time; break;
    default:
      {
        int order = g_utf8_collate (x->cells[column], y->cells[column]);

        return order < 0 ? GTK_ORDERING_SMALLER : order > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
      }
    }
  return kx < ky ? GTK_ORDERING_SMALLER : kx > ky ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);
  guint column = GPOINTER_TO_UINT (user_data);

  gtk_label_set_xalign (GTK_LABEL (label), column == 8 ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), column == 2 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (column == 8)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  SdReportsRow *row = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), row->cells[GPOINTER_TO_UINT (user_data)]);
}

static void
fill_custom (SdReportsPage *self)
{
  const SdCustomReport *r = self->custom;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *percent = format_percent (r->compliance.percent);
  g_autofree char *totals = NULL;

  for (guint i = 0; i < r->rows->len; i++)
    g_ptr_array_add (rows, sd_reports_row_new (r->rows->pdata[i]));
  g_list_store_splice (self->custom_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->custom_rows)),
                       rows->pdata, rows->len);
  /* Translators: the custom report's totals */
  totals = g_strdup_printf (_("%'u cases · %'u open · %'u resolved · S1 %'u · S2 %'u · S3 %'u · S4 %'u · "
                              "response met %'u, missed %'u · compliance %s"),
                            r->total, r->open, r->resolved, r->by_severity[0], r->by_severity[1],
                            r->by_severity[2], r->by_severity[3], r->compliance.met, r->compliance.missed,
                            percent);
  gtk_label_set_text (GTK_LABEL (self->custom_totals), totals);
}

static gboolean
parse_day (GtkWidget *row,
           guint32   *julian)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  gboolean ok;

  *julian = 0;
  ok = *text == '\0' || sd_date_parse (text, julian, NULL);
  if (ok)
    gtk_widget_remove_css_class (row, "error");
  else
    gtk_widget_add_css_class (row, "error");
  return ok;
}

/* ---------------------------------------------------------- computations */

static void
computed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SdReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Compute *c = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->n_running--;
      g_warning ("%s", error->message);
      return;
    }
  self->n_running--;
  if (c->generation != self->generation[c->kind])
    return;
  switch (c->kind)
    {
    case SD_REPORT_KIND_DAILY:
      g_clear_pointer (&self->daily, sd_daily_report_free);
      self->daily = g_steal_pointer (&c->report);
      fill_daily (self);
      break;
    case SD_REPORT_KIND_QUARTERLY:
      g_clear_pointer (&self->quarterly, sd_quarterly_report_free);
      self->quarterly = g_steal_pointer (&c->report);
      fill_quarterly (self);
      break;
    case SD_REPORT_KIND_CUSTOM:
    default:
      g_clear_pointer (&self->custom, sd_custom_report_free);
      self->custom = g_steal_pointer (&c->report);
      fill_custom (self);
      break;
    }
}

static SdCustomer *
find_customer (SdReportsPage *self,
               const char    *id)
{
  for (guint i = 0; self->input && i < self->input->input.customers->len; i++)
    if (g_strcmp0 (sd_customer_get_id (self->input->input.customers->pdata[i]), id) == 0)
      return self->input->input.customers->pdata[i];
  return NULL;
}

static gboolean
fill_custom_compute (SdReportsPage *self,
                     Compute       *c)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  SdReportLanguage language = (SdReportLanguage) -1;
  gboolean mixed = FALSE;

  if (!parse_day (self->from_row, &c->filter.from) || !parse_day (self->to_row, &c->filter.to))
    return FALSE;
  for (guint i = 0; i < self->customer_checks->len; i++)
    if (gtk_check_button_get_active (self->customer_checks->pdata[i]))
      {
        const char *id = g_object_get_data (self->customer_checks->pdata[i], "customer-id");
        SdCustomer *customer = find_customer (self, id);

        g_strv_builder_add (ids, id);
        if (customer != NULL && language != (SdReportLanguage) -1
            && language != sd_customer_get_report_language (customer))
          mixed = TRUE;
        if (customer != NULL)
          language = sd_customer_get_report_language (customer);
      }
  c->customer_ids = g_strv_builder_end (ids);
  /* The selected customers' report language, Chinese when they differ or
   * for every customer. */
  c->language = mixed || language == (SdReportLanguage) -1 ? SD_REPORT_LANGUAGE_ZH_CN : language;
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->severity_toggles[s - 1])))
      c->filter.severities |= 1u << s;
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->type_checks[t])))
      c->filter.types |= 1u << t;
  for (guint s = 0; s <= SD_CASE_STATUS_CLOSED; s++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->status_checks[s])))
      c->filter.statuses |= 1u << s;
  return TRUE;
}

static void
compute (SdReportsPage *self,
         SdReportKind   kind)
{
  g_autoptr(GTask) task = NULL;
  Compute *c;

  if (self->input == NULL || self->filling)
    return;
  c = g_new0 (Compute, 1);
  c->kind = kind;
  c->generation = self->generation[kind];
  c->input = input_ref (self->input);
  c->now = now ();
  if (kind == SD_REPORT_KIND_QUARTERLY)
    {
      guint customer = adw_combo_row_get_selected (self->customer_row);
      guint quarter = adw_combo_row_get_selected (self->quarter_row);

      if (customer >= self->customer_ids->len || quarter >= self->quarters->len)
        {
          compute_free (c);
          return;
        }
      c->customer_id = g_strdup (self->customer_ids->pdata[customer]);
      c->year = g_array_index (self->quarters, int, quarter) / 10;
      c->quarter = g_array_index (self->quarters, int, quarter) % 10;
    }
  else if (kind == SD_REPORT_KIND_CUSTOM && !fill_custom_compute (self, c))
    {
      compute_free (c);
      return;
    }
  self->n_running++;
  task = g_task_new (self, self->cancellable, computed_cb, g_object_ref (self));
  g_task_set_task_data (task, c, (GDestroyNotify) compute_free);
  g_task_run_in_thread (task, compute_thread);
}

static void
compute_all (SdReportsPage *self)
{
  compute (self, SD_REPORT_KIND_DAILY);
  compute (self, SD_REPORT_KIND_QUARTERLY);
  compute (self, SD_REPORT_KIND_CUSTOM);
}

static void
custom_changed_cb (SdReportsPage *self)
{
  self->generation[SD_REPORT_KIND_CUSTOM]++;
  compute (self, SD_REPORT_KIND_CUSTOM);
}

static void
quarter_changed_cb (SdReportsPage *self)
{
  self->generation[SD_REPORT_KIND_QUARTERLY]++;
  compute (self, SD_REPORT_KIND_QUARTERLY);
}

/* --------------------------------------------------------------- loading */

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *login = task_data;
  g_autoptr(Input) input = g_atomic_rc_box_new0 (Input);
  g_autoptr(GPtrArray) users = NULL;
  GError *error = NULL;

  if (!sd_report_input_load (&input->input, source_object, &error)
      || !(users = sd_local_store_list (source_object, "user", NULL, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; login != NULL && i < users->len; i++)
    {
      JsonObject *user = json_node_get_object (users->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member_with_default (user, "login", NULL), login) == 0)
        input->tam_id = g_strdup (json_object_get_string_member_with_default (user, "id", NULL));
    }
  g_task_return_pointer (task, g_steal_pointer (&input), (GDestroyNotify) input_unref);
}

static int
compare_customer_names (gconstpointer a,
                        gconstpointer b)
{
  return g_utf8_collate (sd_customer_get_name (*(SdCustomer **) a), sd_customer_get_name (*(SdCustomer **) b));
}

static void
fill_customers (SdReportsPage *self)
{
  /* Borrowed pointers (a g_ptr_array_copy() would keep the free func). */
  g_autoptr(GPtrArray) customers = g_ptr_array_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint selected = adw_combo_row_get_selected (self->customer_row);
  g_autofree char *selected_id = selected < self->customer_ids->len ? g_strdup (self->customer_ids->pdata[selected])
                                                                     : NULL;
  guint new_selected = 0;
  gboolean found = FALSE;

  for (guint i = 0; i < self->input->input.customers->len; i++)
    g_ptr_array_add (customers, self->input->input.customers->pdata[i]);
  g_ptr_array_sort (customers, compare_customer_names);
  for (guint i = 0; i < self->customer_checks->len; i++)
    if (gtk_check_button_get_active (self->customer_checks->pdata[i]))
      g_hash_table_add (checked, g_strdup (g_object_get_data (self->customer_checks->pdata[i], "customer-id")));
  for (guint i = 0; i < self->customer_rows->len; i++)
    adw_expander_row_remove (self->customers_expander, self->customer_rows->pdata[i]);
  g_ptr_array_set_size (self->customer_rows, 0);
  g_ptr_array_set_size (self->customer_checks, 0);
  g_ptr_array_set_size (self->customer_ids, 0);

  for (guint i = 0; i < customers->len; i++)
    {
      SdCustomer *customer = customers->pdata[i];
      const char *id = sd_customer_get_id (customer);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      gtk_string_list_append (names, sd_customer_get_name (customer));
      g_ptr_array_add (self->customer_ids, g_strdup (id));
      if (g_strcmp0 (id, selected_id) == 0)
        {
          new_selected = i;
          found = TRUE;
        }
      else if (!found && selected_id == NULL && self->input->tam_id != NULL
               && g_strcmp0 (sd_customer_get_tam_id (customer), self->input->tam_id) == 0)
        {
          /* First time: the first of my customers. */
          new_selected = i;
          found = TRUE;
        }

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sd_customer_get_name (customer));
      g_object_set_data_full (G_OBJECT (check), "customer-id", g_strdup (id), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (checked, id));
      set_accessible_label (check, sd_customer_get_name (customer));
      g_signal_connect_object (check, "toggled", G_CALLBACK (custom_changed_cb), self, G_CONNECT_SWAPPED);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_expander_row_add_row (self->customers_expander, row);
      g_ptr_array_add (self->customer_rows, row);
      g_ptr_array_add (self->customer_checks, check);
    }
  adw_combo_row_set_model (self->customer_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->customer_row, new_selected);
}

static void
fill_quarters (SdReportsPage *self)
{
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (now ());
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint selected = adw_combo_row_get_selected (self->quarter_row);
  int keep = selected < self->quarters->len ? g_array_index (self->quarters, int, selected) : 0;
  int year = g_date_time_get_year (today);
  int quarter = (g_date_time_get_month (today) - 1) / 3 + 1;
  guint new_selected = 0;

  g_array_set_size (self->quarters, 0);
  for (guint i = 0; i < 8; i++)
    {
      int key = year * 10 + quarter;
      /* Translators: a quarter in the quarter picker, e.g. "2026 Q3" */
      g_autofree char *label = g_strdup_printf (_("%d Q%d"), year, quarter);

      g_array_append_val (self->quarters, key);
      gtk_string_list_append (labels, label);
      if (key == keep)
        new_selected = i;
      if (--quarter == 0)
        {
          quarter = 4;
          year--;
        }
    }
  adw_combo_row_set_model (self->quarter_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->quarter_row, new_selected);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SdReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  Input *input = g_task_propagate_pointer (G_TASK (result), &error);

  if (input == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          self->loading = FALSE;
          g_warning ("Reading the store for reports: %s", error->message);
        }
      return;
    }
  self->loading = FALSE;
  g_clear_pointer (&self->input, input_unref);
  self->input = input;
  self->filling = TRUE;
  fill_customers (self);
  fill_quarters (self);
  self->filling = FALSE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "reports");
  compute_all (self);
}

static void
reload (SdReportsPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL)
    return;
  /* Reports read every case and event: only for a view on screen. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (self->generation); i++)
    self->generation[i]++;
  task = g_task_new (self->store, self->cancellable, loaded_cb, g_object_ref (self));
  g_task_set_task_data (task, g_strdup (self->login), g_free);
  g_task_run_in_thread (task, load_thread);
}

static void
store_changed_cb (SdReportsPage *self)
{
  reload (self);
}

static void
sd_reports_page_map (GtkWidget *widget)
{
  SdReportsPage *self = SD_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (sd_reports_page_parent_class)->map (widget);
  if (self->stale)
    reload (self);
}

/* ---------------------------------------------------- export and print */

typedef struct {
  SdDocument *document;
  char       *csv;
  gsize       length;
  GFile      *file;
} Export;

static void
export_free (Export *e)
{
  g_clear_object (&e->document);
  g_free (e->csv);
  g_clear_object (&e->file);
  g_free (e);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Export *e = task_data;
  g_autofree char *path = g_file_get_path (e->file);
  GError *error = NULL;
  gboolean ok;

  if (e->document != NULL)
    ok = sd_document_write_pdf (e->document, path, &error);
  else
    ok = g_file_replace_contents (e->file, e->csv, e->length, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                  cancellable, &error);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static SdDocument *
build_document (SdReportsPage *self,
                SdReportKind   kind)
{
  switch (kind)
    {
    case SD_REPORT_KIND_DAILY:
      return self->daily ? sd_daily_report_to_document (self->daily) : NULL;
    case SD_REPORT_KIND_QUARTERLY:
      return self->quarterly ? sd_quarterly_report_to_document (self->quarterly) : NULL;
    case SD_REPORT_KIND_CUSTOM:
    default:
      return self->custom ? sd_custom_report_to_document (self->custom) : NULL;
    }
}

void
sd_reports_page_export_async (SdReportsPage       *self,
                              SdReportKind         kind,
                              const char          *format,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Export *e;

  g_return_if_fail (SD_IS_REPORTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  e = g_new0 (Export, 1);
  e->file = g_object_ref (file);
  g_task_set_task_data (task, e, (GDestroyNotify) export_free);
  if (g_strcmp0 (format, "pdf") == 0)
    e->document = build_document (self, kind);
  else if (kind == SD_REPORT_KIND_DAILY && self->daily)
    e->csv = sd_daily_report_to_csv (self->daily, &e->length);
  else if (kind == SD_REPORT_KIND_QUARTERLY && self->quarterly)
    e->csv = sd_quarterly_report_to_csv (self->quarterly, &e->length);
  else if (kind == SD_REPORT_KIND_CUSTOM && self->custom)
    e->csv = sd_custom_report_to_csv (self->custom, &e->length);
  if (e->document == NULL && e->csv == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("The report is not ready yet"));
      return;
    }
  g_task_run_in_thread (task, export_thread);
}

gboolean
sd_reports_page_export_finish (SdReportsPage  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SdReportsPage *self = SD_REPORTS_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!sd_reports_page_export_finish (self, result, &error))
    show_error (self, _("The Report Could Not Be Exported"), error->message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  SdReportsPage *self = SD_REPORTS_PAGE (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      sd_reports_page_export_async (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dialog), "kind")),
                                    g_object_get_data (G_OBJECT (dialog), "format"), file,
                                    self->cancellable, exported_cb, NULL);
    }
  g_object_unref (dialog);
}

static char *
suggested_name (SdReportsPage *self,
                SdReportKind   kind,
                const char    *format)
{
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (now ());
  g_autofree char *day = g_date_time_format (today, "%Y-%m-%d");

  if (kind == SD_REPORT_KIND_QUARTERLY && self->quarterly)
    return g_strdup_printf ("quarterly-%s-%dQ%d.%s", self->quarterly->customer_id, self->quarterly->year,
                            self->quarterly->quarter, format);
  return g_strdup_printf ("%s-%s.%s", kind == SD_REPORT_KIND_DAILY ? "daily" : "custom", day, format);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdReportsPage *self = SD_REPORTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SdReportKind kind;
  const char *format;
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  g_variant_get (parameter, "(u&s)", &kind, &format);
  dialog = gtk_file_chooser_native_new (g_str_equal (format, "pdf") ? _("Export as PDF") : _("Export as CSV"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, g_str_equal (format, "pdf") ? _("PDF documents") : _("CSV files"));
  gtk_file_filter_add_suffix (filter, format);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  name = suggested_name (self, kind, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "kind", GUINT_TO_POINTER (kind));
  g_object_set_data (G_OBJECT (dialog), "format", (gpointer) g_intern_string (format));
  g_signal_connect_object (dialog, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               SdReportsPage           *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      show_error (self, _("The Report Could Not Be Printed"), error ? error->message : "");
    }
  g_object_unref (operation);
}

static void
print_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdReportsPage *self = SD_REPORTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(SdDocument) document = build_document (self, g_variant_get_uint32 (parameter));
  GtkPrintOperation *operation;
  g_autoptr(GError) error = NULL;

  if (document == NULL)
    return;
  operation = sd_print_operation_new (document, NULL);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
  /* "done" reports the result, errors included, and drops the operation. */
  gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                           GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error);
}

/* ---------------------------------------------------------- building */

static GtkWidget *
scrolled_page (GtkWidget *content)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1000);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

static GtkWidget *
action_buttons (SdReportKind kind,
                gboolean     with_pdf)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  struct { const char *label; const char *action; const char *format; } buttons[] = {
    { _("Export _PDF…"), "reports.export", "pdf" },
    { _("Export _CSV…"), "reports.export", "csv" },
    { _("_Print…"), "reports.print", NULL },
  };

  gtk_widget_set_halign (box, GTK_ALIGN_END);
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (buttons[i].label);

      if (!with_pdf && i != 1)
        continue;
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), buttons[i].action);
      if (buttons[i].format != NULL)
        gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(us)", kind, buttons[i].format);
      else
        gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", kind);
      gtk_box_append (GTK_BOX (box), button);
    }
  return box;
}

static GtkWidget *
titled_grid (GtkWidget  *box,
             const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *frame = gtk_frame_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_margin_top (grid, 12);
  gtk_widget_set_margin_bottom (grid, 12);
  gtk_widget_set_margin_start (grid, 12);
  gtk_widget_set_margin_end (grid, 12);
  gtk_frame_set_child (GTK_FRAME (frame), grid);
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), frame);
  gtk_box_append (GTK_BOX (box), group);
  return grid;
}

static GtkWidget *
chart (SdReportsPage          *self,
       GtkDrawingAreaDrawFunc  func,
       const char             *label)
{
  GtkWidget *area = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 260);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 360);
  gtk_widget_set_hexpand (area, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), func, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (area), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_add_css_class (area, "card");
  return area;
}

static GtkWidget *
build_daily (SdReportsPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *intro = gtk_label_new (_("Today's status report for each open severity-1 case of your customers, "
                                      "in the customer's report language."));

  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_widget_add_css_class (intro, "dim-label");
  gtk_box_append (GTK_BOX (box), intro);
  gtk_box_append (GTK_BOX (box), action_buttons (SD_REPORT_KIND_DAILY, TRUE));
  self->daily_empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->daily_empty), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->daily_empty), _("No Daily Report Due"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->daily_empty),
                                   _("None of your customers has an open severity-1 case."));
  gtk_widget_set_visible (self->daily_empty, FALSE);
  gtk_box_append (GTK_BOX (box), self->daily_empty);
  self->daily_list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_box_append (GTK_BOX (box), self->daily_list);
  return scrolled_page (box);
}

static GtkWidget *
build_quarterly (SdReportsPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *summary = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *caption = gtk_label_new (_("Response-SLA compliance"));
  GtkWidget *charts = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->customer_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->customer_row), _("C_ustomer"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->customer_row), TRUE);
  self->quarter_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->quarter_row), _("_Quarter"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->quarter_row), TRUE);
  g_signal_connect_object (self->customer_row, "notify::selected", G_CALLBACK (quarter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->quarter_row, "notify::selected", G_CALLBACK (quarter_changed_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->customer_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->quarter_row));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                           action_buttons (SD_REPORT_KIND_QUARTERLY, TRUE));
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Quarterly Report"));
  gtk_box_append (GTK_BOX (box), group);

  self->compliance_label = gtk_label_new ("–");
  gtk_widget_add_css_class (self->compliance_label, "title-1");
  gtk_widget_add_css_class (caption, "dim-label");
  set_accessible_label (self->compliance_label, _("Response-SLA compliance"));
  gtk_box_append (GTK_BOX (summary), self->compliance_label);
  gtk_box_append (GTK_BOX (summary), caption);
  self->open_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->open_label, "dim-label");
  gtk_box_append (GTK_BOX (summary), self->open_label);
  gtk_box_append (GTK_BOX (box), summary);

  self->compliance_chart = chart (self, draw_compliance_cb, _("Compliance per month"));
  self->severity_chart = chart (self, draw_severity_cb, _("Cases per severity"));
  gtk_box_set_homogeneous (GTK_BOX (charts), TRUE);
  gtk_box_append (GTK_BOX (charts), self->compliance_chart);
  gtk_box_append (GTK_BOX (charts), self->severity_chart);
  gtk_box_append (GTK_BOX (box), charts);

  self->sla_grid = titled_grid (box, _("Response SLA"));
  {
    GtkWidget *note = gtk_label_new (_("On working-hours clocks a response time is working time: only the "
                                       "minutes inside the customer’s working hours count, so a response given "
                                       "outside them takes 0 min. In brackets, the wall-clock time from the report "
                                       "to the first response, nights, weekends and holidays included."));

    gtk_label_set_wrap (GTK_LABEL (note), TRUE);
    gtk_label_set_xalign (GTK_LABEL (note), 0);
    gtk_widget_add_css_class (note, "dim-label");
    gtk_widget_add_css_class (note, "caption");
    gtk_box_append (GTK_BOX (box), note);
  }
  self->cases_grid = titled_grid (box, _("Cases Opened and Resolved"));
  self->breaches_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->breaches_group), _("Breaches"));
  gtk_box_append (GTK_BOX (box), self->breaches_group);
  return scrolled_page (box);
}

static GtkWidget *
check_row (AdwExpanderRow *expander,
           const char     *title,
           SdReportsPage  *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  set_accessible_label (check, title);
  g_signal_connect_object (check, "toggled", G_CALLBACK (custom_changed_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_expander_row_add_row (expander, row);
  return check;
}

static GtkWidget *
build_custom (SdReportsPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *severities = adw_action_row_new ();
  GtkWidget *toggles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  AdwExpanderRow *types = ADW_EXPANDER_ROW (adw_expander_row_new ());
  AdwExpanderRow *statuses = ADW_EXPANDER_ROW (adw_expander_row_new ());
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  g_autoptr(GtkSortListModel) sorted = NULL;
  GtkNoSelection *selection;
  GtkWidget *frame = gtk_frame_new (NULL);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Custom Report"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Nothing chosen in a list means all of it."));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                           action_buttons (SD_REPORT_KIND_CUSTOM, TRUE));

  self->customers_expander = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->customers_expander), _("Customers"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (self->customers_expander));

  self->from_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->from_row), _("First Day (YYYY-MM-DD)"));
  self->to_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->to_row), _("Last Day (YYYY-MM-DD)"));
  g_signal_connect_object (self->from_row, "changed", G_CALLBACK (custom_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->to_row, "changed", G_CALLBACK (custom_changed_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->from_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->to_row);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (severities), _("Severities"));
  gtk_widget_add_css_class (toggles, "linked");
  gtk_widget_set_valign (toggles, GTK_ALIGN_CENTER);
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    {
      g_autofree char *label = g_strdup_printf ("S%d", s);
      g_autofree char *name = sd_severity_pill_text (s);

      self->severity_toggles[s - 1] = gtk_toggle_button_new_with_label (label);
      gtk_widget_set_tooltip_text (self->severity_toggles[s - 1], name);
      set_accessible_label (self->severity_toggles[s - 1], name);
      g_signal_connect_object (self->severity_toggles[s - 1], "toggled", G_CALLBACK (custom_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (toggles), self->severity_toggles[s - 1]);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (severities), toggles);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), severities);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (types), _("Types"));
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    self->type_checks[t] = check_row (types, sd_case_type_get_label (t), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (types));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (statuses), _("Statuses"));
  for (guint s = 0; s <= SD_CASE_STATUS_CLOSED; s++)
    self->status_checks[s] = check_row (statuses, sd_case_status_get_label (s), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (statuses));
  gtk_box_append (GTK_BOX (box), group);

  /* The table: sortable by every column. */
  self->custom_rows = g_list_store_new (SD_TYPE_REPORTS_ROW);
  self->custom_table = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  {
    const char *titles[N_CUSTOM_COLUMNS] = { _("Case"), _("Customer"), _("Title"), _("Type"), _("Severity"),
                                             _("Status"), _("Reported"), _("Response"), _("Response Time") };

    for (guint c = 0; c < N_CUSTOM_COLUMNS; c++)
      {
        GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
        GtkColumnViewColumn *column;
        GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GUINT_TO_POINTER (c), NULL));

        g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (c));
        g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (c));
        column = gtk_column_view_column_new (titles[c], factory);
        gtk_column_view_column_set_sorter (column, sorter);
        gtk_column_view_column_set_resizable (column, TRUE);
        gtk_column_view_column_set_expand (column, c == 2);
        gtk_column_view_append_column (self->custom_table, column);
        g_object_unref (column);
        g_object_unref (sorter);
      }
  }
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->custom_rows)),
                                    g_object_ref (gtk_column_view_get_sorter (self->custom_table)));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&sorted)));
  gtk_column_view_set_model (self->custom_table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_column_view_set_show_row_separators (self->custom_table, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->custom_table), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cases of the custom report"), -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->custom_table));
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 320);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC, GTK_POLICY_AUTOMATIC);
  gtk_frame_set_child (GTK_FRAME (frame), scrolled);
  gtk_box_append (GTK_BOX (box), frame);

  self->custom_totals = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->custom_totals), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->custom_totals), 0);
  gtk_label_set_selectable (GTK_LABEL (self->custom_totals), TRUE);
  gtk_widget_add_css_class (self->custom_totals, "heading");
  gtk_box_append (GTK_BOX (box), self->custom_totals);
  return scrolled_page (box);
}

/* ------------------------------------------------------------ lifecycle */

static void
sd_reports_page_dispose (GObject *object)
{
  SdReportsPage *self = SD_REPORTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sd_reports_page_parent_class)->dispose (object);
}

static void
sd_reports_page_finalize (GObject *object)
{
  SdReportsPage *self = SD_REPORTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->login);
  g_clear_pointer (&self->input, input_unref);
  g_clear_pointer (&self->daily, sd_daily_report_free);
  g_clear_pointer (&self->quarterly, sd_quarterly_report_free);
  g_clear_pointer (&self->custom, sd_custom_report_free);
  g_ptr_array_unref (self->customer_ids);
  g_array_unref (self->quarters);
  g_ptr_array_unref (self->breach_rows);
  g_ptr_array_unref (self->customer_checks);
  g_ptr_array_unref (self->customer_rows);
  g_clear_object (&self->custom_rows);
  G_OBJECT_CLASS (sd_reports_page_parent_class)->finalize (object);
}

static void
sd_reports_page_class_init (SdReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_reports_page_dispose;
  object_class->finalize = sd_reports_page_finalize;
  widget_class->map = sd_reports_page_map;

  gtk_widget_class_install_action (widget_class, "reports.copy", "u", copy_activated);
  gtk_widget_class_install_action (widget_class, "reports.mail", "u", mail_activated);
  gtk_widget_class_install_action (widget_class, "reports.log-sent", "u", log_sent_activated);
  gtk_widget_class_install_action (widget_class, "reports.export", "(us)", export_activated);
  gtk_widget_class_install_action (widget_class, "reports.print", "u", print_activated);
}

static void
sd_reports_page_init (SdReportsPage *self)
{
  GtkWidget *status = adw_status_page_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *switcher = gtk_stack_switcher_new ();

  self->cancellable = g_cancellable_new ();
  self->customer_ids = g_ptr_array_new_with_free_func (g_free);
  self->quarters = g_array_new (FALSE, FALSE, sizeof (int));
  self->breach_rows = g_ptr_array_new ();
  self->customer_checks = g_ptr_array_new ();
  self->customer_rows = g_ptr_array_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "x-office-document-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Reports Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("Daily reports on critical incidents, quarterly reports and custom reports "
                                     "are built from your synced cases. Sign in to a SupportDesk server to create "
                                     "them."));

  self->report_stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->report_stack), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_titled (GTK_STACK (self->report_stack), build_daily (self), "daily", _("Daily"));
  gtk_stack_add_titled (GTK_STACK (self->report_stack), build_quarterly (self), "quarterly", _("Quarterly"));
  gtk_stack_add_titled (GTK_STACK (self->report_stack), build_custom (self), "custom", _("Custom"));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (self->report_stack));
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (switcher, 12);
  set_accessible_label (switcher, _("Report"));
  gtk_box_append (GTK_BOX (content), switcher);
  gtk_box_append (GTK_BOX (content), self->report_stack);

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), status, "status");
  gtk_stack_add_named (GTK_STACK (self->stack), content, "reports");
  adw_bin_set_child (ADW_BIN (self), self->stack);
}

/* ----------------------------------------------------------------- API */

GtkWidget *
sd_reports_page_new (void)
{
  return g_object_new (SD_TYPE_REPORTS_PAGE, NULL);
}

void
sd_reports_page_set_store (SdReportsPage *self,
                           SdLocalStore  *store,
                           const char    *login)
{
  g_return_if_fail (SD_IS_REPORTS_PAGE (self));

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_handler, self->store);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->n_running = 0;
  self->loading = FALSE;
  self->stale = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (self->generation); i++)
    self->generation[i]++;
  g_set_object (&self->store, store);
  g_free (self->login);
  self->login = g_strdup (login);
  g_clear_pointer (&self->input, input_unref);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "status");
  if (store != NULL)
    {
      self->changed_handler = g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                                                       G_CONNECT_SWAPPED);
      reload (self);
    }
}

gboolean
sd_reports_page_is_loaded (SdReportsPage *self)
{
  return self->input != NULL && !self->loading && self->n_running == 0;
}

void
sd_reports_page_show (SdReportsPage *self,
                      SdReportKind   kind)
{
  const char *names[] = { "daily", "quarterly", "custom" };

  gtk_stack_set_visible_child_name (GTK_STACK (self->report_stack), names[kind]);
}

const SdDailyReport *
sd_reports_page_get_daily (SdReportsPage *self)
{
  return self->daily;
}

const SdQuarterlyReport *
sd_reports_page_get_quarterly (SdReportsPage *self)
{
  return self->quarterly;
}

const SdCustomReport *
sd_reports_page_get_custom (SdReportsPage *self)
{
  return self->custom;
}

gboolean
sd_reports_page_select_quarter (SdReportsPage *self,
                                const char    *customer_id,
                                int            year,
                                int            quarter)
{
  guint customer = G_MAXUINT, q = G_MAXUINT;

  for (guint i = 0; i < self->customer_ids->len; i++)
    if (g_str_equal (self->customer_ids->pdata[i], customer_id))
      customer = i;
  for (guint i = 0; i < self->quarters->len; i++)
    if (g_array_index (self->quarters, int, i) == year * 10 + quarter)
      q = i;
  if (customer == G_MAXUINT || q == G_MAXUINT)
    return FALSE;
  self->filling = TRUE;
  adw_combo_row_set_selected (self->customer_row, customer);
  adw_combo_row_set_selected (self->quarter_row, q);
  self->filling = FALSE;
  quarter_changed_cb (self);
  return TRUE;
}

void
sd_reports_page_set_custom_period (SdReportsPage *self,
                                   guint32        from,
                                   guint32        to)
{
  g_autofree char *from_text = from ? sd_date_format (from) : g_strdup ("");
  g_autofree char *to_text = to ? sd_date_format (to) : g_strdup ("");

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from_text);
  self->filling = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to_text);
}

GtkWidget *
sd_reports_page_get_compliance_label (SdReportsPage *self)
{
  return self->compliance_label;
}

GtkWidget *
sd_reports_page_get_compliance_chart (SdReportsPage *self)
{
  return self->compliance_chart;
}

GtkColumnView *
sd_reports_page_get_custom_table (SdReportsPage *self)
{
  return self->custom_table;
}

GtkWidget *
sd_reports_page_get_custom_totals (SdReportsPage *self)
{
  return self->custom_totals;
}

GtkWidget *
sd_reports_page_get_daily_list (SdReportsPage *self)
{
  return self->daily_list;
}
