package dev.tailor.inference;

import ai.djl.ndarray.types.DataType;
import dev.tailor.common.auth.ApiKeyStore;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.LanguageModel;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.vocab.AddedVocabulary;
import dev.tailor.llm.vocab.VocabularyExtension;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The models the inference tests serve, put in the bucket the way the pipeline leaves them: the fixture base model,
 * tuned adapters with the manifest training writes (dataset, version, base model) and the report eval writes
 * (verdict).
 */
final class ServedModels {
    static final String TENANT = "default";
    static final ObjectLayout LAYOUT = new ObjectLayout(TENANT);
    static final String BASE = "tiny-llama";
    /** Promoted, trained on {@link #DATASET}. */
    static final String MODEL = "ft-fixture";
    /** Promoted, another adapter (q, v, o, gate) of the same dataset. */
    static final String SECOND = "ft-second";
    /** Rejected by the gate. */
    static final String REJECTED = "ft-rejected";
    /** The fixture with a context of 4096 tokens: a generation that runs for seconds (random weights never stop). */
    static final String LONG = "tiny-long";
    /** Promoted, an adapter that adds glossary terms to the vocabulary (its own embed_tokens, lm_head, tokenizer). */
    static final String VOCAB = "ft-vocab";
    /** The terms {@link #VOCAB} adds as tokens. */
    static final List<String> TERMS = List.of("Autovacuum", "Checkpointer");
    static final String DATASET = "ds-support";
    static final String VERSION = "v-1";

    private static boolean uploaded;

    private ServedModels() {
    }

    static synchronized void upload(ObjectStore store) {
        if (uploaded) {
            return;
        }
        store.ensureBucket();
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            put(store, LAYOUT.baseModel(BASE) + file, Path.of("src/test/resources/tiny-llama", file));
        }
        for (String file : List.of("model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            put(store, LAYOUT.baseModel(LONG) + file, Path.of("src/test/resources/tiny-llama", file));
        }
        try {
            store.putString(ObjectLayout.modelConfig(LAYOUT.baseModel(LONG)), Files.readString(
                    Path.of("src/test/resources/tiny-llama/config.json")).replace("\"max_position_embeddings\": 128",
                    "\"max_position_embeddings\": 4096"), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tuned(store, MODEL, "tiny-llama-adapter", "PROMOTE", "test loss 4.1 vs base 4.5 (-9 %)");
        tuned(store, SECOND, "tiny-llama-adapter-2", "PROMOTE", "test loss 4.2 vs base 4.5 (-7 %)");
        tuned(store, REJECTED, "tiny-llama-adapter-2", "REJECT", "test loss 4.6 is not below base 4.5");
        tuned(store, VOCAB, vocabularyAdapter(), "PROMOTE", "test loss 4.0 vs base 4.5 (-11 %)");
        uploaded = true;
    }

    /**
     * An adapter of the fixture base that adds {@link #TERMS} as tokens, made with the llm library as training makes
     * one (mean-of-pieces rows; LoRA and the new output rows given trained-looking values so that greedy answers use
     * the new tokens), saved in PEFT layout with its tokenizer.
     */
    static Path vocabularyAdapter() {
        Path base = Path.of("src/test/resources/tiny-llama");
        try (LanguageModel model = LanguageModel.load(base)) {
            Path tok = Files.createTempDirectory("tailor-vocab-tok");
            Path out = Files.createTempDirectory("tailor-vocab-adapter");
            AddedVocabulary added = VocabularyExtension.plan(base, model.tokenizer(), model.config(), TERMS, 8);
            VocabularyExtension.writeTokenizer(base, added, tok, model.config());
            try (LoraAdapter adapter = LoraAdapter.init(model.transformer(), new LoraConfig(4, 8, 0,
                    List.of(Projection.Q_PROJ, Projection.V_PROJ)), 3, DataType.FLOAT32, added, tok)) {
                java.util.Random rnd = new java.util.Random(3);
                int h = model.config().hiddenSize();
                for (var e : adapter.parameters().entrySet()) {
                    float[] v = e.getValue().toFloatArray();
                    if (e.getKey().equals(LoraAdapter.EMBED_TENSOR)) { // tied: input and output rows of the terms
                        for (AddedVocabulary.Token t : added.tokens()) {
                            for (int j = 0; j < h; j++) {
                                v[t.id() * h + j] *= 30;
                            }
                        }
                    } else {
                        for (int i = 0; i < v.length; i++) {
                            v[i] = 0.2f * (float) rnd.nextGaussian();
                        }
                    }
                    e.getValue().set(v);
                }
                adapter.savePeft(out, BASE);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tuned model as training and eval leave it. */
    static void tuned(ObjectStore store, String id, String adapterDir, String verdict, String reason) {
        tuned(store, id, Path.of("src/test/resources", adapterDir), verdict, reason);
    }

    /** The same from a folder: every file of it (adapter, tokenizer) as the worker uploads its output. */
    static void tuned(ObjectStore store, String id, Path adapterDir, String verdict, String reason) {
        String prefix = LAYOUT.tunedModel(id);
        try (var files = Files.list(adapterDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                put(store, prefix + file.getFileName(), file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.putJson(ObjectLayout.manifest(prefix), Manifest.of("training-service/worker", TENANT)
                .dataset(DATASET, VERSION).job("job-" + id, id).input("baseModel", store.uri(LAYOUT.baseModel(BASE)))
                .build());
        store.putJson(LAYOUT.evalReport(id, "json"), Map.of("modelId", id, "datasetId", DATASET, "datasetVersion",
                VERSION, "baseModel", BASE, "verdict", verdict, "reason", reason));
    }

    /** A new API key of the test tenant with {@code role} (admin: every role): what an OpenAI SDK sends as its key. */
    static String apiKey(ObjectStore store, String role) {
        return new ApiKeyStore(store).create(TENANT, "tests-" + role, Set.of(role), "test",
                Instant.now().plus(Duration.ofDays(1))).key().value();
    }

    private static void put(ObjectStore store, String key, Path file) {
        try {
            store.putBytes(key, Files.readAllBytes(file), "application/octet-stream");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
