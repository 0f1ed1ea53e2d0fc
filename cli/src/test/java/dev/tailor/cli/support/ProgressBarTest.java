package dev.tailor.cli.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void barFillsInProportionAndClamps() {
        assertEquals("[..........]", ProgressBar.bar(0, 10, 10));
        assertEquals("[#####.....]", ProgressBar.bar(5, 10, 10));
        assertEquals("[##########]", ProgressBar.bar(12, 10, 10));
        assertEquals("[....]", ProgressBar.bar(3, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> ProgressBar.bar(1, 2, 0));
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("0:07", ProgressBar.duration(Duration.ofSeconds(7)));
        assertEquals("3:05", ProgressBar.duration(Duration.ofSeconds(185)));
        assertEquals("1:02:03", ProgressBar.duration(Duration.ofSeconds(3723)));
        assertEquals("?", ProgressBar.duration(Duration.ofSeconds(-1)));
        assertEquals("0:42", ProgressBar.seconds(42.4));
        assertEquals("?", ProgressBar.seconds(Double.NaN));
        assertEquals("?", ProgressBar.seconds(null));
    }

    @Test
    void sizesAndCounts() {
        assertEquals("812 B", ProgressBar.bytes(812));
        assertEquals("1.5 KB", ProgressBar.bytes(1536));
        assertEquals("3.0 MB", ProgressBar.bytes(3L * 1024 * 1024));
        assertEquals("12,345", ProgressBar.count(12345));
    }
}
