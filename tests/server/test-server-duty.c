/* test-server-duty.c — who is on duty, through the real server: the duty
 * rota (/duty-shifts) and its rules, a deputy and a calendar on a user,
 * and a new case routed to whoever answers its customer, with the
 * server's clock driven through a weekend and a Monday
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "sd-server.h"
#include "sd-store-open.h"
#include "server-test-util.h"

typedef struct {
  Server *server;
  char   *tam_a;    /* TAM of cust-a (Shanghai, cn-mainland) */
  char   *tam_b;    /* TAM of cust-b; li.na's deputy later */
  char   *dm;       /* a duty manager of cust-a */
  char   *dm2;      /* the other one, who takes the weekend shift */
  char   *admin_token;
  char   *dm_token;
  char   *tam_a_token;
  char   *tam_b_token;
} Duty;

static void
set_clock (Duty       *duty,
           const char *instant)
{
  g_autofree char *body = g_strdup_printf ("{\"now\":\"%s\"}", instant);
  g_autoptr(Reply) reply = request (duty->server, "POST", "/test/clock", duty->admin_token, body);

  assert_status (reply, 200);
}

static void
duty_start (Duty *duty)
{
  g_autofree char *db = new_db_path ();
  g_autofree char *admin = NULL;
  g_autoptr(GError) error = NULL;

  seed_two_tams (db, &duty->tam_a, &duty->tam_b);
  {
    g_autoptr(SdStore) store = sd_store_open_db (db, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (sd_server_add_user (store, "admin", "Admin", "admin", "password-admin", &admin, &error));
    g_assert_true (sd_server_add_user (store, "dm", "Zhao DM", "duty_manager", "password-dm", &duty->dm, &error));
    g_assert_true (sd_server_add_user (store, "dm2", "Wang DM", "duty_manager", "password-dm2", &duty->dm2, &error));
    g_assert_no_error (error);
  }
  duty->server = g_new0 (Server, 1);
  {
    /* The tests drive the server's clock through a night and a weekend. */
    const char *args[] = { "--test-clock", NULL };

    server_extra_args = args;
    server_start_on (duty->server, db, NULL);
    server_extra_args = NULL;
  }
  duty->admin_token = sign_in (duty->server, "admin", "password-admin");
  set_clock (duty, "2026-12-07T10:00:00+08:00");
  duty->dm_token = sign_in (duty->server, "dm", "password-dm");
  duty->tam_a_token = sign_in (duty->server, "tam.a", "password-a");
  duty->tam_b_token = sign_in (duty->server, "tam.b", "password-b");

  /* cust-a names both duty managers. */
  {
    g_autoptr(Reply) customer = request (duty->server, "GET", "/customers/cust-a", duty->admin_token, NULL);
    g_autofree char *patch = g_strdup_printf ("{\"duty_manager_ids\":[\"%s\",\"%s\"]}", duty->dm, duty->dm2);
    g_autoptr(Reply) patched = NULL;

    assert_status (customer, 200);
    patched = request_patch (duty->server, "/customers/cust-a", duty->admin_token,
                             json_object_get_int_member (reply_object (customer), "version"), patch);
    assert_status (patched, 200);
  }
}

static void
duty_stop (Duty *duty)
{
  g_clear_pointer (&duty->server, server_free);
  g_free (duty->tam_a);
  g_free (duty->tam_b);
  g_free (duty->dm);
  g_free (duty->dm2);
  g_free (duty->admin_token);
  g_free (duty->dm_token);
  g_free (duty->tam_a_token);
  g_free (duty->tam_b_token);
}

/* Creates an S1 for cust-a as its TAM; returns the case's reply. */
static Reply *
create_s1 (Duty *duty)
{
  g_autofree char *body = case_body ("cust-a", 1, now_s () - 600);
  g_autoptr(Reply) reply = request (duty->server, "POST", "/cases", duty->tam_a_token, body);

  assert_status (reply, 201);
  return g_steal_pointer (&reply);
}

/* The comments on @case_id's timeline, joined. */
static char *
timeline_text (Duty       *duty,
               const char *token,
               const char *case_id)
{
  g_autofree char *path = g_strdup_printf ("/cases/%s/events", case_id);
  g_autoptr(Reply) reply = request (duty->server, "GET", path, token, NULL);
  GString *text = g_string_new (NULL);
  JsonArray *items;

  assert_status (reply, 200);
  items = json_object_get_array_member (reply_object (reply), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *event = json_array_get_object_element (items, i);

      if (json_object_has_member (event, "body") && !json_object_get_null_member (event, "body"))
        g_string_append_printf (text, "%s\n", json_object_get_string_member (event, "body"));
    }
  return g_string_free (text, FALSE);
}

/* The rota: who writes it, what it refuses, If-Match and Idempotency-Key,
 * the change feed. */
static void
test_duty_rota (void)
{
  Duty duty = { 0 };
  g_autofree char *shift = NULL;
  g_autofree char *bad_end = NULL;
  g_autofree char *not_dm = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) replayed = NULL;
  g_autoptr(Reply) by_tam = NULL;
  g_autoptr(Reply) refused_end = NULL;
  g_autoptr(Reply) refused_dm = NULL;
  g_autoptr(Reply) listed = NULL;
  g_autoptr(Reply) stale = NULL;
  g_autoptr(Reply) edited = NULL;
  g_autoptr(Reply) feed = NULL;
  g_autoptr(Reply) stale_delete = NULL;
  g_autoptr(Reply) deleted = NULL;
  g_autoptr(Reply) gone = NULL;
  const char *key[] = { "Idempotency-Key", "7a0f3c52-8a3e-4f7e-9d0c-2b1f6a1e0001", NULL };

  duty_start (&duty);
  shift = g_strdup_printf ("{\"duty_manager_id\":\"%s\",\"start\":\"2026-12-04T18:00:00+08:00\","
                           "\"end\":\"2026-12-07T09:00:00+08:00\"}", duty.dm2);
  created = request_full (duty.server, "POST", "/duty-shifts", duty.dm_token, key, "application/json", shift, -1);
  assert_status (created, 201);
  id = g_strdup (member_string (created, "id"));
  g_assert_cmpstr (member_string (created, "duty_manager_id"), ==, duty.dm2);
  g_assert_cmpint (json_object_get_int_member (reply_object (created), "version"), ==, 1);

  /* A retried create is the same shift. */
  replayed = request_full (duty.server, "POST", "/duty-shifts", duty.dm_token, key, "application/json", shift, -1);
  assert_status (replayed, 201);
  g_assert_cmpstr (member_string (replayed, "id"), ==, id);

  /* A TAM reads the rota but does not write it. */
  by_tam = request (duty.server, "POST", "/duty-shifts", duty.tam_a_token, shift);
  assert_status (by_tam, 403);
  listed = request (duty.server, "GET", "/duty-shifts", duty.tam_a_token, NULL);
  assert_status (listed, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (listed), "items")), ==, 1);

  bad_end = g_strdup_printf ("{\"duty_manager_id\":\"%s\",\"start\":\"2026-12-04T18:00:00+08:00\","
                             "\"end\":\"2026-12-04T09:00:00+08:00\"}", duty.dm2);
  refused_end = request (duty.server, "POST", "/duty-shifts", duty.admin_token, bad_end);
  assert_problem (refused_end, 400, "duty_shift.end");
  not_dm = g_strdup_printf ("{\"duty_manager_id\":\"%s\",\"start\":\"2026-12-04T18:00:00+08:00\","
                            "\"end\":\"2026-12-05T09:00:00+08:00\"}", duty.tam_a);
  refused_dm = request (duty.server, "POST", "/duty-shifts", duty.admin_token, not_dm);
  assert_problem (refused_dm, 400, "duty_shift.duty_manager_id");

  /* Edits go with If-Match. */
  path = g_strdup_printf ("/duty-shifts/%s", id);
  edited = request_patch (duty.server, path, duty.admin_token, 1, "{\"end\":\"2026-12-07T08:00:00+08:00\"}");
  assert_status (edited, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (edited), "version"), ==, 2);
  stale = request_patch (duty.server, path, duty.dm_token, 1, "{\"end\":\"2026-12-07T09:00:00+08:00\"}");
  assert_status (stale, 412);

  /* Everyone's change feed carries it. */
  feed = request (duty.server, "GET", "/changes?after=0&limit=1000", duty.tam_b_token, NULL);
  assert_status (feed, 200);
  g_assert_nonnull (strstr (feed->body, "\"duty_shift\""));

  {
    const char *stale_headers[] = { "If-Match", "\"1\"", NULL };
    const char *headers[] = { "If-Match", "\"2\"", NULL };

    stale_delete = request_full (duty.server, "DELETE", path, duty.dm_token, stale_headers, NULL, NULL, 0);
    assert_status (stale_delete, 412);
    deleted = request_full (duty.server, "DELETE", path, duty.dm_token, headers, NULL, NULL, 0);
    assert_status (deleted, 204);
  }
  gone = request (duty.server, "GET", path, duty.dm_token, NULL);
  assert_status (gone, 404);
  duty_stop (&duty);
}

/* An S1 created Saturday 03:00 goes to the duty manager on shift; Monday
 * 10:00 to the TAM; with the TAM out of office, to the deputy. The TAM
 * sees in the history who took it and why, and, back, what was handled. */
static void
test_duty_routing (void)
{
  Duty duty = { 0 };
  g_autofree char *shift = NULL;
  g_autofree char *weekend_text = NULL;
  g_autofree char *monday_text = NULL;
  g_autofree char *away_text = NULL;
  g_autofree char *user_path = NULL;
  g_autofree char *deputy_patch = NULL;
  g_autofree char *case_path = NULL;
  g_autoptr(Reply) created = NULL;
  g_autoptr(Reply) weekend = NULL;
  g_autoptr(Reply) night = NULL;
  g_autoptr(Reply) monday = NULL;
  g_autoptr(Reply) user = NULL;
  g_autoptr(Reply) own_deputy = NULL;
  g_autoptr(Reply) set_away = NULL;
  g_autoptr(Reply) away = NULL;
  g_autoptr(Reply) by_deputy = NULL;
  g_autoptr(Reply) handled = NULL;
  g_autoptr(Reply) by_other_tam = NULL;
  JsonArray *items;

  duty_start (&duty);
  shift = g_strdup_printf ("{\"duty_manager_id\":\"%s\",\"start\":\"2026-12-04T18:00:00+08:00\","
                           "\"end\":\"2026-12-07T09:00:00+08:00\"}", duty.dm2);
  created = request (duty.server, "POST", "/duty-shifts", duty.dm_token, shift);
  assert_status (created, 201);

  /* Saturday 03:00 in Shanghai: the shift's duty manager. */
  set_clock (&duty, "2026-12-05T03:00:00+08:00");
  weekend = create_s1 (&duty);
  g_assert_cmpstr (member_string (weekend, "assignee_id"), ==, duty.dm2);
  weekend_text = timeline_text (&duty, duty.tam_a_token, member_string (weekend, "id"));
  g_assert_nonnull (strstr (weekend_text, "Assigned to Wang DM: TAM off duty"));

  /* Monday 19:00, off hours and no shift: the customer's first duty
   * manager. */
  set_clock (&duty, "2026-12-07T19:00:00+08:00");
  night = create_s1 (&duty);
  g_assert_cmpstr (member_string (night, "assignee_id"), ==, duty.dm);

  /* Monday 10:00: the TAM, and no hand-off on the timeline. */
  set_clock (&duty, "2026-12-07T10:00:00+08:00");
  monday = create_s1 (&duty);
  g_assert_cmpstr (member_string (monday, "assignee_id"), ==, duty.tam_a);
  monday_text = timeline_text (&duty, duty.tam_a_token, member_string (monday, "id"));
  g_assert_null (strstr (monday_text, "Assigned to"));

  /* Out of office with a deputy, set by a duty manager; nobody deputises
   * for themselves. */
  user_path = g_strdup_printf ("/users/%s", duty.tam_a);
  user = request (duty.server, "GET", user_path, duty.admin_token, NULL);
  assert_status (user, 200);
  {
    g_autofree char *self = g_strdup_printf ("{\"deputy_id\":\"%s\"}", duty.tam_a);

    own_deputy = request_patch (duty.server, user_path, duty.dm_token,
                                json_object_get_int_member (reply_object (user), "version"), self);
    assert_problem (own_deputy, 400, "user.deputy_id");
  }
  deputy_patch = g_strdup_printf ("{\"out_of_office_until\":\"2026-12-09T00:00:00+08:00\",\"deputy_id\":\"%s\"}",
                                  duty.tam_b);
  set_away = request_patch (duty.server, user_path, duty.dm_token,
                            json_object_get_int_member (reply_object (user), "version"), deputy_patch);
  assert_status (set_away, 200);
  g_assert_cmpstr (member_string (set_away, "deputy_id"), ==, duty.tam_b);

  away = create_s1 (&duty);
  g_assert_cmpstr (member_string (away, "assignee_id"), ==, duty.tam_b);
  away_text = timeline_text (&duty, duty.tam_a_token, member_string (away, "id"));
  g_assert_nonnull (strstr (away_text, "Assigned to TAM B: TAM out of office"));
  /* The deputy sees the case they were given. */
  case_path = g_strdup_printf ("/cases/%s", member_string (away, "id"));
  by_deputy = request (duty.server, "GET", case_path, duty.tam_b_token, NULL);
  assert_status (by_deputy, 200);

  /* Back: what others handled for li.na's customers. */
  handled = request (duty.server, "GET", "/cases?handled_while_away=1", duty.tam_a_token, NULL);
  assert_status (handled, 200);
  items = json_object_get_array_member (reply_object (handled), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 3);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "assignee_id"),
                     !=, duty.tam_a);
  /* TAM B is TAM of cust-b only: nothing of theirs was handled by others. */
  by_other_tam = request (duty.server, "GET", "/cases?handled_while_away=1", duty.tam_b_token, NULL);
  assert_status (by_other_tam, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply_object (by_other_tam), "items")), ==, 0);

  /* Back, working Berlin hours (an admin sets the calendar): 10:00 in
   * Shanghai is 03:00 in Berlin, off duty; 17:00 is 10:00, on duty. */
  {
    g_autoptr(Reply) back = NULL;
    g_autoptr(Reply) early = NULL;
    g_autoptr(Reply) late = NULL;

    back = request_patch (duty.server, user_path, duty.admin_token,
                          json_object_get_int_member (reply_object (set_away), "version"),
                          "{\"out_of_office_until\":null,\"deputy_id\":null,\"calendar_id\":\"de-office\"}");
    assert_status (back, 200);
    early = create_s1 (&duty);
    g_assert_cmpstr (member_string (early, "assignee_id"), ==, duty.dm);
    set_clock (&duty, "2026-12-07T17:00:00+08:00");
    late = create_s1 (&duty);
    g_assert_cmpstr (member_string (late, "assignee_id"), ==, duty.tam_a);
  }

  duty_stop (&duty);
}

/* supportdesk-cli as @token (SUPPORTDESK_TOKEN) on this server: its exit
 * status and output. */
static int
cli (Duty        *duty,
     const char  *token,
     char       **out,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "SUPPORTDESK_TOKEN", token, TRUE);
  g_autofree char *output = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  int wait_status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("SUPPORTDESK_CLI"));
  va_start (args, out);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) "--server");
  g_ptr_array_add (argv, duty->server->base);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &output, &err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_test_message ("supportdesk-cli %s %s: %s", (char *) argv->pdata[1], (char *) argv->pdata[2],
                  g_strdelimit (err, "\r\n", ' '));
  if (out != NULL)
    *out = g_steal_pointer (&output);
  return WEXITSTATUS (wait_status);
}

/* supportdesk-cli admin duty add|list|remove and admin user cover. */
static void
test_duty_cli (void)
{
  Duty duty = { 0 };
  g_autofree char *id_line = NULL;
  g_autofree char *list = NULL;
  g_autofree char *after = NULL;
  g_autofree char *cover = NULL;
  g_autofree char *user_path = NULL;
  g_autoptr(Reply) user = NULL;

  duty_start (&duty);
  /* A duty manager sees no logins: they name the duty manager by id. */
  g_assert_cmpint (cli (&duty, duty.dm_token, &id_line, "admin", "duty", "add", duty.dm2,
                        "2026-12-04T18:00+08:00", "2026-12-07T09:00+08:00", NULL), ==, 0);
  g_strstrip (id_line);
  g_assert_true (g_uuid_string_is_valid (id_line));
  g_assert_cmpint (cli (&duty, duty.tam_a_token, &list, "admin", "duty", "list", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (list, "id,duty_manager,start,end\r\n"));
  g_assert_nonnull (strstr (list, id_line));
  g_assert_nonnull (strstr (list, duty.dm2));
  g_clear_pointer (&list, g_free);
  g_assert_cmpint (cli (&duty, duty.admin_token, &list, "admin", "duty", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (list, ",dm2,"));
  /* A TAM may not add a shift; a bad time is refused before asking. */
  g_assert_cmpint (cli (&duty, duty.tam_a_token, NULL, "admin", "duty", "add", "dm2",
                        "2026-12-04T18:00+08:00", "2026-12-07T09:00+08:00", NULL), ==, 1);
  g_assert_cmpint (cli (&duty, duty.dm_token, NULL, "admin", "duty", "add", "dm2", "tonight", "tomorrow", NULL), ==, 2);

  g_assert_cmpint (cli (&duty, duty.dm_token, NULL, "admin", "duty", "remove", id_line, NULL), ==, 0);
  g_assert_cmpint (cli (&duty, duty.dm_token, &after, "admin", "duty", "list", NULL), ==, 0);
  g_assert_null (strstr (after, id_line));

  /* A deputy and a calendar, by login and id. */
  g_assert_cmpint (cli (&duty, duty.admin_token, &cover, "admin", "user", "cover", "tam.a",
                        "--deputy", "tam.b", "--calendar", "de-office", NULL), ==, 0);
  user_path = g_strdup_printf ("/users/%s", duty.tam_a);
  user = request (duty.server, "GET", user_path, duty.admin_token, NULL);
  assert_status (user, 200);
  g_assert_cmpstr (member_string (user, "deputy_id"), ==, duty.tam_b);
  g_assert_cmpstr (member_string (user, "calendar_id"), ==, "de-office");
  /* Only admins change a calendar; a duty manager sets the deputy. */
  g_assert_cmpint (cli (&duty, duty.dm_token, NULL, "admin", "user", "cover", duty.tam_a, "--calendar", "none", NULL), ==, 1);
  g_assert_cmpint (cli (&duty, duty.dm_token, NULL, "admin", "user", "cover", duty.tam_a, "--deputy", "none", NULL), ==, 0);
  g_clear_pointer (&user, reply_free);
  user = request (duty.server, "GET", user_path, duty.admin_token, NULL);
  g_assert_false (json_object_has_member (reply_object (user), "deputy_id"));
  duty_stop (&duty);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);

  g_test_add_func ("/duty/rota", test_duty_rota);
  g_test_add_func ("/duty/routing", test_duty_routing);
  g_test_add_func ("/duty/cli", test_duty_cli);

  return server_test_run ();
}
