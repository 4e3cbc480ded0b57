/* pdf-test-util.h — reading a PDF back with pdftotext in tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <glib.h>

/* The text of a PDF as pdftotext reads it, in drawing order, with all
 * white space removed (cells wrap); NULL (test skipped) without pdftotext. */
static inline char *
pdf_text (const char *path,
          int         page)
{
  g_autofree char *program = g_find_program_in_path ("pdftotext");
  g_autofree char *first = g_strdup_printf ("%d", page > 0 ? page : 1);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  GString *squeezed;
  int status;

  if (program == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return NULL;
    }
  {
    const char *argv_all[] = { program, "-raw", "-enc", "UTF-8", path, "-", NULL };
    const char *argv_page[] = { program, "-raw", "-enc", "UTF-8", "-f", first, "-l", first, path, "-", NULL };

    g_spawn_sync (NULL, (char **) (page > 0 ? argv_page : argv_all), NULL, G_SPAWN_DEFAULT, NULL, NULL,
                  &out, NULL, &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  squeezed = g_string_new (NULL);
  for (const char *p = out; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (squeezed, g_utf8_get_char (p));
  return g_string_free (squeezed, FALSE);
}

static inline void
assert_contains (const char *text,
                 const char *wanted)
{
  g_autoptr(GString) squeezed = g_string_new (NULL);

  for (const char *p = wanted; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (squeezed, g_utf8_get_char (p));
  if (strstr (text, squeezed->str) == NULL)
    g_error ("“%s” is not in the PDF text: %.2000s", wanted, text);
}
