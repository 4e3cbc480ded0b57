/* main.c — supportdesk-server
 *
 * PATH is an SQLite file or a PostgreSQL URI (postgresql://…).
 *
 *   supportdesk-server --db PATH [--init] [--listen 127.0.0.1:8080]
 *                      [--tls-cert FILE --tls-key FILE] [--demo]
 *                      [--smtp URL --smtp-from ADDRESS [--smtp-starttls=required]
 *                       [--smtp-password-file FILE] [--smtp-ca-file FILE]]
 *                      [--webhook URL --webhook-secret-file FILE] [--test-clock]
 *   supportdesk-server user add --db PATH --login L --role ROLE [--name NAME]
 *   supportdesk-server audit verify --db PATH
 *   supportdesk-server backup --db PATH FILE
 *   supportdesk-server restore [--replace] --db PATH FILE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include "sd-auth.h"
#include "sd-demo.h"
#include "sd-server.h"
#include "sd-store-backup.h"
#include "sd-store-open.h"

static int
fail (const char *message)
{
  g_printerr ("supportdesk-server: %s\n", message);
  return 2;
}

/* One line from standard input; on a terminal, asked for and not echoed. */
static char *
read_password (void)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  GString *line = g_string_new (NULL);
  int c;

  if (tty)
    {
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
      g_printerr ("Password: ");
    }
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }
  return g_string_free (line, FALSE);
}

static int
user_add (int    argc,
          char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *login = NULL;
  g_autofree char *role = NULL;
  g_autofree char *name = NULL;
  g_autofree char *password = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The SQLite database or postgresql:// URI", "PATH" },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, "The sign-in name", "LOGIN" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "tam, duty_manager, engineer or admin", "ROLE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The display name (default: the login)", "NAME" },
    { NULL }
  };

  context = g_option_context_new ("— add a user; the password is read from standard input");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (db == NULL || login == NULL || role == NULL)
    return fail ("user add needs --db, --login and --role");

  if (!(store = sd_store_open_db (db, TRUE, &error)))
    return fail (error->message);
  password = read_password ();
  if (!sd_server_add_user (store, login, name, role, password, &id, &error))
    return fail (error->message);
  memset (password, 0, strlen (password));
  g_print ("%s\n", id);
  return 0;
}

/* Recomputes the audit log's hash chain: 0 when it holds, 1 at the first
 * broken row, 2 when the database cannot be read. */
static int
audit_verify (int    argc,
              char **argv)
{
  g_autofree char *db = NULL;
  g_autofree char *head = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  gint64 n_rows = 0, broken = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The SQLite database or postgresql:// URI", "PATH" },
    { NULL }
  };

  context = g_option_context_new ("— recompute the audit log's hash chain");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (db == NULL)
    return fail ("audit verify needs --db");
  if (!(store = sd_store_open_db (db, FALSE, &error)))
    return fail (error->message);
  if (sd_store_verify_audit (store, &n_rows, &head, &broken, &reason, &error))
    {
      g_print ("%" G_GINT64_FORMAT " rows, chain intact\n", n_rows);
      g_print ("head %s\n", head);
      return 0;
    }
  if (broken == 0)
    return fail (error->message);
  g_print ("broken at row %" G_GINT64_FORMAT ": %s\n", broken, reason);
  return 1;
}

/* backup: an online copy of an SQLite store; restore: a checked backup
 * put in place. 0 on success, 2 on failure. */
static int
backup_or_restore (gboolean   restore,
                   int        argc,
                   char     **argv)
{
  g_autofree char *db = NULL;
  gboolean replace = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_rows = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The SQLite database", "PATH" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "Restore over an existing database (its servers stopped)", NULL },
    { NULL }
  };

  context = g_option_context_new (restore ? "FILE — check the backup FILE and restore it to --db"
                                          : "FILE — copy the database into FILE while servers run");
  if (!restore)
    entries[1] = entries[2];  /* no --replace */
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (db == NULL || argc != 2)
    return fail (restore ? "restore needs --db PATH and the backup FILE" : "backup needs --db PATH and a FILE");
  if (restore ? !sd_store_restore (argv[1], db, replace, &n_rows, &error)
              : !sd_store_backup (db, argv[1], &n_rows, &error))
    return fail (error->message);
  g_print ("%s: %" G_GINT64_FORMAT " audit rows, chain intact\n", restore ? db : argv[1], n_rows);
  return 0;
}

/* Every connection is a descriptor: take all the system allows. */
static void
raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_warning ("could not raise the limit of open files");
    }
}

/* The relay from --smtp and its options; NULL with no error when there is none. */
static SdMailer *
mailer_from_options (const char  *url,
                     const char  *from,
                     const char  *starttls,
                     const char  *password_file,
                     const char  *ca_file,
                     GError     **error)
{
  g_autoptr(SdMailer) mailer = NULL;

  if (url == NULL)
    {
      if (from || starttls || password_file || ca_file)
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                             "the --smtp-… options need --smtp URL");
      return NULL;
    }
  if (from == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--smtp needs --smtp-from ADDRESS");
      return NULL;
    }
  if (starttls && !g_str_equal (starttls, "auto") && !g_str_equal (starttls, "required"))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "--smtp-starttls takes auto or required");
      return NULL;
    }
  if (!(mailer = sd_mailer_new (url, from, error)))
    return NULL;
  if (starttls && g_str_equal (starttls, "required"))
    sd_mailer_set_tls (mailer, SD_MAILER_TLS_REQUIRED);
  if (password_file && !sd_mailer_set_password_file (mailer, password_file, error))
    return NULL;
  if (ca_file)
    sd_mailer_set_ca_file (mailer, ca_file);
  return g_steal_pointer (&mailer);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *db = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *key_file = NULL;
  gboolean demo = FALSE;
  gboolean init = FALSE;
  gboolean list_routes = FALSE;
  g_autofree char *smtp = NULL;
  g_autofree char *smtp_from = NULL;
  g_autofree char *smtp_starttls = NULL;
  g_autofree char *smtp_password_file = NULL;
  g_autofree char *smtp_ca_file = NULL;
  g_autoptr(SdMailer) mailer = NULL;
  g_autofree char *webhook = NULL;
  g_autofree char *webhook_secret_file = NULL;
  g_autofree char *webhook_secret = NULL;
  gboolean test_clock = FALSE;
  int demo_cases = SD_DEMO_DEFAULT_CASES;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The SQLite database or postgresql:// URI (it must exist unless --init or --demo)", "PATH" },
    { "init", 0, 0, G_OPTION_ARG_NONE, &init, "Create the database if it does not exist", NULL },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address and port (default 127.0.0.1:8080; port 0 picks a free one)", "ADDRESS:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, "Serve HTTPS with this PEM certificate", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "The certificate's PEM private key", "FILE" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Fill an empty database (created when missing) with demo data and print the demo logins", NULL },
    { "demo-cases", 0, 0, G_OPTION_ARG_INT, &demo_cases, "How many cases --demo creates (default 300)", "N" },
    { "list-routes", 0, 0, G_OPTION_ARG_NONE, &list_routes, "Print every route (METHOD /api/v1/path) and exit", NULL },
    { "smtp", 0, 0, G_OPTION_ARG_STRING, &smtp, "Send mail through this relay: smtp://[user[:password]@]host[:port] (STARTTLS when offered) or smtps://…", "URL" },
    { "smtp-from", 0, 0, G_OPTION_ARG_STRING, &smtp_from, "The sender of the server's mail", "ADDRESS" },
    { "smtp-starttls", 0, 0, G_OPTION_ARG_STRING, &smtp_starttls, "auto (default: when the relay offers it) or required", "WHEN" },
    { "smtp-password-file", 0, 0, G_OPTION_ARG_FILENAME, &smtp_password_file, "Read the relay's password from this file (the user is in the URL)", "FILE" },
    { "smtp-ca-file", 0, 0, G_OPTION_ARG_FILENAME, &smtp_ca_file, "Verify the relay's certificate with these PEM certificates", "FILE" },
    { "webhook", 0, 0, G_OPTION_ARG_STRING, &webhook, "POST every notification to this URL, signed (X-SupportDesk-Signature)", "URL" },
    { "webhook-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &webhook_secret_file, "The webhook's signing secret: the first line of FILE", "FILE" },
    { "test-clock", 0, 0, G_OPTION_ARG_NONE, &test_clock, "For tests only: POST /api/v1/test/clock sets the server's time", NULL },
    { NULL }
  };
  g_autofree char *host = NULL;
  guint port;

  setlocale (LC_ALL, "");
  /* The mailer's TLS connections may write to a relay that hung up:
   * that is an error to report, not a reason to die. */
  signal (SIGPIPE, SIG_IGN);
  if (!sd_auth_init (&error))
    return fail (error->message);

  if (argc >= 3 && g_str_equal (argv[1], "user") && g_str_equal (argv[2], "add"))
    return user_add (argc - 2, argv + 2);
  if (argc >= 3 && g_str_equal (argv[1], "audit") && g_str_equal (argv[2], "verify"))
    return audit_verify (argc - 2, argv + 2);
  if (argc >= 2 && (g_str_equal (argv[1], "backup") || g_str_equal (argv[1], "restore")))
    return backup_or_restore (g_str_equal (argv[1], "restore"), argc - 1, argv + 1);

  context = g_option_context_new ("— the SupportDesk REST backend (/api/v1)");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
                                    "Subcommands:\n"
                                    "  user add --db PATH --login L --role ROLE   add a user (password on stdin)\n"
                                    "  audit verify --db PATH                     recompute the audit log's hash chain\n"
                                    "  backup --db PATH FILE                      copy an SQLite database while it runs\n"
                                    "  restore [--replace] --db PATH FILE         check a backup and restore it\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf ("unknown argument “%s”", argv[1]);
      return fail (message);
    }
  if (list_routes)
    {
      for (const SdServerRoute *route = sd_server_get_routes (); route->method; route++)
        g_print ("%s /api/v1%s\n", route->method, route->path);
      return 0;
    }
  if (db == NULL)
    return fail ("--db PATH is required");
  if ((cert_file == NULL) != (key_file == NULL))
    return fail ("--tls-cert and --tls-key go together");

  /* A database that went missing is an error, not a fresh start. */
  store = sd_store_open_db (db, init || demo, &error);
  if (store == NULL)
    {
      g_autofree char *message = g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND)
        ? g_strdup_printf ("%s (create one with --init, or with “user add”)", error->message)
        : g_strdup (error->message);

      return fail (message);
    }

  raise_file_limit ();
  if (cert_file != NULL
      && !(certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error)))
    return fail (error->message);

  mailer = mailer_from_options (smtp, smtp_from, smtp_starttls, smtp_password_file, smtp_ca_file, &error);
  if (error != NULL)
    return fail (error->message);

  if ((webhook == NULL) != (webhook_secret_file == NULL))
    return fail ("--webhook and --webhook-secret-file go together");
  if (webhook_secret_file != NULL)
    {
      if (!g_file_get_contents (webhook_secret_file, &webhook_secret, NULL, &error))
        return fail (error->message);
      webhook_secret[strcspn (webhook_secret, "\r\n")] = '\0';
      if (*webhook_secret == '\0')
        return fail ("the webhook secret file is empty");
    }

  server = sd_server_new (store);
  sd_server_set_mailer (server, mailer);
  if (webhook != NULL)
    sd_server_add_webhook (server, webhook, webhook_secret);
  sd_server_set_test_clock (server, test_clock);

  if (demo_cases < 0 || demo_cases > 1000000)
    return fail ("--demo-cases takes 0 to 1000000");
  if (demo && !sd_demo_fill (store, demo_cases, &error))
    return fail (error->message);

  if (!(port = sd_server_listen (server, listen ? listen : "127.0.0.1:8080", certificate, &error)))
    return fail (error->message);

  /* The test harness and scripts read this line to find the port. */
  host = listen && strrchr (listen, ':') ? g_strndup (listen, strrchr (listen, ':') - listen)
                                         : g_strdup ("127.0.0.1");
  g_print ("supportdesk-server listening on %s://%s:%u/api/v1\n",
           certificate ? "https" : "http", host, port);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
