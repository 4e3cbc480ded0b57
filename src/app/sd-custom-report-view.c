/* sd-custom-report-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-custom-report-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-custom-report-view.h"
#include "sd-list-keys.h"
#include "sd-sla-text.h"

#define N_COLUMNS 9

/* ------------------------------------------------------- a row of the table */

#define SD_TYPE_CUSTOM_REPORT_ROW (sd_custom_report_row_get_type ())
G_DECLARE_FINAL_TYPE (SdCustomReportRowItem, sd_custom_report_row, SD, CUSTOM_REPORT_ROW, GObject)

struct _SdCustomReportRowItem
{
  GObject parent_instance;
  char   *cells[N_COLUMNS];
  int     severity;
  gint64  reported_at;
  gint64  response_time;
};

G_DEFINE_FINAL_TYPE (SdCustomReportRowItem, sd_custom_report_row, G_TYPE_OBJECT)

static void
sd_custom_report_row_finalize (GObject *object)
{
  SdCustomReportRowItem *self = SD_CUSTOM_REPORT_ROW (object);

  for (guint i = 0; i < N_COLUMNS; i++)
    g_free (self->cells[i]);
  G_OBJECT_CLASS (sd_custom_report_row_parent_class)->finalize (object);
}

static void
sd_custom_report_row_class_init (SdCustomReportRowItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_custom_report_row_finalize;
}

static void
sd_custom_report_row_init (SdCustomReportRowItem *self)
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

static SdCustomReportRowItem *
sd_custom_report_row_new (SdCustomReportRow *row)
{
  SdCustomReportRowItem *self = g_object_new (SD_TYPE_CUSTOM_REPORT_ROW, NULL);
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
  if (row->response_severity != self->severity && sd_severity_is_valid (row->response_severity))
    /* Translators: a response state and the severity it holds under, e.g. "Breached (Critical)" */
    self->cells[7] = g_strdup_printf (C_("response state", "%s (%s)"), sla_state_label (row->response_state),
                                      sd_severity_get_label (row->response_severity));
  else
    self->cells[7] = g_strdup (sla_state_label (row->response_state));
  self->cells[8] = row->response_time < 0 ? g_strdup ("–") : sd_format_duration (row->response_time);
  return self;
}

/* --------------------------------------------------------------- the view */

struct _SdCustomReportView
{
  SdReportView parent_instance;

  GPtrArray  *customer_rows;    /* borrowed, in customers_expander */
  GPtrArray  *customer_checks;  /* borrowed GtkCheckButton, "customer-id" data */
  GtkWidget  *type_checks[SD_N_CASE_TYPES];
  GtkWidget  *status_checks[SD_CASE_STATUS_CLOSED + 1];
  GtkWidget  *severity_toggles[SD_SEVERITY_MAX];
  GListStore *rows;             /* owned, of SdCustomReportRowItem */

  /* template children */
  AdwExpanderRow *customers_expander;
  GtkWidget      *from_row;
  GtkWidget      *to_row;
  GtkWidget      *severity1;
  GtkWidget      *severity2;
  GtkWidget      *severity3;
  GtkWidget      *severity4;
  AdwExpanderRow *types_expander;
  AdwExpanderRow *statuses_expander;
  GtkColumnView  *table;
  GtkWidget      *totals;
};

G_DEFINE_FINAL_TYPE (SdCustomReportView, sd_custom_report_view, SD_TYPE_REPORT_VIEW)

typedef struct {
  SdReportFilter   filter;
  char           **customer_ids;
  SdReportLanguage language;
} Request;

static void
request_free (Request *request)
{
  g_strfreev (request->customer_ids);
  g_free (request);
}

/* ---------------------------------------------------------------- the table */

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const SdCustomReportRowItem *x = a, *y = b;
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
  SdCustomReportRowItem *row = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), row->cells[GPOINTER_TO_UINT (user_data)]);
}

/* The template declares the columns; each gets its cells and its sorter. */
static void
setup_table (SdCustomReportView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->table);
  g_autoptr(GtkSortListModel) sorted = NULL;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_assert (g_list_model_get_n_items (columns) == N_COLUMNS);
  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, c);
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkSorter) sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GUINT_TO_POINTER (c), NULL));

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (c));
      gtk_column_view_column_set_factory (column, factory);
      gtk_column_view_column_set_sorter (column, sorter);
    }
  self->rows = g_list_store_new (SD_TYPE_CUSTOM_REPORT_ROW);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                    g_object_ref (gtk_column_view_get_sorter (self->table)));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&sorted)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  sd_list_keys_single_tab_stop (GTK_WIDGET (self->table));
}

static void
sd_custom_report_view_show (SdReportView *view)
{
  SdCustomReportView *self = SD_CUSTOM_REPORT_VIEW (view);
  const SdCustomReport *r = sd_report_view_get_report (view);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *percent = sd_report_view_format_percent (r->compliance.percent);
  g_autofree char *totals = NULL;

  for (guint i = 0; i < r->rows->len; i++)
    g_ptr_array_add (rows, sd_custom_report_row_new (r->rows->pdata[i]));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
  /* Translators: the custom report's totals */
  totals = g_strdup_printf (_("%'u cases · %'u open · %'u resolved · S1 %'u · S2 %'u · S3 %'u · S4 %'u · "
                              "response met %'u, missed %'u · compliance %s"),
                            r->total, r->open, r->resolved, r->by_severity[0], r->by_severity[1],
                            r->by_severity[2], r->by_severity[3], r->compliance.met, r->compliance.missed,
                            percent);
  gtk_label_set_text (GTK_LABEL (self->totals), totals);
}

/* ------------------------------------------------------------ the controls */

static void
changed_cb (SdCustomReportView *self)
{
  sd_report_view_recompute (SD_REPORT_VIEW (self));
}

static GtkWidget *
add_check_row (SdCustomReportView *self,
               AdwExpanderRow     *expander,
               const char         *title)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect_object (check, "toggled", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_expander_row_add_row (expander, row);
  return check;
}

static void
sd_custom_report_view_input_changed (SdReportView         *view,
                                     const SdReportsInput *input)
{
  SdCustomReportView *self = SD_CUSTOM_REPORT_VIEW (view);
  g_autoptr(GPtrArray) customers = sd_reports_input_sorted_customers (input);
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->customer_checks->len; i++)
    if (gtk_check_button_get_active (self->customer_checks->pdata[i]))
      g_hash_table_add (checked, g_strdup (g_object_get_data (self->customer_checks->pdata[i], "customer-id")));
  for (guint i = 0; i < self->customer_rows->len; i++)
    adw_expander_row_remove (self->customers_expander, self->customer_rows->pdata[i]);
  g_ptr_array_set_size (self->customer_rows, 0);
  g_ptr_array_set_size (self->customer_checks, 0);

  for (guint i = 0; i < customers->len; i++)
    {
      SdCustomer *customer = customers->pdata[i];
      const char *id = sd_customer_get_id (customer);
      GtkWidget *check = add_check_row (self, self->customers_expander, sd_customer_get_name (customer));

      g_object_set_data_full (G_OBJECT (check), "customer-id", g_strdup (id), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (checked, id));
      g_ptr_array_add (self->customer_rows, gtk_widget_get_ancestor (check, ADW_TYPE_ACTION_ROW));
      g_ptr_array_add (self->customer_checks, check);
    }
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

static SdCustomer *
find_customer (const SdReportsInput *input,
               const char           *id)
{
  for (guint i = 0; i < input->input.customers->len; i++)
    if (g_strcmp0 (sd_customer_get_id (input->input.customers->pdata[i]), id) == 0)
      return input->input.customers->pdata[i];
  return NULL;
}

/* ------------------------------------------------------------- computing */

static gpointer
sd_custom_report_view_prepare (SdReportView         *view,
                               const SdReportsInput *input)
{
  SdCustomReportView *self = SD_CUSTOM_REPORT_VIEW (view);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  SdReportLanguage language = (SdReportLanguage) -1;
  gboolean mixed = FALSE;
  SdReportFilter filter = { 0, };
  Request *request;

  if (!parse_day (self->from_row, &filter.from) || !parse_day (self->to_row, &filter.to))
    return NULL;
  for (guint i = 0; i < self->customer_checks->len; i++)
    if (gtk_check_button_get_active (self->customer_checks->pdata[i]))
      {
        const char *id = g_object_get_data (self->customer_checks->pdata[i], "customer-id");
        SdCustomer *customer = find_customer (input, id);

        g_strv_builder_add (ids, id);
        if (customer != NULL && language != (SdReportLanguage) -1
            && language != sd_customer_get_report_language (customer))
          mixed = TRUE;
        if (customer != NULL)
          language = sd_customer_get_report_language (customer);
      }
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->severity_toggles[s - 1])))
      filter.severities |= 1u << s;
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->type_checks[t])))
      filter.types |= 1u << t;
  for (guint s = 0; s <= SD_CASE_STATUS_CLOSED; s++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->status_checks[s])))
      filter.statuses |= 1u << s;
  request = g_new0 (Request, 1);
  request->filter = filter;
  request->customer_ids = g_strv_builder_end (ids);
  /* The selected customers' report language, Chinese when they differ or
   * for every customer. */
  request->language = mixed || language == (SdReportLanguage) -1 ? SD_REPORT_LANGUAGE_ZH_CN : language;
  return request;
}

static gpointer
sd_custom_report_view_build (const SdReportsInput  *input,
                             gpointer               data,
                             gint64                 now,
                             GError               **error)
{
  Request *request = data;

  request->filter.customer_ids = (const char * const *) request->customer_ids;
  return sd_custom_report_build (&input->input, &request->filter, request->language, now);
}

/* ------------------------------------------------------------ lifecycle */

static void
sd_custom_report_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_CUSTOM_REPORT_VIEW);
  G_OBJECT_CLASS (sd_custom_report_view_parent_class)->dispose (object);
}

static void
sd_custom_report_view_finalize (GObject *object)
{
  SdCustomReportView *self = SD_CUSTOM_REPORT_VIEW (object);

  g_ptr_array_unref (self->customer_rows);
  g_ptr_array_unref (self->customer_checks);
  g_clear_object (&self->rows);
  G_OBJECT_CLASS (sd_custom_report_view_parent_class)->finalize (object);
}

static void
sd_custom_report_view_class_init (SdCustomReportViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  SdReportViewClass *view_class = SD_REPORT_VIEW_CLASS (klass);

  object_class->dispose = sd_custom_report_view_dispose;
  object_class->finalize = sd_custom_report_view_finalize;
  view_class->input_changed = sd_custom_report_view_input_changed;
  view_class->prepare = sd_custom_report_view_prepare;
  view_class->request_free = (GDestroyNotify) request_free;
  view_class->build = sd_custom_report_view_build;
  view_class->report_free = (GDestroyNotify) sd_custom_report_free;
  view_class->show = sd_custom_report_view_show;
  view_class->to_document = (SdDocument *(*) (gconstpointer)) sd_custom_report_to_document;
  view_class->to_csv = (char *(*) (gconstpointer, gsize *)) sd_custom_report_to_csv;
  view_class->file_stem = "custom";

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/SupportDesk/sd-custom-report-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, customers_expander);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, from_row);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, to_row);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, severity1);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, severity2);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, severity3);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, severity4);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, types_expander);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, statuses_expander);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, table);
  gtk_widget_class_bind_template_child (widget_class, SdCustomReportView, totals);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
sd_custom_report_view_init (SdCustomReportView *self)
{
  self->customer_rows = g_ptr_array_new ();
  self->customer_checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->severity_toggles[0] = self->severity1;
  self->severity_toggles[1] = self->severity2;
  self->severity_toggles[2] = self->severity3;
  self->severity_toggles[3] = self->severity4;
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    {
      g_autofree char *name = sd_severity_pill_text (s);

      gtk_widget_set_tooltip_text (self->severity_toggles[s - 1], name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->severity_toggles[s - 1]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  for (guint t = 0; t < SD_N_CASE_TYPES; t++)
    self->type_checks[t] = add_check_row (self, self->types_expander, sd_case_type_get_label (t));
  for (guint s = 0; s <= SD_CASE_STATUS_CLOSED; s++)
    self->status_checks[s] = add_check_row (self, self->statuses_expander, sd_case_status_get_label (s));
  setup_table (self);
}

/* ----------------------------------------------------------------- API */

void
sd_custom_report_view_set_period (SdCustomReportView *self,
                                  guint32             from,
                                  guint32             to)
{
  g_autofree char *from_text = from ? sd_date_format (from) : g_strdup ("");
  g_autofree char *to_text = to ? sd_date_format (to) : g_strdup ("");

  sd_report_view_set_filling (SD_REPORT_VIEW (self), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), from_text);
  sd_report_view_set_filling (SD_REPORT_VIEW (self), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), to_text);
}

GtkColumnView *
sd_custom_report_view_get_table (SdCustomReportView *self)
{
  return self->table;
}

GtkWidget *
sd_custom_report_view_get_totals (SdCustomReportView *self)
{
  return self->totals;
}
