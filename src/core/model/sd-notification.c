/* sd-notification.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-notification"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-json.h"
#include "sd-model-private.h"
#include "sd-notification.h"
#include "sd-time.h"

struct _SdNotification
{
  GObject             parent_instance;

  char               *id;
  char               *recipient_id;
  char               *case_id;     /* nullable */
  SdNotificationKind  kind;
  char               *text;
  gint64              created_at;
  gint64              read_at;     /* SD_TIME_NONE: unread */
  gint64              version;
  gint64              updated_at;
};

G_DEFINE_FINAL_TYPE (SdNotification, sd_notification, G_TYPE_OBJECT)

static const char * const notification_fields[] = {
  "id", "recipient_id", "case_id", "kind", "text", "created_at", "read_at", "version", "updated_at", NULL
};

static const char * const kind_names[] = {
  [SD_NOTIFICATION_AT_RISK] = "at_risk",
  [SD_NOTIFICATION_BREACHED] = "breached",
  [SD_NOTIFICATION_ESCALATED] = "escalated",
  [SD_NOTIFICATION_ASSIGNED] = "assigned",
  [SD_NOTIFICATION_TEST] = "test",
};

const char *
sd_notification_kind_to_string (SdNotificationKind kind)
{
  return (guint) kind < G_N_ELEMENTS (kind_names) ? kind_names[kind] : NULL;
}

gboolean
sd_notification_kind_from_string (const char *name,
                                  int        *out)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (kind_names[i], name))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static void
sd_notification_finalize (GObject *object)
{
  SdNotification *self = (SdNotification *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->recipient_id, g_free);
  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (sd_notification_parent_class)->finalize (object);
}

static void
sd_notification_class_init (SdNotificationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_notification_finalize;
}

static void
sd_notification_init (SdNotification *self)
{
  self->read_at = SD_TIME_NONE;
  self->updated_at = SD_TIME_NONE;
}

SdNotification *
sd_notification_new (const char         *id,
                     const char         *recipient_id,
                     SdNotificationKind  kind,
                     const char         *text,
                     gint64              created_at)
{
  SdNotification *self = g_object_new (SD_TYPE_NOTIFICATION, NULL);

  self->id = g_strdup (id);
  self->recipient_id = g_strdup (recipient_id);
  self->kind = kind;
  self->text = g_strdup (text);
  self->created_at = created_at;
  return self;
}

const char *
sd_notification_get_id (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), NULL);
  return self->id;
}

const char *
sd_notification_get_recipient_id (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), NULL);
  return self->recipient_id;
}

const char *
sd_notification_get_case_id (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), NULL);
  return self->case_id;
}

void
sd_notification_set_case_id (SdNotification *self,
                             const char     *case_id)
{
  g_return_if_fail (SD_IS_NOTIFICATION (self));
  g_free (self->case_id);
  self->case_id = g_strdup (case_id);
}

SdNotificationKind
sd_notification_get_kind (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), SD_NOTIFICATION_AT_RISK);
  return self->kind;
}

const char *
sd_notification_get_text (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), NULL);
  return self->text;
}

gint64
sd_notification_get_created_at (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), SD_TIME_NONE);
  return self->created_at;
}

gint64
sd_notification_get_read_at (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), SD_TIME_NONE);
  return self->read_at;
}

void
sd_notification_set_read_at (SdNotification *self,
                             gint64          read_at)
{
  g_return_if_fail (SD_IS_NOTIFICATION (self));
  self->read_at = read_at;
}

gint64
sd_notification_get_version (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), 0);
  return self->version;
}

void
sd_notification_set_version (SdNotification *self,
                             gint64          version)
{
  g_return_if_fail (SD_IS_NOTIFICATION (self));
  self->version = version;
}

gint64
sd_notification_get_updated_at (SdNotification *self)
{
  g_return_val_if_fail (SD_IS_NOTIFICATION (self), SD_TIME_NONE);
  return self->updated_at;
}

void
sd_notification_set_updated_at (SdNotification *self,
                                gint64          updated_at)
{
  g_return_if_fail (SD_IS_NOTIFICATION (self));
  self->updated_at = updated_at;
}

SdNotification *
sd_notification_from_json (JsonNode    *node,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(SdNotification) self = NULL;
  JsonObject *object;
  const char *id = NULL, *recipient_id = NULL, *case_id = NULL, *text = NULL, *kind_name = NULL;
  int kind = SD_NOTIFICATION_AT_RISK;
  gint64 created_at = SD_TIME_NONE;

  if (path == NULL)
    path = "notification";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, notification_fields, error)
      || !sd_json_get_id (object, path, "id", TRUE, &id, error)
      || !sd_json_get_id (object, path, "recipient_id", TRUE, &recipient_id, error)
      || !sd_json_get_id (object, path, "case_id", FALSE, &case_id, error)
      || !sd_json_get_string (object, path, "kind", TRUE, &kind_name, error)
      || !sd_json_get_text (object, path, "text", TRUE, &text, error)
      || !sd_json_get_time (object, path, "created_at", TRUE, &created_at, error))
    return NULL;
  if (!sd_notification_kind_from_string (kind_name, &kind))
    {
      sd_json_set_invalid (error, path, "kind", _("“%s” is not at_risk, breached, escalated, assigned or test"),
                           kind_name);
      return NULL;
    }

  self = sd_notification_new (id, recipient_id, kind, text, created_at);
  self->case_id = g_strdup (case_id);
  if (!sd_json_get_time (object, path, "read_at", FALSE, &self->read_at, error)
      || !sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64, &self->version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &self->updated_at, error))
    return NULL;
  return g_steal_pointer (&self);
}

JsonNode *
sd_notification_to_json (SdNotification *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_NOTIFICATION (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "recipient_id", self->recipient_id);
  sd_json_builder_add_string_or_null (builder, "case_id", self->case_id);
  sd_json_builder_add_string_or_null (builder, "kind", sd_notification_kind_to_string (self->kind));
  sd_json_builder_add_string_or_null (builder, "text", self->text);
  sd_json_builder_add_time (builder, "created_at", self->created_at);
  sd_json_builder_add_time (builder, "read_at", self->read_at);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
