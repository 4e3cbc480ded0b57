/* sd-server-admin.c — putting a customer base into service: customers and
 * their contract periods, contacts, users, TAM reassignment and bulk
 * imports
 *
 * Only admins write here (a duty manager may set anyone's out of office).
 * Every write goes through the store like the rest of the API: versions
 * and If-Match, Idempotency-Key on creates, the change feed and the audit
 * log. A refusal says why and names the field; a write of several
 * entities is one transaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <string.h>
#include <sd-model.h>

#include "sd-auth.h"
#include "sd-request-body.h"
#include "sd-server-private.h"

#define MIN_PASSWORD 8

/* ---------------------------------------------------------------- helpers */

static gboolean
require_admin (SdRequest *req)
{
  if (sd_user_get_role (req->user) == SD_ROLE_ADMIN)
    return TRUE;
  _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only an administrator may do this",
                       "Customers, contacts, users and imports are written by administrators.", NULL);
  return FALSE;
}

static void
refuse (SdRequest  *req,
        const char *slug,
        const char *title,
        const char *field,
        const char *format,
        ...) G_GNUC_PRINTF (5, 6);

static void
refuse (SdRequest  *req,
        const char *slug,
        const char *title,
        const char *field,
        const char *format,
        ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  _sd_respond_problem (req, SOUP_STATUS_CONFLICT, slug, title, detail, field);
}

static JsonNode *
parse_record (SdStoreRecord *record)
{
  return record != NULL && record->body != NULL ? sd_json_parse (record->body, -1, NULL) : NULL;
}

/* The live entities of @kind (of @customer_ids, NULL: all), decoded. */
static GPtrArray *
load_all (SdStore            *store,
          const char         *kind,
          const char * const *customer_ids)
{
  const SdKind *what = sd_kind_lookup (kind);
  SdStoreQuery query = { .customer_ids = customer_ids };
  g_autoptr(GPtrArray) records = sd_store_list (store, kind, &query, NULL);
  GPtrArray *objects = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      g_autoptr(JsonNode) node = parse_record (records->pdata[i]);
      GObject *object = node ? what->decode (node, NULL, NULL) : NULL;

      if (object != NULL)
        g_ptr_array_add (objects, object);
    }
  return objects;
}

static SdUser *
load_user (SdStore    *store,
           const char *id)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (store, "user", id, NULL);
  g_autoptr(JsonNode) node = parse_record (record);

  return node ? sd_user_from_json (node, NULL, NULL) : NULL;
}

static guint32
today_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDate) date = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                          g_date_time_get_month (now),
                                          g_date_time_get_year (now));

  return g_date_get_julian (date);
}

static gboolean
case_is_open (SdCase *kase)
{
  SdCaseStatus status = sd_case_get_status (kase);

  return status != SD_CASE_STATUS_RESOLVED && status != SD_CASE_STATUS_CLOSED;
}

static guint
count_open_cases (SdStore    *store,
                  const char *customer_id)
{
  const char *ids[] = { customer_id, NULL };
  g_autoptr(GPtrArray) cases = load_all (store, "case", ids);
  guint n = 0;

  for (guint i = 0; i < cases->len; i++)
    if (case_is_open (cases->pdata[i]))
      n++;
  return n;
}

/* The names of the customers (not archived) whose TAM is @user_id, or
 * NULL when there is none. */
static char *
customers_of_tam (SdStore    *store,
                  const char *user_id,
                  guint      *n)
{
  g_autoptr(GPtrArray) customers = load_all (store, "customer", NULL);
  g_autoptr(GString) names = NULL;

  *n = 0;
  for (guint i = 0; i < customers->len; i++)
    {
      SdCustomer *customer = customers->pdata[i];

      if (sd_customer_get_archived (customer) || g_strcmp0 (sd_customer_get_tam_id (customer), user_id) != 0)
        continue;
      if (names == NULL)
        names = g_string_new (NULL);
      else
        g_string_append (names, ", ");
      g_string_append (names, sd_customer_get_name (customer));
      (*n)++;
    }
  return names ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

/* A staff member a customer may name: a user, active, in @role. */
static gboolean
check_staff (SdStore     *store,
             const char  *user_id,
             SdRole       role,
             const char  *path,
             const char  *field,
             GError     **error)
{
  g_autoptr(SdUser) user = load_user (store, user_id);

  if (user == NULL)
    return sd_json_set_invalid (error, path, field, "there is no user “%s”", user_id);
  if (!sd_user_get_active (user))
    return sd_json_set_invalid (error, path, field, "%s is deactivated", sd_user_get_display_name (user));
  if (sd_user_get_role (user) != role)
    return sd_json_set_invalid (error, path, field, "%s is not a %s", sd_user_get_display_name (user),
                                sd_role_to_string (role));
  return TRUE;
}

/* What a customer refers to exists: its calendar, TAM and duty managers. */
static gboolean
check_customer (SdStore     *store,
                SdCustomer  *customer,
                const char  *path,
                GError     **error)
{
  const char *calendar_id = sd_customer_get_calendar_id (customer);
  const char * const *duty = sd_customer_get_duty_manager_ids (customer);
  g_autoptr(SdStoreRecord) calendar = sd_store_get (store, "calendar", calendar_id, NULL);

  if (calendar == NULL)
    {
      g_autoptr(SdCalendar) builtin = sd_calendar_new_builtin (calendar_id);

      if (builtin == NULL)
        return sd_json_set_invalid (error, path, "calendar_id", "there is no calendar “%s”", calendar_id);
    }
  if (sd_customer_get_tam_id (customer) != NULL
      && !check_staff (store, sd_customer_get_tam_id (customer), SD_ROLE_TAM, path, "tam_id", error))
    return FALSE;
  for (guint i = 0; duty != NULL && duty[i] != NULL; i++)
    {
      g_autofree char *field = g_strdup_printf ("duty_manager_ids[%u]", i);

      if (!check_staff (store, duty[i], SD_ROLE_DUTY_MANAGER, path, field, error))
        return FALSE;
    }
  return TRUE;
}

/* The customer's own contract fields follow its contract periods: the
 * period in force today, else the last one. A customer created with only
 * contract dates gets its first period from them. */
static void
settle_contracts (SdCustomer *customer)
{
  const SdContractPeriod *period;
  guint n = sd_customer_get_n_contracts (customer);

  if (n == 0)
    {
      SdContractPeriod first = {
        .start = sd_customer_get_contract_start (customer),
        .end = sd_customer_get_contract_end (customer),
        .tier = sd_customer_get_tier (customer),
        .health_check_entitled = sd_customer_get_health_check_entitled (customer),
      };

      if (first.start == 0 || !sd_customer_add_contract (customer, &first, NULL))
        return;
      n = 1;
    }
  period = sd_customer_get_contract_on (customer, today_utc ());
  if (period == NULL)
    period = sd_customer_get_contract (customer, n - 1);
  sd_customer_set_tier (customer, period->tier);
  sd_customer_set_health_check_entitled (customer, period->health_check_entitled);
  sd_customer_set_contract_start (customer, period->start);
  sd_customer_set_contract_end (customer, period->end);
}

/* A period that ended before today is history: an edit keeps it. */
static gboolean
check_history_kept (SdCustomer  *before,
                    SdCustomer  *after,
                    const char  *path,
                    GError     **error)
{
  guint32 today = today_utc ();

  for (guint i = 0; i < sd_customer_get_n_contracts (before); i++)
    {
      const SdContractPeriod *old = sd_customer_get_contract (before, i);
      const SdContractPeriod *now = i < sd_customer_get_n_contracts (after)
                                    ? sd_customer_get_contract (after, i) : NULL;

      if (old->end == 0 || old->end >= today)
        continue;
      if (now == NULL || memcmp (old, now, sizeof *old) != 0)
        {
          g_autofree char *field = g_strdup_printf ("contracts[%u]", i);

          return sd_json_set_invalid (error, path, field,
                                      "a contract period that has ended is kept as it was; add a new one");
        }
    }
  return TRUE;
}

static JsonNode *
encode_customer (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_customer_set_version (SD_CUSTOMER (render->object), version);
  sd_customer_set_updated_at (SD_CUSTOMER (render->object), updated_at);
  return sd_customer_to_json (SD_CUSTOMER (render->object));
}

static JsonNode *
encode_contact (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_contact_set_version (SD_CONTACT (render->object), version);
  sd_contact_set_updated_at (SD_CONTACT (render->object), updated_at);
  return sd_contact_to_json (SD_CONTACT (render->object));
}

static JsonNode *
encode_user (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  sd_user_set_version (SD_USER (render->object), version);
  sd_user_set_updated_at (SD_USER (render->object), updated_at);
  return sd_user_to_json (SD_USER (render->object));
}

/* The body of a create without the members only the server writes, with
 * an id chosen when the client gave none. */
static JsonNode *
new_entity_input (JsonObject *body,
                  const char *kind)
{
  JsonNode *input = sd_request_body_without (body, sd_kind_lookup (kind)->read_only);
  JsonObject *object = json_node_get_object (input);

  if (!json_object_has_member (object, "id"))
    {
      g_autofree char *uuid = g_uuid_string_random ();
      json_object_set_string_member (object, "id", uuid);
    }
  return input;
}

/* Writes a new @entity of @kind with the request's Idempotency-Key and
 * answers 201. */
static void
put_created (SdRequest  *req,
             const char *kind,
             GObject    *entity,
             Encoder     encode,
             const char *idempotency)
{
  const SdKind *what = sd_kind_lookup (kind);
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  Render render = { entity, encode, req->store };
  const char *customer_id = what->get_customer_id ? what->get_customer_id (entity) : NULL;

  record = sd_store_put (req->store, kind, what->get_id (entity), customer_id, NULL, 0, idempotency,
                         _sd_render_cb, &render, NULL, &error);
  if (record == NULL)
    {
      _sd_respond_store_error (req, error);
      return;
    }
  location = g_strconcat (API_PREFIX, what->collection ? what->collection : "/customers", "/", record->id, NULL);
  _sd_respond_created (req, record, location);
}

/* A stored @kind record (decoded) merged with a patch; NULL after
 * answering. */
static GObject *
patched_entity (SdRequest           *req,
                const char          *kind,
                const char * const  *immutable,
                gint64              *expected,
                SdStoreRecord      **record,
                GObject            **before)
{
  const SdKind *what = sd_kind_lookup (kind);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *patch;
  GObject *after;

  if (!(patch = _sd_patch_begin (req, kind, expected, record, &root)))
    return NULL;
  stored = parse_record (*record);
  *before = stored ? what->decode (stored, NULL, NULL) : NULL;
  if (*before == NULL)
    {
      _sd_respond_not_found (req);
      return NULL;
    }
  if (!sd_request_body_merge (json_node_get_object (stored), patch, kind, immutable, what->patch_ignored, &error)
      || !(after = what->decode (stored, NULL, &error)))
    {
      _sd_respond_invalid (req, error);
      return NULL;
    }
  return after;
}

/* Whether a live contact other than @self_id has @email. */
static gboolean
check_contact (SdStore     *store,
               SdContact   *contact,
               GPtrArray   *contacts,
               const char  *path,
               GError     **error)
{
  g_autoptr(SdStoreRecord) customer = sd_store_get (store, "customer", sd_contact_get_customer_id (contact), NULL);
  g_autofree char *key = sd_contact_email_key (sd_contact_get_email (contact));

  if (customer == NULL)
    return sd_json_set_invalid (error, path, "customer_id", "there is no customer “%s”",
                                sd_contact_get_customer_id (contact));
  for (guint i = 0; contacts != NULL && i < contacts->len; i++)
    {
      SdContact *other = contacts->pdata[i];
      g_autofree char *other_key = NULL;

      if (g_str_equal (sd_contact_get_id (other), sd_contact_get_id (contact)) || sd_contact_get_archived (other))
        continue;
      other_key = sd_contact_email_key (sd_contact_get_email (other));
      if (g_str_equal (key, other_key))
        return sd_json_set_invalid (error, path, "email", "%s is already the e-mail of %s",
                                    sd_contact_get_email (contact), sd_contact_get_name (other));
    }
  return TRUE;
}

static gboolean
check_new_login (SdStore     *store,
                 SdUser      *user,
                 GPtrArray   *users,
                 const char  *path,
                 GError     **error)
{
  const char *login = sd_user_get_login (user);
  char *existing_id = NULL, *existing_hash = NULL;

  if (strlen (login) > MAX_LOGIN || strpbrk (login, " \t\r\n") != NULL)
    return sd_json_set_invalid (error, path, "login", "“%s” is not a login (no spaces, at most %d bytes)",
                                login, MAX_LOGIN);
  if (sd_store_get_password (store, login, &existing_id, &existing_hash, NULL))
    {
      gboolean other = g_strcmp0 (existing_id, sd_user_get_id (user)) != 0;

      g_free (existing_id);
      g_free (existing_hash);
      if (other)
        return sd_json_set_invalid (error, path, "login", "the login “%s” exists already", login);
    }
  for (guint i = 0; users != NULL && i < users->len; i++)
    if (g_strcmp0 (sd_user_get_login (users->pdata[i]), login) == 0
        && g_strcmp0 (sd_user_get_id (users->pdata[i]), sd_user_get_id (user)) != 0)
      return sd_json_set_invalid (error, path, "login", "the login “%s” exists already", login);
  return TRUE;
}

/* ---------------------------------------------------------------- creates */

/* The checks a new or imported entity of each kind passes beyond its
 * codec: what it refers to exists, what must be unique is. */
static gboolean
check_new_customer (SdStore     *store,
                    GObject     *entity,
                    const char  *path,
                    GError     **error)
{
  if (!check_customer (store, SD_CUSTOMER (entity), path, error))
    return FALSE;
  settle_contracts (SD_CUSTOMER (entity));
  return TRUE;
}

static gboolean
check_new_contact (SdStore     *store,
                   GObject     *entity,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(GPtrArray) contacts = load_all (store, "contact", NULL);

  return check_contact (store, SD_CONTACT (entity), contacts, path, error);
}

/* A new user has no password: an admin resets it to a temporary one,
 * which the user changes at their first sign-in. */
static gboolean
check_new_user (SdStore     *store,
                GObject     *entity,
                const char  *path,
                GError     **error)
{
  g_autoptr(GPtrArray) users = load_all (store, "user", NULL);

  if (!check_new_login (store, SD_USER (entity), users, path, error)
      || !_sd_check_user_coverage (store, SD_USER (entity), path, error))
    return FALSE;
  sd_user_set_active (SD_USER (entity), TRUE);
  sd_user_set_must_change_password (SD_USER (entity), TRUE);
  return TRUE;
}

typedef struct {
  const char *kind;
  gboolean  (*check) (SdStore *store, GObject *entity, const char *path, GError **error);
  Encoder     encode;
} Writable;

static const Writable writable_customer = { "customer", check_new_customer, encode_customer };
static const Writable writable_contact = { "contact", check_new_contact, encode_contact };
static const Writable writable_user = { "user", check_new_user, encode_user };

/* POST on an admin collection: decoded by the kind's codec (users in
 * full), checked, written with the request's Idempotency-Key. */
static void
create_entity (SdRequest      *req,
               const Writable *what)
{
  const SdKind *kind = sd_kind_lookup (what->kind);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(GObject) entity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *idempotency = NULL;
  JsonObject *body;

  if (!require_admin (req) || !_sd_request_idempotency (req, &idempotency)
      || !(body = _sd_read_body (req, &root)))
    return;
  input = new_entity_input (body, what->kind);
  entity = what == &writable_user ? G_OBJECT (sd_user_from_json (input, NULL, &error))
                                  : kind->decode (input, NULL, &error);
  if (entity == NULL || !what->check (req->store, entity, what->kind, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  put_created (req, what->kind, entity, what->encode, idempotency);
}

void
_sd_handle_create_customer (SdRequest *req)
{
  create_entity (req, &writable_customer);
}

void
_sd_handle_create_contact (SdRequest *req)
{
  create_entity (req, &writable_contact);
}

void
_sd_handle_create_user (SdRequest *req)
{
  create_entity (req, &writable_user);
}

/* ------------------------------------------------------------- customers */

static gboolean
customer_access_cb (SdRequest  *req,
                    gpointer    user_data,
                    GError    **error)
{
  GObject **customers = user_data;  /* before, after */

  return _sd_customer_access_changed (req->store, SD_CUSTOMER (customers[0]), SD_CUSTOMER (customers[1]), error);
}

void
_sd_handle_update_customer (SdRequest *req)
{
  static const char * const immutable[] = { "id", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GObject) before = NULL;
  g_autoptr(GObject) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected;
  guint open;

  if (!require_admin (req)
      || !(after = patched_entity (req, "customer", immutable, &expected, &record, &before)))
    return;
  if (!check_history_kept (SD_CUSTOMER (before), SD_CUSTOMER (after), "customer", &error)
      || !check_customer (req->store, SD_CUSTOMER (after), "customer", &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (!sd_customer_get_archived (SD_CUSTOMER (before)) && sd_customer_get_archived (SD_CUSTOMER (after))
      && (open = count_open_cases (req->store, record->id)) > 0)
    {
      refuse (req, "open-cases", "A customer with open cases cannot be archived", "archived",
              "%s has %u open case(s); resolve or close them first.",
              sd_customer_get_name (SD_CUSTOMER (after)), open);
      return;
    }
  settle_contracts (SD_CUSTOMER (after));
  _sd_update_entity_then (req, record, expected, after, encode_customer, NULL,
                          customer_access_cb, (gpointer[]) { before, after });
}

/* -------------------------------------------------------------- contacts */

void
_sd_handle_list_contacts (SdRequest *req)
{
  SdStoreFilter filters[1];
  guint n = 0;

  if (!_sd_add_filter (req, filters, &n, "customer_id", "$.customer_id", sd_json_id_is_valid))
    return;
  _sd_list_kind (req, "contact", TRUE, filters, n);
}

void
_sd_handle_get_contact (SdRequest *req)
{
  _sd_get_kind (req, "contact");
}

void
_sd_handle_update_contact (SdRequest *req)
{
  static const char * const immutable[] = { "id", "customer_id", NULL };
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GObject) before = NULL;
  g_autoptr(GObject) after = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected;

  if (!require_admin (req)
      || !(after = patched_entity (req, "contact", immutable, &expected, &record, &before)))
    return;
  contacts = load_all (req->store, "contact", NULL);
  if (!check_contact (req->store, SD_CONTACT (after), contacts, "contact", &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  _sd_update_entity (req, record, expected, after, encode_contact, NULL);
}

/* ----------------------------------------------------------------- users */


/* Whether @before may become @after: a TAM who is the TAM of customers
 * stays an active TAM until they are reassigned. Answers when not. */
static gboolean
check_tam_released (SdRequest *req,
                    SdUser    *before,
                    SdUser    *after)
{
  g_autofree char *names = NULL;
  guint n = 0;

  if (sd_user_get_role (before) != SD_ROLE_TAM
      || (sd_user_get_active (after) && sd_user_get_role (after) == SD_ROLE_TAM))
    return TRUE;
  if (!(names = customers_of_tam (req->store, sd_user_get_id (before), &n)))
    return TRUE;
  refuse (req, "only-tam", "This user is the TAM of customers",
          sd_user_get_active (after) ? "role" : "active",
          "%s is the only TAM of %u customer(s): %s. Reassign them first "
          "(POST /users/%s/reassign).", sd_user_get_display_name (before), n, names, sd_user_get_id (before));
  return FALSE;
}

/* Someone stays able to administer: the last active admin keeps the role
 * and stays active. Answers when not. */
static gboolean
check_admin_kept (SdRequest *req,
                  SdUser    *before,
                  SdUser    *after)
{
  g_autoptr(GPtrArray) users = NULL;
  guint admins = 0;

  if (sd_user_get_role (before) != SD_ROLE_ADMIN || !sd_user_get_active (before)
      || (sd_user_get_active (after) && sd_user_get_role (after) == SD_ROLE_ADMIN))
    return TRUE;
  users = load_all (req->store, "user", NULL);
  for (guint i = 0; i < users->len; i++)
    if (sd_user_get_role (users->pdata[i]) == SD_ROLE_ADMIN && sd_user_get_active (users->pdata[i]))
      admins++;
  if (admins > 1)
    return TRUE;
  refuse (req, "last-admin", "This user is the last administrator",
          sd_user_get_active (after) ? "role" : "active",
          "%s is the only active administrator; make someone else an administrator first.",
          sd_user_get_display_name (before));
  return FALSE;
}

/* Admins change anything but the id and login; a duty manager sets
 * anyone's out of office and deputy; everyone else their own. */
void
_sd_handle_update_user (SdRequest *req)
{
  static const char * const fixed[] = { "id", "login", "must_change_password", NULL };
  static const char * const availability_only[] = {
    "id", "login", "must_change_password", "display_name", "role", "email", "active", "calendar_id", NULL
  };
  SdRole role = sd_user_get_role (req->user);
  gboolean own = g_strcmp0 (req->params->pdata[0], req->user_id) == 0;
  const char * const *immutable = role == SD_ROLE_ADMIN ? fixed : availability_only;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autoptr(GObject) before = NULL;
  g_autoptr(GObject) after = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected;

  if (role != SD_ROLE_ADMIN && role != SD_ROLE_DUTY_MANAGER && !own)
    {
      _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "forbidden", "Only your own account can be changed",
                           "A user sets their own availability; ask an administrator for anything else.", NULL);
      return;
    }
  if (!(after = patched_entity (req, "user", immutable, &expected, &record, &before)))
    return;
  /* The kind decodes the limited view; keep the login and the flags. */
  stored = parse_record (record);
  g_clear_object (&before);
  before = G_OBJECT (sd_user_from_json (stored, NULL, NULL));
  sd_user_set_login (SD_USER (after), sd_user_get_login (SD_USER (before)));
  sd_user_set_must_change_password (SD_USER (after), sd_user_get_must_change_password (SD_USER (before)));
  if (!_sd_check_user_coverage (req->store, SD_USER (after), "user", &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (!check_tam_released (req, SD_USER (before), SD_USER (after))
      || !check_admin_kept (req, SD_USER (before), SD_USER (after)))
    return;
  _sd_update_entity (req, record, expected, after, encode_user, NULL);
}

/* A new password, checked and hashed off the main loop (argon2id), then
 * stored with the user's flag in one transaction. */
typedef struct {
  SdServer          *server;
  SoupServerMessage *msg;
  char              *actor_id;        /* who asked */
  char              *session;
  char              *user_id;         /* whose password */
  char              *login;
  char              *current_hash;    /* to check @current against; NULL: no check */
  char              *current;
  char              *password;
  char              *hash;            /* out */
  gboolean           temporary;       /* a reset: answer with the password */
} PasswordChange;

static void
wipe (char *secret)
{
  if (secret != NULL)
    {
      memset (secret, 0, strlen (secret));
      g_free (secret);
    }
}

static void
password_change_free (PasswordChange *change)
{
  g_clear_object (&change->server);
  g_clear_object (&change->msg);
  g_free (change->actor_id);
  g_free (change->session);
  g_free (change->user_id);
  g_free (change->login);
  g_free (change->current_hash);
  wipe (change->current);
  wipe (change->password);
  g_free (change->hash);
  g_free (change);
}

static void
password_hash_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  PasswordChange *change = task_data;
  GError *error = NULL;

  if (change->current_hash != NULL && !sd_auth_verify_password (change->current_hash, change->current))
    {
      g_task_return_new_error (task, SD_ERROR, SD_ERROR_INVALID_VALUE, "wrong password");
      return;
    }
  if (!(change->hash = sd_auth_hash_password (change->password, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
store_password (SdRequest      *req,
                PasswordChange *change,
                GError        **error)
{
  g_autoptr(SdStoreRecord) record = sd_store_get (req->store, "user", change->user_id, error);
  g_autoptr(JsonNode) node = parse_record (record);
  g_autoptr(SdUser) user = node ? sd_user_from_json (node, NULL, error) : NULL;
  g_autoptr(SdStoreRecord) saved = NULL;
  Render render;

  if (user == NULL)
    return FALSE;
  sd_user_set_must_change_password (user, change->temporary);
  render = (Render) { G_OBJECT (user), encode_user, req->store };
  if (!sd_store_begin (req->store, error))
    return FALSE;
  if (!sd_store_set_password (req->store, change->user_id, change->login, change->hash, error)
      || !(saved = sd_store_put (req->store, "user", record->id, NULL, NULL, record->version, NULL,
                                 _sd_render_cb, &render, NULL, error))
      || !sd_store_commit (req->store, error))
    {
      sd_store_rollback (req->store);
      return FALSE;
    }
  return TRUE;
}

static void
password_hashed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PasswordChange *change = g_task_get_task_data (G_TASK (result));
  SdRequest req = { .server = change->server, .msg = change->msg, .store = change->server->store,
                    .calendars = change->server->calendars,
                    .user_id = change->actor_id, .session = change->session };
  g_autoptr(GError) error = NULL;

  change->server->checking--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, SD_ERROR, SD_ERROR_INVALID_VALUE))
        _sd_respond_problem (&req, SOUP_STATUS_FORBIDDEN, "wrong-password", "The current password is wrong",
                             NULL, "current_password");
      else
        _sd_respond_store_error (&req, error);
    }
  else
    {
      gboolean stored;

      /* The request's actor, for the audit log, as on the main path. */
      _sd_request_audit_begin (&req);
      stored = store_password (&req, change, &error);
      _sd_request_audit_end (&req);
      if (!stored)
        _sd_respond_store_error (&req, error);
      else if (change->temporary)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "login");
          json_builder_add_string_value (builder, change->login);
          json_builder_set_member_name (builder, "temporary_password");
          json_builder_add_string_value (builder, change->password);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          _sd_request_set_header (&req, "Cache-Control", "no-store");
          _sd_respond_node (&req, SOUP_STATUS_OK, root);
        }
      else
        soup_server_message_set_status (change->msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  soup_server_message_unpause (change->msg);
}

static void
start_password_change (SdRequest      *req,
                       PasswordChange *change)
{
  g_autoptr(GTask) task = NULL;

  if (req->server->checking >= MAX_PASSWORD_CHECKS)
    {
      password_change_free (change);
      _sd_respond_retry_later (req, SOUP_STATUS_SERVICE_UNAVAILABLE, 1, "busy", "Too many password changes at once");
      return;
    }
  change->server = g_object_ref (req->server);
  change->msg = g_object_ref (req->msg);
  change->actor_id = g_strdup (req->user_id);
  change->session = g_strdup (req->session);
  req->server->checking++;
  soup_server_message_pause (req->msg);
  task = g_task_new (req->server, NULL, password_hashed_cb, NULL);
  g_task_set_task_data (task, change, (GDestroyNotify) password_change_free);
  g_task_run_in_thread (task, password_hash_thread);
}

/* POST /users/{id}/password-reset: a temporary password, shown once; the
 * user must change it when they sign in. */
void
_sd_handle_reset_password (SdRequest *req)
{
  g_autoptr(SdUser) user = NULL;
  g_autofree char *token = NULL;
  PasswordChange *change;

  if (!require_admin (req))
    return;
  if (!(user = load_user (req->store, req->params->pdata[0])))
    {
      _sd_respond_not_found (req);
      return;
    }
  token = sd_auth_new_token ();
  change = g_new0 (PasswordChange, 1);
  change->user_id = g_strdup (sd_user_get_id (user));
  change->login = g_strdup (sd_user_get_login (user));
  change->password = g_strndup (token, 16);
  change->temporary = TRUE;
  start_password_change (req, change);
}

/* POST /me/password: the user's own, with the current one. */
void
_sd_handle_change_password (SdRequest *req)
{
  static const char * const known[] = { "current_password", "new_password", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *current = NULL, *password = NULL;
  char *user_id = NULL;
  PasswordChange *change;
  JsonObject *body;

  if (!(body = _sd_read_body (req, &root)))
    return;
  if (!sd_json_check_fields (body, NULL, known, &error)
      || !sd_json_get_string (body, NULL, "current_password", TRUE, &current, &error)
      || !sd_json_get_text (body, NULL, "new_password", TRUE, &password, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (strlen (password) < MIN_PASSWORD || strlen (password) > MAX_PASSWORD || g_str_equal (password, current))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “new_password”: 8 to 1024 bytes, and not the current password", "new_password");
      return;
    }
  change = g_new0 (PasswordChange, 1);
  change->user_id = g_strdup (req->user_id);
  change->login = g_strdup (sd_user_get_login (req->user));
  change->current = g_strdup (current);
  change->password = g_strdup (password);
  if (!sd_store_get_password (req->store, change->login, &user_id, &change->current_hash, NULL))
    {
      password_change_free (change);
      _sd_respond_problem (req, SOUP_STATUS_FORBIDDEN, "wrong-password", "The current password is wrong",
                           NULL, "current_password");
      return;
    }
  g_free (user_id);
  start_password_change (req, change);
}

/* ---------------------------------------------------------- reassignment */

/* Gives every customer of one TAM to another; the open cases of those
 * customers that were assigned to the old TAM follow. The old TAM's feed
 * then says they no longer see those customers, and the new TAM's carries
 * everything that belongs to them. */
static gboolean
reassign (SdStore    *store,
          const char *from,
          const char *to,
          guint      *n_customers,
          guint      *n_cases,
          GError    **error)
{
  g_autoptr(GPtrArray) customers = load_all (store, "customer", NULL);
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func (g_free);

  *n_customers = *n_cases = 0;
  for (guint i = 0; i < customers->len; i++)
    {
      SdCustomer *customer = customers->pdata[i];
      g_autoptr(SdStoreRecord) saved = NULL;
      Render render = { G_OBJECT (customer), encode_customer, store };

      if (g_strcmp0 (sd_customer_get_tam_id (customer), from) != 0)
        continue;
      sd_customer_set_tam_id (customer, to);
      if (!(saved = sd_store_put (store, "customer", sd_customer_get_id (customer), sd_customer_get_id (customer),
                                  NULL, sd_customer_get_version (customer), NULL, _sd_render_cb, &render,
                                  NULL, error)))
        return FALSE;
      g_ptr_array_add (moved, g_strdup (sd_customer_get_id (customer)));
      (*n_customers)++;
    }
  if (moved->len == 0)
    return TRUE;
  g_ptr_array_add (moved, NULL);

  {
    g_autoptr(GPtrArray) cases = load_all (store, "case", (const char * const *) moved->pdata);

    for (guint i = 0; i < cases->len; i++)
      {
        SdCase *kase = cases->pdata[i];
        g_autoptr(SdStoreRecord) saved = NULL;
        Render render = { G_OBJECT (kase), _sd_encode_case, store };

        if (g_strcmp0 (sd_case_get_assignee_id (kase), from) != 0 || !case_is_open (kase))
          continue;
        sd_case_set_assignee_id (kase, to);
        (*n_cases)++;
        if (!(saved = sd_store_put (store, "case", sd_case_get_id (kase), sd_case_get_customer_id (kase), NULL,
                                    sd_case_get_version (kase), NULL, _sd_render_cb, &render, NULL, error)))
          return FALSE;
      }
  }

  for (guint i = 0; i < customers->len; i++)
    {
      SdCustomer *after = customers->pdata[i];
      g_autoptr(SdCustomer) before = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (!g_strv_contains ((const char * const *) moved->pdata, sd_customer_get_id (after)))
        continue;
      node = sd_customer_to_json (after);
      if (!(before = sd_customer_from_json (node, NULL, error)))
        return FALSE;
      sd_customer_set_tam_id (before, from);
      if (!_sd_customer_access_changed (store, before, after, error))
        return FALSE;
    }
  return TRUE;
}

void
_sd_handle_reassign (SdRequest *req)
{
  static const char * const known[] = { "to", NULL };
  const char *from = req->params->pdata[0];
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdUser) old_tam = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) answer = NULL;
  const char *to = NULL;
  guint n_customers, n_cases;
  JsonObject *body;

  if (!require_admin (req) || !(body = _sd_read_body (req, &root)))
    return;
  if (!(old_tam = load_user (req->store, from)))
    {
      _sd_respond_not_found (req);
      return;
    }
  if (!sd_json_check_fields (body, NULL, known, &error)
      || !sd_json_get_id (body, NULL, "to", TRUE, &to, &error)
      || !check_staff (req->store, to, SD_ROLE_TAM, NULL, "to", &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (g_str_equal (to, from))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “to”: the customers are this TAM's already", "to");
      return;
    }
  if (!sd_store_begin (req->store, &error))
    {
      _sd_respond_store_error (req, error);
      return;
    }
  if (!reassign (req->store, from, to, &n_customers, &n_cases, &error) || !sd_store_commit (req->store, &error))
    {
      sd_store_rollback (req->store);
      _sd_respond_store_error (req, error);
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "customers");
  json_builder_add_int_value (builder, n_customers);
  json_builder_set_member_name (builder, "cases");
  json_builder_add_int_value (builder, n_cases);
  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);
  _sd_respond_node (req, SOUP_STATUS_OK, answer);
}

/* ---------------------------------------------------------- SLA policies */

static JsonNode *
encode_policy (Render *render, gint64 version, gint64 updated_at, GError **error)
{
  return sd_sla_policy_to_json (SD_SLA_POLICY (render->object));
}

/* POST /sla-policies: a new version of a tier's policy, or of one
 * customer's override, from a day on. Versions are never edited: cases
 * reported before the day keep the targets they had. */
void
_sd_handle_create_policy (SdRequest *req)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SdSlaPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStoreRecord) record = NULL;
  g_autofree char *idempotency = NULL;
  g_autofree char *location = NULL;
  Render render;
  JsonObject *body;

  if (!require_admin (req) || !_sd_request_idempotency (req, &idempotency)
      || !(body = _sd_read_body (req, &root)))
    return;
  json_object_remove_member (body, "id");
  if (!(policy = sd_sla_policy_from_json (root, "policy", &error)))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (sd_sla_policy_get_effective_from (policy) < today_utc ())
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “policy.effective_from”: a policy takes effect today or later; "
                           "cases reported before keep the targets they had", "policy.effective_from");
      return;
    }
  if (sd_sla_policy_get_customer_id (policy) != NULL
      && !(record = sd_store_get (req->store, "customer", sd_sla_policy_get_customer_id (policy), NULL)))
    {
      _sd_respond_problem (req, SOUP_STATUS_BAD_REQUEST, "validation", "The request is not valid",
                           "Field “policy.customer_id”: there is no such customer", "policy.customer_id");
      return;
    }
  g_clear_pointer (&record, sd_store_record_free);
  sd_sla_policy_make_id (policy);
  render = (Render) { G_OBJECT (policy), encode_policy, req->store };
  record = sd_store_put (req->store, "sla_policy", sd_sla_policy_get_id (policy), NULL, NULL, 0, idempotency,
                         _sd_render_cb, &render, NULL, &error);
  if (record == NULL)
    {
      _sd_respond_store_error (req, error);
      return;
    }
  location = g_strconcat (API_PREFIX "/sla-policies/", record->id, NULL);
  _sd_respond_created (req, record, location);
}

/* ---------------------------------------------------------------- search */

static gboolean
matches (JsonObject         *object,
         const char * const *members,
         const char         *needle)
{
  for (guint i = 0; members[i] != NULL; i++)
    {
      const char *value = json_object_get_string_member_with_default (object, members[i], NULL);
      g_autofree char *folded = value ? g_utf8_casefold (value, -1) : NULL;

      if (folded != NULL && strstr (folded, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* GET /customers?q=, /users?q=, /contacts?q=: the first MAX_PAGE that
 * match, by name, login or e-mail (case folded), in one page. */
void
_sd_admin_search (SdRequest  *req,
                  const char *kind,
                  const char *q)
{
  static const char * const members[] = { "name", "display_name", "login", "email", "id", NULL };
  static const char * const names_only[] = { "name", "display_name", NULL };
  const SdKind *what = sd_kind_lookup (kind);
  g_autofree char *needle = g_utf8_casefold (q, -1);
  SdStoreQuery query = { .customer_ids = what->get_customer_id ? _sd_request_visible (req) : NULL };
  g_autoptr(GPtrArray) records = sd_store_list (req->store, kind, &query, NULL);
  GString *json = g_string_new ("{\"items\":[");
  guint n = 0;

  for (guint i = 0; records != NULL && i < records->len && n < MAX_PAGE; i++)
    {
      g_autoptr(JsonNode) node = parse_record (records->pdata[i]);
      g_autofree char *item = NULL;

      /* Others' logins and e-mails are matched only for admins. */
      if (node == NULL || !matches (json_node_get_object (node),
                                    sd_user_get_role (req->user) == SD_ROLE_ADMIN || !g_str_equal (kind, "user")
                                    ? members : names_only, needle))
        continue;
      item = _sd_record_to_client (req, records->pdata[i]);
      if (n++ > 0)
        g_string_append_c (json, ',');
      g_string_append (json, item);
    }
  g_string_append (json, "],\"next_cursor\":null}");
  _sd_respond_json (req, SOUP_STATUS_OK, g_string_free (json, FALSE));
}

/* ---------------------------------------------------------------- import */

typedef enum {
  ACTION_CREATE,
  ACTION_UPDATE,
  ACTION_UNCHANGED,
} Action;

static const char * const action_names[] = { "create", "update", "unchanged" };
static const char * const count_names[] = { "created", "updated", "unchanged" };

/* What an import row becomes: the entity to write over @existing (NULL:
 * a new one). */
typedef struct {
  GObject       *entity;
  SdStoreRecord *existing;
} Row;

static gboolean
same_document (SdStoreRecord *existing,
               GObject       *entity,
               JsonNode    *(*to_json) (gpointer))
{
  g_autoptr(JsonNode) old_node = parse_record (existing);
  g_autoptr(JsonNode) new_node = to_json (entity);
  JsonObject *old_object, *new_object;

  if (old_node == NULL)
    return FALSE;
  old_object = json_node_get_object (old_node);
  new_object = json_node_get_object (new_node);
  json_object_remove_member (old_object, "version");
  json_object_remove_member (old_object, "updated_at");
  json_object_remove_member (new_object, "version");
  json_object_remove_member (new_object, "updated_at");
  return json_node_equal (old_node, new_node);
}

/* A row holds a customer's contract fields, not its history: the stored
 * periods stay, and the one in force today (else the last) takes the
 * row's dates, tier and entitlement. */
static gboolean
keep_contract_history (SdCustomer  *customer,
                       SdCustomer  *before,
                       GError     **error)
{
  guint n = sd_customer_get_n_contracts (before);
  const SdContractPeriod *current = sd_customer_get_contract_on (before, today_utc ());

  if (current == NULL && n > 0)
    current = sd_customer_get_contract (before, n - 1);
  for (guint i = 0; i < n; i++)
    {
      SdContractPeriod period = *sd_customer_get_contract (before, i);

      if (sd_customer_get_contract (before, i) == current)
        {
          if (sd_customer_get_contract_start (customer) != 0)
            period.start = sd_customer_get_contract_start (customer);
          period.end = sd_customer_get_contract_end (customer);
          period.tier = sd_customer_get_tier (customer);
          period.health_check_entitled = sd_customer_get_health_check_entitled (customer);
        }
      if (!sd_customer_add_contract (customer, &period, error))
        return FALSE;
    }
  return TRUE;
}

/* One import row, decoded and checked as a create or an edit would be. */
/* _sd_customer_access_changed() for a customer stored as @existing. */
static gboolean
stored_customer_changed (SdStore        *store,
                         SdStoreRecord  *existing,
                         SdCustomer     *after,
                         GError        **error)
{
  g_autoptr(JsonNode) node = parse_record (existing);
  g_autoptr(SdCustomer) before = node ? sd_customer_from_json (node, NULL, NULL) : NULL;

  return before == NULL || _sd_customer_access_changed (store, before, after, error);
}

static GObject *
import_customer (SdRequest      *req,
                 JsonNode       *item,
                 const char     *path,
                 SdStoreRecord **existing,
                 GError        **error)
{
  g_autoptr(SdCustomer) customer = NULL;
  g_autoptr(SdCustomer) before = NULL;
  JsonObject *object = json_node_get_object (item);

  if (!json_object_has_member (object, "id"))
    return sd_json_set_invalid (error, path, "id", "an imported customer needs an id"), NULL;
  if (!(customer = sd_customer_from_json (item, path, error)))
    return NULL;
  *existing = sd_store_get (req->store, "customer", sd_customer_get_id (customer), NULL);
  if (*existing != NULL)
    {
      g_autoptr(JsonNode) node = parse_record (*existing);

      before = node ? sd_customer_from_json (node, NULL, NULL) : NULL;
      if (before != NULL && !json_object_has_member (object, "contracts")
          && !keep_contract_history (customer, before, error))
        return NULL;
    }
  /* Archiving is an edit of its own, with its rule (open cases). */
  sd_customer_set_archived (customer, before != NULL && sd_customer_get_archived (before));
  if (!check_new_customer (req->store, G_OBJECT (customer), path, error))
    return NULL;
  if (*existing != NULL)
    sd_customer_set_version (customer, (*existing)->version);
  return G_OBJECT (g_steal_pointer (&customer));
}

static GObject *
import_contact (SdRequest      *req,
                JsonNode       *item,
                const char     *path,
                GPtrArray      *contacts,
                SdStoreRecord **existing,
                GError        **error)
{
  JsonObject *object = json_node_get_object (item);
  g_autoptr(SdContact) contact = NULL;

  /* Without an id, a row is the contact of the customer with its e-mail,
   * or a new one. */
  if (!json_object_has_member (object, "id"))
    {
      const char *email = json_object_get_string_member_with_default (object, "email", "");
      const char *customer_id = json_object_get_string_member_with_default (object, "customer_id", "");
      g_autofree char *key = sd_contact_email_key (email);
      g_autofree char *id = NULL;

      for (guint i = 0; i < contacts->len && id == NULL; i++)
        {
          g_autofree char *other = sd_contact_email_key (sd_contact_get_email (contacts->pdata[i]));

          if (g_str_equal (other, key) && g_str_equal (sd_contact_get_customer_id (contacts->pdata[i]), customer_id))
            id = g_strdup (sd_contact_get_id (contacts->pdata[i]));
        }
      if (id == NULL)
        id = g_uuid_string_random ();
      json_object_set_string_member (object, "id", id);
    }
  if (!(contact = sd_contact_from_json (item, path, error))
      || !check_contact (req->store, contact, contacts, path, error))
    return NULL;
  *existing = sd_store_get (req->store, "contact", sd_contact_get_id (contact), NULL);
  if (*existing != NULL)
    sd_contact_set_version (contact, (*existing)->version);
  return G_OBJECT (g_steal_pointer (&contact));
}

static GObject *
import_user (SdRequest      *req,
             JsonNode       *item,
             const char     *path,
             GPtrArray      *users,
             SdStoreRecord **existing,
             GError        **error)
{
  JsonObject *object = json_node_get_object (item);
  g_autoptr(SdUser) user = NULL;
  g_autoptr(SdUser) before = NULL;
  const char *login = json_object_get_string_member_with_default (object, "login", NULL);

  /* Users are matched by their login. */
  for (guint i = 0; login != NULL && i < users->len && !json_object_has_member (object, "id"); i++)
    if (g_strcmp0 (sd_user_get_login (users->pdata[i]), login) == 0)
      json_object_set_string_member (object, "id", sd_user_get_id (users->pdata[i]));
  if (!json_object_has_member (object, "id"))
    {
      g_autofree char *id = g_uuid_string_random ();
      json_object_set_string_member (object, "id", id);
    }
  if (!(user = sd_user_from_json (item, path, error))
      || !check_new_login (req->store, user, users, path, error))
    return NULL;
  *existing = sd_store_get (req->store, "user", sd_user_get_id (user), NULL);
  if (*existing != NULL)
    {
      g_autoptr(JsonNode) node = parse_record (*existing);

      before = node ? sd_user_from_json (node, NULL, NULL) : NULL;
    }
  if (before != NULL)
    {
      sd_user_set_must_change_password (user, sd_user_get_must_change_password (before));
      sd_user_set_out_of_office_until (user, sd_user_get_out_of_office_until (before));
      if (!json_object_has_member (object, "active"))
        sd_user_set_active (user, sd_user_get_active (before));
      sd_user_set_version (user, (*existing)->version);
    }
  else
    sd_user_set_must_change_password (user, TRUE);
  return G_OBJECT (g_steal_pointer (&user));
}

/* Puts @entity in @seen, in place of the one with its id. */
static void
remember (GPtrArray    *seen,
          const SdKind *kind,
          GObject      *entity)
{
  const char *id = kind->get_id (entity);

  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (kind->get_id (seen->pdata[i]), id))
      {
        g_object_unref (seen->pdata[i]);
        seen->pdata[i] = g_object_ref (entity);
        return;
      }
  g_ptr_array_add (seen, g_object_ref (entity));
}

/* Writes or checks every row in one transaction; the whole file or
 * nothing. The answer lists each row's action; with "dry_run" nothing is
 * kept. */
void
_sd_handle_import (SdRequest *req)
{
  static const char * const known[] = { "items", "dry_run", NULL };
  const char *what = req->params->pdata[0];
  const char *kind = g_str_equal (what, "customers") ? "customer"
                     : g_str_equal (what, "contacts") ? "contact"
                     : g_str_equal (what, "users") ? "user" : NULL;
  Encoder encode = g_strcmp0 (kind, "customer") == 0 ? encode_customer
                   : g_strcmp0 (kind, "contact") == 0 ? encode_contact : encode_user;
  JsonNode *(*to_json) (gpointer) = g_strcmp0 (kind, "customer") == 0 ? (gpointer) sd_customer_to_json
                                    : g_strcmp0 (kind, "contact") == 0 ? (gpointer) sd_contact_to_json
                                    : (gpointer) sd_user_to_json;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GPtrArray) seen = NULL;  /* the contacts or users so far */
  guint counts[3] = { 0 };
  gboolean dry_run = FALSE;
  JsonArray *items = NULL;
  JsonObject *body;

  if (kind == NULL)
    {
      _sd_respond_not_found (req);
      return;
    }
  if (!require_admin (req) || !(body = _sd_read_body (req, &root)))
    return;
  if (!sd_json_check_fields (body, NULL, known, &error)
      || !sd_json_get_array (body, NULL, "items", TRUE, &items, &error)
      || !sd_json_get_bool (body, NULL, "dry_run", FALSE, &dry_run, &error))
    {
      _sd_respond_invalid (req, error);
      return;
    }
  if (!sd_store_begin (req->store, &error))
    {
      _sd_respond_store_error (req, error);
      return;
    }

  _sd_hold_for_test (req);
  if (!g_str_equal (kind, "customer"))
    seen = load_all (req->store, kind, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      g_autofree char *path = g_strdup_printf ("items[%u]", i);
      g_autoptr(JsonNode) item = json_node_copy (json_array_get_element (items, i));
      g_autoptr(SdStoreRecord) existing = NULL;
      g_autoptr(SdStoreRecord) saved = NULL;
      g_autoptr(GObject) entity = NULL;
      const SdKind *registry = sd_kind_lookup (kind);
      Render render;
      Action action;

      if (!sd_json_node_get_object (item, path, &error))
        break;
      for (guint m = 0; registry->read_only[m] != NULL; m++)
        json_object_remove_member (json_node_get_object (item), registry->read_only[m]);
      if (g_str_equal (kind, "customer"))
        entity = import_customer (req, item, path, &existing, &error);
      else if (g_str_equal (kind, "contact"))
        entity = import_contact (req, item, path, seen, &existing, &error);
      else
        entity = import_user (req, item, path, seen, &existing, &error);
      if (entity == NULL)
        break;
      /* Rows see the rows before them: two contacts with one e-mail, or
       * one login twice, are refused. */
      if (seen != NULL)
        remember (seen, registry, entity);

      action = existing == NULL ? ACTION_CREATE
               : same_document (existing, entity, to_json) ? ACTION_UNCHANGED : ACTION_UPDATE;
      if (action != ACTION_UNCHANGED)
        {
          render = (Render) { entity, encode, req->store };
          saved = sd_store_put (req->store, kind, registry->get_id (entity),
                                registry->get_customer_id ? registry->get_customer_id (entity) : NULL, NULL,
                                existing ? existing->version : 0, NULL, _sd_render_cb, &render, NULL, &error);
          if (saved == NULL)
            break;
          if (existing != NULL && g_str_equal (kind, "customer")
              && !stored_customer_changed (req->store, existing, SD_CUSTOMER (entity), &error))
            break;
        }
      counts[action]++;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, registry->get_id (entity));
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, action_names[action]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (error != NULL)
    {
      sd_store_rollback (req->store);
      if (error->domain == SD_STORE_ERROR)
        _sd_respond_store_error (req, error);
      else
        _sd_respond_invalid (req, error);
      return;
    }
  if (dry_run)
    sd_store_rollback (req->store);
  else if (!sd_store_commit (req->store, &error))
    {
      sd_store_rollback (req->store);
      _sd_respond_store_error (req, error);
      return;
    }
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, dry_run);
  for (guint a = 0; a < G_N_ELEMENTS (count_names); a++)
    {
      json_builder_set_member_name (builder, count_names[a]);
      json_builder_add_int_value (builder, counts[a]);
    }
  json_builder_end_object (builder);
  answer = json_builder_get_root (builder);
  _sd_respond_node (req, SOUP_STATUS_OK, answer);
}
