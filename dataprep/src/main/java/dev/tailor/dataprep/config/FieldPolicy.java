package dev.tailor.dataprep.config;

/**
 * What to do when a source field is missing or empty.
 *
 * @param action {@code drop} the record, fill a {@code default} value, {@code lookup} the value in a
 *     reference table (CSV with a header) joined on another field, or {@code flag} it and keep the record
 * @param value the default value (action default)
 * @param table reference table file name (action lookup): a local path for {@code tailor clean}, a file
 *     under the dataset's {@code ref/} folder for the service
 * @param key the record's field whose value is looked up in the table's column of the same name
 *     (or in {@code tableKey})
 * @param tableKey the table's key column (default: {@code key})
 * @param column the table column that fills the field (default: the field's name)
 */
public record FieldPolicy(String action, String value, String table, String key, String tableKey, String column) {
    public FieldPolicy {
        if (action == null || !java.util.Set.of("drop", "default", "lookup", "flag").contains(action)) {
            throw new IllegalArgumentException("field policy action must be drop, default, lookup or flag, got '" + action + "'");
        }
        if (action.equals("default") && value == null) {
            throw new IllegalArgumentException("field policy 'default' needs a value");
        }
        if (action.equals("lookup") && (table == null || key == null)) {
            throw new IllegalArgumentException("field policy 'lookup' needs table and key (e.g. {\"action\":\"lookup\","
                    + "\"table\":\"catalog.csv\",\"key\":\"sku\",\"column\":\"name\"})");
        }
    }
}
