/* sd-calendar-import.c
 *
 * The iCalendar document is parsed by libical. A light first pass over the
 * raw text records where each logical line (after RFC 5545 unfolding)
 * starts, checks the BEGIN/END structure and remembers the lines of every
 * VEVENT, so that problems libical reports can be given a line number.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <glib/gi18n.h>
#include <libical/ical.h>
#include <string.h>

#include "sd-calendar-import.h"
#include "sd-calendar-private.h"
#include "sd-json.h"

#define MAX_EVENT_DAYS      366
#define MAX_IMPORTED_DAYS   20000
#define MAX_OCCURRENCES     1000
#define MAX_RECURRENCE_YEARS 100

typedef struct {
  guint  line;   /* physical line where it starts, 1-based */
  char  *name;   /* owned, upper case */
  char  *text;   /* owned, unfolded */
} LogicalLine;

typedef struct {
  guint begin_line;
  guint first;   /* index of the first logical line inside */
  guint last;    /* index of END:VEVENT */
} EventLines;

typedef struct {
  guint32  julian;
  gboolean working;
  char    *name;  /* owned */
} PendingDay;

static void
logical_line_clear (gpointer data)
{
  LogicalLine *ll = data;

  g_free (ll->name);
  g_free (ll->text);
}

static void
pending_day_clear (gpointer data)
{
  PendingDay *day = data;

  g_free (day->name);
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-';
}

static gboolean
syntax_error (GError     **error,
              guint        line,
              const char  *message)
{
  g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX, _("line %u: %s"), line, message);
  return FALSE;
}

/* Unfolds the document into logical lines and checks the component
 * structure; records the VEVENTs that are direct children of a VCALENDAR. */
static gboolean
scan_lines (const char  *data,
            gsize        length,
            GArray      *lines,
            GArray      *events,
            GError     **error)
{
  g_autoptr(GString) current = NULL;
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) stack_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  guint current_line = 0;
  guint line_no = 0;
  guint n_calendars = 0;
  EventLines event = { 0, };
  const char *p = data;
  const char *end = data + length;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      gsize len = (eol ? eol : end) - p;

      line_no++;
      if (len > 0 && p[len - 1] == '\r')
        len--;

      if (len > 0 && (p[0] == ' ' || p[0] == '\t'))
        {
          if (current == NULL)
            return syntax_error (error, line_no,
                                 _("a folded continuation line follows no property"));
          g_string_append_len (current, p + 1, len - 1);
        }
      else
        {
          if (current != NULL)
            {
              LogicalLine ll = { current_line, NULL, g_string_free (g_steal_pointer (&current), FALSE) };
              g_array_append_val (lines, ll);
            }
          if (len > 0)
            {
              current = g_string_new_len (p, len);
              current_line = line_no;
            }
        }
      p = eol ? eol + 1 : end;
    }
  if (current != NULL)
    {
      LogicalLine ll = { current_line, NULL, g_string_free (g_steal_pointer (&current), FALSE) };
      g_array_append_val (lines, ll);
    }

  if (lines->len == 0)
    return syntax_error (error, 1, _("empty document, expected BEGIN:VCALENDAR"));

  for (guint i = 0; i < lines->len; i++)
    {
      LogicalLine *ll = &g_array_index (lines, LogicalLine, i);
      const char *q = ll->text;
      const char *colon;

      while (is_name_char (*q))
        q++;
      colon = strchr (q, ':');
      if (q == ll->text || (*q != ';' && *q != ':') || colon == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("expected “NAME:value”, found “%.40s”"), ll->text);
          return syntax_error (error, ll->line, message);
        }
      ll->name = g_ascii_strup (ll->text, q - ll->text);

      if (g_str_equal (ll->name, "BEGIN"))
        {
          g_autofree char *what = g_ascii_strup (colon + 1, -1);

          g_strstrip (what);
          if (stack->len == 0 && !g_str_equal (what, "VCALENDAR"))
            return syntax_error (error, ll->line, _("expected BEGIN:VCALENDAR"));
          if (stack->len == 0)
            n_calendars++;
          if (stack->len == 1 && g_str_equal (what, "VEVENT"))
            {
              event.begin_line = ll->line;
              event.first = i + 1;
            }
          g_ptr_array_add (stack, g_steal_pointer (&what));
          g_array_append_val (stack_lines, ll->line);
          if (stack->len > 16)
            return syntax_error (error, ll->line, _("components nested too deeply"));
        }
      else if (g_str_equal (ll->name, "END"))
        {
          g_autofree char *what = g_ascii_strup (colon + 1, -1);

          g_strstrip (what);
          if (stack->len == 0)
            {
              g_autofree char *message = g_strdup_printf (_("END:%s without BEGIN"), what);
              return syntax_error (error, ll->line, message);
            }
          if (!g_str_equal (what, g_ptr_array_index (stack, stack->len - 1)))
            {
              g_autofree char *message =
                g_strdup_printf (_("END:%s does not close BEGIN:%s of line %u"), what,
                                 (const char *) g_ptr_array_index (stack, stack->len - 1),
                                 g_array_index (stack_lines, guint, stack_lines->len - 1));
              return syntax_error (error, ll->line, message);
            }
          if (stack->len == 2 && g_str_equal (what, "VEVENT"))
            {
              event.last = i;
              g_array_append_val (events, event);
            }
          g_ptr_array_set_size (stack, stack->len - 1);
          g_array_set_size (stack_lines, stack_lines->len - 1);
        }
      else if (stack->len == 0)
        {
          g_autofree char *message =
            g_strdup_printf (_("“%.40s” outside BEGIN:VCALENDAR … END:VCALENDAR"), ll->text);
          return syntax_error (error, ll->line, message);
        }
    }

  if (stack->len > 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("BEGIN:%s of line %u is never closed"),
                         (const char *) g_ptr_array_index (stack, stack->len - 1),
                         g_array_index (stack_lines, guint, stack_lines->len - 1));
      return syntax_error (error, line_no, message);
    }
  if (n_calendars == 0)
    return syntax_error (error, 1, _("expected BEGIN:VCALENDAR"));
  return TRUE;
}

/* The properties an all-day holiday event is read from; problems with any
 * other property (such as the DTSTAMP;VALUE=DATE of some real feeds) are
 * of no consequence here. */
static const char * const used_properties[] = {
  "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "SUMMARY", "STATUS", NULL
};

/* The property an X-LIC-ERROR message names ("… in DTSTART property …",
 * "… for property DTSTAMP …"), or NULL. */
static char *
problem_property (const char *message)
{
  const char *in = strstr (message, " in ");
  const char *for_prop = strstr (message, "for property ");

  if (in != NULL)
    {
      const char *name = in + 4;
      const char *stop = strstr (name, " property");

      if (stop != NULL && stop > name && stop - name < 40)
        return g_ascii_strup (name, stop - name);
    }
  if (for_prop != NULL)
    {
      const char *name = for_prop + strlen ("for property ");
      const char *stop = name;

      while (is_name_char (*stop))
        stop++;
      if (stop > name && stop - name < 40)
        return g_ascii_strup (name, stop - name);
    }
  return NULL;
}

/* The line an X-LIC-ERROR of the event (or the whole calendar when @event
 * is NULL) most likely points at. */
static guint
line_of_problem (GArray           *lines,
                 const EventLines *event,
                 const char       *message,
                 const char       *property)
{
  guint first = event ? event->first : 0;
  guint last = event ? event->last : lines->len;

  if (property != NULL)
    for (guint i = first; i < last; i++)
      {
        LogicalLine *ll = &g_array_index (lines, LogicalLine, i);

        if (g_str_equal (ll->name, property))
          return ll->line;
      }

  for (guint i = first; i < last; i++)
    {
      LogicalLine *ll = &g_array_index (lines, LogicalLine, i);

      if (g_str_has_suffix (message, ll->text))
        return ll->line;
    }

  return event ? event->begin_line : 1;
}

static guint
line_of_property (GArray           *lines,
                  const EventLines *event,
                  const char       *name)
{
  for (guint i = event->first; i < event->last; i++)
    {
      LogicalLine *ll = &g_array_index (lines, LogicalLine, i);

      if (g_str_equal (ll->name, name))
        return ll->line;
    }
  return event->begin_line;
}

static gboolean
check_lic_errors (icalcomponent    *component,
                  GArray           *lines,
                  const EventLines *event,
                  GError          **error)
{
  for (icalproperty *prop = icalcomponent_get_first_property (component, ICAL_XLICERROR_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (component, ICAL_XLICERROR_PROPERTY))
    {
      const char *message = icalproperty_get_xlicerror (prop);
      g_autofree char *property = NULL;
      guint line;

      if (message == NULL)
        message = "";
      property = problem_property (message);
      if (property != NULL && !g_strv_contains (used_properties, property))
        continue;

      line = line_of_problem (lines, event, message, property);
      if (property != NULL)
        g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                     _("line %u: invalid %s value"), line, property);
      else
        g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX, _("line %u: %s"), line, message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
icaltime_to_julian (struct icaltimetype  t,
                    guint32             *julian)
{
  GDate date;

  if (t.year < 1 || t.year > 9999 || t.month < 1 || t.month > 12
      || !g_date_valid_dmy (t.day, t.month, t.year))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, t.day, t.month, t.year);
  *julian = g_date_get_julian (&date);
  return TRUE;
}

static gboolean
add_days (GArray      *pending,
          guint32      first,
          guint        n_days,
          gboolean     working,
          const char  *name,
          guint        line,
          GError     **error)
{
  for (guint d = 0; d < n_days; d++)
    {
      PendingDay day = { first + d, working, g_strdup (name) };

      if (pending->len >= MAX_IMPORTED_DAYS)
        {
          g_free (day.name);
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: more than %u days in the feed"), line, MAX_IMPORTED_DAYS);
          return FALSE;
        }
      if (!g_date_valid_julian (day.julian))
        {
          g_free (day.name);
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: date out of range"), line);
          return FALSE;
        }
      g_array_append_val (pending, day);
    }
  return TRUE;
}

static gboolean
julian_in (GArray  *dates,
           guint32  julian)
{
  for (guint i = 0; i < dates->len; i++)
    if (g_array_index (dates, guint32, i) == julian)
      return TRUE;
  return FALSE;
}

static gboolean
import_event (icalcomponent    *vevent,
              GArray           *lines,
              const EventLines *event,
              GRegex           *working_day_summary,
              GArray           *pending,
              GError          **error)
{
  icalproperty *prop;
  struct icaltimetype dtstart, dtend;
  guint32 first, last;
  guint n_days;
  const char *summary;
  gboolean working;
  g_autoptr(GArray) exdates = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (!check_lic_errors (vevent, lines, event, error))
    return FALSE;

  if (icalcomponent_get_status (vevent) == ICAL_STATUS_CANCELLED)
    return TRUE;

  prop = icalcomponent_get_first_property (vevent, ICAL_DTSTART_PROPERTY);
  if (prop == NULL)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("line %u: VEVENT without DTSTART"), event->begin_line);
      return FALSE;
    }
  dtstart = icalproperty_get_dtstart (prop);
  if (!dtstart.is_date)
    return TRUE;
  if (!icaltime_to_julian (dtstart, &first))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("line %u: invalid DTSTART date"), line_of_property (lines, event, "DTSTART"));
      return FALSE;
    }

  prop = icalcomponent_get_first_property (vevent, ICAL_DTEND_PROPERTY);
  if (prop != NULL)
    {
      guint line = line_of_property (lines, event, "DTEND");

      dtend = icalproperty_get_dtend (prop);
      if (!dtend.is_date)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: DTEND is a date-time but DTSTART is a date"), line);
          return FALSE;
        }
      if (!icaltime_to_julian (dtend, &last))
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: invalid DTEND date"), line);
          return FALSE;
        }
      if (last <= first)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: DTEND is not after DTSTART"), line);
          return FALSE;
        }
      if (last - first > MAX_EVENT_DAYS)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: event longer than %u days"), line, MAX_EVENT_DAYS);
          return FALSE;
        }
      n_days = last - first;
    }
  else if ((prop = icalcomponent_get_first_property (vevent, ICAL_DURATION_PROPERTY)) != NULL)
    {
      struct icaldurationtype duration = icalproperty_get_duration (prop);
      gint64 days = (gint64) duration.weeks * 7 + duration.days;

      if (duration.is_neg || days < 1 || days > MAX_EVENT_DAYS
          || duration.hours || duration.minutes || duration.seconds)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: DURATION of an all-day event must be whole days (1–%u)"),
                       line_of_property (lines, event, "DURATION"), MAX_EVENT_DAYS);
          return FALSE;
        }
      n_days = (guint) days;
    }
  else
    n_days = 1;

  summary = icalcomponent_get_summary (vevent);
  working = summary != NULL && g_regex_match (working_day_summary, summary, 0, NULL);

  for (prop = icalcomponent_get_first_property (vevent, ICAL_EXDATE_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (vevent, ICAL_EXDATE_PROPERTY))
    {
      guint32 julian;

      if (icaltime_to_julian (icalproperty_get_exdate (prop), &julian))
        g_array_append_val (exdates, julian);
    }

  if (!julian_in (exdates, first)
      && !add_days (pending, first, n_days, working, summary, event->begin_line, error))
    return FALSE;

  for (prop = icalcomponent_get_first_property (vevent, ICAL_RRULE_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (vevent, ICAL_RRULE_PROPERTY))
    {
      guint line = line_of_property (lines, event, "RRULE");
      struct icalrecurrencetype rule = icalproperty_get_rrule (prop);
      icalrecur_iterator *iter;
      struct icaltimetype next;
      guint n = 0;

      if (rule.freq == ICAL_NO_RECURRENCE || rule.freq < ICAL_DAILY_RECURRENCE)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: an all-day event repeats daily at most often"), line);
          return FALSE;
        }
      iter = icalrecur_iterator_new (rule, dtstart);
      if (iter == NULL)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: unsupported RRULE"), line);
          return FALSE;
        }
      for (next = icalrecur_iterator_next (iter);
           !icaltime_is_null_time (next);
           next = icalrecur_iterator_next (iter))
        {
          guint32 julian;

          if (next.year > dtstart.year + MAX_RECURRENCE_YEARS || ++n > MAX_OCCURRENCES)
            break;
          if (!icaltime_to_julian (next, &julian) || julian == first || julian_in (exdates, julian))
            continue;
          if (!add_days (pending, julian, n_days, working, summary, line, error))
            {
              icalrecur_iterator_free (iter);
              return FALSE;
            }
        }
      icalrecur_iterator_free (iter);
    }

  for (prop = icalcomponent_get_first_property (vevent, ICAL_RDATE_PROPERTY);
       prop != NULL;
       prop = icalcomponent_get_next_property (vevent, ICAL_RDATE_PROPERTY))
    {
      struct icaldatetimeperiodtype rdate = icalproperty_get_rdate (prop);
      guint32 julian;

      if (!icaltime_to_julian (rdate.time, &julian))
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("line %u: RDATE must be a date"), line_of_property (lines, event, "RDATE"));
          return FALSE;
        }
      if (!julian_in (exdates, julian)
          && !add_days (pending, julian, n_days, working, summary, event->begin_line, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
import_calendar (icalcomponent  *vcalendar,
                 GArray         *lines,
                 GArray         *events,
                 guint          *next_event,
                 GRegex         *working_day_summary,
                 GArray         *pending,
                 GError        **error)
{
  if (!check_lic_errors (vcalendar, lines, NULL, error))
    return FALSE;

  for (icalcomponent *vevent = icalcomponent_get_first_component (vcalendar, ICAL_VEVENT_COMPONENT);
       vevent != NULL;
       vevent = icalcomponent_get_next_component (vcalendar, ICAL_VEVENT_COMPONENT))
    {
      const EventLines *event;

      if (*next_event >= events->len)
        return syntax_error (error, 1, _("unexpected VEVENT"));
      event = &g_array_index (events, EventLines, (*next_event)++);
      if (!import_event (vevent, lines, event, working_day_summary, pending, error))
        return FALSE;
    }
  return TRUE;
}

/* An imported year is official: it replaces what the calendar had for
 * that year (its exceptions, or the provisional statutory days). */
static void
apply_pending (SdCalendarBuilder *builder,
               GArray            *pending)
{
  g_autoptr(GHashTable) years = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < pending->len; i++)
    {
      int year = _sd_julian_get_year (g_array_index (pending, PendingDay, i).julian);

      if (year < 1900 || year > 2399 || g_hash_table_contains (years, GINT_TO_POINTER (year)))
        continue;
      g_hash_table_add (years, GINT_TO_POINTER (year));
      sd_calendar_builder_clear_year (builder, year);
      sd_calendar_builder_add_official_year (builder, year);
    }

  for (guint i = 0; i < pending->len; i++)
    {
      PendingDay *day = &g_array_index (pending, PendingDay, i);

      if (day->working)
        sd_calendar_builder_add_working_day (builder, day->julian, day->name, NULL, 0, NULL);
      else
        sd_calendar_builder_add_day_off (builder, day->julian, day->name);
    }
}

gboolean
sd_calendar_builder_import_ics (SdCalendarBuilder  *builder,
                                const char         *data,
                                gssize              length,
                                GRegex             *working_day_summary,
                                GError            **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (LogicalLine));
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (EventLines));
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (PendingDay));
  g_autoptr(GRegex) default_regex = NULL;
  g_autofree char *text = NULL;
  icalcomponent *root;
  const char *bad;
  guint next_event = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (builder), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  g_array_set_clear_func (lines, logical_line_clear);
  g_array_set_clear_func (pending, pending_day_clear);

  if (length < 0)
    length = strlen (data);
  if (!g_utf8_validate (data, length, &bad))
    {
      guint line = 1;

      for (const char *p = data; p < bad; p++)
        if (*p == '\n')
          line++;
      return syntax_error (error, line, _("invalid UTF-8"));
    }
  if (memchr (data, '\0', length) != NULL)
    return syntax_error (error, 1, _("NUL character in the document"));

  if (!scan_lines (data, length, lines, events, error))
    return FALSE;

  if (working_day_summary == NULL)
    {
      default_regex = g_regex_new (SD_CALENDAR_IMPORT_WORKING_DAY_PATTERN, G_REGEX_OPTIMIZE, 0, NULL);
      working_day_summary = default_regex;
    }

  text = g_strndup (data, length);
  icalerror_set_errors_are_fatal (0);
  root = icalparser_parse_string (text);
  icalerror_clear_errno ();
  if (root == NULL)
    return syntax_error (error, 1, _("not an iCalendar document"));

  if (icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT)
    ok = import_calendar (root, lines, events, &next_event, working_day_summary, pending, error);
  else if (icalcomponent_isa (root) == ICAL_XROOT_COMPONENT)
    {
      for (icalcomponent *cal = icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT);
           ok && cal != NULL;
           cal = icalcomponent_get_next_component (root, ICAL_VCALENDAR_COMPONENT))
        ok = import_calendar (cal, lines, events, &next_event, working_day_summary, pending, error);
    }
  else
    ok = syntax_error (error, 1, _("expected BEGIN:VCALENDAR"));
  icalcomponent_free (root);

  if (ok && next_event != events->len)
    ok = syntax_error (error, g_array_index (events, EventLines, next_event).begin_line,
                       _("malformed VEVENT"));
  if (!ok)
    return FALSE;

  apply_pending (builder, pending);
  return TRUE;
}

gboolean
sd_calendar_builder_import_holiday_json (SdCalendarBuilder  *builder,
                                         const char         *data,
                                         gssize              length,
                                         GError            **error)
{
  static const char * const known[] = { "$schema", "$id", "year", "papers", "days", NULL };
  static const char * const day_known[] = { "name", "date", "isOffDay", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (PendingDay));
  JsonObject *object;
  JsonArray *days = NULL;

  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (builder), FALSE);

  g_array_set_clear_func (pending, pending_day_clear);

  root = sd_json_parse (data, length, error);
  if (root == NULL)
    return FALSE;
  object = sd_json_node_get_object (root, NULL, error);
  if (object == NULL
      || !sd_json_check_fields (object, NULL, known, error)
      || !sd_json_get_array (object, NULL, "days", TRUE, &days, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (days); i++)
    {
      g_autofree char *path = sd_json_path_index ("days", i);
      JsonObject *day = sd_json_node_get_object (json_array_get_element (days, i), path, error);
      PendingDay pd = { 0, };
      const char *name = NULL;
      gboolean off = FALSE;

      if (day == NULL
          || !sd_json_check_fields (day, path, day_known, error)
          || !sd_json_get_string (day, path, "name", FALSE, &name, error)
          || !sd_json_get_date (day, path, "date", TRUE, &pd.julian, error)
          || !sd_json_get_bool (day, path, "isOffDay", TRUE, &off, error))
        return FALSE;
      if (pending->len >= MAX_IMPORTED_DAYS)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                       _("Field “%s”: more than %u days"), path, MAX_IMPORTED_DAYS);
          return FALSE;
        }
      pd.working = !off;
      pd.name = g_strdup (name);
      g_array_append_val (pending, pd);
    }

  apply_pending (builder, pending);
  return TRUE;
}

gboolean
sd_calendar_builder_import_file (SdCalendarBuilder  *builder,
                                 const char         *path,
                                 GRegex             *working_day_summary,
                                 GError            **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *p;
  gsize length;
  gboolean ok;

  g_return_val_if_fail (SD_IS_CALENDAR_BUILDER (builder), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  p = contents;
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;
  while (p < contents + length && g_ascii_isspace (*p))
    p++;

  if (p < contents + length && *p == '{')
    ok = sd_calendar_builder_import_holiday_json (builder, p, contents + length - p, &local_error);
  else if (g_ascii_strncasecmp (p, "BEGIN:", MIN (6, (gsize) (contents + length - p))) == 0
           || g_str_has_suffix (path, ".ics"))
    ok = sd_calendar_builder_import_ics (builder, p, contents + length - p,
                                         working_day_summary, &local_error);
  else
    {
      g_set_error (error, SD_ERROR, SD_ERROR_SYNTAX,
                   _("%s: neither an iCalendar file nor holiday JSON"), path);
      return FALSE;
    }

  if (!ok)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
