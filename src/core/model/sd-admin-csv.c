/* sd-admin-csv.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-admin-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-admin-csv.h"
#include "sd-error.h"

typedef enum {
  CELL_TEXT,    /* a string; empty: absent */
  CELL_BOOL,    /* yes / no */
  CELL_LIST,    /* a;b;c → ["a","b","c"] */
  CELL_LOGIN,   /* a login → the user's id */
  CELL_LOGINS,  /* logins → ids */
} CellKind;

typedef struct {
  const char *column;
  const char *member;
  CellKind    kind;
} Column;

static const Column customer_columns[] = {
  { "id", "id", CELL_TEXT },
  { "name", "name", CELL_TEXT },
  { "tier", "tier", CELL_TEXT },
  { "time_zone", "time_zone", CELL_TEXT },
  { "calendar_id", "calendar_id", CELL_TEXT },
  { "tam_login", "tam_id", CELL_LOGIN },
  { "duty_manager_logins", "duty_manager_ids", CELL_LOGINS },
  { "health_check_entitled", "health_check_entitled", CELL_BOOL },
  { "contract_start", "contract_start", CELL_TEXT },
  { "contract_end", "contract_end", CELL_TEXT },
  { "report_language", "report_language", CELL_TEXT },
  { NULL }
};

static const Column contact_columns[] = {
  { "id", "id", CELL_TEXT },
  { "customer_id", "customer_id", CELL_TEXT },
  { "name", "name", CELL_TEXT },
  { "email", "email", CELL_TEXT },
  { "phone", "phone", CELL_TEXT },
  { "language", "language", CELL_TEXT },
  { "roles", "roles", CELL_LIST },
  { NULL }
};

static const Column user_columns[] = {
  { "login", "login", CELL_TEXT },
  { "display_name", "display_name", CELL_TEXT },
  { "role", "role", CELL_TEXT },
  { "email", "email", CELL_TEXT },
  { "active", "active", CELL_BOOL },
  { NULL }
};

static const char * const customer_names[] = {
  "id", "name", "tier", "time_zone", "calendar_id", "tam_login", "duty_manager_logins",
  "health_check_entitled", "contract_start", "contract_end", "report_language", NULL
};
static const char * const contact_names[] = { "id", "customer_id", "name", "email", "phone", "language", "roles", NULL };
static const char * const user_names[] = { "login", "display_name", "role", "email", "active", NULL };

static const Column *
table_columns (SdAdminTable table)
{
  switch (table)
    {
    case SD_ADMIN_TABLE_CUSTOMERS:
      return customer_columns;
    case SD_ADMIN_TABLE_CONTACTS:
      return contact_columns;
    case SD_ADMIN_TABLE_USERS:
    default:
      return user_columns;
    }
}

gboolean
sd_admin_table_from_string (const char   *name,
                            SdAdminTable *out)
{
  static const char * const names[] = { "customers", "contacts", "users" };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const char * const *
sd_admin_table_columns (SdAdminTable table)
{
  switch (table)
    {
    case SD_ADMIN_TABLE_CUSTOMERS:
      return customer_names;
    case SD_ADMIN_TABLE_CONTACTS:
      return contact_names;
    case SD_ADMIN_TABLE_USERS:
    default:
      return user_names;
    }
}

/* ------------------------------------------------------------------- CSV */

void
sd_csv_free (SdCsv *csv)
{
  if (csv == NULL)
    return;
  g_clear_pointer (&csv->records, g_ptr_array_unref);
  g_clear_pointer (&csv->lines, g_array_unref);
  g_free (csv);
}

static gboolean
csv_fail (GError     **error,
          guint        line,
          guint        column,
          const char  *reason)
{
  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("line %u, column %u: %s"), line, column, reason);
  return FALSE;
}

SdCsv *
sd_csv_parse (const char  *text,
              gsize        length,
              GError     **error)
{
  g_autoptr(SdCsv) csv = g_new0 (SdCsv, 1);
  g_autoptr(GPtrArray) record = NULL;
  g_autoptr(GString) cell = g_string_new (NULL);
  const char *p = text, *end = text + length;
  guint line = 1, column = 1, record_line = 1;
  gboolean quoted = FALSE, was_quoted = FALSE;

  csv->records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  csv->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!g_utf8_validate_len (text, length, NULL))
    {
      const char *bad = NULL;

      g_utf8_validate_len (text, length, &bad);
      for (const char *q = text; q < bad; q++)
        line += *q == '\n';
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("line %u: the file is not UTF-8 text"), line);
      return NULL;
    }
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  record = g_ptr_array_new_with_free_func (g_free);
  while (p <= end)
    {
      char c = p < end ? *p : '\0';
      gboolean at_end = p == end;

      if (quoted)
        {
          if (at_end)
            return csv_fail (error, record_line, column, _("a quoted field is not closed")), NULL;
          if (c == '"' && p + 1 < end && p[1] == '"')
            {
              g_string_append_c (cell, '"');
              p += 2;
              continue;
            }
          if (c == '"')
            {
              quoted = FALSE;
              p++;
              if (p < end && *p != ',' && *p != '\n' && *p != '\r')
                return csv_fail (error, line, column, _("text after the closing quote of a field")), NULL;
              continue;
            }
          if (c == '\n')
            line++;
          g_string_append_c (cell, c);
          p++;
          continue;
        }

      if (c == '"')
        {
          if (cell->len > 0 || was_quoted)
            return csv_fail (error, line, column, _("a quote inside a field that does not start with one")), NULL;
          quoted = was_quoted = TRUE;
          p++;
          continue;
        }
      if (c == ',' || c == '\n' || c == '\r' || at_end)
        {
          gboolean ends_record = c != ',';
          gboolean blank = ends_record && record->len == 0 && cell->len == 0 && !was_quoted;

          if (!blank)
            g_ptr_array_add (record, g_strdup (cell->str));
          g_string_truncate (cell, 0);
          was_quoted = FALSE;
          column++;
          if (ends_record)
            {
              if (record->len > 0)
                {
                  g_ptr_array_add (record, NULL);
                  g_ptr_array_add (csv->records, g_ptr_array_free (g_steal_pointer (&record), FALSE));
                  g_array_append_val (csv->lines, record_line);
                  record = g_ptr_array_new_with_free_func (g_free);
                }
              if (c == '\r' && p + 1 < end && p[1] == '\n')
                p++;
              line++;
              record_line = line;
              column = 1;
            }
          p++;
          continue;
        }
      g_string_append_c (cell, c);
      p++;
    }

  for (guint i = 1; i < csv->records->len; i++)
    {
      guint cells = g_strv_length (csv->records->pdata[i]);
      guint expected = g_strv_length (csv->records->pdata[0]);

      if (cells != expected)
        {
          g_autofree char *reason = g_strdup_printf (_("%u cells where the header has %u"), cells, expected);

          return csv_fail (error, g_array_index (csv->lines, guint, i), MIN (cells, expected) + 1, reason), NULL;
        }
    }
  return g_steal_pointer (&csv);
}

void
sd_csv_append_record (GString            *out,
                      const char * const *cells)
{
  for (guint i = 0; cells[i] != NULL; i++)
    {
      const char *cell = cells[i];

      if (i > 0)
        g_string_append_c (out, ',');
      if (strpbrk (cell, ",\"\r\n") != NULL || g_ascii_isspace (cell[0])
          || (*cell && g_ascii_isspace (cell[strlen (cell) - 1])))
        {
          g_string_append_c (out, '"');
          for (const char *p = cell; *p; p++)
            {
              if (*p == '"')
                g_string_append_c (out, '"');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, cell);
    }
  g_string_append (out, "\r\n");
}

/* ---------------------------------------------------------------- tables */

static int
header_index (SdCsv      *csv,
              const char *column)
{
  const char * const *header = csv->records->pdata[0];

  for (guint i = 0; header[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (header[i]));

      if (g_str_equal (name, column))
        return i;
    }
  return -1;
}

static gboolean
cell_fail (GError     **error,
           SdCsv       *csv,
           guint        record,
           int          index,
           const char  *column,
           const char  *reason)
{
  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("line %u, column %u (%s): %s"),
               g_array_index (csv->lines, guint, record), index + 1, column, reason);
  return FALSE;
}

static gboolean
parse_bool (const char *text,
            gboolean   *out)
{
  static const char * const yes[] = { "yes", "true", "1", "y", "是", NULL };
  static const char * const no[] = { "no", "false", "0", "n", "否", NULL };
  g_autofree char *folded = g_utf8_strdown (text, -1);

  if (g_strv_contains (yes, folded))
    *out = TRUE;
  else if (g_strv_contains (no, folded))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
read_cell (JsonObject          *item,
           const Column        *column,
           const char          *text,
           const SdAdminLogins *logins,
           SdCsv               *csv,
           guint                record,
           int                  index,
           GError             **error)
{
  g_auto(GStrv) parts = NULL;
  JsonArray *array;
  gboolean value;

  if (*text == '\0')
    return TRUE;
  switch (column->kind)
    {
    case CELL_TEXT:
      json_object_set_string_member (item, column->member, text);
      return TRUE;
    case CELL_BOOL:
      if (!parse_bool (text, &value))
        {
          g_autofree char *reason = g_strdup_printf (_("“%s” is not yes or no"), text);
          return cell_fail (error, csv, record, index, column->column, reason);
        }
      json_object_set_boolean_member (item, column->member, value);
      return TRUE;
    case CELL_LOGIN:
    case CELL_LIST:
    case CELL_LOGINS:
    default:
      break;
    }

  parts = g_strsplit (text, ";", -1);
  array = json_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      const char *id = part;

      if (*part == '\0')
        continue;
      if (column->kind != CELL_LIST
          && (logins == NULL || !(id = g_hash_table_lookup (logins->id_by_login, part))))
        {
          g_autofree char *reason = g_strdup_printf (_("there is no user with the login “%s”"), part);

          json_array_unref (array);
          return cell_fail (error, csv, record, index, column->column, reason);
        }
      json_array_add_string_element (array, id);
    }
  if (column->kind == CELL_LOGIN)
    {
      if (json_array_get_length (array) != 1)
        {
          json_array_unref (array);
          return cell_fail (error, csv, record, index, column->column, _("one login is expected"));
        }
      json_object_set_string_member (item, column->member, json_array_get_string_element (array, 0));
      json_array_unref (array);
    }
  else
    json_object_set_array_member (item, column->member, array);
  return TRUE;
}

GPtrArray *
sd_admin_table_read (SdAdminTable         table,
                     SdCsv               *csv,
                     const SdAdminLogins *logins,
                     gboolean             partial,
                     GError             **error)
{
  const Column *columns = table_columns (table);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  const char * const *header;
  int indexes[16];

  if (csv->records->len == 0)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("line 1: the file has no header"));
      return NULL;
    }
  header = csv->records->pdata[0];
  for (guint c = 0; columns[c].column != NULL; c++)
    {
      indexes[c] = header_index (csv, columns[c].column);
      if (indexes[c] < 0 && !partial && !g_str_equal (columns[c].column, "id"))
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("line 1: the header has no column “%s”"),
                       columns[c].column);
          return NULL;
        }
    }
  for (guint i = 0; header[i] != NULL; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (header[i]));
      gboolean known = FALSE;

      for (guint c = 0; columns[c].column != NULL; c++)
        known = known || g_str_equal (columns[c].column, name);
      if (!known)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("line 1, column %u: unknown column “%s”"),
                       i + 1, name);
          return NULL;
        }
    }

  for (guint r = 1; r < csv->records->len; r++)
    {
      const char * const *cells = csv->records->pdata[r];
      JsonObject *item = json_object_new ();
      JsonNode *node = json_node_init_object (json_node_alloc (), item);

      g_ptr_array_add (items, node);
      json_object_unref (item);
      for (guint c = 0; columns[c].column != NULL; c++)
        {
          g_autofree char *text = NULL;

          if (indexes[c] < 0)
            continue;
          text = g_strstrip (g_strdup (cells[indexes[c]]));
          if (partial && *text == '\0')
            json_object_set_null_member (item, columns[c].member);
          else if (!read_cell (item, &columns[c], text, logins, csv, r, indexes[c], error))
            return NULL;
        }
    }
  return g_steal_pointer (&items);
}

char *
sd_admin_table_locate (SdAdminTable  table,
                       SdCsv        *csv,
                       const char   *field)
{
  const Column *columns = table_columns (table);
  g_autofree char *member = NULL;
  guint64 index;
  char *rest = NULL;
  int column = -1;

  if (field == NULL || !g_str_has_prefix (field, "items["))
    return NULL;
  index = g_ascii_strtoull (field + strlen ("items["), &rest, 10);
  if (rest == NULL || *rest != ']' || index + 1 >= csv->records->len)
    return NULL;
  if (rest[1] == '.')
    {
      member = g_strdup (rest + 2);
      member[strcspn (member, ".[")] = '\0';
    }
  for (guint c = 0; member != NULL && columns[c].column != NULL; c++)
    if (g_str_equal (columns[c].member, member))
      {
        column = header_index (csv, columns[c].column);
        if (column >= 0)
          return g_strdup_printf (_("line %u, column %d (%s)"), g_array_index (csv->lines, guint, index + 1),
                                  column + 1, columns[c].column);
      }
  return g_strdup_printf (_("line %u"), g_array_index (csv->lines, guint, index + 1));
}

GStrv
sd_admin_table_write (SdAdminTable         table,
                      JsonObject          *object,
                      const SdAdminLogins *logins)
{
  const Column *columns = table_columns (table);
  g_autoptr(GStrvBuilder) row = g_strv_builder_new ();

  for (guint c = 0; columns[c].column != NULL; c++)
    {
      JsonNode *member = json_object_get_member (object, columns[c].member);
      g_autoptr(GString) text = g_string_new (NULL);

      if (member == NULL || JSON_NODE_HOLDS_NULL (member))
        {
          /* Users are active unless they say otherwise. */
          g_strv_builder_add (row, columns[c].kind == CELL_BOOL
                                   && g_str_equal (columns[c].member, "active") ? "yes"
                                   : columns[c].kind == CELL_BOOL ? "no" : "");
          continue;
        }
      switch (columns[c].kind)
        {
        case CELL_BOOL:
          g_string_append (text, json_node_get_boolean (member) ? "yes" : "no");
          break;
        case CELL_LOGIN:
          {
            const char *id = json_node_get_string (member);
            const char *login = logins ? g_hash_table_lookup (logins->login_by_id, id) : NULL;

            g_string_append (text, login ? login : id);
          }
          break;
        case CELL_LIST:
        case CELL_LOGINS:
          {
            JsonArray *array = json_node_get_array (member);

            for (guint i = 0; i < json_array_get_length (array); i++)
              {
                const char *value = json_array_get_string_element (array, i);
                const char *login = columns[c].kind == CELL_LOGINS && logins
                                    ? g_hash_table_lookup (logins->login_by_id, value) : NULL;

                if (i > 0)
                  g_string_append_c (text, ';');
                g_string_append (text, login ? login : value);
              }
          }
          break;
        case CELL_TEXT:
        default:
          g_string_append (text, json_node_get_string (member));
          break;
        }
      g_strv_builder_add (row, text->str);
    }
  return g_strv_builder_end (row);
}
