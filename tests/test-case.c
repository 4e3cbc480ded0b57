/* test-case.c — SdCase, its typed details and its JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-test-util.h"

static SdCase *
round_trip (const char *name)
{
  return model_assert_round_trip (name, MODEL_FROM_JSON (sd_case_from_json),
                                  MODEL_TO_JSON (sd_case_to_json));
}

static void
test_case_round_trip_incident (void)
{
  g_autoptr(SdCase) c = round_trip ("case-incident.json");
  SdSlaResult sla;
  gint64 computed_at = 0;

  g_assert_cmpstr (sd_case_get_id (c), ==, "3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b");
  g_assert_cmpstr (sd_case_get_number (c), ==, "SD-2026-00042");
  g_assert_cmpstr (sd_case_get_customer_id (c), ==, "cust-acme");
  g_assert_cmpint (sd_case_get_case_type (c), ==, SD_CASE_TYPE_INCIDENT);
  g_assert_cmpint (sd_case_get_severity (c), ==, 1);
  g_assert_cmpint (sd_case_get_status (c), ==, SD_CASE_STATUS_RESOLVED);
  g_assert_false (sd_case_is_open (c));
  g_assert_cmpint (sd_case_get_reported_at (c), ==, model_time ("2026-02-14T14:00:00+08:00"));
  g_assert_cmpint (sd_case_get_reported_via (c), ==, SD_REPORTED_VIA_HOTLINE);
  g_assert_cmpint (sd_case_get_responded_at (c), ==, model_time ("2026-02-14T06:20:00Z"));
  g_assert_cmpint (sd_case_get_resolved_at (c), ==, model_time ("2026-02-15T10:00:00Z"));
  g_assert_null (sd_case_get_details (c));
  g_assert_cmpint (sd_case_get_version (c), ==, 12);

  g_assert_true (sd_case_get_sla (c, &sla, &computed_at));
  g_assert_cmpint (computed_at, ==, model_time ("2026-02-15T10:00:05Z"));
  g_assert_cmpint (sla.response.state, ==, SD_SLA_MET);
  g_assert_cmpint (sla.response.clock, ==, SD_CLOCK_24X7);
  g_assert_cmpint (sla.response.target, ==, 1800);
  g_assert_cmpint (sla.response.remaining, ==, 600);
  g_assert_true (sla.has_daily_report);
  g_assert_cmpint (sla.daily_report.due, ==, model_time ("2026-02-16T00:00:00Z"));
}

static void
test_case_round_trip_signature_change (void)
{
  g_autoptr(SdCase) c = round_trip ("case-signature-change.json");
  SdSignatureChange *details = SD_SIGNATURE_CHANGE (sd_case_get_details (c));

  g_assert_false (sd_case_get_sla (c, NULL, NULL));
  g_assert_cmpint (sd_signature_change_get_requested_change (details), ==,
                   SD_REQUESTED_CHANGE_REMOVE_FALSE_POSITIVE);
  g_assert_cmpstr (sd_signature_change_get_object_ref (details), ==,
                   "C:\\Program Files\\Payroll\\payexport.exe");
  g_assert_true (g_str_has_prefix (sd_signature_change_get_hash (details), "sha256:9f86d0"));
  g_assert_cmpstr (sd_signature_change_get_detection_name (details), ==, "HEUR:Trojan.Win32.Generic");
  g_assert_cmpint (sd_signature_change_get_outcome (details), ==, SD_SIGNATURE_OUTCOME_RELEASED);
  g_assert_cmpstr (sd_signature_change_get_database_version (details), ==, "2026.02.16.0930");
}

static void
test_case_round_trip_private_patch (void)
{
  g_autoptr(SdCase) c = round_trip ("case-private-patch.json");
  SdPrivatePatch *details = SD_PRIVATE_PATCH (sd_case_get_details (c));

  g_assert_cmpstr (sd_private_patch_get_product (details), ==, "Security for Mail Gateway");
  g_assert_cmpstr (sd_private_patch_get_product_version (details), ==, "6.1.2.45");
  g_assert_cmpint (sd_private_patch_get_lifecycle_stage (details), ==, SD_LIFECYCLE_FULL_SUPPORT);
  g_assert_cmpstr (sd_private_patch_get_patch_id (details), ==, "PF-6.1.2-0117");
  g_assert_cmpuint (sd_private_patch_get_delivered_on (details), ==, model_date ("2026-02-13"));
}

static void
test_case_round_trip_database_release (void)
{
  g_autoptr(SdCase) c = round_trip ("case-database-release.json");
  SdDatabaseRelease *details = SD_DATABASE_RELEASE (sd_case_get_details (c));

  g_assert_cmpint (sd_database_release_get_urgency (details), ==, SD_URGENCY_CRITICAL);
  g_assert_cmpstr (sd_database_release_get_database_version (details), ==, "2026.02.17.1745");
  g_assert_cmpint (sd_database_release_get_released_at (details), ==,
                   model_time ("2026-02-17T17:45:00Z"));
  g_assert_nonnull (strstr (sd_database_release_get_threat (details), "Blocker"));
}

static void
test_case_bad_documents (void)
{
  static const ModelBadCase incident[] = {
    { "id", NULL, SD_ERROR_MISSING_FIELD, "case.id" },
    { "id", "\"SD-2026-00042\"", SD_ERROR_INVALID_VALUE, "case.id" },
    { "number", "\"42\"", SD_ERROR_INVALID_VALUE, "case.number" },
    { "number", "42", SD_ERROR_WRONG_TYPE, "case.number" },
    { "customer_id", NULL, SD_ERROR_MISSING_FIELD, "case.customer_id" },
    { "title", "\"\"", SD_ERROR_INVALID_VALUE, "case.title" },
    { "title", "{}", SD_ERROR_WRONG_TYPE, "case.title" },
    { "type", "\"complaint\"", SD_ERROR_INVALID_VALUE, "case.type" },
    { "severity", "7", SD_ERROR_INVALID_VALUE, "case.severity" },
    { "severity", "0", SD_ERROR_INVALID_VALUE, "case.severity" },
    { "severity", "\"1\"", SD_ERROR_WRONG_TYPE, "case.severity" },
    { "severity", "1.0", SD_ERROR_WRONG_TYPE, "case.severity" },
    { "severity", NULL, SD_ERROR_MISSING_FIELD, "case.severity" },
    { "status", "\"reopened\"", SD_ERROR_INVALID_VALUE, "case.status" },
    { "reported_at", "\"2026-02-30T06:00:00Z\"", SD_ERROR_INVALID_VALUE, "case.reported_at" },
    { "reported_at", "\"2026-02-14T06:00:00\"", SD_ERROR_INVALID_VALUE, "case.reported_at" },
    { "reported_at", "null", SD_ERROR_MISSING_FIELD, "case.reported_at" },
    { "reported_via", "\"fax\"", SD_ERROR_INVALID_VALUE, "case.reported_via" },
    { "responded_at", "\"2026-02-14T05:59:59Z\"", SD_ERROR_INVALID_VALUE, "case.responded_at" },
    { "resolved_at", NULL, SD_ERROR_MISSING_FIELD, "case.resolved_at" },
    { "details", "{\"reason\": \"x\", \"urgency\": \"high\"}", SD_ERROR_INVALID_VALUE, "case.details" },
    { "version", "\"12\"", SD_ERROR_WRONG_TYPE, "case.version" },
    { "priority", "1", SD_ERROR_UNKNOWN_FIELD, "case.priority" },
  };
  static const ModelBadCase signature_change[] = {
    { "details", NULL, SD_ERROR_MISSING_FIELD, "case.details" },
    { "details", "[]", SD_ERROR_WRONG_TYPE, "case.details" },
    /* private-patch details on a signature-change case */
    { "details", "{\"product\": \"Mail\", \"product_version\": \"6\", \"lifecycle_stage\": \"full_support\","
                 " \"problem\": \"leak\"}", SD_ERROR_UNKNOWN_FIELD, "case.details.product" },
    { "details.detection_name", NULL, SD_ERROR_MISSING_FIELD, "case.details.detection_name" },
    { "details.detection_name", "7", SD_ERROR_WRONG_TYPE, "case.details.detection_name" },
    { "details.requested_change", "\"whitelist\"", SD_ERROR_INVALID_VALUE, "case.details.requested_change" },
    { "details.hash", "\"sha256:XYZ\"", SD_ERROR_INVALID_VALUE, "case.details.hash" },
    { "details.hash", "\"md5:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"",
      SD_ERROR_INVALID_VALUE, "case.details.hash" },
    { "details.outcome", "\"maybe\"", SD_ERROR_INVALID_VALUE, "case.details.outcome" },
    { "details.database_version", NULL, SD_ERROR_MISSING_FIELD, "case.details.database_version" },
    { "details.verdict", "\"clean\"", SD_ERROR_UNKNOWN_FIELD, "case.details.verdict" },
  };
  static const ModelBadCase private_patch[] = {
    { "details.lifecycle_stage", "\"beta\"", SD_ERROR_INVALID_VALUE, "case.details.lifecycle_stage" },
    { "details.product", NULL, SD_ERROR_MISSING_FIELD, "case.details.product" },
    { "details.delivered_on", "\"2026-02-30\"", SD_ERROR_INVALID_VALUE, "case.details.delivered_on" },
    { "details.delivered_on", "\"2026-02-13T00:00:00Z\"", SD_ERROR_INVALID_VALUE, "case.details.delivered_on" },
    { "details.patch_id", NULL, SD_ERROR_MISSING_FIELD, "case.details.patch_id" },
    /* signature-change details on a private-patch case */
    { "details", "{\"requested_change\": \"add_detection\", \"object_ref\": \"x.exe\"}",
      SD_ERROR_UNKNOWN_FIELD, "case.details.requested_change" },
  };
  static const ModelBadCase database_release[] = {
    { "details.urgency", "\"asap\"", SD_ERROR_INVALID_VALUE, "case.details.urgency" },
    { "details.reason", "\" \"", SD_ERROR_INVALID_VALUE, "case.details.reason" },
    { "details.released_at", "\"2026-02-17 17:45\"", SD_ERROR_INVALID_VALUE, "case.details.released_at" },
    { "details.database_version", NULL, SD_ERROR_MISSING_FIELD, "case.details.database_version" },
  };

  model_assert_bad_cases ("case-incident.json", MODEL_FROM_JSON (sd_case_from_json),
                          incident, G_N_ELEMENTS (incident));
  model_assert_bad_cases ("case-signature-change.json", MODEL_FROM_JSON (sd_case_from_json),
                          signature_change, G_N_ELEMENTS (signature_change));
  model_assert_bad_cases ("case-private-patch.json", MODEL_FROM_JSON (sd_case_from_json),
                          private_patch, G_N_ELEMENTS (private_patch));
  model_assert_bad_cases ("case-database-release.json", MODEL_FROM_JSON (sd_case_from_json),
                          database_release, G_N_ELEMENTS (database_release));
  model_assert_invalid_utf8 ("case-incident.json");
}

/* The SLA snapshot is informational: unknown members are ignored and a
 * malformed one is dropped without failing the case. */
static void
test_case_sla_tolerant (void)
{
  g_autoptr(JsonNode) root = model_load_node ("case-incident.json");
  JsonObject *sla = json_object_get_object_member (json_node_get_object (root), "sla");
  JsonObject *response = json_object_get_object_member (sla, "response");
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCase) c = NULL;
  g_autoptr(SdCase) c2 = NULL;

  json_object_set_string_member (sla, "engine_version", "2.1");
  c = sd_case_from_json (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sd_case_get_sla (c, NULL, NULL));

  json_object_set_string_member (response, "state", "exploded");
  c2 = sd_case_from_json (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (c2);
  g_assert_false (sd_case_get_sla (c2, NULL, NULL));
}

static void
test_case_minimal_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdCase) c = NULL;

  node = sd_json_parse ("{\"id\": \"3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b\", \"customer_id\": \"c1\","
                        " \"title\": \"Phone case\", \"type\": \"service_request\", \"severity\": 4,"
                        " \"status\": \"new\", \"reported_at\": \"2026-02-14T14:00:00+08:00\","
                        " \"reported_via\": \"phone\"}", -1, &error);
  g_assert_no_error (error);
  c = sd_case_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (sd_case_get_number (c));
  g_assert_null (sd_case_get_assignee_id (c));
  g_assert_cmpint (sd_case_get_responded_at (c), ==, SD_TIME_NONE);
  g_assert_cmpint (sd_case_get_version (c), ==, 0);
  g_assert_true (sd_case_is_open (c));
}

static void
test_case_details_follow_type (void)
{
  g_autoptr(SdCase) c = sd_case_new (NULL);
  g_autoptr(SdPrivatePatch) patch = sd_private_patch_new ();
  guint details_notifies = 0;

  g_assert_true (g_uuid_string_is_valid (sd_case_get_id (c)));
  g_signal_connect (c, "notify::details", G_CALLBACK (model_count_notify_cb), &details_notifies);

  sd_case_set_case_type (c, SD_CASE_TYPE_PRIVATE_PATCH);
  sd_case_set_details (c, G_OBJECT (patch));
  g_assert_true (sd_case_get_details (c) == G_OBJECT (patch));
  g_assert_cmpuint (details_notifies, ==, 1);

  /* Another type drops details that no longer fit. */
  sd_case_set_case_type (c, SD_CASE_TYPE_INCIDENT);
  g_assert_null (sd_case_get_details (c));
  g_assert_cmpuint (details_notifies, ==, 2);
}

static void
test_case_set_sla (void)
{
  g_autoptr(SdCase) c = sd_case_new (NULL);
  SdSlaResult in = { 0 };
  SdSlaResult out;
  gint64 at = 0;
  guint notifies = 0;

  g_signal_connect (c, "notify::has-sla", G_CALLBACK (model_count_notify_cb), &notifies);
  in.response.state = SD_SLA_AT_RISK;
  in.response.due = 1771048800;
  sd_case_set_sla (c, &in, 1771048000);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_true (sd_case_get_sla (c, &out, &at));
  g_assert_cmpint (out.response.state, ==, SD_SLA_AT_RISK);
  g_assert_cmpint (out.response.due, ==, 1771048800);
  g_assert_false (out.has_daily_report);
  g_assert_cmpint (at, ==, 1771048000);
  sd_case_set_sla (c, NULL, 0);
  g_assert_cmpuint (notifies, ==, 2);
  g_assert_false (sd_case_get_sla (c, NULL, NULL));
}

static void
test_case_number (void)
{
  g_assert_true (sd_case_number_is_valid ("SD-2026-00042"));
  g_assert_true (sd_case_number_is_valid ("SD-2026-123456789"));
  g_assert_false (sd_case_number_is_valid ("SD-2026-0042"));
  g_assert_false (sd_case_number_is_valid ("SD-26-00042"));
  g_assert_false (sd_case_number_is_valid ("sd-2026-00042"));
  g_assert_false (sd_case_number_is_valid ("SD-2026-00042 "));
  g_assert_false (sd_case_number_is_valid ("SD-2026-1234567890"));
  g_assert_false (sd_case_number_is_valid (NULL));
}

/* Status, type and reported-via are enum-typed: GtkBuilder files and
 * bindings see the vocabulary, and an out-of-range value is refused. */
static void
test_case_enum_properties (void)
{
  g_autoptr(SdCase) kase = sd_case_new (NULL);
  static const struct { const char *name; GType (*type) (void); } props[] = {
    { "status", sd_case_status_get_type },
    { "case-type", sd_case_type_get_type },
    { "reported-via", sd_reported_via_get_type },
  };
  g_autoptr(GEnumClass) statuses = g_type_class_ref (SD_TYPE_CASE_STATUS);
  g_autoptr(GTypeClass) event_class = NULL;
  g_autoptr(GTypeClass) check_class = NULL;
  SdCaseStatus status;
  SdReportedVia via;

  for (guint i = 0; i < G_N_ELEMENTS (props); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (kase), props[i].name);

      g_assert_nonnull (pspec);
      g_assert_true (G_IS_PARAM_SPEC_ENUM (pspec));
      g_assert_true (pspec->value_type == props[i].type ());
    }
  g_assert_cmpstr (g_enum_get_value (statuses, SD_CASE_STATUS_WAITING_CUSTOMER)->value_nick, ==, "waiting-customer");

  g_object_set (kase, "status", SD_CASE_STATUS_RESOLVED, "reported-via", SD_REPORTED_VIA_HOTLINE, NULL);
  g_object_get (kase, "status", &status, "reported-via", &via, NULL);
  g_assert_cmpint (status, ==, SD_CASE_STATUS_RESOLVED);
  g_assert_cmpint (via, ==, SD_REPORTED_VIA_HOTLINE);
  g_assert_cmpint (sd_case_get_status (kase), ==, SD_CASE_STATUS_RESOLVED);

  event_class = g_type_class_ref (SD_TYPE_CASE_EVENT);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (g_object_class_find_property (G_OBJECT_CLASS (event_class), "status-to")));
  check_class = g_type_class_ref (SD_TYPE_HEALTH_CHECK);
  g_assert_true (G_IS_PARAM_SPEC_ENUM (g_object_class_find_property (G_OBJECT_CLASS (check_class), "status")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/case/round-trip/incident", test_case_round_trip_incident);
  g_test_add_func ("/case/round-trip/signature-change", test_case_round_trip_signature_change);
  g_test_add_func ("/case/round-trip/private-patch", test_case_round_trip_private_patch);
  g_test_add_func ("/case/round-trip/database-release", test_case_round_trip_database_release);
  g_test_add_func ("/case/bad-documents", test_case_bad_documents);
  g_test_add_func ("/case/sla-tolerant", test_case_sla_tolerant);
  g_test_add_func ("/case/minimal-offline", test_case_minimal_offline);
  g_test_add_func ("/case/details-follow-type", test_case_details_follow_type);
  g_test_add_func ("/case/set-sla", test_case_set_sla);
  g_test_add_func ("/case/number", test_case_number);
  g_test_add_func ("/case/enum-properties", test_case_enum_properties);
  return g_test_run ();
}
