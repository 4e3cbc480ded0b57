/* sd-mailer.h — sends mail through an SMTP relay (libcurl)
 *
 * The relay is a URL: smtp://host[:port] upgrades to TLS with STARTTLS
 * when the relay offers it (or insists on it with
 * SD_MAILER_TLS_REQUIRED), smtps://host[:port] speaks TLS from the first
 * byte. A user and password may be in the URL (smtp://user:pass@host) or
 * the password may come from a file. Messages are UTF-8 plain text: the
 * subject is an RFC 2047 encoded word when it is not ASCII, the body is
 * base64, and every message has a Date and a Message-ID.
 *
 * An SdMailer does not change once configured; sending blocks, so it runs
 * in a worker thread (sd_mailer_send_async() or a caller's own thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_TYPE_MAILER (sd_mailer_get_type ())

G_DECLARE_FINAL_TYPE (SdMailer, sd_mailer, SD, MAILER, GObject)

typedef enum {
  SD_MAILER_TLS_AUTO,      /* smtp://: STARTTLS when offered; smtps://: always */
  SD_MAILER_TLS_REQUIRED,  /* no mail leaves in clear text */
} SdMailerTls;

typedef struct {
  const char * const *to;          /* NULL-terminated addresses */
  const char         *subject;     /* UTF-8 */
  const char         *body;        /* UTF-8, lines end in \n */
  const char         *message_id;  /* nullable: without <>, a random one otherwise */
  gint64              date;        /* Unix seconds; 0: now */
  const char * const *headers;     /* nullable: name, value, …, NULL (ASCII) */
} SdMail;

/* NULL with an error when @url is not smtp:// or smtps:// or @from is
 * not an address. */
SdMailer   *sd_mailer_new               (const char           *url,
                                         const char           *from,
                                         GError              **error);
void        sd_mailer_set_tls           (SdMailer             *self,
                                         SdMailerTls           tls);
/* The password, read from the first line of @path (the user stays in the URL). */
gboolean    sd_mailer_set_password_file (SdMailer             *self,
                                         const char           *path,
                                         GError              **error);
/* A PEM bundle to verify the relay's certificate with, instead of the system's. */
void        sd_mailer_set_ca_file       (SdMailer             *self,
                                         const char           *path);
const char *sd_mailer_get_from          (SdMailer             *self);
/* The message as it goes on the wire (CRLF line ends). */
char       *sd_mailer_compose           (SdMailer             *self,
                                         const SdMail         *mail);
/* Blocks until the relay accepted or refused the message: worker threads only. */
gboolean    sd_mailer_send              (SdMailer             *self,
                                         const SdMail         *mail,
                                         GCancellable         *cancellable,
                                         GError              **error);
/* Sends in a thread of GTask's pool; @mail is copied. */
void        sd_mailer_send_async        (SdMailer             *self,
                                         const SdMail         *mail,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean    sd_mailer_send_finish       (SdMailer             *self,
                                         GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
