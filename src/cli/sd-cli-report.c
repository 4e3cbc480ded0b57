/* sd-cli-report.c — report daily, report quarterly, report custom
 *
 * The reports of the app, from the local copy of the signed-in account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include <supportdesk.h>

#include "sd-cli.h"

typedef struct {
  char *lang;
  char *format;
  char *output;
  char *now;
} ReportOptions;

static void
report_options_clear (ReportOptions *options)
{
  g_clear_pointer (&options->lang, g_free);
  g_clear_pointer (&options->format, g_free);
  g_clear_pointer (&options->output, g_free);
  g_clear_pointer (&options->now, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportOptions, report_options_clear)

static void
add_report_options (GOptionContext *context,
                    ReportOptions  *options,
                    const char     *formats)
{
  GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &options->lang,
      N_("Language of the report: zh_CN or en (default: the customer's report language)"), N_("LANG") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format, formats, N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output,
      N_("Write the report to FILE (default: standard output)"), N_("FILE") },
    { "now", 0, 0, G_OPTION_ARG_STRING, &options->now,
      N_("Evaluate the SLA clocks at this instant instead of now (RFC 3339)"), N_("INSTANT") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* Checks the options shared by every report; FALSE after printing the
 * error. */
static gboolean
check_report_options (const ReportOptions *options,
                      const char * const  *formats,
                      SdReportLanguage    *language,
                      gint64              *now,
                      int                 *status)
{
  g_autoptr(GError) error = NULL;

  if (options->lang != NULL && !sd_report_language_from_string (options->lang, language))
    {
      *status = sd_cli_fail (_("Unknown report language “%s”: use zh_CN or en"), options->lang);
      return FALSE;
    }
  if (options->format != NULL && !g_strv_contains (formats, options->format))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) formats);

      *status = sd_cli_fail (_("Unknown format “%s”: use %s"), options->format, list);
      return FALSE;
    }
  if (g_strcmp0 (options->format, "pdf") == 0 && options->output == NULL)
    {
      *status = sd_cli_fail (_("--format pdf needs an output file: -o FILE"));
      return FALSE;
    }
  *now = g_get_real_time () / G_USEC_PER_SEC;
  if (options->now != NULL && !sd_time_parse_iso8601 (options->now, NULL, now, &error))
    {
      *status = sd_cli_fail ("--now: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* The account's local copy as a report input. */
static gboolean
load_input (SdCliAccountOptions *account,
            SdReportInput  *input,
            char          **user_id,
            char          **role,
            int            *status)
{
  g_autoptr(SdLocalStore) store = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;

  if (!sd_cli_resolve_account (account, &server, &login, status)
      || !(store = sd_cli_open_store (server, login, status)))
    return FALSE;
  if (!sd_report_input_load (input, store, &error)
      || !(users = sd_local_store_list (store, "user", NULL, &error)))
    {
      sd_report_input_clear (input);
      *status = sd_cli_fail ("%s", error->message);
      return FALSE;
    }
  for (guint i = 0; user_id != NULL && i < users->len; i++)
    {
      JsonObject *user = json_node_get_object (users->pdata[i]);

      if (g_strcmp0 (json_object_get_string_member_with_default (user, "login", NULL), login) == 0)
        {
          *user_id = g_strdup (json_object_get_string_member_with_default (user, "id", NULL));
          /* The daily report is signed with the sender's name. */
          g_free (input->sender_name);
          input->sender_name = g_strdup (json_object_get_string_member_with_default (user, "display_name", NULL));
          if (role != NULL)
            *role = g_strdup (json_object_get_string_member_with_default (user, "role", NULL));
        }
    }
  return TRUE;
}

static gboolean
find_customer (const SdReportInput *input,
               const char          *id,
               int                 *status)
{
  for (guint i = 0; i < input->customers->len; i++)
    if (g_str_equal (sd_customer_get_id (input->customers->pdata[i]), id))
      return TRUE;
  *status = sd_cli_fail (_("No customer “%s” in the local copy (run “supportdesk-cli sync”?)"), id);
  return FALSE;
}

static int
write_output (const ReportOptions *options,
              const char          *data,
              gsize                length)
{
  g_autoptr(GError) error = NULL;

  if (options->output == NULL)
    {
      fwrite (data, 1, length, stdout);
      return EXIT_SUCCESS;
    }
  if (!g_file_set_contents (options->output, data, length, &error))
    return sd_cli_fail ("%s", error->message);
  return EXIT_SUCCESS;
}

static int
write_document (const ReportOptions *options,
                SdDocument          *document)
{
  g_autoptr(GError) error = NULL;

  if (!sd_document_write_pdf (document, options->output, &error))
    return sd_cli_fail ("%s", error->message);
  return EXIT_SUCCESS;
}

/* report daily */


/* The customers the daily report covers: --all, the --customer ones, or
 * by default the user's own at @now: as TAM, or those they answer for
 * (sd_coverage_covers). Fills @scope with what to tell the user. */
static GPtrArray *
daily_scope (const SdReportInput *input,
             gint64               now,
             const char          *user_id,
             const char          *role,
             gboolean             all,
             const char * const  *customer_ids,
             GString             *scope,
             int                 *status)
{
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(SdCoverage) coverage = sd_report_input_coverage (input);
  gboolean wide = g_strcmp0 (role, "admin") == 0 || g_strcmp0 (role, "duty_manager") == 0;

  if ((all || customer_ids != NULL) && !wide)
    {
      *status = sd_cli_fail (_("Only an administrator or a duty manager can choose other customers "
                               "with --all or --customer"));
      return NULL;
    }
  if (all && customer_ids != NULL)
    {
      *status = sd_cli_fail (_("Use either --all or --customer, not both"));
      return NULL;
    }
  for (guint i = 0; customer_ids != NULL && customer_ids[i] != NULL; i++)
    if (!find_customer (input, customer_ids[i], status))
      return NULL;

  for (guint i = 0; i < input->customers->len; i++)
    {
      SdCustomer *customer = input->customers->pdata[i];

      if (all
          || (customer_ids != NULL && g_strv_contains (customer_ids, sd_customer_get_id (customer)))
          || (customer_ids == NULL && sd_coverage_covers (coverage, sd_customer_get_id (customer), user_id, now)))
        g_ptr_array_add (chosen, customer);
    }

  if (all)
    g_string_append (scope, _("Covers the open severity-1 cases of all customers"));
  else if (customer_ids != NULL)
    g_string_append (scope, _("Covers the open severity-1 cases of the chosen customers"));
  else
    g_string_append (scope, _("Covers the open severity-1 cases of the customers you manage as TAM or "
                              "answer for now as deputy or duty manager"));
  g_string_append (scope, ": ");
  for (guint i = 0; i < chosen->len; i++)
    /* Translators: separates customer names in a list */
    g_string_append_printf (scope, "%s%s", i > 0 ? _(", ") : "", sd_customer_get_name (chosen->pdata[i]));
  if (chosen->len == 0)
    g_string_append (scope, _("none"));
  g_string_append_c (scope, '\n');
  return g_steal_pointer (&chosen);
}

/* The open severity-1 cases the report leaves out. */
static guint
count_other_severity_1 (const SdReportInput *input,
                        GPtrArray           *chosen)
{
  guint n = 0;

  for (guint i = 0; input->cases != NULL && i < input->cases->len; i++)
    {
      SdCase *kase = input->cases->pdata[i];
      gboolean covered = FALSE;

      if (sd_case_get_severity (kase) != 1 || !sd_case_is_open (kase))
        continue;
      for (guint j = 0; j < chosen->len && !covered; j++)
        covered = g_strcmp0 (sd_customer_get_id (chosen->pdata[j]), sd_case_get_customer_id (kase)) == 0;
      n += !covered;
    }
  return n;
}

/* Sends each report of @report through the server's mailer (POST
 * /cases/ID/daily-report), which logs it as sent on the case. */
static int
send_daily (SdCliAccountOptions *account_options,
            SdDailyReport       *report)
{
  g_autoptr(SdAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autofree char *token = NULL;
  int status = 0;

  if (!sd_cli_resolve_account (account_options, &server, &login, &status))
    return status;
  token = sd_credentials_lookup_token_sync (server, login, NULL, NULL);
  if (!(account = sd_account_open (server, login, token, &error)))
    return sd_cli_fail ("%s", error->message);

  for (guint i = 0; i < report->items->len; i++)
    {
      SdDailyReportItem *item = report->items->pdata[i];
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) event = NULL;
      g_autoptr(GAsyncResult) sent = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = g_uri_escape_string (sd_case_get_id (item->kase), NULL, FALSE);
      g_autofree char *key = g_uuid_string_random ();
      g_autofree char *to = g_strjoinv (", ", item->recipients);
      const char *number = sd_case_get_number (item->kase) ? sd_case_get_number (item->kase)
                                                           : sd_case_get_id (item->kase);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "subject");
      json_builder_add_string_value (builder, item->subject);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, item->body);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      path = g_strconcat ("/cases/", escaped, "/daily-report", NULL);
      sd_rest_client_create_async (sd_account_get_client (account), path, body, key, NULL,
                                   sd_cli_got_result_cb, &sent);
      if (!(event = sd_rest_client_create_finish (sd_account_get_client (account), sd_cli_wait_for (&sent),
                                                  &error)))
        {
          /* Translators: the case number, then the server's reason */
          sd_cli_fail (_("The daily report on %s was not sent: %s"), number, error->message);
          g_clear_error (&error);
          status = EXIT_FAILURE;
          continue;
        }
      /* Translators: the case number, then the recipients' e-mail addresses */
      g_print (_("Sent the daily report on %s to %s\n"), number, to);
    }
  return status;
}

static int
report_daily (int    argc,
              char **argv)
{
  static const char * const formats[] = { "text", "csv", "pdf", NULL };
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(ReportOptions) options = { 0 };
  g_auto(SdReportInput) input = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdDailyReport) report = NULL;
  g_autoptr(GPtrArray) chosen = NULL;
  g_autoptr(GString) scope = g_string_new (NULL);
  g_auto(GStrv) customer_ids = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *role = NULL;
  g_autofree char *data = NULL;
  SdReportLanguage language = SD_REPORT_LANGUAGE_CUSTOMER;
  SdReportInput scoped;
  gboolean all = FALSE;
  gboolean send = FALSE;
  guint others;
  gsize length;
  gint64 now;
  int status = 0;
  GOptionEntry entries[] = {
    { "customer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &customer_ids,
      N_("A customer's id; repeatable (administrators and duty managers; default: your customers)"), N_("ID") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Every customer in the local copy (administrators and duty managers)"), NULL },
    { "send", 0, 0, G_OPTION_ARG_NONE, &send,
      N_("Send each report through the server's mail relay to the customer's daily-report contacts and "
         "log it as sent"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_set_summary (context, _("Prints today's status report for each open severity-1 case of "
                                           "your customers, ready to send, with its mailto: link."));
  sd_cli_add_account_options (context, &account);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_report_options (context, &options, N_("text (default), csv or pdf"));
  if (!sd_cli_parse_options (context, &argc, &argv, &status)
      || !check_report_options (&options, formats, &language, &now, &status)
      || !load_input (&account, &input, &user_id, &role, &status))
    return status;
  if (!(chosen = daily_scope (&input, now, user_id, role, all, (const char * const *) customer_ids, scope, &status)))
    return status;

  /* The same input, with only the covered customers. */
  scoped = input;
  scoped.customers = chosen;
  report = sd_daily_report_build (&scoped, NULL, language, now);
  others = count_other_severity_1 (&input, chosen);
  if (others > 0 && !all)
    g_string_append_printf (scope, g_dngettext (GETTEXT_PACKAGE,
                                                "%u open severity-1 case of other customers is not included%s\n",
                                                "%u open severity-1 cases of other customers are not included%s\n",
                                                others),
                            others,
                            g_strcmp0 (role, "admin") == 0 || g_strcmp0 (role, "duty_manager") == 0
                            ? _(" (use --all or --customer ID)") : "");
  if (send)
    {
      g_printerr ("%s", scope->str);
      return send_daily (&account, report);
    }
  if (g_strcmp0 (options.format, "pdf") == 0)
    {
      g_autoptr(SdDocument) document = sd_daily_report_to_document (report);

      g_printerr ("%s", scope->str);
      return write_document (&options, document);
    }
  if (g_strcmp0 (options.format, "csv") == 0)
    {
      g_printerr ("%s", scope->str);
      data = sd_daily_report_to_csv (report, &length);
      return write_output (&options, data, length);
    }

  {
    GString *text = g_string_new (scope->str);

    g_string_append_c (text, '\n');
    if (report->items->len == 0)
      g_string_append_printf (text, "%s\n", _("No open severity-1 cases: no daily report is due."));
    for (guint i = 0; i < report->items->len; i++)
      {
        SdDailyReportItem *item = report->items->pdata[i];
        g_autofree char *to = g_strjoinv (", ", item->recipients);

        g_string_append_printf (text, "%s", i > 0 ? "\n" : "");
        if (*to != '\0')
          /* Translators: the daily report's recipients, e-mail addresses */
          g_string_append_printf (text, _("To: %s\n"), to);
        else
          g_string_append_printf (text, "%s\n", _("To: nobody (no contact of this customer receives daily reports)"));
        g_string_append_printf (text, "%s\n\n%s\n%s\n", item->subject, item->body, item->mailto);
      }
    length = text->len;
    data = g_string_free (text, FALSE);
  }
  return write_output (&options, data, length);
}

/* report quarterly */

static int
report_quarterly (int    argc,
                  char **argv)
{
  static const char * const formats[] = { "csv", "pdf", NULL };
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(ReportOptions) options = { 0 };
  g_auto(SdReportInput) input = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdQuarterlyReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *quarter_text = NULL;
  g_autofree char *data = NULL;
  SdReportLanguage language = SD_REPORT_LANGUAGE_CUSTOMER;
  int year = 0, quarter = 0;
  gsize length;
  gint64 now;
  int status = 0;
  GOptionEntry entries[] = {
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_("The customer's id"), N_("ID") },
    { "quarter", 0, 0, G_OPTION_ARG_STRING, &quarter_text, N_("The quarter, e.g. 2026Q3"), N_("QUARTER") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_set_summary (context, _("Writes a customer's quarterly report: cases opened and resolved, "
                                           "response-SLA compliance, response times, breaches, open items."));
  sd_cli_add_account_options (context, &account);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_report_options (context, &options, N_("csv (default) or pdf"));
  if (!sd_cli_parse_options (context, &argc, &argv, &status)
      || !check_report_options (&options, formats, &language, &now, &status))
    return status;
  if (customer == NULL)
    return sd_cli_fail (_("report quarterly needs --customer ID"));
  if (quarter_text == NULL)
    return sd_cli_fail (_("report quarterly needs --quarter, e.g. --quarter 2026Q3"));
  if (!sd_report_parse_quarter (quarter_text, &year, &quarter, &error))
    return sd_cli_fail ("--quarter: %s", error->message);

  if (!load_input (&account, &input, NULL, NULL, &status) || !find_customer (&input, customer, &status))
    return status;
  if (!(report = sd_quarterly_report_build (&input, customer, year, quarter, language, now, &error)))
    return sd_cli_fail ("%s", error->message);
  if (g_strcmp0 (options.format, "pdf") == 0)
    {
      g_autoptr(SdDocument) document = sd_quarterly_report_to_document (report);

      return write_document (&options, document);
    }
  data = sd_quarterly_report_to_csv (report, &length);
  return write_output (&options, data, length);
}

/* report custom */

static gboolean
parse_date_option (const char  *name,
                   const char  *text,
                   guint32     *julian,
                   int         *status)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    {
      *status = sd_cli_fail (_("report custom needs %s DATE (YYYY-MM-DD)"), name);
      return FALSE;
    }
  if (!sd_date_parse (text, julian, &error))
    {
      *status = sd_cli_fail ("%s: %s", name, error->message);
      return FALSE;
    }
  return TRUE;
}

static int
report_custom (int    argc,
               char **argv)
{
  static const char * const formats[] = { "text", "csv", "pdf", NULL };
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(ReportOptions) options = { 0 };
  g_auto(SdReportInput) input = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(SdCustomReport) report = NULL;
  g_auto(GStrv) customers = NULL;
  g_auto(GStrv) severities = NULL;
  g_auto(GStrv) types = NULL;
  g_auto(GStrv) statuses = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *data = NULL;
  SdReportLanguage language = SD_REPORT_LANGUAGE_CUSTOMER;
  SdReportFilter filter = { NULL, };
  gsize length;
  gint64 now;
  int status = 0;
  GOptionEntry entries[] = {
    { "customer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &customers,
      N_("A customer's id; repeatable (default: every customer)"), N_("ID") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("First day of the period, YYYY-MM-DD"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last day of the period, YYYY-MM-DD"), N_("DATE") },
    { "severity", 0, 0, G_OPTION_ARG_STRING_ARRAY, &severities, N_("A severity, 1 to 4; repeatable"), N_("N") },
    { "type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &types,
      N_("A case type: incident, signature_change, private_patch, database_release, service_request; "
         "repeatable"), N_("TYPE") },
    { "status", 0, 0, G_OPTION_ARG_STRING_ARRAY, &statuses,
      N_("A status: new, in_progress, waiting_customer, resolved, closed; repeatable"), N_("STATUS") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_set_summary (context, _("Lists the cases reported in a period that match the filters, "
                                           "with totals."));
  sd_cli_add_account_options (context, &account);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_report_options (context, &options, N_("text (default), csv or pdf"));
  if (!sd_cli_parse_options (context, &argc, &argv, &status)
      || !check_report_options (&options, formats, &language, &now, &status)
      || !parse_date_option ("--from", from, &filter.from, &status)
      || !parse_date_option ("--to", to, &filter.to, &status))
    return status;
  if (filter.to < filter.from)
    return sd_cli_fail (_("--to %s is before --from %s"), to, from);
  for (guint i = 0; severities != NULL && severities[i] != NULL; i++)
    {
      char *end = NULL;
      long severity = strtol (severities[i], &end, 10);

      if (end == severities[i] || *end != '\0' || !sd_severity_is_valid ((int) severity))
        return sd_cli_fail (_("Severity must be 1 to 4, not “%s”"), severities[i]);
      filter.severities |= 1u << severity;
    }
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    {
      SdCaseType type;

      if (!sd_case_type_from_string (types[i], &type))
        return sd_cli_fail (_("Unknown case type “%s”"), types[i]);
      filter.types |= 1u << type;
    }
  for (guint i = 0; statuses != NULL && statuses[i] != NULL; i++)
    {
      SdCaseStatus case_status;

      if (!sd_case_status_from_string (statuses[i], &case_status))
        return sd_cli_fail (_("Unknown status “%s”"), statuses[i]);
      filter.statuses |= 1u << case_status;
    }

  if (!load_input (&account, &input, NULL, NULL, &status))
    return status;
  for (guint i = 0; customers != NULL && customers[i] != NULL; i++)
    if (!find_customer (&input, customers[i], &status))
      return status;
  filter.customer_ids = (const char * const *) customers;
  if (language == SD_REPORT_LANGUAGE_CUSTOMER)
    language = SD_REPORT_LANGUAGE_ZH_CN;

  report = sd_custom_report_build (&input, &filter, language, now);
  if (g_strcmp0 (options.format, "pdf") == 0)
    {
      g_autoptr(SdDocument) document = sd_custom_report_to_document (report);

      return write_document (&options, document);
    }
  if (g_strcmp0 (options.format, "csv") == 0)
    data = sd_custom_report_to_csv (report, &length);
  else
    {
      data = sd_custom_report_to_text (report);
      length = strlen (data);
    }
  return write_output (&options, data, length);
}

static const Verb report_verbs[] = {
  { "daily", N_("Status reports for the open severity-1 cases"), report_daily },
  { "quarterly", N_("A customer's quarterly report (CSV)"), report_quarterly },
  { "custom", N_("Cases of a period, filtered, with totals"), report_custom },
};

int
sd_cli_report (int    argc,
               char **argv)
{
  g_autofree char *program = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_print (_("Usage:\n  supportdesk-cli report COMMAND [OPTION…]\n\nCommands:\n"));
      for (guint i = 0; i < G_N_ELEMENTS (report_verbs); i++)
        g_print ("  %-10s %s\n", report_verbs[i].name, _(report_verbs[i].summary));
      return argc < 2 ? EXIT_BAD_INPUT : EXIT_SUCCESS;
    }
  for (guint i = 0; i < G_N_ELEMENTS (report_verbs); i++)
    if (g_str_equal (argv[1], report_verbs[i].name))
      {
        program = g_strdup_printf ("supportdesk-cli report %s", report_verbs[i].name);
        g_set_prgname (program);
        return report_verbs[i].run (argc - 1, argv + 1);
      }
  return sd_cli_fail (_("Unknown command “report %s” (try “supportdesk-cli report --help”)"), argv[1]);
}
