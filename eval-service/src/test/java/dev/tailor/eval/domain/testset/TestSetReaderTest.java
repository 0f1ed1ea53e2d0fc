package dev.tailor.eval.domain.testset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tailor.eval.domain.slices.SourceKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestSetReaderTest {

    private static List<TestCase> read(String jsonl) throws Exception {
        return TestSetReader.read(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), "s3://b/t.jsonl",
                100);
    }

    @Test
    void cleaningsSourceAndMetadataAndTheLastAssistantTurn() throws Exception {
        List<TestCase> cases = read("""
                {"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Printer jams"},{"role":"assistant","content":"Open tray 2."},{"role":"user","content":"Still jams"},{"role":"assistant","content":"Replace the roller."}],"source":{"file":"tickets.json","line":4,"kind":"ticket"},"metadata":{"product":"P-100","priority":2}}

                {"text":"A manual page."}
                {"prompt":"Q?","completion":"A."}
                """);
        assertEquals(3, cases.size());
        TestCase t = cases.get(0);
        assertEquals("1", t.id());
        assertEquals(SourceKind.TICKET, t.sourceKind());
        assertEquals("tickets.json", t.sourceFile());
        assertEquals("P-100", t.metadata().get("product"));
        assertEquals("2", t.metadata().get("priority"));
        assertEquals("Replace the roller.", t.reference());
        assertEquals("Still jams", t.question());
        assertEquals(2, t.turns());
        assertEquals(4, t.prompt().size());
        TestCase doc = cases.get(1);
        assertEquals("3", doc.id(), "ids are line numbers");
        assertFalse(doc.generative());
        assertEquals("", doc.reference());
        assertEquals(SourceKind.OTHER, doc.sourceKind());
        assertTrue(cases.get(2).generative());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read("{\"x\":1}\n"));
        assertTrue(e.getMessage().startsWith("s3://b/t.jsonl line 1:"), e.getMessage());
    }
}
