package dev.tailor.cli.clean;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.profile.DatasetProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * {@code tailor clean --profile}: counts tokens with a Hugging Face tokenizer folder when one is given ({@code
 * tokenizer.json}, truncation and padding off, no special tokens), writes profile.json next to the splits and prints
 * the overall figures, each source's, and the sufficiency notes.
 */
final class ProfileOutput implements AutoCloseable {
    static final String FILE = "profile.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HuggingFaceTokenizer tokenizer;
    final DatasetProfile profile;

    /** @param tokenizerDir a folder with tokenizer.json, or null (lengths in characters only) */
    ProfileOutput(Path tokenizerDir, int maxSeqLength) {
        this.tokenizer = tokenizerDir == null ? null : load(tokenizerDir);
        ToIntFunction<String> count = tokenizer == null ? null : text -> tokenizer.encode(text, false, false).getIds().length;
        this.profile = new DatasetProfile(count, maxSeqLength, true);
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

    /** Writes profile.json into {@code out} and prints the profile. */
    @SuppressWarnings("unchecked")
    void write(Path out, PrintWriter stdout) {
        Map<String, Object> m = profile.toMap();
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(FILE).toFile(), m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(FILE) + ": " + e.getMessage(), e);
        }
        stdout.println("profile" + (tokenizer == null ? " (lengths in characters; --tokenizer DIR counts tokens)" : "") + ":");
        print(stdout, "overall", (Map<String, Object>) m.get("overall"));
        ((Map<String, Object>) m.get("sources")).forEach((file, p) -> print(stdout, file, (Map<String, Object>) p));
        for (Object note : (Iterable<Object>) m.get("sufficiency")) {
            stdout.println("  note: " + note);
        }
        stdout.printf("wrote %s%n", out.resolve(FILE));
        stdout.flush();
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, String name, Map<String, Object> p) {
        Map<String, Object> length = (Map<String, Object>) p.get("length");
        out.printf("  %s: %s records, %s kept, drop rate %s, duplicate share %s%n", name, p.get("records"), p.get("kept"),
                p.get("dropRate"), p.get("duplicateShare"));
        ((Map<String, Map<String, Object>>) p.get("dropRateByRule")).forEach((rule, r) ->
                out.printf("    dropped by %-28s %s (%s)%n", rule, r.get("records"), r.get("rate")));
        if (!((Map<?, ?>) p.get("pii")).isEmpty()) {
            out.printf("    personal data %s%n", p.get("pii"));
        }
        out.printf("    languages %s%n", p.get("languages"));
        out.printf("    characters: mean %s, max %s, histogram %s%n", length.get("meanChars"), length.get("maxChars"),
                length.get("charHistogram"));
        if (length.containsKey("tokenHistogram")) {
            out.printf("    tokens: mean %s, max %s, histogram %s; over maxSeqLength %s: %s%n", length.get("meanTokens"),
                    length.get("maxTokens"), length.get("tokenHistogram"), length.get("maxSeqLength"), length.get("shareOverMaxSeqLength"));
        } else {
            out.printf("    over maxSeqLength %s (estimated): %s%n", length.get("maxSeqLength"), length.get("shareOverMaxSeqLengthEstimated"));
        }
    }

    @Override
    public void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
