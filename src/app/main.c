/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sd-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SdApplication) app = NULL;

  sd_application_init_i18n ();

  app = sd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
