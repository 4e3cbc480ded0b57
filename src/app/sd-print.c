/* sd-print.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sd-print.h"

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                SdDocument        *document)
{
  gtk_print_operation_set_n_pages (operation,
                                   sd_document_get_n_pages (document, gtk_print_context_get_width (context),
                                                            gtk_print_context_get_height (context)));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              SdDocument        *document)
{
  sd_document_render_page (document, gtk_print_context_get_cairo_context (context),
                           gtk_print_context_get_width (context), gtk_print_context_get_height (context), page);
}

GtkPrintOperation *
sd_print_operation_new (SdDocument *document,
                        const char *job_name)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();

  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  if (job_name != NULL)
    gtk_print_operation_set_job_name (operation, job_name);
  g_signal_connect_data (operation, "begin-print", G_CALLBACK (begin_print_cb),
                         g_object_ref (document), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb),
                         g_object_ref (document), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  return operation;
}
