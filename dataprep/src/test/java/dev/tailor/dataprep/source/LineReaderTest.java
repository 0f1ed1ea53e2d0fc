package dev.tailor.dataprep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.text.TextNormalizer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    @Test
    void linesOffsetsCrlfBomAndOverlongLines() {
        String s = "\uFEFFfirst\r\nsecond\n" + "x".repeat(2000) + "\nlast";
        LineReader r = new LineReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "f", 1024);
        RawRecord a = r.next();
        assertEquals("first", a.text());
        assertEquals(0, a.offset());
        RawRecord b = r.next();
        assertEquals("second", b.text());
        assertEquals(2, b.line());
        assertEquals(3 + 7, b.offset());
        RawRecord c = r.next();
        assertTrue(c.tooLong());
        assertNull(c.text());
        RawRecord d = r.next();
        assertEquals("last", d.text());
        assertEquals(4, d.line());
        assertFalse(r.hasNext());
    }

    @Test
    void crOnlyAndCrlfSplitAcrossTheBufferEndEveryLine() {
        String first = "y".repeat(64 * 1024 - 1); // its CR is the buffer's last byte, the LF the next read's first
        String s = first + "\r\nsecond\rthird\r\rfifth\r";
        LineReader r = new LineReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "f", 128 * 1024);
        assertEquals(first, r.next().text());
        RawRecord second = r.next();
        assertEquals("second", second.text());
        assertEquals(first.length() + 2, second.offset());
        assertEquals("third", r.next().text());
        assertEquals("", r.next().text(), "CR CR: an empty line between");
        RawRecord fifth = r.next();
        assertEquals("fifth", fifth.text());
        assertEquals(5, fifth.line());
        assertFalse(r.hasNext());
    }

    @Test
    void normalizerCollapsesWhitespaceAndInvisibles() {
        assertEquals("a b\n\nc", TextNormalizer.normalize("  a\u00A0\u00A0b \r\n\r\n\r\n\u200Bc\t "));
    }
}
