/* sd-mailer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <curl/curl.h>
#include <string.h>

#include "sd-mailer.h"

#define CONNECT_TIMEOUT 30   /* seconds */
#define SEND_TIMEOUT    120  /* seconds, for the whole conversation */
#define WORD_BYTES      45   /* UTF-8 bytes per encoded word: 60 base64 characters… */
#define FIRST_WORD_BYTES 39  /* …after "Subject:", 52: every line stays under 78 */
#define BASE64_LINE     76

struct _SdMailer
{
  GObject      parent_instance;

  char        *url;
  char        *from;
  char        *password;  /* nullable: from a file */
  char        *ca_file;   /* nullable: the system's store otherwise */
  SdMailerTls  tls;
};

G_DEFINE_FINAL_TYPE (SdMailer, sd_mailer, G_TYPE_OBJECT)

/* A copy of an SdMail that a thread can own. */
typedef struct {
  SdMail  mail;
  GStrv   to;
  GStrv   headers;
  char   *subject;
  char   *body;
  char   *message_id;
} MailCopy;

typedef struct {
  const char *data;
  gsize       length;
  gsize       offset;
} Upload;

static gboolean
is_address (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0' || strlen (address) > 320)
    return FALSE;
  at = strchr (address, '@');
  if (at == NULL || at == address || at[1] == '\0' || strchr (at + 1, '@'))
    return FALSE;
  for (const char *p = address; *p; p++)
    if ((guchar) *p <= ' ' || strchr ("<>(),;:\"[]\\", *p))
      return FALSE;
  return TRUE;
}

/* A header value on one line: control characters (CR, LF) become spaces. */
static void
append_header (GString    *out,
               const char *name,
               const char *value)
{
  g_string_append (out, name);
  g_string_append (out, ": ");
  for (const char *p = value; *p; p++)
    g_string_append_c (out, (guchar) *p < ' ' ? ' ' : *p);
  g_string_append (out, "\r\n");
}

static gboolean
is_plain_ascii (const char *text)
{
  if (strstr (text, "=?") != NULL)
    return FALSE;
  for (const char *p = text; *p; p++)
    if ((guchar) *p < ' ' || (guchar) *p > '~')
      return FALSE;
  return TRUE;
}

/* RFC 2047: "=?UTF-8?B?…?=" words of whole characters, folded. */
static void
append_subject (GString    *out,
                const char *subject)
{
  g_autofree char *clean = g_utf8_make_valid (subject, -1);
  const char *p = clean;
  gsize limit = FIRST_WORD_BYTES;

  for (char *q = clean; *q; q++)
    if ((guchar) *q < ' ')
      *q = ' ';
  if (is_plain_ascii (clean))
    {
      append_header (out, "Subject", clean);
      return;
    }
  g_string_append (out, "Subject:");
  while (*p)
    {
      const char *end = p;
      g_autofree char *word = NULL;

      while (*end)
        {
          const char *next = g_utf8_next_char (end);

          if ((gsize) (next - p) > limit)
            break;
          end = next;
        }
      word = g_base64_encode ((const guchar *) p, end - p);
      g_string_append_printf (out, " =?UTF-8?B?%s?=\r\n", word);
      p = end;
      limit = WORD_BYTES;
    }
}

/* RFC 5322 date, in English whatever the locale. */
static void
append_date (GString *out,
             gint64   when)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) utc = when > 0 ? g_date_time_new_from_unix_utc (when)
                                      : g_date_time_new_now_utc ();

  g_string_append_printf (out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
                          days[g_date_time_get_day_of_week (utc) - 1],
                          g_date_time_get_day_of_month (utc),
                          months[g_date_time_get_month (utc) - 1],
                          g_date_time_get_year (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}

static void
append_body (GString    *out,
             const char *body)
{
  g_autofree char *valid = g_utf8_make_valid (body, -1);
  g_autoptr(GString) crlf = g_string_new (NULL);
  g_autofree char *encoded = NULL;
  gsize length;

  for (const char *p = valid; *p; p++)
    {
      if (*p == '\n' && (p == valid || p[-1] != '\r'))
        g_string_append_c (crlf, '\r');
      g_string_append_c (crlf, *p);
    }
  encoded = g_base64_encode ((const guchar *) crlf->str, crlf->len);
  length = strlen (encoded);
  for (gsize i = 0; i < length; i += BASE64_LINE)
    {
      g_string_append_len (out, encoded + i, MIN (BASE64_LINE, length - i));
      g_string_append (out, "\r\n");
    }
}

static size_t
upload_read_cb (char   *buffer,
                size_t  size,
                size_t  n_items,
                void   *user_data)
{
  Upload *upload = user_data;
  gsize n = MIN (size * n_items, upload->length - upload->offset);

  memcpy (buffer, upload->data + upload->offset, n);
  upload->offset += n;
  return n;
}

static int
progress_cb (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

static void
mail_copy_free (gpointer data)
{
  MailCopy *copy = data;

  g_strfreev (copy->to);
  g_strfreev (copy->headers);
  g_free (copy->subject);
  g_free (copy->body);
  g_free (copy->message_id);
  g_free (copy);
}

static MailCopy *
mail_copy (const SdMail *mail)
{
  MailCopy *copy = g_new0 (MailCopy, 1);

  copy->to = g_strdupv ((char **) mail->to);
  copy->headers = g_strdupv ((char **) mail->headers);
  copy->subject = g_strdup (mail->subject);
  copy->body = g_strdup (mail->body);
  copy->message_id = g_strdup (mail->message_id);
  copy->mail = (SdMail) {
    .to = (const char * const *) copy->to,
    .subject = copy->subject,
    .body = copy->body,
    .message_id = copy->message_id,
    .date = mail->date,
    .headers = (const char * const *) copy->headers,
  };
  return copy;
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  MailCopy *copy = task_data;
  GError *error = NULL;

  if (sd_mailer_send (source_object, &copy->mail, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
sd_mailer_finalize (GObject *object)
{
  SdMailer *self = SD_MAILER (object);

  g_free (self->url);
  g_free (self->from);
  if (self->password)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->ca_file);
  G_OBJECT_CLASS (sd_mailer_parent_class)->finalize (object);
}

static void
sd_mailer_class_init (SdMailerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_mailer_finalize;
}

static void
sd_mailer_init (SdMailer *self)
{
}

SdMailer *
sd_mailer_new (const char  *url,
               const char  *from,
               GError     **error)
{
  static gsize curl_ready = 0;
  SdMailer *self;

  g_return_val_if_fail (url != NULL, NULL);

  if (!g_str_has_prefix (url, "smtp://") && !g_str_has_prefix (url, "smtps://"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The SMTP relay “%s” is not an smtp:// or smtps:// URL", url);
      return NULL;
    }
  if (!is_address (from))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The sender “%s” is not an e-mail address", from ? from : "");
      return NULL;
    }
  /* curl_global_init is not thread-safe: once, before any thread sends. */
  if (g_once_init_enter (&curl_ready))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&curl_ready, 1);
    }

  self = g_object_new (SD_TYPE_MAILER, NULL);
  self->url = g_strdup (url);
  self->from = g_strdup (from);
  return self;
}

void
sd_mailer_set_tls (SdMailer    *self,
                   SdMailerTls  tls)
{
  g_return_if_fail (SD_IS_MAILER (self));
  self->tls = tls;
}

gboolean
sd_mailer_set_password_file (SdMailer    *self,
                             const char  *path,
                             GError     **error)
{
  g_autofree char *contents = NULL;

  g_return_val_if_fail (SD_IS_MAILER (self), FALSE);

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  contents[strcspn (contents, "\r\n")] = '\0';
  g_free (self->password);
  self->password = g_strdup (contents);
  memset (contents, 0, strlen (contents));
  return TRUE;
}

void
sd_mailer_set_ca_file (SdMailer   *self,
                       const char *path)
{
  g_return_if_fail (SD_IS_MAILER (self));
  g_free (self->ca_file);
  self->ca_file = g_strdup (path);
}

const char *
sd_mailer_get_from (SdMailer *self)
{
  g_return_val_if_fail (SD_IS_MAILER (self), NULL);
  return self->from;
}

char *
sd_mailer_compose (SdMailer     *self,
                   const SdMail *mail)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GString) to = g_string_new (NULL);
  g_autofree char *message_id = NULL;
  g_autofree char *random_id = NULL;

  g_return_val_if_fail (SD_IS_MAILER (self), NULL);

  for (guint i = 0; mail->to && mail->to[i]; i++)
    g_string_append_printf (to, "%s%s", i ? ", " : "", mail->to[i]);
  if (mail->message_id)
    message_id = g_strdup (mail->message_id);
  else
    {
      random_id = g_uuid_string_random ();
      message_id = g_strdup_printf ("%s@%s", random_id, strchr (self->from, '@') + 1);
    }
  append_date (out, mail->date);
  append_header (out, "From", self->from);
  append_header (out, "To", to->str);
  g_string_append_printf (out, "Message-ID: <%s>\r\n", message_id);
  append_subject (out, mail->subject ? mail->subject : "");
  for (guint i = 0; mail->headers && mail->headers[i] && mail->headers[i + 1]; i += 2)
    append_header (out, mail->headers[i], mail->headers[i + 1]);
  g_string_append (out, "MIME-Version: 1.0\r\n"
                        "Content-Type: text/plain; charset=UTF-8\r\n"
                        "Content-Transfer-Encoding: base64\r\n"
                        "\r\n");
  append_body (out, mail->body ? mail->body : "");
  return g_string_free (out, FALSE);
}

gboolean
sd_mailer_send (SdMailer      *self,
                const SdMail  *mail,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autofree char *message = NULL;
  g_autofree char *mail_from = NULL;
  struct curl_slist *recipients = NULL;
  char curl_error[CURL_ERROR_SIZE] = "";
  Upload upload;
  CURL *curl;
  CURLcode code;

  g_return_val_if_fail (SD_IS_MAILER (self), FALSE);

  if (mail->to == NULL || mail->to[0] == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "A mail needs a recipient");
      return FALSE;
    }
  for (guint i = 0; mail->to[i]; i++)
    {
      g_autofree char *rcpt = NULL;

      if (!is_address (mail->to[i]))
        {
          curl_slist_free_all (recipients);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” is not an e-mail address", mail->to[i]);
          return FALSE;
        }
      rcpt = g_strdup_printf ("<%s>", mail->to[i]);
      recipients = curl_slist_append (recipients, rcpt);
    }

  message = sd_mailer_compose (self, mail);
  upload = (Upload) { message, strlen (message), 0 };
  mail_from = g_strdup_printf ("<%s>", self->from);

  curl = curl_easy_init ();
  curl_easy_setopt (curl, CURLOPT_URL, self->url);
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, upload_read_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t) upload.length);
  curl_easy_setopt (curl, CURLOPT_USE_SSL,
                    self->tls == SD_MAILER_TLS_REQUIRED ? (long) CURLUSESSL_ALL : (long) CURLUSESSL_TRY);
  if (self->password)
    curl_easy_setopt (curl, CURLOPT_PASSWORD, self->password);
  if (self->ca_file)
    curl_easy_setopt (curl, CURLOPT_CAINFO, self->ca_file);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long) CONNECT_TIMEOUT);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long) SEND_TIMEOUT);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, curl_error);
  if (cancellable)
    {
      curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
      curl_easy_setopt (curl, CURLOPT_XFERINFODATA, cancellable);
      curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
    }

  code = curl_easy_perform (curl);
  curl_slist_free_all (recipients);
  curl_easy_cleanup (curl);

  if (code == CURLE_OK)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The SMTP relay did not take the mail: %s",
               *curl_error ? curl_error : curl_easy_strerror (code));
  return FALSE;
}

void
sd_mailer_send_async (SdMailer            *self,
                      const SdMail        *mail,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_MAILER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_mailer_send_async);
  g_task_set_task_data (task, mail_copy (mail), mail_copy_free);
  g_task_run_in_thread (task, send_thread);
}

gboolean
sd_mailer_send_finish (SdMailer      *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
