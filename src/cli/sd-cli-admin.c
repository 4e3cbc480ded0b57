/* sd-cli-admin.c — supportdesk-cli admin: customers, contacts, users, SLA
 * policies, and CSV import and export, through the server's API
 *
 * Administration is done on the server, not through the local copy: each
 * command is one request (or a read and a write with If-Match), and the
 * server's refusal is printed as it says it. The account is the signed-in
 * one (the keyring's token), or --server with the token in
 * SUPPORTDESK_TOKEN for scripts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include <supportdesk.h>

#include "sd-cli.h"

#define EXIT_REFUSED 1

typedef struct {
  SoupSession *session;
  char        *base;   /* https://host/api/v1 */
  char        *token;
} Client;

static void
client_clear (Client *client)
{
  g_clear_object (&client->session);
  g_clear_pointer (&client->base, g_free);
  if (client->token != NULL)
    memset (client->token, 0, strlen (client->token));
  g_clear_pointer (&client->token, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

/* Parses the options of a verb (with the account's) and leaves the
 * positional arguments in @argc / @argv. */
static gboolean
parse (int            *argc,
       char         ***argv,
       const char     *parameters,
       GOptionEntry   *entries,
       SdCliAccountOptions *account,
       int            *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  sd_cli_add_account_options (context, account);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = sd_cli_fail ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
client_open (Client                    *client,
             const SdCliAccountOptions *options,
             int                       *status)
{
  const char *env = g_getenv ("SUPPORTDESK_TOKEN");
  g_autofree char *server = NULL;
  g_autofree char *login = NULL;
  g_autoptr(GError) error = NULL;

  if (env != NULL && *env != '\0' && options->server != NULL)
    {
      server = g_strdup (options->server);
      client->token = g_strdup (env);
    }
  else
    {
      if (!sd_cli_resolve_account (options, &server, &login, status))
        return FALSE;
      if (!(client->token = sd_credentials_lookup_token_sync (server, login, NULL, &error)))
        {
          *status = sd_cli_fail (_("No valid token for %s on %s: sign in again (%s)"), login, server,
                                 error ? error->message : _("it has expired"));
          return FALSE;
        }
    }
  if (!(client->base = sd_server_url_normalize (server, &error)))
    {
      *status = sd_cli_fail ("%s", error->message);
      return FALSE;
    }
  client->session = soup_session_new_with_options ("timeout", 120, "user-agent", "supportdesk-cli/" PACKAGE_VERSION,
                                                   NULL);
  return TRUE;
}

/* One request; the answer's JSON (NULL for 204), or NULL with @error
 * holding the server's detail and @field the member it names. */
static JsonNode *
call (Client      *client,
      const char  *method,
      const char  *path,
      const char  *body,
      gint64       if_match,
      char       **field,
      GError     **error)
{
  g_autofree char *uri = g_strconcat (client->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autofree char *authorization = g_strconcat ("Bearer ", client->token, NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) node = NULL;
  SoupMessageHeaders *headers;
  const char *text;
  gsize length;
  guint status;

  if (field != NULL)
    *field = NULL;
  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Not a URL: %s"), uri);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Authorization", authorization);
  if (if_match > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", if_match);
      soup_message_headers_replace (headers, "If-Match", etag);
    }
  if (g_str_equal (method, "POST"))
    {
      g_autofree char *key = g_uuid_string_random ();
      soup_message_headers_replace (headers, "Idempotency-Key", key);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  if (!(answer = soup_session_send_and_read (client->session, msg, NULL, error)))
    return NULL;
  status = soup_message_get_status (msg);
  text = g_bytes_get_data (answer, &length);
  if (length > 0)
    node = sd_json_parse (text, length, NULL);
  if (status >= 200 && status < 300)
    return status == SOUP_STATUS_NO_CONTENT ? NULL : g_steal_pointer (&node);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *problem = json_node_get_object (node);
      const char *detail = json_object_get_string_member_with_default (problem, "detail", NULL);
      const char *title = json_object_get_string_member_with_default (problem, "title", "");

      if (field != NULL)
        *field = g_strdup (json_object_get_string_member_with_default (problem, "field", NULL));
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, "%s (%u)", detail ? detail : title, status);
    }
  else
    g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("The server answered %u"), status);
  return NULL;
}

/* Every item of a collection, page after page. */
static GPtrArray *
list_all (Client      *client,
          const char  *collection,
          const char  *query,
          GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("%s?limit=1000%s%s%s%s", collection, query ? "&" : "", query ? query : "",
                                               cursor ? "&cursor=" : "", cursor ? escaped : "");
      g_autoptr(JsonNode) page = call (client, "GET", path, NULL, 0, NULL, error);
      JsonObject *object;
      JsonArray *array;

      if (page == NULL)
        return NULL;
      object = json_node_get_object (page);
      array = json_object_get_array_member (object, "items");
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (items, json_node_copy (json_array_get_element (array, i)));
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member_with_default (object, "next_cursor", NULL));
    }
  while (cursor != NULL);
  return g_steal_pointer (&items);
}

static void
logins_clear (SdAdminLogins *logins)
{
  g_clear_pointer (&logins->id_by_login, g_hash_table_unref);
  g_clear_pointer (&logins->login_by_id, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdAdminLogins, logins_clear)

static gboolean
load_logins (Client         *client,
             SdAdminLogins  *logins,
             GError        **error)
{
  g_autoptr(GPtrArray) users = list_all (client, "/users", NULL, error);

  if (users == NULL)
    return FALSE;
  logins->id_by_login = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  logins->login_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < users->len; i++)
    {
      JsonObject *user = json_node_get_object (users->pdata[i]);
      const char *login = json_object_get_string_member_with_default (user, "login", NULL);
      const char *id = json_object_get_string_member_with_default (user, "id", NULL);

      if (login == NULL || id == NULL)
        continue;
      g_hash_table_replace (logins->id_by_login, g_strdup (login), g_strdup (id));
      g_hash_table_replace (logins->login_by_id, g_strdup (id), g_strdup (login));
    }
  return TRUE;
}

static int
refused (const char   *what,
         const GError *error)
{
  if (what != NULL)
    g_printerr ("supportdesk-cli: %s: %s\n", what, error->message);
  else
    g_printerr ("supportdesk-cli: %s\n", error->message);
  return EXIT_REFUSED;
}

static char *
to_text (JsonNode *node)
{
  return sd_json_to_string (node, FALSE);
}

/* NAME=VALUE arguments as one row of @table: a patch (@partial) or a new
 * entity. */
static JsonNode *
row_from_arguments (SdAdminTable   table,
                    int            argc,
                    char         **argv,
                    Client        *client,
                    gboolean       partial,
                    GError       **error)
{
  g_auto(SdAdminLogins) logins = { 0 };
  g_autoptr(SdCsv) csv = g_new0 (SdCsv, 1);
  g_autoptr(GStrvBuilder) header = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autoptr(GPtrArray) items = NULL;
  guint line = 1;

  g_autoptr(GHashTable) given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const *columns = sd_admin_table_columns (table);

  csv->records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  csv->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  for (int i = 0; i < argc; i++)
    {
      const char *equals = strchr (argv[i], '=');

      if (equals == NULL)
        {
          g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("“%s” is not NAME=VALUE"), argv[i]);
          return NULL;
        }
      g_hash_table_replace (given, g_strndup (argv[i], equals - argv[i]), (gpointer) (equals + 1));
    }
  /* A new entity: the columns not given are empty. */
  for (guint i = 0; !partial && columns[i] != NULL; i++)
    if (!g_hash_table_contains (given, columns[i]))
      g_hash_table_insert (given, g_strdup (columns[i]), (gpointer) "");
  {
    GHashTableIter iter;
    gpointer name, value;

    g_hash_table_iter_init (&iter, given);
    while (g_hash_table_iter_next (&iter, &name, &value))
      {
        g_strv_builder_add (header, name);
        g_strv_builder_add (values, value);
      }
  }
  g_ptr_array_add (csv->records, g_strv_builder_end (header));
  g_ptr_array_add (csv->records, g_strv_builder_end (values));
  g_array_append_val (csv->lines, line);
  g_array_append_val (csv->lines, line);
  if (table == SD_ADMIN_TABLE_CUSTOMERS && !load_logins (client, &logins, error))
    return NULL;
  if (!(items = sd_admin_table_read (table, csv, &logins, partial, error)))
    return NULL;
  return json_node_ref (items->pdata[0]);
}

/* The id of the user with @login. */
static char *
user_id_of (Client      *client,
            const char  *login,
            GError     **error)
{
  g_auto(SdAdminLogins) logins = { 0 };
  const char *id;

  if (!load_logins (client, &logins, error))
    return NULL;
  if (!(id = g_hash_table_lookup (logins.id_by_login, login)))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("There is no user with the login “%s”"), login);
      return NULL;
    }
  return g_strdup (id);
}

/* GET then PATCH with If-Match: the edit fails rather than overwrite a
 * change made meanwhile. */
static JsonNode *
patch_entity (Client      *client,
              const char  *path,
              JsonNode    *patch,
              GError     **error)
{
  g_autoptr(JsonNode) current = call (client, "GET", path, NULL, 0, NULL, error);
  g_autofree char *body = NULL;

  if (current == NULL)
    return NULL;
  body = to_text (patch);
  return call (client, "PATCH", path,  body,
               json_object_get_int_member_with_default (json_node_get_object (current), "version", 0), NULL, error);
}

static void
print_entity (JsonNode *node)
{
  JsonObject *object = json_node_get_object (node);

  g_print ("%s\t%s\n", json_object_get_string_member_with_default (object, "id", ""),
           json_object_get_string_member_with_default (object, "name",
             json_object_get_string_member_with_default (object, "display_name", "")));
}

/* @items (JsonNode, as the API returns them) as the table's CSV. */
static GString *
write_table (SdAdminTable         table,
             GPtrArray           *items,
             const SdAdminLogins *logins)
{
  GString *out = g_string_new (NULL);

  sd_csv_append_record (out, sd_admin_table_columns (table));
  for (guint i = 0; i < items->len; i++)
    {
      g_auto(GStrv) row = sd_admin_table_write (table, json_node_get_object (items->pdata[i]), logins);

      sd_csv_append_record (out, (const char * const *) row);
    }
  return out;
}

/* ---------------------------------------------------------------- verbs */

typedef struct {
  SdAdminTable table;
  const char  *collection;
} Target;

static const Target customers = { SD_ADMIN_TABLE_CUSTOMERS, "/customers" };
static const Target contacts = { SD_ADMIN_TABLE_CONTACTS, "/contacts" };
static const Target users = { SD_ADMIN_TABLE_USERS, "/users" };

static int
run_list (const Target *target,
          int           argc,
          char        **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autofree char *search = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(SdAdminLogins) logins = { 0 };
  int status = 0;
  GOptionEntry entries[] = {
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only those whose name, login or e-mail holds TEXT"),
      N_("TEXT") },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_("Only the contacts of this customer"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GString) out = NULL;

  if (!parse (&argc, &argv, NULL, entries, &account, &status) || !client_open (&client, &account, &status))
    return status;
  if (search != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (search, NULL, FALSE);
      query = g_strconcat ("q=", escaped, NULL);
    }
  else if (customer != NULL)
    query = g_strconcat ("customer_id=", customer, NULL);
  if (!(items = list_all (&client, target->collection, query, &error))
      || (target->table == SD_ADMIN_TABLE_CUSTOMERS && !load_logins (&client, &logins, &error)))
    return refused (NULL, error);
  out = write_table (target->table, items, &logins);
  g_print ("%s", out->str);
  return EXIT_SUCCESS;
}

static int
run_add (const Target *target,
         int           argc,
         char        **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) row = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *body = NULL;
  int status = 0;

  if (!parse (&argc, &argv, N_("NAME=VALUE…"), NULL, &account, &status) || !client_open (&client, &account, &status))
    return status;
  if (!(row = row_from_arguments (target->table, argc - 1, argv + 1, &client, FALSE, &error)))
    return sd_cli_fail ("%s", error->message);
  body = to_text (row);
  if (!(created = call (&client, "POST", target->collection, body, 0, NULL, &error)))
    return refused (NULL, error);
  print_entity (created);
  /* A new user gets a temporary password to change at sign-in. */
  if (target->table == SD_ADMIN_TABLE_USERS)
    {
      g_autofree char *path = g_strdup_printf ("/users/%s/password-reset",
                                               json_object_get_string_member (json_node_get_object (created), "id"));
      g_autoptr(JsonNode) reset = call (&client, "POST", path, NULL, 0, NULL, &error);

      if (reset == NULL)
        return refused (NULL, error);
      g_print (_("Temporary password (to be changed at the first sign-in): %s\n"),
               json_object_get_string_member (json_node_get_object (reset), "temporary_password"));
    }
  return EXIT_SUCCESS;
}

/* The path of the entity named on the command line: an id, or a login
 * for users. */
static char *
entity_path (Client        *client,
             const Target  *target,
             const char    *name,
             GError       **error)
{
  g_autofree char *id = NULL;

  if (target->table == SD_ADMIN_TABLE_USERS)
    {
      if (!(id = user_id_of (client, name, error)))
        return NULL;
    }
  else
    id = g_uri_escape_string (name, NULL, FALSE);
  return g_strdup_printf ("%s/%s", target->collection, id);
}

/* The patch of an edit whose arguments are not NAME=VALUE: @argv[1] is
 * the entity, the rest its own. */
typedef char *(*PatchFunc) (int      argc,
                            char   **argv,
                            GError **error);

static int
edit_with (const Target *target,
           int           argc,
           char        **argv,
           const char   *fixed,       /* a patch of its own… */
           PatchFunc     make_patch)  /* …or made from the arguments; both NULL: NAME=VALUE */
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autofree char *path = NULL;
  g_autofree char *made = NULL;
  int status = 0;

  if (!parse (&argc, &argv, fixed ? N_("ID") : N_("ID NAME=VALUE…"), NULL, &account, &status)
      || !client_open (&client, &account, &status))
    return status;
  if (argc < 2 || (fixed != NULL && argc != 2))
    return sd_cli_fail ("%s", fixed ? _("Name one entity: its id, or a user's login")
                                    : _("Name one entity (its id, or a user's login) and its NAME=VALUE changes"));
  if (make_patch != NULL && !(made = make_patch (argc, argv, &error)))
    return sd_cli_fail ("%s", error->message);
  if (fixed != NULL || made != NULL)
    patch = json_from_string (fixed ? fixed : made, NULL);
  else if (!(patch = row_from_arguments (target->table, argc - 2, argv + 2, &client, TRUE, &error)))
    return sd_cli_fail ("%s", error->message);
  if (!(path = entity_path (&client, target, argv[1], &error))
      || !(saved = patch_entity (&client, path, patch, &error)))
    return refused (argv[1], error);
  print_entity (saved);
  return EXIT_SUCCESS;
}

static int customer_list (int argc, char **argv) { return run_list (&customers, argc, argv); }
static int customer_add (int argc, char **argv) { return run_add (&customers, argc, argv); }
static int customer_edit (int argc, char **argv) { return edit_with (&customers, argc, argv, NULL, NULL); }
static int customer_archive (int argc, char **argv) { return edit_with (&customers, argc, argv, "{\"archived\":true}", NULL); }
static int contact_list (int argc, char **argv) { return run_list (&contacts, argc, argv); }
static int contact_add (int argc, char **argv) { return run_add (&contacts, argc, argv); }
static int contact_edit (int argc, char **argv) { return edit_with (&contacts, argc, argv, NULL, NULL); }
static int user_list (int argc, char **argv) { return run_list (&users, argc, argv); }
static int user_add (int argc, char **argv) { return run_add (&users, argc, argv); }
static int user_edit (int argc, char **argv) { return edit_with (&users, argc, argv, NULL, NULL); }
static int user_deactivate (int argc, char **argv) { return edit_with (&users, argc, argv, "{\"active\":false}", NULL); }

/* customer renew ID start=DATE [end=DATE] [tier=TIER] [health_check_entitled=yes] */
static int
customer_renew (int    argc,
                char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) current = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) patch = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  JsonObject *period = json_object_new ();
  JsonObject *customer;
  JsonArray *contracts;
  int status = 0;

  if (!parse (&argc, &argv, N_("ID start=DATE [end=DATE] [tier=TIER] [health_check_entitled=yes|no]"), NULL,
              &account, &status) || !client_open (&client, &account, &status))
    {
      json_object_unref (period);
      return status;
    }
  for (int i = 2; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);

      if (pair[1] == NULL)
        {
          json_object_unref (period);
          return sd_cli_fail (_("“%s” is not NAME=VALUE"), argv[i]);
        }
      if (g_str_equal (pair[0], "health_check_entitled"))
        json_object_set_boolean_member (period, pair[0], g_str_equal (pair[1], "yes") || g_str_equal (pair[1], "true"));
      else
        json_object_set_string_member (period, pair[0], pair[1]);
    }
  path = g_strdup_printf ("/customers/%s", argc > 1 ? argv[1] : "");
  if (argc < 2 || !(current = call (&client, "GET", path, NULL, 0, NULL, &error)))
    {
      json_object_unref (period);
      return argc < 2 ? sd_cli_fail (_("Name the customer")) : refused (argv[1], error);
    }
  customer = json_node_get_object (current);
  if (!json_object_has_member (period, "tier"))
    json_object_set_string_member (period, "tier", json_object_get_string_member (customer, "tier"));
  contracts = json_object_has_member (customer, "contracts")
              ? json_array_ref (json_object_get_array_member (customer, "contracts")) : json_array_new ();
  /* An open-ended period ends the day before the renewal starts. */
  if (json_array_get_length (contracts) > 0)
    {
      JsonObject *last = json_array_get_object_element (contracts, json_array_get_length (contracts) - 1);
      const char *start = json_object_get_string_member_with_default (period, "start", NULL);
      guint32 day = 0;

      if (json_object_get_null_member (last, "end") && start != NULL && sd_date_parse (start, &day, NULL))
        {
          g_autofree char *end = sd_date_format (day - 1);
          json_object_set_string_member (last, "end", end);
        }
    }
  json_array_add_object_element (contracts, period);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "contracts");
  json_builder_add_value (builder, json_node_init_array (json_node_alloc (), contracts));
  json_builder_end_object (builder);
  json_array_unref (contracts);
  patch = json_builder_get_root (builder);
  body = to_text (patch);
  if (!(saved = call (&client, "PATCH", path, body,
                      json_object_get_int_member_with_default (customer, "version", 0), NULL, &error)))
    return refused (argv[1], error);
  print_entity (saved);
  return EXIT_SUCCESS;
}

/* user reset-password LOGIN */
static int
user_reset_password (int    argc,
                     char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reset = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  int status = 0;

  if (!parse (&argc, &argv, N_("LOGIN"), NULL, &account, &status) || !client_open (&client, &account, &status))
    return status;
  if (argc != 2)
    return sd_cli_fail (_("Name one user by their login"));
  if (!(id = user_id_of (&client, argv[1], &error)))
    return refused (NULL, error);
  path = g_strdup_printf ("/users/%s/password-reset", id);
  if (!(reset = call (&client, "POST", path, NULL, 0, NULL, &error)))
    return refused (argv[1], error);
  g_print (_("Temporary password (to be changed at the first sign-in): %s\n"),
           json_object_get_string_member (json_node_get_object (reset), "temporary_password"));
  return EXIT_SUCCESS;
}

/* user out-of-office LOGIN UNTIL|none */
static char *
out_of_office_patch (int      argc,
                     char   **argv,
                     GError **error)
{
  gint64 until = 0;

  if (argc != 3)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("Usage: supportdesk-cli admin user out-of-office LOGIN UNTIL|none"));
      return NULL;
    }
  if (g_str_equal (argv[2], "none"))
    return g_strdup ("{\"out_of_office_until\":null}");
  if (!sd_time_parse_iso8601 (argv[2], NULL, &until, error))
    return NULL;
  return g_strdup_printf ("{\"out_of_office_until\":\"%s\"}", argv[2]);
}

static int
user_out_of_office (int    argc,
                    char **argv)
{
  return edit_with (&users, argc, argv, NULL, out_of_office_patch);
}

/* The id of the user with the login @name, else @name itself: only admins
 * see logins, a duty manager names users by id (the server checks it). */
static char *
user_id_or_id (Client     *client,
               const char *name)
{
  char *id = user_id_of (client, name, NULL);

  return id != NULL ? id : g_uri_escape_string (name, NULL, FALSE);
}

/* user cover LOGIN|ID [--deputy LOGIN|ID|none] [--calendar ID|none]: who
 * answers for the user while they are out of office, and their own office
 * hours. */
static int
user_cover (int    argc,
            char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) patch = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autofree char *deputy = NULL;
  g_autofree char *calendar = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  int status = 0;
  GOptionEntry entries[] = {
    { "deputy", 0, 0, G_OPTION_ARG_STRING, &deputy,
      N_("Who answers the user's customers while they are out of office (a login or id, or “none”)"), N_("LOGIN") },
    { "calendar", 0, 0, G_OPTION_ARG_STRING, &calendar,
      N_("The user's own office hours (a calendar id, or “none”: their customers')"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };

  if (!parse (&argc, &argv, N_("LOGIN|ID"), entries, &account, &status) || !client_open (&client, &account, &status))
    return status;
  if (argc != 2 || (deputy == NULL && calendar == NULL))
    return sd_cli_fail (_("Name one user (their login, or id), with --deputy, --calendar or both"));
  json_builder_begin_object (builder);
  if (deputy != NULL)
    {
      g_autofree char *deputy_id = NULL;

      if (!g_str_equal (deputy, "none"))
        deputy_id = user_id_or_id (&client, deputy);
      json_builder_set_member_name (builder, "deputy_id");
      if (deputy_id != NULL)
        json_builder_add_string_value (builder, deputy_id);
      else
        json_builder_add_null_value (builder);
    }
  if (calendar != NULL)
    {
      json_builder_set_member_name (builder, "calendar_id");
      if (!g_str_equal (calendar, "none"))
        json_builder_add_string_value (builder, calendar);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  patch = json_builder_get_root (builder);
  id = user_id_or_id (&client, argv[1]);
  path = g_strdup_printf ("/users/%s", id);
  if (!(saved = patch_entity (&client, path, patch, &error)))
    return refused (argv[1], error);
  print_entity (saved);
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------ duty rota */

/* duty list: the shifts as CSV, with the duty manager's login. */
static int
duty_list (int    argc,
           char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_auto(SdAdminLogins) logins = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  const char * const header[] = { "id", "duty_manager", "start", "end", NULL };
  int status = 0;

  if (!parse (&argc, &argv, NULL, NULL, &account, &status) || !client_open (&client, &account, &status))
    return status;
  if (!(items = list_all (&client, "/duty-shifts", NULL, &error)) || !load_logins (&client, &logins, &error))
    return refused (NULL, error);
  sd_csv_append_record (out, header);
  for (guint i = 0; i < items->len; i++)
    {
      JsonObject *shift = json_node_get_object (items->pdata[i]);
      const char *manager = json_object_get_string_member_with_default (shift, "duty_manager_id", "");
      const char *login = g_hash_table_lookup (logins.login_by_id, manager);
      const char *row[] = {
        json_object_get_string_member_with_default (shift, "id", ""),
        login ? login : manager,
        json_object_get_string_member_with_default (shift, "start", ""),
        json_object_get_string_member_with_default (shift, "end", ""),
        NULL
      };

      sd_csv_append_record (out, row);
    }
  g_print ("%s", out->str);
  return EXIT_SUCCESS;
}

/* duty add LOGIN|ID START END */
static int
duty_add (int    argc,
          char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  gint64 start, end;
  int status = 0;

  if (!parse (&argc, &argv, N_("LOGIN|ID START END"), NULL, &account, &status)
      || !client_open (&client, &account, &status))
    return status;
  if (argc != 4)
    return sd_cli_fail (_("Name the duty manager (their login, or id), and the shift's start and end "
                          "(e.g. 2026-12-04T18:00+08:00)"));
  if (!sd_time_parse_iso8601 (argv[2], NULL, &start, &error) || !sd_time_parse_iso8601 (argv[3], NULL, &end, &error))
    return sd_cli_fail ("%s", error->message);
  id = user_id_or_id (&client, argv[1]);
  {
    g_autofree char *from = sd_time_format_iso8601 (start, NULL);
    g_autofree char *to = sd_time_format_iso8601 (end, NULL);

    body = g_strdup_printf ("{\"duty_manager_id\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}", id, from, to);
  }
  if (!(created = call (&client, "POST", "/duty-shifts", body, 0, NULL, &error)))
    return refused (NULL, error);
  g_print ("%s\n", json_object_get_string_member (json_node_get_object (created), "id"));
  return EXIT_SUCCESS;
}

/* duty remove ID */
static int
duty_remove (int    argc,
             char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) current = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  int status = 0;

  if (!parse (&argc, &argv, N_("ID"), NULL, &account, &status) || !client_open (&client, &account, &status))
    return status;
  if (argc != 2)
    return sd_cli_fail (_("Name one shift by its id (admin duty list)"));
  escaped = g_uri_escape_string (argv[1], NULL, FALSE);
  path = g_strdup_printf ("/duty-shifts/%s", escaped);
  if (!(current = call (&client, "GET", path, NULL, 0, NULL, &error)))
    return refused (argv[1], error);
  call (&client, "DELETE", path, NULL,
        json_object_get_int_member_with_default (json_node_get_object (current), "version", 0), NULL, &error);
  if (error != NULL)
    return refused (argv[1], error);
  return EXIT_SUCCESS;
}

/* user reassign FROM TO: every customer of one TAM to another. */
static int
user_reassign (int    argc,
               char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  int status = 0;

  if (!parse (&argc, &argv, N_("FROM-LOGIN TO-LOGIN"), NULL, &account, &status)
      || !client_open (&client, &account, &status))
    return status;
  if (argc != 3)
    return sd_cli_fail (_("Name the TAM whose customers move and the TAM who takes them"));
  if (!(from = user_id_of (&client, argv[1], &error)) || !(to = user_id_of (&client, argv[2], &error)))
    return refused (NULL, error);
  path = g_strdup_printf ("/users/%s/reassign", from);
  body = g_strdup_printf ("{\"to\":\"%s\"}", to);
  if (!(answer = call (&client, "POST", path, body, 0, NULL, &error)))
    return refused (argv[1], error);
  g_print (_("%s now has %d more customer(s) and %d more case(s)\n"), argv[2],
           (int) json_object_get_int_member (json_node_get_object (answer), "customers"),
           (int) json_object_get_int_member (json_node_get_object (answer), "cases"));
  return EXIT_SUCCESS;
}

/* sla set / sla override: a new version of the policy in force on the
 * day, with one target changed. */
static int
sla_change (int      argc,
            char   **argv,
            gboolean override)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) nodes = NULL;
  g_autoptr(GPtrArray) policies = NULL;
  g_autoptr(SdSlaPolicy) base = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *tier_name = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *from = NULL;
  g_autofree char *clock_name = NULL;
  g_autofree char *body = NULL;
  gint severity = 0, minutes = 0;
  guint32 day = 0;
  SdClockKind clock;
  SdTier tier = SD_TIER_STANDARD;
  int status = 0;
  GOptionEntry entries[] = {
    { "tier", 0, 0, G_OPTION_ARG_STRING, &tier_name, N_("The tier (msa_enterprise or standard)"), N_("TIER") },
    { "customer", 0, 0, G_OPTION_ARG_STRING, &customer, N_("The customer whose contract differs"), N_("ID") },
    { "severity", 0, 0, G_OPTION_ARG_INT, &severity, N_("The severity whose target changes (1–4)"), N_("N") },
    { "minutes", 0, 0, G_OPTION_ARG_INT, &minutes, N_("The response target in minutes"), N_("MINUTES") },
    { "clock", 0, 0, G_OPTION_ARG_STRING, &clock_name, N_("24x7 or business (default: as before)"), N_("CLOCK") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The day it takes effect (default: today)"), N_("DATE") },
    G_OPTION_ENTRY_NULL
  };

  if (!parse (&argc, &argv, NULL, entries, &account, &status) || !client_open (&client, &account, &status))
    return status;
  if (override && customer == NULL)
    return sd_cli_fail (_("Name the customer with --customer"));
  if (!override && (tier_name == NULL || !sd_tier_from_string (tier_name, &tier)))
    return sd_cli_fail (_("Name the tier with --tier (msa_enterprise or standard)"));
  if (!sd_severity_is_valid (severity) || minutes <= 0)
    return sd_cli_fail (_("Give --severity 1–4 and --minutes"));
  if (clock_name != NULL && !sd_clock_kind_from_string (clock_name, &clock))
    return sd_cli_fail (_("--clock is 24x7 or business"));
  if (from != NULL && !sd_date_parse (from, &day, NULL))
    return sd_cli_fail (_("--from is a date such as 2027-01-01"));
  if (day == 0)
    day = sd_sla_policy_day_of (g_get_real_time () / G_USEC_PER_SEC, NULL);
  if (override)
    {
      g_autofree char *path = g_strdup_printf ("/customers/%s", customer);
      g_autoptr(JsonNode) found = call (&client, "GET", path, NULL, 0, NULL, &error);
      g_autoptr(SdCustomer) decoded = found ? sd_customer_from_json (found, NULL, &error) : NULL;

      if (decoded == NULL)
        return refused (customer, error);
      tier = sd_customer_get_tier_on (decoded, day);
    }
  if (!(nodes = list_all (&client, "/sla-policies", NULL, &error)))
    return refused (NULL, error);
  policies = sd_kind_decode_all (sd_kind_lookup ("sla_policy"), nodes);
  base = sd_sla_policy_pick (policies, customer, tier, day);
  sd_sla_policy_set_target (base, severity, minutes,
                            clock_name ? clock : sd_sla_policy_get_clock (base, severity));
  sd_sla_policy_set_effective_from (base, day);
  sd_sla_policy_set_customer_id (base, customer);
  node = sd_sla_policy_to_json (base);
  json_object_remove_member (json_node_get_object (node), "id");
  body = to_text (node);
  if (!(created = call (&client, "POST", "/sla-policies", body, 0, NULL, &error)))
    return refused (NULL, error);
  g_print ("%s\n", json_object_get_string_member_with_default (json_node_get_object (created), "id", ""));
  return EXIT_SUCCESS;
}

static int sla_set (int argc, char **argv) { return sla_change (argc, argv, FALSE); }
static int sla_override (int argc, char **argv) { return sla_change (argc, argv, TRUE); }

/* import customers|contacts|users FILE [--dry-run] */
static int
admin_import (int    argc,
              char **argv)
{
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_auto(SdAdminLogins) logins = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCsv) csv = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *field = NULL;
  g_autofree char *path = NULL;
  gboolean dry_run = FALSE;
  SdAdminTable table;
  JsonObject *result;
  JsonArray *actions;
  gsize length;
  int status = 0;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and show what would change; write nothing"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!parse (&argc, &argv, N_("customers|contacts|users FILE.csv"), entries, &account, &status))
    return status;
  if (argc != 3 || !sd_admin_table_from_string (argv[1], &table))
    return sd_cli_fail (_("Usage: supportdesk-cli admin import customers|contacts|users FILE.csv [--dry-run]"));
  if (!g_file_get_contents (argv[2], &text, &length, &error))
    return sd_cli_fail ("%s", error->message);
  if (!(csv = sd_csv_parse (text, length, &error)))
    return sd_cli_fail ("%s: %s", argv[2], error->message);
  if (!client_open (&client, &account, &status))
    return status;
  if (table == SD_ADMIN_TABLE_CUSTOMERS && !load_logins (&client, &logins, &error))
    return refused (NULL, error);
  if (!(items = sd_admin_table_read (table, csv, &logins, FALSE, &error)))
    return sd_cli_fail ("%s: %s", argv[2], error->message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, dry_run);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    json_builder_add_value (builder, json_node_ref (items->pdata[i]));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = to_text (request);
  path = g_strdup_printf ("/import/%s", argv[1]);
  if (!(answer = call (&client, "POST", path, body, 0, &field, &error)))
    {
      g_autofree char *where = sd_admin_table_locate (table, csv, field);

      g_printerr ("supportdesk-cli: %s: %s%s%s\n", argv[2], where ? where : "", where ? ": " : "", error->message);
      return EXIT_REFUSED;
    }
  result = json_node_get_object (answer);
  actions = json_object_get_array_member (result, "items");
  for (guint i = 0; dry_run && i < json_array_get_length (actions); i++)
    {
      JsonObject *action = json_array_get_object_element (actions, i);

      g_print ("%s\t%s\n", json_object_get_string_member (action, "action"),
               json_object_get_string_member (action, "id"));
    }
  g_print (dry_run ? _("Would create %d, update %d, leave %d unchanged\n")
                   : _("Created %d, updated %d, left %d unchanged\n"),
           (int) json_object_get_int_member (result, "created"), (int) json_object_get_int_member (result, "updated"),
           (int) json_object_get_int_member (result, "unchanged"));
  return EXIT_SUCCESS;
}

/* export customers|contacts|users [--output FILE]: the import's format. */
static int
admin_export (int    argc,
              char **argv)
{
  static const char * const collections[] = { "/customers", "/contacts", "/users" };
  g_auto(SdCliAccountOptions) account = { 0 };
  g_auto(Client) client = { 0 };
  g_auto(SdAdminLogins) logins = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *output = NULL;
  SdAdminTable table;
  int status = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE (default: standard output)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!parse (&argc, &argv, N_("customers|contacts|users"), entries, &account, &status))
    return status;
  if (argc != 2 || !sd_admin_table_from_string (argv[1], &table))
    return sd_cli_fail (_("Usage: supportdesk-cli admin export customers|contacts|users [--output FILE]"));
  if (!client_open (&client, &account, &status))
    return status;
  if (!(items = list_all (&client, collections[table], NULL, &error))
      || (table == SD_ADMIN_TABLE_CUSTOMERS && !load_logins (&client, &logins, &error)))
    return refused (NULL, error);
  out = write_table (table, items, &logins);
  if (output == NULL)
    g_print ("%s", out->str);
  else if (!g_file_set_contents (output, out->str, out->len, &error))
    return sd_cli_fail ("%s", error->message);
  return EXIT_SUCCESS;
}

/* ------------------------------------------------------------- dispatch */

static const Verb customer_verbs[] = {
  { "list", N_("List customers as CSV (--search TEXT)"), customer_list },
  { "add", N_("Create a customer from NAME=VALUE (the import's columns)"), customer_add },
  { "edit", N_("Change a customer: ID NAME=VALUE…"), customer_edit },
  { "renew", N_("Add a contract period: ID start=DATE [end=DATE] [tier=TIER]"), customer_renew },
  { "archive", N_("Archive a customer (refused while it has open cases)"), customer_archive },
};

static const Verb contact_verbs[] = {
  { "list", N_("List contacts as CSV (--customer ID, --search TEXT)"), contact_list },
  { "add", N_("Create a contact from NAME=VALUE"), contact_add },
  { "edit", N_("Change a contact: ID NAME=VALUE…"), contact_edit },
};

static const Verb user_verbs[] = {
  { "list", N_("List users as CSV (--search TEXT)"), user_list },
  { "add", N_("Create a user from NAME=VALUE and print a temporary password"), user_add },
  { "edit", N_("Change a user: LOGIN NAME=VALUE… (role, display_name, email, active)"), user_edit },
  { "reset-password", N_("Give a user a temporary password, to be changed at sign-in"), user_reset_password },
  { "deactivate", N_("Deactivate a user; their sessions end at once"), user_deactivate },
  { "out-of-office", N_("Set a user out of office until a time, or “none”"), user_out_of_office },
  { "cover", N_("Set a user's deputy (--deputy) and own office hours (--calendar)"), user_cover },
  { "reassign", N_("Move every customer of one TAM to another, with their cases"), user_reassign },
};

static const Verb duty_verbs[] = {
  { "list", N_("List the duty rota as CSV"), duty_list },
  { "add", N_("Add a shift: LOGIN|ID START END"), duty_add },
  { "remove", N_("Remove a shift by its id"), duty_remove },
};

static const Verb sla_verbs[] = {
  { "set", N_("A new version of a tier's policy from a day on (--tier)"), sla_set },
  { "override", N_("A customer's own target, e.g. S2 in 2 h (--customer)"), sla_override },
};

static int run_customer (int argc, char **argv) { return sd_cli_dispatch ("admin customer", customer_verbs, G_N_ELEMENTS (customer_verbs), argc, argv); }
static int run_contact (int argc, char **argv) { return sd_cli_dispatch ("admin contact", contact_verbs, G_N_ELEMENTS (contact_verbs), argc, argv); }
static int run_user (int argc, char **argv) { return sd_cli_dispatch ("admin user", user_verbs, G_N_ELEMENTS (user_verbs), argc, argv); }
static int run_duty (int argc, char **argv) { return sd_cli_dispatch ("admin duty", duty_verbs, G_N_ELEMENTS (duty_verbs), argc, argv); }
static int run_sla (int argc, char **argv) { return sd_cli_dispatch ("admin sla", sla_verbs, G_N_ELEMENTS (sla_verbs), argc, argv); }

static const Verb admin_verbs[] = {
  { "customer", N_("Customers and their contract periods"), run_customer },
  { "contact", N_("Customers' contacts"), run_contact },
  { "user", N_("Users, passwords and TAM reassignment"), run_user },
  { "duty", N_("The duty rota: who answers outside TAM hours (duty managers and administrators)"), run_duty },
  { "sla", N_("SLA policy versions and customer overrides"), run_sla },
  { "calendar", N_("Business calendars on the server"), sd_cli_admin_calendar },
  { "import", N_("Import customers, contacts or users from CSV, all or nothing"), admin_import },
  { "export", N_("Export customers, contacts or users as CSV"), admin_export },
};

int
sd_cli_admin (int    argc,
              char **argv)
{
  return sd_cli_dispatch ("admin", admin_verbs, G_N_ELEMENTS (admin_verbs), argc, argv);
}
