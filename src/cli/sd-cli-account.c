/* sd-cli-account.c — login, logout, sync, cases, case
 *
 * The same keyring items and local store as the app: an edit made here
 * goes through the outbox and is sent by the next sync, from here or from
 * the app.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <supportdesk.h>

#include "sd-cli.h"

#define EXIT_NOT_IN_SYNC 1

void
sd_cli_account_options_clear (SdCliAccountOptions *options)
{
  g_clear_pointer (&options->server, g_free);
  g_clear_pointer (&options->login, g_free);
}

void
sd_cli_add_account_options (GOptionContext      *context,
                            SdCliAccountOptions *options)
{
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &options->server,
      N_("The server, e.g. https://desk.example.com (default: the only signed-in account)"), N_("URL") },
    { "login", 0, 0, G_OPTION_ARG_STRING, &options->login,
      N_("The login (default: the only signed-in account)"), N_("LOGIN") },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* The signed-in account to use: the one named by the options, or the
 * only one there is. */
gboolean
sd_cli_resolve_account (const SdCliAccountOptions  *options,
                 char                      **server,
                 char                      **login,
                 int                        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = sd_credentials_list_accounts_sync (NULL, &error);
  SdCredentialsAccount *found = NULL;
  guint matches = 0;

  if (accounts == NULL)
    {
      *status = sd_cli_fail ("%s", error->message);
      return FALSE;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      SdCredentialsAccount *account = accounts->pdata[i];

      if ((options->server == NULL || sd_server_url_equal (options->server, account->server))
          && (options->login == NULL || g_str_equal (options->login, account->login)))
        {
          found = account;
          matches++;
        }
    }

  if (matches == 0)
    {
      *status = sd_cli_fail (_("Not signed in: run “supportdesk-cli login --server URL --login LOGIN” first"));
      return FALSE;
    }
  if (matches > 1)
    {
      *status = sd_cli_fail (_("Several accounts are signed in: choose one with --server and --login"));
      return FALSE;
    }
  *server = g_strdup (found->server);
  *login = g_strdup (found->login);
  return TRUE;
}

SdLocalStore *
sd_cli_open_store (const char  *server,
                   const char  *login,
                   int         *status)
{
  g_autofree char *path = sd_sync_engine_store_path (server, login);
  g_autoptr(GError) error = NULL;
  SdLocalStore *store = sd_local_store_open (path, &error);

  if (store == NULL)
    *status = sd_cli_fail ("%s", error->message);
  return store;
}

SdLocalStore *
sd_cli_open_account_store (const SdCliAccountOptions *options,
                           int                       *status)
{
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;

  if (!sd_cli_resolve_account (options, &server, &login, status))
    return NULL;
  return sd_cli_open_store (server, login, status);
}

static char *
read_password (void)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  GString *line = g_string_new (NULL);
  int c;

  if (tty)
    {
      g_printerr ("%s", _("Password: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      g_printerr ("\n");
    }
  return g_string_free (line, FALSE);
}

/* login */

int
sd_cli_login (int    argc,
              char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autofree char *password = NULL;
  gboolean insecure = FALSE;
  int status = 0;
  GOptionEntry entries[] = {
    { "accept-invalid-certificate", 0, 0, G_OPTION_ARG_NONE, &insecure,
      N_("Trust the server's certificate even if it is not valid (for test servers only)"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Signs in to a SupportDesk server. The password is read from "
                                           "standard input, or asked for on a terminal; the sign-in token "
                                           "goes to the keyring."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;
  if (options.server == NULL || options.login == NULL)
    return sd_cli_fail (_("login needs --server and --login"));

  /* The same sign-in as the app's: token to the keyring, local copy opened. */
  password = read_password ();
  sd_account_sign_in_async (options.server, options.login, password, FALSE, insecure, NULL,
                            sd_cli_got_result_cb, &result);
  account = sd_account_sign_in_finish (sd_cli_wait_for (&result), &error);
  memset (password, 0, strlen (password));
  if (account == NULL)
    {
      g_printerr ("supportdesk-cli: %s\n", error->message);
      return EXIT_NOT_IN_SYNC;
    }

  /* Translators: "Signed in as li.na on https://desk.example.com/api/v1" */
  g_print (_("Signed in as %s on %s\n"), sd_account_get_login (account), sd_account_get_server (account));
  return EXIT_SUCCESS;
}

/* logout */

int
sd_cli_logout (int    argc,
               char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autofree char *token = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gboolean delete_cache = FALSE;
  int status = 0;
  GOptionEntry entries[] = {
    { "delete-cache", 0, 0, G_OPTION_ARG_NONE, &delete_cache,
      N_("Also delete the local copy of the account's data, unsent edits included"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Signs out: ends the session on the server and removes the "
                                           "token from the keyring."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status)
      || !sd_cli_resolve_account (&options, &server, &login, &status))
    return status;

  /* The session ends here even when the server cannot be told. */
  token = sd_credentials_lookup_token_sync (server, login, NULL, NULL);
  if (!(account = sd_account_open (server, login, token, &error)))
    return sd_cli_fail ("%s", error->message);
  sd_account_sign_out_async (account, delete_cache, NULL, sd_cli_got_result_cb, &result);
  if (!sd_account_sign_out_finish (account, sd_cli_wait_for (&result), &error))
    return sd_cli_fail ("%s", error->message);

  g_print (_("Signed out of %s\n"), server);
  return EXIT_SUCCESS;
}

/* sync */

int
sd_cli_sync (int    argc,
             char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autofree char *token = NULL;
  gboolean insecure = FALSE;
  guint pending = 0, conflicts = 0, attention = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "accept-invalid-certificate", 0, 0, G_OPTION_ARG_NONE, &insecure,
      N_("Trust the server's certificate even if it is not valid (for test servers only)"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Sends the edits waiting in the outbox and fetches what changed "
                                           "on the server. Exits with 0 when everything is in sync."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status)
      || !sd_cli_resolve_account (&options, &server, &login, &status))
    return status;

  if (!(token = sd_credentials_lookup_token_sync (server, login, NULL, &error)))
    {
      g_printerr ("supportdesk-cli: %s\n", error ? error->message : _("The sign-in has expired: sign in again"));
      return EXIT_NOT_IN_SYNC;
    }
  if (!(account = sd_account_open (server, login, token, &error)))
    return sd_cli_fail ("%s", error->message);
  sd_rest_client_set_accept_invalid_certificate (sd_account_get_client (account), insecure);

  sd_sync_engine_sync_async (sd_account_get_engine (account), NULL, sd_cli_got_result_cb, &result);
  if (!sd_sync_engine_sync_finish (sd_account_get_engine (account), sd_cli_wait_for (&result), &error))
    {
      g_printerr (_("supportdesk-cli: not in sync: %s\n"), error->message);
      return EXIT_NOT_IN_SYNC;
    }

  if (!sd_local_store_get_counts (sd_account_get_store (account), &pending, &conflicts, &attention, &error))
    return sd_cli_fail ("%s", error->message);
  if (conflicts > 0 || attention > 0)
    {
      /* Translators: both counts come first, the hint after */
      g_printerr (_("supportdesk-cli: not in sync: %u conflicting edits and %u edits the server refused; "
                    "resolve them in SupportDesk\n"), conflicts, attention);
      return EXIT_NOT_IN_SYNC;
    }
  g_print (_("In sync with %s\n"), server);
  return EXIT_SUCCESS;
}

/* cases list */

/* @text padded to @columns terminal columns (a CJK character takes two). */
static char *
pad (const char *text,
     guint       columns)
{
  GString *cell = g_string_new (text);
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  while (width++ < columns)
    g_string_append_c (cell, ' ');
  return g_string_free (cell, FALSE);
}

static int
compare_numbers (gconstpointer a,
                 gconstpointer b)
{
  SdCase *ca = *(SdCase **) a;
  SdCase *cb = *(SdCase **) b;

  return g_strcmp0 (sd_case_get_number (ca), sd_case_get_number (cb));
}

static int
cases_list (int    argc,
            char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  gboolean as_json = FALSE;
  int status = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print the cases as a JSON array"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Lists the cases in the local copy (as of the last sync, "
                                           "with your unsent edits)."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!sd_cli_parse_options (context, &argc, &argv, &status)
      || !sd_cli_resolve_account (&options, &server, &login, &status)
      || !(store = sd_cli_open_store (server, login, &status)))
    return status;

  if (!(bodies = sd_local_store_list (store, "case", NULL, &error)))
    return sd_cli_fail ("%s", error->message);

  if (as_json)
    {
      g_autoptr(JsonNode) array = json_node_new (JSON_NODE_ARRAY);
      g_autofree char *text = NULL;

      json_node_take_array (array, json_array_new ());
      for (guint i = 0; i < bodies->len; i++)
        json_array_add_element (json_node_get_array (array), json_node_copy (bodies->pdata[i]));
      text = sd_json_to_string (array, TRUE);
      g_print ("%s\n", text);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < bodies->len; i++)
    {
      SdCase *kase = sd_case_from_json (bodies->pdata[i], NULL, NULL);

      if (kase != NULL)
        g_ptr_array_add (cases, kase);
    }
  g_ptr_array_sort (cases, compare_numbers);
  for (guint i = 0; i < cases->len; i++)
    {
      SdCase *kase = cases->pdata[i];
      const char *number = sd_case_get_number (kase);

      g_autofree char *number_cell = pad (number ? number : _("(unsent)"), 14);
      g_autofree char *severity_cell = pad (sd_severity_get_label (sd_case_get_severity (kase)), 8);
      g_autofree char *status_cell = pad (sd_case_status_get_label (sd_case_get_status (kase)), 20);

      g_print ("%s %s%d %s %s %s\n", number_cell,
               /* Translators: a severity in a listing, e.g. "S1" */
               C_("severity abbreviation", "S"), sd_case_get_severity (kase),
               severity_cell, status_cell, sd_case_get_title (kase));
    }
  return EXIT_SUCCESS;
}

/* case update */

/* Whether @status stops the SLA clock of @kase's customer: the policy of
 * its tier in the local copy, else the contract's default. */
static gboolean
status_pauses (SdLocalStore *store,
               JsonObject   *kase,
               SdCaseStatus  status)
{
  const char *customer_id = json_object_get_string_member_with_default (kase, "customer_id", NULL);
  g_autoptr(JsonNode) customer_node = customer_id ? sd_local_store_get (store, "customer", customer_id, NULL) : NULL;
  g_autoptr(SdCustomer) customer = customer_node ? sd_customer_from_json (customer_node, NULL, NULL) : NULL;
  g_autoptr(GPtrArray) policies = sd_local_store_list (store, "sla_policy", NULL, NULL);
  SdTier tier = customer ? sd_customer_get_tier (customer) : SD_TIER_STANDARD;
  g_autoptr(SdSlaPolicy) policy = NULL;

  for (guint i = 0; policies != NULL && i < policies->len && policy == NULL; i++)
    {
      g_autoptr(SdSlaPolicy) candidate = sd_sla_policy_from_json (policies->pdata[i], NULL, NULL);

      if (candidate != NULL && sd_sla_policy_get_tier (candidate) == tier)
        policy = g_steal_pointer (&candidate);
    }
  if (policy == NULL)
    policy = sd_sla_policy_new_for_tier (tier);
  return sd_sla_policy_is_pausing_status (policy, status);
}

/* The case @wanted (number or id) in the local copy: @found points into
 * the returned list; NULL with @status set when there is none. */
static GPtrArray *
find_case (SdLocalStore  *store,
           const char    *wanted,
           JsonObject   **found,
           int           *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bodies = NULL;

  *found = NULL;
  if (!(bodies = sd_local_store_list (store, "case", NULL, &error)))
    {
      *status = sd_cli_fail ("%s", error->message);
      return NULL;
    }
  for (guint i = 0; i < bodies->len && *found == NULL; i++)
    {
      JsonObject *object = json_node_get_object (bodies->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, "id", NULL), wanted) == 0
          || g_strcmp0 (json_object_get_string_member_with_default (object, "number", NULL), wanted) == 0)
        *found = object;
    }
  if (*found == NULL)
    {
      *status = sd_cli_fail (_("No case “%s” in the local copy (run “supportdesk-cli sync”?)"), wanted);
      return NULL;
    }
  return g_steal_pointer (&bodies);
}

static int
case_update (int    argc,
             char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autofree char *status_name = NULL;
  g_autofree char *reason = NULL;
  JsonObject *found = NULL;
  const char *wanted;
  int severity = 0;
  int status = 0;
  SdCaseStatus case_status;
  GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_name,
      N_("The new status: new, in_progress, waiting_customer, resolved or closed"), N_("STATUS") },
    { "severity", 0, 0, G_OPTION_ARG_INT, &severity, N_("The new severity, 1 to 4 (needs --reason)"), N_("N") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why, for the case's timeline"), N_("TEXT") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Changes a case in the local copy and queues the change; the next "
                                           "sync sends it. ID is the case's number (SD-2026-00042) or id."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sd_cli_fail ("%s", error->message);
  if (argc != 2)
    return sd_cli_fail (_("case update needs the case's number or id"));
  wanted = argv[1];
  if (status_name == NULL && severity == 0)
    return sd_cli_fail (_("Nothing to change: give --status or --severity"));
  if (status_name != NULL && !sd_case_status_from_string (status_name, &case_status))
    return sd_cli_fail (_("Unknown status “%s”"), status_name);
  if (severity != 0 && !sd_severity_is_valid (severity))
    return sd_cli_fail (_("Severity must be 1 to 4, not %d"), severity);
  if (severity != 0 && reason == NULL)
    return sd_cli_fail (_("A change of severity needs --reason"));

  if (!sd_cli_resolve_account (&options, &server, &login, &status)
      || !(store = sd_cli_open_store (server, login, &status)))
    return status;
  if (!(bodies = find_case (store, wanted, &found, &status)))
    return status;
  /* A pause needs a reason: said here, not by a change the server refuses later. */
  if (status_name != NULL && (reason == NULL || *g_strstrip (reason) == '\0')
      && status_pauses (store, found, case_status))
    return sd_cli_fail (_("The status “%s” stops the SLA clock: give --reason"), status_name);

  {
    SdCaseStatus from;

    if (!sd_case_status_from_string (json_object_get_string_member_with_default (found, "status", ""), &from))
      from = SD_CASE_STATUS_NEW;
    patch = sd_case_build_status_patch (from, status_name != NULL ? case_status : from,
                                        g_get_real_time () / G_USEC_PER_SEC);
  }
  if (status_name == NULL)
    json_object_remove_member (json_node_get_object (patch), "status");
  if (severity != 0)
    json_object_set_int_member (json_node_get_object (patch), "severity", severity);
  if (reason != NULL)
    json_object_set_string_member (json_node_get_object (patch), "reason", reason);

  if (!sd_local_store_enqueue (store, SD_OUTBOX_OP_UPDATE, "case",
                               json_object_get_string_member (found, "id"), patch,
                               json_object_get_int_member_with_default (found, "version", 0), &error))
    return sd_cli_fail ("%s", error->message);

  g_print (_("Changed %s here; “supportdesk-cli sync” sends it\n"),
           json_object_get_string_member_with_default (found, "number", wanted));
  return EXIT_SUCCESS;
}

/* case comment */

static int
case_comment (int    argc,
              char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID TEXT"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(SdCaseEvent) event = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autofree char *text = NULL;
  JsonObject *found = NULL;
  gboolean is_public = FALSE;
  int status = 0;
  GOptionEntry entries[] = {
    { "public", 0, 0, G_OPTION_ARG_NONE, &is_public,
      N_("Visible to the customer (in the daily report); without it the comment is internal"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Adds a comment to a case's timeline in the local copy and queues "
                                           "it; the next sync sends it. ID is the case's number or id. "
                                           "Comments are internal unless --public is given."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sd_cli_fail ("%s", error->message);
  if (argc != 3)
    return sd_cli_fail (_("case comment needs the case's number or id and the text"));
  text = g_strstrip (g_strdup (argv[2]));
  if (*text == '\0')
    return sd_cli_fail (_("The comment is empty"));

  if (!sd_cli_resolve_account (&options, &server, &login, &status)
      || !(store = sd_cli_open_store (server, login, &status))
      || !(bodies = find_case (store, argv[1], &found, &status)))
    return status;

  event = sd_case_event_new_comment_full (json_object_get_string_member (found, "id"), NULL,
                                          g_get_real_time () / G_USEC_PER_SEC, is_public, text);
  node = sd_case_event_to_json (event);
  if (!sd_local_store_enqueue (store, SD_OUTBOX_OP_APPEND_EVENT, "case_event",
                               sd_case_event_get_id (event), node, 0, &error))
    return sd_cli_fail ("%s", error->message);

  g_print (is_public ? _("Added a comment visible to the customer to %s; “supportdesk-cli sync” sends it\n")
                     : _("Added an internal comment to %s; “supportdesk-cli sync” sends it\n"),
           json_object_get_string_member_with_default (found, "number", argv[1]));
  return EXIT_SUCCESS;
}

static int
dispatch_one (const char *noun,
              const char *verb,
              VerbFunc    run,
              int         argc,
              char      **argv)
{
  g_autofree char *program = NULL;

  if (argc < 2 || !g_str_equal (argv[1], verb))
    return sd_cli_fail (_("Usage: supportdesk-cli %s %s [OPTION…] (see “supportdesk-cli %s %s --help”)"),
                        noun, verb, noun, verb);
  program = g_strdup_printf ("supportdesk-cli %s %s", noun, verb);
  g_set_prgname (program);
  return run (argc - 1, argv + 1);
}

int
sd_cli_cases (int    argc,
              char **argv)
{
  return dispatch_one ("cases", "list", cases_list, argc, argv);
}

int
sd_cli_case (int    argc,
             char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "comment"))
    return dispatch_one ("case", "comment", case_comment, argc, argv);
  return dispatch_one ("case", "update", case_update, argc, argv);
}
