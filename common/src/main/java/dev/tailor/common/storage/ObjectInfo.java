package dev.tailor.common.storage;

import java.time.Instant;

/**
 * What a store knows about an object. The ETag of a multipart object is not its MD5, and on some servers (s3proxy)
 * differs from what the upload returned: compare content hashes, not ETags.
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified) {
}
