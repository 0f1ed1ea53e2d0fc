package dev.tailor.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Output for people (aligned columns) or scripts ({@code --json}: the server's JSON, pretty-printed). */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... headers) {
        this.headers = List.of(headers);
    }

    public Table row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null || c instanceof JsonNode n && (n.isNull() || n.isMissingNode()) ? "-"
                    : c instanceof JsonNode n && n.isValueNode() ? n.asText() : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    public void print(PrintWriter out) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        line(out, headers, width);
        for (List<String> r : rows) {
            line(out, r, width);
        }
        if (rows.isEmpty()) {
            out.println("(none)");
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            sb.append(c).append(i == cells.size() - 1 ? "" : " ".repeat(width[i] - c.length() + 2));
        }
        out.println(sb.toString().stripTrailing());
    }

    /** The JSON as the server sent it, indented. */
    public static void json(PrintWriter out, JsonNode node) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node));
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code key: value} lines of an object's scalar fields (nested objects as compact JSON). */
    public static void fields(PrintWriter out, JsonNode node, String... names) {
        int w = 0;
        for (String n : names) {
            w = Math.max(w, n.length());
        }
        for (String n : names) {
            JsonNode v = node.path(n);
            if (v.isMissingNode() || v.isNull()) {
                continue;
            }
            out.println(n + ":" + " ".repeat(w - n.length() + 1) + (v.isValueNode() ? v.asText() : Json.write(v)));
        }
        out.flush();
    }
}
