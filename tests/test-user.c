/* test-user.c — SdUser and its JSON codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "model-test-util.h"

static void
test_user_round_trip (void)
{
  g_autoptr(SdUser) user = NULL;

  user = model_assert_round_trip ("user.json",
                                  MODEL_FROM_JSON (sd_user_from_json),
                                  MODEL_TO_JSON (sd_user_to_json));
  g_assert_cmpstr (sd_user_get_id (user), ==, "user-li-wei");
  g_assert_cmpstr (sd_user_get_display_name (user), ==, "李伟 Li Wei");
  g_assert_cmpstr (sd_user_get_login (user), ==, "li.wei");
  g_assert_cmpint (sd_user_get_role (user), ==, SD_ROLE_TAM);
  g_assert_cmpint (sd_user_get_out_of_office_until (user), ==, model_time ("2026-02-20T09:00:00+08:00"));
  g_assert_cmpstr (sd_user_get_email (user), ==, "li.wei@vendor.example");
  g_assert_cmpint (sd_user_get_version (user), ==, 3);
}

/* Another user as the server shows them: the limited view decodes without
 * the omitted members; the full view requires a login. The registry's
 * "user" kind reads either. */
static void
test_user_limited_view (void)
{
  g_autofree char *text = model_load_text ("user.json");
  g_autofree char *limited = sd_user_limit_view (text);
  g_autoptr(JsonNode) node = sd_json_parse (limited, -1, NULL);
  g_autoptr(SdUser) user = NULL;
  g_autoptr(GObject) object = NULL;
  g_autoptr(GError) error = NULL;
  const SdKind *kind = sd_kind_lookup ("user");

  g_assert_nonnull (node);
  for (guint i = 0; sd_user_limited_view_omits[i] != NULL; i++)
    g_assert_false (json_object_has_member (json_node_get_object (node), sd_user_limited_view_omits[i]));
  g_assert_null (sd_user_limit_view ("[1]"));

  g_assert_null (sd_user_from_json (node, NULL, &error));
  g_assert_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "user.login"));
  g_clear_error (&error);

  user = sd_user_from_json_view (node, NULL, SD_USER_VIEW_LIMITED, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_user_get_display_name (user), ==, "李伟 Li Wei");
  g_assert_null (sd_user_get_login (user));
  g_assert_null (sd_user_get_email (user));

  g_assert_nonnull (kind);
  object = kind->decode (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kind->get_id (object), ==, "user-li-wei");
}

/* Every kind finds itself by name, and nothing else does. */
static void
test_kind_registry (void)
{
  const SdKind * const *kinds = sd_kind_list ();
  guint n = 0;

  for (; kinds[n] != NULL; n++)
    {
      g_assert_true (sd_kind_lookup (kinds[n]->name) == kinds[n]);
      g_assert_nonnull (kinds[n]->decode);
      g_assert_nonnull (kinds[n]->get_id);
      g_assert_true (g_strv_contains (kinds[n]->patch_ignored, "version"));
    }
  g_assert_cmpuint (n, ==, 12);
  /* Clients receive a case's SLA record; only the server writes it. */
  g_assert_nonnull (sd_kind_lookup ("sla_record"));
  g_assert_null (sd_kind_lookup ("sla_record")->collection);
  g_assert_null (sd_kind_lookup ("password"));
  g_assert_null (sd_kind_lookup (NULL));
  g_assert_cmpstr (sd_kind_lookup ("case")->collection, ==, "/cases");
  g_assert_true (g_strv_contains (sd_kind_lookup ("case")->patch_ignored, "reason"));
  g_assert_false (g_strv_contains (sd_kind_lookup ("case")->read_only, "reason"));
}

static void
test_user_out_of_office (void)
{
  g_autoptr(SdUser) user = sd_user_new ("u1");
  gint64 until = model_time ("2026-02-20T01:00:00Z");
  guint notifies = 0;

  g_assert_false (sd_user_is_out_of_office (user, until));
  g_signal_connect (user, "notify::out-of-office-until", G_CALLBACK (model_count_notify_cb),
                    &notifies);
  sd_user_set_out_of_office_until (user, until);
  sd_user_set_out_of_office_until (user, until);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_true (sd_user_is_out_of_office (user, until - 1));
  g_assert_false (sd_user_is_out_of_office (user, until));
  sd_user_set_out_of_office_until (user, SD_TIME_NONE);
  g_assert_cmpuint (notifies, ==, 2);
  g_assert_false (sd_user_is_out_of_office (user, until - 1));
}

static void
test_user_bad_documents (void)
{
  static const ModelBadCase cases[] = {
    { "id", NULL, SD_ERROR_MISSING_FIELD, "user.id" },
    { "id", "[]", SD_ERROR_WRONG_TYPE, "user.id" },
    { "display_name", "\"\"", SD_ERROR_INVALID_VALUE, "user.display_name" },
    { "login", NULL, SD_ERROR_MISSING_FIELD, "user.login" },
    { "role", "\"boss\"", SD_ERROR_INVALID_VALUE, "user.role" },
    { "role", "1", SD_ERROR_WRONG_TYPE, "user.role" },
    { "out_of_office_until", "\"2026-02-30T09:00:00Z\"", SD_ERROR_INVALID_VALUE, "user.out_of_office_until" },
    { "out_of_office_until", "\"2026-02-20T09:00:00\"", SD_ERROR_INVALID_VALUE, "user.out_of_office_until" },
    { "out_of_office_until", "\"tomorrow\"", SD_ERROR_INVALID_VALUE, "user.out_of_office_until" },
    { "email", "\"li.wei\"", SD_ERROR_INVALID_VALUE, "user.email" },
    { "email", "\"a@b@c\"", SD_ERROR_INVALID_VALUE, "user.email" },
    { "email", "false", SD_ERROR_WRONG_TYPE, "user.email" },
    { "password", "\"hunter2\"", SD_ERROR_UNKNOWN_FIELD, "user.password" },
  };

  model_assert_bad_cases ("user.json", MODEL_FROM_JSON (sd_user_from_json),
                          cases, G_N_ELEMENTS (cases));
  model_assert_invalid_utf8 ("user.json");
}

/* A deactivated user and one whose password was reset say so, and read
 * back the same; a plain user's document does not change. */
static void
test_user_admin_flags (void)
{
  g_autoptr(SdUser) user = sd_user_new ("u1");
  g_autoptr(JsonNode) plain = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(SdUser) back = NULL;
  g_autoptr(GError) error = NULL;

  sd_user_set_login (user, "li.wei");
  sd_user_set_display_name (user, "李伟");
  plain = sd_user_to_json (user);
  g_assert_false (json_object_has_member (json_node_get_object (plain), "active"));
  g_assert_true (sd_user_get_active (user));

  sd_user_set_active (user, FALSE);
  sd_user_set_must_change_password (user, TRUE);
  node = sd_user_to_json (user);
  back = sd_user_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sd_user_get_active (back));
  g_assert_true (sd_user_get_must_change_password (back));
}

/* A contact: its roles, its e-mail folded for comparison, and the fields
 * a bad document names. */
static void
test_contact (void)
{
  g_autoptr(JsonNode) node = json_from_string ("{\"id\":\"c1\",\"customer_id\":\"cust-a\",\"name\":\"王芳\","
                                               "\"email\":\" Wang.Fang@Example.COM \",\"roles\":[\"daily_report\","
                                               "\"health_check_appointment\"]}", NULL);
  g_autoptr(JsonNode) bad = json_from_string ("{\"id\":\"c1\",\"customer_id\":\"cust-a\",\"name\":\"x\","
                                              "\"email\":\"a@b.cn\",\"roles\":[\"weekly\"]}", NULL);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(SdContact) contact = NULL;
  g_autoptr(SdContact) back = NULL;
  g_autoptr(SdContact) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  contact = sd_contact_from_json (node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_contact_get_email (contact), ==, "Wang.Fang@Example.COM");
  g_assert_cmpint (sd_contact_get_roles (contact), ==,
                   SD_CONTACT_ROLE_DAILY_REPORT | SD_CONTACT_ROLE_HEALTH_CHECK_APPOINTMENT);
  key = sd_contact_email_key ("wang.fang@example.com ");
  g_assert_cmpstr (key, ==, "wang.fang@example.com");
  again = sd_contact_to_json (contact);
  back = sd_contact_from_json (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_contact_get_name (back), ==, "王芳");
  g_assert_cmpint (sd_contact_get_roles (back), ==, sd_contact_get_roles (contact));
  g_assert_true (sd_kind_lookup ("contact")->get_customer_id (back) != NULL);

  none = sd_contact_from_json (bad, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "contact.roles[0]"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/user/round-trip", test_user_round_trip);
  g_test_add_func ("/user/out-of-office", test_user_out_of_office);
  g_test_add_func ("/user/bad-documents", test_user_bad_documents);
  g_test_add_func ("/user/limited-view", test_user_limited_view);
  g_test_add_func ("/user/kind-registry", test_kind_registry);
  g_test_add_func ("/user/admin-flags", test_user_admin_flags);
  g_test_add_func ("/contact/codec", test_contact);
  return g_test_run ();
}
