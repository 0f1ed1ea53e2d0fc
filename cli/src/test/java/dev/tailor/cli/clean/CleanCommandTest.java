package dev.tailor.cli.clean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    @Test
    void printConfigShowsTheSettingsGroupedByComponentForAFlatOrNestedConfig(@TempDir Path dir) throws Exception {
        Path flat = dir.resolve("flat.json");
        Files.writeString(flat, "{\"trainRatio\": 0.9, \"validationRatio\": 0.05, \"testRatio\": 0.05, \"languages\": [\"en\"]}");
        Path nested = dir.resolve("nested.json");
        Files.writeString(nested, "{\"splits\": {\"trainRatio\": 0.9, \"validationRatio\": 0.05, \"testRatio\": 0.05},"
                + " \"language\": {\"languages\": [\"en\"]}}");
        List<String> printed = new java.util.ArrayList<>();
        for (Path cfg : List.of(flat, nested)) {
            StringWriter out = new StringWriter();
            CommandLine cl = new CommandLine(new CleanCommand());
            cl.setOut(new PrintWriter(out));
            assertEquals(0, cl.execute("--print-config", "--config", cfg.toString()));
            printed.add(out.toString());
        }
        assertEquals(printed.get(0), printed.get(1));
        JsonNode json = new ObjectMapper().readTree(printed.get(0));
        assertEquals(0.9, json.at("/splits/trainRatio").asDouble(), printed.get(0));
        assertEquals("en", json.at("/language/languages/0").asText(), printed.get(0));
        assertTrue(json.at("/dedup/nearDuplicates").asBoolean() && !json.has("trainRatio"), printed.get(0));
    }

    /** The project's real sample data (examples/support-faq.jsonl; sources and licences in examples/README.md). */
    private static List<String> sample() throws Exception {
        return Files.readAllLines(Path.of("..", "examples", "support-faq.jsonl"));
    }

    @Test
    void aSecondVersionDiffsAgainstThePreviousOutput(@TempDir Path dir) throws Exception {
        List<String> lines = sample();
        Path v1 = dir.resolve("v1.jsonl");
        Files.write(v1, lines.subList(0, 100));
        Path v2 = dir.resolve("v2.jsonl");
        Files.write(v2, lines);
        CommandLine first = new CommandLine(new CleanCommand());
        first.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, first.execute(v1.toString(), "--out", dir.resolve("out1").toString()));
        StringWriter text = new StringWriter();
        CommandLine second = new CommandLine(new CleanCommand());
        second.setOut(new PrintWriter(text));
        assertEquals(0, second.execute(v2.toString(), "--out", dir.resolve("out2").toString(), "--previous",
                dir.resolve("out1").toString()));
        JsonNode diff = new ObjectMapper().readTree(dir.resolve("out2").resolve("report.json").toFile()).get("diff");
        long kept1 = 0;
        for (String split : List.of("train", "validation", "test")) {
            kept1 += Files.readAllLines(dir.resolve("out1").resolve(split + ".jsonl")).size();
        }
        assertEquals(kept1, diff.get("examplesUnchanged").asLong(), diff.toString());
        assertEquals(0, diff.get("examplesRemoved").asLong(), diff.toString());
        assertTrue(diff.get("examplesAdded").asLong() > 100, diff.toString());
    }

    @Test
    void previousAndOutMustDifferAndInputsAreRequired(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("faq.jsonl");
        Files.write(in, sample().subList(0, 10));
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CleanCommand());
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute(in.toString(), "--out", dir.toString(), "--previous", dir.toString()));
        assertTrue(err.toString().contains("same folder"), err.toString());
        assertEquals(2, cl.execute("--out", dir.resolve("o").toString()));
        assertTrue(err.toString().contains("at least one INPUT"), err.toString());
        StringWriter out = new StringWriter();
        CommandLine print = new CommandLine(new CleanCommand());
        print.setOut(new PrintWriter(out));
        assertEquals(0, print.execute("--print-config"));
        assertTrue(out.toString().contains("\"carryOverSplits\":true"), out.toString());
    }

    /** --profile on the project's real sample data, with the tiny-llama fixture's tokenizer (llm's test resources). */
    @Test
    void profileCountsRecordsDropsLanguagesAndTokensPerSourceAndSaysWhetherTheDataIsEnough(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("support.jsonl");
        Files.write(in, sample());
        Path glossary = dir.resolve("glossary.csv");
        Files.writeString(glossary, "term,explanation,synonyms\nSLA,The time within which support promises to answer.,service level agreement\n");
        Path out = dir.resolve("out");
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new CleanCommand());
        cl.setOut(new PrintWriter(text));
        Path tokenizer = Path.of("..", "llm", "src", "test", "resources", "tiny-llama");
        assertEquals(0, cl.execute(in.toString(), glossary.toString(), "--out", out.toString(), "--profile", "--tokenizer",
                tokenizer.toString(), "--max-seq-length", "512"), text.toString());
        JsonNode p = new ObjectMapper().readTree(out.resolve("profile.json").toFile());
        JsonNode all = p.get("overall");
        assertEquals(260 + 5, all.get("records").asLong(), p.toString());
        assertEquals(1, all.at("/dropRateByRule/exact-duplicate/records").asLong(), "line 131 repeats line 11");
        assertTrue(all.at("/languages/en").asLong() >= 250, all.get("languages").toString());
        assertTrue(all.at("/pii/EMAIL").asLong() >= 1, all.get("pii").toString());
        assertTrue(all.at("/length/meanTokens").asLong() > 0 && all.at("/length/tokenHistogram").size() >= 3, all.get("length").toString());
        double over = all.at("/length/shareOverMaxSeqLength").asDouble();
        assertTrue(over > 0 && over < 1, all.get("length").toString());
        assertEquals(5, p.at("/sources").get(glossary.toString()).get("kept").asLong());
        assertTrue(p.get("sufficiency").get(0).asText().contains("examples"), p.get("sufficiency").toString());
        assertTrue(text.toString().contains("profile:") && text.toString().contains("note: "), text.toString());

        StringWriter err = new StringWriter();
        CommandLine bad = new CommandLine(new CleanCommand());
        bad.setErr(new PrintWriter(err));
        assertEquals(2, bad.execute(in.toString(), "--out", dir.resolve("o2").toString(), "--profile", "--tokenizer", dir.toString()));
        assertTrue(err.toString().contains("holds no tokenizer.json"), err.toString());
    }

    /**
     * --profile --base-model counts tokens as training renders the examples (tiny-llama: its chat template writes
     * {@code <s>role\ncontent</s>\n} per message and its tokenizer has one token a UTF-8 byte, worked out here from the
     * splits), and --use-case estimates relevance; on the real sample data, printed as tables and as JSON.
     */
    @Test
    void profileWithTheBaseModelAndAUseCasePrintsTablesAndJson(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("support.jsonl");
        Files.write(in, sample());
        Path out = dir.resolve("out");
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new CleanCommand());
        cl.setOut(new PrintWriter(text));
        Path model = Path.of("..", "llm", "src", "test", "resources", "tiny-llama");
        assertEquals(0, cl.execute(in.toString(), "--out", out.toString(), "--profile", "--base-model", model.toString(),
                "--max-seq-length", "512", "--use-case", "questions about the SQLite database engine"), text.toString());
        System.out.println(text);
        JsonNode p = new ObjectMapper().readTree(out.resolve("profile.json").toFile());
        assertEquals("tiny-llama (its tokenizer and chat template)", p.get("tokenizerName").asText());
        int max = 0;
        long over = 0;
        for (String split : List.of("train.jsonl", "validation.jsonl", "test.jsonl")) {
            for (String line : Files.readAllLines(out.resolve(split))) {
                int n = 0;
                for (JsonNode m : new ObjectMapper().readTree(line).get("messages")) {
                    n += 3 + (m.get("role").asText() + "\n" + m.get("content").asText()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                }
                max = Math.max(max, n);
                over += n > 512 ? 1 : 0;
            }
        }
        assertEquals(max, p.at("/overall/length/maxTokens").asInt());
        assertEquals(over, p.at("/overall/length/overMaxSeqLength").asLong());
        assertTrue(p.at("/overall/relevance/shareBelowThreshold").asDouble() > 0.5, p.at("/overall/relevance").toString());
        assertTrue(text.toString().contains("MEDIAN") && text.toString().contains("OFF-TOPIC")
                && text.toString().contains("look unrelated to the use case"), text.toString());

        StringWriter json = new StringWriter();
        CommandLine j = new CommandLine(new CleanCommand());
        j.setOut(new PrintWriter(json));
        assertEquals(0, j.execute(in.toString(), "--out", dir.resolve("o3").toString(), "--profile", "--json"));
        JsonNode printed = new ObjectMapper().readTree(json.toString());
        assertEquals("characters", printed.get("lengthUnit").asText());
        assertTrue(printed.get("tokenizerNote").asText().contains("no --base-model"), printed.toString());

        StringWriter err = new StringWriter();
        CommandLine bad = new CommandLine(new CleanCommand());
        bad.setErr(new PrintWriter(err));
        assertEquals(2, bad.execute(in.toString(), "--out", dir.resolve("o4").toString(), "--profile", "--base-model", dir.toString()));
        assertTrue(err.toString().contains("holds no tokenizer.json and config.json"), err.toString());
    }
}
