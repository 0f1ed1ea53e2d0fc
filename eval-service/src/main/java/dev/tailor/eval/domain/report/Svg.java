package dev.tailor.eval.domain.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's charts as inline SVG, drawn on the server (no script, no external resource): a line chart of the
 * training and validation loss, a forest plot of metric gains with their intervals, and grouped bars per slice.
 */
final class Svg {
    static final String BASE_COLOR = "#8a8f98";
    static final String TUNED_COLOR = "#2f6fdf";
    static final String VALIDATION_COLOR = "#d9822b";
    private static final int WIDTH = 640;

    private Svg() {
    }

    /** One series of a line chart: (x, y) points in data units. */
    record Series(String name, String color, List<double[]> points) {
    }

    /** A line chart of several series sharing axes; empty when no series has two points. */
    static String lines(String title, String xLabel, String yLabel, List<Series> series) {
        List<Series> drawn = series.stream().filter(s -> s.points().size() >= 1).toList();
        if (drawn.isEmpty()) {
            return "";
        }
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (Series s : drawn) {
            for (double[] p : s.points()) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
            }
        }
        if (x1 == x0) {
            x1 = x0 + 1;
        }
        double pad = (y1 - y0) * 0.08 + 1e-9;
        y0 -= pad;
        y1 += pad;
        int h = 260;
        int left = 56;
        int right = WIDTH - 16;
        int top = 28;
        int bottom = h - 40;
        StringBuilder b = open(title, h);
        axes(b, left, right, top, bottom, x0, x1, y0, y1, xLabel, yLabel);
        int legend = left + 8;
        for (Series s : drawn) {
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points()) {
                path.append(path.length() == 0 ? "M" : " L").append(f(map(p[0], x0, x1, left, right))).append(',')
                        .append(f(map(p[1], y0, y1, bottom, top)));
            }
            b.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(s.color())
                    .append("\" stroke-width=\"2\"/>\n");
            for (double[] p : s.points()) {
                b.append("<circle cx=\"").append(f(map(p[0], x0, x1, left, right))).append("\" cy=\"")
                        .append(f(map(p[1], y0, y1, bottom, top))).append("\" r=\"2.5\" fill=\"").append(s.color())
                        .append("\"><title>").append(HtmlText.esc(s.name())).append(": step ")
                        .append(num(p[0])).append(", ").append(num(p[1])).append("</title></circle>\n");
            }
            b.append("<rect x=\"").append(legend).append("\" y=\"").append(top - 18)
                    .append("\" width=\"12\" height=\"4\" fill=\"").append(s.color()).append("\"/>")
                    .append("<text x=\"").append(legend + 16).append("\" y=\"").append(top - 12).append("\">")
                    .append(HtmlText.esc(s.name())).append("</text>\n");
            legend += 24 + 7 * s.name().length();
        }
        return b.append("</svg>\n").toString();
    }

    /** A row of a forest plot: a mean with its interval. */
    record Interval(String label, double mean, double lower, double upper, boolean passes) {
    }

    /** Gains with interval bars around a zero line, one row each; the rows share the axis. */
    static String forest(String title, List<Interval> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        double lo = 0;
        double hi = 0;
        for (Interval r : rows) {
            lo = Math.min(lo, r.lower());
            hi = Math.max(hi, r.upper());
        }
        double pad = (hi - lo) * 0.1 + 1e-6;
        lo -= pad;
        hi += pad;
        int rowH = 26;
        int top = 24;
        int h = top + rowH * rows.size() + 34;
        int left = 170;
        int right = WIDTH - 20;
        StringBuilder b = open(title, h);
        double zero = map(0, lo, hi, left, right);
        b.append("<line x1=\"").append(f(zero)).append("\" y1=\"").append(top - 6).append("\" x2=\"").append(f(zero))
                .append("\" y2=\"").append(top + rowH * rows.size()).append("\" stroke=\"#444\" stroke-dasharray=\"3,3\"/>\n");
        for (int i = 0; i < rows.size(); i++) {
            Interval r = rows.get(i);
            double y = top + rowH * i + rowH / 2.0;
            String color = r.passes() ? "#1a7f37" : r.upper() < 0 ? "#c62828" : TUNED_COLOR;
            b.append("<text x=\"").append(left - 8).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\">").append(HtmlText.esc(r.label())).append("</text>\n");
            b.append("<line x1=\"").append(f(map(r.lower(), lo, hi, left, right))).append("\" y1=\"").append(f(y))
                    .append("\" x2=\"").append(f(map(r.upper(), lo, hi, left, right))).append("\" y2=\"").append(f(y))
                    .append("\" stroke=\"").append(color).append("\" stroke-width=\"3\"/>\n");
            b.append("<circle cx=\"").append(f(map(r.mean(), lo, hi, left, right))).append("\" cy=\"").append(f(y))
                    .append("\" r=\"5\" fill=\"").append(color).append("\"><title>").append(HtmlText.esc(r.label()))
                    .append(": ").append(num(r.mean())).append(" [").append(num(r.lower())).append(", ")
                    .append(num(r.upper())).append("]</title></circle>\n");
        }
        int axisY = top + rowH * rows.size() + 6;
        for (double t : ticks(lo, hi)) {
            double x = map(t, lo, hi, left, right);
            b.append("<text x=\"").append(f(x)).append("\" y=\"").append(axisY + 14)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(num(t)).append("</text>\n");
        }
        b.append("<text x=\"").append((left + right) / 2).append("\" y=\"").append(h - 4)
                .append("\" text-anchor=\"middle\">gain (tuned − baseline; right = tuned better)</text>\n");
        return b.append("</svg>\n").toString();
    }

    /** A group of bars: one label with a baseline and a tuned value. */
    record Pair(String label, double base, double tuned) {
    }

    /** Horizontal grouped bars, baseline and tuned per label. */
    static String bars(String title, String unit, List<Pair> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        double hi = 0;
        double lo = 0;
        for (Pair p : rows) {
            hi = Math.max(hi, Math.max(p.base(), p.tuned()));
            lo = Math.min(lo, Math.min(p.base(), p.tuned()));
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        int rowH = 30;
        int top = 28;
        int left = 210;
        int right = WIDTH - 60;
        int h = top + rowH * rows.size() + 20;
        StringBuilder b = open(title, h);
        b.append("<rect x=\"").append(left).append("\" y=\"8\" width=\"12\" height=\"8\" fill=\"").append(BASE_COLOR)
                .append("\"/><text x=\"").append(left + 16).append("\" y=\"16\">baseline</text><rect x=\"")
                .append(left + 90).append("\" y=\"8\" width=\"12\" height=\"8\" fill=\"").append(TUNED_COLOR)
                .append("\"/><text x=\"").append(left + 106).append("\" y=\"16\">tuned (").append(HtmlText.esc(unit))
                .append(")</text>\n");
        double zero = map(0, lo, hi, left, right);
        for (int i = 0; i < rows.size(); i++) {
            Pair p = rows.get(i);
            double y = top + rowH * i;
            b.append("<text x=\"").append(left - 8).append("\" y=\"").append(f(y + 18))
                    .append("\" text-anchor=\"end\">").append(HtmlText.esc(shorten(p.label(), 30))).append("</text>\n");
            bar(b, zero, map(p.base(), lo, hi, left, right), y + 3, BASE_COLOR, p.label() + " baseline", p.base());
            bar(b, zero, map(p.tuned(), lo, hi, left, right), y + 14, TUNED_COLOR, p.label() + " tuned", p.tuned());
        }
        return b.append("</svg>\n").toString();
    }

    private static void bar(StringBuilder b, double zero, double end, double y, String color, String what, double v) {
        double x = Math.min(zero, end);
        double w = Math.max(1, Math.abs(end - zero));
        b.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w))
                .append("\" height=\"10\" fill=\"").append(color).append("\"><title>").append(HtmlText.esc(what))
                .append(": ").append(num(v)).append("</title></rect><text x=\"").append(f(Math.max(zero, end) + 4))
                .append("\" y=\"").append(f(y + 9)).append("\" class=\"tick\">").append(num(v)).append("</text>\n");
    }

    private static StringBuilder open(String title, int h) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(h)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(h).append("\" role=\"img\">")
                .append("<title>").append(HtmlText.esc(title)).append("</title>\n");
        return b;
    }

    private static void axes(StringBuilder b, int left, int right, int top, int bottom, double x0, double x1,
                             double y0, double y1, String xLabel, String yLabel) {
        b.append("<line x1=\"").append(left).append("\" y1=\"").append(bottom).append("\" x2=\"").append(right)
                .append("\" y2=\"").append(bottom).append("\" stroke=\"#444\"/>")
                .append("<line x1=\"").append(left).append("\" y1=\"").append(top).append("\" x2=\"").append(left)
                .append("\" y2=\"").append(bottom).append("\" stroke=\"#444\"/>\n");
        for (double t : ticks(x0, x1)) {
            b.append("<text x=\"").append(f(map(t, x0, x1, left, right))).append("\" y=\"").append(bottom + 14)
                    .append("\" text-anchor=\"middle\" class=\"tick\">").append(num(t)).append("</text>\n");
        }
        for (double t : ticks(y0, y1)) {
            double y = map(t, y0, y1, bottom, top);
            b.append("<text x=\"").append(left - 4).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\" class=\"tick\">").append(num(t)).append("</text>")
                    .append("<line x1=\"").append(left).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(right)
                    .append("\" y2=\"").append(f(y)).append("\" stroke=\"#eee\"/>\n");
        }
        b.append("<text x=\"").append((left + right) / 2).append("\" y=\"").append(bottom + 32)
                .append("\" text-anchor=\"middle\">").append(HtmlText.esc(xLabel)).append("</text>")
                .append("<text x=\"12\" y=\"").append((top + bottom) / 2).append("\" transform=\"rotate(-90 12 ")
                .append((top + bottom) / 2).append(")\" text-anchor=\"middle\">").append(HtmlText.esc(yLabel))
                .append("</text>\n");
    }

    /** About five round tick values in [lo, hi]. */
    static List<Double> ticks(double lo, double hi) {
        double span = hi - lo;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 6) {
                step *= m;
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-12 && out.size() < 12; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    private static double map(double v, double d0, double d1, double r0, double r1) {
        return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String num(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a != 0 && (a < 0.01 || a >= 1000) ? "%.2g" : "%.3f", v)
                .replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
