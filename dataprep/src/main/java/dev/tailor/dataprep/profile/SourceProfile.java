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

    void read() {
        records++;
    }

    void dropped(String rule) {
        dropped.merge(rule, 1L, Long::sum);
        if (rule.equals("truncated")) {
            truncatedAnswers++;
        }
    }

    void kept(int length, int answerLength, boolean chat, int tokenCount, int maxSeqLength, String language, Map<String, Long> found) {
        kept++;
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
            length.put("tokenHistogram", histogram(tokenBuckets, 16));
        }
        length.put("maxSeqLength", maxSeqLength);
        length.put(withTokens ? "shareOverMaxSeqLength" : "shareOverMaxSeqLengthEstimated", ratio(overMax, kept));
        m.put("length", length);
        return m;
    }

    private static Map<String, Long> histogram(Map<Integer, Long> buckets, int smallest) {
        Map<String, Long> h = new LinkedHashMap<>();
        buckets.forEach((low, n) -> h.put(low == 0 ? "<" + smallest : low + "-" + (2L * low - 1), n));
        return h;
    }

    static double ratio(long a, long b) {
        return b == 0 ? 0 : Math.round(1000.0 * a / b) / 1000.0;
    }
}
