/* sd-user.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-user"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-json.h"
#include "sd-model-private.h"
#include "sd-user.h"

struct _SdUser
{
  GObject  parent_instance;

  char    *id;
  char    *display_name;
  char    *login;
  SdRole   role;
  gint64   out_of_office_until;
  char    *calendar_id;
  char    *deputy_id;
  char    *email;
  gboolean inactive;
  gboolean must_change_password;
  gint64   version;
  gint64   updated_at;
};

G_DEFINE_FINAL_TYPE (SdUser, sd_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DISPLAY_NAME,
  PROP_LOGIN,
  PROP_ROLE,
  PROP_OUT_OF_OFFICE_UNTIL,
  PROP_EMAIL,
  PROP_VERSION,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const user_fields[] = {
  "id", "display_name", "login", "role", "out_of_office_until", "calendar_id",
  "deputy_id", "email", "active", "must_change_password", "version", "updated_at", NULL
};

static gboolean
email_is_plausible (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && at[1] != '\0'
         && strchr (at + 1, '@') == NULL
         && strpbrk (email, " \t\r\n<>,;") == NULL;
}

static void
sd_user_finalize (GObject *object)
{
  SdUser *self = (SdUser *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->calendar_id, g_free);
  g_clear_pointer (&self->deputy_id, g_free);

  G_OBJECT_CLASS (sd_user_parent_class)->finalize (object);
}

static void
sd_user_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SdUser *self = SD_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;
    case PROP_ROLE:
      g_value_set_int (value, self->role);
      break;
    case PROP_OUT_OF_OFFICE_UNTIL:
      g_value_set_int64 (value, self->out_of_office_until);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_user_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  SdUser *self = SD_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case PROP_DISPLAY_NAME:
      sd_user_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_LOGIN:
      sd_user_set_login (self, g_value_get_string (value));
      break;
    case PROP_ROLE:
      sd_user_set_role (self, g_value_get_int (value));
      break;
    case PROP_OUT_OF_OFFICE_UNTIL:
      sd_user_set_out_of_office_until (self, g_value_get_int64 (value));
      break;
    case PROP_EMAIL:
      sd_user_set_email (self, g_value_get_string (value));
      break;
    case PROP_VERSION:
      sd_user_set_version (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      sd_user_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_user_class_init (SdUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sd_user_finalize;
  object_class->get_property = sd_user_get_property;
  object_class->set_property = sd_user_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_LOGIN] =
    g_param_spec_string ("login", NULL, NULL, NULL, flags);
  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, SD_ROLE_TAM, SD_ROLE_ADMIN, SD_ROLE_TAM, flags);
  properties[PROP_OUT_OF_OFFICE_UNTIL] =
    g_param_spec_int64 ("out-of-office-until", NULL, NULL,
                        G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, flags);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL,
                        G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_user_init (SdUser *self)
{
  self->out_of_office_until = SD_TIME_NONE;
  self->updated_at = SD_TIME_NONE;
}

SdUser *
sd_user_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (SD_TYPE_USER, "id", id, NULL);
}

const char *
sd_user_get_id (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), NULL);
  return self->id;
}

const char *
sd_user_get_display_name (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), NULL);
  return self->display_name;
}

void
sd_user_set_display_name (SdUser     *self,
                          const char *display_name)
{
  g_return_if_fail (SD_IS_USER (self));
  if (_sd_set_str (&self->display_name, display_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

const char *
sd_user_get_login (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), NULL);
  return self->login;
}

void
sd_user_set_login (SdUser     *self,
                   const char *login)
{
  g_return_if_fail (SD_IS_USER (self));
  if (_sd_set_str (&self->login, login))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIN]);
}

SdRole
sd_user_get_role (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), SD_ROLE_TAM);
  return self->role;
}

void
sd_user_set_role (SdUser *self,
                  SdRole  role)
{
  g_return_if_fail (SD_IS_USER (self));
  g_return_if_fail (sd_role_to_string (role) != NULL);
  if (self->role == role)
    return;
  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

gint64
sd_user_get_out_of_office_until (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), SD_TIME_NONE);
  return self->out_of_office_until;
}

void
sd_user_set_out_of_office_until (SdUser *self,
                                 gint64  until)
{
  g_return_if_fail (SD_IS_USER (self));
  if (self->out_of_office_until == until)
    return;
  self->out_of_office_until = until;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUT_OF_OFFICE_UNTIL]);
}

gboolean
sd_user_is_out_of_office (SdUser *self,
                          gint64  now)
{
  g_return_val_if_fail (SD_IS_USER (self), FALSE);
  return self->out_of_office_until != SD_TIME_NONE && now < self->out_of_office_until;
}

const char *
sd_user_get_calendar_id (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), NULL);
  return self->calendar_id;
}

void
sd_user_set_calendar_id (SdUser     *self,
                         const char *calendar_id)
{
  g_return_if_fail (SD_IS_USER (self));
  _sd_set_str (&self->calendar_id, calendar_id);
}

const char *
sd_user_get_deputy_id (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), NULL);
  return self->deputy_id;
}

void
sd_user_set_deputy_id (SdUser     *self,
                       const char *deputy_id)
{
  g_return_if_fail (SD_IS_USER (self));
  _sd_set_str (&self->deputy_id, deputy_id);
}

const char *
sd_user_get_email (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), NULL);
  return self->email;
}

void
sd_user_set_email (SdUser     *self,
                   const char *email)
{
  g_return_if_fail (SD_IS_USER (self));
  if (_sd_set_str (&self->email, email))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMAIL]);
}

gint64
sd_user_get_version (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), 0);
  return self->version;
}

void
sd_user_set_version (SdUser *self,
                     gint64  version)
{
  g_return_if_fail (SD_IS_USER (self));
  if (self->version == version)
    return;
  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

gint64
sd_user_get_updated_at (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), SD_TIME_NONE);
  return self->updated_at;
}

void
sd_user_set_updated_at (SdUser *self,
                        gint64  updated_at)
{
  g_return_if_fail (SD_IS_USER (self));
  if (self->updated_at == updated_at)
    return;
  self->updated_at = updated_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED_AT]);
}

const char * const sd_user_limited_view_omits[] = { "login", "email", NULL };

SdUser *
sd_user_from_json (JsonNode    *node,
                   const char  *path,
                   GError     **error)
{
  return sd_user_from_json_view (node, path, SD_USER_VIEW_FULL, error);
}

SdUser *
sd_user_from_json_view (JsonNode    *node,
                        const char  *path,
                        SdUserView   view,
                        GError     **error)
{
  g_autoptr(SdUser) self = NULL;
  JsonObject *object;
  const char *id = NULL;
  const char *display_name = NULL;
  const char *login = NULL;
  const char *email = NULL;
  const char *calendar_id = NULL;
  const char *deputy_id = NULL;
  gboolean active = TRUE;
  int role = 0;

  if (path == NULL)
    path = "user";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, user_fields, error)
      || !sd_json_get_id (object, path, "id", TRUE, &id, error))
    return NULL;

  self = g_object_new (SD_TYPE_USER, "id", id, NULL);

  if (!sd_json_get_text (object, path, "display_name", TRUE, &display_name, error)
      || !sd_json_get_text (object, path, "login", view == SD_USER_VIEW_FULL, &login, error)
      || !sd_json_get_enum (object, path, "role", TRUE,
                            SD_JSON_ENUM (sd_role_from_string), &role, error)
      || !sd_json_get_time (object, path, "out_of_office_until", FALSE,
                            &self->out_of_office_until, error)
      || !sd_json_get_id (object, path, "calendar_id", FALSE, &calendar_id, error)
      || !sd_json_get_id (object, path, "deputy_id", FALSE, &deputy_id, error)
      || !sd_json_get_string (object, path, "email", FALSE, &email, error)
      || !sd_json_get_bool (object, path, "active", FALSE, &active, error)
      || !sd_json_get_bool (object, path, "must_change_password", FALSE,
                            &self->must_change_password, error)
      || !sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64,
                           &self->version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &self->updated_at, error))
    return NULL;

  if (deputy_id != NULL && g_str_equal (deputy_id, id))
    {
      sd_json_set_invalid (error, path, "deputy_id",
                           _("A user cannot be their own deputy"));
      return NULL;
    }
  if (email != NULL && !email_is_plausible (email))
    {
      sd_json_set_invalid (error, path, "email",
                           _("“%s” is not an e-mail address"), email);
      return NULL;
    }

  self->display_name = g_strdup (display_name);
  self->login = g_strdup (login);
  self->role = role;
  self->email = g_strdup (email);
  self->calendar_id = g_strdup (calendar_id);
  self->deputy_id = g_strdup (deputy_id);
  self->inactive = !active;

  return g_steal_pointer (&self);
}

gboolean
sd_user_get_active (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), FALSE);
  return !self->inactive;
}

void
sd_user_set_active (SdUser   *self,
                    gboolean  active)
{
  g_return_if_fail (SD_IS_USER (self));
  self->inactive = !active;
}

gboolean
sd_user_get_must_change_password (SdUser *self)
{
  g_return_val_if_fail (SD_IS_USER (self), FALSE);
  return self->must_change_password;
}

void
sd_user_set_must_change_password (SdUser   *self,
                                  gboolean  must)
{
  g_return_if_fail (SD_IS_USER (self));
  self->must_change_password = !!must;
}

JsonNode *
sd_user_to_json (SdUser *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_USER (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "display_name", self->display_name);
  sd_json_builder_add_string_or_null (builder, "login", self->login);
  sd_json_builder_add_string_or_null (builder, "role", sd_role_to_string (self->role));
  sd_json_builder_add_time (builder, "out_of_office_until", self->out_of_office_until);
  sd_json_builder_add_string_or_null (builder, "email", self->email);
  /* Only when set: a user without them reads as before. */
  if (self->calendar_id != NULL)
    sd_json_builder_add_string_or_null (builder, "calendar_id", self->calendar_id);
  if (self->deputy_id != NULL)
    sd_json_builder_add_string_or_null (builder, "deputy_id", self->deputy_id);
  /* Both only when they differ from the usual: a user without them reads
   * as before. */
  if (self->inactive)
    {
      json_builder_set_member_name (builder, "active");
      json_builder_add_boolean_value (builder, FALSE);
    }
  if (self->must_change_password)
    {
      json_builder_set_member_name (builder, "must_change_password");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
sd_user_limit_view (const char *body)
{
  g_autoptr(JsonNode) node = sd_json_parse (body, -1, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  for (guint i = 0; sd_user_limited_view_omits[i] != NULL; i++)
    json_object_remove_member (json_node_get_object (node), sd_user_limited_view_omits[i]);
  return sd_json_to_string (node, FALSE);
}
