package dev.tailor.dataprep.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipelineTest;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.output.CleaningResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantic duplicates on real text (see {@code data/semantic/README.md}): Stack Exchange sentence pairs rated by
 * people (STS benchmark) and support-list questions asked twice with different replies.
 */
class SemanticDuplicateIndexTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "semantic.jsonl";

    /** One STS row: id, crowd score 0–5, the two sentences. */
    record Pair(String id, int score, String first, String second) {
        boolean duplicate() {
            return score >= 4;
        }
    }

    static List<Pair> sts() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        for (String line : resource("sts-answer-answer.tsv").split("\n")) {
            String[] f = line.split("\t");
            pairs.add(new Pair(f[3], Integer.parseInt(f[4]), f[5], f[6]));
        }
        return pairs;
    }

    /** 82 chat lines: 41 questions each asked twice, pair k on lines 2k-1 and 2k; only pair 22 is a duplicate. */
    static List<String> sameQuestionLines() throws IOException {
        return List.of(resource("support-faq-same-question.jsonl").split("\n"));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SemanticDuplicateIndexTest.class.getResourceAsStream("/data/semantic/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Pair pair(List<Pair> all, String id) {
        return all.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    static String textLine(String text) {
        return JSON.createObjectNode().put("text", text).toString();
    }

    static JsonNode clean(Path out, String config, List<String> lines) throws IOException {
        CleaningResult r = CleaningPipelineTest.run(CleaningConfig.fromJson(config), out, FILE, String.join("\n", lines) + "\n");
        return JSON.readTree(r.report().toFile());
    }

    /** Input lines of the records dropped by {@code rule}. */
    static List<Integer> droppedLines(JsonNode report, String rule) {
        List<Integer> lines = new ArrayList<>();
        for (JsonNode d : report.get("dropped")) {
            if (rule.equals(d.get("rule").asText())) {
                lines.add(d.get("line").asInt());
            }
        }
        return lines;
    }

    @Test
    void offByDefault(@TempDir Path out) throws IOException {
        assertFalse(CleaningConfig.defaults().dedup().semanticDuplicates());
        List<Pair> sts = sts();
        List<String> lines = new ArrayList<>();
        for (String id : List.of("1014", "0175", "1392")) {
            lines.add(textLine(pair(sts, id).first()));
            lines.add(textLine(pair(sts, id).second()));
        }
        JsonNode report = clean(out, "{}", lines);
        assertEquals(6, report.get("kept").asInt());
        assertFalse(report.get("counts").has("dropped.semantic-duplicate"));
    }

    @Test
    void paraphrasedTextsAreDroppedAndDistinctOnesKept(@TempDir Path out) throws IOException {
        List<Pair> sts = sts();
        // duplicates (score 4-5) that share too few word 3-grams for MinHash, then distinct pairs (score 0-1),
        // two of them on the same topic with opposite meaning (0494, 1013)
        List<String> duplicates = List.of("1014", "0175", "1392", "0385", "0305", "0047");
        List<String> distinct = List.of("0494", "1013", "0314", "0768", "0239", "1404");
        List<String> lines = new ArrayList<>();
        for (String id : duplicates) {
            lines.add(textLine(pair(sts, id).first()));
            lines.add(textLine(pair(sts, id).second()));
        }
        for (String id : distinct) {
            lines.add(textLine(pair(sts, id).first()));
            lines.add(textLine(pair(sts, id).second()));
        }
        JsonNode report = clean(out, "{\"semanticDuplicates\":true,\"semanticDuplicateThreshold\":0.85}", lines);

        assertEquals(List.of(2, 4, 6, 8, 10, 12), droppedLines(report, "semantic-duplicate"));
        assertEquals(lines.size() - duplicates.size(), report.get("kept").asInt());
        JsonNode first = CleaningPipelineTest.find(report.get("dropped"), "semantic-duplicate");
        assertEquals(FILE, first.get("file").asText());
        assertTrue(first.get("reason").asText().matches("cosine similarity 0\\.9\\d\\d to an earlier example \\(threshold 0\\.85\\)"),
                first.get("reason").asText());
    }

    @Test
    void chatIsDuplicateOnlyWhenQuestionAndAnswerAreBoth(@TempDir Path out) throws IOException {
        // 41 questions asked twice with two replies; only the two translations of pair 22 say the same thing
        JsonNode report = clean(out, "{\"semanticDuplicates\":true,\"semanticDuplicateThreshold\":0.85,\"nearDuplicates\":false}",
                sameQuestionLines());
        assertEquals(List.of(44), droppedLines(report, "semantic-duplicate"));
        assertEquals(81, report.get("kept").asInt());
    }

    @Test
    void laterExamplesPastCapacityAreCheckedButNotRemembered() throws IOException {
        List<Pair> sts = sts();
        Pair a = pair(sts, "1014");
        Pair b = pair(sts, "0175");
        List<float[]> v = SemanticDuplicateIndex.embed(List.of(a.first(), a.second(), b.first(), b.second()));
        SemanticDuplicateIndex index = new SemanticDuplicateIndex(0.85, 1);
        assertEquals(-1, index.add(v.get(0), null).duplicateOf());
        assertEquals(0, index.add(v.get(1), null).duplicateOf()); // checked against the remembered one
        assertEquals(-1, index.add(v.get(2), null).duplicateOf()); // not remembered: capacity 1
        assertEquals(-1, index.add(v.get(3), null).duplicateOf());
        assertEquals(-1, index.add(v.get(0), v.get(1)).duplicateOf()); // a chat never matches a text example
    }

    @Test
    void tablesFollowTheThreshold() {
        assertEquals(22, new SemanticDuplicateIndex(0.92, 10).tables());
        assertEquals(46, new SemanticDuplicateIndex(0.85, 10).tables());
        assertEquals(64, new SemanticDuplicateIndex(0.5, 10).tables());
    }

    /**
     * Prints precision and recall of MinHash alone, embeddings alone and both on the labelled STS pairs, the chat
     * pairs under three ways to embed a chat, the LSH loss against exact cosine, the int8 error, embeddings per
     * second and memory. Figures only: nothing here is timed or asserted.
     */
    @Test
    void evaluation() throws IOException {
        Runtime rt = Runtime.getRuntime();
        long rss0 = rssKb();
        System.gc();
        long heap0 = rt.totalMemory() - rt.freeMemory();
        long load0 = System.nanoTime();
        SemanticDuplicateIndex.embed(List.of("warm-up"));
        double loadS = (System.nanoTime() - load0) / 1e9;
        System.gc();
        long heap1 = rt.totalMemory() - rt.freeMemory();
        long rss1 = rssKb();
        System.out.printf("model load %.2f s; heap %+.1f MB after loading (%.1f MB used); process RSS %+.0f MB%n",
                loadS, (heap1 - heap0) / 1e6, heap1 / 1e6, (rss1 - rss0) / 1024.0);

        List<Pair> sts = sts();
        List<String> sentences = new ArrayList<>();
        sts.forEach(p -> {
            sentences.add(p.first());
            sentences.add(p.second());
        });
        long t0 = System.nanoTime();
        List<float[]> sv = new ArrayList<>();
        for (String s : sentences) {
            sv.addAll(SemanticDuplicateIndex.embed(List.of(s)));
        }
        double stsRate = sentences.size() / ((System.nanoTime() - t0) / 1e9);

        int positives = (int) sts.stream().filter(Pair::duplicate).count();
        System.out.printf("STS answer-answer: %d pairs, %d duplicates (score >= 4), %d distinct%n", sts.size(), positives, sts.size() - positives);
        boolean[] minhash = new boolean[sts.size()];
        for (int i = 0; i < sts.size(); i++) {
            NearDuplicateIndex near = new NearDuplicateIndex(CleaningConfig.defaults().dedup().nearDuplicateThreshold());
            near.add(sts.get(i).first());
            minhash[i] = near.add(sts.get(i).second()).duplicateOf() >= 0;
        }
        System.out.println("  " + score("MinHash alone (Jaccard >= 0.85)", sts, minhash));
        double maxInt8Error = 0;
        for (double t : new double[] {0.80, 0.85, 0.88, 0.90, 0.92}) {
            boolean[] exact = new boolean[sts.size()];
            boolean[] lsh = new boolean[sts.size()];
            boolean[] both = new boolean[sts.size()];
            for (int i = 0; i < sts.size(); i++) {
                float[] a = sv.get(2 * i);
                float[] b = sv.get(2 * i + 1);
                exact[i] = dot(a, b) >= t;
                SemanticDuplicateIndex index = new SemanticDuplicateIndex(t, 2);
                index.add(a, null);
                SemanticDuplicateIndex.Match m = index.add(b, null);
                lsh[i] = m.duplicateOf() >= 0;
                both[i] = lsh[i] || minhash[i];
                if (lsh[i]) {
                    maxInt8Error = Math.max(maxInt8Error, Math.abs(m.similarity() - dot(a, b)));
                }
            }
            System.out.printf("  t=%.2f %s | %s | %s%n", t, score("exact cosine", sts, exact), score("index (LSH+int8)", sts, lsh),
                    score("MinHash + embeddings", sts, both));
        }
        System.out.printf("  largest |int8 cosine - float cosine| among matches: %.4f%n", maxInt8Error);

        List<String> lines = sameQuestionLines();
        List<Example> chats = new ArrayList<>();
        for (String l : lines) {
            JsonNode msgs = JSON.readTree(l).get("messages");
            chats.add(Example.chat(List.of(new Message("user", msgs.get(0).get("content").asText()),
                    new Message("assistant", msgs.get(1).get("content").asText())), new SourceRef(FILE, 0, null)));
        }
        long c0 = System.nanoTime();
        List<float[]> sequential = new ArrayList<>();
        for (Example e : chats) {
            sequential.addAll(SemanticDuplicateIndex.embed(List.of(e.messages().get(0).content())));
            sequential.addAll(SemanticDuplicateIndex.embed(List.of(e.messages().get(1).content())));
        }
        double chatRate = 2 * chats.size() / ((System.nanoTime() - c0) / 1e9);
        long p0 = System.nanoTime();
        List<float[]> qa = new ArrayList<>();
        for (Example e : chats) {
            qa.addAll(SemanticDuplicateIndex.embed(List.of(e.messages().get(0).content(), e.messages().get(1).content())));
        }
        double pairRate = 2 * chats.size() / ((System.nanoTime() - p0) / 1e9);
        List<float[]> concat = new ArrayList<>();
        for (Example e : chats) {
            concat.addAll(SemanticDuplicateIndex.embed(List.of(e.allText())));
        }
        System.out.printf("chats: %d questions asked twice, 1 pair with equivalent answers (pair 22)%n", chats.size() / 2);
        for (double t : new double[] {0.80, 0.85, 0.88, 0.90, 0.92}) {
            List<Integer> separate = new ArrayList<>();
            List<Integer> together = new ArrayList<>();
            List<Integer> questionOnly = new ArrayList<>();
            for (int k = 0; k < chats.size() / 2; k++) {
                SemanticDuplicateIndex index = new SemanticDuplicateIndex(t, 2);
                index.add(qa.get(4 * k), qa.get(4 * k + 1));
                if (index.add(qa.get(4 * k + 2), qa.get(4 * k + 3)).duplicateOf() >= 0) {
                    separate.add(k + 1);
                }
                if (dot(concat.get(2 * k), concat.get(2 * k + 1)) >= t) {
                    together.add(k + 1);
                }
                if (dot(qa.get(4 * k), qa.get(4 * k + 2)) >= t) {
                    questionOnly.add(k + 1);
                }
            }
            System.out.printf("  t=%.2f pairs flagged: question and answer separately %s; user+assistant text together %d; question only %d%n",
                    t, separate, together.size(), questionOnly.size());
        }
        List<Integer> nearPairs = new ArrayList<>();
        for (int k = 0; k < chats.size() / 2; k++) {
            NearDuplicateIndex near = new NearDuplicateIndex(CleaningConfig.defaults().dedup().nearDuplicateThreshold());
            near.add(chats.get(2 * k).allText());
            if (near.add(chats.get(2 * k + 1).allText()).duplicateOf() >= 0) {
                nearPairs.add(k + 1);
            }
        }
        System.out.printf("  MinHash (Jaccard >= 0.85) on user+assistant text flags pairs %s%n", nearPairs);
        System.out.printf("speed, 1 caller thread: %.0f embeddings/s on STS sentences (~12 word pieces), %.1f/s on support questions and answers"
                + " (mostly cut at 128 word pieces), %.1f/s embedding question and answer together (2 texts in parallel)%n",
                stsRate, chatRate, pairRate);
        assertEquals(2 * chats.size(), sequential.size());
    }

    static String score(String name, List<Pair> pairs, boolean[] flagged) {
        int tp = 0;
        int fp = 0;
        Map<Integer, Integer> fpByScore = new TreeMap<>();
        int positives = 0;
        for (int i = 0; i < pairs.size(); i++) {
            positives += pairs.get(i).duplicate() ? 1 : 0;
            if (flagged[i] && pairs.get(i).duplicate()) {
                tp++;
            } else if (flagged[i]) {
                fp++;
                fpByScore.merge(pairs.get(i).score(), 1, Integer::sum);
            }
        }
        return String.format("%s: P=%.3f R=%.3f (TP %d, FP %d %s)", name, tp + fp == 0 ? 1.0 : (double) tp / (tp + fp),
                (double) tp / positives, tp, fp, fp == 0 ? "" : "by score " + fpByScore);
    }

    static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    /** Resident set size of this JVM in KiB (Linux; 0 elsewhere). */
    static long rssKb() throws IOException {
        Path status = Path.of("/proc/self/status");
        for (String l : Files.exists(status) ? Files.readAllLines(status) : List.<String>of()) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return 0;
    }
}
