/* sd-cli.h — what the verbs of supportdesk-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include <supportdesk.h>

G_BEGIN_DECLS

#define EXIT_BAD_INPUT 2

typedef int (*VerbFunc) (int argc, char **argv);

typedef struct {
  const char *name;
  const char *summary;  /* N_() */
  VerbFunc    run;
} Verb;

/* One line on stderr; returns the exit status for bad input (2). */
int      sd_cli_fail          (const char      *format,
                               ...) G_GNUC_PRINTF (1, 2);
/* Runs the verb of @verbs named by argv[1]; prints them for --help. */
int      sd_cli_dispatch      (const char      *prefix,
                               const Verb      *verbs,
                               guint            n_verbs,
                               int              argc,
                               char           **argv);
/* An async call made synchronous: pass sd_cli_got_result_cb with the
 * address of a NULL GAsyncResult*, then sd_cli_wait_for() it (owned). */
void          sd_cli_got_result_cb (GObject        *object,
                                    GAsyncResult   *result,
                                    gpointer        user_data);
GAsyncResult *sd_cli_wait_for      (GAsyncResult  **slot);

/* Runs @context on argv; on failure prints one line and returns FALSE. */
gboolean sd_cli_parse_options (GOptionContext  *context,
                               int             *argc,
                               char          ***argv,
                               int             *status);

/* The account a command works on: --server and --login, or the only
 * signed-in one. */
typedef struct {
  char *server;
  char *login;
} SdCliAccountOptions;

void          sd_cli_account_options_clear (SdCliAccountOptions       *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdCliAccountOptions, sd_cli_account_options_clear)
void          sd_cli_add_account_options   (GOptionContext            *context,
                                            SdCliAccountOptions       *options);
/* The local copy of that account; on failure prints one line. */
SdLocalStore *sd_cli_open_account_store    (const SdCliAccountOptions *options,
                                            int                       *status);
/* The account the options name, or the only one signed in. */
gboolean      sd_cli_resolve_account       (const SdCliAccountOptions  *options,
                                            char                      **server,
                                            char                      **login,
                                            int                        *status);
/* The account's local store; NULL after printing the error. */
SdLocalStore *sd_cli_open_store            (const char                 *server,
                                            const char                 *login,
                                            int                        *status);

/* Accounts, the local store and sync (sd-cli-account.c). */
int      sd_cli_login         (int              argc,
                               char           **argv);
int      sd_cli_logout        (int              argc,
                               char           **argv);
int      sd_cli_sync          (int              argc,
                               char           **argv);
int      sd_cli_cases         (int              argc,
                               char           **argv);
int      sd_cli_case          (int              argc,
                               char           **argv);
/* Administration through the server's API (sd-cli-admin.c). */
int      sd_cli_admin         (int              argc,
                               char           **argv);
/* Reports (sd-cli-report.c). */
int      sd_cli_report        (int              argc,
                               char           **argv);

/* Health checks from the local copy (sd-cli-healthcheck.c). */
int      sd_cli_healthcheck   (int              argc,
                               char           **argv);

/* admin calendar import ID FILE (sd-cli-calendar.c) */
int      sd_cli_admin_calendar (int             argc,
                                char          **argv);

G_END_DECLS
