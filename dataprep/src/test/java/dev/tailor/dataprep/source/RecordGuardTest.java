package dev.tailor.dataprep.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.SourceRef;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard's contract, on a reader whose second record throws and whose end cannot be read. */
class RecordGuardTest {
    @Test
    void aThrowingRecordIsRejectedWithItsLineAndAThrowingEndStopsTheFileOnly() {
        Iterator<ParseResult> reader = new Iterator<>() {
            private int n;

            @Override
            public boolean hasNext() {
                if (n == 4) {
                    throw new IllegalStateException("stream reset");
                }
                return true;
            }

            @Override
            public ParseResult next() {
                n++;
                if (n == 2) {
                    throw new StackOverflowError();
                }
                String text = n == 3 ? "Caf\uFFFD" : "record " + n;
                return ParseResult.ok(Example.text(text, SourceRef.line("f.txt", n)), false);
            }
        };
        RecordGuard g = new RecordGuard(reader, "f.txt");
        List<ParseResult> all = new java.util.ArrayList<>();
        g.forEachRemaining(all::add);
        assertEquals(5, all.size(), all.toString());
        assertTrue(all.get(0).isOk());
        assertEquals(RecordGuard.PARSE_ERROR, all.get(1).rule());
        assertEquals(2, all.get(1).source().line());
        assertTrue(all.get(1).reason().contains("StackOverflowError"), all.get(1).reason());
        assertEquals(RecordGuard.INVALID_BYTES, all.get(2).rule());
        assertTrue(all.get(3).isOk());
        assertEquals(RecordGuard.SOURCE_ERROR, all.get(4).rule());
        assertTrue(all.get(4).reason().contains("stream reset"));
        assertFalse(g.hasNext());
    }
}
