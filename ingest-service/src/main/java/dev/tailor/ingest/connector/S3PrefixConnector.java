package dev.tailor.ingest.connector;

import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.SourceSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * New or changed objects under an S3 prefix: one object as itself, several as one zip (entries named by their key
 * under the prefix), which the upload pipeline reads entry by entry. Connection settings: {@code endpoint},
 * {@code bucket}, {@code prefix} (default: the whole bucket), {@code accessKey}, {@code region} (default
 * us-east-1). The secret is the secret key. The cursor keeps every key pulled with its ETag ({@code "s3:" + key →
 * etag}): an object whose ETag changed is pulled again, a deleted one is forgotten.
 */
public final class S3PrefixConnector implements Connector {
    private static final String KEY = "s3:";

    @Override
    public Pull pull(SourceSpec spec, Map<String, String> cursor, Optional<String> secret, Limits limits) {
        String endpoint = spec.setting("endpoint", null);
        String bucket = spec.setting("bucket", null);
        String prefix = spec.setting("prefix", "");
        ObjectStore source;
        try {
            source = new ObjectStore(endpoint, spec.setting("accessKey", ""), secret.orElse(""), bucket,
                    spec.setting("region", "us-east-1"));
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid connection setting", "endpoint '" + endpoint
                    + "' or bucket '" + bucket + "' is not valid: " + e.getMessage()).with("field", "connection.bucket");
        }
        try {
            List<ObjectInfo> all = source.list(prefix);
            Map<String, String> next = new HashMap<>();
            for (ObjectInfo o : all) {
                String seen = cursor.get(KEY + o.key());
                if (seen != null) {
                    next.put(KEY + o.key(), seen); // still there: kept in the cursor; deleted ones are forgotten
                }
            }
            List<ObjectInfo> fresh = new ArrayList<>(all.stream().filter(o -> !o.key().endsWith("/"))
                    .filter(o -> !o.etag().equals(cursor.get(KEY + o.key()))).toList());
            fresh.sort(Comparator.comparing(ObjectInfo::key));
            if (fresh.size() > limits.maxRecords()) {
                fresh = fresh.subList(0, limits.maxRecords());
            }
            if (fresh.isEmpty()) {
                return Pull.nothing(next);
            }
            fresh.forEach(o -> next.put(KEY + o.key(), o.etag()));
            if (fresh.size() == 1) {
                ObjectInfo o = fresh.get(0);
                return new Pull(source.getBytes(o.key()), o.key().substring(o.key().lastIndexOf('/') + 1), null, 1, next);
            }
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
                for (ObjectInfo o : fresh) {
                    ZipEntry entry = new ZipEntry(o.key().substring(prefix.length()).replaceFirst("^/+", ""));
                    entry.setTime(0); // the same objects give the same bytes
                    zip.putNextEntry(entry);
                    try (InputStream in = source.get(o.key())) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                }
            }
            return new Pull(buffer.toByteArray(), "objects.zip", "application/zip", fresh.size(), next);
        } catch (StorageException | IOException e) {
            throw new IngestFailure(IngestFailure.Reason.UPSTREAM, "Source unreachable", "s3://" + bucket + "/" + prefix
                    + " at " + endpoint + " could not be read: " + Connectors.cause(e) + "; check endpoint, bucket,"
                    + " access key and the secret '" + spec.credentialsRef() + "', then sync again")
                    .with("sourceId", spec.id());
        }
    }
}
