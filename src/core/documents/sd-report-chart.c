/* sd-report-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-report"

#include "config.h"

#include <pango/pangocairo.h>

#include "sd-report-chart.h"
#include "sd-report-private.h"

#define MARGIN_LEFT   48.0
#define MARGIN_RIGHT  12.0
#define MARGIN_TOP    44.0
#define MARGIN_BOTTOM 40.0

typedef enum {
  ALIGN_START,
  ALIGN_CENTER,
  ALIGN_END,
} Align;

/* Draws @text with its top at @y, aligned around @x. */
static void
draw_label (cairo_t    *cr,
            const char *text,
            double      x,
            double      y,
            Align       align,
            gboolean    bold)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (bold ? "Sans Bold 9" : "Sans 9");
  int w, h;

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  if (align == ALIGN_CENTER)
    x -= w / 2.0;
  else if (align == ALIGN_END)
    x -= w;
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

/* Background, title, the y axis with gridlines at each fifth of @max and
 * their labels (@unit appended). Returns the plot area. */
static void
draw_frame (cairo_t          *cr,
            int               width,
            int               height,
            const char       *title,
            double            max,
            const char       *unit,
            cairo_rectangle_t *plot)
{
  plot->x = MARGIN_LEFT;
  plot->y = MARGIN_TOP;
  plot->width = MAX (width - MARGIN_LEFT - MARGIN_RIGHT, 1);
  plot->height = MAX (height - MARGIN_TOP - MARGIN_BOTTOM, 1);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  draw_label (cr, title, width / 2.0, 4, ALIGN_CENTER, TRUE);

  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= 5; i++)
    {
      double y = plot->y + plot->height - plot->height * i / 5.0;
      g_autofree char *label = g_strdup_printf ("%g%s", max * i / 5.0, unit);

      cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
      cairo_move_to (cr, plot->x, (int) y + 0.5);
      cairo_line_to (cr, plot->x + plot->width, (int) y + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      draw_label (cr, label, plot->x - 4, y - 7, ALIGN_END, FALSE);
    }
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_move_to (cr, plot->x + 0.5, plot->y);
  cairo_line_to (cr, plot->x + 0.5, plot->y + plot->height);
  cairo_line_to (cr, plot->x + plot->width, plot->y + plot->height);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
sd_report_draw_compliance_chart (cairo_t                 *cr,
                                 int                      width,
                                 int                      height,
                                 const SdQuarterlyReport *report)
{
  SdReportLanguage l;
  cairo_rectangle_t plot;
  double slot;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (report != NULL);

  l = report->language;
  draw_frame (cr, width, height, SD_LANG (l, "Response SLA compliance per month", "每月响应时间 SLA 达成率"),
              100, "%", &plot);
  slot = plot.width / 3.0;

  for (guint m = 0; m < 3; m++)
    {
      const SdComplianceCount *c = &report->monthly[m];
      double cx = plot.x + slot * (m + 0.5);
      g_autofree char *month = g_strdup_printf (SD_LANG (l, "%d-%02d", "%d 年 %d 月"), report->year,
                                                sd_quarterly_report_get_month (report, m));
      g_autofree char *value = NULL;

      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      draw_label (cr, month, cx, plot.y + plot.height + 4, ALIGN_CENTER, FALSE);
      if (c->percent < 0)
        {
          draw_label (cr, "–", cx, plot.y + plot.height - 18, ALIGN_CENTER, FALSE);
          continue;
        }

      {
        double h = plot.height * c->percent / 100.0;
        double w = slot * 0.5;

        if (c->percent >= 95)
          cairo_set_source_rgb (cr, 0.18, 0.55, 0.34);
        else if (c->percent >= 80)
          cairo_set_source_rgb (cr, 0.90, 0.60, 0.10);
        else
          cairo_set_source_rgb (cr, 0.75, 0.15, 0.15);
        cairo_rectangle (cr, cx - w / 2, plot.y + plot.height - h, w, h);
        cairo_fill (cr);
      }
      value = g_strdup_printf ("%.0f%% (%u/%u)", c->percent, c->met, c->met + c->missed);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      draw_label (cr, value, cx, plot.y + plot.height - plot.height * c->percent / 100.0 - 16,
                  ALIGN_CENTER, FALSE);
    }
  {
    g_autofree char *legend = g_strdup (SD_LANG (l, "Cases met / decided", "达成数 / 已定案例数"));

    cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
    draw_label (cr, legend, plot.x + plot.width, height - 18, ALIGN_END, FALSE);
  }
}

/* A round maximum for the y axis: 5, 10, 20, 25, 50, 100 … ≥ @value. */
static double
nice_max (guint value)
{
  static const double steps[] = { 1, 2, 2.5, 5 };
  double scale = 1;

  if (value <= 5)
    return 5;
  for (;;)
    {
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        if (steps[i] * scale * 5 >= value)
          return steps[i] * scale * 5;
      scale *= 10;
    }
}

void
sd_report_draw_severity_chart (cairo_t                 *cr,
                               int                      width,
                               int                      height,
                               const SdQuarterlyReport *report)
{
  SdReportLanguage l;
  cairo_rectangle_t plot;
  guint opened[SD_SEVERITY_MAX], resolved[SD_SEVERITY_MAX], top = 0;
  double max, slot;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (report != NULL);

  l = report->language;
  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    {
      opened[s - 1] = sd_quarterly_report_count_opened (report, s);
      resolved[s - 1] = sd_quarterly_report_count_resolved (report, s);
      top = MAX (top, MAX (opened[s - 1], resolved[s - 1]));
    }
  max = nice_max (top);
  draw_frame (cr, width, height, SD_LANG (l, "Cases per severity", "各严重级别的案例数"), max, "", &plot);
  slot = plot.width / SD_SEVERITY_MAX;

  for (int s = 1; s <= SD_SEVERITY_MAX; s++)
    {
      double cx = plot.x + slot * (s - 0.5);
      double w = slot * 0.3;
      guint values[2] = { opened[s - 1], resolved[s - 1] };

      for (guint k = 0; k < 2; k++)
        {
          double h = plot.height * values[k] / max;
          double x = k == 0 ? cx - w - 1 : cx + 1;
          g_autofree char *count = g_strdup_printf ("%u", values[k]);

          if (k == 0)
            cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
          else
            cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_rectangle (cr, x, plot.y + plot.height - h, w, h);
          cairo_fill (cr);
          cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
          draw_label (cr, count, x + w / 2, plot.y + plot.height - h - 16, ALIGN_CENTER, FALSE);
        }
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      draw_label (cr, _sd_report_severity_name (l, s), cx, plot.y + plot.height + 4, ALIGN_CENTER, FALSE);
    }

  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  cairo_rectangle (cr, plot.x, height - 14, 10, 10);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  draw_label (cr, SD_LANG (l, "Opened", "新开"), plot.x + 14, height - 17, ALIGN_START, FALSE);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_rectangle (cr, plot.x + 90, height - 14, 10, 10);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  draw_label (cr, SD_LANG (l, "Resolved", "已解决"), plot.x + 104, height - 17, ALIGN_START, FALSE);
}
