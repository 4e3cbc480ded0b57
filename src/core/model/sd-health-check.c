/* sd-health-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-health-check"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-health-check.h"
#include "sd-json.h"
#include "sd-model-private.h"

struct _SdHealthCheck
{
  GObject              parent_instance;

  char                *id;
  char                *customer_id;
  SdHealthCheckStatus  status;
  gint64               requested_at;
  guint32              scheduled_on;
  SdHealthCheckMode    mode;
  char                *contact;
  char                *notes;
  char                *template_id;
  guint                template_version;
  GListStore          *items;       /* owned, of SdChecklistItem */
  char                *summary;
  gint64               version;
  gint64               updated_at;
};

G_DEFINE_FINAL_TYPE (SdHealthCheck, sd_health_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CUSTOMER_ID,
  PROP_STATUS,
  PROP_REQUESTED_AT,
  PROP_SCHEDULED_ON,
  PROP_MODE,
  PROP_CONTACT,
  PROP_NOTES,
  PROP_TEMPLATE_ID,
  PROP_TEMPLATE_VERSION,
  PROP_ITEMS,
  PROP_SUMMARY,
  PROP_SCORE,
  PROP_VERSION,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const health_check_fields[] = {
  "id", "customer_id", "status", "requested_at", "scheduled_on", "mode",
  "contact", "notes", "template_id", "template_version", "items", "summary",
  "score", "version", "updated_at", NULL
};

static void
item_changed_cb (SdHealthCheck   *self,
                 GParamSpec      *pspec,
                 SdChecklistItem *item)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE]);
}

static void
watch_item (SdHealthCheck   *self,
            SdChecklistItem *item)
{
  g_signal_connect_object (item, "notify::result", G_CALLBACK (item_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::weight", G_CALLBACK (item_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
sd_health_check_dispose (GObject *object)
{
  SdHealthCheck *self = (SdHealthCheck *) object;

  if (self->items != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SdChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

          g_signal_handlers_disconnect_by_data (item, self);
        }
    }
  g_clear_object (&self->items);

  G_OBJECT_CLASS (sd_health_check_parent_class)->dispose (object);
}

static void
sd_health_check_finalize (GObject *object)
{
  SdHealthCheck *self = (SdHealthCheck *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->customer_id, g_free);
  g_clear_pointer (&self->contact, g_free);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->template_id, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (sd_health_check_parent_class)->finalize (object);
}

static void
sd_health_check_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SdHealthCheck *self = SD_HEALTH_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_REQUESTED_AT:
      g_value_set_int64 (value, self->requested_at);
      break;
    case PROP_SCHEDULED_ON:
      g_value_set_uint (value, self->scheduled_on);
      break;
    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;
    case PROP_CONTACT:
      g_value_set_string (value, self->contact);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_TEMPLATE_ID:
      g_value_set_string (value, self->template_id);
      break;
    case PROP_TEMPLATE_VERSION:
      g_value_set_uint (value, self->template_version);
      break;
    case PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    case PROP_SCORE:
      g_value_set_double (value, sd_health_check_get_score (self));
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
sd_health_check_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SdHealthCheck *self = SD_HEALTH_CHECK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      if (self->id == NULL)
        self->id = g_uuid_string_random ();
      break;
    case PROP_CUSTOMER_ID:
      sd_health_check_set_customer_id (self, g_value_get_string (value));
      break;
    case PROP_STATUS:
      sd_health_check_set_status (self, g_value_get_enum (value));
      break;
    case PROP_REQUESTED_AT:
      sd_health_check_set_requested_at (self, g_value_get_int64 (value));
      break;
    case PROP_SCHEDULED_ON:
      sd_health_check_set_scheduled_on (self, g_value_get_uint (value));
      break;
    case PROP_MODE:
      sd_health_check_set_mode (self, g_value_get_int (value));
      break;
    case PROP_CONTACT:
      sd_health_check_set_contact (self, g_value_get_string (value));
      break;
    case PROP_NOTES:
      sd_health_check_set_notes (self, g_value_get_string (value));
      break;
    case PROP_TEMPLATE_ID:
      sd_health_check_set_template_id (self, g_value_get_string (value));
      break;
    case PROP_TEMPLATE_VERSION:
      sd_health_check_set_template_version (self, g_value_get_uint (value));
      break;
    case PROP_SUMMARY:
      sd_health_check_set_summary (self, g_value_get_string (value));
      break;
    case PROP_VERSION:
      sd_health_check_set_version (self, g_value_get_int64 (value));
      break;
    case PROP_UPDATED_AT:
      sd_health_check_set_updated_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_health_check_class_init (SdHealthCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro_flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = sd_health_check_dispose;
  object_class->finalize = sd_health_check_finalize;
  object_class->get_property = sd_health_check_get_property;
  object_class->set_property = sd_health_check_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOMER_ID] = g_param_spec_string ("customer-id", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       SD_TYPE_HEALTH_CHECK_STATUS, SD_HEALTH_CHECK_REQUESTED, flags);
  properties[PROP_REQUESTED_AT] =
    g_param_spec_int64 ("requested-at", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);
  properties[PROP_SCHEDULED_ON] =
    g_param_spec_uint ("scheduled-on", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_MODE] =
    g_param_spec_int ("mode", NULL, NULL, SD_HEALTH_CHECK_MODE_REMOTE,
                      SD_HEALTH_CHECK_MODE_REMOTE, SD_HEALTH_CHECK_MODE_REMOTE, flags);
  properties[PROP_CONTACT] = g_param_spec_string ("contact", NULL, NULL, NULL, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_TEMPLATE_ID] = g_param_spec_string ("template-id", NULL, NULL, NULL, flags);
  properties[PROP_TEMPLATE_VERSION] =
    g_param_spec_uint ("template-version", NULL, NULL, 0, G_MAXINT32, 0, flags);
  properties[PROP_ITEMS] =
    g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL, ro_flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_SCORE] =
    g_param_spec_double ("score", NULL, NULL, -1.0, 1.0, -1.0, ro_flags);
  properties[PROP_VERSION] =
    g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, G_MININT64, G_MAXINT64, SD_TIME_NONE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_health_check_init (SdHealthCheck *self)
{
  self->items = g_list_store_new (SD_TYPE_CHECKLIST_ITEM);
  self->requested_at = SD_TIME_NONE;
  self->updated_at = SD_TIME_NONE;
}

SdHealthCheck *
sd_health_check_new (const char *id)
{
  g_return_val_if_fail (id == NULL || g_uuid_string_is_valid (id), NULL);

  return g_object_new (SD_TYPE_HEALTH_CHECK, "id", id, NULL);
}

const char *
sd_health_check_get_id (SdHealthCheck *self)
{
  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), NULL);
  return self->id;
}

#define DEFINE_STRING_ACCESSORS(field, PROP)                                 \
  const char *                                                               \
  sd_health_check_get_##field (SdHealthCheck *self)                          \
  {                                                                          \
    g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), NULL);                  \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_health_check_set_##field (SdHealthCheck *self,                          \
                               const char    *value)                         \
  {                                                                          \
    g_return_if_fail (SD_IS_HEALTH_CHECK (self));                            \
    if (_sd_set_str (&self->field, value))                                   \
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);          \
  }

#define DEFINE_SCALAR_ACCESSORS(Type, field, PROP, fallback)                 \
  Type                                                                       \
  sd_health_check_get_##field (SdHealthCheck *self)                          \
  {                                                                          \
    g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), fallback);              \
    return self->field;                                                      \
  }                                                                          \
  void                                                                       \
  sd_health_check_set_##field (SdHealthCheck *self,                          \
                               Type           value)                         \
  {                                                                          \
    g_return_if_fail (SD_IS_HEALTH_CHECK (self));                            \
    if (self->field == value)                                                \
      return;                                                                \
    self->field = value;                                                     \
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);            \
  }

DEFINE_STRING_ACCESSORS (customer_id, PROP_CUSTOMER_ID)
DEFINE_STRING_ACCESSORS (contact, PROP_CONTACT)
DEFINE_STRING_ACCESSORS (notes, PROP_NOTES)
DEFINE_STRING_ACCESSORS (template_id, PROP_TEMPLATE_ID)
DEFINE_STRING_ACCESSORS (summary, PROP_SUMMARY)
DEFINE_SCALAR_ACCESSORS (gint64, requested_at, PROP_REQUESTED_AT, SD_TIME_NONE)
DEFINE_SCALAR_ACCESSORS (guint32, scheduled_on, PROP_SCHEDULED_ON, 0)
DEFINE_SCALAR_ACCESSORS (guint, template_version, PROP_TEMPLATE_VERSION, 0)
DEFINE_SCALAR_ACCESSORS (gint64, version, PROP_VERSION, 0)
DEFINE_SCALAR_ACCESSORS (gint64, updated_at, PROP_UPDATED_AT, SD_TIME_NONE)

#undef DEFINE_STRING_ACCESSORS
#undef DEFINE_SCALAR_ACCESSORS

SdHealthCheckStatus
sd_health_check_get_status (SdHealthCheck *self)
{
  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), SD_HEALTH_CHECK_REQUESTED);
  return self->status;
}

void
sd_health_check_set_status (SdHealthCheck       *self,
                            SdHealthCheckStatus  status)
{
  g_return_if_fail (SD_IS_HEALTH_CHECK (self));
  g_return_if_fail (sd_health_check_status_to_string (status) != NULL);
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

SdHealthCheckMode
sd_health_check_get_mode (SdHealthCheck *self)
{
  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), SD_HEALTH_CHECK_MODE_REMOTE);
  return self->mode;
}

void
sd_health_check_set_mode (SdHealthCheck     *self,
                          SdHealthCheckMode  mode)
{
  g_return_if_fail (SD_IS_HEALTH_CHECK (self));
  g_return_if_fail (sd_health_check_mode_to_string (mode) != NULL);
  if (self->mode == mode)
    return;
  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

GListModel *
sd_health_check_get_items (SdHealthCheck *self)
{
  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), NULL);
  return G_LIST_MODEL (self->items);
}

static gboolean
find_item (SdHealthCheck *self,
           const char    *key,
           guint         *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_strcmp0 (sd_checklist_item_get_key (item), key) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

SdChecklistItem *
sd_health_check_lookup_item (SdHealthCheck *self,
                             const char    *key)
{
  SdChecklistItem *item;
  guint position;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), NULL);

  if (!find_item (self, key, &position))
    return NULL;
  item = g_list_model_get_item (G_LIST_MODEL (self->items), position);
  g_object_unref (item);  /* the store keeps it alive */
  return item;
}

gboolean
sd_health_check_add_item (SdHealthCheck   *self,
                          SdChecklistItem *item)
{
  guint position;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), FALSE);
  g_return_val_if_fail (SD_IS_CHECKLIST_ITEM (item), FALSE);

  if (find_item (self, sd_checklist_item_get_key (item), &position))
    return FALSE;

  watch_item (self, item);
  g_list_store_append (self->items, item);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE]);
  return TRUE;
}

gboolean
sd_health_check_remove_item (SdHealthCheck *self,
                             const char    *key)
{
  g_autoptr(SdChecklistItem) item = NULL;
  guint position;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), FALSE);

  if (!find_item (self, key, &position))
    return FALSE;

  item = g_list_model_get_item (G_LIST_MODEL (self->items), position);
  g_signal_handlers_disconnect_by_data (item, self);
  g_list_store_remove (self->items, position);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE]);
  return TRUE;
}

GPtrArray *
sd_health_check_dup_items (SdHealthCheck *self)
{
  GPtrArray *items;
  guint n;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (self->items), i));
  return items;
}

double
sd_health_check_get_score (SdHealthCheck *self)
{
  g_autoptr(GPtrArray) items = NULL;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), -1.0);

  items = sd_health_check_dup_items (self);
  return sd_health_check_score (items);
}

double
sd_health_check_score (GPtrArray *items)
{
  guint64 passed = 0;
  guint64 counted = 0;

  g_return_val_if_fail (items != NULL, -1.0);

  for (guint i = 0; i < items->len; i++)
    {
      SdChecklistItem *item = items->pdata[i];
      SdCheckResult result = sd_checklist_item_get_result (item);
      guint weight = sd_checklist_item_get_weight (item);

      if (result == SD_CHECK_RESULT_NOT_APPLICABLE)
        continue;
      counted += weight;
      if (result == SD_CHECK_RESULT_PASS)
        passed += weight;
    }

  if (counted == 0)
    return -1.0;
  return (double) passed / (double) counted;
}

static void
area_progress_clear (SdChecklistAreaProgress *progress)
{
  g_clear_pointer (&progress->area, g_free);
}

GArray *
sd_health_check_area_progress (GPtrArray *items)
{
  GArray *areas;

  g_return_val_if_fail (items != NULL, NULL);

  areas = g_array_new (FALSE, TRUE, sizeof (SdChecklistAreaProgress));
  g_array_set_clear_func (areas, (GDestroyNotify) area_progress_clear);
  for (guint i = 0; i < items->len; i++)
    {
      SdChecklistItem *item = items->pdata[i];
      const char *area = sd_checklist_item_get_area (item);
      SdChecklistAreaProgress *progress = NULL;

      for (guint a = 0; a < areas->len && progress == NULL; a++)
        if (g_strcmp0 (g_array_index (areas, SdChecklistAreaProgress, a).area, area) == 0)
          progress = &g_array_index (areas, SdChecklistAreaProgress, a);
      if (progress == NULL)
        {
          SdChecklistAreaProgress added = { g_strdup (area) };

          g_array_append_val (areas, added);
          progress = &g_array_index (areas, SdChecklistAreaProgress, areas->len - 1);
        }

      progress->n_items++;
      switch (sd_checklist_item_get_result (item))
        {
        case SD_CHECK_RESULT_NOT_CHECKED:
          continue;
        case SD_CHECK_RESULT_PASS:
          progress->n_passed++;
          break;
        case SD_CHECK_RESULT_WARNING:
          progress->n_warnings++;
          break;
        case SD_CHECK_RESULT_FAIL:
          progress->n_failed++;
          break;
        case SD_CHECK_RESULT_NOT_APPLICABLE:
          progress->n_not_applicable++;
          break;
        default:
          g_assert_not_reached ();
        }
      progress->n_checked++;
    }
  return areas;
}

guint32
sd_health_check_get_earliest_day (guint32     today,
                                  SdCalendar *calendar)
{
  g_return_val_if_fail (SD_IS_CALENDAR (calendar), 0);
  g_return_val_if_fail (g_date_valid_julian (today), 0);

  for (guint32 day = today + SD_HEALTH_CHECK_MIN_LEAD_DAYS;
       day <= today + SD_HEALTH_CHECK_MIN_LEAD_DAYS + 366;
       day++)
    if (sd_calendar_is_working_day (calendar, day))
      return day;
  return 0;
}

gboolean
sd_health_check_check_schedule (guint32      day,
                                guint32      today,
                                SdCalendar  *calendar,
                                GError     **error)
{
  g_return_val_if_fail (SD_IS_CALENDAR (calendar), FALSE);
  g_return_val_if_fail (g_date_valid_julian (today), FALSE);

  if (!g_date_valid_julian (day))
    {
      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("No valid day was given"));
      return FALSE;
    }

  if (day < today + SD_HEALTH_CHECK_MIN_LEAD_DAYS)
    {
      g_autofree char *text = sd_date_format (day);
      g_autofree char *earliest = sd_date_format (sd_health_check_get_earliest_day (today, calendar));

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s is less than %d day ahead; the earliest possible day is %s",
                                "%s is less than %d days ahead; the earliest possible day is %s",
                                SD_HEALTH_CHECK_MIN_LEAD_DAYS),
                   text, SD_HEALTH_CHECK_MIN_LEAD_DAYS, earliest);
      return FALSE;
    }

  if (!sd_calendar_is_working_day (calendar, day))
    {
      g_autofree char *text = sd_date_format (day);

      g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE,
                   _("%s is not a working day in the customer’s calendar"), text);
      return FALSE;
    }

  return TRUE;
}

SdHealthCheck *
sd_health_check_from_json (JsonNode    *node,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(SdHealthCheck) self = NULL;
  g_autofree char *items_path = NULL;
  JsonObject *object;
  JsonArray *items = NULL;
  JsonNode *score;
  const char *id = NULL;
  const char *customer_id = NULL;
  const char *contact = NULL;
  const char *notes = NULL;
  const char *template_id = NULL;
  const char *summary = NULL;
  int status = 0;
  int mode = 0;
  gint64 template_version = 0;
  gboolean needs_day;
  guint n;

  if (path == NULL)
    path = "health_check";

  if (!(object = sd_json_node_get_object (node, path, error))
      || !sd_json_check_fields (object, path, health_check_fields, error)
      || !sd_json_get_uuid (object, path, "id", TRUE, &id, error))
    return NULL;

  self = g_object_new (SD_TYPE_HEALTH_CHECK, "id", id, NULL);

  if (!sd_json_get_id (object, path, "customer_id", TRUE, &customer_id, error)
      || !sd_json_get_enum (object, path, "status", TRUE,
                            SD_JSON_ENUM (sd_health_check_status_from_string), &status, error)
      || !sd_json_get_time (object, path, "requested_at", TRUE, &self->requested_at, error))
    return NULL;

  needs_day = status == SD_HEALTH_CHECK_SCHEDULED
              || status == SD_HEALTH_CHECK_IN_PROGRESS
              || status == SD_HEALTH_CHECK_COMPLETED;

  if (!sd_json_get_date (object, path, "scheduled_on", needs_day, &self->scheduled_on, error)
      || !sd_json_get_enum (object, path, "mode", TRUE,
                            SD_JSON_ENUM (sd_health_check_mode_from_string), &mode, error)
      || !sd_json_get_string (object, path, "contact", FALSE, &contact, error)
      || !sd_json_get_string (object, path, "notes", FALSE, &notes, error)
      || !sd_json_get_id (object, path, "template_id", TRUE, &template_id, error)
      || !sd_json_get_int (object, path, "template_version", TRUE, 1, G_MAXINT32,
                           &template_version, error)
      || !sd_json_get_array (object, path, "items", TRUE, &items, error)
      || !sd_json_get_string (object, path, "summary", FALSE, &summary, error)
      || !sd_json_get_int (object, path, "version", FALSE, 0, G_MAXINT64, &self->version, error)
      || !sd_json_get_time (object, path, "updated_at", FALSE, &self->updated_at, error))
    return NULL;

  /* The score is computed from the items: read-only, so only its type is
   * checked. */
  score = json_object_get_member (object, "score");
  if (score != NULL && !JSON_NODE_HOLDS_NULL (score))
    {
      double ignored;

      if (!sd_json_get_double (object, path, "score", FALSE, &ignored, error))
        return NULL;
    }

  items_path = sd_json_path_join (path, "items");
  n = json_array_get_length (items);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_path = sd_json_path_index (items_path, i);
      g_autoptr(SdChecklistItem) item = NULL;

      item = sd_checklist_item_from_json (json_array_get_element (items, i), item_path, error);
      if (item == NULL)
        return NULL;
      if (!sd_health_check_add_item (self, item))
        {
          sd_json_set_invalid (error, item_path, "key",
                               _("“%s” appears twice in the checklist"),
                               sd_checklist_item_get_key (item));
          return NULL;
        }
    }

  self->customer_id = g_strdup (customer_id);
  self->status = status;
  self->mode = mode;
  self->contact = g_strdup (contact);
  self->notes = g_strdup (notes);
  self->template_id = g_strdup (template_id);
  self->template_version = (guint) template_version;
  self->summary = g_strdup (summary);

  return g_steal_pointer (&self);
}

JsonNode *
sd_health_check_to_json (SdHealthCheck *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  double score;
  guint n;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), NULL);

  json_builder_begin_object (builder);
  sd_json_builder_add_string_or_null (builder, "id", self->id);
  sd_json_builder_add_string_or_null (builder, "customer_id", self->customer_id);
  sd_json_builder_add_string_or_null (builder, "status",
                                      sd_health_check_status_to_string (self->status));
  sd_json_builder_add_time (builder, "requested_at", self->requested_at);
  sd_json_builder_add_date (builder, "scheduled_on", self->scheduled_on);
  sd_json_builder_add_string_or_null (builder, "mode",
                                      sd_health_check_mode_to_string (self->mode));
  sd_json_builder_add_string_or_null (builder, "contact", self->contact);
  sd_json_builder_add_string_or_null (builder, "notes", self->notes);
  sd_json_builder_add_string_or_null (builder, "template_id", self->template_id);
  json_builder_set_member_name (builder, "template_version");
  json_builder_add_int_value (builder, self->template_version);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdChecklistItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      json_builder_add_value (builder, sd_checklist_item_to_json (item));
    }
  json_builder_end_array (builder);

  sd_json_builder_add_string_or_null (builder, "summary", self->summary);
  json_builder_set_member_name (builder, "score");
  score = sd_health_check_get_score (self);
  if (score < 0)
    json_builder_add_null_value (builder);
  else
    json_builder_add_double_value (builder, score);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  sd_json_builder_add_time (builder, "updated_at", self->updated_at);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* The first day of the contract year that holds @day: contract years run
 * from the anniversaries of @start (1 January when there is no start). */
static guint32
contract_year_of (guint32 start,
                  guint32 day)
{
  GDate date;

  g_date_clear (&date, 1);
  if (start == 0 || !g_date_valid_julian (start))
    {
      g_date_set_julian (&date, day);
      g_date_set_dmy (&date, 1, G_DATE_JANUARY, g_date_get_year (&date));
      return g_date_get_julian (&date);
    }

  g_date_set_julian (&date, start);
  if (day < start)
    {
      while (g_date_get_julian (&date) > day)
        g_date_subtract_years (&date, 1);
      return g_date_get_julian (&date);
    }
  for (;;)
    {
      GDate next = date;

      g_date_add_years (&next, 1);
      if (g_date_get_julian (&next) > day)
        return g_date_get_julian (&date);
      date = next;
    }
}

static guint32
add_years (guint32 julian,
           guint   years)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  g_date_add_years (&date, years);
  return g_date_get_julian (&date);
}

static guint32
local_day (gint64      unix_time,
           SdCalendar *calendar)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, sd_calendar_get_time_zone (calendar));
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  return g_date_get_julian (&date);
}

/* The day a check counts for: its agreed day, else the day it was asked. */
static guint32
counted_day (SdHealthCheck *check,
             SdCalendar    *calendar)
{
  if (check->scheduled_on != 0)
    return check->scheduled_on;
  return local_day (check->requested_at, calendar);
}

static gboolean
field_error (GError     **error,
             const char  *field,
             const char  *message)
{
  g_set_error (error, SD_ERROR, SD_ERROR_INVALID_VALUE, _("Field “%s”: %s"), field, message);
  return FALSE;
}

/* How far a check got: the one that counts for a year is the furthest. */
static SdHealthCheckYearState
year_state_of (SdHealthCheck *check)
{
  switch (check->status)
    {
    case SD_HEALTH_CHECK_COMPLETED:
      return SD_HEALTH_CHECK_YEAR_DONE;
    case SD_HEALTH_CHECK_SCHEDULED:
    case SD_HEALTH_CHECK_IN_PROGRESS:
      return check->scheduled_on != 0 ? SD_HEALTH_CHECK_YEAR_SCHEDULED : SD_HEALTH_CHECK_YEAR_REQUESTED;
    case SD_HEALTH_CHECK_REQUESTED:
    case SD_HEALTH_CHECK_CANCELLED:
    default:
      return SD_HEALTH_CHECK_YEAR_REQUESTED;
    }
}

void
sd_health_check_year (SdCustomer        *customer,
                      SdCalendar        *calendar,
                      GPtrArray         *checks,
                      guint32            day,
                      SdHealthCheckYear *out)
{
  const SdContractPeriod *period;

  g_return_if_fail (SD_IS_CUSTOMER (customer));
  g_return_if_fail (SD_IS_CALENDAR (calendar));
  g_return_if_fail (out != NULL);

  /* The contract in force on the day: a renewal starts its own years. */
  period = sd_customer_get_contract_on (customer, day);
  *out = (SdHealthCheckYear) { 0 };
  out->start = contract_year_of (period ? period->start : sd_customer_get_contract_start (customer), day);
  out->end = add_years (out->start, 1) - 1;
  out->state = SD_HEALTH_CHECK_YEAR_DUE;

  for (guint i = 0; checks != NULL && i < checks->len; i++)
    {
      SdHealthCheck *check = checks->pdata[i];
      guint32 counted;
      SdHealthCheckYearState state;

      if (check->status == SD_HEALTH_CHECK_CANCELLED
          || g_strcmp0 (check->customer_id, sd_customer_get_id (customer)) != 0)
        continue;
      counted = counted_day (check, calendar);
      if (counted < out->start || counted > out->end)
        continue;
      state = year_state_of (check);
      if (out->check == NULL || state > out->state)
        {
          out->check = check;
          out->state = state;
          out->day = counted;
        }
    }

  if (!sd_customer_get_health_check_entitled_on (customer, day))
    out->state = SD_HEALTH_CHECK_YEAR_NOT_ENTITLED;
  else
    out->next_due = out->state == SD_HEALTH_CHECK_YEAR_DUE ? out->start : out->end + 1;
}

gboolean
sd_health_check_check_rules (SdHealthCheck  *self,
                             SdCustomer     *customer,
                             SdCalendar     *calendar,
                             GPtrArray      *others,
                             GError        **error)
{
  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), FALSE);
  return sd_health_check_check_rules_at (self, customer, calendar, others, self->requested_at, error);
}

gboolean
sd_health_check_check_rules_at (SdHealthCheck  *self,
                                SdCustomer     *customer,
                                SdCalendar     *calendar,
                                GPtrArray      *others,
                                gint64          received,
                                GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  SdHealthCheckYear year;
  const SdContractPeriod *period;
  guint32 day, contract_end;

  g_return_val_if_fail (SD_IS_HEALTH_CHECK (self), FALSE);
  g_return_val_if_fail (SD_IS_CUSTOMER (customer), FALSE);
  g_return_val_if_fail (SD_IS_CALENDAR (calendar), FALSE);

  /* The contract in force on the day the check counts for. */
  day = counted_day (self, calendar);
  period = sd_customer_get_contract_on (customer, day);
  contract_end = period ? period->end : sd_customer_get_contract_end (customer);
  if (!sd_customer_get_health_check_entitled_on (customer, day))
    return field_error (error, "health_check.customer_id",
                        _("the customer has no extended-support certificate, which includes the yearly health check"));

  if (self->status == SD_HEALTH_CHECK_CANCELLED)
    return TRUE;

  /* One check a contract year: the year this one counts for holds no other. */
  for (guint i = 0; others != NULL && i < others->len; i++)
    if (g_strcmp0 (((SdHealthCheck *) others->pdata[i])->id, self->id) != 0)
      g_ptr_array_add (rest, others->pdata[i]);
  sd_health_check_year (customer, calendar, rest, day, &year);
  if (year.check != NULL)
    {
      g_autofree char *text = sd_date_format (year.day);
      g_autofree char *message = g_strdup_printf (_("the customer already has a health check in this contract year (%s); the contract includes one a year"), text);

      return field_error (error, self->scheduled_on ? "health_check.scheduled_on" : "health_check.requested_at",
                          message);
    }

  if (self->scheduled_on != 0
      && !sd_health_check_check_schedule (self->scheduled_on, local_day (received, calendar),
                                          calendar, &local_error))
    return field_error (error, "health_check.scheduled_on", local_error->message);

  /* The check is part of the contract: it happens while the contract runs. */
  if (self->scheduled_on != 0 && contract_end != 0 && self->scheduled_on > contract_end)
    {
      g_autofree char *text = sd_date_format (self->scheduled_on);
      g_autofree char *end = sd_date_format (contract_end);
      g_autofree char *message = g_strdup_printf (_("%s is after the contract ends (%s)"), text, end);

      return field_error (error, "health_check.scheduled_on", message);
    }

  return TRUE;
}
