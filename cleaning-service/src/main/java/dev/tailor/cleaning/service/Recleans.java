package dev.tailor.cleaning.service;

import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import dev.tailor.dataprep.output.VersionDiff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;

/**
 * The re-clean side of cleaning: the complete settings a re-clean event names, the version it re-cleans, and the
 * {@code diff.json} of the new version against it ({@link VersionDiff}, streamed from S3 and the local result).
 */
@ApplicationScoped
public class Recleans {
    /** How many added, removed and changed examples diff.json shows (each). */
    static final int DIFF_SAMPLES = 10;

    @Inject
    ObjectStore store;

    /** The settings of a re-clean: the complete settings at the event's {@code cleaningConfig} (in its tenant). */
    CleaningConfig settings(ObjectLayout layout, DatasetIngested in) {
        String key = layout.owned("cleaningConfig", store.keyOf(in.cleaningConfig()));
        if (!store.exists(key)) {
            throw new IllegalStateException("the re-clean settings " + in.cleaningConfig() + " are gone; ask for the"
                    + " re-clean again");
        }
        return CleaningConfig.fromJson(store.getString(key));
    }

    /** The manifest of the complete version {@code version} of the dataset; an error when it is not there. */
    Manifest manifestOf(ObjectLayout layout, String datasetId, String version) {
        String key = ObjectLayout.manifest(layout.datasetPrefix(datasetId, version));
        if (!store.exists(key)) {
            throw new IllegalStateException("dataset " + datasetId + " has no complete version " + version
                    + " to re-clean");
        }
        return store.getJson(key, Manifest.class);
    }

    /** Compares the new version (still local) with {@code against} in S3 and stores diff.json; its URI. */
    String writeDiff(ObjectLayout layout, String datasetId, String against, String version, CleaningResult r) {
        Manifest before = manifestOf(layout, datasetId, against);
        VersionDiff.Files old = new VersionDiff.Files() {
            @Override
            public InputStream split(Split s) {
                String uri = before.output(s.id());
                return uri == null ? null : store.get(store.keyOf(uri));
            }

            @Override
            public InputStream report() {
                String uri = before.output("report");
                return uri == null || !store.exists(store.keyOf(uri)) ? null : store.get(store.keyOf(uri));
            }
        };
        VersionDiff.Files now = new VersionDiff.Files() {
            @Override
            public InputStream split(Split s) throws IOException {
                return Files.newInputStream(r.split(s));
            }

            @Override
            public InputStream report() throws IOException {
                return Files.newInputStream(r.report());
            }
        };
        Map<String, Object> diff = new VersionDiff(DIFF_SAMPLES).compare(against, old, version, now);
        return store.putJson(layout.diff(datasetId, version), diff);
    }
}
