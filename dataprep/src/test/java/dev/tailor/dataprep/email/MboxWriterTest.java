package dev.tailor.dataprep.email;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.dataprep.FormatsTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What MboxWriter writes, MboxReader splits back into the same messages (real ILUG mails of the test data). */
class MboxWriterTest {
    private static final String[] FILES = {"00013", "00014", "00015", "00016", "00017"};

    @Test
    void realMailsRoundTripThroughAnMbox() throws Exception {
        List<byte[]> mails = new ArrayList<>();
        List<Instant> dates = new ArrayList<>();
        for (String f : FILES) {
            mails.add(FormatsTest.resource("ilug-83/" + f + ".eml"));
            dates.add(Instant.parse("2002-08-13T10:00:00Z"));
        }
        // a body line that starts with "From " and one already quoted, with CRLF endings as IMAP sends them
        String tricky = "Subject: quoting\r\n\r\nFrom here on\r\n>From there\r\nend\r\n";
        mails.add(tricky.getBytes(StandardCharsets.US_ASCII));
        dates.add(Instant.EPOCH);
        byte[] mbox = MboxWriter.of(mails, dates);
        assertArrayEquals(mbox, MboxWriter.of(mails, dates), "the same messages give the same bytes");

        MboxReader reader = new MboxReader(new ByteArrayInputStream(mbox), true, 1 << 24);
        for (int i = 0; i < FILES.length; i++) {
            String expected = new String(mails.get(i), StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
            assertTrue(expected.startsWith("From "), "the corpus' files start with their envelope line");
            expected = expected.substring(expected.indexOf('\n') + 1); // given way to the mbox's own
            assertEquals(expected.replaceAll("\n+$", "\n"),
                    new String(reader.next().bytes(), StandardCharsets.ISO_8859_1).replaceAll("\n+$", "\n"), FILES[i]);
        }
        assertEquals("Subject: quoting\n\nFrom here on\n>From there\nend\n",
                new String(reader.next().bytes(), StandardCharsets.US_ASCII).replaceAll("\n+$", "\n"));
        assertNull(reader.next());
    }
}
