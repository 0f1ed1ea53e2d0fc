package dev.tailor.cli.clean;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.cli.remote.Table;
import dev.tailor.dataprep.profile.DatasetProfile;
import dev.tailor.dataprep.profile.Relevance;
import dev.tailor.dataprep.profile.TokenCounter;
import dev.tailor.llm.data.ExampleLengths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tailor clean --profile}: counts tokens as training renders the examples with a base model's folder
 * ({@code --base-model}: tokenizer.json, its chat template, config.json), or with a bare Hugging Face tokenizer
 * ({@code --tokenizer}: tokenizer.json, truncation and padding off, no special tokens, message contents one after the
 * other), else in characters; estimates relevance to a use case ({@code --use-case}); writes profile.json next to the
 * splits and prints the overall figures, a row per source and the sufficiency notes (or the JSON with {@code --json}).
 */
final class ProfileOutput implements AutoCloseable {
    static final String FILE = "profile.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HuggingFaceTokenizer tokenizer;
    private final ExampleLengths lengths;
    final DatasetProfile profile;

    /**
     * @param tokenizerDir a folder with tokenizer.json, or null
     * @param baseModel    a base model's folder (wins over tokenizerDir), or null
     * @param relevance    relevance to a use case, or null
     */
    ProfileOutput(Path tokenizerDir, Path baseModel, int maxSeqLength, Relevance relevance) {
        this.lengths = baseModel == null ? null : loadModel(baseModel);
        this.tokenizer = tokenizerDir == null || lengths != null ? null : load(tokenizerDir);
        if (lengths != null) {
            ExampleLengths l = lengths;
            String name = l.model() + (l.hasChatTemplate() ? " (its tokenizer and chat template)" : " (its tokenizer; no chat template)");
            this.profile = new DatasetProfile(new TokenCounter(name, line -> Math.max(0, l.count(line))), maxSeqLength, true);
        } else if (tokenizer != null) {
            this.profile = new DatasetProfile(text -> tokenizer.encode(text, false, false).getIds().length, maxSeqLength, true);
        } else {
            this.profile = new DatasetProfile((TokenCounter) null, maxSeqLength, true)
                    .withoutTokenizer("no --base-model given (a model folder with tokenizer.json and config.json)");
        }
        profile.relevance(relevance);
    }

    private static ExampleLengths loadModel(Path dir) {
        if (!Files.isRegularFile(dir.resolve("tokenizer.json")) || !Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("--base-model " + dir + " holds no tokenizer.json and config.json: give the"
                    + " folder of a Hugging Face model (e.g. ~/.cache/tailor/models/tailor-starter)");
        }
        try {
            return ExampleLengths.load(dir, String.valueOf(dir.toAbsolutePath().normalize().getFileName()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--base-model " + dir + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static HuggingFaceTokenizer load(Path dir) {
        Path file = Files.isDirectory(dir) ? dir.resolve("tokenizer.json") : dir;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--tokenizer " + dir + " holds no tokenizer.json: give the folder of a Hugging Face"
                    + " model or tokenizer (e.g. the base model's)");
        }
        try {
            return HuggingFaceTokenizer.newInstance(file, Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--tokenizer " + file + " cannot be read as a Hugging Face tokenizer: " + e.getMessage(), e);
        }
    }

    /** Writes profile.json into {@code out} and prints the profile (its JSON with {@code json}). */
    void write(Path out, PrintWriter stdout, boolean json) {
        JsonNode m = JSON.valueToTree(profile.toMap());
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(FILE).toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(FILE) + ": " + e.getMessage(), e);
        }
        if (json) {
            Table.json(stdout, m);
            return;
        }
        boolean tokens = m.path("tokenizer").asBoolean();
        stdout.println("profile: lengths in " + m.path("lengthUnit").asText() + (tokens ? " of " + m.path("tokenizerName").asText()
                : " (" + m.path("tokenizerNote").asText() + ")") + ":");
        print(stdout, "overall", m.get("overall"));
        m.get("sources").fields().forEachRemaining(e -> print(stdout, e.getKey(), e.getValue()));
        Table t = new Table("SOURCE", "RECORDS", "KEPT", "DROP", "DUPL", "MEDIAN", "P95", "MAX", "OVER MAX", "RELEVANCE", "OFF-TOPIC");
        row(t, "overall", m.get("overall"), tokens);
        m.get("sources").fields().forEachRemaining(e -> row(t, e.getKey(), e.getValue(), tokens));
        stdout.printf("  %s over maxSeqLength %s; relevance: mean cosine similarity to the use case, off-topic: share below the"
                + " threshold%n", tokens ? "tokens" : "characters (estimated at four a token)", m.at("/overall/length/maxSeqLength"));
        t.print(stdout);
        JsonNode relevance = m.at("/overall/relevance");
        if (!relevance.isMissingNode()) {
            stdout.printf("  use case \"%s\" (%s, threshold %s); least relevant:%n", relevance.path("useCase").asText(),
                    relevance.path("model").asText(), relevance.path("threshold").asText());
            relevance.path("leastRelevant").forEach(l -> stdout.printf("    %6.3f  %s  %s%n", l.path("similarity").asDouble(),
                    l.path("id").asText(), l.path("excerpt").asText()));
        }
        for (JsonNode note : m.get("sufficiency")) {
            stdout.println("  note: " + note.asText());
        }
        stdout.printf("wrote %s%n", out.resolve(FILE));
        stdout.flush();
    }

    private static void row(Table t, String name, JsonNode p, boolean tokens) {
        JsonNode length = p.path("length");
        JsonNode r = p.path("relevance");
        t.row(name, p.path("records").asLong(), p.path("kept").asLong(), percent(p.path("dropRate").asDouble()),
                percent(p.path("duplicateShare").asDouble()), length.path(tokens ? "medianTokens" : "medianChars").asLong(),
                length.path(tokens ? "p95Tokens" : "p95Chars").asLong(), length.path(tokens ? "maxTokens" : "maxChars").asLong(),
                percent(length.path(tokens ? "shareOverMaxSeqLength" : "shareOverMaxSeqLengthEstimated").asDouble()),
                r.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.3f", r.path("meanSimilarity").asDouble()),
                r.isMissingNode() ? "-" : percent(r.path("shareBelowThreshold").asDouble()));
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static void print(PrintWriter out, String name, JsonNode p) {
        JsonNode length = p.get("length");
        out.printf("  %s: %s records, %s kept, drop rate %s, duplicate share %s%n", name, p.get("records"), p.get("kept"),
                p.get("dropRate"), p.get("duplicateShare"));
        p.get("dropRateByRule").fields().forEachRemaining(e ->
                out.printf("    dropped by %-28s %s (%s)%n", e.getKey(), e.getValue().get("records"), e.getValue().get("rate")));
        if (!p.get("pii").isEmpty()) {
            out.printf("    personal data %s%n", p.get("pii"));
        }
        out.printf("    languages %s%n", p.get("languages"));
        out.printf("    characters: mean %s, max %s, histogram %s%n", length.get("meanChars"), length.get("maxChars"),
                length.get("charHistogram"));
        if (length.has("tokenHistogram")) {
            out.printf("    tokens: mean %s, median %s, p95 %s, max %s, histogram %s; over maxSeqLength %s: %s (%s)%n",
                    length.get("meanTokens"), length.get("medianTokens"), length.get("p95Tokens"), length.get("maxTokens"),
                    length.get("tokenHistogram"), length.get("maxSeqLength"), length.get("overMaxSeqLength"),
                    length.get("shareOverMaxSeqLength"));
        } else {
            out.printf("    over maxSeqLength %s (estimated): %s%n", length.get("maxSeqLength"), length.get("shareOverMaxSeqLengthEstimated"));
        }
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (lengths != null) {
            lengths.close();
        }
    }
}
