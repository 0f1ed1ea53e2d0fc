package dev.tailor.ingest.connector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.common.json.Json;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.SourceSpec;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * New rows of an SQL query as JSONL, one object per row (column labels in lower case → values). Connection settings:
 * {@code url} (JDBC), {@code user}, {@code query} with one {@code ?} that the cursor is bound to and an ORDER BY of
 * the cursor column (e.g. {@code SELECT … FROM tickets WHERE updated_at > ? ORDER BY updated_at}),
 * {@code cursorColumn}, {@code cursorStart} (the value before the first row: 0, a timestamp…). The secret is the
 * password. The cursor is the cursor column's value in the last row pulled; rows that share it are never split
 * between two syncs.
 */
public final class JdbcConnector implements Connector {
    static final String KEY = "jdbc:cursor";
    private static final Pattern WHOLE = Pattern.compile("^-?\\d{1,18}$");

    @Override
    public Pull pull(SourceSpec spec, Map<String, String> cursor, Optional<String> secret, Limits limits) {
        String url = spec.setting("url", null);
        String query = spec.setting("query", null);
        String column = spec.setting("cursorColumn", null).toLowerCase(Locale.ROOT);
        check(spec);
        String from = cursor.getOrDefault(KEY, spec.setting("cursorStart", null));
        Properties props = new Properties();
        if (spec.setting("user", null) != null) {
            props.setProperty("user", spec.setting("user", null));
        }
        secret.ifPresent(s -> props.setProperty("password", s));
        int seconds = (int) Math.max(1, limits.timeout().toSeconds());
        DriverManager.setLoginTimeout(seconds);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rows = 0;
        String last = from;
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement st = c.prepareStatement(query)) {
            c.setReadOnly(true);
            st.setQueryTimeout(seconds);
            bind(st, from);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                int cursorIndex = -1;
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (meta.getColumnLabel(i).toLowerCase(Locale.ROOT).equals(column)) {
                        cursorIndex = i;
                    }
                }
                if (cursorIndex < 0) {
                    throw invalid("cursorColumn", "the query's result has no column '" + column + "' (cursorColumn);"
                            + " select it");
                }
                while (rs.next()) {
                    String value = cursorValue(rs.getObject(cursorIndex));
                    if (rows >= limits.maxRecords() && !Objects.equals(value, last)) {
                        break; // the rest waits for the next sync; rows sharing a cursor value stay together
                    }
                    ObjectNode row = Json.mapper().createObjectNode();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        put(row, meta.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getObject(i));
                    }
                    out.write(Json.mapper().writeValueAsBytes(row));
                    out.write('\n');
                    rows++;
                    last = value;
                }
            }
        } catch (SQLException e) {
            throw failure(spec, url, e);
        } catch (java.io.IOException e) {
            throw new IngestFailure(IngestFailure.Reason.UPSTREAM, "Source unreadable", "a row of " + url
                    + " could not be written as JSON: " + e.getMessage()).with("sourceId", spec.id());
        }
        Map<String, String> next = rows == 0 ? cursor : Map.of(KEY, last);
        if (rows == 0) {
            return Pull.nothing(next);
        }
        return new Pull(out.toByteArray(), "rows.jsonl", "application/x-ndjson", rows, next);
    }

    @Override
    public void check(SourceSpec spec) {
        String url = spec.setting("url", null);
        String query = spec.setting("query", null);
        if (!url.startsWith("jdbc:")) {
            throw invalid("url", "connection setting 'url' must be a JDBC URL (jdbc:postgresql://host/db,"
                    + " jdbc:h2:…), got '" + url + "'");
        }
        if (query.chars().filter(c -> c == '?').count() != 1 || !query.toLowerCase(Locale.ROOT).contains("order by")) {
            throw invalid("query", "connection setting 'query' must have exactly one '?' (bound to the cursor) and"
                    + " ORDER BY the cursor column, e.g. SELECT id, subject, question, answer, updated_at FROM tickets"
                    + " WHERE updated_at > ? ORDER BY updated_at");
        }
    }

    private static void bind(PreparedStatement st, String value) throws SQLException {
        if (WHOLE.matcher(value).matches()) {
            st.setLong(1, Long.parseLong(value));
            return;
        }
        try {
            st.setTimestamp(1, Timestamp.valueOf(value));
            return;
        } catch (IllegalArgumentException ignored) {
            // not yyyy-mm-dd hh:mm:ss[.f]
        }
        try {
            st.setTimestamp(1, Timestamp.from(Instant.parse(value)));
            return;
        } catch (DateTimeParseException ignored) {
            // not an ISO instant
        }
        st.setString(1, value);
    }

    private static String cursorValue(Object v) {
        if (v instanceof Timestamp t) {
            return t.toString();
        }
        if (v instanceof java.time.OffsetDateTime o) {
            return o.toInstant().toString();
        }
        if (v instanceof java.time.LocalDateTime l) {
            return Timestamp.valueOf(l).toString();
        }
        return v == null ? null : v.toString();
    }

    private static void put(ObjectNode row, String field, Object v) throws SQLException {
        if (v == null) {
            row.putNull(field);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            row.put(field, ((Number) v).longValue());
        } else if (v instanceof BigDecimal d) {
            row.put(field, d);
        } else if (v instanceof Number n) {
            row.put(field, n.doubleValue());
        } else if (v instanceof Boolean b) {
            row.put(field, b);
        } else if (v instanceof Timestamp t) {
            row.put(field, t.toInstant().toString());
        } else if (v instanceof Clob clob) {
            row.put(field, clob.getSubString(1, (int) Math.min(Integer.MAX_VALUE, clob.length())));
        } else if (v instanceof byte[] bytes) {
            row.put(field, new String(bytes, StandardCharsets.UTF_8));
        } else {
            row.put(field, v.toString());
        }
    }

    private static IngestFailure failure(SourceSpec spec, String url, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        IngestFailure f;
        if (e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
            f = new IngestFailure(IngestFailure.Reason.INVALID, "Unknown JDBC URL", "no JDBC driver here takes '" + url
                    + "'; this service has drivers for PostgreSQL (jdbc:postgresql:) and H2 (jdbc:h2:)");
        } else if (state.startsWith("28")) {
            f = new IngestFailure(IngestFailure.Reason.UPSTREAM, "Source refused the credentials", url + " refused the"
                    + " login of '" + spec.setting("user", null) + "' with secret '" + spec.credentialsRef() + "': "
                    + e.getMessage());
        } else if (state.startsWith("42") || state.startsWith("22") || state.startsWith("90")) {
            f = new IngestFailure(IngestFailure.Reason.UPSTREAM, "Query failed", "the query of the source failed on "
                    + url + " (SQLState " + state + "): " + e.getMessage() + "; fix the 'query' setting");
        } else {
            f = new IngestFailure(IngestFailure.Reason.UPSTREAM, "Source unreachable", url + " could not be read"
                    + " (SQLState " + state + "): " + Connectors.cause(e) + "; check the URL and that the database"
                    + " is up, then sync again");
        }
        return f.with("sourceId", spec.id()).with("sqlState", state.isEmpty() ? null : state);
    }

    private static IngestFailure invalid(String field, String detail) {
        return new IngestFailure(IngestFailure.Reason.INVALID, "Invalid connection setting", detail)
                .with("field", "connection." + field);
    }
}
