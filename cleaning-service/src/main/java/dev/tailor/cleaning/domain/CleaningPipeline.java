package dev.tailor.cleaning.domain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
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
 * deterministic split. Memory stays flat apart from 8 bytes per kept example for exact dedup and
 * ~100 bytes for near dedup. The same class runs in the cleaning service and in {@code tailor clean}.
 */
public final class CleaningPipeline {
    public static final String REPORT = "report.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CleaningConfig config;
    private final Path outDir;
    private final SourceContext context;
    private final PiiRedactor redactor;
    private final QualityFilter quality;
    private final LongHashSet exact = new LongHashSet();
    private final NearDuplicateIndex near;
    private final SemanticDuplicateIndex semantic;
    private final CleaningReport report;
    private final SplitWriter splits;
    private final MessageDigest sha256;
    private final long started = System.nanoTime();
    private long read;
    private long kept;

    public CleaningPipeline(CleaningConfig config, Path outDir) {
        this(config, outDir, null);
    }

    /** @param tables opens a reference table by name, for incomplete-record policies with action lookup */
    public CleaningPipeline(CleaningConfig config, Path outDir, java.util.function.Function<String, InputStream> tables) {
        this.config = config;
        this.outDir = outDir;
        this.context = new SourceContext(config, tables);
        this.redactor = config.redactPii() ? new PiiRedactor(config.piiPatterns()) : null;
        this.quality = new QualityFilter(config);
        this.near = config.nearDuplicates() ? new NearDuplicateIndex(config.nearDuplicateThreshold(), config.nearDuplicateIndexSize()) : null;
        this.semantic = config.semanticDuplicates()
                ? new SemanticDuplicateIndex(config.semanticDuplicateThreshold(), config.nearDuplicateIndexSize()) : null;
        this.report = new CleaningReport(config.samplesPerRule(), config.maxDroppedListed());
        this.splits = new SplitWriter(outDir, config);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one input to its end (the caller closes it); a malformed record is reported, never fatal. */
    public InputFormat add(String file, InputStream input, String declaredType) {
        long before = read;
        Sources.Opened opened = Sources.open(file, declaredType, input, context, 0);
        while (opened.records().hasNext()) {
            accept(opened.records().next());
        }
        report.input(file, opened.format().name().toLowerCase(), read - before);
        return opened.format();
    }

    void accept(Parsed p) {
        read++;
        if (!p.isOk()) {
            report.drop(p.source(), p.rule(), p.reason(), p.snippet());
            return;
        }
        Example e = p.example();
        SourceRef src = e.source();
        if (p.encodingRepaired()) {
            report.changed("encoding-repaired", src, null, "decoded as windows-1252");
        }
        try {
            e = clean(e);
            quality.check(e);
        } catch (RecordRejected r) {
            report.drop(src, r.rule(), r.getMessage(), e.allText());
            return;
        }
        byte[] digest = sha256.digest(e.contentKey().getBytes(StandardCharsets.UTF_8));
        ByteBuffer bb = ByteBuffer.wrap(digest);
        long id = bb.getLong();
        double u = (bb.getLong() >>> 11) * 0x1.0p-53; // uniform in [0, 1)
        if (!exact.add(id)) {
            report.drop(src, "exact-duplicate", "same content (after normalization) as an earlier example", e.allText());
            return;
        }
        if (near != null) {
            NearDuplicateIndex.Match m = near.add(e.allText());
            if (m.duplicateOf() >= 0) {
                report.drop(src, "near-duplicate", String.format("estimated similarity %.2f to an earlier example (threshold %.2f)",
                        m.similarity(), config.nearDuplicateThreshold()), e.allText());
                return;
            }
        }
        if (semantic != null) {
            SemanticDuplicateIndex.Match m = semantic.add(e);
            if (m.duplicateOf() >= 0) {
                report.drop(src, "semantic-duplicate", String.format("cosine similarity %.3f to an earlier example (threshold %.2f)",
                        m.similarity(), config.semanticDuplicateThreshold()), e.allText());
                return;
            }
        }
        kept++;
        splits.write(u, toJson(e));
    }

    private Example clean(Example in) {
        SourceRef src = in.source();
        Example e = in.mapText(t -> {
            String fixed = config.repairMojibake() ? Mojibake.repair(t) : t;
            if (!fixed.equals(t)) {
                report.changed("mojibake-repaired", src, t, fixed);
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
        if (redactor != null) {
            String before = e.allText();
            e = e.mapText(redactor::redact);
            String after = e.allText();
            if (!after.equals(before)) {
                report.changed("pii-redacted", src, before, after);
            }
        }
        if (e.isChat()) {
            List<Message> msgs = FieldMapper.validateTurns(e.messages().stream()
                    .filter(m -> !(m.role().equals("system") && m.content().isBlank())).toList());
            if (config.systemPrompt() != null && !config.systemPrompt().isBlank() && !msgs.get(0).role().equals("system")) {
                List<Message> with = new ArrayList<>(msgs.size() + 1);
                with.add(new Message("system", config.systemPrompt()));
                with.addAll(msgs);
                msgs = with;
            }
            e = new Example(msgs, null, src, e.flags());
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
        return o.toString();
    }

    /**
     * Closes the splits (moving one example into an empty validation/test split when there are at least
     * 3), writes report.json with {@code header} fields first, and returns the counts.
     */
    public CleaningResult finish(Map<String, Object> header) {
        Map<Split, Long> counts = splits.finish();
        double seconds = (System.nanoTime() - started) / 1e9;
        context.policyCounts().forEach(report::count);
        if (context.threads().pairs() > 0) {
            report.count("email.pairs", context.threads().pairs());
        }
        for (MailMessage orphan : context.threads().orphans()) {
            report.drop(orphan.source(), "email-reply-without-question", "a reply to " + orphan.parentId()
                    + ", which is not among the inputs", orphan.body());
        }
        if (redactor != null) {
            redactor.counts().forEach((type, n) -> report.count("pii." + type, n));
        }
        Map<String, Object> r = new LinkedHashMap<>(header == null ? Map.of() : header);
        r.put("records", read);
        r.put("kept", kept);
        r.put("dropped", report.get("dropped"));
        Map<String, Long> s = new LinkedHashMap<>();
        counts.forEach((k, v) -> s.put(k.id(), v));
        r.put("splits", s);
        r.put("config", config.asMap());
        r.put("configHash", config.hash());
        r.put("seconds", Math.round(seconds * 1000) / 1000.0);
        r.put("recordsPerSecond", seconds > 0 ? Math.round(read / seconds) : 0);
        r.putAll(report.toMap());
        try {
            JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(outDir.resolve(REPORT).toFile(), r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDir.resolve(REPORT) + ": " + e.getMessage(), e);
        }
        return new CleaningResult(outDir, read, kept, report.get("dropped"), counts.get(Split.TRAIN),
                counts.get(Split.VALIDATION), counts.get(Split.TEST));
    }

    public CleaningReport report() {
        return report;
    }
}
