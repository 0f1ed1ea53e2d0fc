package dev.tailor.ingest.service;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.common.storage.StorageException;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.source.InputFormat;
import dev.tailor.ingest.config.IngestSettings;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.IngestFailure.Reason;
import dev.tailor.ingest.domain.Inspection;
import dev.tailor.ingest.domain.UploadRequest;
import dev.tailor.ingest.storage.StatusStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Takes an upload from a stream into {@code {tenant}/raw/{datasetId}/{file}} (never holding it whole in memory),
 * reading it the way cleaning will read it while it streams to S3 (one pass: the upload is not read back), writes
 * the manifest (with the upload's training options) and the status entry, then stores {@code DatasetIngested} with
 * the upload ({@link Outbox}) and publishes it. Anything that fails before the event is stored deletes what was
 * written; once it is stored, the upload is kept and the event is published (now, or when the broker answers). Identical content (same SHA-256, same tenant) is
 * recognized through the content index ({@link ObjectLayout#contentIndex}) and answered with the existing dataset;
 * with cleaning settings other than those the earlier upload had, that upload is re-cleaned with them instead
 * ({@link Recleaner#uploadedAgain}: a new version of the existing dataset).
 */
@ApplicationScoped
public class Ingestor {
    private static final Logger LOG = Logger.getLogger(Ingestor.class);
    private static final int HEAD_BYTES = 8192;

    @Inject
    ObjectStore store;

    @Inject
    IngestSettings settings;

    @Inject
    StatusStore statuses;

    @Inject
    Outbox outbox;

    @Inject
    FeedbackIntake feedback;

    @Inject
    Audit audit;

    @Inject
    StorageQuota quota;

    @Inject
    Recleaner recleaner;

    /** The outcome: the dataset (new, or the existing one for identical content) and what to answer. */
    public record Result(String datasetId, boolean duplicate, Map<String, Object> body) {
    }

    public Result upload(UploadRequest req, InputStream body) {
        return upload(req, body, Map.of());
    }

    /**
     * @param refs reference tables (file name → local file) for the dataset's incomplete-record lookups,
     *     stored under the upload's {@link ObjectLayout#referenceTables ref/}
     */
    public Result upload(UploadRequest req, InputStream body, Map<String, Path> refs) {
        return upload(req, body, refs, null);
    }

    /**
     * @param versionOf an existing dataset this upload is a new version of (null = a new dataset): its raw
     *     objects go under {@code raw/{datasetId}/versions/{uploadId}/}, and without cleaning settings or
     *     reference tables of its own it keeps those of the dataset's newest upload
     */
    public Result upload(UploadRequest req, InputStream body, Map<String, Path> refs, String versionOf) {
        ObjectLayout layout = new ObjectLayout(req.tenant());
        String previousUpload = versionOf == null ? null : newestUpload(layout, versionOf);
        UploadRequest inherited = req;
        if (previousUpload != null && req.cleaningConfig() == null
                && store.exists(ObjectLayout.cleaningConfig(previousUpload))) {
            inherited = req.withCleaningConfig(store.getString(ObjectLayout.cleaningConfig(previousUpload)));
        }
        CleaningConfig cleaning = parseCleaningConfig(inherited.cleaningConfig());
        String uploadId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String datasetId = versionOf == null ? "ds-" + uploadId : versionOf;
        String prefix = versionOf == null ? layout.rawPrefix(datasetId) : layout.rawVersionPrefix(datasetId, "u-" + uploadId);
        String rawKey = ObjectLayout.uploadFile(prefix, req.fileName());
        req = inherited;
        MessageDigest sha = sha256();
        long room = quota.room(req.tenant());
        long limit = Math.min(settings.maxUploadBytes(), room);
        BoundedInputStream bounded = bounded(body, limit);
        boolean done = false;
        try {
            BufferedInputStream in = new BufferedInputStream(new DigestInputStream(bounded, sha), HEAD_BYTES * 2);
            InputFormat format = detect(req, in);
            Inspection inspection;
            try {
                UploadRequest r = req;
                inspection = StoreWhileReading.store(store, rawKey, contentType(req), in,
                        stream -> Inspection.of(r.fileName(), r.contentType(), stream, cleaning));
            } catch (StorageException | IOException | java.io.UncheckedIOException e) {
                if (bounded.getCount() > limit && limit == room) {
                    throw quota.exceeded(req.tenant(), bounded.getCount());
                }
                throw uploadFailure(e, req.fileName(), bounded.getCount(), limit);
            }
            long size = bounded.getCount();
            if (size > limit && limit == room) {
                throw quota.exceeded(req.tenant(), size);
            }
            if (size > limit) { // a reader that swallowed the failure: the count still says so
                throw uploadFailure(new IOException("upload is larger than the limit"), req.fileName(), size, limit);
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            Optional<String> existing = existing(layout, hash);
            if (existing.isPresent()) {
                store.deletePrefix(prefix);
                done = true;
                // the same bytes with other cleaning settings: the earlier upload re-cleaned with them
                Optional<Recleaner.Result> again = req.cleaningConfig() == null ? Optional.empty()
                        : recleaner.uploadedAgain(req.tenant(), req.principal(), existing.get(), hash, req.cleaningConfig());
                if (again.isPresent()) {
                    Map<String, Object> answer = new LinkedHashMap<>(again.get().body());
                    answer.put("duplicate", again.get().existing());
                    answer.put("contentSha256", hash);
                    answer.putIfAbsent("message", "identical content (same SHA-256) was already ingested as dataset "
                            + existing.get() + "; its raw data is re-cleaned with these cleaning settings as version "
                            + again.get().version());
                    return new Result(existing.get(), again.get().existing(), answer);
                }
                return duplicate(req, existing.get(), hash);
            }
            requireRecords(req, format, inspection);
            for (Map.Entry<String, Path> ref : refs.entrySet()) {
                try (InputStream table = Files.newInputStream(ref.getValue())) {
                    store.put(ObjectLayout.referenceTable(prefix, UploadRequest.sanitizeName(ref.getKey())), table,
                            Files.size(ref.getValue()), "text/csv");
                } catch (IOException e) {
                    throw new IngestFailure(Reason.INVALID, "Unreadable reference table", "cannot read '"
                            + ref.getKey() + "': " + e.getMessage());
                }
            }
            if (previousUpload != null) {
                inheritSettings(previousUpload, prefix, false, refs.isEmpty());
            }
            if (req.cleaningConfig() != null) {
                store.putString(ObjectLayout.cleaningConfig(prefix), req.cleaningConfig(), "application/json");
            }
            // a new version takes the feedback from production that is waiting for this dataset
            FeedbackIntake.Taken fromFeedback = versionOf == null ? null : feedback.take(layout, datasetId, prefix);
            int feedbackExamples = fromFeedback == null ? 0 : fromFeedback.examples();
            DatasetIngested event = DatasetIngested.create(req.tenant(), datasetId, req.name(), store.uri(prefix),
                    store.uri(ObjectLayout.manifest(prefix)), inspection.formatName(),
                    inspection.records() + feedbackExamples, hash).withPrincipal(req.principal());
            TrainingOptions training = new TrainingOptions(req.autoTrain(), req.baseModel(), null);
            List<Map<String, Object>> files = new java.util.ArrayList<>();
            files.add(Map.of("key", rawKey, "size", size, "sha256", hash));
            if (fromFeedback != null) {
                files.add(Map.of("key", fromFeedback.key(), "source", "feedback", "examples", feedbackExamples,
                        "review", "pending"));
            }
            store.putJson(ObjectLayout.manifest(prefix), manifest(event, req, size, inspection, training, files, null,
                    null));
            statuses.record(req.tenant(), datasetId, StatusEntry.ingested(event, Map.of("bytes", size,
                    "rejectedRecords", inspection.rejected(), "source", req.source()), training));
            store.putJson(layout.contentIndex(hash), Map.of("datasetId", datasetId, "created", Instant.now().toString()));
            try {
                outbox.store(event); // from here on the upload is kept, and its event will be published
            } catch (RuntimeException e) {
                store.delete(layout.contentIndex(hash));
                statuses.delete(req.tenant(), datasetId);
                throw new IngestFailure(Reason.UNAVAILABLE, "Storage unavailable", "the dataset's event could not be"
                        + " stored with it (" + e.getMessage() + "); nothing was kept, retry the upload later");
            }
            done = true;
            boolean announced = outbox.publish(event);
            if (fromFeedback != null) {
                feedback.settle(layout, datasetId, "u-" + uploadId, fromFeedback);
            }
            audit.uploaded(event, req.principal(), versionOf != null, size);
            LOG.infof("ingested %s (%s, %d %s records, %d bytes) as %s", req.fileName(), req.tenant(), inspection.records(),
                    inspection.formatName(), size, datasetId);
            Map<String, Object> answer = response(event, size, inspection, req);
            if (!announced) {
                answer.put("announcement", "the event broker has not answered yet: the upload is kept, and the"
                        + " pipeline starts on it as soon as the broker takes its event (kept with it until then)");
            }
            if (fromFeedback != null) {
                answer.put("feedbackExamples", feedbackExamples);
            }
            return new Result(datasetId, false, answer);
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

    /** Copies the cleaning settings and/or the reference tables of one upload's raw prefix to another's. */
    void inheritSettings(String fromPrefix, String toPrefix, boolean cleaning, boolean refs) {
        if (cleaning && store.exists(ObjectLayout.cleaningConfig(fromPrefix))) {
            store.putString(ObjectLayout.cleaningConfig(toPrefix), store.getString(ObjectLayout.cleaningConfig(fromPrefix)),
                    "application/json");
        }
        if (refs) {
            for (ObjectInfo ref : store.list(ObjectLayout.referenceTables(fromPrefix))) {
                try (InputStream in = store.get(ref.key())) {
                    store.put(ObjectLayout.referenceTable(toPrefix, ref.key()), in, ref.size(), "text/csv");
                } catch (IOException e) {
                    throw new StorageException("copying reference table " + ref.key() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The raw prefix of the newest upload of {@code datasetId} (its first upload or a later version), by the
     * creation time in their manifests; a NOT_FOUND failure when the dataset does not exist.
     */
    String newestUpload(ObjectLayout layout, String datasetId) {
        String root;
        try {
            root = layout.rawPrefix(datasetId);
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(Reason.INVALID, "Invalid dataset id", e.getMessage()).with("datasetId", datasetId);
        }
        String newest = null;
        Instant newestCreated = Instant.MIN;
        for (ObjectInfo o : store.list(root)) {
            if (ObjectLayout.isUploadManifest(root, o.key())) {
                Instant created = store.getJson(o.key(), Manifest.class).created();
                if (newest == null || created.isAfter(newestCreated)) {
                    newest = ObjectLayout.uploadPrefixOf(o.key());
                    newestCreated = created;
                }
            }
        }
        if (newest == null) {
            throw new IngestFailure(Reason.NOT_FOUND, "Unknown dataset", "no dataset '" + datasetId + "' for tenant '"
                    + layout.tenant() + "' to add a version to; upload a new dataset with POST /v1/datasets, or list"
                    + " them with GET /v1/datasets").with("datasetId", datasetId);
        }
        return newest;
    }

    /** The format of the upload from its first bytes (the stream is not consumed). */
    private static InputFormat detect(UploadRequest req, BufferedInputStream in) {
        byte[] head;
        try {
            in.mark(HEAD_BYTES);
            head = in.readNBytes(HEAD_BYTES);
            in.reset();
        } catch (IOException e) {
            throw uploadFailure(e, req.fileName(), 0, Long.MAX_VALUE);
        }
        if (head.length == 0) {
            throw new IngestFailure(Reason.INVALID, "Empty upload", "'" + req.fileName() + "' has no bytes; send the"
                    + " JSONL file as the request body or as the multipart part 'file'").with("file", req.fileName());
        }
        InputFormat format = InputFormat.detect(req.fileName(), req.contentType(), head, head.length);
        if (format == InputFormat.EMPTY) {
            throw new IngestFailure(Reason.INVALID, "Empty upload", "'" + req.fileName() + "' contains only whitespace")
                    .with("file", req.fileName());
        }
        if (!format.supported()) {
            throw new IngestFailure(Reason.UNSUPPORTED_FORMAT, "Unsupported format", "'" + req.fileName() + "' looks"
                    + " like " + format + " (detected from its first bytes), which this version cannot read; send JSONL"
                    + " (one JSON object per line), CSV/TSV with a header row, Parquet, plain text, Markdown, HTML, a"
                    + " document (PDF, Word, PowerPoint, Excel, OpenDocument, RTF), e-mail (.eml, mbox) or a zip/tar.gz"
                    + " of these").with("file", req.fileName()).with("detectedFormat", format.name().toLowerCase())
                    .with("offset", 0);
        }
        return format;
    }

    private static void requireRecords(UploadRequest req, InputFormat format, Inspection inspection) {
        if (inspection.usable()) {
            return;
        }
        IngestFailure f = new IngestFailure(Reason.UNPROCESSABLE, "No usable records", "'" + req.fileName()
                + "' was read as " + inspection.formatName() + " but none of its records can become a training example"
                + (inspection.problems().isEmpty() ? "" : "; first problem at line " + inspection.problems().get(0).line()
                + ": " + inspection.problems().get(0).reason()))
                .with("file", req.fileName()).with("format", inspection.formatName())
                .with("rejectedRecords", inspection.rejected());
        if (!inspection.problems().isEmpty()) {
            f.with("line", inspection.problems().get(0).line()).with("problems", inspection.problems());
        }
        throw f;
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

    private Optional<String> existing(ObjectLayout layout, String hash) {
        String key = layout.contentIndex(hash);
        if (!store.exists(key)) {
            return Optional.empty();
        }
        String id = Json.read(store.getBytes(key), com.fasterxml.jackson.databind.JsonNode.class)
                .path("datasetId").asText(null);
        return id != null && statuses.exists(layout.tenant(), id) ? Optional.of(id) : Optional.empty();
    }

    /**
     * The manifest of an upload: its files and counts, the upload's training options (read by training when the
     * dataset is cleaned), and the event, so that a redelivered request can republish it.
     *
     * @param source         where the data came from (null: the upload request)
     * @param requestEventId the {@code IngestRequested} this upload answers, or null
     */
    static Manifest manifest(DatasetIngested e, UploadRequest req, long size, Inspection inspection,
                             TrainingOptions training, List<Map<String, Object>> files, Map<String, Object> source,
                             String requestEventId) {
        Map<String, Object> from = source != null ? source : Map.of("type", req.source(), "fileName", req.fileName(),
                "contentType", req.contentType() == null ? "" : req.contentType());
        return Manifest.of("ingest-service", e.tenant()).created(e.occurredAt()).dataset(e.datasetId(), null)
                .output("raw", e.rawPrefix()).count("records", e.records()).count("rejectedRecords", inspection.rejected())
                .count("bytes", size).training(training)
                .detail("name", e.name()).detail("format", e.format()).detail("contentSha256", e.contentSha256())
                .detail("source", from).detail("files", files).detail("event", Json.mapper().valueToTree(e))
                .detail("requestEventId", requestEventId).principal(req.principal()).build();
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
        if (inspection.incompleteThreads() > 0) {
            b.put("incompleteThreads", inspection.incompleteThreads());
            b.put("message", inspection.incompleteThreads() + " e-mail(s) without their reply in this upload: kept, they become"
                    + " examples once cleaned together with their replies");
        }
        b.put("bytes", size);
        b.put("contentSha256", e.contentSha256());
        b.put("raw", e.rawPrefix());
        b.put("manifest", e.manifest());
        b.put("autoTrain", req.autoTrain());
        if (req.baseModel() != null) {
            b.put("baseModel", req.baseModel());
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
            return new IngestFailure(Reason.TOO_LARGE, "Upload too large", "'" + file + "' is larger than the limit"
                    + " of " + limit + " bytes (tailor.ingest.max-upload-bytes); split it into several datasets or ask"
                    + " the operator to raise the limit").with("file", file).with("limit", limit).with("offset", received);
        }
        return new IngestFailure(Reason.UNAVAILABLE, "Upload not stored", "storing '" + file + "' failed after "
                + received + " bytes: " + e.getMessage() + "; nothing was kept, send it again").with("file", file)
                .with("offset", received);
    }

    static String contentType(UploadRequest req) {
        return req.contentType() == null ? "application/octet-stream" : req.contentType();
    }

    static CleaningConfig parseCleaningConfig(String json) {
        if (json == null || json.isBlank()) {
            return CleaningConfig.defaults();
        }
        try {
            return CleaningConfig.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(Reason.INVALID, "Invalid cleaning config", "the 'cleaning' settings are not valid: "
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
