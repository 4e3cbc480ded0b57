/* test-escalation.c — the scheduler's escalation chain through the server,
 * on its test clock, with a real SMTP server and a real webhook receiver:
 * a severity-1 case reported on a Saturday night (24×7, 30 minutes)
 * warns its assignee and the duty manager who answers the customer then,
 * then the duty manager at the breach, then the admins 30 minutes later —
 * each once, however often the clock moves on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "receiver-util.h"
#include "sd-server.h"
#include "sd-store-open.h"
#include "server-test-util.h"

#define SECRET "escalation-secret"

static Server   *server;
static char     *admin_token;
static Receiver *smtp;
static Receiver *webhook;

static void
set_clock (gint64 when)
{
  g_autofree char *text = sd_time_format_iso8601 (when, NULL);
  g_autofree char *body = g_strdup_printf ("{\"now\":\"%s\"}", text);
  g_autoptr(Reply) reply = request (server, "POST", "/test/clock", admin_token, body);

  assert_status (reply, 200);
}

static void
set_email (const char *user_id,
           const char *email)
{
  g_autofree char *path = g_strdup_printf ("/users/%s", user_id);
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\"}", email);
  g_autoptr(Reply) reply = request_patch (server, path, admin_token, 1, body);

  assert_status (reply, 200);
}

/* The recipient of the @n-th mail. */
static char *
mail_to (guint n)
{
  g_autoptr(JsonObject) mail = receiver_record (smtp, n);
  JsonArray *to = json_object_get_array_member (mail, "rcpt_tos");

  g_assert_cmpuint (json_array_get_length (to), ==, 1);
  return g_strdup (json_array_get_string_element (to, 0));
}

/* The notification the @n-th webhook carried, checked. */
static JsonObject *
webhook_notification (guint n)
{
  g_autoptr(JsonObject) record = receiver_record (webhook, n);
  JsonObject *body = json_object_get_object_member (record, "body");

  g_assert_true (json_object_get_boolean_member (record, "signature_ok"));
  g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "notification");
  return json_object_ref (json_object_get_object_member (body, "notification"));
}

/* Waits for the @n-th mail and webhook of one step, and checks them. */
static void
assert_step (guint       n,
             const char *email,
             const char *kind,
             const char *case_id)
{
  g_autofree char *to = NULL;
  g_autoptr(JsonObject) notification = NULL;

  receiver_wait (smtp, n);
  receiver_wait (webhook, n);
  to = mail_to (n);
  g_assert_cmpstr (to, ==, email);
  notification = webhook_notification (n);
  g_assert_cmpstr (json_object_get_string_member (notification, "kind"), ==, kind);
  g_assert_cmpstr (json_object_get_string_member (notification, "case_id"), ==, case_id);
}

/* The latest Saturday 01:00 in Shanghai at least two hours ago: a
 * weekend night, when the TAM is off duty and the customer's duty
 * manager answers (the case may not be reported in the future). */
static gint64
last_saturday_night (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) back = g_date_time_add_hours (now, -2);
  int back_days = (g_date_time_get_day_of_week (back) + 1) % 7;  /* since Saturday */
  g_autoptr(GDateTime) saturday = g_date_time_add_days (back, -back_days);
  g_autoptr(GDateTime) night = g_date_time_new (tz, g_date_time_get_year (saturday),
                                                g_date_time_get_month (saturday),
                                                g_date_time_get_day_of_month (saturday), 1, 0, 0);
  gint64 t = g_date_time_to_unix (night);

  return t <= g_date_time_to_unix (back) ? t : t - 7 * 86400;
}

/* The server answered every request before this one, and its deliveries
 * are settled: nothing pending in the log. */
static void
wait_settled (void)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(Reply) reply = request (server, "GET", "/deliveries?limit=1000", admin_token, NULL);
      JsonArray *items;
      gboolean pending = FALSE;

      assert_status (reply, 200);
      items = json_object_get_array_member (reply_object (reply), "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        pending |= !g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                                "state"), "delivered");
      if (!pending)
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

static void
test_night_chain (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = new_db_path ();
  g_autofree char *tam_a = NULL;
  g_autofree char *tam_b = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *dm = NULL;
  g_autofree char *secret_file = g_build_filename (tmpdir, "escalation-secret", NULL);
  g_autofree char *tam_token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *patch = NULL;
  g_autofree char *case_id = NULL;
  g_autoptr(Reply) customer = NULL;
  g_autoptr(Reply) created = NULL;
  gint64 t0 = last_saturday_night ();
  gint64 due = t0 + 30 * 60;

  seed_two_tams (db, &tam_a, &tam_b);
  {
    g_autoptr(SdStore) store = sd_store_open_db (db, TRUE, &error);

    g_assert_no_error (error);
    g_assert_true (sd_server_add_user (store, "admin", "Admin", "admin", "password-admin", &admin, &error));
    g_assert_true (sd_server_add_user (store, "dm", "值班经理", "duty_manager", "password-dm", &dm, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_set_contents (secret_file, SECRET, -1, NULL));
  smtp = receiver_start ("smtp-sink.py", "smtp://", "", NULL);
  webhook = receiver_start ("webhook-receiver.py", "http://", "/hook", SECRET, NULL);
  {
    const char *args[] = { "--test-clock", "--webhook", webhook->url, "--webhook-secret-file", secret_file,
                           "--smtp", smtp->url, "--smtp-from", "supportdesk@example.com", NULL };

    server = g_new0 (Server, 1);
    server_extra_args = args;
    server_start_on (server, db, NULL);
    server_extra_args = NULL;
  }
  admin_token = sign_in (server, "admin", "password-admin");
  set_clock (t0);
  set_email (tam_a, "tam.a@example.com");
  set_email (dm, "dm@example.com");
  set_email (admin, "admin@example.com");
  patch = g_strdup_printf ("{\"duty_manager_ids\":[\"%s\"]}", dm);
  customer = request_patch (server, "/customers/cust-a", admin_token, 1, patch);
  assert_status (customer, 200);

  /* Saturday 01:00 in Shanghai: severity 1 runs around the clock. */
  tam_token = sign_in (server, "tam.a", "password-a");
  body = case_body ("cust-a", 1, t0);
  body[strlen (body) - 1] = '\0';
  {
    g_autofree char *with_assignee = g_strdup_printf ("%s,\"assignee_id\":\"%s\"}", body, tam_a);

    created = request (server, "POST", "/cases", tam_token, with_assignee);
  }
  assert_status (created, 201);
  case_id = g_strdup (member_string (created, "id"));

  /* Running: nothing yet. */
  set_clock (t0 + 10 * 60);
  wait_settled ();
  g_assert_cmpuint (receiver_count (smtp), ==, 0);

  /* 24 minutes in, 6 left (20 % of 30): at risk → the assignee, and
   * the duty manager who answers the customer on a weekend night. */
  set_clock (t0 + 24 * 60);
  receiver_wait (smtp, 2);
  wait_settled ();
  {
    g_autofree char *first = mail_to (1);
    g_autofree char *second = mail_to (2);
    g_autoptr(JsonObject) one = webhook_notification (1);
    g_autoptr(JsonObject) two = webhook_notification (2);

    g_assert_true ((g_str_equal (first, "tam.a@example.com") && g_str_equal (second, "dm@example.com"))
                   || (g_str_equal (first, "dm@example.com") && g_str_equal (second, "tam.a@example.com")));
    g_assert_cmpstr (json_object_get_string_member (one, "kind"), ==, "at_risk");
    g_assert_cmpstr (json_object_get_string_member (two, "kind"), ==, "at_risk");
  }
  set_clock (t0 + 29 * 60);
  wait_settled ();
  g_assert_cmpuint (receiver_count (smtp), ==, 2);

  /* Breached (after the due minute) → the duty manager. */
  set_clock (due + 60);
  assert_step (3, "dm@example.com", "breached", case_id);
  set_clock (due + 29 * 60);
  wait_settled ();
  g_assert_cmpuint (receiver_count (smtp), ==, 3);

  /* Breached for 30 minutes → the admins. */
  set_clock (due + 30 * 60);
  assert_step (4, "admin@example.com", "escalated", case_id);

  /* Through the rest of the night and the weekend: nothing more. */
  for (gint64 hour = 1; hour <= 60; hour += 7)
    set_clock (due + hour * 3600);
  wait_settled ();
  g_assert_cmpuint (receiver_count (smtp), ==, 4);
  g_assert_cmpuint (receiver_count (webhook), ==, 4);

  /* A restart does not send a step again. */
  server_stop (server, SIGKILL);
  g_clear_pointer (&server, server_free);
  {
    const char *args[] = { "--test-clock", "--webhook", webhook->url, "--webhook-secret-file", secret_file,
                           "--smtp", smtp->url, "--smtp-from", "supportdesk@example.com", NULL };

    server = g_new0 (Server, 1);
    server_extra_args = args;
    server_start_on (server, db, NULL);
    server_extra_args = NULL;
  }
  g_clear_pointer (&admin_token, g_free);
  admin_token = sign_in (server, "admin", "password-admin");
  set_clock (due + 61 * 60);
  wait_settled ();
  g_assert_cmpuint (receiver_count (smtp), ==, 4);

  g_clear_pointer (&server, server_free);
  g_clear_pointer (&smtp, receiver_free);
  g_clear_pointer (&webhook, receiver_free);
  g_clear_pointer (&admin_token, g_free);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/escalation/night-chain", test_night_chain);
  return server_test_run ();
}
