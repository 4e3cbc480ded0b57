/* sd-admin-csv.h — customers, contacts and users as CSV tables, for bulk
 * onboarding and export
 *
 * One format both ways: a file exported and imported again changes
 * nothing. Files are UTF-8, with or without a byte-order mark, RFC 4180
 * quoting; errors name the line and the column. A customer's TAM and duty
 * managers are written as logins (a table of logins and ids converts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  SD_ADMIN_TABLE_CUSTOMERS,
  SD_ADMIN_TABLE_CONTACTS,
  SD_ADMIN_TABLE_USERS,
} SdAdminTable;

/* "customers", "contacts", "users". */
gboolean            sd_admin_table_from_string (const char          *name,
                                                SdAdminTable        *out);
/* The columns of @table, NULL-terminated, in the order export writes. */
const char * const *sd_admin_table_columns     (SdAdminTable         table);

/* A parsed file: its records (GStrv each; the header is the first) and
 * the line each record starts on. */
typedef struct {
  GPtrArray *records;  /* GStrv */
  GArray    *lines;    /* guint */
} SdCsv;

void                sd_csv_free                (SdCsv               *csv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCsv, sd_csv_free)

/* Parses @text; NULL with SD_ERROR_INVALID_VALUE "line L, column C: …"
 * for a stray or unclosed quote, text that is not UTF-8 or a record with
 * another number of cells than the header. */
SdCsv              *sd_csv_parse               (const char          *text,
                                                gsize                length,
                                                GError             **error);
/* Appends one record to @out, quoted where needed, ending in CRLF. */
void                sd_csv_append_record       (GString             *out,
                                                const char * const  *cells);

/* Logins and ids of users, both ways, for the customers table. */
typedef struct {
  GHashTable *id_by_login;  /* owned strings */
  GHashTable *login_by_id;
} SdAdminLogins;

/* The rows of @csv (after its header) as import items (JSON objects), in
 * order; NULL with SD_ERROR_INVALID_VALUE naming the line and the column.
 * The header must hold the table's columns (in any order; "id" may be
 * left out) — unless @partial, for a patch: then only the columns given
 * become members, an empty cell a null. */
GPtrArray          *sd_admin_table_read        (SdAdminTable         table,
                                                SdCsv               *csv,
                                                const SdAdminLogins *logins,
                                                gboolean             partial,
                                                GError             **error);
/* "line L, column C (name)" for an error the server gave on the member
 * @field ("items[3].time_zone") of the import read from @csv; NULL when
 * @field does not name a row. */
char               *sd_admin_table_locate      (SdAdminTable         table,
                                                SdCsv               *csv,
                                                const char          *field);
/* One row for the entity @object (as the API returns it). */
GStrv               sd_admin_table_write       (SdAdminTable         table,
                                                JsonObject          *object,
                                                const SdAdminLogins *logins);

G_END_DECLS
