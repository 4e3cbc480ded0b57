/* sd-case.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-case"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-case.h"
#include "sd-database-release.h"
#include "sd-json.h"
#include "sd-model-private.h"
#include "sd-private-patch.h"
#include "sd-signature-change.h"

struct _SdCase
{
  GObject        parent_instance;

  char          *id;
  char          *number;
  char          *customer_id;
  char          *title;
  char          *description;
  SdCaseType     type;
  int            severity;
  SdCaseStatus   status;
  gint64         reported_at;
  SdReportedVia  reported_via;
  char          *assignee_id;
  gint64         responded_at;
  gint64         resolved_at;
  GObject       *details;       /* owned; matches type */
  gint64         version;
  gint64         updated_at;

  gboolean       has_sla;
  SdSlaResult    sla;
  gint64         sla_computed_at;
};

G_DEFINE_FINAL_TYPE (SdCase, sd_case, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_CUSTOMER_ID,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_CASE_TYPE,
  PROP_SEVERITY,
  PROP_STATUS,
  PROP_REPORTED_AT,
  PROP_REPORTED_VIA,
  PROP_ASSIGNEE_ID,
  PROP_RESPONDED_AT,
  PROP_RESOLVED_AT,
  PROP_DETAILS,
  PROP_VERSION,
  PROP_UPDATED_AT,
  PROP_HAS_SLA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const case_fields[] = {
  "id", "number", "customer_id", "title", "description", "type", "severity",
  "status", "reported_at", "reported_via", "assignee_id", "responded_at",
  "resolved_at", "details", "version", "updated_at", "sla", NULL
};

static GType
details_type_for (SdCaseType type)
{
  switch (type)
    {
    case SD_CASE_TYPE_SIGNATURE_CHANGE: return SD_TYPE_SIGNATURE_CHANGE;
    case SD_CASE_TYPE_PRIVATE_PATCH: return SD_TYPE_PRIVATE_PATCH;
    case SD_CASE_TYPE_DATABASE_RELEASE: return SD_TYPE_DATABASE_RELEASE;
    case SD_CASE_TYPE_INCIDENT:
    case SD_CASE_TYPE_SERVICE_REQUEST:
    default:
      return G_TYPE_NONE;
    }
}

static gboolean
details_match (SdCaseType  type,
               GObject    *details)
{
  GType expected = details_type_for (type);

  if (details == NULL)
    return TRUE;
  return expected != G_TYPE_NONE && G_OBJECT_TYPE (details) == expected;
}

static void
sd_case_dispose (GObject *object)
{
  SdCase *self = (SdCase *) object;

  g_clear_object (&self->details);

  G_OBJECT_CLASS (sd_case_parent_class)->dispose (object);
}

static void
sd_case_finalize (GObject *object)
{
  SdCase *self = (SdCase *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->assignee_id, g_free);

  G_OBJECT_CLASS (sd_case_parent_class)->finalize (object);
}

static void
sd_case_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SdCase *self = SD_CASE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_CASE_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case PROP_SEVERITY:
      g_value_set_int (value, self->severity);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_REPORTED_AT:
      g_value_set_int64 (value, self->reported_at);
      break;
    case PROP_REPORTED_VIA:
      g_value_set_enum (value, self->reported_via);
      break;
    case PROP_ASSIGNEE_ID:
      g_value_set_string (value, self->assignee_id);
      break;
    case PROP_RESPONDED_AT:
      g_value_set_int64 (value, self->responded_at);
      break;
    case PROP_RESOLVED_AT:
      g_value_set_int64 (value, self->resolved_at);
      break;
    case PROP_DETAILS:
      g_value_set_object (value, self->details);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, self->version);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_HAS_SLA:
      g_value_set_boolean (value, self->has_sla);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_case_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  SdCase *self = SD_CASE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      if (self->id == NULL)
        self->id = g_uuid_string_random ();
      break;
    case PROP_NUMBER:
      sd_case_set_number (self, g_value_get_string (value));
      break;
    case PROP_CUSTOMER_ID:
      sd_case_set_customer_id (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      sd_case_set_title (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      sd_case_set_description (self, g_value_get_string (value));
      break;
    case PROP_CASE_TYPE:
      sd_case_set_case_type (self, g_value_get_enum (value));
      break;
    case PROP_SEVERITY:
      sd_case_set_severity (self, g_value_get_int (value));
      break;
    case PROP_STATUS:
      sd_case_set_status (self, g_value_get_enum (value));
      break;
    case PROP_REPORTED_AT:
      sd_case_set_reported_at (self, g_value_get_int64 (value));
      break;
    case PROP_REPORTED_VIA:
      sd_case_set_reported_via (self, g_value_get_enum (value));
      break;
    case PROP_ASSIGNEE_ID:
      sd_case_set_assignee_id (self, g_value_get_string (value));
      break;
    case PROP_RESPONDED_AT:
      sd_case_set_responded_at (self, g_value_get_int64 (value));
      break;
    case PROP_RESOLVED_AT:
      sd_case_set_resolved_at (self, g_value_get_int64 (value));
      break;
    case PROP_DETAILS:
      sd_case_set_details (self, g_value_get_object (value));
      break;
    case PROP_VERSION:
      sd_case_set_version (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      sd_case_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_case_class_init (SdCaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sd_case_dispose;
  object_class->finalize = sd_case_finalize;
  object_class->get_property = sd_case_get_property;
  object_class->set_property = sd_case_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_CUSTOMER_ID] = g_param_spec_string ("customer-id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_CASE_TYPE] =
    g_param_spec_enum ("case-type", NULL, NULL,
                       SD_TYPE_CASE_TYPE, SD_CASE_TYPE_INCIDENT, flags);
  properties[PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL, SD_SEVERITY_MIN, SD_SEVERITY_MAX,
                      SD_SEVERITY_MAX, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, SD_TYPE_CASE_STATUS, SD_CASE_STATUS_NEW, flags);
  properties[PROP_REPORTED_AT] =
    g_param_spec_int64 ("reported-at", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);
  properties[PROP_REPORTED_VIA] =
    g_param_spec_enum ("reported-via", NULL, NULL,
                       SD_TYPE_REPORTED_VIA, SD_REPORTED_VIA_PORTAL, flags);
  properties[PROP_ASSIGNEE_ID] = g_param_spec_string ("assignee-id", NULL, NULL, NULL, flags);
  properties[PROP_RESPONDED_AT] =
    g_param_spec_int64 ("responded-at", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);
  properties[PROP_RESOLVED_AT] =
    g_param_spec_int64 ("resolved-at", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);
  properties[PROP_DETAILS] =
    g_param_spec_object ("details", NULL, NULL, G_TYPE_OBJECT, flags);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);
  properties[PROP_HAS_SLA] =
    g_param_spec_boolean ("has-sla", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_case_init (SdCase *self)
{
  self->severity = SD_SEVERITY_MAX;
  self->reported_at = SD_TIME_NONE;
  self->responded_at = SD_TIME_NONE;
  self->resolved_at = SD_TIME_NONE;
  self->updated_at = SD_TIME_NONE;
  self->sla_computed_at = SD_TIME_NONE;
}

SdCase *
sd_case_new (const char *id)
{
  g_return_val_if_fail (id == NULL || g_uuid_string_is_valid (id), NULL);

  return g_object_new (SD_TYPE_CASE, "id", id, NULL);
}

gboolean
sd_case_number_is_valid (const char *number)
{
  gsize digits = 0;

  if (number == NULL || !g_str_has_prefix (number, "SD-"))
    return FALSE;
  number += 3;
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isdigit (number[i]))
      return FALSE;
  if (number[4] != '-')
    return FALSE;
  number += 5;
  while (g_ascii_isdigit (number[digits]))
    digits++;
  return number[digits] == '\0' && digits >= 5 && digits <= 9;
}

const char *
sd_case_get_id (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), NULL);
  return self->id;
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                                 \
  const char *                                                               \
  sd_case_get_##field (SdCase *self)                                         \
  {                                                                          \
    g_return_val_if_fail (SD_IS_CASE (self), NULL);                          \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_case_set_##field (SdCase     *self,                                     \
                       const char *value)                                    \
  {                                                                          \
    g_return_if_fail (SD_IS_CASE (self));                                    \
    if (_sd_set_str (&self->field, value))                                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);          \
  }

#define DEFINE_TIME_ACCESSORS(field, PROP)                                   \
  gint64                                                                     \
  sd_case_get_##field (SdCase *self)                                         \
  {                                                                          \
    g_return_val_if_fail (SD_IS_CASE (self), SD_TIME_NONE);                  \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_case_set_##field (SdCase *self,                                         \
                       gint64  value)                                        \
  {                                                                          \
    g_return_if_fail (SD_IS_CASE (self));                                    \
    if (self->field == value)                                                \
      return;                                                                \
    self->field = value;                                                     \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);            \
  }

DEFINE_STRING_ACCESSORS (number, PROP_NUMBER)
DEFINE_STRING_ACCESSORS (customer_id, PROP_CUSTOMER_ID)
DEFINE_STRING_ACCESSORS (title, PROP_TITLE)
DEFINE_STRING_ACCESSORS (description, PROP_DESCRIPTION)
DEFINE_STRING_ACCESSORS (assignee_id, PROP_ASSIGNEE_ID)
DEFINE_TIME_ACCESSORS (reported_at, PROP_REPORTED_AT)
DEFINE_TIME_ACCESSORS (responded_at, PROP_RESPONDED_AT)
DEFINE_TIME_ACCESSORS (resolved_at, PROP_RESOLVED_AT)
DEFINE_TIME_ACCESSORS (updated_at, PROP_UPDATED_AT)

#undef DEFINE_STRING_ACCESSORS
#undef DEFINE_TIME_ACCESSORS

SdCaseType
sd_case_get_case_type (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), SD_CASE_TYPE_INCIDENT);
  return self->type;
}

void
sd_case_set_case_type (SdCase     *self,
                       SdCaseType  type)
{
  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (sd_case_type_to_string (type) != NULL);

  if (self->type == type)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  self->type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASE_TYPE]);
  if (!details_match (type, self->details))
    {
      g_clear_object (&self->details);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

int
sd_case_get_severity (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), SD_SEVERITY_MAX);
  return self->severity;
}

void
sd_case_set_severity (SdCase *self,
                      int     severity)
{
  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (sd_severity_is_valid (severity));
  if (self->severity == severity)
    return;
  self->severity = severity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEVERITY]);
}

SdCaseStatus
sd_case_get_status (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), SD_CASE_STATUS_NEW);
  return self->status;
}

void
sd_case_set_status (SdCase       *self,
                    SdCaseStatus  status)
{
  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (sd_case_status_to_string (status) != NULL);
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

gboolean
sd_case_is_open (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), FALSE);
  return self->status != SD_CASE_STATUS_RESOLVED && self->status != SD_CASE_STATUS_CLOSED;
}

SdReportedVia
sd_case_get_reported_via (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), SD_REPORTED_VIA_PORTAL);
  return self->reported_via;
}

void
sd_case_set_reported_via (SdCase        *self,
                          SdReportedVia  via)
{
  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (sd_reported_via_to_string (via) != NULL);
  if (self->reported_via == via)
    return;
  self->reported_via = via;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORTED_VIA]);
}

GObject *
sd_case_get_details (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), NULL);
  return self->details;
}

void
sd_case_set_details (SdCase  *self,
                     GObject *details)
{
  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (details == NULL || G_IS_OBJECT (details));
  g_return_if_fail (details_match (self->type, details));

  if (g_set_object (&self->details, details))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
}

gint64
sd_case_get_version (SdCase *self)
{
  g_return_val_if_fail (SD_IS_CASE (self), 0);
  return self->version;
}

void
sd_case_set_version (SdCase *self,
                     gint64  version)
{
  g_return_if_fail (SD_IS_CASE (self));
  g_return_if_fail (version >= 0);
  if (self->version == version)
    return;
  self->version = version;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
}

gboolean
sd_case_get_sla (SdCase      *self,
                 SdSlaResult *result,
                 gint64      *computed_at)
{
  g_return_val_if_fail (SD_IS_CASE (self), FALSE);

  if (!self->has_sla)
    return FALSE;
  if (result != NULL)
    *result = self->sla;
  if (computed_at != NULL)
    *computed_at = self->sla_computed_at;
  return TRUE;
}

void
sd_case_set_sla (SdCase            *self,
                 const SdSlaResult *result,
                 gint64             computed_at)
{
  gboolean had_sla;

  g_return_if_fail (SD_IS_CASE (self));

  had_sla = self->has_sla;
  if (result != NULL)
    {
      self->sla = *result;
      if (!result->has_daily_report)
        memset (&self->sla.daily_report, 0, sizeof self->sla.daily_report);
      self->sla_computed_at = computed_at;
      self->has_sla = TRUE;
    }
  else
    {
      memset (&self->sla, 0, sizeof self->sla);
      self->sla_computed_at = SD_TIME_NONE;
      self->has_sla = FALSE;
    }

  if (had_sla != self->has_sla)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SLA]);
}

static gboolean
sla_clock_from_json (JsonObject  *parent,
                     const char  *path,
                     const char  *field,
                     SdSlaClock  *clock,
                     GError     **error)
{
  g_autofree char *clock_path = sd_json_path_join (path, field);
  JsonObject *object = NULL;
  int state = 0;
  int kind = 0;
  gint64 provisional_year = 0;

  clock->due = SD_TIME_NONE;
  if (!sd_json_get_object (parent, path, field, TRUE, &object, error)
      || !sd_json_get_enum (object, clock_path, "state", TRUE,
                            SD_JSON_ENUM (sd_sla_state_from_string), &state, error)
      || !sd_json_get_enum (object, clock_path, "clock", TRUE,
                            SD_JSON_ENUM (sd_clock_kind_from_string), &kind, error)
      || !sd_json_get_int (object, clock_path, "target", TRUE, 0, G_MAXINT64,
                           &clock->target, error)
      || !sd_json_get_int (object, clock_path, "elapsed", TRUE, 0, G_MAXINT64,
                           &clock->elapsed, error)
      || !sd_json_get_int (object, clock_path, "remaining", TRUE, G_MININT64 + 1, G_MAXINT64,
                           &clock->remaining, error)
      || !sd_json_get_time (object, clock_path, "due", FALSE, &clock->due, error)
      || !sd_json_get_int (object, clock_path, "provisional_year", FALSE, 0, 9999,
                           &provisional_year, error))
    return FALSE;

  clock->provisional_year = (int) provisional_year;
  clock->state = state;
  clock->clock = kind;
  return TRUE;
}

/* The snapshot is informational: members the client does not know are
 * ignored, and a malformed snapshot is dropped rather than failing the
 * whole case. */
static void
sla_from_json (SdCase     *self,
               JsonObject *object,
               const char *path)
{
  g_autofree char *sla_path = sd_json_path_join (path, "sla");
  g_autoptr(GError) local_error = NULL;
  JsonObject *sla = NULL;
  SdSlaResult result = { 0 };
  gint64 computed_at = SD_TIME_NONE;
  JsonNode *daily;

  if (!sd_json_get_object (object, path, "sla", FALSE, &sla, &local_error)
      || sla == NULL)
    goto out;

  if (!sd_json_get_time (sla, sla_path, "computed_at", TRUE, &computed_at, &local_error)
      || !sla_clock_from_json (sla, sla_path, "response", &result.response, &local_error))
    goto out;

  daily = json_object_get_member (sla, "daily_report");
  if (daily != NULL && !JSON_NODE_HOLDS_NULL (daily))
    {
      if (!sla_clock_from_json (sla, sla_path, "daily_report", &result.daily_report, &local_error))
        goto out;
      result.has_daily_report = TRUE;
    }

  self->sla = result;
  self->sla_computed_at = computed_at;
  self->has_sla = TRUE;

out:
  if (local_error != NULL)
    g_debug ("Ignoring the SLA snapshot: %s", local_error->message);
}

static void
sla_clock_to_json (JsonBuilder      *builder,
                   const char       *field,
                   const SdSlaClock *clock)
{
  json_builder_set_member_name (builder, field);
  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "state", sd_sla_state_to_string (clock->state));
  sd_json_builder_add_string_or_null (builder, "clock", sd_clock_kind_to_string (clock->clock));
  json_builder_set_member_name (builder, "target");
  json_builder_add_int_value (builder, clock->target);
  json_builder_set_member_name (builder, "elapsed");
  json_builder_add_int_value (builder, clock->elapsed);
  json_builder_set_member_name (builder, "remaining");
  json_builder_add_int_value (builder, clock->remaining);
  sd_json_builder_add_time (builder, "due", clock->due);
  if (clock->provisional_year != 0)
    {
      json_builder_set_member_name (builder, "provisional_year");
      json_builder_add_int_value (builder, clock->provisional_year);
    }
  json_builder_end_object (builder);
}

static GObject *
details_from_json (SdCaseType   type,
                   JsonNode    *node,
                   const char  *path,
                   GError     **error)
{
  switch (type)
    {
    case SD_CASE_TYPE_SIGNATURE_CHANGE:
      return (GObject *) sd_signature_change_from_json (node, path, error);
    case SD_CASE_TYPE_PRIVATE_PATCH:
      return (GObject *) sd_private_patch_from_json (node, path, error);
    case SD_CASE_TYPE_DATABASE_RELEASE:
      return (GObject *) sd_database_release_from_json (node, path, error);
    case SD_CASE_TYPE_INCIDENT:
    case SD_CASE_TYPE_SERVICE_REQUEST:
    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
details_to_json (GObject *details)
{
  if (SD_IS_SIGNATURE_CHANGE (details))
    return sd_signature_change_to_json (SD_SIGNATURE_CHANGE (details));
  if (SD_IS_PRIVATE_PATCH (details))
    return sd_private_patch_to_json (SD_PRIVATE_PATCH (details));
  if (SD_IS_DATABASE_RELEASE (details))
    return sd_database_release_to_json (SD_DATABASE_RELEASE (details));
  return json_node_new (JSON_NODE_NULL);
}

SdCase *
sd_case_from_json (JsonNode    *node,
                   const char  *path,
                   GError     **error)
{
  g_autoptr(SdCase) self = NULL;
  g_autofree char *details_path = NULL;
  JsonObject *object;
  JsonNode *details;
  const char *id = NULL;
  const char *number = NULL;
  const char *customer_id = NULL;
  const char *title = NULL;
  const char *description = NULL;
  const char *assignee_id = NULL;
  int type = 0;
  int status = 0;
  int via = 0;
  gint64 severity = 0;

  if (path == NULL)
    path = "case";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, case_fields, error)
      || !sd_json_get_uuid (object, path, "id", TRUE, &id, error))
    return NULL;

  self = g_object_new (SD_TYPE_CASE, "id", id, NULL);

  if (!sd_json_get_string (object, path, "number", FALSE, &number, error))
    return NULL;
  if (number != NULL && !sd_case_number_is_valid (number))
    {
      sd_json_set_invalid (error, path, "number",
                           _("“%s” is not a case number such as “SD-2026-00042”"), number);
      return NULL;
    }

  if (!sd_json_get_id (object, path, "customer_id", TRUE, &customer_id, error)
      || !sd_json_get_text (object, path, "title", TRUE, &title, error)
      || !sd_json_get_string (object, path, "description", FALSE, &description, error)
      || !sd_json_get_enum (object, path, "type", TRUE,
                            SD_JSON_ENUM (sd_case_type_from_string), &type, error)
      || !sd_json_get_int (object, path, "severity", TRUE, SD_SEVERITY_MIN, SD_SEVERITY_MAX,
                           &severity, error)
      || !sd_json_get_enum (object, path, "status", TRUE,
                            SD_JSON_ENUM (sd_case_status_from_string), &status, error)
      || !sd_json_get_time (object, path, "reported_at", TRUE, &self->reported_at, error)
      || !sd_json_get_enum (object, path, "reported_via", TRUE,
                            SD_JSON_ENUM (sd_reported_via_from_string), &via, error)
      || !sd_json_get_id (object, path, "assignee_id", FALSE, &assignee_id, error)
      || !sd_json_get_time (object, path, "responded_at", FALSE, &self->responded_at, error)
      || !sd_json_get_time (object, path, "resolved_at",
                            status == SD_CASE_STATUS_RESOLVED || status == SD_CASE_STATUS_CLOSED,
                            &self->resolved_at, error)
      || !sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64, &self->version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &self->updated_at, error))
    return NULL;

  if (self->responded_at != SD_TIME_NONE && self->responded_at < self->reported_at)
    {
      sd_json_set_invalid (error, path, "responded_at", _("earlier than the report time"));
      return NULL;
    }
  if (self->resolved_at != SD_TIME_NONE && self->resolved_at < self->reported_at)
    {
      sd_json_set_invalid (error, path, "resolved_at", _("earlier than the report time"));
      return NULL;
    }

  details_path = sd_json_path_join (path, "details");
  details = json_object_get_member (object, "details");
  if (details != NULL && JSON_NODE_HOLDS_NULL (details))
    details = NULL;
  if (details_type_for (type) == G_TYPE_NONE)
    {
      if (details != NULL)
        {
          sd_json_set_invalid (error, path, "details",
                               _("a case of type “%s” has no details"),
                               sd_case_type_to_string (type));
          return NULL;
        }
    }
  else if (details == NULL)
    {
      g_set_error (error, SD_ERROR, SD_ERROR_MISSING_FIELD,
                   _("Field “%s” is missing"), details_path);
      return NULL;
    }
  else if (!(self->details = details_from_json (type, details, details_path, error)))
    return NULL;

  sla_from_json (self, object, path);

  self->number = g_strdup (number);
  self->customer_id = g_strdup (customer_id);
  self->title = g_strdup (title);
  self->description = g_strdup (description);
  self->type = type;
  self->severity = (int) severity;
  self->status = status;
  self->reported_via = via;
  self->assignee_id = g_strdup (assignee_id);

  return g_steal_pointer (&self);
}

JsonNode *
sd_case_to_json (SdCase *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_CASE (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "number", self->number);
  sd_json_builder_add_string_or_null (builder, "customer_id", self->customer_id);
  sd_json_builder_add_string_or_null (builder, "title", self->title);
  sd_json_builder_add_string_or_null (builder, "description", self->description);
  sd_json_builder_add_string_or_null (builder, "type", sd_case_type_to_string (self->type));
  json_builder_set_member_name (builder, "severity");
  json_builder_add_int_value (builder, self->severity);
  sd_json_builder_add_string_or_null (builder, "status", sd_case_status_to_string (self->status));
  sd_json_builder_add_time (builder, "reported_at", self->reported_at);
  sd_json_builder_add_string_or_null (builder, "reported_via",
                                      sd_reported_via_to_string (self->reported_via));
  sd_json_builder_add_string_or_null (builder, "assignee_id", self->assignee_id);
  sd_json_builder_add_time (builder, "responded_at", self->responded_at);
  sd_json_builder_add_time (builder, "resolved_at", self->resolved_at);
  json_builder_set_member_name (builder, "details");
  json_builder_add_value (builder, details_to_json (self->details));
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_set_member_name (builder, "sla");
  if (self->has_sla)
    {
      json_builder_begin_object (builder);
      sd_json_builder_add_time (builder, "computed_at", self->sla_computed_at);
      sla_clock_to_json (builder, "response", &self->sla.response);
      if (self->sla.has_daily_report)
        sla_clock_to_json (builder, "daily_report", &self->sla.daily_report);
      else
        {
          json_builder_set_member_name (builder, "daily_report");
          json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
status_is_done (SdCaseStatus status)
{
  return status == SD_CASE_STATUS_RESOLVED || status == SD_CASE_STATUS_CLOSED;
}

JsonNode *
sd_case_build_status_patch (SdCaseStatus from,
                            SdCaseStatus to,
                            gint64       now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, sd_case_status_to_string (to));
  if (status_is_done (to) && !status_is_done (from))
    sd_json_builder_add_time (builder, "resolved_at", now);
  else if (!status_is_done (to) && status_is_done (from))
    {
      json_builder_set_member_name (builder, "resolved_at");
      json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
