package dev.tailor.cli.clean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tailor.dataprep.CleaningPipeline;
import dev.tailor.dataprep.config.CleaningConfig;
import dev.tailor.dataprep.profile.Relevance;
import dev.tailor.dataprep.output.CleaningReport;
import dev.tailor.dataprep.output.CleaningResult;
import dev.tailor.dataprep.output.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tailor clean INPUT… --out DIR [--config FILE]}: the cleaning service's own parsing and
 * cleaning code (the tailor-dataprep library) on local files, writing the same outputs
 * (train/validation/test.jsonl, report.json).
 */
@Command(name = "clean", mixinStandardHelpOptions = true,
        description = {"Clean and format local files offline, exactly as the pipeline does, to preview and tune rules.",
                "Inputs: JSONL, CSV/TSV, Parquet, text, Markdown, HTML, documents (PDF, Word, PowerPoint, Excel,"
                        + " OpenDocument, RTF), e-mail (.eml, mbox), ticket exports, glossaries (glossary.csv),"
                        + " zip/tar.gz of these; a directory"
                        + " means every file under it. Writes train.jsonl, validation.jsonl, test.jsonl and report.json"
                        + " into --out. A malformed record is reported in report.json, never fatal."})
public final class CleanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Files or directories to clean (at least one).")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (created if missing); required unless --print-config.")
    Path out;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Cleaning settings as JSON, grouped by component, e.g. {\"splits\":{\"trainRatio\":0.9,"
                    + "\"validationRatio\":0.05,\"testRatio\":0.05},\"examples\":{\"systemPrompt\":\"You are ACME support.\","
                    + "\"fieldMapping\":{\"prompt\":\"ticket\",\"completion\":\"resolution\"}}} (the flat form of earlier"
                    + " versions, {\"trainRatio\":0.9,...}, is read too); unset keys keep their defaults. Reference tables of"
                    + " field lookups are read relative to this file's folder.")
    Path config;

    @Option(names = "--previous", paramLabel = "DIR",
            description = "Output of the previous version of this dataset (a --out folder of an earlier run): its"
                    + " examples keep their split when they reappear or are near-duplicated (carryOverSplits), and"
                    + " report.json gets a diff (examples added, removed, unchanged; count changes).")
    Path previous;

    @Option(names = "--print-config", description = "Print the effective settings (defaults + --config) and exit.")
    boolean printConfig;

    @Option(names = "--profile", description = "Also profile the data, per input and overall: records, drop rate per rule,"
            + " duplicate share, personal data, language mix, example lengths (characters, and tokens with --tokenizer), the"
            + " share over --max-seq-length and whether the data is enough; printed and written to profile.json.")
    boolean profile;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "A Hugging Face tokenizer folder (tokenizer.json, e.g. the"
            + " base model's) to count tokens with in --profile.")
    Path tokenizer;

    @Option(names = "--base-model", paramLabel = "DIR", description = "The base model's folder (tokenizer.json,"
            + " tokenizer_config.json with its chat template, config.json; e.g. the starter model's,"
            + " ~/.cache/tailor/models/tailor-starter): --profile counts tokens as training renders the examples with it.")
    Path baseModel;

    @Option(names = "--use-case", paramLabel = "TEXT", description = "What the model is for, in a sentence (e.g. \"support for our"
            + " PostgreSQL hosting product\"): --profile estimates each example's relevance to it (sentence-embedding similarity;"
            + " the useCase setting).")
    String useCase;

    @Option(names = "--json", description = "With --profile: print profile.json instead of the tables.")
    boolean json;

    @Option(names = "--max-seq-length", paramLabel = "N", defaultValue = "256", description = "The training sequence length"
            + " the examples are compared with in --profile (default: ${DEFAULT-VALUE}, the platform's default maxSeqLength).")
    int maxSeqLength;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        CleaningConfig cfg;
        try {
            cfg = config == null ? CleaningConfig.defaults() : CleaningConfig.fromJson(Files.readString(config));
        } catch (IOException e) {
            err.println("cannot read --config " + config + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("invalid --config " + config + ": " + e.getMessage());
            err.flush();
            return 2;
        }
        if (printConfig) {
            stdout.println(cfg.toJson());
            stdout.flush();
            return 0;
        }
        if (inputs == null || inputs.isEmpty() || out == null) {
            err.println("give at least one INPUT and --out DIR, e.g. tailor clean tickets.jsonl --out preview/");
            err.flush();
            return 2;
        }
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                err.println("no such file or directory: " + input);
                err.flush();
                return 2;
            }
            files.addAll(expand(input));
        }
        if (previous != null && previous.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            err.println("--previous and --out are the same folder; write the new version into another --out");
            err.flush();
            return 2;
        }
        if (previous != null && !Files.isRegularFile(previous.resolve(Split.TRAIN.fileName()))) {
            err.println("--previous " + previous + " holds no " + Split.TRAIN.fileName() + "; give the --out folder of an earlier run");
            err.flush();
            return 2;
        }
        if (maxSeqLength < 2 || (tokenizer != null || baseModel != null || useCase != null || json) && !profile
                || tokenizer != null && baseModel != null) {
            err.println(maxSeqLength < 2 ? "--max-seq-length must be at least 2, got " + maxSeqLength
                    : !profile ? "--tokenizer, --base-model, --use-case and --json are for --profile; add --profile"
                    : "give --base-model (renders examples with its chat template) or --tokenizer, not both");
            err.flush();
            return 2;
        }
        ProfileOutput profiler;
        try {
            String purpose = useCase != null ? useCase : cfg.report().useCase();
            profiler = profile ? new ProfileOutput(tokenizer, baseModel, maxSeqLength, purpose == null ? null
                    : new Relevance(purpose, cfg.report().relevanceThreshold())) : null;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        Path tablesDir = config == null ? Path.of(".") : config.toAbsolutePath().getParent();
        CleaningResult r;
        try (profiler; CleaningPipeline pipeline = new CleaningPipeline(cfg, out, table -> {
            try {
                return Files.newInputStream(tablesDir.resolve(table));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open reference table " + tablesDir.resolve(table) + ": " + e.getMessage(), e);
            }
        })) {
            if (profiler != null) {
                pipeline.profile(profiler.profile);
            }
            if (previous != null) {
                String why = loadPrevious(pipeline);
                if (why != null) {
                    err.println(why);
                    err.flush();
                    return 2;
                }
            }
            for (Path f : files) {
                try (InputStream in = Files.newInputStream(f)) {
                    pipeline.add(f.toString(), in, null);
                } catch (IOException e) {
                    err.println("cannot read " + f + ": " + e.getMessage());
                    err.flush();
                    return 2;
                }
            }
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("inputs", files.stream().map(Path::toString).toList());
            r = pipeline.finish(header);
            if (!json) {
                print(stdout, pipeline, r, files.size());
            }
            if (profiler != null) {
                profiler.write(out, stdout, json);
            }
        }
        return 0;
    }

    /** Feeds --previous to the pipeline; returns why it cannot, or null. */
    private String loadPrevious(CleaningPipeline pipeline) {
        Path report = previous.resolve(CleaningReport.FILE);
        try {
            JsonNode counts = Files.isRegularFile(report) ? new ObjectMapper().readTree(report.toFile()).get("counts") : null;
            pipeline.previousVersion(previous.toString(), counts);
            for (Split s : Split.values()) {
                Path f = previous.resolve(s.fileName());
                if (Files.isRegularFile(f)) {
                    try (InputStream in = Files.newInputStream(f)) {
                        pipeline.previousSplit(s, in);
                    }
                }
            }
            return null;
        } catch (IOException | UncheckedIOException e) {
            return "cannot read --previous " + previous + ": " + e.getMessage();
        }
    }

    private void print(PrintWriter stdout, CleaningPipeline pipeline, CleaningResult r, int fileCount) {
        stdout.printf("read %d records from %d file(s): kept %d, dropped %d%n", r.read(), fileCount, r.kept(), r.dropped());
        pipeline.report().counts().forEach((rule, n) -> {
            if (rule.startsWith("dropped.") || rule.startsWith("pii.") || rule.endsWith("-repaired")
                    || rule.startsWith("email") || rule.startsWith("incomplete.") || rule.startsWith("version.")
                    || rule.startsWith("repaired.") || rule.startsWith("boilerplate.") || rule.startsWith("archive.")
                    || rule.startsWith("glossary.") || rule.equals("active-content-removed")) {
                stdout.printf("  %-32s %d%n", rule, n);
            }
        });
        stdout.printf("train %d, validation %d, test %d%n", r.train(), r.validation(), r.test());
        stdout.printf("wrote %s/{train,validation,test}.jsonl and %s%n", out, r.report());
        stdout.flush();
    }

    private static List<Path> expand(Path input) {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> walk = Files.walk(input)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
