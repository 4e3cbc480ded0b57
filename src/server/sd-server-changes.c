/* sd-server-changes.c — the change feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "supportdesk-server"

#include "config.h"

#include <sd-model.h>

#include "sd-server-private.h"

void
_sd_handle_changes (SdRequest *req)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  gint64 after, limit, next = 0;
  gint64 started;
  guint written = 0;
  GString *json;

  if (!_sd_query_get_int (req, "after", 0, G_MAXINT64, 0, &after)
      || !_sd_query_get_int (req, "limit", 1, MAX_PAGE, 500, &limit))
    return;

  _sd_hold_for_test (req);
  started = g_get_monotonic_time ();
  records = sd_store_changes (req->store, after, limit, _sd_request_visible (req),
                              &has_more, &next, &error);
  if (records == NULL)
    {
      _sd_respond_store_error (req, error);
      return;
    }
  if (after > next)
    {
      g_autofree char *detail = g_strdup_printf ("The server's sequence ends at %" G_GINT64_FORMAT
                                                 ": its data was replaced. Start again from after=0.", next);

      _sd_respond_problem (req, SOUP_STATUS_CONFLICT, "resync", "The cursor is ahead of the server", detail, "after");
      return;
    }

  json = g_string_new ("{\"changes\":[");
  for (guint i = 0; i < records->len; i++)
    {
      SdStoreRecord *record = records->pdata[i];
      g_autofree char *entity = NULL;

      if (_sd_page_is_full (req, json, i, started))
        {
          next = ((SdStoreRecord *) records->pdata[i - 1])->seq;
          has_more = TRUE;
          break;
        }
      /* A notification is in its recipient's feed only. */
      if (g_strcmp0 (record->kind, "notification") == 0 && g_strcmp0 (record->parent_id, req->user_id) != 0)
        continue;
      entity = _sd_record_to_feed (req, record);
      if (written++ > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json,
                              "{\"seq\":%" G_GINT64_FORMAT ",\"kind\":\"%s\",\"id\":\"%s\","
                              "\"version\":%" G_GINT64_FORMAT ",\"deleted\":%s,\"entity\":%s}",
                              record->seq, record->kind, record->id, record->version,
                              record->deleted ? "true" : "false",
                              entity ? entity : "null");
    }
  g_string_append_printf (json, "],\"next\":%" G_GINT64_FORMAT ",\"has_more\":%s}",
                          next, has_more ? "true" : "false");
  _sd_respond_json (req, SOUP_STATUS_OK, g_string_free (json, FALSE));
}
