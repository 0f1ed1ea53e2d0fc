package dev.tailor.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.json.Json;
import dev.tailor.common.status.StatusEntry;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.CleanedVersions;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.ingest.domain.IngestFailure;
import dev.tailor.ingest.domain.IngestFailure.Reason;
import dev.tailor.ingest.storage.StatusStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Re-cleaning: a cleaned version's raw objects cleaned again with other settings, as a new version of the dataset.
 * Nothing is copied: the new settings (complete: the version's own settings with the requested ones over them) are
 * written to {@link ObjectLayout#recleanSettings}, and a {@code DatasetIngested} naming the same raw prefix, those
 * settings and the version re-cleaned ({@link DatasetIngested#asReclean}) makes cleaning write the new version, its
 * report, profile and {@code diff.json}. The new version's id is the one cleaning derives from the raw content and
 * the settings ({@link CleanedVersions}), so the same request twice names the same version: answered with it (done) or
 * as a conflict (under way), never cleaned twice.
 */
@ApplicationScoped
public class Recleaner {
    private static final Logger LOG = Logger.getLogger(Recleaner.class);
    private static final Pattern SETTING = Pattern.compile("'([A-Za-z0-9_.]+)'");

    @Inject
    ObjectStore store;

    @Inject
    StatusStore statuses;

    @Inject
    Outbox outbox;

    @Inject
    Audit audit;

    /** The outcome: the version (new, or the existing one for the same settings) and what to answer. */
    public record Result(String datasetId, String version, boolean existing, Map<String, Object> body) {
    }

    /**
     * Re-cleans version {@code version} of the dataset with {@code settings} (the JSON form of {@link CleaningConfig},
     * nested or flat, any subset) over the settings that version was cleaned with.
     */
    public Result reclean(String tenant, String principal, String datasetId, String version, JsonNode settings) {
        ObjectLayout layout = new ObjectLayout(tenant);
        Manifest cleaned = cleanedVersion(layout, datasetId, version);
        CleaningConfig base = CleaningConfig.merge(CleaningConfig.defaults(),
                Json.mapper().valueToTree(cleaned.details().get("config")));
        CleaningConfig config = parse(base, settings);
        String sha = String.valueOf(cleaned.details().get("contentSha256"));
        return start(layout, principal, datasetId, version, cleaned.inputs().get("rawPrefix"),
                cleaned.inputs().get("upload"), sha, base, config);
    }

    /**
     * An upload whose bytes equal an earlier upload of dataset {@code datasetId} but with other cleaning settings: that
     * upload re-cleaned with them (over the settings its newest cleaned version had, or over the earlier upload's own
     * when it has no cleaned version yet). Empty when the settings are the same (a duplicate) or no upload of the
     * dataset holds these bytes.
     */
    public Optional<Result> uploadedAgain(String tenant, String principal, String datasetId, String contentSha256,
                                          String settingsJson) {
        ObjectLayout layout = new ObjectLayout(tenant);
        String root = layout.rawPrefix(datasetId);
        String upload = null;
        for (ObjectInfo o : store.list(root)) {
            if (ObjectLayout.isUploadManifest(root, o.key()) && contentSha256.equals(
                    store.getJson(o.key(), Manifest.class).details().get("contentSha256"))) {
                upload = ObjectLayout.uploadPrefixOf(o.key());
            }
        }
        if (upload == null) {
            return Optional.empty();
        }
        String uploadSettings = store.exists(ObjectLayout.cleaningConfig(upload))
                ? store.getString(ObjectLayout.cleaningConfig(upload)) : null;
        JsonNode requested = Json.read(settingsJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), JsonNode.class);
        if (parse(CleaningConfig.fromJson(uploadSettings), requested).hash()
                .equals(CleaningConfig.fromJson(uploadSettings).hash())) {
            return Optional.empty();
        }
        String uploadManifest = store.uri(ObjectLayout.manifest(upload));
        Manifest newest = null;
        for (ObjectInfo o : store.list(layout.datasetRoot(datasetId))) {
            if (o.key().equals(ObjectLayout.manifest(ObjectLayout.folderOf(o.key())))) {
                Manifest m = store.getJson(o.key(), Manifest.class);
                if (uploadManifest.equals(m.inputs().get("upload")) && m.details().get("recleanOf") == null
                        && (newest == null || m.created().isAfter(newest.created()))) {
                    newest = m;
                }
            }
        }
        CleaningConfig base = newest == null ? CleaningConfig.fromJson(uploadSettings) : CleaningConfig.merge(
                CleaningConfig.defaults(), Json.mapper().valueToTree(newest.details().get("config")));
        return Optional.of(start(layout, principal, datasetId, newest == null ? null : newest.version(),
                store.uri(upload), uploadManifest, contentSha256, base, parse(base, requested)));
    }

    private Result start(ObjectLayout layout, String principal, String datasetId, String of, String rawPrefix,
                         String uploadManifest, String sha, CleaningConfig base, CleaningConfig config) {
        String version = CleanedVersions.id(sha, config);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("datasetId", datasetId);
        body.put("version", version);
        if (of != null) {
            body.put("recleanOf", of);
        }
        body.put("status", "/v1/datasets/" + datasetId);
        body.put("settingsChanged", changed(base, config));
        if (version.equals(of) || store.exists(ObjectLayout.manifest(layout.datasetPrefix(datasetId, version)))) {
            body.put("existing", true);
            body.put("message", "version " + version + " was already cleaned with these settings; nothing was"
                    + " started (its report: /v1/datasets/" + datasetId + "/versions/" + version + "/report)");
            return new Result(datasetId, version, true, body);
        }
        String settingsKey = layout.recleanSettings(datasetId, version);
        if (store.exists(settingsKey) && store.exists(layout.report(datasetId, version))) {
            // cleaning writes the report of a run that kept nothing, and no manifest
            throw new IngestFailure(Reason.UNPROCESSABLE, "Re-clean left no examples", "cleaning the data with these"
                    + " settings left no example (version " + version + "); its report says why each record was"
                    + " dropped: /v1/datasets/" + datasetId + "/versions/" + version + "/report; loosen the settings")
                    .with("datasetId", datasetId).with("version", version);
        }
        if (store.exists(settingsKey) && failedSince(layout, datasetId, settingsKey)) {
            // cleaning gave up on it (its event went to the dead-letter topic): asking again starts it afresh
            LOG.infof("re-clean %s of %s failed before; starting it again", version, datasetId);
            store.delete(settingsKey);
        }
        if (store.exists(settingsKey)) {
            throw new IngestFailure(Reason.CONFLICT, "Re-clean under way", "a re-clean with these settings was already"
                    + " asked for and is being cleaned as version " + version + "; follow it at /v1/datasets/"
                    + datasetId + " (nothing new was started)").with("datasetId", datasetId).with("version", version);
        }
        Manifest upload = store.getJson(store.keyOf(uploadManifest), Manifest.class);
        DatasetIngested first = Json.mapper().convertValue(upload.details().get("event"), DatasetIngested.class);
        String settingsUri = store.putString(settingsKey, config.toJson(), "application/json");
        DatasetIngested event = DatasetIngested.create(layout.tenant(), datasetId, first.name(), rawPrefix,
                uploadManifest, first.format(), first.records(), sha).withPrincipal(principal)
                .asReclean(settingsUri, of);
        statuses.record(layout.tenant(), datasetId, StatusEntry.ingested(event, Map.of("source", "reclean",
                "recleanOf", of == null ? "" : of, "version", version), upload.training()));
        try {
            outbox.store(event);
        } catch (RuntimeException e) {
            store.delete(settingsKey);
            throw new IngestFailure(Reason.UNAVAILABLE, "Storage unavailable", "the re-clean's event could not be"
                    + " stored (" + e.getMessage() + "); nothing was started, ask again later");
        }
        if (!outbox.publish(event)) {
            body.put("announcement", "the event broker has not answered yet: the re-clean starts as soon as it takes"
                    + " its event (kept until then)");
        }
        body.put("existing", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> changed = (Map<String, Object>) body.get("settingsChanged");
        audit.recleaned(event, principal, of, version, changed);
        LOG.infof("re-cleaning %s %s as %s (%s)", datasetId, of, version, body.get("settingsChanged"));
        return new Result(datasetId, version, false, body);
    }

    /** Whether cleaning reported a failure for the dataset after the re-clean's settings were stored. */
    private boolean failedSince(ObjectLayout layout, String datasetId, String settingsKey) {
        Instant asked = store.stat(settingsKey).map(ObjectInfo::lastModified).orElse(Instant.MAX);
        return statuses.get(layout.tenant(), datasetId).map(st -> st.errors.stream().anyMatch(e ->
                "cleaned".equals(e.stage()) && e.at() != null && !e.at().isBefore(asked))).orElse(false);
    }

    /** The complete version {@code version} of the dataset: its manifest, or a 404 naming the known versions. */
    Manifest cleanedVersion(ObjectLayout layout, String datasetId, String version) {
        String key;
        try {
            key = ObjectLayout.manifest(layout.datasetPrefix(datasetId, version));
        } catch (IllegalArgumentException e) {
            throw new IngestFailure(Reason.INVALID, "Invalid id", e.getMessage()).with("datasetId", datasetId)
                    .with("version", version);
        }
        if (!statuses.exists(layout.tenant(), datasetId)) {
            throw new IngestFailure(Reason.NOT_FOUND, "Unknown dataset", "no dataset '" + datasetId + "' for tenant '"
                    + layout.tenant() + "'; list datasets with GET /v1/datasets").with("datasetId", datasetId);
        }
        if (!store.exists(key)) {
            List<String> known = statuses.get(layout.tenant(), datasetId).map(s -> s.versions.stream()
                    .map(v -> v.version).toList()).orElse(List.of());
            throw new IngestFailure(Reason.NOT_FOUND, "Unknown version", "dataset '" + datasetId + "' has no cleaned"
                    + " version '" + version + "'; its versions are " + known).with("datasetId", datasetId)
                    .with("version", version).with("versions", known);
        }
        return store.getJson(key, Manifest.class);
    }

    /** {@code base} with {@code settings} over it; a 422 naming the setting when one is unknown or invalid. */
    static CleaningConfig parse(CleaningConfig base, JsonNode settings) {
        try {
            return CleaningConfig.merge(base, settings);
        } catch (IllegalArgumentException e) {
            Matcher m = SETTING.matcher(e.getMessage());
            throw new IngestFailure(Reason.UNPROCESSABLE, "Invalid cleaning settings", e.getMessage()
                    + "; send the settings as a JSON object such as {\"pii\": {\"redactPii\": false}}")
                    .with("setting", m.find() ? m.group(1) : null).with("field", "cleaning");
        }
    }

    /** Setting → {before, after} for every setting {@code after} changes. */
    static Map<String, Object> changed(CleaningConfig before, CleaningConfig after) {
        Map<String, Object> b = before.asMap();
        Map<String, Object> a = after.asMap();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> c : a.entrySet()) {
            if (c.getValue() instanceof Map<?, ?> settings && b.get(c.getKey()) instanceof Map<?, ?> old) {
                settings.forEach((k, v) -> {
                    if (!java.util.Objects.equals(v, old.get(k))) {
                        Map<String, Object> change = new LinkedHashMap<>();
                        change.put("before", old.get(k));
                        change.put("after", v);
                        out.put(c.getKey() + "." + k, change);
                    }
                });
            }
        }
        return out;
    }
}
