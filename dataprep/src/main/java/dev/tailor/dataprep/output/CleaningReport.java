package dev.tailor.dataprep.output;

import dev.tailor.dataprep.config.TempFiles;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.example.SourceRef;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What cleaning did: a count per rule, a few samples per rule, and every dropped record (up to a cap)
 * with its file, line and reason. The dropped records are spilled to a temporary file as they come (the heap
 * stays flat however many there are) and streamed into report.json by {@link #writeDropped}; the rest is
 * {@link #toMap()}.
 */
public final class CleaningReport implements AutoCloseable {
    /** The report's file name, next to the splits. */
    public static final String FILE = "report.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int samplesPerRule;
    private final int maxDroppedListed;
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
    private final List<Map<String, Object>> inputs = new ArrayList<>();
    private final Path spill;
    private final BufferedWriter dropped;
    private long droppedListed;
    private long droppedNotListed;

    public CleaningReport(int samplesPerRule, int maxDroppedListed) {
        this.samplesPerRule = samplesPerRule;
        this.maxDroppedListed = maxDroppedListed;
        try {
            this.spill = TempFiles.create("tailor-dropped-", ".jsonl");
            this.dropped = Files.newBufferedWriter(spill, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the list of dropped records in " + System.getProperty(TempFiles.PROPERTY,
                    System.getProperty("java.io.tmpdir"))
                    + ": " + e.getMessage(), e);
        }
    }

    public void count(String rule) {
        counts.merge(rule, 1L, Long::sum);
    }

    public void count(String rule, long n) {
        counts.merge(rule, n, Long::sum);
    }

    public long get(String rule) {
        return counts.getOrDefault(rule, 0L);
    }

    public void drop(SourceRef src, String rule, String reason, String snippet) {
        count("dropped." + rule);
        count("dropped");
        if (droppedListed < maxDroppedListed) {
            try {
                dropped.write(JSON.writeValueAsString(entry(src, rule, reason)));
                dropped.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("writing the list of dropped records to " + spill + ": " + e.getMessage(), e);
            }
            droppedListed++;
        } else {
            droppedNotListed++;
        }
        sample(rule, src, reason, snippet);
    }

    /** Records something a rule noticed about a kept example (counted and sampled with the reason). */
    public void noted(String rule, SourceRef src, String reason, String snippet) {
        count(rule);
        sample(rule, src, reason, snippet);
    }

    /** Records a change a rule made to a kept example (counted and sampled, not dropped). */
    public void changed(String rule, SourceRef src, String before, String after) {
        count(rule);
        List<Map<String, Object>> list = samples.computeIfAbsent(rule, k -> new ArrayList<>());
        if (list.size() < samplesPerRule) {
            Map<String, Object> m = entry(src, rule, null);
            m.put("before", clip(before));
            m.put("after", clip(after));
            list.add(m);
        }
    }

    private void sample(String rule, SourceRef src, String reason, String snippet) {
        List<Map<String, Object>> list = samples.computeIfAbsent(rule, k -> new ArrayList<>());
        if (list.size() < samplesPerRule) {
            Map<String, Object> m = entry(src, rule, reason);
            if (snippet != null) {
                m.put("text", clip(snippet));
            }
            list.add(m);
        }
    }

    public void input(String file, String format, long records) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("format", format);
        m.put("records", records);
        inputs.add(m);
    }

    public Map<String, Long> counts() {
        return counts;
    }

    /** inputs, counts, samples and droppedNotListed; the dropped records themselves come from {@link #writeDropped}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", inputs);
        m.put("counts", counts);
        m.put("samples", samples);
        m.put("droppedNotListed", droppedNotListed);
        return m;
    }

    /** Writes the listed dropped records as a JSON array (one object each: file, line?, id?, rule, reason). */
    public void writeDropped(JsonGenerator g) throws IOException {
        dropped.flush();
        g.writeStartArray();
        try (BufferedReader r = Files.newBufferedReader(spill, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                g.writeRawValue(line);
            }
        }
        g.writeEndArray();
    }

    /** Deletes the spilled list of dropped records. Idempotent. */
    @Override
    public void close() {
        try {
            dropped.close();
            Files.deleteIfExists(spill);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> entry(SourceRef src, String rule, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", src.file());
        if (src.line() > 0) {
            m.put("line", src.line());
        }
        if (src.id() != null) {
            m.put("id", src.id());
        }
        m.put("rule", rule);
        if (reason != null) {
            m.put("reason", reason);
        }
        return m;
    }

    private static String clip(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
