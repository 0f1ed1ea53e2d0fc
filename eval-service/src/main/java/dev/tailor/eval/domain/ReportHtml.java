package dev.tailor.eval.domain;

import java.util.Locale;

/** {@code evals/{modelId}/report.html}: the report for people, a single self-contained page. */
public final class ReportHtml {

    private ReportHtml() {
    }

    public static String render(EvalReport r) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evaluation of ")
                .append(esc(r.modelId())).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
                        + "vertical-align:top;text-align:left}pre{white-space:pre-wrap;margin:0}"
                        + ".PROMOTE{color:#070}.REJECT{color:#a00}</style></head><body>\n");
        b.append("<h1>").append(esc(r.modelId())).append(" <span class=\"").append(esc(r.verdict())).append("\">")
                .append(esc(r.verdict())).append("</span></h1>\n<p>").append(esc(r.reason())).append("</p>\n");
        b.append("<table><tr><th></th><th>base (").append(esc(r.baseModel())).append(")</th><th>tuned</th></tr>\n");
        row(b, "mean answer-token loss", r.baseLoss(), r.tunedLoss());
        row(b, "perplexity", r.basePerplexity(), r.tunedPerplexity());
        b.append("</table>\n<p>").append(r.examples()).append(" test examples from <code>").append(esc(r.testSplit()))
                .append("</code>; dataset ").append(esc(r.datasetId())).append(" version ")
                .append(esc(r.datasetVersion())).append("; adapter <code>").append(esc(r.adapter()))
                .append("</code>; evaluated ").append(esc(String.valueOf(r.evaluatedAt()))).append(" in ")
                .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append(" s.</p>\n");
        if (!r.samples().isEmpty()) {
            b.append("<h2>Samples (greedy)</h2>\n<table><tr><th>prompt</th><th>reference</th><th>base</th>"
                    + "<th>tuned</th></tr>\n");
            for (EvalReport.Sample s : r.samples()) {
                b.append("<tr>");
                for (String cell : new String[] {s.prompt(), s.reference(), s.base(), s.tuned()}) {
                    b.append("<td><pre>").append(esc(cell)).append("</pre></td>");
                }
                b.append("</tr>\n");
            }
            b.append("</table>\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static void row(StringBuilder b, String name, double base, double tuned) {
        b.append("<tr><th>").append(name).append("</th><td>").append(String.format(Locale.ROOT, "%.4f", base))
                .append("</td><td>").append(String.format(Locale.ROOT, "%.4f", tuned)).append("</td></tr>\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
