/* sd-document.h — a small paginated document: title block, headings,
 * paragraphs, tables and custom drawings, laid out with Pango and drawn
 * with cairo
 *
 * The same document renders to a PDF file and, page by page, onto any
 * cairo context — e.g. the one GtkPrintOperation gives in "draw-page"
 * (set the operation's unit to GTK_UNIT_POINTS and pass the print
 * context's width and height). Units are points (1/72 inch). Text goes
 * through fontconfig, so Chinese renders with a CJK font.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_TYPE_DOCUMENT (sd_document_get_type ())

G_DECLARE_FINAL_TYPE (SdDocument, sd_document, SD, DOCUMENT, GObject)

/* ISO A4 in points. */
#define SD_DOCUMENT_A4_WIDTH  595.276
#define SD_DOCUMENT_A4_HEIGHT 841.890

#define SD_DOCUMENT_DEFAULT_FONT "Noto Sans CJK SC, Noto Sans, sans"

/* Draws a custom block (a chart…) into the rectangle (0, 0, @width,
 * @height) of @cr; the origin is the block's top left corner, and
 * drawing outside is clipped. */
typedef void (*SdDocumentDrawFunc) (cairo_t  *cr,
                                    double    width,
                                    double    height,
                                    gpointer  user_data);

/* @font_family: a Pango family list; NULL for SD_DOCUMENT_DEFAULT_FONT. */
SdDocument *sd_document_new            (const char          *font_family);

/* The title block of the first page: a large title and a subtitle (may
 * be NULL), followed by label–value fields. The title also becomes the
 * PDF's title. */
void        sd_document_add_title      (SdDocument          *self,
                                        const char          *title,
                                        const char          *subtitle);
void        sd_document_add_field      (SdDocument          *self,
                                        const char          *label,
                                        const char          *value);
/* Text at the bottom left of every page (e.g. the customer's name). */
void        sd_document_set_footer     (SdDocument          *self,
                                        const char          *text);
void        sd_document_add_page_break (SdDocument          *self);
/* @level 1 or 2. A heading is never the last line of a page. */
void        sd_document_add_heading    (SdDocument          *self,
                                        const char          *text,
                                        guint                level);
void        sd_document_add_paragraph  (SdDocument          *self,
                                        const char          *text);
/* Starts a table of @n_columns with relative column @widths (NULL for
 * equal ones) and a header row that is repeated on every page the table
 * runs over. Cells wrap. */
void        sd_document_begin_table    (SdDocument          *self,
                                        guint                n_columns,
                                        const double        *widths,
                                        const char * const  *headers);
/* Appends a row of n_columns cells (NULL cells are empty) to the table
 * begun last. */
void        sd_document_add_row        (SdDocument          *self,
                                        const char * const  *cells);
/* A block of the full text width and @height points drawn by @func. */
void        sd_document_add_drawing    (SdDocument          *self,
                                        double               height,
                                        SdDocumentDrawFunc   func,
                                        gpointer             user_data,
                                        GDestroyNotify       destroy);

/* The number of pages on paper of @width × @height points (≥ 1). */
guint       sd_document_get_n_pages    (SdDocument          *self,
                                        double               width,
                                        double               height);
/* Draws page @page (from 0) of the document laid out for @width ×
 * @height onto @cr, whose user space is in points with the origin at the
 * top left corner of the page. */
void        sd_document_render_page    (SdDocument          *self,
                                        cairo_t             *cr,
                                        double               width,
                                        double               height,
                                        guint                page);
/* Writes every page as A4 to a PDF file (replacing it). */
gboolean    sd_document_write_pdf      (SdDocument          *self,
                                        const char          *path,
                                        GError             **error);

G_END_DECLS
