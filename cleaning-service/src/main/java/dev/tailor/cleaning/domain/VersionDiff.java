package dev.tailor.cleaning.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What changed between two versions of a dataset's cleaned output: examples added and removed (by
 * content, ignoring their source) and the change of every report count. Holds 8 bytes per example of
 * the previous version.
 */
public final class VersionDiff {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LongHashSet previous = new LongHashSet();
    private final LongHashSet current = new LongHashSet();
    private final MessageDigest sha;
    private long previousCount;
    private long added;

    public VersionDiff() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one split file of the previous version. */
    public void previous(InputStream split) {
        lines(split, true);
    }

    /** Reads one split file of the new version (after every previous split). */
    public void current(InputStream split) {
        lines(split, false);
    }

    private void lines(InputStream in, boolean prev) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                long h = hash(line);
                if (prev) {
                    if (previous.add(h)) {
                        previousCount++;
                    }
                } else if (current.add(h) && !previous.contains(h)) {
                    added++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The diff as report.json's {@code diff} section. */
    public Map<String, Object> result(String previousVersion, JsonNode previousCounts, Map<String, Long> currentCounts) {
        long kept = current.size() - added; // examples of the new version that were already there
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("previousVersion", previousVersion);
        m.put("examplesAdded", added);
        m.put("examplesRemoved", previousCount - kept);
        m.put("examplesUnchanged", kept);
        Map<String, Long> delta = new LinkedHashMap<>();
        currentCounts.forEach((k, v) -> {
            long before = previousCounts == null ? 0 : previousCounts.path(k).asLong(0);
            if (v != before) {
                delta.put(k, v - before);
            }
        });
        if (previousCounts != null) {
            previousCounts.fieldNames().forEachRemaining(k -> {
                if (!currentCounts.containsKey(k)) {
                    delta.put(k, -previousCounts.get(k).asLong());
                }
            });
        }
        m.put("countChanges", delta);
        return m;
    }

    private long hash(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n instanceof ObjectNode o) {
                o.remove("source");
                o.remove("flags");
            }
            return ByteBuffer.wrap(sha.digest(n.toString().getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (IOException e) {
            return ByteBuffer.wrap(sha.digest(line.getBytes(StandardCharsets.UTF_8))).getLong();
        }
    }
}
