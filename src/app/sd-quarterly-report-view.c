/* sd-quarterly-report-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-quarterly-report-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-quarterly-report-view.h"
#include "sd-sla-text.h"

#define MAX_BREACH_ROWS 100

struct _SdQuarterlyReportView
{
  SdReportView parent_instance;

  GPtrArray *customer_ids;      /* of customer_row's items, sorted by name */
  GArray    *quarters;          /* int year * 10 + quarter, of quarter_row's items */
  GPtrArray *breach_rows;       /* borrowed, in breaches_group */

  /* template children */
  AdwComboRow *customer_row;
  AdwComboRow *quarter_row;
  GtkWidget   *compliance_label;
  GtkWidget   *open_label;
  GtkWidget   *compliance_chart;
  GtkWidget   *severity_chart;
  GtkWidget   *sla_grid;
  GtkWidget   *cases_grid;
  GtkWidget   *breaches_group;
};

G_DEFINE_FINAL_TYPE (SdQuarterlyReportView, sd_quarterly_report_view, SD_TYPE_REPORT_VIEW)

typedef struct {
  char *customer_id;
  int   year;
  int   quarter;
} Request;

static void
request_free (Request *request)
{
  g_free (request->customer_id);
  g_free (request);
}

static const SdQuarterlyReport *
report (SdQuarterlyReportView *self)
{
  return sd_report_view_get_report (SD_REPORT_VIEW (self));
}

/* ---------------------------------------------------------------- showing */

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
fill_cases_grid (SdQuarterlyReportView   *self,
                 const SdQuarterlyReport *r)
{
  clear_grid (self->cases_grid);
  grid_cell (self->cases_grid, 0, 0, _("Severity"), TRUE);
  grid_cell (self->cases_grid, 1, 0, _("Opened"), TRUE);
  grid_cell (self->cases_grid, 2, 0, _("Resolved"), TRUE);
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    grid_cell (self->cases_grid, 3 + t, 0, sd_case_type_get_label (t), TRUE);
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    {
      g_autofree char *name = sd_severity_pill_text (s);
      g_autofree char *opened = sd_report_view_format_count (sd_quarterly_report_count_opened (r, s));
      g_autofree char *resolved = sd_report_view_format_count (sd_quarterly_report_count_resolved (r, s));

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
}

static void
fill_sla_grid (SdQuarterlyReportView   *self,
               const SdQuarterlyReport *r)
{
  const char *headers[] = { _("Severity"), _("Met"), _("Missed"), _("Pending"), _("Compliance"),
                            _("Median Response"), _("90th Percentile") };

  clear_grid (self->sla_grid);
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    grid_cell (self->sla_grid, c, 0, headers[c], TRUE);
  for (int s = 1; s <= SD_SEVERITY_MAX + 1; s++)
    {
      gboolean total = s > SD_SEVERITY_MAX;
      const SdComplianceCount *c = total ? &r->compliance_total : &r->compliance[s - 1];
      g_autofree char *name = total ? g_strdup (_("All")) : sd_severity_pill_text (s);
      g_autofree char *met = sd_report_view_format_count (c->met);
      g_autofree char *missed = sd_report_view_format_count (c->missed);
      g_autofree char *pending = sd_report_view_format_count (c->pending);
      g_autofree char *pct = sd_report_view_format_percent (c->percent);
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
}

static void
add_breach_row (SdQuarterlyReportView *self,
                const char            *title,
                const char            *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->breaches_group), row);
  g_ptr_array_add (self->breach_rows, row);
}

static void
fill_breaches (SdQuarterlyReportView   *self,
               const SdQuarterlyReport *r)
{
  for (guint i = 0; i < self->breach_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->breaches_group), self->breach_rows->pdata[i]);
  g_ptr_array_set_size (self->breach_rows, 0);
  for (guint i = 0; i < r->breaches->len && i < MAX_BREACH_ROWS; i++)
    {
      SdReportBreach *b = r->breaches->pdata[i];
      /* The severity the breach happened under, which may not be the case's now. */
      g_autofree char *title = g_markup_printf_escaped ("%s · %s · %s", sd_case_get_number (b->kase),
                                                        sd_severity_get_label (b->severity),
                                                        sd_case_get_title (b->kase));
      g_autofree char *cause = g_markup_escape_text (b->cause, -1);

      add_breach_row (self, title, cause);
    }
  if (r->breaches->len == 0 || r->breaches->len > MAX_BREACH_ROWS)
    {
      g_autofree char *more = r->breaches->len == 0 ? g_strdup (_("No response target was missed"))
        /* Translators: more breaches than the view lists */
        : g_strdup_printf (_("%'u more in the PDF and CSV exports"), r->breaches->len - MAX_BREACH_ROWS);

      add_breach_row (self, more, NULL);
    }
}

static void
sd_quarterly_report_view_show (SdReportView *view)
{
  SdQuarterlyReportView *self = SD_QUARTERLY_REPORT_VIEW (view);
  const SdQuarterlyReport *r = report (self);
  g_autofree char *percent = sd_report_view_format_percent (r->compliance_total.percent);
  g_autofree char *open = NULL;

  gtk_label_set_text (GTK_LABEL (self->compliance_label), percent);
  fill_cases_grid (self, r);
  fill_sla_grid (self, r);
  fill_breaches (self, r);
  open = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u case open now", "%'u cases open now",
                                       r->open_items->len), r->open_items->len);
  gtk_label_set_text (GTK_LABEL (self->open_label), open);
  gtk_widget_queue_draw (self->compliance_chart);
  gtk_widget_queue_draw (self->severity_chart);
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  SdQuarterlyReportView *self = user_data;
  const SdQuarterlyReport *r = report (self);

  if (r == NULL)
    return;
  if (GTK_WIDGET (area) == self->compliance_chart)
    sd_report_draw_compliance_chart (cr, width, height, r);
  else
    sd_report_draw_severity_chart (cr, width, height, r);
}

/* ------------------------------------------------------------ the controls */

static void
fill_customers (SdQuarterlyReportView *self,
                const SdReportsInput  *input)
{
  g_autoptr(GPtrArray) customers = sd_reports_input_sorted_customers (input);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = adw_combo_row_get_selected (self->customer_row);
  g_autofree char *selected_id = selected < self->customer_ids->len ? g_strdup (self->customer_ids->pdata[selected])
                                                                     : NULL;
  guint new_selected = 0;
  gboolean found = FALSE;

  g_ptr_array_set_size (self->customer_ids, 0);
  for (guint i = 0; i < customers->len; i++)
    {
      SdCustomer *customer = customers->pdata[i];
      const char *id = sd_customer_get_id (customer);

      gtk_string_list_append (names, sd_customer_get_name (customer));
      g_ptr_array_add (self->customer_ids, g_strdup (id));
      if (g_strcmp0 (id, selected_id) == 0)
        {
          new_selected = i;
          found = TRUE;
        }
      else if (!found && selected_id == NULL && input->tam_id != NULL
               && g_strcmp0 (sd_customer_get_tam_id (customer), input->tam_id) == 0)
        {
          /* First time: the first of my customers. */
          new_selected = i;
          found = TRUE;
        }
    }
  adw_combo_row_set_model (self->customer_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->customer_row, new_selected);
}

static void
fill_quarters (SdQuarterlyReportView *self)
{
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (sd_report_view_now ());
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
sd_quarterly_report_view_input_changed (SdReportView         *view,
                                        const SdReportsInput *input)
{
  SdQuarterlyReportView *self = SD_QUARTERLY_REPORT_VIEW (view);

  fill_customers (self, input);
  fill_quarters (self);
}

static void
selection_changed_cb (SdQuarterlyReportView *self)
{
  sd_report_view_recompute (SD_REPORT_VIEW (self));
}

/* ------------------------------------------------------------- computing */

static gpointer
sd_quarterly_report_view_prepare (SdReportView         *view,
                                  const SdReportsInput *input)
{
  SdQuarterlyReportView *self = SD_QUARTERLY_REPORT_VIEW (view);
  guint customer = adw_combo_row_get_selected (self->customer_row);
  guint quarter = adw_combo_row_get_selected (self->quarter_row);
  Request *request;

  if (customer >= self->customer_ids->len || quarter >= self->quarters->len)
    return NULL;
  request = g_new0 (Request, 1);
  request->customer_id = g_strdup (self->customer_ids->pdata[customer]);
  request->year = g_array_index (self->quarters, int, quarter) / 10;
  request->quarter = g_array_index (self->quarters, int, quarter) % 10;
  return request;
}

static gpointer
sd_quarterly_report_view_build (const SdReportsInput  *input,
                                gpointer               data,
                                gint64                 now,
                                GError               **error)
{
  Request *request = data;

  return sd_quarterly_report_build (&input->input, request->customer_id, request->year, request->quarter,
                                    SD_REPORT_LANGUAGE_CUSTOMER, now, error);
}

static char *
sd_quarterly_report_view_suggest_name (SdReportView *view)
{
  const SdQuarterlyReport *r = report (SD_QUARTERLY_REPORT_VIEW (view));

  if (r == NULL)
    return NULL;
  return g_strdup_printf ("quarterly-%s-%dQ%d", r->customer_id, r->year, r->quarter);
}

/* ------------------------------------------------------------ lifecycle */

static void
sd_quarterly_report_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_QUARTERLY_REPORT_VIEW);
  G_OBJECT_CLASS (sd_quarterly_report_view_parent_class)->dispose (object);
}

static void
sd_quarterly_report_view_finalize (GObject *object)
{
  SdQuarterlyReportView *self = SD_QUARTERLY_REPORT_VIEW (object);

  g_ptr_array_unref (self->customer_ids);
  g_array_unref (self->quarters);
  g_ptr_array_unref (self->breach_rows);
  G_OBJECT_CLASS (sd_quarterly_report_view_parent_class)->finalize (object);
}

static void
sd_quarterly_report_view_class_init (SdQuarterlyReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SdReportViewClass *view_class = SD_REPORT_VIEW_CLASS (klass);

  object_class->dispose = sd_quarterly_report_view_dispose;
  object_class->finalize = sd_quarterly_report_view_finalize;
  view_class->input_changed = sd_quarterly_report_view_input_changed;
  view_class->prepare = sd_quarterly_report_view_prepare;
  view_class->request_free = (GDestroyNotify) request_free;
  view_class->build = sd_quarterly_report_view_build;
  view_class->report_free = (GDestroyNotify) sd_quarterly_report_free;
  view_class->show = sd_quarterly_report_view_show;
  view_class->to_document = (SdDocument *(*) (gconstpointer)) sd_quarterly_report_to_document;
  view_class->to_csv = (char *(*) (gconstpointer, gsize *)) sd_quarterly_report_to_csv;
  view_class->file_stem = "quarterly";
  view_class->suggest_name = sd_quarterly_report_view_suggest_name;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/SupportDesk/sd-quarterly-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, customer_row);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, quarter_row);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, compliance_label);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, open_label);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, compliance_chart);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, severity_chart);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, sla_grid);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, cases_grid);
  gtk_widget_class_bind_template_child (widget_class, SdQuarterlyReportView, breaches_group);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
}

static void
sd_quarterly_report_view_init (SdQuarterlyReportView *self)
{
  self->customer_ids = g_ptr_array_new_with_free_func (g_free);
  self->quarters = g_array_new (FALSE, FALSE, sizeof (int));
  self->breach_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->compliance_chart), draw_cb, self, NULL);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->severity_chart), draw_cb, self, NULL);
}

/* ----------------------------------------------------------------- API */

gboolean
sd_quarterly_report_view_select (SdQuarterlyReportView *self,
                                 const char            *customer_id,
                                 int                    year,
                                 int                    quarter)
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
  sd_report_view_set_filling (SD_REPORT_VIEW (self), TRUE);
  adw_combo_row_set_selected (self->customer_row, customer);
  adw_combo_row_set_selected (self->quarter_row, q);
  sd_report_view_set_filling (SD_REPORT_VIEW (self), FALSE);
  sd_report_view_recompute (SD_REPORT_VIEW (self));
  return TRUE;
}

GtkWidget *
sd_quarterly_report_view_get_compliance_label (SdQuarterlyReportView *self)
{
  return self->compliance_label;
}

GtkWidget *
sd_quarterly_report_view_get_compliance_chart (SdQuarterlyReportView *self)
{
  return self->compliance_chart;
}
