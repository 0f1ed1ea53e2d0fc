package dev.tailor.dataprep.output;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two cleaned versions of a dataset (typically a version and its re-clean with other settings):
 * examples added, removed, changed and unchanged per split and overall, drop counts per rule, the settings that
 * differ, and a bounded sample of added, removed (with the rule that dropped it, where the newer report lists it) and
 * changed examples.
 * <p>Examples are matched by their source reference ({@code source.file} with {@code source.line} or
 * {@code source.id}, as the pipeline writes it): same source, same content = unchanged, same source, other content =
 * changed (e.g. redacted). A source that made several examples (document chunks) is matched by content within it, so a
 * changed chunk counts as one removed and one added. Memory: one small entry per example of the older version (its
 * source key and a 64-bit content hash); the split files are streamed, the older one twice (a second pass fetches the
 * sampled texts).
 */
public final class VersionDiff {
    /** The files of one cleaned version, opened on demand (each stream is read once and closed). */
    public interface Files {
        /** The version's split file (JSONL as the pipeline writes it). */
        InputStream split(Split split) throws IOException;

        /** The version's report.json, or null when it has none. */
        InputStream report() throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIP = 300;
    /** How much of a changed example is kept to find where it changed (a sample, so a few at most). */
    private static final int LONG = 100_000;

    /** One example of the older version. */
    private static final class Entry {
        final long hash;
        final long index;
        final Split split;
        boolean matched;
        Entry next;

        Entry(long hash, long index, Split split) {
            this.hash = hash;
            this.index = index;
            this.split = split;
        }
    }

    private final int samples;
    private final MessageDigest sha256;

    /** @param samples how many added, removed and changed examples the diff shows (each) */
    public VersionDiff(int samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        this.samples = samples;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The diff of version {@code after} against version {@code before}, as a JSON-ready map. */
    public Map<String, Object> compare(String beforeVersion, Files before, String afterVersion, Files after) {
        try {
            return run(beforeVersion, before, afterVersion, after);
        } catch (IOException e) {
            throw new UncheckedIOException("comparing version " + afterVersion + " with " + beforeVersion + ": "
                    + e.getMessage(), e);
        }
    }

    private Map<String, Object> run(String beforeVersion, Files before, String afterVersion, Files after)
            throws IOException {
        Map<String, Entry> index = new HashMap<>();
        Map<Split, long[]> perSplit = new EnumMap<>(Split.class); // before, after, added, removed, changed, unchanged
        for (Split s : Split.values()) {
            perSplit.put(s, new long[6]);
        }
        long[] position = {0};
        for (Split s : Split.values()) {
            forEachLine(before.split(s), node -> {
                Entry e = new Entry(contentHash(node), position[0]++, s);
                e.next = index.put(sourceKey(node), e);
                perSplit.get(s)[0]++;
            });
        }
        List<Map<String, Object>> added = new ArrayList<>();
        Map<String, Map<String, Object>> changed = new LinkedHashMap<>(); // source key → sample (before filled later)
        long[] moved = {0};
        for (Split s : Split.values()) {
            forEachLine(after.split(s), node -> {
                long[] c = perSplit.get(s);
                c[1]++;
                String key = sourceKey(node);
                long hash = contentHash(node);
                Entry head = index.get(key);
                Entry same = null;
                int entries = 0;
                for (Entry e = head; e != null; e = e.next) {
                    entries++;
                    if (!e.matched && e.hash == hash && same == null) {
                        same = e;
                    }
                }
                if (same != null) {
                    same.matched = true;
                    c[5]++;
                    moved[0] += same.split != s ? 1 : 0;
                } else if (entries == 1 && !head.matched) {
                    head.matched = true;
                    c[4]++;
                    moved[0] += head.split != s ? 1 : 0;
                    if (changed.size() < samples) {
                        Map<String, Object> m = sample(key, s, null);
                        m.put("after", text(node, LONG));
                        changed.put(key, m);
                    }
                } else {
                    c[2]++;
                    if (added.size() < samples) {
                        Map<String, Object> m = sample(key, s, preview(node));
                        added.add(m);
                    }
                }
            });
        }
        TreeMap<Long, String> removedSample = new TreeMap<>(); // the first removed examples, by position
        for (Map.Entry<String, Entry> k : index.entrySet()) {
            for (Entry e = k.getValue(); e != null; e = e.next) {
                if (!e.matched) {
                    perSplit.get(e.split)[3]++;
                    if (samples > 0 && (removedSample.size() < samples || e.index < removedSample.lastKey())) {
                        removedSample.put(e.index, k.getKey());
                        if (removedSample.size() > samples) {
                            removedSample.pollLastEntry();
                        }
                    }
                }
            }
        }
        index.clear();
        List<Map<String, Object>> removed = removedTexts(before, removedSample, changed);
        Report beforeReport = Report.read(before.report(), Set.of());
        Set<String> wanted = new HashSet<>(removedSample.values());
        Report afterReport = Report.read(after.report(), wanted);
        for (Map<String, Object> m : removed) {
            JsonNode d = afterReport.dropped.get((String) m.get("source"));
            if (d != null) {
                m.put("droppedBy", d.path("rule").asText());
                if (d.hasNonNull("reason")) {
                    m.put("reason", d.get("reason").asText());
                }
            }
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", afterVersion);
        out.put("against", beforeVersion);
        long[] total = new long[6];
        Map<String, Object> splits = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            long[] c = perSplit.get(s);
            for (int i = 0; i < 6; i++) {
                total[i] += c[i];
            }
            splits.put(s.id(), counts(c));
        }
        Map<String, Object> overall = counts(total);
        overall.put("movedSplit", moved[0]);
        out.put("overall", overall);
        out.put("splits", splits);
        out.put("drops", dropChanges(beforeReport.counts, afterReport.counts));
        out.put("settings", settingChanges(beforeReport.config, afterReport.config));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("added", added);
        s.put("removed", removed);
        s.put("changed", new ArrayList<>(changed.values()));
        out.put("samples", s);
        return out;
    }

    /** Second pass over the older version: the texts of the sampled removed and changed examples. */
    private List<Map<String, Object>> removedTexts(Files before, TreeMap<Long, String> removedSample,
                                                   Map<String, Map<String, Object>> changed) throws IOException {
        Map<Long, Map<String, Object>> removed = new TreeMap<>();
        if (removedSample.isEmpty() && changed.isEmpty()) {
            return new ArrayList<>();
        }
        long[] position = {0};
        for (Split s : Split.values()) {
            forEachLine(before.split(s), node -> {
                long i = position[0]++;
                String key = removedSample.get(i);
                if (key != null) {
                    removed.put(i, sample(key, s, preview(node)));
                    return;
                }
                Map<String, Object> c = changed.get(sourceKey(node));
                if (c != null && !c.containsKey("before")) {
                    Map<String, Object> ordered = new LinkedHashMap<>();
                    c.forEach((k, v) -> {
                        if (k.equals("after")) {
                            String[] window = around((String) text(node, LONG), (String) v);
                            ordered.put("before", window[0]);
                            ordered.put(k, window[1]);
                        } else {
                            ordered.put(k, v);
                        }
                    });
                    c.clear();
                    c.putAll(ordered);
                }
            });
        }
        return new ArrayList<>(removed.values());
    }

    private static Map<String, Object> counts(long[] c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", c[0]);
        m.put("after", c[1]);
        m.put("added", c[2]);
        m.put("removed", c[3]);
        m.put("changed", c[4]);
        m.put("unchanged", c[5]);
        return m;
    }

    private static Map<String, Object> sample(String key, Split split, String text) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", key);
        m.put("split", split.id());
        if (text != null) {
            m.put("text", text);
        }
        return m;
    }

    /** Rule → {before, after} for every {@code dropped.<rule>} count that differs, and the total. */
    static Map<String, Object> dropChanges(JsonNode before, JsonNode after) {
        Set<String> rules = new TreeSet<>();
        for (JsonNode counts : List.of(before, after)) {
            counts.fieldNames().forEachRemaining(k -> {
                if (k.equals("dropped") || k.startsWith("dropped.")) {
                    rules.add(k);
                }
            });
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : rules) {
            long b = before.path(k).asLong(0);
            long a = after.path(k).asLong(0);
            if (a != b) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", b);
                change.put("after", a);
                m.put(k.equals("dropped") ? "total" : k.substring("dropped.".length()), change);
            }
        }
        return m;
    }

    /** Setting (component.name) → {before, after} for every setting that differs between the two reports' config. */
    static Map<String, Object> settingChanges(JsonNode before, JsonNode after) {
        Map<String, JsonNode> b = new TreeMap<>();
        Map<String, JsonNode> a = new TreeMap<>();
        flatten("", before, b);
        flatten("", after, a);
        Set<String> keys = new TreeSet<>(b.keySet());
        keys.addAll(a.keySet());
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : keys) {
            JsonNode x = b.get(k);
            JsonNode y = a.get(k);
            if (x == null ? y != null : !x.equals(y)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", x);
                change.put("after", y);
                m.put(k, change);
            }
        }
        return m;
    }

    private static void flatten(String path, JsonNode node, Map<String, JsonNode> out) {
        if (node.isObject() && (path.isEmpty() || path.indexOf('.') < 0)) {
            node.fields().forEachRemaining(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(),
                    e.getValue(), out));
        } else if (!path.isEmpty()) {
            out.put(path, node);
        }
    }

    /** {@code file:line} or {@code file#id}, as the report names records; the content hash when there is no source. */
    static String sourceKey(JsonNode example) {
        JsonNode s = example.path("source");
        if (!s.hasNonNull("file")) {
            return "sha256:" + Long.toHexString(ByteBuffer.wrap(digest(example.toString())).getLong());
        }
        return s.hasNonNull("id") ? s.get("file").asText() + "#" + s.get("id").asText()
                : s.get("file").asText() + ":" + s.path("line").asLong(0);
    }

    private long contentHash(JsonNode example) {
        String content = example.has("messages") ? example.get("messages").toString() : example.path("text").toString();
        return ByteBuffer.wrap(sha256.digest(content.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The example's text (role: content per message), clipped. */
    private static String preview(JsonNode example) {
        return text(example, CLIP);
    }

    /** Both texts clipped to the part around their first difference (where a setting changed them). */
    static String[] around(String before, String after) {
        int i = 0;
        while (i < before.length() && i < after.length() && before.charAt(i) == after.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - CLIP / 3);
        return new String[] {window(before, from), window(after, from)};
    }

    private static String window(String s, int from) {
        int start = Math.min(from, s.length());
        int end = Math.min(s.length(), start + CLIP);
        return (start > 0 ? "…" : "") + s.substring(start, end) + (end < s.length() ? "…" : "");
    }

    private static String text(JsonNode example, int limit) {
        StringBuilder sb = new StringBuilder();
        if (example.has("messages")) {
            for (JsonNode m : example.get("messages")) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(m.path("role").asText()).append(": ").append(m.path("content").asText());
                if (sb.length() > limit) {
                    break;
                }
            }
        } else {
            sb.append(example.path("text").asText());
        }
        return sb.length() <= limit ? sb.toString() : sb.substring(0, limit) + "…";
    }

    private interface LineHandler {
        void accept(JsonNode example) throws IOException;
    }

    private static void forEachLine(InputStream in, LineHandler handler) throws IOException {
        if (in == null) {
            return;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    handler.accept(JSON.readTree(line));
                }
            }
        }
    }

    /** What the diff needs of a report.json: counts, config, and the listed drops of some records, streamed. */
    private record Report(JsonNode counts, JsonNode config, Map<String, JsonNode> dropped) {
        static Report read(InputStream in, Set<String> wanted) throws IOException {
            JsonNode counts = JSON.createObjectNode();
            JsonNode config = JSON.createObjectNode();
            Map<String, JsonNode> dropped = new HashMap<>();
            if (in == null) {
                return new Report(counts, config, dropped);
            }
            try (in; JsonParser p = JSON.getFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new IOException("report.json is not a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    if (field.equals("counts") && t == JsonToken.START_OBJECT) {
                        counts = p.readValueAsTree();
                    } else if (field.equals("config") && t == JsonToken.START_OBJECT) {
                        config = p.readValueAsTree();
                    } else if (field.equals("dropped") && t == JsonToken.START_ARRAY) {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode d = p.readValueAsTree();
                            String key = sourceKey(JSON.createObjectNode().set("source", d));
                            if (wanted.contains(key)) {
                                dropped.putIfAbsent(key, d);
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
            return new Report(counts, config, dropped);
        }
    }
}
