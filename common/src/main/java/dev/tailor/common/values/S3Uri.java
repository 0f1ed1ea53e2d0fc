package dev.tailor.common.values;

/**
 * A reference to an object or prefix: {@code s3://bucket/key}. The key may be empty (the whole bucket) or end
 * in '/' (a prefix).
 */
public record S3Uri(String bucket, String key) {
    private static final String SCHEME = "s3://";

    public S3Uri {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("bucket must be 3-63 lowercase letters, digits, '.' or '-' (S3 bucket"
                    + " naming rules), got " + (bucket == null ? "nothing" : "'" + bucket + "'"));
        }
        key = key == null ? "" : key;
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("object key must not start with '/', got '" + key + "'");
        }
    }

    /** Parses {@code s3://bucket/key}; throws IllegalArgumentException saying what is expected. */
    public static S3Uri parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("expected an S3 URI like s3://bucket/path/to/object, got "
                    + (uri == null ? "nothing" : "'" + uri + "'"));
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Uri(rest, "") : new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The same bucket with {@code relative} appended to this key (which should be a prefix ending in '/'). */
    public S3Uri resolve(String relative) {
        return new S3Uri(bucket, key + relative);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
