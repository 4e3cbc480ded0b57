/* test-cli.c — supportdesk-cli: output and exit status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <supportdesk.h>

static char *
cli_path (void)
{
  const char *env = g_getenv ("SUPPORTDESK_CLI");

  if (env != NULL)
    return g_strdup (env);
  return g_test_build_filename (G_TEST_BUILT, "..", "src", "cli", "supportdesk-cli", NULL);
}

/* Runs the CLI with @args (NULL-terminated); returns its exit status. */
static int
run_cli (const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
test_due (void)
{
  g_autofree char *feed = data_path ("feed-basic.ics");
  g_autofree char *json = data_path ("holidays-small.json");
  const struct {
    const char *args[16];
    const char *out;
  } rows[] = {
    { { "sla", "due", "--severity", "4", "--reported", "2026-02-13T15:00:00+08:00", NULL },
      "2026-02-14T14:00:00+08:00\n" },
    { { "sla", "due", "--severity", "3", "--reported", "2026-09-30T16:00:00+08:00", NULL },
      "2026-10-08T13:00:00+08:00\n" },
    { { "sla", "due", "--severity", "1", "--reported", "2026-02-17T03:10:00+08:00", NULL },
      "2026-02-17T03:40:00+08:00\n" },
    /* naive times are read in the calendar's zone */
    { { "sla", "due", "-s", "2", "-r", "2026-03-09T09:00:00", NULL },
      "2026-03-09T13:00:00+08:00\n" },
    { { "sla", "due", "-s", "4", "-r", "2026-02-13T15:00:00+08:00", "--tier", "standard", NULL },
      "2026-02-25T12:00:00+08:00\n" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00",
        "--hours", "mon-fri 09:00-12:00,13:00-18:00", NULL },
      "2026-03-09T17:00:00+08:00\n" },
    { { "sla", "due", "-s", "4", "-r", "2026-03-09T09:00:00+08:00",
        "--paused-from", "2026-03-09T11:00:00+08:00", "--paused-to", "2026-03-09T14:00:00+08:00", NULL },
      "2026-03-10T11:00:00+08:00\n" },
    { { "sla", "due", "-s", "1", "-r", "2026-03-29T01:50:00+01:00", "--timezone", "Europe/Berlin", NULL },
      "2026-03-29T03:20:00+02:00\n" },
    { { "sla", "due", "-s", "4", "-r", "2026-03-27T14:00:00+01:00", "--timezone", "Europe/Berlin", NULL },
      "2026-03-30T13:00:00+02:00\n" },
    /* Europe/Berlin has Germany's holidays, not China's: Oct 1 is a working day */
    { { "sla", "due", "-s", "4", "-r", "2026-10-01T09:00:00+02:00", "--timezone", "Europe/Berlin", NULL },
      "2026-10-01T17:00:00+02:00\n" },
    /* an imported feed: Apr 2–3 off, make-up Saturday Apr 11 */
    { { "sla", "due", "-s", "4", "-r", "2026-04-01T14:00:00+02:00", "--timezone", "Europe/Berlin",
        "--holidays", feed, NULL },
      "2026-04-06T13:00:00+02:00\n" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T17:00:00+08:00", "--holidays", json, NULL },
      "2026-03-11T14:00:00+08:00\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_cli (rows[i].args, &out, &err);

      g_test_message ("row %u: %s", i, err);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (out, ==, rows[i].out);
      g_assert_cmpstr (err, ==, "");
    }
}

/* Built-in calendars by id or by zone, provisional years, times without
 * seconds. */
static void
test_due_calendars (void)
{
  const struct {
    const char *args[12];
    const char *out;
    const char *err;
  } rows[] = {
    /* 元旦 2027 is known only from the statutory rules */
    { { "sla", "due", "-s", "3", "-r", "2027-01-01T10:00+08:00", NULL },
      "2027-01-04T15:00:00+08:00\n",
      "Note: 2027 holiday schedule not yet published; statutory holidays assumed\n" },
    { { "sla", "due", "-s", "3", "-r", "2026-12-24T16:00", "--timezone", "Europe/Berlin", NULL },
      "2026-12-28T13:00:00+01:00\n", "" },
    { { "sla", "due", "-s", "3", "-r", "2026-12-24T16:00", "--calendar", "de-office", NULL },
      "2026-12-28T13:00:00+01:00\n", "" },
    { { "sla", "due", "-s", "3", "-r", "2026-11-25T16:00", "--calendar", "us-east-office", NULL },
      "2026-11-27T13:00:00-05:00\n", "" },
    /* America/Chicago: US holidays in Central time */
    { { "sla", "due", "-s", "3", "-r", "2026-11-25T16:00", "--timezone", "America/Chicago", NULL },
      "2026-11-27T13:00:00-06:00\n", "" },
    /* the lunch break moves the due time by one hour */
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00", "--calendar", "cn-mainland-lunch", NULL },
      "2026-03-09T17:00:00+08:00\n", "" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00", "--calendar", "cn-mainland", NULL },
      "2026-03-09T16:00:00+08:00\n", "" },
    /* Thanksgiving 2028 comes from the rules */
    { { "sla", "due", "-s", "3", "-r", "2028-11-22T16:00", "--calendar", "us-east-office", NULL },
      "2028-11-24T13:00:00-05:00\n",
      "Note: 2028 holiday schedule not yet published; statutory holidays assumed\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_cli (rows[i].args, &out, &err);

      g_test_message ("row %u: %s", i, err);
      g_assert_cmpint (status, ==, 0);
      g_assert_cmpstr (out, ==, rows[i].out);
      g_assert_cmpstr (err, ==, rows[i].err);
    }

  {
    const char *args[] = { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00", "--calendar", "atlantis", NULL };
    g_autofree char *out = NULL, *err = NULL;

    g_assert_cmpint (run_cli (args, &out, &err), !=, 0);
    g_assert_nonnull (strstr (err, "atlantis"));
    g_assert_nonnull (strstr (err, "de-office"));
  }
}

static void
test_bad_input (void)
{
  g_autofree char *malformed = data_path ("malformed-date.ics");
  const struct {
    const char *args[12];
    const char *message;
  } rows[] = {
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00", "--timezone", "Mars/Olympus", NULL },
      "Mars/Olympus" },
    { { "sla", "due", "-s", "3", "-r", "2026-02-30T10:00:00+08:00", NULL }, "2026-02-30" },
    { { "sla", "due", "-s", "3", "-r", "yesterday", NULL }, "yesterday" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00", "--holidays", malformed, NULL },
      "line 7:" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00", "--holidays", "/nonexistent.ics", NULL },
      "/nonexistent.ics" },
    { { "sla", "due", "-s", "7", "-r", "2026-03-09T10:00:00+08:00", NULL }, "7" },
    { { "sla", "due", "-s", "0", "-r", "2026-03-09T10:00:00+08:00", NULL }, "--severity" },
    { { "sla", "due", "-s", "3", NULL }, "--reported" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00", "--frobnicate", NULL }, "--frobnicate" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00", "--tier", "gold", NULL }, "gold" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00", "--hours", "mon-fri 18:00-09:00", NULL },
      "18:00-09:00" },
    { { "sla", "due", "-s", "3", "-r", "2026-03-09T10:00:00+08:00", "--paused-from",
        "2026-03-09T11:00:00+08:00", NULL }, "--paused-to" },
    { { "sla", "status", "--now", "2026-03-09T10:00:00+08:00", NULL }, "--case" },
    { { "sla", "overdue", NULL }, "overdue" },
    { { "cases", NULL }, "cases" },
    { { "report", "quarterly", "--customer", "cust-a", "--quarter", "2026Q5", NULL }, "2026Q5" },
    { { "report", "quarterly", "--customer", "cust-a", NULL }, "--quarter" },
    { { "report", "quarterly", "--quarter", "2026Q3", NULL }, "--customer" },
    { { "report", "quarterly", "--customer", "c", "--quarter", "2026Q3", "--format", "xls", NULL }, "xls" },
    { { "report", "custom", "--from", "2026-02-30", "--to", "2026-03-31", NULL }, "2026-02-30" },
    { { "report", "custom", "--from", "2026-07-01", NULL }, "--to" },
    { { "report", "custom", "--from", "2026-07-31", "--to", "2026-07-01", NULL }, "before" },
    { { "report", "custom", "--from", "2026-07-01", "--to", "2026-07-31", "--severity", "5", NULL }, "5" },
    { { "report", "custom", "--from", "2026-07-01", "--to", "2026-07-31", "--type", "bug", NULL }, "bug" },
    { { "report", "daily", "--lang", "fr", NULL }, "fr" },
    { { "report", "daily", "--format", "pdf", NULL }, "-o FILE" },
    { { "report", "weekly", NULL }, "weekly" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_cli (rows[i].args, &out, &err);
      const char *newline;

      g_test_message ("row %u: %s", i, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_cmpstr (out, ==, "");
      newline = strchr (err, '\n');
      g_assert_nonnull (newline);
      g_assert_cmpstr (newline, ==, "\n");   /* exactly one line */
      g_assert_true (g_str_has_prefix (err, "supportdesk-cli: "));
      if (strstr (err, rows[i].message) == NULL)
        g_error ("row %u: “%s” does not mention “%s”", i, err, rows[i].message);
    }
}

static void
test_help (void)
{
  const char *due_help[] = { "sla", "due", "--help", NULL };
  const char *top_help[] = { "--help", NULL };
  const char *options[] = {
    "--severity", "--reported", "--tier", "--timezone", "--hours", "--holidays",
    "--paused-from", "--paused-to", "--working-day-pattern", "--no-builtin-holidays",
  };
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *top = NULL, *top_err = NULL;

  g_assert_cmpint (run_cli (due_help, &out, &err), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (strstr (out, options[i]) == NULL)
      g_error ("--help does not document %s", options[i]);

  g_assert_cmpint (run_cli (top_help, &top, &top_err), ==, 0);
  g_assert_nonnull (strstr (top, "sla"));
}

static void
test_status (void)
{
  g_autofree char *case_path = data_path ("cli-case.json");
  const char *text_args[] = { "sla", "status", "--case", case_path, "--now", "2026-02-14T12:00:00+08:00",
                              "--pause-before-response", NULL };
  const char *json_args[] = { "sla", "status", "--case", case_path, "--now", "2026-02-14T16:00:00+08:00",
                              "--pause-before-response", "--json", NULL };
  const char *default_args[] = { "sla", "status", "--case", case_path, "--now", "2026-02-14T12:00:00+08:00",
                                 "--json", NULL };
  g_autofree char *plain = NULL, *plain_err = NULL;
  g_autoptr(JsonNode) plain_root = NULL;
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *json = NULL, *json_err = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *response;

  /* S3 reported Fri 16:00; paused Sat 09:00–11:00 (make-up Saturday) */
  g_assert_cmpint (run_cli (text_args, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_nonnull (strstr (out, "Running"));
  g_assert_nonnull (strstr (out, "2026-02-14T15:00:00+08:00"));
  g_assert_nonnull (strstr (out, "3h 00m"));

  g_assert_cmpint (run_cli (json_args, &json, &json_err), ==, 0);
  root = sd_json_parse (json, -1, &error);
  g_assert_no_error (error);
  response = json_object_get_object_member (json_node_get_object (root), "response");
  g_assert_cmpstr (json_object_get_string_member (response, "state"), ==, "breached");
  g_assert_cmpstr (json_object_get_string_member (response, "due"), ==, "2026-02-14T15:00:00+08:00");
  g_assert_cmpint (json_object_get_int_member (response, "remaining"), ==, -3600);
  g_assert_true (json_object_get_null_member (json_node_get_object (root), "daily_report"));

  /* The contracts' default: waiting for the customer before the first
   * response does not stop the clock, so the due time is 13:00 (Sat
   * 09:00–11:00 counted) and at 12:00 an hour is left. */
  g_assert_cmpint (run_cli (default_args, &plain, &plain_err), ==, 0);
  plain_root = sd_json_parse (plain, -1, &error);
  g_assert_no_error (error);
  response = json_object_get_object_member (json_node_get_object (plain_root), "response");
  g_assert_cmpstr (json_object_get_string_member (response, "due"), ==, "2026-02-14T13:00:00+08:00");
  g_assert_cmpint (json_object_get_int_member (response, "remaining"), ==, 3600);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;

  g_test_init (&argc, &argv, NULL);

  path = cli_path ();
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("supportdesk-cli not found at %s", path);

  g_test_add_func ("/cli/sla-due", test_due);
  g_test_add_func ("/cli/sla-due-calendars", test_due_calendars);
  g_test_add_func ("/cli/bad-input", test_bad_input);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/sla-status", test_status);

  return g_test_run ();
}
