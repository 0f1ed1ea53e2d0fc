package dev.tailor.dataprep.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.config.FieldPolicy;
import dev.tailor.dataprep.example.RecordRejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Applies the per-field policies for incomplete records to a source object before it is mapped to an
 * example: drop, fill a default, fill from a reference table, or keep and flag. Every decision is
 * counted ({@code incomplete.<action>.<field>}). Reference tables are loaded once, when first needed.
 */
public final class FieldPolicies {
    private final Map<String, FieldPolicy> policies;
    private final Function<String, InputStream> tables;
    private final Map<String, Map<String, String>> loaded = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();

    public FieldPolicies(Map<String, FieldPolicy> policies, Function<String, InputStream> tables) {
        this.policies = policies;
        this.tables = tables;
    }

    /** Fills or checks {@code node} in place; returns the flags to put on the example. */
    public List<String> apply(ObjectNode node) {
        List<String> flags = List.of();
        for (Map.Entry<String, FieldPolicy> e : policies.entrySet()) {
            String field = e.getKey();
            JsonNode v = node.get(field);
            if (v != null && !v.isNull() && !(v.isTextual() && v.asText().isBlank())) {
                continue;
            }
            FieldPolicy p = e.getValue();
            counts.merge("incomplete." + p.action() + "." + field, 1L, Long::sum);
            switch (p.action()) {
                case "drop" -> throw new RecordRejected("incomplete-record", "field '" + field + "' is missing or empty"
                        + " (policy drop; set fields." + field + " to default, lookup or flag to keep such records)");
                case "default" -> node.put(field, p.value());
                case "flag" -> {
                    flags = new ArrayList<>(flags);
                    flags.add("missing:" + field);
                }
                default -> {
                    String key = node.path(p.key()).asText("");
                    String found = table(field, p).get(key);
                    if (found == null || found.isBlank()) {
                        throw new RecordRejected("incomplete-record", "field '" + field + "' is missing and "
                                + p.key() + "='" + key + "' is not in " + p.table());
                    }
                    node.put(field, found);
                }
            }
        }
        return flags;
    }

    public Map<String, Long> counts() {
        return counts;
    }

    private Map<String, String> table(String field, FieldPolicy p) {
        String column = p.column() == null ? field : p.column();
        String tableKey = p.tableKey() == null ? p.key() : p.tableKey();
        return loaded.computeIfAbsent(p.table() + "|" + tableKey + "|" + column, k -> {
            if (tables == null) {
                throw new IllegalStateException("no reference tables available for " + p.table());
            }
            Map<String, String> m = new HashMap<>();
            try (InputStream in = tables.apply(p.table());
                 CSVParser csv = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get()
                         .parse(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (CSVRecord r : csv) {
                    if (r.isMapped(tableKey) && r.isMapped(column)) {
                        m.put(r.get(tableKey), r.get(column));
                    }
                }
                if (!csv.getHeaderNames().contains(tableKey) || !csv.getHeaderNames().contains(column)) {
                    throw new IllegalArgumentException("reference table " + p.table() + " needs columns '" + tableKey
                            + "' and '" + column + "', it has " + csv.getHeaderNames());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read reference table " + p.table() + ": " + e.getMessage(), e);
            }
            return m;
        });
    }
}
