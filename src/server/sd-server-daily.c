/* sd-server-daily.c — POST /cases/{id}/daily-report: the daily report,
 * sent by the server's mailer and logged on the case's timeline
 *
 * The client writes the report (the documents layer, which the server
 * does not link) and the TAM may edit it; the server decides who gets it
 * (the customer's contacts who receive daily reports), sends it, and only
 * then records a daily_report_sent event, which restarts the case's
 * daily-report clock (sd-sla-ledger.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-server"

#include "config.h"

#include <string.h>

#include "sd-mailer.h"
#include "sd-server-private.h"

#define MAX_SUBJECT 300   /* characters */

typedef struct {
  SdServer          *server;       /* owned */
  SoupServerMessage *msg;          /* owned */
  SdUser            *user;         /* owned: who sends */
  char              *user_id;
  char              *session;
  char              *case_id;
  char              *customer_id;
  char              *idempotency;
  char              *subject;
  GStrv              recipients;
} DailySend;

static void
daily_send_free (DailySend *send)
{
  g_clear_object (&send->server);
  g_clear_object (&send->msg);
  g_clear_object (&send->user);
  g_free (send->user_id);
  g_free (send->session);
  g_free (send->case_id);
  g_free (send->customer_id);
  g_free (send->idempotency);
  g_free (send->subject);
  g_strfreev (send->recipients);
  g_free (send);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DailySend, daily_send_free)

/* The e-mail addresses of @customer_id's live contacts who receive the
 * daily report. */
static GStrv
daily_recipients (SdStore    *store,
                  const char *customer_id)
{
  const char * const customer_ids[] = { customer_id, NULL };
  SdStoreQuery query = { .customer_ids = customer_ids };
  g_autoptr(GPtrArray) records = sd_store_list (store, "contact", &query, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autoptr(JsonNode) node = record->body ? sd_json_parse (record->body, -1, NULL) : NULL;
      g_autoptr(SdContact) contact = node ? sd_contact_from_json (node, NULL, NULL) : NULL;

      if (contact != NULL && !sd_contact_get_archived (contact)
          && g_strcmp0 (sd_contact_get_customer_id (contact), customer_id) == 0
          && (sd_contact_get_roles (contact) & SD_CONTACT_ROLE_DAILY_REPORT) != 0)
        g_strv_builder_add (builder, sd_contact_get_email (contact));
    }
  return g_strv_builder_end (builder);
}

static gboolean
get_text (SdRequest   *req,
          JsonObject  *body,
          const char  *field,
          glong        max,
          const char **out)
{
  g_autoptr(GError) error = NULL;

  if (!sd_json_get_text (body, "daily_report", field, TRUE, out, &error)
      || !_sd_check_text_length (*out, "daily_report", field, max, &error))
    {
      _sd_respond_invalid (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
mail_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DailySend) send = user_data;
  SdRequest req = { .server = send->server, .msg = send->msg, .store = send->server->store,
                    .calendars = send->server->calendars,
                    .user_id = send->user_id, .session = send->session, .user = send->user };
  g_autoptr(SdCaseEvent) event = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GArray) prior = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;

  if (!sd_mailer_send_finish (SD_MAILER (object), result, &error))
    {
      g_autofree char *detail = g_strdup_printf ("The mail relay refused the daily report: %s", error->message);

      _sd_respond_problem (&req, SOUP_STATUS_BAD_GATEWAY, "mail-failed", "The daily report was not sent",
                           detail, NULL);
      soup_server_message_unpause (send->msg);
      return;
    }

  /* Sent: the timeline says so, with the server's time. */
  event = sd_case_event_new_daily_report_sent (send->case_id, send->user_id,
                                               g_get_real_time () / G_USEC_PER_SEC,
                                               SD_REPORT_CHANNEL_EMAIL, send->subject);
  _sd_request_audit_begin (&req);
  if (sd_store_begin (req.store, &error))
    {
      prior = _sd_sla_record_before (&req, send->case_id);
      record = _sd_append_event (&req, event, send->customer_id, send->idempotency, &error);
      if (record != NULL && !_sd_sla_record_write (&req, send->case_id, prior, &error))
        g_clear_pointer (&record, sd_store_record_free);
      if (record == NULL || !sd_store_commit (req.store, &error))
        {
          sd_store_rollback (req.store);
          g_clear_pointer (&record, sd_store_record_free);
        }
    }
  _sd_request_audit_end (&req);
  if (record == NULL)
    _sd_respond_store_error (&req, error);
  else
    {
      location = g_strconcat (API_PREFIX "/cases/", send->case_id, "/events/", record->id, NULL);
      _sd_respond_created (&req, record, location);
    }
  soup_server_message_unpause (send->msg);
  /* What the request computed on the way, as the main handler drops it. */
  g_strfreev (req.visible);
  g_clear_pointer (&req.contexts, g_hash_table_unref);
}

/* POST /cases/{id}/daily-report {"subject", "body"}: mails the report to
 * the customer's daily-report contacts, then records daily_report_sent. */
void
_sd_handle_send_daily_report (SdRequest *req)
{
  static const char * const fields[] = { "subject", "body", NULL };
  g_autoptr(SdStoreRecord) kase = _sd_request_get_visible (req, "case", req->params->pdata[0]);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DailySend) send = NULL;
  g_autofree char *idempotency = NULL;
  const char *subject = NULL;
  const char *text = NULL;
  SdMail mail = { 0 };
  JsonObject *body;

  if (kase == NULL || !_sd_request_idempotency (req, &idempotency) || !(body = _sd_read_body (req, &root)))
    return;
  if (!sd_json_check_fields (body, "daily_report", fields, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (!get_text (req, body, "subject", MAX_SUBJECT, &subject) || !get_text (req, body, "body", MAX_COMMENT, &text))
    return;
  if (strpbrk (subject, "\r\n") != NULL)
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “daily_report.subject” is one line", "daily_report.subject");
      return;
    }
  if (req->server->mailer == NULL)
    {
      _sd_respond_problem (req, SOUP_STATUS_SERVICE_UNAVAILABLE, "mail-not-configured",
                           "The server cannot send mail",
                           "The server was started without --smtp: no daily report can be sent from it", NULL);
      return;
    }

  send = g_new0 (DailySend, 1);
  send->recipients = daily_recipients (req->store, kase->customer_id);
  if (send->recipients[0] == NULL)
    {
      _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "no-recipients", "Nobody receives this customer's daily report",
                           "No contact of the customer has the role daily_report: an administrator adds one",
                           NULL);
      return;
    }
  send->server = g_object_ref (req->server);
  send->msg = g_object_ref (req->msg);
  send->user = req->user ? g_object_ref (req->user) : NULL;
  send->user_id = g_strdup (req->user_id);
  send->session = g_strdup (req->session);
  send->case_id = g_strdup (kase->id);
  send->customer_id = g_strdup (kase->customer_id);
  send->idempotency = g_steal_pointer (&idempotency);
  send->subject = g_strdup (subject);

  mail.to = (const char * const *) send->recipients;
  mail.subject = subject;
  mail.body = text;
  soup_server_message_pause (req->msg);
  sd_mailer_send_async (req->server->mailer, &mail, NULL, mail_sent_cb, send);
  send = NULL;   /* the callback owns it */
}
