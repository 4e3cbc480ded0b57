/* test-customer.c — SdCustomer and its JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "model-test-util.h"

static void
test_customer_round_trip (void)
{
  g_autoptr(SdCustomer) customer = NULL;
  const char * const *dms;

  customer = model_assert_round_trip ("customer.json",
                                      MODEL_FROM_JSON (sd_customer_from_json),
                                      MODEL_TO_JSON (sd_customer_to_json));
  g_assert_cmpstr (sd_customer_get_id (customer), ==, "cust-acme");
  g_assert_cmpstr (sd_customer_get_name (customer), ==, "ACME Trading (Shanghai) Co., Ltd.");
  g_assert_cmpint (sd_customer_get_tier (customer), ==, SD_TIER_MSA_ENTERPRISE);
  g_assert_cmpstr (sd_customer_get_time_zone (customer), ==, "Asia/Shanghai");
  g_assert_cmpstr (sd_customer_get_calendar_id (customer), ==, "cn-mainland");
  g_assert_cmpstr (sd_customer_get_tam_id (customer), ==, "user-li-wei");
  dms = sd_customer_get_duty_manager_ids (customer);
  g_assert_cmpuint (g_strv_length ((char **) dms), ==, 2);
  g_assert_cmpstr (dms[1], ==, "user-olga-k");
  g_assert_true (sd_customer_get_health_check_entitled (customer));
  g_assert_cmpuint (sd_customer_get_contract_start (customer), ==, model_date ("2026-01-01"));
  g_assert_cmpuint (sd_customer_get_contract_end (customer), ==, model_date ("2026-12-31"));
  g_assert_cmpint (sd_customer_get_report_language (customer), ==, SD_REPORT_LANGUAGE_EN);
  g_assert_cmpint (sd_customer_get_version (customer), ==, 7);
  g_assert_cmpint (sd_customer_get_updated_at (customer), ==, model_time ("2026-02-10T03:15:00Z"));
}

/* Database releases on request: MSA Enterprise, unless the customer's own
 * entitlement says otherwise; the refusal names case.type. */
static void
test_customer_database_release (void)
{
  const struct {
    const char    *json;
    gboolean       offered;
    SdEntitlement  entitlement;
  } cases[] = {
    { "\"tier\": \"msa_enterprise\"", TRUE, SD_ENTITLEMENT_BY_TIER },
    { "\"tier\": \"standard\"", FALSE, SD_ENTITLEMENT_BY_TIER },
    { "\"tier\": \"standard\", \"database_release_entitled\": null", FALSE, SD_ENTITLEMENT_BY_TIER },
    { "\"tier\": \"standard\", \"database_release_entitled\": true", TRUE, SD_ENTITLEMENT_GRANTED },
    { "\"tier\": \"msa_enterprise\", \"database_release_entitled\": false", FALSE, SD_ENTITLEMENT_DENIED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"id\": \"c1\", \"name\": \"深圳星河精密制造\", %s,"
                                               " \"time_zone\": \"Asia/Shanghai\", \"calendar_id\": \"cn\"}",
                                               cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = sd_json_parse (text, -1, &error);
      g_autoptr(SdCustomer) customer = sd_customer_from_json (node, NULL, &error);
      g_autoptr(JsonNode) encoded = NULL;
      g_autoptr(SdCustomer) again = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (sd_customer_get_database_release_entitlement (customer), ==, cases[i].entitlement);
      g_assert_cmpint (sd_customer_offers_case_type (customer, SD_CASE_TYPE_DATABASE_RELEASE), ==, cases[i].offered);
      g_assert_true (sd_customer_offers_case_type (customer, SD_CASE_TYPE_INCIDENT));
      g_assert_true (sd_customer_offers_case_type (customer, SD_CASE_TYPE_SERVICE_REQUEST));
      g_assert_cmpint (sd_customer_check_case_type (customer, SD_CASE_TYPE_DATABASE_RELEASE, &error), ==, cases[i].offered);
      if (!cases[i].offered)
        {
          g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
          g_assert_nonnull (strstr (error->message, "“case.type”"));
          g_assert_nonnull (strstr (error->message, "深圳星河精密制造"));
          g_clear_error (&error);
        }

      encoded = sd_customer_to_json (customer);
      again = sd_customer_from_json (encoded, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sd_customer_get_database_release_entitlement (again), ==, cases[i].entitlement);
    }
}

static void
test_customer_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdCustomer) customer = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  JsonObject *object;

  node = sd_json_parse ("{\"id\": \"c1\", \"name\": \"Small\", \"tier\": \"standard\","
                        " \"time_zone\": \"Europe/Berlin\", \"calendar_id\": \"de\"}", -1, &error);
  g_assert_no_error (error);
  customer = sd_customer_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (customer);
  g_assert_null (sd_customer_get_tam_id (customer));
  g_assert_cmpuint (g_strv_length ((char **) sd_customer_get_duty_manager_ids (customer)), ==, 0);
  g_assert_false (sd_customer_get_health_check_entitled (customer));
  g_assert_cmpint (sd_customer_get_report_language (customer), ==, SD_REPORT_LANGUAGE_ZH_CN);
  g_assert_cmpint (sd_customer_get_updated_at (customer), ==, SD_TIME_NONE);

  /* Every member is written, unset ones as null or their default. */
  encoded = sd_customer_to_json (customer);
  object = json_node_get_object (encoded);
  g_assert_true (json_object_get_null_member (object, "tam_id"));
  g_assert_true (json_object_get_null_member (object, "contract_start"));
  g_assert_cmpstr (json_object_get_string_member (object, "report_language"), ==, "zh_CN");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "duty_manager_ids")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "version"), ==, 0);
}

static void
test_customer_bad_documents (void)
{
  static const ModelBadCase cases[] = {
    { "id", NULL, SD_ERROR_MISSING_FIELD, "customer.id" },
    { "id", "42", SD_ERROR_WRONG_TYPE, "customer.id" },
    { "id", "\"has space\"", SD_ERROR_INVALID_VALUE, "customer.id" },
    { "name", "\"   \"", SD_ERROR_INVALID_VALUE, "customer.name" },
    { "name", NULL, SD_ERROR_MISSING_FIELD, "customer.name" },
    { "tier", "\"gold\"", SD_ERROR_INVALID_VALUE, "customer.tier" },
    { "time_zone", "\"Mars/Olympus_Mons\"", SD_ERROR_INVALID_VALUE, "customer.time_zone" },
    { "time_zone", "\"../../etc/passwd\"", SD_ERROR_INVALID_VALUE, "customer.time_zone" },
    { "time_zone", "\"+08:00\"", SD_ERROR_INVALID_VALUE, "customer.time_zone" },
    { "calendar_id", NULL, SD_ERROR_MISSING_FIELD, "customer.calendar_id" },
    { "duty_manager_ids", "\"user-zhang-min\"", SD_ERROR_WRONG_TYPE, "customer.duty_manager_ids" },
    { "duty_manager_ids", "[\"ok\", 7]", SD_ERROR_WRONG_TYPE, "customer.duty_manager_ids[1]" },
    { "duty_manager_ids", "[\"ok\", \"\"]", SD_ERROR_INVALID_VALUE, "customer.duty_manager_ids[1]" },
    { "health_check_entitled", "\"yes\"", SD_ERROR_WRONG_TYPE, "customer.health_check_entitled" },
    { "report_language", "\"zh\"", SD_ERROR_INVALID_VALUE, "customer.report_language" },
    { "contract_start", "\"2026-02-30\"", SD_ERROR_INVALID_VALUE, "customer.contract_start" },
    { "contract_start", "\" 026-01-01\"", SD_ERROR_INVALID_VALUE, "customer.contract_start" },
    { "contract_end", "\"2025-12-31\"", SD_ERROR_INVALID_VALUE, "customer.contract_end" },
    { "version", "-1", SD_ERROR_INVALID_VALUE, "customer.version" },
    { "version", "1.5", SD_ERROR_WRONG_TYPE, "customer.version" },
    { "updated_at", "\"2026-02-10T03:15:00\"", SD_ERROR_INVALID_VALUE, "customer.updated_at" },
    { "updated_at", "\"9999-12-31T23:00:00-05:00\"", SD_ERROR_INVALID_VALUE, "customer.updated_at" },
    { "sla", "{}", SD_ERROR_UNKNOWN_FIELD, "customer.sla" },
  };

  model_assert_bad_cases ("customer.json", MODEL_FROM_JSON (sd_customer_from_json),
                          cases, G_N_ELEMENTS (cases));
  model_assert_invalid_utf8 ("customer.json");
}

static void
test_customer_not_an_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sd_json_parse ("[1, 2]", -1, &error);
  g_autoptr(SdCustomer) customer = NULL;

  g_assert_no_error (error);
  customer = sd_customer_from_json (node, "changes[3].entity", &error);
  g_assert_null (customer);
  g_assert_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "changes[3].entity"));
  g_clear_error (&error);

  /* A caller's path prefixes every field. */
  g_clear_pointer (&node, json_node_unref);
  node = sd_json_parse ("{\"id\": \"c1\"}", -1, &error);
  customer = sd_customer_from_json (node, "changes[3].entity", &error);
  g_assert_null (customer);
  g_assert_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "changes[3].entity.name"));
}

static void
test_customer_properties (void)
{
  g_autoptr(SdCustomer) customer = sd_customer_new ("c1");
  const char * const dms[] = { "a", "b", NULL };
  g_auto(GStrv) read_back = NULL;
  guint tier_notifies = 0;
  guint dm_notifies = 0;

  g_signal_connect (customer, "notify::tier", G_CALLBACK (model_count_notify_cb), &tier_notifies);
  g_signal_connect (customer, "notify::duty-manager-ids", G_CALLBACK (model_count_notify_cb),
                    &dm_notifies);

  sd_customer_set_tier (customer, SD_TIER_STANDARD);
  sd_customer_set_tier (customer, SD_TIER_STANDARD);
  g_assert_cmpuint (tier_notifies, ==, 1);
  g_object_set (customer, "tier", SD_TIER_MSA_ENTERPRISE, NULL);
  g_assert_cmpuint (tier_notifies, ==, 2);
  g_assert_cmpint (sd_customer_get_tier (customer), ==, SD_TIER_MSA_ENTERPRISE);

  sd_customer_set_duty_manager_ids (customer, dms);
  sd_customer_set_duty_manager_ids (customer, dms);
  g_assert_cmpuint (dm_notifies, ==, 1);
  g_object_get (customer, "duty-manager-ids", &read_back, NULL);
  g_assert_cmpstrv (read_back, dms);
  sd_customer_set_duty_manager_ids (customer, NULL);
  g_assert_cmpuint (dm_notifies, ==, 2);
  g_assert_cmpuint (g_strv_length ((char **) sd_customer_get_duty_manager_ids (customer)), ==, 0);
}

/* Contract periods: the one in force on a day gives the tier and the
 * health-check entitlement; periods keep their order, and a period that
 * overlaps the one before is refused, naming it. */
static void
test_customer_contract_periods (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":\"cust-a\",\"name\":\"甲\",\"tier\":\"standard\","
                                               "\"time_zone\":\"Asia/Shanghai\",\"calendar_id\":\"cn-mainland\","
                                               "\"contracts\":[{\"start\":\"2025-01-01\",\"end\":\"2025-12-31\","
                                               "\"tier\":\"standard\"},{\"start\":\"2026-01-01\",\"end\":null,"
                                               "\"tier\":\"msa_enterprise\",\"health_check_entitled\":true}]}", NULL);
  g_autoptr(SdCustomer) customer = NULL;
  g_autoptr(SdCustomer) back = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;
  SdContractPeriod overlap = { model_date ("2026-06-01"), 0, SD_TIER_STANDARD, FALSE };

  customer = sd_customer_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_customer_get_n_contracts (customer), ==, 2);
  g_assert_cmpint (sd_customer_get_tier_on (customer, model_date ("2025-06-30")), ==, SD_TIER_STANDARD);
  g_assert_false (sd_customer_get_health_check_entitled_on (customer, model_date ("2025-06-30")));
  g_assert_cmpint (sd_customer_get_tier_on (customer, model_date ("2026-06-30")), ==, SD_TIER_MSA_ENTERPRISE);
  g_assert_true (sd_customer_get_health_check_entitled_on (customer, model_date ("2026-06-30")));
  /* Before any period: the customer's own tier. */
  g_assert_null (sd_customer_get_contract_on (customer, model_date ("2024-06-30")));
  g_assert_cmpint (sd_customer_get_tier_on (customer, model_date ("2024-06-30")), ==, SD_TIER_STANDARD);

  g_assert_false (sd_customer_add_contract (customer, &overlap, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "contracts[2].start"));
  g_assert_cmpuint (sd_customer_get_n_contracts (customer), ==, 2);
  g_clear_error (&error);

  sd_customer_set_archived (customer, TRUE);
  again = sd_customer_to_json (customer);
  back = sd_customer_from_json (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sd_customer_get_archived (back));
  g_assert_cmpuint (sd_customer_get_n_contracts (back), ==, 2);
  g_assert_cmpuint (sd_customer_get_contract (back, 1)->start, ==, model_date ("2026-01-01"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/customer/round-trip", test_customer_round_trip);
  g_test_add_func ("/customer/database-release-entitlement", test_customer_database_release);
  g_test_add_func ("/customer/minimal", test_customer_minimal);
  g_test_add_func ("/customer/bad-documents", test_customer_bad_documents);
  g_test_add_func ("/customer/not-an-object", test_customer_not_an_object);
  g_test_add_func ("/customer/properties", test_customer_properties);
  g_test_add_func ("/customer/contract-periods", test_customer_contract_periods);
  return g_test_run ();
}
