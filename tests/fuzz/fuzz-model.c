/* fuzz-model.c — libFuzzer target for the entity decoders
 *
 * The input is parsed with sd_json_parse() and handed to every entity
 * decoder. Each must succeed or fail with an SD_ERROR; what one accepts
 * it must write back in a form it accepts again, unchanged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <supportdesk.h>

typedef GObject  *(*FromJson) (JsonNode *node, const char *path, GError **error);
typedef JsonNode *(*ToJson)   (gpointer  object);

static const struct {
  FromJson from_json;
  ToJson   to_json;
} codecs[] = {
  { (FromJson) sd_customer_from_json, (ToJson) sd_customer_to_json },
  { (FromJson) sd_user_from_json, (ToJson) sd_user_to_json },
  { (FromJson) sd_case_from_json, (ToJson) sd_case_to_json },
  { (FromJson) sd_case_event_from_json, (ToJson) sd_case_event_to_json },
  { (FromJson) sd_health_check_from_json, (ToJson) sd_health_check_to_json },
  { (FromJson) sd_checklist_item_from_json, (ToJson) sd_checklist_item_to_json },
  { (FromJson) sd_signature_change_from_json, (ToJson) sd_signature_change_to_json },
  { (FromJson) sd_private_patch_from_json, (ToJson) sd_private_patch_to_json },
  { (FromJson) sd_database_release_from_json, (ToJson) sd_database_release_to_json },
};

static void
ignore_log_cb (const char     *domain,
               GLogLevelFlags  level,
               const char     *message,
               gpointer        user_data)
{
}

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  static gboolean initialized;

  if (!initialized)
    {
      g_log_set_handler ("sd-case", G_LOG_LEVEL_DEBUG, ignore_log_cb, NULL);
      initialized = TRUE;
    }

  root = sd_json_parse ((const char *) data, (gssize) size, &error);
  if (root == NULL)
    {
      if (error == NULL || error->domain != SD_ERROR)
        abort ();
      return 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    {
      g_autoptr(GError) decode_error = NULL;
      g_autoptr(GObject) object = codecs[i].from_json (root, NULL, &decode_error);
      g_autoptr(GObject) again = NULL;
      g_autoptr(JsonNode) encoded = NULL;
      g_autoptr(JsonNode) encoded_again = NULL;
      g_autofree char *text = NULL;
      g_autofree char *text_again = NULL;

      if (object == NULL)
        {
          if (decode_error == NULL || decode_error->domain != SD_ERROR)
            abort ();
          continue;
        }
      if (decode_error != NULL)
        abort ();

      encoded = codecs[i].to_json (object);
      again = codecs[i].from_json (encoded, NULL, &decode_error);
      if (again == NULL)
        abort ();
      encoded_again = codecs[i].to_json (again);
      text = sd_json_to_string (encoded, FALSE);
      text_again = sd_json_to_string (encoded_again, FALSE);
      if (g_strcmp0 (text, text_again) != 0)
        abort ();
    }

  return 0;
}
