/* sd-cli-healthcheck.c — healthcheck list, healthcheck export
 *
 * Both read the local copy (as of the last sync, with unsent edits), so
 * they work offline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include <supportdesk.h>

#include "sd-cli.h"

static SdCustomer *
load_customer (SdLocalStore *store,
               const char   *id)
{
  g_autoptr(JsonNode) node = id ? sd_local_store_get (store, "customer", id, NULL) : NULL;

  return node ? sd_customer_from_json (node, NULL, NULL) : NULL;
}

/* Only the name is needed, and another user's record shows no login. */
static SdUser *
load_user (SdLocalStore *store,
           const char   *id)
{
  g_autoptr(JsonNode) node = id ? sd_local_store_get (store, "user", id, NULL) : NULL;
  const char *name;
  SdUser *user;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
      || !(name = json_object_get_string_member_with_default (json_node_get_object (node),
                                                               "display_name", NULL)))
    return NULL;
  user = sd_user_new (id);
  sd_user_set_display_name (user, name);
  return user;
}

static GPtrArray *
load_checks (SdLocalStore  *store,
             GError       **error)
{
  g_autoptr(GPtrArray) bodies = sd_local_store_list (store, "health_check", NULL, error);
  GPtrArray *checks;

  if (bodies == NULL)
    return NULL;
  checks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < bodies->len; i++)
    {
      SdHealthCheck *check = sd_health_check_from_json (bodies->pdata[i], NULL, NULL);

      if (check != NULL)
        g_ptr_array_add (checks, check);
    }
  return checks;
}

/* healthcheck list */

static int
healthcheck_list (int    argc,
                  char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  int status = 0;

  g_option_context_set_summary (context, _("Lists the health checks in the local copy: id, day, status, "
                                           "score and customer."));
  sd_cli_add_account_options (context, &options);
  if (!sd_cli_parse_options (context, &argc, &argv, &status)
      || !(store = sd_cli_open_account_store (&options, &status)))
    return status;
  if (!(checks = load_checks (store, &error)))
    return sd_cli_fail ("%s", error->message);

  for (guint i = 0; i < checks->len; i++)
    {
      SdHealthCheck *check = checks->pdata[i];
      g_autoptr(SdCustomer) customer = load_customer (store, sd_health_check_get_customer_id (check));
      g_autofree char *day = sd_health_check_get_scheduled_on (check)
                             ? sd_date_format (sd_health_check_get_scheduled_on (check))
                             : g_strdup ("—");
      g_autofree char *score = sd_health_check_format_score (sd_health_check_get_score (check));

      g_print ("%s  %-10s  %-12s  %-10s  %s\n", sd_health_check_get_id (check), day,
               sd_health_check_status_get_label (sd_health_check_get_status (check)), score,
               customer ? sd_customer_get_name (customer) : sd_health_check_get_customer_id (check));
    }
  return EXIT_SUCCESS;
}

/* healthcheck export */

typedef enum {
  FORMAT_PDF,
  FORMAT_CSV,
  FORMAT_ICS,
} Format;

static gboolean
parse_format (const char *name,
              Format     *format)
{
  static const char * const names[] = { "pdf", "csv", "ics", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *format = (Format) i;
        return TRUE;
      }
  return FALSE;
}

static int
healthcheck_export (int    argc,
                    char **argv)
{
  g_auto(SdCliAccountOptions) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (_("ID"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(GPtrArray) checks = NULL;
  g_autoptr(SdCustomer) customer = NULL;
  g_autoptr(SdUser) tam = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *language = NULL;
  SdHealthCheck *check = NULL;
  const char *wanted;
  Format format;
  gboolean ok = FALSE;
  guint matches = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("pdf (the report), csv (the checklist) or ics (the appointment); default: from the file name"),
      N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write"), N_("FILE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language of the report: en or zh_CN (default: the user interface's)"), N_("LANGUAGE") },
    { NULL }
  };

  g_option_context_set_summary (context, _("Writes a health check from the local copy as a PDF report, "
                                           "a CSV checklist or an iCalendar appointment. ID is the check's "
                                           "id, or its first characters."));
  sd_cli_add_account_options (context, &options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return sd_cli_fail ("%s", error->message);
  if (argc != 2)
    return sd_cli_fail (_("healthcheck export needs the health check's id"));
  wanted = argv[1];
  if (output == NULL)
    return sd_cli_fail (_("healthcheck export needs -o FILE"));
  if (format_name == NULL)
    {
      const char *dot = strrchr (output, '.');

      if (dot == NULL || !parse_format (dot + 1, &format))
        return sd_cli_fail (_("Give the format with --format pdf, csv or ics"));
    }
  else if (!parse_format (format_name, &format))
    return sd_cli_fail (_("Unknown format “%s”: use pdf, csv or ics"), format_name);
  if (language != NULL && !sd_checklist_language_is_known (language))
    return sd_cli_fail (_("Unknown language “%s”: use en or zh_CN"), language);

  if (language != NULL)
    {
      /* The report's own words follow --lang too. */
      g_setenv ("LANGUAGE", language, TRUE);
      setlocale (LC_ALL, "");
    }
  else
    language = g_strdup (sd_checklist_language_from_locale (g_getenv ("LANGUAGE") && *g_getenv ("LANGUAGE")
                                                            ? g_getenv ("LANGUAGE")
                                                            : setlocale (LC_MESSAGES, NULL)));

  if (!(store = sd_cli_open_account_store (&options, &status)))
    return status;
  if (!(checks = load_checks (store, &error)))
    return sd_cli_fail ("%s", error->message);
  for (guint i = 0; i < checks->len; i++)
    {
      const char *id = sd_health_check_get_id (checks->pdata[i]);

      if (g_str_equal (id, wanted))
        {
          check = checks->pdata[i];
          matches = 1;
          break;
        }
      if (strlen (wanted) >= 4 && g_str_has_prefix (id, wanted))
        {
          check = checks->pdata[i];
          matches++;
        }
    }
  if (matches == 0)
    return sd_cli_fail (_("No health check “%s” in the local copy (run “supportdesk-cli sync”?)"), wanted);
  if (matches > 1)
    return sd_cli_fail (_("“%s” is the start of several health checks’ ids: give more of it"), wanted);

  customer = load_customer (store, sd_health_check_get_customer_id (check));
  tam = load_user (store, customer ? sd_customer_get_tam_id (customer) : NULL);

  switch (format)
    {
    case FORMAT_PDF:
      ok = sd_health_check_export_pdf (check, customer, tam, language, output, &error);
      break;
    case FORMAT_CSV:
      ok = sd_health_check_export_csv (check, language, output, &error);
      break;
    case FORMAT_ICS:
      ok = sd_health_check_export_ics (check, customer, tam, output, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    return sd_cli_fail ("%s", error->message);
  return EXIT_SUCCESS;
}

static const Verb healthcheck_verbs[] = {
  { "list", N_("List the health checks in the local copy"), healthcheck_list },
  { "export", N_("Write a health check as PDF, CSV or iCalendar"), healthcheck_export },
};

int
sd_cli_healthcheck (int    argc,
                    char **argv)
{
  return sd_cli_dispatch ("healthcheck", healthcheck_verbs, G_N_ELEMENTS (healthcheck_verbs), argc, argv);
}
