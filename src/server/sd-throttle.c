/* sd-throttle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-throttle.h"

struct _SdThrottle
{
  guint       max_attempts;
  gint64      window;       /* seconds */
  guint       max_entries;
  GHashTable *entries;      /* key → Entry */
  gint64      purged_at;    /* when expired entries were last dropped */
};

typedef struct {
  gint64 window_start;
  guint  count;
} Entry;

SdThrottle *
sd_throttle_new (guint  max_attempts,
                 gint64 window,
                 guint  max_entries)
{
  SdThrottle *self = g_new0 (SdThrottle, 1);

  self->max_attempts = max_attempts;
  self->window = window;
  self->max_entries = max_entries;
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
sd_throttle_free (SdThrottle *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_free (self);
}

static gboolean
entry_expired_cb (gpointer key,
                  gpointer value,
                  gpointer user_data)
{
  SdThrottle *self = user_data;
  Entry *entry = value;

  return self->purged_at - entry->window_start >= self->window;
}

gint64
sd_throttle_count (SdThrottle *self,
                   const char *key,
                   gint64      now)
{
  Entry *entry;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (key != NULL, 0);

  if (now - self->purged_at >= self->window
      || g_hash_table_size (self->entries) >= self->max_entries)
    {
      self->purged_at = now;
      g_hash_table_foreach_remove (self->entries, entry_expired_cb, self);
    }

  entry = g_hash_table_lookup (self->entries, key);
  if (entry != NULL && now - entry->window_start >= self->window)
    {
      entry->window_start = now;
      entry->count = 0;
    }
  if (entry == NULL)
    {
      /* Full of fresh entries: someone is trying many keys. */
      if (g_hash_table_size (self->entries) >= self->max_entries)
        return self->window;
      entry = g_new0 (Entry, 1);
      entry->window_start = now;
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }
  if (entry->count >= self->max_attempts)
    return MAX (self->window - (now - entry->window_start), 1);
  entry->count++;
  return 0;
}

void
sd_throttle_forget (SdThrottle *self,
                    const char *key)
{
  g_return_if_fail (self != NULL);
  g_hash_table_remove (self->entries, key);
}

guint
sd_throttle_get_size (SdThrottle *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return g_hash_table_size (self->entries);
}
