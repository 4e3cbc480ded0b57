/* supportdesk-cli.c — the core from the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <supportdesk.h>
#include <sd-case-sla.h>

#include "sd-cli.h"



/* Options shared by every verb that needs a calendar. */
typedef struct {
  char     *calendar_id;
  char     *time_zone;
  char     *hours;
  char    **holidays;
  char     *working_day_pattern;
  gboolean  no_builtin_holidays;
} CalendarOptions;

static void
calendar_options_clear (CalendarOptions *options)
{
  g_clear_pointer (&options->calendar_id, g_free);
  g_clear_pointer (&options->time_zone, g_free);
  g_clear_pointer (&options->hours, g_free);
  g_clear_pointer (&options->holidays, g_strfreev);
  g_clear_pointer (&options->working_day_pattern, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CalendarOptions, calendar_options_clear)

static void
add_calendar_options (GOptionContext  *context,
                      CalendarOptions *options)
{
  GOptionEntry entries[] = {
    { "calendar", 0, 0, G_OPTION_ARG_STRING, &options->calendar_id,
      N_("A built-in calendar: cn-mainland (default), cn-mainland-lunch, hk-office, tw-office, "
         "sg-office, jp-office, kr-office, de-office, gb-office, fr-office, us-east-office, "
         "ca-east-office, au-east-office"), N_("ID") },
    { "timezone", 0, 0, G_OPTION_ARG_STRING, &options->time_zone,
      N_("IANA time zone of the calendar (default: Asia/Shanghai). A zone of a country with a "
         "built-in calendar brings that country's public holidays (Europe/Berlin: Germany's); "
         "other zones have none"), N_("ZONE") },
    { "hours", 0, 0, G_OPTION_ARG_STRING, &options->hours,
      N_("Weekly working hours (default: \"mon-fri 09:00-18:00\"), e.g. "
         "\"mon-fri 09:00-12:00,13:00-18:00\" or \"mon,wed 10:00-16:00; sat 10:00-12:00\""),
      N_("SPEC") },
    { "holidays", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->holidays,
      N_("Add the days off and make-up working days of an iCalendar (.ics) or holiday JSON file; "
         "repeatable"), N_("FILE") },
    { "working-day-pattern", 0, 0, G_OPTION_ARG_STRING, &options->working_day_pattern,
      N_("Regular expression on an iCalendar event's SUMMARY that marks a make-up working day "
         "(default: \"^\\s*上班\")"), N_("REGEX") },
    { "no-builtin-holidays", 0, 0, G_OPTION_ARG_NONE, &options->no_builtin_holidays,
      N_("Leave out the built-in public holidays"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* The calendar the options describe; NULL with @error set on bad input. */
static SdCalendar *
calendar_from_options (const CalendarOptions  *options,
                       GError                **error)
{
  const char *zone = options->time_zone ? options->time_zone : "Asia/Shanghai";
  g_autoptr(SdCalendarBuilder) builder = NULL;
  g_autoptr(SdCalendar) base = NULL;
  g_autoptr(GRegex) pattern = NULL;

  if (options->calendar_id != NULL)
    {
      base = sd_calendar_new_builtin (options->calendar_id);
      if (base == NULL)
        {
          g_autofree char *known = g_strjoinv (", ", (char **) sd_calendar_list_builtin_ids ());

          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("--calendar: no built-in calendar “%s” (known: %s)"),
                       options->calendar_id, known);
          return NULL;
        }
    }
  else if (!options->no_builtin_holidays)
    {
      base = sd_calendar_new_for_time_zone (zone, error);
      if (base == NULL)
        return NULL;
    }

  if (base != NULL && options->hours == NULL && options->holidays == NULL
      && options->working_day_pattern == NULL && !options->no_builtin_holidays
      && (options->time_zone == NULL
          || g_str_equal (options->time_zone, sd_calendar_get_time_zone_id (base))))
    return g_steal_pointer (&base);

  if (base != NULL)
    {
      builder = sd_calendar_builder_new_from_calendar (base);
      if (options->time_zone != NULL && !sd_calendar_builder_set_time_zone (builder, zone, error))
        return NULL;
    }
  else
    {
      builder = sd_calendar_builder_new ("command-line", zone, error);
      if (builder == NULL
          || !sd_calendar_builder_set_hours_spec (builder, "mon-fri 09:00-18:00", error))
        return NULL;
    }
  if (options->no_builtin_holidays)
    {
      sd_calendar_builder_clear_exceptions (builder);
      sd_calendar_builder_set_rules (builder, NULL, NULL);
    }

  if (options->hours != NULL && !sd_calendar_builder_set_hours_spec (builder, options->hours, error))
    return NULL;

  if (options->working_day_pattern != NULL)
    {
      g_autoptr(GError) regex_error = NULL;

      pattern = g_regex_new (options->working_day_pattern, 0, 0, &regex_error);
      if (pattern == NULL)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("--working-day-pattern: %s"), regex_error->message);
          return NULL;
        }
    }

  for (guint i = 0; options->holidays && options->holidays[i]; i++)
    if (!sd_calendar_builder_import_file (builder, options->holidays[i], pattern, error))
      return NULL;

  return sd_calendar_builder_build (builder);
}

static gboolean
parse_tier (const char  *text,
            SdTier      *tier,
            GError     **error)
{
  if (text == NULL)
    {
      *tier = SD_TIER_MSA_ENTERPRISE;
      return TRUE;
    }
  if (!sd_tier_from_string (text, tier))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Unknown tier “%s” (expected msa_enterprise or standard)"), text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_instant (const char  *option,
               const char  *text,
               GTimeZone   *tz,
               gint64      *out,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!sd_time_parse_iso8601 (text, tz, out, &local_error))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, "%s: %s", option, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const SdSlaSpan *sa = a, *sb = b;

  return (sa->start > sb->start) - (sa->start < sb->start);
}

/* A result that rests on a provisional year says so, on stderr so that
 * the result itself stays one line. */
static void
print_provisional_note (const SdSlaClock *clock)
{
  g_autofree char *note = NULL;

  if (clock->provisional_year == 0)
    return;
  note = sd_calendar_describe_provisional_year (clock->provisional_year);
  /* Translators: a note below a result, e.g. "Note: 2027 holiday schedule not yet published; …" */
  g_printerr (_("Note: %s\n"), note);
}

/* sla due */

static int
sla_due (int    argc,
         char **argv)
{
  g_auto(CalendarOptions) cal_options = { 0, };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(SdSlaPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) pauses = g_array_new (FALSE, FALSE, sizeof (SdSlaSpan));
  g_autofree char *reported = NULL;
  g_autofree char *tier_name = NULL;
  g_autofree char *due_text = NULL;
  g_auto(GStrv) paused_from = NULL;
  g_auto(GStrv) paused_to = NULL;
  int severity = 0;
  int status = 0;
  SdSlaInput input = { 0, };
  SdSlaResult result;
  SdTier tier;
  guint n_from, n_to;
  GOptionEntry entries[] = {
    { "severity", 's', 0, G_OPTION_ARG_INT, &severity,
      N_("Severity of the case, 1 (critical) to 4 (low); required"), N_("N") },
    { "reported", 'r', 0, G_OPTION_ARG_STRING, &reported,
      N_("When the case was reported, ISO 8601 (without an offset: in the calendar's time zone); "
         "required"), N_("TIME") },
    { "tier", 't', 0, G_OPTION_ARG_STRING, &tier_name,
      N_("Contract tier: msa_enterprise (default) or standard"), N_("TIER") },
    { "paused-from", 0, 0, G_OPTION_ARG_STRING_ARRAY, &paused_from,
      N_("Start of a span in a pausing status; repeatable, each with a --paused-to"), N_("TIME") },
    { "paused-to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &paused_to,
      N_("End of a span in a pausing status"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new (_("— print the response due time of a case"));
  g_option_context_set_summary (context,
                                _("Prints the instant the first response is due, in ISO 8601 with "
                                  "the calendar's offset. Without calendar options the built-in "
                                  "mainland-China calendar is used (Asia/Shanghai, Monday–Friday "
                                  "09:00–18:00, public holidays and make-up working days)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_calendar_options (context, &cal_options);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;

  if (severity == 0)
    return sd_cli_fail (_("--severity is required (1 to 4)"));
  if (!sd_severity_is_valid (severity))
    return sd_cli_fail (_("Severity must be 1 to 4, not %d"), severity);
  if (reported == NULL)
    return sd_cli_fail (_("--reported is required"));
  if (!parse_tier (tier_name, &tier, &error))
    return sd_cli_fail ("%s", error->message);

  calendar = calendar_from_options (&cal_options, &error);
  if (calendar == NULL)
    return sd_cli_fail ("%s", error->message);

  input.tier = tier;
  input.severity = severity;
  input.status = SD_CASE_STATUS_NEW;
  input.responded_at = SD_TIME_NONE;
  input.last_daily_report_at = SD_TIME_NONE;
  if (!parse_instant ("--reported", reported, sd_calendar_get_time_zone (calendar),
                      &input.reported_at, &error))
    return sd_cli_fail ("%s", error->message);

  n_from = paused_from ? g_strv_length (paused_from) : 0;
  n_to = paused_to ? g_strv_length (paused_to) : 0;
  if (n_from != n_to)
    return sd_cli_fail (_("Each --paused-from needs a --paused-to (%u and %u given)"), n_from, n_to);
  for (guint i = 0; i < n_from; i++)
    {
      SdSlaSpan span;

      if (!parse_instant ("--paused-from", paused_from[i], sd_calendar_get_time_zone (calendar),
                          &span.start, &error)
          || !parse_instant ("--paused-to", paused_to[i], sd_calendar_get_time_zone (calendar),
                             &span.end, &error))
        return sd_cli_fail ("%s", error->message);
      if (span.end <= span.start)
        return sd_cli_fail (_("The pause %s – %s ends before it starts"), paused_from[i], paused_to[i]);
      g_array_append_val (pauses, span);
    }
  g_array_sort (pauses, compare_spans);
  for (guint i = 1; i < pauses->len; i++)
    if (g_array_index (pauses, SdSlaSpan, i).start < g_array_index (pauses, SdSlaSpan, i - 1).end)
      return sd_cli_fail (_("Pauses overlap"));
  input.pauses = (const SdSlaSpan *) pauses->data;
  input.n_pauses = pauses->len;

  policy = sd_sla_policy_new_for_tier (tier);
  sd_sla_compute (&input, policy, calendar, input.reported_at, &result);
  if (result.response.due == SD_CALENDAR_NEVER)
    return sd_cli_fail (_("The calendar has no working time left for this target"));

  due_text = sd_time_format_iso8601 (result.response.due, sd_calendar_get_time_zone (calendar));
  g_print ("%s\n", due_text);
  print_provisional_note (&result.response);
  return EXIT_SUCCESS;
}

/* sla status */

static char *
format_duration (gint64 seconds)
{
  gint64 magnitude = ABS (seconds);
  gint64 days = magnitude / 86400;
  gint64 hours = magnitude % 86400 / 3600;
  gint64 minutes = magnitude % 3600 / 60;
  g_autofree char *span = NULL;

  /* Translators: days, hours and minutes of a time span, e.g. "3d 4h 05m" */
  if (days > 0)
    span = g_strdup_printf (_("%dd %dh %02dm"), (int) MIN (days, G_MAXINT), (int) hours, (int) minutes);
  /* Translators: hours and minutes of a time span, e.g. "4h 05m" */
  else
    span = g_strdup_printf (_("%dh %02dm"), (int) hours, (int) minutes);

  /* Translators: a time span left before a deadline, e.g. "3h 20m left" */
  return seconds >= 0 ? g_strdup_printf (_("%s left"), span)
                      /* Translators: a time span past a deadline, e.g. "1h 05m overdue" */
                      : g_strdup_printf (_("%s overdue"), span);
}

static void
print_clock (const char       *label,
             const SdSlaClock *clock,
             GTimeZone        *tz)
{
  g_autofree char *due = sd_time_format_iso8601 (clock->due, tz);
  g_autofree char *remaining = format_duration (clock->remaining);
  const char *kind = clock->clock == SD_CLOCK_BUSINESS ? _("working time") : _("24×7");

  /* Translators: label, state, due time, time left, clock kind */
  g_print (_("%s: %s, due %s, %s (%s)\n"), label, sd_sla_state_get_label (clock->state),
           due, remaining, kind);
  print_provisional_note (clock);
}

static void
add_clock_json (JsonBuilder      *builder,
                const char       *name,
                const SdSlaClock *clock,
                GTimeZone        *tz)
{
  g_autofree char *due = sd_time_format_iso8601 (clock->due, tz);

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sd_sla_state_to_string (clock->state));
  json_builder_set_member_name (builder, "clock");
  json_builder_add_string_value (builder, sd_clock_kind_to_string (clock->clock));
  json_builder_set_member_name (builder, "due");
  json_builder_add_string_value (builder, due);
  json_builder_set_member_name (builder, "target");
  json_builder_add_int_value (builder, clock->target);
  json_builder_set_member_name (builder, "elapsed");
  json_builder_add_int_value (builder, clock->elapsed);
  json_builder_set_member_name (builder, "remaining");
  json_builder_add_int_value (builder, clock->remaining);
  if (clock->provisional_year != 0)
    {
      json_builder_set_member_name (builder, "provisional_year");
      json_builder_add_int_value (builder, clock->provisional_year);
    }
  json_builder_end_object (builder);
}

/* Reads {"case": {...}, "events": [...]} or a bare case object. */
static SdCase *
load_case (const char  *path,
           GPtrArray   *events,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonObject *case_object = NULL;
  JsonArray *event_array = NULL;
  SdCase *self;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  root = sd_json_parse (contents, length, &local_error);
  object = root ? sd_json_node_get_object (root, NULL, &local_error) : NULL;
  if (object == NULL)
    goto failed;

  if (json_object_has_member (object, "case"))
    {
      static const char * const known[] = { "case", "events", NULL };
      JsonNode *case_node = json_object_get_member (object, "case");

      if (!sd_json_check_fields (object, NULL, known, &local_error)
          || !sd_json_get_object (object, NULL, "case", TRUE, &case_object, &local_error)
          || !sd_json_get_array (object, NULL, "events", FALSE, &event_array, &local_error))
        goto failed;
      self = sd_case_from_json (case_node, "case", &local_error);
    }
  else
    self = sd_case_from_json (root, "case", &local_error);
  if (self == NULL)
    goto failed;

  for (guint i = 0; event_array && i < json_array_get_length (event_array); i++)
    {
      g_autofree char *item_path = sd_json_path_index ("events", i);
      SdCaseEvent *event = sd_case_event_from_json (json_array_get_element (event_array, i),
                                                    item_path, &local_error);

      if (event == NULL)
        {
          g_object_unref (self);
          goto failed;
        }
      g_ptr_array_add (events, event);
    }
  return self;

failed:
  g_set_error (error, SD_ERROR, local_error->code, "%s: %s", path, local_error->message);
  return NULL;
}

static int
sla_status (int    argc,
            char **argv)
{
  g_auto(CalendarOptions) cal_options = { 0, };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(SdCalendar) calendar = NULL;
  g_autoptr(SdSlaPolicy) policy = NULL;
  g_autoptr(SdCase) sd_case = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *case_path = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *tier_name = NULL;
  gboolean as_json = FALSE;
  gboolean pause_before_response = FALSE;
  int status = 0;
  SdSlaResult result;
  SdTier tier;
  gint64 now;
  GTimeZone *tz;
  GOptionEntry entries[] = {
    { "case", 'c', 0, G_OPTION_ARG_FILENAME, &case_path,
      N_("The case as JSON: {\"case\": {…}, \"events\": […]} or a bare case object; required"),
      N_("FILE") },
    { "now", 'n', 0, G_OPTION_ARG_STRING, &now_text,
      N_("The instant to evaluate the clocks at, ISO 8601; required"), N_("TIME") },
    { "tier", 't', 0, G_OPTION_ARG_STRING, &tier_name,
      N_("Contract tier: msa_enterprise (default) or standard"), N_("TIER") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("Print the clocks as JSON"), NULL },
    { "pause-before-response", 0, 0, G_OPTION_ARG_NONE, &pause_before_response,
      N_("Let a pausing status pause the response clock before the first response "
         "(the contracts' default is not to)"), NULL },
    G_OPTION_ENTRY_NULL
  };

  context = g_option_context_new (_("— print the SLA clocks of a case"));
  g_option_context_set_summary (context,
                                _("Prints each clock of the case (response, and the daily report "
                                  "of an open severity-1 case): state, due time and time left. "
                                  "Calendar options as for “sla due”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  add_calendar_options (context, &cal_options);
  if (!sd_cli_parse_options (context, &argc, &argv, &status))
    return status;

  if (case_path == NULL)
    return sd_cli_fail (_("--case is required"));
  if (now_text == NULL)
    return sd_cli_fail (_("--now is required"));
  if (!parse_tier (tier_name, &tier, &error))
    return sd_cli_fail ("%s", error->message);

  calendar = calendar_from_options (&cal_options, &error);
  if (calendar == NULL)
    return sd_cli_fail ("%s", error->message);
  tz = sd_calendar_get_time_zone (calendar);
  if (!parse_instant ("--now", now_text, tz, &now, &error))
    return sd_cli_fail ("%s", error->message);

  sd_case = load_case (case_path, events, &error);
  if (sd_case == NULL)
    return sd_cli_fail ("%s", error->message);

  policy = sd_sla_policy_new_for_tier (tier);
  sd_sla_policy_set_pause_before_response (policy, pause_before_response);
  sd_case_compute_sla (sd_case, events, policy, calendar, tier, now, &result);

  if (as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      add_clock_json (builder, "response", &result.response, tz);
      if (result.has_daily_report)
        add_clock_json (builder, "daily_report", &result.daily_report, tz);
      else
        {
          json_builder_set_member_name (builder, "daily_report");
          json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      text = sd_json_to_string (node, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      print_clock (_("Response"), &result.response, tz);
      if (result.has_daily_report)
        print_clock (_("Daily report"), &result.daily_report, tz);
    }
  return EXIT_SUCCESS;
}

/* Dispatch */

static const Verb sla_verbs[] = {
  { "due", N_("Print the response due time of a case"), sla_due },
  { "status", N_("Print the SLA clocks of a case at a given time"), sla_status },
};

static void
print_verbs (const char *prefix,
             const Verb *verbs,
             guint       n_verbs)
{
  g_print (_("Usage:\n  supportdesk-cli %s COMMAND [OPTION…]\n\nCommands:\n"), prefix);
  for (guint i = 0; i < n_verbs; i++)
    g_print ("  %-10s %s\n", verbs[i].name, _(verbs[i].summary));
  g_print (_("\nRun “supportdesk-cli %s COMMAND --help” for the options of a command.\n"), prefix);
}

/* Runs the verb named by argv[1] with argv[1…] as its own argument vector. */
int
sd_cli_dispatch (const char *prefix,
                 const Verb *verbs,
                 guint       n_verbs,
                 int         argc,
                 char      **argv)
{
  g_autofree char *program = NULL;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_verbs (prefix, verbs, n_verbs);
      return argc < 2 ? EXIT_BAD_INPUT : EXIT_SUCCESS;
    }

  for (guint i = 0; i < n_verbs; i++)
    if (g_str_equal (argv[1], verbs[i].name))
      {
        program = g_strdup_printf ("supportdesk-cli %s %s", prefix, verbs[i].name);
        g_set_prgname (program);
        return verbs[i].run (argc - 1, argv + 1);
      }

  return sd_cli_fail (_("Unknown command “%s %s” (try “supportdesk-cli %s --help”)"),
               prefix, argv[1], prefix);
}

static int
run_sla (int    argc,
         char **argv)
{
  return sd_cli_dispatch ("sla", sla_verbs, G_N_ELEMENTS (sla_verbs), argc, argv);
}

static const Verb verbs[] = {
  { "sla", N_("SLA due times and clocks"), run_sla },
  { "login", N_("Sign in to a SupportDesk server"), sd_cli_login },
  { "sync", N_("Send local edits and fetch what changed"), sd_cli_sync },
  { "cases", N_("List the cases in the local copy (cases list)"), sd_cli_cases },
  { "case", N_("Change a case or comment on it through the outbox (case update, case comment)"), sd_cli_case },
  { "healthcheck", N_("List health checks, export one as PDF, CSV or iCalendar"), sd_cli_healthcheck },
  { "report", N_("Daily, quarterly and custom reports from the local copy"), sd_cli_report },
  { "logout", N_("Sign out and remove the token from the keyring"), sd_cli_logout },
  { "admin", N_("Customers, contacts, users, SLA policies and CSV import/export (admins); business calendars"), sd_cli_admin },
};

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("SUPPORTDESK_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc >= 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("supportdesk-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_print (_("Usage:\n  supportdesk-cli COMMAND [ARGUMENT…]\n\nCommands:\n"));
      for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
        g_print ("  %-10s %s\n", verbs[i].name, _(verbs[i].summary));
      g_print (_("\nRun “supportdesk-cli COMMAND --help” for more.\n"));
      return argc < 2 ? EXIT_BAD_INPUT : EXIT_SUCCESS;
    }

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (argv[1], verbs[i].name))
      return verbs[i].run (argc - 1, argv + 1);

  return sd_cli_fail (_("Unknown command “%s” (try “supportdesk-cli --help”)"), argv[1]);
}
