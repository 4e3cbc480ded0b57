/* test-server-admin.c — administration through the real server:
 * customers and their contract periods, contacts, users (creation,
 * password reset, deactivation), TAM reassignment and bulk imports; who
 * may do it, and each refusal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "server-test-util.h"

static gint64
member_int (Reply      *reply,
            const char *name)
{
  return json_object_get_int_member (reply_object (reply), name);
}

/* Whether the change feed after @after holds @kind/@id for @token. */
static gboolean
feed_has (Server     *server,
          const char *token,
          gint64      after,
          const char *kind,
          const char *id)
{
  g_autofree char *path = g_strdup_printf ("/changes?after=%" G_GINT64_FORMAT "&limit=1000", after);
  g_autoptr(Reply) reply = request (server, "GET", path, token, NULL);
  JsonArray *changes;

  assert_status (reply, 200);
  changes = json_object_get_array_member (reply_object (reply), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "kind"), kind)
          && g_str_equal (json_object_get_string_member (change, "id"), id))
        return TRUE;
    }
  return FALSE;
}

static gint64
feed_end (Server     *server,
          const char *token)
{
  g_autoptr(Reply) reply = request (server, "GET", "/changes?after=0&limit=1000", token, NULL);

  assert_status (reply, 200);
  return json_object_get_int_member (reply_object (reply), "next");
}

#define CUSTOMER_BODY(id, extra) \
  "{\"id\":\"" id "\",\"name\":\"华东电力\",\"tier\":\"msa_enterprise\",\"time_zone\":\"Asia/Shanghai\"," \
  "\"calendar_id\":\"cn-mainland\",\"tam_id\":\"%s\",\"contract_start\":\"2026-01-01\"" extra "}"

/* Only admins write customers, contacts and users; a duty manager sets
 * anyone's out of office, a TAM only their own. */
static void
test_only_admins (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *tam = sign_in (server, "tam.a", "password-a");
  g_autofree char *dm = sign_in (server, "dm", "password-dm");
  g_autofree char *body = g_strdup_printf (CUSTOMER_BODY ("cust-new", ""), tam_a);
  g_autofree char *user_path = g_strdup_printf ("/users/%s", tam_a);
  g_autofree char *reset_path = g_strdup_printf ("/users/%s/password-reset", tam_a);
  g_autoptr(Reply) created = request (server, "POST", "/customers", tam, body);
  g_autoptr(Reply) user = request (server, "POST", "/users", dm,
                                   "{\"login\":\"x\",\"display_name\":\"X\",\"role\":\"tam\"}");
  g_autoptr(Reply) import = request (server, "POST", "/import/customers", tam, "{\"items\":[]}");
  g_autoptr(Reply) reset = NULL;
  g_autoptr(Reply) away = NULL;
  g_autoptr(Reply) role = NULL;
  g_autoptr(Reply) me = request (server, "GET", user_path, tam, NULL);

  assert_problem (created, 403, NULL);
  assert_problem (user, 403, NULL);
  assert_problem (import, 403, NULL);
  reset = request (server, "POST", reset_path, dm, NULL);
  assert_problem (reset, 403, NULL);

  /* The duty manager sets the TAM's out of office, not their role. */
  away = request_patch (server, user_path, dm, member_int (me, "version"), "{\"out_of_office_until\":\"2030-01-01T00:00:00Z\"}");
  assert_status (away, 200);
  role = request_patch (server, user_path, dm, member_int (away, "version"), "{\"role\":\"admin\"}");
  g_assert_cmpuint (role->status, ==, 400);
}

/* An admin creates and edits a customer; bad input names the field; the
 * TAM learns of it through the change feed; a customer with open cases
 * is not archived; a renewal keeps the period before. */
static void
test_customers (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *tam = sign_in (server, "tam.a", "password-a");
  gint64 cursor = feed_end (server, tam);
  g_autofree char *body = g_strdup_printf (CUSTOMER_BODY ("cust-new", ""), tam_a);
  g_autofree char *bad_zone = g_strdup_printf (CUSTOMER_BODY ("cust-x", ",\"time_zone\":\"Mars/Base\""), tam_a);
  g_autofree char *bad_calendar = g_strdup_printf (CUSTOMER_BODY ("cust-x", ",\"calendar_id\":\"nowhere\""), tam_a);
  g_autofree char *bad_end = g_strdup_printf (CUSTOMER_BODY ("cust-x", ",\"contract_end\":\"2025-01-01\""), tam_a);
  g_autofree char *bad_tam = g_strdup_printf (CUSTOMER_BODY ("cust-x", ""), "no-such-user");
  g_autoptr(Reply) created = request (server, "POST", "/customers", admin, body);
  g_autoptr(Reply) zone = request (server, "POST", "/customers", admin, bad_zone);
  g_autoptr(Reply) calendar = request (server, "POST", "/customers", admin, bad_calendar);
  g_autoptr(Reply) end = request (server, "POST", "/customers", admin, bad_end);
  g_autoptr(Reply) tam_missing = request (server, "POST", "/customers", admin, bad_tam);
  g_autoptr(Reply) missing = request (server, "GET", "/customers/cust-x", admin, NULL);
  g_autoptr(Reply) renamed = NULL;
  g_autoptr(Reply) stale = NULL;
  g_autoptr(Reply) kase = NULL;
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) renewed = NULL;
  g_autoptr(Reply) rewritten = NULL;
  g_autoptr(Reply) found = NULL;
  g_autoptr(Reply) archived = NULL;
  g_autoptr(Reply) cust_a = NULL;
  g_autofree char *case_json = NULL;
  JsonArray *contracts;

  assert_status (created, 201);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (reply_object (created), "contracts")), ==, 1);
  assert_problem (zone, 400, "customer.time_zone");
  assert_problem (calendar, 400, "customer.calendar_id");
  assert_problem (end, 400, "customer.contract_end");
  assert_problem (tam_missing, 400, "customer.tam_id");
  assert_status (missing, 404);
  g_assert_true (feed_has (server, tam, cursor, "customer", "cust-new"));

  renamed = request_patch (server, "/customers/cust-new", admin, member_int (created, "version"), "{\"name\":\"华东电力集团\"}");
  assert_status (renamed, 200);
  g_assert_cmpstr (member_string (renamed, "name"), ==, "华东电力集团");
  stale = request_patch (server, "/customers/cust-new", admin, member_int (created, "version"), "{\"name\":\"x\"}");
  g_assert_cmpuint (stale->status, ==, 412);

  /* Renewal: a second period after the first; the first is kept. */
  renewed = request_patch (server, "/customers/cust-new", admin, member_int (renamed, "version"),
                   "{\"contracts\":[{\"start\":\"2020-01-01\",\"end\":\"2020-12-31\",\"tier\":\"standard\"},"
                   "{\"start\":\"2021-01-01\",\"end\":null,\"tier\":\"msa_enterprise\",\"health_check_entitled\":true}]}");
  assert_status (renewed, 200);
  contracts = json_object_get_array_member (reply_object (renewed), "contracts");
  g_assert_cmpint (json_array_get_length (contracts), ==, 2);
  /* The customer's own fields follow the period in force today. */
  g_assert_true (json_object_get_boolean_member (reply_object (renewed), "health_check_entitled"));
  g_assert_cmpstr (member_string (renewed, "contract_start"), ==, "2021-01-01");
  rewritten = request_patch (server, "/customers/cust-new", admin, member_int (renewed, "version"),
                     "{\"contracts\":[{\"start\":\"2020-02-01\",\"end\":\"2020-12-31\",\"tier\":\"standard\"},"
                     "{\"start\":\"2021-01-01\",\"end\":null,\"tier\":\"msa_enterprise\"}]}");
  assert_problem (rewritten, 400, "customer.contracts[0]");

  /* Search by a part of the name. */
  found = request (server, "GET", "/customers?q=%E9%9B%86%E5%9B%A2", admin, NULL);
  assert_status (found, 200);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (reply_object (found), "items")), ==, 1);

  /* cust-a has an open case: not archived, and the answer says why. */
  case_json = case_body ("cust-a", 2, now_s () - 60);
  kase = request (server, "POST", "/cases", tam, case_json);
  assert_status (kase, 201);
  cust_a = request (server, "GET", "/customers/cust-a", admin, NULL);
  refused = request_patch (server, "/customers/cust-a", admin, member_int (cust_a, "version"), "{\"archived\":true}");
  assert_problem (refused, 409, "archived");
  g_assert_nonnull (strstr (member_string (refused, "detail"), "1 open case"));
  archived = request_patch (server, "/customers/cust-new", admin, member_int (renewed, "version"), "{\"archived\":true}");
  assert_status (archived, 200);
  g_assert_true (json_object_get_boolean_member (reply_object (archived), "archived"));
}

/* Contacts: created by an admin, seen by the customer's TAM only, one
 * e-mail per contact. */
static void
test_contacts (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *tam = sign_in (server, "tam.a", "password-a");
  g_autofree char *other = sign_in (server, "tam.b", "password-b");
  const char *body = "{\"id\":\"ct-1\",\"customer_id\":\"cust-a\",\"name\":\"王芳\",\"email\":\"wang@example.cn\","
                     "\"roles\":[\"daily_report\"]}";
  g_autoptr(Reply) created = request (server, "POST", "/contacts", admin, body);
  g_autoptr(Reply) twice = request (server, "POST", "/contacts", admin,
                                    "{\"customer_id\":\"cust-b\",\"name\":\"Other\",\"email\":\"WANG@example.cn\"}");
  g_autoptr(Reply) no_customer = request (server, "POST", "/contacts", admin,
                                          "{\"customer_id\":\"nobody\",\"name\":\"N\",\"email\":\"n@example.cn\"}");
  g_autoptr(Reply) by_tam = request (server, "POST", "/contacts", tam,
                                     "{\"customer_id\":\"cust-a\",\"name\":\"N\",\"email\":\"n@example.cn\"}");
  g_autoptr(Reply) seen = request (server, "GET", "/contacts/ct-1", tam, NULL);
  g_autoptr(Reply) hidden = request (server, "GET", "/contacts/ct-1", other, NULL);
  g_autoptr(Reply) listed = request (server, "GET", "/contacts?customer_id=cust-a", tam, NULL);
  g_autoptr(Reply) edited = NULL;

  assert_status (created, 201);
  assert_problem (twice, 400, "contact.email");
  assert_problem (no_customer, 400, "contact.customer_id");
  assert_problem (by_tam, 403, NULL);
  assert_status (seen, 200);
  assert_status (hidden, 404);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (reply_object (listed), "items")), ==, 1);
  edited = request_patch (server, "/contacts/ct-1", admin, member_int (created, "version"),
                  "{\"phone\":\"+86 21 5555 0100\",\"roles\":[\"daily_report\",\"quarterly_report\"]}");
  assert_status (edited, 200);
  g_assert_cmpstr (member_string (edited, "phone"), ==, "+86 21 5555 0100");
}

/* A new user, a password reset that must be changed at sign-in, the
 * only TAM kept until reassigned, then deactivated: their token stops at
 * once and they cannot sign in. */
static void
test_users_and_reassignment (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *old_token = sign_in (server, "tam.a", "password-a");
  g_autofree char *tam_a_path = g_strdup_printf ("/users/%s", tam_a);
  g_autofree char *reset_path = NULL;
  g_autofree char *reassign_path = g_strdup_printf ("/users/%s/reassign", tam_a);
  g_autofree char *case_json = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *reassign_body = NULL;
  g_autofree char *case_path = NULL;
  g_autofree char *password_body = NULL;
  g_autoptr(Reply) created = request (server, "POST", "/users", admin,
                                      "{\"login\":\"chen.jing\",\"display_name\":\"陈静\",\"role\":\"tam\","
                                      "\"email\":\"chen.jing@vendor.example\"}");
  g_autoptr(Reply) duplicate = request (server, "POST", "/users", admin,
                                        "{\"login\":\"tam.a\",\"display_name\":\"Again\",\"role\":\"tam\"}");
  g_autoptr(Reply) reset = NULL;
  g_autoptr(Reply) blocked = NULL;
  g_autoptr(Reply) changed = NULL;
  g_autoptr(Reply) allowed = NULL;
  g_autoptr(Reply) me = NULL;
  g_autoptr(Reply) refused = NULL;
  g_autoptr(Reply) kase = NULL;
  g_autoptr(Reply) moved = NULL;
  g_autoptr(Reply) after = NULL;
  g_autoptr(Reply) deactivated = NULL;
  g_autoptr(Reply) gone = NULL;
  g_autoptr(Reply) sign_in_again = NULL;
  g_autoptr(Reply) listed = NULL;
  gint64 cursor;
  const char *new_id;

  assert_status (created, 201);
  new_id = member_string (created, "id");
  g_assert_true (json_object_get_boolean_member (reply_object (created), "must_change_password"));
  assert_problem (duplicate, 400, "user.login");
  /* Admins see logins of others. */
  listed = request (server, "GET", "/users?q=chen", admin, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (reply_object (listed), "items"), 0), "login"), ==, "chen.jing");

  reset_path = g_strdup_printf ("/users/%s/password-reset", new_id);
  reset = request (server, "POST", reset_path, admin, NULL);
  assert_status (reset, 200);
  new_token = sign_in (server, "chen.jing", member_string (reset, "temporary_password"));
  blocked = request (server, "GET", "/cases", new_token, NULL);
  assert_problem (blocked, 403, NULL);
  password_body = g_strdup_printf ("{\"current_password\":\"%s\",\"new_password\":\"a new password 1\"}",
                                   member_string (reset, "temporary_password"));
  changed = request (server, "POST", "/me/password", new_token, password_body);
  assert_status (changed, 204);
  allowed = request (server, "GET", "/cases", new_token, NULL);
  assert_status (allowed, 200);
  cursor = feed_end (server, new_token);

  /* TAM A is the only TAM of cust-a, with a case assigned to them. */
  case_json = case_body ("cust-a", 2, now_s () - 60);
  case_json[strlen (case_json) - 1] = '\0';
  {
    g_autofree char *assigned = g_strdup_printf ("%s,\"assignee_id\":\"%s\"}", case_json, tam_a);

    kase = request (server, "POST", "/cases", old_token, assigned);
  }
  assert_status (kase, 201);
  me = request (server, "GET", tam_a_path, admin, NULL);
  refused = request_patch (server, tam_a_path, admin, member_int (me, "version"), "{\"active\":false}");
  assert_problem (refused, 409, "active");
  g_assert_nonnull (strstr (member_string (refused, "detail"), "TAM A is the only TAM of 1 customer"));

  reassign_body = g_strdup_printf ("{\"to\":\"%s\"}", new_id);
  moved = request (server, "POST", reassign_path, admin, reassign_body);
  assert_status (moved, 200);
  g_assert_cmpint (member_int (moved, "customers"), ==, 1);
  g_assert_cmpint (member_int (moved, "cases"), ==, 1);
  case_path = g_strdup_printf ("/cases/%s", member_string (kase, "id"));
  after = request (server, "GET", case_path, new_token, NULL);
  assert_status (after, 200);
  g_assert_cmpstr (member_string (after, "assignee_id"), ==, new_id);
  /* The new TAM's next sync brings the customer and its case. */
  g_assert_true (feed_has (server, new_token, cursor, "customer", "cust-a"));
  g_assert_true (feed_has (server, new_token, cursor, "case", member_string (kase, "id")));

  deactivated = request_patch (server, tam_a_path, admin, member_int (me, "version"), "{\"active\":false}");
  assert_status (deactivated, 200);
  gone = request (server, "GET", "/cases", old_token, NULL);
  assert_problem (gone, 401, NULL);
  sign_in_again = request (server, "POST", "/auth/token", NULL, "{\"login\":\"tam.a\",\"password\":\"password-a\"}");
  assert_problem (sign_in_again, 401, NULL);

  /* The only admin stays one. */
  {
    g_autoptr(Reply) self = request (server, "GET", "/me", admin, NULL);
    g_autofree char *self_path = g_strdup_printf ("/users/%s", member_string (self, "id"));
    g_autoptr(Reply) last = request_patch (server, self_path, admin, member_int (self, "version"), "{\"role\":\"tam\"}");

    assert_problem (last, 409, "role");
  }
}

/* An import is all or nothing: a dry run says what would change and
 * writes nothing; a bad row names its index and field and nothing of the
 * file is kept; importing the same rows again changes nothing. */
static void
test_import (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *row1 = g_strdup_printf (CUSTOMER_BODY ("cust-i1", ""), tam_a);
  g_autofree char *row2 = g_strdup_printf (CUSTOMER_BODY ("cust-i2", ""), tam_a);
  g_autofree char *bad = g_strdup_printf (CUSTOMER_BODY ("cust-i3", ",\"time_zone\":\"Nowhere/City\""), tam_a);
  g_autofree char *good = g_strdup_printf ("{\"items\":[%s,%s]}", row1, row2);
  g_autofree char *dry = g_strdup_printf ("{\"dry_run\":true,\"items\":[%s,%s]}", row1, row2);
  g_autofree char *broken = g_strdup_printf ("{\"items\":[%s,%s]}", row1, bad);
  g_autoptr(Reply) preview = request (server, "POST", "/import/customers", admin, dry);
  g_autoptr(Reply) not_written = request (server, "GET", "/customers/cust-i1", admin, NULL);
  g_autoptr(Reply) refused = request (server, "POST", "/import/customers", admin, broken);
  g_autoptr(Reply) still_not = request (server, "GET", "/customers/cust-i1", admin, NULL);
  g_autoptr(Reply) done = request (server, "POST", "/import/customers", admin, good);
  g_autoptr(Reply) again = request (server, "POST", "/import/customers", admin, good);
  g_autoptr(Reply) contacts = request (server, "POST", "/import/contacts", admin,
                                       "{\"items\":[{\"customer_id\":\"cust-i1\",\"name\":\"甲\",\"email\":\"a@i1.cn\"},"
                                       "{\"customer_id\":\"cust-i2\",\"name\":\"乙\",\"email\":\"A@i1.cn\"}]}");
  g_autoptr(Reply) users = request (server, "POST", "/import/users", admin,
                                    "{\"items\":[{\"login\":\"zhao.lei\",\"display_name\":\"赵磊\",\"role\":\"tam\"},"
                                    "{\"login\":\"tam.a\",\"display_name\":\"TAM A\",\"role\":\"tam\"}]}");

  assert_status (preview, 200);
  g_assert_cmpint (member_int (preview, "created"), ==, 2);
  g_assert_true (json_object_get_boolean_member (reply_object (preview), "dry_run"));
  assert_status (not_written, 404);
  assert_problem (refused, 400, "items[1].time_zone");
  assert_status (still_not, 404);
  assert_status (done, 200);
  g_assert_cmpint (member_int (done, "created"), ==, 2);
  assert_status (again, 200);
  g_assert_cmpint (member_int (again, "unchanged"), ==, 2);
  g_assert_cmpint (member_int (again, "created"), ==, 0);
  /* A duplicate e-mail in the file (the second row) refuses the file. */
  assert_problem (contacts, 400, "items[1].email");
  assert_status (users, 200);
  g_assert_cmpint (member_int (users, "created"), ==, 1);
  g_assert_cmpint (member_int (users, "unchanged"), ==, 1);

  /* A row is the contract in force: the periods before it stay. */
  {
    g_autoptr(Reply) stored = request (server, "GET", "/customers/cust-i1", admin, NULL);
    g_autoptr(Reply) renewed = request_patch (server, "/customers/cust-i1", admin, member_int (stored, "version"),
                                              "{\"contracts\":[{\"start\":\"2020-01-01\",\"end\":\"2020-12-31\","
                                              "\"tier\":\"standard\"},{\"start\":\"2021-01-01\","
                                              "\"tier\":\"msa_enterprise\"}]}");
    g_autoptr(Reply) reimported = request (server, "POST", "/import/customers", admin, good);
    g_autoptr(Reply) after = request (server, "GET", "/customers/cust-i1", admin, NULL);
    JsonArray *contracts;

    assert_status (renewed, 200);
    assert_status (reimported, 200);
    contracts = json_object_get_array_member (reply_object (after), "contracts");
    g_assert_cmpint (json_array_get_length (contracts), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contracts, 0), "end"), ==,
                     "2020-12-31");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (contracts, 1), "start"), ==,
                     "2026-01-01");
  }
}

static JsonObject *
response_clock (Reply *reply)
{
  return json_object_get_object_member (json_object_get_object_member (reply_object (reply), "sla"), "response");
}

static char *
policy_body (const char *customer_id,
             guint       s2_minutes,
             guint32     effective)
{
  g_autofree char *day = sd_date_format (effective);
  g_autofree char *customer = customer_id ? g_strdup_printf (",\"customer_id\":\"%s\"", customer_id) : g_strdup ("");

  return g_strdup_printf ("{\"tier\":\"msa_enterprise\",\"effective_from\":\"%s\"%s,\"targets\":["
                          "{\"severity\":1,\"minutes\":30,\"clock\":\"24x7\"},"
                          "{\"severity\":2,\"minutes\":%u,\"clock\":\"24x7\"},"
                          "{\"severity\":3,\"minutes\":360,\"clock\":\"business\"},"
                          "{\"severity\":4,\"minutes\":480,\"clock\":\"business\"}]}",
                          day, customer, s2_minutes);
}

/* A new policy version applies to cases reported from its day: a case
 * reported before keeps its target and due time. A customer's override
 * (S2 in 2 h) wins over its tier's policy for that customer only. */
static void
test_sla_policies (void)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autoptr(Server) server = server_start_seeded_with_staff (db, &tam_a);
  g_autofree char *admin = sign_in (server, "admin", "password-admin");
  g_autofree char *tam = sign_in (server, "tam.a", "password-a");
  guint32 today = today_in ("UTC");
  g_autofree char *old_case_json = case_body ("cust-a", 2, now_s () - 3 * 86400);
  g_autoptr(Reply) old_case = request (server, "POST", "/cases", tam, old_case_json);
  g_autofree char *old_path = g_strdup_printf ("/cases/%s", member_string (old_case, "id"));
  g_autoptr(Reply) before = request (server, "GET", old_path, tam, NULL);
  g_autofree char *version = policy_body (NULL, 60, today);
  g_autofree char *override = policy_body ("cust-a", 120, today);
  g_autofree char *past = policy_body (NULL, 60, today - 1);
  g_autoptr(Reply) by_tam = request (server, "POST", "/sla-policies", tam, version);
  g_autoptr(Reply) backdated = request (server, "POST", "/sla-policies", admin, past);
  g_autoptr(Reply) created = request (server, "POST", "/sla-policies", admin, version);
  g_autoptr(Reply) after = request (server, "GET", old_path, tam, NULL);
  g_autofree char *new_case_json = case_body ("cust-a", 2, now_s () - 60);
  g_autoptr(Reply) new_case = request (server, "POST", "/cases", tam, new_case_json);
  g_autoptr(Reply) overridden = NULL;
  g_autoptr(Reply) special = NULL;
  g_autoptr(Reply) old_again = NULL;

  assert_status (old_case, 201);
  assert_problem (by_tam, 403, NULL);
  assert_problem (backdated, 400, "policy.effective_from");
  assert_status (created, 201);
  g_assert_true (g_str_has_prefix (member_string (created, "id"), "msa_enterprise:"));

  /* The past case: the same target (4 h) and due time as before. */
  g_assert_cmpint (json_object_get_int_member (response_clock (before), "target"), ==, 4 * 3600);
  g_assert_cmpint (json_object_get_int_member (response_clock (after), "target"), ==, 4 * 3600);
  g_assert_cmpstr (json_object_get_string_member (response_clock (after), "due"), ==,
                   json_object_get_string_member (response_clock (before), "due"));
  /* A case reported today: the new version's 1 h. */
  assert_status (new_case, 201);
  g_assert_cmpint (json_object_get_int_member (response_clock (new_case), "target"), ==, 3600);

  overridden = request (server, "POST", "/sla-policies", admin, override);
  assert_status (overridden, 201);
  special = request (server, "POST", "/cases", tam, new_case_json);
  g_assert_cmpint (json_object_get_int_member (response_clock (special), "target"), ==, 2 * 3600);
  old_again = request (server, "GET", old_path, tam, NULL);
  g_assert_cmpint (json_object_get_int_member (response_clock (old_again), "target"), ==, 4 * 3600);
}

typedef struct {
  Server *server;
  char   *token;
  char   *body;
  Reply  *reply;
  gint    done;
} Import;

static gpointer
import_thread (gpointer user_data)
{
  Import *import = user_data;

  import->reply = request (import->server, "POST", "/import/customers", import->token, import->body);
  g_atomic_int_set (&import->done, TRUE);
  return NULL;
}

/* An import of 1,000 customers runs off the main loop: while it is held
 * at the gate (inside its transaction), GET /me answers and the import
 * has not; released, it writes all rows, and a file with a bad row
 * writes none. */
static void
test_import_off_main_loop (void)
{
  const guint n_rows = 1000;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autofree char *gate = g_build_filename (tmpdir, "import-gate", NULL);
  g_autofree char *held = g_build_filename (gate, "held", NULL);
  g_autofree char *release = g_build_filename (gate, "release", NULL);
  g_autoptr(Server) server = NULL;
  g_autofree char *admin = NULL;
  g_autoptr(GString) body = g_string_new ("{\"items\":[");
  g_autoptr(GThread) thread = NULL;
  g_autoptr(Reply) me = NULL;
  g_autoptr(Reply) listed = NULL;
  Import import = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (gate, 0700), ==, 0);
  server_page_gate = gate;
  server = server_start_seeded_with_staff (db, &tam_a);
  server_page_gate = NULL;
  admin = sign_in (server, "admin", "password-admin");
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *id = g_strdup_printf ("cust-bulk-%04u", i);
      g_autofree char *row = g_strdup_printf ("{\"id\":\"%s\",\"name\":\"华东电力 %u\",\"tier\":\"standard\","
                                              "\"time_zone\":\"Asia/Shanghai\",\"calendar_id\":\"cn-mainland\","
                                              "\"tam_id\":\"%s\"}", id, i, tam_a);

      g_string_append_printf (body, "%s%s", i ? "," : "", row);
    }
  g_string_append (body, "]}");

  import.server = server;
  import.token = admin;
  import.body = body->str;
  thread = g_thread_new ("import", import_thread, &import);
  wait_for_file (held);
  me = request (server, "GET", "/me", admin, NULL);
  assert_status (me, 200);
  g_assert_false (g_atomic_int_get (&import.done));

  g_assert_true (g_file_set_contents (release, "", 0, NULL));
  g_thread_join (g_steal_pointer (&thread));
  assert_status (import.reply, 200);
  g_assert_cmpint (member_int (import.reply, "created"), ==, n_rows);
  listed = request (server, "GET", "/customers/cust-bulk-0999", admin, NULL);
  assert_status (listed, 200);
  g_clear_pointer (&import.reply, reply_free);

  /* All or nothing: the last row is bad, no row is written. */
  {
    g_autoptr(GString) broken = g_string_new (body->str);
    g_autoptr(Reply) refused = NULL;
    g_autoptr(Reply) first = NULL;
    g_autofree char *field = g_strdup_printf ("items[%u].time_zone", n_rows);

    g_string_truncate (broken, broken->len - 2);
    g_string_append_printf (broken, ",{\"id\":\"cust-late\",\"name\":\"Late\",\"tier\":\"standard\","
                                    "\"time_zone\":\"Nowhere/City\",\"calendar_id\":\"cn-mainland\"}]}");
    /* The first 1,000 rows are there already; make them new rows. */
    for (char *p = strstr (broken->str, "cust-bulk-"); p != NULL; p = strstr (p + 1, "cust-bulk-"))
      memcpy (p, "cust-bulq-", strlen ("cust-bulq-"));
    refused = request (server, "POST", "/import/customers", admin, broken->str);
    assert_problem (refused, 400, field);
    first = request (server, "GET", "/customers/cust-bulq-0000", admin, NULL);
    assert_status (first, 404);
  }
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/admin/only-admins", test_only_admins);
  g_test_add_func ("/admin/customers", test_customers);
  g_test_add_func ("/admin/contacts", test_contacts);
  g_test_add_func ("/admin/users-and-reassignment", test_users_and_reassignment);
  g_test_add_func ("/admin/import", test_import);
  g_test_add_func ("/admin/import-off-main-loop", test_import_off_main_loop);
  g_test_add_func ("/admin/sla-policies", test_sla_policies);
  return server_test_run ();
}
