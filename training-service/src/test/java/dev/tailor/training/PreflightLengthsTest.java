package dev.tailor.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.testkit.TailorInfraResource;
import dev.tailor.training.service.JobPlanner;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Preflight warns with the numbers when train examples will be cut at maxSeqLength, counted with the job's base model
 * (tiny-llama: byte-level without merges, so an example of the real sample data examples/support-faq.jsonl costs 3
 * tokens a message plus the UTF-8 bytes of "role\ncontent", worked out here independently), from the version's
 * profile when it was counted with that model, and when the train split is small. The planner runs against real S3.
 */
@QuarkusTest
@QuarkusTestResource(TailorInfraResource.class)
class PreflightLengthsTest {
    private static final String BASE = "tiny-llama";
    private static final TrainingParams PARAMS = TrainingParams.defaults().toBuilder().maxSeqLength(128).build();
    private static final ObjectLayout LAYOUT = new ObjectLayout("pre-" + UUID.randomUUID().toString().substring(0, 8));
    private static ObjectStore store;
    private static List<String> lines;

    @Inject
    JobPlanner planner;
    // tiny-llama's context is 128 positions: a longer maxSeqLength is lowered to it (JobPlanner.fitContext)

    @BeforeAll
    static void upload() throws Exception {
        store = TailorInfraResource.objectStore();
        store.ensureBucket();
        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            store.putBytes(LAYOUT.baseModel(BASE) + file, Files.readAllBytes(Path.of("src/test/resources/tiny-llama", file)),
                    "application/json");
        }
        lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("..", "examples", "support-faq.jsonl"))) {
            try {
                if (Json.read(line, JsonNode.class).has("messages")) {
                    lines.add(line);
                }
            } catch (RuntimeException malformed) {
                // the sample keeps a few defects on purpose (examples/README.md)
            }
        }
    }

    private static void split(String dataset, List<String> train) {
        store.putString(LAYOUT.split(dataset, "v1", "train"), String.join("\n", train) + "\n", "application/x-ndjson");
    }

    private List<String> warnings(String dataset) {
        return planner.plan(LAYOUT, null, dataset, "v1", BASE, PARAMS).preflight().warnings();
    }

    @Test
    void truncationIsCountedWithTheBaseModelInPreflight() {
        split("faq", lines);
        int[] tokens = lines.stream().mapToInt(PreflightLengthsTest::tinyLlamaTokens).sorted().toArray();
        long over = java.util.Arrays.stream(tokens).filter(n -> n > 128).count();
        String expected = String.format(Locale.ROOT, "%,d of %,d train examples (%.0f %%) exceed maxSeqLength 128 tokens; "
                + "median %,d, p95 %,d, longest %,d (tokens of tiny-llama, counted in preflight); raise maxSeqLength or "
                + "split long answers", over, tokens.length, 100.0 * over / tokens.length, tokens[(int) Math.ceil(tokens.length * 0.5) - 1],
                tokens[(int) Math.ceil(tokens.length * 0.95) - 1], tokens[tokens.length - 1]);
        List<String> warnings = warnings("faq");
        System.out.println("preflight warnings, support-faq, maxSeqLength 128: " + warnings);
        assertTrue(warnings.contains(expected), expected + " in " + warnings);
        assertTrue(warnings.stream().noneMatch(w -> w.contains("fewer than 100")), warnings.toString());
    }

    @Test
    void theProfileOfTheVersionGivesTheWholeSplitWhenItCountedWithTheSameModel() {
        split("profiled", lines);
        store.putJson(LAYOUT.profile("profiled", "v1"), profile("tiny-llama (its tokenizer and chat template)", 128));
        List<String> warnings = warnings("profiled");
        System.out.println("preflight warnings with the profile's figures: " + warnings);
        assertTrue(warnings.contains("412 of 650 train examples (63 %) exceed maxSeqLength 128 tokens; median 410, p95 1,020,"
                + " longest 1,500 (tokens of tiny-llama, from the dataset's profile); raise maxSeqLength or split long"
                + " answers"), warnings.toString());
        // counted with another tokenizer, or at another maxSeqLength: preflight counts with the job's model itself
        store.putJson(LAYOUT.profile("profiled", "v1"), profile("other-model (its tokenizer and chat template)", 128));
        assertTrue(warnings("profiled").stream().anyMatch(w -> w.contains("of " + lines.size() + " train examples")
                && w.endsWith("(tokens of tiny-llama, counted in preflight); raise maxSeqLength or split long answers")),
                warnings("profiled").toString());
        store.putJson(LAYOUT.profile("profiled", "v1"), profile("tiny-llama (its tokenizer and chat template)", 64));
        assertTrue(warnings("profiled").stream().anyMatch(w -> w.contains("counted in preflight")), warnings("profiled").toString());
    }

    @Test
    void aSmallTrainSplitIsAWarningWithItsNumbers() {
        split("small", lines.subList(0, 40));
        List<String> warnings = warnings("small");
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("the train split has only 40 examples, fewer than 100")),
                warnings.toString());
    }

    /** A profile.json as cleaning writes it (DatasetProfile#toMap), with the figures of the example. */
    private static Map<String, Object> profile(String tokenizer, int maxSeqLength) {
        return Map.of("tokenizer", true, "lengthUnit", "tokens", "tokenizerName", tokenizer,
                "overall", Map.of("length", Map.of("maxSeqLength", maxSeqLength, "train", Map.of("examples", 650,
                        "overMaxSeqLength", 412, "medianTokens", 410, "p95Tokens", 1020, "maxTokens", 1500))));
    }

    /** tiny-llama's chat template writes {@code <s>role\ncontent</s>\n} per message; one token a byte. */
    static int tinyLlamaTokens(String line) {
        int n = 0;
        for (JsonNode m : Json.read(line, JsonNode.class).get("messages")) {
            n += 3 + (m.get("role").asText() + "\n" + m.get("content").asText()).getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }
}
