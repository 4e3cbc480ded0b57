/* test-json.c — the strict readers every codec relies on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

static JsonObject *
parse_object (const char *text,
              JsonNode  **root)
{
  g_autoptr(GError) error = NULL;

  *root = sd_json_parse (text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (*root);
}

static void
test_json_field_errors (void)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o = parse_object ("{\"severity\": \"high\", \"n\": 9, \"when\": \"2026-02-14T09:00:00\","
                                " \"day\": \"2026-02-30\", \"status\": \"bogus\", \"ok\": true}", &root);
  g_autoptr(GError) error = NULL;
  gint64 i = 0;
  const char *s = NULL;
  int e = 0;
  guint32 d = 0;
  gboolean b = FALSE;
  const char * const known[] = { "severity", "n", "when", "day", "status", NULL };

  g_assert_false (sd_json_get_int (o, "case", "severity", TRUE, 1, 4, &i, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "case.severity"));
  g_clear_error (&error);

  g_assert_false (sd_json_get_int (o, "case", "n", TRUE, 1, 4, &i, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "case.n"));
  g_clear_error (&error);

  g_assert_false (sd_json_get_string (o, "case", "title", TRUE, &s, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "case.title"));
  g_clear_error (&error);

  /* optional and absent: untouched, success */
  s = "keep";
  g_assert_true (sd_json_get_string (o, "case", "title", FALSE, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==, "keep");

  /* a naive time (no offset) is refused */
  g_assert_false (sd_json_get_time (o, NULL, "when", TRUE, &i, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "when"));
  g_clear_error (&error);

  g_assert_false (sd_json_get_date (o, NULL, "day", TRUE, &d, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "2026-02-30"));
  g_clear_error (&error);

  g_assert_false (sd_json_get_enum (o, NULL, "status", TRUE,
                                    SD_JSON_ENUM (sd_case_status_from_string), &e, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "bogus"));
  g_clear_error (&error);

  g_assert_true (sd_json_get_bool (o, NULL, "ok", TRUE, &b, &error));
  g_assert_true (b);

  g_assert_false (sd_json_check_fields (o, "case", known, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_UNKNOWN_FIELD);
  g_assert_nonnull (strstr (error->message, "case.ok"));
}

static void
test_json_syntax (void)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = sd_json_parse ("{\"a\": ", -1, &error);
  g_assert_null (node);
  g_assert_error (error, SD_ERROR, SD_ERROR_SYNTAX);
  g_clear_error (&error);

  node = sd_json_parse ("\"\xff\xfe\"", -1, &error);
  g_assert_null (node);
  g_assert_error (error, SD_ERROR, SD_ERROR_SYNTAX);
  g_clear_error (&error);

  node = sd_json_parse ("", -1, &error);
  g_assert_null (node);
  g_assert_error (error, SD_ERROR, SD_ERROR_SYNTAX);
}

static void
test_time_round_trip (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *utc = NULL;
  gint64 t = 0;

  g_assert_true (sd_time_parse_iso8601 ("2026-02-14T14:00:00+08:00", NULL, &t, &error));
  g_assert_no_error (error);
  g_assert_cmpint (t, ==, 1771048800);
  text = sd_time_format_iso8601 (t, shanghai);
  g_assert_cmpstr (text, ==, "2026-02-14T14:00:00+08:00");
  utc = sd_time_format_iso8601 (t, NULL);
  g_assert_cmpstr (utc, ==, "2026-02-14T06:00:00Z");

  g_assert_false (sd_time_parse_iso8601 ("yesterday", NULL, &t, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
}

static void
test_enum_names (void)
{
  SdCaseStatus status;
  SdClockKind clock;

  g_assert_true (sd_case_status_from_string ("waiting_customer", &status));
  g_assert_cmpint (status, ==, SD_CASE_STATUS_WAITING_CUSTOMER);
  g_assert_cmpstr (sd_case_status_to_string (SD_CASE_STATUS_CLOSED), ==, "closed");
  g_assert_true (sd_clock_kind_from_string ("24x7", &clock));
  g_assert_cmpint (clock, ==, SD_CLOCK_24X7);
  g_assert_false (sd_clock_kind_from_string ("weekly", &clock));
  g_assert_null (sd_case_status_to_string (42));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/field-errors", test_json_field_errors);
  g_test_add_func ("/json/syntax", test_json_syntax);
  g_test_add_func ("/time/round-trip", test_time_round_trip);
  g_test_add_func ("/enums/names", test_enum_names);
  return g_test_run ();
}
