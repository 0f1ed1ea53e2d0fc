package dev.tailor.ingest.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.source.InputFormat;
import dev.tailor.ingest.config.IngestSettings;
import dev.tailor.ingest.domain.DatasetStatus;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.Inspection;
import dev.tailor.ingest.domain.UploadRequest;
import dev.tailor.ingest.messaging.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.io.input.BoundedInputStream;
import org.jboss.logging.Logger;

/**
 * Takes an upload from a stream into {@code {tenant}/raw/{datasetId}/{file}} (never holding it whole
 * in memory), checks it the way cleaning will read it, writes manifest.json and the status document,
 * then publishes {@code DatasetIngested}. Anything that fails on the way deletes what was written.
 * Identical content (same SHA-256, same tenant) is recognized through
 * {@code {tenant}/index/sha256/{hash}.json} and answered with the existing dataset.
 */
@ApplicationScoped
public class Ingestor {
    private static final Logger LOG = Logger.getLogger(Ingestor.class);
    /** The first bytes of an upload, which its format is detected from. */
    private static final int HEAD_BYTES = 8192;

    @Inject
    ObjectStore store;

    @Inject
    IngestSettings settings;

    @Inject
    StatusStore statuses;

    @Inject
    EventPublisher publisher;

    /** The outcome: the dataset (new, or the existing one for identical content) and what to answer. */
    public record Result(String datasetId, boolean duplicate, Map<String, Object> body) {
    }

    public Result upload(UploadRequest req, InputStream body) {
        return upload(req, body, Map.of());
    }

    /**
     * @param refs reference tables (file name → local file) for the dataset's incomplete-record lookups,
     *     stored under {@code raw/{datasetId}/ref/}
     */
    public Result upload(UploadRequest req, InputStream body, Map<String, java.nio.file.Path> refs) {
        return upload(req, body, refs, null);
    }

    /**
     * @param versionOf an existing dataset this upload is a new version of (null = a new dataset): its raw
     *     objects go under {@code raw/{datasetId}/versions/{uploadId}/}, and without cleaning settings or
     *     reference tables of its own it keeps those of the dataset's newest upload
     */
    public Result upload(UploadRequest req, InputStream body, Map<String, java.nio.file.Path> refs, String versionOf) {
        ObjectLayout layout = new ObjectLayout(req.tenant());
        String previousUpload = versionOf == null ? null : newestUpload(layout, versionOf);
        UploadRequest inherited = req;
        if (previousUpload != null && req.cleaningConfig() == null && store.exists(previousUpload + "cleaning.json")) {
            inherited = req.withCleaningConfig(store.getString(previousUpload + "cleaning.json"));
        }
        CleaningConfig cleaning = parseCleaningConfig(inherited.cleaningConfig());
        String uploadId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String datasetId = versionOf == null ? "ds-" + uploadId : versionOf;
        String prefix = versionOf == null ? layout.rawPrefix(datasetId) : layout.rawVersionPrefix(datasetId, "u-" + uploadId);
        String rawKey = prefix + req.fileName();
        req = inherited;
        MessageDigest sha = sha256();
        long limit = settings.maxUploadBytes();
        BoundedInputStream bounded = bounded(body, limit);
        boolean done = false;
        try {
            byte[] head;
            try {
                head = bounded.readNBytes(HEAD_BYTES); // for format detection
                try (InputStream in = new DigestInputStream(new SequenceInputStream(new ByteArrayInputStream(head), bounded), sha)) {
                    store.put(rawKey, in, -1, req.contentType() == null ? "application/octet-stream" : req.contentType());
                }
            } catch (StorageException | IOException e) {
                throw uploadFailure(e, req.fileName(), bounded.getCount(), limit);
            }
            long size = bounded.getCount();
            String hash = HexFormat.of().formatHex(sha.digest());
            if (size == 0) {
                throw new IngestFailure(400, "Empty upload", "'" + req.fileName() + "' has no bytes; send the JSONL file as the"
                        + " request body or as the multipart part 'file'").with("file", req.fileName());
            }
            Optional<String> existing = existing(req.tenant(), hash);
            if (existing.isPresent()) {
                store.deletePrefix(prefix);
                done = true;
                return duplicate(req, existing.get(), hash);
            }
            Inspection inspection = inspect(req, rawKey, head, cleaning);
            for (Map.Entry<String, java.nio.file.Path> ref : refs.entrySet()) {
                try (InputStream in = java.nio.file.Files.newInputStream(ref.getValue())) {
                    store.put(prefix + "ref/" + UploadRequest.sanitizeName(ref.getKey()), in,
                            java.nio.file.Files.size(ref.getValue()), "text/csv");
                } catch (IOException e) {
                    throw new IngestFailure(400, "Unreadable reference table", "cannot read '" + ref.getKey() + "': " + e.getMessage());
                }
            }
            if (previousUpload != null) {
                inheritSettings(previousUpload, prefix, false, refs.isEmpty());
            }
            if (req.cleaningConfig() != null) {
                store.putString(prefix + "cleaning.json", req.cleaningConfig(), "application/json");
            }
            DatasetIngested event = DatasetIngested.create(req.tenant(), datasetId, req.name(), store.uri(prefix),
                    store.uri(ObjectLayout.manifest(prefix)), inspection.formatName(), inspection.records(), hash,
                    req.autoTrain(), req.baseModel());
            Map<String, Object> manifest = manifest(event, req, size, inspection, List.of(Map.of("key", rawKey, "size", size, "sha256", hash)));
            store.putJson(ObjectLayout.manifest(prefix), manifest);
            statuses.put(DatasetStatus.ingested(event, Map.of("bytes", size, "rejectedRecords", inspection.rejected(),
                    "source", req.source())));
            store.putJson(indexKey(req.tenant(), hash), Map.of("datasetId", datasetId, "created", Instant.now().toString()));
            try {
                publisher.publish(event);
            } catch (RuntimeException e) {
                store.delete(indexKey(req.tenant(), hash));
                statuses.delete(req.tenant(), datasetId);
                throw new IngestFailure(503, "Event bus unavailable", "the dataset could not be announced to the pipeline ("
                        + e.getMessage() + "); nothing was kept, retry the upload later");
            }
            done = true;
            LOG.infof("ingested %s (%s, %d %s records, %d bytes) as %s", req.fileName(), req.tenant(), inspection.records(),
                    inspection.formatName(), size, datasetId);
            return new Result(datasetId, false, response(event, size, inspection, req));
        } finally {
            if (!done) {
                try {
                    store.deletePrefix(prefix);
                } catch (RuntimeException e) {
                    LOG.warnf("could not delete %s after a failed upload: %s", prefix, e.getMessage());
                }
            }
        }
    }

    /** Copies cleaning.json and/or the reference tables (ref/) of one upload's raw prefix to another's. */
    void inheritSettings(String fromPrefix, String toPrefix, boolean cleaning, boolean refs) {
        if (cleaning && store.exists(fromPrefix + "cleaning.json")) {
            store.putString(toPrefix + "cleaning.json", store.getString(fromPrefix + "cleaning.json"), "application/json");
        }
        if (refs) {
            for (ObjectInfo ref : store.list(fromPrefix + "ref/")) {
                try (InputStream in = store.get(ref.key())) {
                    store.put(toPrefix + "ref/" + ref.key().substring(ref.key().lastIndexOf('/') + 1), in, ref.size(), "text/csv");
                } catch (IOException e) {
                    throw new StorageException("copying reference table " + ref.key() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The raw prefix of the newest upload of {@code datasetId} (its first upload or a later version), by the
     * creation time in their manifests; a 404 problem when the dataset does not exist.
     */
    String newestUpload(ObjectLayout layout, String datasetId) {
        String root;
        try {
            root = layout.rawPrefix(datasetId);
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(400, "Invalid dataset id", e.getMessage()).with("datasetId", datasetId);
        }
        String newest = null;
        String newestCreated = "";
        for (ObjectInfo o : store.list(root)) {
            String rel = o.key().substring(root.length());
            if (rel.equals("manifest.json") || rel.startsWith(ObjectLayout.RAW_VERSIONS) && rel.endsWith("/manifest.json")
                    && rel.indexOf('/', ObjectLayout.RAW_VERSIONS.length()) == rel.length() - "/manifest.json".length()) {
                String created = store.getJson(o.key(), JsonNode.class).path("created").asText("");
                if (newest == null || created.compareTo(newestCreated) > 0) {
                    newest = o.key().substring(0, o.key().length() - "manifest.json".length());
                    newestCreated = created;
                }
            }
        }
        if (newest == null) {
            throw new IngestFailure(404, "Unknown dataset", "no dataset '" + datasetId + "' for tenant '" + layout.tenant()
                    + "' to add a version to; upload a new dataset with POST /v1/datasets, or list them with GET /v1/datasets")
                    .with("datasetId", datasetId);
        }
        return newest;
    }

    private Inspection inspect(UploadRequest req, String rawKey, byte[] head, CleaningConfig cleaning) {
        InputFormat format = InputFormat.detect(req.fileName(), req.contentType(), head, head.length);
        if (format == InputFormat.EMPTY) {
            throw new IngestFailure(400, "Empty upload", "'" + req.fileName() + "' contains only whitespace")
                    .with("file", req.fileName());
        }
        if (!format.supported()) {
            throw new IngestFailure(415, "Unsupported format", "'" + req.fileName() + "' looks like " + format
                    + " (detected from its first bytes), which this version cannot read; send JSONL (one JSON object per line),"
                    + " CSV/TSV with a header row, Parquet, plain text, Markdown, HTML, a document (PDF, Word, PowerPoint, Excel,"
                    + " OpenDocument, RTF), e-mail (.eml, mbox) or a zip/tar.gz of these").with("file", req.fileName())
                    .with("detectedFormat", format.name().toLowerCase()).with("offset", 0);
        }
        Inspection inspection;
        try (InputStream in = store.get(rawKey)) {
            inspection = Inspection.of(req.fileName(), req.contentType(), in, cleaning);
        } catch (IOException e) {
            throw new StorageException("reading back " + rawKey + ": " + e.getMessage(), e);
        }
        if (inspection.records() == 0) {
            IngestFailure f = new IngestFailure(422, "No usable records", "'" + req.fileName() + "' was read as "
                    + inspection.formatName() + " but none of its records can become a training example"
                    + (inspection.problems().isEmpty() ? "" : "; first problem at line " + inspection.problems().get(0).line()
                    + ": " + inspection.problems().get(0).reason()))
                    .with("file", req.fileName()).with("format", inspection.formatName())
                    .with("rejectedRecords", inspection.rejected());
            if (!inspection.problems().isEmpty()) {
                f.with("line", inspection.problems().get(0).line()).with("problems", inspection.problems());
            }
            throw f;
        }
        return inspection;
    }

    private Result duplicate(UploadRequest req, String datasetId, String hash) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("datasetId", datasetId);
        body.put("status", "/v1/datasets/" + datasetId);
        body.put("duplicate", true);
        body.put("contentSha256", hash);
        body.put("message", "identical content (same SHA-256) was already ingested as dataset " + datasetId
                + "; no new dataset was created and no event was published");
        LOG.infof("upload %s is identical to dataset %s", req.fileName(), datasetId);
        return new Result(datasetId, true, body);
    }

    private Optional<String> existing(String tenant, String hash) {
        String key = indexKey(tenant, hash);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        String id = store.getJson(key, JsonNode.class).path("datasetId").asText(null);
        return id != null && statuses.get(tenant, id).isPresent() ? Optional.of(id) : Optional.empty();
    }

    static String indexKey(String tenant, String hash) {
        return tenant + "/index/sha256/" + hash + ".json";
    }

    static Map<String, Object> manifest(DatasetIngested e, UploadRequest req, long size, Inspection inspection,
                                        List<Map<String, Object>> files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datasetId", e.datasetId());
        m.put("name", e.name());
        m.put("tenant", e.tenant());
        m.put("source", Map.of("type", req.source(), "fileName", req.fileName(),
                "contentType", req.contentType() == null ? "" : req.contentType()));
        m.put("format", e.format());
        m.put("records", e.records());
        m.put("rejectedRecords", inspection.rejected());
        m.put("contentSha256", e.contentSha256());
        m.put("size", size);
        m.put("files", files);
        m.put("autoTrain", e.autoTrain());
        if (e.baseModel() != null) {
            m.put("baseModel", e.baseModel());
        }
        m.put("created", e.occurredAt().toString());
        m.put("producedBy", "ingest-service");
        m.put("event", Json.mapper().valueToTree(e));
        return m;
    }

    private static Map<String, Object> response(DatasetIngested e, long size, Inspection inspection, UploadRequest req) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("datasetId", e.datasetId());
        b.put("status", "/v1/datasets/" + e.datasetId());
        b.put("name", e.name());
        b.put("tenant", e.tenant());
        b.put("file", req.fileName());
        b.put("format", e.format());
        b.put("records", e.records());
        b.put("rejectedRecords", inspection.rejected());
        if (!inspection.problems().isEmpty()) {
            b.put("problems", inspection.problems());
        }
        b.put("bytes", size);
        b.put("contentSha256", e.contentSha256());
        b.put("raw", e.rawPrefix());
        b.put("manifest", e.manifest());
        b.put("autoTrain", e.autoTrain());
        if (e.baseModel() != null) {
            b.put("baseModel", e.baseModel());
        }
        b.put("duplicate", false);
        return b;
    }

    /**
     * {@code body}, of which at most {@code limit} + 1 bytes are read: reading on then fails (see uploadFailure), so
     * that a too large upload is never stored whole.
     */
    private static BoundedInputStream bounded(InputStream body, long limit) {
        try {
            return BoundedInputStream.builder().setInputStream(body).setMaxCount(limit + 1).setOnMaxCount((max, count) -> {
                throw new IOException("upload is larger than the limit of " + limit + " bytes");
            }).get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @param received bytes read from the upload: more than {@code limit} means it was too large */
    private static IngestFailure uploadFailure(Exception e, String file, long received, long limit) {
        if (received > limit) {
            return new IngestFailure(413, "Upload too large", "'" + file + "' is larger than the limit of "
                    + limit + " bytes (tailor.ingest.max-upload-bytes); split it into several datasets"
                    + " or ask the operator to raise the limit").with("file", file).with("limit", limit)
                    .with("offset", received);
        }
        return new IngestFailure(503, "Upload not stored", "storing '" + file + "' failed after " + received
                + " bytes: " + e.getMessage() + "; nothing was kept, send it again").with("file", file).with("offset", received);
    }

    static CleaningConfig parseCleaningConfig(String json) {
        if (json == null || json.isBlank()) {
            return CleaningConfig.defaults();
        }
        try {
            return CleaningConfig.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(400, "Invalid cleaning config", "the 'cleaning' settings are not valid: "
                    + e.getMessage()).with("part", "cleaning");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
