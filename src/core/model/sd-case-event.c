/* sd-case-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-case-event"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-case-event.h"
#include "sd-json.h"

struct _SdCaseEvent
{
  GObject          parent_instance;

  char            *id;
  char            *case_id;
  SdEventKind      kind;
  char            *author_id;
  gint64           at;
  gint64           recorded_at;
  char            *body;
  gboolean         is_public;   /* may reach the customer (reports) */

  SdCaseStatus     status_from;
  SdCaseStatus     status_to;
  int              severity_from;
  int              severity_to;
  char            *reason;
  gint64           report_time_from;
  gint64           report_time_to;
  SdReportChannel  channel;
  char            *step;
};

G_DEFINE_FINAL_TYPE (SdCaseEvent, sd_case_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CASE_ID,
  PROP_KIND,
  PROP_AUTHOR_ID,
  PROP_AT,
  PROP_BODY,
  PROP_STATUS_FROM,
  PROP_STATUS_TO,
  PROP_SEVERITY_FROM,
  PROP_SEVERITY_TO,
  PROP_REASON,
  PROP_REPORT_TIME_FROM,
  PROP_REPORT_TIME_TO,
  PROP_CHANNEL,
  PROP_STEP,
  PROP_PUBLIC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const event_fields[] = {
  "id", "case_id", "kind", "author_id", "at", "recorded_at", "visibility", "body", "data", NULL
};
static const char * const status_change_fields[] = { "from", "to", NULL };
static const char * const severity_change_fields[] = { "from", "to", "reason", NULL };
static const char * const report_time_change_fields[] = { "from", "to", "reason", NULL };
static const char * const daily_report_fields[] = { "channel", NULL };
static const char * const progress_step_fields[] = { "step", NULL };

static void
sd_case_event_finalize (GObject *object)
{
  SdCaseEvent *self = (SdCaseEvent *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->author_id, g_free);
  g_clear_pointer (&self->body, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->step, g_free);

  G_OBJECT_CLASS (sd_case_event_parent_class)->finalize (object);
}

static void
sd_case_event_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SdCaseEvent *self = SD_CASE_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_CASE_ID:
      g_value_set_string (value, self->case_id);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_AUTHOR_ID:
      g_value_set_string (value, self->author_id);
      break;
    case PROP_AT:
      g_value_set_int64 (value, self->at);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    case PROP_STATUS_FROM:
      g_value_set_enum (value, self->status_from);
      break;
    case PROP_STATUS_TO:
      g_value_set_enum (value, self->status_to);
      break;
    case PROP_SEVERITY_FROM:
      g_value_set_int (value, self->severity_from);
      break;
    case PROP_SEVERITY_TO:
      g_value_set_int (value, self->severity_to);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_REPORT_TIME_FROM:
      g_value_set_int64 (value, self->report_time_from);
      break;
    case PROP_REPORT_TIME_TO:
      g_value_set_int64 (value, self->report_time_to);
      break;
    case PROP_CHANNEL:
      g_value_set_int (value, self->channel);
      break;
    case PROP_STEP:
      g_value_set_string (value, self->step);
      break;
    case PROP_PUBLIC:
      g_value_set_boolean (value, self->is_public);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_case_event_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SdCaseEvent *self = SD_CASE_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      if (self->id == NULL)
        self->id = g_uuid_string_random ();
      break;
    case PROP_CASE_ID:
      g_free (self->case_id);
      self->case_id = g_value_dup_string (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_int (value);
      break;
    case PROP_AUTHOR_ID:
      g_free (self->author_id);
      self->author_id = g_value_dup_string (value);
      break;
    case PROP_AT:
      self->at = g_value_get_int64 (value);
      break;
    case PROP_BODY:
      g_free (self->body);
      self->body = g_value_dup_string (value);
      break;
    case PROP_STATUS_FROM:
      self->status_from = g_value_get_enum (value);
      break;
    case PROP_STATUS_TO:
      self->status_to = g_value_get_enum (value);
      break;
    case PROP_SEVERITY_FROM:
      self->severity_from = g_value_get_int (value);
      break;
    case PROP_SEVERITY_TO:
      self->severity_to = g_value_get_int (value);
      break;
    case PROP_REASON:
      g_free (self->reason);
      self->reason = g_value_dup_string (value);
      break;
    case PROP_REPORT_TIME_FROM:
      self->report_time_from = g_value_get_int64 (value);
      break;
    case PROP_REPORT_TIME_TO:
      self->report_time_to = g_value_get_int64 (value);
      break;
    case PROP_CHANNEL:
      self->channel = g_value_get_int (value);
      break;
    case PROP_STEP:
      g_free (self->step);
      self->step = g_value_dup_string (value);
      break;
    case PROP_PUBLIC:
      self->is_public = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_case_event_class_init (SdCaseEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = sd_case_event_finalize;
  object_class->get_property = sd_case_event_get_property;
  object_class->set_property = sd_case_event_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_CASE_ID] = g_param_spec_string ("case-id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, SD_EVENT_COMMENT, SD_EVENT_REPORT_TIME_CHANGE,
                      SD_EVENT_COMMENT, flags);
  properties[PROP_AUTHOR_ID] = g_param_spec_string ("author-id", NULL, NULL, NULL, flags);
  properties[PROP_AT] =
    g_param_spec_int64 ("at", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, flags);
  properties[PROP_STATUS_FROM] =
    g_param_spec_enum ("status-from", NULL, NULL, SD_TYPE_CASE_STATUS, SD_CASE_STATUS_NEW, flags);
  properties[PROP_STATUS_TO] =
    g_param_spec_enum ("status-to", NULL, NULL, SD_TYPE_CASE_STATUS, SD_CASE_STATUS_NEW, flags);
  properties[PROP_SEVERITY_FROM] =
    g_param_spec_int ("severity-from", NULL, NULL, 0, SD_SEVERITY_MAX, 0, flags);
  properties[PROP_SEVERITY_TO] =
    g_param_spec_int ("severity-to", NULL, NULL, 0, SD_SEVERITY_MAX, 0, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  properties[PROP_REPORT_TIME_FROM] =
    g_param_spec_int64 ("report-time-from", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE,
                        flags);
  properties[PROP_REPORT_TIME_TO] =
    g_param_spec_int64 ("report-time-to", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE,
                        flags);
  properties[PROP_CHANNEL] =
    g_param_spec_int ("channel", NULL, NULL, SD_REPORT_CHANNEL_EMAIL, SD_REPORT_CHANNEL_PHONE,
                      SD_REPORT_CHANNEL_EMAIL, flags);
  properties[PROP_STEP] = g_param_spec_string ("step", NULL, NULL, NULL, flags);
  /* Set by the constructors from the kind (sd_case_event_kind_is_public()). */
  properties[PROP_PUBLIC] = g_param_spec_boolean ("public", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_case_event_init (SdCaseEvent *self)
{
  self->at = SD_TIME_NONE;
  self->recorded_at = SD_TIME_NONE;
  self->report_time_from = SD_TIME_NONE;
  self->report_time_to = SD_TIME_NONE;
}

gboolean
sd_case_event_step_is_valid (const char *step)
{
  gsize n = 0;

  if (step == NULL)
    return FALSE;
  for (; step[n] != '\0'; n++)
    if (!g_ascii_islower (step[n]) && !g_ascii_isdigit (step[n]) && step[n] != '_')
      return FALSE;
  return n >= 1 && n <= 64;
}

gboolean
sd_case_event_kind_is_public (SdEventKind kind)
{
  return kind != SD_EVENT_COMMENT;
}

SdCaseEvent *
sd_case_event_new_comment (const char *case_id,
                           const char *author_id,
                           gint64      at,
                           const char *body)
{
  return sd_case_event_new_comment_full (case_id, author_id, at, FALSE, body);
}

SdCaseEvent *
sd_case_event_new_comment_full (const char *case_id,
                                const char *author_id,
                                gint64      at,
                                gboolean    is_public,
                                const char *body)
{
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  return g_object_new (SD_TYPE_CASE_EVENT,
                       "case-id", case_id, "kind", SD_EVENT_COMMENT,
                       "author-id", author_id, "at", at, "body", body,
                       "public", is_public,
                       NULL);
}

SdCaseEvent *
sd_case_event_new_status_change (const char   *case_id,
                                 const char   *author_id,
                                 gint64        at,
                                 SdCaseStatus  from,
                                 SdCaseStatus  to,
                                 const char   *body)
{
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (from != to, NULL);

  return g_object_new (SD_TYPE_CASE_EVENT,
                       "case-id", case_id, "kind", SD_EVENT_STATUS_CHANGE, "public", TRUE,
                       "author-id", author_id, "at", at, "body", body,
                       "status-from", from, "status-to", to,
                       NULL);
}

SdCaseEvent *
sd_case_event_new_severity_change (const char *case_id,
                                   const char *author_id,
                                   gint64      at,
                                   int         from,
                                   int         to,
                                   const char *reason)
{
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (sd_severity_is_valid (from) && sd_severity_is_valid (to), NULL);
  g_return_val_if_fail (from != to, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  return g_object_new (SD_TYPE_CASE_EVENT,
                       "case-id", case_id, "kind", SD_EVENT_SEVERITY_CHANGE, "public", TRUE,
                       "author-id", author_id, "at", at,
                       "severity-from", from, "severity-to", to, "reason", reason,
                       NULL);
}

SdCaseEvent *
sd_case_event_new_report_time_change (const char *case_id,
                                      const char *author_id,
                                      gint64      at,
                                      gint64      from,
                                      gint64      to,
                                      const char *reason)
{
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (from != SD_TIME_NONE && to != SD_TIME_NONE, NULL);
  g_return_val_if_fail (from != to, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  return g_object_new (SD_TYPE_CASE_EVENT,
                       "case-id", case_id, "kind", SD_EVENT_REPORT_TIME_CHANGE, "public", TRUE,
                       "author-id", author_id, "at", at,
                       "report-time-from", from, "report-time-to", to, "reason", reason,
                       NULL);
}

SdCaseEvent *
sd_case_event_new_response_given (const char *case_id,
                                  const char *author_id,
                                  gint64      at,
                                  const char *body)
{
  g_return_val_if_fail (case_id != NULL, NULL);

  return g_object_new (SD_TYPE_CASE_EVENT,
                       "case-id", case_id, "kind", SD_EVENT_RESPONSE_GIVEN, "public", TRUE,
                       "author-id", author_id, "at", at, "body", body,
                       NULL);
}

SdCaseEvent *
sd_case_event_new_daily_report_sent (const char      *case_id,
                                     const char      *author_id,
                                     gint64           at,
                                     SdReportChannel  channel,
                                     const char      *body)
{
  g_return_val_if_fail (case_id != NULL, NULL);

  return g_object_new (SD_TYPE_CASE_EVENT,
                       "case-id", case_id, "kind", SD_EVENT_DAILY_REPORT_SENT, "public", TRUE,
                       "author-id", author_id, "at", at, "body", body,
                       "channel", channel,
                       NULL);
}

SdCaseEvent *
sd_case_event_new_progress_step (const char *case_id,
                                 const char *author_id,
                                 gint64      at,
                                 const char *step,
                                 const char *body)
{
  g_return_val_if_fail (case_id != NULL, NULL);
  g_return_val_if_fail (sd_case_event_step_is_valid (step), NULL);

  return g_object_new (SD_TYPE_CASE_EVENT,
                       "case-id", case_id, "kind", SD_EVENT_PROGRESS_STEP, "public", TRUE,
                       "author-id", author_id, "at", at, "body", body,
                       "step", step,
                       NULL);
}

const char *
sd_case_event_get_id (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), NULL);
  return self->id;
}

const char *
sd_case_event_get_case_id (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), NULL);
  return self->case_id;
}

SdEventKind
sd_case_event_get_kind (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_EVENT_COMMENT);
  return self->kind;
}

const char *
sd_case_event_get_author_id (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), NULL);
  return self->author_id;
}

gint64
sd_case_event_get_at (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_TIME_NONE);
  return self->at;
}

gint64
sd_case_event_get_recorded_at (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_TIME_NONE);
  return self->recorded_at;
}

void
sd_case_event_set_recorded_at (SdCaseEvent *self,
                               gint64       recorded_at)
{
  g_return_if_fail (SD_IS_CASE_EVENT (self));
  self->recorded_at = recorded_at;
}

gboolean
sd_case_event_is_backdated (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), FALSE);
  return self->recorded_at != SD_TIME_NONE && self->at != SD_TIME_NONE
         && self->recorded_at - self->at > SD_CASE_EVENT_BACKDATED_AFTER;
}

gboolean
sd_case_event_is_public (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), FALSE);
  return self->is_public;
}

const char *
sd_case_event_visibility_to_string (gboolean is_public)
{
  return is_public ? "public" : "internal";
}

gboolean
sd_case_event_visibility_from_string (const char *text,
                                      gboolean   *is_public)
{
  if (g_strcmp0 (text, "public") == 0)
    *is_public = TRUE;
  else if (g_strcmp0 (text, "internal") == 0)
    *is_public = FALSE;
  else
    return FALSE;
  return TRUE;
}

const char *
sd_case_event_get_body (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), NULL);
  return self->body;
}

SdCaseStatus
sd_case_event_get_status_from (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_CASE_STATUS_NEW);
  return self->status_from;
}

SdCaseStatus
sd_case_event_get_status_to (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_CASE_STATUS_NEW);
  return self->status_to;
}

int
sd_case_event_get_severity_from (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), 0);
  return self->severity_from;
}

int
sd_case_event_get_severity_to (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), 0);
  return self->severity_to;
}

const char *
sd_case_event_get_reason (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), NULL);
  return self->reason;
}

gint64
sd_case_event_get_report_time_from (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_TIME_NONE);
  return self->report_time_from;
}

gint64
sd_case_event_get_report_time_to (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_TIME_NONE);
  return self->report_time_to;
}

SdReportChannel
sd_case_event_get_channel (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), SD_REPORT_CHANNEL_EMAIL);
  return self->channel;
}

const char *
sd_case_event_get_step (SdCaseEvent *self)
{
  g_return_val_if_fail (SD_IS_CASE_EVENT (self), NULL);
  return self->step;
}

static gboolean
data_from_json (SdCaseEvent  *self,
                JsonObject   *object,
                const char   *path,
                GError      **error)
{
  g_autofree char *data_path = sd_json_path_join (path, "data");
  JsonObject *data = NULL;
  JsonNode *member;
  gboolean wants_data;
  int from = 0;
  int to = 0;
  gint64 severity_from = 0;
  gint64 severity_to = 0;
  gint64 time_from = SD_TIME_NONE;
  gint64 time_to = SD_TIME_NONE;
  const char *text = NULL;

  wants_data = self->kind == SD_EVENT_STATUS_CHANGE
               || self->kind == SD_EVENT_SEVERITY_CHANGE
               || self->kind == SD_EVENT_REPORT_TIME_CHANGE
               || self->kind == SD_EVENT_DAILY_REPORT_SENT
               || self->kind == SD_EVENT_PROGRESS_STEP;

  if (!wants_data)
    {
      member = json_object_get_member (object, "data");
      if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
        return sd_json_set_invalid (error, path, "data",
                                    _("an event of kind “%s” carries no data"),
                                    sd_event_kind_to_string (self->kind));
      return TRUE;
    }

  if (!sd_json_get_object (object, path, "data", TRUE, &data, error))
    return FALSE;

  switch (self->kind)
    {
    case SD_EVENT_STATUS_CHANGE:
      if (!sd_json_check_fields (data, data_path, status_change_fields, error)
          || !sd_json_get_enum (data, data_path, "from", TRUE,
                                SD_JSON_ENUM (sd_case_status_from_string), &from, error)
          || !sd_json_get_enum (data, data_path, "to", TRUE,
                                SD_JSON_ENUM (sd_case_status_from_string), &to, error))
        return FALSE;
      if (from == to)
        return sd_json_set_invalid (error, data_path, "to", _("the status does not change"));
      self->status_from = from;
      self->status_to = to;
      return TRUE;

    case SD_EVENT_SEVERITY_CHANGE:
      if (!sd_json_check_fields (data, data_path, severity_change_fields, error)
          || !sd_json_get_int (data, data_path, "from", TRUE, SD_SEVERITY_MIN, SD_SEVERITY_MAX,
                               &severity_from, error)
          || !sd_json_get_int (data, data_path, "to", TRUE, SD_SEVERITY_MIN, SD_SEVERITY_MAX,
                               &severity_to, error)
          || !sd_json_get_text (data, data_path, "reason", TRUE, &text, error))
        return FALSE;
      if (severity_from == severity_to)
        return sd_json_set_invalid (error, data_path, "to", _("the severity does not change"));
      self->severity_from = (int) severity_from;
      self->severity_to = (int) severity_to;
      self->reason = g_strdup (text);
      return TRUE;

    case SD_EVENT_REPORT_TIME_CHANGE:
      if (!sd_json_check_fields (data, data_path, report_time_change_fields, error)
          || !sd_json_get_time (data, data_path, "from", TRUE, &time_from, error)
          || !sd_json_get_time (data, data_path, "to", TRUE, &time_to, error)
          || !sd_json_get_text (data, data_path, "reason", TRUE, &text, error))
        return FALSE;
      if (time_from == time_to)
        return sd_json_set_invalid (error, data_path, "to", _("the report time does not change"));
      self->report_time_from = time_from;
      self->report_time_to = time_to;
      self->reason = g_strdup (text);
      return TRUE;

    case SD_EVENT_DAILY_REPORT_SENT:
      if (!sd_json_check_fields (data, data_path, daily_report_fields, error)
          || !sd_json_get_enum (data, data_path, "channel", TRUE,
                                SD_JSON_ENUM (sd_report_channel_from_string), &from, error))
        return FALSE;
      self->channel = from;
      return TRUE;

    case SD_EVENT_PROGRESS_STEP:
      if (!sd_json_check_fields (data, data_path, progress_step_fields, error)
          || !sd_json_get_string (data, data_path, "step", TRUE, &text, error))
        return FALSE;
      if (!sd_case_event_step_is_valid (text))
        return sd_json_set_invalid (error, data_path, "step",
                                    _("“%s” is not a step name (a–z, 0–9, _)"), text);
      self->step = g_strdup (text);
      return TRUE;

    case SD_EVENT_COMMENT:
    case SD_EVENT_RESPONSE_GIVEN:
    default:
      g_assert_not_reached ();
    }
}

SdCaseEvent *
sd_case_event_from_json (JsonNode    *node,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(SdCaseEvent) self = NULL;
  JsonObject *object;
  const char *id = NULL;
  const char *case_id = NULL;
  const char *author_id = NULL;
  const char *body = NULL;
  const char *visibility = NULL;
  int kind = 0;

  if (path == NULL)
    path = "case_event";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, event_fields, error)
      || !sd_json_get_uuid (object, path, "id", TRUE, &id, error))
    return NULL;

  self = g_object_new (SD_TYPE_CASE_EVENT, "id", id, NULL);

  if (!sd_json_get_uuid (object, path, "case_id", TRUE, &case_id, error)
      || !sd_json_get_enum (object, path, "kind", TRUE,
                            SD_JSON_ENUM (sd_event_kind_from_string), &kind, error)
      || !sd_json_get_id (object, path, "author_id", FALSE, &author_id, error)
      || !sd_json_get_time (object, path, "at", TRUE, &self->at, error)
      || !sd_json_get_time (object, path, "recorded_at", FALSE, &self->recorded_at, error)
      || !sd_json_get_string (object, path, "visibility", FALSE, &visibility, error))
    return NULL;

  /* Events stored before the field existed keep their kind's default:
   * internal for comments. */
  self->is_public = sd_case_event_kind_is_public (kind);
  if (visibility != NULL && !sd_case_event_visibility_from_string (visibility, &self->is_public))
    {
      sd_json_set_invalid (error, path, "visibility",
                           _("“%s” is not a visibility (internal, public)"), visibility);
      return NULL;
    }

  if (kind == SD_EVENT_COMMENT)
    {
      if (!sd_json_get_text (object, path, "body", TRUE, &body, error))
        return NULL;
    }
  else if (!sd_json_get_string (object, path, "body", FALSE, &body, error))
    return NULL;

  self->kind = kind;
  if (!data_from_json (self, object, path, error))
    return NULL;

  self->case_id = g_strdup (case_id);
  self->author_id = g_strdup (author_id);
  self->body = g_strdup (body);

  return g_steal_pointer (&self);
}

JsonNode *
sd_case_event_to_json (SdCaseEvent *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (SD_IS_CASE_EVENT (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "case_id", self->case_id);
  sd_json_builder_add_string_or_null (builder, "kind", sd_event_kind_to_string (self->kind));
  sd_json_builder_add_string_or_null (builder, "author_id", self->author_id);
  sd_json_builder_add_time (builder, "at", self->at);
  if (self->recorded_at != SD_TIME_NONE)
    sd_json_builder_add_time (builder, "recorded_at", self->recorded_at);
  sd_json_builder_add_string_or_null (builder, "visibility",
                                      sd_case_event_visibility_to_string (self->is_public));
  sd_json_builder_add_string_or_null (builder, "body", self->body);
  json_builder_set_member_name (builder, "data");
  switch (self->kind)
    {
    case SD_EVENT_STATUS_CHANGE:
      json_builder_begin_object (builder);
      sd_json_builder_add_string_or_null (builder, "from",
                                          sd_case_status_to_string (self->status_from));
      sd_json_builder_add_string_or_null (builder, "to",
                                          sd_case_status_to_string (self->status_to));
      json_builder_end_object (builder);
      break;
    case SD_EVENT_SEVERITY_CHANGE:
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_int_value (builder, self->severity_from);
      json_builder_set_member_name (builder, "to");
      json_builder_add_int_value (builder, self->severity_to);
      sd_json_builder_add_string_or_null (builder, "reason", self->reason);
      json_builder_end_object (builder);
      break;
    case SD_EVENT_REPORT_TIME_CHANGE:
      json_builder_begin_object (builder);
      sd_json_builder_add_time (builder, "from", self->report_time_from);
      sd_json_builder_add_time (builder, "to", self->report_time_to);
      sd_json_builder_add_string_or_null (builder, "reason", self->reason);
      json_builder_end_object (builder);
      break;
    case SD_EVENT_DAILY_REPORT_SENT:
      json_builder_begin_object (builder);
      sd_json_builder_add_string_or_null (builder, "channel",
                                          sd_report_channel_to_string (self->channel));
      json_builder_end_object (builder);
      break;
    case SD_EVENT_PROGRESS_STEP:
      json_builder_begin_object (builder);
      sd_json_builder_add_string_or_null (builder, "step", self->step);
      json_builder_end_object (builder);
      break;
    case SD_EVENT_COMMENT:
    case SD_EVENT_RESPONSE_GIVEN:
    default:
      json_builder_add_null_value (builder);
      break;
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
