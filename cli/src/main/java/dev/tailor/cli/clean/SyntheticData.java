package dev.tailor.cli.clean;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates a large question/answer JSONL file for benchmarking, with a known share of near-duplicates:
 * a near-duplicate is an earlier record with one answer word replaced and the question's case and
 * punctuation changed. The line numbers of the near-duplicates are returned as labels.
 */
final class SyntheticData {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ven", "dra", "il", "os",
            "ber", "gan", "tu", "el", "mar", "sen", "qui", "zo", "ap", "ret", "lin", "dos"};

    private final List<String> words = new ArrayList<>();
    private final SplittableRandom random;

    SyntheticData(long seed) {
        random = new SplittableRandom(seed);
        for (int i = 0; i < 5000; i++) {
            StringBuilder w = new StringBuilder();
            int n = 1 + random.nextInt(3);
            for (int j = 0; j < n; j++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            words.add(w.toString());
        }
    }

    /** Writes {@code records} lines; returns the 1-based line numbers that are near-duplicates. */
    long[] write(Path file, long records, double nearDuplicateShare) throws IOException {
        String[] recent = new String[4096];
        long[] labels = new long[(int) Math.ceil(records * nearDuplicateShare) + 16];
        int labelCount = 0;
        long originals = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long line = 1; line <= records; line++) {
                String q;
                String a;
                if (originals > 10 && random.nextDouble() < nearDuplicateShare && labelCount < labels.length) {
                    String[] qa = recent[random.nextInt((int) Math.min(originals, recent.length))].split("\u0000");
                    String[] aw = qa[1].split(" ");
                    aw[random.nextInt(aw.length)] = words.get(random.nextInt(words.size()));
                    q = Character.toUpperCase(qa[0].charAt(0)) + qa[0].substring(1) + "!";
                    a = String.join(" ", aw);
                    labels[labelCount++] = line;
                } else {
                    q = sentence(12 + random.nextInt(20)) + "?";
                    a = sentence(30 + random.nextInt(50)) + ".";
                    recent[(int) (originals++ % recent.length)] = q + "\u0000" + a;
                }
                w.write("{\"question\":\"" + q + "\",\"answer\":\"" + a + "\"}\n");
            }
        }
        return Arrays.copyOf(labels, labelCount);
    }

    private String sentence(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
        }
        return sb.toString();
    }
}
