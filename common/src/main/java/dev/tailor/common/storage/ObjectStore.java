package dev.tailor.common.storage;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import dev.tailor.common.json.Json;
import dev.tailor.common.values.S3Uri;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadPartResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.DeleteError;
import io.minio.messages.DeleteObject;
import io.minio.messages.Item;
import io.minio.messages.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The one bucket of Tailor objects, on the MinIO client with path-style requests (works with MinIO, s3proxy,
 * AWS S3). Thread-safe. Every failure is an unchecked {@link StorageException} naming the object.
 */
public final class ObjectStore {
    /** Part size of streamed uploads of unknown length: 16 MiB buffered per upload, objects up to 160 GiB. */
    public static final long PART_SIZE = 16L * 1024 * 1024;
    /** The first size of a part buffer, which grows as data arrives (see {@link #fill}). */
    static final int FIRST_BUFFER = 64 * 1024;
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "NoSuchBucket", "NotFound");

    private final MinioClient client;
    private final MinioAsyncClient asyncClient;
    private final String bucket;
    private final String region;
    private final String endpoint;

    public ObjectStore(String endpoint, String accessKey, String secretKey, String bucket, String region) {
        this.bucket = new S3Uri(bucket, "").bucket();
        this.region = region;
        this.endpoint = endpoint;
        this.client = MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region(region).build();
        this.client.disableVirtualStyleEndpoint();
        this.asyncClient = MinioAsyncClient.builder().endpoint(endpoint).credentials(accessKey, secretKey)
                .region(region).build();
        this.asyncClient.disableVirtualStyleEndpoint();
    }

    public static ObjectStore connect(StorageSettings settings) {
        return new ObjectStore(settings.endpoint(), settings.accessKey(), settings.secretKey(), settings.bucket(),
                settings.region());
    }

    public String bucket() {
        return bucket;
    }

    public String endpoint() {
        return endpoint;
    }

    /** {@code s3://bucket/key} of a key in this store's bucket. */
    public String uri(String key) {
        return new S3Uri(bucket, key).toString();
    }

    /** The key of an {@code s3://} URI that must point into this store's bucket. */
    public String keyOf(String s3Uri) {
        S3Uri uri = S3Uri.parse(s3Uri);
        if (!uri.bucket().equals(bucket)) {
            throw new IllegalArgumentException("'" + s3Uri + "' is in bucket '" + uri.bucket() + "' but this store"
                    + " only reads bucket '" + bucket + "' (tailor.storage.bucket)");
        }
        return uri.key();
    }

    public boolean bucketExists() {
        return call("check bucket " + bucket, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
    }

    /** Creates the bucket when it does not exist yet. */
    public void ensureBucket() {
        call("create bucket " + bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).region(region).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    /**
     * Writes an object from a stream; {@code size} -1 streams it in {@link #PART_SIZE} parts without knowing the
     * length (a multipart upload, also for known sizes above one part). A failed upload leaves no (new) object and
     * no pending multipart upload behind.
     *
     * @return the object's s3 URI
     */
    public String put(String key, InputStream in, long size, String contentType) {
        String type = contentType == null ? OCTET_STREAM : contentType;
        call("put " + uri(key), () -> {
            if (size >= 0 && size <= PART_SIZE) {
                return client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, size, -1)
                        .contentType(type).build());
            }
            putMultipart(key, in, size, type);
            return null;
        });
        return uri(key);
    }

    /**
     * Reads up to {@link #PART_SIZE} bytes into {@code holder[0]}, growing it (from {@link #FIRST_BUFFER}, doubling)
     * only as data arrives: a slow or stalled client holds the memory of what it sent, not a whole part.
     *
     * @return how many bytes were read (less than a part only at the end of the stream)
     */
    private static int fill(InputStream in, byte[][] holder) throws java.io.IOException {
        byte[] buf = holder[0];
        int length = 0;
        while (true) {
            if (length == buf.length) {
                if (buf.length >= PART_SIZE) {
                    return length;
                }
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(PART_SIZE, 2L * buf.length));
                holder[0] = buf;
            }
            int n = in.read(buf, length, buf.length - length);
            if (n < 0) {
                return length;
            }
            length += n;
        }
    }

    /** Streams {@code in} in parts of {@link #PART_SIZE}; aborts the upload on any failure, so nothing stays. */
    private void putMultipart(String key, InputStream in, long size, String contentType) throws Exception {
        byte[][] holder = {new byte[FIRST_BUFFER]};
        int length = fill(in, holder);
        byte[] part = holder[0];
        if (length < PART_SIZE && size < 0) { // small after all: one request
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(part, 0, length), length, -1).contentType(contentType).build());
            return;
        }
        Multimap<String, String> headers = HashMultimap.create();
        headers.put("Content-Type", contentType);
        String uploadId = asyncClient.createMultipartUploadAsync(bucket, region, key, headers, HashMultimap.create())
                .get().result().uploadId();
        try {
            List<Part> parts = new ArrayList<>();
            long total = 0;
            while (length > 0) {
                UploadPartResponse uploaded = asyncClient.uploadPartAsync(bucket, region, key, part, length, uploadId,
                        parts.size() + 1, HashMultimap.create(), HashMultimap.create()).get();
                parts.add(new Part(parts.size() + 1, uploaded.etag()));
                total += length;
                length = fill(in, holder);
                part = holder[0];
            }
            if (size >= 0 && total != size) {
                throw new IOException("the stream had " + total + " bytes but the caller said " + size);
            }
            asyncClient.completeMultipartUploadAsync(bucket, region, key, uploadId, parts.toArray(new Part[0]),
                    HashMultimap.create(), HashMultimap.create()).get();
        } catch (Exception e) {
            try {
                asyncClient.abortMultipartUploadAsync(bucket, region, key, uploadId, HashMultimap.create(),
                        HashMultimap.create()).get();
            } catch (Exception abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    public String putBytes(String key, byte[] bytes, String contentType) {
        return put(key, new ByteArrayInputStream(bytes), bytes.length, contentType);
    }

    /** Writes {@code value} as JSON with {@link Json#mapper()}. */
    public String putJson(String key, Object value) {
        return putBytes(key, Json.write(value).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public String putString(String key, String text, String contentType) {
        return putBytes(key, text.getBytes(StandardCharsets.UTF_8), contentType);
    }

    /** Opens an object for reading; the caller closes the stream. */
    public InputStream get(String key) {
        return call("get " + uri(key), () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    public byte[] getBytes(String key) {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("cannot read " + uri(key) + ": " + e.getMessage(), e);
        }
    }

    public String getString(String key) {
        return new String(getBytes(key), StandardCharsets.UTF_8);
    }

    public <T> T getJson(String key, Class<T> type) {
        return Json.read(getBytes(key), type);
    }

    public Optional<ObjectInfo> stat(String key) {
        try {
            StatObjectResponse s = call("stat " + uri(key),
                    () -> client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
            return Optional.of(new ObjectInfo(key, s.size(), s.etag(), s.lastModified().toInstant()));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Every object under {@code prefix} (recursively), in key order. */
    public List<ObjectInfo> list(String prefix) {
        return call("list " + uri(prefix), () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    Instant modified = item.lastModified() == null ? null : item.lastModified().toInstant();
                    out.add(new ObjectInfo(item.objectName(), item.size(), item.etag(), modified));
                }
            }
            return out;
        });
    }

    /** The folders right under {@code prefix} (e.g. the tenants, for {@code ""}), each ending in {@code /}. */
    public List<String> folders(String prefix) {
        return call("list folders of " + uri(prefix), () -> {
            List<String> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .delimiter("/").recursive(false).build())) {
                Item item = r.get();
                if (item.isDir()) {
                    out.add(item.objectName());
                }
            }
            return out;
        });
    }

    /** Deletes an object; deleting a missing object is not an error. */
    public void delete(String key) {
        call("delete " + uri(key), () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    /** Deletes every object under {@code prefix}; returns how many. */
    public int deletePrefix(String prefix) {
        List<DeleteObject> objects = list(prefix).stream().map(o -> new DeleteObject(o.key())).toList();
        if (objects.isEmpty()) {
            return 0;
        }
        return call("delete " + uri(prefix) + "*", () -> {
            for (Result<DeleteError> r : client.removeObjects(RemoveObjectsArgs.builder().bucket(bucket)
                    .objects(objects).build())) {
                DeleteError error = r.get();
                throw new StorageException("cannot delete " + uri(error.objectName()) + ": " + error.message());
            }
            return objects.size();
        });
    }

    /** Server-side copy inside the bucket (objects up to 5 GiB). */
    public void copy(String sourceKey, String targetKey) {
        call("copy " + uri(sourceKey) + " to " + uri(targetKey), () -> client.copyObject(CopyObjectArgs.builder()
                .bucket(bucket).object(targetKey)
                .source(CopySource.builder().bucket(bucket).object(sourceKey).build()).build()));
    }

    /** Downloads every object under {@code prefix} into {@code dir}, keeping the relative paths. */
    public List<Path> downloadPrefix(String prefix, Path dir) {
        List<Path> files = new ArrayList<>();
        Path root = dir.toAbsolutePath().normalize();
        for (ObjectInfo info : list(prefix)) {
            Path target = root.resolve(info.key().substring(prefix.length())).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new StorageException("object " + uri(info.key()) + " does not map to a file under " + root);
            }
            try (InputStream in = get(info.key())) {
                Files.createDirectories(target.getParent());
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new StorageException("cannot download " + uri(info.key()) + " to " + target + ": " + e, e);
            }
            files.add(target);
        }
        return files;
    }

    /** Uploads every regular file under {@code dir} to {@code prefix + relative path}; returns the keys. */
    public List<String> uploadDirectory(Path dir, String prefix) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new StorageException("cannot read directory " + dir + ": " + e, e);
        }
        List<String> keys = new ArrayList<>();
        for (Path file : files) {
            String key = prefix + dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            try (InputStream in = Files.newInputStream(file)) {
                put(key, in, Files.size(file), contentType(file));
            } catch (IOException e) {
                throw new StorageException("cannot upload " + file + " to " + uri(key) + ": " + e, e);
            }
            keys.add(key);
        }
        return keys;
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return "application/json";
        } else if (name.endsWith(".jsonl")) {
            return "application/x-ndjson";
        } else if (name.endsWith(".html")) {
            return "text/html";
        } else if (name.endsWith(".txt") || name.endsWith(".md")) {
            return "text/plain";
        }
        return OCTET_STREAM;
    }

    private <T> T call(String what, MinioCall<T> call) {
        try {
            try {
                return call.run();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        } catch (StorageException e) {
            throw e;
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            String message = "cannot " + what + " at " + endpoint + ": " + code + " " + e.errorResponse().message();
            throw NOT_FOUND.contains(code) ? new ObjectNotFoundException(message, e) : new StorageException(message, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted: " + what, e);
        } catch (Exception e) {
            throw new StorageException("cannot " + what + " at " + endpoint + ": " + e, e);
        }
    }

    @FunctionalInterface
    private interface MinioCall<T> {
        T run() throws Exception;
    }
}
