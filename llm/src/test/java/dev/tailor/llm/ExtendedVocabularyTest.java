package dev.tailor.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.common.events.Projection;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.llm.chat.ChatExample;
import dev.tailor.llm.chat.ChatMessage;
import dev.tailor.llm.chat.TextTokenizer;
import dev.tailor.llm.finetune.FineTune;
import dev.tailor.llm.generate.GenerationRequest;
import dev.tailor.llm.generate.GenerationResult;
import dev.tailor.llm.io.SafetensorsReader;
import dev.tailor.llm.io.SafetensorsWriter;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.model.ModelConfig;
import dev.tailor.llm.model.Transformer;
import dev.tailor.llm.train.RunOptions;
import dev.tailor.llm.vocab.AddedVocabulary;
import dev.tailor.llm.vocab.VocabularyExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Glossary terms as new tokens: the plan keeps terms the base splits, the extended tokenizer reads each as one token,
 * new rows start as the mean of the sub-tokens' rows (checked against the checkpoint's raw values), the adapter saves
 * PEFT {@code modules_to_save} tensors and loads back to the same logits, batches mixing it with other adapters give
 * what each gives alone, and a short fine-tune trains the new rows.
 */
class ExtendedVocabularyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Rows of the glossary: term, explanation (the real glossary in test resources). */
    static List<String[]> glossary() throws IOException {
        Path csv = Fixture.dir().getParent().resolve("glossary/glossary.csv");
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            rows.add(new String[] {cells.get(0), cells.get(1)});
        }
        return rows;
    }

    static List<String> terms() throws IOException {
        List<String> terms = new ArrayList<>(glossary().stream().map(r -> r[0]).toList());
        terms.add("A"); // one byte, one token already: not added
        return terms;
    }

    /** A job that lists no terms takes those of the split's glossary examples, as cleaning writes them. */
    @Test
    void theTermsOfASplitAreThoseOfItsGlossaryExamples() throws IOException {
        String split = String.join("\n",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"What is autovacuum?\"},{\"role\":\"assistant\","
                        + "\"content\":\"A daemon.\"}],\"flags\":[\"glossary\"],\"source\":{\"file\":\"g.csv\",\"line\":2},"
                        + "\"metadata\":{\"term\":\"Autovacuum (process)\"}}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"How do I vacuum?\"},{\"role\":\"assistant\","
                        + "\"content\":\"Run VACUUM.\"}],\"source\":{\"file\":\"t.jsonl\",\"line\":1},"
                        + "\"metadata\":{\"term\":\"not a glossary's\"}}",
                "",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"What does \\\"WAL\\\" mean?\"},{\"role\":\"assistant\","
                        + "\"content\":\"Write-ahead log.\"}],\"flags\":[\"glossary\"],\"metadata\":{\"term\":\"WAL\"}}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Can you explain autovacuum?\"},{\"role\":\"assistant\","
                        + "\"content\":\"A daemon.\"}],\"flags\":[\"glossary\"],\"metadata\":{\"term\":\"Autovacuum (process)\"}}");
        assertEquals(List.of("Autovacuum (process)", "WAL"), VocabularyExtension.glossaryTerms(
                new java.io.ByteArrayInputStream(split.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "train.jsonl"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> VocabularyExtension
                .glossaryTerms(new java.io.ByteArrayInputStream("{\"x\":1}\nnot json\n".getBytes()), "train.jsonl"));
        assertTrue(bad.getMessage().contains("train.jsonl line 2"), bad.getMessage());
    }

    @Test
    void termsTheBaseSplitsBecomeOneTokenEachWithTheMeanOfTheirPiecesAsEmbedding() throws IOException {
        try (LanguageModel base = LanguageModel.load(Fixture.dir())) {
            AddedVocabulary added = VocabularyExtension.plan(Fixture.dir(), base.tokenizer(), base.config(), terms(),
                    64);
            assertEquals(20, added.tokens().size(), "every glossary term needs several byte-level tokens, 'A' not");
            assertEquals("Aggregate function", added.tokens().get(1).content(), "qualifier in parentheses left out");
            assertEquals(259, added.tokens().get(0).id(), "the ids follow the tokenizer's highest id (258)");
            assertEquals(320, added.vocabSize(), "ids below config.json's vocab_size use its spare rows");
            Path tok = tmp.resolve("tok");
            VocabularyExtension.writeTokenizer(Fixture.dir(), added, tok, base.config());
            try (TextTokenizer extended = TextTokenizer.load(tok, base.config())) {
                for (AddedVocabulary.Token t : added.tokens()) {
                    assertArrayEquals(new int[] {t.id()}, extended.encode(t.content(), false), t.content());
                }
                int autovacuum = added.tokens().stream().filter(t -> t.content().equals("Autovacuum")).findFirst()
                        .orElseThrow().id();
                int[] sentence = extended.encode("When does Autovacuum run?", false);
                assertTrue(java.util.Arrays.stream(sentence).anyMatch(id -> id == autovacuum));
                assertTrue(extended.decode(sentence).contains("Autovacuum"));
            }
            JsonNode json = MAPPER.readTree(tok.resolve("tokenizer.json").toFile());
            JsonNode last = json.path("added_tokens").get(json.path("added_tokens").size() - 1);
            assertTrue(last.path("normalized").asBoolean() && !last.path("special").asBoolean());

            float[][] embed = rawTable(Fixture.dir().resolve("model.safetensors"), "model.embed_tokens.weight");
            try (LoraAdapter adapter = LoraAdapter.init(base.transformer(), new LoraConfig(4, 8, 0,
                    List.of(Projection.Q_PROJ)), 1, DataType.FLOAT32, added, tok)) {
                float[] grown = adapter.vocabulary().embed().toFloatArray();
                int h = base.config().hiddenSize();
                assertTrue(adapter.vocabulary().tied(), "tiny-llama ties lm_head to the embedding");
                for (AddedVocabulary.Token t : added.tokens()) {
                    for (int j = 0; j < h; j++) {
                        double mean = 0;
                        for (int p : t.pieces()) {
                            mean += embed[p][j];
                        }
                        mean /= t.pieces().length;
                        assertEquals(mean, grown[t.id() * h + j], 1e-6, t.content() + " dim " + j);
                    }
                }
                for (int j = 0; j < h; j++) {
                    assertEquals(embed[100][j], grown[100 * h + j], 0.0, "old rows stay the base's");
                }
            }
            IllegalArgumentException cap = assertThrows(IllegalArgumentException.class,
                    () -> VocabularyExtension.plan(Fixture.dir(), base.tokenizer(), base.config(), terms(), 5));
            assertTrue(cap.getMessage().contains("vocabulary.maxNewTokens (5)"), cap.getMessage());
            assertEquals(null, VocabularyExtension.plan(Fixture.dir(), base.tokenizer(), base.config(),
                    List.of("A", "b"), 5), "no term needs a token");
        }
    }

    /** A table of a checkpoint as written on disk (F32), independent of the loader. */
    static float[][] rawTable(Path file, String name) {
        try (NDManager m = NDManager.newBaseManager(); SafetensorsReader r = new SafetensorsReader(file)) {
            NDArray a = r.loadFloat(name, m);
            int rows = (int) a.getShape().get(0);
            int h = (int) a.getShape().get(1);
            float[] flat = a.toFloatArray();
            float[][] out = new float[rows][h];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(flat, i * h, out[i], 0, h);
            }
            return out;
        }
    }

    /** A random untied base whose config vocabulary is exactly the tokenizer's, so new tokens grow the tables. */
    private Path untiedBase() {
        Path dir = tmp.resolve("untied");
        ModelConfig config = ModelConfig.llama(64, 2, 4, 2, 96, 259, 64, false);
        try (Transformer t = TestModels.random(config, 5)) {
            TestModels.save(t, dir, SafetensorsWriter.Dtype.F32, Long.MAX_VALUE);
        }
        return dir;
    }

    private static LoraAdapter extendedAdapter(LanguageModel base, Path baseDir, Path tok, List<String> terms) {
        AddedVocabulary added = VocabularyExtension.plan(baseDir, base.tokenizer(), base.config(), terms, 64);
        VocabularyExtension.writeTokenizer(baseDir, added, tok, base.config());
        LoraAdapter adapter = LoraAdapter.init(base.transformer(), new LoraConfig(4, 8, 0,
                List.of(Projection.Q_PROJ, Projection.V_PROJ)), 2, DataType.FLOAT32, added, tok);
        Random rnd = new Random(9);
        for (NDArray p : adapter.parameters().values()) { // trained-looking values, new rows included
            float[] v = p.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += 0.1f * (float) rnd.nextGaussian();
            }
            p.set(v);
        }
        return adapter;
    }

    @Test
    void theAdapterSavesPeftModulesToSaveAndLoadsBackToTheSameLogits() throws IOException {
        Path baseDir = untiedBase();
        try (LanguageModel base = LanguageModel.load(baseDir)) {
            LoraAdapter adapter = extendedAdapter(base, baseDir, tmp.resolve("tok"), terms());
            int v2 = adapter.vocabulary().vocabSize();
            assertEquals(259 + 20, v2);
            assertFalse(adapter.vocabulary().tied());
            Path out = tmp.resolve("adapter");
            adapter.savePeft(out, "untied");
            base.putAdapter("mem", adapter);

            JsonNode config = MAPPER.readTree(out.resolve(LoraAdapter.CONFIG_FILE).toFile());
            assertEquals(List.of("embed_tokens", "lm_head"), MAPPER.convertValue(config.path("modules_to_save"),
                    List.class));
            try (SafetensorsReader r = new SafetensorsReader(out.resolve(LoraAdapter.WEIGHTS_FILE))) {
                assertArrayEquals(new long[] {v2, 64}, r.tensors().get(
                        "base_model.model.model.embed_tokens.weight").shape());
                assertArrayEquals(new long[] {v2, 64}, r.tensors().get("base_model.model.lm_head.weight").shape());
                assertNotNull(r.tensors().get("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight"));
                assertEquals(2 * 2 * 2 + 2, r.tensors().size());
            }
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", AddedVocabulary.FILE)) {
                assertTrue(Files.isRegularFile(out.resolve(f)), f);
            }

            base.loadAdapter("disk", out);
            int[] ids = base.tokenizer("disk").encode("What is Autovacuum?", true);
            assertTrue(java.util.Arrays.stream(ids).anyMatch(id -> id >= 259), "the term is one new token");
            assertArrayEquals(ids, base.tokenizer("mem").encode("What is Autovacuum?", true));
            float[][] mem = base.logits(ids, "mem");
            float[][] disk = base.logits(ids, "disk");
            assertEquals(v2, disk[0].length);
            assertTrue(Fixture.maxDiff(mem, disk) < 1e-5, "max diff " + Fixture.maxDiff(mem, disk));
            Path broken = Files.createDirectories(tmp.resolve("broken"));
            for (String f : List.of(LoraAdapter.CONFIG_FILE, LoraAdapter.WEIGHTS_FILE)) {
                Files.copy(out.resolve(f), broken.resolve(f));
            }
            IllegalArgumentException noTokenizer = assertThrows(IllegalArgumentException.class,
                    () -> base.loadAdapter("broken", broken));
            assertTrue(noTokenizer.getMessage().contains("no tokenizer.json"), noTokenizer.getMessage());
            Files.writeString(broken.resolve(LoraAdapter.CONFIG_FILE), Files.readString(broken.resolve(
                    LoraAdapter.CONFIG_FILE)).replace("\"lm_head\"", "\"score\""));
            IllegalArgumentException module = assertThrows(IllegalArgumentException.class,
                    () -> base.loadAdapter("broken", broken));
            assertTrue(module.getMessage().contains("saves module 'score'"), module.getMessage());
            Path merged = tmp.resolve("merged");
            base.saveMerged(out, merged);
            try (LanguageModel m = LanguageModel.load(merged)) {
                assertEquals(v2, m.config().vocabSize());
                assertArrayEquals(ids, m.tokenizer().encode("What is Autovacuum?", true), "the extended tokenizer");
                double diff = Fixture.maxDiff(disk, m.logits(ids, null));
                assertTrue(diff < 1e-4, "the merged model gives the adapter's logits: max diff " + diff);
            }
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                    () -> base.logits(ids, null), "the base alone has no row for the new token");
            assertTrue(outside.getMessage().contains("outside the vocabulary [0, 259)"), outside.getMessage());
        }
    }

    @Test
    void aBatchMixingTheExtendedAdapterWithOthersGivesWhatEachGivesAlone() throws IOException {
        Path baseDir = untiedBase();
        try (LanguageModel base = LanguageModel.load(baseDir)) {
            LoraAdapter extended = extendedAdapter(base, baseDir, tmp.resolve("tok"), terms());
            base.putAdapter("vocab", extended);
            base.putAdapter("plain", TestModels.randomAdapter(base.transformer(), List.of(Projection.O_PROJ), 4));
            // make the new tokens likely, so that greedy decoding emits ids beyond the base's vocabulary
            float[] head = extended.vocabulary().head().toFloatArray();
            float[] embed = extended.vocabulary().embed().toFloatArray();
            for (int i = 259 * 64; i < head.length; i++) {
                head[i] *= 8;
            }
            extended.vocabulary().head().set(head);
            int[] withTerm = base.tokenizer("vocab").encode("Is Autovacuum an Atomic Checkpoint?", true);
            int[] plain = base.tokenizer().encode("Is Autovacuum an Atomic Checkpoint?", true);
            List<GenerationRequest> requests = List.of(
                    GenerationRequest.greedy(withTerm, 12).withAdapter("vocab"),
                    GenerationRequest.greedy(plain, 10).withAdapter("plain"),
                    GenerationRequest.greedy(plain, 9),
                    GenerationRequest.greedy(java.util.Arrays.copyOf(withTerm, 4), 14).withAdapter("vocab"));
            List<GenerationResult> batched = base.generateBatch(requests);
            boolean newTokenEmitted = false;
            for (int i = 0; i < requests.size(); i++) {
                GenerationResult alone = base.generate(requests.get(i), null);
                assertArrayEquals(alone.newIds(), batched.get(i).newIds(), "request " + i);
                assertEquals(alone.text(), batched.get(i).text(), "request " + i);
                for (int id : batched.get(i).newIds()) {
                    newTokenEmitted |= id >= 259;
                }
            }
            assertTrue(newTokenEmitted, "some row decoded a token of the extended vocabulary");
            assertEquals(embed.length, extended.vocabulary().embed().size());
            if (dev.tailor.llm.cpu.CpuDecode.supported()) { // the Java engine: the adapter's own tables too
                base.useCpuDecode(dev.tailor.llm.cpu.WeightFormat.FLOAT32, 2);
                List<GenerationResult> onCpu = base.generateBatch(requests);
                for (int i = 0; i < requests.size(); i++) {
                    assertArrayEquals(batched.get(i).newIds(), onCpu.get(i).newIds(), "CPU engine, request " + i);
                    assertEquals(batched.get(i).text(), onCpu.get(i).text(), "CPU engine, request " + i);
                }
            }
        }
    }

    @Test
    void aShortFineTuneOnTheGlossaryTrainsTheNewRowsAndSavesTheExtendedTokenizer() throws IOException {
        List<ChatExample> train = new ArrayList<>();
        for (String[] row : glossary()) {
            String term = VocabularyExtension.spoken(row[0]);
            train.add(new ChatExample(List.of(new ChatMessage("user", "What is " + term + "?"),
                    new ChatMessage("assistant", term + ": " + row[1]))));
        }
        TrainingParams params = TrainingParams.defaults().with(MAPPER.readTree("""
                {"lora": {"rank": 4, "alpha": 8, "dropout": 0},
                 "optimizer": {"learningRate": 0.01},
                 "schedule": {"maxSteps": 3, "warmupRatio": 0},
                 "data": {"batchSize": 4, "maxSeqLength": 48},
                 "evaluation": {"evalEvery": 0},
                 "vocabulary": {"extend": true, "maxNewTokens": 32, "terms": %s}}
                """.formatted(MAPPER.writeValueAsString(terms()))));
        Path out = tmp.resolve("tuned");
        long t0 = System.nanoTime();
        FineTune.run(Fixture.dir(), train, List.of(), params, RunOptions.to(out));
        System.out.printf("vocabulary fine-tune: 3 steps in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        AddedVocabulary added = AddedVocabulary.read(out);
        assertEquals(20, added.tokens().size());
        float[][] base = rawTable(Fixture.dir().resolve("model.safetensors"), "model.embed_tokens.weight");
        float[][] tuned = rawTable(out.resolve(LoraAdapter.WEIGHTS_FILE), LoraAdapter.EMBED_TENSOR);
        float[][] head = rawTable(out.resolve(LoraAdapter.WEIGHTS_FILE), LoraAdapter.HEAD_TENSOR);
        int changed = 0;
        for (AddedVocabulary.Token t : added.tokens()) {
            double moved = 0;
            for (int j = 0; j < base[0].length; j++) {
                double mean = 0;
                for (int p : t.pieces()) {
                    mean += base[p][j];
                }
                moved = Math.max(moved, Math.abs(tuned[t.id()][j] - mean / t.pieces().length));
                assertEquals(tuned[t.id()][j], head[t.id()][j], 0.0, "a tied base keeps lm_head = embed_tokens");
            }
            changed += moved > 1e-4 ? 1 : 0;
        }
        System.out.printf("vocabulary fine-tune: %d of %d new rows moved from their mean init%n", changed,
                added.tokens().size());
        assertTrue(changed >= 10, changed + " new rows changed");

        try (LanguageModel model = LanguageModel.load(Fixture.dir())) {
            model.loadAdapter("tuned", out);
            int id = added.tokens().stream().filter(t -> t.content().equals("Checkpointer")).findFirst()
                    .orElseThrow().id();
            assertArrayEquals(new int[] {id}, model.tokenizer("tuned").encode("Checkpointer", false));
            int[] prompt = model.chatPrompt(List.of(new ChatMessage("user", "What is Checkpointer?")), "tuned");
            assertTrue(java.util.Arrays.stream(prompt).anyMatch(x -> x == id), "the prompt holds the new token");
            GenerationResult r = model.generate(GenerationRequest.greedy(prompt, 8).withAdapter("tuned"), null);
            assertEquals(prompt.length, r.promptTokens());
            double tunedLoss = model.meanAnswerLoss(train, "tuned", 48);
            assertTrue(Double.isFinite(tunedLoss), "eval scores the tuned model with its tokenizer: " + tunedLoss);
        }
    }
}
