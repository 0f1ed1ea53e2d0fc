package dev.tailor.dataprep.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.dedup.SemanticDuplicateIndexTest.Pair;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.SourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What semantic deduplication finds and costs on {@link SemanticDuplicateIndexTest}'s real data, printed and not
 * asserted (about 30 s of embeddings on two cores). Left out of the default test run (the name does not end in Test);
 * run it with {@code mvn -o -q -pl dataprep test -Dtest=SemanticDuplicateBenchmark}.
 */
class SemanticDuplicateBenchmark {
    private static final String FILE = SemanticDuplicateIndexTest.FILE;

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

        List<Pair> sts = SemanticDuplicateIndexTest.sts();
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

        List<String> lines = SemanticDuplicateIndexTest.sameQuestionLines();
        List<Example> chats = new ArrayList<>();
        for (String l : lines) {
            JsonNode msgs = SemanticDuplicateIndexTest.JSON.readTree(l).get("messages");
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
