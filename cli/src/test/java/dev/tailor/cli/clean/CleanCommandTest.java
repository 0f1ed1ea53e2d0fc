package dev.tailor.cli.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CleanCommandTest {
    @Test
    void cleansLocalFilesIntoSplitsAndReport(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("faq.jsonl");
        Files.writeString(in, """
                {"question": "How do I create an AUTOINCREMENT field?", "answer": "A column declared INTEGER PRIMARY KEY will autoincrement."}
                {"question": "What datatypes does SQLite support?", "answer": "SQLite uses dynamic typing."}
                {"broken
                {"question": "Is SQLite threadsafe?", "answer": "Threads are evil. Avoid them."}
                """);
        Path out = dir.resolve("out");
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new CleanCommand());
        cl.setOut(new PrintWriter(text));
        assertEquals(0, cl.execute(in.toString(), "--out", out.toString()));
        for (String f : new String[] {"train.jsonl", "validation.jsonl", "test.jsonl", "report.json"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("report.json")).contains("malformed-json"));
        assertTrue(text.toString().contains("kept 3, dropped 1"), text.toString());
    }

    @Test
    void invalidConfigIsAnErrorNamingTheProblem(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("c.json");
        Files.writeString(cfg, "{\"trainRatio\": 2}");
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CleanCommand());
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute(dir.toString(), "--out", dir.resolve("o").toString(), "--config", cfg.toString()));
        assertTrue(err.toString().contains("ratios"), err.toString());
    }
}
