/* test-deliveries.c — the delivery queue through supportdesk-server: signed
 * webhooks to a real HTTP receiver and mail to a real SMTP server, retried
 * with backoff on the server's test clock, the delivery log for admins, and
 * a server killed with an attempt in flight that delivers the same id after
 * its restart.
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

#define SECRET "webhook-secret-åäö"
#define T0     "2099-12-05T01:00:00Z"  /* ahead of the system clock, which a restarted server reads first */

typedef struct {
  Server   *server;
  char     *token;
  Receiver *webhook;
  Receiver *smtp;
  GStrv     args;
} Fixture;

/* An admin on a new database, and a server with the receivers and the test clock. */
static void
fixture_start (Fixture    *fixture,
               const char *db,
               gboolean    seed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *admin = NULL;

  if (seed)
    {
      g_autoptr(SdStore) store = sd_store_open_db (db, TRUE, &error);

      g_assert_no_error (error);
      g_assert_true (sd_server_add_user (store, "admin", "Admin", "admin", "password-admin", &admin, &error));
      g_assert_no_error (error);
    }
  fixture->server = g_new0 (Server, 1);
  server_extra_args = (const char * const *) fixture->args;
  server_start_on (fixture->server, db, NULL);
  server_extra_args = NULL;
  g_free (fixture->token);
  fixture->token = sign_in (fixture->server, "admin", "password-admin");
}

static void
fixture_init (Fixture    *fixture,
              const char *webhook_option)
{
  g_autofree char *secret_file = g_build_filename (tmpdir, "webhook-secret", NULL);
  g_autofree char *db = new_db_path ();

  g_assert_true (g_file_set_contents (secret_file, SECRET "\n", -1, NULL));
  fixture->webhook = receiver_start ("webhook-receiver.py", "http://", "/hook", SECRET, webhook_option, NULL);
  fixture->smtp = receiver_start ("smtp-sink.py", "smtp://", "", NULL);
  {
  const char *args[] = { "--test-clock",
                         "--webhook", fixture->webhook->url,
                         "--webhook-secret-file", secret_file,
                         "--smtp", fixture->smtp->url,
                         "--smtp-from", "supportdesk@example.com",
                         NULL };

  fixture->args = g_strdupv ((char **) args);
  }
  fixture_start (fixture, db, TRUE);
}

static void
fixture_clear (Fixture *fixture)
{
  g_clear_pointer (&fixture->server, server_free);
  g_clear_pointer (&fixture->webhook, receiver_free);
  g_clear_pointer (&fixture->smtp, receiver_free);
  g_clear_pointer (&fixture->token, g_free);
  g_clear_pointer (&fixture->args, g_strfreev);
}

static void
set_clock (Fixture    *fixture,
           const char *now)
{
  g_autofree char *body = g_strdup_printf ("{\"now\":\"%s\"}", now);
  g_autoptr(Reply) reply = request (fixture->server, "POST", "/test/clock", fixture->token, body);

  assert_status (reply, 200);
}

/* The delivery log, as one array (it is short). */
static JsonArray *
deliveries (Fixture *fixture)
{
  g_autoptr(Reply) reply = request (fixture->server, "GET", "/deliveries", fixture->token, NULL);

  assert_status (reply, 200);
  return json_array_ref (json_object_get_array_member (reply_object (reply), "items"));
}

static JsonObject *
delivery_on (JsonArray  *log,
             const char *channel)
{
  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *item = json_array_get_object_element (log, i);

      if (g_str_equal (json_object_get_string_member (item, "channel"), channel))
        return item;
    }
  g_assert_not_reached ();
  return NULL;
}

/* Waits until the log says @channel's delivery is @state. */
static void
wait_for_state (Fixture    *fixture,
                const char *channel,
                const char *state)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JsonArray) log = deliveries (fixture);

      if (g_str_equal (json_object_get_string_member (delivery_on (log, channel), "state"), state))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

static void
assert_webhook (Receiver   *receiver,
                guint       n,
                const char *delivery_id)
{
  g_autoptr(JsonObject) record = receiver_record (receiver, n);

  g_assert_cmpstr (json_object_get_string_member (record, "delivery"), ==, delivery_id);
  g_assert_true (json_object_get_boolean_member (record, "signature_ok"));
  g_assert_cmpstr (json_object_get_string_member (record, "content_type"), ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "body"), "type"),
                   ==, "test");
}

/* The receiver fails the first attempt; the retry waits for its backoff
 * on the server's clock, and carries the same id and a valid signature. */
static void
test_webhook_and_mail (void)
{
  Fixture fixture = { 0 };
  g_autoptr(Reply) sent = NULL;
  g_autoptr(Reply) forbidden = NULL;
  g_autoptr(JsonArray) log = NULL;
  g_autoptr(JsonObject) mail = NULL;
  g_autofree char *dm = NULL;
  JsonObject *webhook;
  const char *webhook_id, *mail_id;
  JsonArray *ids;

  fixture_init (&fixture, "--fail=1");
  set_clock (&fixture, T0);
  sent = request (fixture.server, "POST", "/deliveries/test", fixture.token, "{\"email\":\"ops@example.com\"}");
  assert_status (sent, 202);
  ids = json_object_get_array_member (reply_object (sent), "ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, 2);
  webhook_id = json_array_get_string_element (ids, 0);
  mail_id = json_array_get_string_element (ids, 1);

  /* The mail arrives; the webhook's first attempt gets a 500. */
  receiver_wait (fixture.smtp, 1);
  mail = receiver_record (fixture.smtp, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mail, "rcpt_tos"), 0),
                   ==, "ops@example.com");
  g_assert_cmpstr (json_object_get_string_member (mail, "subject"), ==, "SupportDesk test delivery");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (mail, "message_id"), "<"));
  g_assert_nonnull (strstr (json_object_get_string_member (mail, "message_id"), mail_id));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (mail, "headers"),
                                                  "X-SupportDesk-Delivery"), ==, mail_id);
  receiver_wait (fixture.webhook, 1);
  assert_webhook (fixture.webhook, 1, webhook_id);
  wait_for_state (&fixture, "email", "delivered");

  log = deliveries (&fixture);
  webhook = delivery_on (log, "webhook");
  g_assert_cmpstr (json_object_get_string_member (webhook, "state"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (webhook, "attempts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (webhook, "last_error"), ==, "HTTP 500");
  /* The first retry is due 30 s (plus jitter) later on the server's clock. */
  g_assert_cmpstr (json_object_get_string_member (webhook, "next_attempt_at"), >=, "2099-12-05T01:00:30Z");
  g_assert_cmpstr (json_object_get_string_member (webhook, "next_attempt_at"), <=, "2099-12-05T01:00:33Z");

  set_clock (&fixture, "2099-12-05T01:01:00Z");
  receiver_wait (fixture.webhook, 2);
  assert_webhook (fixture.webhook, 2, webhook_id);
  wait_for_state (&fixture, "webhook", "delivered");
  g_clear_pointer (&log, json_array_unref);
  log = deliveries (&fixture);
  webhook = delivery_on (log, "webhook");
  g_assert_cmpint (json_object_get_int_member (webhook, "attempts"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (webhook, "delivered_at"), ==, "2099-12-05T01:01:00Z");
  g_assert_cmpuint (receiver_count (fixture.smtp), ==, 1);

  /* The log is for admins; a TAM is refused. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdStore) store = sd_store_open_db (fixture.server->db, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (sd_server_add_user (store, "dm", "Duty Manager", "duty_manager", "password-dm", &dm, &error));
  }
  {
    g_autofree char *token = sign_in (fixture.server, "dm", "password-dm");

    forbidden = request (fixture.server, "GET", "/deliveries", token, NULL);
    assert_problem (forbidden, 403, NULL);
  }
  fixture_clear (&fixture);
}

/* Killed with the attempt in flight (the receiver holds it unanswered):
 * after the restart the delivery is due again once its lease ran out,
 * and goes out with the same id; the receiver sees one delivery id. */
static void
test_restart_in_flight (void)
{
  Fixture fixture = { 0 };
  g_autoptr(Reply) sent = NULL;
  g_autoptr(JsonArray) log = NULL;
  g_autofree char *db = NULL;
  g_autofree char *webhook_id = NULL;
  JsonObject *webhook;

  fixture_init (&fixture, "--hold-first");
  set_clock (&fixture, T0);
  sent = request (fixture.server, "POST", "/deliveries/test", fixture.token, "{}");
  assert_status (sent, 202);
  webhook_id = g_strdup (json_array_get_string_element (json_object_get_array_member (reply_object (sent), "ids"), 0));
  receiver_wait (fixture.webhook, 1);

  db = g_strdup (fixture.server->db);
  server_stop (fixture.server, SIGKILL);
  g_clear_pointer (&fixture.server, server_free);
  fixture_start (&fixture, db, FALSE);

  /* Within the lease the attempt may still be in flight: not sent again. */
  set_clock (&fixture, "2099-12-05T01:04:00Z");
  log = deliveries (&fixture);
  webhook = delivery_on (log, "webhook");
  g_assert_cmpstr (json_object_get_string_member (webhook, "state"), ==, "pending");
  g_assert_cmpint (json_object_get_int_member (webhook, "attempts"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (webhook, "next_attempt_at"), ==, "2099-12-05T01:05:00Z");

  set_clock (&fixture, "2099-12-05T01:05:00Z");
  receiver_wait (fixture.webhook, 2);
  wait_for_state (&fixture, "webhook", "delivered");
  assert_webhook (fixture.webhook, 1, webhook_id);
  assert_webhook (fixture.webhook, 2, webhook_id);
  g_clear_pointer (&log, json_array_unref);
  log = deliveries (&fixture);
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
  g_assert_cmpint (json_object_get_int_member (delivery_on (log, "webhook"), "attempts"), ==, 2);
  g_assert_cmpuint (receiver_count (fixture.webhook), ==, 2);
  fixture_clear (&fixture);
}

/* Without --test-clock there is no test clock. */
static void
test_no_test_clock (void)
{
  g_autoptr(Server) server = server_start (NULL);
  g_autofree char *admin = NULL;
  g_autofree char *token = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(SdStore) store = sd_store_open_db (server->db, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (sd_server_add_user (store, "admin", "Admin", "admin", "password-admin", &admin, &error));
  }
  token = sign_in (server, "admin", "password-admin");
  reply = request (server, "POST", "/test/clock", token, "{\"now\":\"" T0 "\"}");
  assert_problem (reply, 404, NULL);
}

/* Whether the feed of @token holds notification @id; its entity in *out. */
static gboolean
feed_has_notification (Fixture     *fixture,
                       const char  *token,
                       const char  *id,
                       JsonObject **out)
{
  g_autoptr(Reply) reply = request (fixture->server, "GET", "/changes?after=0&limit=1000", token, NULL);
  JsonArray *changes;
  gboolean found = FALSE;

  assert_status (reply, 200);
  changes = json_object_get_array_member (reply_object (reply), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (!g_str_equal (json_object_get_string_member (change, "kind"), "notification"))
        continue;
      g_assert_cmpstr (json_object_get_string_member (change, "id"), ==, id);
      found = TRUE;
      if (out)
        *out = json_object_ref (json_object_get_object_member (change, "entity"));
    }
  return found;
}

/* A notification is an entity in its recipient's feed (only), with its
 * mail to the recipient's address and its signed webhook; the recipient
 * marks it read with If-Match, nobody else can see or touch it. */
static void
test_notification (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *tam = NULL;
  g_autofree char *tam_token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(Reply) patched_user = NULL;
  g_autoptr(Reply) sent = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(JsonObject) mail = NULL;
  g_autoptr(JsonObject) hook = NULL;
  g_autoptr(JsonObject) entity = NULL;
  g_autoptr(JsonObject) read = NULL;
  const char *id;

  fixture_init (&fixture, "--fail=0");
  set_clock (&fixture, T0);
  {
    g_autoptr(SdStore) store = sd_store_open_db (fixture.server->db, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (sd_server_add_user (store, "li.na", "李娜", "tam", "password-tam", &tam, &error));
  }
  path = g_strdup_printf ("/users/%s", tam);
  patched_user = request_patch (fixture.server, path, fixture.token, 1, "{\"email\":\"li.na@example.com\"}");
  assert_status (patched_user, 200);
  tam_token = sign_in (fixture.server, "li.na", "password-tam");

  body = g_strdup_printf ("{\"recipient_id\":\"%s\"}", tam);
  sent = request (fixture.server, "POST", "/deliveries/test", fixture.token, body);
  assert_status (sent, 202);
  id = json_object_get_string_member (reply_object (sent), "notification_id");
  g_assert_nonnull (id);

  receiver_wait (fixture.smtp, 1);
  mail = receiver_record (fixture.smtp, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (mail, "rcpt_tos"), 0),
                   ==, "li.na@example.com");
  g_assert_cmpstr (json_object_get_string_member (mail, "subject"), ==, "SupportDesk test notification");
  receiver_wait (fixture.webhook, 1);
  hook = receiver_record (fixture.webhook, 1);
  g_assert_true (json_object_get_boolean_member (hook, "signature_ok"));
  {
    JsonObject *posted = json_object_get_object_member (hook, "body");

    g_assert_cmpstr (json_object_get_string_member (posted, "type"), ==, "notification");
    g_assert_cmpstr (json_object_get_string_member (posted, "recipient_login"), ==, "li.na");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (posted, "notification"), "id"),
                     ==, id);
  }

  /* In the recipient's feed, not in the admin's. */
  g_assert_true (feed_has_notification (&fixture, tam_token, id, &entity));
  g_assert_cmpstr (json_object_get_string_member (entity, "recipient_id"), ==, tam);
  g_assert_cmpstr (json_object_get_string_member (entity, "kind"), ==, "test");
  g_assert_cmpstr (json_object_get_string_member (entity, "created_at"), ==, T0);
  g_assert_true (json_object_get_null_member (entity, "read_at"));
  g_assert_false (feed_has_notification (&fixture, fixture.token, id, NULL));

  /* Only the recipient marks it read, with the version it has. */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/notifications/%s", id);
  reply = request_patch (fixture.server, path, fixture.token, 1, "{\"read_at\":\"2099-12-05T01:02:00Z\"}");
  assert_problem (reply, 404, NULL);
  g_clear_pointer (&reply, reply_free);
  reply = request_patch (fixture.server, path, tam_token, 1, "{\"text\":\"changed\"}");
  assert_problem (reply, 400, "text");
  g_clear_pointer (&reply, reply_free);
  reply = request_patch (fixture.server, path, tam_token, 1, "{\"read_at\":\"2099-12-05T01:02:00Z\"}");
  assert_status (reply, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (reply), "version"), ==, 2);
  g_clear_pointer (&reply, reply_free);
  reply = request_patch (fixture.server, path, tam_token, 1, "{\"read_at\":null}");
  assert_status (reply, 412);
  g_assert_true (feed_has_notification (&fixture, tam_token, id, &read));
  g_assert_cmpstr (json_object_get_string_member (read, "read_at"), ==, "2099-12-05T01:02:00Z");
  fixture_clear (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/deliveries/webhook-and-mail", test_webhook_and_mail);
  g_test_add_func ("/deliveries/restart-in-flight", test_restart_in_flight);
  g_test_add_func ("/deliveries/no-test-clock", test_no_test_clock);
  g_test_add_func ("/deliveries/notification", test_notification);
  return server_test_run ();
}
