package dev.tailor.ingest.service;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.IngestRequested;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import dev.tailor.common.messaging.EventSink;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.ingest.domain.Inspection;
import dev.tailor.ingest.domain.UploadRequest;
import dev.tailor.ingest.storage.StatusStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * {@code IngestRequested}: objects already in the bucket (s3:// URIs of objects or prefixes) are copied
 * into {@code raw/{datasetId}/} (streamed, hashed and inspected on the way: each is read once), and announced with
 * {@code DatasetIngested}. A redelivered request finds the manifest and only republishes. Another request
 * for an existing dataset is a new version of it: its objects go under
 * {@code raw/{datasetId}/versions/r-{eventId}/}, with the cleaning settings and reference tables of the
 * dataset's newest upload.
 */
@ApplicationScoped
public class RequestIngestor {
    private static final Logger LOG = Logger.getLogger(RequestIngestor.class);

    @Inject
    ObjectStore store;

    @Inject
    StatusStore statuses;

    @Inject
    EventSink events;

    @Inject
    Ingestor uploads;

    public DatasetIngested ingest(IngestRequested req) {
        ObjectLayout layout = new ObjectLayout(req.tenant());
        String root = layout.rawPrefix(req.datasetId());
        String prefix = root;
        String previousUpload = null;
        if (store.exists(ObjectLayout.manifest(root))
                && !req.eventId().equals(store.getJson(ObjectLayout.manifest(root), Manifest.class).details()
                .get("requestEventId"))) {
            // the dataset exists and this is another request than the one that made it: a new version
            previousUpload = uploads.newestUpload(layout, req.datasetId());
            prefix = layout.rawVersionPrefix(req.datasetId(), "r-" + req.eventId());
        }
        String manifestKey = ObjectLayout.manifest(prefix);
        if (store.exists(manifestKey)) {
            DatasetIngested again = Json.mapper().convertValue(store.getJson(manifestKey, Manifest.class).details()
                    .get("event"), DatasetIngested.class);
            DatasetIngested event = DatasetIngested.create(again.tenant(), again.datasetId(), again.name(),
                    again.rawPrefix(), again.manifest(), again.format(), again.records(), again.contentSha256());
            events.publish(event);
            LOG.infof("dataset %s was already ingested; republished", req.datasetId());
            return event;
        }
        TreeSet<String> keys = new TreeSet<>();
        for (String source : req.sources()) {
            String key = store.keyOf(source);
            if (!key.startsWith(layout.root())) {
                throw new IllegalArgumentException("source " + source + " lies outside tenant '" + req.tenant()
                        + "''s prefix " + store.uri(layout.root()) + "; a tenant ingests only its own objects");
            }
            if (!key.endsWith("/") && store.exists(key)) {
                keys.add(key);
            } else {
                String p = key.endsWith("/") ? key : key + "/";
                store.list(p).stream().filter(o -> o.size() > 0).map(ObjectInfo::key).forEach(keys::add);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no objects found at " + req.sources() + "; upload them to the bucket first");
        }
        boolean done = false;
        try {
            MessageDigest all = Ingestor.sha256();
            List<Map<String, Object>> files = new ArrayList<>();
            long records = 0;
            long rejected = 0;
            long size = 0;
            String format = null;
            for (String key : keys) {
                String name = UploadRequest.sanitizeName(key.replace('/', '_'));
                String rawKey = ObjectLayout.uploadFile(prefix, name);
                MessageDigest one = Ingestor.sha256();
                long objectSize = store.stat(key).orElseThrow().size();
                Inspection inspection;
                try (InputStream in = new DigestInputStream(new DigestInputStream(store.get(key), one), all)) {
                    inspection = StoreWhileReading.store(store, rawKey, "application/octet-stream", in,
                            stream -> Inspection.of(name, req.format(), stream, CleaningConfig.defaults()));
                }
                records += inspection.records();
                rejected += inspection.rejected();
                size += objectSize;
                format = format == null || format.equals(inspection.formatName()) ? inspection.formatName() : "mixed";
                files.add(Map.of("key", rawKey, "source", store.uri(key), "size", objectSize,
                        "sha256", HexFormat.of().formatHex(one.digest()), "format", inspection.formatName(),
                        "records", inspection.records()));
            }
            if (records == 0) {
                throw new IllegalArgumentException("none of " + keys.size() + " objects from " + req.sources()
                        + " holds a usable record (supported: JSONL, CSV/TSV with header, text, Markdown)");
            }
            String hash = HexFormat.of().formatHex(all.digest());
            DatasetIngested event = DatasetIngested.create(req.tenant(), req.datasetId(), req.name(), store.uri(prefix),
                    store.uri(manifestKey), format, records, hash);
            UploadRequest asUpload = new UploadRequest(req.tenant(), req.name(), keys.first(), null, req.autoTrain(),
                    req.baseModel(), null, "s3", null);
            TrainingOptions training = new TrainingOptions(req.autoTrain(), req.baseModel(), null);
            Manifest manifest = Ingestor.manifest(event, asUpload, size, new Inspection(null, records, rejected, List.of()),
                    training, files, Map.of("type", "s3", "sources", req.sources()), req.eventId());
            if (previousUpload != null) {
                uploads.inheritSettings(previousUpload, prefix, true, true);
            }
            store.putJson(manifestKey, manifest);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("bytes", size);
            details.put("rejectedRecords", rejected);
            details.put("source", "s3");
            statuses.record(req.tenant(), req.datasetId(), StatusEntry.ingested(event, details, training));
            events.publish(event);
            done = true;
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!done) {
                store.deletePrefix(prefix);
            }
        }
    }
}
