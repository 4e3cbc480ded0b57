/* sd-contact.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-contact"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sd-contact.h"
#include "sd-json.h"
#include "sd-model-private.h"

struct _SdContact
{
  GObject          parent_instance;

  char            *id;
  char            *customer_id;
  char            *name;
  char            *email;
  char            *phone;
  SdReportLanguage language;
  SdContactRoles   roles;
  gboolean         archived;
  gint64           version;
  gint64           updated_at;
};

G_DEFINE_FINAL_TYPE (SdContact, sd_contact, G_TYPE_OBJECT)

static const char * const contact_fields[] = {
  "id", "customer_id", "name", "email", "phone", "language", "roles", "archived",
  "version", "updated_at", NULL
};

static const struct {
  SdContactRoles role;
  const char    *name;
} role_names[] = {
  { SD_CONTACT_ROLE_DAILY_REPORT, "daily_report" },
  { SD_CONTACT_ROLE_QUARTERLY_REPORT, "quarterly_report" },
  { SD_CONTACT_ROLE_HEALTH_CHECK_APPOINTMENT, "health_check_appointment" },
};

const char *
sd_contact_role_to_string (SdContactRoles role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role_names[i].role == role)
      return role_names[i].name;
  return NULL;
}

gboolean
sd_contact_role_from_string (const char     *name,
                             SdContactRoles *out)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (role_names[i].name, name))
      {
        *out = role_names[i].role;
        return TRUE;
      }
  return FALSE;
}

static gboolean
email_is_plausible (const char *email)
{
  const char *at = strchr (email, '@');

  return at != NULL && at != email && at[1] != '\0' && strchr (at + 1, '@') == NULL
         && strchr (at + 1, '.') != NULL && strpbrk (email, " \t\r\n<>,;\"") == NULL;
}

static void
sd_contact_finalize (GObject *object)
{
  SdContact *self = (SdContact *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->phone, g_free);

  G_OBJECT_CLASS (sd_contact_parent_class)->finalize (object);
}

static void
sd_contact_class_init (SdContactClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_contact_finalize;
}

static void
sd_contact_init (SdContact *self)
{
  self->language = SD_REPORT_LANGUAGE_ZH_CN;
  self->updated_at = SD_TIME_NONE;
}

SdContact *
sd_contact_new (const char *id,
                const char *customer_id)
{
  SdContact *self = g_object_new (SD_TYPE_CONTACT, NULL);

  self->id = g_strdup (id);
  self->customer_id = g_strdup (customer_id);
  return self;
}

const char *
sd_contact_get_id (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), NULL);
  return self->id;
}

const char *
sd_contact_get_customer_id (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), NULL);
  return self->customer_id;
}

const char *
sd_contact_get_name (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), NULL);
  return self->name;
}

const char *
sd_contact_get_email (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), NULL);
  return self->email;
}

const char *
sd_contact_get_phone (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), NULL);
  return self->phone;
}

SdReportLanguage
sd_contact_get_language (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), SD_REPORT_LANGUAGE_ZH_CN);
  return self->language;
}

SdContactRoles
sd_contact_get_roles (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), 0);
  return self->roles;
}

gboolean
sd_contact_get_archived (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), FALSE);
  return self->archived;
}

gint64
sd_contact_get_version (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), 0);
  return self->version;
}

void
sd_contact_set_version (SdContact *self,
                        gint64     version)
{
  g_return_if_fail (SD_IS_CONTACT (self));
  self->version = version;
}

gint64
sd_contact_get_updated_at (SdContact *self)
{
  g_return_val_if_fail (SD_IS_CONTACT (self), SD_TIME_NONE);
  return self->updated_at;
}

void
sd_contact_set_updated_at (SdContact *self,
                           gint64     updated_at)
{
  g_return_if_fail (SD_IS_CONTACT (self));
  self->updated_at = updated_at;
}

char *
sd_contact_email_key (const char *email)
{
  g_autofree char *stripped = g_strstrip (g_strdup (email ? email : ""));

  return g_utf8_casefold (stripped, -1);
}

SdContact *
sd_contact_from_json (JsonNode    *node,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(SdContact) self = NULL;
  g_auto(GStrv) roles = NULL;
  JsonObject *object;
  const char *id = NULL, *customer_id = NULL, *name = NULL, *email = NULL, *phone = NULL;
  int language = SD_REPORT_LANGUAGE_ZH_CN;

  if (path == NULL)
    path = "contact";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, contact_fields, error)
      || !sd_json_get_id (object, path, "id", TRUE, &id, error)
      || !sd_json_get_id (object, path, "customer_id", TRUE, &customer_id, error))
    return NULL;

  self = sd_contact_new (id, customer_id);
  if (!sd_json_get_text (object, path, "name", TRUE, &name, error)
      || !sd_json_get_string (object, path, "email", TRUE, &email, error)
      || !sd_json_get_string (object, path, "phone", FALSE, &phone, error)
      || !sd_json_get_enum (object, path, "language", FALSE,
                            SD_JSON_ENUM (sd_report_language_from_string), &language, error)
      || !sd_json_get_strv (object, path, "roles", FALSE, &roles, error)
      || !sd_json_get_bool (object, path, "archived", FALSE, &self->archived, error)
      || !sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64, &self->version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &self->updated_at, error))
    return NULL;

  self->email = g_strstrip (g_strdup (email));
  if (!email_is_plausible (self->email))
    {
      sd_json_set_invalid (error, path, "email", _("“%s” is not an e-mail address"), email);
      return NULL;
    }
  if (phone != NULL && (strlen (phone) > 64 || strpbrk (phone, "\r\n") != NULL))
    {
      sd_json_set_invalid (error, path, "phone", _("“%s” is not a telephone number"), phone);
      return NULL;
    }
  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    {
      SdContactRoles role;

      if (!sd_contact_role_from_string (roles[i], &role))
        {
          g_autofree char *field = g_strdup_printf ("roles[%u]", i);

          sd_json_set_invalid (error, path, field,
                               _("“%s” is not daily_report, quarterly_report or health_check_appointment"),
                               roles[i]);
          return NULL;
        }
      self->roles |= role;
    }

  self->name = g_strdup (name);
  self->phone = (phone != NULL && *phone != '\0') ? g_strdup (phone) : NULL;
  self->language = language;
  return g_steal_pointer (&self);
}

JsonNode *
sd_contact_to_json (SdContact *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_CONTACT (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "customer_id", self->customer_id);
  sd_json_builder_add_string_or_null (builder, "name", self->name);
  sd_json_builder_add_string_or_null (builder, "email", self->email);
  sd_json_builder_add_string_or_null (builder, "phone", self->phone);
  sd_json_builder_add_string_or_null (builder, "language", sd_report_language_to_string (self->language));
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (self->roles & role_names[i].role)
      json_builder_add_string_value (builder, role_names[i].name);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "archived");
  json_builder_add_boolean_value (builder, self->archived);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
