package dev.tailor.dataprep;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.dedup.LeakageCheck;
import dev.tailor.dataprep.dedup.LongHashSet;
import dev.tailor.dataprep.dedup.NearDuplicateIndex;
import dev.tailor.dataprep.dedup.SemanticDuplicateIndex;
import dev.tailor.dataprep.example.Example;
import dev.tailor.dataprep.example.Message;
import dev.tailor.dataprep.example.ParseResult;
import dev.tailor.dataprep.example.RecordRejected;
import dev.tailor.dataprep.example.SourceRef;
import dev.tailor.dataprep.fields.FieldMapper;
import dev.tailor.dataprep.filter.PiiRedactor;
import dev.tailor.dataprep.filter.QualityFilter;
import dev.tailor.dataprep.output.CleaningReport;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import dev.tailor.dataprep.output.SplitWriter;
import dev.tailor.dataprep.profile.DatasetProfile;
import dev.tailor.dataprep.repair.Repairs;
import dev.tailor.dataprep.source.GlossarySource;
import dev.tailor.dataprep.source.InputFormat;
import dev.tailor.dataprep.source.SourceContext;
import dev.tailor.dataprep.source.SourceOpener;
import dev.tailor.dataprep.text.ActiveContent;
import dev.tailor.dataprep.text.MarkupCleaner;
import dev.tailor.dataprep.text.Mojibake;
import dev.tailor.dataprep.text.TextNormalizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole cleaning chain, one record at a time: parse (format detected per input) → repair encoding
 * → normalize → system prompt → redact personal data → quality filters → exact dedup → near dedup →
 * optional semantic dedup → deterministic split (or the split carried over from the previous version). The heap stays flat: the dedup indexes live in memory-mapped temporary files
 * ({@link MappedArray}). The same class runs in the cleaning service and in {@code tailor clean}.
 * <p>Given the previous version of the dataset first ({@link #previousVersion}, {@link #previousSplit}), an
 * example that equals or near-duplicates one of its examples keeps that example's split (when
 * {@code carryOverSplits}), so that no test example of one version is trained on in the next, and
 * report.json gets a {@code diff} section: examples added, removed and unchanged, and every count's change.
 */
public final class CleaningPipeline implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The rule of a record on which a cleaning rule threw (a bug or a stack overflow on crafted input). */
    public static final String RULE_ERROR = "rule-error";
    /**
     * The version of the cleaning rules. Raise it with every change that cleans the same input under the same settings
     * differently (a new rule, a fixed pattern): it is part of the cleaned version's id, so data uploaded again after
     * an upgrade is cleaned again instead of answered with the output of the old rules. 2: documents without
     * boilerplate, e-mail conventions in fields, active content, repairs, PII with context, per-record errors.
     */
    public static final int RULES_VERSION = 2;

    private final CleaningConfig config;
    private final Path outDir;
    private final SourceContext context;
    private final PiiRedactor redactor;
    private final QualityFilter quality;
    private final Repairs repairs;
    private final LongHashSet exact = new LongHashSet();
    private final NearDuplicateIndex near;
    /** Test examples near-duplicating train examples, for the report's leakage warning (with near dedup only). */
    private final LeakageCheck leakage;
    private final SemanticDuplicateIndex semantic;
    private LongHashSet previousExact;
    private NearDuplicateIndex previousNear;
    private String previousVersion;
    private JsonNode previousCounts;
    private long previousExamples;
    private long unchanged;
    private final CleaningReport report;
    private final SplitWriter splits;
    private final MessageDigest sha256;
    private final long started = System.nanoTime();
    private long read;
    private long kept;
    private DatasetProfile profile;
    /** Personal data found in the example being cleaned, per type (for the profile). */
    private Map<String, Long> piiFound = Map.of();

    public CleaningPipeline(CleaningConfig config, Path outDir) {
        this(config, outDir, null);
    }

    /** @param tables opens a reference table by name, for incomplete-record policies with action lookup */
    public CleaningPipeline(CleaningConfig config, Path outDir, java.util.function.Function<String, InputStream> tables) {
        this.config = config;
        this.outDir = outDir;
        this.report = new CleaningReport(config.report().samplesPerRule(), config.report().maxDroppedListed());
        this.context = new SourceContext(config, tables).notes((rule, file, reason, snippet) ->
                report.noted(rule, SourceRef.line(file, 0), reason, snippet));
        this.redactor = config.pii().redactPii() ? new PiiRedactor(config.pii()) : null;
        this.quality = new QualityFilter(config);
        this.repairs = new Repairs(config.quality(), report);
        this.near = config.dedup().nearDuplicates() ? new NearDuplicateIndex(config.dedup().nearDuplicateThreshold(), config.dedup().nearDuplicateIndexSize()) : null;
        this.leakage = near != null ? new LeakageCheck(config.dedup().nearDuplicateIndexSize()) : null;
        this.semantic = config.dedup().semanticDuplicates()
                ? new SemanticDuplicateIndex(config.dedup().semanticDuplicateThreshold(), config.dedup().nearDuplicateIndexSize()) : null;
        this.splits = new SplitWriter(outDir, config.splits());
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Names the previous version of this dataset and its report's {@code counts} (may be null), for the
     * diff; call before {@link #previousSplit}.
     */
    public void previousVersion(String version, JsonNode reportCounts) {
        if (read > 0 || previousExact != null) {
            throw new IllegalStateException("one previous version may be given, before the first input");
        }
        this.previousVersion = version;
        this.previousCounts = reportCounts;
        this.previousExact = new LongHashSet();
        this.previousNear = new NearDuplicateIndex(config.dedup().nearDuplicateThreshold(), config.dedup().nearDuplicateIndexSize());
    }

    /** Reads one split file (JSONL as this pipeline writes it) of the previous version given by {@link #previousVersion}. */
    public void previousSplit(Split split, InputStream jsonl) {
        if (previousExact == null) {
            throw new IllegalStateException("call previousVersion before previousSplit");
        }
        FieldMapper mapper = new FieldMapper(Map.of());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(jsonl, StandardCharsets.UTF_8))) {
            int line = 0;
            for (String s = r.readLine(); s != null; s = r.readLine()) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                Example e;
                try {
                    e = mapper.map(JSON.readTree(s), new SourceRef(split.fileName(), line, null));
                } catch (IOException | RuntimeException bad) {
                    report.count("version.previous-unreadable");
                    continue;
                }
                long id = ByteBuffer.wrap(sha256.digest(e.contentKey().getBytes(StandardCharsets.UTF_8))).getLong();
                if (previousExact.add(id, split.ordinal())) {
                    previousExamples++;
                    previousNear.put(NearDuplicateIndex.signature(e.allText()), split.ordinal());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + split.fileName() + " of version " + previousVersion + ": " + e.getMessage(), e);
        }
    }

    /** Reads one input to its end (the caller closes it); a malformed record is reported, never fatal. */
    public InputFormat add(String file, InputStream input, String declaredType) {
        long before = read;
        SourceOpener.Opened opened = SourceOpener.open(file, declaredType, input, context, 0);
        while (opened.records().hasNext()) {
            accept(opened.records().next());
        }
        report.input(file, opened.format().name().toLowerCase(), read - before);
        return opened.format();
    }

    /**
     * Reads an e-mail file of one of the dataset's earlier uploads as context, before this upload's inputs: a reply
     * in this upload to one of its messages becomes an example (a thread completed in a later version); its own
     * messages make no example, rejection or note here (they belong to their versions). Other formats are skipped.
     *
     * @return whether the file was read (it is e-mail)
     */
    public boolean addEarlierMessages(String file, InputStream input) {
        if (read > 0) {
            throw new IllegalStateException("earlier messages are read before the first input");
        }
        context.threads().readingEarlier(true);
        try {
            SourceOpener.Opened opened = SourceOpener.open(file, null, input, context, 0);
            if (opened.format() != InputFormat.EMAIL && opened.format() != InputFormat.MBOX) {
                return false;
            }
            while (opened.records().hasNext()) {
                opened.records().next();
            }
            return true;
        } finally {
            context.threads().readingEarlier(false);
        }
    }

    void accept(ParseResult p) {
        read++;
        if (profile != null) {
            profile.read(p.source().file());
        }
        if (!p.isOk()) {
            drop(p.source(), p.rule(), p.reason(), p.snippet());
            return;
        }
        Example e = p.example();
        SourceRef src = e.source();
        if (p.encodingRepaired()) {
            report.changed("encoding-repaired", src, null, "decoded as windows-1252");
        }
        try {
            e = clean(e);
            e = repairs.apply(e);
            quality.check(e);
        } catch (RecordRejected r) {
            drop(src, r.rule(), r.getMessage(), e.allText());
            return;
        } catch (RuntimeException | StackOverflowError bug) { // a rule that fails on one record fails that record only
            drop(src, RULE_ERROR, "cleaning this record failed (" + dev.tailor.dataprep.source.RecordGuard.describe(bug)
                    + "); it is skipped, the rest of the dataset is cleaned", e.allText());
            return;
        }
        byte[] digest = sha256.digest(e.contentKey().getBytes(StandardCharsets.UTF_8));
        ByteBuffer bb = ByteBuffer.wrap(digest);
        long id = bb.getLong();
        if (e.flags().contains(GlossarySource.FLAG)) { // every example of one term in one split: no term in train and test
            bb = ByteBuffer.wrap(sha256.digest(("glossary\u0000" + src.file() + ":" + src.line()).getBytes(StandardCharsets.UTF_8)));
            bb.getLong();
        }
        double u = (bb.getLong() >>> 11) * 0x1.0p-53; // uniform in [0, 1)
        if (!exact.add(id)) {
            drop(src, "exact-duplicate", "same content (after normalization) as an earlier example", e.allText());
            return;
        }
        long[] sig = near != null || previousNear != null ? NearDuplicateIndex.signature(e.allText()) : null;
        boolean glossary = e.flags().contains(GlossarySource.FLAG); // alike on purpose: only exact duplicates go
        if (near != null && !glossary) {
            NearDuplicateIndex.Match m = near.find(sig);
            if (m.found()) {
                drop(src, "near-duplicate", String.format("estimated similarity %.2f to an earlier example (threshold %.2f)",
                        m.similarity(), config.dedup().nearDuplicateThreshold()), e.allText());
                return;
            }
            near.put(sig, 0);
        }
        if (semantic != null && !glossary) {
            SemanticDuplicateIndex.Match m = semantic.add(e);
            if (m.duplicateOf() >= 0) {
                drop(src, "semantic-duplicate", String.format("cosine similarity %.3f to an earlier example (threshold %.2f)",
                        m.similarity(), config.dedup().semanticDuplicateThreshold()), e.allText());
                return;
            }
        }
        Split split = Split.of(u, config.splits());
        if (previousExact != null) {
            split = carryOver(e, id, sig, split);
        }
        if (leakage != null && sig != null) {
            if (split == Split.TRAIN) {
                leakage.train(sig);
            } else if (split == Split.TEST) {
                leakage.test(sig);
            }
        }
        kept++;
        String line = toJson(e);
        if (profile != null) {
            profile.kept(src.file(), e, line, split == Split.TRAIN, piiFound);
        }
        splits.write(split, u, line);
    }

    /** Reports a dropped record (and profiles it). */
    private void drop(SourceRef src, String rule, String reason, String snippet) {
        report.drop(src, rule, reason, snippet);
        if (profile != null) {
            profile.dropped(src.file(), rule);
        }
    }

    /**
     * Profiles this run ({@link DatasetProfile}: records, drops per rule, duplicates, personal data, languages, lengths);
     * attach before the first input.
     */
    public void profile(DatasetProfile profile) {
        if (read > 0) {
            throw new IllegalStateException("attach the profile before the first input");
        }
        this.profile = profile;
    }

    /** The split of {@code e} given the previous version: that of its equal or near-duplicate there, if any. */
    private Split carryOver(Example e, long id, long[] sig, Split split) {
        int tag = previousExact.tagOf(id);
        String why;
        if (tag >= 0) {
            unchanged++;
            why = "equal to an example";
        } else {
            NearDuplicateIndex.Match m = previousNear.find(sig);
            if (!m.found()) {
                return split;
            }
            tag = m.tag();
            why = String.format("near-duplicate (estimated similarity %.2f) of an example", m.similarity());
            report.noted("version.near-duplicate", e.source(), why + " in " + Split.values()[tag].fileName()
                    + " of version " + previousVersion, e.allText());
        }
        Split before = Split.values()[tag];
        if (before == split || !config.splits().carryOverSplits()) {
            return split;
        }
        report.noted("version.split-carried-over", e.source(), why + " in " + before.fileName() + " of version "
                + previousVersion + ": kept in " + before.id() + " instead of " + split.id(), e.allText());
        return before;
    }

    private Example clean(Example in) {
        SourceRef src = in.source();
        Example e = in.mapText(t -> {
            String fixed = config.input().repairMojibake() ? Mojibake.repair(t) : t;
            if (!fixed.equals(t)) {
                report.changed("mojibake-repaired", src, t, fixed);
            }
            if (config.input().removeActiveContent()) {
                String inert = ActiveContent.remove(fixed);
                if (inert != fixed) {
                    report.changed("active-content-removed", src, fixed, inert);
                    fixed = inert;
                }
            }
            String stripped = MarkupCleaner.clean(fixed);
            if (!stripped.equals(fixed)) {
                report.changed("markup-removed", src, fixed, stripped);
            }
            return TextNormalizer.normalize(stripped);
        });
        if (!e.equals(in)) {
            report.count("normalized");
        }
        piiFound = Map.of();
        if (redactor != null) {
            String before = e.allText();
            Map<String, Long> counted = profile == null ? null : new java.util.HashMap<>(redactor.counts());
            e = e.mapText(redactor::redact);
            if (counted != null) {
                Map<String, Long> found = new java.util.TreeMap<>();
                redactor.counts().forEach((type, n) -> {
                    long d = n - counted.getOrDefault(type, 0L);
                    if (d > 0) {
                        found.put(type, d);
                    }
                });
                piiFound = found;
            }
            String after = e.allText();
            if (!after.equals(before)) {
                report.changed("pii-redacted", src, before, after);
            }
        }
        if (e.isChat()) {
            List<Message> msgs = FieldMapper.validateTurns(e.messages().stream()
                    .filter(m -> !(m.role().equals("system") && m.content().isBlank())).toList());
            if (config.examples().systemPrompt() != null && !config.examples().systemPrompt().isBlank() && !msgs.get(0).role().equals("system")) {
                List<Message> with = new ArrayList<>(msgs.size() + 1);
                with.add(new Message("system", config.examples().systemPrompt()));
                with.addAll(msgs);
                msgs = with;
            }
            e = e.withMessages(msgs);
        } else if (e.text().isBlank()) {
            throw new RecordRejected("empty-field", "the text is empty after normalization");
        }
        return e;
    }

    private static String toJson(Example e) {
        ObjectNode o = JSON.createObjectNode();
        if (e.isChat()) {
            ArrayNode arr = o.putArray("messages");
            for (Message m : e.messages()) {
                arr.addObject().put("role", m.role()).put("content", m.content());
            }
        } else {
            o.put("text", e.text());
        }
        if (!e.flags().isEmpty()) {
            ArrayNode flags = o.putArray("flags");
            e.flags().forEach(flags::add);
        }
        ObjectNode s = o.putObject("source").put("file", e.source().file());
        if (e.source().line() > 0) {
            s.put("line", e.source().line());
        }
        if (e.source().id() != null) {
            s.put("id", e.source().id());
        }
        if (e.kind() != null) {
            s.put("kind", e.kind());
        }
        if (!e.metadata().isEmpty()) {
            ObjectNode m = o.putObject("metadata");
            e.metadata().forEach(m::put);
        }
        return o.toString();
    }

    /**
     * Closes the splits (moving one example into an empty validation/test split when there are at least
     * 3), writes report.json with {@code header} fields first, and returns the counts.
     */
    public CleaningResult finish(Map<String, Object> header) {
        context.threads().conversations().forEach(this::accept);
        context.threads().orphans().forEach(this::accept);
        for (var m : context.threads().incompleteThreads()) {
            report.noted(dev.tailor.dataprep.email.EmailThreads.INCOMPLETE, m.source(), "no reply to this message among the"
                    + " inputs: it is kept with its upload, and is no example until its reply is cleaned with it", m.subject());
        }
        Map<Split, Long> counts = splits.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        context.policyCounts().forEach(report::count);
        if (context.threads().pairs() > 0) {
            report.count("email.pairs", context.threads().pairs());
        }
        if (context.threads().conversationCount() > 0) {
            report.count("email.conversations", context.threads().conversationCount());
        }
        if (redactor != null) {
            redactor.counts().forEach((type, n) -> report.count("pii." + type, n));
            redactor.keptByContext().forEach((type, n) -> report.count("pii.kept-by-context." + type, n));
        }
        Map<String, Object> leaked = leakage == null ? null : leakage.result();
        closeIndexes();
        Map<String, Object> r = new LinkedHashMap<>(header == null ? Map.of() : header);
        r.put("records", read);
        r.put("kept", kept);
        if (leaked != null) {
            r.put("leakage", leaked);
        }
        r.put("dropped", report.get("dropped"));
        Map<String, Long> s = new LinkedHashMap<>();
        counts.forEach((k, v) -> s.put(k.id(), v));
        r.put("splits", s);
        r.put("config", config.asMap());
        r.put("configHash", config.hash());
        r.put("rulesVersion", RULES_VERSION);
        r.put("seconds", Math.round(seconds * 1000) / 1000.0);
        r.put("recordsPerSecond", seconds > 0 ? Math.round(read / seconds) : 0);
        r.putAll(report.toMap());
        if (previousVersion != null) {
            r.put("diff", diff());
        }
        try (JsonGenerator g = JSON.getFactory().createGenerator(outDir.resolve(CleaningReport.FILE).toFile(), JsonEncoding.UTF8)) {
            g.setCodec(JSON);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            for (Map.Entry<String, Object> e : r.entrySet()) {
                g.writeFieldName(e.getKey());
                if (e.getKey().equals("dropped")) {
                    report.writeDropped(g); // every dropped record; the count is counts.dropped
                } else {
                    g.writeObject(e.getValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDir.resolve(CleaningReport.FILE) + ": " + e.getMessage(), e);
        } finally {
            report.close();
        }
        return new CleaningResult(outDir, read, kept, report.get("dropped"), counts.get(Split.TRAIN),
                counts.get(Split.VALIDATION), counts.get(Split.TEST));
    }

    /** report.json's {@code diff} against the previous version: examples added, removed, unchanged, count changes. */
    private Map<String, Object> diff() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("previousVersion", previousVersion);
        m.put("examplesAdded", kept - unchanged);
        m.put("examplesRemoved", previousExamples - unchanged);
        m.put("examplesUnchanged", unchanged);
        m.put("nearDuplicatesOfPrevious", report.get("version.near-duplicate"));
        m.put("splitCarriedOver", report.get("version.split-carried-over"));
        Map<String, Long> delta = new LinkedHashMap<>();
        report.counts().forEach((k, v) -> {
            long before = previousCounts == null ? 0 : previousCounts.path(k).asLong(0);
            if (v != before) {
                delta.put(k, v - before);
            }
        });
        if (previousCounts != null) {
            previousCounts.fieldNames().forEachRemaining(k -> {
                if (!report.counts().containsKey(k)) {
                    delta.put(k, -previousCounts.get(k).asLong());
                }
            });
        }
        m.put("countChanges", delta);
        return m;
    }

    public CleaningReport report() {
        return report;
    }

    /** Frees the dedup indexes and the report's list of dropped records (temporary files); {@link #finish} does it too. Idempotent. */
    @Override
    public void close() {
        closeIndexes();
        report.close();
    }

    private void closeIndexes() {
        exact.close();
        if (near != null) {
            near.close();
        }
        if (leakage != null) {
            leakage.close();
        }
        if (semantic != null) {
            semantic.close();
        }
        if (previousExact != null) {
            previousExact.close();
            previousNear.close();
        }
    }
}
