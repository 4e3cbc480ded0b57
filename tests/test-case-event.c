/* test-case-event.c — SdCaseEvent and its JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-test-util.h"

static SdCaseEvent *
round_trip (const char *name)
{
  return model_assert_round_trip (name, MODEL_FROM_JSON (sd_case_event_from_json),
                                  MODEL_TO_JSON (sd_case_event_to_json));
}

static void
test_event_round_trip (void)
{
  g_autoptr(SdCaseEvent) comment = round_trip ("case-event-comment.json");
  g_autoptr(SdCaseEvent) status = round_trip ("case-event-status-change.json");
  g_autoptr(SdCaseEvent) severity = round_trip ("case-event-severity-change.json");
  g_autoptr(SdCaseEvent) response = round_trip ("case-event-response-given.json");
  g_autoptr(SdCaseEvent) report = round_trip ("case-event-daily-report-sent.json");
  g_autoptr(SdCaseEvent) step = round_trip ("case-event-progress-step.json");
  g_autoptr(SdCaseEvent) report_time = round_trip ("case-event-report-time-change.json");

  g_assert_cmpint (sd_case_event_get_kind (comment), ==, SD_EVENT_COMMENT);
  g_assert_cmpstr (sd_case_event_get_case_id (comment), ==, "3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b");
  g_assert_cmpstr (sd_case_event_get_author_id (comment), ==, "user-li-wei");
  g_assert_cmpint (sd_case_event_get_at (comment), ==, model_time ("2026-02-14T06:10:00Z"));
  g_assert_true (g_str_has_prefix (sd_case_event_get_body (comment), "Called"));

  g_assert_cmpint (sd_case_event_get_kind (status), ==, SD_EVENT_STATUS_CHANGE);
  g_assert_cmpint (sd_case_event_get_status_from (status), ==, SD_CASE_STATUS_IN_PROGRESS);
  g_assert_cmpint (sd_case_event_get_status_to (status), ==, SD_CASE_STATUS_WAITING_CUSTOMER);

  g_assert_cmpint (sd_case_event_get_severity_from (severity), ==, 1);
  g_assert_cmpint (sd_case_event_get_severity_to (severity), ==, 2);
  g_assert_true (g_str_has_prefix (sd_case_event_get_reason (severity), "A workaround"));
  g_assert_null (sd_case_event_get_body (severity));

  g_assert_cmpint (sd_case_event_get_kind (response), ==, SD_EVENT_RESPONSE_GIVEN);

  g_assert_null (sd_case_event_get_author_id (report));
  g_assert_cmpint (sd_case_event_get_channel (report), ==, SD_REPORT_CHANNEL_EMAIL);

  g_assert_cmpstr (sd_case_event_get_step (step), ==, "expert_group_assigned");

  g_assert_cmpint (sd_case_event_get_kind (report_time), ==, SD_EVENT_REPORT_TIME_CHANGE);
  g_assert_cmpint (sd_case_event_get_report_time_from (report_time), ==,
                   model_time ("2026-02-14T02:47:00Z"));
  g_assert_cmpint (sd_case_event_get_report_time_to (report_time), ==,
                   model_time ("2026-02-14T03:02:00Z"));
  g_assert_true (g_str_has_prefix (sd_case_event_get_reason (report_time), "The hotline log"));
  g_assert_null (sd_case_event_get_body (report_time));
}

static void
test_event_constructors (void)
{
  const char *case_id = "3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b";
  gint64 at = model_time ("2026-02-14T07:00:00Z");
  g_autoptr(SdCaseEvent) event = NULL;
  g_autoptr(SdCaseEvent) decoded = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  event = sd_case_event_new_status_change (case_id, "user-li-wei", at,
                                           SD_CASE_STATUS_NEW, SD_CASE_STATUS_IN_PROGRESS, NULL);
  g_assert_true (g_uuid_string_is_valid (sd_case_event_get_id (event)));
  node = sd_case_event_to_json (event);
  decoded = sd_case_event_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_case_event_get_id (decoded), ==, sd_case_event_get_id (event));
  g_assert_cmpint (sd_case_event_get_status_to (decoded), ==, SD_CASE_STATUS_IN_PROGRESS);
  g_assert_cmpint (sd_case_event_get_at (decoded), ==, at);
  g_clear_object (&event);
  g_clear_object (&decoded);
  g_clear_pointer (&node, json_node_unref);

  event = sd_case_event_new_report_time_change (case_id, "user-zhang-min", at,
                                                model_time ("2026-02-14T02:47:00Z"),
                                                model_time ("2026-02-14T03:02:00Z"),
                                                "Hotline log");
  node = sd_case_event_to_json (event);
  decoded = sd_case_event_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_case_event_get_kind (decoded), ==, SD_EVENT_REPORT_TIME_CHANGE);
  g_assert_cmpint (sd_case_event_get_report_time_from (decoded), ==,
                   model_time ("2026-02-14T02:47:00Z"));
  g_assert_cmpint (sd_case_event_get_report_time_to (decoded), ==,
                   model_time ("2026-02-14T03:02:00Z"));
  g_assert_cmpstr (sd_case_event_get_reason (decoded), ==, "Hotline log");
}

/* Comments are internal unless they say otherwise; an event stored before
 * the field existed reads with its kind's default. */
static void
test_event_visibility (void)
{
  const char *case_id = "3f8e2a64-5b1c-4d8e-9a7f-0c1d2e3f4a5b";
  gint64 at = model_time ("2026-02-14T07:00:00Z");
  g_autoptr(SdCaseEvent) internal = sd_case_event_new_comment (case_id, NULL, at, "Suspect the proxy");
  g_autoptr(SdCaseEvent) shared = sd_case_event_new_comment_full (case_id, NULL, at, TRUE, "Fix on its way");
  g_autoptr(SdCaseEvent) status = sd_case_event_new_status_change (case_id, NULL, at, SD_CASE_STATUS_NEW,
                                                                   SD_CASE_STATUS_IN_PROGRESS, NULL);
  g_autoptr(JsonNode) node = sd_case_event_to_json (shared);
  g_autoptr(SdCaseEvent) decoded = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_false (sd_case_event_is_public (internal));
  g_assert_true (sd_case_event_is_public (shared));
  g_assert_true (sd_case_event_is_public (status));

  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "visibility"), ==, "public");
  decoded = sd_case_event_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sd_case_event_is_public (decoded));
  g_clear_object (&decoded);

  /* Without the field: a comment is internal, a status change public. */
  json_object_remove_member (object, "visibility");
  decoded = sd_case_event_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sd_case_event_is_public (decoded));
  g_clear_object (&decoded);
  g_clear_pointer (&node, json_node_unref);

  node = sd_case_event_to_json (status);
  json_object_remove_member (json_node_get_object (node), "visibility");
  decoded = sd_case_event_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (sd_case_event_is_public (decoded));
}

static void
test_event_bad_documents (void)
{
  static const ModelBadCase comment[] = {
    { "id", NULL, SD_ERROR_MISSING_FIELD, "case_event.id" },
    { "id", "\"evt-1\"", SD_ERROR_INVALID_VALUE, "case_event.id" },
    { "case_id", "7", SD_ERROR_WRONG_TYPE, "case_event.case_id" },
    { "kind", "\"note\"", SD_ERROR_INVALID_VALUE, "case_event.kind" },
    { "at", "\"2026-02-14\"", SD_ERROR_INVALID_VALUE, "case_event.at" },
    { "at", "\"2026-02-14T06:10:00\"", SD_ERROR_INVALID_VALUE, "case_event.at" },
    { "body", "null", SD_ERROR_MISSING_FIELD, "case_event.body" },
    { "body", "\"\"", SD_ERROR_INVALID_VALUE, "case_event.body" },
    { "data", "{\"from\": \"new\", \"to\": \"closed\"}", SD_ERROR_INVALID_VALUE, "case_event.data" },
    { "edited", "true", SD_ERROR_UNKNOWN_FIELD, "case_event.edited" },
    { "visibility", "\"customer\"", SD_ERROR_INVALID_VALUE, "case_event.visibility" },
    { "visibility", "true", SD_ERROR_WRONG_TYPE, "case_event.visibility" },
  };
  static const ModelBadCase status_change[] = {
    { "data", NULL, SD_ERROR_MISSING_FIELD, "case_event.data" },
    { "data", "\"waiting_customer\"", SD_ERROR_WRONG_TYPE, "case_event.data" },
    { "data.to", "\"on_hold\"", SD_ERROR_INVALID_VALUE, "case_event.data.to" },
    { "data.to", "\"in_progress\"", SD_ERROR_INVALID_VALUE, "case_event.data.to" },
    { "data.from", NULL, SD_ERROR_MISSING_FIELD, "case_event.data.from" },
    { "data.step", "\"x\"", SD_ERROR_UNKNOWN_FIELD, "case_event.data.step" },
  };
  static const ModelBadCase severity_change[] = {
    { "data.to", "7", SD_ERROR_INVALID_VALUE, "case_event.data.to" },
    { "data.to", "1", SD_ERROR_INVALID_VALUE, "case_event.data.to" },
    { "data.from", "\"high\"", SD_ERROR_WRONG_TYPE, "case_event.data.from" },
    { "data.reason", NULL, SD_ERROR_MISSING_FIELD, "case_event.data.reason" },
  };
  static const ModelBadCase report_time_change[] = {
    { "data.to", "\"2026-02-14T02:47:00Z\"", SD_ERROR_INVALID_VALUE, "case_event.data.to" },
    { "data.to", "\"2026-02-14\"", SD_ERROR_INVALID_VALUE, "case_event.data.to" },
    { "data.from", "1771037220", SD_ERROR_WRONG_TYPE, "case_event.data.from" },
    { "data.from", NULL, SD_ERROR_MISSING_FIELD, "case_event.data.from" },
    { "data.reason", NULL, SD_ERROR_MISSING_FIELD, "case_event.data.reason" },
    { "data.reason", "\"\"", SD_ERROR_INVALID_VALUE, "case_event.data.reason" },
    { "data.severity", "1", SD_ERROR_UNKNOWN_FIELD, "case_event.data.severity" },
    { "data", NULL, SD_ERROR_MISSING_FIELD, "case_event.data" },
  };
  static const ModelBadCase daily_report[] = {
    { "data.channel", "\"pigeon\"", SD_ERROR_INVALID_VALUE, "case_event.data.channel" },
    { "data", "null", SD_ERROR_MISSING_FIELD, "case_event.data" },
  };
  static const ModelBadCase progress_step[] = {
    { "data.step", "\"Expert Group\"", SD_ERROR_INVALID_VALUE, "case_event.data.step" },
    { "data.step", "\"\"", SD_ERROR_INVALID_VALUE, "case_event.data.step" },
    { "data.step", "[]", SD_ERROR_WRONG_TYPE, "case_event.data.step" },
  };
  static const ModelBadCase response_given[] = {
    { "data", "{}", SD_ERROR_INVALID_VALUE, "case_event.data" },
    { "author_id", "\"a b\"", SD_ERROR_INVALID_VALUE, "case_event.author_id" },
  };

  model_assert_bad_cases ("case-event-comment.json", MODEL_FROM_JSON (sd_case_event_from_json),
                          comment, G_N_ELEMENTS (comment));
  model_assert_bad_cases ("case-event-status-change.json", MODEL_FROM_JSON (sd_case_event_from_json),
                          status_change, G_N_ELEMENTS (status_change));
  model_assert_bad_cases ("case-event-severity-change.json", MODEL_FROM_JSON (sd_case_event_from_json),
                          severity_change, G_N_ELEMENTS (severity_change));
  model_assert_bad_cases ("case-event-report-time-change.json", MODEL_FROM_JSON (sd_case_event_from_json),
                          report_time_change, G_N_ELEMENTS (report_time_change));
  model_assert_bad_cases ("case-event-daily-report-sent.json", MODEL_FROM_JSON (sd_case_event_from_json),
                          daily_report, G_N_ELEMENTS (daily_report));
  model_assert_bad_cases ("case-event-progress-step.json", MODEL_FROM_JSON (sd_case_event_from_json),
                          progress_step, G_N_ELEMENTS (progress_step));
  model_assert_bad_cases ("case-event-response-given.json", MODEL_FROM_JSON (sd_case_event_from_json),
                          response_given, G_N_ELEMENTS (response_given));
  model_assert_invalid_utf8 ("case-event-comment.json");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/case-event/round-trip", test_event_round_trip);
  g_test_add_func ("/case-event/constructors", test_event_constructors);
  g_test_add_func ("/case-event/visibility", test_event_visibility);
  g_test_add_func ("/case-event/bad-documents", test_event_bad_documents);
  return g_test_run ();
}
