package dev.tailor.dataprep.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one source (an input file, an archive with its entries) or the whole run gave: records read, examples kept,
 * drops per rule, duplicates, personal data found, languages, and the lengths of the kept examples in characters and,
 * with a tokenizer, in tokens (histograms by powers of two, the share over maxSeqLength).
 */
final class SourceProfile {
    /** Rules that drop a record as a copy of another. */
    static final java.util.Set<String> DUPLICATE_RULES = java.util.Set.of("exact-duplicate", "near-duplicate", "semantic-duplicate");

    long records;
    long kept;
    long chats;
    long truncatedAnswers;
    long overMax;
    long chars;
    long maxChars;
    long tokens;
    long maxTokens;
    long answerChars;
    final Map<String, Long> dropped = new TreeMap<>();
    final Map<String, Long> pii = new TreeMap<>();
    final Map<String, Long> languages = new TreeMap<>();
    final Map<Integer, Long> charBuckets = new TreeMap<>();
    final Map<Integer, Long> tokenBuckets = new TreeMap<>();
    /** Length of each kept example in the profile's unit (tokens with a tokenizer, else characters). */
    final Lengths lengths = new Lengths();
    /** The same for the examples that went to the train split. */
    final Lengths trainLengths = new Lengths();

    void read() {
        records++;
    }

    void dropped(String rule) {
        dropped.merge(rule, 1L, Long::sum);
        if (rule.equals("truncated")) {
            truncatedAnswers++;
        }
    }

    void kept(int length, int answerLength, boolean chat, int tokenCount, int maxSeqLength, String language, Map<String, Long> found,
              boolean train) {
        kept++;
        int unit = tokenCount >= 0 ? tokenCount : length;
        lengths.add(unit);
        if (train) {
            trainLengths.add(unit);
        }
        chats += chat ? 1 : 0;
        chars += length;
        maxChars = Math.max(maxChars, length);
        answerChars += answerLength;
        charBuckets.merge(bucket(length, 64), 1L, Long::sum);
        if (tokenCount >= 0) {
            tokens += tokenCount;
            maxTokens = Math.max(maxTokens, tokenCount);
            tokenBuckets.merge(bucket(tokenCount, 16), 1L, Long::sum);
            overMax += tokenCount > maxSeqLength ? 1 : 0;
        } else {
            overMax += length > 4L * maxSeqLength ? 1 : 0; // about four characters a token in English
        }
        if (language != null) {
            languages.merge(language, 1L, Long::sum);
        }
        found.forEach((type, n) -> pii.merge(type, n, Long::sum));
    }

    void add(SourceProfile o) {
        records += o.records;
        kept += o.kept;
        chats += o.chats;
        truncatedAnswers += o.truncatedAnswers;
        overMax += o.overMax;
        chars += o.chars;
        maxChars = Math.max(maxChars, o.maxChars);
        tokens += o.tokens;
        maxTokens = Math.max(maxTokens, o.maxTokens);
        answerChars += o.answerChars;
        o.dropped.forEach((k, v) -> dropped.merge(k, v, Long::sum));
        o.pii.forEach((k, v) -> pii.merge(k, v, Long::sum));
        o.languages.forEach((k, v) -> languages.merge(k, v, Long::sum));
        o.charBuckets.forEach((k, v) -> charBuckets.merge(k, v, Long::sum));
        o.tokenBuckets.forEach((k, v) -> tokenBuckets.merge(k, v, Long::sum));
        lengths.addAll(o.lengths);
        trainLengths.addAll(o.trainLengths);
    }

    long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    long duplicates() {
        return dropped.entrySet().stream().filter(e -> DUPLICATE_RULES.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** The lower bound of the power-of-two bucket holding {@code n} (at least {@code smallest}: 0 for less). */
    static int bucket(long n, int smallest) {
        if (n < smallest) {
            return 0;
        }
        return Integer.highestOneBit((int) Math.min(n, Integer.MAX_VALUE));
    }

    Map<String, Object> toMap(boolean withTokens, int maxSeqLength) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("records", records);
        m.put("kept", kept);
        m.put("dropped", droppedTotal());
        m.put("dropRate", ratio(droppedTotal(), records));
        Map<String, Object> rules = new LinkedHashMap<>();
        dropped.forEach((rule, n) -> rules.put(rule, Map.of("records", n, "rate", ratio(n, records))));
        m.put("dropRateByRule", rules);
        m.put("duplicateShare", ratio(duplicates(), records));
        m.put("pii", pii);
        m.put("languages", languages);
        Map<String, Object> length = new LinkedHashMap<>();
        length.put("meanChars", kept == 0 ? 0 : Math.round((double) chars / kept));
        length.put("maxChars", maxChars);
        length.put("meanAnswerChars", kept == 0 ? 0 : Math.round((double) answerChars / kept));
        length.put("charHistogram", histogram(charBuckets, 64));
        if (withTokens) {
            length.put("meanTokens", kept == 0 ? 0 : Math.round((double) tokens / kept));
            length.put("maxTokens", maxTokens);
            length.put("medianTokens", lengths.percentile(50));
            length.put("p95Tokens", lengths.percentile(95));
            length.put("tokenHistogram", histogram(tokenBuckets, 16));
        } else {
            length.put("medianChars", lengths.percentile(50));
            length.put("p95Chars", lengths.percentile(95));
        }
        length.put("maxSeqLength", maxSeqLength);
        length.put(withTokens ? "overMaxSeqLength" : "overMaxSeqLengthEstimated", overMax);
        length.put(withTokens ? "shareOverMaxSeqLength" : "shareOverMaxSeqLengthEstimated", ratio(overMax, kept));
        if (withTokens) {
            Map<String, Object> train = new LinkedHashMap<>();
            train.put("examples", trainLengths.size());
            train.put("overMaxSeqLength", trainLengths.over(maxSeqLength));
            train.put("medianTokens", trainLengths.percentile(50));
            train.put("p95Tokens", trainLengths.percentile(95));
            train.put("maxTokens", trainLengths.percentile(100));
            length.put("train", train);
        }
        m.put("length", length);
        return m;
    }

    private static Map<String, Long> histogram(Map<Integer, Long> buckets, int smallest) {
        Map<String, Long> h = new LinkedHashMap<>();
        buckets.forEach((low, n) -> h.put(low == 0 ? "<" + smallest : low + "-" + (2L * low - 1), n));
        return h;
    }

    /** A growing list of lengths with its percentiles (nearest rank). */
    static final class Lengths {
        private int[] values = new int[64];
        private int n;

        void add(int v) {
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            values[n++] = v;
        }

        void addAll(Lengths o) {
            for (int i = 0; i < o.n; i++) {
                add(o.values[i]);
            }
        }

        int size() {
            return n;
        }

        long over(int limit) {
            long c = 0;
            for (int i = 0; i < n; i++) {
                c += values[i] > limit ? 1 : 0;
            }
            return c;
        }

        /** The nearest-rank percentile {@code p} (0 when empty): the smallest value with p% of the values at or below it. */
        int percentile(int p) {
            if (n == 0) {
                return 0;
            }
            int[] sorted = java.util.Arrays.copyOf(values, n);
            java.util.Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * n);
            return sorted[Math.max(0, rank - 1)];
        }
    }

    static double ratio(long a, long b) {
        return b == 0 ? 0 : Math.round(1000.0 * a / b) / 1000.0;
    }
}
