/* sd-calendar-rules.c — the statutory public holidays of a country for a
 * year, as the provisional data of a year without an official schedule
 *
 * Each country is a table of rules (a fixed date, an offset from Easter,
 * the n-th weekday of a month, a date of the Chinese lunar calendar, a
 * solar term) and the way its law makes up a holiday that falls on a
 * weekend. Lunar dates and the Qingming solar term come from liblunar-date.
 * Holidays that are proclaimed each year (Singapore's Hari Raya, Vesak and
 * Deepavali) cannot be derived and are left to the official data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-calendar"

#include "config.h"

#include <lunar-date/lunar-date.h>
#include <stdio.h>

#include "sd-calendar-private.h"

typedef enum {
  RULE_FIXED,        /* month, day */
  RULE_EASTER,       /* offset days from Easter Sunday */
  RULE_NTH_WEEKDAY,  /* month, weekday, n (-1: the last) */
  RULE_MON_BEFORE,   /* the Monday before month/day */
  RULE_LUNAR,        /* lunar month, day (offset days after it) */
  RULE_LUNAR_EVE,    /* the last day of the lunar year before the new year */
  RULE_QINGMING,     /* the Qingming solar term */
  RULE_VERNAL,       /* the vernal equinox day (Japan) */
  RULE_AUTUMNAL,     /* the autumnal equinox day (Japan) */
} RuleKind;

typedef struct {
  RuleKind    kind;
  int         month;
  int         day;
  int         n;          /* weekday (RULE_NTH_WEEKDAY) or offset (RULE_EASTER, RULE_LUNAR) */
  int         nth;
  gboolean    no_substitute;
  const char *name;
  gboolean    sunday_before;  /* on a Sunday, the day before instead (HK) */
} Rule;

typedef enum {
  SUBSTITUTE_NONE,
  /* A holiday on a Saturday or Sunday moves to the next working day. */
  SUBSTITUTE_WEEKEND_NEXT,
  /* A holiday on a Sunday moves to the next day that is not a holiday. */
  SUBSTITUTE_SUNDAY_NEXT,
  /* Saturday to the Friday before, Sunday to the Monday after. */
  SUBSTITUTE_NEAREST,
} Substitute;

typedef struct {
  const char  *code;
  Substitute   substitute;
  gboolean     bridge;    /* a day between two holidays is a holiday (Japan) */
  const Rule  *rules;
  guint        n_rules;
} Country;

#define FIXED(m, d, name)           { RULE_FIXED, m, d, 0, 0, FALSE, name }
#define EASTER(off, name)           { RULE_EASTER, 0, 0, off, 0, FALSE, name }
#define NTH(m, wd, nth, name)       { RULE_NTH_WEEKDAY, m, 0, wd, nth, FALSE, name }
#define LUNAR(m, d, off, name)      { RULE_LUNAR, m, d, off, 0, FALSE, name }

/* 《全国年节及纪念日放假办法》 (2024 revision), the days for all citizens. */
static const Rule cn_rules[] = {
  FIXED (1, 1, "元旦"),
  { RULE_LUNAR_EVE, 0, 0, 0, 0, FALSE, "春节" },
  LUNAR (1, 1, 0, "春节"), LUNAR (1, 1, 1, "春节"), LUNAR (1, 1, 2, "春节"),
  { RULE_QINGMING, 0, 0, 0, 0, FALSE, "清明节" },
  FIXED (5, 1, "劳动节"), FIXED (5, 2, "劳动节"),
  LUNAR (5, 5, 0, "端午节"),
  LUNAR (8, 15, 0, "中秋节"),
  FIXED (10, 1, "国庆节"), FIXED (10, 2, "国庆节"), FIXED (10, 3, "国庆节"),
};

static const Rule hk_rules[] = {
  FIXED (1, 1, "一月一日"),
  LUNAR (1, 1, 0, "農曆年初一"), LUNAR (1, 1, 1, "農曆年初二"), LUNAR (1, 1, 2, "農曆年初三"),
  EASTER (-2, "耶穌受難節"), EASTER (-1, "耶穌受難節翌日"), EASTER (1, "復活節星期一"),
  { RULE_QINGMING, 0, 0, 0, 0, FALSE, "清明節" },
  FIXED (5, 1, "勞動節"),
  LUNAR (4, 8, 0, "佛誕"),
  LUNAR (5, 5, 0, "端午節"),
  FIXED (7, 1, "香港特別行政區成立紀念日"),
  /* The day following Mid-Autumn; when that is a Sunday, the festival. */
  { RULE_LUNAR, 8, 15, 1, 0, FALSE, "中秋節翌日", TRUE },
  FIXED (10, 1, "國慶日"),
  LUNAR (9, 9, 0, "重陽節"),
  FIXED (12, 25, "聖誕節"), FIXED (12, 26, "聖誕節後第一個周日"),
};

static const Rule tw_rules[] = {
  FIXED (1, 1, "中華民國開國紀念日"),
  { RULE_LUNAR_EVE, 0, 0, 0, 0, FALSE, "農曆除夕" },
  LUNAR (1, 1, 0, "春節"), LUNAR (1, 1, 1, "春節"), LUNAR (1, 1, 2, "春節"),
  FIXED (2, 28, "和平紀念日"),
  FIXED (4, 4, "兒童節"),
  { RULE_QINGMING, 0, 0, 0, 0, FALSE, "清明節" },
  FIXED (5, 1, "勞動節"),
  LUNAR (5, 5, 0, "端午節"),
  LUNAR (8, 15, 0, "中秋節"),
  FIXED (9, 28, "孔子誕辰紀念日 / 教師節"),
  FIXED (10, 10, "國慶日"),
  FIXED (10, 25, "臺灣光復暨金門古寧頭大捷紀念日"),
  FIXED (12, 25, "行憲紀念日"),
};

static const Rule sg_rules[] = {
  FIXED (1, 1, "New Year's Day"),
  LUNAR (1, 1, 0, "Chinese New Year"), LUNAR (1, 1, 1, "Chinese New Year"),
  EASTER (-2, "Good Friday"),
  FIXED (5, 1, "Labour Day"),
  FIXED (8, 9, "National Day"),
  FIXED (12, 25, "Christmas Day"),
};

static const Rule jp_rules[] = {
  FIXED (1, 1, "元日"),
  NTH (1, G_DATE_MONDAY, 2, "成人の日"),
  FIXED (2, 11, "建国記念の日"),
  FIXED (2, 23, "天皇誕生日"),
  { RULE_VERNAL, 0, 0, 0, 0, FALSE, "春分の日" },
  FIXED (4, 29, "昭和の日"),
  FIXED (5, 3, "憲法記念日"), FIXED (5, 4, "みどりの日"), FIXED (5, 5, "こどもの日"),
  NTH (7, G_DATE_MONDAY, 3, "海の日"),
  FIXED (8, 11, "山の日"),
  NTH (9, G_DATE_MONDAY, 3, "敬老の日"),
  { RULE_AUTUMNAL, 0, 0, 0, 0, FALSE, "秋分の日" },
  NTH (10, G_DATE_MONDAY, 2, "スポーツの日"),
  FIXED (11, 3, "文化の日"),
  FIXED (11, 23, "勤労感謝の日"),
};

static const Rule kr_rules[] = {
  { RULE_FIXED, 1, 1, 0, 0, TRUE, "신정" },
  { RULE_LUNAR_EVE, 0, 0, 0, 0, FALSE, "설날 연휴" },
  LUNAR (1, 1, 0, "설날"), LUNAR (1, 1, 1, "설날 연휴"),
  FIXED (3, 1, "3·1절"),
  FIXED (5, 5, "어린이날"),
  LUNAR (4, 8, 0, "석가탄신일"),
  { RULE_FIXED, 6, 6, 0, 0, TRUE, "현충일" },
  FIXED (7, 17, "제헌절"),
  FIXED (8, 15, "광복절"),
  LUNAR (8, 15, -1, "추석 연휴"), LUNAR (8, 15, 0, "추석"), LUNAR (8, 15, 1, "추석 연휴"),
  FIXED (10, 3, "개천절"),
  FIXED (10, 9, "한글날"),
  FIXED (12, 25, "기독탄신일"),
};

static const Rule de_rules[] = {
  FIXED (1, 1, "Neujahr"),
  EASTER (-2, "Karfreitag"), EASTER (1, "Ostermontag"),
  FIXED (5, 1, "Maifeiertag"),
  EASTER (39, "Christi Himmelfahrt"), EASTER (50, "Pfingstmontag"),
  FIXED (10, 3, "Tag der Deutschen Einheit"),
  FIXED (12, 25, "1. Weihnachtstag"), FIXED (12, 26, "2. Weihnachtstag"),
};

/* England and Wales. */
static const Rule gb_rules[] = {
  FIXED (1, 1, "New Year's Day"),
  EASTER (-2, "Good Friday"), EASTER (1, "Easter Monday"),
  NTH (5, G_DATE_MONDAY, 1, "Early May bank holiday"),
  NTH (5, G_DATE_MONDAY, -1, "Spring bank holiday"),
  NTH (8, G_DATE_MONDAY, -1, "Summer bank holiday"),
  FIXED (12, 25, "Christmas Day"), FIXED (12, 26, "Boxing Day"),
};

static const Rule fr_rules[] = {
  FIXED (1, 1, "Nouvel An"),
  EASTER (1, "Lundi de Pâques"),
  FIXED (5, 1, "Fête du travail"), FIXED (5, 8, "Fête de la Victoire 1945"),
  EASTER (39, "Ascension"), EASTER (50, "Lundi de Pentecôte"),
  FIXED (7, 14, "Fête Nationale"), FIXED (8, 15, "Assomption"),
  FIXED (11, 1, "Toussaint"), FIXED (11, 11, "Armistice 1918"),
  FIXED (12, 25, "Noël"),
};

/* Federal holidays (5 U.S.C. 6103). */
static const Rule us_rules[] = {
  FIXED (1, 1, "New Year's Day"),
  NTH (1, G_DATE_MONDAY, 3, "Martin Luther King Jr. Day"),
  NTH (2, G_DATE_MONDAY, 3, "Washington's Birthday"),
  NTH (5, G_DATE_MONDAY, -1, "Memorial Day"),
  FIXED (6, 19, "Juneteenth"),
  FIXED (7, 4, "Independence Day"),
  NTH (9, G_DATE_MONDAY, 1, "Labor Day"),
  NTH (10, G_DATE_MONDAY, 2, "Columbus Day"),
  FIXED (11, 11, "Veterans Day"),
  NTH (11, G_DATE_THURSDAY, 4, "Thanksgiving Day"),
  FIXED (12, 25, "Christmas Day"),
};

/* Ontario. */
static const Rule ca_rules[] = {
  FIXED (1, 1, "New Year's Day"),
  NTH (2, G_DATE_MONDAY, 3, "Family Day"),
  EASTER (-2, "Good Friday"),
  { RULE_MON_BEFORE, 5, 25, 0, 0, FALSE, "Victoria Day" },
  FIXED (7, 1, "Canada Day"),
  NTH (9, G_DATE_MONDAY, 1, "Labour Day"),
  NTH (10, G_DATE_MONDAY, 2, "Thanksgiving"),
  FIXED (12, 25, "Christmas Day"), FIXED (12, 26, "Boxing Day"),
};

/* New South Wales. */
static const Rule au_rules[] = {
  FIXED (1, 1, "New Year's Day"),
  FIXED (1, 26, "Australia Day"),
  EASTER (-2, "Good Friday"),
  { RULE_EASTER, 0, 0, -1, 0, TRUE, "Easter Saturday" },
  EASTER (1, "Easter Monday"),
  FIXED (4, 25, "Anzac Day"),
  NTH (6, G_DATE_MONDAY, 2, "King's Birthday"),
  NTH (10, G_DATE_MONDAY, 1, "Labour Day"),
  FIXED (12, 25, "Christmas Day"), FIXED (12, 26, "Boxing Day"),
};

#define COUNTRY(code, sub, bridge, rules) { code, sub, bridge, rules, G_N_ELEMENTS (rules) }

static const Country countries[] = {
  COUNTRY ("CN", SUBSTITUTE_WEEKEND_NEXT, FALSE, cn_rules),
  COUNTRY ("HK", SUBSTITUTE_SUNDAY_NEXT, FALSE, hk_rules),
  COUNTRY ("TW", SUBSTITUTE_NEAREST, FALSE, tw_rules),
  COUNTRY ("SG", SUBSTITUTE_SUNDAY_NEXT, FALSE, sg_rules),
  COUNTRY ("JP", SUBSTITUTE_SUNDAY_NEXT, TRUE, jp_rules),
  COUNTRY ("KR", SUBSTITUTE_WEEKEND_NEXT, FALSE, kr_rules),
  COUNTRY ("DE", SUBSTITUTE_NONE, FALSE, de_rules),
  COUNTRY ("GB", SUBSTITUTE_WEEKEND_NEXT, FALSE, gb_rules),
  COUNTRY ("FR", SUBSTITUTE_NONE, FALSE, fr_rules),
  COUNTRY ("US", SUBSTITUTE_NEAREST, FALSE, us_rules),
  COUNTRY ("CA", SUBSTITUTE_WEEKEND_NEXT, FALSE, ca_rules),
  COUNTRY ("AU", SUBSTITUTE_WEEKEND_NEXT, FALSE, au_rules),
};

/* Guards the one LunarDate (and liblunar-date's global tables). */
static GMutex lunar_lock;

static const Country *
find_country (const char *code)
{
  if (code == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_str_equal (countries[i].code, code))
      return &countries[i];
  return NULL;
}

static guint32
julian_dmy (int year,
            int month,
            int day)
{
  GDate date;

  if (!g_date_valid_dmy (day, month, year))
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return g_date_get_julian (&date);
}

static GDateWeekday
weekday_of (guint32 julian)
{
  return (GDateWeekday) ((julian - 1) % 7 + 1);
}

/* Easter Sunday (anonymous Gregorian algorithm). */
static guint32
easter (int y)
{
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = (h + l - 7 * m + 114) % 31 + 1;

  return julian_dmy (y, month, day);
}

static guint32
nth_weekday (int          year,
             int          month,
             GDateWeekday weekday,
             int          nth)
{
  guint32 jd;

  if (nth > 0)
    {
      jd = julian_dmy (year, month, 1);
      while (weekday_of (jd) != weekday)
        jd++;
      return jd + 7 * (nth - 1);
    }
  jd = julian_dmy (year, month, g_date_get_days_in_month (month, year));
  while (weekday_of (jd) != weekday)
    jd--;
  return jd;
}

/* The Gregorian day of lunar @month/@day of the lunar year that starts in
 * Gregorian @year; 0 when liblunar-date does not know it. */
static guint32
lunar_to_julian (LunarDate *lunar,
                 int        year,
                 int        month,
                 int        day)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  int y, m, d;

  lunar_date_set_lunar_date (lunar, year, month, day, 0, FALSE, &error);
  if (error != NULL)
    return 0;
  text = lunar_date_strftime (lunar, "%(year) %(month) %(day)");
  if (text == NULL || sscanf (text, "%d %d %d", &y, &m, &d) != 3)
    return 0;
  return julian_dmy (y, m, d);
}

/* Qingming: the day of 4–6 April that liblunar-date marks with a solar term. */
static guint32
qingming (LunarDate *lunar,
          int        year)
{
  for (int day = 4; day <= 6; day++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *holiday = NULL;

      lunar_date_set_solar_date (lunar, year, G_DATE_APRIL, day, 12, &error);
      if (error != NULL)
        break;
      holiday = lunar_date_get_holiday (lunar, "|");
      if (holiday != NULL && *holiday != '\0')
        return julian_dmy (year, G_DATE_APRIL, day);
    }
  return julian_dmy (year, G_DATE_APRIL, 5);
}

/* Japan's equinox days, from the formula the National Astronomical
 * Observatory's announcements follow for 1980–2099. */
static guint32
equinox (int      year,
         gboolean vernal)
{
  double base = vernal ? 20.8431 : 23.2488;
  int day = (int) (base + 0.242194 * (year - 1980)) - (year - 1980) / 4;

  return julian_dmy (year, vernal ? G_DATE_MARCH : G_DATE_SEPTEMBER, day);
}

static guint32
rule_day (const Rule *rule,
          int         year,
          LunarDate  *lunar)
{
  guint32 jd;

  switch (rule->kind)
    {
    case RULE_FIXED:
      return julian_dmy (year, rule->month, rule->day);
    case RULE_EASTER:
      return easter (year) + rule->n;
    case RULE_NTH_WEEKDAY:
      return nth_weekday (year, rule->month, (GDateWeekday) rule->n, rule->nth);
    case RULE_MON_BEFORE:
      jd = julian_dmy (year, rule->month, rule->day) - 1;
      while (weekday_of (jd) != G_DATE_MONDAY)
        jd--;
      return jd;
    case RULE_LUNAR:
      jd = lunar_to_julian (lunar, year, rule->month, rule->day);
      return jd ? jd + rule->n : 0;
    case RULE_LUNAR_EVE:
      jd = lunar_to_julian (lunar, year, 1, 1);
      return jd ? jd - 1 : 0;
    case RULE_QINGMING:
      return qingming (lunar, year);
    case RULE_VERNAL:
    case RULE_AUTUMNAL:
      return equinox (year, rule->kind == RULE_VERNAL);
    default:
      g_assert_not_reached ();
    }
}

typedef struct {
  guint32     julian;
  const char *name;
  gboolean    substitute;     /* may be made up when on a weekend */
  gboolean    sunday_before;
} Day;

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  const Day *da = a, *db = b;

  return (da->julian > db->julian) - (da->julian < db->julian);
}

static gboolean
days_contain (GArray  *days,
              guint32  julian)
{
  for (guint i = 0; i < days->len; i++)
    if (g_array_index (days, Day, i).julian == julian)
      return TRUE;
  return FALSE;
}

static gboolean
is_weekend (guint32 julian)
{
  return weekday_of (julian) >= G_DATE_SATURDAY;
}

static void
add_substitutes (const Country *country,
                 GArray        *days)
{
  guint n = days->len;

  for (guint i = 0; i < n; i++)
    {
      Day day = g_array_index (days, Day, i);
      GDateWeekday wd = weekday_of (day.julian);
      guint32 jd = day.julian;

      if (!day.substitute)
        continue;
      switch (country->substitute)
        {
        case SUBSTITUTE_NONE:
          continue;
        case SUBSTITUTE_WEEKEND_NEXT:
          if (wd < G_DATE_SATURDAY)
            continue;
          do
            jd++;
          while (is_weekend (jd) || days_contain (days, jd));
          break;
        case SUBSTITUTE_SUNDAY_NEXT:
          if (wd != G_DATE_SUNDAY)
            continue;
          if (day.sunday_before && !days_contain (days, jd - 1))
            {
              jd--;
              break;
            }
          do
            jd++;
          while (days_contain (days, jd));
          break;
        case SUBSTITUTE_NEAREST:
          if (wd == G_DATE_SATURDAY)
            jd--;
          else if (wd == G_DATE_SUNDAY)
            jd++;
          else
            continue;
          if (days_contain (days, jd))
            continue;
          break;
        default:
          g_assert_not_reached ();
        }
      day.julian = jd;
      day.substitute = FALSE;
      g_array_append_val (days, day);
    }
}

gboolean
_sd_calendar_rules_known (const char *rules)
{
  return find_country (rules) != NULL;
}

void
_sd_calendar_rules_add_year (const char *rules,
                             int         year,
                             GArray     *out)
{
  const Country *country = find_country (rules);
  g_autoptr(GArray) days = NULL;

  g_return_if_fail (out != NULL);

  if (country == NULL || year < 1901 || year > 2099)
    return;

  days = g_array_new (FALSE, FALSE, sizeof (Day));
  g_mutex_lock (&lunar_lock);
  {
    /* One for the process: liblunar-date 3.0.1 does not free all of an
     * instance's memory when it is finalized. */
    static LunarDate *lunar;

    if (lunar == NULL)
      lunar = lunar_date_new ();
    for (guint i = 0; i < country->n_rules; i++)
      {
        Day day = { rule_day (&country->rules[i], year, lunar), country->rules[i].name,
                    !country->rules[i].no_substitute, country->rules[i].sunday_before };

        if (day.julian != 0 && !days_contain (days, day.julian))
          g_array_append_val (days, day);
      }
  }
  g_mutex_unlock (&lunar_lock);

  add_substitutes (country, days);
  g_array_sort (days, compare_days);

  if (country->bridge)
    for (guint i = 1; i < days->len; i++)
      {
        const Day *a = &g_array_index (days, Day, i - 1);
        const Day *b = &g_array_index (days, Day, i);

        if (b->julian == a->julian + 2 && !is_weekend (a->julian + 1))
          {
            Day bridge = { a->julian + 1, "国民の休日", FALSE, FALSE };

            g_array_insert_val (days, i, bridge);
          }
      }

  for (guint i = 0; i < days->len; i++)
    {
      const Day *day = &g_array_index (days, Day, i);
      SdCalendarException exc = { day->julian, FALSE, NULL, NULL, 0 };

      /* Days a rule put into a neighbouring year belong to that year. */
      if (_sd_julian_get_year (day->julian) != year)
        continue;
      exc.name = g_strdup (day->name);
      g_array_append_val (out, exc);
    }
}
