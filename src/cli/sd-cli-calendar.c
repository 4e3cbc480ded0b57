/* sd-cli-calendar.c — supportdesk-cli admin calendar import ID FILE: an
 * official holiday schedule (.ics or holiday JSON) uploaded to a calendar
 * on the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <supportdesk.h>

#include "sd-cli.h"

/* The media type of a holiday file, from its first character. */
static const char *
content_type_of (const char *data,
                 gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (g_ascii_isspace (data[i]) || (guchar) data[i] >= 0x80)
        continue;
      return data[i] == '{' ? "application/json" : "text/calendar";
    }
  return "text/calendar";
}

static int
calendar_import (int    argc,
                 char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) imported = NULL;
  g_autoptr(JsonNode) current = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autofree char *token = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  gboolean insecure = FALSE;
  gint64 version = 0;
  gsize length = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "accept-invalid-certificate", 0, 0, G_OPTION_ARG_NONE, &insecure,
      N_("Trust the server's certificate even if it is not valid (for test servers only)"), NULL },
    { NULL }
  };

  g_option_context_set_summary (context, _("Uploads an official holiday schedule (an iCalendar file or "
                                           "holiday JSON) to the calendar ID on the server. Every year the "
                                           "file has days in replaces that year of the calendar. "
                                           "Administrators only."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sd_cli_fail ("%s", error->message);
  if (argc != 3)
    return sd_cli_fail (_("admin calendar import needs a calendar ID and a FILE"));
  if (!sd_cli_resolve_account (&options, &server, &login, &status))
    return status;
  if (!g_file_get_contents (argv[2], &contents, &length, &error))
    return sd_cli_fail ("%s", error->message);

  token = sd_credentials_lookup_token_sync (server, login, NULL, NULL);
  if (!(account = sd_account_open (server, login, token, &error)))
    return sd_cli_fail ("%s", error->message);
  sd_rest_client_set_accept_invalid_certificate (sd_account_get_client (account), insecure);

  /* The version the import builds on. */
  {
    g_autofree char *escaped = g_uri_escape_string (argv[1], NULL, FALSE);

    path = g_strconcat ("/calendars/", escaped, NULL);
  }
  sd_rest_client_get_async (sd_account_get_client (account), path, NULL, sd_cli_got_result_cb, &got);
  if (!(current = sd_rest_client_get_finish (sd_account_get_client (account), sd_cli_wait_for (&got),
                                             &version, &error)))
    return sd_cli_fail ("%s", error->message);

  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  sd_rest_client_import_calendar_async (sd_account_get_client (account), argv[1], bytes,
                                        content_type_of (g_bytes_get_data (bytes, NULL), length),
                                        MAX (version, 1), NULL, sd_cli_got_result_cb, &imported);
  if (!(result = sd_rest_client_import_calendar_finish (sd_account_get_client (account),
                                                        sd_cli_wait_for (&imported), &error)))
    return sd_cli_fail ("%s: %s", argv[2], error->message);

  g_print (_("Imported %s into the calendar %s\n"), argv[2], argv[1]);
  return EXIT_SUCCESS;
}

static const Verb calendar_verbs[] = {
  { "import", N_("Upload an official holiday schedule to a calendar (import ID FILE)"), calendar_import },
};

int
sd_cli_admin_calendar (int    argc,
                       char **argv)
{
  return sd_cli_dispatch ("admin calendar", calendar_verbs, G_N_ELEMENTS (calendar_verbs), argc, argv);
}
