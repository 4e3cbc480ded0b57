/* test-mailer.c — SdMailer against a real SMTP server (aiosmtpd) on loopback:
 * recipients, a Chinese subject and body, STARTTLS with authentication,
 * a relay that cannot do TLS when TLS is required, and the message text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "sd-mailer.h"
#include "receiver-util.h"
#include "server-test-util.h"

#define SUBJECT "SD-2026-00038 即将超时：数据库无法启动"
#define BODY    "您好，\n\n案件 SD-2026-00038 的响应时限将在 10 分钟后到期。\nSeverity 1 — please respond.\n"

static void
assert_recipients (JsonObject  *message,
                   const char **expected)
{
  JsonArray *rcpt = json_object_get_array_member (message, "rcpt_tos");

  g_assert_cmpuint (json_array_get_length (rcpt), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    g_assert_cmpstr (json_array_get_string_element (rcpt, i), ==, expected[i]);
}

static void
test_send_chinese (void)
{
  g_autoptr(Receiver) sink = receiver_start ("smtp-sink.py", "smtp://", "", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMailer) mailer = sd_mailer_new (sink->url, "supportdesk@example.com", &error);
  g_autoptr(JsonObject) message = NULL;
  const char *to[] = { "li.na@example.com", "duty@example.com", NULL };
  const char *headers[] = { "X-SupportDesk-Delivery", "d-42", NULL };
  SdMail mail = { to, SUBJECT, BODY, "d-42@example.com", 0, headers };

  g_assert_no_error (error);
  g_assert_true (sd_mailer_send (mailer, &mail, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (receiver_count (sink), ==, 1);

  message = receiver_record (sink, 1);
  assert_recipients (message, to);
  g_assert_cmpstr (json_object_get_string_member (message, "mail_from"), ==, "supportdesk@example.com");
  g_assert_cmpstr (json_object_get_string_member (message, "subject"), ==, SUBJECT);
  /* The body went as CRLF lines; the sink gives back \n ones. */
  g_assert_cmpstr (json_object_get_string_member (message, "body"), ==, BODY);
  g_assert_cmpstr (json_object_get_string_member (message, "message_id"), ==, "<d-42@example.com>");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (message, "headers"),
                                                  "X-SupportDesk-Delivery"), ==, "d-42");
  g_assert_false (json_object_get_boolean_member (message, "tls"));
}

static void
test_starttls_auth (void)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "test-server.crt", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "test-server.key", NULL);
  g_autofree char *password_file = g_build_filename (tmpdir, "smtp-password", NULL);
  g_autoptr(Receiver) sink = receiver_start ("smtp-sink.py", "smtp://relay@", "", "--tls", cert, key, "--require-starttls",
                                     "--auth", "relay:s3cret 密码", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMailer) mailer = sd_mailer_new (sink->url, "supportdesk@example.com", &error);
  g_autoptr(SdMailer) wrong = sd_mailer_new (sink->url, "supportdesk@example.com", &error);
  g_autoptr(JsonObject) message = NULL;
  const char *to[] = { "admin@example.com", NULL };
  SdMail mail = { to, "Breached", "Plain ASCII body.\n", NULL, 0, NULL };

  g_assert_true (g_file_set_contents (password_file, "s3cret 密码\n", -1, NULL));
  g_assert_true (sd_mailer_set_password_file (mailer, password_file, &error));
  g_assert_no_error (error);
  sd_mailer_set_tls (mailer, SD_MAILER_TLS_REQUIRED);
  sd_mailer_set_ca_file (mailer, cert);

  /* Without the password the relay refuses the mail. */
  sd_mailer_set_ca_file (wrong, cert);
  g_assert_false (sd_mailer_send (wrong, &mail, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (receiver_count (sink), ==, 0);

  g_assert_true (sd_mailer_send (mailer, &mail, NULL, &error));
  g_assert_no_error (error);
  message = receiver_record (sink, 1);
  assert_recipients (message, to);
  g_assert_true (json_object_get_boolean_member (message, "tls"));
  g_assert_cmpstr (json_object_get_string_member (message, "login"), ==, "relay");
  g_assert_cmpstr (json_object_get_string_member (message, "subject"), ==, "Breached");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (message, "message_id"), "@example.com>"));
}

/* TLS required, and the relay offers no STARTTLS: nothing leaves in clear. */
static void
test_tls_required_refused (void)
{
  g_autoptr(Receiver) sink = receiver_start ("smtp-sink.py", "smtp://", "", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMailer) mailer = sd_mailer_new (sink->url, "supportdesk@example.com", &error);
  const char *to[] = { "admin@example.com", NULL };
  SdMail mail = { to, "Secret", "Not in clear text.\n", NULL, 0, NULL };

  sd_mailer_set_tls (mailer, SD_MAILER_TLS_REQUIRED);
  g_assert_false (sd_mailer_send (mailer, &mail, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (receiver_count (sink), ==, 0);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  *error = NULL;
  sd_mailer_send_finish (SD_MAILER (source), result, error);
}

/* The async call returns at once and completes on the caller's loop. */
static void
test_send_async (void)
{
  g_autoptr(Receiver) sink = receiver_start ("smtp-sink.py", "smtp://", "", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMailer) mailer = sd_mailer_new (sink->url, "supportdesk@example.com", &error);
  g_autoptr(JsonObject) message = NULL;
  g_autofree char *subject = g_strdup (SUBJECT);
  const char *to[] = { "li.na@example.com", NULL };
  SdMail mail = { to, subject, BODY, NULL, 0, NULL };
  GError *send_error = (GError *) 0x1;

  sd_mailer_send_async (mailer, &mail, NULL, sent_cb, &send_error);
  /* The mail was copied: the caller's strings may go. */
  memset (subject, 'x', strlen (subject));
  while (send_error == (GError *) 0x1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (send_error);
  message = receiver_record (sink, 1);
  g_assert_cmpstr (json_object_get_string_member (message, "subject"), ==, SUBJECT);
}

static void
test_compose (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMailer) mailer = sd_mailer_new ("smtp://127.0.0.1:1", "supportdesk@example.com", &error);
  const char *to[] = { "a@example.com", "b@example.com", NULL };
  const char *headers[] = { "X-Evil", "one\r\nBcc: victim@example.com", NULL };
  g_autofree char *long_subject = g_strnfill (40, 'x');
  g_autofree char *subject = g_strconcat (long_subject, "——超时——", long_subject, "案件", NULL);
  SdMail mail = { to, subject, "line\nline\n", "id@example.com", 1764910800, headers };
  g_autofree char *text = sd_mailer_compose (mailer, &mail);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);

  g_assert_cmpstr (lines[0], ==, "Date: Fri, 05 Dec 2025 05:00:00 +0000");
  g_assert_nonnull (strstr (text, "\r\nTo: a@example.com, b@example.com\r\n"));
  g_assert_nonnull (strstr (text, "\r\nMessage-ID: <id@example.com>\r\n"));
  /* A header value cannot start another header. */
  g_assert_null (strstr (text, "\r\nBcc:"));
  g_assert_nonnull (strstr (text, "Content-Transfer-Encoding: base64\r\n\r\n"));
  /* Every line of the encoded subject is short, and folded. */
  for (guint i = 0; lines[i]; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 78);
  g_assert_nonnull (strstr (text, "Subject: =?UTF-8?B?"));
  g_assert_nonnull (strstr (text, "?=\r\n =?UTF-8?B?"));

  g_assert_null (sd_mailer_new ("http://relay", "supportdesk@example.com", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (sd_mailer_new ("smtp://relay", "not an address", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  server_test_init (&argc, &argv);
  g_test_add_func ("/mailer/compose", test_compose);
  g_test_add_func ("/mailer/send-chinese", test_send_chinese);
  g_test_add_func ("/mailer/starttls-auth", test_starttls_auth);
  g_test_add_func ("/mailer/tls-required-refused", test_tls_required_refused);
  g_test_add_func ("/mailer/send-async", test_send_async);
  return server_test_run ();
}
