package dev.tailor.dataprep.example;

/** Where an example came from: a file (object key or file name) and a 1-based line, or a message id. */
public record SourceRef(String file, long line, String id) {
    public static SourceRef line(String file, long line) {
        return new SourceRef(file, line, null);
    }

    @Override
    public String toString() {
        return id == null ? file + ":" + line : file + "#" + id;
    }
}
