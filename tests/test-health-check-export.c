/* test-health-check-export.c — SdDocument, and a health check as CSV,
 * PDF (read back with pdftotext) and iCalendar (read back with libical)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libical/ical.h>
#include <string.h>
#include <supportdesk.h>

#include "pdf-test-util.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("sd-export-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static SdCustomer *
customer_new (void)
{
  SdCustomer *customer = sd_customer_new ("cust-pujiang");

  sd_customer_set_name (customer, "上海浦江银行");
  sd_customer_set_time_zone (customer, "Asia/Shanghai");
  return customer;
}

static SdUser *
tam_new (void)
{
  SdUser *tam = sd_user_new ("user-li-na");

  sd_user_set_display_name (tam, "Li Na");
  return tam;
}

/* A check made from the built-in template in @language, with fails,
 * warnings and an auditor's notes that need quoting in CSV. */
static SdHealthCheck *
check_new (const char *language)
{
  g_autoptr(SdChecklistTemplate) template = sd_checklist_template_new_builtin ("endpoint-security", NULL);
  g_autoptr(GPtrArray) items = NULL;
  SdHealthCheck *check = sd_health_check_new ("3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b");
  GDate day;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 14, G_DATE_FEBRUARY, 2026);
  sd_health_check_set_customer_id (check, "cust-pujiang");
  sd_health_check_set_status (check, SD_HEALTH_CHECK_COMPLETED);
  sd_health_check_set_requested_at (check, 1767225600);
  sd_health_check_set_scheduled_on (check, g_date_get_julian (&day));
  sd_health_check_set_contact (check, "张伟, IT operations; +86 21 5555 0100");
  sd_health_check_set_notes (check, "Bring the \"admin\" account.\nVPN first, then the console.");
  g_assert_true (sd_checklist_template_start_check (template, check, language, NULL));
  items = sd_health_check_dup_items (check);
  for (guint i = 0; i < items->len; i++)
    {
      SdChecklistItem *item = items->pdata[i];

      sd_checklist_item_set_result (item, i % 6 == 1 ? SD_CHECK_RESULT_FAIL
                                          : i % 6 == 4 ? SD_CHECK_RESULT_WARNING
                                          : i % 9 == 8 ? SD_CHECK_RESULT_NOT_APPLICABLE
                                          : SD_CHECK_RESULT_PASS);
    }
  sd_checklist_item_set_observed (items->pdata[1], "Runs \"daily\", not hourly,\r\nlast run failed");
  return check;
}

/* RFC 4180 records of @text (BOM removed by the caller). */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; !(*p == '"' && p[1] != '"'); p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"')
                p++;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else
        while (*p != ',' && *p != '\r' && *p != '\0')
          {
            g_assert_true (*p != '\n' && *p != '"');
            g_string_append_c (field, *p++);
          }

      g_ptr_array_add (record, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*p == ',')
        p++;
      else
        {
          g_assert_true (p[0] == '\r' && p[1] == '\n');
          p += 2;
          g_ptr_array_add (records, record);
          record = g_ptr_array_new_with_free_func (g_free);
        }
    }
  g_ptr_array_unref (record);
  g_string_free (field, TRUE);
  return records;
}

static void
test_csv (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SdHealthCheck) check = check_new ("en");
  g_autoptr(GPtrArray) items = sd_health_check_dup_items (check);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "check.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *header;
  gsize length;

  g_assert_true (sd_health_check_export_csv (check, NULL, path, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (text, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_utf8_validate (text + 3, length - 3, NULL));

  records = parse_csv (text + 3);
  g_assert_cmpuint (records->len, ==, items->len + 1);
  header = records->pdata[0];
  g_assert_cmpuint (header->len, ==, 8);
  g_assert_cmpstr (header->pdata[0], ==, "key");
  g_assert_cmpstr (header->pdata[5], ==, "result");
  g_assert_cmpstr (header->pdata[7], ==, "weight");
  for (guint i = 0; i < items->len; i++)
    {
      GPtrArray *row = records->pdata[i + 1];
      SdChecklistItem *item = items->pdata[i];
      g_autofree char *weight = g_strdup_printf ("%u", sd_checklist_item_get_weight (item));
      const char *observed = sd_checklist_item_get_observed (item);

      g_assert_cmpuint (row->len, ==, 8);
      g_assert_cmpstr (row->pdata[0], ==, sd_checklist_item_get_key (item));
      g_assert_cmpstr (row->pdata[1], ==, sd_checklist_item_get_area (item));
      g_assert_cmpstr (row->pdata[2], ==, sd_checklist_item_get_title (item));
      g_assert_cmpstr (row->pdata[3], ==, sd_checklist_item_get_expected (item));
      g_assert_cmpstr (row->pdata[4], ==, observed ? observed : "");
      g_assert_cmpstr (row->pdata[5], ==, sd_check_result_to_string (sd_checklist_item_get_result (item)));
      g_assert_cmpstr (row->pdata[6], ==, sd_checklist_item_get_recommendation (item));
      g_assert_cmpstr (row->pdata[7], ==, weight);
    }
  g_assert_cmpstr (((GPtrArray *) records->pdata[2])->pdata[4], ==,
                   "Runs \"daily\", not hourly,\r\nlast run failed");

  /* The same check for a Chinese reader. */
  g_free (text);
  text = sd_health_check_to_csv (check, "zh_CN", &length);
  g_assert_nonnull (strstr (text, "管理服务器运行受支持的版本"));
  g_assert_nonnull (strstr (text, "last run failed"));
}

static void
test_pdf (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SdHealthCheck) check = check_new ("en");
  g_autoptr(SdCustomer) customer = customer_new ();
  g_autoptr(SdUser) tam = tam_new ();
  g_autoptr(GPtrArray) items = sd_health_check_dup_items (check);
  g_autofree char *path = g_build_filename (fixture->dir, "report.pdf", NULL);
  g_autofree char *score = sd_health_check_format_score (sd_health_check_get_score (check));
  g_autofree char *text = NULL;
  g_autofree char *first_page = NULL;
  g_autoptr(GError) error = NULL;
  guint n_failed = 0;

  sd_health_check_set_summary (check, "Protection is sound; backups need work.");
  g_assert_true (sd_health_check_export_pdf (check, customer, tam, "en", path, &error));
  g_assert_no_error (error);
  if (!(text = pdf_text (path, 0)))
    return;

  first_page = pdf_text (path, 1);
  assert_contains (first_page, "上海浦江银行");
  assert_contains (first_page, "Li Na");
  assert_contains (first_page, "2026-02-14");
  assert_contains (first_page, score);
  assert_contains (first_page, "Protection is sound; backups need work.");
  for (guint i = 0; i < items->len; i++)
    if (sd_checklist_item_get_result (items->pdata[i]) == SD_CHECK_RESULT_FAIL)
      {
        assert_contains (text, sd_checklist_item_get_recommendation (items->pdata[i]));
        n_failed++;
      }
  g_assert_cmpuint (n_failed, >=, 5);
  /* Warnings and failures come before the tables by area, which hold
   * every item. */
  g_assert_nonnull (strstr (text, "Runs\"daily\""));
  g_assert_nonnull (strstr (text, "ResultsbyArea"));
  g_assert_true (strstr (text, "Runs\"daily\"") < strstr (text, "ResultsbyArea"));
  assert_contains (text, sd_checklist_item_get_title (items->pdata[items->len - 1]));
}

static void
test_pdf_chinese (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SdHealthCheck) check = check_new ("zh_CN");
  g_autoptr(SdHealthCheck) english = check_new ("en");
  g_autoptr(SdCustomer) customer = customer_new ();
  g_autofree char *path = g_build_filename (fixture->dir, "report-zh.pdf", NULL);
  g_autofree char *path_en = g_build_filename (fixture->dir, "report-en-as-zh.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *text_en = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_health_check_export_pdf (check, customer, NULL, "zh_CN", path, &error));
  g_assert_no_error (error);
  if (!(text = pdf_text (path, 0)))
    return;
  assert_contains (text, "终端安全部署");
  assert_contains (text, "管理服务器运行受支持的版本");
  assert_contains (text, "管理服务器的备份与恢复");
  /* The failed SRV-02's recommendation, in Chinese. */
  assert_contains (text, "安装待装的操作系统安全更新");

  /* A check written in English, reported in Chinese: the template's texts
   * are translated, the auditor's words are not. */
  g_assert_true (sd_health_check_export_pdf (english, customer, NULL, "zh_CN", path_en, &error));
  g_assert_no_error (error);
  text_en = pdf_text (path_en, 0);
  assert_contains (text_en, "管理服务器运行受支持的版本");
  assert_contains (text_en, "lastrunfailed");
}

static void
test_export_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SdHealthCheck) check = check_new ("en");
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "report.pdf", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (sd_health_check_export_pdf (check, NULL, NULL, "en", path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (sd_health_check_export_csv (check, NULL, path, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_ics (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SdHealthCheck) check = check_new ("en");
  g_autoptr(SdHealthCheck) unscheduled = sd_health_check_new (NULL);
  g_autoptr(SdCustomer) customer = customer_new ();
  g_autoptr(SdUser) tam = tam_new ();
  g_autofree char *path = g_build_filename (fixture->dir, "appointment.ics", NULL);
  g_autofree char *text = NULL;
  g_autofree char *none = NULL;
  g_autoptr(GError) error = NULL;
  icalcomponent *calendar, *event;
  struct icaltimetype start, end;
  const char *description;

  g_assert_true (sd_health_check_export_ics (check, customer, tam, path, &error));
  g_assert_no_error (error);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_isa (calendar), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, 1);
  event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
  start = icalcomponent_get_dtstart (event);
  end = icalcomponent_get_dtend (event);
  g_assert_true (start.is_date);
  g_assert_cmpint (start.year, ==, 2026);
  g_assert_cmpint (start.month, ==, 2);
  g_assert_cmpint (start.day, ==, 14);
  g_assert_true (end.is_date);
  g_assert_cmpint (end.month, ==, 2);
  g_assert_cmpint (end.day, ==, 15);
  g_assert_nonnull (strstr (icalcomponent_get_summary (event), "上海浦江银行"));
  g_assert_nonnull (strstr (icalcomponent_get_uid (event), sd_health_check_get_id (check)));
  g_assert_cmpint (icalcomponent_get_status (event), ==, ICAL_STATUS_CONFIRMED);
  description = icalcomponent_get_description (event);
  g_assert_nonnull (strstr (description, "张伟, IT operations; +86 21 5555 0100"));
  g_assert_nonnull (strstr (description, "Bring the \"admin\" account.\nVPN first, then the console."));
  g_assert_nonnull (strstr (description, "Li Na"));
  g_assert_nonnull (strstr (description, "Asia/Shanghai"));
  g_assert_nonnull (strstr (description, sd_health_check_mode_get_label (SD_HEALTH_CHECK_MODE_REMOTE)));
  icalcomponent_free (calendar);

  none = sd_health_check_to_ics (unscheduled, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
}

typedef struct {
  guint  calls;
  double width;
  double height;
} Drawn;

static void
draw_cb (cairo_t  *cr,
         double    width,
         double    height,
         gpointer  user_data)
{
  Drawn *drawn = user_data;

  drawn->calls++;
  drawn->width = width;
  drawn->height = height;
  cairo_rectangle (cr, 0, 0, width / 2, height);
  cairo_fill (cr);
}

static void
test_document (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(SdDocument) document = sd_document_new (NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "long.pdf", NULL);
  g_autofree char *page2 = NULL;
  gboolean found_last = FALSE;
  g_autoptr(GError) error = NULL;
  const char *headers[] = { "Number", "HeaderOnEveryPage", "Text", NULL };
  const double widths[] = { 1, 2, 4 };
  Drawn drawn = { 0 };
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_pages, n_small;

  sd_document_add_title (document, "Long document", "测试文档");
  sd_document_add_field (document, "Customer", "Acme");
  sd_document_add_heading (document, "A table", 1);
  sd_document_begin_table (document, 3, widths, headers);
  for (guint i = 0; i < 150; i++)
    {
      g_autofree char *number = g_strdup_printf ("row-%03u", i);
      const char *row[] = { number, i % 2 ? "长文本单元格会换行显示，直到单元格结束为止。" : "x",
                            "A cell long enough to wrap onto a second line in its column of the table.", NULL };

      sd_document_add_row (document, row);
    }
  sd_document_add_drawing (document, 120, draw_cb, &drawn, NULL);

  n_pages = sd_document_get_n_pages (document, SD_DOCUMENT_A4_WIDTH, SD_DOCUMENT_A4_HEIGHT);
  g_assert_cmpuint (n_pages, >=, 3);
  /* A smaller paper needs more pages. */
  n_small = sd_document_get_n_pages (document, 420, 595);
  g_assert_cmpuint (n_small, >, n_pages);

  /* Page by page onto any cairo context (as GtkPrintOperation does). */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 420, 595);
  cr = cairo_create (surface);
  for (guint p = 0; p < n_small; p++)
    sd_document_render_page (document, cr, 420, 595, p);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (drawn.calls, ==, 1);
  g_assert_cmpfloat (drawn.width, ==, 420 - 2 * 48);
  g_assert_cmpfloat (drawn.height, ==, 120);

  g_assert_true (sd_document_write_pdf (document, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (drawn.calls, ==, 2);
  if (!(page2 = pdf_text (path, 2)))
    return;
  /* The header row is repeated, the pages are numbered. */
  assert_contains (page2, "HeaderOnEveryPage");
  {
    g_autofree char *footer = g_strdup_printf ("2 / %u", n_pages);

    assert_contains (page2, footer);
  }
  /* Every page the table runs over starts with its header. */
  for (guint p = 2; p <= n_pages; p++)
    {
      g_autofree char *text = pdf_text (path, p);

      if (strstr (text, "row-") != NULL)
        g_assert_nonnull (strstr (text, "HeaderOnEveryPage"));
      if (strstr (text, "row-") != NULL)
        g_assert_true (strstr (text, "HeaderOnEveryPage") < strstr (text, "row-"));
      if (strstr (text, "row-149") != NULL)
        found_last = TRUE;
    }
  g_assert_true (found_last);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/health-check-export/csv", Fixture, NULL, fixture_set_up, test_csv, fixture_tear_down);
  g_test_add ("/health-check-export/pdf", Fixture, NULL, fixture_set_up, test_pdf, fixture_tear_down);
  g_test_add ("/health-check-export/pdf-chinese", Fixture, NULL, fixture_set_up, test_pdf_chinese,
              fixture_tear_down);
  g_test_add ("/health-check-export/errors", Fixture, NULL, fixture_set_up, test_export_errors,
              fixture_tear_down);
  g_test_add ("/health-check-export/ics", Fixture, NULL, fixture_set_up, test_ics, fixture_tear_down);
  g_test_add ("/document/pages", Fixture, NULL, fixture_set_up, test_document, fixture_tear_down);

  return g_test_run ();
}
