package dev.tailor.cli.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalTest {

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void interactiveLiveLinesAreRedrawnInPlaceAndCutToTheWidth() {
        Terminal t = new Terminal(out, true, 20);
        t.live("short");
        t.live("x".repeat(30));
        t.line("done");
        assertEquals("\r\u001b[2Kshort" + "\r\u001b[2K" + "x".repeat(18) + "…" + "\r\u001b[2Kdone" + System.lineSeparator(),
                printed());
    }

    @Test
    void plainOutputPrintsFinishedLinesAndHoldsBackLiveUpdates() {
        Terminal t = new Terminal(out, false, 20);
        t.line("stage one ✓");
        t.live("stage two 1/10");
        t.live("stage two 2/10");
        assertEquals("stage one ✓" + System.lineSeparator(), printed(), "live updates right after a line are held back");
        assertEquals("plain", t.bold("plain"));
    }
}
