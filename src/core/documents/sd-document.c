/* sd-document.c
 *
 * Layout is a pure pass over the blocks for one paper size: it produces
 * a list of placed pieces (text, table cells, drawings), each on a page
 * at a position. Rendering a page draws its pieces. The layout is kept
 * until the document or the paper size changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-document"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "sd-document.h"

#define MARGIN_SIDE     48.0
#define MARGIN_TOP      56.0
#define MARGIN_BOTTOM   64.0
#define CELL_PADDING    3.5
#define TITLE_OFFSET    150.0

typedef enum {
  BLOCK_TITLE,
  BLOCK_FIELD,
  BLOCK_PAGE_BREAK,
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_TABLE,
  BLOCK_DRAWING,
} BlockKind;

typedef struct {
  BlockKind           kind;
  char               *text;
  char               *text2;
  guint               level;
  /* tables */
  guint               n_columns;
  double             *widths;
  char              **headers;
  GPtrArray          *rows;       /* of GStrv */
  /* drawings */
  double              height;
  SdDocumentDrawFunc  func;
  gpointer            user_data;
  GDestroyNotify      destroy;
} Block;

typedef enum {
  PIECE_TEXT,
  PIECE_CELL,
  PIECE_DRAWING,
} PieceKind;

typedef struct {
  PieceKind    kind;
  guint        page;
  double       x, y, width, height;
  PangoLayout *layout;    /* owned, may be NULL for an empty cell */
  gboolean     header;    /* a table's header cell */
  Block       *block;     /* borrowed, for drawings */
} Piece;

struct _SdDocument
{
  GObject       parent_instance;

  char         *font_family;
  char         *title;
  char         *footer;
  GPtrArray    *blocks;       /* owned, of Block */

  /* The layout for layout_width × layout_height, or none. */
  double        layout_width;
  double        layout_height;
  GArray       *pieces;       /* owned, of Piece */
  guint         n_pages;
  PangoContext *context;      /* owned */
};

G_DEFINE_FINAL_TYPE (SdDocument, sd_document, G_TYPE_OBJECT)

static void
block_free (Block *block)
{
  g_free (block->text);
  g_free (block->text2);
  g_free (block->widths);
  g_strfreev (block->headers);
  g_clear_pointer (&block->rows, g_ptr_array_unref);
  if (block->destroy != NULL)
    block->destroy (block->user_data);
  g_free (block);
}

static void
piece_clear (Piece *piece)
{
  g_clear_object (&piece->layout);
}

static void
invalidate (SdDocument *self)
{
  g_clear_pointer (&self->pieces, g_array_unref);
  self->n_pages = 0;
}

static Block *
add_block (SdDocument *self,
           BlockKind   kind,
           const char *text)
{
  Block *block = g_new0 (Block, 1);

  block->kind = kind;
  block->text = g_strdup (text);
  g_ptr_array_add (self->blocks, block);
  invalidate (self);
  return block;
}

static void
sd_document_finalize (GObject *object)
{
  SdDocument *self = (SdDocument *) object;

  invalidate (self);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_object (&self->context);
  g_clear_pointer (&self->font_family, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->footer, g_free);

  G_OBJECT_CLASS (sd_document_parent_class)->finalize (object);
}

static void
sd_document_class_init (SdDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sd_document_finalize;
}

static void
sd_document_init (SdDocument *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
}

SdDocument *
sd_document_new (const char *font_family)
{
  SdDocument *self = g_object_new (SD_TYPE_DOCUMENT, NULL);

  self->font_family = g_strdup (font_family ? font_family : SD_DOCUMENT_DEFAULT_FONT);
  return self;
}

void
sd_document_add_title (SdDocument *self,
                       const char *title,
                       const char *subtitle)
{
  Block *block;

  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (title != NULL);

  block = add_block (self, BLOCK_TITLE, title);
  block->text2 = g_strdup (subtitle);
  if (self->title == NULL)
    self->title = g_strdup (title);
}

void
sd_document_add_field (SdDocument *self,
                       const char *label,
                       const char *value)
{
  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (label != NULL);

  add_block (self, BLOCK_FIELD, label)->text2 = g_strdup (value ? value : "");
}

void
sd_document_set_footer (SdDocument *self,
                        const char *text)
{
  g_return_if_fail (SD_IS_DOCUMENT (self));

  g_free (self->footer);
  self->footer = g_strdup (text);
}

void
sd_document_add_page_break (SdDocument *self)
{
  g_return_if_fail (SD_IS_DOCUMENT (self));

  add_block (self, BLOCK_PAGE_BREAK, NULL);
}

void
sd_document_add_heading (SdDocument *self,
                         const char *text,
                         guint       level)
{
  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (text != NULL);
  g_return_if_fail (level == 1 || level == 2);

  add_block (self, BLOCK_HEADING, text)->level = level;
}

void
sd_document_add_paragraph (SdDocument *self,
                           const char *text)
{
  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (text != NULL);

  add_block (self, BLOCK_PARAGRAPH, text);
}

void
sd_document_begin_table (SdDocument          *self,
                         guint                n_columns,
                         const double        *widths,
                         const char * const  *headers)
{
  Block *block;
  double total = 0;

  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (n_columns > 0);
  g_return_if_fail (headers != NULL && g_strv_length ((char **) headers) == n_columns);

  block = add_block (self, BLOCK_TABLE, NULL);
  block->n_columns = n_columns;
  block->headers = g_strdupv ((char **) headers);
  block->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  block->widths = g_new (double, n_columns);
  for (guint i = 0; i < n_columns; i++)
    total += widths ? MAX (widths[i], 0.0) : 1.0;
  for (guint i = 0; i < n_columns; i++)
    block->widths[i] = total > 0 ? (widths ? MAX (widths[i], 0.0) : 1.0) / total : 1.0 / n_columns;
}

void
sd_document_add_row (SdDocument          *self,
                     const char * const  *cells)
{
  Block *table = NULL;
  char **row;

  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (cells != NULL);

  for (guint i = self->blocks->len; i > 0 && table == NULL; i--)
    if (((Block *) self->blocks->pdata[i - 1])->kind == BLOCK_TABLE)
      table = self->blocks->pdata[i - 1];
  g_return_if_fail (table != NULL);

  row = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
  invalidate (self);
}

void
sd_document_add_drawing (SdDocument         *self,
                         double              height,
                         SdDocumentDrawFunc  func,
                         gpointer            user_data,
                         GDestroyNotify      destroy)
{
  Block *block;

  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (height > 0);
  g_return_if_fail (func != NULL);

  block = add_block (self, BLOCK_DRAWING, NULL);
  block->height = height;
  block->func = func;
  block->user_data = user_data;
  block->destroy = destroy;
}

/* ---------------------------------------------------------------- layout */

typedef struct {
  SdDocument *self;
  double      width;      /* of the text area */
  double      top;
  double      bottom;     /* lowest y of the text area */
  double      y;
  guint       page;
} Flow;

/* Metrics independent of the device, so that the layout measured here
 * is what any cairo context later draws. */
static PangoContext *
get_context (SdDocument *self)
{
  if (self->context == NULL)
    {
      cairo_font_options_t *options = cairo_font_options_create ();

      self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
      pango_cairo_context_set_resolution (self->context, 72.0);
      cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
      cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
      pango_cairo_context_set_font_options (self->context, options);
      cairo_font_options_destroy (options);
    }
  return self->context;
}

static PangoLayout *
make_layout (SdDocument *self,
             const char *text,
             double      size,
             gboolean    bold,
             double      width)
{
  PangoLayout *layout = pango_layout_new (get_context (self));
  PangoFontDescription *font = pango_font_description_new ();
  PangoAttrList *attrs;

  pango_font_description_set_family (font, self->font_family);
  pango_font_description_set_size (font, (int) (size * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* A word broken at the end of a line stays the word (no hyphen added),
   * so that text extracted from the PDF can be searched. */
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
new_page (Flow *flow)
{
  flow->page++;
  flow->y = flow->top;
}

/* Starts a new page unless @height fits below, or the page is empty. */
static void
ensure_room (Flow   *flow,
             double  height)
{
  if (flow->y + height > flow->bottom && flow->y > flow->top)
    new_page (flow);
}

static void
place (Flow        *flow,
       PieceKind    kind,
       double       x,
       double       width,
       double       height,
       PangoLayout *layout,
       gboolean     header,
       Block       *block)
{
  Piece piece = { kind, flow->page, MARGIN_SIDE + x, flow->y, width, height, layout, header, block };

  g_array_append_val (flow->self->pieces, piece);
}

static void
place_text (Flow        *flow,
            PangoLayout *layout,
            double       x)
{
  place (flow, PIECE_TEXT, x, flow->width - x, layout_height (layout), layout, FALSE, NULL);
}

static double
place_row (Flow        *flow,
           Block       *table,
           char       **cells,
           gboolean     header,
           gboolean     measure_only)
{
  PangoLayout *layouts[table->n_columns];
  double height = 0;
  double x = 0;

  for (guint i = 0; i < table->n_columns; i++)
    {
      double width = table->widths[i] * flow->width;

      layouts[i] = make_layout (flow->self, cells[i], 8.5, header, MAX (width - 2 * CELL_PADDING, 1));
      height = MAX (height, layout_height (layouts[i]) + 2 * CELL_PADDING);
    }
  for (guint i = 0; i < table->n_columns; i++)
    {
      double width = table->widths[i] * flow->width;

      if (measure_only)
        g_object_unref (layouts[i]);
      else
        place (flow, PIECE_CELL, x, width, height, layouts[i], header, NULL);
      x += width;
    }
  if (!measure_only)
    flow->y += height;
  return height;
}

static void
layout_table (Flow  *flow,
              Block *table)
{
  double header_height = place_row (flow, table, table->headers, TRUE, TRUE);
  double first = table->rows->len > 0 ? place_row (flow, table, table->rows->pdata[0], FALSE, TRUE) : 0;

  ensure_room (flow, header_height + first);
  place_row (flow, table, table->headers, TRUE, FALSE);
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = table->rows->pdata[r];
      double height = place_row (flow, table, row, FALSE, TRUE);

      if (flow->y + height > flow->bottom)
        {
          new_page (flow);
          place_row (flow, table, table->headers, TRUE, FALSE);
        }
      place_row (flow, table, row, FALSE, FALSE);
    }
  flow->y += 12;
}

static void
layout_document (SdDocument *self,
                 double      width,
                 double      height)
{
  Flow flow = { self, width - 2 * MARGIN_SIDE, MARGIN_TOP, height - MARGIN_BOTTOM, MARGIN_TOP, 0 };

  if (self->pieces != NULL && self->layout_width == width && self->layout_height == height)
    return;

  invalidate (self);
  self->pieces = g_array_new (FALSE, TRUE, sizeof (Piece));
  g_array_set_clear_func (self->pieces, (GDestroyNotify) piece_clear);
  self->layout_width = width;
  self->layout_height = height;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = self->blocks->pdata[i];
      PangoLayout *layout, *value;
      double h;

      switch (block->kind)
        {
        case BLOCK_TITLE:
          if (flow.y == flow.top)
            flow.y += TITLE_OFFSET;
          layout = make_layout (self, block->text, 24, TRUE, flow.width);
          ensure_room (&flow, layout_height (layout));
          place_text (&flow, layout, 0);
          flow.y += layout_height (layout) + 8;
          if (block->text2 != NULL)
            {
              layout = make_layout (self, block->text2, 14, FALSE, flow.width);
              place_text (&flow, layout, 0);
              flow.y += layout_height (layout);
            }
          flow.y += 36;
          break;

        case BLOCK_FIELD:
          layout = make_layout (self, block->text, 11, TRUE, 130);
          value = make_layout (self, block->text2, 11, FALSE, flow.width - 140);
          h = MAX (layout_height (layout), layout_height (value));
          ensure_room (&flow, h);
          place_text (&flow, layout, 0);
          place_text (&flow, value, 140);
          flow.y += h + 6;
          break;

        case BLOCK_PAGE_BREAK:
          if (flow.y > flow.top)
            new_page (&flow);
          break;

        case BLOCK_HEADING:
          layout = make_layout (self, block->text, block->level == 1 ? 16 : 12.5, TRUE, flow.width);
          h = layout_height (layout);
          if (flow.y > flow.top)
            flow.y += block->level == 1 ? 10 : 6;
          /* Keep it with at least a few lines of what follows. */
          ensure_room (&flow, h + 48);
          place_text (&flow, layout, 0);
          flow.y += h + 6;
          break;

        case BLOCK_PARAGRAPH:
          layout = make_layout (self, block->text, 10, FALSE, flow.width);
          ensure_room (&flow, layout_height (layout));
          place_text (&flow, layout, 0);
          flow.y += layout_height (layout) + 6;
          break;

        case BLOCK_TABLE:
          layout_table (&flow, block);
          break;

        case BLOCK_DRAWING:
          ensure_room (&flow, block->height);
          place (&flow, PIECE_DRAWING, 0, flow.width, block->height, NULL, FALSE, block);
          flow.y += block->height + 8;
          break;

        default:
          g_assert_not_reached ();
        }
    }
  self->n_pages = flow.page + 1;
}

guint
sd_document_get_n_pages (SdDocument *self,
                         double      width,
                         double      height)
{
  g_return_val_if_fail (SD_IS_DOCUMENT (self), 0);
  g_return_val_if_fail (width > 2 * MARGIN_SIDE && height > MARGIN_TOP + MARGIN_BOTTOM, 0);

  layout_document (self, width, height);
  return self->n_pages;
}

/* ------------------------------------------------------------- rendering */

static void
show_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
render_piece (cairo_t *cr,
              Piece   *piece)
{
  switch (piece->kind)
    {
    case PIECE_TEXT:
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_layout (cr, piece->layout, piece->x, piece->y);
      break;

    case PIECE_CELL:
      cairo_rectangle (cr, piece->x, piece->y, piece->width, piece->height);
      if (piece->header)
        {
          cairo_set_source_rgb (cr, 0.90, 0.91, 0.93);
          cairo_fill_preserve (cr);
        }
      cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (cr, 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      show_layout (cr, piece->layout, piece->x + CELL_PADDING, piece->y + CELL_PADDING);
      break;

    case PIECE_DRAWING:
      cairo_save (cr);
      cairo_translate (cr, piece->x, piece->y);
      cairo_rectangle (cr, 0, 0, piece->width, piece->height);
      cairo_clip (cr);
      piece->block->func (cr, piece->width, piece->height, piece->block->user_data);
      cairo_restore (cr);
      break;

    default:
      g_assert_not_reached ();
    }
}

void
sd_document_render_page (SdDocument *self,
                         cairo_t    *cr,
                         double      width,
                         double      height,
                         guint       page)
{
  g_autoptr(PangoLayout) number = NULL;
  g_autofree char *text = NULL;
  double footer_y = height - MARGIN_BOTTOM + 24;

  g_return_if_fail (SD_IS_DOCUMENT (self));
  g_return_if_fail (cr != NULL);

  layout_document (self, width, height);
  g_return_if_fail (page < self->n_pages);

  cairo_save (cr);
  for (guint i = 0; i < self->pieces->len; i++)
    {
      Piece *piece = &g_array_index (self->pieces, Piece, i);

      if (piece->page == page)
        render_piece (cr, piece);
    }

  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  /* "2 / 5": the same in every language a report is written in, which
   * need not be the language of the app. */
  text = g_strdup_printf ("%u / %u", page + 1, self->n_pages);
  number = make_layout (self, text, 8, FALSE, width - 2 * MARGIN_SIDE);
  pango_layout_set_alignment (number, PANGO_ALIGN_RIGHT);
  show_layout (cr, number, MARGIN_SIDE, footer_y);
  if (self->footer != NULL)
    {
      g_autoptr(PangoLayout) footer = make_layout (self, self->footer, 8, FALSE,
                                                   (width - 2 * MARGIN_SIDE) * 0.7);

      pango_layout_set_ellipsize (footer, PANGO_ELLIPSIZE_END);
      pango_layout_set_height (footer, -1);
      show_layout (cr, footer, MARGIN_SIDE, footer_y);
    }
  cairo_restore (cr);
}

typedef struct {
  GOutputStream *stream;
  GError        *error;
} PdfSink;

static cairo_status_t
write_pdf_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  PdfSink *sink = closure;

  if (sink->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (sink->stream, data, length, NULL, NULL, &sink->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

gboolean
sd_document_write_pdf (SdDocument  *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  PdfSink sink = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  guint n_pages;

  g_return_val_if_fail (SD_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  /* GIO's message names the file and the reason. */
  if (!(stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error)))
    return FALSE;

  sink.stream = G_OUTPUT_STREAM (stream);
  surface = cairo_pdf_surface_create_for_stream (write_pdf_cb, &sink,
                                                 SD_DOCUMENT_A4_WIDTH, SD_DOCUMENT_A4_HEIGHT);
  if (self->title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "SupportDesk");
  cr = cairo_create (surface);
  n_pages = sd_document_get_n_pages (self, SD_DOCUMENT_A4_WIDTH, SD_DOCUMENT_A4_HEIGHT);
  for (guint page = 0; page < n_pages; page++)
    {
      sd_document_render_page (self, cr, SD_DOCUMENT_A4_WIDTH, SD_DOCUMENT_A4_HEIGHT, page);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (sink.error == NULL && status != CAIRO_STATUS_SUCCESS)
    g_set_error_literal (&sink.error, G_IO_ERROR, G_IO_ERROR_FAILED, cairo_status_to_string (status));
  if (sink.error == NULL)
    g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &sink.error);
  else
    {
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      /* Closing with a cancelled cancellable leaves the old file in place. */
      g_cancellable_cancel (cancelled);
      g_output_stream_close (G_OUTPUT_STREAM (stream), cancelled, NULL);
    }
  if (sink.error != NULL)
    {
      g_set_error (error, sink.error->domain, sink.error->code,
                   _("Could not write “%s”: %s"), path, sink.error->message);
      g_clear_error (&sink.error);
      return FALSE;
    }
  return TRUE;
}
