package dev.tailor.eval.domain.slices;

import dev.tailor.eval.domain.metrics.Metric;
import dev.tailor.eval.domain.metrics.MetricValues;
import java.util.List;
import java.util.Map;

/**
 * Ten example results with hand-set ROUGE-L and exact-match values. References are answers from the SQLite FAQ
 * (public domain, as in examples/support-faq.jsonl) and short support replies; the values are chosen so that the
 * means per slice can be checked by hand.
 */
final class SliceFixtures {
    private SliceFixtures() {
    }

    static ExampleResult result(String id, SourceKind kind, String file, int turns, String reference,
                                double baseRouge, double tunedRouge, double baseEm, double tunedEm,
                                Map<String, String> metadata) {
        return new ExampleResult(id, kind, file, turns, reference, "base answer " + id, "tuned answer " + id,
                values(baseRouge, baseEm), values(tunedRouge, tunedEm), metadata);
    }

    static MetricValues values(double rouge, double em) {
        return new MetricValues(Map.of(Metric.ROUGE_L, rouge, Metric.EXACT_MATCH, em));
    }

    static final String LONG = "If you declare a column of a table to be INTEGER PRIMARY KEY, then whenever you "
            + "insert a NULL into that column of the table, the NULL is automatically converted into an integer "
            + "which is one greater than the largest value of that column over all other rows in the table.";

    static List<ExampleResult> results() {
        Map<String, String> sqlite = Map.of("product", "sqlite");
        Map<String, String> rpm = Map.of("product", "rpm");
        return List.of(
                result("faq-1", SourceKind.FAQ, "faq.html", 1, LONG, 0.20, 0.60, 0, 0, sqlite),
                result("faq-2", SourceKind.FAQ, "faq.html", 1, "Use INTEGER PRIMARY KEY.", 0.30, 0.70, 0, 1, sqlite),
                result("faq-3", SourceKind.FAQ, "faq.html", 1, "SQLite is in the public domain.", 0.10, 0.50, 0, 0,
                        sqlite),
                result("faq-4", SourceKind.FAQ, "faq.html", 2, "Yes, with the ALTER TABLE command.", 0.40, 0.80, 0, 1,
                        sqlite),
                result("mail-1", SourceKind.EMAIL, "freshrpms.mbox", 1, "Rebuild the package with rpmbuild "
                        + "--rebuild.", 0.20, 0.30, 0, 0, rpm),
                result("mail-2", SourceKind.EMAIL, "freshrpms.mbox", 3, "Try apt-get update first, then install "
                        + "it again.", 0.25, 0.35, 0, 0, rpm),
                result("mail-3", SourceKind.EMAIL, "ilug.mbox", 5, "The driver from nVidia's site works, but you "
                        + "have to run Sax2 again afterwards and pick the card by hand.", 0.15, 0.10, 0, 0, Map.of()),
                result("tkt-1", SourceKind.TICKET, "tickets.jsonl", 2, "Update the VPN client to 5.2.", 0.30, 0.10, 0,
                        0, Map.of("product", "vpn")),
                result("tkt-2", SourceKind.TICKET, "tickets.jsonl", 1, "Reset the password under Settings.", 0.20,
                        0.05, 0, 0, Map.of("product", "vpn")),
                result("doc-1", SourceKind.DOCUMENT, null, 1, "", 0.00, 0.02, 0, 0, Map.of()));
    }
}
