package dev.tailor.cleaning.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.cleaning.config.CleaningSettings;
import dev.tailor.common.events.DatasetCleaned;
import dev.tailor.common.events.DatasetIngested;
import dev.tailor.common.events.TrainingOptions;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.ObjectInfo;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.storage.ObjectStore;
import dev.tailor.dataprep.CleanedVersions;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.profile.DatasetProfile;
import dev.tailor.dataprep.profile.Relevance;
import dev.tailor.dataprep.profile.TokenCounter;
import dev.tailor.dataprep.output.Split;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Runs the cleaning pipeline on a dataset's raw objects and stores the result under
 * {@code {tenant}/datasets/{datasetId}/{version}/}, where version = hash(input sha256 + config hash).
 * manifest.json is written last, so its presence means the version is complete: a redelivered event
 * finds it and gets the same {@code DatasetCleaned} again without any work.
 * <p>A dataset may carry its own settings as {@link ObjectLayout#cleaningConfig cleaning.json} next to its raw objects (the JSON form of
 * {@link CleaningConfig}, nested or flat); they override the service's {@code tailor.cleaning.*}. Reference tables for
 * incomplete-record lookups are read from {@code ref/} next to the raw objects. A later upload of the same
 * dataset (under {@code raw/{datasetId}/versions/…}) is cleaned on its own and compared with the newest
 * cleaned version before it: examples it shares with that version keep their split.
 */
@ApplicationScoped
public class CleaningRunner {
    private static final Logger LOG = Logger.getLogger(CleaningRunner.class);
    /** The sequence length the profile's "too long" counts compare with (the training default). */
    private static final int PROFILE_SEQ_LENGTH = dev.tailor.common.events.TrainingParams.defaults().data().maxSeqLength();

    @Inject
    ObjectStore store;

    @Inject
    CleaningSettings settings;

    @Inject
    ProfileTokenizers tokenizers;

    @Inject
    Recleans recleans;

    public DatasetCleaned clean(DatasetIngested in) {
        ObjectLayout layout = new ObjectLayout(in.tenant());
        String rawPrefix = store.keyOf(in.rawPrefix());
        CleaningConfig config = in.cleaningConfig() == null ? configFor(rawPrefix) : recleans.settings(layout, in);
        String version = version(in.contentSha256(), config.hash(), CleaningPipeline.RULES_VERSION);
        String prefix = layout.datasetPrefix(in.datasetId(), version);
        String manifestKey = ObjectLayout.manifest(prefix);
        if (store.exists(manifestKey)) {
            LOG.infof("dataset %s version %s already cleaned; republishing", in.datasetId(), version);
            return fromManifest(in, store.getJson(manifestKey, Manifest.class));
        }
        List<ObjectInfo> inputs = store.list(rawPrefix).stream()
                .filter(o -> ObjectLayout.isUploadedData(rawPrefix, o.key()) && o.size() > 0)
                .sorted(Comparator.comparing(ObjectInfo::key)).toList();
        if (inputs.isEmpty()) {
            throw new IllegalStateException("no raw objects under " + in.rawPrefix() + "; re-ingest the dataset");
        }
        Path work = workDir(in.datasetId(), version);
        try (CleaningPipeline pipeline = new CleaningPipeline(config, work,
                table -> store.get(ObjectLayout.referenceTable(rawPrefix, table)))) {
            DatasetProfile profile = profile(layout, in, config);
            pipeline.profile(profile);
            loadPreviousVersion(layout, in.datasetId(), prefix, in.recleanOf(), pipeline);
            readEarlierMessages(layout.rawPrefix(in.datasetId()), rawPrefix, pipeline);
            for (ObjectInfo o : inputs) {
                try (InputStream stream = store.get(o.key())) {
                    pipeline.add(o.key().substring(rawPrefix.length()), stream, null);
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + store.uri(o.key()) + ": " + e.getMessage(), e);
                }
            }
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("datasetId", in.datasetId());
            header.put("version", version);
            header.put("tenant", in.tenant());
            header.put("rawPrefix", in.rawPrefix());
            header.put("contentSha256", in.contentSha256());
            CleaningResult r = pipeline.finish(header);
            long waiting = r.kept() == 0 ? waitingEmails(r.report()) : 0;
            if (r.kept() == 0 && waiting > 0) {
                // valid input that makes no example yet: a version with 0 examples, not a failure (nor trained)
                LOG.infof("dataset %s version %s: 0 examples yet, %d e-mail(s) wait for their replies",
                        in.datasetId(), version, waiting);
            } else if (r.kept() == 0) {
                String report = store.put(layout.report(in.datasetId(), version), Files.newInputStream(r.report()),
                        Files.size(r.report()), "application/json");
                throw new IllegalStateException("no examples left after cleaning " + r.read() + " records of dataset "
                        + in.datasetId() + "; see " + report + " for why each was dropped");
            }
            Map<String, String> uris = new LinkedHashMap<>();
            for (Split s : Split.values()) {
                uris.put(s.id(), upload(r.split(s), layout.split(in.datasetId(), version, s.id()), "application/x-ndjson"));
            }
            uris.put("report", upload(r.report(), layout.report(in.datasetId(), version), "application/json"));
            uris.put("profile", store.putJson(layout.profile(in.datasetId(), version), profile.toMap()));
            if (in.recleanOf() != null) {
                uris.put("diff", recleans.writeDiff(layout, in.datasetId(), in.recleanOf(), version, r));
            }
            DatasetCleaned out = DatasetCleaned.create(in.tenant(), in.datasetId(), version, uris.get("train"),
                    uris.get("validation"), uris.get("test"), uris.get("report"), r.train(), r.validation(), r.test(),
                    in.manifest()).withPrincipal(in.principal());
            store.putJson(manifestKey, manifest(in, config, r, uris, inputs, out));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(work);
        }
    }

    /**
     * The profile of this run: tokens counted with the base model the upload names (its training options), else the
     * service's {@code default-base-model}, against the upload's maxSeqLength (else the training default); relevance to
     * the {@code useCase} setting when there is one.
     */
    private DatasetProfile profile(ObjectLayout layout, DatasetIngested in, CleaningConfig config) {
        TrainingOptions options = trainingOptions(in);
        String baseModel = options != null && options.baseModel() != null ? options.baseModel()
                : settings.defaultBaseModel().orElse(null);
        int maxSeqLength = options != null && options.params() != null ? options.params().data().maxSeqLength() : PROFILE_SEQ_LENGTH;
        DatasetProfile profile;
        if (baseModel == null) {
            profile = new DatasetProfile((TokenCounter) null, maxSeqLength, true);
        } else {
            ProfileTokenizers.Lookup lookup = tokenizers.of(layout, baseModel);
            profile = new DatasetProfile(lookup.counter(), maxSeqLength, true).withoutTokenizer(lookup.missing());
        }
        if (config.report().useCase() != null) {
            profile.relevance(new Relevance(config.report().useCase(), config.report().relevanceThreshold()));
        }
        return profile;
    }

    /** The training options of the upload's manifest, or null when it has none (or no manifest). */
    private TrainingOptions trainingOptions(DatasetIngested in) {
        String key = store.keyOf(in.manifest());
        if (!store.exists(key)) {
            return null;
        }
        try {
            return store.getJson(key, Manifest.class).training();
        } catch (RuntimeException e) {
            LOG.warnf("dataset %s: the upload manifest %s cannot be read for its training options: %s", in.datasetId(),
                    in.manifest(), e.getMessage());
            return null;
        }
    }

    /**
     * The e-mail files of the dataset's other uploads, as context: a reply in this upload to a message that came
     * earlier (a single .eml whose reply comes in the next version) completes its thread here.
     */
    private void readEarlierMessages(String datasetRaw, String rawPrefix, CleaningPipeline pipeline) {
        if (datasetRaw.equals(rawPrefix)) {
            return; // the dataset's first upload: nothing came before it
        }
        for (ObjectInfo o : store.list(datasetRaw)) {
            String name = o.key().toLowerCase(java.util.Locale.ROOT);
            boolean mail = name.endsWith(".eml") || name.endsWith(".mbox") || name.endsWith(".mbx");
            if (!mail || o.key().startsWith(rawPrefix) || o.size() == 0) {
                continue;
            }
            try (InputStream stream = store.get(o.key())) {
                pipeline.addEarlierMessages(o.key().substring(datasetRaw.length()), stream);
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + store.uri(o.key()) + ": " + e.getMessage(), e);
            }
        }
    }

    /** How many e-mails of the run wait for their replies (the report's {@code email.incomplete-thread} count). */
    private static long waitingEmails(Path report) throws IOException {
        return dev.tailor.common.json.Json.read(Files.readAllBytes(report), JsonNode.class).path("counts")
                .path(dev.tailor.dataprep.email.EmailThreads.INCOMPLETE).asLong();
    }

    /**
     * Gives the pipeline the newest other complete version of this dataset (by its manifest's creation
     * time), when there is one, or the version a re-clean names ({@code recleanOf}): its examples' splits carry over
     * and report.json gets a diff against it.
     */
    private void loadPreviousVersion(ObjectLayout layout, String datasetId, String prefix, String recleanOf,
                                     CleaningPipeline pipeline) throws IOException {
        String datasetRoot = layout.datasetRoot(datasetId);
        Manifest previous = recleanOf == null ? null : recleans.manifestOf(layout, datasetId, recleanOf);
        for (ObjectInfo o : recleanOf != null ? List.<ObjectInfo>of() : store.list(datasetRoot)) {
            if (o.key().equals(ObjectLayout.manifest(ObjectLayout.folderOf(o.key()))) && !o.key().startsWith(prefix)) {
                Manifest m = store.getJson(o.key(), Manifest.class);
                if (previous == null || m.created().isAfter(previous.created())) {
                    previous = m;
                }
            }
        }
        if (previous == null) {
            return;
        }
        JsonNode previousCounts = null;
        String previousReport = previous.output("report");
        if (previousReport != null && store.exists(store.keyOf(previousReport))) {
            previousCounts = store.getJson(store.keyOf(previousReport), JsonNode.class).get("counts");
        }
        pipeline.previousVersion(previous.version(), previousCounts);
        for (Split s : Split.values()) {
            String uri = previous.output(s.id());
            if (uri != null) {
                try (InputStream in = store.get(store.keyOf(uri))) {
                    pipeline.previousSplit(s, in);
                }
            }
        }
        LOG.infof("dataset %s: previous version %s loaded for split carry-over and diff", datasetId, previous.version());
    }

    private String upload(Path file, String key, String type) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return store.put(key, in, Files.size(file), type);
        }
    }

    private CleaningConfig configFor(String rawPrefix) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putObject("splits").put("trainRatio", settings.trainRatio()).put("validationRatio", settings.validationRatio())
                .put("testRatio", settings.testRatio());
        settings.systemPrompt().ifPresent(p -> o.putObject("examples").put("systemPrompt", p));
        o.putObject("pii").put("redactPii", settings.redactPii());
        o.putObject("dedup").put("nearDuplicates", settings.nearDuplicates())
                .put("nearDuplicateThreshold", settings.nearDuplicateThreshold());
        CleaningConfig config = CleaningConfig.merge(CleaningConfig.defaults(), o);
        if (settings.overrides().isPresent()) {
            config = CleaningConfig.merge(config, Json.read(settings.overrides().get(), JsonNode.class));
        }
        String datasetConfig = ObjectLayout.cleaningConfig(rawPrefix);
        if (store.exists(datasetConfig)) {
            config = CleaningConfig.merge(config, store.getJson(datasetConfig, JsonNode.class));
        }
        return config;
    }

    /**
     * The output version: the first 16 hex digits of SHA-256(input content hash + ":" + config hash + ":rules=" +
     * rules version), so the same data under other settings or newer rules is a new version.
     */
    public static String version(String contentSha256, String configHash, int rulesVersion) {
        return CleanedVersions.id(contentSha256, configHash, rulesVersion);
    }

    private Manifest manifest(DatasetIngested in, CleaningConfig config, CleaningResult r,
                              Map<String, String> uris, List<ObjectInfo> inputs, DatasetCleaned out) {
        List<String> files = new ArrayList<>();
        inputs.forEach(o -> files.add(store.uri(o.key())));
        return Manifest.of("cleaning-service", in.tenant()).dataset(in.datasetId(), out.version())
                .input("rawPrefix", in.rawPrefix()).input("upload", in.manifest()).outputs(uris)
                .count("records", r.read()).count("kept", r.kept()).count("dropped", r.dropped())
                .count("train", r.train()).count("validation", r.validation()).count("test", r.test())
                .detail("contentSha256", in.contentSha256()).detail("objects", files)
                .detail("configHash", config.hash()).detail("rulesVersion", CleaningPipeline.RULES_VERSION)
                .detail("config", config.asMap()).detail("recleanOf", in.recleanOf()).principal(in.principal()).build();
    }

    private static DatasetCleaned fromManifest(DatasetIngested in, Manifest m) {
        return DatasetCleaned.create(in.tenant(), in.datasetId(), m.version(), m.output("train"),
                m.output("validation"), m.output("test"), m.output("report"), m.count("train"),
                m.count("validation"), m.count("test"), in.manifest()).withPrincipal(in.principal());
    }

    private Path workDir(String datasetId, String version) {
        try {
            Path base = Path.of(settings.workDir());
            Files.createDirectories(base);
            return Files.createTempDirectory(base, datasetId + "-" + version + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory under " + settings.workDir() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", dir, e.getMessage());
        }
    }
}
