/* sd-model-private.h — small helpers shared by the domain object files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

/* Replaces *@str with a copy of @value; TRUE when the text changed. */
static inline gboolean
_sd_set_str (char       **str,
             const char  *value)
{
  char *copy;

  if (g_strcmp0 (*str, value) == 0)
    return FALSE;
  copy = g_strdup (value);
  g_free (*str);
  *str = copy;
  return TRUE;
}

static inline gboolean
_sd_strv_equal0 (const char * const *a,
                 const char * const *b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || a[0] == NULL) && (b == NULL || b[0] == NULL);
  return g_strv_equal (a, b);
}

G_END_DECLS
