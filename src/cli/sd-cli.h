/* sd-cli.h — what the verbs of supportdesk-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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
/* Runs @context on argv; on failure prints one line and returns FALSE. */
gboolean sd_cli_parse_options (GOptionContext  *context,
                               int             *argc,
                               char          ***argv,
                               int             *status);

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

G_END_DECLS
