/* test-checklist-template.c — the checklist template codec, the built-in
 * endpoint-security template, template versions, the score and the
 * progress per area
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

static const char *minimal_template =
  "{\"id\": \"tpl-test\", \"version\": 1, \"title\": {\"en\": \"Test\", \"zh_CN\": \"测试\"},"
  " \"items\": ["
  "  {\"key\": \"SRV-01\", \"area\": {\"en\": \"Server\", \"zh_CN\": \"服务器\"},"
  "   \"title\": {\"en\": \"Supported release\", \"zh_CN\": \"受支持的版本\"},"
  "   \"rationale\": \"Fixes\", \"expected\": {\"en\": \"Latest\"},"
  "   \"recommendation\": {\"en\": \"Upgrade\", \"zh_CN\": \"升级\"}, \"weight\": 5},"
  "  {\"key\": \"UPD-01\", \"area\": \"Updates\", \"title\": \"Hourly\", \"expected\": \"Every hour\"}"
  " ]}";

static SdChecklistTemplate *
decode (const char  *text,
        GError     **error)
{
  g_autoptr(JsonNode) node = sd_json_parse (text, -1, error);

  return node ? sd_checklist_template_from_json (node, NULL, error) : NULL;
}

/* @text with @old replaced by @new (once). */
static char *
replace (const char *text,
         const char *old,
         const char *new)
{
  const char *at = strstr (text, old);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, new, at + strlen (old));
}

static void
test_template_decode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdChecklistTemplate) template = decode (minimal_template, &error);
  g_autoptr(GPtrArray) zh = NULL;
  g_autoptr(GPtrArray) en = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node_again = NULL;
  g_autoptr(SdChecklistTemplate) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sd_checklist_template_get_id (template), ==, "tpl-test");
  g_assert_cmpuint (sd_checklist_template_get_version (template), ==, 1);
  g_assert_cmpstr (sd_checklist_template_get_title (template, "zh_CN"), ==, "测试");
  g_assert_cmpstr (sd_checklist_template_get_title (template, "en"), ==, "Test");
  g_assert_cmpuint (sd_checklist_template_get_n_items (template), ==, 2);

  zh = sd_checklist_template_instantiate (template, "zh_CN");
  g_assert_cmpstr (sd_checklist_item_get_area (zh->pdata[0]), ==, "服务器");
  g_assert_cmpstr (sd_checklist_item_get_title (zh->pdata[0]), ==, "受支持的版本");
  /* No Chinese text: the English one. */
  g_assert_cmpstr (sd_checklist_item_get_expected (zh->pdata[0]), ==, "Latest");
  g_assert_cmpstr (sd_checklist_item_get_rationale (zh->pdata[0]), ==, "Fixes");
  g_assert_cmpstr (sd_checklist_item_get_recommendation (zh->pdata[0]), ==, "升级");
  g_assert_cmpuint (sd_checklist_item_get_weight (zh->pdata[0]), ==, 5);
  g_assert_cmpint (sd_checklist_item_get_result (zh->pdata[0]), ==, SD_CHECK_RESULT_NOT_CHECKED);
  g_assert_cmpuint (sd_checklist_item_get_weight (zh->pdata[1]), ==, 1);
  g_assert_null (sd_checklist_item_get_recommendation (zh->pdata[1]));
  en = sd_checklist_template_instantiate (template, "en");
  g_assert_cmpstr (sd_checklist_item_get_title (en->pdata[0]), ==, "Supported release");

  /* Round trip. */
  node = sd_checklist_template_to_json (template);
  text = sd_json_to_string (node, FALSE);
  again = decode (text, &error);
  g_assert_no_error (error);
  node_again = sd_checklist_template_to_json (again);
  text_again = sd_json_to_string (node_again, FALSE);
  g_assert_cmpstr (text, ==, text_again);
}

static void
assert_refused (const char *old,
                const char *new,
                int         code,
                const char *field)
{
  g_autofree char *text = replace (minimal_template, old, new);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdChecklistTemplate) template = decode (text, &error);

  g_assert_null (template);
  g_assert_error (error, SD_ERROR, code);
  if (strstr (error->message, field) == NULL)
    g_error ("“%s” does not name “%s”", error->message, field);
}

static void
test_template_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdChecklistTemplate) template = decode ("{\"id\": \"x\", \"version\": 1,", &error);

  g_assert_null (template);
  g_assert_error (error, SD_ERROR, SD_ERROR_SYNTAX);

  assert_refused ("\"version\": 1,", "", SD_ERROR_MISSING_FIELD, "checklist_template.version");
  assert_refused ("\"version\": 1", "\"version\": 0", SD_ERROR_INVALID_VALUE, "checklist_template.version");
  assert_refused ("\"title\": \"Hourly\", ", "", SD_ERROR_MISSING_FIELD, "checklist_template.items[1].title");
  assert_refused ("\"zh_CN\": \"服务器\"", "\"fr\": \"Serveur\"", SD_ERROR_UNKNOWN_FIELD,
                  "checklist_template.items[0].area.fr");
  assert_refused ("{\"en\": \"Latest\"}", "{\"zh_CN\": \"最新\"}", SD_ERROR_MISSING_FIELD,
                  "checklist_template.items[0].expected.en");
  assert_refused ("\"rationale\": \"Fixes\"", "\"rationale\": 3", SD_ERROR_WRONG_TYPE,
                  "checklist_template.items[0].rationale");
  assert_refused ("\"weight\": 5", "\"weight\": 0", SD_ERROR_INVALID_VALUE, "checklist_template.items[0].weight");
  assert_refused ("\"UPD-01\"", "\"SRV-01\"", SD_ERROR_INVALID_VALUE, "checklist_template.items[1].key");
  assert_refused ("\"UPD-01\"", "\"upd-1\"", SD_ERROR_INVALID_VALUE, "checklist_template.items[1].key");
  assert_refused ("\"weight\": 5", "\"weight\": 5, \"result\": \"pass\"", SD_ERROR_UNKNOWN_FIELD,
                  "checklist_template.items[0].result");
  assert_refused ("\"title\": {\"en\": \"Test\", \"zh_CN\": \"测试\"}", "\"title\": \" \"",
                  SD_ERROR_INVALID_VALUE, "checklist_template.title");
}

static void
test_builtin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdChecklistTemplate) template = sd_checklist_template_new_builtin ("endpoint-security", &error);
  g_autoptr(SdChecklistTemplate) none = NULL;
  g_autoptr(GPtrArray) en = NULL;
  g_autoptr(GPtrArray) zh = NULL;
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) areas = g_hash_table_new (g_str_hash, g_str_equal);
  guint n;

  g_assert_no_error (error);
  g_assert_cmpstr (sd_checklist_template_get_id (template), ==, SD_CHECKLIST_TEMPLATE_ENDPOINT_SECURITY);
  g_assert_cmpuint (sd_checklist_template_get_version (template), >=, 1);
  g_assert_cmpstr (sd_checklist_template_get_title (template, "zh_CN"), ==, "终端安全部署");
  n = sd_checklist_template_get_n_items (template);
  g_assert_cmpuint (n, >=, 30);

  en = sd_checklist_template_instantiate (template, "en");
  zh = sd_checklist_template_instantiate (template, "zh_CN");
  g_assert_cmpuint (en->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      SdChecklistItem *e = en->pdata[i];
      SdChecklistItem *z = zh->pdata[i];

      g_assert_true (sd_checklist_item_key_is_valid (sd_checklist_item_get_key (e)));
      g_assert_true (g_hash_table_add (keys, (gpointer) sd_checklist_item_get_key (e)));
      g_hash_table_add (areas, (gpointer) sd_checklist_item_get_area (e));
      /* Every text is there, in both languages. */
      g_assert_nonnull (sd_checklist_item_get_rationale (e));
      g_assert_nonnull (sd_checklist_item_get_recommendation (e));
      g_assert_cmpstr (sd_checklist_item_get_title (e), !=, sd_checklist_item_get_title (z));
      g_assert_cmpstr (sd_checklist_item_get_area (e), !=, sd_checklist_item_get_area (z));
      g_assert_cmpstr (sd_checklist_item_get_rationale (e), !=, sd_checklist_item_get_rationale (z));
      g_assert_cmpstr (sd_checklist_item_get_expected (e), !=, sd_checklist_item_get_expected (z));
      g_assert_cmpstr (sd_checklist_item_get_recommendation (e), !=,
                       sd_checklist_item_get_recommendation (z));
      g_assert_true (g_utf8_validate (sd_checklist_item_get_title (z), -1, NULL));
      g_assert_cmpstr (sd_checklist_template_get_item_key (template, i), ==, sd_checklist_item_get_key (e));
    }
  /* Management server, updates, policies, agents, backup, licensing, events. */
  g_assert_cmpuint (g_hash_table_size (areas), ==, 7);
  g_assert_true (g_hash_table_contains (keys, "UPD-03"));

  none = sd_checklist_template_new_builtin ("no-such-template", &error);
  g_assert_null (none);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "no-such-template"));
}

static void
test_languages (void)
{
  g_assert_true (sd_checklist_language_is_known ("en"));
  g_assert_true (sd_checklist_language_is_known ("zh_CN"));
  g_assert_false (sd_checklist_language_is_known ("zh"));
  g_assert_false (sd_checklist_language_is_known (NULL));
  g_assert_cmpstr (sd_checklist_language_from_locale ("zh_CN.UTF-8"), ==, "zh_CN");
  g_assert_cmpstr (sd_checklist_language_from_locale ("zh-CN,zh;q=0.9,en;q=0.5"), ==, "zh_CN");
  g_assert_cmpstr (sd_checklist_language_from_locale ("zh_CN:en"), ==, "zh_CN");
  g_assert_cmpstr (sd_checklist_language_from_locale ("zh_TW.UTF-8"), ==, "en");
  g_assert_cmpstr (sd_checklist_language_from_locale ("de-DE,zh-CN;q=0.5"), ==, "en");
  g_assert_cmpstr (sd_checklist_language_from_locale ("C.UTF-8"), ==, "en");
  g_assert_cmpstr (sd_checklist_language_from_locale (NULL), ==, "en");
}

/* A check keeps the template version it started with. */
static void
test_template_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdChecklistTemplate) v1 = decode (minimal_template, &error);
  g_autofree char *v2_text = NULL;
  g_autoptr(SdChecklistTemplate) v2 = NULL;
  g_autoptr(SdHealthCheck) check = sd_health_check_new (NULL);
  g_autoptr(SdHealthCheck) decoded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) translated = NULL;
  SdChecklistItem *item;

  g_assert_no_error (error);
  {
    g_autofree char *a = replace (minimal_template, "\"version\": 1", "\"version\": 2");
    g_autofree char *b = replace (a, "\"Supported release\"", "\"Release in full support\"");

    v2_text = replace (b, "\"items\": [", "\"items\": [{\"key\": \"LIC-01\", \"area\": \"Licensing\","
                                           " \"title\": \"Seats\", \"expected\": \"Enough\"},");
  }
  v2 = decode (v2_text, &error);
  g_assert_no_error (error);

  g_assert_true (sd_checklist_template_start_check (v1, check, "en", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sd_health_check_get_template_id (check), ==, "tpl-test");
  g_assert_cmpuint (sd_health_check_get_template_version (check), ==, 1);
  sd_checklist_item_set_result (sd_health_check_lookup_item (check, "SRV-01"), SD_CHECK_RESULT_PASS);

  /* A newer version does not start over a check that has its items. */
  g_assert_false (sd_checklist_template_start_check (v2, check, "en", &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_cmpuint (sd_health_check_get_template_version (check), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (sd_health_check_get_items (check)), ==, 2);
  g_assert_null (sd_health_check_lookup_item (check, "LIC-01"));
  g_assert_cmpstr (sd_checklist_item_get_title (sd_health_check_lookup_item (check, "SRV-01")), ==,
                   "Supported release");

  /* Stored and read back, the check is still version 1 with its items. */
  sd_health_check_set_customer_id (check, "cust-acme");
  sd_health_check_set_requested_at (check, 1767225600);
  node = sd_health_check_to_json (check);
  decoded = sd_health_check_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_health_check_get_template_version (decoded), ==, 1);
  g_assert_cmpint (sd_checklist_item_get_result (sd_health_check_lookup_item (decoded, "SRV-01")), ==,
                   SD_CHECK_RESULT_PASS);

  /* The texts the auditor left alone follow the report's language; what
   * was written stays. */
  items = sd_health_check_dup_items (check);
  item = items->pdata[0];
  sd_checklist_item_set_observed (item, "Version 11.2");
  sd_checklist_item_set_recommendation (item, "Upgrade before June");
  translated = sd_checklist_template_translate_items (v1, items, "zh_CN");
  g_assert_cmpstr (sd_checklist_item_get_title (translated->pdata[0]), ==, "受支持的版本");
  g_assert_cmpstr (sd_checklist_item_get_area (translated->pdata[0]), ==, "服务器");
  g_assert_cmpstr (sd_checklist_item_get_observed (translated->pdata[0]), ==, "Version 11.2");
  g_assert_cmpstr (sd_checklist_item_get_recommendation (translated->pdata[0]), ==, "Upgrade before June");
  /* The originals are untouched. */
  g_assert_cmpstr (sd_checklist_item_get_title (item), ==, "Supported release");
}

static SdChecklistItem *
item_new (const char    *key,
          const char    *area,
          SdCheckResult  result,
          guint          weight)
{
  SdChecklistItem *item = sd_checklist_item_new (key);

  sd_checklist_item_set_area (item, area);
  sd_checklist_item_set_title (item, key);
  sd_checklist_item_set_expected (item, "x");
  sd_checklist_item_set_result (item, result);
  sd_checklist_item_set_weight (item, weight);
  return item;
}

static void
test_score_and_progress (void)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autoptr(GPtrArray) only_na = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) areas = NULL;
  g_autoptr(SdHealthCheck) check = sd_health_check_new (NULL);
  SdChecklistAreaProgress *a;

  g_ptr_array_add (items, item_new ("SRV-01", "Server", SD_CHECK_RESULT_PASS, 3));
  g_ptr_array_add (items, item_new ("SRV-02", "Server", SD_CHECK_RESULT_FAIL, 2));
  g_ptr_array_add (items, item_new ("UPD-01", "Updates", SD_CHECK_RESULT_WARNING, 1));
  g_ptr_array_add (items, item_new ("UPD-02", "Updates", SD_CHECK_RESULT_NOT_APPLICABLE, 5));
  g_ptr_array_add (items, item_new ("UPD-03", "Updates", SD_CHECK_RESULT_PASS, 2));
  g_ptr_array_add (items, item_new ("SRV-03", "Server", SD_CHECK_RESULT_NOT_CHECKED, 4));

  /* passed 3 + 2 = 5; counted 3 + 2 + 1 + 2 + 4 = 12 (n/a 5 left out). */
  g_assert_cmpfloat_with_epsilon (sd_health_check_score (items), 5.0 / 12.0, 1e-12);
  g_assert_cmpfloat (sd_health_check_score (empty), ==, -1.0);
  g_ptr_array_add (only_na, item_new ("LIC-01", "Licensing", SD_CHECK_RESULT_NOT_APPLICABLE, 9));
  g_assert_cmpfloat (sd_health_check_score (only_na), ==, -1.0);

  /* The check's own score is the same function. */
  for (guint i = 0; i < items->len; i++)
    sd_health_check_add_item (check, items->pdata[i]);
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (check), 5.0 / 12.0, 1e-12);
  sd_checklist_item_set_result (items->pdata[5], SD_CHECK_RESULT_PASS);
  /* passed 9 of 12 */
  g_assert_cmpfloat_with_epsilon (sd_health_check_get_score (check), 0.75, 1e-12);
  sd_checklist_item_set_result (items->pdata[5], SD_CHECK_RESULT_NOT_CHECKED);

  areas = sd_health_check_area_progress (items);
  g_assert_cmpuint (areas->len, ==, 2);
  a = &g_array_index (areas, SdChecklistAreaProgress, 0);
  g_assert_cmpstr (a->area, ==, "Server");
  g_assert_cmpuint (a->n_items, ==, 3);
  g_assert_cmpuint (a->n_checked, ==, 2);
  g_assert_cmpuint (a->n_passed, ==, 1);
  g_assert_cmpuint (a->n_failed, ==, 1);
  g_assert_cmpuint (a->n_warnings, ==, 0);
  a = &g_array_index (areas, SdChecklistAreaProgress, 1);
  g_assert_cmpstr (a->area, ==, "Updates");
  g_assert_cmpuint (a->n_items, ==, 3);
  g_assert_cmpuint (a->n_checked, ==, 3);
  g_assert_cmpuint (a->n_passed, ==, 1);
  g_assert_cmpuint (a->n_warnings, ==, 1);
  g_assert_cmpuint (a->n_not_applicable, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/checklist-template/decode", test_template_decode);
  g_test_add_func ("/checklist-template/errors", test_template_errors);
  g_test_add_func ("/checklist-template/builtin", test_builtin);
  g_test_add_func ("/checklist-template/languages", test_languages);
  g_test_add_func ("/checklist-template/versions", test_template_versions);
  g_test_add_func ("/health-check/score-and-progress", test_score_and_progress);

  return g_test_run ();
}
