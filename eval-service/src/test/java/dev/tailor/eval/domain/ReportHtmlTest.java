package dev.tailor.eval.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportHtmlTest {

    @Test
    void rendersNumbersAndEscapesText() {
        EvalReport r = new EvalReport("ft-1", "job-1", "ds", "v1", "tiny", "s3://b/m/", "s3://b/t.jsonl", 3, 2.5, 2.0,
                Math.exp(2.5), Math.exp(2.0), 0.2, 0.02, "PROMOTE", "improves", List.of(
                new EvalReport.Sample("<script>alert(1)</script>", "a & b", "x", "y")), Instant.EPOCH, 1.5);
        String html = ReportHtml.render(r);
        assertTrue(html.contains("2.5000") && html.contains("2.0000"), html);
        assertTrue(html.contains("&lt;script&gt;") && html.contains("a &amp; b"), html);
        assertFalse(html.contains("<script>"), html);
    }
}
